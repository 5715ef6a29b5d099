//! `corroborate serve`: serves the built site on loopback, rebuilds after an edit, shows
//! data errors in the page without stopping, and explains a port in use.

use crate::support::Scratch;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path, port: u16) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(dir)
        .args(["serve", "--port", &port.to_string()])
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

fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("server answers");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
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
