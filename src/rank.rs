//! Choosing sentences to quote: scored for what the user asked, how much
//! they say, and where they stand; then picked for coverage without repeats.
//! Answers only ever quote stored sentences; nothing here writes text.

use std::collections::HashSet;

use tantivy::tokenizer::TextAnalyzer;

use crate::model::Document;

/// A sentence of a stored document, with its place.
#[derive(Debug, Clone)]
pub struct Candidate<'d> {
    pub doc: &'d Document,
    /// Rank of the document among the hits (0 = best).
    pub doc_rank: usize,
    pub paragraph: usize,
    pub sentence: usize,
    pub text: &'d str,
    pub terms: HashSet<String>,
    pub score: f32,
}

/// Function words, left out when sentences are compared.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "ani", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "did", "do", "for", "from", "had", "has", "have", "he", "her", "hi", "in", "into", "is", "it", "it'",
    "its", "may", "more", "most", "not", "of", "on", "or", "other", "said", "say", "she", "so", "some", "than", "that",
    "the", "their", "them", "there", "these", "they", "thi", "those", "to", "was", "wa", "we", "were", "which",
    "while", "who", "will", "with", "would",
];

/// Stemmed, lower-cased content terms of a text (function words left out).
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = &stream.token().text;
        if t.len() > 1 && !STOP_WORDS.contains(&t.as_str()) {
            out.insert(t.clone());
        }
    }
    out
}

/// Words with a capital inside the sentence, and numbers: a cheap measure of
/// how many named things and figures a sentence carries.
fn specifics(text: &str) -> usize {
    text.split_whitespace()
        .skip(1)
        .filter(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
        .count()
}

/// A sentence fit to stand alone in an answer.
fn quotable(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let first = text.chars().next();
    (6..=80).contains(&words)
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '\u{201c}')
        && !text.ends_with('?')
        && !text.ends_with(':')
}

/// Every quotable sentence of the documents, scored against `query` terms.
/// `doc_weights` gives each document's relevance (1.0 for the best).
pub fn candidates<'d>(
    analyzer: &mut TextAnalyzer,
    docs: &'d [Document],
    doc_weights: &[f32],
    query: &HashSet<String>,
) -> Vec<Candidate<'d>> {
    let mut out: Vec<Candidate<'d>> = Vec::new();
    for (rank, doc) in docs.iter().enumerate() {
        let weight = doc_weights.get(rank).copied().unwrap_or(0.5);
        for (pi, p) in doc.paragraphs.iter().enumerate().filter(|(_, p)| !p.heading) {
            for (si, text) in p.sentence_texts().enumerate() {
                if !quotable(text) {
                    continue;
                }
                let terms = terms(analyzer, text);
                let rel = if query.is_empty() {
                    0.5
                } else {
                    query.iter().filter(|t| terms.contains(*t)).count() as f32 / query.len() as f32
                };
                let info = (specifics(text) as f32 / 4.0).min(1.0);
                let position = 1.0 / (1.0 + 0.15 * pi as f32);
                let score = weight.sqrt() * (0.4 + rel) * (0.5 + 0.5 * info) * (0.5 + 0.5 * position);
                out.push(Candidate { doc, doc_rank: rank, paragraph: pi, sentence: si, text, terms, score });
            }
        }
    }
    // Centrality: a sentence whose terms recur across the matched articles
    // speaks to what they share, the incident, rather than to a side topic.
    let mut freq: std::collections::HashMap<&str, f32> = std::collections::HashMap::new();
    for c in &out {
        for t in &c.terms {
            *freq.entry(t.as_str()).or_default() += 1.0;
        }
    }
    let centrality: Vec<f32> = out
        .iter()
        .map(|c| {
            let shared: f32 = c.terms.iter().map(|t| (freq[t.as_str()] - 1.0).min(4.0)).sum();
            shared / (c.terms.len() as f32).sqrt().max(1.0)
        })
        .collect();
    let top = centrality.iter().copied().fold(f32::EPSILON, f32::max);
    for (c, k) in out.iter_mut().zip(centrality) {
        c.score *= 0.4 + 0.6 * (k / top);
    }
    out
}

/// Pick up to `n` sentences: best first, skipping near-repeats of one already
/// chosen, and spreading the picks over the documents. Returned in reading
/// order (document rank, then position).
pub fn pick<'d>(mut cands: Vec<Candidate<'d>>, n: usize) -> Vec<Candidate<'d>> {
    let mut chosen: Vec<Candidate<'d>> = Vec::new();
    while chosen.len() < n {
        let per_doc = |c: &Candidate<'_>| chosen.iter().filter(|k| k.doc.id == c.doc.id).count() as i32;
        let best = cands
            .iter()
            .enumerate()
            .filter(|(_, c)| chosen.iter().all(|k| jaccard(&k.terms, &c.terms) < 0.4))
            .map(|(i, c)| (i, c.score * 0.6f32.powi(per_doc(c))))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((i, _)) = best else { break };
        chosen.push(cands.swap_remove(i));
    }
    chosen.sort_by_key(|c| (c.doc_rank, c.paragraph, c.sentence));
    chosen
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f32 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 { 0.0 } else { inter as f32 / union as f32 }
}
