//! The report's templates: the built-in ones from the repository's `templates/`
//! folder, embedded in the binary, and a research repository's own `templates/`
//! folder on top. A file there replaces the built-in of the same name and can still
//! `{% extends "builtin/NAME" %}` the original. All text is HTML-escaped unless a
//! template marks it `safe`.

use crate::access::{self, Refusal, Root};
use anyhow::{Context, Result};
use minijinja::{AutoEscape, Environment};
use std::path::Path;

/// The built-in templates, by name. This list is also the list of what a research
/// repository can override.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("claim.html", include_str!("../../templates/claim.html")),
    ("source.html", include_str!("../../templates/source.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    (
        "entities.html",
        include_str!("../../templates/entities.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    ("list.html", include_str!("../../templates/list.html")),
];

/// Files copied into the site as they are (overridable by name too).
pub const BUILTIN_ASSETS: &[(&str, &str)] = &[
    ("style.css", include_str!("../../templates/style.css")),
    (
        "corroborate.js",
        include_str!("../../templates/corroborate.js"),
    ),
];

/// A problem in a template, named by template and line.
#[derive(Debug)]
pub struct TemplateError {
    pub template: String,
    pub line: Option<usize>,
    pub cause: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "template `{}`, line {line}: {}",
                self.template, self.cause
            ),
            None => write!(f, "template `{}`: {}", self.template, self.cause),
        }
    }
}

impl std::error::Error for TemplateError {}

impl TemplateError {
    pub fn from_minijinja(err: &minijinja::Error, fallback: &str) -> Self {
        let mut cause = err.detail().map_or_else(
            || err.kind().to_string(),
            |d| format!("{}: {d}", err.kind()),
        );
        let mut source = std::error::Error::source(err);
        let mut previous = String::new();
        while let Some(inner) = source {
            // A template that includes itself nests the same error many times over.
            let text = inner.to_string();
            if text != previous {
                cause.push_str(&format!(" ({text})"));
            }
            previous = text;
            source = inner.source();
        }
        TemplateError {
            template: template_file(err.name().unwrap_or(fallback)),
            line: err.line(),
            cause,
        }
    }
}

/// How a template is named to the user: a built-in one, or the file in `templates/`.
fn template_file(name: &str) -> String {
    match name.strip_prefix("builtin/") {
        Some(builtin) => format!("builtin/{builtin}"),
        None => name.to_owned(),
    }
}

/// The environment with every template, and the static files of the site.
pub struct Templates {
    pub env: Environment<'static>,
    pub assets: Vec<(String, Vec<u8>)>,
    /// Names of templates that the research repository overrides.
    pub overridden: Vec<String>,
}

/// Loads the built-ins and the overrides in the folder `folder` of the repository at
/// `root` (a missing folder means none). Syntax errors in any template are reported
/// here, before anything is rendered.
pub fn load(root: &Path, folder: &str) -> Result<Templates> {
    let overrides = read_overrides(root, folder)?;
    let mut env = Environment::new();
    set_limits(&mut env);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("truncate", truncate);
    // Text from the data is escaped here, for HTML templates: direction overrides and
    // invisible characters, which could disguise a link or a name, become visible
    // `\u{...}` escapes, and `/` is left as it is (valid in text and attributes, and
    // five bytes saved per link on pages that have many).
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(text) if !value.is_safe() && *state.auto_escape() == AutoEscape::Html => {
            crate::text::write_html(out, text).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|err| TemplateError::from_minijinja(&err, "syntax"))?,
    );
    let mut overridden = Vec::new();
    for (name, source) in BUILTIN_TEMPLATES {
        add(&mut env, format!("builtin/{name}"), (*source).to_owned())?;
    }
    let mut assets: Vec<(String, Vec<u8>)> = BUILTIN_ASSETS
        .iter()
        .map(|(n, s)| ((*n).to_owned(), s.as_bytes().to_vec()))
        .collect();
    for (name, text) in &overrides {
        if let Some(asset) = assets.iter_mut().find(|(n, _)| n == name) {
            asset.1 = text.as_bytes().to_vec();
            overridden.push(name.clone());
        } else if name.ends_with(".html") {
            add(&mut env, name.clone(), text.clone())?;
            overridden.push(name.clone());
        }
    }
    for (name, source) in BUILTIN_TEMPLATES {
        if !overrides.iter().any(|(n, _)| n == name) {
            add(&mut env, (*name).to_owned(), (*source).to_owned())?;
        }
    }
    Ok(Templates {
        env,
        assets,
        overridden,
    })
}

