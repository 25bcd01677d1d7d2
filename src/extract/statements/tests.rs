//! Statement extraction, one or more sentences per pattern family, written
//! for these tests. `check` lists (speaker, stance) in reading order.

use super::*;
use crate::clean::clean_text;

fn extract(text: &str) -> Vec<Statement> {
    let c = clean_text(&format!("Title: Test story\n\n{text}"));
    extract_statements(&c.paragraphs, None, &[])
}

fn check(text: &str, expect: &[(&str, Stance)]) {
    let got: Vec<(String, Stance)> = extract(text).into_iter().map(|s| (s.speaker, s.stance)).collect();
    let want: Vec<(String, Stance)> = expect.iter().map(|(s, st)| (s.to_string(), *st)).collect();
    assert_eq!(got, want, "\n{text}");
}

use Stance::*;

#[test]
fn direct_quotes() {
    check("\"We restored every system by Sunday,\" Northwind Bank said.", &[("Northwind Bank", Claim)]);
    check("\"We restored every system by Sunday,\" said Northwind Bank.", &[("Northwind Bank", Claim)]);
    check(
        "Northwind Bank said: \"We restored every system by Sunday and saw no fraud.\"",
        &[("Northwind Bank", Claim)],
    );
    check(
        "\"The outage was contained,\" said Dana Ruiz, a spokesperson for Northwind Bank, \"and no customer funds moved.\"",
        &[("Dana Ruiz", Claim)],
    );
}

#[test]
fn outlets_put_their_name_after_the_quote() {
    check("\"The port has held the same lead all year,\" reported Harbor Daily.", &[("Harbor Daily", Claim)]);
}

#[test]
fn a_quote_continues_in_its_paragraph() {
    let s = extract(
        "\"We restored every system by Sunday,\" Northwind Bank said. \"Our branches will open as usual on Monday morning.\"",
    );
    assert_eq!(s.len(), 2);
    assert_eq!(s[1].speaker, "Northwind Bank");
    assert_eq!(s[1].quote.as_deref(), Some("Our branches will open as usual on Monday morning."));
}

#[test]
fn a_bare_tag_after_a_quote_takes_the_quote() {
    // The quote ends in a question mark, so the tag is a sentence of its
    // own: the record runs from the opening quote to the tag.
    let s = extract(
        "\u{201c}How long will the harbor stay closed this time?\u{201d} Mayor Lena Voss asked. \u{201c}We were promised a fix by spring. Nobody has seen it.\u{201d}",
    );
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[0].speaker, "Lena Voss");
    assert_eq!(s[0].sentence, "\u{201c}How long will the harbor stay closed this time?\u{201d} Mayor Lena Voss asked.");
    // What follows the tag is one record however many sentences it has.
    assert_eq!(s[1].speaker, "Lena Voss");
    assert_eq!(s[1].sentence, "\u{201c}We were promised a fix by spring. Nobody has seen it.\u{201d}");
}

#[test]
fn reported_speech() {
    check("Northwind Bank said the intruders reached a file server.", &[("Northwind Bank", Claim)]);
    check("Northwind Bank said that the intruders reached a file server.", &[("Northwind Bank", Claim)]);
    check("Northwind Bank told Reuters that the intruders reached a file server.", &[("Northwind Bank", Claim)]);
    check("The intruders reached a file server, Northwind Bank said.", &[("Northwind Bank", Claim)]);
    check("The intruders reached a file server, according to Northwind Bank.", &[("Northwind Bank", Claim)]);
    check("The intruders reached a file server, as reported by the Daily Ledger.", &[("Daily Ledger", Claim)]);
    check("Northwind Bank said in a statement that the intruders reached a file server.", &[("Northwind Bank", Claim)]);
    check("Northwind Bank wrote on LinkedIn that the intruders reached a file server.", &[("Northwind Bank", Claim)]);
    // A document named with its author speaks for the author when it comes back.
    check(
        "Analysts read a Harbor Board memo on the intrusion. The memo says the attackers used stolen passwords.",
        &[("Harbor Board", Claim)],
    );
    // The treebank splits hyphens; the speaker keeps the whole word.
    check("CERT-RU advises that every provider change its router passwords.", &[("CERT-RU", Warning)]);
}

#[test]
fn stance_verbs_without_quotes() {
    check("The Ruritanian Embassy denies any role in the intrusion.", &[("Ruritanian Embassy", Denial)]);
    check("Northwind Bank declined to comment.", &[("Northwind Bank", NoComment)]);
    check("Northwind Bank did not respond to requests for comment.", &[("Northwind Bank", NoComment)]);
    check("Northwind Bank accused the crew of extortion.", &[("Northwind Bank", Accusation)]);
    check("Northwind Bank confirmed the breach on Tuesday.", &[("Northwind Bank", Confirmation)]);
    check("Northwind Bank warned customers about phishing emails.", &[("Northwind Bank", Warning)]);
    check("Northwind Bank called for an inquiry into the port's security.", &[("Northwind Bank", Warning)]);
    // A sentence opening with "For" or "On" is no "called for" or "called on".
    let s = extract("On Monday, Northwind Bank called the attacks sophisticated.");
    assert_eq!(s.len(), 1);
    assert_ne!(s[0].stance, Warning);
}

