//! What each page shows, prepared for the templates: links already relative, labels
//! already worded, Markdown already sanitised, so that templates stay simple and a
//! user's template override cannot get the safety rules wrong.

use super::markdown;
use crate::Checked;
use crate::analysis::ClaimFacts;
use crate::model::{Balance, Claim, Entity, Evidence, Source, Stance, Verdict};
use crate::validate::is_web_url;
use crate::wording;
use serde::Serialize;

/// Links from a page to the site's root: `""` at the top, `"../"` one folder down.
#[derive(Clone, Copy)]
pub struct Root(pub &'static str);

impl Root {
    pub const TOP: Root = Root("");
    pub const NESTED: Root = Root("../");

    pub fn claim(self, id: &str) -> String {
        format!("{}claims/{id}.html", self.0)
    }
    pub fn source(self, id: &str) -> String {
        format!("{}sources/{id}.html", self.0)
    }
    pub fn entity(self, id: &str) -> String {
        format!("{}entities/{id}.html", self.0)
    }
}

#[derive(Serialize)]
pub struct Label {
    pub word: &'static str,
    pub label: &'static str,
}

pub fn verdict_label(verdict: Verdict) -> Label {
    Label {
        word: verdict.as_str(),
        label: wording::verdict(verdict),
    }
}

pub fn balance_label(balance: Balance) -> Label {
    Label {
        word: balance.as_str(),
        label: wording::balance(balance),
    }
}

/// Only absolute http(s) URLs ever become links.
fn web_url(url: Option<&str>) -> Option<String> {
    url.filter(|u| is_web_url(u)).map(str::to_owned)
}

fn md(text: Option<&str>) -> Option<String> {
    text.map(markdown::to_html)
        .filter(|html| !html.trim().is_empty())
}

#[derive(Serialize)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct SourceRef {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub reliability: Option<Grade>,
    pub href: String,
    /// The kind, publisher and date as one line ("news · Reuters · 2019-03-02"): shown
    /// beside every source link, worded once here rather than in every template.
    pub meta: String,
}

#[derive(Serialize)]
pub struct ClaimRef {
    pub id: String,
    pub statement: String,
    pub href: String,
    pub balance: Label,
    pub verdict: Option<Label>,
}

#[derive(Serialize)]
pub struct Grade {
    pub grade: String,
    pub label: &'static str,
}

/// The summary of one side of the evidence: "3 sources, 1 independent origin".
#[derive(Serialize)]
pub struct Side {
    pub items: usize,
    pub sources: usize,
    pub independent: usize,
    pub text: String,
}

fn side(facts: &ClaimFacts, slot: usize) -> Side {
    let sources = facts.sources[slot].len();
    let independent = facts.origins[slot].len();
    Side {
        items: facts.evidence[slot],
        sources,
        independent,
        text: wording::side(sources, independent),
    }
}

/// Looks records up by id for the views.
pub struct Lookup<'a> {
    pub checked: &'a Checked,
}

impl<'a> Lookup<'a> {
    fn entity(&self, id: &str) -> Option<&'a Entity> {
        self.checked.entity(id)
    }
    fn source_index(&self, id: &str) -> Option<usize> {
        self.checked.source_index(id)
    }
    fn claim_index(&self, id: &str) -> Option<usize> {
        self.checked.claim_index(id)
    }

    pub fn entity_ref(&self, id: &str, root: Root) -> EntityRef {
        EntityRef {
            id: id.to_owned(),
            name: self
                .entity(id)
                .map_or_else(|| id.to_owned(), |e| e.name.clone()),
            href: root.entity(id),
        }
    }

    pub fn source_ref(&self, index: usize, root: Root) -> SourceRef {
        let s = &self.checked.repo.sources[index];
        let published = s.published.map(|d| d.to_string());
        let mut meta = s.kind.as_str().to_owned();
        for part in [s.publisher.as_deref(), published.as_deref()]
            .into_iter()
            .flatten()
        {
            meta.push_str(" · ");
            meta.push_str(part);
        }
        SourceRef {
            id: s.id.value.clone(),
            title: s.title.clone(),
            kind: s.kind.as_str(),
            publisher: s.publisher.clone(),
            published,
            meta,
            reliability: s.reliability.map(|r| Grade {
                grade: r.as_str().to_owned(),
                label: wording::reliability(r),
            }),
            href: root.source(&s.id.value),
        }
    }

    pub fn claim_ref(&self, index: usize, root: Root) -> ClaimRef {
        let c = &self.checked.repo.claims[index];
        ClaimRef {
            id: c.id.value.clone(),
            statement: c.statement.clone(),
            href: root.claim(&c.id.value),
            balance: balance_label(self.checked.analysis.claims[index].balance),
            verdict: c.verdict.as_ref().map(|v| verdict_label(v.value)),
        }
    }
}

