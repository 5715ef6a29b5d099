//! The text of the local copies of sources, read once per copy and kept in
//! `.corroborate/text/` at the repository root (FORMAT.md: "Extracted text is cached by
//! the copy's sha256"), so that checking quotes on every `check` costs a read and a hash
//! of each copy, not a PDF or web-archive extraction.
//!
//! The cache is an optimisation and never a source of truth: an entry is used only when
//! it names the same sha256, extractor version and (for web archives, whose records are
//! ordered by it) source URL; anything else in it, or a cache that cannot be read or
//! written (a read-only checkout in CI, `.corroborate` a link), means the copy is
//! extracted again. The folder holds a `.gitignore` of `*`, so git ignores it whatever
//! the repository's own `.gitignore` says.

use crate::access::Root;
use crate::extract::{self, Extracted, Layout, Limits};
use crate::model::{Role, SourceCopy};
use crate::quotes;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The folder at the repository root that holds what corroborate keeps between runs.
pub const STATE_FOLDER: &str = ".corroborate";

/// Bumped whenever an extractor changes what it gives for the same bytes, so that old
/// entries are not used.
const EXTRACTOR_VERSION: u32 = 1;

/// What a copy gave: its sha256 and its text, or why it has none.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyText {
    pub sha256: String,
    pub text: Result<Extracted, Problem>,
    /// The text normalised once for the quote matcher (made with it, from it alone).
    document: Option<quotes::Document>,
}

impl CopyText {
    /// The copy's text as it was read, normalised once here for all the quotes looked
    /// for in it.
    pub fn new(sha256: String, text: Result<Extracted, Problem>) -> CopyText {
        let document = text.as_ref().ok().map(quotes::Document::new);
        CopyText {
            sha256,
            text,
            document,
        }
    }

    /// The normalised text, when the copy has text.
    pub fn document(&self) -> Option<&quotes::Document> {
        self.document.as_ref()
    }
}

/// Why a copy has no text to check quotes against.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// A stable name ("no-text", "not-utf8", "unreadable", ...).
    pub kind: String,
    /// A sentence about the copy, to follow its path ("`x.pdf` has no text ...").
    pub message: String,
}

impl Problem {
    /// A scan, or text drawn as shapes: a `role: text` copy is the remedy.
    pub fn is_no_text(&self) -> bool {
        self.kind == "no-text"
    }
}

/// Where entries are kept, if they can be.
pub struct TextCache {
    root: Root,
    /// `.corroborate/text`, when it is a real folder inside the repository (made on the
    /// first write); `None` turns the cache off.
    folder: Option<PathBuf>,
    limits: Limits,
}

/// One entry as stored.
#[derive(Serialize, Deserialize)]
struct Entry {
    version: u32,
    sha256: String,
    url: Option<String>,
    layout: String,
    uris: Vec<String>,
    pages: Vec<String>,
    problem: Option<Problem>,
}

impl TextCache {
    /// The cache of the repository at `root`. Nothing is created until an entry is
    /// written.
    pub fn new(root: &Root) -> TextCache {
        TextCache {
            root: root.clone(),
            folder: state_folder(root).map(|state| state.join("text")),
            limits: Limits::default(),
        }
    }

    /// A cache that neither reads nor writes entries.
    pub fn off(root: &Root) -> TextCache {
        TextCache {
            root: root.clone(),
            folder: None,
            limits: Limits::default(),
        }
    }

    /// The text of the copy at `rel` (relative to the root), read through [`Root`] within
    /// `max_bytes`. `source_url` puts the source's own record first in a web archive;
    /// `as_text` reads a copy declared `role: text` as plain text whatever its name.
    pub fn text(
        &self,
        rel: &str,
        source_url: Option<&str>,
        max_bytes: u64,
        as_text: bool,
    ) -> CopyText {
        let bytes = match self.root.read(Path::new(rel), max_bytes) {
            Ok(bytes) => bytes,
            Err(refusal) => {
                return CopyText::new(
                    String::new(),
                    Err(Problem {
                        kind: "unreadable".to_owned(),
                        message: refusal.reason(),
                    }),
                );
            }
        };
        let sha256 = hex(&Sha256::digest(&bytes));
        let (kind_path, url) = reading(rel, source_url, as_text);
        let name = format!("{}.json", copy_key(&sha256, kind_path, url.as_deref()));
        if let Some(text) = self.lookup(&name, &sha256, url.as_deref()) {
            return CopyText::new(sha256, text);
        }
        let text =
            extract::text_of(kind_path, &bytes, url.as_deref(), &self.limits).map_err(|problem| {
                Problem {
                    kind: problem.kind().to_owned(),
                    message: problem.message(),
                }
            });
        self.store(&name, &sha256, url, &text);
        CopyText::new(sha256, text)
    }