#[test]
fn negation_and_modality() {
    check("Northwind Bank did not deny that files were copied.", &[("Northwind Bank", Claim)]);
    check("Northwind Bank would not confirm how many accounts were exposed.", &[("Northwind Bank", NoComment)]);
    check("Northwind Bank has not disclosed how the attackers got in.", &[("Northwind Bank", NoComment)]);
    check(
        "Neither Fabrikam Telecom nor Northwind Bank responded to requests for comment.",
        &[("Fabrikam Telecom", NoComment), ("Northwind Bank", NoComment)],
    );
    check("Northwind Bank said no customer data was stolen.", &[("Northwind Bank", Denial)]);
}

#[test]
fn titles_and_appositions_are_split_from_speakers() {
    check(
        "\u{201c}I will make this promise to you: we will reopen the docks,\u{201d} Harbor police Chief Ana Ruiz said Monday.",
        &[("Ana Ruiz", Claim)],
    );
    // A party label in brackets is no name: "Sen. Dana Ruiz (D-Ore.)".
    check("Sen. Dana Ruiz (D-Ore.) said the agency failed to protect the data.", &[("Dana Ruiz", Accusation)]);
    check("Rep. Ivo Marek (R) said the hearing would go ahead.", &[("Ivo Marek", Claim)]);
    let s = extract("Port Authority Director Helen Okafor said cranes were back in service.");
    assert_eq!((s[0].speaker.as_str(), s[0].affiliation.as_deref()), ("Helen Okafor", Some("Port Authority")));
    let s = extract(
        "The Ruritanian Embassy in Lisbon rejected the report. The embassy's spokesperson, Ivo Marek, said the claims were baseless.",
    );
    assert_eq!(s[1].speaker, "Ivo Marek");
    assert_eq!(s[1].affiliation.as_deref(), Some("Ruritanian Embassy in Lisbon"));
    let s = extract("Mira Jansen, a threat analyst at Example Labs, said the loader was new.");
    assert_eq!((s[0].speaker.as_str(), s[0].affiliation.as_deref()), ("Mira Jansen", Some("Example Labs")));
}

#[test]
fn coordinated_subjects_give_one_statement_each() {
    check(
        "Northwind Bank and Harbor Credit chose not to comment, while Fabrikam Telecom did not respond.",
        &[("Northwind Bank", NoComment), ("Harbor Credit", NoComment), ("Fabrikam Telecom", NoComment)],
    );
    check(
        "Both the Transport Ministry and the Port Authority declined to comment.",
        &[("Transport Ministry", NoComment), ("Port Authority", NoComment)],
    );
    // Not names: one speaker.
    check(
        "Local officials and outside experts said the outage was deliberate.",
        &[("Local officials and outside experts", Claim)],
    );
}

#[test]
fn pronouns_and_role_nouns_resolve_to_earlier_speakers() {
    let s = extract("Helen Okafor said the cranes were idle. She added that repairs would take a week.");
    assert_eq!(s[1].speaker, "Helen Okafor");
    let s = extract("Fabrikam Telecom said the outage ended at noon. The company said no calls were intercepted.");
    assert_eq!((s[1].speaker.as_str(), s[1].stance), ("Fabrikam Telecom", Denial));
    let s = extract(
        "The National Cyber Agency (NCA) published an advisory. The agency said the flaw was exploited in March.",
    );
    assert_eq!(s.last().unwrap().speaker, "National Cyber Agency (NCA)");
    // Initials nobody defined in brackets stand for the name spelt out before.
    let s = extract(
        "The Department of Harbor Safety published an alert on the crew. The DHS warned that the crew reuses stolen passwords.",
    );
    assert_eq!(s[0].speaker, "Department of Harbor Safety (DHS)");
    // A word that opens the sentence is no part of the name after it.
    let s = extract("But Helen Okafor spoke first at the port meeting. \"The cranes are idle,\" she said.");
    assert_eq!(s[0].speaker, "Helen Okafor");
    let s = extract("While Fabrikam Telecom restored service, the company has not disclosed how the intruders got in.");
    assert_eq!((s[0].speaker.as_str(), s[0].stance), ("Fabrikam Telecom", NoComment));
}

