//! The whole check: load, resolve, analyse, lint, in that order, with every problem
//! collected. Every command that reads a repository starts here.

use crate::analysis::{self, Analysis};
use crate::diagnostics::{self, Code, Diagnostic, Severity};
use crate::graph::{self, Graph, Link, Record};
use crate::lints;
use crate::load::{self, Repository};
use crate::model::{Entity, Relation, Source, Stance};
use crate::validate;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;

/// A checked repository: its records, graph, computed fields and diagnostics (sorted).
#[derive(Clone, Debug, Default)]
pub struct Checked {
    pub repo: Repository,
    pub graph: Graph,
    pub analysis: Analysis,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        diagnostics::count(&self.diagnostics, Severity::Error)
    }
    pub fn warnings(&self) -> usize {
        diagnostics::count(&self.diagnostics, Severity::Warning)
    }

    /// The diagnostics that are errors.
    pub fn error_diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect()
    }

    /// The claims whose evidence or appearance names source `index`, ordered by claim
    /// id, each with its stances towards the source (sorted) and whether the claim
    /// appeared there.
    pub fn bearings(&self, index: usize) -> Vec<Bearing> {
        let mut found: BTreeMap<&str, Bearing> = BTreeMap::new();
        for (link, from) in self.graph.links_to(Record::Source(index)) {
            let Record::Claim(claim) = from else {
                continue;
            };
            let bearing = found
                .entry(self.repo.claims[claim].id.value.as_str())
                .or_insert(Bearing {
                    claim,
                    stances: Vec::new(),
                    appearance: false,
                });
            match link {
                Link::Evidence(stance) => bearing.stances.push(stance),
                Link::Appearance => bearing.appearance = true,
                _ => {}
            }
        }
        found
            .into_values()
            .map(|mut b| {
                b.stances.sort_unstable();
                b.stances.dedup();
                b
            })
            .collect()
    }

    /// The claims entity `index` makes and is the subject of (ordered by claim id), and
    /// the sources it produced (ordered by source id), each once.
    pub fn entity_links(&self, index: usize) -> EntityLinks {
        let mut links = EntityLinks::default();
        for link in self.graph.links_to(Record::Entity(index)) {
            match link {
                (Link::Claimant, Record::Claim(c)) => links.made.push(c),
                (Link::About, Record::Claim(c)) => links.about.push(c),
                (Link::By, Record::Source(s)) => links.produced.push(s),
                _ => {}
            }
        }
        let claims = &self.repo.claims;
        for list in [&mut links.made, &mut links.about] {
            list.sort_by(|&a, &b| claims[a].id.value.cmp(&claims[b].id.value));
            list.dedup();
        }
        self.by_id(&mut links.produced);
        links
    }

    /// The sources that source `index` cites, ordered by id, each once.
    pub fn cites(&self, index: usize) -> Vec<usize> {
        let mut cites: Vec<usize> = self.graph.cited(index).collect();
        self.by_id(&mut cites);
        cites
    }

    /// Sources ordered by id, each once.
    fn by_id(&self, sources: &mut Vec<usize>) {
        sources.sort_by_key(|&s| self.analysis.source_rank[s]);
        sources.dedup();
    }

    /// The claims related to claim `index`, both ways.
    pub fn related(&self, index: usize) -> Related {
        let claims = &self.repo.claims;
        let named = claims[index]
            .related
            .iter()
            .filter_map(|r| self.claim_index(&r.claim.value).map(|i| (r.relation, i)))
            .collect();
        let mut naming: Vec<(Relation, usize)> = self
            .graph
            .links_to(Record::Claim(index))
            .filter_map(|link| match link {
                (Link::Related(relation), Record::Claim(i)) => Some((relation, i)),
                _ => None,
            })
            .collect();
        naming.sort_by(|a, b| {
            claims[a.1]
                .id
                .value
                .cmp(&claims[b.1].id.value)
                .then(a.0.as_str().cmp(b.0.as_str()))
        });
        naming.dedup();
        Related { named, naming }
    }

    /// The record an id names, if any.
    pub fn record(&self, id: &str) -> Option<Record> {
        self.graph.ids.get(id).map(|&node| self.graph.record(node))
    }

    pub fn entity_index(&self, id: &str) -> Option<usize> {
        match self.record(id) {
            Some(Record::Entity(i)) => Some(i),
            _ => None,
        }
    }

    pub fn source_index(&self, id: &str) -> Option<usize> {
        match self.record(id) {
            Some(Record::Source(i)) => Some(i),
            _ => None,
        }
    }

    pub fn claim_index(&self, id: &str) -> Option<usize> {
        match self.record(id) {
            Some(Record::Claim(i)) => Some(i),
            _ => None,
        }
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entity_index(id).map(|i| &self.repo.entities[i])
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_index(id).map(|i| &self.repo.sources[i])
    }
}

