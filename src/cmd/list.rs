//! `corroborate list`: one line per claim, source or entity, sorted by id, to see a
//! case at a glance and to feed `grep`, `cut` or `awk`: lines are cut to the screen
//! only on a terminal, never in a pipe.

use super::{ColorArgs, Output};
use anyhow::{Result, bail};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use corroborate::Checked;
use corroborate::model::{Balance, Claim, Stance, Verdict};
use corroborate::terminal::{self, Line, Paint, balance_paint, one_line, verdict_paint};
use corroborate::text::{closest, shown};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "List claims, sources or entities, one line each, sorted by id",
    after_help = "Columns:\n  claims    id, verdict (none if not given), balance, origins S/C, statement\n  sources   id, kind, reliability (- if not graded), title\n  entities  id, kind, name\nS/C counts the independent origins of the supporting and of the contradicting evidence.\nFilters combine: a claim is listed when it passes all of them.\n\nExamples:\n  corroborate list claims\n  corroborate list claims --balance contested\n  corroborate list claims --verdict none               # claims still waiting for a verdict\n  corroborate list claims --entity hikvision --tag xinjiang\n  corroborate list sources --entity hikvision          # the sources Hikvision produced (`by`)\n  corroborate list claims | cut -d' ' -f1              # just the ids"
)]
pub struct Args {
    /// What to list
    #[arg(value_enum)]
    pub kind: Kind,

    /// Only claims whose evidence has this balance
    #[arg(long, value_name = "BALANCE", value_parser = balance_parser())]
    pub balance: Option<Balance>,

    /// Only claims with this verdict (`none`: claims without a verdict)
    #[arg(long, value_name = "VERDICT", value_parser = verdict_parser())]
    pub verdict: Option<VerdictFilter>,

    /// Only claims with this tag (repeat it for claims that have all the tags)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,

    /// Only claims made by (claimant) or about this entity; with `sources`, the sources it produced (`by`)
    #[arg(long, value_name = "ENTITY")]
    pub entity: Option<String>,

    #[command(flatten)]
    pub color: ColorArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    #[value(alias = "claim")]
    Claims,
    #[value(alias = "source")]
    Sources,
    #[value(alias = "entity")]
    Entities,
}

/// `--verdict`: one of the verdicts, or none given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictFilter {
    Is(Verdict),
    Missing,
}

/// The format's own word lists, so that `--help` and the error for a bad value list
/// exactly the words the data may hold.
fn balance_parser() -> impl TypedValueParser<Value = Balance> {
    PossibleValuesParser::new(Balance::WORDS).try_map(|word| {
        Balance::from_word(&word)
            .ok_or("not a balance: no-evidence, supported, contradicted or contested")
    })
}

