//! Cleaning: turns a scraped page or a text file into the story alone.
//!
//! A scraped news page carries much besides its story: navigation and widget
//! lines, share buttons, the headline and captions repeated, truncated
//! teasers, and after the article the headlines and first lines of unrelated
//! stories. [`clean_text`] keeps the story; [`html::extract`] first reduces
//! an HTML page to its main content (as markdown) and then uses the same
//! rules. The rules are general (lexicons of widget labels, the shape of
//! lines, repetition, position in the page), never tied to one site.
//!
//! Architecture invariant: cleaning is a pure function of the input text.

pub mod date;
pub mod html;
pub mod segment;

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;

use crate::model::Paragraph;

/// The story found in a page, with what the page said about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// A `Source:` / `URL:` header line, when the text carries one.
    pub source: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    /// Run-on sentences and paragraphs read in pieces ([`segment::sentences`]).
    pub run_ons: usize,
}

/// Clean plain text or markdown.
pub fn clean_text(raw: &str) -> Cleaned {
    clean_with_title(raw, None)
}

/// Clean text whose title is already known (from HTML metadata): a line
/// repeating it is dropped rather than taken as the title.
pub fn clean_with_title(raw: &str, title: Option<&str>) -> Cleaned {
    clean_lines(raw, title, Origin::Page)
}

/// Clean the article an extractor took out of an HTML page: its lists and
/// tables are the story's (menus and story lists were left behind), so
/// only runs of very short lines, navigation's shape, are dropped as runs.
pub fn clean_article(raw: &str, title: Option<&str>) -> Cleaned {
    clean_lines(raw, title, Origin::Article)
}

/// Clean the article trafilatura took out of an HTML page. Its own rules
/// already left menus, story lists, teaser blocks and whatever follows the
/// story behind, so only the rules for single lines apply (widget labels,
/// teaser lines, photo captions, bylines and dates, repeats, cut-short
/// teasers): the structural ones (where the story ends, runs of short
/// lines, teaser cards, lone fragments) would cut its lists and the story
/// after a teaser link.
pub fn clean_extracted(raw: &str, title: Option<&str>) -> Cleaned {
    clean_lines(raw, title, Origin::Extracted)
}

/// Clean a feed item's own text, used when its page cannot be had: an
/// excerpt cut short ("... who have been…") is all there is of the story,
/// so a line cut short is kept rather than dropped as a teaser.
pub fn clean_excerpt(raw: &str, title: Option<&str>) -> Cleaned {
    clean_lines(raw, title, Origin::Excerpt)
}

/// Whether a text ends cut short: "...", "…", "[...]" or "[…]".
pub fn ends_cut_short(text: &str) -> bool {
    let t = text.trim_end();
    is_truncated(t) || t.ends_with("[...]") || t.ends_with("[\u{2026}]")
}

/// Where the text to clean comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// A whole page or pasted text: menus and story lists may be in it.
    Page,
    /// dom_smoothie's article: the page's lists and story lists may still
    /// be in it, the end of the story is not marked.
    Article,
    /// trafilatura's article: boilerplate blocks and the end of the story
    /// already cut ([`clean_extracted`]).
    Extracted,
    /// A feed item's excerpt.
    Excerpt,
}

fn clean_lines(raw: &str, title: Option<&str>, origin: Origin) -> Cleaned {
    let text = normalize(raw);
    let mut out = Cleaned { title: title.map(strip_site_suffix), ..Cleaned::default() };
    let body = read_header(&text, &mut out);
    let body = glued_teasers_apart(body);
    // An extractor's article is markdown its serializer wrote, with
    // markdown's characters escaped ("4\) Title", "\[video\]").
    let mut units = split_units(&body, matches!(origin, Origin::Article | Origin::Extracted));
    take_title(&mut units, &mut out);
    let keep = select(&units, &mut out, origin);
    let mut cut = 0;
    out.paragraphs = units
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(u, _)| {
            let sentences = if u.heading {
                Vec::new()
            } else {
                let (spans, n) = segment::sentences(&u.text);
                cut += n;
                spans
            };
            Paragraph { text: u.text, heading: u.heading, sentences }
        })
        .collect();
    out.run_ons = cut;
    out
}

