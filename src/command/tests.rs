use chrono::{DateTime, Utc};

use super::*;
use crate::config::{Settings, Sources};
use crate::ingest::from_text;
use crate::model::Scope;

fn settings() -> Settings {
    Settings::load(&Sources::default()).unwrap()
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_730_000_000, 0).unwrap()
}

/// Three short stories written for these tests, and one visible only in guild 42.
fn engine() -> Engine {
    let mut e = Engine::in_memory().unwrap();
    let stories = [
        (
            "Title: Ferry operator hit by ransomware\nPublished: 2024-03-02\n\nA ransomware crew called Harbor Jackal encrypted the booking servers of a ferry operator on Friday. The operator said crossings ran on paper tickets through the weekend. Investigators from the coast guard are helping, the operator said.\n\nThe Harbor Jackal crew posted a ransom note demanding payment within five days. The operator refused to pay.\n",
            Scope::Global,
        ),
        (
            "Title: Ferry operator restores bookings after Harbor Jackal attack\nPublished: 2024-03-09\n\nThe ferry operator restored online bookings a week after the Harbor Jackal ransomware attack, its chief executive said. Passenger names and phone numbers were copied before the encryption, the company confirmed.\n",
            Scope::Global,
        ),
        (
            "Title: Orchard cooperative reports phishing\nPublished: 2024-04-01\n\nA fruit cooperative said phishing emails tricked two clerks into sharing passwords. No payments were diverted, the cooperative said.\n",
            Scope::Global,
        ),
        (
            "Title: Private guild notes on Harbor Jackal\nPublished: 2024-05-01\n\nOur analysts linked a second ferry intrusion to the Harbor Jackal crew last Tuesday.\n",
            Scope::Guild(42),
        ),
    ];
    let loaded: Vec<_> = stories.iter().map(|(t, s)| from_text(t, None, None, *s).unwrap()).collect();
    e.ingest_and_commit(&loaded, now()).unwrap();
    e
}

fn ask(e: &Engine, viewer: Viewer, text: &str) -> Result<Reply, UserError> {
    let s = settings();
    let ctx = Context { engine: e, settings: &s, viewer, now: now() };
    parse_typed(text).and_then(|inv| run(&ctx, &inv))
}

