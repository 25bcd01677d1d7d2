//! Part-of-speech tagging: a greedy left-to-right averaged perceptron
//! over joint (Universal POS, Penn Treebank) tags.
//!
//! Features are the word, its neighbours to two on each side, prefixes,
//! suffixes, the word's shape, the tags already given to the two words
//! before it and the set of tags each neighbour had in training (its
//! ambiguity class). Frequent words that always had one tag get it without
//! scoring.

use super::perceptron::{KeyMap, Reader, Rng, Train, Weights, Writer, feat, hash_str, read_map, write_map};
use super::{GoldSentence, Upos};

/// Penn Treebank tags as EWT writes them; the model stores indices.
pub(crate) const XPOS: &[&str] = &[
    "NN", "IN", "DT", "NNP", "PRP", "JJ", ".", "RB", "VB", "NNS", ",", "CC", "VBP", "VBD", "VBZ", "CD", "VBN", "VBG",
    "MD", "TO", "PRP$", "-RRB-", "-LRB-", "WDT", ":", "WRB", "``", "WP", "''", "RP", "UH", "HYPH", "POS", "NNPS",
    "JJS", "JJR", "NFP", "ADD", "EX", "RBR", "GW", "$", "SYM", "PDT", "FW", "RBS", "LS", "AFX", "WP$", "_",
];

fn xpos_index(x: &str) -> u8 {
    XPOS.iter().position(|t| *t == x).unwrap_or(XPOS.len() - 1) as u8
}

/// A word's precomputed feature values.
#[derive(Clone, Copy, Default)]
pub(crate) struct Word {
    pub(crate) lower: u64,
    cased: u64,
    pre1: u64,
    pre3: u64,
    suf1: u64,
    suf2: u64,
    suf3: u64,
    suf4: u64,
    pub(crate) shape: u64,
    amb: u64,
}

/// Sentinel values for positions before the start and after the end.
const START: u64 = 0x0053_5441_5254;
const END: u64 = 0x0045_4e44;

fn shape(form: &str) -> String {
    let mut out = String::new();
    let mut last = None;
    let mut run = 0;
    for c in form.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if Some(k) == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = Some(k);
        out.push(k);
    }
    out
}

