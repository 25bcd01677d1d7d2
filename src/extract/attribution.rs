//! Attribution over the parse: in one analysed sentence, the cues of speech
//! (a reporting verb, a refusal to comment, `according to`), the phrase that
//! is their source and the words that are their content.
//!
//! This stage knows tokens and dependency relations only; it does not decide
//! who a pronoun is or what stance a cue takes (that is
//! [`super::statements`]' job, with the tables of [`super::lexicon`]).
//!
//! - **Cues** are tokens whose lemma is in [`lexicon::VERBS`] (reporting verbs,
//!   the list grown from the cue lemmas of the shared corpus and PolNeAR), a
//!   refusal (`declined to comment`, `did not respond`, `would not confirm`,
//!   `was not available for comment`, `could not be reached`, `had no
//!   comment`), or the preposition `according to`. A cue inside a quotation
//!   is the quoted speaker's word, not the sentence's, and is skipped.
//! - **Source**: the cue's nominal subject (with its conjuncts and
//!   appositions, without relative clauses); the antecedent of a relative
//!   pronoun subject (`the actors, which the ministry says ...` gives *the
//!   ministry*; `Acme, which said ...` gives *Acme*); the subject of the verb
//!   a coordinated, controlled or participial cue hangs on (`confirmed the
//!   breach but declined to say ...`, `..., saying that ...`); the `by`-agent
//!   of a passive; the object of `according to`. An agentless passive
//!   (`is believed to`, `was told`) has no source and is no statement.
//! - **Content**: the clausal complement or the quote; for a tag after the
//!   content (`"...," the company said.`) the clause the tag hangs on; for a
//!   refusal or a stance verb with a nominal object, the cue's own subtree.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::lexicon::{self, VerbClass};
use crate::nlp::{Deprel, Sentence, Upos};

/// What kind of cue an attribution has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A reporting verb of this class.
    Verb(VerbClass),
    /// A refusal or failure to comment.
    NoComment,
    /// `according to X`.
    Source,
}

/// One attribution found in a sentence. Token indices are the sentence's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub cue: Cue,
    /// The cue's lemma (`say`, `decline`, `according to`).
    pub lemma: String,
    /// The cue token.
    pub at: usize,
    /// The source phrase's tokens, in order (never empty).
    pub source: Vec<usize>,
    /// The content's tokens, in order (may be empty).
    pub content: Vec<usize>,
    /// The cue is negated (`did not deny`, `would not confirm`).
    pub negated: bool,
}

/// Lemma to class, for every reporting verb.
static VERB_CLASS: LazyLock<HashMap<&'static str, VerbClass>> =
    LazyLock::new(|| lexicon::VERBS.iter().map(|(l, c)| (*l, *c)).collect());

/// The class of a reporting verb's lemma.
pub fn verb_class(lemma: &str) -> Option<VerbClass> {
    VERB_CLASS.get(lemma).copied()
}

/// The lemma of a cue's inflected form (`said` gives `say`).
fn cue_lemma(form: &str) -> Option<&'static str> {
    static FORMS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        let lemmas = lexicon::VERBS
            .iter()
            .map(|(l, _)| *l)
            .chain(lexicon::REFUSALS.iter().copied())
            .chain(lexicon::WITHHELD.iter().copied());
        let mut map = HashMap::new();
        for l in lemmas {
            for f in lexicon::inflections(l) {
                map.entry(f).or_insert(l);
            }
        }
        map
    });
    FORMS.get(form).copied()
}

/// Whether a sentence's lower-cased words may hold a cue at all: parsing is
/// the costly step, and most sentences of a story report no speech.
pub fn may_attribute<'a>(mut lower_words: impl Iterator<Item = &'a str>) -> bool {
    static FORMS: LazyLock<std::collections::HashSet<String>> = LazyLock::new(|| {
        let mut set: std::collections::HashSet<String> =
            lexicon::VERBS.iter().flat_map(|(l, _)| lexicon::inflections(l)).collect();
        set.extend(lexicon::REFUSALS.iter().flat_map(|l| lexicon::inflections(l)));
        set.extend(["according", "comment", "available", "unavailable", "reached"].map(String::from));
        set
    });
    lower_words.any(|w| FORMS.contains(w))
}

