//! `corroborate init`: start a new research repository that passes `check` and
//! `build` at once.

use anyhow::{Result, bail};
use corroborate::{confine, schema};
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
            "evidence/city-procurement-notice.txt",
            include_str!("../init/city-procurement-notice.txt").to_owned(),
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
    // Everything is checked before anything is written: a file, folder or link
    // (dangling or not) at any of the paths stops init, and so does a folder on the
    // way that leads outside the new repository.
    let existing = confine::occupied(&root, files.iter().map(|(rel, _)| *rel));
    if !existing.is_empty() {
        bail!(
            "{} already has {}; init never overwrites files (nothing was written)",
            root.display(),
            existing.join(", ")
        );
    }
    for (rel, _) in &files {
        let Some(folder) = Path::new(rel)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        else {
            continue;
        };
        if !confine::is_inside(&root, &root.join(folder))? {
            bail!(
                "{} has `{}`, which leads outside it, to {}; init writes only inside the new repository (nothing was written)",
                root.display(),
                folder.display(),
                confine::real_location(&root.join(folder))?.display()
            );
        }
    }
    let contents: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(rel, text)| (*rel, text.as_bytes()))
        .collect();
    confine::write_new(&root, &contents)?;
    eprintln!("created a research repository in {}:", root.display());
    for (rel, _) in &files {
        eprintln!("  {rel}");
    }
    eprintln!(
        "next: edit claims/example.yaml, then run `corroborate check` and `corroborate build`"
    );
    Ok(ExitCode::SUCCESS)
}
