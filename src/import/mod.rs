//! `corroborate import`: a researcher's existing material (a Zotero library as
//! CSL-JSON, to begin with) turned into sources that pass `check`, and imported again
//! as the library grows without a second copy of anything and without undoing the
//! researcher's own work (FORMAT.md, "Bringing material in").
//!
//! Each item is matched to a source of the case by `import_key`, then `doi`, then
//! `url`. A matched source gets the import's own fields (title, author, publisher,
//! dates, URL, DOI, language; archived copies when it has none) set where they
//! differ; every other field (reliability, `by`, `cites`, notes, copies, sensitivity,
//! and all evidence and verdicts) is never touched. All changes are edits of the
//! files' text ([`crate::edit`]), so comments and layout stay; new sources are
//! appended to one file. Running the same import again changes nothing.

pub mod bibtex;
pub mod claimreview;
pub mod csl;
pub mod csv;

use crate::access::Root;
use crate::check::Checked;
use crate::edit::{self, Insertion, NewField, NewValue};
use crate::model::{Date, SourceKind};
use crate::yaml::{Node, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The longest value an import writes into a field: a title or an address of more
/// is a broken or hostile input, not a reference.
pub const MAX_FIELD_BYTES: usize = 20_000;

/// The most of an input file read: far past the largest libraries.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// A source as an import gives it: the fields imports fill, nothing of the
/// researcher's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    pub import_key: String,
    /// The id a new source gets (made unique when it is added).
    pub id: String,
    pub title: String,
    pub kind: Option<SourceKind>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<Date>,
    pub accessed: Option<Date>,
    pub url: Option<String>,
    pub doi: Option<String>,
    pub language: Option<String>,
    pub archives: Vec<String>,
}

/// What a reader made of an input: the items with their places, the items skipped
/// (with why), and what was kept of an item only in part.
#[derive(Debug, Default)]
pub struct Read {
    pub items: Vec<(String, Imported)>,
    pub problems: Vec<String>,
    pub notes: Vec<String>,
}

/// A DOI as written in a library (`https://doi.org/10.…`, `doi:10.…`, `10.…`) without its
/// resolver prefix, when it is one.
pub fn bare_doi(written: &str) -> Option<String> {
    let written = written.trim();
    let bare = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find_map(|prefix| written.strip_prefix(prefix))
    .unwrap_or(written);
    crate::rules::is_doi(bare).then(|| bare.to_owned())
}

/// An id made from an item's key, fitting the id rule (FORMAT.md, "Identifiers"):
/// lower case, runs of anything else as one `-`, at most 80 characters. A key that
/// is an address (`url:https://…`, `doi:10.…`) gives the id from the title and year.
pub fn make_id(key: &str, title: &str, published: Option<Date>) -> String {
    let addressed = key.contains("://") || key.starts_with("doi:") || key.starts_with("url:");
    let from_key = if addressed {
        String::new()
    } else {
        slug(key, 80)
    };
    if !from_key.is_empty() {
        return from_key;
    }
    let words: Vec<&str> = title.split_whitespace().take(6).collect();
    let id = slug(&words.join(" "), 60);
    match (id.is_empty(), published) {
        (true, _) => "source".to_owned(),
        (false, Some(date)) => format!("{id}-{:04}", date.year),
        (false, None) => id,
    }
}

/// Text as an id's words: lower case, Cyrillic transliterated, runs of anything
/// else as one `-`, at most `most` bytes; empty when nothing is left (Chinese or
/// Arabic text, say).
pub fn slug(text: &str, most: usize) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(latin) = cyrillic(c) {
            out.push_str(latin);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= most {
            break;
        }
    }
    out.truncate(most);
    out.trim_matches('-').to_owned()
}

/// A Russian letter in the Latin letters of a common romanisation.
fn cyrillic(c: char) -> Option<&'static str> {
    const TABLE: [&str; 32] = [
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
        "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
    ];
    match c {
        'а'..='я' => TABLE.get(c as usize - 'а' as usize).copied(),
        'ё' => Some("e"),
        _ => None,
    }
}

