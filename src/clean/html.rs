//! HTML pages: main-content extraction, then the text rules of
//! [`super::clean_text`].
//!
//! `dom_smoothie` (a port of Mozilla's Readability) finds the article
//! element and renders it as markdown, so paragraphs and headings survive;
//! its metadata (Open Graph, JSON-LD, `<title>`) supplies title, byline and
//! date. Whatever navigation or teasers survive extraction are then dropped
//! by the same rules as for scraped text.

use dom_smoothie::{Config, ParsePolicy, Readability, TextMode};

use super::{Cleaned, clean_article, date::parse_date};

/// Why a page yielded no story.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// Readability found no element that looks like an article.
    #[error("no article content found in the page")]
    NoContent,
    /// The extractor failed on the page (a bug it tripped on); the page is
    /// refused, the process goes on.
    #[error("the page could not be read: {0}")]
    Failed(String),
    /// What the page gave is a cookie or consent notice, not a story.
    /// Refused, so two pages that both clean to the same notice are never
    /// filed as one story.
    #[error("the page shows only a cookie or consent notice")]
    ConsentNotice,
}

/// The stack of the thread the extractor runs on: far more than its
/// recursion needs at [`MAX_DEPTH`] (only the pages touched are used).
const EXTRACTOR_STACK: usize = 64 << 20;

/// Extract the story from an HTML page. `url` (absolute http(s)) lets the
/// extractor resolve relative links; other labels (a file's path) only name
/// the page in logs. Elements nested deeper than [`MAX_DEPTH`] are
/// flattened first (see [`flatten_deep`]).
pub fn extract(html: &str, url: Option<&str>) -> Result<Cleaned, HtmlError> {
    let cfg = Config { text_mode: TextMode::Markdown, max_elements_to_parse: 200_000, ..Config::default() };
    let page = url.unwrap_or("(unnamed page)");
    let url = url.filter(|u| crate::model::is_http_url(u));
    // The extractor and its serializer recurse once per nesting level: a
    // hostile page nested thousands deep would overflow the stack, which
    // no error handling can catch. Deeper levels are flattened first.
    let (html, flattened) = flatten_deep(html, MAX_DEPTH);
    if flattened > 0 {
        tracing::warn!(page, flattened, max_depth = MAX_DEPTH, "page nested too deep; inner tags dropped, text kept");
    }
    let html = html.as_ref();
    let read = || {
        // Strict first; each looser pass is tried while the cleaned result
        // holds no real story (a logo, a consent banner, a stub), and the
        // fullest result wins when none does.
        let mut best: Option<(usize, Cleaned)> = None;
        for policy in [ParsePolicy::Strict, ParsePolicy::Moderate, ParsePolicy::Clean, ParsePolicy::Raw] {
            let mut r = Readability::new(html, url, Some(cfg.clone())).map_err(|_| HtmlError::NoContent)?;
            let Ok(a) = r.parse_with_policy(policy) else { continue };
            let cleaned = cleaned_article(&a);
            let story = story_bytes(&cleaned);
            if story >= STORY_BYTES {
                return Ok(cleaned);
            }
            if story > best.as_ref().map_or(0, |(n, _)| *n) {
                best = Some((story, cleaned));
            }
        }
        best.map(|(_, c)| c).ok_or(HtmlError::NoContent)
    };
    // The extractor runs on a thread of its own with a known stack, and a
    // panic in it is caught there: a page it trips on is refused, and the
    // process (a server, a feed poller) goes on.
    let cleaned = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new().name("clean-html".into()).stack_size(EXTRACTOR_STACK);
        let handle = worker.spawn_scoped(scope, read).map_err(|e| HtmlError::Failed(e.to_string()))?;
        handle.join().unwrap_or_else(|_| {
            tracing::error!(page, "the page extractor failed on this page; it is refused");
            Err(HtmlError::Failed("the extractor failed on it".into()))
        })
    })?;
    if cleaned.paragraphs.is_empty() {
        return Err(HtmlError::NoContent);
    }
    if is_consent_notice(&cleaned) {
        tracing::warn!(page, "the page gave only a cookie or consent notice; refused");
        return Err(HtmlError::ConsentNotice);
    }
    Ok(cleaned)
}

/// Words of cookie and consent notices.
const CONSENT_WORDS: &[&str] = &[
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "privacy policy",
    "privacy settings",
    "accept all",
    "reject all",
    "manage preferences",
    "personalised ads",
    "personalized ads",
    "tracking technologies",
];

