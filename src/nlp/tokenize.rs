//! Tokenization: a sentence's text into verbatim byte spans.
//!
//! The conventions are those of Universal Dependencies English (the EWT
//! treebank the tagger and parser learn from), so the model sees at run
//! time the tokens it was trained on:
//! - clitics are their own tokens: `did|n't`, `company|'s`, `I|'m`,
//!   `can|not`, `parents|'` (straight and curly apostrophes alike);
//! - hyphenated words split at the hyphen (`Brazil|-|based`) except after
//!   the prefixes EWT keeps whole (`e-mail`, `non-human`, `co-workers`);
//! - leading and trailing punctuation and quotes are split off, except the
//!   period of an abbreviation (`Mr.`, `U.S.`, `Inc.`, `Jan.`, `e.g.`) or
//!   an initial (`J.`);
//! - URLs, e-mail addresses, CVE ids, IP addresses, hashes, numbers
//!   (`1,200.50`, `10:30`, `3/4`, `713-853-3989`), `...` and `--` are one
//!   token each.
//!
//! Nothing is rewritten: every token is a substring of the input, so a
//! token's span always points at what the article said.

use crate::model::Span;

/// Prefixes that EWT keeps attached to the word after their hyphen.
const HYPHEN_PREFIXES: &[&str] = &["e", "non", "pre", "co", "re", "ex", "mid", "multi", "semi", "pro", "anti", "post"];

/// Abbreviations whose final period belongs to the word (lower-cased,
/// without that period). Single letters (initials) and dotted letter
/// sequences (`U.S`, `e.g`) are recognised by shape.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "cmdr",
    "st", "jr", "sr", "rev", "hon", "pres", "supt", "inc", "corp", "co", "ltd", "llc", "plc", "bros", "dept", "univ",
    "assn", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues",
    "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "no", "nos", "vol", "vs", "etc", "approx", "est", "fig", "ft",
    "mt", "ave", "blvd", "rd", "ph.d", "a.m", "p.m", "al",
];

/// Words written together that EWT splits in two (`cannot` is `can|not`,
/// `gonna` is `gon|na`, and the apostrophe-less `dont` is `do|nt`): the
/// whole word and the length of its first part.
const FUSED: &[(&str, usize)] = &[
    ("cannot", 3),
    ("gonna", 3),
    ("wanna", 3),
    ("gotta", 3),
    ("outta", 3),
    ("dont", 2),
    ("cant", 2),
    ("wont", 2),
    ("didnt", 3),
    ("doesnt", 4),
    ("isnt", 2),
    ("wasnt", 3),
    ("arent", 3),
    ("werent", 4),
    ("havent", 4),
    ("hasnt", 3),
    ("couldnt", 5),
    ("wouldnt", 5),
    ("shouldnt", 6),
    ("im", 1),
    ("ive", 1),
    ("thats", 4),
    ("alot", 1),
];

/// Emoticons, kept whole.
fn is_emoticon(word: &str) -> bool {
    let b = word.as_bytes();
    (2..=3).contains(&b.len())
        && matches!(b[0], b':' | b';' | b'=' | b'8')
        && (b.len() == 2 || matches!(b[1], b'-' | b'o' | b'\''))
        && matches!(b[b.len() - 1], b')' | b'(' | b'D' | b'P' | b'p' | b'/' | b'|' | b']' | b'[' | b'O')
}

/// Punctuation that stands in runs (`!!`, `?!`, `....`, `***`, `==`): a
/// run is one token. The length in bytes of the run at the start (or end)
/// of `word`.
fn run_len(word: &str, from_end: bool) -> usize {
    let terminal = |c: char| matches!(c, '!' | '?' | '.');
    let run = |chars: &mut dyn Iterator<Item = char>| -> usize {
        let Some(first) = chars.next() else { return 0 };
        let same = |c: &char| if terminal(first) { terminal(*c) } else { *c == first };
        let repeats = matches!(first, '!' | '?' | '.' | '*' | '=' | '<' | '>' | '-' | '~' | '_' | '#' | '+');
        first.len_utf8() + if repeats { chars.take_while(same).map(char::len_utf8).sum() } else { 0 }
    };
    if from_end { run(&mut word.chars().rev()) } else { run(&mut word.chars()) }
}

