//! Web archives: `.warc` (ISO 28500 records), `.warc.gz` (one gzip member per record, or
//! one for the whole file: a multi-member stream either way) and `.wacz` (a zip whose
//! `archive/` folder holds WARC files). The HTML and plain-text responses are the text;
//! the capture of the source's own URL comes first.
//!
//! The records are read by the small reader below, over bytes already in memory, rather
//! than with the `warc` crate (0.4): that one reads from a stream into a fresh 1 MiB
//! buffer per record with no bound on a record's size or on the number of records,
//! brings chrono, url and nom 7 for what is a header block and a length here, and
//! decompresses with libflate where the zip reader already needs flate2.

use super::{Ctx, ExtractProblem, Extracted, Layout};
use flate2::read::{DeflateDecoder, GzDecoder, MultiGzDecoder, ZlibDecoder};
use std::io::Cursor;

/// The longest header block (of a WARC record or an HTTP response) that is read.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// One HTML or text response found so far.
struct Found {
    uri: String,
    text: String,
}

/// What was met that carried no text, to say why an archive gave nothing.
#[derive(Default)]
struct Tally {
    records: usize,
    responses: usize,
    skipped_encoding: usize,
    found: Vec<Found>,
    text_bytes: usize,
}

pub(super) fn from_warc(
    bytes: &[u8],
    url: Option<&str>,
    ctx: &mut Ctx,
) -> Result<Extracted, ExtractProblem> {
    let mut tally = Tally::default();
    read_records(bytes, ctx, &mut tally)?;
    finish(tally, url)
}

pub(super) fn from_warc_gz(
    bytes: &[u8],
    url: Option<&str>,
    ctx: &mut Ctx,
) -> Result<Extracted, ExtractProblem> {
    let warc = ctx.inflate(MultiGzDecoder::new(bytes), "the gzip file")?;
    from_warc(&warc, url, ctx)
}

pub(super) fn from_wacz(
    bytes: &[u8],
    url: Option<&str>,
    ctx: &mut Ctx,
) -> Result<Extracted, ExtractProblem> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| {
        ExtractProblem::Malformed(format!("it is not a readable WACZ (zip) file: {err}"))
    })?;
    if zip.len() > ctx.limits.max_archive_entries {
        return Err(ExtractProblem::LimitReached {
            what: "zip entries",
            limit: u64::try_from(ctx.limits.max_archive_entries).unwrap_or(u64::MAX),
        });
    }
    let mut tally = Tally::default();
    let mut warcs = 0;
    for index in 0..zip.len() {
        ctx.tick()?;
        let mut entry = zip.by_index(index).map_err(|err| {
            ExtractProblem::Malformed(format!("entry {index} of the zip cannot be read: {err}"))
        })?;
        let Ok(name) = entry.name().map(|name| name.into_owned()) else {
            continue;
        };
        let gz = name.ends_with(".warc.gz");
        if !name.starts_with("archive/") || !(gz || name.ends_with(".warc")) {
            continue;
        }
        warcs += 1;
        let data = ctx.inflate(&mut entry, &format!("the zip entry {name}"))?;
        drop(entry);
        let warc = if gz {
            ctx.inflate(
                MultiGzDecoder::new(&data[..]),
                &format!("the WARC file {name}"),
            )?
        } else {
            data
        };
        read_records(&warc, ctx, &mut tally)?;
    }
    if warcs == 0 {
        return Err(ExtractProblem::Empty(
            "the WACZ has no WARC file in its archive/ folder".to_owned(),
        ));
    }
    finish(tally, url)
}

/// The found responses, the capture of `url` first: exactly the same URI first, then
/// the same but for scheme, fragment or a final `/`, then the others in archive order.
fn finish(tally: Tally, url: Option<&str>) -> Result<Extracted, ExtractProblem> {
    if tally.found.is_empty() {
        return Err(ExtractProblem::Empty(if tally.records == 0 {
            "it holds no WARC record".to_owned()
        } else if tally.skipped_encoding > 0 {
            format!(
                "its {} HTML or text responses are compressed in a way this version does not read (only gzip and deflate)",
                tally.skipped_encoding
            )
        } else {
            format!(
                "none of its {} records is a successful HTML or plain-text response ({} responses in all)",
                tally.records, tally.responses
            )
        }));
    }
    let mut found = tally.found;
    if let Some(url) = url {
        let rank = |uri: &str| {
            if uri == url {
                0
            } else if loose(uri) == loose(url) {
                1
            } else {
                2
            }
        };
        found.sort_by_key(|record| rank(&record.uri));
    }
    let uris = found.iter().map(|record| record.uri.clone()).collect();
    Ok(Extracted {
        pages: found.into_iter().map(|record| record.text).collect(),
        layout: Layout::Records { uris },
    })
}

/// A URI without its scheme, fragment and final `/`, with its host in lower case.
fn loose(uri: &str) -> String {
    let uri = uri.split('#').next().unwrap_or(uri);
    let uri = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"))
        .unwrap_or(uri);
    let (host, path) = uri.split_at(uri.find('/').unwrap_or(uri.len()));
    format!(
        "{}{}",
        host.to_ascii_lowercase(),
        path.trim_end_matches('/')
    )
}

