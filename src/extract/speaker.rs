//! Speakers: cleaning a subject phrase into a name, splitting titles and
//! appositions from names, and the normalised key under which "the FBI",
//! "FBI" and "Federal Bureau of Investigation" group together.

use super::lexicon::{
    ANONYMOUS, BODY_HEADS, COMPANY_ROLES, DOCUMENT_HEADS, FEMALE_GIVEN_NAMES, FEMALE_MARKERS, MALE_GIVEN_NAMES,
    MALE_MARKERS, NAMED_BODIES, PEOPLE_NOUNS, PERSON_TITLES, PUBLIC_ROLES, SPOKESPEOPLE, TITLES, is_org_role,
};
use crate::nlp::{Deprel, Sentence, Upos};

/// Words that open a noun phrase without naming anything.
const DETERMINERS: &[&str] =
    &["the", "a", "an", "both", "also", "its", "their", "his", "her", "this", "that", "these", "those", "then"];

/// Full names of bodies often written as acronyms, for the speaker key.
const KNOWN_ACRONYMS: &[(&str, &str)] = &[
    ("federal bureau of investigation", "fbi"),
    ("department of justice", "doj"),
    ("justice department", "doj"),
    ("us department of justice", "doj"),
    ("cybersecurity and infrastructure security agency", "cisa"),
    ("national security agency", "nsa"),
    ("national crime agency", "nca"),
    ("national cyber security centre", "ncsc"),
    ("securities and exchange commission", "sec"),
    ("office of foreign assets control", "ofac"),
    ("department of homeland security", "dhs"),
    ("information commissioner office", "ico"),
];

/// The key under which one speaker's statements group together: lower case,
/// no articles or punctuation, known bodies reduced to their acronym.
pub fn speaker_key(name: &str) -> String {
    // "Northwind Data Systems (NDS)" is keyed by its full name.
    let name = match name.find(" (") {
        Some(i) if name.ends_with(')') => &name[..i],
        _ => name,
    };
    // One pass: lower-case words of letters, digits, '&' and '-', without
    // articles or a possessive "s"; "U.S." reads as "us".
    let mut key = String::with_capacity(name.len());
    let mut word = String::new();
    let flush = |word: &mut String, key: &mut String| {
        if !word.is_empty() && !matches!(word.as_str(), "the" | "a" | "an" | "s") {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(word);
        }
        word.clear();
    };
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '&' || c == '-' {
            word.extend(c.to_lowercase());
        } else if c == '.' && word.len() == 1 && chars.peek().is_some_and(|n| n.is_alphabetic()) {
            // Inside an abbreviation such as "U.S.": keep reading the same word.
        } else {
            flush(&mut word, &mut key);
        }
    }
    flush(&mut word, &mut key);
    if key.contains(' ') {
        let bare = key.strip_prefix("us ").unwrap_or(&key);
        if let Some((_, short)) = KNOWN_ACRONYMS.iter().find(|(full, _)| *full == key || *full == bare) {
            return short.to_string();
        }
    }
    key
}

/// A word that starts with a capital letter or digit (a name's part).
pub fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

fn lower(w: &str) -> String {
    w.to_lowercase()
        .trim_end_matches(['\'', '\u{2019}'])
        .trim_end_matches("'s")
        .trim_end_matches("\u{2019}s")
        .to_string()
}

pub fn is_title(w: &str) -> bool {
    SETS.titles.contains(lower(w).as_str())
}

/// What kind of thing a subject phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Person,
    Org,
    /// "he", "she"
    PersonPronoun,
    /// "it", "they", "the company", "the agency"
    OrgReference,
    /// "sources", "two people familiar with the matter"
    Anonymous,
    /// "researchers", "officials", "court documents"
    Group,
}

/// A speaker parsed from a subject phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub name: String,
    pub affiliation: Option<String>,
    pub kind: Kind,
}

/// Strip determiners and trailing punctuation from a phrase.
pub fn tidy(phrase: &str) -> String {
    let mut words: Vec<&str> = phrase.split_whitespace().collect();
    while words.first().is_some_and(|w| DETERMINERS.contains(&w.to_lowercase().as_str())) {
        words.remove(0);
    }
    words
        .join(" ")
        .trim_matches(|c: char| c == ',' || c == '.' || c == ';' || c == ':' || c.is_whitespace())
        .to_string()
}

/// Capitalised words that never name a speaker by themselves.
const NOT_NAMES: &[&str] = &[
    "some",
    "many",
    "most",
    "other",
    "others",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "however",
    "yet",
    "but",
    "and",
    "while",
    "when",
    "after",
    "before",
    "in",
    "on",
    "at",
    "as",
    "if",
    "today",
    "yesterday",
    "last",
    "earlier",
    "another",
    "each",
    "all",
    "both",
    "one",
    "two",
    "three",
    "several",
    "such",
    "what",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "it",
    "they",
    "we",
    "he",
    "she",
    "you",
    "i",
    "so",
    "also",
    "then",
    "now",
    "according",
    "based",
    "despite",
    "during",
    "following",
    "amid",
    "with",
    "without",
    "for",
    "from",
    "by",
    "to",
    "under",
    "over",
    "through",
    "although",
    "though",
    "because",
    "since",
    "until",
    "update",
    "note",
    "editor",
    "meanwhile",
    "furthermore",
    "additionally",
    "moreover",
    "instead",
    "still",
    "even",
    "only",
    "just",
    "now",
    "yes",
    "no",
];

/// A run of capitalised words as an organisation's name, or `None` when it
/// is a person, a title, a lone function word or an adjective. Cheaper than
/// [`parse`], for the many names a text mentions without quoting.
pub fn organisation_name(run: &str) -> Option<String> {
    let raw = run.trim();
    let (base, acronym) = match raw.rfind(" (") {
        Some(open) if raw.ends_with(')') => (&raw[..open], Some(&raw[open + 1..])),
        _ => (raw, None),
    };
    let name = strip_possessive(&tidy(base));
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = *words.first()?;
    if !is_capitalised(first) {
        return None;
    }
    let lows: Vec<String> = words.iter().map(|w| lower(w)).collect();
    if SETS.not_names.contains(lows[0].as_str()) || words.len() == 1 && is_adjective_like(first) {
        return None;
    }
    // "Acme CEO Dana Ruiz" is a person; "Information Commissioner's Office" is not.
    let org_words = lows
        .iter()
        .any(|l| SETS.public_words.contains(l.as_str()) || is_org_role(l.as_str()) || l.starts_with("cert-"));
    if !org_words && (lows.iter().any(|l| SETS.titles.contains(l.as_str())) || person_shape(&words, &lows)) {
        return None;
    }
    Some(match acronym {
        Some(a) => format!("{name} {a}"),
        None => name,
    })
}

