//! Sensitive material: a unique marker in every field of every sensitive record must
//! appear in no file (and no file name) of the public site or export, while counts,
//! origins and balance stay those of all the data. `--include-sensitive` shows it all
//! and marks every page as an internal edition.

use crate::support::{Scratch, corroborate};
use std::path::Path;

const MARKER: &str = "zqxleak";

fn repository() -> Scratch {
    let repo = Scratch::new();
    repo.write("evidence/zqxleak-copy.txt", "zqxleak file contents\n");
    repo.write(
        "evidence/zqxleak-archive.html",
        "<p>zqxleak archived page</p>\n",
    );
    repo.write("evidence/zqxleak-text.txt", "zqxleak extracted text\n");
    repo.write(
        "claims/data.yaml",
        r#"entities:
  - id: pub-org
    name: Public Organisation
  - id: zqxleak-e1
    name: zqxleak person name
    kind: person
    aliases: [zqxleak alias]
    url: https://zqxleak.example/person
    description: zqxleak **description**
    sensitive: true
sources:
  - id: pub-origin
    title: Public origin document
  - id: pub-src
    title: Public report
    by: zqxleak-e1
    cites: [zqxleak-s1]
  - id: zqxleak-s1
    title: zqxleak whistleblower memo
    kind: document
    publisher: zqxleak publisher
    by: zqxleak-e1
    author: zqxleak author
    url: https://zqxleak.example/memo
    archive_url: https://web.archive.org/zqxleak
    published: 1987-06-05
    accessed: 1986-05-04
    language: sq
    reliability: B
    cites: [pub-origin]
    file: evidence/zqxleak-copy.txt
    notes: zqxleak notes
    sensitive: true
  - id: zqxleak-s2
    title: zqxleak relaying report
    cites: [pub-origin]
    files:
      - path: evidence/zqxleak-archive.html
        role: archive
        captured: 1987-06-05
      - path: evidence/zqxleak-text.txt
        role: text
    sensitive: true
claims:
  - id: pub-claim
    statement: The public claim.
    claimant: zqxleak-e1
    about: [zqxleak-e1, pub-org]
    appearance: zqxleak-s1
    verdict: false
    related:
      - {claim: zqxleak-c1, relation: refines}
    evidence:
      - source: zqxleak-s1
        stance: contradicts
        quote: zqxleak quote
        quote_original: zqxleak original
        locator: zqxleak page 4
        credibility: 3
        note: zqxleak note
      - source: pub-src
        stance: contradicts
        quote: A public quote.
      - source: pub-origin
        via: zqxleak-s2
        stance: contradicts
        quote: A public quote read in a hidden report.
        page: 4
      - source: zqxleak-s1
        via: pub-src
        stance: contradicts
        quote: zqxleak quote relayed
        page: 5
  - id: zqxleak-c1
    statement: zqxleak hidden statement
    claimant: pub-org
    about: [pub-org]
    date: 1987-06-05
    appearance: pub-src
    tags: [zqxleak-tag]
    verdict: mixed
    verdict_note: zqxleak verdict note
    sensitive: true
    evidence:
      - {source: pub-src, stance: supports, quote: zqxleak claim quote, locator: zqxleak, note: zqxleak}
    related:
      - {claim: pub-claim, relation: contradicts}
"#,
    );
    repo
}

