//! `corroborate serve`: preview the report while editing.

use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(
    about = "Build the report and serve it on 127.0.0.1, rebuilding and reloading the browser on every change",
    after_help = "Only changed data files are parsed again and only pages whose content changed are rendered again.\nProblems in the data are shown in the browser and on the terminal; the server keeps running.\nThe pages are kept in memory: nothing is written to the output folder (use `build` for that).\n\nExamples:\n  corroborate serve                 # then open http://127.0.0.1:8000/\n  corroborate serve --port 8080"
)]
pub struct Args {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,

    /// Show sensitive records too, as an internal edition
    #[arg(long)]
    pub include_sensitive: bool,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    corroborate::serve::serve(
        dir,
        &corroborate::serve::Options {
            port: args.port,
            include_sensitive: args.include_sensitive,
            poll: Duration::from_millis(250),
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
