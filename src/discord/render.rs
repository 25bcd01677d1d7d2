//! A [`Reply`] as Discord message bodies: embeds within Discord's limits,
//! paged when too long, citations as masked links (http and https only),
//! quoted text escaped, and no mention ever allowed to ping.

use serde_json::{Value, json};

use crate::model::{Citation, is_http_url};
use crate::reply::{Line, Reply};

/// Discord's limits on a message and its embeds.
pub mod limits {
    pub const CONTENT: usize = 2000;
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FIELDS: usize = 25;
    pub const FOOTER: usize = 2048;
    /// All titles, descriptions, fields and footers of a message together.
    pub const EMBED_TOTAL: usize = 6000;
    pub const EMBEDS: usize = 10;
}

/// Characters of a page's lines (description and fields together). With the
/// title (256), header (1000) and footer (300) a page stays under both the
/// 4096 description limit and the 6000 total.
const PAGE_BUDGET: usize = 3000;
const HEADER_MAX: usize = 1000;
const FOOTER_MAX: usize = 300;
/// Embed colour: a dark teal.
const COLOUR: u32 = 0x1f6f78;

/// Escape Discord markdown in quoted text, and break mentions so that even a
/// client that ignored `allowed_mentions` would not ping anyone.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '(' | ')' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200b}"),
            _ => out.push(c),
        }
    }
    out
}

/// Cut to at most `max` characters, ending with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A title, escaped like every other user-supplied text (a title may echo
/// what a user typed: "Summary: @everyone"), then cut to Discord's limit
/// without leaving half an escape at the cut.
fn escaped_title(title: &str) -> String {
    let mut t = clip(&escape(title), limits::TITLE);
    if t.ends_with("\\…") && !t.ends_with("\\\\…") {
        t.truncate(t.len() - "\\…".len());
        t.push('…');
    }
    t
}

/// A citation: a masked link for http(s) sources, plain text otherwise.
fn citation_line(n: usize, c: &Citation) -> String {
    let date = format!(", {}", c.date_label());
    let title = escape(&clip(&c.title, 120));
    let place = format!("paragraph {}{date}", c.paragraph + 1);
    if is_http_url(&c.source) && !c.source.contains(char::is_whitespace) {
        // ')' would end the link early.
        let url = c.source.replace(')', "%29").replace('(', "%28");
        format!("[{n}] [{title}]({url}) ({place})")
    } else {
        format!("[{n}] {title} ({place}): {}", escape(&clip(shown_source(&c.source), 200)))
    }
}

/// What a chat may see of a source that is not a web address: a file's
/// name, never where it lies on the machine running the bot
/// (`/srv/reports/2024/acme.md` is `acme.md`); other labels as they are.
fn shown_source(source: &str) -> &str {
    let path = source.strip_prefix("file://").or_else(|| source.strip_prefix("file:")).unwrap_or(source);
    if path.contains(['/', '\\']) && !path.contains("://") {
        path.rsplit(['/', '\\']).find(|p| !p.is_empty()).unwrap_or(path)
    } else {
        source
    }
}

fn line_text(l: &Line) -> String {
    let mut s = format!("• {}", escape(&l.text));
    for c in &l.cites {
        s.push_str(&format!(" [{c}]"));
    }
    s
}

/// One block of a page: a heading (or none) and its lines.
struct Block {
    heading: Option<String>,
    lines: Vec<String>,
}

/// The reply cut into pages, each within the limits.
fn pages(reply: &Reply) -> Vec<Vec<Block>> {
    let mut blocks: Vec<(Option<String>, String)> = Vec::new();
    for s in &reply.sections {
        for l in &s.lines {
            blocks.push((s.heading.clone(), clip(&line_text(l), limits::FIELD_VALUE - 10)));
        }
    }
    if !reply.citations.is_empty() {
        for (i, c) in reply.citations.iter().enumerate() {
            blocks.push((Some("Sources".into()), clip(&citation_line(i + 1, c), limits::FIELD_VALUE - 10)));
        }
    }
    let mut out: Vec<Vec<Block>> = Vec::new();
    let mut page: Vec<Block> = Vec::new();
    let mut used = 0;
    for (heading, line) in blocks {
        let cost = line.chars().count() + 1 + heading.as_deref().map_or(0, |h| h.len());
        let fits_field = page.last().is_some_and(|b| {
            b.heading == heading
                && b.lines.iter().map(|l| l.chars().count() + 1).sum::<usize>() + cost < limits::FIELD_VALUE
        });
        if used + cost > PAGE_BUDGET || !fits_field && page.len() >= limits::FIELDS - 1 {
            out.push(std::mem::take(&mut page));
            used = 0;
        }
        used += cost;
        match page.last_mut() {
            Some(b)
                if b.heading == heading
                    && (b.heading.is_none()
                        || b.lines.iter().map(|l| l.chars().count() + 1).sum::<usize>() + cost
                            < limits::FIELD_VALUE) =>
            {
                b.lines.push(line)
            }
            _ => page.push(Block { heading, lines: vec![line] }),
        }
    }
    if !page.is_empty() || out.is_empty() {
        out.push(page);
    }
    out
}

