//! The requests `corroborate links` makes, through `ureq` (rustls, no hand-written
//! HTTP): one probe of a URL, following its redirects by hand so that a loop, a chain
//! that is too long or a hop to a non-web address is named, and the Wayback Machine's
//! availability and Save Page Now endpoints. No body is read except the availability
//! API's answer, and that with a bound, so a huge page costs nothing.

use super::{Status, Suggested};
use std::time::Duration;
use url::Url;

/// How many redirects are followed before a chain counts as an error.
pub const MAX_REDIRECTS: usize = 10;
/// The most of an availability answer read (they are a few hundred bytes).
const MAX_ANSWER_BYTES: u64 = 1 << 20;
/// How the requests introduce themselves, so a publisher can tell what is asking.
pub const USER_AGENT: &str = concat!(
    "corroborate/",
    env!("CARGO_PKG_VERSION"),
    " (checks the links of a research case's sources)"
);

/// A client with the settings' timeout; it never follows redirects itself.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
}

/// The longest `Retry-After` a probe waits for before asking once more; a server that
/// asks for longer is reported with what it asked, not waited on.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);
/// The wait before asking again when a 429 or 503 answer names none.
const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(1);

/// What one request answered: the status, `Location` and `Retry-After` (in seconds;
/// the HTTP-date form counts as not given).
enum Answer {
    Status(u16, Option<String>, Option<u64>),
    Timeout,
    Failed(String),
}

/// What a probe of one URL found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub status: Status,
    pub http_status: Option<u16>,
    pub final_url: Option<String>,
    pub detail: Option<String>,
}

impl Client {
    pub fn new(timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .build();
        Client {
            agent: config.into(),
        }
    }

    /// One request; the body is never read (dropping it closes the connection).
    fn ask(&self, method: &str, url: &str) -> Answer {
        let result = match method {
            "HEAD" => self.agent.head(url).call(),
            _ => self.agent.get(url).call(),
        };
        match result {
            Ok(response) => {
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                let retry_after = header("retry-after").and_then(|v| v.trim().parse().ok());
                Answer::Status(response.status().as_u16(), header("location"), retry_after)
            }
            Err(ureq::Error::Timeout(_)) => Answer::Timeout,
            Err(err) => Answer::Failed(err.to_string()),
        }
    }

    /// HEAD, and GET where the server refuses HEAD (any 4xx or 5xx answer to it: many
    /// servers answer HEAD with 403, 404 or 405 and GET with the page).
    fn ask_page(&self, url: &str) -> Answer {
        match self.ask("HEAD", url) {
            Answer::Status(code, ..) if code >= 400 => self.ask("GET", url),
            other => other,
        }
    }

    /// [`Self::ask_page`], asked once more after the wait a server names when it
    /// answers 429 (too many requests) or 503 (unavailable), so that a rate limit or a
    /// moment's outage is not reported as a dead page. A wait longer than
    /// [`MAX_RETRY_WAIT`] is not waited; the second element says what the server asked.
    fn ask_patiently(&self, url: &str) -> (Answer, Option<String>) {
        let (code, retry_after) = match self.ask_page(url) {
            Answer::Status(code @ (429 | 503), _, retry_after) => (code, retry_after),
            other => return (other, None),
        };
        let wait = retry_after.map_or(DEFAULT_RETRY_WAIT, Duration::from_secs);
        if wait > MAX_RETRY_WAIT {
            let secs = wait.as_secs();
            let why = format!("HTTP {code}, asking to wait {secs} s (Retry-After); try later");
            return (Answer::Status(code, None, retry_after), Some(why));
        }
        std::thread::sleep(wait);
        let again = self.ask_page(url);
        let why = match &again {
            Answer::Status(again @ (429 | 503), ..) => {
                Some(format!("HTTP {code}, then HTTP {again} when asked again"))
            }
            _ => None,
        };
        (again, why)
    }

