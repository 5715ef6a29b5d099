//! Writing only where corroborate should. A folder named in `corroborate.yaml` must
//! lie inside the repository once links are resolved, so that one case cannot replace
//! another's published site; and files are created new, never written through
//! whatever already sits at their path, a dangling link included.

use anyhow::{Context, Result, bail};
use std::path::{Component, Path, PathBuf};

/// Where `path` really is: its nearest existing ancestor with every link resolved, and
/// the rest (which does not exist yet, so will be created as plain folders) appended
/// with `..` taken lexically.
pub fn real_location(path: &Path) -> Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("cannot read the current folder")?
            .join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    // `symlink_metadata`, not `exists`: a dangling link exists, and canonicalising it
    // below fails rather than treating its place as free.
    while std::fs::symlink_metadata(existing).is_err() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.components().next_back())
        else {
            break;
        };
        rest.push(name);
        existing = parent;
    }
    let mut real = existing
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", existing.display()))?;
    for part in rest.into_iter().rev() {
        match part {
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => real.push(name),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Ok(real)
}

/// Whether `path` lies strictly below the folder `root`, links resolved.
pub fn is_inside(root: &Path, path: &Path) -> Result<bool> {
    let root = real_location(root)?;
    let real = real_location(path)?;
    Ok(real != root && real.starts_with(&root))
}

/// Fails unless the folder `value` of the setting `setting` in `corroborate.yaml`, at
/// `path`, lies inside the repository at `root`.
pub fn setting_inside(root: &Path, setting: &str, value: &str, path: &Path) -> Result<()> {
    if is_inside(root, path)? {
        return Ok(());
    }
    bail!(
        "the `{setting}` setting (`{}`) in {} leads outside the repository, to {}; name a folder inside the repository, or give --out to write elsewhere on purpose (nothing was written)",
        crate::text::shown(value),
        crate::load::CONFIG_FILE,
        real_location(path)?.display()
    )
}

/// The names among `names` that something already occupies in `dir`: a file, a
/// folder, or a link, even one that leads nowhere.
pub fn occupied<'a>(dir: &Path, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    names
        .into_iter()
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .collect()
}

/// Creates every file of `files` (paths relative to `dir`, with `/`) with its folders.
/// Each file is created new, so nothing is written through a link that appeared since
/// [`occupied`] was asked; if one cannot be written, those written before it are
/// removed again.
pub fn write_new(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    let mut written: Vec<PathBuf> = Vec::new();
    let result = files.iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        create_new(&path, bytes)?;
        written.push(path);
        Ok(())
    });
    if result.is_err() {
        for path in &written {
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

/// Creates the file at `path`, failing if anything is there already.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_resolved_through_what_exists() {
        let dir = tempfile::tempdir().expect("folder");
        let root = dir.path().canonicalize().expect("root");
        assert_eq!(
            real_location(&root.join("a/b/../c")).expect("real"),
            root.join("a/c")
        );
        assert!(is_inside(&root, &root.join("a/../site")).expect("inside"));
        assert!(!is_inside(&root, &root.join("a/../../site")).expect("inside"));
        assert!(!is_inside(&root, &root).expect("inside"));
        assert!(!is_inside(&root, &root.join("./")).expect("inside"));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_dangling_ones_refused() {
        let dir = tempfile::tempdir().expect("folder");
        let outside = tempfile::tempdir().expect("folder");
        let root = dir.path();
        std::os::unix::fs::symlink(outside.path(), root.join("out")).expect("link");
        assert!(!is_inside(root, &root.join("out/site")).expect("resolved"));
        std::os::unix::fs::symlink(outside.path().join("gone"), root.join("dangling"))
            .expect("link");
        assert!(real_location(&root.join("dangling/site")).is_err());
        assert_eq!(
            occupied(root, ["dangling", "out", "free"]),
            ["dangling", "out"]
        );
        let err = write_new(root, &[("a.txt", b"a"), ("dangling", b"x")]).expect_err("refused");
        assert!(err.to_string().contains("cannot create"), "{err}");
        assert!(!root.join("a.txt").exists(), "rolled back");
        assert!(!outside.path().join("gone").exists());
    }
}
