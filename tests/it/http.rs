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

async fn start(defer: Option<http::Deferral>) -> std::net::SocketAddr {
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
    let defer = http::Deferral {
        after: std::time::Duration::ZERO,
        api_base: format!("{}/api/v10", fake.base),
        client: reqwest::Client::new(),
    };
    let addr = start(Some(defer)).await;
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
