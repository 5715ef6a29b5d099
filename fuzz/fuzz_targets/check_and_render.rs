//! Fuzz target: an arbitrary small repository (the input split into a settings file
//! and up to three data files at `\x00`) goes through the whole pipeline: check,
//! export, and, when the data has no errors, the public and internal sites rendered in
//! memory. Nothing may panic, and the published pages must stay free of scripts from
//! the data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Mutex;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::Builder::new().prefix("corroborate-fuzz").tempdir_in(scratch()) else { return };
    let mut parts = data.split(|&b| b == 0);
    let settings = parts.next().unwrap_or_default();
    if !settings.is_empty() {
        let _ = std::fs::write(dir.path().join("corroborate.yaml"), settings);
    }
    let _ = std::fs::create_dir(dir.path().join("claims"));
    for (i, part) in parts.take(3).enumerate() {
        let _ = std::fs::write(dir.path().join(format!("claims/f{i}.yaml")), part);
    }
    let Ok(checked) = corroborate::check(dir.path()) else { return };
    let mut json = Vec::new();
    let _ = corroborate::export::write_json(&checked, &mut json);
    if checked.errors() > 0 {
        return;
    }
    let Ok(templates) = corroborate::site::templates::load(&dir.path().join("no-templates")) else { return };
    for include_sensitive in [false, true] {
        let options = corroborate::site::Options { include_sensitive, ..Default::default() };
        let pages = Mutex::new(Vec::new());
        let rendered = corroborate::site::render_site(&checked, &templates, &options, None, &|path, bytes| {
            if path.ends_with(".html") {
                if let Ok(mut pages) = pages.lock() {
                    pages.push(String::from_utf8_lossy(bytes).into_owned());
                }
            }
            Ok(())
        });
        assert!(rendered.is_ok(), "rendering failed: {:?}", rendered.err());
        for page in pages.into_inner().unwrap_or_default() {
            let scripts = page.matches("<script").count();
            let ours = page.matches("<script src=\"").count() + page.matches("<script type=\"application/ld+json\">").count();
            assert_eq!(scripts, ours, "a script element the templates did not write");
        }
    }
});

/// Scratch space in memory where the machine has it.
fn scratch() -> std::path::PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() }
}
