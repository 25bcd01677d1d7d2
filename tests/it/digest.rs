//! Daily digests against a Discord on loopback, with a simulated clock: 30
//! days with restarts at random moments (some between posting and
//! recording), two channels in different time zones, both daylight-saving
//! changes, the empty-day policies, a catch-up after downtime, and the
//! timeline picture.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use breachdesk::config::{DigestSettings, EmptyDay, Settings};
use breachdesk::digest::scheduler::{Outcome, Scheduler, Sink, SinkError};
use breachdesk::digest::{Digest, schedule};
use breachdesk::discord::gateway;
use breachdesk::discord::post::DiscordSink;
use breachdesk::engine::Engine;
use breachdesk::ingest::from_text;
use breachdesk::model::Scope;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::fake_discord::{self, Fake};
use crate::util::Home;
use breachdesk::nlp::Rng;

/// True with probability `p` percent: the tests' randomness is a seeded parameter.
fn chance(rng: &mut Rng, p: usize) -> bool {
    rng.below(100) < p
}

/// What a flaky process does around a post.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Crash {
    None,
    /// Dies after recording the intent, before posting.
    BeforeSend,
    /// Dies after the post went out, before recording its id.
    AfterSend,
}

/// The Discord sink, with a crash injected into the next post when asked.
struct Flaky {
    inner: DiscordSink,
    next: Mutex<Crash>,
    crashes: AtomicU64,
}

impl Sink for Flaky {
    async fn post(&self, channel: u64, digest: &Digest, marker: &str) -> Result<u64, SinkError> {
        let crash = std::mem::replace(&mut *self.next.lock().unwrap(), Crash::None);
        if crash == Crash::BeforeSend {
            self.crashes.fetch_add(1, Ordering::Relaxed);
            return Err(SinkError("crashed before sending".into()));
        }
        let id = self.inner.post(channel, digest, marker).await?;
        if crash == Crash::AfterSend {
            self.crashes.fetch_add(1, Ordering::Relaxed);
            return Err(SinkError("crashed after sending".into()));
        }
        Ok(id)
    }
    async fn find(&self, channel: u64, marker: &str) -> Result<Option<u64>, SinkError> {
        self.inner.find(channel, marker).await
    }
    async fn guild_of(&self, channel: u64) -> Result<Option<u64>, SinkError> {
        self.inner.guild_of(channel).await
    }
}

fn channel(guild: u64, channel: u64, time: &str, tz: &str, empty_day: EmptyDay) -> DigestSettings {
    let mut d = DigestSettings::ad_hoc(guild, channel);
    d.time = time.into();
    d.timezone = tz.into();
    d.at = chrono::NaiveTime::parse_from_str(time, "%H:%M").unwrap();
    d.tz = tz.parse().unwrap();
    d.empty_day = empty_day;
    d
}

/// A news story for day `n`, in guild 42.
fn story(n: usize) -> breachdesk::ingest::Loaded {
    let text = format!(
        "Title: Harbour operator {n} reports intrusion\n\nThe Fabrikam Harbour operator {n} said on day {n} that the Volt Typhoon group breached its crane control servers. A spokesperson for operator {n} denied that any cargo data was taken.\n"
    );
    from_text(&text, None, None, Scope::Guild(42)).unwrap()
}

struct Sim {
    _home: Home,
    settings: Arc<Settings>,
    fake: Fake,
    rng: Rng,
}

impl Sim {
    async fn new(seed: u64, digests: Vec<DigestSettings>) -> Sim {
        let home = Home::new();
        let mut settings = home.settings();
        settings.digest = digests;
        Sim { _home: home, settings: Arc::new(settings), fake: fake_discord::start().await, rng: Rng::new(seed) }
    }

    /// A fresh process: the engine opened from disk, a new scheduler.
    fn boot(&self) -> Scheduler<Flaky> {
        let engine = Engine::open(&self.settings).unwrap();
        let http = gateway::http_client("fake-token", Some(&self.fake.base));
        Scheduler {
            engine: Arc::new(Mutex::new(engine)),
            settings: self.settings.clone(),
            sink: Flaky {
                inner: DiscordSink { http: Arc::new(http) },
                next: Mutex::new(Crash::None),
                crashes: AtomicU64::new(0),
            },
        }
    }

