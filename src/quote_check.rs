//! Whether an evidence item's quote stands in the local copies of the source it was read
//! in (FORMAT.md, "Quotes checked against the local copies"): the one place that turns
//! the copies' text and the matcher's outcome into the item's `quote_check`, so that the
//! export, the lints, `show` and the pages all say the same.

use crate::access::Root;
use crate::copies::{self, CopyText, Problem, TextCache, carries_text};
use crate::graph::Graph;
use crate::load::Repository;
use crate::model::{Evidence, Pages, Role};
use crate::quote_cache::{self, CopiesKey, OutcomeCache, QuoteKey, StoredCheck};
use crate::quotes::{self, Outcome, Passage};
use crate::validate::Digests;
use serde::Serialize;

/// What the status of a quote check is, without its details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteStatus {
    Verified,
    NotFound,
    Unchecked,
}

impl QuoteStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Verified => "verified",
            QuoteStatus::NotFound => "not-found",
            QuoteStatus::Unchecked => "unchecked",
        }
    }
}

/// Whether an evidence item's quote stands in the local copies of its quoted source
/// ([`crate::model::Evidence::quoted_source`]; the words looked for are
/// [`crate::model::Evidence::quoted_text`]). Made in one place, [`check`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum QuoteCheck {
    /// Found in the copy `file` (its path as written, with its sha256); `page` is the
    /// page of a PDF it starts on, `pages` every page a match starts on (for
    /// `quote-page-mismatch`).
    Verified {
        file: String,
        sha256: String,
        page: Option<u32>,
        pages: Vec<u32>,
    },
    /// The quoted source has a copy with text, and the quote is in none of them; the
    /// first such copy, and the passage most like the quote when one is close.
    NotFound {
        file: Option<String>,
        closest: Option<Closest>,
    },
    /// No quote, or no copy with text to look in.
    Unchecked(Unchecked),
    /// The public edition's check of an item whose quoted source is sensitive: the
    /// status only, since the copy, page and passage would name the source.
    Withheld(QuoteStatus),
}

/// The passage of a copy most like a quote that was not found.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Closest {
    pub text: String,
    /// Its page, in a PDF.
    pub page: Option<u32>,
}

/// Why a quote was not checked.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Unchecked {
    /// The item has no quote.
    NoQuote,
    /// The quoted source has no local copy that carries text.
    NoTextCopy,
    /// Its copies carry no text that could be read; each with why.
    Unreadable(Vec<(String, Problem)>),
}

impl QuoteCheck {
    pub fn status(&self) -> QuoteStatus {
        match self {
            QuoteCheck::Verified { .. } => QuoteStatus::Verified,
            QuoteCheck::NotFound { .. } => QuoteStatus::NotFound,
            QuoteCheck::Unchecked(_) => QuoteStatus::Unchecked,
            QuoteCheck::Withheld(status) => *status,
        }
    }

    /// The same check with nothing but its status (see [`QuoteCheck::Withheld`]).
    pub fn withheld(&self) -> QuoteCheck {
        QuoteCheck::Withheld(self.status())
    }
}

/// Written as FORMAT.md's `quote_check`: `{"status": "verified", "file": ..., "page": 2}`,
/// each detail only where it applies.
impl Serialize for QuoteCheck {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut out = serializer.serialize_map(None)?;
        out.serialize_entry("status", self.status().as_str())?;
        match self {
            QuoteCheck::Verified { file, page, .. } => {
                out.serialize_entry("file", file)?;
                if let Some(page) = page {
                    out.serialize_entry("page", page)?;
                }
            }
            QuoteCheck::NotFound { file, closest } => {
                if let Some(file) = file {
                    out.serialize_entry("file", file)?;
                }
                if let Some(closest) = closest {
                    out.serialize_entry("closest", &closest.text)?;
                }
            }
            QuoteCheck::Unchecked(_) | QuoteCheck::Withheld(_) => {}
        }
        out.end()
    }
}

