//! Checks on values that need more than the value itself: URLs, and local copies of
//! sources (inside the repository, present, matching their checksum).

use crate::access::{Refusal, Root};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::Repository;
use crate::text::shown;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Component, Path};

/// Checks every source's `file` and `sha256`, hashing files in parallel. Each file is
/// opened through [`Root`], so a link out of the repository, a FIFO or a device is
/// refused before anything is read.
pub fn local_files(repo: &Repository) -> Vec<Diagnostic> {
    let Ok(root) = Root::new(&repo.root) else {
        return Vec::new();
    };
    repo.sources
        .par_iter()
        .filter_map(|source| {
            let file = source.file.as_ref()?;
            let rel = repo.file(source.at.file);
            let error = |code, message: String| {
                Some(Diagnostic::error(code, rel, file.pos, message).with_id(Some(&source.id.value)))
            };
            let path = Path::new(&file.value);
            if path.is_absolute() || path.components().any(|c| matches!(c, Component::ParentDir | Component::Prefix(_) | Component::RootDir)) {
                return error(
                    Code::FileOutsideRepository,
                    format!("`{}` must be a path inside the repository, relative to its root, without `..`", shown(&file.value)),
                );
            }
            let opened = match root.open(path) {
                Ok(opened) => opened,
                Err(Refusal::Missing) => {
                    return error(
                        Code::MissingFile,
                        format!("there is no file `{}` in the repository; add it or correct the path (it is relative to the repository root)", shown(&file.value)),
                    );
                }
                Err(Refusal::Outside) => {
                    return error(
                        Code::FileOutsideRepository,
                        format!("`{}` leads outside the repository through a link; copy the file into the repository", shown(&file.value)),
                    );
                }
                Err(refusal) => {
                    return error(refusal.code(), format!("`{}` {}", shown(&file.value), refusal.reason()));
                }
            };
            let expected = source.sha256.as_ref()?;
            if expected.value.len() != 64 {
                return None;
            }
            match sha256_of(opened.0) {
                Ok(actual) if actual.eq_ignore_ascii_case(&expected.value) => None,
                Ok(actual) => Some(
                    Diagnostic::error(
                        Code::ChecksumMismatch,
                        rel,
                        expected.pos,
                        format!("`{}` has the sha256 {actual}, not the one given here; the file changed, or the checksum is wrong", shown(&file.value)),
                    )
                    .with_id(Some(&source.id.value)),
                ),
                Err(err) => error(Code::MissingFile, format!("cannot read `{}`: {err}", shown(&file.value))),
            }
        })
        .collect()
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
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
