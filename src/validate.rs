//! Checks on values that need more than the value itself: URLs, archived copies
//! (written one way, each once), and local copies of sources (written once each,
//! inside the repository, present, matching their checksum).

use crate::access::{Refusal, Root};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::Repository;
use crate::model::{Source, SourceCopy};
use crate::text::shown;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path};

/// Checks every local copy of every source (`file` and `sha256`, or each item of
/// `files`), hashing files in parallel, and that a source names each copy once and in
/// one way. Each file is opened through [`Root`], so a link out of the repository, a
/// FIFO or a device is refused before anything is read.
///
/// Also gives the sha256 of every copy it hashed (those with a `sha256` to compare, and
/// every copy that quotes are looked for in), so that the quote checks know whether a
/// copy changed without reading it a second time.
pub fn local_files(repo: &Repository) -> (Vec<Diagnostic>, Digests) {
    let Ok(root) = Root::new(&repo.root) else {
        return (Vec::new(), Digests::default());
    };
    // Per source: its diagnostics, and (path, sha256) of the copies hashed.
    type Checked = (Vec<Diagnostic>, Vec<(String, String)>);
    let checked: Vec<Checked> = repo
        .sources
        .par_iter()
        .map(|source| {
            let mut found = written_copies(repo, source);
            let mut digests = Vec::new();
            for copy in source.copies() {
                let (diagnostic, digest) = local_copy(repo, &root, source, copy);
                found.extend(diagnostic);
                digests.extend(digest.map(|sha256| (copy.path.value.clone(), sha256)));
            }
            (found, digests)
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut digests = Digests::default();
    for (found, sums) in checked {
        diagnostics.extend(found);
        digests.by_path.extend(sums);
    }
    (diagnostics, digests)
}

/// The sha256 of the local copies [`local_files`] read, by their path as written.
#[derive(Debug, Default)]
pub struct Digests {
    by_path: foldhash::HashMap<String, String>,
}

impl Digests {
    /// The sha256 (lowercase hexadecimal) of the copy at `path`, if it was read.
    pub fn of(&self, path: &str) -> Option<&str> {
        self.by_path.get(path).map(String::as_str)
    }
}

/// How each source's archived copies are written: `archive_url` or `archives`, not
/// both, and each URL once.
pub fn archives(repo: &Repository) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for source in &repo.sources {
        let rel = repo.file(source.at.file);
        let error = |pos, message: String| {
            Diagnostic::error(Code::InvalidValue, rel, pos, message).with_id(Some(&source.id.value))
        };
        if let (Some(url), false) = (&source.archive_url, source.archives.is_empty()) {
            found.push(error(
                url.pos,
                "a source has `archive_url` or `archives`, not both; move this URL into `archives` as an item with `url`".to_owned(),
            ));
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for archive in source.archives() {
            if !seen.insert(&archive.url.value) {
                found.push(error(
                    archive.url.pos,
                    format!(
                        "`{}` is already an archived copy of this source; each item of `archives` names a different capture",
                        shown(&archive.url.value)
                    ),
                ));
            }
        }
    }
    found
}

/// Each `import_key` once in the repository (FORMAT.md: the `duplicate-id` rule
/// applies to it), so that an import can find the one record it made from an item.
pub fn import_keys(repo: &Repository) -> Vec<Diagnostic> {
    let keyed = repo
        .sources
        .iter()
        .map(|s| ("source", &s.import_key, s.at, &s.id.value))
        .chain(
            repo.claims
                .iter()
                .map(|c| ("claim", &c.import_key, c.at, &c.id.value)),
        );
    let mut seen: std::collections::HashMap<&str, (&str, &str, crate::diagnostics::Pos)> =
        std::collections::HashMap::new();
    let mut found = Vec::new();
    for (noun, key, at, id) in keyed {
        let Some(key) = key else { continue };
        let file = repo.file(at.file);
        match seen.get(key.value.as_str()) {
            Some((earlier_noun, earlier_file, earlier_pos)) => found.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    file,
                    key.pos,
                    format!(
                        "the import key `{}` is already the {earlier_noun}'s at {earlier_file}:{}:{}; an import key names one record of the repository",
                        shown(&key.value),
                        earlier_pos.line,
                        earlier_pos.column
                    ),
                )
                .with_id(Some(id)),
            ),
            None => {
                seen.insert(&key.value, (noun, file, key.pos));
            }
        }
    }
    found
}

