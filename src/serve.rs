//! `corroborate serve`: the report on 127.0.0.1 while the researcher edits. A watcher
//! rebuilds when a data file, a template or the settings change; only changed files are
//! parsed again and only pages whose inputs changed are rendered again; the pages live
//! in memory and the browser reloads itself. Data errors show in the page and on the
//! terminal instead of stopping the server.
//!
//! The HTTP side is small and strict, because any page the researcher has open in the
//! browser can make requests to 127.0.0.1 (and, by rebinding its own name to it, read the
//! answers): only requests addressed to this server's own `Host` are answered; a request
//! head has 8 KiB for its line and 8 KiB for its headers and 10 s to arrive in full;
//! a fixed pool of threads answers; anything malformed gets a 400, never a silent close.
//!
//! Why `httparse` and not `tiny_http`: tiny_http 0.12 reads a request line or header line
//! until CRLF without any bound (its issue #56, open since 2015), sets no read timeout on
//! the connections it accepts, and its task pool starts a new thread whenever none is
//! free, so it can meet none of the three limits. httparse only parses a buffer it is
//! given; here one thread reads every connection's head without blocking, into a buffer
//! that cannot grow past the limits, and cuts it at its deadline, so the limits are ours
//! and an idle or trickling connection never holds one of the answering threads.

use crate::diagnostics::{self};
use crate::load::FileCache;
use crate::site::{self, PageCache, templates};
use anyhow::{Context, Result};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock};
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

    let port = address.port();
    let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUED);
    let queue = Arc::new(Mutex::new(queue));
    for n in 0..WORKERS {
        let queue = Arc::clone(&queue);
        let state = Arc::clone(&state);
        std::thread::Builder::new()
            .name(format!("request-{n}"))
            .spawn(move || work(&queue, &state, port))
            .context("cannot start the threads that answer requests")?;
    }
    gather(&listener, &jobs)
}

/// Rebuilds the site, keeping what it can from the last time.
struct Builder {
    root: PathBuf,
    include_sensitive: bool,
    files: FileCache,
    pages: Option<PageCache>,
    /// The local copies (`file`) that the last check named.
    evidence: Vec<String>,
}

impl Builder {
    fn new(root: &Path, include_sensitive: bool) -> Self {
        Builder {
            root: root.to_path_buf(),
            include_sensitive,
            files: FileCache::default(),
            pages: None,
            evidence: Vec::new(),
        }
    }

