//! Commands: one table, parsed from what a user types or from a Discord
//! interaction, answered as transport-neutral [`Reply`]s.
//!
//! Every command is a plain function from a [`Context`] (engine, settings,
//! who is asking, `now`) and an [`Invocation`] to a `Result<Reply, UserError>`.
//! The console and both Discord transports go through [`run`] with the same
//! [`COMMANDS`] table; nothing here knows about a transport.

mod actor;
mod digest;
mod feeds;
mod ingest;
mod search;
mod summary;
mod typed;
mod who_said;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::config::Settings;
use crate::engine::{Engine, Prepared};
use crate::error::{UserError, UserErrorKind};
use crate::model::Viewer;
use crate::reply::{Line, Reply, Section};

pub use ingest::found;
pub use typed::parse_typed;

/// What a command may read, and who is asking when.
pub struct Context<'a> {
    pub engine: &'a Engine,
    pub settings: &'a Settings,
    pub viewer: Viewer,
    pub now: DateTime<Utc>,
}

/// A value given for an option.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum OptionValue {
    String(String),
    Integer(i64),
}

/// A command as invoked: its path (`["breach", "summary"]`) and options.
/// Serialised for paged answers, whose buttons run it again.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Invocation {
    pub path: Vec<String>,
    pub options: BTreeMap<String, OptionValue>,
    /// Files shared with the command, by the id an attachment option holds.
    pub attachments: BTreeMap<String, Attachment>,
    /// The channel it was invoked in, when the transport says.
    pub channel: Option<u64>,
}

/// A file shared with a command, as the transport describes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    pub filename: String,
    /// Where the transport lets it be downloaded.
    pub url: String,
    pub size: u64,
}

/// What a writing command needs fetched before it runs. The transport
/// fetches it outside the engine lock and hands the result to the command
/// in [`WriteContext::fetched`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    pub url: String,
    pub expect: crate::fetch::Expect,
}

impl Invocation {
    pub fn string(&self, name: &str) -> Option<&str> {
        match self.options.get(name) {
            Some(OptionValue::String(s)) => Some(s.as_str()),
            _ => None,
        }
    }
    pub fn integer(&self, name: &str) -> Option<i64> {
        match self.options.get(name) {
            Some(OptionValue::Integer(i)) => Some(*i),
            _ => None,
        }
    }
}

/// The type of an option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    String,
    Integer {
        min: i64,
        max: i64,
    },
    /// A string from a fixed list (Discord shows a choice list).
    Choice(&'static [&'static str]),
    /// A file shared with the command; the value is the attachment's id.
    Attachment,
}

/// The stance names, as a choice list.
pub const STANCES: &[&str] = &["denial", "no_comment", "accusation", "confirmation", "claim", "warning", "assessment"];

/// An option of a command, as Discord registers it.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: OptionKind,
    pub required: bool,
    /// Names are suggested while the user types.
    pub autocomplete: bool,
}

/// A command that reads.
type ReadHandler = fn(&Context<'_>, &Invocation) -> Result<Reply, UserError>;
/// A command that writes (ingests): from the invocation, and what was
/// fetched for it, to the cleaned document to store. It runs without the
/// engine, so cleaning never holds the engine's lock.
type WriteHandler = fn(&mut WriteContext<'_>, &Invocation) -> Result<crate::ingest::Loaded, UserError>;

#[derive(Clone, Copy)]
enum Handler {
    Read(ReadHandler),
    Write(WriteHandler),
}

/// Who may run a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone in the channel.
    Open,
    /// Never in direct messages. With `discord.ingest_roles` empty, as
    /// Discord decides: the command is registered for members with Manage
    /// Server, and a server's admins may grant it to others in Server
    /// Settings → Integrations; Discord delivers it only to members it
    /// allows. With roles listed, the handler also requires Manage Server
    /// (or Administrator) or one of those roles.
    Ingest,
}

/// The member asking, as Discord describes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Member {
    pub user_id: u64,
    pub roles: Vec<u64>,
    /// Their permission bits in the channel.
    pub permissions: u64,
}

