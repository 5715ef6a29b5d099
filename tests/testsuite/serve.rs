//! `corroborate serve`: serves the built site on loopback, rebuilds after an edit, shows
//! data errors in the page without stopping, and explains a port in use.

use crate::support::Scratch;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(dir: &std::path::Path, port: u16) -> Server {
    start_with(dir, port, &[])
}

fn start_with(dir: &std::path::Path, port: u16, env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(dir)
        .args(["serve", "--port", &port.to_string()])
        .envs(env.iter().copied())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let started = Instant::now();
    let port = loop {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve did not start"
        );
        let line = lines
            .next()
            .expect("serve printed its address")
            .expect("utf-8");
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("a port");
        }
    };
    // Keep reading stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Server { child, port }
}

pub fn get(port: u16, path: &str) -> (u16, String) {
    exchange(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
}

/// Sends raw bytes and reads the answer: its status (0 if none) and body. The server may
/// reset a connection whose request it refused unread; what arrived before still counts.
fn exchange(port: u16, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("server answers");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let mut chunk = [0; 4096];
    while let Ok(n @ 1..) = stream.read(&mut chunk) {
        response.extend_from_slice(&chunk[..n]);
    }
    let response = String::from_utf8_lossy(&response);
    let status = response
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn request_with_host(port: u16, host: Option<&str>) -> u16 {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    exchange(
        port,
        format!("GET / HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes(),
    )
    .0
}

/// Waits for a condition that a working `serve` meets within a second or two; the bound
/// only catches a hang, and is generous because a debug build on a busy two-core
/// machine rebuilds far more slowly than a release one.
pub fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_rebuilds_on_change_and_survives_errors() {
    let repo = Scratch::new();
    repo.write("claims/x.yaml", "sources:\n  - {id: s, title: First title}\nclaims:\n  - id: c\n    statement: The first statement.\n    evidence: [{source: s, stance: supports, quote: q}]\n");
    let server = start(repo.path(), 0);
    let (status, index) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(index.contains("The first statement."));
    assert!(
        index.contains("/__corroborate/live.js"),
        "pages reload themselves"
    );
    let (_, version) = get(server.port, "/__corroborate/version");
    assert_eq!(get(server.port, "/style.css").0, 200);
    assert_eq!(get(server.port, "/nothing-here.html").0, 404);
    assert_eq!(get(server.port, "/../../etc/passwd").0, 400);

    // An edit to a source shows on the claim page that cites it.
    std::thread::sleep(Duration::from_millis(50));
    repo.write("claims/x.yaml", "sources:\n  - {id: s, title: Second title}\nclaims:\n  - id: c\n    statement: The first statement.\n    evidence: [{source: s, stance: supports, quote: q}]\n");
    wait_until("a rebuild", || {
        get(server.port, "/__corroborate/version").1 != version
    });
    assert!(
        get(server.port, "/claims/c.html")
            .1
            .contains("Second title")
    );

    // A data error shows in the page; the server keeps running and recovers.
    repo.write("claims/x.yaml", "claims:\n  - id: c\n    statment: typo\n");
    wait_until("the error page", || {
        get(server.port, "/").1.contains("unknown field `statment`")
    });
    repo.write(
        "claims/x.yaml",
        "claims:\n  - id: c\n    statement: Fixed.\n",
    );
    wait_until("the fixed page", || {
        get(server.port, "/claims/c.html").1.contains("Fixed.")
    });
}

#[test]
fn a_port_in_use_is_explained() {
    let repo = Scratch::new();
    repo.write("claims/x.yaml", "");
    let first = start(repo.path(), 0);
    let output = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(repo.path())
        .args(["serve", "--port", &first.port.to_string()])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is already in use") && stderr.contains("--port"),
        "{stderr}"
    );
}

fn served_repo() -> Scratch {
    let repo = Scratch::new();
    repo.write(
        "claims/x.yaml",
        "claims:\n  - id: c\n    statement: A statement.\n",
    );
    repo
}

#[test]
fn only_the_servers_own_host_names_are_answered() {
    let repo = served_repo();
    let server = start(repo.path(), 0);
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(request_with_host(port, Some(&host)), 200, "Host: {host}");
    }
    // A page of another site that rebinds its name to 127.0.0.1 sends its own name.
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost".to_owned(),
        format!("localhost.:{port}"),
        String::new(),
    ] {
        assert_eq!(request_with_host(port, Some(&host)), 421, "Host: {host:?}");
    }
    assert_eq!(request_with_host(port, None), 421, "no Host");
    let (status, body) = exchange(
        port,
        format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 421);
    assert!(!body.contains("A statement."), "{body}");
}

