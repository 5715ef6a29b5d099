//! The typed records of a research repository (entities, sources, claims and the
//! evidence that links them), as FORMAT.md defines them. Values that later checks may
//! need to point at keep their place in the file.

use crate::decode;
use crate::diagnostics::Pos;
use crate::fields::Ty;
use serde::{Serialize, Serializer};
use std::fmt;

/// Index of a data file in [`crate::Repository::files`].
pub type FileIdx = u32;

/// A value and where it was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// An enum written in YAML as one of a fixed list of words (declared with `word_enum!`);
/// the decoder reads every such field the same way.
pub trait Word: Copy + Sized + 'static {
    const WORDS: &'static [&'static str];
    fn from_word(word: &str) -> Option<Self>;
}

/// What a field's Rust type holds when the field is not written (or written wrong), and
/// whether the export then leaves it out. Declared fields of every record need it.
pub trait Unwritten: Sized {
    /// `None` when the record cannot do without the field: it is then dropped, after
    /// the problem was reported.
    fn unwritten() -> Option<Self> {
        None
    }

    /// Only an optional value that is absent is left out of the export; empty lists
    /// and `false` are written, so that every record has the same keys.
    fn is_unwritten(&self) -> bool {
        false
    }
}

impl<T> Unwritten for Option<T> {
    fn unwritten() -> Option<Self> {
        Some(None)
    }

    fn is_unwritten(&self) -> bool {
        self.is_none()
    }
}

impl<T> Unwritten for Vec<T> {
    fn unwritten() -> Option<Self> {
        Some(Vec::new())
    }
}

impl Unwritten for String {
    fn unwritten() -> Option<Self> {
        Some(String::new())
    }
}

impl Unwritten for bool {
    fn unwritten() -> Option<Self> {
        Some(false)
    }
}

impl<T> Unwritten for Located<T> {}