/// The lexicons as sets, built once.
struct Sets {
    not_names: std::collections::HashSet<&'static str>,
    public_words: std::collections::HashSet<&'static str>,
    titles: std::collections::HashSet<&'static str>,
    org_words: std::collections::HashSet<&'static str>,
}

static SETS: std::sync::LazyLock<Sets> = std::sync::LazyLock::new(|| Sets {
    not_names: NOT_NAMES.iter().copied().collect(),
    public_words: PUBLIC_WORDS.iter().copied().collect(),
    titles: TITLES.iter().copied().collect(),
    org_words: ORG_WORDS.iter().copied().collect(),
});

/// A capitalised word that never names a speaker ("The", "However", "May").
pub fn is_not_a_name(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    NOT_NAMES.contains(&w.as_str()) && !matches!(w.as_str(), "he" | "she" | "it" | "they" | "we")
        || matches!(w.as_str(), "the" | "a" | "an")
}

/// Parse a subject phrase. Returns `None` when it cannot be a speaker.
pub fn parse(phrase: &str) -> Option<Parsed> {
    let raw = phrase.trim();
    // "Northwind Data Systems (NDS)": parse the name, keep the acronym.
    if let Some(open) = raw.rfind(" (")
        && raw.ends_with(')')
    {
        let acr = &raw[open + 2..raw.len() - 1];
        if acr.split_whitespace().all(is_capitalised) && !acr.is_empty() {
            let mut p = parse(&raw[..open])?;
            if matches!(p.kind, Kind::Org | Kind::Person) {
                p.name = format!("{} ({acr})", p.name);
            }
            return Some(p);
        }
    }
    let lowered = raw.to_lowercase().replace('\u{2019}', "'");
    let lowered = lowered.strip_suffix("'s").unwrap_or(&lowered).to_string();
    if NOT_NAMES.contains(&lowered.as_str()) && !matches!(lowered.as_str(), "he" | "she" | "it" | "they" | "we") {
        return None;
    }
    if matches!(lowered.as_str(), "he" | "she") {
        return Some(Parsed { name: lowered, affiliation: None, kind: Kind::PersonPronoun });
    }
    if matches!(lowered.as_str(), "it" | "they" | "we") {
        return Some(Parsed { name: lowered, affiliation: None, kind: Kind::OrgReference });
    }
    // "Mira Jansen, an analyst at Example Labs" and "The embassy's spokesperson, Ivo Marek".
    if let Some((a, b)) = raw.split_once(", ") {
        let (a, b) = (tidy(a), tidy(b));
        let name_first = looks_like_person(&a) && !looks_like_person(&b);
        let (name, role) = if name_first { (a, b) } else { (b, a) };
        if looks_like_person(&name) {
            let affiliation = affiliation_of_role(&role);
            return Some(Parsed { name, affiliation, kind: Kind::Person });
        }
    }
    // "A group known as Example Spider", "the crew dubbed Night Owl".
    for cue in [" known as ", " dubbed ", " called ", " tracked as ", " named "] {
        if let Some((head, name)) = raw.split_once(cue)
            && head.split_whitespace().count() <= 4
            && name.split_whitespace().next().is_some_and(is_capitalised)
        {
            let name = tidy(name.trim_matches(|c: char| c == '"' || c == '\u{201c}' || c == '\u{201d}'));
            return Some(Parsed { name, affiliation: None, kind: Kind::Org });
        }
    }
    let text = tidy(raw);
    if text.is_empty() || text.split_whitespace().count() > 10 {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let low: Vec<String> = words.iter().map(|w| lower(w)).collect();
    let head = low.last().cloned().unwrap_or_default();

    // "Example Labs' analysis of the leak", "analysis by Example Labs": the owner speaks.
    if let Some(i) = low.iter().position(|w| DOCUMENT_HEADS.contains(&w.as_str())) {
        if let Some(by) = low.iter().position(|w| w == "by").filter(|&b| b > i)
            && words.get(by + 1).is_some_and(|w| is_capitalised(w))
        {
            return parse(&words[by + 1..].join(" "));
        }
        let possessive = i > 0 && (words[i - 1].ends_with("'s") || words[i - 1].ends_with("\u{2019}s"));
        if possessive && is_capitalised(words[0]) {
            return Some(Parsed { name: strip_possessive(&words[..i].join(" ")), affiliation: None, kind: Kind::Org });
        }
    }
    // Unnamed people stay anonymous however the sentence capitalises them
    // ("Officials said", "U.S. officials said", "Two sources told").
    let names_someone = words.iter().enumerate().any(|(i, w)| {
        let common_first = i == 0 && is_common_word(&low[0]);
        is_capitalised(w) && !is_title(w) && !is_place_or_document(&strip_possessive(w)) && !common_first
    });
    if ANONYMOUS.iter().any(|a| lowered.contains(a)) && !names_someone {
        return Some(Parsed { name: text, affiliation: None, kind: Kind::Anonymous });
    }
    // "FBI Director Christopher Wray", "Acme Bank CEO Dana Ruiz".
    if let Some(first_title) = words.iter().position(|w| is_title(w))
        && let Some(last_title) = words.iter().rposition(|w| is_title(w))
    {
        let after = &words[last_title + 1..];
        let before = &words[..first_title];
        let org_like = is_public_body(&after.join(" ")) || after.iter().any(|w| is_org_role(lower(w).as_str()));
        if !after.is_empty() && after.len() <= 4 && after.iter().all(|w| is_capitalised(w)) && !org_like {
            let affiliation = (!before.is_empty()).then(|| strip_possessive(&before.join(" ")));
            return Some(Parsed { name: after.join(" "), affiliation, kind: Kind::Person });
        }
        if after.is_empty() {
            // "a Contoso spokesperson", "Fabrikam's security team": the body is the affiliation.
            let body = strip_possessive(&before.join(" "));
            let affiliation = (!body.is_empty() && before.iter().all(|w| is_capitalised(w))).then_some(body);
            if affiliation.is_some() || words.len() <= 3 {
                return Some(Parsed { name: text.clone(), affiliation, kind: Kind::Person });
            }
        }
    }
    // "Microsoft's security team": a body within an organisation.
    if words.len() >= 2
        && (words[0].ends_with("'s") || words[0].ends_with("\u{2019}s"))
        && is_capitalised(words[0])
        && words[1..].iter().all(|w| !is_capitalised(w))
    {
        let org = strip_possessive(words[0]);
        return Some(Parsed { name: text.clone(), affiliation: Some(org), kind: Kind::Org });
    }
    // "The Crimson Jackal ransomware gang", "the Night Owl group": a name, then what it is.
    if is_org_role(head.as_str())
        && is_capitalised(words[0])
        && !NOT_NAMES.contains(&low[0].as_str())
        && !is_adjective_like(words[0])
    {
        let run: Vec<&str> = words.iter().copied().take_while(|w| is_capitalised(w)).collect();
        if run.len() < words.len() {
            return Some(Parsed { name: strip_possessive(&run.join(" ")), affiliation: None, kind: Kind::Org });
        }
    }
    // "the company", "the Ukrainian agency", "the ransomware gang" (a lower-case
    // head: "the Ruritanian Embassy" is a name).
    let common_head = !is_capitalised(words[words.len() - 1]);
    if is_org_role(head.as_str())
        && common_head
        && words.iter().take(words.len() - 1).all(|w| !is_capitalised(w) || is_adjective_like(w))
    {
        return Some(Parsed { name: text, affiliation: None, kind: Kind::OrgReference });
    }
    let verb_first = low[0].ends_with("ing") || low[0].ends_with("ed");
    if common_head
        && !verb_first
        && words.len() <= 6
        && (PEOPLE_NOUNS.contains(&head.as_str()) || DOCUMENT_HEADS.contains(&head.as_str()))
    {
        // "court documents", "Other researchers", "the Example Labs press release".
        let caps: Vec<&str> = words.iter().copied().filter(|w| is_capitalised(w)).collect();
        let owner =
            (!caps.is_empty() && DOCUMENT_HEADS.contains(&head.as_str())).then(|| strip_possessive(&caps.join(" ")));
        if let Some(owner) = owner {
            return Some(Parsed { name: owner, affiliation: None, kind: Kind::Org });
        }
        // People nobody named ("critics", "Other researchers") are anonymous sources.
        let unnamed = caps.iter().all(|w| is_not_a_name(w));
        let kind = if PEOPLE_NOUNS.contains(&head.as_str()) && unnamed { Kind::Anonymous } else { Kind::Group };
        return Some(Parsed { name: text, affiliation: None, kind });
    }
    // "Cybersecurity firm Quiet Harbor", "Estonian lender Payvault": a descriptor, then the name.
    let tail = words.iter().rev().take_while(|w| is_capitalised(w) || matches!(**w, "&" | "of")).count();
    if tail > 0 && tail < words.len() && tail <= 4 {
        let head_words = &words[..words.len() - tail];
        let descriptive = head_words
            .iter()
            .all(|w| !is_capitalised(w) || is_adjective_like(w) || head_words.len() <= 2)
            && head_words.iter().any(|w| is_org_role(lower(w).as_str()) || w.contains('-') || head_words.len() <= 3);
        const PERSON_TITLES: &[&str] = &[
            "spokesperson",
            "spokesman",
            "spokeswoman",
            "director",
            "ceo",
            "president",
            "secretary",
            "minister",
            "commissioner",
            "chief",
            "executive",
            "officer",
            "head",
            "manager",
            "founder",
            "analyst",
            "researcher",
            "senator",
            "ambassador",
            "adviser",
            "advisor",
            "attorney",
            "general",
            "deputy",
        ];
        if descriptive && !head_words.iter().any(|w| PERSON_TITLES.contains(&lower(w).as_str())) {
            let name = words[words.len() - tail..].join(" ");
            if is_capitalised(&name) && !NOT_NAMES.contains(&name.to_lowercase().as_str()) {
                let kind = if looks_like_person(&name) { Kind::Person } else { Kind::Org };
                return Some(Parsed { name: strip_possessive(&name), affiliation: None, kind });
            }
        }
    }
    // A proper name: capitalised words joined by short function words.
    let proper = is_capitalised(words[0])
        && words.iter().all(|w| {
            is_capitalised(w)
                || matches!(lower(w).as_str(), "of" | "and" | "for" | "in" | "on" | "&" | "de" | "the" | "at")
        })
        && is_capitalised(words[words.len() - 1]);
    if proper && NOT_NAMES.contains(&low[0].as_str()) {
        return None;
    }
    if proper {
        if words.len() == 1
            && (NOT_NAMES.contains(&low[0].as_str())
                || is_adjective_like(words[0]) && !words[0].chars().all(|c| c.is_uppercase()))
        {
            return None;
        }
        let kind = if looks_like_person(&text) { Kind::Person } else { Kind::Org };
        return Some(Parsed { name: strip_possessive(&text), affiliation: None, kind });
    }
    None
}

/// A speaker from the parse of a source phrase (`ids`, tokens of `s`, a
/// sentence of `text`): the phrase's head decides what it names.
///
/// - a personal pronoun: `he`/`she` a person, `it`/`they`/`we` an organisation;
/// - a proper noun: the run of proper nouns around it (`Commission on
///   Presidential Debates`, `Lockbit 2.0`), titles before it moved to the
///   affiliation with the names before them (`FBI Director Christopher
///   Wray`, `Nine chief information officer Damian Cronan`), an apposition's
///   organisation as affiliation (`Jane Roe, an analyst at Acme`);
/// - a common noun with a named person in apposition (`its CEO, Jane Roe`);
/// - a spokesperson or other role of a named body (`a spokesperson for
///   Acme`, `Acme's spokesman`): `Acme spokesperson`, affiliation Acme;
/// - a document owned by a named body (`Acme's statement`, `a report by
///   Acme`): Acme.
///
/// Anything else (`the company`, `officials`, `two people familiar with the
/// matter`) is read by [`parse`] from the phrase's words.
pub fn from_parse(s: &Sentence, ids: &[usize], text: &str) -> Option<Parsed> {
    let t = &s.tokens;
    let inside = |j: usize| ids.contains(&j);
    let head = *ids.iter().find(|&&j| t[j].head.is_none_or(|h| !inside(h)))?;
    if t[head].upos == Upos::Pron {
        return parse(&t[head].text);
    }
    // "The Information Commissioner's Office in the UK": a named body's
    // country is not its name ("the Ruritanian Embassy in Lisbon" keeps its city).
    let country = |c: usize| {
        let words: Vec<&str> = s
            .subtree(c)
            .into_iter()
            .filter(|&g| !matches!(t[g].rel, r if r == Deprel::CASE || r == Deprel::DET))
            .map(|g| t[g].text.as_str())
            .collect();
        is_place_or_document(&words.join(" "))
    };
    let placed: Vec<usize> = ids
        .iter()
        .filter(|&&j| t[j].upos == Upos::Propn)
        .flat_map(|&j| s.children(j))
        .filter(|&c| {
            t[c].rel == Deprel::NMOD
                && s.children(c).any(|g| t[g].rel == Deprel::CASE && t[g].lower == "in")
                && country(c)
        })
        .flat_map(|c| s.subtree(c))
        .collect();
    let kept: Vec<usize> = ids.iter().copied().filter(|j| !placed.contains(j)).collect();
    let ids = kept.as_slice();
    let words = |ids: &[usize]| s.text_of(ids, text);
    // The phrase's comma-separated parts: "Jane Roe, an analyst at Acme".
    let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
    for &j in ids {
        if t[j].text == "," {
            parts.push(Vec::new());
        } else {
            parts.last_mut().expect("one part at least").push(j);
        }
    }
    parts.retain(|p| !p.is_empty());
    let first = parts.first()?.clone();
    // "Hewlett Packard Enterprise (HPE)": the acronym is kept beside the name.
    let (first, acronym) = match first.as_slice() {
        [.., open, a, close] if t[*open].text == "(" && t[*close].text == ")" && is_capitalised(&t[*a].text) => {
            (first[..first.len() - 3].to_vec(), Some(t[*a].text.clone()))
        }
        _ => (first, None),
    };
    let rest: Vec<usize> = parts.iter().skip(1).flatten().copied().collect();
    // "The state's campaign chairman, Phil Lovas", "its CEO, Max Krupyshev": the person in apposition.
    let first_run = last_name_run(s, &first).filter(|r| r.last() == first.last());
    let untitled = first_run.as_ref().is_none_or(|r| r.iter().all(|&j| is_title(&t[j].text)));
    if untitled && let Some(run) = parts.get(1).and_then(|p| last_name_run(s, p)) {
        let name = words(&run);
        if looks_like_person(&name) {
            return Some(Parsed { name, affiliation: affiliation_of_role(&tidy(&words(&first))), kind: Kind::Person });
        }
    }
    // "the company", "the Brazil-based firm", "the hackers": a reference to a body named before.
    let the =
        s.children(head).any(|c| t[c].rel == Deprel::DET && matches!(t[c].lower.as_str(), "the" | "this" | "that"));
    let role = is_org_role(&t[head].lower) || matches!(t[head].lower.as_str(), "hackers" | "actors" | "attackers");
    // A name before the role ("the REvil ransomware gang") names it; "Brazil-based" does not.
    let named = first.iter().any(|&j| t[j].upos == Upos::Propn && t.get(j + 1).is_none_or(|n| n.text != "-"));
    if t[head].upos == Upos::Noun && the && role && !named {
        return Some(Parsed { name: tidy(&words(ids)), affiliation: None, kind: Kind::OrgReference });
    }
    // A common noun heads the phrase and the name is a modifier of it ("a
    // spokesperson for China's embassy in Washington", "the Lisbon port
    // agency"): the noun says who speaks, not the last name in the phrase.
    let head_in_run = first_run.as_ref().is_some_and(|r| r.contains(&head));
    if t[head].upos == Upos::Noun
        && !head_in_run
        && first.contains(&head)
        && let Some(p) = headed_by_noun(s, ids, head, text)
    {
        return Some(p);
    }
    if let Some(run) = first_run {
        let before: Vec<usize> = first.iter().copied().filter(|&j| j < run[0]).collect();
        let (name, title) = split_title(s, &run);
        let name_text = strip_possessive(&words(name));
        // "German printing company Heidelberger Druck" is a company.
        // ... and so is a name ending in a body's head word ("... Security Agency").
        let org_before = before.last().is_some_and(|&j| is_org_role(&t[j].lower)) && title.is_empty()
            || run.last().is_some_and(|&j| BODY_HEADS.contains(&t[j].lower.as_str()));
        if !org_before && (looks_like_person(&name_text) || !title.is_empty() && !name.is_empty() && name.len() <= 3) {
            // "FBI Director Christopher Wray", "Tulsa police Chief Chuck Jordan", "Jane Roe, CEO of Acme".
            let named_body: Vec<usize> =
                run.iter().copied().filter(|j| j < &title.first().copied().unwrap_or(name[0])).collect();
            let affiliation = (!named_body.is_empty())
                .then(|| strip_possessive(&words(&named_body)))
                .or_else(|| (!before.is_empty()).then(|| affiliation_of_role(&words(&before))).flatten())
                .or_else(|| (!rest.is_empty()).then(|| affiliation_of_role(&words(&rest))).flatten());
            return Some(Parsed { name: name_text, affiliation, kind: Kind::Person });
        }
        if name.is_empty() {
            // "Acme CEO": a role of the body before it.
            let body: Vec<usize> = run.iter().copied().filter(|j| !title.contains(j)).collect();
            let affiliation = (!body.is_empty()).then(|| strip_possessive(&words(&body)));
            return Some(Parsed { name: words(&run), affiliation, kind: Kind::Person });
        }
        let whole = strip_possessive(&words(&run));
        if NOT_NAMES.contains(&whole.to_lowercase().as_str()) {
            return None;
        }
        // A capitalised word that is a title or a place alone names nobody.
        // (A capitalised noun inside the sentence is a name the tagger did not know: "HMR's Boyce".)
        let unknown_name = t[run[0]].upos == Upos::Noun && run[0] > 0;
        if run.len() == 1 && (is_title(&whole) || t[run[0]].upos != Upos::Propn && !unknown_name) {
            return parse(&words(ids));
        }
        let name = match acronym {
            Some(a) => format!("{whole} ({a})"),
            None => whole,
        };
        return Some(Parsed { name, affiliation: None, kind: Kind::Org });
    }
    if t[head].upos == Upos::Noun {
        // The body a role or a document belongs to: "Acme's", "Acme", "for Acme", "by Acme".
        let owner = s.children(head).filter(|&c| inside(c)).find(|&c| {
            t[c].upos == Upos::Propn
                && (t[c].rel == Deprel::NMOD_POSS
                    || t[c].rel == Deprel::COMPOUND
                    || t[c].rel.base() == "nmod"
                        && s.children(c).any(|g| matches!(t[g].lower.as_str(), "for" | "at" | "of" | "by" | "from")))
        });
        let lower = t[head].lower.as_str();
        if let Some(o) =
            owner.and_then(|o| last_name_run(s, &s.subtree(o).into_iter().filter(|&j| inside(j)).collect::<Vec<_>>()))
        {
            let body = strip_possessive(&words(&o));
            if SPOKESPEOPLE.contains(&lower) {
                return Some(Parsed { name: format!("{body} {lower}"), affiliation: Some(body), kind: Kind::Person });
            }
            if DOCUMENT_HEADS.contains(&lower) {
                return Some(Parsed { name: body, affiliation: None, kind: Kind::Org });
            }
        }
    }
    parse(&words(ids))
}

/// A phrase headed by a common noun with a name among its modifiers: a
/// spokesperson of a body ("a spokesperson for China's embassy in
/// Washington" speaks for "China's embassy in Washington"), or a body
/// described with its name ("the Lisbon port agency").
fn headed_by_noun(s: &Sentence, ids: &[usize], head: usize, text: &str) -> Option<Parsed> {
    let t = &s.tokens;
    let lower = t[head].lower.as_str();
    let inside = |j: usize| ids.contains(&j);
    if SPOKESPEOPLE.contains(&lower) {
        // The body it speaks for: "for"/"of"/"at" a phrase that holds a name.
        let owner = s.children(head).filter(|&c| inside(c)).find(|&c| {
            t[c].rel.base() == "nmod"
                && s.children(c).any(|g| matches!(t[g].lower.as_str(), "for" | "at" | "of"))
                && s.subtree(c).iter().any(|&g| t[g].upos == Upos::Propn)
        })?;
        let body: Vec<usize> = s
            .subtree(owner)
            .into_iter()
            .filter(|&g| inside(g) && !(t[g].head == Some(owner) && g < owner && t[g].rel == Deprel::CASE))
            .collect();
        let body = s.text_of(&body, text).trim().to_string();
        let body = body.strip_prefix("the ").or_else(|| body.strip_prefix("The ")).unwrap_or(&body).to_string();
        // "Acme spokesperson", as the guidelines write it, when the body is a name.
        let name = if body.split_whitespace().all(is_capitalised) {
            format!("{body} {lower}")
        } else {
            format!("{lower} for {body}")
        };
        return Some(Parsed { name, affiliation: Some(body), kind: Kind::Person });
    }
    // A body named by its description: a name before an organisation noun,
    // not "Brazil-based".
    let named_by = |rel: Deprel| {
        ids.iter().any(|&j| {
            j < head
                && t[j].upos == Upos::Propn
                && t[j].head == Some(head)
                && t[j].rel == rel
                && !is_adjective_like(&t[j].text)
                && t.get(j + 1).is_none_or(|n| n.text != "-")
        })
    };
    // "China's embassy in Washington": the owner and the place are the name.
    if (PUBLIC_ROLES.contains(&lower) || NAMED_BODIES.contains(&lower)) && named_by(Deprel::NMOD_POSS) {
        let words: Vec<usize> = ids.iter().copied().filter(|&j| t[j].rel != Deprel::DET).collect();
        return Some(Parsed { name: s.text_of(&words, text).trim().to_string(), affiliation: None, kind: Kind::Org });
    }
    let named = named_by(Deprel::COMPOUND);
    // A group's name before "gang" or "group" is its name alone ("the REvil ransomware gang").
    let group = matches!(lower, "group" | "gang" | "crew" | "collective" | "operation");
    let body_noun = PUBLIC_ROLES.contains(&lower) || COMPANY_ROLES.contains(&lower) && !group;
    if body_noun && named {
        let words: Vec<usize> = ids.iter().copied().filter(|&j| j <= head && t[j].rel != Deprel::DET).collect();
        return Some(Parsed { name: tidy(&s.text_of(&words, text)), affiliation: None, kind: Kind::Org });
    }
    None
}

/// The last run of name words among `ids`: proper nouns and capitalised
/// nouns, adjectives and numbers, joined by `of`, `for`, `on`, `&`, `de`
/// or a hyphen between two of them; a possessive ending is left out.
fn last_name_run(s: &Sentence, ids: &[usize]) -> Option<Vec<usize>> {
    let t = &s.tokens;
    let part = |j: usize| {
        is_capitalised(&t[j].text) && matches!(t[j].upos, Upos::Propn | Upos::Noun | Upos::Adj | Upos::Num | Upos::X)
    };
    // "and" joins only inside a body's name: "Cybersecurity and
    // Infrastructure Security Agency", not "Acme and Contoso".
    let joiner = |j: usize| {
        matches!(t[j].lower.as_str(), "of" | "for" | "on" | "in" | "&" | "de" | "-" | ".")
            || and_in_body_name(s, ids, j)
    };
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    for (k, &j) in ids.iter().enumerate() {
        let contiguous = cur.last().is_some_and(|&l| l + 1 == j);
        let joins = contiguous && joiner(j) && ids.get(k + 1).is_some_and(|&n| n == j + 1 && part(n));
        let number = contiguous && t[j].upos == Upos::Num;
        if part(j) && (cur.is_empty() || contiguous) || joins || number {
            cur.push(j);
        } else {
            if !cur.is_empty() {
                runs.push(std::mem::take(&mut cur));
            }
            if part(j) {
                cur.push(j);
            }
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    let mut run = runs.pop()?;
    while run.last().is_some_and(|&j| matches!(t[j].lower.as_str(), "'s" | "\u{2019}s" | "'" | "\u{2019}")) {
        run.pop();
    }
    (!run.is_empty()).then_some(run)
}

/// Whether token `j` is an "and" inside a body's name: the capitalised run
/// after it (within `ids`) is two words or more and ends in a body's head
/// word ("Cybersecurity and Infrastructure Security Agency"; not "Acme and
/// Contoso").
pub fn and_in_body_name(s: &Sentence, ids: &[usize], j: usize) -> bool {
    let t = &s.tokens;
    t[j].lower == "and"
        && (j + 1..t.len())
            .take_while(|&k| ids.contains(&k) && is_capitalised(&t[k].text))
            .last()
            .is_some_and(|k| k > j + 1 && BODY_HEADS.contains(&t[k].lower.as_str()))
}

/// Split a name run into the name and the title block just before it:
/// "Attorney General Eric Schneiderman" gives (Eric Schneiderman, Attorney
/// General); "Homeland Security Secretary Jeh Johnson" keeps "Homeland
/// Security" out of the title, as a title word after a name word belongs
/// to the body's name. A run of titles only gives an empty name.
fn split_title<'a>(s: &Sentence, run: &'a [usize]) -> (&'a [usize], &'a [usize]) {
    let t = &s.tokens;
    let title = |k: usize| is_title(&t[run[k]].text);
    let mut end = run.len();
    while end > 0 && !title(end - 1) {
        end -= 1;
    }
    if end == 0 {
        return (run, &run[..0]);
    }
    let mut start = end;
    while start > 0 && title(start - 1) && (start < 2 || title(start - 2)) {
        start -= 1;
    }
    if start == end && end > 0 {
        start = end - 1;
    }
    (&run[end..], &run[start..end])
}

/// Countries and titles of documents: capitalised, but never a speaker that
/// "the company" or "the agency" refers to.
/// The "Full Name (ACR)" definitions a sentence makes: (acronym, full
/// name), the name without a leading "the" or an owner ("Ruritania's").
pub fn acronym_definitions(text: &str) -> Vec<(String, String)> {
    // Only a parenthesis can define an acronym.
    if !text.contains(" (") {
        return Vec::new();
    }
    static DEF: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"((?:[A-Z][\w&'\u{2019}.-]*\s+)(?:(?:of|and|for|the|&)\s+|[A-Z][\w&'\u{2019}.-]*\s+){0,6})\(([A-Z][A-Za-z&-]{1,9}(?: [A-Z][A-Za-z&-]{1,5})?)\)")
            .expect("valid regex")
    });
    DEF.captures_iter(text)
        .filter_map(|cap| {
            let full = cap[1].trim().trim_start_matches("The ").trim_start_matches("the ").to_string();
            let full = full
                .rsplit_once(['\'', '\u{2019}'])
                .filter(|(_, b)| b.starts_with("s "))
                .map_or(full.clone(), |(_, b)| b[2..].to_string());
            (full.split_whitespace().count() >= 2).then(|| (cap[2].to_string(), full))
        })
        .collect()
}

