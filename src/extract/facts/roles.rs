//! Victims and responders read off a sentence's dependency tree.
//!
//! A role belongs to a token when the tree puts it there:
//! - victim: the object of a breach verb or the subject of its passive
//!   ("hackers breached X", "X was hit"), whom a theft was "from", whom an
//!   intrusion noun was "of", "at", "on" or "against" ("the attack on X",
//!   "X's breach"), the subject of a disclosure of a breach ("X confirmed a
//!   breach", "X said it was hit"), "X was a victim", "victims include X";
//! - responder: the subject of a response verb ("X is investigating"),
//!   the agent of its passive, the object of an engaging verb ("hired X"),
//!   the partner of "worked with X", whose help it was ("with the help of
//!   X") and whose researchers ("researchers at X", "X's security team").
//!
//! From each such token the role spreads to its conjuncts and appositions,
//! through parts of an organisation ("the networks of X") and into lists
//! ("companies including X and Y"). Which tokens name an organisation is
//! not decided here: the caller maps its names onto the marked tokens.
//! The perpetrator of a breach verb (its subject, or the agent of its
//! passive) is kept with each victim, so that a victim of another group's
//! attack can be told apart from the story's.

use std::sync::LazyLock;

use crate::extract::lexicon::{self, WordList};
use crate::nlp::{Deprel, Sentence, Token, Upos};

/// The roles of one sentence's tokens.
#[derive(Debug, Default)]
pub(super) struct Roles {
    pub victims: Vec<usize>,
    pub responders: Vec<usize>,
    /// Per responder: found as the owner of a team ("X's security team"),
    /// which responds even when X is the victim.
    pub team: Vec<bool>,
    /// Tokens from here on are a list of victims ("victims include ...").
    pub list_from: Option<usize>,
    /// The last word of each name of a tool (see [`tools`]).
    pub tools: Vec<usize>,
}

static BREACH_VERBS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::BREACH_VERBS));
static THEFT_VERBS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::THEFT_VERBS));
static BREACH_NOUNS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::BREACH_NOUNS));
static CONTAINER_NOUNS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::CONTAINER_NOUNS));
static VICTIM_NOUNS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::VICTIM_NOUNS));
static RESPONSE_VERBS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::RESPONSE_VERBS));
static ENGAGE_VERBS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::ENGAGE_VERBS));
static HELP_NOUNS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::HELP_NOUNS));
static RESEARCHER_NOUNS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::RESEARCHER_NOUNS));
static TOOL_HEADS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::TOOL_HEADS));
static USE_VERBS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::USE_VERBS));
static FINDING_VERBS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::FINDING_VERBS));
static ATTACKERS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::ATTACKER_NOUNS));
static GROUPS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::GROUP_NOUNS));
static PARTNER_VERBS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::PARTNER_VERBS));

/// A sentence's tree with each token's dependents, read once.
struct Tree<'s> {
    s: &'s Sentence,
    kids: Vec<Vec<usize>>,
}

