//! A real browser: headless Chromium, driven over WebDriver by chromedriver, opens the
//! built site from disk, uses the claims filter and the search, saves screenshots,
//! fails on any JavaScript error, and runs axe-core on every kind of page in the light
//! and the dark colour scheme, so that the report stays readable by everyone.
//!
//! They need tools that `cargo test` cannot assume, so they are `#[ignore]`d: a plain
//! `cargo test` lists them as ignored instead of passing them unrun. `.ci/run` installs
//! Debian's chromium and chromium-driver and axe-core (npm) and runs them with
//! `cargo test -- --include-ignored`; by hand, after the same installs:
//! `cargo test -- --ignored browser::`. Run that way, a missing tool fails the test.

use crate::site::build_into;
use crate::support::Scratch;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// Where `.ci/run` installs axe-core: `npm install --no-save --prefix target/axe axe-core@4`.
const AXE: &str = "target/axe/node_modules/axe-core/axe.min.js";
/// The rules axe-core checks: WCAG 2.1 A and AA, and its best practices.
const AXE_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// A minimal WebDriver client: JSON over HTTP/1.1 on loopback.
pub(crate) struct Driver {
    port: u16,
    session: String,
    process: Child,
    _profile: tempfile::TempDir,
}

fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver answers");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("request sent");
    let mut reader = BufReader::new(stream);
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("response header");
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut bytes = Vec::new();
    match length {
        Some(n) => {
            bytes.resize(n, 0);
            reader.read_exact(&mut bytes).expect("response body");
        }
        None => {
            reader.read_to_end(&mut bytes).expect("response body");
        }
    }
    serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "chromedriver sent no JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    })
}

impl Driver {
    pub(crate) fn start() -> Driver {
        for tool in [CHROMEDRIVER, CHROMIUM] {
            assert!(
                Path::new(tool).exists(),
                "{tool} is missing: the browser tests need `apt-get install chromium chromium-driver` (.ci/run installs them)"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("addr")
            .port();
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().expect("profile folder");
        // `--allow-file-access-from-files`: axe-core reads the style sheets of a page
        // opened from disk to check them, which a file:// page may not do by default.
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--window-size=1280,1600", "--allow-file-access-from-files",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let mut driver = Driver {
            port,
            session: String::new(),
            process,
            _profile: profile,
        };
        let answer = http(port, "POST", "/session", Some(&capabilities));
        driver.session = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_owned();
        driver
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let answer = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        );
        if answer["value"]["error"].is_string() {
            panic!("WebDriver {method} {path}: {answer}");
        }
        answer["value"].clone()
    }

    pub(crate) fn open(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
        self.wait_until_ready(url);
    }

    /// Runs `script`, which starts something on the page (an input, a click), and waits
    /// until the page is done with it: the chunks of the index it needs are loaded by
    /// script tags, after the script returns.
    pub(crate) fn act(&self, script: &str) {
        self.script(script);
        self.wait_until_ready(script);
    }

    pub(crate) fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Runs `script` as an asynchronous script: it ends by calling its last argument
    /// with the value to return.
    pub(crate) fn script_async(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Waits until the page's script says it is done (`data-corroborate="ready"`),
    /// then fails on any error it logged.
    fn wait_until_ready(&self, what: &str) {
        self.wait_for(
            "return document.documentElement.getAttribute('data-corroborate') === 'ready';",
            what,
        );
        self.assert_no_errors(what);
    }

    fn wait_for(&self, script: &str, what: &str) {
        let started = Instant::now();
        while self.script(script) != Value::Bool(true) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "timed out waiting on {what}: {script}; browser log: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self) -> Value {
        self.call("POST", "/se/log", Some(json!({"type": "browser"})))
    }

    /// Fails on any error the page logged: an uncaught exception, a failed load.
    fn assert_no_errors(&self, url: &str) {
        let log = self.log();
        let errors: Vec<&Value> = log
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .collect();
        assert!(errors.is_empty(), "JavaScript errors on {url}: {errors:#?}");
    }

    pub(crate) fn screenshot(&self, path: &Path) {
        let data = self.call("GET", "/screenshot", None);
        let png = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            data.as_str().expect("base64 screenshot"),
        )
        .expect("base64 screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(path, png).expect("screenshot saved");
    }

    /// Makes the pages it opens from now on see `prefers-color-scheme: scheme`, through
    /// the DevTools protocol that chromedriver passes on.
    fn prefer_color_scheme(&self, scheme: &str) {
        self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": "Emulation.setEmulatedMedia", "params": {
                "features": [{"name": "prefers-color-scheme", "value": scheme}]
            }})),
        );
    }

    /// Runs axe-core (its source in `axe`) on the open page: one line per violation,
    /// with its rule, impact and the elements that break it.
    fn accessibility_violations(&self, axe: &str) -> Vec<String> {
        self.call("POST", "/timeouts", Some(json!({"script": 120_000})));
        self.script(&format!("{axe}\nreturn true;"));
        let script = format!(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}, resultTypes: ['violations']}})
               .then(r => done(r.violations.map(v => `${{v.id}} (${{v.impact}}): ${{v.help}}; on ${{v.nodes.map(n => n.target.join(' ')).join(', ')}}`)))
               .catch(e => done([`axe-core failed: ${{e}}`]));",
            tags = json!(AXE_TAGS)
        );
        let found = self.call(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        );
        serde_json::from_value(found.clone()).unwrap_or_else(|_| panic!("axe-core: {found}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = std::panic::catch_unwind(|| {
                http(
                    self.port,
                    "DELETE",
                    &format!("/session/{}", self.session),
                    None,
                )
            });
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub(crate) fn screenshots_folder() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

