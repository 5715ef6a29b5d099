//! The fuzz targets' checks on every input that ever made them fail
//! (`tests/fuzz-regressions/`) and on their seeds (`fuzz/seeds/`), as ordinary tests.

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        root.join("tests/fuzz-regressions").join(target),
        root.join("fuzz/seeds").join(target),
    ] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(
                entries
                    .map(|e| e.expect("entry").path())
                    .filter(|p| p.is_file()),
            );
        }
    }
    files.sort();
    files
}

#[path = "../../fuzz/fuzz_targets/properties.rs"]
mod properties;

use properties::{check_and_render, extract_any, load_data_file};

#[test]
fn load_data_file_regressions_and_seeds() {
    let files = inputs("load_data_file");
    assert!(files.len() >= 10, "the seeds are there");
    for file in files {
        load_data_file(&std::fs::read(&file).expect("read"));
    }
}

#[test]
fn check_and_render_regressions_and_seeds() {
    let files = inputs("check_and_render");
    assert!(files.len() >= 10, "the seeds are there");
    for file in files {
        check_and_render(&std::fs::read(&file).expect("read"));
    }
}

#[test]
fn extract_regressions_and_seeds() {
    let files = inputs("extract");
    assert!(files.len() >= 8, "the seeds are there");
    for file in files {
        extract_any(&std::fs::read(&file).expect("read"));
    }
}
