//! Recognising threat actors in text: every name of the knowledge base, and
//! names that follow a vendor's naming scheme or that the text introduces
//! ("a group tracked as UNC9999", "the ransomware gang Tinderbox").
//!
//! Naming schemes (the state a scheme implies is an attribution by that vendor):
//! - Microsoft: `<Word> Typhoon` China, `Blizzard` Russia, `Sandstorm` Iran,
//!   `Sleet` North Korea, `Tempest` financially motivated, `Cyclone`
//!   Vietnam, `Hail` Lebanon, `Dust` Turkey; `Storm-NNNN` and the older
//!   `DEV-NNNN` for groups still being tracked.
//! - CrowdStrike: `<Word> Panda` China, `Bear` Russia, `Kitten` Iran,
//!   `Chollima` North Korea, `Tiger` India, `Leopard` Pakistan, `Spider`
//!   criminal, `Jackal` hacktivist.
//! - Mandiant: `APTnn`, `UNCnnnn`, `FINnn`, `TEMP.Name`.
//! - Proofpoint: `TAnnn`. Secureworks: `BRONZE|IRON|COBALT|NICKEL|GOLD|TIN|... WORD`.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use crate::extract::lexicon;
use crate::kb::{ActorId, KnowledgeBase};

/// Microsoft's family words and the state each implies.
const WEATHER: &[(&str, Option<&str>)] = &[
    ("Typhoon", Some("China")),
    ("Blizzard", Some("Russia")),
    ("Sandstorm", Some("Iran")),
    ("Sleet", Some("North Korea")),
    ("Cyclone", Some("Vietnam")),
    ("Hail", Some("Lebanon")),
    ("Dust", Some("Turkey")),
    ("Tempest", None),
];

/// CrowdStrike's animals and the state each implies.
const ANIMALS: &[(&str, Option<&str>)] = &[
    ("Panda", Some("China")),
    ("Bear", Some("Russia")),
    ("Kitten", Some("Iran")),
    ("Chollima", Some("North Korea")),
    ("Tiger", Some("India")),
    ("Leopard", Some("Pakistan")),
    ("Spider", None),
    ("Jackal", None),
];

/// Words that, near an everyday-word name, show it names a group.
pub const GROUP_CONTEXT: &[&str] = &[
    "group",
    "groups",
    "gang",
    "gangs",
    "hackers",
    "hacker",
    "hacking",
    "actor",
    "actors",
    "crew",
    "ransomware",
    "apt",
    "threat",
    "operators",
    "affiliates",
    "affiliate",
    "espionage",
    "cybercriminal",
    "cybercriminals",
    "extortion",
    "attackers",
    "state-sponsored",
    "state-backed",
    "cyberespionage",
    "intrusion",
    "intrusions",
];

/// A threat actor named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorMention {
    /// The name as written (knowledge-base spelling when it matched one).
    pub name: String,
    /// The knowledge-base actor, when the name is known.
    pub actor: Option<ActorId>,
    /// The state a naming scheme implies, if any.
    pub scheme_state: Option<&'static str>,
    /// Byte offset in the sentence.
    pub at: usize,
}

/// Finds actor names; build once per knowledge base.
pub struct Recognizer {
    names: AhoCorasick,
    /// For each pattern: the written name, the actor, needs context.
    entries: Vec<(String, ActorId, bool)>,
}

impl Recognizer {
    pub fn new(kb: &KnowledgeBase) -> Recognizer {
        let mut entries: Vec<(String, ActorId, bool)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (name, id, ctx) in kb.all_names() {
            // Two letters name nothing reliably; a name must hold a letter.
            if name.chars().filter(|c| c.is_alphanumeric()).count() < 3 || !name.chars().any(char::is_alphabetic) {
                continue;
            }
            if seen.insert(name.to_lowercase()) {
                entries.push((name.to_string(), id, ctx));
            }
        }
        let names = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(entries.iter().map(|(n, _, _)| n.as_str()))
            .expect("actor names build an automaton");
        Recognizer { names, entries }
    }