impl Tree<'_> {
    fn tok(&self, i: usize) -> &Token {
        &self.s.tokens[i]
    }

    fn kids(&self, i: usize, rel: Deprel) -> impl Iterator<Item = usize> + '_ {
        self.kids[i].iter().copied().filter(move |&c| self.s.tokens[c].rel == rel)
    }

    fn has_kid(&self, i: usize, rel: Deprel) -> bool {
        self.kids(i, rel).next().is_some()
    }

    /// The preposition (or fixed phrase's first word) marking `i`, lower case.
    fn case_of(&self, i: usize) -> Option<&str> {
        self.kids(i, Deprel::CASE).next().map(|c| self.tok(c).lower.as_str())
    }

    fn is_verb(&self, i: usize) -> bool {
        let t = self.tok(i);
        t.upos == Upos::Verb || t.xpos.starts_with("VB")
    }

    fn is_noun(&self, i: usize) -> bool {
        matches!(self.tok(i).upos, Upos::Noun | Upos::Propn)
    }

    /// Negated: "was not compromised", "did not breach".
    fn negated(&self, i: usize) -> bool {
        self.kids[i].iter().any(|&c| {
            let t = self.tok(c);
            t.rel == Deprel::ADVMOD && matches!(t.lower.as_str(), "not" | "n't" | "never")
        })
    }

    /// A passive: "was breached", or a participle modifying its patient
    /// ("companies hit by the attack").
    fn passive(&self, i: usize) -> bool {
        self.has_kid(i, Deprel::AUX_PASS)
            || self.has_kid(i, Deprel::NSUBJ_PASS)
            || self.tok(i).rel == Deprel::ACL && self.tok(i).xpos == "VBN"
    }

    /// The subject of verb `i`, through coordination and control ("X
    /// breached Y and stole Z", "X moved to contain it").
    fn subject(&self, mut i: usize) -> Option<usize> {
        for _ in 0..4 {
            if let Some(s) = self.kids(i, Deprel::NSUBJ).next() {
                return Some(self.antecedent(i, s));
            }
            let t = self.tok(i);
            match (t.rel, t.head) {
                // "hired X to investigate": the object does what it was hired for.
                (r, Some(h)) if r == Deprel::XCOMP => match self.kids(h, Deprel::OBJ).next() {
                    Some(o) => return Some(o),
                    None => i = h,
                },
                (r, Some(h)) if r == Deprel::CONJ => i = h,
                _ => return None,
            }
        }
        None
    }

    /// A relative pronoun stands for the noun its clause modifies
    /// ("X, which was breached"); a personal pronoun for the subject of the
    /// clause above ("X said it was hit"). Anything else is itself.
    fn antecedent(&self, verb: usize, arg: usize) -> usize {
        let t = self.tok(arg);
        if t.upos != Upos::Pron {
            return arg;
        }
        let v = self.tok(verb);
        if matches!(t.lower.as_str(), "which" | "that" | "who") {
            return match (v.rel, v.head) {
                (r, Some(h)) if r == Deprel::ACL_RELCL => h,
                _ => arg,
            };
        }
        if matches!(t.lower.as_str(), "it" | "they" | "we" | "them" | "us") {
            let mut up = v.head;
            while let Some(h) = up {
                if let Some(s) = self.kids(h, Deprel::NSUBJ).next().filter(|&s| self.tok(s).upos != Upos::Pron) {
                    return s;
                }
                up = self.tok(h).head;
            }
        }
        arg
    }

    /// Token `i` and the tokens its role spreads to: conjuncts,
    /// appositions, list members ("companies including X"), and the owner
    /// of a part ("the networks of X", "X's customers").
    fn spread(&self, i: usize, out: &mut Vec<usize>) {
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            if out.contains(&j) {
                continue;
            }
            out.push(j);
            let part = CONTAINER_NOUNS.has(self.tok(j));
            for &c in &self.kids[j] {
                let rel = self.tok(c).rel;
                let listed = lexicon::LIST_MARKERS.contains(&self.case_of(c).unwrap_or(""));
                if rel == Deprel::CONJ && self.is_noun(c)
                    || rel == Deprel::APPOS
                    || (rel == Deprel::NMOD || rel == Deprel::OBL) && listed
                    || part
                        && (rel == Deprel::NMOD_POSS
                            || rel == Deprel::NMOD && matches!(self.case_of(c), Some("of" | "at" | "from")))
                {
                    stack.push(c);
                }
            }
        }
    }
}

