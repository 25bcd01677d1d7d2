//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed, polled under the fetch
//! rules of [`crate::fetch`].
//!
//! Nothing twice, nothing missed: every item is known by its keys (the
//! feed's GUID, the canonical link, a hash of its title and text) and is
//! taken in unless one of them is already in the store. There is no "newest
//! timestamp seen" cursor, so an item older than the newest is still taken
//! in, and a feed that rewrites GUIDs or dates or re-orders its items adds
//! nothing. The same story from two feeds is one document with two sources
//! (the store matches bodies by hash). All of it lives in the store, so a
//! restart changes nothing.
//!
//! A failing feed backs off exponentially up to `polling.max_backoff_minutes`
//! and is never disabled; after `polling.notice_after` consecutive failures
//! the poll reports one notice for the admin channel.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use feed_rs::model::Entry;

use crate::config::{FeedSettings, Settings};
use crate::engine::{Engine, EngineError};
use crate::fetch::{Expect, FetchError, Fetcher};
use crate::ingest::{self, Loaded, canonical_url};
use crate::model::DocId;
use crate::store::{FeedState, PutOutcome};

/// Items fetched from one feed per poll at most (a feed of thousands of
/// items is taken in over several polls).
const ITEMS_PER_POLL: usize = 200;
/// Item pages of one feed fetched at the same time.
const PAGES_AT_ONCE: usize = 4;

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("fetching the feed: {0}")]
    Fetch(#[from] FetchError),
    #[error("the feed could not be parsed: {0}")]
    Parse(String),
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The thread extracting an item stopped (the runtime is shutting down).
    #[error("the extraction worker stopped: {0}")]
    Worker(String),
}

/// What one poll of one feed did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FeedReport {
    pub url: String,
    /// New documents.
    pub added: usize,
    /// Items whose story was already stored under another link or feed.
    pub merged: usize,
    /// Items already known by a key.
    pub known: usize,
    /// Items the keyword filter passed over.
    pub filtered: usize,
    /// Items that could not be taken in (they are tried again next poll).
    pub failed: Vec<String>,
    /// Why the feed itself failed, if it did.
    pub error: Option<String>,
}

/// What a poll did, and the notices to post.
#[derive(Debug, Default)]
pub struct PollReport {
    pub feeds: Vec<FeedReport>,
    /// One line per feed that has just reached `polling.notice_after` failures.
    pub notices: Vec<String>,
}

impl PollReport {
    pub fn added(&self) -> usize {
        self.feeds.iter().map(|f| f.added).sum()
    }
}

/// Polls the configured feeds into an engine.
pub struct Poller {
    pub fetcher: Arc<Fetcher>,
    pub settings: Arc<Settings>,
    pub engine: Arc<Mutex<Engine>>,
}

/// The keys an item is known by.
pub fn item_keys(feed_url: &str, entry: &Entry) -> Vec<String> {
    let mut keys = Vec::with_capacity(3);
    if !entry.id.trim().is_empty() {
        keys.push(format!("guid:{}\n{}", canonical_url(feed_url), entry.id.trim()));
    }
    if let Some(link) = link_of(entry) {
        keys.push(format!("link:{}", canonical_url(link)));
    }
    let text = item_text(entry);
    if !text.trim().is_empty() {
        let folded = crate::clean::fold(&format!("{}\n{}", title_of(entry).unwrap_or_default(), text));
        let words: Vec<&str> = folded.split_whitespace().collect();
        keys.push(format!("hash:{}", blake3::hash(words.join(" ").as_bytes()).to_hex()));
    }
    keys
}

/// The item's article address: its first http(s) link that is not an enclosure.
fn link_of(entry: &Entry) -> Option<&str> {
    entry
        .links
        .iter()
        .filter(|l| crate::model::is_http_url(&l.href))
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .map(|l| l.href.as_str())
}

fn title_of(entry: &Entry) -> Option<String> {
    entry.title.as_ref().map(|t| crate::clean::html::fragment_text(&t.content).trim().to_string())
}

/// The item's own text (HTML): its content, else its summary.
fn item_text(entry: &Entry) -> &str {
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .filter(|b| !b.trim().is_empty())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.as_str()))
        .unwrap_or("")
}

/// An item as its own text says it (the feed's HTML content or summary),
/// for when its page cannot be had; known by its link, else by the feed.
pub fn from_item_text(
    entry: &Entry,
    feed_url: &str,
    scope: crate::model::Scope,
) -> Result<Loaded, ingest::IngestError> {
    let source = link_of(entry).unwrap_or(feed_url);
    let published = entry.published.or(entry.updated);
    ingest::from_feed_content(item_text(entry), source, scope, title_of(entry).as_deref(), published)
}

/// Parse a feed body. Items without a GUID get an empty id (never a
/// generated one, which could change between polls).
pub fn parse(body: &[u8], url: &str) -> Result<feed_rs::model::Feed, FeedError> {
    feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        .id_generator(|_, _, _| String::new())
        .build()
        .parse(body)
        .map_err(|e| FeedError::Parse(e.to_string()))
}

