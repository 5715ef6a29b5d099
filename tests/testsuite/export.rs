//! The JSON export: computed fields, determinism, and independence from how the
//! records are spread over files.

use crate::support::{Scratch, corroborate, fixture, tree};
use serde_json::json;

fn export(dir: &std::path::Path) -> String {
    let run = corroborate(dir, &["export", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn export_is_byte_identical_across_runs() {
    let dir = fixture("clean");
    assert_eq!(export(&dir), export(&dir));
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(export(example), export(example));
}

#[test]
fn computed_fields_of_the_clean_fixture() {
    let json: serde_json::Value = serde_json::from_str(&export(&fixture("clean"))).expect("JSON");
    let claims = json["claims"].as_array().expect("claims");
    let ids: Vec<&str> = claims.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["acme-only-products", "acme-operates"], "sorted by id");
    let c = &claims[0];
    assert_eq!(c["balance"], "contradicted");
    assert_eq!(c["verdict"], "false");
    assert_eq!(
        c["evidence"],
        json!({"supports": 0, "contradicts": 2, "context": 1})
    );
    assert_eq!(c["independent"], json!({"supports": 0, "contradicts": 2}));
    assert_eq!(
        c["origins"],
        json!({"supports": [], "contradicts": ["acme-press-release", "wire"]})
    );
    assert_eq!(c["date"], "2019");
    assert_eq!(
        c["evidence_items"][0]["quote_original"],
        "Acme wird das System fünf Jahre lang betreiben."
    );
    assert_eq!(
        c["related"],
        json!([{"claim": "acme-operates", "relation": "contradicts"}])
    );
    let sources = json["sources"].as_array().expect("sources");
    let wire = sources.iter().find(|s| s["id"] == "wire").expect("wire");
    assert_eq!(wire["cited_by"], json!(["paper"]));
    assert_eq!(wire["published"], "2019-05-22");
    let paper = sources.iter().find(|s| s["id"] == "paper").expect("paper");
    assert_eq!(paper["origins"], json!(["wire"]));
    assert_eq!(
        json["entities"][0]["aliases"],
        json!(["ACME", "Acme (Deutschland)"])
    );
}

#[test]
fn moving_records_between_files_and_renaming_files_changes_nothing() {
    let original = export(&fixture("clean"));
    let entities = std::fs::read_to_string(fixture("clean/claims/entities.yml")).expect("read");
    let rest = std::fs::read_to_string(fixture("clean/claims/nested/claims.yaml")).expect("read");
    let (sources, claims) = rest.split_once("claims:\n").expect("two sections");
    let moved = Scratch::new();
    moved.write(
        "evidence/paper.txt",
        std::fs::read(fixture("clean/evidence/paper.txt")).expect("read"),
    );
    moved.write("claims/a-claims.yaml", format!("claims:\n{claims}"));
    moved.write(
        "claims/deeper/b-people-and-sources.yml",
        format!("{sources}{entities}"),
    );
    assert_eq!(export(moved.path()), original);
}

#[test]
fn export_refuses_data_with_errors() {
    let run = corroborate(&fixture("unknown-reference"), &["export"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("error[unknown-reference]"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("warning["),
        "only errors are repeated: {}",
        run.stderr
    );
}

#[test]
fn a_long_set_of_origins_shared_by_sources_is_exported_once() {
    // 60 origins behind a hub that three sources cite; a short set stays in place.
    let mut text = String::from("sources:\n");
    let roots: Vec<String> = (0..60).map(|i| format!("r{i:02}")).collect();
    text.push_str(&format!(
        "  - {{id: hub, title: Hub, cites: [{}]}}\n",
        roots.join(", ")
    ));
    for root in &roots {
        text.push_str(&format!("  - {{id: {root}, title: Root}}\n"));
    }
    for id in ["a", "b", "c"] {
        text.push_str(&format!("  - {{id: {id}, title: Citing, cites: [hub]}}\n"));
    }
    text.push_str("  - {id: paper, title: Paper, cites: [r00]}\nclaims:\n  - id: x\n    statement: S\n    evidence:\n");
    for id in ["a", "b", "c", "paper"] {
        text.push_str(&format!(
            "      - {{source: {id}, stance: supports, quote: q}}\n"
        ));
    }
    let repo = Scratch::new();
    repo.write("claims/x.yaml", &text);
    let json: serde_json::Value = serde_json::from_str(&export(repo.path())).expect("JSON");
    let source = |id: &str| {
        json["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
            .expect("the source")
    };
    assert_eq!(source("hub")["origins"], json!(roots));
    assert!(source("hub").get("same_origins_as").is_none());
    for id in ["a", "b", "c"] {
        assert_eq!(source(id)["same_origins_as"], "hub", "{id}");
        assert!(source(id).get("origins").is_none(), "{id}");
    }
    assert_eq!(source("paper")["origins"], json!(["r00"]));
    assert_eq!(source("r00")["origins"], json!(["r00"]));
    assert_eq!(json["claims"][0]["origins"]["supports"], json!(roots));
}

/// Format 1.1: each claim's channels per weighed side, each item's quote check, and
/// each source's local copies as one list whether written as `files` or `file`.
#[test]
fn channels_quote_checks_and_local_copies_are_exported() {
    let repo = Scratch::new();
    repo.write("evidence/memo.pdf", "%PDF-1.4\n")
        .write("evidence/memo.txt", "the memo\n")
        .write("evidence/report.html", "<p>the report</p>\n")
        .write(
            "claims/data.yaml",
            "sources:\n  - id: memo\n    title: The memo\n    files:\n      - path: evidence/memo.pdf\n      - {path: evidence/memo.txt, role: text, captured: 2019-04-03}\n  - id: report\n    title: The report\n    cites: [memo]\n    file: evidence/report.html\n  - id: bid\n    title: The bid\nclaims:\n  - id: c\n    statement: s\n    evidence:\n      - {source: memo, via: report, stance: contradicts, quote: q, page: \"3-4\"}\n      - {source: bid, stance: contradicts, quote: q, page: 2}\n      - {source: memo, stance: supports, quote: q}\n",
        );
    let json: serde_json::Value = serde_json::from_str(&export(repo.path())).expect("JSON");
    let claim = &json["claims"][0];
    assert_eq!(
        claim["channels"],
        json!({"supports": ["memo"], "contradicts": ["bid", "report"]})
    );
    assert_eq!(
        claim["origins"]["contradicts"],
        json!(["bid", "memo"]),
        "`via` adds no origin"
    );
    let item = &claim["evidence_items"][0];
    assert_eq!(item["via"], "report");
    assert_eq!(item["page"], "3-4");
    // Looked for in the copy of the source it was read in (`via`), and not there.
    assert_eq!(
        item["quote_check"],
        json!({"status": "not-found", "file": "evidence/report.html"})
    );
    assert_eq!(claim["evidence_items"][1]["page"], 2);
    let sources = json["sources"].as_array().expect("sources");
    let find = |id: &str| sources.iter().find(|s| s["id"] == id).expect("a source");
    assert_eq!(
        find("memo")["files"],
        json!([
            {"path": "evidence/memo.pdf", "role": "original"},
            {"path": "evidence/memo.txt", "role": "text", "captured": "2019-04-03"}
        ])
    );
    let report = find("report");
    assert_eq!(
        report["files"],
        json!([{"path": "evidence/report.html", "role": "original"}])
    );
    assert_eq!(
        report["file"], "evidence/report.html",
        "the shorthand stays"
    );
    assert_eq!(find("bid")["files"], json!([]));
}

/// The text of a copy is kept in `.corroborate/text/` by its sha256: a second check
/// reads it from there, and a copy that changes is read again, so the quote's status
/// follows the copy, never the cache.
#[test]
fn the_text_cache_follows_the_copy() {
    let repo = Scratch::new();
    repo.write("evidence/a.txt", "The vendor runs the room.\n").write(
        "claims/data.yaml",
        "sources:\n  - {id: a, title: A, file: evidence/a.txt}\nclaims:\n  - id: c\n    statement: s\n    evidence:\n      - {source: a, stance: supports, quote: the vendor runs the room}\n",
    );
    let status = || -> String {
        let json: serde_json::Value = serde_json::from_str(&export(repo.path())).expect("JSON");
        json["claims"][0]["evidence_items"][0]["quote_check"]["status"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(status(), "verified");
    let cached = std::fs::read_dir(repo.path().join(".corroborate/text"))
        .expect("the cache folder")
        .count();
    assert_eq!(cached, 1, "one entry for the one copy");
    assert_eq!(status(), "verified", "from the cache");
    repo.write("evidence/a.txt", "The city runs the room.\n");
    assert_eq!(status(), "not-found", "the changed copy is read again");
    let ignore =
        std::fs::read_to_string(repo.path().join(".corroborate/.gitignore")).unwrap_or_default();
    assert!(
        ignore.lines().any(|l| l == "*"),
        "the cache ignores itself in git"
    );
}

/// Quote checks are kept in `.corroborate/quotes.json`: a second check of an unchanged
/// repository says exactly what the first said without reading any copy (its text cache
/// is removed and not made again), and a changed quote or copy is checked again.
#[test]
fn quote_outcomes_are_kept_and_follow_quotes_and_copies() {
    let repo = Scratch::new();
    let fixture = fixture("quote-checks");
    for (rel, bytes) in tree(&fixture) {
        if !rel.starts_with(".corroborate") && rel != "expected.json" {
            repo.write(&rel, bytes);
        }
    }
    let check = || corroborate(repo.path(), &["check", "--format", "json"]);
    let export = || corroborate(repo.path(), &["export", "--format", "json"]).stdout;
    let cold = check();
    let cold_export = export();
    let outcomes = repo.path().join(".corroborate/quotes.json");
    let stored = std::fs::read(&outcomes).expect("the outcomes are kept");
    std::fs::remove_dir_all(repo.path().join(".corroborate/text")).expect("text cache");
    let warm = check();
    assert_eq!(
        (warm.code, &warm.stdout),
        (cold.code, &cold.stdout),
        "the same diagnostics from the kept outcomes"
    );
    assert_eq!(export(), cold_export, "the same export");
    assert!(
        !repo.path().join(".corroborate/text").exists(),
        "no copy was read"
    );
    assert_eq!(
        std::fs::read(&outcomes).expect("kept"),
        stored,
        "an unchanged run leaves the file as it was"
    );

    // A quote of its own: verified, then a changed word, then a changed copy.
    let status = || -> (String, String) {
        let json: serde_json::Value = serde_json::from_str(&export()).expect("JSON");
        let check = &json["claims"]
            .as_array()
            .expect("claims")
            .iter()
            .find(|c| c["id"] == "kept")
            .expect("the claim")["evidence_items"][0]["quote_check"];
        (
            check["status"].as_str().unwrap_or("").to_owned(),
            check["closest"].as_str().unwrap_or("").to_owned(),
        )
    };
    let kept = |quote: &str| {
        format!(
            "sources:\n  - {{id: kept-source, title: K, file: evidence/kept.txt}}\nclaims:\n  - id: kept\n    statement: s\n    evidence:\n      - {{source: kept-source, stance: supports, quote: {quote}}}\n"
        )
    };
    repo.write("evidence/kept.txt", "The vendor runs the control room.\n")
        .write("claims/kept.yaml", kept("the vendor runs the control room"));
    assert_eq!(status().0, "verified");
    repo.write(
        "claims/kept.yaml",
        kept("the vendor runs the control rooms"),
    );
    assert_eq!(
        status(),
        (
            "not-found".to_owned(),
            "The vendor runs the control room.".to_owned()
        ),
        "a changed quote is checked again"
    );
    repo.write("evidence/kept.txt", "The vendor runs the control rooms.\n");
    assert_eq!(status().0, "verified", "a changed copy is read again");
}
