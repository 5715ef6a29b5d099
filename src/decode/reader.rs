//! The field reader: the fields of one YAML mapping, looked up by name against a
//! declared table. Unknown keys are reported here with the closest valid name, and
//! wrong types and missing required fields with one wording for every record.

use super::Sink;
use crate::diagnostics::{Code, Pos};
use crate::fields::{self, Field};
use crate::model::{Date, FileIdx, Located, Origin};
use crate::rules;
use crate::text::{closest, shown};
use crate::yaml::{Key, Node, Value};

/// The fields of one mapping, looked up by name, with every problem reported once.
pub(super) struct Fields<'s, 'p> {
    pub(super) sink: &'s mut Sink<'p>,
    pub(super) what: &'static str,
    pub(super) pos: Pos,
    pub(super) names: &'static [Field],
    pub(super) slots: Vec<Option<Node>>,
    pub(super) id: Option<String>,
}

impl<'s, 'p> Fields<'s, 'p> {
    /// Opens a mapping; reports anything else, and every unknown field in it.
    /// Problems are reported with the mapping's own `id`, or with `owner`'s (the
    /// claim an evidence item belongs to).
    pub(super) fn open(
        node: Node,
        what: &'static str,
        names: &'static [Field],
        owner: Option<&str>,
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
            sink.key_error(
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
            names,
            slots,
            id,
        })
    }

    pub(super) fn take(&mut self, name: &str) -> Option<Node> {
        let index = self.names.iter().position(|n| n.name == name);
        debug_assert!(
            index.is_some(),
            "field `{name}` is not declared for {}",
            self.what
        );
        index
            .and_then(|i| self.slots[i].take())
            .filter(|node| node.value != Value::Null)
    }

    pub(super) fn error(&mut self, code: Code, pos: Pos, message: String) {
        self.sink.error(code, pos, self.id.as_deref(), message);
    }

    pub(super) fn missing(&mut self, name: &str) {
        let message = format!("{} needs the field `{name}`", article(self.what));
        self.error(Code::MissingField, self.pos, message);
    }

    pub(super) fn wrong_type(&mut self, name: &str, expected: &str, node: &Node) {
        let message = format!(
            "`{name}` must be {expected}, found {}",
            node.value.type_name()
        );
        self.error(Code::InvalidType, node.pos, message);
    }

    /// Free text. Unquoted numbers are taken as their text (`title: 1984`).
    pub(super) fn text(&mut self, name: &str) -> Option<Located<String>> {
        let node = self.take(name)?;
        match scalar_text_owned(node.value) {
            Ok(value) => Some(Located {
                value,
                pos: node.pos,
            }),
            Err(value) => {
                self.wrong_type(
                    name,
                    "text",
                    &Node {
                        pos: node.pos,
                        value,
                    },
                );
                None
            }
        }
    }

    pub(super) fn optional_text(&mut self, name: &str) -> Option<String> {
        self.text(name).map(|t| t.value)
    }

    pub(super) fn required_text(&mut self, name: &str) -> String {
        let present = self.slots_has(name);
        match self.text(name) {
            Some(text) => text.value,
            None => {
                if !present {
                    self.missing(name);
                }
                String::new()
            }
        }
    }

    pub(super) fn slots_has(&self, name: &str) -> bool {
        self.names
            .iter()
            .position(|n| n.name == name)
            .and_then(|i| self.slots[i].as_ref())
            .is_some_and(|node| node.value != Value::Null)
    }

    /// A required id naming this record, checked against the id rule.
    pub(super) fn own_id(&mut self) -> Option<Located<String>> {
        let present = self.slots_has("id");
        let Some(id) = self.text("id") else {
            if !present {
                self.missing("id");
            }
            return None;
        };
        if let Some(problem) = rules::id_problem(&id.value) {
            let message = format!(
                "the id `{}` {problem}; ids are 1 to 80 characters of a-z, 0-9 and `-`, starting with a letter or digit",
                shown(&id.value)
            );
            self.error(Code::InvalidId, id.pos, message);
        }
        Some(id)
    }

    pub(super) fn text_list(&mut self, name: &str, what_items: &str) -> Vec<Located<String>> {
        let Some(node) = self.take(name) else {
            return Vec::new();
        };
        let items = match node.value {
            Value::Seq(items) => items,
            value => {
                self.wrong_type(
                    name,
                    &format!("a list of {what_items} (`[a, b]` or `- ` items)"),
                    &Node {
                        pos: node.pos,
                        value,
                    },
                );
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match scalar_text_owned(item.value) {
                Ok(value) => out.push(Located {
                    value,
                    pos: item.pos,
                }),
                Err(value) => {
                    let message = format!(
                        "each item of `{name}` must be {}, found {}",
                        singular(what_items),
                        value.type_name()
                    );
                    self.error(Code::InvalidType, item.pos, message);
                }
            }
        }
        out
    }

    pub(super) fn word<T: Copy>(
        &mut self,
        name: &str,
        words: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Located<T>> {
        let text = self.text(name)?;
        match parse(&text.value) {
            Some(value) => Some(Located {
                value,
                pos: text.pos,
            }),
            None => {
                let hint = match closest(&text.value, words.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`? "),
                    None => String::new(),
                };
                let message = format!(
                    "`{}` is not a valid {name}; {hint}use one of: {}",
                    shown(&text.value),
                    words.join(", ")
                );
                self.error(Code::InvalidValue, text.pos, message);
                None
            }
        }
    }

    pub(super) fn required_word<T: Copy>(
        &mut self,
        name: &str,
        words: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let present = self.slots_has(name);
        let value = self.word(name, words, parse).map(|w| w.value);
        if !present {
            self.missing(name);
        }
        value
    }

    pub(super) fn date(&mut self, name: &str) -> Option<Date> {
        let node = self.take(name)?;
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Number(n) => n.text.clone(),
            _ => {
                self.wrong_type(name, "a date (`2017`, `2017-06` or `2017-06-14`)", &node);
                return None;
            }
        };
        let date = Date::parse(&text);
        if date.is_none() {
            let message = format!(
                "`{}` is not a date; write `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a date that exists)",
                shown(&text)
            );
            self.error(Code::InvalidDate, node.pos, message);
        }
        date
    }

    pub(super) fn boolean(&mut self, name: &str) -> bool {
        let Some(node) = self.take(name) else {
            return false;
        };
        match node.value {
            Value::Bool(b) => b,
            _ => {
                self.wrong_type(name, "`true` or `false`", &node);
                false
            }
        }
    }

    /// A URL field: kept as written, checked to be absolute http(s).
    pub(super) fn url(&mut self, name: &str) -> Option<Located<String>> {
        let url = self.text(name)?;
        if !rules::is_web_url(&url.value) {
            let message = format!(
                "`{}` is not an absolute http or https URL (`{name}` must start with `https://` or `http://` and name a host)",
                shown(&url.value)
            );
            self.error(Code::InvalidUrl, url.pos, message);
        }
        Some(url)
    }

    pub(super) fn origin(&self, file: FileIdx) -> Origin {
        Origin {
            file,
            pos: self.pos,
        }
    }

    pub(super) fn list(&mut self, name: &str) -> Vec<Node> {
        let Some(node) = self.take(name) else {
            return Vec::new();
        };
        match node.value {
            Value::Seq(items) => items,
            value => {
                self.wrong_type(
                    name,
                    "a list (items start with `- `)",
                    &Node {
                        pos: node.pos,
                        value,
                    },
                );
                Vec::new()
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
