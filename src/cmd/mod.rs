//! The command line: one file per subcommand, each turning its arguments into library
//! calls. Shared options (`-C DIR`) live here.

mod build;
mod check;
mod completions;
mod diff;
mod export;
mod graph;
mod import;
mod init;
mod links;
mod list;
mod manpage;
mod schema;
#[cfg(feature = "serve")]
mod serve;
mod show;
mod templates;

use clap::{Parser, Subcommand};
use corroborate::Checked;
use corroborate::diagnostics::{self};
use corroborate::terminal::{self, ColorChoice, Line, Style};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "corroborate",
    version,
    about = "Check what powerful actors claim: validate, analyse and publish claims, sources and evidence kept as YAML",
    long_about = None,
    after_help = "Examples:\n  corroborate check                  check the repository in this folder\n  corroborate -C ~/cases/xinjiang check --format github\n  corroborate build                  render the HTML report into site/\n  corroborate export --format json > data.json\n  corroborate list claims --balance contested\n  corroborate show hikvision-only-product-provider\n\nExit codes: 0 clean (warnings allowed), 1 errors in the data, 2 usage or I/O failure."
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
    List(list::Args),
    Show(show::Args),
    Build(build::Args),
    Links(links::Args),
    Import(import::Args),
    #[cfg(feature = "serve")]
    Serve(serve::Args),
    Export(export::Args),
    Graph(graph::Args),
    Diff(diff::Args),
    Templates(templates::Args),
    Schema(schema::Args),
    Completions(completions::Args),
    Manpage(manpage::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Init(args) => init::run(&cli.dir, &args),
        Command::Check(args) => check::run(&cli.dir, &args),
        Command::List(args) => list::run(&cli.dir, &args),
        Command::Show(args) => show::run(&cli.dir, &args),
        Command::Build(args) => build::run(&cli.dir, &args),
        Command::Links(args) => links::run(&cli.dir, &args),
        Command::Import(args) => import::run(&cli.dir, &args),
        Command::Export(args) => export::run(&cli.dir, &args),
        Command::Graph(args) => graph::run(&cli.dir, &args),
        Command::Diff(args) => diff::run(&cli.dir, &args),
        Command::Templates(args) => templates::run(&cli.dir, &args),
        Command::Schema(args) => schema::run(&cli.dir, &args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&cli.dir, &args),
        Command::Completions(args) => completions::run(&args),
        Command::Manpage(args) => manpage::run(&args),
    }
}

/// The exit code for data errors.
pub const DATA_ERRORS: u8 = 1;

/// `--color`, for the commands that write for people to read.
#[derive(Debug, clap::Args)]
pub struct ColorArgs {
    /// When to colour the output: on a terminal (unless NO_COLOR is set), always, or never
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// How the terminal commands write: in colour or not, fitted to a width or not.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    pub style: Style,
    /// The screen's width on a terminal; `None` in a pipe, where lines stay whole.
    pub width: Option<usize>,
}

impl Output {
    pub fn detect(args: &ColorArgs) -> Output {
        let choice = match args.color {
            ColorWhen::Auto => ColorChoice::Auto,
            ColorWhen::Always => ColorChoice::Always,
            ColorWhen::Never => ColorChoice::Never,
        };
        let is_terminal = std::io::stdout().is_terminal();
        let colour = terminal::use_colour(
            choice,
            is_terminal,
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
        );
        Output {
            style: Style { colour },
            width: terminal::width(
                is_terminal,
                std::env::var_os("COLUMNS").as_deref(),
                terminal::stdout_width(),
            ),
        }
    }
}

impl Output {
    /// Writes the lines to standard output.
    pub fn write(&self, lines: &[Line]) -> std::io::Result<()> {
        let mut out = BufWriter::new(self.style.stdout());
        for line in lines {
            writeln!(out, "{}", self.style.line(line))?;
        }
        out.flush()
    }
}

/// Prints the data's errors and gives the exit code, when there are any: the commands
/// that read the data refuse to show conclusions drawn from broken records.
pub fn stop_on_errors(checked: &Checked, command: &str) -> Option<ExitCode> {
    if checked.errors() == 0 {
        return None;
    }
    let errors = checked.error_diagnostics();
    eprint!(
        "{}",
        diagnostics::render_human(&errors, &checked.repo.texts)
    );
    eprintln!(
        "{command} stopped: the data has {} error(s); `corroborate check` lists them",
        errors.len()
    );
    Some(ExitCode::from(DATA_ERRORS))
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
