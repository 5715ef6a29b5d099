//! Incremental builds: a build that carries unchanged pages over from the previous
//! site must give, byte for byte, the site a clean build gives, after every kind of
//! edit; and it must really carry pages over (the same file, not a rewrite).

use crate::support::{Scratch, corroborate, tree};
use std::path::Path;

/// A case where one source is shown on many pages, with claims in two files.
fn write_case(repo: &Scratch) {
    let mut first = String::from(
        "entities:\n  - {id: org, name: The Org}\nsources:\n  - {id: shared, title: The shared report, by: org}\n  - {id: root, title: Root document}\n  - {id: mid, title: Middle report, cites: [root]}\nclaims:\n",
    );
    for i in 0..12 {
        first.push_str(&format!(
            "  - id: c{i:02}\n    statement: Claim {i}.\n    claimant: org\n    evidence:\n      - {{source: shared, stance: supports, quote: q{i}}}\n"
        ));
    }
    first.push_str("  - id: deep\n    statement: A claim on the chain.\n    evidence: [{source: mid, stance: contradicts, quote: q}]\n");
    repo.write("claims/a.yaml", first);
    repo.write(
        "claims/b.yaml",
        "sources:\n  - {id: lone, title: Lone source}\nclaims:\n  - id: other\n    statement: Another claim.\n    evidence: [{source: lone, stance: supports, quote: q}]\n  - id: gone\n    statement: A claim to delete.\n    evidence: [{source: lone, stance: context, quote: q}]\n",
    );
}

fn build(repo: &Path, out: &Path) -> String {
    let run = corroborate(repo, &["build", "--out", out.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    run.stderr
}

fn edit(repo: &Scratch, rel: &str, from: &str, to: &str) {
    let path = repo.path().join(rel);
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains(from), "{rel} has no {from:?}");
    repo.write(rel, text.replacen(from, to, 1));
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).expect("page").ino()
}

#[test]
fn an_incremental_build_is_the_clean_build_after_every_kind_of_edit() {
    let repo = Scratch::new();
    write_case(&repo);
    let site = repo.path().join("site");
    let first = build(repo.path(), &site);
    assert!(
        !first.contains("rendered"),
        "a first build renders all: {first}"
    );
    let again = build(repo.path(), &site);
    assert!(
        again.contains("rendered, the rest unchanged"),
        "nothing changed, so pages are carried over: {again}"
    );

    type Edit = Box<dyn Fn(&Scratch)>;
    let edits: Vec<(&str, Edit, bool)> = vec![
        (
            "one claim's text",
            Box::new(|r| edit(r, "claims/a.yaml", "Claim 3.", "Claim 3, edited.")),
            true,
        ),
        (
            "a source title shown on many pages",
            Box::new(|r| edit(r, "claims/a.yaml", "The shared report", "The report")),
            true,
        ),
        (
            "a source deep in a citation chain",
            Box::new(|r| edit(r, "claims/a.yaml", "Root document", "Root papers")),
            true,
        ),
        (
            "a deleted claim",
            Box::new(|r| {
                edit(
                    r,
                    "claims/b.yaml",
                    "  - id: gone\n    statement: A claim to delete.\n    evidence: [{source: lone, stance: context, quote: q}]\n",
                    "",
                )
            }),
            true,
        ),
        (
            "a new file",
            Box::new(|r| {
                r.write(
                    "claims/c.yaml",
                    "claims:\n  - id: new\n    statement: A new claim.\n    claimant: org\n    evidence: [{source: lone, stance: supports, quote: q}]\n",
                );
            }),
            true,
        ),
        (
            "a template",
            Box::new(|r| {
                r.write(
                    "templates/claim.html",
                    "{% extends \"builtin/claim.html\" %}{% block title %}T {{ claim.statement }}{% endblock %}",
                );
            }),
            false,
        ),
        (
            "the settings",
            Box::new(|r| {
                r.write("corroborate.yaml", "title: A new title\n");
            }),
            false,
        ),
        ("a page of the site edited by hand", Box::new(|_| {}), true),
    ];
    for (round, (what, apply, some_carried)) in edits.into_iter().enumerate() {
        apply(&repo);
        if what == "a page of the site edited by hand" {
            std::fs::write(site.join("claims/c00.html"), "tampered").expect("written");
        }
        #[cfg(unix)]
        let before = inode(&site.join("claims/c07.html"));
        let said = build(repo.path(), &site);
        let clean = repo.path().join(format!("clean-{round}"));
        build(repo.path(), &clean);
        let (incremental, reference) = (tree(&site), tree(&clean));
        assert_eq!(
            incremental.keys().collect::<Vec<_>>(),
            reference.keys().collect::<Vec<_>>(),
            "after {what}, the files differ"
        );
        for (name, bytes) in &reference {
            assert!(
                &incremental[name] == bytes,
                "after {what}, {name} differs from a clean build's"
            );
        }
        assert_eq!(
            said.contains("rendered, the rest unchanged"),
            some_carried,
            "after {what}: {said}"
        );
        // An unchanged page is the previous site's own file, linked, not rewritten.
        #[cfg(unix)]
        if what == "one claim's text" {
            assert_eq!(before, inode(&site.join("claims/c07.html")), "{what}");
        }
    }
}

/// A build killed while it carries pages over leaves the previous site as it was, and
/// the next build is still the clean build.
#[test]
fn a_build_killed_while_carrying_pages_over_loses_nothing() {
    let repo = Scratch::new();
    let mut yaml = String::from("sources:\n  - {id: s, title: The source}\nclaims:\n");
    for i in 0..1500 {
        yaml.push_str(&format!("  - id: c{i:05}\n    statement: Claim {i}.\n    evidence: [{{source: s, stance: supports, quote: q}}]\n"));
    }
    repo.write("claims/x.yaml", &yaml);
    let site = repo.path().join("site");
    build(repo.path(), &site);
    let mut versions = vec![tree(&site)];
    let mut killed = 0;
    for (round, delay_ms) in [0u64, 20, 50, 100, 150, 250, 400].into_iter().enumerate() {
        // One claim changes each time: all the other pages are carried over.
        repo.write(
            "claims/x.yaml",
            yaml.replacen("Claim 7.", &format!("Claim 7, round {round}."), 1),
        );
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_corroborate"))
            .arg("-C")
            .arg(repo.path())
            .args(["build", "--out"])
            .arg(&site)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("build starts");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        if child.try_wait().expect("status").is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&site);
        let clean = repo.path().join(format!("clean-{round}"));
        build(repo.path(), &clean);
        let new = tree(&clean);
        assert!(
            versions.contains(&now) || now == new,
            "after a kill at {delay_ms} ms the site is neither the previous one nor the new one"
        );
        versions.push(new);
        std::fs::remove_dir_all(&clean).expect("removed");
    }
    assert!(
        killed >= 2,
        "the test must really interrupt builds ({killed})"
    );
    build(repo.path(), &site);
    let clean = repo.path().join("clean");
    build(repo.path(), &clean);
    assert!(
        tree(&site) == tree(&clean),
        "the next build is the clean one"
    );
}
