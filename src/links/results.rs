//! The results of `corroborate links`, kept in `.corroborate/links.json`: each row with
//! when it was asked, so that a weekly run with `--since 7d` asks again only what is
//! older. The state folder's `.gitignore` lets this one file be committed. A sensitive
//! source's rows are kept only with `--include-sensitive`, like everything else
//! meant to be published.
//!
//! A file that cannot be read, is too large, or is of another version is no results;
//! one that cannot be written is reported by the command but loses nothing else.

use super::{Kind, Options, Report, Row};
use crate::access::Root;
use crate::copies;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The file's name in the state folder.
pub const FILE: &str = "links.json";
/// The most read of it: far past the results of the largest cases.
const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Bumped when what a row means changes.
const VERSION: u32 = 1;

/// One row as kept, with when it was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    #[serde(flatten)]
    pub row: Row,
    /// Seconds since 1970, UTC.
    pub checked_at: u64,
    /// Whether the availability API was asked for a capture (a source with no
    /// archived copy then); a result without that is not reused for one that has none now.
    #[serde(default)]
    pub nearest_asked: bool,
}

/// The rows of the last run, sorted by source id, URL and kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub version: u32,
    pub checked: Vec<Stored>,
}

impl Results {
    /// Reads the results kept in the repository at `root`; none when there are none.
    pub fn read(root: &Root) -> Results {
        root.read(&Path::new(copies::STATE_FOLDER).join(FILE), MAX_BYTES)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Results>(&bytes).ok())
            .filter(|r| r.version == VERSION && r.checked.is_sorted_by(|a, b| key(a) <= key(b)))
            .unwrap_or_default()
    }

    /// A hash of every row, for what a page made from them depends on.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for s in &self.checked {
            s.row.source.hash(&mut hasher);
            s.row.url.hash(&mut hasher);
            s.row.kind.hash(&mut hasher);
            s.row.status.as_str().hash(&mut hasher);
            s.checked_at.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// The kept row of `url` of the source `source`.
    pub fn find(&self, source: &str, url: &str, kind: Kind) -> Option<&Stored> {
        let at = self
            .checked
            .binary_search_by(|s| key(s).cmp(&(source, url, kind)))
            .ok()?;
        self.checked.get(at)
    }

    /// What a run keeps: its rows, a sensitive source's only with `--include-sensitive`.
    pub fn of(report: &Report, options: &Options) -> Results {
        let mut checked: Vec<Stored> = report
            .shown(options)
            .map(|line| Stored {
                row: line.row.clone(),
                checked_at: line.checked_at,
                nearest_asked: line.nearest_asked,
            })
            .collect();
        checked.sort_by(|a, b| key(a).cmp(&key(b)));
        Results {
            version: VERSION,
            checked,
        }
    }

    /// Writes the results into the state folder of `root` (whole, or not at all).
    pub fn write(&self, root: &Root) -> std::io::Result<()> {
        let folder = copies::state_folder(root).ok_or_else(|| {
            std::io::Error::other(format!(
                "{} is not a folder of the repository",
                copies::STATE_FOLDER
            ))
        })?;
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        copies::write_state_file(root, &folder, FILE, &json)
    }
}

fn key(s: &Stored) -> (&str, &str, Kind) {
    (&s.row.source, &s.row.url, s.row.kind)
}

/// The UTC date of `seconds` since 1970, `YYYY-MM-DD` (Howard Hinnant's
/// days-to-civil algorithm, exact for the proleptic Gregorian calendar).
pub fn date_of(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Seconds since 1970 (0 for a clock set before it).
pub fn seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `--since`: a number and a unit, `30m`, `12h`, `7d` or `2w`.
pub fn parse_age(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let unit_s: u64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!(
                "`{text}` is not an age: write a number and s, m, h, d or w, such as 7d"
            ));
        }
    };
    let n: u64 = digits.parse().map_err(|_| {
        format!("`{text}` is not an age: write a number and s, m, h, d or w, such as 7d")
    })?;
    n.checked_mul(unit_s)
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| format!("`{text}` is too long an age"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_the_utc_calendar_dates() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(951_782_400), "2000-02-29");
        assert_eq!(date_of(1_796_083_199), "2026-11-30");
        assert_eq!(date_of(1_796_083_200), "2026-12-01");
        assert_eq!(date_of(4_107_542_400), "2100-03-01");
    }

    #[test]
    fn ages_are_read_with_their_unit() {
        assert_eq!(
            parse_age("7d"),
            Ok(std::time::Duration::from_secs(7 * 86_400))
        );
        assert_eq!(parse_age("30m"), Ok(std::time::Duration::from_secs(1800)));
        assert!(parse_age("7").is_err());
        assert!(parse_age("d").is_err());
        assert!(parse_age("-1d").is_err());
        assert!(parse_age("99999999999999999999w").is_err());
    }
}