/// Split `text` into token spans (relative to `text`).
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::with_capacity(text.len() / 4 + 1);
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                link_parts(text, s, i, &mut out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        link_parts(text, s, text.len(), &mut out);
    }
    out
}

/// A markdown link glued to its words (`stolen](https://a.example/x-y)`)
/// is read as the words, then the address, so the address stays whole.
fn link_parts(text: &str, mut s: usize, e: usize, out: &mut Vec<Span>) {
    while let Some(k) = text[s..e].find("](") {
        let at = s + k + 1;
        chunk(text, s, at, out);
        s = at;
    }
    if s < e {
        chunk(text, s, e, out);
    }
}

fn span(start: usize, end: usize) -> Span {
    Span { start: start as u32, end: end as u32 }
}

/// Opening punctuation split off the front of a chunk.
fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '`' | '(' | '[' | '{' | '<' | '“' | '‘' | '«' | '„' | '*' | '¿' | '¡')
}

/// Closing punctuation split off the end of a chunk.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | ')'
            | ']'
            | '}'
            | '>'
            | '<'
            | '”'
            | '’'
            | '»'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '.'
            | '*'
            | '…'
            | '%'
            | '='
            | '~'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// One whitespace-delimited chunk `text[s..e]` into tokens.
fn chunk(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Span>) {
    // Whole-chunk shapes first: a URL or an e-mail address keeps its
    // punctuation, except what closes the sentence around it.
    let mut tail = Vec::new();
    if is_emoticon(&text[s..e]) {
        out.push(span(s, e));
        return;
    }
    // Peel opening punctuation.
    while s < e {
        let c = text[s..e].chars().next().expect("non-empty");
        if matches!(c, '*' | '=' | '<' | '>' | '~') || (c == '-' && text[s..e].starts_with("--")) {
            let n = run_len(&text[s..e], false);
            out.push(span(s, s + n));
            s += n;
            continue;
        }
        if is_opening(c) && !(is_apostrophe(c) && starts_elision(&text[s..e])) {
            out.push(span(s, s + c.len_utf8()));
            s += c.len_utf8();
        } else {
            break;
        }
    }
    // Peel closing punctuation (kept in `tail`, pushed after the core).
    while s < e {
        let word = &text[s..e];
        let c = word.chars().next_back().expect("non-empty");
        if !is_closing(c) {
            break;
        }
        if c == '.' && !word.ends_with("..") && keeps_period(&word[..word.len() - 1]) {
            break;
        }
        if matches!(c, '!' | '?' | '.' | '*' | '=' | '>' | '<' | '-' | '~') {
            let n = run_len(word, true);
            if n == word.len() {
                break;
            }
            tail.push(span(e - n, e));
            e -= n;
            continue;
        }
        if is_apostrophe(c) && plural_possessive(&word[..word.len() - c.len_utf8()]) {
            // `parents'`: the apostrophe is a token of its own, but it is
            // the possessive, so nothing before it is peeled.
            tail.push(span(e - c.len_utf8(), e));
            e -= c.len_utf8();
            break;
        }
        tail.push(span(e - c.len_utf8(), e));
        e -= c.len_utf8();
    }
    if s < e {
        core(text, s, e, out);
    }
    out.extend(tail.into_iter().rev());
}

/// `'90s`, `'em`, `'cause`: an apostrophe that starts a word rather than a quote.
fn starts_elision(word: &str) -> bool {
    let rest = &word[word.chars().next().map_or(0, char::len_utf8)..];
    let b = rest.as_bytes();
    ["em", "cause", "tis"].iter().any(|w| rest.eq_ignore_ascii_case(w))
        || (b.len() >= 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit())
}

