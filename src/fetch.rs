//! Safe fetching of untrusted web addresses: feed items, links shared in
//! chat, Discord attachments.
//!
//! Every fetch goes through the same rules, and every refusal is a
//! [`FetchError`] naming the rule that refused it:
//! - only `http` and `https`;
//! - the address a host resolves to is checked before connecting, by the
//!   resolver the HTTP client connects with (so the address checked is the
//!   address used), and again for every redirect, which is followed here,
//!   hop by hop, never by the client: loopback, private, link-local (cloud
//!   metadata at 169.254.169.254 included), unique-local, multicast,
//!   unspecified, IPv4-mapped IPv6 and the other special-purpose ranges are
//!   refused unless `fetch.allow` names them ([`check_ip`]);
//! - a size cap enforced while the body streams in, connect and total
//!   timeouts, a redirect limit, and a content-type check per [`Expect`];
//! - no proxy from the environment: a proxy would connect on our behalf to
//!   addresses this module never sees.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

use crate::model::Format;

/// Why an address may not be fetched: the special-purpose range it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Loopback,
    Private,
    /// 169.254.0.0/16 and fe80::/10, where cloud metadata services live.
    LinkLocal,
    UniqueLocal,
    Multicast,
    Unspecified,
    Broadcast,
    /// 100.64.0.0/10, carrier-grade NAT.
    SharedAddressSpace,
    Documentation,
    Benchmarking,
    /// An IPv4 address written as IPv6 (`::ffff:a.b.c.d`), which would
    /// otherwise smuggle any IPv4 address past the IPv6 rules.
    Ipv4Mapped,
    /// IPv6 forms that carry or translate to an IPv4 address (NAT64, 6to4,
    /// Teredo, IPv4-compatible).
    Ipv4Embedded,
    /// Any other range reserved by IANA (0.0.0.0/8, 192.0.0.0/24, 240.0.0.0/4,
    /// IPv6 outside 2000::/3, ...).
    Reserved,
}

impl Rule {
    /// The rule as an error message names it.
    pub fn describe(self) -> &'static str {
        match self {
            Rule::Loopback => "loopback addresses are refused",
            Rule::Private => "private network addresses are refused",
            Rule::LinkLocal => "link-local addresses (cloud metadata among them) are refused",
            Rule::UniqueLocal => "unique-local IPv6 addresses are refused",
            Rule::Multicast => "multicast addresses are refused",
            Rule::Unspecified => "the unspecified address is refused",
            Rule::Broadcast => "the broadcast address is refused",
            Rule::SharedAddressSpace => "shared (carrier-grade NAT) addresses are refused",
            Rule::Documentation => "documentation addresses are refused",
            Rule::Benchmarking => "benchmarking addresses are refused",
            Rule::Ipv4Mapped => "IPv4-mapped IPv6 addresses are refused",
            Rule::Ipv4Embedded => "IPv6 addresses that embed an IPv4 address are refused",
            Rule::Reserved => "reserved special-purpose addresses are refused",
        }
    }
}

/// Why a fetch failed or was refused. Each variant names the address or the
/// rule; the text is safe to show in chat.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("`{0}` is not a web address")]
    BadUrl(String),
    #[error("only http and https addresses are fetched, not `{0}:`")]
    Scheme(String),
    #[error("{host} resolves to {addr}: {} (add it to fetch.allow to permit it)", .rule.describe())]
    Refused { host: String, addr: IpAddr, rule: Rule },
    #[error("{host} could not be resolved: {reason}")]
    Resolve { host: String, reason: String },
    #[error("more than {0} redirects (fetch.max_redirects)")]
    TooManyRedirects(usize),
    #[error("a redirect without a usable Location header")]
    BadRedirect,
    #[error("the response is larger than {0} bytes (ingest.max_file_bytes)")]
    TooLarge(u64),
    #[error("no answer within {0} ms (fetch.{1})")]
    Timeout(u64, &'static str),
    #[error("content type `{found}` is not {expected}")]
    ContentType { found: String, expected: &'static str },
    #[error("the server answered {0}")]
    Status(u16),
    #[error("the connection failed: {0}")]
    Connect(String),
    /// This process was started without a fetcher (a test, or a transport that never fetches).
    #[error("fetching is turned off in this process")]
    Disabled,
}

/// What a fetch expects, which decides the content types accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// An article page: HTML, plain text or Markdown.
    Page,
    /// An RSS, Atom or JSON feed.
    Feed,
    /// A file shared in chat: as a page, or no content type at all (the file
    /// name then decides).
    Attachment,
}