/// A run of menu items or headlines a scraper glued together ("2023Lookout
/// Attributes Advanced ...", "Teams BurdenResourcesBlog ..."): a word
/// opening with a year run into a capital, or, in a name of three or more
/// words, a word with a small letter run into a capital. (One camel-case
/// word alone is a brand: "PowerSchool".)
pub fn is_glued_furniture(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let glued = |w: &str| {
        let c: Vec<char> = w.chars().collect();
        c.windows(3).any(|x| x[0].is_lowercase() && x[1].is_lowercase() && x[2].is_uppercase())
    };
    let year_glued = |w: &str| {
        let c: Vec<char> = w.chars().collect();
        c.len() > 5 && c[..4].iter().all(char::is_ascii_digit) && c[4].is_uppercase()
    };
    words.iter().any(|w| year_glued(w)) || words.len() >= 3 && words.iter().any(|w| glued(w))
}

/// Names a sentence spells out, by their initials: "the U.S. Department of
/// Homeland Security" gives ("DHS", "U.S. Department of Homeland
/// Security"), and a department, ministry or office also goes by the
/// initials of what it is a department of ("HHS" for the "Department of
/// Health and Human Services"). Three initials or more; a later "DHS"
/// that no parenthesis defined is read as that name.
pub fn initialisms(text: &str) -> Vec<(String, String)> {
    static RUN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?:\b(?:U\.S\.|US|UK|U\.K\.)\s+)?\b[A-Z][a-z]+(?:(?:\s+(?:of|and|for|&))?\s+[A-Z][a-z]+){1,6}\b",
        )
        .expect("valid regex")
    });
    const UNITS: &[&str] = &["Department", "Ministry", "Office", "Agency", "Bureau"];
    let mut out = Vec::new();
    for m in RUN.find_iter(text) {
        let full = m.as_str();
        let full = ["The ", "A ", "An "].iter().find_map(|d| full.strip_prefix(d)).unwrap_or(full);
        let words: Vec<&str> = full
            .split_whitespace()
            .filter(|w| w.starts_with(char::is_uppercase) && w.chars().skip(1).all(char::is_lowercase))
            .collect();
        let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
        if initials.len() >= 3 {
            out.push((initials.clone(), full.to_string()));
        }
        if words.first().is_some_and(|w| UNITS.contains(w)) && initials.len() >= 4 {
            out.push((initials[1..].to_string(), full.to_string()));
        }
    }
    out
}

