//! A spreadsheet's CSV export, with a map file that says which column holds which
//! field and what kind of record each row is:
//!
//! ```yaml
//! record: source          # or claim
//! key: ID                 # the column that names a row for good (default: its line)
//! columns:
//!   title: Headline
//!   url: Link
//!   published: Date
//! ```
//!
//! The bytes are read as real exports write them: UTF-8 with or without a BOM,
//! UTF-16 with its BOM (Excel's "Unicode text"), else Windows-1252 (said so); the
//! separator is `,`, `;` or a tab, whichever the header line has most of. Problems
//! are named with the CSV's line and column.

use super::{Imported, Read};
use crate::model::{Date, SourceKind};
use crate::yaml::Value;

/// What a map file says.
#[derive(Clone, Debug, Default)]
pub struct Map {
    pub claims: bool,
    pub key: Option<String>,
    /// FORMAT field name to column name.
    pub columns: Vec<(String, String)>,
}

/// The fields a column can fill, by record kind.
const SOURCE_FIELDS: &[&str] = &[
    "title",
    "kind",
    "publisher",
    "author",
    "url",
    "published",
    "accessed",
    "language",
    "doi",
    "archive_url",
];
const CLAIM_FIELDS: &[&str] = &["statement", "date", "claimant"];

/// Reads a map file's text.
pub fn read_map(name: &str, text: &str) -> Result<Map, String> {
    let root = crate::yaml::parse(text)
        .map_err(|e| format!("{name}:{}:{}: {}", e.pos.line, e.pos.column, e.message))?;
    let Some(Value::Map(entries)) = root.map(|n| n.value) else {
        return Err(format!(
            "{name} must be a mapping with `record` and `columns`"
        ));
    };
    let mut map = Map::default();
    let scalar = |v: &Value| match v {
        Value::Str(s) => Some(s.clone()),
        Value::Number(n) => Some(n.text.clone()),
        _ => None,
    };
    for (key, node) in &entries {
        let at = format!("{name}:{}:{}", key.pos.line, key.pos.column);
        match key.name.as_str() {
            "record" => match scalar(&node.value).as_deref() {
                Some("source") => map.claims = false,
                Some("claim") => map.claims = true,
                _ => return Err(format!("{at}: `record` must be `source` or `claim`")),
            },
            "key" => map.key = scalar(&node.value),
            "columns" => {
                let Value::Map(columns) = &node.value else {
                    return Err(format!(
                        "{at}: `columns` must map field names to column names"
                    ));
                };
                for (field, column) in columns {
                    let column = scalar(&column.value).ok_or(format!(
                        "{name}:{}:{}: the column of `{}` must be a name",
                        field.pos.line, field.pos.column, field.name
                    ))?;
                    map.columns.push((field.name.clone(), column));
                }
            }
            other => {
                return Err(format!(
                    "{at}: unknown key `{}`; a map has record, key and columns",
                    crate::text::shown(other)
                ));
            }
        }
    }
    let allowed = if map.claims {
        CLAIM_FIELDS
    } else {
        SOURCE_FIELDS
    };
    for (field, _) in &map.columns {
        if !allowed.contains(&field.as_str()) {
            return Err(format!(
                "{name}: `{}` is not a field a {} can take from a column; these can: {}",
                crate::text::shown(field),
                if map.claims { "claim" } else { "source" },
                allowed.join(", ")
            ));
        }
    }
    let needed = if map.claims { "statement" } else { "title" };
    if !map.columns.iter().any(|(f, _)| f == needed) {
        return Err(format!(
            "{name}: `columns` must name the column of `{needed}`"
        ));
    }
    Ok(map)
}

/// The text of a CSV export, and whether it had to be read as Windows-1252.
fn decode(bytes: &[u8]) -> (String, bool) {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, _) = encoding.decode(bytes);
        return (text.into_owned(), false);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), false),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), true)
        }
    }
}

/// One row of the CSV, as the map reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub place: String,
    pub import_key: String,
    /// Field, value, and the value's column (from 1).
    pub fields: Vec<(String, String, usize)>,
}

