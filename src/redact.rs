//! The public edition of a checked repository: what `build` and `export` publish
//! unless asked for everything. Sensitive claims are left out; a sensitive source
//! becomes a "confidential source" that keeps only its kind and reliability, under a
//! placeholder id; a sensitive entity becomes "Confidential". Counts, origins and
//! balance stay those computed on all the data, so the published assessment stays
//! honest, with placeholders standing in for hidden ids.

use crate::Checked;
use crate::analysis::{self, Analysis, ClaimFacts, ItemFacts, OriginSet};
use crate::graph;
use crate::load::Repository;
use crate::model::{Claim, Entity, Located, Source};
use std::collections::{HashMap, HashSet};

pub const CONFIDENTIAL_SOURCE: &str = "Confidential source";
pub const CONFIDENTIAL_ENTITY: &str = "Confidential";

/// True when the repository has anything to hide.
pub fn has_sensitive(repo: &Repository) -> bool {
    repo.entities.iter().any(|e| e.sensitive)
        || repo.sources.iter().any(|s| s.sensitive)
        || repo.claims.iter().any(|c| c.sensitive)
}

/// Placeholder ids, numbered in the order the public data first refers to the hidden
/// records (claims by id, then sources by id), then by hidden id for the rest: the
/// numbers say nothing about what is hidden.
struct Placeholders {
    sources: HashMap<String, String>,
    entities: HashMap<String, String>,
}

impl Placeholders {
    fn new(repo: &Repository) -> Self {
        let hidden_sources: HashMap<&str, ()> = repo
            .sources
            .iter()
            .filter(|s| s.sensitive)
            .map(|s| (s.id.value.as_str(), ()))
            .collect();
        let hidden_entities: HashMap<&str, ()> = repo
            .entities
            .iter()
            .filter(|e| e.sensitive)
            .map(|e| (e.id.value.as_str(), ()))
            .collect();
        let mut source_order: Vec<&str> = Vec::new();
        let mut entity_order: Vec<&str> = Vec::new();
        fn note<'r>(
            hidden: &HashMap<&'r str, ()>,
            id: &str,
            order: &mut Vec<&'r str>,
            seen: &mut HashSet<&'r str>,
        ) {
            if let Some((key, _)) = hidden.get_key_value(id)
                && seen.insert(key)
            {
                order.push(key);
            }
        }
        let mut seen_sources: HashSet<&str> = HashSet::new();
        let mut seen_entities: HashSet<&str> = HashSet::new();
        let mut claims: Vec<&Claim> = repo.claims.iter().filter(|c| !c.sensitive).collect();
        claims.sort_by(|a, b| a.id.value.cmp(&b.id.value));
        let mut entity_refs: Vec<&str> = Vec::new();
        for claim in &claims {
            entity_refs.extend(
                claim
                    .claimant
                    .iter()
                    .chain(claim.about.iter())
                    .map(|e| e.value.as_str()),
            );
            for id in claim.appearance.iter().map(|a| a.value.as_str()).chain(
                claim.evidence.iter().flat_map(|e| {
                    std::iter::once(&e.source)
                        .chain(e.via.as_ref())
                        .map(|id| id.value.as_str())
                }),
            ) {
                note(&hidden_sources, id, &mut source_order, &mut seen_sources);
            }
        }
        let mut sources: Vec<&Source> = repo.sources.iter().filter(|s| !s.sensitive).collect();
        sources.sort_by(|a, b| a.id.value.cmp(&b.id.value));
        for source in &sources {
            entity_refs.extend(source.by.iter().map(|b| b.value.as_str()));
            for cited in &source.cites {
                note(
                    &hidden_sources,
                    &cited.value,
                    &mut source_order,
                    &mut seen_sources,
                );
            }
        }
        let mut rest: Vec<&str> = hidden_sources
            .keys()
            .copied()
            .filter(|id| !seen_sources.contains(id))
            .collect();
        rest.sort_unstable();
        source_order.extend(rest);
        for id in entity_refs {
            note(&hidden_entities, id, &mut entity_order, &mut seen_entities);
        }
        let mut rest: Vec<&str> = hidden_entities
            .keys()
            .copied()
            .filter(|id| !seen_entities.contains(id))
            .collect();
        rest.sort_unstable();
        entity_order.extend(rest);
        Placeholders {
            sources: source_order
                .iter()
                .enumerate()
                .map(|(i, id)| ((*id).to_owned(), format!("confidential-source-{}", i + 1)))
                .collect(),
            entities: entity_order
                .iter()
                .enumerate()
                .map(|(i, id)| ((*id).to_owned(), format!("confidential-entity-{}", i + 1)))
                .collect(),
        }
    }

    fn source(&self, id: &Located<String>) -> Located<String> {
        Located {
            value: self
                .sources
                .get(&id.value)
                .cloned()
                .unwrap_or_else(|| id.value.clone()),
            pos: id.pos,
        }
    }

    fn entity(&self, id: &Located<String>) -> Located<String> {
        Located {
            value: self
                .entities
                .get(&id.value)
                .cloned()
                .unwrap_or_else(|| id.value.clone()),
            pos: id.pos,
        }
    }
}