/// The documents a sentence names with their author: "a June 11
/// Department of Homeland Security memo", "the FBI's alert", "an
/// indictment from the Justice Department" give (head noun, author).
/// Later, "the memo states" speaks for that author.
pub fn document_authors(text: &str) -> Vec<(String, String)> {
    const NAME: &str = r"\b(?:\d+[a-z]+)?[A-Z][\w&.-]*(?:\s+(?:(?:of|and|for|&)\s+)?[A-Z][\w&.-]*){0,6}";
    static BEFORE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&format!(r"({NAME})(?:['\u{{2019}}]s)?\s+([a-z]+)\b")).expect("valid regex")
    });
    static AFTER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&format!(r"\b([a-z]+)\s+(?:issued\s+)?(?:from|by)\s+(?:the\s+)?({NAME})"))
            .expect("valid regex")
    });
    let document = |w: &str| DOCUMENT_HEADS.contains(&w) && !super::lexicon::ANALYSES.contains(&w);
    // Most sentences name no document: only those that do are searched.
    if !text.split(|c: char| !c.is_ascii_lowercase()).any(document) {
        return Vec::new();
    }
    let author = |name: &str| {
        let words: Vec<&str> = name
            .split_whitespace()
            .skip_while(|w| matches!(*w, "The" | "A" | "An" | "This" | "That" | "Its" | "Their" | "Our"))
            .collect();
        let name = words.join(" ");
        (!name.is_empty() && !crate::kb::is_place(&name)).then_some(name)
    };
    let mut out = Vec::new();
    for c in BEFORE.captures_iter(text) {
        if document(&c[2])
            && let Some(a) = author(&c[1])
        {
            out.push((c[2].to_string(), a));
        }
    }
    for c in AFTER.captures_iter(text) {
        if document(&c[1])
            && let Some(a) = author(&c[2])
        {
            out.push((c[1].to_string(), a));
        }
    }
    out
}

