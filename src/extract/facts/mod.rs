//! Incident facts: what a document says happened, as data.
//!
//! For each document: the threat actors it names (every name, each tied to
//! the knowledge base when known), the state they are attributed to and the
//! words that attribute it, the victims, the sectors, what was accessed or
//! stolen, the responders (firms and agencies investigating or assisting),
//! event dates resolved against the publication date, CVE ids, indicators,
//! and the campaigns it names.
//!
//! Victims and responders are organisations found in a role: the object of
//! a breach verb or the subject of a passive one ("hackers breached X", "X
//! was hit", "an attack on X"), or the subject or object of a response verb
//! ("X is investigating", "hired X", "with the help of X"). A coordinated
//! list ("X, Y and Z were breached") takes the role of the cue next to it.
//! All cues are lexicons below; nothing is specific to one article.

pub mod actors;
pub mod dates;
pub mod indicators;
mod roles;

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

pub use actors::{ActorMention, Recognizer};
pub use dates::EventDate;
pub use indicators::{Indicator, IndicatorKind};

use crate::clean::fold;
use crate::extract::{lexicon, speaker};
use crate::kb::KnowledgeBase;
use crate::model::Paragraph;
use crate::nlp::{DocumentParse, Nlp, Sentence};

/// The knowledge base and the recogniser built from it: made once at start,
/// shared by every extraction.
pub struct Knowledge {
    pub kb: KnowledgeBase,
    pub recognizer: Recognizer,
}

impl Knowledge {
    pub fn new(kb: KnowledgeBase) -> Knowledge {
        let recognizer = Recognizer::new(&kb);
        Knowledge { kb, recognizer }
    }

    /// breachdesk's bundled actor list alone.
    pub fn bundled() -> Knowledge {
        let none: &[&std::path::Path] = &[];
        Knowledge::new(KnowledgeBase::load(None, none, none).expect("the bundled actor list parses (tested)"))
    }

    /// Extract the facts of a document with this knowledge.
    pub fn facts(&self, title: &str, paragraphs: &[Paragraph], published: Option<NaiveDate>) -> IncidentFacts {
        self.facts_parsed(title, &DocumentParse::new(Nlp::bundled(), paragraphs), paragraphs, published)
    }

    /// [`Knowledge::facts`] over a document parse another stage may share
    /// (`doc` was made from `paragraphs`).
    pub fn facts_parsed(
        &self,
        title: &str,
        doc: &DocumentParse,
        paragraphs: &[Paragraph],
        published: Option<NaiveDate>,
    ) -> IncidentFacts {
        extract_facts(title, doc, paragraphs, published, &self.kb, &self.recognizer)
    }
}

/// A threat actor as a document names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedActor {
    /// As written.
    pub name: String,
    /// The knowledge base's name for the group, when known.
    pub canonical: Option<String>,
}

/// Everything a document says about an incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentFacts {
    pub threat_actors: Vec<NamedActor>,
    pub attributed_country: Option<String>,
    /// The words that attribute it ("Beijing-backed", "linked to Russia's GRU").
    pub attribution: Option<String>,
    pub victims: Vec<String>,
    pub sectors: Vec<String>,
    pub accessed: Vec<String>,
    pub responders: Vec<String>,
    pub dates: Vec<EventDate>,
    pub cves: Vec<String>,
    pub indicators: Vec<Indicator>,
    pub related_campaigns: Vec<String>,
    /// Other groups the text names in passing (not its perpetrators).
    #[serde(default)]
    pub mentioned_actors: Vec<NamedActor>,
}

