//! Turns a parsed YAML tree into typed records, reporting every problem in the file
//! rather than stopping at the first, each at the place of the offending value.
//! Unknown fields are errors that name the closest valid field: a typo must never be
//! silently dropped.

use crate::config::{Config, LintLevel};
use crate::diagnostics::{Code, Diagnostic, Lint, Pos};
use crate::fields::{self, Field};
use crate::model::{
    Claim, Date, Entity, EntityKind, Evidence, FileIdx, Located, Origin, Records, Related,
    Relation, Reliability, Source, SourceKind, Stance, Verdict,
};
use crate::rules;
use crate::text::{closest, shown};
use crate::yaml::{Key, Node, Value};

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
                "entities" => records.entities.extend(entity(item, file, sink)),
                "sources" => records.sources.extend(source(item, file, sink)),
                _ => records.claims.extend(claim(item, file, sink)),
            }
        }
    }
    records
}

/// The fields of one mapping, looked up by name, with every problem reported once.
struct Fields<'s, 'p> {
    sink: &'s mut Sink<'p>,
    what: &'static str,
    pos: Pos,
    names: &'static [Field],
    slots: Vec<Option<Node>>,
    id: Option<String>,
}

impl<'s, 'p> Fields<'s, 'p> {
    /// Opens a mapping; reports anything else, and every unknown field in it.
    /// Problems are reported with the mapping's own `id`, or with `owner`'s (the
    /// claim an evidence item belongs to).
    fn open(
        node: Node,
        what: &'static str,
        names: &'static [Field],
        owner: Option<&str>,
        sink: &'s mut Sink<'p>,
    ) -> Option<Self> {
        let pos = node.pos;
        let entries = match node.value {
            Value::Map(entries) => entries,
            other => {
                sink.error(
                    Code::InvalidType,
                    pos,
                    owner,
                    format!(
                        "each item here must be {} (a mapping of fields), found {}",
                        article(what),
                        other.type_name()
                    ),
                );
                return None;
            }
        };
        let mut slots: Vec<Option<Node>> = vec![None; names.len()];
        let mut unknown: Vec<Key> = Vec::new();
        for (key, value) in entries {
            match names.iter().position(|n| n.name == key.name) {
                Some(i) => slots[i] = Some(value),
                None => unknown.push(key),
            }
        }
        let id = slots
            .first()
            .and_then(|slot| slot.as_ref())
            .filter(|_| names.first().is_some_and(|f| f.ty == fields::Ty::Id))
            .and_then(|node| scalar_text(&node.value))
            .or_else(|| owner.map(str::to_owned));
        for key in unknown {
            let hint = match closest(&key.name, fields::names(names)) {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!(
                    "{} has: {}",
                    article(what),
                    fields::names(names).collect::<Vec<_>>().join(", ")
                ),
            };
            sink.error(
                Code::UnknownField,
                key.pos,
                id.as_deref(),
                format!(
                    "unknown field `{}` in {}; {hint}",
                    shown(&key.name),
                    article(what)
                ),
            );
        }
        Some(Fields {
            sink,
            what,
            pos,
            names,
            slots,
            id,
        })
    }

    fn take(&mut self, name: &str) -> Option<Node> {
        let index = self.names.iter().position(|n| n.name == name);
        debug_assert!(
            index.is_some(),
            "field `{name}` is not declared for {}",
            self.what
        );
        index
            .and_then(|i| self.slots[i].take())
            .filter(|node| node.value != Value::Null)
    }

    fn error(&mut self, code: Code, pos: Pos, message: String) {
        self.sink.error(code, pos, self.id.as_deref(), message);
    }

    fn missing(&mut self, name: &str) {
        let message = format!("{} needs the field `{name}`", article(self.what));
        self.error(Code::MissingField, self.pos, message);
    }

    fn wrong_type(&mut self, name: &str, expected: &str, node: &Node) {
        let message = format!(
            "`{name}` must be {expected}, found {}",
            node.value.type_name()
        );
        self.error(Code::InvalidType, node.pos, message);
    }

    /// Free text. Unquoted numbers are taken as their text (`title: 1984`).
    fn text(&mut self, name: &str) -> Option<Located<String>> {
        let node = self.take(name)?;
        match scalar_text_owned(node.value) {
            Ok(value) => Some(Located {
                value,
                pos: node.pos,
            }),
            Err(value) => {
                self.wrong_type(
                    name,
                    "text",
                    &Node {
                        pos: node.pos,
                        value,
                    },
                );
                None
            }
        }
    }

