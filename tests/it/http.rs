//! The HTTP interactions endpoint on loopback: real Ed25519 signatures,
//! PING, a command, an autocomplete, and refused requests.

use std::sync::{Arc, Mutex};

use breachdesk::config::{Settings, Sources};
use breachdesk::discord::{Router, http};
use breachdesk::engine::Engine;
use breachdesk::ingest::from_text;
use breachdesk::model::Scope;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_730_000_000, 0).unwrap()
}

/// A fixed key pair: the seed is the test's "randomness".
pub(crate) fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

async fn start(defer: Option<http::Webhooks>) -> std::net::SocketAddr {
    let mut engine = Engine::in_memory().unwrap();
    let story = "Title: Carriers breached\nPublished: 2024-10-05\n\nHackers of the Salt Typhoon group breached Fabrikam Telecom, investigators said.\n";
    engine.ingest_and_commit(&[from_text(story, None, None, Scope::Global).unwrap()], now()).unwrap();
    let settings = Settings::load(&Sources::default()).unwrap();
    let endpoint = Arc::new(http::Endpoint {
        router: Router::new(Arc::new(Mutex::new(engine)), Arc::new(settings)),
        key: signing_key().verifying_key(),
        clock: Arc::new(now),
        defer,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(http::serve(listener, endpoint));
    addr
}

/// POST a body with the given signature headers; (status, body).
pub(crate) async fn post(addr: std::net::SocketAddr, body: &str, headers: &[(&str, String)]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "POST /interactions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

pub(crate) fn signed(body: &str, ts: i64) -> Vec<(&'static str, String)> {
    let ts = ts.to_string();
    let sig = signing_key().sign(format!("{ts}{body}").as_bytes());
    vec![("X-Signature-Ed25519", hex::encode(sig.to_bytes())), ("X-Signature-Timestamp", ts)]
}

#[tokio::test]
async fn signed_requests_are_answered_and_others_refused() {
    let addr = start(None).await;
    let ts = now().timestamp();

    let ping = r#"{"type":1,"id":"1","application_id":"2","token":"t","version":1}"#;
    let (status, body) = post(addr, ping, &signed(ping, ts)).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({ "type": 1 }));

    // Missing, bad and stale signatures: 401 before anything is parsed.
    assert_eq!(post(addr, ping, &[]).await.0, 401);
    let mut bad = signed(ping, ts);
    bad[0].1 = hex::encode([0u8; 64]);
    assert_eq!(post(addr, ping, &bad).await.0, 401);
    let tampered = ping.replace("\"1\"", "\"9\"");
    assert_eq!(post(addr, &tampered, &signed(ping, ts)).await.0, 401);
    assert_eq!(post(addr, ping, &signed(ping, ts - 3600)).await.0, 401, "an old request is a replay");
    // Timestamps that would wrap the skew check, or carry a sign, are refused (signed or not).
    for weird in [ts.wrapping_sub(i64::MIN), i64::MIN, i64::MAX] {
        assert_eq!(post(addr, ping, &signed(ping, weird)).await.0, 401, "timestamp {weird}");
    }
    let plus = format!("+{ts}");
    let sig = signing_key().sign(format!("{plus}{ping}").as_bytes());
    let plus_signed = vec![("X-Signature-Ed25519", hex::encode(sig.to_bytes())), ("X-Signature-Timestamp", plus)];
    assert_eq!(post(addr, ping, &plus_signed).await.0, 401, "a leading + is not Discord's form");
    let other = SigningKey::from_bytes(&[9u8; 32]);
    let forged = vec![
        ("X-Signature-Ed25519", hex::encode(other.sign(format!("{ts}{ping}").as_bytes()).to_bytes())),
        ("X-Signature-Timestamp", ts.to_string()),
    ];
    assert_eq!(post(addr, ping, &forged).await.0, 401);
    assert_eq!(post(addr, "{garbage", &signed("{garbage", ts)).await.0, 200, "signed garbage gets a polite reply");

    let command = json!({
        "type": 2, "id": "3", "application_id": "2", "token": "t", "version": 1,
        "data": { "name": "breach", "type": 1, "options": [{ "name": "summary", "type": 1, "options": [{ "name": "incident", "type": 3, "value": "salt typhoon" }] }] }
    })
    .to_string();
    let (status, body) = post(addr, &command, &signed(&command, ts)).await;
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["type"], 4);
    assert!(answer["data"]["embeds"][0]["title"].as_str().unwrap().contains("Salt Typhoon"), "{answer}");

    let auto = json!({
        "type": 4, "id": "4", "application_id": "2", "token": "t", "version": 1,
        "data": { "name": "breach", "type": 1, "options": [{ "name": "actor", "type": 1, "options": [{ "name": "name", "type": 3, "value": "volt", "focused": true }] }] }
    })
    .to_string();
    let (status, body) = post(addr, &auto, &signed(&auto, ts)).await;
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["type"], 8);
    assert!(answer["data"]["choices"].as_array().unwrap().iter().any(|c| c["value"] == "Volt Typhoon"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_is_deferred_and_completed_through_the_webhook() {
    let mut fake = crate::fake_discord::start().await;
    // A zero threshold defers every command: the path a slow answer takes.
    let addr = start(Some(webhooks(&fake))).await;
    fake.delivered("3", "tok3");
    let command = json!({
        "type": 2, "id": "3", "application_id": "77", "token": "tok3", "version": 1,
        "data": { "name": "breach", "type": 1, "options": [{ "name": "search", "type": 1, "options": [{ "name": "query", "type": 3, "value": "fabrikam" }] }] }
    })
    .to_string();
    let (status, body) = post(addr, &command, &signed(&command, now().timestamp())).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({ "type": 5 }));
    let (method, path, body) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("PATCH", "/api/v10/webhooks/77/tok3/messages/@original"));
    assert!(body["embeds"].to_string().contains("Carriers breached"), "{body}");
    assert_eq!(body["allowed_mentions"], json!({ "parse": [] }));
    // PING is never deferred.
    let ping = r#"{"type":1,"id":"1","application_id":"77","token":"t","version":1}"#;
    let (_, body) = post(addr, ping, &signed(ping, now().timestamp())).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({ "type": 1 }));
}

