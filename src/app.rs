//! Glue used by the binary and the transports: open the engine from the
//! settings, ingest paths in batches with a report of what was skipped.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::config::Settings;
use crate::engine::{Engine, EngineError};
use crate::extract::facts::{IncidentFacts, Knowledge};
use crate::ingest::{self, IngestError, Loaded};
use crate::kb::{KbError, KnowledgeBase};
use crate::model::Scope;
use crate::store::PutOutcome;

/// Files stored per transaction.
const BATCH: usize = 256;

/// Open the store and index named in the settings.
pub fn open_engine(settings: &Settings) -> Result<Engine, EngineError> {
    Engine::open(settings)
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub added: usize,
    pub updated: usize,
    pub duplicates: usize,
    /// Inputs that were not taken in, each naming the input and the reason.
    pub skipped: Vec<IngestError>,
    /// Inputs taken in with something to know (read as Windows-1252).
    pub notes: Vec<String>,
}

impl IngestReport {
    pub fn record(&mut self, outcomes: &[PutOutcome]) {
        for o in outcomes {
            match o {
                PutOutcome::Added(_) => self.added += 1,
                PutOutcome::Updated(_) => self.updated += 1,
                PutOutcome::Duplicate(_) => self.duplicates += 1,
            }
        }
    }

    /// Add another report's counts and skips to this one.
    pub fn merge(&mut self, other: IngestReport) {
        self.added += other.added;
        self.updated += other.updated;
        self.duplicates += other.duplicates;
        self.skipped.extend(other.skipped);
        self.notes.extend(other.notes);
    }

    /// One line: "12 added, 0 updated, 1 already known, 2 skipped".
    pub fn summary(&self) -> String {
        format!(
            "{} added, {} updated, {} already known, {} skipped",
            self.added,
            self.updated,
            self.duplicates,
            self.skipped.len()
        )
    }
}

