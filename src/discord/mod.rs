//! The Discord transport: interactions in, message bodies out.
//!
//! [`Router`] answers an interaction payload (a slash command, an
//! autocomplete request, a Previous/Next button, a PING) with Discord's
//! interaction response, through the same [`crate::command`] table the
//! console uses. Both transports use it: the HTTP interactions endpoint
//! ([`http`]) today, and the gateway when it lands. [`render`] turns
//! replies into embeds within Discord's limits; [`commands_json`] is the
//! registration body built from the command table.

pub mod gateway;
pub mod http;
pub mod post;
pub mod render;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::command::{self, Access, COMMANDS, Context, Invocation, Member, OptionKind, OptionValue};
use crate::config::Settings;
use crate::engine::Engine;
use crate::error::UserError;
use crate::model::Viewer;

/// Interaction types Discord sends.
mod kind {
    pub const PING: u8 = 1;
    pub const COMMAND: u8 = 2;
    pub const COMPONENT: u8 = 3;
    pub const AUTOCOMPLETE: u8 = 4;
}

/// Interaction response types.
mod respond {
    pub const PONG: u8 = 1;
    pub const MESSAGE: u8 = 4;
    pub const DEFERRED_MESSAGE: u8 = 5;
    pub const DEFERRED_UPDATE: u8 = 6;
    pub const UPDATE: u8 = 7;
    pub const CHOICES: u8 = 8;
}

/// The message flag that shows a message to the asker alone.
pub const EPHEMERAL: u64 = 1 << 6;

/// How a slow interaction is acknowledged before its answer is ready.
///
/// Discord fixes a message's visibility when the interaction is
/// acknowledged: a deferral without the ephemeral flag makes the answer
/// public whatever flags the answer carries later. So an answer known to be
/// private is deferred privately; an error after a public deferral goes to
/// the asker alone as a follow-up message (the public placeholder is
/// deleted); and a button's shared message is only ever edited into the
/// next page, never into one user's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deferral {
    /// A command answered to the asker alone (`/help`, `/feeds`, `/digest preview`).
    Private,
    /// A command answered in the channel.
    Public,
    /// A Previous/Next button: its message is updated.
    Update,
}

/// What to do with an answer that is ready after a deferral.
#[derive(Debug, Clone, PartialEq)]
pub enum Completion {
    /// Edit the deferred message (`@original`) into this message.
    Edit(Value),
    /// Send this (ephemeral) message as a follow-up; first delete the
    /// public placeholder when `delete_original`.
    FollowUp { data: Value, delete_original: bool },
}

impl Deferral {
    /// The acknowledgement to send now.
    pub fn acknowledgement(self) -> Value {
        match self {
            Deferral::Private => json!({ "type": respond::DEFERRED_MESSAGE, "data": { "flags": EPHEMERAL } }),
            Deferral::Public => json!({ "type": respond::DEFERRED_MESSAGE }),
            Deferral::Update => json!({ "type": respond::DEFERRED_UPDATE }),
        }
    }

    /// How to deliver `answer` (an interaction response the router made).
    pub fn complete(self, answer: &Value) -> Completion {
        let data = answer.get("data").cloned().unwrap_or(Value::Null);
        let private = data["flags"].as_u64().is_some_and(|f| f & EPHEMERAL != 0);
        match self {
            Deferral::Private => Completion::Edit(data),
            Deferral::Public if private => Completion::FollowUp { data, delete_original: true },
            Deferral::Public => Completion::Edit(data),
            Deferral::Update if answer["type"] == respond::UPDATE => Completion::Edit(data),
            Deferral::Update => Completion::FollowUp { data, delete_original: false },
        }
    }
}

/// The parts of an interaction breachdesk reads; everything else is ignored.
#[derive(Debug, Deserialize)]
pub struct Interaction {
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub guild_id: Option<String>,
    #[serde(default)]
    pub channel_id: Option<String>,
    #[serde(default)]
    pub data: Option<Value>,
    /// In a server: the member (with their permissions and roles).
    #[serde(default)]
    pub member: Option<Value>,
    /// In a direct message: the user.
    #[serde(default)]
    pub user: Option<Value>,
}

impl Interaction {
    /// The member asking, if Discord says who (ids arrive as strings).
    fn asker(&self) -> Option<Member> {
        let id = |v: &Value| v.as_str().and_then(|s| s.parse::<u64>().ok());
        match (&self.member, &self.user) {
            (Some(m), _) => Some(Member {
                user_id: id(&m["user"]["id"])?,
                roles: m["roles"].as_array().map(|r| r.iter().filter_map(id).collect()).unwrap_or_default(),
                permissions: id(&m["permissions"]).unwrap_or(0),
            }),
            (None, Some(u)) => Some(Member { user_id: id(&u["id"])?, roles: Vec::new(), permissions: 0 }),
            _ => None,
        }
    }
}

