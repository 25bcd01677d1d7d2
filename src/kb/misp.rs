//! Importer for MISP threat-actor galaxies (`clusters/threat-actor.json`):
//! each value's name, `meta.synonyms`, `meta.country`,
//! `meta.cfr-suspected-state-sponsor`, `meta.cfr-target-category` and
//! `related` (by uuid, resolved to the related cluster's name).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::{Cluster, KbError, Origin, read};

#[derive(Deserialize)]
struct Galaxy {
    values: Vec<Value>,
}

#[derive(Deserialize)]
struct Value {
    value: String,
    #[serde(default)]
    uuid: Option<String>,
    #[serde(default)]
    meta: Meta,
    #[serde(default)]
    related: Vec<Related>,
}

#[derive(Deserialize, Default)]
struct Meta {
    #[serde(default)]
    synonyms: Vec<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default, rename = "cfr-suspected-state-sponsor")]
    sponsor: Option<String>,
    #[serde(default, rename = "cfr-target-category")]
    targets: Vec<String>,
    #[serde(default)]
    since: Option<String>,
}

#[derive(Deserialize)]
struct Related {
    #[serde(rename = "dest-uuid")]
    dest: String,
}

/// Parse a galaxy from a file.
pub fn load(path: &Path) -> Result<Vec<Cluster>, KbError> {
    parse(&read(path)?).map_err(|reason| KbError::Parse {
        path: path.display().to_string(),
        format: "MISP galaxy JSON",
        reason,
    })
}

/// Parse a galaxy; the error says what is wrong.
pub fn parse(text: &str) -> Result<Vec<Cluster>, String> {
    let galaxy: Galaxy = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let by_uuid: HashMap<&str, &str> =
        galaxy.values.iter().filter_map(|v| v.uuid.as_deref().map(|u| (u, v.value.as_str()))).collect();
    let mut out = Vec::with_capacity(galaxy.values.len());
    for v in &galaxy.values {
        let mut c = Cluster::new(Origin::Misp(v.value.clone()), v.value.clone());
        c.aliases = v.meta.synonyms.iter().filter(|s| **s != v.value).map(|s| (s.clone(), None)).collect();
        // A suspected sponsor is a stronger claim than a country of origin;
        // "Unknown" is no claim.
        c.sponsor =
            v.meta.sponsor.clone().filter(|s| !s.eq_ignore_ascii_case("unknown")).or_else(|| v.meta.country.clone());
        c.sectors = v.meta.targets.clone();
        c.first_reported = v.meta.since.clone();
        c.related = v.related.iter().filter_map(|r| by_uuid.get(r.dest.as_str()).map(|n| n.to_string())).collect();
        out.push(c);
    }
    Ok(out)
}
