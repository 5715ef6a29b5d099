//! `corroborate links`: the one command that asks the web (FORMAT.md, "Sources that
//! stay reachable"). `check` and `build` never do, so the same data always gives the
//! same report; links rot on their own schedule, and this command is how a researcher
//! finds out which of a case's sources moved, vanished or were never archived.
//!
//! It takes every source's `url` and archived copies ([`crate::model::Source::archives`])
//! in the order FORMAT.md gives (source id, then URL), asks each host politely
//! ([`schedule`]), and for a source with a `url` and no archived copy asks the Wayback
//! Machine's availability API for the capture nearest to when the source was read.
//! The results are kept in `.corroborate/links.json`, so that `--since` can reuse the
//! recent ones instead of asking the same hosts again.

pub mod fix;
pub mod http;
pub mod results;
mod schedule;

use crate::check::Checked;
use crate::config::LinksSettings;
use crate::diagnostics::Pos;
use crate::text::inert_line;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

/// The pause between the starts of two requests to one host.
pub const PAUSE: Duration = Duration::from_millis(250);
/// The pause between two captures asked of Save Page Now, one at a time: its limits
/// for anonymous requests are a few captures a minute.
pub const SAVE_PAUSE: Duration = Duration::from_secs(3);

/// Which of a source's URLs a row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Url,
    Archive,
}

/// What asking for a URL found (FORMAT.md's statuses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Redirected,
    Broken,
    Timeout,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Redirected => "redirected",
            Status::Broken => "broken",
            Status::Timeout => "timeout",
            Status::Error => "error",
        }
    }

    /// Whether this status makes the command exit 1.
    pub fn fails(self) -> bool {
        matches!(self, Status::Broken | Status::Timeout)
    }
}

/// A capture the availability API names for a source with no archived copy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggested {
    pub url: String,
    /// `YYYY-MM-DD`.
    pub captured: String,
}

/// One URL checked: an element of `--format json`'s array, in FORMAT.md's fields, then
/// `detail` (why an `error` or `timeout`, or a `broken` answer to a second asking,
/// when there is more to say).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub source: String,
    pub url: String,
    pub kind: Kind,
    pub status: Status,
    pub http_status: Option<u16>,
    pub final_url: Option<String>,
    pub suggested_archive: Option<Suggested>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// With `--save`: the capture Save Page Now made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<Suggested>,
    /// With `--save`: why Save Page Now made no capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_failed: Option<String>,
}

/// A row with where its URL is written and what the report needs to know of it.
#[derive(Clone, Debug)]
pub struct Line {
    pub row: Row,
    /// The data file, relative to the repository root.
    pub file: String,
    pub pos: Pos,
    pub sensitive: bool,
    /// Taken from `.corroborate/links.json` (`--since`) rather than asked again.
    pub reused: bool,
    /// When it was asked, in seconds since 1970.
    pub checked_at: u64,
    /// Whether the availability API was asked for a capture of it then.
    pub nearest_asked: bool,
}

/// What the command was asked to do.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Reuse results younger than this from `.corroborate/links.json`.
    pub since: Option<Duration>,
    /// Show and keep the URLs of sensitive sources too.
    pub include_sensitive: bool,
    /// Ask Save Page Now to capture each reachable source that has no archived copy.
    pub save: bool,
    /// An archive.org key, `ACCESS:SECRET`, for Save Page Now's higher limits.
    pub save_key: Option<String>,
}

/// What `--save` asks Save Page Now: a capture unless one was made within this.
pub const SAVE_IF_NOT_ARCHIVED_WITHIN: &str = "30d";

/// Everything one run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every URL checked, sensitive ones included, sorted by source id then URL.
    pub lines: Vec<Line>,
    /// What could not be asked of the availability API, by source id.
    pub problems: Vec<String>,
}

