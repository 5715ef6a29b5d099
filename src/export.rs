//! The machine-readable export (`export --format json`, and `data.json` in the site):
//! every input field under its own name plus the computed fields, with records sorted
//! by id and keys in a fixed order, so the same data always gives the same bytes.

use crate::analysis::{Analysis, ClaimFacts, QuoteCheck, SHORT_LIST, Sides, serialize_weighed};
use crate::check::Checked;
use crate::model::{Balance, Claim, Entity, Evidence, Related, Source, SourceCopy};
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

/// Each record's part of the export: its JSON as it stands in `data.json` (written
/// without indentation), by list index. Made on all cores, they give both the digests and `data.json`, so
/// that a build serialises every record once.
pub struct Parts {
    pub entities: Vec<Vec<u8>>,
    pub sources: Vec<Vec<u8>>,
    pub claims: Vec<Vec<u8>>,
}

/// The JSON of one record, without indentation, as it stands in `data.json`.
fn part<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising records to memory cannot fail: their keys are all strings.
    serde_json::to_vec(value).unwrap_or_default()
}

pub fn parts(checked: &Checked) -> Parts {
    use rayon::prelude::*;
    let repo = &checked.repo;
    let analysis = &checked.analysis;
    let source_ids = |list: &[usize]| source_ids(repo, list);
    Parts {
        entities: repo.entities.par_iter().map(part).collect(),
        sources: (0..repo.sources.len())
            .into_par_iter()
            .map(|i| part(&source_out(repo, i, analysis, &source_ids)))
            .collect(),
        claims: repo
            .claims
            .par_iter()
            .zip(&analysis.claims)
            .map(|(c, facts)| part(&claim_out(c, facts, &source_ids)))
            .collect(),
    }
}

impl Parts {
    pub fn digests(&self) -> Digests {
        use rayon::prelude::*;
        let hash = |list: &Vec<Vec<u8>>| -> Vec<u64> {
            list.par_iter()
                .map(|bytes| {
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    std::hash::Hasher::write(&mut hasher, bytes);
                    std::hash::Hasher::finish(&hasher)
                })
                .collect()
        };
        Digests {
            entities: hash(&self.entities),
            sources: hash(&self.sources),
            claims: hash(&self.claims),
        }
    }

    /// The export, byte for byte what [`write_compact_json`] writes, put together
    /// from the parts in the order of the ids.
    pub fn write_json(&self, checked: &Checked, out: &mut Vec<u8>) {
        let repo = &checked.repo;
        let text = |value: &str| serde_json::to_string(value).unwrap_or_default();
        out.reserve(
            [&self.claims, &self.sources, &self.entities]
                .iter()
                .flat_map(|list| list.iter().map(|p| p.len() + 1))
                .sum::<usize>()
                + 1024,
        );
        out.extend_from_slice(
            format!(
                "{{\"format\":{FORMAT_VERSION},\"title\":{}",
                text(&repo.config.title)
            )
            .as_bytes(),
        );
        if let Some(description) = &repo.config.description {
            out.extend_from_slice(format!(",\"description\":{}", text(description)).as_bytes());
        }
        if let Some(base_url) = &repo.config.base_url {
            out.extend_from_slice(format!(",\"base_url\":{}", text(base_url)).as_bytes());
        }
        let mut list = |name: &str, parts: &[Vec<u8>], ids: Vec<&str>| {
            let mut order: Vec<usize> = (0..parts.len()).collect();
            order.sort_by(|&a, &b| ids[a].cmp(ids[b]));
            out.extend_from_slice(format!(",\"{name}\":[").as_bytes());
            for (n, &i) in order.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(&parts[i]);
            }
            out.push(b']');
        };
        list(
            "claims",
            &self.claims,
            repo.claims.iter().map(|c| c.id.value.as_str()).collect(),
        );
        list(
            "sources",
            &self.sources,
            repo.sources.iter().map(|s| s.id.value.as_str()).collect(),
        );
        list(
            "entities",
            &self.entities,
            repo.entities.iter().map(|e| e.id.value.as_str()).collect(),
        );
        out.extend_from_slice(b"}\n");
    }
}

pub fn digests(checked: &Checked) -> Digests {
    parts(checked).digests()
}

#[cfg(test)]
mod tests {
    use crate::views::tests::{REPEATS, case};

    /// `data.json` put together from the parts is the export without indentation,
    /// byte for byte.
    #[test]
    fn the_parts_make_the_export() {
        for yaml in [REPEATS, "claims: []\n"] {
            let (_dir, checked) = case(yaml);
            let mut whole = Vec::new();
            super::write_compact_json(&checked, &mut whole).unwrap_or_else(|err| panic!("{err}"));
            let mut assembled = Vec::new();
            super::parts(&checked).write_json(&checked, &mut assembled);
            assert_eq!(
                String::from_utf8_lossy(&assembled),
                String::from_utf8_lossy(&whole)
            );
        }
    }
}