/// A row of the claims table on the index page.
#[derive(Serialize)]
pub struct ClaimRow {
    pub id: String,
    pub href: String,
    pub statement: String,
    pub claimant: Option<EntityRef>,
    pub date: Option<String>,
    pub verdict: Option<Label>,
    pub balance: Label,
    pub supports: Side,
    pub contradicts: Side,
    pub tags: Vec<String>,
}

pub fn claim_row(lookup: &Lookup<'_>, index: usize, root: Root) -> ClaimRow {
    let claim = &lookup.checked.repo.claims[index];
    let facts = &lookup.checked.analysis.claims[index];
    ClaimRow {
        id: claim.id.value.clone(),
        href: root.claim(&claim.id.value),
        statement: claim.statement.clone(),
        claimant: claim
            .claimant
            .as_ref()
            .map(|c| lookup.entity_ref(&c.value, root)),
        date: claim.date.map(|d| d.to_string()),
        verdict: claim.verdict.as_ref().map(|v| verdict_label(v.value)),
        balance: balance_label(facts.balance),
        supports: side(facts, 0),
        contradicts: side(facts, 1),
        tags: claim.tags.clone(),
    }
}

/// One evidence item on a claim page.
#[derive(Serialize)]
pub struct EvidenceView {
    pub stance: &'static str,
    pub quote: Option<String>,
    pub quote_original: Option<String>,
    pub language: Option<String>,
    pub locator: Option<String>,
    pub credibility: Option<Grade>,
    pub note: Option<String>,
    pub own_words: bool,
    pub source: Option<SourceRef>,
    pub source_id: String,
    pub url: Option<String>,
    pub archive_url: Option<String>,
}

fn evidence_view(lookup: &Lookup<'_>, claim: &Claim, item: &Evidence, root: Root) -> EvidenceView {
    let index = lookup.source_index(&item.source.value);
    let source: Option<&Source> = index.map(|i| &lookup.checked.repo.sources[i]);
    let own_words = match (source.and_then(|s| s.by.as_ref()), claim.claimant.as_ref()) {
        (Some(by), Some(claimant)) => by.value == claimant.value,
        _ => false,
    };
    EvidenceView {
        stance: item.stance.as_str(),
        quote: item.quote.clone(),
        quote_original: item.quote_original.clone(),
        language: source.and_then(|s| s.language.clone()),
        locator: item.locator.clone(),
        credibility: item.credibility.map(|n| Grade {
            grade: n.to_string(),
            label: wording::credibility(n),
        }),
        note: md(item.note.as_deref()),
        own_words,
        source: index.map(|i| lookup.source_ref(i, root)),
        source_id: item.source.value.clone(),
        url: web_url(
            source
                .and_then(|s| s.url.as_ref())
                .map(|u| u.value.as_str()),
        ),
        archive_url: web_url(
            source
                .and_then(|s| s.archive_url.as_ref())
                .map(|u| u.value.as_str()),
        ),
    }
}

/// The origins of one side, and a plain warning when several sources are one origin.
#[derive(Serialize)]
pub struct OriginsView {
    pub stance: &'static str,
    pub origins: Vec<SourceRef>,
    pub warning: Option<String>,
}

#[derive(Serialize)]
pub struct RelatedView {
    pub relation: &'static str,
    pub claim: ClaimRef,
}