/// Whether a document mentions one of the keywords (case-insensitive).
fn matches_keywords(loaded: &Loaded, keywords: &[String]) -> bool {
    if keywords.is_empty() {
        return true;
    }
    let wanted: Vec<String> = keywords.iter().map(|k| crate::clean::fold(k)).collect();
    crate::clean::mentions_any(&loaded.doc.title, &loaded.doc.paragraphs, &wanted)
}

impl Poller {
    fn lock(&self) -> std::sync::MutexGuard<'_, Engine> {
        self.engine.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Poll the feeds that are due at `now` (all of them when `all`).
    pub async fn poll(&self, now: DateTime<Utc>, all: bool) -> Result<PollReport, EngineError> {
        let mut report = PollReport::default();
        for feed in &self.settings.feeds {
            let state = self.lock().store().feed_state(&feed.url)?;
            if !all && state.next_poll.is_some_and(|t| t > now) {
                continue;
            }
            let outcome = self.poll_feed(feed, now).await;
            let (feed_report, notice) = self.record(feed, state, outcome, now)?;
            report.notices.extend(notice);
            report.feeds.push(feed_report);
        }
        Ok(report)
    }

    /// Update the feed's state after a poll; the notice to post, if this
    /// failure is the one that reaches `polling.notice_after`.
    fn record(
        &self,
        feed: &FeedSettings,
        mut state: FeedState,
        outcome: Result<FeedReport, FeedError>,
        now: DateTime<Utc>,
    ) -> Result<(FeedReport, Option<String>), EngineError> {
        let polling = &self.settings.polling;
        let interval = Duration::minutes(feed.poll_minutes as i64);
        let longest = Duration::minutes(polling.max_backoff_minutes as i64).max(interval);
        let mut notice = None;
        let report = match outcome {
            Ok(r) => {
                state.last_success = Some(now);
                state.failures = 0;
                state.notified = false;
                state.items += (r.added + r.merged) as u64;
                state.items_failing = r.failed.len() as u32;
                state.last_item_error = r.failed.last().cloned();
                state.next_poll = Some(now + interval);
                r
            }
            Err(FeedError::Engine(e)) => return Err(e),
            Err(e) => {
                let why = e.to_string();
                tracing::warn!(feed = %feed.url, error = %why, failures = state.failures + 1, "feed poll failed");
                state.failures += 1;
                state.last_error = Some(why.clone());
                state.last_error_at = Some(now);
                let wait = if state.failures >= polling.notice_after {
                    longest
                } else {
                    (interval * 2i32.pow(state.failures.min(16))).min(longest)
                };
                state.next_poll = Some(now + wait);
                if state.failures >= polling.notice_after && !state.notified {
                    state.notified = true;
                    notice = Some(format!(
                        "Feed {} has failed {} times in a row (last error: {why}). breachdesk keeps retrying every {} minutes.",
                        feed.url,
                        state.failures,
                        longest.num_minutes()
                    ));
                }
                FeedReport { url: feed.url.clone(), error: Some(why), ..FeedReport::default() }
            }
        };
        self.lock().set_feed_state(&feed.url, &state)?;
        Ok((report, notice))
    }