/// An id from a web address: its host without `www.` and the last words of its path.
pub fn id_from_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.split(['.', ':']).next().unwrap_or(host);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let tail = path
        .iter()
        .rev()
        .take(2)
        .rev()
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let id = slug(&format!("{host} {tail}"), 60);
    if id.is_empty() {
        "source".to_owned()
    } else {
        id
    }
}

/// What `import` was asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// The data file new sources go to, relative to the repository root.
    pub into: String,
    /// What the input is called in the header of a new file.
    pub input_name: String,
}

/// The edits of one import, by file.
#[derive(Debug, Default)]
pub struct Plan {
    /// By file (relative to the root): its text as read (`None` for a new file) and
    /// the edits to it.
    pub files: BTreeMap<String, (Option<String>, Vec<Insertion>)>,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Items matched but not updated in part, and why.
    pub refused: Vec<String>,
}

/// The import's fields of a source, as they are written in a data file.
fn fields_of(item: &Imported) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("title", Some(item.title.clone())),
        ("kind", item.kind.map(|k| k.as_str().to_owned())),
        ("publisher", item.publisher.clone()),
        ("author", item.author.clone()),
        ("url", item.url.clone()),
        ("published", item.published.map(|d| d.to_string())),
        ("accessed", item.accessed.map(|d| d.to_string())),
        ("language", item.language.clone()),
        ("doi", item.doi.clone()),
        ("import_key", Some(item.import_key.clone())),
    ]
}

/// Plans the import of `items` into the case `checked` (at `root`).
pub fn plan(
    checked: &Checked,
    root: &Root,
    items: &[(String, Imported)],
    options: &Options,
    max_bytes: u64,
) -> Result<Plan, String> {
    let repo = &checked.repo;
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut by_doi: HashMap<String, usize> = HashMap::new();
    let mut by_url: HashMap<&str, usize> = HashMap::new();
    for (i, s) in repo.sources.iter().enumerate() {
        if let Some(k) = &s.import_key {
            by_key.entry(&k.value).or_insert(i);
        }
        if let Some(d) = &s.doi {
            by_doi.entry(d.value.to_lowercase()).or_insert(i);
        }
        if let Some(u) = &s.url {
            by_url.entry(&u.value).or_insert(i);
        }
    }
    let mut ids: HashSet<String> = checked.graph.ids.keys().cloned().collect();
    let mut plan = Plan::default();
    // Each file read and parsed once, however many of its sources are matched.
    let mut texts: HashMap<String, (String, Result<Option<Node>, String>)> = HashMap::new();
    let mut seen_keys: HashSet<&str> = HashSet::new();
    let mut new_sources = String::new();
    for (place, item) in items {
        if let Some((name, _)) = fields_of(item)
            .into_iter()
            .find(|(_, v)| v.as_ref().is_some_and(|v| v.len() > MAX_FIELD_BYTES))
        {
            plan.refused.push(format!(
                "{place}: its `{name}` is longer than {} KB, which no title, name or address is; left out",
                MAX_FIELD_BYTES / 1000
            ));
            continue;
        }
        if !seen_keys.insert(&item.import_key) {
            plan.refused.push(format!(
                "{place}: `{}` is already an item of this import; left out",
                crate::text::shown(&item.import_key)
            ));
            continue;
        }
        let matched = by_key
            .get(item.import_key.as_str())
            .or_else(|| {
                item.doi
                    .as_ref()
                    .and_then(|d| by_doi.get(&d.to_lowercase()))
            })
            .or_else(|| item.url.as_deref().and_then(|u| by_url.get(u)))
            .copied();
        let Some(i) = matched else {
            let id = unique(&item.id, &mut ids);
            new_sources.push_str(&render_new(&id, item));
            plan.added += 1;
            continue;
        };
        let source = &repo.sources[i];
        let file = repo.file(source.at.file).to_owned();
        if !texts.contains_key(&file) {
            let text = edit::read_text(root, &file, max_bytes)?;
            let tree = crate::yaml::parse(&text).map_err(|err| err.message);
            texts.insert(file.clone(), (text, tree));
        }
        let (text, tree) = &texts[&file];
        match update(text, tree, source, item) {
            Ok(edits) if edits.is_empty() => plan.unchanged += 1,
            Ok(edits) => {
                plan.updated += 1;
                plan.files
                    .entry(file)
                    .or_insert_with(|| (Some(text.clone()), Vec::new()))
                    .1
                    .extend(edits);
            }
            Err(why) => plan.refused.push(format!(
                "{place}: the source `{}` was not updated: {why}",
                crate::text::shown(&source.id.value)
            )),
        }
    }
    if !new_sources.is_empty() {
        add_new_records(
            &mut plan,
            root,
            options,
            max_bytes,
            &[("sources", new_sources)],
        )?;
    }
    Ok(plan)
}