/// Negation words that are dependents of the word they negate.
fn is_negation(lower: &str) -> bool {
    matches!(lower, "not" | "n't" | "never" | "no")
}

/// Find the attributions of one analysed sentence. `quoted[i]` says whether
/// token `i` lies inside a quotation.
pub fn attributions(s: &Sentence, quoted: &[bool]) -> Vec<Attribution> {
    attributions_after(s, quoted, false)
}

/// As [`attributions`]; `after_quote` says the sentence opens right after a
/// quotation that ended the sentence before (`"... this time?" Voss
/// asked.`): a bare tag, whose content is that quotation, so a verb that
/// speaks only with a clause or a quote (`asked`, `noted`) speaks here.
pub fn attributions_after(s: &Sentence, quoted: &[bool], after_quote: bool) -> Vec<Attribution> {
    let kids = s.dependents();
    let t = &s.tokens;
    let rel = |i: usize| t[i].rel;
    let has = |i: usize, r: Deprel| kids[i].iter().any(|&c| t[c].rel == r);
    // "Neither Acme nor Beta responded": the "neither" hangs on the verb or its subject.
    let neither = |i: usize| {
        kids[i].iter().any(|&c| {
            t[c].lower == "neither"
                || matches!(rel(c).base(), "nsubj") && kids[c].iter().any(|&g| t[g].lower == "neither")
        })
    };
    let negated = |i: usize| kids[i].iter().any(|&c| is_negation(&t[c].lower) && t[c].rel != Deprel::CC) || neither(i);
    let mut found: Vec<Attribution> = Vec::new();
    // Tokens already used as part of a refusal ("comment" in "declined to comment").
    let mut used = vec![false; t.len()];
    for i in 0..t.len() {
        if quoted[i] || used[i] {
            continue;
        }
        let lower = t[i].lower.as_str();
        // A cue's inflections are known: "tweeted" is "tweet" whatever the lemmatizer guesses.
        let lemma = cue_lemma(lower).map_or_else(|| t[i].lemma.to_lowercase(), str::to_string);
        // according to X
        if lower == "according" && t.get(i + 1).is_some_and(|n| n.lower == "to") {
            let np = if rel(i) == Deprel::CASE {
                t[i].head
            } else {
                kids[i].iter().copied().find(|&c| rel(c).base() == "obl" || rel(c) == Deprel::OBJ)
            };
            if let Some(np) = np {
                // The words right after "according to" are the source, however the parse hung them.
                let after: Vec<usize> = (i + 2..t.len()).take_while(|&k| nominal_word(s, k, quoted)).collect();
                let parsed = phrase(s, &kids, np, &[i, i + 1]);
                let source =
                    if after.len() > parsed.len() || parsed.iter().any(|k| *k <= i + 1) { after } else { parsed };
                if !source.is_empty() {
                    let content = clause_without(s, &kids, np);
                    found.push(Attribution {
                        cue: Cue::Source,
                        lemma: "according to".into(),
                        at: i,
                        source,
                        content,
                        negated: false,
                    });
                }
            }
            continue;
        }
        // Refusals: "declined to comment", "refused comment", "chose not to comment".
        let chose_not = lemma == "choose" && kids[i].iter().any(|&c| rel(c) == Deprel::XCOMP && negated(c));
        if (lexicon::REFUSALS.contains(&lemma.as_str()) || chose_not) && t[i].upos == Upos::Verb {
            let act = kids[i]
                .iter()
                .copied()
                .find(|&c| rel(c) == Deprel::XCOMP || rel(c) == Deprel::OBJ && t[c].lower == "comment");
            if let Some(act) = act {
                used[act] = true;
                if let Some(source) = subject_of(s, &kids, i).or_else(|| adjacent_subject(s, i, quoted)) {
                    found.push(Attribution {
                        cue: Cue::NoComment,
                        lemma,
                        at: i,
                        source,
                        content: without_clauses(s, &kids, act),
                        negated: false,
                    });
                }
            }
            continue;
        }
        // "was not available for comment", "could not be reached", "had no comment".
        let unavailable = (lower == "available" && negated(i) || lower == "unavailable")
            && kids[i].iter().any(|&c| t[c].lower == "comment" || kids[c].iter().any(|&g| t[g].lower == "comment"));
        let unreached = lower == "reached" && has(i, Deprel::AUX_PASS) && negated(i);
        let no_comment_noun = lower == "comment"
            && kids[i].iter().any(|&c| t[c].lower == "no")
            && t[i].head.is_some_and(|h| t[h].lemma == "have");
        if unavailable || unreached || no_comment_noun {
            let verb = if no_comment_noun { t[i].head.expect("checked") } else { i };
            let source = if unreached {
                kids[i].iter().copied().find(|&c| rel(c) == Deprel::NSUBJ_PASS).map(|c| phrase(s, &kids, c, &[]))
            } else {
                subject_of(s, &kids, verb)
            };
            if let Some(source) = source.filter(|p| !p.is_empty()) {
                found.push(Attribution {
                    cue: Cue::NoComment,
                    lemma: lower.to_string(),
                    at: i,
                    source,
                    content: vec![i],
                    negated: true,
                });
            }
            continue;
        }
        if !(t[i].upos == Upos::Verb || t[i].xpos.starts_with("VB")) {
            continue;
        }
        let neg = negated(i) || t[i].head.is_some_and(|h| rel(i) == Deprel::XCOMP && negated(h));
        // A negated act of telling is a refusal: "did not respond", "would not confirm".
        let wh_clause = |c: usize| {
            s.subtree(c).first().is_some_and(|&f| {
                matches!(
                    t[f].lower.as_str(),
                    "how" | "what" | "whether" | "when" | "why" | "which" | "who" | "if" | "where"
                )
            })
        };
        let says_that = kids[i].iter().any(|&c| rel(c) == Deprel::CCOMP && !wh_clause(c));
        if neg && lexicon::WITHHELD.contains(&lemma.as_str()) && !says_that {
            if let Some(source) = subject_of(s, &kids, i) {
                let act = kids[i]
                    .iter()
                    .copied()
                    .filter(|&c| matches!(rel(c).base(), "obj" | "obl"))
                    .flat_map(|c| s.subtree(c));
                let mut content: Vec<usize> = std::iter::once(i).chain(act).collect();
                content.sort_unstable();
                found.push(Attribution { cue: Cue::NoComment, lemma, at: i, source, content, negated: true });
            }
            continue;
        }
        let Some(class) = verb_class(&lemma) else { continue };
        // Passive: the agent speaks; without one, nobody does.
        // An agent is introduced by `by`: the parse may call "fined Acme
        // £8 million" an agent without one.
        let agent = |c: usize| rel(c).base() == "obl" && kids[c].iter().any(|&g| t[g].lower == "by");
        let passive = has(i, Deprel::AUX_PASS) || has(i, Deprel::NSUBJ_PASS) || kids[i].iter().any(|&c| agent(c));
        let source = if passive {
            kids[i]
                .iter()
                .copied()
                .find(|&c| agent(c))
                .map(|a| phrase(s, &kids, a, &[]))
                .map(|p| p.into_iter().filter(|&j| t[j].lower != "by").collect::<Vec<_>>())
                .filter(|p| !p.is_empty())
        } else {
            // A bare participle ("samples linked to X", "the men charged with")
            // modifies a noun: it is no act of speech.
            let finite = t[i].xpos != "VBN" && t[i].xpos != "VBG" || has(i, Deprel::AUX);
            // ... unless it closes the sentence after a comma: "..., two sources confirmed."
            let closing = t.get(i + 1).is_some_and(|n| matches!(n.text.as_str(), "." | "!"))
                && t[..i].iter().any(|p| p.text == ",");
            // ... or follows an apposition: "The embassy's spokesperson, Ivo Marek, accused".
            let after_apposition = i > 0 && t[i - 1].text == ",";
            let modifier = matches!(rel(i).base(), "acl" | "amod") && !closing && !after_apposition;
            subject_of(s, &kids, i).or_else(|| {
                ((finite || closing || after_apposition) && !modifier).then(|| adjacent_subject(s, i, quoted)).flatten()
            })
        };
        let Some(source) = source else { continue };
        // What was said: the clause the cue reports and, as a parse may cut
        // that clause short, every other word of the sentence but the source's.
        let content = content_of(s, &kids, i, quoted);
        // Verbs that report news as well as speech ("announced a plan",
        // "reported a breach") speak only with a clause or a quote.
        if lexicon::NEEDS_CLAUSE.contains(&lemma.as_str()) && !after_quote && !has_clause(s, &kids, i, quoted) {
            continue;
        }
        found.push(Attribution { cue: Cue::Verb(class), lemma, at: i, source, content, negated: neg });
    }
    for a in &mut found {
        a.source = without_party_label(s, hyphen_joined(s, std::mem::take(&mut a.source)));
    }
    let mut kept = nested_dropped(s, found);
    // What was said, for the stance: the clause the cue reports and, as a
    // parse may cut that clause short, every other word of the sentence
    // but the source's (refusals keep their own act).
    for a in kept.iter_mut().filter(|a| a.cue != Cue::NoComment) {
        a.content.extend((0..t.len()).filter(|j| *j != a.at && !a.source.contains(j)));
        a.content.sort_unstable();
        a.content.dedup();
    }
    kept
}

