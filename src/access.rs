//! The one way corroborate opens what a research repository holds. A pull request can
//! commit a symbolic link and a working tree can hold a FIFO or a device, so every file
//! and folder the tool reads is first resolved to its canonical place, which must lie
//! inside the repository's root; a file is then opened once, checked through that
//! handle to be a regular file, and read through it up to a stated limit and no
//! further. Nothing that fails these rules is ever opened for reading.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a path was not read. Callers turn it into a diagnostic in their own words.
#[derive(Debug)]
pub enum Refusal {
    /// Nothing is there, or a link leads to nothing.
    Missing,
    /// The path, or a link on the way, leads outside the repository.
    Outside,
    /// A file was expected and this is something else ("a FIFO", "a folder", ...).
    NotAFile(&'static str),
    /// A folder was expected and this is not one.
    NotAFolder,
    /// The file holds more bytes than the limit (`size` is what it reported, or at
    /// least the limit plus one when it grew while being read).
    TooLarge { size: u64, limit: u64 },
    /// The system refused to read it.
    Io(std::io::Error),
}

impl Refusal {
    /// What the refusal means, as the end of a sentence about the path ("... is a FIFO,
    /// not a regular file, so it is not read").
    pub fn reason(&self) -> String {
        match self {
            Refusal::Missing => "names nothing (or a link that leads to nothing)".to_owned(),
            Refusal::Outside => {
                "leads outside the repository, so it is not read; copy what it names into the repository instead".to_owned()
            }
            Refusal::NotAFile(what) => {
                format!("is {what}, not a regular file, so it is not read")
            }
            Refusal::NotAFolder => "is not a folder".to_owned(),
            Refusal::TooLarge { size, limit } => {
                format!("has {size} bytes, more than the limit of {limit}")
            }
            Refusal::Io(err) => format!("cannot be read: {err}"),
        }
    }

    /// The diagnostic code that fits, for refusals reported as diagnostics.
    pub fn code(&self) -> crate::diagnostics::Code {
        use crate::diagnostics::Code;
        match self {
            Refusal::Outside => Code::FileOutsideRepository,
            Refusal::TooLarge { .. } => Code::FileTooLarge,
            _ => Code::MissingFile,
        }
    }
}

impl From<std::io::Error> for Refusal {
    fn from(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::NotFound {
            Refusal::Missing
        } else {
            Refusal::Io(err)
        }
    }
}

/// A repository root, resolved once.
#[derive(Clone, Debug)]
pub struct Root {
    /// The root as the user gave it, for messages and for joining.
    pub given: PathBuf,
    /// Its canonical path: everything read must lie below it.
    pub canonical: PathBuf,
}

impl Root {
    pub fn new(given: &Path) -> Result<Root> {
        let canonical = given
            .canonicalize()
            .with_context(|| format!("cannot open the repository folder {}", given.display()))?;
        anyhow::ensure!(
            canonical.is_dir(),
            "the repository {} is not a folder",
            given.display()
        );
        Ok(Root {
            given: given.to_path_buf(),
            canonical,
        })
    }

    /// The canonical place of `rel` (relative to the root), if it lies inside the root.
    /// Every link on the way is followed, so a link that leads out is refused here.
    pub fn resolve(&self, rel: &Path) -> Result<PathBuf, Refusal> {
        let canonical = self.given.join(rel).canonicalize()?;
        if canonical.starts_with(&self.canonical) {
            Ok(canonical)
        } else {
            Err(Refusal::Outside)
        }
    }

    /// Whether a canonical path lies inside the root.
    pub fn contains(&self, canonical: &Path) -> bool {
        canonical.starts_with(&self.canonical)
    }

    /// The canonical place of the folder `rel`.
    pub fn folder(&self, rel: &Path) -> Result<PathBuf, Refusal> {
        let canonical = self.resolve(rel)?;
        if std::fs::metadata(&canonical)?.is_dir() {
            Ok(canonical)
        } else {
            Err(Refusal::NotAFolder)
        }
    }

    /// Opens the regular file `rel` for reading, with its size.
    pub fn open(&self, rel: &Path) -> Result<(File, u64), Refusal> {
        open_resolved(&self.resolve(rel)?)
    }