/// Whether most of a cleaned page's prose is a consent notice: more than
/// half of its sentences use the notice's words.
fn is_consent_notice(c: &Cleaned) -> bool {
    let sentences: Vec<&str> = c.paragraphs.iter().flat_map(|p| p.sentence_texts()).collect();
    let notice = sentences
        .iter()
        .filter(|s| {
            let lower = s.to_lowercase();
            CONSENT_WORDS.iter().any(|w| lower.contains(w))
        })
        .count();
    !sentences.is_empty() && notice * 2 > sentences.len()
}

/// A cleaned page holding at least this much prose is taken as the story
/// (a short news item has 500 bytes; a banner or a caption far less).
const STORY_BYTES: usize = 400;

/// Bytes of prose in a cleaned page: its paragraphs that hold sentences.
fn story_bytes(c: &Cleaned) -> usize {
    c.paragraphs.iter().filter(|p| !p.heading && !p.sentences.is_empty()).map(|p| p.text.len()).sum()
}

/// The extractor's article, cleaned like any text.
fn cleaned_article(article: &dom_smoothie::Article) -> Cleaned {
    let title = Some(article.title.trim()).filter(|t| !t.is_empty());
    let mut cleaned = clean_article(&article.text_content, title);
    if let Some(by) = article.byline.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        let by = by.strip_prefix("By ").or_else(|| by.strip_prefix("by ")).unwrap_or(by);
        cleaned.byline = Some(by.to_string());
    }
    if let Some(d) = article.published_time.as_deref().and_then(parse_date) {
        cleaned.published = Some(d);
    }
    cleaned
}

/// How deep elements may nest before cleaning flattens them. Real pages
/// stay far below (a few dozen levels); the serializer's recursion stays
/// well within a worker thread's stack at this depth.
pub const MAX_DEPTH: usize = 256;

/// Elements that never have content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "!doctype",
];

/// Drop the tags of elements nested deeper than `max_depth` (their text
/// stays, in place), in one pass over the page. Returns the page (borrowed
/// when nothing was deep) and how many opening tags were dropped.
pub fn flatten_deep(html: &str, max_depth: usize) -> (std::borrow::Cow<'_, str>, usize) {
    let mut out: Option<String> = None;
    let (mut depth, mut excess, mut dropped) = (0usize, 0usize, 0usize);
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        // Comments and raw text are skipped whole.
        if html[start..].starts_with("<!--") {
            i = html[start..].find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let Some(len) = html[start..].find('>') else { break };
        let end = start + len + 1;
        let tag = &html[start + 1..end - 1];
        let closing = tag.starts_with('/');
        // The element's name, as written (compared without regard to case).
        let body = tag.trim_start_matches('/');
        let name = &body[..body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'!').count()];
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        i = end;
        if name.is_empty() || VOID.iter().any(|v| is(v)) || tag.ends_with('/') {
            continue;
        }
        if (is("script") || is("style")) && !closing {
            // Their content is not markup; skip to the closing tag.
            i = closing_tag(html, end, name);
            continue;
        }
        let drop = if closing {
            if excess > 0 {
                excess -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= max_depth {
            excess += 1;
            dropped += 1;
            true
        } else {
            depth += 1;
            false
        };
        if drop {
            let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
            buf.push_str(&html[copied..start]);
            copied = end;
        }
    }
    match out {
        None => (std::borrow::Cow::Borrowed(html), 0),
        Some(mut buf) => {
            buf.push_str(&html[copied..]);
            (std::borrow::Cow::Owned(buf), dropped)
        }
    }
}

/// Where `</name` (any case) first occurs from `from`, or the end.
fn closing_tag(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(off) = html[at..].find("</") {
        let tag = at + off + 2;
        if html.get(tag..tag + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name)) {
            return at + off;
        }
        at = tag;
    }
    html.len()
}

/// The text of an HTML fragment (a feed item's content): block ends become
/// paragraph breaks, other tags are dropped, entities decoded.
pub fn fragment_text(html: &str) -> String {
    static BLOCK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)<\s*(br|/p|/div|/li|/h[1-6]|/blockquote|/tr|p|h[1-6])\b[^>]*>").expect("valid")
    });
    static TAG: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(?s)<!--.*?-->|<[^>]*>").expect("valid"));
    let broken = BLOCK.replace_all(html, "\n\n");
    let text = TAG.replace_all(&broken, "");
    decode_entities(&text)
}

/// Decode the named entities feeds use and numeric ones.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "rsquo" => Some('\u{2019}'),
                "lsquo" => Some('\u{2018}'),
                "rdquo" => Some('\u{201d}'),
                "ldquo" => Some('\u{201c}'),
                "mdash" => Some('\u{2014}'),
                "ndash" => Some('\u{2013}'),
                "hellip" => Some('\u{2026}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
