//! What the evidence shows. For each claim: how many items of each stance, which
//! independent origins each side traces back to through `cites`, and the balance;
//! for each source: who cites it. Origins are computed once per source over the
//! condensed citation graph, so a much-cited original costs nothing extra.

use crate::graph::{Graph, Link, Record};
use crate::load::Repository;
use crate::model::{Balance, Stance};
use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};
use rayon::prelude::*;

/// The computed fields of one claim. Source lists hold indices into
/// [`Repository::sources`], ordered by source id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimFacts {
    /// Evidence items of each stance: supports, contradicts, context.
    pub evidence: [usize; 3],
    /// The distinct sources of each side (supports, contradicts), as cited.
    pub sources: [Vec<usize>; 2],
    /// The root sources each side traces back to (supports, contradicts).
    pub origins: [Vec<usize>; 2],
    pub balance: Balance,
}

impl ClaimFacts {
    pub fn count(&self, stance: Stance) -> usize {
        self.evidence[stance_slot(stance)]
    }
    pub fn independent(&self, side: usize) -> usize {
        self.origins[side].len()
    }
}

/// Everything computed from the graph.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    pub claims: Vec<ClaimFacts>,
    /// Per source: the root sources it traces back to, ordered by id.
    pub source_origins: Vec<Vec<usize>>,
    /// Per source: the sources that cite it, ordered by id.
    pub cited_by: Vec<Vec<usize>>,
    /// Citation loops, each as the sources in the order they cite each other.
    pub cycles: Vec<Vec<usize>>,
    /// Each source's position when sources are ordered by id.
    pub source_rank: Vec<usize>,
}

pub const SIDES: [Stance; 2] = [Stance::Supports, Stance::Contradicts];

fn stance_slot(stance: Stance) -> usize {
    match stance {
        Stance::Supports => 0,
        Stance::Contradicts => 1,
        Stance::Context => 2,
    }
}

pub fn analyse(repo: &Repository, g: &Graph) -> Analysis {
    let source_rank = rank_by_id(repo);
    let (source_origins, cycles) = origins(repo, g, &source_rank);
    let cited_by = cited_by(repo, g, &source_rank);
    let claims = (0..repo.claims.len())
        .into_par_iter()
        .map(|i| claim_facts(repo, g, i, &source_origins, &source_rank))
        .collect();
    Analysis {
        claims,
        source_origins,
        cited_by,
        cycles,
        source_rank,
    }
}

fn rank_by_id(repo: &Repository) -> Vec<usize> {
    let mut order: Vec<usize> = (0..repo.sources.len()).collect();
    order.sort_by(|&a, &b| {
        repo.sources[a]
            .id
            .value
            .cmp(&repo.sources[b].id.value)
            .then(a.cmp(&b))
    });
    let mut rank = vec![0; order.len()];
    for (position, &source) in order.iter().enumerate() {
        rank[source] = position;
    }
    rank
}

fn source_index(g: &Graph, node: NodeIndex) -> Option<usize> {
    match g.record(node) {
        Record::Source(i) => Some(i),
        _ => None,
    }
}

/// Roots of every source, and the citation loops. Tarjan's algorithm yields strongly
/// connected components with every component after those it cites, so each source's
/// roots are the union of the roots of what it cites, already computed.
fn origins(repo: &Repository, g: &Graph, rank: &[usize]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let cites = EdgeFiltered::from_fn(&g.graph, |e| *e.weight() == Link::Cites);
    let mut roots: Vec<Vec<usize>> = vec![Vec::new(); repo.sources.len()];
    let mut cycles = Vec::new();
    for component in tarjan_scc(&cites) {
        let members: Vec<usize> = component
            .iter()
            .filter_map(|&n| source_index(g, n))
            .collect();
        if members.is_empty() {
            continue;
        }
        let is_loop = members.len() > 1
            || g.graph
                .edges(component[0])
                .any(|e| *e.weight() == Link::Cites && e.target() == component[0]);
        let mut union: Vec<usize> = Vec::new();
        for &node in &component {
            for edge in g.graph.edges_directed(node, Direction::Outgoing) {
                if *edge.weight() != Link::Cites || component.contains(&edge.target()) {
                    continue;
                }
                if let Some(cited) = source_index(g, edge.target()) {
                    union = merge_sorted(&union, &roots[cited], rank);
                }
            }
        }
        if union.is_empty() {
            union = members.clone();
            union.sort_by_key(|&s| rank[s]);
        }
        if is_loop {
            cycles.push(cycle_order(g, &component));
        }
        for &member in &members {
            roots[member] = union.clone();
        }
    }
    cycles.sort();
    (roots, cycles)
}

