//! The linguistic layer: tokens, part-of-speech tags, lemmas and
//! dependency trees, between cleaning and extraction.
//!
//! A paragraph's text goes in; one [`Sentence`] per sentence comes out,
//! each a list of [`Token`]s with their byte span in the paragraph, their
//! lower-cased form, lemma, Universal POS tag, Penn Treebank tag, head and
//! Universal Dependencies relation. Later stages read these and never
//! re-split or re-lowercase the text.
//!
//! The models are ours: an averaged-perceptron tagger ([`tagger`]), a
//! lemmatizer learned from the same data ([`lemma`]) and a greedy
//! arc-hybrid dependency parser trained with a dynamic oracle
//! ([`parser`]), all trained by [`train`] from Universal Dependencies
//! English EWT (CC BY-SA 4.0) and shipped in `data/nlp/`. Nothing in this
//! module knows about statements or incidents.

pub mod conllu;
pub mod lemma;
pub mod parser;
mod perceptron;
pub mod tagger;
pub mod tokenize;
pub mod train;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::model::Span;

pub use conllu::{Gold, GoldSentence};
pub use perceptron::Rng;

/// The model shipped with the binary (see `data/nlp/README.md`).
static BUNDLED: &[u8] = include_bytes!("../../data/nlp/en_ewt.model");

/// What can go wrong in this layer.
#[derive(Debug, thiserror::Error)]
pub enum NlpError {
    /// A model file could not be read.
    #[error("cannot read the model file {path}")]
    Read { path: PathBuf, source: std::io::Error },
    /// A model file is not a model this build can load.
    #[error("the model {what} is not a breachdesk NLP model of this version: {reason}")]
    BadModel { what: String, reason: String },
    /// A CoNLL-U file is malformed.
    #[error("{path}:{line}: {reason}")]
    Conllu { path: String, line: usize, reason: String },
    /// A model could not be written.
    #[error("cannot write the model file {path}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// Universal POS tags (https://universaldependencies.org/u/pos/).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Upos {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    X,
}

impl Upos {
    pub const ALL: [Upos; 17] = [
        Upos::Adj,
        Upos::Adp,
        Upos::Adv,
        Upos::Aux,
        Upos::Cconj,
        Upos::Det,
        Upos::Intj,
        Upos::Noun,
        Upos::Num,
        Upos::Part,
        Upos::Pron,
        Upos::Propn,
        Upos::Punct,
        Upos::Sconj,
        Upos::Sym,
        Upos::Verb,
        Upos::X,
    ];

    pub fn as_str(self) -> &'static str {
        const NAMES: [&str; 17] = [
            "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
            "SCONJ", "SYM", "VERB", "X",
        ];
        NAMES[self as usize]
    }

    pub fn parse(s: &str) -> Option<Upos> {
        Upos::ALL.into_iter().find(|u| u.as_str() == s)
    }
}

/// A Universal Dependencies relation, with the subtypes English uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Deprel(u8);

/// Every relation the parser can give, in a fixed order (the model stores
/// indices into this table).
const DEPRELS: &[&str] = &[
    "root",
    "punct",
    "case",
    "nsubj",
    "det",
    "advmod",
    "obj",
    "amod",
    "obl",
    "conj",
    "compound",
    "mark",
    "nmod",
    "cc",
    "aux",
    "cop",
    "advcl",
    "nmod:poss",
    "xcomp",
    "ccomp",
    "flat",
    "acl:relcl",
    "parataxis",
    "appos",
    "nummod",
    "acl",
    "aux:pass",
    "nsubj:pass",
    "obl:unmarked",
    "nmod:unmarked",
    "discourse",
    "list",
    "compound:prt",
    "iobj",
    "expl",
    "fixed",
    "nmod:desc",
    "obl:agent",
    "csubj",
    "nsubj:outer",
    "det:predet",
    "vocative",
    "goeswith",
    "advcl:relcl",
    "cc:preconj",
    "reparandum",
    "orphan",
    "csubj:pass",
    "dislocated",
    "dep",
    "csubj:outer",
    "obl:tmod",
    "obl:npmod",
    "nmod:tmod",
    "nmod:npmod",
    "flat:foreign",
    "flat:name",
    "det:poss",
    "expl:pv",
];

