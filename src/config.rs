//! Project settings from the optional `corroborate.yaml` at the repository root.

use crate::decode;
use crate::diagnostics::Lint;
use crate::fields::Ty;
use crate::model::record;

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

record! {
    /// The settings, with FORMAT.md's defaults for whatever the file leaves out.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub settings Config("settings file") {
        title: String, Ty::Text, optional, "Report title (default: Claims and evidence).",
            default "Claims and evidence".to_owned();
        description: Option<String>, Ty::Markdown, optional, "Markdown, shown on the index page.";
        base_url: Option<String>, Ty::Url, optional,
            "Absolute URL the site is published at; used for canonical links and JSON-LD ids.";
        data: String, Ty::Folder, optional, "Folder holding the data files (default: claims).",
            default "claims".to_owned();
        output: String, Ty::Folder, optional, "Folder `corroborate build` writes (default: site).",
            default "site".to_owned();
        templates: String, Ty::Folder, optional,
            "Folder of template overrides (default: templates).",
            default "templates".to_owned();
        // Levels set in the file; a lint not named here has its default level
        // (`warn`, except `unchecked-quote`: `allow`).
        lints: Vec<(Lint, LintLevel)>, Ty::LintLevels, optional,
            "Lint name to allow, warn or deny (default: all warn, except unchecked-quote: allow).",
            read decode::lint_levels;
        max_file_bytes: u64, Ty::Bytes, optional,
            "Largest data file accepted, in bytes (default: 67108864, 64 MiB).",
            read decode::max_file_bytes, default DEFAULT_MAX_FILE_BYTES;
        links: LinksSettings, Ty::Settings("links"), optional,
            "How `corroborate links` asks the web (check and build never do).",
            read decode::links_settings;
    }
}

record! {
    /// How `corroborate links` asks the web: where the Wayback Machine's endpoints
    /// are (configurable, so that tests answer from 127.0.0.1), how long a request may
    /// take, and how many run at once against one host.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub settings LinksSettings("`links` section") {
        wayback_api: String, Ty::Url, optional,
            "The Wayback Machine's availability endpoint (default: https://archive.org/wayback/available).",
            default DEFAULT_WAYBACK_API.to_owned();
        save_api: String, Ty::Url, optional,
            "Save Page Now, which `links --save` asks for captures (default: https://web.archive.org/save).",
            default DEFAULT_SAVE_API.to_owned();
        timeout_s: u64, Ty::Count(MAX_TIMEOUT_S), optional,
            "Seconds a request may take, from connecting to the last byte read (default: 10).",
            read decode::timeout_s, default 10;
        per_host: u64, Ty::Count(MAX_PER_HOST), optional,
            "Requests at once to one host (default: 2).",
            read decode::per_host, default 2;
    }
}

pub const DEFAULT_WAYBACK_API: &str = "https://archive.org/wayback/available";
pub const DEFAULT_SAVE_API: &str = "https://web.archive.org/save";
/// The longest `timeout_s` accepted: a link check is not a download.
pub const MAX_TIMEOUT_S: u64 = 300;
/// The most requests at once to one host `per_host` accepts: more is hammering.
pub const MAX_PER_HOST: u64 = 16;

pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

impl Config {
    pub fn lint_level(&self, lint: Lint) -> LintLevel {
        self.lints.iter().rev().find(|(l, _)| *l == lint).map_or(
            if lint.allowed_by_default() {
                LintLevel::Allow
            } else {
                LintLevel::Warn
            },
            |(_, level)| *level,
        )
    }
}
