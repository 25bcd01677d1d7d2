//! `/who-said <stance or topic> [speaker] [incident] [page]`: attributed
//! statements, newest first, grouped by speaker, each cited.
//!
//! The first argument is a stance when it names one (`denial`, `no comment`,
//! `accusations`), otherwise a topic in Tantivy's query language matched
//! against the statement's sentence and speaker (`wiretap`, `"lawful
//! intercept"`).

use std::collections::HashMap;

use super::summary::{find_incident, matching_documents};
use super::{Context, Invocation, internal};
use crate::error::{UserError, UserErrorKind};
use crate::extract::Stance;
use crate::index::{StatementQuery, StatementSearchError};
use crate::model::{DocId, Document};
use crate::reply::{Citations, Line, Reply, Section};
use crate::store::StoredStatement;

/// Statements shown per page.
const PER_PAGE: usize = 8;
/// Most documents a query reads statements from (the newest).
const MAX_DOCUMENTS: usize = 500;
/// Most articles of an incident searched (the newest).
const INCIDENT_DOCUMENTS: usize = 50;

pub fn run(ctx: &Context<'_>, inv: &Invocation) -> Result<Reply, UserError> {
    let query = inv.string("query").map(str::trim).filter(|s| !s.is_empty());
    let speaker = inv.string("speaker").map(str::trim).filter(|s| !s.is_empty());
    let incident = inv.string("incident").map(str::trim).filter(|s| !s.is_empty());
    let chosen = inv.string("stance").and_then(Stance::parse);
    if query.is_none() && speaker.is_none() && incident.is_none() && chosen.is_none() {
        return Err(UserError::bad_request(
            "Say what to look for: a stance (`/who-said denial`), a topic (`/who-said wiretap`) or a speaker (`/who-said speaker:\"Liu Pengyu\"`).",
        ));
    }
    let named = query.and_then(Stance::parse);
    let stance = chosen.or(named);
    let mut q = StatementQuery {
        stance,
        topic: if named.is_some() { None } else { query.map(str::to_string) },
        speaker: speaker.map(str::to_string),
        docs: None,
    };
    if let Some(name) = incident {
        // An incident's articles when the name is one; else the articles naming it.
        q.docs = Some(match find_incident(ctx, Some(name))? {
            Some(i) => i.docs.into_iter().take(INCIDENT_DOCUMENTS).collect(),
            None => matching_documents(ctx, name, INCIDENT_DOCUMENTS, true)?.0,
        });
    }

    let index = ctx.engine.index();
    let docs = index.statement_documents(&q, ctx.viewer, MAX_DOCUMENTS).map_err(|e| match e {
        StatementSearchError::Query(e) => {
            UserError::new(UserErrorKind::BadQuery, format!("Could not read `{}`: {}.", query.unwrap_or(""), e.0))
        }
        StatementSearchError::Index(e) => internal(e),
    })?;
    let what = describe(query, stance, speaker, incident);

    // The index found documents that may hold a match; keep the statements that do.
    let speaker_terms: Vec<String> = speaker.map(|s| index.terms(s)).unwrap_or_default();
    let topic = q.topic.as_deref().map(|t| Topic::new(index, t));
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<StoredStatement>> = HashMap::new();
    let mut total = 0;
    for doc in docs {
        for s in ctx.engine.store().statements_of(doc).map_err(internal)? {
            let st = &s.statement;
            if stance.is_some_and(|want| st.stance != want) {
                continue;
            }
            let who = format!("{} {}", st.speaker, st.affiliation.as_deref().unwrap_or(""));
            if !speaker_terms.is_empty() {
                let have = index.terms(&who);
                if !speaker_terms.iter().all(|t| have.contains(t)) {
                    continue;
                }
            }
            if let Some(topic) = &topic
                && !topic.matches(index, &format!("{} {who}", st.sentence))
            {
                continue;
            }
            total += 1;
            let key = st.speaker_key.clone();
            if !groups.contains_key(&key) {
                order.push(key.clone());
            }
            groups.entry(key).or_default().push(s);
        }
    }
    if total == 0 {
        return Err(UserError::not_found(format!("No statement matches {what}.")));
    }
    let flat: Vec<&StoredStatement> = order.iter().flat_map(|k| groups[k].iter()).collect();
    let pages = flat.len().div_ceil(PER_PAGE).max(1);
    let page_no = inv.integer("page").unwrap_or(1).max(1) as usize;
    if page_no > pages {
        return Err(UserError::past_end(pages, &what));
    }
    let shown = &flat[(page_no - 1) * PER_PAGE..(page_no * PER_PAGE).min(flat.len())];

    let mut docs: HashMap<DocId, Document> = HashMap::new();
    for s in shown {
        if !docs.contains_key(&s.doc)
            && let Some(d) = ctx.engine.store().document(s.doc).map_err(internal)?
        {
            docs.insert(s.doc, d);
        }
    }
    let mut cites = Citations::default();
    let mut sections: Vec<Section> = Vec::new();
    for s in shown {
        let Some(doc) = docs.get(&s.doc).filter(|d| ctx.viewer.can_see(d.scope)) else { continue };
        let st = &s.statement;
        let heading = speaker_heading(st.speaker.as_str(), st.affiliation.as_deref(), st.anonymous);
        if sections.last().is_none_or(|sec| sec.heading.as_deref() != Some(heading.as_str())) {
            sections.push(Section { heading: Some(heading), lines: Vec::new() });
        }
        let n = cites.cite(doc, st.paragraph);
        let line = Line::cited(
            format!("{} · {}: {}", doc.published_label(), st.stance.as_str().replace('_', " "), st.sentence),
            n,
        );
        sections.last_mut().expect("pushed above").lines.push(line);
    }
    let speakers = order.len();
    Ok(Reply {
        title: format!("Who said: {what}"),
        header: Some(format!(
            "{} statement{} by {} speaker{}, newest first",
            total,
            if total == 1 { "" } else { "s" },
            speakers,
            if speakers == 1 { "" } else { "s" }
        )),
        sections,
        citations: cites.into_vec(),
        footer: Some(format!("Page {page_no} of {pages}")),
        ephemeral: false,
    })
}

