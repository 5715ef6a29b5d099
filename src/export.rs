//! The machine-readable export (`export --format json`, and `data.json` in the site):
//! every input field under its own name plus the computed fields, with records sorted
//! by id and keys in a fixed order, so the same data always gives the same bytes.

use crate::analysis::{Analysis, ClaimFacts, QuoteCheck, SHORT_LIST, Sides, serialize_weighed};
use crate::check::Checked;
use crate::model::{Balance, Claim, Entity, Evidence, Related, Source, SourceArchive, SourceCopy};
use serde::Serialize;
use std::io::Write;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Export<'a> {
    pub format: u32,
    pub title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<&'a str>,
    pub claims: Vec<ClaimOut<'a>>,
    pub sources: Vec<SourceOut<'a>>,
    /// An entity is exported as declared: it has no computed fields.
    pub entities: Vec<&'a Entity>,
}

/// A claim as exported: its declared fields (as `record!` serialises them), the facts
/// computed from its evidence, then its evidence items and related claims.
#[derive(Serialize)]
pub struct ClaimOut<'a> {
    #[serde(flatten)]
    pub claim: &'a Claim,
    pub balance: Balance,
    pub evidence: Sides<usize>,
    #[serde(serialize_with = "serialize_weighed")]
    pub independent: Sides<usize>,
    #[serde(serialize_with = "serialize_weighed")]
    pub origins: Sides<Vec<&'a str>>,
    /// Where each side's evidence was read: the ids of its items' distinct channels.
    #[serde(serialize_with = "serialize_weighed")]
    pub channels: Sides<Vec<&'a str>>,
    pub evidence_items: Vec<EvidenceOut<'a>>,
    pub related: &'a [Related],
}

/// An evidence item as exported: its declared fields, then whether its quote stands
/// in the quoted source's copies.
#[derive(Serialize)]
pub struct EvidenceOut<'a> {
    #[serde(flatten)]
    pub item: &'a Evidence,
    pub quote_check: &'a QuoteCheck,
}

/// A source as exported: its declared fields, then where it is cited and what it
/// traces back to.
#[derive(Serialize)]
pub struct SourceOut<'a> {
    #[serde(flatten)]
    pub source: &'a Source,
    /// Every local copy as written, the `file` shorthand as a one-item list with
    /// role `original` (FORMAT.md, "Export additions").
    pub files: Vec<SourceCopy<'a>>,
    /// Every archived copy as written, the `archive_url` shorthand as a one-item
    /// list (FORMAT.md, "Archived copies").
    pub archives: Vec<SourceArchive<'a>>,
    pub cited_by: Vec<&'a str>,
    /// Left out when another source gives the same long set (see [`source_out`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origins: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_origins_as: Option<&'a str>,
}

/// The ids of sources given by list index.
fn source_ids<'a>(repo: &'a crate::Repository, list: &[usize]) -> Vec<&'a str> {
    list.iter()
        .map(|&s| repo.sources[s].id.value.as_str())
        .collect()
}

/// Builds the export of a checked repository.
pub fn build(checked: &Checked) -> Export<'_> {
    let repo = &checked.repo;
    let analysis = &checked.analysis;
    let source_ids = |list: &[usize]| source_ids(repo, list);

    let mut claims: Vec<ClaimOut<'_>> = repo
        .claims
        .iter()
        .zip(&analysis.claims)
        .map(|(claim, facts)| claim_out(claim, facts, &source_ids))
        .collect();
    claims.sort_by(|a, b| a.claim.id.value.cmp(&b.claim.id.value));

    let mut sources: Vec<SourceOut<'_>> = repo
        .sources
        .iter()
        .enumerate()
        .map(|(i, _)| source_out(repo, i, analysis, &source_ids))
        .collect();
    sources.sort_by(|a, b| a.source.id.value.cmp(&b.source.id.value));

    let mut entities: Vec<&Entity> = repo.entities.iter().collect();
    entities.sort_by(|a, b| a.id.value.cmp(&b.id.value));

    Export {
        format: FORMAT_VERSION,
        title: &repo.config.title,
        description: repo.config.description.as_deref(),
        base_url: repo.config.base_url.as_deref(),
        claims,
        sources,
        entities,
    }
}