impl IncidentFacts {
    /// The knowledge-base names of its actors, else the names as written, once each.
    pub fn actor_keys(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in &self.threat_actors {
            let k = a.canonical.clone().unwrap_or_else(|| a.name.clone());
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }
}

/// Extract the incident facts of a document.
pub fn extract_facts(
    title: &str,
    doc: &DocumentParse,
    paragraphs: &[Paragraph],
    published: Option<NaiveDate>,
    kb: &KnowledgeBase,
    recognizer: &Recognizer,
) -> IncidentFacts {
    let mut f = IncidentFacts::default();
    let mut votes: HashMap<&'static str, (usize, usize, String)> = HashMap::new();
    let mut sector_counts: HashMap<&'static str, usize> = HashMap::new();
    let mut order = 0usize;
    let mut groups: Vec<ActorGroup> = Vec::new();
    let mut all_mentions: Vec<String> = Vec::new();
    let mut org_cache = OrgCache::new();
    let mut seen_accessed = std::collections::HashSet::new();
    let mut canonical_keys: HashMap<crate::kb::ActorId, (String, String)> = HashMap::new();
    let headline = Paragraph {
        text: title.to_string(),
        heading: false,
        sentences: vec![crate::model::Span { start: 0, end: title.len() as u32 }],
    };
    // The headline is read first, as a sentence of its own.
    let title_first = (!title.trim().is_empty()).then_some((None, &headline));
    let mut roles = RoleNames::default();
    for (pi, p) in title_first.into_iter().chain(paragraphs.iter().enumerate().map(|(i, p)| (Some(i), p))) {
        for (si, raw) in p.sentence_texts().enumerate() {
            order += 1;
            let plain = strip_links(raw);
            let sentence = plain.as_str();
            let mentions = recognizer.find(kb, sentence);
            let relates = !mentions.is_empty() && {
                static REL: LazyLock<AhoCorasick> = LazyLock::new(|| cues(lexicon::RELATIONSHIP_CUES));
                REL.is_match(sentence)
            };
            let mut keys_here: Vec<String> = Vec::new();
            for m in &mentions {
                // The knowledge-base name and its folded key, once per actor.
                let known = m.actor.map(|id| {
                    canonical_keys
                        .entry(id)
                        .or_insert_with(|| {
                            let name = kb.actor(id).name.clone();
                            let key = fold(&name);
                            (name, key)
                        })
                        .clone()
                });
                let (canonical, key) = match known {
                    Some((name, key)) => (Some(name), key),
                    None => (None, fold(&m.name)),
                };
                if !keys_here.contains(&key) {
                    keys_here.push(key.clone());
                }
                let g = match groups.iter_mut().position(|g| g.key == key) {
                    Some(i) => {
                        groups[i].count += 1;
                        &mut groups[i]
                    }
                    None => {
                        groups.push(ActorGroup {
                            key,
                            first: order,
                            count: 1,
                            actor: NamedActor { name: m.name.clone(), canonical },
                            spellings: Vec::new(),
                            sentences: Vec::new(),
                            opening_only: true,
                        });
                        groups.last_mut().expect("just pushed")
                    }
                };
                g.opening_only &= m.at == 0;
                let spelling = fold(&m.name);
                all_mentions.push(m.name.clone());
                // A name written beside another of the same group's names
                // ("attributed the attack to REvil and Sodinokibi") is given
                // as an alias, however the sentence puts it.
                let beside_another =
                    m.actor.is_some() && mentions.iter().any(|o| o.actor == m.actor && fold(&o.name) != spelling);
                let narrative = usize::from(!beside_another && !in_alias_list(sentence, m.at));
                match g.spellings.iter_mut().find(|(s, _, _)| *s == spelling) {
                    Some((_, n, told)) => {
                        *n += 1;
                        *told += narrative;
                    }
                    None => g.spellings.push((spelling, 1, narrative)),
                }
            }
            for g in groups.iter_mut().filter(|g| keys_here.contains(&g.key)) {
                let others = keys_here.iter().filter(|k| **k != g.key).cloned().collect();
                g.sentences.push((relates, others));
            }
            // One pass over the sentence finds which extractors have a cue to work on.
            let mut sectors = Vec::new();
            let cue = cue_mask(sentence, &mut sectors);
            let attributed = if cue & STATE != 0 { attributions(sentence) } else { Vec::new() };
            for (state, words) in attributed {
                let v = votes.entry(state).or_insert((0, order, words));
                v.0 += 1;
            }
            for s in sectors {
                // A heading or the first sentences weigh more.
                *sector_counts.entry(s).or_default() += if p.heading || order <= 2 { 2 } else { 1 };
            }
            if !p.heading {
                // Roles go to names: a sentence with no capitalised word past
                // its first is not parsed for them.
                if cue & (BREACH | RESPONSE) != 0
                    && raw.split_whitespace().skip(1).any(starts_name)
                    && (pi.is_none() || !title_case(raw))
                {
                    let span = crate::nlp::trimmed(&p.text, p.sentences[si]);
                    let title_parse;
                    let parsed = match pi {
                        Some(pi) => doc.sentence(pi, si),
                        None => {
                            title_parse = doc.nlp().sentence(&p.text, span);
                            &title_parse
                        }
                    };
                    // Names are found in the sentence as parsed (links and all).
                    let raw_mentions;
                    let mentions = if plain == raw {
                        &mentions
                    } else {
                        raw_mentions = recognizer.find(kb, raw);
                        &raw_mentions
                    };
                    let at = Parsed { tokens: parsed, base: span.start, text: raw };
                    assign_roles(&at, cue & BREACH != 0, mentions, &mut org_cache, &mut roles);
                }
                if cue & BREACH != 0 {
                    for v in described_victims(sentence) {
                        roles.victims.add(&v);
                    }
                }
                if cue & RESPONSE != 0 {
                    for r in described_responders(sentence) {
                        roles.responders.add(&r);
                    }
                }
                let accessed = if cue & ACCESS != 0 { accessed_in(sentence) } else { Vec::new() };
                for a in accessed {
                    if seen_accessed.insert(fold(&a)) {
                        f.accessed.push(a);
                    }
                }
            }
            let cves = if cue & CVE != 0 { indicators::cves(sentence) } else { Vec::new() };
            for c in cves {
                if !f.cves.contains(&c) {
                    f.cves.push(c);
                }
            }
            let found = if may_hold_indicator(sentence) { indicators::indicators(sentence) } else { Vec::new() };
            for i in found {
                if !f.indicators.contains(&i) {
                    f.indicators.push(i);
                }
            }
            if let Some(p) = published.filter(|_| cue & DATE != 0 || has_year(sentence)) {
                for d in dates::event_dates(sentence, p) {
                    if !f.dates.contains(&d) {
                        f.dates.push(d);
                    }
                }
            }
            let campaigns = if cue & CAMPAIGN != 0 { campaigns_in(sentence) } else { Vec::new() };
            for c in campaigns {
                if !f.related_campaigns.iter().any(|x| fold(x) == fold(&c)) {
                    f.related_campaigns.push(c);
                }
            }
        }
    }
    // The incident's actors: each group once, under the name first written.
    // The story's own actor (named first) always is one; another group is
    // one when named in the lead or more than once. A group named once,
    // late in the story, is context, not a perpetrator ("after a Kestrel
    // attack last year" in a teaser), and is kept in `mentioned_actors`.
    let mut written: HashMap<String, String> = HashMap::new();
    for m in &all_mentions {
        written.entry(fold(m)).or_insert_with(|| m.clone());
    }
    groups.retain(|g| !capitalised_word(g, title, paragraphs));
    // The story's own actor: named first (most often, on a tie).
    let lead_key = groups.iter().min_by_key(|g| (g.first, usize::MAX - g.count)).map(|g| g.key.clone());
    for g in groups {
        // A group first named after the lead, only ever where the story
        // compares it with its own actor or says how groups relate, is
        // context ("ties to Lapsus$"), not a perpetrator.
        let compared_only = g.first > LEAD_SENTENCES
            && g.sentences
                .iter()
                .all(|(relates, others)| *relates || lead_key.as_ref().is_some_and(|k| others.contains(k)));
        if !compared_only && (lead_key.as_ref() == Some(&g.key) || g.first <= LEAD_SENTENCES || g.count >= 2) {
            // Another name the article uses repeatedly for the same group is
            // reported too ("Nobelium ... Midnight Blizzard"), unless it is
            // only ever given as an alias.
            let main = fold(&g.actor.name);
            let also: Vec<NamedActor> = g
                .spellings
                .iter()
                .filter(|(spelling, n, told)| *n >= 2 && *told >= 1 && *spelling != main)
                .map(|(spelling, _, _)| NamedActor {
                    name: written.get(spelling).cloned().unwrap_or_else(|| spelling.clone()),
                    canonical: g.actor.canonical.clone(),
                })
                .collect();
            f.threat_actors.push(g.actor);
            f.threat_actors.extend(also);
        } else {
            f.mentioned_actors.push(g.actor);
        }
    }
    // The state: what the text says, most often, first said; else what the
    // actors' names or the knowledge base imply for state actors.
    if let Some((state, (_, _, words))) = votes.into_iter().max_by_key(|(_, (n, first, _))| (*n, usize::MAX - *first)) {
        f.attributed_country = Some(state.to_string());
        f.attribution = Some(words);
    } else {
        let implied = f.threat_actors.iter().find_map(|a| {
            let scheme = actors::scheme_state(&a.name);
            let known = kb.resolve(&a.name).map(|id| kb.actor(id)).filter(|x| x.kind.as_deref() != Some("criminal"));
            scheme.map(|s| (s.to_string(), format!("{} (naming scheme)", a.name))).or_else(|| {
                known.and_then(|x| x.sponsor().map(|s| (s.to_string(), format!("{} (knowledge base)", a.name))))
            })
        });
        if let Some((state, words)) = implied {
            f.attributed_country = Some(state);
            f.attribution = Some(words);
        }
    }
    let actor_folds: Vec<String> = f.threat_actors.iter().map(|a| fold(&a.name)).collect();
    let is_actor = |n: &str| actor_folds.iter().any(|a| *a == fold(n));
    let RoleNames { victims, responders, teams, tools } = roles;
    // Software and malware are not parties, unless the knowledge base
    // knows the name as a group.
    let is_tool = |n: &str| tools.contains(&fold(n)) && kb.resolve(n).is_none();
    f.victims = victims.names.into_iter().filter(|n| !is_actor(n) && !is_tool(n)).collect();
    // The victim investigating its own incident is not a responder; its
    // security team is.
    let victim_words: Vec<Vec<String>> = f.victims.iter().map(|v| name_words(v)).collect();
    let is_victim = |n: &str| {
        let w = name_words(n);
        !teams.contains(&fold(n)) && victim_words.contains(&w)
    };
    f.responders = responders.names.into_iter().filter(|n| !is_actor(n) && !is_victim(n)).collect();
    let mut sectors: Vec<(&str, usize)> = sector_counts.into_iter().filter(|(_, n)| *n >= 2).collect();
    sectors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    f.sectors = sectors.into_iter().take(4).map(|(s, _)| s.to_string()).collect();
    f
}

/// Markdown links "[text](url)" read as their text.
fn strip_links(sentence: &str) -> String {
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\[([^\]]{1,200})\]\([^)\s]{1,500}\)").expect("valid regex"));
    if sentence.contains("](") { LINK.replace_all(sentence, "$1").into_owned() } else { sentence.to_string() }
}