/// A source without the party label in brackets after a politician's
/// name: "Sen. Ron Wyden (D-Ore.)", "Gov. Pat McCrory (R)" speak as the
/// person, not as "D-Ore".
fn without_party_label(s: &Sentence, ids: Vec<usize>) -> Vec<usize> {
    let t = &s.tokens;
    let Some(open) = ids.iter().copied().find(|&j| t[j].text == "(") else { return ids };
    let label = t.get(open + 1).is_some_and(|p| matches!(p.text.as_str(), "D" | "R" | "I"))
        && t.get(open + 2).is_some_and(|n| matches!(n.text.as_str(), "-" | ")" | "\u{2013}"));
    let close = (open + 1..t.len().min(open + 8)).find(|&j| t[j].text == ")");
    match close {
        Some(close) if label && open > 0 && ids.contains(&(open - 1)) => {
            ids.into_iter().filter(|&j| j < open || j > close).collect()
        }
        _ => ids,
    }
}

/// A source with the rest of a hyphenated word it cuts ("CERT-UA" is three
/// tokens, as the treebank splits hyphens, and the parse may take "UA" alone).
fn hyphen_joined(s: &Sentence, mut ids: Vec<usize>) -> Vec<usize> {
    let t = &s.tokens;
    ids.sort_unstable();
    let glued = |a: usize, b: usize| t[a].span.end == t[b].span.start;
    let hyphen = |j: usize| t[j].text == "-";
    while let (Some(&first), Some(&last)) = (ids.first(), ids.last()) {
        if first >= 2 && hyphen(first - 1) && glued(first - 1, first) && glued(first - 2, first - 1) {
            ids.splice(0..0, [first - 2, first - 1]);
        } else if last + 2 < t.len() && hyphen(last + 1) && glued(last, last + 1) && glued(last + 1, last + 2) {
            ids.extend([last + 1, last + 2]);
        } else {
            break;
        }
    }
    ids
}

