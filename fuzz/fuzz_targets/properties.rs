//! What the fuzz targets check, in one file: the fuzz targets call these on every
//! input, and `tests/testsuite/fuzz_regressions.rs` (which includes this file) on every
//! kept input and seed, so the two can never check different things.

#![allow(dead_code, reason = "each fuzz target uses one of the two properties")]

use corroborate::decode::{Sink, data_file};
use std::sync::Mutex;

/// Any bytes as a data file: parsing and decoding never panic, decode the same way
/// twice, and every diagnostic has a place. The quick parse (keys without places)
/// fails exactly when the full one does, and decodes to the same records, asking for
/// the full parse whenever a diagnostic would need a key's place.
pub fn load_data_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let quick = corroborate::yaml::parse_quick(text);
    let Ok(root) = corroborate::yaml::parse(text) else {
        assert!(quick.is_err(), "only the full parse failed");
        return;
    };
    let Ok(quick) = quick else {
        panic!("only the quick parse failed");
    };
    let mut quick_sink = Sink::new("claims/fuzz.yaml");
    let quick_records = data_file(quick, 0, &mut quick_sink);
    let mut sink = Sink::new("claims/fuzz.yaml");
    let records = data_file(root.clone(), 0, &mut sink);
    let mut again = Sink::new("claims/fuzz.yaml");
    assert_eq!(records, data_file(root, 0, &mut again));
    assert_eq!(sink.diagnostics, again.diagnostics);
    assert_eq!(quick_records, records);
    if !quick_sink.needs_key_places {
        assert_eq!(quick_sink.diagnostics, sink.diagnostics);
    }
    for d in &sink.diagnostics {
        assert!(
            d.line >= 1 && d.column >= 1,
            "a diagnostic without a place: {d:?}"
        );
    }
}

/// An arbitrary small repository (the input split at NUL into a settings file and up
/// to three data files) through check, export and, without errors, both editions of
/// the site rendered in memory: nothing panics, and no page holds a script element the
/// templates did not write.
pub fn check_and_render(data: &[u8]) {
    let Ok(dir) = tempfile::Builder::new()
        .prefix("corroborate-fuzz")
        .tempdir_in(scratch())
    else {
        return;
    };
    let mut parts = data.split(|&b| b == 0);
    let settings = parts.next().unwrap_or_default();
    if !settings.is_empty() {
        let _ = std::fs::write(dir.path().join("corroborate.yaml"), settings);
    }
    let _ = std::fs::create_dir(dir.path().join("claims"));
    for (i, part) in parts.take(3).enumerate() {
        let _ = std::fs::write(dir.path().join(format!("claims/f{i}.yaml")), part);
    }
    let Ok(checked) = corroborate::check(dir.path()) else {
        return;
    };
    let mut json = Vec::new();
    let _ = corroborate::export::write_json(&checked, &mut json);
    if checked.errors() > 0 {
        return;
    }
    let Ok(templates) = corroborate::site::templates::load(dir.path(), "no-templates") else {
        return;
    };
    for include_sensitive in [false, true] {
        let options = corroborate::site::Options {
            include_sensitive,
            ..Default::default()
        };
        let pages = Mutex::new(Vec::new());
        let rendered =
            corroborate::site::render_site(&checked, &templates, &options, None, &|path, bytes| {
                if path.ends_with(".html")
                    && let Ok(mut pages) = pages.lock()
                {
                    pages.push(String::from_utf8_lossy(bytes).into_owned());
                }
                Ok(())
            });
        assert!(rendered.is_ok(), "rendering failed: {:?}", rendered.err());
        for page in pages.into_inner().unwrap_or_default() {
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

/// Scratch space in memory where the machine has it.
fn scratch() -> std::path::PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}
