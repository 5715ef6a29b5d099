//! The outcomes of quote checks kept between runs, in `.corroborate/quotes.json`, so
//! that a `check` whose copies and quotes have not changed reads no copy's text and
//! matches no quote: it costs what hashing the copies already costs (`check` hashes
//! them anyway to compare their `sha256`), not a pass of the matcher over every copy.
//!
//! Like the text cache it is an optimisation, never a source of truth. An outcome is
//! used only under the key it was stored with: the quote's words and, for each copy
//! of the quoted source in order, its path and the key of its text (sha256, format,
//! extractor version; see [`crate::copies::text_key`]), all with the matcher's own
//! source text, so a changed copy, quote or matcher is checked again. A file that
//! cannot be read, or is of another version, is an empty cache; one that cannot be
//! written leaves the cache unused.

use crate::access::Root;
use crate::copies::{self, Problem};
use crate::quote_check::{Closest, QuoteCheck, Unchecked};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The file's name in the state folder.
const FILE: &str = "quotes.json";

/// The most a cache file may hold when it is read (a hostile or broken one is then
/// simply not used): far past the outcomes of the largest cases.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// What outcomes are valid for: this build's version and the matcher's source text, so
/// that a changed matcher never reuses what an older one found.
fn version() -> String {
    let mut hasher = Sha256::new();
    hasher.update(include_str!("quotes.rs"));
    hasher.update(include_str!("quote_check.rs"));
    format!(
        "{}-{}",
        env!("CARGO_PKG_VERSION"),
        &copies::hex(&hasher.finalize())[..16]
    )
}

/// The outcomes as stored.
#[derive(Default, Serialize, Deserialize)]
pub struct Stored {
    version: String,
    /// By text key: why the copy has no text, or `None` when it has.
    copies: foldhash::HashMap<String, Option<Problem>>,
    /// By quote key ([`CopiesKey::quote`]), sorted by it (a list is read faster than
    /// a map is built, and searched as fast).
    quotes: Vec<(QuoteKey, StoredCheck)>,
}

/// The key of one quote looked for in one list of copies: 128 bits of a sha256, so that
/// no two quotes of a case meet by chance; written as 32 hexadecimal digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuoteKey(u128);

impl Serialize for QuoteKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{:032x}", self.0))
    }
}

impl<'de> Deserialize<'de> for QuoteKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Hex;
        impl serde::de::Visitor<'_> for Hex {
            type Value = QuoteKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("32 hexadecimal digits")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<QuoteKey, E> {
                let digits = text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit());
                match u128::from_str_radix(text, 16) {
                    Ok(key) if digits => Ok(QuoteKey(key)),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(text), &self)),
                }
            }
        }
        deserializer.deserialize_str(Hex)
    }
}

/// A [`QuoteCheck`] as stored (never `Withheld`, which editions make later): a copy is
/// named by its place among the quoted source's copies, whose path and sha256 the key
/// already fixes.
#[derive(Clone, Serialize, Deserialize)]
pub enum StoredCheck {
    Verified {
        copy: usize,
        page: Option<u32>,
        /// Every page a match starts on, when they are more than `page`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pages: Vec<u32>,
    },
    NotFound {
        copy: Option<usize>,
        closest: Option<(String, Option<u32>)>,
    },
    NoQuote,
    NoTextCopy,
    Unreadable(Vec<(String, Problem)>),
}

impl StoredCheck {
    /// `check` as stored, for a source whose copies are `copies` (path, sha256).
    pub fn of(check: &QuoteCheck, copies: &[(&str, &str)]) -> Option<StoredCheck> {
        let place = |file: &str, sha256: Option<&str>| {
            copies
                .iter()
                .position(|&(path, sum)| path == file && sha256.is_none_or(|s| s == sum))
        };
        Some(match check {
            QuoteCheck::Verified {
                file,
                sha256,
                page,
                pages,
            } => StoredCheck::Verified {
                copy: place(file, Some(sha256))?,
                page: *page,
                pages: match page {
                    Some(page) if pages == std::slice::from_ref(page) => Vec::new(),
                    _ => pages.clone(),
                },
            },
            QuoteCheck::NotFound { file, closest } => StoredCheck::NotFound {
                copy: match file {
                    Some(file) => Some(place(file, None)?),
                    None => None,
                },
                closest: closest.as_ref().map(|c| (c.text.clone(), c.page)),
            },
            QuoteCheck::Unchecked(Unchecked::NoQuote) => StoredCheck::NoQuote,
            QuoteCheck::Unchecked(Unchecked::NoTextCopy) => StoredCheck::NoTextCopy,
            QuoteCheck::Unchecked(Unchecked::Unreadable(problems)) => {
                StoredCheck::Unreadable(problems.clone())
            }
            QuoteCheck::Withheld(_) => return None,
        })
    }

