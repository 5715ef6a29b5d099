//! The repository as a graph: one node per entity, source and claim, and an edge for
//! every reference between them. Building it resolves every id, so duplicate ids and
//! references to nothing are found here, each at the place it was written.

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::Repository;
use crate::model::{Located, Origin, Relation, Stance};
use crate::text::{closest, shown};
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// A node: the index of a record in its list in [`Repository`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Record {
    Entity(usize),
    Source(usize),
    Claim(usize),
}

impl Record {
    fn noun(self) -> &'static str {
        match self {
            Record::Entity(_) => "entity",
            Record::Source(_) => "source",
            Record::Claim(_) => "claim",
        }
    }
}

/// What a reference means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Link {
    /// claim -> source, by the evidence item's stance
    Evidence(Stance),
    /// claim -> claim
    Related(Relation),
    /// source -> the source it draws on
    Cites,
    /// source -> the entity that produced it
    By,
    /// claim -> the entity that asserts it
    Claimant,
    /// claim -> an entity it is about
    About,
    /// claim -> the source where it was made or reported
    Appearance,
    /// claim -> the source an evidence item's `source` was read in (`via`); it adds
    /// no origin
    Via,
}

/// The graph and the index from ids to its nodes. Nodes are added entities first, then
/// sources, then claims, so a record's node index follows from its list index.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub graph: DiGraph<Record, Link>,
    /// Every record by id. Looked up for every reference and on every page: foldhash
    /// (randomly seeded, like the standard hasher) hashes a short id several times
    /// faster than the standard SipHash.
    pub ids: HashMap<String, NodeIndex, foldhash::fast::RandomState>,
    entity_count: usize,
    source_count: usize,
}

impl Graph {
    pub fn entity_node(&self, i: usize) -> NodeIndex {
        NodeIndex::new(i)
    }
    pub fn source_node(&self, i: usize) -> NodeIndex {
        NodeIndex::new(self.entity_count + i)
    }
    pub fn claim_node(&self, i: usize) -> NodeIndex {
        NodeIndex::new(self.entity_count + self.source_count + i)
    }
    pub fn record(&self, node: NodeIndex) -> Record {
        self.graph[node]
    }
    pub fn node(&self, record: Record) -> NodeIndex {
        match record {
            Record::Entity(i) => self.entity_node(i),
            Record::Source(i) => self.source_node(i),
            Record::Claim(i) => self.claim_node(i),
        }
    }

    /// The references written in `record`: each link and the record it names, in the
    /// order the graph holds them.
    pub fn links_from(&self, record: Record) -> impl Iterator<Item = (Link, Record)> + '_ {
        self.graph
            .edges_directed(self.node(record), Direction::Outgoing)
            .map(|e| (*e.weight(), self.record(e.target())))
    }

    /// The references to `record`: each link and the record it is written in.
    pub fn links_to(&self, record: Record) -> impl Iterator<Item = (Link, Record)> + '_ {
        self.graph
            .edges_directed(self.node(record), Direction::Incoming)
            .map(|e| (*e.weight(), self.record(e.source())))
    }

    /// The sources that source `index` cites, in the order the graph holds them.
    pub fn cited(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        self.links_from(Record::Source(index))
            .filter_map(|link| match link {
                (Link::Cites, Record::Source(s)) => Some(s),
                _ => None,
            })
    }
}

impl Graph {
    /// Whether source `from` draws on source `to` through `cites`, directly or through
    /// the sources it cites (a walk that stops at loops).
    pub fn draws_on(&self, from: usize, to: usize) -> bool {
        let mut seen: HashSet<usize> = HashSet::from([from]);
        let mut next = vec![from];
        while let Some(source) = next.pop() {
            for cited in self.cited(source) {
                if cited == to {
                    return true;
                }
                if seen.insert(cited) {
                    next.push(cited);
                }
            }
        }
        false
    }
}

