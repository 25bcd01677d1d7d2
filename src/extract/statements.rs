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
    /// `speaker_key(name)`, computed once.
    key: String,
    affiliation: Option<String>,
    kind: Kind,
    /// Said something in this document (not merely mentioned).
    spoke: bool,
    /// Sentence number of the latest mention.
    seen_at: usize,
    /// Latest mention opened its sentence (its likely subject).
    subject: bool,
}

impl Known {
    fn new(name: String, affiliation: Option<String>, kind: Kind, spoke: bool) -> Known {
        let key = speaker_key(&name);
        Known { name, key, affiliation, kind, spoke, seen_at: 0, subject: false }
    }
}

#[derive(Default)]
struct Memory {
    /// Speakers and organisations in order of mention.
    entities: Vec<Known>,
    /// Acronyms defined as "Full Name (ACR)".
    acronyms: HashMap<String, String>,
    /// The last direct quote's speaker, by paragraph.
    last_quote: Option<(usize, Known)>,
    /// Number of the sentence being read.
    sentence: usize,
    /// The sentence being read (masked), and, computed when first needed,
    /// the organisations it names with their byte offsets.
    sentence_text: String,
    in_sentence: std::cell::OnceCell<Vec<(usize, Known)>>,
    /// Recent sentences whose mentions have not been read yet (number, masked text).
    pending: Vec<(usize, String)>,
    /// Runs of capitalised words already classified: the organisation they name, if any.
    org_cache: HashMap<String, Option<Known>>,
    /// Subject phrases already parsed (a document repeats "the company", "officials").
    parse_cache: std::cell::RefCell<HashMap<String, Option<Parsed>>>,
}

/// How many sentences back a reference ("the company") may look for a mention.
const MENTION_WINDOW: usize = 6;

impl Memory {
    fn remember(&mut self, k: Known) {
        // A mention never demotes an earlier speaker.
        let key = k.key.clone();
        let spoke = k.spoke || self.entities.iter().any(|e| e.spoke && e.key == key);
        self.entities.retain(|e| e.key != key);
        let subject = k.subject;
        self.entities.push(Known { spoke, seen_at: self.sentence, subject, ..k });
    }

    /// [`speaker::parse`], remembered per document.
    fn parse(&self, phrase: &str) -> Option<Parsed> {
        if let Some(hit) = self.parse_cache.borrow().get(phrase) {
            return hit.clone();
        }
        let parsed = speaker::parse(phrase);
        self.parse_cache.borrow_mut().insert(phrase.to_string(), parsed.clone());
        parsed
    }

    /// Read the mentions of the recent sentences not read yet, each at its
    /// own place in time.
    fn flush_mentions(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let now = self.sentence;
        for (n, text) in std::mem::take(&mut self.pending) {
            self.sentence = n;
            remember_mentions(&text, self, true);
        }
        self.sentence = now;
        self.entities.sort_by_key(|e| e.seen_at);
    }

    fn last_person(&self) -> Option<&Known> {
        self.entities.iter().rev().find(|e| e.kind == Kind::Person)
    }

    fn last_anonymous(&self) -> Option<&Known> {
        self.entities.iter().rev().find(|e| e.kind == Kind::Anonymous)
    }

    /// Expand a defined acronym: "NDS" becomes "Northwind Data Systems (NDS)".
    fn expand(&self, name: &str) -> String {
        match self.acronyms.get(name) {
            Some(full) => format!("{full} ({name})"),
            None => name.to_string(),
        }
    }

    /// Learn "Full Name (ACR)" definitions from a sentence.
    fn learn_acronyms(&mut self, text: &str) {
        // Only a parenthesis can define an acronym.
        if !text.contains(" (") {
            return;
        }
        static DEF: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"((?:[A-Z][\w&'\u{2019}.-]*\s+)(?:(?:of|and|for|the|&)\s+|[A-Z][\w&'\u{2019}.-]*\s+){0,6})\(([A-Z][A-Za-z&-]{1,9})\)").unwrap()
        });
        for cap in DEF.captures_iter(text) {
            let full = cap[1].trim().trim_start_matches("The ").trim_start_matches("the ").to_string();
            let full = full.rsplit_once("'s ").map_or(full.clone(), |(_, b)| b.to_string());
            let acr = cap[2].to_string();
            if full.split_whitespace().count() >= 2 {
                self.acronyms.insert(acr, full);
            }
        }
    }
}

