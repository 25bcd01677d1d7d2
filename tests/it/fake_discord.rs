//! A Discord on loopback for the Discord tests, strict where Discord is:
//! the REST routes breachdesk calls and a gateway WebSocket (HELLO, READY
//! then GUILD_CREATE, heartbeats, dispatches a test pushes, RESUME or
//! INVALID_SESSION on a second connection).
//!
//! What Discord checks, the fake checks, answering as Discord does:
//! - every JSON body against the schemas of Discord's OpenAPI description
//!   (`fixtures/discord-openapi-subset.json`, its source named there): 400
//!   with code 50035 and the errors; [`Fake::next`] fails the test on such
//!   a refusal, since a body Discord refuses is a bug;
//! - an interaction acknowledged twice: 400, code 40060; acknowledged more
//!   than 3 s after it was created: 404, code 10062;
//! - webhook requests with an unknown token or one older than 15 minutes:
//!   401, code 50027; the original response edited before it exists: 404,
//!   code 10008;
//! - rate-limit headers on every REST answer, and queued failures (a 429
//!   with `retry_after`, a 5xx) on demand.
//!
//! Time is the fake's own clock ([`Fake::advance`]), never the wall clock.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

/// A request the bot made: method, path, JSON body.
pub type Recorded = (String, String, Value);

/// How long Discord waits for an interaction's acknowledgement.
const ACK_WINDOW_MS: u64 = 3_000;
/// How long an interaction's token works for webhooks.
const TOKEN_LIFETIME_MS: u64 = 15 * 60 * 1000;

pub struct Fake {
    /// The base URL to give serenity as its proxy.
    pub base: String,
    /// Requests, in order, as they arrive.
    pub requests: mpsc::UnboundedReceiver<Recorded>,
    /// Dispatches to send over the gateway: the `d` of INTERACTION_CREATE,
    /// or `{"t": EVENT, "d": ...}` for another event, with `"age_ms"` to
    /// send an interaction created that long ago.
    pub dispatch: mpsc::UnboundedSender<Value>,
    /// Messages posted in channels, in order.
    pub messages: Arc<Mutex<Vec<Posted>>>,
    /// Answers the webhook routes give before any success, in order
    /// (status, JSON body): a 429 with `retry_after`, a 502.
    pub webhook_failures: Arc<Mutex<VecDeque<(u16, Value)>>>,
    /// The User-Agent of every webhook request, in order.
    pub webhook_agents: Arc<Mutex<Vec<String>>>,
    /// Every refusal the fake gave: path, status, Discord's error body.
    pub refusals: Arc<Mutex<Vec<(String, u16, Value)>>>,
    shared: Arc<Shared>,
}

/// A message the bot posted in a channel.
#[derive(Debug, Clone)]
pub struct Posted {
    pub id: u64,
    pub channel: u64,
    /// The JSON body (`payload_json` of a multipart request).
    pub body: Value,
    /// Attached files: name and bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// An interaction the fake created (or was told of), by token.
struct Tracked {
    id: String,
    created_ms: u64,
    acknowledged: bool,
}

struct Shared {
    messages: Arc<Mutex<Vec<Posted>>>,
    webhook_failures: Arc<Mutex<VecDeque<(u16, Value)>>>,
    webhook_agents: Arc<Mutex<Vec<String>>>,
    refusals: Arc<Mutex<Vec<(String, u16, Value)>>>,
    base: String,
    recorded: mpsc::UnboundedSender<Recorded>,
    /// One gateway session reads the dispatches at a time.
    dispatches: tokio::sync::Mutex<mpsc::UnboundedReceiver<Value>>,
    interactions: Mutex<HashMap<String, Tracked>>,
    /// The fake's clock, in milliseconds.
    now_ms: AtomicU64,
    /// Ends the current gateway session (as a network failure would).
    drop_session: Notify,
    /// Whether a RESUME is accepted.
    resumable: AtomicBool,
    schemas: crate::discord_schema::Schemas,
}

pub async fn start() -> Fake {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (rec_tx, rec_rx) = mpsc::unbounded_channel();
    let (disp_tx, disp_rx) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        messages: Arc::default(),
        webhook_failures: Arc::default(),
        webhook_agents: Arc::default(),
        refusals: Arc::default(),
        base: base.clone(),
        recorded: rec_tx,
        dispatches: tokio::sync::Mutex::new(disp_rx),
        interactions: Mutex::default(),
        // Far from zero, so an interaction can be created in the past.
        now_ms: AtomicU64::new(1 << 40),
        drop_session: Notify::new(),
        resumable: AtomicBool::new(true),
        schemas: crate::discord_schema::Schemas::load(),
    });
    let app = axum::Router::new()
        .route("/", get(gateway))
        .route("/api/v10/gateway", get(gateway_url))
        .route("/api/v10/gateway/bot", get(gateway_url))
        .route("/api/v10/interactions/{id}/{token}/callback", post(callback))
        .route("/api/v10/webhooks/{app}/{token}/messages/{msg}", any(webhook))
        .route("/api/v10/webhooks/{app}/{token}", any(follow_up))
        .route("/api/v10/channels/{channel}/messages", get(channel_messages).post(post_message))
        .route("/api/v10/channels/{channel}", get(channel_info))
        .fallback(record)
        .layer(axum::middleware::map_response(rate_limit_headers))
        .with_state(shared.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Fake {
        base,
        requests: rec_rx,
        dispatch: disp_tx,
        messages: shared.messages.clone(),
        webhook_failures: shared.webhook_failures.clone(),
        webhook_agents: shared.webhook_agents.clone(),
        refusals: shared.refusals.clone(),
        shared,
    }
}

