//! The engine: the store and the index kept in step.
//!
//! Architecture invariant: the store is written first and is the system of
//! record; the index is derived. Each index commit records the store
//! sequence number it is complete up to, so [`Engine::catch_up`] (run on
//! every open) re-indexes exactly what a crash between the two writes left
//! out. Re-indexing a document replaces it, so catching up twice is harmless.
//! Several processes may share the store and index: each takes the index
//! writer only for a write (see [`Engine::catch_up`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::clean::fold;
use crate::config::Settings;
use crate::extract::facts::{IncidentFacts, Knowledge};
use crate::extract::{Statement, extract_statements_parsed};
use crate::incidents::Incident;
use crate::index::{IndexError, SearchIndex};
use crate::ingest::Loaded;
use crate::kb::{KbError, KnowledgeBase};
use crate::model::is_http_url;
use crate::model::{DocId, Document, Scope, Viewer};
use crate::store::{Put, PutOutcome, Store, StoreError};

/// What extraction yields for one document.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub statements: Vec<Statement>,
    pub facts: IncidentFacts,
}

/// Extract the statements and incident facts of a document; its web
/// address, if any, names the outlet; its publication date anchors
/// relative dates.
pub fn extract(
    title: &str,
    paragraphs: &[crate::model::Paragraph],
    source: &str,
    published: Option<DateTime<Utc>>,
    knowledge: &Knowledge,
) -> Extracted {
    // Extraction reads untrusted text: a bug it trips on must cost this
    // document its extraction, never the process (the document is kept).
    let run = std::panic::AssertUnwindSafe(|| extract_unguarded(title, paragraphs, source, published, knowledge));
    std::panic::catch_unwind(run).unwrap_or_else(|_| {
        tracing::error!(source, "extraction failed on this document; it is stored without statements or facts");
        Extracted::default()
    })
}

/// [`extract`] without its guard: a panic propagates. For the fuzzers,
/// which must see every panic.
pub fn extract_unguarded(
    title: &str,
    paragraphs: &[crate::model::Paragraph],
    source: &str,
    published: Option<DateTime<Utc>>,
    knowledge: &Knowledge,
) -> Extracted {
    // One parse of the document serves both stages.
    let doc = crate::nlp::DocumentParse::new(crate::nlp::Nlp::bundled(), paragraphs);
    let facts = knowledge.facts_parsed(title, &doc, paragraphs, published.map(|d| d.date_naive()));
    // The victims tell whose incident a statement confirms.
    let statements = extract_statements_parsed(&doc, paragraphs, is_http_url(source).then_some(source), &facts.victims);
    Extracted { statements, facts }
}

/// A document cleaned and extracted, ready to store. Made without the
/// engine (so without holding its lock): storing it is all that is left.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub loaded: Loaded,
    pub extracted: Extracted,
}

/// Extract a loaded document's statements and facts.
pub fn prepare(loaded: Loaded, knowledge: &Knowledge) -> Prepared {
    let d = &loaded.doc;
    let extracted = extract(&d.title, &d.paragraphs, &d.source, d.published, knowledge);
    Prepared { loaded, extracted }
}

/// [`prepare`] for a batch, on every core the machine has; in batch order.
pub fn prepare_all(batch: &[Loaded], knowledge: &Knowledge) -> Vec<Prepared> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(batch.len()).max(1);
    if threads == 1 {
        return batch.iter().map(|l| prepare(l.clone(), knowledge)).collect();
    }
    let chunk = batch.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = batch
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|l| prepare(l.clone(), knowledge)).collect::<Vec<_>>()))
            .collect();
        // Extraction catches its own panics, so a worker only fails if the
        // process is failing anyway.
        workers.into_iter().flat_map(|w| w.join().expect("extraction worker")).collect()
    })
}

/// Errors of the engine: one of its two halves failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Knowledge(#[from] KbError),
    /// The digest's picture could not be drawn.
    #[error("digest: {0}")]
    Digest(String),
}