/// Extract the statements of a document's paragraphs. `outlet` is the
/// publication the document comes from (its web host, e.g.
/// `news.example.com`): its own reporting ("Example News has learned") is not
/// a statement by a third party, though its analyses are kept as assessments.
pub fn extract_statements(paragraphs: &[Paragraph], outlet: Option<&str>) -> Vec<Statement> {
    let outlet_key = outlet.map(outlet_label).filter(|l| l.len() > 2);
    let mut memory = Memory::default();
    let mut out: Vec<Statement> = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        if p.heading {
            continue;
        }
        let sentences: Vec<&str> = p.sentence_texts().collect();
        for (si, sentence) in sentences.iter().enumerate() {
            memory.sentence += 1;
            memory.learn_acronyms(sentence);
            // Editors' notes ("Update: added a statement from ...") are not statements.
            let lower_start = sentence.trim_start().to_lowercase();
            if ["update:", "updated:", "correction:", "editor's note", "editor\u{2019}s note"]
                .iter()
                .any(|n| lower_start.starts_with(n))
            {
                continue;
            }
            let (masked, quotes) = mask_quotes(sentence);
            memory.sentence_text.clone_from(&masked);
            memory.in_sentence = std::cell::OnceCell::new();
            let found = attributions(&masked, &quotes, &mut memory);
            // Its mentions are read only if a later reference needs them.
            memory.pending.push((memory.sentence, masked.clone()));
            if memory.pending.len() > MENTION_WINDOW {
                memory.pending.remove(0);
            }
            if found.is_empty() {
                // A quote with no attribution of its own continues the last attributed quote.
                let continues = !quotes.is_empty()
                    && masked.trim_start().starts_with('"')
                    && memory.last_quote.as_ref().is_some_and(|(qp, _)| *qp == pi);
                if continues {
                    let (_, k) = memory.last_quote.clone().expect("checked above");
                    memory.last_quote = Some((pi, k.clone()));
                    out.push(statement(&k, stance_of_quote(&quotes.join(" "), &k), sentence, &quotes, pi, si));
                }
                continue;
            }
            let specific: Vec<String> =
                found.iter().filter(|(_, st)| *st != Stance::Claim).map(|(k, _)| k.key.clone()).collect();
            let mut seen = Vec::new();
            for (k, stance) in found {
                if stance == Stance::Claim && specific.contains(&k.key) {
                    continue;
                }
                let compact: String = k.key.chars().filter(|c| c.is_alphanumeric()).collect();
                let analysis = ["analysis", "review", "investigation", "research"]
                    .iter()
                    .any(|w| sentence.to_lowercase().contains(w));
                if stance != Stance::Assessment && !analysis && outlet_key.as_deref().is_some_and(|o| compact == o) {
                    continue;
                }
                let key = (k.key.clone(), stance);
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

/// The distinctive label of a web host: "www.example-news.com" gives "examplenews".
fn outlet_label(host_or_url: &str) -> String {
    let host = url::Url::parse(host_or_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| host_or_url.to_string());
    let labels: Vec<&str> = host.split('.').collect();
    let label = if labels.len() >= 2 { labels[labels.len() - 2] } else { labels[0] };
    label.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()
}

fn statement(k: &Known, stance: Stance, sentence: &str, quotes: &[String], pi: usize, si: usize) -> Statement {
    Statement {
        speaker: k.name.clone(),
        speaker_key: k.key.clone(),
        affiliation: k.affiliation.clone(),
        stance,
        sentence: sentence.to_string(),
        quote: (!quotes.is_empty()).then(|| quotes.join(" … ")),
        paragraph: pi,
        sentence_index: si,
        anonymous: k.kind == Kind::Anonymous,
    }
}

/// Replace quoted passages with `"Q"` and return them. An opening quote
/// with no closing one runs to the end of the sentence.
fn mask_quotes(s: &str) -> (String, Vec<String>) {
    let mut masked = String::with_capacity(s.len());
    let mut quotes = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let opening = c == '\u{201c}'
            || (c == '"' && (i == 0 || s[..i].ends_with(|p: char| p.is_whitespace() || p == '(' || p == '[')));
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
        let skip_to = i + c.len_utf8() + end + if end < rest.len() { close.len_utf8() } else { 0 };
        while chars.peek().is_some_and(|(j, _)| *j < skip_to) {
            chars.next();
        }
    }
    (masked.replace('\u{2019}', "'"), quotes)
}

/// One regex over every reporting-verb form, with optional auxiliaries and adverbs before it.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let mut forms: Vec<String> = lexicon::VERBS.iter().flat_map(|(l, _)| lexicon::inflections(l)).collect();
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    Regex::new(&format!(r"\b(?P<verb>{})\b", forms.join("|"))).unwrap()
});

static NO_COMMENT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?:{})\b", NO_COMMENT.join("|"))).unwrap());

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
    "so",
    "far",
    "however",
    "thus",
    "therefore",
    "ultimately",
    "not",
    "never",
];

/// Conjunctions and subordinators that open a new clause.
const CLAUSE_OPENERS: &[&str] = &[
    "while", "but", "when", "after", "before", "because", "since", "if", "although", "though", "where", "until",
    "once", "as", "whereas", "so", "yet", "which", "who", "that",
];

/// Verbs whose complement must be a clause ("revealed that ...", a quote,
/// a colon or a question word) for the sentence to be a statement:
/// "reported breaches" or "announced its plan" is news, not speech.
const NEEDS_CLAUSE: &[&str] = &[
    "report",
    "disclose",
    "reveal",
    "announce",
    "note",
    "describe",
    "document",
    "highlight",
    "stress",
    "emphasize",
    "emphasise",
    "post",
    "indicate",
    "suggest",
    "assess",
    "estimate",
    "conclude",
    "argue",
    "maintain",
    "insist",
    "acknowledge",
    "admit",
    "show",
    "believe",
    "think",
    "state",
    "claim",
    "explain",
];

/// A reporting verb in the passive ("were told to", "is believed to") or
/// raising ("believed to be"): not a statement by the subject.
fn passive(before: &str, after: &str, form: &str, class: VerbClass) -> bool {
    // The last word before the verb that is not an adverb ("is also believed").
    let last = before
        .split_whitespace()
        .rev()
        .find(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "also"
                    | "still"
                    | "widely"
                    | "now"
                    | "often"
                    | "further"
                    | "first"
                    | "previously"
                    | "reportedly"
                    | "not"
                    | "generally"
            )
        })
        .unwrap_or("")
        .to_lowercase();
    let participle = form.ends_with("ed") || matches!(form, "told" | "written" | "said" | "thought" | "shown");
    let be = matches!(last.as_str(), "is" | "are" | "was" | "were" | "been" | "be" | "being");
    let raising = class == VerbClass::Assess
        && (after.trim_start().starts_with("to be ") || after.trim_start().starts_with("to have "));
    be && participle || raising
}

