//! `/digest preview`: what this channel's next daily digest would hold if it
//! were posted now, built by the same code that posts it.

use chrono::Duration;

use super::{Context, Invocation, internal};
use crate::config::DigestSettings;
use crate::digest::{build, schedule};
use crate::error::UserError;
use crate::model::Viewer;
use crate::reply::Reply;

/// The digest settings of the channel a command was invoked in, when the
/// channel has a digest and belongs to the asker's server.
pub(crate) fn configured<'s>(ctx: &Context<'s>, inv: &Invocation) -> Option<&'s DigestSettings> {
    let channel = inv.channel?;
    ctx.settings.digest.iter().find(|d| d.channel == channel && ctx.viewer == Viewer::Guild(d.guild))
}

pub fn preview(ctx: &Context<'_>, inv: &Invocation) -> Result<Reply, UserError> {
    let configured = configured(ctx, inv);
    let guild = match ctx.viewer {
        Viewer::Guild(g) => g,
        Viewer::Public => 0,
    };
    let cfg = configured.cloned().unwrap_or_else(|| DigestSettings::ad_hoc(guild, inv.channel.unwrap_or(0)));
    let last = match configured {
        Some(c) => ctx.engine.store().last_digest(c.channel).map_err(internal)?,
        None => None,
    };
    let from = last.as_ref().map_or(ctx.now - Duration::days(1), |e| e.to);
    let digest = build(ctx.engine, &cfg, from, ctx.now, None).map_err(internal)?;
    let mut reply = digest.reply;
    let when = match configured {
        Some(c) => {
            let next = schedule::next_due(c.at, c.tz, ctx.now).with_timezone(&c.tz);
            let policy = if digest.empty && c.empty_day == crate::config::EmptyDay::Skip {
                " Nothing new so far: as things stand it would be skipped."
            } else {
                ""
            };
            format!("Preview of the digest due {} ({}).{policy}", next.format("%a %-d %b %H:%M"), c.timezone)
        }
        None => "No digest is set up for this channel (an operator adds a [[digest]] entry); this is what the last 24 hours would give.".into(),
    };
    reply.title = reply.title.replacen("Daily digest", "Digest preview", 1);
    reply.header = Some(match reply.header {
        Some(h) => format!("{when} {h}"),
        None => when,
    });
    Ok(reply)
}