    /// Checks one URL: `ok` for a 2xx answer, `redirected` for 3xx hops ending in a 2xx
    /// page elsewhere, `broken` for a final 4xx or 5xx, `timeout`, or `error` (no
    /// answer, a redirect loop, too many hops, a hop to something that is not a web page).
    pub fn probe(&self, url: &str) -> Probe {
        let mut current = url.to_owned();
        let mut seen = vec![current.clone()];
        loop {
            let (answer, patience) = self.ask_patiently(&current);
            let code = match answer {
                Answer::Timeout => return failure(Status::Timeout, hop(url, &current), None),
                Answer::Failed(why) => {
                    return failure(Status::Error, hop(url, &current), Some(why));
                }
                Answer::Status(code, location, _) => match (code, location) {
                    (200..=299, _) => {
                        return Probe {
                            status: if seen.len() == 1 {
                                Status::Ok
                            } else {
                                Status::Redirected
                            },
                            http_status: Some(code),
                            final_url: hop(url, &current),
                            detail: None,
                        };
                    }
                    (300..=399, Some(location)) => {
                        let next = match Url::parse(&current).and_then(|base| base.join(&location))
                        {
                            Ok(next) if matches!(next.scheme(), "http" | "https") => {
                                next.to_string()
                            }
                            _ => {
                                let why = format!("redirected to `{location}`, not a web page");
                                return failure(Status::Error, hop(url, &current), Some(why));
                            }
                        };
                        if seen.contains(&next) {
                            let why = format!("a redirect loop: back to {next}");
                            return failure(Status::Error, hop(url, &current), Some(why));
                        }
                        if seen.len() > MAX_REDIRECTS {
                            let why = format!("more than {MAX_REDIRECTS} redirects");
                            return failure(Status::Error, hop(url, &current), Some(why));
                        }
                        seen.push(next.clone());
                        current = next;
                        continue;
                    }
                    (400..=599, _) => {
                        return Probe {
                            status: Status::Broken,
                            http_status: Some(code),
                            final_url: hop(url, &current),
                            detail: patience,
                        };
                    }
                    (code, _) => code,
                },
            };
            let why = format!("HTTP {code} with nowhere to go next");
            return Probe {
                status: Status::Error,
                http_status: Some(code),
                final_url: hop(url, &current),
                detail: Some(why),
            };
        }
    }

    /// Asks the availability API for the capture of `url` nearest to `timestamp`
    /// (`YYYY`, `YYYYMM` or `YYYYMMDD`). `Ok(None)` when there is none; `Err` when
    /// the API could not be asked or answered something else.
    pub fn nearest_capture(
        &self,
        api: &str,
        url: &str,
        timestamp: Option<&str>,
    ) -> Result<Option<Suggested>, String> {
        let mut endpoint = Url::parse(api).map_err(|err| format!("{api}: {err}"))?;
        {
            let mut query = endpoint.query_pairs_mut();
            query.append_pair("url", url);
            if let Some(timestamp) = timestamp {
                query.append_pair("timestamp", timestamp);
            }
        }
        let body = read_answer(
            self.agent.get(endpoint.as_str()).call(),
            "the availability API",
        )?;
        parse_availability(&body)
    }
}

impl Client {
    /// Asks Save Page Now (its second API: a form POST, then the job's status polled)
    /// to capture `url` unless it was captured within `within` (`30d`), and waits for
    /// the answer up to [`SAVE_POLLS`] polls. `key` is `ACCESS:SECRET` of an
    /// archive.org account, which has higher limits than anonymous requests.
    pub fn save(
        &self,
        api: &str,
        url: &str,
        within: &str,
        key: Option<&str>,
    ) -> Result<Suggested, String> {
        let api = api.trim_end_matches('/');
        let form = [("url", url), ("if_not_archived_within", within)];
        let mut request = self.agent.post(api).header("Accept", "application/json");
        if let Some(key) = key {
            request = request.header("Authorization", &format!("LOW {key}"));
        }
        let answer: SaveAnswer = self.json(request.send_form(form), "Save Page Now")?;
        let job = match (answer.job_id, answer.message) {
            (Some(job), _) => job,
            (None, Some(message)) => {
                return Err(format!(
                    "Save Page Now refused: {}",
                    crate::text::one_line(&message, SERVER_WORDS)
                ));
            }
            (None, None) => return Err("Save Page Now gave no job to follow".into()),
        };
        let status_url = format!("{api}/status/{}", urlencoded(&job));
        for n in 0..SAVE_POLLS {
            std::thread::sleep(if n == 0 { FIRST_POLL } else { POLL });
            let status: SaveStatus = self.json(
                self.agent
                    .get(&status_url)
                    .header("Accept", "application/json")
                    .call(),
                "Save Page Now",
            )?;
            match status.status.as_str() {
                "pending" => continue,
                "success" => {
                    let (Some(timestamp), Some(original)) = (status.timestamp, status.original_url)
                    else {
                        return Err("Save Page Now said success but not where".into());
                    };
                    let capture = format!("https://web.archive.org/web/{timestamp}/{original}");
                    return capture_of(capture, &timestamp);
                }
                _ => {
                    let why = status
                        .message
                        .or(status.status_ext)
                        .unwrap_or_else(|| status.status.clone());
                    return Err(format!(
                        "Save Page Now could not capture it: {}",
                        crate::text::one_line(&why, SERVER_WORDS)
                    ));
                }
            }
        }
        Err(format!(
            "Save Page Now had not finished after {SAVE_POLLS} polls; see {status_url}"
        ))
    }

