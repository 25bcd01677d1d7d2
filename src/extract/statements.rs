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
//! the same paragraph, as one record however many sentences it runs over. A
//! bare tag after a quote that ended its own sentence (`"... this time?"
//! Clinton said.`) makes one record from the opening quote mark to the tag.

use std::collections::HashMap;

use serde::Serialize;

use super::attribution::{self, Cue};
use super::lexicon::{self, STATE_WORDS, Stance, VerbClass};
use super::speaker::{self, Gender, Kind, Parsed, is_capitalised, speaker_key};
use super::stance;
use crate::model::{Paragraph, Span};
use crate::nlp::{Deprel, DocumentParse, Nlp, Sentence, Upos, trimmed};

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
    /// How many times it was named or spoke.
    mentions: u32,
    /// Sentence number of the first mention.
    first_seen: usize,
}

impl Known {
    fn new(name: String, affiliation: Option<String>, kind: Kind, spoke: bool) -> Known {
        let key = speaker_key(&name);
        Known { name, key, affiliation, kind, spoke, seen_at: 0, subject: false, mentions: 0, first_seen: 0 }
    }
}

#[derive(Default)]
struct Memory {
    /// Speakers and organisations in order of mention.
    entities: Vec<Known>,
    /// Acronyms defined as "Full Name (ACR)".
    acronyms: HashMap<String, String>,
    /// Names spelt out so far, by their initials ("DHS" -> "Department of
    /// Homeland Security"); the first one seen is kept.
    initials: HashMap<String, String>,
    /// The author of each kind of document named so far ("memo" -> "DHS").
    documents: HashMap<String, String>,
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
    /// The document's victims, by speaker key.
    victims: Vec<String>,
    /// Surnames a title or role marked with a gender ("Ms. Moore"); `None`
    /// when the story marks one surname both ways (Mr. and Mrs. Clinton).
    genders: HashMap<String, Option<Gender>>,
}

/// How many sentences back a reference ("the company") may look for a mention.
const MENTION_WINDOW: usize = 6;

