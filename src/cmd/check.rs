//! `corroborate check`: validate the repository and print every problem.

use anyhow::Result;
use corroborate::check::deny_warnings;
use corroborate::diagnostics::{self, Severity};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Validate the data and report every problem with its file, line and column",
    after_help = "At most 200 problems are printed unless --max-errors says otherwise; the rest are counted.\nJSON output always has them all.\n\nExamples:\n  corroborate check\n  corroborate check --format json | jq '.[] | .code'\n  corroborate check --format github --deny-warnings   # in CI"
)]
pub struct Args {
    /// How to print the problems: for people, as a JSON array, or as GitHub Actions annotations
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,

    /// Treat warnings (lints) as errors
    #[arg(long)]
    pub deny_warnings: bool,

    /// Print at most N problems (human and github formats; 0 for all); the rest are counted
    #[arg(long, value_name = "N", default_value_t = diagnostics::DEFAULT_MAX_SHOWN)]
    pub max_errors: usize,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    let mut checked = corroborate::check(dir)?;
    let mut timer = corroborate::timing::Timer::from_env();
    if args.deny_warnings {
        deny_warnings(&mut checked.diagnostics);
    }
    let found = &checked.diagnostics;
    let limit = (args.max_errors > 0).then_some(args.max_errors);
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Human => {
            let mut stderr = std::io::stderr().lock();
            let mut out = std::io::BufWriter::new(&mut stderr);
            diagnostics::write_human(&mut out, found, &checked.repo.texts, limit)?;
            out.flush()?;
            drop(out);
            writeln!(stderr, "{}", summary(&checked))?;
        }
        Format::Json => stdout.write_all(diagnostics::render_json(found).as_bytes())?,
        Format::Github => {
            let shown = limit.map_or(found.len(), |l| l.min(found.len()));
            stdout.write_all(diagnostics::render_github(&found[..shown]).as_bytes())?;
            eprint!("{}", diagnostics::more_line(found.len() - shown));
            eprintln!("{}", summary(&checked));
        }
    }
    stdout.flush()?;
    timer.lap("printed");
    let code = if checked.errors() > 0 {
        ExitCode::from(super::DATA_ERRORS)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing hundreds of thousands of records one by one
    // would only delay the exit that frees them all at once.
    std::mem::forget(checked);
    Ok(code)
}

fn summary(checked: &corroborate::Checked) -> String {
    let repo = &checked.repo;
    let errors = checked.errors();
    let warnings = diagnostics::count(&checked.diagnostics, Severity::Warning);
    format!(
        "checked {} {}: {} {}, {} {}, {} {}: {}, {}",
        repo.files.len(),
        corroborate::wording::noun(repo.files.len(), "file", "files"),
        repo.claims.len(),
        corroborate::wording::noun(repo.claims.len(), "claim", "claims"),
        repo.sources.len(),
        corroborate::wording::noun(repo.sources.len(), "source", "sources"),
        repo.entities.len(),
        corroborate::wording::noun(repo.entities.len(), "entity", "entities"),
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings"),
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        _ => format!("{n} {}", corroborate::wording::noun(n, one, many)),
    }
}