impl Expect {
    fn accept(self) -> &'static str {
        match self {
            Expect::Page | Expect::Attachment => {
                "text/html, application/xhtml+xml, text/plain;q=0.8, text/markdown;q=0.8"
            }
            Expect::Feed => {
                "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8"
            }
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Expect::Page | Expect::Attachment => "HTML, plain text or Markdown",
            Expect::Feed => "an RSS, Atom or JSON feed",
        }
    }

    /// Whether a media type (lower case, parameters removed) is acceptable.
    fn allows(self, media: &str) -> bool {
        match self {
            Expect::Page | Expect::Attachment => page_format(media).is_some(),
            Expect::Feed => matches!(
                media,
                "application/rss+xml"
                    | "application/atom+xml"
                    | "application/rdf+xml"
                    | "application/feed+json"
                    | "application/json"
                    | "application/xml"
                    | "text/xml"
            ),
        }
    }
}

/// The ingest format of a page's media type.
pub fn page_format(media: &str) -> Option<Format> {
    match media {
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "text/plain" => Some(Format::Text),
        "text/markdown" | "text/x-markdown" => Some(Format::Markdown),
        _ => None,
    }
}

/// A fetched body.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The address the body came from, after redirects.
    pub url: Url,
    /// The media type, lower case, without parameters; empty when the server sent none.
    pub media: String,
    pub body: Vec<u8>,
}

/// The limits of every fetch.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Networks that may be fetched from although a [`Rule`] would refuse them.
    pub allow: Vec<IpNet>,
    pub max_bytes: u64,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_redirects: usize,
    pub user_agent: String,
}

impl Policy {
    /// The policy the settings describe.
    pub fn from_settings(s: &crate::config::Settings) -> Policy {
        Policy {
            allow: s.fetch.allow_nets.clone(),
            max_bytes: s.ingest.max_file_bytes,
            connect_timeout: Duration::from_millis(s.fetch.connect_timeout_ms),
            timeout: Duration::from_millis(s.fetch.timeout_ms),
            max_redirects: s.fetch.max_redirects,
            user_agent: s.fetch.user_agent.clone(),
        }
    }
}

/// Whether `ip` may be fetched from: `Err` names the rule that refuses it.
/// Addresses inside a network of `allow` are always permitted.
pub fn check_ip(ip: IpAddr, allow: &[IpNet]) -> Result<(), Rule> {
    if allow.iter().any(|n| n.contains(&ip)) {
        return Ok(());
    }
    match ip {
        IpAddr::V4(v4) => check_v4(v4),
        IpAddr::V6(v6) => check_v6(v6),
    }
}

fn check_v4(ip: Ipv4Addr) -> Result<(), Rule> {
    let o = ip.octets();
    let rule = if ip.is_unspecified() {
        Rule::Unspecified
    } else if ip.is_loopback() {
        Rule::Loopback
    } else if ip.is_private() {
        Rule::Private
    } else if ip.is_link_local() {
        Rule::LinkLocal
    } else if ip.is_multicast() {
        Rule::Multicast
    } else if ip.is_broadcast() {
        Rule::Broadcast
    } else if ip.is_documentation() {
        Rule::Documentation
    } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
        Rule::SharedAddressSpace
    } else if o[0] == 198 && (o[1] & 0xfe) == 18 {
        Rule::Benchmarking
    } else if o[0] == 0
        || o[0] >= 240
        || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        || (o[0] == 192 && o[1] == 88 && o[2] == 99)
    {
        Rule::Reserved
    } else {
        return Ok(());
    };
    Err(rule)
}

