//! Extraction: what a document says, as data.
//!
//! [`statements`] finds who said what (direct and reported speech), with
//! speaker, affiliation and stance. The incident facts (actors, victims,
//! indicators) are the next stage and will live beside it.

pub mod lexicon;
pub mod speaker;
pub mod statements;

pub use lexicon::Stance;
pub use statements::{Statement, extract_statements};
