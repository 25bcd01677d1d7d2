pub mod clean;
pub mod config;
pub mod engine;
pub mod index;
pub mod ingest;
pub mod model;
pub mod store;