impl Memory {
    fn remember(&mut self, k: Known) {
        // A mention never demotes an earlier speaker.
        let key = k.key.clone();
        let spoke = k.spoke || self.entities.iter().any(|e| e.spoke && e.key == key);
        let before = self.entities.iter().find(|e| e.key == key);
        let mentions = 1 + before.map_or(0, |e| e.mentions);
        let first_seen = before.map_or(self.sentence, |e| e.first_seen);
        self.entities.retain(|e| e.key != key);
        let subject = k.subject;
        self.entities.push(Known { spoke, seen_at: self.sentence, subject, mentions, first_seen, ..k });
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

    /// The person a pronoun most likely is: the latest who spoke or was
    /// named as a subject (or after a title), and of those in one sentence
    /// the subject. A person whose gender is known otherwise is passed
    /// over (`she` after "Donald Trump" looks further back).
    fn last_person(&self, gender: Option<Gender>) -> Option<&Known> {
        self.entities
            .iter()
            .filter(|e| e.kind == Kind::Person && (e.spoke || e.subject))
            .filter(|e| gender.is_none() || self.gender_of(&e.name).is_none_or(|g| Some(g) == gender))
            .max_by_key(|e| (e.seen_at, e.subject))
    }

    /// The person named before whose surname a lone `surname` is ("Witty"
    /// after "Andrew Witty"): of two ("Bill Clinton", "Hillary Clinton"),
    /// one who spoke, then one whose first name is a known given name (not
    /// a headline's "Railing Against Trump"), then the one named most
    /// often, then the one named first (a story's protagonist comes first).
    fn full_name(&self, surname: &str) -> Option<&Known> {
        self.entities
            .iter()
            .filter(|e| e.kind == Kind::Person && e.name != surname && e.name.rsplit(' ').next() == Some(surname))
            .max_by_key(|e| {
                let given = speaker::given_name_gender(&e.name).is_some();
                (e.spoke, given, e.mentions, std::cmp::Reverse(e.first_seen))
            })
    }

    /// A person's gender: from the given name, else from a title or role
    /// the story gave the surname.
    fn gender_of(&self, name: &str) -> Option<Gender> {
        speaker::given_name_gender(name).or_else(|| {
            let last = name.split_whitespace().last()?.to_lowercase();
            self.genders.get(&last).copied().flatten()
        })
    }

    fn last_anonymous(&self) -> Option<&Known> {
        self.entities.iter().rev().find(|e| e.kind == Kind::Anonymous)
    }

    /// Expand a defined acronym: "NDS" becomes "Northwind Data Systems (NDS)".
    fn expand(&self, name: &str) -> String {
        match self.acronyms.get(name).or_else(|| self.initials.get(name)) {
            Some(full) => format!("{full} ({name})"),
            None => name.to_string(),
        }
    }

    /// Learn "Full Name (ACR)" definitions from a sentence.
    fn learn_acronyms(&mut self, text: &str) {
        self.acronyms.extend(speaker::acronym_definitions(text));
        self.documents.extend(speaker::document_authors(text));
        for (initials, full) in speaker::initialisms(text) {
            self.initials.entry(initials).or_insert(full);
        }
        for (surname, gender) in speaker::gendered_names(text) {
            let known = self.genders.entry(surname).or_insert(Some(gender));
            if *known != Some(gender) {
                *known = None;
            }
        }
    }

    /// The author of "the memo", "the alert" when the story named one.
    fn author_of(&self, phrase: &str) -> Option<&String> {
        let words: Vec<&str> =
            phrase.split_whitespace().filter(|w| !matches!(*w, "the" | "The" | "this" | "This")).collect();
        match words.as_slice() {
            [head] => self.documents.get(*head),
            _ => None,
        }
    }
}

/// Extract the statements of a document's paragraphs. `victims` are the
/// document's victims (from the incident facts): a victim speaking of the
/// incident confirms it. `outlet` is the
/// publication the document comes from (its web host, e.g.
/// `news.example.com`): its own reporting ("Example News has learned") is not
/// a statement by a third party, though its analyses are kept, and so are its
/// judgements, attributions and advice in its own pages ("Fabrikam attributes
/// the campaign to GroupX", "Fabrikam urges users to patch").
pub fn extract_statements(paragraphs: &[Paragraph], outlet: Option<&str>, victims: &[String]) -> Vec<Statement> {
    extract_statements_parsed(&DocumentParse::new(Nlp::bundled(), paragraphs), paragraphs, outlet, victims)
}

/// [`extract_statements`] over a document parse another stage may have
/// filled already (`doc` was made from `paragraphs`).
pub fn extract_statements_parsed(
    doc: &DocumentParse,
    paragraphs: &[Paragraph],
    outlet: Option<&str>,
    victims: &[String],
) -> Vec<Statement> {
    let outlet_key = outlet.map(outlet_label).filter(|l| l.len() > 2);
    let mut memory = Memory { victims: victims.iter().map(|v| speaker_key(v)).collect(), ..Memory::default() };
    let mut out: Vec<Statement> = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        if p.heading {
            continue;
        }
        let quotations = attribution::quotations(&p.text);
        // The record a quote continued over sentences is growing in: its
        // index in `out`, the last sentence it took, where its text starts.
        let mut continued: Option<(usize, usize, u32)> = None;
        for (si, &whole) in p.sentences.iter().enumerate() {
            let span = trimmed(&p.text, whole);
            let sentence = &p.text[span.start as usize..span.end as usize];
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
            // A sentence that closes a quote opened in an earlier sentence.
            let tagged = quotes.is_empty().then(|| quote_before(p, span, &quotations)).flatten();
            let found = attributions(p, span, || doc.sentence(pi, si), &quotations, tagged.is_some(), &mut memory);
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
                    let stance = stance_of_quote(doc.sentence(pi, si), &quotations, &k, &memory.victims);
                    // The quote goes on over several sentences: one record from
                    // its first continued sentence to here.
                    match continued.filter(|&(at, last, _)| last + 1 == si && at + 1 == out.len()) {
                        Some((at, _, start)) => {
                            extend_to(&mut out[at], &p.text[start as usize..span.end as usize], stance, &quotes);
                            continued = Some((at, si, start));
                        }
                        None => {
                            out.push(statement(&k, stance, sentence, &quotes, pi, si));
                            continued = Some((out.len() - 1, si, span.start));
                        }
                    }
                }
                continue;
            }
            continued = None;
            // A bare tag: the record runs from the opening quote mark to the
            // end of the tag, and the quoted sentences are no longer records
            // of their own.
            let (record, first_si) = match tagged {
                Some(start) => {
                    let first = p.sentences.iter().position(|s| s.end > start).unwrap_or(si);
                    out.retain(|st| st.paragraph != pi || st.sentence_index < first);
                    (&p.text[start as usize..span.end as usize], first)
                }
                None => (sentence, si),
            };
            let tag_quotes: Vec<String>;
            let quotes = match tagged {
                Some(_) => {
                    tag_quotes = mask_quotes(record).1;
                    &tag_quotes
                }
                None => &quotes,
            };
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
                // A publisher's own judgement, attribution or advice is kept.
                let judges = matches!(stance, Stance::Assessment | Stance::Accusation | Stance::Warning);
                if !judges && !analysis && outlet_key.as_deref().is_some_and(|o| compact == o) {
                    continue;
                }
                let key = (k.key.clone(), stance);
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                // A sentence opening with a quote, however short (`"It is
                // over," Voss said.`), may be continued by the next one.
                if !quotes.is_empty() || sentence.trim_start().starts_with(['"', '\u{201c}']) {
                    memory.last_quote = Some((pi, k.clone()));
                }
                out.push(statement(&k, stance, record, quotes, pi, first_si));
            }
        }
    }
    out
}