/// Whether a line of the body is written in title case ("Webinar | How
/// You Can Quickly Identify and Investigate Phishing Attacks"): a promo or
/// another story's headline, whose capitals say nothing about names.
fn title_case(sentence: &str) -> bool {
    let words: Vec<&str> = sentence.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).collect();
    let capitalised = words.iter().filter(|w| starts_name(w)).count();
    words.len() >= 6 && capitalised * 4 >= words.len() * 3
}

/// Sentences (headline included) that make the lead of a story.
const LEAD_SENTENCES: usize = 4;

/// One actor's mentions in a document.
struct ActorGroup {
    key: String,
    first: usize,
    count: usize,
    actor: NamedActor,
    /// Each spelling written, with how often, and how often outside an
    /// alias list ("also known as X, Y and Z", "as Microsoft calls them, X").
    spellings: Vec<(String, usize, usize)>,
    /// Per sentence naming the group: whether it speaks of a relationship
    /// between groups ("overlap", "ties to"), and the other groups it names.
    sentences: Vec<(bool, Vec<String>)>,
    /// Every mention opens its sentence, where any word has a capital.
    opening_only: bool,
}

/// Whether a group is only a capitalised common word: a one-word name the
/// knowledge base does not know, only ever written first in a sentence,
/// that the document also writes in lower case ("Infamous ransomware group
/// claims ..." where the story says "an infamous group").
fn capitalised_word(g: &ActorGroup, title: &str, paragraphs: &[Paragraph]) -> bool {
    let name = &g.actor.name;
    if g.actor.canonical.is_some() || !g.opening_only || name.contains(char::is_whitespace) {
        return false;
    }
    let lower = name.to_lowercase();
    if lower == *name {
        return false;
    }
    std::iter::once(title).chain(paragraphs.iter().map(|p| p.text.as_str())).any(|t| has_word(t, &lower))
}

/// How far before a name an alias cue is looked for, in bytes.
const ALIAS_WINDOW: usize = 300;

/// Whether the mention at `at` is given as an alias: after "known as",
/// "tracked as", "calls them" and the like, alone or in a list of names.
fn in_alias_list(sentence: &str, at: usize) -> bool {
    static CUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:known as|tracked as|tracks as|tracked by \w+ as|dubbed|a\.?k\.?a\.?|also called|referred to as|calls? (?:them|it|the group|the gang)|named)(?-u:\b)")
            .expect("valid regex")
    });
    // The cue sits at most this far before the name (a list of a few
    // names), so each mention reads a bounded window, not the sentence so far.
    let at = floor_boundary(sentence, at);
    let before = &sentence[floor_boundary(sentence, at.saturating_sub(ALIAS_WINDOW))..at];
    let Some(cue) = CUE.find_iter(before).last() else { return false };
    // Between the cue and the name: only other names and list glue.
    before[cue.end()..].split_whitespace().all(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '$');
        w.is_empty()
            || matches!(w, "and" | "or" | "as" | "by" | "the" | "also" | "them" | "it")
            || w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    })
}

/// Names in first-seen order, one per folded spelling; a longer spelling
/// ("Fabrikam Bank" after "Fabrikam") is kept as the shorter one.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    /// Folded forms of `names`, and the words of each, for the checks.
    keys: std::collections::HashSet<String>,
    words: Vec<Vec<String>>,
}

/// The words of a name for comparing names: lower case, without
/// possessives and brackets ("Commissioner's Office (ICO)" has "ico").
fn name_words(name: &str) -> Vec<String> {
    name.split_whitespace()
        .map(|w| {
            let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | '"' | ',' | '.' | '“' | '”'));
            let w = w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w);
            w.to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// "M&S" for "Marks & Spencer", "HPE" for "Hewlett Packard Enterprise".
fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).filter(|c| c.is_uppercase() || *c == '&').collect()
}

/// Whether `short` is written as the initials of `long`, or of its last
/// words ("NCA" of "UK's National Crime Agency").
fn abbreviates(short: &str, long: &str) -> bool {
    let short: String = short.chars().filter(|c| *c != '.').collect();
    let all = initials(long);
    (2..=6).contains(&short.chars().count())
        && short.chars().all(|c| c.is_uppercase() || c == '&')
        && long.split_whitespace().count() >= 2
        && (all == short || short.chars().count() >= 3 && all.ends_with(&short))
}

impl Names {
    fn add(&mut self, name: &str) {
        let k = fold(name);
        if k.is_empty() || self.keys.contains(&k) {
            return;
        }
        // A name and its initials are one name, written out in full.
        if self.names.iter().any(|n| abbreviates(name, n)) {
            return;
        }
        if let Some(i) = self.names.iter().position(|n| abbreviates(n, name)) {
            self.keys.remove(&fold(&self.names[i]));
            self.keys.insert(k);
            self.words[i] = name_words(name);
            self.names[i] = name.to_string();
            return;
        }
        let words = name_words(name);
        if self.words.iter().any(|nw| {
            nw.len() != words.len() && (nw.iter().all(|w| words.contains(w)) || words.iter().all(|w| nw.contains(w)))
        }) {
            return;
        }
        self.keys.insert(k);
        self.words.push(words);
        self.names.push(name.to_string());
    }
}