/// How many pages a reply takes.
pub fn page_count(reply: &Reply) -> usize {
    pages(reply).len()
}

/// The message body for page `page` (0-based, clamped) of a reply. `paging`
/// is the key the Previous/Next buttons carry, when the reply has pages.
pub fn message(reply: &Reply, page: usize, paging: Option<&str>) -> Value {
    let all = pages(reply);
    let n = all.len();
    let page = page.min(n - 1);
    let mut description = String::new();
    if let Some(h) = &reply.header {
        description.push_str(&clip(&escape(h), HEADER_MAX));
        description.push_str("\n\n");
    }
    let mut fields = Vec::new();
    for b in &all[page] {
        match &b.heading {
            None => {
                for l in &b.lines {
                    description.push_str(l);
                    description.push('\n');
                }
            }
            Some(h) => fields.push(json!({
                "name": clip(&escape(h), limits::FIELD_NAME),
                "value": clip(&b.lines.join("\n"), limits::FIELD_VALUE),
                "inline": false,
            })),
        }
    }
    let mut footer = reply.footer.clone().unwrap_or_default();
    if n > 1 {
        footer = if footer.is_empty() {
            format!("page {} of {n}", page + 1)
        } else {
            format!("page {} of {n} · {footer}", page + 1)
        };
    }
    let mut embed = json!({
        "title": escaped_title(&reply.title),
        "description": clip(description.trim_end(), limits::DESCRIPTION),
        "color": COLOUR,
        "fields": fields,
    });
    if !footer.is_empty() {
        embed["footer"] = json!({ "text": clip(&footer, FOOTER_MAX.min(limits::FOOTER)) });
    }
    let mut body = json!({
        "content": "",
        "embeds": [embed],
        "allowed_mentions": { "parse": [] },
    });
    if reply.ephemeral {
        body["flags"] = json!(64);
    }
    if let (Some(key), true) = (paging, n > 1) {
        let button = |label: &str, target: usize, disabled: bool| json!({ "type": 2, "style": 2, "label": label, "custom_id": format!("page:{target}:{key}"), "disabled": disabled });
        body["components"] = json!([{
            "type": 1,
            "components": [
                button("Previous", page.saturating_sub(1), page == 0),
                button("Next", (page + 1).min(n - 1), page + 1 >= n),
            ],
        }]);
    } else {
        body["components"] = json!([]);
    }
    body
}