#[test]
fn anonymous_sources_stay_anonymous() {
    let s = extract("The intruders stayed for months, according to two people familiar with the matter.");
    assert_eq!(s[0].speaker, "two people familiar with the matter");
    assert!(s[0].anonymous);
    let s = extract("Investigators said the loader was new, two sources confirmed.");
    assert!(s.iter().any(|st| st.speaker == "two sources" && st.anonymous && st.stance == Confirmation));
    // Groups of people nobody named speak as described.
    let s = extract("But critics say the port's new scanners miss most threats.");
    assert_eq!((s[0].speaker.as_str(), s[0].anonymous), ("critics", true));
    let s = extract("His aides say the mayor will not run again.");
    assert_eq!((s[0].speaker.as_str(), s[0].anonymous), ("aides", true));
}

#[test]
fn places_and_trade_nouns_do_not_make_the_speaker() {
    // A named body's place is not its name.
    let s = extract("The Data Protection Authority in the UK said the firm failed to protect pension data.");
    assert_eq!(s[0].speaker, "Data Protection Authority");
    // "printing company Almaden Druck" is a company, whose denial of harm counts.
    check(
        "German printing company Almaden Druck told reporters that the flaw did not lead to any data breach.",
        &[("Almaden Druck", Denial)],
    );
}

#[test]
fn one_regression_per_stance() {
    check(
        "Ruritania's foreign ministry denied that its hackers were involved.",
        &[("Ruritania's foreign ministry", Denial)],
    );
    check("Helix Health declined to say how many patients were affected.", &[("Helix Health", NoComment)]);
    check(
        "The Justice Department said Russian hackers breached the utility's network.",
        &[("Justice Department", Accusation)],
    );
    check("Helix Health confirmed that patient records were accessed.", &[("Helix Health", Confirmation)]);
    check("The Crimson Jackal gang claimed responsibility for the attack.", &[("Crimson Jackal", Claim)]);
    check("The national CERT urged operators to patch their routers.", &[("CERT", Warning)]);
    check("Researchers believe the crew is likely based abroad.", &[("Researchers", Assessment)]);
}

#[test]
fn a_plural_noun_before_the_verb_is_part_of_the_speaker() {
    check(
        "The Port Authority said the cranes were idle. \"No shipment left the terminal on Friday,\" court documents claim.",
        &[("Port Authority", Claim), ("court documents", Claim)],
    );
}

#[test]
fn passives_and_verbs_in_quotes_are_not_attributions() {
    check("The crew is believed to have entered through a vendor account.", &[]);
    check("Staff were told to stay home on Friday.", &[]);
    check("The note read, \"We said we would return and we have returned for you.\"", &[]);
}

#[test]
fn whom_a_speaker_addresses_never_becomes_the_speaker() {
    for text in [
        "Dana Ruiz, the deputy adviser for cyber and emerging technology, told reporters that eight carriers were hit.",
        "Omar Haddad, the agency's assistant director for cybersecurity, urged Americans to use encrypted apps.",
    ] {
        let got: Vec<String> = extract(text).into_iter().map(|s| s.speaker).collect();
        for wrong in ["reporters", "Americans"] {
            assert!(!got.iter().any(|s| s == wrong), "{text}: {got:?}");
        }
    }
    // Verbs of saying do invert.
    check("\"We restored every system,\" said Northwind Bank.", &[("Northwind Bank", Claim)]);
}

#[test]
fn speaker_keys_group_spellings() {
    let s =
        extract("The FBI declined to comment. The Federal Bureau of Investigation later said it was investigating.");
    assert_eq!(s[0].speaker_key, s[1].speaker_key);
}

#[test]
fn an_and_inside_a_body_s_name_joins_no_list() {
    check(
        "The FBI and the Cybersecurity and Infrastructure Security Agency said the intruders stole call records.",
        &[("FBI", Claim), ("Cybersecurity and Infrastructure Security Agency", Claim)],
    );
}

#[test]
fn a_list_keeps_the_hyphens_of_its_names() {
    check(
        "Mara Lund-Hale and the Ostby-Kerr Policy Center said the tax plan was published on Monday.",
        &[("Mara Lund-Hale", Claim), ("Ostby-Kerr Policy Center", Claim)],
    );
}

#[test]
fn people_named_in_passing_are_remembered() {
    // A full name first given outside any attribution names the later surname.
    check(
        "The harbor board hired Malka Dunmore, a former port engineer, to review the outage. Dunmore said the cranes were never patched.",
        &[("Malka Dunmore", Claim)],
    );
    // "Harbor's Dunmore" is the Dunmore named before, of the harbor.
    check(
        "The harbor board hired Malka Dunmore to review the outage. Harbor's Dunmore said the cranes were never patched. Dunmore said the fix would take a month.",
        &[("Malka Dunmore", Claim), ("Malka Dunmore", Claim)],
    );
    // A person named as a subject is whom a later "she" is; a place is not.
    check(
        "Ilse Varga met the harbor board in North Weston on Monday. \u{201c}Nobody told us the cranes were exposed,\u{201d} she said.",
        &[("Ilse Varga", Claim)],
    );
}