/// Attributions in a sentence: the state and the words.
fn attributions(sentence: &str) -> Vec<(&'static str, String)> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        let names: Vec<String> = lexicon::STATES
            .iter()
            .flat_map(|(_, ws)| ws.iter().map(|w| regex::escape(w).replace("\\ ", r"\s")))
            .collect();
        let n = names.join("|");
        [
            // "Chinese government-backed", "Beijing-backed", "China-linked", "Russia-nexus"
            format!(r"(?i)(?-u:\b)(?:{n})(?:'s)?[\s-](?:(?:government|state|military)[\s-])?(?:backed|linked|sponsored|affiliated|aligned|nexus|directed|controlled|tied|supported|connected)(?-u:\b)"),
            // "Chinese state hackers", "North Korean hackers", "Russian military intelligence"
            format!(r"(?i)(?-u:\b)(?:{n})\s(?:(?:state|government|military|intelligence|nation-state|state-sponsored|state-backed|government-backed)[\s-])*(?:hackers?|hacking\s(?:group|unit|team|crew)|cyber-?spies|cyber-?espionage|espionage|spies|threat\sactors?|actors?|intelligence(?:\s(?:service|agency|officers))?|cyber\s?actors?|apt|operatives|spy\sagency|military\sintelligence)(?-u:\b)"),
            // "linked to Russia's GRU", "on behalf of the Chinese government", "attributed to China"
            format!(r"(?i)(?-u:\b)(?:linked|tied|attributed|traced|connected)\s(?:back\s)?to\s(?:the\s)?(?:{n})(?-u:\b)"),
            format!(r"(?i)(?-u:\b)(?:on\sbehalf\sof|working\sfor|backed\sby|sponsored\sby|directed\sby)\s(?:the\s)?(?:{n})(?-u:\b)"),
            format!(r"(?i)(?-u:\b)(?:{n})(?:'s)?\s(?:GRU|SVR|FSB|MSS|Ministry\sof\sState\sSecurity|People's\sLiberation\sArmy|PLA|Reconnaissance\sGeneral\sBureau|IRGC|Revolutionary\sGuard)(?-u:\b)"),
        ]
        .into_iter()
        .map(|p| Regex::new(&p).expect("valid regex"))
        .collect()
    });
    let mut out = Vec::new();
    for re in PATTERNS.iter() {
        for m in re.find_iter(sentence) {
            let text = m.as_str();
            let lower = text.to_lowercase();
            // "Russian-speaking" and "China-based" say where, not who directs.
            if lower.contains("speaking") {
                continue;
            }
            if let Some((state, _)) = lexicon::STATES.iter().find(|(_, ws)| ws.iter().any(|w| has_word(&lower, w))) {
                out.push((*state, text.to_string()));
            }
        }
    }
    out
}

fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| starts_word(text, i) && ends_word(text, i + word.len()))
}

/// No letter or digit just before byte `at`.
fn starts_word(s: &str, at: usize) -> bool {
    !s[..at].chars().next_back().is_some_and(char::is_alphanumeric)
}

/// No letter or digit at byte `at`.
fn ends_word(s: &str, at: usize) -> bool {
    !s[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// Cue categories: bits of [`cue_mask`].
const STATE: u8 = 1;
const CVE: u8 = 2;
const CAMPAIGN: u8 = 4;
const DATE: u8 = 8;
const BREACH: u8 = 16;
const RESPONSE: u8 = 32;
const ACCESS: u8 = 64;

/// Which extractors a sentence has cues for, found in one pass: each costly
/// pattern runs only on sentences holding one of its words. Date and breach
/// words count only as whole words.
fn cue_mask(s: &str, sectors: &mut Vec<&'static str>) -> u8 {
    static ALL: LazyLock<(AhoCorasick, Vec<u8>)> = LazyLock::new(|| {
        let mut words: Vec<&str> = Vec::new();
        let mut kinds: Vec<u8> = Vec::new();
        let state_words: Vec<&str> = lexicon::STATES.iter().flat_map(|(_, ws)| ws.iter().copied()).collect();
        for (list, kind) in [
            (&state_words[..], STATE),
            (&["cve-"][..], CVE),
            (&["operation ", "campaign"][..], CAMPAIGN),
            (lexicon::DATE_WORDS, DATE),
            (&dates::MONTHS[..], DATE),
            (&dates::WEEKDAYS[..], DATE),
            (lexicon::BREACH_WORDS, BREACH),
            (lexicon::RESPONSE_CUES, RESPONSE),
            (lexicon::ACCESS_VERBS, ACCESS),
        ] {
            for w in list {
                words.push(w);
                kinds.push(kind);
            }
        }
        // Sector stems: kind 0, found in the same pass (index - SECTOR_BASE).
        for (stem, _) in lexicon::SECTORS {
            words.push(stem);
            kinds.push(0);
        }
        (cues(&words), kinds)
    });
    let (ac, kinds) = &*ALL;
    let sector_base = kinds.len() - lexicon::SECTORS.len();
    let mut mask = 0;
    for m in ac.find_overlapping_iter(s) {
        let i = m.pattern().as_usize();
        let kind = kinds[i];
        if i >= sector_base {
            let sector = lexicon::SECTORS[i - sector_base].1;
            if starts_word(s, m.start()) && !sectors.contains(&sector) {
                sectors.push(sector);
            }
            continue;
        }
        if kind & (DATE | BREACH) != 0 && !(starts_word(s, m.start()) && ends_word(s, m.end())) {
            continue;
        }
        mask |= kind;
    }
    mask
}

/// Build a case-insensitive automaton over cue words.
fn cues(words: &[&str]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(words)
        .expect("cue words build an automaton")
}

/// A year (19xx or 20xx) as a whole word.
fn has_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        (w.starts_with(b"19") || w.starts_with(b"20"))
            && w.iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Signs of an indicator: defanging, a scheme, an address, a dotted name, a long hex run.
fn may_hold_indicator(s: &str) -> bool {
    let b = s.as_bytes();
    let mut hex_run = 0;
    for (i, &c) in b.iter().enumerate() {
        hex_run = if c.is_ascii_hexdigit() { hex_run + 1 } else { 0 };
        if hex_run >= 32 || c == b'@' {
            return true;
        }
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        let prev = if i > 0 { b[i - 1] } else { b' ' };
        match c {
            b'.' if prev.is_ascii_alphanumeric() && (next.is_ascii_lowercase() || next.is_ascii_digit()) => {
                return true;
            }
            b':' if next == b'/' || next == b':' || next.is_ascii_hexdigit() && prev.is_ascii_hexdigit() => {
                return true;
            }
            b'[' | b'(' | b'{' if next == b'.' || next == b'd' || next == b'D' => return true,
            b'h' | b'H' if b.get(i + 1..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"xxp")) => return true,
            _ => {}
        }
    }
    false
}

fn accessed_in(sentence: &str) -> Vec<String> {
    static ACCESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?-u:\b)(?:stole|stolen|steal|stealing|exfiltrated|exfiltrating|accessed|accessing|obtained|leaked|exposed|took|taken|copied|downloaded|gained access to|had access to|access to|compromised|siphoned|harvested|encrypted)\s+((?:[\w'’&-]+\s+){0,6}?(?:data|information|records|emails|e-mails|email accounts|messages|files|credentials|passwords|source code|call records|call logs|wiretap\w*|numbers|details|addresses|documents|databases?|tokens|keys|metadata|inboxes|mailboxes|communications|texts|audio|recordings|funds|cryptocurrency|tickets|accounts))(?-u:\b)",
        )
        .expect("valid regex")
    });
    ACCESS
        .captures_iter(sentence)
        .filter_map(|c| {
            let phrase = c.get(1)?.as_str().trim();
            let phrase = phrase.strip_prefix("the ").or_else(|| phrase.strip_prefix("The ")).unwrap_or(phrase);
            // "access to the" + noun: keep the noun phrase only, a few words.
            (phrase.split_whitespace().count() <= 7 && !phrase.to_lowercase().starts_with("no "))
                .then(|| phrase.to_string())
        })
        .collect()
}