/// Reads the CSV `name` with `map`; the rows, and what was skipped or lost.
pub fn rows(name: &str, bytes: &[u8], map: &Map) -> Result<(Vec<Row>, Read), String> {
    let (text, latin) = decode(bytes);
    let mut read = Read::default();
    if latin {
        read.notes.push(format!(
            "{name}: not UTF-8, so read as Windows-1252 (as Excel writes CSV on Windows); save it as \"CSV UTF-8\" to be sure"
        ));
    }
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("{name}: its header line cannot be read: {e}"))?
        .clone();
    let column = |wanted: &str| headers.iter().position(|h| h.trim() == wanted);
    let mut columns = Vec::new();
    for (field, wanted) in &map.columns {
        let at = column(wanted).ok_or(format!(
            "{name}:1: no column `{}` (the map's `{field}`); the columns are: {}",
            crate::text::shown(wanted),
            headers
                .iter()
                .map(crate::text::shown)
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        columns.push((field.clone(), at));
    }
    let key_column = match &map.key {
        Some(key) => Some(column(key).ok_or(format!(
            "{name}:1: no column `{}` (the map's `key`)",
            crate::text::shown(key)
        ))?),
        None => None,
    };
    let stem = std::path::Path::new(name)
        .file_name()
        .map_or(name.to_owned(), |n| n.to_string_lossy().into_owned());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(&text, p.byte()));
                read.problems.push(format!("{name}:{line}: {e}; skipped"));
                continue;
            }
        };
        // From the byte offset: the reader's own line count differs with CRLF.
        let line = record.position().map_or(0, |p| line_at(&text, p.byte()));
        let place = format!("{name}:{line}");
        let key = match key_column {
            Some(at) => match record.get(at).map(str::trim).filter(|k| !k.is_empty()) {
                Some(k) => k.to_owned(),
                None => {
                    read.problems.push(format!(
                        "{place}:{}: the key column is empty; skipped",
                        at + 1
                    ));
                    continue;
                }
            },
            None => format!("line {line}"),
        };
        let fields = columns
            .iter()
            .filter_map(|(field, at)| {
                let value = record
                    .get(*at)?
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                (!value.is_empty()).then(|| (field.clone(), value, at + 1))
            })
            .collect();
        out.push(Row {
            place,
            import_key: format!("csv:{stem}:{key}"),
            fields,
        });
    }
    Ok((out, read))
}

