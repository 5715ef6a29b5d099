//! What each page of a built site was made from, kept in the site folder as
//! `.corroborate-manifest`, so that the next build can carry unchanged pages over from
//! the previous site instead of rendering and writing them again.
//!
//! A page's key is the hash of everything it shows (the record digests `serve` already
//! compares, the settings, the templates, the edition); the file's first line names the
//! binary that wrote it, so a manifest written by another build of corroborate (whose
//! pages may differ for the same data) is never trusted. The manifest is only ever a
//! shortcut: when it is missing, damaged or from another binary, every page is rendered.

use std::collections::HashMap;
use std::path::Path;

/// The manifest's name in the site folder, beside the `.corroborate-site` marker.
pub const FILE: &str = ".corroborate-manifest";
const HEADER: &str = "corroborate-manifest 1";
/// Far past the manifest of the largest sites (about 100 bytes a page).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The pages of a previous build: path to (key, length in bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pages: HashMap<String, (u64, u64)>,
}

/// One page of a manifest being written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub path: String,
    pub key: u64,
    pub len: u64,
}

impl Manifest {
    /// The manifest of the site in `site`, or an empty one when there is none or it
    /// cannot be trusted (unreadable, damaged, written by another binary).
    pub fn read(site: &Path) -> Manifest {
        // Through the one bounded reader: a link, a FIFO or an oversized file there is
        // no manifest, never a hang or a read of something else.
        crate::access::read_resolved(&site.join(FILE), MAX_BYTES)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| Manifest::parse(&text, &binary_identity()))
            .unwrap_or_default()
    }

    fn parse(text: &str, identity: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != format!("{HEADER} {identity}") || identity.is_empty() {
            return None;
        }
        let mut pages = HashMap::new();
        for line in lines {
            let mut fields = line.splitn(3, ' ');
            let key = u64::from_str_radix(fields.next()?, 16).ok()?;
            let len = fields.next()?.parse().ok()?;
            let path = fields.next()?;
            pages.insert(path.to_owned(), (key, len));
        }
        Some(Manifest { pages })
    }

    /// The key and length of the page at `path` (`claims/x.html`) in the previous build.
    pub fn get(&self, path: &str) -> Option<(u64, u64)> {
        self.pages.get(path).copied()
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// The text of a manifest, entries sorted by path so that it is the same for the
/// same site.
pub fn write(mut entries: Vec<Entry>) -> Vec<u8> {
    use std::fmt::Write;
    entries.sort_unstable();
    let mut text = String::with_capacity(40 * entries.len() + 64);
    let _ = writeln!(text, "{HEADER} {}", binary_identity());
    for Entry { path, key, len } in &entries {
        let _ = writeln!(text, "{key:016x} {len} {path}");
    }
    text.into_bytes()
}

/// Which binary this is: the version, and the size and time of the executable, so that
/// a rebuilt corroborate (whose pages may differ for the same data and whose hashes
/// may differ too) renders everything once. Empty when the executable cannot be
/// found: a manifest that names no binary is never trusted.
fn binary_identity() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    let Ok(meta) = meta else {
        return String::new();
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{}-{}-{modified}", env!("CARGO_PKG_VERSION"), meta.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_link_in_place_of_the_manifest_is_no_manifest() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join(FILE))
            .status()
            .unwrap_or_else(|err| panic!("mkfifo: {err}"));
        assert!(status.success());
        assert_eq!(
            Manifest::read(dir.path()),
            Manifest::default(),
            "no hang on a FIFO"
        );
        let other = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        std::fs::remove_file(dir.path().join(FILE)).unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(other.path().join("m"), "x").unwrap_or_else(|err| panic!("{err}"));
        std::os::unix::fs::symlink(other.path().join("m"), dir.path().join(FILE))
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            Manifest::read(dir.path()),
            Manifest::default(),
            "a link is not followed"
        );
    }

    #[test]
    fn a_manifest_reads_back_only_with_the_same_binary() {
        let entries = vec![
            Entry {
                path: "sources/b c.html".into(),
                key: 0xabc,
                len: 12,
            },
            Entry {
                path: "claims/a.html".into(),
                key: u64::MAX,
                len: 0,
            },
        ];
        let text = String::from_utf8(write(entries)).unwrap_or_default();
        let identity = binary_identity();
        assert!(!identity.is_empty());
        let manifest = Manifest::parse(&text, &identity).unwrap_or_default();
        assert_eq!(manifest.len(), 2);
        assert_eq!(manifest.get("sources/b c.html"), Some((0xabc, 12)));
        assert_eq!(manifest.get("claims/a.html"), Some((u64::MAX, 0)));
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.ends_with("claims/a.html"))
        );
        assert_eq!(Manifest::parse(&text, "0.0.0-1-2"), None);
        assert_eq!(Manifest::parse(&text, ""), None);
        let damaged = text.replace(" 12 ", " twelve ");
        assert_eq!(Manifest::parse(&damaged, &identity), None);
    }
}
