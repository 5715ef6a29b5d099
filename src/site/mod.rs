//! The static HTML report: one page per claim, source and entity, an index of claims
//! that can be filtered and sorted without a server, a search page, `data.json` and
//! the search index, all with relative links. Pages are rendered in parallel from one
//! shared template environment into a temporary folder that replaces the previous
//! site only when it is complete.

mod jsonld;
pub mod manifest;
pub mod markdown;
pub mod output;
pub mod search;
mod svg;
pub mod templates;
mod views;

use crate::Checked;
use crate::model::{Balance, Verdict};
use crate::views::lists;
use anyhow::{Context, Result};
use minijinja::value::Serde;
use minijinja::{Value, context};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use views::{Lookup, Root, balance_label, verdict_label};

pub use templates::TemplateError;

/// Claims (and sources) per page of the index, so that it stays usable in a browser
/// however large the case grows.
pub const PAGE_SIZE: usize = 500;

/// How to build.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The output folder.
    pub out: PathBuf,
    /// The publication date for `ClaimReview` (none unless asked: builds stay identical).
    pub review_date: Option<String>,
    /// Show progress on the terminal for large builds.
    pub progress: bool,
    /// Publish sensitive material too, and mark every page as an internal edition.
    pub include_sensitive: bool,
}

/// What a build wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub pages: usize,
    /// Pages rendered (the others were carried over from the previous site).
    pub rendered: usize,
    pub files: usize,
}

/// One page to render.
#[derive(Clone, Copy, Debug)]
enum Page {
    Index(usize),
    SourcesList(usize),
    Entities,
    Search,
    Claim(usize),
    Source(usize),
    Entity(usize),
    /// Page `n` of a list too long for its record's page.
    List(views::List, usize),
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    description: Option<String>,
    base_url: Option<&'a str>,
    internal: bool,
}

#[derive(Serialize, Debug, PartialEq)]
struct PageLink {
    number: usize,
    href: String,
    current: bool,
    /// A run of pages left out between this link and the one before it.
    gap_before: bool,
}

#[derive(Serialize)]
struct Pages {
    current: usize,
    count: usize,
    previous: Option<String>,
    next: Option<String>,
    links: Vec<PageLink>,
}

fn page_file(stem: &str, number: usize) -> String {
    if number <= 1 {
        format!("{stem}.html")
    } else {
        format!("{stem}-{number}.html")
    }
}

/// Pages linked from each page of a paged list, on either side of the current one.
const PAGER_REACH: usize = 3;

/// The pager of page `current`: the first and last pages, the previous and next, and
/// the pages within [`PAGER_REACH`] of it. Linking every page from every page would
/// grow with the square of the number of pages.
fn pages(stem: &str, total_items: usize, current: usize) -> Pages {
    let count = total_items.div_ceil(PAGE_SIZE).max(1);
    let near = current.saturating_sub(PAGER_REACH).max(1)..=(current + PAGER_REACH).min(count);
    let mut links: Vec<PageLink> = Vec::new();
    let mut last = 0;
    for n in [1].into_iter().chain(near).chain([count]) {
        if n <= last {
            continue;
        }
        links.push(PageLink {
            number: n,
            href: page_file(stem, n),
            current: n == current,
            gap_before: n > last + 1 && last > 0,
        });
        last = n;
    }
    Pages {
        current,
        count,
        previous: (current > 1).then(|| page_file(stem, current - 1)),
        next: (current < count).then(|| page_file(stem, current + 1)),
        links,
    }
}

/// Everything the pages share, prepared once.
struct Shared<'a> {
    checked: &'a Checked,
    lookup: Lookup<'a>,
    site: Value,
    claim_order: Vec<usize>,
    source_order: Vec<usize>,
    entity_order: Vec<usize>,
    index_extras: Value,
    options: &'a Options,
    /// Digests of every record, when pages may be reused from an earlier rendering.
    digests: Option<crate::export::Digests>,
    /// What every page shows of the settings, and what the templates are: after an
    /// edit of a template, no page is taken from an earlier rendering.
    site_key: String,
}