/// Answers interactions. Cheap to share: the engine is behind a mutex, and
/// what paged answers' buttons need is kept in the store.
pub struct Router {
    engine: Arc<Mutex<Engine>>,
    /// The engine's actor knowledge, for extracting outside its lock.
    knowledge: Arc<crate::extract::facts::Knowledge>,
    settings: Arc<Settings>,
    /// Recent `/ingest` uses per member, for the hourly limit.
    ingests: Mutex<HashMap<u64, VecDeque<DateTime<Utc>>>>,
    /// Fetches pages and attachments for `/ingest url` and `/ingest file`.
    fetcher: Option<Arc<crate::fetch::Fetcher>>,
}

/// The viewer as the store keeps it with a paged answer: 0 for direct
/// messages, else the server's id.
fn viewer_key(viewer: Viewer) -> i64 {
    match viewer {
        Viewer::Public => 0,
        Viewer::Guild(g) => g as i64,
    }
}

impl Router {
    pub fn new(engine: Arc<Mutex<Engine>>, settings: Arc<Settings>) -> Router {
        let knowledge = engine.lock().unwrap_or_else(|p| p.into_inner()).knowledge_handle();
        Router { engine, knowledge, settings, ingests: Mutex::new(HashMap::new()), fetcher: None }
    }

    /// Let `/ingest url` and `/ingest file` fetch with `fetcher`.
    pub fn with_fetcher(mut self, fetcher: Arc<crate::fetch::Fetcher>) -> Router {
        self.fetcher = Some(fetcher);
        self
    }

    /// The interaction response for a payload. A payload that cannot be
    /// read gets an ephemeral message (and a log line), never a panic.
    pub fn handle(&self, payload: &[u8], now: DateTime<Utc>) -> Value {
        let interaction: Interaction = match serde_json::from_slice(payload) {
            Ok(i) => i,
            Err(e) => {
                tracing::warn!(error = %e, "interaction payload not understood");
                return error_response(&UserError::bad_request("That request could not be read."));
            }
        };
        let viewer = match interaction.guild_id.as_deref().map(str::parse::<u64>) {
            Some(Ok(g)) => Viewer::Guild(g),
            Some(Err(_)) => return error_response(&UserError::bad_request("That request named an unknown server.")),
            None => Viewer::Public,
        };
        let data = interaction.data.as_ref().unwrap_or(&Value::Null);
        let channel = interaction.channel_id.as_deref().and_then(|c| c.parse::<u64>().ok());
        match interaction.kind {
            kind::PING => json!({ "type": respond::PONG }),
            kind::COMMAND => match invocation(data).map(|inv| Invocation { channel, ..inv }) {
                Ok(inv) if command::writes(&inv.path) => self.write(inv, viewer, interaction.asker(), now),
                Ok(inv) => self.answer(&interaction.id, inv, viewer, 0, respond::MESSAGE, now),
                Err(e) => error_response(&e),
            },
            kind::AUTOCOMPLETE => self.autocomplete(data, viewer, now),
            kind::COMPONENT => self.page(data, viewer, now),
            other => {
                tracing::warn!(kind = other, "interaction type not handled");
                error_response(&UserError::bad_request("breachdesk does not handle that kind of interaction."))
            }
        }
    }

    /// How a slow answer to this payload is to be deferred: `None` for what
    /// cannot be deferred (PING, autocomplete) or cannot be read.
    pub fn deferral(&self, payload: &[u8]) -> Option<Deferral> {
        #[derive(Deserialize)]
        struct Head {
            #[serde(rename = "type")]
            kind: u8,
            #[serde(default)]
            data: Value,
        }
        let head: Head = serde_json::from_slice(payload).ok()?;
        match head.kind {
            kind::COMMAND => {
                let private = invocation(&head.data).is_ok_and(|inv| command::private(&inv.path));
                Some(if private { Deferral::Private } else { Deferral::Public })
            }
            kind::COMPONENT => Some(Deferral::Update),
            _ => None,
        }
    }

