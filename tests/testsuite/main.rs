//! Integration tests: run the real `corroborate` binary on fixture repositories in
//! `tests/fixtures/` and compare what it prints with pinned expectations.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failed expectation in a test should stop that test with its message"
)]

mod action;
mod browser;
mod cli;
mod confinement;
mod declared;
mod diagnostics;
mod diff;
mod durability;
mod example_case;
mod export;
mod fuzz_regressions;
mod graph_cmd;
mod hostile;
mod import;
mod incremental;
mod init;
mod limits;
mod links;
mod list_show;
mod packaging;
mod picture_browser;
mod properties;
mod schema;
mod search_browser;
mod sensitive;
#[cfg(feature = "serve")]
mod serve;
mod site;
mod support;
mod writing;