    /// Fetch one feed and take in its new items.
    async fn poll_feed(&self, feed: &FeedSettings, now: DateTime<Utc>) -> Result<FeedReport, FeedError> {
        let body = self.fetcher.fetch(&feed.url, Expect::Feed).await?;
        let parsed = parse(&body.body, body.url.as_str())?;
        let scope = feed.scope();
        let mut report = FeedReport { url: feed.url.clone(), ..FeedReport::default() };
        let mut fresh = Vec::new();
        for entry in parsed.entries.iter().take(ITEMS_PER_POLL) {
            let keys = item_keys(&feed.url, entry);
            if keys.is_empty() {
                report.failed.push("an item with no id, link or text".into());
                continue;
            }
            if self.lock().store().feed_item_known(scope, &keys).map_err(EngineError::from)? {
                report.known += 1;
                continue;
            }
            fresh.push((entry, keys));
        }
        // The new items' pages are fetched a few at a time, kept in feed order.
        use futures_util::stream::{self, StreamExt};
        let loads: Vec<_> = fresh.iter().map(|(entry, keys)| self.load_item(entry, feed, keys)).collect();
        let pages: Vec<Result<Loaded, ItemFailure>> = stream::iter(loads).buffered(PAGES_AT_ONCE).collect().await;
        for ((entry, keys), page) in fresh.iter().zip(pages) {
            let loaded = match page {
                Ok(l) => l,
                Err(ItemFailure::Retry(why)) => {
                    tracing::warn!(feed = %feed.url, item = %entry.id, error = %why, "feed item not taken in; retried next poll");
                    report.failed.push(why);
                    continue;
                }
                Err(ItemFailure::Never(why)) => {
                    // What failed to clean fails again: recorded, so no poll
                    // spends its time on it (or trips on it) again.
                    tracing::warn!(feed = %feed.url, item = %entry.id, error = %why, "feed item not taken in; recorded as failed");
                    report.failed.push(format!("{why} (recorded; not tried again)"));
                    self.remember(scope, keys, None, now)?;
                    continue;
                }
            };
            let doc = if matches_keywords(&loaded, &feed.keywords) {
                // Extracted on a blocking thread, without the engine's lock:
                // commands are answered meanwhile.
                let knowledge = self.lock().knowledge_handle();
                let prepared = tokio::task::spawn_blocking(move || crate::engine::prepare(loaded, &knowledge))
                    .await
                    .map_err(|e| FeedError::Worker(e.to_string()))?;
                let mut engine = self.lock();
                let outcome = engine.store_prepared(std::slice::from_ref(&prepared), now)?[0];
                match engine.commit() {
                    Ok(()) => {}
                    // Stored: whichever process holds the index indexes it with its next commit.
                    Err(EngineError::Index(e @ crate::index::IndexError::Busy(_))) => {
                        tracing::info!(feed = %feed.url, error = %e, "item stored; indexing left to the process writing the index")
                    }
                    Err(e) => return Err(e.into()),
                }
                match outcome {
                    PutOutcome::Added(_) | PutOutcome::Updated(_) => report.added += 1,
                    PutOutcome::Duplicate(_) => report.merged += 1,
                }
                Some(outcome.id())
            } else {
                report.filtered += 1;
                None
            };
            self.remember(scope, keys, doc, now)?;
        }
        tracing::info!(
            feed = %feed.url, added = report.added, merged = report.merged, known = report.known,
            filtered = report.filtered, failed = report.failed.len(), "feed polled"
        );
        Ok(report)
    }

    fn remember(
        &self,
        scope: crate::model::Scope,
        keys: &[String],
        doc: Option<DocId>,
        now: DateTime<Utc>,
    ) -> Result<(), EngineError> {
        self.lock().remember_feed_item(scope, keys, doc, now)
    }

    /// The item's article page, cleaned; the feed's own text when the page
    /// cannot be had.
    async fn load_item(&self, entry: &Entry, feed: &FeedSettings, keys: &[String]) -> Result<Loaded, ItemFailure> {
        let title = title_of(entry);
        let published = entry.published.or(entry.updated);
        let max = self.settings.ingest.max_file_bytes;
        let link = link_of(entry);
        // (why the page failed, whether fetching it again could help)
        let mut page_error: Option<(String, bool)> = None;
        if let Some(link) = link {
            match self.fetcher.fetch(link, Expect::Page).await {
                Ok(page) => match ingest::from_fetched(&page, feed.scope(), max, title.as_deref(), published) {
                    Ok(mut loaded) => {
                        // Known by the item's link, wherever redirects led.
                        loaded.canonical = canonical_url(link);
                        return Ok(loaded);
                    }
                    Err(e) => page_error = Some((e.to_string(), false)),
                },
                Err(e) => page_error = Some((format!("{link}: {e}"), true)),
            }
        }
        let text = item_text(entry);
        let source = link.unwrap_or(&feed.url);
        if text.trim().is_empty() {
            return Err(match page_error {
                Some((why, true)) => ItemFailure::Retry(why),
                Some((why, false)) => ItemFailure::Never(why),
                None => ItemFailure::Never(format!("{source}: the item has no text")),
            });
        }
        if let Some((why, _)) = &page_error {
            tracing::info!(feed = %feed.url, error = %why, "article page not available; using the feed's text");
        }
        let mut loaded =
            from_item_text(entry, &feed.url, feed.scope()).map_err(|e| ItemFailure::Never(e.to_string()))?;
        if link.is_none() {
            // Items without a link are told apart by their own key, not the feed's address.
            loaded.canonical = format!("{}#{}", canonical_url(&feed.url), keys[0]);
        }
        Ok(loaded)
    }
}

/// Why a feed item was not taken in.
enum ItemFailure {
    /// Its page could not be fetched (and the feed gives no text): the next
    /// poll tries again.
    Retry(String),
    /// Its page and text hold no story, or cleaning refused them: trying
    /// again gives the same, so the item is recorded and left.
    Never(String),
}

/// How often [`run`] looks for due feeds.
const TICK: std::time::Duration = std::time::Duration::from_secs(60);

/// Poll due feeds every minute until the task is dropped; `notify` gets
/// each notice (the gateway posts them to the admin channel).
pub async fn run(poller: &Poller, clock: crate::model::Clock, mut notify: impl FnMut(String)) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match poller.poll(clock(), false).await {
            Ok(report) => report.notices.into_iter().for_each(&mut notify),
            Err(e) => tracing::error!(error = %e, "polling the feeds failed; retrying at the next tick"),
        }
    }
}

#[cfg(test)]
mod tests;