    /// A hash of the names, sizes and times of everything a build reads: exactly the
    /// loader's files ([`crate::load::inputs`]), so a link loop or a link out of the
    /// repository is never walked, plus the local copies the last check named (so
    /// replacing a PDF checks its checksum again).
    fn signature(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        for (name, place) in crate::load::inputs(&self.root, &self.evidence) {
            name.hash(&mut hasher);
            if let Some(meta) = place.and_then(|p| std::fs::metadata(p).ok()) {
                meta.len().hash(&mut hasher);
                meta.modified().ok().hash(&mut hasher);
            }
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
        let checked = crate::check::check_with(&self.root, Some(&self.files), true)
            .map_err(|err| format!("error: {err:#}"))?;
        self.evidence = checked
            .repo
            .sources
            .iter()
            .flat_map(|s| s.copies().map(|copy| copy.path.value.clone()))
            .collect();
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

/// How long a client has for its whole request head to arrive, counted from the moment
/// its connection is accepted, and the server for its whole answer to leave.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// The longest request line (method, target, version), without its CRLF.
const REQUEST_LINE_LIMIT: usize = 8 * 1024;
/// The longest header block: all header lines and the blank line that ends them.
const HEADERS_LIMIT: usize = 8 * 1024;
/// The most of a request head ever read: one byte past what both limits allow, so that
/// `judge` has decided by then.
const HEAD_LIMIT: usize = REQUEST_LINE_LIMIT + 2 + HEADERS_LIMIT + 1;
/// More header fields than this is refused like too long a header block.
const MAX_HEADERS: usize = 64;
/// The threads that answer complete requests; nothing else ever starts one.
const WORKERS: usize = 8;
/// Complete requests waiting for a free thread, beyond which they wait unread.
const QUEUED: usize = 2 * WORKERS;
/// Connections whose head is still arriving; the next one gets a 503 at once.
const MAX_PENDING: usize = 128;
/// How long the reading thread sleeps when no connection had anything new.
const TICK: Duration = Duration::from_millis(5);
/// After refusing a request that was not read in full, how long to read and drop what
/// the client still sends, so that closing does not reset the connection before the
/// client has read the refusal.
const LINGER: Duration = Duration::from_millis(500);

/// A request refused before it reaches the site, with its status and a short reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    BadRequest,
    Timeout,
    LineTooLong,
    HeadersTooLong,
    Busy,
}

impl Refusal {
    fn response(self) -> Response {
        let (status, text) = match self {
            Refusal::BadRequest => ("400 Bad Request", "malformed request".to_owned()),
            Refusal::Timeout => (
                "408 Request Timeout",
                format!(
                    "the request did not arrive within {} s",
                    REQUEST_DEADLINE.as_secs()
                ),
            ),
            Refusal::LineTooLong => (
                "414 URI Too Long",
                format!("the request line is over {} bytes", REQUEST_LINE_LIMIT),
            ),
            Refusal::HeadersTooLong => (
                "431 Request Header Fields Too Large",
                format!(
                    "the request headers are over {} bytes or {} fields",
                    HEADERS_LIMIT, MAX_HEADERS
                ),
            ),
            Refusal::Busy => (
                "503 Service Unavailable",
                "too many connections at once; try again".to_owned(),
            ),
        };
        Response::text(status, &format!("{text}\n"))
    }
}

/// A request head that parsed, with what answering it needs.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    target: String,
    /// The `Host` header; `None` when there is none.
    host: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Answer(Request),
    Refuse(Refusal),
}

/// A connection whose head has been read and judged, for a worker to answer.
struct Job {
    stream: TcpStream,
    verdict: Verdict,
}

/// A connection whose head is still arriving, or that waits for a free worker.
struct Pending {
    stream: TcpStream,
    head: Vec<u8>,
    accepted: Instant,
    verdict: Option<Verdict>,
}

/// Accepts connections and reads their heads, all in this one thread and without
/// blocking on any client, then hands each judged head to the workers.
fn gather(listener: &TcpListener, jobs: &SyncSender<Job>) -> Result<()> {
    let mut pending: Vec<Pending> = Vec::new();
    let mut blocking = true;
    loop {
        // With nothing to read, wait for the next connection; otherwise only look.
        if blocking != pending.is_empty() {
            blocking = pending.is_empty();
            listener
                .set_nonblocking(!blocking)
                .context("cannot switch the listening socket's mode")?;
        }
        let mut progress = false;
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    progress = true;
                    admit(stream, &mut pending);
                    if blocking {
                        break;
                    }
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                Err(_) => {
                    // Out of file descriptors, say: wait, and try again.
                    std::thread::sleep(TICK);
                    break;
                }
            }
        }
        let now = Instant::now();
        for mut connection in std::mem::take(&mut pending) {
            if connection.verdict.is_none() {
                match connection.read_head(now) {
                    Some(read) => progress |= read,
                    None => {
                        progress = true;
                        continue;
                    }
                }
            }
            match connection.verdict.take() {
                None => pending.push(connection),
                Some(verdict) => {
                    let job = Job {
                        stream: connection.stream,
                        verdict,
                    };
                    match jobs.try_send(job) {
                        Ok(()) => progress = true,
                        Err(TrySendError::Full(job)) => pending.push(Pending {
                            stream: job.stream,
                            head: connection.head,
                            accepted: connection.accepted,
                            verdict: Some(job.verdict),
                        }),
                        Err(TrySendError::Disconnected(_)) => {
                            anyhow::bail!("the threads that answer requests have stopped")
                        }
                    }
                }
            }
        }
        if !progress {
            std::thread::sleep(TICK);
        }
    }
}

/// Starts reading a new connection, or refuses it at once when too many are open.
fn admit(stream: TcpStream, pending: &mut Vec<Pending>) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    if pending.len() >= MAX_PENDING {
        // One short write to a fresh socket fits its buffer; the client may not read it.
        let mut stream = stream;
        let _ = stream.write(&Refusal::Busy.response().encode_head_and_body());
        return;
    }
    pending.push(Pending {
        stream,
        head: Vec::new(),
        accepted: Instant::now(),
        verdict: None,
    });
}

