use super::*;
use crate::clean::segment::sentence_spans;

fn para(text: &str) -> Paragraph {
    Paragraph { text: text.to_string(), heading: false, sentences: sentence_spans(text) }
}

fn facts(title: &str, paras: &[&str]) -> IncidentFacts {
    static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(Knowledge::bundled);
    let k = &*KNOWLEDGE;
    let ps: Vec<Paragraph> = paras.iter().map(|p| para(p)).collect();
    k.facts(title, &ps, NaiveDate::from_ymd_opt(2025, 3, 12))
}

#[test]
fn victims_in_lists_after_breach_cues_and_before_passives() {
    let f = facts(
        "Hackers breach Northwind Bank",
        &["Investigators said the crew breached Fabrikam, Contoso and Tailspin Toys in January. \
           Woodgrove Insurance was also hit, while Litware confirmed a data breach on Monday."],
    );
    for v in ["Northwind Bank", "Fabrikam", "Contoso", "Tailspin Toys", "Woodgrove Insurance", "Litware"] {
        assert!(f.victims.iter().any(|x| x == v), "{v} missing from {:?}", f.victims);
    }
}

#[test]
fn responders_from_response_cues_and_public_bodies() {
    let f = facts(
        "",
        &["Adatum hired Proseware to investigate the attack on its network. \
           Experts from Blue Yonder Security and Fourth Coffee Labs have been assisting, and the FBI is also involved."],
    );
    for r in ["Proseware", "Blue Yonder", "Fourth Coffee Labs", "FBI"] {
        assert!(f.responders.iter().any(|x| x.starts_with(r)), "{r} missing from {:?}", f.responders);
    }
    assert!(f.victims.iter().any(|x| x == "Adatum"), "{:?}", f.victims);
    assert!(!f.victims.iter().any(|x| x == "Proseware"));
}

#[test]
fn actors_collapse_aliases_and_resolve_to_the_knowledge_base() {
    let f = facts(
        "Midnight Blizzard read executives' mail",
        &["The group, also known as APT29 and Cozy Bear, reached the mailboxes. Midnight Blizzard then left."],
    );
    assert_eq!(f.threat_actors.len(), 1, "{:?}", f.threat_actors);
    assert_eq!(f.threat_actors[0].canonical.as_deref(), Some("Midnight Blizzard"));
    assert_eq!(f.attributed_country.as_deref(), Some("Russia"), "the knowledge base's sponsor of a state group");
}

#[test]
fn attribution_words_are_kept_and_speaking_is_not_an_attribution() {
    let f = facts("", &["Beijing-backed hackers broke into Contoso's servers."]);
    assert_eq!(f.attributed_country.as_deref(), Some("China"));
    assert_eq!(f.attribution.as_deref(), Some("Beijing-backed"));
    let f = facts("", &["A Russian-speaking extortion gang called Kestrel hit Fabrikam."]);
    assert_eq!(f.attributed_country, None, "{:?}", f.attribution);
    assert_eq!(f.threat_actors[0].name, "Kestrel");
    let f = facts("", &["Officials linked the intrusion to Russia's GRU."]);
    assert_eq!(f.attributed_country.as_deref(), Some("Russia"));
}

#[test]
fn a_capitalised_common_word_before_group_is_no_name() {
    // "Notorious" opens the headline; the story writes it in lower case.
    let f = facts(
        "Notorious ransomware group claims it hacked Fabrikam Bank",
        &[
            "A notorious ransomware gang said it had encrypted the bank's files. The Kestrel ransomware group listed it.",
        ],
    );
    let names: Vec<&str> = f.threat_actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Kestrel"]);
    // A name the story never writes in lower case stays one, even when it
    // only ever opens a sentence.
    let f = facts("Kestrel ransomware group claims it hacked Fabrikam Bank", &["The bank said it was investigating."]);
    assert_eq!(f.threat_actors[0].name, "Kestrel");
}

#[test]
fn criminal_groups_get_no_state_from_the_knowledge_base() {
    let f = facts("", &["LockBit claimed the attack on Fabrikam."]);
    assert_eq!(f.attributed_country, None);
    assert_eq!(f.threat_actors[0].canonical.as_deref(), Some("LockBit"));
}

