//! The lexicons behind statement and incident-fact extraction, kept in one
//! place so that the rules can be read and extended without touching the
//! matching code: one list per concept, each with what it is for.
//!
//! Stances (see [`Stance`]):
//! - `denial`: the speaker rejects a claim: *deny, reject, dismiss, refute*,
//!   or *say/stress/insist* that something was **not** stolen, compromised,
//!   affected or involved.
//! - `no_comment`: *declined / chose not / refused to comment*, *did not
//!   respond*, *could not be reached*, *was not available for comment*, and
//!   negated disclosure verbs: *would not confirm*, *has not disclosed*,
//!   *did not share*, *could not go into details*.
//! - `accusation`: *accuse, blame, allege, attribute, link … to*, and any
//!   reporting verb whose complement names a state or a named group as the
//!   perpetrator of an intrusion.
//! - `confirmation`: *confirm, acknowledge, admit, verify*, and *disclose,
//!   reveal, announce* when the speaker speaks of its own incident.
//! - `warning`: *warn, caution, urge, advise, recommend, alert, threaten*.
//! - `assessment`: *believe, assess, think, estimate, conclude, suggest,
//!   appear, indicate*, analyses that *show*, and rhetorical questions.
//! - `claim`: every other reporting verb (*say, tell, state, add, explain,
//!   write, report, according to, …*).
//!
//! Negation and modality change the verb's stance: *did not deny* is a
//! claim, *would not confirm* is no_comment.

use serde::{Deserialize, Serialize};

/// What a statement does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Denial,
    NoComment,
    Accusation,
    Confirmation,
    Claim,
    Warning,
    Assessment,
}

impl Stance {
    pub const ALL: [Stance; 7] = [
        Stance::Denial,
        Stance::NoComment,
        Stance::Accusation,
        Stance::Confirmation,
        Stance::Claim,
        Stance::Warning,
        Stance::Assessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Denial => "denial",
            Stance::NoComment => "no_comment",
            Stance::Accusation => "accusation",
            Stance::Confirmation => "confirmation",
            Stance::Claim => "claim",
            Stance::Warning => "warning",
            Stance::Assessment => "assessment",
        }
    }

    /// Parse a stance name as users type it ("denial", "no comment", "denials").
    pub fn parse(s: &str) -> Option<Stance> {
        let k: String = s.trim().to_lowercase().replace([' ', '-'], "_");
        let k = k.trim_end_matches('s');
        Stance::ALL.into_iter().find(|st| st.as_str() == k || (k == "no_comment" && *st == Stance::NoComment))
    }
}

/// The class a reporting verb gives before negation and content are weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbClass {
    /// say, tell, state, add, ...
    Say,
    /// confirm, acknowledge, admit, verify
    Confirm,
    /// disclose, reveal, announce: confirmation about oneself, else claim
    Disclose,
    Deny,
    Accuse,
    Warn,
    Assess,
    /// claim, allege-neutral verbs whose subject asserts something
    Claim,
}

/// Reporting verbs by lemma, with their class: the cue lemmas of the
/// attributions in the shared corpus and PolNeAR-dev that occur at least
/// twice (counted over the parse of every gold statement: the head verb of
/// the speaker's subject), plus their near synonyms. The stance each class
/// starts from is documented at the top of this module.
pub const VERBS: &[(&str, VerbClass)] = &[
    ("say", VerbClass::Say),
    ("tell", VerbClass::Say),
    ("state", VerbClass::Say),
    ("add", VerbClass::Say),
    ("explain", VerbClass::Say),
    ("note", VerbClass::Say),
    ("write", VerbClass::Say),
    ("post", VerbClass::Say),
    ("tweet", VerbClass::Say),
    ("report", VerbClass::Say),
    ("describe", VerbClass::Say),
    ("argue", VerbClass::Say),
    ("testify", VerbClass::Say),
    ("assure", VerbClass::Say),
    ("document", VerbClass::Say),
    ("remind", VerbClass::Say),
    ("stress", VerbClass::Say),
    ("emphasize", VerbClass::Say),
    ("emphasise", VerbClass::Say),
    ("highlight", VerbClass::Say),
    ("insist", VerbClass::Say),
    ("maintain", VerbClass::Say),
    ("ask", VerbClass::Say),
    ("call", VerbClass::Say),
    ("cite", VerbClass::Say),
    ("speak", VerbClass::Say),
    ("respond", VerbClass::Say),
    ("reply", VerbClass::Say),
    ("comment", VerbClass::Say),
    ("declare", VerbClass::Say),
    ("assert", VerbClass::Say),
    ("recall", VerbClass::Say),
    ("agree", VerbClass::Say),
    ("complain", VerbClass::Say),
    ("mention", VerbClass::Say),
    ("point", VerbClass::Say),
    ("list", VerbClass::Claim),
    ("claim", VerbClass::Claim),
    ("confirm", VerbClass::Confirm),
    ("acknowledge", VerbClass::Confirm),
    ("admit", VerbClass::Confirm),
    ("verify", VerbClass::Confirm),
    ("disclose", VerbClass::Disclose),
    ("reveal", VerbClass::Disclose),
    ("announce", VerbClass::Disclose),
    ("deny", VerbClass::Deny),
    ("reject", VerbClass::Deny),
    ("dismiss", VerbClass::Deny),
    ("refute", VerbClass::Deny),
    ("rebuff", VerbClass::Deny),
    ("dispute", VerbClass::Deny),
    ("accuse", VerbClass::Accuse),
    ("blame", VerbClass::Accuse),
    ("allege", VerbClass::Accuse),
    ("attribute", VerbClass::Accuse),
    ("link", VerbClass::Accuse),
    ("condemn", VerbClass::Accuse),
    ("denounce", VerbClass::Accuse),
    ("criticize", VerbClass::Accuse),
    ("criticise", VerbClass::Accuse),
    ("charge", VerbClass::Accuse),
    ("fine", VerbClass::Accuse),
    ("warn", VerbClass::Warn),
    ("caution", VerbClass::Warn),
    ("urge", VerbClass::Warn),
    ("advise", VerbClass::Warn),
    ("recommend", VerbClass::Warn),
    ("threaten", VerbClass::Warn),
    ("demand", VerbClass::Warn),
    ("believe", VerbClass::Assess),
    ("assess", VerbClass::Assess),
    ("think", VerbClass::Assess),
    ("estimate", VerbClass::Assess),
    ("conclude", VerbClass::Assess),
    ("suggest", VerbClass::Assess),
    ("indicate", VerbClass::Assess),
    ("show", VerbClass::Assess),
    ("question", VerbClass::Assess),
    ("determine", VerbClass::Assess),
    ("find", VerbClass::Say),
];

