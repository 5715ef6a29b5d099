//! `corroborate import`: bring existing material in as sources.

use anyhow::{Context, Result, bail};
use corroborate::import::{self, bibtex, claimreview, csl, csv};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Bring a reference library (CSL-JSON, BibTeX) or fact checks (ClaimReview) in, again and again without duplicates",
    long_about = "Turn exported references into sources that pass `check`. Each item is matched to a source of the case by `import_key`, then `doi`, then `url`: a matched source gets the import's fields (title, kind, author, publisher, URL, dates, language, DOI) where they differ, and its archived copies when it has none; nothing of the researcher's own (reliability, by, cites, notes, copies, evidence, verdicts) is ever touched, and comments and layout stay as they are. New sources are appended to one file. Importing the same file twice changes nothing.\n\nThe case is checked after the edits; if they would give it an error, every file is put back.",
    after_help = "Exit status: 0 when every item was imported, 1 when some were skipped (each is named with its place in the input) or the case has errors, 2 on a usage or I/O failure.\n\nExamples:\n  corroborate import csl-json library.json                 # Zotero: File > Export Library > CSL JSON\n  corroborate import csl-json library.json --dry-run       # the edits, as a diff\n  corroborate import bibtex references.bib                 # Better BibTeX, JabRef\n  corroborate import claimreview fact-check.html           # every ClaimReview on a saved page\n  corroborate import csv inventory.csv --map inventory-map.yaml\n  corroborate import csl-json refs.json --into claims/refs.yaml --strict"
)]
pub struct Args {
    /// What the files hold: csl-json (Zotero, Better BibTeX and Manubot exports), bibtex (BibTeX and BibLaTeX: Better BibTeX, JabRef), claimreview (fact-checkers' ClaimReview JSON-LD, feeds, Fact Check Tools API answers, or HTML pages holding it) or csv (a spreadsheet's export, with --map)
    #[arg(value_enum)]
    pub format: Format,