/// The complement starts as a clause within a few words of the verb.
fn clausal(after: &str) -> bool {
    let t = after.trim_start();
    if t.is_empty() || t.starts_with(['.', ':', '"']) || t.starts_with("\"Q\"") {
        return true;
    }
    for (i, w) in t.split_whitespace().take(7).enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '"');
        if matches!(w, "that" | "how" | "what" | "whether" | "why" | "when" | "if" | "which" | "who")
            || w.starts_with('"')
        {
            return true;
        }
        // A finite verb after a subject: "the data was stolen", "the spies downloaded ...".
        let finite = matches!(
            w,
            "is" | "are"
                | "was"
                | "were"
                | "has"
                | "have"
                | "had"
                | "will"
                | "would"
                | "could"
                | "can"
                | "may"
                | "might"
                | "should"
        ) || (w.len() > 4 && w.ends_with("ed"));
        if i > 0 && finite {
            return true;
        }
        // "described the culture as inadequate".
        if w == "as" && i > 0 {
            return true;
        }
        // "claimed responsibility", "claimed the attack".
        if i == 0 && matches!(w, "responsibility" | "credit") {
            return true;
        }
        if i == 1 && matches!(w, "attack" | "intrusion" | "breach" | "hack" | "attacks" | "breaches") {
            return true;
        }
        // "reports seeing two backdoors", "claimed not to be", "claim to have".
        if i == 0 && (w.len() > 4 && w.ends_with("ing") || matches!(w, "not" | "to")) {
            return true;
        }
    }
    false
}

/// Find the attributions in a masked sentence: (speaker, stance) pairs.
fn attributions(masked: &str, quotes: &[String], memory: &mut Memory) -> Vec<(Known, Stance)> {
    let mut found: Vec<(Known, Stance)> = Vec::new();
    // Verbs inside the complement of an attribution are reported content.
    let mut reported_from: Option<usize> = None;
    let mut last_subject: Option<Known> = None;

    let mut cues: Vec<(usize, usize, Cue, &str)> = Vec::new();
    for m in NO_COMMENT_RE.find_iter(masked) {
        cues.push((m.start(), m.end(), Cue::NoComment, ""));
    }
    for m in VERB.find_iter(masked) {
        if cues.iter().any(|(s, e, _, _)| m.start() >= *s && m.start() < *e) {
            continue;
        }
        if let Some((lemma, class)) = verb_of(m.as_str()) {
            cues.push((m.start(), m.end(), Cue::Verb(class), lemma));
        }
    }
    static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:according to|as (?:previously |first |originally )?(?:reported|revealed) by|(?:has |have )?learned from|(?:a |the )?(?:new |recent |latest )?(?:report|analysis|advisory|statement) (?:by|from))\s+").unwrap()
    });
    for m in SOURCE.find_iter(masked) {
        cues.push((m.start(), m.end(), Cue::Source, ""));
    }
    static SANCTIONED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:announced|imposed|issued|unsealed|filed|brought)\s+(?:new\s+)?(?:sanctions|charges|indictments?|an indictment)\s+against\b").unwrap()
    });
    for m in SANCTIONED.find_iter(masked) {
        cues.push((m.start(), m.end(), Cue::Verb(VerbClass::Accuse), "sanction"));
    }
    static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:released|published|issued|put out|shared)\s+(?:a|an|its|their)\s+(?:new\s+|joint\s+)?(?P<what>report|advisory|alert|statement|warning|analysis|bulletin)\b").unwrap()
    });
    for c in PUBLISHED.captures_iter(masked) {
        let m = c.get(0).expect("whole match");
        let class = if matches!(&c["what"], "advisory" | "alert" | "warning" | "bulletin") {
            VerbClass::Warn
        } else {
            VerbClass::Say
        };
        cues.push((m.start(), m.end(), Cue::Verb(class), "publish"));
    }
    cues.sort_by_key(|c| c.0);

    for (start, end, cue, lemma) in cues {
        let before = &masked[..start];
        let after = &masked[end..];
        // The phrases either side of the cue, read once.
        let subject = subject_phrase(before);
        let object = object_phrase(after);
        let coordination = ends_in_coordination(before);
        let coordinated_vp = coordination && last_subject.is_some();
        // "X said they could not comment": a no-comment by the same speaker, reported.
        let self_reported = matches!(cue, Cue::NoComment)
            && subject
                .as_deref()
                .is_some_and(|p| matches!(p.to_lowercase().as_str(), "they" | "it" | "he" | "she" | "we"));
        // "..., two sources confirmed.": a closing attribution of the whole sentence.
        let closing_attribution =
            matches!(cue, Cue::Verb(_)) && after.split_whitespace().count() <= 3 && before.trim_end().contains(", ");
        if let Some(from) = reported_from
            && start > from
            && !coordinated_vp
            && !self_reported
            && !closing_attribution
            && !has_break(&masked[from..start])
        {
            continue;
        }
        // "the gang's claims", "in 12 states", "the report": a noun after a
        // possessive, a determiner, a preposition or a number, not a verb.
        let prev = before.split_whitespace().last().unwrap_or("").to_lowercase();
        let nominal = prev.ends_with("'s")
            || prev.chars().next().is_some_and(|c| c.is_ascii_digit())
            || matches!(
                prev.as_str(),
                "a" | "an"
                    | "the"
                    | "this"
                    | "that"
                    | "these"
                    | "those"
                    | "its"
                    | "their"
                    | "his"
                    | "her"
                    | "our"
                    | "my"
                    | "your"
                    | "of"
                    | "in"
                    | "on"
                    | "at"
                    | "for"
                    | "by"
                    | "with"
                    | "from"
                    | "new"
                    | "latest"
            );
        if matches!(cue, Cue::Verb(_)) && nominal && !matches!(lemma, "publish" | "sanction") {
            continue;
        }
        // "court documents claim", "reports say": a plural noun before the real verb.
        let next_is_verb =
            after.split_whitespace().next().is_some_and(|w| verb_of(w.trim_end_matches([',', '.'])).is_some());
        if matches!(cue, Cue::Verb(_)) && next_is_verb && masked[start..end].ends_with('s') {
            continue;
        }
        // An -ing form speaks only as a progressive ("is blaming") or as a
        // participial clause of the sentence's speaker ("..., saying that").
        let form = &masked[start..end];
        if form.ends_with("ing") && matches!(cue, Cue::Verb(_)) {
            let prev = before
                .split_whitespace()
                .rev()
                .find(|w| !matches!(w.to_lowercase().as_str(), "also" | "still" | "now" | "publicly"))
                .unwrap_or("")
                .to_lowercase();
            let contraction = ["it's", "he's", "she's", "they're", "we're", "that's"].contains(&prev.as_str());
            let progressive = contraction || matches!(prev.as_str(), "is" | "are" | "was" | "were" | "been" | "be");
            if !progressive {
                if before.trim_end().ends_with(',')
                    && let Some(k) = last_subject.clone()
                    && let Some(stance) =
                        decide(cue, lemma, masked, after, &format!("{after} {}", quotes.join(" ")), &k)
                {
                    found.push((k, stance));
                }
                continue;
            }
        }
        // References and affiliations look back: read the recent mentions first.
        if [subject.as_deref(), object.as_deref()].into_iter().flatten().any(needs_history) || coordination {
            memory.flush_mentions();
        }
        let resolved = |p: String| {
            let ks = resolve_all(&p, before, memory);
            (!ks.is_empty()).then_some(ks)
        };
        // "The gang wants a ransom ... and added that ...": the sentence's subject speaks.
        let left = (if coordinated_vp { last_subject.clone().map(|k| vec![k]) } else { None })
            .or_else(|| subject.clone().and_then(resolved))
            .or_else(|| {
                // Nothing precedes a sentence's own subject.
                let opening = coordination.then(|| sentence_subject(masked)).flatten()?;
                let ks = resolve_all(&opening, "", memory);
                (!ks.is_empty()).then_some(ks)
            });
        let speakers = match cue {
            Cue::Source => object.as_deref().map(|p| resolve_all(p, before, memory)).unwrap_or_default(),
            Cue::Verb(_) if left.is_none() && inverted_position(before) => {
                object.as_deref().map(|p| resolve_all(p, before, memory)).unwrap_or_default()
            }
            _ => match left {
                Some(ks) => {
                    let form = &masked[start..end];
                    let documentary = subject.as_deref().is_some_and(|p| {
                        p.to_lowercase().split_whitespace().any(|w| super::lexicon::DOCUMENT_HEADS.contains(&w))
                    });
                    let by_media = ks.iter().any(|k| is_media(&k.name)) && matches!(lemma, "report" | "document");
                    // "As the company disclosed in its letters, ...": an attribution of the main clause.
                    let parenthetical = subject
                        .as_deref()
                        .and_then(|p| before.trim_end().strip_suffix(p).map(|b| b.trim_end().to_lowercase()))
                        .is_some_and(|b| b.ends_with(" as") || b == "as");
                    if let Cue::Verb(class) = cue
                        && (passive(before, after, form, class)
                            || NEEDS_CLAUSE.contains(&lemma)
                                && !clausal(after)
                                && !documentary
                                && !by_media
                                && !parenthetical
                            || lemma == "ask" && !clausal(after))
                    {
                        continue;
                    }
                    ks
                }
                None if ends_in_coordination(before) => last_subject.clone().into_iter().collect(),
                None => Vec::new(),
            },
        };
        // What was said: the quotes, and the words after the verb, or, for
        // a closing attribution ("..., the agency said."), the words before it.
        let closing = after.split_whitespace().count() <= 4;
        let said = match cue {
            Cue::Source => masked.to_string(),
            _ if closing => format!("{masked} {}", quotes.join(" ")),
            _ => format!("{after} {}", quotes.join(" ")),
        };
        let content = said.as_str();
        for k in speakers {
            if let Some(stance) = decide(cue, lemma, masked, after, content, &k) {
                memory.remember(k.clone());
                last_subject = Some(k.clone());
                found.push((k, stance));
                reported_from = Some(end);
            }
        }
    }
    found
}

