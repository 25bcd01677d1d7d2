//! The digest ledger: per channel, every digest's slot, the window it
//! covers, and whether it was posted (with the message id). Written before
//! posting (the intent) and after (the id), so a crash between the two is
//! recognised at the next start instead of posting twice.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, instant as at, scope_list};
use crate::model::{DocId, Scope};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS digest_ledger (
    channel     INTEGER NOT NULL,
    slot        TEXT NOT NULL,
    window_from INTEGER NOT NULL,
    window_to   INTEGER NOT NULL,
    state       TEXT NOT NULL,
    message_id  INTEGER,
    marker      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (channel, slot)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_ingested ON documents(ingested_at);
";

/// Where a digest stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestState {
    /// About to be posted; whether it was is not known yet.
    Intent,
    /// Posted; the message id is recorded.
    Posted,
    /// Nothing to say and the channel's policy is to skip empty days.
    Skipped,
}

impl DigestState {
    fn as_str(self) -> &'static str {
        match self {
            DigestState::Intent => "intent",
            DigestState::Posted => "posted",
            DigestState::Skipped => "skipped",
        }
    }
    fn parse(s: &str) -> DigestState {
        match s {
            "posted" => DigestState::Posted,
            "skipped" => DigestState::Skipped,
            _ => DigestState::Intent,
        }
    }
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub channel: u64,
    /// The local date of the schedule ("2026-03-02"), or "manual:<time>".
    pub slot: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub state: DigestState,
    pub message_id: Option<u64>,
    /// Text carried by the posted message, to find it again after a crash.
    pub marker: String,
    pub created_at: DateTime<Utc>,
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<LedgerEntry> {
    let state: String = r.get(4)?;
    Ok(LedgerEntry {
        channel: r.get::<_, i64>(0)? as u64,
        slot: r.get(1)?,
        from: at(r.get(2)?),
        to: at(r.get(3)?),
        state: DigestState::parse(&state),
        message_id: r.get::<_, Option<i64>>(5)?.map(|m| m as u64),
        marker: r.get(6)?,
        created_at: at(r.get(7)?),
    })
}

const COLUMNS: &str = "channel, slot, window_from, window_to, state, message_id, marker, created_at";

impl Store {
    /// The ledger entry of a channel's slot.
    pub fn digest_entry(&self, channel: u64, slot: &str) -> Result<Option<LedgerEntry>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM digest_ledger WHERE channel = ?1 AND slot = ?2");
        Ok(self.conn.prepare_cached(&sql)?.query_row(params![channel as i64, slot], entry).optional()?)
    }

    /// The channel's latest digest (by the end of its window), in any state.
    pub fn last_digest(&self, channel: u64) -> Result<Option<LedgerEntry>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM digest_ledger WHERE channel = ?1 ORDER BY window_to DESC, created_at DESC LIMIT 1"
        );
        Ok(self.conn.prepare_cached(&sql)?.query_row(params![channel as i64], entry).optional()?)
    }

    /// Record the intent to post `e` (durably, before posting). An entry for
    /// the same slot is kept as it is: the slot has its digest already.
    pub fn digest_intent(&mut self, e: &LedgerEntry) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(&format!(
                "INSERT OR IGNORE INTO digest_ledger({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ))?
            .execute(params![
                e.channel as i64,
                e.slot,
                e.from.timestamp(),
                e.to.timestamp(),
                DigestState::Intent.as_str(),
                e.message_id.map(|m| m as i64),
                e.marker,
                e.created_at.timestamp()
            ])?;
        Ok(())
    }

    /// Record how a slot's digest ended.
    pub fn digest_done(
        &mut self,
        channel: u64,
        slot: &str,
        state: DigestState,
        message_id: Option<u64>,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE digest_ledger SET state = ?3, message_id = ?4 WHERE channel = ?1 AND slot = ?2")?
            .execute(params![channel as i64, slot, state.as_str(), message_id.map(|m| m as i64)])?;
        Ok(())
    }

    /// Documents the scopes may see that were stored (added or changed) in
    /// the window `(from, to]`, oldest first.
    pub fn ingested_between(
        &self,
        scopes: &[Scope],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DocId>, StoreError> {
        let list = scope_list(scopes);
        let sql = format!(
            "SELECT id FROM documents WHERE ingested_at > ?1 AND ingested_at <= ?2 AND scope IN ({list}) ORDER BY ingested_at, id LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map(params![from.timestamp(), to.timestamp(), limit as i64], |r| Ok(DocId(r.get(0)?)))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// The date of each document (published, else stored), without loading it.
    pub fn dates_of(&self, ids: &[DocId]) -> Result<Vec<(DocId, DateTime<Utc>)>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT coalesce(published, ingested_at) FROM documents WHERE id = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(secs) = stmt.query_row([id.0], |r| r.get::<_, i64>(0)).optional()? {
                out.push((id, at(secs)));
            }
        }
        Ok(out)
    }
}
