//! Statements: who said what, found sentence by sentence.
//!
//! Each sentence is first masked: quoted words become a placeholder, so that
//! verbs inside a quote never count as attribution. Then the masked text is
//! searched for attribution cues:
//!
//! - *no-comment phrases* (`declined to comment`, `did not respond`, ...);
//! - *reporting verbs* (see [`super::lexicon::VERBS`]) with the speaker on
//!   their left (`X said that ...`, `"...," X said.`) or, inverted, on their
//!   right (`"...," said X.`);
//! - *source phrases*: `according to X`, `as reported by X`, `X told Reuters`.
//!
//! The subject phrase is cut at clause boundaries and introductory phrases,
//! then parsed into a speaker ([`super::speaker::parse`]): titles and
//! appositions are split off, coordinated names give one statement each,
//! pronouns and role nouns ("she", "the company") resolve to the nearest
//! earlier speaker or organisation that fits. A direct quote whose sentence
//! has no attribution of its own continues the attributed quote before it in
//! the same paragraph, or in the paragraph just before.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::lexicon::{self, DENIED_HARM, NO_COMMENT, STATE_WORDS, Stance, VerbClass};
use super::speaker::{self, Kind, Parsed, is_capitalised, speaker_key};
use crate::model::Paragraph;

/// One attributed statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The speaker as written (pronouns and role nouns resolved).
    pub speaker: String,
    /// Normalised key grouping spellings of one speaker.
    pub speaker_key: String,
    pub affiliation: Option<String>,
    pub stance: Stance,
    /// The whole sentence, as stored.
    pub sentence: String,
    /// The quoted words, for direct speech.
    pub quote: Option<String>,
    pub paragraph: usize,
    pub sentence_index: usize,
    /// An unnamed source ("two people familiar with the matter").
    pub anonymous: bool,
}

/// A speaker remembered for resolving later references.
#[derive(Debug, Clone)]
struct Known {
    name: String,
    affiliation: Option<String>,
    kind: Kind,
}

#[derive(Default)]
struct Memory {
    /// Speakers and organisations in order of mention.
    entities: Vec<Known>,
    /// Acronyms defined as "Full Name (ACR)".
    acronyms: HashMap<String, String>,
    /// The last direct quote's speaker, by paragraph.
    last_quote: Option<(usize, Known)>,
}

impl Memory {
    fn remember(&mut self, k: Known) {
        self.entities
            .retain(|e| speaker_key(&e.name) != speaker_key(&k.name));
        self.entities.push(k);
    }

    fn last_person(&self) -> Option<&Known> {
        self.entities.iter().rev().find(|e| e.kind == Kind::Person)
    }

    fn last_org(&self) -> Option<&Known> {
        self.entities.iter().rev().find(|e| e.kind == Kind::Org)
    }

    fn last_anonymous(&self) -> Option<&Known> {
        self.entities
            .iter()
            .rev()
            .find(|e| e.kind == Kind::Anonymous)
    }

    /// Expand a defined acronym: "HPE" becomes "Hewlett Packard Enterprise (HPE)".
    fn expand(&self, name: &str) -> String {
        match self.acronyms.get(name) {
            Some(full) => format!("{full} ({name})"),
            None => name.to_string(),
        }
    }

    /// Learn "Full Name (ACR)" definitions from a sentence.
    fn learn_acronyms(&mut self, text: &str) {
        static DEF: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"((?:[A-Z][\w&'\u{2019}.-]*\s+)(?:(?:of|and|for|the|&)\s+|[A-Z][\w&'\u{2019}.-]*\s+){0,6})\(([A-Z][A-Za-z&-]{1,9})\)").unwrap()
        });
        for cap in DEF.captures_iter(text) {
            let full = cap[1]
                .trim()
                .trim_start_matches("The ")
                .trim_start_matches("the ")
                .to_string();
            let full = full
                .rsplit_once("'s ")
                .map_or(full.clone(), |(_, b)| b.to_string());
            let acr = cap[2].to_string();
            if full.split_whitespace().count() >= 2 {
                self.acronyms.insert(acr, full);
            }
        }
    }
}

