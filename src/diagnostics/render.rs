//! The three ways diagnostics leave the tool: for a person at a terminal (with the
//! source line and a caret, like rustc), as JSON for tools, and as GitHub Actions
//! workflow commands so problems show up on the lines of a pull request.

use super::{Diagnostic, Pos, Severity, Texts};
use crate::text::{inert_line, is_disguising};
use annotate_snippets::{
    AnnotationKind, Group, Level, Origin, Renderer, Snippet as AnnotateSnippet,
};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthChar;

/// How many diagnostics are printed for people unless asked for more: enough to work
/// through, few enough that a broken file of thousands of records stays readable.
pub const DEFAULT_MAX_SHOWN: usize = 200;

/// How much of a source line a snippet shows, in display columns: a window around the
/// caret, so that one long line with many problems costs each of them a line's worth
/// of output, not the whole line again.
pub const SNIPPET_COLUMNS: usize = 120;
/// How much of the window lies before the caret when the line is cut.
const SNIPPET_BEFORE: usize = 40;

/// Renders for people, at most [`DEFAULT_MAX_SHOWN`] diagnostics and a count of the rest.
pub fn render_human(diagnostics: &[Diagnostic], texts: &Texts) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_human(&mut out, diagnostics, texts, Some(DEFAULT_MAX_SHOWN));
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes for people, at most `limit` diagnostics (all with `None`) and a line that
/// counts the rest, one diagnostic at a time (so that printing them all never holds
/// them all). Source lines come from `texts`, the text that was parsed; a file that
/// was not read has no snippet.
pub fn write_human(
    out: &mut impl std::io::Write,
    diagnostics: &[Diagnostic],
    texts: &Texts,
    limit: Option<usize>,
) -> std::io::Result<()> {
    let shown = limit.map_or(diagnostics.len(), |l| l.min(diagnostics.len()));
    let mut cursor: Option<LineCursor<'_>> = None;
    let mut block = String::new();
    for diagnostic in &diagnostics[..shown] {
        if cursor.as_ref().is_none_or(|c| c.file != diagnostic.file) {
            cursor = texts
                .get(&diagnostic.file)
                .map(|text| LineCursor::new(&diagnostic.file, text));
        }
        let place = cursor
            .as_mut()
            .filter(|c| c.file == diagnostic.file)
            .and_then(|c| c.locate(diagnostic.line, diagnostic.column));
        block.clear();
        write_one(&mut block, diagnostic, place);
        out.write_all(block.as_bytes())?;
    }
    out.write_all(more_line(diagnostics.len() - shown).as_bytes())
}

