//! Integration tests: the `breachdesk` binary end to end, each test in its
//! own temporary store and index.

mod cli;
mod crash;
mod digest;
mod discord_schema;
mod fake_discord;
mod feeds;
mod fetch;
mod fuzzing;
mod gateway;
mod http;
mod shared_store;
mod site;
mod strict_discord;
mod structure;
mod util;