impl<'a> Shared<'a> {
    /// What every page of `checked` (the edition to publish) needs, prepared once;
    /// `with_digests` for rendering that may reuse earlier pages.
    fn new(
        checked: &'a Checked,
        templates: &templates::Templates,
        options: &'a Options,
        with_digests: bool,
    ) -> Self {
        let repo = &checked.repo;
        let claim_order = lists::claims(checked, &lists::ClaimFilter::default());
        let source_order = lists::sources(checked, None);
        let entity_order = lists::entities(checked);

        let site = Value::from(Serde(SiteInfo {
            title: &repo.config.title,
            description: repo.config.description.as_deref().map(markdown::to_html),
            base_url: repo.config.base_url.as_deref(),
            internal: options.include_sensitive,
        }));
        Shared {
            checked,
            lookup: Lookup::new(checked),
            site,
            index_extras: index_extras(checked),
            claim_order,
            source_order,
            entity_order,
            options,
            digests: with_digests.then(|| crate::export::digests(checked)),
            // All of the settings, not only those a page shows today: a setting a page
            // comes to show later cannot be forgotten here.
            // The results of `links` show on source pages; a new run of it is rare
            // enough (weekly) to render every page again.
            site_key: format!(
                "{:?}|{:?}|{}|{:x}|{:x}",
                repo.config,
                options.review_date,
                options.include_sensitive,
                templates_fingerprint(templates),
                repo.links.fingerprint()
            ),
        }
    }
}

/// A hash of every template's name and text.
fn templates_fingerprint(templates: &templates::Templates) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut all: Vec<(&str, u64)> = templates
        .env
        .templates()
        .map(|(name, t)| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            t.source().hash(&mut hasher);
            (name, hasher.finish())
        })
        .collect();
    all.sort_unstable();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    all.hash(&mut hasher);
    hasher.finish()
}

/// Renders pages one at a time, by path: what the micro-benchmark of one claim page
/// measures. `checked` is rendered as given: pass [`crate::redact::published`]'s
/// edition for the public site.
pub struct PageRenderer<'a> {
    shared: Shared<'a>,
    env: &'a minijinja::Environment<'static>,
}

impl<'a> PageRenderer<'a> {
    pub fn new(
        checked: &'a Checked,
        templates: &'a templates::Templates,
        options: &'a Options,
    ) -> Self {
        PageRenderer {
            shared: Shared::new(checked, templates, options, false),
            env: &templates.env,
        }
    }

    /// The page at `path` (`claims/ID.html`, `sources/ID.html`, `entities/ID.html`),
    /// or `None` when the site has no such record page.
    pub fn render(&self, path: &str) -> Result<Option<Vec<u8>>, TemplateError> {
        let checked = self.shared.checked;
        let record = |folder: &str| {
            path.strip_prefix(folder)
                .and_then(|rest| rest.strip_suffix(".html"))
                .and_then(|id| checked.record(id))
        };
        let page = match (record("claims/"), record("sources/"), record("entities/")) {
            (Some(crate::graph::Record::Claim(i)), _, _) => Page::Claim(i),
            (_, Some(crate::graph::Record::Source(i)), _) => Page::Source(i),
            (_, _, Some(crate::graph::Record::Entity(i))) => Page::Entity(i),
            _ => return Ok(None),
        };
        let (template, ctx) = self.shared.context(page);
        templates::render_page(self.env, template, ctx).map(Some)
    }
}