/// Looks for `quote` in the text-bearing `copies` of the quoted source, in the order
/// they are declared: the first copy that holds it verifies it.
pub fn check<P: AsRef<str>>(quote: Option<&str>, copies: &[(P, &CopyText)]) -> QuoteCheck {
    let Some(quote) = quote.filter(|q| !q.trim().is_empty()) else {
        return QuoteCheck::Unchecked(Unchecked::NoQuote);
    };
    if copies.is_empty() {
        return QuoteCheck::Unchecked(Unchecked::NoTextCopy);
    }
    let mut searched: Option<&str> = None;
    let mut closest: Option<Passage> = None;
    let mut problems = Vec::new();
    for (path, copy) in copies {
        if let Err(problem) = &copy.text {
            problems.push((path.as_ref().to_owned(), problem.clone()));
            continue;
        }
        // A copy with text has its normalised text (see `CopyText::new`).
        let Some(document) = copy.document() else {
            continue;
        };
        searched.get_or_insert(path.as_ref());
        match quotes::find_in_document(quote, document) {
            Outcome::Found { page, pages, .. } => {
                let page_number = |p: usize| u32::try_from(p).ok();
                return QuoteCheck::Verified {
                    file: path.as_ref().to_owned(),
                    sha256: copy.sha256.clone(),
                    page: page.and_then(page_number),
                    pages: pages.into_iter().filter_map(page_number).collect(),
                };
            }
            Outcome::NotFound {
                closest: Some(passage),
                ..
            } => {
                if closest
                    .as_ref()
                    .is_none_or(|best| passage.similarity > best.similarity)
                {
                    closest = Some(passage);
                }
            }
            Outcome::NotFound { closest: None, .. } => {}
        }
    }
    match searched {
        Some(file) => QuoteCheck::NotFound {
            file: Some(file.to_owned()),
            closest: closest.map(|passage| Closest {
                text: passage.text,
                page: passage.page.and_then(|p| u32::try_from(p).ok()),
            }),
        },
        None => QuoteCheck::Unchecked(Unchecked::Unreadable(problems)),
    }
}

/// The quote checks of every evidence item of a repository, and the copies of quoted
/// sources that carry no text, made by [`check_all`].
#[derive(Debug, Default)]
pub struct QuoteChecks {
    /// By claim, by evidence item; empty when no copy was read.
    items: Vec<Vec<QuoteCheck>>,
    /// By source: its text-bearing copies that gave no text, with why.
    unreadable: foldhash::HashMap<usize, Vec<(String, Problem)>>,
}

impl QuoteChecks {
    /// The checks by claim, by evidence item (shorter where no copy was read: see
    /// [`without_copies`]).
    pub fn into_items(self) -> Vec<Vec<QuoteCheck>> {
        self.items
    }

    /// The text-bearing copies of source `source` that gave no text, with why.
    pub fn unreadable(&self, source: usize) -> &[(String, Problem)] {
        self.unreadable.get(&source).map_or(&[], Vec::as_slice)
    }
}

/// The check of an item whose quoted source's copies were not read: nothing to check
/// its quote against.
pub fn without_copies(item: &Evidence) -> QuoteCheck {
    check::<&str>(item.quoted_text().map(|q| q.value.as_str()), &[])
}

/// A quoted source's text-bearing copies, as quotes are looked for in them.
struct Quoted<'a> {
    /// Path as written, read as plain text (`role: text`).
    copies: Vec<(&'a str, bool)>,
    url: Option<&'a str>,
    /// The copies as `check` hashed them, when it hashed every one (else nothing about
    /// the source is taken from the outcome cache).
    hashed: Option<Hashed<'a>>,
}

/// A list of copies with their sha256: what the outcome cache knows them by.
struct Hashed<'a> {
    /// Path as written, sha256.
    sums: Vec<(&'a str, &'a str)>,
    /// Each copy's text key ([`copies::text_key`]).
    text_keys: Vec<String>,
    /// What the keys of quotes read in them start from.
    key: CopiesKey,
}