/// What links to an entity: see [`Checked::entity_links`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntityLinks {
    pub made: Vec<usize>,
    pub about: Vec<usize>,
    pub produced: Vec<usize>,
}

/// A claim's related claims: see [`Checked::related`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Related {
    /// The claims it names, in the order it names them, each with the relation.
    pub named: Vec<(Relation, usize)>,
    /// The claims that name it, ordered by id then relation, each with the relation:
    /// a claim that names it twice the same way is listed once.
    pub naming: Vec<(Relation, usize)>,
}

impl Related {
    pub fn len(&self) -> usize {
        self.named.len() + self.naming.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Both lists as one: the claims it names, then those naming it (`true`).
    pub fn iter(&self) -> impl Iterator<Item = (Relation, usize, bool)> + '_ {
        let named = self.named.iter().map(|&(r, c)| (r, c, false));
        named.chain(self.naming.iter().map(|&(r, c)| (r, c, true)))
    }
}

/// How a claim bears on a source: see [`Checked::bearings`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bearing {
    pub claim: usize,
    pub stances: Vec<Stance>,
    pub appearance: bool,
}

/// Checks the repository at `root`. `Err` only when it cannot be read at all.
pub fn check(root: &Path) -> Result<Checked> {
    check_with(root, None, true)
}

/// Checks the repository at `root` without keeping the files' text for snippets:
/// for `build`, whose pages do not need it and which must fit in memory at the largest
/// sizes; its diagnostics name file, line and column (`check` shows the lines).
pub fn check_without_snippets(root: &Path) -> Result<Checked> {
    check_with(root, None, false)
}

/// Checks the repository at `root`, reusing unchanged data files from `cache`.
pub fn check_with(root: &Path, cache: Option<&load::FileCache>, snippets: bool) -> Result<Checked> {
    let mut timer = crate::timing::Timer::from_env();
    let loaded = load::load_with(root, cache, snippets)?;
    timer.lap("load");
    let repo = loaded.repo;
    let mut diagnostics = loaded.diagnostics;
    let (graph, graph_diagnostics) = graph::build(&repo);
    diagnostics.extend(graph_diagnostics);
    timer.lap("graph");
    let (file_diagnostics, digests) = validate::local_files(&repo);
    diagnostics.extend(file_diagnostics);
    diagnostics.extend(validate::archives(&repo));
    diagnostics.extend(validate::import_keys(&repo));
    timer.lap("local files");
    let root = crate::access::Root::new(&repo.root).ok();
    let checks = crate::quote_check::check_all(&repo, &graph, &digests, root.as_ref());
    diagnostics.extend(lints::copy_lints(&repo, &checks));
    timer.lap("quote checks");
    let analysis = analysis::analyse(&repo, &graph, checks);
    diagnostics.extend(cycle_diagnostics(&repo, &analysis));
    timer.lap("analysis");
    diagnostics.extend(lints::lints(&repo, &graph, &analysis));
    diagnostics::sort(&mut diagnostics);
    timer.lap("lints");
    let mut repo = repo;
    // Only the texts that diagnostics point into are kept for their snippets.
    repo.texts.retain_used(&diagnostics);
    Ok(Checked {
        repo,
        graph,
        analysis,
        diagnostics,
    })
}

/// One error per citation loop, at the `cites` entry where the loop starts.
fn cycle_diagnostics(repo: &Repository, analysis: &Analysis) -> Vec<Diagnostic> {
    analysis
        .cycles
        .iter()
        .filter_map(|cycle| {
            let first = &repo.sources[*cycle.first()?];
            let next = &repo.sources[*cycle.get(1).unwrap_or(&cycle[0])];
            let pos = first
                .cites
                .iter()
                .find(|c| c.value == next.id.value)
                .map_or(first.id.pos, |c| c.pos);
            let mut names: Vec<&str> = cycle.iter().map(|&s| repo.sources[s].id.value.as_str()).collect();
            names.push(&first.id.value);
            Some(
                Diagnostic::error(
                    Code::CitationCycle,
                    repo.file(first.at.file),
                    pos,
                    format!(
                        "these sources cite each other in a loop: {}; a source can only draw on what came before it, so remove one of these `cites`",
                        names.join(" -> ")
                    ),
                )
                .with_id(Some(&first.id.value)),
            )
        })
        .collect()
}

/// Turns every warning into an error (`--deny-warnings`).
pub fn deny_warnings(diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        d.severity = Severity::Error;
    }
}