/// Tokens that name a tool, not a party: a name compounded with a word for
/// software or malware ("the MOVEit Transfer software", "JumblePath
/// malware"), where a flaw is ("a vulnerability in Ivanti Connect Secure"),
/// the object of a verb of use ("exploited Citrix Bleed", "deployed
/// LockFile"), or what a tool is named ("custom malware named JumblePath").
/// Each is the last word of the name ("Transfer" of "MOVEit Transfer"), so
/// a vendor named before its product ("Microsoft Exchange") is no tool.
fn tools(tree: &Tree) -> Vec<usize> {
    let s = tree.s;
    let mut out = Vec::new();
    let name = |i: usize| tree.tok(i).upos == Upos::Propn;
    for i in 0..s.tokens.len() {
        let t = tree.tok(i);
        if tree.is_noun(i) && TOOL_HEADS.has(t) {
            // "the X ransomware attack" is an attack on X, not a tool named X.
            let attack = t.lemma == "ransomware" && t.head.is_some_and(|h| BREACH_NOUNS.has(tree.tok(h)));
            // "a Microsoft vulnerability" names the vendor, not a tool.
            let flaw = lexicon::FLAW_NOUNS.contains(&t.lemma.as_str());
            if !attack && !flaw {
                out.extend(tree.kids(i, Deprel::COMPOUND).filter(|&c| name(c)));
                out.extend(tree.kids(i, Deprel::APPOS).filter(|&c| name(c)));
                for c in tree.kids[i].clone() {
                    let ct = tree.tok(c);
                    // "malware named X", "the program, called X".
                    if (ct.rel == Deprel::ACL || ct.rel == Deprel::ACL_RELCL)
                        && matches!(ct.lemma.as_str(), "name" | "call" | "dub")
                    {
                        out.extend(tree.kids(c, Deprel::XCOMP).chain(tree.kids(c, Deprel::OBJ)).filter(|&x| name(x)));
                    }
                }
            }
            if lexicon::FLAW_NOUNS.contains(&t.lemma.as_str()) {
                out.extend(
                    tree.kids(i, Deprel::NMOD).filter(|&c| name(c) && matches!(tree.case_of(c), Some("in" | "of"))),
                );
            }
        }
        if tree.is_verb(i) && USE_VERBS.has(t) {
            out.extend(tree.kids(i, Deprel::OBJ).filter(|&c| name(c)));
        }
    }
    out
}

/// The roles of a sentence's tokens.
pub(super) fn roles(s: &Sentence) -> Roles {
    let tree = Tree { s, kids: s.dependents() };
    let mut r = Roles { tools: tools(&tree), ..Roles::default() };
    for i in 0..s.tokens.len() {
        victims_at(&tree, i, &mut r);
        responders_at(&tree, i, &mut r);
    }
    r
}

/// Mark `head` and the tokens its role spreads to as victims.
fn victim(tree: &Tree, head: usize, r: &mut Roles) {
    let mut toks = Vec::new();
    tree.spread(head, &mut toks);
    for t in toks {
        if !r.victims.contains(&t) {
            r.victims.push(t);
        }
    }
}

/// Mark `head` and the tokens its role spreads to as responders; `team`
/// when they own the team that responds.
fn responder(tree: &Tree, head: usize, team: bool, r: &mut Roles) {
    let mut toks = Vec::new();
    tree.spread(head, &mut toks);
    for t in toks {
        if !r.responders.contains(&t) {
            r.responders.push(t);
            r.team.push(team);
        }
    }
}