/// Store and index together.
pub struct Engine {
    store: Store,
    index: SearchIndex,
    knowledge: Arc<Knowledge>,
    /// Incidents grouped for a set of scopes, valid while the store's
    /// sequence number is unchanged (grouping reads every actor's facts).
    incidents: Mutex<CachedIncidents>,
}

/// Incidents per (scopes, actor), valid for one store sequence number.
#[derive(Default)]
struct CachedIncidents {
    seq: i64,
    by_actor: HashMap<(Vec<Scope>, String), Arc<Vec<Incident>>>,
    /// The most recently reported actors per set of scopes.
    recent: HashMap<Vec<Scope>, Arc<Vec<String>>>,
}

/// Recently reported actors kept in the cache.
const RECENT_ACTORS: usize = 100;

/// Documents of one actor read to group its incidents, newest first (under
/// three months of daily reporting): bounds
/// the cost of a summary for an actor with thousands of articles (its older
/// incidents are then not grouped; search still finds their articles).
const ACTOR_DOCUMENTS: usize = 80;

impl Engine {
    /// Open the store and index named in the settings and catch the index up.
    /// An index of another schema, or one that cannot be read, is rebuilt
    /// from the store.
    pub fn open(settings: &Settings) -> Result<Engine, EngineError> {
        let k = &settings.knowledge;
        let curated = (!k.actors.as_os_str().is_empty()).then_some(k.actors.as_path());
        let knowledge = Arc::new(Knowledge::new(KnowledgeBase::load(curated, &k.attack, &k.misp)?));
        tracing::info!(actors = knowledge.kb.actors().len(), "knowledge base loaded");
        Engine::open_with(settings, knowledge)
    }

    /// [`Engine::open`] with a knowledge base already loaded.
    pub fn open_with(settings: &Settings, knowledge: Arc<Knowledge>) -> Result<Engine, EngineError> {
        let mut store = Store::open(&settings.store_path())?;
        // A fresh store has nothing to extract again, so nothing to announce.
        if store.set_kb_fingerprint(knowledge.kb.fingerprint() as i64)? && store.count()? > 0 {
            tracing::info!("the knowledge base changed: documents will be extracted again");
        }
        let (dir, mb, threads) =
            (&settings.store.index_dir, settings.index.writer_memory_mb, settings.index.writer_threads);
        let (index, rebuild) = match SearchIndex::open(dir, mb, threads) {
            Ok(ix) => (ix, false),
            Err(e @ (IndexError::SchemaMismatch(_) | IndexError::Tantivy(_))) => {
                tracing::warn!(error = %e, dir = %dir.display(), "rebuilding the search index from the store");
                (SearchIndex::recreate(dir, mb, threads)?, true)
            }
            Err(e) => return Err(e.into()),
        };
        let index = index.with_lock_wait(std::time::Duration::from_secs(settings.index.lock_wait_seconds as u64));
        let mut engine = Engine { store, index, knowledge, incidents: Mutex::default() };
        let extracted = engine.re_extract()?;
        if extracted > 0 {
            tracing::info!(documents = extracted, "extracted statements again with the current extractor");
        }
        let caught_up = if rebuild { engine.reindex() } else { engine.catch_up() };
        match caught_up {
            Ok(0) => {}
            Ok(n) => tracing::info!(documents = n, "search index caught up with the store"),
            // Another process is writing; its commit takes in whatever the
            // store holds, ours included.
            Err(EngineError::Index(e @ IndexError::Busy(_))) => {
                tracing::info!(error = %e, "search index not caught up now; the writing process will")
            }
            Err(e) => return Err(e),
        }
        Ok(engine)
    }

    /// An engine in memory, for tests.
    pub fn in_memory() -> Result<Engine, EngineError> {
        Engine::in_memory_with(Arc::new(Knowledge::bundled()))
    }

    /// An engine in memory with the given knowledge, for tests.
    pub fn in_memory_with(knowledge: Arc<Knowledge>) -> Result<Engine, EngineError> {
        let mut store = Store::open_in_memory()?;
        store.set_kb_fingerprint(knowledge.kb.fingerprint() as i64)?;
        Ok(Engine { store, index: SearchIndex::open_in_ram()?, knowledge, incidents: Mutex::default() })
    }

