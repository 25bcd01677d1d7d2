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
    /// Commands not answered within this are deferred and completed through
    /// the interaction's webhook (Discord fails an interaction not
    /// acknowledged within 3 s); `None` never defers.
    pub defer: Option<Deferral>,
}

/// How slow answers are completed.
pub struct Deferral {
    pub after: std::time::Duration,
    /// Discord's API base, `https://discord.com/api/v10` (a test's fake otherwise).
    pub api_base: String,
    pub client: reqwest::Client,
}

impl Deferral {
    /// Defer after 2 s, completing through Discord's API.
    pub fn discord() -> Deferral {
        Deferral {
            after: std::time::Duration::from_millis(2000),
            api_base: "https://discord.com/api/v10".into(),
            client: reqwest::Client::new(),
        }
    }
}

/// The ids a deferred answer is completed with.
#[derive(serde::Deserialize)]
struct Completion {
    #[serde(rename = "type")]
    kind: u8,
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
    // Commands (2) and buttons (3) may be deferred; PING and autocomplete may not.
    let completion = serde_json::from_slice::<Completion>(&body).ok().filter(|c| c.kind == 2 || c.kind == 3);
    let e = endpoint.clone();
    let mut work = tokio::task::spawn_blocking(move || e.router.handle(&body, now));
    let (Some(defer), Some(c)) = (&endpoint.defer, completion) else {
        return answer(work.await);
    };
    // A zero threshold defers every command (timeout would poll the work once first).
    let early = if defer.after.is_zero() { None } else { tokio::time::timeout(defer.after, &mut work).await.ok() };
    match early {
        Some(done) => answer(done),
        None => {
            let deferred = if c.kind == 3 { 6 } else { 5 };
            let e = endpoint.clone();
            tokio::spawn(async move {
                let Ok(answer) = work.await else { return };
                let data = answer.get("data").cloned().unwrap_or(serde_json::Value::Null);
                let Some(defer) = &e.defer else { return };
                let url = format!("{}/webhooks/{}/{}/messages/@original", defer.api_base, c.application_id, c.token);
                match defer.client.patch(&url).json(&data).send().await {
                    Ok(r) if r.status().is_success() => {}
                    Ok(r) => tracing::error!(status = r.status().as_u16(), "completing a deferred interaction failed"),
                    Err(err) => tracing::error!(error = %err.without_url(), "completing a deferred interaction failed"),
                }
            });
            axum::Json(serde_json::json!({ "type": deferred })).into_response()
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
