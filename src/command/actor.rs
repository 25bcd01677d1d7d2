//! `/breach actor <name>`: the actor card. Every name and who uses or claims
//! it, the suspected sponsor with its source, sectors, names other groups
//! share with it (kept apart, never merged), its incidents here, and the
//! latest statements in their articles.

use super::{Context, Invocation, internal};
use crate::clean::fold;
use crate::error::UserError;
use crate::kb::{ActorId, KnowledgeBase};
use crate::reply::{Citations, Line, Reply, Section};

/// Statements shown on a card.
const STATEMENTS: usize = 3;

pub fn run(ctx: &Context<'_>, inv: &Invocation) -> Result<Reply, UserError> {
    let name = inv.string("name").map(|n| n.trim().trim_matches(['"', '“', '”']).trim()).unwrap_or_default();
    if name.is_empty() {
        return Err(UserError::bad_request("Name an actor, e.g. `/breach actor Volt Typhoon`."));
    }
    let kb = &ctx.engine.knowledge().kb;
    let ids = kb.lookup(name);
    let Some(&id) = ids.first() else {
        // A name the knowledge base knows only as an overlap of groups it has.
        if let Some(card) = overlap_card(ctx, kb, name)? {
            return Ok(card);
        }
        // Not in the knowledge base: an actor only the articles name.
        let ours = ctx.engine.incidents_of(ctx.viewer, name).map_err(internal)?;
        if ours.is_empty() {
            return Err(UserError::not_found(format!(
                "No actor is known as `{name}`. Try another of its names, or `/breach search {name}`."
            )));
        }
        let lines = ours.iter().map(|i| Line::plain(i.label())).collect();
        return Ok(Reply {
            title: name.to_string(),
            header: Some("Named in the articles; not in the knowledge base.".into()),
            sections: vec![Section { heading: Some("Incidents".into()), lines }],
            ..Reply::default()
        });
    };
    card(ctx, id, name)
}

/// The card of a knowledge-base actor, asked for as `name`.
pub(crate) fn card(ctx: &Context<'_>, id: ActorId, name: &str) -> Result<Reply, UserError> {
    let kb = &ctx.engine.knowledge().kb;
    let actor = kb.actor(id);
    let mut sections = Vec::new();
    let mut header = Vec::new();
    if fold(&actor.name) != fold(name) {
        header.push(format!("`{name}` is a name of {}", actor.name));
    }
    if let Some(kind) = &actor.kind {
        header.push(kind.clone());
    }
    if !actor.sponsors.is_empty() {
        let s: Vec<String> = actor.sponsors.iter().map(|(s, o)| format!("{s} [{}]", o.label())).collect();
        header.push(format!("suspected sponsor: {}", s.join(", ")));
    }
    if let Some(first) = &actor.first_reported {
        header.push(format!("first reported {first}"));
    }
    let names = actor
        .names
        .iter()
        .map(|a| {
            let mut who: Vec<String> = a.vendor.iter().cloned().collect();
            who.extend(a.origins.iter().map(|o| o.label()));
            Line::plain(format!("{} — {}", a.name, who.join("; ")))
        })
        .collect();
    sections.push(Section { heading: Some("Names".into()), lines: names });
    let shared = shared_names(kb, id);
    if !shared.is_empty() {
        sections.push(Section { heading: Some("Names other groups share (kept apart)".into()), lines: shared });
    }
    if !actor.sectors.is_empty() {
        let s = actor.sectors.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
        sections.push(Section { heading: Some("Sectors".into()), lines: vec![Line::plain(s)] });
    }
    if !actor.campaigns.is_empty() {
        let lines = actor
            .campaigns
            .iter()
            .take(5)
            .map(|c| {
                Line::plain(format!("{} ({}) [{}]", c.name, c.first_seen.as_deref().unwrap_or("?"), c.origin.label()))
            })
            .collect();
        sections.push(Section { heading: Some("Campaigns".into()), lines });
    }
    let ours = ctx.engine.incidents_of(ctx.viewer, &actor.name).map_err(internal)?;
    let mut cites = Citations::default();
    if !ours.is_empty() {
        let lines = ours
            .iter()
            .map(|i| Line::plain(format!("{} — {}", i.label(), crate::reply::plural(i.docs.len(), "article"))))
            .collect();
        sections.push(Section { heading: Some("Incidents here".into()), lines });
        // The latest statements in its articles.
        let mut lines = Vec::new();
        'docs: for i in ours.iter() {
            for &doc in &i.docs {
                let statements = ctx.engine.store().statements_of(doc).map_err(internal)?;
                let Some(d) = ctx.engine.documents(&[doc]).map_err(internal)?.into_iter().next() else { continue };
                if !ctx.viewer.can_see(d.scope) {
                    continue;
                }
                for s in statements.iter().map(|s| &s.statement) {
                    let aff = s.affiliation.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
                    let text =
                        format!("{} · {}{aff}, {}: {}", d.published_label(), s.speaker, s.stance.as_str(), s.sentence);
                    lines.push(Line::cited(text, cites.cite(&d, s.paragraph)));
                    if lines.len() == STATEMENTS {
                        break 'docs;
                    }
                }
            }
        }
        if !lines.is_empty() {
            sections.push(Section { heading: Some("Latest statements".into()), lines });
        }
    }
    if !actor.related.is_empty() {
        let lines = actor.related.iter().take(5).map(|(n, o)| Line::plain(format!("{n} [{}]", o.label()))).collect();
        sections.push(Section { heading: Some("Reported overlaps".into()), lines });
    }
    Ok(Reply {
        title: actor.name.clone(),
        header: (!header.is_empty()).then(|| header.join(" · ")),
        sections,
        citations: cites.into_vec(),
        footer: Some("Names and sponsors are shown with the source that claims them.".into()),
        ephemeral: false,
    })
}