fn verb_of(form: &str) -> Option<(&'static str, VerbClass)> {
    static FORMS: LazyLock<HashMap<String, (&'static str, VerbClass)>> = LazyLock::new(|| {
        let mut map = HashMap::new();
        for (lemma, class) in lexicon::VERBS {
            for f in lexicon::inflections(lemma) {
                map.entry(f).or_insert((*lemma, *class));
            }
        }
        map
    });
    FORMS.get(form).copied()
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
    before
        .split_whitespace()
        .rev()
        .find(|w| !AUX.iter().any(|a| a.eq_ignore_ascii_case(w)))
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
                    | "but"
                    | "last"
                    | "this"
                    | "earlier"
                    | "citing"
                    | "which"
            )
        {
            break;
        }
        phrase.push_str(w);
        phrase.push(' ');
        if w.ends_with(',') || w.ends_with('.') || w.ends_with(';') {
            break;
        }
    }
    let p = phrase.trim().trim_end_matches([',', '.', ';']).to_string();
    let first = p.split_whitespace().next().unwrap_or("").to_lowercase();
    let preposition = matches!(
        first.as_str(),
        "in" | "on" | "at" | "to" | "for" | "with" | "by" | "from" | "during" | "after" | "before" | "about" | "that"
    );
    (!p.is_empty() && !preposition).then_some(p)
}

