//! JSON Schemas of a data file and of `corroborate.yaml`, generated from the same
//! field tables the decoder uses, so that editors with the YAML language server
//! validate and complete fields exactly as `corroborate check` reads them.

use crate::diagnostics::Lint;
use crate::fields::{self, Field, Ty};
use crate::rules;
use serde_json::{Map, Value, json};

pub const DATA_SCHEMA_FILE: &str = "data.schema.json";
pub const CONFIG_SCHEMA_FILE: &str = "corroborate.schema.json";

/// A page or a range of pages written as text (`"3"`, `"3-4"`); that the range does
/// not run backwards is checked by `corroborate check` only.
const PAGE_PATTERN: &str = "^[0-9]+(-[0-9]+)?$";

fn type_of(ty: Ty) -> Value {
    match ty {
        Ty::Id => json!({"type": "string", "pattern": rules::ID_PATTERN}),
        Ty::Text => json!({"type": ["string", "number"]}),
        Ty::Markdown | Ty::Folder | Ty::File => json!({"type": "string"}),
        Ty::Reference(_) => json!({"type": ["string", "number"]}),
        Ty::References(_) | Ty::Texts(_) => {
            json!({"type": "array", "items": {"type": ["string", "number"]}})
        }
        Ty::Url => json!({"type": "string", "pattern": rules::URL_PATTERN}),
        Ty::Date => json!({"anyOf": [
            {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
            {"type": "integer", "minimum": 0, "maximum": 9999}
        ]}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Words(words) => json!({"type": "string", "enum": words}),
        Ty::Verdict => {
            let mut values: Vec<Value> = fields::VERDICTS.iter().map(|w| json!(w)).collect();
            values.extend([json!(true), json!(false)]);
            json!({"enum": values})
        }
        Ty::Credibility => json!({"type": "integer", "minimum": 1, "maximum": 6}),
        Ty::Sha256 => json!({"type": "string", "pattern": rules::SHA256_PATTERN}),
        Ty::Doi => json!({"type": "string", "pattern": rules::DOI_PATTERN}),
        Ty::ImportKey => json!({"type": "string", "pattern": rules::IMPORT_KEY_PATTERN}),
        Ty::Language => json!({"type": "string", "pattern": rules::LANGUAGE_PATTERN}),
        Ty::Records(name) => json!({"anyOf": [
            {"type": "null"},
            {"type": "array", "items": {"$ref": format!("#/definitions/{name}")}}
        ]}),
        Ty::LintLevels => {
            let properties: Map<String, Value> = Lint::ALL
                .iter()
                .map(|lint| {
                    (
                        lint.name().to_owned(),
                        json!({"type": "string", "enum": fields::LINT_LEVELS}),
                    )
                })
                .collect();
            json!({"type": "object", "additionalProperties": false, "properties": properties})
        }
        Ty::Bytes => json!({"type": "integer", "minimum": 1}),
        Ty::Count(most) => json!({"type": "integer", "minimum": 1, "maximum": most}),
        Ty::Settings(name) => fields::SETTINGS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or_else(
                || json!({"type": "object"}),
                |(_, table)| object(table, name),
            ),
        Ty::Page => json!({"anyOf": [
            {"type": "integer", "minimum": 1},
            {"type": "string", "pattern": PAGE_PATTERN}
        ]}),
    }
}

fn object(fields: &[Field], title: &str) -> Value {
    let mut properties = Map::new();
    for f in fields {
        let mut schema = type_of(f.ty);
        if let Value::Object(map) = &mut schema {
            map.insert("description".into(), json!(f.doc));
        }
        properties.insert(f.name.to_owned(), schema);
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut out = json!({
        "title": title,
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    });
    if !required.is_empty() {
        out["required"] = json!(required);
    }
    out
}

/// The schema of a data file (any `*.yaml` under the data folder).
pub fn data_file() -> Value {
    let definitions: Map<String, Value> = fields::RECORDS
        .iter()
        .map(|(name, table)| ((*name).to_owned(), object(table, name)))
        .collect();
    let mut top = object(fields::DATA_FILE, "corroborate data file");
    top["type"] = json!(["object", "null"]);
    top["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    top["description"] =
        json!("A corroborate data file: lists of entities, sources and claims (format version 1).");
    top["definitions"] = Value::Object(definitions);
    top
}

/// The schema of `corroborate.yaml`.
pub fn config_file() -> Value {
    let mut top = object(fields::CONFIG, "corroborate.yaml");
    top["type"] = json!(["object", "null"]);
    top["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    top["description"] = json!("Settings of a corroborate research repository.");
    top
}

/// A schema as the text written to files and standard output.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
