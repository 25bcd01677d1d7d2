//! The system of record: an embedded SQLite database.
//!
//! Every document, with its paragraphs and sentence spans, is written here
//! first. Each write takes the next value of a store-wide sequence number;
//! the search index records the last sequence it holds, so after a crash it
//! catches up with exactly what it lacks (see [`crate::engine`]).
//!
//! De-duplication: a story is known by its canonical source (per scope) and
//! by the hash of its cleaned body (per scope). The same source with a new
//! body updates the document in place; the same body from a new source adds
//! that source to the existing document.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

mod answers;
mod digest;
mod feeds;
pub mod near;

pub use answers::ANSWER_LIFETIME_DAYS;
pub use digest::{DigestState, LedgerEntry};
pub use feeds::FeedState;

use crate::extract::facts::IncidentFacts;
use crate::extract::{Stance, Statement};
use crate::model::{DocId, Document, NewDocument, Paragraph, Scope, Span};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused an operation (disk full, locked, corrupt file...).
    #[error("store database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The store's folder could not be created.
    #[error("cannot create store folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    /// The file was written by a newer breachdesk.
    #[error("store schema version {found} is newer than this build understands ({supported})")]
    NewerSchema { found: i64, supported: i64 },
    /// A stored row could not be decoded.
    #[error("stored document {0} is damaged: {1}")]
    Damaged(i64, String),
}

/// What storing one document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// A new document.
    Added(DocId),
    /// The same source with a changed body: the document was replaced.
    Updated(DocId),
    /// Already stored: same source and body, or the same body from another
    /// source (which is then remembered as a second source).
    Duplicate(DocId),
}

impl PutOutcome {
    pub fn id(self) -> DocId {
        match self {
            PutOutcome::Added(id) | PutOutcome::Updated(id) | PutOutcome::Duplicate(id) => id,
        }
    }
    /// Whether the index must be told about this document.
    pub fn changed(self) -> bool {
        !matches!(self, PutOutcome::Duplicate(_))
    }
}

/// A document to store, with the key of its source.
#[derive(Debug, Clone)]
pub struct Put<'a> {
    pub doc: &'a NewDocument,
    /// The canonical form of the source (absolute path, normalised URL, or
    /// `text:` hash): two ingests of the same thing share it.
    pub canonical: String,
    /// What was extracted from the document, stored with it.
    pub statements: &'a [Statement],
    pub facts: &'a IncidentFacts,
}

/// Scopes as an SQL list of integers (they are numbers, never user text).
fn scope_list(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.as_u64().to_string()).collect::<Vec<_>>().join(",")
}

/// A document's incident facts with its id and date.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedFacts {
    pub doc: DocId,
    pub date: DateTime<Utc>,
    pub facts: IncidentFacts,
}

/// A stored statement: its row id and the document it is from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredStatement {
    pub id: i64,
    pub doc: DocId,
    pub statement: Statement,
}

const SCHEMA_VERSION: i64 = 2;

/// Bumped when extraction changes; documents extracted by an older version
/// are extracted again from their stored paragraphs (see
/// [`crate::engine::Engine::open`]).
pub const EXTRACT_VERSION: i64 = 13;

/// Version 1 had no statements: add them, and mark every document as not yet extracted.
const MIGRATE_1_TO_2: &str = "
ALTER TABLE documents ADD COLUMN extract_version INTEGER NOT NULL DEFAULT 0;
";

