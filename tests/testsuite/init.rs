//! `corroborate init`: a new repository passes `check` and `build` at once, and init
//! never overwrites anything.

use crate::support::{Scratch, corroborate};

#[test]
fn a_new_repository_checks_and_builds_cleanly() {
    let dir = Scratch::new();
    let run = corroborate(dir.path(), &["init", "case"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let case = dir.path().join("case");
    let check = corroborate(&case, &["check", "--format", "json", "--deny-warnings"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (0, "[]\n"),
        "no errors and no warnings"
    );
    let build = corroborate(&case, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        case.join("site/claims/acme-only-sells-cameras.html")
            .is_file()
    );
    let gitignore = std::fs::read_to_string(case.join(".gitignore")).expect(".gitignore");
    assert!(gitignore.lines().any(|l| l == "/site/"));
    // Every data file names its schema for the YAML language server, and the schema is there.
    let example = std::fs::read_to_string(case.join("claims/example.yaml")).expect("example");
    assert!(example.starts_with("# yaml-language-server: $schema=../schemas/data.schema.json\n"));
    let settings = std::fs::read_to_string(case.join("corroborate.yaml")).expect("settings");
    assert!(
        settings.starts_with("# yaml-language-server: $schema=schemas/corroborate.schema.json\n")
    );
    let schema = corroborate(dir.path(), &["schema"]).stdout;
    assert_eq!(
        std::fs::read_to_string(case.join("schemas/data.schema.json")).expect("schema"),
        schema
    );
}

#[test]
fn the_workflow_checks_pull_requests_and_publishes_main() {
    let dir = Scratch::new();
    assert_eq!(corroborate(dir.path(), &["init"]).code, 0);
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/corroborate.yml"))
        .expect("workflow");
    let workflow: serde_json::Value =
        serde_saphyr::from_str(&text).expect("the workflow is valid YAML");
    assert!(
        workflow["on"]["pull_request"].is_null() && workflow["on"].get("pull_request").is_some()
    );
    let steps = |job: &str| -> Vec<String> {
        workflow["jobs"][job]["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(steps("check").contains(&"corroborate check --format github".to_owned()));
    assert!(steps("publish").contains(&"corroborate build --out site".to_owned()));
    assert_eq!(
        workflow["jobs"]["publish"]["if"],
        "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    );
    let uses: Vec<&str> = workflow["jobs"]["publish"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(uses.contains(&"actions/deploy-pages@v4"));
}

#[test]
fn init_never_overwrites() {
    let dir = Scratch::new();
    dir.write("corroborate.yaml", "title: Mine\n");
    let run = corroborate(dir.path(), &["init"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("already has corroborate.yaml"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("corroborate.yaml")).expect("kept"),
        "title: Mine\n"
    );
    assert!(
        !dir.path().join("claims").exists(),
        "nothing else was written"
    );
}
