//! What a claim, a source or an entity shows, and the rows of the lists of them,
//! worked out once for every place that shows them: `show` and `list` on the terminal
//! ([`crate::terminal`]) and the pages of the site ([`crate::site`]), which only word,
//! link and lay out what is here. Records are named by their index in
//! [`crate::Repository`].

pub mod lists;

use crate::Checked;
use crate::analysis::{ClaimFacts, OriginSet, Sides};
use crate::check::{Bearing, EntityLinks, Related};
use crate::graph::Record;
use crate::model::{Balance, Claim, Entity, Evidence, Role, Source, SourceCopy, Stance, Verdict};
use crate::text::shown;
use crate::wording;
use anyhow::{Result, anyhow};

/// One weighed side of a claim's evidence.
#[derive(Clone, Debug)]
pub struct SideView<'a> {
    pub stance: Stance,
    /// Evidence items on this side.
    pub items: usize,
    /// The distinct sources they cite.
    pub sources: usize,
    /// The origins those sources trace back to.
    pub origins: &'a OriginSet,
    /// In a few words: "3 sources, 1 independent origin".
    pub summary: String,
    /// When several sources are fewer origins (circular reporting), the warning.
    pub warning: Option<String>,
    /// The distinct places its items were read in (their channels), ordered by id.
    pub channels: &'a [usize],
    /// "read in 2 places", when some item was read through another source (`via`)
    /// or all origins were read in one place; else the sources say it already.
    pub read_in: Option<String>,
    /// When several origins were all read in one place, the warning.
    pub channel_warning: Option<String>,
}

impl SideView<'_> {
    pub fn independent(&self) -> usize {
        self.origins.len()
    }
}

fn side<'a>(claim: &Claim, facts: &'a ClaimFacts, stance: Stance) -> SideView<'a> {
    let sources = facts.sources[stance].len();
    let independent = facts.independent(stance);
    let channels = &facts.channels[stance];
    let channel_warning = wording::single_channel(stance, independent, channels.len());
    let relayed = claim
        .evidence
        .iter()
        .any(|item| item.stance == stance && item.via.is_some());
    SideView {
        channels,
        read_in: (relayed || channel_warning.is_some()).then(|| wording::read_in(channels.len())),
        channel_warning,
        stance,
        items: facts.evidence[stance],
        sources,
        origins: &facts.origins[stance],
        summary: wording::side(sources, independent),
        warning: wording::shared_origins(stance, sources, independent),
    }
}

/// What a claim's line in a list shows, and what its page shows first.
#[derive(Clone, Debug)]
pub struct ClaimSummary<'a> {
    pub index: usize,
    pub claim: &'a Claim,
    pub facts: &'a ClaimFacts,
    pub verdict: Option<Verdict>,
    pub balance: Balance,
    pub supports: SideView<'a>,
    pub contradicts: SideView<'a>,
}

impl ClaimSummary<'_> {
    /// The two weighed sides, supports first.
    pub fn sides(&self) -> [&SideView<'_>; 2] {
        [&self.supports, &self.contradicts]
    }

    /// The side of a weighed stance; `None` for context.
    pub fn side(&self, stance: Stance) -> Option<&SideView<'_>> {
        match stance {
            Stance::Supports => Some(&self.supports),
            Stance::Contradicts => Some(&self.contradicts),
            Stance::Context => None,
        }
    }
}

pub fn claim_summary(checked: &Checked, index: usize) -> ClaimSummary<'_> {
    let claim = &checked.repo.claims[index];
    let facts = &checked.analysis.claims[index];
    ClaimSummary {
        index,
        claim,
        facts,
        verdict: claim.verdict.as_ref().map(|v| v.value),
        balance: facts.balance,
        supports: side(claim, facts, Stance::Supports),
        contradicts: side(claim, facts, Stance::Contradicts),
    }
}

/// One evidence item and the source it names.
#[derive(Clone, Debug)]
pub struct EvidenceView<'a> {
    pub item: &'a Evidence,
    /// The source, when the id names one.
    pub source: Option<usize>,
    /// The source it was read in (`via`), when given and the id names one.
    pub via: Option<usize>,
    /// The source is by the claimant: the claim in the claimant's own words.
    pub own_words: bool,
    /// What checking its quote against the local copies found, when there was
    /// anything to check it against.
    pub check: Option<QuoteLine>,
}