/// Where the quote a sentence closes starts, when it opened a sentence
/// before this one: the sentence at `span` begins inside the quotation
/// (`"... controversy. I finished it," Trump said.`), or is a short bare tag
/// right after it (`"... this time?" Clinton said.`, `she asked, smiling.`).
fn quote_before(p: &Paragraph, span: Span, quotations: &[(u32, u32)]) -> Option<u32> {
    const TAG_WORDS: usize = 10;
    let text = &p.text[span.start as usize..span.end as usize];
    let short = text.split_whitespace().count() <= TAG_WORDS;
    let before = p.text[..span.start as usize].trim_end().len() as u32;
    let opens_sentence = |start: u32| p.sentences.iter().any(|&s| trimmed(&p.text, s).start == start);
    quotations
        .iter()
        .find(|&&(start, end)| {
            start < span.start
                && (end > span.start && end <= span.end || short && end == before)
                && opens_sentence(start)
        })
        .map(|&(start, _)| start)
}

/// Grow a continued quote's record over the next sentence of its
/// paragraph: `text` runs from the record's start to that sentence's end.
fn extend_to(st: &mut Statement, text: &str, stance: Stance, quotes: &[String]) {
    st.sentence = text.to_string();
    if !quotes.is_empty() {
        let more = quotes.join(" \u{2026} ");
        st.quote = Some(st.quote.take().map_or(more.clone(), |q| format!("{q} \u{2026} {more}")));
    }
    // A later sentence may say more than the first one did.
    if st.stance == Stance::Claim {
        st.stance = stance;
    }
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

/// Find the attributions of one sentence over its parse and resolve their
/// sources into speakers: (speaker, stance) pairs.
fn attributions<'s>(
    p: &Paragraph,
    span: Span,
    parsed: impl FnOnce() -> &'s Sentence,
    quotations: &[(u32, u32)],
    after_quote: bool,
    memory: &mut Memory,
) -> Vec<(Known, Stance)> {
    let text = &p.text[span.start as usize..span.end as usize];
    if !attribution::may_attribute(
        text.split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    ) {
        return Vec::new();
    }
    // Parsed only now: most sentences of a story report no speech.
    let sentence = parsed();
    let quoted = attribution::quoted_tokens(sentence, quotations);
    let mut found: Vec<(Known, Stance)> = Vec::new();
    for a in attribution::attributions_after(sentence, &quoted, after_quote) {
        let before = &p.text[span.start as usize..sentence.tokens[a.source[0]].span.start as usize];
        if needs_history(&sentence.text_of(&a.source, &p.text)) {
            memory.flush_mentions();
        }
        let speakers = speakers_of(sentence, &a.source, &p.text, before, memory);
        let mut content = a.content.clone();
        content.extend((0..sentence.tokens.len()).filter(|&j| quoted[j]));
        content.sort_unstable();
        content.dedup();
        let said = stance::Said::new(sentence, content);
        // Menu items or headlines a scraper glued together name nobody.
        for k in speakers.into_iter().filter(|k| !speaker::is_glued_furniture(&k.name)) {
            if let Some(stance) = stance::stance(a.cue, &a.lemma, a.negated, &said, who(&k, &memory.victims)) {
                memory.remember(k.clone());
                found.push((k, stance));
            }
        }
    }
    found
}

