//! The field reader: the fields of one YAML mapping, looked up by name against a
//! declared table. Unknown keys are reported here with the closest valid name, and
//! wrong types and missing required fields with one wording for every record.

use super::Sink;
use crate::diagnostics::{Code, Pos};
use crate::fields::{self, Field};
use crate::model::FileIdx;
use crate::text::{closest, shown};
use crate::yaml::{Key, Node, Value};

/// The fields of one mapping, looked up by name, with every problem reported once.
pub struct Fields<'s, 'p> {
    pub(super) sink: &'s mut Sink<'p>,
    pub(super) what: &'static str,
    pub(super) pos: Pos,
    pub(super) file: FileIdx,
    names: &'static [Field],
    slots: Vec<Option<Node>>,
    /// The id problems are reported with: the mapping's own, or its owner's.
    pub(super) id: Option<String>,
}

/// Reads one present field's value; `None` when it is wrong (and so reported).
pub type Reader<T> = fn(&mut Fields<'_, '_>, &'static Field, Node) -> Option<T>;

impl<'s, 'p> Fields<'s, 'p> {
    /// Opens a mapping; reports anything else, and every unknown field in it.
    /// Problems are reported with the mapping's own `id`, or with `owner`'s (the
    /// claim an evidence item belongs to).
    pub(super) fn open(
        node: Node,
        what: &'static str,
        names: &'static [Field],
        owner: Option<&str>,
        file: FileIdx,
        sink: &'s mut Sink<'p>,
    ) -> Option<Self> {
        let pos = node.pos;
        let entries = match node.value {
            Value::Map(entries) => entries,
            other => {
                sink.error(
                    Code::InvalidType,
                    pos,
                    owner,
                    format!(
                        "each item here must be {} (a mapping of fields), found {}",
                        article(what),
                        other.type_name()
                    ),
                );
                return None;
            }
        };
        let mut slots: Vec<Option<Node>> = vec![None; names.len()];
        let mut unknown: Vec<Key> = Vec::new();
        for (key, value) in entries {
            match names.iter().position(|n| n.name == key.name) {
                Some(i) => slots[i] = Some(value),
                None => unknown.push(key),
            }
        }
        let id = slots
            .first()
            .and_then(|slot| slot.as_ref())
            .filter(|_| names.first().is_some_and(|f| f.ty == fields::Ty::Id))
            .and_then(|node| scalar_text(&node.value))
            .or_else(|| owner.map(str::to_owned));
        for key in unknown {
            let hint = match closest(&key.name, fields::names(names)) {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!(
                    "{} has: {}",
                    article(what),
                    fields::names(names).collect::<Vec<_>>().join(", ")
                ),
            };
            sink.error(
                Code::UnknownField,
                key.pos,
                id.as_deref(),
                format!(
                    "unknown field `{}` in {}; {hint}",
                    shown(&key.name),
                    article(what)
                ),
            );
        }
        Some(Fields {
            sink,
            what,
            pos,
            file,
            names,
            slots,
            id,
        })
    }

    /// Reads the declared field `name` with `read`. A field left out (or `null`) is
    /// `None`, and reported when the table says it is required; a wrong value is
    /// `None` too, reported by `read`.
    pub fn field<T>(&mut self, name: &str, read: Reader<T>) -> Option<T> {
        let index = self.names.iter().position(|n| n.name == name);
        debug_assert!(
            index.is_some(),
            "field `{name}` is not declared for {}",
            self.what
        );
        let index = index?;
        let field = &self.names[index];
        match self.slots[index].take().filter(|n| n.value != Value::Null) {
            Some(node) => read(self, field, node),
            None => {
                if field.required {
                    self.missing(field.name);
                }
                None
            }
        }
    }

    pub(super) fn error(&mut self, code: Code, pos: Pos, message: String) {
        self.sink.error(code, pos, self.id.as_deref(), message);
    }

    fn missing(&mut self, name: &str) {
        let message = format!("{} needs the field `{name}`", article(self.what));
        self.error(Code::MissingField, self.pos, message);
    }

    pub(super) fn wrong_type(&mut self, name: &str, expected: &str, pos: Pos, found: &Value) {
        let message = format!("`{name}` must be {expected}, found {}", found.type_name());
        self.error(Code::InvalidType, pos, message);
    }

    /// A list's items; anything else is reported as not a list.
    pub(super) fn items(&mut self, name: &str, expected: &str, node: Node) -> Option<Vec<Node>> {
        match node.value {
            Value::Seq(items) => Some(items),
            value => {
                self.wrong_type(name, expected, node.pos, &value);
                None
            }
        }
    }
}

/// Every declared field must be read by the decoder: one left in its slot would be
/// accepted and then silently dropped. Checked in debug builds (and so in the tests).
impl Drop for Fields<'_, '_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let unread: Vec<&str> = self
                .names
                .iter()
                .zip(&self.slots)
                .filter(|(_, slot)| slot.is_some())
                .map(|(field, _)| field.name)
                .collect();
            debug_assert!(
                unread.is_empty(),
                "{} fields declared but never read: {unread:?}",
                self.what
            );
        }
    }
}

pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.clone()),
        Value::Number(n) => Some(n.text.clone()),
        _ => None,
    }
}

pub(super) fn scalar_text_owned(value: Value) -> Result<String, Value> {
    match value {
        Value::Str(s) => Ok(s),
        Value::Number(n) => Ok(n.text),
        other => Err(other),
    }
}

pub(super) fn article(what: &str) -> String {
    match what.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => format!("an {what}"),
        _ => format!("a {what}"),
    }
}

pub(super) fn singular(items: &str) -> String {
    let one = items.strip_suffix('s').unwrap_or(items);
    article(one)
}
