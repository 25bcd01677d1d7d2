//! Feeds against a site on loopback: RSS, Atom and JSON Feed; GUID and date
//! rewrites; an item older than the newest; one story in two feeds; pages
//! with navigation and teasers; a page that cannot be had; restarts; backoff
//! and the failure notice; `breachdesk poll --once` twice.

use std::sync::{Arc, Mutex};

use breachdesk::config::{FeedSettings, Settings};
use breachdesk::engine::Engine;
use breachdesk::feeds::Poller;
use breachdesk::fetch::{Fetcher, Policy};
use breachdesk::model::{Scope, Viewer};
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::site::{Page, Site};
use crate::util::{Home, stdout};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// An article page with site navigation, a caption and a teaser around the story.
fn article(title: &str, body: &[&str]) -> String {
    let paragraphs: String = body.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<html><head><title>{title} | Harbour Security Daily</title></head><body>\
         <nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/about'>About us</a></nav>\
         <article><h1>{title}</h1>{paragraphs}\
         <p>Read also: Lighthouse keepers adopt new radios</p></article>\
         <footer>Copyright Harbour Security Daily. Subscribe to our newsletter.</footer></body></html>"
    )
}

const STORY_A: &[&str] = &[
    "Northwind Shipping said on Monday that intruders reached a server holding crew schedules and passport scans.",
    "The company said it had called in the incident response firm Tailwind Forensics and informed the national data regulator.",
    "A spokesperson for Northwind said the company had found no evidence that payment systems were touched.",
];
const STORY_B: &[&str] = &[
    "The water utility of Port Azure confirmed a ransomware attack that took its billing portal offline for two days.",
    "The utility said customer names and addresses were copied before the systems were encrypted.",
    "Investigators from the regional cyber agency said the attackers used a stolen contractor password.",
];
const STORY_C: &[&str] = &[
    "A regional hospital group said a phishing campaign gave attackers access to staff email accounts last month.",
    "The hospital group said patient records were not stored in the affected mailboxes.",
    "It said it reset every staff password and added hardware keys for administrators.",
];