    /// The incidents of one actor (any of its names) that `viewer` may see,
    /// newest first. Cached until the store changes.
    pub fn incidents_of(&self, viewer: Viewer, actor: &str) -> Result<Arc<Vec<Incident>>, EngineError> {
        let kb = &self.knowledge.kb;
        let key = fold(&kb.resolve(actor).map(|id| kb.actor(id).name.clone()).unwrap_or_else(|| actor.to_string()));
        let seq = self.store.max_seq()?;
        let cache_key = (viewer.scopes(), key);
        if let Some(hit) = self.cache_at(seq).by_actor.get(&cache_key) {
            return Ok(hit.clone());
        }
        let docs = self.store.documents_of_actor(&cache_key.0, &cache_key.1, ACTOR_DOCUMENTS)?;
        let incidents = Arc::new(crate::incidents::group(docs, Some(&cache_key.1)));
        self.cache_at(seq).by_actor.insert(cache_key, incidents.clone());
        Ok(incidents)
    }

    /// Actors (folded names) `viewer` may see, most recently reported first,
    /// with names starting with `prefix`.
    pub fn actor_keys(&self, viewer: Viewer, prefix: &str, limit: usize) -> Result<Vec<String>, EngineError> {
        let scopes = viewer.scopes();
        if !prefix.is_empty() || limit > RECENT_ACTORS {
            return Ok(self.store.actor_keys(&scopes, prefix, limit)?);
        }
        // Every summary asks for the unprefixed list: cache it per store state.
        let seq = self.store.max_seq()?;
        if let Some(hit) = self.cache_at(seq).recent.get(&scopes) {
            return Ok(hit.iter().take(limit).cloned().collect());
        }
        let keys = Arc::new(self.store.actor_keys(&scopes, "", RECENT_ACTORS)?);
        self.cache_at(seq).recent.insert(scopes, keys.clone());
        Ok(keys.iter().take(limit).cloned().collect())
    }

