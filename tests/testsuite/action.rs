//! The way into CI: `action.yml` and the workflows follow GitHub's schemas (SchemaStore's,
//! vendored in `tests/schemas/schemastore`), and the action's shell steps, run in order
//! with the variables a GitHub runner sets, install corroborate, check and build.

use crate::support::{Scratch, corroborate};
use serde_json::Value;
use sha2::Digest as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema = here().join("tests/schemas/schemastore").join(name);
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&schema).expect("schema")).expect("JSON");
    jsonschema::draft7::new(&schema).expect("a valid draft-07 schema")
}

fn assert_valid(validator: &jsonschema::Validator, path: &Path) {
    let value = yaml(path);
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
}

#[test]
fn the_action_and_the_workflows_follow_githubs_schemas() {
    assert_valid(&validator("github-action.json"), &here().join("action.yml"));
    let workflows = validator("github-workflow.json");
    assert_valid(&workflows, &here().join(".github/workflows/release.yml"));
    for args in [
        &["init", "case"][..],
        &["init", "case", "--action", "my-org/corroborate@v0.1.0"][..],
    ] {
        let dir = Scratch::new();
        let run = corroborate(dir.path(), args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_valid(
            &workflows,
            &dir.path().join("case/.github/workflows/corroborate.yml"),
        );
    }
    // The schemas do say no: a workflow without jobs is refused.
    let dir = Scratch::new();
    dir.write("w.yml", "on: push\n");
    assert!(!workflows.is_valid(&yaml(&dir.path().join("w.yml"))));
}

/// A GitHub runner, as far as a composite action's `run` steps see it.
struct Runner {
    temp: tempfile::TempDir,
    action: PathBuf,
    workspace: PathBuf,
    inputs: BTreeMap<String, String>,
    path: Vec<PathBuf>,
    env: Vec<(String, String)>,
}

/// What one step did.
struct Ran {
    name: String,
    code: i32,
    output: String,
}

impl Runner {
    /// Makes the install step fetch releases from `folder` (as the tests' stand-in for
    /// the action repository's GitHub releases) instead of the network.
    fn releases_from(&mut self, folder: &Path) {
        self.env.push((
            "CORROBORATE_RELEASES".to_owned(),
            format!("file://{}", folder.display()),
        ));
    }

    fn new(action: &Path, workspace: &Path, inputs: &[(&str, &str)]) -> Runner {
        let manifest = yaml(&action.join("action.yml"));
        let mut all = BTreeMap::new();
        for (name, input) in manifest["inputs"].as_object().expect("inputs") {
            let default = input["default"].as_str().unwrap_or_default();
            all.insert(name.clone(), default.to_owned());
        }
        for (name, value) in inputs {
            assert!(all.contains_key(*name), "the action has no input {name}");
            all.insert((*name).to_owned(), (*value).to_owned());
        }
        Runner {
            temp: tempfile::tempdir().expect("runner temp"),
            action: action.to_owned(),
            workspace: workspace.to_owned(),
            inputs: all,
            path: Vec::new(),
            env: Vec::new(),
        }
    }

    /// `${{ ... }}` as GitHub expands it, for the few expressions the action uses.
    fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            out.push_str(&self.value(rest[start + 3..end].trim()));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn value(&self, expression: &str) -> String {
        if let Some(name) = expression.strip_prefix("inputs.") {
            return self.inputs[name].clone();
        }
        match expression {
            "runner.temp" => self.temp.path().display().to_string(),
            "runner.os" => "Linux".to_owned(),
            "runner.arch" => "X64".to_owned(),
            "github.action_repository" => "my-org/corroborate".to_owned(),
            "github.action_ref" => "v0.1.0".to_owned(),
            "github.action_path" => self.action.display().to_string(),
            other => panic!("the test runner does not know `{other}`"),
        }
    }

    /// An `if:` of the forms the action uses: `inputs.X == 'v'` terms joined by `||`
    /// or `&&` (not both in one condition).
    fn holds(&self, condition: &str) -> bool {
        let term = |t: &str| {
            let (left, right, equal) = match t.split_once("==") {
                Some((l, r)) => (l, r, true),
                None => {
                    let (l, r) = t.split_once("!=").expect("a comparison");
                    (l, r, false)
                }
            };
            let value = self.value(left.trim());
            let literal = right.trim().trim_matches('\'');
            (value == literal) == equal
        };
        if condition.contains("&&") {
            condition.split("&&").all(term)
        } else {
            condition.split("||").any(term)
        }
    }

    /// Runs the action's steps in order as a runner does, `uses:` steps (GitHub's own
    /// actions, such as the cache) left out; stops at the first that fails.
    fn run(&mut self) -> Vec<Ran> {
        let manifest = yaml(&self.action.join("action.yml"));
        assert_eq!(manifest["runs"]["using"], "composite");
        let github_path = self.temp.path().join("github_path");
        let github_output = self.temp.path().join("github_output");
        let mut ran = Vec::new();
        for step in manifest["runs"]["steps"].as_array().expect("steps") {
            if step.get("uses").is_some() {
                continue;
            }
            if let Some(condition) = step["if"].as_str()
                && !self.holds(condition)
            {
                continue;
            }
            assert_eq!(step["shell"], "bash", "every run step names its shell");
            let script = self.temp.path().join("step.sh");
            std::fs::write(&script, step["run"].as_str().expect("run")).expect("script");
            let dir = match step["working-directory"].as_str() {
                Some(dir) => self.workspace.join(self.expand(dir)),
                None => self.workspace.clone(),
            };
            let system_path = std::env::var_os("PATH").unwrap_or_default();
            let path = std::env::join_paths(
                self.path
                    .iter()
                    .cloned()
                    .chain(std::env::split_paths(&system_path)),
            )
            .expect("PATH");
            let mut command = Command::new("bash");
            command
                .args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&script)
                .current_dir(&dir)
                .env("PATH", path)
                .env("CI", "true")
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_ACTION_PATH", &self.action)
                .env("GITHUB_WORKSPACE", &self.workspace)
                .env("GITHUB_PATH", &github_path)
                .env("GITHUB_OUTPUT", &github_output)
                .env("RUNNER_OS", "Linux")
                .env("RUNNER_ARCH", "X64")
                .env("RUNNER_TEMP", self.temp.path())
                .env("NO_COLOR", "1");
            for (name, value) in &self.env {
                command.env(name, value);
            }
            if let Some(env) = step["env"].as_object() {
                for (name, value) in env {
                    command.env(name, self.expand(value.as_str().expect("env value")));
                }
            }
            let output = command.output().expect("bash runs");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            // Later steps see what this one added to GITHUB_PATH.
            self.path = std::fs::read_to_string(&github_path)
                .unwrap_or_default()
                .lines()
                .rev()
                .map(PathBuf::from)
                .collect();
            let code = output.status.code().unwrap_or(-1);
            ran.push(Ran {
                name: step["name"].as_str().unwrap_or_default().to_owned(),
                code,
                output: text,
            });
            if code != 0 {
                break;
            }
        }
        ran
    }

    fn outputs(&self) -> String {
        std::fs::read_to_string(self.temp.path().join("github_output")).unwrap_or_default()
    }
}

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// A release folder as the release workflow publishes it, holding the binary under
/// test for Linux x86_64, and its sha256 (or a wrong one).
///
/// Each variant is made once per test run, under Cargo's own scratch folder for
/// integration tests, and the wrong-sum folder holds a hard link to the same archive:
/// the debug binary is some 200 MB, and a copy and an archive for every test that runs
/// at once filled a CI machine's disk.
fn releases(right_sum: bool) -> &'static Path {
    static RIGHT: OnceLock<PathBuf> = OnceLock::new();
    static WRONG: OnceLock<PathBuf> = OnceLock::new();
    let right = RIGHT.get_or_init(|| release_folder("right", None));
    if right_sum {
        return right;
    }
    WRONG.get_or_init(|| release_folder("wrong", Some(right)))
}

