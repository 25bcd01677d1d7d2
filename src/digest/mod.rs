//! The daily digest: what changed since a channel's previous digest, as one
//! transport-neutral [`Reply`] (the transport splits it into as many
//! messages as Discord's limits need) and a PNG timeline.
//!
//! Content, for the documents stored in the window `(from, to]` that the
//! channel's server may see and its filters keep: new and updated
//! incidents, each with a header line (actor, victims, sectors) and one or
//! two cited sentences; notable statements (denials, accusations,
//! confirmations, or the channel's stances) with speaker and citation;
//! actors seen for the first time; related campaigns; counts. Every
//! sentence is quoted from a stored paragraph and cited.
//!
//! [`schedule`] says when a digest is due; [`scheduler`] posts it exactly
//! once per slot through a [`scheduler::Sink`].

pub mod schedule;
pub mod scheduler;
pub mod timeline;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::clean::fold;
use crate::config::{DigestSettings, EmptyDay};
use crate::engine::{Engine, EngineError};
use crate::extract::Stance;
use crate::incidents::Incident;
use crate::model::{DocId, Document, Viewer};
use crate::rank::{candidates, pick, terms};
use crate::reply::{Citations, Line, Reply, Section, plural};

/// Documents a digest reads at most (the newest are dropped beyond it).
const MAX_DOCUMENTS: usize = 400;
/// Statements listed at most.
const MAX_STATEMENTS: usize = 6;
/// Articles without a known actor listed at most.
const MAX_OTHER: usize = 5;

