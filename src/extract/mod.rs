//! The text a reader sees in a local copy of a source, so that a quote can be looked for
//! in it (FORMAT.md, "Quotes checked against the local copies"). Copies are whatever
//! researchers saved: plain text, a web page, a PDF printed or typeset, a web archive.
//! Every copy is untrusted input: each format's reader is bounded in the bytes it
//! decompresses, the pages and records it reads, the text it gives back and the time it
//! takes, and a problem with a copy is a value ([`ExtractProblem`]), never a panic.
//!
//! The caller opens the file through [`crate::access`] (already bounded in bytes) and
//! hands its bytes here; nothing in this module touches the file system.

mod html;
mod pdf;
mod plain;
mod warc;

use std::io::Read;
use std::time::{Duration, Instant};

/// How far extraction may go. The defaults fit a research repository's copies: a long
/// report of a few hundred pages, a web archive of a site section.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Bytes produced by all decompression of one copy together (gzip members, zip
    /// entries, HTTP bodies, PDF streams): a bomb stops here.
    pub max_decompressed_bytes: u64,
    /// Bytes of text given back for one copy, all pages or records together.
    pub max_text_bytes: usize,
    /// Pages of one PDF.
    pub max_pages: usize,
    /// WARC records read in one copy (of every type, across all files of a WACZ).
    pub max_records: usize,
    /// Entries of a WACZ's zip directory looked at.
    pub max_archive_entries: usize,
    /// Time for one copy, checked between pages, records and entries (one PDF page is
    /// not interruptible: its input is bounded by `max_decompressed_bytes` instead).
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_decompressed_bytes: 256 * 1024 * 1024,
            max_text_bytes: 32 * 1024 * 1024,
            max_pages: 5_000,
            max_records: 100_000,
            max_archive_entries: 10_000,
            time: Duration::from_secs(30),
        }
    }
}

/// How the text of a copy is divided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One text: a `.txt`, `.md` or `.html` copy (`pages` has one entry).
    Single,
    /// One entry per page of a PDF, in order (page 1 first).
    Pages,
    /// One entry per HTML or text response of a web archive, the one for the source's
    /// URL first; `uris` gives each entry's WARC-Target-URI.
    Records { uris: Vec<String> },
}

/// The text of a copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    pub pages: Vec<String>,
    pub layout: Layout,
}

impl Extracted {
    fn single(text: String) -> Extracted {
        Extracted {
            pages: vec![text],
            layout: Layout::Single,
        }
    }

    /// All the text, for a `role: text` view or a cache: pages separated by a form feed.
    pub fn joined(&self) -> String {
        self.pages.join("\u{c}")
    }
}

/// Why a copy gave no text to check a quote against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtractProblem {
    /// A `.txt` or `.md` copy that is not UTF-8; `offset` is the first invalid byte.
    NotUtf8 { offset: usize },
    /// A bound was reached; `what` names it as a plural noun ("decompressed bytes").
    LimitReached { what: &'static str, limit: u64 },
    /// A PDF whose pages carry no text: a scan, or text drawn as outlines.
    NoText,
    /// The file is not what its name says, or is damaged.
    Malformed(String),
    /// A kind of file or encoding this version does not read.
    Unsupported(String),
    /// The copy holds nothing that carries text (a web archive without an HTML or text
    /// response).
    Empty(String),
}

impl ExtractProblem {
    /// A stable name for the kind of problem, for exports and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            ExtractProblem::NotUtf8 { .. } => "not-utf8",
            ExtractProblem::LimitReached { .. } => "limit-reached",
            ExtractProblem::NoText => "no-text",
            ExtractProblem::Malformed(_) => "malformed",
            ExtractProblem::Unsupported(_) => "unsupported",
            ExtractProblem::Empty(_) => "empty",
        }
    }

    /// What went wrong and what to do, as a sentence about the copy ("the copy ...").
    pub fn message(&self) -> String {
        match self {
            ExtractProblem::NotUtf8 { offset } => format!(
                "is not UTF-8 text (byte {offset} is the first that is not); save it as UTF-8"
            ),
            ExtractProblem::LimitReached { what, limit } => format!(
                "was not read to the end: it reached the limit of {limit} {what}"
            ),
            ExtractProblem::NoText => "has no text on any page (a scan, or text drawn as shapes); add a copy with `role: text` (OCR or pdftotext output) so quotes can be checked".to_owned(),
            ExtractProblem::Malformed(why) => format!("cannot be read: {why}"),
            ExtractProblem::Unsupported(what) => format!("cannot be read: {what}"),
            ExtractProblem::Empty(why) => format!("has no text to check quotes against: {why}"),
        }
    }
}

impl std::fmt::Display for ExtractProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// Whether a copy's name says it carries text that [`text_of`] reads.
pub fn is_text_bearing(path: &str) -> bool {
    Format::of(path).is_some()
}

/// The format a copy's name says it has ("txt", "html", "pdf", "warc", "warc.gz",
/// "wacz"; "none" for a name that says none), for keys that must tell them apart.
pub fn kind_name(path: &str) -> &'static str {
    match Format::of(path) {
        Some(Format::Plain) => "txt",
        Some(Format::Html) => "html",
        Some(Format::Pdf) => "pdf",
        Some(Format::Warc) => "warc",
        Some(Format::WarcGz) => "warc.gz",
        Some(Format::Wacz) => "wacz",
        None => "none",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Plain,
    Html,
    Pdf,
    Warc,
    WarcGz,
    Wacz,
}