/// The edits that add `lists` of new records to the file whose text is `existing`, or
/// that make it (`None`) with a header saying where they came from.
pub fn new_records(
    existing: Option<&str>,
    lists: &[(&str, String)],
    options: &Options,
) -> Result<Vec<Insertion>, String> {
    match existing {
        Some(text) => append_records(text, lists),
        None => {
            let mut text = format!(
                "# Records imported by `corroborate import` from {}.\n# Edit them freely: importing again updates only the imported fields.\n",
                crate::text::inert_line(&options.input_name)
            );
            for (key, items) in lists {
                if !items.is_empty() {
                    text.push_str(&format!("{key}:\n{items}"));
                }
            }
            Ok(vec![Insertion {
                offset: 0,
                remove: 0,
                text,
            }])
        }
    }
}

/// What a case already has that imported claims are matched to or kept apart from:
/// its ids, its claims' import keys, and its entities by name and alias.
pub(super) struct Known {
    pub ids: HashSet<String>,
    pub claim_keys: HashSet<String>,
    entities: HashMap<String, String>,
    /// The entities added so far, as items of a block list.
    pub new_entities: String,
}

impl Known {
    pub fn of(checked: &Checked) -> Known {
        let repo = &checked.repo;
        let mut entities = HashMap::new();
        for e in &repo.entities {
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                entities
                    .entry(name.trim().to_lowercase())
                    .or_insert_with(|| e.id.value.clone());
            }
        }
        Known {
            ids: checked.graph.ids.keys().cloned().collect(),
            claim_keys: repo
                .claims
                .iter()
                .filter_map(|c| c.import_key.as_ref().map(|k| k.value.clone()))
                .collect(),
            entities,
            new_entities: String::new(),
        }
    }

    /// The id of the entity called `name` (its name or an alias, in any case), added
    /// with `kind` when the case has none.
    pub fn entity(&mut self, name: &str, kind: Option<&str>) -> String {
        let key = name.trim().to_lowercase();
        if let Some(id) = self.entities.get(&key) {
            return id.clone();
        }
        let id = unique(
            &make_id(name, name, None).replace("source", "entity"),
            &mut self.ids,
        );
        self.new_entities.push_str(&format!(
            "  - id: {id}\n    name: {}\n",
            written("name", name)
        ));
        if let Some(kind) = kind {
            self.new_entities.push_str(&format!("    kind: {kind}\n"));
        }
        self.entities.insert(key, id.clone());
        id
    }
}

/// The text of `--into`, when the file is there.
pub(super) fn read_into(root: &Root, into: &str, max_bytes: u64) -> Result<Option<String>, String> {
    match root.resolve(Path::new(into)) {
        Ok(path) if path.exists() => edit::read_text(root, into, max_bytes).map(Some),
        _ => Ok(None),
    }
}

/// Adds to `plan` the edits that put `lists` of new records into `--into`.
pub(super) fn add_new_records(
    plan: &mut Plan,
    root: &Root,
    options: &Options,
    max_bytes: u64,
    lists: &[(&str, String)],
) -> Result<(), String> {
    let into = &options.into;
    let existing = match plan.files.get(into) {
        Some((text, _)) => text.clone(),
        None => read_into(root, into, max_bytes)?,
    };
    let edits = new_records(existing.as_deref(), lists, options)
        .map_err(|why| format!("{into}: new records cannot be added: {why}"))?;
    plan.files
        .entry(into.clone())
        .or_insert_with(|| (existing, Vec::new()))
        .1
        .extend(edits);
    Ok(())
}