    /// Actor names in one sentence, in order.
    pub fn find(&self, kb: &KnowledgeBase, sentence: &str) -> Vec<ActorMention> {
        let mut out: Vec<ActorMention> = Vec::new();
        let has_context = std::cell::OnceCell::new();
        let has_context = || *has_context.get_or_init(|| has_group_context(sentence));
        for m in self.names.find_iter(sentence) {
            let (name, id, ctx) = &self.entries[m.pattern().as_usize()];
            let written = &sentence[m.start()..m.end()];
            if !word_bounded(sentence, m.start(), m.end()) || !case_fits(name, written) || (*ctx && !has_context()) {
                continue;
            }
            out.push(ActorMention {
                name: written_or_known(written, name),
                actor: Some(*id),
                scheme_state: scheme_state(name),
                at: m.start(),
            });
        }
        let schemed = if SCHEME_CUES.is_match(sentence) { scheme_names(sentence) } else { Vec::new() };
        for (at, name) in schemed.into_iter().chain(introduced_names(sentence, &has_context)) {
            if out.iter().any(|o| at < o.at + o.name.len() && o.at < at + name.len()) {
                continue;
            }
            let actor = kb.resolve(&name);
            out.push(ActorMention { scheme_state: scheme_state(&name), name, actor, at });
        }
        out.sort_by_key(|m| m.at);
        out
    }
}

/// A word of [`GROUP_CONTEXT`] in the sentence, as a whole word.
fn has_group_context(sentence: &str) -> bool {
    static WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasickBuilder::new().ascii_case_insensitive(true).build(GROUP_CONTEXT).expect("context words build")
    });
    WORDS.find_overlapping_iter(sentence).any(|m| word_bounded(sentence, m.start(), m.end()))
}

/// Literal parts of scheme names, case as written: a sentence without one names none.
static SCHEME_CUES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let mut words: Vec<String> =
        WEATHER.iter().chain(ANIMALS).flat_map(|(w, _)| [w.to_string(), w.to_uppercase()]).collect();
    words.extend(
        [
            "Storm-",
            "DEV-",
            "Dev-",
            "APT",
            "UNC",
            "FIN",
            "TA",
            "TEMP.",
            "BRONZE ",
            "IRON ",
            "COBALT ",
            "NICKEL ",
            "GOLD ",
            "TIN ",
            "ZINC ",
            "PLATINUM ",
            "CARBON ",
            "COPPER ",
            "ALUMINUM ",
            "TUNGSTEN ",
        ]
        .map(String::from),
    );
    AhoCorasick::new(words).expect("scheme cues build an automaton")
});

/// The written form, unless it is all lower case (then the known spelling).
fn written_or_known(written: &str, known: &str) -> String {
    if written.chars().any(char::is_uppercase) { written.to_string() } else { known.to_string() }
}

/// The match is a whole word (not "Hive" inside "Archive").
fn word_bounded(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric() || c == '-') && !after.is_some_and(|c| c.is_alphanumeric())
}

/// A name with capitals must be written with a capital first letter
/// ("Lazarus", "LAZARUS", not "lazarus"); "0ktapus"-like names pass as written.
fn case_fits(known: &str, written: &str) -> bool {
    let first_known = known.chars().find(|c| c.is_alphabetic());
    let first_written = written.chars().find(|c| c.is_alphabetic());
    match (first_known, first_written) {
        (Some(k), Some(w)) if k.is_uppercase() => w.is_uppercase(),
        _ => true,
    }
}

/// The state a vendor's naming scheme implies for a name.
pub fn scheme_state(name: &str) -> Option<&'static str> {
    let last = name.split_whitespace().last()?;
    WEATHER
        .iter()
        .chain(ANIMALS)
        .find(|(w, _)| w.eq_ignore_ascii_case(last) && name.split_whitespace().count() == 2)
        .and_then(|(_, s)| *s)
}

/// Names that follow a vendor scheme.
fn scheme_names(sentence: &str) -> Vec<(usize, String)> {
    static IDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?-u:\b)(?:(?:Storm|DEV|Dev)-\d{3,4}|APT-?\d{1,3}|UNC\d{3,5}|FIN\d{1,2}|TA\d{3,4}|TEMP\.[A-Z][a-z]+|(?:BRONZE|IRON|COBALT|NICKEL|GOLD|TIN|ZINC|PLATINUM|CARBON|COPPER|ALUMINUM|TUNGSTEN) [A-Z]{4,})(?-u:\b)",
        )
        .expect("valid regex")
    });
    let families = 2 * (WEATHER.len() + ANIMALS.len());
    let mut out = Vec::new();
    let mut ids = false;
    for m in SCHEME_CUES.find_iter(sentence) {
        if m.pattern().as_usize() >= families {
            ids = true;
            continue;
        }
        // A family word: the name is the capitalised word right before it.
        if !super::ends_word(sentence, m.end()) {
            continue;
        }
        let Some(before) = sentence[..m.start()].strip_suffix(' ') else { continue };
        let start =
            before.char_indices().rev().find(|(_, c)| !c.is_alphanumeric()).map_or(0, |(i, c)| i + c.len_utf8());
        let first = &before[start..];
        let shaped = first.len() >= 2
            && first.starts_with(|c: char| c.is_ascii_uppercase())
            && (first[1..].chars().all(|c| c.is_ascii_lowercase())
                || first.len() >= 3 && first.chars().all(|c| c.is_ascii_uppercase()));
        // "The Bear", "Chinese Panda", "Teddy Bear" are not group names.
        if shaped && !NOT_A_FIRST_WORD.contains(&first.to_ascii_lowercase().as_str()) {
            out.push((start, sentence[start..m.end()].to_string()));
        }
    }
    if ids {
        out.extend(IDS.find_iter(sentence).map(|m| (m.start(), m.as_str().to_string())));
        out.sort_by_key(|(at, _)| *at);
    }
    out
}

