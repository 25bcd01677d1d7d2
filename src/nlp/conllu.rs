//! CoNLL-U: reading treebanks to train and evaluate on, writing parses.
//!
//! Multi-word token ranges (`1-2 don't`) and empty nodes (`8.1`) are
//! skipped on reading: the models learn from syntactic words.

use std::fmt::Write as _;
use std::path::Path;

use super::{Deprel, NlpError, Sentence, Upos};

/// One word of a treebank sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldWord {
    pub form: String,
    pub lemma: String,
    pub upos: Upos,
    pub xpos: String,
    /// 0 for the root, else the 1-based index of the head.
    pub head: usize,
    pub rel: Deprel,
}

/// One treebank sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence {
    /// The `# text =` comment, when present.
    pub text: Option<String>,
    pub words: Vec<GoldWord>,
}

/// A whole treebank file.
pub type Gold = Vec<GoldSentence>;

/// Read a CoNLL-U file.
pub fn read_file(path: &Path) -> Result<Gold, NlpError> {
    let text = std::fs::read_to_string(path).map_err(|e| NlpError::Conllu {
        path: path.display().to_string(),
        line: 0,
        reason: e.to_string(),
    })?;
    parse(&text, &path.display().to_string())
}

/// Parse CoNLL-U text; `name` names it in errors.
pub fn parse(text: &str, name: &str) -> Result<Gold, NlpError> {
    let mut out = Vec::new();
    let mut cur = GoldSentence { text: None, words: Vec::new() };
    let err = |line: usize, reason: String| NlpError::Conllu { path: name.to_string(), line, reason };
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::replace(&mut cur, GoldSentence { text: None, words: Vec::new() }));
            }
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(t) = comment.trim_start().strip_prefix("text = ") {
                cur.text = Some(t.to_string());
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(n, format!("expected 10 tab-separated columns, found {}", cols.len())));
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        let id: usize = cols[0].parse().map_err(|_| err(n, format!("bad word id {:?}", cols[0])))?;
        if id != cur.words.len() + 1 {
            return Err(err(n, format!("word id {id} out of order")));
        }
        let upos = Upos::parse(cols[3]).ok_or_else(|| err(n, format!("unknown UPOS {:?}", cols[3])))?;
        let head: usize = cols[6].parse().map_err(|_| err(n, format!("bad head {:?}", cols[6])))?;
        let rel = Deprel::parse(cols[7]).ok_or_else(|| err(n, format!("unknown relation {:?}", cols[7])))?;
        cur.words.push(GoldWord {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos,
            xpos: cols[4].to_string(),
            head,
            rel,
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    for (i, s) in out.iter().enumerate() {
        if s.words.iter().any(|w| w.head > s.words.len()) {
            return Err(err(0, format!("sentence {} has a head outside the sentence", i + 1)));
        }
    }
    Ok(out)
}

/// Write sentences as CoNLL-U (ID, FORM, LEMMA, UPOS, XPOS, HEAD, DEPREL;
/// `_` elsewhere). `text` is the paragraph the spans point into; `first_id`
/// numbers the sentences in `# sent_id` comments.
pub fn write(text: &str, sentences: &[Sentence], first_id: usize, out: &mut String) {
    for (k, s) in sentences.iter().enumerate() {
        let _ = writeln!(out, "# sent_id = {}", first_id + k);
        let _ = writeln!(out, "# text = {}", &text[s.span.start as usize..s.span.end as usize].replace('\n', " "));
        let mut word_end = 0;
        for (i, t) in s.tokens.iter().enumerate() {
            // A written word split into syntactic words (`did|n't`,
            // `can|not`) is a multi-word token: its range line comes first.
            if i >= word_end {
                word_end = i + 1;
                while word_end < s.tokens.len()
                    && s.tokens[word_end].span.start == s.tokens[word_end - 1].span.end
                    && super::tokenize::continues_word(&s.tokens[word_end - 1].text, &s.tokens[word_end].text)
                {
                    word_end += 1;
                }
                if word_end > i + 1 {
                    let surface = &text[t.span.start as usize..s.tokens[word_end - 1].span.end as usize];
                    let _ = writeln!(out, "{}-{}\t{surface}\t_\t_\t_\t_\t_\t_\t_\t_", i + 1, word_end);
                }
            }
            let head = t.head.map_or(0, |h| h + 1);
            let space = match s.tokens.get(i + 1) {
                Some(next) if next.span.start == t.span.end => "SpaceAfter=No",
                _ => "_",
            };
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t{}",
                i + 1,
                t.text,
                t.lemma,
                t.upos.as_str(),
                t.xpos,
                head,
                t.rel.as_str(),
                space
            );
        }
        out.push('\n');
    }
}

