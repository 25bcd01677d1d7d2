//! The knowledge base of threat actors: who is who under which name.
//!
//! Built at start from breachdesk's own list (`data/actors.toml`) and any
//! number of imported files analysts already keep: MITRE ATT&CK STIX 2.1
//! bundles ([`stix`]) and MISP threat-actor galaxies ([`misp`]). Each source
//! yields [`Cluster`]s (one group as that source sees it); [`Builder`] merges
//! them into [`Actor`]s and keeps, for every name, which source claimed it.
//!
//! Merge rule: sources disagree, and a name one source files under a group
//! does not make two groups one. A cluster joins an actor only when its own
//! name is the actor's name or an alias that breachdesk's own list gives
//! it; otherwise it becomes an actor of its own, and a name both carry is
//! recorded as a [`Conflict`] that the actor card shows.

pub mod curated;
pub mod misp;
pub mod stix;

use std::collections::HashMap;
use std::path::Path;

use crate::clean::fold;

/// Errors loading a knowledge file. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("cannot read knowledge file {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("knowledge file {path} is not valid {format}: {reason}")]
    Parse { path: String, format: &'static str, reason: String },
}

/// Where a claim comes from, shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// breachdesk's own list.
    Curated,
    /// A MITRE ATT&CK object, with its id (G1017, C0022).
    Attack(String),
    /// A MISP galaxy cluster, with its value (its name).
    Misp(String),
}

impl Origin {
    /// A few words for a reply: "breachdesk", "ATT&CK G1017", "MISP (GhostEmperor)".
    pub fn label(&self) -> String {
        match self {
            Origin::Curated => "breachdesk".into(),
            Origin::Attack(id) => format!("ATT&CK {id}"),
            Origin::Misp(cluster) => format!("MISP ({cluster})"),
        }
    }
}

/// One name of an actor and who uses or claims it.
#[derive(Debug, Clone)]
pub struct Alias {
    pub name: String,
    /// The vendor that uses the name, when a source says so (CrowdStrike, Microsoft).
    pub vendor: Option<String>,
    pub origins: Vec<Origin>,
    /// An everyday word ("Play"): counts as the actor only in context.
    pub needs_context: bool,
}

/// A named operation an actor is credited with.
#[derive(Debug, Clone)]
pub struct Campaign {
    pub name: String,
    pub aliases: Vec<String>,
    pub first_seen: Option<String>,
    pub origin: Origin,
}

/// A group as one source sees it, before merging.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub origin: Origin,
    pub name: String,
    /// Other names, each with the vendor that uses it if known.
    pub aliases: Vec<(String, Option<String>)>,
    pub sponsor: Option<String>,
    pub kind: Option<String>,
    pub sectors: Vec<String>,
    pub first_reported: Option<String>,
    /// Names of groups the source says overlap with this one.
    pub related: Vec<String>,
    pub campaigns: Vec<Campaign>,
    /// Names that need context words to count (curated only).
    pub context_names: Vec<String>,
}

impl Cluster {
    pub fn new(origin: Origin, name: impl Into<String>) -> Cluster {
        Cluster {
            origin,
            name: name.into(),
            aliases: Vec::new(),
            sponsor: None,
            kind: None,
            sectors: Vec::new(),
            first_reported: None,
            related: Vec::new(),
            campaigns: Vec::new(),
            context_names: Vec::new(),
        }
    }
}

/// Index of an actor in the knowledge base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActorId(pub usize);

/// A threat actor with every name and claim the sources make about it.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The name shown first (the first source's name for it).
    pub name: String,
    /// Every name, the shown one first.
    pub names: Vec<Alias>,
    /// Suspected sponsor states, each with its source.
    pub sponsors: Vec<(String, Origin)>,
    pub kind: Option<String>,
    pub sectors: Vec<String>,
    pub first_reported: Option<String>,
    pub campaigns: Vec<Campaign>,
    /// Overlaps a source reports, by name, with the source.
    pub related: Vec<(String, Origin)>,
}

