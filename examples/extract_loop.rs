//! Profiling aid: extract statements and incident facts from files repeatedly,
//! and print the time each takes.
//! `cargo run --release --example extract_loop -- ROUNDS FILE...`
use std::time::Instant;

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
    let (mut statements, mut facts) = (0, 0);
    let t = Instant::now();
    for _ in 0..rounds {
        for d in &docs {
            statements += breachdesk::extract::extract_statements(&d.paragraphs, None, &[]).len();
        }
    }
    let ts = t.elapsed();
    let t = Instant::now();
    for _ in 0..rounds {
        for d in &docs {
            facts += knowledge.facts(&d.title, &d.paragraphs, None).victims.len();
        }
    }
    println!("statements {statements} in {ts:?}; facts ({facts} victims) in {:?}", t.elapsed());
}
