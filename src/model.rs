//! The data model shared by every stage: documents, paragraphs, sentences,
//! scopes and citations.
//!
//! A [`Document`] is a cleaned story. Its body is a list of [`Paragraph`]s,
//! each with the byte spans of its sentences, so that any answer can point
//! at the exact document, paragraph and sentence it came from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Identifier of a stored document (the store's row id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DocId(pub i64);

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Who may see a document.
///
/// Bundled samples and configured feeds are [`Scope::Global`]; what a member
/// ingests in a Discord server is [`Scope::Guild`] and is shown only there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Global,
    Guild(u64),
}

impl Scope {
    /// The integer stored for this scope: 0 for global, the guild id otherwise.
    pub fn as_u64(self) -> u64 {
        match self {
            Scope::Global => 0,
            Scope::Guild(id) => id,
        }
    }

    pub fn from_u64(v: u64) -> Scope {
        if v == 0 { Scope::Global } else { Scope::Guild(v) }
    }
}

/// Where a reader stands: what they are allowed to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The console and direct messages: global documents only.
    Public,
    /// A member of a guild: global documents and that guild's.
    Guild(u64),
}

impl Viewer {
    /// The scopes this viewer may read.
    pub fn scopes(self) -> Vec<Scope> {
        match self {
            Viewer::Public => vec![Scope::Global],
            Viewer::Guild(id) => vec![Scope::Global, Scope::Guild(id)],
        }
    }

    pub fn can_see(self, scope: Scope) -> bool {
        match (self, scope) {
            (_, Scope::Global) => true,
            (Viewer::Guild(g), Scope::Guild(s)) => g == s,
            (Viewer::Public, Scope::Guild(_)) => false,
        }
    }
}

/// Byte span of a sentence inside its paragraph's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// One cleaned paragraph and the spans of its sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub text: String,
    /// True for a section heading inside the article (kept for context,
    /// never quoted as a sentence).
    pub heading: bool,
    pub sentences: Vec<Span>,
}

impl Paragraph {
    /// The text of each sentence, in order.
    pub fn sentence_texts(&self) -> impl Iterator<Item = &str> {
        self.sentences.iter().map(|s| self.text[s.start as usize..s.end as usize].trim())
    }
}

/// A document ready to be stored: the output of cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDocument {
    pub title: String,
    /// Canonical source: an http(s) URL, a file path, or `text:<hash>` for
    /// pasted text.
    pub source: String,
    pub byline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub scope: Scope,
    pub paragraphs: Vec<Paragraph>,
}

impl NewDocument {
    /// Hash of the cleaned body, used to recognise the same story twice.
    /// Whitespace and case are folded so that re-wrapped copies match.
    pub fn content_hash(&self) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        let mut folded = String::new();
        for p in &self.paragraphs {
            folded.clear();
            for word in p.text.split_whitespace() {
                // ASCII words are lower-cased in place; others as `to_lowercase` does.
                if word.is_ascii() {
                    let start = folded.len();
                    folded.push_str(word);
                    folded[start..].make_ascii_lowercase();
                } else {
                    folded.push_str(&word.to_lowercase());
                }
                folded.push(' ');
            }
            folded.push('\n');
            h.update(folded.as_bytes());
        }
        *h.finalize().as_bytes()
    }

    /// Bytes of body text.
    pub fn body_len(&self) -> usize {
        self.paragraphs.iter().map(|p| p.text.len()).sum()
    }
}

/// A stored document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: DocId,
    pub title: String,
    pub source: String,
    pub byline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub ingested_at: DateTime<Utc>,
    pub scope: Scope,
    pub paragraphs: Vec<Paragraph>,
}

impl Document {
    /// The date a reader would give the story: published, else ingested.
    pub fn date(&self) -> DateTime<Utc> {
        self.published.unwrap_or(self.ingested_at)
    }

    /// The publication date as a reader sees it: "2024-10-05", or "undated".
    pub fn published_label(&self) -> String {
        date_label(self.published)
    }

    /// Whether the source is a web address that may be shown as a link.
    pub fn source_is_link(&self) -> bool {
        is_http_url(&self.source)
    }
}

/// A clock that long-running tasks read (tests pass their own).
pub type Clock = std::sync::Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// True for `http://` and `https://` addresses: the only links a reply may carry.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Where a quoted sentence comes from: document and paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub doc: DocId,
    pub title: String,
    /// An http(s) link, or a path or label shown as plain text.
    pub source: String,
    /// Zero-based paragraph index in the cleaned document.
    pub paragraph: usize,
    /// The document's publication date; `None` when the source gives none
    /// (shown as "undated", never as the day it was ingested).
    pub date: Option<DateTime<Utc>>,
}

impl Citation {
    /// "2024-10-05", or "undated".
    pub fn date_label(&self) -> String {
        date_label(self.date)
    }
}

/// A publication date as a reader sees it: "2024-10-05", or "undated".
pub fn date_label(date: Option<DateTime<Utc>>) -> String {
    date.map_or_else(|| "undated".to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// The formats of documents breachdesk reads (files, pages, attachments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// The format a file name's extension announces.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            _ => None,
        }
    }
}
