//! Stance over syntax: what a statement does, from its cue and the parse of
//! what was said.
//!
//! One table, applied in this order (the annotation guidelines' order of
//! precedence, where a span could take two labels):
//!
//! | cue | stance |
//! |---|---|
//! | refusal (`declined to comment`, `did not respond`, `would not confirm`) | no_comment |
//! | deny class (`deny`, `reject`, `dismiss`, `dispute`) | denial; negated (`did not deny`) claim, unless a `but` follows (`did not deny the attack but said the evidence was thin`) |
//! | `call` with a word of falsehood (`called the claims groundless`) | denial |
//! | accuse class (`accuse`, `blame`, `attribute`, `link`, `charge`, `fine`) | accusation; negated (`stopped short of blaming`) assessment |
//! | confirm class, negated (`would not confirm`) | no_comment |
//! | content denying harm (`no data was stolen`, `was not compromised`), from a victim, a company or an accused state or group | denial |
//! | content saying evidence is lacking (`no evidence linking GroupX`) | assessment |
//! | content naming a perpetrator doing harm (`said GroupX was behind it`; for the confirm class, only from a public body), or blaming a failing (`failed to protect`, `should have known`) | accusation |
//! | a victim (a victim of the document's incident facts, or a person speaking for one; not a public body) on its own incident (`we were breached`, `its systems were hit`), or anyone learning of an incident (`we are aware of an incident`) | confirmation |
//! | confirm class (even when it adds that some harm did not happen); disclose class on harm done by unnamed attackers (not from the media) | confirmation |
//! | warn class with a future, an obligation or no clause; any content with a threat or an obligation (`will leak`, `need to patch`) | warning |
//! | `call on`/`call for` | warning |
//! | assess class; content hedged (`likely`, `may`, `consistent with`, a question), a person's evaluation (`it's not surprising`), `called the attack significant` | assessment |
//! | anything else | claim |
//!
//! The media's own reports (`according to Outlet`) stay claims unless they
//! deny. Word lists live in [`super::lexicon`], one per concept.

use std::sync::LazyLock;

use regex::Regex;

use super::attribution::Cue;
use super::lexicon::{self, Stance, VerbClass, WordList};
use crate::nlp::{Deprel, Sentence, Token, Upos};

/// Who speaks, as far as the stance needs to know.
#[derive(Debug, Clone, Copy)]
pub struct Speaker<'a> {
    pub name: &'a str,
    pub affiliation: Option<&'a str>,
    /// A government body, agency or regulator.
    pub public: bool,
    /// A news outlet.
    pub media: bool,
    /// A named or described person (an expert's judgement is an assessment).
    pub person: bool,
    /// A victim of the document's incident, or a person speaking for one
    /// (`None` when the document's victims are not known).
    pub victim: Option<bool>,
}

/// What was said: the content's tokens (the quote included) in their
/// sentence, and their text.
pub struct Said<'a> {
    sentence: &'a Sentence,
    pub tokens: Vec<&'a Token>,
    ids: Vec<usize>,
    pub text: String,
}

impl<'a> Said<'a> {
    /// The content `ids` (token indices, in order) of `sentence`.
    pub fn new(sentence: &'a Sentence, ids: Vec<usize>) -> Said<'a> {
        let tokens: Vec<&Token> = ids.iter().map(|&i| &sentence.tokens[i]).collect();
        let text = tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
        Said { sentence, tokens, ids, text }
    }

    fn lemma(&self, i: usize) -> String {
        self.tokens[i].lemma.to_lowercase()
    }

    fn any_lemma(&self, set: &[&str]) -> bool {
        (0..self.tokens.len()).any(|i| set.contains(&self.lemma(i).as_str()))
    }
}

/// Whether a token is a word of harm ([`lexicon::HARM`]) or an attack act
/// ([`lexicon::ATTACK_ACTS`]): by the lemmatizer's lemma, or as an
/// inflection of the list's lemmas, since a learned lemmatizer errs on rare
/// verbs ("interfered" is not "interfer").
fn is_harm(t: &Token) -> bool {
    static HARM: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::HARM));
    HARM.has(t)
}

