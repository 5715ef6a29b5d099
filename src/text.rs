//! Small text helpers for messages: quoting user values so they cannot disguise
//! themselves on a terminal or start a line of their own, and finding the closest
//! valid name for a typo.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that could hide or reorder text on a terminal or in a message: controls
/// (except newline and tab), bidirectional overrides and isolates, and zero-width ones.
pub fn is_disguising(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Whether the text holds any disguising character. Printable ASCII, the common case,
/// is cleared byte by byte without decoding.
pub fn has_disguising(s: &str) -> bool {
    s.bytes().any(|b| !(0x20..0x7f).contains(&b)) && s.chars().any(is_disguising)
}

/// The text with every disguising character written as a visible `\u{...}` escape.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !has_disguising(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_disguising(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The text inert and on one line: besides every disguising character, a line break
/// is written as a visible escape, so a value or a file name can never start a line of
/// its own in the output (where it could pass for the tool's own words).
pub fn inert_line(s: &str) -> Cow<'_, str> {
    if !s.contains(['\n', '\r']) {
        return inert(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_disguising(c) || c == '\n' {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Output for a person that may be read by a GitHub Actions runner (a CI log): a line
/// whose first non-blank characters are `::` is a workflow command there
/// (`::add-mask::`, `::stop-commands::`), so such a line from the data gets its first
/// colon written as a visible escape. Everything the terminal commands print goes
/// through here.
pub fn no_workflow_commands(s: &str) -> Cow<'_, str> {
    let forged = |line: &str| line.trim_start().starts_with("::");
    if !s.split('\n').any(forged) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if forged(line) {
            let blank = line.len() - line.trim_start().len();
            out.push_str(&line[..blank]);
            out.push_str("\\u{3a}");
            out.push_str(&line[blank + 1..]);
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// `&`, `<`, `>`, `"` and `'` as character references: enough for text and for quoted
/// attribute values in HTML and SVG.
fn html_reference(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Bytes that [`write_html`] must look at: the five HTML characters, ASCII controls
/// other than newline and tab, and the start of every non-ASCII character.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte >= 0x7f
            || (byte < 0x20 && byte != 0x0a && byte != 0x09)
            || matches!(byte as u8, b'&' | b'<' | b'>' | b'"' | b'\'');
        byte += 1;
    }
    table
};

/// Writes `text` escaped for HTML (see [`html_reference`]) and inert (as [`inert`]) in one
/// pass, straight to `out`: what every value from the data goes through on its way
/// into a page, so that runs of plain text are copied whole.
pub fn write_html(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let bytes = text.as_bytes();
    // Start of the text not yet written, and where the scan is.
    let (mut plain, mut at) = (0, 0);
    while at < bytes.len() {
        let byte = bytes[at];
        if !SPECIAL[usize::from(byte)] {
            at += 1;
            continue;
        }
        let (width, replace) = if byte.is_ascii() {
            let control = (byte < 0x20 && byte != b'\n' && byte != b'\t') || byte == 0x7f;
            (1, html_reference(byte).is_some() || control)
        } else {
            match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.len_utf8(), is_disguising(c)),
                None => (1, false),
            }
        };
        if replace {
            out.write_str(text.get(plain..at).unwrap_or_default())?;
            match html_reference(byte) {
                Some(reference) => out.write_str(reference)?,
                None => {
                    let c = text.get(at..).and_then(|rest| rest.chars().next());
                    write!(out, "\\u{{{:x}}}", c.map_or(0, u32::from))?;
                }
            }
            plain = at + width;
        }
        at += width;
    }
    out.write_str(text.get(plain..).unwrap_or_default())
}

/// A user value as it should appear inside a message: inert, and cut short when long.
pub fn shown(s: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    let mut width = 0;
    for c in s.chars() {
        width += char_width(c);
        if width > MAX {
            out.push('…');
            break;
        }
        out.push(c);
    }
    inert_line(&out).into_owned()
}

/// Display columns of a character (a CJK character takes two, a combining mark none).
fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// A free-text value as a one-line label: runs of whitespace (newlines included) become
/// one space, long text is cut to `max` display columns with `…`, and disguising characters
/// are made visible. Graph nodes and table cells have room for one short line only.
pub fn one_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max.saturating_mul(4)));
    let mut width = 0;
    for word in s.split_whitespace() {
        if width > 0 {
            out.push(' ');
            width += 1;
        }
        for c in word.chars() {
            let w = char_width(c);
            if width + w > max {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push('…');
                return inert(&out).into_owned();
            }
            out.push(c);
            width += w;
        }
    }
    inert(&out).into_owned()
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
/// The distance is the optimal string alignment distance (strsim): Levenshtein plus
/// swaps of neighbours, the commonest typo of all.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (strsim::osa_distance(&lower, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let fields = ["statement", "claimant", "about", "evidence"];
        assert_eq!(closest("statment", fields), Some("statement"));
        assert_eq!(closest("claimnat", fields), Some("claimant"));
        assert_eq!(closest("Evidence", fields), Some("evidence"));
        assert_eq!(closest("colour", fields), None);
    }

    #[test]
    fn disguising_characters_are_found_in_any_script() {
        assert!(!has_disguising("plain ascii, with\ttabs\nand lines"));
        assert!(!has_disguising("海康威视 Überwachung"));
        assert!(has_disguising("a\u{202e}b"));
        assert!(has_disguising("zero\u{200b}width"));
        assert!(has_disguising("bell\u{7}"));
        assert!(has_disguising("c1\u{85}"));
    }

    #[test]
    fn disguising_characters_become_visible() {
        assert_eq!(inert("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(inert("plain"), "plain");
    }

    #[test]
    fn html_is_escaped_and_inert_in_one_pass() {
        // The plain way, character by character, to hold the one pass against.
        fn escape_html(text: &str) -> String {
            text.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    c => c.to_string(),
                })
                .collect()
        }
        let html = |text: &str| {
            let mut out = String::new();
            super::write_html(&mut out, text).map(|()| out)
        };
        for text in [
            "plain",
            "",
            "<script>alert('x') & \"y\"</script>",
            "a\u{202e}b\u{200b}c\rd\u{7f}e\tf\ng",
            "Ürümqi — 乌鲁木齐 <b>",
            "\u{feff}<",
        ] {
            assert_eq!(html(text), Ok(escape_html(&inert(text))), "{text:?}");
        }
        assert_eq!(shown(&"x".repeat(100)).chars().count(), 61);
    }

    #[test]
    fn values_and_names_stay_on_their_line() {
        assert_eq!(inert_line("a\nb\r\nc"), "a\\u{a}b\\u{d}\\u{a}c");
        assert_eq!(shown("key\n::error::x"), "key\\u{a}::error::x");
        assert_eq!(inert_line("\x1b[32mok"), "\\u{1b}[32mok");
    }

    #[test]
    fn workflow_commands_from_the_data_are_defused() {
        assert_eq!(no_workflow_commands("a\nb::c\n"), "a\nb::c\n");
        assert_eq!(
            no_workflow_commands("x\n::add-mask::s\n   ::error::y\n"),
            "x\n\\u{3a}:add-mask::s\n   \\u{3a}:error::y\n"
        );
    }

    #[test]
    fn one_line_labels() {
        assert_eq!(one_line("  a\n\tb  c\r\n", 60), "a b c");
        assert_eq!(one_line("abcdef", 6), "abcdef");
        assert_eq!(one_line("abcdefg", 6), "abcdef…");
        assert_eq!(one_line("abc defg", 4), "abc…");
        assert_eq!(one_line("a\u{202e}b", 60), "a\\u{202e}b");
        // Cut by display columns: a CJK character takes two.
        assert_eq!(one_line("海康威视", 4), "海康…");
        assert_eq!(shown(&"海".repeat(40)).chars().count(), 31);
    }
}
