//! `corroborate graph`: the three formats pinned on a small fixture, neighbourhoods,
//! unknown ids, and text from the data that tries to break out of each format.

use crate::support::{Run, Scratch, corroborate, expect_file, fixture};
use std::path::Path;

fn graph(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["graph"];
    all.extend_from_slice(args);
    let run = corroborate(dir, &all);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    assert_eq!(run.stderr, "", "{args:?}");
    run.stdout
}

#[test]
fn the_three_formats_of_a_small_case_are_pinned() {
    let dir = fixture("graph");
    let dot = graph(&dir, &[]);
    assert_eq!(dot, graph(&dir, &["--format", "dot"]), "dot is the default");
    expect_file(&dir.join("graph.dot"), &dot);
    expect_file(
        &dir.join("graph.mmd"),
        &graph(&dir, &["--format", "mermaid"]),
    );
    expect_file(&dir.join("graph.json"), &graph(&dir, &["--format", "json"]));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let dir = fixture("graph");
    for format in ["dot", "mermaid", "json"] {
        let first = graph(&dir, &["--format", format]);
        assert_eq!(first, graph(&dir, &["--format", format]), "{format}");
    }
}

#[test]
fn the_neighbourhood_of_one_record_is_pinned() {
    let dir = fixture("graph");
    expect_file(
        &dir.join("around-paper.mmd"),
        &graph(&dir, &["--around", "paper", "--format", "mermaid"]),
    );
}