/// The edition to publish: `checked` itself when nothing in it is sensitive (no copy
/// needed), else its public edition.
pub fn published(checked: &Checked) -> std::borrow::Cow<'_, Checked> {
    if has_sensitive(&checked.repo) {
        std::borrow::Cow::Owned(public_edition(checked))
    } else {
        std::borrow::Cow::Borrowed(checked)
    }
}

/// The public edition of `checked`.
pub fn public_edition(checked: &Checked) -> Checked {
    let repo = &checked.repo;
    let names = Placeholders::new(repo);
    let hidden_claims: HashMap<&str, ()> = repo
        .claims
        .iter()
        .filter(|c| c.sensitive)
        .map(|c| (c.id.value.as_str(), ()))
        .collect();

    let entities: Vec<Entity> = repo
        .entities
        .iter()
        .map(|e| {
            if e.sensitive {
                // Every field not named here is left out, a field added later too.
                Entity {
                    at: e.at,
                    id: names.entity(&e.id),
                    name: CONFIDENTIAL_ENTITY.to_owned(),
                    sensitive: true,
                    ..Entity::default()
                }
            } else {
                e.clone()
            }
        })
        .collect();
    let sources: Vec<Source> = repo
        .sources
        .iter()
        .map(|s| {
            if s.sensitive {
                // Every field not named here is left out, a field added later too.
                Source {
                    at: s.at,
                    id: names.source(&s.id),
                    title: CONFIDENTIAL_SOURCE.to_owned(),
                    kind: s.kind,
                    reliability: s.reliability,
                    sensitive: true,
                    ..Source::default()
                }
            } else {
                let mut s = s.clone();
                s.by = s.by.as_ref().map(|b| names.entity(b));
                s.cites = s.cites.iter().map(|c| names.source(c)).collect();
                s
            }
        })
        .collect();
    let mut kept_claims: Vec<usize> = Vec::new();
    let claims: Vec<Claim> = repo
        .claims
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.sensitive)
        .map(|(i, c)| {
            kept_claims.push(i);
            let mut c = c.clone();
            c.claimant = c.claimant.as_ref().map(|e| names.entity(e));
            c.about = c.about.iter().map(|e| names.entity(e)).collect();
            c.appearance = c.appearance.as_ref().map(|a| names.source(a));
            c.related
                .retain(|r| !hidden_claims.contains_key(r.claim.value.as_str()));
            for item in &mut c.evidence {
                if names.sources.contains_key(&item.source.value) {
                    item.quote = None;
                    item.quote_original = None;
                    item.locator = None;
                    item.note = None;
                }
                // The page is a place in the quoted source's copy, like a locator.
                if names.sources.contains_key(&item.source.value)
                    || names.sources.contains_key(&item.quoted_source().value)
                {
                    item.page = None;
                }
                item.source = names.source(&item.source);
                item.via = item.via.as_ref().map(|v| names.source(v));
            }
            c
        })
        .collect();
    let public = Repository {
        root: repo.root.clone(),
        config: repo.config.clone(),
        files: repo.files.clone(),
        // The files' text holds the sensitive records too; the public edition has none.
        texts: crate::diagnostics::Texts::default(),
        entities,
        sources,
        claims,
        // What the last `links` found of the sources the edition shows in full.
        links: {
            let mut links = repo.links.clone();
            let sensitive: std::collections::HashSet<&str> = repo
                .sources
                .iter()
                .filter(|s| s.sensitive)
                .map(|s| s.id.value.as_str())
                .collect();
            links
                .checked
                .retain(|r| !sensitive.contains(r.row.source.as_str()));
            links
        },
    };
    let (graph, _) = graph::build(&public);
    let analysis = translate_analysis(&checked.analysis, &public, &kept_claims, repo);
    Checked {
        repo: public,
        graph,
        analysis,
        diagnostics: Vec::new(),
    }
}