/// A teaser glued to the end of a story sentence ("... group BlackCat.See
/// Also: Webinar | Lessons Learned") becomes a paragraph of its own, so that
/// it is dropped like any other teaser and the sentence before it is whole.
fn glued_teasers_apart(body: &str) -> std::borrow::Cow<'_, str> {
    static GLUED: LazyLock<regex::Regex> = LazyLock::new(|| {
        let labels: Vec<String> = TEASER_LABELS.iter().map(|l| regex::escape(l)).collect();
        regex::Regex::new(&format!("([.!?\"\u{201d}])((?i:{}) ?:[^\n]*)\n?", labels.join("|"))).expect("valid regex")
    });
    GLUED.replace_all(body, "$1\n\n$2\n\n")
}

/// Fold line endings and odd white space; drop invisible characters.
fn normalize(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\r' => {}
            '\u{a0}' | '\u{2007}' | '\u{202f}' | '\t' => s.push(' '),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}' => {}
            c if c.is_control() && c != '\n' => {}
            c => s.push(c),
        }
    }
    s
}

/// Read `Key: value` header lines at the very top (Source, Title, Published,
/// Author, ...). Returns the rest of the text.
fn read_header<'a>(text: &'a str, out: &mut Cleaned) -> &'a str {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(source|url|link|title|published|date|author|by|byline|retrieved-from|retrieved|feed)\s*:\s*(.*)$",
        )
        .unwrap()
    });
    let mut rest = text.trim_start_matches('\n');
    let mut seen_any = false;
    while let Some(line) = rest.split('\n').next() {
        let Some(cap) = HEADER.captures(line.trim()) else {
            break;
        };
        seen_any = true;
        let value = cap[2].trim().to_string();
        match cap[1].to_ascii_lowercase().as_str() {
            "source" | "url" | "link" if crate::model::is_http_url(&value) => out.source = Some(value),
            "title" if !value.is_empty() => out.title = Some(value),
            "published" | "date" => out.published = date::parse_date(&value),
            "author" | "by" | "byline" if !value.is_empty() => out.byline = Some(value),
            _ => {}
        }
        rest = &rest[line.len().min(rest.len())..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    if seen_any { rest } else { text }
}

#[derive(Debug, Clone)]
struct Unit {
    text: String,
    /// A markdown heading (`#`), or a short line without end punctuation.
    heading: bool,
    md_heading: bool,
    words: usize,
    prose: bool,
    /// The text folded (see [`fold`]), computed once: repeated lines match on it.
    key: String,
}

impl Unit {
    fn new(text: String, md_heading: bool) -> Unit {
        let words = word_count(&text);
        let prose = !md_heading && ends_prose(&text) && words >= 6;
        let heading = md_heading || (!ends_sentence(&text) && words <= 20);
        let key = fold(&text);
        Unit { text, heading, md_heading, words, prose, key }
    }
}

/// Words in a text: runs between spaces, except that Chinese and Japanese,
/// written without spaces, count a word for every two ideographs or kana
/// (about a word's length there), so their paragraphs read as prose, not
/// as one-word labels.
fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| {
            let cjk = w.chars().filter(|&c| is_cjk(c)).count();
            cjk.div_ceil(2).max(1)
        })
        .sum()
}

/// An ideograph or kana (Hangul is written with spaces).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end();
    // Full stops, marks and closing quotes of Chinese and Japanese too.
    (s.ends_with(['.', '!', '?', '"', '\u{201d}', '\u{2019}', '\'', ')', ':', ';'])
        || s.ends_with(['\u{3002}', '\u{ff01}', '\u{ff1f}', '\u{300d}', '\u{300f}']))
        && !s.ends_with("...")
        && !s.ends_with('\u{2026}')
}

