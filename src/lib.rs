//! corroborate: check what powerful actors claim. A research repository keeps claims,
//! sources and the evidence linking them as YAML files; this library loads them with
//! exact positions, validates them, builds their graph, computes what the evidence
//! shows and exports it.
//!
//! The journey of the data: [`access`] (the only way files are opened), [`load`] (files to [`yaml`] trees to [`model`] records via
//! [`decode`]), [`graph`] (ids resolved), [`analysis`] (origins, balance), [`lints`],
//! all driven by [`check`]; then [`export`] and [`graph_output`]; [`views`] works out what
//! each record shows, for the [`terminal`] (`list`, `show`) and the [`site`]; [`diff`] compares two
//! checked states, one of them usually a past [`revision`]. Problems are [`diagnostics`].

pub mod access;
pub mod analysis;
pub mod check;
pub mod config;
pub mod confine;
pub mod copies;
pub mod decode;
pub mod diagnostics;
pub mod diff;
pub mod edit;
pub mod export;
pub mod extract;
pub mod fields;
pub mod graph;
pub mod graph_output;
pub mod import;
pub mod links;
pub mod lints;
pub mod load;
pub mod model;
pub mod quote_cache;
pub mod quote_check;
pub mod quotes;
pub mod redact;
pub mod revision;
pub mod rules;
pub mod scaffold;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod terminal;
pub mod text;
pub mod timing;
pub mod validate;
pub mod views;
pub mod wording;
pub mod yaml;

pub use check::{Checked, check};
pub use load::Repository;