/// How the copies are written: `file` or `files`, not both, and each path once.
fn written_copies(repo: &Repository, source: &Source) -> Vec<Diagnostic> {
    let rel = repo.file(source.at.file);
    let error = |pos, message: String| {
        Diagnostic::error(Code::InvalidValue, rel, pos, message).with_id(Some(&source.id.value))
    };
    let mut found = Vec::new();
    if let (Some(file), false) = (&source.file, source.files.is_empty()) {
        found.push(error(
            file.pos,
            "a source has `file` or `files`, not both; move this copy (and its `sha256`) into `files` as an item with `path`".to_owned(),
        ));
    }
    let mut seen: HashSet<&str> = HashSet::new();
    for copy in &source.files {
        if !seen.insert(&copy.path.value) {
            found.push(error(
                copy.path.pos,
                format!(
                    "`{}` is already a copy of this source; each item of `files` names a different file",
                    shown(&copy.path.value)
                ),
            ));
        }
    }
    found
}

/// Checks one copy: inside the repository, present, a regular file, and matching its
/// `sha256` when one is given.
fn local_copy(
    repo: &Repository,
    root: &Root,
    source: &Source,
    copy: SourceCopy<'_>,
) -> (Option<Diagnostic>, Option<String>) {
    let file = copy.path;
    let rel = repo.file(source.at.file);
    let error = |code, message: String| {
        (
            Some(Diagnostic::error(code, rel, file.pos, message).with_id(Some(&source.id.value))),
            None,
        )
    };
    let path = Path::new(&file.value);
    if path.is_absolute()
        || path.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::Prefix(_) | Component::RootDir
            )
        })
    {
        return error(
            Code::FileOutsideRepository,
            format!(
                "`{}` must be a path inside the repository, relative to its root, without `..`",
                shown(&file.value)
            ),
        );
    }
    let opened = match root.open(path) {
        Ok(opened) => opened,
        Err(Refusal::Missing) => {
            return error(
                Code::MissingFile,
                format!(
                    "there is no file `{}` in the repository; add it or correct the path (it is relative to the repository root)",
                    shown(&file.value)
                ),
            );
        }
        Err(Refusal::Outside) => {
            return error(
                Code::FileOutsideRepository,
                format!(
                    "`{}` leads outside the repository through a link; copy the file into the repository",
                    shown(&file.value)
                ),
            );
        }
        Err(refusal) => {
            return error(
                refusal.code(),
                format!("`{}` {}", shown(&file.value), refusal.reason()),
            );
        }
    };
    // A sha256 to compare, or a copy quotes may be looked for in: hash it.
    let expected = copy.sha256.filter(|sha| sha.value.len() == 64);
    // Without a sum to compare, a copy is hashed only for the quote checks, which read
    // no copy past the size limit (they say so as `unreadable-copy`).
    if expected.is_none()
        && (!crate::copies::carries_text(&copy) || opened.1 > repo.config.max_file_bytes)
    {
        return (None, None);
    }
    let actual = match sha256_of(opened.0) {
        Ok(actual) => actual,
        Err(err) => {
            return error(
                Code::MissingFile,
                format!("cannot read `{}`: {err}", shown(&file.value)),
            );
        }
    };
    let mismatch = expected
        .filter(|expected| !actual.eq_ignore_ascii_case(&expected.value))
        .map(|expected| {
            Diagnostic::error(
                Code::ChecksumMismatch,
                rel,
                expected.pos,
                format!("`{}` has the sha256 {actual}, not the one given here; the file changed, or the checksum is wrong", shown(&file.value)),
            )
            .with_id(Some(&source.id.value))
        });
    (mismatch, Some(actual))
}

fn sha256_of(mut file: std::fs::File) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(crate::copies::hex(&hasher.finalize()))
}