    /// The files to import
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The data file new sources go to (default: <data>/imported/<first input's name>.yaml)
    #[arg(long, value_name = "PATH")]
    pub into: Option<String>,

    /// With csv: the map file (YAML) naming the record kind (`record: source` or `claim`), the column of each field (`columns: {title: Headline}`) and the column that names a row for good (`key: ID`)
    #[arg(long, value_name = "MAP.yaml")]
    pub map: Option<PathBuf>,

    /// Print the edits as a diff on standard output and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Import nothing when any item cannot be imported
    #[arg(long)]
    pub strict: bool,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    CslJson,
    Bibtex,
    Claimreview,
    Csv,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    let checked = corroborate::check(dir)?;
    if let Some(code) = super::stop_on_errors(&checked, "import") {
        return Ok(code);
    }
    let root = corroborate::access::Root::new(&checked.repo.root)
        .with_context(|| format!("cannot open {}", checked.repo.root.display()))?;
    let map = match (&args.format, &args.map) {
        (Format::Csv, Some(path)) => {
            let bytes = read_bounded(path)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{} is not UTF-8", path.display()))?;
            Some(csv::read_map(&path.display().to_string(), &text).map_err(anyhow::Error::msg)?)
        }
        (Format::Csv, None) => {
            bail!("`import csv` needs --map MAP.yaml, naming the column of each field")
        }
        (_, Some(_)) => bail!("--map is for `import csv` only"),
        (_, None) => None,
    };
    let mut read = import::Read::default();
    let mut reviews = Vec::new();
    let mut rows = Vec::new();
    for file in &args.files {
        let name = file.display().to_string();
        let bytes = read_bounded(file)?;
        let got = match args.format {
            Format::CslJson => csl::read(&name, &bytes),
            Format::Bibtex => bibtex::read(&name, &bytes),
            Format::Csv => {
                let map = map.as_ref().context("the map")?;
                csv::read(&name, &bytes, map).map(|(found, got)| {
                    rows.extend(found);
                    got
                })
            }
            Format::Claimreview => {
                claimreview::read(&name, &bytes).map(|(found, problems, notes)| {
                    reviews.extend(found);
                    import::Read {
                        items: Vec::new(),
                        problems,
                        notes,
                    }
                })
            }
        }
        .map_err(anyhow::Error::msg)?;
        read.items.extend(got.items);
        read.problems.extend(got.problems);
        read.notes.extend(got.notes);
    }
    let mut stderr = std::io::stderr().lock();
    for line in read.problems.iter().chain(&read.notes) {
        writeln!(stderr, "{line}")?;
    }
    if args.strict && !read.problems.is_empty() {
        writeln!(
            stderr,
            "--strict: {} item(s) cannot be imported, so nothing was",
            read.problems.len()
        )?;
        return Ok(ExitCode::from(super::DATA_ERRORS));
    }
    let into = match &args.into {
        Some(into) => into.clone(),
        None => default_into(&checked.repo.config.data, &args.files[0]),
    };
    check_into(&into, &checked.repo.config.data)?;
    let options = import::Options {
        into,
        input_name: args
            .files
            .iter()
            .map(|f| {
                f.file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().into_owned())
            })
            .collect::<Vec<_>>()
            .join(", "),
    };
    let max = checked.repo.config.max_file_bytes;
    let claims_map = map.as_ref().is_some_and(|m| m.claims);
    let mut notes = Vec::new();
    let plan = match args.format {
        Format::Claimreview => claimreview::plan(&checked, &root, &reviews, &options, max),
        Format::Csv if claims_map => {
            csv::plan_claims(&checked, &root, &rows, &options, max, &mut notes)
        }
        Format::Csv => import::plan(&checked, &root, &read.items, &options, max),
        Format::CslJson | Format::Bibtex => {
            import::plan(&checked, &root, &read.items, &options, max)
        }
    }
    .map_err(anyhow::Error::msg)?;
    for note in &notes {
        writeln!(stderr, "{note}")?;
    }
    for refused in &plan.refused {
        writeln!(stderr, "{refused}")?;
    }
    if args.strict && !plan.refused.is_empty() {
        writeln!(
            stderr,
            "--strict: some items cannot be imported, so nothing was"
        )?;
        return Ok(ExitCode::from(super::DATA_ERRORS));
    }
    let what = match args.format {
        Format::Claimreview => "claim(s)",
        Format::Csv if claims_map => "claim(s)",
        Format::CslJson | Format::Bibtex | Format::Csv => "source(s)",
    };
    let summary = format!(
        "{} new {what} into {}, {} updated, {} unchanged; {} item(s) skipped",
        plan.added,
        options.into,
        plan.updated,
        plan.unchanged,
        read.problems.len() + plan.refused.len()
    );
    if args.dry_run {
        let mut stdout = std::io::stdout().lock();
        for (name, (text, edits)) in &plan.files {
            stdout.write_all(
                corroborate::edit::diff(name, text.as_deref().unwrap_or(""), edits).as_bytes(),
            )?;
        }
        stdout.flush()?;
        writeln!(stderr, "--dry-run: {summary}; nothing written")?;
    } else {
        let changes: Vec<corroborate::edit::Change> = plan
            .files
            .iter()
            .map(|(name, (text, edits))| corroborate::edit::Change {
                name: name.clone(),
                before: text.clone(),
                after: corroborate::edit::apply(text.as_deref().unwrap_or(""), edits),
            })
            .collect();
        corroborate::edit::write_checked(&root, dir, &changes, checked.errors())?;
        writeln!(stderr, "imported: {summary}")?;
    }
    Ok(if read.problems.is_empty() && plan.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::DATA_ERRORS)
    })
}

/// An input file, read whole up to [`import::MAX_INPUT_BYTES`] through the one bounded
/// reader: a regular file only (a FIFO or a device is refused, never waited on).
fn read_bounded(file: &Path) -> Result<Vec<u8>> {
    use corroborate::access::Refusal;
    let canonical = file
        .canonicalize()
        .with_context(|| format!("cannot read {}", file.display()))?;
    corroborate::access::read_resolved(&canonical, import::MAX_INPUT_BYTES).map_err(|refusal| {
        match refusal {
            Refusal::TooLarge { .. } => anyhow::anyhow!(
                "{} is larger than {} MiB, more than any library export; split it",
                file.display(),
                import::MAX_INPUT_BYTES >> 20
            ),
            other => anyhow::anyhow!("{} {}", file.display(), other.reason()),
        }
    })
}

/// `<data>/imported/<stem>.yaml`, the stem made to fit a file name.
fn default_into(data: &str, input: &Path) -> String {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = corroborate::import::make_id(&stem, "imported", None);
    format!("{}/imported/{stem}.yaml", data.trim_end_matches('/'))
}

/// `--into` must name a YAML file in the data folder, so that `check` reads it.
fn check_into(into: &str, data: &str) -> Result<()> {
    let path = Path::new(into);
    let inside = path.is_relative()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        && path.starts_with(data);
    let yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if !inside || !yaml {
        bail!(
            "--into must name a .yaml file inside the data folder `{data}` (such as {data}/imported/library.yaml), not `{}`",
            corroborate::text::shown(into)
        );
    }
    Ok(())
}
