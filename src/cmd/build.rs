//! `corroborate build`: render the checked repository to a static HTML site.

use anyhow::Result;
use corroborate::diagnostics::{self, Severity};
use corroborate::site::{self, TemplateError};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Render the data to a static HTML site (refuses to run while the data has errors)",
    after_help = "The site is written into a temporary folder and replaces the previous one only when complete,\nso a failed or interrupted build never leaves a half-written site. Pages whose inputs did not change\nsince the last build are taken over from the previous site (hard links) instead of rendered again.\nLinks are relative: the site works opened from disk, under any sub-path and on any static host.\n\nExamples:\n  corroborate build                       # writes site/ (or `output` in corroborate.yaml)\n  corroborate build --out public\n  corroborate -C ~/cases/xinjiang build --review-date 2026-11-28"
)]
pub struct Args {
    /// Folder to write the site to (default: `output` in corroborate.yaml, else `site`)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Publication date of the fact checks, for the ClaimReview data (YYYY-MM-DD); none by default, so builds stay identical
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub review_date: Option<String>,

    /// Publish sensitive records in full and mark every page as an internal edition (needs --out; never publish that site)
    #[arg(long)]
    pub include_sensitive: bool,
}

fn parse_date(text: &str) -> Result<String, String> {
    match corroborate::model::Date::parse(text) {
        Some(date) if date.day.is_some() => Ok(date.to_string()),
        _ => Err("expected a date as YYYY-MM-DD".to_owned()),
    }
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    // Without the files' text: a build must fit in memory at the largest sizes, and
    // `check` is where problems are shown with their lines.
    let checked = corroborate::check::check_without_snippets(dir)?;
    let rendered = diagnostics::render_human(&checked.diagnostics, &checked.repo.texts);
    if checked.errors() > 0 {
        eprint!("{rendered}");
        eprintln!(
            "build stopped: the data has {} error(s); the previous site was left as it was",
            diagnostics::count(&checked.diagnostics, Severity::Error)
        );
        return Ok(ExitCode::from(super::DATA_ERRORS));
    }
    eprint!("{rendered}");
    // Relative to the repository (-C), like every path the commands take.
    let out = match &args.out {
        Some(out) => dir.join(out),
        None if args.include_sensitive => {
            anyhow::bail!(
                "give --out for the internal edition, a folder apart from the one you publish (`{}`), so that sensitive material cannot be published by accident",
                checked.repo.config.output
            )
        }
        None => {
            // One case's settings must not replace another case's published site: only
            // `--out` writes outside the repository.
            let output = &checked.repo.config.output;
            let out = dir.join(output);
            corroborate::confine::setting_inside(dir, "output", output, &out)?;
            out
        }
    };
    let options = site::Options {
        out: out.clone(),
        review_date: args.review_date.clone(),
        progress: std::io::stderr().is_terminal(),
        include_sensitive: args.include_sensitive,
    };
    let built = site::build(&checked, &options);
    // The process ends soon; the exit frees the records faster than dropping them.
    std::mem::forget(checked);
    match built {
        Ok(report) => {
            if report.rendered == report.pages {
                eprintln!("built {} pages in {}", report.pages, out.display());
            } else {
                eprintln!(
                    "built {} pages in {} ({} rendered, the rest unchanged since the last build)",
                    report.pages,
                    out.display(),
                    report.rendered
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => match err.downcast_ref::<TemplateError>() {
            Some(template) => {
                eprintln!("error[template]: {template}");
                eprintln!("build stopped; the previous site was left as it was");
                Ok(ExitCode::from(super::DATA_ERRORS))
            }
            None => Err(err),
        },
    }
}
