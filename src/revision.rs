//! A past state of the research repository, read from git: the repository's folder as it
//! was at a revision, written out to a temporary folder so that [`crate::check`] can
//! read it exactly as it reads the working tree. Only the research repository's own
//! folder is written, which may be a subfolder of the git repository.
//!
//! This runs the `git` that is installed rather than linking a git library: it is
//! already on every researcher's machine that has a repository to compare, and it
//! knows every revision syntax (`HEAD~2`, `main@{yesterday}`, tags).

use anyhow::{Context, Result, bail};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The research repository as it was at one revision, in a temporary folder that is
/// removed when this is dropped.
#[derive(Debug)]
pub struct Revision {
    /// The revision as the user wrote it.
    pub name: String,
    /// The full hash of the commit it names.
    pub commit: String,
    folder: TempFolder,
}

impl Revision {
    /// The root of the research repository at this revision.
    pub fn root(&self) -> &Path {
        &self.folder.path
    }
}

/// Writes the research repository at `root` as it was at revision `rev` to a temporary
/// folder.
pub fn extract(root: &Path, rev: &str) -> Result<Revision> {
    // The folder of the research repository within the git repository ("" at its top).
    let prefix = git_text(root, &["rev-parse", "--show-prefix"])?;
    let prefix = prefix.trim_end_matches(['\n', '\r']).to_owned();
    if rev.is_empty() || rev.starts_with('-') {
        bail!(
            "`{}` is not a revision: name a commit, a branch, a tag or something like HEAD~1",
            crate::text::shown(rev)
        );
    }
    let commit = resolve(root, rev)?;
    let tree = format!("{commit}:{prefix}");
    // `REV:path^{tree}` would read `^{tree}` as part of the path, so ask for the type.
    if !prefix.is_empty() && git(root, &["cat-file", "-t", &tree])?.stdout.trim_ascii() != b"tree" {
        bail!(
            "the folder `{}` of the git repository did not exist at revision `{}`, so there is nothing to compare there",
            prefix.trim_end_matches('/'),
            crate::text::shown(rev)
        );
    }
    let folder = TempFolder::new()?;
    write_tree(root, &tree, &folder.path)
        .with_context(|| format!("cannot write out revision `{}`", crate::text::shown(rev)))?;
    Ok(Revision {
        name: rev.to_owned(),
        commit,
        folder,
    })
}

