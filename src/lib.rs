//! corroborate: check what powerful actors claim. A research repository keeps claims,
//! sources and the evidence linking them as YAML files; this library loads them with
//! exact positions, validates them, builds their graph, computes what the evidence
//! shows and exports it.
//!
//! The journey of the data: [`load`] (files to [`yaml`] trees to [`model`] records via
//! [`decode`]), [`graph`] (ids resolved), [`analysis`] (origins, balance), [`lints`],
//! all driven by [`check`]; then [`export`]. Problems are [`diagnostics`].

pub mod analysis;
pub mod check;
pub mod config;
pub mod decode;
pub mod diagnostics;
pub mod export;
pub mod graph;
pub mod lints;
pub mod load;
pub mod model;
pub mod site;
pub mod terminal;
pub mod text;
pub mod validate;
pub mod wording;
pub mod yaml;

pub use check::{Checked, check};
pub use load::Repository;