impl<'a> Hashed<'a> {
    fn new(sums: Vec<(&'a str, &'a str)>, copies: &[(&str, bool)], url: Option<&str>) -> Self {
        let text_keys: Vec<String> = sums
            .iter()
            .zip(copies)
            .map(|(&(path, sha256), &(_, as_text))| copies::text_key(path, sha256, url, as_text))
            .collect();
        let key = CopiesKey::new(
            sums.iter()
                .map(|s| s.0)
                .zip(text_keys.iter().map(String::as_str)),
        );
        Hashed {
            sums,
            text_keys,
            key,
        }
    }
}

impl<'a> Quoted<'a> {
    fn new(source: &'a crate::model::Source, digests: &'a Digests) -> Quoted<'a> {
        let url = source.url.as_ref().map(|u| u.value.as_str());
        let copies: Vec<(&str, bool)> = source
            .copies()
            .filter(carries_text)
            .map(|copy| (copy.path.value.as_str(), copy.role == Role::Text))
            .collect();
        let sums: Option<Vec<(&str, &str)>> = copies
            .iter()
            .map(|&(path, _)| Some((path, digests.of(path)?)))
            .collect();
        let hashed = sums.map(|sums| Hashed::new(sums, &copies, url));
        Quoted {
            copies,
            url,
            hashed,
        }
    }
}

/// Each item's quoted source (by claim, by item), when it has words to look for, and
/// those sources' copies.
type Plan<'a> = (
    Vec<Vec<Option<usize>>>,
    foldhash::HashMap<usize, Quoted<'a>>,
);

fn plan<'a>(repo: &'a Repository, g: &Graph, digests: &'a Digests) -> Plan<'a> {
    use rayon::prelude::*;
    let quoted: Vec<Vec<Option<usize>>> = repo
        .claims
        .par_iter()
        .map(|claim| {
            let quoted_of = |item: &Evidence| {
                item.quoted_text()?;
                crate::analysis::quoted_source(g, item)
            };
            claim.evidence.iter().map(quoted_of).collect()
        })
        .collect();
    let mut sources: Vec<usize> = quoted.iter().flatten().flatten().copied().collect();
    sources.sort_unstable();
    sources.dedup();
    let plans = sources
        .into_par_iter()
        .map(|s| (s, Quoted::new(&repo.sources[s], digests)))
        .collect();
    (quoted, plans)
}

/// An item's check before the copies are read.
enum Slot {
    /// Made without the copies (no quote, or no copy with text).
    Done(QuoteCheck),
    /// Taken from the outcome cache, with its key.
    Kept(QuoteKey, QuoteCheck),
    /// To be matched in the copies of this source.
    Matched(usize),
}

/// What becomes of an item's outcome in the outcome cache.
enum Keep {
    Kept(QuoteKey),
    New(QuoteKey, Option<StoredCheck>),
}