/// See [`is_harm`].
fn is_attack_act(t: &Token) -> bool {
    static ACTS: LazyLock<WordList> = LazyLock::new(|| WordList::new(lexicon::ATTACK_ACTS));
    ACTS.has(t)
}

/// The stance of one attribution.
pub fn stance(cue: Cue, lemma: &str, negated: bool, said: &Said, who: Speaker) -> Option<Stance> {
    let harm_denied = denies_harm(said);
    let accuses = accuses(said, who);
    Some(match cue {
        Cue::NoComment => Stance::NoComment,
        Cue::Source if who.media => {
            if harm_denied {
                Stance::Denial
            } else {
                Stance::Claim
            }
        }
        Cue::Source => by_content(said, who, harm_denied, accuses).unwrap_or(Stance::Claim),
        Cue::Verb(class) => match class {
            // "did not deny the attack but said the evidence was thin" rejects
            // part of what was alleged.
            VerbClass::Deny if negated && said.tokens.iter().any(|t| t.lower == "but") => Stance::Denial,
            // "did not deny that files were copied" reports, it does not deny.
            VerbClass::Deny if negated => Stance::Claim,
            VerbClass::Deny => Stance::Denial,
            VerbClass::Accuse if negated => Stance::Assessment,
            VerbClass::Accuse => Stance::Accusation,
            VerbClass::Confirm if negated => Stance::NoComment,
            VerbClass::Confirm if accuses && who.public => Stance::Accusation,
            VerbClass::Confirm => Stance::Confirmation,
            VerbClass::Warn if accuses => Stance::Accusation,
            // "warned that the hackers contacted us" reports the past: a claim.
            VerbClass::Warn if past_only(said) => Stance::Claim,
            VerbClass::Warn => Stance::Warning,
            VerbClass::Disclose if who.media => Stance::Claim,
            VerbClass::Disclose => match by_content(said, who, harm_denied, accuses) {
                Some(Stance::Accusation) if !who.public && !hedged(said) && own_incident(said, who) => {
                    Stance::Confirmation
                }
                Some(s) if s != Stance::Assessment => s,
                // Disclosing harm done by unnamed attackers ("disclosed that the
                // attackers stole 60,000 emails") confirms the incident.
                _ if said.tokens.iter().any(|t| is_harm(t)) && !names_perpetrator(&said.text) => Stance::Confirmation,
                _ => Stance::Claim,
            },
            VerbClass::Assess => match by_content(said, who, harm_denied, accuses) {
                Some(s @ (Stance::Denial | Stance::Accusation | Stance::Warning)) => s,
                _ => Stance::Assessment,
            },
            VerbClass::Say if lemma == "call" => called(said).unwrap_or(Stance::Claim),
            VerbClass::Say | VerbClass::Claim => by_content(said, who, harm_denied, accuses).unwrap_or(Stance::Claim),
        },
    })
}

/// The stance content alone gives, in the table's order.
fn by_content(said: &Said, who: Speaker, harm_denied: bool, accuses: bool) -> Option<Stance> {
    if withheld(said) {
        return Some(Stance::NoComment);
    }
    // Harm is denied by those it would have hit or those accused of it;
    // a researcher saying a sample was "not found" elsewhere denies nothing.
    let affected = who.victim == Some(true) || !who.person && !who.public || names_perpetrator(who.name);
    if harm_denied && affected {
        return Some(Stance::Denial);
    }
    // "no evidence linking GroupX to the hack" judges the evidence.
    if lacks_evidence(said) {
        return Some(Stance::Assessment);
    }
    if accuses {
        return Some(Stance::Accusation);
    }
    let victim_speaks = !who.media && !who.public && who.victim != Some(false);
    if victim_speaks && own_incident(said, who) || !who.media && learned_of_incident(said) {
        return Some(Stance::Confirmation);
    }
    if who.victim == Some(true) && !who.public && !who.media && !hedged(said) && harm_reported(said) {
        return Some(Stance::Confirmation);
    }
    if forewarns(said) {
        return Some(Stance::Warning);
    }
    if hedged(said) || who.person && evaluates(said) {
        return Some(Stance::Assessment);
    }
    None
}