    /// The incident cache for store sequence `seq`, emptied first when the
    /// store has moved past the one it was filled at.
    fn cache_at(&self, seq: i64) -> std::sync::MutexGuard<'_, CachedIncidents> {
        let mut cache = self.incidents.lock().unwrap_or_else(|p| p.into_inner());
        if cache.seq != seq {
            *cache = CachedIncidents { seq, ..CachedIncidents::default() };
        }
        cache
    }

    /// The most recent incident `viewer` may see.
    pub fn latest_incident(&self, viewer: Viewer) -> Result<Option<Incident>, EngineError> {
        let Some(key) = self.actor_keys(viewer, "", 1)?.into_iter().next() else { return Ok(None) };
        Ok(self.incidents_of(viewer, &key)?.first().cloned())
    }

    /// The actor knowledge base and recogniser.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// The knowledge, shared: for extracting outside the engine's lock.
    pub fn knowledge_handle(&self) -> Arc<Knowledge> {
        self.knowledge.clone()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Record a feed's polling state (feed tables only: nothing indexed changes).
    pub fn set_feed_state(&mut self, url: &str, state: &crate::store::FeedState) -> Result<(), EngineError> {
        Ok(self.store.set_feed_state(url, state)?)
    }

    /// Remember a feed item's keys (feed tables only: nothing indexed changes).
    pub fn remember_feed_item(
        &mut self,
        scope: Scope,
        keys: &[String],
        doc: Option<DocId>,
        now: DateTime<Utc>,
    ) -> Result<(), EngineError> {
        Ok(self.store.remember_feed_item(scope, keys, doc, now)?)
    }

    /// Record the intent to post a digest (ledger only: nothing indexed changes).
    pub fn record_digest_intent(&mut self, entry: &crate::store::LedgerEntry) -> Result<(), EngineError> {
        Ok(self.store.digest_intent(entry)?)
    }

    /// Record how a digest ended (ledger only).
    pub fn record_digest_done(
        &mut self,
        channel: u64,
        slot: &str,
        state: crate::store::DigestState,
        message_id: Option<u64>,
    ) -> Result<(), EngineError> {
        Ok(self.store.digest_done(channel, slot, state, message_id)?)
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Index every document the store wrote after the index's last commit,
    /// by any process, and commit. Returns how many were indexed.
    ///
    /// The writer lock is taken first, and the index's last commit read
    /// under it: several processes sharing the store and index each index
    /// whatever is missing, so a document stored by one process and left
    /// unindexed (it crashed, or its lock wait ran out) is indexed by the
    /// next write of any process.
    pub fn catch_up(&mut self) -> Result<usize, EngineError> {
        if self.store.max_seq()? <= self.index.indexed_seq()? {
            return Ok(0);
        }
        self.index.begin_write()?;
        let from = self.index.indexed_seq()?;
        // Another process may have indexed it all while we waited.
        if self.store.max_seq()? <= from {
            self.index.release();
            return Ok(0);
        }
        let indexed = self.index_since(from);
        if indexed.is_err() {
            self.index.release();
        }
        indexed
    }

    /// With the writer taken: index every document stored after `from`,
    /// commit (whatever else the writer holds, such as a reindex's clear),
    /// release the writer.
    fn index_since(&mut self, from: i64) -> Result<usize, EngineError> {
        let mut to = self.store.max_seq()?.max(from);
        let mut n = 0;
        let index = &mut self.index;
        let store = &self.store;
        store.for_each_since(from, |doc, seq| -> Result<(), EngineError> {
            let statements = store.statements_of(doc.id)?;
            index.upsert((&doc).into(), statements.iter().map(|s| &s.statement))?;
            to = to.max(seq);
            n += 1;
            Ok(())
        })?;
        self.index.commit(to)?;
        Ok(n)
    }

    /// Extract again every document extracted by an older extractor (or
    /// stored before extraction existed), from its stored paragraphs.
    /// Returns how many documents were extracted.
    pub fn re_extract(&mut self) -> Result<usize, EngineError> {
        let ids = self.store.needing_extraction()?;
        for &id in &ids {
            if let Some(doc) = self.store.document(id)? {
                let x = extract(&doc.title, &doc.paragraphs, &doc.source, doc.published, &self.knowledge);
                let fingerprint = crate::incidents::fingerprint(&doc.paragraphs);
                self.store.replace_extraction(id, &x.statements, &x.facts, fingerprint)?;
            }
        }
        Ok(ids.len())
    }

    /// Rebuild the index's contents from the store, in one commit: searches
    /// see the old contents until the new ones are complete.
    pub fn reindex(&mut self) -> Result<usize, EngineError> {
        self.index.begin_write()?;
        let rebuilt = self.index.clear().map_err(EngineError::from).and_then(|()| self.index_since(0));
        if rebuilt.is_err() {
            self.index.release();
        }
        rebuilt
    }

    /// Store documents (one transaction), then add the changed ones to the
    /// index writer. Call [`Engine::commit`] to make them searchable; a
    /// crash before that loses nothing, since the store has them.
    pub fn ingest(&mut self, batch: &[Loaded], now: DateTime<Utc>) -> Result<Vec<PutOutcome>, EngineError> {
        let prepared = prepare_all(batch, &self.knowledge);
        self.store_prepared(&prepared, now)
    }

    /// [`Engine::ingest`] for documents already extracted ([`prepare`]):
    /// the only part of ingest that needs the engine.
    pub fn store_prepared(&mut self, batch: &[Prepared], now: DateTime<Utc>) -> Result<Vec<PutOutcome>, EngineError> {
        let puts: Vec<Put<'_>> = batch
            .iter()
            .map(|p| Put {
                doc: &p.loaded.doc,
                canonical: p.loaded.canonical.clone(),
                statements: &p.extracted.statements,
                facts: &p.extracted.facts,
            })
            .collect();
        Ok(self.store.put_all(&puts, now)?)
    }

    /// Make what the store holds searchable: index what any process stored
    /// since the index's last commit, and commit.
    pub fn commit(&mut self) -> Result<(), EngineError> {
        self.catch_up().map(|_| ())
    }

    /// Store, index and commit in one call.
    pub fn ingest_and_commit(&mut self, batch: &[Loaded], now: DateTime<Utc>) -> Result<Vec<PutOutcome>, EngineError> {
        let out = self.ingest(batch, now)?;
        self.commit()?;
        Ok(out)
    }

    /// Load documents from the store.
    pub fn documents(&self, ids: &[DocId]) -> Result<Vec<Document>, EngineError> {
        Ok(self.store.documents(ids)?)
    }

    /// Near-duplicate copies of one story among `ids`, grouped in order.
    pub fn copies_of_one_story(&self, ids: &[DocId]) -> Result<Vec<Vec<DocId>>, EngineError> {
        Ok(self.store.copies_of_one_story(ids)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::from_text;
    use crate::model::{Scope, Viewer};

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    /// Settings whose store and index live in `dir`.
    fn settings_in(dir: &std::path::Path) -> Settings {
        let mut settings = Settings::load(&crate::config::Sources::default()).unwrap();
        settings.store.data_dir = dir.join("data");
        settings.store.index_dir = dir.join("index");
        settings
    }

    fn story(n: usize) -> Loaded {
        from_text(&format!("Story {n} says crew number {n} breached utility {n} in spring."), None, None, Scope::Global)
            .unwrap()
    }

    #[test]
    fn catch_up_indexes_what_the_store_has_beyond_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let settings = settings_in(dir.path());
        {
            let mut e = Engine::open(&settings).unwrap();
            e.ingest_and_commit(&[story(1)], now()).unwrap();
            // Stored but never committed to the index: as if killed here.
            e.ingest(&[story(2), story(3)], now()).unwrap();
        }
        let e = Engine::open(&settings).unwrap();
        assert_eq!(e.store().count().unwrap(), 3);
        assert_eq!(e.index().num_docs(), 3);
        assert_eq!(e.index().indexed_seq().unwrap(), 3);
        let q = e.index().parse("utility").unwrap();
        assert_eq!(e.index().search(&*q, Viewer::Public, 0, 10).unwrap().total, 3);
    }

    #[test]
    fn two_engines_on_one_folder_see_each_others_writes_and_a_held_lock_is_busy_not_damage() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = settings_in(dir.path());
        let mut a = Engine::open(&settings).unwrap();
        settings.index.lock_wait_seconds = 0;
        let mut b = Engine::open(&settings).unwrap();
        let hits = |e: &Engine, word: &str| {
            let q = e.index().parse(word).unwrap();
            e.index().search(&*q, Viewer::Public, 0, 10).unwrap().total
        };
        a.ingest_and_commit(&[story(1)], now()).unwrap();
        assert_eq!(hits(&b, "utility"), 1, "b sees a's commit");
        b.ingest_and_commit(&[story(2)], now()).unwrap();
        assert_eq!(hits(&a, "utility"), 2, "a sees b's commit: each released the writer");

        // While a holds the writer, b's write is stored and reported busy.
        a.index.begin_write().unwrap();
        let err = b.ingest_and_commit(&[story(3)], now()).unwrap_err();
        assert!(matches!(err, EngineError::Index(IndexError::Busy(0))), "{err:?}");
        assert!(err.to_string().contains("busy"), "{err}");
        assert_eq!(b.store().count().unwrap(), 3, "the document is kept");
        a.index.release();
        // The next commit of either process indexes what the other left out.
        a.commit().unwrap();
        assert_eq!(hits(&b, "utility"), 3);
        assert_eq!(b.reindex().unwrap(), 3);
        assert_eq!(hits(&a, "utility"), 3);
    }

    #[test]
    fn an_index_of_another_schema_is_rebuilt_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let settings = settings_in(dir.path());
        Engine::open(&settings).unwrap().ingest_and_commit(&[story(1), story(2)], now()).unwrap();
        // Replace the index with one of another schema.
        std::fs::remove_dir_all(&settings.store.index_dir).unwrap();
        std::fs::create_dir(&settings.store.index_dir).unwrap();
        let mut b = tantivy::schema::Schema::builder();
        b.add_text_field("other", tantivy::schema::TEXT);
        tantivy::Index::create_in_dir(&settings.store.index_dir, b.build()).unwrap();

        let e = Engine::open(&settings).unwrap();
        assert_eq!(e.index().num_docs(), 2);
    }

    #[test]
    fn reindex_over_an_empty_store_empties_the_index() {
        // The store was deleted to start over, the index folder kept.
        let dir = tempfile::tempdir().unwrap();
        let settings = settings_in(dir.path());
        Engine::open(&settings).unwrap().ingest_and_commit(&[story(1), story(2)], now()).unwrap();
        std::fs::remove_dir_all(&settings.store.data_dir).unwrap();
        let mut e = Engine::open(&settings).unwrap();
        assert_eq!(e.reindex().unwrap(), 0);
        assert_eq!(e.index().num_docs(), 0, "the index holds only what the store has");
    }

    #[test]
    fn reindex_rebuilds_the_same_contents() {
        let mut e = Engine::in_memory().unwrap();
        e.ingest_and_commit(&[story(1), story(2)], now()).unwrap();
        assert_eq!(e.reindex().unwrap(), 2);
        assert_eq!(e.index().num_docs(), 2);
    }

    #[test]
    fn ingesting_twice_adds_nothing() {
        let mut e = Engine::in_memory().unwrap();
        e.ingest_and_commit(&[story(1)], now()).unwrap();
        let out = e.ingest_and_commit(&[story(1)], now()).unwrap();
        assert!(!out[0].changed());
        assert_eq!(e.index().num_docs(), 1);
        assert_eq!(e.store().count().unwrap(), 1);
    }

    #[test]
    fn a_near_copy_that_does_not_name_the_actor_joins_its_incident() {
        let body = "The operator of the Fabrikam Water plant said intruders reached the control network on Monday and \
                    changed pump settings before staff noticed. Engineers restored manual control within hours, and the \
                    company said no customer data was taken. The plant serves about forty thousand homes in the valley, \
                    and the regional regulator has asked for a full report on how the attackers got in.";
        let named = format!(
            "Title: Water plant breached\n\nVolt Typhoon hackers breached Fabrikam Water, officials said. {body}"
        );
        let copy =
            format!("Title: Plant intrusion\n\nA state-backed group breached the utility, officials said. {body}");
        let other = "Title: Bank outage\n\nThe Contoso Bank said its card payments failed for two hours on Tuesday because of a faulty update, not an attack. Engineers rolled the update back within the afternoon, and the bank said customers would not be charged twice for any payment made during the outage window.";
        for order in [[0, 1], [1, 0]] {
            let mut e = Engine::in_memory().unwrap();
            let texts = [named.as_str(), copy.as_str()];
            for k in order {
                e.ingest_and_commit(&[from_text(texts[k], None, None, Scope::Global).unwrap()], now()).unwrap();
            }
            e.ingest_and_commit(&[from_text(other, None, None, Scope::Global).unwrap()], now()).unwrap();
            let incidents = e.incidents_of(Viewer::Public, "Volt Typhoon").unwrap();
            assert_eq!(incidents.len(), 1);
            assert_eq!(incidents[0].docs.len(), 2, "order {order:?}: {:?}", incidents[0].docs);
            assert_eq!(incidents[0].actor, "Volt Typhoon");
        }
        // The same story edited is similar; different stories are not.
        let sigs: Vec<crate::incidents::Signature> = [named.as_str(), copy.as_str(), other]
            .iter()
            .map(|t| {
                crate::incidents::fingerprint(&from_text(t, None, None, Scope::Global).unwrap().doc.paragraphs).unwrap()
            })
            .collect();
        assert!(sigs[0].similarity(&sigs[1]) >= 0.75, "{}", sigs[0].similarity(&sigs[1]));
        assert!(sigs[0].similarity(&sigs[2]) < 0.2, "{}", sigs[0].similarity(&sigs[2]));
    }
}
