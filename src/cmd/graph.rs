//! `corroborate graph`: the graph of claims, sources and entities, or the neighbourhood
//! of one of them, as Graphviz DOT, a Mermaid block or JSON.

use anyhow::Result;
use corroborate::graph_output::{self, Around, Options};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Print the graph of claims, sources and entities (or one record's neighbourhood) for Graphviz, Mermaid or other tools",
    after_help = "Claims are boxes, sources notes (slanted in Mermaid), entities ellipses (rounded in Mermaid);\nevidence links are green (supports), red and dashed (contradicts) or grey (context), and\nevery link is labelled with its kind.\nThe output is deterministic: the same data gives the same bytes.\nIf the data has errors, they are printed instead and the exit code is 1.\n\nExamples:\n  corroborate graph | dot -Tsvg > graph.svg\n  corroborate graph --around hikvision-only-product-provider --depth 2 --format mermaid\n  corroborate graph --format json | jq '.edges[] | select(.kind == \"cites\")'"
)]
pub struct Args {
    /// Output format: Graphviz DOT, a Mermaid flowchart (for a ```mermaid block), or JSON
    #[arg(long, value_enum, default_value = "dot")]
    pub format: Format,

    /// Draw only the records near this claim, source or entity
    #[arg(long, value_name = "ID")]
    pub around: Option<String>,

    /// How many links away from --around to go, following links both ways [default: 1]
    #[arg(long, value_name = "N", requires = "around")]
    pub depth: Option<usize>,

    /// Show sensitive records too (by default they are left out or shown as confidential, as in the published report)
    #[arg(long)]
    pub include_sensitive: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Dot,
    Mermaid,
    Json,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    let checked = corroborate::check(dir)?;
    if let Some(code) = super::stop_on_errors(&checked, "graph") {
        return Ok(code);
    }
    let checked = if args.include_sensitive {
        checked
    } else {
        corroborate::redact::public_edition(&checked)
    };
    let options = Options {
        format: match args.format {
            Format::Dot => graph_output::Format::Dot,
            Format::Mermaid => graph_output::Format::Mermaid,
            Format::Json => graph_output::Format::Json,
        },
        around: args.around.as_ref().map(|id| Around {
            id: id.clone(),
            depth: args.depth.unwrap_or(1),
        }),
    };
    let drawn = graph_output::render(&checked, &options)?;
    let mut out = std::io::stdout().lock();
    out.write_all(drawn.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
