//! Transport-neutral replies.
//!
//! A command answers with a [`Reply`]: a title, an optional header line,
//! sections of lines, and numbered citations that the lines point to. Text
//! here is plain (no markdown, no escaping); each transport renders and
//! escapes it its own way (the console as text, Discord as embeds).

use crate::model::{Citation, Document};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    pub title: String,
    /// A line under the title: counts, an incident's header facts.
    pub header: Option<String>,
    pub sections: Vec<Section>,
    /// Numbered from 1 in the order given; lines refer to them by number.
    pub citations: Vec<Citation>,
    pub footer: Option<String>,
    /// Shown only to the person who asked (errors, confirmations).
    pub ephemeral: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    pub heading: Option<String>,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// 1-based numbers into [`Reply::citations`].
    pub cites: Vec<usize>,
}

impl Line {
    pub fn plain(text: impl Into<String>) -> Line {
        Line { text: text.into(), cites: Vec::new() }
    }
    pub fn cited(text: impl Into<String>, cite: usize) -> Line {
        Line { text: text.into(), cites: vec![cite] }
    }
}

/// Builds the citation list, giving one number per document paragraph.
#[derive(Debug, Default)]
pub struct Citations {
    list: Vec<Citation>,
}

impl Citations {
    /// A list that goes on numbering after `list` (a reply's citations so far).
    pub fn continuing(list: Vec<Citation>) -> Citations {
        Citations { list }
    }

    /// The number of the citation for `paragraph` of `doc`, adding it if new.
    pub fn cite(&mut self, doc: &Document, paragraph: usize) -> usize {
        if let Some(i) = self.list.iter().position(|c| c.doc == doc.id && c.paragraph == paragraph) {
            return i + 1;
        }
        self.list.push(Citation {
            doc: doc.id,
            title: doc.title.clone(),
            source: doc.source.clone(),
            paragraph,
            date: doc.published,
        });
        self.list.len()
    }

    pub fn into_vec(self) -> Vec<Citation> {
        self.list
    }
}

/// "1 article", "3 articles".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

impl Reply {
    /// Every line of every section, in order.
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.sections.iter().flat_map(|s| s.lines.iter())
    }
}