/// Campaigns a sentence names: "Operation X", "the X campaign".
fn campaigns_in(sentence: &str) -> Vec<String> {
    static OP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?-u:\b)(Operation\s+(?:[A-Z][\w-]*)(?:\s+[A-Z][\w-]*){0,2})|(?-u:\b)(?:the\s+)?((?:[A-Z][\w-]*\s+){1,2})campaign(?-u:\b)",
        )
        .expect("valid regex")
    });
    // "Police take over the leak site in Operation Cronos": an operation
    // against the attackers, not one of theirs.
    let lower = sentence.to_lowercase();
    let enforcement = crate::extract::lexicon::LAW_ENFORCEMENT.iter().any(|w| {
        lower.match_indices(w).any(|(i, _)| {
            !lower[..i].ends_with(char::is_alphanumeric) && !lower[i + w.len()..].starts_with(char::is_alphanumeric)
        })
    });
    OP.captures_iter(sentence)
        .filter_map(|c| {
            if let Some(op) = c.get(1) {
                return (!enforcement).then(|| op.as_str().trim().to_string());
            }
            let name = c.get(2)?.as_str().trim();
            let first = name.split_whitespace().next()?;
            (!matches!(first, "The" | "This" | "That" | "A" | "An" | "Its" | "Their") && !is_state_word(name))
                .then(|| format!("{name} campaign"))
        })
        .collect()
}

fn is_state_word(s: &str) -> bool {
    let l = s.to_lowercase();
    lexicon::STATES.iter().any(|(_, ws)| ws.contains(&l.as_str()))
}

/// An organisation named in a sentence, with its byte span.
#[derive(Debug, Clone)]
struct Org {
    name: String,
    start: usize,
    end: usize,
    /// Only the shape of a name (a capitalised word the name rules do not
    /// accept alone): it takes a role only as a member of a longer list.
    weak: bool,
}

/// Organisations a sentence names: runs of capitalised words (joined by
/// "of", "&", "for", "de") that [`speaker::organisation_name`] accepts.
fn organisations(sentence: &str, cache: &mut OrgCache) -> Vec<Org> {
    let mut out = Vec::new();
    let words: Vec<(usize, &str)> =
        sentence.split_whitespace().map(|w| (w.as_ptr() as usize - sentence.as_ptr() as usize, w)).collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].1.trim_start_matches(['(', '"', '“', '\'']);
        if !starts_name(w) {
            i += 1;
            continue;
        }
        let mut j = i;
        loop {
            let cur = words[j].1;
            let possessive = cur.ends_with("'s") || cur.ends_with("’s");
            // "Google's Threat Intelligence Group (GTIG)": a possessive inside a
            // body's name, when the words after it end in a head noun.
            if possessive && let Some(k) = head_after(&words, j + 1) {
                j = k;
                continue;
            }
            if cur.ends_with([',', '.', ';', ':', ')', '"', '”']) || possessive || cur.ends_with('\'') {
                break;
            }
            match words.get(j + 1) {
                Some((_, next)) if starts_name(next) => j += 1,
                Some((_, link))
                    if matches!(*link, "of" | "&" | "for" | "de")
                        && words.get(j + 2).is_some_and(|(_, n)| starts_name(n)) =>
                {
                    j += 2
                }
                _ => break,
            }
        }
        // "FBI Director Christopher Wray": the body is the part before the title.
        // (Only when a name follows the title: "Charter Communications" keeps its last word.)
        // The title and the person's name after it are skipped.
        let mut resume = j + 1;
        // ("NCA Director General Graeme Biggar": the title may run on.)
        let person_after = |t: usize| {
            let mut k = t + 1;
            while k <= j && speaker::is_title(words[k].1.trim_end_matches([',', '.'])) {
                k += 1;
            }
            let rest: Vec<&str> = words.get(k..=j).unwrap_or_default().iter().map(|(_, w)| *w).collect();
            !rest.is_empty() && speaker::looks_like_person(&speaker::tidy(&rest.join(" ")))
        };
        if let Some(t) =
            (i + 1..j).find(|&t| speaker::is_title(words[t].1.trim_end_matches([',', '.'])) && person_after(t))
        {
            j = t - 1;
        } else {
            resume = j + 1;
        }
        // "In June", "After Fabrikam": a leading preposition is not part of a name.
        if j > i && lexicon::LEADING_WORDS.contains(&w.trim_end_matches(',')) {
            i += 1;
            continue;
        }
        let start = words[i].0 + (words[i].1.len() - w.len());
        let last = words[j];
        let end = last.0 + last.1.len();
        let raw = sentence[start..end].trim_end_matches([',', '.', ';', ':', '"', '”']);
        let raw = raw.trim_end_matches("'s").trim_end_matches("’s").trim_end_matches('\'');
        let raw = if raw.matches(')').count() > raw.matches('(').count() { raw.trim_end_matches(')') } else { raw };
        // The span covers the text as written; a bracket left open is closed in the name only.
        let end = start + raw.len();
        let balanced;
        let raw = if raw.matches('(').count() > raw.matches(')').count() {
            balanced = format!("{})", raw.trim_end_matches(')'));
            balanced.as_str()
        } else {
            raw
        };
        // A document repeats its names: classify each run once.
        let key = (i == 0, raw.to_string());
        let classified = match cache.get(&key) {
            Some(hit) => hit.clone(),
            None => {
                let found = classify(raw, i == 0);
                cache.insert(key, found.clone());
                found
            }
        };
        if let Some((name, weak)) = classified {
            out.push(Org { name, start, end, weak });
        }
        i = resume;
    }
    out
}

/// A run of capitalised words as an organisation's name, and whether the
/// name is weak (see [`Org::weak`]); `None` when it names none.
fn classify(raw: &str, first_word: bool) -> Option<(String, bool)> {
    {
        // Two capitalised words may be a person or a firm ("Allianz Life");
        // in a victim or responder role they are taken as a name.
        // An acronym ("FBI", "AT&T") is a name even where it looks like an adjective.
        let acronym = raw.len() >= 2 && raw.chars().all(|c| c.is_ascii_uppercase() || c == '&' || c == '-');
        let strong = speaker::organisation_name(raw).or_else(|| acronym.then(|| raw.to_string())).or_else(|| {
            let tidy = speaker::tidy(raw);
            let words: Vec<&str> = tidy.split_whitespace().collect();
            // A title word last, with no name after it, ends a firm's name
            // ("Contoso Communications", "Blue Yonder Security").
            let firm = words.len() >= 2
                && words.last().is_some_and(|w| speaker::is_title(w))
                && !words[..words.len() - 1].iter().any(|w| speaker::is_title(w));
            (firm || speaker::looks_like_person(&tidy) && !words.iter().any(|w| speaker::is_title(w))).then_some(tidy)
        });
        let weak = strong.is_none();
        let lead = raw.split_whitespace().next().unwrap_or("");
        let name = strong.or_else(|| {
            // A lone capitalised word that is not a function word ("Crystal", "OKCoinJapan").
            (!first_word && !raw.contains(' ') && !speaker::is_not_a_name(lead) && !speaker::is_title(lead))
                .then(|| raw.to_string())
        });
        name.filter(|n| {
            !speaker::is_glued_furniture(n)
                && !n.contains(['@', '_'])
                && !["our", "their", "its", "my", "your", "his", "her"]
                    .contains(&n.split_whitespace().next().unwrap_or("").to_lowercase().as_str())
                && !speaker::is_place_or_document(n)
                && !is_state_word(n)
                && !lexicon::NOT_ORGS.contains(&n.as_str())
                && !n.ends_with("-speaking")
        })
        .map(|n| (n.trim_end_matches([',', '.']).to_string(), weak))
    }
}