#[test]
#[ignore = "needs chromium, chromium-driver and axe-core; run with .ci/run, or: cargo test -- --ignored browser::"]
fn the_site_works_in_a_real_browser() {
    let driver = Driver::start();
    let out = Scratch::new();
    let site = out.path().join("site");
    build_into(Path::new(env!("CARGO_MANIFEST_DIR")), &site);
    let base = format!("file://{}", site.display());

    // The index: the filters appear, and filtering by evidence balance works.
    driver.open(&format!("{base}/index.html"));
    let order = "return Array.from(document.querySelectorAll('#claims-table tbody tr'), r => r.getAttribute('data-id'));";
    let built = driver.script(order);
    assert_eq!(
        driver.script("return document.getElementById('claim-filters').hidden;"),
        Value::Bool(false)
    );
    let rows = "return document.querySelectorAll('#claims-table tbody tr').length;";
    assert_eq!(driver.script(rows), json!(8));
    driver.act("const s = document.querySelector('select[name=balance]'); s.value = 'contradicted'; s.dispatchEvent(new Event('input', {bubbles: true}));");
    assert_eq!(driver.script(rows), json!(1));
    assert_eq!(
        driver.script(
            "return document.querySelector('#claims-table tbody tr').getAttribute('data-id');"
        ),
        json!("hikvision-only-product-provider")
    );
    // With no filter left, the page's own rows are back, in their order.
    driver.act("const s = document.querySelector('select[name=balance]'); s.value = ''; s.dispatchEvent(new Event('input', {bubbles: true}));");
    assert_eq!(driver.script(order), built, "the page's rows are back");
    assert_eq!(
        driver.script("return document.querySelector('.filter-status').textContent;"),
        json!("")
    );
    driver.act("document.querySelector('th[data-sort=statement] button').click();");
    assert_eq!(driver.script(rows), json!(8));
    // The script lists every tag and every entity a claim names (they are not in the
    // page's HTML), and filtering by them works.
    let export = crate::support::corroborate(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["export", "--format", "json"],
    );
    let data: Value = serde_json::from_str(&export.stdout).expect("export is JSON");
    let claims = data["claims"].as_array().expect("claims");
    let mut tags: Vec<&str> = claims
        .iter()
        .flat_map(|c| c["tags"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    tags.sort_unstable();
    tags.dedup();
    assert_eq!(
        driver.script("return Array.from(document.querySelectorAll('select[name=tag] option')).map(o => o.value).filter(Boolean);"),
        json!(tags)
    );
    let mut named: Vec<&str> = claims
        .iter()
        .flat_map(|c| {
            c["claimant"].as_str().into_iter().chain(
                c["about"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            )
        })
        .collect();
    named.sort_unstable();
    named.dedup();
    let mut offered: Vec<String> = serde_json::from_value(driver.script("return Array.from(document.querySelectorAll('select[name=entity] option')).map(o => o.value).filter(Boolean);")).expect("ids");
    offered.sort_unstable();
    assert_eq!(offered, named);
    let procurement = claims
        .iter()
        .filter(|c| {
            c["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == "procurement"))
        })
        .count();
    driver.act("const s = document.querySelector('select[name=tag]'); s.value = 'procurement'; s.dispatchEvent(new Event('input', {bubbles: true}));");
    assert_eq!(driver.script(rows), json!(procurement));
    driver.act("const s = document.querySelector('select[name=tag]'); s.value = ''; s.dispatchEvent(new Event('input', {bubbles: true}));");
    assert_eq!(driver.script(rows), json!(8));
    driver.assert_no_errors("index.html after filtering and sorting");
    driver.screenshot(&screenshots_folder().join("index.png"));

    // The search finds a claim from the words of its statement.
    driver.open(&format!(
        "{base}/search.html?q=nothing%20more%20than%20a%20product%20provider"
    ));
    let hrefs = driver.script("return Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href'));");
    assert!(
        hrefs
            .as_array()
            .expect("list")
            .contains(&json!("claims/hikvision-only-product-provider.html")),
        "{hrefs}"
    );
    driver.screenshot(&screenshots_folder().join("search.png"));

    // A claim page, with both columns and the picture.
    driver.open(&format!(
        "{base}/claims/hikvision-only-product-provider.html"
    ));
    assert_eq!(
        driver.script(
            "return document.querySelectorAll('.column-contradicts article.evidence').length;"
        ),
        json!(6)
    );
    assert_eq!(
        driver.script("return document.querySelector('figure.picture svg') !== null;"),
        Value::Bool(true)
    );
    driver.screenshot(&screenshots_folder().join("claim.png"));

    // A source page and an entity page load without errors too.
    driver.open(&format!(
        "{base}/sources/ipvm-hikvision-xinjiang-analysis.html"
    ));
    driver.open(&format!("{base}/entities/hikvision.html"));
}

#[test]
#[ignore = "needs chromium, chromium-driver and axe-core; run with .ci/run, or: cargo test -- --ignored browser::"]
fn a_script_error_would_be_caught() {
    let driver = Driver::start();
    let out = Scratch::new();
    std::fs::write(
        out.path().join("broken.html"),
        "<!doctype html><title>x</title><script>undefinedFunction();</script>",
    )
    .expect("page");
    driver.call(
        "POST",
        "/url",
        Some(json!({"url": format!("file://{}/broken.html", out.path().display())})),
    );
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        driver.assert_no_errors("broken.html")
    }));
    assert!(
        caught.is_err(),
        "the error check must fail on a page that throws"
    );
}

/// No script from the data runs: every naughty string is in the site, and every page
/// loads without an alert, without `window.__xss` being set and without a script error.
#[test]
#[ignore = "needs chromium, chromium-driver and axe-core; run with .ci/run, or: cargo test -- --ignored browser::"]
fn naughty_strings_never_run_in_the_browser() {
    let driver = Driver::start();
    let repo = crate::site::naughty_repository();
    let site = repo.path().join("site");
    build_into(repo.path(), &site);
    let base = format!("file://{}", site.display());
    // Every page of the site, and the search page with queries that match the vectors.
    let mut pages = vec![
        "search.html?q=script".to_owned(),
        "search.html?q=%3Cimg".to_owned(),
        "search.html?q=alert".to_owned(),
    ];
    for folder in ["", "claims/", "sources/", "entities/"] {
        let mut names: Vec<String> = std::fs::read_dir(site.join(folder))
            .expect("site folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html"))
            .collect();
        names.sort();
        pages.extend(names.into_iter().map(|n| format!("{folder}{n}")));
    }
    assert!(pages.len() > 3 * crate::site::naughty_strings().len());
    for page in &pages {
        driver.open(&format!("{base}/{page}"));
        let alert = http(
            driver.port,
            "GET",
            &format!("/session/{}/alert/text", driver.session),
            None,
        );
        assert!(
            alert["value"]["error"] == "no such alert",
            "{page}: a dialog opened: {alert}"
        );
        assert_eq!(
            driver.script("return window.__xss === undefined;"),
            Value::Bool(true),
            "{page}: a script from the data ran"
        );
    }
    // Filtering renders rows from the index with textContent: still nothing runs.
    driver.open(&format!("{base}/index.html"));
    driver.act("const s = document.querySelector('select[name=verdict]'); s.value = 'unproven'; s.dispatchEvent(new Event('input', {bubbles: true}));");
    // The first 50 of them are shown, with a button for the next.
    assert_eq!(driver.script("return window.__xss === undefined && document.querySelectorAll('#claims-table tbody tr').length === 50 && parseInt(document.querySelector('.filter-status').textContent, 10) > 400;"), Value::Bool(true), "{}", driver.script("return document.querySelector('.filter-status').textContent;"));
    driver.act("document.querySelector('button.more-results').click();");
    assert_eq!(driver.script("return window.__xss === undefined && document.querySelectorAll('#claims-table tbody tr').length === 100;"), Value::Bool(true));
    driver.assert_no_errors("index.html after filtering");
    driver.screenshot(&screenshots_folder().join("naughty-index.png"));
}

