//! Importer for MITRE ATT&CK STIX 2.1 bundles: `intrusion-set` objects (name,
//! `aliases`), `campaign` objects, and `attributed-to` relationships from a
//! campaign to the intrusion set credited with it. Revoked and deprecated
//! objects are skipped. ATT&CK records no sponsor or sectors as fields.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::{Campaign, Cluster, KbError, Origin, read};

#[derive(Deserialize)]
struct Bundle {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    objects: Vec<Object>,
}

#[derive(Deserialize)]
struct Object {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    revoked: bool,
    #[serde(default)]
    x_mitre_deprecated: bool,
    #[serde(default)]
    external_references: Vec<Reference>,
    #[serde(default)]
    first_seen: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    relationship_type: Option<String>,
    #[serde(default)]
    source_ref: Option<String>,
    #[serde(default)]
    target_ref: Option<String>,
}

#[derive(Deserialize)]
struct Reference {
    source_name: String,
    #[serde(default)]
    external_id: Option<String>,
}

/// Parse a bundle from a file.
pub fn load(path: &Path) -> Result<Vec<Cluster>, KbError> {
    parse(&read(path)?).map_err(|reason| KbError::Parse {
        path: path.display().to_string(),
        format: "STIX 2.1",
        reason,
    })
}

/// Parse a bundle; the error says what is wrong.
pub fn parse(text: &str) -> Result<Vec<Cluster>, String> {
    let bundle: Bundle = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if bundle.kind != "bundle" {
        return Err(format!("the top-level object is a {:?}, not a STIX bundle", bundle.kind));
    }
    let live = |o: &&Object| !o.revoked && !o.x_mitre_deprecated;
    let attack_id = |o: &Object| {
        o.external_references
            .iter()
            .find(|r| r.source_name == "mitre-attack")
            .and_then(|r| r.external_id.clone())
            .unwrap_or_else(|| o.id.clone())
    };
    let mut campaigns: HashMap<&str, Campaign> = HashMap::new();
    for o in bundle.objects.iter().filter(live).filter(|o| o.kind == "campaign") {
        let Some(name) = o.name.clone() else { continue };
        let aliases = o.aliases.iter().filter(|a| **a != name).cloned().collect();
        let first_seen = o.first_seen.as_deref().map(|d| d.chars().take(10).collect());
        campaigns.insert(&o.id, Campaign { name, aliases, first_seen, origin: Origin::Attack(attack_id(o)) });
    }
    let mut credited: HashMap<&str, Vec<&str>> = HashMap::new();
    for o in bundle.objects.iter().filter(live).filter(|o| o.kind == "relationship") {
        if o.relationship_type.as_deref() == Some("attributed-to")
            && let (Some(s), Some(t)) = (o.source_ref.as_deref(), o.target_ref.as_deref())
            && s.starts_with("campaign--")
        {
            credited.entry(t).or_default().push(s);
        }
    }
    let mut out = Vec::new();
    for o in bundle.objects.iter().filter(live).filter(|o| o.kind == "intrusion-set") {
        let Some(name) = o.name.clone() else { continue };
        let mut c = Cluster::new(Origin::Attack(attack_id(o)), name.clone());
        c.aliases = o.aliases.iter().filter(|a| **a != name).map(|a| (a.clone(), None)).collect();
        c.first_reported = o.created.as_deref().map(|d| d.chars().take(4).collect());
        if let Some(ids) = credited.get(o.id.as_str()) {
            c.campaigns = ids.iter().filter_map(|id| campaigns.get(id).cloned()).collect();
        }
        out.push(c);
    }
    Ok(out)
}