/// The subject phrase before a verb: cut at the clause start, intro phrases
/// and auxiliaries removed; an apposition ("Role, Name,") kept whole.
fn subject_phrase(before: &str) -> Option<String> {
    let mut words: Vec<&str> = before.split_whitespace().collect();
    while words.last().is_some_and(|w| AUX.contains(&w.to_lowercase().trim_end_matches(',')) && !w.ends_with(',')) {
        words.pop();
    }
    let mut start = 0;
    for (i, w) in words.iter().enumerate() {
        let lw = w.to_lowercase();
        let boundary = w.contains("\"Q\"") || w.ends_with(';') || w.ends_with(':');
        if boundary || CLAUSE_OPENERS.contains(&lw.as_str()) && i + 1 < words.len() {
            start = i + 1;
        }
    }
    let clause = &words[start..];
    if clause.is_empty() {
        return None;
    }
    let text = clause.join(" ");
    if text.ends_with(',') {
        let parts: Vec<&str> = text.trim_end_matches(',').rsplitn(3, ", ").collect();
        if parts.len() >= 2 {
            // "The Feds, along with partners in five nations," speaks as the Feds.
            let joined =
                ["along with", "together with", "as well as", "alongside", "joined by", "with", "who ", "which "];
            if joined.iter().any(|j| parts[0].starts_with(j)) {
                return Some(parts[1].to_string());
            }
            return Some(format!("{}, {}", parts[1], parts[0]));
        }
        return None;
    }
    let segments: Vec<&str> = text.split(", ").collect();
    let mut subject = segments.last().copied().unwrap_or("").to_string();
    if let Some(rest) = subject.strip_prefix("and ").or_else(|| subject.strip_prefix("or ")) {
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
/// pronouns and role nouns (using what the sentence said before the cue),
/// expand acronyms.
fn resolve_all(phrase: &str, before: &str, memory: &Memory) -> Vec<Known> {
    let phrase = phrase.trim();
    let coordinated = phrase.contains(" and ") || phrase.contains(" & ") && phrase.contains(", ");
    if !coordinated {
        return resolve(phrase, before, memory).into_iter().collect();
    }
    let parts: Vec<String> = phrase
        .replace(", and ", ", ")
        .replace(" and ", ", ")
        .split(", ")
        .map(speaker::tidy)
        .filter(|p| !p.is_empty())
        .collect();
    // Split when every part is a speaker and at least one is named:
    // "AT&T and Lumen", "the agency and the FBI"; not "officials and experts".
    let parsed: Vec<Option<Parsed>> = parts.iter().map(|p| speaker::parse(p)).collect();
    let all_names = parts.len() > 1
        && !parts.iter().any(|p| p.split_whitespace().any(speaker::is_title))
        && parts.iter().all(|p| p.split_whitespace().count() <= 6)
        && parsed
            .iter()
            .all(|p| p.as_ref().is_some_and(|p| matches!(p.kind, Kind::Org | Kind::Person | Kind::OrgReference)))
        && parsed.iter().any(|p| p.as_ref().is_some_and(|p| matches!(p.kind, Kind::Org | Kind::Person)));
    if all_names {
        return parts.iter().filter_map(|p| resolve(p, before, memory)).collect();
    }
    resolve(phrase, before, memory).into_iter().collect()
}

fn resolve(phrase: &str, before: &str, memory: &Memory) -> Option<Known> {
    let parsed: Parsed = memory.parse(phrase)?;
    let known = match parsed.kind {
        Kind::PersonPronoun => memory.last_person()?.clone(),
        Kind::OrgReference => {
            // Organisations named earlier in this same sentence come first.
            let mentions = memory.in_sentence.get_or_init(|| {
                let mut here = Memory { acronyms: memory.acronyms.clone(), ..Memory::default() };
                let positions = remember_mentions(&memory.sentence_text, &mut here, false);
                positions.into_iter().zip(here.entities).collect()
            });
            let here_entities: Vec<Known> =
                mentions.iter().filter(|(at, _)| *at < before.len()).map(|(_, k)| k.clone()).collect();
            let here = Memory { entities: here_entities, ..Memory::default() };
            let low = phrase.to_lowercase();
            let head = low.split_whitespace().last().unwrap_or("").to_string();
            let want_public = lexicon::PUBLIC_ROLES.contains(&head.as_str());
            let generic = matches!(head.as_str(), "it" | "they" | "we" | "it's" | "group" | "gang");
            let actorish =
                matches!(head.as_str(), "group" | "gang" | "crew" | "actor" | "actors" | "hackers" | "operation");
            let fits = |e: &&Known| {
                e.kind == Kind::Org
                    && !is_media(&e.name)
                    && (generic || speaker::is_public_body(&e.name) == want_public)
                    && (!actorish || names_perpetrator(&e.name))
                    // "the company" is never the gang.
                    && (actorish || generic || !names_perpetrator(&e.name))
            };
            let pronoun = matches!(head.as_str(), "it" | "they" | "we" | "it's");
            // The most recent fitting organisation; having spoken counts as half a sentence more recent.
            let recency = |e: &Known| e.seen_at as f32 + if e.spoke { 0.5 } else { 0.0 };
            let in_sentence =
                here.entities.iter().filter(|e| e.subject).find(fits).or_else(|| here.entities.iter().find(fits));
            let best = memory.entities.iter().filter(|e| fits(e)).max_by(|a, b| recency(a).total_cmp(&recency(b)));
            let _ = pronoun;
            // "the board" is first of all an organisation called "... Board".
            let named_after = |e: &&Known| !generic && e.name.to_lowercase().split_whitespace().any(|w| w == head);
            let by_name = memory
                .entities
                .iter()
                .filter(|e| fits(e) && named_after(e))
                .max_by(|a, b| recency(a).total_cmp(&recency(b)));
            let pick = by_name.or(in_sentence).or(best);
            let mut k = pick?.clone();
            k.spoke = true;
            k
        }
        Kind::Anonymous => {
            let low = parsed.name.to_lowercase();
            if (low.starts_with("these ") || low.starts_with("those ") || low.starts_with("the "))
                && let Some(k) = memory.last_anonymous()
            {
                k.clone()
            } else {
                Known::new(parsed.name, None, Kind::Anonymous, true)
            }
        }
        Kind::Person | Kind::Org | Kind::Group => {
            let mut name = memory.expand(&parsed.name);
            let mut parsed = parsed;
            // "Witty" after "Andrew Witty": the person named before.
            if !name.contains(' ')
                && let Some(p) = memory
                    .entities
                    .iter()
                    .rev()
                    .find(|e| e.kind == Kind::Person && e.name.rsplit(' ').next() == Some(name.as_str()))
            {
                name = p.name.clone();
                parsed.affiliation = parsed.affiliation.or_else(|| p.affiliation.clone());
                parsed.kind = Kind::Person;
            }
            let affiliation = parsed.affiliation.map(|a| {
                let a = memory.expand(&a);
                let lower = a.to_lowercase();
                // The fullest name: an organisation that spoke, else one mentioned.
                let fits = |e: &&Known| {
                    e.kind == Kind::Org && e.name.to_lowercase().contains(&lower) && e.name.len() > a.len()
                };
                let spoke = memory.entities.iter().rev().filter(|e| e.spoke).find(fits);
                spoke.or_else(|| memory.entities.iter().rev().find(fits)).map_or(a, |e| e.name.clone())
            });
            Known::new(name, affiliation, parsed.kind, true)
        }
    };
    Some(known)
}

/// Whether resolving a phrase may need organisations mentioned earlier:
/// pronouns, role nouns ("the company"), possessives and titles (whose
/// affiliation is matched with a fuller name).
fn needs_history(phrase: &str) -> bool {
    phrase.contains("'s")
        || phrase.contains(", ")
        || phrase.split_whitespace().any(|w| {
            let l = w.to_lowercase();
            let l = l.trim_matches(|c: char| !c.is_alphanumeric());
            matches!(l, "it" | "its" | "they" | "we" | "he" | "she") || lexicon::is_org_role(l) || speaker::is_title(w)
        })
}

/// The subject that opens a sentence ("The ransomware gang wants ... and
/// added that ..."): the longest opening phrase that parses as a speaker.
fn sentence_subject(masked: &str) -> Option<String> {
    // Up to the first word that reads as a finite verb ("wants", "is", "said").
    let words: Vec<&str> = masked
        .split_whitespace()
        .take(8)
        .take_while(|w| {
            let l = w.to_lowercase();
            let aux = matches!(
                l.as_str(),
                "is" | "are" | "was" | "were" | "has" | "have" | "had" | "will" | "would" | "can" | "could"
            );
            let nounish = super::lexicon::is_org_role(l.trim_end_matches('s'))
                || super::lexicon::PEOPLE_NOUNS.contains(&l.as_str());
            is_capitalised(w) || !(aux || (l.ends_with('s') || l.ends_with("ed")) && !nounish && l.len() > 3)
        })
        .collect();
    (1..=words.len())
        .rev()
        .map(|n| words[..n].join(" "))
        .find(|p| !p.ends_with(',') && speaker::parse(p).is_some_and(|s| s.kind != Kind::Group))
}

/// News outlets, whose own reporting is attributed to them.
fn is_media(name: &str) -> bool {
    const MEDIA: &[&str] = &[
        "journal",
        "times",
        "news",
        "post",
        "reuters",
        "bloomberg",
        "cnn",
        "bbc",
        "press",
        "guardian",
        "wired",
        "register",
        "record",
        "bleepingcomputer",
        "techcrunch",
        "verge",
        "politico",
        "axios",
        "cnbc",
        "nbc",
        "abc",
        "cbs",
        "media",
        "tribune",
        "herald",
        "telegraph",
        "economist",
    ];
    name.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| MEDIA.contains(&w))
}

/// Remember the organisations a sentence names (runs of capitalised words),
/// so that a later "the company" or "the agency" can refer to them.
/// Returns the byte offset of each mention remembered, in order (a name
/// mentioned twice keeps its later place).
fn remember_mentions(masked: &str, memory: &mut Memory, strict: bool) -> Vec<usize> {
    let mut positions: Vec<(usize, String)> = Vec::new();
    let words: Vec<&str> = masked.split_whitespace().collect();
    let offset = |w: &str| w.as_ptr() as usize - masked.as_ptr() as usize;
    // Where the sentence's subject can start: after leading words that are not
    // names ("The", "However,", "Today,").
    let subject_start = words
        .iter()
        .position(|w| {
            w.chars().any(char::is_alphabetic)
                && !matches!(
                    w.trim_end_matches(',').to_ascii_lowercase().as_str(),
                    "the" | "however" | "today" | "yesterday" | "meanwhile" | "also"
                )
        })
        .unwrap_or(words.len());
    let mut i = 0;
    while i < words.len() {
        let w0 = words[i];
        let starts_name = w0.starts_with(|c: char| c.is_alphabetic() && c.is_uppercase())
            || w0.starts_with(|c: char| c.is_ascii_digit()) && w0.chars().any(char::is_alphabetic);
        if !starts_name || w0.contains("\"Q\"") {
            i += 1;
            continue;
        }
        let mut run = vec![words[i]];
        let mut j = i + 1;
        let acronym = |w: &str| w.starts_with('(') && w.trim_end_matches([',', '.']).ends_with(')');
        while j < words.len()
            && !run.last().is_some_and(|w| w.ends_with([',', '.', ';', ':']))
            && (is_capitalised(words[j])
                || (matches!(words[j], "of" | "&" | "and") && words.get(j + 1).is_some_and(|w| is_capitalised(w))))
        {
            run.push(words[j]);
            j += 1;
        }
        if j < words.len() && acronym(words[j]) && !run.last().is_some_and(|w| w.ends_with(',')) {
            run.push(words[j]);
            j += 1;
        }
        // The run as written when its words are one space apart (the usual
        // case), else joined.
        let (start, last) = (offset(run[0]), run[run.len() - 1]);
        let written = &masked[start..offset(last) + last.len()];
        let joined;
        let name = if written.len() == run.iter().map(|w| w.len() + 1).sum::<usize>() - 1
            && written.bytes().filter(|&b| b == b' ').count() == run.len() - 1
        {
            written
        } else {
            joined = run.join(" ");
            joined.as_str()
        };
        let name = name.trim_end_matches([',', '.', ';', ':']);
        // A lone function word ("The", "However") names nothing: skip the parse.
        if run.len() == 1 && speaker::is_not_a_name(name) {
            i = j;
            continue;
        }
        // One mixed-case word ("WebAuth") names an organisation only as the
        // sentence's subject, after a role noun ("provider Acme"), or as a known speaker.
        let opening = i <= subject_start;
        let after_role = i > 0 && lexicon::is_org_role(words[i - 1].to_lowercase().as_str());
        let single_mixed = run.len() == 1 && !name.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
        // "The French multinational company": one capitalised word before a common noun modifies it.
        let next_lower = words.get(j).is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()));
        let modifier = next_lower
            && run.iter().filter(|w| !["the", "a", "an"].iter().any(|d| d.eq_ignore_ascii_case(w))).count() == 1;
        let known_speaker = strict && (single_mixed || modifier) && {
            let key = speaker_key(name);
            memory.entities.iter().any(|e| e.spoke && e.key == key)
        };
        let allowed =
            !strict || (known_speaker || after_role || opening || !single_mixed) && (!modifier || known_speaker);
        // A document names the same organisations again and again: classify each run once.
        let classified = if run.len() <= 6 && allowed {
            match memory.org_cache.get(name) {
                Some(hit) => hit.clone(),
                None => {
                    let found = speaker::organisation_name(name)
                        .filter(|org| !speaker::is_place_or_document(org))
                        .map(|org| Known::new(memory.expand(&org), None, Kind::Org, false));
                    memory.org_cache.insert(name.to_string(), found.clone());
                    found
                }
            }
        } else {
            None
        };
        if let Some(known) = classified {
            let k = Known { subject: opening, ..known };
            positions.retain(|(_, key)| *key != k.key);
            positions.push((offset(words[i]), k.key.clone()));
            memory.remember(k);
        }
        i = j;
    }
    positions.into_iter().map(|(at, _)| at).collect()
}

