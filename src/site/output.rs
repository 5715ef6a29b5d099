//! Writing the site without ever losing one: pages go into a temporary folder beside
//! the output, which replaces the old site only when complete. A marker file says
//! which folders corroborate wrote, so it never replaces a folder of someone else's,
//! and a lock file keeps two builds from writing at once.

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
    lock: PathBuf,
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
        let lock = sibling(out, "lock")?;
        take_lock(&lock)?;
        let staging = Staging {
            out: out.to_path_buf(),
            temp: sibling(out, &format!("tmp-{}", std::process::id()))?,
            lock,
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
        let lock_prefix = prefix.replace(".tmp-", ".lock.");
        if let Ok(entries) = fs::read_dir(parent) {
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(&prefix) && path.join(MARKER).is_file() {
                    let _ = fs::remove_dir_all(&path);
                }
                // A lock file half-made by a build that was killed.
                if let Some(pid) = name
                    .strip_prefix(&lock_prefix)
                    .and_then(|p| p.parse::<u32>().ok())
                    && !process_alive(pid)
                {
                    let _ = fs::remove_file(&path);
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

    /// Writes one file of the site; `rel` uses `/`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.temp.join(rel);
        // Folders are made when the first file in them is written, not checked for at
        // every file: a large site has tens of thousands of pages in three folders.
        let written = match fs::write(&path, bytes) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                fs::write(&path, bytes)
            }
            other => other,
        };
        written.with_context(|| format!("cannot write {}", path.display()))
    }

    /// Replaces the old site with the new one. Where the system can, the two folders
    /// are exchanged in one atomic step, so that at every instant the output folder
    /// holds a complete site; elsewhere the old one is moved aside first, and put back
    /// by the next build if this one is killed in between.
    pub fn commit(mut self) -> Result<()> {
        if self.out.exists() && exchange(&self.temp, &self.out).is_ok() {
            self.committed = true;
            // The temporary name now holds the previous site.
            fs::remove_dir_all(&self.temp).with_context(|| {
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
            fs::remove_dir_all(&old).with_context(|| {
                format!("cannot remove the previous site, left at {}", old.display())
            })?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
        let _ = fs::remove_file(&self.lock);
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

/// Creates the lock file, or explains who holds it. A lock whose process is gone (a
/// killed build) is taken over.
fn take_lock(lock: &Path) -> Result<()> {
    // The lock appears with its content in one step (a hard link to a finished file),
    // so a second build never sees an empty lock and mistakes it for a stale one.
    let pid = std::process::id();
    let mine = PathBuf::from(format!("{}.{pid}", lock.display()));
    fs::write(&mine, format!("{pid}\n"))
        .with_context(|| format!("cannot create the lock {}", lock.display()))?;
    let taken = (|| {
        for _ in 0..2 {
            match fs::hard_link(&mine, lock) {
                Ok(()) => return Ok(()),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(lock)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(holder) if process_alive(holder) => bail!(
                            "another corroborate build (process {holder}) is writing this site; wait for it to finish (lock: {})",
                            lock.display()
                        ),
                        _ => {
                            let _ = fs::remove_file(lock);
                        }
                    }
                }
                Err(err) => {
                    return Err(err)
                        .with_context(|| format!("cannot create the lock {}", lock.display()));
                }
            }
        }
        bail!("cannot take the lock {}", lock.display())
    })();
    let _ = fs::remove_file(&mine);
    taken
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}