/// Webhooks on the fake that defer every command (a zero threshold: the
/// path a slow answer takes) and retry at once.
fn webhooks(fake: &crate::fake_discord::Fake) -> http::Webhooks {
    http::Webhooks {
        after: std::time::Duration::ZERO,
        api_base: format!("{}/api/v10", fake.base),
        client: http::Webhooks::client().unwrap(),
        retry_pause: std::time::Duration::ZERO,
    }
}

fn slash(id: &str, name: &str, sub: Option<(&str, Value)>) -> String {
    let data = match sub {
        Some((sub, options)) => {
            json!({ "name": name, "type": 1, "options": [{ "name": sub, "type": 1, "options": options }] })
        }
        None => json!({ "name": name, "type": 1, "options": [] }),
    };
    json!({ "type": 2, "id": id, "application_id": "77", "token": format!("tok{id}"), "version": 1, "guild_id": "42", "data": data })
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_private_answers_are_deferred_privately_and_errors_reach_only_the_asker() {
    let mut fake = crate::fake_discord::start().await;
    let addr = start(Some(webhooks(&fake))).await;
    for id in ["11", "12", "13"] {
        fake.delivered(id, &format!("tok{id}"));
    }

    // /help is private: the deferral itself carries the ephemeral flag.
    let help = slash("11", "help", None);
    let (_, body) = post(addr, &help, &signed(&help, now().timestamp())).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({ "type": 5, "data": { "flags": 64 } }));
    let (method, path, body) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("PATCH", "/api/v10/webhooks/77/tok11/messages/@original"));
    assert!(body["embeds"].to_string().contains("breachdesk commands"), "{body}");

    // A public command whose answer is an error: the public placeholder is
    // removed and the error goes to the asker alone.
    let bad = slash("12", "breach", Some(("search", json!([{ "name": "query", "type": 3, "value": "title:(" }]))));
    let (_, body) = post(addr, &bad, &signed(&bad, now().timestamp())).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({ "type": 5 }));
    let (method, path, _) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("DELETE", "/api/v10/webhooks/77/tok12/messages/@original"));
    let (method, path, body) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("POST", "/api/v10/webhooks/77/tok12"));
    assert_eq!(body["flags"], 64, "{body}");

    // An expired button: the shared message is left alone; the presser alone is told.
    let press =
        json!({ "type": 3, "id": "13", "application_id": "77", "token": "tok13", "version": 1, "guild_id": "42",
        "data": { "custom_id": "page:1:gone", "component_type": 2 } })
        .to_string();
    let (_, body) = post(addr, &press, &signed(&press, now().timestamp())).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), json!({ "type": 6 }));
    let (method, path, body) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("POST", "/api/v10/webhooks/77/tok13"));
    assert_eq!(body["flags"], 64);
    assert!(body["embeds"].to_string().contains("expired"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_requests_name_the_bot_and_survive_rate_limits_and_server_errors() {
    let mut fake = crate::fake_discord::start().await;
    let addr = start(Some(webhooks(&fake))).await;
    for id in ["21", "22"] {
        fake.delivered(id, &format!("tok{id}"));
    }
    {
        let mut failures = fake.webhook_failures.lock().unwrap();
        failures
            .push_back((429, json!({ "message": "You are being rate limited.", "retry_after": 0.0, "global": false })));
        failures.push_back((502, json!({ "message": "Bad Gateway", "code": 0 })));
    }
    let search = slash("21", "breach", Some(("search", json!([{ "name": "query", "type": 3, "value": "fabrikam" }]))));
    post(addr, &search, &signed(&search, now().timestamp())).await;
    for _ in 0..3 {
        let (method, path, body) = fake.next("/webhooks/").await;
        assert_eq!((method.as_str(), path.as_str()), ("PATCH", "/api/v10/webhooks/77/tok21/messages/@original"));
        assert!(body["embeds"].to_string().contains("Carriers breached"), "{body}");
    }
    let agents = fake.webhook_agents.lock().unwrap().clone();
    assert_eq!(agents.len(), 3);
    assert!(agents.iter().all(|a| a.starts_with("DiscordBot (https://") && a.ends_with(")")), "{agents:?}");

    // Failing every attempt: the asker is told the answer was lost.
    {
        let mut failures = fake.webhook_failures.lock().unwrap();
        for _ in 0..3 {
            failures.push_back((503, json!({ "message": "Service Unavailable", "code": 0 })));
        }
    }
    let search = slash("22", "breach", Some(("search", json!([{ "name": "query", "type": 3, "value": "fabrikam" }]))));
    post(addr, &search, &signed(&search, now().timestamp())).await;
    for _ in 0..3 {
        let (method, path, body) = fake.next("/webhooks/").await;
        assert_eq!(method, "PATCH", "{path} {body}");
    }
    let (method, path, body) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("POST", "/api/v10/webhooks/77/tok22"));
    assert_eq!(body["flags"], 64);
    assert!(body["embeds"].to_string().contains("could not be delivered"), "{body}");
}
