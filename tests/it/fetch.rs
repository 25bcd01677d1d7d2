//! Safe fetching against web sites on loopback: what is allowed, what each
//! rule refuses, and the limits.

use std::time::Duration;

use breachdesk::fetch::{Expect, FetchError, Fetcher, Policy, Rule};

use crate::site::{Page, Site};

fn fetcher(allow: &[&str], max_bytes: u64) -> Fetcher {
    Fetcher::new(Policy {
        allow: allow.iter().map(|a| a.parse().unwrap()).collect(),
        max_bytes,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_millis(1500),
        max_redirects: 3,
        user_agent: "breachdesk-test".into(),
    })
    .unwrap()
}

const PAGE: &str = "<html><head><title>Port operator breached</title></head><body><article><p>The port operator said intruders reached its billing system.</p></article></body></html>";

#[tokio::test]
async fn loopback_is_refused_unless_allowed() {
    let site = Site::start().await;
    site.html("/a", PAGE);
    let closed = fetcher(&[], 100_000);
    match closed.fetch(&site.url("/a"), Expect::Page).await {
        Err(FetchError::Refused { rule: Rule::Loopback, .. }) => {}
        other => panic!("{other:?}"),
    }
    // By name too: the resolver refuses what `localhost` resolves to.
    let by_name = site.url("/a").replace("127.0.0.1", "localhost");
    let err = closed.fetch(&by_name, Expect::Page).await.unwrap_err();
    assert!(matches!(err, FetchError::Refused { rule: Rule::Loopback, .. }), "{err:?}");
    assert!(err.to_string().starts_with("localhost resolves to"), "{err}");
    assert_eq!(site.hits("/a"), 0, "nothing reached the server");

    let open = fetcher(&["127.0.0.1/32"], 100_000);
    let page = open.fetch(&site.url("/a"), Expect::Page).await.unwrap();
    assert_eq!(page.media, "text/html");
    assert_eq!(page.body, PAGE.as_bytes());
    assert_eq!(site.hits("/a"), 1);
}

#[tokio::test]
async fn every_redirect_hop_is_checked_again() {
    // The start page is on 127.0.0.2 (allowed); it redirects to 127.0.0.1.
    let start = Site::start_on("127.0.0.2").await;
    let target = Site::start().await;
    target.html("/story", PAGE);
    start.set("/go", Page::Redirect(target.url("/story")));

    let err = fetcher(&["127.0.0.2/32"], 100_000).fetch(&start.url("/go"), Expect::Page).await.unwrap_err();
    assert!(matches!(err, FetchError::Refused { rule: Rule::Loopback, .. }), "{err:?}");
    assert_eq!(target.hits("/story"), 0);

    let both = fetcher(&["127.0.0.2/32", "127.0.0.1/32"], 100_000);
    let page = both.fetch(&start.url("/go"), Expect::Page).await.unwrap();
    assert_eq!(page.url.as_str(), target.url("/story"));
    assert_eq!(target.hits("/story"), 1);

    // Redirects to the metadata address or another scheme are refused by name.
    start.set("/meta", Page::Redirect("http://169.254.169.254/latest/meta-data/".into()));
    let err = both.fetch(&start.url("/meta"), Expect::Page).await.unwrap_err();
    assert!(matches!(err, FetchError::Refused { rule: Rule::LinkLocal, .. }), "{err:?}");
    start.set("/file", Page::Redirect("file:///etc/passwd".into()));
    assert!(matches!(both.fetch(&start.url("/file"), Expect::Page).await, Err(FetchError::Scheme(s)) if s == "file"));
    // A loop stops at the limit.
    start.set("/loop", Page::Redirect("/loop".into()));
    assert!(matches!(both.fetch(&start.url("/loop"), Expect::Page).await, Err(FetchError::TooManyRedirects(3))));
}

