//! One fixture repository per error code and per lint, each pinning the exact
//! diagnostics (code, file, line, column, message, id) that `check` reports.

use crate::support::{corroborate, expect_file, fixture};

/// Checks a fixture and pins its JSON diagnostics and exit code.
fn pinned(name: &str, expected_code: i32) -> serde_json::Value {
    let dir = fixture(name);
    let run = corroborate(&dir, &["check", "--format", "json"]);
    assert_eq!(
        run.code, expected_code,
        "exit code of {name}\n{}",
        run.stderr
    );
    expect_file(&dir.join("expected.json"), &run.stdout);
    serde_json::from_str(&run.stdout).expect("JSON output")
}

/// Every diagnostic of the fixture's own code is present, and nothing is an error
/// except diagnostics of that code.
fn only_errors_of(json: &serde_json::Value, code: &str) {
    let all = json.as_array().expect("array");
    assert!(
        all.iter().any(|d| d["code"] == code),
        "no `{code}` in {json:#}"
    );
    for d in all {
        if d["severity"] == "error" {
            assert_eq!(d["code"], code, "unexpected error {d}");
        }
    }
}

macro_rules! error_fixtures {
    ($($test:ident => $name:literal),+ $(,)?) => {$(
        #[test]
        fn $test() {
            let json = pinned($name, 1);
            only_errors_of(&json, $name);
        }
    )+};
}

error_fixtures! {
    yaml_syntax => "yaml-syntax",
    duplicate_key => "duplicate-key",
    unknown_field => "unknown-field",
    invalid_type => "invalid-type",
    invalid_value => "invalid-value",
    missing_field => "missing-field",
    invalid_id => "invalid-id",
    duplicate_id => "duplicate-id",
    invalid_date => "invalid-date",
    unknown_reference => "unknown-reference",
    citation_cycle => "citation-cycle",
    invalid_url => "invalid-url",
    file_outside_repository => "file-outside-repository",
    missing_file => "missing-file",
    checksum_mismatch => "checksum-mismatch",
    file_too_large => "file-too-large",
    alias_limit => "alias-limit",
}

/// Fixtures of one error code beyond the first fixture of that code.
macro_rules! more_error_fixtures {
    ($($test:ident => $name:literal: $code:literal),+ $(,)?) => {$(
        #[test]
        fn $test() {
            let json = pinned($name, 1);
            only_errors_of(&json, $code);
        }
    )+};
}

more_error_fixtures! {
    files_written_wrong => "invalid-value-files": "invalid-value",
    via_and_page_written_wrong => "invalid-value-evidence": "invalid-value",
    via_names_no_source => "unknown-reference-via": "unknown-reference",
    checksum_mismatch_in_files => "checksum-mismatch-files": "checksum-mismatch",
}

macro_rules! lint_fixtures {
    ($($test:ident => $lint:literal),+ $(,)?) => {$(
        #[test]
        fn $test() {
            let json = pinned(concat!("lint-", $lint), 0);
            let all = json.as_array().expect("array");
            assert!(!all.is_empty());
            for d in all {
                assert_eq!((d["code"].as_str(), d["severity"].as_str()), (Some($lint), Some("warning")), "{d}");
            }
        }
    )+};
}

lint_fixtures! {
    lint_claim_without_evidence => "claim-without-evidence",
    lint_unused_source => "unused-source",
    lint_missing_archive => "missing-archive",
    lint_verdict_conflict => "verdict-conflict",
    lint_circular_reporting => "circular-reporting",
    lint_missing_quote => "missing-quote",
    lint_single_channel => "single-channel",
    lint_via_not_citing => "via-not-citing",
}

#[test]
fn lint_levels_from_the_settings_file() {
    let json = pinned("lint-levels", 1);
    let all = json.as_array().expect("array");
    assert_eq!(all.len(), 1, "unused-source is allowed: {json:#}");
    assert_eq!(
        (all[0]["code"].as_str(), all[0]["severity"].as_str()),
        (Some("missing-quote"), Some("error"))
    );
}

#[test]
fn bad_settings_are_reported_with_their_places() {
    let json = pinned("bad-config", 1);
    assert!(
        json.as_array()
            .expect("array")
            .iter()
            .all(|d| d["file"] == "corroborate.yaml")
    );
}