fn check_parse(text: &str, path: &[&str], options: &[(&str, OptionValue)]) {
    let inv = parse_typed(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(inv.path, path, "{text}");
    let want: BTreeMap<String, OptionValue> = options.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    assert_eq!(inv.options, want, "{text}");
}

fn s(v: &str) -> OptionValue {
    OptionValue::String(v.into())
}

#[test]
fn typed_commands_parse() {
    check_parse("/breach summary salt typhoon", &["breach", "summary"], &[("incident", s("salt typhoon"))]);
    check_parse("/breach summary", &["breach", "summary"], &[]);
    check_parse("  /BREACH Summary   Volt  ", &["breach", "summary"], &[("incident", s("Volt"))]);
    check_parse(
        "/breach search wiretap page:2",
        &["breach", "search"],
        &[("query", s("wiretap")), ("page", OptionValue::Integer(2))],
    );
    check_parse(
        "/breach search title:\"fuel pipeline\" OR ransom",
        &["breach", "search"],
        &[("query", s("title:\"fuel pipeline\" OR ransom"))],
    );
    check_parse("/breach search query:\"a b\"", &["breach", "search"], &[("query", s("a b"))]);
    // An unquoted text value goes on to the next option, as typed.
    check_parse("/who-said incident:salt typhoon", &["who-said"], &[("incident", s("salt typhoon"))]);
    check_parse(
        "/breach search query:microsoft OR china page:2",
        &["breach", "search"],
        &[("query", s("microsoft OR china")), ("page", OptionValue::Integer(2))],
    );
    check_parse(
        "/who-said denial incident:\"salt typhoon\" speaker:Liu Pengyu",
        &["who-said"],
        &[("query", s("denial")), ("incident", s("salt typhoon")), ("speaker", s("Liu Pengyu"))],
    );
    check_parse("/help", &["help"], &[]);
}

#[test]
fn typed_commands_that_fail_say_why() {
    for (text, want) in [
        ("breach summary", "start with `/`"),
        ("/nope", "Unknown command"),
        ("/breach frobnicate", "Unknown command"),
        ("/breach search x page:two", "whole number"),
        ("/help me", "takes no text"),
    ] {
        let err = parse_typed(text).unwrap_err();
        assert!(err.message.contains(want), "{text}: {}", err.message);
    }
}

#[test]
fn options_are_checked_against_the_table() {
    let e = engine();
    let err = ask(&e, Viewer::Public, "/breach search").unwrap_err();
    assert!(err.message.contains("needs `query`"), "{}", err.message);
    let err = ask(&e, Viewer::Public, "/breach search ferry page:0").unwrap_err();
    assert!(err.message.contains("between 1 and 1000"), "{}", err.message);
    let mut inv = parse_typed("/breach summary").unwrap();
    inv.options.insert("bogus".into(), s("x"));
    let st = settings();
    let ctx = Context { engine: &e, settings: &st, viewer: Viewer::Public, now: now() };
    assert!(run(&ctx, &inv).unwrap_err().message.contains("no option `bogus`"));
}

/// Every line of a summary is a sentence of the paragraph it cites.
fn assert_quoted(e: &Engine, reply: &Reply) {
    assert!(!reply.sections.is_empty());
    for line in reply.lines() {
        assert_eq!(line.cites.len(), 1, "{line:?}");
        let c = &reply.citations[line.cites[0] - 1];
        let doc = e.store().document(c.doc).unwrap().unwrap();
        let para = &doc.paragraphs[c.paragraph];
        assert!(para.sentence_texts().any(|s| s == line.text), "`{}` is not a sentence of {c:?}", line.text);
    }
}

#[test]
fn summary_quotes_and_cites_every_sentence() {
    let e = engine();
    let r = ask(&e, Viewer::Public, "/breach summary harbor jackal").unwrap();
    assert_quoted(&e, &r);
    // An incident: the actor's articles grouped, with a header of its facts.
    assert_eq!(r.title, "Summary: Harbor Jackal (2024-03)");
    let header = r.header.as_deref().unwrap();
    assert!(header.starts_with("Harbor Jackal"), "{header}");
    assert!(header.ends_with("2 articles, 2024-03-02 to 2024-03-09"), "{header}");
    let titles: std::collections::HashSet<&str> = r.citations.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles.len(), 2, "both articles are used: {titles:?}");
    assert!(r.lines().all(|l| !l.text.contains("analysts linked")), "guild-only text leaked to a public viewer");
}

#[test]
fn summary_without_argument_takes_the_most_recent_incident() {
    let e = engine();
    // The phishing story names no actor: the most recent incident is Harbor Jackal's.
    let r = ask(&e, Viewer::Public, "/breach summary").unwrap();
    assert_eq!(r.title, "Summary: Harbor Jackal (2024-03)");
    assert_quoted(&e, &r);
    // In guild 42 the incident also holds the guild's own note.
    let r = ask(&e, Viewer::Guild(42), "/breach summary").unwrap();
    assert_eq!(r.title, "Summary: Harbor Jackal (2024-05)");
    assert!(r.citations.iter().any(|c| c.title == "Private guild notes on Harbor Jackal"));
}