/// Extract the statements of a document's paragraphs.
pub fn extract_statements(paragraphs: &[Paragraph]) -> Vec<Statement> {
    let mut memory = Memory::default();
    let mut out: Vec<Statement> = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        if p.heading {
            continue;
        }
        let sentences: Vec<&str> = p.sentence_texts().collect();
        let paragraph_is_quote = starts_with_quote(&p.text);
        for (si, sentence) in sentences.iter().enumerate() {
            memory.learn_acronyms(sentence);
            let (masked, quotes) = mask_quotes(sentence);
            let found = attributions(&masked, &mut memory);
            if found.is_empty() {
                // A quote with no attribution of its own continues the last attributed quote.
                let continues = !quotes.is_empty()
                    && masked.trim_start().starts_with('"')
                    && memory.last_quote.as_ref().is_some_and(|(qp, _)| {
                        *qp == pi || (*qp + 1 == pi && paragraph_is_quote && si == 0)
                    });
                if continues {
                    let (_, k) = memory.last_quote.clone().expect("checked above");
                    memory.last_quote = Some((pi, k.clone()));
                    out.push(statement(
                        &k,
                        stance_of_quote(&quotes.join(" ")),
                        sentence,
                        &quotes,
                        pi,
                        si,
                    ));
                } else {
                    remember_subject(&masked, &mut memory);
                }
                continue;
            }
            let mut seen = Vec::new();
            for (k, stance) in found {
                let key = (speaker_key(&k.name), stance);
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                if !quotes.is_empty() {
                    memory.last_quote = Some((pi, k.clone()));
                }
                out.push(statement(&k, stance, sentence, &quotes, pi, si));
            }
        }
    }
    out
}

fn statement(
    k: &Known,
    stance: Stance,
    sentence: &str,
    quotes: &[String],
    pi: usize,
    si: usize,
) -> Statement {
    Statement {
        speaker: k.name.clone(),
        speaker_key: speaker_key(&k.name),
        affiliation: k.affiliation.clone(),
        stance,
        sentence: sentence.to_string(),
        quote: (!quotes.is_empty()).then(|| quotes.join(" … ")),
        paragraph: pi,
        sentence_index: si,
        anonymous: k.kind == Kind::Anonymous,
    }
}

fn starts_with_quote(s: &str) -> bool {
    s.trim_start().starts_with(['"', '\u{201c}'])
}

/// Replace quoted passages with `"Q"` and return them. An opening quote
/// with no closing one runs to the end of the sentence.
fn mask_quotes(s: &str) -> (String, Vec<String>) {
    let mut masked = String::with_capacity(s.len());
    let mut quotes = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let opening = c == '\u{201c}'
            || (c == '"'
                && (i == 0
                    || s[..i].ends_with(|p: char| p.is_whitespace() || p == '(' || p == '[')));
        if !opening {
            masked.push(c);
            continue;
        }
        let close = if c == '\u{201c}' { '\u{201d}' } else { '"' };
        let rest = &s[i + c.len_utf8()..];
        let end = rest.find(close).unwrap_or(rest.len());
        let inner = &rest[..end];
        // Short quoted terms ("scare quotes") stay part of the sentence.
        if inner.split_whitespace().count() < 4 {
            masked.push(c);
            continue;
        }
        quotes.push(inner.trim().trim_end_matches(',').to_string());
        masked.push_str("\"Q\"");
        // Skip the quoted text and its closing mark.
        let skip_to = i
            + c.len_utf8()
            + end
            + if end < rest.len() {
                close.len_utf8()
            } else {
                0
            };
        while chars.peek().is_some_and(|(j, _)| *j < skip_to) {
            chars.next();
        }
    }
    (masked, quotes)
}