#[test]
fn cves_indicators_dates_sectors_and_accessed() {
    let f = facts(
        "Ruritanian telecom carriers hit",
        &["The attackers exploited CVE-2024-99999 to reach telecom carriers last month and stole call records \
           of customers. They used hxxp://update[.]fabrikam-cdn[.]com/x. Telecom operators were warned."],
    );
    assert_eq!(f.cves, ["CVE-2024-99999"]);
    assert_eq!(f.indicators[0].value, "http://update.fabrikam-cdn.com/x");
    assert_eq!(f.indicators[0].defanged(), "hxxp://update[.]fabrikam-cdn[.]com/x");
    assert!(f.dates.iter().any(|d| d.text == "last month" && d.from.to_string() == "2025-02-01"), "{:?}", f.dates);
    assert_eq!(f.sectors.first().map(String::as_str), Some("telecommunications"));
    assert!(f.accessed.iter().any(|a| a.contains("call records")), "{:?}", f.accessed);
}

#[test]
fn campaigns_are_named() {
    let f = facts("", &["The intrusions were part of Operation Lantern Walk, researchers said."]);
    assert_eq!(f.related_campaigns, ["Operation Lantern Walk"]);
    // A police operation against a gang is not a campaign of the gang's.
    for s in [
        "Police took over the gang's leak site in Operation Harbor Light, the agency said.",
        "Operation Harbor Light, led by Europol, seized the crew's servers.",
    ] {
        assert!(facts("", &[s]).related_campaigns.is_empty(), "{s}");
    }
}

#[test]
fn a_list_carries_its_role_to_names_the_rules_would_not_take_alone() {
    let f = facts(
        "",
        &["Tailspin said that Lumina, Crystal, Harbor Systems and Woodgrove are helping in the investigation."],
    );
    for r in ["Lumina", "Crystal", "Harbor Systems", "Woodgrove"] {
        assert!(f.responders.iter().any(|x| x == r), "{r} missing from {:?}", f.responders);
    }
    // Alone, a lone capitalised word in no list takes no role.
    let f = facts("", &["In June, the Crystal team said it was investigating."]);
    assert!(!f.responders.iter().any(|x| x == "In June" || x == "June"), "{:?}", f.responders);
}

#[test]
fn regulators_fining_a_company_name_the_victim() {
    let f = facts("", &["The regulator has fined genetic testing provider Genomix over the breach of customer data."]);
    assert!(f.victims.iter().any(|x| x == "Genomix"), "{:?}", f.victims);
}

#[test]
fn every_member_of_a_bracketed_list_after_a_breach_verb_is_a_victim() {
    let f = facts(
        "",
        &["Officials said the hackers had breached several carriers (including Fabrikam, Contoso Communications, \
           Northwind Communications, and Litware) and other firms."],
    );
    for v in ["Fabrikam", "Contoso", "Northwind", "Litware"] {
        assert!(f.victims.iter().any(|x| x.starts_with(v)), "{v} missing from {:?}", f.victims);
    }
}

