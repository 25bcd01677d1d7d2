//! The error a user sees in chat.
//!
//! Library errors stay in their modules; what reaches a user is a
//! [`UserError`], whose text is written for chat and never carries internal
//! detail. An internal failure is logged with an id, and the user sees only
//! that id, so a report can be matched with the log line.

use std::sync::atomic::{AtomicU64, Ordering};

/// What kind of problem the user ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserErrorKind {
    /// The command or its options are not understood.
    BadRequest,
    /// The search query could not be parsed.
    BadQuery,
    /// Nothing matches (unknown incident, actor, speaker).
    NotFound,
    /// A page past the last one of an answer.
    PastEnd,
    /// The user may not do this here.
    Forbidden,
    /// Too many requests; try later.
    RateLimited,
    /// The answer could not be delivered (the chat service failed); try again.
    Unavailable,
    /// Our fault; the message carries an id that is in the log.
    Internal,
}

/// An error whose message is safe to show in chat.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub kind: UserErrorKind,
    pub message: String,
}

impl UserError {
    pub fn new(kind: UserErrorKind, message: impl Into<String>) -> UserError {
        UserError { kind, message: message.into() }
    }
    pub fn bad_request(message: impl Into<String>) -> UserError {
        UserError::new(UserErrorKind::BadRequest, message)
    }
    pub fn not_found(message: impl Into<String>) -> UserError {
        UserError::new(UserErrorKind::NotFound, message)
    }
    /// A page asked for past the last of `pages` pages of `what`.
    pub fn past_end(pages: usize, what: &str) -> UserError {
        let message = if pages == 1 {
            format!("There is only 1 page for {what}.")
        } else {
            format!("There are only {pages} pages for {what}.")
        };
        UserError::new(UserErrorKind::PastEnd, message)
    }
    pub fn forbidden(message: impl Into<String>) -> UserError {
        UserError::new(UserErrorKind::Forbidden, message)
    }
    pub fn rate_limited(message: impl Into<String>) -> UserError {
        UserError::new(UserErrorKind::RateLimited, message)
    }
    pub fn unavailable(message: impl Into<String>) -> UserError {
        UserError::new(UserErrorKind::Unavailable, message)
    }

    /// Log an internal error under a fresh id and return the message the
    /// user sees, which names only that id.
    pub fn internal(err: &dyn std::error::Error) -> UserError {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let id = blake3::hash(format!("{}:{}:{}", std::process::id(), n, err).as_bytes()).to_hex()[..10].to_string();
        tracing::error!(error_id = %id, error = %err, "internal error while answering");
        UserError::new(
            UserErrorKind::Internal,
            format!("Something went wrong on our side. Please try again; if it keeps happening, report error id {id}."),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_show_only_an_id() {
        let io = std::io::Error::other("disk /var/secret/path is full");
        let e = UserError::internal(&io);
        assert_eq!(e.kind, UserErrorKind::Internal);
        assert!(!e.message.contains("secret"));
        assert!(e.message.contains("error id "));
        assert_ne!(UserError::internal(&io).message, e.message, "each report gets its own id");
    }
}