/// The full hash of the commit `rev` names.
fn resolve(root: &Path, rev: &str) -> Result<String> {
    let output = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?;
    if !output.status.success() {
        bail!(
            "unknown revision `{}`: git has no commit by that name here; name a commit hash, a branch, a tag or something like HEAD~1 (`git log --oneline` lists commits)",
            crate::text::shown(rev)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Writes every file of the git tree `tree` below `dest`, streaming the contents through
/// one `git cat-file --batch` rather than one process per file.
fn write_tree(root: &Path, tree: &str, dest: &Path) -> Result<()> {
    let listing = git_checked(root, &["ls-tree", "-r", "-z", "--full-tree", tree])?;
    let mut entries = Vec::new();
    for record in listing.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let Some(entry) = Entry::parse(record) else {
            bail!(
                "git listed a file in a form corroborate does not understand: {}",
                String::from_utf8_lossy(record)
            );
        };
        // Submodules are other repositories; their commits hold nothing to write here.
        if entry.kind == "blob" {
            entries.push(entry);
        }
    }
    if entries.is_empty() {
        return Ok(());
    }

    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(spawn_error)?;
    let mut stdin = child.stdin.take().context("no input pipe to git")?;
    let request: Vec<u8> = entries
        .iter()
        .flat_map(|e| e.object.bytes().chain(std::iter::once(b'\n')))
        .collect();
    // Written from another thread: git answers as it reads, and a full output pipe
    // would otherwise stop both sides.
    let writer = std::thread::spawn(move || stdin.write_all(&request));
    let stdout = child.stdout.take().context("no output pipe from git")?;
    let mut reader = BufReader::new(stdout);
    let written = entries
        .iter()
        .try_for_each(|entry| write_entry(&mut reader, entry, dest));
    drop(reader);
    let wrote_request = writer.join();
    let status = child.wait().context("git cat-file did not finish")?;
    written?;
    match wrote_request {
        Ok(result) => result.context("cannot send the list of files to git")?,
        Err(_) => bail!("the thread sending the list of files to git stopped"),
    }
    if !status.success() {
        bail!("git cat-file failed ({status})");
    }
    Ok(())
}

/// Reads one object from `git cat-file --batch` and writes it where the tree has it.
fn write_entry(reader: &mut impl BufRead, entry: &Entry, dest: &Path) -> Result<()> {
    let mut header = String::new();
    reader
        .read_line(&mut header)
        .context("git stopped answering")?;
    let mut fields = header.split_whitespace();
    let (Some(_), Some("blob"), Some(size)) = (fields.next(), fields.next(), fields.next()) else {
        bail!(
            "git cannot read `{}` ({})",
            entry.path.display(),
            header.trim()
        );
    };
    let size: u64 = size
        .parse()
        .with_context(|| format!("git gave no size for `{}`", entry.path.display()))?;
    let target = dest.join(&entry.path);
    make_folders(dest, &entry.path)?;
    let mut content = reader.take(size);
    if entry.mode == "120000" {
        let mut link = Vec::new();
        content.read_to_end(&mut link)?;
        write_link(&link, &target)?;
    } else {
        // `create_new` never follows a link that a crafted tree put in this place.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .with_context(|| format!("cannot create {}", target.display()))?;
        let copied = std::io::copy(&mut content, &mut file)
            .with_context(|| format!("cannot write {}", target.display()))?;
        if copied != size {
            bail!("git stopped in the middle of `{}`", entry.path.display());
        }
    }
    // Each object ends with a newline that is not part of it.
    let mut newline = [0u8; 1];
    reader.read_exact(&mut newline)?;
    Ok(())
}

/// Creates the folders above `rel` inside `dest`. A crafted tree could hold a link and
/// then a file "inside" it, which would be written wherever the link points: every
/// folder on the way must be a real folder.
fn make_folders(dest: &Path, rel: &Path) -> Result<()> {
    let mut folder = dest.to_path_buf();
    let Some(parent) = rel.parent() else {
        return Ok(());
    };
    for part in parent.components() {
        folder.push(part);
        match std::fs::symlink_metadata(&folder) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => bail!(
                "the revision has `{}` both as a file or link and as a folder",
                rel.display()
            ),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&folder)
                    .with_context(|| format!("cannot create {}", folder.display()))?;
            }
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read {}", folder.display()));
            }
        }
    }
    Ok(())
}

/// A link is written as a link, as a checkout would, so that the loader's rules about
/// links leading out of the repository apply to the past as they do to the present.
#[cfg(unix)]
fn write_link(target_text: &[u8], at: &Path) -> Result<()> {
    use std::os::unix::ffi::OsStrExt;
    std::os::unix::fs::symlink(OsStr::from_bytes(target_text), at)
        .with_context(|| format!("cannot create the link {}", at.display()))
}

/// Without unix links, a link is left out, as git itself does with `core.symlinks` off.
#[cfg(not(unix))]
fn write_link(_target_text: &[u8], _at: &Path) -> Result<()> {
    Ok(())
}

/// One line of `git ls-tree -r -z`: `<mode> SP <type> SP <object> TAB <path>`.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    mode: String,
    kind: String,
    object: String,
    path: PathBuf,
}

impl Entry {
    fn parse(record: &[u8]) -> Option<Entry> {
        let tab = record.iter().position(|&b| b == b'\t')?;
        let head = std::str::from_utf8(&record[..tab]).ok()?;
        let mut fields = head.split(' ');
        let (mode, kind, object) = (fields.next()?, fields.next()?, fields.next()?);
        if fields.next().is_some() || !object.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let path = path_from_git(&record[tab + 1..])?;
        Some(Entry {
            mode: mode.to_owned(),
            kind: kind.to_owned(),
            object: object.to_owned(),
            path,
        })
    }
}

/// A path from a git tree, refused if it could reach outside the folder it is written
/// to (git itself refuses to check such trees out).
fn path_from_git(bytes: &[u8]) -> Option<PathBuf> {
    #[cfg(unix)]
    let path = {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(OsStr::from_bytes(bytes))
    };
    #[cfg(not(unix))]
    let path = PathBuf::from(std::str::from_utf8(bytes).ok()?);
    let safe = path.components().count() > 0
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(part) if part != ".git"));
    safe.then_some(path)
}