#[tokio::test]
async fn credentials_in_addresses_are_never_sent() {
    let start = Site::start().await;
    let target = Site::start_on("127.0.0.2").await;
    target.html("/story", PAGE);
    // Credentials in the address asked for, and in a redirect's target.
    let with_credentials = target.url("/story").replace("http://", "http://user:secretpw@");
    start.set("/go", Page::Redirect(with_credentials.clone()));
    let f = fetcher(&["127.0.0.1/32", "127.0.0.2/32"], 100_000);
    let page = f.fetch(&start.url("/go").replace("http://", "http://user:secretpw@"), Expect::Page).await.unwrap();
    assert_eq!(page.url.as_str(), target.url("/story"), "the address kept has no credentials");
    let page = f.fetch(&with_credentials, Expect::Page).await.unwrap();
    assert!(!page.url.as_str().contains("secretpw"));
    assert_eq!((start.hits("/go"), target.hits("/story")), (1, 2));
    assert_eq!((start.authorized("/go"), target.authorized("/story")), (0, 0), "no request carried credentials");
}

#[tokio::test]
async fn limits_size_time_and_type() {
    let site = Site::start().await;
    let f = fetcher(&["127.0.0.1/32"], 5_000_000);
    // 10 MB streamed without a length: stopped while streaming.
    site.set("/big", Page::Stream(10_000_000));
    let err = f.fetch(&site.url("/big"), Expect::Page).await.unwrap_err();
    assert!(matches!(err, FetchError::TooLarge(5_000_000)), "{err:?}");
    assert!(err.to_string().contains("ingest.max_file_bytes"));
    // Announced as too large: refused before reading.
    site.set("/big2", Page::Body(200, "text/html", vec![b'x'; 6_000_000]));
    assert!(matches!(f.fetch(&site.url("/big2"), Expect::Page).await, Err(FetchError::TooLarge(_))));
    // A page that never answers: the total timeout.
    site.set("/slow", Page::Hang);
    let err = f.fetch(&site.url("/slow"), Expect::Page).await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout(1500, "timeout_ms")), "{err:?}");
    // Not a page.
    site.set("/img", Page::Body(200, "image/png", vec![0x89, b'P', b'N', b'G']));
    let err = f.fetch(&site.url("/img"), Expect::Page).await.unwrap_err();
    assert_eq!(err.to_string(), "content type `image/png` is not HTML, plain text or Markdown");
    // A page is not a feed.
    site.html("/page", PAGE);
    assert!(matches!(f.fetch(&site.url("/page"), Expect::Feed).await, Err(FetchError::ContentType { .. })));
    // Errors of the server are named.
    assert!(matches!(f.fetch(&site.url("/missing"), Expect::Page).await, Err(FetchError::Status(404))));
}

#[tokio::test]
async fn ingest_url_on_the_command_line() {
    let site = Site::start().await;
    site.html(
        "/a",
        &PAGE
            .replace("<p>The port", "<p>The port operator Northwind Ports said the intrusion began in March. The port"),
    );
    let home = crate::util::Home::new();
    let url = site.url("/a");
    let run = move |env: Vec<(&'static str, &'static str)>| {
        let (home_cmd, url) = (home.cmd(), url.clone());
        tokio::task::spawn_blocking(move || {
            let mut cmd = home_cmd;
            for (k, v) in env {
                cmd.env(k, v);
            }
            cmd.args(["ingest", &url]).output().unwrap()
        })
    };
    // Loopback is refused by default: exit 3, the rule named, nothing stored.
    let out = run(vec![]).await.unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = crate::util::stderr(&out);
    assert!(err.contains("loopback addresses are refused") && err.contains("fetch.allow"), "{err}");
    assert!(crate::util::stdout(&out).contains("0 added"));
    assert_eq!(site.hits("/a"), 0);
    let out = run(vec![("BREACHDESK__FETCH__ALLOW", "127.0.0.1/32")]).await.unwrap();
    assert!(out.status.success(), "{}", crate::util::stderr(&out));
    let text = crate::util::stdout(&out);
    assert!(text.contains("1 added"), "{text}");
    // What the page held, as /ingest url says it.
    assert!(
        text.contains("Added: Port operator breached") && text.contains("Victims:") && text.contains("Statements:"),
        "{text}"
    );
}
