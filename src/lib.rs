pub mod clean;
pub mod config;
pub mod model;
