//! The fake Discord refuses what Discord refuses, so the tests that pass
//! against it mean something; and the bot keeps serving when it is refused.

use std::sync::Arc;
use std::time::Duration;

use breachdesk::config::Registration;
use breachdesk::discord::gateway;
use serde_json::{Value, json};

use crate::fake_discord::{self, interaction};

async fn client_post(url: &str, body: &Value) -> (u16, Value, reqwest::header::HeaderMap) {
    let r = reqwest::Client::new().post(url).json(body).send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, r.json().await.unwrap_or(Value::Null), headers)
}

#[tokio::test]
async fn the_fake_refuses_bad_bodies_second_acknowledgements_late_ones_and_expired_tokens() {
    let fake = fake_discord::start().await;
    let api = format!("{}/api/v10", fake.base);
    fake.delivered("1", "tok1");

    // A body Discord's schema refuses: 400, code 50035, with the errors.
    let (status, body, headers) =
        client_post(&format!("{api}/webhooks/77/tok1"), &json!({ "content": 5, "flags": "loud" })).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)), "{body}");
    assert!(body["errors"].to_string().contains("content"), "{body}");
    assert_eq!(headers["x-ratelimit-limit"], "5", "rate-limit headers on every answer");
    let valid = json!({ "content": "ok", "allowed_mentions": { "parse": [] }, "flags": 64 });
    assert_eq!(client_post(&format!("{api}/webhooks/77/tok1"), &valid).await.0, 200);

    // Fifteen minutes on, the token no longer works.
    fake.advance(Duration::from_secs(15 * 60 + 1));
    let (status, body, _) = client_post(&format!("{api}/webhooks/77/tok1"), &valid).await;
    assert_eq!((status, body["code"].as_u64()), (401, Some(50027)), "{body}");
    // An unknown token never did.
    let (status, _, _) = client_post(&format!("{api}/webhooks/77/nobody"), &valid).await;
    assert_eq!(status, 401);

    // An interaction is acknowledged once, within 3 s of its creation.
    let callback = |id: &str| format!("{api}/interactions/{id}/tok{id}/callback");
    let ack = json!({ "type": 5 });
    let (status, body, _) = client_post(&callback("2"), &ack).await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(10062)), "never delivered: unknown");
    assert_eq!(fake.refusals.lock().unwrap().len(), 4, "each refusal is kept for the tests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_gateway_late_answers_are_refused_and_sessions_resume_or_start_again() {
    let mut fake = fake_discord::start().await;
    let http = gateway::http_client("fake-token", Some(&fake.base));
    let gw = gateway::Gateway {
        router: crate::gateway::router(),
        registration: Registration::Global,
        guild_ids: Vec::new(),
        defer_after: Duration::from_secs(2),
        clock: Arc::new(|| chrono::DateTime::from_timestamp(1_730_000_000, 0).unwrap()),
        poller: None,
        admin_channel: 0,
    };
    tokio::spawn(async move { gateway::run(http, gw).await });
    fake.next("gateway/identify").await;
    let help = || json!({ "id": "61", "name": "help", "type": 1, "options": [] });

    // Answered in time: accepted; acknowledged twice: refused.
    fake.dispatch.send(interaction("5001", 2, help(), None)).unwrap();
    let (_, path, _) = fake.next("/callback").await;
    assert_eq!(path, "/api/v10/interactions/5001/tok5001/callback");
    let again = client_post(&format!("{}{path}", fake.base), &json!({ "type": 5 })).await;
    assert_eq!((again.0, again.1["code"].as_u64()), (400, Some(40060)), "{}", again.1);

    // An interaction already 4 s old when it arrives: Discord refuses the
    // answer (10062); the bot logs it and goes on serving.
    let mut late = interaction("5002", 2, help(), None);
    late["age_ms"] = json!(4000);
    fake.dispatch.send(late).unwrap();
    fake.next("/interactions/5002/").await;
    let refused = fake.refusals.lock().unwrap().last().cloned().unwrap();
    assert_eq!((refused.1, refused.2["code"].as_u64()), (404, Some(10062)), "{refused:?}");
    fake.dispatch.send(interaction("5003", 2, help(), None)).unwrap();
    fake.next("/interactions/5003/").await;
    assert_eq!(fake.refusals.lock().unwrap().len(), 2, "only the two refusals above");

    // The connection drops: the bot resumes its session and keeps answering.
    fake.drop_session(true);
    let (_, _, resume) = fake.next("gateway/resume").await;
    assert_eq!(resume["d"]["session_id"], "session");
    fake.dispatch.send(interaction("5004", 2, help(), None)).unwrap();
    fake.next("/interactions/5004/").await;

    // Dropped again, and the session cannot be resumed: it identifies afresh.
    fake.drop_session(false);
    fake.next("gateway/resume").await;
    fake.next("gateway/identify").await;
    fake.dispatch.send(interaction("5005", 2, help(), None)).unwrap();
    fake.next("/interactions/5005/").await;
    assert_eq!(fake.refusals.lock().unwrap().len(), 2);
}
