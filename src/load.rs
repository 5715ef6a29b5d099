//! Reads a research repository from disk: `corroborate.yaml`, then every data file
//! below the data folder in sorted path order, parsed in parallel. Problems in the
//! files become diagnostics; only a repository that cannot be read at all is an error.

use crate::access::{self, Refusal, Root};
use crate::config::Config;
use crate::decode::{self, Sink};
use crate::diagnostics::{Code, Diagnostic, Pos, Texts};
use crate::model::{Claim, Entity, FileIdx, Records, Source};
use crate::yaml;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

pub const CONFIG_FILE: &str = "corroborate.yaml";

/// Everything read from a research repository.
#[derive(Clone, Debug, Default)]
pub struct Repository {
    /// The repository root, as given.
    pub root: PathBuf,
    pub config: Config,
    /// Data files, relative to the root with `/` separators, indexed by [`FileIdx`].
    pub files: Vec<String>,
    /// The text of every file that was read, for the snippets of diagnostics.
    pub texts: Texts,
    pub entities: Vec<Entity>,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
    /// The results of the last `corroborate links` kept in `.corroborate/links.json`,
    /// for the report to say when each source's links were last checked (a file in
    /// the repository, so the same commit gives the same report).
    pub links: crate::links::results::Results,
}

impl Repository {
    pub fn file(&self, idx: FileIdx) -> &str {
        self.files.get(idx as usize).map_or("", String::as_str)
    }
}

/// A repository and the problems found while reading it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub repo: Repository,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the repository at `root`.
pub fn load(root: &Path) -> Result<Loaded> {
    load_with(root, None, true)
}

/// Data files read earlier, kept with their size and modification time so that a
/// repeated load (`serve` after an edit) parses only the files that changed.
#[derive(Debug, Default)]
pub struct FileCache {
    files: Mutex<HashMap<String, CachedFile>>,
}

#[derive(Debug, Clone)]
struct CachedFile {
    len: u64,
    modified: Option<SystemTime>,
    max_bytes: u64,
    read: ReadFile,
}

impl FileCache {
    /// The file's records and diagnostics if it has not changed since it was cached.
    fn get(&self, rel: &str, meta: &std::fs::Metadata, max_bytes: u64) -> Option<ReadFile> {
        let files = self.files.lock().ok()?;
        let cached = files.get(rel)?;
        (cached.len == meta.len()
            && cached.modified == meta.modified().ok()
            && cached.max_bytes == max_bytes)
            .then(|| cached.read.clone())
    }

    fn put(&self, rel: &str, meta: &std::fs::Metadata, max_bytes: u64, read: &ReadFile) {
        if let Ok(mut files) = self.files.lock() {
            files.insert(
                rel.to_owned(),
                CachedFile {
                    len: meta.len(),
                    modified: meta.modified().ok(),
                    max_bytes,
                    read: read.clone(),
                },
            );
        }
    }

    /// Forgets files that are gone.
    fn retain(&self, present: &[String]) {
        if let Ok(mut files) = self.files.lock() {
            let keep: HashSet<&str> = present.iter().map(String::as_str).collect();
            files.retain(|rel, _| keep.contains(rel.as_str()));
        }
    }
}

