//! Settings: loaded once at start, validated into typed values, passed down.
//!
//! Layers, lowest first: the defaults compiled from `config/default.toml`,
//! the git-ignored `config/local.toml` (if present), the file named with
//! `--config FILE`, then environment variables `BREACHDESK__SECTION__KEY`.
//! The Discord token may only come from the environment or `config/local.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The committed defaults, compiled in so the binary works from any folder.
pub const DEFAULTS: &str = include_str!("../config/default.toml");
/// The git-ignored file for local overrides and secrets.
pub const LOCAL_FILE: &str = "config/local.toml";
const ENV_PREFIX: &str = "BREACHDESK";

/// Why the settings could not be loaded. Every variant names the key or file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file or environment value could not be read or parsed, or a key is unknown or has the wrong type.
    #[error("configuration could not be read: {0}")]
    Load(#[from] config::ConfigError),
    /// A key has a value outside what it accepts.
    #[error("configuration key `{key}` is invalid: {reason}")]
    Invalid { key: &'static str, reason: String },
    /// A key has a value of another type than its default's (a string, a
    /// float or a boolean where an integer is expected): never coerced.
    #[error("configuration key `{key}` must be {expected}, not {found}")]
    WrongType { key: String, expected: &'static str, found: String },
    /// A secret was put in a file that may be committed.
    #[error("configuration key `{key}` must not be set in {file}: put it in the environment or {LOCAL_FILE}")]
    SecretInFile { key: &'static str, file: String },
    /// The file named with `--config` does not exist.
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
}

/// A secret value whose `Debug` output never shows it.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "<unset>" } else { "<redacted>" })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub store: StoreSettings,
    pub ingest: IngestSettings,
    pub index: IndexSettings,
    pub answer: AnswerSettings,
    pub discord: DiscordSettings,
    pub log: LogSettings,
    pub knowledge: KnowledgeSettings,
    pub fetch: FetchSettings,
    pub polling: PollingSettings,
    /// The feeds polled for articles (`[[feeds]]` entries).
    pub feeds: Vec<FeedSettings>,
    /// Daily digests (`[[digest]]` entries), one per channel.
    pub digest: Vec<DigestSettings>,
}

/// One channel's daily digest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestSettings {
    /// The server whose articles (and the shared ones) the digest covers.
    pub guild: u64,
    pub channel: u64,
    /// Local time of day, "HH:MM".
    pub time: String,
    /// IANA time zone, e.g. "Europe/Berlin".
    pub timezone: String,
    /// Only incidents of these actors (any of their names); empty: all.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Only incidents in these sectors; empty: all.
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Only articles mentioning one of these words; empty: all.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Statements of these stances; empty: denial, accusation, confirmation.
    #[serde(default)]
    pub stances: Vec<String>,
    /// What an empty day gets: "skip" (no post) or "post" (one line).
    #[serde(default)]
    pub empty_day: EmptyDay,
    /// Incidents listed at most (1 to 20).
    #[serde(default = "default_max_incidents")]
    pub max_incidents: usize,
    #[serde(skip)]
    pub at: chrono::NaiveTime,
    #[serde(skip)]
    pub tz: chrono_tz::Tz,
}

impl DigestSettings {
    /// A digest of everything `guild` (0: only the shared articles) sees,
    /// at midnight UTC, for previews and dry runs of channels with none configured.
    pub fn ad_hoc(guild: u64, channel: u64) -> DigestSettings {
        DigestSettings {
            guild,
            channel,
            time: "00:00".into(),
            timezone: "UTC".into(),
            actors: Vec::new(),
            sectors: Vec::new(),
            keywords: Vec::new(),
            stances: Vec::new(),
            empty_day: EmptyDay::Post,
            max_incidents: default_max_incidents(),
            at: chrono::NaiveTime::MIN,
            tz: chrono_tz::UTC,
        }
    }
}

fn default_max_incidents() -> usize {
    5
}

/// What a digest with nothing new does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmptyDay {
    #[default]
    Skip,
    Post,
}

