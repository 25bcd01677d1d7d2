use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::*;
use crate::config::{Settings, Sources};
use crate::ingest::from_text;
use crate::model::Scope;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_730_000_000, 0).unwrap()
}

/// A router over an engine holding one global story and one of guild 42.
pub(crate) fn router() -> Router {
    let mut e = Engine::in_memory().unwrap();
    let stories = [
        (
            "Title: Carriers breached\nPublished: 2024-10-05\n\nBeijing-backed hackers of the Salt Typhoon group breached Fabrikam Telecom, investigators said. Fabrikam Telecom said @everyone should stay calm and declined to comment on <@1234>.\n",
            Scope::Global,
        ),
        (
            "Title: Guild notes\nPublished: 2024-10-06\n\nOur analysts saw Salt Typhoon probe Contoso Wireless routers, the team said.\n",
            Scope::Guild(42),
        ),
    ];
    let loaded: Vec<_> = stories.iter().map(|(t, s)| from_text(t, None, None, *s).unwrap()).collect();
    e.ingest_and_commit(&loaded, now()).unwrap();
    Router::new(Arc::new(Mutex::new(e)), Arc::new(Settings::load(&Sources::default()).unwrap()))
}

fn command(name: &str, sub: Option<&str>, options: Value, guild: Option<&str>) -> Vec<u8> {
    let data = match sub {
        Some(s) => json!({ "name": name, "type": 1, "options": [{ "name": s, "type": 1, "options": options }] }),
        None => json!({ "name": name, "type": 1, "options": options }),
    };
    let mut i = json!({ "type": 2, "id": "900", "application_id": "1", "token": "t", "version": 1, "data": data });
    if let Some(g) = guild {
        i["guild_id"] = json!(g);
    }
    serde_json::to_vec(&i).unwrap()
}

fn text_of(answer: &Value) -> String {
    serde_json::to_string(&answer["data"]["embeds"]).unwrap()
}