/// The speakers a source phrase of a parsed sentence names: one per
/// conjunct when every conjunct names a body or a person ("AT&T and
/// Lumen"), else one; each resolved against what the document said before.
fn speakers_of(s: &Sentence, ids: &[usize], text: &str, before: &str, memory: &Memory) -> Vec<Known> {
    let t = &s.tokens;
    let Some(head) = ids.iter().copied().find(|&j| t[j].head.is_none_or(|h| !ids.contains(&h))) else {
        return Vec::new();
    };
    let conjuncts: Vec<usize> =
        ids.iter().copied().filter(|&j| t[j].rel == Deprel::CONJ && t[j].head == Some(head)).collect();
    // A list the parse did not see as one ("Fabrikam Telecom and Northwind
    // Bank" read as a single name) is split at its "and" and commas.
    // An "and" inside a body's name ("the Cybersecurity and Infrastructure
    // Security Agency") joins no list, however the parse read it.
    // ... after "the" and a capitalised word.
    let in_name = |j: usize| {
        j > 1
            && t[j - 1].text.starts_with(char::is_uppercase)
            && (j.saturating_sub(4)..j - 1).any(|k| t[k].lower == "the")
            && speaker::and_in_body_name(s, ids, j)
    };
    let joins = |j: usize| matches!(t[j].lower.as_str(), "and" | "nor");
    let ands: Vec<usize> = ids.iter().copied().filter(|&j| joins(j) && t[j].upos == Upos::Cconj).collect();
    let named_and = ands.iter().any(|&j| in_name(j));
    let listed = (conjuncts.is_empty() || named_and) && ands.iter().any(|&j| !in_name(j));
    if named_and && !listed {
        // One body, one speaker.
    } else if !conjuncts.is_empty() || listed {
        // A part loses the list's joints (conjunctions, commas, quotes), not
        // the punctuation of a name ("Urban-Brookings", "Acme (ACM)").
        let joint = |j: usize| {
            t[j].upos == Upos::Cconj && !in_name(j)
                || t[j].upos == Upos::Punct && !matches!(t[j].text.as_str(), "-" | "." | "&" | "(" | ")")
        };
        let trim = |part: Vec<usize>| -> Vec<usize> { part.into_iter().filter(|&j| !joint(j)).collect() };
        let mut parts = Vec::new();
        if listed {
            for piece in ids.split(|&j| joins(j) && !in_name(j) || t[j].text == ",") {
                parts.push(trim(piece.to_vec()));
            }
            parts.retain(|p| !p.is_empty());
        } else {
            let below: Vec<Vec<usize>> = conjuncts.iter().map(|&c| s.subtree(c)).collect();
            parts.push(trim(ids.iter().copied().filter(|j| !below.iter().any(|b| b.contains(j))).collect()));
            parts.extend(below.into_iter().map(|b| trim(b.into_iter().filter(|j| ids.contains(j)).collect())));
        }
        let parsed: Vec<Option<Parsed>> = parts.iter().map(|p| speaker::from_parse(s, p, text)).collect();
        let names = parsed
            .iter()
            .all(|p| p.as_ref().is_some_and(|p| matches!(p.kind, Kind::Org | Kind::Person | Kind::OrgReference)))
            && parsed.iter().any(|p| p.as_ref().is_some_and(|p| matches!(p.kind, Kind::Org | Kind::Person)));
        if names {
            return parsed
                .into_iter()
                .zip(&parts)
                .filter_map(|(p, ids)| resolve_parsed(p?, &s.text_of(ids, text), before, memory))
                .collect();
        }
    }
    let phrase = s.text_of(ids, text);
    if let Some(k) = speaker::from_parse(s, ids, text).and_then(|p| resolve_parsed(p, &phrase, before, memory)) {
        return vec![k];
    }
    // A description of a person nobody named ("the announcer", "an
    // architect", "one questioner") speaks as described.
    let described = t[head].upos == Upos::Noun
        && (lexicon::is_person_noun(&t[head].lower)
            || lexicon::DOCUMENT_HEADS.contains(&t[head].lower.as_str())
                && !lexicon::ANALYSES.contains(&t[head].lower.as_str()))
        && ids.len() <= 8
        && !ids.iter().any(|&j| t[j].upos == Upos::Propn);
    if described {
        let name = speaker::tidy(&phrase);
        if !name.is_empty() {
            return vec![Known::new(name, None, Kind::Anonymous, true)];
        }
    }
    Vec::new()
}

