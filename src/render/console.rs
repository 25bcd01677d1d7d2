//! Replies as plain text, the way `breachdesk ask` prints them.

use std::io::{self, Write};

use crate::reply::Reply;

/// Write `reply` as text.
pub fn render(reply: &Reply, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", reply.title)?;
    if let Some(h) = reply.header.as_deref().filter(|h| !h.is_empty()) {
        writeln!(out, "{h}")?;
    }
    for section in &reply.sections {
        writeln!(out)?;
        if let Some(h) = &section.heading {
            writeln!(out, "{h}")?;
        }
        for line in &section.lines {
            let cites: String = line.cites.iter().map(|n| format!(" [{n}]")).collect();
            writeln!(out, "  - {}{cites}", line.text)?;
        }
    }
    if !reply.citations.is_empty() {
        writeln!(out, "\nSources")?;
        for (i, c) in reply.citations.iter().enumerate() {
            let date = format!(", {}", c.date_label());
            writeln!(out, "  [{}] {} (paragraph {}{date}): {}", i + 1, c.title, c.paragraph + 1, c.source)?;
        }
    }
    if let Some(f) = &reply.footer {
        writeln!(out, "\n{f}")?;
    }
    Ok(())
}

/// `reply` as a string.
pub fn to_string(reply: &Reply) -> String {
    let mut buf = Vec::new();
    render(reply, &mut buf).expect("writing to a Vec cannot fail");
    String::from_utf8(buf).expect("replies are UTF-8")
}