#[test]
fn a_name_no_incident_matches_gets_no_summary_under_that_name() {
    let mut e = Engine::in_memory().unwrap();
    let stories = [
        "Title: Routers hijacked\nPublished: 2024-02-01\n\nVolt Typhoon hijacked routers at Northwind Power, investigators said. The typhoon season also closed two ports.\n",
        "Title: Casino systems down\nPublished: 2024-03-01\n\nScattered Spider breached Fabrikam Resorts, the company said. A wizard-themed slot machine was among the systems taken offline.\n",
    ];
    let loaded: Vec<_> = stories.iter().map(|t| from_text(t, None, None, Scope::Global).unwrap()).collect();
    e.ingest_and_commit(&loaded, now()).unwrap();

    // A knowledge-base name with no incident here: its card, not another actor's story.
    let r = ask(&e, Viewer::Public, "/breach summary Flax Typhoon").unwrap();
    let header = r.header.as_deref().unwrap();
    assert!(header.starts_with("No incident here is attributed to `Flax Typhoon`."), "{header}");
    assert!(header.contains("The knowledge base knows it"), "{header}");
    assert_eq!(r.title, "Flax Typhoon");
    assert!(!r.title.starts_with("Summary"), "{}", r.title);
    let names = r.sections.iter().find(|s| s.heading.as_deref() == Some("Names")).expect("the actor card's names");
    assert!(names.lines.iter().any(|l| l.text.starts_with("Ethereal Panda")), "{names:?}");
    // The closest names of actors with incidents here are offered.
    let mean = r.sections.iter().find(|s| s.heading.as_deref() == Some("Did you mean")).expect("suggestions");
    assert!(mean.lines.iter().any(|l| l.text.contains("Volt Typhoon")), "{mean:?}");
    // Sentences that only share a word are headed as mentions, and cited.
    let mentions =
        r.sections.iter().find(|s| s.heading.as_deref().is_some_and(|h| h.starts_with("Articles that mention")));
    if let Some(m) = mentions {
        assert!(m.heading.as_deref().unwrap().contains("not attributed to Flax Typhoon"));
        assert!(m.lines.iter().all(|l| l.cites.len() == 1));
    }

    // An alias of a known actor: the card says whose name it is.
    let r = ask(&e, Viewer::Public, "/breach summary wizard spider").unwrap();
    assert!(r.header.as_deref().unwrap().contains("is a name of Conti"), "{:?}", r.header);
    assert!(r.lines().all(|l| !l.text.starts_with("Scattered Spider breached")
        || r.sections.iter().any(|s| s.heading.as_deref().is_some_and(|h| h.starts_with("Articles that mention"))
            && s.lines.iter().any(|x| x.text == l.text))));

    // A misspelling: no card, the close name offered.
    let r = ask(&e, Viewer::Public, "/breach summary volt typhon").unwrap();
    assert!(r.header.as_deref().unwrap().contains("does not know the name"), "{:?}", r.header);
    let mean = r.sections.iter().find(|s| s.heading.as_deref() == Some("Did you mean")).expect("suggestions");
    assert_eq!(mean.lines[0].text, "`/breach summary Volt Typhoon`");

    // An invented name nothing matches: a plain "not found".
    let err = ask(&e, Viewer::Public, "/breach summary Lantern Quokka").unwrap_err();
    assert_eq!(err.kind, crate::error::UserErrorKind::NotFound);
    assert!(err.message.contains("Lantern Quokka"), "{}", err.message);
}

#[test]
fn named_in_cites_the_paragraph_that_names_the_other_actor() {
    let mut e = Engine::in_memory().unwrap();
    let stories = [
        "Title: Resort chain breached\nPublished: 2024-03-01\n\nScattered Spider breached Fabrikam Resorts, the company said. Slot machines stopped working. Room keys failed for three days. Guests waited in long lines at the front desk.\n\nThe resort restored its booking site on Monday.\n\nResearchers noted overlaps between this intrusion and earlier ALPHV attacks on hotels.\n",
        "Title: Clinic network encrypted\nPublished: 2024-02-20\n\nBlackCat encrypted the servers of Contoso Clinics, the clinics said.\n",
    ];
    let loaded: Vec<_> = stories.iter().map(|t| from_text(t, None, None, Scope::Global).unwrap()).collect();
    e.ingest_and_commit(&loaded, now()).unwrap();
    let r = ask(&e, Viewer::Public, "/breach summary scattered spider").unwrap();
    let related = r.sections.iter().find(|s| s.heading.as_deref() == Some("Related campaigns"));
    let related = related.unwrap_or_else(|| panic!("{r:#?}"));
    let line = related.lines.iter().find(|l| l.text.starts_with("BlackCat")).expect("BlackCat is related");
    let n: usize = line.text.split("named in [").nth(1).and_then(|x| x.split(']').next()).unwrap().parse().unwrap();
    let c = &r.citations[n - 1];
    assert_eq!(c.title, "Resort chain breached");
    let doc = e.store().document(c.doc).unwrap().unwrap();
    assert!(doc.paragraphs[c.paragraph].text.contains("ALPHV"), "[{n}] cites {:?}", doc.paragraphs[c.paragraph].text);
}