fn rss(items: &[(&str, &str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, link, title, date)| {
            format!("<item><guid>{guid}</guid><link>{link}</link><title>{title}</title><pubDate>{date}</pubDate><description>Short teaser for {title}.</description></item>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour Security Daily</title><link>http://example.invalid/</link><description>News</description>{items}</channel></rss>"
    )
}

struct World {
    site: Site,
    _home: Home,
    engine: Arc<Mutex<Engine>>,
    settings: Settings,
}

impl World {
    async fn new() -> World {
        let site = Site::start().await;
        site.html("/a", &article("Shipping firm reports data breach", STORY_A));
        site.html("/b", &article("Water utility hit by ransomware", STORY_B));
        site.html("/c", &article("Hospital group discloses phishing attack", STORY_C));
        let home = Home::new();
        let mut settings = home.settings();
        settings.fetch.allow_nets = vec!["127.0.0.1/32".parse().unwrap()];
        let engine = Arc::new(Mutex::new(Engine::open(&settings).unwrap()));
        World { site, _home: home, engine, settings }
    }

    fn feed(&mut self, path: &str) -> String {
        let url = self.site.url(path);
        self.settings.feeds.push(FeedSettings {
            url: url.clone(),
            poll_minutes: 30,
            guild: None,
            keywords: Vec::new(),
        });
        url
    }

    fn poller(&self) -> Poller {
        Poller {
            fetcher: Arc::new(Fetcher::new(Policy::from_settings(&self.settings)).unwrap()),
            settings: Arc::new(self.settings.clone()),
            engine: self.engine.clone(),
        }
    }

    fn count(&self) -> usize {
        self.engine.lock().unwrap().store().count().unwrap()
    }

    /// Close and open the store and index again, as a restart does.
    fn restart(&mut self) {
        let mut engine = self.engine.lock().unwrap();
        *engine = Engine::open(&self.settings).unwrap();
    }
}

#[tokio::test]
async fn rss_items_are_taken_in_once_even_when_rewritten() {
    let mut w = World::new().await;
    let feed = w.feed("/rss.xml");
    let (a, b) = (w.site.url("/a"), w.site.url("/b"));
    let body = rss(&[
        ("g-b", &b, "Water utility hit by ransomware", "Tue, 03 Mar 2026 08:00:00 GMT"),
        ("g-a", &a, "Shipping firm reports data breach", "Mon, 02 Mar 2026 08:00:00 GMT"),
    ]);
    w.site.set("/rss.xml", Page::Body(200, "application/rss+xml", body.into_bytes()));
    let report = w.poller().poll(t0(), true).await.unwrap();
    assert_eq!(report.added(), 2, "{report:?}");
    assert_eq!(w.count(), 2);

    // Navigation, footer and the teaser are gone; the story is there.
    {
        let engine = w.engine.lock().unwrap();
        let ids = engine.store().recent(&[Scope::Global], 10).unwrap();
        let docs = engine.documents(&ids).unwrap();
        let shipping = docs.iter().find(|d| d.title.contains("Shipping")).unwrap();
        let text: Vec<&str> = shipping.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert!(text.iter().any(|t| t.contains("crew schedules")), "{text:?}");
        assert!(
            !text.iter().any(|t| t.contains("Read also") || t.contains("About us") || t.contains("newsletter")),
            "{text:?}"
        );
        assert_eq!(shipping.source, a);
        assert_eq!(shipping.published, Some(Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap()));
    }

    // The feed rewrites every GUID and date, re-orders its items, and adds
    // an item older than the newest one seen: only that one is new.
    let c = w.site.url("/c");
    let body = rss(&[
        ("new-a", &format!("{a}?utm_source=rss"), "Shipping firm reports data breach", "Wed, 04 Mar 2026 10:00:00 GMT"),
        ("g-c", &c, "Hospital group discloses phishing attack", "Sun, 01 Mar 2026 08:00:00 GMT"),
        ("new-b", &b, "Water utility hit by ransomware", "Wed, 04 Mar 2026 11:00:00 GMT"),
    ]);
    w.site.set("/rss.xml", Page::Body(200, "application/rss+xml", body.into_bytes()));
    let report = w.poller().poll(t0() + Duration::hours(1), true).await.unwrap();
    assert_eq!((report.feeds[0].added, report.feeds[0].known), (1, 2), "{report:?}");
    assert_eq!(w.count(), 3);
    assert_eq!(w.site.hits("/a"), 1, "known items are not fetched again");

    // A restart changes none of this.
    w.restart();
    let report = w.poller().poll(t0() + Duration::hours(2), true).await.unwrap();
    assert_eq!((report.added(), report.feeds[0].known), (0, 3));
    assert_eq!(w.count(), 3);
    let state = w.engine.lock().unwrap().store().feed_state(&feed).unwrap();
    assert_eq!((state.items, state.failures), (3, 0));
    assert_eq!(state.last_success, Some(t0() + Duration::hours(2)));
}

#[tokio::test]
async fn atom_and_json_feeds_and_one_story_in_two_feeds() {
    let mut w = World::new().await;
    w.feed("/atom.xml");
    w.feed("/feed.json");
    // The same story is published at two addresses; each feed links one.
    w.site.html("/mirror/a", &article("Shipping firm reports data breach", STORY_A));
    let atom = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Wire</title><id>urn:wire</id><updated>2026-03-02T08:00:00Z</updated>\
         <entry><id>urn:wire:1</id><title>Shipping firm reports data breach</title><link href=\"{}\"/><updated>2026-03-02T08:00:00Z</updated></entry>\
         <entry><id>urn:wire:2</id><title>Water utility hit by ransomware</title><link href=\"{}\"/><updated>2026-03-03T08:00:00Z</updated></entry></feed>",
        w.site.url("/a"),
        w.site.url("/b")
    );
    w.site.set("/atom.xml", Page::Body(200, "application/atom+xml", atom.into_bytes()));
    let json = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Mirror",
        "items": [{ "id": "m1", "url": w.site.url("/mirror/a"), "title": "Shipping firm reports data breach", "date_published": "2026-03-02T09:00:00Z" }]
    });
    w.site.set("/feed.json", Page::Body(200, "application/feed+json", json.to_string().into_bytes()));

    let report = w.poller().poll(t0(), true).await.unwrap();
    assert_eq!(report.feeds[0].added, 2, "{report:?}");
    assert_eq!((report.feeds[1].added, report.feeds[1].merged), (0, 1), "{report:?}");
    assert_eq!(w.count(), 2, "one document for the story in two feeds");
    {
        let engine = w.engine.lock().unwrap();
        let ids = engine.store().recent(&[Scope::Global], 10).unwrap();
        let shipping = engine.documents(&ids).unwrap().into_iter().find(|d| d.title.contains("Shipping")).unwrap();
        let sources = engine.store().sources_of(shipping.id).unwrap();
        assert_eq!(sources, vec![w.site.url("/a"), w.site.url("/mirror/a")], "two sources");
    }
}

