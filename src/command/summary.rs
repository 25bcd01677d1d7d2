//! `/breach summary [incident]`: the articles about an incident, condensed to
//! their most informative sentences, each cited to its article and paragraph.

use std::collections::HashSet;

use super::{Context, Invocation, internal};
use crate::clean::fold;
use crate::error::{UserError, UserErrorKind};
use crate::incidents::Incident;
use crate::model::{DocId, Document};
use crate::rank::{candidates, pick, terms};
use crate::reply::{Citations, Line, Reply, Section, plural};

pub fn run(ctx: &Context<'_>, inv: &Invocation) -> Result<Reply, UserError> {
    let asked = inv.string("incident").map(str::trim).filter(|s| !s.is_empty());
    if let Some(incident) = find_incident(ctx, asked)? {
        return incident_summary(ctx, &incident);
    }
    match asked {
        Some(name) => unmatched(ctx, name),
        None => latest_article(ctx),
    }
}

/// Names offered as "did you mean".
const SUGGESTIONS: usize = 3;

/// Actors with incidents here weighed for "did you mean".
const SUGGESTION_POOL: usize = 500;

/// A name no incident matches: say so, show the actor card when the
/// knowledge base knows the name, offer the closest names of actors with
/// incidents here, and only then, headed as such, sentences from the
/// articles that mention the words. Nothing is summarised under a name the
/// articles do not attribute.
fn unmatched(ctx: &Context<'_>, name: &str) -> Result<Reply, UserError> {
    let kb = &ctx.engine.knowledge().kb;
    let known = kb.lookup(name).first().copied();
    let mut reply = match known {
        Some(id) => {
            let mut card = super::actor::card(ctx, id, name)?;
            card.footer = None;
            card
        }
        None => Reply { title: name.to_string(), ..Reply::default() },
    };
    let nothing = format!("No incident here is attributed to `{name}`.");
    reply.header = Some(match (known, reply.header.take()) {
        (Some(_), Some(h)) => format!("{nothing} The knowledge base knows it: {h}"),
        (Some(_), None) => format!("{nothing} The knowledge base knows it."),
        (None, _) => format!("{nothing} The knowledge base does not know the name."),
    });
    // The actors with incidents here, by the name their incidents carry.
    let mut pool = Vec::new();
    for key in ctx.engine.actor_keys(ctx.viewer, "", SUGGESTION_POOL).map_err(internal)? {
        if let Some(i) = ctx.engine.incidents_of(ctx.viewer, &key).map_err(internal)?.first() {
            pool.push(i.actor.clone());
        }
    }
    let close = closest(name, known.map(|id| kb.actor(id).name.as_str()), &pool);
    if !close.is_empty() {
        let lines = close.into_iter().map(|n| Line::plain(format!("`/breach summary {n}`"))).collect();
        reply.sections.push(Section { heading: Some("Did you mean".into()), lines });
    }
    // Every word of the name, so that "Flax Typhoon" does not quote each typhoon.
    let mentions = match matching_documents(ctx, name, ctx.settings.answer.summary_documents, false) {
        Ok(found) => Some(found),
        Err(e) if e.kind == UserErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some((ids, weights)) = mentions {
        let docs = ctx.engine.documents(&ids).map_err(internal)?;
        let docs: Vec<Document> = docs.into_iter().filter(|d| ctx.viewer.can_see(d.scope)).collect();
        let mut analyzer = ctx.engine.index().analyzer();
        let query_terms: HashSet<String> = terms(&mut analyzer, name);
        let chosen =
            pick(candidates(&mut analyzer, &docs, &weights, &query_terms), ctx.settings.answer.summary_sentences);
        if !chosen.is_empty() {
            let mut cites = Citations::continuing(std::mem::take(&mut reply.citations));
            let lines = chosen.iter().map(|c| Line::cited(c.text, cites.cite(c.doc, c.paragraph))).collect();
            let used: HashSet<DocId> = chosen.iter().map(|c| c.doc.id).collect();
            reply.sections.push(Section {
                heading: Some(format!("Articles that mention the words (not attributed to {name})")),
                lines,
            });
            reply.citations = cites.into_vec();
            reply.footer = Some(format!(
                "{} quoted from {} of {} mentioning the words.",
                plural(chosen.len(), "sentence"),
                used.len(),
                plural(docs.len(), "article")
            ));
        }
    }
    if known.is_none() && reply.sections.is_empty() {
        return Err(UserError::not_found(format!(
            "No incident, known actor or article matches `{name}`. Try `/breach search {name}` with other words, or ingest a report about it."
        )));
    }
    Ok(reply)
}

/// Up to [`SUGGESTIONS`] names from `pool` close to `asked` in spelling
/// (Jaro-Winkler similarity of the folded names at least 0.8) or sharing a
/// word with it, closest first; `also` (the knowledge base's name for the
/// asked actor) is not offered back.
fn closest(asked: &str, also: Option<&str>, pool: &[String]) -> Vec<String> {
    let a = fold(asked);
    let words_of = |s: &str| -> HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2).map(str::to_lowercase).collect()
    };
    let words = words_of(asked);
    let mut seen = HashSet::new();
    let mut scored: Vec<(f64, &String)> = pool
        .iter()
        .filter(|n| fold(n) != a && also.is_none_or(|x| fold(x) != fold(n)) && seen.insert(fold(n)))
        .filter_map(|n| {
            let sim = strsim::jaro_winkler(&a, &fold(n));
            let shared = !words.is_disjoint(&words_of(n));
            (sim >= 0.8 || shared).then_some((sim + if shared { 0.5 } else { 0.0 }, n))
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
    scored.into_iter().take(SUGGESTIONS).map(|(_, n)| n.clone()).collect()
}

/// The incident a name means: an incident's label (as autocomplete offers
/// it) or an actor (any of its names, through the knowledge base); no name
/// is the most recent incident. Among an actor's incidents, the one with
/// most articles, then the newest.
pub(crate) fn find_incident(ctx: &Context<'_>, asked: Option<&str>) -> Result<Option<Incident>, UserError> {
    let engine = ctx.engine;
    let Some(name) = asked else { return engine.latest_incident(ctx.viewer).map_err(internal) };
    // "Salt Typhoon: AT&T, Verizon (2024-10)" names its actor before the colon.
    let actor = name.split_once(": ").map_or_else(|| name.split(" (").next().unwrap_or(name), |(a, _)| a);
    let incidents = engine.incidents_of(ctx.viewer, actor).map_err(internal)?;
    if let Some(i) = incidents.iter().find(|i| i.label() == name) {
        return Ok(Some(i.clone()));
    }
    let incidents = if incidents.is_empty() && actor != name {
        engine.incidents_of(ctx.viewer, name).map_err(internal)?
    } else {
        incidents
    };
    Ok(incidents.iter().max_by(|a, b| a.docs.len().cmp(&b.docs.len()).then(a.last.cmp(&b.last))).cloned())
}

/// Incidents that may relate to `incident`: the same actor's others, actors
/// the knowledge base links to it, actors its articles name, and the most
/// recently reported actors.
fn related_candidates(ctx: &Context<'_>, incident: &Incident) -> Result<Vec<Incident>, UserError> {
    let engine = ctx.engine;
    let kb = &engine.knowledge().kb;
    let mut keys: Vec<String> = vec![incident.actor.clone()];
    if let Some(id) = kb.resolve(&incident.actor) {
        keys.extend(kb.actor(id).related.iter().map(|(n, _)| n.clone()));
        for c in kb.conflicts(id) {
            keys.extend(c.actors.iter().filter(|&&o| o != id).map(|&o| kb.actor(o).name.clone()));
        }
    }
    keys.extend(incident.mentioned.iter().map(|(n, _)| n.clone()));
    keys.extend(engine.actor_keys(ctx.viewer, "", RECENT_ACTORS).map_err(internal)?);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for k in keys {
        if !seen.insert(fold(&k)) {
            continue;
        }
        for i in engine.incidents_of(ctx.viewer, &k).map_err(internal)?.iter() {
            if !(fold(&i.actor) == fold(&incident.actor) && i.first == incident.first) {
                out.push(i.clone());
            }
        }
    }
    Ok(out)
}

/// An actor's name and, when the knowledge base knows it, all its others,
/// lower-cased.
fn names_of(kb: &crate::kb::KnowledgeBase, actor: &str) -> Vec<String> {
    let mut names = vec![actor.to_lowercase()];
    if let Some(id) = kb.resolve(actor) {
        names.extend(kb.actor(id).names.iter().map(|n| n.name.to_lowercase()));
    }
    names
}

/// The first paragraph of `doc` that contains one of `names` (lower-cased)
/// as whole words; the first paragraph when none does.
fn naming_paragraph(doc: &Document, names: &[String]) -> usize {
    let whole = |text: &str, name: &str| {
        text.match_indices(name).any(|(i, _)| {
            let before = text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = text[i + name.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            before && after
        })
    };
    doc.paragraphs
        .iter()
        .position(|p| {
            let text = p.text.to_lowercase();
            names.iter().any(|n| !n.is_empty() && whole(&text, n))
        })
        .unwrap_or(0)
}

/// Recently reported actors whose incidents are weighed as related.
const RECENT_ACTORS: usize = 10;

/// The summary of an incident: a header of its facts, cited sentences from
/// all its articles, and related incidents with the reason for each.
fn incident_summary(ctx: &Context<'_>, incident: &Incident) -> Result<Reply, UserError> {
    let engine = ctx.engine;
    // Sentences are drawn from the newest articles (`answer.summary_documents`);
    // the header covers every article of the incident.
    let ids: Vec<DocId> = incident.docs.iter().copied().take(ctx.settings.answer.summary_documents).collect();
    let docs: Vec<Document> =
        engine.documents(&ids).map_err(internal)?.into_iter().filter(|d| ctx.viewer.can_see(d.scope)).collect();
    if docs.is_empty() {
        return Err(UserError::not_found("The incident's articles are not visible here."));
    }
    let mut analyzer = engine.index().analyzer();
    // The actor's names and the first victims: what the summary is about.
    let mut focus = incident.names.iter().take(4).cloned().collect::<Vec<_>>().join(" ");
    for v in incident.victims.iter().take(6) {
        focus.push(' ');
        focus.push_str(v);
    }
    let query_terms: HashSet<String> = terms(&mut analyzer, &focus);
    let weights = vec![1.0; docs.len()];
    let n = ctx.settings.answer.summary_sentences.clamp(3, 6);
    let chosen = pick(candidates(&mut analyzer, &docs, &weights, &query_terms), n);
    if chosen.is_empty() {
        return Err(UserError::not_found("The incident's articles have no sentence to quote."));
    }
    let mut cites = Citations::default();
    let lines: Vec<Line> = chosen.iter().map(|c| Line::cited(c.text, cites.cite(c.doc, c.paragraph))).collect();
    let mut sections = vec![Section { heading: None, lines }];

    // Related: other incidents, each with its reason.
    let kb = &engine.knowledge().kb;
    let by_id = |id: DocId| docs.iter().find(|d| d.id == id).cloned();
    let mut related = Vec::new();
    let incidents = related_candidates(ctx, incident)?;
    for other in &incidents {
        // "named in [n]" cites the paragraph that names the other actor, under
        // any of its names, in the article the mention was found in.
        let names = names_of(kb, &other.actor);
        let mut cite = |id: DocId| {
            let doc = by_id(id).or_else(|| {
                engine.documents(&[id]).ok().and_then(|d| d.into_iter().next()).filter(|d| ctx.viewer.can_see(d.scope))
            });
            doc.map(|d| cites.cite(&d, naming_paragraph(&d, &names))).unwrap_or(0)
        };
        if let Some(why) = crate::incidents::relation(incident, other, |a, b| kb_link(kb, a, b), &mut cite) {
            related.push(Line::plain(format!("{} — {why}", other.label())));
        }
        if related.len() == MAX_RELATED {
            break;
        }
    }
    // Actors the knowledge base links to this one but with no incident here.
    if let Some(id) = kb.resolve(&incident.actor) {
        for (name, origin) in kb.actor(id).related.iter().take(3) {
            if related.len() < MAX_RELATED && !incidents.iter().any(|o| fold(&o.actor) == fold(name)) {
                related.push(Line::plain(format!("{name} — overlap reported by {}", origin.label())));
            }
        }
    }
    if !related.is_empty() {
        sections.push(Section { heading: Some("Related campaigns".into()), lines: related });
    }
    let used: HashSet<DocId> = chosen.iter().map(|c| c.doc.id).collect();
    Ok(Reply {
        title: format!("Summary: {}", incident.label()),
        header: Some(header_line(ctx, incident, &docs)),
        sections,
        citations: cites.into_vec(),
        footer: Some(format!(
            "{} from {} of {} about this incident; every sentence is quoted from its source.",
            plural(chosen.len(), "sentence"),
            used.len(),
            plural(incident.docs.len(), "article")
        )),
        ephemeral: false,
    })
}

/// Related incidents listed at most.
const MAX_RELATED: usize = 5;

/// How the knowledge base links two actors, if it does.
fn kb_link(kb: &crate::kb::KnowledgeBase, a: &str, b: &str) -> Option<String> {
    let (ia, ib) = (kb.resolve(a)?, kb.resolve(b)?);
    let (x, y) = (kb.actor(ia), kb.actor(ib));
    if let Some((_, origin)) =
        x.related.iter().chain(&y.related).find(|(n, _)| fold(n) == fold(&x.name) || fold(n) == fold(&y.name))
    {
        return Some(format!("overlap reported by {}", origin.label()));
    }
    kb.conflicts(ia).into_iter().find(|c| c.actors.contains(&ib)).map(|c| format!("shares the name {}", c.name))
}

/// "Salt Typhoon (also Earth Estries [Trend Micro], ...) · attributed to China ("Beijing-backed") · victims: ..."
fn header_line(ctx: &Context<'_>, i: &Incident, docs: &[Document]) -> String {
    let kb = &ctx.engine.knowledge().kb;
    let mut parts = Vec::new();
    let mut actor = i.actor.clone();
    if let Some(id) = kb.resolve(&i.actor) {
        let aliases: Vec<String> = kb
            .actor(id)
            .names
            .iter()
            .skip(1)
            .take(4)
            .map(|a| {
                let who = a
                    .vendor
                    .clone()
                    .unwrap_or_else(|| a.origins.iter().map(|o| o.label()).collect::<Vec<_>>().join(", "));
                format!("{} [{who}]", a.name)
            })
            .collect();
        if !aliases.is_empty() {
            actor.push_str(&format!(" (also {})", aliases.join(", ")));
        }
    }
    parts.push(actor);
    if let Some(c) = &i.country {
        match i.attribution.as_deref() {
            Some(words) => parts.push(format!("attributed to {c} (\"{words}\")")),
            None => parts.push(format!("attributed to {c}")),
        }
    }
    let list = |label: &str, xs: &[String]| {
        (!xs.is_empty()).then(|| format!("{label}: {}", xs.iter().take(6).cloned().collect::<Vec<_>>().join(", ")))
    };
    parts.extend(list("victims", &i.victims));
    parts.extend(list("sectors", &i.sectors));
    parts.extend(list("accessed", &i.accessed));
    parts.extend(list("responders", &i.responders));
    parts.push(span_line(docs));
    parts.join(" · ")
}

/// With no name and no incident at all: the newest article, summarised.
fn latest_article(ctx: &Context<'_>) -> Result<Reply, UserError> {
    let engine = ctx.engine;
    let ids = engine.store().recent(&ctx.viewer.scopes(), 1).map_err(internal)?;
    if ids.is_empty() {
        return Err(UserError::not_found("Nothing has been ingested yet. Add reports with `/ingest`."));
    }
    let docs = engine.documents(&ids).map_err(internal)?;
    let docs: Vec<Document> = docs.into_iter().filter(|d| ctx.viewer.can_see(d.scope)).collect();
    let mut analyzer = engine.index().analyzer();
    let chosen = pick(candidates(&mut analyzer, &docs, &[1.0], &HashSet::new()), ctx.settings.answer.summary_sentences);
    let Some(first) = docs.first().filter(|_| !chosen.is_empty()) else {
        return Err(UserError::not_found("The newest article has no sentence to quote."));
    };
    let mut cites = Citations::default();
    let lines: Vec<Line> = chosen.iter().map(|c| Line::cited(c.text, cites.cite(c.doc, c.paragraph))).collect();
    Ok(Reply {
        title: first.title.clone(),
        header: Some(span_line(&docs)),
        sections: vec![Section { heading: None, lines }],
        citations: cites.into_vec(),
        footer: Some(format!(
            "{} from the newest article; every sentence is quoted from its source.",
            plural(chosen.len(), "sentence")
        )),
        ephemeral: false,
    })
}

/// The documents about an incident or actor named in plain words, best
/// first, with their relevance (1.0 for the best): all the words if any
/// document has them all, else (with `any`) any of them.
pub(crate) fn matching_documents(
    ctx: &Context<'_>,
    name: &str,
    limit: usize,
    any: bool,
) -> Result<(Vec<DocId>, Vec<f32>), UserError> {
    let index = ctx.engine.index();
    let words = plain_words(name);
    if words.is_empty() {
        return Err(UserError::bad_request("Name an incident or actor with letters or digits, e.g. `salt typhoon`."));
    }
    let queries = if any { vec![words.join(" "), words.join(" OR ")] } else { vec![words.join(" ")] };
    for q in queries {
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
    let articles = plural(n, "article");
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