#[test]
fn summary_of_a_known_actor_lists_related_incidents_with_reasons() {
    let mut e = Engine::in_memory().unwrap();
    let stories = [
        "Title: Carriers breached\nPublished: 2024-10-05\n\nBeijing-backed hackers of the Salt Typhoon group breached Fabrikam Telecom and Contoso Wireless, investigators said. Fabrikam Telecom hired Proseware to investigate the intrusion into its network.\n",
        "Title: Routers hijacked\nPublished: 2024-02-01\n\nVolt Typhoon hijacked routers at Northwind Power, a Chinese state-sponsored operation that officials said targeted telecommunications networks.\n",
    ];
    let loaded: Vec<_> = stories.iter().map(|t| from_text(t, None, None, Scope::Global).unwrap()).collect();
    e.ingest_and_commit(&loaded, now()).unwrap();
    let r = ask(&e, Viewer::Public, "/breach summary earth estries").unwrap();
    assert_quoted_sections(&e, &r);
    let header = r.header.as_deref().unwrap();
    assert!(header.starts_with("Salt Typhoon (also Earth Estries [Trend Micro]"), "{header}");
    assert!(header.contains("attributed to China (\"Beijing-backed\")"), "{header}");
    assert!(header.contains("victims: Fabrikam Telecom, Contoso Wireless"), "{header}");
    assert!(header.contains("responders: Proseware"), "{header}");
    let related = r.sections.iter().find(|s| s.heading.as_deref() == Some("Related campaigns")).unwrap();
    let volt = related.lines.iter().find(|l| l.text.starts_with("Volt Typhoon")).unwrap();
    assert!(volt.text.contains("same sponsor: China"), "{}", volt.text);
    assert!(volt.text.contains("same sector: telecommunications"), "{}", volt.text);
}

/// The first section's lines are quoted sentences with citations.
fn assert_quoted_sections(e: &Engine, reply: &Reply) {
    let first = Reply { sections: reply.sections[..1].to_vec(), ..reply.clone() };
    assert_quoted(e, &first);
}

#[test]
fn actor_card_shows_every_name_with_its_source() {
    let e = Engine::in_memory().unwrap();
    let r = ask(&e, Viewer::Public, "/breach actor \"BRONZE SILHOUETTE\"").unwrap();
    assert_eq!(r.title, "Volt Typhoon");
    let names = r.sections.iter().find(|s| s.heading.as_deref() == Some("Names")).unwrap();
    assert!(names.lines.iter().any(|l| l.text == "BRONZE SILHOUETTE — Secureworks; breachdesk"), "{names:?}");
    assert!(r.header.as_deref().unwrap().contains("suspected sponsor: China [breachdesk]"));
    let e = ask(&e, Viewer::Public, "/breach actor Nobody Atall").unwrap_err();
    assert!(e.message.contains("No actor is known as `Nobody Atall`"), "{}", e.message);
}

#[test]
fn autocomplete_suggests_incidents_and_every_alias() {
    let e = engine();
    let s = settings();
    let ctx = Context { engine: &e, settings: &s, viewer: Viewer::Public, now: now() };
    assert_eq!(autocomplete(&ctx, "incident", "harb").unwrap()[0], "Harbor Jackal (2024-03)");
    let names = autocomplete(&ctx, "name", "bronze s").unwrap();
    assert!(names.contains(&"BRONZE SILHOUETTE".to_string()), "{names:?}");
    assert!(autocomplete(&ctx, "name", "").unwrap().len() <= 25);
}

