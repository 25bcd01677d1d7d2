//! Lemmas, learned from the treebank: suffix rules per Penn tag (`-ies`
//! to `-y` for plural nouns, `-ied` to `-y` for past verbs, ...) chosen by
//! the longest suffix seen in training, and the words those rules get
//! wrong (`said`, `was`, `children`) as exceptions. Proper nouns keep
//! their form.

use super::Upos;
use super::perceptron::{KeyMap, Reader, Writer, hash_str, mix, read_map, write_map};

/// Longest suffix a rule is keyed on.
const MAX_SUFFIX: usize = 5;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    /// Characters to cut from the end.
    cut: u8,
    /// What to append after the cut.
    add: String,
}

/// The trained lemmatizer.
#[derive(Default, Clone)]
pub struct Lemmatizer {
    rules: KeyMap<u64, Rule>,
    exceptions: KeyMap<u64, String>,
}

/// The verb tag whose forms share lemmas with `xpos`'s (past and
/// participle, base and present).
fn sibling(xpos: &str) -> Option<&'static str> {
    match xpos {
        "VBD" => Some("VBN"),
        "VBN" => Some("VBD"),
        "VB" => Some("VBP"),
        "VBP" => Some("VB"),
        _ => None,
    }
}

fn key(xpos: &str, s: &str) -> u64 {
    mix(hash_str(xpos) ^ hash_str(s).rotate_left(17))
}

fn char_suffix(s: &str, n: usize) -> Option<&str> {
    if n == 0 {
        return Some("");
    }
    let mut it = s.char_indices().rev();
    let (i, _) = it.nth(n - 1)?;
    Some(&s[i..])
}

fn apply(lower: &str, rule: &Rule) -> Option<String> {
    let keep = lower.chars().count().checked_sub(rule.cut as usize)?;
    let mut out: String = lower.chars().take(keep).collect();
    out.push_str(&rule.add);
    (!out.is_empty()).then_some(out)
}

fn rule_of(lower: &str, lemma: &str) -> Rule {
    let common = lower.chars().zip(lemma.chars()).take_while(|(a, b)| a == b).count();
    Rule { cut: (lower.chars().count() - common).min(255) as u8, add: lemma.chars().skip(common).collect() }
}

impl Lemmatizer {
    /// The lemma of a tagged word.
    pub fn lemma(&self, form: &str, lower: &str, upos: Upos, xpos: &str) -> String {
        if let Some(l) = self.exceptions.get(&key(xpos, lower)) {
            return l.clone();
        }
        // A past form seen only as a participle (or the other way round)
        // has the same lemma: `declined` was seen in training as VBN only.
        if let Some(l) = sibling(xpos).and_then(|x| self.exceptions.get(&key(x, lower))) {
            return l.clone();
        }
        if upos == Upos::Propn {
            return form.to_string();
        }
        self.by_rule(lower, xpos)
    }

    fn by_rule(&self, lower: &str, xpos: &str) -> String {
        for n in (0..=MAX_SUFFIX).rev() {
            let Some(suf) = char_suffix(lower, n) else { continue };
            if let Some(rule) = self.rules.get(&key(xpos, suf)) {
                if let Some(l) = apply(lower, rule) {
                    return l;
                }
                break;
            }
        }
        lower.to_string()
    }

