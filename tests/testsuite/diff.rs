//! `corroborate diff`: real git repositories in scratch folders, the three output
//! formats pinned for one change that touches everything a diff reports, two revisions,
//! a research repository in a subfolder of the git repository, and the failures.

use crate::support::{Run, Scratch, corroborate, expect_file, fixture};
use std::path::Path;
use std::process::Command;

/// Runs git in `dir` with a fixed identity and dates and without the user's own
/// settings, so that commits are the same on every machine.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git is installed");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn commit_all(dir: &Path, message: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

fn version(which: &str) -> String {
    std::fs::read_to_string(fixture("diff").join(which).join("case.yaml")).expect("fixture")
}

/// A git repository whose last commit holds `before/` and whose working tree holds
/// `after/`; returns the commit.
fn changed_repository(repo: &Scratch, research: &str) -> String {
    git(repo.path(), &["init", "-q"]);
    let data = format!("{research}claims/case.yaml");
    repo.write(&data, version("before"));
    let commit = commit_all(repo.path(), "before");
    repo.write(&data, version("after"));
    commit
}

fn diff(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    corroborate(dir, &all)
}

fn ok(run: Run) -> String {
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    run.stdout
}

/// Output with a commit hash replaced by a name, since hashes depend on git's version
/// of the commit format.
fn placeholder(out: &str, commit: &str, name: &str) -> String {
    out.replace(commit, &name.to_uppercase())
        .replace(&commit[..7], name)
}

#[test]
fn changes_against_the_last_commit_in_three_formats() {
    let repo = Scratch::new();
    let commit = changed_repository(&repo, "");
    let expected = fixture("diff");
    for (format, file) in [
        ("text", "diff.txt"),
        ("markdown", "diff.md"),
        ("json", "diff.json"),
    ] {
        let out = ok(diff(repo.path(), &["HEAD", "--format", format]));
        expect_file(&expected.join(file), &placeholder(&out, &commit, "before"));
    }
    assert_eq!(
        ok(diff(repo.path(), &["HEAD"])),
        ok(diff(repo.path(), &["HEAD", "--format", "text"])),
        "text is the default"
    );
}

/// The JSON output without the two `before`/`after` states.
fn changes_only(json: &str) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let object = value.as_object_mut().expect("an object");
    object.remove("before");
    object.remove("after");
    value
}

#[test]
fn two_revisions_compare_as_a_revision_and_the_working_tree_do() {
    let repo = Scratch::new();
    let first = changed_repository(&repo, "");
    let against_tree = ok(diff(repo.path(), &["HEAD", "--format", "json"]));
    let second = commit_all(repo.path(), "after");
    let between = ok(diff(repo.path(), &[&first, "HEAD", "--format", "json"]));
    assert_eq!(changes_only(&between), changes_only(&against_tree));
    let states: serde_json::Value = serde_json::from_str(&between).expect("JSON");
    assert_eq!(
        (&states["before"], &states["after"]),
        (
            &serde_json::json!({"revision": first, "commit": first}),
            &serde_json::json!({"revision": "HEAD", "commit": second})
        )
    );
    // Backwards, every addition is a removal.
    let reverse = ok(diff(repo.path(), &["HEAD", "HEAD~1", "--format", "json"]));
    let reverse: serde_json::Value = serde_json::from_str(&reverse).expect("JSON");
    assert_eq!(reverse["claims"]["removed"][0]["id"], "new-claim");
    assert_eq!(reverse["claims"]["added"][0]["id"], "old-claim");
    // The working tree is HEAD now.
    assert_eq!(
        ok(diff(repo.path(), &["HEAD"])),
        format!(
            "no differences between HEAD ({}) and the working tree: the same claims, sources, entities, evidence and assessments\n",
            &second[..7]
        )
    );
    assert_eq!(
        ok(diff(repo.path(), &["HEAD", "--format", "markdown"])),
        format!(
            "## corroborate: changes from `HEAD` ({}) to the working tree\n\nNo differences in claims, sources, entities, evidence or assessments.\n",
            &second[..7]
        )
    );
}

#[test]
fn a_research_repository_in_a_subfolder_of_the_git_repository() {
    let repo = Scratch::new();
    // Data at the top of the git repository that must not be read: it has errors.
    repo.write("claims/broken.yaml", "claims:\n  - id: Not An Id\n");
    repo.write("README.md", "the research is in research/\n");
    let commit = changed_repository(&repo, "research/");
    let research = repo.path().join("research");
    let json = ok(diff(&research, &["HEAD", "--format", "json"]));
    let pinned = std::fs::read_to_string(fixture("diff").join("diff.json")).expect("pinned");
    assert_eq!(changes_only(&json), changes_only(&pinned));
    assert!(json.contains(&commit), "{json}");
    // From deeper inside, it is still that folder of the git repository that is read.
    std::fs::create_dir_all(research.join("claims/sub")).expect("folder");
    let run = diff(&research.join("claims"), &["HEAD"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: cannot read the repository in the working tree: no data folder `claims` in "
        ),
        "claims/ is not a research repository: {}",
        run.stderr
    );
}

