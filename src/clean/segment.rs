//! Sentence segmentation.
//!
//! Wraps `sentencex` (Wikimedia's rule-based segmenter, whose English
//! abbreviation list keeps "U.S.", "D.C.", "Inc.", "Jan. 5" and "Dr." inside
//! their sentences) and returns byte spans trimmed of surrounding space.

//!
//! Limits keep every stage linear in the size of the text. A "sentence"
//! longer than [`MAX_SENTENCE_BYTES`] is not prose (a list flattened into
//! one line, a table, a repeated phrase): it is cut into pieces at white
//! space, so every later stage, which reads one sentence at a time, works
//! on bounded input. A paragraph longer than [`MAX_PARAGRAPH_BYTES`] is
//! segmented in windows of that size, cut after a sentence end where one
//! falls in the window (the segmenter looks for a closing quote from every
//! opening one, which is quadratic on a run of unclosed quotes).

use crate::model::Span;

/// The longest sentence read as one, in bytes. News sentences stay far
/// below (a long one is 400 bytes); longer runs are cut at white space.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

/// Split `text` into sentences; each span excludes leading and trailing white space.
pub fn sentence_spans(text: &str) -> Vec<Span> {
    sentences(text).0
}

/// The longest text segmented in one piece, in bytes: a long news
/// paragraph is 2,000.
pub const MAX_PARAGRAPH_BYTES: usize = 16_000;

/// [`sentence_spans`], and how many run-ons (sentences over
/// [`MAX_SENTENCE_BYTES`], paragraphs over [`MAX_PARAGRAPH_BYTES`]) were
/// read in pieces.
pub fn sentences(text: &str) -> (Vec<Span>, usize) {
    let mut spans = Vec::new();
    let mut cut = usize::from(text.len() > MAX_PARAGRAPH_BYTES);
    let mut from = 0;
    while from < text.len() {
        let end = window_end(text, from);
        segment_window(text, from, end, &mut spans, &mut cut);
        from = end;
    }
    (spans, cut)
}

/// Where the window starting at `from` ends: the text's end if it fits,
/// else after the last sentence end (". ", "? ", "! ", a line break) in
/// the window, else at its last white space, else mid-word.
fn window_end(text: &str, from: usize) -> usize {
    if text.len() - from <= MAX_PARAGRAPH_BYTES {
        return text.len();
    }
    let mut limit = from + MAX_PARAGRAPH_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[from..limit];
    let sentence_end = [". ", "? ", "! ", "\n"].iter().filter_map(|p| window.rfind(p).map(|i| i + 1)).max();
    let cut = sentence_end.or_else(|| window.rfind(char::is_whitespace)).filter(|&i| i > 0).unwrap_or(window.len());
    from + cut
}

/// Segment `text[from..end]` into `spans` (byte offsets into `text`).
fn segment_window(text: &str, from: usize, end: usize, spans: &mut Vec<Span>, cut: &mut usize) {
    for b in sentencex::get_sentence_boundaries("en", &text[from..end]) {
        let (b_start, b_end) = (from + b.start_byte, from + b.end_byte);
        let raw = &text[b_start..b_end];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let start = b_start + lead;
        if trimmed.len() > MAX_SENTENCE_BYTES {
            *cut += 1;
            pieces(trimmed, start, spans);
        } else {
            spans.push(Span { start: start as u32, end: (start + trimmed.len()) as u32 });
        }
    }
}

/// Cut `s` (at byte `offset` of its text) into trimmed pieces of at most
/// [`MAX_SENTENCE_BYTES`], at the last white space that fits (mid-word only
/// when a piece has none).
fn pieces(mut s: &str, mut offset: usize, spans: &mut Vec<Span>) {
    while !s.is_empty() {
        let end = if s.len() <= MAX_SENTENCE_BYTES {
            s.len()
        } else {
            let mut limit = MAX_SENTENCE_BYTES;
            while !s.is_char_boundary(limit) {
                limit -= 1;
            }
            s[..limit].rfind(char::is_whitespace).filter(|&i| i > 0).unwrap_or(limit)
        };
        let piece = s[..end].trim_end();
        spans.push(Span { start: offset as u32, end: (offset + piece.len()) as u32 });
        let rest = &s[end..];
        let lead = rest.len() - rest.trim_start().len();
        offset += end + lead;
        s = rest.trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[&str]) {
        let got: Vec<&str> = sentence_spans(text).iter().map(|s| &text[s.start as usize..s.end as usize]).collect();
        assert_eq!(got, expect, "segmenting {text:?}");
    }

    #[test]
    fn abbreviations_stay_inside_sentences() {
        check(
            "The embassy in Washington D.C. rejected the claim. Officials in the U.S. disagreed.",
            &["The embassy in Washington D.C. rejected the claim.", "Officials in the U.S. disagreed."],
        );
        check(
            "Acme Inc. said the intrusion began on Jan. 5 and Dr. Ortiz led the review. It ended in March.",
            &["Acme Inc. said the intrusion began on Jan. 5 and Dr. Ortiz led the review.", "It ended in March."],
        );
    }

    #[test]
    fn sentence_ending_in_abbreviation_then_new_sentence() {
        check(
            "The group targeted firms in the U.S. The FBI opened a case.",
            &["The group targeted firms in the U.S.", "The FBI opened a case."],
        );
    }

    #[test]
    fn quotes_and_questions() {
        check(
            "\"We reject this,\" the ministry said. Was data taken? Nobody knows!",
            &["\"We reject this,\" the ministry said.", "Was data taken?", "Nobody knows!"],
        );
    }

    #[test]
    fn run_on_sentences_are_cut_at_white_space_into_bounded_pieces() {
        let text = format!("Short one. {}end", "Volt Typhoon, ".repeat(400));
        let (spans, cut) = sentences(&text);
        assert_eq!(cut, 1);
        assert_eq!(&text[spans[0].start as usize..spans[0].end as usize], "Short one.");
        for s in &spans[1..] {
            let piece = &text[s.start as usize..s.end as usize];
            assert!(piece.len() <= MAX_SENTENCE_BYTES && !piece.is_empty(), "piece of {} bytes", piece.len());
            assert_eq!(piece, piece.trim());
        }
        // Nothing is lost: the pieces cover every word in order.
        let words: Vec<&str> =
            spans[1..].iter().flat_map(|s| text[s.start as usize..s.end as usize].split_whitespace()).collect();
        assert_eq!(words, text["Short one. ".len()..].split_whitespace().collect::<Vec<_>>());
        // A run without white space is cut on character boundaries.
        let (spans, cut) = sentences(&"é".repeat(3000));
        assert_eq!((cut, spans.len()), (1, 3));
    }

    #[test]
    fn a_long_paragraph_is_segmented_in_windows_cut_after_a_sentence() {
        let sentence = "The agency said the \u{201c}actor remained active. ";
        let text = sentence.repeat(MAX_PARAGRAPH_BYTES / sentence.len() * 3);
        let (spans, cut) = sentences(&text);
        assert_eq!(cut, 1);
        // Every sentence comes out whole, windows or not.
        let got: Vec<&str> = spans.iter().map(|s| &text[s.start as usize..s.end as usize]).collect();
        assert!(got.iter().all(|s| *s == sentence.trim()), "{:?}", got.iter().find(|s| **s != sentence.trim()));
        assert_eq!(got.len(), MAX_PARAGRAPH_BYTES / sentence.len() * 3);
    }

    #[test]
    fn spans_are_trimmed_and_empty_text_has_none() {
        check("  One sentence here.   ", &["One sentence here."]);
        check("   ", &[]);
    }
}