pub fn is_place_or_document(name: &str) -> bool {
    // Capitals named for their governments, beside the countries and
    // regions of [`crate::kb::is_place`].
    const CAPITALS: &[&str] = &["washington", "beijing", "moscow", "london"];
    const DOC_WORDS: &[&str] = &[
        "terms",
        "policy",
        "act",
        "law",
        "regulation",
        "guidance",
        "agreement",
        "conditions",
        "rules",
        "standard",
        "framework",
        "directive",
        "code",
        "notice",
    ];
    let lower = name.to_lowercase();
    crate::kb::is_place(name)
        || CAPITALS.contains(&lower.as_str())
        || lower.split_whitespace().any(|w| DOC_WORDS.contains(&w))
}

/// Words that mark a public body.
const PUBLIC_WORDS: &[&str] = &[
    "office",
    "agency",
    "department",
    "commission",
    "bureau",
    "ministry",
    "embassy",
    "commissioner",
    "police",
    "government",
    "authority",
    "council",
    "court",
    "cert",
    "fbi",
    "cisa",
    "nsa",
    "nca",
    "ico",
    "doj",
    "sec",
    "ncsc",
    "ofac",
    "europol",
    "interpol",
    "treasury",
    "state",
    "house",
    "senate",
    "feds",
    "dhs",
    "gchq",
    "parliament",
    "regulator",
    "watchdog",
    "administration",
    "service",
    "board",
    "committee",
    "panel",
];

