//! A past state of the research repository, read from git: the files of the
//! repository's folder that a check reads (`corroborate.yaml`, the data folder, the
//! local copies that sources name in `file`, and what links among them lead to), as
//! they were at a revision, written out to a private temporary folder so that
//! [`crate::check`] can read them exactly as it reads the working tree. Nothing else of
//! the revision is written: it may hold large files that no check needs. The folder is
//! removed when the comparison ends, and on Ctrl-C, SIGTERM and SIGHUP too
//! ([`remove_on_signals`]).
//!
//! This runs the `git` that is installed rather than linking a git library: it is
//! already on every researcher's machine that has a repository to compare, and it
//! knows every revision syntax (`HEAD~2`, `main@{yesterday}`, `:/message`, tags).

use anyhow::{Context, Result, bail};
use std::collections::HashSet;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// The research repository as it was at one revision, in a temporary folder that is
/// removed when this is dropped.
#[derive(Debug)]
pub struct Revision {
    /// The revision as the user wrote it.
    pub name: String,
    /// The full hash of the commit it names.
    pub commit: String,
    folder: TempFolder,
    /// The data files as read to find the local copies, so that [`Revision::check`]
    /// does not parse them again.
    cache: Option<crate::load::FileCache>,
}

impl Revision {
    /// The root of the research repository at this revision.
    pub fn root(&self) -> &Path {
        self.folder.path()
    }

    /// Checks the repository at this revision (once: the data files read while it was
    /// written out are handed over, not kept).
    pub fn check(&mut self) -> Result<crate::Checked> {
        let cache = self.cache.take();
        crate::check::check_with(self.folder.path(), cache.as_ref(), true)
    }
}

/// Writes what a check reads of the research repository at `root` as it was at
/// revision `rev` to a temporary folder.
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
    let cache = write_what_the_check_reads(root, &tree, folder.path())
        .with_context(|| format!("cannot write out revision `{}`", crate::text::shown(rev)))?;
    Ok(Revision {
        name: rev.to_owned(),
        commit,
        folder,
        cache: Some(cache),
    })
}

/// The full hash of the commit `rev` names.
fn resolve(root: &Path, rev: &str) -> Result<String> {
    let unknown = || {
        anyhow::anyhow!(
            "unknown revision `{}`: git has no commit by that name here; name a commit hash, a branch, a tag or something like HEAD~1 (`git log --oneline` lists commits)",
            crate::text::shown(rev)
        )
    };
    // In two steps: `REV^{commit}` in one would make `:/message` search for a message
    // ending in `^{commit}`. `--end-of-options` keeps any revision from being an option.
    let object = git(
        root,
        &["rev-parse", "--verify", "--quiet", "--end-of-options", rev],
    )?;
    if !object.status.success() {
        return Err(unknown());
    }
    let object = String::from_utf8_lossy(&object.stdout).trim().to_owned();
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{object}^{{commit}}"),
        ],
    )?;
    if !commit.status.success() {
        return Err(unknown());
    }
    Ok(String::from_utf8_lossy(&commit.stdout).trim().to_owned())
}

/// Writes below `dest` the files of the git tree `tree` that a check reads: the
/// settings, then the data folder they name, then the local copies that the sources
/// name. Returns the data files as read to find those copies.
fn write_what_the_check_reads(
    root: &Path,
    tree: &str,
    dest: &Path,
) -> Result<crate::load::FileCache> {
    let mut tree = Tree::list(root, tree)?;
    tree.write(root, dest, vec![PathBuf::from(crate::load::CONFIG_FILE)])?;
    let config = crate::load::load_config(dest)?;
    tree.write(root, dest, vec![PathBuf::from(&config.data)])?;
    let cache = crate::load::FileCache::default();
    // The settings or the data folder may be missing or wrong: the check that follows
    // says so, in its own words.
    if let Ok(loaded) = crate::load::load_with(dest, Some(&cache), true) {
        let copies = loaded
            .repo
            .sources
            .iter()
            .flat_map(|source| source.copies())
            .map(|copy| PathBuf::from(&copy.path.value))
            .collect();
        tree.write(root, dest, copies)?;
    }
    Ok(cache)
}

/// The files of a git tree, which of them are written out already, and where the
/// links among those lead.
struct Tree {
    entries: Vec<Entry>,
    written: Vec<bool>,
    targets: Vec<Option<PathBuf>>,
}