/// Victims of the constructions whose cue may sit far from the name.
fn victims_at(tree: &Tree, i: usize, r: &mut Roles) {
    let t = tree.tok(i);
    let verb = tree.is_verb(i);
    // "companies hit by the attack".
    if verb
        && BREACH_VERBS.has(t)
        && !tree.negated(i)
        && t.rel == Deprel::ACL
        && t.xpos == "VBN"
        && let Some(h) = t.head
    {
        victim(tree, h, r);
    }
    // The tagger reads a rare past tense as an adjective ("stole" in "the
    // attackers stole records"): then what it modifies is what was taken.
    let misread = t.upos == Upos::Adj && t.rel == Deprel::AMOD;
    if (verb || misread) && THEFT_VERBS.has(t) && !tree.negated(i) {
        // What was taken: "stole records", "records were stolen".
        let mut taken: Vec<usize> = tree.kids(i, Deprel::OBJ).chain(tree.kids(i, Deprel::NSUBJ_PASS)).collect();
        if misread {
            taken.extend(t.head);
        }
        // "stole records from X".
        let mut from: Vec<usize> = tree.kids(i, Deprel::OBL).filter(|&o| tree.case_of(o) == Some("from")).collect();
        for &o in &taken {
            // "stole X's data", "copied the files of X", "records from X".
            for c in tree.kids(o, Deprel::NMOD_POSS).chain(tree.kids(o, Deprel::NMOD)).collect::<Vec<_>>() {
                if matches!(tree.case_of(c), None | Some("of" | "from" | "at")) {
                    from.push(c);
                }
            }
        }
        for o in from {
            victim(tree, o, r);
        }
    }
    if VICTIM_NOUNS.has(t) && tree.is_noun(i) {
        // "X was a victim", "X is among the targets".
        if let Some(subj) = tree.kids(i, Deprel::NSUBJ).next() {
            victim(tree, subj, r);
        }
        // "victims such as X".
        for c in tree.kids[i].clone() {
            if tree.tok(c).rel == Deprel::NMOD && lexicon::LIST_MARKERS.contains(&tree.case_of(c).unwrap_or("")) {
                victim(tree, c, r);
            }
        }
        // "fell victim to".
        if let Some(h) = t.head.filter(|&h| tree.tok(h).lemma == "fall")
            && let Some(subj) = tree.subject(h)
        {
            victim(tree, subj, r);
        }
    }
    // A gang's listing: "added X to its list of victims", "X was listed on
    // the leak site".
    if verb && lexicon::LISTING_VERBS.contains(&t.lemma.as_str()) {
        let on_list = tree.kids(i, Deprel::OBL).any(|o| {
            let ids = tree.s.subtree(o);
            ids.iter().any(|&j| {
                let w = tree.tok(j);
                VICTIM_NOUNS.has(w) || w.lemma == "site" && ids.iter().any(|&k| tree.tok(k).lemma == "leak")
            })
        });
        if on_list {
            let listed: Vec<usize> = if tree.passive(i) {
                tree.kids(i, Deprel::NSUBJ_PASS).map(|p| tree.antecedent(i, p)).collect()
            } else {
                tree.kids(i, Deprel::OBJ).collect()
            };
            for o in listed {
                victim(tree, o, r);
            }
        }
    }
    // "victims include X, Y and Z", "organisations that disclosed breaches
    // include ...", "These included ...": the rest of the sentence lists
    // victims, however the parse attaches its members.
    if verb && t.lemma == "include" && r.list_from.is_none() {
        let these = tree.subject(i).is_some_and(|x| matches!(tree.tok(x).lower.as_str(), "these" | "those"));
        let about_breach = (0..i).any(|j| BREACH_NOUNS.has(tree.tok(j)) || VICTIM_NOUNS.has(tree.tok(j)));
        // What is included must be parties: victims, breaches, or
        // organisations, not "the leaked information".
        let parties = (0..i).any(|j| {
            let b = tree.tok(j);
            VICTIM_NOUNS.has(b)
                || lexicon::PARTY_NOUNS.contains(&b.lemma.as_str())
                || BREACH_NOUNS.has(b) && b.xpos == "NNS"
        });
        if these || about_breach && parties {
            r.list_from = Some(i + 1);
        }
    }
}

