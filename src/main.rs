//! The `breachdesk` binary: argument parsing, logging, exit codes. All the
//! work is in the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};

use breachdesk::config::{LogFormat, Settings, Sources};
use breachdesk::model::{Scope, Viewer};
use breachdesk::{app, command, nlp, render};

/// mimalloc: ingest allocates many short strings; it is measurably faster
/// than the system allocator there (see the pipeline bench).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status when every input was taken in.
const EXIT_OK: u8 = 0;
/// Exit status when `ask` is refused: nothing found, not understood, no such page.
const EXIT_REFUSED: u8 = 1;
/// Exit status when some inputs were skipped (each is named on stderr).
const EXIT_SKIPPED: u8 = 3;

#[derive(Parser)]
#[command(name = "breachdesk", version, about = "Breach reporting, extracted and cited, for security-team chat")]
struct Cli {
    /// Read settings from this TOML file (over the defaults and config/local.toml).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Log more: one-shot commands log only warnings unless given -v (info)
    /// or -vv (debug); `log.level` or RUST_LOG, when set, decide instead.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Ingest .txt, .md and .html files, folders of them, or http(s) pages.
    Ingest {
        /// Files, folders (recursively) or http(s) addresses.
        #[arg(required = true, value_name = "PATH_OR_URL")]
        paths: Vec<String>,
        /// Make the documents visible only in this Discord server.
        #[arg(long, value_name = "GUILD_ID")]
        guild: Option<u64>,
    },
    /// Answer a slash command as typed in chat, e.g. "/breach summary salt typhoon".
    Ask {
        /// The command as typed in chat, quoted: "/breach summary salt typhoon".
        text: String,
        /// Answer as a member of this Discord server would see it.
        #[arg(long, value_name = "GUILD_ID")]
        guild: Option<u64>,
    },
    /// Clean files as ingest would, without storing them: title, date and
    /// the story's paragraphs (separated by blank lines).
    Clean {
        /// Files (.txt, .md, .html) or folders of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per file: {"file", "title", "published", "body", "note"}.
        #[arg(long)]
        jsonl: bool,
    },
    /// Extract statements from files without storing them.
    Extract {
        /// Files (.txt, .md, .html) or folders of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per file (the format score_extraction.py reads).
        #[arg(long)]
        jsonl: bool,
    },
    /// Poll the configured feeds: once with --once, else on their schedule until stopped.
    Poll {
        /// Poll every feed once, print what each gave, and exit.
        #[arg(long)]
        once: bool,
    },
    /// Print the next daily digest (--dry-run), or post it now (--post-now --channel ID).
    Digest {
        /// Print the digest instead of posting it.
        #[arg(long, conflicts_with = "post_now")]
        dry_run: bool,
        /// Post it now in the channel and record it in the ledger (needs the bot token).
        #[arg(long, requires = "channel")]
        post_now: bool,
        /// The channel whose digest (from [[digest]]) to build; default: the first configured.
        #[arg(long, value_name = "ID")]
        channel: Option<u64>,
    },
    /// Tokenise, tag and parse raw text (paragraphs separated by blank
    /// lines): a readable tree per sentence, or CoNLL-U with --conllu.
    Parse {
        /// Text files, paragraphs separated by blank lines.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print CoNLL-U (ID, FORM, LEMMA, UPOS, XPOS, HEAD, DEPREL).
        #[arg(long)]
        conllu: bool,
        /// Use this model file instead of the bundled one.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
    },
    /// Train the tagger, lemmatizer and parser from a CoNLL-U treebank and
    /// write the model file (the bundled one is data/nlp/en_ewt.model).
    TrainNlp {
        /// The training treebank (CoNLL-U).
        #[arg(long, value_name = "FILE")]
        train: PathBuf,
        /// A treebank to score the new model on, with gold tokens.
        #[arg(long, value_name = "FILE")]
        dev: Option<PathBuf>,
        /// Where to write the model.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 10)]
        tagger_epochs: usize,
        #[arg(long, default_value_t = 15)]
        parser_epochs: usize,
        /// Folds for the parser's jackknifed training tags.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Averaged parser weights smaller than this are dropped.
        #[arg(long, default_value_t = 2.5)]
        min_weight: f32,
    },
    /// Score a model on a CoNLL-U treebank with its gold tokens.
    EvalNlp {
        /// The treebank to score on (CoNLL-U), e.g. ../shared/ud/en_ewt-ud-dev.conllu.
        treebank: PathBuf,
        /// Use this model file instead of the bundled one.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
    },
    /// Rebuild the search index from the store.
    Reindex,
    /// Answer Discord's signed interaction POSTs on ADDR (no gateway connection needed).
    ServeHttp {
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Print the slash-command registration body (JSON) built from the command table.
    Commands,
    /// Run the Discord bot.
    Run,
}

/// An error in the settings or arguments, found after the config loaded:
/// `main` exits with status 2 for it, as for a bad config file.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(&Sources::from_process(cli.config.clone())) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("breachdesk: {e}");
            return ExitCode::from(2);
        }
    };
    let long_running = match &cli.command {
        Cmd::Run | Cmd::ServeHttp { .. } => true,
        Cmd::Poll { once } => !once,
        _ => false,
    };
    init_logging(&settings, long_running, cli.verbose);
    match real_main(cli, &settings) {
        Ok(code) => ExitCode::from(code),
        // Start-up refused for a bad setting or argument: the same status as a bad config file.
        Err(e) if e.downcast_ref::<Usage>().is_some() => {
            eprintln!("breachdesk: {e:#}");
            ExitCode::from(2)
        }
        // The reader of our output went away (`breachdesk extract ... | head -1`): not a failure.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("breachdesk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn real_main(cli: Cli, settings: &Settings) -> Result<u8> {
    let now = chrono::Utc::now();
    match cli.command {
        Cmd::Ingest { paths, guild } => {
            let mut engine = app::open_engine(settings)?;
            let scope = guild.map_or(Scope::Global, Scope::Guild);
            let (urls, files): (Vec<String>, Vec<String>) =
                paths.into_iter().partition(|p| p.contains("://") && !std::path::Path::new(p).exists());
            let files: Vec<PathBuf> = files.into_iter().map(PathBuf::from).collect();
            let mut report = if files.is_empty() {
                app::IngestReport::default()
            } else {
                app::ingest_paths(&mut engine, settings, &files, scope, now)
                    .context("ingest failed; documents stored before the failure are kept")?
            };
            if !urls.is_empty() {
                let (fetched, outcomes) =
                    app::ingest_urls(&mut engine, settings, &*fetcher(settings)?, &urls, scope, now)
                        .context("ingest failed; documents stored before the failure are kept")?;
                report.merge(fetched);
                // What each page held, as /ingest url says it.
                let mut out = std::io::stdout().lock();
                for o in outcomes {
                    match command::found(&engine, o) {
                        Ok(reply) => render::console::render(&reply, &mut out)?,
                        Err(e) => eprintln!("{}", e.message),
                    }
                }
            }
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            for skipped in &report.skipped {
                eprintln!("skipped {skipped}");
            }
            println!("{}", report.summary());
            Ok(if report.skipped.is_empty() { EXIT_OK } else { EXIT_SKIPPED })
        }
        Cmd::Ask { text, guild } => {
            let mut engine = app::open_engine(settings)?;
            samples_if_empty(&mut engine, settings, now)?;
            let viewer = guild.map_or(Viewer::Public, Viewer::Guild);
            let ctx = command::Context { engine: &engine, settings, viewer, now };
            let answer = command::answer_typed(&ctx, &text);
            let mut out = std::io::stdout().lock();
            let reply = answer.as_ref().map_or_else(command::error_reply, breachdesk::reply::Reply::clone);
            render::console::render(&reply, &mut out)?;
            out.flush()?;
            // An answer exits 0; a refusal (not found, not understood, past the last page) 1.
            Ok(if answer.is_ok() { EXIT_OK } else { EXIT_REFUSED })
        }
        Cmd::Clean { files, jsonl } => {
            let (files, mut skipped) = breachdesk::ingest::collect(&files);
            let mut out = std::io::stdout().lock();
            for file in files {
                match app::clean_file(&file, settings) {
                    Ok(record) if jsonl => writeln!(out, "{}", serde_json::to_string(&record)?)?,
                    Ok(record) => {
                        let date = record.published.as_deref().unwrap_or("undated");
                        writeln!(out, "== {} ({date}): {}\n\n{}\n", record.file, record.title, record.body)?;
                    }
                    Err(e) => skipped.push(e),
                }
            }
            for e in &skipped {
                eprintln!("skipped {e}");
            }
            Ok(if skipped.is_empty() { EXIT_OK } else { EXIT_SKIPPED })
        }
        Cmd::Extract { files, jsonl } => {
            let (files, mut skipped) = breachdesk::ingest::collect(&files);
            let mut out = std::io::stdout().lock();
            let knowledge = app::load_knowledge(settings).context("loading the actor knowledge base")?;
            for file in files {
                match app::extract_file(&file, settings, &knowledge) {
                    Ok(record) if jsonl => writeln!(out, "{}", serde_json::to_string(&record)?)?,
                    Ok(record) => {
                        writeln!(out, "{} ({})", record.title, record.file)?;
                        for s in &record.statements {
                            let aff = s.affiliation.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
                            writeln!(out, "  {:<12} {}{aff}: {}", s.stance.as_str(), s.speaker, s.sentence)?;
                        }
                        let i = &record.incident;
                        writeln!(out, "  actors: {}", i.threat_actors.join(", "))?;
                        writeln!(out, "  attributed to: {}", i.attributed_country.as_deref().unwrap_or("-"))?;
                        writeln!(out, "  victims: {}", i.victims.join(", "))?;
                        writeln!(out, "  responders: {}", i.responders.join(", "))?;
                    }
                    Err(e) => skipped.push(e),
                }
            }
            for e in &skipped {
                eprintln!("skipped {e}");
            }
            Ok(if skipped.is_empty() { EXIT_OK } else { EXIT_SKIPPED })
        }
        Cmd::Parse { files, conllu, model } => {
            let nlp = nlp_model(model.as_deref())?;
            let mut out = std::io::stdout().lock();
            let mut id = 1;
            for file in &files {
                let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
                let mut buf = String::new();
                for para in nlp::paragraphs(&text) {
                    let sentences = nlp.paragraph(&para);
                    if conllu {
                        nlp::conllu::write(&para, &sentences, id, &mut buf);
                    } else {
                        for s in &sentences {
                            buf.push_str(&para[s.span.start as usize..s.span.end as usize]);
                            buf.push('\n');
                            nlp::conllu::draw(s, &mut buf);
                            buf.push('\n');
                        }
                    }
                    id += sentences.len();
                }
                out.write_all(buf.as_bytes())?;
            }
            Ok(EXIT_OK)
        }
        Cmd::TrainNlp { train, dev, out, seed, tagger_epochs, parser_epochs, folds, min_weight } => {
            let gold = nlp::conllu::read_file(&train)?;
            if gold.is_empty() {
                anyhow::bail!("{} holds no sentences to train on", train.display());
            }
            let opts = nlp::train::Options { tagger_epochs, parser_epochs, folds, seed, min_weight };
            let started = std::time::Instant::now();
            let model = nlp::train::train(&gold, &opts, &mut |what| eprintln!("{what}"));
            model.save(&out)?;
            let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            println!(
                "wrote {} ({:.1} MB) in {:.0} s",
                out.display(),
                size as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            if let Some(dev) = dev {
                let dev_gold = nlp::conllu::read_file(&dev)?;
                println!("{}: {}", dev.display(), model.evaluate(&dev_gold));
            }
            Ok(EXIT_OK)
        }
        Cmd::EvalNlp { treebank, model } => {
            let nlp = nlp_model(model.as_deref())?;
            let gold = nlp::conllu::read_file(&treebank)?;
            println!("{}: {}", treebank.display(), nlp.evaluate(&gold));
            Ok(EXIT_OK)
        }
        Cmd::Poll { once } => poll(settings, once),
        Cmd::Digest { dry_run: _, post_now, channel } => digest(settings, post_now, channel, now),
        Cmd::Reindex => {
            let mut engine = app::open_engine(settings)?;
            let n = engine.reindex().context("rebuilding the index")?;
            println!("Rebuilt the search index from the store: {n} documents.");
            Ok(EXIT_OK)
        }
        Cmd::ServeHttp { bind } => serve_http(settings, &bind),
        Cmd::Commands => {
            println!("{}", serde_json::to_string_pretty(&breachdesk::discord::commands_json())?);
            Ok(EXIT_OK)
        }
        Cmd::Run => run_gateway(settings),
    }
}

/// The bundled model, or the one in `path`.
/// (A loaded file lives as long as the process, as the bundled model does.)
fn nlp_model(path: Option<&std::path::Path>) -> Result<&'static nlp::Nlp> {
    Ok(match path {
        Some(p) => Box::leak(Box::new(nlp::Nlp::load(p)?)),
        None => nlp::Nlp::bundled(),
    })
}

