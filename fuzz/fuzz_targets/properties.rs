//! What the fuzz targets check, in one file: the fuzz targets call these on every
//! input, and `tests/testsuite/fuzz_regressions.rs` (which includes this file) on every
//! kept input and seed, so the two can never check different things.

#![allow(dead_code, reason = "each fuzz target uses one of the properties")]

use corroborate::decode::{Sink, data_file};
use std::sync::Mutex;

/// Any bytes as a data file: parsing and decoding never panic, decode the same way
/// twice, every value and key of the tree has a place inside the text, and every
/// diagnostic has a place.
pub fn load_data_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(root) = corroborate::yaml::parse(text) else {
        return;
    };
    let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    if let Some(root) = &root {
        places_inside(root, lines.saturating_add(1));
    }
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

/// Every place in the tree is on a line of the text, at a column from 1.
fn places_inside(node: &corroborate::yaml::Node, last_line: u32) {
    use corroborate::yaml::Value;
    let inside = |pos: corroborate::diagnostics::Pos| {
        assert!(
            pos.line >= 1 && pos.line <= last_line && pos.column >= 1,
            "a place outside the text: {pos:?}"
        );
    };
    inside(node.pos);
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|item| places_inside(item, last_line)),
        Value::Map(entries) => {
            for (key, value) in entries {
                inside(key.pos);
                places_inside(value, last_line);
            }
        }
        _ => {}
    }
}

/// What the files outside the fuzzed repository hold: it must never come out.
const OUTSIDE: &str = "FUZZ-OUTSIDE-MARKER";

