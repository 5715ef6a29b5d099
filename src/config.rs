//! Project settings from the optional `corroborate.yaml` at the repository root.

use crate::diagnostics::Lint;

/// How seriously a lint is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LintLevel {
    Allow,
    Warn,
    Deny,
}

impl LintLevel {
    pub const WORDS: &'static [&'static str] = &["allow", "warn", "deny"];

    pub fn from_word(word: &str) -> Option<Self> {
        match word {
            "allow" => Some(LintLevel::Allow),
            "warn" => Some(LintLevel::Warn),
            "deny" => Some(LintLevel::Deny),
            _ => None,
        }
    }
}

/// The settings, with FORMAT.md's defaults for whatever the file leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub data: String,
    pub output: String,
    pub templates: String,
    /// Levels set in the file; a lint not named here is `warn`.
    pub lints: Vec<(Lint, LintLevel)>,
    pub max_file_bytes: u64,
}

pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Claims and evidence".to_owned(),
            description: None,
            base_url: None,
            data: "claims".to_owned(),
            output: "site".to_owned(),
            templates: "templates".to_owned(),
            lints: Vec::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

impl Config {
    pub fn lint_level(&self, lint: Lint) -> LintLevel {
        self.lints
            .iter()
            .rev()
            .find(|(l, _)| *l == lint)
            .map_or(LintLevel::Warn, |(_, level)| *level)
    }
}