/// Declares an enum written in YAML as one of a fixed list of words, optionally with
/// the word a record takes when the field is left out (`= Variant`).
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident $(= $default:ident)? { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn from_word(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl Word for $name {
            const WORDS: &'static [&'static str] = $name::WORDS;

            fn from_word(word: &str) -> Option<Self> {
                $name::from_word(word)
            }
        }

        impl Unwritten for $name {
            fn unwritten() -> Option<Self> {
                None $(.or(Some($name::$default)))?
            }
        }

        $(
            impl Default for $name {
                fn default() -> Self {
                    $name::$default
                }
            }
        )?

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

/// Declares a record once: each field's name, Rust type, table type, whether it is
/// required, and what it means. From that one declaration come the struct, its field
/// table (`FIELDS`, which the decoder accepts and `schema` prints), the decoder's
/// reading of it (required fields are the table's; `read path` names a special
/// reader) and its serialisation in the export (absent optional values left out).
///
/// ```text
/// record! {
///     /// Doc of the struct.
///     #[derive(...)]
///     pub struct Name("what it is called in messages") place: Origin {
///         field: RustType, Ty::Text, required, "What it means." [, read path::to::reader];
///     }
/// }
/// ```
///
/// The place (`at: Origin` for top-level records, `pos: Pos` for nested ones) is
/// where the mapping starts; it is not a field. Attributes written before a field
/// (`#[serde(skip)]`) go to the struct's field as they are. `settings` instead of `struct`
/// declares the settings file: no serialisation, and `default EXPR` gives a field's
/// value when it is missing or wrong (else the type's `Default`).
macro_rules! record {
    (@required required) => { true };
    (@required optional) => { false };
    (@reader $ty:ty) => { <$ty as $crate::decode::Read>::read };
    (@reader $ty:ty, $reader:path) => { $reader };
    (@default) => { Default::default() };
    (@default $default:expr) => { $default };
    (@table $($field:ident, $fty:expr, $req:ident, $doc:expr;)*) => {
        &[$($crate::fields::Field {
            name: stringify!($field),
            ty: $fty,
            required: record!(@required $req),
            doc: $doc,
        }),*]
    };

    (
        $(#[$meta:meta])*
        pub struct $name:ident($what:literal) $place:ident: $place_ty:ty {
            $(
                $(#[$fmeta:meta])*
                $field:ident: $ty:ty, $fty:expr, $req:ident, $doc:expr $(, read $reader:path)?;
            )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            /// Where the record starts (not a field).
            #[serde(skip)]
            pub $place: $place_ty,
            $(
                #[doc = $doc]
                #[serde(skip_serializing_if = "crate::model::Unwritten::is_unwritten")]
                $(#[$fmeta])*
                pub $field: $ty,
            )*
        }

        impl $name {
            /// The declared fields, in the order they are read and printed.
            pub const FIELDS: &'static [$crate::fields::Field] =
                record!(@table $($field, $fty, $req, $doc;)*);
        }

        impl $crate::decode::Record for $name {
            const WHAT: &'static str = $what;
            const FIELDS: &'static [$crate::fields::Field] = $name::FIELDS;

            fn read(f: &mut $crate::decode::Fields<'_, '_>) -> Option<Self> {
                // Every field is read, and so every problem reported, before a missing
                // required one drops the record.
                $(
                    let $field = f.field(stringify!($field), record!(@reader $ty $(, $reader)?))
                        .or_else(<$ty as $crate::model::Unwritten>::unwritten);
                )*
                Some($name {
                    $place: $crate::decode::Place::place(f),
                    $($field: $field?,)*
                })
            }
        }
    };

    (
        $(#[$meta:meta])*
        pub settings $name:ident($what:literal) {
            $(
                $field:ident: $ty:ty, $fty:expr, $req:ident, $doc:expr
                    $(, read $reader:path)? $(, default $default:expr)?;
            )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                #[doc = $doc]
                pub $field: $ty,
            )*
        }

        impl $name {
            pub const WHAT: &'static str = $what;
            /// The declared fields, in the order they are read and printed.
            pub const FIELDS: &'static [$crate::fields::Field] =
                record!(@table $($field, $fty, $req, $doc;)*);

            /// Reads the settings; what is missing or wrong keeps its default.
            pub(crate) fn read(f: &mut $crate::decode::Fields<'_, '_>) -> Self {
                $name {
                    $($field: f
                        .field(stringify!($field), record!(@reader $ty $(, $reader)?))
                        .unwrap_or_else(|| record!(@default $($default)?)),)*
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $($field: record!(@default $($default)?),)* }
            }
        }
    };
}

pub(crate) use record;

/// The id rule, as the field tables word it (a macro: doc attributes take no consts).
macro_rules! id_doc {
    () => {
        "Unique id: 1 to 80 characters of a-z, 0-9 and -, starting with a letter or digit."
    };
}

word_enum!(
    /// What kind of actor an entity is.
    EntityKind = Other {
        Organization = "organization",
        Person = "person",
        Government = "government",
        Project = "project",
        Other = "other",
    }
);

word_enum!(
    /// What kind of document a source is.
    SourceKind = Other {
        Document = "document",
        Procurement = "procurement",
        Filing = "filing",
        Statement = "statement",
        Website = "website",
        News = "news",
        Report = "report",
        Academic = "academic",
        Dataset = "dataset",
        Media = "media",
        Interview = "interview",
        Other = "other",
    }
);

word_enum!(
    /// Admiralty source reliability, A (completely reliable) to F (cannot be judged).
    Reliability { A = "A", B = "B", C = "C", D = "D", E = "E", F = "F" }
);

word_enum!(
    /// What a local copy of a source is: the document itself, an archived capture, a
    /// text extraction (OCR, `pdftotext`) of another copy, a translation, a screenshot.
    Role = Original {
        Original = "original",
        Archive = "archive",
        Text = "text",
        Translation = "translation",
        Screenshot = "screenshot",
    }
);

word_enum!(
    /// How an evidence item bears on its claim.
    Stance { Supports = "supports", Contradicts = "contradicts", Context = "context" }
);

word_enum!(
    /// How a claim relates to another claim.
    Relation { Supports = "supports", Contradicts = "contradicts", Refines = "refines" }
);

word_enum!(
    /// The researcher's judgement of a claim.
    Verdict {
        True = "true",
        MostlyTrue = "mostly-true",
        Mixed = "mixed",
        MostlyFalse = "mostly-false",
        False = "false",
        Unproven = "unproven",
    }
);

word_enum!(
    /// What the evidence shows, computed beside the verdict.
    Balance {
        NoEvidence = "no-evidence",
        Supported = "supported",
        Contradicted = "contradicted",
        Contested = "contested",
    }
);

/// A date as precise as the researcher knows it: a year, a month or a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, refusing dates that do not exist.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let year = parts.next().filter(|p| p.len() == 4)?;
        let month = parts.next();
        let day = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let number = |p: &str, width: usize| -> Option<u16> {
            (p.len() == width && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let year = number(year, 4)?;
        let month = match month {
            Some(m) => Some(number(m, 2)?),
            None => None,
        };
        let day = match day {
            Some(d) => Some(number(d, 2)?),
            None => None,
        };
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return None;
            }
            if let Some(d) = day
                && (d < 1 || d > days_in_month(year, m))
            {
                return None;
            }
        }
        Some(Date {
            year,
            month: month.and_then(|m| u8::try_from(m).ok()),
            day: day.and_then(|d| u8::try_from(d).ok()),
        })
    }
}

fn days_in_month(year: u16, month: u16) -> u16 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A page of a document, or a range of pages (`3`, `"3-4"`): where in the quoted copy
/// a quote stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pages {
    pub first: u32,
    pub last: u32,
}

impl Pages {
    /// Reads `3` or `3-4`: whole numbers above zero, the first not after the last.
    pub fn parse(text: &str) -> Option<Pages> {
        let number = |p: &str| -> Option<u32> {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
                .filter(|&n| n > 0)
        };
        let (first, last) = match text.split_once('-') {
            Some((first, last)) => (number(first.trim())?, number(last.trim())?),
            None => {
                let page = number(text)?;
                (page, page)
            }
        };
        (first <= last).then_some(Pages { first, last })
    }

    pub fn contains(&self, page: u32) -> bool {
        (self.first..=self.last).contains(&page)
    }
}

impl fmt::Display for Pages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// One page as a number, a range as its text (`"3-4"`), as it is written.
impl Serialize for Pages {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.first == self.last {
            serializer.serialize_u32(self.first)
        } else {
            serializer.collect_str(self)
        }
    }
}