    /// The check again, for the same `copies`; `None` if it names no copy of them.
    pub fn check(&self, copies: &[(&str, &str)]) -> Option<QuoteCheck> {
        Some(match self.clone() {
            StoredCheck::Verified { copy, page, pages } => {
                let &(file, sha256) = copies.get(copy)?;
                QuoteCheck::Verified {
                    file: file.to_owned(),
                    sha256: sha256.to_owned(),
                    page,
                    pages: match (page, pages.is_empty()) {
                        (Some(page), true) => vec![page],
                        _ => pages,
                    },
                }
            }
            StoredCheck::NotFound { copy, closest } => QuoteCheck::NotFound {
                file: match copy {
                    Some(copy) => Some(copies.get(copy)?.0.to_owned()),
                    None => None,
                },
                closest: closest.map(|(text, page)| Closest { text, page }),
            },
            StoredCheck::NoQuote => QuoteCheck::Unchecked(Unchecked::NoQuote),
            StoredCheck::NoTextCopy => QuoteCheck::Unchecked(Unchecked::NoTextCopy),
            StoredCheck::Unreadable(problems) => {
                QuoteCheck::Unchecked(Unchecked::Unreadable(problems))
            }
        })
    }
}

/// The outcomes of one run, to be saved: those kept from the cache (by key) and the
/// new ones.
#[derive(Default)]
pub struct Outcomes {
    kept: foldhash::HashSet<QuoteKey>,
    new: Vec<(QuoteKey, StoredCheck)>,
}

impl Outcomes {
    /// An outcome taken from the cache and used again.
    pub fn kept(&mut self, key: QuoteKey) {
        self.kept.insert(key);
    }

    /// An outcome found now (`None`: one that cannot be stored).
    pub fn add(&mut self, key: QuoteKey, check: Option<StoredCheck>) {
        if let Some(check) = check {
            self.new.push((key, check));
        }
    }
}

/// What the keys of the quotes looked for in one list of copies start from: the
/// copies' paths as written and text keys, in the order they are searched, hashed once
/// for all the quotes read in them.
#[derive(Clone)]
pub struct CopiesKey(Sha256);

/// Each part with its length first, so that no two lists of parts run together into
/// one key.
fn part(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

impl CopiesKey {
    pub fn new<'a>(copies: impl IntoIterator<Item = (&'a str, &'a str)>) -> CopiesKey {
        let mut hasher = Sha256::new();
        part(&mut hasher, b"copies");
        for (path, text_key) in copies {
            part(&mut hasher, path.as_bytes());
            part(&mut hasher, text_key.as_bytes());
        }
        CopiesKey(hasher)
    }

    /// The key of the quote `quote` looked for in these copies.
    pub fn quote(&self, quote: &str) -> QuoteKey {
        let mut hasher = self.0.clone();
        part(&mut hasher, b"quote");
        part(&mut hasher, quote.as_bytes());
        let digest = hasher.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        QuoteKey(u128::from_be_bytes(first))
    }
}

/// The cache of one repository.
pub struct OutcomeCache {
    root: Root,
    /// The state folder, when it can be used.
    folder: Option<PathBuf>,
    stored: Stored,
}

