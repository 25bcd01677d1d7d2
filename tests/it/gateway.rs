//! Gateway mode against a Discord on loopback: registration, commands,
//! autocomplete, deferral, guild scoping and mentions.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use breachdesk::config::{Registration, Settings, Sources};
use breachdesk::discord::{Router, gateway};
use breachdesk::engine::Engine;
use breachdesk::ingest::from_text;
use breachdesk::model::Scope;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::fake_discord::{self, interaction};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_730_000_000, 0).unwrap()
}

pub(crate) fn router() -> Arc<Router> {
    let mut e = Engine::in_memory().unwrap();
    let stories = [
        (
            "Title: Carriers breached\nPublished: 2024-10-05\n\nHackers of the Salt Typhoon group breached Fabrikam Telecom, investigators said. A spokesperson said @everyone at <@&99> should patch routers.\n",
            Scope::Global,
        ),
        (
            "Title: Guild notes\nPublished: 2024-10-06\n\nOur analysts saw Salt Typhoon probe Contoso Wireless routers, the team said.\n",
            Scope::Guild(42),
        ),
    ];
    let loaded: Vec<_> = stories.iter().map(|(t, s)| from_text(t, None, None, *s).unwrap()).collect();
    e.ingest_and_commit(&loaded, now()).unwrap();
    Arc::new(Router::new(Arc::new(Mutex::new(e)), Arc::new(Settings::load(&Sources::default()).unwrap())))
}

async fn connect(defer_after: Duration, guilds: Vec<u64>) -> fake_discord::Fake {
    start(router(), defer_after, guilds, None, 0).await
}

/// A fake Discord, and the gateway client connected to it.
async fn start(
    router: Arc<Router>,
    defer_after: Duration,
    guild_ids: Vec<u64>,
    poller: Option<breachdesk::feeds::Poller>,
    admin_channel: u64,
) -> fake_discord::Fake {
    let fake = fake_discord::start().await;
    let http = gateway::http_client("fake-token", Some(&fake.base));
    let registration = if guild_ids.is_empty() { Registration::Global } else { Registration::Servers };
    let gw =
        gateway::Gateway { router, registration, guild_ids, defer_after, clock: Arc::new(now), poller, admin_channel };
    tokio::spawn(async move {
        let _ = gateway::run(http, gw).await;
    });
    fake
}