impl Actor {
    /// The first suspected sponsor.
    pub fn sponsor(&self) -> Option<&str> {
        self.sponsors.first().map(|(s, _)| s.as_str())
    }
}

/// A name two actors carry: the card says so instead of merging them.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub name: String,
    pub actors: Vec<ActorId>,
}

/// The merged knowledge base.
#[derive(Debug, Default)]
pub struct KnowledgeBase {
    actors: Vec<Actor>,
    /// Folded name to the actors carrying it, the one whose own name it is first.
    names: HashMap<String, Vec<ActorId>>,
}

/// Merges clusters into actors (see the module documentation for the rule).
#[derive(Debug, Default)]
pub struct Builder {
    kb: KnowledgeBase,
    /// Folded names breachdesk's own list gives, to the actor.
    curated: HashMap<String, ActorId>,
    /// Folded shown names, to the actor.
    primary: HashMap<String, ActorId>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Add one source's view of a group.
    pub fn add(&mut self, c: Cluster) {
        let key = fold(&c.name);
        let target = self.primary.get(&key).or_else(|| self.curated.get(&key)).copied();
        let id = match target {
            Some(id) => id,
            None => {
                let id = ActorId(self.kb.actors.len());
                self.kb.actors.push(Actor {
                    name: c.name.clone(),
                    names: Vec::new(),
                    sponsors: Vec::new(),
                    kind: None,
                    sectors: Vec::new(),
                    first_reported: None,
                    campaigns: Vec::new(),
                    related: Vec::new(),
                });
                self.primary.insert(key, id);
                id
            }
        };
        let curated = c.origin == Origin::Curated;
        let context: Vec<String> = c.context_names.iter().map(|n| fold(n)).collect();
        let actor = &mut self.kb.actors[id.0];
        let names = std::iter::once((c.name.clone(), None)).chain(c.aliases.iter().cloned());
        for (name, vendor) in names {
            let folded = fold(&name);
            if folded.is_empty() {
                continue;
            }
            let needs_context = context.contains(&folded) || !curated && is_everyday_shape(&name);
            match actor.names.iter_mut().find(|a| fold(&a.name) == folded) {
                Some(a) => {
                    if !a.origins.contains(&c.origin) {
                        a.origins.push(c.origin.clone());
                    }
                    if a.vendor.is_none() {
                        a.vendor = vendor;
                    }
                    a.needs_context &= needs_context;
                }
                None => actor.names.push(Alias { name, vendor, origins: vec![c.origin.clone()], needs_context }),
            }
            if curated {
                self.curated.entry(folded).or_insert(id);
            }
        }
        if let Some(s) = c.sponsor.as_deref().and_then(country_name)
            && !actor.sponsors.iter().any(|(x, o)| x == s && *o == c.origin)
        {
            actor.sponsors.push((s.to_string(), c.origin.clone()));
        }
        if actor.kind.is_none() {
            actor.kind = c.kind;
        }
        for s in c.sectors {
            let s = s.to_lowercase();
            if !actor.sectors.contains(&s) {
                actor.sectors.push(s);
            }
        }
        if actor.first_reported.is_none() {
            actor.first_reported = c.first_reported;
        }
        actor.campaigns.extend(c.campaigns);
        for r in c.related {
            actor.related.push((r, c.origin.clone()));
        }
    }

    /// Finish: index every name.
    pub fn build(mut self) -> KnowledgeBase {
        let mut names: HashMap<String, Vec<ActorId>> = HashMap::new();
        for (i, actor) in self.kb.actors.iter().enumerate() {
            for alias in &actor.names {
                let ids = names.entry(fold(&alias.name)).or_default();
                if !ids.contains(&ActorId(i)) {
                    ids.push(ActorId(i));
                }
            }
        }
        // The actor whose own name it is comes first, then the curated claim.
        for (name, ids) in names.iter_mut() {
            let actors = &self.kb.actors;
            ids.sort_by_key(|id| {
                let a = &actors[id.0];
                let own = fold(&a.name) == *name;
                let curated = a.names.iter().any(|n| fold(&n.name) == *name && n.origins.contains(&Origin::Curated));
                (!own, !curated, id.0)
            });
        }
        self.kb.names = names;
        self.kb
    }
}