/// Where a record was written: its file and the place of its first field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: FileIdx,
    pub pos: Pos,
}

record! {
    /// Who makes claims and whom they are about.
    #[derive(Clone, Debug, Default, PartialEq, Serialize)]
    pub struct Entity("entity") at: Origin {
        id: Located<String>, Ty::Id, required, id_doc!();
        name: String, Ty::Text, required, "Full name.";
        kind: EntityKind, Ty::Words(EntityKind::WORDS), optional,
            "What kind of actor this is (default: other).";
        aliases: Vec<String>, Ty::Texts("names"), optional, "Other names, in any language.";
        url: Option<Located<String>>, Ty::Url, optional, "Website (http or https).";
        description: Option<String>, Ty::Markdown, optional, "Markdown.";
        sensitive: bool, Ty::Bool, optional,
            "true keeps this entity out of published output (shown as \"confidential\").";
    }
}

record! {
    /// Where evidence comes from.
    #[derive(Clone, Debug, Default, PartialEq, Serialize)]
    pub struct Source("source") at: Origin {
        id: Located<String>, Ty::Id, required, id_doc!();
        title: String, Ty::Text, required, "Title of the document, page or statement.";
        kind: SourceKind, Ty::Words(SourceKind::WORDS), optional,
            "What kind of source this is (default: other).";
        publisher: Option<String>, Ty::Text, optional, "Who published it, as free text.";
        by: Option<Located<String>>, Ty::Reference("entity"), optional,
            "The entity that produced the source. When it is a claim's claimant, the evidence is the claimant's own words.";
        author: Option<String>, Ty::Text, optional, "Author, as free text.";
        url: Option<Located<String>>, Ty::Url, optional, "Where it can be read (http or https).";
        // The export writes the shorthand as written, and every archived copy, the
        // shorthand included, as one list (`Source::archives`).
        archive_url: Option<Located<String>>, Ty::Url, optional,
            "An archived copy, for example on web.archive.org (http or https): the one-item shorthand of `archives`.";
        #[serde(skip)]
        archives: Vec<Archive>, Ty::Records("archive"), optional,
            "Archived copies on the web, each with its `url` and the date it was `captured`; a source has `archive_url` or `archives`, not both.";
        published: Option<Date>, Ty::Date, optional,
            "Publication date: YYYY, YYYY-MM or YYYY-MM-DD.";
        accessed: Option<Date>, Ty::Date, optional,
            "When it was read: YYYY, YYYY-MM or YYYY-MM-DD.";
        language: Option<String>, Ty::Language, optional,
            "BCP 47 language tag, such as en, zh or zh-Hans.";
        doi: Option<Located<String>>, Ty::Doi, optional,
            "A DOI, such as 10.1234/example.5678, without https://doi.org/.";
        import_key: Option<Located<String>>, Ty::ImportKey, optional,
            "Where an import took the record from, SCHEME:VALUE (zotero:, bibtex:, doi:, claimreview:, csv:); unique across the repository.";
        reliability: Option<Reliability>, Ty::Words(Reliability::WORDS), optional,
            "Admiralty source reliability: A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged.";
        cites: Vec<Located<String>>, Ty::References("source"), optional,
            "Sources this one draws on; used to trace evidence back to its independent origins.";
        file: Option<Located<String>>, Ty::File, optional,
            "Local copy, relative to the repository root (the one-item shorthand of `files`).";
        sha256: Option<Located<String>>, Ty::Sha256, optional,
            "SHA-256 of the local copy (64 hexadecimal digits), checked against `file`.";
        // The export writes every copy, the shorthand included, as one list
        // (`Source::copies`).
        #[serde(skip)]
        files: Vec<LocalCopy>, Ty::Records("copy"), optional,
            "Local copies (the document, an archived capture, a text extraction, a translation, a screenshot); a source has `file` or `files`, not both.";
        notes: Option<String>, Ty::Markdown, optional, "Markdown.";
        sensitive: bool, Ty::Bool, optional,
            "true hides this source in published output: only its kind and reliability are shown, as \"confidential source\".";
    }
}