/// Ends like a sentence of running text (a bracketed label does not).
fn ends_prose(s: &str) -> bool {
    let s = s.trim_end();
    ends_sentence(s) && !s.ends_with(':') && (!s.ends_with(')') || s.ends_with(".)"))
}

/// Split into units: one per paragraph, where a paragraph is a block of
/// lines; lines of a block are joined when they look hard-wrapped, else each
/// line stands alone (scraped pages put one element per line).
fn split_units(body: &str, escaped: bool) -> Vec<Unit> {
    let unescape = |text: String| if escaped { unescape_markdown(&text) } else { text };
    let mut units = Vec::new();
    for block in body.split("\n\n") {
        let lines: Vec<&str> = block.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let mut current = String::new();
        let mut current_md = false;
        for (i, line) in lines.iter().enumerate() {
            // A table row is a line of its own, its cells kept apart by " | ";
            // the separator row under a header goes.
            if let Some(row) = table_row(line) {
                if !current.is_empty() {
                    units.push(Unit::new(std::mem::take(&mut current), current_md));
                    current_md = false;
                }
                if !row.is_empty() {
                    units.push(Unit::new(unescape(row), false));
                }
                continue;
            }
            let (text, md_heading) = strip_markdown(line);
            let text = unescape(text);
            if text.is_empty() {
                continue;
            }
            if current.is_empty() {
                current = text;
                current_md = md_heading;
            } else {
                current.push(' ');
                current.push_str(&text);
            }
            let next_continues = lines.get(i + 1).is_some_and(|next| joins(&current, next, md_heading));
            if !next_continues {
                units.push(Unit::new(std::mem::take(&mut current), current_md));
                current_md = false;
            }
        }
    }
    units
}

/// A Markdown table row (`| a | b |`) as its cells joined by " | "; an
/// empty string for the separator row (`| --- | :-: |`); `None` for any
/// other line.
fn table_row(line: &str) -> Option<String> {
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    // A pipe inside a cell is escaped ("a \| b").
    let mut cells = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in inner.char_indices() {
        if c == '|' && !escaped {
            cells.push(inner[start..i].trim());
            start = i + 1;
        }
        escaped = c == '\\' && !escaped;
    }
    cells.push(inner[start..].trim());
    if cells.len() < 2 {
        return None;
    }
    let separator = |c: &str| !c.is_empty() && c.trim_matches(':').chars().all(|ch| ch == '-');
    if cells.iter().all(|c| separator(c)) {
        return Some(String::new());
    }
    Some(cells.iter().filter(|c| !c.is_empty()).copied().collect::<Vec<_>>().join(" | "))
}

/// Markdown's backslash escapes undone: a backslash before ASCII
/// punctuation is dropped (`\*` is `*`, `\\` is `\`).
fn unescape_markdown(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            chars.next();
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `next` continues the hard-wrapped paragraph `current`.
fn joins(current: &str, next: &str, md_heading: bool) -> bool {
    if table_row(next).is_some() || md_heading || is_truncated(current) || ends_sentence(current) {
        return false;
    }
    // A long line cut mid-sentence, or a sentence that runs on in lower case.
    let wrapped = current.len() >= 40 && !is_list_item(next) && !next.starts_with('#');
    wrapped || next.chars().next().is_some_and(char::is_lowercase)
}

fn is_list_item(line: &str) -> bool {
    static LIST: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([-*+\u{2022}]|\d{1,3}[.)])\s").unwrap());
    LIST.is_match(line)
}