#[test]
fn an_overlong_request_line_is_refused_with_414() {
    let repo = served_repo();
    let server = start(repo.path(), 0);
    let port = server.port;
    let path = format!("/{}", "a".repeat(9 * 1024));
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    assert_eq!(exchange(port, request.as_bytes()).0, 414);
    // A line that never ends is cut at the same limit.
    assert_eq!(exchange(port, "G".repeat(64 * 1024).as_bytes()).0, 414);
}

#[test]
fn overlong_headers_are_refused_with_431() {
    let repo = served_repo();
    let server = start(repo.path(), 0);
    let port = server.port;
    let one = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Filler: {}\r\n\r\n",
        "b".repeat(9 * 1024)
    );
    assert_eq!(exchange(port, one.as_bytes()).0, 431);
    let many = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{}\r\n",
        "X-Some: header\r\n".repeat(600)
    );
    assert_eq!(exchange(port, many.as_bytes()).0, 431);
}

#[test]
fn malformed_requests_get_400_not_a_silent_close() {
    let repo = served_repo();
    let server = start(repo.path(), 0);
    let port = server.port;
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let requests: Vec<Vec<u8>> = vec![
        b"\xff\xfe\xfd garbage\r\n\r\n".to_vec(),
        [
            b"GET /\xff\xfe.html HTTP/1.1\r\n".as_slice(),
            host.as_bytes(),
            b"\r\n",
        ]
        .concat(),
        [
            b"GET / HTTP/1.1\r\n".as_slice(),
            host.as_bytes(),
            b"X-Name: \xff\r\n\r\n",
        ]
        .concat(),
        b"hello\r\n\r\n".to_vec(),
        format!("GET / HTTP/1.1\r\n{host}no colon here\r\n\r\n").into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}{host}\r\n").into_bytes(),
        // A TLS hello sent to the plain-HTTP port.
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03".to_vec(),
        // The request ends before its headers do.
        format!("GET / HTTP/1.1\r\n{host}").into_bytes(),
    ];
    for request in requests {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
        stream.write_all(&request).expect("sends");
        stream
            .shutdown(std::net::Shutdown::Write)
            .expect("half-close");
        let mut response = Vec::new();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let _ = stream.read_to_end(&mut response);
        assert!(
            response.starts_with(b"HTTP/1.1 400 "),
            "{:?} -> {:?}",
            String::from_utf8_lossy(&request),
            String::from_utf8_lossy(&response)
        );
    }
}

#[test]
fn bad_percent_escapes_get_400() {
    let repo = served_repo();
    let server = start(repo.path(), 0);
    for path in [
        "/%zz",
        "/%",
        "/a%2",
        "/%+41.html",
        "/%-1",
        "/%ff.html",
        "/%00",
        "/%2e%2e/x",
        "/a%5cb",
        "/%c3%28",
    ] {
        assert_eq!(get(server.port, path).0, 400, "{path}");
    }
    assert_eq!(get(server.port, "/%63laims/c.html").0, 200);
    assert_eq!(
        get(server.port, "/index.html?q=%zz").0,
        200,
        "the query is not a path"
    );
}