/// Checks the quote of every evidence item of `repo` against the local copies of its
/// quoted source, through the outcome cache: only the copies of sources with a quote
/// or a copy the cache does not know are read (through the text cache), and only their
/// quotes matched. `digests` are the copies' sha256 as `check` found them; without a
/// `root`, nothing is read and every quote is unchecked.
pub fn check_all(
    repo: &Repository,
    g: &Graph,
    digests: &Digests,
    root: Option<&Root>,
) -> QuoteChecks {
    use rayon::prelude::*;
    let Some(root) = root else {
        return QuoteChecks::default();
    };
    let mut timer = crate::timing::Timer::from_env();
    // The outcomes are read while the copies are planned.
    let ((quoted, plans), cache) =
        rayon::join(|| plan(repo, g, digests), || OutcomeCache::open(root));
    timer.lap("quote checks: copies planned, outcomes read");
    let slots: Vec<Vec<Slot>> = repo
        .claims
        .par_iter()
        .zip(&quoted)
        .map(|(claim, quoted)| {
            claim
                .evidence
                .iter()
                .zip(quoted)
                .map(|(item, &s)| {
                    let quote = item.quoted_text().map(|q| q.value.as_str());
                    let (Some(s), Some(quote)) = (s, quote) else {
                        return Slot::Done(check::<&str>(quote, &[]));
                    };
                    let plan = &plans[&s];
                    if plan.copies.is_empty() {
                        return Slot::Done(check::<&str>(Some(quote), &[]));
                    }
                    plan.hashed
                        .as_ref()
                        .and_then(|hashed| {
                            let key = hashed.key.quote(quote);
                            Some(Slot::Kept(key, cache.quote(key, &hashed.sums)?))
                        })
                        .unwrap_or(Slot::Matched(s))
                })
                .collect()
        })
        .collect();
    // Sources to read: a quote the cache does not know, or a copy it does not.
    let mut unknown: Vec<usize> = slots
        .iter()
        .flatten()
        .filter_map(|slot| match slot {
            Slot::Matched(s) => Some(*s),
            _ => None,
        })
        .collect();
    unknown.extend(plans.iter().filter_map(|(&s, plan)| match &plan.hashed {
        Some(hashed) => {
            (!hashed.text_keys.iter().all(|key| cache.copy(key).is_some())).then_some(s)
        }
        None => Some(s),
    }));
    timer.lap("quote checks: outcomes looked up");
    let texts = copies::read_for(repo, unknown, &TextCache::new(root));
    timer.lap("quote checks: copies read");
    let mut copy_outcomes: foldhash::HashMap<String, Option<Problem>> = Default::default();
    let mut unreadable: foldhash::HashMap<usize, Vec<(String, Problem)>> = Default::default();
    // The copies read now, as read (should one have changed since it was hashed), to
    // store what their quotes gave under.
    let mut read: foldhash::HashMap<usize, Hashed<'_>> = Default::default();
    for (&s, plan) in &plans {
        let texts = texts.of(s);
        if texts.is_empty() {
            // Every copy known to the cache (or none read).
            let hashed = plan
                .hashed
                .iter()
                .flat_map(|h| h.sums.iter().zip(&h.text_keys));
            for (&(path, _), key) in hashed {
                let problem = cache.copy(key).flatten().cloned();
                if let Some(problem) = &problem {
                    unreadable
                        .entry(s)
                        .or_default()
                        .push((path.to_owned(), problem.clone()));
                }
                copy_outcomes.insert(key.clone(), problem);
            }
            continue;
        }
        for (path, text) in texts {
            if let Err(problem) = &text.text {
                unreadable
                    .entry(s)
                    .or_default()
                    .push((path.clone(), problem.clone()));
            }
        }
        // A copy that could not be opened has no sha256: nothing of its source is kept.
        if texts.iter().any(|(_, text)| text.sha256.is_empty()) {
            continue;
        }
        let sums = texts
            .iter()
            .map(|(path, text)| (path.as_str(), text.sha256.as_str()))
            .collect();
        let hashed = Hashed::new(sums, &plan.copies, plan.url);
        for (key, (_, text)) in hashed.text_keys.iter().zip(texts) {
            copy_outcomes.insert(key.clone(), text.text.as_ref().err().cloned());
        }
        read.insert(s, hashed);
    }
    let matched: Vec<(Vec<QuoteCheck>, Vec<Keep>)> = repo
        .claims
        .par_iter()
        .zip(slots)
        .map(|(claim, slots)| {
            let mut keep = Vec::new();
            let checks = claim
                .evidence
                .iter()
                .zip(slots)
                .map(|(item, slot)| match slot {
                    Slot::Done(check) => check,
                    Slot::Kept(key, check) => {
                        keep.push(Keep::Kept(key));
                        check
                    }
                    Slot::Matched(s) => {
                        let quote = item.quoted_text().map(|q| q.value.as_str());
                        let copies: Vec<(&str, &CopyText)> = texts
                            .of(s)
                            .iter()
                            .map(|(path, text)| (path.as_str(), text))
                            .collect();
                        let checked = check(quote, &copies);
                        if let (Some(hashed), Some(quote)) = (read.get(&s), quote) {
                            let stored = StoredCheck::of(&checked, &hashed.sums);
                            keep.push(Keep::New(hashed.key.quote(quote), stored));
                        }
                        checked
                    }
                })
                .collect();
            (checks, keep)
        })
        .collect();
    timer.lap("quote checks: quotes matched");
    let (items, keeps): (Vec<_>, Vec<_>) = matched.into_iter().unzip();
    let mut outcomes = quote_cache::Outcomes::default();
    for keep in keeps.into_iter().flatten() {
        match keep {
            Keep::Kept(key) => outcomes.kept(key),
            Keep::New(key, stored) => outcomes.add(key, stored),
        }
    }
    cache.save(copy_outcomes, outcomes);
    timer.lap("quote checks: outcomes saved");
    QuoteChecks { items, unreadable }
}

