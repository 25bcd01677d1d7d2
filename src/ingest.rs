//! Ingest: turns files, pasted text and fetched pages into documents.
//!
//! `.txt` and `.md` go through [`crate::clean::clean_text`]; `.html` through
//! [`crate::clean::html::extract`]. Bad input (unreadable, empty, binary,
//! not UTF-8, too large, no story left after cleaning) is an [`IngestError`]
//! naming the file; the caller skips it and goes on.

use std::path::{Path, PathBuf};

pub mod samples;

pub use crate::address::canonical_url;
use crate::clean::{self, Cleaned};
pub use crate::model::Format;
use crate::model::{NewDocument, Scope, is_http_url};

/// Why one input was not ingested. Each variant names the input.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}: cannot read: {1}")]
    Unreadable(String, std::io::Error),
    #[error("{0}: the file is empty")]
    Empty(String),
    #[error("{0}: binary data, not text")]
    Binary(String),
    #[error("{0}: {1} bytes is over the limit of {2} (ingest.max_file_bytes)")]
    TooLarge(String, u64, u64),
    #[error("{0}: unsupported file type (expected .txt, .md or .html)")]
    Unsupported(String),
    #[error("{0}: a link to {1}, outside the folder being ingested")]
    OutsideFolder(String, String),
    #[error("{0}: no article text was found after cleaning")]
    NoStory(String),
    /// The page cleaner failed on the page; it is refused, nothing else is affected.
    #[error("{0}: {1}")]
    Unclean(String, crate::clean::html::HtmlError),
    #[error("{0}: {1}")]
    Fetch(String, crate::fetch::FetchError),
}

/// A document ready to store, with the canonical key of its source.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub doc: NewDocument,
    pub canonical: String,
    /// Something the user should know about how the input was read (a
    /// legacy encoding), naming the input.
    pub note: Option<String>,
}

/// Expand files and folders (recursively, in name order) into the files to
/// ingest. Inside a folder, hidden files are passed over; files of other
/// types are skipped and named, and so are symbolic links that lead out of
/// the folder named (`link.txt -> /etc/passwd`), which are never read. A
/// file named directly must be of a supported type.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<IngestError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let label = p.display().to_string();
        match std::fs::metadata(p) {
            Err(e) => errors.push(IngestError::Unreadable(label, e)),
            Ok(m) if m.is_dir() => match std::fs::canonicalize(p) {
                Ok(root) => walk(p, &root, &mut files, &mut errors),
                Err(e) => errors.push(IngestError::Unreadable(label, e)),
            },
            Ok(_) if Format::from_name(&label).is_some() => files.push(p.clone()),
            Ok(_) => errors.push(IngestError::Unsupported(label)),
        }
    }
    (files, errors)
}

/// The files under `dir`, whose real path lies inside `root`.
fn walk(dir: &Path, root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<IngestError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return errors.push(IngestError::Unreadable(dir.display().to_string(), e)),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        let label = p.display().to_string();
        let link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        if link {
            match std::fs::canonicalize(&p) {
                Ok(real) if !real.starts_with(root) => {
                    errors.push(IngestError::OutsideFolder(label, real.display().to_string()));
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    errors.push(IngestError::Unreadable(label, e));
                    continue;
                }
            }
        }
        if p.is_dir() {
            // A link to a folder inside the tree would be walked twice.
            if !link {
                walk(&p, root, files, errors);
            }
        } else if Format::from_name(name).is_some() {
            files.push(p);
        } else {
            errors.push(IngestError::Unsupported(label));
        }
    }
}

/// Read and clean one file.
pub fn load_file(path: &Path, max_bytes: u64, scope: Scope) -> Result<Loaded, IngestError> {
    let label = path.display().to_string();
    let format = Format::from_name(&label).ok_or_else(|| IngestError::Unsupported(label.clone()))?;
    let size = std::fs::metadata(path).map_err(|e| IngestError::Unreadable(label.clone(), e))?.len();
    if size > max_bytes {
        return Err(IngestError::TooLarge(label, size, max_bytes));
    }
    let bytes = std::fs::read(path).map_err(|e| IngestError::Unreadable(label.clone(), e))?;
    let canonical = match std::fs::canonicalize(path) {
        Ok(abs) => format!("file:{}", abs.display()),
        Err(_) => format!("file:{label}"),
    };
    from_bytes(&bytes, format, &label, canonical, scope, max_bytes)
}

