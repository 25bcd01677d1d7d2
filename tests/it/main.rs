//! Integration tests: the `breachdesk` binary end to end, each test in its
//! own temporary store and index.

mod cli;
mod crash;
mod digest;
mod fake_discord;
mod feeds;
mod fetch;
mod fuzzing;
mod gateway;
mod http;
mod shared_store;
mod site;
mod structure;
mod util;
