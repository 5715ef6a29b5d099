//! Each record is declared once (`record!`); this walks the declared tables and checks
//! that every field reaches everything derived from them: `check` accepts it, `schema`
//! prints it (required as declared), the export writes it, and the public edition
//! leaves it out of what it hides. A field added to a declaration is covered at once;
//! a reader, schema or export that forgot it fails here.

use crate::support::{Scratch, corroborate};
use corroborate::fields::{self, Field, Ty};
use serde_json::Value;
use sha2::{Digest, Sha256};

const LOCAL_COPY: &str = "evidence/copy.txt";
const LOCAL_TEXT: &str = "the local copy\n";

/// A valid value for a field of type `ty` in the test repository: entity `e1`,
/// sources `s1` (citing `s2`) and `s2`, claims `c1` (with every field) and `c2`.
fn sample(ty: Ty, id: &str) -> String {
    match ty {
        Ty::Id => id.to_owned(),
        Ty::Text | Ty::Markdown => "\"some *text*\"".to_owned(),
        Ty::Reference("entity") => "e1".to_owned(),
        Ty::Reference("claim") => "c2".to_owned(),
        Ty::Reference(_) => "s1".to_owned(),
        Ty::References("entity") => "[e1]".to_owned(),
        Ty::References(_) => "[s2]".to_owned(),
        Ty::Texts(_) => "[one, two]".to_owned(),
        Ty::Url => "https://example.org/a".to_owned(),
        Ty::Date => "2019-05-22".to_owned(),
        Ty::Bool => "true".to_owned(),
        Ty::Words(words) => words[0].to_owned(),
        Ty::Verdict => "mixed".to_owned(),
        Ty::Credibility => "2".to_owned(),
        Ty::Sha256 => format!("{:x}", Sha256::digest(LOCAL_TEXT.as_bytes())),
        Ty::Doi => format!("10.1234/{id}"),
        Ty::ImportKey => format!("\"csv:{id}\""),
        Ty::Language => "en".to_owned(),
        Ty::File => LOCAL_COPY.to_owned(),
        Ty::Page => "\"3-4\"".to_owned(),
        Ty::Records(_)
        | Ty::LintLevels
        | Ty::Bytes
        | Ty::Folder
        | Ty::Settings(_)
        | Ty::Count(_) => {
            unreachable!("not a scalar field of a record: {ty:?}")
        }
    }
}

fn table_named(name: &str) -> &'static [Field] {
    match fields::RECORDS.iter().find(|(n, _)| *n == name) {
        Some((_, table)) => table,
        None => panic!("no table `{name}`"),
    }
}

/// The `file` + `sha256` shorthand and `files` may not stand in one source, nor
/// `archive_url` and `archives`: the full source `s1` has the lists, and `s2` the
/// shorthands.
const SHORTHAND: [&str; 3] = ["file", "sha256", "archive_url"];

/// A list item holding every declared field of `table`, nested records included,
/// indented by `indent`.
fn full_item(table: &[Field], id: &str, indent: usize, sensitive: bool) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let shorthand_left_out = table.iter().any(|f| f.name == "files");
    let table = table
        .iter()
        .filter(|f| !(shorthand_left_out && SHORTHAND.contains(&f.name)));
    for (i, f) in table.enumerate() {
        let lead = if i == 0 {
            format!("{pad}- ")
        } else {
            format!("{pad}  ")
        };
        let value = match f.ty {
            Ty::Records(nested) => {
                out.push_str(&format!("{lead}{}:\n", f.name));
                out.push_str(&full_item(table_named(nested), "", indent + 4, false));
                continue;
            }
            Ty::Bool if f.name == "sensitive" => sensitive.to_string(),
            // `via` names another source than the item's `source` (`s1`).
            Ty::Reference("source") if f.name == "via" => "s2".to_owned(),
            ty => sample(ty, id),
        };
        out.push_str(&format!("{lead}{}: {value}\n", f.name));
    }
    out
}

fn repository() -> Scratch {
    let data = format!(
        "entities:\n{}sources:\n{}  - id: s2\n    title: Plain\n    file: {LOCAL_COPY}\n    sha256: {}\n    archive_url: https://example.org/b\nclaims:\n{}  - id: c2\n    statement: Other.\n",
        full_item(fields::ENTITY, "e1", 2, true),
        full_item(fields::SOURCE, "s1", 2, true),
        sample(Ty::Sha256, "s2"),
        full_item(fields::CLAIM, "c1", 2, false),
    );
    let repo = Scratch::new();
    repo.write("claims/all.yaml", &data)
        .write(LOCAL_COPY, LOCAL_TEXT);
    repo
}

