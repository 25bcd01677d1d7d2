//! Entry points for the fuzzers (`fuzz/`, run with `cargo fuzz`) and for
//! the seed replay in the tests (`tests/it/fuzzing.rs`). Each takes
//! arbitrary bytes and must return, without panicking, hanging or
//! overflowing the stack, whatever the bytes are: these are the four places
//! where untrusted input first meets breachdesk's code.

use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Utc};

use crate::config::{Settings, Sources};
use crate::engine::{Engine, extract_unguarded};
use crate::extract::facts::Knowledge;
use crate::ingest::{self, Format};
use crate::model::Scope;

/// The largest input a target reads: the ingest cap.
const MAX_BYTES: u64 = 5 << 20;

/// Page cleaning, as ingest runs it on a file or fetched page: HTML when
/// the bytes look like markup, Markdown when they start with a heading,
/// plain text otherwise.
pub fn clean(data: &[u8]) {
    let start = data.iter().position(|b| !b.is_ascii_whitespace()).map(|i| data[i]);
    let format = match start {
        Some(b'<') => Format::Html,
        Some(b'#') => Format::Markdown,
        _ => Format::Text,
    };
    let _ = ingest::from_bytes(data, format, "https://fuzz.example/page", "fuzz:page".into(), Scope::Global, MAX_BYTES);
}

/// Cleaning then extraction (the linguistic layer, statements, incident
/// facts) of a text, without extraction's panic guard.
pub fn extract(data: &[u8]) {
    static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(Knowledge::bundled);
    let text = String::from_utf8_lossy(data);
    if let Ok(loaded) = ingest::from_text(&text, None, Some("https://news.fuzz.example/story"), Scope::Global) {
        let d = &loaded.doc;
        extract_unguarded(&d.title, &d.paragraphs, &d.source, d.published, &KNOWLEDGE);
    }
}

/// A feed body: parsing, each item's keys, title and own text as the poller
/// takes it in when the item's page cannot be had.
pub fn feed(data: &[u8]) {
    let url = "https://feeds.fuzz.example/rss";
    if let Ok(parsed) = crate::feeds::parse(data, url) {
        for entry in &parsed.entries {
            crate::feeds::item_keys(url, entry);
            let _ = crate::feeds::from_item_text(entry, url, Scope::Global);
        }
    }
}

/// An interaction payload as Discord would post it, answered by the router
/// over a small in-memory store (commands, autocomplete, buttons).
pub fn interaction(data: &[u8]) {
    static ROUTER: LazyLock<crate::discord::Router> = LazyLock::new(|| {
        let mut engine = Engine::in_memory().expect("an in-memory engine opens");
        let story = "Title: Carriers breached\nPublished: 2024-10-05\n\nHackers of the Salt Typhoon group \
                     breached Fabrikam Telecom, investigators said. Fabrikam Telecom declined to comment.\n";
        let loaded = ingest::from_text(story, None, None, Scope::Guild(42)).expect("the seed story cleans");
        engine.ingest_and_commit(&[loaded], now()).expect("the seed story is stored");
        let settings = Settings::load(&Sources::default()).expect("the default settings load");
        crate::discord::Router::new(Arc::new(Mutex::new(engine)), Arc::new(settings))
    });
    ROUTER.handle(data, now());
}

/// A fixed instant: the targets are deterministic.
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_730_000_000, 0).expect("a valid instant")
}
