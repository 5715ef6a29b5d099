//! The text of each page of a PDF. pdf-extract lays text out by its position on the page
//! (line ends where lines end, spaces where words are apart), which lopdf's own
//! `extract_text` does not: on the fixtures it gave "surveil- lance" for a LaTeX line end
//! and "Zürich \n-\nSüd" for a LibreOffice one. But pdf-extract has two weaknesses
//! with hostile files, and both are contained here:
//! - it decodes streams with lopdf 0.42, which has no bound on decompression, so the
//!   file is first loaded by lopdf 0.47 with a bound per stream, and every stream is
//!   decoded once within what is left of [`super::Limits::max_decompressed_bytes`]; only a
//!   file whose streams all fit goes on to pdf-extract, which then holds no more than that;
//! - it panics on some malformed files (it has many `unwrap`s), so loading and each page
//!   run under `catch_unwind`, and a panic is a problem with the file (the panic's
//!   message still reaches standard error through the default hook).
//!
//! A hyphen at the end of a line followed by a lowercase letter joins the word it splits
//! ("surveil-\nlance" is "surveillance"), as FORMAT.md says.

use super::{Ctx, ExtractProblem, Extracted, Layout};
use std::panic::{AssertUnwindSafe, catch_unwind};

pub(super) fn pages(bytes: &[u8], ctx: &mut Ctx) -> Result<Extracted, ExtractProblem> {
    if !bytes.starts_with(b"%PDF-")
        && super::plain::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_none()
    {
        return Err(ExtractProblem::Malformed(
            "it is not a PDF file (no %PDF- header)".to_owned(),
        ));
    }
    let count = measure(bytes, ctx)?;
    ctx.tick()?;
    let doc = catch_unwind(|| pdf_extract::Document::load_mem(bytes))
        .map_err(|_| malformed("its structure could not be read"))?
        .map_err(|err| malformed(&format!("its structure could not be read ({err})")))?;
    let mut doc = doc;
    if doc.is_encrypted() {
        let decrypted = catch_unwind(AssertUnwindSafe(|| doc.decrypt("")));
        if !matches!(decrypted, Ok(Ok(()))) {
            return Err(ExtractProblem::Unsupported(
                "it is encrypted with a password; add a copy with `role: text`".to_owned(),
            ));
        }
    }
    let mut pages = Vec::with_capacity(count.min(ctx.limits.max_pages));
    let mut total = 0usize;
    for number in 1..=count {
        ctx.tick()?;
        let page_number = u32::try_from(number).map_err(|_| ctx.text_limit())?;
        let text = catch_unwind(AssertUnwindSafe(|| {
            let mut text = String::new();
            let mut output = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut output, page_number).map(|()| text)
        }));
        // A page that cannot be read counts as a page without text: the others may still
        // hold the quote, and a copy with no readable page at all is reported as NoText.
        let text = match text {
            Ok(Ok(text)) => join_hyphenated(text.trim_matches(['\n', '\r'])),
            Ok(Err(_)) | Err(_) => String::new(),
        };
        total = total.saturating_add(text.len());
        if total > ctx.limits.max_text_bytes {
            return Err(ctx.text_limit());
        }
        pages.push(text);
    }
    if pages.iter().all(|page| page.trim().is_empty()) {
        return Err(ExtractProblem::NoText);
    }
    Ok(Extracted {
        pages,
        layout: Layout::Pages,
    })
}

fn malformed(why: &str) -> ExtractProblem {
    ExtractProblem::Malformed(format!("it is not a readable PDF: {why}"))
}

/// Loads the file with bounds, checks its page count and decodes each of its streams
/// once within the decompression budget. Gives the number of pages.
fn measure(bytes: &[u8], ctx: &mut Ctx) -> Result<usize, ExtractProblem> {
    let per_stream = usize::try_from(ctx.remaining()).unwrap_or(usize::MAX);
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(per_stream),
        ..lopdf::LoadOptions::default()
    };
    let doc = catch_unwind(|| lopdf::Document::load_mem_with_options(bytes, options))
        .map_err(|_| malformed("its structure could not be read"))?
        .map_err(|err| match err {
            lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
                ctx.decompressed_limit()
            }
            err => malformed(&format!("its structure could not be read ({err})")),
        })?;
    let count = doc.get_pages().len();
    if count > ctx.limits.max_pages {
        return Err(ExtractProblem::LimitReached {
            what: "pages",
            limit: u64::try_from(ctx.limits.max_pages).unwrap_or(u64::MAX),
        });
    }
    for object in doc.objects.values() {
        ctx.tick()?;
        let Ok(stream) = object.as_stream() else {
            continue;
        };
        let remaining = usize::try_from(ctx.remaining()).unwrap_or(usize::MAX);
        let size = if stream
            .filters()
            .map(|filters| filters.is_empty())
            .unwrap_or(true)
        {
            stream.content.len()
        } else {
            match stream.decompressed_content_with_limit(remaining) {
                Ok(content) => content.len(),
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) => return Err(ctx.decompressed_limit()),
                // Images (DCT, JPX, CCITT) and broken streams are not decoded here; what
                // pdf-extract cannot decode it skips.
                Err(_) => stream.content.len(),
            }
        };
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        if size > ctx.remaining() {
            return Err(ctx.decompressed_limit());
        }
        ctx.decompressed += size;
    }
    Ok(count)
}

/// Joins a word split by a hyphen at the end of a line: the hyphen (`-`, U+2010 or a
/// soft hyphen) must follow a letter, end its line, and the next line must start with a
/// lowercase letter.
pub(super) fn join_hyphenated(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['-', '\u{2010}', '\u{ad}']) {
        let hyphen = rest[at..].chars().next().map_or(1, char::len_utf8);
        let (before, after) = (&rest[..at], &rest[at + hyphen..]);
        out.push_str(before);
        let after_spaces = after.trim_start_matches([' ', '\t']);
        let after_line = after_spaces
            .strip_prefix("\r\n")
            .or_else(|| after_spaces.strip_prefix('\n'))
            .map(|next| next.trim_start_matches([' ', '\t']));
        let letter_before = before.chars().next_back().is_some_and(char::is_alphabetic);
        match after_line {
            Some(next) if letter_before && next.chars().next().is_some_and(char::is_lowercase) => {
                rest = next;
            }
            _ => {
                out.push_str(&rest[at..at + hyphen]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