/// Builds the graph, reporting duplicate ids and unknown references.
pub fn build(repo: &Repository) -> (Graph, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let edge_estimate = repo
        .claims
        .iter()
        .map(|c| c.evidence.len() + c.about.len() + 2)
        .sum::<usize>()
        + repo
            .sources
            .iter()
            .map(|s| s.cites.len() + 1)
            .sum::<usize>();
    let node_count = repo.entities.len() + repo.sources.len() + repo.claims.len();
    let mut g = Graph {
        graph: DiGraph::with_capacity(node_count, edge_estimate),
        ids: HashMap::with_capacity_and_hasher(node_count, foldhash::fast::RandomState::default()),
        entity_count: repo.entities.len(),
        source_count: repo.sources.len(),
    };
    let records = repo
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| (Record::Entity(i), &e.id, e.at))
        .chain(
            repo.sources
                .iter()
                .enumerate()
                .map(|(i, s)| (Record::Source(i), &s.id, s.at)),
        )
        .chain(
            repo.claims
                .iter()
                .enumerate()
                .map(|(i, c)| (Record::Claim(i), &c.id, c.at)),
        );
    for (record, id, at) in records {
        let node = g.graph.add_node(record);
        if let Some(&earlier) = g.ids.get(id.value.as_str()) {
            let earlier = g.graph[earlier];
            let (earlier_at, earlier_pos) = place_of(repo, earlier);
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    repo.file(at.file),
                    id.pos,
                    format!(
                        "the id `{}` is already used by the {} at {}:{}:{}; ids must be unique across entities, sources and claims",
                        shown(&id.value),
                        earlier.noun(),
                        repo.file(earlier_at.file),
                        earlier_pos.line,
                        earlier_pos.column
                    ),
                )
                .with_id(Some(&id.value)),
            );
        } else {
            g.ids.insert(id.value.clone(), node);
        }
    }

    // Resolving references is read-only and independent per record: done on all
    // cores, then the edges are added in record order, so the graph is the same.
    let sources: Vec<Resolver<'_>> = repo
        .sources
        .par_iter()
        .enumerate()
        .fold(
            || Resolver::new(repo, &g),
            |mut resolver, (i, source)| {
                let from = g.source_node(i);
                let place = Place {
                    at: source.at,
                    owner: &source.id.value,
                };
                if let Some(by) = &source.by {
                    resolver.link(from, by, Want::Entity, Link::By, "by", place);
                }
                for cited in &source.cites {
                    resolver.link(from, cited, Want::Source, Link::Cites, "cites", place);
                }
                resolver
            },
        )
        .collect();
    let claims: Vec<Resolver<'_>> = repo
        .claims
        .par_iter()
        .enumerate()
        .fold(
            || Resolver::new(repo, &g),
            |mut resolver, (i, claim)| {
                let from = g.claim_node(i);
                let place = Place {
                    at: claim.at,
                    owner: &claim.id.value,
                };
                if let Some(claimant) = &claim.claimant {
                    resolver.link(
                        from,
                        claimant,
                        Want::Entity,
                        Link::Claimant,
                        "claimant",
                        place,
                    );
                }
                for about in &claim.about {
                    resolver.link(from, about, Want::Entity, Link::About, "about", place);
                }
                if let Some(appearance) = &claim.appearance {
                    resolver.link(
                        from,
                        appearance,
                        Want::Source,
                        Link::Appearance,
                        "appearance",
                        place,
                    );
                }
                for item in &claim.evidence {
                    resolver.link(
                        from,
                        &item.source,
                        Want::Source,
                        Link::Evidence(item.stance),
                        "source",
                        place,
                    );
                    if let Some(via) = &item.via {
                        if via.value == item.source.value {
                            resolver.via_is_source(via, place);
                        } else {
                            resolver.link(from, via, Want::Source, Link::Via, "via", place);
                        }
                    }
                }
                for related in &claim.related {
                    resolver.link(
                        from,
                        &related.claim,
                        Want::Claim,
                        Link::Related(related.relation),
                        "claim",
                        place,
                    );
                }
                resolver
            },
        )
        .collect();
    let mut edges = Vec::with_capacity(edge_estimate);
    for resolver in sources.into_iter().chain(claims) {
        edges.extend(resolver.edges);
        diagnostics.extend(resolver.diagnostics);
    }
    for (from, to, link) in edges {
        g.graph.add_edge(from, to, link);
    }
    (g, diagnostics)
}