/// One regex over every reporting-verb form, with optional auxiliaries and adverbs before it.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let mut forms: Vec<String> = lexicon::VERBS
        .iter()
        .flat_map(|(l, _)| lexicon::inflections(l))
        .collect();
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    Regex::new(&format!(r"\b(?P<verb>{})\b", forms.join("|"))).unwrap()
});

static NO_COMMENT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?:{})\b", NO_COMMENT.join("|"))).unwrap());

fn class_of(form: &str) -> Option<VerbClass> {
    lexicon::VERBS
        .iter()
        .find(|(l, _)| lexicon::inflections(l).iter().any(|f| f == form))
        .map(|(_, c)| *c)
}

/// Words that may stand between a subject and its verb.
const AUX: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "still",
    "first",
    "previously",
    "later",
    "eventually",
    "now",
    "further",
    "repeatedly",
    "publicly",
    "increasingly",
    "reportedly",
    "originally",
    "then",
    "again",
    "is",
    "are",
    "was",
    "were",
    "been",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "continues",
    "continue",
    "continued",
    "to",
    "allegedly",
    "recently",
    "already",
    "just",
    "officially",
    "separately",
    "privately",
    "had",
    "did",
    "does",
    "do",
    "initially",
    "quickly",
    "later",
    "since",
    "today",
    "yesterday",
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "this",
    "week",
    "last",
    "earlier",
    "in",
    "a",
    "statement",
    "both",
    "all",
    "shared",
];

/// Conjunctions and subordinators that open a new clause.
const CLAUSE_OPENERS: &[&str] = &[
    "while", "but", "when", "after", "before", "because", "since", "if", "although", "though",
    "where", "until", "once", "as", "whereas", "and", "so", "yet", "which", "who", "that",
];

/// Find the attributions in a masked sentence: (speaker, stance) pairs.
fn attributions(masked: &str, memory: &mut Memory) -> Vec<(Known, Stance)> {
    let mut found: Vec<(Known, Stance)> = Vec::new();
    // Complement regions of verbs already used: verbs inside them are reported content.
    let mut reported_from: Option<usize> = None;
    let mut last_subject: Option<Known> = None;

    // Cues in order of position.
    let mut cues: Vec<(usize, usize, Cue)> = Vec::new();
    for m in NO_COMMENT_RE.find_iter(masked) {
        cues.push((m.start(), m.end(), Cue::NoComment));
    }
    for m in VERB.find_iter(masked) {
        if cues
            .iter()
            .any(|(s, e, _)| m.start() >= *s && m.start() < *e)
        {
            continue;
        }
        if let Some(class) = class_of(m.as_str()) {
            cues.push((m.start(), m.end(), Cue::Verb(class)));
        }
    }
    static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:according to|as (?:previously |first |originally )?(?:reported|spotted|revealed) by|(?:has |have )?learned from)\s+").unwrap()
    });
    for m in SOURCE.find_iter(masked) {
        cues.push((m.start(), m.end(), Cue::Source));
    }
    cues.sort_by_key(|c| c.0);

    for (start, end, cue) in cues {
        let before = &masked[..start];
        let after = &masked[end..];
        // A verb inside reported content counts only after a coordinating break.
        if let Some(from) = reported_from
            && start > from
            && !matches!(cue, Cue::NoComment)
            && !has_break(&masked[from..start])
        {
            continue;
        }
        let (speaker, inverted) = match cue {
            Cue::Source => (object_phrase(after), true),
            Cue::Verb(_) if inverted_position(before) => (object_phrase(after), true),
            _ => (subject_phrase(before), false),
        };
        let speaker = match speaker {
            Some(s) => s,
            None if !inverted && ends_in_coordination(before) => match &last_subject {
                Some(k) => {
                    let stance = decide(cue, masked, after, k);
                    if let Some(stance) = stance {
                        found.push((k.clone(), stance));
                        reported_from = Some(end);
                    }
                    continue;
                }
                None => continue,
            },
            None => continue,
        };
        if let Cue::Verb(VerbClass::Assess) = cue
            && !inverted
            && !(after.trim_start().starts_with("that")
                || after.contains("\"Q\"")
                || masked[start..end].starts_with("believe"))
        {
            continue;
        }
        if let Cue::Verb(VerbClass::Disclose) = cue
            && !inverted
            && !after.contains(" that ")
            && !after.contains("\"Q\"")
            && !after.trim_start().starts_with(':')
        {
            continue;
        }
        for k in resolve_all(&speaker, memory) {
            if let Some(stance) = decide(cue, masked, after, &k) {
                memory.remember(k.clone());
                last_subject = Some(k.clone());
                found.push((k, stance));
                reported_from = Some(end);
            }
        }
    }
    found
}