/// How git marks a symbolic link.
const LINK_MODE: &str = "120000";

/// Links followed one after another at most, as the system itself allows.
const MAX_LINK_ROUNDS: usize = 40;

impl Tree {
    fn list(root: &Path, tree: &str) -> Result<Tree> {
        let entries = list_tree(root, tree)?;
        Ok(Tree {
            written: vec![false; entries.len()],
            targets: vec![None; entries.len()],
            entries,
        })
    }

    /// Writes the files at or below each of `wanted` (paths as the repository names
    /// them), and whatever the links among them lead to inside the tree.
    fn write(&mut self, root: &Path, dest: &Path, wanted: Vec<PathBuf>) -> Result<()> {
        let mut wanted: Vec<PathBuf> = wanted.iter().filter_map(|w| normal(w)).collect();
        let mut asked: HashSet<PathBuf> = HashSet::new();
        for _ in 0..MAX_LINK_ROUNDS {
            // Each entry picked with what remains of the wanted path below it, when
            // the entry is a link on the way to that path.
            let mut picked: Vec<(usize, PathBuf)> = Vec::new();
            for want in wanted.drain(..) {
                if !asked.insert(want.clone()) {
                    continue;
                }
                for (index, entry) in self.entries.iter().enumerate() {
                    if entry.path.starts_with(&want) {
                        picked.push((index, PathBuf::new()));
                    } else if entry.mode == LINK_MODE
                        && let Ok(rest) = want.strip_prefix(&entry.path)
                    {
                        picked.push((index, rest.to_path_buf()));
                    }
                }
            }
            if picked.is_empty() {
                break;
            }
            let fresh: Vec<usize> = picked
                .iter()
                .map(|(index, _)| *index)
                .filter(|&index| !std::mem::replace(&mut self.written[index], true))
                .collect();
            for (index, target) in write_entries(root, &self.entries, &fresh, dest)? {
                self.targets[index] = link_target(&self.entries[index].path, &target);
            }
            for (index, rest) in picked {
                if let Some(target) = &self.targets[index] {
                    wanted.push(target.join(rest));
                }
            }
        }
        Ok(())
    }
}

/// A path as the repository names it (`claims/`, `./evidence/x.pdf`), made plain;
/// `None` for one that leaves the repository, which has nothing of the tree to write.
fn normal(path: &Path) -> Option<PathBuf> {
    let mut plain = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(name) => plain.push(name),
            Component::CurDir => {}
            Component::ParentDir => {
                if !plain.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(plain)
}

/// Where the link at `at` leads, as a path of the repository; `None` when it leads out.
fn link_target(at: &Path, target: &[u8]) -> Option<PathBuf> {
    normal(&at.parent()?.join(path_from_bytes(target)?))
}

/// The files and links of the git tree `tree`.
fn list_tree(root: &Path, tree: &str) -> Result<Vec<Entry>> {
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
    Ok(entries)
}

/// Writes the entries `which` of `entries` below `dest`, streaming their contents
/// through one `git cat-file --batch` rather than one process per file. Returns the
/// links written, with what they point to.
fn write_entries(
    root: &Path,
    entries: &[Entry],
    which: &[usize],
    dest: &Path,
) -> Result<Vec<(usize, Vec<u8>)>> {
    if which.is_empty() {
        return Ok(Vec::new());
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
    let request: Vec<u8> = which
        .iter()
        .flat_map(|&i| entries[i].object.bytes().chain(std::iter::once(b'\n')))
        .collect();
    // Written from another thread: git answers as it reads, and a full output pipe
    // would otherwise stop both sides.
    let writer = std::thread::spawn(move || stdin.write_all(&request));
    let stdout = child.stdout.take().context("no output pipe from git")?;
    let mut reader = BufReader::new(stdout);
    let mut links = Vec::new();
    let written = which.iter().try_for_each(|&index| {
        if let Some(link) = write_entry(&mut reader, &entries[index], dest)? {
            links.push((index, link));
        }
        Ok::<(), anyhow::Error>(())
    });
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
    Ok(links)
}

/// Reads one object from `git cat-file --batch` and writes it where the tree has it;
/// returns what a link points to.
fn write_entry(reader: &mut impl BufRead, entry: &Entry, dest: &Path) -> Result<Option<Vec<u8>>> {
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
    let mut link = None;
    if entry.mode == LINK_MODE {
        let mut text = Vec::new();
        content.read_to_end(&mut text)?;
        write_link(&text, &target)?;
        link = Some(text);
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
    Ok(link)
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
    let path = path_from_bytes(bytes)?;
    let safe = path.components().count() > 0
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(part) if part != ".git"));
    safe.then_some(path)
}

/// A path as git stores it: bytes on unix, text elsewhere.
fn path_from_bytes(bytes: &[u8]) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        Some(PathBuf::from(std::str::from_utf8(bytes).ok()?))
    }
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

