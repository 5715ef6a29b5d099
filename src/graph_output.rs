//! The graph drawn for people and read by other programs: Graphviz DOT to render an
//! image, a Mermaid block that GitHub and GitLab draw in a pull request, or JSON. Either
//! the whole repository or the neighbourhood of one record, since a large case drawn
//! whole is unreadable.
//!
//! Every format is built from the same sorted lists of nodes and edges, so the same data
//! always gives the same bytes. Text from the data reaches each format only through its
//! own escaping: it can never end a DOT string, open a Mermaid shape or inject markup.

use crate::check::Checked;
use crate::graph::{Link, Record};
use crate::model::Relation;
use crate::text::{closest, one_line, shown};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::VecDeque;
use std::fmt::{self, Write as _};

/// The longest label drawn in a node; a statement can be a paragraph.
const LABEL_CHARS: usize = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Dot,
    Mermaid,
    Json,
}

/// Keep only the records within `depth` links of `id`, whichever way the links point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Around {
    pub id: String,
    pub depth: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub format: Format,
    pub around: Option<Around>,
}

/// `--around` named no record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownId {
    pub id: String,
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no claim, source or entity has the id `{}`",
            shown(&self.id)
        )?;
        match &self.suggestion {
            Some(near) => write!(f, "; did you mean `{near}`?"),
            None => write!(f, "; ids are the `id` fields in the data files"),
        }
    }
}

impl std::error::Error for UnknownId {}

#[derive(Debug, Serialize)]
struct Node<'a> {
    id: &'a str,
    kind: &'static str,
    /// The whole text: JSON readers can shorten it themselves.
    label: &'a str,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
struct Edge<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Drawing<'a> {
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge<'a>>,
}

/// Renders the graph, or the part of it that `options.around` selects.
///
/// Expects data without errors: with duplicate ids, nodes would share an id.
pub fn render(checked: &Checked, options: &Options) -> Result<String, UnknownId> {
    let drawing = select(checked, options.around.as_ref())?;
    Ok(match options.format {
        Format::Dot => dot(&drawing),
        Format::Mermaid => mermaid(&drawing),
        Format::Json => json(&drawing),
    })
}

/// The word that names a link in every format.
pub fn link_kind(link: Link) -> &'static str {
    match link {
        Link::Evidence(stance) => stance.as_str(),
        Link::Related(Relation::Supports) => "related-supports",
        Link::Related(Relation::Contradicts) => "related-contradicts",
        Link::Related(Relation::Refines) => "related-refines",
        Link::Cites => "cites",
        Link::By => "by",
        Link::Claimant => "claimant",
        Link::About => "about",
        Link::Appearance => "appearance",
        Link::Via => "via",
    }
}

fn select<'a>(checked: &'a Checked, around: Option<&Around>) -> Result<Drawing<'a>, UnknownId> {
    let g = &checked.graph.graph;
    let keep: Vec<bool> = match around {
        None => vec![true; g.node_count()],
        Some(around) => {
            let Some(&start) = checked.graph.ids.get(&around.id) else {
                return Err(unknown(checked, &around.id));
            };
            neighbourhood(checked, start, around.depth)
        }
    };
    let repo = &checked.repo;
    let mut nodes: Vec<Node<'a>> = g
        .node_indices()
        .filter(|n| keep[n.index()])
        .map(|n| match g[n] {
            Record::Entity(i) => Node {
                id: &repo.entities[i].id.value,
                kind: "entity",
                label: &repo.entities[i].name,
            },
            Record::Source(i) => Node {
                id: &repo.sources[i].id.value,
                kind: "source",
                label: &repo.sources[i].title,
            },
            Record::Claim(i) => Node {
                id: &repo.claims[i].id.value,
                kind: "claim",
                label: &repo.claims[i].statement,
            },
        })
        .collect();
    nodes.sort_by(|a, b| (a.id, a.kind).cmp(&(b.id, b.kind)));
    let id_of = |n: NodeIndex| match g[n] {
        Record::Entity(i) => repo.entities[i].id.value.as_str(),
        Record::Source(i) => repo.sources[i].id.value.as_str(),
        Record::Claim(i) => repo.claims[i].id.value.as_str(),
    };
    let mut edges: Vec<Edge<'a>> = g
        .edge_references()
        .filter(|e| keep[e.source().index()] && keep[e.target().index()])
        .map(|e| Edge {
            from: id_of(e.source()),
            to: id_of(e.target()),
            kind: link_kind(*e.weight()),
        })
        .collect();
    edges.sort();
    // The same source cited twice with one stance is one line in a drawing.
    edges.dedup();
    Ok(Drawing { nodes, edges })
}

/// Breadth-first over links in both directions: what cites a source matters as much as
/// what it cites.
fn neighbourhood(checked: &Checked, start: NodeIndex, depth: usize) -> Vec<bool> {
    let g = &checked.graph.graph;
    let mut keep = vec![false; g.node_count()];
    keep[start.index()] = true;
    let mut queue = VecDeque::from([(start, 0)]);
    while let Some((node, distance)) = queue.pop_front() {
        if distance == depth {
            continue;
        }
        for next in g.neighbors_undirected(node) {
            if !keep[next.index()] {
                keep[next.index()] = true;
                queue.push_back((next, distance + 1));
            }
        }
    }
    keep
}

fn unknown(checked: &Checked, id: &str) -> UnknownId {
    let mut ids: Vec<&str> = checked.graph.ids.keys().map(String::as_str).collect();
    ids.sort_unstable();
    UnknownId {
        id: id.to_owned(),
        suggestion: closest(id, ids).map(str::to_owned),
    }
}