#[derive(Debug, Clone, Copy)]
enum Cue {
    Verb(VerbClass),
    NoComment,
    Source,
}

fn has_break(s: &str) -> bool {
    s.contains(", while ") || s.contains(" but ") || s.contains("; ") || s.contains(", and ")
}

fn ends_in_coordination(before: &str) -> bool {
    let words: Vec<&str> = before.split_whitespace().collect();
    let trimmed: Vec<&str> = words
        .iter()
        .rev()
        .skip_while(|w| AUX.contains(&w.to_lowercase().as_str()))
        .copied()
        .collect();
    trimmed
        .first()
        .is_some_and(|w| matches!(w.trim_end_matches(','), "but" | "and" | "then" | "yet"))
}

/// The verb follows a quote or a comma: "…," said X.
fn inverted_position(before: &str) -> bool {
    let b = before.trim_end();
    b.ends_with("\"Q\"") || b.ends_with(',') || b.ends_with("\"Q\",")
}

/// The phrase after an inverted verb or "according to": up to the next comma or clause.
fn object_phrase(after: &str) -> Option<String> {
    let mut phrase = String::new();
    for w in after.split_whitespace() {
        let lw = w.to_lowercase();
        if !phrase.is_empty()
            && matches!(
                lw.as_str(),
                "in" | "to"
                    | "on"
                    | "during"
                    | "when"
                    | "that"
                    | "who"
                    | "after"
                    | "before"
                    | "while"
                    | "as"
                    | "and"
                    | "but"
                    | "last"
                    | "this"
                    | "earlier"
            )
        {
            break;
        }
        if !phrase.is_empty() && matches!(lw.as_str(), "on") {
            break;
        }
        phrase.push_str(w);
        phrase.push(' ');
        if w.ends_with(',') || w.ends_with('.') || w.ends_with(';') {
            break;
        }
    }
    let p = phrase.trim().trim_end_matches([',', '.', ';']).to_string();
    (!p.is_empty()).then_some(p)
}

/// The subject phrase before a verb: cut at the clause start, intro phrases
/// and auxiliaries removed; an apposition ("Role, Name,") kept whole.
fn subject_phrase(before: &str) -> Option<String> {
    let mut words: Vec<&str> = before.split_whitespace().collect();
    while words
        .last()
        .is_some_and(|w| AUX.contains(&w.to_lowercase().trim_end_matches(',')) && !w.ends_with(','))
    {
        words.pop();
    }
    // Clause start: after a quote placeholder, a semicolon, or an opener word.
    let mut start = 0;
    for (i, w) in words.iter().enumerate() {
        let lw = w.to_lowercase();
        if w.contains("\"Q\"") || w.ends_with(';') || w.ends_with(':') {
            start = i + 1;
        } else if CLAUSE_OPENERS.contains(&lw.as_str()) && i + 1 < words.len() {
            start = i + 1;
        }
    }
    let clause = &words[start..];
    if clause.is_empty() {
        return None;
    }
    let text = clause.join(" ");
    // "X, Y," apposition before the verb.
    if text.ends_with(',') {
        let parts: Vec<&str> = text.trim_end_matches(',').rsplitn(3, ", ").collect();
        if parts.len() >= 2 {
            return Some(format!("{}, {}", parts[1], parts[0]));
        }
    }
    // Otherwise the last comma-separated segment, unless it continues a list.
    let segments: Vec<&str> = text.split(", ").collect();
    let mut subject = segments.last().copied().unwrap_or("").to_string();
    if let Some(rest) = subject
        .strip_prefix("and ")
        .or_else(|| subject.strip_prefix("or "))
    {
        let mut items: Vec<&str> = segments[..segments.len() - 1]
            .iter()
            .rev()
            .take_while(|s| s.split_whitespace().next().is_some_and(is_capitalised))
            .copied()
            .collect();
        items.reverse();
        items.push(rest);
        subject = items.join(", ");
    }
    Some(subject)
}

