//! `corroborate export`: the analysed repository as JSON on standard output.

use anyhow::Result;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Print the analysed data (records, balance, origins, cited-by) as JSON",
    after_help = "The output is deterministic: the same data gives the same bytes, records sorted by id.\nIf the data has errors, they are printed instead and the exit code is 1.\n\nExamples:\n  corroborate export --format json > data.json\n  corroborate export | jq '.claims[] | {id, balance, independent}'"
)]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,

    /// Include sensitive records in full (by default they are left out or shown as confidential)
    #[arg(long)]
    pub include_sensitive: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Json,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    let Format::Json = args.format;
    let checked = corroborate::check(dir)?;
    if let Some(code) = super::stop_on_errors(&checked, "export") {
        return Ok(code);
    }
    let edition = if args.include_sensitive {
        std::borrow::Cow::Borrowed(&checked)
    } else {
        corroborate::redact::published(&checked)
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    corroborate::export::write_json(&edition, &mut out)?;
    out.flush()?;
    // The process ends here; the exit frees the records faster than dropping them.
    std::mem::forget(edition);
    std::mem::forget(checked);
    Ok(ExitCode::SUCCESS)
}