/// The line that counts what was not printed (empty when everything was).
pub fn more_line(hidden: usize) -> String {
    match hidden {
        0 => String::new(),
        n => format!(
            "... and {n} more problem{} not shown; `corroborate check --max-errors 0` shows them all\n",
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// Finds lines and columns in one file's text, moving forward from the last place
/// found: diagnostics come sorted by line and column, so a file is scanned once however
/// many problems it has (one long line with a hundred thousand of them included).
struct LineCursor<'t> {
    file: &'t str,
    text: &'t str,
    /// The number, byte offset and text of the line the cursor is on.
    number: u32,
    start: usize,
    current: Option<&'t str>,
    /// The last column found on that line (from 0) and its byte offset in the line.
    column: usize,
    column_at: usize,
}

impl<'t> LineCursor<'t> {
    fn new(file: &'t str, text: &'t str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        LineCursor {
            file,
            text,
            number: 1,
            start: 0,
            current: None,
            column: 0,
            column_at: 0,
        }
    }

    /// Line `number` and the byte offset in it of `column` (both from 1; a column past
    /// the end is the end).
    fn locate(&mut self, number: u32, column: u32) -> Option<(&'t str, usize)> {
        let before = self.number;
        let line = self.line(number)?;
        let column = column.max(1) as usize - 1;
        if self.number != before || column < self.column {
            self.column = 0;
            self.column_at = 0;
        }
        let rest = line.get(self.column_at..).unwrap_or_default();
        let at = rest
            .char_indices()
            .nth(column - self.column)
            .map_or(line.len(), |(at, _)| self.column_at + at);
        if at < line.len() {
            self.column = column;
            self.column_at = at;
        }
        Some((line, at))
    }

    /// Line `number` (from 1) without its line break.
    fn line(&mut self, number: u32) -> Option<&'t str> {
        if number == 0 {
            return None;
        }
        if number == self.number
            && let Some(line) = self.current
        {
            return Some(line);
        }
        if number < self.number {
            self.number = 1;
            self.start = 0;
        }
        while self.number < number {
            let next = self.text.get(self.start..)?.find('\n')?;
            self.start += next + 1;
            self.number += 1;
        }
        let rest = self.text.get(self.start..)?;
        let line = rest.split('\n').next().unwrap_or(rest);
        let line = line.strip_suffix('\r').unwrap_or(line);
        self.current = Some(line);
        Some(line)
    }
}

/// How far into a line the caret may be for annotate-snippets to be handed the line
/// from its start (it finds the column, and cuts a long line, itself). Past this a
/// diagnostic gets the window [`Snippet`] cut, so that a long line with many problems
/// costs each of them a window, not the line.
const WHOLE_PREFIX_BYTES: usize = 4096;

/// One diagnostic, rendered by annotate-snippets (cargo's renderer), so that the caret
/// sits under the right character after CJK text, tabs, combining marks and
/// right-to-left scripts.
fn write_one(out: &mut String, d: &Diagnostic, place: Option<(&str, usize)>) {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = inert_line(&d.message);
    let file = inert_line(&d.file);
    let id = d.id.as_deref().map(|id| format!("id: {}", inert_line(id)));
    let title = level
        .clone()
        .primary_title(message.as_ref())
        .id(d.code.as_str());
    let line = d.line as usize;
    let groups = match place {
        Some((text, caret)) if caret <= WHOLE_PREFIX_BYTES => {
            let (source, span) = Snippet::from_start(text, caret, d.len);
            let group = title.element(
                AnnotateSnippet::source(source)
                    .line_start(line)
                    .path(file.as_ref())
                    .annotation(AnnotationKind::Primary.span(span)),
            );
            Renderer::plain().render(&[with_id(group, id.as_deref())])
        }
        Some((text, caret)) => {
            // The place is given, and the window that annotate-snippets draws follows it.
            let snippet = Snippet::new(text, caret, d.len);
            let origin = Origin::path(file.as_ref())
                .line(line)
                .char_column(d.column.max(1) as usize);
            let rest = Group::with_level(level.clone()).element(
                AnnotateSnippet::source(snippet.text.as_str())
                    .line_start(line)
                    .annotation(AnnotationKind::Primary.span(snippet.caret.clone())),
            );
            Renderer::plain().render(&[title.element(origin), with_id(rest, id.as_deref())])
        }
        None => {
            let mut origin = Origin::path(file.as_ref());
            if line > 0 {
                origin = origin.line(line).char_column(d.column.max(1) as usize);
            }
            let group = title.element(origin);
            Renderer::plain().render(&[with_id(group, id.as_deref())])
        }
    };
    out.push_str(&groups);
    out.push_str("\n\n");
}

/// The group with the record's id as its footer (`= id: ...`), when it has one.
fn with_id<'a>(group: Group<'a>, id: Option<&'a str>) -> Group<'a> {
    match id {
        Some(id) => group.element(Level::NOTE.no_name().message(id)),
        None => group,
    }
}

/// The part of a source line shown under a message, and where the caret goes in it, in
/// display columns (a CJK character takes two, a combining mark none).
#[derive(Debug, PartialEq, Eq)]
struct Snippet {
    text: String,
    /// The bytes of `text` under the caret.
    caret: std::ops::Range<usize>,
    caret_at: usize,
    caret_len: usize,
}

impl Snippet {
    /// The line from its start to a window's width past the caret, shown as it will be
    /// printed (see [`shown_char`]), and the bytes of it under the caret.
    fn from_start(line: &str, caret: usize, len: u32) -> (String, std::ops::Range<usize>) {
        let caret = caret.min(line.len());
        let mut text: String = line[..caret].chars().map(shown_char).collect();
        let start = text.len();
        let mut width = 0;
        let mut marked = 0;
        let mut end = start;
        for c in line[caret..].chars() {
            let w = shown_width(c);
            if width + w > SNIPPET_COLUMNS {
                text.push('…');
                break;
            }
            width += w;
            text.push(shown_char(c));
            if marked < len.max(1) {
                marked += 1;
                end = text.len();
            }
        }
        (text, start..end.max(start + 1))
    }

    /// `caret` is the byte offset of the caret in `line`; `len` counts characters.
    fn new(line: &str, caret: usize, len: u32) -> Snippet {
        let (before, after) = line.split_at(caret.min(line.len()));
        // How much there is on each side, looked at no further than a window's width.
        let room_before = width_up_to(before.chars().rev(), SNIPPET_COLUMNS);
        let room_after = width_up_to(after.chars(), SNIPPET_COLUMNS);
        // The window keeps SNIPPET_BEFORE columns before the caret, or more when the
        // line ends sooner after it.
        let want_before =
            room_before.min(SNIPPET_BEFORE.max(SNIPPET_COLUMNS.saturating_sub(room_after)));
        let mut start = caret;
        let mut width_before = 0;
        for (at, c) in before.char_indices().rev() {
            let w = shown_width(c);
            if width_before + w > want_before {
                break;
            }
            width_before += w;
            start = at;
        }
        let cut_before = start > 0;
        let room = SNIPPET_COLUMNS - width_before;
        let mut end = caret;
        let mut width_after = 0;
        let mut caret_len = 0;
        for (i, (at, c)) in after.char_indices().enumerate() {
            let w = shown_width(c);
            if width_after + w > room {
                break;
            }
            width_after += w;
            end = caret + at + c.len_utf8();
            if i < len.max(1) as usize {
                caret_len += w;
            }
        }
        let cut_after = end < line.len();
        let mut text = String::with_capacity(end - start + 8);
        if cut_before {
            text.push('…');
        }
        text.extend(line[start..caret].chars().map(shown_char));
        let caret_start = text.len();
        let mut marked = 0;
        for c in line[caret..end].chars() {
            text.push(shown_char(c));
            marked += 1;
            if marked == len.max(1) {
                break;
            }
        }
        let mut caret_end = text.len();
        text.extend(
            line[caret..end]
                .chars()
                .skip(marked as usize)
                .map(shown_char),
        );
        if cut_after {
            text.push('…');
        }
        // A caret at the end of the line marks the place after it.
        if caret_end == caret_start {
            caret_end = caret_start + 1;
        }
        Snippet {
            text,
            caret: caret_start..caret_end,
            caret_at: width_before + usize::from(cut_before),
            caret_len: caret_len.max(1),
        }
    }
}

/// Keeps the caret under the right character: a tab is shown as one space, and control
/// or direction-changing characters as a visible stand-in.
fn shown_char(c: char) -> char {
    match c {
        '\t' => ' ',
        c if is_disguising(c) => '\u{fffd}',
        c => c,
    }
}

fn shown_width(c: char) -> usize {
    shown_char(c).width().unwrap_or(0)
}

/// The display width of `chars`, counted no further than `limit` (plus one character).
fn width_up_to(chars: impl Iterator<Item = char>, limit: usize) -> usize {
    let mut width = 0;
    for c in chars {
        if width > limit {
            break;
        }
        width += shown_width(c);
    }
    width
}

/// One JSON array, as FORMAT.md specifies.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let mut out = serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

/// GitHub Actions workflow commands (`::error file=...,line=...,col=...,title=...::msg`).
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(id) = &d.id {
            let _ = write!(message, " (id: {id})");
        }
        let place = (d.line > 0).then(|| Pos::new(d.line, d.column, 0));
        out.push_str(&github_line(
            level,
            &d.file,
            place,
            d.code.as_str(),
            &message,
        ));
    }
    out
}