fn prefix(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn suffix(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    let skip = count - n;
    let i = s.char_indices().nth(skip).map_or(s.len(), |(i, _)| i);
    &s[i..]
}

/// The trained tagger.
#[derive(Clone)]
pub struct Tagger {
    /// The joint tags, by class index.
    tags: Vec<(Upos, u8)>,
    weights: Weights,
    /// Ambiguity classes: the UPOS set each word seen three times or more had in training.
    amb: KeyMap<u64, u32>,
    /// Frequent words that always had one tag.
    known: KeyMap<u64, u16>,
}

impl Tagger {
    /// Precompute the feature values of each word.
    pub(crate) fn words(&self, forms: &[&str], lower: &[String]) -> Vec<Word> {
        words_with(forms, lower, &self.amb)
    }

    /// Tag a tokenised sentence; returns class indices (see [`Tagger::tag_names`]).
    pub fn tag(&self, forms: &[&str], lower: &[String]) -> Vec<u16> {
        self.tag_words(&self.words(forms, lower))
    }

    /// Tag words whose features are computed.
    pub(crate) fn tag_words(&self, words: &[Word]) -> Vec<u16> {
        let mut tags: Vec<u16> = Vec::with_capacity(words.len());
        let mut feats = Vec::with_capacity(32);
        let mut scores = vec![0f32; self.tags.len()];
        self.decode_from(words, &mut tags, &mut feats, &mut scores);
        self.verbs_before_that(words, &mut tags, &mut feats, &mut scores);
        tags
    }

    /// Tag `words[tags.len()..]` greedily after the tags already given.
    fn decode_from(&self, words: &[Word], tags: &mut Vec<u16>, feats: &mut Vec<u32>, scores: &mut [f32]) {
        for i in tags.len()..words.len() {
            if let Some(&t) = self.known.get(&words[i].lower) {
                tags.push(t);
                continue;
            }
            features(words, tags, i, feats);
            scores.iter_mut().for_each(|s| *s = 0.0);
            self.weights.score(feats, scores);
            tags.push(argmax(scores) as u16);
        }
    }

    /// A noun that agrees with the noun before it and is followed by
    /// "that" heads the clause when the model's next choice for it is a
    /// verb: "The agency warns that ...", "court documents state that ...".
    /// Web text, the training data, seldom writes such clauses, so the
    /// greedy tagger reads "warns", "notes", "comments" as plural nouns and
    /// leaves the sentence without a verb. The word is re-tagged and the
    /// rest of the sentence tagged again after it.
    fn verbs_before_that(&self, words: &[Word], tags: &mut Vec<u16>, feats: &mut Vec<u32>, scores: &mut [f32]) {
        static THAT: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| hash_str("that"));
        let xpos = |t: u16| XPOS[self.tags[t as usize].1 as usize];
        for i in 1..words.len().saturating_sub(1) {
            if words[i + 1].lower != *THAT || self.known.contains_key(&words[i].lower) {
                continue;
            }
            // Subject and verb agree: a singular noun then a verb in -s, or
            // a plural noun then the plain present.
            let verb = match (xpos(tags[i - 1]), xpos(tags[i])) {
                ("NN" | "NNP", "NNS") => "VBZ",
                ("NNS" | "NNPS", "NN") => "VBP",
                _ => continue,
            };
            features(words, &tags[..i], i, feats);
            scores.iter_mut().for_each(|s| *s = 0.0);
            self.weights.score(feats, scores);
            let chosen = tags[i] as usize;
            let runner_up = (0..scores.len()).filter(|&c| c != chosen).max_by(|&a, &b| scores[a].total_cmp(&scores[b]));
            if let Some(c) = runner_up.filter(|&c| XPOS[self.tags[c].1 as usize] == verb) {
                tags.truncate(i);
                tags.push(c as u16);
                self.decode_from(words, tags, feats, scores);
            }
        }
    }

    /// The UPOS and Penn tag of a class index.
    pub fn tag_names(&self, tag: u16) -> (Upos, &'static str) {
        let (u, x) = self.tags[tag as usize];
        (u, XPOS[x as usize])
    }

    /// How many joint tags there are.
    pub(crate) fn tag_count(&self) -> usize {
        self.tags.len()
    }

    pub(crate) fn write(&self, out: &mut Writer) {
        out.u32(self.tags.len() as u32);
        for &(u, x) in &self.tags {
            out.u8(u as u8);
            out.u8(x);
        }
        write_map(out, &self.amb, |o, v| o.u32(*v));
        write_map(out, &self.known, |o, v| o.u32(u32::from(*v)));
        self.weights.write(out);
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Tagger, String> {
        let n = r.u32()? as usize;
        if n == 0 || n > 255 {
            return Err(format!("the tagger has {n} tags"));
        }
        let mut tags = Vec::with_capacity(n);
        for _ in 0..n {
            let u = r.u8()? as usize;
            let x = r.u8()?;
            let upos = *Upos::ALL.get(u).ok_or("unknown UPOS index")?;
            if x as usize >= XPOS.len() {
                return Err("unknown Penn tag index".into());
            }
            tags.push((upos, x));
        }
        let amb = read_map(r, |r| r.u32())?;
        let known = read_map(r, |r| {
            let t = r.u32()?;
            if (t as usize) < n { Ok(t as u16) } else { Err("a known word's tag is out of range".into()) }
        })?;
        let weights = Weights::read(r)?;
        if weights.max_class().is_some_and(|c| c as usize >= n) {
            return Err("a tagger weight names an unknown tag".into());
        }
        Ok(Tagger { tags, weights, amb, known })
    }

    /// Train on treebank sentences.
    pub fn train(gold: &[GoldSentence], epochs: usize, seed: u64) -> Tagger {
        let mut tags: Vec<(Upos, u8)> = Vec::new();
        let mut index: std::collections::HashMap<(Upos, u8), u16> = Default::default();
        let mut counts: KeyMap<u64, Vec<(u16, u32)>> = KeyMap::default();
        let mut data: Vec<(Vec<String>, Vec<String>, Vec<u16>)> = Vec::with_capacity(gold.len());
        for s in gold {
            let forms: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let lower: Vec<String> = forms.iter().map(|f| super::folded(f)).collect();
            let mut ys = Vec::with_capacity(forms.len());
            for (w, l) in s.words.iter().zip(&lower) {
                let key = (w.upos, xpos_index(&w.xpos));
                let y = *index.entry(key).or_insert_with(|| {
                    tags.push(key);
                    (tags.len() - 1) as u16
                });
                ys.push(y);
                let c = counts.entry(hash_str(l)).or_default();
                match c.iter_mut().find(|(t, _)| *t == y) {
                    Some(e) => e.1 += 1,
                    None => c.push((y, 1)),
                }
            }
            data.push((forms, lower, ys));
        }
        let mut amb: KeyMap<u64, u32> = KeyMap::default();
        let mut known: KeyMap<u64, u16> = KeyMap::default();
        for (w, c) in &counts {
            let total: u32 = c.iter().map(|e| e.1).sum();
            // Words seen less often would give the tag away in training
            // (their class is their gold tag) and mislead at run time.
            if total >= 3 {
                let mut mask = 0u32;
                for (t, n) in c {
                    if *n * 20 >= total {
                        mask |= 1 << (tags[*t as usize].0 as u32);
                    }
                }
                amb.insert(*w, mask);
            }
            let best = c.iter().max_by_key(|e| e.1).expect("non-empty");
            if total >= 20 && f64::from(best.1) / f64::from(total) >= 0.995 {
                known.insert(*w, best.0);
            }
        }
        let mut train = Train::new();
        let mut rng = Rng::new(seed);
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut feats = Vec::with_capacity(32);
        let mut scores = vec![0f32; tags.len()];
        for _ in 0..epochs {
            rng.shuffle(&mut order);
            for &k in &order {
                let (forms, lower, ys) = &data[k];
                let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
                let words = words_with(&forms, lower, &amb);
                let mut prev: Vec<u16> = Vec::with_capacity(ys.len());
                for i in 0..words.len() {
                    if let Some(&t) = known.get(&words[i].lower) {
                        prev.push(t);
                        continue;
                    }
                    features(&words, &prev, i, &mut feats);
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    train.score(&feats, &mut scores);
                    let guess = argmax(&scores);
                    train.tick();
                    train.update(&feats, ys[i] as usize, guess);
                    prev.push(guess as u16);
                }
            }
        }
        Tagger { tags, weights: train.average(0.0), amb, known }
    }

    /// Features and weights kept, for reports.
    pub(crate) fn size(&self) -> (usize, usize) {
        self.weights.size()
    }
}

fn words_with(forms: &[&str], lower: &[String], amb: &KeyMap<u64, u32>) -> Vec<Word> {
    forms
        .iter()
        .zip(lower)
        .map(|(f, l)| {
            let lh = hash_str(l);
            Word {
                lower: lh,
                cased: hash_str(f),
                pre1: hash_str(prefix(l, 1)),
                pre3: hash_str(prefix(l, 3)),
                suf1: hash_str(suffix(l, 1)),
                suf2: hash_str(suffix(l, 2)),
                suf3: hash_str(suffix(l, 3)),
                suf4: hash_str(suffix(l, 4)),
                shape: hash_str(&shape(f)),
                amb: amb.get(&lh).map_or(0xffff_ffff, |m| u64::from(*m)),
            }
        })
        .collect()
}

pub(crate) fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if *s > scores[best] {
            best = i;
        }
    }
    best
}