/// Loads the repository at `root`, reusing unchanged files from `cache`. With
/// `snippets` the text of every file is kept for the lines shown under diagnostics
/// (its size again in memory: 180 MB at 100,000 claims); without, diagnostics come
/// without their lines.
pub fn load_with(root: &Path, cache: Option<&FileCache>, snippets: bool) -> Result<Loaded> {
    let access = Root::new(root)?;
    let mut diagnostics = Vec::new();
    let mut texts = Texts::default();
    let config = read_config(&access, &mut diagnostics, &mut texts)?;
    let settings_wrong = !diagnostics.is_empty();
    let empty = |config: Config, diagnostics: Vec<Diagnostic>, texts: Texts| Loaded {
        repo: Repository {
            root: root.to_path_buf(),
            config,
            texts,
            ..Repository::default()
        },
        diagnostics,
    };
    let data_name = normalise(&config.data);
    let data_dir = match access.folder(Path::new(&config.data)) {
        Ok(dir) => dir,
        // The settings' own problems say more than a missing folder would.
        Err(_) if settings_wrong => return Ok(empty(config, diagnostics, texts)),
        Err(Refusal::Missing) => bail!(
            "no data folder `{}` in {} (create it, set `data` in {CONFIG_FILE}, or point -C at the repository)",
            crate::text::shown(&config.data),
            root.display()
        ),
        Err(Refusal::NotAFolder) => bail!(
            "the data folder {} is not a folder",
            root.join(&config.data).display()
        ),
        Err(Refusal::Io(err)) => {
            return Err(err).with_context(|| {
                format!(
                    "cannot open the data folder {}",
                    root.join(&config.data).display()
                )
            });
        }
        Err(refusal) => {
            diagnostics.push(Diagnostic::error(
                refusal.code(),
                &data_name,
                FILE_START,
                format!("the data folder `{data_name}` {}", refusal.reason()),
            ));
            return Ok(empty(config, diagnostics, texts));
        }
    };
    let found = data_files(&access, &data_dir, &data_name)?;
    diagnostics.extend(found.diagnostics);
    let paths = found.files;

    let max_bytes = config.max_file_bytes;
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(yaml::PARSE_STACK_BYTES)
        .build()
        .context("cannot start the threads that read the data files")?;
    let decoded: Vec<ReadFile> = pool.install(|| {
        paths
            .par_iter()
            .enumerate()
            .map(|(idx, found)| {
                let file = FileIdx::try_from(idx).unwrap_or(FileIdx::MAX);
                let meta = cache.and_then(|_| std::fs::metadata(&found.path).ok());
                if let (Some(cache), Some(meta)) = (cache, &meta)
                    && let Some(mut cached) = cache.get(&found.rel, meta, max_bytes)
                {
                    cached.records.set_file(file);
                    return cached;
                }
                let mut read = read_data_file(found, file, max_bytes);
                if let (Some(cache), Some(meta)) = (cache, &meta) {
                    cache.put(&found.rel, meta, max_bytes, &read);
                }
                // Freed here, file by file, when no snippet will need it.
                if !snippets {
                    read.text = None;
                }
                read
            })
            .collect()
    });
    let files: Vec<String> = paths.into_iter().map(|f| f.rel).collect();
    if let Some(cache) = cache {
        cache.retain(&files);
    }

    // Sized once: records are large, and growing by doubling would copy them again.
    let mut records = Records {
        entities: Vec::with_capacity(decoded.iter().map(|r| r.records.entities.len()).sum()),
        sources: Vec::with_capacity(decoded.iter().map(|r| r.records.sources.len()).sum()),
        claims: Vec::with_capacity(decoded.iter().map(|r| r.records.claims.len()).sum()),
    };
    diagnostics.reserve(decoded.iter().map(|r| r.diagnostics.len()).sum());
    for (read, rel) in decoded.into_iter().zip(&files) {
        records.append(read.records);
        diagnostics.extend(read.diagnostics);
        if let (Some(text), true) = (read.text, snippets) {
            texts.insert(rel, text);
        }
    }
    Ok(Loaded {
        repo: Repository {
            root: root.to_path_buf(),
            config,
            files,
            texts,
            entities: records.entities,
            sources: records.sources,
            claims: records.claims,
            links: crate::links::results::Results::read(&access),
        },
        diagnostics,
    })
}

/// The settings alone, for commands that need no data; problems in them are ignored
/// here (`check` reports them).
pub fn load_config(root: &Path) -> Result<Config> {
    read_config(&Root::new(root)?, &mut Vec::new(), &mut Texts::default())
}

/// The most bytes read of `corroborate.yaml`: settings are a few lines.
pub const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