fn search(query: &str) -> Value {
    json!({ "id": "55", "name": "breach", "type": 1, "options": [{ "name": "search", "type": 1, "options": [{ "name": "query", "type": 3, "value": query }] }] })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_server_registration_follows_the_servers_the_bot_is_in() {
    let mut fake = start(router(), Duration::from_secs(2), Vec::new(), None, 0).await;
    let (method, path, _) = fake.next("/commands").await;
    assert_eq!((method.as_str(), path.as_str()), ("PUT", "/api/v10/applications/77/commands"), "global by default");
    drop(fake);

    // Per server, for every server: the old global commands are removed, the
    // server announced at connect is registered, and so is one joined later.
    let fake = fake_discord::start().await;
    let http = gateway::http_client("fake-token", Some(&fake.base));
    let gw = gateway::Gateway {
        router: router(),
        registration: Registration::Servers,
        guild_ids: Vec::new(),
        defer_after: Duration::from_secs(2),
        clock: Arc::new(now),
        poller: None,
        admin_channel: 0,
    };
    tokio::spawn(async move { gateway::run(http, gw).await });
    let mut fake = fake;
    let (method, path, body) = fake.next("/commands").await;
    assert_eq!((method.as_str(), path.as_str(), body), ("PUT", "/api/v10/applications/77/commands", json!([])));
    let (method, path, body) = fake.next("/commands").await;
    assert_eq!((method.as_str(), path.as_str()), ("PUT", "/api/v10/applications/77/guilds/42/commands"));
    assert_eq!(body.as_array().map(Vec::len), Some(6), "{body}");
    fake.dispatch.send(json!({ "t": "GUILD_CREATE", "d": fake_discord::guild("43") })).unwrap();
    let (method, path, _) = fake.next("/commands").await;
    assert_eq!((method.as_str(), path.as_str()), ("PUT", "/api/v10/applications/77/guilds/43/commands"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_and_answered_over_the_gateway() {
    let mut fake = connect(Duration::from_secs(2), vec![42]).await;
    let (method, path, body) = fake.next("/commands").await;
    assert_eq!((method.as_str(), path.as_str(), &body), ("PUT", "/api/v10/applications/77/commands", &json!([])));
    let (method, path, body) = fake.next("/commands").await;
    assert_eq!((method.as_str(), path.as_str()), ("PUT", "/api/v10/applications/77/guilds/42/commands"));
    let names: Vec<&str> = body.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["breach", "who-said", "ingest", "digest", "feeds", "help"]);

    // A command in guild 42 sees the guild's notes; mentions in quotes ping no one.
    fake.dispatch.send(interaction("1001", 2, search("routers"), Some("42"))).unwrap();
    let (_, path, body) = fake.next("/callback").await;
    assert_eq!(path, "/api/v10/interactions/1001/tok1001/callback");
    assert_eq!(body["type"], 4);
    assert_eq!(body["data"]["allowed_mentions"], json!({ "parse": [] }));
    let text = body["data"]["embeds"].to_string();
    assert!(text.contains("Guild notes"), "{text}");
    assert!(!text.contains("@everyone") && !text.contains("<@&99>"), "{text}");

    // The same search from another guild does not.
    fake.dispatch.send(interaction("1002", 2, search("routers"), Some("7"))).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert!(!body["data"]["embeds"].to_string().contains("Guild notes"), "{body}");

    // Autocomplete answers with choices.
    let auto = json!({ "id": "56", "name": "breach", "type": 1, "options": [{ "name": "actor", "type": 1, "options": [{ "name": "name", "type": 3, "value": "salt", "focused": true }] }] });
    fake.dispatch.send(interaction("1003", 4, auto, Some("42"))).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert_eq!(body["type"], 8);
    assert!(body["data"]["choices"].as_array().unwrap().iter().any(|c| c["value"] == "Salt Typhoon"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_is_deferred_then_completed() {
    // A zero threshold defers every command: the path a slow answer takes.
    let mut fake = connect(Duration::ZERO, Vec::new()).await;
    let (method, path, _) = fake.next("/commands").await;
    assert_eq!((method.as_str(), path.as_str()), ("PUT", "/api/v10/applications/77/commands"), "global registration");
    fake.dispatch.send(interaction("2001", 2, search("fabrikam"), None)).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert_eq!(body, json!({ "type": 5 }));
    let (method, path, body) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("PATCH", "/api/v10/webhooks/77/tok2001/messages/@original"));
    assert!(body["embeds"].to_string().contains("Carriers breached"), "{body}");

    // A private answer is deferred privately: Discord fixes visibility there.
    fake.dispatch
        .send(interaction("2002", 2, json!({ "id": "61", "name": "help", "type": 1, "options": [] }), None))
        .unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert_eq!(body, json!({ "type": 5, "data": { "flags": 64 } }));
    let (method, path, _) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("PATCH", "/api/v10/webhooks/77/tok2002/messages/@original"));
    // An error after a public deferral: placeholder removed, error to the asker alone.
    let bad = json!({ "id": "60", "name": "breach", "type": 1, "options": [{ "name": "search", "type": 1, "options": [{ "name": "query", "type": 3, "value": "title:(" }] }] });
    fake.dispatch.send(interaction("2003", 2, bad, None)).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert_eq!(body, json!({ "type": 5 }));
    let (method, path, _) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("DELETE", "/api/v10/webhooks/77/tok2003/messages/@original"));
    let (method, path, body) = fake.next("/webhooks/").await;
    assert_eq!((method.as_str(), path.as_str()), ("POST", "/api/v10/webhooks/77/tok2003"));
    assert_eq!(body["flags"], 64, "{body}");
}

/// A long story, so that its summary spans more than one page.
pub(crate) fn long_story() -> String {
    // Eight long sentences with no words in common besides the actor's name,
    // so that the summary keeps six of them and needs two pages.
    let mut s = String::from("Title: Lantern Panda's long campaign\nPublished: 2024-10-07\n\n");
    for k in 0..8 {
        let words: Vec<String> = (0..70).map(|j| format!("w{k}x{j}")).collect();
        s.push_str(&format!("Lantern Panda {}.\n\n", words.join(" ")));
    }
    s.push_str("Northwind Shipping declined to comment on the intrusion.\n");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_answers_over_the_gateway_and_pages_turn() {
    let mut e = Engine::in_memory().unwrap();
    e.ingest_and_commit(&[from_text(&long_story(), None, None, Scope::Global).unwrap()], now()).unwrap();
    let mut settings = Settings::load(&Sources::default()).unwrap();
    settings.answer.summary_sentences = 6;
    // Roles configured: breachdesk itself requires Manage Server or one of them.
    settings.discord.ingest_roles = vec![777];
    let router = Arc::new(Router::new(Arc::new(Mutex::new(e)), Arc::new(settings)));
    let mut fake = start(router, Duration::from_secs(2), vec![42], None, 0).await;
    fake.next("/commands").await;

    let sub = |name: &str, sub: &str, options: Value| json!({ "id": "60", "name": name, "type": 1, "options": [{ "name": sub, "type": 1, "options": options }] });
    let cases = [
        (json!({ "id": "61", "name": "help", "type": 1, "options": [] }), "breachdesk commands"),
        (
            json!({ "id": "62", "name": "who-said", "type": 1, "options": [{ "name": "query", "type": 3, "value": "northwind" }] }),
            "Who said",
        ),
        (sub("breach", "actor", json!([{ "name": "name", "type": 3, "value": "APT29" }])), "Midnight Blizzard"),
        (sub("breach", "search", json!([{ "name": "query", "type": 3, "value": "intrusion" }])), "long campaign"),
        (sub("digest", "preview", json!([])), "Digest preview"),
    ];
    for (k, (data, expect)) in cases.into_iter().enumerate() {
        let id = format!("31{k}");
        fake.dispatch.send(interaction(&id, 2, data, Some("42"))).unwrap();
        let (_, path, body) = fake.next("/callback").await;
        assert!(path.contains(&id), "{path}");
        assert_eq!(body["type"], 4);
        assert!(body["data"]["embeds"].to_string().contains(expect), "{expect}: {body}");
    }

    // A summary too long for one embed gets buttons; Next shows page 2.
    let summary = sub("breach", "summary", json!([{ "name": "incident", "type": 3, "value": "lantern panda" }]));
    fake.dispatch.send(interaction("3200", 2, summary, Some("42"))).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    let next = body["data"]["components"][0]["components"][1].clone();
    assert_eq!(next["label"], "Next", "{body}");
    let mut press = interaction("3201", 3, json!({ "custom_id": next["custom_id"], "component_type": 2 }), Some("42"));
    press["message"] = fake_discord::message("5000");
    fake.dispatch.send(press).unwrap();
    let (_, path, body) = fake.next("/callback").await;
    assert!(path.contains("3201"), "{path}");
    assert_eq!(body["type"], 7, "the message is updated in place");
    assert!(body["data"]["embeds"][0]["footer"]["text"].as_str().unwrap().starts_with("page 2 of"), "{body}");

    // /ingest: refused without the permission, taken with it.
    let ingest = sub(
        "ingest",
        "text",
        json!([{ "name": "text", "type": 3, "value": "Hackers breached Fabrikam Port, officials said." }]),
    );
    fake.dispatch.send(interaction("3300", 2, ingest.clone(), Some("42"))).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert_eq!(body["data"]["flags"], 64);
    assert!(body["data"]["embeds"].to_string().contains("Manage Server"), "{body}");
    let mut allowed = interaction("3301", 2, ingest, Some("42"));
    allowed["member"]["permissions"] = json!("32");
    fake.dispatch.send(allowed).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert!(body["data"]["embeds"].to_string().contains("Added"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_url_and_file_fetch_safely_and_feed_notices_reach_the_admin_channel() {
    use breachdesk::config::FeedSettings;
    use breachdesk::feeds::Poller;
    use breachdesk::fetch::{Fetcher, Policy};

    use crate::site::{Page, Site};

    let site = Site::start().await;
    site.html(
        "/story",
        "<html><head><title>Dockyard breached</title></head><body><nav>Home | News</nav><article><p>Hackers breached the Fabrikam Dockyard and copied crane schedules, the company said on Tuesday.</p><p>Fabrikam said it had hired Tailwind Forensics to investigate the intrusion.</p></article></body></html>",
    );
    site.set(
        "/notes.md",
        Page::Body(200, "text/markdown", b"# Ferry line notes\n\nContoso Ferries said attackers reached its booking database last week, a spokesperson said.\n".to_vec()),
    );
    site.set("/feed.xml", Page::Body(503, "text/plain", b"down".to_vec()));

    let mut settings = Settings::load(&Sources::default()).unwrap();
    settings.fetch.allow_nets = vec!["127.0.0.1/32".parse().unwrap()];
    settings.polling.notice_after = 1;
    settings.discord.ingest_roles = vec![777];
    settings.feeds.push(FeedSettings { url: site.url("/feed.xml"), poll_minutes: 30, guild: None, keywords: vec![] });
    let settings = Arc::new(settings);
    let engine = Arc::new(Mutex::new(Engine::in_memory().unwrap()));
    let fetcher = Arc::new(Fetcher::new(Policy::from_settings(&settings)).unwrap());
    let router = Arc::new(Router::new(engine.clone(), settings.clone()).with_fetcher(fetcher.clone()));
    let poller = Poller { fetcher, settings: settings.clone(), engine };
    let mut fake = start(router, Duration::from_secs(2), vec![42], Some(poller), 555).await;

    // The failing feed is polled at once; its notice goes to the admin channel, pinging no one.
    let (method, _, body) = fake.next("/channels/555/messages").await;
    assert_eq!(method, "POST");
    assert!(body["content"].as_str().unwrap().contains("/feed.xml"), "{body}");
    assert_eq!(body["allowed_mentions"], json!({ "parse": [] }));

    let sub = |sub: &str, options: Value| json!({ "id": "70", "name": "ingest", "type": 1, "options": [{ "name": sub, "type": 1, "options": options }] });
    let send = |id: &str, data: Value| {
        let mut i = interaction(id, 2, data, Some("42"));
        i["member"]["permissions"] = json!("32");
        i
    };
    fake.dispatch
        .send(send("4001", sub("url", json!([{ "name": "link", "type": 3, "value": site.url("/story") }]))))
        .unwrap();
    let (_, _, body) = fake.next("/callback").await;
    let text = body["data"]["embeds"].to_string();
    assert!(text.contains("Added: Dockyard breached") && text.contains("Fabrikam Dockyard"), "{text}");

    // The metadata address is refused, naming the rule.
    let meta = sub("url", json!([{ "name": "link", "type": 3, "value": "http://169.254.169.254/latest/meta-data/" }]));
    fake.dispatch.send(send("4002", meta)).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert_eq!(body["data"]["flags"], 64);
    assert!(body["data"]["embeds"].to_string().contains("link-local"), "{body}");

    // A file shared with the command.
    let mut file = sub("file", json!([{ "name": "file", "type": 11, "value": "900" }]));
    file["resolved"] = json!({ "attachments": { "900": {
        "id": "900", "filename": "notes.md", "size": 120, "url": site.url("/notes.md"),
        "proxy_url": site.url("/notes.md"), "content_type": "text/markdown"
    } } });
    fake.dispatch.send(send("4003", file)).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    let text = body["data"]["embeds"].to_string();
    assert!(text.contains("Added: Ferry line notes"), "{text}");
    assert_eq!(site.hits("/notes.md"), 1);

    // Without the permission nothing is fetched.
    let mut denied = interaction(
        "4004",
        2,
        sub("url", json!([{ "name": "link", "type": 3, "value": site.url("/other") }])),
        Some("42"),
    );
    denied["member"]["permissions"] = json!("0");
    fake.dispatch.send(denied).unwrap();
    let (_, _, body) = fake.next("/callback").await;
    assert!(body["data"]["embeds"].to_string().contains("Manage Server"), "{body}");
    assert_eq!(site.hits("/other"), 0);

    // /feeds shows the failing feed.
    fake.dispatch
        .send(interaction("4005", 2, json!({ "id": "71", "name": "feeds", "type": 1, "options": [] }), Some("42")))
        .unwrap();
    let (_, _, body) = fake.next("/callback").await;
    let text = body["data"]["embeds"].to_string();
    assert!(text.contains("/feed.xml") && text.contains("failing: 1 in a row") && text.contains("503"), "{text}");
}