#[test]
fn odd_text_never_panics() {
    // Multi-byte characters next to every kind of cue, seeded for repeatability.
    let pieces = [
        "\u{201c}",
        "\u{2019}",
        "\u{2014}",
        "é",
        "日本",
        " ",
        "Typhoon",
        "Panda",
        "APT41",
        "breached",
        "Fabrikam",
        "(",
        ")",
        "[.]",
        "hxxp://",
        "CVE-2024-1",
        "on Monday",
        "in 2024",
        "’s",
        ",",
        "and",
        "Storm-",
        "'",
        "\u{a0}",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..400 {
        let mut text = String::new();
        for _ in 0..30 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        let _ = facts(&text, &[&text]);
        let _ = crate::extract::extract_statements(&[para(&text)], Some("https://news.example/a"), &[]);
    }
}

#[test]
fn unnamed_victims_are_described_by_counted_noun_phrases() {
    let f = facts("", &["The crew breached eleven water utilities in Ruritania last spring."]);
    assert!(f.victims.iter().any(|v| v == "eleven water utilities"), "{:?}", f.victims);
    let f = facts(
        "",
        &[
            "These additional breaches include a regional ISP, a Ruritanian telecom provider and a large shipping company.",
        ],
    );
    for v in ["a regional ISP", "a Ruritanian telecom provider", "a large shipping company"] {
        assert!(f.victims.iter().any(|x| x == v), "{v} missing from {:?}", f.victims);
    }
    // Vague or clausal phrases are not victims.
    let f = facts("", &["Hackers breached a number of firms and tricked an employee when calling the company."]);
    assert!(f.victims.is_empty(), "{:?}", f.victims);
    // Before a passive breach verb; a count of the named is no victim of its own.
    let f = facts(
        "",
        &[
            "Officials said several Ruritanian federal agencies had also been breached.",
            "Two Ruritanian Department of Energy entities were also compromised.",
            "The crew breached multiple carriers (including Contoso Mobile and Fabrikam Telecom).",
        ],
    );
    for v in [
        "several Ruritanian federal agencies",
        "Two Ruritanian Department of Energy entities",
        "Contoso Mobile",
        "Fabrikam Telecom",
    ] {
        assert!(f.victims.iter().any(|x| x == v), "{v} missing from {:?}", f.victims);
    }
    assert!(!f.victims.iter().any(|x| x.contains("multiple")), "{:?}", f.victims);
}

#[test]
fn unnamed_responders_are_described_and_own_teams_count() {
    let f = facts(
        "",
        &[
            "\u{201c}Fabrikam\u{2019}s information security team has worked with external IT experts since the attack,\u{201d} a spokesperson said. \
           The national law enforcement authorities have also been notified.",
        ],
    );
    for r in ["Fabrikam", "external IT experts", "national law enforcement authorities"] {
        assert!(f.responders.iter().any(|x| x == r), "{r} missing from {:?}", f.responders);
    }
}

#[test]
fn described_security_firms_respond_without_praise_or_the_writers_own() {
    // (sentence, the responders described in it)
    let cases: &[(&str, &[&str])] = &[
        (
            "The clinic said it engaged leading cybersecurity firms and notified law enforcement after the attack.",
            &["cybersecurity firms", "law enforcement"],
        ),
        (
            "Upon learning of the breach, a leading, third-party cybersecurity firm was engaged by the carrier.",
            &["a third-party cybersecurity firm"],
        ),
        (
            "The exchange is working with two highly reputable blockchain tracing and analysis partners after the hack.",
            &["two blockchain tracing and analysis partners"],
        ),
        (
            "The carrier said it reported to the data protection authorities within a day of the breach.",
            &["data protection authorities"],
        ),
        // The name after the description is the responder, not the description.
        ("The retailer enlisted the help of cybersecurity firm Proseware after the breach.", &["Proseware"]),
        // The writer's own experts, and a title-case promo line, are no responders.
        ("\"We keep working with our experts to investigate the breach,\" the bank said.", &[]),
        ("Webinar | How You Can Quickly Identify and Investigate the Latest Phishing Attacks", &[]),
    ];
    for (text, want) in cases {
        let f = facts("Fabrikam breach", &[text]);
        assert_eq!(&f.responders, want, "{text}");
    }
}

#[test]
fn a_second_name_used_repeatedly_is_reported_too() {
    let f = facts(
        "Nobelium read executives' mail",
        &[
            "Nobelium, which Microsoft now calls Midnight Blizzard, used a password spray. Midnight Blizzard kept access for weeks. APT29 was named once.",
        ],
    );
    let names: Vec<&str> = f.threat_actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Nobelium", "Midnight Blizzard"]);
    assert!(f.threat_actors.iter().all(|a| a.canonical.as_deref() == Some("Midnight Blizzard")));
    assert_eq!(f.actor_keys(), ["Midnight Blizzard"], "one actor");
}

#[test]
fn a_name_given_only_as_an_alias_is_not_reported_but_one_the_story_uses_is() {
    // Octo Tempest is only ever listed as another name; Nobelium is told of.
    let f = facts(
        "Retailer hit by Scattered Spider",
        &[
            "Scattered Spider breached the Northwind Outfitters network in March, the company said.",
            "Scattered Spider, also known as UNC3944, Scatter Swine and Octo Tempest, relies on phone calls to help desks.",
            "Researchers track the group as Scattered Spider, or as Microsoft calls them, Octo Tempest.",
        ],
    );
    let names: Vec<&str> = f.threat_actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Scattered Spider"]);
    let f = facts(
        "Mail intrusion",
        &[
            "The hacking group, known as Nobelium or Midnight Blizzard, reached executives' mail.",
            "Nobelium first got in with a password spray. Nobelium then read the mail of the security team.",
            "Midnight Blizzard has also targeted a cloud provider this year.",
        ],
    );
    let names: Vec<&str> = f.threat_actors.iter().map(|a| a.name.as_str()).collect();
    assert!(names.contains(&"Nobelium") && names.len() == 2, "{names:?}");
    // Both names side by side, in a quote or a list, give the second as an alias.
    let f = facts(
        "Meat packer's plants halted by REvil",
        &[
            "The gang REvil (also known as Sodinokibi) is behind the attack on Fabrikam Foods, officials said.",
            "\"We have attributed the attack to REvil and Sodinokibi,\" the bureau said.",
            "REvil has demanded a ransom.",
        ],
    );
    let names: Vec<&str> = f.threat_actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["REvil"]);
}

