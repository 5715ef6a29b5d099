//! Hostile input: each case gets a clear error or works, quickly and with bounded
//! memory. The binary runs under an address-space limit so that runaway memory use
//! fails the test instead of the machine; the time bound only catches hangs.

use crate::support::{Place, Scratch, corroborate, places};
use std::time::{Duration, Instant};

/// A limit no honest run comes near: 50 MB of input fits in it several times over.
const MEMORY_LIMIT_KB: u64 = 2 * 1024 * 1024;
const HANG: Duration = Duration::from_secs(20);

/// Runs `check --format json` under the memory limit; returns exit code and places.
fn check_bounded(repo: &Scratch) -> (i32, Vec<Place>, serde_json::Value) {
    let started = Instant::now();
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KB}; exec \"$0\" -C \"$1\" check --format json"
        ))
        .arg(env!("CARGO_BIN_EXE_corroborate"))
        .arg(repo.path())
        .output()
        .expect("corroborate runs");
    assert!(started.elapsed() < HANG, "took {:?}", started.elapsed());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|err| {
        panic!(
            "no JSON ({err}); status {:?}; stderr: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), places(&json), json)
}

fn one(code: &str, line: u64, column: u64) -> Vec<Place> {
    vec![(code.to_owned(), "claims/x.yaml".to_owned(), line, column)]
}

#[test]
fn billion_laughs_is_stopped_by_the_alias_limit() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in 'b'..='j' {
        let refs = vec![format!("*{previous}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    assert!(text.len() < 1024);
    let repo = Scratch::new();
    repo.write("claims/x.yaml", &text);
    let (code, found, _) = check_bounded(&repo);
    assert_eq!(code, 1);
    assert_eq!(found, one("alias-limit", 4, 11));
}

#[test]
fn a_few_ordinary_anchors_still_work() {
    let repo = Scratch::new();
    repo.write(
        "claims/x.yaml",
        "sources:\n  - id: a\n    title: A\n    kind: &k news\n  - id: b\n    title: B\n    kind: *k\n    cites: &c [a]\n  - id: c\n    title: C\n    kind: *k\n    cites: *c\nclaims:\n  - id: x\n    statement: S\n    evidence:\n      - {source: b, stance: supports, quote: q}\n      - {source: c, stance: supports, quote: q}\n",
    );
    let (code, found, _) = check_bounded(&repo);
    assert_eq!(code, 0);
    // b and c both trace back to a: one origin, honestly reported.
    assert_eq!(found, one("circular-reporting", 18, 18));
}

#[test]
fn ten_thousand_levels_of_nesting_is_an_error() {
    let repo = Scratch::new();
    repo.write(
        "claims/x.yaml",
        format!("claims: {}{}", "[".repeat(10_000), "]".repeat(10_000)),
    );
    repo.write(
        "claims/y.yaml",
        (0..10_000)
            .map(|i| format!("{}- \n", " ".repeat(i)))
            .collect::<String>(),
    );
    let (code, found, json) = check_bounded(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![
            ("yaml-syntax".to_owned(), "claims/x.yaml".to_owned(), 1, 73),
            ("yaml-syntax".to_owned(), "claims/y.yaml".to_owned(), 65, 65),
        ]
    );
    assert!(
        json[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nested more than 64 levels")
    );
}

#[test]
fn duplicate_keys_are_an_error_not_a_silent_choice() {
    let repo = Scratch::new();
    repo.write(
        "claims/x.yaml",
        "claims:\n  - id: c\n    statement: first\n    statement: second\n",
    );
    let (code, found, _) = check_bounded(&repo);
    assert_eq!(code, 1);
    assert_eq!(found, one("duplicate-key", 4, 5));
}

#[test]
fn a_fifty_megabyte_scalar_is_read() {
    let repo = Scratch::new();
    let mut text = String::from("entities:\n  - id: big\n    name: Big\n    description: ");
    text.push_str(&"x".repeat(50_000_000));
    text.push('\n');
    repo.write("claims/x.yaml", &text);
    let (code, found, _) = check_bounded(&repo);
    assert_eq!((code, found), (0, vec![]));
}

#[test]
fn invalid_utf8_is_reported_at_the_bad_byte() {
    let repo = Scratch::new();
    repo.write(
        "claims/x.yaml",
        b"entities:\n  - id: a\n    name: caf\xe9 au lait\n".as_slice(),
    );
    let (code, found, _) = check_bounded(&repo);
    assert_eq!(code, 1);
    assert_eq!(found, one("yaml-syntax", 3, 14));
}

#[test]
fn byte_order_mark_and_crlf_line_endings_work() {
    let repo = Scratch::new();
    let text = "\u{feff}entities:\r\n  - id: a\r\n    name: A\r\n    kind: company\r\n";
    repo.write("claims/x.yaml", text);
    let (code, found, _) = check_bounded(&repo);
    assert_eq!(code, 1);
    assert_eq!(found, one("invalid-value", 4, 11));
    let human = corroborate(repo.path(), &["check"]);
    assert!(
        human
            .stderr
            .contains("4 |     kind: company\n  |           ^^^^^^^\n"),
        "{}",
        human.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_link_pointing_outside_the_repository_is_refused() {
    let outside = Scratch::new();
    outside.write(
        "secret.yaml",
        "entities:\n  - id: secret\n    name: Secret\n",
    );
    outside.write("evidence.pdf", "not yours");
    let repo = Scratch::new();
    repo.write("claims/x.yaml", "sources:\n  - id: s\n    title: S\n    file: evidence/copy.pdf\nclaims:\n  - id: c\n    statement: S\n    evidence:\n      - {source: s, stance: supports, quote: q}\n");
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        repo.path().join("claims/linked.yaml"),
    )
    .expect("link");
    std::fs::create_dir_all(repo.path().join("evidence")).expect("folder");
    std::os::unix::fs::symlink(
        outside.path().join("evidence.pdf"),
        repo.path().join("evidence/copy.pdf"),
    )
    .expect("link");
    std::os::unix::fs::symlink(outside.path(), repo.path().join("claims/linked-folder"))
        .expect("link");
    let (code, found, _) = check_bounded(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![
            (
                "file-outside-repository".to_owned(),
                "claims/linked-folder".to_owned(),
                1,
                1
            ),
            (
                "file-outside-repository".to_owned(),
                "claims/linked.yaml".to_owned(),
                1,
                1
            ),
            (
                "file-outside-repository".to_owned(),
                "claims/x.yaml".to_owned(),
                4,
                11
            ),
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_repository_is_followed_once() {
    let repo = Scratch::new();
    repo.write(
        "shared/people.yaml",
        "entities:\n  - id: jane\n    name: Jane\n",
    );
    repo.write(
        "claims/x.yaml",
        "claims:\n  - id: c\n    statement: S\n    claimant: jane\n",
    );
    std::os::unix::fs::symlink(
        repo.path().join("shared"),
        repo.path().join("claims/shared"),
    )
    .expect("link");
    std::os::unix::fs::symlink(repo.path().join("claims"), repo.path().join("claims/loop"))
        .expect("link");
    let (code, found, _) = check_bounded(&repo);
    assert_eq!(code, 0);
    assert_eq!(found, one("claim-without-evidence", 2, 9));
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 12] = [
        b"",
        b"\0\0\0",
        b"---\n---\n",
        b"- a\n- b\n",
        b"entities: 3\n",
        b"claims:\n  - 1\n  - [x]\n  - ~\n",
        b"claims:\n  - id: 1\n    statement: 2\n    evidence: {source: x}\n",
        b"? [a, b]\n: c\n",
        b"sources:\n  - id: s\n    title: t\n    cites: [s, s]\n    sha256: !!binary aGVsbG8=\n",
        b"claims:\n  - id: c\n    statement: s\n    related: [{claim: c, relation: refines}]\n    verdict: 1\n",
        b"&a [*a]\n",
        b"claims: !!map {}\n",
    ];
    for input in inputs {
        let repo = Scratch::new();
        repo.write("claims/x.yaml", input);
        let run = corroborate(repo.path(), &["check", "--format", "json"]);
        assert!(
            run.code == 0 || run.code == 1,
            "exit {} for {:?}: {}",
            run.code,
            String::from_utf8_lossy(input),
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}

/// A damaged PDF on which the PDF reader panics (`tests/fixtures/copies/damaged.pdf`):
/// the check goes on, the copy's pages that can be read are searched, and no panic
/// message reaches the researcher's terminal.
#[test]
fn a_pdf_that_makes_its_reader_panic_is_read_quietly() {
    let repo = Scratch::new();
    let damaged = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/copies/damaged.pdf"),
    )
    .expect("the fixture");
    repo.write("evidence/d.pdf", damaged.as_slice()).write(
        "claims/x.yaml",
        "sources:\n  - {id: s, title: t, file: evidence/d.pdf}\nclaims:\n  - id: c\n    statement: s\n    evidence:\n      - {source: s, stance: supports, quote: q}\n",
    );
    let run = corroborate(repo.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stdout.contains("quote-not-found") || run.stderr.contains("quote-not-found"));
}
