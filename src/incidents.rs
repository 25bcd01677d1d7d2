//! Incidents: the documents about one event, grouped.
//!
//! Documents are grouped when they name the same actor (by its knowledge-
//! base name) within [`WINDOW_DAYS`] of each other and their victims or
//! sectors overlap (or one of them names no victim). Exact copies are one
//! document already (the store de-duplicates by source and content hash).
//! A document joins the incident of its first-named actor. A near copy of
//! an article (see [`fingerprint`]) that names no actor joins the incident
//! of the copy that does.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};

use crate::clean::fold;
use crate::model::DocId;
use crate::store::DatedFacts;

pub use crate::store::near::{MIN_SHINGLES, SIGNATURE_LEN, Signature, fingerprint};

/// Documents more than this far apart are separate incidents.
pub const WINDOW_DAYS: i64 = 120;

/// One incident and what its documents say, merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// The actor, by its knowledge-base name when known.
    pub actor: String,
    /// Names the articles use for it, the first written first.
    pub names: Vec<String>,
    /// Newest first.
    pub docs: Vec<DocId>,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub country: Option<String>,
    pub attribution: Option<String>,
    pub victims: Vec<String>,
    pub sectors: Vec<String>,
    pub accessed: Vec<String>,
    pub responders: Vec<String>,
    pub campaigns: Vec<String>,
    /// Other groups its articles name, with a document that names each.
    pub mentioned: Vec<(String, DocId)>,
    /// Folded forms of every list above, to merge without quadratic scans.
    seen: HashSet<String>,
    /// `fold(actor)`.
    key: String,
    /// A document of it names the actor (else all are near copies so far).
    named: bool,
}

impl Incident {
    /// "Salt Typhoon: AT&T, Verizon, Lumen (2024-10)".
    pub fn label(&self) -> String {
        let victims: Vec<&str> = self.victims.iter().take(3).map(String::as_str).collect();
        let when = self.last.format("%Y-%m");
        if victims.is_empty() {
            format!("{} ({when})", self.actor)
        } else {
            format!("{}: {} ({when})", self.actor, victims.join(", "))
        }
    }

    fn absorb(&mut self, d: &DatedFacts) {
        let f = &d.facts;
        self.docs.push(d.doc);
        self.first = self.first.min(d.date);
        self.last = self.last.max(d.date);
        if self.country.is_none() {
            self.country = f.attributed_country.clone();
            self.attribution = f.attribution.clone();
        }
        let names: Vec<String> = f.threat_actors.iter().map(|a| a.name.clone()).collect();
        for (tag, list, add) in [
            ('n', &mut self.names, &names),
            ('v', &mut self.victims, &f.victims),
            ('s', &mut self.sectors, &f.sectors),
            ('a', &mut self.accessed, &f.accessed),
            ('r', &mut self.responders, &f.responders),
            ('c', &mut self.campaigns, &f.related_campaigns),
        ] {
            for x in add {
                let mut key = fold(x);
                key.push(tag);
                if self.seen.insert(key) {
                    list.push(x.clone());
                }
            }
        }
        for m in &f.mentioned_actors {
            let name = m.canonical.clone().unwrap_or_else(|| m.name.clone());
            if !self.mentioned.iter().any(|(n, _)| fold(n) == fold(&name)) {
                self.mentioned.push((name, d.doc));
            }
        }
    }

    /// Within the time window of the incident.
    fn near(&self, d: &DatedFacts) -> bool {
        (d.date - self.last).abs() <= Duration::days(WINDOW_DAYS)
            || (d.date - self.first).abs() <= Duration::days(WINDOW_DAYS)
    }

    fn overlaps(&self, d: &DatedFacts) -> bool {
        let f = &d.facts;
        let near = self.near(d);
        let shared_victim = f.victims.iter().any(|v| {
            let mut key = fold(v);
            key.push('v');
            self.seen.contains(&key)
        });
        let shared_sector = f.sectors.iter().any(|s| self.sectors.contains(s));
        near && (shared_victim || shared_sector || f.victims.is_empty() || self.victims.is_empty())
    }
}

/// Group documents (any order) into incidents, newest incident first. With
/// `actor` (a folded name), every document is taken as that actor's (the
/// documents of one actor); without, as its first-named actor's.
pub fn group(mut docs: Vec<DatedFacts>, actor: Option<&str>) -> Vec<Incident> {
    docs.sort_by_key(|d| (d.date, d.doc));
    let mut out: Vec<Incident> = Vec::new();
    for d in &docs {
        let keys = d.facts.actor_keys();
        if actor.is_none() && keys.is_empty() {
            continue;
        }
        let named = match actor {
            Some(a) => keys.into_iter().find(|k| fold(k) == a),
            None => keys.into_iter().next(),
        };
        // A near copy of an actor's article that does not name it is the
        // actor's too (the store links it): it joins the actor's incident of
        // its time, and names it by its key until a document names the actor.
        let copy = named.is_none();
        let Some(actor) = named.or_else(|| actor.map(str::to_string)) else { continue };
        let key = fold(&actor);
        match out.iter_mut().rev().find(|i| i.key == key && if copy || !i.named { i.near(d) } else { i.overlaps(d) }) {
            Some(i) => {
                if !copy && !i.named {
                    i.actor = actor;
                    i.named = true;
                }
                i.absorb(d)
            }
            None => {
                let mut i = Incident {
                    key: key.clone(),
                    actor,
                    names: Vec::new(),
                    docs: Vec::new(),
                    first: d.date,
                    last: d.date,
                    country: None,
                    attribution: None,
                    victims: Vec::new(),
                    sectors: Vec::new(),
                    accessed: Vec::new(),
                    responders: Vec::new(),
                    campaigns: Vec::new(),
                    mentioned: Vec::new(),
                    seen: HashSet::new(),
                    named: !copy,
                };
                i.absorb(d);
                out.push(i);
            }
        }
    }
    for i in &mut out {
        i.docs.reverse();
    }
    out.sort_by(|a, b| b.last.cmp(&a.last).then(b.docs.len().cmp(&a.docs.len())));
    out
}