/// `parents'` (a plural possessive): a word ending in s before the apostrophe.
fn plural_possessive(before: &str) -> bool {
    // Words are short; a long run of letters is not a word to look into.
    (2..=40).contains(&before.len())
        && (before.ends_with('s') || before.ends_with('S'))
        && before.chars().all(|c| c.is_alphabetic())
}

/// Whether a period after `word` belongs to it: an abbreviation, an initial
/// or a dotted sequence of letters (`U.S`, `e.g`, `a.m`).
fn keeps_period(word: &str) -> bool {
    // Abbreviations and dotted initials are short.
    if word.is_empty() || word.len() > 12 {
        return false;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_alphabetic() && c.is_uppercase();
    }
    // Dotted letters: every part one or two letters.
    word.contains('.') && word.split('.').all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(char::is_alphabetic))
}

/// The core of a chunk, with outer punctuation gone: dashes split it into
/// pieces, each a word with its clitics. (Iterative: hostile text may hold
/// a hundred thousand dashes or clitics in one chunk.)
fn core(text: &str, s: usize, e: usize, out: &mut Vec<Span>) {
    let mut piece = s;
    for (i, c) in text[s..e].char_indices() {
        if matches!(c, '—' | '–') {
            if s + i > piece {
                word(text, piece, s + i, out);
            }
            out.push(span(s + i, s + i + c.len_utf8()));
            piece = s + i + c.len_utf8();
        }
    }
    if piece < e {
        word(text, piece, e, out);
    }
}

/// One word: a currency sign before a number, whole shapes, clitics at the
/// end, fused forms, and inner hyphens, slashes and commas.
fn word(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Span>) {
    if let Some(c) = text[s..e].chars().next()
        && matches!(c, '$' | '€' | '£' | '¥' | '#')
        && text[s + c.len_utf8()..e].starts_with(|d: char| d.is_ascii_digit())
    {
        out.push(span(s, s + c.len_utf8()));
        s += c.len_utf8();
    }
    if is_atomic(&text[s..e]) {
        out.push(span(s, e));
        return;
    }
    // Clitics at the end: n't, 's, 're, 've, 'll, 'd, 'm (and curly forms).
    let mut clitics = Vec::new();
    while let Some(cut) = clitic_cut(&text[s..e]) {
        clitics.push(span(s + cut, e));
        e = s + cut;
    }
    inner(text, s, e, out);
    out.extend(clitics.into_iter().rev());
}

/// A word without clitics: fused forms, and inner hyphens, slashes and commas.
fn inner(text: &str, s: usize, e: usize, out: &mut Vec<Span>) {
    let word = &text[s..e];
    for &(fused, first) in FUSED {
        if word.eq_ignore_ascii_case(fused) {
            out.push(span(s, s + first));
            out.push(span(s + first, e));
            return;
        }
    }
    // Inner punctuation that separates words: hyphens (but not after an
    // EWT prefix, nor in numbers), slashes between words, and runs of
    // dashes.
    let bytes = word.as_bytes();
    let mut i = 0;
    let mut piece = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let split = match b {
            b'-' => {
                let before = &word[piece..i];
                let after = &word[i + 1..];
                let prefix = HYPHEN_PREFIXES.contains(&before.to_lowercase().as_str());
                let number =
                    before.bytes().all(|b| b.is_ascii_digit()) && after.starts_with(|c: char| c.is_ascii_digit());
                i > piece && !after.is_empty() && !prefix && !number
            }
            b'/' => {
                let before = &word[piece..i];
                let after = &word[i + 1..];
                before.chars().count() >= 2
                    && before.chars().all(char::is_alphabetic)
                    && after.chars().take(2).filter(|c| c.is_alphabetic()).count() == 2
            }
            b',' => {
                i > piece && i + 1 < bytes.len() && !(bytes[i - 1].is_ascii_digit() && bytes[i + 1].is_ascii_digit())
            }
            _ => false,
        };
        if split {
            if b == b'-' && word[i..].starts_with("--") {
                // a dash run: one token
                let mut j = i;
                while j < bytes.len() && bytes[j] == b'-' {
                    j += 1;
                }
                out.push(span(s + piece, s + i));
                out.push(span(s + i, s + j));
                piece = j;
                i = j;
                continue;
            }
            out.push(span(s + piece, s + i));
            out.push(span(s + i, s + i + 1));
            piece = i + 1;
        }
        i += 1;
    }
    if piece < bytes.len() {
        out.push(span(s + piece, e));
    }
}