#[derive(Serialize)]
pub struct ClaimPage {
    pub id: String,
    pub statement: String,
    pub claimant: Option<EntityRef>,
    pub about: Vec<EntityRef>,
    pub date: Option<String>,
    pub appearance: Option<SourceRef>,
    pub tags: Vec<String>,
    pub verdict: Option<Label>,
    pub verdict_note: Option<String>,
    pub verdict_conflict: Option<String>,
    pub balance: Label,
    pub supports: Side,
    pub contradicts: Side,
    pub context_count: usize,
    pub evidence_supports: Vec<EvidenceView>,
    pub evidence_contradicts: Vec<EvidenceView>,
    pub evidence_context: Vec<EvidenceView>,
    pub origins: Vec<OriginsView>,
    pub related: Vec<RelatedView>,
    pub related_from: Vec<RelatedView>,
}

pub fn claim_page(lookup: &Lookup<'_>, index: usize) -> ClaimPage {
    let root = Root::NESTED;
    let checked = lookup.checked;
    let claim = &checked.repo.claims[index];
    let facts = &checked.analysis.claims[index];
    let items = |stance: Stance| -> Vec<EvidenceView> {
        claim
            .evidence
            .iter()
            .filter(|e| e.stance == stance)
            .map(|e| evidence_view(lookup, claim, e, root))
            .collect()
    };
    let origins = [Stance::Supports, Stance::Contradicts]
        .iter()
        .enumerate()
        .filter(|(slot, _)| !facts.sources[*slot].is_empty())
        .map(|(slot, stance)| {
            let origins = &facts.origins[slot];
            let warning =
                wording::shared_origins(*stance, facts.sources[slot].len(), origins.len());
            OriginsView {
                stance: stance.as_str(),
                origins: origins
                    .iter()
                    .map(|&s| lookup.source_ref(s, root))
                    .collect(),
                warning,
            }
        })
        .collect();
    let verdict_conflict = claim
        .verdict
        .as_ref()
        .and_then(|v| wording::verdict_conflict(v.value, facts.balance));
    let related = claim
        .related
        .iter()
        .filter_map(|r| {
            lookup.claim_index(&r.claim.value).map(|i| RelatedView {
                relation: r.relation.as_str(),
                claim: lookup.claim_ref(i, root),
            })
        })
        .collect();
    let node = checked.graph.claim_node(index);
    let mut related_from: Vec<RelatedView> = checked
        .graph
        .graph
        .edges_directed(node, petgraph::Direction::Incoming)
        .filter_map(|e| {
            use petgraph::visit::EdgeRef;
            match (*e.weight(), checked.graph.record(e.source())) {
                (crate::graph::Link::Related(relation), crate::graph::Record::Claim(i)) => {
                    Some(RelatedView {
                        relation: relation.as_str(),
                        claim: lookup.claim_ref(i, root),
                    })
                }
                _ => None,
            }
        })
        .collect();
    related_from.sort_by(|a, b| a.claim.id.cmp(&b.claim.id).then(a.relation.cmp(b.relation)));
    ClaimPage {
        id: claim.id.value.clone(),
        statement: claim.statement.clone(),
        claimant: claim
            .claimant
            .as_ref()
            .map(|c| lookup.entity_ref(&c.value, root)),
        about: claim
            .about
            .iter()
            .map(|a| lookup.entity_ref(&a.value, root))
            .collect(),
        date: claim.date.map(|d| d.to_string()),
        appearance: claim
            .appearance
            .as_ref()
            .and_then(|a| lookup.source_index(&a.value))
            .map(|i| lookup.source_ref(i, root)),
        tags: claim.tags.clone(),
        verdict: claim.verdict.as_ref().map(|v| verdict_label(v.value)),
        verdict_note: md(claim.verdict_note.as_deref()),
        verdict_conflict,
        balance: balance_label(facts.balance),
        supports: side(facts, 0),
        contradicts: side(facts, 1),
        context_count: facts.evidence[2],
        evidence_supports: items(Stance::Supports),
        evidence_contradicts: items(Stance::Contradicts),
        evidence_context: items(Stance::Context),
        origins,
        related,
        related_from,
    }
}

