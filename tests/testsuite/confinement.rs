//! Nothing from outside the repository, nothing but regular files, no read without a
//! bound: a pull request can commit links, and a working tree can hold FIFOs and
//! devices. Each case runs the binary under a memory cap and a deadline, so a
//! regression fails the test instead of hanging it or exhausting the machine.

use crate::support::{self, Run, Scratch};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Only a hang comes near it (the long-line case takes seconds in a debug build).
const DEADLINE: Duration = Duration::from_secs(120);
/// What the files outside the repository hold, and the environment (which a link to
/// `/proc/self/environ` would show): it must never be printed or published.
const MARKER: &str = "OUTSIDE-MARKER-7f3a";

/// corroborate under the memory cap and the deadline, with the marker in its environment.
fn run_bounded(dir: &Path, args: &[&str]) -> Run {
    support::run_bounded(dir, args, &[("CORROBORATE_TEST_SECRET", MARKER)], DEADLINE)
}

/// `(code, file)` of every diagnostic of `check --format json`.
fn codes(dir: &Path) -> (i32, Vec<(String, String)>, String) {
    let run = run_bounded(dir, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("no JSON ({err}): {}\n{}", run.stdout, run.stderr));
    let found = support::places(&json)
        .into_iter()
        .map(|(code, file, _, _)| (code, file))
        .collect();
    (run.code, found, run.stdout + &run.stderr)
}

fn pair(code: &str, file: &str) -> (String, String) {
    (code.to_owned(), file.to_owned())
}

const VALID: &str = "entities:\n  - {id: e, name: E}\n";

/// A folder outside the repository with a data file and a settings file holding the marker.
fn outside() -> Scratch {
    let outside = Scratch::new();
    outside.write(
        "secret.yaml",
        format!("# {MARKER}\nentities:\n  - id: secret\n    name: {MARKER}\n"),
    );
    outside.write("settings.yaml", format!("title: {MARKER}\n"));
    outside.write("claim.html", format!("<p>{MARKER}</p>\n"));
    outside
}

#[cfg(unix)]
fn link(target: impl AsRef<Path>, at: impl AsRef<Path>) {
    if let Some(parent) = at.as_ref().parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::os::unix::fs::symlink(target, at).expect("link");
}

#[cfg(unix)]
fn mkfifo(at: &Path) {
    if let Some(parent) = at.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    let made = Command::new("mkfifo").arg(at).status().expect("mkfifo");
    assert!(made.success());
}

