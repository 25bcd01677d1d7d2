//! Show the attributions the parse gives each sentence of some text:
//! `cargo run --release --example attributions -- "Acme said it was hit."`
//! (or `-f FILE`) prints each sentence's tree and, per cue, its lemma,
//! source words, negation and content.

use breachdesk::extract::attribution::{attributions, quotations, quoted_tokens};
use breachdesk::nlp::{Nlp, conllu};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = match args.as_slice() {
        [flag, path] if flag == "-f" => std::fs::read_to_string(path).expect("readable file"),
        _ => args.join(" "),
    };
    let nlp = Nlp::bundled();
    for para in breachdesk::nlp::paragraphs(&text) {
        let quotes = quotations(&para);
        for s in nlp.paragraph(&para) {
            let mut tree = String::new();
            conllu::draw(&s, &mut tree);
            print!("{tree}");
            let quoted = quoted_tokens(&s, &quotes);
            for a in attributions(&s, &quoted) {
                let words =
                    |ids: &[usize]| ids.iter().map(|&j| s.tokens[j].text.as_str()).collect::<Vec<_>>().join(" ");
                println!(
                    "  => {:?} {} | source: {} | negated: {} | content: {}",
                    a.cue,
                    a.lemma,
                    words(&a.source),
                    a.negated,
                    words(&a.content)
                );
            }
        }
    }
}