/// A single plain word ("Cobalt", "Mirage"): from an imported file, it is
/// taken as an actor only near words about groups.
fn is_everyday_shape(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
}

/// Whether a name is a place and nothing else: a country (ISO short name,
/// common names, "U.K."), its people ("Ukrainians"), or a world region
/// ("the Americas", "Southeast Asia"). Countries come from the `keshvar`
/// crate's ISO 3166 data; a word of a longer name ("Ontario" in "BORN
/// Ontario") is not a place. States and provinces are left out: "Ryuk hit
/// Louisiana" names the state's government as the victim.
pub fn is_place(name: &str) -> bool {
    static PLACES: std::sync::LazyLock<std::collections::HashSet<String>> = std::sync::LazyLock::new(|| {
        const REGIONS: &[&str] = &[
            "americas",
            "north america",
            "south america",
            "latin america",
            "central america",
            "asia",
            "southeast asia",
            "south asia",
            "east asia",
            "central asia",
            "asia pacific",
            "asia-pacific",
            "apac",
            "emea",
            "europe",
            "eastern europe",
            "western europe",
            "africa",
            "middle east",
            "oceania",
            "caribbean",
            "scandinavia",
            "balkans",
            "baltics",
            "uk",
            "us",
            "usa",
            "eu",
            "america",
        ];
        let mut set: std::collections::HashSet<String> = REGIONS.iter().map(|r| r.to_string()).collect();
        let people = |s: &str| [format!("{s}s"), format!("{s} people")];
        // "Southeast Asian", "North American", "European".
        for region in REGIONS {
            if region.ends_with('a') {
                set.insert(format!("{region}n"));
            } else if region.ends_with('e') {
                set.insert(format!("{region}an"));
            }
        }
        for c in keshvar::CountryIterator::new() {
            set.insert(c.iso_short_name().to_lowercase());
            set.extend(c.unofficial_name_list().iter().map(|n| n.to_lowercase()));
            if let Some(n) = c.maybe_nationality() {
                set.insert(n.to_lowercase());
                set.extend(people(&n.to_lowercase()));
            }
        }
        set
    });
    let t = name.trim().trim_start_matches("the ").trim_start_matches("The ");
    let lower = t.to_lowercase();
    let bare: String = lower.chars().filter(|c| *c != '.').collect();
    PLACES.contains(&lower) || PLACES.contains(&bare) || country_name(t).is_some()
}

/// A country's common English name from an ISO code or a formal name.
pub fn country_name(s: &str) -> Option<&'static str> {
    let t = s.trim();
    let lower = t.to_lowercase();
    COUNTRIES
        .iter()
        .find(|(code, _, names)| t.eq_ignore_ascii_case(code) || names.contains(&lower.as_str()))
        .map(|(_, display, _)| *display)
}

/// ISO 3166 code, common name, and the names sources use (lower case), for
/// the states threat reporting names.
const COUNTRIES: &[(&str, &str, &[&str])] = &[
    ("CN", "China", &["china", "people's republic of china", "prc"]),
    ("RU", "Russia", &["russia", "russian federation"]),
    (
        "KP",
        "North Korea",
        &["north korea", "korea (democratic people's republic of)", "dprk", "democratic people's republic of korea"],
    ),
    ("KR", "South Korea", &["south korea", "korea (republic of)", "republic of korea"]),
    ("IR", "Iran", &["iran", "iran (islamic republic of)", "islamic republic of iran"]),
    ("US", "United States", &["united states", "united states of america", "usa", "u.s."]),
    ("GB", "United Kingdom", &["united kingdom", "uk", "u.k."]),
    ("IL", "Israel", &["israel"]),
    ("IN", "India", &["india"]),
    ("PK", "Pakistan", &["pakistan"]),
    ("VN", "Vietnam", &["vietnam", "viet nam"]),
    ("BY", "Belarus", &["belarus"]),
    ("UA", "Ukraine", &["ukraine"]),
    ("LB", "Lebanon", &["lebanon"]),
    ("TR", "Turkey", &["turkey", "türkiye"]),
    ("SY", "Syria", &["syria", "syrian arab republic"]),
    ("PS", "Palestine", &["palestine"]),
    ("AE", "United Arab Emirates", &["united arab emirates"]),
    ("KZ", "Kazakhstan", &["kazakhstan"]),
    ("FR", "France", &["france"]),
    ("DE", "Germany", &["germany"]),
    ("ES", "Spain", &["spain"]),
    ("NG", "Nigeria", &["nigeria"]),
    ("BR", "Brazil", &["brazil"]),
];