/// A claim a source bears on, and how.
#[derive(Serialize)]
pub struct Bearing {
    pub claim: ClaimRef,
    pub stances: Vec<&'static str>,
    pub appearance: bool,
}

#[derive(Serialize)]
pub struct SourcePage {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub publisher: Option<String>,
    pub by: Option<EntityRef>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    pub published: Option<String>,
    pub accessed: Option<String>,
    pub language: Option<String>,
    pub reliability: Option<Grade>,
    pub file: Option<String>,
    pub sha256: Option<String>,
    pub notes: Option<String>,
    pub cites: Vec<SourceRef>,
    pub cited_by: Vec<SourceRef>,
    pub origins: Vec<SourceRef>,
    pub is_origin: bool,
    pub claims: Vec<Bearing>,
}

pub fn source_page(lookup: &Lookup<'_>, index: usize) -> SourcePage {
    let root = Root::NESTED;
    let checked = lookup.checked;
    let s = &checked.repo.sources[index];
    let mut cites: Vec<usize> = s
        .cites
        .iter()
        .filter_map(|c| lookup.source_index(&c.value))
        .collect();
    cites.sort_by_key(|&i| checked.analysis.source_rank[i]);
    cites.dedup();
    let origins = &checked.analysis.source_origins[index];
    SourcePage {
        id: s.id.value.clone(),
        title: s.title.clone(),
        kind: s.kind.as_str(),
        publisher: s.publisher.clone(),
        by: s.by.as_ref().map(|b| lookup.entity_ref(&b.value, root)),
        author: s.author.clone(),
        url: web_url(s.url.as_ref().map(|u| u.value.as_str())),
        archive_url: web_url(s.archive_url.as_ref().map(|u| u.value.as_str())),
        published: s.published.map(|d| d.to_string()),
        accessed: s.accessed.map(|d| d.to_string()),
        language: s.language.clone(),
        reliability: s.reliability.map(|r| Grade {
            grade: r.as_str().to_owned(),
            label: wording::reliability(r),
        }),
        file: s.file.as_ref().map(|f| f.value.clone()),
        sha256: s.sha256.as_ref().map(|h| h.value.clone()),
        notes: md(s.notes.as_deref()),
        cites: cites
            .into_iter()
            .map(|i| lookup.source_ref(i, root))
            .collect(),
        cited_by: checked.analysis.cited_by[index]
            .iter()
            .map(|&i| lookup.source_ref(i, root))
            .collect(),
        is_origin: origins.len() == 1 && origins[0] == index,
        origins: origins
            .iter()
            .filter(|&&o| o != index)
            .map(|&i| lookup.source_ref(i, root))
            .collect(),
        claims: checked
            .bearings(index)
            .into_iter()
            .map(|b| Bearing {
                claim: lookup.claim_ref(b.claim, root),
                stances: b.stances.iter().map(|s| s.as_str()).collect(),
                appearance: b.appearance,
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct EntityPage {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub aliases: Vec<String>,
    pub url: Option<String>,
    pub description: Option<String>,
    pub claims_made: Vec<ClaimRef>,
    pub claims_about: Vec<ClaimRef>,
    pub sources: Vec<SourceRef>,
}

pub fn entity_page(lookup: &Lookup<'_>, index: usize) -> EntityPage {
    let root = Root::NESTED;
    let checked = lookup.checked;
    let e = &checked.repo.entities[index];
    let links = checked.entity_links(index);
    let (made, about, produced) = (links.made, links.about, links.produced);
    EntityPage {
        id: e.id.value.clone(),
        name: e.name.clone(),
        kind: e.kind.as_str(),
        aliases: e.aliases.clone(),
        url: web_url(e.url.as_ref().map(|u| u.value.as_str())),
        description: md(e.description.as_deref()),
        claims_made: made
            .into_iter()
            .map(|c| lookup.claim_ref(c, root))
            .collect(),
        claims_about: about
            .into_iter()
            .map(|c| lookup.claim_ref(c, root))
            .collect(),
        sources: produced
            .into_iter()
            .map(|s| lookup.source_ref(s, root))
            .collect(),
    }
}