impl Deprel {
    pub const ROOT: Deprel = Deprel(0);
    pub const PUNCT: Deprel = Deprel(1);
    pub const CASE: Deprel = Deprel(2);
    pub const NSUBJ: Deprel = Deprel(3);
    pub const DET: Deprel = Deprel(4);
    pub const ADVMOD: Deprel = Deprel(5);
    pub const OBJ: Deprel = Deprel(6);
    pub const AMOD: Deprel = Deprel(7);
    pub const OBL: Deprel = Deprel(8);
    pub const CONJ: Deprel = Deprel(9);
    pub const COMPOUND: Deprel = Deprel(10);
    pub const MARK: Deprel = Deprel(11);
    pub const NMOD: Deprel = Deprel(12);
    pub const CC: Deprel = Deprel(13);
    pub const AUX: Deprel = Deprel(14);
    pub const COP: Deprel = Deprel(15);
    pub const ADVCL: Deprel = Deprel(16);
    pub const NMOD_POSS: Deprel = Deprel(17);
    pub const XCOMP: Deprel = Deprel(18);
    pub const CCOMP: Deprel = Deprel(19);
    pub const FLAT: Deprel = Deprel(20);
    pub const ACL_RELCL: Deprel = Deprel(21);
    pub const PARATAXIS: Deprel = Deprel(22);
    pub const APPOS: Deprel = Deprel(23);
    pub const ACL: Deprel = Deprel(25);
    pub const AUX_PASS: Deprel = Deprel(26);
    pub const COMPOUND_PRT: Deprel = Deprel(32);
    pub const NSUBJ_PASS: Deprel = Deprel(27);
    pub const IOBJ: Deprel = Deprel(33);
    pub const FIXED: Deprel = Deprel(35);
    pub const OBL_AGENT: Deprel = Deprel(37);
    pub const CSUBJ: Deprel = Deprel(38);
    pub const DEP: Deprel = Deprel(49);

    /// How many relations there are.
    pub const COUNT: usize = DEPRELS.len();

    pub fn as_str(self) -> &'static str {
        DEPRELS[self.0 as usize]
    }

    /// The relation without its subtype (`nsubj` for `nsubj:pass`).
    pub fn base(self) -> &'static str {
        let s = self.as_str();
        s.split(':').next().unwrap_or(s)
    }

    /// A relation by name; an unknown subtype falls back to its base
    /// relation, an unknown relation to `None`.
    pub fn parse(s: &str) -> Option<Deprel> {
        let find = |name: &str| DEPRELS.iter().position(|r| *r == name).map(|i| Deprel(i as u8));
        find(s).or_else(|| find(s.split(':').next().unwrap_or(s)))
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn from_index(i: usize) -> Option<Deprel> {
        (i < DEPRELS.len()).then_some(Deprel(i as u8))
    }
}

/// A word form lower-cased, with typographic apostrophes folded to the
/// plain one the treebank mostly uses: news text writes `hasn’t` and
/// `Acme’s`, and the models and the extraction rules should see `hasn't` and
/// `acme's`. (Curly double quotes stay: folding them changed more parses for
/// the worse than for the better on the dev sets.)
pub fn folded(form: &str) -> String {
    form.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            c => c,
        })
        .collect()
}

/// One token of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte span in the paragraph the sentence came from.
    pub span: Span,
    /// The token as written.
    pub text: String,
    /// `text` lower-cased, with typographic apostrophes folded to the plain
    /// one (`n’t` is `n't`), as the treebank spells them.
    pub lower: String,
    /// Dictionary form (`say` for `said`, `company` for `companies`);
    /// proper nouns keep their case.
    pub lemma: String,
    pub upos: Upos,
    /// Penn Treebank tag (`VBD`, `NNP`, ...).
    pub xpos: &'static str,
    /// Index of the head token in the sentence, `None` for the root.
    pub head: Option<usize>,
    pub rel: Deprel,
}