/// An id not taken yet: `id`, else `id-2`, `id-3`, ...
pub(super) fn unique(id: &str, ids: &mut HashSet<String>) -> String {
    let mut candidate = id.to_owned();
    let mut n = 2;
    while ids.contains(&candidate) {
        let base: String = id.chars().take(80 - 1 - n.to_string().len()).collect();
        candidate = format!("{}-{n}", base.trim_end_matches('-'));
        n += 1;
    }
    ids.insert(candidate.clone());
    candidate
}

/// A field's value as written: a date plain (the reader takes `2019` as a year), any
/// other value plain where YAML reads it back the same, else quoted.
pub(super) fn written(name: &str, value: &str) -> String {
    if matches!(name, "published" | "accessed") && Date::parse(value).is_some() {
        value.to_owned()
    } else {
        edit::scalar(value, false)
    }
}

/// A new source as YAML, an item of a block list at two spaces.
fn render_new(id: &str, item: &Imported) -> String {
    let mut out = format!("  - id: {id}\n");
    for (name, value) in fields_of(item) {
        if let Some(value) = value {
            out.push_str(&format!("    {name}: {}\n", written(name, &value)));
        }
    }
    if !item.archives.is_empty() {
        out.push_str("    archives:\n");
        for url in &item.archives {
            out.push_str(&format!("      - url: {}\n", edit::scalar(url, false)));
        }
    }
    out
}

/// Where new records go in an existing file: at the end of its top-level block list
/// of their kind (`entities:`, `sources:`, `claims:`), at that list's indentation, or
/// as a new list at the end of the file. `lists` are the records of each kind, as
/// items of a block list at two spaces.
pub fn append_records(text: &str, lists: &[(&str, String)]) -> Result<Vec<Insertion>, String> {
    let root = crate::yaml::parse(text).map_err(|err| err.message)?;
    let entries = match root.map(|n| n.value) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Map(entries)) => entries,
        Some(_) => return Err("it is not a mapping of lists".to_owned()),
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lead = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        newline
    };
    let mut edits = Vec::new();
    let mut at_end = String::new();
    for (key, items) in lists {
        if items.is_empty() {
            continue;
        }
        let Some(at) = entries.iter().position(|(k, _)| k.name == *key) else {
            at_end.push_str(&format!("{key}:{newline}{}", items.replace('\n', newline)));
            continue;
        };
        let node = &entries[at].1;
        let indent = match &node.value {
            Value::Seq(list) if !block_list_is_flow(text, node) => list
                .first()
                .map_or(2, |first| first.pos.column.saturating_sub(3) as usize),
            Value::Null => 2,
            _ => return Err(format!("its `{key}` is not a block list")),
        };
        let body: String = items
            .lines()
            .map(|line| {
                let line = line.strip_prefix("  ").unwrap_or(line);
                format!("{}{line}{newline}", " ".repeat(indent))
            })
            .collect();
        // Before the next top-level key, or at the end.
        let offset = match entries.get(at + 1) {
            Some((next, _)) => edit::line_start(text, next.pos.line).unwrap_or(text.len()),
            None => text.len(),
        };
        let lead = if offset == text.len() { lead } else { "" };
        edits.push(Insertion {
            offset,
            remove: 0,
            text: format!("{lead}{body}"),
        });
    }
    if !at_end.is_empty() {
        let lead = if edits.iter().any(|e| e.offset == text.len()) {
            ""
        } else {
            lead
        };
        edits.push(Insertion {
            offset: text.len(),
            remove: 0,
            text: format!("{lead}{at_end}"),
        });
    }
    Ok(edits)
}

