//! What the evidence shows. For each claim: how many items of each stance, which
//! independent origins each side traces back to through `cites`, and the balance;
//! for each source: who cites it. Origins are computed once per source over the
//! condensed citation graph, so a much-cited original costs nothing extra. Origin sets
//! are shared, not copied: a source whose origins are those of a source it cites holds
//! the same set, so 2,000 sources citing one hub of 2,000 origins keep one set of 2,000,
//! and memory grows with the data rather than with its square.

use crate::graph::{Graph, Link, Record};
use crate::load::Repository;
use crate::model::{Balance, Stance};
use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Lists up to this long are repeated wherever they are shown (a page of the site, a
/// source in the export); a longer list is shown as its first [`SHORT_LIST`] items and
/// given in full once, in one place.
pub const SHORT_LIST: usize = 50;

/// A set of origins: sources ordered by id. Cloning shares it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OriginSet(Arc<[usize]>);

impl OriginSet {
    pub fn as_slice(&self) -> &[usize] {
        &self.0
    }

    /// Whether the two are one shared set (not merely equal).
    pub fn same(&self, other: &OriginSet) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// What identifies the shared set, for maps keyed by set.
    pub fn key(&self) -> usize {
        Arc::as_ptr(&self.0).cast::<usize>() as usize
    }
}

impl std::ops::Deref for OriginSet {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.0
    }
}

impl From<Vec<usize>> for OriginSet {
    fn from(list: Vec<usize>) -> Self {
        OriginSet(list.into())
    }
}

/// Looks sets up by their items in a set of sets.
impl std::borrow::Borrow<[usize]> for OriginSet {
    fn borrow(&self) -> &[usize] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a OriginSet {
    type Item = &'a usize;
    type IntoIter = std::slice::Iter<'a, usize>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One value for each stance of evidence: what supports a claim, what contradicts it
/// and what gives context. Named rather than indexed, so that no reader has to know
/// that `[1]` meant "contradicts"; looked up by [`Stance`] where the stance is a value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Sides<T> {
    pub supports: T,
    pub contradicts: T,
    pub context: T,
}

/// The two sides that the balance weighs, in the order they are shown: context neither
/// bears a claim out nor refutes it.
pub const WEIGHED: [Stance; 2] = [Stance::Supports, Stance::Contradicts];

impl<T> Sides<T> {
    /// Each stance's value, with the stance: supports, contradicts, context.
    pub fn all(&self) -> [(Stance, &T); 3] {
        [
            (Stance::Supports, &self.supports),
            (Stance::Contradicts, &self.contradicts),
            (Stance::Context, &self.context),
        ]
    }

    /// The values of the two [`WEIGHED`] sides, with their stance.
    pub fn weighed(&self) -> [(Stance, &T); 2] {
        [
            (Stance::Supports, &self.supports),
            (Stance::Contradicts, &self.contradicts),
        ]
    }

    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> Sides<U> {
        Sides {
            supports: f(&self.supports),
            contradicts: f(&self.contradicts),
            context: f(&self.context),
        }
    }
}

impl<T> std::ops::Index<Stance> for Sides<T> {
    type Output = T;
    fn index(&self, stance: Stance) -> &T {
        match stance {
            Stance::Supports => &self.supports,
            Stance::Contradicts => &self.contradicts,
            Stance::Context => &self.context,
        }
    }
}

impl<T> std::ops::IndexMut<Stance> for Sides<T> {
    fn index_mut(&mut self, stance: Stance) -> &mut T {
        match stance {
            Stance::Supports => &mut self.supports,
            Stance::Contradicts => &mut self.contradicts,
            Stance::Context => &mut self.context,
        }
    }
}

/// Serialises the two [`WEIGHED`] sides only (`supports`, `contradicts`), for values
/// that a reader weighs, such as independent origins: `#[serde(serialize_with)]`.
pub fn serialize_weighed<T: Serialize, S: serde::Serializer>(
    sides: &Sides<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut out = serializer.serialize_struct("Sides", 2)?;
    out.serialize_field("supports", &sides.supports)?;
    out.serialize_field("contradicts", &sides.contradicts)?;
    out.end()
}

pub use crate::quote_check::{QuoteCheck, QuoteChecks, QuoteStatus};

/// The computed fields of one evidence item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemFacts {
    /// The item's `source`, when its id names one.
    pub source: Option<usize>,
    /// The source the item was read in ([`crate::model::Evidence::channel`]), when
    /// its id names one.
    pub channel: Option<usize>,
    /// The source whose copies hold the quote
    /// ([`crate::model::Evidence::quoted_source`]), when its id names one.
    pub quoted: Option<usize>,
    pub quote_check: QuoteCheck,
}

