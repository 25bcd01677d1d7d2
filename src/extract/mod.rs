//! Extraction: what a document says, as data.
//!
//! [`statements`] finds who said what (direct and reported speech), with
//! speaker, affiliation and stance; [`facts`] finds the incident facts
//! (actors, attribution, victims, responders, dates, CVEs, indicators).

pub mod attribution;
pub mod facts;
pub mod lexicon;
pub mod speaker;
pub mod stance;
pub mod statements;

pub use lexicon::Stance;
pub use statements::{Statement, extract_statements, extract_statements_parsed};