    fn lookup(
        &self,
        name: &str,
        sha256: &str,
        url: Option<&str>,
    ) -> Option<Result<Extracted, Problem>> {
        self.folder.as_ref()?;
        let rel = Path::new(STATE_FOLDER).join("text").join(name);
        // An entry holds at most the text limit, JSON-escaped.
        let limit = 6 * self.limits.max_text_bytes as u64 + 64 * 1024;
        let bytes = self.root.read(&rel, limit).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        if entry.version != EXTRACTOR_VERSION
            || entry.sha256 != sha256
            || entry.url.as_deref() != url
        {
            return None;
        }
        if let Some(problem) = entry.problem {
            return Some(Err(problem));
        }
        let layout = match entry.layout.as_str() {
            "single" => Layout::Single,
            "pages" => Layout::Pages,
            "records" => Layout::Records { uris: entry.uris },
            _ => return None,
        };
        Some(Ok(Extracted {
            pages: entry.pages,
            layout,
        }))
    }

    /// Writes an entry; a cache that cannot be written is simply not used.
    fn store(
        &self,
        name: &str,
        sha256: &str,
        url: Option<String>,
        text: &Result<Extracted, Problem>,
    ) {
        let Some(folder) = &self.folder else {
            return;
        };
        let (layout, uris, pages, problem) = match text {
            Ok(extracted) => {
                let (layout, uris) = match &extracted.layout {
                    Layout::Single => ("single", Vec::new()),
                    Layout::Pages => ("pages", Vec::new()),
                    Layout::Records { uris } => ("records", uris.clone()),
                };
                (layout, uris, extracted.pages.clone(), None)
            }
            Err(problem) => ("single", Vec::new(), Vec::new(), Some(problem.clone())),
        };
        let entry = Entry {
            version: EXTRACTOR_VERSION,
            sha256: sha256.to_owned(),
            url,
            layout: layout.to_owned(),
            uris,
            pages,
            problem,
        };
        let Ok(json) = serde_json::to_vec(&entry) else {
            return;
        };
        let _ = write_state_file(&self.root, folder, name, &json);
    }
}

/// The state folder of `root`, unless it cannot be used: a `.corroborate` that is a
/// link (it could lead anywhere) or not a folder turns the caches off; a missing one is
/// made when something is first written.
pub(crate) fn state_folder(root: &Root) -> Option<PathBuf> {
    let state = root.canonical.join(STATE_FOLDER);
    let usable = match std::fs::symlink_metadata(&state) {
        Ok(meta) => meta.is_dir(),
        Err(err) => err.kind() == std::io::ErrorKind::NotFound,
    };
    usable.then_some(state)
}

/// Writes `bytes` as the file `name` in `folder` (the state folder of `root`, or a
/// folder in it), making both, with the state folder's `.gitignore`, as needed.
pub(crate) fn write_state_file(
    root: &Root,
    folder: &Path,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<()> {
    let state = root.canonical.join(STATE_FOLDER);
    make_folder(&state)?;
    let ignore = state.join(".gitignore");
    if std::fs::symlink_metadata(&ignore).is_err() {
        // `create_new`: never through a link someone placed there.
        use std::io::Write;
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&ignore)
        {
            file.write_all(
                b"# corroborate's caches (extracted text, quote checks) are never committed;\n# the results of `corroborate links` may be, for the report to say when links\n# were last checked.\n*\n!links.json\n",
            )?;
        }
    }
    make_folder(folder)?;
    // Written whole under a temporary name, then renamed: a reader sees the old
    // entry or the new one, never half of one, and two checks at once do no harm.
    let mut temp = tempfile::NamedTempFile::new_in(folder)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.persist(folder.join(name)).map_err(|err| err.error)?;
    Ok(())
}