/// Whether a verified quote was found only on pages other than the `page` the item
/// gives: the pages where it is, for the `quote-page-mismatch` message.
pub fn page_mismatch(check: &QuoteCheck, page: &Pages) -> Option<Vec<u32>> {
    let QuoteCheck::Verified { pages, .. } = check else {
        return None;
    };
    (!pages.is_empty() && !pages.iter().any(|p| (page.first..=page.last).contains(p)))
        .then(|| pages.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Extracted, Layout};

    fn copy(pages: &[&str], layout: Layout) -> CopyText {
        CopyText::new(
            "ab".repeat(32),
            Ok(Extracted {
                pages: pages.iter().map(|p| (*p).to_owned()).collect(),
                layout,
            }),
        )
    }

    fn broken(kind: &str) -> CopyText {
        CopyText::new(
            String::new(),
            Err(Problem {
                kind: kind.to_owned(),
                message: "has no text".to_owned(),
            }),
        )
    }

    #[test]
    fn the_first_copy_that_holds_the_quote_verifies_it() {
        let html = copy(
            &["The vendor said it was nothing more than a product provider."],
            Layout::Single,
        );
        let pdf = copy(
            &["cover", "nothing more than a product provider"],
            Layout::Pages,
        );
        let got = check(
            Some("nothing more than a product provider"),
            &[("evidence/a.pdf", &pdf), ("evidence/a.html", &html)],
        );
        assert_eq!(
            got,
            QuoteCheck::Verified {
                file: "evidence/a.pdf".to_owned(),
                sha256: "ab".repeat(32),
                page: Some(2),
                pages: vec![2],
            }
        );
        let pages = |first, last| Pages { first, last };
        assert_eq!(page_mismatch(&got, &pages(2, 2)), None);
        assert_eq!(page_mismatch(&got, &pages(1, 1)), Some(vec![2]));
        assert_eq!(page_mismatch(&got, &pages(1, 3)), None);
    }

    #[test]
    fn a_quote_in_no_copy_is_not_found_with_the_closest_passage() {
        let text = copy(
            &["The company denies operating the system in any way."],
            Layout::Single,
        );
        let got = check(
            Some("The company denies running the system in any way."),
            &[("evidence/a.txt", &text)],
        );
        let QuoteCheck::NotFound { file, closest } = got else {
            panic!("expected not-found, got {got:?}");
        };
        assert_eq!(file.as_deref(), Some("evidence/a.txt"));
        assert!(closest.is_some_and(|c| c.text.contains("operating")));
    }

    #[test]
    fn without_a_quote_or_text_it_is_unchecked() {
        let text = copy(&["words"], Layout::Single);
        assert_eq!(
            check(None, &[("a.txt", &text)]),
            QuoteCheck::Unchecked(Unchecked::NoQuote)
        );
        assert_eq!(
            check::<&str>(Some("words"), &[]),
            QuoteCheck::Unchecked(Unchecked::NoTextCopy)
        );
        let scan = broken("no-text");
        let got = check(Some("words"), &[("scan.pdf", &scan)]);
        assert_eq!(got.status(), QuoteStatus::Unchecked);
        assert!(
            matches!(got, QuoteCheck::Unchecked(Unchecked::Unreadable(ref p)) if p[0].1.is_no_text())
        );
        // A readable copy beside an unreadable one is searched.
        assert_eq!(
            check(Some("words"), &[("scan.pdf", &scan), ("a.txt", &text)]).status(),
            QuoteStatus::Verified
        );
    }
}
