use super::*;

fn body(c: &Cleaned) -> Vec<&str> {
    c.paragraphs.iter().map(|p| p.text.as_str()).collect()
}

/// A scraped news page: navigation, share buttons, repeated headline and
/// caption, a truncated lede, the story, then a teaser of an unrelated story.
const SCRAPED: &str = "\
Skip to content

Menu
Home
World
Technology

Harbor authority confirms ransomware outage at cargo terminals

Share
Tweet
Email

Cranes stand idle at the northern container terminal on Monday...
Cranes stand idle at the northern container terminal on Monday (Photo by Ana Ruiz/Example Wire)

Harbor authority confirms ransomware outage at cargo terminals

By Dana Whitfield

March 4, 2025

The regional harbor authority said on Monday that a ransomware attack had disrupted booking systems at three cargo terminals, forcing staff to process trucks by hand.

The authority's spokesperson, Mara Lind, said the intrusion was detected early on Sunday and that backups were intact. \"We isolated the affected servers within the hour,\" she said.

Investigators from the national cyber agency are assisting, according to two people familiar with the response. Trucks queued for several kilometres while the terminals ran on paper forms.

Read also:

Comments

Latest

City council approves new bicycle lanes downtown

City council approves new bicycle lanes downtown The council voted seven to two on Tuesday to add protected lanes along the river road, a plan residents debated for years.

Members Public
";

#[test]
fn scraped_page_keeps_only_the_story() {
    let c = clean_text(SCRAPED);
    assert_eq!(c.title.as_deref(), Some("Harbor authority confirms ransomware outage at cargo terminals"));
    assert_eq!(c.byline.as_deref(), Some("Dana Whitfield"));
    assert_eq!(c.published.map(|d| d.date_naive().to_string()).as_deref(), Some("2025-03-04"));
    let b = body(&c);
    assert_eq!(b.len(), 3, "{b:#?}");
    assert!(b[0].starts_with("The regional harbor authority said on Monday"));
    assert!(b[2].ends_with("ran on paper forms."));
    let all = b.join("\n");
    for junk in ["Skip to", "Tweet", "Share", "Menu", "Photo by", "bicycle", "Members Public", "Read also", "Latest"] {
        assert!(!all.contains(junk), "`{junk}` survived cleaning:\n{all}");
    }
}

#[test]
fn paragraphs_carry_sentence_spans() {
    let c = clean_text(SCRAPED);
    let p = &c.paragraphs[1];
    let sentences: Vec<&str> = p.sentence_texts().collect();
    assert_eq!(sentences.len(), 2);
    assert_eq!(sentences[1], "\"We isolated the affected servers within the hour,\" she said.");
}

#[test]
fn header_lines_give_metadata() {
    let c = clean_text(
        "Source: https://news.example.org/a/1\nTitle: Water utility breach\nPublished: 2024-05-02\nAuthor: Sam Okafor\n\nThe utility said attackers reached its billing network but not its treatment plants.\n",
    );
    assert_eq!(c.source.as_deref(), Some("https://news.example.org/a/1"));
    assert_eq!(c.title.as_deref(), Some("Water utility breach"));
    assert_eq!(c.byline.as_deref(), Some("Sam Okafor"));
    assert_eq!(c.published.unwrap().to_rfc3339(), "2024-05-02T00:00:00+00:00");
    assert_eq!(body(&c).len(), 1);
}

#[test]
fn a_source_header_must_be_a_web_address() {
    let c = clean_text(
        "Source: javascript:alert(1)\n\nThe utility said attackers reached its billing network on Friday.\n",
    );
    assert_eq!(c.source, None);
}

#[test]
fn markdown_links_images_and_headings() {
    let c = clean_text(
        "# Lender discloses breach\n\n![header](https://img.example/x.jpg)\n\nThe lender [said in a filing](https://example.com/filing) that **customer records** were copied.\n\n## What was taken\n\nNames and account numbers were exposed, the filing said.\n",
    );
    assert_eq!(c.title.as_deref(), Some("Lender discloses breach"));
    assert_eq!(
        body(&c),
        vec![
            "The lender said in a filing that customer records were copied.",
            "What was taken",
            "Names and account numbers were exposed, the filing said.",
        ]
    );
    assert!(c.paragraphs[1].heading);
    assert!(c.paragraphs[1].sentences.is_empty());
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let c = clean_text(
        "Wrapped story title here\n\nThe agency said the attackers had used stolen\ncredentials to reach the mail server, and that\nno classified systems were affected.\n",
    );
    assert_eq!(
        body(&c),
        vec![
            "The agency said the attackers had used stolen credentials to reach the mail server, and that no classified systems were affected."
        ]
    );
}