/// Classified runs of one document, by (first word of its sentence, run).
type OrgCache = HashMap<(bool, String), Option<(String, bool)>>;

/// After a possessive at `from - 1`: the last word index of a run of
/// capitalised words that ends in a head noun (possibly followed by an
/// acronym in brackets).
fn head_after(words: &[(usize, &str)], from: usize) -> Option<usize> {
    let mut k = from;
    let mut last_head = None;
    while k < words.len() && k < from + 5 && starts_name(words[k].1) {
        let w = words[k].1.trim_end_matches([',', '.', ';', ':']);
        if lexicon::HEAD_NOUNS.contains(&w) {
            last_head = Some(k);
        }
        if w.starts_with('(') && last_head == Some(k.wrapping_sub(1)) && w.ends_with(')') {
            return Some(k);
        }
        if words[k].1.ends_with([',', '.', ';', ':']) {
            break;
        }
        k += 1;
    }
    last_head
}

/// Whether an organisation is a public body that responds to incidents.
fn is_responder_body(name: &str) -> bool {
    static BODIES: LazyLock<AhoCorasick> = LazyLock::new(|| cues(lexicon::RESPONDER_BODIES));
    has_cue_word(&BODIES, name)
        || name
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| w.len() > 5 && w.as_bytes()[..5].eq_ignore_ascii_case(b"cert-"))
}

/// A cue of `ac` in `s` as whole words.
fn has_cue_word(ac: &AhoCorasick, s: &str) -> bool {
    ac.find_overlapping_iter(s).any(|m| starts_word(s, m.start()) && ends_word(s, m.end()))
}

fn starts_name(w: &str) -> bool {
    let w = w.trim_start_matches(['(', '"', '“', '\'']);
    w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() && w.chars().any(char::is_alphabetic))
}

/// Orgs separated only by ", ", " and ", ", and ", " or " form one list.
fn lists(sentence: &str, orgs: &[Org]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (k, o) in orgs.iter().enumerate() {
        let joined = k > 0 && {
            let gap = sentence[orgs[k - 1].end..o.start].trim_start_matches("'s").trim_start_matches("’s").trim();
            matches!(gap, "," | "and" | ", and" | "or" | ", or" | "as well as" | "&" | "")
        };
        if joined {
            groups.last_mut().expect("a previous group").push(k);
        } else {
            groups.push(vec![k]);
        }
    }
    groups
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Victims a text describes without naming them ("eleven telecommunication
/// service providers", "an Italian ISP"): a counted noun phrase ending in
/// an organisation noun, after a breach verb in the same sentence.
fn described_victims(sentence: &str) -> Vec<String> {
    const COUNT: &str =
        r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|numerous|\d{1,4})";
    const HEAD: &str = r"(?:providers?|ISPs?|carriers?|telcos?|compan(?:y|ies)|firms?|operators?|agenc(?:y|ies)|hospitals?|banks?|universit(?:y|ies)|retailers?|airlines?|utilit(?:y|ies)|manufacturers?|contractors?|municipalit(?:y|ies)|school districts?|entit(?:y|ies))";
    static PHRASE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"(?i)(?-u:\b)({COUNT}\s+(?:[\w.-]+\s+){{0,4}}?{HEAD})(?-u:\b)")).expect("valid regex")
    });
    // "several federal agencies had also been breached", "two (DOE)
    // entities were compromised": the phrase before a passive breach verb.
    static PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)(?-u:\b)({COUNT}\s+(?:[\w.-]+\s+){{0,5}}?{HEAD})\s+(?:\([^)]{{1,20}}\)\s+)?(?:had|have|has|were|was)\s+(?:also\s+)?(?:been\s+)?(?:breached|hacked|compromised|infiltrated|attacked|penetrated|hit)(?-u:\b)"
        ))
        .expect("valid regex")
    });
    static VERB: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:breached|hacked|compromised|infiltrated|targeted|attacked|penetrated|hit|(?:breaches|victims|targets)\s+(?:include|included|including))(?-u:\b)")
            .expect("valid regex")
    });
    let Some(verb) = VERB.find(sentence) else { return Vec::new() };
    let after_verb = &sentence[verb.end()..];
    PHRASE
        .captures_iter(after_verb)
        .map(|c| (c, after_verb))
        .chain(PASSIVE.captures_iter(&sentence[..verb.end()]).map(|c| (c, sentence)))
        .filter_map(|(c, text)| {
            let m = c.get(1)?;
            // "multiple carriers (including X and Y)": the names are the victims.
            let next = text[m.end()..].trim_start_matches([' ', '(', ',']).to_lowercase();
            if next.split(|c: char| !c.is_alphabetic()).next().is_some_and(|w| lexicon::LIST_MARKERS.contains(&w)) {
                return None;
            }
            let phrase = m.as_str();
            let first = phrase.split_whitespace().next()?;
            // "a number of firms", "one of the carriers" are not one victim;
            // a clause ("an employee when calling the company") is not a name.
            let lower = phrase.to_lowercase();
            let vague = lower.split_whitespace().nth(1) == Some("of")
                || lower.contains("number")
                || lower.split_whitespace().any(|w| lexicon::CLAUSE_WORDS.contains(&w));
            (!vague && !first.eq_ignore_ascii_case("the")).then(|| phrase.to_string())
        })
        .collect()
}