impl Fake {
    /// The next request whose path contains `part` (others are skipped).
    /// A request whose body Discord's schemas refuse fails the test.
    pub async fn next(&mut self, part: &str) -> Recorded {
        let wait = async {
            loop {
                let r = self.requests.recv().await.expect("the fake is running");
                if r.1.contains(part) {
                    return r;
                }
            }
        };
        // A failsafe against a hung test, not a pause: requests arrive as soon as sent.
        let r = tokio::time::timeout(std::time::Duration::from_secs(20), wait)
            .await
            .unwrap_or_else(|_| panic!("no request to {part}"));
        let refusals = self.refusals.lock().unwrap();
        if let Some((path, _, why)) = refusals.iter().find(|(_, _, why)| why["code"] == 50035) {
            panic!("Discord would refuse the body sent to {path}: {why}");
        }
        r
    }

    /// Move the fake's clock on.
    pub fn advance(&self, by: std::time::Duration) {
        self.shared.now_ms.fetch_add(by.as_millis() as u64, Ordering::SeqCst);
    }

    /// An interaction delivered to an HTTP endpoint (not through this
    /// fake's gateway), already acknowledged by the endpoint's answer: its
    /// webhook token is good for 15 minutes from now.
    pub fn delivered(&self, id: &str, token: &str) {
        let created_ms = self.shared.now_ms.load(Ordering::SeqCst);
        let tracked = Tracked { id: id.into(), created_ms, acknowledged: true };
        self.shared.interactions.lock().unwrap().insert(token.into(), tracked);
    }

    /// End the gateway session, as a dropped connection does; with
    /// `resumable` false the bot's RESUME gets INVALID_SESSION.
    pub fn drop_session(&self, resumable: bool) {
        self.shared.resumable.store(resumable, Ordering::SeqCst);
        self.shared.drop_session.notify_waiters();
    }
}

/// Discord's rate-limit headers, on every REST answer.
async fn rate_limit_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    for (k, v) in [
        ("x-ratelimit-limit", "5"),
        ("x-ratelimit-remaining", "4"),
        ("x-ratelimit-reset-after", "1.000"),
        ("x-ratelimit-bucket", "fakebucket"),
    ] {
        h.entry(k).or_insert(v.parse().unwrap());
    }
    response
}