/// Characters an embed counts toward Discord's 6000 total.
pub fn embed_size(embed: &Value) -> usize {
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let mut n = len(&embed["title"]) + len(&embed["description"]) + len(&embed["footer"]["text"]);
    if let Some(fields) = embed["fields"].as_array() {
        for f in fields {
            n += len(&f["name"]) + len(&f["value"]);
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocId;
    use crate::reply::Section;

    fn cite(source: &str) -> Citation {
        Citation { doc: DocId(1), title: "A [title] (x)".into(), source: source.into(), paragraph: 2, date: None }
    }

    fn within_limits(body: &Value) {
        let embeds = body["embeds"].as_array().unwrap();
        assert!(embeds.len() <= limits::EMBEDS);
        let mut total = 0;
        for e in embeds {
            assert!(e["title"].as_str().unwrap().chars().count() <= limits::TITLE);
            assert!(e["description"].as_str().unwrap().chars().count() <= limits::DESCRIPTION);
            let fields = e["fields"].as_array().unwrap();
            assert!(fields.len() <= limits::FIELDS);
            for f in fields {
                assert!(f["name"].as_str().unwrap().chars().count() <= limits::FIELD_NAME);
                assert!(f["value"].as_str().unwrap().chars().count() <= limits::FIELD_VALUE);
            }
            total += embed_size(e);
        }
        assert!(total <= limits::EMBED_TOTAL, "{total}");
        assert!(body["content"].as_str().unwrap().chars().count() <= limits::CONTENT);
        assert_eq!(body["allowed_mentions"], json!({ "parse": [] }));
    }

    #[test]
    fn titles_are_escaped_too() {
        let reply = Reply { title: "Summary: @everyone <@123> **big**".into(), ..Reply::default() };
        let body = message(&reply, 0, None);
        let t = body["embeds"][0]["title"].as_str().unwrap();
        assert!(!t.contains("@everyone") && t.contains("@\u{200b}everyone"), "{t}");
        assert!(t.contains("\\<@\u{200b}123\\>") && t.contains("\\*\\*big\\*\\*"), "{t}");
        // A cut never leaves a lone escape before the ellipsis.
        let long = Reply { title: format!("{}**", "a".repeat(limits::TITLE - 2)), ..Reply::default() };
        let t = message(&long, 0, None)["embeds"][0]["title"].as_str().unwrap().to_string();
        assert!(t.chars().count() <= limits::TITLE && !t.ends_with("\\…"), "{t}");
    }

    #[test]
    fn mentions_never_ping_and_markdown_is_escaped() {
        let reply = Reply {
            title: "t".into(),
            sections: vec![Section {
                heading: None,
                lines: vec![Line::cited("@everyone look: <@123> and <@&456> **bold** `code` @here", 1)],
            }],
            citations: vec![cite("https://news.example/a(b)")],
            ..Reply::default()
        };
        let body = message(&reply, 0, None);
        within_limits(&body);
        let d = body["embeds"][0]["description"].as_str().unwrap();
        assert!(!d.contains("@everyone") && !d.contains("@here"), "{d}");
        assert!(d.contains("\\<@\u{200b}123\\>"), "{d}");
        assert!(d.contains("\\*\\*bold\\*\\*"), "{d}");
        let sources = body["embeds"][0]["fields"][0]["value"].as_str().unwrap();
        assert!(sources.contains("(https://news.example/a%28b%29)"), "{sources}");
    }

    #[test]
    fn file_sources_show_their_name_only() {
        for (source, shown) in [
            ("/srv/reports/2024/acme.md", "acme.md"),
            ("data/samples/x.txt", "x.txt"),
            ("C:\\reports\\acme.md", "acme.md"),
            ("file:///home/bot/notes.txt", "notes.txt"),
            ("text:ef38c283", "text:ef38c283"),
        ] {
            let reply = Reply { title: "t".into(), citations: vec![cite(source)], ..Reply::default() };
            let body = message(&reply, 0, None);
            let v = body["embeds"][0]["fields"][0]["value"].as_str().unwrap();
            assert!(v.ends_with(&format!(": {}", escape(shown))), "{source}: {v}");
            assert!(!v.contains("/srv") && !v.contains("/home") && !v.contains("reports"), "{v}");
        }
    }

    #[test]
    fn only_http_links_are_links() {
        for source in ["javascript:alert(1)", "file:///etc/passwd", "data/samples/x.txt"] {
            let reply = Reply { title: "t".into(), citations: vec![cite(source)], ..Reply::default() };
            let body = message(&reply, 0, None);
            let v = body["embeds"][0]["fields"][0]["value"].as_str().unwrap();
            assert!(!v.contains("]("), "{source} became a link: {v}");
        }
    }

    #[test]
    fn a_reply_over_every_limit_is_paged_and_each_page_fits() {
        let long = "x".repeat(3000);
        let lines: Vec<Line> = (0..200).map(|i| Line::cited(format!("{i} {long}"), i % 40 + 1)).collect();
        let sections: Vec<Section> = (0..40)
            .map(|i| Section { heading: Some(format!("H{i} {}", "h".repeat(300))), lines: lines[..5].to_vec() })
            .collect();
        let reply = Reply {
            title: "T".repeat(400),
            header: Some("h".repeat(5000)),
            sections,
            citations: (0..40).map(|i| cite(&format!("https://e.example/{i}"))).collect(),
            footer: Some("f".repeat(3000)),
            ephemeral: false,
        };
        let n = page_count(&reply);
        assert!(n > 1);
        for p in 0..n {
            let body = message(&reply, p, Some("k"));
            within_limits(&body);
            let buttons = &body["components"][0]["components"];
            assert_eq!(buttons[0]["disabled"], json!(p == 0));
            assert_eq!(buttons[1]["disabled"], json!(p + 1 == n));
        }
    }
}
