//! The Tantivy search index: derived from the store, never the only copy.
//!
//! One Tantivy document per stored document. Title and body are stemmed
//! English text ([`stem`]); `doc_id` ties a hit back to the store; `published` is a fast
//! date field; `scope` restricts every search to what the reader may see.
//! Each commit carries, as its payload, the store sequence number it is
//! complete up to ([`SearchIndex::indexed_seq`]).

mod stem;

use std::path::Path;

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery, TermSetQuery};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument, Term};

use crate::extract::{Stance, Statement};
use crate::model::{DocId, Document, Paragraph, Scope, Viewer};

/// What tells one commit from another: its opstamp, payload and segments
/// with their deletions (a commit that only deletes every document keeps
/// the previous opstamp).
fn generation(metas: &tantivy::IndexMeta) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    metas.opstamp.hash(&mut h);
    metas.payload.hash(&mut h);
    for segment in &metas.segments {
        segment.id().uuid_string().hash(&mut h);
        segment.num_deleted_docs().hash(&mut h);
    }
    h.finish()
}

/// How long a write waits for another process's writer lock by default.
pub const DEFAULT_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Bumped whenever the schema changes; an index of another version is rebuilt.
const SCHEMA_VERSION: &str = "breachdesk-index-v4";
/// Our English analyzer ([`stem::english`]), registered on every index opened.
const TOKENIZER: &str = "breachdesk_en";

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Tantivy failed (I/O, lock held by another writer, corrupt segment...).
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index folder could not be opened or created.
    #[error("cannot open index folder {path}: {reason}")]
    Folder { path: String, reason: String },
    /// The folder holds an index of another schema; it must be rebuilt.
    #[error("the index in {0} was built with another schema")]
    SchemaMismatch(String),
    /// Another process held the index's writer lock for longer than
    /// `index.lock_wait_seconds`; nothing is damaged, try again.
    #[error("the search index is busy: another breachdesk process is writing to it (waited {0} s)")]
    Busy(u64),
}

/// A query the parser rejected; the message is safe to show a user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

#[derive(Clone, Copy)]
struct Fields {
    doc_id: Field,
    title: Field,
    body: Field,
    published: Field,
    scope: Field,
    speaker: Field,
    speaker_key: Field,
    stance: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        doc_id: b.add_u64_field("doc_id", INDEXED | STORED),
        title: b.add_text_field("title", text.clone() | STORED),
        body: b.add_text_field("body", text.clone()),
        published: b.add_date_field(
            "published",
            DateOptions::from(INDEXED | STORED).set_fast().set_precision(DateTimePrecision::Seconds),
        ),
        scope: b.add_u64_field("scope", INDEXED),
        speaker: b.add_text_field("speaker", text),
        speaker_key: b.add_text_field("speaker_key", STRING),
        stance: b.add_text_field("stance", STRING),
    };
    // Never set on documents: its name marks the schema version.
    b.add_u64_field(SCHEMA_VERSION, INDEXED);
    (b.build(), fields)
}

/// What the index needs of a document, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct IndexDoc<'a> {
    pub id: DocId,
    pub title: &'a str,
    pub paragraphs: &'a [Paragraph],
    /// Published, else ingested.
    pub date: chrono::DateTime<chrono::Utc>,
    pub scope: Scope,
}

impl<'a> From<&'a Document> for IndexDoc<'a> {
    fn from(d: &'a Document) -> IndexDoc<'a> {
        IndexDoc { id: d.id, title: &d.title, paragraphs: &d.paragraphs, date: d.date(), scope: d.scope }
    }
}

/// One search hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: DocId,
    pub score: f32,
}

/// Conditions on statements; each one given must hold.
#[derive(Debug, Clone, Default)]
pub struct StatementQuery {
    pub stance: Option<Stance>,
    /// Words in the sentence or the speaker's name (Tantivy's query language).
    pub topic: Option<String>,
    /// Every word must be in the speaker's name or affiliation.
    pub speaker: Option<String>,
    /// Only statements from these documents.
    pub docs: Option<Vec<DocId>>,
}

