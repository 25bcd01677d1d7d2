//! Web addresses as data: the lowest layer, used by config validation,
//! fetching, ingest and the store alike. No network here.

use url::Url;

/// Drop `user:password@` from an address, so it is never stored, shown,
/// logged or sent on.
pub fn strip_credentials(url: &mut Url) {
    if !url.username().is_empty() || url.password().is_some() {
        // Only addresses that cannot have credentials refuse this (no host), and they have none.
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
}

/// An http(s) address with a host, credentials stripped; `None` for
/// anything else.
pub fn http_url(raw: &str) -> Option<Url> {
    let mut url = Url::parse(raw.trim()).ok()?;
    strip_credentials(&mut url);
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then_some(url)
}

/// The key a web address is known by: no credentials, no fragment, no
/// tracking parameters (`utm_*`, `pk_*`, `source`, `rss`, `fbclid`, ...). Text that is not an
/// address is kept as it is.
pub fn canonical_url(raw: &str) -> String {
    let Ok(mut u) = Url::parse(raw.trim()) else {
        return raw.trim().to_string();
    };
    strip_credentials(&mut u);
    u.set_fragment(None);
    let kept: Vec<(String, String)> =
        u.query_pairs().filter(|(k, _)| !is_tracking(k)).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    u.to_string()
}

/// Query parameters that say how a reader arrived, not which page it is:
/// campaign tags (Google's `utm_*`, Matomo's `pk_*` and `mtm_*`, AT
/// Internet's `at_*`), click ids, mailing-list and feed markers.
fn is_tracking(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["utm_", "pk_", "mtm_", "at_", "_hs"].iter().any(|p| k.starts_with(p))
        || matches!(
            k.as_str(),
            "fbclid"
                | "gclid"
                | "msclkid"
                | "yclid"
                | "igshid"
                | "mc_cid"
                | "mc_eid"
                | "mkt_tok"
                | "ref"
                | "cmpid"
                | "ocid"
                | "icid"
                | "s_cid"
                | "wt.mc_id"
                | "source"
                | "rss"
                | "feed"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_lose_credentials_fragments_and_tracking() {
        assert_eq!(
            canonical_url("https://user:pw@news.example.com/story?utm_source=x&id=7#top"),
            "https://news.example.com/story?id=7"
        );
        assert_eq!(
            canonical_url("https://news.example.com/a?source=rss&pk_campaign=feed&rss=1&mtm_source=x&page=2&_hsenc=p"),
            "https://news.example.com/a?page=2"
        );
        assert_eq!(canonical_url("https://news.example.com/a?rss"), "https://news.example.com/a");
        assert_eq!(
            http_url("https://a:b@example.com/x").map(|u| u.to_string()).as_deref(),
            Some("https://example.com/x")
        );
        for bad in ["ftp://example.com/", "not an address", "http://"] {
            assert!(http_url(bad).is_none(), "{bad}");
        }
    }
}