/// Verbs that report news as well as speech ("reported a breach",
/// "announced a plan", "noted the date"): a cue only with a clause, a quote,
/// `as` or a tag position.
pub const NEEDS_CLAUSE: &[&str] = &[
    "report",
    "disclose",
    "reveal",
    "announce",
    "note",
    "describe",
    "document",
    "highlight",
    "stress",
    "emphasize",
    "emphasise",
    "post",
    "indicate",
    "suggest",
    "assess",
    "estimate",
    "conclude",
    "argue",
    "maintain",
    "insist",
    "acknowledge",
    "admit",
    "show",
    "believe",
    "think",
    "state",
    "claim",
    "explain",
    "ask",
    "call",
    "cite",
    "speak",
    "respond",
    "reply",
    "comment",
    "declare",
    "assert",
    "recall",
    "agree",
    "complain",
    "mention",
    "point",
    "determine",
    "find",
    "question",
    "list",
    "demand",
    "add",
    "write",
    "tweet",
];

/// Objects that make `claim` a statement without a clause: "claimed
/// responsibility", "claimed the attack".
pub const CLAIMED: &[&str] = &["responsibility", "credit", "attack", "attacks", "breach", "hack", "intrusion"];

/// Verbs of refusing whose complement is the act refused ("declined to
/// comment", "refused to say"): a no_comment cue.
pub const REFUSALS: &[&str] = &["decline", "refuse"];

/// Acts of telling whose negation is a no_comment ("did not respond",
/// "would not confirm", "has not disclosed", "did not return a request").
pub const WITHHELD: &[&str] = &[
    "respond",
    "reply",
    "return",
    "answer",
    "comment",
    "confirm",
    "disclose",
    "say",
    "share",
    "reveal",
    "specify",
    "name",
    "identify",
    "discuss",
    "elaborate",
    "provide",
    "explain",
    "detail",
    "release",
    "publish",
];

/// The forms of a regular or listed irregular verb: base, -s, -ed, -ing.
pub fn inflections(lemma: &str) -> Vec<String> {
    let irregular: &[(&str, &[&str])] = &[
        ("say", &["say", "says", "said", "saying"]),
        ("tell", &["tell", "tells", "told", "telling"]),
        ("write", &["write", "writes", "wrote", "written", "writing"]),
        ("read", &["reads"]),
        ("think", &["think", "thinks", "thought"]),
        ("deny", &["deny", "denies", "denied", "denying"]),
        ("testify", &["testify", "testifies", "testified"]),
        ("verify", &["verify", "verifies", "verified"]),
        ("admit", &["admit", "admits", "admitted", "admitting"]),
        ("show", &["show", "shows", "showed", "shown"]),
    ];
    if let Some((_, forms)) = irregular.iter().find(|(l, _)| *l == lemma) {
        return forms.iter().map(|s| s.to_string()).collect();
    }
    let (s, ed, ing) = if let Some(stem) = lemma.strip_suffix('e') {
        (format!("{lemma}s"), format!("{lemma}d"), format!("{stem}ing"))
    } else if lemma.ends_with("ss") || lemma.ends_with("sh") || lemma.ends_with("ch") {
        (format!("{lemma}es"), format!("{lemma}ed"), format!("{lemma}ing"))
    } else {
        (format!("{lemma}s"), format!("{lemma}ed"), format!("{lemma}ing"))
    };
    vec![lemma.to_string(), s, ed, ing]
}

/// Negation words, as dependents of what they negate.
pub const NEGATIONS: &[&str] = &["not", "n't", "no", "never", "nothing", "none", "neither", "without"];

/// Lemmas of harm a speaker can deny ("no data was stolen", "was not
/// affected"); [`DENIED_HARM`] has the participle forms.
pub const HARM: &[&str] = &[
    "steal",
    "compromise",
    "affect",
    "impact",
    "access",
    "breach",
    "hack",
    "expose",
    "leak",
    "involve",
    "exfiltrate",
    "lose",
    "misuse",
    "copy",
    "intercept",
    "encrypt",
    "disrupt",
    "infect",
    "obtain",
    "acquire",
    "download",
];

/// Lemmas of an attack act: with a perpetrator named in the content, an
/// accusation ("said GroupX breached the network").
pub const ATTACK_ACTS: &[&str] = &[
    "hack",
    "breach",
    "target",
    "infect",
    "attack",
    "compromise",
    "interfere",
    "steal",
    "infiltrate",
    "spy",
    "conduct",
    "orchestrate",
    "deploy",
    "exploit",
    "launch",
    "behind",
    "responsible",
    "attribute",
    "link",
    "tie",
    "involve",
    "carry",
    "perpetrate",
    "access",
    "exfiltrate",
    "wipe",
    "destroy",
    "resemble",
    "member",
    "work",
    "nexus",
];

/// Lemmas that blame a failing ("failed to protect", "negligent"): an accusation.
pub const BLAME: &[&str] =
    &["fail", "failure", "negligent", "negligence", "violate", "inadequate", "lax", "blame", "shamelessly"];

/// Lemmas of advice and obligation in content: a warning ("need to patch").
pub const ADVICE: &[&str] = &["urge", "recommend", "advise", "encourage", "must"];

/// Lemmas a future threat is made of ("will leak the data", "will continue").
pub const THREATS: &[&str] = &[
    "leak", "publish", "sell", "release", "attack", "target", "continue", "follow", "strike", "disrupt", "destroy",
    "begin", "expose", "hit",
];

/// Nouns of risk that make content a warning ("poses a threat").
pub const THREAT_NOUNS: &[&str] = &["threat", "risk", "danger"];

/// Hedges and words of judgement: assessment content.
pub const HEDGES: &[&str] = &[
    "likely",
    "unlikely",
    "may",
    "might",
    "possibly",
    "probably",
    "perhaps",
    "appear",
    "seem",
    "suggest",
    "consistent",
    "believe",
    "think",
    "unclear",
    "wonder",
    "assess",
    "estimate",
];