/// Clean bytes of a known format (a file, an attachment, a fetched page).
/// `label` names the input in errors and is the displayed source unless the
/// text names its own web address.
pub fn from_bytes(
    bytes: &[u8],
    format: Format,
    label: &str,
    canonical: String,
    scope: Scope,
    max_bytes: u64,
) -> Result<Loaded, IngestError> {
    if bytes.len() as u64 > max_bytes {
        return Err(IngestError::TooLarge(label.into(), bytes.len() as u64, max_bytes));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty(label.into()));
    }
    if bytes.contains(&0) {
        return Err(IngestError::Binary(label.into()));
    }
    let (text, note) = decode(bytes, label);
    let cleaned = match format {
        Format::Text | Format::Markdown => clean::clean_text(&text),
        // The label is the page's address when it has one; a file path is ignored.
        Format::Html => clean::html::extract(&text, Some(label)).map_err(|e| match e {
            clean::html::HtmlError::NoContent => IngestError::NoStory(label.into()),
            e => IngestError::Unclean(label.into(), e),
        })?,
    };
    let note = join_notes(note, cut_note(&cleaned, label));
    let (doc, own_url) = build(cleaned, label, scope);
    let doc = doc.ok_or_else(|| IngestError::NoStory(label.into()))?;
    // A text that names its own web address is known by it.
    let canonical = own_url.map(|u| canonical_url(&u)).unwrap_or(canonical);
    Ok(Loaded { doc, canonical, note })
}

/// Text from bytes: UTF-8 (a byte-order mark dropped); anything else is read
/// as Windows-1252, the superset of Latin-1 that legacy Western text uses,
/// with a note naming the input and the first byte that was not UTF-8.
fn decode<'a>(bytes: &'a [u8], label: &str) -> (std::borrow::Cow<'a, str>, Option<String>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), None),
        Err(e) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            let note = format!("{label}: not UTF-8 (byte {} is not); read as Windows-1252 (Latin-1)", e.valid_up_to());
            (text, Some(note))
        }
    }
}

/// A fetched page or attachment. Its format comes from the content type,
/// else from the file name in its address; `title` and `published` fill in
/// what the page does not say about itself (a feed item's own).
pub fn from_fetched(
    page: &crate::fetch::Fetched,
    scope: Scope,
    max_bytes: u64,
    title: Option<&str>,
    published: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Loaded, IngestError> {
    let label = page.url.as_str();
    let format = crate::fetch::page_format(&page.media)
        .or_else(|| Format::from_name(page.url.path()))
        .ok_or_else(|| IngestError::Unsupported(label.to_string()))?;
    let mut loaded = from_bytes(&page.body, format, label, canonical_url(label), scope, max_bytes)?;
    fill_in(&mut loaded.doc, label, title, published);
    Ok(loaded)
}

/// A feed item's own text (HTML), when its page cannot be had. An excerpt
/// cut short is kept (it is all there is) and its title says "(excerpt)".
pub fn from_feed_content(
    html: &str,
    link: &str,
    scope: Scope,
    title: Option<&str>,
    published: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Loaded, IngestError> {
    let text = clean::html::fragment_text(html);
    let cleaned = clean::clean_excerpt(&text, title);
    let note = cut_note(&cleaned, link);
    let (doc, _) = build(cleaned, link, scope);
    let mut doc = doc.ok_or_else(|| IngestError::NoStory(link.to_string()))?;
    fill_in(&mut doc, link, title, published);
    if clean::ends_cut_short(&text) {
        doc.title.push_str(" (excerpt)");
    }
    Ok(Loaded { doc, canonical: canonical_url(link), note })
}

/// Fill in the title and date a page does not give with a feed's own.
fn fill_in(doc: &mut NewDocument, label: &str, title: Option<&str>, published: Option<chrono::DateTime<chrono::Utc>>) {
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty())
        && (doc.title == label || doc.title.ends_with('\u{2026}'))
    {
        doc.title = t.to_string();
    }
    doc.published = doc.published.or(published);
}

/// A document from text typed or pasted by a user (`/ingest text`).
pub fn from_text(text: &str, title: Option<&str>, url: Option<&str>, scope: Scope) -> Result<Loaded, IngestError> {
    let url = url.filter(|u| is_http_url(u));
    let mut cleaned = clean::clean_text(text);
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        cleaned.title = Some(t.to_string());
    }
    if let Some(u) = url {
        cleaned.source = Some(u.to_string());
    }
    let hash_label = || {
        let h = blake3::hash(text.as_bytes()).to_hex();
        format!("text:{}", &h[..16])
    };
    let label = hash_label();
    let note = cut_note(&cleaned, "the pasted text");
    let (doc, own_url) = build(cleaned, &label, scope);
    let doc = doc.ok_or_else(|| IngestError::NoStory("the pasted text".into()))?;
    let canonical = own_url.map(|u| canonical_url(&u)).unwrap_or(label);
    Ok(Loaded { doc, canonical, note })
}

