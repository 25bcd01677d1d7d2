//! `/ingest text <text> [title] [url]`: add an article to this server's
//! collection, and say what was found in it. Visible only in this server.

use super::{Invocation, WriteContext, internal};
use crate::error::UserError;
use crate::ingest::from_text;
use crate::model::{Scope, Viewer};
use crate::reply::{Line, Reply, Section};
use crate::store::PutOutcome;

pub fn text(ctx: &mut WriteContext<'_>, inv: &Invocation) -> Result<Reply, UserError> {
    let Viewer::Guild(guild) = ctx.viewer else {
        return Err(UserError::forbidden("Ingest in a server channel."));
    };
    let text = inv.string("text").unwrap_or_default();
    if text.len() as u64 > ctx.settings.ingest.max_file_bytes {
        return Err(UserError::bad_request(format!(
            "That text is {} bytes; the limit is {}.",
            text.len(),
            ctx.settings.ingest.max_file_bytes
        )));
    }
    let url = inv.string("url").map(str::trim).filter(|u| !u.is_empty());
    if let Some(u) = url
        && !crate::model::is_http_url(u)
    {
        return Err(UserError::bad_request("`url` must be an http or https address."));
    }
    let loaded = from_text(text, inv.string("title"), url, Scope::Guild(guild))
        .map_err(|e| UserError::bad_request(format!("Nothing to store: {e}.")))?;
    let title = loaded.doc.title.clone();
    let outcome = ctx.engine.ingest_and_commit(std::slice::from_ref(&loaded), ctx.now).map_err(internal)?;
    let (id, verb) = match outcome[0] {
        PutOutcome::Added(id) => (id, "Added"),
        PutOutcome::Updated(id) => (id, "Updated"),
        PutOutcome::Duplicate(id) => (id, "Already stored"),
    };
    let store = ctx.engine.store();
    let facts = store.facts_of(id).map_err(internal)?.unwrap_or_default();
    let statements = store.statements_of(id).map_err(internal)?.len();
    let list = |label: &str, xs: Vec<String>| {
        Line::plain(format!("{label}: {}", if xs.is_empty() { "none found".to_string() } else { xs.join(", ") }))
    };
    Ok(Reply {
        title: format!("{verb}: {title}"),
        header: Some("Visible in this server only.".into()),
        sections: vec![Section {
            heading: None,
            lines: vec![
                list("Actors", facts.threat_actors.iter().map(|a| a.name.clone()).collect()),
                list("Victims", facts.victims.clone()),
                list("Responders", facts.responders.clone()),
                Line::plain(format!("Statements: {statements}")),
            ],
        }],
        ephemeral: false,
        ..Reply::default()
    })
}