record! {
    /// One local copy of a source, an item of its `files`.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct LocalCopy("local copy") pos: Pos {
        path: Located<String>, Ty::File, required,
            "Path of the copy, relative to the repository root.";
        sha256: Option<Located<String>>, Ty::Sha256, optional,
            "SHA-256 of the copy (64 hexadecimal digits), checked when given.";
        role: Role, Ty::Words(Role::WORDS), optional,
            "What the copy is: original, archive, text (a text extraction of another copy), translation or screenshot (default: original).";
        captured: Option<Date>, Ty::Date, optional,
            "When the copy was made: YYYY, YYYY-MM or YYYY-MM-DD.";
    }
}

record! {
    /// One archived copy of a source on the web, an item of its `archives`.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Archive("archive") pos: Pos {
        url: Located<String>, Ty::Url, required,
            "Where the archived copy can be read (http or https), for example on web.archive.org.";
        captured: Option<Date>, Ty::Date, optional,
            "When the capture was made: YYYY, YYYY-MM or YYYY-MM-DD.";
    }
}

/// One archived copy of a source, however it was written: an item of `archives`, or
/// the `archive_url` shorthand (no date). Everything that reads archived copies (the
/// export, the pages, the lints, `links`) reads them through [`Source::archives`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SourceArchive<'a> {
    pub url: &'a Located<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<Date>,
}

