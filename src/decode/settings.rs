//! `corroborate.yaml`: the settings, read through the same field reader as the data,
//! with every missing or wrong value keeping its default.

use super::Sink;
use super::reader::{Fields, scalar_text};
use crate::config::{Config, LintLevel};
use crate::diagnostics::{Code, Lint};
use crate::fields;
use crate::rules;
use crate::text::{closest, shown};
use crate::yaml::{Node, Value};

/// Decodes `corroborate.yaml`; what is missing or wrong keeps its default.
/// The largest `max_file_bytes` accepted.
pub const MAX_FILE_BYTES_SETTING: u64 = 4 * 1024 * 1024 * 1024;

pub fn config(root: Option<Node>, sink: &mut Sink<'_>) -> Config {
    let mut config = Config::default();
    let Some(root) = root else {
        return config;
    };
    let Some(mut f) = Fields::open(root, "settings file", fields::CONFIG, None, sink) else {
        return config;
    };
    if let Some(title) = f.optional_text("title") {
        config.title = title;
    }
    config.description = f.optional_text("description");
    config.base_url = f.url("base_url").map(|u| u.value);
    for (name, slot) in [
        ("data", &mut config.data),
        ("output", &mut config.output),
        ("templates", &mut config.templates),
    ] {
        if let Some(path) = f.text(name) {
            match rules::folder_problem(&path.value) {
                Some(rules::FolderProblem::NotRelative) => {
                    let message = format!(
                        "`{name}` must be a folder relative to the repository root, found `{}`",
                        shown(&path.value)
                    );
                    f.error(Code::InvalidValue, path.pos, message);
                }
                Some(rules::FolderProblem::Climbs) => {
                    let message = format!(
                        "`{name}` must be a folder inside the repository, without `..`, found `{}`",
                        shown(&path.value)
                    );
                    f.error(Code::FileOutsideRepository, path.pos, message);
                }
                None => *slot = path.value,
            }
        }
    }
    if let Some(node) = f.take("lints") {
        config.lints = lint_levels(node, &mut f);
    }
    if let Some(node) = f.take("max_file_bytes") {
        let digits = match &node.value {
            Value::Number(n)
                if !n.text.is_empty() && n.text.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(n.text.trim_start_matches('0'))
            }
            _ => None,
        };
        match digits.map(|d| d.parse::<u64>()) {
            Some(Ok(n)) if n > 0 && n <= MAX_FILE_BYTES_SETTING => config.max_file_bytes = n,
            Some(Ok(0)) | None => {
                let message = "`max_file_bytes` must be a whole number of bytes above 0, such as 67108864 (64 MiB)".to_owned();
                f.error(Code::InvalidValue, node.pos, message);
            }
            // Too many digits for any number, or above the ceiling.
            Some(_) => {
                let message = format!(
                    "`max_file_bytes` is too large: at most {MAX_FILE_BYTES_SETTING} (4 GiB), since each data file is read into memory whole"
                );
                f.error(Code::InvalidValue, node.pos, message);
            }
        }
    }
    config
}

fn lint_levels(node: Node, f: &mut Fields<'_, '_>) -> Vec<(Lint, LintLevel)> {
    let entries = match node.value {
        Value::Map(entries) => entries,
        value => {
            f.wrong_type(
                "lints",
                "a mapping of lint names to `allow`, `warn` or `deny`",
                &Node {
                    pos: node.pos,
                    value,
                },
            );
            return Vec::new();
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
            f.sink.key_error(
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
    levels
}
