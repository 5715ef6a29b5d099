//! Builds that never lose anything: a build killed with SIGKILL at any moment leaves
//! the previous site (or the new one) complete, never a mixture; two builds at once
//! leave one complete site; a full or read-only disk gives a clear error and leaves
//! the previous site as it was.

use crate::support::Scratch;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A repository large enough that a build takes a noticeable time.
fn repository(version: &str, claims: usize) -> Scratch {
    let repo = Scratch::new();
    write_version(&repo, version, claims);
    repo
}

fn write_version(repo: &Scratch, version: &str, claims: usize) {
    let mut yaml = String::from("sources:\n  - {id: s, title: The source}\nclaims:\n");
    for i in 0..claims {
        yaml.push_str(&format!("  - id: c{i:05}\n    statement: Claim {i}, version {version}.\n    evidence: [{{source: s, stance: supports, quote: q}}]\n"));
    }
    repo.write("claims/x.yaml", yaml);
}

/// Every file of a folder with its bytes; a link is not followed but recorded with
/// what it points to.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::support::tree(dir)
}

/// Runs a build that must succeed.
fn succeeds(command: &mut Command) {
    let run = command.output().expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn build_command(repo: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_corroborate"));
    command
        .arg("-C")
        .arg(repo)
        .args(["build", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site."))
        .collect()
}

/// The lock file of the site `site`.
const LOCK: &str = ".site.lock";

#[test]
fn a_killed_build_never_leaves_a_half_written_site() {
    let claims = 1500;
    let repo = repository("A", claims);
    let out = repo.path().join("site");
    assert!(
        build_command(repo.path(), &out)
            .status()
            .expect("runs")
            .success()
    );
    let version_a = snapshot(&out);
    write_version(&repo, "B", claims);
    let reference_b = repo.path().join("reference-b");
    assert!(
        build_command(repo.path(), &reference_b)
            .status()
            .expect("runs")
            .success()
    );
    let version_b = snapshot(&reference_b);
    assert_ne!(version_a, version_b);

    let mut killed_mid_build = 0;
    for (round, delay_ms) in [0u64, 10, 30, 60, 100, 150, 250, 400, 600, 900]
        .into_iter()
        .enumerate()
    {
        write_version(&repo, if round % 2 == 0 { "B" } else { "A" }, claims);
        let mut child = build_command(repo.path(), &out)
            .spawn()
            .expect("build starts");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().expect("status").is_some();
        let _ = child.kill();
        let _ = child.wait();
        if !finished {
            killed_mid_build += 1;
        }
        let now = snapshot(&out);
        assert!(
            now == version_a || now == version_b,
            "after a kill at {delay_ms} ms the site is neither the old nor the new one ({} files)",
            now.len()
        );
    }
    assert!(
        killed_mid_build >= 3,
        "the test must really interrupt builds (only {killed_mid_build} were)"
    );
    // The next build recovers: it takes over the dead build's lock and clears its leftovers.
    write_version(&repo, "B", claims);
    let next = build_command(repo.path(), &out).output().expect("runs");
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    assert_eq!(snapshot(&out), version_b);
    assert_eq!(leftovers(repo.path()), Vec::<String>::new());
}

#[test]
fn two_builds_at_once_leave_one_complete_site() {
    let repo = repository("A", 800);
    let out = repo.path().join("site");
    let reference = repo.path().join("reference");
    assert!(
        build_command(repo.path(), &reference)
            .status()
            .expect("runs")
            .success()
    );
    let expected = snapshot(&reference);
    // Several rounds of three builds started together: a lock that appeared empty for
    // an instant once let two of them write at the same time.
    for _ in 0..5 {
        let children: Vec<_> = (0..3)
            .map(|_| build_command(repo.path(), &out).spawn().expect("starts"))
            .collect();
        let results: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().expect("ends"))
            .collect();
        assert!(
            results.iter().any(|r| r.status.success()),
            "at least one build succeeds"
        );
        for result in &results {
            if !result.status.success() {
                assert_eq!(result.status.code(), Some(2));
                let stderr = String::from_utf8_lossy(&result.stderr);
                assert!(stderr.contains("another corroborate build"), "{stderr}");
            }
        }
        assert_eq!(snapshot(&out), expected);
    }
    assert_eq!(snapshot(&out), expected);
    assert_eq!(leftovers(repo.path()), Vec::<String>::new());
}

#[test]
fn a_lock_file_naming_a_live_process_does_not_block_a_build() {
    let repo = repository("A", 10);
    let out = repo.path().join("site");
    // What a killed build of an earlier version left, its PID since reused by a live
    // process: this test's own, and the init process's.
    for pid in [std::process::id(), 1] {
        std::fs::write(repo.path().join(LOCK), format!("{pid}\n")).expect("lock file");
        succeeds(&mut build_command(repo.path(), &out));
    }
    assert!(out.join("index.html").is_file());
}

#[test]
fn a_build_killed_mid_way_leaves_no_lock_that_blocks_the_next() {
    let repo = repository("A", 1500);
    let out = repo.path().join("site");
    let mut child = build_command(repo.path(), &out).spawn().expect("starts");
    // Killed once it holds the lock, while it writes.
    let started = std::time::Instant::now();
    while !repo.path().join(LOCK).exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    assert!(
        child.try_wait().expect("status").is_none(),
        "the build must still be running when it is killed"
    );
    child.kill().expect("killed");
    let _ = child.wait();
    succeeds(&mut build_command(repo.path(), &out));
    assert!(out.join("index.html").is_file());
}

#[test]
fn a_build_is_refused_while_another_process_holds_the_lock() {
    let repo = repository("A", 10);
    let out = repo.path().join("site");
    succeeds(&mut build_command(repo.path(), &out));
    let before = snapshot(&out);
    write_version(&repo, "B", 10);
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(repo.path().join(LOCK))
        .expect("lock file");
    lock.try_lock().expect("the lock is free");
    let refused = build_command(repo.path(), &out).output().expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.starts_with("error: another corroborate build is writing this site")
            && stderr.contains(LOCK),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before, "the site was left as it was");
    assert_eq!(leftovers(repo.path()), [LOCK], "only the lock held here");
    drop(lock);
    succeeds(&mut build_command(repo.path(), &out));
    assert_ne!(snapshot(&out), before);
}

/// Mounts a small tmpfs, which needs root: the test that uses it is ignored in a plain
/// `cargo test`, and `.ci/run` (as root) runs it.
struct SmallDisk {
    dir: Scratch,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = Scratch::new();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            mounted,
            "cannot mount a tmpfs on {}: this test needs root (run it as root: cargo test -- --ignored durability::)",
            dir.path().display()
        );
        SmallDisk { dir }
    }

    fn remount_read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.dir.path())
            .status()
            .expect("mount runs");
        assert!(status.success());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
#[ignore = "needs root to mount a 1 MB tmpfs; run as root with .ci/run, or: cargo test -- --ignored durability::"]
fn a_full_or_read_only_disk_gives_a_clear_error_and_keeps_the_site() {
    let disk = SmallDisk::mount("1m");
    let repo = repository("A", 20);
    let out = disk.dir.path().join("site");
    assert!(
        build_command(repo.path(), &out)
            .status()
            .expect("runs")
            .success()
    );
    let before = snapshot(&out);

    // Far more than fits on the disk.
    write_version(&repo, "B", 3000);
    let full = build_command(repo.path(), &out).output().expect("runs");
    assert_eq!(full.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert!(
        stderr.starts_with("error: cannot write ") && stderr.contains("No space left on device"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before, "the previous site is intact");
    assert_eq!(
        leftovers(disk.dir.path()),
        Vec::<String>::new(),
        "nothing half-written is left"
    );

    write_version(&repo, "C", 20);
    disk.remount_read_only();
    let read_only = build_command(repo.path(), &out).output().expect("runs");
    assert_eq!(read_only.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&read_only.stderr);
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    assert_eq!(snapshot(&out), before);
}