/// The line beside a quote that says whether it stands in the local copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteLine {
    /// "Found in evidence/x.pdf, page 2" or "Not found in the local copy evidence/x.pdf".
    pub text: String,
    pub found: bool,
    /// The sha256 of the copy it was found in.
    pub sha256: Option<String>,
}

/// How many quotes were checked against local copies and how many stand there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuoteCount {
    /// Items with words to look for.
    pub quotes: usize,
    /// Of those, found in a copy.
    pub verified: usize,
    /// Of those, looked for in a copy with text (found or not).
    pub checked: usize,
}

impl QuoteCount {
    /// The quotes of the claims `facts`, counted the one way the pages and `show` say.
    pub fn of<'a>(facts: impl IntoIterator<Item = &'a crate::analysis::ClaimFacts>) -> QuoteCount {
        use crate::analysis::QuoteStatus;
        let mut count = QuoteCount::default();
        for item in facts.into_iter().flat_map(|f| &f.items) {
            if matches!(
                item.quote_check,
                crate::analysis::QuoteCheck::Unchecked(crate::quote_check::Unchecked::NoQuote)
            ) {
                continue;
            }
            count.quotes += 1;
            match item.quote_check.status() {
                QuoteStatus::Verified => {
                    count.verified += 1;
                    count.checked += 1;
                }
                QuoteStatus::NotFound => count.checked += 1,
                QuoteStatus::Unchecked => {}
            }
        }
        count
    }

    /// "2 of 3 quotes verified against local copies", when any was checked: a case
    /// without copies says nothing about them.
    pub fn sentence(&self) -> Option<String> {
        (self.checked > 0).then(|| {
            format!(
                "{} of {} verified against local copies",
                self.verified,
                crate::wording::plural(self.quotes, "quote", "quotes")
            )
        })
    }
}

/// The line for a quote check; nothing for a quote that was not checked (no quote,
/// or no copy with text), so that a case without copies reads as before.
pub fn quote_line(check: &crate::analysis::QuoteCheck) -> Option<QuoteLine> {
    use crate::analysis::{QuoteCheck, QuoteStatus};
    let line = |text: String, found: bool, sha256: Option<String>| QuoteLine {
        text,
        found,
        sha256,
    };
    match check {
        QuoteCheck::Verified {
            file, page, sha256, ..
        } => Some(line(
            match page {
                Some(page) => format!("Found in {file}, page {page}"),
                None => format!("Found in {file}"),
            },
            true,
            Some(sha256.clone()),
        )),
        QuoteCheck::NotFound { file, .. } => Some(line(
            match file {
                Some(file) => format!("Not found in the local copy {file}"),
                None => "Not found in the local copy".to_owned(),
            },
            false,
            None,
        )),
        QuoteCheck::Withheld(QuoteStatus::Verified) => {
            Some(line("Found in the local copy".to_owned(), true, None))
        }
        QuoteCheck::Withheld(QuoteStatus::NotFound) => {
            Some(line("Not found in the local copy".to_owned(), false, None))
        }
        QuoteCheck::Unchecked(_) | QuoteCheck::Withheld(QuoteStatus::Unchecked) => None,
    }
}

/// Everything a claim shows.
#[derive(Clone, Debug)]
pub struct ClaimView<'a> {
    pub summary: ClaimSummary<'a>,
    /// The source it was made or reported in.
    pub appearance: Option<usize>,
    /// The sentence for a verdict that the evidence goes against.
    pub verdict_conflict: Option<String>,
    /// The evidence items of each stance, in the order they were written.
    pub evidence: Sides<Vec<EvidenceView<'a>>>,
    pub related: Related,
}

pub fn claim(checked: &Checked, index: usize) -> ClaimView<'_> {
    let summary = claim_summary(checked, index);
    let claim = summary.claim;
    let mut evidence: Sides<Vec<EvidenceView<'_>>> = Sides::default();
    let facts = summary.facts;
    for (item, item_facts) in claim.evidence.iter().zip(&facts.items) {
        let source = checked.source_index(&item.source.value);
        let via = item.via.as_ref().and(item_facts.channel);
        let by = source.and_then(|s| checked.repo.sources[s].by.as_ref());
        let own_words = match (by, &claim.claimant) {
            (Some(by), Some(claimant)) => by.value == claimant.value,
            _ => false,
        };
        evidence[item.stance].push(EvidenceView {
            item,
            source,
            via,
            own_words,
            check: quote_line(&item_facts.quote_check),
        });
    }
    ClaimView {
        appearance: claim
            .appearance
            .as_ref()
            .and_then(|a| checked.source_index(&a.value)),
        verdict_conflict: summary
            .verdict
            .and_then(|v| wording::verdict_conflict(v, summary.balance)),
        evidence,
        related: checked.related(index),
        summary,
    }
}