/// Discord permission bits that allow `/ingest`.
pub const ADMINISTRATOR: u64 = 1 << 3;
pub const MANAGE_GUILD: u64 = 1 << 5;

impl Member {
    /// Whether they may ingest under these settings (see [`Access::Ingest`]).
    pub fn may_ingest(&self, settings: &Settings) -> bool {
        let roles = &settings.discord.ingest_roles;
        roles.is_empty()
            || self.permissions & (ADMINISTRATOR | MANAGE_GUILD) != 0
            || self.roles.iter().any(|r| roles.contains(r))
    }
}

/// What a writing command may use: not the engine, whose lock is taken
/// only to store what the command prepared ([`finish_write`]).
pub struct WriteContext<'a> {
    /// The actor knowledge extraction reads.
    pub knowledge: &'a crate::extract::facts::Knowledge,
    pub settings: &'a Settings,
    pub viewer: Viewer,
    pub member: Option<Member>,
    pub now: DateTime<Utc>,
    /// The result of the command's [`FetchRequest`], when it has one.
    pub fetched: Option<Result<crate::fetch::Fetched, crate::fetch::FetchError>>,
}

/// A command: its path, what it does, its options, who may run it, and its handler.
#[derive(Clone, Copy)]
pub struct CommandSpec {
    /// `["breach", "summary"]` is `/breach summary`.
    pub path: &'static [&'static str],
    pub description: &'static str,
    pub options: &'static [OptionSpec],
    pub access: Access,
    /// Answered to the asker alone (ephemeral). Known before the command
    /// runs, so a slow answer is deferred privately too.
    pub private: bool,
    handler: Handler,
}

impl CommandSpec {
    /// The command as a user types it, e.g. `/breach summary`.
    pub fn display(&self) -> String {
        format!("/{}", self.path.join(" "))
    }
}

/// The `page` option of commands whose answers are paged.
const PAGE: OptionSpec = OptionSpec {
    name: "page",
    description: "Page of results",
    kind: OptionKind::Integer { min: 1, max: 1000 },
    required: false,
    autocomplete: false,
};

