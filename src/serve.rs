//! `corroborate serve`: the report on 127.0.0.1 while the researcher edits. A watcher
//! rebuilds when a data file, a template or the settings change; only changed files are
//! parsed again and only pages whose inputs changed are rendered again; the pages live
//! in memory and the browser reloads itself. Data errors show in the page and on the
//! terminal instead of stopping the server.

use crate::diagnostics::{self};
use crate::load::{CONFIG_FILE, FileCache};
use crate::site::{self, PageCache, templates};
use anyhow::{Context, Result};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Where the live-reload script and the version counter are served.
const LIVE_PREFIX: &str = "/__corroborate/";
const LIVE_SCRIPT: &str = r#"(function () {
  var seen = null;
  function poll() {
    fetch("/__corroborate/version", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (v) { if (seen === null) { seen = v; } else if (v !== seen) { location.reload(); } })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 700); });
  }
  poll();
}());
"#;

#[derive(Clone, Debug)]
pub struct Options {
    pub port: u16,
    /// Show sensitive material too (an internal preview).
    pub include_sensitive: bool,
    /// How often to look for changes.
    pub poll: Duration,
}

/// What the server shows: the pages, or the problems that stopped the last build.
#[derive(Default)]
struct State {
    version: u64,
    pages: PageCache,
    problems: Option<String>,
}

/// Builds, then serves until the process is stopped.
pub fn serve(root: &Path, options: &Options) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", options.port)).map_err(|err| {
        if err.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "port {} on 127.0.0.1 is already in use (another `corroborate serve`?); choose another with --port",
                options.port
            )
        } else {
            anyhow::Error::new(err).context(format!("cannot listen on 127.0.0.1:{}", options.port))
        }
    })?;
    let address = listener
        .local_addr()
        .context("cannot read the server's address")?;
    let state = Arc::new(RwLock::new(State::default()));
    let mut builder = Builder::new(root, options.include_sensitive);
    builder.rebuild(&state);
    eprintln!("serving http://{address}/ (rebuilds on every change; Ctrl-C to stop)");

    let watched_state = Arc::clone(&state);
    let poll = options.poll;
    std::thread::Builder::new()
        .name("watcher".into())
        .spawn(move || {
            let mut signature = builder.signature();
            loop {
                std::thread::sleep(poll);
                let now = builder.signature();
                if now != signature {
                    signature = now;
                    builder.rebuild(&watched_state);
                }
            }
        })
        .context("cannot start the file watcher")?;

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = Arc::clone(&state);
        let _ = std::thread::Builder::new()
            .name("request".into())
            .spawn(move || {
                let _ = respond(stream, &state);
            });
    }
    Ok(())
}

/// Rebuilds the site, keeping what it can from the last time.
struct Builder {
    root: PathBuf,
    include_sensitive: bool,
    files: FileCache,
    pages: Option<PageCache>,
}

impl Builder {
    fn new(root: &Path, include_sensitive: bool) -> Self {
        Builder {
            root: root.to_path_buf(),
            include_sensitive,
            files: FileCache::default(),
            pages: None,
        }
    }

    /// A hash of the names, sizes and times of everything a build reads.
    fn signature(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        let config = crate::load::load_config(&self.root).unwrap_or_default();
        for path in [
            self.root.join(CONFIG_FILE),
            self.root.join(&config.data),
            self.root.join(&config.templates),
        ] {
            hash_tree(&path, &mut hasher, 0);
        }
        hasher.finish()
    }

    fn rebuild(&mut self, state: &RwLock<State>) {
        let started = Instant::now();
        let problems = match self.try_rebuild() {
            Ok((pages, rendered, total)) => {
                eprintln!(
                    "built in {} ms: {rendered} of {total} pages rendered, the rest unchanged",
                    started.elapsed().as_millis()
                );
                self.pages = Some(pages);
                None
            }
            Err(problems) => {
                eprintln!("{problems}");
                Some(problems)
            }
        };
        if let Ok(mut state) = state.write() {
            if let Some(pages) = &self.pages {
                state.pages = pages.clone();
            }
            state.problems = problems;
            state.version += 1;
        }
    }

    /// The new pages, or the text of what went wrong.
    fn try_rebuild(&mut self) -> Result<(PageCache, usize, usize), String> {
        let checked = crate::check::check_with(&self.root, Some(&self.files))
            .map_err(|err| format!("error: {err:#}"))?;
        let errors = checked.error_diagnostics();
        if !errors.is_empty() {
            return Err(format!(
                "{}the data has {} error(s); the page shows them until they are fixed",
                diagnostics::render_human(&errors, &checked.repo.texts),
                errors.len()
            ));
        }
        // Warnings are listed by `check`; here they would bury the news of each rebuild.
        let warnings = checked.warnings();
        if warnings > 0 {
            eprintln!("{warnings} warning(s); `corroborate check` lists them");
        }
        let templates = templates::load(&self.root, &checked.repo.config.templates)
            .map_err(|err| format!("error: {err:#}"))?;
        let options = site::Options {
            include_sensitive: self.include_sensitive,
            ..site::Options::default()
        };
        let timer = Instant::now();
        let previous = self.pages.take().unwrap_or_default();
        let rendering =
            site::render_site(&checked, &templates, &options, Some(&previous), &|_, _| {
                Ok(())
            })
            .map_err(|err| format!("error: {err:#}"))?;
        if std::env::var_os("CORROBORATE_TIMINGS").is_some() {
            eprintln!("render: {} ms", timer.elapsed().as_millis());
        }
        Ok((rendering.cache, rendering.rendered, rendering.pages))
    }
}

