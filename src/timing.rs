//! Stage timings on standard error when `CORROBORATE_TIMINGS` is set: where a slow
//! check or build spends its time, without a profiler.

/// Prints the time since the previous lap (or since it was made) at every lap.
pub struct Timer {
    last: Option<std::time::Instant>,
}

impl Timer {
    pub fn from_env() -> Self {
        Timer {
            last: std::env::var_os("CORROBORATE_TIMINGS").map(|_| std::time::Instant::now()),
        }
    }

    pub fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            eprintln!(
                "timing: {stage}: {} ms{}",
                last.elapsed().as_millis(),
                resident().map_or(String::new(), |mb| format!(" (resident {mb} MB)"))
            );
            self.last = Some(std::time::Instant::now());
        }
    }
}

/// The process's resident memory in MB, where the system says (Linux): what a stage
/// holds shows in its lap.
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / 1_000_000)
}