    fn optional_text(&mut self, name: &str) -> Option<String> {
        self.text(name).map(|t| t.value)
    }

    fn required_text(&mut self, name: &str) -> String {
        let present = self.slots_has(name);
        match self.text(name) {
            Some(text) => text.value,
            None => {
                if !present {
                    self.missing(name);
                }
                String::new()
            }
        }
    }

    fn slots_has(&self, name: &str) -> bool {
        self.names
            .iter()
            .position(|n| n.name == name)
            .and_then(|i| self.slots[i].as_ref())
            .is_some_and(|node| node.value != Value::Null)
    }

    /// A required id naming this record, checked against the id rule.
    fn own_id(&mut self) -> Option<Located<String>> {
        let present = self.slots_has("id");
        let Some(id) = self.text("id") else {
            if !present {
                self.missing("id");
            }
            return None;
        };
        if let Some(problem) = rules::id_problem(&id.value) {
            let message = format!(
                "the id `{}` {problem}; ids are 1 to 80 characters of a-z, 0-9 and `-`, starting with a letter or digit",
                shown(&id.value)
            );
            self.error(Code::InvalidId, id.pos, message);
        }
        Some(id)
    }

    fn text_list(&mut self, name: &str, what_items: &str) -> Vec<Located<String>> {
        let Some(node) = self.take(name) else {
            return Vec::new();
        };
        let items = match node.value {
            Value::Seq(items) => items,
            value => {
                self.wrong_type(
                    name,
                    &format!("a list of {what_items} (`[a, b]` or `- ` items)"),
                    &Node {
                        pos: node.pos,
                        value,
                    },
                );
                return Vec::new();
            }
        };
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
                        singular(what_items),
                        value.type_name()
                    );
                    self.error(Code::InvalidType, item.pos, message);
                }
            }
        }
        out
    }

    fn word<T: Copy>(
        &mut self,
        name: &str,
        words: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Located<T>> {
        let text = self.text(name)?;
        match parse(&text.value) {
            Some(value) => Some(Located {
                value,
                pos: text.pos,
            }),
            None => {
                let hint = match closest(&text.value, words.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`? "),
                    None => String::new(),
                };
                let message = format!(
                    "`{}` is not a valid {name}; {hint}use one of: {}",
                    shown(&text.value),
                    words.join(", ")
                );
                self.error(Code::InvalidValue, text.pos, message);
                None
            }
        }
    }

    fn required_word<T: Copy>(
        &mut self,
        name: &str,
        words: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let present = self.slots_has(name);
        let value = self.word(name, words, parse).map(|w| w.value);
        if !present {
            self.missing(name);
        }
        value
    }

    fn date(&mut self, name: &str) -> Option<Date> {
        let node = self.take(name)?;
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Number(n) => n.text.clone(),
            _ => {
                self.wrong_type(name, "a date (`2017`, `2017-06` or `2017-06-14`)", &node);
                return None;
            }
        };
        let date = Date::parse(&text);
        if date.is_none() {
            let message = format!(
                "`{}` is not a date; write `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a date that exists)",
                shown(&text)
            );
            self.error(Code::InvalidDate, node.pos, message);
        }
        date
    }

    fn boolean(&mut self, name: &str) -> bool {
        let Some(node) = self.take(name) else {
            return false;
        };
        match node.value {
            Value::Bool(b) => b,
            _ => {
                self.wrong_type(name, "`true` or `false`", &node);
                false
            }
        }
    }

    /// A URL field: kept as written, checked to be absolute http(s).
    fn url(&mut self, name: &str) -> Option<Located<String>> {
        let url = self.text(name)?;
        if !rules::is_web_url(&url.value) {
            let message = format!(
                "`{}` is not an absolute http or https URL (`{name}` must start with `https://` or `http://` and name a host)",
                shown(&url.value)
            );
            self.error(Code::InvalidUrl, url.pos, message);
        }
        Some(url)
    }

    fn origin(&self, file: FileIdx) -> Origin {
        Origin {
            file,
            pos: self.pos,
        }
    }

    fn list(&mut self, name: &str) -> Vec<Node> {
        let Some(node) = self.take(name) else {
            return Vec::new();
        };
        match node.value {
            Value::Seq(items) => items,
            value => {
                self.wrong_type(
                    name,
                    "a list (items start with `- `)",
                    &Node {
                        pos: node.pos,
                        value,
                    },
                );
                Vec::new()
            }
        }
    }
}