/// An evaluation: an adjective of judgement predicated with a copula
/// ("it's not surprising", "is more secure", "was sophisticated"; not
/// "is able", "was aware").
fn evaluates(said: &Said) -> bool {
    let s = said.sentence;
    let t = &s.tokens;
    said.ids.iter().any(|&j| {
        t[j].upos == Upos::Adj
            && !lexicon::STATE_ADJECTIVES.contains(&t[j].lower.as_str())
            && s.children(j).any(|c| t[c].rel == Deprel::COP)
    })
}

/// Whether a negation in the content reaches a word of harm in the tree:
/// its head, the head's head, and the head's dependents two deep ("no
/// customer data was stolen", "was not compromised", "did not lead to any
/// breach", "did not have any lost data").
fn denies_harm(said: &Said) -> bool {
    let s = said.sentence;
    let t = &s.tokens;
    let harm = |j: usize| is_harm(&t[j]) || lexicon::DENIED_HARM.contains(&t[j].lower.as_str());
    let kids = |j: usize| s.children(j).collect::<Vec<_>>();
    said.ids.iter().any(|&n| {
        if !lexicon::NEGATIONS.contains(&t[n].lower.as_str()) {
            return false;
        }
        let Some(h) = t[n].head else { return false };
        let up = t[h].head;
        let below: Vec<usize> = kids(h).into_iter().flat_map(|c| std::iter::once(c).chain(kids(c))).collect();
        harm(h) || up.is_some_and(harm) || below.into_iter().any(harm)
    })
}

/// The content says evidence is lacking: "no evidence", "do not have
/// concrete evidence", "no sign of".
fn lacks_evidence(said: &Said) -> bool {
    let s = said.sentence;
    let t = &s.tokens;
    said.ids.iter().any(|&j| {
        matches!(t[j].lower.as_str(), "evidence" | "indication" | "sign" | "signs" | "proof")
            && (s.children(j).any(|c| t[c].lower == "no")
                || t[j].head.is_some_and(|h| s.children(h).any(|c| matches!(t[c].lower.as_str(), "not" | "n't"))))
    })
}

/// A perpetrator (a state or a threat group) named as the doer of an act
/// of harm (the act is its head, or its head's head: "GroupX breached",
/// "hackers linked to China stole", "was behind the attack"), or a failing
/// blamed on someone, by a speaker who is not that perpetrator.
fn accuses(said: &Said, who: Speaker) -> bool {
    if said.any_lemma(lexicon::BLAME) || reproaches(said) {
        return true;
    }
    if !names_perpetrator(&said.text) {
        return false;
    }
    let s = said.sentence;
    let t = &s.tokens;
    // "China would not interfere" promises, it does not accuse.
    let act = |j: usize| is_attack_act(&t[j]) && !negated(s, j);
    let speaker = who.name.to_lowercase();
    said.ids.iter().any(|&p| {
        let two = t.get(p + 1).map(|n| format!("{} {}", t[p].text, n.text));
        let name = if names_perpetrator(&t[p].text) {
            t[p].text.clone()
        } else if let Some(w) = two.filter(|w| names_perpetrator(w)) {
            w
        } else {
            return false;
        };
        // A group or state speaking of its own acts does not accuse itself;
        // "the Canadian Centre for Cyber Security" may accuse China.
        if speaker.contains(&name.to_lowercase()) {
            return false;
        }
        // Up the tree from the name, the act is a head or a head's
        // dependent ("was likely behind the intrusion").
        let mut h = t[p].head;
        for _ in 0..5 {
            let Some(x) = h else { return false };
            if act(x) || s.children(x).any(|c| t[c].rel == Deprel::CASE && act(c)) {
                return true;
            }
            h = t[x].head;
        }
        false
    })
}

/// A reproach for what was not done: "should have known", "should have
/// implemented safeguards" blames a failing; it advises nothing.
fn reproaches(said: &Said) -> bool {
    let toks = &said.tokens;
    toks.windows(3)
        .any(|w| matches!(w[0].lower.as_str(), "should" | "ought") && w[1].lower == "have" && w[2].xpos == "VBN")
}

/// Whether word `j` has a negation among its dependents ("did not breach").
fn negated(s: &Sentence, j: usize) -> bool {
    s.children(j).any(|c| lexicon::NEGATIONS.contains(&s.tokens[c].lower.as_str()))
}