/// Limits of every fetch over the network (see [`crate::fetch`]). The size
/// cap is `ingest.max_file_bytes`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchSettings {
    /// Networks (CIDR) that may be fetched from although they are private or
    /// special-purpose; empty refuses them all.
    pub allow: Vec<String>,
    #[serde(skip)]
    pub allow_nets: Vec<ipnet::IpNet>,
    pub connect_timeout_ms: u64,
    pub timeout_ms: u64,
    pub max_redirects: usize,
    pub user_agent: String,
}

/// How feeds are polled, and what happens when one keeps failing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PollingSettings {
    /// Consecutive failures of a feed after which one notice is posted.
    pub notice_after: u32,
    /// The longest wait between polls of a failing feed, in minutes.
    pub max_backoff_minutes: u64,
    /// Channel id that receives feed notices; 0 logs them only.
    pub admin_channel: u64,
}

/// One feed.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FeedSettings {
    pub url: String,
    /// Minutes between polls.
    #[serde(default = "default_poll_minutes")]
    pub poll_minutes: u64,
    /// Make the feed's articles visible only in this Discord server; absent: everywhere.
    #[serde(default)]
    pub guild: Option<u64>,
    /// Take an item only when its title or text holds one of these words (case-insensitive); empty takes all.
    #[serde(default)]
    pub keywords: Vec<String>,
}

fn default_poll_minutes() -> u64 {
    30
}

impl FeedSettings {
    /// Where the feed's articles are visible.
    pub fn scope(&self) -> crate::model::Scope {
        self.guild.map_or(crate::model::Scope::Global, crate::model::Scope::Guild)
    }
}

/// Where the actor knowledge base comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeSettings {
    /// breachdesk's actor list; empty means the copy compiled into the binary.
    pub actors: PathBuf,
    /// MITRE ATT&CK STIX 2.1 bundles to import.
    pub attack: Vec<PathBuf>,
    /// MISP threat-actor galaxy files to import.
    pub misp: Vec<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    pub data_dir: PathBuf,
    pub index_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestSettings {
    pub max_file_bytes: u64,
    pub samples_dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSettings {
    pub writer_memory_mb: usize,
    pub writer_threads: usize,
    /// How long a write waits while another process holds the index's
    /// writer lock before reporting the index busy.
    pub lock_wait_seconds: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSettings {
    pub summary_sentences: usize,
    pub page_size: usize,
    pub summary_documents: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordSettings {
    pub token: Secret,
    /// Where the gateway bot registers its commands.
    pub registration: Registration,
    /// Register in these servers only; listing any implies
    /// [`Registration::Servers`] (empty: as `registration` says).
    pub guild_ids: Vec<u64>,
    /// The application's public key (hex), for the HTTP interactions endpoint.
    pub public_key: String,
    /// Role ids whose members may use `/ingest` (besides Manage Server).
    pub ingest_roles: Vec<u64>,
    /// `/ingest` uses allowed per member per hour.
    pub ingest_per_hour: usize,
}

/// Parse the application's public key (64 hex digits, as the developer
/// portal shows it). The error names what is wrong.
pub fn public_key(hex_key: &str) -> Result<ed25519_dalek::VerifyingKey, String> {
    let bytes = hex::decode(hex_key.trim()).map_err(|e| format!("is not hexadecimal ({e})"))?;
    let bytes: [u8; 32] =
        bytes.try_into().map_err(|b: Vec<u8>| format!("has {} bytes; an Ed25519 public key has 32", b.len()))?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|_| "is not a valid Ed25519 public key".to_string())
}

/// `log.level` meaning "info for long-running work, warn for one-shot
/// commands" (the default).
pub const AUTO_LEVEL: &str = "auto";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// A level, tracing directives, or [`AUTO_LEVEL`].
    pub level: String,
    pub format: LogFormat,
}

impl LogSettings {
    /// The filter to log with: `long_running` is the bot, the server or
    /// feed polling; `verbose` counts `-v` flags, which raise a one-shot
    /// command's "auto" level to info (one) or debug (two or more).
    pub fn filter(&self, long_running: bool, verbose: u8) -> String {
        if self.level != AUTO_LEVEL {
            return self.level.clone();
        }
        match (long_running, verbose) {
            (_, 2..) => "debug",
            (true, _) | (false, 1) => "info",
            (false, 0) => "warn",
        }
        .to_string()
    }
}

/// Where slash commands are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registration {
    /// Once, for every server the bot is in or joins later (the production default).
    Global,
    /// In each server as the gateway announces it (GUILD_CREATE: at connect
    /// and whenever the bot joins one), instantly; the application's global
    /// commands are removed so members do not see every command twice.
    Servers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Where to read settings from; tests pass their own environment.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// The file named with `--config`.
    pub file: Option<PathBuf>,
    /// Folder in which `config/local.toml` is looked for; `None` skips it.
    pub local_dir: Option<PathBuf>,
    /// Environment variables to apply (name, value); usually `std::env::vars()`.
    pub env: Vec<(String, String)>,
}