#[test]
fn a_clean_repository_has_nothing_to_say() {
    let dir = fixture("clean");
    let run = corroborate(&dir, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "checked 2 files: 2 claims, 3 sources, 2 entities: no errors, no warnings\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn human_output_shows_every_problem_with_its_line() {
    let dir = fixture("invalid-value");
    let run = corroborate(&dir, &["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    expect_file(&dir.join("expected-human.txt"), &run.stderr);
}

#[test]
fn github_output_annotates_lines() {
    let dir = fixture("unknown-reference");
    let run = corroborate(&dir, &["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    expect_file(&dir.join("expected-github.txt"), &run.stdout);
}

#[test]
fn deny_warnings_makes_lints_fail_the_check() {
    let dir = fixture("lint-missing-quote");
    assert_eq!(corroborate(&dir, &["check"]).code, 0);
    let run = corroborate(&dir, &["check", "--deny-warnings", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(
        json.as_array()
            .expect("array")
            .iter()
            .all(|d| d["severity"] == "error")
    );
}

/// Carets after Chinese and Uyghur text, a tab and a combining accent stand under the
/// value they mark: columns are display columns in the human output.
#[test]
fn carets_stand_under_the_value_after_wide_and_right_to_left_text() {
    let dir = fixture("wide-text");
    let run = corroborate(&dir, &["check"]);
    assert_eq!(run.code, 1);
    expect_file(&dir.join("expected-human.txt"), &run.stderr);
    pinned("wide-text", 1);
}

/// The lints of quote checks are known names already (`lints:` accepts them), though
/// nothing emits them until quotes are read from the local copies.
#[test]
fn the_lint_names_of_quote_checks_are_accepted_in_the_settings() {
    let repo = crate::support::Scratch::new();
    repo.write(
        "corroborate.yaml",
        "lints:\n  quote-not-found: deny\n  quote-page-mismatch: allow\n  unchecked-quote: warn\n  single-channel: deny\n  via-not-citing: allow\n",
    )
    .write(
        "claims/x.yaml",
        "sources:\n  - {id: s, title: t}\nclaims:\n  - id: c\n    statement: s\n    evidence:\n      - {source: s, stance: supports, quote: q}\n",
    );
    let (code, json) = repo.check_json();
    // Accepted, and applied: the one quote has no copy to be checked against, and
    // `unchecked-quote` (allowed by default) was raised to a warning.
    let found: Vec<(&str, &str)> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or(""),
                d["severity"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!((code, found), (0, vec![("unchecked-quote", "warning")]));
}

/// Quotes checked against every kind of local copy: Chromium, LibreOffice and LaTeX
/// PDFs (with their pages), a web page and a Markdown text copy, a WARC, a `.warc.gz`
/// and a WACZ capture (the source's own response), the OCR text of a scan, and
/// `quote_original` looked for instead of its translation; then the four lints at the
/// quote's (or the page's) place: a one-word slip with the closest passage, a quote on
/// another page, a scan without text, a source without copies, and copies that cannot
/// be read (a damaged PDF, a text copy not in UTF-8).
#[test]
fn quotes_are_checked_against_every_kind_of_copy() {
    let json = pinned("quote-checks", 0);
    let codes: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "unreadable-copy",
            "unreadable-copy",
            "quote-not-found",
            "quote-not-found",
            "quote-page-mismatch",
            "unchecked-quote",
            "unchecked-quote",
            "unchecked-quote"
        ]
    );
    let run = corroborate(&fixture("quote-checks"), &["export", "--format", "json"]);
    let export: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let checks: Vec<(String, String)> = export["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .flat_map(|c| c["evidence_items"].as_array().cloned().unwrap_or_default())
        .map(|i| {
            let check = &i["quote_check"];
            let place = match (check["file"].as_str(), check["page"].as_u64()) {
                (Some(file), Some(page)) => format!("{file} p{page}"),
                (Some(file), None) => file.to_owned(),
                _ => String::new(),
            };
            (check["status"].as_str().unwrap_or("").to_owned(), place)
        })
        .collect();
    let expected = [
        ("not-found", "evidence/chromium.pdf"),
        ("not-found", "evidence/review.html"),
        ("unchecked", ""),
        ("unchecked", ""),
        ("unchecked", ""),
        ("verified", "evidence/chromium.pdf p1"),
        ("verified", "evidence/writer.pdf p2"),
        ("verified", "evidence/latex.pdf p1"),
        ("verified", "evidence/review.html"),
        ("verified", "evidence/review.md"),
        ("verified", "evidence/capture.warc"),
        ("verified", "evidence/capture.warc.gz"),
        ("verified", "evidence/capture.wacz"),
        ("verified", "evidence/scan-ocr.ocr"),
        ("verified", "evidence/capture.warc"),
        ("verified", "evidence/latex.pdf p2"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(s, p)| ((*s).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(checks, expected);
}
