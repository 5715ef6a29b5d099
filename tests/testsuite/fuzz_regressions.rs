//! The fuzz targets' checks on every input that ever made them fail
//! (`tests/fuzz-regressions/`) and on their seeds (`fuzz/seeds/`), as ordinary tests.

use corroborate::decode::{Sink, data_file};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// The checks of `fuzz/fuzz_targets/load_data_file.rs`.
fn load_data_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(root) = corroborate::yaml::parse(text) else {
        return;
    };
    let mut sink = Sink::new("claims/fuzz.yaml");
    let records = data_file(root.clone(), 0, &mut sink);
    let mut again = Sink::new("claims/fuzz.yaml");
    assert_eq!(records, data_file(root, 0, &mut again));
    assert_eq!(sink.diagnostics, again.diagnostics);
    for d in &sink.diagnostics {
        assert!(
            d.line >= 1 && d.column >= 1,
            "a diagnostic without a place: {d:?}"
        );
    }
}

/// The checks of `fuzz/fuzz_targets/check_and_render.rs`.
fn check_and_render(data: &[u8]) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut parts = data.split(|&b| b == 0);
    let settings = parts.next().unwrap_or_default();
    if !settings.is_empty() {
        std::fs::write(dir.path().join("corroborate.yaml"), settings).expect("written");
    }
    std::fs::create_dir(dir.path().join("claims")).expect("folder");
    for (i, part) in parts.take(3).enumerate() {
        std::fs::write(dir.path().join(format!("claims/f{i}.yaml")), part).expect("written");
    }
    let Ok(checked) = corroborate::check(dir.path()) else {
        return;
    };
    let mut json = Vec::new();
    corroborate::export::write_json(&checked, &mut json).expect("export");
    if checked.errors() > 0 {
        return;
    }
    let templates = corroborate::site::templates::load(&dir.path().join("no-templates"))
        .expect("built-in templates");
    for include_sensitive in [false, true] {
        let options = corroborate::site::Options {
            include_sensitive,
            ..Default::default()
        };
        let pages = Mutex::new(Vec::new());
        corroborate::site::render_site(&checked, &templates, &options, None, &|path, bytes| {
            if path.ends_with(".html") {
                pages
                    .lock()
                    .expect("lock")
                    .push(String::from_utf8_lossy(bytes).into_owned());
            }
            Ok(())
        })
        .expect("renders");
        for page in pages.into_inner().expect("pages") {
            let scripts = page.matches("<script").count();
            let ours = page.matches("<script src=\"").count()
                + page
                    .matches("<script type=\"application/ld+json\">")
                    .count();
            assert_eq!(
                scripts, ours,
                "a script element the templates did not write"
            );
        }
    }
}

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
