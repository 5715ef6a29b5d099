//! Whether a quote stands in a local copy, exactly as FORMAT.md says ("Quotes checked
//! against the local copies"): the quote and the copy's text are both normalised, then
//! compared exactly, except that the quote's first letter may differ in case and an
//! ellipsis splits the quote into parts that must occur in order, each starting within
//! 1,000 characters of the end of the one before. Nothing fuzzier is ever accepted; for a
//! quote that is not found, the closest passage is given so the researcher can mend it.
//!
//! Normalisation, in this order:
//! 1. Unicode NFKC (ligatures, full-width forms, no-break spaces, `…` to `...`);
//! 2. typographic quotation marks and apostrophes become `"` and `'`. Which ones: the
//!    initial and final quotation marks (Unicode categories Pi and Pf) that are
//!    quotation marks, ‘ ’ ‛ “ ” ‟ ‹ › « », with the low-9 marks ‚ „ (category Ps) and
//!    ⹂ 〝 〞 〟, and the modifier letter apostrophe ʼ. Not the other Pi/Pf characters
//!    (the editorial marks U+2E02 to U+2E21), not primes ′ ″ (feet, minutes: a different
//!    sign, which editors do not put in for a quote), not CJK corner brackets 「 」 (a
//!    quote of Chinese or Japanese keeps them as they are);
//! 3. the dashes U+2010 to U+2015 and the minus sign U+2212 become `-`;
//! 4. the soft hyphen and zero-width characters (U+200B to U+200D, U+2060, U+FEFF) are
//!    dropped;
//! 5. every run of whitespace becomes one space; none is left at either end.
//!
//! (A hyphen at the end of a line of a PDF is joined by [`crate::extract`], which knows
//! where lines end.) The pages of a copy are normalised as one text, joined by one space,
//! so a quote may run over a page break; the page a match starts on is its page.

use crate::extract::{Extracted, Layout};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// The most characters of the normalised text between the end of one part of a quote
/// and the start of the next.
pub const MAX_GAP: usize = 1_000;

/// A normalised text, and where each of its pages starts in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalised {
    pub text: String,
    /// The byte offset in `text` of each page's first character (a page with no text
    /// starts where the next text does).
    page_starts: Vec<usize>,
}

impl Normalised {
    /// The page (0-based) that holds the byte `offset` of the text.
    pub fn page_at(&self, offset: usize) -> usize {
        self.page_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }
}

/// What a quotation mark or apostrophe becomes, what a dash becomes, and what is dropped
/// (`None`); every other character stays.
fn fold(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2039}' | '\u{203A}'
        | '\u{02BC}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2E42}' | '\u{301D}' | '\u{301E}' | '\u{301F}' => Some('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
        c => Some(c),
    }
}

/// One text, normalised.
pub fn normalise(text: &str) -> Normalised {
    normalise_pages(&[text])
}

/// The pages of a copy, normalised as one text joined by spaces.
pub fn normalise_pages<S: AsRef<str>>(pages: &[S]) -> Normalised {
    let mut text = String::with_capacity(pages.iter().map(|p| p.as_ref().len()).sum());
    let mut page_starts = Vec::with_capacity(pages.len());
    let mut pending_space;
    let mut unstarted = 0; // pages whose first character has not come yet
    for page in pages {
        unstarted += 1;
        pending_space = !text.is_empty();
        let mut emit = |c: char| {
            if c.is_whitespace() {
                pending_space = !text.is_empty();
                return;
            }
            if pending_space {
                text.push(' ');
                pending_space = false;
            }
            for _ in 0..unstarted {
                page_starts.push(text.len());
            }
            unstarted = 0;
            text.push(c);
        };
        for (segment, ascii) in segments(page.as_ref()) {
            if ascii {
                segment.chars().for_each(&mut emit);
            } else {
                segment.nfkc().filter_map(fold).for_each(&mut emit);
            }
        }
    }
    for _ in 0..unstarted {
        page_starts.push(text.len());
    }
    Normalised { text, page_starts }
}

