//! A Discord on loopback for the gateway tests: the REST routes breachdesk
//! calls and a gateway WebSocket that says HELLO, answers IDENTIFY with
//! READY, acknowledges heartbeats and sends the dispatches a test pushes.

use std::sync::{Arc, Mutex};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// A request the bot made: method, path, JSON body.
pub type Recorded = (String, String, Value);

pub struct Fake {
    /// The base URL to give serenity as its proxy.
    pub base: String,
    /// Requests, in order, as they arrive.
    pub requests: mpsc::UnboundedReceiver<Recorded>,
    /// Dispatches to send over the gateway (the `d` of INTERACTION_CREATE).
    pub dispatch: mpsc::UnboundedSender<Value>,
    /// Messages posted in channels, in order.
    pub messages: Arc<Mutex<Vec<Posted>>>,
    /// Answers the webhook routes give before any success, in order
    /// (status, JSON body): a 429 with `retry_after`, a 502.
    pub webhook_failures: Arc<Mutex<std::collections::VecDeque<(u16, Value)>>>,
    /// The User-Agent of every webhook request, in order.
    pub webhook_agents: Arc<Mutex<Vec<String>>>,
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

struct Shared {
    messages: Arc<Mutex<Vec<Posted>>>,
    webhook_failures: Arc<Mutex<std::collections::VecDeque<(u16, Value)>>>,
    webhook_agents: Arc<Mutex<Vec<String>>>,
    base: String,
    recorded: mpsc::UnboundedSender<Recorded>,
    dispatches: Mutex<Option<mpsc::UnboundedReceiver<Value>>>,
}

pub async fn start() -> Fake {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (rec_tx, rec_rx) = mpsc::unbounded_channel();
    let (disp_tx, disp_rx) = mpsc::unbounded_channel();
    let messages = Arc::new(Mutex::new(Vec::new()));
    let webhook_failures = Arc::new(Mutex::new(std::collections::VecDeque::new()));
    let webhook_agents = Arc::new(Mutex::new(Vec::new()));
    let shared = Arc::new(Shared {
        messages: messages.clone(),
        webhook_failures: webhook_failures.clone(),
        webhook_agents: webhook_agents.clone(),
        base: base.clone(),
        recorded: rec_tx,
        dispatches: Mutex::new(Some(disp_rx)),
    });
    let app = axum::Router::new()
        .route("/", get(gateway))
        .route("/api/v10/gateway", get(gateway_url))
        .route("/api/v10/gateway/bot", get(gateway_url))
        .route("/api/v10/webhooks/{app}/{token}/messages/{msg}", any(webhook))
        .route("/api/v10/webhooks/{app}/{token}", any(follow_up))
        .route("/api/v10/channels/{channel}/messages", get(channel_messages).post(post_message))
        .route("/api/v10/channels/{channel}", get(channel_info))
        .fallback(record)
        .with_state(shared);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Fake { base, requests: rec_rx, dispatch: disp_tx, messages, webhook_failures, webhook_agents }
}

impl Fake {
    /// The next request whose path contains `part` (others are skipped).
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
        tokio::time::timeout(std::time::Duration::from_secs(20), wait)
            .await
            .unwrap_or_else(|_| panic!("no request to {part}"))
    }
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
    let _ = s.recorded.send((method.to_string(), path.clone(), value));
    if path.ends_with("/callback") {
        StatusCode::NO_CONTENT.into_response()
    } else if path.ends_with("/commands") {
        axum::Json(json!([])).into_response()
    } else {
        (StatusCode::NOT_FOUND, axum::Json(json!({ "message": "not faked", "code": 0 }))).into_response()
    }
}

/// A webhook request recorded; a queued failure answered first if any.
fn webhook_request(
    s: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Option<Response> {
    let agent = headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    s.webhook_agents.lock().unwrap().push(agent);
    // Decided before the request is reported, so a test that queues
    // failures after seeing a request never changes that request's answer.
    let failure = s.webhook_failures.lock().unwrap().pop_front();
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let _ = s.recorded.send((method.to_string(), uri.path().to_string(), value));
    let (status, body) = failure?;
    let mut response = (StatusCode::from_u16(status).unwrap(), axum::Json(body.clone())).into_response();
    if let Some(after) = body["retry_after"].as_f64() {
        let h = response.headers_mut();
        h.insert("retry-after", after.to_string().parse().unwrap());
        h.insert("x-ratelimit-scope", "user".parse().unwrap());
    }
    Some(response)
}

async fn webhook(
    State(s): State<Arc<Shared>>,
    Path((_app, _token, msg)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Some(failure) = webhook_request(&s, &method, &uri, &headers, &body) {
        return failure;
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
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Some(failure) = webhook_request(&s, &method, &uri, &headers, &body) {
        return failure;
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
    let _ = s.recorded.send(("POST".into(), uri.path().to_string(), json.clone()));
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
    let dispatches = s.dispatches.lock().unwrap().take();
    let base = s.base.clone();
    ws.on_upgrade(move |socket| session(socket, dispatches, base))
}

async fn session(mut socket: WebSocket, dispatches: Option<mpsc::UnboundedReceiver<Value>>, base: String) {
    let send = |v: Value| Message::Text(v.to_string().into());
    let _ = socket.send(send(json!({ "op": 10, "d": { "heartbeat_interval": 41250 } }))).await;
    let mut dispatches = dispatches.expect("one gateway session per fake");
    let mut seq = 1;
    loop {
        tokio::select! {
            msg = socket.recv() => {
                let Some(Ok(Message::Text(text))) = msg else { return };
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                match v["op"].as_u64() {
                    Some(2) => {
                        let ready = json!({
                            "v": 10, "user": user("10", "breachdesk"), "guilds": [],
                            "session_id": "session", "resume_gateway_url": base.replace("http://", "ws://"),
                            "shard": [0, 1], "application": { "id": "77", "flags": 0 }
                        });
                        let _ = socket.send(send(json!({ "op": 0, "t": "READY", "s": seq, "d": ready }))).await;
                        seq += 1;
                        // The one server the bot is in, announced after READY as Discord does.
                        let _ = socket.send(send(json!({ "op": 0, "t": "GUILD_CREATE", "s": seq, "d": guild("42") }))).await;
                        seq += 1;
                    }
                    Some(1) => { let _ = socket.send(send(json!({ "op": 11 }))).await; }
                    _ => {}
                }
            }
            d = dispatches.recv() => {
                let Some(d) = d else { return };
                // An interaction, or another event given as {"t": ..., "d": ...}.
                let (t, d) = match (d["t"].as_str(), d.get("d")) {
                    (Some(t), Some(inner)) => (t.to_string(), inner.clone()),
                    _ => ("INTERACTION_CREATE".to_string(), d),
                };
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