fn verdict_parser() -> impl TypedValueParser<Value = VerdictFilter> {
    PossibleValuesParser::new(Verdict::WORDS.iter().copied().chain(["none"])).try_map(|word| {
        match Verdict::from_word(&word) {
            Some(verdict) => Ok(VerdictFilter::Is(verdict)),
            None if word == "none" => Ok(VerdictFilter::Missing),
            None => Err("not a verdict"),
        }
    })
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    check_filters(args)?;
    let output = Output::detect(&args.color);
    let checked = corroborate::check(dir)?;
    if let Some(code) = super::stop_on_errors(&checked, "list") {
        return Ok(code);
    }
    if let Some(entity) = &args.entity {
        known_entity(&checked, entity)?;
    }
    for tag in &args.tag {
        known_tag(&checked, tag)?;
    }
    let rows = match args.kind {
        Kind::Claims => claim_rows(&checked, args),
        Kind::Sources => source_rows(&checked, args),
        Kind::Entities => entity_rows(&checked),
    };
    if rows.is_empty() {
        eprintln!("{}", nothing_listed(args));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in table(&rows, output.width) {
        writeln!(out, "{}", output.style.line(&line))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Filters that cannot apply to the kind listed are refused rather than ignored: an
/// ignored filter would print everything and look like an answer.
fn check_filters(args: &Args) -> Result<()> {
    let claim_only = [
        ("--balance", args.balance.is_some()),
        ("--verdict", args.verdict.is_some()),
        ("--tag", !args.tag.is_empty()),
    ];
    match args.kind {
        Kind::Claims => Ok(()),
        Kind::Sources => match claim_only.iter().find(|(_, given)| *given) {
            Some((flag, _)) => bail!(
                "{flag} filters claims, not sources; use `corroborate list claims {flag} ...`, or filter sources by `--entity` (who produced them)"
            ),
            None => Ok(()),
        },
        Kind::Entities => {
            let given = claim_only
                .iter()
                .chain(&[("--entity", args.entity.is_some())])
                .find(|(_, given)| *given)
                .map(|(flag, _)| *flag);
            match given {
                Some(flag) => bail!(
                    "`list entities` takes no filters, but {flag} was given; to see the claims an entity made or is named in and the sources it produced, use `corroborate show ENTITY`"
                ),
                None => Ok(()),
            }
        }
    }
}

fn known_entity(checked: &Checked, id: &str) -> Result<()> {
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
    match corroborate::graph::closest_id(id, entities) {
        Some(near) => bail!(
            "no entity has the id `{}`; did you mean `{near}`?",
            shown(id)
        ),
        None => bail!(
            "no entity has the id `{}`; `corroborate list entities` lists them",
            shown(id)
        ),
    }
}

/// Tags are free words, so a mistyped one would quietly match nothing: a tag that no
/// claim carries is refused with the nearest one.
fn known_tag(checked: &Checked, tag: &str) -> Result<()> {
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

fn nothing_listed(args: &Args) -> String {
    let noun = match args.kind {
        Kind::Claims => "claims",
        Kind::Sources => "sources",
        Kind::Entities => "entities",
    };
    let filtered = args.balance.is_some()
        || args.verdict.is_some()
        || !args.tag.is_empty()
        || args.entity.is_some();
    if filtered {
        format!("no {noun} match these filters")
    } else {
        format!("there are no {noun} in the data")
    }
}

/// A row: the fixed-width columns, each with its paint, then the free text.
struct Row {
    columns: Vec<(String, Paint)>,
    text: String,
}

fn claim_matches(checked: &Checked, index: usize, claim: &Claim, args: &Args) -> bool {
    let facts = &checked.analysis.claims[index];
    let verdict = claim.verdict.as_ref().map(|v| v.value);
    args.balance.is_none_or(|b| b == facts.balance)
        && args.verdict.is_none_or(|filter| match filter {
            VerdictFilter::Is(v) => verdict == Some(v),
            VerdictFilter::Missing => verdict.is_none(),
        })
        && args.tag.iter().all(|t| claim.tags.contains(t))
        && args.entity.as_ref().is_none_or(|e| {
            claim.claimant.as_ref().is_some_and(|c| &c.value == e)
                || claim.about.iter().any(|a| &a.value == e)
        })
}

fn claim_rows(checked: &Checked, args: &Args) -> Vec<Row> {
    let mut rows: Vec<(&str, Row)> = checked
        .repo
        .claims
        .iter()
        .enumerate()
        .filter(|(i, claim)| claim_matches(checked, *i, claim, args))
        .map(|(i, claim)| {
            let facts = &checked.analysis.claims[i];
            let verdict = claim.verdict.as_ref().map(|v| v.value);
            let row = Row {
                columns: vec![
                    (one_line(&claim.id.value), Paint::Bold),
                    (
                        verdict.map_or("none", Verdict::as_str).to_owned(),
                        verdict_paint(verdict),
                    ),
                    (
                        facts.balance.as_str().to_owned(),
                        balance_paint(facts.balance),
                    ),
                    (
                        format!(
                            "{}/{}",
                            facts.independent(Stance::Supports),
                            facts.independent(Stance::Contradicts)
                        ),
                        Paint::Plain,
                    ),
                ],
                text: one_line(&claim.statement),
            };
            (claim.id.value.as_str(), row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    rows.into_iter().map(|(_, row)| row).collect()
}

fn source_rows(checked: &Checked, args: &Args) -> Vec<Row> {
    let mut rows: Vec<(&str, Row)> = checked
        .repo
        .sources
        .iter()
        .filter(|s| {
            args.entity
                .as_ref()
                .is_none_or(|e| s.by.as_ref().is_some_and(|by| &by.value == e))
        })
        .map(|s| {
            let row = Row {
                columns: vec![
                    (one_line(&s.id.value), Paint::Bold),
                    (s.kind.as_str().to_owned(), Paint::Plain),
                    (
                        s.reliability.map_or("-", |r| r.as_str()).to_owned(),
                        if s.reliability.is_some() {
                            Paint::Plain
                        } else {
                            Paint::Dim
                        },
                    ),
                ],
                text: one_line(&s.title),
            };
            (s.id.value.as_str(), row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    rows.into_iter().map(|(_, row)| row).collect()
}

fn entity_rows(checked: &Checked) -> Vec<Row> {
    let mut rows: Vec<(&str, Row)> = checked
        .repo
        .entities
        .iter()
        .map(|e| {
            let row = Row {
                columns: vec![
                    (one_line(&e.id.value), Paint::Bold),
                    (e.kind.as_str().to_owned(), Paint::Plain),
                ],
                text: one_line(&e.name),
            };
            (e.id.value.as_str(), row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// The rows with their columns padded to line up, and the free text cut to the
/// screen's width when there is one.
fn table(rows: &[Row], width: Option<usize>) -> Vec<Line> {
    let count = rows.first().map_or(0, |r| r.columns.len());
    let widths: Vec<usize> = (0..count)
        .map(|c| {
            rows.iter()
                .map(|r| terminal::display_width(&r.columns[c].0))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lead: usize = widths.iter().map(|w| w + 2).sum();
    rows.iter()
        .map(|row| {
            let mut line = Line::new();
            for ((text, paint), w) in row.columns.iter().zip(&widths) {
                let pad = w + 2 - terminal::display_width(text);
                line = line
                    .with(text.clone(), *paint)
                    .with(" ".repeat(pad), Paint::Plain);
            }
            let text = match width {
                Some(width) => terminal::truncate(&row.text, width.saturating_sub(lead).max(10)),
                None => row.text.clone(),
            };
            line.with(text, Paint::Plain)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, text: &str) -> Row {
        Row {
            columns: vec![
                (id.to_owned(), Paint::Bold),
                ("news".to_owned(), Paint::Plain),
            ],
            text: text.to_owned(),
        }
    }

    #[test]
    fn columns_line_up_and_the_text_is_cut_only_to_a_width() {
        let rows = [
            row("a", "short"),
            row("longer-id", "a statement that goes on"),
        ];
        let whole: Vec<String> = table(&rows, None).iter().map(Line::text).collect();
        assert_eq!(
            whole,
            [
                "a          news  short",
                "longer-id  news  a statement that goes on"
            ]
        );
        let cut: Vec<String> = table(&rows, Some(30)).iter().map(Line::text).collect();
        assert_eq!(cut[1], "longer-id  news  a statement…");
        assert!(cut.iter().all(|l| terminal::display_width(l) <= 30));
    }
}