impl Shared<'_> {
    fn path(&self, page: Page) -> String {
        let repo = &self.checked.repo;
        match page {
            Page::Index(n) => page_file("index", n),
            Page::SourcesList(n) => page_file("sources", n),
            Page::Entities => "entities.html".to_owned(),
            Page::Search => "search.html".to_owned(),
            Page::Claim(i) => format!("claims/{}.html", repo.claims[i].id.value),
            Page::Source(i) => format!("sources/{}.html", repo.sources[i].id.value),
            Page::Entity(i) => format!("entities/{}.html", repo.entities[i].id.value),
            Page::List(list, n) => list.path(&self.lookup, n),
        }
    }

    fn canonical(&self, path: &str) -> Option<String> {
        self.checked
            .repo
            .config
            .base_url
            .as_ref()
            .map(|base| format!("{}/{path}", base.trim_end_matches('/')))
    }

    /// The template and context of a page.
    fn context(&self, page: Page) -> (&'static str, Value) {
        let path = self.path(page);
        let canonical = self.canonical(&path);
        match page {
            Page::Index(n) => {
                let rows: Vec<views::ClaimRow> = self
                    .claim_order
                    .iter()
                    .skip((n - 1) * PAGE_SIZE)
                    .take(PAGE_SIZE)
                    .map(|&i| views::claim_row(&self.lookup, i, Root::TOP))
                    .collect();
                let ctx = context! {
                    site => self.site.clone(), root => "", section => "claims", canonical,
                    rows => Value::from(Serde(rows)),
                    pages => Value::from(Serde(pages("index", self.claim_order.len(), n))),
                    ..self.index_extras.clone()
                };
                ("index.html", ctx)
            }
            Page::SourcesList(n) => {
                #[derive(Serialize)]
                struct Row {
                    source: views::SourceRef,
                    is_origin: bool,
                    claims: usize,
                    cited_by: usize,
                }
                let rows: Vec<Row> = self
                    .source_order
                    .iter()
                    .skip((n - 1) * PAGE_SIZE)
                    .take(PAGE_SIZE)
                    .map(|&i| {
                        let row = lists::source_row(self.checked, i);
                        Row {
                            source: self.lookup.source_ref(i, Root::TOP),
                            is_origin: row.is_origin,
                            claims: row.claims,
                            cited_by: row.cited_by,
                        }
                    })
                    .collect();
                let ctx = context! {
                    site => self.site.clone(), root => "", section => "sources", canonical,
                    sources => Value::from(Serde(rows)),
                    pages => Value::from(Serde(pages("sources", self.source_order.len(), n))),
                    ..self.index_extras.clone()
                };
                ("sources.html", ctx)
            }
            Page::Entities => {
                #[derive(Serialize)]
                struct Row {
                    href: String,
                    name: String,
                    kind: &'static str,
                    made: usize,
                    about: usize,
                }
                let rows: Vec<Row> = self
                    .entity_order
                    .iter()
                    .map(|&i| {
                        let row = lists::entity_row(self.checked, i);
                        let e = row.entity;
                        Row {
                            href: Root::TOP.entity(&e.id.value),
                            name: e.name.clone(),
                            kind: e.kind.as_str(),
                            made: row.made,
                            about: row.about,
                        }
                    })
                    .collect();
                let ctx = context! {
                    site => self.site.clone(), root => "", section => "entities", canonical,
                    entities => Value::from(Serde(rows)),
                    ..self.index_extras.clone()
                };
                ("entities.html", ctx)
            }
            Page::Search => (
                "search.html",
                context! { site => self.site.clone(), root => "", section => "search", canonical },
            ),
            Page::Claim(i) => {
                let review = jsonld::claim_review(
                    self.checked,
                    i,
                    self.checked.repo.config.base_url.as_deref(),
                    self.options.review_date.as_deref(),
                );
                let ctx = context! {
                    site => self.site.clone(), root => "../", section => "claims", canonical,
                    claim => Value::from(Serde(views::claim_page(&self.lookup, i))),
                    picture => svg::claim_picture(self.checked, i),
                    jsonld => review,
                };
                ("claim.html", ctx)
            }
            Page::Source(i) => (
                "source.html",
                context! {
                    site => self.site.clone(), root => "../", section => "sources", canonical,
                    source => Value::from(Serde(views::source_page(&self.lookup, i))),
                },
            ),
            Page::Entity(i) => (
                "entity.html",
                context! {
                    site => self.site.clone(), root => "../", section => "entities", canonical,
                    entity => Value::from(Serde(views::entity_page(&self.lookup, i))),
                },
            ),
            Page::List(list, n) => {
                let view = views::list_page(&self.lookup, list, n);
                let stem = list.path(&self.lookup, 1);
                let stem = stem
                    .strip_prefix("lists/")
                    .and_then(|p| p.strip_suffix(".html"))
                    .unwrap_or_default();
                let pages = pages(stem, view.total, n);
                (
                    "list.html",
                    context! {
                        site => self.site.clone(), root => "../", section => "", canonical,
                        list => Value::from(Serde(view)),
                        pages => Value::from(Serde(pages)),
                    },
                )
            }
        }
    }

    /// Renders a page, or takes it from `previous` when nothing it shows has changed:
    /// from memory (what `serve` does after an edit) or from the previous site on disk
    /// (what `build` does).
    fn render(
        &self,
        env: &minijinja::Environment<'static>,
        page: Page,
        previous: Previous<'_>,
    ) -> Result<Rendered> {
        let path = self.path(page);
        let key = self
            .digests
            .as_ref()
            .and_then(|d| self.dependency_key(d, page));
        if let Some(key) = key {
            match previous {
                Previous::Nothing => {}
                Previous::Pages(cache) => {
                    if let Some((old, bytes)) = cache.pages.get(&path)
                        && *old == key
                    {
                        let body = Body::Bytes {
                            bytes: Arc::clone(bytes),
                            fresh: false,
                        };
                        return Ok(Rendered { path, key, body });
                    }
                }
                Previous::Site(site) => {
                    if let Some((old, len)) = site.manifest.get(&path)
                        && old == key
                        && (site.carry)(&path, len)?
                    {
                        let body = Body::Carried { len };
                        return Ok(Rendered { path, key, body });
                    }
                }
            }
        }
        let (template, ctx) = self.context(page);
        let html = templates::render_page(env, template, ctx)?;
        Ok(Rendered {
            path,
            key: key.unwrap_or(0),
            body: Body::Bytes {
                bytes: Arc::new(html),
                fresh: true,
            },
        })
    }

    /// A hash of everything a record's page shows: the record and every record it
    /// names, lists or draws, as exported, with the site's own settings. `None` for the
    /// index and list pages, which show everything and are always rendered.
    fn dependency_key(&self, digests: &crate::export::Digests, page: Page) -> Option<u64> {
        use crate::graph::{Link, Record};
        let g = &self.checked.graph;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&self.site_key, &mut hasher);
        let mut add = |record: Record| {
            let digest = match record {
                Record::Entity(i) => (0u8, digests.entities[i]),
                Record::Source(i) => (1u8, digests.sources[i]),
                Record::Claim(i) => (2u8, digests.claims[i]),
            };
            std::hash::Hash::hash(&digest, &mut hasher);
        };
        let record = match page {
            Page::Claim(i) => Record::Claim(i),
            Page::Source(i) => Record::Source(i),
            Page::Entity(i) => Record::Entity(i),
            _ => return None,
        };
        add(record);
        // Everything it links to and everything that links to it.
        for (link, other) in g.links_from(record).chain(g.links_to(record)) {
            add(other);
            // The sources of evidence bring their producer (own words) along.
            if let (Link::Evidence(_), Record::Source(_)) = (link, other) {
                for (link, by) in g.links_from(other) {
                    if link == Link::By {
                        add(by);
                    }
                }
            }
        }
        let analysis = &self.checked.analysis;
        match page {
            Page::Claim(i) => {
                // Its origins, and the picture: every source down the citation chains.
                let facts = &analysis.claims[i];
                for (_, set) in facts.origins.all() {
                    for &origin in set {
                        add(Record::Source(origin));
                    }
                }
                let mut stack: Vec<usize> = facts
                    .sources
                    .all()
                    .into_iter()
                    .flat_map(|(_, list)| list.iter().copied())
                    .collect();
                let mut seen = std::collections::HashSet::new();
                while let Some(s) = stack.pop() {
                    if !seen.insert(s) || seen.len() > 4 * 60 {
                        continue;
                    }
                    add(Record::Source(s));
                    stack.extend(g.cited(s));
                }
            }
            Page::Source(i) => {
                for &origin in &analysis.source_origins[i] {
                    add(Record::Source(origin));
                }
            }
            _ => {}
        }
        Some(std::hash::Hasher::finish(&hasher))
    }
}