/// The example case and, to make the pages it lacks, 501 more claims about Hikvision:
/// a second page of the index and a full list of the claims about an entity, in pages.
fn every_kind_of_page() -> Scratch {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = Scratch::new();
    repo.write(
        "corroborate.yaml",
        std::fs::read(manifest.join("corroborate.yaml")).expect("settings"),
    );
    // The example case: its data and the local copies its sources pin.
    let mut folders = vec![PathBuf::from("claims"), PathBuf::from("evidence")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(manifest.join(&folder)).expect("example case") {
            let path = folder.join(entry.expect("entry").file_name());
            if manifest.join(&path).is_dir() {
                folders.push(path);
            } else {
                repo.write(
                    path.to_str().expect("utf-8 path"),
                    std::fs::read(manifest.join(&path)).expect("data file"),
                );
            }
        }
    }
    let mut many = String::from("claims:\n");
    for i in 0..501 {
        many.push_str(&format!(
            "  - id: many-{i:03}\n    statement: Claim number {i} about Hikvision.\n    about: [hikvision]\n"
        ));
    }
    repo.write("claims/many.yaml", many);
    repo
}

/// axe-core finds nothing on any kind of page, in either colour scheme: WCAG 2.1 A and
/// AA and axe's best practices, with the page as a reader sees it once its script ran.
#[test]
#[ignore = "needs chromium, chromium-driver and axe-core; run with .ci/run, or: cargo test -- --ignored browser::"]
fn every_kind_of_page_passes_axe_in_light_and_dark() {
    let axe_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(AXE);
    let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: install axe-core with `npm install --no-save --prefix target/axe axe-core@4` (.ci/run does)",
            axe_path.display()
        )
    });
    let driver = Driver::start();
    let repo = every_kind_of_page();
    let site = repo.path().join("site");
    build_into(repo.path(), &site);
    let base = format!("file://{}", site.display());
    let pages = [
        "index.html",
        "index-2.html",
        "search.html?q=hikvision",
        "sources.html",
        "entities.html",
        "claims/hikvision-only-product-provider.html",
        "claims/many-000.html",
        "sources/ipvm-hikvision-xinjiang-analysis.html",
        "entities/hikvision.html",
        "lists/hikvision.about.html",
        "lists/hikvision.about-2.html",
    ];
    // Every page at the top and every folder of pages is among them, so that a new kind
    // of page cannot go unchecked.
    for entry in std::fs::read_dir(&site).expect("site") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        let covered = if site.join(&*name).is_dir() {
            // A folder without pages (the search index's scripts) has nothing to check.
            let has_pages = std::fs::read_dir(site.join(&*name))
                .expect("folder")
                .any(|e| {
                    e.expect("entry")
                        .file_name()
                        .to_string_lossy()
                        .ends_with(".html")
                });
            !has_pages || pages.iter().any(|p| p.starts_with(&format!("{name}/")))
        } else {
            !name.ends_with(".html") || pages.iter().any(|p| p.split('?').next() == Some(&name))
        };
        assert!(covered, "the accessibility check opens no page of {name}");
    }
    let mut violations = Vec::new();
    for scheme in ["light", "dark"] {
        driver.prefer_color_scheme(scheme);
        for page in pages {
            driver.open(&format!("{base}/{page}"));
            assert_eq!(
                driver.script("return matchMedia('(prefers-color-scheme: dark)').matches;"),
                Value::Bool(scheme == "dark"),
                "{page}: the colour scheme is not {scheme}"
            );
            for violation in driver.accessibility_violations(&axe) {
                violations.push(format!("{page} ({scheme}): {violation}"));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "axe-core found {} violation(s):\n{}",
        violations.len(),
        violations.join("\n")
    );
}