/// An arbitrary small repository through check, export and, without errors, both
/// editions of the site rendered in memory. The input is split at NUL into a settings
/// file and up to three data files; an input that starts with byte 1 takes its second
/// byte as a set of hostile extras (links out of the repository, a link loop, a socket
/// where a data file should be, a linked-out settings file, template override and
/// local copy). Nothing panics or hangs, nothing from outside the repository appears
/// in any diagnostic, export or page, and no page holds a script element the templates
/// did not write.
pub fn check_and_render(data: &[u8]) {
    let Ok(dir) = tempfile::Builder::new()
        .prefix("corroborate-fuzz")
        .tempdir_in(scratch())
    else {
        return;
    };
    // The fuzzer learns the marker from the comparisons below and may write it into the
    // repository itself; only text that came from outside must never come out.
    let marker_in_input = data.windows(OUTSIDE.len()).any(|w| w == OUTSIDE.as_bytes());
    let outside_text = |text: &str| !marker_in_input && text.contains(OUTSIDE);
    let (extras, data) = match data {
        [1, flags, rest @ ..] => (*flags, rest),
        _ => (0, data),
    };
    let Ok(outside) = tempfile::Builder::new()
        .prefix("corroborate-fuzz-outside")
        .tempdir_in(scratch())
    else {
        return;
    };
    let secret = outside.path().join("secret.yaml");
    let _ = std::fs::write(
        &secret,
        format!("# {OUTSIDE}\ntitle: {OUTSIDE}\nentities:\n  - {{id: outside, name: {OUTSIDE}}}\n"),
    );
    let mut parts = data.split(|&b| b == 0);
    let settings = parts.next().unwrap_or_default();
    if !settings.is_empty() {
        let _ = std::fs::write(dir.path().join("corroborate.yaml"), settings);
    }
    let _ = std::fs::create_dir(dir.path().join("claims"));
    for (i, part) in parts.take(3).enumerate() {
        let _ = std::fs::write(dir.path().join(format!("claims/f{i}.yaml")), part);
    }
    add_extras(dir.path(), &secret, outside.path(), extras);
    let Ok(checked) = corroborate::check(dir.path()) else {
        return;
    };
    for d in &checked.diagnostics {
        assert!(!outside_text(&d.message), "read from outside: {d:?}");
    }
    let human = corroborate::diagnostics::render_human(&checked.diagnostics, &checked.repo.texts);
    assert!(!outside_text(&human), "read from outside: {human}");
    let mut json = Vec::new();
    let _ = corroborate::export::write_json(&checked, &mut json);
    assert!(
        !outside_text(&String::from_utf8_lossy(&json)),
        "exported from outside"
    );
    if checked.errors() > 0 {
        return;
    }
    let folder = if extras & 0x20 != 0 {
        "templates"
    } else {
        "no-templates"
    };
    let Ok(templates) = corroborate::site::templates::load(dir.path(), folder) else {
        return;
    };
    for (name, bytes) in &templates.assets {
        assert!(
            !outside_text(&String::from_utf8_lossy(bytes)),
            "asset {name} from outside"
        );
    }
    for include_sensitive in [false, true] {
        let options = corroborate::site::Options {
            include_sensitive,
            ..Default::default()
        };
        let pages = Mutex::new(Vec::new());
        let rendered =
            corroborate::site::render_site(&checked, &templates, &options, None, &|path, bytes| {
                if let Ok(mut pages) = pages.lock() {
                    pages.push((path.to_owned(), String::from_utf8_lossy(bytes).into_owned()));
                }
                Ok(())
            });
        assert!(rendered.is_ok(), "rendering failed: {:?}", rendered.err());
        for (path, page) in pages.into_inner().unwrap_or_default() {
            assert!(!outside_text(&page), "{path} holds text from outside");
            if !path.ends_with(".html") {
                continue;
            }
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

/// The hostile extras of [`check_and_render`], one bit each.
fn add_extras(
    root: &std::path::Path,
    secret: &std::path::Path,
    outside: &std::path::Path,
    extras: u8,
) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        let claims = root.join("claims");
        if extras & 0x01 != 0 {
            let _ = symlink(secret, claims.join("linked-out.yaml"));
        }
        if extras & 0x02 != 0 {
            let _ = symlink(".", claims.join("loop"));
            let _ = symlink("..", claims.join("up"));
        }
        if extras & 0x04 != 0 {
            let _ = std::fs::remove_file(root.join("corroborate.yaml"));
            let _ = symlink(secret, root.join("corroborate.yaml"));
        }
        if extras & 0x08 != 0 {
            // A socket where a data file should be: not a regular file.
            let _ = std::os::unix::net::UnixListener::bind(claims.join("socket.yaml"));
        }
        if extras & 0x10 != 0 {
            let _ = symlink(outside, claims.join("linked-folder"));
            let _ = symlink("/dev/zero", claims.join("zero.yaml"));
        }
        if extras & 0x20 != 0 {
            let _ = std::fs::create_dir(root.join("templates"));
            let _ = symlink(secret, root.join("templates/corroborate.js"));
            let _ = symlink(secret, root.join("templates/claim.html"));
        }
        if extras & 0x40 != 0 {
            // Local copies named by the data (`file: evidence/x` etc.) lead out.
            let _ = std::fs::create_dir(root.join("evidence"));
            for name in ["x", "a.pdf", "copy.txt"] {
                let _ = symlink(secret, root.join("evidence").join(name));
            }
        }
        if extras & 0x80 != 0 {
            let _ = symlink(outside, root.join("claims-out"));
            let _ = std::fs::remove_dir_all(&claims);
            let _ = symlink(outside, &claims);
        }
    }
    #[cfg(not(unix))]
    let _ = (root, secret, outside, extras);
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

/// Any bytes as a local copy of every text-bearing kind: extraction never panics, stays
/// within its text limit, gives the same result twice, and looking for a quote taken
/// from the bytes in whatever text came out never panics either.
pub fn extract_any(data: &[u8]) {
    use corroborate::extract::{Limits, text_of};
    let limits = Limits {
        max_decompressed_bytes: 4 * 1024 * 1024,
        max_text_bytes: 1024 * 1024,
        max_pages: 50,
        max_records: 200,
        max_archive_entries: 50,
        time: std::time::Duration::from_secs(5),
    };
    let quote = String::from_utf8_lossy(&data[..data.len().min(40)]).into_owned();
    for name in [
        "copy.txt",
        "copy.html",
        "copy.pdf",
        "copy.warc",
        "copy.warc.gz",
        "copy.wacz",
    ] {
        let first = text_of(name, data, Some("https://example.org/"), &limits);
        if let Ok(copy) = &first {
            let total: usize = copy.pages.iter().map(String::len).sum();
            assert!(
                total <= limits.max_text_bytes,
                "{name}: {total} bytes of text"
            );
            let _ = corroborate::quotes::find_in(&quote, copy);
            let _ = corroborate::quotes::find_in("a ... b", copy);
        } else if let Err(problem) = &first {
            assert!(!problem.message().is_empty());
        }
        // PDFs are read twice with the same result; the deadline can only differ.
        let again = text_of(name, data, Some("https://example.org/"), &limits);
        if !matches!(
            (&first, &again),
            (
                Err(corroborate::extract::ExtractProblem::LimitReached { .. }),
                _
            ) | (
                _,
                Err(corroborate::extract::ExtractProblem::LimitReached { .. })
            )
        ) {
            assert_eq!(first, again, "{name}");
        }
    }
}
