//! Running the binary and comparing with expectation files.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

pub fn corroborate(dir: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the corroborate binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Compares `actual` with the file at `path`. With `UPDATE_EXPECT=1` the file is
/// written instead, to be reviewed in the diff like any other change.
pub fn expect_file(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).expect("expectation written");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing expectation {}; run with UPDATE_EXPECT=1 and review it",
            path.display()
        )
    });
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

/// A scratch repository in a temporary folder.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Scratch {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder created");
        }
        std::fs::write(path, content).expect("file written");
        self
    }

    pub fn check_json(&self) -> (i32, serde_json::Value) {
        let run = corroborate(self.path(), &["check", "--format", "json"]);
        let json = serde_json::from_str(&run.stdout).unwrap_or_else(|err| {
            panic!(
                "check printed no JSON ({err}): {}\n{}",
                run.stdout, run.stderr
            )
        });
        (run.code, json)
    }
}

/// A diagnostic's `(code, file, line, column)`.
pub type Place = (String, String, u64, u64);

/// The `(code, file, line, column)` of each diagnostic in `check --format json` output.
pub fn places(json: &serde_json::Value) -> Vec<Place> {
    json.as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// An address-space limit no honest run comes near: runaway memory use fails the test
/// instead of exhausting the machine.
pub const MEMORY_LIMIT_KB: u64 = 2 * 1024 * 1024;

/// Runs corroborate in `dir` with `args` (and `env`) under [`MEMORY_LIMIT_KB`], killing
/// it and failing the test if it has not ended within `deadline`: a hang fails instead
/// of stopping the suite.
pub fn run_bounded(dir: &Path, args: &[&str], env: &[(&str, &str)], deadline: Duration) -> Run {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KB}; dir=\"$1\"; shift; exec \"$0\" -C \"$dir\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_corroborate"))
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("corroborate runs");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("corroborate {args:?} did not end within {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().expect("stdout read"),
        stderr: stderr.join().expect("stderr read"),
    }
}

/// Every file below `dir` with its bytes, by relative path with `/`, in sorted order. A
/// link is not followed but recorded as `-> TARGET`, so what a command left in a folder
/// can be compared exactly.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|entry| entry.expect("entry"))
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = if entry.path_is_symlink() {
                let target = std::fs::read_link(entry.path()).expect("link");
                format!("-> {}", target.display()).into_bytes()
            } else {
                std::fs::read(entry.path()).expect("read")
            };
            (rel, bytes)
        })
        .collect()
}

/// Held by the tests that time something (the search at 100,000 claims) and by the
/// one that keeps both cores busy for minutes (a release build from a clean clone), so
/// that the one does not measure the other.
pub static TIMED: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// [`TIMED`], whether or not a test that held it failed.
pub fn timed() -> std::sync::MutexGuard<'static, ()> {
    TIMED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