/// The stance of a cue, weighing negation and what was said. `after` is the
/// text after the cue; `content` what the speaker said (quotes included).
fn decide(cue: Cue, lemma: &str, masked: &str, after: &str, content: &str, speaker: &Known) -> Option<Stance> {
    let lemma_is_confirm = lemma == "confirm";
    Some(match cue {
        Cue::NoComment => Stance::NoComment,
        // A source's report: a claim, unless it denies.
        // What the press reports is a claim; other sources keep their content's stance.
        Cue::Source => match content_stance(content, speaker) {
            Some(Stance::Denial) => Stance::Denial,
            Some(Stance::Accusation) if !is_media(&speaker.name) => Stance::Accusation,
            _ => Stance::Claim,
        },
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
            // "The investigation indicates that the crew was behind it" accuses.
            VerbClass::Assess => match content_stance(content, speaker) {
                Some(Stance::Accusation) if !hedged(content) => Stance::Accusation,
                Some(Stance::Warning) => Stance::Warning,
                _ => Stance::Assessment,
            },
            VerbClass::Confirm if negated_before(masked, after) => Stance::NoComment,
            VerbClass::Confirm => {
                // An authority confirming who did it is accusing.
                let public = speaker::is_public_body(&speaker.name);
                if lemma_is_confirm && public && content_stance(content, speaker) == Some(Stance::Accusation) {
                    Stance::Accusation
                } else {
                    Stance::Confirmation
                }
            }
            // Disclosing a breach is confirming it, unless an authority discloses who did it.
            VerbClass::Disclose => {
                let lower = content.to_lowercase();
                let public = speaker::is_public_body(&speaker.name);
                match content_stance(content, speaker) {
                    Some(Stance::Denial) => Stance::Denial,
                    _ if own_incident(&lower, speaker) => Stance::Confirmation,
                    // An authority revealing who did it accuses; a company revealing what
                    // others did reports it; a company revealing a breach confirms it.
                    Some(Stance::Accusation) if public => Stance::Accusation,
                    _ if public => content_stance(content, speaker).unwrap_or(Stance::Claim),
                    _ if mentions_incident(&lower) && !PERPETRATOR.is_match(content) => Stance::Confirmation,
                    _ => Stance::Claim,
                }
            }
            VerbClass::Say | VerbClass::Claim => content_stance(content, speaker).unwrap_or(Stance::Claim),
        },
    })
}

