//! Show how files are cleaned: `cargo run --example clean -- FILE...`
//! prints the title, byline, date and each kept paragraph with its sentence count.

use breachdesk::ingest::{Format, from_bytes};
use breachdesk::model::Scope;

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let format = Format::from_name(&path).unwrap_or(Format::Text);
        match from_bytes(&bytes, format, &path, path.clone(), Scope::Global, u64::MAX) {
            Ok(l) => {
                let d = l.doc;
                println!(
                    "=== {path}\ntitle: {}\nbyline: {:?}\npublished: {:?}\nsource: {}",
                    d.title, d.byline, d.published, d.source
                );
                for (i, p) in d.paragraphs.iter().enumerate() {
                    let mark = if p.heading { "#" } else { " " };
                    println!("{i:3}{mark}[{}] {}", p.sentences.len(), p.text);
                }
            }
            Err(e) => println!("=== {e}"),
        }
    }
}