/// A cue inside another cue's content is reported speech of the outer
/// speaker ("the FBI said the gang claimed ..."): only the outer one is kept.
/// A refusal reported by its own speaker ("Acme said it could not comment")
/// is kept instead of the report.
fn nested_dropped(s: &Sentence, found: Vec<Attribution>) -> Vec<Attribution> {
    let inside = |inner: &Attribution, outer: &Attribution| {
        // A tag closing the sentence ("..., two sources confirmed") is its own attribution.
        let tag = s.tokens[inner.at].rel.base() == "parataxis"
            || s.tokens.get(inner.at + 1).is_some_and(|n| matches!(n.text.as_str(), "." | "!"));
        inner.at != outer.at && !tag && outer.content.contains(&inner.at) && !outer.source.contains(&inner.at) && {
            // Coordinated cues ("confirmed ... but declined to ...") are not nested.
            let mut h = s.tokens[inner.at].head;
            let mut ok = true;
            while let Some(x) = h {
                if x == outer.at {
                    break;
                }
                if s.tokens[x].rel == Deprel::CONJ && s.tokens[x].head == Some(outer.at) {
                    ok = false;
                }
                h = s.tokens[x].head;
            }
            ok && s.tokens[inner.at].head != Some(outer.at) || s.tokens[inner.at].rel != Deprel::CONJ
        }
    };
    let keep: Vec<bool> = found
        .iter()
        .map(|a| {
            !found.iter().any(|o| {
                inside(a, o) && !(a.cue == Cue::NoComment && a.source.iter().all(|&k| s.tokens[k].upos == Upos::Pron))
            })
        })
        .collect();
    let refusals: Vec<&Attribution> = found.iter().filter(|a| a.cue == Cue::NoComment).collect();
    found
        .iter()
        .zip(keep)
        .filter(|(a, k)| {
            *k && !refusals.iter().any(|r| inside(r, a) && r.source.iter().all(|&k| s.tokens[k].upos == Upos::Pron))
        })
        .map(|(a, _)| a.clone())
        .collect()
}