#[test]
fn summary_of_the_unknown_is_a_user_error() {
    let e = engine();
    let err = ask(&e, Viewer::Public, "/breach summary zebra lemonade").unwrap_err();
    assert_eq!(err.kind, UserErrorKind::NotFound);
    assert!(err.message.contains("zebra lemonade"));
    let err = ask(&e, Viewer::Public, "/breach summary ???").unwrap_err();
    assert_eq!(err.kind, UserErrorKind::BadRequest);
}

#[test]
fn guild_documents_stay_in_their_guild() {
    let e = engine();
    let public = ask(&e, Viewer::Public, "/breach search analysts").unwrap_err();
    assert_eq!(public.kind, UserErrorKind::NotFound);
    let other = ask(&e, Viewer::Guild(7), "/breach search analysts").unwrap_err();
    assert_eq!(other.kind, UserErrorKind::NotFound);
    let own = ask(&e, Viewer::Guild(42), "/breach search analysts").unwrap();
    assert_eq!(own.header.as_deref(), Some("1 matching article"));
}

#[test]
fn search_pages_and_cites_best_sentences() {
    let e = engine();
    let r = ask(&e, Viewer::Public, "/breach search ferry").unwrap();
    assert_eq!(r.header.as_deref(), Some("2 matching articles"));
    assert_eq!(r.footer.as_deref(), Some("Page 1 of 1"));
    assert!(r.lines().all(|l| l.cites.len() == 1));
    let r = ask(&e, Viewer::Public, "/breach search \"paper tickets\"").unwrap();
    let line = r.lines().next().unwrap();
    assert!(
        line.text.ends_with("The operator said crossings ran on paper tickets through the weekend."),
        "{}",
        line.text
    );
    let err = ask(&e, Viewer::Public, "/breach search ferry page:9").unwrap_err();
    assert_eq!(err.message, "There is only 1 page for `ferry`.");
}

#[test]
fn a_near_copy_of_a_story_is_one_search_hit_citing_both_copies() {
    let mut e = Engine::in_memory().unwrap();
    let body = "Intruders reached the control network of the Fabrikam water plant on Monday and changed pump settings before staff noticed. Engineers restored manual control within hours, and the company said no customer data was taken. The plant serves about forty thousand homes in the valley, and the regional regulator has asked for a full report on how the attackers got in.";
    let stories = [
        format!("Title: Water plant breached\nPublished: 2024-05-02\n\n{body}\n"),
        // The syndicated copy adds one sentence.
        format!("Title: Valley plant intrusion\nPublished: 2024-05-03\n\n{body} Residents were told the tap water stayed safe.\n"),
        "Title: Pump maker recalls valves\nPublished: 2024-05-04\n\nA pump maker recalled valves after a fault, not an attack, and said no plant was harmed.\n".to_string(),
    ];
    for text in &stories {
        e.ingest_and_commit(&[from_text(text, None, None, Scope::Global).unwrap()], now()).unwrap();
    }
    let r = ask(&e, Viewer::Public, "/breach search pump").unwrap();
    let lines: Vec<&str> = r.lines().map(|l| l.text.as_str()).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    let copy = lines.iter().position(|l| l.trim_start().starts_with("also as ")).expect("the copy is folded in");
    // Right after the copy it repeats, and the other story stays its own hit.
    let lead = &lines[copy.checked_sub(1).expect("a lead line first")];
    assert!(lead.starts_with("Water plant breached") || lead.starts_with("Valley plant intrusion"), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("Pump maker recalls valves")), "{lines:?}");
    // Every copy is cited, so both sources are one click away.
    assert_eq!(r.citations.len(), 3, "{:?}", r.citations);
}

#[test]
fn bad_queries_are_explained_in_one_line() {
    let e = engine();
    let err = ask(&e, Viewer::Public, "/breach search \"unclosed phrase").unwrap_err();
    assert_eq!(err.kind, UserErrorKind::BadQuery);
    assert!(!err.message.contains('\n'));
    let reply = error_reply(&err);
    assert!(reply.ephemeral);
}

