//! Running the binary and comparing with expectation files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