/// One GitHub Actions annotation (`::error file=…,line=…,col=…,title=…::message`),
/// with its properties and message escaped as the runner reads them.
pub fn github_line(
    level: &str,
    file: &str,
    place: Option<Pos>,
    title: &str,
    message: &str,
) -> String {
    let mut out = format!("::{level} file={}", escape_property(file));
    if let Some(pos) = place {
        let _ = write!(out, ",line={},col={}", pos.line, pos.column);
    }
    let _ = writeln!(
        out,
        ",title={}::{}",
        escape_property(title),
        escape_data(message)
    );
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Pos};

    fn sample() -> Diagnostic {
        Diagnostic::error(
            Code::UnknownField,
            "claims/a.yaml",
            Pos::new(2, 5, 8),
            "unknown field `statment`, did you mean `statement`?",
        )
        .with_id(Some("c1"))
    }

    #[test]
    fn human_output_shows_the_line_and_a_caret() {
        let text = "claims:\n  - statment: x\r\n";
        let mut cursor = LineCursor::new("claims/a.yaml", text);
        let mut out = String::new();
        write_one(&mut out, &sample(), cursor.locate(2, 5));
        assert_eq!(
            out,
            "error[unknown-field]: unknown field `statment`, did you mean `statement`?\n \
             --> claims/a.yaml:2:5\n  |\n2 |   - statment: x\n  |     ^^^^^^^^\n  |\n  = id: c1\n\n"
        );
    }

    /// The snippet of a one-line text at a column, found as the renderer finds it.
    fn at(line: &str, column: u32, len: u32) -> Snippet {
        let (line, caret) = LineCursor::new("f", line)
            .locate(1, column)
            .expect("line 1");
        Snippet::new(line, caret, len)
    }

    #[test]
    fn the_cursor_finds_columns_forward_and_back() {
        let mut cursor = LineCursor::new("f", "ab\nc海d\ne");
        assert_eq!(cursor.locate(2, 3), Some(("c海d", 4)));
        assert_eq!(cursor.locate(2, 2), Some(("c海d", 1)));
        assert_eq!(cursor.locate(2, 9), Some(("c海d", 5)));
        assert_eq!(cursor.locate(1, 2), Some(("ab", 1)));
        assert_eq!(cursor.locate(3, 1), Some(("e", 0)));
        assert_eq!(cursor.locate(4, 1), None);
    }

    #[test]
    fn carets_count_display_columns() {
        // Two columns per CJK character before the value.
        let snippet = at("    title: 海康威视 x: [bad]", 20, 5);
        assert_eq!(snippet.text, "    title: 海康威视 x: [bad]");
        assert_eq!(snippet.caret_at, 23);
        assert_eq!(snippet.caret_len, 5);
        // Tabs and disguising characters take one column, combining marks none.
        let snippet = at("\ta\u{202e}e\u{301}z", 5, 1);
        assert_eq!(snippet.text, " a\u{fffd}e\u{301}z");
        assert_eq!(snippet.caret_at, 4);
    }

    #[test]
    fn long_lines_are_cut_to_a_window_around_the_caret() {
        let line = format!("{}BAD{}", "a".repeat(100_000), "b".repeat(100_000));
        let snippet = at(&line, 100_001, 3);
        assert_eq!(snippet.text.chars().count(), SNIPPET_COLUMNS + 2);
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        assert_eq!(snippet.caret_at, SNIPPET_BEFORE + 1);
        let under: String = snippet
            .text
            .chars()
            .skip(snippet.caret_at)
            .take(3)
            .collect();
        assert_eq!(under, "BAD");
        // Near the end of a long line the window shows more of what comes before.
        let snippet = at(&line, 200_003, 1);
        assert!(snippet.text.starts_with('…') && !snippet.text.ends_with('…'));
        assert_eq!(snippet.text.chars().count(), SNIPPET_COLUMNS + 1);
        // A short line is shown whole.
        let snippet = at(&format!("{}x", "a".repeat(100)), 101, 1);
        assert_eq!((snippet.text.len(), snippet.caret_at), (101, 100));
    }

    #[test]
    fn file_names_and_messages_cannot_forge_lines() {
        let mut d = sample();
        d.file = "claims/\u{1b}[32mok\n::error::x.yaml".into();
        d.message = "bad\nwarning: all clean".into();
        let mut out = String::new();
        write_one(&mut out, &d, None);
        assert_eq!(out.lines().count(), 4, "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
    }

    #[test]
    fn github_output_escapes_separators() {
        let mut d = sample();
        d.message = "a: b, 100%\nnext".into();
        assert_eq!(
            render_github(&[d]),
            "::error file=claims/a.yaml,line=2,col=5,title=unknown-field::a: b, 100%25%0Anext (id: c1)\n"
        );
    }
}