/// The card of a name that is no group of the knowledge base but is
/// reported as overlapping with some ("GhostEmperor"): those groups, who
/// reports the overlap, and their incidents here.
fn overlap_card(ctx: &Context<'_>, kb: &KnowledgeBase, name: &str) -> Result<Option<Reply>, UserError> {
    let key = fold(name);
    let mut lines = Vec::new();
    let mut incidents = Vec::new();
    let mut title = name.to_string();
    for actor in kb.actors() {
        if let Some((written, origin)) = actor.related.iter().find(|(n, _)| fold(n) == key) {
            title.clone_from(written);
            lines.push(Line::plain(format!("{} — overlap with {written} reported by {}", actor.name, origin.label())));
            for i in ctx.engine.incidents_of(ctx.viewer, &actor.name).map_err(internal)?.iter() {
                incidents.push(Line::plain(format!(
                    "{} — {}",
                    i.label(),
                    crate::reply::plural(i.docs.len(), "article")
                )));
            }
        }
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let mut sections = vec![Section { heading: Some("Reported overlaps".into()), lines }];
    if !incidents.is_empty() {
        sections.push(Section { heading: Some("Incidents of those groups here".into()), lines: incidents });
    }
    Ok(Some(Reply {
        header: Some(format!(
            "`{title}` is not a group of the knowledge base; it is reported as overlapping with the groups below, which are kept apart."
        )),
        sections,
        footer: Some("Overlaps are shown with the source that reports them.".into()),
        title,
        ..Reply::default()
    }))
}

/// "Salt Typhoon: also filed by MISP (GhostEmperor) under GhostEmperor".
fn shared_names(kb: &KnowledgeBase, id: ActorId) -> Vec<Line> {
    let mut out = Vec::new();
    for c in kb.conflicts(id) {
        for &other in c.actors.iter().filter(|&&o| o != id) {
            let o = kb.actor(other);
            let claim = o.names.iter().find(|n| fold(&n.name) == fold(&c.name));
            let by: Vec<String> = claim.map(|n| n.origins.iter().map(|x| x.label()).collect()).unwrap_or_default();
            let mine = kb.actor(id).names.iter().find(|n| fold(&n.name) == fold(&c.name));
            let mine_by: Vec<String> = mine.map(|n| n.origins.iter().map(|x| x.label()).collect()).unwrap_or_default();
            out.push(Line::plain(format!(
                "{}: {} [{}]; {} [{}]",
                c.name,
                kb.actor(id).name,
                mine_by.join(", "),
                o.name,
                by.join(", ")
            )));
        }
    }
    out
}