    /// A JSON answer of at most [`MAX_ANSWER_BYTES`], or why there is none.
    fn json<T: serde::de::DeserializeOwned>(
        &self,
        result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Result<T, String> {
        let body = read_answer(result, what)?;
        serde_json::from_slice(&body)
            .map_err(|err| format!("{what}'s answer is not what it documents: {err}"))
    }
}

/// The body of a 200 answer, at most [`MAX_ANSWER_BYTES`], or why there is none.
fn read_answer(
    result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    what: &str,
) -> Result<Vec<u8>, String> {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Timeout(_)) => return Err(format!("{what} timed out")),
        Err(err) => return Err(format!("{what}: {err}")),
    };
    match response.status().as_u16() {
        200 => {}
        429 => {
            return Err(format!(
                "{what} refused: too many requests (HTTP 429); try later"
            ));
        }
        code => return Err(format!("{what} answered HTTP {code}")),
    }
    response
        .into_body()
        .with_config()
        .limit(MAX_ANSWER_BYTES)
        .read_to_vec()
        .map_err(|err| format!("{what}'s answer: {err}"))
}

/// The most of a server's own message repeated, in display columns.
const SERVER_WORDS: usize = 300;

/// How many times a capture's status is asked before giving up on it, and how long
/// to wait before the first time and between the others (about two minutes in all).
pub const SAVE_POLLS: usize = 24;
const FIRST_POLL: Duration = Duration::from_secs(1);
const POLL: Duration = Duration::from_secs(5);

#[derive(serde::Deserialize)]
struct SaveAnswer {
    job_id: Option<String>,
    message: Option<String>,
}

#[derive(serde::Deserialize)]
struct SaveStatus {
    status: String,
    timestamp: Option<String>,
    original_url: Option<String>,
    message: Option<String>,
    status_ext: Option<String>,
}

/// A job id as one path segment.
fn urlencoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// `final_url` is given only when the answer came from somewhere else.
fn hop(start: &str, current: &str) -> Option<String> {
    (start != current).then(|| current.to_owned())
}

fn failure(status: Status, final_url: Option<String>, detail: Option<String>) -> Probe {
    Probe {
        status,
        http_status: None,
        final_url,
        detail,
    }
}

/// The closest capture in an availability answer:
/// `{"archived_snapshots": {"closest": {"available": true, "url": …, "timestamp": "20190410000000"}}}`.
pub fn parse_availability(body: &[u8]) -> Result<Option<Suggested>, String> {
    #[derive(serde::Deserialize)]
    struct Answer {
        #[serde(default)]
        archived_snapshots: Snapshots,
    }
    #[derive(serde::Deserialize, Default)]
    struct Snapshots {
        closest: Option<Closest>,
    }
    #[derive(serde::Deserialize)]
    struct Closest {
        #[serde(default)]
        available: bool,
        url: String,
        timestamp: String,
    }
    let answer: Answer = serde_json::from_slice(body)
        .map_err(|err| format!("the availability API's answer is not what it documents: {err}"))?;
    let Some(closest) = answer.archived_snapshots.closest else {
        return Ok(None);
    };
    if !closest.available {
        return Ok(None);
    }
    capture_of(closest.url, &closest.timestamp).map(Some)
}

/// A capture at `url` made at `timestamp` (`YYYYMMDDhhmmss`), checked.
fn capture_of(url: String, timestamp: &str) -> Result<Suggested, String> {
    let digits = timestamp.as_bytes();
    if digits.len() < 8 || !digits[..8].iter().all(u8::is_ascii_digit) {
        return Err(format!(
            "the Wayback Machine gave a capture time `{}`, not YYYYMMDDhhmmss",
            crate::text::shown(timestamp)
        ));
    }
    let t = timestamp;
    let captured = format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..8]);
    if crate::model::Date::parse(&captured).is_none() {
        return Err(format!(
            "the Wayback Machine gave a capture time `{}`, which is no date",
            crate::text::shown(timestamp)
        ));
    }
    // The API names captures with http://; the archive serves them over https.
    let url = match url.strip_prefix("http://web.archive.org/") {
        Some(rest) => format!("https://web.archive.org/{rest}"),
        None => url,
    };
    if !crate::rules::is_web_url(&url) {
        return Err(format!(
            "the Wayback Machine named `{}`, not a web address",
            crate::text::shown(&url)
        ));
    }
    Ok(Suggested { url, captured })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_answers_are_read_as_documented() {
        let body = br#"{"url": "example.org/a", "archived_snapshots": {"closest": {"status": "200", "available": true, "url": "http://web.archive.org/web/20190410123456/https://example.org/a", "timestamp": "20190410123456"}}}"#;
        assert_eq!(
            parse_availability(body),
            Ok(Some(Suggested {
                url: "https://web.archive.org/web/20190410123456/https://example.org/a".into(),
                captured: "2019-04-10".into(),
            }))
        );
        assert_eq!(
            parse_availability(br#"{"url": "x", "archived_snapshots": {}}"#),
            Ok(None)
        );
        assert!(parse_availability(b"<html>").is_err());
        let odd = br#"{"archived_snapshots": {"closest": {"available": true, "url": "javascript:alert(1)", "timestamp": "20190410123456"}}}"#;
        assert!(parse_availability(odd).is_err());
    }
}