/// Makes `name` under the scratch folder: the archive (or a hard link to `like`'s) and
/// its `.sha256`, right when `like` is `None`, all zeros otherwise.
fn release_folder(name: &str, like: Option<&Path>) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("action-releases")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear an earlier run's folder");
    }
    let base = format!("corroborate-v{}-x86_64-unknown-linux-musl", version());
    let tag = dir.join(format!("v{}", version()));
    std::fs::create_dir_all(&tag).expect("folder");
    let archive = format!("{base}.tar.gz");
    let sum = match like {
        Some(right) => {
            std::fs::hard_link(
                right.join(format!("v{}", version())).join(&archive),
                tag.join(&archive),
            )
            .expect("link the archive");
            "0".repeat(64)
        }
        None => {
            let folder = tag.join(&base);
            std::fs::create_dir_all(&folder).expect("folder");
            std::fs::copy(
                env!("CARGO_BIN_EXE_corroborate"),
                folder.join("corroborate"),
            )
            .expect("copy");
            let status = Command::new("tar")
                .args(["-czf", &archive, &base])
                .current_dir(&tag)
                .status()
                .expect("tar runs");
            assert!(status.success());
            std::fs::remove_dir_all(&folder).expect("clean");
            let bytes = std::fs::read(tag.join(&archive)).expect("archive");
            sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        }
    };
    std::fs::write(
        tag.join(format!("{archive}.sha256")),
        format!("{sum}  {archive}\n"),
    )
    .expect("sum");
    dir
}