#[test]
fn a_body_named_by_its_kind_is_never_another_body() {
    // The spokesperson speaks for the embassy (not for "Lisbon"), and "the
    // embassy" later is that embassy, not the agency named in between.
    let s = extract(
        "A spokesperson for Ruritania's embassy in Lisbon said the claims were groundless. The Harbor Cyber Agency published its findings on Friday. The embassy did not immediately reply to a request for comment about the agency's findings.",
    );
    let speakers: Vec<&str> = s.iter().map(|st| st.speaker.as_str()).collect();
    assert_eq!(speakers, ["spokesperson for Ruritania's embassy in Lisbon", "Ruritania's embassy in Lisbon"], "{s:?}");
    assert_eq!(s[1].stance, NoComment);
    // A body described with its name speaks under that description.
    check("The Lisbon port agency confirmed the outage on Monday.", &[("Lisbon port agency", Confirmation)]);
    check("China's embassy in Lisbon denied any role in the outage.", &[("China's embassy in Lisbon", Denial)]);
    // With no embassy known, "the embassy" stays the embassy.
    check(
        "The Harbor Cyber Agency published its findings. The embassy did not respond to a request for comment.",
        &[("embassy", NoComment)],
    );
}

#[test]
fn a_short_opening_quote_is_continued_by_the_next_sentence() {
    let s = extract("\"It is over,\" Dana Ruiz said. \"And this harbor has to find new ways to pay for its cranes.\"");
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[1].speaker, "Dana Ruiz");
}

#[test]
fn pronouns_agree_in_gender_with_their_antecedent() {
    // "he" passes over the woman named last for the man named before her.
    check(
        "Sen. Peter Malloy spoke first. Ellen Farrow, the harbor's chief engineer, replied to him. \"We are on our fourth budget,\" he said.",
        &[("Peter Malloy", Claim)],
    );
    // A title marks a surname when the given name tells nothing.
    check(
        "Ms. Okonkwo-Reyes led the audit. Mr. Tallis chaired it. \"The books were clean,\" she said.",
        &[("Okonkwo-Reyes", Assessment)],
    );
    // Without anyone who fits, the pronoun names nobody.
    check("Peter Malloy chaired the audit. \"The books were clean,\" she said.", &[]);
}

#[test]
fn a_name_after_a_title_is_the_person() {
    // The run "Former Harbor Gov. Ed Brandel" names Ed Brandel, whom "he" then is.
    check(
        "Former Harbor Gov. Ed Brandel, who chaired the board in 2000, agreed to the plan. \"We are on our fourth chief,\" he said.",
        &[("Ed Brandel", Claim)],
    );
}

#[test]
fn a_titled_name_goes_on_over_its_particles() {
    check(
        "Mayor Bill de Varga opened the pier on Monday. \"The ferry will run all winter,\" he said.",
        &[("Bill de Varga", Claim)],
    );
}

#[test]
fn a_surname_shared_by_two_people_is_the_one_who_spoke() {
    check(
        "Hana Varga said the port would reopen. Her husband, Laszlo Varga, runs a ferry. Varga said the ferry would run.",
        &[("Hana Varga", Claim), ("Hana Varga", Claim)],
    );
}

#[test]
fn a_publisher_speaks_in_its_own_pages_only_to_judge() {
    // The page is Fabrikam's own: its findings, judgements and advice are
    // statements, its narration and newsgathering are not.
    let table: &[(&str, &[(&str, Stance)])] = &[
        ("Fabrikam attributes the Tidewater campaign to APT99.", &[("Fabrikam", Accusation)]),
        ("Fabrikam urges customers to patch their gateways.", &[("Fabrikam", Warning)]),
        ("Fabrikam believes the operators are likely based abroad.", &[("Fabrikam", Assessment)]),
        ("Fabrikam said the update ships on Monday.", &[]),
        ("Fabrikam has learned that the harbor office was breached.", &[]),
        ("Contoso said the update ships on Monday.", &[("Contoso", Claim)]),
    ];
    for (text, want) in table {
        let c = clean_text(&format!("Title: Test story\n\n{text}"));
        let got: Vec<(String, Stance)> =
            extract_statements(&c.paragraphs, Some("https://www.fabrikam.com/blog/x"), &[])
                .into_iter()
                .map(|s| (s.speaker, s.stance))
                .collect();
        let want: Vec<(String, Stance)> = want.iter().map(|(s, st)| (s.to_string(), *st)).collect();
        assert_eq!(got, want, "\n{text}");
    }
}