#[test]
fn a_teaser_label_mid_story_drops_only_its_list() {
    let c = clean_text(
        "Breach at the port\n\nThe first paragraph of the story explains that the port was hit on Monday by a ransomware crew.\n\nRelated\n\nAirline fixes booking bug\n\nBank fined over outage\n\nThe second paragraph says the crew demanded a ransom, which the port refused to pay, officials said. The third sentence adds that recovery took a week and cost millions of dollars in lost revenue and overtime for the port.\n\nThe closing paragraph notes that the port has since hired outside responders and rebuilt its network from clean backups over a month.\n",
    );
    let b = body(&c);
    assert_eq!(b.len(), 3, "{b:#?}");
    assert!(!b.join(" ").contains("Airline"));
}

#[test]
fn a_reports_references_end_the_story() {
    let c = clean_text(
        "Loader tied to two clusters\n\nThe researchers link the loader to two clusters of activity that ran from 2021 into 2022 against manufacturers and banks.\n\nThe first cluster stole designs; the second deployed ransomware after a short stay, the researchers said in their report on Tuesday.\n\nReferences\n\nRoe, Jane. \u{201c}A look at the Kestrel group.\u{201d} Example Labs. May 3, 2021. https://labs.example/kestrel\n\nDoe, John. \u{201c}Fabrikam breach traced to Kestrel.\u{201d} Example News. June 1, 2021. https://news.example/fabrikam\n",
    );
    let b = body(&c);
    assert_eq!(b.len(), 2, "{b:#?}");
    assert!(!b.join(" ").contains("Kestrel"));
    // "References" as a word in the story is prose, and a label before
    // most of the story does not end it.
    let c = clean_text(
        "Short note\n\nReferences\n\nThe first paragraph of the story explains that the port was hit on Monday by a ransomware crew and lost its booking systems.\n\nThe second paragraph says the crew demanded a ransom, which the port refused to pay, officials said on Tuesday.\n",
    );
    assert_eq!(body(&c).len(), 2, "{:#?}", body(&c));
}

#[test]
fn credited_figure_labels_are_captions() {
    let c = clean_text(
        "Title of a report here\n\nThe researchers found a loader that fetched a second stage from a rented server.\n\nLoader configuration block (Example Labs)\n\nThe second stage installed a backdoor that beaconed every ten minutes.\n",
    );
    assert_eq!(body(&c).len(), 2);
}

#[test]
fn odd_bytes_are_folded() {
    let c = clean_text(
        "A title for this\r\n\r\nThe\u{a0}company\u{200b} said it\u{ad} had restored service to all customers by Friday.\r\n",
    );
    assert_eq!(body(&c), vec!["The company said it had restored service to all customers by Friday."]);
}

#[test]
fn site_suffix_is_dropped_from_titles() {
    assert_eq!(strip_site_suffix("Hackers hit the port - Example News"), "Hackers hit the port");
    assert_eq!(strip_site_suffix("Volt Typhoon's botnet \u{2022} The Register"), "Volt Typhoon's botnet");
    assert_eq!(strip_site_suffix("Q&A - a talk"), "Q&A - a talk");
}

const HTML_PAGE: &str = r#"<!doctype html>
<html><head>
<title>Clinic network says patient portal was breached | Example Health News</title>
<meta property="article:published_time" content="2025-02-11T09:30:00Z">
<meta name="author" content="Priya Natarajan">
</head><body>
<header><nav><a href="/">Home</a> <a href="/tech">Technology</a> <a href="/login">Sign in</a></nav></header>
<main><article>
<h1>Clinic network says patient portal was breached</h1>
<p>A regional clinic network said on Tuesday that an intruder had copied appointment records from its patient portal over a period of two weeks in January.</p>
<figure><img src="/x.jpg"><figcaption>The clinic's main building (Photo by Lee Park/Example Wire)</figcaption></figure>
<p>The network's chief executive, Dr. Omar Haddad, said the portal had been taken offline and that medical records held in a separate system were not affected.</p>
<p>"We are notifying every patient whose data was in the portal," Haddad said in a statement, adding that a forensic firm had been hired.</p>
<div class="share"><a>Share</a> <a>Tweet</a></div>
</article>
<aside class="related"><h3>Read also</h3><ul><li><a href="/b">Hospital parking fees rise again</a></li><li><a href="/c">Flu season peaks early</a></li></ul></aside>
</main>
<footer><p>Copyright 2025 Example Health News. All rights reserved.</p></footer>
</body></html>"#;

