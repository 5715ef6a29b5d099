//! Criterion micro-benchmarks of the pipeline's stages, on repositories made by the
//! corpus generator of `examples/gen_corpus.rs` (included below as a module, so the
//! benchmarks and `GEN=rust bench/run.sh N` measure the same kind of data):
//!
//! - `load`: `corroborate::load::load` of a 1,000-claim repository (files read and
//!   parsed in parallel, decoded into records); throughput in bytes of YAML;
//! - `graph+analysis`: `graph::build` and `analysis::analyse` on the loaded records;
//! - `check`: the whole check (load, resolve, validate, analyse, lint);
//! - `render`: `site::render_site` of a 100-claim repository with an `emit` that
//!   discards the pages; throughput in pages, so criterion's `elem/s` is pages per
//!   second on all cores (its inverse is the time per page); and one typical claim
//!   page of it (the median number of evidence items) rendered alone, on one core.
//!
//! ```sh
//! cargo bench --bench pipeline                                  # full run
//! cargo bench --bench pipeline -- --quick                       # a quick look
//! cargo bench --bench pipeline -- --warm-up-time 1 --measurement-time 2 render
//! ```

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

use corroborate::{analysis, graph, load, site};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// Claims in the repository that `load`, `graph+analysis` and `check` read.
const CLAIMS: usize = 1_000;
/// Claims in the repository whose site `render` renders.
const SITE_CLAIMS: usize = 100;
const SEED: u64 = 1;

/// A generated repository in a temporary folder, removed when dropped.
struct Fixture {
    dir: tempfile::TempDir,
    yaml_bytes: u64,
}

impl Fixture {
    fn root(&self) -> &Path {
        self.dir.path()
    }
}

fn fixture(claims: usize) -> std::io::Result<Fixture> {
    let dir = tempfile::Builder::new()
        .prefix("corroborate-bench-")
        .tempdir()?;
    let corpus = gen_corpus::Corpus::generate(claims, SEED);
    let files = corpus.write_repo(dir.path(), (claims / 50).max(1))?;
    let mut yaml_bytes = 0;
    for file in &files {
        yaml_bytes += std::fs::metadata(dir.path().join(file))?.len();
    }
    Ok(Fixture { dir, yaml_bytes })
}

/// The value, or the reason on standard error and exit: a benchmark cannot go on
/// without its data.
fn or_exit<T, E: std::fmt::Display>(result: Result<T, E>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(err) => {
            eprintln!("pipeline bench: {what}: {err}");
            std::process::exit(1)
        }
    }
}

fn pipeline(c: &mut Criterion) {
    let fx = or_exit(fixture(CLAIMS), "cannot write the generated repository");
    let root: PathBuf = fx.root().to_path_buf();
    let loaded = or_exit(load::load(&root), "cannot load the generated repository");
    if !loaded.diagnostics.is_empty() {
        eprintln!(
            "pipeline bench: the generated repository loads with {} diagnostic(s)",
            loaded.diagnostics.len()
        );
    }
    let repo = loaded.repo;

    let mut group = c.benchmark_group("pipeline");
    group.sample_size(20);

    group.throughput(Throughput::Bytes(fx.yaml_bytes));
    group.bench_function(format!("load/{CLAIMS} claims"), |b| {
        b.iter(|| black_box(load::load(black_box(&root))))
    });

    group.throughput(Throughput::Elements(CLAIMS as u64));
    group.bench_function(format!("graph+analysis/{CLAIMS} claims"), |b| {
        b.iter(|| {
            let (g, diagnostics) = graph::build(black_box(&repo));
            let analysis = analysis::analyse(&repo, &g, analysis::QuoteChecks::default());
            black_box((g, diagnostics, analysis))
        })
    });
    group.bench_function(format!("check/{CLAIMS} claims"), |b| {
        b.iter(|| black_box(corroborate::check(black_box(&root))))
    });
    group.finish();
}

fn render(c: &mut Criterion) {
    let fx = or_exit(
        fixture(SITE_CLAIMS),
        "cannot write the generated repository",
    );
    let checked = or_exit(
        corroborate::check(fx.root()),
        "cannot check the generated repository",
    );
    if checked.errors() > 0 {
        eprintln!(
            "pipeline bench: the generated repository has {} error(s)",
            checked.errors()
        );
        std::process::exit(1);
    }
    let templates = or_exit(
        site::templates::load(fx.root(), &checked.repo.config.templates),
        "cannot load the templates",
    );
    let options = site::Options {
        out: fx.root().join("site"),
        ..site::Options::default()
    };
    let discard = |_: &str, bytes: &[u8]| -> anyhow::Result<()> {
        black_box(bytes);
        Ok(())
    };
    let first = or_exit(
        site::render_site(&checked, &templates, &options, None, &discard),
        "cannot render the site",
    );

    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    group.throughput(Throughput::Elements(first.pages as u64));
    group.bench_function(
        format!("site/{SITE_CLAIMS} claims ({} pages)", first.pages),
        |b| {
            b.iter(|| {
                black_box(site::render_site(
                    black_box(&checked),
                    &templates,
                    &options,
                    None,
                    &discard,
                ))
            })
        },
    );
    group.finish();

    // One claim page on one core: the claim whose evidence count is the median, so
    // that the page is a typical one.
    let edition = corroborate::redact::published(&checked);
    let renderer = site::PageRenderer::new(&edition, &templates, &options);
    let mut claims: Vec<&corroborate::model::Claim> = edition.repo.claims.iter().collect();
    claims.sort_by_key(|c| (c.evidence.len(), c.id.value.clone()));
    let Some(claim) = claims.get(claims.len() / 2) else {
        eprintln!("the generated repository has no claim");
        std::process::exit(1);
    };
    let path = format!("claims/{}.html", claim.id.value);
    let page = or_exit(renderer.render(&path), "cannot render a claim page");
    let bytes = page.map_or(0, |p| p.len());
    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(
        format!(
            "claim page ({} evidence items, {bytes} bytes)",
            claim.evidence.len()
        ),
        |b| b.iter(|| black_box(renderer.render(black_box(&path)))),
    );
    group.finish();
}

criterion_group!(benches, pipeline, render);
criterion_main!(benches);