/// Everything a source shows.
#[derive(Clone, Debug)]
pub struct SourceView<'a> {
    pub index: usize,
    pub source: &'a Source,
    /// What it cites, ordered by id.
    pub cites: Vec<usize>,
    /// What cites it, ordered by id.
    pub cited_by: &'a [usize],
    /// The origins it traces back to, ordered by id.
    pub origins: &'a OriginSet,
    /// It cites no other source: it is its own origin.
    pub is_origin: bool,
    /// The claims it bears on, ordered by id.
    pub bearings: Vec<Bearing>,
}

pub fn source(checked: &Checked, index: usize) -> SourceView<'_> {
    let analysis = &checked.analysis;
    SourceView {
        index,
        source: &checked.repo.sources[index],
        cites: checked.cites(index),
        cited_by: &analysis.cited_by[index],
        origins: &analysis.source_origins[index],
        is_origin: analysis.is_origin(index),
        bearings: checked.bearings(index),
    }
}

/// Everything an entity shows.
#[derive(Clone, Debug)]
pub struct EntityView<'a> {
    pub index: usize,
    pub entity: &'a Entity,
    pub links: EntityLinks,
}

pub fn entity(checked: &Checked, index: usize) -> EntityView<'_> {
    EntityView {
        index,
        entity: &checked.repo.entities[index],
        links: checked.entity_links(index),
    }
}

/// The name of the entity an id names, or the id when it names none.
pub fn entity_name<'a>(checked: &'a Checked, id: &'a str) -> &'a str {
    checked.entity(id).map_or(id, |e| e.name.as_str())
}

/// What is known of a source at a glance, in order: its kind, publisher and date.
pub fn source_facts(source: &Source) -> Vec<String> {
    let mut facts = vec![source.kind.as_str().to_owned()];
    facts.extend(source.publisher.clone());
    facts.extend(source.published.map(|d| d.to_string()));
    facts
}

