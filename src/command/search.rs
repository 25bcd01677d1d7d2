//! `/breach search <query> [page]`: Tantivy's query language over the
//! articles a user may see, a page at a time, each hit with its best
//! matching sentence, cited; near-duplicate copies of one story on a page
//! are one hit that cites every copy.

use std::collections::HashSet;

use super::{Context, Invocation, internal};
use crate::error::{UserError, UserErrorKind};
use crate::rank::terms;
use crate::reply::{Citations, Line, Reply, Section};

pub fn run(ctx: &Context<'_>, inv: &Invocation) -> Result<Reply, UserError> {
    let text = inv.string("query").unwrap_or("").trim();
    let index = ctx.engine.index();
    let query = index
        .parse(text)
        .map_err(|e| UserError::new(UserErrorKind::BadQuery, format!("Could not read `{text}`: {}.", e.0)))?;
    let size = ctx.settings.answer.page_size;
    let page_no = inv.integer("page").unwrap_or(1).max(1) as usize;
    let page = index.search(&*query, ctx.viewer, (page_no - 1) * size, size).map_err(internal)?;
    if page.total == 0 {
        return Err(UserError::not_found(format!("No article matches `{text}`.")));
    }
    let pages = page.total.div_ceil(size);
    if page.hits.is_empty() {
        return Err(UserError::past_end(pages, &format!("`{text}`")));
    }

    let ids: Vec<_> = page.hits.iter().map(|h| h.doc).collect();
    let docs = ctx.engine.documents(&ids).map_err(internal)?;
    let docs: Vec<_> = docs.into_iter().filter(|d| ctx.viewer.can_see(d.scope)).collect();
    // A near-duplicate copy of a story (a syndicated or lightly edited
    // one) is shown once, with every copy's source.
    let visible: Vec<_> = docs.iter().map(|d| d.id).collect();
    let groups = ctx.engine.copies_of_one_story(&visible).map_err(internal)?;
    let mut analyzer = index.analyzer();
    let wanted: HashSet<String> = terms(&mut analyzer, text);
    let mut cites = Citations::default();
    let mut lines = Vec::new();
    for group in &groups {
        let Some(doc) = docs.iter().find(|d| d.id == group[0]) else { continue };
        let copies: Vec<_> = group[1..].iter().filter_map(|id| docs.iter().find(|d| d.id == *id)).collect();
        // The sentence sharing most terms with the query; else the first.
        let mut best: Option<(usize, usize, &str)> = None;
        for (pi, p) in doc.paragraphs.iter().enumerate().filter(|(_, p)| !p.heading) {
            for s in p.sentence_texts() {
                let overlap = terms(&mut analyzer, s).intersection(&wanted).count();
                if best.is_none_or(|(b, _, _)| overlap > b) {
                    best = Some((overlap, pi, s));
                }
            }
        }
        let date = doc.published_label();
        match best {
            Some((_, pi, sentence)) => {
                let n = cites.cite(doc, pi);
                lines.push(Line::cited(format!("{} ({date}): {sentence}", doc.title), n));
            }
            None => lines.push(Line::plain(format!("{} ({date})", doc.title))),
        }
        for copy in copies {
            let n = cites.cite(copy, 0);
            lines.push(Line::cited(format!("  also as {} ({})", copy.title, copy.published_label()), n));
        }
    }
    Ok(Reply {
        title: format!("Search: {text}"),
        header: Some(format!("{} matching article{}", page.total, if page.total == 1 { "" } else { "s" })),
        sections: vec![Section { heading: None, lines }],
        citations: cites.into_vec(),
        footer: Some(format!("Page {page_no} of {pages}")),
        ephemeral: false,
    })
}
