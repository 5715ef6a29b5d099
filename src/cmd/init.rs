//! `corroborate init`: start a new research repository that passes `check` and
//! `build` at once.

use anyhow::{Context, Result, bail};
use corroborate::schema;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Create a new research repository: settings, an example case, schemas, .gitignore and a CI workflow",
    after_help = "Nothing is overwritten: if any of the files exists already, nothing is written.\n\nExamples:\n  corroborate init my-investigation && cd my-investigation && corroborate build\n  corroborate init                  # in the current folder"
)]
pub struct Args {
    /// Folder to create the repository in (default: the current folder)
    #[arg(value_name = "DIR")]
    pub folder: Option<PathBuf>,
}

fn files() -> Vec<(&'static str, String)> {
    vec![
        (
            "corroborate.yaml",
            include_str!("../init/corroborate.yaml").to_owned(),
        ),
        (
            "claims/example.yaml",
            include_str!("../init/example.yaml").to_owned(),
        ),
        (
            "schemas/data.schema.json",
            schema::to_text(&schema::data_file()),
        ),
        (
            "schemas/corroborate.schema.json",
            schema::to_text(&schema::config_file()),
        ),
        (".gitignore", include_str!("../init/gitignore").to_owned()),
        (
            ".github/workflows/corroborate.yml",
            include_str!("../init/workflow.yml").to_owned(),
        ),
    ]
}

pub fn run(base: &Path, args: &Args) -> Result<ExitCode> {
    let root = match &args.folder {
        Some(dir) => base.join(dir),
        None => base.to_path_buf(),
    };
    let files = files();
    let existing: Vec<&str> = files
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| root.join(rel).exists())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} already has {}; init never overwrites files (nothing was written)",
            root.display(),
            existing.join(", ")
        );
    }
    for (rel, text) in &files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!("created a research repository in {}:", root.display());
    for (rel, _) in &files {
        eprintln!("  {rel}");
    }
    eprintln!(
        "next: edit claims/example.yaml, then run `corroborate check` and `corroborate build`"
    );
    Ok(ExitCode::SUCCESS)
}