/// Reduce a markdown line to its text. Returns the text and whether the
/// line was a heading.
fn strip_markdown(line: &str) -> (String, bool) {
    static IMAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"!\[[^\]]*\]\([^)]*\)").unwrap());
    static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());
    static AUTOLINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<(https?://[^>\s]+)>").unwrap());
    let mut s = line.trim();
    let mut heading = false;
    let hashes = s.chars().take_while(|&c| c == '#').count();
    if hashes > 0 && hashes <= 6 && s[hashes..].starts_with(' ') {
        s = s[hashes..].trim();
        heading = true;
    }
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    if is_list_item(s) {
        s = s.split_once(char::is_whitespace).map_or("", |(_, r)| r).trim_start();
    }
    let mut text = s.to_string();
    if text.contains('[') {
        text = IMAGE.replace_all(&text, "").into_owned();
        text = LINK.replace_all(&text, "$1").into_owned();
    }
    if text.contains('<') {
        text = AUTOLINK.replace_all(&text, "$1").into_owned();
    }
    if text.contains("**") || text.contains("__") {
        text = text.replace("**", "").replace("__", "");
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (text, heading)
}

/// Lower-case letters and digits only: the key under which repeated lines
/// match, and under which actor names are looked up.
/// Whether a title or a paragraph holds one of `folded` (keywords already
/// passed through [`fold`]), case and accents aside.
pub fn mentions_any(title: &str, paragraphs: &[Paragraph], folded: &[String]) -> bool {
    let hit = |text: &str| {
        let t = fold(text);
        folded.iter().any(|k| t.contains(k.as_str()))
    };
    hit(title) || paragraphs.iter().any(|p| hit(&p.text))
}

pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Widget and navigation labels a page shows beside its story (besides the
/// teaser labels below, which are widgets too). Matched on the whole line,
/// folded; see [`label_key`].
const WIDGET_LABELS: &[&str] = &[
    "skip to content",
    "skip to main content",
    "skip to navigation",
    "jump to",
    "menu",
    "main menu",
    "search",
    "home",
    "news",
    "comment",
    "show comments",
    "view comments",
    "members public",
    "public",
    "members only",
    "share",
    "share this",
    "share this article",
    "share on facebook",
    "share on twitter",
    "share on linkedin",
    "tweet",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "reddit",
    "email",
    "whatsapp",
    "telegram",
    "print",
    "copy link",
    "subscribe",
    "subscribe now",
    "sign in",
    "sign up",
    "log in",
    "login",
    "register",
    "register now",
    "advertisement",
    "sponsored",
    "sponsored content",
    "ad",
    "previous",
    "next",
    "follow us",
    "newsletter",
    "back to top",
    "featured",
    "listen to this article",
    "loading",
    "close",
    "accept cookies",
    "cookie settings",
];

/// Labels that open a list of other stories. After the story's end they cut
/// the rest of the page; before it they drop themselves and the list.
const TEASER_LABELS: &[&str] = &[
    "read also",
    "also read",
    "read more",
    "see also",
    "related",
    "related articles",
    "related stories",
    "related posts",
    "related news",
    "you may also like",
    "you might also like",
    "popular stories",
    "popular",
    "most popular",
    "most read",
    "trending",
    "trending now",
    "recommended",
    "recommended for you",
    "more from",
    "more stories",
    "more news",
    "editors picks",
    "dont miss",
    "latest",
    "latest news",
    "comments",
    "post a comment",
    "leave a comment",
    "previous article",
    "next article",
    "top stories",
];

fn label_key(text: &str) -> String {
    // "Read also:" and "RELATED ARTICLES" fold to the same key as the lexicon:
    // letters and digits lower-cased, words joined by one space.
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let start = out.len();
        if start > 0 {
            out.push(' ');
        }
        let before = out.len();
        for c in word.chars().filter(|c| c.is_alphanumeric()) {
            out.extend(c.to_lowercase());
        }
        if out.len() == before {
            out.truncate(start);
        }
    }
    out
}

static WIDGETS: LazyLock<HashSet<String>> =
    LazyLock::new(|| WIDGET_LABELS.iter().chain(TEASER_LABELS).map(|l| label_key(l)).collect());
static TEASERS: LazyLock<HashSet<String>> = LazyLock::new(|| TEASER_LABELS.iter().map(|l| label_key(l)).collect());

fn is_widget(u: &Unit) -> bool {
    static WIDGET_SHAPE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?i)^(share (this|on)\b|follow us\b|sign up for\b|subscribe to\b|click here\b|",
            r"all rights reserved|copyright\b|\u{a9}|terms of use\b|privacy policy\b|",
            r"\d+\s+(comments?|shares?|min(ute)?s? read)$|reading time\b|updated:?\s|posted:?\s)"
        ))
        .unwrap()
    });
    u.words <= 8 && WIDGETS.contains(&label_key(&u.text)) || (u.words <= 14 && WIDGET_SHAPE.is_match(&u.text))
}