/// One sentence: its span in the paragraph and its tokens, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Vec<Token>,
}

impl Sentence {
    /// Indices of the tokens whose head is `head`, in order.
    pub fn children(&self, head: usize) -> impl Iterator<Item = usize> + '_ {
        self.tokens.iter().enumerate().filter(move |(_, t)| t.head == Some(head)).map(|(i, _)| i)
    }

    /// The first child of `head` with relation `rel`.
    pub fn child(&self, head: usize, rel: Deprel) -> Option<usize> {
        self.children(head).find(|&c| self.tokens[c].rel == rel)
    }

    /// The root token.
    pub fn root(&self) -> Option<usize> {
        self.tokens.iter().position(|t| t.head.is_none())
    }

    /// The token indices of `i`'s subtree (itself and everything below),
    /// in sentence order.
    pub fn subtree(&self, i: usize) -> Vec<usize> {
        let kids = self.dependents();
        let mut inside = vec![false; self.tokens.len()];
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            if !std::mem::replace(&mut inside[j], true) {
                stack.extend(&kids[j]);
            }
        }
        (0..self.tokens.len()).filter(|&j| inside[j]).collect()
    }

    /// Each token's dependents, in order.
    pub fn dependents(&self) -> Vec<Vec<usize>> {
        let mut kids = vec![Vec::new(); self.tokens.len()];
        for (j, t) in self.tokens.iter().enumerate() {
            if let Some(h) = t.head {
                kids[h].push(j);
            }
        }
        kids
    }

    /// The words of tokens `ids` (in order) as written in `text`, the
    /// paragraph the sentence was analysed in: neighbouring tokens keep the
    /// space between them, a gap becomes one space.
    pub fn text_of(&self, ids: &[usize], text: &str) -> String {
        let mut out = String::new();
        let mut last: Option<usize> = None;
        for &j in ids {
            let tok = &self.tokens[j];
            if let Some(l) = last {
                let gap = &text[self.tokens[l].span.end as usize..tok.span.start as usize];
                out.push_str(if l + 1 == j { gap } else { " " });
            }
            out.push_str(&tok.text);
            last = Some(j);
        }
        out
    }

    /// The byte span (in the paragraph) covered by tokens `first..=last`.
    pub fn span_of(&self, first: usize, last: usize) -> Span {
        Span { start: self.tokens[first].span.start, end: self.tokens[last].span.end }
    }
}

/// A document's sentences, each analysed the first time a stage asks for
/// it and kept for the next: incident facts and statements read one parse.
pub struct DocumentParse<'d> {
    nlp: &'d Nlp,
    paragraphs: &'d [crate::model::Paragraph],
    cells: Vec<Vec<std::cell::OnceCell<Sentence>>>,
}

impl<'d> DocumentParse<'d> {
    pub fn new(nlp: &'d Nlp, paragraphs: &'d [crate::model::Paragraph]) -> DocumentParse<'d> {
        let cells =
            paragraphs.iter().map(|p| p.sentences.iter().map(|_| std::cell::OnceCell::new()).collect()).collect();
        DocumentParse { nlp, paragraphs, cells }
    }

    /// The models the sentences are analysed with.
    pub fn nlp(&self) -> &'d Nlp {
        self.nlp
    }

    /// Sentence `si` of paragraph `pi`, without the blanks around it.
    pub fn sentence(&self, pi: usize, si: usize) -> &Sentence {
        self.cells[pi][si].get_or_init(|| {
            let p = &self.paragraphs[pi];
            self.nlp.sentence(&p.text, trimmed(&p.text, p.sentences[si]))
        })
    }
}

/// `span` of `text` without the blanks at either end.
pub fn trimmed(text: &str, span: Span) -> Span {
    let s = &text[span.start as usize..span.end as usize];
    let start = span.start + (s.len() - s.trim_start().len()) as u32;
    Span { start, end: start + s.trim().len() as u32 }
}

/// Paragraphs of raw text: runs of non-blank lines, joined with `\n`.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(line.trim_end());
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out
}

