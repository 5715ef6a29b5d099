//! The command line itself: help, exit codes for usage and I/O failures.

use crate::support::{Scratch, corroborate, fixture};

/// The subcommands a help text lists under `Commands:`, clap's own `help` aside.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command, found by walking the help from the top (so that a new one cannot be
/// missed), has help with examples, and `corroborate help COMMAND` prints the same.
#[test]
fn every_command_has_help_with_an_example() {
    let here = std::path::Path::new(".");
    let top = corroborate(here, &["--help"]);
    assert_eq!(top.code, 0);
    assert!(top.stdout.contains("Examples:"), "{}", top.stdout);
    assert!(top.stdout.contains("Exit codes: 0 "), "{}", top.stdout);
    let mut walked = Vec::new();
    let mut todo: Vec<Vec<String>> = subcommands(&top.stdout)
        .into_iter()
        .map(|name| vec![name])
        .collect();
    while let Some(path) = todo.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = corroborate(here, &args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("Examples:"), "{args:?}: {}", run.stdout);
        let mut asked: Vec<&str> = vec!["help"];
        asked.extend(path.iter().map(String::as_str));
        let via_help = corroborate(here, &asked);
        assert_eq!(via_help.code, 0, "{asked:?}: {}", via_help.stderr);
        assert_eq!(via_help.stdout, run.stdout, "{asked:?}");
        todo.extend(subcommands(&run.stdout).into_iter().map(|name| {
            let mut deeper = path.clone();
            deeper.push(name);
            deeper
        }));
        walked.push(path.join(" "));
    }
    for named in ["check", "export", "build", "manpage"] {
        assert!(
            walked.iter().any(|w| w == named),
            "{named} not in {walked:?}"
        );
    }
}

