use super::*;

const RSS_091: &str = r#"<?xml version="1.0"?><rss version="0.91"><channel><title>Old wire</title><link>http://wire.example/</link><description>d</description>
<item><title>Refinery reports intrusion</title><link>http://wire.example/refinery?utm_source=feed#top</link><description>The refinery said an intruder reached its badge system.</description></item>
</channel></rss>"#;

const RSS_10: &str = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="http://wire.example/"><title>RDF wire</title><link>http://wire.example/</link><description>d</description></channel>
<item rdf:about="http://wire.example/refinery"><title>Refinery reports intrusion</title><link>http://wire.example/refinery</link><description>The refinery said an intruder reached its badge system.</description></item>
</rdf:RDF>"#;

#[test]
fn rss_091_and_10_items_have_the_same_link_and_text_keys() {
    let old = parse(RSS_091.as_bytes(), "http://wire.example/rss").unwrap();
    let rdf = parse(RSS_10.as_bytes(), "http://wire.example/rdf").unwrap();
    let k_old = item_keys("http://wire.example/rss", &old.entries[0]);
    let k_rdf = item_keys("http://wire.example/rdf", &rdf.entries[0]);
    // RSS 0.91 has no GUID: no generated one stands in for it.
    assert!(!k_old.iter().any(|k| k.starts_with("guid:")), "{k_old:?}");
    assert!(k_old.contains(&"link:http://wire.example/refinery".to_string()), "{k_old:?}");
    let link_and_hash =
        |keys: &[String]| -> Vec<String> { keys.iter().filter(|k| !k.starts_with("guid:")).cloned().collect() };
    assert_eq!(link_and_hash(&k_old), link_and_hash(&k_rdf));
    // Parsing again gives the same keys: nothing generated at random.
    let again = parse(RSS_091.as_bytes(), "http://wire.example/rss").unwrap();
    assert_eq!(item_keys("http://wire.example/rss", &again.entries[0]), k_old);
}

#[test]
fn a_broken_feed_is_a_parse_error() {
    let err = parse(b"<html><body>not a feed</body></html>", "http://x.example/").unwrap_err();
    assert!(err.to_string().starts_with("the feed could not be parsed"), "{err}");
    assert!(parse(b"\0\x01\x02", "http://x.example/").is_err());
}

#[test]
fn feed_html_is_reduced_to_text() {
    let text = crate::clean::html::fragment_text(
        "<p>The ferry operator said &ldquo;no data&rdquo; was lost &amp; sailings continue.</p><p>Second&#160;part &#x2014; done.<br/>Third</p><!-- <p>hidden</p> -->",
    );
    let paras: Vec<&str> = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    assert_eq!(
        paras,
        vec![
            "The ferry operator said \u{201c}no data\u{201d} was lost & sailings continue.",
            "Second\u{a0}part \u{2014} done.",
            "Third"
        ]
    );
}
