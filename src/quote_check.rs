//! Whether an evidence item's quote stands in the local copies of the source it was read
//! in (FORMAT.md, "Quotes checked against the local copies"): the one place that turns
//! the copies' text and the matcher's outcome into the item's `quote_check`, so that the
//! export, the lints, `show` and the pages all say the same.

use crate::copies::{CopyText, Problem};
use crate::model::Pages;
use crate::quotes::{self, Outcome, Passage};
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
