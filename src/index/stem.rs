//! English stemming with a memo of the words already stemmed.
//!
//! Tantivy's `en_stem` runs the Snowball algorithm on every token. News
//! text repeats a small vocabulary, so most tokens of a batch were stemmed
//! moments before: a hash lookup is several times cheaper than the
//! algorithm. The output is the same as `en_stem`'s for every input, which
//! the tests check against Tantivy's own analyzer.

use std::collections::HashMap;

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Entries kept before the memo starts over; bounds its memory (a few MB).
const MEMO_LIMIT: usize = 64 * 1024;

/// The analyzer of title, body and speaker: Tantivy's simple tokenizer,
/// tokens over 40 bytes dropped, lower-cased, English Snowball stems.
pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
}

/// Token filter: English Snowball stemming, memoised per tokenizer copy.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner, memo: Memo::default() }
    }
}

/// The tokenizer [`MemoStemmer`] makes. Each copy (Tantivy takes one per
/// segment writer and per query) has its own memo, so no lock is shared.
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    memo: Memo,
}

#[derive(Clone)]
struct Memo {
    stemmer: frostem::Stemmer,
    stems: HashMap<Box<str>, Box<str>>,
}

impl Default for Memo {
    fn default() -> Memo {
        Memo { stemmer: frostem::Stemmer::new(frostem::Algorithm::English), stems: HashMap::new() }
    }
}

impl Memo {
    /// Replace `word` by its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            if **stem != **word {
                word.clear();
                word.push_str(stem);
            }
            return;
        }
        let stem: Box<str> = self.stemmer.stem(word).into();
        if self.stems.len() >= MEMO_LIMIT {
            self.stems.clear();
        }
        self.stems.insert(word.as_str().into(), stem.clone());
        if *stem != **word {
            word.clear();
            word.push_str(&stem);
        }
    }
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream { tail: self.inner.token_stream(text), memo: &mut self.memo }
    }
}

/// Token stream of [`MemoStemmerFilter`].
pub struct MemoStemmerStream<'a, S> {
    tail: S,
    memo: &'a mut Memo,
}

impl<S: TokenStream> TokenStream for MemoStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.memo.stem_in_place(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem() {
        let reference = TokenizerManager::default().get("en_stem").expect("built in");
        let text = "Investigators said the attackers were exfiltrating data; the investigation continues. \
                    Investigators RUNNING running runs ran Über-connected networks networking \
                    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa generously generous";
        assert_eq!(tokens(english(), text), tokens(reference, text));
    }

    #[test]
    fn memo_gives_the_same_stem_twice_and_survives_a_reset() {
        let mut memo = Memo::default();
        for round in 0..2 {
            let mut w = String::from("investigating");
            memo.stem_in_place(&mut w);
            assert_eq!(w, "investig", "round {round}");
            let mut w = String::from("data");
            memo.stem_in_place(&mut w);
            assert_eq!(w, "data");
        }
        for i in 0..MEMO_LIMIT + 10 {
            let mut w = format!("word{i}s");
            memo.stem_in_place(&mut w);
        }
        assert!(memo.stems.len() <= MEMO_LIMIT);
        let mut w = String::from("connections");
        memo.stem_in_place(&mut w);
        assert_eq!(w, "connect");
    }
}