fn read_config(
    root: &Root,
    diagnostics: &mut Vec<Diagnostic>,
    texts: &mut Texts,
) -> Result<Config> {
    // No file at all (not even a link to nothing) means the defaults.
    if std::fs::symlink_metadata(root.given.join(CONFIG_FILE)).is_err() {
        return Ok(Config::default());
    }
    let mut sink = Sink::new(CONFIG_FILE);
    let config = match read_text(
        root.resolve(Path::new(CONFIG_FILE)),
        MAX_SETTINGS_BYTES,
        &mut sink,
    ) {
        Some(text) => {
            let config = match yaml::parse(&text) {
                Ok(node) => decode::config(node, &mut sink),
                Err(err) => {
                    sink.error(err.code, err.pos, None, err.message);
                    Config::default()
                }
            };
            texts.insert(CONFIG_FILE, text);
            config
        }
        None => Config::default(),
    };
    diagnostics.append(&mut sink.diagnostics);
    Ok(config)
}

/// What reading one data file gave.
#[derive(Clone, Debug, Default)]
struct ReadFile {
    records: Records,
    diagnostics: Vec<Diagnostic>,
    /// The text that was parsed, for the snippets of diagnostics.
    text: Option<Arc<str>>,
}

/// Reads and decodes one data file; every problem in it becomes a diagnostic.
fn read_data_file(found: &DataFile, file: FileIdx, max_bytes: u64) -> ReadFile {
    let rel = found.rel.as_str();
    let mut sink = Sink::new(rel);
    let Some(text) = read_text(Ok(found.path.clone()), max_bytes, &mut sink) else {
        return ReadFile {
            diagnostics: sink.diagnostics,
            ..ReadFile::default()
        };
    };
    let records = match yaml::parse(&text) {
        Ok(node) => decode::data_file(node, file, &mut sink),
        Err(err) => {
            sink.error(err.code, err.pos, None, err.message);
            Records::default()
        }
    };
    ReadFile {
        records,
        diagnostics: sink.diagnostics,
        text: Some(text),
    }
}

/// Where a problem with a whole file is reported.
const FILE_START: Pos = Pos::new(1, 1, 0);