/// Resolve a subject phrase into speakers: split coordinated names, resolve
/// pronouns and role nouns, expand acronyms.
fn resolve_all(phrase: &str, memory: &Memory) -> Vec<Known> {
    let phrase = phrase.trim();
    // Coordinated proper names: "AT&T and Lumen", "Both the DOJ and the FBI", "A, B, and C".
    let parts: Vec<String> = phrase
        .replace(", and ", ", ")
        .replace(" and ", ", ")
        .split(", ")
        .map(speaker::tidy)
        .filter(|p| !p.is_empty())
        .collect();
    let all_names = parts.len() > 1
        && parts.iter().all(|p| {
            let words: Vec<&str> = p.split_whitespace().collect();
            words.len() <= 5
                && words
                    .iter()
                    .all(|w| is_capitalised(w) || matches!(*w, "of" | "for" | "&"))
        });
    if all_names {
        return parts.iter().filter_map(|p| resolve(p, memory)).collect();
    }
    resolve(phrase, memory).into_iter().collect()
}

fn resolve(phrase: &str, memory: &Memory) -> Option<Known> {
    let parsed: Parsed = speaker::parse(phrase)?;
    let known = match parsed.kind {
        Kind::PersonPronoun => memory.last_person()?.clone(),
        Kind::OrgReference => {
            let low = phrase.to_lowercase();
            if low.contains("gang") || low.contains("group") {
                memory
                    .entities
                    .iter()
                    .rev()
                    .find(|e| e.kind == Kind::Org)?
                    .clone()
            } else {
                memory.last_org()?.clone()
            }
        }
        Kind::Anonymous => {
            let low = parsed.name.to_lowercase();
            if (low.starts_with("these ") || low.starts_with("those ") || low.starts_with("the "))
                && let Some(k) = memory.last_anonymous()
            {
                k.clone()
            } else {
                Known {
                    name: parsed.name,
                    affiliation: None,
                    kind: Kind::Anonymous,
                }
            }
        }
        Kind::Person | Kind::Org | Kind::Group => {
            let name = memory.expand(&parsed.name);
            // "the Embassy" in an affiliation: the full name mentioned earlier.
            let affiliation = parsed.affiliation.map(|a| {
                let a = memory.expand(&a);
                let lower = a.to_lowercase();
                memory
                    .entities
                    .iter()
                    .rev()
                    .find(|e| {
                        e.kind == Kind::Org
                            && e.name.to_lowercase().contains(&lower)
                            && e.name.len() > a.len()
                    })
                    .map_or(a, |e| e.name.clone())
            });
            Known {
                name,
                affiliation,
                kind: if parsed.kind == Kind::Group {
                    Kind::Group
                } else {
                    parsed.kind
                },
            }
        }
    };
    Some(known)
}