/// The most bytes read of one template or static file; the built-in ones are a few
/// kilobytes.
pub const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// The files of the overrides folder, by name, read through [`Root`]: the folder and
/// each file must lie inside the repository and each file be a regular file, so a link
/// to `/proc/self/environ` named `corroborate.js` is refused, never copied into the site.
fn read_overrides(root: &Path, folder: &str) -> Result<Vec<(String, String)>> {
    let refused = |name: &str, refusal: &Refusal| -> anyhow::Error {
        TemplateError {
            template: name.to_owned(),
            line: None,
            cause: format!("this {}", refusal.reason()),
        }
        .into()
    };
    let root = Root::new(root)?;
    let dir = match root.folder(Path::new(folder)) {
        Ok(dir) => dir,
        Err(Refusal::Missing) => return Ok(Vec::new()),
        Err(Refusal::Io(err)) => {
            return Err(err).with_context(|| format!("cannot open the templates folder {folder}"));
        }
        Err(refusal) => return Err(refused(folder, &refusal)),
    };
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list the templates folder {folder}"))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot list the templates folder {folder}"))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    let mut overrides = Vec::new();
    for entry in entries {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read the template {name}"))?;
        let is_template = name.ends_with(".html") || BUILTIN_ASSETS.iter().any(|(n, _)| *n == name);
        if name.starts_with('.') || kind.is_dir() || !is_template {
            continue;
        }
        let shown = format!("{folder}/{name}");
        let bytes = access::resolve_within(&root, &dir.join(&name))
            .and_then(|path| access::read_resolved(&path, MAX_TEMPLATE_BYTES))
            .map_err(|refusal| refused(&shown, &refusal))?;
        let text = String::from_utf8(bytes).map_err(|_| TemplateError {
            template: shown.clone(),
            line: None,
            cause: "this file is not valid UTF-8 text".to_owned(),
        })?;
        overrides.push((name, text));
    }
    Ok(overrides)
}

/// The work one page may take, in minijinja's fuel (about one instruction, or 64
/// bytes of data made). Measured with the built-in templates: an index page of 500
/// claims takes 46,779 (349 KB), a claim page 3,200 (44 KB), the page of a source or
/// entity, whose lists are bounded, under 4,000, a page of a full list 24,000, and a
/// claim with 2,000 evidence items 178,054 (1 MB, about 6 bytes a unit). The budget is
/// over 400 times the largest paged page and more than a page of [`MAX_PAGE_BYTES`]
/// of built-in output takes, so an honest page meets the size cap first; a template
/// that runs away (a loop inside a loop over `range`) stops within about 4 seconds of
/// one core even in a debug build.
pub const FUEL_PER_PAGE: u64 = 20_000_000;

/// The most bytes one page may produce: far above any page of the built-in templates
/// (their lists are bounded; a claim would need over 100,000 evidence items to come
/// near), and low enough that a runaway page fails before it fills memory.
pub const MAX_PAGE_BYTES: usize = 64 << 20;

/// How deeply macros, includes and blocks may nest: a template that calls or includes
/// itself ends with an error here instead of exhausting the stack of the thread that
/// renders it. The built-in templates nest a handful of levels.
const RECURSION_LIMIT: usize = 100;

fn set_limits(env: &mut Environment<'static>) {
    env.set_fuel(Some(FUEL_PER_PAGE));
    env.set_recursion_limit(RECURSION_LIMIT);
}

