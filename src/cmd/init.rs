//! `corroborate init`: start a new research repository that passes `check` and
//! `build` at once.

use anyhow::{Result, bail};
use corroborate::confine;
use corroborate::scaffold::{self, ActionRef};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Create a new research repository: settings, an example case, schemas, .gitignore and a CI workflow",
    after_help = "Nothing is overwritten: if any of the files exists already, nothing is written.\n\nExamples:\n  corroborate init my-investigation && cd my-investigation && corroborate build\n  corroborate init                  # in the current folder\n  corroborate init case --action my-org/corroborate@v0.1.0   # the action CI uses"
)]
pub struct Args {
    /// Folder to create the repository in (default: the current folder)
    #[arg(value_name = "DIR")]
    pub folder: Option<PathBuf>,
    /// The corroborate GitHub Action the CI workflow uses, as OWNER/REPO@REF (without
    /// it, the workflow's corroborate steps fail with a message saying what to put there)
    #[arg(long, value_name = "OWNER/REPO@REF", value_parser = ActionRef::parse)]
    pub action: Option<ActionRef>,
}

pub fn run(base: &Path, args: &Args) -> Result<ExitCode> {
    let root = match &args.folder {
        Some(dir) => base.join(dir),
        None => base.to_path_buf(),
    };
    let files = scaffold::files(args.action.as_ref());
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
    if args.action.is_none() {
        eprintln!(
            "note: .github/workflows/corroborate.yml names no corroborate action yet; its steps fail until you put `uses: OWNER/REPO@REF` there (or run init with --action OWNER/REPO@REF)"
        );
    }
    Ok(ExitCode::SUCCESS)
}