/// The text cut into runs that NFKC leaves alone (`true`: ASCII, whose characters are
/// all stable starters that nothing composes with) and runs it must see (`false`: each
/// non-ASCII run with the ASCII character before it, which a combining mark may join).
/// Normalising the runs one by one gives what normalising the whole gives, and a mostly
/// ASCII document is several times faster.
fn segments(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let Some(offset) = bytes[pos..].iter().position(|b| !b.is_ascii()) else {
            pos = bytes.len();
            return Some((&text[start..], true));
        };
        let first_other = pos + offset;
        // The ASCII character before a non-ASCII run goes with the run.
        let ascii_end = first_other.saturating_sub(1).max(start);
        if ascii_end > start {
            pos = ascii_end;
            return Some((&text[start..ascii_end], true));
        }
        let run_end = bytes[first_other..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |at| first_other + at);
        pos = run_end;
        Some((&text[start..run_end], false))
    })
}

/// A passage of a copy.
#[derive(Clone, Debug, PartialEq)]
pub struct Passage {
    /// The normalised text of the passage.
    pub text: String,
    /// Its page (1-based), in a paged copy.
    pub page: Option<usize>,
    /// Its response (0-based, in the order of [`Extracted::pages`]), in a web archive.
    pub record: Option<usize>,
    /// How like the quote it is, from 0 to 1 (normalised Levenshtein similarity).
    pub similarity: f64,
}

/// Where a quote was looked for and what came of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Found {
        /// The page (1-based) the first match starts on, in a paged copy.
        page: Option<usize>,
        /// Every page on which a match starts, in order (empty for a copy without pages):
        /// for `quote-page-mismatch`, which asks whether the item's `page` is among them.
        pages: Vec<usize>,
        /// The response it was found in (0-based), in a web archive.
        record: Option<usize>,
        /// The first match, from the start of its first part to the end of its last.
        passage: String,
    },
    NotFound {
        /// The passage most like the quote (or like `missing_part`), if any is close.
        closest: Option<Passage>,
        /// For a quote with an ellipsis: the first part that occurs nowhere. `None`
        /// when every part occurs, but never all in order within [`MAX_GAP`].
        missing_part: Option<String>,
    },
}

impl Outcome {
    pub fn is_found(&self) -> bool {
        matches!(self, Outcome::Found { .. })
    }

    /// Whether a match starts on `page` (1-based); false when not found or not paged.
    pub fn found_on(&self, page: usize) -> bool {
        matches!(self, Outcome::Found { pages, .. } if pages.contains(&page))
    }
}

/// The longest passage kept in an outcome, in characters.
const MAX_PASSAGE_CHARS: usize = 2_000;

/// A copy's text normalised once, so that any number of quotes can be looked for in it
/// without normalising the whole copy for each: one normalised text for a single text or
/// the pages of a PDF (joined), one per response of a web archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    texts: Vec<Normalised>,
    kind: DocumentKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DocumentKind {
    Single,
    Pages,
    Records,
}

impl Document {
    /// The normalised text of an extracted copy.
    pub fn new(copy: &Extracted) -> Document {
        match &copy.layout {
            Layout::Single => Document {
                texts: vec![normalise_pages(&copy.pages)],
                kind: DocumentKind::Single,
            },
            Layout::Pages => Document {
                texts: vec![normalise_pages(&copy.pages)],
                kind: DocumentKind::Pages,
            },
            Layout::Records { .. } => Document {
                texts: copy
                    .pages
                    .iter()
                    .map(|record| normalise_pages(std::slice::from_ref(record)))
                    .collect(),
                kind: DocumentKind::Records,
            },
        }
    }
}

/// Looks for `quote` in the text of an extracted copy: across the pages of a PDF, in
/// each response of a web archive in turn (the source's own first). To look for several
/// quotes in one copy, make its [`Document`] once and use [`find_in_document`].
pub fn find_in(quote: &str, copy: &Extracted) -> Outcome {
    find_in_document(quote, &Document::new(copy))
}