/// Every command. The Discord transport registers exactly these.
pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        path: &["breach", "summary"],
        description: "Summarise an incident from its sources, every sentence cited",
        options: &[OptionSpec {
            name: "incident",
            description: "Incident or actor, e.g. salt typhoon (default: the most recent)",
            kind: OptionKind::String,
            required: false,
            autocomplete: true,
        }],
        access: Access::Open,
        private: false,
        handler: Handler::Read(summary::run),
    },
    CommandSpec {
        path: &["breach", "actor"],
        description: "An actor's card: every name and who uses it, sponsor, sectors, incidents, statements",
        options: &[OptionSpec {
            name: "name",
            description: "Any name of the actor, e.g. Volt Typhoon or BRONZE SILHOUETTE",
            kind: OptionKind::String,
            required: true,
            autocomplete: true,
        }],
        access: Access::Open,
        private: false,
        handler: Handler::Read(actor::run),
    },
    CommandSpec {
        path: &["breach", "search"],
        description: "Search the articles (AND/OR/NOT, \"phrases\", title:, published:[.. TO ..])",
        options: &[
            OptionSpec {
                name: "query",
                description: "What to look for",
                kind: OptionKind::String,
                required: true,
                autocomplete: false,
            },
            PAGE,
        ],
        access: Access::Open,
        private: false,
        handler: Handler::Read(search::run),
    },
    CommandSpec {
        path: &["who-said"],
        description: "Who said what: statements by stance, topic, speaker or incident, newest first",
        options: &[
            OptionSpec {
                name: "query",
                description: "A stance (denial, no_comment, accusation, confirmation, claim, warning, assessment) or a topic",
                kind: OptionKind::String,
                required: false,
                autocomplete: false,
            },
            OptionSpec {
                name: "stance",
                description: "Only statements of this stance",
                kind: OptionKind::Choice(STANCES),
                required: false,
                autocomplete: false,
            },
            OptionSpec {
                name: "speaker",
                description: "Only statements by this speaker",
                kind: OptionKind::String,
                required: false,
                autocomplete: true,
            },
            OptionSpec {
                name: "incident",
                description: "Only statements in articles about this incident or actor",
                kind: OptionKind::String,
                required: false,
                autocomplete: true,
            },
            PAGE,
        ],
        access: Access::Open,
        private: false,
        handler: Handler::Read(who_said::run),
    },
    CommandSpec {
        path: &["ingest", "text"],
        description: "Add an article to this server's collection (Manage Server or an ingest role)",
        options: &[
            OptionSpec {
                name: "text",
                description: "The article's text",
                kind: OptionKind::String,
                required: true,
                autocomplete: false,
            },
            OptionSpec {
                name: "title",
                description: "Its title (default: its first line)",
                kind: OptionKind::String,
                required: false,
                autocomplete: false,
            },
            OptionSpec {
                name: "url",
                description: "Where it was published (http or https)",
                kind: OptionKind::String,
                required: false,
                autocomplete: false,
            },
        ],
        access: Access::Ingest,
        private: false,
        handler: Handler::Write(ingest::text),
    },
    CommandSpec {
        path: &["ingest", "url"],
        description: "Fetch an article page and add it to this server's collection",
        options: &[OptionSpec {
            name: "link",
            description: "The page's address (http or https)",
            kind: OptionKind::String,
            required: true,
            autocomplete: false,
        }],
        access: Access::Ingest,
        private: false,
        handler: Handler::Write(ingest::url),
    },
    CommandSpec {
        path: &["ingest", "file"],
        description: "Add an article from a .txt, .md or .html file to this server's collection",
        options: &[OptionSpec {
            name: "file",
            description: "The file (.txt, .md or .html)",
            kind: OptionKind::Attachment,
            required: true,
            autocomplete: false,
        }],
        access: Access::Ingest,
        private: false,
        handler: Handler::Write(ingest::file),
    },
    CommandSpec {
        path: &["digest", "preview"],
        description: "What this channel's next daily digest would hold, from what is stored now",
        options: &[],
        access: Access::Open,
        private: true,
        handler: Handler::Read(digest::preview),
    },
    CommandSpec {
        path: &["feeds"],
        description: "The feeds breachdesk polls: last success, last error, articles taken in",
        options: &[],
        access: Access::Open,
        private: true,
        handler: Handler::Read(feeds::run),
    },
    CommandSpec {
        path: &["help"],
        description: "List the commands",
        options: &[],
        access: Access::Open,
        private: true,
        handler: Handler::Read(help),
    },
];

/// Suggestions for an option with `autocomplete` while the user types
/// `prefix`: incident labels, actor names (every alias) and speakers, at most
/// 25 (Discord's limit). Cheap enough to call on every keystroke: the
/// incidents are cached by the engine and the names are scanned in memory.
pub fn autocomplete(ctx: &Context<'_>, option: &str, prefix: &str) -> Result<Vec<String>, UserError> {
    const MAX: usize = 25;
    let p = crate::clean::fold(prefix);
    let mut out: Vec<String> = Vec::new();
    let push = |s: &str, out: &mut Vec<String>| {
        if out.len() < MAX && !out.iter().any(|o| o == s) {
            out.push(s.chars().take(100).collect());
        }
    };
    match option {
        "speaker" => {
            for s in ctx.engine.store().speakers_with_prefix(&ctx.viewer.scopes(), prefix, MAX).map_err(internal)? {
                push(&s, &mut out);
            }
        }
        "incident" | "name" => {
            let engine = ctx.engine;
            let kb = &engine.knowledge().kb;
            let starts = |s: &str| crate::clean::fold(s).starts_with(&p);
            // Actors reported here whose name (or an alias) starts with the prefix.
            let mut here: Vec<String> = engine.actor_keys(ctx.viewer, prefix, MAX).map_err(internal)?;
            // ... or whose knowledge-base alias does ("bronze s" finds Volt Typhoon's incidents).
            for (_, id, _) in kb.all_names().filter(|(n, _, _)| starts(n)).take(MAX) {
                let own = crate::clean::fold(&kb.actor(id).name);
                if !here.contains(&own) && !engine.actor_keys(ctx.viewer, &own, 1).map_err(internal)?.is_empty() {
                    here.push(own);
                }
            }
            if option == "incident" {
                for key in here.iter().take(10) {
                    for i in engine.incidents_of(ctx.viewer, key).map_err(internal)?.iter() {
                        push(&i.label(), &mut out);
                    }
                }
            }
            // Names of actors reported here first, then the rest of the knowledge base.
            for key in &here {
                match kb.resolve(key) {
                    Some(id) => {
                        for n in kb.actor(id).names.iter().filter(|n| starts(&n.name)) {
                            push(&n.name, &mut out);
                        }
                    }
                    None => {
                        if let Some(i) = engine.incidents_of(ctx.viewer, key).map_err(internal)?.first() {
                            push(&i.actor, &mut out);
                        }
                    }
                }
            }
            for (name, _, _) in kb.all_names() {
                if out.len() >= MAX {
                    break;
                }
                if starts(name) {
                    push(name, &mut out);
                }
            }
        }
        _ => {}
    }
    Ok(out)
}

