//! Reads a research repository from disk: `corroborate.yaml`, then every data file
//! below the data folder in sorted path order, parsed in parallel. Problems in the
//! files become diagnostics; only a repository that cannot be read at all is an error.

use crate::config::{Config, DEFAULT_MAX_FILE_BYTES};
use crate::decode::{self, Sink};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::model::{Claim, Entity, FileIdx, Records, Source};
use crate::yaml;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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
    pub entities: Vec<Entity>,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
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
    load_with(root, None)
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
    records: Records,
    diagnostics: Vec<Diagnostic>,
}

impl FileCache {
    /// The file's records and diagnostics if it has not changed since it was cached.
    fn get(
        &self,
        rel: &str,
        meta: &std::fs::Metadata,
        max_bytes: u64,
    ) -> Option<(Records, Vec<Diagnostic>)> {
        let files = self.files.lock().ok()?;
        let cached = files.get(rel)?;
        (cached.len == meta.len()
            && cached.modified == meta.modified().ok()
            && cached.max_bytes == max_bytes)
            .then(|| (cached.records.clone(), cached.diagnostics.clone()))
    }

    fn put(
        &self,
        rel: &str,
        meta: &std::fs::Metadata,
        max_bytes: u64,
        records: &Records,
        diagnostics: &[Diagnostic],
    ) {
        if let Ok(mut files) = self.files.lock() {
            files.insert(
                rel.to_owned(),
                CachedFile {
                    len: meta.len(),
                    modified: meta.modified().ok(),
                    max_bytes,
                    records: records.clone(),
                    diagnostics: diagnostics.to_vec(),
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

/// Loads the repository at `root`, reusing unchanged files from `cache`.
pub fn load_with(root: &Path, cache: Option<&FileCache>) -> Result<Loaded> {
    let mut diagnostics = Vec::new();
    let config = read_config(root, &mut diagnostics)?;
    let data_dir = root.join(&config.data);
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("cannot open the repository folder {}", root.display()))?;
    let settings_wrong = !diagnostics.is_empty();
    match std::fs::metadata(&data_dir) {
        Ok(meta) if meta.is_dir() => {}
        // The settings' own problems say more than a missing folder would.
        _ if settings_wrong => {
            return Ok(Loaded {
                repo: Repository {
                    root: root.to_path_buf(),
                    config,
                    ..Repository::default()
                },
                diagnostics,
            });
        }
        Ok(_) => bail!("the data folder {} is not a folder", data_dir.display()),
        Err(err) => {
            return Err(err).with_context(|| {
                format!(
                    "no data folder `{}` in {} (create it, set `data` in {CONFIG_FILE}, or point -C at the repository)",
                    config.data,
                    root.display()
                )
            });
        }
    }
    let mut paths = Vec::new();
    let mut visited = HashSet::new();
    walk(
        &data_dir,
        &normalise(&config.data),
        &canonical_root,
        &mut visited,
        &mut paths,
        &mut diagnostics,
    )?;

    let max_bytes = config.max_file_bytes;
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(yaml::PARSE_STACK_BYTES)
        .build()
        .context("cannot start the threads that read the data files")?;
    let decoded: Vec<(Records, Vec<Diagnostic>)> = pool.install(|| {
        paths
            .par_iter()
            .enumerate()
            .map(|(idx, rel)| {
                let file = FileIdx::try_from(idx).unwrap_or(FileIdx::MAX);
                let meta = cache.and_then(|_| std::fs::metadata(root.join(rel)).ok());
                if let (Some(cache), Some(meta)) = (cache, &meta)
                    && let Some((mut records, diagnostics)) = cache.get(rel, meta, max_bytes)
                {
                    records.set_file(file);
                    return (records, diagnostics);
                }
                let (records, diagnostics) = read_data_file(root, rel, file, max_bytes);
                if let (Some(cache), Some(meta)) = (cache, &meta) {
                    cache.put(rel, meta, max_bytes, &records, &diagnostics);
                }
                (records, diagnostics)
            })
            .collect()
    });
    if let Some(cache) = cache {
        cache.retain(&paths);
    }

    // Sized once: records are large, and growing by doubling would copy them again.
    let mut records = Records {
        entities: Vec::with_capacity(decoded.iter().map(|(r, _)| r.entities.len()).sum()),
        sources: Vec::with_capacity(decoded.iter().map(|(r, _)| r.sources.len()).sum()),
        claims: Vec::with_capacity(decoded.iter().map(|(r, _)| r.claims.len()).sum()),
    };
    diagnostics.reserve(decoded.iter().map(|(_, d)| d.len()).sum());
    for (file_records, file_diagnostics) in decoded {
        records.append(file_records);
        diagnostics.extend(file_diagnostics);
    }
    Ok(Loaded {
        repo: Repository {
            root: root.to_path_buf(),
            config,
            files: paths,
            entities: records.entities,
            sources: records.sources,
            claims: records.claims,
        },
        diagnostics,
    })
}

/// The settings alone, for commands that need no data; problems in them are ignored
/// here (`check` reports them).
pub fn load_config(root: &Path) -> Result<Config> {
    read_config(root, &mut Vec::new())
}

fn read_config(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Config> {
    let path = root.join(CONFIG_FILE);
    if !path.exists() {
        return Ok(Config::default());
    }
    let mut sink = Sink::new(CONFIG_FILE);
    let config = match read_text(&path, CONFIG_FILE, DEFAULT_MAX_FILE_BYTES, &mut sink)? {
        Some(text) => match yaml::parse(&text) {
            Ok(node) => decode::config(node, &mut sink),
            Err(err) => {
                sink.error(err.code, err.pos, None, err.message);
                Config::default()
            }
        },
        None => Config::default(),
    };
    diagnostics.append(&mut sink.diagnostics);
    Ok(config)
}

/// Reads and decodes one data file; every problem in it becomes a diagnostic.
type Parse = fn(&str) -> Result<Option<yaml::Node>, yaml::ParseError>;

fn read_data_file(
    root: &Path,
    rel: &str,
    file: FileIdx,
    max_bytes: u64,
) -> (Records, Vec<Diagnostic>) {
    let mut sink = Sink::new(rel);
    let records = match read_text(&root.join(rel), rel, max_bytes, &mut sink) {
        Ok(Some(text)) => {
            let decode = |parse: Parse, sink: &mut Sink<'_>| match parse(&text) {
                Ok(node) => decode::data_file(node, file, sink),
                Err(err) => {
                    sink.error(err.code, err.pos, None, err.message);
                    Records::default()
                }
            };
            let records = decode(yaml::parse_quick, &mut sink);
            if sink.needs_key_places {
                // Rare (a misspelt field): the file again, this time with the places
                // of its keys, for the message.
                sink = Sink::new(rel);
                decode(yaml::parse, &mut sink)
            } else {
                records
            }
        }
        Ok(None) => Records::default(),
        Err(err) => {
            sink.error(
                Code::MissingFile,
                FILE_START,
                None,
                format!("cannot read this file: {err:#}"),
            );
            Records::default()
        }
    };
    (records, sink.diagnostics)
}

/// Where a problem with a whole file is reported.
const FILE_START: Pos = Pos::new(1, 1, 0);

/// The file's text, or `None` with a diagnostic when it is too large or not UTF-8.
fn read_text(
    path: &Path,
    rel: &str,
    max_bytes: u64,
    sink: &mut Sink<'_>,
) -> Result<Option<String>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {rel}"))?
        .len();
    if size > max_bytes {
        sink.error(
            Code::FileTooLarge,
            FILE_START,
            None,
            format!("this file has {size} bytes, more than the limit of {max_bytes}; split it into smaller files or raise `max_file_bytes` in {CONFIG_FILE}"),
        );
        return Ok(None);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {rel}"))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
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
            Ok(None)
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

/// Collects the data files below `dir` in sorted order, skipping hidden names and
/// refusing links that lead outside the repository.
fn walk(
    dir: &Path,
    rel: &str,
    root: &Path,
    visited: &mut HashSet<PathBuf>,
    out: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<()> {
    if let Ok(canonical) = dir.canonicalize()
        && !visited.insert(canonical)
    {
        return Ok(());
    }
    let mut entries: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("cannot list the folder {}", dir.display()))?
    {
        let entry = entry.with_context(|| format!("cannot list the folder {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            entries.push((name, entry.path()));
        }
    }
    entries.sort();
    for (name, path) in entries {
        let child_rel = format!("{rel}/{name}");
        let meta =
            std::fs::symlink_metadata(&path).with_context(|| format!("cannot read {child_rel}"))?;
        let is_link = meta.file_type().is_symlink();
        let target = if is_link {
            match path.canonicalize() {
                Ok(target) if target.starts_with(root) => std::fs::metadata(&target).ok(),
                Ok(_) => {
                    if is_data_file(&name) || path.is_dir() {
                        diagnostics.push(Diagnostic::error(
                            Code::FileOutsideRepository,
                            &child_rel,
                            FILE_START,
                            "this link leads outside the repository, so it is not read; copy the file into the repository instead",
                        ));
                    }
                    continue;
                }
                Err(_) => {
                    if is_data_file(&name) {
                        diagnostics.push(Diagnostic::error(
                            Code::MissingFile,
                            &child_rel,
                            FILE_START,
                            "this link leads to nothing; fix or remove it",
                        ));
                    }
                    continue;
                }
            }
        } else {
            Some(meta)
        };
        let Some(meta) = target else { continue };
        if meta.is_dir() {
            walk(&path, &child_rel, root, visited, out, diagnostics)?;
        } else if meta.is_file() && is_data_file(&name) {
            out.push(child_rel);
        }
    }
    Ok(())
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
        let first = load_with(dir.path(), Some(&cache)).expect("loads");
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
        let second = load_with(dir.path(), Some(&cache)).expect("loads");
        let names: Vec<(&str, u32)> = second
            .repo
            .entities
            .iter()
            .map(|e| (e.name.as_str(), e.at.file))
            .collect();
        assert_eq!(names, [("A", 0), ("B", 1), ("C changed", 2)]);
        std::fs::remove_file(dir.path().join("claims/b.yaml")).expect("removed");
        let third = load_with(dir.path(), Some(&cache)).expect("loads");
        assert_eq!(third.repo.entities.len(), 2);
        assert_eq!(
            cache.files.lock().map(|f| f.len()).unwrap_or(0),
            2,
            "gone files are forgotten"
        );
    }
}
