//! CVE ids and indicators of compromise: IPv4 and IPv6 addresses, domains,
//! URLs and file hashes, including the defanged forms reports use so that
//! nobody clicks them (`hxxp://`, `evil[.]com`, `10(.)0(.)0(.)1`,
//! `example(dot)org`). Values are stored refanged and shown defanged.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// What an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    Ipv4,
    Ipv6,
    Domain,
    Url,
    Md5,
    Sha1,
    Sha256,
    Email,
}

/// One indicator, refanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Indicator {
    pub kind: IndicatorKind,
    pub value: String,
}

impl Indicator {
    /// The value made safe to post: not a link, not clickable.
    pub fn defanged(&self) -> String {
        defang(&self.value)
    }
}

/// Undo the usual defanging: `hxxp` → `http`, `[.]`, `(.)`, `{.}`, `[dot]`,
/// `(dot)` → `.`, `[:]` → `:`, `[@]`, `[at]` → `@`, `[/]` → `/`.
pub fn refang(text: &str) -> String {
    static MARKS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s?[\[\(\{](\.|dot|:|@|at|/)[\]\)\}]\s?|(?-u:\b)hxxp(s?)(?-u:\b)|(?-u:\b)hXXp(s?)(?-u:\b)")
            .expect("valid regex")
    });
    MARKS
        .replace_all(text, |c: &regex::Captures<'_>| {
            if let Some(inner) = c.get(1) {
                match inner.as_str().to_ascii_lowercase().as_str() {
                    "." | "dot" => ".".to_string(),
                    ":" => ":".to_string(),
                    "@" | "at" => "@".to_string(),
                    _ => "/".to_string(),
                }
            } else {
                let s = c.get(2).or(c.get(3)).map_or("", |m| m.as_str());
                format!("http{s}")
            }
        })
        .into_owned()
}

/// Make a value unclickable: `http` → `hxxp`, dots of the host → `[.]`.
pub fn defang(value: &str) -> String {
    let v = value.replacen("https://", "hxxps://", 1).replacen("http://", "hxxp://", 1);
    match v.find("://") {
        Some(i) => {
            let rest = &v[i + 3..];
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            format!("{}{}{}", &v[..i + 3], rest[..end].replace('.', "[.]"), &rest[end..])
        }
        None if v.contains('@') => v.replace('.', "[.]").replace('@', "[@]"),
        None if v.contains(':') => v.replace(':', "[:]"),
        None => v.replace('.', "[.]"),
    }
}

/// Top-level domains a bare (not defanged) domain must end in to count:
/// common in threat reports, rare as file extensions or abbreviations.
const TLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "io", "ru", "cn", "su", "xyz", "top", "online", "site", "club", "live", "tk",
    "ml", "ga", "cf", "gq", "pw", "cc", "ws", "me", "co", "us", "uk", "de", "fr", "ir", "kp", "onion", "app", "dev",
    "cloud", "link", "shop", "store", "icu", "vip", "work", "tech", "space", "website", "host", "zip", "mov",
];