    fn with_context<T>(&self, viewer: Viewer, now: DateTime<Utc>, f: impl FnOnce(&Context<'_>) -> T) -> T {
        let engine = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        let ctx = Context { engine: &engine, settings: &self.settings, viewer, now };
        f(&ctx)
    }

    fn answer(&self, key: &str, inv: Invocation, viewer: Viewer, page: usize, kind: u8, now: DateTime<Utc>) -> Value {
        let result = self.with_context(viewer, now, |ctx| {
            let reply = command::run(ctx, &inv)?;
            let mut paged = render::page_count(&reply) > 1;
            // The first page remembers what the buttons need, in the store:
            // any process on this data directory, and any restart, can turn
            // it. If the store cannot take it now (another process holds it
            // past the busy timeout), the answer goes out without buttons.
            if paged && kind == respond::MESSAGE {
                let remembered = serde_json::to_string(&inv).map_err(|e| e.to_string()).and_then(|json| {
                    let store = ctx.engine.store();
                    store.remember_answer(key, viewer_key(viewer), &json, now).map_err(|e| e.to_string())
                });
                if let Err(error) = remembered {
                    tracing::warn!(%error, "paged answer not remembered; sent without buttons");
                    paged = false;
                }
            }
            Ok::<_, UserError>((reply, paged))
        });
        match result {
            Ok((reply, paged)) => json!({ "type": kind, "data": render::message(&reply, page, paged.then_some(key)) }),
            Err(e) => error_response(&e),
        }
    }

    /// A command that writes: access is checked by the command layer, the
    /// hourly limit here (it needs memory across requests).
    ///
    /// What the command needs fetched is fetched first, and the document
    /// cleaned and extracted, without holding the engine (so other
    /// commands are answered meanwhile); the lock is taken only to store
    /// it. Nothing is fetched for a member not allowed to run the command.
    fn write(&self, inv: Invocation, viewer: Viewer, member: Option<Member>, now: DateTime<Utc>) -> Value {
        let request = match command::prepare_write(&inv, viewer, member.as_ref(), &self.settings) {
            Ok(r) => r,
            Err(e) => return error_response(&e),
        };
        if let Some(m) = &member
            && !self.take_ingest_slot(m.user_id, now)
        {
            return error_response(&UserError::rate_limited(format!(
                "You have added {} in the last hour, the most allowed. Please try again later.",
                crate::reply::plural(self.settings.discord.ingest_per_hour, "article")
            )));
        }
        let fetched = request.map(|r| match &self.fetcher {
            Some(f) => f.fetch_blocking(&r.url, r.expect),
            None => Err(crate::fetch::FetchError::Disabled),
        });
        let mut ctx = command::WriteContext {
            knowledge: &self.knowledge,
            settings: &self.settings,
            viewer,
            member,
            now,
            fetched,
        };
        let stored = command::run_write(&mut ctx, &inv).and_then(|prepared| {
            let mut engine = self.engine.lock().unwrap_or_else(|p| p.into_inner());
            command::finish_write(&mut engine, prepared, now)
        });
        match stored {
            Ok(reply) => json!({ "type": respond::MESSAGE, "data": render::message(&reply, 0, None) }),
            Err(e) => error_response(&e),
        }
    }

    /// Count one `/ingest` for `user`; false when the hour's limit is reached.
    fn take_ingest_slot(&self, user: u64, now: DateTime<Utc>) -> bool {
        let mut all = self.ingests.lock().unwrap_or_else(|p| p.into_inner());
        let recent = all.entry(user).or_default();
        while recent.front().is_some_and(|t| now - *t >= chrono::Duration::hours(1)) {
            recent.pop_front();
        }
        if recent.len() >= self.settings.discord.ingest_per_hour {
            return false;
        }
        recent.push_back(now);
        true
    }

    fn autocomplete(&self, data: &Value, viewer: Viewer, now: DateTime<Utc>) -> Value {
        let Some((option, prefix)) = focused(data) else {
            return json!({ "type": respond::CHOICES, "data": { "choices": [] } });
        };
        let names = self.with_context(viewer, now, |ctx| command::autocomplete(ctx, &option, &prefix));
        let choices: Vec<Value> = names
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e.message, "autocomplete failed");
                Vec::new()
            })
            .into_iter()
            .map(|n| {
                let n = render::clip(&n, 100);
                json!({ "name": n, "value": n })
            })
            .collect();
        json!({ "type": respond::CHOICES, "data": { "choices": choices } })
    }

    fn page(&self, data: &Value, viewer: Viewer, now: DateTime<Utc>) -> Value {
        let custom = data["custom_id"].as_str().unwrap_or_default();
        let mut parts = custom.splitn(3, ':');
        let (Some("page"), Some(page), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return error_response(&UserError::bad_request("That button is not breachdesk's."));
        };
        let page: usize = page.parse().unwrap_or(0);
        let remembered = self.with_context(viewer, now, |ctx| ctx.engine.store().answer(key, now));
        let remembered = match remembered {
            Ok(r) => r.and_then(|(asked_as, json)| Some((asked_as, serde_json::from_str::<Invocation>(&json).ok()?))),
            Err(e) => return error_response(&command::internal(e)),
        };
        match remembered {
            // The viewer is the one who asked: a button cannot widen what is shown.
            Some((asked_as, inv)) if asked_as == viewer_key(viewer) => {
                self.answer(key, inv, viewer, page, respond::UPDATE, now)
            }
            _ => error_response(&UserError::not_found("This answer has expired. Run the command again.")),
        }
    }
}