/// The computed fields of one claim. Source lists hold indices into
/// [`Repository::sources`], ordered by source id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimFacts {
    /// Evidence items of each stance.
    pub evidence: Sides<usize>,
    /// The distinct sources of each stance, as cited.
    pub sources: Sides<Vec<usize>>,
    /// The root sources each stance traces back to: the set of one of its sources when
    /// that one holds all the others'.
    pub origins: Sides<OriginSet>,
    /// The distinct channels of each stance's items (where they were read), ordered
    /// by id.
    pub channels: Sides<Vec<usize>>,
    /// Per evidence item, in the order written.
    pub items: Vec<ItemFacts>,
    pub balance: Balance,
}

impl ClaimFacts {
    /// How many independent origins a side traces back to.
    pub fn independent(&self, stance: Stance) -> usize {
        self.origins[stance].len()
    }
}

/// Everything computed from the graph.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    pub claims: Vec<ClaimFacts>,
    /// Per source: the root sources it traces back to, ordered by id; sources with the
    /// same origins share one set.
    pub source_origins: Vec<OriginSet>,
    /// Per source: how many levels of `cites` lie between it and its origins (0 for an
    /// origin), by the longest chain.
    pub source_level: Vec<usize>,
    /// Per source: the source that gives its set of origins in full (see
    /// [`origin_owners`]).
    pub origin_owner: Vec<usize>,
    /// Per source: the sources that cite it, ordered by id.
    pub cited_by: Vec<Vec<usize>>,
    /// Citation loops, each as the sources in the order they cite each other.
    pub cycles: Vec<Vec<usize>>,
    /// Each source's position when sources are ordered by id.
    pub source_rank: Vec<usize>,
}

impl Analysis {
    /// Whether the source is its own origin: it cites no other.
    pub fn is_origin(&self, source: usize) -> bool {
        self.source_origins[source].as_slice() == [source]
    }
}

/// Works out what the evidence shows; `checks` are the quote checks
/// ([`crate::quote_check::check_all`]).
pub fn analyse(repo: &Repository, g: &Graph, checks: QuoteChecks) -> Analysis {
    let source_rank = rank_by_id(repo);
    let (source_origins, source_level, cycles) = origins(repo, g, &source_rank);
    let origin_owner = origin_owners(&source_origins, &source_level, &source_rank);
    let cited_by = cited_by(repo, g, &source_rank);
    let mut checks = checks.into_items();
    checks.resize_with(repo.claims.len(), Vec::new);
    let claims = checks
        .into_par_iter()
        .enumerate()
        .map(|(i, checks)| claim_facts(repo, g, i, &source_origins, &source_rank, checks))
        .collect();
    Analysis {
        claims,
        source_origins,
        source_level,
        origin_owner,
        cited_by,
        cycles,
        source_rank,
    }
}

/// For each source, the one source that gives its set of origins in full: among the
/// sources with an equal set, the one lowest in the citation chains (the fewest levels
/// above its origins; a hub rather than the sources that cite it), then the first by
/// id. Defined by the data alone, so the same data always names the same source.
/// Equal sets of sources are one shared set (see [`intern`]), so sets are told apart
/// by identity.
pub fn origin_owners(sets: &[OriginSet], level: &[usize], rank: &[usize]) -> Vec<usize> {
    let mut best: HashMap<usize, usize> = HashMap::new();
    for (source, set) in sets.iter().enumerate() {
        best.entry(set.key())
            .and_modify(|owner| {
                if (level[source], rank[source]) < (level[*owner], rank[*owner]) {
                    *owner = source;
                }
            })
            .or_insert(source);
    }
    sets.iter()
        .map(|set| best.get(&set.key()).copied().unwrap_or_default())
        .collect()
}

/// The union of some origin sets.
enum Union {
    /// One of the sets, which holds all the others: shared rather than copied.
    Shared(OriginSet),
    /// A new list, ordered by rank.
    Made(Vec<usize>),
}