fn negated_before(masked: &str, after: &str) -> bool {
    let cut = masked.len() - after.len();
    let before = masked[..cut].to_lowercase();
    let tail: String = before.chars().rev().take(24).collect::<String>().chars().rev().collect();
    tail.contains(" not ") || tail.contains("n't ") || tail.contains(" never ")
}

/// "no customer data was stolen", "was not compromised", "not involved":
/// a negation followed, within the same clause (about 25 words, no
/// question word between), by a word of harm.
fn denies_harm(lower: &str) -> bool {
    if lower.contains("no evidence") {
        return true;
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        if !matches!(
            w,
            "no" | "not"
                | "never"
                | "nothing"
                | "none"
                | "neither"
                | "wasn't"
                | "weren't"
                | "hasn't"
                | "haven't"
                | "isn't"
        ) {
            continue;
        }
        for next in words.iter().skip(i + 1).take(25) {
            let n = next.trim_matches(|c: char| !c.is_alphanumeric());
            if matches!(n, "when" | "whether" | "how" | "if" | "why") {
                break;
            }
            if DENIED_HARM.contains(&n) {
                return true;
            }
            if next.ends_with(['.', ';']) {
                break;
            }
        }
    }
    false
}

/// Hedged wording: a judgement rather than an assertion.
fn hedged(content: &str) -> bool {
    static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:likely|appears? to|seems? to|probably|possibly|may have|might have|could have)\b")
            .unwrap()
    });
    HEDGE.is_match(content)
}

/// Words of a security incident.
fn mentions_incident(lower: &str) -> bool {
    static INCIDENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:breach\w*|attack\w*|cyberattack\w*|stolen|stole|compromis\w*|accessed|gained access|intrusion|incident|exfiltrat\w*|ransomware)\b").unwrap()
    });
    INCIDENT.is_match(lower)
}

/// Whether a name is a threat group's (a known name or a vendor naming scheme).
fn names_perpetrator(name: &str) -> bool {
    PERPETRATOR.is_match(name) && !STATE_WORDS.iter().any(|s| name.to_lowercase() == *s)
}

static PERPETRATOR: LazyLock<Regex> = LazyLock::new(|| {
    let states = STATE_WORDS.join("|");
    let actors: Vec<String> = lexicon::ACTOR_NAMES.iter().map(|a| regex::escape(a)).collect();
    Regex::new(&format!(
        r"(?i:\b(?:{states})\b)|\b(?:{})\b|\b(?:APT ?\d+|UNC\d{{3,5}}|FIN\d+|TA\d{{3}}|Storm-\d{{4}}|DEV-\d{{4}})\b|\b[A-Z][a-z]+ (?:Typhoon|Blizzard|Sandstorm|Sleet|Tempest|Panda|Bear|Kitten|Chollima|Spider)\b",
        actors.join("|")
    ))
    .unwrap()
});