/// A refusal in Discord's error shape, remembered for the test.
fn refuse(s: &Shared, path: &str, status: u16, code: u64, message: &str, errors: Option<Value>) -> Response {
    let mut body = json!({ "code": code, "message": message });
    if let Some(e) = errors {
        body["errors"] = e;
    }
    s.refusals.lock().unwrap().push((path.to_string(), status, body.clone()));
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

/// Check a body against the operation's schema: `Some(refusal)` if Discord would refuse it.
fn invalid(s: &Shared, op: &str, path: &str, body: &Value) -> Option<Response> {
    let errors = s.schemas.errors(op, body)?;
    Some(refuse(s, path, 400, 50035, "Invalid Form Body", Some(errors)))
}

async fn gateway_url(State(s): State<Arc<Shared>>) -> Response {
    let ws = s.base.replace("http://", "ws://");
    axum::Json(json!({
        "url": ws,
        "shards": 1,
        "session_start_limit": { "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1 }
    }))
    .into_response()
}

async fn record(State(s): State<Arc<Shared>>, method: Method, uri: Uri, body: axum::body::Bytes) -> Response {
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let path = uri.path().to_string();
    let refusal = if method == Method::PUT && path.ends_with("/commands") {
        let op = if path.contains("/guilds/") {
            "PUT /applications/{application_id}/guilds/{guild_id}/commands"
        } else {
            "PUT /applications/{application_id}/commands"
        };
        invalid(&s, op, &path, &value)
    } else {
        None
    };
    let _ = s.recorded.send((method.to_string(), path.clone(), value));
    if let Some(r) = refusal {
        r
    } else if path.ends_with("/commands") {
        axum::Json(json!([])).into_response()
    } else {
        (StatusCode::NOT_FOUND, axum::Json(json!({ "message": "not faked", "code": 0 }))).into_response()
    }
}

/// An interaction's response: once, within 3 s, with a valid body.
async fn callback(
    State(s): State<Arc<Shared>>,
    Path((id, token)): Path<(String, String)>,
    uri: Uri,
    body: axum::body::Bytes,
) -> Response {
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let path = uri.path().to_string();
    let now = s.now_ms.load(Ordering::SeqCst);
    let refusal = {
        let mut all = s.interactions.lock().unwrap();
        match all.get_mut(&token) {
            Some(t) if t.id == id && now.saturating_sub(t.created_ms) <= ACK_WINDOW_MS => {
                if t.acknowledged {
                    Some(refuse(&s, &path, 400, 40060, "Interaction has already been acknowledged.", None))
                } else {
                    let refusal =
                        invalid(&s, "POST /interactions/{interaction_id}/{interaction_token}/callback", &path, &value);
                    t.acknowledged = refusal.is_none();
                    refusal
                }
            }
            _ => Some(refuse(&s, &path, 404, 10062, "Unknown interaction", None)),
        }
    };
    let _ = s.recorded.send(("POST".into(), path, value));
    refusal.unwrap_or_else(|| StatusCode::NO_CONTENT.into_response())
}

/// A webhook request: the token known and young enough, the original
/// response existing, a queued failure answered first if any, the body valid.
fn webhook_request(
    s: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &axum::http::HeaderMap,
    body: &[u8],
    token: &str,
    op: Option<&str>,
) -> Option<Response> {
    let agent = headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    s.webhook_agents.lock().unwrap().push(agent);
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let path = uri.path().to_string();
    let now = s.now_ms.load(Ordering::SeqCst);
    // Decided before the request is reported, so a test that queues
    // failures after seeing a request never changes that request's answer.
    let refusal = match s.interactions.lock().unwrap().get(token) {
        Some(t) if now.saturating_sub(t.created_ms) > TOKEN_LIFETIME_MS => {
            Some(refuse(s, &path, 401, 50027, "Invalid Webhook Token", None))
        }
        Some(t) if !t.acknowledged && path.ends_with("/@original") => {
            Some(refuse(s, &path, 404, 10008, "Unknown Message", None))
        }
        Some(_) => None,
        None => Some(refuse(s, &path, 401, 50027, "Invalid Webhook Token", None)),
    };
    let failure = if refusal.is_none() { s.webhook_failures.lock().unwrap().pop_front() } else { None };
    let refusal = refusal.or_else(|| {
        let (status, body) = failure?;
        let mut response = (StatusCode::from_u16(status).unwrap(), axum::Json(body.clone())).into_response();
        if let Some(after) = body["retry_after"].as_f64() {
            let h = response.headers_mut();
            h.insert("retry-after", after.to_string().parse().unwrap());
            h.insert("x-ratelimit-scope", "user".parse().unwrap());
            h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        }
        Some(response)
    });
    let refusal = refusal.or_else(|| invalid(s, op?, &path, &value));
    let _ = s.recorded.send((method.to_string(), path, value));
    refusal
}

async fn webhook(
    State(s): State<Arc<Shared>>,
    Path((_app, token, msg)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let op = (method == Method::PATCH).then_some("PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original");
    if let Some(refusal) = webhook_request(&s, &method, &uri, &headers, &body, &token, op) {
        return refusal;
    }
    if method == Method::DELETE {
        return StatusCode::NO_CONTENT.into_response();
    }
    let id = if msg == "@original" { "6000".to_string() } else { msg };
    axum::Json(message(&id)).into_response()
}

/// A follow-up message (`POST /webhooks/{app}/{token}`).
async fn follow_up(
    State(s): State<Arc<Shared>>,
    Path((_app, token)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let op = Some("POST /webhooks/{webhook_id}/{webhook_token}");
    if let Some(refusal) = webhook_request(&s, &method, &uri, &headers, &body, &token, op) {
        return refusal;
    }
    axum::Json(message("6100")).into_response()
}

async fn post_message(
    State(s): State<Arc<Shared>>,
    Path(channel): Path<u64>,
    headers: axum::http::HeaderMap,
    uri: Uri,
    body: axum::body::Bytes,
) -> Response {
    let media = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (json, files) = match media.split_once("boundary=") {
        Some((_, boundary)) => multipart(&body, boundary.trim_matches('"')),
        None => (serde_json::from_slice(&body).unwrap_or(Value::Null), Vec::new()),
    };
    let refusal = invalid(&s, "POST /channels/{channel_id}/messages", uri.path(), &json);
    let _ = s.recorded.send(("POST".into(), uri.path().to_string(), json.clone()));
    if let Some(r) = refusal {
        return r;
    }
    let mut all = s.messages.lock().unwrap();
    let id = 9000 + all.len() as u64;
    all.push(Posted { id, channel, body: json.clone(), files });
    axum::Json(message_in(&id.to_string(), channel, &json)).into_response()
}

/// A text channel: of server 42, or of server 7 for ids from 900000 on.
async fn channel_info(Path(channel): Path<u64>) -> Response {
    let guild = if channel >= 900_000 { "7" } else { "42" };
    axum::Json(json!({ "id": channel.to_string(), "type": 0, "guild_id": guild, "name": "news" })).into_response()
}

/// Newest first, as Discord lists them.
async fn channel_messages(State(s): State<Arc<Shared>>, Path(channel): Path<u64>) -> Response {
    let all = s.messages.lock().unwrap();
    let list: Vec<Value> = all
        .iter()
        .rev()
        .filter(|m| m.channel == channel)
        .take(50)
        .map(|m| message_in(&m.id.to_string(), channel, &m.body))
        .collect();
    axum::Json(Value::Array(list)).into_response()
}

/// The parts of a multipart body: `payload_json`, and the files.
fn multipart(body: &[u8], boundary: &str) -> (Value, Vec<(String, Vec<u8>)>) {
    let delimiter = format!("--{boundary}");
    let mut json = Value::Null;
    let mut files = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        let Some(head_end) = find(rest, b"\r\n\r\n") else { break };
        let head = String::from_utf8_lossy(&rest[..head_end]).to_string();
        let content = &rest[head_end + 4..];
        let end = find(content, delimiter.as_bytes()).unwrap_or(content.len());
        let data = content[..end].strip_suffix(b"\r\n").unwrap_or(&content[..end]);
        if head.contains("name=\"payload_json\"") {
            json = serde_json::from_slice(data).unwrap_or(Value::Null);
        } else if let Some(name) = head.split("filename=\"").nth(1).and_then(|r| r.split('"').next()) {
            files.push((name.to_string(), data.to_vec()));
        }
        rest = &content[end..];
    }
    (json, files)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A Message in `channel` with the body's content and embeds.
fn message_in(id: &str, channel: u64, body: &Value) -> Value {
    let mut m = message(id);
    m["channel_id"] = json!(channel.to_string());
    m["content"] = body.get("content").cloned().unwrap_or(json!(""));
    m["embeds"] = body.get("embeds").cloned().unwrap_or(json!([]));
    m
}

/// A Message object as Discord returns it.
pub fn message(id: &str) -> Value {
    json!({
        "id": id, "channel_id": "300", "author": user("10", "breachdesk"), "content": "",
        "timestamp": "2024-10-06T00:00:00.000000+00:00", "edited_timestamp": null, "tts": false,
        "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": false, "type": 0, "flags": 0, "components": []
    })
}

pub fn user(id: &str, name: &str) -> Value {
    json!({ "id": id, "username": name, "discriminator": "0", "avatar": null, "global_name": null, "bot": false })
}

async fn gateway(State(s): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| session(socket, s))
}

/// One gateway session: HELLO; IDENTIFY gets READY then GUILD_CREATE, a
/// RESUME gets RESUMED (or INVALID_SESSION when sessions were invalidated);
/// heartbeats are acknowledged; dispatches are sent until the session is
/// dropped. Sessions follow one another; the dispatches wait for the next.
async fn session(mut socket: WebSocket, s: Arc<Shared>) {
    let send = |v: Value| Message::Text(v.to_string().into());
    let _ = socket.send(send(json!({ "op": 10, "d": { "heartbeat_interval": 41250 } }))).await;
    let mut dispatches = s.dispatches.lock().await;
    let mut seq = 1;
    let gateway_event = |name: &str, v: &Value| {
        let _ = s.recorded.send(("GATEWAY".into(), format!("gateway/{name}"), v.clone()));
    };
    loop {
        tokio::select! {
            msg = socket.recv() => {
                let Some(Ok(Message::Text(text))) = msg else { return };
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                match v["op"].as_u64() {
                    Some(2) => {
                        gateway_event("identify", &v);
                        let ready = json!({
                            "v": 10, "user": user("10", "breachdesk"), "guilds": [],
                            "session_id": "session", "resume_gateway_url": s.base.replace("http://", "ws://"),
                            "shard": [0, 1], "application": { "id": "77", "flags": 0 }
                        });
                        let _ = socket.send(send(json!({ "op": 0, "t": "READY", "s": seq, "d": ready }))).await;
                        seq += 1;
                        // The one server the bot is in, announced after READY as Discord does.
                        let _ = socket.send(send(json!({ "op": 0, "t": "GUILD_CREATE", "s": seq, "d": guild("42") }))).await;
                        seq += 1;
                    }
                    Some(6) => {
                        gateway_event("resume", &v);
                        if s.resumable.load(Ordering::SeqCst) && v["d"]["session_id"] == "session" {
                            seq = v["d"]["seq"].as_u64().unwrap_or(0) + 1;
                            let _ = socket.send(send(json!({ "op": 0, "t": "RESUMED", "s": seq, "d": {} }))).await;
                            seq += 1;
                        } else {
                            // Not resumable: the client must identify afresh.
                            s.resumable.store(true, Ordering::SeqCst);
                            let _ = socket.send(send(json!({ "op": 9, "d": false }))).await;
                        }
                    }
                    Some(1) => { let _ = socket.send(send(json!({ "op": 11 }))).await; }
                    _ => {}
                }
            }
            () = s.drop_session.notified() => {
                // As a network failure: the connection ends without a close frame.
                return;
            }
            d = dispatches.recv() => {
                let Some(d) = d else { return };
                // An interaction, or another event given as {"t": ..., "d": ...}.
                let (t, d) = match (d["t"].as_str(), d.get("d")) {
                    (Some(t), Some(inner)) => (t.to_string(), inner.clone()),
                    _ => ("INTERACTION_CREATE".to_string(), d),
                };
                if t == "INTERACTION_CREATE" {
                    let now = s.now_ms.load(Ordering::SeqCst);
                    let age = d["age_ms"].as_u64().unwrap_or(0);
                    let tracked = Tracked {
                        id: d["id"].as_str().unwrap_or_default().into(),
                        created_ms: now.saturating_sub(age),
                        acknowledged: false,
                    };
                    s.interactions.lock().unwrap().insert(d["token"].as_str().unwrap_or_default().into(), tracked);
                }
                let _ = socket.send(send(json!({ "op": 0, "t": t, "s": seq, "d": d }))).await;
                seq += 1;
            }
        }
    }
}

/// A GUILD_CREATE payload (a server the bot is in) with every field serenity needs.
pub fn guild(id: &str) -> Value {
    json!({
        "id": id, "name": format!("server {id}"), "icon": null, "splash": null, "discovery_splash": null,
        "owner_id": "1", "afk_channel_id": null, "afk_timeout": 300, "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "roles": [], "emojis": [],
        "features": [], "mfa_level": 0, "application_id": null, "system_channel_id": null,
        "system_channel_flags": 0, "rules_channel_id": null, "vanity_url_code": null, "description": null,
        "banner": null, "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": null,
        "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": false,
        "joined_at": "2026-01-01T00:00:00.000000+00:00", "large": false, "unavailable": false,
        "member_count": 2, "voice_states": [], "members": [], "channels": [], "threads": [],
        "presences": [], "stage_instances": [], "guild_scheduled_events": []
    })
}

/// An INTERACTION_CREATE payload with every field serenity needs.
pub fn interaction(id: &str, kind: u8, data: Value, guild: Option<&str>) -> Value {
    let mut i = json!({
        "id": id, "application_id": "77", "type": kind, "token": format!("tok{id}"), "version": 1,
        "data": data, "channel_id": "300", "locale": "en-US", "entitlements": [],
        "attachment_size_limit": 8388608, "app_permissions": "2147483648", "context": 0,
    });
    match guild {
        Some(g) => {
            i["guild_id"] = json!(g);
            i["guild_locale"] = json!("en-US");
            i["member"] = json!({
                "user": user("500", "analyst"), "roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00",
                "deaf": false, "mute": false, "flags": 0, "permissions": "2147483648"
            });
        }
        None => i["user"] = user("500", "analyst"),
    }
    i
}