/// Why a statement search failed.
#[derive(Debug, thiserror::Error)]
pub enum StatementSearchError {
    /// The topic could not be parsed; the message is safe to show.
    #[error(transparent)]
    Query(QueryError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// A page of hits and how many documents matched in all.
#[derive(Debug, Clone, PartialEq)]
pub struct HitPage {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// The search index, its reader and, during a write only, its writer.
///
/// Several processes may share one index folder: the writer (Tantivy's
/// lock) is taken for one write and released by [`SearchIndex::commit`],
/// waiting up to the lock wait while another process holds it; every search
/// first looks whether any process committed since the reader was loaded.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    /// The commit the reader shows ([`generation`] of its metas).
    shown: std::sync::atomic::AtomicU64,
    fields: Fields,
    memory_bytes: usize,
    threads: usize,
    lock_wait: std::time::Duration,
}

impl SearchIndex {
    /// Open the index in `dir`, creating it if absent.
    pub fn open(dir: &Path, memory_mb: usize, threads: usize) -> Result<SearchIndex, IndexError> {
        let folder =
            |e: &dyn std::fmt::Display| IndexError::Folder { path: dir.display().to_string(), reason: e.to_string() };
        std::fs::create_dir_all(dir).map_err(|e| folder(&e))?;
        let mmap = MmapDirectory::open(dir).map_err(|e| folder(&e))?;
        let (schema, fields) = schema();
        let index = if Index::exists(&mmap).map_err(|e| folder(&e))? {
            let index = Index::open(mmap)?;
            if index.schema() != schema {
                return Err(IndexError::SchemaMismatch(dir.display().to_string()));
            }
            index
        } else {
            Index::create(mmap, schema, tantivy::IndexSettings::default())?
        };
        SearchIndex::with_index(index, fields, memory_mb, threads)
    }

    /// Delete the index files in `dir` and create an empty index there.
    /// Refuses if the folder holds anything that is not an index file, so
    /// a mistyped `store.index_dir` never costs a user their files.
    pub fn recreate(dir: &Path, memory_mb: usize, threads: usize) -> Result<SearchIndex, IndexError> {
        let folder = |path: &Path, reason: String| IndexError::Folder { path: path.display().to_string(), reason };
        if dir.exists() {
            let mut doomed = Vec::new();
            for entry in std::fs::read_dir(dir).map_err(|e| folder(dir, e.to_string()))? {
                let path = entry.map_err(|e| folder(dir, e.to_string()))?.path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name == "README.md" {
                    continue;
                }
                if !path.is_file() || !is_index_file(name) {
                    return Err(folder(
                        dir,
                        format!("it holds `{name}`, which is not an index file; refusing to delete it"),
                    ));
                }
                doomed.push(path);
            }
            for path in doomed {
                std::fs::remove_file(&path).map_err(|e| folder(&path, e.to_string()))?;
            }
        }
        SearchIndex::open(dir, memory_mb, threads)
    }

    /// An index in memory, for tests.
    pub fn open_in_ram() -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema();
        SearchIndex::with_index(Index::create_in_ram(schema), fields, 15, 1)
    }

    fn with_index(index: Index, fields: Fields, memory_mb: usize, threads: usize) -> Result<SearchIndex, IndexError> {
        index.tokenizers().register(TOKENIZER, stem::english());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let shown = std::sync::atomic::AtomicU64::new(generation(&index.load_metas()?));
        Ok(SearchIndex {
            index,
            reader,
            writer: None,
            shown,
            fields,
            memory_bytes: memory_mb << 20,
            threads,
            lock_wait: DEFAULT_LOCK_WAIT,
        })
    }

    /// How long a write waits for another process's writer lock before
    /// giving up with [`IndexError::Busy`].
    pub fn with_lock_wait(mut self, wait: std::time::Duration) -> SearchIndex {
        self.lock_wait = wait;
        self
    }

    /// The store sequence number this index is complete up to, as last
    /// committed by any process.
    pub fn indexed_seq(&self) -> Result<i64, IndexError> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.as_deref().and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// Take the writer lock for a write (until [`SearchIndex::commit`] or
    /// [`SearchIndex::release`]). Another process holding it is waited for,
    /// polling with a growing pause, up to the lock wait.
    pub fn begin_write(&mut self) -> Result<(), IndexError> {
        if self.writer.is_some() {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(10);
        loop {
            match self.index.writer_with_num_threads(self.threads, self.memory_bytes) {
                Ok(w) => {
                    self.writer = Some(w);
                    return Ok(());
                }
                Err(tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _)) => {
                    if started.elapsed() >= self.lock_wait {
                        return Err(IndexError::Busy(self.lock_wait.as_secs()));
                    }
                    tracing::debug!(waited_ms = started.elapsed().as_millis() as u64, "index writer busy; waiting");
                    std::thread::sleep(pause.min(self.lock_wait.saturating_sub(started.elapsed())));
                    pause = (pause * 2).min(std::time::Duration::from_millis(500));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Drop the writer and what it holds uncommitted, releasing the lock.
    pub fn release(&mut self) {
        if let Some(mut w) = self.writer.take() {
            let _ = w.rollback();
        }
    }

    fn writer(&mut self) -> Result<&mut IndexWriter, IndexError> {
        self.begin_write()?;
        Ok(self.writer.as_mut().expect("the writer was just taken"))
    }

    /// A searcher over the latest commit of any process: the reader is
    /// reloaded when the index's last commit is not the one it shows.
    fn searcher(&self) -> Result<tantivy::Searcher, IndexError> {
        use std::sync::atomic::Ordering;
        let latest = generation(&self.index.load_metas()?);
        if self.shown.load(Ordering::Acquire) != latest {
            self.reader.reload()?;
            self.shown.store(latest, Ordering::Release);
        }
        Ok(self.reader.searcher())
    }

    /// Add or replace a document (not visible until [`SearchIndex::commit`]).
    pub fn upsert<'s>(
        &mut self,
        doc: IndexDoc<'_>,
        statements: impl IntoIterator<Item = &'s Statement>,
    ) -> Result<(), IndexError> {
        let f = self.fields;
        let mut body = String::with_capacity(doc.paragraphs.iter().map(|p| p.text.len() + 1).sum());
        for p in doc.paragraphs {
            body.push_str(&p.text);
            body.push('\n');
        }
        let mut d = TantivyDocument::default();
        d.add_u64(f.doc_id, doc.id.0 as u64);
        d.add_text(f.title, doc.title);
        d.add_text(f.body, &body);
        d.add_date(f.published, tantivy::DateTime::from_timestamp_secs(doc.date.timestamp()));
        d.add_u64(f.scope, doc.scope.as_u64());
        // What the document's statements are, for /who-said to find candidates;
        // the statements themselves are filtered from the store.
        for st in statements {
            d.add_text(f.stance, st.stance.as_str());
            d.add_text(f.speaker_key, &st.speaker_key);
            d.add_text(f.speaker, format!("{} {}", st.speaker, st.affiliation.as_deref().unwrap_or("")));
        }
        let w = self.writer()?;
        w.delete_term(Term::from_field_u64(f.doc_id, doc.id.0 as u64));
        w.add_document(d)?;
        Ok(())
    }

    /// Remove every document (not visible until committed).
    pub fn clear(&mut self) -> Result<(), IndexError> {
        self.writer()?.delete_all_documents()?;
        Ok(())
    }

    /// Make all changes durable and visible, recording that the index is
    /// complete up to store sequence `seq`.
    /// Then the writer lock is released (after the merges the commit
    /// started), so another process can write.
    pub fn commit(&mut self, seq: i64) -> Result<(), IndexError> {
        let w = self.writer()?;
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&seq.to_string());
        prepared.commit()?;
        if let Some(w) = self.writer.take() {
            w.wait_merging_threads()?;
        }
        self.searcher()?;
        Ok(())
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.searcher().map_or_else(|_| self.reader.searcher().num_docs(), |s| s.num_docs())
    }

    /// Parse a query in Tantivy's language over title and body.
    /// Terms are required unless joined with OR.
    pub fn parse(&self, text: &str) -> Result<Box<dyn Query>, QueryError> {
        let mut parser = QueryParser::for_index(&self.index, vec![self.fields.title, self.fields.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(self.fields.title, 2.0);
        parser.parse_query(&fold_and_not(text)).map_err(|e| QueryError(explain(&e)))
    }

    /// Documents matching `query` that `viewer` may see, best first.
    pub fn search(
        &self,
        query: &dyn Query,
        viewer: Viewer,
        offset: usize,
        limit: usize,
    ) -> Result<HitPage, IndexError> {
        let q = BooleanQuery::new(vec![(Occur::Must, query.box_clone()), (Occur::Must, self.filter(viewer))]);
        let searcher = self.searcher()?;
        // Relevance first; among equals (a date range, a filter alone scores
        // every article the same), the newest first.
        let ranked = TopDocs::with_limit(limit.max(1)).and_offset(offset).tweak_score(|segment: &SegmentReader| {
            let dates = segment.fast_fields().date("published").ok();
            move |doc: tantivy::DocId, score: Score| {
                let date = dates.as_ref().and_then(|c| c.first(doc)).map_or(i64::MIN, |d| d.into_timestamp_secs());
                (score, date)
            }
        });
        let (top, total) = searcher.search(&q, &(ranked, Count))?;
        let mut hits = Vec::with_capacity(top.len());
        for ((score, _), addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = d.get_first(self.fields.doc_id).and_then(|v| v.as_u64()) {
                hits.push(Hit { doc: DocId(id as i64), score });
            }
        }
        Ok(HitPage { total, hits })
    }

    /// What a reader may see, as a filter that does not score.
    fn filter(&self, viewer: Viewer) -> Box<dyn Query> {
        let scopes =
            TermSetQuery::new(viewer.scopes().into_iter().map(|s| Term::from_field_u64(self.fields.scope, s.as_u64())));
        Box::new(ConstScoreQuery::new(Box::new(scopes), 0.0))
    }

    /// Documents that `viewer` may see holding a statement that may match
    /// every given condition, newest first, at most `limit`. The stance and
    /// speaker are fields of the document's entry; the exact statements are
    /// then filtered from the store by the caller.
    pub fn statement_documents(
        &self,
        q: &StatementQuery,
        viewer: Viewer,
        limit: usize,
    ) -> Result<Vec<DocId>, StatementSearchError> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.filter(viewer))];
        if let Some(stance) = q.stance {
            let t = Term::from_field_text(f.stance, stance.as_str());
            clauses.push((Occur::Must, Box::new(TermQuery::new(t, IndexRecordOption::Basic))));
        }
        if let Some(topic) = q.topic.as_deref().filter(|t| !t.trim().is_empty()) {
            let mut parser = QueryParser::for_index(&self.index, vec![f.body, f.speaker]);
            parser.set_conjunction_by_default();
            let parsed = parser
                .parse_query(&fold_and_not(topic))
                .map_err(|e| StatementSearchError::Query(QueryError(explain(&e))))?;
            clauses.push((Occur::Must, parsed));
        }
        if let Some(speaker) = q.speaker.as_deref() {
            let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for token in self.terms(speaker) {
                let t = Term::from_field_text(f.speaker, &token);
                words.push((Occur::Must, Box::new(TermQuery::new(t, IndexRecordOption::Basic))));
            }
            if words.is_empty() {
                return Ok(Vec::new());
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(words))));
        }
        if let Some(docs) = &q.docs {
            let terms = docs.iter().map(|d| Term::from_field_u64(f.doc_id, d.0 as u64));
            clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.searcher()?;
        let collector = TopDocs::with_limit(limit.max(1))
            .order_by_fast_field::<tantivy::DateTime>("published", tantivy::Order::Desc);
        let top = searcher.search(&query, &collector).map_err(IndexError::from)?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr).map_err(IndexError::from)?;
            if let Some(id) = d.get_first(f.doc_id).and_then(|v| v.as_u64()) {
                ids.push(DocId(id as i64));
            }
        }
        Ok(ids)
    }

    /// The analyzer's terms of a text (lower-cased, stemmed).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// The analyzer used for title and body: lower-cased, stemmed English.
    /// Answers use it to compare sentences with a query.
    pub fn analyzer(&self) -> TextAnalyzer {
        self.index.tokenizers().get(TOKENIZER).expect("registered when the index is opened")
    }
}

