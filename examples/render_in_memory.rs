//! Renders a repository's whole site in memory, without writing a file: the time of
//! `check` and of the rendering alone, apart from the file system (whose cost to create
//! thousands of files varies more on a shared machine than the rendering does).
//!
//! ```sh
//! cargo run --release --example render_in_memory -- /tmp/case-10k
//! ```

use anyhow::{Context, Result};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

fn main() -> Result<()> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .context("usage: render_in_memory REPOSITORY")?,
    );
    let started = Instant::now();
    let checked = corroborate::check(&dir)?;
    let checked_in = started.elapsed();
    let started = Instant::now();
    let templates = corroborate::site::templates::load(&dir, &checked.repo.config.templates)?;
    let bytes = AtomicUsize::new(0);
    let rendering = corroborate::site::render_site(
        &checked,
        &templates,
        &corroborate::site::Options::default(),
        None,
        &|_, page| {
            bytes.fetch_add(page.len(), Ordering::Relaxed);
            Ok(())
        },
    )?;
    println!(
        "check {:.3} s; rendered {} pages and the site's other files, {} bytes, in {:.3} s",
        checked_in.as_secs_f64(),
        rendering.pages,
        bytes.into_inner(),
        started.elapsed().as_secs_f64()
    );
    // The process ends here; the exit frees the records faster than dropping them.
    std::mem::forget(checked);
    Ok(())
}
