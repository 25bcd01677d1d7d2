use super::*;

fn rule(addr: &str) -> Result<(), Rule> {
    check_ip(addr.parse().unwrap(), &[])
}

#[test]
fn special_purpose_addresses_are_refused_by_name() {
    let cases: &[(&str, Rule)] = &[
        ("127.0.0.1", Rule::Loopback),
        ("127.8.9.10", Rule::Loopback),
        ("::1", Rule::Loopback),
        ("10.0.0.7", Rule::Private),
        ("172.16.4.4", Rule::Private),
        ("172.31.255.255", Rule::Private),
        ("192.168.1.1", Rule::Private),
        ("169.254.169.254", Rule::LinkLocal),
        ("fe80::1", Rule::LinkLocal),
        ("fd00:ec2::254", Rule::UniqueLocal),
        ("fc00::1", Rule::UniqueLocal),
        ("224.0.0.1", Rule::Multicast),
        ("ff02::1", Rule::Multicast),
        ("0.0.0.0", Rule::Unspecified),
        ("::", Rule::Unspecified),
        ("255.255.255.255", Rule::Broadcast),
        ("100.64.0.1", Rule::SharedAddressSpace),
        ("100.127.255.254", Rule::SharedAddressSpace),
        ("192.0.2.10", Rule::Documentation),
        ("198.51.100.1", Rule::Documentation),
        ("203.0.113.9", Rule::Documentation),
        ("2001:db8::1", Rule::Documentation),
        ("198.18.0.1", Rule::Benchmarking),
        ("198.19.255.1", Rule::Benchmarking),
        ("::ffff:127.0.0.1", Rule::Ipv4Mapped),
        ("::ffff:169.254.169.254", Rule::Ipv4Mapped),
        ("::ffff:8.8.8.8", Rule::Ipv4Mapped),
        ("64:ff9b::a9fe:a9fe", Rule::Ipv4Embedded),
        ("2002:a9fe:a9fe::1", Rule::Ipv4Embedded),
        ("2001:0:4136:e378::1", Rule::Ipv4Embedded),
        ("::127.0.0.1", Rule::Ipv4Embedded),
        ("0.1.2.3", Rule::Reserved),
        ("240.0.0.1", Rule::Reserved),
        ("192.0.0.8", Rule::Reserved),
        ("100::1", Rule::Reserved),
        ("2001:2::1", Rule::Reserved),
    ];
    for (addr, want) in cases {
        assert_eq!(rule(addr), Err(*want), "{addr}");
    }
}

#[test]
fn public_addresses_pass() {
    for addr in [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.215.14",
        "172.32.0.1",
        "100.128.0.1",
        "198.20.0.1",
        "2606:4700::1111",
        "2a00:1450::1",
    ] {
        assert_eq!(rule(addr), Ok(()), "{addr}");
    }
}

#[test]
fn the_allowlist_permits_only_what_it_names() {
    let allow: Vec<IpNet> = vec!["127.0.0.1/32".parse().unwrap(), "10.9.0.0/16".parse().unwrap()];
    assert_eq!(check_ip("127.0.0.1".parse().unwrap(), &allow), Ok(()));
    assert_eq!(check_ip("10.9.3.3".parse().unwrap(), &allow), Ok(()));
    assert_eq!(check_ip("127.0.0.2".parse().unwrap(), &allow), Err(Rule::Loopback));
    assert_eq!(check_ip("10.8.0.1".parse().unwrap(), &allow), Err(Rule::Private));
    assert_eq!(check_ip("169.254.169.254".parse().unwrap(), &allow), Err(Rule::LinkLocal));
}

#[test]
fn only_http_and_https_are_parsed() {
    assert!(parse_http("https://news.example.org/a").is_ok());
    assert!(parse_http(" HTTP://Example.org ").is_ok());
    for (raw, want) in [
        ("file:///etc/passwd", "not `file:`"),
        ("gopher://x.example/", "not `gopher:`"),
        ("javascript:alert(1)", "not `javascript:`"),
        ("ftp://x.example/f", "not `ftp:`"),
        ("not a url", "not a web address"),
        ("http://", "not a web address"),
    ] {
        let err = parse_http(raw).unwrap_err().to_string();
        assert!(err.contains(want), "{raw}: {err}");
    }
}

#[test]
fn literal_addresses_are_refused_before_any_connection() {
    // No server listens anywhere here: the refusal comes before connecting.
    let fetcher = Fetcher::new(Policy {
        allow: Vec::new(),
        max_bytes: 1000,
        connect_timeout: Duration::from_millis(200),
        timeout: Duration::from_millis(500),
        max_redirects: 2,
        user_agent: "test".into(),
    })
    .unwrap();
    for (url, rule) in [
        ("http://169.254.169.254/latest/meta-data/", Rule::LinkLocal),
        ("http://[::ffff:169.254.169.254]/", Rule::Ipv4Mapped),
        ("http://10.0.0.1:8080/admin", Rule::Private),
        ("http://0.0.0.0/", Rule::Unspecified),
        ("https://[fd00::1]/", Rule::UniqueLocal),
        ("http://2130706433/", Rule::Loopback),
        ("http://0x7f.1/", Rule::Loopback),
    ] {
        match fetcher.fetch_blocking(url, Expect::Page) {
            Err(FetchError::Refused { rule: got, .. }) => assert_eq!(got, rule, "{url}"),
            other => panic!("{url}: {other:?}"),
        }
    }
    let err = fetcher.fetch_blocking("http://169.254.169.254/", Expect::Page).unwrap_err().to_string();
    assert!(err.contains("169.254.169.254") && err.contains("link-local") && err.contains("fetch.allow"), "{err}");
}

#[test]
fn credentials_in_addresses_are_dropped_everywhere() {
    let url = parse_http("http://user:secretpw@news.example.com/story?id=1").unwrap();
    assert_eq!(url.as_str(), "http://news.example.com/story?id=1");
    assert_eq!(
        crate::ingest::canonical_url("https://user:secretpw@news.example.com/story#top"),
        "https://news.example.com/story"
    );
    // An address that does not parse is still shown without its password.
    let err = parse_http("http://user:secretpw@exa mple.com/story").unwrap_err().to_string();
    assert!(!err.contains("secretpw") && !err.contains("user:"), "{err}");
    assert!(err.contains("exa mple.com/story"), "{err}");
}
