use std::path::{Path, PathBuf};

use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/knowledge").join(name)
}

fn mini() -> KnowledgeBase {
    KnowledgeBase::load(
        Some(&fixture("mini-actors.toml")),
        &[fixture("mini-attack.stix.json")],
        &[fixture("mini-misp.json")],
    )
    .unwrap()
}

fn names(kb: &KnowledgeBase, id: ActorId) -> Vec<&str> {
    kb.actor(id).names.iter().map(|n| n.name.as_str()).collect()
}

#[test]
fn stix_importer_reads_aliases_campaigns_and_skips_revoked_objects() {
    let clusters = stix::parse(&std::fs::read_to_string(fixture("mini-attack.stix.json")).unwrap()).unwrap();
    let quartz = clusters.iter().find(|c| c.name == "Quartz Typhoon").unwrap();
    assert_eq!(quartz.origin, Origin::Attack("G9002".into()));
    let aliases: Vec<&str> = quartz.aliases.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(aliases, ["BRONZE LANTERN", "Lantern Panda", "DEV-9001"]);
    assert_eq!(quartz.campaigns.len(), 1);
    assert_eq!(quartz.campaigns[0].name, "Operation Lantern Walk");
    assert_eq!(quartz.campaigns[0].first_seen.as_deref(), Some("2023-01-15"));
    assert!(clusters.iter().all(|c| c.name != "Retired Crew"));
}

#[test]
fn misp_importer_reads_synonyms_sponsor_sectors_and_related() {
    let clusters = misp::parse(&std::fs::read_to_string(fixture("mini-misp.json")).unwrap()).unwrap();
    let pale = clusters.iter().find(|c| c.name == "PaleEmperor").unwrap();
    assert_eq!(pale.sponsor.as_deref(), Some("CN"));
    assert_eq!(pale.related, ["Quartz Typhoon"]);
    let quartz = clusters.iter().find(|c| c.name == "Quartz Typhoon").unwrap();
    assert_eq!(quartz.sponsor.as_deref(), Some("China"));
    assert_eq!(quartz.sectors, ["Government", "Energy"]);
}

#[test]
fn same_name_merges_and_each_alias_keeps_its_sources() {
    let kb = mini();
    let quartz = kb.resolve("bronze lantern").unwrap();
    assert_eq!(kb.actor(quartz).name, "Quartz Typhoon");
    assert_eq!(kb.resolve("Storm-9001"), Some(quartz), "MISP's alias joins ATT&CK's group of the same name");
    let lantern = kb.actor(quartz).names.iter().find(|n| n.name == "BRONZE LANTERN").unwrap();
    assert_eq!(lantern.origins, [Origin::Attack("G9002".into()), Origin::Misp("Quartz Typhoon".into())]);
    assert_eq!(kb.actor(quartz).sponsor(), Some("China"));
    assert_eq!(kb.actor(quartz).sectors, ["government", "energy"]);
    assert_eq!(kb.actor(quartz).campaigns[0].name, "Operation Lantern Walk");
}

#[test]
fn a_shared_alias_is_a_conflict_not_a_merge() {
    let kb = mini();
    let ash = kb.resolve("Ash Typhoon").unwrap();
    let pale = kb.resolve("PaleEmperor").unwrap();
    assert_ne!(ash, pale, "MISP filing Ash Typhoon under PaleEmperor must not merge the two");
    assert_eq!(names(&kb, ash), ["Ash Typhoon", "Ash Panda"]);
    assert_eq!(kb.lookup("ash typhoon"), [ash, pale], "the group whose own name it is comes first");
    let conflicts = kb.conflicts(pale);
    assert_eq!(conflicts, [Conflict { name: "Ash Typhoon".into(), actors: vec![ash, pale] }]);
    let claim = kb.actor(pale).names.iter().find(|n| n.name == "Ash Typhoon").unwrap();
    assert_eq!(claim.origins, [Origin::Misp("PaleEmperor".into())]);
    // ATT&CK's Ash Typhoon (no aliases) joins breachdesk's entry by name.
    let own = kb.actor(ash).names.iter().find(|n| n.name == "Ash Typhoon").unwrap();
    assert_eq!(own.origins, [Origin::Curated, Origin::Attack("G9001".into())]);
}

#[test]
fn everyday_words_need_context() {
    let kb = mini();
    let flags: Vec<(&str, bool)> = kb.all_names().map(|(n, _, c)| (n, c)).collect();
    assert!(flags.contains(&("Spark", true)), "listed in context_names");
    assert!(flags.contains(&("Mirage", true)), "a plain word from an imported file");
    assert!(flags.contains(&("Tinderbox", false)));
    assert!(flags.contains(&("BRONZE LANTERN", false)));
}

#[test]
fn country_names_normalise() {
    assert_eq!(country_name("CN"), Some("China"));
    assert_eq!(country_name("Iran (Islamic Republic of)"), Some("Iran"));
    assert_eq!(country_name("Korea (Democratic People's Republic of)"), Some("North Korea"));
    assert_eq!(country_name("Russian Federation"), Some("Russia"));
    assert_eq!(country_name("Atlantis"), None);
}