#[test]
fn usage_errors_exit_with_2() {
    let run = corroborate(&fixture("clean"), &["check", "--format", "yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid value 'yaml'"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_data_folder_is_an_io_failure_with_advice() {
    let empty = Scratch::new();
    let run = corroborate(empty.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: no data folder `claims` in "),
        "{}",
        run.stderr
    );
    let run = corroborate(&empty.path().join("nowhere"), &["check"]);
    assert_eq!(run.code, 2);
}

#[test]
fn the_data_folder_can_be_configured() {
    let repo = Scratch::new();
    repo.write("corroborate.yaml", "data: research/data\n");
    repo.write(
        "research/data/x.yaml",
        "entities:\n  - id: a\n    name: A\n    kind: nobody\n",
    );
    let (code, json) = repo.check_json();
    assert_eq!(code, 1);
    assert_eq!(json[0]["file"], "research/data/x.yaml");
}

#[test]
fn hidden_files_and_other_extensions_are_skipped() {
    let repo = Scratch::new();
    repo.write("claims/.draft.yaml", "not: [valid");
    repo.write("claims/.git/x.yaml", "not: [valid");
    repo.write("claims/notes.txt", "not: [valid");
    repo.write("claims/ok.yml", "entities: []\n");
    let (code, json) = repo.check_json();
    assert_eq!((code, json), (0, serde_json::json!([])));
}

#[test]
fn the_data_folder_must_stay_inside_the_repository() {
    let repo = Scratch::new();
    repo.write("corroborate.yaml", "data: ../elsewhere\n");
    let (code, json) = repo.check_json();
    assert_eq!(
        code, 1,
        "the settings error is reported, not a missing folder"
    );
    assert_eq!(json[0]["code"], "file-outside-repository");
    assert_eq!(
        (
            json[0]["file"].as_str(),
            json[0]["line"].as_u64(),
            json[0]["column"].as_u64()
        ),
        (Some("corroborate.yaml"), Some(1), Some(7))
    );
}

#[test]
fn file_names_are_normalised() {
    let repo = Scratch::new();
    repo.write("corroborate.yaml", "data: ./research/\n");
    repo.write("research/x.yaml", "entities:\n  - {id: A, name: a}\n");
    let (_, json) = repo.check_json();
    assert_eq!(json[0]["file"], "research/x.yaml");
}

#[test]
fn problems_inside_an_evidence_item_name_its_claim() {
    let repo = Scratch::new();
    repo.write("claims/x.yaml", "sources:\n  - {id: s, title: t}\nclaims:\n  - id: c\n    statement: s\n    evidence:\n      - {source: s, stance: supports, quote: q, paragraph: 4}\n");
    let (_, json) = repo.check_json();
    assert_eq!(
        (json[0]["code"].as_str(), json[0]["id"].as_str()),
        (Some("unknown-field"), Some("c"))
    );
}

/// A repository with exactly `n` errors (unknown entity kinds).
fn with_errors(n: usize) -> Scratch {
    let repo = Scratch::new();
    let mut yaml = String::from("entities:\n");
    for i in 0..n {
        yaml.push_str(&format!("  - {{id: e{i}, name: E, kind: company}}\n"));
    }
    repo.write("claims/x.yaml", yaml);
    repo
}

#[test]
fn the_number_of_problems_printed_is_capped_at_the_edge() {
    let at_cap = with_errors(200);
    let run = corroborate(at_cap.path(), &["check"]);
    assert_eq!(run.stderr.matches("error[invalid-value]").count(), 200);
    assert!(
        !run.stderr.contains("more problem"),
        "exactly at the cap nothing is hidden"
    );

    let over = with_errors(201);
    let run = corroborate(over.path(), &["check"]);
    assert_eq!(run.stderr.matches("error[invalid-value]").count(), 200);
    assert!(
        run.stderr.contains(
            "... and 1 more problem not shown; `corroborate check --max-errors 0` shows them all\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("201 errors, no warnings\n"),
        "the summary counts them all"
    );

    let run = corroborate(
        over.path(),
        &["check", "--max-errors", "3", "--format", "github"],
    );
    assert_eq!(run.stdout.lines().count(), 3);
    assert!(
        run.stderr.contains("... and 198 more problems not shown"),
        "{}",
        run.stderr
    );
    let run = corroborate(over.path(), &["check", "--max-errors", "0"]);
    assert_eq!(run.stderr.matches("error[invalid-value]").count(), 201);
    let json = corroborate(
        over.path(),
        &["check", "--format", "json", "--max-errors", "3"],
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json.stdout)
            .expect("JSON")
            .as_array()
            .map(Vec::len),
        Some(201),
        "JSON has them all"
    );
}

#[test]
fn the_file_size_limit_holds_at_the_edge() {
    let repo = Scratch::new();
    let text = "entities:\n  - {id: a, name: A}\n";
    repo.write("claims/x.yaml", text);
    repo.write(
        "corroborate.yaml",
        format!("max_file_bytes: {}\n", text.len()),
    );
    assert_eq!(
        corroborate(repo.path(), &["check"]).code,
        0,
        "a file of exactly the limit is read"
    );
    repo.write(
        "corroborate.yaml",
        format!("max_file_bytes: {}\n", text.len() - 1),
    );
    let (code, json) = repo.check_json();
    assert_eq!(code, 1);
    assert_eq!(json[0]["code"], "file-too-large");
}

#[test]
fn the_nesting_limit_holds_at_the_edge() {
    // The document itself is one level; 63 more lists inside it make 64.
    let nested = |depth: usize| {
        format!(
            "entities: []\nx: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    let repo = Scratch::new();
    repo.write("claims/x.yaml", nested(63));
    let (_, json) = repo.check_json();
    assert_eq!(
        json[0]["code"], "unknown-field",
        "64 levels parse (the key `x` is merely unknown): {json}"
    );
    repo.write("claims/x.yaml", nested(64));
    let (_, json) = repo.check_json();
    assert_eq!(
        json[0]["code"], "yaml-syntax",
        "65 levels are refused: {json}"
    );
}
