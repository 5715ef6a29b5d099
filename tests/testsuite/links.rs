//! `corroborate links` against web servers on 127.0.0.1: every status FORMAT.md names,
//! redirects (a chain, a loop, one to another host), a page slower than the timeout, a
//! huge body, a server that refuses HEAD, a stand-in for the Wayback Machine's
//! availability API; the limit of requests at once to one host; `--since`; sensitive
//! sources; and proof that `check` and `build` never make a request.

use crate::support::{Scratch, corroborate};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A small web server with fixed pages; it counts what it was asked.
pub struct Server {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    most_at_once: Arc<AtomicUsize>,
}

impl Server {
    /// `other` is the port of another server, for a redirect to another host.
    pub fn start(other: Option<u16>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let port = listener.local_addr().expect("its address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(AtomicUsize::new(0));
        let (log, most) = (Arc::clone(&requests), Arc::clone(&most_at_once));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, most, now) = (Arc::clone(&log), Arc::clone(&most), Arc::clone(&now));
                std::thread::spawn(move || {
                    let running = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(running, Ordering::SeqCst);
                    answer(stream, port, other, &log);
                    now.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Server {
            port,
            requests,
            most_at_once,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn asked(&self) -> Vec<String> {
        self.requests.lock().expect("the log").clone()
    }
}

fn answer(mut stream: TcpStream, port: u16, other: Option<u16>, log: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(64 * 1024)];
    if stream.read_exact(&mut body).is_err() {
        return;
    }
    let form = String::from_utf8_lossy(&body).into_owned();
    let line = head.lines().next().unwrap_or_default().to_owned();
    let mut parts = line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    log.lock()
        .expect("the log")
        .push(format!("{method} {target}"));
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let here = format!("http://127.0.0.1:{port}");
    let reply = |stream: &mut TcpStream, status: &str, headers: &str, body: &str| {
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        if method != "HEAD" {
            let _ = stream.write_all(body.as_bytes());
        }
    };
    match path {
        "/ok" | "/ok2" | "/archived" => reply(&mut stream, "200 OK", "", "a page"),
        "/gone" => reply(&mut stream, "404 Not Found", "", "no"),
        "/removed" => reply(&mut stream, "410 Gone", "", "no"),
        "/fails" => reply(&mut stream, "500 Internal Server Error", "", "no"),
        "/moved" => reply(
            &mut stream,
            "301 Moved Permanently",
            "Location: /moved-again\r\n",
            "",
        ),
        "/moved-again" => reply(
            &mut stream,
            "302 Found",
            &format!("Location: {here}/ok\r\n"),
            "",
        ),
        "/to-file" => reply(
            &mut stream,
            "302 Found",
            "Location: file:///etc/passwd\r\n",
            "",
        ),
        "/loop-a" => reply(&mut stream, "302 Found", "Location: /loop-b\r\n", ""),
        "/loop-b" => reply(&mut stream, "302 Found", "Location: /loop-a\r\n", ""),
        "/elsewhere" => {
            let to = format!(
                "Location: http://localhost:{}/ok\r\n",
                other.unwrap_or(port)
            );
            reply(&mut stream, "302 Found", &to, "");
        }
        "/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            reply(&mut stream, "200 OK", "", "late");
        }
        "/busy" => {
            std::thread::sleep(Duration::from_millis(150));
            reply(&mut stream, "200 OK", "", "ok");
        }
        // Too many requests: the first two askings (a HEAD and its GET), then the page.
        "/limited" if asked_before(log, "/limited") < 2 => reply(
            &mut stream,
            "429 Too Many Requests",
            "Retry-After: 1\r\n",
            "",
        ),
        "/limited" => reply(&mut stream, "200 OK", "", "now"),
        "/limited-long" => reply(
            &mut stream,
            "429 Too Many Requests",
            "Retry-After: 3600\r\n",
            "",
        ),
        "/down" => reply(&mut stream, "503 Service Unavailable", "", ""),
        "/no-head" if method == "HEAD" => reply(&mut stream, "405 Method Not Allowed", "", ""),
        "/no-head" => reply(&mut stream, "200 OK", "", "got it"),
        "/huge" if method == "HEAD" => reply(&mut stream, "403 Forbidden", "", ""),
        "/huge" => {
            // Says 10 GB and sends until the client goes away.
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\nConnection: close\r\n\r\n"
            );
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..160_000 {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        "/wayback/available" => {
            // A capture for the pages that are gone, none for the others.
            let asked = query
                .split('&')
                .find_map(|p| p.strip_prefix("url="))
                .unwrap_or_default()
                .replace("%3A", ":")
                .replace("%2F", "/");
            let stamp = query
                .split('&')
                .find_map(|p| p.strip_prefix("timestamp="))
                .unwrap_or("2020");
            // A full capture time, as the real API gives: the date asked, then the
            // earliest moment of what it leaves out.
            let stamp = format!("{stamp}{}", &"00000101000000"[stamp.len().min(14)..]);
            let body = if asked.contains("/gone") {
                format!(
                    r#"{{"url": "{asked}", "archived_snapshots": {{"closest": {{"status": "200", "available": true, "url": "http://web.archive.org/web/{stamp}/{asked}", "timestamp": "{stamp}"}}}}}}"#
                )
            } else {
                format!(r#"{{"url": "{asked}", "archived_snapshots": {{}}}}"#)
            };
            reply(
                &mut stream,
                "200 OK",
                "Content-Type: application/json\r\n",
                &body,
            );
        }
        "/save" if method == "POST" => {
            log.lock().expect("the log").push(format!("FORM {form}"));
            let body = if form.contains("refused") {
                r#"{"status": "error", "status_ext": "error:blocked-url", "message": "This host has been already captured 0 times today. Please try again tomorrow."}"#.to_owned()
            } else {
                let url = form
                    .split('&')
                    .find_map(|p| p.strip_prefix("url="))
                    .unwrap_or_default();
                format!(r#"{{"url": "{url}", "job_id": "spn2-{}"}}"#, url.len())
            };
            reply(
                &mut stream,
                "200 OK",
                "Content-Type: application/json\r\n",
                &body,
            );
        }
        _ if path.starts_with("/save/status/spn2-") => {
            let body = format!(
                r#"{{"status": "success", "timestamp": "20261201120000", "original_url": "{here}/ok2"}}"#
            );
            reply(
                &mut stream,
                "200 OK",
                "Content-Type: application/json\r\n",
                &body,
            );
        }
        _ => reply(&mut stream, "404 Not Found", "", "no such page"),
    }
}

/// How many requests in `log` asked for `path` (its target, query and all).
fn count_of(log: &[String], path: &str) -> usize {
    log.iter()
        .filter(|line| line.split(' ').nth(1) == Some(path))
        .count()
}

/// How many requests for `path` came before this one.
fn asked_before(log: &Mutex<Vec<String>>, path: &str) -> usize {
    count_of(&log.lock().expect("the log"), path).saturating_sub(1)
}

/// The row of `source`'s URL of `kind` in `links --format json`'s output.
fn row_of(stdout: &str, source: &str, kind: &str) -> serde_json::Value {
    let rows: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
    rows.as_array()
        .expect("an array")
        .iter()
        .find(|r| r["source"] == source && r["kind"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("no {kind} row of {source}: {stdout}"))
}

/// A repository whose sources link to `server`, with a `links` section using it.
pub fn repository(server: &Server, sources: &str, settings: &str) -> Scratch {
    let scratch = Scratch::new();
    scratch.write(
        "corroborate.yaml",
        format!(
            "title: Links\nlinks:\n  wayback_api: {}\n  save_api: {}\n{settings}",
            server.url("/wayback/available"),
            server.url("/save")
        ),
    );
    scratch.write("claims/sources.yaml", format!("sources:\n{sources}"));
    scratch
}

pub fn source(id: &str, url: &str, more: &str) -> String {
    format!(
        "  - id: {id}\n    title: Source {id}\n    url: {url}\n    accessed: 2019-04-10\n{more}"
    )
}

fn normalised(text: &str, servers: &[&Server]) -> String {
    let mut text = text.to_owned();
    for (n, server) in servers.iter().enumerate() {
        text = text.replace(&server.port.to_string(), &format!("PORT{n}"));
    }
    text
}

#[test]
fn every_status_is_reported_as_format_md_says() {
    let other = Server::start(None);
    let server = Server::start(Some(other.port));
    let archived = format!(
        "    archives:\n      - url: {}\n        captured: 2019-04-11\n      - url: {}\n",
        server.url("/archived"),
        server.url("/removed")
    );
    let sources = [
        source("a-ok", &server.url("/ok"), &archived),
        source("b-gone", &server.url("/gone"), ""),
        source(
            "c-fails",
            &server.url("/fails"),
            &format!("    archive_url: {}\n", server.url("/ok2")),
        ),
        source("d-moved", &server.url("/moved"), ""),
        source("e-loop", &server.url("/loop-a"), ""),
        source("f-elsewhere", &server.url("/elsewhere"), ""),
        source("g-slow", &server.url("/slow"), ""),
        source("h-no-head", &server.url("/no-head"), ""),
        source("i-huge", &server.url("/huge"), ""),
        source("j-refused", "http://127.0.0.1:9/nothing-listens", ""),
        source("k-to-file", &server.url("/to-file"), ""),
    ]
    .concat();
    let repo = repository(&server, &sources, "  timeout_s: 1\n");
    let started = std::time::Instant::now();
    let run = corroborate(repo.path(), &["links", "--format", "json"]);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "bounded in time"
    );
    assert_eq!(run.code, 1, "a broken link exits 1: {}", run.stderr);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let rows = rows.as_array().expect("an array");
    let row = |id: &str, kind: &str| row_of(&run.stdout, id, kind);
    let status = |id: &str| {
        row(id, "url")["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(status("a-ok"), "ok");
    assert_eq!(row("a-ok", "url")["http_status"], 200);
    assert_eq!(row("a-ok", "url")["final_url"], serde_json::Value::Null);
    assert_eq!(status("b-gone"), "broken");
    assert_eq!(row("b-gone", "url")["http_status"], 404);
    assert_eq!(status("c-fails"), "broken");
    assert_eq!(row("c-fails", "url")["http_status"], 500);
    assert_eq!(row("c-fails", "archive")["status"], "ok");
    assert_eq!(status("d-moved"), "redirected");
    assert_eq!(row("d-moved", "url")["final_url"], server.url("/ok"));
    assert_eq!(status("e-loop"), "error");
    assert!(
        row("e-loop", "url")["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("loop")
    );
    assert_eq!(status("f-elsewhere"), "redirected");
    assert_eq!(
        row("f-elsewhere", "url")["final_url"],
        format!("http://localhost:{}/ok", other.port)
    );
    assert_eq!(status("g-slow"), "timeout");
    assert_eq!(status("h-no-head"), "ok");
    assert_eq!(status("i-huge"), "ok");
    assert_eq!(status("j-refused"), "error");
    assert_eq!(status("k-to-file"), "error");
    assert!(
        row("k-to-file", "url")["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("not a web page"),
        "{}",
        run.stdout
    );
    // The archived copies are checked too, each with its own row.
    let archives: Vec<&str> = rows
        .iter()
        .filter(|r| r["source"] == "a-ok" && r["kind"] == "archive")
        .map(|r| r["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(archives, ["ok", "broken"]);
    // A capture is suggested for the unarchived source the availability API knows,
    // nearest to its `accessed` date; none for the archived ones.
    assert_eq!(
        row("b-gone", "url")["suggested_archive"],
        serde_json::json!({
            "url": format!("https://web.archive.org/web/20190410000000/{}", server.url("/gone")),
            "captured": "2019-04-10"
        })
    );
    assert_eq!(
        row("a-ok", "url")["suggested_archive"],
        serde_json::Value::Null
    );
    // Sorted by source id then URL: the same answers print the same bytes.
    let keys: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["source"].to_string(), r["url"].to_string()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Each row has exactly FORMAT.md's fields, plus `detail` where there is more to say.
    for r in rows {
        let mut names: Vec<&str> = r
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        names.retain(|n| *n != "detail");
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "final_url",
                "http_status",
                "kind",
                "source",
                "status",
                "suggested_archive",
                "url"
            ]
        );
    }
    // The huge body was never read: the server sent at most what fits in the buffers.
    let asked = server.asked();
    assert!(
        asked.contains(&"HEAD /no-head".to_owned()) && asked.contains(&"GET /no-head".to_owned())
    );
    assert!(
        asked.iter().all(|a| !a.starts_with("GET /ok ")),
        "no GET where HEAD answered: {asked:?}"
    );
}

#[test]
fn people_read_what_is_wrong_and_github_gets_annotations_at_the_url() {
    let server = Server::start(None);
    let sources = [
        source(
            "fine",
            &server.url("/ok"),
            &format!("    archive_url: {}\n", server.url("/archived")),
        ),
        source("gone", &server.url("/gone"), ""),
    ]
    .concat();
    let repo = repository(&server, &sources, "");
    let run = corroborate(repo.path(), &["links"]);
    assert_eq!(run.code, 1);
    let expected = "claims/sources.yaml:9:10: link broken (HTTP 404): http://127.0.0.1:PORT0/gone (source gone)\n\
claims/sources.yaml:9:10: no archived copy of http://127.0.0.1:PORT0/gone (source gone); the Wayback Machine has one captured 2019-04-10: https://web.archive.org/web/20190410000000/http://127.0.0.1:PORT0/gone\n\
checked 3 URL(s) of 2 source(s): 2 ok, 0 redirected, 1 broken, 0 timed out, 0 not checkable; 1 capture(s) suggested\n";
    assert_eq!(normalised(&run.stderr, &[&server]), expected);
    assert_eq!(run.stdout, "");
    let run = corroborate(repo.path(), &["links", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        normalised(&run.stdout, &[&server]),
        "::error file=claims/sources.yaml,line=9,col=10,title=broken-link::http://127.0.0.1:PORT0/gone is broken (HTTP 404); source gone\n"
    );
}

#[test]
fn no_more_than_per_host_requests_at_once_go_to_one_host() {
    let server = Server::start(None);
    let sources: String = (0..8)
        .map(|i| {
            source(
                &format!("s{i}"),
                &server.url(&format!("/busy?{i}")),
                &format!("    archive_url: {}\n", server.url(&format!("/busy?a{i}"))),
            )
        })
        .collect();
    let repo = repository(&server, &sources, "  per_host: 2\n");
    let run = corroborate(repo.path(), &["links", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.asked().len(), 16);
    let most = server.most_at_once.load(Ordering::SeqCst);
    assert!((1..=2).contains(&most), "{most} requests at once");
}

#[test]
fn since_reuses_recent_results_instead_of_asking_again() {
    let server = Server::start(None);
    let sources = [
        source("gone", &server.url("/gone"), ""),
        source("fine", &server.url("/ok"), ""),
    ]
    .concat();
    let repo = repository(&server, &sources, "");
    let first = corroborate(repo.path(), &["links", "--format", "json"]);
    assert_eq!(first.code, 1);
    let asked = server.asked().len();
    assert!(asked >= 3, "two pages and the availability API: {asked}");
    let kept = std::fs::read_to_string(repo.path().join(".corroborate/links.json")).expect("kept");
    assert!(kept.contains("\"checked_at\""));
    let again = corroborate(repo.path(), &["links", "--format", "json", "--since", "1h"]);
    assert_eq!(again.code, 1, "a reused broken link still fails");
    assert_eq!(again.stdout, first.stdout);
    assert_eq!(server.asked().len(), asked, "nothing asked again");
    assert!(
        again.stderr.contains("2 result(s) reused"),
        "{}",
        again.stderr
    );
    // Without --since everything is asked again.
    let fresh = corroborate(repo.path(), &["links", "--format", "json"]);
    assert_eq!(fresh.stdout, first.stdout);
    assert!(server.asked().len() > asked);
    // The state folder lets the results be committed, and nothing else in it.
    let ignore =
        std::fs::read_to_string(repo.path().join(".corroborate/.gitignore")).expect("ignore");
    assert!(ignore.contains("*\n!links.json\n"), "{ignore}");
    let bad = corroborate(repo.path(), &["links", "--since", "soon"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("not an age"), "{}", bad.stderr);
}

#[test]
fn sensitive_sources_are_checked_but_their_urls_are_not_shown_or_kept() {
    let server = Server::start(None);
    let secret = server.url("/gone?informant-page");
    let sources = [
        source(
            "open",
            &server.url("/ok"),
            &format!("    archive_url: {}\n", server.url("/archived")),
        ),
        source("witness", &secret, "    sensitive: true\n"),
    ]
    .concat();
    let repo = repository(&server, &sources, "");
    for format in ["human", "json", "github"] {
        let run = corroborate(repo.path(), &["links", "--format", format]);
        assert_eq!(
            run.code, 1,
            "the sensitive source's broken link still fails the run"
        );
        for text in [&run.stdout, &run.stderr] {
            assert!(
                !text.contains("informant") && !text.contains("witness"),
                "{format}: {text}"
            );
        }
        assert!(
            run.stderr
                .contains("1 URL(s) of sensitive sources not shown"),
            "{}",
            run.stderr
        );
        let kept =
            std::fs::read_to_string(repo.path().join(".corroborate/links.json")).expect("kept");
        assert!(
            !kept.contains("informant") && !kept.contains("witness"),
            "{kept}"
        );
    }
    // Nor is the Wayback Machine asked about it: that would tell a third party.
    let asked = server.asked();
    assert!(
        asked
            .iter()
            .all(|a| !a.starts_with("GET /wayback") || !a.contains("informant")),
        "{asked:?}"
    );
    assert!(
        asked.iter().any(|a| a.contains("informant")),
        "the page itself was checked"
    );
    let run = corroborate(
        repo.path(),
        &["links", "--format", "json", "--include-sensitive"],
    );
    assert!(run.stdout.contains("informant-page"));
}

/// A case of one claim and two sources whose links lead to a test server.
fn case_on_the_test_server() -> (Server, Scratch) {
    let server = Server::start(None);
    let sources = [
        source(
            "one",
            &server.url("/ok"),
            &format!("    archive_url: {}\n", server.url("/archived")),
        ),
        source("two", &server.url("/gone"), ""),
    ]
    .concat();
    let repo = repository(&server, &sources, "");
    repo.write(
        "claims/claims.yaml",
        "claims:\n  - id: c1\n    statement: Something.\n    evidence:\n      - source: one\n        stance: supports\n      - source: two\n        stance: contradicts\n",
    );
    (server, repo)
}

#[test]
fn check_and_build_never_ask_the_web() {
    let (server, repo) = case_on_the_test_server();
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
    let out = repo.path().join("site");
    let built = corroborate(
        repo.path(),
        &["build", "--out", out.to_str().expect("utf-8")],
    );
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert_eq!(corroborate(repo.path(), &["export"]).code, 0);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.asked(), Vec::<String>::new());
}

#[test]
fn links_settings_are_checked_like_the_rest() {
    let server = Server::start(None);
    let repo = repository(
        &server,
        &source("one", &server.url("/ok"), ""),
        "  timeout_s: 0\n  per_host: 99\n  retries: 3\n",
    );
    let (code, json) = repo.check_json();
    assert_eq!(code, 1);
    let messages: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`timeout_s` must be a whole number of seconds from 1 to 300")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`per_host` must be a whole number of requests from 1 to 16")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("retries")),
        "{messages:?}"
    );
}

#[test]
fn fix_writes_the_suggested_captures_in_and_keeps_everything_else() {
    let server = Server::start(None);
    let gone = server.url("/gone");
    let gone2 = server.url("/gone?2");
    // Comments, a flow mapping and CRLF line endings, all kept.
    let text = format!(
        "# Reporting on the network\r\nsources:\r\n  - id: block   # the daily\r\n    title: \"City hands network\"\r\n    url: {gone}   # moved in 2020\r\n    accessed: 2019-04-10\r\n\r\n  - {{id: flow, title: Flow, url: '{gone2}', published: 2019-04}}\r\n"
    );
    let repo = repository(&server, "", "");
    repo.write("claims/sources.yaml", &text);
    let before = corroborate(repo.path(), &["links", "--fix", "--dry-run"]);
    assert_eq!(before.code, 1, "{}", before.stderr);
    let diff = normalised(&before.stdout, &[&server]);
    assert!(
        diff.starts_with("--- a/claims/sources.yaml\n+++ b/claims/sources.yaml\n@@ "),
        "{diff}"
    );
    assert!(diff.contains("+    archives:\n+      - url: https://web.archive.org/web/20190410000000/http://127.0.0.1:PORT0/gone\n+        captured: 2019-04-10\n"), "{diff}");
    assert!(
        before
            .stderr
            .contains("2 archived cop(ies) would be added to 1 file(s); nothing written"),
        "{}",
        before.stderr
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("claims/sources.yaml")).expect("read"),
        text,
        "a dry run writes nothing"
    );
    let fixed = corroborate(repo.path(), &["links", "--fix"]);
    assert!(
        fixed
            .stderr
            .contains("added 2 archived cop(ies) to 1 file(s)"),
        "{}",
        fixed.stderr
    );
    let after = std::fs::read_to_string(repo.path().join("claims/sources.yaml")).expect("read");
    assert!(after.contains(&format!("    url: {gone}   # moved in 2020\r\n    archives:\r\n      - url: https://web.archive.org/web/20190410000000/{gone}\r\n        captured: 2019-04-10\r\n    accessed: 2019-04-10\r\n")), "{after}");
    assert!(
        after.contains(&format!("url: '{gone2}', archives: [{{url: ")),
        "{after}"
    );
    assert!(!after.replace("\r\n", "").contains('\n'), "CRLF kept");
    assert!(after.starts_with("# Reporting on the network\r\n"));
    // The case still checks, the archives are read back, and nothing is left to suggest.
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
    let export: serde_json::Value =
        serde_json::from_str(&corroborate(repo.path(), &["export"]).stdout).expect("export");
    let block = export["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .find(|s| s["id"] == "block")
        .expect("block")
        .clone();
    assert_eq!(block["archives"][0]["captured"], "2019-04-10");
    let again = corroborate(repo.path(), &["links", "--fix"]);
    assert!(
        again
            .stderr
            .contains("added 0 archived cop(ies) to 0 file(s)"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("claims/sources.yaml")).expect("read"),
        after,
        "a second fix changes nothing"
    );
}

#[test]
fn save_asks_save_page_now_for_reachable_unarchived_pages_and_says_what_failed() {
    let server = Server::start(None);
    let sources = [
        source("fine", &server.url("/ok"), ""),
        source("gone", &server.url("/gone"), ""),
        source("refused", &server.url("/ok?refused"), ""),
        source(
            "kept",
            &server.url("/ok2"),
            &format!("    archive_url: {}\n", server.url("/archived")),
        ),
    ]
    .concat();
    let repo = repository(&server, &sources, "");
    let run = corroborate(repo.path(), &["links", "--save", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let row = |id: &str| {
        rows.as_array()
            .expect("rows")
            .iter()
            .find(|r| r["source"] == id && r["kind"] == "url")
            .expect("row")
            .clone()
    };
    assert_eq!(
        row("fine")["saved"]["url"],
        format!(
            "https://web.archive.org/web/20261201120000/{}",
            server.url("/ok2")
        )
    );
    assert_eq!(row("fine")["suggested_archive"]["captured"], "2026-12-01");
    assert!(
        row("refused")["save_failed"]
            .as_str()
            .unwrap_or_default()
            .contains("try again tomorrow"),
        "{}",
        run.stdout
    );
    assert_eq!(
        row("gone")["saved"],
        serde_json::Value::Null,
        "a broken page is not captured"
    );
    assert_eq!(
        row("kept")["saved"],
        serde_json::Value::Null,
        "an archived one is not either"
    );
    let forms: Vec<String> = server
        .asked()
        .into_iter()
        .filter(|a| a.starts_with("FORM "))
        .collect();
    assert_eq!(forms.len(), 2, "{forms:?}");
    assert!(
        forms
            .iter()
            .all(|f| f.contains("if_not_archived_within=30d")),
        "{forms:?}"
    );
    assert!(
        run.stderr.contains("1 page(s) saved, 1 not"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_report_links_every_archived_copy_and_says_when_links_were_last_checked() {
    let server = Server::start(None);
    let archived = format!(
        "    archives:\n      - url: {}\n        captured: 2019-04-11\n      - url: {}\n",
        server.url("/archived"),
        server.url("/removed")
    );
    let sources = [
        source("kept", &server.url("/ok"), &archived),
        source("secret", &server.url("/ok2"), "    sensitive: true\n"),
    ]
    .concat();
    let repo = repository(&server, &sources, "");
    repo.write(
        "claims/claims.yaml",
        "claims:\n  - id: c1\n    statement: Something.\n    evidence:\n      - source: kept\n        stance: supports\n      - source: secret\n        stance: contradicts\n",
    );
    let build = |out: &str| {
        let out = repo.path().join(out);
        let run = corroborate(
            repo.path(),
            &["build", "--out", out.to_str().expect("utf-8")],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        out
    };
    // Before any `links` run: the archived copies with their dates, no "checked".
    let site = build("site");
    let page = std::fs::read_to_string(site.join("sources/kept.html")).expect("page");
    assert!(page.contains(&format!("<a href=\"{}\" rel=\"nofollow noreferrer\">{}</a> <span class=\"meta\">(captured 2019-04-11)</span>", server.url("/archived"), server.url("/archived"))), "{page}");
    assert!(
        page.contains(&format!("<a href=\"{}\"", server.url("/removed"))),
        "{page}"
    );
    assert!(!page.contains("Links checked"), "{page}");
    let claim = std::fs::read_to_string(site.join("claims/c1.html")).expect("page");
    assert!(claim.contains(&format!("<li><a href=\"{}\" rel=\"nofollow noreferrer\">Archived copy</a> (2019-04-11)</li><li><a href=\"{}\" rel=\"nofollow noreferrer\">Archived copy</a></li>", server.url("/archived"), server.url("/removed"))), "{claim}");
    // After: the date of the check and what it found, from the committed results.
    assert_eq!(corroborate(repo.path(), &["links"]).code, 1);
    let site = build("site");
    let page = std::fs::read_to_string(site.join("sources/kept.html")).expect("page");
    let today = corroborate::links::results::date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    );
    assert!(
        page.contains(&format!("<dt>Links checked</dt><dd>{today}: link ok, archived copy (2019-04-11) ok, archived copy broken</dd>")),
        "{page}"
    );
    // The same commit gives the same report: a second build is byte for byte the first.
    let again = build("site2");
    assert_eq!(crate::support::tree(&site), crate::support::tree(&again));
    // A sensitive source's results are neither kept nor shown.
    for file in crate::support::tree(&site).keys() {
        let text = String::from_utf8_lossy(&crate::support::tree(&site)[file]).into_owned();
        assert!(!text.contains("/ok2"), "{file}");
    }
    let shown = corroborate(repo.path(), &["show", "kept"]);
    assert!(
        shown.stdout.contains(&format!(
            "{today}: link ok, archived copy (2019-04-11) ok, archived copy broken"
        )),
        "{}",
        shown.stdout
    );
}

/// The binary run on `dir` under strace, and the socket calls it made.
fn traced(dir: &std::path::Path, args: &[&str]) -> (std::process::ExitStatus, String) {
    let trace = dir.join("trace.txt");
    let status = std::process::Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("strace runs (the CI script installs it)");
    (status, std::fs::read_to_string(&trace).expect("the trace"))
}

/// Every socket the offline commands open, seen by strace: none may be a network
/// one (an `AF_UNIX` socket to a local service would be allowed; none is opened).
#[test]
#[ignore = "needs strace (.ci/run installs it)"]
fn offline_commands_open_no_network_socket() {
    let (_server, repo) = case_on_the_test_server();
    let out = repo.path().join("site");
    let out = out.to_str().expect("utf-8");
    for args in [
        vec!["check"],
        vec!["build", "--out", out],
        vec!["export"],
        vec!["show", "two"],
        vec!["list", "sources"],
    ] {
        let (status, calls) = traced(repo.path(), &args);
        assert!(status.success(), "{args:?}");
        assert!(
            !calls.contains("AF_INET")
                && !calls.contains("AF_INET6")
                && !calls.contains("connect("),
            "{args:?} opened a socket:\n{calls}"
        );
    }
    // And the proof is able to see one: `links` opens them.
    let (status, calls) = traced(repo.path(), &["links", "--format", "json"]);
    assert!(status.code().is_some());
    assert!(calls.contains("AF_INET"), "{calls}");
}

#[test]
fn archived_copies_are_written_one_way_each_once_and_on_the_web() {
    let repo = Scratch::new();
    repo.write(
        "claims/sources.yaml",
        "sources:\n  - id: both\n    title: Both\n    archive_url: https://web.archive.org/web/2019/https://e.org/a\n    archives:\n      - url: https://archive.ph/x\n  - id: twice\n    title: Twice\n    archives:\n      - url: https://archive.ph/y\n        captured: 2019-04-10\n      - url: https://archive.ph/y\n  - id: odd\n    title: Odd\n    archives:\n      - url: ftp://archive.example/z\n        captured: 2019-13-01\n      - captured: 2019-04-10\n",
    );
    let (code, json) = repo.check_json();
    assert_eq!(code, 1);
    let errors: Vec<(u64, u64, &str, &str)> = json
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["code"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let at = |line: u64| {
        errors
            .iter()
            .find(|e| e.0 == line)
            .unwrap_or_else(|| panic!("no error at line {line}: {errors:#?}"))
    };
    assert_eq!(at(4).1, 18);
    assert_eq!(at(4).2, "invalid-value");
    assert!(
        at(4).3.contains("`archive_url` or `archives`, not both"),
        "{:?}",
        at(4)
    );
    assert!(
        at(12).3.contains("already an archived copy of this source"),
        "{:?}",
        at(12)
    );
    assert!(at(16).3.contains("http"), "{:?}", at(16));
    assert!(at(17).3.contains("2019-13-01"), "{:?}", at(17));
    assert!(at(18).3.contains("`url`"), "{:?}", at(18));
}

#[test]
fn a_url_that_several_sources_name_is_asked_once() {
    let server = Server::start(None);
    let shared = server.url("/gone?shared");
    let sources = [
        source("first", &shared, ""),
        source("second", &shared, ""),
        source(
            "third",
            &server.url("/ok"),
            &format!("    archive_url: {shared}\n"),
        ),
    ]
    .concat();
    let repo = repository(&server, &sources, "");
    let run = corroborate(repo.path(), &["links", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let statuses: Vec<(&str, &str)> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["url"] == shared.as_str())
        .map(|r| {
            (
                r["source"].as_str().unwrap_or(""),
                r["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("first", "broken"),
            ("second", "broken"),
            ("third", "broken")
        ]
    );
    let pages: Vec<String> = server
        .asked()
        .into_iter()
        .filter(|a| a.contains("/gone?shared") && !a.contains("/wayback"))
        .collect();
    assert_eq!(
        pages,
        ["HEAD /gone?shared", "GET /gone?shared"],
        "asked once (HEAD, then GET)"
    );
}

#[test]
fn a_rate_limit_or_a_moments_outage_is_asked_again_not_called_dead() {
    let server = Server::start(None);
    let sources = [
        source("a-limited", &server.url("/limited"), ""),
        source("b-limited-long", &server.url("/limited-long"), ""),
        source("c-down", &server.url("/down"), ""),
    ]
    .concat();
    let repo = repository(&server, &sources, "");
    let started = std::time::Instant::now();
    let run = corroborate(repo.path(), &["links", "--format", "json"]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "an hour's Retry-After is not waited for"
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let row = |id: &str| row_of(&run.stdout, id, "url");
    assert_eq!(
        row("a-limited")["status"],
        "ok",
        "asked again after a second"
    );
    assert_eq!(row("a-limited")["http_status"], 200);
    let asked = |path: &str| count_of(&server.asked(), path);
    assert_eq!(asked("/limited"), 3, "HEAD, GET, then HEAD after the wait");
    assert_eq!(row("b-limited-long")["status"], "broken");
    assert_eq!(row("b-limited-long")["http_status"], 429);
    assert_eq!(
        row("b-limited-long")["detail"],
        "HTTP 429, asking to wait 3600 s (Retry-After); try later"
    );
    assert_eq!(asked("/limited-long"), 2, "not asked again");
    assert_eq!(row("c-down")["status"], "broken");
    assert_eq!(
        row("c-down")["detail"],
        "HTTP 503, then HTTP 503 when asked again"
    );
    assert_eq!(asked("/down"), 4, "HEAD and GET, twice");

    let human = corroborate(repo.path(), &["links"]);
    assert!(
        human.stderr.contains(&format!(
            "link broken (HTTP 503, then HTTP 503 when asked again): {}",
            server.url("/down")
        )),
        "{}",
        human.stderr
    );
}
