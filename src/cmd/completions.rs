//! `corroborate completions`: a shell completion script, generated from the same clap
//! definition as the command line, so that it can never fall out of step with it.

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Print a shell completion script (bash, zsh, fish, powershell, elvish)",
    after_help = "Examples:\n  corroborate completions bash > ~/.local/share/bash-completion/completions/corroborate\n  corroborate completions zsh > ~/.zfunc/_corroborate      # with fpath+=~/.zfunc in ~/.zshrc\n  corroborate completions fish > ~/.config/fish/completions/corroborate.fish"
)]
pub struct Args {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    // clap_complete panics when its writer fails; generating into memory first lets a
    // closed pipe come back as an error like everywhere else.
    let mut script = Vec::new();
    clap_complete::generate(
        args.shell,
        &mut super::Cli::command(),
        "corroborate",
        &mut script,
    );
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