/// Labels that open a report's list of works cited: after most of the
/// prose, the story ends there, whichever engine cut the page.
const REFERENCE_LABELS: &[&str] =
    &["references", "bibliography", "endnotes", "footnotes", "works cited", "sources cited"];

static REFERENCES: LazyLock<HashSet<String>> =
    LazyLock::new(|| REFERENCE_LABELS.iter().map(|l| label_key(l)).collect());

fn is_reference_label(u: &Unit) -> bool {
    u.words <= 3 && REFERENCES.contains(&label_key(&u.text))
}

fn is_teaser_label(u: &Unit) -> bool {
    u.words <= 5 && TEASERS.contains(&label_key(&u.text))
}

/// A teaser on one line: a label, a colon or dash, another story's headline
/// ("Read also: Port strikes spread").
fn is_inline_teaser(u: &Unit) -> bool {
    u.words <= 25
        && u.text.split_once([':', '\u{2014}', '\u{2013}', '|']).is_some_and(|(label, rest)| {
            label.split_whitespace().count() <= 4 && !rest.trim().is_empty() && TEASERS.contains(&label_key(label))
        })
}

/// Photo captions and credits; with `credited`, figure labels that end in a
/// credit in brackets too.
fn is_caption(u: &Unit, credited: bool) -> bool {
    static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?i)(^(photo|image|picture|illustration|graphic|video|file photo)( credit)?\s*[:|]|",
            r"\((photo|image|picture)( by| credit|:)[^)]*\)\s*$|",
            r"\b(getty images|shutterstock|afp via getty|reuters/[a-z]+|ap photo)\b[^.]{0,40}$)"
        ))
        .unwrap()
    });
    static CREDIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(\s*[^()]{1,40}\)\s*$").unwrap());
    // "Example of the exploit chain (Acme Labs)": a credited figure label.
    let credited = credited
        && !u.prose
        && u.words <= 20
        && CREDIT.is_match(&u.text)
        && !ends_sentence(u.text.trim_end().trim_end_matches(')'));
    // Every caption form carries one of these marks; most paragraphs have none.
    let marked = || {
        u.key.starts_with("photo")
            || u.key.starts_with("image")
            || u.key.starts_with("picture")
            || u.key.starts_with("illustration")
            || u.key.starts_with("graphic")
            || u.key.starts_with("video")
            || u.key.starts_with("filephoto")
            || u.text.contains('(')
            || ["getty", "shutterstock", "reuters", "apphoto"].iter().any(|m| u.key.contains(m))
    };
    credited || u.words <= 60 && marked() && CAPTION.is_match(&u.text)
}

/// A byline, alone or with the date after a separator ("By Jane Roe |
/// June 30th, 2022", "By Jane Roe - Jul 31, 2023 10:05 AM ET").
fn byline_and_date(text: &str) -> Option<(String, Option<DateTime<Utc>>)> {
    if let Some(by) = is_byline(text) {
        return Some((by, None));
    }
    // The first separator: names hold no bars or dashes, and at most one
    // comma-separated part is tried as the date.
    let (name, rest) = ["|", "\u{2022}", " \u{2014} ", " \u{2013} ", " - ", ", "]
        .iter()
        .filter_map(|sep| text.split_once(sep))
        .min_by_key(|(name, _)| name.len())?;
    let by = is_byline(name.trim())?;
    let date = date::parse_date(rest.trim())?;
    Some((by, Some(date)))
}

