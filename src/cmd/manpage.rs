//! `corroborate manpage`: the manual page, generated from the clap definition so that
//! `man corroborate` says what `--help` says.

use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Print the manual page (roff), or write one page per command into a folder",
    after_help = "Examples:\n  corroborate manpage | man -l -\n  corroborate manpage > ~/.local/share/man/man1/corroborate.1\n  corroborate manpage --out ~/.local/share/man/man1   # corroborate.1, corroborate-check.1, ..."
)]
pub struct Args {
    /// Write corroborate.1 and a page for each command (corroborate-check.1, ...) into DIR instead of printing
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let command = super::Cli::command();
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out)
            .with_context(|| format!("cannot create the folder {}", out.display()))?;
        clap_mangen::generate_to(command, out)
            .with_context(|| format!("cannot write the manual pages into {}", out.display()))?;
        eprintln!("wrote the manual pages into {}", out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&page)?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