#[test]
fn html_main_content_with_metadata() {
    let c = html::extract(HTML_PAGE, None).unwrap();
    assert_eq!(c.title.as_deref(), Some("Clinic network says patient portal was breached"));
    assert_eq!(c.byline.as_deref(), Some("Priya Natarajan"));
    assert_eq!(c.published.unwrap().to_rfc3339(), "2025-02-11T09:30:00+00:00");
    let b = body(&c);
    assert_eq!(b.len(), 3, "{b:#?}");
    assert!(b[1].contains("Dr. Omar Haddad"));
    let all = b.join("\n");
    for junk in ["Sign in", "Tweet", "Hospital parking", "Copyright", "Photo by"] {
        assert!(!all.contains(junk), "`{junk}` survived:\n{all}");
    }
}

#[test]
fn html_without_an_article_is_an_error() {
    assert!(html::extract("<html><body><nav><a>Home</a></nav></body></html>", None).is_err());
}

#[test]
fn inline_teasers_are_dropped_but_sentences_with_a_colon_stay() {
    let c = clean_text(
        "Breach at the mill\n\nThe paper mill said on Friday that attackers encrypted its planning servers and halted two lines.\n\nRead also: Ferry bookings restored after outage\n\nRelated \u{2014} Bank fined over card leak\n\nThe mill said one thing was clear: production would resume within a week, according to its chief executive.\n",
    );
    let b = body(&c);
    assert_eq!(b.len(), 2, "{b:#?}");
    assert!(b[1].starts_with("The mill said one thing was clear:"));
}

#[test]
fn a_teaser_glued_to_a_story_sentence_is_cut_off() {
    let c = clean_text(
        "Breach at the mill\n\nThe paper mill says attackers encrypted its planning servers and halted two lines.See Also: Webinar | Lessons From Recent Strikes\nDana Ruiz, the mill's chief executive, said production would resume within a week.\n",
    );
    let b = body(&c);
    assert_eq!(b.len(), 2, "{b:#?}");
    assert!(b[0].ends_with("halted two lines."), "{b:#?}");
    assert!(b[1].starts_with("Dana Ruiz"), "{b:#?}");
}

#[test]
fn pages_nested_thousands_deep_are_flattened_not_fatal() {
    // Deep enough to overflow any thread's stack in a recursive serializer.
    for depth in [3_000, 14_000] {
        let page = format!(
            "<html><head><title>Deep page</title></head><body>{}<p>The regulator said the bank was fined for the breach of its payment systems last week.</p>{}</body></html>",
            "<blockquote>".repeat(depth),
            "</blockquote>".repeat(depth)
        );
        let (flat, dropped) = html::flatten_deep(&page, html::MAX_DEPTH);
        // Levels: html, body, the blockquotes, p; all beyond the limit go.
        assert_eq!(dropped, depth + 3 - html::MAX_DEPTH, "depth {depth}");
        assert!(flat.contains("The regulator said the bank was fined"));
        let c = html::extract(&page, None).expect("the story survives flattening");
        assert!(c.paragraphs.iter().any(|p| p.text.contains("fined for the breach")));
    }
}

#[test]
fn flattening_leaves_ordinary_pages_untouched() {
    let (flat, dropped) = html::flatten_deep(HTML_PAGE, html::MAX_DEPTH);
    assert_eq!(dropped, 0);
    assert!(matches!(flat, std::borrow::Cow::Borrowed(_)));
    // Void elements, comments and script text never count as nesting.
    let page = format!(
        "<div>{}<!-- <div><div> --><script>if (a<b) {{ x = '<div>'; }}</script></div>",
        "<br><img src=x>".repeat(500)
    );
    let (flat, dropped) = html::flatten_deep(&page, 2);
    assert_eq!(dropped, 0);
    assert_eq!(flat, page);
}