/// Deepest indentation [`draw`] writes.
const MAX_INDENT: usize = 40;

/// Draw a sentence as an indented tree: each token under its head, with
/// its relation, tag and lemma.
pub fn draw(sentence: &Sentence, out: &mut String) {
    // Depth-first with an explicit stack: a hostile sentence can be a chain
    // as deep as it is long.
    let kids = sentence.dependents();
    let mut stack: Vec<(usize, usize)> = sentence.root().map(|r| (r, 0)).into_iter().collect();
    while let Some((i, depth)) = stack.pop() {
        let t = &sentence.tokens[i];
        // Indentation stops growing at MAX_INDENT levels (the depth is
        // written instead), so a deep chain draws in linear space.
        let indent = "  ".repeat(depth.min(MAX_INDENT));
        let deeper = if depth > MAX_INDENT { format!("[{depth}] ") } else { String::new() };
        let _ = writeln!(out, "{indent}{deeper}{} ({}, {}, {})", t.text, t.rel.as_str(), t.upos.as_str(), t.lemma);
        stack.extend(kids[i].iter().rev().map(|&c| (c, depth + 1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# text = Acme didn't say.\n\
        1\tAcme\tAcme\tPROPN\tNNP\t_\t4\tnsubj\t_\t_\n\
        2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        2\tdid\tdo\tAUX\tVBD\t_\t4\taux\t_\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
        4\tsay\tsay\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn reads_words_and_skips_ranges() {
        let gold = parse(SAMPLE, "sample").unwrap();
        assert_eq!(gold.len(), 1);
        let words: Vec<&str> = gold[0].words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(words, ["Acme", "did", "n't", "say", "."]);
        assert_eq!(gold[0].words[0].rel, Deprel::NSUBJ);
        assert_eq!(gold[0].words[3].head, 0);
        assert_eq!(gold[0].text.as_deref(), Some("Acme didn't say."));
    }

    #[test]
    fn written_words_split_in_two_get_a_range_line() {
        let text = "We can't, and cannot, say.";
        let s = crate::nlp::Nlp::bundled().paragraph(text);
        let mut out = String::new();
        write(text, &s, 1, &mut out);
        assert!(out.contains("\n2-3\tcan't\t_"), "{out}");
        assert!(out.contains("\n6-7\tcannot\t_"), "{out}");
        // and reading it back gives the words, not the ranges
        let words: Vec<String> = parse(&out, "out").unwrap()[0].words.iter().map(|w| w.form.clone()).collect();
        assert_eq!(words, ["We", "ca", "n't", ",", "and", "can", "not", ",", "say", "."]);
    }

    #[test]
    fn malformed_lines_name_the_line() {
        let err = parse("1\tAcme\n", "bad.conllu").unwrap_err().to_string();
        assert!(err.starts_with("bad.conllu:1:"), "{err}");
        let err = parse("1\tx\tx\tNOPE\tX\t_\t0\troot\t_\t_\n", "b").unwrap_err().to_string();
        assert!(err.contains("unknown UPOS"), "{err}");
        let err = parse("1\tx\tx\tX\tX\t_\t7\troot\t_\t_\n", "b").unwrap_err().to_string();
        assert!(err.contains("outside the sentence"), "{err}");
    }
}