fn hash_tree(path: &Path, hasher: &mut DefaultHasher, depth: usize) {
    let Ok(meta) = std::fs::metadata(path) else {
        path.hash(hasher);
        return;
    };
    path.hash(hasher);
    meta.len().hash(hasher);
    meta.modified().ok().hash(hasher);
    if meta.is_dir() && depth < 32 {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        children.sort();
        for child in children {
            hash_tree(&child, hasher, depth + 1);
        }
    }
}

fn respond(stream: TcpStream, state: &RwLock<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read and ignore the headers, within reason.
    let mut header = String::new();
    for _ in 0..100 {
        header.clear();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or("/");
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return send(
            &mut out,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            method == "HEAD",
        );
    }
    let head = method == "HEAD";
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if let Some(live) = path.strip_prefix(LIVE_PREFIX) {
        let version = state.read().map(|s| s.version).unwrap_or(0);
        return match live {
            "version" => send(
                &mut out,
                "200 OK",
                "text/plain; charset=utf-8",
                version.to_string().as_bytes(),
                head,
            ),
            "live.js" => send(
                &mut out,
                "200 OK",
                "text/javascript; charset=utf-8",
                LIVE_SCRIPT.as_bytes(),
                head,
            ),
            _ => send(
                &mut out,
                "404 Not Found",
                "text/plain; charset=utf-8",
                b"not found\n",
                head,
            ),
        };
    }
    let Some(rel) = site_path(path) else {
        return send(
            &mut out,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad path\n",
            head,
        );
    };
    let (problems, page) = match state.read() {
        Ok(state) => (state.problems.clone(), state.pages.get(&rel)),
        Err(_) => (Some("the server's state is unavailable".to_owned()), None),
    };
    let html_page = rel.ends_with(".html");
    if let (Some(problems), true) = (problems, html_page) {
        return send(
            &mut out,
            "200 OK",
            "text/html; charset=utf-8",
            problem_page(&problems).as_bytes(),
            head,
        );
    }
    match page {
        Some(bytes) if html_page => {
            let body = with_live_reload(&bytes);
            send(&mut out, "200 OK", "text/html; charset=utf-8", &body, head)
        }
        Some(bytes) => send(&mut out, "200 OK", content_type(&rel), &bytes, head),
        None => send(&mut out, "404 Not Found", "text/html; charset=utf-8", b"<!doctype html><title>Not found</title><p>No such page. <a href=\"/index.html\">Back to the claims</a>.</p>", head),
    }
}

/// The site file a URL path names: `/` is `index.html`; nothing outside the site.
fn site_path(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part if part.contains('\\') || part.contains('\0') => return None,
            part => parts.push(part),
        }
    }
    if parts.is_empty() || decoded.ends_with('/') {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn with_live_reload(html: &[u8]) -> Vec<u8> {
    let tag = b"<script src=\"/__corroborate/live.js\"></script>";
    let marker = b"</body>";
    match html.windows(marker.len()).rposition(|w| w == marker) {
        Some(at) => [&html[..at], tag.as_slice(), &html[at..]].concat(),
        None => [html, tag.as_slice()].concat(),
    }
}

fn problem_page(problems: &str) -> String {
    let escaped = problems
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Problems in the data · corroborate</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}pre{{background:#fff8c5;color:#3b2300;padding:1rem;overflow:auto;white-space:pre-wrap}}</style></head>\
         <body><h1>The report cannot be built yet</h1><p>Fix these problems and save; this page reloads by itself.</p><pre>{escaped}</pre>\
         <script src=\"/__corroborate/live.js\"></script></body></html>\n"
    )
}

fn send(
    out: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head {
        out.write_all(body)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/"), Some("index.html".into()));
        assert_eq!(site_path("/claims/a.html"), Some("claims/a.html".into()));
        assert_eq!(site_path("/claims/"), Some("claims/index.html".into()));
        assert_eq!(site_path("/%63laims/a.html"), Some("claims/a.html".into()));
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/%2e%2e/etc/passwd"), None);
        assert_eq!(site_path("/a%5cb"), None);
        assert_eq!(site_path("/%zz"), None);
    }

    #[test]
    fn the_live_reload_script_goes_before_the_end_of_the_body() {
        assert_eq!(
            with_live_reload(b"<body>x</body></html>"),
            b"<body>x<script src=\"/__corroborate/live.js\"></script></body></html>".to_vec()
        );
    }
}