/// Renders the template `name` as one page, within the limits above. Running out of
/// either is a [`TemplateError`] that names the template and the limit.
pub fn render_page(
    env: &Environment<'static>,
    name: &str,
    ctx: minijinja::Value,
) -> Result<Vec<u8>, TemplateError> {
    let mut out = Capped {
        bytes: Vec::new(),
        over: false,
    };
    let rendered = env
        .get_template(name)
        .and_then(|t| t.render_captured_to(ctx, &mut out).map(drop));
    match rendered {
        Ok(()) => Ok(out.bytes),
        Err(err) => {
            let mut error = TemplateError::from_minijinja(&err, name);
            if out.over {
                error.cause = format!(
                    "the page grew past {} MiB, the most one page may produce (a limit that stops a template that never ends)",
                    MAX_PAGE_BYTES >> 20
                );
            } else if in_chain(&err, |e| e.kind() == minijinja::ErrorKind::OutOfFuel) {
                error.cause = format!(
                    "the page took more than {FUEL_PER_PAGE} steps, the most one page may take (a limit that stops a template that never ends): look for a loop that runs too often"
                );
            } else if in_chain(&err, |e| e.detail() == Some("recursion limit exceeded")) {
                error.cause = format!(
                    "macros, includes and blocks nest more than {RECURSION_LIMIT} levels deep, the most one page may use (a limit that stops a macro or include that calls itself): {}",
                    error.cause
                );
            }
            Err(error)
        }
    }
}

/// Whether `err` or an error it comes from passes `test`: an error inside an include
/// arrives wrapped in the include's.
fn in_chain(err: &minijinja::Error, test: impl Fn(&minijinja::Error) -> bool) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if e.downcast_ref::<minijinja::Error>().is_some_and(&test) {
            return true;
        }
        current = e.source();
    }
    false
}

/// A page being written, refused past [`MAX_PAGE_BYTES`].
struct Capped {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + data.len() > MAX_PAGE_BYTES {
            self.over = true;
            return Err(std::io::Error::other("the page is over the size limit"));
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `text | truncate(n)`: at most `n` columns of display width (a Chinese character
/// takes two), ending in `…` when cut: the same cut as the terminal's.
fn truncate(text: &str, length: Option<usize>) -> String {
    crate::terminal::truncate(text, length.unwrap_or(80).max(1))
}

fn add(env: &mut Environment<'static>, name: String, source: String) -> Result<()> {
    let shown = name.clone();
    env.add_template_owned(name, source)
        .map_err(|err| TemplateError::from_minijinja(&err, &shown).into())
}

/// Writes the built-in templates and static files into `dir` for editing, refusing to
/// overwrite anything already there (a dangling link included): every name is checked
/// before any file is written. Returns the files written.
pub fn write_builtins(dir: &Path) -> Result<Vec<String>> {
    let all: Vec<(&str, &[u8])> = BUILTIN_TEMPLATES
        .iter()
        .chain(BUILTIN_ASSETS.iter())
        .map(|(name, text)| (*name, text.as_bytes()))
        .collect();
    let existing = crate::confine::occupied(dir, all.iter().map(|(name, _)| *name));
    if !existing.is_empty() {
        anyhow::bail!(
            "{} already has {}; move them away first (nothing was written)",
            dir.display(),
            existing.join(", ")
        );
    }
    crate::confine::write_new(dir, &all)?;
    Ok(all.iter().map(|(name, _)| (*name).to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::truncate;
    use crate::terminal::display_width;

    #[test]
    fn truncate_cuts_by_display_width() {
        assert_eq!(truncate("short", Some(80)), "short");
        assert_eq!(truncate("abcdefghij", Some(5)), "abcd…");
        // A Chinese character takes two columns: nine columns hold four and the `…`.
        let title = "乌鲁木齐市公安局视频监控系统建设项目招标公告及技术要求说明书";
        let cut = truncate(title, Some(9));
        assert_eq!(cut, "乌鲁木齐…");
        assert!(display_width(&cut) <= 9);
        assert_eq!(truncate("乌鲁木齐", Some(8)), "乌鲁木齐");
        assert!(display_width(&truncate(&title.repeat(10), None)) <= 80);
    }
}
