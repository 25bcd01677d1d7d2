//! breachdesk's own actor list, `data/actors.toml` (its header documents the fields).

use std::path::Path;

use serde::Deserialize;

use super::{Cluster, KbError, Origin, read};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    actor: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    #[serde(default)]
    aliases: Vec<AliasEntry>,
    sponsor: Option<String>,
    kind: Option<String>,
    #[serde(default)]
    sectors: Vec<String>,
    first_reported: Option<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    context_names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasEntry {
    name: String,
    vendor: Option<String>,
}

/// Parse the list from a file.
pub fn load(path: &Path) -> Result<Vec<Cluster>, KbError> {
    parse(&read(path)?).map_err(|reason| KbError::Parse { path: path.display().to_string(), format: "TOML", reason })
}

/// Parse the list from text; the error is one line naming what is wrong.
pub fn parse(text: &str) -> Result<Vec<Cluster>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.message().to_string() + &at(text, e.span()))?;
    let mut out = Vec::with_capacity(file.actor.len());
    for e in file.actor {
        if e.name.trim().is_empty() {
            return Err("an [[actor]] has an empty name".into());
        }
        if let Some(kind) = e.kind.as_deref()
            && !matches!(kind, "state" | "criminal" | "hacktivist")
        {
            return Err(format!("actor {}: kind must be state, criminal or hacktivist, not {kind:?}", e.name));
        }
        let mut c = Cluster::new(Origin::Curated, e.name);
        c.aliases = e.aliases.into_iter().map(|a| (a.name, a.vendor)).collect();
        c.sponsor = e.sponsor;
        c.kind = e.kind;
        c.sectors = e.sectors;
        c.first_reported = e.first_reported;
        c.related = e.related;
        c.context_names = e.context_names;
        out.push(c);
    }
    Ok(out)
}

/// " (line N)" for a parse error's position.
fn at(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.map(|s| format!(" (line {})", text[..s.start.min(text.len())].matches('\n').count() + 1)).unwrap_or_default()
}