/// Words that cannot start a scheme name.
const NOT_A_FIRST_WORD: &[&str] = &[
    "the", "a", "an", "this", "that", "teddy", "polar", "brown", "black", "white", "giant", "red", "chinese",
    "russian", "iranian", "korean", "north", "great", "big", "little", "mama", "papa", "baby", "winter", "snow",
    "super", "tropical", "severe", "dust", "sand", "ice", "his", "her", "its", "their", "our", "my", "your",
];

/// Names the text introduces for a group: "known as X", "dubbed X",
/// "tracked as X", "calls itself X", "the ransomware gang X", "X ransomware gang".
fn introduced_names(sentence: &str, has_context: &dyn Fn() -> bool) -> Vec<(usize, String)> {
    static INTRO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?:(?-u:\b)(?:known as|dubbed|tracked as|tracks as|calls itself|calling itself|named|called|going by)\s+["“']?|(?-u:\b)(?:ransomware|extortion|hacking|hacker|cybercrime|cybercriminal|threat|hacktivist) (?:gang|group|crew|actor|cartel|collective|outfit|operation)s?,?\s+)((?:[A-Z][\w$.()-]*|\d\w*)(?:\s+(?:[A-Z][\w$.()-]*|\d\w*)){0,2})"#,
        )
        .expect("valid regex")
    });
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)((?:[A-Z][\w$-]*)(?:\s+[A-Z][\w$-]*)?) (?:ransomware|extortion) (?:gang|group|crew|operation|cartel|operators|affiliates?)(?-u:\b)")
            .expect("valid regex")
    });
    let mut out = Vec::new();
    static CUES: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build([
                "known as",
                "dubbed",
                "tracked as",
                "tracks as",
                "calls itself",
                "calling itself",
                "named",
                "called",
                "going by",
                "ransomware",
                "extortion",
                "hacking",
                "hacker",
                "cybercrim",
                "threat",
                "hacktivist",
            ])
            .expect("introduction cues build an automaton")
    });
    if !CUES.is_match(sentence) || !INTRO.is_match(sentence) && !BEFORE.is_match(sentence) || !has_context() {
        return out;
    }
    for c in INTRO.captures_iter(sentence).chain(BEFORE.captures_iter(sentence)) {
        let m = c.get(1).expect("group 1");
        let (mut at, mut name) = (m.start(), m.as_str().trim_end_matches(['.', ',', ')', '"', '”', '\'']));
        if let Some(rest) = name.strip_prefix("The ") {
            (at, name) = (at + 4, rest);
        }
        let first = name.split_whitespace().next().unwrap_or("");
        // "custom malware named X", "the program, at the time called X":
        // the name of a tool, not a group.
        let before = &sentence[..c.get(0).expect("group 0").start()];
        let lead: Vec<&str> = before.split_whitespace().rev().take(5).collect();
        let tool = lead.iter().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            lexicon::TOOL_HEADS.contains(&w.as_str()) || lexicon::PRODUCT_NOUNS.contains(&w.as_str())
        });
        if tool {
            continue;
        }
        // "a flaw tracked as CVE-2023-1234" names a vulnerability, not a group.
        let vulnerability = name.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("cve-"));
        if name.len() < 3
            || vulnerability
            || NOT_A_FIRST_WORD.contains(&first.to_lowercase().as_str())
            || INTRO_STOP.contains(&first)
        {
            continue;
        }
        out.push((at, name.to_string()));
    }
    out
}