#[test]
fn bad_files_are_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("actors.toml");
    std::fs::write(&bad, "[[actor]]\nname = \"X\"\nkind = \"pirate\"\n").unwrap();
    let e = KnowledgeBase::load(Some(&bad), &[] as &[PathBuf], &[] as &[PathBuf]).unwrap_err().to_string();
    assert!(e.contains("actors.toml") && e.contains("pirate"), "{e}");
    let missing = dir.path().join("nope.json");
    let e = KnowledgeBase::load(None, &[missing], &[] as &[PathBuf]).unwrap_err().to_string();
    assert!(e.contains("nope.json"), "{e}");
    let notstix = dir.path().join("x.json");
    std::fs::write(&notstix, "{\"type\": \"campaign\"}").unwrap();
    let e = KnowledgeBase::load(None, &[notstix], &[] as &[PathBuf]).unwrap_err().to_string();
    assert!(e.contains("not a STIX bundle"), "{e}");
}

#[test]
fn the_bundled_list_loads_with_every_required_group() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/actors.toml");
    let kb = KnowledgeBase::load(Some(&path), &[] as &[PathBuf], &[] as &[PathBuf]).unwrap();
    assert!(kb.actors().len() >= 60, "{} groups", kb.actors().len());
    for name in [
        "Salt Typhoon",
        "Volt Typhoon",
        "Flax Typhoon",
        "Storm-0558",
        "Midnight Blizzard",
        "APT29",
        "Fancy Bear",
        "APT28",
        "Sandworm",
        "Lazarus",
        "Kimsuky",
        "Charming Kitten",
        "APT35",
        "Scattered Spider",
        "ShinyHunters",
        "Cl0p",
        "FIN11",
        "LockBit",
        "BlackCat",
        "ALPHV",
        "REvil",
        "DarkSide",
        "Conti",
    ] {
        assert!(kb.resolve(name).is_some(), "{name} missing");
    }
    assert_eq!(kb.resolve("APT29"), kb.resolve("Midnight Blizzard"));
    assert_eq!(kb.resolve("Clop"), kb.resolve("FIN11"));
    // Every name belongs to one group in our own list.
    for a in kb.actors() {
        for n in &a.names {
            assert_eq!(kb.lookup(&n.name).len(), 1, "{} is claimed twice", n.name);
        }
    }
}

/// The real files in ../shared/knowledge, when present (they are in CI).
fn shared(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/knowledge").join(name);
    p.exists().then_some(p)
}

#[test]
fn real_attack_and_misp_files_import_and_keep_their_disagreement() {
    let (Some(attack), Some(misp)) = (shared("attack-intrusion-sets.stix.json"), shared("misp-threat-actor.json"))
    else {
        eprintln!("../shared/knowledge is absent; skipped");
        return;
    };
    let curated = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/actors.toml");
    let kb = KnowledgeBase::load(Some(&curated), &[attack], &[misp]).unwrap();
    let volt = kb.resolve("BRONZE SILHOUETTE").unwrap();
    assert_eq!(kb.actor(volt).name, "Volt Typhoon");
    assert_eq!(kb.resolve("Storm-0391"), Some(volt));
    let salt = kb.resolve("Salt Typhoon").unwrap();
    let ghost = kb.resolve("GhostEmperor").unwrap();
    assert_ne!(salt, ghost);
    assert_eq!(kb.lookup("Salt Typhoon")[0], salt);
    assert!(kb.conflicts(ghost).iter().any(|c| c.name == "Salt Typhoon" && c.actors.contains(&salt)));
    let claim = kb.actor(ghost).names.iter().find(|n| n.name == "Salt Typhoon").unwrap();
    assert_eq!(claim.origins, [Origin::Misp("GhostEmperor".into())]);
    // ATT&CK's own entry for Salt Typhoon has no aliases but joins ours.
    assert!(kb.actor(salt).names[0].origins.iter().any(|o| matches!(o, Origin::Attack(id) if id == "G1045")));
    assert!(kb.actors().len() > 900, "{}", kb.actors().len());
}

#[test]
fn places_are_countries_their_people_and_regions_not_names_holding_them() {
    for p in [
        "US",
        "U.S.",
        "U.S",
        "USA",
        "UK",
        "U.K.",
        "U.K",
        "EU",
        "United States",
        "United Kingdom",
        "America",
        "Europe",
        "China",
        "North Korea",
        "Ukraine",
        "Mexico",
        "Hong Kong",
        "Lithuania",
        "the Americas",
        "Southeast Asian",
        "North American",
        "European",
        "Asian",
        "Ukrainians",
        "Thai",
    ] {
        assert!(is_place(p), "{p} is a place");
    }
    for n in ["BORN Ontario", "Air France", "Louisiana", "Contoso", "American Board of Internal Medicine"] {
        assert!(!is_place(n), "{n} is not only a place");
    }
}