/// A page, rendered or taken from an earlier rendering.
struct Rendered {
    path: String,
    /// The hash of what it shows; 0 for pages that show everything (always rendered).
    key: u64,
    body: Body,
}

enum Body {
    /// Rendered now (`fresh`) or taken from a rendering in memory.
    Bytes { bytes: Arc<Vec<u8>>, fresh: bool },
    /// Carried over from the previous site on disk, unread.
    Carried { len: u64 },
}

/// What an earlier rendering left that this one may reuse.
#[derive(Clone, Copy)]
pub enum Previous<'a> {
    /// Nothing: every page is rendered.
    Nothing,
    /// The pages of an earlier rendering in memory (`serve`).
    Pages(&'a PageCache),
    /// The previous site on disk (`build`).
    Site(&'a PreviousSite<'a>),
}

/// The previous site on disk: its manifest, and how to take one of its files into the
/// new site (path, length; `false` when it cannot be, and the page is rendered).
pub struct PreviousSite<'a> {
    pub manifest: manifest::Manifest,
    pub carry: &'a (dyn Fn(&str, u64) -> Result<bool> + Sync),
}

/// Pages of an earlier rendering, with the fingerprint of what they were made from.
#[derive(Clone, Debug, Default)]
pub struct PageCache {
    pages: HashMap<String, (u64, Arc<Vec<u8>>)>,
}

