//! `corroborate list` and `corroborate show`: the pinned output on the clean fixture and
//! on the example case, filters and their refusals, colour only when asked or on a
//! terminal, and data that cannot take over the terminal.

use crate::support::{Scratch, corroborate, expect_file, fixture};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn expected(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name)
}

/// Runs each command and writes them one after another as a transcript: the command,
/// then what it printed, so that one file shows every filter at work.
fn transcript(dir: &Path, commands: &[&[&str]]) -> String {
    let mut out = String::new();
    for args in commands {
        let run = corroborate(dir, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        out.push_str(&format!(
            "$ corroborate {}\n{}\n",
            args.join(" "),
            run.stdout
        ));
    }
    out
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let run = corroborate(dir, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
    run.stdout
}

fn usage_error(dir: &Path, args: &[&str]) -> String {
    let run = corroborate(dir, args);
    assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    run.stderr
}

#[test]
fn list_on_the_clean_fixture() {
    let out = transcript(
        &fixture("clean"),
        &[
            &["list", "claims"],
            &["list", "sources"],
            &["list", "entities"],
            &["list", "claims", "--entity", "acme"],
            &["list", "sources", "--entity", "acme"],
            &["list", "claims", "--verdict", "true"],
        ],
    );
    expect_file(&expected("clean-list.txt"), &out);
}

#[test]
fn list_on_the_example_case() {
    let out = transcript(
        example(),
        &[
            &["list", "claims"],
            &["list", "sources"],
            &["list", "entities"],
            &["list", "claims", "--balance", "contradicted"],
            &[
                "list",
                "claims",
                "--balance",
                "supported",
                "--verdict",
                "none",
            ],
            &["list", "claims", "--verdict", "false"],
            &["list", "claims", "--tag", "procurement"],
            &["list", "claims", "--tag", "xinjiang", "--tag", "role"],
            &["list", "claims", "--entity", "dahua"],
            &["list", "sources", "--entity", "hikvision"],
        ],
    );
    expect_file(&expected("example-list.txt"), &out);
}

#[test]
fn list_lines_are_sorted_by_id_and_filters_hold() {
    let claims = ok(example(), &["list", "claims"]);
    let ids: Vec<&str> = claims.lines().filter_map(|l| l.split(' ').next()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    assert_eq!(ids.len(), 8);

    let none = ok(example(), &["list", "claims", "--verdict", "none"]);
    assert!(!none.is_empty());
    for line in none.lines() {
        let columns: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(columns[1], "none", "{line}");
    }
    let contradicted = ok(example(), &["list", "claims", "--balance", "contradicted"]);
    assert_eq!(
        contradicted,
        "hikvision-only-product-provider  false  contradicted  0/4  Hikvision is nothing more than a product provider in Xinjiang.\n"
    );
    // Dahua is named in `about` of these claims and makes none.
    let dahua = ok(example(), &["list", "claims", "--entity", "dahua"]);
    assert_eq!(dahua.lines().count(), 3, "{dahua}");
}

#[test]
fn a_filter_that_matches_nothing_says_so_on_stderr() {
    let run = corroborate(example(), &["list", "claims", "--balance", "contested"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "no claims match these filters\n");
}

#[test]
fn invalid_filters_are_usage_errors() {
    let err = usage_error(example(), &["list", "claims", "--balance", "maybe"]);
    assert!(
        err.contains("invalid value 'maybe' for '--balance <BALANCE>'"),
        "{err}"
    );
    assert!(
        err.contains("[possible values: no-evidence, supported, contradicted, contested]"),
        "{err}"
    );
    let err = usage_error(example(), &["list", "claims", "--verdict", "perhaps"]);
    assert!(
        err.contains(
            "[possible values: true, mostly-true, mixed, mostly-false, false, unproven, none]"
        ),
        "{err}"
    );
    let err = usage_error(example(), &["list", "things"]);
    assert!(err.contains("invalid value 'things'"), "{err}");

    let err = usage_error(example(), &["list", "sources", "--verdict", "true"]);
    assert_eq!(
        err,
        "error: --verdict filters claims, not sources; use `corroborate list claims --verdict ...`, or filter sources by `--entity` (who produced them)\n"
    );
    let err = usage_error(example(), &["list", "entities", "--entity", "hikvision"]);
    assert!(
        err.starts_with("error: `list entities` takes no filters, but --entity was given;"),
        "{err}"
    );
    let err = usage_error(example(), &["list", "claims", "--entity", "hikvison"]);
    assert_eq!(
        err,
        "error: no entity has the id `hikvison`; did you mean `hikvision`?\n"
    );
    let err = usage_error(
        example(),
        &[
            "list",
            "claims",
            "--entity",
            "hikvision-only-product-provider",
        ],
    );
    assert!(err.contains("is not an entity"), "{err}");
    let err = usage_error(example(), &["list", "claims", "--tag", "xinjang"]);
    assert_eq!(
        err,
        "error: no claim has the tag `xinjang`; did you mean `xinjiang`?\n"
    );
}

#[test]
fn list_and_show_refuse_data_with_errors() {
    for args in [&["list", "claims"][..], &["show", "x"]] {
        let run = corroborate(&fixture("duplicate-id"), args);
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(run.stdout, "");
        assert!(run.stderr.contains("duplicate-id"), "{}", run.stderr);
        assert!(
            run.stderr.contains("stopped: the data has 1 error(s)"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn show_a_claim_with_both_sides_origins_and_own_words() {
    let out = ok(example(), &["show", "hikvision-only-product-provider"]);
    expect_file(&expected("example-show-claim.txt"), &out);
    let supporting = out.find("Supporting evidence: none");
    let contradicting =
        out.find("Contradicting evidence: 6 items, 5 sources, 4 independent origins");
    assert!(supporting.is_some() && supporting < contradicting, "{out}");
    // Hikvision's own website contradicts Hikvision's claim.
    assert!(out.contains(
        "    own words: this source is by the claimant, Hangzhou Hikvision Digital Technology Co., Ltd. [hikvision]\n"
    ));
    assert_eq!(out.matches("own words:").count(), 1);
    assert!(out.contains("contradicting  traces back to: forbes-hikvision-xinjiang-contracts, hikvision-urumqi-safe-city-announcement, karakax-bidding-documents, pishan-bidding-documents\n"));
    assert!(out.contains("! 5 sources contradict this claim, but they trace back to 4 origins"));
    assert!(out.contains("contradicted by  Hikvision itself directly bid"));
}

#[test]
fn show_a_claim_of_the_clean_fixture() {
    let out = ok(&fixture("clean"), &["show", "acme-only-products"]);
    expect_file(&expected("clean-show-claim.txt"), &out);
    assert!(out.contains("original: \u{201c}Acme wird das System"));
}

#[test]
fn show_a_source() {
    let out = ok(example(), &["show", "ipvm-hikvision-xinjiang-analysis"]);
    expect_file(&expected("example-show-source.txt"), &out);
    let out = ok(&fixture("clean"), &["show", "wire"]);
    expect_file(&expected("clean-show-source.txt"), &out);
    let out = ok(&fixture("clean"), &["show", "paper"]);
    assert!(
        out.contains("\nfile         evidence/paper.txt\nsha256       7e78e22c"),
        "{out}"
    );
    assert!(out.contains("\n  traces back to: wire\n"), "{out}");
}

#[test]
fn show_an_entity() {
    let out = ok(example(), &["show", "hikvision"]);
    expect_file(&expected("example-show-entity.txt"), &out);
}

#[test]
fn show_an_unknown_id_suggests_the_closest() {
    let err = usage_error(example(), &["show", "hikvison"]);
    assert_eq!(
        err,
        "error: no claim, source or entity has the id `hikvison`; did you mean `hikvision`?\n"
    );
    let err = usage_error(example(), &["show", "nothing-like-it"]);
    assert!(err.contains("`corroborate list claims`"), "{err}");
    let err = usage_error(example(), &["show", "evil\u{202e}id"]);
    assert!(err.contains("evil\\u{202e}id"), "{err}");
}

/// A repository whose text tries to take over the terminal: an ANSI escape that clears
/// the screen and paints red, a right-to-left override, and a line break in a name.
fn hostile() -> Scratch {
    let repo = Scratch::new();
    repo.write(
        "claims/x.yaml",
        concat!(
            "entities:\n",
            "  - id: acme\n",
            "    name: \"Acme\\nInjected line\"\n",
            "sources:\n",
            "  - id: s\n",
            "    title: \"Title \\e[2J\\e[31mcleared\"\n",
            "    by: acme\n",
            "claims:\n",
            "  - id: c\n",
            "    statement: \"Acme is \\u202Eeslaf\\u202C honest \\e[0m\"\n",
            "    claimant: acme\n",
            "    evidence:\n",
            "      - source: s\n",
            "        stance: contradicts\n",
            "        quote: \"quote \\u2066hidden\\u2069 \\u001b]8;;https://evil.example\\u0007link\"\n",
        ),
    );
    repo
}

fn assert_inert(out: &str) {
    for c in ['\u{1b}', '\u{202e}', '\u{202c}', '\u{2066}', '\u{7}'] {
        assert!(!out.contains(c), "{c:?} reached the terminal in:\n{out}");
    }
}

#[test]
fn hostile_text_is_escaped_in_list_and_show() {
    let repo = hostile();
    let claims = ok(repo.path(), &["list", "claims"]);
    assert_inert(&claims);
    assert_eq!(
        claims,
        "c  none  contradicted  0/1  Acme is \\u{202e}eslaf\\u{202c} honest \\u{1b}[0m\n"
    );
    let entities = ok(repo.path(), &["list", "entities"]);
    assert_eq!(entities, "acme  other  Acme Injected line\n");
    let sources = ok(repo.path(), &["list", "sources"]);
    assert_inert(&sources);
    assert!(
        sources.contains("Title \\u{1b}[2J\\u{1b}[31mcleared"),
        "{sources}"
    );

    let shown = ok(repo.path(), &["show", "c"]);
    assert_inert(&shown);
    assert!(shown.contains("\\u{2066}hidden\\u{2069}"), "{shown}");
    assert!(
        shown.contains("\\u{1b}]8;;https://evil.example\\u{7}link"),
        "{shown}"
    );
    assert!(shown.contains("Acme Injected line [acme]"), "{shown}");

    // With colour on, the only escapes are the tool's own.
    let coloured = corroborate(repo.path(), &["show", "c", "--color", "always"]).stdout;
    assert!(!coloured.contains("\u{1b}[2J") && !coloured.contains("\u{1b}]8"));
    assert!(!coloured.contains('\u{202e}'));
    for entity in ["acme", "s"] {
        assert_inert(&ok(repo.path(), &["show", entity]));
    }
}

#[test]
fn show_marks_sensitive_records() {
    let repo = Scratch::new();
    repo.write(
        "claims/x.yaml",
        "claims:\n  - id: c\n    statement: Not ready to publish.\n    sensitive: true\n",
    );
    let out = ok(repo.path(), &["show", "c"]);
    assert!(
        out.contains("\nsensitive    yes: not for publication\n"),
        "{out}"
    );
}

#[test]
fn colour_only_when_asked_in_a_pipe() {
    let plain = ok(example(), &["list", "claims", "--verdict", "false"]);
    assert!(!plain.contains('\u{1b}'));
    let always = ok(
        example(),
        &["list", "claims", "--verdict", "false", "--color", "always"],
    );
    assert_eq!(
        always,
        "\u{1b}[1mhikvision-only-product-provider\u{1b}[0m  \u{1b}[31mfalse\u{1b}[0m  \u{1b}[31mcontradicted\u{1b}[0m  0/4  Hikvision is nothing more than a product provider in Xinjiang.\n"
    );
    let shown = ok(
        example(),
        &[
            "show",
            "hikvision-only-product-provider",
            "--color",
            "always",
        ],
    );
    assert!(shown.contains("\u{1b}[31mContradicted\u{1b}[0m"), "{shown}");
    let never = ok(example(), &["show", "hikvision", "--color", "never"]);
    assert!(!never.contains('\u{1b}'));
}

#[test]
fn a_terminal_gets_colour_unless_no_color_and_lines_cut_to_its_width() {
    // An 80-column terminal with COLUMNS=60: COLUMNS overrides the terminal's width.
    let run = |no_color: &[(&'static str, &'static str)], args: &[&str]| {
        let env = [&[("COLUMNS", "60")][..], no_color].concat();
        on_a_terminal(80, &env, args)
    };
    let list = ["list", "claims", "--verdict", "false"];
    let coloured = run(&[], &list);
    assert_eq!(
        coloured,
        "\u{1b}[1mhikvision-only-product-provider\u{1b}[0m  \u{1b}[31mfalse\u{1b}[0m  \u{1b}[31mcontradicted\u{1b}[0m  0/4  Hikvision\u{2026}\n"
    );
    let plain = run(&[("NO_COLOR", "1")], &list);
    assert_eq!(
        plain,
        "hikvision-only-product-provider  false  contradicted  0/4  Hikvision\u{2026}\n"
    );
    // An empty NO_COLOR does not count as set.
    let empty = run(&[("NO_COLOR", "")], &list);
    assert_eq!(empty, coloured);
    let shown = run(
        &[],
        &[
            "show",
            "hikvision-only-product-provider",
            "--color",
            "never",
        ],
    );
    assert!(!shown.is_empty());
    for line in shown.lines() {
        assert!(line.chars().count() <= 60, "{line}");
    }
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let repo = Scratch::new();
    let mut text = String::from("claims:\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "  - id: claim-{i:05}\n    statement: A statement long enough to fill the pipe quickly, number {i}.\n"
        ));
    }
    repo.write("claims/many.yaml", &text);
    // The list is long enough to meet the closed pipe; the page and the completion
    // script fit in a pipe's buffer, so for them this shows only that a reader that
    // stops early leaves no error behind.
    for args in [
        &["list", "claims"][..],
        &["show", "claim-00001"],
        &["completions", "bash"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_corroborate"))
            .arg("-C")
            .arg(repo.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("corroborate runs");
        let mut first = [0u8; 16];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("some output");
        let output = child.wait_with_output().expect("it ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            (output.status.code(), stderr.as_ref()),
            (Some(0), ""),
            "{args:?}"
        );
    }
}

#[test]
fn help_has_examples() {
    for command in ["list", "show", "completions", "manpage"] {
        let run = corroborate(Path::new("."), &[command, "--help"]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains("Examples:"),
            "{command}: {}",
            run.stdout
        );
    }
}

/// Runs the binary on a pseudo-terminal of `columns` columns, as a person would: the
/// size set with `stty` as a terminal emulator sets it, `COLUMNS` and `NO_COLOR` left
/// out of the environment as shells leave them (they set `COLUMNS` without exporting
/// it), then `env` added. Python's `pty` module drives the terminal; without python3
/// (on every machine this project builds on) the test fails: it is never skipped.
fn on_a_terminal(columns: usize, env: &[(&str, &str)], args: &[&str]) -> String {
    const DRIVER: &str = r#"
import os, pty, subprocess, sys
master, slave = pty.openpty()
child = subprocess.Popen(
    ["sh", "-c", 'stty cols "$0" rows 40 && exec "$@"'] + sys.argv[1:],
    stdin=slave, stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.buffer.write(out)
sys.exit(child.wait())
"#;
    let mut command = Command::new("python3");
    command
        .args(["-c", DRIVER, &columns.to_string()])
        .arg(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(example())
        .args(args)
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    let output = command.output().unwrap_or_else(|err| {
        panic!("the terminal tests need python3 for a pseudo-terminal, and it cannot run: {err}")
    });
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n")
}

#[test]
fn lines_fit_the_real_width_of_a_terminal_that_exports_no_columns() {
    // `list` keeps its columns whole and at least ten columns of text, so it is shown
    // a terminal wide enough for that.
    let runs = [
        (
            60,
            &[
                "show",
                "hikvision-only-product-provider",
                "--color",
                "never",
            ][..],
        ),
        (
            60,
            &[
                "show",
                "ipvm-hikvision-xinjiang-analysis",
                "--color",
                "never",
            ],
        ),
        (60, &["show", "hikvision", "--color", "never"]),
        (90, &["list", "claims", "--color", "never"]),
        (90, &["list", "sources", "--color", "never"]),
    ];
    for (columns, args) in runs {
        let out = on_a_terminal(columns, &[], args);
        assert!(out.lines().count() > 3, "{args:?}: {out}");
        for line in out.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= columns,
                "{args:?}: a line wider than the terminal's {columns} columns:\n{line}"
            );
        }
        // Cut to the terminal, not left whole as in a pipe.
        assert!(
            out.lines()
                .any(|l| unicode_width::UnicodeWidthStr::width(l) > columns - 12),
            "{args:?}: {out}"
        );
    }
}

/// Format 1.1: an item read through another source says where it was read, and each
/// side says in how many places its origins were read, with a warning for one.
#[test]
fn show_says_where_evidence_was_read_and_warns_of_one_channel() {
    let dir = fixture("lint-single-channel");
    let out = ok(&dir, &["show", "one-channel"]);
    assert_eq!(
        out.matches("    read in: A trade-press investigation describing the bids [trade-press]\n")
            .count(),
        3,
        "{out}"
    );
    assert!(
        out.contains("                 read in 1 place: trade-press\n"),
        "{out}"
    );
    assert!(
        out.contains("! all 3 contradicting origins were read in one place;"),
        "{out}"
    );
    let out = ok(&dir, &["show", "two-channels"]);
    assert!(
        out.contains("read in 2 places: newspaper, trade-press\n"),
        "{out}"
    );
    assert!(!out.contains("were read in one place"), "{out}");
}