/// A digest, ready to post.
#[derive(Debug, Clone)]
pub struct Digest {
    pub reply: Reply,
    /// The timeline picture (PNG), when there is anything to draw.
    pub timeline: Option<Vec<u8>>,
    /// Nothing new in the window (after the filters).
    pub empty: bool,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Digest {
    /// Whether it should be posted under the channel's empty-day policy.
    pub fn worth_posting(&self, policy: EmptyDay) -> bool {
        !self.empty || policy == EmptyDay::Post
    }
}

/// One incident with articles in the window.
struct Entry {
    incident: Incident,
    new_docs: Vec<Document>,
    /// Every article of the incident is in the window.
    is_new: bool,
}

/// The viewer a channel's digest reads as: its server's articles and the shared ones.
pub fn viewer(cfg: &DigestSettings) -> Viewer {
    if cfg.guild == 0 { Viewer::Public } else { Viewer::Guild(cfg.guild) }
}

/// Build the digest of `cfg`'s channel for the window `(from, to]`.
/// `marker` goes in the footer (the scheduler finds a posted digest by it).
pub fn build(
    engine: &Engine,
    cfg: &DigestSettings,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    marker: Option<&str>,
) -> Result<Digest, EngineError> {
    let viewer = viewer(cfg);
    let store = engine.store();
    let ids = store.ingested_between(&viewer.scopes(), from, to, MAX_DOCUMENTS)?;
    let keywords: Vec<String> = cfg.keywords.iter().map(|k| fold(k)).collect();
    let docs: Vec<Document> = engine
        .documents(&ids)?
        .into_iter()
        .filter(|d| viewer.can_see(d.scope))
        .filter(|d| keywords.is_empty() || crate::clean::mentions_any(&d.title, &d.paragraphs, &keywords))
        .collect();
    let in_window: HashSet<DocId> = docs.iter().map(|d| d.id).collect();

    // Group the window's documents by incident.
    let kb = &engine.knowledge().kb;
    let canonical = |name: &str| fold(&kb.resolve(name).map(|id| kb.actor(id).name.clone()).unwrap_or(name.into()));
    let wanted_actors: Vec<String> = cfg.actors.iter().map(|a| canonical(a)).collect();
    let wanted_sectors: Vec<String> = cfg.sectors.iter().map(|s| fold(s)).collect();
    let mut entries: Vec<Entry> = Vec::new();
    let mut other: Vec<&Document> = Vec::new();
    let mut actor_keys: Vec<String> = Vec::new();
    for doc in &docs {
        let facts = store.facts_of(doc.id)?.unwrap_or_default();
        let Some(first) = facts.threat_actors.first() else {
            if wanted_actors.is_empty() && wanted_sectors.is_empty() {
                other.push(doc);
            }
            continue;
        };
        let key = canonical(first.canonical.as_deref().unwrap_or(&first.name));
        if !actor_keys.contains(&key) {
            actor_keys.push(key.clone());
        }
        if let Some(e) = entries.iter_mut().find(|e| e.incident.docs.contains(&doc.id)) {
            e.new_docs.push(doc.clone());
            continue;
        }
        let incidents = engine.incidents_of(viewer, &key)?;
        let Some(incident) = incidents.iter().find(|i| i.docs.contains(&doc.id)) else { continue };
        if !wanted_actors.is_empty() && !wanted_actors.contains(&fold(&incident.actor)) {
            continue;
        }
        if !wanted_sectors.is_empty() && !incident.sectors.iter().any(|s| wanted_sectors.contains(&fold(s))) {
            continue;
        }
        let is_new = incident.docs.iter().all(|d| in_window.contains(d));
        entries.push(Entry { incident: incident.clone(), new_docs: vec![doc.clone()], is_new });
    }
    entries.sort_by(|a, b| b.new_docs.len().cmp(&a.new_docs.len()).then(b.incident.last.cmp(&a.incident.last)));
    let more = entries.len().saturating_sub(cfg.max_incidents);
    entries.truncate(cfg.max_incidents);

    let mut cites = Citations::default();
    let mut sections = Vec::new();
    let mut analyzer = engine.index().analyzer();
    for (k, e) in entries.iter().enumerate() {
        let i = &e.incident;
        let mut lines = vec![Line::plain(facts_line(i))];
        let mut focus = i.names.iter().take(4).cloned().collect::<Vec<_>>().join(" ");
        for v in i.victims.iter().take(6) {
            focus.push(' ');
            focus.push_str(v);
        }
        let query = terms(&mut analyzer, &focus);
        let weights = vec![1.0; e.new_docs.len()];
        for c in pick(candidates(&mut analyzer, &e.new_docs, &weights, &query), 2) {
            lines.push(Line::cited(c.text, cites.cite(c.doc, c.paragraph)));
        }
        let colour = timeline::PALETTE[k.min(timeline::PALETTE.len() - 1)].0;
        sections.push(Section {
            heading: Some(format!(
                "{} — {}, {} ({colour} in the timeline)",
                i.label(),
                if e.is_new { "new" } else { "updated" },
                plural(e.new_docs.len(), "new article")
            )),
            lines,
        });
    }
    if !other.is_empty() {
        let lines = other
            .iter()
            .take(MAX_OTHER)
            .map(|d| {
                let first = d.paragraphs.iter().position(|p| !p.heading).unwrap_or(0);
                Line::cited(d.title.clone(), cites.cite(d, first))
            })
            .collect();
        sections.push(Section { heading: Some("Other reporting".into()), lines });
    }

    // Notable statements in the window's articles (of the listed incidents
    // when the channel filters by actor or sector).
    let stances: Vec<Stance> = if cfg.stances.is_empty() {
        vec![Stance::Denial, Stance::Accusation, Stance::Confirmation]
    } else {
        cfg.stances.iter().filter_map(|s| Stance::parse(s)).collect()
    };
    let filtered = !wanted_actors.is_empty() || !wanted_sectors.is_empty();
    let statement_docs: Vec<&Document> =
        if filtered { entries.iter().flat_map(|e| e.new_docs.iter()).collect() } else { docs.iter().collect() };
    let mut statements = Vec::new();
    'docs: for d in statement_docs.iter().rev() {
        for s in store.statements_of(d.id)? {
            let st = &s.statement;
            if stances.contains(&st.stance) {
                let who = match &st.affiliation {
                    Some(a) => format!("{} ({a})", st.speaker),
                    None => st.speaker.clone(),
                };
                let text = format!(
                    "{} · {who}, {}: {}",
                    d.published_label(),
                    st.stance.as_str().replace('_', " "),
                    st.sentence
                );
                statements.push(Line::cited(text, cites.cite(d, st.paragraph)));
                if statements.len() == MAX_STATEMENTS {
                    break 'docs;
                }
            }
        }
    }
    if !statements.is_empty() {
        sections.push(Section { heading: Some("Notable statements".into()), lines: statements });
    }

