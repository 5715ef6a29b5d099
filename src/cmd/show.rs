//! `corroborate show`: everything about one claim, source or entity, on the terminal
//! ([`corroborate::terminal::show`] lays it out).

use super::{ColorArgs, Output};
use anyhow::Result;
use corroborate::terminal;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Show everything about one claim, source or entity",
    after_help = "A claim shows its verdict and balance, the supporting and the contradicting evidence (side by side\non a terminal of 120 columns or more), context, the independent origins of each side and related\nclaims. A source shows what it cites, what cites it and the claims it bears on; an entity, the\nclaims it made, the claims about it and the sources it produced.\n\nExamples:\n  corroborate show hikvision-only-product-provider\n  corroborate show ipvm-hikvision-xinjiang-analysis\n  corroborate show hikvision | less -R"
)]
pub struct Args {
    /// The id of a claim, source or entity (`corroborate list` lists them)
    #[arg(value_name = "ID")]
    pub id: String,

    #[command(flatten)]
    pub color: ColorArgs,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    let output = Output::detect(&args.color);
    let checked = corroborate::check(dir)?;
    if let Some(code) = super::stop_on_errors(&checked, "show") {
        return Ok(code);
    }
    let record = corroborate::views::find(&checked, &args.id)?;
    output.write(&terminal::show::render(&checked, record, output.width))?;
    Ok(ExitCode::SUCCESS)
}