/// Writes one byte a second and reports how long the server took to cut the connection
/// (with or without an answer), giving up after `limit`.
fn trickle(port: u16, limit: Duration) -> (Option<Duration>, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .expect("timeout");
    let started = Instant::now();
    let mut answer = Vec::new();
    let request = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ");
    let mut bytes = request.bytes().chain(std::iter::repeat(b'z'));
    while started.elapsed() < limit {
        let byte = bytes.next().unwrap_or(b'z');
        if stream.write_all(&[byte]).is_err() {
            return (Some(started.elapsed()), answer);
        }
        let mut chunk = [0; 1024];
        match stream.read(&mut chunk) {
            Ok(0) => return (Some(started.elapsed()), answer),
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return (Some(started.elapsed()), answer),
        }
    }
    (None, answer)
}

#[test]
fn a_client_trickling_bytes_is_cut_at_the_deadline() {
    let repo = served_repo();
    let server = start(repo.path(), 0);
    // The deadline is 10 s for the whole request, however often a byte arrives.
    let (cut, answer) = trickle(server.port, Duration::from_secs(14));
    let cut = cut.expect("the server cut the slow client off");
    assert!(cut <= Duration::from_secs(12), "cut after {cut:?}");
    assert!(
        answer.starts_with(b"HTTP/1.1 408 "),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
}

fn threads_of(server: &Server) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

#[test]
fn idle_connections_neither_starve_requests_nor_add_threads() {
    let repo = served_repo();
    // Rayon's threads (one pool to read the data, one to render) would count too.
    let server = start_with(repo.path(), 0, &[("RAYON_NUM_THREADS", "1")]);
    let port = server.port;
    let mut idle: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connects"))
        .collect();
    // Half of them start a request and stop.
    for stream in idle.iter_mut().step_by(2) {
        stream.write_all(b"GET / HTT").expect("sends");
    }
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(get(port, "/").0, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a normal request waited {:?} behind idle connections",
        started.elapsed()
    );
    if cfg!(target_os = "linux") {
        let threads = threads_of(&server).expect("the server's thread count");
        // main, the watcher and 8 workers, and at most 2 of rayon's and 2 to spare.
        assert!(threads <= 14, "{threads} threads for 51 connections");
    }
    // The deadline frees every idle connection.
    for mut stream in idle {
        stream
            .set_read_timeout(Some(Duration::from_secs(14)))
            .expect("timeout");
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        assert!(
            started.elapsed() < Duration::from_secs(12),
            "an idle connection was still open after {:?}",
            started.elapsed()
        );
    }
}

/// The watcher looks at the loader's files only: two links back to the data folder
/// (which a walk of every path would follow 2^depth times) cost nothing, and replacing
/// a local copy re-runs its checksum.
#[cfg(unix)]
#[test]
fn the_watcher_follows_the_loaders_rules_and_watches_local_copies() {
    use sha2::Digest as _;
    let repo = Scratch::new();
    let copy = b"the pinned copy";
    let sha: String = sha2::Sha256::digest(copy)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    repo.write("evidence/copy.txt", copy);
    repo.write("claims/x.yaml", format!("sources:\n  - {{id: s, title: T, file: evidence/copy.txt, sha256: {sha}}}\nclaims:\n  - id: c\n    statement: The first statement.\n    evidence: [{{source: s, stance: supports, quote: q}}]\n"));
    std::os::unix::fs::symlink(".", repo.path().join("claims/l1")).expect("link");
    std::os::unix::fs::symlink(".", repo.path().join("claims/l2")).expect("link");
    let server = start(repo.path(), 0);
    assert!(get(server.port, "/").1.contains("The first statement."));
    // An edit is seen, so the watcher is not stuck walking the loop.
    repo.write("claims/y.yaml", "entities:\n  - {id: e, name: Newcomer}\n");
    wait_until("the new file", || {
        get(server.port, "/entities.html").1.contains("Newcomer")
    });
    // The copy changes: the checksum no longer matches, and the page says so.
    std::thread::sleep(Duration::from_millis(50));
    repo.write("evidence/copy.txt", b"a different copy!");
    wait_until("the checksum error", || {
        get(server.port, "/").1.contains("checksum-mismatch")
    });
}