/// [`find_in`], in a copy already normalised.
pub fn find_in_document(quote: &str, document: &Document) -> Outcome {
    match document.kind {
        DocumentKind::Single | DocumentKind::Pages => match document.texts.first() {
            Some(text) => find_normalised(quote, text, document.kind == DocumentKind::Pages),
            None => find(quote, &[], false),
        },
        DocumentKind::Records => {
            let mut best: Option<Passage> = None;
            let mut missing = None;
            for (index, record) in document.texts.iter().enumerate() {
                match find_normalised(quote, record, false) {
                    Outcome::Found { passage, .. } => {
                        return Outcome::Found {
                            page: None,
                            pages: Vec::new(),
                            record: Some(index),
                            passage,
                        };
                    }
                    Outcome::NotFound {
                        closest,
                        missing_part,
                    } => {
                        if missing.is_none() {
                            missing = missing_part;
                        }
                        if let Some(mut closest) = closest {
                            closest.record = Some(index);
                            if best
                                .as_ref()
                                .is_none_or(|best| closest.similarity > best.similarity)
                            {
                                best = Some(closest);
                            }
                        }
                    }
                }
            }
            Outcome::NotFound {
                closest: best,
                missing_part: missing,
            }
        }
    }
}

/// Looks for `quote` in `pages`, joined as one text; `paged` says whether they are the
/// pages of a PDF (so that a match says its page).
pub fn find(quote: &str, pages: &[String], paged: bool) -> Outcome {
    find_normalised(quote, &normalise_pages(pages), paged)
}

/// [`find`], in a text already normalised.
fn find_normalised(quote: &str, document: &Normalised, paged: bool) -> Outcome {
    let quote = normalise(quote).text;
    let parts = parts_of(&quote);
    if parts.is_empty() {
        return Outcome::NotFound {
            closest: None,
            missing_part: None,
        };
    }
    let text = document.text.as_str();
    let occurrences: Vec<Vec<usize>> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                let mut all: Vec<usize> = first_letter_variants(part)
                    .iter()
                    .flat_map(|variant| occurrences(text, variant))
                    .collect();
                all.sort_unstable();
                all.dedup();
                all
            } else {
                occurrences(text, part)
            }
        })
        .collect();
    // The length in bytes of each part as it matched: every variant of the first part
    // is looked up with its own length.
    let variants = first_letter_variants(parts[0]);
    let part_len = |i: usize, start: usize| -> usize {
        if i == 0 {
            variants
                .iter()
                .find(|variant| text[start..].starts_with(variant.as_str()))
                .map_or(parts[0].len(), String::len)
        } else {
            parts[i].len()
        }
    };
    // From the last part back: an occurrence is good when the rest of the quote can
    // follow it. The nearest good start of the next part is the one to test: the gap
    // only grows with the start.
    let mut good: Vec<Vec<usize>> = vec![Vec::new(); parts.len()];
    good[parts.len() - 1] = occurrences[parts.len() - 1].clone();
    for i in (0..parts.len() - 1).rev() {
        let next = &good[i + 1];
        let kept: Vec<usize> = occurrences[i]
            .iter()
            .copied()
            .filter(|&start| next_within_gap(text, start + part_len(i, start), next).is_some())
            .collect();
        good[i] = kept;
    }
    if let Some(&start) = good[0].first() {
        let mut end = start + part_len(0, start);
        for (i, next) in good.iter().enumerate().skip(1) {
            match next_within_gap(text, end, next) {
                Some(at) => end = at + parts[i].len(),
                None => break,
            }
        }
        let mut pages_found: Vec<usize> = Vec::new();
        if paged {
            for &start in &good[0] {
                let page = document.page_at(start) + 1;
                if pages_found.last() != Some(&page) {
                    pages_found.push(page);
                }
            }
        }
        return Outcome::Found {
            page: pages_found.first().copied(),
            pages: pages_found,
            record: None,
            passage: cut(&text[start..end.min(text.len())]),
        };
    }
    let missing = occurrences.iter().position(Vec::is_empty).map(|i| parts[i]);
    let closest = missing.and_then(|part| closest(document, part, paged));
    Outcome::NotFound {
        closest,
        missing_part: if parts.len() > 1 {
            missing.map(str::to_owned)
        } else {
            None
        },
    }
}

/// The nearest start in `starts` (sorted) at or after `end` that leaves at most
/// [`MAX_GAP`] characters between them.
fn next_within_gap(text: &str, end: usize, starts: &[usize]) -> Option<usize> {
    let at = *starts.get(starts.partition_point(|&s| s < end))?;
    // No more than 4 bytes a character: a longer gap is too long without counting.
    if at - end > MAX_GAP * 4 && text[end..at].chars().nth(MAX_GAP).is_some() {
        return None;
    }
    (text[end..at].chars().count() <= MAX_GAP).then_some(at)
}