/// Whether text names a state or a threat group.
pub fn names_perpetrator(text: &str) -> bool {
    static PERPETRATOR: LazyLock<Regex> = LazyLock::new(|| {
        let states = lexicon::STATE_WORDS.join("|");
        let actors: Vec<String> = lexicon::ACTOR_NAMES.iter().map(|a| regex::escape(a)).collect();
        Regex::new(&format!(
            r"(?i:\b(?:{states})\b)|\b(?:{})\b|\b(?:APT ?\d+|UNC\d{{3,5}}|FIN\d+|TA\d{{3}}|Storm-\d{{4}}|DEV-\d{{4}})\b|\b[A-Z][a-z]+ (?:Typhoon|Blizzard|Sandstorm|Sleet|Tempest|Panda|Bear|Kitten|Chollima|Spider)\b",
            actors.join("|")
        ))
        .expect("the perpetrator pattern compiles")
    });
    PERPETRATOR.is_match(text)
}

/// A threat, a future harm or an obligation: "will leak", "need to patch",
/// "must remain vigilant", "poses a threat".
fn forewarns(said: &Said) -> bool {
    let toks = &said.tokens;
    toks.iter().enumerate().any(|(i, t)| {
        let l = t.lemma.to_lowercase();
        let obligation = matches!(t.lower.as_str(), "must" | "should")
            || l == "need" && toks.get(i + 1).is_some_and(|n| n.lower == "to")
            || lexicon::ADVICE.contains(&l.as_str());
        let future = matches!(t.lower.as_str(), "will" | "'ll" | "going")
            && toks.iter().skip(i + 1).take(4).any(|n| lexicon::THREATS.contains(&n.lemma.to_lowercase().as_str()));
        // "poses a threat", not "threat actors".
        let risk =
            lexicon::THREAT_NOUNS.contains(&t.lower.as_str()) && toks.get(i + 1).is_none_or(|n| n.upos != Upos::Noun);
        obligation || future || risk
    })
}

/// Judgement or uncertainty: a hedge, a modal of possibility, a question.
fn hedged(said: &Said) -> bool {
    let s = said.sentence;
    // "appear to be", "it seems that": a judgement; "when they appear" is
    // a coming, not a hedge.
    let raising = |i: usize| {
        s.children(i).any(|c| matches!(s.tokens[c].rel.base(), "xcomp" | "ccomp" | "expl"))
            || s.tokens.get(i + 1).is_some_and(|n| n.lower == "to")
    };
    // A question ("asked how ... ?") judges rather than tells.
    said.tokens.iter().any(|t| t.text == "?")
        || said.tokens.iter().zip(&said.ids).any(|(t, &i)| {
            let lemma = t.lemma.to_lowercase();
            let hedge = lexicon::HEDGES.contains(&t.lower.as_str()) || lexicon::HEDGES.contains(&lemma.as_str());
            // "we will be assessing" reports work, it does not judge.
            hedge && t.xpos != "VBG" && (!matches!(lemma.as_str(), "appear" | "seem") || raising(i))
        })
}

/// Every verb of the content is in the past (`VBD`, or a participle
/// without a modal): nothing is foretold or advised.
fn past_only(said: &Said) -> bool {
    let verbs = said.tokens.iter().filter(|t| t.xpos.starts_with("VB") || t.xpos == "MD");
    let mut any = false;
    for t in verbs {
        any = true;
        if !matches!(t.xpos, "VBD" | "VBN") {
            return false;
        }
    }
    any
}