/// Content cues: harm denied, a state or group accused, a judgement, one's
/// own incident confirmed.
fn content_stance(content: &str, speaker: &Known) -> Option<Stance> {
    static ACT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:hacked|breached|breaching|targeted|targeting|infected|attacked|compromised|interfered|stole|stolen|steal|infiltrated|spied|spying|behind|responsible|conducted|carried out|pre-positioning|expected the attack|attack(?:s|ed)? (?:on|against))\b")
            .unwrap()
    });
    static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:i think|we think|likely|appears? to|seems? to|probably|possibly|suggests?)\b").unwrap()
    });
    static BELIEF: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:believe[sd]?|suspect(?:s|ed)?|assess(?:es|ed)?)\b").unwrap());
    let lower = content.to_lowercase();
    static BLAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:failed to|failure to|failings?|negligen\w*|violat\w*|lax security|inadequate|did not (?:adequately )?(?:protect|secure))\b").unwrap()
    });
    // "not possible to say when the hackers would be removed from the affected networks" denies nothing.
    let denied = denies_harm(&lower);
    if denied {
        return Some(Stance::Denial);
    }
    if BLAME.is_match(&lower) {
        return Some(Stance::Accusation);
    }
    if HEDGE.is_match(content) || content.trim_end().ends_with('?') {
        return Some(Stance::Assessment);
    }
    let speaker_is_perpetrator = PERPETRATOR.is_match(&speaker.name);
    if !speaker_is_perpetrator && PERPETRATOR.is_match(content) && ACT.is_match(content) {
        return Some(Stance::Accusation);
    }
    static THREAT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:awaiting an opportunity|waiting for an opportunity|prepar\w+ to (?:disrupt|attack|strike|sabotage)|pre-?position\w*|could (?:be used to|disrupt|cripple|cause)|poses? (?:a )?(?:serious |significant |grave )?(?:threat|risk)|from being (?:leaked|published|sold)|will be (?:leaked|published|sold)|negotiating the sale)\b").unwrap()
    });
    if THREAT.is_match(content) {
        return Some(Stance::Warning);
    }
    if BELIEF.is_match(content) {
        return Some(Stance::Assessment);
    }
    if own_incident(&lower, speaker) {
        return Some(Stance::Confirmation);
    }
    None
}

/// The speaker says the incident happened to it: "we were breached",
/// "attacks on a number of Acme servers", "gained access to a system used by
/// Acme", "it had discovered an attack".
fn own_incident(content: &str, speaker: &Known) -> bool {
    const WORDS: &[&str] = &[
        "breach",
        "hack",
        "attack",
        "compromis",
        "affected",
        "impacted",
        "target",
        "incident",
        "intrusion",
        "gained access",
        "stolen",
        "taken",
        "copied",
        "exfiltrat",
        "leaked",
    ];
    if !WORDS.iter().any(|w| content.contains(w)) {
        return false;
    }
    let own_names: Vec<String> = [Some(speaker.name.as_str()), speaker.affiliation.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|n| n.split_whitespace().next())
        .map(|w| w.to_lowercase().trim_end_matches("'s").to_string())
        .filter(|w| w.len() > 2 && w.chars().any(char::is_alphabetic))
        .collect();
    let words: Vec<&str> = content.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).collect();
    // Not "it": lower-cased, "the IT help desk" would read as one.
    let is_self = |w: &str| matches!(w, "we" | "our" | "us" | "its") || own_names.iter().any(|n| n == w);
    let within = |from: usize, n: usize, pred: &dyn Fn(&str) -> bool| words.iter().skip(from).take(n).any(|w| pred(w));
    const HIT: &[&str] = &["breached", "hacked", "attacked", "compromised", "affected", "impacted"];
    const BE: &[&str] = &["was", "were", "been", "is", "are", "be"];
    const FOUND: &[&str] = &["suffered", "experienced", "detected", "discovered", "identified"];
    const EVENT: &[&str] = &["breach", "attack", "cyberattack", "incident", "intrusion"];
    const LOST: &[&str] = &["stolen", "taken", "copied", "exfiltrated", "leaked"];
    for (i, w) in words.iter().enumerate() {
        if is_self(w) {
            // "we were breached", "its network had been compromised".
            let hit = words
                .iter()
                .enumerate()
                .skip(i + 1)
                .take(12)
                .any(|(k, x)| HIT.contains(x) && words.get(k - 1).is_some_and(|b| BE.contains(b)));
            if hit {
                return true;
            }
            // "it had discovered a nation-state attack".
            if let Some(k) = words.iter().skip(i + 1).take(12).position(|x| FOUND.contains(x) || *x == "had")
                && within(i + 2 + k, 5, &|x| EVENT.contains(&x))
            {
                return true;
            }
            // "its entities had records stolen".
            if within(i + 1, 8, &|x| matches!(x, "had" | "have" | "has")) && within(i + 1, 10, &|x| LOST.contains(&x)) {
                return true;
            }
        }
        // "attacks on a number of our servers", "gained access to a system used by us".
        let reaches = matches!(*w, "attack" | "attacks" | "intrusion" | "intrusions" | "breach" | "breaches")
            && words.get(i + 1).is_some_and(|n| matches!(*n, "on" | "of" | "at"));
        let access = *w == "gained" && words.get(i + 1) == Some(&"access");
        if (reaches && within(i + 2, 10, &is_self)) || (access && within(i + 2, 16, &is_self)) {
            return true;
        }
    }
    false
}

/// A continued quote: its own words may deny, accuse or judge.
fn stance_of_quote(quote: &str, speaker: &Known) -> Stance {
    content_stance(quote, speaker).unwrap_or(Stance::Claim)
}

#[cfg(test)]
mod tests;