#[tokio::test]
async fn unreachable_pages_fall_back_to_the_feed_text_and_filters_apply() {
    let mut w = World::new().await;
    w.feed("/rss.xml");
    w.settings.feeds[0].keywords = vec!["RANSOMWARE".into(), "phishing".into()];
    w.settings.feeds[0].guild = Some(77);
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>http://example.invalid/</link><description>d</description>\
         <item><guid>x1</guid><link>{}</link><title>Ferry operator confirms ransomware</title><description>&lt;p&gt;The ferry operator Contoso Lines confirmed a ransomware attack on its booking system.&lt;/p&gt;&lt;p&gt;The company said backups were intact and sailings continued.&lt;/p&gt;</description></item>\
         <item><guid>x2</guid><link>{}</link><title>Lighthouse radios</title><description>Nothing about security here at all, only radios and the sea.</description></item>\
         </channel></rss>",
        w.site.url("/gone"),
        w.site.url("/radios")
    );
    w.site.set("/rss.xml", Page::Body(200, "application/rss+xml", body.into_bytes()));
    w.site.html(
        "/radios",
        &article(
            "Lighthouse radios",
            &["Keepers tested the new radios along the coast on a calm day without incident."],
        ),
    );
    let report = w.poller().poll(t0(), true).await.unwrap();
    let f = &report.feeds[0];
    assert_eq!((f.added, f.filtered, f.failed.len()), (1, 1, 0), "{report:?}");
    {
        let engine = w.engine.lock().unwrap();
        // Visible in its guild only.
        assert!(engine.store().recent(&[Scope::Global], 10).unwrap().is_empty());
        let ids = engine.store().recent(&Viewer::Guild(77).scopes(), 10).unwrap();
        let doc = &engine.documents(&ids).unwrap()[0];
        assert_eq!(doc.title, "Ferry operator confirms ransomware");
        assert!(doc.paragraphs.iter().any(|p| p.text.contains("backups were intact")), "{:?}", doc.paragraphs);
    }
    // The filtered item is remembered and not fetched again.
    let hits = w.site.hits("/radios");
    w.poller().poll(t0() + Duration::hours(1), true).await.unwrap();
    assert_eq!(w.site.hits("/radios"), hits);
}

#[tokio::test]
async fn an_item_that_cannot_be_cleaned_is_recorded_and_not_tried_again() {
    let mut w = World::new().await;
    w.feed("/rss.xml");
    // A page with no story (navigation only) and an item with no text of its
    // own; and a page that is down, which is tried again.
    w.site.html("/junk", "<html><body><nav><a href='/'>Home</a> <a href='/x'>Menu</a></nav></body></html>");
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>http://example.invalid/</link><description>d</description>\
         <item><guid>j1</guid><link>{}</link><title>Junk</title></item>\
         <item><guid>d1</guid><link>{}</link><title>Down</title></item>\
         </channel></rss>",
        w.site.url("/junk"),
        w.site.url("/down")
    );
    w.site.set("/rss.xml", Page::Body(200, "application/rss+xml", body.into_bytes()));
    let report = w.poller().poll(t0(), true).await.unwrap();
    let f = &report.feeds[0];
    assert_eq!(f.failed.len(), 2, "{report:?}");
    assert!(f.failed.iter().any(|why| why.contains("/junk") && why.contains("recorded; not tried again")), "{f:?}");
    let (junk, down) = (w.site.hits("/junk"), w.site.hits("/down"));
    let report = w.poller().poll(t0() + Duration::hours(1), true).await.unwrap();
    let f = &report.feeds[0];
    assert_eq!((f.known, f.failed.len()), (1, 1), "{report:?}");
    assert_eq!(w.site.hits("/junk"), junk, "the recorded item is not fetched again");
    assert!(w.site.hits("/down") > down, "the page that was down is tried again");

    // /feeds tells the operator about the failing item, not only about the feed.
    let settings = w.settings.clone();
    let engine = w.engine.lock().unwrap();
    let ctx = breachdesk::command::Context {
        engine: &engine,
        settings: &settings,
        viewer: Viewer::Public,
        now: t0() + Duration::hours(1),
    };
    let reply = breachdesk::command::run(&ctx, &breachdesk::command::parse_typed("/feeds").unwrap()).unwrap();
    let mut out = Vec::new();
    breachdesk::render::console::render(&reply, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("1 item failing at the last poll, last: ") && text.contains("/down"), "{text}");
}