/// Remember the leading organisation of a sentence without attribution,
/// so that a later "the company" can refer to it.
fn remember_subject(masked: &str, memory: &mut Memory) {
    let words: Vec<&str> = masked.split_whitespace().take(8).collect();
    let mut name = Vec::new();
    for w in words.iter().skip_while(|w| {
        !is_capitalised(w)
            || matches!(
                w.to_lowercase().as_str(),
                "the" | "a" | "an" | "in" | "on" | "however,"
            )
    }) {
        if is_capitalised(w) || (!name.is_empty() && matches!(*w, "of" | "&")) {
            name.push(w.trim_end_matches([',', '.']));
            if w.ends_with(',') || w.ends_with('.') {
                break;
            }
        } else {
            break;
        }
    }
    if !name.is_empty() && name.len() <= 6 {
        let n = name.join(" ");
        if let Some(p) = speaker::parse(&n)
            && p.kind == Kind::Org
        {
            let full = memory.expand(&p.name);
            memory.remember(Known {
                name: full,
                affiliation: None,
                kind: Kind::Org,
            });
        }
    }
}

/// The stance of a cue, weighing negation and what was said.
fn decide(cue: Cue, masked: &str, after: &str, speaker: &Known) -> Option<Stance> {
    let content = after.to_lowercase();
    Some(match cue {
        Cue::NoComment => Stance::NoComment,
        Cue::Source => content_stance(&content, speaker).unwrap_or(Stance::Claim),
        Cue::Verb(class) => match class {
            VerbClass::Deny => {
                if negated_before(masked, after) {
                    Stance::Claim
                } else {
                    Stance::Denial
                }
            }
            VerbClass::Accuse => Stance::Accusation,
            VerbClass::Warn => Stance::Warning,
            VerbClass::Assess => Stance::Assessment,
            VerbClass::Confirm => Stance::Confirmation,
            VerbClass::Disclose => {
                if about_own_incident(&content) {
                    Stance::Confirmation
                } else {
                    content_stance(&content, speaker).unwrap_or(Stance::Claim)
                }
            }
            VerbClass::Say | VerbClass::Claim => {
                content_stance(&content, speaker).unwrap_or(Stance::Claim)
            }
        },
    })
}

fn negated_before(masked: &str, after: &str) -> bool {
    let cut = masked.len() - after.len();
    let before = masked[..cut].to_lowercase();
    let tail: String = before
        .chars()
        .rev()
        .take(24)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    tail.contains(" not ") || tail.contains("n't ") || tail.contains(" never ")
}

/// Content cues: harm denied, a state or group accused, a judgement.
fn content_stance(content: &str, speaker: &Known) -> Option<Stance> {
    static DENIED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\b(?:no|not|never|nothing|none|neither)\b[^.;]{{0,80}}\b(?:{})\b|\bno evidence\b|\bnot (?:been )?(?:involved|behind|responsible)\b",
            DENIED_HARM.join("|")
        ))
        .unwrap()
    });
    static ACCUSED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\b(?:{})\b[^.;]{{0,60}}\b(?:hack\w*|breach\w*|target\w*|infect\w*|attack\w*|compromis\w*|interfer\w*|spies|spying|stole|steal\w*|infiltrat\w*|behind)\b",
            STATE_WORDS.join("|")
        ))
        .unwrap()
    });
    if DENIED.is_match(content) {
        return Some(Stance::Denial);
    }
    let speaker_is_state = STATE_WORDS
        .iter()
        .any(|s| speaker.name.to_lowercase().contains(s));
    if !speaker_is_state && ACCUSED.is_match(content) {
        return Some(Stance::Accusation);
    }
    None
}

/// The speaker speaks of its own incident: "it had discovered an attack".
fn about_own_incident(content: &str) -> bool {
    static OWN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:it|its|they|their|we|our|the company)\b[^.;]{0,80}\b(?:breach\w*|attack\w*|hack\w*|incident|intrusion|stolen|compromis\w*|accessed|gained access|detected|discovered|experienced|suffered)\b")
            .unwrap()
    });
    OWN.is_match(content)
}

/// A continued quote: its own words may deny or warn.
fn stance_of_quote(quote: &str) -> Stance {
    let q = quote.to_lowercase();
    let dummy = Known {
        name: String::new(),
        affiliation: None,
        kind: Kind::Org,
    };
    content_stance(&q, &dummy).unwrap_or(Stance::Claim)
}

#[cfg(test)]
mod tests;
