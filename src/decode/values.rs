//! How each Rust type a declared field may have is read from YAML. The shape comes
//! from the Rust type (text, list, word, date); the value rule from the field's table
//! type (`Ty::Url`, `Ty::Sha256`, ...), so that one reader serves every field of a
//! kind and a new field needs no new reading code.

use super::reader::{Fields, scalar_text_owned, singular};
use crate::diagnostics::Code;
use crate::fields::{Field, Ty};
use crate::model::{Date, Located, Pages, Word};
use crate::rules;
use crate::text::{closest, shown};
use crate::yaml::{Node, Value};

/// A type a declared field may have.
pub trait Read: Sized {
    /// Reads a present, non-null value; `None` when it is wrong (and so reported).
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self>;
}

/// Free text, checked against the rule of its table type. Unquoted numbers are taken
/// as their text (`title: 1984`).
impl Read for Located<String> {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        let text = match scalar_text_owned(node.value) {
            Ok(value) => Located {
                value,
                pos: node.pos,
            },
            Err(value) => {
                f.wrong_type(field.name, "text", node.pos, &value);
                return None;
            }
        };
        value_rule(f, field, &text).then_some(text)
    }
}

/// Reports a value that breaks its field's rule. Most are kept as written (later
/// checks and the reader of the report see them); a folder that would lead outside
/// the repository is refused.
fn value_rule(f: &mut Fields<'_, '_>, field: &Field, text: &Located<String>) -> bool {
    let name = field.name;
    let value = &text.value;
    let (code, message) = match field.ty {
        Ty::Id => match rules::id_problem(value) {
            Some(problem) => (
                Code::InvalidId,
                format!(
                    "the id `{}` {problem}; ids are 1 to 80 characters of a-z, 0-9 and `-`, starting with a letter or digit",
                    shown(value)
                ),
            ),
            None => return true,
        },
        Ty::Url if !rules::is_web_url(value) => (
            Code::InvalidUrl,
            format!(
                "`{}` is not an absolute http or https URL (`{name}` must start with `https://` or `http://` and name a host)",
                shown(value)
            ),
        ),
        Ty::Language if !rules::is_language_tag(value) => (
            Code::InvalidValue,
            format!(
                "`{}` is not a BCP 47 language tag; write a code such as `en`, `zh`, `zh-Hans` or `ug`",
                shown(value)
            ),
        ),
        Ty::Doi if !rules::is_doi(value) => (
            Code::InvalidValue,
            format!(
                "`{}` is not a DOI; write it as `10.NNNN/suffix`, without `https://doi.org/`",
                shown(value)
            ),
        ),
        Ty::ImportKey if !rules::is_import_key(value) => (
            Code::InvalidValue,
            format!(
                "`{}` is not an import key; write `SCHEME:VALUE` with a scheme of {}",
                shown(value),
                rules::IMPORT_SCHEMES.join(", ")
            ),
        ),
        Ty::Sha256 if !rules::is_sha256(value) => (
            Code::InvalidValue,
            format!(
                "`{}` is not a sha256 checksum; write its 64 hexadecimal digits (`sha256sum FILE` prints them)",
                shown(value)
            ),
        ),
        Ty::Folder => {
            let (code, message) = match rules::folder_problem(value) {
                Some(rules::FolderProblem::NotRelative) => (
                    Code::InvalidValue,
                    format!(
                        "`{name}` must be a folder relative to the repository root, found `{}`",
                        shown(value)
                    ),
                ),
                Some(rules::FolderProblem::Climbs) => (
                    Code::FileOutsideRepository,
                    format!(
                        "`{name}` must be a folder inside the repository, without `..`, found `{}`",
                        shown(value)
                    ),
                ),
                None => return true,
            };
            f.error(code, text.pos, message);
            return false;
        }
        _ => return true,
    };
    f.error(code, text.pos, message);
    true
}

impl Read for String {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        Located::<String>::read(f, field, node).map(|t| t.value)
    }
}

impl<T: Read> Read for Option<T> {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        T::read(f, field, node).map(Some)
    }
}

/// One of the type's words, with the closest one suggested for a typo.
impl<T: Word> Read for Located<T> {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        let name = field.name;
        let text = Located::<String>::read(f, field, node)?;
        match T::from_word(&text.value) {
            Some(value) => Some(Located {
                value,
                pos: text.pos,
            }),
            None => {
                let hint = match closest(&text.value, T::WORDS.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`? "),
                    None => String::new(),
                };
                let message = format!(
                    "`{}` is not a valid {name}; {hint}use one of: {}",
                    shown(&text.value),
                    T::WORDS.join(", ")
                );
                f.error(Code::InvalidValue, text.pos, message);
                None
            }
        }
    }
}

impl<T: Word> Read for T {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        Located::<T>::read(f, field, node).map(|w| w.value)
    }
}

impl Read for Date {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Number(n) => n.text.clone(),
            other => {
                let expected = "a date (`2017`, `2017-06` or `2017-06-14`)";
                f.wrong_type(field.name, expected, node.pos, other);
                return None;
            }
        };
        let date = Date::parse(&text);
        if date.is_none() {
            let message = format!(
                "`{}` is not a date; write `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a date that exists)",
                shown(&text)
            );
            f.error(Code::InvalidDate, node.pos, message);
        }
        date
    }
}

impl Read for bool {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        match node.value {
            Value::Bool(b) => Some(b),
            ref other => {
                f.wrong_type(field.name, "`true` or `false`", node.pos, other);
                None
            }
        }
    }
}

/// A list of texts (ids or free words); an item that is not text is reported and
/// left out, the others kept.
impl Read for Vec<Located<String>> {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        let name = field.name;
        let what_items = match field.ty {
            Ty::References(kind) => format!("{kind} ids"),
            Ty::Texts(items) => items.to_owned(),
            _ => "texts".to_owned(),
        };
        let expected = format!("a list of {what_items} (`[a, b]` or `- ` items)");
        let items = f.items(name, &expected, node)?;
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
                        singular(&what_items),
                        value.type_name()
                    );
                    f.error(Code::InvalidType, item.pos, message);
                }
            }
        }
        Some(out)
    }
}

impl Read for Vec<String> {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        let items = Vec::<Located<String>>::read(f, field, node)?;
        Some(items.into_iter().map(|t| t.value).collect())
    }
}

/// A page (`3`) or a range of pages (`"3-4"`): whole numbers above zero, the range not
/// running backwards.
impl Read for Located<Pages> {
    fn read(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<Self> {
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Number(n) => n.text.clone(),
            other => {
                let expected = "a page (`3`) or a range of pages (`\"3-4\"`)";
                f.wrong_type(field.name, expected, node.pos, other);
                return None;
            }
        };
        match Pages::parse(&text) {
            Some(value) => Some(Located {
                value,
                pos: node.pos,
            }),
            None => {
                let message = format!(
                    "`{}` is not a page; write a whole number above zero (`3`) or a range whose first page is not after its last (`\"3-4\"`)",
                    shown(&text)
                );
                f.error(Code::InvalidValue, node.pos, message);
                None
            }
        }
    }
}