impl Pending {
    /// Reads what has arrived and judges the head as soon as it can. `Some(true)` when
    /// bytes arrived, `None` when the connection is gone without having sent anything.
    fn read_head(&mut self, now: Instant) -> Option<bool> {
        let mut arrived = false;
        let mut chunk = [0; 4096];
        while self.verdict.is_none() {
            let room = HEAD_LIMIT.saturating_sub(self.head.len()).min(chunk.len());
            if room == 0 {
                // `judge` decides before this; kept so that no path reads past the limit.
                self.verdict = Some(Verdict::Refuse(Refusal::HeadersTooLong));
                break;
            }
            match self.stream.read(&mut chunk[..room]) {
                Ok(0) if self.head.is_empty() => return None,
                // The client stopped sending in the middle of its head.
                Ok(0) => self.verdict = Some(Verdict::Refuse(Refusal::BadRequest)),
                Ok(n) => {
                    arrived = true;
                    self.head.extend_from_slice(&chunk[..n]);
                    self.verdict = judge(&self.head);
                }
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                Err(_) => return None,
            }
        }
        // One deadline for the whole head, however the bytes trickle in.
        if self.verdict.is_none() && now.duration_since(self.accepted) >= REQUEST_DEADLINE {
            self.verdict = Some(Verdict::Refuse(Refusal::Timeout));
        }
        Some(arrived)
    }
}

/// What to do with the head read so far: `None` while it is incomplete and within the
/// limits. httparse does the parsing; the limits are counted here.
fn judge(head: &[u8]) -> Option<Verdict> {
    let refuse = |refusal| Some(Verdict::Refuse(refusal));
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut fields);
    let parsed = match request.parse(head) {
        Ok(parsed) => parsed,
        Err(httparse::Error::TooManyHeaders) => return refuse(Refusal::HeadersTooLong),
        Err(_) => return refuse(Refusal::BadRequest),
    };
    // The request line ends at the first line end after any empty lines before it (which
    // httparse skips, and which count here as part of the line).
    let start = head
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(head.len());
    let Some(line_end) = head[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|at| start + at)
    else {
        // One byte more than the limit may be the line's CR.
        return (head.len() > REQUEST_LINE_LIMIT + 1)
            .then_some(Verdict::Refuse(Refusal::LineTooLong));
    };
    let line = &head[..line_end];
    if line.strip_suffix(b"\r").unwrap_or(line).len() > REQUEST_LINE_LIMIT {
        return refuse(Refusal::LineTooLong);
    }
    let end = match parsed {
        httparse::Status::Complete(end) => end,
        httparse::Status::Partial => head.len(),
    };
    if end.saturating_sub(line_end + 1) > HEADERS_LIMIT {
        return refuse(Refusal::HeadersTooLong);
    }
    if parsed.is_partial() {
        return None;
    }
    // httparse lets bytes above 0x7f through in header values; nothing here needs them.
    if std::str::from_utf8(&head[..end]).is_err() {
        return refuse(Refusal::BadRequest);
    }
    let (Some(method), Some(target)) = (request.method, request.path) else {
        return refuse(Refusal::BadRequest);
    };
    let mut hosts = request
        .headers
        .iter()
        .filter(|field| field.name.eq_ignore_ascii_case("host"));
    let host = match (hosts.next(), hosts.next()) {
        (None, _) => None,
        (Some(field), None) => match std::str::from_utf8(field.value) {
            Ok(value) => Some(value.to_owned()),
            Err(_) => return refuse(Refusal::BadRequest),
        },
        // Two `Host` headers could each be read differently (RFC 9112, 3.2).
        (Some(_), Some(_)) => return refuse(Refusal::BadRequest),
    };
    Some(Verdict::Answer(Request {
        method: method.to_owned(),
        target: target.to_owned(),
        host,
    }))
}

/// A worker: answers the jobs of the queue, one at a time, until the server stops.
fn work(queue: &Mutex<Receiver<Job>>, state: &RwLock<State>, port: u16) {
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(Job {
            mut stream,
            verdict,
        }) = job
        else {
            return;
        };
        if stream.set_nonblocking(false).is_err() {
            continue;
        }
        let deadline = Instant::now() + REQUEST_DEADLINE;
        match verdict {
            Verdict::Answer(request) => {
                let _ = respond(&request, port, state).send(&mut stream, deadline);
            }
            Verdict::Refuse(refusal) => {
                let _ = refusal.response().send(&mut stream, deadline);
                // The rest of an overlong or malformed request may still be on its way.
                if refusal != Refusal::Timeout {
                    linger(&mut stream);
                }
            }
        }
    }
}

