//! The records of a data file (entities, sources, claims and the evidence items and
//! related claims inside claims). Each record's reading is derived from its
//! declaration (`record!` in [`crate::model`]); what is here is the little that is
//! not per field: opening a record, nesting records, and the two fields whose values
//! need more than their type's reader.

use super::Sink;
use super::reader::Fields;
use super::values::Read;
use crate::diagnostics::{Code, Pos};
use crate::fields::Field;
use crate::model::{FileIdx, Located, Origin, Verdict};
use crate::text::shown;
use crate::yaml::{Node, Value};

/// A declared record, as `record!` derives it.
pub trait Record: Sized {
    /// What the record is called in messages ("evidence item").
    const WHAT: &'static str;
    const FIELDS: &'static [Field];
    /// Reads every declared field; `None` when a field the record cannot do without
    /// is missing or wrong (already reported).
    fn read(f: &mut Fields<'_, '_>) -> Option<Self>;
}

/// Where a record starts: its file and place for a top-level record, its place for
/// one nested in a claim.
pub trait Place {
    fn place(f: &Fields<'_, '_>) -> Self;
}

impl Place for Origin {
    fn place(f: &Fields<'_, '_>) -> Self {
        Origin {
            file: f.file,
            pos: f.pos,
        }
    }
}

impl Place for Pos {
    fn place(f: &Fields<'_, '_>) -> Self {
        f.pos
    }
}

/// Reads one record from a mapping. Problems are reported with its own id, or with
/// `owner`'s (the claim an evidence item belongs to).
pub(super) fn record<R: Record>(
    node: Node,
    owner: Option<&str>,
    file: FileIdx,
    sink: &mut Sink<'_>,
) -> Option<R> {
    let mut f = Fields::open(node, R::WHAT, R::FIELDS, owner, file, sink)?;
    R::read(&mut f)
}

/// A list of nested records, each reported with the id of the record holding them.
impl<R: Record> Read for Vec<R> {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        let items = f.items(field.name, "a list (items start with `- `)", node)?;
        let owner = f.id.clone();
        let file = f.file;
        Some(
            items
                .into_iter()
                .filter_map(|item| record(item, owner.as_deref(), file, f.sink))
                .collect(),
        )
    }
}

/// `verdict: true` and `verdict: false` may be unquoted: YAML reads them as booleans.
pub fn verdict(
    f: &mut Fields<'_, '_>,
    field: &'static Field,
    node: Node,
) -> Option<Option<Located<Verdict>>> {
    let node = match node.value {
        Value::Bool(b) => Node {
            pos: node.pos,
            value: Value::Str(if b { "true" } else { "false" }.to_owned()),
        },
        _ => node,
    };
    Option::<Located<Verdict>>::read(f, field, node)
}

/// Admiralty information credibility: a whole number from 1 to 6.
pub fn credibility(
    f: &mut Fields<'_, '_>,
    _field: &'static Field,
    node: Node,
) -> Option<Option<u8>> {
    match node.value {
        Value::Number(ref n) if matches!(n.as_integer(), Some(1..=6)) => {
            n.as_integer().and_then(|n| u8::try_from(n).ok()).map(Some)
        }
        ref other => {
            let found = match other {
                Value::Number(n) => n.text.clone(),
                Value::Str(s) => format!("`{}`", shown(s)),
                v => v.type_name().to_owned(),
            };
            let message = format!(
                "credibility is a number from 1 (confirmed by other sources) to 6 (truth cannot be judged), found {found}"
            );
            f.error(Code::InvalidValue, node.pos, message);
            None
        }
    }
}