/// Every file of a built site, as text, for looking for the marker.
fn site_text(site: &Path) -> String {
    crate::site::files(site)
        .values()
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_settings_file_linked_outside_is_refused_and_never_shown() {
    let outside = outside();
    let repo = Scratch::new();
    repo.write("claims/a.yaml", VALID);
    link(
        outside.path().join("settings.yaml"),
        repo.path().join("corroborate.yaml"),
    );
    let (code, found, printed) = codes(repo.path());
    assert_eq!(code, 1);
    assert_eq!(found, [pair("file-outside-repository", "corroborate.yaml")]);
    assert!(!printed.contains(MARKER), "{printed}");
    let human = run_bounded(repo.path(), &["check"]);
    assert!(!human.stderr.contains(MARKER), "{}", human.stderr);
    assert!(
        human.stderr.contains("leads outside the repository"),
        "{}",
        human.stderr
    );
}

#[cfg(unix)]
#[test]
fn settings_that_are_a_device_or_a_fifo_never_block_or_fill_memory() {
    for special in ["device", "fifo"] {
        let repo = Scratch::new();
        repo.write("claims/a.yaml", VALID);
        let settings = repo.path().join("corroborate.yaml");
        if special == "device" {
            // Inside the repository through a folder link: refused by type, not place.
            link("/dev", repo.path().join("dev"));
            link("dev/zero", &settings);
        } else {
            mkfifo(&settings);
        }
        let (code, found, _) = codes(repo.path());
        assert_eq!(code, 1, "{special}");
        let expected = if special == "device" {
            "file-outside-repository"
        } else {
            "missing-file"
        };
        assert_eq!(found, [pair(expected, "corroborate.yaml")], "{special}");
    }
}

#[cfg(unix)]
#[test]
fn a_data_folder_that_leads_outside_is_not_read() {
    let outside = outside();
    // The default data folder is a link to a folder outside.
    let repo = Scratch::new();
    link(outside.path(), repo.path().join("claims"));
    let (code, found, printed) = codes(repo.path());
    assert_eq!(
        (code, found),
        (1, vec![pair("file-outside-repository", "claims")])
    );
    assert!(!printed.contains(MARKER));
    let export = run_bounded(repo.path(), &["export"]);
    assert!(!export.stdout.contains(MARKER) && !export.stderr.contains(MARKER));
    // `data: sub/x` where `sub` leads outside.
    let repo = Scratch::new();
    repo.write("corroborate.yaml", "data: sub/x\n");
    std::fs::create_dir_all(outside.path().join("x")).expect("folder");
    std::fs::copy(
        outside.path().join("secret.yaml"),
        outside.path().join("x/s.yaml"),
    )
    .expect("copy");
    link(outside.path(), repo.path().join("sub"));
    let (code, found, printed) = codes(repo.path());
    assert_eq!(
        (code, found),
        (1, vec![pair("file-outside-repository", "sub/x")])
    );
    assert!(!printed.contains(MARKER));
}

#[cfg(unix)]
#[test]
fn snippets_come_from_what_was_parsed_not_from_refused_files() {
    let outside = outside();
    let repo = Scratch::new();
    repo.write("claims/a.yaml", VALID);
    link(
        outside.path().join("secret.yaml"),
        repo.path().join("claims/linked.yaml"),
    );
    let human = run_bounded(repo.path(), &["check"]);
    assert_eq!(human.code, 1);
    assert!(
        human.stderr.contains("--> claims/linked.yaml"),
        "{}",
        human.stderr
    );
    assert!(!human.stderr.contains(MARKER), "{}", human.stderr);
    for args in [
        &["build"][..],
        &["list", "entities"],
        &["show", "e"],
        &["export"],
    ] {
        let run = run_bounded(repo.path(), args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("claims/linked.yaml"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains(MARKER), "{args:?}: {}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_among_the_data_files_are_named_and_not_read() {
    let repo = Scratch::new();
    repo.write("claims/a.yaml", VALID);
    mkfifo(&repo.path().join("claims/pipe.yaml"));
    link("pipe.yaml", repo.path().join("claims/to-pipe.yaml"));
    let (code, found, printed) = codes(repo.path());
    assert_eq!(code, 1, "{printed}");
    assert_eq!(
        found,
        [
            pair("missing-file", "claims/pipe.yaml"),
            pair("missing-file", "claims/to-pipe.yaml")
        ]
    );
    assert!(printed.contains("FIFO"), "{printed}");
}

#[cfg(unix)]
#[test]
fn template_overrides_and_assets_linked_outside_are_refused() {
    let outside = outside();
    for (name, target) in [
        (
            "corroborate.js",
            Path::new("/proc/self/environ").to_path_buf(),
        ),
        ("claim.html", outside.path().join("claim.html")),
        ("secret.html", outside.path().join("claim.html")),
    ] {
        let repo = Scratch::new();
        repo.write("claims/a.yaml", VALID);
        repo.write("templates/index.html", "{% extends \"builtin/index.html\" %}{% block content %}{% include \"secret.html\" ignore missing %}{% endblock %}");
        link(target, repo.path().join("templates").join(name));
        let run = run_bounded(repo.path(), &["build"]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("error[template]: template `templates/{name}`")),
            "{name}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains(MARKER));
        assert!(
            !repo.path().join("site").exists(),
            "{name}: nothing published"
        );
    }
    // The templates folder itself leading outside.
    let repo = Scratch::new();
    repo.write("claims/a.yaml", VALID);
    link(outside.path(), repo.path().join("templates"));
    let run = run_bounded(repo.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("template `templates`"),
        "{}",
        run.stderr
    );
    // A link that stays inside the repository is fine.
    let repo = Scratch::new();
    repo.write("claims/a.yaml", VALID);
    repo.write("shared/style.css", "body{}");
    link(
        "../shared/style.css",
        repo.path().join("templates/style.css"),
    );
    let run = run_bounded(repo.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(repo.path().join("site/style.css")).expect("css"),
        "body{}"
    );
    let site = site_text(&repo.path().join("site"));
    assert!(!site.contains(MARKER));
}

#[test]
fn one_long_line_with_many_errors_gives_output_in_proportion() {
    // 100,000 invalid ids on one line of about 2 MB.
    let items: Vec<String> = (0..100_000)
        .map(|i| format!("{{id: X{i}, name: n}}"))
        .collect();
    let text = format!("entities: [{}]\n", items.join(", "));
    let repo = Scratch::new();
    repo.write("claims/a.yaml", &text);
    let run = run_bounded(repo.path(), &["check", "--max-errors", "0"]);
    assert_eq!(run.code, 1);
    let shown = run.stderr.matches("error[invalid-id]").count();
    assert_eq!(shown, 100_000);
    // Each problem costs a window of the line, not the line.
    let longest = run.stderr.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 1_000, "a line of {longest} bytes");
    assert!(
        run.stderr.len() < 40 * text.len(),
        "{} bytes of output for {} of input",
        run.stderr.len(),
        text.len()
    );
}

#[test]
fn file_names_and_values_cannot_forge_output_lines() {
    let repo = Scratch::new();
    // A file name with an escape sequence and a line break in it.
    let name = "claims/\u{1b}[32mall clean\n::error::forged.yaml";
    repo.write(name, "entities:\n  - {id: BAD, name: x}\n");
    repo.write(
        "claims/b.yaml",
        "sources:\n  - {id: s, title: \"T\\n::add-mask::x\"}\nclaims:\n  - id: c\n    statement: \"S\\n::stop-commands::t\\n  ::error::y\"\n    evidence:\n      - {source: s, stance: supports, quote: \"q\\n::warning::z\"}\n",
    );
    let check = run_bounded(repo.path(), &["check"]);
    assert_eq!(check.code, 1);
    for (command, run) in [
        ("check", check),
        ("list", run_bounded(repo.path(), &["list", "claims"])),
        ("list", run_bounded(repo.path(), &["list", "sources"])),
        ("show", run_bounded(repo.path(), &["show", "c"])),
        ("show", run_bounded(repo.path(), &["show", "s"])),
    ] {
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(!all.contains('\u{1b}'), "{command}: {all}");
        for line in all.lines() {
            assert!(!line.trim_start().starts_with("::"), "{command}: {line:?}");
            assert!(!line.starts_with("all clean"), "{command}: {line:?}");
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_name_that_is_not_utf8_is_named_as_such() {
    use std::os::unix::ffi::OsStrExt;
    let repo = Scratch::new();
    repo.write("claims/a.yaml", VALID);
    let bad = repo
        .path()
        .join("claims")
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9.yaml"));
    std::fs::write(bad, VALID).expect("write");
    let run = run_bounded(repo.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    assert!(
        run.stderr.contains("claims/caf\u{fffd}.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_thousand_nested_folders_stop_at_the_depth_limit() {
    let repo = Scratch::new();
    let mut rel = String::from("claims");
    for _ in 0..1000 {
        rel.push_str("/d");
    }
    repo.write(&format!("{rel}/deep.yaml"), VALID);
    repo.write("claims/a.yaml", VALID);
    let (code, found, printed) = codes(repo.path());
    assert_eq!(code, 1, "{printed}");
    let depth_limit = corroborate::load::MAX_FOLDER_DEPTH;
    let expected = format!("claims{}", "/d".repeat(depth_limit + 1));
    assert_eq!(found, [pair("missing-file", &expected)]);
    assert!(printed.contains("levels below the data folder"));
}

#[cfg(unix)]
#[test]
fn link_loops_in_the_data_folder_end() {
    let repo = Scratch::new();
    repo.write("claims/a.yaml", VALID);
    link(".", repo.path().join("claims/l1"));
    link(".", repo.path().join("claims/l2"));
    link("..", repo.path().join("claims/up"));
    let (code, found, printed) = codes(repo.path());
    assert_eq!((code, found), (0, vec![]), "{printed}");
}

#[test]
fn the_settings_file_is_not_data_when_the_data_folder_is_the_root() {
    let repo = Scratch::new();
    repo.write("corroborate.yaml", "title: A case\ndata: .\n");
    repo.write("people.yaml", VALID);
    let (code, found, printed) = codes(repo.path());
    assert_eq!((code, found), (0, vec![]), "{printed}");
    let list = run_bounded(repo.path(), &["list", "entities"]);
    assert!(list.stdout.contains('e'), "{}", list.stdout);
}

#[test]
fn settings_that_climb_out_or_overflow_are_refused() {
    let repo = Scratch::new();
    repo.write("claims/a.yaml", VALID);
    repo.write(
        "corroborate.yaml",
        "output: ../other-case/site\nmax_file_bytes: 99999999999999999999\n",
    );
    let (code, found, printed) = codes(repo.path());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            pair("file-outside-repository", "corroborate.yaml"),
            pair("invalid-value", "corroborate.yaml")
        ]
    );
    assert!(
        printed.contains("`max_file_bytes` is too large"),
        "{printed}"
    );
    let build = run_bounded(repo.path(), &["build"]);
    assert_eq!(build.code, 1);
    assert!(!repo.path().join("../other-case").exists());
}

#[test]
fn diff_output_cannot_start_a_workflow_command_either() {
    let repo = Scratch::new();
    repo.write("claims/a.yaml", "claims:\n  - {id: c, statement: First}\n");
    crate::diff::git(repo.path(), &["init", "-q"]);
    crate::diff::git(repo.path(), &["add", "-A"]);
    crate::diff::git(repo.path(), &["commit", "-q", "-m", "first"]);
    repo.write(
        "claims/a.yaml",
        "claims:\n  - {id: c, statement: First}\n  - {id: d, statement: \"New\\n::add-mask::x\\n::error::forged\"}\n",
    );
    for format in ["text", "markdown"] {
        let run = run_bounded(repo.path(), &["diff", "HEAD", "--format", format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("add-mask"), "{}", run.stdout);
        for line in run.stdout.lines() {
            assert!(!line.trim_start().starts_with("::"), "{format}: {line:?}");
        }
    }
}