fn new_case(action: &str) -> Scratch {
    let dir = Scratch::new();
    let run = corroborate(dir.path(), &["init", "case", "--action", action]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

fn summary(ran: &[Ran]) -> Vec<(String, i32)> {
    ran.iter().map(|r| (r.name.clone(), r.code)).collect()
}

#[test]
fn the_actions_steps_install_the_release_binary_then_check_and_build() {
    let releases = releases(true);
    let case = new_case("my-org/corroborate@v0.1.0");
    let mut runner = Runner::new(here(), &case.path().join("case"), &[("command", "both")]);
    runner.releases_from(releases);
    let ran = runner.run();
    assert_eq!(
        summary(&ran),
        [
            ("Install corroborate".to_owned(), 0),
            ("Check the data".to_owned(), 0),
            ("Build the report".to_owned(), 0)
        ],
        "{}",
        ran.iter().map(|r| r.output.as_str()).collect::<String>()
    );
    assert!(
        ran[0].output.contains(&format!(
            "corroborate {} for x86_64-unknown-linux-musl, from the release",
            version()
        )),
        "{}",
        ran[0].output
    );
    assert!(
        ran[0].output.contains(": OK"),
        "the checksum was checked: {}",
        ran[0].output
    );
    let site = case.path().join("case/site");
    assert!(site.join("index.html").is_file());
    assert!(
        runner
            .outputs()
            .lines()
            .any(|l| l == format!("site={}", site.display())),
        "{}",
        runner.outputs()
    );
    // A second run takes the installed binary (what the cache step restores).
    let again = runner.run();
    assert!(
        again[0].output.contains("from the cache"),
        "{}",
        again[0].output
    );
}

#[test]
fn the_check_step_annotates_problems_and_fails() {
    let releases = releases(true);
    let case = new_case("my-org/corroborate@v0.1.0");
    let root = case.path().join("case");
    let example = std::fs::read_to_string(root.join("claims/example.yaml")).expect("example");
    std::fs::write(
        root.join("claims/example.yaml"),
        example.replacen("stance: contradicts", "stance: sideways", 1),
    )
    .expect("write");
    let mut runner = Runner::new(
        here(),
        &root,
        &[("command", "both"), ("check-args", "--max-errors 5")],
    );
    runner.releases_from(releases);
    let ran = runner.run();
    assert_eq!(
        summary(&ran),
        [
            ("Install corroborate".to_owned(), 0),
            ("Check the data".to_owned(), 1)
        ]
    );
    assert!(
        ran[1]
            .output
            .lines()
            .any(|l| l.starts_with("::error file=claims/example.yaml,line=")),
        "{}",
        ran[1].output
    );
    assert!(!root.join("site").exists(), "no build after a failed check");
}

#[test]
fn a_release_archive_that_does_not_match_its_sum_is_never_installed() {
    let releases = releases(false);
    let case = new_case("my-org/corroborate@v0.1.0");
    let mut runner = Runner::new(here(), &case.path().join("case"), &[]);
    runner.releases_from(releases);
    let ran = runner.run();
    assert_eq!(summary(&ran), [("Install corroborate".to_owned(), 1)]);
    assert!(
        ran[0]
            .output
            .contains("does not match its published sha256"),
        "{}",
        ran[0].output
    );
    assert!(
        !runner
            .temp
            .path()
            .join("corroborate-install/bin/corroborate")
            .exists()
    );
}

#[test]
fn an_unknown_command_is_refused() {
    let releases = releases(true);
    let case = new_case("my-org/corroborate@v0.1.0");
    let mut runner = Runner::new(here(), &case.path().join("case"), &[("command", "publish")]);
    runner.releases_from(releases);
    let ran = runner.run();
    assert_eq!(
        summary(&ran),
        [
            ("Install corroborate".to_owned(), 0),
            ("Refuse an unknown command".to_owned(), 1)
        ]
    );
    assert!(
        ran[1]
            .output
            .contains("must be check, build, both or links, not 'publish'")
    );
}

/// Without a release for the version, the action builds corroborate from its own
/// source with cargo: on a clean clone, as GitHub checks the action out. Slow (a
/// release build), so it runs with the ignored tests.
#[test]
#[ignore = "builds corroborate in release mode from a clean clone (minutes)"]
fn without_a_release_the_action_builds_from_a_clean_clone() {
    let _quiet = crate::support::timed();
    let clone = tempfile::tempdir().expect("clone");
    let status = Command::new("git")
        .args(["clone", "--quiet", "--depth", "1"])
        .arg(format!("file://{}", here().display()))
        .arg(clone.path().join("action"))
        .status()
        .expect("git runs");
    assert!(status.success());
    let action = clone.path().join("action");
    let empty = tempfile::tempdir().expect("no releases");
    let case = new_case("my-org/corroborate@v0.1.0");
    let mut runner = Runner::new(&action, &case.path().join("case"), &[("command", "both")]);
    runner.releases_from(empty.path());
    // Kept between runs of this test, so a second one is quick.
    runner.env.push((
        "CARGO_TARGET_DIR".to_owned(),
        here().join("target/action-build").display().to_string(),
    ));
    let ran = runner.run();
    assert_eq!(
        summary(&ran),
        [
            ("Install corroborate".to_owned(), 0),
            ("Check the data".to_owned(), 0),
            ("Build the report".to_owned(), 0)
        ],
        "{}",
        ran.iter().map(|r| r.output.as_str()).collect::<String>()
    );
    assert!(
        ran[0].output.contains("building it from source"),
        "{}",
        ran[0].output
    );
    assert!(case.path().join("case/site/index.html").is_file());
}

#[test]
fn the_links_step_says_what_is_broken_without_failing() {
    let releases = releases(true);
    let server = crate::links::Server::start(None);
    let sources = [
        crate::links::source(
            "fine",
            &server.url("/ok"),
            &format!("    archive_url: {}\n", server.url("/archived")),
        ),
        crate::links::source("gone", &server.url("/gone"), ""),
    ]
    .concat();
    let case = crate::links::repository(&server, &sources, "");
    let mut runner = Runner::new(here(), case.path(), &[("command", "links")]);
    runner.releases_from(releases);
    let ran = runner.run();
    assert_eq!(
        summary(&ran),
        [
            ("Install corroborate".to_owned(), 0),
            ("Check the links".to_owned(), 0)
        ],
        "{}",
        ran.iter().map(|r| r.output.as_str()).collect::<String>()
    );
    let outputs = runner.outputs();
    assert!(outputs.lines().any(|l| l == "broken=true"), "{outputs}");
    let report = outputs
        .lines()
        .find_map(|l| l.strip_prefix("report="))
        .expect("the report's file");
    let text = std::fs::read_to_string(report).expect("the report");
    assert!(
        text.contains("link broken (HTTP 404)") && text.contains("1 broken"),
        "{text}"
    );
}