/// Why another incident is related to `this`, in a few words, or `None`.
/// `cite` gives the citation number of a document of `this`, for "named in [n]".
pub fn relation(
    this: &Incident,
    other: &Incident,
    same_group: impl Fn(&str, &str) -> Option<String>,
    mut cite: impl FnMut(DocId) -> usize,
) -> Option<String> {
    let mut why: Vec<String> = Vec::new();
    if fold(&this.actor) == fold(&other.actor) {
        why.push("same actor, another incident".into());
    } else if let Some(reason) = same_group(&this.actor, &other.actor) {
        why.push(reason);
    }
    if let Some((_, doc)) = this.mentioned.iter().find(|(n, _)| fold(n) == fold(&other.actor)) {
        why.push(format!("named in [{}]", cite(*doc)));
    }
    if let (Some(a), Some(b)) = (&this.country, &other.country)
        && a == b
    {
        why.push(format!("same sponsor: {a}"));
    }
    let sectors: Vec<&str> =
        this.sectors.iter().filter(|s| other.sectors.contains(s)).map(String::as_str).take(2).collect();
    if !sectors.is_empty() {
        why.push(format!("same sector: {}", sectors.join(", ")));
    }
    if let Some(c) = this.campaigns.iter().find(|c| other.campaigns.iter().any(|o| fold(o) == fold(c))) {
        why.push(format!("same campaign: {c}"));
    }
    (!why.is_empty()).then(|| why.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::facts::{IncidentFacts, NamedActor};

    fn doc(id: i64, day: i64, actor: &str, victims: &[&str], sectors: &[&str]) -> DatedFacts {
        DatedFacts {
            doc: DocId(id),
            date: DateTime::from_timestamp(1_700_000_000 + day * 86_400, 0).unwrap(),
            facts: IncidentFacts {
                threat_actors: vec![NamedActor { name: actor.into(), canonical: Some(actor.into()) }],
                victims: victims.iter().map(|v| v.to_string()).collect(),
                sectors: sectors.iter().map(|v| v.to_string()).collect(),
                attributed_country: Some("Ruritania".into()),
                ..IncidentFacts::default()
            },
        }
    }

    #[test]
    fn same_actor_and_victims_within_the_window_is_one_incident() {
        let incidents = group(
            vec![
                doc(1, 0, "Ash Typhoon", &["Fabrikam"], &["telecommunications"]),
                doc(2, 5, "Ash Typhoon", &["Fabrikam", "Contoso"], &["telecommunications"]),
                doc(3, 9, "Ash Typhoon", &[], &[]),
                // Same actor, half a year later, other victims and sector: another incident.
                doc(4, 200, "Ash Typhoon", &["Northwind"], &["retail"]),
                doc(5, 6, "Quartz Typhoon", &["Fabrikam"], &["telecommunications"]),
            ],
            None,
        );
        assert_eq!(incidents.len(), 3);
        assert_eq!(incidents[0].docs, [DocId(4)], "newest incident first");
        let ash = incidents.iter().find(|i| i.docs.contains(&DocId(1))).unwrap();
        assert_eq!(ash.docs, [DocId(3), DocId(2), DocId(1)]);
        assert_eq!(ash.victims, ["Fabrikam", "Contoso"]);
        assert_eq!(ash.label(), "Ash Typhoon: Fabrikam, Contoso (2023-11)");
    }

    #[test]
    fn relations_give_their_reasons() {
        let incidents = group(
            vec![
                doc(1, 0, "Ash Typhoon", &["Fabrikam"], &["telecommunications"]),
                doc(2, 1, "Quartz Typhoon", &["Contoso"], &["telecommunications", "energy"]),
            ],
            None,
        );
        let (a, b) = (&incidents[1], &incidents[0]);
        let why = relation(a, b, |_, _| None, |_| 1).unwrap();
        assert_eq!(why, "same sponsor: Ruritania; same sector: telecommunications");
        let why = relation(a, b, |_, _| Some("MISP lists Ash Typhoon as a synonym".into()), |_| 1).unwrap();
        assert!(why.starts_with("MISP lists"), "{why}");
    }
}