/// Every declared field must be read by the decoder: one left in its slot would be
/// accepted and then silently dropped. Checked in debug builds (and so in the tests).
impl Drop for Fields<'_, '_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let unread: Vec<&str> = self
                .names
                .iter()
                .zip(&self.slots)
                .filter(|(_, slot)| slot.is_some())
                .map(|(field, _)| field.name)
                .collect();
            debug_assert!(
                unread.is_empty(),
                "{} fields declared but never read: {unread:?}",
                self.what
            );
        }
    }
}

fn entity(node: Node, file: FileIdx, sink: &mut Sink<'_>) -> Option<Entity> {
    let mut f = Fields::open(node, "entity", fields::ENTITY, None, sink)?;
    let id = f.own_id();
    let name = f.required_text("name");
    let kind = f
        .word("kind", EntityKind::WORDS, EntityKind::from_word)
        .map_or(EntityKind::Other, |k| k.value);
    let aliases = f
        .text_list("aliases", "names")
        .into_iter()
        .map(|a| a.value)
        .collect();
    let url = f.url("url");
    let description = f.optional_text("description");
    let sensitive = f.boolean("sensitive");
    Some(Entity {
        at: f.origin(file),
        id: id?,
        name,
        kind,
        aliases,
        url,
        description,
        sensitive,
    })
}

fn source(node: Node, file: FileIdx, sink: &mut Sink<'_>) -> Option<Source> {
    let mut f = Fields::open(node, "source", fields::SOURCE, None, sink)?;
    let id = f.own_id();
    let title = f.required_text("title");
    let kind = f
        .word("kind", SourceKind::WORDS, SourceKind::from_word)
        .map_or(SourceKind::Other, |k| k.value);
    let publisher = f.optional_text("publisher");
    let by = f.text("by");
    let author = f.optional_text("author");
    let url = f.url("url");
    let archive_url = f.url("archive_url");
    let published = f.date("published");
    let accessed = f.date("accessed");
    let language = f.text("language");
    if let Some(tag) = &language
        && !rules::is_language_tag(&tag.value)
    {
        let message = format!(
            "`{}` is not a BCP 47 language tag; write a code such as `en`, `zh`, `zh-Hans` or `ug`",
            shown(&tag.value)
        );
        f.error(Code::InvalidValue, tag.pos, message);
    }
    let reliability = f
        .word("reliability", Reliability::WORDS, Reliability::from_word)
        .map(|r| r.value);
    let cites = f.text_list("cites", "source ids");
    let local_file = f.text("file");
    let sha256 = f.text("sha256");
    if let Some(sum) = &sha256
        && !rules::is_sha256(&sum.value)
    {
        let message = format!(
            "`{}` is not a sha256 checksum; write its 64 hexadecimal digits (`sha256sum FILE` prints them)",
            shown(&sum.value)
        );
        f.error(Code::InvalidValue, sum.pos, message);
    }
    let notes = f.optional_text("notes");
    let sensitive = f.boolean("sensitive");
    Some(Source {
        at: f.origin(file),
        id: id?,
        title,
        kind,
        publisher,
        by,
        author,
        url,
        archive_url,
        published,
        accessed,
        language: language.map(|l| l.value),
        reliability,
        cites,
        file: local_file,
        sha256,
        notes,
        sensitive,
    })
}

fn claim(node: Node, file: FileIdx, sink: &mut Sink<'_>) -> Option<Claim> {
    let mut f = Fields::open(node, "claim", fields::CLAIM, None, sink)?;
    let id = f.own_id();
    let statement = f.required_text("statement");
    let claimant = f.text("claimant");
    let about = f.text_list("about", "entity ids");
    let date = f.date("date");
    let appearance = f.text("appearance");
    let tags = f
        .text_list("tags", "words")
        .into_iter()
        .map(|t| t.value)
        .collect();
    let verdict = verdict(&mut f);
    let verdict_note = f.optional_text("verdict_note");
    let sensitive = f.boolean("sensitive");
    let claim_id = f.id.clone();
    let evidence = f
        .list("evidence")
        .into_iter()
        .filter_map(|item| evidence_item(item, claim_id.as_deref(), f.sink))
        .collect();
    let related = f
        .list("related")
        .into_iter()
        .filter_map(|item| related_item(item, claim_id.as_deref(), f.sink))
        .collect();
    Some(Claim {
        at: f.origin(file),
        id: id?,
        statement,
        claimant,
        about,
        date,
        appearance,
        tags,
        verdict,
        verdict_note,
        sensitive,
        evidence,
        related,
    })
}