#[test]
fn ping_gets_pong() {
    assert_eq!(router().handle(br#"{"type":1,"id":"1"}"#, now()), json!({ "type": 1 }));
}

#[test]
fn a_command_is_answered_with_an_embed_that_pings_no_one() {
    let r = router();
    let a = r.handle(
        &command("breach", Some("summary"), json!([{ "name": "incident", "type": 3, "value": "salt typhoon" }]), None),
        now(),
    );
    assert_eq!(a["type"], 4);
    assert_eq!(a["data"]["allowed_mentions"], json!({ "parse": [] }));
    let text = text_of(&a);
    assert!(text.contains("Salt Typhoon"), "{text}");
    assert!(!text.contains("@everyone") && !text.contains("<@1234>"), "{text}");
}

#[test]
fn guild_documents_stay_in_their_guild() {
    let r = router();
    let ask = |guild| {
        r.handle(
            &command("breach", Some("search"), json!([{ "name": "query", "type": 3, "value": "routers" }]), guild),
            now(),
        )
    };
    assert!(text_of(&ask(Some("42"))).contains("Guild notes"));
    let elsewhere = ask(Some("7"));
    assert!(!text_of(&elsewhere).contains("Guild notes"), "{elsewhere}");
    assert!(!text_of(&ask(None)).contains("Guild notes"));
}

#[test]
fn autocomplete_answers_with_choices() {
    let r = router();
    let data = json!({ "name": "breach", "type": 1, "options": [{ "name": "actor", "type": 1, "options": [{ "name": "name", "type": 3, "value": "salt", "focused": true }] }] });
    let payload = serde_json::to_vec(&json!({ "type": 4, "id": "5", "data": data })).unwrap();
    let a = r.handle(&payload, now());
    assert_eq!(a["type"], 8);
    let choices = a["data"]["choices"].as_array().unwrap();
    assert!(choices.iter().any(|c| c["name"] == "Salt Typhoon"), "{choices:?}");
    assert!(choices.len() <= 25);
}

#[test]
fn user_errors_are_ephemeral_and_garbage_is_refused_politely() {
    let r = router();
    let a = r.handle(
        &command("breach", Some("actor"), json!([{ "name": "name", "type": 3, "value": "Nobody Atall" }]), None),
        now(),
    );
    assert_eq!(a["data"]["flags"], 64);
    let a = r.handle(b"{not json", now());
    assert_eq!(a["type"], 4);
    assert_eq!(a["data"]["flags"], 64);
    let a = r.handle(br#"{"type":99}"#, now());
    assert_eq!(a["data"]["flags"], 64);
}

#[test]
fn paging_buttons_rerun_for_the_same_viewer_only() {
    let r = router();
    // /help is short: no buttons.
    let a = r.handle(&command("help", None, json!([]), None), now());
    assert_eq!(a["data"]["components"], json!([]));
    // A button for an answer never given (or forgotten) expires politely.
    let press = |custom: &str, guild: Option<&str>| {
        let mut i = json!({ "type": 3, "id": "901", "data": { "custom_id": custom, "component_type": 2 } });
        if let Some(g) = guild {
            i["guild_id"] = json!(g);
        }
        r.handle(&serde_json::to_vec(&i).unwrap(), now())
    };
    assert!(text_of(&press("page:1:nope", None)).contains("expired"));
    assert!(text_of(&press("other:thing", None)).contains("not breachdesk"));
}

#[test]
fn registration_body_covers_the_command_table() {
    let body = commands_json();
    let names: Vec<&str> = body.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["breach", "who-said", "ingest", "digest", "feeds", "help"]);
    let ingest = &body[2];
    // An integer, as the request schema of Discord's OpenAPI description types it.
    assert_eq!(ingest["default_member_permissions"], 32, "Manage Server by default");
    assert_eq!(ingest["contexts"], json!([0]), "servers only");
    let subs: Vec<&str> = ingest["options"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(subs, ["text", "url", "file"]);
    assert_eq!(ingest["options"][2]["options"][0]["type"], 11, "an attachment option");
    let breach = &body[0];
    let subs: Vec<&str> = breach["options"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(subs, ["summary", "actor", "search"]);
    let incident = &breach["options"][0]["options"][0];
    assert_eq!(incident["type"], 3);
    assert_eq!(incident["autocomplete"], true);
    let who = body[1]["options"].as_array().unwrap();
    let page = who.iter().find(|o| o["name"] == "page").unwrap();
    assert_eq!((page["type"].clone(), page["min_value"].clone()), (json!(4), json!(1)));
    let stance = who.iter().find(|o| o["name"] == "stance").unwrap();
    let choices: Vec<&str> =
        stance["choices"].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect();
    assert_eq!(choices, command::STANCES, "stance is a choice list");
}

#[test]
fn command_data_becomes_an_invocation() {
    let inv = invocation(&json!({ "name": "who-said", "options": [{ "name": "query", "type": 3, "value": "denial" }, { "name": "page", "type": 4, "value": 2 }] })).unwrap();
    assert_eq!(inv.path, ["who-said"]);
    assert_eq!(inv.options["page"], OptionValue::Integer(2));
    assert!(invocation(&json!({ "options": [] })).is_err());
}

/// An `/ingest text` interaction from a member with these permission bits and roles.
fn ingest(id: &str, guild: Option<&str>, permissions: u64, roles: &[&str], text: &str) -> Vec<u8> {
    let data = json!({ "name": "ingest", "type": 1, "options": [{ "name": "text", "type": 1, "options": [
        { "name": "text", "type": 3, "value": text }, { "name": "title", "type": 3, "value": "Litware breach" }
    ] }] });
    let mut i = json!({ "type": 2, "id": id, "data": data });
    match guild {
        Some(g) => {
            i["guild_id"] = json!(g);
            i["member"] = json!({ "user": { "id": "500" }, "roles": roles, "permissions": permissions.to_string() });
        }
        None => i["user"] = json!({ "id": "500" }),
    }
    serde_json::to_vec(&i).unwrap()
}

const STORY: &str = "Hackers of the Quartz Typhoon group breached Litware Logistics, investigators said. \
                     Litware declined to comment.";

#[test]
fn ingest_needs_manage_server_or_an_ingest_role_and_stays_in_its_guild() {
    let mut settings = Settings::load(&Sources::default()).unwrap();
    settings.discord.ingest_roles = vec![777];
    let r = Router::new(router().engine.clone(), Arc::new(settings));
    let refused = r.handle(&ingest("1", Some("42"), 0, &[], STORY), now());
    assert_eq!(refused["data"]["flags"], 64);
    assert!(text_of(&refused).contains("Manage Server"), "{refused}");
    let dm = r.handle(&ingest("2", None, command::MANAGE_GUILD, &[], STORY), now());
    assert!(text_of(&dm).contains("server channel"), "{dm}");

    let added = r.handle(&ingest("3", Some("42"), command::MANAGE_GUILD, &[], STORY), now());
    let text = text_of(&added);
    assert!(text.contains("Added: Litware breach"), "{text}");
    assert!(text.contains("Actors: Quartz Typhoon") && text.contains("Victims: Litware"), "{text}");
    assert!(text.contains("Statements: 2"), "{text}");

    let search = |guild: &str| {
        r.handle(
            &command(
                "breach",
                Some("search"),
                json!([{ "name": "query", "type": 3, "value": "litware" }]),
                Some(guild),
            ),
            now(),
        )
    };
    assert!(text_of(&search("42")).contains("Litware breach"));
    assert!(!text_of(&search("7")).contains("Litware breach"), "ingested in 42, shown in 7");
}

#[test]
fn with_no_ingest_roles_configured_discord_decides_who_may_ingest() {
    // An admin granted /ingest to a role in Server Settings → Integrations:
    // Discord delivers the command from a member without Manage Server.
    let r = router();
    let added = r.handle(&ingest("1", Some("42"), 0, &["555"], STORY), now());
    assert!(text_of(&added).contains("Added: Litware breach"), "{added}");
    // Direct messages stay refused: they have no server to store into.
    let dm = r.handle(&ingest("2", None, command::MANAGE_GUILD, &[], STORY), now());
    assert!(text_of(&dm).contains("server channel"), "{dm}");
}

#[test]
fn an_ingest_is_cleaned_and_extracted_while_another_command_holds_the_engine() {
    let r = router();
    // A long search (or anything else) holding the engine: the ingest's
    // cleaning and extraction, where its time goes, do not wait for it.
    let held = r.engine.lock().unwrap();
    let payload: Value = serde_json::from_slice(&ingest("3", Some("42"), command::MANAGE_GUILD, &[], STORY)).unwrap();
    let inv = invocation(&payload["data"]).unwrap();
    let member = command::Member { user_id: 500, roles: vec![], permissions: command::MANAGE_GUILD };
    let mut ctx = command::WriteContext {
        knowledge: &r.knowledge,
        settings: &r.settings,
        viewer: Viewer::Guild(42),
        member: Some(member),
        now: now(),
        fetched: None,
    };
    let prepared = command::run_write(&mut ctx, &inv).unwrap();
    assert_eq!(prepared.loaded.doc.title, "Litware breach");
    assert_eq!(prepared.extracted.statements.len(), 2);
    assert_eq!(prepared.extracted.facts.threat_actors[0].name, "Quartz Typhoon");
    drop(held);
    // Storing it is the only step that takes the engine.
    let reply = command::finish_write(&mut r.engine.lock().unwrap(), prepared, now()).unwrap();
    assert_eq!(reply.title, "Added: Litware breach");
}

#[test]
fn an_ingest_role_from_config_is_enough_and_the_hourly_limit_holds() {
    let mut e = Engine::in_memory().unwrap();
    e.commit().unwrap();
    let mut settings = Settings::load(&Sources::default()).unwrap();
    settings.discord.ingest_roles = vec![777];
    settings.discord.ingest_per_hour = 2;
    let r = Router::new(Arc::new(Mutex::new(e)), Arc::new(settings));
    let at = |mins: i64| now() + chrono::Duration::minutes(mins);
    for (k, mins) in [(1, 0), (2, 10)] {
        let a = r.handle(&ingest(&k.to_string(), Some("42"), 0, &["777"], &format!("{STORY} Story {k}.")), at(mins));
        assert!(text_of(&a).contains("Added"), "{a}");
    }
    let third = r.handle(&ingest("3", Some("42"), 0, &["777"], &format!("{STORY} Story 3.")), at(20));
    assert!(text_of(&third).contains("last hour"), "{third}");
    // An hour after the first, one slot is free again.
    let later = r.handle(&ingest("4", Some("42"), 0, &["777"], &format!("{STORY} Story 4.")), at(61));
    assert!(text_of(&later).contains("Added"), "{later}");
}

#[test]
fn ingest_file_and_url_refuse_bad_input_before_fetching() {
    // No fetcher is configured: any of these reaching a fetch would say so.
    let r = router();
    let as_admin = |body: Vec<u8>| {
        let mut v: Value = serde_json::from_slice(&body).unwrap();
        v["member"] = json!({ "user": { "id": "5" }, "roles": [], "permissions": "32" });
        r.handle(&serde_json::to_vec(&v).unwrap(), now())
    };
    let file = |name: &str, size: u64| {
        let mut body: Value = serde_json::from_slice(&command(
            "ingest",
            Some("file"),
            json!([{ "name": "file", "type": 11, "value": "7" }]),
            Some("42"),
        ))
        .unwrap();
        body["data"]["resolved"] = json!({ "attachments": { "7": { "id": "7", "filename": name, "size": size, "url": "https://cdn.example/x" } } });
        serde_json::to_vec(&body).unwrap()
    };
    let cases = [
        (file("malware.exe", 10), "is not a .txt, .md or .html file"),
        (file("huge.txt", 50_000_000), "the limit is 5000000"),
        (
            command(
                "ingest",
                Some("url"),
                json!([{ "name": "link", "type": 3, "value": "file:///etc/passwd" }]),
                Some("42"),
            ),
            "only http and https",
        ),
        (
            command("ingest", Some("url"), json!([{ "name": "link", "type": 3, "value": "nonsense" }]), Some("42")),
            "not a web address",
        ),
        (
            command("ingest", Some("file"), json!([{ "name": "file", "type": 11, "value": "8" }]), Some("42")),
            "was not received",
        ),
    ];
    for (body, want) in cases {
        let a = as_admin(body);
        assert_eq!(a["data"]["flags"], 64, "{a}");
        assert!(text_of(&a).contains(want), "{want}: {a}");
    }
    // A good address with no fetcher in this process: a clear message, not a crash.
    let a = as_admin(command(
        "ingest",
        Some("url"),
        json!([{ "name": "link", "type": 3, "value": "https://news.example.org/story" }]),
        Some("42"),
    ));
    assert!(text_of(&a).contains("Could not fetch that page"), "{a}");
}

#[test]
fn digest_preview_is_for_the_channel_it_is_asked_in() {
    let r = router();
    let ask = |channel: &str, guild: &str| {
        let mut v: Value = serde_json::from_slice(&command("digest", Some("preview"), json!([]), Some(guild))).unwrap();
        v["channel_id"] = json!(channel);
        r.handle(&serde_json::to_vec(&v).unwrap(), now())
    };
    // No digest configured: what the last day would give, shown to the asker only.
    let a = ask("300", "42");
    assert_eq!(a["data"]["flags"], 64);
    let text = text_of(&a);
    assert!(text.contains("Digest preview") && text.contains("No digest is set up"), "{text}");

    let mut settings = Settings::load(&Sources::default()).unwrap();
    let mut d = crate::config::DigestSettings::ad_hoc(42, 300);
    d.tz = chrono_tz::Europe::Paris;
    d.timezone = "Europe/Paris".into();
    d.at = chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap();
    settings.digest.push(d);
    let r = Router { settings: Arc::new(settings), ..router() };
    let mut v: Value = serde_json::from_slice(&command("digest", Some("preview"), json!([]), Some("42"))).unwrap();
    v["channel_id"] = json!("300");
    let text = text_of(&r.handle(&serde_json::to_vec(&v).unwrap(), now())).replace('\\', "");
    // now() is 2024-10-27 03:33 UTC, 04:33 in Paris: due at 08:00 that day.
    assert!(text.contains("Preview of the digest due Sun 27 Oct 08:00 (Europe/Paris)"), "{text}");
    // The stories were stored at now(): the guild's note is in its preview.
    assert!(text.contains("Contoso Wireless") || text.contains("Salt Typhoon"), "{text}");
    // From another server, the channel's configuration does not apply.
    v["guild_id"] = json!("7");
    let text = text_of(&r.handle(&serde_json::to_vec(&v).unwrap(), now()));
    assert!(text.contains("No digest is set up"), "{text}");
}

#[test]
fn a_long_digest_spills_into_more_messages_each_within_the_limits() {
    use crate::reply::{Line, Reply, Section};
    let sections = (0..30)
        .map(|k| Section {
            heading: Some(format!("Incident {k} — new, 3 new articles")),
            lines: (0..3).map(|j| Line::cited(format!("Sentence {j} of incident {k} ").repeat(12), 1)).collect(),
        })
        .collect();
    let digest = crate::digest::Digest {
        reply: Reply {
            title: "Daily digest — Mon 4 May 2026".into(),
            header: Some("90 articles".into()),
            sections,
            footer: Some("Every sentence is quoted from its source · ref 0123456789ab".into()),
            ..Reply::default()
        },
        timeline: Some(vec![1, 2, 3]),
        empty: false,
        from: now(),
        to: now(),
    };
    let bodies = post::digest_messages(&digest);
    assert!(bodies.len() >= 3, "{}", bodies.len());
    let all: String = bodies.iter().map(|b| b["embeds"].to_string()).collect();
    for k in 0..30 {
        assert!(all.contains(&format!("Incident {k} ")), "incident {k} was cut");
    }
    for (i, b) in bodies.iter().enumerate() {
        let embed = &b["embeds"][0];
        assert!(render::embed_size(embed) <= render::limits::EMBED_TOTAL);
        assert!(embed["fields"].as_array().unwrap().len() <= render::limits::FIELDS);
        assert!(embed["footer"]["text"].as_str().unwrap().ends_with("ref 0123456789ab"), "page {i} carries the marker");
        assert_eq!(b["allowed_mentions"], json!({ "parse": [] }));
        assert_eq!(embed.get("image").is_some(), i == 0, "the timeline is in the first message only");
    }
}

#[test]
fn a_slow_answer_is_deferred_as_privately_as_it_will_be_shown() {
    let r = router();
    let help = command("help", None, json!([]), Some("42"));
    let search =
        command("breach", Some("search"), json!([{ "name": "query", "type": 3, "value": "salt" }]), Some("42"));
    let feeds = command("feeds", None, json!([]), None);
    assert_eq!(r.deferral(&help), Some(Deferral::Private));
    assert_eq!(r.deferral(&feeds), Some(Deferral::Private));
    assert_eq!(r.deferral(&search), Some(Deferral::Public));
    let button = json!({ "type": 3, "id": "5", "data": { "custom_id": "page:1:900", "component_type": 2 } });
    assert_eq!(r.deferral(&serde_json::to_vec(&button).unwrap()), Some(Deferral::Update));
    for kind in [1, 4] {
        let other = json!({ "type": kind, "id": "5", "data": { "name": "breach" } });
        assert_eq!(r.deferral(&serde_json::to_vec(&other).unwrap()), None, "type {kind} is never deferred");
    }
    assert_eq!(Deferral::Private.acknowledgement(), json!({ "type": 5, "data": { "flags": 64 } }));
    assert_eq!(Deferral::Public.acknowledgement(), json!({ "type": 5 }));
    assert_eq!(Deferral::Update.acknowledgement(), json!({ "type": 6 }));

    // The private answer edits its private placeholder.
    let answer = r.handle(&help, now());
    assert_eq!(answer["data"]["flags"], 64, "{answer}");
    assert!(matches!(Deferral::Private.complete(&answer), Completion::Edit(d) if d["flags"] == 64));
    // A public answer edits the public placeholder; an error after a public
    // deferral goes to the asker alone, and the placeholder is removed.
    let found = r.handle(&search, now());
    assert!(matches!(Deferral::Public.complete(&found), Completion::Edit(_)));
    let bad =
        command("breach", Some("search"), json!([{ "name": "query", "type": 3, "value": "title:(" }]), Some("42"));
    let error = r.handle(&bad, now());
    assert_eq!(error["data"]["flags"], 64, "{error}");
    assert_eq!(
        Deferral::Public.complete(&error),
        Completion::FollowUp { data: error["data"].clone(), delete_original: true }
    );
    // A button's shared message turns a page, never into one user's error.
    let expired = r.handle(&serde_json::to_vec(&button).unwrap(), now());
    assert_eq!(
        Deferral::Update.complete(&expired),
        Completion::FollowUp { data: expired["data"].clone(), delete_original: false }
    );
    let page = json!({ "type": 7, "data": { "embeds": [] } });
    assert_eq!(Deferral::Update.complete(&page), Completion::Edit(json!({ "embeds": [] })));
}