/// Responders a text describes without naming them ("external IT experts",
/// "law enforcement authorities"), as the object of a response verb or the
/// subject of "have been notified".
fn described_responders(sentence: &str) -> Vec<String> {
    const HEAD: &str = r"(?:experts|specialists|consultants|investigators|authorities|law enforcement|police|regulators?|(?:cyber-?security|security|forensics?|incident[- ]response|analysis|intelligence)\s+(?:firms?|compan(?:y|ies)|partners?|vendors?))";
    static AFTER_VERB: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)(?-u:\b)(?:worked with|working with|work with|hired|retained|engaged|brought in|called in|enlisted|help from|assistance from|assistance of|help of|notified|informed|alerted|contacted|reported (?:it |the (?:incident|breach|attack) )?to)\s+((?:the\s+)?(?:[\w-]+,?\s+){{0,6}}?{HEAD})(?-u:\b)"
        ))
        .expect("valid regex")
    });
    static NOTIFIED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)(?-u:\b)((?:[\w-]+,?\s+){{0,3}}{HEAD})\s+(?:(?:have|has|were|was|had)\s+(?:also\s+)?been|was|were)\s+(?:notified|informed|alerted|contacted|involved|engaged|hired|retained|brought in|called in)"
        ))
        .expect("valid regex")
    });
    AFTER_VERB
        .captures_iter(sentence)
        .chain(NOTIFIED.captures_iter(sentence))
        .filter_map(|c| {
            let m = c.get(1)?;
            // "the cybersecurity firm Mandiant": the name is the responder.
            if sentence[m.end()..].trim_start().starts_with(|c: char| c.is_uppercase() || c == '[') {
                return None;
            }
            let phrase = m.as_str().trim();
            let phrase = phrase.strip_prefix("the ").or_else(|| phrase.strip_prefix("The ")).unwrap_or(phrase);
            let lower = phrase.to_lowercase();
            // "our experts" are the writer's; a clause is no description
            // ("blockchain tracing and analysis partners" is one).
            let first = lower.split_whitespace().next().unwrap_or("");
            let clause = lower.split_whitespace().any(|w| w != "and" && lexicon::CLAUSE_WORDS.contains(&w));
            if clause || lexicon::FIRST_PERSON_POSSESSIVES.contains(&first) {
                return None;
            }
            // Praise says nothing of who they are: "leading, third-party
            // cybersecurity firm" is a "third-party cybersecurity firm".
            let kept: Vec<&str> = phrase
                .split_whitespace()
                .filter(|w| !lexicon::PRAISE_WORDS.contains(&w.trim_end_matches(',').to_lowercase().as_str()))
                .collect();
            Some(kept.join(" "))
        })
        .collect()
}

/// The organisations a document puts in a role, as they accumulate.
#[derive(Default)]
struct RoleNames {
    victims: Names,
    responders: Names,
    /// Organisations whose own team responds ("X's security team"): a
    /// responder even when it is the victim.
    teams: std::collections::HashSet<String>,
    /// Names the document uses for software or malware.
    tools: std::collections::HashSet<String>,
}

/// A parsed sentence and its text: `base` is where `text` starts in the
/// paragraph the tokens' spans count from.
struct Parsed<'a> {
    tokens: &'a Sentence,
    base: u32,
    text: &'a str,
}

impl Parsed<'_> {
    /// Byte range of token `i` in `text`.
    fn range(&self, i: usize) -> (usize, usize) {
        let t = &self.tokens.tokens[i];
        ((t.span.start - self.base) as usize, (t.span.end - self.base) as usize)
    }

    /// Whether a lone word modifies the noun after it ("a Ruritanian
    /// telecom provider"): an adjective, not a name.
    fn modifies_noun(&self, o: &Org) -> bool {
        let next = (0..self.tokens.tokens.len()).find(|&i| self.range(i).0 >= o.end);
        next.is_some_and(|i| {
            let t = &self.tokens.tokens[i];
            matches!(t.upos, crate::nlp::Upos::Noun | crate::nlp::Upos::Adj)
                && t.text.chars().next().is_some_and(char::is_lowercase)
        })
    }

    /// Whether the name `o` is one word opening the sentence that the tagger
    /// reads as a common noun (capitalised only by its place).
    fn common_noun(&self, o: &Org) -> bool {
        if o.start > 0 {
            return false;
        }
        let inside: Vec<usize> = (0..self.tokens.tokens.len()).filter(|&i| self.inside(o, i)).collect();
        inside.len() == 1 && self.tokens.tokens[inside[0]].upos == crate::nlp::Upos::Noun
    }

    /// Whether token `i` lies in the name `o`.
    fn inside(&self, o: &Org, i: usize) -> bool {
        let (s, e) = self.range(i);
        s < o.end && o.start < e
    }
}

/// Victims and responders among a sentence's organisations. A name takes
/// the role the parse gives one of its tokens (see [`roles`]); a victim is
/// also taken from the cue words right next to it ([`adjacent_victim`]),
/// which the parse misreads too often in news prose ("Hackers stole data"
/// tagged as an adjective; a headline parsed as a noun phrase) to be left
/// to it alone. Public bodies that respond to incidents are responders
/// wherever a cue sentence names them.
fn assign_roles(at: &Parsed, breachy: bool, mentions: &[ActorMention], cache: &mut OrgCache, out: &mut RoleNames) {
    let sentence = at.text;
    let orgs = organisations(sentence, cache);
    let found = roles::roles(at.tokens);
    let list_from = found.list_from.filter(|&i| i < at.tokens.tokens.len()).map(|i| at.range(i).0);
    if let Some(from) = list_from {
        for place in governments(&sentence[from..]) {
            out.victims.add(&place);
        }
    }
    if orgs.is_empty() {
        return;
    }
    for o in &orgs {
        if found.tools.iter().any(|&t| at.inside(o, t)) {
            out.tools.insert(fold(&o.name));
        }
    }
    // Declining to comment is not a response to the incident.
    static DECLINES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:declined|refused|did not respond|didn't respond|did not reply|could not be reached|no comment|would not comment|not immediately respond)")
            .expect("valid regex")
    });
    let declines = DECLINES.is_match(sentence);
    let mention_keys: Vec<String> = mentions.iter().map(|m| fold(&m.name)).collect();
    let is_actor = |o: &Org| {
        mentions.iter().any(|m| o.start < m.at + m.name.len() && m.at < o.end)
            || !mention_keys.is_empty() && mention_keys.contains(&fold(&o.name))
    };
    // The adjacent cues read the sentence with each actor's name as "gang"
    // ("the agency admitted that Clop stole ..." reads as a gang stealing).
    let masked = mask_actors(sentence, mentions);
    // A role the parse gives a lone common noun is not a name's ("Carriers
    // breached", a headline).
    let named = |k: usize, t: usize| at.inside(&orgs[k], t) && !at.common_noun(&orgs[k]);
    for group in lists(sentence, &orgs) {
        let responder_at = group.iter().find_map(|&k| found.responders.iter().position(|&t| named(k, t)));
        let responder = !declines && responder_at.is_some();
        let own_team = responder_at.is_some_and(|i| found.team[i]);
        let in_list = list_from.is_some_and(|from| orgs[group[0]].start >= from);
        let victim = in_list
            || group.iter().any(|&k| found.victims.iter().any(|&t| named(k, t)))
            || breachy && adjacent_victim(&masked, &orgs[group[0]], &orgs[*group.last().expect("non-empty group")]);
        // A weak name counts in a list of three or more with a strong one.
        let listed_strong = group.len() >= 3 && group.iter().any(|&k| !orgs[k].weak) || in_list;
        for &k in &group {
            let o = &orgs[k];
            if is_actor(o) || o.weak && (!listed_strong || at.modifies_noun(o)) {
                continue;
            }
            if responder || !declines && is_responder_body(&o.name) {
                if own_team {
                    out.teams.insert(fold(&o.name));
                }
                out.responders.add(&o.name);
            } else if victim {
                out.victims.add(&o.name);
            }
        }
    }
}

