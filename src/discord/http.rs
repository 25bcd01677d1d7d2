//! The HTTP interactions endpoint: Discord POSTs signed interactions, and
//! this answers them through the same [`super::Router`] as the gateway.
//!
//! Every request is checked before anything else is read: the Ed25519
//! signature in `X-Signature-Ed25519` must verify over the
//! `X-Signature-Timestamp` header followed by the raw body, with the
//! application's public key; the timestamp must be within five minutes of
//! now (replays of old requests are refused). Anything else is a 401.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, VerifyingKey};

use super::Router;

/// How far a request's timestamp may be from now.
const MAX_SKEW_SECS: i64 = 300;

pub use crate::model::Clock;

/// What the endpoint needs.
pub struct Endpoint {
    pub router: Router,
    pub key: VerifyingKey,
    pub clock: Clock,
    /// Commands not answered within [`Webhooks::after`] are deferred and
    /// completed through the interaction's webhook (Discord fails an
    /// interaction not acknowledged within 3 s); `None` never defers.
    pub defer: Option<Webhooks>,
}

/// The User-Agent Discord requires of every API request: `DiscordBot ($url, $version)`.
pub const USER_AGENT: &str =
    concat!("DiscordBot (https://github.com/breachdesk/breachdesk, ", env!("CARGO_PKG_VERSION"), ")");

/// How slow answers are completed: through the interaction's webhook on
/// Discord's API, with bounded retries.
pub struct Webhooks {
    /// Answers slower than this are deferred.
    pub after: std::time::Duration,
    /// Discord's API base, `https://discord.com/api/v10` (a test's fake otherwise).
    pub api_base: String,
    pub client: reqwest::Client,
    /// The first pause before retrying after a server error (doubled each
    /// time); a 429 waits what its `retry_after` says, at most [`MAX_RETRY_WAIT`].
    pub retry_pause: std::time::Duration,
}

/// Attempts per webhook request (the first and two retries).
const ATTEMPTS: u32 = 3;
/// The longest a 429's `retry_after` is waited before retrying.
pub const MAX_RETRY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl Webhooks {
    /// Defer after 2 s, completing through Discord's API.
    pub fn discord() -> Result<Webhooks, reqwest::Error> {
        Ok(Webhooks {
            after: std::time::Duration::from_millis(2000),
            api_base: "https://discord.com/api/v10".into(),
            client: Webhooks::client()?,
            retry_pause: std::time::Duration::from_secs(1),
        })
    }

    /// An HTTP client that names itself as Discord requires.
    pub fn client() -> Result<reqwest::Client, reqwest::Error> {
        reqwest::Client::builder().user_agent(USER_AGENT).build()
    }

    /// Deliver an answer after a deferral. When it cannot be delivered, the
    /// asker is told so (if even that fails, it is logged).
    async fn complete(&self, c: &Completion, done: super::Completion) {
        let base = format!("{}/webhooks/{}/{}", self.api_base, c.application_id, c.token);
        let original = format!("{base}/messages/@original");
        let delivered = match &done {
            super::Completion::Edit(data) => self.send(reqwest::Method::PATCH, &original, Some(data)).await,
            super::Completion::FollowUp { data, delete_original } => {
                if *delete_original && let Err(why) = self.send(reqwest::Method::DELETE, &original, None).await {
                    tracing::warn!(error = %why, "removing the deferred placeholder failed");
                }
                self.send(reqwest::Method::POST, &base, Some(data)).await
            }
        };
        if let Err(why) = delivered {
            tracing::error!(error = %why, "completing a deferred interaction failed");
            let sorry = super::render::message(
                &crate::command::error_reply(&crate::error::UserError::unavailable(
                    "The answer could not be delivered. Please try again.",
                )),
                0,
                None,
            );
            if let Err(why) = self.send(reqwest::Method::POST, &base, Some(&sorry)).await {
                tracing::error!(error = %why, "telling the user the answer was lost failed too");
            }
        }
    }

    /// One webhook request, retried on 429 (after `retry_after`) and on
    /// server errors and connection failures (after a growing pause), at
    /// most [`ATTEMPTS`] times.
    async fn send(&self, method: reqwest::Method, url: &str, body: Option<&serde_json::Value>) -> Result<(), String> {
        let mut pause = self.retry_pause;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let mut request = self.client.request(method.clone(), url);
            if let Some(b) = body {
                request = request.json(b);
            }
            let wait = match request.send().await {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) if r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS => {
                    let header = r.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<f64>().ok());
                    let body: serde_json::Value = r.json().await.unwrap_or_default();
                    let secs = body["retry_after"].as_f64().or(header).unwrap_or(1.0);
                    last = format!("HTTP 429 (retry after {secs} s)");
                    std::time::Duration::try_from_secs_f64(secs).unwrap_or(MAX_RETRY_WAIT).min(MAX_RETRY_WAIT)
                }
                Ok(r) if r.status().is_server_error() => {
                    last = format!("HTTP {}", r.status().as_u16());
                    pause
                }
                // A client error other than 429 (a bad body, an expired token) will not change.
                Ok(r) => return Err(format!("HTTP {}", r.status().as_u16())),
                Err(e) => {
                    last = e.without_url().to_string();
                    pause
                }
            };
            if attempt < ATTEMPTS {
                tracing::info!(attempt, error = %last, "webhook request failed; retrying");
                tokio::time::sleep(wait).await;
                pause *= 2;
            }
        }
        Err(format!("{last}, after {ATTEMPTS} attempts"))
    }
}