#[test]
fn a_byline_with_its_date_gives_both() {
    for (line, day) in [
        ("By Dana Whitfield | June 30th, 2022", "2022-06-30"),
        ("By Dana Whitfield - Jul 31, 2023 10:05 AM ET", "2023-07-31"),
        ("By Dana Whitfield, 31 July 2023", "2023-07-31"),
    ] {
        let c = clean_text(&format!(
            "Water utility reports intrusion\n\n{line}\n\nThe utility said intruders reached its billing servers last week.\n"
        ));
        assert_eq!(c.byline.as_deref(), Some("Dana Whitfield"), "{line}");
        assert_eq!(c.published.map(|d| d.date_naive().to_string()).as_deref(), Some(day), "{line}");
        assert_eq!(c.paragraphs.len(), 1, "{line}: {:?}", c.paragraphs);
    }
    // A sentence that starts with "By" is no byline.
    let c = clean_text("Title here\n\nBy Tuesday, the utility had restored billing, a spokesperson said.\n");
    assert_eq!((c.byline, c.published), (None, None));
}

#[test]
fn a_dateline_run_into_the_first_line_dates_the_page_and_an_event_date_does_not() {
    let c = clean_text(
        "Water utility reports intrusion\n\nDana Whitfield, Contributor   Jan. 20, 2020 at 2:27 a.m. PT     In a short notice \
         published today, the utility said intruders reached its billing servers.\n",
    );
    assert_eq!(c.published.map(|d| d.to_rfc3339()).as_deref(), Some("2020-01-20T02:27:00+00:00"));
    // "On June 3, 2023, ..." dates an event, not the page.
    let c = clean_text(
        "Water utility reports intrusion\n\nOn June 3, 2023, intruders reached the utility's billing servers, it said.\n",
    );
    assert_eq!(c.published, None);
    // A date deep in a line is the story's, not a dateline.
    let c = clean_text(
        "Water utility reports intrusion\n\nThe utility said that intruders who first reached its billing servers \
         in the spring were seen again on 2023-06-03 by its staff.\n",
    );
    assert_eq!(c.published, None);
}

#[test]
fn an_articles_tables_and_lists_survive_as_lines() {
    let page = "<html><head><title>Agencies warn of router exploitation</title></head><body><article>\
        <h1>Agencies warn of router exploitation</h1>\
        <p>The agencies said on Tuesday that attackers were exploiting two flaws in widely used routers and urged owners to patch at once.</p>\
        <p>The advisory lists the affected versions and the steps to take:</p>\
        <table><tr><th>CVE</th><th>Product</th><th>Fixed in</th></tr>\
        <tr><td>CVE-2024-11111</td><td>Example Router 9</td><td>9.4.2</td></tr>\
        <tr><td>CVE-2024-22222</td><td>Example Gateway 3</td><td>3.1.7</td></tr>\
        <tr><td>CVE-2024-33333</td><td>Example Switch 2</td><td>2.0.9</td></tr></table>\
        <ul><li>Block inbound management traffic from the internet</li><li>Rotate administrator passwords</li>\
        <li>Check logs for logins from 198.51.100.7</li></ul>\
        <p>The agencies said they had seen the activity at a dozen organisations, including two water utilities, since January.</p>\
        </article></body></html>";
    let c = html::extract(page, None).unwrap();
    let lines: Vec<&str> = c.paragraphs.iter().map(|p| p.text.as_str()).collect();
    for row in [
        "CVE | Product | Fixed in",
        "CVE-2024-11111 | Example Router 9 | 9.4.2",
        "CVE-2024-33333 | Example Switch 2 | 2.0.9",
    ] {
        assert!(lines.contains(&row), "{row} missing from {lines:#?}");
    }
    assert!(lines.contains(&"Rotate administrator passwords"), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("---")), "{lines:#?}");
}

#[test]
fn a_page_that_cleans_to_a_consent_notice_is_refused_not_stored() {
    let page = "<html><head><title>Example Wire</title></head><body><div class='consent'>\
        <p>We use cookies and similar tracking technologies to improve your experience and to show personalised ads.</p>\
        <p>By clicking Accept all you consent to our use of cookies as described in our privacy policy.</p>\
        <p>You can change your choice at any time in the privacy settings at the bottom of every page.</p>\
        <button>Accept all</button><button>Reject all</button></div></body></html>";
    let err = html::extract(page, None).unwrap_err();
    assert!(matches!(err, html::HtmlError::ConsentNotice), "{err:?}");
    assert!(err.to_string().contains("consent notice"));
    // A story that mentions cookies once is a story.
    let story = "<html><head><title>Tracker fined</title></head><body><article>\
        <p>The regulator fined the advertising firm on Monday for placing tracking cookies without consent on news sites.</p>\
        <p>The firm said it would appeal the decision and that it had already changed how its scripts load on partner pages.</p>\
        <p>The fine is the largest the regulator has imposed on an advertising company since the rules took effect.</p>\
        </article></body></html>";
    assert!(html::extract(story, None).is_ok());
}

