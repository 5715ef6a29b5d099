//! What changed between two checked states of a repository, as a reviewer of a pull
//! request needs it: which records came and went, which evidence items were added or
//! removed, and, above all, which claims now come out differently (verdict, balance,
//! number of independent origins on either side). A line diff of YAML shows none of the
//! last: a new `cites` in one source can halve the independent support of a claim in
//! another file.
//!
//! [`compare`] is a pure function of two [`Checked`] states; [`render`] writes the
//! result for a terminal, a pull-request comment or other tools.

pub mod render;

use crate::analysis::ClaimFacts;
use crate::check::Checked;
use crate::model::{Balance, Claim, Stance, Verdict};
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything that changed, each list sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub claims: RecordChanges,
    pub sources: RecordChanges,
    pub entities: RecordChanges,
    /// Evidence items added to or removed from claims that exist on both sides (the
    /// evidence of an added or removed claim comes and goes with it).
    pub evidence: Vec<EvidenceChanges>,
    /// Claims on both sides whose verdict, balance or independent-origin count changed.
    pub assessments: Vec<Assessment>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self == &Diff::default()
    }

    /// Evidence items added and removed, over all claims.
    pub fn evidence_counts(&self) -> (usize, usize) {
        self.evidence.iter().fold((0, 0), |(added, removed), c| {
            (added + c.added.len(), removed + c.removed.len())
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RecordChanges {
    pub added: Vec<Named>,
    pub removed: Vec<Named>,
}

/// A record by its id and its text: a claim's statement, a source's title, an entity's
/// name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Named {
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceChanges {
    pub claim: String,
    pub added: Vec<EvidenceItem>,
    pub removed: Vec<EvidenceItem>,
}

/// What makes an evidence item the same item on both sides: its source, its stance and
/// its quote. A changed quote is a removed item and an added one; a changed note or
/// locator is no change here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EvidenceItem {
    pub source: String,
    pub stance: Stance,
    pub quote: Option<String>,
}

/// A claim's assessment on both sides; at least one of its parts differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub id: String,
    /// The statement as it is now.
    pub statement: String,
    pub verdict: Change<Option<Verdict>>,
    pub balance: Change<Balance>,
    pub independent: Sides<Change<usize>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

impl<T: PartialEq> Change<T> {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Sides<T> {
    pub supports: T,
    pub contradicts: T,
}

/// Compares two checked states of a repository, `before` and `after`. Records are
/// matched by id; the first of a repeated id is the one compared, though data with
/// errors is best not compared at all.
pub fn compare(before: &Checked, after: &Checked) -> Diff {
    let (old, new) = (claims_by_id(before), claims_by_id(after));
    let mut evidence = Vec::new();
    let mut assessments = Vec::new();
    for (id, &(claim, facts)) in &new {
        let Some(&(old_claim, old_facts)) = old.get(id) else {
            continue;
        };
        let (added, removed) = evidence_changes(old_claim, claim);
        if !added.is_empty() || !removed.is_empty() {
            evidence.push(EvidenceChanges {
                claim: (*id).to_owned(),
                added,
                removed,
            });
        }
        let assessment = Assessment {
            id: (*id).to_owned(),
            statement: claim.statement.clone(),
            verdict: Change {
                before: old_claim.verdict.as_ref().map(|v| v.value),
                after: claim.verdict.as_ref().map(|v| v.value),
            },
            balance: Change {
                before: old_facts.balance,
                after: facts.balance,
            },
            independent: Sides {
                supports: Change {
                    before: old_facts.independent(Stance::Supports),
                    after: facts.independent(Stance::Supports),
                },
                contradicts: Change {
                    before: old_facts.independent(Stance::Contradicts),
                    after: facts.independent(Stance::Contradicts),
                },
            },
        };
        if assessment.verdict.changed()
            || assessment.balance.changed()
            || assessment.independent.supports.changed()
            || assessment.independent.contradicts.changed()
        {
            assessments.push(assessment);
        }
    }
    Diff {
        claims: record_changes(
            &named(
                before
                    .repo
                    .claims
                    .iter()
                    .map(|c| (&c.id.value, &c.statement)),
            ),
            &named(
                after
                    .repo
                    .claims
                    .iter()
                    .map(|c| (&c.id.value, &c.statement)),
            ),
        ),
        sources: record_changes(
            &named(before.repo.sources.iter().map(|s| (&s.id.value, &s.title))),
            &named(after.repo.sources.iter().map(|s| (&s.id.value, &s.title))),
        ),
        entities: record_changes(
            &named(before.repo.entities.iter().map(|e| (&e.id.value, &e.name))),
            &named(after.repo.entities.iter().map(|e| (&e.id.value, &e.name))),
        ),
        evidence,
        assessments,
    }
}

fn claims_by_id(checked: &Checked) -> BTreeMap<&str, (&Claim, &ClaimFacts)> {
    let mut map = BTreeMap::new();
    for (claim, facts) in checked.repo.claims.iter().zip(&checked.analysis.claims) {
        map.entry(claim.id.value.as_str()).or_insert((claim, facts));
    }
    map
}

fn named<'a>(
    records: impl Iterator<Item = (&'a String, &'a String)>,
) -> BTreeMap<&'a str, &'a str> {
    let mut map = BTreeMap::new();
    for (id, label) in records {
        map.entry(id.as_str()).or_insert(label.as_str());
    }
    map
}

fn record_changes(before: &BTreeMap<&str, &str>, after: &BTreeMap<&str, &str>) -> RecordChanges {
    let only_in = |a: &BTreeMap<&str, &str>, b: &BTreeMap<&str, &str>| -> Vec<Named> {
        a.iter()
            .filter(|(id, _)| !b.contains_key(*id))
            .map(|(id, label)| Named {
                id: (*id).to_owned(),
                label: (*label).to_owned(),
            })
            .collect()
    };
    RecordChanges {
        added: only_in(after, before),
        removed: only_in(before, after),
    }
}

/// Items added and removed, counted as multisets: the same source quoted the same way
/// twice is two items, and removing one of them is a change.
fn evidence_changes(before: &Claim, after: &Claim) -> (Vec<EvidenceItem>, Vec<EvidenceItem>) {
    let count = |claim: &Claim| {
        let mut counts: BTreeMap<EvidenceItem, usize> = BTreeMap::new();
        for item in &claim.evidence {
            let key = EvidenceItem {
                source: item.source.value.clone(),
                stance: item.stance,
                quote: item.quote.as_ref().map(|q| q.value.clone()),
            };
            *counts.entry(key).or_default() += 1;
        }
        counts
    };
    let (old, new) = (count(before), count(after));
    let surplus = |a: &BTreeMap<EvidenceItem, usize>, b: &BTreeMap<EvidenceItem, usize>| {
        let mut out = Vec::new();
        for (item, &n) in a {
            let m = b.get(item).copied().unwrap_or(0);
            for _ in m..n {
                out.push(item.clone());
            }
        }
        out
    };
    (surplus(&new, &old), surplus(&old, &new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{Sink, data_file};
    use crate::load::Repository;
    use crate::{analysis, graph};

    /// A checked repository from one data file's text, which must have no errors.
    fn checked(text: &str) -> Checked {
        let mut sink = Sink::new("t.yaml");
        let records = data_file(crate::yaml::parse(text).expect("valid YAML"), 0, &mut sink);
        assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
        let repo = Repository {
            files: vec!["t.yaml".into()],
            entities: records.entities,
            sources: records.sources,
            claims: records.claims,
            ..Repository::default()
        };
        let (graph, diagnostics) = graph::build(&repo);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let analysis = analysis::analyse(&repo, &graph, analysis::QuoteChecks::default());
        Checked {
            repo,
            graph,
            analysis,
            diagnostics,
        }
    }

    const SOURCES: &str = "sources:
  - {id: wire, title: Wire}
  - {id: paper, title: Paper, cites: [wire]}
  - {id: own, title: Own}
";

    fn with_claims(claims: &str) -> Checked {
        checked(&format!("{SOURCES}claims:\n{claims}"))
    }

    #[test]
    fn identical_states_have_no_differences() {
        let text = "  - id: c\n    statement: S\n    evidence:\n      - {source: wire, stance: supports, quote: q}\n";
        let diff = compare(&with_claims(text), &with_claims(text));
        assert!(diff.is_empty(), "{diff:?}");
    }

    #[test]
    fn records_added_and_removed_are_listed_by_id() {
        let before = checked(
            "entities:\n  - {id: e1, name: One}\nsources:\n  - {id: s1, title: T1}\n  - {id: s2, title: T2}\nclaims:\n  - {id: b, statement: B}\n  - {id: a, statement: A}\n",
        );
        let after = checked(
            "entities:\n  - {id: e2, name: Two}\nsources:\n  - {id: s2, title: T2 renamed}\nclaims:\n  - {id: z, statement: Z}\n  - {id: c, statement: C}\n  - {id: a, statement: A}\n",
        );
        let diff = compare(&before, &after);
        fn ids(list: &[Named]) -> Vec<&str> {
            list.iter().map(|n| n.id.as_str()).collect()
        }
        assert_eq!(ids(&diff.claims.added), ["c", "z"]);
        assert_eq!(ids(&diff.claims.removed), ["b"]);
        assert_eq!(diff.claims.added[0].label, "C");
        assert_eq!(ids(&diff.sources.added), Vec::<&str>::new());
        assert_eq!(ids(&diff.sources.removed), ["s1"]);
        assert_eq!(ids(&diff.entities.added), ["e2"]);
        assert_eq!(ids(&diff.entities.removed), ["e1"]);
        assert!(diff.evidence.is_empty() && diff.assessments.is_empty());
    }

    #[test]
    fn evidence_items_are_matched_by_source_stance_and_quote() {
        let before = with_claims(
            "  - id: c
    statement: S
    evidence:
      - {source: wire, stance: supports, quote: same}
      - {source: own, stance: context, quote: old words}
      - {source: paper, stance: supports, quote: twice}
      - {source: paper, stance: supports, quote: twice}
",
        );
        let after = with_claims(
            "  - id: c
    statement: S
    evidence:
      - {source: wire, stance: supports, quote: same, locator: moved, note: a note}
      - {source: own, stance: context, quote: new words}
      - {source: paper, stance: supports, quote: twice}
      - {source: own, stance: contradicts}
",
        );
        let diff = compare(&before, &after);
        let item = |source: &str, stance, quote: Option<&str>| EvidenceItem {
            source: source.into(),
            stance,
            quote: quote.map(Into::into),
        };
        assert_eq!(
            diff.evidence,
            [EvidenceChanges {
                claim: "c".into(),
                added: vec![
                    item("own", Stance::Contradicts, None),
                    item("own", Stance::Context, Some("new words")),
                ],
                removed: vec![
                    item("own", Stance::Context, Some("old words")),
                    item("paper", Stance::Supports, Some("twice")),
                ],
            }]
        );
        assert_eq!(diff.evidence_counts(), (2, 2));
        // From supported to contested, with a new independent origin against it.
        let change = &diff.assessments[0];
        assert_eq!(
            (change.balance.before, change.balance.after),
            (Balance::Supported, Balance::Contested)
        );
        assert_eq!(
            change.independent.contradicts,
            Change {
                before: 0,
                after: 1
            }
        );
        assert!(!change.independent.supports.changed());
    }

    #[test]
    fn a_changed_verdict_alone_is_an_assessment_change() {
        let before = with_claims("  - {id: c, statement: S, verdict: true}\n");
        let after = with_claims("  - {id: c, statement: S now, verdict: mostly-false}\n");
        let diff = compare(&before, &after);
        assert_eq!(diff.assessments.len(), 1);
        let change = &diff.assessments[0];
        assert_eq!(change.statement, "S now");
        assert_eq!(
            change.verdict,
            Change {
                before: Some(Verdict::True),
                after: Some(Verdict::MostlyFalse)
            }
        );
        assert!(!change.balance.changed());
        let removed = compare(&before, &with_claims("  - {id: c, statement: S}\n"));
        assert_eq!(removed.assessments[0].verdict.after, None);
    }

    #[test]
    fn a_new_citation_elsewhere_changes_the_independent_count() {
        // Same evidence on both sides; only the sources' `cites` differ.
        let claims = "  - id: c
    statement: S
    evidence:
      - {source: a, stance: supports}
      - {source: b, stance: supports}
";
        let before = checked(&format!(
            "sources:\n  - {{id: a, title: A}}\n  - {{id: b, title: B}}\nclaims:\n{claims}"
        ));
        let after = checked(&format!(
            "sources:\n  - {{id: a, title: A}}\n  - {{id: b, title: B, cites: [a]}}\nclaims:\n{claims}"
        ));
        let diff = compare(&before, &after);
        assert!(diff.evidence.is_empty());
        assert_eq!(diff.assessments.len(), 1);
        assert_eq!(
            diff.assessments[0].independent.supports,
            Change {
                before: 2,
                after: 1
            }
        );
        assert!(!diff.assessments[0].balance.changed());
    }

    #[test]
    fn evidence_of_added_claims_is_not_listed_twice() {
        let before = with_claims("  - {id: c, statement: S}\n");
        let after = with_claims(
            "  - {id: c, statement: S}\n  - id: d\n    statement: D\n    evidence:\n      - {source: wire, stance: supports}\n",
        );
        let diff = compare(&before, &after);
        assert_eq!(diff.claims.added.len(), 1);
        assert!(diff.evidence.is_empty());
        assert!(diff.assessments.is_empty());
    }
}