/// The ids a deferred answer is completed with.
#[derive(serde::Deserialize)]
struct Completion {
    application_id: String,
    token: String,
}

pub use crate::config::public_key;

/// Whether a request is signed by Discord (with `key`) and recent.
pub fn verify(key: &VerifyingKey, headers: &HeaderMap, body: &[u8], now: DateTime<Utc>) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(sig), Some(ts)) = (header("x-signature-ed25519"), header("x-signature-timestamp")) else {
        return false;
    };
    // Seconds as Discord writes them: decimal digits only (no sign), and
    // compared with checked arithmetic, so no value can wrap into the window.
    if ts.is_empty() || ts.len() > 18 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(secs) = ts.parse::<i64>() else { return false };
    match now.timestamp().checked_sub(secs).and_then(i64::checked_abs) {
        Some(skew) if skew <= MAX_SKEW_SECS => {}
        _ => return false,
    }
    let Ok(sig) = hex::decode(sig) else { return false };
    let Ok(sig) = <[u8; 64]>::try_from(sig.as_slice()) else { return false };
    let mut message = Vec::with_capacity(ts.len() + body.len());
    message.extend_from_slice(ts.as_bytes());
    message.extend_from_slice(body);
    key.verify_strict(&message, &Signature::from_bytes(&sig)).is_ok()
}

/// The axum application: `POST /` and `POST /interactions`.
pub fn app(endpoint: Arc<Endpoint>) -> axum::Router {
    axum::Router::new()
        .route("/", axum::routing::post(interactions))
        .route("/interactions", axum::routing::post(interactions))
        .with_state(endpoint)
}

async fn interactions(State(endpoint): State<Arc<Endpoint>>, headers: HeaderMap, body: Bytes) -> Response {
    let now = (endpoint.clock)();
    if !verify(&endpoint.key, &headers, &body, now) {
        tracing::info!("interaction refused: missing or bad signature");
        return (StatusCode::UNAUTHORIZED, "invalid request signature").into_response();
    }
    // Commands and buttons may be deferred; PING and autocomplete may not.
    let completion = serde_json::from_slice::<Completion>(&body).ok();
    let deferral = endpoint.router.deferral(&body);
    let e = endpoint.clone();
    let mut work = tokio::task::spawn_blocking(move || e.router.handle(&body, now));
    let (Some(hooks), Some(c), Some(deferral)) = (&endpoint.defer, completion, deferral) else {
        return answer(work.await);
    };
    // A zero threshold defers every command (timeout would poll the work once first).
    let early = if hooks.after.is_zero() { None } else { tokio::time::timeout(hooks.after, &mut work).await.ok() };
    match early {
        Some(done) => answer(done),
        None => {
            let e = endpoint.clone();
            tokio::spawn(async move {
                let Ok(answer) = work.await else { return };
                if let Some(hooks) = &e.defer {
                    hooks.complete(&c, deferral.complete(&answer)).await;
                }
            });
            axum::Json(deferral.acknowledgement()).into_response()
        }
    }
}

fn answer(done: Result<serde_json::Value, tokio::task::JoinError>) -> Response {
    match done {
        Ok(answer) => axum::Json(answer).into_response(),
        Err(err) => {
            // Logged with its id by `internal`.
            let shown = crate::error::UserError::internal(&err);
            (StatusCode::INTERNAL_SERVER_ERROR, shown.message).into_response()
        }
    }
}

/// Serve until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, endpoint: Arc<Endpoint>) -> std::io::Result<()> {
    axum::serve(listener, app(endpoint)).await
}