/// The subject phrase of verb `v`: its own subject, else that of the verb
/// it is coordinated with, controlled by or hangs on as a participle; for a
/// relative clause, the noun it modifies.
fn subject_of(s: &Sentence, kids: &[Vec<usize>], v: usize) -> Option<Vec<usize>> {
    let t = &s.tokens;
    let mut v = v;
    for _ in 0..4 {
        let mut subjects: Vec<usize> = kids[v].iter().copied().filter(|&c| t[c].rel == Deprel::NSUBJ).collect();
        // The parse may give a verb several subjects: those before it are
        // the subject ("Monday" in "... Jordan said Monday" is not).
        if subjects.iter().any(|&c| c < v) {
            subjects.retain(|&c| c < v);
        }
        if let Some(&sub) = subjects.first() {
            let relative = matches!(t[sub].lower.as_str(), "which" | "who" | "that");
            if relative {
                // The relative clause's noun; a misparsed clause gives none.
                let noun = t[v].head.filter(|&h| matches!(t[h].upos, Upos::Noun | Upos::Propn));
                return noun.map(|h| phrase(s, kids, h, &[])).filter(|p| !p.is_empty());
            }
            // A name split by the parse into a subject and a name before it
            // ("Tulsa police Chief Chuck Jordan", "Port Authority Director
            // Helen Okafor"): the parse allows a verb one subject, so the
            // name's first part hangs from the verb by another relation.
            let first = phrase(s, kids, sub, &[]).first().copied().unwrap_or(sub);
            let split_name = kids[v].iter().copied().find(|&c| {
                c < first
                    && (t[c].upos == Upos::Propn || t[c].text.starts_with(char::is_uppercase))
                    && matches!(t[c].rel.as_str(), "dislocated" | "obl:unmarked" | "nmod" | "compound" | "dep")
                    && phrase(s, kids, c, &[]).last().is_some_and(|&e| e + 1 == first)
            });
            subjects.extend(split_name);
            let mut p: Vec<usize> = subjects.iter().flat_map(|&c| phrase(s, kids, c, &[])).collect();
            p.sort_unstable();
            p.dedup();
            let contiguous = p.windows(2).all(|w| w[1] == w[0] + 1);
            if !contiguous {
                p = phrase(s, kids, sub, &[]);
            }
            return (!p.is_empty()).then_some(p);
        }
        let up = t[v].head?;
        let r = t[v].rel;
        let participle = r == Deprel::ADVCL && t[v].xpos == "VBG";
        // "issued a statement confirming the attack": the issuer speaks.
        let document = r.base() == "acl"
            && t[v].xpos == "VBG"
            && lexicon::DOCUMENT_HEADS.contains(&t[up].lower.as_str())
            && matches!(t[up].rel.base(), "obj" | "obl");
        if r == Deprel::CONJ || r == Deprel::XCOMP || participle {
            v = up;
        } else if document {
            v = t[up].head?;
        } else {
            return None;
        }
    }
    None
}