impl Report {
    /// The lines a report may show: a sensitive source's only with `--include-sensitive`.
    pub fn shown<'a>(&'a self, options: &'a Options) -> impl Iterator<Item = &'a Line> + 'a {
        self.lines
            .iter()
            .filter(move |l| options.include_sensitive || !l.sensitive)
    }

    /// How many lines of sensitive sources are left out of what is shown.
    pub fn withheld(&self, options: &Options) -> usize {
        if options.include_sensitive {
            0
        } else {
            self.lines.iter().filter(|l| l.sensitive).count()
        }
    }

    /// Whether any URL, shown or not, is broken or timed out (exit 1).
    pub fn fails(&self) -> bool {
        self.lines.iter().any(|l| l.row.status.fails())
    }
}

/// One URL to ask about.
struct Target {
    source: usize,
    url: String,
    kind: Kind,
    pos: Pos,
    /// The capture time to ask the availability API for, when this is the `url` of a
    /// source with no archived copy.
    nearest: Option<Option<String>>,
}

/// The URLs of every source, sorted by source id then URL (then `url` before archive).
/// The availability API is asked about a sensitive source's URL only with
/// `--include-sensitive`: the question alone tells a third party of the page.
fn targets(checked: &Checked, options: &Options) -> Vec<Target> {
    let mut targets = Vec::new();
    for (i, source) in checked.repo.sources.iter().enumerate() {
        if let Some(url) = &source.url {
            let ask = !source.has_archives() && (options.include_sensitive || !source.sensitive);
            let nearest = ask.then(|| {
                source
                    .accessed
                    .or(source.published)
                    .map(|d| wayback_timestamp(&d))
            });
            targets.push(Target {
                source: i,
                url: url.value.clone(),
                kind: Kind::Url,
                pos: url.pos,
                nearest,
            });
        }
        for archive in source.archives() {
            targets.push(Target {
                source: i,
                url: archive.url.value.clone(),
                kind: Kind::Archive,
                pos: archive.url.pos,
                nearest: None,
            });
        }
    }
    let repo = &checked.repo;
    fn key<'a>(repo: &'a crate::load::Repository, t: &'a Target) -> (&'a str, &'a str, Kind) {
        (&repo.sources[t.source].id.value, &t.url, t.kind)
    }
    targets.sort_by(|a, b| key(repo, a).cmp(&key(repo, b)));
    targets.dedup_by(|a, b| a.source == b.source && a.url == b.url && a.kind == b.kind);
    targets
}

/// A date as the availability API's `timestamp`: `YYYY`, `YYYYMM` or `YYYYMMDD`.
fn wayback_timestamp(date: &crate::model::Date) -> String {
    let mut out = format!("{:04}", date.year);
    if let Some(month) = date.month {
        let _ = write!(out, "{month:02}");
        if let Some(day) = date.day {
            let _ = write!(out, "{day:02}");
        }
    }
    out
}

/// The host a request goes to, as the politeness limits count it.
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
        })
        .unwrap_or_default()
}

/// A request of the run.
enum Task {
    Probe(String),
    Nearest(String, Option<String>),
    Save(String),
}

enum Answer {
    Probe(http::Probe),
    Nearest(Result<Option<Suggested>, String>),
    Save(Result<Suggested, String>),
}

