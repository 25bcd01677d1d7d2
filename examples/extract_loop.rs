//! Profiling aid: extract statements from files repeatedly.
//! `cargo run --release --example extract_loop -- ROUNDS FILE...`
use breachdesk::ingest::{Format, from_bytes};
use breachdesk::model::Scope;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let docs: Vec<_> = args
        .map(|p| {
            from_bytes(&std::fs::read(&p).unwrap(), Format::Text, &p, p.clone(), Scope::Global, u64::MAX).unwrap().doc
        })
        .collect();
    let knowledge = breachdesk::extract::facts::Knowledge::bundled();
    let mut n = 0;
    for _ in 0..rounds {
        for d in &docs {
            n += breachdesk::engine::extract(&d.title, &d.paragraphs, &d.source, d.published, &knowledge)
                .statements
                .len();
        }
    }
    println!("{n}");
}
