//! Sentence segmentation.
//!
//! Wraps `sentencex` (Wikimedia's rule-based segmenter, whose English
//! abbreviation list keeps "U.S.", "D.C.", "Inc.", "Jan. 5" and "Dr." inside
//! their sentences) and returns byte spans trimmed of surrounding space.

use crate::model::Span;

/// Split `text` into sentences; each span excludes leading and trailing white space.
pub fn sentence_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    for b in sentencex::get_sentence_boundaries("en", text) {
        let raw = &text[b.start_byte..b.end_byte];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let start = b.start_byte + lead;
        spans.push(Span { start: start as u32, end: (start + trimmed.len()) as u32 });
    }
    spans
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
    fn spans_are_trimmed_and_empty_text_has_none() {
        check("  One sentence here.   ", &["One sentence here."]);
        check("   ", &[]);
    }
}