#[test]
fn chinese_and_japanese_paragraphs_are_prose_not_labels() {
    // Written without spaces: each paragraph is one "word" to split_whitespace.
    let c = clean_text(
        "港湾局、システム障害の原因はランサムウェアと発表\n\n\
         港湾局は月曜日、コンテナ埠頭の予約システムが停止した原因はランサムウェアによる攻撃だったと発表した。\n\n\
         同局の担当者によると、侵入は日曜日の早朝に検知され、バックアップは無事だったという。\n\n\
         该公司表示，攻击者在上周进入了其计费服务器，但没有接触到客户的银行信息。\n",
    );
    assert_eq!(c.title.as_deref(), Some("港湾局、システム障害の原因はランサムウェアと発表"));
    let b = body(&c);
    assert_eq!(b.len(), 3, "{b:#?}");
    assert!(c.paragraphs.iter().all(|p| !p.heading && !p.sentences.is_empty()), "{:#?}", c.paragraphs);
    // A short label stays a label.
    assert_eq!(word_count("ランサムウェア"), 4);
    assert_eq!(word_count("Read more"), 2);
}

#[test]
fn markdown_escapes_of_an_extractors_article_are_undone() {
    assert_eq!(unescape_markdown(r"4\) Film \[4K\] \*new\* C:\\temp a\b"), r"4) Film [4K] *new* C:\temp a\b");
    // An escaped pipe stays inside its cell.
    assert_eq!(table_row(r"| a \| b | c |").map(|r| unescape_markdown(&r)).as_deref(), Some("a | b | c"));
    let c = clean_article(
        "A title for this\n\nStep 1\\) comes first; see the \\[PDF\\] for items marked \\*urgent\\*.\n",
        None,
    );
    assert_eq!(body(&c), vec!["Step 1) comes first; see the [PDF] for items marked *urgent*."]);
    // Pasted text keeps its backslashes.
    let c = clean_text("A title for this\n\nThe share was mapped as \\\\fileserver\\\\public\\* by the intruders.\n");
    assert!(body(&c)[0].contains(r"\\fileserver\\public\*"), "{:?}", body(&c));
}

#[test]
fn a_page_whose_first_block_is_a_base64_logo_yields_its_story() {
    let logo = format!("iVBORw0KGgoAAAANSUhEUgAA{}==", "QUJDRA".repeat(1500));
    let page = format!(
        "<html><head><title>Water utility restores billing after intrusion</title></head><body>\
         <div class='header'><a href='/'><img src='data:image/png;base64,{logo}' alt='Example Water'></a></div>\
         <div class='main'>\
         <p>The county water utility said on Thursday that it had restored its billing portal, four days after an intruder reached the servers that print customer invoices.</p>\
         <p>Treatment plants and the water supply were never affected, the utility's operations director, Ines Varga, told reporters at a briefing.</p>\
         <p>The utility has asked customers to ignore payment requests that arrive by text message until new invoices are posted in the coming weeks.</p>\
         </div></body></html>"
    );
    let c = html::extract(&page, None).unwrap();
    let b = body(&c);
    assert_eq!(b.len(), 3, "{b:#?}");
    assert!(b[0].starts_with("The county water utility said on Thursday"), "{b:#?}");
    assert!(!b.join(" ").contains("base64") && !b.join(" ").contains("QUJDRA"), "{b:#?}");
}

