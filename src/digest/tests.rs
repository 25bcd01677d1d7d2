use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::config::DigestSettings;
use crate::ingest::from_text;
use crate::model::Scope;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 12, 0, 0).unwrap()
}

/// An engine with two stories stored yesterday (one per guild) and one a week ago.
fn engine() -> Engine {
    let mut e = Engine::in_memory().unwrap();
    let add = |e: &mut Engine, text: &str, scope: Scope, at: DateTime<Utc>| {
        e.ingest_and_commit(&[from_text(text, None, None, scope).unwrap()], at).unwrap();
    };
    add(
        &mut e,
        "Title: Old note\n\nThe Contoso Rail operator said in April that Sandworm hackers probed its signalling network.\n",
        Scope::Global,
        t0() - Duration::days(7),
    );
    add(
        &mut e,
        "Title: Telecom carriers breached\n\nBeijing-backed hackers of the Salt Typhoon group breached Fabrikam Telecom and copied call records, investigators said. Fabrikam Telecom denied that customer messages were read. The Chinese embassy denied the accusations.\n",
        Scope::Global,
        t0() - Duration::hours(20),
    );
    add(
        &mut e,
        "Title: Guild-only note\n\nOur analysts saw Sandworm probe the Northwind Grid substations, the team said.\n",
        Scope::Guild(42),
        t0() - Duration::hours(10),
    );
    e
}

fn cfg(guild: u64) -> DigestSettings {
    DigestSettings::ad_hoc(guild, 9)
}

#[test]
fn the_window_and_the_server_decide_what_is_in_it() {
    let e = engine();
    let d = build(&e, &cfg(42), t0() - Duration::days(1), t0(), Some("ref x")).unwrap();
    assert!(!d.empty);
    let headings: Vec<String> = d.reply.sections.iter().filter_map(|s| s.heading.clone()).collect();
    assert!(headings.iter().any(|h| h.starts_with("Salt Typhoon: Fabrikam Telecom")), "{headings:?}");
    assert!(headings.iter().any(|h| h.starts_with("Sandworm") && h.contains("updated")), "{headings:?}");
    assert!(d.reply.header.as_deref().unwrap().starts_with("2 articles"), "{:?}", d.reply.header);
    assert!(d.reply.footer.as_deref().unwrap().ends_with("ref x"));
    assert!(d.timeline.is_some());
    // Every sentence quoted is cited to a stored paragraph that holds it.
    for line in d.reply.lines().filter(|l| !l.cites.is_empty()) {
        let c = &d.reply.citations[line.cites[0] - 1];
        let doc = e.store().document(c.doc).unwrap().unwrap();
        let quoted = line.text.rsplit(": ").next().unwrap();
        assert!(doc.paragraphs[c.paragraph].text.contains(quoted) || line.text == doc.title, "{line:?}");
    }
    let statements = d.reply.sections.iter().find(|s| s.heading.as_deref() == Some("Notable statements")).unwrap();
    assert!(
        statements.lines.iter().any(|l| l.text
            == "undated · Fabrikam Telecom, denial: Fabrikam Telecom denied that customer messages were read."),
        "{statements:?}"
    );

    // Another server does not see the guild's note; the week-old note is outside.
    let other = build(&e, &cfg(7), t0() - Duration::days(1), t0(), None).unwrap();
    let text = format!("{:?}", other.reply);
    assert!(!text.contains("Northwind") && !text.contains("Contoso Rail"), "{text}");
}

#[test]
fn filters_and_empty_windows() {
    let e = engine();
    let mut only = cfg(42);
    only.actors = vec!["APT44".into()]; // an alias of Sandworm
    let d = build(&e, &only, t0() - Duration::days(1), t0(), None).unwrap();
    let headings: Vec<String> = d.reply.sections.iter().filter_map(|s| s.heading.clone()).collect();
    assert!(headings[0].starts_with("Sandworm"), "{headings:?}");
    assert!(!headings.iter().any(|h| h.contains("Salt Typhoon")), "{headings:?}");

    let mut words = cfg(42);
    words.keywords = vec!["CALL RECORDS".into()];
    words.stances = vec!["denial".into()];
    let d = build(&e, &words, t0() - Duration::days(1), t0(), None).unwrap();
    assert!(d.reply.header.as_deref().unwrap().starts_with("1 article "), "{:?}", d.reply.header);

    let quiet = build(&e, &cfg(42), t0(), t0() + Duration::days(1), None).unwrap();
    assert!(quiet.empty && quiet.timeline.is_none());
    assert!(quiet.reply.header.as_deref().unwrap().starts_with("Nothing new since"));
    let mut skip = cfg(42);
    skip.empty_day = crate::config::EmptyDay::Skip;
    assert!(!quiet.worth_posting(skip.empty_day));
    assert!(quiet.worth_posting(crate::config::EmptyDay::Post));
}