/// Where a record and its id were written.
fn place_of(repo: &Repository, record: Record) -> (Origin, Pos) {
    match record {
        Record::Entity(i) => (repo.entities[i].at, repo.entities[i].id.pos),
        Record::Source(i) => (repo.sources[i].at, repo.sources[i].id.pos),
        Record::Claim(i) => (repo.claims[i].at, repo.claims[i].id.pos),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Entity,
    Source,
    Claim,
}

impl Want {
    fn noun(self) -> &'static str {
        match self {
            Want::Entity => "entity",
            Want::Source => "source",
            Want::Claim => "claim",
        }
    }
    fn accepts(self, record: Record) -> bool {
        matches!(
            (self, record),
            (Want::Entity, Record::Entity(_))
                | (Want::Source, Record::Source(_))
                | (Want::Claim, Record::Claim(_))
        )
    }
}

/// The record a reference is written in.
#[derive(Clone, Copy)]
struct Place<'a> {
    at: Origin,
    owner: &'a str,
}

/// The edges and problems of one record's references.
struct Resolver<'a> {
    repo: &'a Repository,
    g: &'a Graph,
    edges: Vec<(NodeIndex, NodeIndex, Link)>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Resolver<'a> {
    fn new(repo: &'a Repository, g: &'a Graph) -> Self {
        Resolver {
            repo,
            g,
            edges: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// `via` names the item's own `source`: it says nothing, and is most likely a slip
    /// for the source the researcher read it in.
    fn via_is_source(&mut self, via: &Located<String>, place: Place<'_>) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::InvalidValue,
                self.repo.file(place.at.file),
                via.pos,
                format!(
                    "`via` names the item's own `source`, `{}`; `via` is the other source you read it in: name that source, or remove `via`",
                    shown(&via.value)
                ),
            )
            .with_id(Some(place.owner)),
        );
    }

    fn link(
        &mut self,
        from: NodeIndex,
        target: &Located<String>,
        want: Want,
        link: Link,
        field: &str,
        place: Place<'_>,
    ) {
        let found = self.g.ids.get(target.value.as_str()).copied();
        let problem = match found {
            Some(to) if want.accepts(self.g.graph[to]) => {
                self.edges.push((from, to, link));
                return;
            }
            Some(to) => format!(
                "`{field}` must name {} {}, but `{}` is {} {}",
                article(want.noun()),
                want.noun(),
                shown(&target.value),
                article(self.g.graph[to].noun()),
                self.g.graph[to].noun()
            ),
            None => {
                let candidates = self
                    .g
                    .ids
                    .iter()
                    .filter(|(_, node)| want.accepts(self.g.graph[**node]))
                    .map(|(id, _)| id.as_str());
                let hint = match closest_id(&target.value, candidates) {
                    Some(near) => format!("; did you mean `{near}`?"),
                    None => format!(
                        "; add {} {} with this id or correct the reference",
                        article(want.noun()),
                        want.noun()
                    ),
                };
                format!(
                    "no {} has the id `{}`{hint}",
                    want.noun(),
                    shown(&target.value)
                )
            }
        };
        self.diagnostics.push(
            Diagnostic::error(
                Code::UnknownReference,
                self.repo.file(place.at.file),
                target.pos,
                problem,
            )
            .with_id(Some(place.owner)),
        );
    }
}

/// The closest id, breaking ties by the smaller id so the hint never depends on hash order.
pub fn closest_id<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut sorted: Vec<&str> = candidates.collect();
    sorted.sort_unstable();
    closest(name, sorted)
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