/// Lemmas of a security incident (a speaker's own incident is a confirmation).
pub const INCIDENT: &[&str] = &[
    "breach",
    "hack",
    "attack",
    "cyberattack",
    "incident",
    "intrusion",
    "ransomware",
    "compromise",
    "steal",
    "exfiltrate",
    "access",
    "affect",
    "impact",
    "hit",
    "offline",
    "encrypt",
    "disrupt",
    "outage",
    "leak",
    "unauthorized",
    "detect",
    "discover",
];

/// Nouns of an incident that one can learn of ("aware of an incident").
pub const INCIDENT_NOUNS: &[&str] =
    &["incident", "attack", "attacks", "breach", "intrusion", "cyberattack", "activity", "compromise", "hack"];

/// Adjectives that state a condition, not a judgement ("is able", "was aware").
pub const STATE_ADJECTIVES: &[&str] =
    &["able", "unable", "aware", "confident", "available", "unavailable", "ready", "offline", "online", "sure"];

/// Words of falsehood: `called the claims groundless` is a denial.
pub const FALSEHOOD: &[&str] = &[
    "groundless",
    "baseless",
    "false",
    "unfounded",
    "ridiculous",
    "absurd",
    "fabricated",
    "unsubstantiated",
    "untrue",
    "nonsense",
    "lies",
    "smear",
    "slander",
];

/// Words that, in a speaker's complement, mark harm that did not happen:
/// "no data was stolen", "was not compromised".
pub const DENIED_HARM: &[&str] = &[
    "stolen",
    "compromised",
    "affected",
    "impacted",
    "accessed",
    "involved",
    "behind",
    "breached",
    "misused",
    "leaked",
    "exposed",
    "taken",
    "hacked",
    "responsible",
    "exfiltrated",
    "intercepted",
    "copied",
    "viewed",
    "obtained",
    "acquired",
    "downloaded",
];

/// Role nouns that stand for a business or a group (the rest of
/// [`is_org_role`]: public bodies are [`PUBLIC_ROLES`]).
pub const COMPANY_ROLES: &[&str] = &[
    "company",
    "firm",
    "airline",
    "retailer",
    "provider",
    "operator",
    "carrier",
    "bank",
    "platform",
    "vendor",
    "business",
    "organization",
    "organisation",
    "group",
    "gang",
    "insurer",
    "manufacturer",
    "utility",
    "hospital",
    "university",
    "service",
    "startup",
    "giant",
    "maker",
    "developer",
    "team",
];

/// Role nouns that stand for a news outlet named before ("the newspaper
/// said"): they refer to outlets, which other role nouns never do.
pub const MEDIA_ROLES: &[&str] = &["newspaper", "paper", "publication", "outlet", "daily", "broadcaster"];

/// Nouns of a person who speaks for a body ("a spokesperson for Acme"):
/// the body is their affiliation.
pub const SPOKESPEOPLE: &[&str] = &["spokesperson", "spokesman", "spokeswoman", "representative", "spokespeople"];

/// Role nouns whose body says its kind in its name ("the embassy" is an
/// embassy, "the ministry" a ministry): a reference with one of them is
/// resolved only to a body named so, never to whichever body came last.
pub const NAMED_BODIES: &[&str] =
    &["embassy", "ministry", "court", "police", "parliament", "senate", "congress", "council", "commission"];

/// Role nouns that stand for a public body; the rest stand for businesses.
pub const PUBLIC_ROLES: &[&str] = &[
    "agency",
    "watchdog",
    "regulator",
    "department",
    "ministry",
    "embassy",
    "government",
    "bureau",
    "office",
    "board",
    "committee",
    "panel",
    "council",
    "commission",
    "authority",
    "police",
    "court",
];

/// Whether a (lower-case) noun can stand for an organisation named earlier:
/// "the company", "the agency".
pub fn is_org_role(noun: &str) -> bool {
    static ROLES: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| COMPANY_ROLES.iter().chain(PUBLIC_ROLES).copied().collect());
    ROLES.contains(noun)
}

/// Titles and roles that precede or follow a person's name.
pub const TITLES: &[&str] = &[
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "spokespeople",
    "representative",
    "director",
    "ceo",
    "cto",
    "ciso",
    "cfo",
    "coo",
    "president",
    "vice",
    "chairman",
    "chair",
    "chief",
    "executive",
    "officer",
    "secretary",
    "minister",
    "commissioner",
    "head",
    "manager",
    "analyst",
    "researcher",
    "founder",
    "co-founder",
    "leader",
    "general",
    "deputy",
    "assistant",
    "senator",
    "sen.",
    "rep.",
    "ambassador",
    "adviser",
    "advisor",
    "attorney",
    "prosecutor",
    "judge",
    "professor",
    "expert",
    "engineer",
    "lead",
    "partner",
    "principal",
    "senior",
    "intelligence",
    "security",
    "threat",
    "cybersecurity",
    "national",
    "special",
    "agent",
    "governor",
    "mayor",
    "dr.",
    "mr.",
    "ms.",
    "mrs.",
    "gov.",
    "lt.",
    "gen.",
    "col.",
    "capt.",
    "sgt.",
    "rev.",
    "prof.",
    "supt.",
    "prime",
    "foreign",
    "press",
    "communications",
    "public",
    "affairs",
];

