//! The typed records of a research repository (entities, sources, claims and the
//! evidence that links them), as FORMAT.md defines them. Values that later checks may
//! need to point at keep their place in the file.

use crate::diagnostics::Pos;
use serde::{Serialize, Serializer};
use std::fmt;

/// Index of a data file in [`crate::Repository::files`].
pub type FileIdx = u32;

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// Declares an enum written in YAML as one of a fixed list of words.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
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

word_enum!(
    /// What kind of actor an entity is.
    EntityKind {
        Organization = "organization",
        Person = "person",
        Government = "government",
        Project = "project",
        Other = "other",
    }
);

word_enum!(
    /// What kind of document a source is.
    SourceKind {
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

/// Where a record was written: its file and the place of its first field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: FileIdx,
    pub pos: Pos,
}

/// Who makes claims and whom they are about.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub at: Origin,
    pub id: Located<String>,
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
    pub url: Option<Located<String>>,
    pub description: Option<String>,
    pub sensitive: bool,
}

/// Where evidence comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub at: Origin,
    pub id: Located<String>,
    pub title: String,
    pub kind: SourceKind,
    pub publisher: Option<String>,
    pub by: Option<Located<String>>,
    pub author: Option<String>,
    pub url: Option<Located<String>>,
    pub archive_url: Option<Located<String>>,
    pub published: Option<Date>,
    pub accessed: Option<Date>,
    pub language: Option<String>,
    pub reliability: Option<Reliability>,
    pub cites: Vec<Located<String>>,
    pub file: Option<Located<String>>,
    pub sha256: Option<Located<String>>,
    pub notes: Option<String>,
    pub sensitive: bool,
}

/// What someone asserts, with the evidence for and against it.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub at: Origin,
    pub id: Located<String>,
    pub statement: String,
    pub claimant: Option<Located<String>>,
    pub about: Vec<Located<String>>,
    pub date: Option<Date>,
    pub appearance: Option<Located<String>>,
    pub tags: Vec<String>,
    pub verdict: Option<Located<Verdict>>,
    pub verdict_note: Option<String>,
    pub sensitive: bool,
    pub evidence: Vec<Evidence>,
    pub related: Vec<Related>,
}

/// One source's bearing on one claim.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    #[serde(skip)]
    pub pos: Pos,
    pub source: Located<String>,
    pub stance: Stance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_original: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credibility: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A link from one claim to another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Related {
    #[serde(skip)]
    pub pos: Pos,
    pub claim: Located<String>,
    pub relation: Relation,
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
