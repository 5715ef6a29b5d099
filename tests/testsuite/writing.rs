//! Writing only where it should: the `output` setting cannot reach another case's
//! site (by `..`, an absolute path or a link), while `--out` may point anywhere; and
//! `templates` and `init` never write through a link, checking every file before
//! writing any.

use crate::durability::snapshot as files;
use crate::support::{Scratch, corroborate};
use std::collections::BTreeMap;

const DATA: &str = "sources:\n  - {id: s, title: The source}\nclaims:\n  - id: c\n    statement: A claim.\n    evidence: [{source: s, stance: supports, quote: q}]\n";

/// Two cases side by side in one folder, the second with a published site.
fn two_cases() -> Scratch {
    let cases = Scratch::new();
    cases.write("case-a/claims/x.yaml", DATA);
    cases.write("case-b/claims/x.yaml", DATA.replace("A claim", "Case B"));
    let built = corroborate(&cases.path().join("case-b"), &["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    cases
}

#[test]
fn an_output_setting_outside_the_repository_is_refused() {
    let cases = two_cases();
    let published = files(&cases.path().join("case-b"));
    let outside = Scratch::new();
    let absolute = outside.path().join("site");
    for setting in [
        "../case-b/site".to_owned(),
        "sub/../../case-b/site".to_owned(),
        absolute.display().to_string(),
        ".".to_owned(),
    ] {
        cases.write("case-a/corroborate.yaml", format!("output: '{setting}'\n"));
        let run = corroborate(&cases.path().join("case-a"), &["build"]);
        // The runtime refusal exits 2; a check-time diagnostic on the setting (data
        // error, 1) may come first for the values that are visibly wrong.
        assert!(
            run.code == 1 || run.code == 2,
            "{setting}: {} {}",
            run.code,
            run.stderr
        );
        assert!(run.stderr.contains("`output`"), "{setting}: {}", run.stderr);
        assert_eq!(
            files(&cases.path().join("case-b")),
            published,
            "{setting}: the other case's site is untouched"
        );
        assert!(!absolute.exists(), "{setting}");
        assert!(!cases.path().join("case-a/sub").exists(), "{setting}");
        let siblings: Vec<_> = std::fs::read_dir(cases.path())
            .expect("folder")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(siblings.len(), 2, "{setting}: {siblings:?}");
    }
}

#[cfg(unix)]
#[test]
fn an_output_setting_that_leads_outside_through_a_link_is_refused() {
    let cases = two_cases();
    let published = files(&cases.path().join("case-b"));
    std::os::unix::fs::symlink("../case-b", cases.path().join("case-a/sub")).expect("link");
    cases.write("case-a/corroborate.yaml", "output: sub/site\n");
    let run = corroborate(&cases.path().join("case-a"), &["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: the `output` setting (`sub/site`) in corroborate.yaml leads outside the repository"),
        "{}",
        run.stderr
    );
    assert_eq!(files(&cases.path().join("case-b")), published);

    // A link that stays inside the repository is fine.
    std::fs::remove_file(cases.path().join("case-a/sub")).expect("unlink");
    std::fs::create_dir(cases.path().join("case-a/public")).expect("folder");
    std::os::unix::fs::symlink("public", cases.path().join("case-a/sub")).expect("link");
    let run = corroborate(&cases.path().join("case-a"), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(cases.path().join("case-a/public/site/index.html").is_file());
}

#[test]
fn out_on_the_command_line_may_point_anywhere() {
    let cases = two_cases();
    let run = corroborate(
        &cases.path().join("case-a"),
        &["build", "--out", "../elsewhere"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(cases.path().join("elsewhere/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn templates_never_write_through_a_dangling_link() {
    let repo = Scratch::new();
    let outside = Scratch::new();
    let marker = outside.path().join("marker.html");
    std::fs::create_dir(repo.path().join("templates")).expect("folder");
    std::os::unix::fs::symlink(&marker, repo.path().join("templates/base.html")).expect("link");
    let run = corroborate(repo.path(), &["templates"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("already has base.html") && run.stderr.contains("nothing was written"),
        "{}",
        run.stderr
    );
    assert!(!marker.exists(), "nothing was written outside");
    let names: Vec<_> = std::fs::read_dir(repo.path().join("templates"))
        .expect("folder")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["base.html"], "nothing half-written");
}

#[cfg(unix)]
#[test]
fn the_templates_setting_cannot_lead_outside_through_a_link() {
    let repo = Scratch::new();
    let outside = Scratch::new();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("templates")).expect("link");
    let run = corroborate(repo.path(), &["templates"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: the `templates` setting (`templates`) in corroborate.yaml leads outside the repository"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(files(outside.path()), BTreeMap::new());
    // With --out the user says where, on purpose.
    let run = corroborate(
        repo.path(),
        &["templates", "--out", &outside.path().display().to_string()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(outside.path().join("base.html").is_file());
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_dangling_link() {
    let repo = Scratch::new();
    let outside = Scratch::new();
    let marker = outside.path().join("marker");
    std::os::unix::fs::symlink(&marker, repo.path().join(".gitignore")).expect("link");
    let run = corroborate(repo.path(), &["init"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("already has .gitignore"),
        "{}",
        run.stderr
    );
    assert!(!marker.exists(), "nothing was written outside");
    assert_eq!(
        files(repo.path()).into_keys().collect::<Vec<_>>(),
        [".gitignore"],
        "nothing else was written"
    );
}

#[cfg(unix)]
#[test]
fn init_never_writes_into_a_folder_that_leads_outside() {
    let repo = Scratch::new();
    let outside = Scratch::new();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("claims")).expect("link");
    let run = corroborate(repo.path(), &["init"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("claims") && run.stderr.contains("leads outside"),
        "{}",
        run.stderr
    );
    assert_eq!(files(outside.path()), BTreeMap::new());
    assert!(!repo.path().join("corroborate.yaml").exists());
}
