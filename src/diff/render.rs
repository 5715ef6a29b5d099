//! A [`Diff`] written three ways: plain text for a terminal, Markdown for a comment on a
//! pull request, JSON for other tools. Text from the data is made harmless for each:
//! one line, disguising characters visible, and in Markdown no markup, no table breaks
//! and no `@mentions` or `#references` that would notify people or link issues.

use super::{Assessment, Change, Diff, EvidenceItem, Named, RecordChanges};
use crate::text::one_line;
use serde::Serialize;
use std::fmt::Write as _;

/// The version of the JSON layout, raised when a field changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

/// The longest label written in text and Markdown.
const LABEL_CHARS: usize = 80;

/// One side of the comparison: a revision, or the working tree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct State {
    /// The revision as the user named it; `None` for the working tree.
    pub revision: Option<String>,
    /// Its commit hash; `None` for the working tree.
    pub commit: Option<String>,
}

impl State {
    pub fn working_tree() -> State {
        State::default()
    }

    pub fn revision(name: &str, commit: &str) -> State {
        State {
            revision: Some(name.to_owned()),
            commit: Some(commit.to_owned()),
        }
    }

    fn short_commit(&self) -> Option<&str> {
        self.commit.as_deref().map(|c| c.get(..7).unwrap_or(c))
    }

    /// `HEAD~1 (0123456)`, or `the working tree`.
    pub fn describe(&self) -> String {
        match (&self.revision, self.short_commit()) {
            (Some(name), Some(commit)) => format!("{} ({commit})", one_line(name, LABEL_CHARS)),
            (Some(name), None) => one_line(name, LABEL_CHARS),
            _ => "the working tree".to_owned(),
        }
    }

    fn describe_markdown(&self) -> String {
        match (&self.revision, self.short_commit()) {
            (Some(name), Some(commit)) => format!("{} ({commit})", code(name)),
            (Some(name), None) => code(name),
            _ => "the working tree".to_owned(),
        }
    }
}

const KINDS: [(&str, &str); 3] = [
    ("claim", "claims"),
    ("source", "sources"),
    ("entity", "entities"),
];

fn record_lists(diff: &Diff) -> [&RecordChanges; 3] {
    [&diff.claims, &diff.sources, &diff.entities]
}

/// For a terminal: a summary, then each change on its own line.
pub fn text(diff: &Diff, before: &State, after: &State) -> String {
    let mut out = String::new();
    if diff.is_empty() {
        let _ = writeln!(
            out,
            "no differences between {} and {}: the same claims, sources, entities, evidence and assessments",
            before.describe(),
            after.describe()
        );
        return out;
    }
    let _ = writeln!(
        out,
        "changes from {} to {}\n",
        before.describe(),
        after.describe()
    );
    for ((_, many), changes) in KINDS.iter().zip(record_lists(diff)) {
        let _ = writeln!(
            out,
            "  {many:<15} {} added, {} removed",
            changes.added.len(),
            changes.removed.len()
        );
    }
    let (added, removed) = diff.evidence_counts();
    let _ = writeln!(
        out,
        "  {:<15} {added} added, {removed} removed",
        "evidence items"
    );
    let _ = writeln!(
        out,
        "  {:<15} {} {} assessed differently",
        "assessments",
        diff.assessments.len(),
        crate::wording::noun(diff.assessments.len(), "claim", "claims")
    );

    let mut records = String::new();
    for ((one, _), changes) in KINDS.iter().zip(record_lists(diff)) {
        for (sign, list) in [("+", &changes.added), ("-", &changes.removed)] {
            for named in list {
                let _ = writeln!(
                    records,
                    "  {sign} {one} {}: {}",
                    one_line(&named.id, LABEL_CHARS),
                    quoted(&named.label)
                );
            }
        }
    }
    if !records.is_empty() {
        let _ = write!(out, "\nrecords\n{records}");
    }

    if !diff.evidence.is_empty() {
        out.push_str("\nevidence\n");
        for changes in &diff.evidence {
            let _ = writeln!(out, "  {}", one_line(&changes.claim, LABEL_CHARS));
            for (sign, list) in [("+", &changes.added), ("-", &changes.removed)] {
                for item in list {
                    let _ = writeln!(out, "    {sign} {}", evidence_text(item));
                }
            }
        }
    }

    if !diff.assessments.is_empty() {
        out.push_str("\nassessments\n");
        for a in &diff.assessments {
            let _ = writeln!(
                out,
                "  {}: {}",
                one_line(&a.id, LABEL_CHARS),
                quoted(&a.statement)
            );
            for (what, change) in PARTS.iter().zip(parts(a)) {
                if change.changed() {
                    let _ = writeln!(out, "    {what}: {} -> {}", change.before, change.after);
                }
            }
        }
    }
    out
}

fn quoted(label: &str) -> String {
    format!("\"{}\"", one_line(label, LABEL_CHARS))
}

fn evidence_text(item: &EvidenceItem) -> String {
    let quote = match &item.quote {
        Some(q) => format!(": {}", quoted(q)),
        None => " (no quote)".to_owned(),
    };
    format!(
        "{} from {}{quote}",
        item.stance,
        one_line(&item.source, LABEL_CHARS)
    )
}

/// The parts of an assessment, named as they are shown.
const PARTS: [&str; 4] = [
    "verdict",
    "balance",
    "independent origins supporting",
    "independent origins contradicting",
];

