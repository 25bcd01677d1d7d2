//! The linguistic layer's speed: tokens tagged and parsed per CPU-second,
//! and the cost of loading the bundled model.
//!
//! `cargo bench --bench nlp` reads the raw text of UD English EWT dev
//! (from `../shared/ud/` when it is beside the repository) or else the
//! bundled sample articles, runs tokenisation, tagging, lemmas and parsing
//! over every paragraph (repeated to at least 200,000 tokens), and prints
//! tokens per CPU-second and per wall-clock second. `cargo test --benches`
//! runs a short smoke pass. `BREACHDESK_NLP_MODEL=FILE` measures another
//! model file.

mod common;
use common::cpu_seconds;

use std::time::Instant;

use breachdesk::nlp::Nlp;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Paragraphs to parse: EWT dev's sentences, or the sample articles.
fn paragraphs() -> (String, Vec<String>) {
    let dev = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ud/en_ewt-ud-dev.conllu");
    if let Ok(text) = std::fs::read_to_string(&dev) {
        let paras = text.lines().filter_map(|l| l.strip_prefix("# text = ")).map(str::to_string).collect();
        return ("UD English EWT dev".into(), paras);
    }
    let mut paras = Vec::new();
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples");
    for entry in std::fs::read_dir(samples).expect("data/samples").flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        paras.extend(breachdesk::nlp::paragraphs(&text));
    }
    ("the bundled samples".into(), paras)
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    println!("cores available: {}", std::thread::available_parallelism().map_or(1, |n| n.get()));

    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    // BREACHDESK_NLP_MODEL=FILE measures another model file (a candidate
    // from `train-nlp`) instead of the bundled one.
    let nlp = match std::env::var_os("BREACHDESK_NLP_MODEL") {
        Some(path) => Box::leak(Box::new(Nlp::load(std::path::Path::new(&path)).expect("the model file loads"))),
        None => Nlp::bundled(),
    };
    println!(
        "model load: {:.0} ms wall, {:.0} ms CPU",
        wall0.elapsed().as_secs_f64() * 1e3,
        (cpu_seconds() - cpu0) * 1e3
    );

    let (what, paras) = paragraphs();
    let target = if benching { 200_000 } else { 2_000 };
    let mut tokens = 0usize;
    let mut sentences = 0usize;
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    'outer: loop {
        for p in &paras {
            let parsed = nlp.paragraph(p);
            sentences += parsed.len();
            tokens += parsed.iter().map(|s| s.tokens.len()).sum::<usize>();
            if tokens >= target {
                break 'outer;
            }
        }
    }
    let (cpu, wall) = (cpu_seconds() - cpu0, wall0.elapsed().as_secs_f64());
    println!(
        "tokenise+tag+lemma+parse on {what}: {tokens} tokens, {sentences} sentences in {wall:.2} s wall, {cpu:.2} s CPU = {:.0} tokens per CPU-second ({:.0} per wall second)",
        tokens as f64 / cpu.max(0.01),
        tokens as f64 / wall.max(1e-6)
    );
}
