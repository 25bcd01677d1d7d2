//! HTML pages: main-content extraction, then the text rules of
//! [`super::clean_text`].
//!
//! `dom_smoothie` (a port of Mozilla's Readability) finds the article
//! element and renders it as markdown, so paragraphs and headings survive;
//! its metadata (Open Graph, JSON-LD, `<title>`) supplies title, byline and
//! date. Whatever navigation or teasers survive extraction are then dropped
//! by the same rules as for scraped text.

use dom_smoothie::{Config, ParsePolicy, Readability, TextMode};

use super::{Cleaned, clean_with_title, date::parse_date};

/// Why a page yielded no story.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// Readability found no element that looks like an article.
    #[error("no article content found in the page")]
    NoContent,
}

/// Extract the story from an HTML page. `url` (absolute http(s)) lets the
/// extractor resolve relative links; pass `None` for local files.
pub fn extract(html: &str, url: Option<&str>) -> Result<Cleaned, HtmlError> {
    let cfg = Config { text_mode: TextMode::Markdown, max_elements_to_parse: 200_000, ..Config::default() };
    let url = url.filter(|u| crate::model::is_http_url(u));
    let mut article = None;
    // Strict first; pages whose class names mislead it get a second, looser pass.
    for policy in [ParsePolicy::Strict, ParsePolicy::Moderate] {
        let Ok(mut r) = Readability::new(html, url, Some(cfg.clone())) else {
            return Err(HtmlError::NoContent);
        };
        if let Ok(a) = r.parse_with_policy(policy)
            && a.text_content.trim().len() >= 80
        {
            article = Some(a);
            break;
        }
    }
    let article = article.ok_or(HtmlError::NoContent)?;
    let title = Some(article.title.trim()).filter(|t| !t.is_empty());
    let mut cleaned = clean_with_title(&article.text_content, title);
    if let Some(by) = article.byline.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        let by = by.strip_prefix("By ").or_else(|| by.strip_prefix("by ")).unwrap_or(by);
        cleaned.byline = Some(by.to_string());
    }
    if let Some(d) = article.published_time.as_deref().and_then(parse_date) {
        cleaned.published = Some(d);
    }
    if cleaned.paragraphs.is_empty() {
        return Err(HtmlError::NoContent);
    }
    Ok(cleaned)
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