/// The union of the sets of `cited` (each ordered by rank); `None` when there are none.
fn union_of(mut cited: Vec<OriginSet>, rank: &[usize]) -> Option<Union> {
    cited.sort_unstable_by_key(OriginSet::key);
    cited.dedup_by(|a, b| a.same(b));
    let largest = cited.iter().max_by_key(|s| s.len())?.clone();
    if cited.len() == 1 {
        return Some(Union::Shared(largest));
    }
    let mut all: Vec<usize> = cited.iter().flat_map(|s| s.iter().copied()).collect();
    all.sort_unstable_by_key(|&s| rank[s]);
    all.dedup();
    // The union holds every set, so one as long as the union is the union.
    Some(if all.len() == largest.len() {
        Union::Shared(largest)
    } else {
        Union::Made(all)
    })
}

/// The set equal to `list` if one was made before, else `list` as a new set.
fn intern(list: Vec<usize>, distinct: &mut HashSet<OriginSet>) -> OriginSet {
    if let Some(known) = distinct.get(list.as_slice()) {
        return known.clone();
    }
    let set = OriginSet::from(list);
    distinct.insert(set.clone());
    set
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

/// Roots and level of every source, and the citation loops. Tarjan's algorithm yields
/// strongly connected components with every component after those it cites, so each
/// source's roots are the union of the roots of what it cites, already computed. Sets
/// made afresh are kept once each: an equal set found later is the earlier one.
type Origins = (Vec<OriginSet>, Vec<usize>, Vec<Vec<usize>>);

fn origins(repo: &Repository, g: &Graph, rank: &[usize]) -> Origins {
    let cites = EdgeFiltered::from_fn(&g.graph, |e| *e.weight() == Link::Cites);
    let mut roots: Vec<OriginSet> = vec![OriginSet::default(); repo.sources.len()];
    let mut level: Vec<usize> = vec![0; repo.sources.len()];
    let mut distinct: HashSet<OriginSet> = HashSet::new();
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
        let mut cited: Vec<OriginSet> = Vec::new();
        let mut depth = 0;
        for &node in &component {
            for edge in g.graph.edges_directed(node, Direction::Outgoing) {
                if *edge.weight() != Link::Cites || component.contains(&edge.target()) {
                    continue;
                }
                if let Some(c) = source_index(g, edge.target()) {
                    cited.push(roots[c].clone());
                    depth = depth.max(level[c] + 1);
                }
            }
        }
        let set = match union_of(cited, rank) {
            Some(Union::Shared(set)) => set,
            Some(Union::Made(list)) => intern(list, &mut distinct),
            None => {
                let mut own = members.clone();
                own.sort_by_key(|&s| rank[s]);
                intern(own, &mut distinct)
            }
        };
        if is_loop {
            cycles.push(cycle_order(g, &component));
        }
        for &member in &members {
            roots[member] = set.clone();
            level[member] = depth;
        }
    }
    cycles.sort();
    (roots, level, cycles)
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
    roots: &[OriginSet],
    rank: &[usize],
    checks: Vec<QuoteCheck>,
) -> ClaimFacts {
    let mut evidence = Sides::default();
    for item in &repo.claims[claim].evidence {
        evidence[item.stance] += 1;
    }
    let mut sources: Sides<Vec<usize>> = Sides::default();
    for edge in g.graph.edges(g.claim_node(claim)) {
        if let (Link::Evidence(stance), Some(source)) =
            (*edge.weight(), source_index(g, edge.target()))
        {
            sources[stance].push(source);
        }
    }
    for stance in Stance::ALL {
        let list = &mut sources[*stance];
        list.sort_by_key(|&s| rank[s]);
        list.dedup();
    }
    let origins = sources.map(|list| {
        let cited = list.iter().map(|&s| roots[s].clone()).collect();
        match union_of(cited, rank) {
            Some(Union::Shared(set)) => set,
            Some(Union::Made(list)) => OriginSet::from(list),
            None => OriginSet::default(),
        }
    });
    let items: Vec<ItemFacts> = repo.claims[claim]
        .evidence
        .iter()
        .zip(
            checks
                .into_iter()
                .map(Some)
                .chain(std::iter::repeat_with(|| None)),
        )
        .map(|(item, check)| ItemFacts {
            source: named_source(g, &item.source.value),
            channel: named_source(g, &item.channel().value),
            quoted: quoted_source(g, item),
            quote_check: check.unwrap_or_else(|| crate::quote_check::without_copies(item)),
        })
        .collect();
    let channels = channels(&repo.claims[claim].evidence, &items, rank);
    let balance = match (evidence.supports > 0, evidence.contradicts > 0) {
        (false, false) => Balance::NoEvidence,
        (true, false) => Balance::Supported,
        (false, true) => Balance::Contradicted,
        (true, true) => Balance::Contested,
    };
    ClaimFacts {
        evidence,
        sources,
        origins,
        channels,
        items,
        balance,
    }
}

