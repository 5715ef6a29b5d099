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
fn the_workflow_checks_pull_requests_and_publishes_main_through_the_action() {
    let dir = Scratch::new();
    let run = corroborate(
        dir.path(),
        &["init", "--action", "my-org/corroborate@v0.1.0"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/corroborate.yml"))
        .expect("workflow");
    assert!(!text.contains("cargo install"), "{text}");
    let workflow: serde_json::Value =
        serde_saphyr::from_str(&text).expect("the workflow is valid YAML");
    assert!(
        workflow["on"]["pull_request"].is_null() && workflow["on"].get("pull_request").is_some()
    );
    let action_steps = |job: &str| -> Vec<(String, String)> {
        workflow["jobs"][job]["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter(|s| s["uses"] == "my-org/corroborate@v0.1.0")
            .map(|s| {
                (
                    s["with"]["command"].as_str().unwrap_or_default().to_owned(),
                    s["with"]["out"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(action_steps("check"), [("check".to_owned(), String::new())]);
    assert_eq!(
        action_steps("publish"),
        [("build".to_owned(), "site".to_owned())]
    );
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
    // The previous report is restored before the build.
    assert!(uses.contains(&"actions/cache@v4"));
    // Once a week the links are asked on the web, and one issue says what is broken;
    // the check and the publishing do not run then.
    assert_eq!(workflow["on"]["schedule"][0]["cron"], "23 5 * * 1");
    assert_eq!(action_steps("links"), [("links".to_owned(), String::new())]);
    assert_eq!(
        workflow["jobs"]["links"]["if"],
        "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'"
    );
    assert_eq!(
        workflow["jobs"]["check"]["if"],
        "github.event_name != 'schedule'"
    );
    assert_eq!(workflow["jobs"]["links"]["permissions"]["issues"], "write");
    let issue_step = &workflow["jobs"]["links"]["steps"][2];
    assert_eq!(
        issue_step["env"]["BROKEN"],
        "${{ steps.links.outputs.links-broken }}"
    );
    let script = issue_step["run"].as_str().expect("a script");
    assert!(
        script.contains("gh issue create")
            && script.contains("gh issue edit")
            && script.contains("gh issue close"),
        "{script}"
    );
}

#[test]
fn without_an_action_the_workflow_says_what_to_put_there() {
    let dir = Scratch::new();
    let run = corroborate(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("--action OWNER/REPO@REF"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/corroborate.yml"))
        .expect("workflow");
    assert!(!text.contains("cargo install"), "{text}");
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
    for job in ["check", "publish"] {
        let runs: Vec<&str> = workflow["jobs"][job]["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter_map(|s| s["run"].as_str())
            .collect();
        assert!(
            runs.iter()
                .any(|r| r.contains("::error title=corroborate::")
                    && r.contains("uses: OWNER/REPO@REF")
                    && r.ends_with("exit 1\n")),
            "{job}: {runs:?}"
        );
    }
}

#[test]
fn a_bad_action_reference_is_a_usage_error_and_writes_nothing() {
    let dir = Scratch::new();
    let run = corroborate(
        dir.path(),
        &["init", "case", "--action", "my-org/corroborate"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("OWNER/REPO@REF"), "{}", run.stderr);
    assert!(!dir.path().join("case").exists());
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