    /// The bytes of the regular file `rel`, at most `limit` of them.
    pub fn read(&self, rel: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
        read_resolved(&self.resolve(rel)?, limit)
    }
}

/// The canonical place of `path` (absolute, or relative to the working folder), if it
/// lies inside the root: for entries met while listing a folder already resolved.
pub fn resolve_within(root: &Root, path: &Path) -> Result<PathBuf, Refusal> {
    let canonical = path.canonicalize()?;
    if root.contains(&canonical) {
        Ok(canonical)
    } else {
        Err(Refusal::Outside)
    }
}

/// Opens a path already resolved inside the root (no link in it), refusing anything
/// but a regular file. The last step of the path is not followed if it became a link
/// since it was resolved, and opening never waits (a FIFO with no writer would block
/// an ordinary open for ever); the type is checked on the open handle itself.
pub fn open_resolved(path: &Path) -> Result<(File, u64), Refusal> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|err| {
        // O_NOFOLLOW on a link: the path changed under us into a link.
        #[cfg(unix)]
        if err.raw_os_error() == Some(libc::ELOOP) {
            return Refusal::Outside;
        }
        Refusal::from(err)
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Refusal::NotAFile(kind_of(&meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// Reads a resolved regular file, at most `limit` bytes: the size it reports is
/// checked first, and the read stops one byte past the limit whatever it said.
pub fn read_resolved(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let (file, size) = open_resolved(path)?;
    read_bounded(file, size, limit)
}

/// At most `limit` bytes from an open file whose reported size is `size`.
pub fn read_bounded(file: File, size: u64, limit: u64) -> Result<Vec<u8>, Refusal> {
    if size > limit {
        return Err(Refusal::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(Refusal::TooLarge { size: read, limit });
    }
    Ok(bytes)
}

/// How a file type is named in messages.
pub fn kind_of(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a link"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, Root) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = Root::new(dir.path()).expect("root");
        (dir, root)
    }

    #[test]
    fn regular_files_inside_are_read_up_to_the_limit() {
        let (dir, root) = root();
        std::fs::write(dir.path().join("a.yaml"), "12345").expect("write");
        assert_eq!(root.read(Path::new("a.yaml"), 5).expect("read"), b"12345");
        assert!(matches!(
            root.read(Path::new("a.yaml"), 4),
            Err(Refusal::TooLarge { size: 5, limit: 4 })
        ));
        assert!(matches!(
            root.read(Path::new("b.yaml"), 4),
            Err(Refusal::Missing)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_out_fifos_devices_and_folders_are_refused_without_blocking() {
        let (dir, root) = root();
        let outside = tempfile::tempdir().expect("temporary folder");
        std::fs::write(outside.path().join("secret"), "secret").expect("write");
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, dir.path().join(name)).expect("link")
        };
        link(&outside.path().join("secret"), "out");
        link(Path::new("/dev/zero"), "zero");
        link(Path::new("/proc/self/environ"), "environ");
        link(Path::new("nowhere"), "dangling");
        std::fs::create_dir(dir.path().join("sub")).expect("folder");
        link(Path::new("sub/../a"), "inside");
        std::fs::write(dir.path().join("a"), "a").expect("write");
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .expect("mkfifo")
                .success()
        );
        for name in ["out", "zero", "environ"] {
            assert!(
                matches!(root.read(Path::new(name), 100), Err(Refusal::Outside)),
                "{name}"
            );
        }
        assert!(matches!(
            root.read(Path::new("dangling"), 100),
            Err(Refusal::Missing)
        ));
        assert!(matches!(
            root.read(Path::new("fifo"), 100),
            Err(Refusal::NotAFile("a FIFO (named pipe)"))
        ));
        assert!(matches!(
            root.read(Path::new("sub"), 100),
            Err(Refusal::NotAFile("a folder"))
        ));
        assert_eq!(root.read(Path::new("inside"), 100).expect("read"), b"a");
        assert!(matches!(
            root.read(Path::new("../x"), 100),
            Err(Refusal::Outside | Refusal::Missing)
        ));
        // A device reached by its canonical path is refused by type, not size.
        assert!(matches!(
            read_resolved(Path::new("/dev/zero"), 100),
            Err(Refusal::NotAFile("a device"))
        ));
    }
}
