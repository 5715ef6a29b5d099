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