/// The features of word `i`, given the tags of the words before it.
fn features(words: &[Word], prev: &[u16], i: usize, out: &mut Vec<u32>) {
    out.clear();
    let at = |k: isize| -> Option<&Word> {
        let j = i as isize + k;
        if j < 0 { None } else { words.get(j as usize) }
    };
    let w = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |x| x.lower);
    let t = |k: usize| if i >= k { u64::from(prev[i - k]) } else { START };
    let me = &words[i];
    out.push(feat(0, 0, 0, 0));
    out.push(feat(1, me.lower, 0, 0));
    out.push(feat(2, me.cased, 0, 0));
    out.push(feat(3, me.pre1, 0, 0));
    out.push(feat(4, me.pre3, 0, 0));
    out.push(feat(5, me.suf1, 0, 0));
    out.push(feat(6, me.suf2, 0, 0));
    out.push(feat(7, me.suf3, 0, 0));
    out.push(feat(8, me.suf4, 0, 0));
    out.push(feat(9, me.shape, 0, 0));
    out.push(feat(10, me.shape, (i == 0) as u64, 0));
    out.push(feat(11, t(1), 0, 0));
    out.push(feat(12, t(1), t(2), 0));
    out.push(feat(13, t(1), me.lower, 0));
    out.push(feat(14, w(-1), 0, 0));
    out.push(feat(15, at(-1).map_or(START, |x| x.suf3), 0, 0));
    out.push(feat(16, w(-2), 0, 0));
    out.push(feat(17, w(1), 0, 0));
    out.push(feat(18, at(1).map_or(END, |x| x.suf3), 0, 0));
    out.push(feat(19, w(2), 0, 0));
    out.push(feat(20, at(1).map_or(END, |x| x.amb), 0, 0));
    out.push(feat(21, at(2).map_or(END, |x| x.amb), 0, 0));
    out.push(feat(22, w(-1), me.lower, 0));
    out.push(feat(23, me.lower, w(1), 0));
    out.push(feat(24, me.amb, 0, 0));
    out.push(feat(25, me.amb, t(1), 0));
    out.push(feat(26, me.amb, at(1).map_or(END, |x| x.amb), 0));
    out.push(feat(27, t(1), me.suf3, 0));
    out.push(feat(28, at(1).map_or(END, |x| x.shape), me.shape, 0));
    out.push(feat(29, t(1), w(1), 0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Microsoft"), "Xxx");
        assert_eq!(shape("CVE-2024-3400"), "XX-dd-dd");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(suffix("said", 3), "aid");
        assert_eq!(prefix("über", 1), "ü");
    }
}