/// Words that mark an organisation, never a person.
const ORG_WORDS: &[&str] = &[
    "telecom",
    "telecoms",
    "communications",
    "credit",
    "health",
    "healthcare",
    "financial",
    "finance",
    "capital",
    "insurance",
    "holdings",
    "partners",
    "solutions",
    "software",
    "airlines",
    "airways",
    "motors",
    "pharma",
    "power",
    "water",
    "logistics",
    "retail",
    "markets",
    "ministry",
    "authority",
    "commission",
    "foundation",
    "institute",
    "university",
    "hospital",
    "inc",
    "corp",
    "group",
    "bank",
    "energy",
    "computer",
    "electric",
    "security",
    "systems",
    "department",
    "office",
    "centre",
    "agency",
    "team",
    "news",
    "journal",
    "times",
    "post",
    "labs",
    "networks",
    "technologies",
    "enterprise",
    "embassy",
    "ministry",
    "university",
    "council",
    "committee",
    "house",
    "senate",
    "spider",
    "typhoon",
    "blizzard",
    "panda",
    "bear",
    "kitten",
    "intelligence",
    "research",
    "media",
];

/// Whether an organisation's name marks it as a public body.
pub fn is_public_body(name: &str) -> bool {
    name.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .any(|w| SETS.public_words.contains(w) || w.starts_with("cert-"))
}

