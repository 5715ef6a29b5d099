//! The three ways diagnostics leave the tool: for a person at a terminal (with the
//! source line and a caret, like rustc), as JSON for tools, and as GitHub Actions
//! workflow commands so problems show up on the lines of a pull request.

use super::{Diagnostic, Severity};
use crate::text::inert;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// How many diagnostics are printed for people unless asked for more: enough to work
/// through, few enough that a broken file of thousands of records stays readable.
pub const DEFAULT_MAX_SHOWN: usize = 200;

/// Renders for people, at most [`DEFAULT_MAX_SHOWN`] diagnostics and a count of the rest.
pub fn render_human(diagnostics: &[Diagnostic], root: &Path) -> String {
    render_human_limited(diagnostics, root, Some(DEFAULT_MAX_SHOWN))
}

/// Renders for people, at most `limit` diagnostics (all with `None`) and a line that
/// counts the rest. Source lines are read from the files under `root` (each file
/// once); a file that cannot be read any more just loses its snippet.
pub fn render_human_limited(
    diagnostics: &[Diagnostic],
    root: &Path,
    limit: Option<usize>,
) -> String {
    let mut sources: HashMap<&str, Option<String>> = HashMap::new();
    let mut out = String::new();
    let shown = limit.map_or(diagnostics.len(), |l| l.min(diagnostics.len()));
    for diagnostic in &diagnostics[..shown] {
        let text = sources.entry(diagnostic.file.as_str()).or_insert_with(|| {
            std::fs::read(root.join(&diagnostic.file))
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        });
        write_human(&mut out, diagnostic, text.as_deref());
    }
    out.push_str(&more_line(diagnostics.len() - shown));
    out
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

fn write_human(out: &mut String, d: &Diagnostic, text: Option<&str>) {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{level}[{}]: {}", d.code, inert(&d.message));
    let line_text = text.and_then(|t| source_line(t, d.line));
    let gutter = if line_text.is_some() {
        d.line.to_string().len()
    } else {
        1
    };
    let pad = " ".repeat(gutter);
    if d.line == 0 {
        let _ = writeln!(out, "{pad}--> {}", d.file);
    } else {
        let _ = writeln!(out, "{pad}--> {}:{}:{}", d.file, d.line, d.column);
    }
    if let Some(line) = line_text {
        let shown: String = line.chars().map(shown_char).collect();
        let width = shown.chars().count();
        let start = (d.column.max(1) as usize - 1).min(width);
        let caret_len = (d.len.max(1) as usize).min(width.saturating_sub(start).max(1));
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", d.line, shown.trim_end());
        let _ = writeln!(
            out,
            "{pad} | {}{}",
            " ".repeat(start),
            "^".repeat(caret_len)
        );
    }
    if let Some(id) = &d.id {
        let _ = writeln!(out, "{pad} = id: {}", inert(id));
    }
    out.push('\n');
}

fn source_line(text: &str, line: u32) -> Option<&str> {
    if line == 0 {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .nth(line as usize - 1)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Keeps the caret under the right character: a tab counts as one column, and control
/// or direction-changing characters are shown as a visible stand-in.
fn shown_char(c: char) -> char {
    match c {
        '\t' => ' ',
        c if crate::text::is_disguising(c) => '\u{fffd}',
        c => c,
    }
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
        let _ = write!(out, "::{level} file={}", escape_property(&d.file));
        if d.line > 0 {
            let _ = write!(out, ",line={},col={}", d.line, d.column);
        }
        let mut message = d.message.clone();
        if let Some(id) = &d.id {
            let _ = write!(message, " (id: {id})");
        }
        let _ = writeln!(
            out,
            ",title={}::{}",
            escape_property(d.code.as_str()),
            escape_data(&message)
        );
    }
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
        let mut out = String::new();
        write_human(&mut out, &sample(), Some(text));
        assert_eq!(
            out,
            "error[unknown-field]: unknown field `statment`, did you mean `statement`?\n \
             --> claims/a.yaml:2:5\n  |\n2 |   - statment: x\n  |     ^^^^^^^^\n  = id: c1\n\n"
        );
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
