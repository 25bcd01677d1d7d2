//! Posting each channel's digest exactly once per slot.
//!
//! For a due slot the scheduler (1) records the intent in the store's
//! ledger, durably, with the window the digest covers and a marker; (2)
//! posts through the [`Sink`]; (3) records the message id. A crash or a
//! failed post between (1) and (3) leaves the intent: the next tick (after a
//! restart, or the next one) first asks the sink whether a message carrying
//! the marker is among the channel's recent messages, and records it if so;
//! only if not does it post, with the same window. After downtime only the
//! latest slot is posted, and its window runs from the end of the previous
//! digest: one catch-up digest covering the whole gap.

use std::future::Future;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use super::{Digest, build, schedule};
use crate::config::{DigestSettings, Settings};
use crate::engine::{Engine, EngineError};
use crate::store::{DigestState, LedgerEntry};

/// Why the sink could not post or look.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(pub String);

/// Where digests are posted: a chat transport.
pub trait Sink: Send + Sync {
    /// Post the digest in `channel`; the id of its first message.
    fn post(&self, channel: u64, digest: &Digest, marker: &str) -> impl Future<Output = Result<u64, SinkError>> + Send;
    /// The id of a recent message in `channel` that carries `marker`.
    fn find(&self, channel: u64, marker: &str) -> impl Future<Output = Result<Option<u64>, SinkError>> + Send;
    /// The server `channel` belongs to (`None`: a direct-message channel).
    fn guild_of(&self, channel: u64) -> impl Future<Output = Result<Option<u64>, SinkError>> + Send;
}

/// What one channel's tick did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No slot is due that has not been handled.
    NotDue,
    Posted {
        slot: String,
        message_id: u64,
    },
    /// Nothing new, and the channel skips empty days.
    Skipped {
        slot: String,
    },
    /// A digest posted before a crash was found and recorded.
    Recovered {
        slot: String,
        message_id: u64,
    },
    /// Posting failed; the intent stays and the next tick tries again.
    Failed {
        slot: String,
        error: String,
    },
}

/// Posts the configured digests.
pub struct Scheduler<S> {
    pub engine: Arc<Mutex<Engine>>,
    pub settings: Arc<Settings>,
    pub sink: S,
}

/// The marker a posted digest carries.
fn marker(channel: u64, slot: &str) -> String {
    let h = blake3::hash(format!("{channel}/{slot}").as_bytes()).to_hex();
    format!("ref {}", &h[..12])
}

impl<S: Sink> Scheduler<S> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Engine> {
        self.engine.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Handle every configured channel at `now`.
    pub async fn tick(&self, now: DateTime<Utc>) -> Vec<(u64, Outcome)> {
        let mut out = Vec::with_capacity(self.settings.digest.len());
        for cfg in &self.settings.digest {
            let outcome = match self.tick_channel(cfg, now).await {
                Ok(o) => o,
                Err(e) => {
                    tracing::error!(channel = cfg.channel, error = %e, "digest failed; retrying at the next tick");
                    Outcome::Failed { slot: String::new(), error: e.to_string() }
                }
            };
            match &outcome {
                Outcome::NotDue => {}
                Outcome::Failed { slot, error } => {
                    tracing::warn!(channel = cfg.channel, slot = %slot, error = %error, "digest not posted")
                }
                other => tracing::info!(channel = cfg.channel, outcome = ?other, "digest"),
            }
            out.push((cfg.channel, outcome));
        }
        out
    }

    async fn tick_channel(&self, cfg: &DigestSettings, now: DateTime<Utc>) -> Result<Outcome, EngineError> {
        let (date, due) = schedule::latest_slot(cfg.at, cfg.tz, now);
        if due > now {
            return Ok(Outcome::NotDue);
        }
        let slot = date.to_string();
        let existing = self.lock().store().digest_entry(cfg.channel, &slot)?;
        match existing {
            Some(e) if e.state != DigestState::Intent => Ok(Outcome::NotDue),
            Some(e) => self.resume(cfg, e).await,
            None => {
                let from = self.window_start(cfg, due - Duration::days(1)).await?;
                self.start(cfg, slot, from, now).await
            }
        }
    }