const STATEMENTS: &str = "
CREATE TABLE IF NOT EXISTS statements (
    id             INTEGER PRIMARY KEY,
    doc_id         INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    paragraph      INTEGER NOT NULL,
    sentence_index INTEGER NOT NULL,
    speaker        TEXT NOT NULL,
    speaker_key    TEXT NOT NULL,
    affiliation    TEXT,
    stance         TEXT NOT NULL,
    sentence       TEXT NOT NULL,
    quote          TEXT,
    anonymous      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS statements_doc ON statements(doc_id);
-- Incident facts of a document as JSON; `actors` holds the knowledge-base
-- names of its actors, one per line, for the queries that group incidents.
CREATE TABLE IF NOT EXISTS facts (
    doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    actors TEXT NOT NULL,
    json   TEXT NOT NULL
);
-- Which documents name which actor (its folded knowledge-base name): the
-- documents of one actor's incidents are read without scanning the rest.
CREATE TABLE IF NOT EXISTS doc_actors (
    actor  TEXT NOT NULL,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (actor, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_actors_doc ON doc_actors(doc_id);
-- The latest date each actor was reported in each scope, for the most recent
-- actors without grouping every row of doc_actors.
CREATE TABLE IF NOT EXISTS actor_recent (
    scope INTEGER NOT NULL,
    actor TEXT NOT NULL,
    last  INTEGER NOT NULL,
    PRIMARY KEY (scope, actor)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS actor_recent_last ON actor_recent(scope, last);
CREATE INDEX IF NOT EXISTS statements_speaker ON statements(speaker_key);
";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS documents (
    id           INTEGER PRIMARY KEY,
    scope        INTEGER NOT NULL,
    content_hash BLOB NOT NULL,
    title        TEXT NOT NULL,
    source       TEXT NOT NULL,
    byline       TEXT,
    published    INTEGER,
    ingested_at  INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    UNIQUE (scope, content_hash)
);
CREATE INDEX IF NOT EXISTS documents_seq ON documents(seq);
CREATE INDEX IF NOT EXISTS documents_date ON documents(scope, coalesce(published, ingested_at));
CREATE TABLE IF NOT EXISTS sources (
    scope     INTEGER NOT NULL,
    canonical TEXT NOT NULL,
    doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    UNIQUE (scope, canonical)
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
CREATE TABLE IF NOT EXISTS paragraphs (
    doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    heading   INTEGER NOT NULL,
    text      TEXT NOT NULL,
    sentences BLOB NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta(key, value) VALUES ('seq', 0);
";

/// The SQLite store. One connection; callers serialise access.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Open (creating if needed) the store file at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::Folder { path: dir.display().to_string(), source })?;
        }
        let conn = Connection::open(path)?;
        // WAL: readers never block the writer; NORMAL sync is durable across
        // process crashes (only an OS crash may lose the last transaction).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Store::init(conn)
    }

    /// A store that lives in memory, for tests.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { found: version, supported: SCHEMA_VERSION });
        }
        let fresh = version == 0;
        conn.execute_batch(SCHEMA)?;
        if fresh {
            conn.execute_batch(MIGRATE_1_TO_2)?;
        } else if version == 1 {
            tracing::info!("upgrading the store from schema 1 to 2 (statements)");
            conn.execute_batch(MIGRATE_1_TO_2)?;
        }
        conn.execute_batch(STATEMENTS)?;
        conn.execute_batch(feeds::SCHEMA)?;
        conn.execute_batch(digest::SCHEMA)?;
        conn.execute_batch(near::SCHEMA)?;
        conn.execute_batch(answers::SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Store { conn })
    }

    /// Store a batch of documents in one transaction: all or nothing.
    pub fn put_all(&mut self, puts: &[Put<'_>], now: DateTime<Utc>) -> Result<Vec<PutOutcome>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(puts.len());
        for put in puts {
            outcomes.push(put_one(&tx, put, now)?);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// The highest sequence number written so far.
    pub fn max_seq(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = 'seq'", [], |r| r.get(0))?)
    }

    /// Number of stored documents.
    pub fn count(&self) -> Result<usize, StoreError> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Load one document.
    pub fn document(&self, id: DocId) -> Result<Option<Document>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, scope, title, source, byline, published, ingested_at FROM documents WHERE id = ?1",
        )?;
        let Some(mut doc) = stmt.query_row([id.0], header_row).optional()? else {
            return Ok(None);
        };
        doc.paragraphs = self.paragraphs(id)?;
        Ok(Some(doc))
    }

    /// Load several documents, in the order asked; missing ids are skipped.
    pub fn documents(&self, ids: &[DocId]) -> Result<Vec<Document>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(d) = self.document(id)? {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// Group documents that are near-duplicate copies of one story (their
    /// stored signatures at least [`near::MIN_SIMILARITY`] alike): each
    /// group in the order asked, led by its first document.
    pub fn copies_of_one_story(&self, ids: &[DocId]) -> Result<Vec<Vec<DocId>>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT signature FROM doc_prints WHERE doc_id = ?1")?;
        let mut prints: Vec<(DocId, Option<near::Signature>)> = Vec::with_capacity(ids.len());
        for &id in ids {
            let sig = stmt
                .query_row([id.0], |r| r.get::<_, Vec<u8>>(0))
                .optional()?
                .and_then(|b| near::Signature::from_bytes(&b));
            prints.push((id, sig));
        }
        let mut groups: Vec<(Option<near::Signature>, Vec<DocId>)> = Vec::new();
        for (id, sig) in prints {
            let same = sig.and_then(|s| {
                groups.iter().position(|(lead, _)| lead.is_some_and(|l| l.similarity(&s) >= near::MIN_SIMILARITY))
            });
            match same {
                Some(g) => groups[g].1.push(id),
                None => groups.push((sig, vec![id])),
            }
        }
        Ok(groups.into_iter().map(|(_, g)| g).collect())
    }

    fn paragraphs(&self, id: DocId) -> Result<Vec<Paragraph>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT heading, text, sentences FROM paragraphs WHERE doc_id = ?1 ORDER BY idx")?;
        let rows = stmt.query_map([id.0], |r| {
            let heading: bool = r.get(0)?;
            let text: String = r.get(1)?;
            let blob: Vec<u8> = r.get(2)?;
            Ok((heading, text, blob))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (heading, text, blob) = row?;
            let sentences = decode_spans(&blob, text.len())
                .ok_or_else(|| StoreError::Damaged(id.0, "sentence spans do not fit their paragraph".into()))?;
            out.push(Paragraph { text, heading, sentences });
        }
        Ok(out)
    }

    /// Visit, in sequence order, every document written after `seq`.
    /// The callback's own errors come back as they are (an index error
    /// stays an index error, never a "damaged document").
    pub fn for_each_since<E: From<StoreError>>(
        &self,
        seq: i64,
        mut f: impl FnMut(Document, i64) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, scope, title, source, byline, published, ingested_at, seq FROM documents WHERE seq > ?1 ORDER BY seq",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([seq]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let mut doc = header_row(row).map_err(StoreError::from)?;
            let seq: i64 = row.get(7).map_err(StoreError::from)?;
            doc.paragraphs = self.paragraphs(doc.id)?;
            f(doc, seq)?;
        }
        Ok(())
    }

    /// The most recent documents the given scopes may see, newest first.
    pub fn recent(&self, scopes: &[Scope], limit: usize) -> Result<Vec<DocId>, StoreError> {
        let list = scope_list(scopes);
        let sql = format!(
            "SELECT id FROM documents WHERE scope IN ({list}) ORDER BY coalesce(published, ingested_at) DESC, id DESC LIMIT ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map([limit as i64], |r| Ok(DocId(r.get(0)?)))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// The statements extracted from a document, in reading order.
    pub fn statements_of(&self, doc: DocId) -> Result<Vec<StoredStatement>, StoreError> {
        let sql = format!(
            "SELECT {STATEMENT_COLUMNS} FROM statements WHERE doc_id = ?1 ORDER BY paragraph, sentence_index, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([doc.0], statement_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Documents whose statements were extracted by an older extractor (or never).
    pub fn needing_extraction(&self) -> Result<Vec<DocId>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id FROM documents WHERE extract_version < ?1 ORDER BY id")?;
        let ids = stmt.query_map([EXTRACT_VERSION], |r| Ok(DocId(r.get(0)?)))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Replace a document's statements (one transaction); the document takes
    /// a new sequence number so that the index picks the change up.
    pub fn replace_extraction(
        &mut self,
        doc: DocId,
        statements: &[Statement],
        facts: &IncidentFacts,
        fingerprint: Option<near::Signature>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.prepare_cached("DELETE FROM statements WHERE doc_id = ?1")?.execute([doc.0])?;
        insert_extraction(&tx, doc.0, statements, facts, fingerprint)?;
        let seq = next_seq(&tx)?;
        tx.prepare_cached("UPDATE documents SET seq = ?2 WHERE id = ?1")?.execute(params![doc.0, seq])?;
        tx.commit()?;
        Ok(())
    }

    /// The incident facts of a document.
    pub fn facts_of(&self, doc: DocId) -> Result<Option<IncidentFacts>, StoreError> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT json FROM facts WHERE doc_id = ?1")?
            .query_row([doc.0], |r| r.get(0))
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| StoreError::Damaged(doc.0, format!("facts: {e}"))))
            .transpose()
    }

    /// The documents in `scopes` that name an actor (by its folded name, see
    /// [`crate::clean::fold`]): id, date (published, else ingested) and
    /// facts, newest first, at most `limit`.
    pub fn documents_of_actor(
        &self,
        scopes: &[Scope],
        actor: &str,
        limit: usize,
    ) -> Result<Vec<DatedFacts>, StoreError> {
        let sql = format!(
            // CROSS JOIN fixes the join order: the actor's rows first (by the
            // primary key), never every document in date order.
            // The newest ids first, then only their facts are read.
            "SELECT x.id, x.t, f.json FROM ( \
               SELECT d.id AS id, coalesce(d.published, d.ingested_at) AS t FROM doc_actors a \
               CROSS JOIN documents d ON d.id = a.doc_id \
               WHERE a.actor = ?1 AND d.scope IN ({}) ORDER BY t DESC, d.id DESC LIMIT ?2 \
             ) x CROSS JOIN facts f ON f.doc_id = x.id ORDER BY x.t DESC, x.id DESC",
            scope_list(scopes)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![actor, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, ts, json) = row?;
            let facts = serde_json::from_str(&json).map_err(|e| StoreError::Damaged(id, format!("facts: {e}")))?;
            out.push(DatedFacts { doc: DocId(id), date: DateTime::from_timestamp(ts, 0).unwrap_or_default(), facts });
        }
        Ok(out)
    }

    /// Folded actor names of `scopes`, the most recently reported first; with
    /// a prefix, only names that start with it.
    pub fn actor_keys(&self, scopes: &[Scope], prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let sql = format!(
            "SELECT actor FROM actor_recent WHERE scope IN ({}) AND actor >= ?1 AND actor < ?1 || x'f48fbfbf' \
             GROUP BY actor ORDER BY max(last) DESC LIMIT ?2",
            scope_list(scopes)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![crate::clean::fold(prefix), limit as i64], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The fingerprint of the knowledge base the stored facts were extracted with.
    pub fn kb_fingerprint(&self) -> Result<Option<i64>, StoreError> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = 'kb'", [], |r| r.get(0)).optional()?)
    }

    /// Record the knowledge base's fingerprint; if it changed, every document
    /// is marked for extraction again (new names, new sponsors).
    pub fn set_kb_fingerprint(&mut self, fingerprint: i64) -> Result<bool, StoreError> {
        if self.kb_fingerprint()? == Some(fingerprint) {
            return Ok(false);
        }
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE documents SET extract_version = 0", [])?;
        tx.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('kb', ?1)", [fingerprint])?;
        tx.commit()?;
        Ok(true)
    }

    /// Speakers whose normalised key or name starts with `prefix`, most quoted first.
    pub fn speakers_with_prefix(
        &self,
        scopes: &[Scope],
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let list = scope_list(scopes);
        let sql = format!(
            "SELECT s.speaker FROM statements s JOIN documents d ON d.id = s.doc_id WHERE d.scope IN ({list}) AND (s.speaker_key LIKE ?1 ESCAPE '\\' OR s.speaker LIKE ?1 ESCAPE '\\') GROUP BY s.speaker_key ORDER BY count(*) DESC, s.speaker LIMIT ?2"
        );
        let pattern =
            format!("{}%", prefix.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![pattern, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The sources recorded for a document (its first one first).
    pub fn sources_of(&self, id: DocId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT canonical FROM sources WHERE doc_id = ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([id.0], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A stored time (seconds since the epoch) as an instant.
fn instant(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

fn header_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let scope: i64 = r.get(1)?;
    let published: Option<i64> = r.get(5)?;
    let ingested: i64 = r.get(6)?;
    Ok(Document {
        id: DocId(r.get(0)?),
        scope: Scope::from_u64(scope as u64),
        title: r.get(2)?,
        source: r.get(3)?,
        byline: r.get(4)?,
        published: published.and_then(|s| DateTime::from_timestamp(s, 0)),
        ingested_at: instant(ingested),
        paragraphs: Vec::new(),
    })
}

fn next_seq(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value", [], |r| r.get(0))
}

fn put_one(tx: &Transaction<'_>, put: &Put<'_>, now: DateTime<Utc>) -> Result<PutOutcome, StoreError> {
    let doc = put.doc;
    let scope = doc.scope.as_u64() as i64;
    let hash = doc.content_hash();
    let by_source: Option<(i64, Vec<u8>)> = tx
        .prepare_cached(
            "SELECT d.id, d.content_hash FROM sources s JOIN documents d ON d.id = s.doc_id WHERE s.scope = ?1 AND s.canonical = ?2",
        )?
        .query_row(params![scope, put.canonical], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let by_hash: Option<i64> = tx
        .prepare_cached("SELECT id FROM documents WHERE scope = ?1 AND content_hash = ?2")?
        .query_row(params![scope, &hash[..]], |r| r.get(0))
        .optional()?;

    match (by_source, by_hash) {
        // Same source, same body.
        (Some((id, old)), _) if old == hash => Ok(PutOutcome::Duplicate(DocId(id))),
        // Same body already stored from elsewhere: remember this source too.
        (None, Some(id)) => {
            tx.prepare_cached("INSERT OR IGNORE INTO sources(scope, canonical, doc_id) VALUES (?1, ?2, ?3)")?
                .execute(params![scope, put.canonical, id])?;
            Ok(PutOutcome::Duplicate(DocId(id)))
        }
        // The source now has the body of another stored document: point it there.
        (Some(_), Some(id)) => {
            tx.prepare_cached("UPDATE sources SET doc_id = ?3 WHERE scope = ?1 AND canonical = ?2")?
                .execute(params![scope, put.canonical, id])?;
            Ok(PutOutcome::Duplicate(DocId(id)))
        }
        // Same source, new body: replace the document, keep its id.
        (Some((id, _)), None) => {
            let seq = next_seq(tx)?;
            tx.prepare_cached(
                "UPDATE documents SET content_hash = ?2, title = ?3, byline = ?4, published = ?5, ingested_at = ?6, seq = ?7 WHERE id = ?1",
            )?
            .execute(params![id, &hash[..], doc.title, doc.byline, doc.published.map(|d| d.timestamp()), now.timestamp(), seq])?;
            tx.prepare_cached("DELETE FROM statements WHERE doc_id = ?1")?.execute([id])?;
            insert_extraction(tx, id, put.statements, put.facts, near::fingerprint(&doc.paragraphs))?;
            tx.prepare_cached("DELETE FROM paragraphs WHERE doc_id = ?1")?.execute([id])?;
            insert_paragraphs(tx, id, doc)?;
            Ok(PutOutcome::Updated(DocId(id)))
        }
        (None, None) => {
            let seq = next_seq(tx)?;
            tx.prepare_cached(
                "INSERT INTO documents(scope, content_hash, title, source, byline, published, ingested_at, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                scope,
                &hash[..],
                doc.title,
                doc.source,
                doc.byline,
                doc.published.map(|d| d.timestamp()),
                now.timestamp(),
                seq
            ])?;
            let id = tx.last_insert_rowid();
            tx.prepare_cached("INSERT INTO sources(scope, canonical, doc_id) VALUES (?1, ?2, ?3)")?
                .execute(params![scope, put.canonical, id])?;
            insert_extraction(tx, id, put.statements, put.facts, near::fingerprint(&doc.paragraphs))?;
            insert_paragraphs(tx, id, doc)?;
            Ok(PutOutcome::Added(DocId(id)))
        }
    }
}

fn insert_extraction(
    tx: &Transaction<'_>,
    doc_id: i64,
    statements: &[Statement],
    facts: &IncidentFacts,
    fingerprint: Option<near::Signature>,
) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO statements(doc_id, paragraph, sentence_index, speaker, speaker_key, affiliation, stance, sentence, quote, anonymous) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for s in statements {
        stmt.execute(params![
            doc_id,
            s.paragraph as i64,
            s.sentence_index as i64,
            s.speaker,
            s.speaker_key,
            s.affiliation,
            s.stance.as_str(),
            s.sentence,
            s.quote,
            s.anonymous
        ])?;
    }
    let json = serde_json::to_string(facts).map_err(|e| StoreError::Damaged(doc_id, e.to_string()))?;
    tx.prepare_cached("DELETE FROM doc_actors WHERE doc_id = ?1")?.execute([doc_id])?;
    let mut add = tx.prepare_cached("INSERT OR IGNORE INTO doc_actors(actor, doc_id) VALUES (?1, ?2)")?;
    let mut recent = tx.prepare_cached(
        "INSERT INTO actor_recent(scope, actor, last) \
         SELECT scope, ?2, coalesce(published, ingested_at) FROM documents WHERE id = ?1 \
         ON CONFLICT(scope, actor) DO UPDATE SET last = max(last, excluded.last)",
    )?;
    for key in facts.actor_keys() {
        let key = crate::clean::fold(&key);
        add.execute(params![key, doc_id])?;
        recent.execute(params![doc_id, key])?;
    }
    if let Some(sig) = &fingerprint {
        near::link(tx, doc_id, sig, !facts.actor_keys().is_empty())?;
    }
    tx.prepare_cached("INSERT OR REPLACE INTO facts(doc_id, actors, json) VALUES (?1, ?2, ?3)")?.execute(params![
        doc_id,
        facts.actor_keys().join("\n"),
        json
    ])?;
    tx.prepare_cached("UPDATE documents SET extract_version = ?2 WHERE id = ?1")?
        .execute(params![doc_id, EXTRACT_VERSION])?;
    Ok(())
}

fn statement_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredStatement> {
    let stance: String = r.get(7)?;
    Ok(StoredStatement {
        id: r.get(0)?,
        doc: DocId(r.get(1)?),
        statement: Statement {
            paragraph: r.get::<_, i64>(2)? as usize,
            sentence_index: r.get::<_, i64>(3)? as usize,
            speaker: r.get(4)?,
            speaker_key: r.get(5)?,
            affiliation: r.get(6)?,
            stance: Stance::parse(&stance).unwrap_or(Stance::Claim),
            sentence: r.get(8)?,
            quote: r.get(9)?,
            anonymous: r.get(10)?,
        },
    })
}

const STATEMENT_COLUMNS: &str =
    "id, doc_id, paragraph, sentence_index, speaker, speaker_key, affiliation, stance, sentence, quote, anonymous";

fn insert_paragraphs(tx: &Transaction<'_>, id: i64, doc: &NewDocument) -> rusqlite::Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT INTO paragraphs(doc_id, idx, heading, text, sentences) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (i, p) in doc.paragraphs.iter().enumerate() {
        stmt.execute(params![id, i as i64, p.heading, p.text, encode_spans(&p.sentences)])?;
    }
    Ok(())
}

/// Spans as little-endian u32 pairs.
fn encode_spans(spans: &[Span]) -> Vec<u8> {
    let mut out = Vec::with_capacity(spans.len() * 8);
    for s in spans {
        out.extend_from_slice(&s.start.to_le_bytes());
        out.extend_from_slice(&s.end.to_le_bytes());
    }
    out
}

fn decode_spans(blob: &[u8], text_len: usize) -> Option<Vec<Span>> {
    if !blob.len().is_multiple_of(8) {
        return None;
    }
    let spans: Vec<Span> = blob
        .chunks_exact(8)
        .map(|c| Span {
            start: u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
            end: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
        })
        .collect();
    spans.iter().all(|s| s.start <= s.end && s.end as usize <= text_len).then_some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::clean_text;

    fn doc(text: &str, scope: Scope) -> NewDocument {
        let c = clean_text(text);
        NewDocument {
            title: c.title.unwrap_or_default(),
            source: "test".into(),
            byline: None,
            published: None,
            scope,
            paragraphs: c.paragraphs,
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    /// Store one document under `canonical`.
    fn put(s: &mut Store, doc: &NewDocument, canonical: &str) -> PutOutcome {
        s.put_all(&[Put { doc, canonical: canonical.into(), statements: &[], facts: &IncidentFacts::default() }], now())
            .unwrap()[0]
    }

    const A: &str = "Title of story A\n\nThe first story says the utility was breached in March by a known crew.\n";
    const B: &str = "Title of story B\n\nThe second story says the airline restored its booking system on Friday.\n";

    #[test]
    fn round_trip_keeps_paragraphs_and_spans() {
        let mut s = Store::open_in_memory().unwrap();
        let d = doc(A, Scope::Global);
        let id = put(&mut s, &d, "a").id();
        let back = s.document(id).unwrap().unwrap();
        assert_eq!(back.paragraphs, d.paragraphs);
        assert_eq!(back.title, "Title of story A");
        assert_eq!(back.ingested_at, now());
        assert_eq!(s.max_seq().unwrap(), 1);
    }

    #[test]
    fn same_source_same_body_is_one_document() {
        let mut s = Store::open_in_memory().unwrap();
        let d = doc(A, Scope::Global);
        let first = put(&mut s, &d, "a");
        let again = put(&mut s, &d, "a");
        assert!(matches!(first, PutOutcome::Added(_)));
        assert_eq!(again, PutOutcome::Duplicate(first.id()));
        assert_eq!(s.count().unwrap(), 1);
        assert_eq!(s.max_seq().unwrap(), 1, "a duplicate writes nothing the index must see");
    }

    #[test]
    fn same_body_from_two_sources_is_one_document_with_two_sources() {
        let mut s = Store::open_in_memory().unwrap();
        let d = doc(A, Scope::Global);
        let rewrapped = doc(&A.replace("breached in", "breached\n  in"), Scope::Global);
        let out = s
            .put_all(
                &[
                    Put { doc: &d, canonical: "a".into(), statements: &[], facts: &IncidentFacts::default() },
                    Put { doc: &rewrapped, canonical: "b".into(), statements: &[], facts: &IncidentFacts::default() },
                ],
                now(),
            )
            .unwrap();
        assert_eq!(out[1], PutOutcome::Duplicate(out[0].id()));
        assert_eq!(s.sources_of(out[0].id()).unwrap(), vec!["a", "b"]);
    }

    #[test]
    fn same_source_new_body_updates_in_place() {
        let mut s = Store::open_in_memory().unwrap();
        let a = doc(A, Scope::Global);
        let b = doc(B, Scope::Global);
        let id = s
            .put_all(
                &[Put { doc: &a, canonical: "x".into(), statements: &[], facts: &IncidentFacts::default() }],
                now(),
            )
            .unwrap()[0]
            .id();
        let out = put(&mut s, &b, "x");
        assert_eq!(out, PutOutcome::Updated(id));
        assert_eq!(s.count().unwrap(), 1);
        assert_eq!(s.document(id).unwrap().unwrap().paragraphs, b.paragraphs);
        assert_eq!(s.max_seq().unwrap(), 2);
    }

    #[test]
    fn scopes_do_not_share_documents() {
        let mut s = Store::open_in_memory().unwrap();
        let g1 = doc(A, Scope::Guild(1));
        let g2 = doc(A, Scope::Guild(2));
        let out = s
            .put_all(
                &[
                    Put { doc: &g1, canonical: "a".into(), statements: &[], facts: &IncidentFacts::default() },
                    Put { doc: &g2, canonical: "a".into(), statements: &[], facts: &IncidentFacts::default() },
                ],
                now(),
            )
            .unwrap();
        assert_ne!(out[0].id(), out[1].id());
        assert_eq!(s.recent(&[Scope::Global, Scope::Guild(2)], 10).unwrap(), vec![out[1].id()]);
    }

    #[test]
    fn changes_are_visited_in_sequence_order() {
        let mut s = Store::open_in_memory().unwrap();
        let a = doc(A, Scope::Global);
        let b = doc(B, Scope::Global);
        s.put_all(
            &[
                Put { doc: &a, canonical: "a".into(), statements: &[], facts: &IncidentFacts::default() },
                Put { doc: &b, canonical: "b".into(), statements: &[], facts: &IncidentFacts::default() },
            ],
            now(),
        )
        .unwrap();
        let mut seen = Vec::new();
        s.for_each_since(1, |d, seq| {
            seen.push((d.title, seq));
            Ok::<(), StoreError>(())
        })
        .unwrap();
        assert_eq!(seen, vec![("Title of story B".to_string(), 2)]);
    }

    #[test]
    fn damaged_spans_are_reported() {
        assert_eq!(decode_spans(&[0; 7], 10), None);
        assert_eq!(decode_spans(&encode_spans(&[Span { start: 0, end: 11 }]), 10), None);
        assert!(decode_spans(&encode_spans(&[Span { start: 0, end: 10 }]), 10).is_some());
    }
}