/// Whether a (lower-case) common noun denotes a person or people ("the
/// announcer", "one questioner", "two analysts"): the people nouns, the
/// titles, and agent nouns by their endings.
pub fn is_person_noun(noun: &str) -> bool {
    const ENDINGS: &[&str] = &["er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "man", "men", "ant", "ants"];
    PEOPLE_NOUNS.contains(&noun)
        || TITLES.contains(&noun)
        || ENDINGS.iter().any(|e| noun.len() > e.len() + 3 && noun.ends_with(e))
}

/// Subjects that are sources without a name.
pub const ANONYMOUS: &[&str] = &[
    "sources",
    "source",
    "people familiar",
    "person familiar",
    "familiar with",
    "officials",
    "official",
    "anonymous",
    "insiders",
    "people with knowledge",
    "person with knowledge",
    "people briefed",
];

/// Nouns that may head a speaking subject that is not a person or company:
/// documents and analyses that "say", "show" or "indicate".
pub const DOCUMENT_HEADS: &[&str] = &[
    "report",
    "analysis",
    "investigation",
    "documents",
    "document",
    "statement",
    "advisory",
    "filing",
    "release",
    "letter",
    "notice",
    "note",
    "post",
    "research",
    "study",
    "survey",
    "findings",
    "court",
    "indictment",
    "complaint",
    "affidavit",
    "warrant",
    "alert",
    "bulletin",
    "blog",
    "website",
    "page",
    "message",
    "ad",
    "poll",
    "article",
    "video",
    "clip",
    "tweet",
    "listing",
    "memo",
    "email",
    "book",
];

/// Document heads that are evidence rather than a source when nobody owns
/// them ("timeline analysis indicates"); "Acme's analysis shows" speaks.
pub const ANALYSES: &[&str] = &["analysis", "investigation", "research", "study", "survey", "findings"];

/// Lemmas of the nouns for unnamed attackers: learning what they did
/// ("was aware that the hackers had released records") confirms an incident.
pub const ATTACKER_NOUNS: &[&str] = &["hacker", "attacker", "intruder", "cybercriminal"];

/// Words that make an "Operation X" a law-enforcement action against
/// attackers ("police take over the leak site in Operation Cronos"), not
/// a campaign of theirs.
pub const LAW_ENFORCEMENT: &[&str] = &[
    "police",
    "law enforcement",
    "takedown",
    "take down",
    "took down",
    "take over",
    "took over",
    "taken over",
    "seized",
    "seizure",
    "dismantled",
    "arrested",
    "arrests",
    "europol",
    "officers",
];

/// Reporting verbs that put their speaker after them ("…," said Caddell;
/// "…," added the spokesperson). Others name whom they address ("told
/// reporters", "urged Americans").
pub const INVERTING: &[&str] = &[
    "say",
    "report",
    "add",
    "write",
    "note",
    "explain",
    "continue",
    "reply",
    "ask",
    "recall",
    "state",
    "insist",
    "comment",
    "agree",
    "warn",
    "acknowledge",
    "admit",
    "conclude",
    "argue",
    "tweet",
    "post",
    "respond",
    "confirm",
    "claim",
];

/// Head words of public bodies' names, which may hold an "and" ("the
/// Cybersecurity and Infrastructure Security Agency").
pub const BODY_HEADS: &[&str] = &[
    "agency",
    "department",
    "commission",
    "office",
    "bureau",
    "council",
    "authority",
    "administration",
    "service",
    "centre",
    "center",
    "institute",
    "ministry",
    "committee",
];

/// Plural or collective nouns that can speak: "researchers said".
pub const PEOPLE_NOUNS: &[&str] = &[
    "researcher",
    "expert",
    "analyst",
    "official",
    "investigator",
    "source",
    "actor",
    "attacker",
    "hacker",
    "person",
    "insider",
    "member",
    "employee",
    "media",
    "press",
    "researchers",
    "experts",
    "analysts",
    "officials",
    "investigators",
    "authorities",
    "sources",
    "people",
    "lawmakers",
    "senators",
    "prosecutors",
    "police",
    "agencies",
    "feds",
    "hackers",
    "attackers",
    "actors",
    "criminals",
    "members",
    "employees",
    "spokespeople",
    "representatives",
    "administrators",
    "operators",
    "affiliates",
    "victims",
    "customers",
    "users",
    "regulators",
    "executives",
    "critics",
    "aides",
    "advisers",
    "advisors",
    "allies",
    "supporters",
    "opponents",
    "staffers",
    "activists",
    "economists",
    "diplomats",
    "witnesses",
    "residents",
];

/// States whose naming as perpetrator makes a statement an accusation.
/// Prominent threat groups, named as perpetrators; the actor knowledge base
/// extends this.
pub const ACTOR_NAMES: &[&str] = &[
    "Lazarus",
    "Sandworm",
    "Kimsuky",
    "Turla",
    "REvil",
    "LockBit",
    "Cl0p",
    "Clop",
    "ALPHV",
    "BlackCat",
    "Conti",
    "DarkSide",
    "ShinyHunters",
    "Lapsus$",
    "Nobelium",
    "Scattered Spider",
    "APT28",
    "APT29",
    "APT41",
];

pub const STATE_WORDS: &[&str] = &[
    "china",
    "chinese",
    "beijing",
    "prc",
    "russia",
    "russian",
    "moscow",
    "kremlin",
    "north korea",
    "north korean",
    "dprk",
    "pyongyang",
    "iran",
    "iranian",
    "tehran",
    "state-sponsored",
    "state-backed",
    "government-backed",
    "spies",
    "cyber-spies",
    "belarus",
    "belarusian",
    "vietnamese",
    "pakistani",
    "syrian",
    "nation-state",
    "state hackers",
    "state-linked",
];

/// A word list matched against parsed tokens: by lemma, or by any
/// inflection of its entries (a learned lemmatizer errs on rare verbs).
pub struct WordList {
    words: &'static [&'static str],
    forms: std::collections::HashSet<String>,
}

impl WordList {
    pub fn new(words: &'static [&'static str]) -> WordList {
        WordList { words, forms: words.iter().flat_map(|w| inflections(w)).collect() }
    }

    /// Whether the token is one of the list's words in any form.
    pub fn has(&self, t: &crate::nlp::Token) -> bool {
        self.words.contains(&t.lemma.to_lowercase().as_str()) || self.forms.contains(&t.lower)
    }
}

// Incident roles (read by `facts::roles` on the parse).

/// Verbs of breaking in and harming: their object, or the subject of their
/// passive, is a victim; their active subject is the perpetrator.
pub const BREACH_VERBS: &[&str] = &[
    "breach",
    "hack",
    "compromise",
    "infiltrate",
    "penetrate",
    "target",
    "attack",
    "hit",
    "strike",
    "struck",
    "cripple",
    "paralyse",
    "paralyze",
    "extort",
    "impact",
    "affect",
    "infect",
    "encrypt",
    "victimize",
    "ransom",
    "disrupt",
    "fine",
    "penalise",
    "penalize",
    "spy",
    "access",
];

/// Verbs of taking: what they take it "from" is a victim.
pub const THEFT_VERBS: &[&str] =
    &["steal", "stole", "stolen", "exfiltrate", "take", "siphon", "download", "copy", "obtain", "leak", "extract"];