/// Ingest files and folders. Bad files are skipped and reported; the rest
/// are stored in batches and indexed. An error of the store or index stops
/// the run; what was stored before it stays stored.
pub fn ingest_paths(
    engine: &mut Engine,
    settings: &Settings,
    paths: &[PathBuf],
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<IngestReport, EngineError> {
    let (files, skipped) = ingest::collect(paths);
    let max = settings.ingest.max_file_bytes;
    ingest_loaded(engine, files.iter().map(|path| ingest::load_file(path, max, scope)), skipped, now)
}

/// Why the samples could not be put into an empty store.
#[derive(Debug, thiserror::Error)]
pub enum SamplesError {
    #[error("the samples folder {0} (ingest.samples_dir) does not exist")]
    MissingFolder(std::path::PathBuf),
    #[error("ingesting the samples: {0}")]
    Engine(#[from] EngineError),
}

/// Into an empty store, the samples, so that a new user's first command
/// has something to answer from: the folder `ingest.samples_dir` when it
/// exists (so edits to it count), the compiled copy when the default
/// folder is not there (the binary runs from another folder); a folder set
/// in config that does not exist is an error. `None` when the store holds
/// documents already.
pub fn samples_if_empty(
    engine: &mut Engine,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Option<IngestReport>, SamplesError> {
    if engine.store().count().map_err(EngineError::from)? != 0 {
        return Ok(None);
    }
    let samples = &settings.ingest.samples_dir;
    let report = if samples.is_dir() {
        ingest_paths(engine, settings, std::slice::from_ref(samples), Scope::Global, now)?
    } else if samples.as_path() == std::path::Path::new(ingest::samples::FOLDER) {
        ingest_samples(engine, settings, now)?
    } else {
        return Err(SamplesError::MissingFolder(samples.clone()));
    };
    Ok(Some(report))
}

/// The bundled samples (compiled in) into the store, for a new user's
/// first command in any folder.
pub fn ingest_samples(
    engine: &mut Engine,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<IngestReport, EngineError> {
    let loaded = ingest::samples::load(Scope::Global, settings.ingest.max_file_bytes);
    ingest_loaded(engine, loaded.into_iter(), Vec::new(), now)
}

/// Store what loaded, in batches, and report it with what did not.
fn ingest_loaded(
    engine: &mut Engine,
    loaded: impl Iterator<Item = Result<Loaded, IngestError>>,
    mut skipped: Vec<IngestError>,
    now: DateTime<Utc>,
) -> Result<IngestReport, EngineError> {
    let mut report = IngestReport::default();
    let mut batch: Vec<Loaded> = Vec::with_capacity(BATCH);
    for item in loaded {
        match item {
            Ok(loaded) => {
                report.notes.extend(loaded.note.clone());
                batch.push(loaded);
            }
            Err(e) => {
                tracing::debug!(error = %e, "skipped");
                skipped.push(e);
            }
        }
        if batch.len() == BATCH {
            report.record(&engine.ingest(&batch, now)?);
            // Searchable batch by batch, by this process and any other.
            engine.commit()?;
            batch.clear();
            tracing::info!(stored = report.added + report.updated + report.duplicates, "stored batch");
        }
    }
    report.record(&engine.ingest(&batch, now)?);
    engine.commit()?;
    report.skipped = skipped;
    tracing::info!(
        added = report.added,
        updated = report.updated,
        duplicates = report.duplicates,
        skipped = report.skipped.len(),
        "ingest finished"
    );
    Ok(report)
}

/// Fetch web pages and ingest them. A page that cannot be fetched or holds
/// no story is skipped and reported; the rest are stored and indexed, and
/// their outcomes returned in order.
pub fn ingest_urls(
    engine: &mut Engine,
    settings: &Settings,
    fetcher: &crate::fetch::Fetcher,
    urls: &[String],
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<(IngestReport, Vec<PutOutcome>), EngineError> {
    let mut report = IngestReport::default();
    let mut batch = Vec::new();
    for url in urls {
        match fetch_page(fetcher, settings, url, scope) {
            Ok(loaded) => batch.push(loaded),
            Err(e) => {
                tracing::warn!(url = %url, error = %e, "skipped");
                report.skipped.push(e);
            }
        }
    }
    let outcomes = engine.ingest_and_commit(&batch, now)?;
    report.record(&outcomes);
    Ok((report, outcomes))
}

/// Fetch one page (or attachment) and clean it.
pub fn fetch_page(
    fetcher: &crate::fetch::Fetcher,
    settings: &Settings,
    url: &str,
    scope: Scope,
) -> Result<Loaded, IngestError> {
    let page = fetcher
        .fetch_blocking(url, crate::fetch::Expect::Page)
        .map_err(|e| IngestError::Fetch(url.chars().take(200).collect(), e))?;
    ingest::from_fetched(&page, scope, settings.ingest.max_file_bytes, None, None)
}

/// What `breachdesk extract` prints for one file, in the JSON Lines format
/// that `score_extraction.py` reads.
#[derive(Debug, serde::Serialize)]
pub struct ExtractRecord {
    pub file: String,
    pub title: String,
    pub statements: Vec<crate::extract::Statement>,
    pub incident: IncidentRecord,
}

/// The incident facts as the scorer reads them: actors as plain names.
#[derive(Debug, Default, serde::Serialize)]
pub struct IncidentRecord {
    pub threat_actors: Vec<String>,
    pub victims: Vec<String>,
    pub responders: Vec<String>,
    pub attributed_country: Option<String>,
    pub attribution: Option<String>,
    pub sectors: Vec<String>,
    pub accessed: Vec<String>,
    pub cves: Vec<String>,
    pub indicators: Vec<crate::extract::facts::Indicator>,
    pub related_campaigns: Vec<String>,
    pub dates: Vec<crate::extract::facts::EventDate>,
}

impl From<IncidentFacts> for IncidentRecord {
    fn from(f: IncidentFacts) -> IncidentRecord {
        IncidentRecord {
            threat_actors: f.threat_actors.into_iter().map(|a| a.name).collect(),
            victims: f.victims,
            responders: f.responders,
            attributed_country: f.attributed_country,
            attribution: f.attribution,
            sectors: f.sectors,
            accessed: f.accessed,
            cves: f.cves,
            indicators: f.indicators,
            related_campaigns: f.related_campaigns,
            dates: f.dates,
        }
    }
}

/// Clean a file and extract from it, without storing anything.
pub fn extract_file(
    path: &std::path::Path,
    settings: &Settings,
    knowledge: &Knowledge,
) -> Result<ExtractRecord, IngestError> {
    let loaded = ingest::load_file(path, settings.ingest.max_file_bytes, Scope::Global)?;
    // The same extraction as ingest, outlet rule included.
    let d = &loaded.doc;
    let x = crate::engine::extract(&d.title, &d.paragraphs, &d.source, d.published, knowledge);
    Ok(ExtractRecord {
        file: path.display().to_string(),
        title: loaded.doc.title,
        statements: x.statements,
        incident: x.facts.into(),
    })
}

/// What `breachdesk clean` prints for one file: what ingest would store.
#[derive(Debug, serde::Serialize)]
pub struct CleanRecord {
    pub file: String,
    pub title: String,
    /// RFC 3339, or `null` when the page gives no date.
    pub published: Option<String>,
    /// The story's paragraphs, separated by blank lines.
    pub body: String,
    /// What cleaning noted (an encoding read as Windows-1252, run-on text read in pieces).
    pub note: Option<String>,
}

/// Clean one file as ingest would, without storing it.
pub fn clean_file(path: &std::path::Path, settings: &Settings) -> Result<CleanRecord, IngestError> {
    let loaded = ingest::load_file(path, settings.ingest.max_file_bytes, Scope::Global)?;
    let d = loaded.doc;
    let body = d.paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n\n");
    Ok(CleanRecord {
        file: path.display().to_string(),
        title: d.title,
        published: d.published.map(|p| p.to_rfc3339()),
        body,
        note: loaded.note,
    })
}

/// Load the knowledge base named in the settings.
pub fn load_knowledge(settings: &Settings) -> Result<Knowledge, KbError> {
    let k = &settings.knowledge;
    let curated = (!k.actors.as_os_str().is_empty()).then_some(k.actors.as_path());
    Ok(Knowledge::new(KnowledgeBase::load(curated, &k.attack, &k.misp)?))
}

/// The HTTP client every fetch goes through, under the settings' rules.
pub fn fetcher(settings: &Settings) -> Result<std::sync::Arc<crate::fetch::Fetcher>, crate::fetch::FetchError> {
    use crate::fetch::{Fetcher, Policy};
    Ok(std::sync::Arc::new(Fetcher::new(Policy::from_settings(settings))?))
}

/// The feed poller over one shared engine.
pub fn poller(
    settings: &Settings,
    engine: std::sync::Arc<std::sync::Mutex<Engine>>,
    fetcher: std::sync::Arc<crate::fetch::Fetcher>,
) -> crate::feeds::Poller {
    crate::feeds::Poller { fetcher, settings: std::sync::Arc::new(settings.clone()), engine }
}

/// The Discord interactions endpoint (`serve-http`): the router with its
/// fetcher, the application's key, the wall clock and Discord's deferral.
pub fn endpoint(
    settings: &Settings,
    engine: Engine,
    key: ed25519_dalek::VerifyingKey,
) -> Result<crate::discord::http::Endpoint, crate::fetch::FetchError> {
    use std::sync::{Arc, Mutex};
    let router = crate::discord::Router::new(Arc::new(Mutex::new(engine)), Arc::new(settings.clone()))
        .with_fetcher(fetcher(settings)?);
    Ok(crate::discord::http::Endpoint {
        router,
        key,
        clock: Arc::new(chrono::Utc::now),
        defer: Some(
            crate::discord::http::Webhooks::discord()
                .map_err(|e| crate::fetch::FetchError::Connect(e.without_url().to_string()))?,
        ),
    })
}

/// The gateway bot (`run`): the router, the servers to register in, the
/// feed poller when feeds are configured, and the admin channel.
pub fn gateway(
    settings: &Settings,
    engine: Engine,
) -> Result<crate::discord::gateway::Gateway, crate::fetch::FetchError> {
    use std::sync::{Arc, Mutex};
    let engine = Arc::new(Mutex::new(engine));
    let shared = Arc::new(settings.clone());
    let fetcher = fetcher(settings)?;
    Ok(crate::discord::gateway::Gateway {
        router: Arc::new(crate::discord::Router::new(engine.clone(), shared).with_fetcher(fetcher.clone())),
        // Listing servers asks for per-server registration.
        registration: if settings.discord.guild_ids.is_empty() {
            settings.discord.registration
        } else {
            crate::config::Registration::Servers
        },
        guild_ids: settings.discord.guild_ids.clone(),
        defer_after: std::time::Duration::from_millis(2000),
        clock: Arc::new(chrono::Utc::now),
        poller: (!settings.feeds.is_empty()).then(|| poller(settings, engine, fetcher)),
        admin_channel: settings.polling.admin_channel,
    })
}