/// The revision folders that exist now, for [`remove_on_signals`]. Held while a folder
/// is made or removed, so that a signal never falls between a folder and its entry.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A fresh folder under the system's temporary folder, readable by its owner alone and
/// with a name no one can guess, removed with everything in it when dropped.
#[derive(Debug)]
struct TempFolder {
    dir: tempfile::TempDir,
}

impl TempFolder {
    fn new() -> Result<TempFolder> {
        let mut live = live();
        let mut builder = tempfile::Builder::new();
        builder.prefix("corroborate-revision-");
        // tempfile leaves folders to the umask (often readable by all); a revision may
        // hold sensitive records. (On Windows the temporary folder is the user's own.)
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let dir = builder.tempdir().with_context(|| {
            format!(
                "cannot create a temporary folder in {}",
                std::env::temp_dir().display()
            )
        })?;
        live.push(dir.path().to_path_buf());
        Ok(TempFolder { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let mut live = live();
        let _ = std::fs::remove_dir_all(self.dir.path());
        live.retain(|path| path != self.dir.path());
    }
}

/// Removes the revision folders that exist when the process gets Ctrl-C (SIGINT),
/// SIGTERM or SIGHUP, then exits as the signal would have ended it (128 + its number:
/// 130, 143, 129). A watching thread does the work, outside the signal handler itself.
/// Without unix signals (Windows) this does nothing.
pub fn remove_on_signals() -> Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
        if INSTALLED.get().is_some() {
            return Ok(());
        }
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            .context("cannot watch for Ctrl-C and SIGTERM")?;
        std::thread::Builder::new()
            .name("signals".to_owned())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Kept locked until the exit, so that no new folder appears.
                    let live = live();
                    for path in live.iter() {
                        // Another thread may still be writing into it: try again.
                        for _ in 0..5 {
                            if std::fs::remove_dir_all(path).is_ok() || !path.exists() {
                                break;
                            }
                        }
                    }
                    std::process::exit(128 + signal);
                }
            })
            .context("cannot start the thread that watches for Ctrl-C")?;
        let _ = INSTALLED.set(());
    }
    Ok(())
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
        std::os::unix::fs::symlink(outside.path(), dest.path().join("a")).expect("link");
        let err = make_folders(dest.path(), Path::new("a/b/x.yaml")).expect_err("refused");
        assert!(
            err.to_string()
                .contains("both as a file or link and as a folder"),
            "{err}"
        );
        assert!(
            std::fs::read_dir(outside.path())
                .expect("read")
                .next()
                .is_none()
        );
        make_folders(dest.path(), Path::new("c/d/x.yaml")).expect("real folders");
        assert!(dest.path().join("c/d").is_dir());
    }

    #[test]
    fn temporary_folders_are_unique_private_and_removed() {
        let a = TempFolder::new().expect("folder");
        let b = TempFolder::new().expect("folder");
        assert_ne!(a.path(), b.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(a.path())
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "{mode:o}");
        }
        let path = a.path().to_path_buf();
        assert!(live().contains(&path));
        std::fs::write(path.join("x"), "x").expect("write");
        drop(a);
        assert!(!path.exists());
        assert!(!live().contains(&path));
    }

    #[test]
    fn paths_are_made_plain_and_links_resolved_inside_the_tree() {
        assert_eq!(
            normal(Path::new("./claims/")),
            Some(PathBuf::from("claims"))
        );
        assert_eq!(normal(Path::new("a/../b")), Some(PathBuf::from("b")));
        assert_eq!(normal(Path::new("../b")), None);
        assert_eq!(normal(Path::new("/etc")), None);
        assert_eq!(
            link_target(Path::new("claims/x.yaml"), b"../shared/x.yaml"),
            Some(PathBuf::from("shared/x.yaml"))
        );
        assert_eq!(link_target(Path::new("claims"), b"../../outside"), None);
    }
}
