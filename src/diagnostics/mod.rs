//! Problems found in a research repository, collected rather than thrown, so that one
//! run shows the researcher every problem at once, each at its exact place.

mod render;

pub use render::{
    DEFAULT_MAX_SHOWN, SNIPPET_COLUMNS, github_line, more_line, render_github, render_human,
    render_json, write_human,
};

use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// The text of the files that were read, by the name diagnostics give them, so that
/// the lines shown under a message are those that were parsed: a file is never read
/// from disk again to show it (it may have changed, or never have been read at all
/// because it was refused).
#[derive(Clone, Debug, Default)]
pub struct Texts {
    files: HashMap<String, Arc<str>>,
}

impl Texts {
    pub fn insert(&mut self, file: &str, text: Arc<str>) {
        self.files.insert(file.to_owned(), text);
    }

    pub fn get(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(|t| &**t)
    }

    /// Keeps only the texts that some diagnostic points into.
    pub fn retain_used(&mut self, diagnostics: &[Diagnostic]) {
        let used: std::collections::HashSet<&str> =
            diagnostics.iter().map(|d| d.file.as_str()).collect();
        self.files.retain(|file, _| used.contains(file.as_str()));
    }
}

/// Where a value sits in its file: 1-based line and column (in characters; the human
/// output turns them into display columns), and how many characters the caret under
/// it should cover.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub len: u32,
}

impl Pos {
    pub const fn new(line: u32, column: u32, len: u32) -> Self {
        Self { line, column, len }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Every stable code a diagnostic can carry: the errors of FORMAT.md, then the lints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    YamlSyntax,
    DuplicateKey,
    UnknownField,
    InvalidType,
    InvalidValue,
    MissingField,
    InvalidId,
    DuplicateId,
    InvalidDate,
    UnknownReference,
    CitationCycle,
    InvalidUrl,
    FileOutsideRepository,
    MissingFile,
    ChecksumMismatch,
    FileTooLarge,
    AliasLimit,
    Lint(Lint),
}

/// The lints: warnings by default, each can be allowed or denied in `corroborate.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lint {
    ClaimWithoutEvidence,
    UnusedSource,
    MissingArchive,
    VerdictConflict,
    CircularReporting,
    MissingQuote,
    QuoteNotFound,
    QuotePageMismatch,
    UncheckedQuote,
    SingleChannel,
    ViaNotCiting,
    UnreadableCopy,
}

impl Lint {
    pub const ALL: [Lint; 12] = [
        Lint::ClaimWithoutEvidence,
        Lint::UnusedSource,
        Lint::MissingArchive,
        Lint::VerdictConflict,
        Lint::CircularReporting,
        Lint::MissingQuote,
        Lint::QuoteNotFound,
        Lint::QuotePageMismatch,
        Lint::UncheckedQuote,
        Lint::SingleChannel,
        Lint::ViaNotCiting,
        Lint::UnreadableCopy,
    ];

    /// Whether the lint is off unless `corroborate.yaml` turns it on: a quote that
    /// could not be checked (no copy with text) is common and usually nobody's fault.
    pub const fn allowed_by_default(self) -> bool {
        matches!(self, Lint::UncheckedQuote)
    }

    pub const fn name(self) -> &'static str {
        match self {
            Lint::ClaimWithoutEvidence => "claim-without-evidence",
            Lint::UnusedSource => "unused-source",
            Lint::MissingArchive => "missing-archive",
            Lint::VerdictConflict => "verdict-conflict",
            Lint::CircularReporting => "circular-reporting",
            Lint::MissingQuote => "missing-quote",
            Lint::QuoteNotFound => "quote-not-found",
            Lint::QuotePageMismatch => "quote-page-mismatch",
            Lint::UncheckedQuote => "unchecked-quote",
            Lint::SingleChannel => "single-channel",
            Lint::ViaNotCiting => "via-not-citing",
            Lint::UnreadableCopy => "unreadable-copy",
        }
    }

    pub fn from_name(name: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|lint| lint.name() == name)
    }
}

impl Code {
    pub const ERRORS: [Code; 17] = [
        Code::YamlSyntax,
        Code::DuplicateKey,
        Code::UnknownField,
        Code::InvalidType,
        Code::InvalidValue,
        Code::MissingField,
        Code::InvalidId,
        Code::DuplicateId,
        Code::InvalidDate,
        Code::UnknownReference,
        Code::CitationCycle,
        Code::InvalidUrl,
        Code::FileOutsideRepository,
        Code::MissingFile,
        Code::ChecksumMismatch,
        Code::FileTooLarge,
        Code::AliasLimit,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "yaml-syntax",
            Code::DuplicateKey => "duplicate-key",
            Code::UnknownField => "unknown-field",
            Code::InvalidType => "invalid-type",
            Code::InvalidValue => "invalid-value",
            Code::MissingField => "missing-field",
            Code::InvalidId => "invalid-id",
            Code::DuplicateId => "duplicate-id",
            Code::InvalidDate => "invalid-date",
            Code::UnknownReference => "unknown-reference",
            Code::CitationCycle => "citation-cycle",
            Code::InvalidUrl => "invalid-url",
            Code::FileOutsideRepository => "file-outside-repository",
            Code::MissingFile => "missing-file",
            Code::ChecksumMismatch => "checksum-mismatch",
            Code::FileTooLarge => "file-too-large",
            Code::AliasLimit => "alias-limit",
            Code::Lint(lint) => lint.name(),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem, at one place. `file` is relative to the repository root, with `/`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    pub len: u32,
    pub id: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            len: pos.len,
            id: None,
        }
    }

    pub fn lint(lint: Lint, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(Code::Lint(lint), file, pos, message)
        }
    }

    pub fn with_id(mut self, id: Option<&str>) -> Self {
        self.id = id.map(str::to_owned);
        self
    }

    /// The order diagnostics are shown in: by file, then place, then code.
    fn sort_key(&self) -> (&str, u32, u32, Code, &str) {
        (&self.file, self.line, self.column, self.code, &self.message)
    }
}

/// Sorts by file and line so the output reads top to bottom, and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

pub fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}
