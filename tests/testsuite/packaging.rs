//! What ships beside the binary: shell completions and manual pages generated from the
//! command line's definition, and the pre-commit hooks that research repositories use.

use crate::support::{Scratch, corroborate};
use corroborate::yaml::{self, Node, Value};
use std::path::Path;

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn completions_cover_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = corroborate(here(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.len() > 500, "{shell}: {}", run.stdout);
        for command in ["check", "build", "list", "show", "export"] {
            assert!(run.stdout.contains(command), "{shell} lacks {command}");
        }
    }
    let fish = corroborate(here(), &["completions", "fish"]).stdout;
    assert!(fish.contains("complete -c corroborate"), "{fish}");
    let bash = corroborate(here(), &["completions", "bash"]).stdout;
    assert!(bash.contains("complete -F _corroborate"), "{bash}");
    // The values of --balance complete too.
    assert!(
        bash.contains("no-evidence supported contradicted contested"),
        "{bash}"
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let run = corroborate(here(), &["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid value 'tcsh'"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_manual_page_is_roff() {
    let run = corroborate(here(), &["manpage"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = run.stdout;
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(page.contains("\n.TH corroborate 1 "), "{page}");
    assert!(page.contains("\n.SH NAME\ncorroborate \\- "), "{page}");
    for command in ["check", "list", "show", "build"] {
        assert!(page.contains(command), "the page lacks {command}");
    }
    assert!(page.contains("Examples:"));
}

#[test]
fn manual_pages_are_written_one_per_command() {
    let out = Scratch::new();
    let folder = out.path().join("man1");
    let run = corroborate(here(), &["manpage", "--out", &folder.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("the folder exists")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "corroborate-build.1",
            "corroborate-check.1",
            "corroborate-completions.1",
            "corroborate-diff.1",
            "corroborate-export.1",
            "corroborate-graph.1",
            "corroborate-import.1",
            "corroborate-init.1",
            "corroborate-links.1",
            "corroborate-list.1",
            "corroborate-manpage.1",
            "corroborate-schema.1",
            "corroborate-serve.1",
            "corroborate-show.1",
            "corroborate-templates.1",
            "corroborate.1",
        ]
    );
    let show = std::fs::read_to_string(folder.join("corroborate-show.1")).expect("page");
    assert!(show.contains("\n.TH corroborate-show 1 "), "{show}");
    assert!(
        show.contains("corroborate show hikvision\\-only\\-product\\-provider"),
        "{show}"
    );
}

fn field<'a>(node: &'a Node, name: &str) -> Option<&'a Value> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(key, _)| key.name == name)
            .map(|(_, value)| &value.value),
        _ => None,
    }
}

fn text<'a>(node: &'a Node, name: &str) -> &'a str {
    match field(node, name) {
        Some(Value::Str(s)) => s,
        other => panic!("`{name}` is not text: {other:?}"),
    }
}

#[test]
fn pre_commit_hooks_run_the_check() {
    let yaml_text =
        std::fs::read_to_string(here().join(".pre-commit-hooks.yaml")).expect("the file exists");
    let root = yaml::parse(&yaml_text)
        .expect("valid YAML")
        .expect("not empty");
    let Value::Seq(hooks) = &root.value else {
        panic!("a list of hooks: {root:?}");
    };
    let ids: Vec<&str> = hooks.iter().map(|h| text(h, "id")).collect();
    assert_eq!(ids, ["corroborate-check", "corroborate-check-strict"]);
    let entries: Vec<&str> = hooks.iter().map(|h| text(h, "entry")).collect();
    assert_eq!(
        entries,
        ["corroborate check", "corroborate check --deny-warnings"]
    );
    for hook in hooks {
        assert!(!text(hook, "name").is_empty());
        assert_eq!(text(hook, "language"), "rust");
        assert_eq!(text(hook, "files"), "\\.(ya?ml)$");
        assert_eq!(field(hook, "pass_filenames"), Some(&Value::Bool(false)));
    }
}

/// `cargo package` ships every file the crate embeds (`include_str!`, `include_bytes!`):
/// the report's templates and what `init` writes, so a crate built from the registry
/// is the same program as one built from a clone.
#[test]
fn the_package_holds_every_embedded_file() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--quiet"])
        .current_dir(here())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed: std::collections::BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let mut embedded = Vec::new();
    for entry in walkdir::WalkDir::new(here().join("src")) {
        let entry = entry.expect("entry");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("source");
        for (at, _) in text.match_indices("include_") {
            let rest = &text[at..];
            let Some(open) = rest.find("!(\"").filter(|&o| o <= "include_bytes".len()) else {
                continue;
            };
            let arg = &rest[open + 3..];
            let Some(close) = arg.find('"') else { continue };
            let target = entry.path().parent().expect("folder").join(&arg[..close]);
            let target = target.canonicalize().expect("the embedded file exists");
            let rel = target
                .strip_prefix(here().canonicalize().expect("root"))
                .expect("inside the crate")
                .to_string_lossy()
                .replace('\\', "/");
            embedded.push(rel);
        }
    }
    assert!(embedded.len() >= 15, "{embedded:?}");
    for rel in ["templates/claim.html", "src/init/workflow.yml"] {
        assert!(embedded.iter().any(|e| e == rel), "{rel} is embedded");
    }
    let missing: Vec<&String> = embedded.iter().filter(|e| !listed.contains(*e)).collect();
    assert!(missing.is_empty(), "not in the package: {missing:?}");
}