impl PageCache {
    /// A file of the site by its path (`claims/x.html`).
    pub fn get(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.pages.get(path).map(|(_, bytes)| Arc::clone(bytes))
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// The paths of every file, in sorted order.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.pages.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// The result of rendering a whole site.
pub struct Rendering {
    /// Every file of the site and its bytes, for `serve` (empty unless the previous
    /// rendering was in memory).
    pub cache: PageCache,
    /// What each page with a key was made from, for the next build (empty when
    /// nothing was to be reused).
    pub manifest: Vec<manifest::Entry>,
    /// Pages rendered afresh (the others came unchanged from the previous rendering).
    pub rendered: usize,
    pub pages: usize,
    /// Every file written: the pages, the style and script, data.json and the search index.
    pub files: usize,
}

/// Renders every file of the site and hands each to `emit` (path, bytes). With a
/// `previous` rendering, pages whose inputs did not change are not rendered again, and
/// the returned cache holds every page for the next time.
pub fn render_site(
    checked: &Checked,
    templates: &templates::Templates,
    options: &Options,
    previous: Option<&PageCache>,
    emit: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
) -> Result<Rendering> {
    let previous = previous.map_or(Previous::Nothing, Previous::Pages);
    render_with(checked, templates, options, previous, emit, None)
}

/// [`render_site`] with any kind of [`Previous`] rendering: pages carried over from a
/// previous site on disk are not handed to `emit`, and the result has the manifest of
/// every page with a key.
pub fn render_with(
    checked: &Checked,
    templates: &templates::Templates,
    options: &Options,
    previous: Previous<'_>,
    emit: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    emit_with: Option<&EmitWith<'_>>,
) -> Result<Rendering> {
    let mut timer = crate::timing::Timer::from_env();
    let edition = if options.include_sensitive {
        std::borrow::Cow::Borrowed(checked)
    } else {
        crate::redact::published(checked)
    };
    let checked: &Checked = &edition;
    let repo = &checked.repo;
    let reuse = !matches!(previous, Previous::Nothing);
    let shared = Shared::new(checked, templates, options, reuse);
    timer.lap("site: edition and shared views");
    let mut jobs: Vec<Page> = Vec::new();
    jobs.extend((1..=repo.claims.len().div_ceil(PAGE_SIZE).max(1)).map(Page::Index));
    jobs.extend((1..=repo.sources.len().div_ceil(PAGE_SIZE).max(1)).map(Page::SourcesList));
    jobs.push(Page::Entities);
    jobs.push(Page::Search);
    jobs.extend((0..repo.claims.len()).map(Page::Claim));
    jobs.extend((0..repo.sources.len()).map(Page::Source));
    jobs.extend((0..repo.entities.len()).map(Page::Entity));
    for (list, len) in shared.lookup.long_lists() {
        jobs.extend((1..=len.div_ceil(PAGE_SIZE)).map(|n| Page::List(list, n)));
    }

    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let fresh = AtomicUsize::new(0);
    let show_progress = options.progress && total >= 2000 && std::io::stderr().is_terminal();
    // In memory, every file is kept for the next rendering; on disk, the manifest.
    let keep = matches!(previous, Previous::Pages(_));
    let list = matches!(previous, Previous::Site(_));
    let render_pages = || -> Result<Vec<Kept>> {
        jobs.par_iter()
            .map(|&page| -> Result<Kept> {
                let Rendered { path, key, body } = shared.render(&templates.env, page, previous)?;
                let len = match &body {
                    Body::Bytes {
                        bytes,
                        fresh: is_fresh,
                    } => {
                        emit(&path, bytes)?;
                        if *is_fresh {
                            fresh.fetch_add(1, Ordering::Relaxed);
                        }
                        bytes.len() as u64
                    }
                    Body::Carried { len } => *len,
                };
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if show_progress && (n.is_multiple_of(1000) || n == total) {
                    eprint!("\rwriting pages: {n}/{total}");
                }
                Ok(match body {
                    Body::Bytes { bytes, .. } if keep => Kept::Page(path, key, bytes),
                    _ if list && key != 0 => Kept::Entry(manifest::Entry { path, key, len }),
                    _ => Kept::Nothing,
                })
            })
            .collect()
    };
    // The site's other files: data.json and the search index are each one long serial
    // task, done meanwhile on whichever core the pages leave free.
    let other_files = || -> Result<(Vec<Kept>, usize)> {
        let mut timer = crate::timing::Timer::from_env();
        let mut kept = Vec::new();
        let mut count = 0;
        let mut streamed = 0;
        // Each file is handed on and dropped as soon as it is made: at 100,000 claims
        // data.json alone is 300 MB.
        let mut put = |name: String, bytes: Vec<u8>| -> Result<()> {
            emit(&name, &bytes)?;
            count += 1;
            if keep {
                kept.push(Kept::Page(name, 0, Arc::new(bytes)));
            }
            Ok(())
        };
        for (name, bytes) in &templates.assets {
            put(name.clone(), bytes.clone())?;
        }
        // The export without its indentation: the same values, a third smaller.
        match emit_with {
            // Written as it is serialised: at 100,000 claims data.json is 240 MB.
            Some(write) if !keep => {
                write("data.json", &mut |out| {
                    crate::export::write_compact_json(checked, out)
                })
                .context("cannot write data.json")?;
                streamed += 1;
            }
            _ => {
                let mut data = Vec::new();
                crate::export::write_compact_json(checked, &mut data)
                    .context("cannot write data.json")?;
                put("data.json".to_owned(), data)?;
            }
        }
        timer.lap("site: data.json");
        search::write(&search::Input::of(checked), &mut put)?;
        timer.lap("site: search index");
        Ok((kept, count + streamed))
    };
    let (pages, others) = rayon::join(render_pages, other_files);
    let (pages, (others, other_count)) = (pages?, others?);
    if show_progress {
        eprintln!();
    }
    let mut cache = PageCache::default();
    let mut entries = Vec::new();
    for kept in pages.into_iter().chain(others) {
        match kept {
            Kept::Page(path, key, bytes) => {
                cache.pages.insert(path, (key, bytes));
            }
            Kept::Entry(entry) => entries.push(entry),
            Kept::Nothing => {}
        }
    }
    timer.lap("site: pages and other files");
    Ok(Rendering {
        cache,
        manifest: entries,
        rendered: fresh.into_inner(),
        pages: total,
        files: total + other_count,
    })
}

/// Writes a file of the site with what the function given writes into it.
pub type EmitWith<'a> = dyn Fn(&str, &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>) -> Result<()>
    + Sync
    + 'a;

/// What a rendering keeps of each file for the next one.
enum Kept {
    Nothing,
    /// The page itself, in memory.
    Page(String, u64, Arc<Vec<u8>>),
    /// What it was made from, for the manifest.
    Entry(manifest::Entry),
}

/// Builds the site of a checked repository that has no errors. Pages whose inputs
/// did not change since the previous build are carried over from the previous site
/// (see [`manifest`]) rather than rendered and written again.
pub fn build(checked: &Checked, options: &Options) -> Result<Report> {
    let repo = &checked.repo;
    let templates = templates::load(&repo.root, &repo.config.templates)?;
    let mut timer = crate::timing::Timer::from_env();
    let staging = output::Staging::begin(&options.out)?;
    // `begin` has made sure the output folder, if there is one, is a site of ours.
    let previous = PreviousSite {
        manifest: manifest::Manifest::read(&options.out),
        carry: &|path, len| staging.carry(path, len),
    };
    timer.lap("site: previous manifest read");
    let rendering = render_with(
        checked,
        &templates,
        options,
        Previous::Site(&previous),
        &|path, bytes| staging.write(path, bytes),
        Some(&|path, fill| staging.write_with(path, fill)),
    )?;
    staging.write(manifest::FILE, &manifest::write(rendering.manifest))?;
    let mut timer = crate::timing::Timer::from_env();
    staging.commit()?;
    timer.lap("site: swapped in");
    Ok(Report {
        pages: rendering.pages,
        rendered: rendering.rendered,
        files: rendering.files,
    })
}

/// What the index page needs beyond its rows: counts and the fixed choices of its
/// filters. The tags and entities to filter by come from the search index, which the
/// page loads anyway: written into every page of the index they would grow with the
/// number of pages times the number of entities.
fn index_extras(checked: &Checked) -> Value {
    #[derive(Serialize)]
    struct BalanceCount {
        balance: views::Label,
        count: usize,
    }
    let repo = &checked.repo;
    let mut balance_counts: BTreeMap<Balance, usize> = BTreeMap::new();
    for facts in &checked.analysis.claims {
        *balance_counts.entry(facts.balance).or_default() += 1;
    }
    context! {
        counts => Value::from(Serde(serde_json::json!({
            "claims": repo.claims.len(),
            "sources": repo.sources.len(),
            "entities": repo.entities.len(),
            "quotes": crate::views::QuoteCount::of(&checked.analysis.claims).sentence(),
            "balances": balance_counts.into_iter().map(|(b, count)| BalanceCount { balance: balance_label(b), count }).collect::<Vec<_>>(),
        }))),
        filters => Value::from(Serde(serde_json::json!({
            "balances": Balance::ALL.iter().map(|b| balance_label(*b)).collect::<Vec<_>>(),
            "verdicts": Verdict::ALL.iter().map(|v| verdict_label(*v)).collect::<Vec<_>>(),
        }))),
    }
}

#[cfg(test)]
mod tests {
    use super::{Options, PAGE_SIZE, pages, render_site, templates};
    use crate::views::tests::{REPEATS, case};
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// The pages of the site of `yaml`, by path.
    fn site(yaml: &str) -> HashMap<String, String> {
        let (_dir, checked) = case(yaml);
        let templates = templates::load(&checked.repo.root, &checked.repo.config.templates)
            .expect("the built-in templates");
        let pages = Mutex::new(HashMap::new());
        render_site(
            &checked,
            &templates,
            &Options::default(),
            None,
            &|path, bytes| {
                let text = String::from_utf8_lossy(bytes).into_owned();
                pages
                    .lock()
                    .expect("one writer at a time")
                    .insert(path.to_owned(), text);
                Ok(())
            },
        )
        .expect("the site renders");
        pages.into_inner().expect("written")
    }

    #[test]
    fn a_record_named_twice_is_listed_and_counted_once() {
        let pages = site(REPEATS);
        assert!(
            pages["entities.html"].contains("1 claim made · 1 about"),
            "{}",
            pages["entities.html"]
        );
        let second = &pages["claims/second.html"];
        assert_eq!(
            second.matches("href=\"../claims/first.html\"").count(),
            1,
            "{second}"
        );
    }

    fn numbers(total_pages: usize, current: usize) -> Vec<(usize, bool)> {
        pages("index", total_pages * PAGE_SIZE, current)
            .links
            .iter()
            .map(|l| (l.number, l.gap_before))
            .collect()
    }

    #[test]
    fn the_pager_links_the_ends_and_the_neighbourhood() {
        assert_eq!(numbers(1, 1), [(1, false)]);
        assert_eq!(
            numbers(5, 1),
            [(1, false), (2, false), (3, false), (4, false), (5, false)]
        );
        assert_eq!(
            numbers(200, 100),
            [
                (1, false),
                (97, true),
                (98, false),
                (99, false),
                (100, false),
                (101, false),
                (102, false),
                (103, false),
                (200, true)
            ]
        );
        assert_eq!(
            numbers(200, 2),
            [
                (1, false),
                (2, false),
                (3, false),
                (4, false),
                (5, false),
                (200, true)
            ]
        );
        let last = pages("index", 200 * PAGE_SIZE, 200);
        assert_eq!(last.previous.as_deref(), Some("index-199.html"));
        assert_eq!(last.next, None);
        assert_eq!(last.links.len(), 5);
    }
}
