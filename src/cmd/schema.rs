//! `corroborate schema`: the JSON Schemas of the data files and of `corroborate.yaml`.

use anyhow::{Context, Result};
use corroborate::schema::{self, CONFIG_SCHEMA_FILE, DATA_SCHEMA_FILE};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Print the JSON Schema of a data file (or of corroborate.yaml), for editors that check YAML as you type",
    after_help = "The schema is generated from the same field tables the tool reads the data with.\nWith the YAML language server (VS Code's YAML extension, Neovim, Helix, ...), put this first line\nin a data file:\n  # yaml-language-server: $schema=../schemas/data.schema.json\n\nExamples:\n  corroborate schema > data.schema.json\n  corroborate schema --config > corroborate.schema.json\n  corroborate schema --out schemas        # writes both files"
)]
pub struct Args {
    /// The schema of corroborate.yaml instead of a data file
    #[arg(long, conflicts_with = "out")]
    pub config: bool,

    /// Write both schemas into DIR (data.schema.json, corroborate.schema.json)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    if let Some(out) = &args.out {
        let out = &dir.join(out);
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        for (name, schema) in [
            (DATA_SCHEMA_FILE, schema::data_file()),
            (CONFIG_SCHEMA_FILE, schema::config_file()),
        ] {
            let path = out.join(name);
            std::fs::write(&path, schema::to_text(&schema))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        eprintln!(
            "wrote {DATA_SCHEMA_FILE} and {CONFIG_SCHEMA_FILE} to {}",
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let schema = if args.config {
        schema::config_file()
    } else {
        schema::data_file()
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(schema::to_text(&schema).as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
