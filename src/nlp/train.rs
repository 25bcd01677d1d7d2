//! Training the layer from a Universal Dependencies treebank, and scoring
//! it on gold tokens.
//!
//! The tagger and lemmatizer learn from the training sentences directly.
//! The parser learns from tags the tagger predicts, not gold ones, so it
//! sees at training time the kind of tags it gets at run time: the
//! training set is cut into folds and each fold is tagged by a tagger
//! trained on the others (jackknifing). Everything is deterministic given
//! the seed.

use std::path::Path;

use super::lemma::Lemmatizer;
use super::parser::{Parser, TrainSentence};
use super::perceptron::Writer;
use super::tagger::Tagger;
use super::{GoldSentence, Nlp, NlpError};

/// The first bytes of a model file (the last byte is the format version).
pub(crate) const MAGIC: &[u8] = b"BDNLP\x02";

/// How to train.
#[derive(Debug, Clone)]
pub struct Options {
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    /// Folds for jackknifed parser-training tags (1: gold tags).
    pub folds: usize,
    pub seed: u64,
    /// Averaged parser weights below this are dropped (a smaller model).
    pub min_weight: f32,
}

impl Default for Options {
    fn default() -> Options {
        Options { tagger_epochs: 10, parser_epochs: 15, folds: 5, seed: 1, min_weight: 2.5 }
    }
}

/// Train tagger, lemmatizer and parser; `progress` hears what is being done.
pub fn train(gold: &[GoldSentence], opts: &Options, progress: &mut dyn FnMut(&str)) -> Nlp {
    progress(&format!("tagger: {} sentences, {} epochs", gold.len(), opts.tagger_epochs));
    let tagger = Tagger::train(gold, opts.tagger_epochs, opts.seed);
    let examples = || {
        gold.iter().flat_map(|s| s.words.iter().map(|w| (w.form.as_str(), w.lemma.as_str(), w.upos, w.xpos.as_str())))
    };
    let mut lemmas = Lemmatizer::train(examples());
    lemmas.prune(examples().map(|(f, _, u, x)| (f, u, x)));

    // Tags for the parser's training data.
    let mut tags: Vec<Vec<u16>> = vec![Vec::new(); gold.len()];
    if opts.folds <= 1 {
        for (i, s) in gold.iter().enumerate() {
            tags[i] = tag_sentence(&tagger, s);
        }
    } else {
        for fold in 0..opts.folds {
            progress(&format!("jackknife: tagger for fold {} of {}", fold + 1, opts.folds));
            let rest: Vec<GoldSentence> =
                gold.iter().enumerate().filter(|(i, _)| i % opts.folds != fold).map(|(_, s)| s.clone()).collect();
            let t = Tagger::train(&rest, opts.tagger_epochs, opts.seed.wrapping_add(fold as u64 + 1));
            for (i, s) in gold.iter().enumerate().filter(|(i, _)| i % opts.folds == fold) {
                // The fold's tagger numbers its tags its own way: map through names.
                tags[i] = tag_sentence(&t, s).into_iter().map(|k| same_tag(&t, k, &tagger)).collect();
            }
        }
    }
    let data: Vec<TrainSentence> = gold
        .iter()
        .zip(tags)
        .map(|(s, tags)| {
            let n = s.words.len();
            let (forms, lower) = forms(s);
            TrainSentence {
                words: tagger.words(&forms, &lower),
                tags,
                heads: s.words.iter().map(|w| if w.head == 0 { n } else { w.head - 1 }).collect(),
                labels: s.words.iter().map(|w| w.rel.index() as u8).collect(),
            }
        })
        .collect();
    progress(&format!("parser: {} sentences, {} epochs", data.len(), opts.parser_epochs));
    let parser = Parser::train(&data, opts.parser_epochs, opts.seed, opts.min_weight);
    let (tf, tw) = tagger.size();
    let (pf, pw) = parser.size();
    progress(&format!("tagger {tf} features, {tw} weights; parser {pf} features, {pw} weights"));
    Nlp::from_parts(tagger, lemmas, parser)
}

/// A treebank sentence's word forms and their lower-cased forms.
fn forms(s: &GoldSentence) -> (Vec<&str>, Vec<String>) {
    let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
    let lower = forms.iter().map(|f| super::folded(f)).collect();
    (forms, lower)
}

fn tag_sentence(t: &Tagger, s: &GoldSentence) -> Vec<u16> {
    let (forms, lower) = forms(s);
    t.tag(&forms, &lower)
}

/// The index in `to` of tag `k` of `from` (0 when `to` lacks it).
fn same_tag(from: &Tagger, k: u16, to: &Tagger) -> u16 {
    let name = from.tag_names(k);
    (0..to.tag_count() as u16).find(|&j| to.tag_names(j) == name).unwrap_or(0)
}

impl Nlp {
    /// The model's bytes, as [`Nlp::from_bytes`] reads them.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Writer::default();
        out.bytes.extend_from_slice(MAGIC);
        self.tagger.write(&mut out);
        self.lemmas.write(&mut out);
        self.parser.write(&mut out);
        out.bytes
    }

    /// Write the model to `path`.
    pub fn save(&self, path: &Path) -> Result<(), NlpError> {
        std::fs::write(path, self.to_bytes()).map_err(|source| NlpError::Write { path: path.to_owned(), source })
    }

    /// Score on gold tokens: tagging, lemmas and attachment, as
    /// percentages of words (punctuation included, as CoNLL 2018 does).
    pub fn evaluate(&self, gold: &[GoldSentence]) -> Scores {
        let mut s = Scores::default();
        for g in gold {
            let forms: Vec<&str> = g.words.iter().map(|w| w.form.as_str()).collect();
            let spans: Vec<crate::model::Span> = vec![crate::model::Span { start: 0, end: 0 }; forms.len()];
            let out = self.analyse(crate::model::Span { start: 0, end: 0 }, &spans, &forms);
            for (w, t) in g.words.iter().zip(&out.tokens) {
                s.words += 1;
                s.upos += usize::from(w.upos == t.upos);
                s.xpos += usize::from(w.xpos == t.xpos);
                s.lemma += usize::from(w.lemma == t.lemma);
                let head = t.head.map_or(0, |h| h + 1);
                if head == w.head {
                    s.uas += 1;
                    s.las += usize::from(w.rel == t.rel);
                }
            }
        }
        s
    }
}

/// Counts of correct words; [`Scores::pct`] turns them into percentages.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    pub words: usize,
    pub upos: usize,
    pub xpos: usize,
    pub lemma: usize,
    pub uas: usize,
    pub las: usize,
}

impl Scores {
    pub fn pct(&self, n: usize) -> f64 {
        100.0 * n as f64 / self.words.max(1) as f64
    }
}

impl std::fmt::Display for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "words={} UPOS={:.2} XPOS={:.2} Lemmas={:.2} UAS={:.2} LAS={:.2}",
            self.words,
            self.pct(self.upos),
            self.pct(self.xpos),
            self.pct(self.lemma),
            self.pct(self.uas),
            self.pct(self.las)
        )
    }
}
