//! The parse floor for benchmarks: every data file below a folder deserialised with
//! serde-saphyr (the crate corroborate uses) on all cores, and nothing else. What
//! `corroborate check` costs beyond this is the price of checking.
//!
//! `cargo run --release --example parse_floor -- DIR [json|ignored|nodes]`: `json`
//! (default) deserialises each file into a `serde_json::Value`, a document tree as
//! PyYAML's `yaml.load` builds one; `ignored` into `serde::de::IgnoredAny` (parsing
//! alone); `nodes` builds corroborate's positioned node tree, the first step of `check`
//! (values and keys with their places, as `check` reads them).

use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: parse_floor DIR [json|ignored|nodes]")?,
    );
    let mode = args.next().unwrap_or_else(|| "json".to_owned());
    let mut files = Vec::new();
    collect(&dir, &mut files)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(corroborate::yaml::PARSE_STACK_BYTES)
        .build()?;
    let parsed: Result<Vec<usize>, String> = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                match mode.as_str() {
                    "nodes" => corroborate::yaml::parse(&text)
                        .map(|_| text.len())
                        .map_err(|e| format!("{}: {}", path.display(), e.message)),
                    "ignored" => serde_saphyr::from_str::<serde::de::IgnoredAny>(&text)
                        .map(|_| text.len())
                        .map_err(|e| format!("{}: {e}", path.display())),
                    _ => serde_saphyr::from_str::<serde_json::Value>(&text)
                        .map(|_| text.len())
                        .map_err(|e| format!("{}: {e}", path.display())),
                }
            })
            .collect()
    });
    let bytes: usize = parsed?.iter().sum();
    println!("parsed {} files, {bytes} bytes ({mode})", files.len());
    Ok(())
}