/// `digest`: print the next digest of a channel, or post it now.
fn digest(settings: &Settings, post_now: bool, channel: Option<u64>, now: chrono::DateTime<chrono::Utc>) -> Result<u8> {
    use std::sync::{Arc, Mutex};

    use breachdesk::config::DigestSettings;
    use breachdesk::digest::scheduler::{Outcome, Scheduler};
    use breachdesk::discord::{gateway, post};

    let configured = match channel {
        Some(c) => settings.digest.iter().find(|d| d.channel == c),
        None => settings.digest.first(),
    };
    let mut engine = app::open_engine(settings)?;
    if post_now {
        let cfg = configured.with_context(|| {
            format!("channel {} has no [[digest]] entry in the configuration", channel.unwrap_or_default())
        })?;
        let token = settings.discord.token.expose();
        if token.is_empty() {
            return Err(Usage("posting needs the bot token: set BREACHDESK__DISCORD__TOKEN".into()).into());
        }
        let scheduler = Scheduler {
            engine: Arc::new(Mutex::new(engine)),
            settings: Arc::new(settings.clone()),
            sink: post::DiscordSink { http: Arc::new(gateway::http_client(token, None)) },
        };
        let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
        return match runtime.block_on(scheduler.post_now(cfg, now)).context("building the digest")? {
            Outcome::Posted { message_id, .. } => {
                println!("Posted the digest in channel {} (message {message_id}).", cfg.channel);
                Ok(EXIT_OK)
            }
            Outcome::Skipped { .. } => {
                println!("Nothing new since the previous digest; channel {} skips empty days.", cfg.channel);
                Ok(EXIT_OK)
            }
            other => anyhow::bail!("the digest was not posted: {other:?}"),
        };
    }
    samples_if_empty(&mut engine, settings, now)?;
    let cfg = configured.cloned().unwrap_or_else(|| DigestSettings::ad_hoc(0, channel.unwrap_or(0)));
    let from = match engine.store().last_digest(cfg.channel)? {
        Some(last) => last.to,
        None => now - chrono::Duration::days(1),
    };
    let d = breachdesk::digest::build(&engine, &cfg, from, now, None).context("building the digest")?;
    let mut out = std::io::stdout().lock();
    if configured.is_none() {
        writeln!(out, "(No [[digest]] entry for this channel: a digest of the shared articles of the last 24 hours.)")?;
    }
    render::console::render(&d.reply, &mut out)?;
    match &d.timeline {
        Some(png) => writeln!(out, "\nTimeline picture: {} bytes of PNG, attached to the post.", png.len())?,
        None => writeln!(out, "\nNo timeline: no incident in this digest.")?,
    }
    if !d.worth_posting(cfg.empty_day) {
        writeln!(out, "Nothing new: this channel skips empty days, so nothing would be posted.")?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// An empty store gets the bundled samples first (see
/// [`app::samples_if_empty`]), and the user is told.
fn samples_if_empty(
    engine: &mut breachdesk::engine::Engine,
    settings: &Settings,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    if let Some(report) = app::samples_if_empty(engine, settings, now)? {
        eprintln!("The store was empty: ingested the bundled samples ({}).", report.summary());
    }
    Ok(())
}

/// `poll`: the configured feeds, once or on schedule.
fn poll(settings: &Settings, once: bool) -> Result<u8> {
    use std::sync::{Arc, Mutex};

    if settings.feeds.is_empty() {
        anyhow::bail!("no feeds are configured: add [[feeds]] entries with a url to a config file");
    }
    let engine = app::open_engine(settings).context("opening the store and index")?;
    let poller = app::poller(settings, Arc::new(Mutex::new(engine)), fetcher(settings)?);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    if !once {
        runtime.block_on(breachdesk::feeds::run(
            &poller,
            Arc::new(chrono::Utc::now),
            |notice| tracing::warn!(notice = %notice, "feed notice"),
        ));
        return Ok(EXIT_OK);
    }
    let report = runtime.block_on(poller.poll(chrono::Utc::now(), true)).context("polling the feeds")?;
    let mut failed = false;
    for f in &report.feeds {
        match &f.error {
            Some(e) => {
                failed = true;
                println!("{}: failed: {e}", f.url);
            }
            None => println!(
                "{}: {} added, {} merged with a stored story, {} already known, {} filtered out, {} failed",
                f.url,
                f.added,
                f.merged,
                f.known,
                f.filtered,
                f.failed.len()
            ),
        }
        for why in &f.failed {
            eprintln!("skipped {why}");
        }
    }
    for notice in &report.notices {
        eprintln!("{notice}");
    }
    Ok(if failed { EXIT_SKIPPED } else { EXIT_OK })
}

fn init_logging(settings: &Settings, long_running: bool, verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(settings.log.filter(long_running, verbose)));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    match settings.log.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// `serve-http`: the HTTP interactions endpoint until the process is stopped.
fn serve_http(settings: &Settings, bind: &str) -> Result<u8> {
    use std::net::ToSocketAddrs;
    use std::sync::Arc;

    use breachdesk::discord::http;

    if settings.discord.public_key.is_empty() {
        return Err(Usage(
            "serve-http needs the application's public key: set discord.public_key (or BREACHDESK__DISCORD__PUBLIC_KEY)"
                .into(),
        )
        .into());
    }
    let key =
        http::public_key(&settings.discord.public_key).map_err(|why| Usage(format!("discord.public_key {why}")))?;
    if bind.to_socket_addrs().map_or(true, |mut a| a.next().is_none()) {
        return Err(Usage(format!("--bind `{bind}` is not an address and port (for example 127.0.0.1:8080)")).into());
    }
    let engine = app::open_engine(settings).context("opening the store and index")?;
    let endpoint = Arc::new(app::endpoint(settings, engine, key).context("building the HTTP client")?);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .with_context(|| format!("binding the interactions endpoint to {bind}"))?;
        tracing::info!(addr = %listener.local_addr()?, "answering Discord interactions over HTTP");
        http::serve(listener, endpoint).await.context("serving interactions")
    })?;
    Ok(EXIT_OK)
}

/// `run`: the gateway bot until the connection ends for good.
fn run_gateway(settings: &Settings) -> Result<u8> {
    use breachdesk::discord::gateway;

    let token = settings.discord.token.expose();
    if token.is_empty() {
        return Err(Usage(
            "run needs the bot token: set BREACHDESK__DISCORD__TOKEN (or discord.token in config/local.toml)".into(),
        )
        .into());
    }
    let engine = app::open_engine(settings).context("opening the store and index")?;
    let gw = app::gateway(settings, engine).context("building the HTTP client")?;
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime
        .block_on(gateway::run(gateway::http_client(token, None), gw))
        .context("the Discord gateway connection failed")?;
    Ok(EXIT_OK)
}

/// The fetcher for pages, attachments and feeds, under the `[fetch]` rules.
fn fetcher(settings: &Settings) -> Result<std::sync::Arc<breachdesk::fetch::Fetcher>> {
    app::fetcher(settings).context("building the HTTP client")
}
