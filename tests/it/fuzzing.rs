//! The fuzz targets' seed corpora (`fuzz/seeds/`), replayed through the
//! targets with deterministic mutations: the stable-toolchain smoke run of
//! what `cargo fuzz` explores for hours. A panic fails the test.

use std::path::Path;

use breachdesk::nlp::Rng;

/// Fragments that steer mutations toward what the parsers care about.
const TOKENS: &[&[u8]] = &[
    b"<div>",
    b"</div>",
    b"<blockquote>",
    b"<![CDATA[",
    b"]]>",
    b"&amp;",
    b"&#x0;",
    b"\"",
    b"\xe2\x80\x9c",
    b"said",
    b" according to ",
    b"declined to comment",
    b"\n\n",
    b"{",
    b"}",
    b"\"options\":[",
    b"\xff\xfe",
    b"\x00",
    b"CVE-",
    b"hxxp://",
    b"<item>",
    b"<entry>",
    b"Volt Typhoon, ",
];

/// One mutation of `seed`: a byte flipped, a range cut or doubled, a token inserted.
fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(256)).min(out.len());
                let piece = out[at..end].to_vec();
                for _ in 0..rng.below(8) {
                    out.splice(at..at, piece.iter().copied());
                }
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
        }
    }
    out
}

/// Every seed of `target`, then `rounds` mutations of each.
fn replay(target: &str, run: fn(&[u8]), rounds: usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut seeds: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    for path in seeds {
        let seed = std::fs::read(&path).unwrap();
        run(&seed);
        for _ in 0..rounds {
            run(&mutate(&seed, &mut rng));
        }
    }
}

#[test]
fn cleaning_survives_its_seeds_and_their_mutations() {
    replay("clean", breachdesk::fuzzing::clean, 60);
}

#[test]
fn extraction_survives_its_seeds_and_their_mutations() {
    replay("extract", breachdesk::fuzzing::extract, 60);
}

#[test]
fn the_feed_parser_survives_its_seeds_and_their_mutations() {
    replay("feed", breachdesk::fuzzing::feed, 150);
}

#[test]
fn the_interaction_router_survives_its_seeds_and_their_mutations() {
    replay("interaction", breachdesk::fuzzing::interaction, 150);
}