/// Find a command by its path.
pub fn find(path: &[String]) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.path.len() == path.len() && c.path.iter().zip(path).all(|(a, b)| a == b))
}

/// Check the invocation against its command's options, then answer it.
/// Commands that write are refused here: they go through [`run_write`].
pub fn run(ctx: &Context<'_>, inv: &Invocation) -> Result<Reply, UserError> {
    let spec = checked(inv)?;
    match spec.handler {
        Handler::Read(h) => h(ctx, inv).map(|reply| Reply { ephemeral: reply.ephemeral || spec.private, ..reply }),
        Handler::Write(_) => Err(UserError::bad_request(format!(
            "{} works in a Discord server; on the command line use `breachdesk ingest`.",
            spec.display()
        ))),
    }
}

/// Run a writing command after checking who asks: the document it adds,
/// cleaned and extracted, ready for [`finish_write`]. Takes no lock; this
/// is where the time of an ingest goes.
pub fn run_write(ctx: &mut WriteContext<'_>, inv: &Invocation) -> Result<Prepared, UserError> {
    let spec = checked(inv)?;
    let Handler::Write(h) = spec.handler else {
        return Err(UserError::bad_request(format!("{} does not add anything.", spec.display())));
    };
    authorise(spec, ctx.viewer, ctx.member.as_ref(), ctx.settings)?;
    let loaded = h(ctx, inv)?;
    Ok(crate::engine::prepare(loaded, ctx.knowledge))
}

/// Store what [`run_write`] prepared and say what was found: the only step
/// of an ingest that holds the engine.
pub fn finish_write(engine: &mut Engine, prepared: Prepared, now: DateTime<Utc>) -> Result<Reply, UserError> {
    ingest::store(engine, prepared, now)
}

/// Whether `member`, asking from `viewer`, may run the command.
fn authorise(
    spec: &CommandSpec,
    viewer: Viewer,
    member: Option<&Member>,
    settings: &Settings,
) -> Result<(), UserError> {
    if spec.access == Access::Ingest {
        let Viewer::Guild(_) = viewer else {
            return Err(UserError::forbidden(
                "Ingest in a server channel: direct messages read only the shared articles.",
            ));
        };
        if !member.is_some_and(|m| m.may_ingest(settings)) {
            return Err(UserError::forbidden(
                "Adding articles needs the Manage Server permission or one of this server's ingest roles.",
            ));
        }
    }
    Ok(())
}

/// Before a writing command runs: check who asks and the options, and say
/// what must be fetched for it (nothing is fetched for a member who may not
/// run the command, or for options that are refused anyway).
pub fn prepare_write(
    inv: &Invocation,
    viewer: Viewer,
    member: Option<&Member>,
    settings: &Settings,
) -> Result<Option<FetchRequest>, UserError> {
    let spec = checked(inv)?;
    authorise(spec, viewer, member, settings)?;
    ingest::fetch_request(inv, settings)
}

/// Whether a command (by path) answers privately ([`CommandSpec::private`]).
pub fn private(path: &[String]) -> bool {
    find(path).is_some_and(|s| s.private)
}

