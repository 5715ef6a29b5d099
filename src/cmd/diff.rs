//! `corroborate diff`: what a change to the data does to the claims, between a git
//! revision and the working tree or between two revisions.

use anyhow::{Result, bail};
use corroborate::diagnostics::{self};
use corroborate::diff::{self, render::State};
use corroborate::revision::{self, Revision};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Compare the analysed data at a git revision with the working tree, or two revisions",
    after_help = "Lists the claims, sources and entities added or removed, the evidence items added or removed\n(an item is its source, stance and quote), and every claim whose verdict, balance or number of\nindependent origins on either side changed. The working tree is read as it is on disk,\ncommitted or not. Needs git on PATH; the repository may be a subfolder of the git repository.\n\nExit codes: 0 when both sides could be compared, whether or not anything changed; 1 when the\ndata on either side has errors (they are printed); 2 for a usage or git problem (not a git\nrepository, unknown revision, git not installed).\n\nExamples:\n  corroborate diff HEAD                                  # what is not committed yet\n  corroborate diff main --format markdown > comment.md   # in CI, for the pull request\n  corroborate diff v1.0 v2.0 --format json | jq '.assessments[].id'"
)]
pub struct Args {
    /// The revision to compare from: a commit, branch or tag, HEAD~1, ...
    #[arg(value_name = "REV")]
    pub rev: String,

    /// The revision to compare to (default: the working tree)
    #[arg(value_name = "REV2")]
    pub rev2: Option<String>,

    /// For a terminal, for a pull-request comment, or for tools
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// Compare sensitive records too (by default both sides are compared as published, sensitive material left out)
    #[arg(long)]
    pub include_sensitive: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    revision::remove_on_signals()?;
    let mut old = revision::extract(dir, &args.rev)?;
    let mut new = match &args.rev2 {
        Some(rev) => Some(revision::extract(dir, rev)?),
        None => None,
    };
    pause_for_tests();
    // The working tree first: its problems are the ones the user is working on.
    let after = match &mut new {
        Some(new) => {
            let checked = new.check();
            read(new.root(), &state(new), checked)?
        }
        None => read(dir, &State::working_tree(), corroborate::check(dir))?,
    };
    let checked = old.check();
    let before = read(old.root(), &state(&old), checked)?;
    let (Some(before), Some(after)) = (before, after) else {
        return Ok(ExitCode::from(super::DATA_ERRORS));
    };
    let (before, after) = if args.include_sensitive {
        (before, after)
    } else {
        (
            corroborate::redact::public_edition(&before),
            corroborate::redact::public_edition(&after),
        )
    };
    let found = diff::compare(&before, &after);
    let (from, to) = (
        state(&old),
        new.as_ref().map_or_else(State::working_tree, state),
    );
    let written = match args.format {
        Format::Text => diff::render::text(&found, &from, &to),
        Format::Markdown => diff::render::markdown(&found, &from, &to),
        Format::Json => diff::render::json(&found, &from, &to),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(corroborate::text::no_workflow_commands(&written).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn state(rev: &Revision) -> State {
    State::revision(&rev.name, &rev.commit)
}

/// In debug builds, `CORROBORATE_TEST_PAUSE_DIFF` set makes `diff` say `paused` on
/// standard error and wait a minute once the revisions are written out, so that the
/// tests can look at the copies and interrupt it there. Release builds never read it.
fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if std::env::var_os("CORROBORATE_TEST_PAUSE_DIFF").is_some() {
        eprintln!("paused with the revisions written out");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// Takes one side's check. `None` when its data has errors, which are printed, since a
/// comparison with broken data would report the breakage as changes.
fn read(
    root: &Path,
    side: &State,
    checked: Result<corroborate::Checked>,
) -> Result<Option<corroborate::Checked>> {
    let place = match &side.revision {
        Some(_) => format!("at revision {}", side.describe()),
        None => format!("in {}", side.describe()),
    };
    let checked = match checked {
        Ok(checked) => checked,
        // A revision is read from a temporary copy whose path would only confuse.
        Err(err) if side.revision.is_some() => bail!(
            "cannot read the repository {place}: {}",
            format!("{err:#}").replace(&root.display().to_string(), "the repository")
        ),
        Err(err) => return Err(err.context(format!("cannot read the repository {place}"))),
    };
    let errors = checked.error_diagnostics();
    if errors.is_empty() {
        return Ok(Some(checked));
    }
    eprint!(
        "{}",
        diagnostics::render_human(&errors, &checked.repo.texts)
    );
    eprintln!(
        "diff stopped: the data {place} has {} error(s); fix them (or compare other revisions) and run it again",
        errors.len()
    );
    Ok(None)
}