/// The loaded models: tagger, lemmatizer and parser.
pub struct Nlp {
    tagger: tagger::Tagger,
    lemmas: lemma::Lemmatizer,
    parser: parser::Parser,
}

impl Nlp {
    /// The model compiled into the binary, loaded once per process.
    pub fn bundled() -> &'static Nlp {
        static NLP: OnceLock<Nlp> = OnceLock::new();
        NLP.get_or_init(|| {
            Nlp::from_bytes(BUNDLED, "bundled with breachdesk").expect("the bundled model loads (tested)")
        })
    }

    /// A model from a file written by [`train`].
    pub fn load(path: &Path) -> Result<Nlp, NlpError> {
        let bytes = std::fs::read(path).map_err(|source| NlpError::Read { path: path.to_owned(), source })?;
        Nlp::from_bytes(&bytes, &path.display().to_string())
    }

    /// A model from its serialised bytes; `what` names it in errors.
    pub fn from_bytes(bytes: &[u8], what: &str) -> Result<Nlp, NlpError> {
        let bad = |reason: String| NlpError::BadModel { what: what.to_string(), reason };
        let mut r = perceptron::Reader::new(bytes);
        r.magic(train::MAGIC).map_err(bad)?;
        let tagger = tagger::Tagger::read(&mut r).map_err(bad)?;
        let lemmas = lemma::Lemmatizer::read(&mut r).map_err(bad)?;
        let parser = parser::Parser::read(&mut r).map_err(bad)?;
        if !r.is_empty() {
            return Err(bad("trailing bytes after the parser".into()));
        }
        Ok(Nlp { tagger, lemmas, parser })
    }

    pub(crate) fn from_parts(tagger: tagger::Tagger, lemmas: lemma::Lemmatizer, parser: parser::Parser) -> Nlp {
        Nlp { tagger, lemmas, parser }
    }

    /// Analyse a paragraph: split it into sentences and analyse each.
    pub fn paragraph(&self, text: &str) -> Vec<Sentence> {
        crate::clean::segment::sentence_spans(text).into_iter().map(|s| self.sentence(text, s)).collect()
    }

    /// Analyse the sentence at `span` of `text` (spans of the tokens are in `text`).
    pub fn sentence(&self, text: &str, span: Span) -> Sentence {
        let base = span.start;
        let inner = &text[span.start as usize..span.end as usize];
        let spans: Vec<Span> =
            tokenize::tokenize(inner).into_iter().map(|s| Span { start: s.start + base, end: s.end + base }).collect();
        let forms: Vec<&str> = spans.iter().map(|s| &text[s.start as usize..s.end as usize]).collect();
        self.analyse(span, &spans, &forms)
    }

    /// Tag, lemmatise and parse already tokenised words.
    pub fn analyse(&self, span: Span, spans: &[Span], forms: &[&str]) -> Sentence {
        let lower: Vec<String> = forms.iter().map(|f| folded(f)).collect();
        let words = self.tagger.words(forms, &lower);
        let tags = self.tagger.tag_words(&words);
        let parse = self.parser.parse(&words, &tags);
        let tokens = lower
            .into_iter()
            .enumerate()
            .map(|(i, lower)| {
                let (upos, xpos) = self.tagger.tag_names(tags[i]);
                Token {
                    span: spans[i],
                    text: forms[i].to_string(),
                    lemma: self.lemmas.lemma(forms[i], &lower, upos, xpos),
                    lower,
                    upos,
                    xpos,
                    head: parse[i].0,
                    rel: parse[i].1,
                }
            })
            .collect();
        Sentence { span, tokens }
    }

    /// The same model without the parser weights smaller than `min_abs`:
    /// smaller and faster, at some cost in accuracy (`train-nlp
    /// --min-weight` reports it on dev).
    pub fn pruned(&self, min_abs: f32) -> Nlp {
        Nlp { tagger: self.tagger.clone(), lemmas: self.lemmas.clone(), parser: self.parser.pruned(min_abs) }
    }
}

#[cfg(test)]
mod tests;