#[test]
fn help_lists_every_command() {
    let e = engine();
    let r = ask(&e, Viewer::Public, "/help").unwrap();
    let text: Vec<&str> = r.lines().map(|l| l.text.as_str()).collect();
    assert_eq!(text.len(), COMMANDS.len());
    assert!(text[0].starts_with("/breach summary [incident]"), "{}", text[0]);
}

/// Stories with statements, for /who-said.
fn engine_with_statements() -> Engine {
    let mut e = Engine::in_memory().unwrap();
    let stories = [
        (
            "Title: Ruritania denies role in port hack\nPublished: 2024-06-01\n\nHackers disrupted the port's booking systems, officials said.\n\nThe Ruritanian Embassy denied any involvement in the intrusion. The embassy's spokesperson, Ivo Marek, accused investigators of spreading rumours about wiretap access.\n\nFabrikam Telecom and Northwind Bank declined to comment.\n",
            Scope::Global,
        ),
        (
            "Title: Port operator confirms breach\nPublished: 2024-06-09\n\nThe port operator confirmed that booking records were copied. The Ruritanian Embassy denied the new report as well.\n",
            Scope::Global,
        ),
        (
            "Title: Guild notes\nPublished: 2024-06-10\n\nA local analyst denied that the guild's servers were affected.\n",
            Scope::Guild(42),
        ),
    ];
    let loaded: Vec<_> = stories.iter().map(|(t, s)| from_text(t, None, None, *s).unwrap()).collect();
    e.ingest_and_commit(&loaded, now()).unwrap();
    e
}

#[test]
fn who_said_a_stance_lists_it_newest_first_grouped_and_cited() {
    let e = engine_with_statements();
    let r = ask(&e, Viewer::Public, "/who-said denial").unwrap();
    assert_eq!(r.header.as_deref(), Some("2 statements by 1 speaker, newest first"));
    assert_eq!(r.sections.len(), 1);
    assert_eq!(r.sections[0].heading.as_deref(), Some("Ruritanian Embassy"));
    let lines: Vec<&str> = r.lines().map(|l| l.text.as_str()).collect();
    // Each line carries its article's publication date.
    assert_eq!(lines[0], "2024-06-09 · denial: The Ruritanian Embassy denied the new report as well.");
    assert_eq!(lines[1], "2024-06-01 · denial: The Ruritanian Embassy denied any involvement in the intrusion.");
    assert_eq!(r.citations[0].date_label(), "2024-06-09");
    assert!(r.lines().all(|l| l.cites.len() == 1));
    assert_eq!(r.citations[0].title, "Port operator confirms breach");
}

#[test]
fn who_said_accepts_stance_spellings_and_topics() {
    let e = engine_with_statements();
    let r = ask(&e, Viewer::Public, "/who-said no comment").unwrap();
    let speakers: Vec<&str> = r.sections.iter().filter_map(|s| s.heading.as_deref()).collect();
    assert_eq!(speakers, vec!["Fabrikam Telecom", "Northwind Bank"]);
    let r = ask(&e, Viewer::Public, "/who-said wiretap").unwrap();
    assert_eq!(r.sections[0].heading.as_deref(), Some("Ivo Marek (Ruritanian Embassy)"));
    assert!(r.lines().next().unwrap().text.starts_with("2024-06-01 · accusation: "));
}

#[test]
fn an_undated_article_is_shown_undated_not_with_the_day_it_was_ingested() {
    let mut e = Engine::in_memory().unwrap();
    let story = "Title: Undated note\n\nThe Ruritanian Embassy denied any role in the dock outage.\n";
    e.ingest_and_commit(&[from_text(story, None, None, Scope::Global).unwrap()], now()).unwrap();
    let r = ask(&e, Viewer::Public, "/who-said denial").unwrap();
    assert!(r.lines().next().unwrap().text.starts_with("undated · denial: "), "{r:?}");
    assert_eq!(r.citations[0].date, None);
    assert_eq!(r.citations[0].date_label(), "undated");
    let r = ask(&e, Viewer::Public, "/breach search dock").unwrap();
    assert!(r.lines().next().unwrap().text.starts_with("Undated note (undated): "), "{r:?}");
}