    /// Run from `start` for `days`, ticking every 30 minutes; news at noon UTC
    /// on the days `news` picks. Returns the number of crashes injected.
    async fn run(&mut self, start: DateTime<Utc>, days: i64, news: impl Fn(i64) -> bool) -> u64 {
        let mut s = self.boot();
        let mut crashes = 0;
        let mut now = start;
        let end = start + Duration::days(days);
        while now <= end {
            let day = (now - start).num_days();
            if now.format("%H:%M").to_string() == "12:00" && news(day) {
                s.engine.lock().unwrap().ingest_and_commit(&[story(day as usize)], now).unwrap();
            }
            // Now and then the next post crashes the process on one side of the send.
            if chance(&mut self.rng, 8) {
                *s.sink.next.lock().unwrap() =
                    if chance(&mut self.rng, 50) { Crash::AfterSend } else { Crash::BeforeSend };
            }
            let outcomes = s.tick(now).await;
            let failed = outcomes.iter().any(|(_, o)| matches!(o, Outcome::Failed { .. }));
            // A crash is a restart; so, now and then, is nothing at all.
            if failed || chance(&mut self.rng, 2) {
                crashes += s.sink.crashes.load(Ordering::Relaxed);
                s = self.boot();
            }
            now += Duration::minutes(30);
        }
        crashes + s.sink.crashes.load(Ordering::Relaxed)
    }

    /// Per channel: marker → the page numbers posted with it.
    fn posts(&self) -> BTreeMap<u64, BTreeMap<String, Vec<String>>> {
        let mut out: BTreeMap<u64, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for m in self.fake.messages.lock().unwrap().iter() {
            let footer = m.body["embeds"][0]["footer"]["text"].as_str().unwrap_or_default().to_string();
            let marker = footer.rsplit(" · ").next().unwrap_or_default().to_string();
            let page = footer.split(" · ").next().filter(|p| p.starts_with("page ")).unwrap_or("page 1").to_string();
            out.entry(m.channel).or_default().entry(marker).or_default().push(page);
        }
        out
    }

    /// The slots each channel's ledger has, by state.
    fn ledger(&self, cfg: &DigestSettings, dates: &BTreeSet<NaiveDate>) -> Vec<(NaiveDate, String)> {
        let engine = Engine::open(&self.settings).unwrap();
        dates
            .iter()
            .map(|d| {
                let e = engine.store().digest_entry(cfg.channel, &d.to_string()).unwrap();
                (*d, e.map_or("none".into(), |e| format!("{:?}/{}", e.state, e.message_id.is_some())))
            })
            .collect()
    }
}

/// The local dates whose slot is due in `(start, end]`, and the one due just before `start`.
fn expected_slots(cfg: &DigestSettings, start: DateTime<Utc>, end: DateTime<Utc>) -> BTreeSet<NaiveDate> {
    let mut out = BTreeSet::new();
    out.insert(schedule::latest_slot(cfg.at, cfg.tz, start).0);
    let mut date = start.with_timezone(&cfg.tz).date_naive();
    while schedule::due_at(date, cfg.at, cfg.tz) <= end {
        if schedule::due_at(date, cfg.at, cfg.tz) > start {
            out.insert(date);
        }
        date = date.succ_opt().unwrap();
    }
    out
}

