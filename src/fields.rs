//! The fields of the format, as tables: name, type, whether required, and what each
//! means. The decoder accepts exactly these fields and `corroborate schema` prints them
//! as JSON Schema, so what editors check and what the tool reads cannot drift apart.

use crate::config::LintLevel;
use crate::model::{EntityKind, Relation, Reliability, SourceKind, Stance, Verdict};

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
    /// A BCP 47 language tag.
    Language,
    /// A list of free words or names.
    Texts,
    /// A list of nested records (the name of their table).
    Records(&'static str),
    /// A map of lint names to levels.
    LintLevels,
    /// A whole number of bytes above zero.
    Bytes,
    /// A folder relative to the repository root.
    Folder,
    /// A file path relative to the repository root.
    File,
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

pub const ENTITY: &[Field] = &[
    field(
        "id",
        Ty::Id,
        true,
        "Unique id: 1 to 80 characters of a-z, 0-9 and -, starting with a letter or digit.",
    ),
    field("name", Ty::Text, true, "Full name."),
    field(
        "kind",
        Ty::Words(EntityKind::WORDS),
        false,
        "What kind of actor this is (default: other).",
    ),
    field("aliases", Ty::Texts, false, "Other names, in any language."),
    field("url", Ty::Url, false, "Website (http or https)."),
    field("description", Ty::Markdown, false, "Markdown."),
    field(
        "sensitive",
        Ty::Bool,
        false,
        "true keeps this entity out of published output (shown as \"confidential\").",
    ),
];

pub const SOURCE: &[Field] = &[
    field(
        "id",
        Ty::Id,
        true,
        "Unique id: 1 to 80 characters of a-z, 0-9 and -, starting with a letter or digit.",
    ),
    field(
        "title",
        Ty::Text,
        true,
        "Title of the document, page or statement.",
    ),
    field(
        "kind",
        Ty::Words(SourceKind::WORDS),
        false,
        "What kind of source this is (default: other).",
    ),
    field(
        "publisher",
        Ty::Text,
        false,
        "Who published it, as free text.",
    ),
    field(
        "by",
        Ty::Reference("entity"),
        false,
        "The entity that produced the source. When it is a claim's claimant, the evidence is the claimant's own words.",
    ),
    field("author", Ty::Text, false, "Author, as free text."),
    field(
        "url",
        Ty::Url,
        false,
        "Where it can be read (http or https).",
    ),
    field(
        "archive_url",
        Ty::Url,
        false,
        "An archived copy, for example on web.archive.org (http or https).",
    ),
    field(
        "published",
        Ty::Date,
        false,
        "Publication date: YYYY, YYYY-MM or YYYY-MM-DD.",
    ),
    field(
        "accessed",
        Ty::Date,
        false,
        "When it was read: YYYY, YYYY-MM or YYYY-MM-DD.",
    ),
    field(
        "language",
        Ty::Language,
        false,
        "BCP 47 language tag, such as en, zh or zh-Hans.",
    ),
    field(
        "reliability",
        Ty::Words(Reliability::WORDS),
        false,
        "Admiralty source reliability: A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged.",
    ),
    field(
        "cites",
        Ty::References("source"),
        false,
        "Sources this one draws on; used to trace evidence back to its independent origins.",
    ),
    field(
        "file",
        Ty::File,
        false,
        "Local copy, relative to the repository root.",
    ),
    field(
        "sha256",
        Ty::Sha256,
        false,
        "SHA-256 of the local copy (64 hexadecimal digits), checked against `file`.",
    ),
    field("notes", Ty::Markdown, false, "Markdown."),
    field(
        "sensitive",
        Ty::Bool,
        false,
        "true hides this source in published output: only its kind and reliability are shown, as \"confidential source\".",
    ),
];

pub const CLAIM: &[Field] = &[
    field(
        "id",
        Ty::Id,
        true,
        "Unique id: 1 to 80 characters of a-z, 0-9 and -, starting with a letter or digit.",
    ),
    field(
        "statement",
        Ty::Text,
        true,
        "What is claimed, in one sentence.",
    ),
    field(
        "claimant",
        Ty::Reference("entity"),
        false,
        "The entity that asserts it.",
    ),
    field(
        "about",
        Ty::References("entity"),
        false,
        "Entities the claim is about.",
    ),
    field(
        "date",
        Ty::Date,
        false,
        "When the claim was made: YYYY, YYYY-MM or YYYY-MM-DD.",
    ),
    field(
        "appearance",
        Ty::Reference("source"),
        false,
        "The source where the claim was made or reported.",
    ),
    field(
        "tags",
        Ty::Texts,
        false,
        "Free words for grouping and filtering.",
    ),
    field(
        "verdict",
        Ty::Verdict,
        false,
        "The researcher's judgement: true, mostly-true, mixed, mostly-false, false or unproven.",
    ),
    field(
        "verdict_note",
        Ty::Markdown,
        false,
        "The reasoning behind the verdict (Markdown).",
    ),
    field(
        "sensitive",
        Ty::Bool,
        false,
        "true keeps this claim out of published output.",
    ),
    field(
        "evidence",
        Ty::Records("evidence"),
        false,
        "What sources say for, against or around the claim.",
    ),
    field(
        "related",
        Ty::Records("related"),
        false,
        "Links to other claims.",
    ),
];

pub const EVIDENCE: &[Field] = &[
    field("source", Ty::Reference("source"), true, "The source id."),
    field(
        "stance",
        Ty::Words(Stance::WORDS),
        true,
        "How the source bears on the claim.",
    ),
    field("quote", Ty::Text, false, "The exact words."),
    field(
        "quote_original",
        Ty::Text,
        false,
        "The words in the source's own language.",
    ),
    field(
        "locator",
        Ty::Text,
        false,
        "Where in the source: page, paragraph, timestamp.",
    ),
    field(
        "credibility",
        Ty::Credibility,
        false,
        "Admiralty information credibility: 1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.",
    ),
    field("note", Ty::Markdown, false, "Markdown."),
];

pub const RELATED: &[Field] = &[
    field(
        "claim",
        Ty::Reference("claim"),
        true,
        "The other claim's id.",
    ),
    field(
        "relation",
        Ty::Words(Relation::WORDS),
        true,
        "How this claim relates to the other one.",
    ),
];

pub const CONFIG: &[Field] = &[
    field(
        "title",
        Ty::Text,
        false,
        "Report title (default: Claims and evidence).",
    ),
    field(
        "description",
        Ty::Markdown,
        false,
        "Markdown, shown on the index page.",
    ),
    field(
        "base_url",
        Ty::Url,
        false,
        "Absolute URL the site is published at; used for canonical links and JSON-LD ids.",
    ),
    field(
        "data",
        Ty::Folder,
        false,
        "Folder holding the data files (default: claims).",
    ),
    field(
        "output",
        Ty::Folder,
        false,
        "Folder `corroborate build` writes (default: site).",
    ),
    field(
        "templates",
        Ty::Folder,
        false,
        "Folder of template overrides (default: templates).",
    ),
    field(
        "lints",
        Ty::LintLevels,
        false,
        "Lint name to allow, warn or deny (default: all warn).",
    ),
    field(
        "max_file_bytes",
        Ty::Bytes,
        false,
        "Largest data file accepted, in bytes (default: 67108864, 64 MiB).",
    ),
];

/// The record tables by name, as `Ty::Records` refers to them.
pub const RECORDS: &[(&str, &[Field])] = &[
    ("entity", ENTITY),
    ("source", SOURCE),
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