/// Runs git in `root` and returns its output whatever its exit status; fails only when
/// git cannot run at all.
fn git(root: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(spawn_error)
}

/// Runs git in `root` and fails with git's own message if it fails, naming the usual
/// causes in plain words.
fn git_checked(root: &Path, args: &[&str]) -> Result<std::process::Output> {
    let output = git(root, args)?;
    if output.status.success() {
        return Ok(output);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = stderr.trim().trim_start_matches("fatal: ");
    if message.contains("not a git repository") {
        bail!(
            "{} is not in a git repository; `corroborate diff` compares revisions that git keeps, so commit the repository to git first (git init, git add, git commit)",
            root.display()
        );
    }
    bail!(
        "git {} failed in {}: {message}",
        args.join(" "),
        root.display()
    )
}

fn git_text(root: &Path, args: &[&str]) -> Result<String> {
    let output = git_checked(root, args)?;
    String::from_utf8(output.stdout)
        .with_context(|| format!("git {} printed something that is not text", args.join(" ")))
}

fn spawn_error(err: std::io::Error) -> anyhow::Error {
    if err.kind() == std::io::ErrorKind::NotFound {
        anyhow::anyhow!(
            "git is not installed (or not on PATH); `corroborate diff` needs it to read past revisions"
        )
    } else {
        anyhow::Error::new(err).context("cannot run git")
    }
}

/// A fresh folder under the system's temporary folder, removed with everything in it
/// when dropped.
#[derive(Debug)]
struct TempFolder {
    path: PathBuf,
}

impl TempFolder {
    fn new() -> Result<TempFolder> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut last_error = None;
        for _ in 0..16 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = base.join(format!(
                "corroborate-revision-{}-{nanos:x}-{n}",
                std::process::id()
            ));
            // `create_dir`, not `create_dir_all`: a folder that already exists is
            // someone else's and is never reused.
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempFolder { path }),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    last_error = Some(err);
                }
                Err(err) => {
                    return Err(err).with_context(|| {
                        format!("cannot create a temporary folder in {}", base.display())
                    });
                }
            }
        }
        Err(anyhow::Error::from(last_error.unwrap_or_else(|| {
            std::io::Error::from(std::io::ErrorKind::AlreadyExists)
        })))
        .with_context(|| format!("cannot create a temporary folder in {}", base.display()))
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ls_tree_records_are_parsed_and_unsafe_paths_refused() {
        let entry = Entry::parse(b"100644 blob 0123abcd\tclaims/a b.yaml").expect("entry");
        assert_eq!(entry.mode, "100644");
        assert_eq!(entry.kind, "blob");
        assert_eq!(entry.object, "0123abcd");
        assert_eq!(entry.path, PathBuf::from("claims/a b.yaml"));
        for bad in [
            &b"100644 blob 01\t../x"[..],
            b"100644 blob 01\t/etc/x",
            b"100644 blob 01\ta/../../x",
            b"100644 blob 01\t.git/config",
            b"100644 blob 01\t",
            b"100644 blob zz\tx",
            b"100644 blob 01 x",
        ] {
            assert_eq!(Entry::parse(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link() {
        let outside = TempFolder::new().expect("folder");
        let dest = TempFolder::new().expect("folder");
        std::os::unix::fs::symlink(&outside.path, dest.path.join("a")).expect("link");
        let err = make_folders(&dest.path, Path::new("a/b/x.yaml")).expect_err("refused");
        assert!(
            err.to_string()
                .contains("both as a file or link and as a folder"),
            "{err}"
        );
        assert!(
            std::fs::read_dir(&outside.path)
                .expect("read")
                .next()
                .is_none()
        );
        make_folders(&dest.path, Path::new("c/d/x.yaml")).expect("real folders");
        assert!(dest.path.join("c/d").is_dir());
    }

    #[test]
    fn temporary_folders_are_unique_and_removed() {
        let a = TempFolder::new().expect("folder");
        let b = TempFolder::new().expect("folder");
        assert_ne!(a.path, b.path);
        let path = a.path.clone();
        std::fs::write(path.join("x"), "x").expect("write");
        drop(a);
        assert!(!path.exists());
    }
}