/// Whether a list was written in flow style (`[…]`), which items cannot be appended to.
fn block_list_is_flow(text: &str, node: &Node) -> bool {
    let line = text
        .lines()
        .nth(node.pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let at: String = line
        .chars()
        .skip(node.pos.column.saturating_sub(1) as usize)
        .collect();
    at.trim_start().starts_with('[')
}

/// The edits that give `source` (written in `text`) the fields of `item`.
fn update(
    text: &str,
    tree: &Result<Option<Node>, String>,
    source: &crate::model::Source,
    item: &Imported,
) -> Result<Vec<Insertion>, String> {
    let mapping = tree
        .as_ref()
        .map_err(Clone::clone)?
        .as_ref()
        .and_then(|r| find_record(r, source.id.pos))
        .ok_or("it is not where it was read")?;
    let scalar_of = |node: &Node| match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Number(n) => Some(n.text.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let id_node = mapping
        .iter()
        .find(|(k, _)| k.name == "id")
        .map(|(_, n)| n)
        .ok_or("it has no id")?;
    let id_text = scalar_of(id_node).ok_or("its id is not a scalar")?;
    let mut edits = Vec::new();
    for (name, new) in fields_of(item) {
        let Some(new) = new else { continue };
        match mapping.iter().find(|(k, _)| k.name == name) {
            Some((_, node)) => {
                let current =
                    scalar_of(node).ok_or(format!("its `{name}` is not a single value"))?;
                if current != new {
                    edits.push(edit::replace_value(text, node.pos, &current, &new)?);
                }
            }
            None => edits.push(edit::add_after(
                text,
                id_node.pos,
                &id_text,
                &NewField {
                    name,
                    value: NewValue::Scalar(&new),
                },
            )?),
        }
    }
    let has_archives = mapping
        .iter()
        .any(|(k, _)| k.name == "archives" || k.name == "archive_url");
    if !item.archives.is_empty() && !has_archives {
        let items: Vec<Vec<(&str, String)>> = item
            .archives
            .iter()
            .map(|url| vec![("url", url.clone())])
            .collect();
        edits.push(edit::add_after(
            text,
            id_node.pos,
            &id_text,
            &NewField {
                name: "archives",
                value: NewValue::List(&items),
            },
        )?);
    }
    Ok(edits)
}

/// The mapping, anywhere in `node`, whose `id` value is at `pos`.
fn find_record(
    node: &Node,
    pos: crate::diagnostics::Pos,
) -> Option<&Vec<(crate::yaml::Key, Node)>> {
    match &node.value {
        Value::Map(entries) => {
            if entries.iter().any(|(k, v)| {
                k.name == "id" && v.pos.line == pos.line && v.pos.column == pos.column
            }) {
                return Some(entries);
            }
            entries.iter().find_map(|(_, v)| find_record(v, pos))
        }
        Value::Seq(items) => items.iter().find_map(|v| find_record(v, pos)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_fit_the_rule_and_addresses_give_way_to_titles() {
        assert_eq!(
            make_id("Rollet_2018Hikvision", "T", None),
            "rollet-2018hikvision"
        );
        assert_eq!(
            make_id(
                "url:https://e.org/a",
                "US May Ban Chinese Cameras",
                Date::parse("2019")
            ),
            "us-may-ban-chinese-cameras-2019"
        );
        assert_eq!(make_id("王2019", "监控", None), "2019");
        assert_eq!(make_id("", "Проверено", None), "provereno");
        assert_eq!(
            id_from_url("https://www.hikvision.example.com/en/statement-2019?x=1"),
            "hikvision-en-statement-2019"
        );
        assert_eq!(make_id("", "监控", None), "source");
        assert!(make_id(&"a".repeat(200), "", None).len() <= 80);
        let mut ids: HashSet<String> = ["a".to_owned(), "a-2".to_owned()].into();
        assert_eq!(unique("a", &mut ids), "a-3");
    }

    #[test]
    fn new_records_go_at_the_end_of_their_list_at_its_indentation() {
        let text = "entities:\n- id: e\n  name: E\nsources:\n  - id: x\n    title: X\n# the claims\nclaims:\n  - id: c\n    statement: C.\n";
        let lists = [
            ("entities", "  - id: f\n    name: F\n".to_owned()),
            ("sources", "  - id: y\n    title: Y\n".to_owned()),
            ("claims", String::new()),
        ];
        let edits = append_records(text, &lists).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            edit::apply(text, &edits),
            "entities:\n- id: e\n  name: E\n- id: f\n  name: F\nsources:\n  - id: x\n    title: X\n# the claims\n  - id: y\n    title: Y\nclaims:\n  - id: c\n    statement: C.\n"
        );
        assert!(
            append_records(
                "sources: [{id: x}]\n",
                &[("sources", "  - id: y\n".to_owned())]
            )
            .is_err()
        );
        let edits = append_records("claims: []", &[("sources", "  - id: y\n".to_owned())])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(edits[0].text, "\nsources:\n  - id: y\n");
    }
}
