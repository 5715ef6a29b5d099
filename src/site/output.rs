//! Writing the site without ever losing one: pages go into a temporary folder beside
//! the output, which replaces the old site only when complete. A marker file says
//! which folders corroborate wrote, so it never replaces a folder of someone else's,
//! and an advisory lock on a lock file keeps two builds from writing at once: the
//! system releases it when the build ends, however it ends, so neither a killed build
//! nor a PID reused by another process ever blocks the next one.

use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};

/// The file that marks a folder as a site corroborate wrote.
pub const MARKER: &str = ".corroborate-site";
const MARKER_TEXT: &str =
    "This folder was written by `corroborate build`, which replaces it on every build.\n";

/// A site being written. Dropped without [`Staging::commit`], it removes itself.
pub struct Staging {
    out: PathBuf,
    temp: PathBuf,
    /// Held until the staging is dropped.
    _lock: Lock,
    committed: bool,
}

fn sibling(out: &Path, suffix: &str) -> Result<PathBuf> {
    let name = out
        .file_name()
        .with_context(|| format!("the output folder {} has no name", out.display()))?;
    let parent = out.parent().unwrap_or_else(|| Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

impl Staging {
    /// Checks that `out` may be replaced, takes the lock, and creates the temporary folder.
    pub fn begin(out: &Path) -> Result<Staging> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let lock = take_lock(&sibling(out, "lock")?)?;
        let staging = Staging {
            out: out.to_path_buf(),
            temp: sibling(out, &format!("tmp-{}", std::process::id()))?,
            _lock: lock,
            committed: false,
        };
        staging.recover()?;
        staging.check_replaceable()?;
        if staging.temp.exists() {
            fs::remove_dir_all(&staging.temp)
                .with_context(|| format!("cannot remove the stale {}", staging.temp.display()))?;
        }
        fs::create_dir(&staging.temp)
            .with_context(|| format!("cannot create {}", staging.temp.display()))?;
        fs::write(staging.temp.join(MARKER), MARKER_TEXT)
            .with_context(|| format!("cannot write in {}", staging.temp.display()))?;
        Ok(staging)
    }

    /// Puts back a previous site left aside by a build that was killed mid-swap, and
    /// removes temporary folders of builds that did not finish.
    fn recover(&self) -> Result<()> {
        let old = sibling(&self.out, "old")?;
        if old.join(MARKER).is_file() {
            if self.out.exists() {
                fs::remove_dir_all(&old)
                    .with_context(|| format!("cannot remove {}", old.display()))?;
            } else {
                fs::rename(&old, &self.out)
                    .with_context(|| format!("cannot restore {}", self.out.display()))?;
            }
        }
        let parent = self
            .out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        let prefix = format!(
            ".{}.tmp-",
            self.out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        if let Ok(entries) = fs::read_dir(parent) {
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with(&prefix) {
                    continue;
                }
                if path.join(MARKER).is_file() {
                    let _ = fs::remove_dir_all(&path);
                } else {
                    // A build killed between creating its folder and writing the
                    // marker leaves it empty; `remove_dir` takes only an empty folder,
                    // so nothing anyone else put there is lost.
                    let _ = fs::remove_dir(&path);
                }
            }
        }
        Ok(())
    }

    fn check_replaceable(&self) -> Result<()> {
        let Ok(meta) = fs::symlink_metadata(&self.out) else {
            return Ok(());
        };
        if !meta.is_dir() {
            bail!(
                "the output {} exists and is not a folder; remove it or choose another with --out",
                self.out.display()
            );
        }
        if self.out.join(MARKER).is_file() {
            return Ok(());
        }
        let empty = fs::read_dir(&self.out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            bail!(
                "the output folder {} holds files that corroborate did not write (it has no {MARKER} file), so it will not replace it; choose another folder with --out, or empty it",
                self.out.display()
            );
        }
        Ok(())
    }

    /// Writes one file of the site; `rel` uses `/`. The file must be new: a file of the
    /// staging folder may be a hard link into the previous site (see [`Staging::carry`]),
    /// and writing into it would change that site too.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        use std::io::Write;
        self.create(rel, &mut |mut file| file.write_all(bytes))
    }

    /// Writes a new file of the site with what `fill` writes into it (buffered), so
    /// that a large file (`data.json`) need not be made in memory first.
    pub fn write_with(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        use std::io::Write;
        self.create(rel, &mut |file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            fill(&mut out)?;
            out.flush()
        })
    }

    /// Makes the new file `rel` and hands it to `fill`.
    fn create(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(fs::File) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = self.temp.join(rel);
        let mut write_new = |path: &Path| -> std::io::Result<()> {
            fill(
                fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)?,
            )
        };
        // Folders are made when the first file in them is written, not checked for at
        // every file: a large site has tens of thousands of pages in three folders.
        let written = match write_new(&path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                self.make_parent(&path)?;
                write_new(&path)
            }
            other => other,
        };
        written.with_context(|| format!("cannot write {}", path.display()))
    }

    fn make_parent(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Ok(())
    }

    /// Takes the previous site's file at `rel` into the new one unchanged: a hard link
    /// (nothing is copied, and the previous site is left as it was, so a build killed
    /// meanwhile loses nothing), or a copy where links cannot be made (another file
    /// system, say). Only a regular file of the `len` bytes the manifest recorded is
    /// taken; otherwise (gone, replaced, edited to another length) the answer is
    /// `false` and the page is rendered instead.
    pub fn carry(&self, rel: &str, len: u64) -> Result<bool> {
        let from = self.out.join(rel);
        match fs::symlink_metadata(&from) {
            Ok(meta) if meta.is_file() && meta.len() == len => {}
            _ => return Ok(false),
        }
        let to = self.temp.join(rel);
        let linked = match fs::hard_link(&from, &to) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                self.make_parent(&to)?;
                fs::hard_link(&from, &to)
            }
            other => other,
        };
        match linked {
            Ok(()) => return Ok(true),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(err).with_context(|| format!("{} is written twice", to.display()));
            }
            Err(_) => {}
        }
        match fs::read(&from) {
            Ok(bytes) if bytes.len() as u64 == len => self.write(rel, &bytes).map(|()| true),
            Ok(_) => Ok(false),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", from.display())),
        }
    }

    /// Replaces the old site with the new one. Where the system can, the two folders
    /// are exchanged in one atomic step, so that at every instant the output folder
    /// holds a complete site; elsewhere the old one is moved aside first, and put back
    /// by the next build if this one is killed in between.
    pub fn commit(mut self) -> Result<()> {
        if self.out.exists() && exchange(&self.temp, &self.out).is_ok() {
            self.committed = true;
            // The temporary name now holds the previous site.
            remove_site(&self.temp).with_context(|| {
                format!(
                    "cannot remove the previous site, left at {}",
                    self.temp.display()
                )
            })?;
            return Ok(());
        }
        let old = sibling(&self.out, "old")?;
        if self.out.exists() {
            fs::rename(&self.out, &old).with_context(|| {
                format!("cannot move the previous site {} aside", self.out.display())
            })?;
        }
        if let Err(err) = fs::rename(&self.temp, &self.out) {
            let _ = fs::rename(&old, &self.out);
            return Err(err)
                .with_context(|| format!("cannot move the new site into {}", self.out.display()));
        }
        self.committed = true;
        if old.exists() {
            remove_site(&old).with_context(|| {
                format!("cannot remove the previous site, left at {}", old.display())
            })?;
        }
        Ok(())
    }
}