#[test]
fn an_overlap_name_has_a_card_naming_the_groups_it_overlaps() {
    let e = engine();
    let r = ask(&e, Viewer::Public, "/breach actor ghostemperor").unwrap();
    assert_eq!(r.title, "GhostEmperor");
    assert!(r.header.as_deref().unwrap().contains("not a group of the knowledge base"), "{:?}", r.header);
    let overlaps = r.sections.iter().find(|s| s.heading.as_deref() == Some("Reported overlaps")).unwrap();
    assert!(
        overlaps.lines.iter().any(|l| l.text.starts_with("Salt Typhoon — overlap with GhostEmperor")),
        "{overlaps:?}"
    );
}

#[test]
fn a_page_past_the_end_says_how_many_there_are() {
    let e = engine_with_statements();
    let err = ask(&e, Viewer::Public, "/who-said denial page:5").unwrap_err();
    assert_eq!(err.kind, crate::error::UserErrorKind::PastEnd);
    assert_eq!(err.message, "There is only 1 page for denial.");
    assert_eq!(error_reply(&err).title, "No such page");
    let err = ask(&e, Viewer::Public, "/breach search port page:9").unwrap_err();
    assert_eq!(err.message, "There is only 1 page for `port`.");
}

#[test]
fn who_said_by_speaker_and_incident() {
    let e = engine_with_statements();
    let r = ask(&e, Viewer::Public, "/who-said speaker:\"Ivo Marek\"").unwrap();
    assert_eq!(r.header.as_deref(), Some("1 statement by 1 speaker, newest first"));
    let r = ask(&e, Viewer::Public, "/who-said denial incident:\"port operator confirms\"").unwrap();
    assert_eq!(r.header.as_deref(), Some("1 statement by 1 speaker, newest first"));
    let err = ask(&e, Viewer::Public, "/who-said speaker:Nobody").unwrap_err();
    assert_eq!(err.kind, UserErrorKind::NotFound);
    let err = ask(&e, Viewer::Public, "/who-said").unwrap_err();
    assert_eq!(err.kind, UserErrorKind::BadRequest);
}

#[test]
fn who_said_respects_guild_scope() {
    let e = engine_with_statements();
    let public = ask(&e, Viewer::Public, "/who-said denial").unwrap();
    assert!(public.lines().all(|l| !l.text.contains("guild")));
    let guild = ask(&e, Viewer::Guild(42), "/who-said denial").unwrap();
    assert!(guild.lines().any(|l| l.text.contains("guild's servers")));
    let other = ask(&e, Viewer::Guild(7), "/who-said speaker:analyst").unwrap_err();
    assert_eq!(other.kind, UserErrorKind::NotFound);
}

#[test]
fn who_said_pages() {
    let mut e = Engine::in_memory().unwrap();
    let text: String =
        (0..12).map(|i| format!("Company{i} Holdings declined to comment on the outage number {i}.\n\n")).collect();
    let l = from_text(&format!("Title: Many silences\n\n{text}"), None, None, Scope::Global).unwrap();
    e.ingest_and_commit(&[l], now()).unwrap();
    let p1 = ask(&e, Viewer::Public, "/who-said no_comment").unwrap();
    assert_eq!(p1.footer.as_deref(), Some("Page 1 of 2"));
    assert_eq!(p1.lines().count(), 8);
    let p2 = ask(&e, Viewer::Public, "/who-said no_comment page:2").unwrap();
    assert_eq!(p2.lines().count(), 4);
    assert!(ask(&e, Viewer::Public, "/who-said no_comment page:3").is_err());
}

#[test]
fn the_stance_option_filters_and_refuses_values_off_the_list() {
    let e = engine_with_statements();
    let r = ask(&e, Viewer::Public, "/who-said stance:denial").unwrap();
    assert!(r.lines().all(|l| l.text.contains("denial")), "{r:?}");
    let err = ask(&e, Viewer::Public, "/who-said stance:maybe").unwrap_err();
    assert!(err.message.contains("must be one of: denial"), "{}", err.message);
}
