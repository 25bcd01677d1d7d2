//! What the store remembers of feeds: each feed's polling state, and every
//! item already taken in, under each of its keys (GUID, canonical link,
//! content hash), so that nothing is taken in twice and nothing is skipped
//! because of a cursor.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::model::{DocId, Scope};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS feed_state (
    url          TEXT PRIMARY KEY,
    last_success INTEGER,
    last_error   TEXT,
    last_error_at INTEGER,
    failures     INTEGER NOT NULL DEFAULT 0,
    items        INTEGER NOT NULL DEFAULT 0,
    next_poll    INTEGER NOT NULL DEFAULT 0,
    notified     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- Items of a feed that could not be taken in at its last successful poll.
CREATE TABLE IF NOT EXISTS feed_item_failures (
    url        TEXT PRIMARY KEY,
    failing    INTEGER NOT NULL,
    last_error TEXT
) WITHOUT ROWID;
-- Keys of items taken in (or passed over by a keyword filter), per scope.
CREATE TABLE IF NOT EXISTS feed_seen (
    scope   INTEGER NOT NULL,
    key     TEXT NOT NULL,
    doc_id  INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
";

/// A feed's polling state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Consecutive failures; 0 after a success.
    pub failures: u32,
    /// Items taken in from this feed, in all.
    pub items: u64,
    pub next_poll: Option<DateTime<Utc>>,
    /// Whether the notice for the current run of failures was posted.
    pub notified: bool,
    /// Items that could not be taken in at the last successful poll.
    pub items_failing: u32,
    /// Why the last of them failed.
    pub last_item_error: Option<String>,
}

fn time(v: Option<i64>) -> Option<DateTime<Utc>> {
    v.map(super::instant)
}

impl Store {
    /// The state of the feed at `url` (the default when never polled).
    pub fn feed_state(&self, url: &str) -> Result<FeedState, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT s.last_success, s.last_error, s.last_error_at, s.failures, s.items, s.next_poll, s.notified, \
                 coalesce(f.failing, 0), f.last_error \
                 FROM feed_state s LEFT JOIN feed_item_failures f ON f.url = s.url WHERE s.url = ?1",
            )?
            .query_row([url], |r| {
                Ok(FeedState {
                    last_success: time(r.get(0)?),
                    last_error: r.get(1)?,
                    last_error_at: time(r.get(2)?),
                    failures: r.get(3)?,
                    items: r.get::<_, i64>(4)? as u64,
                    next_poll: time(r.get(5)?),
                    notified: r.get(6)?,
                    items_failing: r.get(7)?,
                    last_item_error: r.get(8)?,
                })
            })
            .optional()?;
        Ok(row.unwrap_or_default())
    }

    /// Record the state of the feed at `url`.
    pub fn set_feed_state(&mut self, url: &str, s: &FeedState) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO feed_state(url, last_success, last_error, last_error_at, failures, items, next_poll, notified) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                url,
                s.last_success.map(|t| t.timestamp()),
                s.last_error,
                s.last_error_at.map(|t| t.timestamp()),
                s.failures,
                s.items as i64,
                s.next_poll.map(|t| t.timestamp()).unwrap_or(0),
                s.notified
            ])?;
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO feed_item_failures(url, failing, last_error) VALUES (?1, ?2, ?3)")?
            .execute(params![url, s.items_failing, s.last_item_error])?;
        Ok(())
    }

    /// Whether any of an item's keys is known in `scope`, as a feed item or
    /// (for `link:` keys) as the source of a stored document.
    pub fn feed_item_known(&self, scope: Scope, keys: &[String]) -> Result<bool, StoreError> {
        let scope = scope.as_u64() as i64;
        let mut seen = self.conn.prepare_cached("SELECT 1 FROM feed_seen WHERE scope = ?1 AND key = ?2")?;
        let mut source = self.conn.prepare_cached("SELECT 1 FROM sources WHERE scope = ?1 AND canonical = ?2")?;
        for key in keys {
            if seen.exists(params![scope, key])? {
                return Ok(true);
            }
            if let Some(link) = key.strip_prefix("link:")
                && source.exists(params![scope, link])?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Remember an item's keys in `scope`, with the document it became (if any).
    pub fn remember_feed_item(
        &mut self,
        scope: Scope,
        keys: &[String],
        doc: Option<DocId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut add = tx.prepare_cached(
                "INSERT OR IGNORE INTO feed_seen(scope, key, doc_id, seen_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for key in keys {
                add.execute(params![scope.as_u64() as i64, key, doc.map(|d| d.0), now.timestamp()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