/// Whether token `next`, written right after `prev`, is part of the same
/// written word: a clitic (`n't`, `'s`, `'m`, ...) or the second part of a
/// fused form (`can|not`, `gon|na`, `do|nt`).
pub fn continues_word(prev: &str, next: &str) -> bool {
    let fused = FUSED.iter().any(|(whole, first)| {
        whole.len() == prev.len() + next.len()
            && whole[..*first].eq_ignore_ascii_case(prev)
            && whole[*first..].eq_ignore_ascii_case(next)
    });
    fused || (clitic_cut(&format!("x{next}")) == Some(1) && prev.chars().next_back().is_some_and(char::is_alphanumeric))
}

/// Where a clitic starts in `word`, if it ends with one.
fn clitic_cut(word: &str) -> Option<usize> {
    let ends = |suffix: &str| {
        word.len() > suffix.len()
            && word.get(word.len() - suffix.len()..).is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
    };
    if let Some(neg) = ["n't", "n’t"].into_iter().find(|n| ends(n)) {
        return Some(word.len() - neg.len());
    }
    for cl in ["'s", "'re", "'ve", "'ll", "'d", "'m", "’s", "’re", "’ve", "’ll", "’d", "’m"] {
        if ends(cl) {
            let cut = word.len() - cl.len();
            if word[..cut].chars().next_back().is_some_and(char::is_alphanumeric) {
                return Some(cut);
            }
        }
    }
    None
}