/// Half-closes the connection and drops what the client still sends, for a short while.
fn linger(stream: &mut TcpStream) {
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let until = Instant::now() + LINGER;
    let mut sink = [0; 4096];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// Whether `Host` names this server: 127.0.0.1, localhost or [::1], with its port. A page
/// of another site that rebinds its own name to 127.0.0.1 still sends its own name.
fn is_own_host(host: Option<&str>, port: u16) -> bool {
    let Some((name, given)) = host.and_then(|host| host.rsplit_once(':')) else {
        return false;
    };
    given == port.to_string()
        && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
}

/// The answer to a request that parsed.
fn respond(request: &Request, port: u16, state: &RwLock<State>) -> Response {
    if !is_own_host(request.host.as_deref(), port) {
        return Response::text(
            "421 Misdirected Request",
            "this server answers only requests for 127.0.0.1, localhost or [::1] on its own port\n",
        );
    }
    let method = request.method.as_str();
    if method != "GET" && method != "HEAD" {
        return Response::text("405 Method Not Allowed", "only GET and HEAD\n");
    }
    let head = method == "HEAD";
    let path = request.target.split(['?', '#']).next().unwrap_or("/");
    let response = answer_path(path, state);
    Response { head, ..response }
}

/// The answer for a path of the site or of the live reload.
fn answer_path(path: &str, state: &RwLock<State>) -> Response {
    if let Some(live) = path.strip_prefix(LIVE_PREFIX) {
        let version = state.read().map(|s| s.version).unwrap_or(0);
        return match live {
            "version" => Response::new(
                "200 OK",
                "text/plain; charset=utf-8",
                version.to_string().into_bytes(),
            ),
            "live.js" => Response::new(
                "200 OK",
                "text/javascript; charset=utf-8",
                LIVE_SCRIPT.as_bytes().to_vec(),
            ),
            _ => Response::text("404 Not Found", "not found\n"),
        };
    }
    let Some(rel) = path.starts_with('/').then(|| site_path(path)).flatten() else {
        return Response::text("400 Bad Request", "bad path\n");
    };
    let (problems, page) = match state.read() {
        Ok(state) => (state.problems.clone(), state.pages.get(&rel)),
        Err(_) => (Some("the server's state is unavailable".to_owned()), None),
    };
    let html_page = rel.ends_with(".html");
    if let (Some(problems), true) = (problems, html_page) {
        return Response::new(
            "200 OK",
            "text/html; charset=utf-8",
            problem_page(&problems).into_bytes(),
        );
    }
    match page {
        Some(bytes) if html_page => Response::new(
            "200 OK",
            "text/html; charset=utf-8",
            with_live_reload(&bytes),
        ),
        Some(bytes) => Response {
            status: "200 OK",
            content_type: content_type(&rel),
            body: bytes,
            head: false,
        },
        None => Response::new(
            "404 Not Found",
            "text/html; charset=utf-8",
            b"<!doctype html><title>Not found</title><p>No such page. <a href=\"/index.html\">Back to the claims</a>.</p>".to_vec(),
        ),
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

/// Decodes `%XX` escapes strictly: the percent-encoding crate decodes, but passes a `%`
/// that does not start two hex digits through as it is, so those are refused first.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(at, &byte)| {
        byte != b'%'
            || bytes
                .get(at + 1..at + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
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

/// An answer; every one closes its connection and is neither cached nor sniffed.
struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Arc<Vec<u8>>,
    /// Answering HEAD: the headers of the answer without its body.
    head: bool,
}

impl Response {
    fn new(status: &'static str, content_type: &'static str, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type,
            body: Arc::new(body),
            head: false,
        }
    }

    fn text(status: &'static str, text: &str) -> Self {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    fn encode_head(&self) -> String {
        format!(
            "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len()
        )
    }

    fn encode_head_and_body(&self) -> Vec<u8> {
        let mut bytes = self.encode_head().into_bytes();
        if !self.head {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }

    /// Writes the answer, giving up at `deadline` however slowly the client reads.
    fn send(&self, out: &mut TcpStream, deadline: Instant) -> std::io::Result<()> {
        write_before(out, self.encode_head().as_bytes(), deadline)?;
        if !self.head {
            write_before(out, &self.body, deadline)?;
        }
        out.flush()
    }
}

/// `write_all` with one deadline for the whole of `bytes`, not one per write.
fn write_before(out: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        out.set_write_timeout(Some(left))?;
        match out.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(err) if err.kind() == ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
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
    fn percent_escapes_are_decoded_strictly() {
        assert_eq!(percent_decode("/caf%C3%A9%20x"), Some("/café x".into()));
        assert_eq!(percent_decode("/a%2Fb"), Some("/a/b".into()));
        for bad in [
            "%", "/a%", "/a%4", "/%zz", "/%4g", "/%+4", "/%-1", "/% 1", "/%%41",
        ] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
        // Not UTF-8 once decoded.
        assert_eq!(percent_decode("/%ff"), None);
        assert_eq!(percent_decode("/%c3%28"), None);
        assert_eq!(site_path("/a%00b"), None);
    }

    fn head(line: &str, headers: &str) -> Vec<u8> {
        format!("{line}\r\n{headers}\r\n").into_bytes()
    }

    #[test]
    fn request_heads_are_judged_within_their_limits() {
        let answer = |target: &str, host: Option<&str>| {
            Some(Verdict::Answer(Request {
                method: "GET".into(),
                target: target.into(),
                host: host.map(str::to_owned),
            }))
        };
        assert_eq!(
            judge(&head("GET /a?b HTTP/1.1", "Host: localhost:8000\r\n")),
            answer("/a?b", Some("localhost:8000"))
        );
        assert_eq!(judge(&head("GET / HTTP/1.0", "")), answer("/", None));
        // Incomplete heads wait for more.
        assert_eq!(judge(b"GET / HTTP/1.1\r\nHost: a"), None);
        assert_eq!(judge(b""), None);

        // The request line: 8 KiB without its CRLF is the most.
        let line = |len: usize| format!("GET /{} HTTP/1.1", "a".repeat(len - 14));
        assert_eq!(line(REQUEST_LINE_LIMIT).len(), REQUEST_LINE_LIMIT);
        assert!(matches!(
            judge(&head(&line(REQUEST_LINE_LIMIT), "Host: x\r\n")),
            Some(Verdict::Answer(_))
        ));
        let too_long = Some(Verdict::Refuse(Refusal::LineTooLong));
        assert_eq!(judge(&head(&line(REQUEST_LINE_LIMIT + 1), "")), too_long);
        assert_eq!(judge(line(REQUEST_LINE_LIMIT).as_bytes()), None);
        assert_eq!(judge(line(REQUEST_LINE_LIMIT + 2).as_bytes()), too_long);
        assert_eq!(judge(&b"\r\n".repeat(REQUEST_LINE_LIMIT)), too_long);

        // The header block, with its final blank line: 8 KiB is the most.
        let headers = |len: usize| format!("X: {}\r\n", "b".repeat(len - 7));
        assert_eq!(head("", &headers(HEADERS_LIMIT)).len(), 2 + HEADERS_LIMIT);
        assert!(matches!(
            judge(&head("GET / HTTP/1.1", &headers(HEADERS_LIMIT))),
            Some(Verdict::Answer(_))
        ));
        let too_large = Some(Verdict::Refuse(Refusal::HeadersTooLong));
        assert_eq!(
            judge(&head("GET / HTTP/1.1", &headers(HEADERS_LIMIT + 1))),
            too_large
        );
        assert_eq!(
            judge(&head("GET / HTTP/1.1", &"A: b\r\n".repeat(MAX_HEADERS + 1))),
            too_large
        );
        // Whatever arrives, a verdict is reached by the time the buffer is full.
        for filler in [b'a', b'\n', b' ', b':'] {
            let mut bytes = b"GET / HTTP/1.1\r\nX: ".to_vec();
            bytes.resize(HEAD_LIMIT, filler);
            assert!(judge(&bytes).is_some(), "{filler}");
            assert!(judge(&vec![filler; HEAD_LIMIT]).is_some(), "{filler}");
        }

        let bad = Some(Verdict::Refuse(Refusal::BadRequest));
        assert_eq!(judge(b"\xff\xfe\r\n\r\n"), bad);
        assert_eq!(judge(b"GET /\xff HTTP/1.1\r\n\r\n"), bad);
        assert_eq!(judge(b"GET / HTTP/1.1\r\nX: \xff\r\n\r\n"), bad);
        assert_eq!(judge(b"GET / HTTP/2.0\r\n\r\n"), bad);
        assert_eq!(
            judge(&head("GET / HTTP/1.1", "Host: a\r\nhost: b\r\n")),
            bad
        );
    }

    #[test]
    fn only_the_servers_own_names_and_port_are_its_host() {
        for host in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST:8000",
            "[::1]:8000",
        ] {
            assert!(is_own_host(Some(host), 8000), "{host}");
        }
        for host in [
            "evil.example:8000",
            "127.0.0.1:8001",
            "127.0.0.1:08000",
            "127.0.0.1",
            "localhost",
            "::1:8000",
            "127.0.0.2:8000",
            "localhost.:8000",
            "",
        ] {
            assert!(!is_own_host(Some(host), 8000), "{host}");
        }
        assert!(!is_own_host(None, 8000));
    }

    #[test]
    fn the_live_reload_script_goes_before_the_end_of_the_body() {
        assert_eq!(
            with_live_reload(b"<body>x</body></html>"),
            b"<body>x<script src=\"/__corroborate/live.js\"></script></body></html>".to_vec()
        );
    }
}