/// Files Tantivy writes in an index folder: its metadata, locks, and
/// segment components named by a 32-hex-digit segment id.
fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json") || (name.starts_with(".tantivy-") && name.ends_with(".lock")) {
        return true;
    }
    let Some((stem, _ext)) = name.split_once('.') else {
        return false;
    };
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Tantivy reads `a AND NOT b` as "a, and a clause that only excludes",
/// which matches nothing; `a NOT b` means what the user meant. Quoted
/// phrases are left alone.
fn fold_and_not(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let words: Vec<&str> = part.split(' ').collect();
        let mut k = 0;
        while k < words.len() {
            if words[k] == "AND" && words.get(k + 1) == Some(&"NOT") {
                k += 1;
                continue;
            }
            if k > 0 {
                out.push(' ');
            }
            out.push_str(words[k]);
            k += 1;
        }
    }
    out
}

/// Turn a parser error into one line a user can act on.
fn explain(e: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match e {
        E::SyntaxError(_) => "the query has a syntax error: check quotes, brackets and AND/OR/NOT".into(),
        E::FieldDoesNotExist(f) => format!("there is no field `{f}`: use title:, body: or published:"),
        E::AllButQueryForbidden => "a query cannot only exclude: add a term to look for".into(),
        E::ExpectedInt(_) | E::ExpectedFloat(_) | E::ExpectedBool(_) | E::ExpectedBase64(_) => {
            "a field was given a value of the wrong kind".into()
        }
        E::DateFormatError(_) => {
            "dates are written like 2024-10-05T00:00:00Z, for example published:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z]".into()
        }
        E::FieldNotIndexed(f) => format!("the field `{f}` cannot be searched"),
        other => format!("the query could not be understood ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Paragraph, Scope};
    use chrono::{DateTime, Utc};

    fn doc(id: i64, title: &str, text: &str, scope: Scope, ts: i64) -> Document {
        Document {
            id: DocId(id),
            title: title.into(),
            source: "x".into(),
            byline: None,
            published: DateTime::<Utc>::from_timestamp(ts, 0),
            ingested_at: DateTime::<Utc>::from_timestamp(ts, 0).unwrap(),
            scope,
            paragraphs: vec![Paragraph { text: text.into(), heading: false, sentences: vec![] }],
        }
    }

    impl SearchIndex {
        fn upsert_doc(&mut self, d: &Document) -> Result<(), IndexError> {
            self.upsert(d.into(), &[])
        }
    }

    fn ids(p: &HitPage) -> Vec<i64> {
        let mut v: Vec<i64> = p.hits.iter().map(|h| h.doc.0).collect();
        v.sort();
        v
    }

    fn fixture() -> SearchIndex {
        let mut ix = SearchIndex::open_in_ram().unwrap();
        ix.upsert_doc(&doc(
            1,
            "Telecom carriers breached",
            "Hackers reached wiretap systems at carriers.",
            Scope::Global,
            1_700_000_000,
        ))
        .unwrap();
        ix.upsert_doc(&doc(
            2,
            "Pipeline ransomware",
            "A ransomware crew hit a fuel pipeline operator.",
            Scope::Global,
            1_600_000_000,
        ))
        .unwrap();
        ix.upsert_doc(&doc(
            3,
            "Guild note on carriers",
            "Our own notes about the carriers breach.",
            Scope::Guild(7),
            1_710_000_000,
        ))
        .unwrap();
        ix.commit(3).unwrap();
        ix
    }

    #[test]
    fn stemmed_search_respects_scope() {
        let ix = fixture();
        let q = ix.parse("carrier breaches").unwrap();
        assert_eq!(ids(&ix.search(&*q, Viewer::Public, 0, 10).unwrap()), vec![1]);
        assert_eq!(ids(&ix.search(&*q, Viewer::Guild(7), 0, 10).unwrap()), vec![1, 3]);
        assert_eq!(ids(&ix.search(&*q, Viewer::Guild(8), 0, 10).unwrap()), vec![1]);
    }

    #[test]
    fn query_language_and_dates() {
        let ix = fixture();
        let run = |q: &str| ids(&ix.search(&*ix.parse(q).unwrap(), Viewer::Public, 0, 10).unwrap());
        assert_eq!(run("wiretap OR pipeline"), vec![1, 2]);
        assert_eq!(run("ransomware -telecom"), vec![2]);
        assert_eq!(run("ransomware AND NOT telecom"), vec![2], "AND NOT");
        assert_eq!(run("ransomware NOT telecom"), vec![2], "NOT");
        assert_eq!(run("title:pipeline"), vec![2]);
        assert_eq!(run("\"fuel pipeline\""), vec![2]);
        assert_eq!(run("published:[2023-01-01T00:00:00Z TO 2024-12-31T00:00:00Z]"), vec![1]);
    }

    #[test]
    fn equal_scores_come_newest_first_across_pages() {
        let mut ix = SearchIndex::open_in_ram().unwrap();
        // Stored out of date order; a date range scores them all the same.
        for (id, ts) in [(1, 1_600_000_000), (2, 1_720_000_000), (3, 1_650_000_000), (4, 1_700_000_000)] {
            ix.upsert_doc(&doc(id, "Report", "A report.", Scope::Global, ts)).unwrap();
        }
        ix.commit(4).unwrap();
        let q = ix.parse("published:[2020-01-01T00:00:00Z TO 2025-01-01T00:00:00Z]").unwrap();
        let page = |offset| -> Vec<i64> {
            ix.search(&*q, Viewer::Public, offset, 2).unwrap().hits.iter().map(|h| h.doc.0).collect()
        };
        assert_eq!([page(0), page(2)].concat(), vec![2, 4, 3, 1]);
    }

    #[test]
    fn bad_queries_get_one_line_explanations() {
        let ix = fixture();
        for q in ["\"unclosed", "nosuchfield:x", "published:[yesterday TO today]"] {
            let err = ix.parse(q).err().unwrap_or_else(|| panic!("{q} parsed"));
            assert!(!err.0.contains('\n') && !err.0.is_empty(), "{q}: {err}");
        }
        assert!(ix.parse("nosuchfield:x").unwrap_err().0.contains("nosuchfield"));
    }

    #[test]
    fn upsert_replaces_and_payload_records_seq() {
        let mut ix = fixture();
        assert_eq!(ix.indexed_seq().unwrap(), 3);
        ix.upsert_doc(&doc(
            2,
            "Pipeline ransomware",
            "Rewritten body about a gas operator.",
            Scope::Global,
            1_600_000_000,
        ))
        .unwrap();
        ix.commit(4).unwrap();
        assert_eq!(ix.num_docs(), 3);
        assert_eq!(ix.indexed_seq().unwrap(), 4);
        let q = ix.parse("fuel").unwrap();
        assert_eq!(ix.search(&*q, Viewer::Public, 0, 10).unwrap().total, 0);
    }

    #[test]
    fn recreate_refuses_a_folder_with_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thesis.docx"), b"precious").unwrap();
        let err = SearchIndex::recreate(dir.path(), 15, 1).err().unwrap();
        assert!(err.to_string().contains("thesis.docx"), "{err}");
        assert!(dir.path().join("thesis.docx").exists());

        let ix_dir = dir.path().join("ix");
        let mut ix = SearchIndex::open(&ix_dir, 15, 1).unwrap();
        ix.upsert_doc(&doc(1, "t", "some words here", Scope::Global, 1_700_000_000)).unwrap();
        ix.commit(1).unwrap();
        drop(ix);
        let ix = SearchIndex::recreate(&ix_dir, 15, 1).unwrap();
        assert_eq!(ix.num_docs(), 0);
        assert_eq!(ix.indexed_seq().unwrap(), 0);
    }

    #[test]
    fn paging_counts_all_matches() {
        let ix = fixture();
        let q = ix.parse("carriers OR pipeline").unwrap();
        let p = ix.search(&*q, Viewer::Guild(7), 1, 1).unwrap();
        assert_eq!(p.total, 3);
        assert_eq!(p.hits.len(), 1);
    }
}