impl Sources {
    /// The usual sources: `config/local.toml` under the current folder and the process environment.
    pub fn from_process(file: Option<PathBuf>) -> Sources {
        Sources { file, local_dir: Some(PathBuf::from(".")), env: std::env::vars().collect() }
    }
}

impl Settings {
    /// Load and validate the settings from `sources`.
    pub fn load(sources: &Sources) -> Result<Settings, ConfigError> {
        use config::{Config, Environment, File, FileFormat};

        let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
        if let Some(dir) = &sources.local_dir {
            let local = dir.join(LOCAL_FILE);
            builder = builder.add_source(File::from(local).format(FileFormat::Toml).required(false));
        }
        if let Some(file) = &sources.file {
            if !file.is_file() {
                return Err(ConfigError::MissingFile(file.clone()));
            }
            reject_secret_in(file)?;
            builder = builder.add_source(File::from(file.as_path()).required(true));
        }
        let env: config::Map<String, String> =
            sources.env.iter().filter(|(k, _)| k.starts_with(ENV_PREFIX)).cloned().collect();
        builder = builder.add_source(
            Environment::with_prefix(ENV_PREFIX)
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("discord.guild_ids")
                .with_list_parse_key("discord.ingest_roles")
                .with_list_parse_key("knowledge.attack")
                .with_list_parse_key("knowledge.misp")
                .with_list_parse_key("fetch.allow")
                .source(Some(env)),
        );
        let built = builder.build()?;
        // Types are strict: a value must have its default's type (the
        // environment's text is parsed first, so "3" there is a number).
        let defaults: config::Map<String, config::Value> =
            Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml)).build()?.try_deserialize()?;
        let merged: config::Map<String, config::Value> = built.clone().try_deserialize()?;
        check_types(&defaults, &merged, "")?;
        let mut settings: Settings = built.try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Check every value that its type alone does not constrain.
    pub fn validate(&mut self) -> Result<(), ConfigError> {
        fn in_range(key: &'static str, v: usize, lo: usize, hi: usize) -> Result<(), ConfigError> {
            if (lo..=hi).contains(&v) { Ok(()) } else { Err(invalid(key, format!("{v} is outside {lo}..={hi}"))) }
        }
        fn path(key: &'static str, p: &Path) -> Result<(), ConfigError> {
            if p.as_os_str().is_empty() { Err(invalid(key, "must not be empty")) } else { Ok(()) }
        }
        path("store.data_dir", &self.store.data_dir)?;
        path("store.index_dir", &self.store.index_dir)?;
        if self.store.data_dir == self.store.index_dir {
            return Err(invalid("store.index_dir", "must differ from store.data_dir"));
        }
        path("ingest.samples_dir", &self.ingest.samples_dir)?;
        if !(1_000..=1_000_000_000).contains(&self.ingest.max_file_bytes) {
            return Err(invalid(
                "ingest.max_file_bytes",
                format!("{} is outside 1000..=1000000000", self.ingest.max_file_bytes),
            ));
        }
        in_range("index.writer_memory_mb", self.index.writer_memory_mb, 15, 4000)?;
        in_range("index.writer_threads", self.index.writer_threads, 1, 16)?;
        in_range("index.lock_wait_seconds", self.index.lock_wait_seconds, 0, 600)?;
        in_range("answer.summary_sentences", self.answer.summary_sentences, 1, 10)?;
        in_range("answer.page_size", self.answer.page_size, 1, 10)?;
        in_range("answer.summary_documents", self.answer.summary_documents, 1, 50)?;
        for (key, files) in [("knowledge.attack", &self.knowledge.attack), ("knowledge.misp", &self.knowledge.misp)] {
            if files.iter().any(|f| f.as_os_str().is_empty()) {
                return Err(invalid(key, "holds an empty path"));
            }
        }
        in_range("discord.ingest_per_hour", self.discord.ingest_per_hour, 1, 10_000)?;
        if self.discord.ingest_roles.contains(&0) {
            return Err(invalid("discord.ingest_roles", "0 is not a role id"));
        }
        if self.discord.guild_ids.contains(&0) {
            return Err(invalid("discord.guild_ids", "0 is not a guild id"));
        }
        if !self.discord.public_key.is_empty()
            && let Err(why) = public_key(&self.discord.public_key)
        {
            return Err(invalid("discord.public_key", why));
        }
        let token = self.discord.token.expose();
        if token.chars().any(char::is_whitespace) {
            return Err(invalid("discord.token", "contains white space"));
        }
        // A bare word is a level: tracing would read "loud" as a target
        // name and then log nothing else.
        const LEVELS: &[&str] = &["off", "error", "warn", "info", "debug", "trace"];
        if self.log.level == AUTO_LEVEL {
            return self.validate_fetching();
        }
        let bare_word_not_a_level = self
            .log
            .level
            .split(',')
            .map(str::trim)
            .any(|d| !d.contains(['=', ':', '[']) && !LEVELS.iter().any(|l| l.eq_ignore_ascii_case(d)));
        if bare_word_not_a_level || tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            return Err(invalid(
                "log.level",
                format!(
                    "`{}` is not a level (off, error, warn, info, debug, trace) or tracing directive",
                    self.log.level
                ),
            ));
        }
        self.validate_fetching()
    }

    /// The `[fetch]`, `[polling]` and `[[feeds]]` values; parses the allowlist.
    fn validate_fetching(&mut self) -> Result<(), ConfigError> {
        let f = &mut self.fetch;
        f.allow_nets = f
            .allow
            .iter()
            .map(|a| {
                let a = a.trim();
                a.parse::<ipnet::IpNet>()
                    .or_else(|_| a.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| invalid("fetch.allow", format!("`{a}` is not an address or network (CIDR)")))
            })
            .collect::<Result<_, _>>()?;
        if !(100..=60_000).contains(&f.connect_timeout_ms) {
            return Err(invalid(
                "fetch.connect_timeout_ms",
                format!("{} is outside 100..=60000", f.connect_timeout_ms),
            ));
        }
        if !(100..=300_000).contains(&f.timeout_ms) {
            return Err(invalid("fetch.timeout_ms", format!("{} is outside 100..=300000", f.timeout_ms)));
        }
        if f.max_redirects > 20 {
            return Err(invalid("fetch.max_redirects", format!("{} is outside 0..=20", f.max_redirects)));
        }
        if f.user_agent.trim().is_empty() || f.user_agent.chars().any(char::is_control) {
            return Err(invalid("fetch.user_agent", "must be printable and not empty"));
        }
        let p = &self.polling;
        if !(1..=100).contains(&p.notice_after) {
            return Err(invalid("polling.notice_after", format!("{} is outside 1..=100", p.notice_after)));
        }
        if !(1..=10_080).contains(&p.max_backoff_minutes) {
            return Err(invalid(
                "polling.max_backoff_minutes",
                format!("{} is outside 1..=10080", p.max_backoff_minutes),
            ));
        }
        let mut channels = std::collections::HashSet::new();
        for d in &mut self.digest {
            if d.guild == 0 {
                return Err(invalid("digest.guild", "0 is not a guild id"));
            }
            if d.channel == 0 || !channels.insert(d.channel) {
                return Err(invalid(
                    "digest.channel",
                    format!("{} is not a channel id, or is listed twice", d.channel),
                ));
            }
            d.at = chrono::NaiveTime::parse_from_str(d.time.trim(), "%H:%M").map_err(|_| {
                invalid("digest.time", format!("`{}` (channel {}) is not a time of day as HH:MM", d.time, d.channel))
            })?;
            d.tz = d.timezone.trim().parse::<chrono_tz::Tz>().map_err(|_| {
                invalid(
                    "digest.timezone",
                    format!("`{}` (channel {}) is not an IANA time zone such as Europe/Berlin", d.timezone, d.channel),
                )
            })?;
            if let Some(s) = d.stances.iter().find(|s| crate::extract::Stance::parse(s).is_none()) {
                return Err(invalid(
                    "digest.stances",
                    format!("`{s}` is not one of {}", crate::extract::Stance::ALL.map(|s| s.as_str()).join(", ")),
                ));
            }
            if !(1..=20).contains(&d.max_incidents) {
                return Err(invalid("digest.max_incidents", format!("{} is outside 1..=20", d.max_incidents)));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for feed in &self.feeds {
            if crate::address::http_url(&feed.url).is_none() {
                return Err(invalid("feeds.url", format!("`{}` is not an http or https address", feed.url)));
            }
            if !seen.insert(crate::address::canonical_url(&feed.url)) {
                return Err(invalid("feeds.url", format!("`{}` is listed twice", feed.url)));
            }
            if !(1..=10_080).contains(&feed.poll_minutes) {
                return Err(invalid(
                    "feeds.poll_minutes",
                    format!("{} (for {}) is outside 1..=10080", feed.poll_minutes, feed.url),
                ));
            }
            if feed.guild == Some(0) {
                return Err(invalid("feeds.guild", "0 is not a guild id"));
            }
        }
        Ok(())
    }

    /// Path of the SQLite store file.
    pub fn store_path(&self) -> PathBuf {
        self.store.data_dir.join("breachdesk.sqlite3")
    }
}

/// Compare every integer and boolean key with its default's type.
fn check_types(
    defaults: &config::Map<String, config::Value>,
    merged: &config::Map<String, config::Value>,
    prefix: &str,
) -> Result<(), ConfigError> {
    use config::ValueKind as K;
    for (name, default) in defaults {
        let Some(value) = merged.get(name) else { continue };
        let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        let integer = |k: &K| matches!(k, K::I64(_) | K::U64(_) | K::I128(_) | K::U128(_));
        let expected = match (&default.kind, &value.kind) {
            (K::Table(d), K::Table(m)) => {
                check_types(d, m, &key)?;
                continue;
            }
            (d, m) if integer(d) && !integer(m) => "an integer",
            (K::Boolean(_), m) if !matches!(m, K::Boolean(_)) => "true or false",
            _ => continue,
        };
        let found = match &value.kind {
            K::String(s) => format!("the string {s:?}"),
            K::Float(f) => format!("the number {f}"),
            K::Boolean(b) => format!("the boolean {b}"),
            K::I64(_) | K::U64(_) | K::I128(_) | K::U128(_) => "an integer".to_string(),
            K::Table(_) => "a table".to_string(),
            K::Array(_) => "a list".to_string(),
            K::Nil => "nothing".to_string(),
        };
        return Err(ConfigError::WrongType { key, expected, found });
    }
    Ok(())
}

/// The error for a key whose value is out of bounds.
fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key, reason: reason.into() }
}

