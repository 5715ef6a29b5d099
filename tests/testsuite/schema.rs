//! `corroborate schema`: the printed JSON Schema accepts the example case and rejects
//! what `check` rejects, judged by an independent JSON Schema validator (the
//! `jsonschema` crate), not by corroborate's own code.

use crate::support::{Scratch, corroborate, fixture};
use std::path::Path;

fn schema(args: &[&str]) -> serde_json::Value {
    let run = corroborate(Path::new("."), args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("the schema is JSON")
}

/// A YAML file as JSON, read with a YAML parser of its own.
fn yaml_as_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("readable");
    serde_saphyr::from_str::<Option<serde_json::Value>>(&text)
        .expect("valid YAML")
        .unwrap_or(serde_json::Value::Null)
}

fn data_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("folder") {
        let path = entry.expect("entry").path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if path.is_dir() {
            out.extend(data_files(&path));
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn the_example_case_is_valid_against_the_schema() {
    let validator = jsonschema::draft7::new(&schema(&["schema"])).expect("a valid draft-07 schema");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = data_files(&root.join("claims"));
    assert!(files.len() >= 5);
    for file in files
        .iter()
        .chain(data_files(&fixture("clean/claims")).iter())
    {
        let instance = yaml_as_json(file);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
    let config = jsonschema::draft7::new(&schema(&["schema", "--config"])).expect("valid schema");
    assert!(config.is_valid(&yaml_as_json(&root.join("corroborate.yaml"))));
}

#[test]
fn the_schema_rejects_what_check_rejects() {
    let validator = jsonschema::draft7::new(&schema(&["schema"])).expect("valid schema");
    for name in [
        "unknown-field",
        "invalid-value",
        "invalid-type",
        "missing-field",
        "invalid-id",
        "invalid-url",
        "invalid-date",
    ] {
        let file = fixture(name).join("claims/data.yaml");
        assert!(
            !validator.is_valid(&yaml_as_json(&file)),
            "{name} should fail the schema"
        );
    }
    let config = jsonschema::draft7::new(&schema(&["schema", "--config"])).expect("valid schema");
    assert!(!config.is_valid(&yaml_as_json(&fixture("bad-config/corroborate.yaml"))));
}

#[test]
fn schema_out_writes_both_files() {
    let dir = Scratch::new();
    let out = dir.path().join("schemas");
    let run = corroborate(
        dir.path(),
        &["schema", "--out", out.to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("data.schema.json")).expect("written"),
    )
    .expect("JSON");
    assert_eq!(data, schema(&["schema"]));
    assert!(out.join("corroborate.schema.json").is_file());
}

/// Format 1.1: `files` (a list of copies with a path, checksum, role and date),
/// `via` and `page` are in the schema, with the rules `check` applies.
#[test]
fn the_schema_covers_local_copies_via_and_page() {
    let schema = schema(&["schema"]);
    let definitions = &schema["definitions"];
    assert_eq!(
        definitions["source"]["properties"]["files"]["anyOf"][1]["items"]["$ref"],
        "#/definitions/copy"
    );
    let copy = &definitions["copy"];
    assert_eq!(copy["required"], serde_json::json!(["path"]));
    assert_eq!(
        copy["properties"]["role"]["enum"],
        serde_json::json!(["original", "archive", "text", "translation", "screenshot"])
    );
    assert!(copy["properties"]["sha256"]["pattern"].is_string());
    assert!(copy["properties"]["captured"]["anyOf"].is_array());
    let evidence = &definitions["evidence"]["properties"];
    assert!(evidence["via"]["description"].is_string());
    let validator = jsonschema::draft7::new(&schema).expect("valid schema");
    let with_page = |page: serde_json::Value| {
        serde_json::json!({"claims": [{"id": "c", "statement": "s", "evidence": [
            {"source": "a", "via": "b", "stance": "supports", "page": page}
        ]}]})
    };
    for good in [serde_json::json!(3), serde_json::json!("3-4")] {
        assert!(validator.is_valid(&with_page(good.clone())), "{good}");
    }
    for bad in [
        serde_json::json!(0),
        serde_json::json!("three"),
        serde_json::json!([3]),
    ] {
        assert!(!validator.is_valid(&with_page(bad.clone())), "{bad}");
    }
    let bad_role = serde_json::json!({"sources": [{"id": "s", "title": "t", "files": [
        {"path": "evidence/x.pdf", "role": "transcript"}
    ]}]});
    assert!(!validator.is_valid(&bad_role));
}