fn json(dir: &std::path::Path, args: &[&str]) -> Value {
    let run = corroborate(dir, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    match serde_json::from_str(&run.stdout) {
        Ok(value) => value,
        Err(err) => panic!("{args:?} printed no JSON ({err}): {}", run.stdout),
    }
}

fn record<'a>(list: &'a Value, id: &str) -> &'a Value {
    match list
        .as_array()
        .and_then(|items| items.iter().find(|r| r["id"] == id))
    {
        Some(record) => record,
        None => panic!("no record `{id}` in {list}"),
    }
}

/// The name a declared field has in the export: a claim's `evidence` is written as
/// `evidence_items`, beside the computed `evidence` counts.
fn exported_name(table: &str, field: &str) -> &'static str {
    match (table, field) {
        ("claim", "evidence") => "evidence_items",
        _ => fields::RECORDS
            .iter()
            .flat_map(|(_, t)| t.iter())
            .map(|f| f.name)
            .find(|name| *name == field)
            .unwrap_or_else(|| panic!("undeclared `{field}`")),
    }
}

#[test]
fn every_declared_field_is_read_printed_and_exported() {
    let repo = repository();
    let (code, diagnostics) = repo.check_json();
    let errors: Vec<&Value> = diagnostics
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(code == 0 && errors.is_empty(), "{diagnostics:#}");

    let schema = json(repo.path(), &["schema"]);
    for (name, table) in fields::RECORDS {
        let definition = &schema["definitions"][name];
        for f in *table {
            assert!(
                definition["properties"].get(f.name).is_some(),
                "schema of {name} lacks `{}`",
                f.name
            );
        }
        let required: Vec<&str> = table
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        let printed: Vec<&str> = definition["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(printed, required, "required fields of {name}");
    }

    let export = json(repo.path(), &["export", "--include-sensitive"]);
    let claim = record(&export["claims"], "c1");
    let source = record(&export["sources"], "s1");
    let exported = [
        ("entity", record(&export["entities"], "e1")),
        ("source", source),
        ("copy", &source["files"][0]),
        ("archive", &source["archives"][0]),
        ("claim", claim),
        ("evidence", &claim["evidence_items"][0]),
        ("related", &claim["related"][0]),
    ];
    for (name, value) in exported {
        for f in table_named(name) {
            let value = match (name, f.name) {
                ("source", field) if SHORTHAND.contains(&field) => record(&export["sources"], "s2"),
                _ => value,
            };
            let key = exported_name(name, f.name);
            let written = &value[key];
            let empty = written.is_null() || written.as_array().is_some_and(|a| a.is_empty());
            assert!(!empty, "the export of {name} lacks `{key}`: {value:#}");
        }
    }
}

/// What the public edition keeps of a sensitive entity or source, and of the
/// evidence from a sensitive source: any other declared field, a new one included,
/// must be left out.
#[test]
fn the_public_edition_leaves_out_every_field_it_does_not_keep() {
    let repo = repository();
    let export = json(repo.path(), &["export"]);
    let kept = |value: &Value, table: &[Field], keep: &[&str], what: &str| {
        for f in table {
            let written = &value[f.name];
            let empty = written.is_null()
                || written.as_array().is_some_and(|a| a.is_empty())
                || *written == Value::Bool(false);
            assert!(
                empty || keep.contains(&f.name),
                "the public {what} shows `{}`: {value:#}",
                f.name
            );
        }
    };
    let entity = record(&export["entities"], "confidential-entity-1");
    kept(
        entity,
        fields::ENTITY,
        &["id", "name", "kind", "sensitive"],
        "entity",
    );
    let source = record(&export["sources"], "confidential-source-1");
    let keep = ["id", "title", "kind", "reliability", "sensitive"];
    kept(source, fields::SOURCE, &keep, "source");
    let item = &record(&export["claims"], "c1")["evidence_items"][0];
    assert_eq!(item["source"], "confidential-source-1");
    // `via` is a reference, like `source`: a placeholder when it names a sensitive
    // source, else the public source the item was read in.
    let keep = ["source", "via", "stance", "credibility"];
    kept(item, fields::EVIDENCE, &keep, "evidence item");
}