#[tokio::test]
async fn a_failing_feed_backs_off_and_notifies_once() {
    let mut w = World::new().await;
    w.settings.polling.notice_after = 3;
    w.settings.polling.max_backoff_minutes = 240;
    let url = w.feed("/broken.xml");
    w.site.set("/broken.xml", Page::Body(500, "text/plain", b"oops".to_vec()));
    let poller = w.poller();
    let mut now = t0();
    let mut waits = Vec::new();
    let mut notices = Vec::new();
    for _ in 0..5 {
        let report = poller.poll(now, false).await.unwrap();
        assert_eq!(report.feeds.len(), 1, "due at {now}");
        notices.extend(report.notices);
        let state = w.engine.lock().unwrap().store().feed_state(&url).unwrap();
        let next = state.next_poll.unwrap();
        // Not due a minute before its next poll.
        assert!(poller.poll(next - Duration::minutes(1), false).await.unwrap().feeds.is_empty());
        waits.push((next - now).num_minutes());
        now = next;
    }
    assert_eq!(waits, vec![60, 120, 240, 240, 240], "doubling up to the longest interval, never disabled");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains(&url) && notices[0].contains("500"), "{}", notices[0]);
    let state = w.engine.lock().unwrap().store().feed_state(&url).unwrap();
    assert_eq!(state.failures, 5);
    assert!(state.last_error.as_deref().unwrap().contains("500"));

    // It recovers: failures reset, and a later run of failures notifies again.
    w.site.set("/broken.xml", Page::Body(200, "application/rss+xml", rss(&[]).into_bytes()));
    let report = poller.poll(now, false).await.unwrap();
    assert!(report.feeds[0].error.is_none(), "{report:?}");
    assert_eq!(w.engine.lock().unwrap().store().feed_state(&url).unwrap().failures, 0);
}

#[tokio::test]
async fn poll_once_on_the_command_line_takes_articles_in_once() {
    let w = World::new().await;
    let body = rss(&[
        ("1", &w.site.url("/a"), "Shipping firm reports data breach", "Mon, 02 Mar 2026 08:00:00 GMT"),
        ("2", &w.site.url("/b"), "Water utility hit by ransomware", "Tue, 03 Mar 2026 08:00:00 GMT"),
    ]);
    w.site.set("/rss.xml", Page::Body(200, "application/rss+xml", body.into_bytes()));
    let home = Home::new();
    let config = home.path().join("feeds.toml");
    std::fs::write(
        &config,
        format!("[fetch]\nallow = [\"127.0.0.1/32\"]\n\n[[feeds]]\nurl = \"{}\"\n", w.site.url("/rss.xml")),
    )
    .unwrap();
    let config = config.display().to_string();
    let site = w.site;
    let first = tokio::task::spawn_blocking({
        let (home_cmd, config) = (home.cmd(), config.clone());
        move || run(home_cmd, &config)
    })
    .await
    .unwrap();
    assert!(first.contains("2 added"), "{first}");
    let second = tokio::task::spawn_blocking({
        let (home_cmd, config) = (home.cmd(), config.clone());
        move || run(home_cmd, &config)
    })
    .await
    .unwrap();
    assert!(second.contains("0 added") && second.contains("2 already known"), "{second}");
    assert_eq!(site.hits("/a"), 1);
    let out = home.run(&["ask", "/breach search utility"]);
    assert!(stdout(&out).contains("Water utility"), "{}", stdout(&out));
}

fn run(mut cmd: std::process::Command, config: &str) -> String {
    let out = cmd.args(["--config", config, "poll", "--once"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stdout(&out)
}