/// The parts of a normalised quote between its ellipses (`...` and `[...]`; `…` and
/// `[…]` are these after NFKC), trimmed, empty ones left out.
fn parts_of(quote: &str) -> Vec<&str> {
    quote
        .split("[...]")
        .flat_map(|piece| piece.split("..."))
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect()
}

/// The part as written, and with its first letter in lower and in upper case. The first
/// letter is the first alphabetic character, when only punctuation or spaces come before it.
fn first_letter_variants(part: &str) -> Vec<String> {
    let mut variants = vec![part.to_owned()];
    let Some((at, letter)) = part.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
        return variants;
    };
    if !letter.is_alphabetic() {
        return variants;
    }
    let (before, after) = (&part[..at], &part[at + letter.len_utf8()..]);
    for changed in [
        letter.to_lowercase().collect::<String>(),
        letter.to_uppercase().collect::<String>(),
    ] {
        let variant = format!("{before}{changed}{after}");
        if !variants.contains(&variant) {
            variants.push(variant);
        }
    }
    variants
}

/// Every start of `needle` in `text`, overlapping ones too, in order.
fn occurrences(text: &str, needle: &str) -> Vec<usize> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|rest| rest.find(needle)) {
        let start = from + at;
        found.push(start);
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_PASSAGE_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The most words of a quote that the search for the closest passage compares.
const CLOSEST_MAX_WORDS: usize = 60;
/// The windows with the most words in common with the quote that are then compared
/// letter by letter.
const CLOSEST_CANDIDATES: usize = 24;
/// Below this similarity nothing is offered as close.
const CLOSEST_MIN_SIMILARITY: f64 = 0.5;

/// The passage of the document most like `part`, about as long. In two steps, so that
/// a long document costs one pass: every window of as many words as the quote is scored
/// by the words it shares with it (a sliding count, constant work per word), and only
/// the best windows, each also one word shorter and longer, are compared by
/// Levenshtein similarity. Measured with a throwaway probe on this machine (2 shared
/// cores), a 10 MB document of 1.7 million words: in a release build about 0.45 s to
/// normalise it and 0.3 s for this search; in a debug build (the test suite's) about
/// 0.7 s and 2.5 to 3 s. A cap on the document would make a long copy's closest
/// passage depend on where it lies, so there is none; the text itself is bounded by
/// [`crate::extract::Limits::max_text_bytes`].
fn closest(document: &Normalised, part: &str, paged: bool) -> Option<Passage> {
    let quote_words: Vec<&str> = part.split(' ').take(CLOSEST_MAX_WORDS).collect();
    let quote: String = quote_words.join(" ");
    let n = quote_words.len();
    let text = document.text.as_str();
    if n == 0 || text.is_empty() {
        return None;
    }
    // Word starts and ends in the normalised text (words are separated by one space;
    // `split` is the standard library's, fast even in a debug build).
    let base = text.as_ptr() as usize;
    let words: Vec<(usize, usize)> = text
        .split(' ')
        .map(|word| {
            let start = word.as_ptr() as usize - base;
            (start, start + word.len())
        })
        .collect();
    let mut wanted: HashMap<String, (usize, usize)> = HashMap::new();
    // A cheap first test before the table: the byte lengths the quote's words have.
    let mut lengths = [false; 64];
    for word in &quote_words {
        let word = lower(word).into_owned();
        lengths[word.len().min(63)] = true;
        wanted.entry(word).or_insert((0, 0)).0 += 1;
    }
    let lookup = |wanted: &mut HashMap<String, (usize, usize)>, i: usize, add: bool| -> bool {
        let (s, e) = words[i];
        // Lower case keeps an ASCII word's length.
        if !lengths[(e - s).min(63)] && text[s..e].is_ascii() {
            return false;
        }
        let Some(entry) = wanted.get_mut(lower(&text[s..e]).as_ref()) else {
            return false;
        };
        if add {
            entry.1 += 1;
            entry.1 <= entry.0
        } else {
            let counted = entry.1 <= entry.0;
            entry.1 -= 1;
            counted
        }
    };
    let mut shared = 0usize;
    let mut scores: Vec<(usize, usize)> = Vec::new(); // (shared, first word)
    let mut floor = 0usize; // the lowest score among the best, once there are enough
    for i in 0..words.len() {
        if lookup(&mut wanted, i, true) {
            shared += 1;
        }
        if i >= n && lookup(&mut wanted, i - n, false) {
            shared -= 1;
        }
        let whole = i + 1 >= n.min(words.len());
        if whole && shared > 0 && shared >= floor {
            let first = (i + 1).saturating_sub(n);
            scores.push((shared, first));
            // Keep the list short: only the best windows matter.
            if scores.len() >= CLOSEST_CANDIDATES * 8 {
                prune(&mut scores);
                if scores.len() == CLOSEST_CANDIDATES {
                    floor = scores.last().map_or(0, |&(score, _)| score);
                }
            }
        }
    }
    prune(&mut scores);
    let quote: Vec<char> = quote.chars().collect();
    let mut best: Option<(f64, usize, usize)> = None;
    for &(_, first) in &scores {
        for len in [n.saturating_sub(1).max(1), n, n + 1] {
            let last = (first + len).min(words.len()) - 1;
            let passage: Vec<char> = text[words[first].0..words[last].1].chars().collect();
            // Normalised Levenshtein similarity, as `strsim::normalized_levenshtein`
            // gives it; only a passage more like the quote than the best so far, and at
            // least CLOSEST_MIN_SIMILARITY, can change the outcome, so the distance is
            // computed only up to the most edits such a passage can have (one more, for
            // rounding).
            let longest = quote.len().max(passage.len());
            let similarity = if longest == 0 {
                1.0
            } else {
                let bar = best.map_or(CLOSEST_MIN_SIMILARITY, |(b, _, _)| {
                    b.max(CLOSEST_MIN_SIMILARITY)
                });
                let most = ((1.0 - bar) * longest as f64).ceil() as usize + 1;
                let Some(distance) = levenshtein_within(&quote, &passage, most) else {
                    continue;
                };
                1.0 - distance as f64 / longest as f64
            };
            if best.is_none_or(|(b, _, _)| similarity > b) {
                best = Some((similarity, first, last));
            }
        }
    }
    let (similarity, first, last) = best?;
    if similarity < CLOSEST_MIN_SIMILARITY {
        return None;
    }
    let start = words[first].0;
    Some(Passage {
        text: cut(&text[start..words[last].1]),
        page: paged.then(|| document.page_at(start) + 1),
        record: None,
        similarity,
    })
}

/// The Levenshtein distance (in characters) between `a` and `b` when it is at most `k`,
/// else `None`: the same distance as `strsim::levenshtein`, but only the cells of the
/// table within `k` of its diagonal are filled (a path of at most `k` edits never leaves
/// them), and it stops as soon as a whole row is above `k`. The closest passage only
/// needs the distances that can beat the best one found so far, so most candidates cost
/// a narrow band instead of the whole table.
fn levenshtein_within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    if n == 0 || m == 0 {
        return Some(n.max(m));
    }
    const FAR: usize = usize::MAX / 2;
    // Row i holds the distances between a[..i] and b[..j]; cells never filled stay FAR.
    let mut prev: Vec<usize> = (0..=m).map(|j| if j <= k { j } else { FAR }).collect();
    let mut cur = vec![FAR; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        // The cell left of the band: the first column, or outside the band (FAR).
        cur[lo - 1] = if lo == 1 && i <= k { i } else { FAR };
        let mut row_min = cur[lo - 1];
        let c = a[i - 1];
        for j in lo..=hi {
            let substitute = prev[j - 1] + usize::from(c != b[j - 1]);
            let value = substitute.min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[m]).filter(|&d| d <= k)
}

/// A word in lower case, without a copy when it already is.
fn lower(word: &str) -> std::borrow::Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(word.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(word)
    }
}

/// Keeps the best-scoring windows (the earliest among equals).
fn prune(scores: &mut Vec<(usize, usize)>) {
    scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scores.truncate(CLOSEST_CANDIDATES);
}

#[cfg(test)]
mod tests;