/// Responders: whoever the parse puts in a response role.
fn responders_at(tree: &Tree, i: usize, r: &mut Roles) {
    let t = tree.tok(i);
    let verb = tree.is_verb(i);
    if verb && RESPONSE_VERBS.has(t) && !tree.negated(i) {
        if tree.passive(i) {
            // "investigated by X".
            for a in tree.kids(i, Deprel::OBL_AGENT).collect::<Vec<_>>() {
                responder(tree, a, false, r);
            }
        } else if let Some(subj) = tree.subject(i) {
            responder(tree, subj, false, r);
        }
    }
    // "X revealed that the hackers use ...", "X observed the attackers
    // deploying ...": a researcher's finding about the perpetrators.
    if verb && FINDING_VERBS.has(t) && !tree.negated(i) && !tree.passive(i) {
        let about_attackers = tree
            .kids(i, Deprel::CCOMP)
            .flat_map(|c| tree.kids(c, Deprel::NSUBJ).collect::<Vec<_>>())
            .chain(tree.kids(i, Deprel::OBJ))
            .any(|x| ATTACKERS.has(tree.tok(x)) || GROUPS.has(tree.tok(x)));
        if about_attackers && let Some(subj) = tree.subject(i) {
            responder(tree, subj, false, r);
        }
    }
    // "X is also involved".
    if verb && t.lemma == "involve" {
        for a in tree.kids(i, Deprel::NSUBJ_PASS).chain(tree.kids(i, Deprel::NSUBJ)).collect::<Vec<_>>() {
            responder(tree, a, false, r);
        }
    }
    // "X led the investigation", "X issued an advisory".
    if verb
        && !tree.passive(i)
        && tree.kids(i, Deprel::OBJ).any(|o| lexicon::RESPONSE_OBJECTS.contains(&tree.tok(o).lemma.as_str()))
        && let Some(subj) = tree.subject(i)
    {
        responder(tree, subj, false, r);
    }
    // "X took down the botnet".
    if verb
        && t.lemma == "take"
        && tree.kids(i, Deprel::COMPOUND_PRT).any(|p| tree.tok(p).lower == "down")
        && let Some(subj) = tree.subject(i)
    {
        responder(tree, subj, false, r);
    }
    // "hired X", "X was notified".
    if verb && ENGAGE_VERBS.has(t) {
        let engaged: Vec<usize> = if tree.passive(i) {
            tree.kids(i, Deprel::NSUBJ_PASS).collect()
        } else {
            tree.kids(i, Deprel::OBJ).collect()
        };
        for o in engaged {
            responder(tree, o, false, r);
        }
    }
    // "worked with X".
    if verb && PARTNER_VERBS.has(t) {
        for o in tree.kids(i, Deprel::OBL).filter(|&o| tree.case_of(o) == Some("with")).collect::<Vec<_>>() {
            responder(tree, o, false, r);
        }
    }
    // "with the help of X", "an investigation by X".
    if tree.is_noun(i) && HELP_NOUNS.has(t) {
        let helpers: Vec<usize> =
            tree.kids(i, Deprel::NMOD).filter(|&c| matches!(tree.case_of(c), Some("of" | "from" | "by"))).collect();
        for c in helpers {
            responder(tree, c, false, r);
        }
    }
    // "researchers at X", "X's security team", "X analysts"; not a
    // person's job ("Dana, a researcher at X", "she is a researcher at X").
    let job = t.rel == Deprel::APPOS || tree.has_kid(i, Deprel::COP);
    if tree.is_noun(i) && RESEARCHER_NOUNS.has(t) && !job {
        for c in tree.kids[i].clone() {
            let ct = tree.tok(c);
            let owner = ct.rel == Deprel::NMOD_POSS
                || ct.rel == Deprel::COMPOUND && ct.upos == Upos::Propn
                || ct.rel == Deprel::NMOD && matches!(tree.case_of(c), Some("at" | "from" | "of" | "with"));
            if owner {
                responder(tree, c, true, r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::Nlp;

    /// The words of the tokens given each role in an invented sentence,
    /// and the words from which a list of victims runs.
    fn marked(text: &str) -> (Vec<String>, Vec<String>, Option<String>) {
        let s = Nlp::bundled().paragraph(text).remove(0);
        let r = roles(&s);
        let word = |i: usize| s.tokens[i].text.clone();
        (
            r.victims.iter().map(|&v| word(v)).collect(),
            r.responders.iter().map(|&i| word(i)).collect(),
            r.list_from.map(word),
        )
    }

    #[test]
    fn victims_of_thefts_listings_and_victim_nouns() {
        let cases: &[(&str, &[&str])] = &[
            ("The attackers stole customer records from Litware.", &["Litware"]),
            ("The gang added Contoso to its list of victims on Friday.", &["Contoso"]),
            ("Fabrikam is among the victims of the campaign.", &["Fabrikam"]),
            ("Tailspin fell victim to the same crew in May.", &["Tailspin"]),
            ("Several firms hit by the attack restored their systems.", &["firms"]),
        ];
        for (text, want) in cases {
            let (victims, _, _) = marked(text);
            for w in *want {
                assert!(victims.iter().any(|v| v == w), "{w} not a victim in {text:?}: {victims:?}");
            }
        }
    }

    #[test]
    fn a_list_of_victims_runs_after_include() {
        let cases: &[(&str, Option<&str>)] = &[
            ("Organizations that disclosed breaches include Contoso, Litware and Fabrikam.", Some("Contoso")),
            ("Victims of the intrusions included Northwind and Tailspin.", Some("Northwind")),
            // Data, not parties.
            ("The leaked information included the names of 4,000 customers of the breached firm.", None),
        ];
        for (text, want) in cases {
            let (_, _, from) = marked(text);
            assert_eq!(from.as_deref(), *want, "{text:?}");
        }
    }

    #[test]
    fn responders_from_response_verbs_engagement_and_help() {
        let cases: &[(&str, &[&str])] = &[
            ("Adatum hired Proseware to investigate the intrusion.", &["Proseware"]),
            ("Fabrikam Security is investigating the incident.", &["Fabrikam"]),
            ("The company worked with Contoso to contain the attack.", &["Contoso"]),
            ("Systems were restored with the help of Litware.", &["Litware"]),
            ("Researchers at Tailspin found the backdoor.", &["Tailspin"]),
            ("The FBI took down the botnet in January.", &["FBI"]),
            (
                "Tailspin Labs and the FBI confirm that the hacking group is also targeting carriers.",
                &["Tailspin", "FBI"],
            ),
        ];
        for (text, want) in cases {
            let (_, responders, _) = marked(text);
            for w in *want {
                assert!(responders.iter().any(|v| v == w), "{w} not a responder in {text:?}: {responders:?}");
            }
        }
        // Declining is not investigating, and a person's job is not a response.
        for text in [
            "Contoso did not investigate the claims.",
            "Dana Ruiz is now a principal researcher at Tailspin Labs.",
            "Lee Chen, a senior analyst at Proseware, said the breach was serious.",
        ] {
            let (_, responders, _) = marked(text);
            assert!(responders.is_empty(), "{text}: {responders:?}");
        }
    }

    #[test]
    fn tools_are_malware_and_what_a_flaw_is_in() {
        let cases: &[(&str, &str)] = &[
            ("The crew deployed custom malware named Quillrat on the servers.", "Quillrat"),
            ("The attackers exploited a vulnerability in Fabrikam Gateway.", "Gateway"),
            ("Investigators found the Quillrat backdoor on three hosts.", "Quillrat"),
        ];
        for (text, want) in cases {
            let s = Nlp::bundled().paragraph(text).remove(0);
            let found: Vec<&str> = roles(&s).tools.iter().map(|&i| s.tokens[i].text.as_str()).collect();
            assert!(found.contains(want), "{want} not a tool in {text:?}: {found:?}");
        }
        // A vendor named with its flaw is no tool.
        let s = Nlp::bundled().paragraph("It was not a Contoso software vulnerability.").remove(0);
        assert!(roles(&s).tools.iter().all(|&i| s.tokens[i].text != "Contoso"));
    }
}
