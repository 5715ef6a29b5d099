//! The lists of claims, sources and entities, sorted by id: the lines of `list` and the
//! rows of the site's index, sources and entities pages (a claim's row is its
//! [`super::ClaimSummary`]), and the filters `list` takes.

use crate::Checked;
use crate::model::{Balance, Claim, Entity, Source, Verdict};
use crate::text::{closest, shown};
use anyhow::{Result, bail};

/// Which claims to list; the default lists all of them. A claim is listed when it
/// passes every filter given.
#[derive(Clone, Debug, Default)]
pub struct ClaimFilter<'a> {
    pub balance: Option<Balance>,
    /// `Some(None)`: only claims without a verdict.
    pub verdict: Option<Option<Verdict>>,
    /// Claims with all these tags.
    pub tags: &'a [String],
    /// Claims made by (claimant) or about this entity.
    pub entity: Option<&'a str>,
}

impl ClaimFilter<'_> {
    fn passes(&self, claim: &Claim, balance: Balance) -> bool {
        let verdict = claim.verdict.as_ref().map(|v| v.value);
        self.balance.is_none_or(|b| b == balance)
            && self.verdict.is_none_or(|v| v == verdict)
            && self.tags.iter().all(|t| claim.tags.contains(t))
            && self.entity.is_none_or(|e| {
                claim.claimant.as_ref().is_some_and(|c| c.value == e)
                    || claim.about.iter().any(|a| a.value == e)
            })
    }
}

/// The indexes of `records` in the order of their ids.
fn by_id<T>(
    records: &[T],
    id: impl Fn(&T) -> &str,
    keep: impl Fn(usize, &T) -> bool,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..records.len())
        .filter(|&i| keep(i, &records[i]))
        .collect();
    order.sort_by(|&a, &b| id(&records[a]).cmp(id(&records[b])));
    order
}

/// The claims that pass `filter`, ordered by id.
pub fn claims(checked: &Checked, filter: &ClaimFilter<'_>) -> Vec<usize> {
    let facts = &checked.analysis.claims;
    by_id(
        &checked.repo.claims,
        |c| &c.id.value,
        |i, c| filter.passes(c, facts[i].balance),
    )
}

/// The sources, ordered by id; with `by`, only those that entity produced.
pub fn sources(checked: &Checked, by: Option<&str>) -> Vec<usize> {
    by_id(
        &checked.repo.sources,
        |s| &s.id.value,
        |_, s| by.is_none_or(|e| s.by.as_ref().is_some_and(|b| b.value == e)),
    )
}

/// The entities, ordered by id.
pub fn entities(checked: &Checked) -> Vec<usize> {
    by_id(&checked.repo.entities, |e| &e.id.value, |_, _| true)
}

/// A source's row: the source, and how much it is used.
#[derive(Clone, Debug)]
pub struct SourceRow<'a> {
    pub index: usize,
    pub source: &'a Source,
    /// It cites no other source.
    pub is_origin: bool,
    /// How many claims it bears on.
    pub claims: usize,
    /// How many sources cite it.
    pub cited_by: usize,
}

pub fn source_row(checked: &Checked, index: usize) -> SourceRow<'_> {
    SourceRow {
        index,
        source: &checked.repo.sources[index],
        is_origin: checked.analysis.is_origin(index),
        claims: checked.bearings(index).len(),
        cited_by: checked.analysis.cited_by[index].len(),
    }
}

/// An entity's row: the entity, and how many claims it made and is the subject of.
#[derive(Clone, Debug)]
pub struct EntityRow<'a> {
    pub index: usize,
    pub entity: &'a Entity,
    pub made: usize,
    pub about: usize,
}

pub fn entity_row(checked: &Checked, index: usize) -> EntityRow<'_> {
    let links = checked.entity_links(index);
    EntityRow {
        index,
        entity: &checked.repo.entities[index],
        made: links.made.len(),
        about: links.about.len(),
    }
}

/// Refuses an `--entity` that names no entity, with what was meant.
pub fn known_entity(checked: &Checked, id: &str) -> Result<()> {
    if checked.entity_index(id).is_some() {
        return Ok(());
    }
    if checked.record(id).is_some() {
        bail!(
            "`{}` is not an entity; --entity takes the id of an entity (`corroborate list entities` lists them)",
            shown(id)
        );
    }
    let entities = checked.repo.entities.iter().map(|e| e.id.value.as_str());
    Err(super::unknown_id(
        id,
        "entity",
        entities,
        "`corroborate list entities` lists them",
    ))
}

/// Tags are free words, so a mistyped one would quietly match nothing: a tag that no
/// claim carries is refused with the nearest one.
pub fn known_tag(checked: &Checked, tag: &str) -> Result<()> {
    let mut tags: Vec<&str> = checked
        .repo
        .claims
        .iter()
        .flat_map(|c| c.tags.iter().map(String::as_str))
        .collect();
    if tags.contains(&tag) {
        return Ok(());
    }
    tags.sort_unstable();
    tags.dedup();
    if tags.is_empty() {
        bail!(
            "no claim has the tag `{}`: no claim has any tags",
            shown(tag)
        );
    }
    match closest(tag, tags.iter().copied()) {
        Some(near) => bail!(
            "no claim has the tag `{}`; did you mean `{near}`?",
            shown(tag)
        ),
        None => {
            const SHOWN: usize = 20;
            let mut listed: Vec<String> = tags.iter().take(SHOWN).map(|t| shown(t)).collect();
            if tags.len() > SHOWN {
                listed.push(format!("and {} more", tags.len() - SHOWN));
            }
            bail!(
                "no claim has the tag `{}`; the tags in use are: {}",
                shown(tag),
                listed.join(", ")
            )
        }
    }
}