/// The speaker speaks of an incident of its own: a word of an incident
/// whose neighbours in the tree (its dependents three deep, its head and the
/// head's dependents) refer to the speaker: "we were breached", "its
/// systems were hit", "data was stolen from the company's servers".
fn own_incident(said: &Said, who: Speaker) -> bool {
    let s = said.sentence;
    let t = &s.tokens;
    let own: Vec<String> = [Some(who.name), who.affiliation]
        .into_iter()
        .flatten()
        .filter_map(|n| n.split_whitespace().next())
        .map(|w| w.to_lowercase().trim_end_matches("'s").to_string())
        .filter(|w| w.len() > 2)
        .collect();
    let is_self = |j: usize| {
        let l = t[j].lower.as_str();
        matches!(l, "we" | "our" | "us" | "its" | "it")
            // "it experienced an attack": a pronoun as the subject.
            || own.iter().any(|o| o == l)
            || lexicon::COMPANY_ROLES.contains(&l) && s.children(j).any(|c| t[c].lower == "the")
    };
    let kids = |j: usize| s.children(j).collect::<Vec<_>>();
    said.ids.iter().any(|&x| {
        if !lexicon::INCIDENT.contains(&t[x].lemma.to_lowercase().as_str()) {
            return false;
        }
        let mut near: Vec<usize> = kids(x)
            .into_iter()
            .flat_map(|c| std::iter::once(c).chain(kids(c).into_iter().flat_map(|g| std::iter::once(g).chain(kids(g)))))
            .collect();
        if let Some(h) = t[x].head {
            near.push(h);
            near.extend(kids(h));
        }
        // The source itself is not a reference to it.
        near.into_iter().any(|j| j != x && said.ids.contains(&j) && is_self(j))
    })
}

/// The content's main clause reports harm done: its verb (the reported
/// clause's head, or one coordinated with it) is a verb of harm, not negated
/// ("only a few employees were impacted", "the threat actors accessed the
/// names"; not "contacting customers whose data was stolen").
fn harm_reported(said: &Said) -> bool {
    let s = said.sentence;
    let t = &s.tokens;
    let main = |j: usize| {
        let r = t[j].rel;
        r == Deprel::CCOMP
            || r == Deprel::ROOT
            || r == Deprel::PARATAXIS
            || r == Deprel::CONJ
                && t[j].head.is_some_and(|h| matches!(t[h].rel, x if x == Deprel::CCOMP || x == Deprel::ROOT))
    };
    said.ids.iter().any(|&j| t[j].upos == Upos::Verb && main(j) && is_harm(&t[j]) && !negated(s, j))
}

/// Someone became aware of an incident or of what attackers did: "we are
/// aware of an incident", "IT staff discovered a severe attack", "detected
/// unauthorized activity", "was aware that the hackers had released records".
fn learned_of_incident(said: &Said) -> bool {
    let s = said.sentence;
    let t = &s.tokens;
    said.ids.iter().any(|&j| {
        matches!(t[j].lemma.to_lowercase().as_str(), "aware" | "discover" | "detect" | "identify" | "learn")
            && s.subtree(j).into_iter().any(|k| {
                k != j
                    && (lexicon::INCIDENT_NOUNS.contains(&t[k].lower.as_str())
                        || lexicon::ATTACKER_NOUNS.contains(&t[k].lemma.to_lowercase().as_str()))
            })
    })
}

/// Content that refuses: "could not go into details", "did not say how".
fn withheld(said: &Said) -> bool {
    let toks = &said.tokens;
    toks.iter().enumerate().any(|(i, t)| {
        matches!(t.lower.as_str(), "not" | "n't")
            && toks.get(i + 1).is_some_and(|n| {
                let l = n.lemma.to_lowercase();
                matches!(l.as_str(), "comment" | "disclose" | "elaborate" | "discuss")
                    || l == "go" && toks.get(i + 2).is_some_and(|x| x.lower == "into")
            })
    })
}

/// `call`: "called the claims groundless" denies, "called on X to" and
/// "called for" warn, "called the attack sophisticated" judges.
fn called(said: &Said) -> Option<Stance> {
    let toks = &said.tokens;
    if toks.iter().any(|t| lexicon::FALSEHOOD.contains(&t.lower.as_str())) {
        return Some(Stance::Denial);
    }
    let call_on = said
        .sentence
        .tokens
        .windows(2)
        .any(|w| w[0].lemma.eq_ignore_ascii_case("call") && matches!(w[1].lower.as_str(), "on" | "for"));
    if call_on {
        return Some(Stance::Warning);
    }
    let evaluative =
        toks.iter().any(|t| t.upos == Upos::Adj && matches!(t.rel, r if r == Deprel::XCOMP || r == Deprel::AMOD));
    evaluative.then_some(Stance::Assessment)
}

#[cfg(test)]
mod tests;