/// Whether a command (by path) writes.
pub fn writes(path: &[String]) -> bool {
    find(path).is_some_and(|s| matches!(s.handler, Handler::Write(_)))
}

/// The command an invocation names, with its options checked.
fn checked(inv: &Invocation) -> Result<&'static CommandSpec, UserError> {
    let spec = find(&inv.path).ok_or_else(|| unknown_command(&inv.path.join(" ")))?;
    for (name, value) in &inv.options {
        let opt = spec
            .options
            .iter()
            .find(|o| o.name == name)
            .ok_or_else(|| UserError::bad_request(format!("{} has no option `{name}`.", spec.display())))?;
        match (opt.kind, value) {
            (OptionKind::String, OptionValue::String(s)) if s.chars().count() > 1000 => {
                return Err(UserError::bad_request(format!("`{name}` is too long (1000 characters at most).")));
            }
            (OptionKind::Integer { min, max }, OptionValue::Integer(i)) if !(min..=max).contains(i) => {
                return Err(UserError::bad_request(format!("`{name}` must be between {min} and {max}.")));
            }
            (OptionKind::Choice(choices), OptionValue::String(s)) if !choices.contains(&s.as_str()) => {
                return Err(UserError::bad_request(format!("`{name}` must be one of: {}.", choices.join(", "))));
            }
            (OptionKind::Attachment, OptionValue::String(id)) if !inv.attachments.contains_key(id) => {
                return Err(UserError::bad_request(format!("The file given for `{name}` was not received.")));
            }
            (OptionKind::String | OptionKind::Choice(_) | OptionKind::Attachment, OptionValue::String(_))
            | (OptionKind::Integer { .. }, OptionValue::Integer(_)) => {}
            _ => {
                return Err(UserError::bad_request(format!("`{name}` has a value of the wrong kind.")));
            }
        }
    }
    if let Some(missing) = spec.options.iter().find(|o| o.required && !inv.options.contains_key(o.name)) {
        return Err(UserError::bad_request(format!(
            "{} needs `{}`: {}.",
            spec.display(),
            missing.name,
            missing.description.to_lowercase()
        )));
    }
    Ok(spec)
}

/// Parse what a user typed and answer it; errors become short ephemeral replies.
pub fn answer_typed(ctx: &Context<'_>, text: &str) -> Result<Reply, UserError> {
    parse_typed(text).and_then(|inv| run(ctx, &inv))
}

/// The reply shown for a user error.
pub fn error_reply(e: &UserError) -> Reply {
    let title = match e.kind {
        UserErrorKind::NotFound => "Nothing found",
        UserErrorKind::PastEnd => "No such page",
        UserErrorKind::BadQuery => "Query not understood",
        UserErrorKind::Forbidden => "Not allowed",
        UserErrorKind::RateLimited => "Slow down",
        UserErrorKind::Unavailable => "Not delivered",
        UserErrorKind::Internal => "Error",
        UserErrorKind::BadRequest => "Command not understood",
    };
    Reply { title: title.into(), header: Some(e.message.clone()), ephemeral: true, ..Reply::default() }
}

fn unknown_command(typed: &str) -> UserError {
    let names: Vec<String> = COMMANDS.iter().map(CommandSpec::display).collect();
    UserError::bad_request(format!("Unknown command `/{typed}`. Commands: {}.", names.join(", ")))
}

/// Map an internal failure to what the user may see.
pub(crate) fn internal(e: impl std::error::Error) -> UserError {
    UserError::internal(&e)
}

fn help(_: &Context<'_>, _: &Invocation) -> Result<Reply, UserError> {
    let lines = COMMANDS
        .iter()
        .map(|c| {
            let opts: Vec<String> = c
                .options
                .iter()
                .map(|o| if o.required { format!("<{}>", o.name) } else { format!("[{}]", o.name) })
                .collect();
            Line::plain(format!("{} {} — {}", c.display(), opts.join(" "), c.description).replace("  ", " "))
        })
        .collect();
    Ok(Reply {
        title: "breachdesk commands".into(),
        sections: vec![Section { heading: None, lines }],
        ..Reply::default()
    })
}

#[cfg(test)]
mod tests;