#[test]
fn groups_named_late_only_to_compare_them_are_context() {
    let f = facts(
        "ShinyHunters steal CRM data",
        &[
            "ShinyHunters stole customer records from Fabrikam Insurance, the insurer said.",
            "The insurer said the theft began with a phone call to its help desk.",
            "It has notified customers and regulators.",
            "The company said no payment data was taken.",
            "Some researchers see overlapping members between ShinyHunters and Scattered Spider.",
            "ShinyHunters and Scattered Spider appear to target the same industries at the same time.",
            "Both groups also have ties to the defunct Lapsus$ crew.",
        ],
    );
    let names: Vec<&str> = f.threat_actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["ShinyHunters"]);
    let mentioned: Vec<&str> = f.mentioned_actors.iter().map(|a| a.name.as_str()).collect();
    assert!(mentioned.contains(&"Scattered Spider") && mentioned.contains(&"Lapsus$"), "{mentioned:?}");
    // A group the story says acted, late or not, stays a perpetrator.
    let f = facts(
        "ShinyHunters steal CRM data",
        &[
            "ShinyHunters stole customer records from Fabrikam Insurance, the insurer said.",
            "The insurer said the theft began with a phone call to its help desk.",
            "It has notified customers and regulators.",
            "The company said no payment data was taken.",
            "Later, the DragonForce ransomware was deployed on its servers.",
            "DragonForce encrypted the file servers of the claims department.",
        ],
    );
    assert!(f.threat_actors.iter().any(|a| a.name == "DragonForce"), "{:?}", f.threat_actors);
}

#[test]
fn a_second_group_named_once_late_is_context_and_the_lead_group_always_acts() {
    // Two groups only: the one the story is about acts, one named once in
    // a closing aside does not.
    let f = facts(
        "Drug trial firm's patient files leaked",
        &[
            "A clinical research firm in Northwind said attackers encrypted its servers.",
            "The company said it restored its systems from backups within a day.",
            "It has informed the regulator and the patients concerned.",
            "No trial was delayed, the firm said.",
            "The Maze group published the files on its leak site on Sunday.",
            "Earlier this year a travel firm paid after an attack by Sodinokibi.",
        ],
    );
    let names: Vec<&str> = f.threat_actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Maze"]);
    assert!(f.mentioned_actors.iter().any(|a| a.name == "Sodinokibi"), "{:?}", f.mentioned_actors);
}

#[test]
fn a_list_after_victims_include_takes_every_name_whatever_joins_them() {
    let f = facts(
        "",
        &[
            "Other victims that disclosed breaches tied to the file-transfer attacks include the U.S. state of Ruritania, \
           Fabrikam Payroll (along with its customers Contoso Air and Northwind Foods), Tailspin, the government of Port Azure, \
           the Woodgrove Board of Medicine, and Litware Networks.",
        ],
    );
    for v in [
        "state of Ruritania",
        "Fabrikam Payroll",
        "Contoso Air",
        "Northwind Foods",
        "Tailspin",
        "government of Port Azure",
        "Woodgrove Board of Medicine",
        "Litware Networks",
    ] {
        assert!(f.victims.iter().any(|x| x == v), "{v} missing from {:?}", f.victims);
    }
}