/// Every file below `dir`, by relative path, with its text.
fn all_files(dir: &Path) -> Vec<(String, String)> {
    crate::support::tree(dir)
        .into_iter()
        .map(|(rel, bytes)| (rel, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

fn leaks(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains(MARKER)
        || lower.contains("1987-06-05")
        || lower.contains("1986-05-04")
        || lower.contains("\"sq\"")
}

#[test]
fn nothing_sensitive_reaches_the_public_site_or_export() {
    let repo = repository();
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);

    let site = repo.path().join("public-site");
    let build = corroborate(
        repo.path(),
        &["build", "--out", site.to_str().expect("utf-8")],
    );
    assert_eq!(build.code, 0, "{}", build.stderr);
    let files = all_files(&site);
    assert!(files.len() > 10);
    for (name, text) in &files {
        assert!(!leaks(name), "a file name leaks: {name}");
        assert!(!leaks(text), "{name} leaks sensitive material");
        assert!(!text.contains("Internal edition"), "{name} is public");
    }
    let export = corroborate(repo.path(), &["export"]);
    assert_eq!(export.code, 0);
    assert!(
        !leaks(&export.stdout),
        "the export leaks: {}",
        export.stdout
    );

    // The public assessment is the one computed on all the data.
    let json: serde_json::Value = serde_json::from_str(&export.stdout).expect("JSON");
    let claims = json["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 1, "the sensitive claim is left out");
    let claim = &claims[0];
    assert_eq!(claim["claimant"], "confidential-entity-1");
    assert_eq!(
        claim["about"],
        serde_json::json!(["confidential-entity-1", "pub-org"])
    );
    assert_eq!(claim["appearance"], "confidential-source-1");
    assert_eq!(claim["related"], serde_json::json!([]));
    assert_eq!(claim["balance"], "contradicted");
    assert_eq!(claim["independent"]["contradicts"], 1);
    assert_eq!(
        claim["origins"]["contradicts"],
        serde_json::json!(["pub-origin"])
    );
    let hidden_item = &claim["evidence_items"][0];
    assert_eq!(
        hidden_item,
        &serde_json::json!({"source": "confidential-source-1", "stance": "contradicts", "credibility": 3, "quote_check": {"status": "not-found"}})
    );
    // Read in a hidden source: the placeholder, no page of its copy, the check's
    // status only.
    assert_eq!(
        &claim["evidence_items"][2],
        &serde_json::json!({"source": "pub-origin", "via": "confidential-source-2", "stance": "contradicts", "quote": "A public quote read in a hidden report.", "quote_check": {"status": "not-found"}})
    );
    // A hidden source read in a public one: the public `via` stays.
    assert_eq!(
        &claim["evidence_items"][3],
        &serde_json::json!({"source": "confidential-source-1", "via": "pub-src", "stance": "contradicts", "quote_check": {"status": "unchecked"}})
    );
    assert_eq!(
        claim["channels"]["contradicts"],
        serde_json::json!(["confidential-source-1", "confidential-source-2", "pub-src"])
    );
    let sources = json["sources"].as_array().expect("sources");
    let placeholder = sources
        .iter()
        .find(|s| s["id"] == "confidential-source-1")
        .expect("placeholder");
    assert_eq!(placeholder["title"], "Confidential source");
    assert_eq!(placeholder["kind"], "document");
    assert_eq!(placeholder["reliability"], "B");
    assert_eq!(placeholder["cites"], serde_json::json!([]));
    assert_eq!(placeholder["files"], serde_json::json!([]));
    let origin = sources
        .iter()
        .find(|s| s["id"] == "pub-origin")
        .expect("origin");
    assert_eq!(
        origin["cited_by"],
        serde_json::json!([]),
        "a hidden source's citations stay hidden"
    );
    let public = sources
        .iter()
        .find(|s| s["id"] == "pub-src")
        .expect("public source");
    assert_eq!(
        public["cites"],
        serde_json::json!(["confidential-source-1"])
    );
    assert_eq!(public["by"], "confidential-entity-1");
    let entity = json["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .find(|e| e["id"] == "confidential-entity-1")
        .expect("placeholder entity");
    assert_eq!(entity["name"], "Confidential");
}

#[test]
fn include_sensitive_shows_everything_as_an_internal_edition() {
    let repo = repository();
    let site = repo.path().join("internal-site");
    let build = corroborate(
        repo.path(),
        &[
            "build",
            "--include-sensitive",
            "--out",
            site.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(build.code, 0, "{}", build.stderr);
    let files = all_files(&site);
    assert!(files.iter().any(|(name, _)| name.contains("zqxleak-c1")));
    for (name, text) in files.iter().filter(|(name, _)| name.ends_with(".html")) {
        assert!(
            text.contains("Internal edition"),
            "{name} does not say it is internal"
        );
    }
    let export = corroborate(repo.path(), &["export", "--include-sensitive"]);
    assert!(export.stdout.contains("zqxleak whistleblower memo"));
}

#[test]
fn graph_and_diff_leave_sensitive_material_out_unless_asked() {
    let repo = repository();
    for format in ["dot", "mermaid", "json"] {
        let run = corroborate(repo.path(), &["graph", "--format", format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            !leaks(&run.stdout),
            "graph --format {format} leaks: {}",
            run.stdout
        );
        assert!(run.stdout.contains("Confidential source"), "{}", run.stdout);
    }
    let all = corroborate(
        repo.path(),
        &["graph", "--format", "json", "--include-sensitive"],
    );
    assert!(all.stdout.contains("zqxleak-c1"));

    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.org",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(repo.path())
            .output()
            .expect("git runs");
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "first"]);
    let text = std::fs::read_to_string(repo.path().join("claims/data.yaml")).expect("data");
    repo.write(
        "claims/data.yaml",
        text.replace(
            "zqxleak hidden statement",
            "zqxleak changed hidden statement",
        )
        .replace("The public claim.", "The public claim, edited."),
    );
    let run = corroborate(repo.path(), &["diff", "HEAD", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!leaks(&run.stdout), "diff leaks: {}", run.stdout);
}

#[test]
fn the_internal_edition_needs_its_own_folder() {
    let repo = repository();
    let run = corroborate(repo.path(), &["build", "--include-sensitive"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("give --out for the internal edition"),
        "{}",
        run.stderr
    );
    assert!(
        !repo.path().join("site").exists(),
        "nothing was written to the published folder"
    );
    // Relative paths are taken from the repository (-C), not from where the command runs.
    let run = corroborate(
        repo.path(),
        &["build", "--include-sensitive", "--out", "internal"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(repo.path().join("internal/index.html").is_file());
}