/// Nouns of an intrusion: who it was "of", "at", "on" or "against" (or
/// whose it was) is a victim.
pub const BREACH_NOUNS: &[&str] = &[
    "breach",
    "hack",
    "attack",
    "cyberattack",
    "intrusion",
    "compromise",
    "incident",
    "infection",
    "theft",
    "heist",
    "leak",
    "ransomware",
    "cyber-attack",
    "extortion",
    "espionage",
    "fine",
];

/// Nouns for parts of an organisation: "the networks of X", "X's
/// customers" make X the victim.
pub const CONTAINER_NOUNS: &[&str] = &[
    "network",
    "system",
    "server",
    "infrastructure",
    "customer",
    "client",
    "user",
    "employee",
    "staff",
    "data",
    "email",
    "account",
    "database",
    "environment",
    "mailbox",
    "device",
    "computer",
    "file",
    "record",
    "inbox",
    "subsidiary",
    "division",
    "unit",
    "office",
];

/// Nouns naming the harmed party: "X was a victim", "victims include X".
pub const VICTIM_NOUNS: &[&str] = &["victim", "target"];

/// Verbs of responding to an incident: their subject (or the agent of
/// their passive) is a responder.
pub const RESPONSE_VERBS: &[&str] = &[
    "investigate",
    "assist",
    "help",
    "aid",
    "remediate",
    "analyse",
    "analyze",
    "attribute",
    "track",
    "seize",
    "dismantle",
    "freeze",
    "recover",
    "charge",
    "indict",
    "arrest",
    "prosecute",
    "uncover",
    "probe",
    "respond",
    "contain",
];

/// Verbs whose object is brought in to respond: "hired X", "notified X".
pub const ENGAGE_VERBS: &[&str] =
    &["hire", "retain", "engage", "enlist", "tap", "notify", "alert", "inform", "contact", "consult"];

/// Nouns whose "of", "from" or "by" names a responder: "with the help of
/// X", "an investigation by X".
pub const HELP_NOUNS: &[&str] =
    &["help", "assistance", "support", "investigation", "probe", "analysis", "collaboration", "cooperation"];

/// People and teams who work for a responder: "researchers at X", "X's
/// security team", "X analysts".
pub const RESEARCHER_NOUNS: &[&str] =
    &["researcher", "analyst", "expert", "investigator", "team", "specialist", "hunter"];

/// Nouns for malware and flaws: a name they head is a tool, never a
/// victim or a threat actor ("the JumblePath backdoor", "the Citrix Bleed
/// flaw"). Words for products ("software", "server") are left out: a
/// vendor's name heads them as often as a product's does.
pub const TOOL_HEADS: &[&str] = &[
    "vulnerability",
    "flaw",
    "bug",
    "zero-day",
    "malware",
    "backdoor",
    "loader",
    "trojan",
    "spyware",
    "surveillanceware",
    "wiper",
    "botnet",
    "implant",
    "rootkit",
    "ransomware",
    "variant",
    "exploit",
    "payload",
    "rat",
];

/// Nouns for products: a name introduced as one ("the program, then
/// called X") is a product's, not a group's.
pub const PRODUCT_NOUNS: &[&str] =
    &["software", "program", "product", "app", "application", "platform", "service", "tool", "appliance", "device"];

/// Verbs of using a tool: a name as their object is a tool ("exploited
/// Citrix Bleed", "deployed LockFile").
pub const USE_VERBS: &[&str] = &[
    "exploit",
    "deploy",
    "use",
    "leverage",
    "abuse",
    "install",
    "weaponize",
    "weaponise",
    "distribute",
    "drop",
    "load",
];

/// Nouns of a weakness: the name a weakness is "in" is a product ("a flaw
/// in Ivanti Connect Secure"); a name compounded with one is its vendor.
pub const FLAW_NOUNS: &[&str] = &["vulnerability", "flaw", "bug", "zero-day", "weakness", "exploit"];

/// Verbs of a gang's listing of its victims ("added X to its leak site").
pub const LISTING_VERBS: &[&str] = &["list", "add", "post", "name", "publish"];

/// Parties a list of victims may be introduced by ("organizations that
/// disclosed breaches include ...").
pub const PARTY_NOUNS: &[&str] =
    &["organization", "organisation", "company", "entity", "firm", "agency", "business", "institution"];

/// Objects of a response: "led the investigation", "issued an advisory"
/// (a reward offered for the perpetrators is not one).
pub const RESPONSE_OBJECTS: &[&str] =
    &["investigation", "probe", "response", "advisory", "alert", "analysis", "takedown", "inquiry"];

/// Words that introduce the members of a list ("companies including X").
pub const LIST_MARKERS: &[&str] = &["including", "such", "like", "among", "namely"];

/// Verbs of a researcher's finding: "X found that the hackers ...", "X
/// confirms that the group is targeting ...".
pub const FINDING_VERBS: &[&str] = &[
    "reveal", "find", "discover", "uncover", "observe", "document", "detail", "spot", "report", "warn", "see",
    "confirm",
];

/// Nouns for a group of perpetrators (beside [`ATTACKER_NOUNS`]), as the
/// subject of a finding's content: "X found that the group uses ...".
pub const GROUP_NOUNS: &[&str] = &["actor", "group", "gang", "operator", "crew", "criminal", "affiliate"];

/// Verbs whose "with" names a partner in the response: "worked with X".
pub const PARTNER_VERBS: &[&str] = &["work", "partner", "cooperate", "collaborate", "coordinate"];

// Incident facts (read by `facts`).

/// Words that make a sentence about how groups relate, not what one did.
pub const RELATIONSHIP_CUES: &[&str] = &[
    "overlap",
    "overlaps",
    "overlapping",
    "crossover",
    "ties to",
    "tied to",
    "linked to",
    "links to",
    "associated with",
    "connected to",
    "connections to",
    "affiliated with",
    "both groups",
    "two groups",
    "the groups",
    "confusion",
    "confused with",
    "similar to",
    "resembl",
    "members of",
    "also in",
    "distinct from",
    "different from",
];

