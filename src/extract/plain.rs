//! `.txt` and `.md` copies: UTF-8 only, so that what is compared is what the researcher
//! saved, and a copy in another encoding is named as such instead of being guessed at.
//! Also the decoding of web pages and archived responses, which say their encoding.

use super::{Ctx, ExtractProblem};

/// The text of a `.txt` or `.md` copy: strict UTF-8, a byte order mark dropped.
pub(super) fn text(bytes: &[u8], ctx: &Ctx) -> Result<String, ExtractProblem> {
    if bytes.len() > ctx.limits.max_text_bytes {
        return Err(ctx.text_limit());
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_owned()),
        Err(err) => Err(ExtractProblem::NotUtf8 {
            offset: err.valid_up_to() + (bytes.len() - body.len()),
        }),
    }
}

/// Decodes a web page or response: a byte order mark wins, then the charset the HTTP
/// header or the page itself declares, then UTF-8 if the bytes are valid UTF-8, then
/// windows-1252 (what browsers assume for an undeclared Western page). Never fails:
/// undecodable bytes become U+FFFD, as in a browser.
pub(super) fn decode_web(bytes: &[u8], declared: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    let label = declared
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes));
    if let Some(encoding) = label {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            text.into_owned()
        }
    }
}

/// The `charset` a page declares in its first 1,024 bytes (`<meta charset=...>` or
/// `<meta http-equiv=Content-Type content="...; charset=...">`), as browsers look for it.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"charset") {
        let mut i = from + at + b"charset".len();
        while i < lower.len() && matches!(lower[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if i < lower.len() && lower[i] == b'=' {
            i += 1;
            while i < lower.len() && matches!(lower[i], b' ' | b'\t' | b'"' | b'\'') {
                i += 1;
            }
            let start = i;
            while i < lower.len()
                && (lower[i].is_ascii_alphanumeric()
                    || matches!(lower[i], b'-' | b'_' | b':' | b'.'))
            {
                i += 1;
            }
            if let Some(encoding) = encoding_rs::Encoding::for_label(&lower[start..i]) {
                // A page that says UTF-16 in ASCII bytes is not UTF-16 (the HTML standard
                // reads it as UTF-8).
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                    return Some(encoding_rs::UTF_8);
                }
                return Some(encoding);
            }
        }
        from = i.max(from + at + 1);
    }
    None
}

/// Where `needle` first occurs in `hay`.
pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|window| window == needle)
}