/// CVE ids in a text, upper-cased, in order of first mention.
pub fn cves(text: &str) -> Vec<String> {
    static CVE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)CVE-(\d{4})-(\d{4,7})(?-u:\b)").expect("valid regex"));
    let mut out: Vec<String> = Vec::new();
    for c in CVE.captures_iter(text) {
        let id = format!("CVE-{}-{}", &c[1], &c[2]);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Indicators in a text, refanged, in order of first mention.
pub fn indicators(text: &str) -> Vec<Indicator> {
    static URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)(?-u:\b)https?://[^\s<>"'\])]+"#).expect("valid regex"));
    static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?-u:\b)").expect("valid regex")
    });
    static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?-u:\b)").expect("valid regex")
    });
    static IPV4: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u:\b)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?-u:\b)").expect("valid regex"));
    static IPV6: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|[\s(\[,;])((?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*)")
            .expect("valid regex")
    });
    static HASH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)[0-9a-f]{32,64}(?-u:\b)").expect("valid regex"));

    let refanged = refang(text);
    let lower = text.to_lowercase();
    let mut out: Vec<Indicator> = Vec::new();
    let mut push = |kind, value: String| {
        let i = Indicator { kind, value };
        if !out.contains(&i) {
            out.push(i);
        }
    };
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for m in URL.find_iter(&refanged) {
        let v = m.as_str().trim_end_matches(['.', ',', ';', ':']);
        taken.push((m.start(), m.start() + v.len()));
        push(IndicatorKind::Url, v.to_string());
    }
    let free = |s: usize, e: usize, taken: &[(usize, usize)]| !taken.iter().any(|&(a, b)| s < b && a < e);
    for m in EMAIL.find_iter(&refanged) {
        if free(m.start(), m.end(), &taken) {
            taken.push((m.start(), m.end()));
            push(IndicatorKind::Email, m.as_str().to_lowercase());
        }
    }
    for m in IPV4.find_iter(&refanged) {
        if free(m.start(), m.end(), &taken) && m.as_str().parse::<Ipv4Addr>().is_ok() {
            taken.push((m.start(), m.end()));
            push(IndicatorKind::Ipv4, m.as_str().to_string());
        }
    }
    for c in IPV6.captures_iter(&refanged) {
        let m = c.get(1).expect("group 1");
        let v = m.as_str().trim_end_matches(':');
        if free(m.start(), m.end(), &taken) && v.matches(':').count() >= 2 && v.parse::<Ipv6Addr>().is_ok() {
            taken.push((m.start(), m.end()));
            push(IndicatorKind::Ipv6, v.to_lowercase());
        }
    }
    for m in DOMAIN.find_iter(&refanged) {
        let v = m.as_str().to_lowercase();
        let tld = v.rsplit('.').next().unwrap_or("");
        let labels_ok = v.split('.').all(|l| !l.is_empty()) && v.split('.').next().is_some_and(|l| l.len() >= 2);
        // A bare domain counts when its TLD is a usual one; a defanged one always does.
        let defanged = lower.contains(&defang(&v));
        let followed_by_at = refanged[m.end()..].starts_with('@');
        if free(m.start(), m.end(), &taken)
            && labels_ok
            && !followed_by_at
            && !v.chars().all(|c| c.is_ascii_digit() || c == '.')
            && (defanged || TLDS.contains(&tld))
        {
            taken.push((m.start(), m.end()));
            push(IndicatorKind::Domain, v);
        }
    }
    for m in HASH.find_iter(&refanged) {
        let kind = match m.as_str().len() {
            32 => IndicatorKind::Md5,
            40 => IndicatorKind::Sha1,
            64 => IndicatorKind::Sha256,
            _ => continue,
        };
        // A hash has digits and letters; a long run of one kind is something else.
        let s = m.as_str();
        if s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic()) {
            push(kind, s.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(IndicatorKind, String)> {
        indicators(text).into_iter().map(|i| (i.kind, i.value)).collect()
    }

    #[test]
    fn defanged_forms_are_refanged() {
        assert_eq!(refang("hxxps://update-check[.]example[.]net/a"), "https://update-check.example.net/a");
        assert_eq!(refang("10(.)20(.)30(.)40"), "10.20.30.40");
        assert_eq!(refang("relay(dot)fabrikam-cdn(dot)com"), "relay.fabrikam-cdn.com");
        assert_eq!(refang("ops[@]contoso-mail[.]ru"), "ops@contoso-mail.ru");
        assert_eq!(refang("hXXp://a[.]io"), "http://a.io");
    }

    #[test]
    fn indicators_of_each_kind_are_found() {
        let text = "The implant beaconed to hxxps://cdn-sync[.]fabrikam-updates[.]com/beacon and to 203.0.113[.]77, \
                    resolved relay[.]contoso-mail[.]ru, used 2001:db8::ff00:42:8329 over IPv6, wrote a file with \
                    SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 and MD5 \
                    0cc175b9c0f1b6a831c399e269772661, and mailed ops[@]tailspin-toys[.]xyz.";
        let got = values(text);
        assert!(got.contains(&(IndicatorKind::Url, "https://cdn-sync.fabrikam-updates.com/beacon".into())), "{got:?}");
        assert!(got.contains(&(IndicatorKind::Ipv4, "203.0.113.77".into())), "{got:?}");
        assert!(got.contains(&(IndicatorKind::Domain, "relay.contoso-mail.ru".into())), "{got:?}");
        assert!(got.contains(&(IndicatorKind::Ipv6, "2001:db8::ff00:42:8329".into())), "{got:?}");
        assert!(got.contains(&(
            IndicatorKind::Sha256,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into()
        )));
        assert!(got.contains(&(IndicatorKind::Md5, "0cc175b9c0f1b6a831c399e269772661".into())));
        assert!(got.contains(&(IndicatorKind::Email, "ops@tailspin-toys.xyz".into())), "{got:?}");
        // The URL's host is not listed again as a domain.
        assert!(!got.iter().any(|(k, v)| *k == IndicatorKind::Domain && v.contains("fabrikam-updates")), "{got:?}");
    }

    #[test]
    fn prose_is_not_an_indicator() {
        let text = "The U.S. agency, i.e. CISA, said version 2.4.1 of the tool in config.yaml was patched on 3.5 million devices.";
        assert_eq!(values(text), vec![]);
        assert_eq!(values("It rose 999.999.1.1 percent"), vec![], "not an address: octets over 255");
    }

    #[test]
    fn indicators_are_shown_defanged() {
        let url = Indicator { kind: IndicatorKind::Url, value: "https://cdn.fabrikam.com/x.js".into() };
        assert_eq!(url.defanged(), "hxxps://cdn[.]fabrikam[.]com/x.js");
        let ip = Indicator { kind: IndicatorKind::Ipv4, value: "203.0.113.77".into() };
        assert_eq!(ip.defanged(), "203[.]0[.]113[.]77");
        let v6 = Indicator { kind: IndicatorKind::Ipv6, value: "2001:db8::1".into() };
        assert_eq!(v6.defanged(), "2001[:]db8[:][:]1");
    }

    #[test]
    fn cve_ids_are_normalised_and_deduplicated() {
        assert_eq!(
            cves("Flaws cve-2024-3400 and CVE-2023-34362 (and again CVE-2024-3400) were used."),
            ["CVE-2024-3400", "CVE-2023-34362"]
        );
    }
}