/// Adjectives of place or trade that may precede a role noun ("the Ukrainian agency").
fn is_adjective_like(w: &str) -> bool {
    let l = w.to_lowercase();
    l.ends_with("an") || l.ends_with("ish") || l.ends_with("ese") || l.ends_with("i") || l == "us" || l == "uk"
}

/// A possessive before a name ("HMR's Boyce"): the owner and the name.
pub fn split_possessive(name: &str) -> Option<(&str, &str)> {
    name.split_once("'s ").or_else(|| name.split_once("\u{2019}s "))
}

/// A name without its possessive ending: "Obama's" is Obama.
pub fn strip_possessive(s: &str) -> String {
    s.trim().trim_end_matches("'s").trim_end_matches("\u{2019}s").trim_end_matches('\'').to_string()
}

/// A word that is not a name even when a sentence starts with it: an
/// article, a number word or a noun for people ("Officials", "Two sources").
fn is_common_word(lower: &str) -> bool {
    matches!(
        lower,
        "a" | "an" | "the" | "two" | "three" | "four" | "several" | "some" | "many" | "one" | "other" | "senior"
    ) || PEOPLE_NOUNS.contains(&lower)
        || ANONYMOUS.contains(&lower)
}

/// Two or three capitalised words that are not titles, acronyms or org words.
pub fn looks_like_person(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let lows: Vec<String> = words.iter().map(|w| lower(w)).collect();
    person_shape(&words, &lows)
}

/// Two or three capitalised words, none of them a title, an organisation
/// word or a public-body word. `lows` are the words lower-cased.
fn person_shape(words: &[&str], lows: &[String]) -> bool {
    if !(2..=3).contains(&words.len()) {
        return false;
    }
    words.iter().zip(lows).all(|(w, l)| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && chars.any(char::is_lowercase)
            && !SETS.titles.contains(l.as_str())
            && !SETS.org_words.contains(l.as_str())
            && !is_org_role(l.as_str())
            && !SETS.public_words.contains(l.as_str())
            && !l.starts_with("cert-")
    })
}

/// "an Intelligence Analyst at Recorded Future" gives "Recorded Future";
/// "The Embassy's spokesperson" gives "Embassy".
fn affiliation_of_role(role: &str) -> Option<String> {
    for prep in [" at ", " of ", " with ", " for "] {
        if let Some((_, org)) = role.split_once(prep) {
            let org = tidy(org);
            if org.split_whitespace().next().is_some_and(is_capitalised) {
                return Some(org);
            }
        }
    }
    let caps: Vec<&str> = role.split_whitespace().filter(|w| is_capitalised(w) && !is_title(w)).collect();
    if !caps.is_empty() {
        return Some(strip_possessive(&caps.join(" ")));
    }
    // "the embassy's spokesperson": the embassy, matched later with one named earlier.
    role.split_whitespace()
        .find(|w| (w.ends_with("'s") || w.ends_with("\u{2019}s")) && is_org_role(lower(w).as_str()))
        .map(strip_possessive)
}

/// A title that names one office holder, written before the name
/// ("Gov.", "Governor", "Sen.", "Mr.", "President"): the capitalised words
/// after it are a person's name.
pub fn is_person_title(word: &str) -> bool {
    PERSON_TITLES.contains(&word.trim_end_matches(',').to_lowercase().as_str())
}

/// A person's sex as far as pronouns go: whether "he" or "she" can refer
/// to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
}

/// The gender a personal pronoun asks of its antecedent.
pub fn pronoun_gender(pronoun: &str) -> Option<Gender> {
    match pronoun.to_lowercase().as_str() {
        "she" | "her" => Some(Gender::Female),
        "he" | "him" | "his" => Some(Gender::Male),
        _ => None,
    }
}

/// The gender a person's given name (the first word of `name`) usually
/// has, when it is on one of the lexicon's lists.
pub fn given_name_gender(name: &str) -> Option<Gender> {
    let first = name.split_whitespace().next()?.trim_end_matches('.').to_lowercase();
    if FEMALE_GIVEN_NAMES.contains(&first.as_str()) {
        Some(Gender::Female)
    } else if MALE_GIVEN_NAMES.contains(&first.as_str()) {
        Some(Gender::Male)
    } else {
        None
    }
}