#[test]
fn victims_named_around_actors_products_and_abbreviations() {
    let f = facts(
        "",
        &[
            "The Clop gang claims to have stolen data from Tailwind Transfer systems of another industry giant, Fabrikam Energy.",
            "Yesterday, the Contoso City Department of Education admitted that Clop stole records of 45,000 students.",
            "Northwind subsidiaries Adatum, Proseware, and Wingtip & Co. each disclosed unauthorized access to a customer database.",
            "The hackers exploited flaws impacting Litware Gateway software and stole data from Fabrikam Cloud instances.",
            "Marks & Spencer confirmed a cyberattack in April, and M&S was hit again in May.",
            "The crew has been targeting Tailspin Cloud customers and extorting Litware Vault data-theft victims.",
            "The intruders breached Woodgrove Bank and its customers.",
        ],
    );
    for v in [
        "Woodgrove Bank",
        "Fabrikam Energy",
        "Contoso City Department of Education",
        "Adatum",
        "Proseware",
        "Wingtip & Co",
        "Marks & Spencer",
    ] {
        assert!(f.victims.iter().any(|x| x == v), "{v} missing from {:?}", f.victims);
    }
    for not in ["Tailwind Transfer", "Litware Gateway", "Fabrikam Cloud", "M&S", "Tailspin Cloud", "Litware Vault"] {
        assert!(!f.victims.iter().any(|x| x == not), "{not} is not a victim: {:?}", f.victims);
    }
}

#[test]
fn responders_research_findings_count_and_declining_to_comment_does_not() {
    let f = facts(
        "",
        &[
            "Both the Justice Department and the FBI declined to comment on the breach.",
            "Contoso Labs has also revealed that the hackers use a custom tool to watch network traffic.",
            "The Ruritanian Computer Emergency Response Team (CERT-RU) said it is investigating; CERT-RU shared indicators.",
            "In May, the Department of the Treasury's Office of Foreign Assets Control (OFAC) said it is investigating payments to the hackers.",
        ],
    );
    assert!(!f.responders.iter().any(|r| r == "Justice Department" || r == "FBI"), "{:?}", f.responders);
    assert!(f.responders.iter().any(|r| r == "Contoso Labs"), "{:?}", f.responders);
    let cert: Vec<&String> = f.responders.iter().filter(|r| r.contains("CERT-RU")).collect();
    assert_eq!(cert.len(), 1, "a body and its acronym are one responder: {:?}", f.responders);
    assert!(
        f.responders.iter().any(|r| r.ends_with("Office of Foreign Assets Control (OFAC)")),
        "a body's name is not cut at a title-like word: {:?}",
        f.responders
    );
    // A government that only sanctions or condemns does not respond to the
    // incident (annotation guidelines); one that investigates does.
    let f = facts(
        "",
        &[
            "In May, the Treasury sanctioned a firm tied to the hackers, and the Department of State offered a reward for them.",
        ],
    );
    assert!(f.responders.is_empty(), "{:?}", f.responders);
}

#[test]
fn crippled_units_titles_that_run_on_and_initials_of_a_bodys_last_words() {
    let f = facts(
        "",
        &[
            "The chief executive said the hackers who crippled its Fabrikam Claims unit used stolen credentials.",
            "Ruritania's National Cyber Agency is investigating the attack with the police.",
            "NCA Director General Ann Other said the NCA had seized the servers.",
        ],
    );
    assert!(f.victims.iter().any(|v| v == "Fabrikam Claims"), "{:?}", f.victims);
    assert_eq!(
        f.responders.iter().filter(|r| r.contains("National Cyber Agency") || r.starts_with("NCA")).count(),
        1,
        "one body, not its initials or its director: {:?}",
        f.responders
    );
}

#[test]
fn parties_in_roles_the_parse_gives_and_tools_places_and_self_investigation_are_not() {
    let f = facts(
        "Carriers breached",
        &[
            "The Quokka gang added Northwind Freight to its list of victims on Friday. \
             Organizations that disclosed breaches in the campaign include Contoso, Litware and Tailspin Toys.",
            "The crew deployed custom malware named Pebblerat. \
             Investigators found Pebblerat on servers in Mexico and the Americas.",
            "Litware said it is investigating the incident, and Litware's security team hired Proseware.",
        ],
    );
    for v in ["Northwind Freight", "Contoso", "Litware", "Tailspin Toys"] {
        assert!(f.victims.iter().any(|x| x == v), "{v} missing from {:?}", f.victims);
    }
    for not in ["Carriers", "Pebblerat", "Mexico", "Americas"] {
        assert!(!f.victims.iter().any(|x| x == not), "{not} is not a victim: {:?}", f.victims);
    }
    assert!(f.responders.iter().any(|x| x == "Proseware"), "{:?}", f.responders);
    // Litware investigates through its own security team: a responder and a victim.
    assert!(f.responders.iter().any(|x| x == "Litware"), "{:?}", f.responders);
}