impl Format {
    fn of(path: &str) -> Option<Format> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        let ends = |ext: &str| lower.len() > ext.len() && lower.ends_with(ext);
        if ends(".txt") || ends(".md") {
            Some(Format::Plain)
        } else if ends(".html") || ends(".htm") {
            Some(Format::Html)
        } else if ends(".pdf") {
            Some(Format::Pdf)
        } else if ends(".warc") {
            Some(Format::Warc)
        } else if ends(".warc.gz") {
            Some(Format::WarcGz)
        } else if ends(".wacz") {
            Some(Format::Wacz)
        } else {
            None
        }
    }
}

/// The text of a copy. `path_for_kind` is only looked at for its extension (the file
/// itself is `bytes`, already read within the repository's size limit); `source_url`
/// is the source's `url`, so that a web archive's capture of it comes first.
pub fn text_of(
    path_for_kind: &str,
    bytes: &[u8],
    source_url: Option<&str>,
    limits: &Limits,
) -> Result<Extracted, ExtractProblem> {
    let format = Format::of(path_for_kind).ok_or_else(|| {
        ExtractProblem::Unsupported(
            "only .txt, .md, .html, .htm, .pdf, .warc, .warc.gz and .wacz copies carry text"
                .to_owned(),
        )
    })?;
    // Every reader below is written not to panic; this is the net under the crates they
    // use (pdf-extract is known to panic on some files, and is also guarded page by page).
    let run = || {
        let mut ctx = Ctx::new(limits);
        match format {
            Format::Plain => plain::text(bytes, &ctx).map(Extracted::single),
            Format::Html => html::text(bytes, None, &mut ctx).map(Extracted::single),
            Format::Pdf => pdf::pages(bytes, &mut ctx),
            Format::Warc => warc::from_warc(bytes, source_url, &mut ctx),
            Format::WarcGz => warc::from_warc_gz(bytes, source_url, &mut ctx),
            Format::Wacz => warc::from_wacz(bytes, source_url, &mut ctx),
        }
    };
    quiet_panics_while_extracting();
    let _quiet = Quiet::start();
    std::panic::catch_unwind(run).unwrap_or_else(|_| {
        Err(ExtractProblem::Malformed(
            "the reader for this kind of file failed on it".to_owned(),
        ))
    })
}

thread_local! {
    /// Whether this thread is extracting a copy: a panic in a reader (pdf-extract
    /// panics on some damaged files) is then caught and becomes a problem with the
    /// file, and must not also print a panic message on the researcher's terminal.
    static EXTRACTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as extracting until dropped.
struct Quiet(bool);

impl Quiet {
    fn start() -> Quiet {
        Quiet(EXTRACTING.replace(true))
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        EXTRACTING.set(self.0);
    }
}

/// Installs, once, a panic hook that stays silent for panics inside an extraction and
/// hands every other panic to the hook that was there before.
fn quiet_panics_while_extracting() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !EXTRACTING.get() {
                previous(info);
            }
        }));
    });
}

/// The state of one extraction: its limits, its deadline and what it has spent.
pub(crate) struct Ctx<'a> {
    limits: &'a Limits,
    deadline: Instant,
    decompressed: u64,
}

impl<'a> Ctx<'a> {
    fn new(limits: &'a Limits) -> Ctx<'a> {
        Ctx {
            limits,
            deadline: Instant::now() + limits.time,
            decompressed: 0,
        }
    }

    /// Stops when the time is up.
    fn tick(&self) -> Result<(), ExtractProblem> {
        if Instant::now() > self.deadline {
            Err(ExtractProblem::LimitReached {
                what: "seconds of reading",
                limit: self.limits.time.as_secs(),
            })
        } else {
            Ok(())
        }
    }

    fn text_limit(&self) -> ExtractProblem {
        ExtractProblem::LimitReached {
            what: "bytes of text",
            limit: u64::try_from(self.limits.max_text_bytes).unwrap_or(u64::MAX),
        }
    }

    fn decompressed_limit(&self) -> ExtractProblem {
        ExtractProblem::LimitReached {
            what: "decompressed bytes",
            limit: self.limits.max_decompressed_bytes,
        }
    }

    /// What is left of the decompression budget.
    fn remaining(&self) -> u64 {
        self.limits
            .max_decompressed_bytes
            .saturating_sub(self.decompressed)
    }

    /// Reads a decompressing reader to its end within what is left of the budget.
    fn inflate(&mut self, reader: impl Read, what: &str) -> Result<Vec<u8>, ExtractProblem> {
        let remaining = self.remaining();
        let mut out = Vec::new();
        reader
            .take(remaining.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|err| {
                ExtractProblem::Malformed(format!("{what} does not decompress: {err}"))
            })?;
        let len = u64::try_from(out.len()).unwrap_or(u64::MAX);
        if len > remaining {
            return Err(self.decompressed_limit());
        }
        self.decompressed += len;
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
