//! `corroborate.yaml`: the settings, read through the same field reader as the data,
//! with every missing or wrong value keeping its default. The fields are declared
//! with [`Config`]; here are those whose values need their own readers.

use super::Sink;
use super::reader::{Fields, scalar_text};
use crate::config::{Config, LinksSettings, LintLevel, MAX_PER_HOST, MAX_TIMEOUT_S};
use crate::diagnostics::{Code, Lint};
use crate::fields::Field;
use crate::text::{closest, shown};
use crate::yaml::{Node, Value};

/// The largest `max_file_bytes` accepted.
pub const MAX_FILE_BYTES_SETTING: u64 = 4 * 1024 * 1024 * 1024;

/// Decodes `corroborate.yaml`; what is missing or wrong keeps its default.
pub fn config(root: Option<Node>, sink: &mut Sink<'_>) -> Config {
    let Some(root) = root else {
        return Config::default();
    };
    match Fields::open(root, Config::WHAT, Config::FIELDS, None, 0, sink) {
        Some(mut f) => Config::read(&mut f),
        None => Config::default(),
    }
}

/// `max_file_bytes`: a whole number of bytes, above 0 and at most
/// [`MAX_FILE_BYTES_SETTING`].
pub fn max_file_bytes(f: &mut Fields<'_, '_>, _field: &'static Field, node: Node) -> Option<u64> {
    let digits = match &node.value {
        Value::Number(n) if !n.text.is_empty() && n.text.bytes().all(|b| b.is_ascii_digit()) => {
            Some(n.text.trim_start_matches('0'))
        }
        _ => None,
    };
    match digits.map(|d| d.parse::<u64>()) {
        Some(Ok(n)) if n > 0 && n <= MAX_FILE_BYTES_SETTING => Some(n),
        Some(Ok(0)) | None => {
            let message = "`max_file_bytes` must be a whole number of bytes above 0, such as 67108864 (64 MiB)".to_owned();
            f.error(Code::InvalidValue, node.pos, message);
            None
        }
        // Too many digits for any number, or above the ceiling.
        Some(_) => {
            let message = format!(
                "`max_file_bytes` is too large: at most {MAX_FILE_BYTES_SETTING} (4 GiB), since each data file is read into memory whole"
            );
            f.error(Code::InvalidValue, node.pos, message);
            None
        }
    }
}

/// `lints`: a mapping of lint names to levels; an unknown lint is reported with the
/// closest name, a wrong level with the levels there are.
pub fn lint_levels(
    f: &mut Fields<'_, '_>,
    field: &'static Field,
    node: Node,
) -> Option<Vec<(Lint, LintLevel)>> {
    let entries = match node.value {
        Value::Map(entries) => entries,
        value => {
            let expected = "a mapping of lint names to `allow`, `warn` or `deny`";
            f.wrong_type(field.name, expected, node.pos, &value);
            return None;
        }
    };
    let names: Vec<&str> = Lint::ALL.iter().map(|l| l.name()).collect();
    let mut levels = Vec::new();
    for (key, value) in entries {
        let Some(lint) = Lint::from_name(&key.name) else {
            let hint = match closest(&key.name, names.iter().copied()) {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!("the lints are: {}", names.join(", ")),
            };
            let id = f.id.clone();
            f.sink.error(
                Code::UnknownField,
                key.pos,
                id.as_deref(),
                format!("unknown lint `{}`; {hint}", shown(&key.name)),
            );
            continue;
        };
        match scalar_text(&value.value)
            .as_deref()
            .and_then(LintLevel::from_word)
        {
            Some(level) => levels.push((lint, level)),
            None => {
                let message = format!(
                    "the level of `{}` must be one of: {}",
                    lint.name(),
                    LintLevel::WORDS.join(", ")
                );
                f.error(Code::InvalidValue, value.pos, message);
            }
        }
    }
    Some(levels)
}

/// `links`: the nested mapping of [`LinksSettings`], read like the file itself.
pub fn links_settings(
    f: &mut Fields<'_, '_>,
    field: &'static Field,
    node: Node,
) -> Option<LinksSettings> {
    if !matches!(node.value, Value::Map(_)) {
        let expected = "a mapping of settings (wayback_api, save_api, timeout_s, per_host)";
        f.wrong_type(field.name, expected, node.pos, &node.value);
        return None;
    }
    let owner = f.id.clone();
    let file = f.file;
    let mut nested = Fields::open(
        node,
        LinksSettings::WHAT,
        LinksSettings::FIELDS,
        owner.as_deref(),
        file,
        f.sink,
    )?;
    Some(LinksSettings::read(&mut nested))
}

/// `timeout_s`: whole seconds, 1 to [`MAX_TIMEOUT_S`].
pub fn timeout_s(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<u64> {
    count(f, field, node, MAX_TIMEOUT_S, "seconds")
}

/// `per_host`: requests at once, 1 to [`MAX_PER_HOST`].
pub fn per_host(f: &mut Fields<'_, '_>, field: &'static Field, node: Node) -> Option<u64> {
    count(f, field, node, MAX_PER_HOST, "requests")
}

/// A whole number from 1 to `most`, written as a plain number.
fn count(
    f: &mut Fields<'_, '_>,
    field: &'static Field,
    node: Node,
    most: u64,
    unit: &str,
) -> Option<u64> {
    let number = match &node.value {
        Value::Number(n) if !n.text.is_empty() && n.text.bytes().all(|b| b.is_ascii_digit()) => {
            n.text.parse::<u64>().ok()
        }
        _ => None,
    };
    match number {
        Some(n) if (1..=most).contains(&n) => Some(n),
        _ => {
            let message = format!(
                "`{}` must be a whole number of {unit} from 1 to {most}",
                field.name
            );
            f.error(Code::InvalidValue, node.pos, message);
            None
        }
    }
}
