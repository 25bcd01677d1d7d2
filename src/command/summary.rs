//! `/breach summary [incident]`: the articles about an incident, condensed to
//! their most informative sentences, each cited to its article and paragraph.

use std::collections::HashSet;

use super::rank::{candidates, pick, terms};
use super::{Context, Invocation, internal};
use crate::error::UserError;
use crate::model::{DocId, Document};
use crate::reply::{Citations, Line, Reply, Section};

pub fn run(ctx: &Context<'_>, inv: &Invocation) -> Result<Reply, UserError> {
    let engine = ctx.engine;
    let index = engine.index();
    let asked = inv.string("incident").map(str::trim).filter(|s| !s.is_empty());

    let (ids, weights, label) = match asked {
        Some(name) => {
            let (ids, weights) = matching_documents(ctx, name, ctx.settings.answer.summary_documents)?;
            (ids, weights, name.to_string())
        }
        None => {
            let ids = engine.store().recent(&ctx.viewer.scopes(), 1).map_err(internal)?;
            if ids.is_empty() {
                return Err(UserError::not_found("Nothing has been ingested yet. Add reports with `/ingest`."));
            }
            (ids, vec![1.0], String::new())
        }
    };

    let docs = engine.documents(&ids).map_err(internal)?;
    let docs: Vec<Document> = docs.into_iter().filter(|d| ctx.viewer.can_see(d.scope)).collect();
    let mut analyzer = index.analyzer();
    let query_terms: HashSet<String> = terms(&mut analyzer, &label);
    let chosen = pick(candidates(&mut analyzer, &docs, &weights, &query_terms), ctx.settings.answer.summary_sentences);
    if chosen.is_empty() {
        return Err(UserError::not_found("The matching articles have no sentence to quote."));
    }

    let mut cites = Citations::default();
    let lines: Vec<Line> = chosen.iter().map(|c| Line::cited(c.text, cites.cite(c.doc, c.paragraph))).collect();
    let used: HashSet<DocId> = chosen.iter().map(|c| c.doc.id).collect();
    let title = if label.is_empty() { docs[0].title.clone() } else { format!("Summary: {label}") };
    Ok(Reply {
        title,
        header: Some(span_line(&docs)),
        sections: vec![Section { heading: None, lines }],
        citations: cites.into_vec(),
        footer: Some(format!(
            "{} sentences from {} of {} matching articles; every sentence is quoted from its source.",
            chosen.len(),
            used.len(),
            docs.len()
        )),
        ephemeral: false,
    })
}

/// The documents about an incident or actor named in plain words, best
/// first, with their relevance (1.0 for the best): all the words if any
/// document has them all, else any of them.
pub(crate) fn matching_documents(
    ctx: &Context<'_>,
    name: &str,
    limit: usize,
) -> Result<(Vec<DocId>, Vec<f32>), UserError> {
    let index = ctx.engine.index();
    let words = plain_words(name);
    if words.is_empty() {
        return Err(UserError::bad_request("Name an incident or actor with letters or digits, e.g. `salt typhoon`."));
    }
    for q in [words.join(" "), words.join(" OR ")] {
        let query = index.parse(&q).map_err(|e| UserError::bad_request(e.0))?;
        let page = index.search(&*query, ctx.viewer, 0, limit).map_err(internal)?;
        if page.total > 0 {
            let top = page.hits.first().map_or(1.0, |h| h.score).max(f32::EPSILON);
            let ids = page.hits.iter().map(|h| h.doc).collect();
            let weights = page.hits.iter().map(|h| (h.score / top).max(0.2)).collect();
            return Ok((ids, weights));
        }
    }
    Err(UserError::not_found(format!(
        "No article mentions `{name}`. Try `/breach search {name}` with other words, or ingest a report about it."
    )))
}

/// "3 articles, 2024-09-25 to 2024-10-05".
fn span_line(docs: &[Document]) -> String {
    let dates: Vec<_> = docs.iter().map(|d| d.date().date_naive()).collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return String::new();
    };
    let n = docs.len();
    let articles = if n == 1 { "1 article".to_string() } else { format!("{n} articles") };
    if first == last { format!("{articles}, {first}") } else { format!("{articles}, {first} to {last}") }
}

/// The words of a name, safe to hand to the query parser.
fn plain_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !matches!(*w, "AND" | "OR" | "NOT"))
        .map(str::to_lowercase)
        .collect()
}