/// How the copy at `rel` is read: the name whose extension chooses the extractor (a
/// copy declared `role: text` is plain text whatever its name), and the source URL when
/// the text depends on it (a web archive's records are ordered by it).
fn reading<'a>(rel: &'a str, source_url: Option<&str>, as_text: bool) -> (&'a str, Option<String>) {
    let url = matches!(extract::kind_name(rel), "warc" | "warc.gz" | "wacz")
        .then(|| source_url.map(str::to_owned))
        .flatten();
    // The same bytes read as another format give another text.
    let kind_path = if as_text && !extract::is_text_bearing(rel) {
        "text.txt"
    } else {
        rel
    };
    (kind_path, url)
}

/// What names one text of a copy: its sha256, the format it is read as and, for a web
/// archive, the source URL. The name of its entry in the text cache.
fn copy_key(sha256: &str, kind_path: &str, url: Option<&str>) -> String {
    let kind = extract::kind_name(kind_path);
    match url {
        Some(url) => format!(
            "{sha256}-{kind}-{}",
            &hex(&Sha256::digest(url.as_bytes()))[..16]
        ),
        None => format!("{sha256}-{kind}"),
    }
}

/// The key of the text the copy `rel` with the sha256 `sha256` gives when read for a
/// source at `source_url` (see [`TextCache::text`]), with the extractors' version since
/// a new one may give another text for the same bytes: equal keys, equal texts.
pub fn text_key(rel: &str, sha256: &str, source_url: Option<&str>, as_text: bool) -> String {
    let (kind_path, url) = reading(rel, source_url, as_text);
    format!(
        "{EXTRACTOR_VERSION}:{}",
        copy_key(sha256, kind_path, url.as_deref())
    )
}

/// The text-bearing copies of the sources that quotes are checked against, each read
/// once: for every such source, its copies in the order they are declared, with what
/// each gave.
#[derive(Debug, Default)]
pub struct CopyTexts {
    by_source: foldhash::HashMap<usize, Vec<(String, CopyText)>>,
}

impl CopyTexts {
    /// The text-bearing copies of the source `source` (empty when it has none).
    pub fn of(&self, source: usize) -> &[(String, CopyText)] {
        self.by_source.get(&source).map_or(&[], Vec::as_slice)
    }
}

/// Whether a copy is one quotes are looked for in: its name says it carries text, or it
/// is declared as the text of another copy (`role: text`, read as plain text).
pub fn carries_text(copy: &SourceCopy<'_>) -> bool {
    copy.role == Role::Text || extract::is_text_bearing(&copy.path.value)
}

/// Reads the text-bearing copies of `sources` (indices into the repository's sources),
/// all copies in parallel, through `cache`.
pub fn read_for(
    repo: &crate::load::Repository,
    sources: impl IntoIterator<Item = usize>,
    cache: &TextCache,
) -> CopyTexts {
    use rayon::prelude::*;
    let mut wanted: Vec<usize> = sources.into_iter().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let jobs: Vec<(usize, String, bool, Option<&str>)> = wanted
        .iter()
        .filter_map(|&s| repo.sources.get(s).map(|source| (s, source)))
        .flat_map(|(s, source)| {
            let url = source.url.as_ref().map(|u| u.value.as_str());
            source
                .copies()
                .filter(carries_text)
                .map(move |copy| (s, copy.path.value.clone(), copy.role == Role::Text, url))
                .collect::<Vec<_>>()
        })
        .collect();
    let max_bytes = repo.config.max_file_bytes;
    let read: Vec<(usize, String, CopyText)> = jobs
        .into_par_iter()
        .map(|(s, path, as_text, url)| {
            let text = cache.text(&path, url, max_bytes, as_text);
            (s, path, text)
        })
        .collect();
    let mut texts = CopyTexts::default();
    for (s, path, text) in read {
        texts.by_source.entry(s).or_default().push((path, text));
    }
    texts
}

/// Makes `path` a folder unless it is one; a link or a file there is refused.
fn make_folder(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(std::io::Error::other("not a folder")),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(err) => Err(err),
        },
        Err(err) => Err(err),
    }
}