impl OutcomeCache {
    /// Reads the cache of the repository at `root` (an empty one when there is none).
    pub fn open(root: &Root) -> OutcomeCache {
        let folder = copies::state_folder(root);
        let version = version();
        let stored = folder
            .as_ref()
            .and_then(|_| {
                root.read(&Path::new(copies::STATE_FOLDER).join(FILE), MAX_BYTES)
                    .ok()
            })
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|stored| {
                // A list out of order could not be searched.
                stored.version == version && stored.quotes.is_sorted_by(|a, b| a.0 < b.0)
            })
            .unwrap_or_else(|| Stored {
                version,
                ..Stored::default()
            });
        OutcomeCache {
            root: root.clone(),
            folder,
            stored,
        }
    }

    /// Why the copy whose text has the key `text_key` has no text (`Some(None)` when it
    /// has text; `None` when the cache does not know).
    pub fn copy(&self, text_key: &str) -> Option<Option<&Problem>> {
        self.stored.copies.get(text_key).map(Option::as_ref)
    }

    /// The outcome stored under `key`, for a quoted source whose copies are `copies`
    /// (path, sha256: those the key was made from).
    pub fn quote(&self, key: QuoteKey, copies: &[(&str, &str)]) -> Option<QuoteCheck> {
        let quotes = &self.stored.quotes;
        let at = quotes.binary_search_by_key(&key, |entry| entry.0).ok()?;
        quotes[at].1.check(copies)
    }

    /// Keeps exactly the outcomes of this run (the stale ones go), writing the file
    /// only when that changes it.
    pub fn save(self, copies: foldhash::HashMap<String, Option<Problem>>, outcomes: Outcomes) {
        let Some(folder) = self.folder else {
            return;
        };
        let unchanged = outcomes.new.is_empty()
            && outcomes.kept.len() == self.stored.quotes.len()
            && copies.len() == self.stored.copies.len()
            && copies
                .iter()
                .all(|(key, problem)| self.stored.copies.get(key) == Some(problem));
        if unchanged {
            return;
        }
        let mut quotes = self.stored.quotes;
        quotes.retain(|(key, _)| outcomes.kept.contains(key));
        quotes.extend(outcomes.new);
        quotes.sort_unstable_by_key(|entry| entry.0);
        quotes.dedup_by_key(|entry| entry.0);
        let next = Stored {
            version: self.stored.version,
            copies,
            quotes,
        };
        if let Ok(json) = serde_json::to_vec(&next) {
            let _ = copies::write_state_file(&self.root, &folder, FILE, &json);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_when_any_part_does() {
        let key = |quote: &str, copies: &[(&str, &str)]| {
            CopiesKey::new(copies.iter().copied()).quote(quote)
        };
        let one = key("a b", &[("x.txt", "1:aa-txt")]);
        assert_eq!(one, key("a b", &[("x.txt", "1:aa-txt")]));
        for other in [
            key("a  b", &[("x.txt", "1:aa-txt")]),
            key("a b", &[("y.txt", "1:aa-txt")]),
            key("a b", &[("x.txt", "1:ab-txt")]),
            key("a b", &[("x.txt", "1:aa-txt"), ("y.txt", "1:aa-txt")]),
            key("a b", &[]),
            // Parts do not run together.
            key("a b", &[("x.txt1:", "aa-txt")]),
            key("", &[("a b", "x.txt")]),
        ] {
            assert_ne!(one, other);
        }
    }

    #[test]
    fn every_outcome_is_stored_as_it_was() {
        let sha = "ab".repeat(32);
        let copies: &[(&str, &str)] = &[("a.txt", "00"), ("a.pdf", &sha)];
        let problem = Problem {
            kind: "not-utf8".to_owned(),
            message: "is not UTF-8".to_owned(),
        };
        for check in [
            QuoteCheck::Verified {
                file: "a.pdf".to_owned(),
                sha256: "ab".repeat(32),
                page: Some(2),
                pages: vec![2, 5],
            },
            QuoteCheck::Verified {
                file: "a.pdf".to_owned(),
                sha256: "ab".repeat(32),
                page: Some(3),
                pages: vec![3],
            },
            QuoteCheck::Verified {
                file: "a.txt".to_owned(),
                sha256: "00".to_owned(),
                page: None,
                pages: Vec::new(),
            },
            QuoteCheck::NotFound {
                file: Some("a.txt".to_owned()),
                closest: Some(Closest {
                    text: "near words".to_owned(),
                    page: None,
                }),
            },
            QuoteCheck::NotFound {
                file: None,
                closest: None,
            },
            QuoteCheck::Unchecked(Unchecked::NoQuote),
            QuoteCheck::Unchecked(Unchecked::NoTextCopy),
            QuoteCheck::Unchecked(Unchecked::Unreadable(vec![("b.txt".to_owned(), problem)])),
        ] {
            let stored = StoredCheck::of(&check, copies).expect("stored");
            let json = serde_json::to_vec(&stored).expect("JSON");
            let back: StoredCheck = serde_json::from_slice(&json).expect("read back");
            assert_eq!(back.check(copies), Some(check));
        }
        let withheld = QuoteCheck::Withheld(crate::quote_check::QuoteStatus::Verified);
        assert!(StoredCheck::of(&withheld, copies).is_none(), "never stored");
        let elsewhere = QuoteCheck::Verified {
            file: "a.pdf".to_owned(),
            sha256: "cd".repeat(32),
            page: None,
            pages: Vec::new(),
        };
        assert!(
            StoredCheck::of(&elsewhere, copies).is_none(),
            "a copy the key does not name is not stored"
        );
        let far = StoredCheck::Verified {
            copy: 7,
            page: None,
            pages: Vec::new(),
        };
        assert_eq!(far.check(copies), None, "nor read back");
    }

    #[test]
    fn a_file_of_another_version_or_broken_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let root = Root::new(dir.path()).unwrap_or_else(|err| panic!("{err}"));
        let mut outcomes = Outcomes::default();
        let key = CopiesKey::new([]).quote("k");
        outcomes.add(key, Some(StoredCheck::NoQuote));
        OutcomeCache::open(&root).save(Default::default(), outcomes);
        assert!(OutcomeCache::open(&root).quote(key, &[]).is_some(), "kept");
        let file = dir.path().join(copies::STATE_FOLDER).join(FILE);
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let older = text.replacen(&version(), "0.0.0-0000000000000000", 1);
        std::fs::write(&file, older).unwrap_or_else(|err| panic!("{err}"));
        assert!(
            OutcomeCache::open(&root).quote(key, &[]).is_none(),
            "another version"
        );
        let short = text.replacen(&format!("{:032x}", key.0), "abc", 1);
        std::fs::write(&file, short).unwrap_or_else(|err| panic!("{err}"));
        assert!(
            OutcomeCache::open(&root).quote(key, &[]).is_none(),
            "a key not of 32 digits"
        );
        std::fs::write(&file, b"{broken").unwrap_or_else(|err| panic!("{err}"));
        assert!(
            OutcomeCache::open(&root).quote(key, &[]).is_none(),
            "broken"
        );
    }
}