/// The file named with `--config` may be committed, so it must not hold the token.
fn reject_secret_in(file: &Path) -> Result<(), ConfigError> {
    let cfg = config::Config::builder().add_source(config::File::from(file).required(true)).build()?;
    match cfg.get_string("discord.token") {
        Ok(token) if !token.is_empty() => {
            Err(ConfigError::SecretInFile { key: "discord.token", file: file.display().to_string() })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_env(env: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        Settings::load(&Sources {
            file: None,
            local_dir: None,
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        })
    }

    #[test]
    fn defaults_load_and_validate() {
        let s = load_env(&[]).unwrap();
        assert_eq!(s.store.data_dir, PathBuf::from("data"));
        assert_eq!(s.store.index_dir, PathBuf::from("index"));
        assert!(s.discord.token.is_empty());
        assert_eq!(format!("{:?}", s.discord.token), "<unset>");
    }

    #[test]
    fn environment_overrides_store_locations_and_lists() {
        let s = load_env(&[
            ("BREACHDESK__STORE__DATA_DIR", "/tmp/a"),
            ("BREACHDESK__STORE__INDEX_DIR", "/tmp/b"),
            ("BREACHDESK__DISCORD__GUILD_IDS", "12,34"),
            ("BREACHDESK__DISCORD__TOKEN", "abc.def"),
            ("UNRELATED", "x"),
        ])
        .unwrap();
        assert_eq!(s.store.data_dir, PathBuf::from("/tmp/a"));
        assert_eq!(s.store.index_dir, PathBuf::from("/tmp/b"));
        assert_eq!(s.discord.guild_ids, vec![12, 34]);
        assert_eq!(s.discord.token.expose(), "abc.def");
        assert_eq!(format!("{:?}", s.discord.token), "<redacted>");
    }

    #[test]
    fn types_are_strict_in_files() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("[answer]\npage_size = \"3\"\n", "answer.page_size"),
            ("[answer]\npage_size = 2.9\n", "answer.page_size"),
            ("[answer]\npage_size = true\n", "answer.page_size"),
            ("[fetch]\nmax_redirects = true\n", "fetch.max_redirects"),
        ];
        for (i, (text, key)) in cases.iter().enumerate() {
            let file = dir.path().join(format!("c{i}.toml"));
            std::fs::write(&file, text).unwrap();
            let err = Settings::load(&Sources { file: Some(file), local_dir: None, env: Vec::new() })
                .expect_err(text)
                .to_string();
            assert!(err.contains(key) && err.contains("must be"), "{text}: {err}");
        }
        // The environment's text is still read as a number.
        assert_eq!(load_env(&[("BREACHDESK__ANSWER__PAGE_SIZE", "3")]).unwrap().answer.page_size, 3);
    }

    #[test]
    fn the_auto_level_is_quiet_for_one_shot_commands() {
        let s = load_env(&[]).unwrap();
        assert_eq!(s.log.level, AUTO_LEVEL, "the default");
        assert_eq!(s.log.filter(false, 0), "warn");
        assert_eq!(s.log.filter(false, 1), "info");
        assert_eq!(s.log.filter(false, 2), "debug");
        assert_eq!(s.log.filter(true, 0), "info");
        let s = load_env(&[("BREACHDESK__LOG__LEVEL", "info")]).unwrap();
        assert_eq!(s.log.filter(false, 0), "info", "a level that is set is kept");
    }

    #[test]
    fn log_levels_and_directives_are_accepted() {
        for level in ["auto", "info", "WARN", "breachdesk=debug,warn", "breachdesk::feeds=trace", "off"] {
            let s = load_env(&[("BREACHDESK__LOG__LEVEL", level)]).expect(level);
            assert_eq!(s.log.level, level);
        }
    }

    #[test]
    fn errors_name_the_bad_key() {
        let cases: &[(&str, &str, &str)] = &[
            ("BREACHDESK__ANSWER__PAGE_SIZE", "0", "answer.page_size"),
            ("BREACHDESK__INDEX__WRITER_THREADS", "99", "index.writer_threads"),
            ("BREACHDESK__INDEX__WRITER_MEMORY_MB", "lots", "writer_memory_mb"),
            ("BREACHDESK__LOG__FORMAT", "xml", "format"),
            ("BREACHDESK__LOG__LEVEL", "loud=[", "log.level"),
            ("BREACHDESK__LOG__LEVEL", "loud", "log.level"),
            ("BREACHDESK__LOG__LEVEL", "info,verbose", "log.level"),
            ("BREACHDESK__STORE__NONSENSE", "1", "nonsense"),
            ("BREACHDESK__DISCORD__GUILD_IDS", "0", "discord.guild_ids"),
            ("BREACHDESK__FETCH__ALLOW", "127.0.0.1/32,localhost", "fetch.allow"),
            ("BREACHDESK__FETCH__TIMEOUT_MS", "5", "fetch.timeout_ms"),
            ("BREACHDESK__FETCH__MAX_REDIRECTS", "50", "fetch.max_redirects"),
            ("BREACHDESK__POLLING__NOTICE_AFTER", "0", "polling.notice_after"),
        ];
        for (var, value, key) in cases {
            let err = load_env(&[(var, value)]).expect_err(var).to_string();
            assert!(err.contains(key), "{var}={value}: error `{err}` does not name `{key}`");
        }
    }

    #[test]
    fn config_file_overrides_and_may_not_hold_the_token() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(&good, "[answer]\npage_size = 3\n").unwrap();
        let s = Settings::load(&Sources { file: Some(good), ..Sources::default() }).unwrap();
        assert_eq!(s.answer.page_size, 3);

        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[discord]\ntoken = \"secret\"\n").unwrap();
        let err = Settings::load(&Sources { file: Some(bad), ..Sources::default() }).unwrap_err();
        assert!(matches!(err, ConfigError::SecretInFile { key: "discord.token", .. }), "{err}");

        let broken = dir.path().join("broken.toml");
        std::fs::write(&broken, "[answer\npage_size = 3\n").unwrap();
        assert!(Settings::load(&Sources { file: Some(broken), ..Sources::default() }).is_err());

        let missing = dir.path().join("none.toml");
        let err = Settings::load(&Sources { file: Some(missing), ..Sources::default() }).unwrap_err();
        assert!(err.to_string().contains("none.toml"));
    }

    #[test]
    fn feeds_and_the_fetch_allowlist_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let load = |body: &str| {
            let file = dir.path().join("feeds.toml");
            std::fs::write(&file, body).unwrap();
            Settings::load(&Sources { file: Some(file), ..Sources::default() })
        };
        let s = load("[fetch]\nallow = [\"10.1.0.0/16\", \"::1\"]\n\n[[feeds]]\nurl = \"https://news.example.org/rss\"\nguild = 9\nkeywords = [\"ransomware\"]\n\n[[feeds]]\nurl = \"https://vendor.example/atom.xml\"\npoll_minutes = 120\n").unwrap();
        assert_eq!(s.fetch.allow_nets, vec!["10.1.0.0/16".parse().unwrap(), "::1/128".parse().unwrap()]);
        assert_eq!(s.feeds.len(), 2);
        assert_eq!((s.feeds[0].poll_minutes, s.feeds[0].scope()), (30, crate::model::Scope::Guild(9)));
        assert_eq!(s.feeds[1].scope(), crate::model::Scope::Global);
        let s = load(
            "[[digest]]\nguild = 1\nchannel = 2\ntime = \"07:45\"\ntimezone = \"Asia/Tokyo\"\nempty_day = \"post\"\n",
        )
        .unwrap();
        assert_eq!(s.digest[0].at, chrono::NaiveTime::from_hms_opt(7, 45, 0).unwrap());
        assert_eq!(s.digest[0].tz, chrono_tz::Asia::Tokyo);
        assert_eq!((s.digest[0].empty_day, s.digest[0].max_incidents), (EmptyDay::Post, 5));
        for (body, key) in [
            ("[[feeds]]\nurl = \"ftp://x.example/feed\"\n", "feeds.url"),
            ("[[feeds]]\nurl = \"https://a.example/f\"\n[[feeds]]\nurl = \"https://A.example/f#x\"\n", "listed twice"),
            ("[[feeds]]\nurl = \"https://a.example/f\"\npoll_minutes = 0\n", "feeds.poll_minutes"),
            ("[[feeds]]\nurl = \"https://a.example/f\"\ncolour = \"red\"\n", "colour"),
            ("[[digest]]\nguild = 1\nchannel = 2\ntime = \"25:00\"\ntimezone = \"UTC\"\n", "digest.time"),
            ("[[digest]]\nguild = 1\nchannel = 2\ntime = \"08:00\"\ntimezone = \"Mars/Olympus\"\n", "digest.timezone"),
            (
                "[[digest]]\nguild = 1\nchannel = 2\ntime = \"08:00\"\ntimezone = \"UTC\"\nstances = [\"anger\"]\n",
                "digest.stances",
            ),
            (
                "[[digest]]\nguild = 1\nchannel = 2\ntime = \"08:00\"\ntimezone = \"UTC\"\nempty_day = \"maybe\"\n",
                "empty_day",
            ),
            (
                "[[digest]]\nguild = 1\nchannel = 2\ntime = \"08:00\"\ntimezone = \"UTC\"\nmax_incidents = 0\n",
                "digest.max_incidents",
            ),
        ] {
            let err = load(body).unwrap_err().to_string();
            assert!(err.contains(key), "{body}: {err}");
        }
    }

    #[test]
    fn local_file_may_hold_the_token() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join(LOCAL_FILE), "[discord]\ntoken = \"t0k\"\n").unwrap();
        let s = Settings::load(&Sources { local_dir: Some(dir.path().to_path_buf()), ..Sources::default() }).unwrap();
        assert_eq!(s.discord.token.expose(), "t0k");
    }
}