/// A word that may be part of a noun phrase naming a source: a noun, a
/// name, a determiner, an adjective, a number, a possessive ending.
fn nominal_word(s: &Sentence, k: usize, quoted: &[bool]) -> bool {
    let t = &s.tokens[k];
    !quoted[k] && matches!(t.upos, Upos::Propn | Upos::Noun | Upos::Adj | Upos::Det | Upos::Num)
        || t.lower == "'s"
        || t.lower == "\u{2019}s"
}

/// When the parse gives a cue no subject (a misparse), the noun phrase
/// right before it (`Pat Caddell told`), past adverbs and auxiliaries, or,
/// after a comma or a quote, the one right after it (`, said Caddell`).
fn adjacent_subject(s: &Sentence, v: usize, quoted: &[bool]) -> Option<Vec<usize>> {
    let t = &s.tokens;
    let nominal = |j: usize| nominal_word(s, j, quoted);
    let named = |ids: &[usize]| ids.iter().any(|&j| matches!(t[j].upos, Upos::Propn | Upos::Noun | Upos::Pron));
    let mut j = v;
    while j > 0 && matches!(t[j - 1].upos, Upos::Adv | Upos::Aux | Upos::Part) && t[j - 1].lower != "'s" {
        j -= 1;
    }
    if j > 0 && t[j - 1].upos == Upos::Pron && !quoted[j - 1] {
        return Some(vec![j - 1]);
    }
    // "Role, Name, said": the noun phrase and its apposition between commas.
    if j > 1 && t[j - 1].text == "," {
        let run_before = |end: usize| {
            let mut k = end;
            while k > 0 && nominal(k - 1) {
                k -= 1;
            }
            k
        };
        let name_start = run_before(j - 1);
        if name_start < j - 1 && name_start > 1 && t[name_start - 1].text == "," {
            let role_start = run_before(name_start - 1);
            if role_start < name_start - 1 {
                let ids: Vec<usize> = (role_start..j - 1).collect();
                if named(&ids) {
                    return Some(ids);
                }
            }
        }
        // "Name, a role of any length, told reporters": a verb that cannot
        // put its speaker after it speaks for the name opening the clause
        // (with its apposition, which gives the affiliation).
        let addresses = !lexicon::INVERTING.contains(&t[v].lemma.to_lowercase().as_str());
        if let Some(open) = (1..j - 1).rev().find(|&k| t[k].text == ",").filter(|_| addresses) {
            let name_start = run_before(open);
            let opens_clause = name_start == 0 || t[name_start - 1].upos == Upos::Punct;
            if name_start < open && opens_clause && (name_start..open).any(|k| t[k].upos == Upos::Propn) {
                return Some((name_start..j - 1).collect());
            }
        }
    }
    let mut left = Vec::new();
    // Coordinated names count as one phrase: "Northwind Bank and Harbor Credit".
    let joins = |k: usize| matches!(t[k].lower.as_str(), "and" | "&" | ",") && k > 0 && nominal(k - 1);
    while j > 0 && (nominal(j - 1) || !left.is_empty() && joins(j - 1)) {
        j -= 1;
        left.push(j);
    }
    left.reverse();
    while left.first().is_some_and(|&k| t[k].upos == Upos::Det || t[k].upos == Upos::Adj && !is_capital(&t[k].text)) {
        left.remove(0);
    }
    if named(&left) {
        return Some(left);
    }
    // Inverted: "…," said Caddell. Only verbs of saying invert; "…, told
    // reporters" and "…, urged Americans" name whom they address.
    let after_break = v > 0 && (t[v - 1].upos == Upos::Punct || quoted[v - 1]);
    if after_break && lexicon::INVERTING.contains(&t[v].lemma.to_lowercase().as_str()) {
        let right: Vec<usize> = (v + 1..t.len()).take_while(|&k| nominal(k) && t[k].lower != "that").collect();
        if named(&right) {
            return Some(right);
        }
    }
    None
}

