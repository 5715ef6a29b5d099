//! `corroborate list`: one line per claim, source or entity, sorted by id, to see a
//! case at a glance and to feed `grep`, `cut` or `awk` ([`corroborate::views::lists`]
//! chooses the records, [`corroborate::terminal::list`] lays them out).

use super::{ColorArgs, Output};
use anyhow::{Result, bail};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use corroborate::model::{Balance, Verdict};
use corroborate::terminal::list::{self, Row};
use corroborate::views::lists::{self, ClaimFilter};
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
        lists::known_entity(&checked, entity)?;
    }
    for tag in &args.tag {
        lists::known_tag(&checked, tag)?;
    }
    let entity = args.entity.as_deref();
    let rows: Vec<Row> = match args.kind {
        Kind::Claims => {
            let filter = ClaimFilter {
                balance: args.balance,
                verdict: args.verdict.map(|v| match v {
                    VerdictFilter::Is(verdict) => Some(verdict),
                    VerdictFilter::Missing => None,
                }),
                tags: &args.tag,
                entity,
            };
            let claims = lists::claims(&checked, &filter);
            claims
                .iter()
                .map(|&i| list::claim_row(&checked, i))
                .collect()
        }
        Kind::Sources => {
            let sources = lists::sources(&checked, entity);
            sources
                .iter()
                .map(|&i| list::source_row(&checked, i))
                .collect()
        }
        Kind::Entities => {
            let entities = lists::entities(&checked);
            entities
                .iter()
                .map(|&i| list::entity_row(&checked, i))
                .collect()
        }
    };
    if rows.is_empty() {
        eprintln!("{}", nothing_listed(args));
        return Ok(ExitCode::SUCCESS);
    }
    output.write(&list::table(&rows, output.width))?;
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