fn check_v6(ip: Ipv6Addr) -> Result<(), Rule> {
    let s = ip.segments();
    let rule = if ip.is_unspecified() {
        Rule::Unspecified
    } else if ip.is_loopback() {
        Rule::Loopback
    } else if ip.to_ipv4_mapped().is_some() {
        Rule::Ipv4Mapped
    } else if ip.is_multicast() {
        Rule::Multicast
    } else if (s[0] & 0xffc0) == 0xfe80 || (s[0] & 0xffc0) == 0xfec0 {
        Rule::LinkLocal
    } else if (s[0] & 0xfe00) == 0xfc00 {
        Rule::UniqueLocal
    } else if s[0] == 0x2001 && s[1] == 0x0db8 || s[0] == 0x3fff && s[1] < 0x1000 {
        Rule::Documentation
    } else if s[0] == 0x0064 && s[1] == 0xff9b || s[0] == 0x2002 || (s[0] == 0x2001 && s[1] == 0) || s[..6] == [0; 6] {
        // NAT64, 6to4, Teredo, IPv4-compatible.
        Rule::Ipv4Embedded
    } else if s[0] == 0x2001 && s[1] < 0x0200 {
        // 2001::/23, IETF protocol assignments (benchmarking among them).
        Rule::Reserved
    } else if (s[0] & 0xe000) != 0x2000 {
        // Outside global unicast 2000::/3: discard, reserved, unassigned.
        Rule::Reserved
    } else {
        return Ok(());
    };
    Err(rule)
}

/// Parse a user-given address and check its scheme. Credentials in it
/// (`user:password@`) are dropped: breachdesk never sends, stores, logs or
/// shows them, and so never passes them on to a redirect target.
pub fn parse_http(raw: &str) -> Result<Url, FetchError> {
    let mut url = Url::parse(raw.trim()).map_err(|_| FetchError::BadUrl(clip(raw)))?;
    strip_credentials(&mut url);
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(FetchError::Scheme(other.to_string())),
    }
    if url.host().is_none() {
        return Err(FetchError::BadUrl(clip(raw)));
    }
    Ok(url)
}

pub use crate::address::strip_credentials;

/// An address as it may appear in a message: at most 200 characters, and
/// without the `user:password@` part even when the address does not parse.
fn clip(s: &str) -> String {
    let s = match s.find("://") {
        Some(i) => {
            let rest = &s[i + 3..];
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{}{}", &s[..i + 3], &rest[at + 1..]),
                None => s.to_string(),
            }
        }
        None => s.to_string(),
    };
    s.chars().take(200).collect()
}

/// An address written as an IP literal is checked here: the client does not
/// resolve it, so the resolver never sees it.
fn check_literal(url: &Url, allow: &[IpNet]) -> Result<(), FetchError> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    check_ip(ip, allow).map_err(|rule| FetchError::Refused { host: ip.to_string(), addr: ip, rule })
}

/// The resolver the client connects with: a host is refused when any of its
/// addresses is (a name that mixes public and private addresses is a
/// rebinding trick, not a misconfiguration to work around).
struct SafeResolver {
    allow: Arc<Vec<IpNet>>,
}