fn is_capital(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// The tokens of `head`'s phrase: its subtree without relative clauses,
/// clauses and the tokens in `without`, trimmed of punctuation at both ends.
fn phrase(s: &Sentence, kids: &[Vec<usize>], head: usize, without: &[usize]) -> Vec<usize> {
    let t = &s.tokens;
    let mut out = Vec::new();
    let mut stack = vec![head];
    while let Some(j) = stack.pop() {
        if without.contains(&j) {
            continue;
        }
        out.push(j);
        for &c in &kids[j] {
            let r = t[c].rel;
            let clause = r == Deprel::ACL_RELCL
                || r == Deprel::ACL
                || r == Deprel::PARATAXIS
                || r == Deprel::CCOMP
                || r == Deprel::ADVCL
                || r.base() == "acl";
            if !clause {
                stack.push(c);
            }
        }
    }
    out.sort_unstable();
    // Keep one contiguous run around the head (a parse may attach far words).
    let at = out.iter().position(|&j| j == head).unwrap_or(0);
    let mut lo = at;
    while lo > 0 && out[lo - 1] + 1 == out[lo] {
        lo -= 1;
    }
    let mut hi = at;
    while hi + 1 < out.len() && out[hi] + 1 == out[hi + 1] {
        hi += 1;
    }
    let mut run = out[lo..=hi].to_vec();
    while run.first().is_some_and(|&j| matches!(t[j].upos, Upos::Punct | Upos::Cconj | Upos::Adp)) {
        run.remove(0);
    }
    while run.last().is_some_and(|&j| t[j].upos == Upos::Punct) {
        run.pop();
    }
    run
}

/// `head`'s subtree without the clauses hanging on it (an adverbial clause
/// "while Verizon did not respond" is its own attribution, not this one's
/// content).
fn without_clauses(s: &Sentence, kids: &[Vec<usize>], head: usize) -> Vec<usize> {
    let t = &s.tokens;
    let mut out: Vec<usize> = vec![head];
    for &c in &kids[head] {
        if !matches!(t[c].rel.base(), "advcl" | "conj" | "parataxis") {
            out.extend(s.subtree(c));
        }
    }
    out.sort_unstable();
    out
}

/// The sentence's tokens outside `np`'s subtree.
fn clause_without(s: &Sentence, _kids: &[Vec<usize>], np: usize) -> Vec<usize> {
    let inner = s.subtree(np);
    (0..s.tokens.len()).filter(|j| !inner.contains(j)).collect()
}

/// What verb `v` reports: its clausal complement, the clause it tags, the
/// quote of its sentence, or its own subtree without its subject.
fn content_of(s: &Sentence, kids: &[Vec<usize>], v: usize, quoted: &[bool]) -> Vec<usize> {
    let t = &s.tokens;
    if let Some(c) = kids[v].iter().copied().find(|&c| t[c].rel == Deprel::CCOMP) {
        return s.subtree(c);
    }
    // "..., the company said": the tag hangs on the clause it reports.
    let tag = matches!(t[v].rel.base(), "parataxis")
        || t[v].rel == Deprel::ADVCL && kids[v].iter().any(|&c| t[c].lower == "as");
    if tag && let Some(h) = t[v].head {
        let own = s.subtree(v);
        return s.subtree(h).into_iter().filter(|j| !own.contains(j)).collect();
    }
    if let Some(c) = kids[v].iter().copied().find(|&c| t[c].rel == Deprel::PARATAXIS) {
        return s.subtree(c);
    }
    let quote: Vec<usize> = (0..t.len()).filter(|&j| quoted[j]).collect();
    if !quote.is_empty() {
        return quote;
    }
    let subject: Vec<usize> =
        kids[v].iter().filter(|&&c| t[c].rel == Deprel::NSUBJ).flat_map(|&c| s.subtree(c)).collect();
    s.subtree(v).into_iter().filter(|j| *j != v && !subject.contains(j)).collect()
}

/// Whether verb `v` reports a clause: a complement clause, a quote, a tag
/// position, `as` (`described it as`), or an -ing or infinitive complement.
fn has_clause(s: &Sentence, kids: &[Vec<usize>], v: usize, quoted: &[bool]) -> bool {
    let t = &s.tokens;
    kids[v].iter().any(|&c| {
        matches!(t[c].rel.base(), "ccomp" | "xcomp" | "parataxis")
            || t[c].lower == ":"
            || t[c].lower == "as" && t[c].rel != Deprel::MARK
    }) || matches!(t[v].rel.base(), "parataxis")
        || quoted.iter().any(|&q| q)
        // "called the claims groundless".
        || kids[v].iter().any(|&c| t[c].rel == Deprel::OBJ && s.children(c).any(|g| t[g].upos == Upos::Adj && t[g].rel == Deprel::AMOD && g > c))
        // "claimed responsibility", "claimed the attack".
        || kids[v].iter().any(|&c| t[c].rel == Deprel::OBJ && lexicon::CLAIMED.contains(&t[c].lower.as_str()))
        || t.iter().skip(v + 1).take(6).any(|n| {
            matches!(n.lower.as_str(), "that" | "whether" | ":") && n.upos != Upos::Det && n.upos != Upos::Pron
        })
        || kids[v].iter().any(|&c| t[c].rel == Deprel::MARK && t[c].lower == "as")
        // "called for a moratorium": a demand whose content is a noun.
        || t[v].lemma == "call" && t.get(v + 1).is_some_and(|n| n.lower == "for")
}

/// Which tokens of a sentence lie inside quotation marks, given the byte
/// ranges of the paragraph's quotations.
pub fn quoted_tokens(s: &Sentence, quotes: &[(u32, u32)]) -> Vec<bool> {
    s.tokens.iter().map(|tok| quotes.iter().any(|&(a, b)| tok.span.start >= a && tok.span.end <= b)).collect()
}

/// The byte ranges of a paragraph's quotations (the marks included): a
/// curly or straight double quote to its closing mark, across sentences; an
/// opening mark with no closing one runs to the end of the paragraph. Short
/// quoted terms (fewer than four words, "scare quotes") are not quotations.
pub fn quotations(text: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().expect("in bounds");
        let straight_open =
            c == '"' && (i == 0 || text[..i].ends_with(|p: char| p.is_whitespace() || "([—–-:".contains(p)));
        if c == '\u{201c}' || straight_open {
            let close = if c == '"' { '"' } else { '\u{201d}' };
            let from = i + c.len_utf8();
            let end = text[from..].find(close).map_or(text.len(), |k| from + k + close.len_utf8());
            let inner = &text[from..end.min(text.len())];
            if inner.split_whitespace().count() >= 4 {
                out.push((i as u32, end as u32));
            }
            i = end.max(from);
            continue;
        }
        i += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests;
