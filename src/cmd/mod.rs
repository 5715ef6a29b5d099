//! The command line: one file per subcommand, each turning its arguments into library
//! calls. Shared options (`-C DIR`) live here.

mod build;
mod check;
mod diff;
mod export;
mod graph;
mod init;
mod schema;
#[cfg(feature = "serve")]
mod serve;
mod templates;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "corroborate",
    version,
    about = "Check what powerful actors claim: validate, analyse and publish claims, sources and evidence kept as YAML",
    long_about = None,
    after_help = "Examples:\n  corroborate check                  check the repository in this folder\n  corroborate -C ~/cases/xinjiang check --format github\n  corroborate build                  render the HTML report into site/\n  corroborate export --format json > data.json\n\nExit codes: 0 clean (warnings allowed), 1 errors in the data, 2 usage or I/O failure."
)]
pub struct Cli {
    /// Run as if started in DIR (the research repository's root)
    #[arg(short = 'C', value_name = "DIR", global = true, default_value = ".")]
    pub dir: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::Args),
    Check(check::Args),
    Build(build::Args),
    #[cfg(feature = "serve")]
    Serve(serve::Args),
    Export(export::Args),
    Graph(graph::Args),
    Diff(diff::Args),
    Templates(templates::Args),
    Schema(schema::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Init(args) => init::run(&cli.dir, &args),
        Command::Check(args) => check::run(&cli.dir, &args),
        Command::Build(args) => build::run(&cli.dir, &args),
        Command::Export(args) => export::run(&cli.dir, &args),
        Command::Graph(args) => graph::run(&cli.dir, &args),
        Command::Diff(args) => diff::run(&cli.dir, &args),
        Command::Templates(args) => templates::run(&cli.dir, &args),
        Command::Schema(args) => schema::run(&cli.dir, &args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&cli.dir, &args),
    }
}

/// The exit code for data errors.
pub const DATA_ERRORS: u8 = 1;

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