/// Surnames a sentence marks with a gender: a title or role right before a
/// name ("Ms. Moore", "Stein spokeswoman Melezia Figueroa", "his wife,
/// Heidi Cruz"). Each name's last word, lowercased, with its gender.
pub fn gendered_names(text: &str) -> Vec<(String, Gender)> {
    static MARKED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        let markers = FEMALE_MARKERS.iter().chain(MALE_MARKERS).copied().collect::<Vec<_>>().join("|");
        regex::Regex::new(&format!(
            r"\b(?i:({markers}))\b\.?,?\s+((?:[A-Z][\w'\u{{2019}}-]*\.?\s+){{0,3}}[A-Z][\w'\u{{2019}}-]*)"
        ))
        .expect("valid regex")
    });
    let mut out = Vec::new();
    for c in MARKED.captures_iter(text) {
        let marker = c[1].to_lowercase();
        let gender = if FEMALE_MARKERS.contains(&marker.as_str()) {
            Gender::Female
        } else if MALE_MARKERS.contains(&marker.as_str()) {
            Gender::Male
        } else {
            continue;
        };
        if let Some(last) = c[2].split_whitespace().last() {
            let last =
                last.strip_suffix("'s").or_else(|| last.strip_suffix("\u{2019}s")).unwrap_or(last).to_lowercase();
            if !last.is_empty() {
                out.push((last, gender));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(phrase: &str, name: &str, affiliation: Option<&str>, kind: Kind) {
        let p = parse(phrase).unwrap_or_else(|| panic!("{phrase} not parsed"));
        assert_eq!((p.name.as_str(), p.affiliation.as_deref(), p.kind), (name, affiliation, kind), "{phrase}");
    }

    #[test]
    fn menu_items_glued_together_are_no_name() {
        assert!(is_glued_furniture("2024Fabrikam Telecom"));
        assert!(is_glued_furniture("FabrikamThe Port Authority of Lisbon"));
        assert!(!is_glued_furniture("PowerSchool"));
        assert!(!is_glued_furniture("Fabrikam Telecom"));
    }

    #[test]
    fn acronyms_defined_in_brackets() {
        let defs = |t: &str| acronym_definitions(t);
        let def = |a: &str, f: &str| (a.to_string(), f.to_string());
        assert_eq!(defs("The Port Safety Board (PSB) said so."), [def("PSB", "Port Safety Board")]);
        // An acronym of two words: "(NYC DOE)".
        assert_eq!(
            defs("The Lisbon City Department of Ports (LC DOP) said so."),
            [def("LC DOP", "Lisbon City Department of Ports")]
        );
        assert!(defs("Dana Ruiz (the CEO) said so.").is_empty());
    }

    #[test]
    fn names_spelt_out_give_their_initials() {
        let got = initialisms(
            "A U.S. Department of Harbor and Port Safety memo was read by the Northwind Counter Threat Unit.",
        );
        let has = |i: &str, f: &str| got.contains(&(i.to_string(), f.to_string()));
        assert!(has("DHPS", "U.S. Department of Harbor and Port Safety"), "{got:?}");
        assert!(has("HPS", "U.S. Department of Harbor and Port Safety"), "{got:?}");
        assert!(has("NCTU", "Northwind Counter Threat Unit"), "{got:?}");
        // Two initials are too few to tell names apart.
        assert!(initialisms("Dana Ruiz said so.").is_empty());
    }

    #[test]
    fn documents_and_their_authors() {
        let pairs = |t: &str| document_authors(t);
        let own = |h: &str, a: &str| (h.to_string(), a.to_string());
        assert_eq!(
            pairs("A June 3 Department of Harbor Safety memo says so."),
            [own("memo", "Department of Harbor Safety")]
        );
        assert_eq!(pairs("The Port Board's alert went out."), [own("alert", "Port Board")]);
        assert_eq!(
            pairs("An indictment from the Justice Ministry names two men."),
            [own("indictment", "Justice Ministry")]
        );
        // A name may open with digits, never start inside a word.
        assert_eq!(pairs("In reply to 4seasonsLab's letter, she wrote."), [own("letter", "4seasonsLab")]);
        assert_eq!(pairs("Read the ZapGuard advisory first."), [own("advisory", "ZapGuard")]);
        // No author: a determiner, a place, an analysis.
        assert!(pairs("The memo says so.").is_empty());
        assert!(pairs("A Canadian memo says so.").is_empty());
        assert!(pairs("Northwind analysis shows the gap.").is_empty());
    }

    #[test]
    fn titles_and_appositions_split_from_names() {
        check("FBI Director Christopher Wray", "Christopher Wray", Some("FBI"), Kind::Person);
        check("Acme Bank CEO Dana Ruiz", "Dana Ruiz", Some("Acme Bank"), Kind::Person);
        check("The Ministry's spokesperson, Wen Hao", "Wen Hao", Some("Ministry"), Kind::Person);
        check("Maria Ortiz, a threat analyst at Northwind Labs", "Maria Ortiz", Some("Northwind Labs"), Kind::Person);
        check("a Contoso spokesperson", "Contoso spokesperson", Some("Contoso"), Kind::Person);
        check("The embassy's spokesperson, Wen Hao", "Wen Hao", Some("embassy"), Kind::Person);
    }

    #[test]
    fn organisations_groups_and_references() {
        check("Both the Port Authority", "Port Authority", None, Kind::Org);
        check("the company", "company", None, Kind::OrgReference);
        check("The Estonian agency", "Estonian agency", None, Kind::OrgReference);
        check("she", "she", None, Kind::PersonPronoun);
        check("court documents", "court documents", None, Kind::Group);
        check("the Fabrikam press release", "Fabrikam", None, Kind::Org);
        check("two people familiar with the matter", "two people familiar with the matter", None, Kind::Anonymous);
        // However the sentence capitalises them.
        check("Officials", "Officials", None, Kind::Anonymous);
        check("Two sources", "Two sources", None, Kind::Anonymous);
        check("U.S. officials", "U.S. officials", None, Kind::Anonymous);
        assert_ne!(parse("Northwind officials").map(|p| p.kind), Some(Kind::Anonymous));
        assert_eq!(parse("the attack on the pipeline took place days after the"), None);
    }

    #[test]
    fn keys_group_spellings_of_one_speaker() {
        assert_eq!(speaker_key("the FBI"), "fbi");
        assert_eq!(speaker_key("Federal Bureau of Investigation"), "fbi");
        assert_eq!(speaker_key("the Justice Department"), "doj");
        assert_eq!(speaker_key("Northwind Data Systems (NDS)"), "northwind data systems");
        assert_eq!(speaker_key("Microsoft's"), "microsoft");
        assert_eq!(speaker_key("the U.S. Department of Justice"), "doj");
        assert_eq!(speaker_key("Information Commissioner's Office"), "ico");
    }

    #[test]
    fn titles_roles_and_given_names_mark_gender() {
        let marked =
            gendered_names("Ms. Jones met Sen. Ted Brook and his wife, Heidi Brook, before Mr. O'Hara's talk.");
        assert_eq!(
            marked,
            vec![
                ("jones".to_string(), Gender::Female),
                ("brook".to_string(), Gender::Female),
                ("o'hara".to_string(), Gender::Male)
            ]
        );
        assert_eq!(given_name_gender("Hillary Clinton"), Some(Gender::Female));
        assert_eq!(given_name_gender("Barack Obama"), Some(Gender::Male));
        // Names borne by both sexes agree with either pronoun.
        assert_eq!(given_name_gender("Terry Strada"), None);
        assert_eq!(pronoun_gender("She"), Some(Gender::Female));
        assert_eq!(pronoun_gender("they"), None);
    }
}