    // Actors no earlier article here named.
    let mut first_seen = Vec::new();
    for key in &actor_keys {
        let incidents = engine.incidents_of(viewer, key)?;
        let all_new = incidents.iter().flat_map(|i| i.docs.iter()).all(|d| in_window.contains(d));
        if let (true, Some(i)) = (all_new, incidents.first()) {
            let known = kb.resolve(&i.actor).map(|id| {
                let a = kb.actor(id);
                let sponsor = a.sponsor().map(|c| format!(", suspected sponsor {c}")).unwrap_or_default();
                format!(" (known to the knowledge base{sponsor})")
            });
            first_seen.push(Line::plain(format!("{}{}", i.actor, known.unwrap_or_default())));
        }
    }
    if !first_seen.is_empty() {
        sections.push(Section { heading: Some("Actors seen for the first time".into()), lines: first_seen });
    }

    // Related campaigns: named by the articles, or overlaps the knowledge base records.
    let mut related = Vec::new();
    for e in &entries {
        let i = &e.incident;
        for c in i.campaigns.iter().take(2) {
            related.push(Line::plain(format!("{}: {c} — named in its articles", i.actor)));
        }
        if let Some(id) = kb.resolve(&i.actor) {
            for (name, origin) in kb.actor(id).related.iter().take(2) {
                related.push(Line::plain(format!("{} and {name} — overlap reported by {}", i.actor, origin.label())));
            }
        }
    }
    related.truncate(6);
    if !related.is_empty() {
        sections.push(Section { heading: Some("Related campaigns".into()), lines: related });
    }

    let empty = docs.is_empty() || (sections.is_empty() && filtered);
    let local = |t: DateTime<Utc>| t.with_timezone(&cfg.tz);
    let header = if empty {
        format!("Nothing new since {}.", local(from).format("%a %-d %b %H:%M"))
    } else {
        let sources: HashSet<&str> = docs.iter().map(|d| host_of(&d.source)).collect();
        let new = entries.iter().filter(|e| e.is_new).count();
        let mut h = format!(
            "{} from {} since {} · {} ({new} new, {} updated)",
            plural(docs.len(), "article"),
            plural(sources.len(), "source"),
            local(from).format("%a %-d %b %H:%M"),
            plural(entries.len(), "incident"),
            entries.len() - new
        );
        if more > 0 {
            h.push_str(&format!(" and {more} more not shown"));
        }
        h
    };
    let timeline = if entries.is_empty() { None } else { Some(timeline_png(engine, &entries, cfg.tz, to)?) };
    let footer = match marker {
        Some(m) => format!("Every sentence is quoted from its source · {m}"),
        None => "Every sentence is quoted from its source".to_string(),
    };
    Ok(Digest {
        reply: Reply {
            title: format!("Daily digest — {}", local(to).format("%a %-d %b %Y")),
            header: Some(header),
            sections,
            citations: cites.into_vec(),
            footer: Some(footer),
            ephemeral: false,
        },
        timeline,
        empty,
        from,
        to,
    })
}

/// "Salt Typhoon · victims: A, B · sectors: telecommunications".
fn facts_line(i: &Incident) -> String {
    let mut parts = vec![i.actor.clone()];
    if let Some(c) = &i.country {
        parts.push(format!("attributed to {c}"));
    }
    let list = |label: &str, xs: &[String]| {
        (!xs.is_empty()).then(|| format!("{label}: {}", xs.iter().take(5).cloned().collect::<Vec<_>>().join(", ")))
    };
    parts.extend(list("victims", &i.victims));
    parts.extend(list("sectors", &i.sectors));
    parts.join(" · ")
}

fn host_of(source: &str) -> &str {
    source.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or(source)
}

/// Articles per listed incident per local day, the last [`timeline::DAYS`] days up to `to`.
fn timeline_png(engine: &Engine, entries: &[Entry], tz: Tz, to: DateTime<Utc>) -> Result<Vec<u8>, EngineError> {
    let last_day = to.with_timezone(&tz).date_naive();
    let first_day = last_day - Duration::days(timeline::DAYS as i64 - 1);
    let mut series = Vec::with_capacity(entries.len());
    for e in entries {
        let mut counts = [0u32; timeline::DAYS];
        let mut seen: HashMap<DocId, ()> = HashMap::new();
        for (id, date) in engine.store().dates_of(&e.incident.docs)? {
            let day = date.with_timezone(&tz).date_naive();
            if day >= first_day && day <= last_day && seen.insert(id, ()).is_none() {
                counts[(day - first_day).num_days() as usize] += 1;
            }
        }
        series.push(counts);
    }
    timeline::render(&series).map_err(|e| EngineError::Digest(e.to_string()))
}

#[cfg(test)]
mod tests;