/// Removes a previous site, its folders side by side on all cores: most of its files
/// are names of pages the new site shares (see [`Staging::carry`]), so removing it is
/// mostly unlinking names, which each folder's lock makes one at a time. The marker
/// goes last, so that a removal cut short still leaves a folder the next build
/// recognises as ours and clears.
fn remove_site(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let folders: Vec<PathBuf> = fs::read_dir(dir)?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    folders.par_iter().try_for_each(fs::remove_dir_all)?;
    for entry in fs::read_dir(dir)?.flatten() {
        if entry.file_name() != MARKER {
            fs::remove_file(entry.path())?;
        }
    }
    fs::remove_dir_all(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange on this system"))
}

/// The build lock: an advisory lock on an open lock file, which the system releases
/// when the process ends, however it ends.
struct Lock {
    file: fs::File,
    path: PathBuf,
}

/// Opens the lock file (creating it if needed) and locks it, or explains that another
/// build holds it. Whatever the file holds (an earlier version wrote a PID) is ignored.
fn take_lock(path: &Path) -> Result<Lock> {
    for _ in 0..16 {
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .with_context(|| format!("cannot create the lock {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => bail!(
                "another corroborate build is writing this site; wait for it to finish (lock: {})",
                path.display()
            ),
            Err(fs::TryLockError::Error(err)) => {
                return Err(err).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        // A build that finished between the opening and the locking removed the file
        // opened here: lock the one at the path now.
        if is_at(&file, path) {
            return Ok(Lock {
                file,
                path: path.to_path_buf(),
            });
        }
    }
    bail!("cannot take the lock {}", path.display())
}

#[cfg(unix)]
fn is_at(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(there)) => open.dev() == there.dev() && open.ino() == there.ino(),
        _ => false,
    }
}

/// Without a file's identity to compare, the lock file is never removed (see
/// [`Lock`]'s drop), so the file opened is always the one at the path.
#[cfg(not(unix))]
fn is_at(_: &fs::File, _: &Path) -> bool {
    true
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked, so that no lock file is left beside the site; a
        // build waiting on this file sees that it is gone and locks a new one. On
        // other systems the file stays: unlocked, it is harmless.
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What builds that were killed leave beside the site: a temporary folder with the
    /// marker (removed), an empty one (killed before the marker was written: removed),
    /// and one that holds something else (never ours to remove: kept).
    #[test]
    fn leftovers_of_killed_builds_are_cleared_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let out = dir.path().join("site");
        let marked = dir.path().join(".site.tmp-1");
        let empty = dir.path().join(".site.tmp-2");
        let foreign = dir.path().join(".site.tmp-3");
        for folder in [&marked, &empty, &foreign] {
            fs::create_dir(folder).unwrap_or_else(|err| panic!("{err}"));
        }
        fs::write(marked.join(MARKER), MARKER_TEXT).unwrap_or_else(|err| panic!("{err}"));
        fs::write(foreign.join("notes.txt"), "mine").unwrap_or_else(|err| panic!("{err}"));
        let staging = Staging::begin(&out).unwrap_or_else(|err| panic!("{err}"));
        assert!(
            !marked.exists() && !empty.exists(),
            "the leftovers are cleared"
        );
        assert!(
            foreign.join("notes.txt").is_file(),
            "a folder that is not ours stays"
        );
        drop(staging);
    }
}