/// breachdesk's own list, compiled in: used when `knowledge.actors` is empty.
pub const BUNDLED: &str = include_str!("../../data/actors.toml");

impl KnowledgeBase {
    /// Load breachdesk's list (the file given, else the bundled copy) and
    /// the imported files named in the settings.
    pub fn load(
        curated: Option<&Path>,
        attack: &[impl AsRef<Path>],
        misp: &[impl AsRef<Path>],
    ) -> Result<KnowledgeBase, KbError> {
        let mut b = Builder::new();
        let clusters = match curated {
            Some(path) => curated::load(path)?,
            None => curated::parse(BUNDLED).map_err(|reason| KbError::Parse {
                path: "the bundled data/actors.toml".into(),
                format: "TOML",
                reason,
            })?,
        };
        for c in clusters {
            b.add(c);
        }
        for path in attack {
            for c in stix::load(path.as_ref())? {
                b.add(c);
            }
        }
        for path in misp {
            for c in misp::load(path.as_ref())? {
                b.add(c);
            }
        }
        Ok(b.build())
    }

    /// Every actor.
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.0]
    }

    /// Actors carrying this name, the one whose own name it is (else the
    /// one breachdesk's list gives it to) first.
    pub fn lookup(&self, name: &str) -> &[ActorId] {
        self.names.get(&fold(name)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The actor a name most likely means.
    pub fn resolve(&self, name: &str) -> Option<ActorId> {
        self.lookup(name).first().copied()
    }

    /// Names this actor shares with other actors.
    pub fn conflicts(&self, id: ActorId) -> Vec<Conflict> {
        let mut out = Vec::new();
        for alias in &self.actors[id.0].names {
            let ids = self.lookup(&alias.name);
            if ids.len() > 1 {
                out.push(Conflict { name: alias.name.clone(), actors: ids.to_vec() });
            }
        }
        out
    }

    /// Every (name, actor, needs context) pair, for recognisers.
    pub fn all_names(&self) -> impl Iterator<Item = (&str, ActorId, bool)> {
        self.actors
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.names.iter().map(move |n| (n.name.as_str(), ActorId(i), n.needs_context)))
    }

    /// A number that changes when the names or sponsors change, so stored
    /// facts can be extracted again with the new knowledge.
    pub fn fingerprint(&self) -> u64 {
        let mut h = blake3::Hasher::new();
        for a in &self.actors {
            h.update(a.name.as_bytes());
            for n in &a.names {
                h.update(b"\x1f");
                h.update(n.name.as_bytes());
                h.update(if n.needs_context { b"c" } else { b"-" });
            }
            for (s, _) in &a.sponsors {
                h.update(b"\x1e");
                h.update(s.as_bytes());
            }
            h.update(b"\x1d");
        }
        u64::from_le_bytes(h.finalize().as_bytes()[..8].try_into().expect("8 bytes"))
    }
}

/// Read a file whole, naming it on failure.
fn read(path: &Path) -> Result<String, KbError> {
    std::fs::read_to_string(path).map_err(|e| KbError::Read { path: path.display().to_string(), reason: e.to_string() })
}

#[cfg(test)]
mod tests;