/// The text of a resolved file, or `None` with a diagnostic when it was refused (a
/// link out, not a regular file), is too large or is not UTF-8.
fn read_text(
    resolved: Result<PathBuf, Refusal>,
    max_bytes: u64,
    sink: &mut Sink<'_>,
) -> Option<Arc<str>> {
    let bytes = match resolved.and_then(|path| access::read_resolved(&path, max_bytes)) {
        Ok(bytes) => bytes,
        Err(Refusal::TooLarge { size, limit }) => {
            sink.error(
                Code::FileTooLarge,
                FILE_START,
                None,
                format!("this file has {size} bytes, more than the limit of {limit}; split it into smaller files or raise `max_file_bytes` in {CONFIG_FILE}"),
            );
            return None;
        }
        Err(refusal) => {
            sink.error(
                refusal.code(),
                FILE_START,
                None,
                format!("this file {}", refusal.reason()),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(Arc::from(text)),
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            sink.error(
                Code::YamlSyntax,
                Pos::new(
                    u32::try_from(line).unwrap_or(u32::MAX),
                    u32::try_from(column).unwrap_or(u32::MAX),
                    1,
                ),
                None,
                "this file is not valid UTF-8 text; save it as UTF-8 in your editor".to_owned(),
            );
            None
        }
    }
}

/// A relative folder as it appears in file names: `./claims/` is `claims`.
fn normalise(rel: &str) -> String {
    let parts: Vec<String> = Path::new(rel)
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn is_data_file(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// How deep below the data folder files are looked for. A case nests a few levels;
/// the limit keeps a crafted tree of thousands of folders from costing a walk that
/// long (a diagnostic names the first folder not entered).
pub const MAX_FOLDER_DEPTH: usize = 32;

/// One data file found: its name in diagnostics, and where it is.
#[derive(Clone, Debug)]
pub struct DataFile {
    /// Relative to the repository root, with `/`.
    pub rel: String,
    /// Its canonical place, inside the repository.
    pub path: PathBuf,
}

/// The data files below a folder, and the problems met on the way.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<DataFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every data file below the data folder (canonical `dir`, named `rel`), in sorted
/// order: hidden names skipped, links followed only where they stay inside the
/// repository, each folder entered once (so links in a loop end), at most
/// [`MAX_FOLDER_DEPTH`] levels deep, only regular files. This is the one list of what
/// the loader reads, which `serve` watches too.
pub fn data_files(root: &Root, dir: &Path, rel: &str) -> Result<Found> {
    let mut walk = Walk {
        root,
        settings_here: rel == ".",
        visited: HashSet::new(),
        found: Found::default(),
    };
    walk.folder(dir, rel, 0)?;
    Ok(walk.found)
}

struct Walk<'a> {
    root: &'a Root,
    /// The data folder is the repository root, where `corroborate.yaml` is not data.
    settings_here: bool,
    visited: HashSet<FolderId>,
    found: Found,
}

/// A folder's identity, however it was reached.
#[cfg(unix)]
type FolderId = (u64, u64);
#[cfg(not(unix))]
type FolderId = PathBuf;

#[cfg(unix)]
fn folder_id(_path: &Path, meta: &std::fs::Metadata) -> FolderId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn folder_id(path: &Path, _meta: &std::fs::Metadata) -> FolderId {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

impl Walk<'_> {
    fn problem(&mut self, code: Code, rel: &str, message: String) {
        self.found
            .diagnostics
            .push(Diagnostic::error(code, rel, FILE_START, message));
    }

    /// `dir` is a real folder's path without links in it.
    fn folder(&mut self, dir: &Path, rel: &str, depth: usize) -> Result<()> {
        let meta = std::fs::metadata(dir).with_context(|| format!("cannot read {rel}"))?;
        if !self.visited.insert(folder_id(dir, &meta)) {
            return Ok(());
        }
        if depth > MAX_FOLDER_DEPTH {
            self.problem(
                Code::MissingFile,
                rel,
                format!("this folder is more than {MAX_FOLDER_DEPTH} levels below the data folder, so nothing in it is read; move its files up"),
            );
            return Ok(());
        }
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir)
            .with_context(|| format!("cannot list the folder {}", dir.display()))?
        {
            let entry =
                entry.with_context(|| format!("cannot list the folder {}", dir.display()))?;
            let kind = entry
                .file_type()
                .with_context(|| format!("cannot read {rel}/{}", entry.file_name().display()))?;
            match entry.file_name().into_string() {
                Ok(name) if name.starts_with('.') => {}
                Ok(name) => entries.push((name, kind)),
                Err(raw) => {
                    let shown = raw.to_string_lossy().into_owned();
                    if kind.is_dir() || is_data_file(&shown) || kind.is_symlink() {
                        self.problem(
                            Code::MissingFile,
                            &child(rel, &shown),
                            "this name is not valid UTF-8 (shown with \u{fffd} where it is not), so it is not read; rename it".to_owned(),
                        );
                    }
                }
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, kind) in entries {
            let rel_child = child(rel, &name);
            let path = dir.join(&name);
            if self.settings_here && depth == 0 && name == CONFIG_FILE {
                continue;
            }
            if kind.is_symlink() {
                self.link(&path, &name, &rel_child, depth)?;
            } else if kind.is_dir() {
                self.folder(&path, &rel_child, depth + 1)?;
            } else if is_data_file(&name) {
                if kind.is_file() {
                    self.found.files.push(DataFile {
                        rel: rel_child,
                        path,
                    });
                } else {
                    let what = access::kind_of(&kind);
                    self.problem(
                        Code::MissingFile,
                        &rel_child,
                        format!("this is {what}, not a regular file, so it is not read"),
                    );
                }
            }
        }
        Ok(())
    }

    fn link(&mut self, path: &Path, name: &str, rel: &str, depth: usize) -> Result<()> {
        let target = match path.canonicalize() {
            Ok(target) => target,
            Err(_) => {
                if is_data_file(name) {
                    self.problem(
                        Code::MissingFile,
                        rel,
                        "this link leads to nothing; fix or remove it".to_owned(),
                    );
                }
                return Ok(());
            }
        };
        let meta = std::fs::metadata(&target).ok();
        let is_dir = meta.as_ref().is_some_and(std::fs::Metadata::is_dir);
        if !self.root.contains(&target) {
            if is_data_file(name) || is_dir {
                self.problem(
                    Code::FileOutsideRepository,
                    rel,
                    "this link leads outside the repository, so it is not read; copy the file into the repository instead".to_owned(),
                );
            }
            return Ok(());
        }
        match meta {
            Some(meta) if meta.is_dir() => self.folder(&target, rel, depth + 1)?,
            Some(meta) if is_data_file(name) => {
                if meta.is_file() {
                    self.found.files.push(DataFile {
                        rel: rel.to_owned(),
                        path: target,
                    });
                } else {
                    let what = access::kind_of(&meta.file_type());
                    self.problem(
                        Code::MissingFile,
                        rel,
                        format!("this link leads to {what}, not a regular file, so it is not read"),
                    );
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Everything a check and a build of the repository at `root` read from disk, by the
/// loader's own rules (the same walk, the same links, the same depth): the settings,
/// every data file, every template override and every local copy named in `evidence`
/// (the sources' `file` values of the last check), each with its place; what is
/// refused shows as its name alone, so that adding or mending it is seen too. `serve`
/// watches these and nothing else.
pub fn inputs(root: &Path, evidence: &[String]) -> Vec<(String, Option<PathBuf>)> {
    let Ok(access) = Root::new(root) else {
        return Vec::new();
    };
    let config = load_config(root).unwrap_or_default();
    let mut inputs = vec![(
        CONFIG_FILE.to_owned(),
        access.resolve(Path::new(CONFIG_FILE)).ok(),
    )];
    let data_name = normalise(&config.data);
    if let Ok(dir) = access.folder(Path::new(&config.data))
        && let Ok(found) = data_files(&access, &dir, &data_name)
    {
        inputs.extend(found.files.into_iter().map(|f| (f.rel, Some(f.path))));
        inputs.extend(found.diagnostics.into_iter().map(|d| (d.file, None)));
    } else {
        inputs.push((data_name, None));
    }
    let results = Path::new(crate::copies::STATE_FOLDER).join(crate::links::results::FILE);
    inputs.push((
        results.to_string_lossy().replace('\\', "/"),
        access.resolve(&results).ok(),
    ));
    if let Ok(dir) = access.folder(Path::new(&config.templates))
        && let Ok(entries) = std::fs::read_dir(&dir)
    {
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| !name.starts_with('.'))
            .collect();
        names.sort();
        for name in names {
            let place = access::resolve_within(&access, &dir.join(&name)).ok();
            inputs.push((format!("{}/{name}", config.templates), place));
        }
    }
    for file in evidence {
        inputs.push((file.clone(), access.resolve(Path::new(file)).ok()));
    }
    inputs
}

/// The name of `name` in folder `rel` (`.` is the repository root).
fn child(rel: &str, name: &str) -> String {
    if rel == "." {
        name.to_owned()
    } else {
        format!("{rel}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_cache_reparses_only_changed_files_and_renumbers_them() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            std::fs::write(path, text).expect("written");
        };
        write("claims/b.yaml", "entities:\n  - {id: b, name: B}\n");
        write("claims/c.yaml", "entities:\n  - {id: c, name: C}\n");
        let cache = FileCache::default();
        let first = load_with(dir.path(), Some(&cache), true).expect("loads");
        assert_eq!(
            first
                .repo
                .entities
                .iter()
                .map(|e| e.at.file)
                .collect::<Vec<_>>(),
            [0, 1]
        );
        // A new file sorts first: the cached ones move up, keeping their records.
        write("claims/a.yaml", "entities:\n  - {id: a, name: A}\n");
        write(
            "claims/c.yaml",
            "entities:\n  - {id: c, name: C changed, kind: person}\n",
        );
        let second = load_with(dir.path(), Some(&cache), true).expect("loads");
        let names: Vec<(&str, u32)> = second
            .repo
            .entities
            .iter()
            .map(|e| (e.name.as_str(), e.at.file))
            .collect();
        assert_eq!(names, [("A", 0), ("B", 1), ("C changed", 2)]);
        std::fs::remove_file(dir.path().join("claims/b.yaml")).expect("removed");
        let third = load_with(dir.path(), Some(&cache), true).expect("loads");
        assert_eq!(third.repo.entities.len(), 2);
        assert_eq!(
            cache.files.lock().map(|f| f.len()).unwrap_or(0),
            2,
            "gone files are forgotten"
        );
    }
}
