//! `/feeds`: the feeds polled for this channel's readers, with their last
//! success, last error and how many articles each has brought in.

use chrono::{DateTime, Utc};

use super::{Context, Invocation, internal};
use crate::error::UserError;
use crate::reply::{Line, Reply, Section};

/// "3 h ago", "in 25 min", "just now".
fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds();
    let (n, unit) = match secs.abs() {
        s if s < 60 => return "just now".into(),
        s if s < 3600 => (s / 60, "min"),
        s if s < 86_400 => (s / 3600, "h"),
        s => (s / 86_400, "d"),
    };
    if secs >= 0 { format!("{n} {unit} ago") } else { format!("in {n} {unit}") }
}

pub fn run(ctx: &Context<'_>, _: &Invocation) -> Result<Reply, UserError> {
    let scopes = ctx.viewer.scopes();
    let visible: Vec<_> = ctx.settings.feeds.iter().filter(|f| scopes.contains(&f.scope())).collect();
    if visible.is_empty() {
        return Err(UserError::not_found(
            "No feeds are configured for this server. An operator adds [[feeds]] entries to the configuration.",
        ));
    }
    let mut lines = Vec::with_capacity(visible.len());
    for feed in &visible {
        let s = ctx.engine.store().feed_state(&feed.url).map_err(internal)?;
        let mut parts =
            vec![format!("every {} min", feed.poll_minutes), crate::reply::plural(s.items as usize, "article")];
        parts.push(match s.last_success {
            Some(t) => format!("last success {}", relative(t, ctx.now)),
            None => "never polled successfully".into(),
        });
        if s.failures > 0
            && let Some(e) = &s.last_error
        {
            let when = s.last_error_at.map(|t| relative(t, ctx.now)).unwrap_or_default();
            parts.push(format!("failing: {} in a row, last {when}: {e}", s.failures));
        }
        if s.items_failing > 0 {
            let last = s.last_item_error.as_deref().unwrap_or("unknown");
            let n = crate::reply::plural(s.items_failing as usize, "item");
            parts.push(format!("{n} failing at the last poll, last: {last}"));
        }
        if let Some(next) = s.next_poll {
            parts.push(format!("next poll {}", relative(next, ctx.now)));
        }
        lines.push(Line::plain(format!("{} \u{2014} {}", feed.url, parts.join("; "))));
    }
    Ok(Reply {
        title: format!("Feeds ({})", visible.len()),
        sections: vec![Section { heading: None, lines }],
        ..Reply::default()
    })
}