/// A topic as a filter on one statement: every word (any word, for a query
/// with OR) must be among the statement's terms, and every "quoted phrase"
/// must appear in it. Field prefixes and operators are ignored.
struct Topic {
    terms: Vec<String>,
    phrases: Vec<String>,
    any: bool,
}

impl Topic {
    fn new(index: &crate::index::SearchIndex, text: &str) -> Topic {
        let mut phrases = Vec::new();
        let mut words = String::new();
        for (i, part) in text.split('"').enumerate() {
            if i % 2 == 1 {
                phrases.push(part.trim().to_lowercase());
            } else {
                words.push_str(part);
                words.push(' ');
            }
        }
        let any = words.split_whitespace().any(|w| w == "OR");
        let plain: Vec<&str> = words
            .split_whitespace()
            .filter(|w| !matches!(*w, "AND" | "OR" | "NOT") && !w.starts_with('-'))
            .map(|w| w.rsplit(':').next().unwrap_or(w))
            .collect();
        Topic { terms: index.terms(&plain.join(" ")), phrases, any }
    }

    fn matches(&self, index: &crate::index::SearchIndex, text: &str) -> bool {
        let lower = text.to_lowercase();
        if !self.phrases.iter().all(|p| lower.contains(p.as_str())) {
            return false;
        }
        if self.terms.is_empty() {
            return true;
        }
        let have = index.terms(text);
        if self.any { self.terms.iter().any(|t| have.contains(t)) } else { self.terms.iter().all(|t| have.contains(t)) }
    }
}

fn speaker_heading(speaker: &str, affiliation: Option<&str>, anonymous: bool) -> String {
    let mut h = speaker.to_string();
    if let Some(a) = affiliation {
        h.push_str(&format!(" ({a})"));
    }
    if anonymous {
        h.push_str(" [anonymous source]");
    }
    h
}

fn describe(query: Option<&str>, stance: Option<Stance>, speaker: Option<&str>, incident: Option<&str>) -> String {
    let mut parts = Vec::new();
    match (stance, query) {
        (Some(s), _) => parts.push(s.as_str().replace('_', " ")),
        (None, Some(q)) => parts.push(format!("`{q}`")),
        _ => {}
    }
    if let Some(s) = speaker {
        parts.push(format!("by {s}"));
    }
    if let Some(i) = incident {
        parts.push(format!("about {i}"));
    }
    parts.join(" ")
}