    /// Post a digest now, outside the schedule (`breachdesk digest --post-now`),
    /// covering everything since the channel's previous digest.
    pub async fn post_now(&self, cfg: &DigestSettings, now: DateTime<Utc>) -> Result<Outcome, EngineError> {
        let from = self.window_start(cfg, now - Duration::days(1)).await?;
        self.start(cfg, format!("manual:{}", now.timestamp()), from, now).await
    }

    /// Where a new digest's window starts: the end of the channel's last
    /// digest, after settling any earlier intent (found and recorded, or, if
    /// it was never posted, dropped so that the new window covers it).
    async fn window_start(&self, cfg: &DigestSettings, default: DateTime<Utc>) -> Result<DateTime<Utc>, EngineError> {
        let Some(last) = self.lock().store().last_digest(cfg.channel)? else { return Ok(default) };
        if last.state != DigestState::Intent {
            return Ok(last.to);
        }
        match self.sink.find(cfg.channel, &last.marker).await {
            Ok(Some(id)) => {
                self.lock().record_digest_done(cfg.channel, &last.slot, DigestState::Posted, Some(id))?;
                Ok(last.to)
            }
            Ok(None) => {
                // Never posted: the new digest covers its window too.
                self.lock().record_digest_done(cfg.channel, &last.slot, DigestState::Skipped, None)?;
                Ok(last.from)
            }
            Err(e) => Err(EngineError::Digest(format!("looking for an earlier digest: {e}"))),
        }
    }

    async fn start(
        &self,
        cfg: &DigestSettings,
        slot: String,
        from: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Outcome, EngineError> {
        let entry = LedgerEntry {
            channel: cfg.channel,
            marker: marker(cfg.channel, &slot),
            slot,
            from,
            to: now,
            state: DigestState::Intent,
            message_id: None,
            created_at: now,
        };
        self.lock().record_digest_intent(&entry)?;
        self.post(cfg, &entry).await
    }

    /// An intent whose outcome is unknown: found, or posted again.
    async fn resume(&self, cfg: &DigestSettings, e: LedgerEntry) -> Result<Outcome, EngineError> {
        match self.sink.find(cfg.channel, &e.marker).await {
            Ok(Some(id)) => {
                self.lock().record_digest_done(cfg.channel, &e.slot, DigestState::Posted, Some(id))?;
                Ok(Outcome::Recovered { slot: e.slot, message_id: id })
            }
            Ok(None) => self.post(cfg, &e).await,
            Err(err) => Ok(Outcome::Failed { slot: e.slot, error: format!("looking for the digest: {err}") }),
        }
    }

    async fn post(&self, cfg: &DigestSettings, e: &LedgerEntry) -> Result<Outcome, EngineError> {
        // A server's articles are shown only in that server: a channel
        // configured under the wrong server gets nothing.
        match self.sink.guild_of(cfg.channel).await {
            Ok(Some(g)) if g == cfg.guild => {}
            Ok(other) => {
                let error = format!(
                    "channel {} belongs to {}, not to server {} (digest.guild): nothing posted",
                    cfg.channel,
                    other.map_or("no server".to_string(), |g| format!("server {g}")),
                    cfg.guild
                );
                return Ok(Outcome::Failed { slot: e.slot.clone(), error });
            }
            Err(err) => return Ok(Outcome::Failed { slot: e.slot.clone(), error: err.to_string() }),
        }
        let digest = build(&self.lock(), cfg, e.from, e.to, Some(&e.marker))?;
        if !digest.worth_posting(cfg.empty_day) {
            self.lock().record_digest_done(cfg.channel, &e.slot, DigestState::Skipped, None)?;
            return Ok(Outcome::Skipped { slot: e.slot.clone() });
        }
        match self.sink.post(cfg.channel, &digest, &e.marker).await {
            Ok(id) => {
                self.lock().record_digest_done(cfg.channel, &e.slot, DigestState::Posted, Some(id))?;
                Ok(Outcome::Posted { slot: e.slot.clone(), message_id: id })
            }
            Err(err) => Ok(Outcome::Failed { slot: e.slot.clone(), error: err.to_string() }),
        }
    }
}

/// How often [`run`] looks for due digests.
const TICK: std::time::Duration = std::time::Duration::from_secs(30);

/// Tick every 30 seconds until the task is dropped.
pub async fn run<S: Sink>(scheduler: &Scheduler<S>, clock: crate::model::Clock) {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        scheduler.tick(clock()).await;
    }
}