/// Reads every record of one WARC file in memory.
fn read_records(data: &[u8], ctx: &mut Ctx, tally: &mut Tally) -> Result<(), ExtractProblem> {
    let mut pos = 0;
    loop {
        while pos < data.len() && matches!(data[pos], b'\r' | b'\n') {
            pos += 1;
        }
        if pos >= data.len() {
            return Ok(());
        }
        ctx.tick()?;
        tally.records += 1;
        if tally.records > ctx.limits.max_records {
            return Err(ExtractProblem::LimitReached {
                what: "WARC records",
                limit: u64::try_from(ctx.limits.max_records).unwrap_or(u64::MAX),
            });
        }
        let rest = &data[pos..];
        if !rest.starts_with(b"WARC/") {
            return Err(ExtractProblem::Malformed(format!(
                "byte {pos} should start a WARC record (\"WARC/1.1\") and does not"
            )));
        }
        let (head, body_start) = header_block(rest).ok_or_else(|| {
            ExtractProblem::Malformed(format!(
                "the WARC record at byte {pos} has no end to its headers within {MAX_HEADER_BYTES} bytes"
            ))
        })?;
        let headers = parse_headers(head);
        let length = header(&headers, "content-length")
            .and_then(|value| value.trim().parse::<usize>().ok())
            .ok_or_else(|| {
                ExtractProblem::Malformed(format!(
                    "the WARC record at byte {pos} has no valid Content-Length"
                ))
            })?;
        let available = rest.len() - body_start;
        // A record cut short (a capture that stopped) keeps what it has; nothing follows it.
        let body = &rest[body_start..body_start + length.min(available)];
        pos += body_start + length.min(available);
        record(&headers, body, ctx, tally)?;
        if length > available {
            return Ok(());
        }
    }
}

/// The header lines of a block that ends with an empty line, and where what follows starts.
fn header_block(data: &[u8]) -> Option<(&str, usize)> {
    let window = &data[..data.len().min(MAX_HEADER_BYTES)];
    let crlf = super::plain::find(window, b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = super::plain::find(window, b"\n\n").map(|at| (at, at + 2));
    let (end, next) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => return None,
    };
    // Header values are ASCII in practice; anything else is read leniently.
    let head = std::str::from_utf8(&window[..end]).ok()?;
    Some((head, next))
}

/// `Name: value` lines after the first line, names in lower case.
fn parse_headers(head: &str) -> Vec<(String, String)> {
    head.lines()
        .skip(1)
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect()
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Takes the text of one record, if it is an HTML or text response.
fn record(
    headers: &[(String, String)],
    body: &[u8],
    ctx: &mut Ctx,
    tally: &mut Tally,
) -> Result<(), ExtractProblem> {
    let kind = header(headers, "warc-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let uri = header(headers, "warc-target-uri")
        .unwrap_or("")
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned();
    let (content_type, payload) = match kind.as_str() {
        "response" => {
            tally.responses += 1;
            let is_http = body.starts_with(b"HTTP/");
            if !is_http {
                return Ok(());
            }
            let Some((head, start)) = header_block(body) else {
                return Ok(());
            };
            let status = head
                .lines()
                .next()
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|code| code.parse::<u16>().ok());
            if !status.is_some_and(|code| (200..300).contains(&code)) {
                return Ok(());
            }
            let http = parse_headers(head);
            let content_type = header(&http, "content-type").unwrap_or("").to_owned();
            if mime_kind(&content_type).is_none() {
                return Ok(());
            }
            let mut payload = body[start..].to_vec();
            if header(&http, "transfer-encoding")
                .is_some_and(|value| value.to_ascii_lowercase().contains("chunked"))
            {
                payload = dechunk(&payload);
            }
            match header(&http, "content-encoding")
                .map(|value| value.trim().to_ascii_lowercase())
                .as_deref()
            {
                None | Some("") | Some("identity") => {}
                Some("gzip") | Some("x-gzip") => {
                    payload = ctx.inflate(GzDecoder::new(&payload[..]), "a gzip HTTP body")?;
                }
                Some("deflate") => {
                    // Servers send either zlib or raw deflate under this name.
                    payload = match ctx
                        .inflate(ZlibDecoder::new(&payload[..]), "a deflate HTTP body")
                    {
                        Ok(inflated) => inflated,
                        Err(ExtractProblem::Malformed(_)) => {
                            ctx.inflate(DeflateDecoder::new(&payload[..]), "a deflate HTTP body")?
                        }
                        Err(other) => return Err(other),
                    };
                }
                Some(_) => {
                    tally.skipped_encoding += 1;
                    return Ok(());
                }
            }
            (content_type, payload)
        }
        "resource" => {
            let content_type = header(headers, "content-type").unwrap_or("").to_owned();
            (content_type, body.to_vec())
        }
        _ => return Ok(()),
    };
    let charset = charset(&content_type);
    let text = match mime_kind(&content_type) {
        Some(Mime::Html) => super::html::text(&payload, charset.as_deref(), ctx)?,
        Some(Mime::Text) => super::plain::decode_web(&payload, charset.as_deref()),
        None => return Ok(()),
    };
    tally.text_bytes = tally.text_bytes.saturating_add(text.len());
    if tally.text_bytes > ctx.limits.max_text_bytes {
        return Err(ctx.text_limit());
    }
    tally.found.push(super::warc::Found { uri, text });
    Ok(())
}

enum Mime {
    Html,
    Text,
}

fn mime_kind(content_type: &str) -> Option<Mime> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Some(Mime::Html),
        "text/plain" => Some(Mime::Text),
        _ => None,
    }
}

fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// The body of a chunked HTTP message: never longer than what it was made from; a
/// malformed or cut chunk ends it with what came before.
fn dechunk(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut pos = 0;
    while pos < data.len() {
        let Some(line_end) = data[pos..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let line = String::from_utf8_lossy(&data[pos..pos + line_end]);
        let size_text = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            break;
        };
        pos += line_end + 1;
        if size == 0 {
            break;
        }
        let end = pos.saturating_add(size).min(data.len());
        out.extend_from_slice(&data[pos..end]);
        pos = end;
        while pos < data.len() && matches!(data[pos], b'\r' | b'\n') && pos < end + 2 {
            pos += 1;
        }
    }
    out
}
