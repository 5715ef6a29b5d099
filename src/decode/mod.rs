//! Turns a parsed YAML tree into typed records, reporting every problem in the file
//! rather than stopping at the first, each at the place of the offending value.
//! Unknown fields are errors that name the closest valid field: a typo must never be
//! silently dropped.

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::fields;
use crate::model::{FileIdx, Records};
use crate::text::{closest, shown};
use crate::yaml::{Node, Value};
use records::record;

mod reader;
mod records;
mod settings;
mod values;

// What the declarations (`record!`) expand to refers to these.
pub use reader::Fields;
pub use records::{Place, Record, credibility, verdict};
pub use settings::{
    MAX_FILE_BYTES_SETTING, config, links_settings, lint_levels, max_file_bytes, per_host,
    timeout_s,
};
pub use values::Read;

/// Where diagnostics of one file go.
pub struct Sink<'a> {
    pub path: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(path: &'a str) -> Self {
        Sink {
            path,
            diagnostics: Vec::new(),
        }
    }

    pub fn error(&mut self, code: Code, pos: Pos, id: Option<&str>, message: String) {
        self.diagnostics
            .push(Diagnostic::error(code, self.path, pos, message).with_id(id));
    }
}

/// Decodes a whole data file: a mapping of `entities`, `sources` and `claims` lists.
pub fn data_file(root: Option<Node>, file: FileIdx, sink: &mut Sink<'_>) -> Records {
    let mut records = Records::default();
    let Some(root) = root else {
        return records;
    };
    let Value::Map(entries) = root.value else {
        if root.value != Value::Null {
            sink.error(
                Code::InvalidType,
                root.pos,
                None,
                format!(
                    "a data file must be a mapping with `entities`, `sources` and `claims` lists, found {}",
                    root.value.type_name()
                ),
            );
        }
        return records;
    };
    for (key, node) in entries {
        let kind = key.name.as_str();
        if !fields::names(fields::DATA_FILE).any(|k| k == kind) {
            let hint = match closest(kind, fields::names(fields::DATA_FILE)) {
                Some(name) => format!("did you mean `{name}`?"),
                None => "a data file has only `entities`, `sources` and `claims`".to_owned(),
            };
            sink.error(
                Code::UnknownField,
                key.pos,
                None,
                format!("unknown top-level key `{}`; {hint}", shown(kind)),
            );
            continue;
        }
        let items = match node.value {
            Value::Seq(items) => items,
            Value::Null => continue,
            other => {
                sink.error(
                    Code::InvalidType,
                    node.pos,
                    None,
                    format!(
                        "`{kind}` must be a list (items start with `- `), found {}",
                        other.type_name()
                    ),
                );
                continue;
            }
        };
        for item in items {
            match kind {
                "entities" => records.entities.extend(record(item, None, file, sink)),
                "sources" => records.sources.extend(record(item, None, file, sink)),
                _ => records.claims.extend(record(item, None, file, sink)),
            }
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use crate::model::Verdict;
    use crate::yaml::parse;

    fn decode(text: &str) -> (Records, Vec<Diagnostic>) {
        let mut sink = Sink::new("claims/t.yaml");
        let root = match parse(text) {
            Ok(root) => root,
            Err(err) => panic!("parse failed: {err:?}"),
        };
        let records = data_file(root, 0, &mut sink);
        (records, sink.diagnostics)
    }

    fn codes(diags: &[Diagnostic]) -> Vec<(&str, u32, u32)> {
        diags
            .iter()
            .map(|d| (d.code.as_str(), d.line, d.column))
            .collect()
    }

    #[test]
    fn unquoted_boolean_verdicts_and_numeric_dates_are_read() {
        let (records, diags) =
            decode("claims:\n  - id: c\n    statement: s\n    verdict: false\n    date: 2017\n");
        assert!(diags.is_empty(), "{diags:?}");
        let claim = &records.claims[0];
        assert_eq!(
            claim.verdict.as_ref().map(|v| v.value),
            Some(Verdict::False)
        );
        assert_eq!(claim.date.map(|d| d.to_string()), Some("2017".into()));
    }

    #[test]
    fn every_problem_in_a_file_is_reported() {
        let text = "claims:\n  - id: Bad_Id\n    statment: x\n    verdict: maybe\n    date: 2017-02-30\n    evidence:\n      - source: s\n        stance: proves\n  - id: ok\n    statement: fine\n    tags: solo\nsource: []\n";
        let (_, diags) = decode(text);
        assert_eq!(
            codes(&diags),
            vec![
                ("unknown-field", 3, 5),
                ("invalid-id", 2, 9),
                ("missing-field", 2, 5),
                ("invalid-date", 5, 11),
                ("invalid-value", 4, 14),
                ("invalid-value", 8, 17),
                ("invalid-type", 11, 11),
                ("unknown-field", 12, 1),
            ]
        );
        assert!(
            diags[0].message.contains("did you mean `statement`?"),
            "{}",
            diags[0].message
        );
        assert!(
            diags[7].message.contains("did you mean `sources`?"),
            "{}",
            diags[7].message
        );
    }

    /// A valid YAML value for a field of type `ty`.
    fn sample(ty: fields::Ty) -> String {
        use fields::Ty;
        match ty {
            Ty::Id => "x1".into(),
            Ty::Text | Ty::Markdown => "\"some *text*\"".into(),
            Ty::Reference(_) => "x1".into(),
            Ty::References(_) | Ty::Texts(_) => "[x1, x2]".into(),
            Ty::Url => "https://example.org/a".into(),
            Ty::Date => "2019-05-22".into(),
            Ty::Bool => "true".into(),
            Ty::Words(words) => words[0].into(),
            Ty::Verdict => "false".into(),
            Ty::Credibility => "2".into(),
            Ty::Sha256 => "a".repeat(64),
            Ty::Doi => "10.1234/example.5678".into(),
            Ty::ImportKey => "\"zotero:ABCD1234\"".into(),
            Ty::Language => "zh-Hans".into(),
            Ty::Records("evidence") => "[{source: x1, stance: supports}]".into(),
            Ty::Records("related") => "[{claim: x1, relation: refines}]".into(),
            Ty::Records("copy") => "[{path: evidence/x.pdf, role: text}]".into(),
            Ty::Records("archive") => {
                "[{url: https://web.archive.org/web/2019/https://example.org/a, captured: 2019-04-10}]"
                    .into()
            }
            Ty::Records(_) => "[]".into(),
            Ty::Page => "\"3-4\"".into(),
            Ty::LintLevels => "{missing-quote: deny}".into(),
            Ty::Bytes => "1000".into(),
            Ty::Count(_) => "1".into(),
            Ty::Settings(_) => "{}".into(),
            Ty::Folder => "data".into(),
            Ty::File => "evidence/x.pdf".into(),
        }
    }

    fn full_record(table: &[fields::Field]) -> String {
        table
            .iter()
            .map(|f| format!("    {}: {}\n", f.name, sample(f.ty)))
            .collect()
    }

    /// Every field in the tables is accepted and read: the decoder and the schema
    /// (generated from the same tables) agree.
    #[test]
    fn every_declared_field_is_decoded() {
        for (key, table) in [
            ("entities", fields::ENTITY),
            ("sources", fields::SOURCE),
            ("claims", fields::CLAIM),
        ] {
            let body = full_record(table);
            let text = format!("{key}:\n  - {}", body.trim_start());
            let (records, diags) = decode(&text);
            assert!(diags.is_empty(), "{key}: {diags:?}");
            assert_eq!(
                records.entities.len() + records.sources.len() + records.claims.len(),
                1
            );
        }
        let mut sink = Sink::new("corroborate.yaml");
        let text: String = fields::CONFIG
            .iter()
            .map(|f| format!("{}: {}\n", f.name, sample(f.ty)))
            .collect();
        let config = config(parse(&text).expect("valid"), &mut sink);
        assert!(sink.diagnostics.is_empty(), "{:?}", sink.diagnostics);
        assert_eq!(config.max_file_bytes, 1000);
    }
}
