//! Paged answers: what a Previous/Next button needs to answer again (the
//! invocation, as the transport's own JSON, and who asked), by the key its
//! buttons carry. Kept in the store, so a button works after a restart and
//! on any process sharing the data directory, for [`ANSWER_LIFETIME_DAYS`].

use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS paged_answers (
    key        TEXT PRIMARY KEY,
    viewer     INTEGER NOT NULL,
    invocation TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS paged_answers_created ON paged_answers(created_at);
";

/// How long a paged answer's buttons keep working.
pub const ANSWER_LIFETIME_DAYS: i64 = 7;

impl Store {
    /// Remember a paged answer under `key` (the first write wins: a key is
    /// an interaction id), and forget answers past their lifetime.
    pub fn remember_answer(
        &self,
        key: &str,
        viewer: i64,
        invocation: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let oldest = (now - Duration::days(ANSWER_LIFETIME_DAYS)).timestamp();
        self.conn.prepare_cached("DELETE FROM paged_answers WHERE created_at < ?1")?.execute([oldest])?;
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO paged_answers(key, viewer, invocation, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![key, viewer, invocation, now.timestamp()])?;
        Ok(())
    }

    /// The viewer and invocation of a paged answer still within its lifetime.
    pub fn answer(&self, key: &str, now: DateTime<Utc>) -> Result<Option<(i64, String)>, StoreError> {
        let oldest = (now - Duration::days(ANSWER_LIFETIME_DAYS)).timestamp();
        Ok(self
            .conn
            .prepare_cached("SELECT viewer, invocation FROM paged_answers WHERE key = ?1 AND created_at >= ?2")?
            .query_row(params![key, oldest], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paged_answer_is_kept_for_its_lifetime_and_then_forgotten() {
        let s = Store::open_in_memory().unwrap();
        let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        s.remember_answer("900", 42, r#"{"path":["help"]}"#, t0).unwrap();
        // A second write under the same key changes nothing.
        s.remember_answer("900", 7, "{}", t0).unwrap();
        assert_eq!(s.answer("900", t0 + Duration::days(6)).unwrap(), Some((42, r#"{"path":["help"]}"#.to_string())));
        assert_eq!(s.answer("900", t0 + Duration::days(ANSWER_LIFETIME_DAYS) + Duration::seconds(1)).unwrap(), None);
        assert_eq!(s.answer("901", t0).unwrap(), None);
        // Remembering a later answer prunes the expired ones.
        s.remember_answer("902", 0, "{}", t0 + Duration::days(8)).unwrap();
        let rows: i64 = s.conn.query_row("SELECT count(*) FROM paged_answers", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, 1);
    }
}