/// The note for run-on text cleaning read in pieces, if any.
fn cut_note(c: &Cleaned, label: &str) -> Option<String> {
    (c.run_ons > 0).then(|| {
        let (n, s) = (c.run_ons, if c.run_ons == 1 { "" } else { "s" });
        format!(
            "{label}: {n} run-on passage{s} (a sentence over {} bytes or a paragraph over {}) read in pieces",
            clean::segment::MAX_SENTENCE_BYTES,
            clean::segment::MAX_PARAGRAPH_BYTES
        )
    })
}

fn join_notes(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    }
}

fn build(c: Cleaned, label: &str, scope: Scope) -> (Option<NewDocument>, Option<String>) {
    let has_sentence = c.paragraphs.iter().any(|p| !p.sentences.is_empty());
    if !has_sentence {
        return (None, c.source);
    }
    let title = c.title.clone().unwrap_or_else(|| fallback_title(&c, label));
    let doc = NewDocument {
        title,
        source: c.source.clone().unwrap_or_else(|| label.to_string()),
        byline: c.byline,
        published: c.published,
        scope,
        paragraphs: c.paragraphs,
    };
    (Some(doc), c.source)
}

/// No title in the text: the first sentence, shortened at a word boundary.
fn fallback_title(c: &Cleaned, label: &str) -> String {
    let Some(first) = c.paragraphs.iter().find_map(|p| p.sentence_texts().next()) else {
        return label.to_string();
    };
    if first.chars().count() <= 90 {
        return first.trim_end_matches('.').to_string();
    }
    let mut out = String::new();
    for w in first.split_whitespace() {
        if out.len() + w.len() > 85 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push('\u{2026}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Regional bank reports intrusion\n\nThe bank said an intruder reached a file server holding loan applications last week.\n";

    fn load(bytes: &[u8], name: &str) -> Result<Loaded, IngestError> {
        from_bytes(bytes, Format::from_name(name).unwrap(), name, format!("file:{name}"), Scope::Global, 10_000)
    }

    #[test]
    fn bad_inputs_name_the_file() {
        let cases: Vec<(&[u8], &str)> = vec![
            (b"", "empty"),
            (b"  \n\n ", "empty"),
            (b"abc\0def", "binary"),
            (b"Skip to content\n\nMenu\n\nHome\n", "no article"),
        ];
        for (bytes, want) in cases {
            let err = load(bytes, "x/story.txt").unwrap_err().to_string();
            assert!(err.starts_with("x/story.txt: ") && err.contains(want), "{err}");
        }
        let big = vec![b'a'; 20_000];
        assert!(load(&big, "big.txt").unwrap_err().to_string().contains("ingest.max_file_bytes"));
    }

    #[test]
    fn legacy_encodings_are_read_with_a_note() {
        // Latin-1 é and Windows-1252 curly quotes and euro sign.
        let l = load(b"The caf\xe9 said \x93we lost \x8030\x94 on Friday.", "x/story.txt").unwrap();
        assert_eq!(l.doc.paragraphs[0].text, "The café said “we lost €30” on Friday.");
        assert_eq!(l.note.as_deref(), Some("x/story.txt: not UTF-8 (byte 7 is not); read as Windows-1252 (Latin-1)"));
        // UTF-8, with or without a byte-order mark, needs no note.
        let l = load("\u{feff}The café said it was fine.".as_bytes(), "y.txt").unwrap();
        assert_eq!((l.doc.paragraphs[0].text.as_str(), l.note), ("The café said it was fine.", None));
    }

    #[test]
    fn source_header_gives_the_canonical_key() {
        let text = format!("Source: https://News.Example.org/a?utm_source=x&id=3#top\n\n{STORY}");
        let l = load(text.as_bytes(), "a.txt").unwrap();
        assert_eq!(l.canonical, "https://news.example.org/a?id=3");
        assert_eq!(l.doc.source, "https://News.Example.org/a?utm_source=x&id=3#top");
        assert_eq!(l.doc.title, "Regional bank reports intrusion");
        let plain = load(STORY.as_bytes(), "b.md").unwrap();
        assert_eq!(plain.canonical, "file:b.md");
        assert_eq!(plain.doc.source, "b.md");
    }

    #[test]
    fn pasted_text_without_title_gets_its_first_sentence() {
        let l = from_text(
            "The bank said an intruder reached a file server holding loan applications last week.",
            None,
            Some("javascript:alert(1)"),
            Scope::Guild(5),
        )
        .unwrap();
        assert_eq!(l.doc.title, "The bank said an intruder reached a file server holding loan applications last week");
        assert!(l.canonical.starts_with("text:"));
        assert_eq!(l.doc.scope, Scope::Guild(5));
        let again = from_text(
            "The bank said an intruder reached a file server holding loan applications last week.",
            None,
            None,
            Scope::Guild(5),
        )
        .unwrap();
        assert_eq!(again.canonical, l.canonical, "the same text has the same key");
    }

    #[test]
    fn folders_expand_to_supported_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for f in ["b.md", "a.txt", "sub/c.html", "notes.json", ".hidden.txt"] {
            std::fs::write(dir.path().join(f), STORY).unwrap();
        }
        let (files, errors) =
            collect(&[dir.path().to_path_buf(), dir.path().join("missing.txt"), dir.path().join("notes.json")]);
        let names: Vec<String> =
            files.iter().map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
        assert_eq!(names, vec!["a.txt", "b.md", "sub/c.html"]);
        // A file of another type in the folder is named, not passed over silently.
        assert_eq!(errors.len(), 3);
        assert!(errors[0].to_string().ends_with("notes.json: unsupported file type (expected .txt, .md or .html)"));
        assert!(errors[1].to_string().contains("missing.txt"));
        assert!(errors[2].to_string().contains("unsupported"));
    }

    #[test]
    fn a_feed_excerpt_cut_short_is_kept_and_marked() {
        let html = "<p>Northwind Shipping said intruders reached a server holding crew schedules, and the company has since \
                    hired an outside firm to look into how the attackers who have been\u{2026}</p>";
        let l = from_feed_content(html, "https://news.example/a", Scope::Global, Some("Shipping firm breached"), None)
            .unwrap();
        assert_eq!(l.doc.title, "Shipping firm breached (excerpt)");
        assert!(l.doc.paragraphs[0].text.starts_with("Northwind Shipping said intruders"), "{:?}", l.doc.paragraphs);
        // A whole item text is no excerpt.
        let whole = "<p>Northwind Shipping said intruders reached a server holding crew schedules last week.</p>";
        let l = from_feed_content(whole, "https://news.example/b", Scope::Global, Some("Shipping firm breached"), None)
            .unwrap();
        assert_eq!(l.doc.title, "Shipping firm breached");
    }
}
