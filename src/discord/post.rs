//! Posting to channels over Discord's REST API: digests (with their
//! timeline picture) and notices, and finding a posted digest again.

use std::sync::Arc;

use serde_json::{Value, json};
use serenity::all::{ChannelId, CreateAttachment};
use serenity::http::Http;

use super::render;
use crate::digest::Digest;
use crate::digest::scheduler::{Sink, SinkError};

/// The file name of a digest's timeline picture.
pub const TIMELINE_FILE: &str = "timeline.png";

/// Messages recent enough to be searched for a digest's marker.
const RECENT: u8 = 50;

/// The message bodies of a digest: one per page of its reply (Discord's
/// limits hold for each), the timeline shown in the first.
pub fn digest_messages(digest: &Digest) -> Vec<Value> {
    let pages = render::page_count(&digest.reply);
    (0..pages)
        .map(|page| {
            let mut body = render::message(&digest.reply, page, None);
            if page == 0 && digest.timeline.is_some() {
                body["embeds"][0]["image"] = json!({ "url": format!("attachment://{TIMELINE_FILE}") });
                body["attachments"] = json!([{ "id": "0", "filename": TIMELINE_FILE }]);
            }
            body
        })
        .collect()
}

/// Posts digests through serenity's REST client.
pub struct DiscordSink {
    pub http: Arc<Http>,
}

impl Sink for DiscordSink {
    async fn post(&self, channel: u64, digest: &Digest, marker: &str) -> Result<u64, SinkError> {
        let mut first = None;
        for (k, body) in digest_messages(digest).iter().enumerate() {
            debug_assert!(body.to_string().contains(marker), "every page carries the marker");
            let files = match (&digest.timeline, k) {
                (Some(png), 0) => vec![CreateAttachment::bytes(png.clone(), TIMELINE_FILE)],
                _ => Vec::new(),
            };
            let sent = self
                .http
                .send_message(ChannelId::new(channel), files, body)
                .await
                .map_err(|e| SinkError(format!("posting to channel {channel}: {e}")))?;
            first.get_or_insert(sent.id.get());
        }
        first.ok_or_else(|| SinkError("the digest had no message".into()))
    }

    async fn find(&self, channel: u64, marker: &str) -> Result<Option<u64>, SinkError> {
        let recent = self
            .http
            .get_messages(ChannelId::new(channel), None, Some(RECENT))
            .await
            .map_err(|e| SinkError(format!("reading channel {channel}: {e}")))?;
        let carries = |m: &serenity::all::Message| {
            m.content.contains(marker)
                || m.embeds.iter().any(|e| e.footer.as_ref().is_some_and(|f| f.text.contains(marker)))
        };
        // The oldest carrier is the digest's first message.
        Ok(recent.iter().rev().find(|m| carries(m)).map(|m| m.id.get()))
    }

    async fn guild_of(&self, channel: u64) -> Result<Option<u64>, SinkError> {
        self.channel_guild(channel).await
    }
}

impl DiscordSink {
    async fn channel_guild(&self, channel: u64) -> Result<Option<u64>, SinkError> {
        match self.http.get_channel(ChannelId::new(channel)).await {
            Ok(serenity::all::Channel::Guild(c)) => Ok(Some(c.guild_id.get())),
            Ok(_) => Ok(None),
            Err(e) => Err(SinkError(format!("reading channel {channel}: {e}"))),
        }
    }
}

/// Post a one-line notice (a failing feed) in `channel`, pinging no one.
pub async fn notice(http: &Http, channel: u64, text: &str) -> Result<(), SinkError> {
    let body = json!({ "content": render::clip(text, 2000), "allowed_mentions": { "parse": [] } });
    http.send_message(ChannelId::new(channel), Vec::new(), &body)
        .await
        .map(|_| ())
        .map_err(|e| SinkError(format!("posting to channel {channel}: {e}")))
}