/// Capitalised words that follow "called" or "named" without naming a group.
const INTRO_STOP: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "It",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "They",
    "We",
    "Microsoft",
    "Google",
    "Mandiant",
    "CrowdStrike",
    "Reuters",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Operation",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Builder, Cluster, Origin};

    fn kb() -> KnowledgeBase {
        let mut b = Builder::new();
        let mut ash = Cluster::new(Origin::Curated, "Ash Typhoon");
        ash.aliases = vec![("Ash Panda".into(), Some("CrowdStrike".into())), ("UNC9001".into(), None)];
        b.add(ash);
        let mut spark = Cluster::new(Origin::Curated, "Tinderbox");
        spark.aliases = vec![("Spark".into(), None)];
        spark.context_names = vec!["Spark".into()];
        b.add(spark);
        b.add(Cluster::new(Origin::Curated, "Hive"));
        b.build()
    }

    fn names(sentence: &str) -> Vec<String> {
        let kb = kb();
        Recognizer::new(&kb).find(&kb, sentence).into_iter().map(|m| m.name).collect()
    }

    #[test]
    fn knowledge_base_names_match_whole_words_with_a_capital() {
        assert_eq!(
            names("Investigators linked Ash Typhoon, also tracked as UNC9001, to the intrusion."),
            ["Ash Typhoon", "UNC9001"]
        );
        assert_eq!(names("The archive was hived off, said the ash typhoon report."), Vec::<String>::new());
        assert_eq!(names("ASH PANDA returned."), ["ASH PANDA"]);
    }

    #[test]
    fn everyday_word_names_need_group_context() {
        assert_eq!(names("Spark plugs were sold out."), Vec::<String>::new());
        assert_eq!(names("The Spark ransomware gang posted the data."), ["Spark"]);
    }

    #[test]
    fn microsoft_weather_names_and_storm_numbers() {
        assert_eq!(
            names("Microsoft attributed it to Granite Typhoon and to Storm-2077."),
            ["Granite Typhoon", "Storm-2077"]
        );
        assert_eq!(
            names("It matched Cobalt Blizzard, Ember Sandstorm, Quill Sleet and Mirth Tempest."),
            ["Cobalt Blizzard", "Ember Sandstorm", "Quill Sleet", "Mirth Tempest"]
        );
        assert_eq!(names("An older report called it DEV-0999."), ["DEV-0999"]);
        assert_eq!(scheme_state("Granite Typhoon"), Some("China"));
        assert_eq!(scheme_state("Cobalt Blizzard"), Some("Russia"));
        assert_eq!(scheme_state("Ember Sandstorm"), Some("Iran"));
        assert_eq!(scheme_state("Quill Sleet"), Some("North Korea"));
        assert_eq!(scheme_state("Mirth Tempest"), None);
    }

    #[test]
    fn a_scheme_name_after_a_curly_quote() {
        assert_eq!(names("The group, known as the \u{201c}Cinder Blizzard\u{201d} crew, struck."), ["Cinder Blizzard"]);
        assert_eq!(names("\u{2018}Ash\u{2019} Typhoon\u{2014}Lunar Panda"), ["Lunar Panda"]);
    }

    #[test]
    fn crowdstrike_animals() {
        assert_eq!(
            names("CrowdStrike calls the crew Lantern Panda; others blame Frost Bear or Garnet Kitten."),
            ["Lantern Panda", "Frost Bear", "Garnet Kitten"]
        );
        assert_eq!(names("Reports named Paper Chollima and Velvet Spider."), ["Paper Chollima", "Velvet Spider"]);
        assert_eq!(scheme_state("Paper Chollima"), Some("North Korea"));
        assert_eq!(names("A teddy bear and a Giant Panda were on sale."), Vec::<String>::new());
    }

    #[test]
    fn mandiant_proofpoint_and_secureworks_names() {
        assert_eq!(
            names("Mandiant tracks APT99, UNC7777 and FIN42; Proofpoint tracks TA4242."),
            ["APT99", "UNC7777", "FIN42", "TA4242"]
        );
        assert_eq!(names("Secureworks calls it BRONZE MARIGOLD."), ["BRONZE MARIGOLD"]);
    }

    #[test]
    fn names_the_text_introduces() {
        assert_eq!(names("A group known as Quiet Lynx claimed the attack."), ["Quiet Lynx"]);
        assert_eq!(names("The hackers, dubbed Paper Lantern, stole mail."), ["Paper Lantern"]);
        assert_eq!(names("The ransomware gang Kestrel listed the firm on its leak site."), ["Kestrel"]);
        assert_eq!(names("The Kestrel ransomware group listed the firm."), ["Kestrel"]);
        assert_eq!(names("The ransomware gang exploited a flaw tracked as CVE-2023-34362."), Vec::<String>::new());
        // No group context: "called" names nothing here.
        assert_eq!(names("The product is called Orion Suite."), Vec::<String>::new());
    }

    #[test]
    fn tools_and_products_the_text_names_are_not_groups() {
        // Group context is there ("hackers", "threat actors"); the name is a tool's.
        for s in [
            "The threat actors deployed custom malware named Quillrat on the routers.",
            "Hackers exploited the same program, at the time called Orion Secure, to reach the agencies.",
            "The hacking group used a backdoor dubbed Paper Kite.",
        ] {
            assert_eq!(names(s), Vec::<String>::new(), "{s}");
        }
    }
}