#[test]
fn a_page_that_opens_with_a_cookie_banner_yields_the_story_not_the_banner() {
    let page = "<html><head><title>Ferry operator confirms data theft | Coast Daily</title></head><body>\
        <div id='consent-banner' class='cookie-notice'><p>We use cookies and similar tracking technologies to improve your experience and to show personalised ads. \
        By clicking Accept all you consent to our use of cookies as described in our privacy policy. \
        You can change your choice at any time in the privacy settings.</p><button>Accept all</button><button>Reject all</button></div>\
        <div class='page'><article><h1>Ferry operator confirms data theft</h1>\
        <p>The island ferry operator said on Monday that attackers had copied booking records for about forty thousand passengers from a reservation server.</p>\
        <p>The company said card numbers were held by a separate payment provider and were not exposed, and that it had told the data regulator.</p>\
        <p>Passengers whose records were copied will receive a letter this week explaining what was taken and how to guard against fraud.</p>\
        </article></div></body></html>";
    let c = html::extract(page, None).unwrap();
    assert_eq!(c.title.as_deref(), Some("Ferry operator confirms data theft"));
    let b = body(&c);
    assert_eq!(b.len(), 3, "{b:#?}");
    assert!(b[0].starts_with("The island ferry operator said on Monday"), "{b:#?}");
    let all = b.join("\n");
    for junk in ["cookies", "Accept all", "privacy"] {
        assert!(!all.contains(junk), "`{junk}` survived:\n{all}");
    }
}

#[test]
fn a_read_more_card_mid_story_does_not_end_the_story() {
    let page = "<html><head><title>Port authority details ransomware recovery</title></head><body><article>\
        <h1>Port authority details ransomware recovery</h1>\
        <p>The port authority said on Wednesday that its container terminals had returned to normal operation, two weeks after a ransomware attack forced staff to book trucks by hand.</p>\
        <p>The authority's chief information officer, Tomas Brandt, said the attackers had entered through a contractor's remote access account that lacked a second factor.</p>\
        <div class='teaser-card'><span>Read more</span><h3><a href='/ferry'>Ferry operator fined over passenger data leak</a></h3>\
        <p>The regulator said the operator had left manifests exposed on a public server...</p></div>\
        <p>Brandt said the authority had rebuilt its booking servers from backups and had not paid the ransom, a decision taken with the national police.</p>\
        <p>The authority expects the cost of the recovery to exceed two million euros, most of it spent on overtime and outside responders.</p>\
        </article></body></html>";
    let c = html::extract(page, None).unwrap();
    let b = body(&c);
    assert_eq!(b.len(), 4, "{b:#?}");
    assert!(b[3].starts_with("The authority expects the cost of the recovery"), "{b:#?}");
    let all = b.join("\n");
    for junk in ["Read more", "Ferry operator fined", "manifests exposed"] {
        assert!(!all.contains(junk), "`{junk}` survived:\n{all}");
    }
}

#[test]
fn an_advisorys_lists_keep_items_that_end_in_brackets() {
    let page = "<html><head><title>Agencies urge patching of gateway flaws</title></head><body><article>\
        <h1>Agencies urge patching of gateway flaws</h1>\
        <p>Three national cyber agencies said on Tuesday that attackers were exploiting flaws in a popular line of remote access gateways, and published steps for owners.</p>\
        <p>Affected products:</p>\
        <ul><li>Example Gateway 7 (all versions before 7.2.4)</li><li>Example Gateway 8 (cloud edition)</li><li>Example Edge Appliance (firmware 3.x)</li></ul>\
        <table><tr><th>CVE</th><th>Severity</th><th>Fixed in</th></tr><tr><td>CVE-2025-10001</td><td>Critical</td><td>7.2.4</td></tr>\
        <tr><td>CVE-2025-10002</td><td>High</td><td>8.0.9</td></tr></table>\
        <p>Owners should take these steps:</p>\
        <ol><li>Apply the vendor's fixes</li><li>Reset every administrator password</li><li>Look for new accounts created since March</li></ol>\
        <p>The agencies said at least fourteen organisations had been breached through the flaws, among them a hospital and two town councils.</p>\
        <p>Steps 1) and 2) take priority; items marked *urgent* in the vendor notice [PDF] come first.</p>\
        </article></body></html>";
    let c = html::extract(page, None).unwrap();
    let lines = body(&c);
    for line in [
        "Affected products:",
        "Example Gateway 7 (all versions before 7.2.4)",
        "Example Gateway 8 (cloud edition)",
        "Example Edge Appliance (firmware 3.x)",
        "CVE | Severity | Fixed in",
        "CVE-2025-10002 | High | 8.0.9",
        "Reset every administrator password",
        "Steps 1) and 2) take priority; items marked *urgent* in the vendor notice [PDF] come first.",
    ] {
        assert!(lines.contains(&line), "{line} missing from {lines:#?}");
    }
}