/// The analysis of all the data, in terms of the public edition: hidden claims
/// dropped, lists re-sorted by the placeholder ids, and no hidden source's `cites`
/// visible through `cited_by`.
fn translate_analysis(
    full: &Analysis,
    public: &Repository,
    kept_claims: &[usize],
    original: &Repository,
) -> Analysis {
    let mut order: Vec<usize> = (0..public.sources.len()).collect();
    order.sort_by(|&a, &b| public.sources[a].id.value.cmp(&public.sources[b].id.value));
    let mut rank = vec![0; order.len()];
    for (position, &source) in order.iter().enumerate() {
        rank[source] = position;
    }
    let sorted = |list: &[usize]| -> Vec<usize> {
        let mut list = list.to_vec();
        list.sort_by_key(|&s| rank[s]);
        list
    };
    // Each shared set is re-sorted once and stays shared.
    let mut translated: HashMap<*const usize, OriginSet> = HashMap::new();
    let mut translate = |set: &OriginSet| -> OriginSet {
        translated
            .entry(set.as_slice().as_ptr())
            .or_insert_with(|| OriginSet::from(sorted(set)))
            .clone()
    };
    let claims = kept_claims
        .iter()
        .map(|&i| {
            let facts = &full.claims[i];
            ClaimFacts {
                evidence: facts.evidence,
                sources: facts.sources.map(|list| sorted(list)),
                origins: facts.origins.map(&mut translate),
                channels: facts.channels.map(|list| sorted(list)),
                items: facts
                    .items
                    .iter()
                    .map(|item| ItemFacts {
                        // The copy, page and passage of a sensitive source's copies
                        // would name it: only the status is published.
                        quote_check: match item.quoted {
                            Some(s) if original.sources[s].sensitive => item.quote_check.withheld(),
                            _ => item.quote_check.clone(),
                        },
                        ..item.clone()
                    })
                    .collect(),
                balance: facts.balance,
            }
        })
        .collect();
    let source_origins: Vec<OriginSet> = full.source_origins.iter().map(translate).collect();
    Analysis {
        claims,
        origin_owner: analysis::origin_owners(&source_origins, &full.source_level, &rank),
        source_origins,
        source_level: full.source_level.clone(),
        cited_by: full
            .cited_by
            .iter()
            .map(|citers| {
                sorted(
                    &citers
                        .iter()
                        .copied()
                        .filter(|&s| !original.sources[s].sensitive)
                        .collect::<Vec<_>>(),
                )
            })
            .collect(),
        cycles: Vec::new(),
        source_rank: rank,
    }
}