/// One local copy of a source, however it was written: an item of `files`, or the
/// `file` + `sha256` shorthand (role `original`). Everything that reads copies (the
/// checksum check, the export, the pages, `serve`'s watcher, `diff`) reads them
/// through [`Source::copies`], so the two spellings cannot be treated differently.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SourceCopy<'a> {
    pub path: &'a Located<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<&'a Located<String>>,
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<Date>,
}

impl Source {
    /// The source's local copies: the `file` shorthand first, then `files` in the
    /// order written (both only in data that has the `invalid-value` error for it).
    pub fn copies(&self) -> impl Iterator<Item = SourceCopy<'_>> + '_ {
        let shorthand = self.file.as_ref().map(|path| SourceCopy {
            path,
            sha256: self.sha256.as_ref(),
            role: Role::Original,
            captured: None,
        });
        shorthand
            .into_iter()
            .chain(self.files.iter().map(|copy| SourceCopy {
                path: &copy.path,
                sha256: copy.sha256.as_ref(),
                role: copy.role,
                captured: copy.captured,
            }))
    }

    /// The source's archived copies: the `archive_url` shorthand first, then
    /// `archives` in the order written (both only in data that has the
    /// `invalid-value` error for it).
    pub fn archives(&self) -> impl Iterator<Item = SourceArchive<'_>> + '_ {
        let shorthand = self.archive_url.as_ref().map(|url| SourceArchive {
            url,
            captured: None,
        });
        shorthand
            .into_iter()
            .chain(self.archives.iter().map(|a| SourceArchive {
                url: &a.url,
                captured: a.captured,
            }))
    }

    /// Whether the source has any archived copy.
    pub fn has_archives(&self) -> bool {
        self.archive_url.is_some() || !self.archives.is_empty()
    }

    /// Whether the source has any local copy.
    pub fn has_copies(&self) -> bool {
        self.file.is_some() || !self.files.is_empty()
    }
}

record! {
    /// What someone asserts, with the evidence for and against it.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Claim("claim") at: Origin {
        id: Located<String>, Ty::Id, required, id_doc!();
        statement: String, Ty::Text, required, "What is claimed, in one sentence.";
        claimant: Option<Located<String>>, Ty::Reference("entity"), optional,
            "The entity that asserts it.";
        about: Vec<Located<String>>, Ty::References("entity"), optional,
            "Entities the claim is about.";
        date: Option<Date>, Ty::Date, optional,
            "When the claim was made: YYYY, YYYY-MM or YYYY-MM-DD.";
        appearance: Option<Located<String>>, Ty::Reference("source"), optional,
            "The source where the claim was made or reported.";
        tags: Vec<String>, Ty::Texts("words"), optional, "Free words for grouping and filtering.";
        verdict: Option<Located<Verdict>>, Ty::Verdict, optional,
            "The researcher's judgement: true, mostly-true, mixed, mostly-false, false or unproven.",
            read decode::verdict;
        verdict_note: Option<String>, Ty::Markdown, optional,
            "The reasoning behind the verdict (Markdown).";
        import_key: Option<Located<String>>, Ty::ImportKey, optional,
            "Where an import took the record from, SCHEME:VALUE (claimreview: and the review's URL, csv:); unique across the repository.";
        sensitive: bool, Ty::Bool, optional, "true keeps this claim out of published output.";
        // The export writes the nested lists itself, after the facts computed from them.
        #[serde(skip)]
        evidence: Vec<Evidence>, Ty::Records("evidence"), optional,
            "What sources say for, against or around the claim.";
        #[serde(skip)]
        related: Vec<Related>, Ty::Records("related"), optional, "Links to other claims.";
    }
}