/// Bytes as lowercase hexadecimal, as sha256 sums are written.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, Root) {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        std::fs::create_dir(dir.path().join("evidence")).unwrap_or_else(|err| panic!("{err}"));
        let root = Root::new(dir.path()).unwrap_or_else(|err| panic!("{err}"));
        (dir, root)
    }

    fn write(dir: &Path, rel: &str, bytes: &[u8]) {
        std::fs::write(dir.join(rel), bytes).unwrap_or_else(|err| panic!("{err}"));
    }

    #[test]
    fn an_entry_is_written_once_and_used_while_the_copy_is_unchanged() {
        let (dir, root) = repo();
        write(dir.path(), "evidence/a.txt", b"the vendor's own words");
        let cache = TextCache::new(&root);
        let first = cache.text("evidence/a.txt", None, 1 << 20, false);
        assert_eq!(
            first.text.as_ref().map(|t| t.pages.clone()),
            Ok(vec!["the vendor's own words".to_owned()])
        );
        let entry = dir
            .path()
            .join(STATE_FOLDER)
            .join("text")
            .join(format!("{}-txt.json", first.sha256));
        assert!(entry.is_file(), "the entry is written");
        let ignore =
            std::fs::read_to_string(dir.path().join(".corroborate/.gitignore")).unwrap_or_default();
        assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
        // The entry, not the file, gives the text: change the entry to prove it.
        let stored = std::fs::read_to_string(&entry)
            .unwrap_or_default()
            .replace("own words", "cached words");
        std::fs::write(&entry, stored).unwrap_or_else(|err| panic!("{err}"));
        let again = cache.text("evidence/a.txt", None, 1 << 20, false);
        assert_eq!(
            again.text.map(|t| t.pages),
            Ok(vec!["the vendor's cached words".to_owned()])
        );
        // A changed copy has another sha256, so another entry.
        write(dir.path(), "evidence/a.txt", b"new words");
        let changed = cache.text("evidence/a.txt", None, 1 << 20, false);
        assert_ne!(changed.sha256, first.sha256);
        assert_eq!(
            changed.text.map(|t| t.pages),
            Ok(vec!["new words".to_owned()])
        );
    }

    #[test]
    fn a_broken_or_foreign_entry_is_ignored() {
        let (dir, root) = repo();
        write(dir.path(), "evidence/a.txt", b"words");
        let cache = TextCache::new(&root);
        let first = cache.text("evidence/a.txt", None, 1 << 20, false);
        let entry = dir
            .path()
            .join(".corroborate/text")
            .join(format!("{}-txt.json", first.sha256));
        for junk in [&b"{not json"[..], br#"{"version":999}"#, &[0xff, 0xfe][..]] {
            std::fs::write(&entry, junk).unwrap_or_else(|err| panic!("{err}"));
            assert_eq!(cache.text("evidence/a.txt", None, 1 << 20, false), first);
        }
    }

    #[test]
    fn problems_are_kept_too() {
        let (dir, root) = repo();
        write(dir.path(), "evidence/a.txt", b"caf\xe9");
        let cache = TextCache::new(&root);
        let first = cache.text("evidence/a.txt", None, 1 << 20, false);
        assert_eq!(
            first.text.as_ref().map_err(|p| p.kind.as_str()),
            Err("not-utf8")
        );
        assert_eq!(cache.text("evidence/a.txt", None, 1 << 20, false), first);
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_state_folder_turns_the_cache_off() {
        let (dir, root) = repo();
        let elsewhere = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(STATE_FOLDER))
            .unwrap_or_else(|err| panic!("{err}"));
        write(dir.path(), "evidence/a.txt", b"words");
        let text = TextCache::new(&root).text("evidence/a.txt", None, 1 << 20, false);
        assert!(text.text.is_ok());
        assert_eq!(
            std::fs::read_dir(elsewhere.path())
                .map(|d| d.count())
                .unwrap_or(0),
            0,
            "nothing written through the link"
        );
    }

    #[test]
    fn a_missing_copy_is_a_problem_not_a_panic() {
        let (_dir, root) = repo();
        let text = TextCache::new(&root).text("evidence/none.pdf", None, 1 << 20, false);
        assert_eq!(text.text.map_err(|p| p.kind), Err("unreadable".to_owned()));
    }
}
