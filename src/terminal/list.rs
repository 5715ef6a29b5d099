//! The terminal layout of `list`: one line per record, its fixed columns padded to line
//! up and its free text cut to the screen only on a terminal, never in a pipe, so that
//! `grep`, `cut` and `awk` get whole lines.

use super::{Line, Paint, balance_paint, display_width, one_line, truncate, verdict_paint};
use crate::Checked;
use crate::model::{Stance, Verdict};
use crate::views;

/// A row: the fixed-width columns, each with its paint, then the free text.
pub struct Row {
    pub columns: Vec<(String, Paint)>,
    pub text: String,
}

/// id, verdict, balance, independent origins S/C, statement.
pub fn claim_row(checked: &Checked, index: usize) -> Row {
    let row = views::claim_summary(checked, index);
    Row {
        columns: vec![
            (one_line(&row.claim.id.value), Paint::Bold),
            (
                row.verdict.map_or("none", Verdict::as_str).to_owned(),
                verdict_paint(row.verdict),
            ),
            (row.balance.as_str().to_owned(), balance_paint(row.balance)),
            (
                format!(
                    "{}/{}",
                    row.facts.independent(Stance::Supports),
                    row.facts.independent(Stance::Contradicts)
                ),
                Paint::Plain,
            ),
        ],
        text: one_line(&row.claim.statement),
    }
}

/// id, kind, reliability (`-` if not graded), title.
pub fn source_row(checked: &Checked, index: usize) -> Row {
    let s = &checked.repo.sources[index];
    Row {
        columns: vec![
            (one_line(&s.id.value), Paint::Bold),
            (s.kind.as_str().to_owned(), Paint::Plain),
            (
                s.reliability.map_or("-", |r| r.as_str()).to_owned(),
                if s.reliability.is_some() {
                    Paint::Plain
                } else {
                    Paint::Dim
                },
            ),
        ],
        text: one_line(&s.title),
    }
}

/// id, kind, name.
pub fn entity_row(checked: &Checked, index: usize) -> Row {
    let e = &checked.repo.entities[index];
    Row {
        columns: vec![
            (one_line(&e.id.value), Paint::Bold),
            (e.kind.as_str().to_owned(), Paint::Plain),
        ],
        text: one_line(&e.name),
    }
}

/// The rows with their columns padded to line up, and the free text cut to the
/// screen's width when there is one (never to fewer than ten columns).
pub fn table(rows: &[Row], width: Option<usize>) -> Vec<Line> {
    let count = rows.first().map_or(0, |r| r.columns.len());
    let widths: Vec<usize> = (0..count)
        .map(|c| {
            rows.iter()
                .map(|r| display_width(&r.columns[c].0))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lead: usize = widths.iter().map(|w| w + 2).sum();
    rows.iter()
        .map(|row| {
            let mut line = Line::new();
            for ((text, paint), w) in row.columns.iter().zip(&widths) {
                let pad = w + 2 - display_width(text);
                line = line
                    .with(text.clone(), *paint)
                    .with(" ".repeat(pad), Paint::Plain);
            }
            let text = match width {
                Some(width) => truncate(&row.text, width.saturating_sub(lead).max(10)),
                None => row.text.clone(),
            };
            line.with(text, Paint::Plain)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, text: &str) -> Row {
        Row {
            columns: vec![
                (id.to_owned(), Paint::Bold),
                ("news".to_owned(), Paint::Plain),
            ],
            text: text.to_owned(),
        }
    }

    #[test]
    fn columns_line_up_and_the_text_is_cut_only_to_a_width() {
        let rows = [
            row("a", "short"),
            row("longer-id", "a statement that goes on"),
        ];
        let whole: Vec<String> = table(&rows, None).iter().map(Line::text).collect();
        assert_eq!(
            whole,
            [
                "a          news  short",
                "longer-id  news  a statement that goes on"
            ]
        );
        let cut: Vec<String> = table(&rows, Some(30)).iter().map(Line::text).collect();
        assert_eq!(cut[1], "longer-id  news  a statement…");
        assert!(cut.iter().all(|l| display_width(l) <= 30));
    }
}