record! {
    /// One source's bearing on one claim.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Evidence("evidence item") pos: Pos {
        source: Located<String>, Ty::Reference("source"), required,
            "The source id: the document whose content bears on the claim.";
        via: Option<Located<String>>, Ty::Reference("source"), optional,
            "The source through which the researcher knows the content of `source` (a report describing a document it does not reproduce); another source than `source`. It adds no origin.";
        stance: Stance, Ty::Words(Stance::WORDS), required, "How the source bears on the claim.";
        quote: Option<Located<String>>, Ty::Text, optional, "The exact words.";
        quote_original: Option<Located<String>>, Ty::Text, optional,
            "The words in the source's own language.";
        locator: Option<String>, Ty::Text, optional,
            "Where in the source: page, paragraph, timestamp.";
        page: Option<Located<Pages>>, Ty::Page, optional,
            "Page of the quoted copy (a whole number above zero), or a range such as \"3-4\".";
        credibility: Option<u8>, Ty::Credibility, optional,
            "Admiralty information credibility: 1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.",
            read decode::credibility;
        note: Option<String>, Ty::Markdown, optional, "Markdown.";
    }
}

impl Evidence {
    /// The item's channel: where the researcher read it, its `via` when given, else
    /// its `source`. Several origins read in one channel were not checked apart.
    pub fn channel(&self) -> &Located<String> {
        self.via.as_ref().unwrap_or(&self.source)
    }

    /// The quoted source, whose local copies hold the quoted words: the source the
    /// item was read in ([`Evidence::channel`]), since a report that relays a document
    /// quotes it in its own pages.
    pub fn quoted_source(&self) -> &Located<String> {
        self.channel()
    }

    /// The words looked for in the quoted source's copies: `quote_original` when
    /// given (the source's own wording; `quote` is then a translation), else `quote`.
    pub fn quoted_text(&self) -> Option<&Located<String>> {
        self.quote_original.as_ref().or(self.quote.as_ref())
    }
}

record! {
    /// A link from one claim to another.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Related("related claim") pos: Pos {
        claim: Located<String>, Ty::Reference("claim"), required, "The other claim's id.";
        relation: Relation, Ty::Words(Relation::WORDS), required,
            "How this claim relates to the other one.";
    }
}

/// The records of one data file, in the order they were written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Records {
    pub entities: Vec<Entity>,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
}

impl Records {
    /// Points every record at data file `file` (after the files were renumbered).
    pub fn set_file(&mut self, file: FileIdx) {
        self.entities.iter_mut().for_each(|e| e.at.file = file);
        self.sources.iter_mut().for_each(|s| s.at.file = file);
        self.claims.iter_mut().for_each(|c| c.at.file = file);
    }

    pub fn append(&mut self, mut other: Records) {
        self.entities.append(&mut other.entities);
        self.sources.append(&mut other.sources);
        self.claims.append(&mut other.claims);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_every_precision() {
        assert_eq!(
            Date::parse("2017").map(|d| d.to_string()),
            Some("2017".into())
        );
        assert_eq!(
            Date::parse("2017-06").map(|d| d.to_string()),
            Some("2017-06".into())
        );
        assert_eq!(
            Date::parse("2016-02-29").map(|d| d.to_string()),
            Some("2016-02-29".into())
        );
    }

    #[test]
    fn pages_and_ranges() {
        let parse = |text| Pages::parse(text).map(|p| p.to_string());
        assert_eq!(parse("3"), Some("3".into()));
        assert_eq!(parse("3-4"), Some("3-4".into()));
        assert_eq!(parse("4-4"), Some("4".into()));
        for bad in ["0", "4-3", "-2", "2.5", "three", "", "3-", "1-0", "+3"] {
            assert_eq!(Pages::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn impossible_or_malformed_dates_are_refused() {
        for bad in [
            "2017-02-30",
            "2017-13",
            "2017-6",
            "17",
            "2017-06-14-1",
            "2017/06",
            "",
            "2100-02-29",
            "２０１７",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }
}