fn is_byline(text: &str) -> Option<String> {
    static BY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:By|BY|Written by|Words by)\s+([A-Z][\p{L}.'\-]+(?:\s+(?:[A-Z][\p{L}.'\-]+|and|&|,)){0,7})\s*$")
            .unwrap()
    });
    BY.captures(text).map(|c| c[1].trim().to_string())
}

/// The first heading is the title; a title suffix naming the site is dropped.
fn take_title(units: &mut Vec<Unit>, out: &mut Cleaned) {
    if out.title.is_none() {
        // Among the first lines that are not widgets: a markdown heading, else
        // a line the page repeats (headlines are), else a heading-like line.
        let head: Vec<usize> = (0..units.len()).filter(|&i| !is_widget(&units[i])).take(4).collect();
        let plausible = |u: &Unit| u.words >= 3 && u.words <= 40 && !is_truncated(&u.text);
        let repeated = |i: usize| units[i + 1..].iter().any(|v| v.key == units[i].key);
        let pick = head
            .iter()
            .copied()
            .find(|&i| units[i].md_heading)
            .or_else(|| head.iter().copied().find(|&i| plausible(&units[i]) && repeated(i)))
            .or_else(|| head.first().copied().filter(|&i| units[i].heading && plausible(&units[i])));
        if let Some(i) = pick {
            out.title = Some(units.remove(i).text);
        }
    }
    if let Some(t) = out.title.take() {
        out.title = Some(strip_site_suffix(&t));
    }
}

fn strip_site_suffix(title: &str) -> String {
    for sep in [" - ", " | ", " \u{2022} ", " \u{2013} ", " \u{2014} "] {
        if let Some((head, site)) = title.rsplit_once(sep)
            && site.split_whitespace().count() <= 4
            && head.split_whitespace().count() >= 3
        {
            return head.trim().to_string();
        }
    }
    title.trim().to_string()
}