const SUPPORTS_COLOUR: &str = "#2e7d32";
const CONTRADICTS_COLOUR: &str = "#c62828";
const CONTEXT_COLOUR: &str = "#757575";

fn dot(drawing: &Drawing<'_>) -> String {
    let mut out = String::from(
        "digraph corroborate {\n  graph [rankdir=LR];\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    for node in &drawing.nodes {
        let style = match node.kind {
            "claim" => "shape=box, style=\"rounded,filled\", fillcolor=\"#e3f2fd\"",
            "source" => "shape=note, style=filled, fillcolor=\"#fff8e1\"",
            _ => "shape=ellipse, style=filled, fillcolor=\"#f3e5f5\"",
        };
        let _ = writeln!(
            out,
            "  {} [label={}, {style}];",
            dot_string(node.id),
            dot_string(&one_line(node.label, LABEL_CHARS))
        );
    }
    for edge in &drawing.edges {
        let colour = match edge.kind {
            "supports" => format!(", color=\"{SUPPORTS_COLOUR}\", fontcolor=\"{SUPPORTS_COLOUR}\""),
            "contradicts" => format!(
                ", color=\"{CONTRADICTS_COLOUR}\", fontcolor=\"{CONTRADICTS_COLOUR}\", style=dashed"
            ),
            "context" => format!(", color=\"{CONTEXT_COLOUR}\", fontcolor=\"{CONTEXT_COLOUR}\""),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}{colour}];",
            dot_string(edge.from),
            dot_string(edge.to),
            dot_string(edge.kind)
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string. Backslashes are doubled so that the data cannot use Graphviz's
/// own escapes (`\N`, `\l`); line breaks cannot occur in a quoted id, so they become spaces.
fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn mermaid(drawing: &Drawing<'_>) -> String {
    let mut out = String::from("flowchart LR\n");
    // Record ids may be Mermaid keywords (`end`, `graph`), so nodes get numbered names.
    let names: std::collections::HashMap<&str, String> = drawing
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| (node.id, format!("n{i}")))
        .collect();
    let mut classes: [(&str, Vec<&str>); 3] = [
        ("claim", Vec::new()),
        ("source", Vec::new()),
        ("entity", Vec::new()),
    ];
    for node in &drawing.nodes {
        let name = names.get(node.id).map_or("", String::as_str);
        let label = mermaid_label(&one_line(node.label, LABEL_CHARS));
        let (open, close) = match node.kind {
            "claim" => ("[", "]"),
            "source" => ("[/", "/]"),
            _ => ("([", "])"),
        };
        let _ = writeln!(out, "  {name}{open}\"{label}\"{close}");
        if let Some((_, members)) = classes.iter_mut().find(|(kind, _)| *kind == node.kind) {
            members.push(name);
        }
    }
    let mut by_colour: [(&str, &str, Vec<usize>); 3] = [
        (SUPPORTS_COLOUR, "", Vec::new()),
        (CONTRADICTS_COLOUR, ",stroke-dasharray:5 5", Vec::new()),
        (CONTEXT_COLOUR, "", Vec::new()),
    ];
    for (i, edge) in drawing.edges.iter().enumerate() {
        let from = names.get(edge.from).map_or("", String::as_str);
        let to = names.get(edge.to).map_or("", String::as_str);
        let arrow = if edge.kind == "contradicts" {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(out, "  {from} {arrow}|{}| {to}", edge.kind);
        let slot = match edge.kind {
            "supports" => Some(0),
            "contradicts" => Some(1),
            "context" => Some(2),
            _ => None,
        };
        if let Some(slot) = slot {
            by_colour[slot].2.push(i);
        }
    }
    out.push_str("  classDef claim fill:#e3f2fd,stroke:#1565c0\n");
    out.push_str("  classDef source fill:#fff8e1,stroke:#f9a825\n");
    out.push_str("  classDef entity fill:#f3e5f5,stroke:#6a1b9a\n");
    for (kind, members) in &classes {
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {kind}", members.join(","));
        }
    }
    for (colour, extra, edges) in &by_colour {
        if !edges.is_empty() {
            let list: Vec<String> = edges.iter().map(usize::to_string).collect();
            let _ = writeln!(
                out,
                "  linkStyle {} stroke:{colour},color:{colour}{extra}",
                list.join(",")
            );
        }
    }
    out
}

/// Text for inside a quoted Mermaid label. Mermaid decodes `#name;` entity codes and
/// renders labels as HTML, so `#`, `&`, `<`, `>` and the quote are written as codes;
/// a backtick would switch the label to Markdown and `%%` starts a comment.
fn mermaid_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '%' => out.push_str("#37;"),
            c => out.push(c),
        }
    }
    out
}

fn json(drawing: &Drawing<'_>) -> String {
    let mut out = serde_json::to_string_pretty(drawing)
        .unwrap_or_else(|_| String::from("{\"nodes\": [], \"edges\": []}"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_cannot_be_left() {
        assert_eq!(dot_string(r#"a "b" \N"#), r#""a \"b\" \\N""#);
        assert_eq!(dot_string("a\nb"), "\"a b\"");
    }

    #[test]
    fn mermaid_labels_hold_no_markup() {
        assert_eq!(
            mermaid_label(r#"<script>"x" & #quot; `y` 50%"#),
            "#lt;script#gt;#quot;x#quot; #amp; #35;quot; #96;y#96; 50#37;"
        );
    }
}