impl Resolve for SafeResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| FetchError::Resolve { host: host.clone(), reason: e.to_string() })?
                .collect();
            if addrs.is_empty() {
                return Err(FetchError::Resolve { host, reason: "no addresses".into() }.into());
            }
            for a in &addrs {
                if let Err(rule) = check_ip(a.ip(), &allow) {
                    return Err(FetchError::Refused { host, addr: a.ip(), rule }.into());
                }
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Fetches under a [`Policy`]. Cheap to share; one connection pool.
pub struct Fetcher {
    client: reqwest::Client,
    policy: Policy,
}

impl Fetcher {
    pub fn new(policy: Policy) -> Result<Fetcher, FetchError> {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(SafeResolver { allow: Arc::new(policy.allow.clone()) }))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(policy.connect_timeout)
            .user_agent(policy.user_agent.clone())
            .build()
            .map_err(|e| FetchError::Connect(e.to_string()))?;
        Ok(Fetcher { client, policy })
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Fetch `raw` under the policy, following redirects hop by hop.
    pub async fn fetch(&self, raw: &str, expect: Expect) -> Result<Fetched, FetchError> {
        let total = self.policy.timeout;
        match tokio::time::timeout(total, self.fetch_within(raw, expect)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(total.as_millis() as u64, "timeout_ms")),
        }
    }

    /// [`Fetcher::fetch`] from synchronous code: on the current runtime
    /// when there is one (call it from a blocking thread, never from a
    /// runtime worker), else on a small runtime of its own.
    pub fn fetch_blocking(&self, raw: &str, expect: Expect) -> Result<Fetched, FetchError> {
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => handle.block_on(self.fetch(raw, expect)),
            Err(_) => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| FetchError::Connect(e.to_string()))?
                .block_on(self.fetch(raw, expect)),
        }
    }

    async fn fetch_within(&self, raw: &str, expect: Expect) -> Result<Fetched, FetchError> {
        let mut url = parse_http(raw)?;
        let mut hops = 0;
        loop {
            check_literal(&url, &self.policy.allow)?;
            let response = self
                .client
                .get(url.clone())
                .header(reqwest::header::ACCEPT, expect.accept())
                .send()
                .await
                .map_err(|e| self.explain(e))?;
            let status = response.status();
            if status.is_redirection() {
                hops += 1;
                if hops > self.policy.max_redirects {
                    return Err(FetchError::TooManyRedirects(self.policy.max_redirects));
                }
                let location = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or(FetchError::BadRedirect)?;
                let next = url.join(location).map_err(|_| FetchError::BadRedirect)?;
                url = parse_http(next.as_str())?;
                tracing::debug!(to = %url, hop = hops, "following a redirect");
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Status(status.as_u16()));
            }
            return self.read(url, response, expect).await;
        }
    }

    async fn read(&self, url: Url, mut response: reqwest::Response, expect: Expect) -> Result<Fetched, FetchError> {
        let media = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        let acceptable = if media.is_empty() { expect == Expect::Attachment } else { expect.allows(&media) };
        if !acceptable {
            let found = if media.is_empty() { "(none)".to_string() } else { clip(&media) };
            return Err(FetchError::ContentType { found, expected: expect.expected() });
        }
        let max = self.policy.max_bytes;
        if response.content_length().is_some_and(|n| n > max) {
            return Err(FetchError::TooLarge(max));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.explain(e))? {
            if (body.len() + chunk.len()) as u64 > max {
                return Err(FetchError::TooLarge(max));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched { url, media, body })
    }

    /// A client error as a [`FetchError`]: the resolver's refusal when it
    /// is one, else what went wrong, without the URL (which may be long).
    fn explain(&self, e: reqwest::Error) -> FetchError {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = source {
            if let Some(ours) = s.downcast_ref::<FetchError>() {
                return ours.clone();
            }
            source = s.source();
        }
        if e.is_timeout() {
            return FetchError::Timeout(self.policy.connect_timeout.as_millis() as u64, "connect_timeout_ms");
        }
        let e = e.without_url();
        let mut text = e.to_string();
        let mut inner = std::error::Error::source(&e);
        while let Some(s) = inner {
            text = format!("{text}: {s}");
            inner = s.source();
        }
        FetchError::Connect(clip(&text))
    }
}

#[cfg(test)]
mod tests;