async fn thirty_days(seed: u64, start: DateTime<Utc>, a: DigestSettings, b: DigestSettings) {
    let mut sim = Sim::new(seed, vec![a.clone(), b.clone()]).await;
    // News on two days of three.
    let crashes = sim.run(start, 30, |day| day % 3 != 1).await;
    assert!(crashes >= 5, "the simulation injected only {crashes} crashes");
    let end = start + Duration::days(30);
    let posts = sim.posts();
    for cfg in [&a, &b] {
        let slots = expected_slots(cfg, start, end);
        let ledger = sim.ledger(cfg, &slots);
        let by_marker = posts.get(&cfg.channel).cloned().unwrap_or_default();
        for (marker, pages) in &by_marker {
            let unique: BTreeSet<&String> = pages.iter().collect();
            assert_eq!(unique.len(), pages.len(), "channel {}: {marker} posted twice: {pages:?}", cfg.channel);
        }
        let posted: Vec<_> = ledger.iter().filter(|(_, s)| s == "Posted/true").collect();
        match cfg.empty_day {
            EmptyDay::Post => {
                assert_eq!(posted.len(), slots.len(), "channel {}: {ledger:?}", cfg.channel);
                assert_eq!(by_marker.len(), slots.len(), "one digest per day in channel {}", cfg.channel);
            }
            EmptyDay::Skip => {
                // Days after a day without news are skipped, the rest posted; none is missing.
                let skipped = ledger.iter().filter(|(_, s)| s == "Skipped/false").count();
                assert!(skipped >= 8, "channel {}: {ledger:?}", cfg.channel);
                assert_eq!(posted.len() + skipped, slots.len(), "channel {}: {ledger:?}", cfg.channel);
                assert_eq!(by_marker.len(), posted.len());
            }
        }
    }
    // Every post is a digest whose sentences carry citations, and the first
    // message of a digest with incidents carries the timeline.
    let all = sim.fake.messages.lock().unwrap();
    let with_picture = all.iter().filter(|m| m.files.iter().any(|(n, _)| n == "timeline.png")).count();
    assert!(with_picture >= 20, "{with_picture}");
    for m in all.iter() {
        assert_eq!(m.body["allowed_mentions"], serde_json::json!({ "parse": [] }));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_days_across_spring_forward_give_one_digest_per_day_per_channel() {
    // Berlin springs forward on 2026-03-29: 02:30 does not exist that day.
    let berlin = channel(42, 501, "02:30", "Europe/Berlin", EmptyDay::Post);
    let new_york = channel(42, 502, "18:00", "America/New_York", EmptyDay::Skip);
    thirty_days(7, Utc.with_ymd_and_hms(2026, 3, 15, 0, 0, 0).unwrap(), berlin, new_york).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_days_across_fall_back_give_one_digest_per_day_per_channel() {
    // Berlin falls back on 2026-10-25 and New York on 2026-11-01: 02:30 and
    // 01:30 happen twice on those days.
    let berlin = channel(42, 601, "02:30", "Europe/Berlin", EmptyDay::Skip);
    let new_york = channel(42, 602, "01:30", "America/New_York", EmptyDay::Post);
    thirty_days(11, Utc.with_ymd_and_hms(2026, 10, 12, 0, 0, 0).unwrap(), berlin, new_york).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_downtime_one_catch_up_digest_covers_the_gap() {
    let cfg = channel(42, 700, "09:00", "UTC", EmptyDay::Post);
    let sim = Sim::new(3, vec![cfg.clone()]).await;
    let s = sim.boot();
    let t0 = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    assert!(matches!(s.tick(t0).await[0].1, Outcome::Posted { .. }));
    // Down for three and a half days; news arrives meanwhile (stored by another process).
    for day in 1..=3 {
        s.engine.lock().unwrap().ingest_and_commit(&[story(day)], t0 + Duration::days(day as i64)).unwrap();
    }
    drop(s);
    let s = sim.boot();
    let back = t0 + Duration::days(3) + Duration::hours(12);
    let outcomes: Vec<Outcome> = s.tick(back).await.into_iter().map(|(_, o)| o).collect();
    assert!(matches!(&outcomes[0], Outcome::Posted { slot, .. } if slot == "2026-06-04"), "{outcomes:?}");
    assert_eq!(s.tick(back + Duration::hours(1)).await[0].1, Outcome::NotDue);
    let posts = sim.fake.messages.lock().unwrap();
    assert_eq!(posts.len(), 2, "one digest, then one catch-up");
    // It covers the whole gap: the three articles stored since the first digest.
    let catch_up = posts[1].body["embeds"][0]["description"].as_str().unwrap().replace('\\', "");
    assert!(catch_up.starts_with("3 articles from 3 sources since Mon 1 Jun 09:00"), "{catch_up}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_now_posts_and_records_and_the_next_digest_starts_after_it() {
    let cfg = channel(42, 800, "09:00", "UTC", EmptyDay::Skip);
    let sim = Sim::new(5, vec![cfg.clone()]).await;
    let s = sim.boot();
    let t0 = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap();
    s.engine.lock().unwrap().ingest_and_commit(&[story(1)], t0 - Duration::hours(1)).unwrap();
    let outcome = s.post_now(&cfg, t0).await.unwrap();
    assert!(matches!(outcome, Outcome::Posted { .. }), "{outcome:?} {:?}", sim.fake.refusals.lock().unwrap());
    // At 09:00 nothing is new since the manual digest: skipped.
    assert!(matches!(s.tick(t0 + Duration::hours(1)).await[0].1, Outcome::Skipped { .. }));
    assert_eq!(sim.fake.messages.lock().unwrap().len(), 1);
    let png = &sim.fake.messages.lock().unwrap()[0].files[0].1.clone();
    let info = png::Decoder::new(png.as_slice()).read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (breachdesk::digest::timeline::WIDTH, breachdesk::digest::timeline::HEIGHT));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_of_another_server_gets_nothing() {
    // Configured for server 42, but the channel belongs to server 7.
    let cfg = channel(42, 900_001, "09:00", "UTC", EmptyDay::Post);
    let sim = Sim::new(9, vec![cfg.clone()]).await;
    let s = sim.boot();
    let t0 = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    s.engine.lock().unwrap().ingest_and_commit(&[story(1)], t0 - Duration::hours(2)).unwrap();
    match &s.tick(t0).await[0].1 {
        Outcome::Failed { error, .. } => {
            assert!(error.contains("server 7") && error.contains("digest.guild"), "{error}")
        }
        other => panic!("{other:?}"),
    }
    assert!(sim.fake.messages.lock().unwrap().is_empty(), "nothing is posted");
}
