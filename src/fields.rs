//! The fields of the format, as tables: name, type, whether required, and what each
//! means. The decoder accepts exactly these fields and `corroborate schema` prints them
//! as JSON Schema, so what editors check and what the tool reads cannot drift apart.
//! Each record's table is derived from its one declaration (`record!`); this module
//! holds the types of fields and the top-level keys of a data file.

use crate::config::{Config, LinksSettings, LintLevel};
use crate::model::{Archive, Claim, Entity, Evidence, LocalCopy, Related, Source, Verdict};

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// The record's own id.
    Id,
    /// One line or paragraph of plain text (numbers are taken as their text).
    Text,
    /// Markdown text.
    Markdown,
    /// The id of another record of the named kind.
    Reference(&'static str),
    /// A list of ids of records of the named kind.
    References(&'static str),
    /// An absolute http(s) URL.
    Url,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    Bool,
    /// One of a fixed list of words.
    Words(&'static [&'static str]),
    /// A verdict word, or an unquoted `true` / `false`.
    Verdict,
    /// Admiralty information credibility, 1 to 6.
    Credibility,
    Sha256,
    /// A DOI without a resolver prefix.
    Doi,
    /// `SCHEME:VALUE`: where an import took the record from.
    ImportKey,
    /// A BCP 47 language tag.
    Language,
    /// A list of free words or names (what each item is, in the plural: "names").
    Texts(&'static str),
    /// A list of nested records (the name of their table).
    Records(&'static str),
    /// A map of lint names to levels.
    LintLevels,
    /// A mapping of nested settings (the name of their table in [`SETTINGS`]).
    Settings(&'static str),
    /// A whole number from 1 to the given most.
    Count(u64),
    /// A whole number of bytes above zero.
    Bytes,
    /// A folder relative to the repository root.
    Folder,
    /// A file path relative to the repository root.
    File,
    /// A page above zero, or a range of pages `"3-4"`.
    Page,
}

/// One field of a record.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub doc: &'static str,
}

const fn field(name: &'static str, ty: Ty, required: bool, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required,
        doc,
    }
}

/// The top-level keys of a data file: each a list of records.
pub const DATA_FILE: &[Field] = &[
    field(
        "entities",
        Ty::Records("entity"),
        false,
        "Who makes claims, and who or what claims are about.",
    ),
    field(
        "sources",
        Ty::Records("source"),
        false,
        "Where evidence comes from: documents, pages, reports, statements.",
    ),
    field(
        "claims",
        Ty::Records("claim"),
        false,
        "What someone asserts, with the evidence for and against it.",
    ),
];

// The tables of the records and of the settings come from their declarations, beside
// their structs (`record!` in `model` and `config`).
pub const ENTITY: &[Field] = Entity::FIELDS;
pub const SOURCE: &[Field] = Source::FIELDS;
pub const CLAIM: &[Field] = Claim::FIELDS;
pub const EVIDENCE: &[Field] = Evidence::FIELDS;
pub const RELATED: &[Field] = Related::FIELDS;
pub const COPY: &[Field] = LocalCopy::FIELDS;
pub const ARCHIVE: &[Field] = Archive::FIELDS;
pub const CONFIG: &[Field] = Config::FIELDS;
pub const LINKS: &[Field] = LinksSettings::FIELDS;

/// The nested settings tables by name, as `Ty::Settings` refers to them.
pub const SETTINGS: &[(&str, &[Field])] = &[("links", LINKS)];

/// The record tables by name, as `Ty::Records` refers to them.
pub const RECORDS: &[(&str, &[Field])] = &[
    ("entity", ENTITY),
    ("source", SOURCE),
    ("copy", COPY),
    ("archive", ARCHIVE),
    ("claim", CLAIM),
    ("evidence", EVIDENCE),
    ("related", RELATED),
];

/// The words a lint level may be.
pub const LINT_LEVELS: &[&str] = LintLevel::WORDS;

/// Verdict words, for messages and the schema.
pub const VERDICTS: &[&str] = Verdict::WORDS;

pub fn names(fields: &[Field]) -> impl Iterator<Item = &'static str> + '_ {
    fields.iter().map(|f| f.name)
}