/// Decide which units are the story. Also fills byline and date.
fn select(units: &[Unit], out: &mut Cleaned, origin: Origin) -> Vec<bool> {
    let n = units.len();
    let mut keep = vec![true; n];
    // trafilatura cut its article by the page's structure already: only the
    // line rules (2.) apply to it.
    let structural = origin != Origin::Extracted;

    // 1. Where the story ends: a teaser label after most of the prose.
    let total_prose: usize = units.iter().filter(|u| u.prose).map(|u| u.words).sum();
    let mut prose_before = 0;
    let mut cut = n;
    for (i, u) in units.iter().enumerate() {
        let end_label = structural && is_teaser_label(u) || is_reference_label(u);
        if end_label && prose_before >= 50 && prose_before * 2 >= total_prose {
            cut = i;
            break;
        }
        if u.prose {
            prose_before += u.words;
        }
    }
    for k in keep.iter_mut().skip(cut) {
        *k = false;
    }

    // 2. Line by line: widgets, captions, bylines, dates, repeats.
    let mut seen: HashSet<String> = HashSet::new();
    if let Some(t) = &out.title {
        seen.insert(fold(t));
    }
    for i in 0..cut {
        let u = &units[i];
        let key = u.key.clone();
        let teaser_line = is_inline_teaser(u) || !structural && is_teaser_label(u);
        // trafilatura leaves figures out: there, a line ending in brackets is
        // a list item ("Example Gateway 8 (cloud edition)"), not a figure's
        // credited label.
        if key.is_empty() || is_widget(u) || is_caption(u, structural) || teaser_line {
            keep[i] = false;
            continue;
        }
        if let Some((by, date)) = byline_and_date(&u.text) {
            out.byline.get_or_insert(by);
            if let Some(d) = date {
                out.published.get_or_insert(d);
            }
            keep[i] = false;
            continue;
        }
        if u.words <= 8
            && let Some(d) = date::parse_date(&u.text)
        {
            out.published.get_or_insert(d);
            keep[i] = false;
            continue;
        }
        if !seen.insert(key.clone()) {
            keep[i] = false;
            continue;
        }
        // A truncated teaser ("... who have been...") of a fuller line.
        if is_truncated(&u.text) && origin != Origin::Excerpt {
            keep[i] = false;
        }
    }

    if !structural {
        date_from_dateline(units, &keep, out);
        return keep;
    }

    // 3. Teaser cards: a headline followed by a paragraph that opens with it.
    for i in 0..cut.saturating_sub(1) {
        let (h, p) = (&units[i], &units[i + 1]);
        if h.heading && h.words >= 3 && p.words > h.words && p.key.starts_with(&h.key) {
            keep[i] = false;
            keep[i + 1] = false;
        }
    }

    // 4. Runs of three or more short non-sentences are menus or story lists;
    //    a teaser label before the story drops itself and the list after it.
    let mut i = 0;
    while i < cut {
        let is_short = |u: &Unit| !u.prose && u.words <= 20 && !u.md_heading || is_teaser_label(u);
        if is_short(&units[i]) {
            let start = i;
            while i < cut && (is_short(&units[i]) || !keep[i]) {
                i += 1;
            }
            let run: Vec<usize> = (start..i).filter(|&k| is_short(&units[k])).collect();
            // In an extractor's article, a run is navigation only when its
            // lines are as short as menu entries; a list or table stays.
            let menu_like =
                origin == Origin::Page || run.iter().map(|&k| units[k].words).sum::<usize>() <= MENU_WORDS * run.len();
            if run.len() >= 3 && menu_like || is_teaser_label(&units[start]) {
                keep[start..i].iter_mut().for_each(|k| *k = false);
            }
        } else {
            i += 1;
        }
    }

    // 5. Lone fragments of one or two words are labels, not story.
    for i in 0..cut {
        if keep[i] && !units[i].prose && units[i].words <= 2 && !units[i].md_heading {
            keep[i] = false;
        }
    }
    date_from_dateline(units, &keep, out);
    keep
}

/// A page with no date of its own yet may carry one in a byline or
/// dateline run into the first lines of the story ("Jane Roe, Contributor
/// Jan. 20, 2020 at 2:27 a.m. PT In a ..."): a date near the start of one
/// of the first kept lines, after a few words that do not introduce an
/// event ("on", "since").
fn date_from_dateline(units: &[Unit], keep: &[bool], out: &mut Cleaned) {
    if out.published.is_none() {
        out.published =
            units.iter().zip(keep).filter(|(_, k)| **k).take(DATELINE_UNITS).find_map(|(u, _)| dateline(&u.text));
    }
}

/// How many lines from the top a dateline is looked for in.
const DATELINE_UNITS: usize = 6;

/// The publication date a line opens with, after at most a byline's words.
fn dateline(text: &str) -> Option<DateTime<Utc>> {
    let (at, date) = date::find_date(text)?;
    let before: Vec<&str> = text[..at].split_whitespace().collect();
    let event = before.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().trim_end_matches(','),
            "on" | "since" | "in" | "until" | "before" | "after" | "by" | "from" | "to" | "and" | "of" | "between"
        )
    });
    (before.len() <= 8 && !event).then_some(date)
}

/// The most words a menu entry has on average ("Home", "World news").
const MENU_WORDS: usize = 3;

/// A line cut short by the page ("...who have been..."), not a full sentence.
fn is_truncated(text: &str) -> bool {
    let t = text.trim_end();
    let body = t.strip_suffix("...").or_else(|| t.strip_suffix('\u{2026}'));
    body.is_some_and(|b| b.ends_with(|c: char| c.is_alphanumeric() || c == ','))
}

#[cfg(test)]
mod tests;