/// The parts of an assessment, in the order of [`PARTS`], as text.
fn parts(a: &Assessment) -> [Change<String>; 4] {
    fn shown<T: Copy>(change: Change<T>, f: impl Fn(T) -> String) -> Change<String> {
        Change {
            before: f(change.before),
            after: f(change.after),
        }
    }
    [
        shown(a.verdict, |v| {
            v.map_or_else(|| "none".to_owned(), |v| v.to_string())
        }),
        shown(a.balance, |b| b.to_string()),
        shown(a.independent.supports, |n| n.to_string()),
        shown(a.independent.contradicts, |n| n.to_string()),
    ]
}

/// For a pull-request comment: a heading, a table of counts, then tables of what
/// changed, assessments first since they are what a reviewer must weigh.
pub fn markdown(diff: &Diff, before: &State, after: &State) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## corroborate: changes from {} to {}\n",
        before.describe_markdown(),
        after.describe_markdown()
    );
    if diff.is_empty() {
        out.push_str("No differences in claims, sources, entities, evidence or assessments.\n");
        return out;
    }
    out.push_str("| | added | removed |\n| --- | ---: | ---: |\n");
    for ((_, many), changes) in KINDS.iter().zip(record_lists(diff)) {
        let _ = writeln!(
            out,
            "| {many} | {} | {} |",
            changes.added.len(),
            changes.removed.len()
        );
    }
    let (added, removed) = diff.evidence_counts();
    let _ = writeln!(out, "| evidence items | {added} | {removed} |");
    let n = diff.assessments.len();
    let _ = writeln!(
        out,
        "\n**{n} {} assessed differently** (verdict, balance or independent origins).",
        crate::wording::noun(n, "claim", "claims")
    );

    if !diff.assessments.is_empty() {
        out.push_str("\n### Assessments\n\n| claim | verdict | balance | independent origins supporting | independent origins contradicting |\n| --- | --- | --- | --- | --- |\n");
        for a in &diff.assessments {
            let cells: Vec<String> = parts(a)
                .iter()
                .map(|change| {
                    if change.changed() {
                        format!(
                            "**{} → {}**",
                            md_text(&change.before),
                            md_text(&change.after)
                        )
                    } else {
                        md_text(&change.after)
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} {} | {} |",
                code(&a.id),
                md_text(&a.statement),
                cells.join(" | ")
            );
        }
    }

    let has_records = record_lists(diff)
        .iter()
        .any(|c| !c.added.is_empty() || !c.removed.is_empty());
    if has_records {
        out.push_str("\n### Records\n\n| | kind | id | text |\n| --- | --- | --- | --- |\n");
        for ((one, _), changes) in KINDS.iter().zip(record_lists(diff)) {
            for (what, list) in [("added", &changes.added), ("removed", &changes.removed)] {
                for Named { id, label } in list {
                    let _ = writeln!(
                        out,
                        "| {what} | {one} | {} | {} |",
                        code(id),
                        md_text(label)
                    );
                }
            }
        }
    }

    if !diff.evidence.is_empty() {
        out.push_str("\n### Evidence\n\n| claim | | stance | source | quote |\n| --- | --- | --- | --- | --- |\n");
        for changes in &diff.evidence {
            for (what, list) in [("added", &changes.added), ("removed", &changes.removed)] {
                for item in list {
                    let _ = writeln!(
                        out,
                        "| {} | {what} | {} | {} | {} |",
                        code(&changes.claim),
                        item.stance,
                        code(&item.source),
                        item.quote
                            .as_deref()
                            .map_or_else(|| "(no quote)".to_owned(), md_text)
                    );
                }
            }
        }
    }
    out
}

/// Text from the data inside Markdown, on one line and inert: punctuation that could
/// start markup (or end a table cell) is escaped, and `@` and `#` are followed by a
/// zero-width space so that GitHub neither notifies a user nor links an issue.
fn md_text(s: &str) -> String {
    let line = one_line(s, LABEL_CHARS);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '@' | '#' => {
                out.push(c);
                out.push_str("&#8203;");
            }
            c => out.push(c),
        }
    }
    out
}

/// An id or a revision name as inline code. Backticks cannot be escaped inside code,
/// so a name that holds one has it replaced; a `|` would still end a table cell.
fn code(s: &str) -> String {
    format!(
        "`{}`",
        one_line(s, LABEL_CHARS)
            .replace('`', "'")
            .replace('|', "\\|")
    )
}

#[derive(Serialize)]
struct JsonOut<'a> {
    format: u32,
    before: &'a State,
    after: &'a State,
    #[serde(flatten)]
    diff: &'a Diff,
}

/// For tools: every list sorted, every key always present (`null` where there is no
/// value), and the full text of labels, statements and quotes.
pub fn json(diff: &Diff, before: &State, after: &State) -> String {
    let out = JsonOut {
        format: FORMAT_VERSION,
        before,
        after,
        diff,
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_cannot_break_a_table_or_mention_anyone() {
        assert_eq!(
            md_text("a | b\nc <img src=x> @someone #12 **x** &lt;"),
            "a \\| b c \\<img src=x\\> @&#8203;someone #&#8203;12 \\*\\*x\\*\\* &amp;lt;"
        );
        assert_eq!(code("a`b|c"), "`a'b\\|c`");
    }

    #[test]
    fn states_describe_themselves() {
        let rev = State::revision("HEAD~1", "0123456789abcdef");
        assert_eq!(rev.describe(), "HEAD~1 (0123456)");
        assert_eq!(rev.describe_markdown(), "`HEAD~1` (0123456)");
        assert_eq!(State::working_tree().describe(), "the working tree");
    }
}