/// The line (from 1) of a byte offset of `text`.
fn line_at(text: &str, byte: u64) -> usize {
    let bytes = text.as_bytes();
    let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    // A record after a CRLF is said to start at its `\n`.
    while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
        at += 1;
    }
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Reads the CSV `name` with `map`: for a claim map, its rows (planned by
/// [`plan_claims`]); for a source map, its rows as sources, in the [`Read`].
pub fn read(name: &str, bytes: &[u8], map: &Map) -> Result<(Vec<Row>, Read), String> {
    let (found, mut read) = rows(name, bytes, map)?;
    if map.claims {
        return Ok((found, read));
    }
    for row in &found {
        match source(row, &mut read.notes) {
            Ok(item) => read.items.push((row.place.clone(), item)),
            Err(why) => read.problems.push(format!("{}: {why}; skipped", row.place)),
        }
    }
    Ok((Vec::new(), read))
}

/// A row of a source map as a source, checking each value as `check` would.
pub fn source(row: &Row, notes: &mut Vec<String>) -> Result<Imported, String> {
    let get = |name: &str| {
        row.fields
            .iter()
            .find(|(f, _, _)| f == name)
            .map(|(_, v, _)| v.clone())
    };
    let title = get("title").ok_or("its title is empty")?;
    let mut checked = |name: &str, ok: &dyn Fn(&str) -> bool| {
        let (_, value, column) = row.fields.iter().find(|(f, _, _)| f == name)?;
        if ok(value) {
            Some(value.clone())
        } else {
            notes.push(format!(
                "{}:{column}: `{name}` `{}` is not valid; left out",
                row.place,
                crate::text::shown(value)
            ));
            None
        }
    };
    let url = checked("url", &crate::rules::is_web_url);
    let doi = checked("doi", &crate::rules::is_doi);
    let language = checked("language", &crate::rules::is_language_tag);
    let archive = checked("archive_url", &crate::rules::is_web_url);
    let published =
        checked("published", &|v| Date::parse(v).is_some()).and_then(|v| Date::parse(&v));
    let accessed = checked("accessed", &|v| Date::parse(v).is_some()).and_then(|v| Date::parse(&v));
    let kind = checked("kind", &|v| {
        SourceKind::from_word(&v.to_lowercase()).is_some()
    })
    .and_then(|v| SourceKind::from_word(&v.to_lowercase()));
    Ok(Imported {
        id: super::make_id(
            row.import_key.rsplit(':').next().unwrap_or(""),
            &title,
            published,
        )
        .chars()
        .take(80)
        .collect(),
        import_key: row.import_key.clone(),
        title,
        kind,
        author: get("author"),
        publisher: get("publisher"),
        published,
        accessed,
        url,
        doi,
        language,
        archives: archive.into_iter().collect(),
    })
}

/// The new claims (and the claimants the case lacks) for the rows of a claim map;
/// a row whose `import_key` a claim has already is left as it is.
pub fn plan_claims(
    checked: &crate::check::Checked,
    root: &crate::access::Root,
    found: &[Row],
    options: &super::Options,
    max_bytes: u64,
    notes: &mut Vec<String>,
) -> Result<super::Plan, String> {
    use super::{unique, written};
    let mut known = super::Known::of(checked);
    let mut new_claims = String::new();
    let mut plan = super::Plan::default();
    for row in found {
        if !known.claim_keys.insert(row.import_key.clone()) {
            plan.unchanged += 1;
            continue;
        }
        let get = |name: &str| {
            row.fields
                .iter()
                .find(|(f, _, _)| f == name)
                .map(|(_, v, _)| v.clone())
        };
        let Some(statement) = get("statement") else {
            plan.refused
                .push(format!("{}: its statement is empty; skipped", row.place));
            continue;
        };
        let claimant = get("claimant").map(|name| known.entity(&name, None));
        let words = super::slug(
            &statement
                .split_whitespace()
                .take(8)
                .collect::<Vec<_>>()
                .join(" "),
            60,
        );
        let id = unique(
            if words.is_empty() { "claim" } else { &words },
            &mut known.ids,
        );
        let mut text = format!(
            "  - id: {id}\n    statement: {}\n",
            written("statement", &statement)
        );
        if let Some(claimant) = claimant {
            text.push_str(&format!("    claimant: {claimant}\n"));
        }
        if let Some(date) = get("date") {
            match Date::parse(&date) {
                Some(date) => text.push_str(&format!("    date: {date}\n")),
                None => notes.push(format!(
                    "{}: `date` `{}` is not YYYY, YYYY-MM or YYYY-MM-DD; left out",
                    row.place,
                    crate::text::shown(&date)
                )),
            }
        }
        text.push_str(&format!(
            "    import_key: {}\n",
            written("import_key", &row.import_key)
        ));
        new_claims.push_str(&text);
        plan.added += 1;
    }
    if plan.added > 0 {
        let new_entities = std::mem::take(&mut known.new_entities);
        let lists = [("entities", new_entities), ("claims", new_claims)];
        super::add_new_records(&mut plan, root, options, max_bytes, &lists)?;
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_are_read_as_spreadsheets_write_them() {
        let map = read_map("m.yaml", "record: source\nkey: ID\ncolumns:\n  title: Headline\n  url: Link\n  published: Date\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let csv = "\u{feff}ID;Headline;Link;Date\r\n7;\"Cameras; a \"\"history\"\"\nin two lines\";https://e.org/a;2019-04\r\n8;;https://e.org/b;2019\r\n";
        let (found, read) =
            rows("list.csv", csv.as_bytes(), &map).unwrap_or_else(|e| panic!("{e}"));
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(found[0].import_key, "csv:list.csv:7");
        assert_eq!(
            found[0].fields[0],
            (
                "title".to_owned(),
                "Cameras; a \"history\" in two lines".to_owned(),
                2
            )
        );
        let mut notes = Vec::new();
        assert!(source(&found[1], &mut notes).is_err(), "no title");
        let latin = b"ID,Headline\n1,Caf\xe9\n";
        let map = read_map("m.yaml", "record: source\ncolumns: {title: Headline}\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let (found, read) = rows("l.csv", latin, &map).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found[0].fields[0].1, "Café");
        assert_eq!(found[0].import_key, "csv:l.csv:line 2");
        assert!(read.notes[0].contains("Windows-1252"));
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(
                "Headline\nЗаголовок\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let (found, _) = rows("u.csv", &utf16, &map).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found[0].fields[0].1, "Заголовок");
    }

    #[test]
    fn a_map_that_names_what_is_not_there_is_refused() {
        assert!(read_map("m.yaml", "record: entity\ncolumns: {name: N}\n").is_err());
        assert!(
            read_map(
                "m.yaml",
                "record: source\ncolumns: {reliability: R, title: T}\n"
            )
            .is_err()
        );
        assert!(read_map("m.yaml", "record: source\ncolumns: {url: U}\n").is_err());
        let map = read_map("m.yaml", "record: source\ncolumns: {title: Title}\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let err = rows("x.csv", b"Name,Link\na,b\n", &map).unwrap_err();
        assert!(err.contains("x.csv:1: no column `Title`"), "{err}");
    }
}