/// States and the words that name them in attributions.
pub const STATES: &[(&str, &[&str])] = &[
    ("China", &["china", "chinese", "beijing", "prc", "china-nexus"]),
    ("Russia", &["russia", "russian", "moscow", "kremlin"]),
    ("North Korea", &["north korea", "north korean", "pyongyang", "dprk"]),
    ("Iran", &["iran", "iranian", "tehran"]),
    ("Belarus", &["belarus", "belarusian"]),
    ("Vietnam", &["vietnam", "vietnamese"]),
    ("Pakistan", &["pakistan", "pakistani"]),
    ("India", &["india", "indian"]),
];

/// Sector lexicon: a word stem and the sector it points to.
pub const SECTORS: &[(&str, &str)] = &[
    ("telecom", "telecommunications"),
    ("telecommunication", "telecommunications"),
    ("carrier", "telecommunications"),
    ("broadband", "telecommunications"),
    ("internet service provider", "telecommunications"),
    ("wireless", "telecommunications"),
    ("hospital", "healthcare"),
    ("healthcare", "healthcare"),
    ("health care", "healthcare"),
    ("patient", "healthcare"),
    ("pharmac", "healthcare"),
    ("bank", "financial services"),
    ("financial", "financial services"),
    ("fintech", "financial services"),
    ("payment", "financial services"),
    ("insurer", "insurance"),
    ("insurance", "insurance"),
    ("crypto", "cryptocurrency"),
    ("blockchain", "cryptocurrency"),
    ("retail", "retail"),
    ("retailer", "retail"),
    ("airline", "aviation"),
    ("aviation", "aviation"),
    ("airport", "aviation"),
    ("energy", "energy"),
    ("utility", "energy"),
    ("utilities", "energy"),
    ("power grid", "energy"),
    ("pipeline", "energy"),
    ("oil and gas", "energy"),
    ("water", "water"),
    ("government", "government"),
    ("ministry", "government"),
    ("federal agenc", "government"),
    ("university", "education"),
    ("universities", "education"),
    ("school", "education"),
    ("education", "education"),
    ("manufactur", "manufacturing"),
    ("defense contractor", "defense"),
    ("defence", "defense"),
    ("military", "defense"),
    ("cloud", "technology"),
    ("software", "technology"),
    ("semiconductor", "technology"),
    ("hotel", "hospitality"),
    ("casino", "hospitality"),
    ("hospitality", "hospitality"),
    ("law firm", "legal"),
    ("newspaper", "media"),
    ("broadcaster", "media"),
    ("critical infrastructure", "critical infrastructure"),
    ("router", "network devices"),
    ("shipping", "transportation"),
    ("logistics", "transportation"),
];

/// Words without which a sentence names no date, besides a year and the
/// month and weekday names of [`dates`]: abbreviations and relative phrases.
pub const DATE_WORDS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "yesterday",
    "last week",
    "last month",
    "last year",
    "this week",
    "this month",
    "this year",
    "past few",
    "past several",
    "the past",
    "the last",
];

/// What was accessed or stolen: the noun phrase after an access verb that
/// ends in a word for data.
/// Verbs of access and theft: without one a sentence says nothing was taken.
pub const ACCESS_VERBS: &[&str] = &[
    "stole",
    "stolen",
    "steal",
    "exfiltrat",
    "access",
    "obtained",
    "leaked",
    "exposed",
    "took",
    "taken",
    "copied",
    "downloaded",
    "compromised",
    "siphoned",
    "harvested",
    "encrypted",
];

/// Capitalised words that open a sentence without starting a name.
pub const LEADING_WORDS: &[&str] = &[
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "With",
    "After",
    "Before",
    "During",
    "Since",
    "Until",
    "Like",
    "Unlike",
    "When",
    "While",
    "As",
    "If",
    "Although",
    "But",
    "And",
    "Or",
    "So",
    "Then",
    "Also",
    "According",
    "Last",
    "Next",
    "Early",
    "Late",
];

/// Nouns that end the name of a body ("... Threat Intelligence Group").
pub const HEAD_NOUNS: &[&str] = &[
    "Office",
    "Team",
    "Group",
    "Unit",
    "Center",
    "Centre",
    "Agency",
    "Department",
    "Division",
    "Commission",
    "Service",
    "Bureau",
    "Council",
    "Authority",
    "Ministry",
    "Police",
    "Command",
];

/// Capitalised names that are never victims or responders.
pub const NOT_ORGS: &[&str] = &[
    "Reuters",
    "Bloomberg",
    "CNN",
    "BBC News",
    "The Record",
    "Associated Press",
    "AP",
    "Read",
    "Related",
    "Internet",
    "Feds",
    "Hackers",
    "Attackers",
    "Researchers",
    "Officials",
    "Investigators",
    "Experts",
    "Analysts",
    "BleepingComputer",
    "The Register",
    "TechCrunch",
    "The Verge",
    "Wired",
    "Ireland",
    "Italy",
    "Spain",
    "Netherlands",
    "Taiwan",
    "Singapore",
    "Wednesday",
    "Thursday",
    "Friday",
    "Monday",
    "Tuesday",
    "Saturday",
    "Sunday",
    "English",
    "Windows",
    // Technical acronyms that look like names.
    "MFA",
    "SSO",
    "ISP",
    "VPN",
    "IT",
    "API",
    "SMS",
    "OTP",
    "CRM",
    "SaaS",
    "DNS",
    "IP",
    "CEO",
    "CTO",
    "CISO",
    "ODM",
    "SOHO",
    "AI",
    "PII",
    "SSN",
    "SSNs",
    "DOB",
    "DOBs",
    "RDP",
    "EDR",
    "OAuth",
    "VoIP",
    "ICS",
    "OT",
];

/// Public bodies whose naming in an incident story is their response
/// (investigating, advising, prosecuting): one of these words in the name.
/// Bodies that only sanction, condemn or offer rewards (a treasury, a
/// foreign ministry) are not responders (annotation guidelines).
pub const RESPONDER_BODIES: &[&str] = &[
    "fbi",
    "cisa",
    "nsa",
    "ncsc",
    "europol",
    "interpol",
    "justice department",
    "department of justice",
    "doj",
    "secret service",
    "police",
    "cert",
    "csirt",
    "information commissioner",
    "ico",
    "national crime agency",
    "nca",
    "bsi",
    "anssi",
    "acsc",
    "cyber command",
    "law enforcement",
    "homeland security",
];