fn node_ids(json: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    value["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn around_follows_links_both_ways_up_to_the_depth() {
    // a cites b cites c cites d cites e; a claim rests on a, an entity wrote e.
    let repo = Scratch::new();
    repo.write(
        "claims/chain.yaml",
        "entities:
  - {id: writer, name: Writer}
sources:
  - {id: a, title: A, cites: [b]}
  - {id: b, title: B, cites: [c]}
  - {id: c, title: C, cites: [d]}
  - {id: d, title: D, cites: [e]}
  - {id: e, title: E, by: writer}
claims:
  - id: claim
    statement: S
    evidence:
      - {source: a, stance: supports, quote: q}
",
    );
    let around = |id: &str, depth: Option<&str>| {
        let mut args = vec!["--format", "json", "--around", id];
        if let Some(depth) = depth {
            args.extend(["--depth", depth]);
        }
        node_ids(&graph(repo.path(), &args))
    };
    assert_eq!(around("c", None), ["b", "c", "d"], "depth 1 by default");
    assert_eq!(around("c", Some("1")), ["b", "c", "d"]);
    assert_eq!(around("c", Some("2")), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        around("c", Some("3")),
        ["a", "b", "c", "claim", "d", "e", "writer"]
    );
    assert_eq!(around("c", Some("0")), ["c"]);
    assert_eq!(around("writer", Some("2")), ["d", "e", "writer"]);
    let edges: serde_json::Value =
        serde_json::from_str(&graph(repo.path(), &["--format", "json", "--around", "c"]))
            .expect("JSON");
    assert_eq!(
        edges["edges"],
        serde_json::json!([
            {"from": "b", "to": "c", "kind": "cites"},
            {"from": "c", "to": "d", "kind": "cites"},
        ])
    );
}

#[test]
fn an_unknown_id_is_a_usage_error_with_a_suggestion() {
    let dir = fixture("graph");
    let run = corroborate(&dir, &["graph", "--around", "papr"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: no claim, source or entity has the id `papr`; did you mean `paper`?\n"
    );
    let run = corroborate(&dir, &["graph", "--around", "nothing-like-it"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: no claim, source or entity has the id `nothing-like-it`; ids are the `id` fields in the data files\n"
    );
}

#[test]
fn depth_needs_around() {
    let run = corroborate(&fixture("graph"), &["graph", "--depth", "2"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--around <ID>"),
        "clap names the missing option: {}",
        run.stderr
    );
}

#[test]
fn data_with_errors_is_not_drawn() {
    let run: Run = corroborate(&fixture("unknown-reference"), &["graph"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("error[unknown-reference]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("graph stopped"), "{}", run.stderr);
}

#[test]
fn help_has_examples() {
    let run = corroborate(Path::new("."), &["graph", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Examples:"), "{}", run.stdout);
}

const HOSTILE_NAME: &str = "Evil \"Corp\" <script>alert(1)</script> \\N back\\slash\\";
const HOSTILE_TITLE: &str = "two\nlines \"]) end %% # & `tick` \\l";
const HOSTILE_STATEMENT: &str = "x\" -> \"y\"; <b>bold</b>\r\nnext #quot; \\\\";

fn hostile() -> Scratch {
    let repo = Scratch::new();
    let quoted = |s: &str| serde_json::to_string(s).expect("JSON string is a YAML string");
    repo.write(
        "claims/x.yaml",
        format!(
            "entities:
  - id: evil
    name: {}
sources:
  - id: s
    title: {}
    by: evil
claims:
  - id: end
    statement: {}
    claimant: evil
    evidence:
      - {{source: s, stance: contradicts, quote: q}}
",
            quoted(HOSTILE_NAME),
            quoted(HOSTILE_TITLE),
            quoted(HOSTILE_STATEMENT)
        ),
    );
    repo
}

/// Splits DOT text into its quoted strings and the text between them, failing if a
/// string is not closed or holds a line break.
fn dot_strings(dot: &str) -> (Vec<String>, String) {
    let mut strings = Vec::new();
    let mut outside = String::new();
    let mut chars = dot.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            outside.push(c);
            continue;
        }
        let mut s = String::new();
        loop {
            match chars.next() {
                Some('"') => break,
                Some('\\') => {
                    let escaped = chars.next().expect("an escape is followed by a character");
                    assert!(
                        escaped == '"' || escaped == '\\',
                        "only quotes and backslashes are escaped: \\{escaped}"
                    );
                    s.push(escaped);
                }
                Some('\n') | Some('\r') => panic!("a line break inside a DOT string: {dot}"),
                Some(c) => s.push(c),
                None => panic!("a DOT string is not closed: {dot}"),
            }
        }
        strings.push(s);
        outside.push_str("\"\"");
    }
    (strings, outside)
}

#[test]
fn hostile_labels_stay_inside_their_dot_strings() {
    let repo = hostile();
    let dot = graph(repo.path(), &[]);
    let (strings, outside) = dot_strings(&dot);
    assert!(strings.contains(&HOSTILE_NAME.to_owned()), "{dot}");
    assert!(
        strings.contains(&"two lines \"]) end %% # & `tick` \\l".to_owned()),
        "{dot}"
    );
    assert!(
        strings.contains(&"x\" -> \"y\"; <b>bold</b> next #quot; \\\\".to_owned()),
        "{dot}"
    );
    // Outside the strings, only the structure written by corroborate.
    let statements: Vec<&str> = outside.lines().collect();
    assert_eq!(
        statements,
        [
            "digraph corroborate {",
            "  graph [rankdir=LR];",
            "  node [fontname=\"\", fontsize=10];",
            "  edge [fontname=\"\", fontsize=9];",
            "  \"\" [label=\"\", shape=box, style=\"\", fillcolor=\"\"];",
            "  \"\" [label=\"\", shape=ellipse, style=filled, fillcolor=\"\"];",
            "  \"\" [label=\"\", shape=note, style=filled, fillcolor=\"\"];",
            "  \"\" -> \"\" [label=\"\"];",
            "  \"\" -> \"\" [label=\"\", color=\"\", fontcolor=\"\", style=dashed];",
            "  \"\" -> \"\" [label=\"\"];",
            "}",
        ]
    );
    // Graphviz itself, where it is installed.
    if let Ok(mut child) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(dot.as_bytes())
            .expect("dot reads");
        let output = child.wait_with_output().expect("dot runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let svg = String::from_utf8_lossy(&output.stdout);
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
    }
}

#[test]
fn hostile_labels_hold_no_mermaid_syntax() {
    let repo = hostile();
    let mermaid = graph(repo.path(), &["--format", "mermaid"]);
    let nodes: Vec<&str> = mermaid.lines().filter(|l| l.contains('"')).collect();
    assert_eq!(nodes.len(), 3, "{mermaid}");
    for line in &nodes {
        let line = line.trim_start();
        let name_end = line.find(['[', '(']).expect("a shape");
        assert!(line[..name_end].starts_with('n'), "{line}");
        let open = line.find('"').expect("opening quote");
        let close = line.rfind('"').expect("closing quote");
        let label = &line[open + 1..close];
        assert!(
            !label.contains(['"', '<', '>', '`', '\n']),
            "raw syntax in a label: {line}"
        );
        assert!(
            !label.contains("%%"),
            "a comment could start in a label: {line}"
        );
        let shape = (&line[name_end..open], &line[close + 1..]);
        assert!(
            [("[", "]"), ("[/", "/]"), ("([", "])")].contains(&shape),
            "{line}"
        );
    }
    assert!(
        mermaid.contains(
            "n0[\"x#quot; -#gt; #quot;y#quot;; #lt;b#gt;bold#lt;/b#gt; next #35;quot; \\\\\"]"
        ),
        "{mermaid}"
    );
    assert!(mermaid.contains(
        "n1([\"Evil #quot;Corp#quot; #lt;script#gt;alert(1)#lt;/script#gt; \\N back\\slash\\\"])"
    ), "{mermaid}");
    assert!(
        mermaid.contains("n2[/\"two lines #quot;]) end #37;#37; #35; #amp; #96;tick#96; \\l\"/]"),
        "{mermaid}"
    );
}

#[test]
fn hostile_labels_come_back_whole_from_json() {
    let repo = hostile();
    let json: serde_json::Value =
        serde_json::from_str(&graph(repo.path(), &["--format", "json"])).expect("JSON");
    let labels: Vec<&str> = json["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, [HOSTILE_STATEMENT, HOSTILE_NAME, HOSTILE_TITLE]);
}