/// What is said of a local copy beside its path: its role unless it is the original,
/// and when it was made ("archive, captured 2019-04-10"); `None` for a plain original,
/// which is shown as the path alone (as the `file` shorthand always was).
pub fn copy_note(copy: &SourceCopy<'_>) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if copy.role != Role::Original {
        parts.push(copy.role.as_str().to_owned());
    }
    if let Some(captured) = copy.captured {
        parts.push(format!("captured {captured}"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Where a DOI resolves (`https://doi.org/` and the DOI, its reserved characters
/// percent-encoded), when it is one.
pub fn doi_url(doi: &str) -> Option<String> {
    crate::rules::is_doi(doi).then(|| {
        let encoded: String = doi
            .chars()
            .map(|c| match c {
                '#' | '?' | '%' | '"' | '<' | '>' | ' ' => format!("%{:02X}", c as u32),
                c => c.to_string(),
            })
            .collect();
        format!("https://doi.org/{encoded}")
    })
}

/// When the links of a source were last checked, and what was found, worded: "link
/// ok, archived copy (2019-04-10) broken". From the results `corroborate links` kept
/// in the repository, for those of the source's URLs that are still its own; `None`
/// when they were never checked (or the source is shown as confidential).
pub fn links_checked(checked: &Checked, source: &crate::model::Source) -> Option<(String, String)> {
    use crate::links::Kind;
    if source.sensitive {
        return None;
    }
    let results = &checked.repo.links;
    let id = &source.id.value;
    // The link first, then the archived copies in the order written.
    let link = source
        .url
        .as_ref()
        .map(|u| ("link".to_owned(), results.find(id, &u.value, Kind::Url)));
    let archives = source.archives().map(|a| {
        let label = match a.captured {
            Some(date) => format!("archived copy ({date})"),
            None => "archived copy".to_owned(),
        };
        (label, results.find(id, &a.url.value, Kind::Archive))
    });
    let mut latest = 0;
    let mut parts = Vec::new();
    for (label, stored) in link.into_iter().chain(archives) {
        let Some(stored) = stored else { continue };
        latest = latest.max(stored.checked_at);
        parts.push(format!("{label} {}", stored.row.status.as_str()));
    }
    (!parts.is_empty()).then(|| (crate::links::results::date_of(latest), parts.join(", ")))
}

/// The record `id` names, or an error that says what was meant.
pub fn find(checked: &Checked, id: &str) -> Result<Record> {
    if let Some(record) = checked.record(id) {
        return Ok(record);
    }
    let ids = checked.graph.ids.keys().map(String::as_str);
    Err(unknown_id(
        id,
        "claim, source or entity",
        ids,
        "`corroborate list claims` (or `sources`, `entities`) lists the ids",
    ))
}

/// The error for an id that names no `what`: with the closest of `candidates`, or
/// else with `otherwise`.
fn unknown_id<'a>(
    id: &str,
    what: &str,
    candidates: impl Iterator<Item = &'a str>,
    otherwise: &str,
) -> anyhow::Error {
    match crate::graph::closest_id(id, candidates) {
        Some(near) => anyhow!(
            "no {what} has the id `{}`; did you mean `{near}`?",
            shown(id)
        ),
        None => anyhow!("no {what} has the id `{}`; {otherwise}", shown(id)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A case with a claim that names its entity twice in `about` and another claim
    /// twice the same way, and context evidence.
    pub(crate) const REPEATS: &str = r#"entities:
  - {id: acme, name: Acme, kind: organization}
sources:
  - {id: wire, title: Wire, kind: news}
  - {id: copy, title: Copy, kind: news, cites: [wire], by: acme}
claims:
  - id: first
    statement: First.
    claimant: acme
    about: [acme, acme]
    evidence:
      - {source: copy, stance: supports, quote: q}
      - {source: wire, stance: supports, quote: q}
      - {source: copy, stance: context}
    related:
      - {claim: second, relation: supports}
      - {claim: second, relation: supports}
  - id: second
    statement: Second.
"#;

    /// The checked repository of one data file, and its folder (removed when dropped).
    pub(crate) fn case(yaml: &str) -> (tempfile::TempDir, Checked) {
        let dir = tempfile::tempdir().expect("a scratch folder");
        std::fs::create_dir(dir.path().join("claims")).expect("claims/");
        std::fs::write(dir.path().join("claims/case.yaml"), yaml).expect("written");
        let checked = crate::check(dir.path()).expect("the case loads");
        assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
        (dir, checked)
    }

    fn claim_index(checked: &Checked, id: &str) -> usize {
        checked.claim_index(id).expect("the claim exists")
    }

    #[test]
    fn a_claim_shows_its_sides_its_own_words_and_the_claims_naming_it_once() {
        let (_dir, checked) = case(REPEATS);
        let first = claim(&checked, claim_index(&checked, "first"));
        let supports = &first.summary.supports;
        assert_eq!(
            (supports.items, supports.sources, supports.independent()),
            (2, 2, 1)
        );
        assert_eq!(
            supports.warning.as_deref(),
            Some(
                "2 sources support this claim, but they trace back to 1 origin: count them as 1 independent origin, not 2."
            )
        );
        assert_eq!(first.summary.contradicts.summary, "none");
        let own: Vec<bool> = first
            .evidence
            .supports
            .iter()
            .map(|e| e.own_words)
            .collect();
        assert_eq!(own, [true, false]);
        assert_eq!(first.evidence.context.len(), 1);
        assert_eq!(first.related.named.len(), 2);
        let second = claim(&checked, claim_index(&checked, "second"));
        assert_eq!(second.related.naming.len(), 1);
        assert!(first.summary.side(Stance::Context).is_none());
    }

    #[test]
    fn an_entity_row_counts_each_claim_once() {
        let (_dir, checked) = case(REPEATS);
        let acme = checked.entity_index("acme").expect("acme");
        let row = lists::entity_row(&checked, acme);
        assert_eq!((row.made, row.about), (1, 1));
        let wire = checked.source_index("wire").expect("wire");
        let row = lists::source_row(&checked, wire);
        assert_eq!((row.is_origin, row.claims, row.cited_by), (true, 1, 1));
    }
}