/// Stems of the response cues: a sentence without one (and without breach
/// words) assigns no role, so its names are not examined.
pub const RESPONSE_CUES: &[&str] = &[
    "investigat",
    "assist",
    "help",
    "hired",
    "retain",
    "engag",
    "brought in",
    "called in",
    "enlist",
    "tapped",
    "working",
    "worked",
    "works with",
    "partner",
    "research",
    "analyst",
    "expert",
    "notif",
    "alert",
    "inform",
    "report",
    "aid",
    "participat",
    "involved",
    "fine",
    "penali",
    "charged",
    "indict",
    "arrest",
    "sanction",
    "seek",
    "sought",
    "asked the public",
    "reward",
    "advisory",
    "froze",
    "frozen",
    "freez",
    "seiz",
    "disrupt",
    "dismantl",
    "took down",
    "taken down",
    "block",
    "recover",
    "remediat",
    "contain",
    "track",
    "analy",
    "attribut",
    "team",
    "respond",
    "response",
    "lead",
    "led ",
    "support",
    "fbi",
    "cisa",
    "nsa",
    "ncsc",
    "police",
    "cert",
    "justice",
    "law enforcement",
    "authorit",
    "commission",
];

/// Words that end a noun phrase: a described victim never holds one.
pub const CLAUSE_WORDS: &[&str] = &[
    "when", "while", "who", "that", "which", "by", "for", "with", "to", "from", "on", "in", "at", "as", "after",
    "before", "calling", "called", "and", "or", "is", "was", "were", "are", "its", "their", "his", "her",
];

/// People a business serves: a name right before one is whose they are
/// ("Salesforce customers"), not the party hit.
pub const SERVED_PEOPLE: &[&str] = &["victims", "customers", "users", "clients", "subscribers"];

/// Possessives that make a phrase the writer's own ("our experts").
pub const FIRST_PERSON_POSSESSIVES: &[&str] = &["our", "my", "your"];

/// Praise a description of a firm carries that says nothing of who it is
/// ("a leading, highly reputable firm"): left out of described responders.
pub const PRAISE_WORDS: &[&str] =
    &["leading", "top", "reputable", "highly", "renowned", "well-known", "respected", "world-class", "premier"];

/// Words that show a sentence is about a breach.
pub const BREACH_WORDS: &[&str] = &[
    "breach",
    "breached",
    "hack",
    "hacked",
    "hackers",
    "attack",
    "attacks",
    "attacked",
    "compromise",
    "compromised",
    "intrusion",
    "stole",
    "stolen",
    "victim",
    "victims",
    "targeted",
    "ransomware",
    "exfiltrated",
    "extortion",
    "leak",
    "leaked",
    "infiltrated",
    "affected",
    "impacted",
    "impacting",
    "affecting",
    "cyberattack",
    "incident",
    "target",
    "targets",
    "targeting",
    "theft",
    "heist",
    "extort",
    "extorted",
    "spied",
    "spying",
    "exposed",
    "exposing",
    "breaches",
    "breaching",
    "unauthorized access",
    "unauthorised access",
    "hacking",
    "intrusions",
];

/// Titles of one office holder written before a name ("Gov.", "Governor",
/// "Mr.", "President"): the capitalised words after one are a person's
/// name ("Former Pennsylvania Gov. Ed Rendell" is Ed Rendell).
pub const PERSON_TITLES: &[&str] = &[
    "gov.",
    "governor",
    "sen.",
    "senator",
    "rep.",
    "representative",
    "congressman",
    "congresswoman",
    "gen.",
    "general",
    "lt.",
    "lieutenant",
    "col.",
    "colonel",
    "capt.",
    "captain",
    "sgt.",
    "sergeant",
    "rev.",
    "reverend",
    "prof.",
    "professor",
    "dr.",
    "doctor",
    "supt.",
    "superintendent",
    "mr.",
    "mrs.",
    "ms.",
    "president",
    "mayor",
    "judge",
    "chancellor",
    "speaker",
];

/// Given names borne mostly by women, for the agreement of "she" with an
/// earlier speaker ("Hillary Clinton ... she said"). Names common to both
/// sexes (Terry, Jordan, Kelly, Leslie, Dana, Chris, Pat, Sam, Alex) are on
/// neither list, so they agree with either pronoun.
pub const FEMALE_GIVEN_NAMES: &[&str] = &[
    "abigail",
    "aisha",
    "alice",
    "alison",
    "allison",
    "amanda",
    "amber",
    "amy",
    "andrea",
    "angela",
    "ann",
    "anna",
    "anne",
    "annie",
    "ashley",
    "barbara",
    "becky",
    "betty",
    "beverly",
    "brenda",
    "brittany",
    "carly",
    "carol",
    "carolyn",
    "catherine",
    "charlotte",
    "chelsea",
    "cheryl",
    "christina",
    "christine",
    "claire",
    "condoleezza",
    "cynthia",
    "danielle",
    "deborah",
    "debbie",
    "debra",
    "denise",
    "diana",
    "diane",
    "donna",
    "doris",
    "dorothy",
    "eleanor",
    "elena",
    "elizabeth",
    "ellen",
    "emily",
    "emma",
    "erica",
    "erin",
    "esther",
    "evelyn",
    "fatima",
    "frances",
    "gina",
    "gloria",
    "grace",
    "hannah",
    "heather",
    "heidi",
    "helen",
    "hillary",
    "hilary",
    "holly",
    "huma",
    "ingrid",
    "irene",
    "isabella",
    "ivanka",
    "jacinda",
    "jacqueline",
    "jane",
    "janet",
    "janice",
    "jean",
    "jennifer",
    "jenny",
    "jessica",
    "jill",
    "joan",
    "joanna",
    "joy",
    "joyce",
    "judith",
    "judy",
    "julia",
    "julie",
    "kamala",
    "karen",
    "kate",
    "katherine",
    "kathleen",
    "kathryn",
    "katie",
    "kayla",
    "kellyanne",
    "kimberly",
    "kirsten",
    "kristen",
    "kristin",
    "laura",
    "lauren",
    "leah",
    "linda",
    "lisa",
    "liz",
    "loretta",
    "lori",
    "lucy",
    "madeleine",
    "margaret",
    "maria",
    "marie",
    "marilyn",
    "marissa",
    "martha",
    "mary",
    "megan",
    "meg",
    "melania",
    "melanie",
    "melissa",
    "michelle",
    "michele",
    "miriam",
    "monica",
    "nancy",
    "naomi",
    "natalia",
    "natalie",
    "nicole",
    "nikki",
    "nina",
    "olga",
    "olivia",
    "pamela",
    "patricia",
    "patti",
    "paula",
    "priya",
    "rachel",
    "rebecca",
    "rita",
    "rosa",
    "rose",
    "ruth",
    "sally",
    "samantha",
    "sandra",
    "sara",
    "sarah",
    "sharon",
    "sheryl",
    "shirley",
    "sonia",
    "sophia",
    "stephanie",
    "susan",
    "suzanne",
    "svetlana",
    "sylvia",
    "tammy",
    "tanya",
    "tara",
    "teresa",
    "theresa",
    "tina",
    "tulsi",
    "ursula",
    "valerie",
    "vanessa",
    "veronica",
    "victoria",
    "virginia",
    "wendy",
    "yvonne",
    "zoe",
];