/// Whether the cue words right next to a list of names (`first` to `last`)
/// make it a victim: "breached X", "the attack on X", "X was hit", "X
/// confirmed a breach", "breached several carriers (including X)"; not
/// when the names are a product ("X software", "X servers of").
fn adjacent_victim(sentence: &str, first: &Org, last: &Org) -> bool {
    static VICTIM_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:(?-u:\b)(?:breach|breaches|hack|hacks|breached|hacked|compromised|infiltrated|penetrated|targeted|targeting|targets|attacked|attacking|hit|struck|crippled|crippling|paralysed|paralyzed|knocked offline|breaking into|broke into|broken into|broke in to|extorting|extorted|extort|impersonating|breach of|breach at|breaches at|breaches of|breach affecting|attack on|attacks on|attack against|attacks against|intrusion at|intrusions at|intrusion into|intrusions into|hack of|hack at|hacks of|compromise of|cyberattack on|cyberattacks on|cyber attack on|cyber-attack on|incident at|victims?\b[^.]{0,120}\binclude[sd]?|fined|fines|fining|penali[sz]ed|attacks? at|impacting|affecting|impacted|affected|(?:including )?those (?:on|at|against)|(?:its|their) customers|victims? (?:include|included|including|such as|were|was)|customers of|networks of|systems of|systems at|networks at|data from|data of|stolen from|stole from|stealing from|leak of|leaked from|victims? of)|(?-u:\b)victims?[^.]{0,40}(?-u:\b)(?:including|such as|like|among them))\s+(?:(?:the|a|an|its|their|another|other|U\.S\.|US|British|Australian|American|European)\s+)*(?:(?:networks?|systems|servers|infrastructure) (?:of|at) (?:the )?)?(?:(?:another|other|the|a|an)\s+)?(?:(?:[a-z-]+\s+){0,3}(?:company|companies|firm|firms|giant|giants|carriers?|providers?|retailers?|airlines?|insurer|operator|operators|maker|makers|brand|brands|bank|banks|agency|agencies|network|networks|platform|service|services|chain|group|subsidiar(?:y|ies))\s*,?\s+)?$").expect("valid regex")
    });
    static VICTIM_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        // A full stop inside a sentence ends an abbreviation ("Tiffany & Co.").
        Regex::new(r"(?i)^\.?(?:'s|’s)?\s*(?:\([^)]{1,30}\)\s*)?(?:,[^,]{1,60},\s*)?(?:(?:was|were|is|are|had|has|have)\s+(?:also\s+|been\s+|recently\s+|reportedly\s+|previously\s+)*(?:breached|hacked|compromised|targeted|hit|attacked|affected|impacted|infiltrated|among|victims?|a victim|disrupted|crippled|extorted)|(?:each\s+|both\s+|all\s+)?(?:also\s+)?(?:disclosed|confirmed|reported|acknowledged|revealed|announced|suffered|experienced|detected|discovered)\s+(?:(?:a|an|the)\s+(?:\w+\s+){0,3}(?:breach|attack|cyberattack|cyber attack|cyber-attack|intrusion|incident|hack|compromise)|unauthori[sz]ed access)|(?:confirms|discloses|reports|reveals|blames|announces|notifies)\s+(?:\w+\s+){0,4}(?:breach|attack|cyberattack|hack|theft|heist|intrusion|incident|leak)|\s*(?:data\s+)?(?:breach|hack|cyberattack|cyber attack|data leak|leak|ransomware attack|heist|intrusion)(?-u:\b)|(?:has |have |had )?(?:hired|retained|engaged|brought in|called in|asked for help|sought help)(?-u:\b)|(?:revealed|disclosed|said|confirmed|announced|reported|admitted)\b[^.]{0,80}\b(?:hackers|attackers|threat actors?|group|gang|intruders?)\b[^.]{0,40}\b(?:breached|accessed|gained access|compromised|stole|infiltrated|had access)|fell victim|said (?:it|that it) (?:was|had been) (?:hit|breached|hacked|targeted|attacked|compromised))").expect("valid regex")
    });
    static VICTIM_VERB: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:breached|hacked|compromised|targeted|attacks|impacting|affecting|affected|impacted|victims|breaches|infiltrated)(?-u:\b)").expect("valid regex")
    });
    static LIST_INTRO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\(|(?-u:\b))(?:including|such as|like|among them|namely)\s+(?:the\s+)?$")
            .expect("valid regex")
    });
    static PRODUCT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:(?:systems|servers|instances|platform|software|appliances?|devices|portal|databases?|tenants?)\s+(?:of|at|belonging to|used by)|(?:software|firmware|products?|apps?|applications?|platforms?|instances|appliances?|plugins?|vulnerabilit(?:y|ies)|flaws?|zero-days?|bugs?)(?:[^\w-]|$))")
            .expect("valid regex")
    });
    // Cues sit next to the names: look at most this far either side.
    let before = &sentence[floor_boundary(sentence, first.start.saturating_sub(160))..first.start];
    let after = &sentence[last.end..ceil_boundary(sentence, (last.end + 200).min(sentence.len()))];
    // "breached several carriers (including X, Y and Z)".
    let listed = LIST_INTRO.is_match(before) && {
        let from = before.len().saturating_sub(120);
        let from = (from..before.len()).find(|&i| before.is_char_boundary(i)).unwrap_or(before.len());
        VICTIM_VERB.is_match(&before[from..])
    };
    (VICTIM_BEFORE.is_match(before) || VICTIM_AFTER.is_match(after) || listed)
        && !PRODUCT_AFTER.is_match(after)
        && !names_their_people(after)
}

/// Whether the words right after a name make it the modifier of the
/// people hit ("targeting Salesforce customers", "extorting MOVEit
/// data-theft victims"): those people, not the name, were the target.
fn names_their_people(after: &str) -> bool {
    let words: Vec<&str> = after.split_whitespace().take(3).collect();
    words.iter().position(|w| lexicon::SERVED_PEOPLE.contains(&w.trim_end_matches([',', '.', ';']))).is_some_and(|k| {
        words[..k].iter().all(|w| w.starts_with(char::is_lowercase) && !lexicon::CLAUSE_WORDS.contains(w))
    }) && !after.trim_start().starts_with([',', '(', ';'])
}

/// The sentence with each actor mention written over as "gang" (padded
/// with spaces, so byte offsets stay where they were).
/// A sentence naming no actor is returned as it is, without a copy.
fn mask_actors<'s>(sentence: &'s str, mentions: &[ActorMention]) -> std::borrow::Cow<'s, str> {
    if mentions.is_empty() {
        return std::borrow::Cow::Borrowed(sentence);
    }
    let mut out = sentence.to_string();
    for m in mentions {
        let end = m.at + m.name.len();
        if m.name.len() >= 4 && out.is_char_boundary(m.at) && end <= out.len() && out.is_char_boundary(end) {
            let pad = " ".repeat(m.name.len() - 4);
            out.replace_range(m.at..end, &format!("gang{pad}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Governments in a list, written as "the state of Missouri", "the
/// government of Nova Scotia": the place is the victim's name.
fn governments(list: &str) -> Vec<String> {
    static GOV: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(state|government|city|province|county|municipality|canton) of ((?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,3})")
            .expect("valid regex")
    });
    GOV.captures_iter(list)
        .filter_map(|c| Some(format!("{} of {}", c.get(1)?.as_str(), c.get(2)?.as_str().trim_end_matches(['.', ',']))))
        .collect()
}

#[cfg(test)]
mod tests;