fn claim_out<'a>(
    claim: &'a Claim,
    facts: &'a ClaimFacts,
    source_ids: &dyn Fn(&[usize]) -> Vec<&'a str>,
) -> ClaimOut<'a> {
    ClaimOut {
        claim,
        balance: facts.balance,
        evidence: facts.evidence,
        independent: facts.origins.map(|set| set.len()),
        origins: facts.origins.map(|set| source_ids(set)),
        channels: facts.channels.map(|list| source_ids(list)),
        evidence_items: claim
            .evidence
            .iter()
            .zip(&facts.items)
            .map(|(item, facts)| EvidenceOut {
                item,
                quote_check: &facts.quote_check,
            })
            .collect(),
        related: &claim.related,
    }
}

/// A source as exported. Its `origins` are listed unless there are more than
/// [`SHORT_LIST`] and another source gives the same set: then `same_origins_as` names
/// that source, so that a set shared by many sources is written once.
fn source_out<'a>(
    repo: &'a crate::Repository,
    i: usize,
    analysis: &Analysis,
    source_ids: &dyn Fn(&[usize]) -> Vec<&'a str>,
) -> SourceOut<'a> {
    let s = &repo.sources[i];
    let origins = &analysis.source_origins[i];
    let owner = &repo.sources[analysis.origin_owner[i]].id.value;
    let shared = origins.len() > SHORT_LIST && analysis.origin_owner[i] != i;
    SourceOut {
        source: s,
        files: s.copies().collect(),
        archives: s.archives().collect(),
        cited_by: source_ids(&analysis.cited_by[i]),
        origins: (!shared).then(|| source_ids(origins)),
        same_origins_as: shared.then_some(owner.as_str()),
    }
}

/// Writes the export as indented JSON with a final newline.
pub fn write_json(checked: &Checked, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(checked))?;
    out.write_all(b"\n")
}

/// Writes the export without indentation, with a final newline: the site's
/// `data.json`, the same values a third smaller.
pub fn write_compact_json(checked: &Checked, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &build(checked))?;
    out.write_all(b"\n")
}

/// A hash of each record as exported (every field and computed value, no positions),
/// by list index: what changed between two checks of a repository, for `serve`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Digests {
    pub entities: Vec<u64>,
    pub sources: Vec<u64>,
    pub claims: Vec<u64>,
}

/// Feeds what is written to a hasher: a record's digest without its text kept.
struct HashWriter(std::collections::hash_map::DefaultHasher);

impl Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        std::hash::Hasher::write(&mut self.0, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn digest<T: Serialize>(value: &T) -> u64 {
    let mut out = HashWriter(std::collections::hash_map::DefaultHasher::new());
    // Serialising records cannot fail: their keys are all strings.
    let _ = serde_json::to_writer(&mut out, value);
    std::hash::Hasher::finish(&out.0)
}

/// The digest of every record as exported, made on all cores. Nothing of the
/// serialisation is kept: at 100,000 claims it would be 240 MB.
pub fn digests(checked: &Checked) -> Digests {
    use rayon::prelude::*;
    let repo = &checked.repo;
    let analysis = &checked.analysis;
    let source_ids = |list: &[usize]| source_ids(repo, list);
    Digests {
        entities: repo.entities.par_iter().map(digest).collect(),
        sources: (0..repo.sources.len())
            .into_par_iter()
            .map(|i| digest(&source_out(repo, i, analysis, &source_ids)))
            .collect(),
        claims: repo
            .claims
            .par_iter()
            .zip(&analysis.claims)
            .map(|(c, facts)| digest(&claim_out(c, facts, &source_ids)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::views::tests::case;

    /// A record's digest changes when what is exported of it does, and only then.
    #[test]
    fn digests_follow_the_records() {
        let yaml = "claims:\n  - {id: a, statement: One.}\n  - {id: b, statement: Two.}\n";
        let (_one, first) = case(yaml);
        let (_two, again) = case(yaml);
        let (_three, edited) = case(&yaml.replace("Two.", "Two again."));
        let (first, again, edited) = (
            super::digests(&first),
            super::digests(&again),
            super::digests(&edited),
        );
        assert_eq!(first, again);
        assert_eq!(first.claims[0], edited.claims[0]);
        assert_ne!(first.claims[1], edited.claims[1]);
    }
}