fn resolve_parsed(parsed: Parsed, phrase: &str, before: &str, memory: &Memory) -> Option<Known> {
    let known = match parsed.kind {
        Kind::PersonPronoun => memory.last_person(speaker::pronoun_gender(&parsed.name))?.clone(),
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
            // "the newspaper", "the publication": an outlet named before.
            let media = lexicon::MEDIA_ROLES.contains(&head.as_str());
            let fits = |e: &&Known| {
                e.kind == Kind::Org
                    && (media || !is_media(&e.name))
                    && (generic || media || speaker::is_public_body(&e.name) == want_public)
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
            // "the embassy" after "a spokesperson for China's embassy": the
            // body a speaker was affiliated with.
            let by_affiliation = || {
                memory.entities.iter().rev().find_map(|e| {
                    let a = e.affiliation.as_deref()?;
                    (!generic && a.to_lowercase().split_whitespace().any(|w| w == head))
                        .then(|| Known::new(a.to_string(), None, Kind::Org, true))
                })
            };
            // A body whose kind names it ("the embassy", "the ministry") is
            // never some other body that happened to be mentioned last.
            let own_name = lexicon::NAMED_BODIES.contains(&head.as_str());
            let mut k = match by_name.cloned().or_else(by_affiliation) {
                Some(k) => k,
                None if own_name => Known::new(speaker::tidy(phrase), None, Kind::Org, true),
                None => in_sentence.or(best)?.clone(),
            };
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
        Kind::Group if memory.author_of(&parsed.name).is_some() => {
            let author = memory.author_of(&parsed.name).expect("checked");
            Known::new(memory.expand(author), None, Kind::Org, true)
        }
        Kind::Person | Kind::Org | Kind::Group => {
            let mut name = memory.expand(&parsed.name);
            let mut parsed = parsed;
            // "HMR's Boyce": Boyce of HMR.
            if let Some((owner, surname)) = speaker::split_possessive(&name)
                && !surname.contains(' ')
                && surname.starts_with(char::is_uppercase)
            {
                parsed.affiliation = parsed.affiliation.or_else(|| Some(owner.to_string()));
                name = surname.to_string();
            }
            // "Witty" after "Andrew Witty": the person named before.
            if !name.contains(' ')
                && let Some(p) = memory.full_name(&name)
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

/// Whether resolving a phrase may need what was mentioned earlier:
/// pronouns, role nouns ("the company"), possessives and titles (whose
/// affiliation is matched with a fuller name), lone surnames.
fn needs_history(phrase: &str) -> bool {
    // A lone name may be the surname of someone named before.
    let lone_name = phrase.split_whitespace().count() == 1 && phrase.starts_with(char::is_uppercase);
    lone_name
        || phrase.contains("'s")
        || phrase.contains(", ")
        || phrase.split_whitespace().any(|w| {
            let l = w.to_lowercase();
            let l = l.trim_matches(|c: char| !c.is_alphanumeric());
            matches!(l, "it" | "its" | "they" | "we" | "he" | "she") || lexicon::is_org_role(l) || speaker::is_title(w)
        })
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
                && !(w.starts_with(char::is_uppercase) && speaker::is_not_a_name(w))
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
        // A run opened by a word that names nothing ("But Trump", "On
        // Monday", "While Acme") starts after it.
        if speaker::is_not_a_name(w0) && !w0.ends_with([',', '.', ';', ':']) {
            i += 1;
            continue;
        }
        let mut run = vec![words[i]];
        let mut j = i + 1;
        let acronym = |w: &str| w.starts_with('(') && w.trim_end_matches([',', '.']).ends_with(')');
        // A title's full stop does not end the name: "Mr. Obama".
        let ends = |w: &str| w.ends_with([',', ';', ':']) || w.ends_with('.') && !speaker::is_title(w);
        while j < words.len()
            && !run.last().is_some_and(|w| ends(w))
            && (is_capitalised(words[j])
                || ((matches!(words[j], "of" | "&" | "and") || lexicon::NAME_PARTICLES.contains(&words[j]))
                    && words.get(j + 1).is_some_and(|w| is_capitalised(w))))
        {
            run.push(words[j]);
            j += 1;
        }
        if j < words.len() && acronym(words[j]) && !run.last().is_some_and(|w| w.ends_with(',')) {
            run.push(words[j]);
            j += 1;
        }
        // "Former Pennsylvania Gov. Ed Rendell": the person is the name after
        // the last title.
        let after_title =
            run[..run.len() - 1].iter().rposition(|w| speaker::is_person_title(w)).map(|t| t + 1).filter(|&t| {
                run.len() - t <= 4 && run[t..].iter().all(|w| is_capitalised(w) || lexicon::NAME_PARTICLES.contains(w))
            });
        if let Some(t) = after_title {
            run.drain(..t);
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
            && after_title.is_none()
            && run.iter().filter(|w| !["the", "a", "an"].iter().any(|d| d.eq_ignore_ascii_case(w))).count() == 1;
        let known_speaker = strict && (single_mixed || modifier) && {
            let key = speaker_key(name);
            memory.entities.iter().any(|e| e.spoke && e.key == key)
        };
        let allowed = !strict
            || (known_speaker || after_role || opening || after_title.is_some() || !single_mixed)
                && (!modifier || known_speaker);
        // A document names the same organisations again and again: classify each run once.
        let classified = if after_title.is_some() && allowed {
            // A title makes the name a person's ("Mr. King's" is King, "Sen.
            // Ron Wyden (D-Ore.)" Ron Wyden), and a lone surname that of the
            // person named before.
            let name = name.split(" (").next().unwrap_or(name);
            let name = speaker::split_possessive(name).map_or(name, |(owner, _)| owner);
            let name = speaker::strip_possessive(&speaker::tidy(name));
            let earlier = memory.full_name(&name);
            Some(earlier.cloned().unwrap_or_else(|| Known::new(name, None, Kind::Person, false)))
        } else if run.len() <= 6 && allowed {
            match memory.org_cache.get(name) {
                Some(hit) => hit.clone(),
                None => {
                    let found = match speaker::organisation_name(name) {
                        Some(org) => (!speaker::is_place_or_document(&org))
                            .then(|| Known::new(memory.expand(&org), None, Kind::Org, false)),
                        None => {
                            let name = speaker::tidy(name);
                            // "HMR's Boyce" is Boyce, named before or after.
                            let possessive = speaker::split_possessive(&name).is_some();
                            (speaker::looks_like_person(&name) && !possessive && !speaker::is_place_or_document(&name))
                                .then(|| Known::new(name, None, Kind::Person, false))
                        }
                    };
                    memory.org_cache.insert(name.to_string(), found.clone());
                    found
                }
            }
        } else {
            None
        };
        // A person named anywhere gives a later surname its full name; one
        // named as a sentence's subject or after a title may be a later "she".
        let titled = after_title.is_some() || i > 0 && speaker::is_title(words[i - 1]);
        let classified = classified.filter(|k| k.kind != Kind::Person || strict);
        if let Some(known) = classified {
            let k = Known { subject: opening || titled && known.kind == Kind::Person, ..known };
            positions.retain(|(_, key)| *key != k.key);
            positions.push((offset(run[0]), k.key.clone()));
            memory.remember(k);
        }
        i = j;
    }
    positions.into_iter().map(|(at, _)| at).collect()
}

/// What the stance table needs to know of a speaker.
fn who<'a>(k: &'a Known, victims: &[String]) -> stance::Speaker<'a> {
    // A victim by its key, or a person of a victim: "Acme" in "Acme Bank", "Acme spokesperson".
    let of_victim = |name: &str| {
        let key = speaker_key(name);
        let words: Vec<&str> = key.split(' ').collect();
        victims.iter().any(|v| {
            let vw: Vec<&str> = v.split(' ').collect();
            !key.is_empty() && (vw.iter().all(|w| words.contains(w)) || words.iter().all(|w| vw.contains(w)))
        })
    };
    stance::Speaker {
        victim: (!victims.is_empty()).then(|| of_victim(&k.name) || k.affiliation.as_deref().is_some_and(of_victim)),
        name: &k.name,
        affiliation: k.affiliation.as_deref(),
        public: speaker::is_public_body(&k.name),
        media: is_media(&k.name),
        person: matches!(k.kind, Kind::Person | Kind::Anonymous),
    }
}

/// Whether a name is a threat group's or a state's (a known name or a vendor
/// naming scheme), not a bare state word.
fn names_perpetrator(name: &str) -> bool {
    stance::names_perpetrator(name) && !STATE_WORDS.iter().any(|s| name.to_lowercase() == *s)
}

/// A continued quote: its own words may deny, accuse or judge.
fn stance_of_quote(sentence: &Sentence, quotations: &[(u32, u32)], speaker: &Known, victims: &[String]) -> Stance {
    let quoted = attribution::quoted_tokens(sentence, quotations);
    let ids: Vec<usize> = (0..sentence.tokens.len()).filter(|&j| quoted[j]).collect();
    let said = stance::Said::new(sentence, ids);
    stance::stance(Cue::Verb(VerbClass::Say), "say", false, &said, who(speaker, victims)).unwrap_or(Stance::Claim)
}

#[cfg(test)]
mod tests;
