//! `corroborate links`: ask the web whether every source's links still lead somewhere.

use anyhow::{Context, Result};
use corroborate::links::{self, results::Results};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Check every source's URL and archived copies on the web, and find captures for unarchived sources",
    long_about = "Check every source's `url` and archived copies on the web (HEAD, then GET where a server refuses HEAD; redirects followed), and for a source with a `url` and no archived copy ask the Wayback Machine's availability API for the capture nearest to when it was accessed (else published).\n\nThis is the only command that uses the network; `check` and `build` never do. Requests go at most `links.per_host` at a time to one host (corroborate.yaml), with a pause between them, and every host in parallel otherwise. The results are kept in .corroborate/links.json (which may be committed); a sensitive source's URLs are checked, but shown and kept only with --include-sensitive.",
    after_help = "Exit status: 0 when nothing is broken, 1 when some URL is broken or timed out (or the data has errors), 2 on a usage or I/O failure.\n\nExamples:\n  corroborate links\n  corroborate links --format json | jq '.[] | select(.status != \"ok\")'\n  corroborate links --since 7d --format github   # a weekly CI job\n  corroborate links --fix --dry-run              # the captures it would add, as a diff"
)]
pub struct Args {
    /// How to print the results: for people (what is not ok), as a JSON array of every URL, or as GitHub Actions annotations
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,

    /// Reuse results younger than AGE (such as 30m, 12h, 7d, 2w) from .corroborate/links.json instead of asking again
    #[arg(long, value_name = "AGE", value_parser = parse_age)]
    pub since: Option<std::time::Duration>,

    /// Show and keep the URLs of sensitive sources too (by default they are checked but never printed or kept)
    #[arg(long)]
    pub include_sensitive: bool,

    /// Ask the Wayback Machine's Save Page Now to capture each reachable source that has no archived copy (unless captured in the last 30 days); with --fix the captures are written in. An archive.org key in CORROBORATE_WAYBACK_KEY (ACCESS:SECRET) raises its limits
    #[arg(long)]
    pub save: bool,

    /// Write each suggested capture into the data files as an `archives` entry beside the source's `url`, keeping comments and formatting; the case is checked again and every file put back if the edits gave an error
    #[arg(long)]
    pub fix: bool,

    /// With --fix: print the edits as a diff on standard output and write nothing
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

fn parse_age(text: &str) -> Result<std::time::Duration, String> {
    links::results::parse_age(text)
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    let checked = corroborate::check(dir)?;
    if let Some(code) = super::stop_on_errors(&checked, "links") {
        return Ok(code);
    }
    let root = corroborate::access::Root::new(&checked.repo.root)
        .with_context(|| format!("cannot open {}", checked.repo.root.display()))?;
    let options = links::Options {
        since: args.since,
        include_sensitive: args.include_sensitive,
        save: args.save,
        save_key: std::env::var("CORROBORATE_WAYBACK_KEY")
            .ok()
            .filter(|k| !k.is_empty()),
    };
    let previous = Results::read(&root);
    let settings = &checked.repo.config.links;
    let report = links::run(
        &checked,
        settings,
        &options,
        &previous,
        std::time::SystemTime::now(),
    );
    Results::of(&report, &options)
        .write(&root)
        .context("cannot write .corroborate/links.json")?;
    let mut stdout = std::io::stdout().lock();
    if args.fix {
        let max = checked.repo.config.max_file_bytes;
        let plan = links::fix::plan(&root, &report, &options, max);
        for refused in &plan.refused {
            eprintln!("{refused}");
        }
        if args.dry_run {
            stdout.write_all(plan.diff().as_bytes())?;
            eprintln!(
                "--dry-run: {} archived cop(ies) would be added to {} file(s); nothing written",
                plan.added,
                plan.files.len()
            );
        } else {
            plan.write(&root, dir, checked.errors())?;
            eprintln!(
                "added {} archived cop(ies) to {} file(s)",
                plan.added,
                plan.files.len()
            );
        }
    }
    match args.format {
        Format::Human => eprint!("{}", links::render_human(&report, &options)),
        Format::Json if args.dry_run => {
            eprintln!("{}", links::summary(&report, &options));
        }
        Format::Json => {
            stdout.write_all(links::render_json(&report, &options).as_bytes())?;
            eprintln!("{}", links::summary(&report, &options));
        }
        Format::Github if args.dry_run => {
            eprintln!("{}", links::summary(&report, &options));
        }
        Format::Github => {
            stdout.write_all(links::render_github(&report, &options).as_bytes())?;
            eprintln!("{}", links::summary(&report, &options));
        }
    }
    stdout.flush()?;
    Ok(if report.fails() {
        ExitCode::from(super::DATA_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}