#[test]
fn a_folder_that_did_not_exist_at_the_revision_is_named() {
    let repo = Scratch::new();
    git(repo.path(), &["init", "-q"]);
    repo.write("README.md", "nothing yet\n");
    commit_all(repo.path(), "first");
    repo.write("research/claims/case.yaml", version("after"));
    let run = diff(&repo.path().join("research"), &["HEAD"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: the folder `research` of the git repository did not exist at revision `HEAD`, so there is nothing to compare there\n"
    );
    // At the top of the git repository, the data folder is what is missing.
    repo.write("claims/case.yaml", version("after"));
    let run = diff(repo.path(), &["HEAD"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: cannot read the repository at revision HEAD (")
            && run
                .stderr
                .contains("): no data folder `claims` in the repository (create it"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("corroborate-revision"),
        "{}",
        run.stderr
    );
}

#[test]
fn data_errors_on_either_side_stop_the_diff() {
    let repo = Scratch::new();
    git(repo.path(), &["init", "-q"]);
    repo.write(
        "claims/case.yaml",
        version("before").replace("source: blog", "source: blgo"),
    );
    let broken = commit_all(repo.path(), "broken");
    repo.write("claims/case.yaml", version("before"));
    let run = diff(repo.path(), &["HEAD"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with(
            "error[unknown-reference]: no source has the id `blgo`; did you mean `blog`?\n  --> claims/case.yaml:32:17\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with(&format!(
            "diff stopped: the data at revision HEAD ({}) has 1 error(s); fix them (or compare other revisions) and run it again\n",
            &broken[..7]
        )),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("/tmp"),
        "no temporary paths: {}",
        run.stderr
    );

    // And the other way round: the working tree is broken.
    commit_all(repo.path(), "fixed");
    repo.write("claims/case.yaml", "claims:\n  - id: x\n");
    let run = diff(repo.path(), &["HEAD"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("error[missing-field]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("diff stopped: the data in the working tree has 1 error(s); fix them (or compare other revisions) and run it again\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn outside_a_git_repository_the_diff_says_so() {
    let repo = Scratch::new();
    repo.write("claims/case.yaml", version("before"));
    let run = diff(repo.path(), &["HEAD"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "error: {} is not in a git repository; `corroborate diff` compares revisions that git keeps, so commit the repository to git first (git init, git add, git commit)\n",
            repo.path().display()
        )
    );
}

#[test]
fn an_unknown_revision_is_named() {
    let repo = Scratch::new();
    changed_repository(&repo, "");
    for args in [&["no-such-branch"][..], &["HEAD", "no-such-branch"]] {
        let run = diff(repo.path(), args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(
            run.stderr,
            "error: unknown revision `no-such-branch`: git has no commit by that name here; name a commit hash, a branch, a tag or something like HEAD~1 (`git log --oneline` lists commits)\n"
        );
    }
    let run = diff(repo.path(), &["--", "-p"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: `-p` is not a revision"),
        "{}",
        run.stderr
    );
}

#[test]
fn without_git_the_diff_says_what_is_missing() {
    let repo = Scratch::new();
    repo.write("claims/case.yaml", version("before"));
    let output = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(repo.path())
        .args(["diff", "HEAD"])
        .env("PATH", "")
        .output()
        .expect("the corroborate binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: git is not installed (or not on PATH); `corroborate diff` needs it to read past revisions\n"
    );
}

#[test]
fn temporary_folders_are_removed() {
    let repo = Scratch::new();
    changed_repository(&repo, "");
    let private_tmp = Scratch::new();
    let output = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(repo.path())
        .args(["diff", "HEAD", "HEAD"])
        .env("TMPDIR", private_tmp.path())
        .output()
        .expect("the corroborate binary runs");
    assert_eq!(output.status.code(), Some(0));
    let left: Vec<_> = std::fs::read_dir(private_tmp.path())
        .expect("folder")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_commit_named_by_its_message_is_compared() {
    let repo = Scratch::new();
    let commit = changed_repository(&repo, "");
    commit_all(repo.path(), "after");
    let json = ok(diff(repo.path(), &[":/before", "--format", "json"]));
    let states: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        states["before"],
        serde_json::json!({"revision": ":/before", "commit": commit})
    );
    let pinned = std::fs::read_to_string(fixture("diff").join("diff.json")).expect("pinned");
    assert_eq!(changes_only(&json), changes_only(&pinned));
    // `:/` searches every message; the newest commit that matches is taken.
    let run = diff(repo.path(), &[":/no such message"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: unknown revision `:/no such message`"),
        "{}",
        run.stderr
    );
}

/// A repository whose revision holds a source's local copy and files the check never
/// reads; returns the commit.
fn repository_with_unrelated_files(repo: &Scratch) -> String {
    git(repo.path(), &["init", "-q"]);
    repo.write("corroborate.yaml", "data: research\n");
    repo.write(
        "research/case.yaml",
        "sources:\n  - {id: s, title: The source, file: evidence/copy.txt}\nclaims:\n  - id: c\n    statement: A claim.\n    evidence: [{source: s, stance: supports, quote: q}]\n",
    );
    repo.write("evidence/copy.txt", "the copy\n");
    repo.write("evidence/unrelated.txt", "not named by any source\n");
    repo.write("videos/interview.bin", vec![0u8; 256 * 1024]);
    repo.write("README.md", "notes\n");
    commit_all(repo.path(), "first")
}

/// Starts `corroborate diff HEAD` with its temporary folders in `tmp`, paused (a
/// debug-build hook) once the revision is written out. Its standard error is returned
/// too, to stay open while it runs.
fn paused_diff(repo: &Path, tmp: &Path) -> (std::process::Child, impl Sized) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(repo)
        .args(["diff", "HEAD"])
        .env("TMPDIR", tmp)
        .env("CORROBORATE_TEST_PAUSE_DIFF", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the corroborate binary runs");
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("stderr");
    assert!(
        line.starts_with("paused"),
        "the diff did not pause: {line:?}"
    );
    (child, stderr)
}

#[cfg(unix)]
#[test]
fn the_copy_of_a_revision_is_private_and_holds_only_what_the_check_reads() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Scratch::new();
    repository_with_unrelated_files(&repo);
    let tmp = Scratch::new();
    let (mut child, _stderr) = paused_diff(repo.path(), tmp.path());
    let folders: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let copy = &folders[0];
    let mode = std::fs::metadata(copy).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    assert_eq!(
        crate::durability::snapshot(copy)
            .into_keys()
            .collect::<Vec<_>>(),
        [
            "corroborate.yaml",
            "evidence/copy.txt",
            "research/case.yaml"
        ]
    );
    child.kill().expect("killed");
    let _ = child.wait();
    // And the comparison itself finds the local copy at the revision.
    assert_eq!(
        ok(diff(repo.path(), &["HEAD"])).lines().next(),
        Some(
            format!(
                "no differences between HEAD ({}) and the working tree: the same claims, sources, entities, evidence and assessments",
                &git(repo.path(), &["rev-parse", "HEAD"])[..7]
            )
            .as_str()
        )
    );
}

#[cfg(unix)]
#[test]
fn links_in_the_data_folder_are_followed_at_the_revision_too() {
    let repo = Scratch::new();
    git(repo.path(), &["init", "-q"]);
    repo.write("shared/case.yaml", version("before"));
    std::fs::create_dir(repo.path().join("claims")).expect("folder");
    std::os::unix::fs::symlink("../shared/case.yaml", repo.path().join("claims/case.yaml"))
        .expect("link");
    std::os::unix::fs::symlink("shared", repo.path().join("data")).expect("link");
    commit_all(repo.path(), "linked");
    repo.write("shared/case.yaml", version("after"));
    let json = ok(diff(repo.path(), &["HEAD", "--format", "json"]));
    let pinned = std::fs::read_to_string(fixture("diff").join("diff.json")).expect("pinned");
    assert_eq!(changes_only(&json), changes_only(&pinned));
    // The data folder itself a link.
    repo.write("corroborate.yaml", "data: data\n");
    repo.write("shared/case.yaml", version("before"));
    commit_all(repo.path(), "data through a link");
    repo.write("shared/case.yaml", version("after"));
    let json = ok(diff(repo.path(), &["HEAD", "--format", "json"]));
    assert_eq!(changes_only(&json), changes_only(&pinned));
}

#[cfg(unix)]
#[test]
fn the_copy_of_a_revision_is_removed_on_ctrl_c_and_sigterm() {
    let repo = Scratch::new();
    repository_with_unrelated_files(&repo);
    for (signal, code) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
        let tmp = Scratch::new();
        let (mut child, _stderr) = paused_diff(repo.path(), tmp.path());
        assert_eq!(std::fs::read_dir(tmp.path()).expect("folder").count(), 1);
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let status = child.wait().expect("ends");
        assert_eq!(status.code(), Some(code), "SIG{signal}: {status:?}");
        let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("folder").collect();
        assert!(left.is_empty(), "SIG{signal}: {left:?}");
    }
}

#[test]
fn help_has_examples_and_exit_codes() {
    let run = corroborate(Path::new("."), &["diff", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Examples:"), "{}", run.stdout);
    assert!(run.stdout.contains("Exit codes: 0"), "{}", run.stdout);
}