    /// Learn from (form, lemma, upos, xpos) examples.
    pub fn train<'a>(examples: impl Iterator<Item = (&'a str, &'a str, Upos, &'a str)> + Clone) -> Lemmatizer {
        // Count rules per (tag, suffix).
        let mut counts: KeyMap<u64, Vec<(Rule, u32)>> = KeyMap::default();
        for (form, lemma, upos, xpos) in examples.clone() {
            if upos == Upos::Propn {
                continue;
            }
            let lower = form.to_lowercase();
            let rule = rule_of(&lower, &lemma.to_lowercase());
            for n in rule.cut as usize..=MAX_SUFFIX {
                let Some(suf) = char_suffix(&lower, n) else { break };
                let c = counts.entry(key(xpos, suf)).or_default();
                match c.iter_mut().find(|(r, _)| *r == rule) {
                    Some(e) => e.1 += 1,
                    None => c.push((rule.clone(), 1)),
                }
            }
        }
        let mut out = Lemmatizer::default();
        for (k, mut c) in counts {
            c.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.add.cmp(&b.0.add)).then(a.0.cut.cmp(&b.0.cut)));
            let total: u32 = c.iter().map(|e| e.1).sum();
            if total >= 2 {
                out.rules.insert(k, c.swap_remove(0).0);
            }
        }
        // The most frequent lemma of each (tag, word) the rules miss.
        let mut seen: KeyMap<u64, Vec<(String, u32)>> = KeyMap::default();
        for (form, lemma, _, xpos) in examples {
            let c = seen.entry(key(xpos, &form.to_lowercase())).or_default();
            match c.iter_mut().find(|(l, _)| l == lemma) {
                Some(e) => e.1 += 1,
                None => c.push((lemma.to_string(), 1)),
            }
        }
        let mut exceptions = KeyMap::default();
        for (k, mut c) in seen {
            c.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            exceptions.insert(k, c.swap_remove(0).0);
        }
        out.exceptions = exceptions;
        out
    }

    /// Drop exceptions that the rules (or the proper-noun rule) already give.
    pub(crate) fn prune<'a>(&mut self, examples: impl Iterator<Item = (&'a str, Upos, &'a str)>) {
        let mut keep: KeyMap<u64, String> = KeyMap::default();
        for (form, upos, xpos) in examples {
            let lower = form.to_lowercase();
            let k = key(xpos, &lower);
            let Some(lemma) = self.exceptions.get(&k) else { continue };
            let by_rule = if upos == Upos::Propn { form.to_string() } else { self.by_rule(&lower, xpos) };
            // Verb forms stay even where the rules agree: a form seen under
            // one verb tag lends its lemma to its sibling tag.
            if *lemma != by_rule || sibling(xpos).is_some() {
                keep.insert(k, lemma.clone());
            }
        }
        self.exceptions = keep;
    }

    pub(crate) fn write(&self, out: &mut Writer) {
        write_map(out, &self.rules, |o, r| {
            o.u8(r.cut);
            o.str(&r.add);
        });
        write_map(out, &self.exceptions, |o, l| o.str(l));
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Lemmatizer, String> {
        let rules = read_map(r, |r| Ok(Rule { cut: r.u8()?, add: r.str()?.to_string() }))?;
        let exceptions = read_map(r, |r| Ok(r.str()?.to_string()))?;
        Ok(Lemmatizer { rules, exceptions })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_generalise_and_exceptions_win() {
        let data = [
            ("companies", "company", Upos::Noun, "NNS"),
            ("agencies", "agency", Upos::Noun, "NNS"),
            ("hackers", "hacker", Upos::Noun, "NNS"),
            ("firms", "firm", Upos::Noun, "NNS"),
            ("denied", "deny", Upos::Verb, "VBD"),
            ("applied", "apply", Upos::Verb, "VBD"),
            ("stated", "state", Upos::Verb, "VBD"),
            ("wanted", "want", Upos::Verb, "VBD"),
            ("wanted", "want", Upos::Verb, "VBD"),
            ("said", "say", Upos::Verb, "VBD"),
            ("Acme", "Acme", Upos::Propn, "NNP"),
        ];
        let mut l = Lemmatizer::train(data.iter().copied());
        l.prune(data.iter().map(|(f, _, u, x)| (*f, *u, *x)));
        assert_eq!(l.lemma("Universities", "universities", Upos::Noun, "NNS"), "university");
        assert_eq!(l.lemma("said", "said", Upos::Verb, "VBD"), "say");
        assert_eq!(l.lemma("Acme", "acme", Upos::Propn, "NNP"), "Acme");
        assert_eq!(l.lemma("the", "the", Upos::Det, "DT"), "the");
        // seen only as a participle, asked as a past tense
        assert_eq!(l.lemma("applied", "applied", Upos::Verb, "VBN"), "apply");
    }
}