/// One actual loop through a component, starting at its smallest source index.
fn cycle_order(g: &Graph, component: &[NodeIndex]) -> Vec<usize> {
    let Some(&start) = component.iter().min() else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut seen = vec![start];
    let mut current = start;
    loop {
        let next = g
            .graph
            .edges(current)
            .filter(|e| *e.weight() == Link::Cites && component.contains(&e.target()))
            .map(|e| e.target())
            .min_by_key(|&t| (t != start, seen.contains(&t), t));
        match next {
            Some(t) if t == start => break,
            Some(t) if !seen.contains(&t) => {
                path.push(t);
                seen.push(t);
                current = t;
            }
            _ => break,
        }
    }
    path.into_iter()
        .filter_map(|n| source_index(g, n))
        .collect()
}

/// Union of two lists of sources ordered by rank.
fn merge_sorted(a: &[usize], b: &[usize], rank: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match rank[a[i]].cmp(&rank[b[j]]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn cited_by(repo: &Repository, g: &Graph, rank: &[usize]) -> Vec<Vec<usize>> {
    (0..repo.sources.len())
        .into_par_iter()
        .map(|i| {
            let mut citing: Vec<usize> = g
                .graph
                .edges_directed(g.source_node(i), Direction::Incoming)
                .filter(|e| *e.weight() == Link::Cites)
                .filter_map(|e| source_index(g, e.source()))
                .collect();
            citing.sort_by_key(|&s| rank[s]);
            citing.dedup();
            citing
        })
        .collect()
}

fn claim_facts(
    repo: &Repository,
    g: &Graph,
    claim: usize,
    roots: &[Vec<usize>],
    rank: &[usize],
) -> ClaimFacts {
    let mut facts = ClaimFacts {
        evidence: [0; 3],
        sources: [Vec::new(), Vec::new()],
        origins: [Vec::new(), Vec::new()],
        balance: Balance::NoEvidence,
    };
    for item in &repo.claims[claim].evidence {
        facts.evidence[stance_slot(item.stance)] += 1;
    }
    for edge in g.graph.edges(g.claim_node(claim)) {
        let Link::Evidence(stance) = *edge.weight() else {
            continue;
        };
        let (Some(source), Some(side)) = (
            source_index(g, edge.target()),
            SIDES.iter().position(|s| *s == stance),
        ) else {
            continue;
        };
        facts.sources[side].push(source);
    }
    for side in 0..2 {
        let sources = &mut facts.sources[side];
        sources.sort_by_key(|&s| rank[s]);
        sources.dedup();
        let mut union = Vec::new();
        for &source in sources.iter() {
            union = merge_sorted(&union, &roots[source], rank);
        }
        facts.origins[side] = union;
    }
    facts.balance = match (facts.evidence[0] > 0, facts.evidence[1] > 0) {
        (false, false) => Balance::NoEvidence,
        (true, false) => Balance::Supported,
        (false, true) => Balance::Contradicted,
        (true, true) => Balance::Contested,
    };
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{Sink, data_file};
    use crate::graph;

    /// A repository of sources `cites`-linked as given, and one claim `the-claim` whose
    /// evidence names `supports` and `contradicts` sources.
    fn repo(cites: &[(&str, &[&str])], supports: &[&str], contradicts: &[&str]) -> Repository {
        let mut text = String::from("sources:\n");
        for (id, cited) in cites {
            text.push_str(&format!(
                "  - id: {id}\n    title: {id}\n    cites: [{}]\n",
                cited.join(", ")
            ));
        }
        text.push_str("claims:\n  - id: the-claim\n    statement: s\n    evidence:\n");
        for s in supports {
            text.push_str(&format!("      - {{source: {s}, stance: supports}}\n"));
        }
        for s in contradicts {
            text.push_str(&format!("      - {{source: {s}, stance: contradicts}}\n"));
        }
        let mut sink = Sink::new("t.yaml");
        let records = data_file(crate::yaml::parse(&text).expect("valid YAML"), 0, &mut sink);
        assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
        Repository {
            files: vec!["t.yaml".into()],
            entities: records.entities,
            sources: records.sources,
            claims: records.claims,
            ..Repository::default()
        }
    }

    fn run(repo: &Repository) -> (Graph, Analysis) {
        let (g, diagnostics) = graph::build(repo);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let analysis = analyse(repo, &g);
        (g, analysis)
    }

    fn ids(repo: &Repository, list: &[usize]) -> Vec<String> {
        list.iter()
            .map(|&s| repo.sources[s].id.value.clone())
            .collect()
    }

    #[test]
    fn a_source_without_cites_is_its_own_origin() {
        let r = repo(&[("a", &[]), ("b", &[])], &["a", "b"], &[]);
        let (_, an) = run(&r);
        assert_eq!(ids(&r, &an.claims[0].origins[0]), ["a", "b"]);
        assert_eq!(an.claims[0].independent(0), 2);
        assert_eq!(an.claims[0].balance, Balance::Supported);
    }

    #[test]
    fn a_chain_traces_back_to_its_root() {
        let r = repo(
            &[("d", &["c"]), ("c", &["b"]), ("b", &["a"]), ("a", &[])],
            &["d", "b"],
            &[],
        );
        let (_, an) = run(&r);
        assert_eq!(ids(&r, &an.claims[0].origins[0]), ["a"]);
        assert_eq!(ids(&r, &an.claims[0].sources[0]), ["b", "d"]);
        assert_eq!(ids(&r, &an.source_origins[0]), ["a"]);
    }

    #[test]
    fn a_diamond_counts_its_root_once() {
        // top cites left and right, both cite root
        let r = repo(
            &[
                ("top", &["left", "right"]),
                ("left", &["root"]),
                ("right", &["root"]),
                ("root", &[]),
            ],
            &["top", "left", "right"],
            &[],
        );
        let (_, an) = run(&r);
        assert_eq!(ids(&r, &an.claims[0].origins[0]), ["root"]);
        assert_eq!(an.claims[0].independent(0), 1);
        let right = r
            .sources
            .iter()
            .position(|s| s.id.value == "root")
            .expect("root");
        assert_eq!(ids(&r, &an.cited_by[right]), ["left", "right"]);
    }

    #[test]
    fn shared_roots_on_both_sides_and_mixed_roots() {
        let r = repo(
            &[
                ("wire", &[]),
                ("paper-1", &["wire"]),
                ("paper-2", &["wire", "own"]),
                ("own", &[]),
                ("rebuttal", &["wire"]),
            ],
            &["paper-1", "paper-2"],
            &["rebuttal"],
        );
        let (_, an) = run(&r);
        let facts = &an.claims[0];
        assert_eq!(ids(&r, &facts.origins[0]), ["own", "wire"]);
        assert_eq!(ids(&r, &facts.origins[1]), ["wire"]);
        assert_eq!(facts.balance, Balance::Contested);
        assert_eq!(facts.evidence, [2, 1, 0]);
    }

    #[test]
    fn cycles_are_found_and_listed_in_citing_order() {
        let r = repo(
            &[
                ("a", &["b"]),
                ("b", &["c"]),
                ("c", &["a", "x"]),
                ("x", &[]),
                ("self", &["self"]),
                ("outside", &["a"]),
            ],
            &["outside"],
            &[],
        );
        let (_, an) = run(&r);
        let cycles: Vec<Vec<String>> = an.cycles.iter().map(|c| ids(&r, c)).collect();
        assert_eq!(cycles, [vec!["a", "b", "c"], vec!["self"]]);
        // A loop with a way out still traces back to what it cites outside itself.
        assert_eq!(ids(&r, &an.claims[0].origins[0]), ["x"]);
    }

    #[test]
    fn no_evidence_and_context_only() {
        let r = repo(&[("a", &[])], &[], &[]);
        let (_, an) = run(&r);
        assert_eq!(an.claims[0].balance, Balance::NoEvidence);
        assert!(an.claims[0].origins[0].is_empty());
    }

    #[test]
    fn repeated_evidence_from_one_source_is_one_source() {
        let r = repo(&[("a", &[])], &["a", "a"], &["a"]);
        let (_, an) = run(&r);
        assert_eq!(an.claims[0].evidence, [2, 1, 0]);
        assert_eq!(an.claims[0].sources[0].len(), 1);
        assert_eq!(an.claims[0].balance, Balance::Contested);
    }
}