/// Checks every source's links of `checked` as `settings` and `options` say, reusing
/// what `previous` holds of recent results (`--since`).
pub fn run(
    checked: &Checked,
    settings: &LinksSettings,
    options: &Options,
    previous: &results::Results,
    now: SystemTime,
) -> Report {
    let repo = &checked.repo;
    let now_s = results::seconds(now);
    let targets = targets(checked, options);
    let reusable = |t: &Target| -> Option<&results::Stored> {
        let since = options.since?;
        let id = &repo.sources[t.source].id.value;
        previous
            .find(id, &t.url, t.kind)
            .filter(|stored| now_s.saturating_sub(stored.checked_at) <= since.as_secs())
            // A result made while the source had an archived copy asked for no capture.
            .filter(|stored| t.nearest.is_none() || stored.nearest_asked)
    };
    let reused: Vec<Option<&results::Stored>> = targets.iter().map(reusable).collect();
    let mut tasks: Vec<(String, (usize, Task))> = Vec::new();
    // A URL that several sources name is asked once; the others take its answer.
    let mut first_asked: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut asked_as: Vec<usize> = (0..targets.len()).collect();
    for (i, target) in targets.iter().enumerate() {
        if reused[i].is_some() {
            continue;
        }
        if let Some(&first) = first_asked.get(target.url.as_str()) {
            asked_as[i] = first;
        } else {
            first_asked.insert(&target.url, i);
            tasks.push((host_of(&target.url), (i, Task::Probe(target.url.clone()))));
        }
        if let Some(timestamp) = &target.nearest {
            let task = Task::Nearest(target.url.clone(), timestamp.clone());
            tasks.push((host_of(&settings.wayback_api), (i, task)));
        }
    }
    let client = http::Client::new(Duration::from_secs(settings.timeout_s));
    let limits = schedule::Limits {
        per_host: usize::try_from(settings.per_host).unwrap_or(1),
        pause: PAUSE,
        threads: schedule::THREADS,
    };
    let api = settings.wayback_api.as_str();
    let key = options.save_key.as_deref();
    // Once Save Page Now says "too many requests", it is asked nothing more this run.
    let throttled = std::sync::atomic::AtomicBool::new(false);
    let ask = |(i, task): (usize, Task)| {
        let answer = match task {
            Task::Probe(url) => Answer::Probe(client.probe(&url)),
            Task::Nearest(url, timestamp) => {
                Answer::Nearest(client.nearest_capture(api, &url, timestamp.as_deref()))
            }
            Task::Save(_) if throttled.load(std::sync::atomic::Ordering::Relaxed) => Answer::Save(
                Err("not asked: Save Page Now had said too many requests; try later".to_owned()),
            ),
            Task::Save(url) => {
                let saved = client.save(&settings.save_api, &url, SAVE_IF_NOT_ARCHIVED_WITHIN, key);
                if matches!(&saved, Err(why) if why.contains("HTTP 429")) {
                    throttled.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                Answer::Save(saved)
            }
        };
        (i, answer)
    };
    let mut answers = schedule::run(tasks, limits, ask);
    // Then the captures: only of pages that answered, once their answers are in.
    if options.save {
        let reachable = |i: usize| {
            let status = reused[i].map(|s| s.row.status).or_else(|| {
                answers.iter().find_map(|(j, a)| match a {
                    Answer::Probe(p) if *j == asked_as[i] => Some(p.status),
                    _ => None,
                })
            });
            matches!(status, Some(Status::Ok | Status::Redirected))
        };
        let mut once = std::collections::HashSet::new();
        let saves: Vec<(String, (usize, Task))> = targets
            .iter()
            .enumerate()
            .filter(|(i, t)| t.nearest.is_some() && reachable(*i) && once.insert(t.url.as_str()))
            .map(|(i, t)| (host_of(&settings.save_api), (i, Task::Save(t.url.clone()))))
            .collect();
        let paced = schedule::Limits {
            per_host: 1,
            pause: SAVE_PAUSE,
            threads: 1,
        };
        answers.extend(schedule::run(saves, paced, ask));
    }
    let mut probes: Vec<Option<http::Probe>> = vec![None; targets.len()];
    let mut nearest: Vec<Option<Suggested>> = vec![None; targets.len()];
    let mut saved: Vec<Option<Result<Suggested, String>>> = vec![None; targets.len()];
    let mut report = Report::default();
    for (i, answer) in answers {
        match answer {
            Answer::Probe(probe) => probes[i] = Some(probe),
            Answer::Save(result) => saved[i] = Some(result),
            Answer::Nearest(Ok(found)) => nearest[i] = found,
            Answer::Nearest(Err(why)) => {
                let id = &repo.sources[targets[i].source].id.value;
                report.problems.push(format!(
                    "{}: no capture could be suggested: {}",
                    inert_line(id),
                    inert_line(&why)
                ));
            }
        }
    }
    for (i, &first) in asked_as.iter().enumerate() {
        if first != i {
            probes[i] = probes[first].clone();
        }
    }
    for (i, target) in targets.iter().enumerate() {
        let source = &repo.sources[target.source];
        let file = repo.file(source.at.file).to_owned();
        let line = match (reused[i], probes[i].take()) {
            (Some(stored), _) => Line {
                row: stored.row.clone(),
                file,
                pos: target.pos,
                sensitive: source.sensitive,
                reused: true,
                checked_at: stored.checked_at,
                nearest_asked: stored.nearest_asked,
            },
            (None, probe) => {
                let probe = probe.unwrap_or(http::Probe {
                    status: Status::Error,
                    http_status: None,
                    final_url: None,
                    detail: Some("not asked".to_owned()),
                });
                Line {
                    row: Row {
                        source: source.id.value.clone(),
                        url: target.url.clone(),
                        kind: target.kind,
                        status: probe.status,
                        http_status: probe.http_status,
                        final_url: probe.final_url,
                        suggested_archive: nearest[i].take(),
                        detail: probe.detail,
                        saved: None,
                        save_failed: None,
                    },
                    file,
                    pos: target.pos,
                    sensitive: source.sensitive,
                    reused: false,
                    checked_at: now_s,
                    nearest_asked: target.nearest.is_some(),
                }
            }
        };
        let mut line = line;
        match saved[i].take() {
            Some(Ok(capture)) => {
                if line.row.suggested_archive.is_none() {
                    line.row.suggested_archive = Some(capture.clone());
                }
                line.row.saved = Some(capture);
                line.row.save_failed = None;
            }
            Some(Err(why)) => {
                line.row.saved = None;
                line.row.save_failed = Some(why);
            }
            None => {}
        }
        report.lines.push(line);
    }
    report
}

/// The rows shown, as `--format json` prints them: one array, a final newline.
pub fn render_json(report: &Report, options: &Options) -> String {
    let rows: Vec<&Row> = report.shown(options).map(|l| &l.row).collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

/// What a person reads: each URL that is not simply `ok`, at its place, then a summary.
pub fn render_human(report: &Report, options: &Options) -> String {
    let mut out = String::new();
    for line in report.shown(options) {
        let row = &line.row;
        let place = format!("{}:{}:{}", line.file, line.pos.line, line.pos.column);
        let what = match row.kind {
            Kind::Url => "link",
            Kind::Archive => "archived copy",
        };
        let url = inert_line(&row.url);
        let id = inert_line(&row.source);
        let said = match row.status {
            Status::Ok => None,
            Status::Redirected => Some(format!(
                "{what} redirected: {url} now leads to {}",
                inert_line(row.final_url.as_deref().unwrap_or(""))
            )),
            Status::Broken => Some(format!(
                "{what} broken ({}): {url}",
                broken_because(row, |text| inert_line(text).into_owned())
            )),
            Status::Timeout => Some(format!("{what} timed out: {url}")),
            Status::Error => Some(format!(
                "{what} could not be checked ({}): {url}",
                inert_line(row.detail.as_deref().unwrap_or("no answer"))
            )),
        };
        if let Some(said) = said {
            let _ = writeln!(out, "{place}: {said} (source {id})");
        }
        if let Some(capture) = &row.saved {
            let _ = writeln!(
                out,
                "{place}: saved {url} (source {id}) on the Wayback Machine: {}",
                inert_line(&capture.url)
            );
        }
        if let Some(why) = &row.save_failed {
            let _ = writeln!(
                out,
                "{place}: {url} (source {id}) was not saved: {}",
                inert_line(why)
            );
        }
        if let Some(s) = row
            .suggested_archive
            .as_ref()
            .filter(|_| row.saved.is_none())
        {
            let _ = writeln!(
                out,
                "{place}: no archived copy of {url} (source {id}); the Wayback Machine has one captured {}: {}",
                inert_line(&s.captured),
                inert_line(&s.url)
            );
        }
    }
    for problem in &report.problems {
        let _ = writeln!(out, "{problem}");
    }
    let _ = writeln!(out, "{}", summary(report, options));
    crate::text::no_workflow_commands(&out).into_owned()
}

/// One line: how many URLs, and how many of each status.
pub fn summary(report: &Report, options: &Options) -> String {
    let count = |status: Status| {
        report
            .lines
            .iter()
            .filter(|l| l.row.status == status)
            .count()
    };
    let sources = {
        let mut ids: Vec<&str> = report.lines.iter().map(|l| l.row.source.as_str()).collect();
        ids.dedup();
        ids.len()
    };
    let suggested = report
        .lines
        .iter()
        .filter(|l| l.row.suggested_archive.is_some())
        .count();
    let reused = report.lines.iter().filter(|l| l.reused).count();
    let saved = report
        .lines
        .iter()
        .filter(|l| l.row.saved.is_some())
        .count();
    let not_saved = report
        .lines
        .iter()
        .filter(|l| l.row.save_failed.is_some())
        .count();
    let mut text = format!(
        "checked {} URL(s) of {sources} source(s): {} ok, {} redirected, {} broken, {} timed out, {} not checkable; {suggested} capture(s) suggested",
        report.lines.len(),
        count(Status::Ok),
        count(Status::Redirected),
        count(Status::Broken),
        count(Status::Timeout),
        count(Status::Error),
    );
    if saved + not_saved > 0 {
        let _ = write!(text, "; {saved} page(s) saved, {not_saved} not");
    }
    if reused > 0 {
        let _ = write!(text, "; {reused} result(s) reused from an earlier run");
    }
    let withheld = report.withheld(options);
    if withheld > 0 {
        let _ = write!(
            text,
            "; {withheld} URL(s) of sensitive sources not shown (--include-sensitive shows them)"
        );
    }
    text
}

/// GitHub Actions annotations at the line of each failing URL: an error for a broken
/// or timed-out one, a warning for one that could not be checked.
pub fn render_github(report: &Report, options: &Options) -> String {
    let mut out = String::new();
    for line in report.shown(options) {
        let row = &line.row;
        let (level, title) = match row.status {
            Status::Broken => ("error", "broken-link"),
            Status::Timeout => ("error", "link-timeout"),
            Status::Error => ("warning", "link-not-checked"),
            Status::Ok | Status::Redirected => continue,
        };
        let message = match row.status {
            Status::Broken => format!(
                "{} is broken ({}); source {}",
                row.url,
                broken_because(row, |text: &str| text.to_owned()),
                row.source
            ),
            Status::Timeout => format!("{} timed out; source {}", row.url, row.source),
            _ => format!(
                "{} could not be checked ({}); source {}",
                row.url,
                row.detail.as_deref().unwrap_or("no answer"),
                row.source
            ),
        };
        out.push_str(&crate::diagnostics::github_line(
            level,
            &line.file,
            Some(line.pos),
            title,
            &inert_line(&message),
        ));
    }
    out
}

/// Why a `broken` row is broken, in the human and GitHub formats: its status, or what
/// the server said when asked again after a 429 or 503; `shown` makes the server's
/// words fit the format.
fn broken_because(row: &Row, shown: impl Fn(&str) -> String) -> String {
    match (&row.detail, row.http_status) {
        (Some(detail), _) => shown(detail),
        (None, Some(code)) => format!("HTTP {code}"),
        (None, None) => "no page".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_the_precision_of_the_date() {
        let date = |text| crate::model::Date::parse(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(wayback_timestamp(&date("2019")), "2019");
        assert_eq!(wayback_timestamp(&date("2019-04")), "201904");
        assert_eq!(wayback_timestamp(&date("2019-04-10")), "20190410");
    }

    #[test]
    fn hosts_are_told_apart_by_port() {
        assert_eq!(host_of("https://example.org/a"), "example.org:443");
        assert_eq!(host_of("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
        assert_ne!(host_of("http://a.example/"), host_of("http://b.example/"));
    }
}