/// Given names borne mostly by men, for the agreement of "he" with an
/// earlier speaker (see [`FEMALE_GIVEN_NAMES`]).
pub const MALE_GIVEN_NAMES: &[&str] = &[
    "aaron",
    "adam",
    "ahmed",
    "al",
    "alan",
    "albert",
    "alexander",
    "alexei",
    "ali",
    "andrew",
    "anthony",
    "antonio",
    "arthur",
    "austin",
    "barack",
    "ben",
    "benjamin",
    "bernie",
    "bill",
    "billy",
    "bob",
    "bobby",
    "boris",
    "brad",
    "brandon",
    "brian",
    "bruce",
    "bryan",
    "carl",
    "carlos",
    "charles",
    "chuck",
    "corey",
    "christopher",
    "dan",
    "daniel",
    "dave",
    "david",
    "dennis",
    "dick",
    "dmitry",
    "donald",
    "douglas",
    "dylan",
    "ed",
    "eddie",
    "edward",
    "elijah",
    "elon",
    "emmanuel",
    "eric",
    "ethan",
    "eugene",
    "francois",
    "fran\u{e7}ois",
    "frank",
    "fred",
    "gary",
    "george",
    "gerald",
    "gordon",
    "greg",
    "gregory",
    "hank",
    "harold",
    "hassan",
    "henry",
    "howard",
    "hunter",
    "igor",
    "ivan",
    "jack",
    "jacob",
    "james",
    "jared",
    "jason",
    "jeb",
    "jeff",
    "jeffrey",
    "jeremy",
    "jerry",
    "jim",
    "jimmy",
    "joe",
    "john",
    "johnny",
    "jonathan",
    "jorge",
    "jose",
    "joseph",
    "josh",
    "joshua",
    "juan",
    "justin",
    "keir",
    "keith",
    "ken",
    "kenneth",
    "kevin",
    "kofi",
    "kyle",
    "lamar",
    "larry",
    "lawrence",
    "louis",
    "luis",
    "marco",
    "mark",
    "matt",
    "matthew",
    "michael",
    "miguel",
    "mike",
    "mitch",
    "mitt",
    "mohammed",
    "muhammad",
    "nathan",
    "newt",
    "nicholas",
    "nick",
    "nigel",
    "noah",
    "olaf",
    "omar",
    "patrick",
    "paul",
    "pedro",
    "pete",
    "peter",
    "philip",
    "rahm",
    "ralph",
    "rand",
    "randy",
    "ray",
    "raymond",
    "reince",
    "rex",
    "richard",
    "rick",
    "rishi",
    "rob",
    "robert",
    "roger",
    "ronald",
    "roy",
    "rudy",
    "russell",
    "ryan",
    "samuel",
    "satya",
    "scott",
    "sean",
    "sergei",
    "sergey",
    "silvio",
    "stephen",
    "steve",
    "steven",
    "sundar",
    "ted",
    "thomas",
    "tim",
    "timothy",
    "todd",
    "tom",
    "tony",
    "troy",
    "tyler",
    "vincent",
    "vladimir",
    "walter",
    "wayne",
    "william",
    "willie",
    "yevgeny",
    "zachary",
];

/// Words that mark the person named right after them as a woman: titles
/// ("Ms. Moore") and roles ("spokeswoman Jane Roe", "his wife, Ann").
pub const FEMALE_MARKERS: &[&str] = &[
    "mrs",
    "ms",
    "miss",
    "madam",
    "dame",
    "lady",
    "queen",
    "princess",
    "spokeswoman",
    "congresswoman",
    "chairwoman",
    "businesswoman",
    "councilwoman",
    "congresswomen",
    "wife",
    "mother",
    "daughter",
    "sister",
    "widow",
    "grandmother",
    "actress",
    "girlfriend",
];

/// Words that mark the person named right after them as a man (see
/// [`FEMALE_MARKERS`]).
pub const MALE_MARKERS: &[&str] = &[
    "mr",
    "sir",
    "lord",
    "king",
    "prince",
    "spokesman",
    "congressman",
    "businessman",
    "councilman",
    "husband",
    "father",
    "son",
    "brother",
    "widower",
    "grandfather",
    "boyfriend",
];

/// Lower-case particles inside a person's name ("Bill de Blasio", "Ursula
/// von der Leyen"): a run of capitalised words goes on over them.
pub const NAME_PARTICLES: &[&str] = &["de", "van", "von", "der", "den", "da", "di", "del", "della", "du", "bin", "ibn"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stance_names_parse() {
        assert_eq!(Stance::parse("denial"), Some(Stance::Denial));
        assert_eq!(Stance::parse("Denials"), Some(Stance::Denial));
        assert_eq!(Stance::parse("no comment"), Some(Stance::NoComment));
        assert_eq!(Stance::parse("no_comment"), Some(Stance::NoComment));
        assert_eq!(Stance::parse("wiretap"), None);
    }

    #[test]
    fn inflections_cover_regular_and_irregular_verbs() {
        assert_eq!(inflections("deny"), vec!["deny", "denies", "denied", "denying"]);
        assert_eq!(inflections("warn"), vec!["warn", "warns", "warned", "warning"]);
        assert_eq!(inflections("confirm"), vec!["confirm", "confirms", "confirmed", "confirming"]);
        assert!(inflections("stress").contains(&"stresses".to_string()));
        assert!(inflections("state").contains(&"stated".to_string()));
    }
}
