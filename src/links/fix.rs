//! `links --fix`: the captures the availability API suggested, written into the data
//! files as `archives` entries beside each source's `url` ([`crate::edit`]), every
//! other byte kept. Each file is replaced whole (a temporary file renamed over it,
//! with the original's permissions), and the case is checked again afterwards: if the
//! edits gave any new error, every file is put back as it was and the command fails,
//! so a fix never leaves a case broken or half-edited. `--dry-run` prints the edits as
//! a diff and writes nothing.

use super::{Kind, Report};
use crate::access::Root;
use crate::edit::{self, Insertion, NewField, NewValue};
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;

/// The edits of one run, by data file (relative to the repository root).
#[derive(Debug, Default)]
pub struct Plan {
    pub files: BTreeMap<String, (String, Vec<Insertion>)>,
    /// Suggestions that could not be placed, and why.
    pub refused: Vec<String>,
    pub added: usize,
}

/// Places an `archives` entry for every suggested capture of `report` (the sources
/// whose results are shown: a sensitive one's only with `--include-sensitive`).
pub fn plan(root: &Root, report: &Report, options: &super::Options, max_bytes: u64) -> Plan {
    let mut plan = Plan::default();
    for line in report.shown(options) {
        let row = &line.row;
        let (Kind::Url, Some(suggested)) = (row.kind, &row.suggested_archive) else {
            continue;
        };
        if !plan.files.contains_key(&line.file) {
            match edit::read_text(root, &line.file, max_bytes) {
                Ok(text) => {
                    plan.files.insert(line.file.clone(), (text, Vec::new()));
                }
                Err(why) => {
                    plan.refused.push(why);
                    continue;
                }
            }
        }
        let Some((text, insertions)) = plan.files.get_mut(&line.file) else {
            continue;
        };
        let items = [vec![
            ("url", suggested.url.clone()),
            ("captured", suggested.captured.clone()),
        ]];
        let field = NewField {
            name: "archives",
            value: NewValue::List(&items),
        };
        match edit::add_after(text, line.pos, &row.url, &field) {
            Ok(insertion) => {
                insertions.push(insertion);
                plan.added += 1;
            }
            Err(why) => plan.refused.push(format!(
                "{}:{}:{}: the capture for source {} was not added: {why}",
                line.file,
                line.pos.line,
                line.pos.column,
                crate::text::inert_line(&row.source)
            )),
        }
    }
    plan.files
        .retain(|_, (_, insertions)| !insertions.is_empty());
    plan
}

impl Plan {
    /// The edits as a unified diff.
    pub fn diff(&self) -> String {
        self.files
            .iter()
            .map(|(name, (text, insertions))| edit::diff(name, text, insertions))
            .collect()
    }

    /// Writes the edits, then checks the case at `dir` again: on any error in it that
    /// was not there before, every file is put back and the answer is an error.
    pub fn write(&self, root: &Root, dir: &Path, errors_before: usize) -> Result<()> {
        let changes: Vec<edit::Change> = self
            .files
            .iter()
            .map(|(name, (text, insertions))| edit::Change {
                name: name.clone(),
                before: Some(text.clone()),
                after: edit::apply(text, insertions),
            })
            .collect();
        edit::write_checked(root, dir, &changes, errors_before)
    }
}