/// `verdict: true` and `verdict: false` may be unquoted: YAML reads them as booleans.
fn verdict(f: &mut Fields<'_, '_>) -> Option<Located<Verdict>> {
    if let Some(i) = f.names.iter().position(|n| n.name == "verdict")
        && let Some(Node {
            value: Value::Bool(b),
            pos,
        }) = &mut f.slots[i]
    {
        let word = if *b { "true" } else { "false" };
        let pos = *pos;
        f.slots[i] = Some(Node {
            pos,
            value: Value::Str(word.to_owned()),
        });
    }
    f.word("verdict", Verdict::WORDS, Verdict::from_word)
}

fn evidence_item(node: Node, claim_id: Option<&str>, sink: &mut Sink<'_>) -> Option<Evidence> {
    let pos = node.pos;
    let mut f = Fields::open(node, "evidence item", fields::EVIDENCE, claim_id, sink)?;
    let source = f.text("source");
    if source.is_none() && !f.slots_has("source") {
        f.missing("source");
    }
    let stance = f.required_word("stance", Stance::WORDS, Stance::from_word);
    let quote = f.optional_text("quote");
    let quote_original = f.optional_text("quote_original");
    let locator = f.optional_text("locator");
    let credibility = credibility(&mut f);
    let note = f.optional_text("note");
    Some(Evidence {
        pos,
        source: source?,
        stance: stance?,
        quote,
        quote_original,
        locator,
        credibility,
        note,
    })
}

fn credibility(f: &mut Fields<'_, '_>) -> Option<u8> {
    let node = f.take("credibility")?;
    match node.value {
        Value::Number(ref n) if matches!(n.as_integer(), Some(1..=6)) => {
            n.as_integer().and_then(|n| u8::try_from(n).ok())
        }
        ref other => {
            let found = match other {
                Value::Number(n) => n.text.clone(),
                Value::Str(s) => format!("`{}`", shown(s)),
                v => v.type_name().to_owned(),
            };
            let message = format!(
                "credibility is a number from 1 (confirmed by other sources) to 6 (truth cannot be judged), found {found}"
            );
            f.error(Code::InvalidValue, node.pos, message);
            None
        }
    }
}

fn related_item(node: Node, claim_id: Option<&str>, sink: &mut Sink<'_>) -> Option<Related> {
    let pos = node.pos;
    let mut f = Fields::open(node, "related claim", fields::RELATED, claim_id, sink)?;
    let claim = f.text("claim");
    if claim.is_none() && !f.slots_has("claim") {
        f.missing("claim");
    }
    let relation = f.required_word("relation", Relation::WORDS, Relation::from_word);
    Some(Related {
        pos,
        claim: claim?,
        relation: relation?,
    })
}

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
    levels
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.clone()),
        Value::Number(n) => Some(n.text.clone()),
        _ => None,
    }
}

fn scalar_text_owned(value: Value) -> Result<String, Value> {
    match value {
        Value::Str(s) => Ok(s),
        Value::Number(n) => Ok(n.text),
        other => Err(other),
    }
}

fn article(what: &str) -> String {
    match what.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => format!("an {what}"),
        _ => format!("a {what}"),
    }
}

fn singular(items: &str) -> String {
    let one = items.strip_suffix('s').unwrap_or(items);
    article(one)
}

#[cfg(test)]
mod tests {
    use super::*;
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
            Ty::References(_) | Ty::Texts => "[x1, x2]".into(),
            Ty::Url => "https://example.org/a".into(),
            Ty::Date => "2019-05-22".into(),
            Ty::Bool => "true".into(),
            Ty::Words(words) => words[0].into(),
            Ty::Verdict => "false".into(),
            Ty::Credibility => "2".into(),
            Ty::Sha256 => "a".repeat(64),
            Ty::Language => "zh-Hans".into(),
            Ty::Records("evidence") => "[{source: x1, stance: supports}]".into(),
            Ty::Records("related") => "[{claim: x1, relation: refines}]".into(),
            Ty::Records(_) => "[]".into(),
            Ty::LintLevels => "{missing-quote: deny}".into(),
            Ty::Bytes => "1000".into(),
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
