//! `/ingest text|url|file`: add an article to this server's collection, and
//! say what was found in it. Visible only in this server.
//!
//! `url` and `file` need a page fetched: [`fetch_request`] says which, the
//! transport fetches it (outside the engine lock, under the rules of
//! [`crate::fetch`]) and the handler gets the result in
//! [`WriteContext::fetched`]. The handlers clean what they are given into a
//! document, without the engine; [`store`] is the one step that holds it.

use super::{FetchRequest, Invocation, WriteContext, internal};
use crate::config::Settings;
use crate::engine::{Engine, EngineError, Prepared};
use crate::error::UserError;
use crate::fetch::{Expect, Fetched};
use crate::index::IndexError;
use crate::ingest::{Format, Loaded, from_bytes, from_fetched, from_text};
use crate::model::{Scope, Viewer};
use crate::reply::{Line, Reply, Section};
use crate::store::PutOutcome;

/// What `/ingest url` or `/ingest file` needs fetched; refuses what would be
/// refused anyway (a bad address, a file of another type or too large)
/// before anything is fetched.
pub fn fetch_request(inv: &Invocation, settings: &Settings) -> Result<Option<FetchRequest>, UserError> {
    match inv.path.get(1).map(String::as_str) {
        Some("url") => {
            let link = inv.string("link").unwrap_or_default().trim();
            crate::fetch::parse_http(link).map_err(|e| UserError::bad_request(format!("`link`: {e}.")))?;
            Ok(Some(FetchRequest { url: link.to_string(), expect: Expect::Page }))
        }
        Some("file") => {
            let file = attachment(inv)?;
            if Format::from_name(&file.filename).is_none() {
                return Err(UserError::bad_request(format!(
                    "`{}` is not a .txt, .md or .html file.",
                    file.filename.chars().take(100).collect::<String>()
                )));
            }
            let max = settings.ingest.max_file_bytes;
            if file.size > max {
                return Err(UserError::bad_request(format!("That file is {} bytes; the limit is {max}.", file.size)));
            }
            Ok(Some(FetchRequest { url: file.url.clone(), expect: Expect::Attachment }))
        }
        _ => Ok(None),
    }
}

fn attachment(inv: &Invocation) -> Result<&super::Attachment, UserError> {
    inv.string("file")
        .and_then(|id| inv.attachments.get(id))
        .ok_or_else(|| UserError::bad_request("Attach a .txt, .md or .html file."))
}

fn guild_of(ctx: &WriteContext<'_>) -> Result<u64, UserError> {
    match ctx.viewer {
        Viewer::Guild(guild) => Ok(guild),
        Viewer::Public => Err(UserError::forbidden("Ingest in a server channel.")),
    }
}

pub fn text(ctx: &mut WriteContext<'_>, inv: &Invocation) -> Result<Loaded, UserError> {
    let guild = guild_of(ctx)?;
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
    from_text(text, inv.string("title"), url, Scope::Guild(guild))
        .map_err(|e| UserError::bad_request(format!("Nothing to store: {e}.")))
}

/// The fetched page, or why it could not be had.
fn fetched(ctx: &mut WriteContext<'_>, what: &str) -> Result<Fetched, UserError> {
    match ctx.fetched.take() {
        Some(Ok(page)) => Ok(page),
        Some(Err(e)) => Err(UserError::bad_request(format!("Could not fetch {what}: {e}."))),
        None => Err(UserError::bad_request("Fetching is not available here.")),
    }
}

pub fn url(ctx: &mut WriteContext<'_>, _: &Invocation) -> Result<Loaded, UserError> {
    let guild = guild_of(ctx)?;
    let page = fetched(ctx, "that page")?;
    from_fetched(&page, Scope::Guild(guild), ctx.settings.ingest.max_file_bytes, None, None)
        .map_err(|e| UserError::bad_request(format!("Nothing to store: {e}.")))
}

pub fn file(ctx: &mut WriteContext<'_>, inv: &Invocation) -> Result<Loaded, UserError> {
    let guild = guild_of(ctx)?;
    let name = attachment(inv)?.filename.clone();
    let page = fetched(ctx, "the file")?;
    let format = Format::from_name(&name).ok_or_else(|| UserError::bad_request("Unsupported file type."))?;
    // Known by its content: the download address of an attachment expires.
    let canonical = format!("attachment:{}", &blake3::hash(&page.body).to_hex()[..32]);
    from_bytes(&page.body, format, &name, canonical, Scope::Guild(guild), ctx.settings.ingest.max_file_bytes)
        .map_err(|e| UserError::bad_request(format!("Nothing to store: {e}.")))
}

/// Store, index and say what was found.
pub fn store(engine: &mut Engine, prepared: Prepared, now: chrono::DateTime<chrono::Utc>) -> Result<Reply, UserError> {
    let outcome = engine.store_prepared(std::slice::from_ref(&prepared), now).map_err(internal)?;
    let header = match engine.commit() {
        Ok(()) => "Visible in this server only.",
        // Stored: the next commit of whichever process holds the index indexes it.
        Err(EngineError::Index(IndexError::Busy(_))) => {
            "Visible in this server only. Stored; search finds it once another breachdesk process has finished writing the index."
        }
        Err(e) => return Err(internal(e)),
    };
    let mut reply = found(engine, outcome[0])?;
    reply.header = Some(header.into());
    Ok(reply)
}

/// What was found in a stored document: title, actors, victims,
/// responders, how many statements.
pub fn found(engine: &Engine, outcome: PutOutcome) -> Result<Reply, UserError> {
    let (id, verb) = match outcome {
        PutOutcome::Added(id) => (id, "Added"),
        PutOutcome::Updated(id) => (id, "Updated"),
        PutOutcome::Duplicate(id) => (id, "Already stored"),
    };
    let store = engine.store();
    let title = store.document(id).map_err(internal)?.map(|d| d.title).unwrap_or_default();
    let facts = store.facts_of(id).map_err(internal)?.unwrap_or_default();
    let statements = store.statements_of(id).map_err(internal)?.len();
    let list = |label: &str, xs: Vec<String>| {
        Line::plain(format!("{label}: {}", if xs.is_empty() { "none found".to_string() } else { xs.join(", ") }))
    };
    Ok(Reply {
        title: format!("{verb}: {title}"),
        header: None,
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
