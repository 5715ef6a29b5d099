//! `corroborate templates`: write the built-in report templates out for editing.

use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Write the built-in report templates into the repository's templates folder, to edit them",
    after_help = "A file in the templates folder replaces the built-in one of the same name; keep only the ones\nyou change. A template can extend the original: {% extends \"builtin/claim.html\" %}.\nExisting files are never overwritten.\n\nExamples:\n  corroborate templates                  # writes templates/ (or `templates` in corroborate.yaml)\n  corroborate templates --out /tmp/originals"
)]
pub struct Args {
    /// Folder to write to (default: `templates` in corroborate.yaml, else `templates`)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    let out = match &args.out {
        Some(out) => dir.join(out),
        None => {
            let loaded = corroborate::load::load_config(dir)?;
            let out = dir.join(&loaded.templates);
            corroborate::confine::setting_inside(dir, "templates", &loaded.templates, &out)?;
            out
        }
    };
    let written = corroborate::site::templates::write_builtins(&out)?;
    eprintln!(
        "wrote {} files to {}: {}",
        written.len(),
        out.display(),
        written.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
