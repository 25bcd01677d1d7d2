//! Gateway mode (`breachdesk run`): a serenity client that registers the
//! commands when it is ready and answers every interaction through the same
//! [`Router`] as the HTTP endpoint. Only this module imports serenity.
//!
//! An interaction not answered within [`Gateway::defer_after`] is deferred
//! (Discord fails an interaction not acknowledged within 3 s), privately
//! when its answer will be private, and completed as [`super::Deferral`]
//! says: by editing the deferred message, or with a private follow-up.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use serenity::all::{Context, EventHandler, GatewayIntents, Guild, Interaction, Ready};

use crate::config::Registration;
use serenity::async_trait;
use serenity::http::{Http, HttpBuilder};

use super::http::Clock;
use super::{Completion, Router, commands_json};

/// What the gateway client needs.
pub struct Gateway {
    pub router: Arc<Router>,
    /// Where the commands are registered.
    pub registration: crate::config::Registration,
    /// With per-server registration, only these servers (empty: all).
    pub guild_ids: Vec<u64>,
    /// Answers slower than this are deferred; zero defers every command.
    pub defer_after: Duration,
    pub clock: Clock,
    /// Polls the configured feeds while connected.
    pub poller: Option<crate::feeds::Poller>,
    /// Where feed notices are posted; 0 logs them only.
    pub admin_channel: u64,
}

#[async_trait]
impl EventHandler for Gateway {
    async fn ready(&self, ctx: Context, ready: Ready) {
        ctx.http.set_application_id(ready.application.id);
        // Global: one registration serves every server, present and future.
        // Per server: each server is registered as GUILD_CREATE announces it
        // (every server at connect, and any joined later), and the global
        // commands are removed, or members would see every command twice.
        let body = match self.registration {
            Registration::Global => commands_json(),
            Registration::Servers => json!([]),
        };
        match ctx.http.create_global_commands(&body).await {
            Ok(_) if self.registration == Registration::Servers => tracing::info!("global commands removed"),
            Ok(_) => tracing::info!("commands registered globally"),
            Err(e) => tracing::error!(error = %e, "registering the global commands failed"),
        }
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to the Discord gateway");
    }

    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        let g = guild.id.get();
        if self.registration != Registration::Servers || !(self.guild_ids.is_empty() || self.guild_ids.contains(&g)) {
            return;
        }
        match ctx.http.create_guild_commands(guild.id, &commands_json()).await {
            Ok(_) => tracing::info!(guild = g, "commands registered"),
            Err(e) => tracing::error!(guild = g, error = %e, "registering the guild commands failed"),
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        // serenity re-encodes an interaction without its `type`: put it back.
        let kind = match interaction {
            Interaction::Ping(_) => 1,
            Interaction::Command(_) => 2,
            Interaction::Component(_) => 3,
            Interaction::Autocomplete(_) => 4,
            Interaction::Modal(_) => 5,
            _ => 0,
        };
        let payload = match serde_json::to_value(&interaction).and_then(|mut v| {
            v["type"] = json!(kind);
            serde_json::to_vec(&v)
        }) {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "interaction could not be re-encoded; ignored");
                return;
            }
        };
        let (id, token) = (interaction.id(), interaction.token().to_string());
        // Autocomplete and PING cannot be deferred.
        let deferral = self.router.deferral(&payload);
        let router = self.router.clone();
        let now = (self.clock)();
        let mut work = tokio::task::spawn_blocking(move || router.handle(&payload, now));
        let early = match deferral {
            Some(_) if self.defer_after.is_zero() => None,
            Some(_) => tokio::time::timeout(self.defer_after, &mut work).await.ok(),
            None => Some((&mut work).await),
        };
        let http = &ctx.http;
        let sent = match (early, deferral) {
            (Some(Ok(answer)), _) => http.create_interaction_response(id, &token, &answer, vec![]).await,
            (Some(Err(e)), _) => {
                tracing::error!(error = %e, "interaction handler failed");
                return;
            }
            (None, Some(deferral)) => {
                if let Err(e) = http.create_interaction_response(id, &token, &deferral.acknowledgement(), vec![]).await
                {
                    tracing::error!(error = %e, "deferring the interaction failed");
                    return;
                }
                match work.await {
                    Ok(answer) => complete(http, &token, deferral.complete(&answer)).await,
                    Err(e) => {
                        tracing::error!(error = %e, "interaction handler failed");
                        return;
                    }
                }
            }
            (None, None) => return,
        };
        if let Err(e) = sent {
            tracing::error!(error = %e, "answering the interaction failed");
        }
    }
}

/// Deliver an answer after a deferral: edit the deferred message, or send a
/// private follow-up (removing a public placeholder first).
async fn complete(http: &Http, token: &str, done: Completion) -> Result<(), serenity::Error> {
    match done {
        Completion::Edit(data) => http.edit_original_interaction_response(token, &data, vec![]).await.map(|_| ()),
        Completion::FollowUp { data, delete_original } => {
            if delete_original && let Err(e) = http.delete_original_interaction_response(token).await {
                tracing::warn!(error = %e, "removing the deferred placeholder failed");
            }
            http.create_followup_message(token, &data, vec![]).await.map(|_| ())
        }
    }
}

/// The REST client for `token`; `proxy` sends every request to another base
/// URL (a test's fake Discord), with serenity's rate limiter off.
pub fn http_client(token: &str, proxy: Option<&str>) -> Http {
    let b = HttpBuilder::new(token);
    match proxy {
        Some(url) => b.proxy(url).ratelimiter_disabled(true).build(),
        None => b.build(),
    }
}

/// Connect and answer interactions until the connection ends for good,
/// polling the feeds meanwhile.
pub async fn run(http: Http, mut gateway: Gateway) -> Result<(), serenity::Error> {
    let poller = gateway.poller.take();
    let (channel, clock) = (gateway.admin_channel, gateway.clock.clone());
    let router = gateway.router.clone();
    let (digest_engine, digest_settings) = (router.engine.clone(), router.settings.clone());
    let settings_digests = digest_settings.digest.clone();
    // No privileged intents: interactions need none, and Guilds (for
    // GUILD_CREATE, to register in servers as they are joined) is not one.
    let mut client =
        serenity::client::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS).event_handler(gateway).await?;
    let digests = (!settings_digests.is_empty()).then(|| {
        let scheduler = crate::digest::scheduler::Scheduler {
            engine: digest_engine,
            settings: digest_settings,
            sink: super::post::DiscordSink { http: client.http.clone() },
        };
        let clock = clock.clone();
        tokio::spawn(async move { crate::digest::scheduler::run(&scheduler, clock).await })
    });
    let polling = poller.map(|poller| {
        let http = client.http.clone();
        tokio::spawn(async move {
            crate::feeds::run(&poller, clock, |notice| post_notice(http.clone(), channel, notice)).await;
        })
    });
    let result = client.start().await;
    for task in [polling, digests].into_iter().flatten() {
        task.abort();
    }
    result
}

/// Post a feed notice to the admin channel (or only log it when there is none).
fn post_notice(http: Arc<Http>, channel: u64, notice: String) {
    tracing::warn!(notice = %notice, "feed notice");
    if channel == 0 {
        return;
    }
    tokio::spawn(async move {
        if let Err(e) = super::post::notice(&http, channel, &notice).await {
            tracing::error!(channel, error = %e, "posting the feed notice failed");
        }
    });
}