/// An ephemeral message for a user error.
fn error_response(e: &UserError) -> Value {
    json!({ "type": respond::MESSAGE, "data": render::message(&command::error_reply(e), 0, None) })
}

/// A command interaction's data as an [`Invocation`]: its name, subcommand
/// and option values.
pub fn invocation(data: &Value) -> Result<Invocation, UserError> {
    let bad = || UserError::bad_request("That command could not be read.");
    let name = data["name"].as_str().ok_or_else(bad)?;
    let mut inv = Invocation { path: vec![name.to_string()], ..Invocation::default() };
    if let Some(files) = data["resolved"]["attachments"].as_object() {
        for (id, a) in files {
            let (Some(filename), Some(url)) = (a["filename"].as_str(), a["url"].as_str()) else { continue };
            let size = a["size"].as_u64().unwrap_or(u64::MAX);
            inv.attachments
                .insert(id.clone(), command::Attachment { filename: filename.into(), url: url.into(), size });
        }
    }
    let (sub, options) = leaf_options(data);
    if let Some(sub) = sub {
        inv.path.push(sub["name"].as_str().ok_or_else(bad)?.to_string());
    }
    for o in options {
        let name = o["name"].as_str().ok_or_else(bad)?.to_string();
        let value = match &o["value"] {
            Value::String(s) => OptionValue::String(s.clone()),
            Value::Number(n) => OptionValue::Integer(n.as_i64().ok_or_else(bad)?),
            Value::Bool(b) => OptionValue::String(b.to_string()),
            _ => return Err(bad()),
        };
        inv.options.insert(name, value);
    }
    Ok(inv)
}

/// The subcommand (type 1) of command data, if any, and the options that
/// carry values: the subcommand's own, else the command's.
fn leaf_options(data: &Value) -> (Option<&Value>, &[Value]) {
    let top = data["options"].as_array().map(Vec::as_slice).unwrap_or_default();
    match top.iter().find(|o| o["type"] == 1) {
        Some(sub) => (Some(sub), sub["options"].as_array().map(Vec::as_slice).unwrap_or_default()),
        None => (None, top),
    }
}

/// The option being typed in an autocomplete request, and what is typed.
fn focused(data: &Value) -> Option<(String, String)> {
    let o = leaf_options(data).1.iter().find(|o| o["focused"] == true)?;
    Some((o["name"].as_str()?.to_string(), o["value"].as_str().unwrap_or_default().to_string()))
}

/// The application-command registration body for the whole command table:
/// commands sharing a first word become one command with subcommands.
pub fn commands_json() -> Value {
    let mut groups: Vec<(&str, Vec<&command::CommandSpec>)> = Vec::new();
    for c in COMMANDS {
        match groups.iter_mut().find(|(n, _)| *n == c.path[0]) {
            Some((_, list)) => list.push(c),
            None => groups.push((c.path[0], vec![c])),
        }
    }
    let options = |c: &command::CommandSpec| -> Vec<Value> {
        c.options
            .iter()
            .map(|o| {
                let mut v = json!({
                    "name": o.name,
                    "description": render::clip(o.description, 100),
                    "required": o.required,
                });
                match o.kind {
                    OptionKind::String => {
                        v["type"] = json!(3);
                        v["autocomplete"] = json!(o.autocomplete);
                    }
                    OptionKind::Choice(choices) => {
                        v["type"] = json!(3);
                        v["choices"] =
                            json!(choices.iter().map(|c| json!({ "name": c, "value": c })).collect::<Vec<_>>());
                    }
                    OptionKind::Attachment => v["type"] = json!(11),
                    OptionKind::Integer { min, max } => {
                        v["type"] = json!(4);
                        v["min_value"] = json!(min);
                        v["max_value"] = json!(max);
                    }
                }
                v
            })
            .collect()
    };
    let body: Vec<Value> = groups
        .into_iter()
        .map(|(name, specs)| {
            if specs.len() == 1 && specs[0].path.len() == 1 {
                let c = specs[0];
                json!({ "name": name, "type": 1, "description": render::clip(c.description, 100), "options": options(c) })
            } else {
                let subs: Vec<Value> = specs
                    .iter()
                    .map(|c| {
                        json!({
                            "name": c.path[1],
                            "type": 1,
                            "description": render::clip(c.description, 100),
                            "options": options(c),
                        })
                    })
                    .collect();
                let mut group =
                    json!({ "name": name, "type": 1, "description": format!("breachdesk: {name}"), "options": subs });
                if specs.iter().any(|c| c.access == Access::Ingest) {
                    // Manage Server by default (admins may widen it; the handler checks again),
                    // and never in direct messages.
                    group["default_member_permissions"] = json!(command::MANAGE_GUILD);
                    group["contexts"] = json!([0]);
                }
                group
            }
        })
        .collect();
    Value::Array(body)
}

#[cfg(test)]
mod tests;