/// The source an id names, if it names one.
fn named_source(g: &Graph, id: &str) -> Option<usize> {
    g.ids.get(id).and_then(|&node| source_index(g, node))
}

/// The distinct channels of each stance, ordered by id (`rank`): the one place they
/// are worked out, for the export, the lints and the pages.
pub fn channels(
    evidence: &[crate::model::Evidence],
    items: &[ItemFacts],
    rank: &[usize],
) -> Sides<Vec<usize>> {
    let mut channels: Sides<Vec<usize>> = Sides::default();
    for (item, facts) in evidence.iter().zip(items) {
        channels[item.stance].extend(facts.channel);
    }
    for stance in Stance::ALL {
        let list = &mut channels[*stance];
        list.sort_by_key(|&s| rank[s]);
        list.dedup();
    }
    channels
}

/// The source whose copies hold the item's quoted words
/// ([`crate::model::Evidence::quoted_source`]), if the id names a source.
pub fn quoted_source(g: &Graph, item: &crate::model::Evidence) -> Option<usize> {
    named_source(g, &item.quoted_source().value)
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
        let analysis = analyse(repo, &g, QuoteChecks::default());
        (g, analysis)
    }

    fn counts(supports: usize, contradicts: usize, context: usize) -> Sides<usize> {
        Sides {
            supports,
            contradicts,
            context,
        }
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
        assert_eq!(ids(&r, &an.claims[0].origins.supports), ["a", "b"]);
        assert_eq!(an.claims[0].independent(Stance::Supports), 2);
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
        assert_eq!(ids(&r, &an.claims[0].origins.supports), ["a"]);
        assert_eq!(ids(&r, &an.claims[0].sources.supports), ["b", "d"]);
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
        assert_eq!(ids(&r, &an.claims[0].origins.supports), ["root"]);
        assert_eq!(an.claims[0].independent(Stance::Supports), 1);
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
        assert_eq!(ids(&r, &facts.origins.supports), ["own", "wire"]);
        assert_eq!(ids(&r, &facts.origins.contradicts), ["wire"]);
        assert_eq!(facts.balance, Balance::Contested);
        assert_eq!(facts.evidence, counts(2, 1, 0));
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
        assert_eq!(ids(&r, &an.claims[0].origins.supports), ["x"]);
    }

    #[test]
    fn equal_origins_are_one_shared_set_given_by_the_lowest_source() {
        let r = repo(
            &[
                ("hub", &["r1", "r2"]),
                ("a", &["hub"]),
                ("b", &["hub", "r1"]),
                ("twin", &["r2", "r1"]),
                ("zed", &["r1", "r2"]),
                ("r1", &[]),
                ("r2", &[]),
            ],
            &["a", "b"],
            &["r1"],
        );
        let (_, an) = run(&r);
        let at = |id: &str| {
            r.sources
                .iter()
                .position(|s| s.id.value == id)
                .expect("a source")
        };
        let hub = &an.source_origins[at("hub")];
        assert_eq!(ids(&r, hub), ["r1", "r2"]);
        // Shared through what they cite, and an equal set made apart is the same set.
        for id in ["a", "b", "twin", "zed"] {
            assert!(an.source_origins[at(id)].same(hub), "{id}");
        }
        assert!(an.claims[0].origins.supports.same(hub));
        assert!(an.source_origins[at("r1")].same(&an.claims[0].origins.contradicts));
        assert_eq!(
            [at("hub"), at("a"), at("twin"), at("r1")].map(|s| an.source_level[s]),
            [1, 2, 1, 0]
        );
        // The lowest level gives the set, then the first id: hub and twin are level 1.
        for id in ["hub", "a", "b", "twin", "zed"] {
            assert_eq!(an.origin_owner[at(id)], at("hub"), "{id}");
        }
        assert_eq!(an.origin_owner[at("r1")], at("r1"));
    }

    #[test]
    fn no_evidence_and_context_only() {
        let r = repo(&[("a", &[])], &[], &[]);
        let (_, an) = run(&r);
        assert_eq!(an.claims[0].balance, Balance::NoEvidence);
        assert!(an.claims[0].origins.supports.is_empty());
    }

    #[test]
    fn repeated_evidence_from_one_source_is_one_source() {
        let r = repo(&[("a", &[])], &["a", "a"], &["a"]);
        let (_, an) = run(&r);
        assert_eq!(an.claims[0].evidence, counts(2, 1, 0));
        assert_eq!(an.claims[0].sources.supports.len(), 1);
        assert_eq!(an.claims[0].balance, Balance::Contested);
    }

    /// A repository from the YAML of its sources and of one claim's evidence items.
    fn case(sources: &str, evidence: &str) -> Repository {
        let text = format!(
            "sources:\n{sources}claims:\n  - id: the-claim\n    statement: s\n    evidence:\n{evidence}"
        );
        let mut sink = Sink::new("t.yaml");
        let records = data_file(crate::yaml::parse(&text).expect("valid YAML"), 0, &mut sink);
        assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
        Repository {
            files: vec!["t.yaml".into()],
            sources: records.sources,
            claims: records.claims,
            ..Repository::default()
        }
    }

    const RELAYED: &str = "  - {id: memo, title: m}\n  - {id: bid, title: b}\n  - {id: report, title: r, cites: [memo, bid]}\n  - {id: paper, title: p, cites: [bid]}\n";

    #[test]
    fn an_item_is_read_in_its_via_else_in_its_source() {
        let r = case(
            RELAYED,
            "      - {source: memo, via: report, stance: supports}\n      - {source: bid, stance: supports}\n      - {source: memo, via: paper, stance: contradicts}\n      - {source: bid, via: report, stance: context}\n",
        );
        let (_, an) = run(&r);
        let facts = &an.claims[0];
        assert_eq!(ids(&r, &facts.channels.supports), ["bid", "report"]);
        assert_eq!(ids(&r, &facts.channels.contradicts), ["paper"]);
        assert_eq!(ids(&r, &facts.channels.context), ["report"]);
        // `via` adds no origin: the origins are those of `source`.
        assert_eq!(ids(&r, &facts.origins.supports), ["bid", "memo"]);
        assert_eq!(ids(&r, &facts.origins.contradicts), ["memo"]);
        let read_in: Vec<Option<usize>> = facts.items.iter().map(|i| i.channel).collect();
        let at = |id: &str| r.sources.iter().position(|s| s.id.value == id);
        assert_eq!(
            read_in,
            [at("report"), at("bid"), at("paper"), at("report")]
        );
        assert_eq!(facts.items[0].quoted, at("report"));
        assert_eq!(facts.items[1].quoted, at("bid"));
    }

    #[test]
    fn channels_are_distinct_and_ordered_by_id() {
        let r = case(
            RELAYED,
            "      - {source: memo, via: report, stance: supports}\n      - {source: bid, via: report, stance: supports}\n      - {source: report, stance: supports}\n      - {source: bid, via: paper, stance: supports}\n",
        );
        let (_, an) = run(&r);
        let facts = &an.claims[0];
        assert_eq!(ids(&r, &facts.channels.supports), ["paper", "report"]);
        assert!(facts.channels.contradicts.is_empty());
    }

    #[test]
    fn a_quote_without_copies_to_read_is_unchecked() {
        let r = case(
            RELAYED,
            "      - {source: memo, via: report, stance: supports, quote: q}\n      - {source: bid, stance: context}\n",
        );
        let (_, an) = run(&r);
        use crate::quote_check::Unchecked;
        let checks: Vec<&QuoteCheck> = an.claims[0].items.iter().map(|i| &i.quote_check).collect();
        assert_eq!(
            checks,
            [
                &QuoteCheck::Unchecked(Unchecked::NoTextCopy),
                &QuoteCheck::Unchecked(Unchecked::NoQuote)
            ]
        );
        let json = serde_json::to_value(&an.claims[0].items[0].quote_check).expect("JSON");
        assert_eq!(json, serde_json::json!({"status": "unchecked"}));
    }

    #[test]
    fn quote_checks_are_written_with_their_details_where_they_apply() {
        let verified = QuoteCheck::Verified {
            file: "evidence/x.pdf".into(),
            sha256: "ab".repeat(32),
            page: Some(2),
            pages: vec![2],
        };
        let json = |check: &QuoteCheck| serde_json::to_value(check).expect("JSON");
        assert_eq!(
            json(&verified),
            serde_json::json!({"status": "verified", "file": "evidence/x.pdf", "page": 2})
        );
        let not_found = QuoteCheck::NotFound {
            file: None,
            closest: Some(crate::quote_check::Closest {
                text: "near".into(),
                page: None,
            }),
        };
        assert_eq!(
            json(&not_found),
            serde_json::json!({"status": "not-found", "closest": "near"})
        );
        assert_eq!(
            json(&verified.withheld()),
            serde_json::json!({"status": "verified"})
        );
    }
}
