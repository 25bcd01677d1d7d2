//! Hostile inputs: time to clean and extract grows in proportion to size.
//!
//! Each input (repeated phrases that once made a stage quadratic, nested
//! markup) is built at 10, 20, 40 and 80 KB and run through what ingest
//! runs on a page (cleaning, the linguistic layer, extraction), on one
//! thread. The table gives milliseconds and milliseconds per KB; a row
//! whose time per KB at 80 KB is more than three times that at 10 KB is
//! marked and the run exits 1. Deeply nested pages (3,000 and 14,000
//! levels) are timed too: they must be read, not crash.
//!
//! `cargo bench --bench hostile`

use std::time::Instant;

use breachdesk::engine::prepare;
use breachdesk::extract::facts::Knowledge;
use breachdesk::ingest::{Format, from_bytes};
use breachdesk::model::Scope;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// (name, format, phrase repeated to the size)
const INPUTS: &[(&str, Format, &str)] = &[
    ("unclosed quotes and 'said'", Format::Text, "\"said said said "),
    ("one actor name, one line", Format::Text, "Volt Typhoon, "),
    ("opening curly quotes", Format::Text, "\u{201c}We "),
    ("quoted statements", Format::Text, "\"a\" he said. "),
    ("'according to' chains", Format::Text, "according to the FBI, "),
    ("victim lists", Format::Text, "hackers breached Contoso and "),
    ("organisations, one line", Format::Text, "Contoso Bank, Fabrikam Inc, "),
    ("nested <div>", Format::Html, "<div>"),
    ("paragraphs of links", Format::Html, "<p><a href=\"/x\">Fabrikam said</a> it was hit.</p>"),
];

const SIZES_KB: &[usize] = &[10, 20, 40, 80];

fn main() {
    let knowledge = Knowledge::bundled();
    let run = |bytes: &[u8], format: Format| {
        let started = Instant::now();
        if let Ok(loaded) = from_bytes(bytes, format, "bench", "bench".into(), Scope::Global, 5 << 20) {
            std::hint::black_box(prepare(loaded, &knowledge));
        }
        started.elapsed().as_secs_f64() * 1000.0
    };
    let mut failed = false;
    println!("{:<30} {}", "input", SIZES_KB.iter().map(|k| format!("{k:>5} KB ms (ms/KB)")).collect::<String>());
    for &(name, format, phrase) in INPUTS {
        let mut per_kb = Vec::new();
        let mut row = format!("{name:<30}");
        for &kb in SIZES_KB {
            let body: String = phrase.repeat(kb * 1024 / phrase.len() + 1).chars().take(kb * 1024).collect();
            let page = match format {
                Format::Html => format!("<html><body>{body} x said.</body></html>"),
                _ => body,
            };
            // The best of three: the figure is the code's, not the machine's moods.
            let ms = (0..3).map(|_| run(page.as_bytes(), format)).fold(f64::INFINITY, f64::min);
            per_kb.push(ms / kb as f64);
            row.push_str(&format!("{ms:>10.1} ({:>5.2})", ms / kb as f64));
        }
        let growth = per_kb[per_kb.len() - 1] / per_kb[0].max(0.01);
        if growth > 3.0 {
            failed = true;
            row.push_str(&format!("  SUPERLINEAR: {growth:.1}x the time per KB"));
        }
        println!("{row}");
    }
    for depth in [3_000, 14_000] {
        let page = format!(
            "<html><body>{}x said.{}</body></html>",
            "<blockquote>".repeat(depth),
            "</blockquote>".repeat(depth)
        );
        let ms = run(page.as_bytes(), Format::Html);
        println!("nested <blockquote>, depth {depth:>6}: {ms:.1} ms ({} KB)", page.len() / 1024);
    }
    if failed {
        std::process::exit(1);
    }
}