/// Shapes that are one token whatever punctuation they hold.
fn is_atomic(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return true;
    }
    // e-mail address
    if let Some(at) = word.find('@')
        && at > 0
        && word[at + 1..].contains('.')
    {
        return true;
    }
    // CVE and similar advisory ids: CVE-2024-3400, GHSA-xxxx-xxxx-xxxx
    if lower.starts_with("cve-") || lower.starts_with("ghsa-") {
        return true;
    }
    // numbers, IPs, times, dates, phone numbers: digits with inner . , : / -
    let b = word.as_bytes();
    if b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b':' | b'/' | b'-'))
    {
        return true;
    }
    // hashes: long hex strings
    if b.len() >= 16 && b.iter().all(u8::is_ascii_hexdigit) {
        return true;
    }
    // domains and file names: letters with inner dots and no spaces (a.com, report.pdf)
    if word.contains('.')
        && !word.ends_with('.')
        && word.split('.').all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
        && word.split('.').next_back().is_some_and(|p| p.bytes().all(|c| c.is_ascii_alphabetic()) && p.len() >= 2)
    {
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|s| &text[s.start as usize..s.end as usize]).collect()
    }

    #[test]
    fn clitics_are_their_own_tokens() {
        assert_eq!(toks("The company didn't comment."), ["The", "company", "did", "n't", "comment", "."]);
        assert_eq!(
            toks("The company's lawyer said I'm done"),
            ["The", "company", "'s", "lawyer", "said", "I", "'m", "done"]
        );
        assert_eq!(toks("They’ve said it won’t"), ["They", "’ve", "said", "it", "wo", "n’t"]);
        assert_eq!(toks("We cannot confirm"), ["We", "can", "not", "confirm"]);
        assert_eq!(toks("the parents' data"), ["the", "parents", "'", "data"]);
    }

    #[test]
    fn abbreviations_and_initials_keep_their_period() {
        assert_eq!(
            toks("Mr. Smith of Acme Inc. met U.S. officials on Jan. 5, e.g. J. Doe."),
            [
                "Mr.",
                "Smith",
                "of",
                "Acme",
                "Inc.",
                "met",
                "U.S.",
                "officials",
                "on",
                "Jan.",
                "5",
                ",",
                "e.g.",
                "J.",
                "Doe",
                "."
            ]
        );
        assert_eq!(toks("It ended."), ["It", "ended", "."]);
    }

    #[test]
    fn urls_ids_hashes_and_addresses_are_whole() {
        assert_eq!(
            toks("See https://example.org/a-b?c=1, CVE-2024-3400 and 10.0.0.1."),
            ["See", "https://example.org/a-b?c=1", ",", "CVE-2024-3400", "and", "10.0.0.1", "."]
        );
        assert_eq!(
            toks("Hash d41d8cd98f00b204e9800998ecf8427e from evil.example.com (mail: a.b@example.com)"),
            [
                "Hash",
                "d41d8cd98f00b204e9800998ecf8427e",
                "from",
                "evil.example.com",
                "(",
                "mail",
                ":",
                "a.b@example.com",
                ")"
            ]
        );
        assert_eq!(toks("It cost $1,200.50 at 10:30"), ["It", "cost", "$", "1,200.50", "at", "10:30"]);
        assert_eq!(toks("ransom of £5m—paid"), ["ransom", "of", "£", "5m", "—", "paid"]);
    }

    #[test]
    fn markdown_links_keep_their_address_whole() {
        assert_eq!(
            toks("the [threat actors had contacted them](https://news.example/a-b-c/), likely"),
            [
                "the",
                "[",
                "threat",
                "actors",
                "had",
                "contacted",
                "them",
                "]",
                "(",
                "https://news.example/a-b-c/",
                ")",
                ",",
                "likely"
            ]
        );
    }

    #[test]
    fn hyphens_split_except_after_prefixes_and_in_numbers() {
        assert_eq!(toks("the Brazil-based firm"), ["the", "Brazil", "-", "based", "firm"]);
        assert_eq!(toks("an e-mail to co-workers"), ["an", "e-mail", "to", "co-workers"]);
        assert_eq!(toks("call 713-853-3989 -- now"), ["call", "713-853-3989", "--", "now"]);
        assert_eq!(toks("and/or"), ["and", "/", "or"]);
    }

    #[test]
    fn quotes_straight_and_curly() {
        assert_eq!(
            toks("\"We deny it,\" she said. “No comment,” he added."),
            [
                "\"", "We", "deny", "it", ",", "\"", "she", "said", ".", "“", "No", "comment", ",", "”", "he", "added",
                "."
            ]
        );
        assert_eq!(toks("'Stop,' he said..."), ["'", "Stop", ",", "'", "he", "said", "..."]);
    }

    #[test]
    fn runs_emoticons_and_informal_spellings() {
        assert_eq!(
            toks("Really?! Wow!!! ok.... :) fine :-("),
            ["Really", "?!", "Wow", "!!!", "ok", "....", ":)", "fine", ":-("]
        );
        assert_eq!(
            toks("*** NOTICE *** dont worry, im sure"),
            ["***", "NOTICE", "***", "do", "nt", "worry", ",", "i", "m", "sure"]
        );
        assert_eq!(toks("up 50% to #1,yes"), ["up", "50", "%", "to", "#", "1", ",", "yes"]);
        assert_eq!(toks("b/c it works"), ["b/c", "it", "works"]);
    }

    #[test]
    fn spans_are_verbatim_substrings() {
        let text = "  Über-Corp’s CEO — “denied” it!  ";
        for s in tokenize(text) {
            let t = &text[s.start as usize..s.end as usize];
            assert!(!t.is_empty() && !t.contains(char::is_whitespace), "{t:?}");
        }
        assert_eq!(toks(text), ["Über", "-", "Corp", "’s", "CEO", "—", "“", "denied", "”", "it", "!"]);
    }
}
