//! The one place YAML text is parsed. Every data file and `corroborate.yaml` goes
//! through [`parse`], which fixes the parser's options (strict booleans, duplicate keys
//! rejected, a budget that stops alias bombs) and turns the text into a tree of
//! [`Node`]s that remember where each value stood, so that problems found long after
//! parsing can still point at the exact line and column.

use crate::diagnostics::{Code, Pos};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::options::AliasLimits;
use serde_saphyr::{Budget, DuplicateKeyPolicy, Error, MessageFormatter, Options};
use std::fmt;

/// How deep mappings and sequences may nest. The format needs six levels; the rest is
/// head room, and the limit keeps hostile nesting from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// Stack for a thread that parses: nesting up to [`MAX_DEPTH`] recurses through the
/// deserializer, which needs about 4 MiB in an unoptimised build, more than the 2 MiB
/// that spawned threads get by default.
pub const PARSE_STACK_BYTES: usize = 16 * 1024 * 1024;

/// A parsed YAML value and the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A plain scalar that YAML reads as a number, kept as written (`007`, `1.10`,
    /// a 64-digit checksum), so nothing is lost when it is meant as text.
    Number(Number),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A number as written in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub text: String,
    /// Byte range of the scalar in the text, until [`parse`] has copied the text.
    span: (u64, u64),
}

impl Number {
    fn new(text: String) -> Self {
        Number { text, span: (0, 0) }
    }

    /// The number as a whole number, if it is one.
    pub fn as_integer(&self) -> Option<i64> {
        self.text.parse().ok()
    }
}

/// A mapping key and its place (`None` when parsed by [`parse_quick`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Option<Pos>,
}

impl Value {
    /// How the value's type is named in messages ("expected a list, found text").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Why a file could not be parsed, with the code FORMAT.md gives that reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub code: Code,
    pub pos: Pos,
    pub message: String,
}

/// Parses one YAML document. An empty document (nothing but comments and blank
/// lines) gives `None`.
pub fn parse(text: &str) -> Result<Option<Node>, ParseError> {
    parse_with(text, true)
}

/// [`parse`] without the places of mapping keys, which only a message about an
/// unknown key needs: a key's place costs as much to read as the key, and keys are
/// half of a data file's scalars. A caller that meets an unknown key parses again
/// with [`parse`].
pub fn parse_quick(text: &str) -> Result<Option<Node>, ParseError> {
    parse_with(text, false)
}

thread_local! {
    /// Whether the keys of the parse running on this thread are read with their
    /// places. Parsing runs on one thread from start to end, and serde gives no other
    /// way to pass a setting down to every key.
    static KEYS_PLACED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

fn parse_with(text: &str, keys_placed: bool) -> Result<Option<Node>, ParseError> {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            KEYS_PLACED.set(self.0);
        }
    }
    let _restore = Restore(KEYS_PLACED.replace(keys_placed));
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_blank(text) {
        return Ok(None);
    }
    match serde_saphyr::from_str_with_options::<Node>(text, options_for(text.len())) {
        Ok(mut node) => {
            restore_numbers(&mut node, text);
            Ok(Some(node))
        }
        Err(err) => match original(&err) {
            Error::Eof { .. } => Ok(None),
            _ => Err(describe(&err)),
        },
    }
}

/// The parser's settings for a text of `len` bytes. Limits on events, nodes and scalar
/// bytes scale with the text, so only expansion (aliases replayed far beyond what the
/// file holds) can reach them: a sub-kilobyte "billion laughs" stops at once while a
/// few ordinary anchors still work.
fn options_for(len: usize) -> Options {
    let expansion_allowance = 4096 + len;
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_events = 2 * len + expansion_allowance;
    budget.max_nodes = len + expansion_allowance;
    budget.max_total_scalar_bytes = len + expansion_allowance;
    budget.max_documents = 1;
    budget.max_reader_input_bytes = None;
    let mut alias_limits = AliasLimits::default();
    alias_limits.max_total_replayed_events = expansion_allowance;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits = alias_limits;
    options.strict_booleans = true;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    options
}

/// Replaces each number's text with the scalar exactly as written in the file.
fn restore_numbers(node: &mut Node, text: &str) {
    match &mut node.value {
        Value::Number(number) => {
            let (start, len) = number.span;
            let written = usize::try_from(start)
                .ok()
                .zip(usize::try_from(start + len).ok())
                .and_then(|(start, end)| text.get(start..end))
                .map(str::trim);
            if let Some(written) = written.filter(|w| {
                w.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
            }) {
                number.text = written.to_owned();
            }
        }
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|item| restore_numbers(item, text)),
        Value::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, value)| restore_numbers(value, text)),
        _ => {}
    }
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    })
}

fn original(mut err: &Error) -> &Error {
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = err {
        err = error;
    }
    err
}

fn describe(err: &Error) -> ParseError {
    let pos = err
        .location()
        .filter(|loc| loc.line() > 0)
        .map(|loc| pos_of(&loc))
        .unwrap_or(Pos::new(1, 1, 1));
    let inner = original(err);
    let (code, message) = match inner {
        Error::DuplicateMappingKey { key, .. } => (
            Code::DuplicateKey,
            match key {
                Some(key) => format!(
                    "the key `{}` appears twice in this mapping; YAML would silently keep only one, so remove or rename one of them",
                    crate::text::shown(key)
                ),
                None => {
                    "a key appears twice in this mapping; remove or rename one of them".to_owned()
                }
            },
        ),
        Error::Budget { breach, .. } => budget_message(breach),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => (Code::AliasLimit, alias_message()),
        Error::MultipleDocuments { .. } => (
            Code::YamlSyntax,
            "a data file holds one YAML document; move what follows `---` into a file of its own"
                .to_owned(),
        ),
        other if other.to_string().contains("recursion limit exceeded") => {
            budget_message(&BudgetBreach::Depth {
                depth: MAX_DEPTH + 1,
            })
        }
        other => (
            Code::YamlSyntax,
            format!(
                "this is not valid YAML: {}",
                serde_saphyr::UserMessageFormatter.format_message(other)
            ),
        ),
    };
    ParseError { code, pos, message }
}

fn alias_message() -> String {
    "aliases (`*name`) here expand to far more than the file holds, as in an alias bomb; write the values out or use fewer aliases".to_owned()
}

fn budget_message(breach: &BudgetBreach) -> (Code, String) {
    match breach {
        BudgetBreach::Depth { .. } => (
            Code::YamlSyntax,
            format!(
                "values are nested more than {MAX_DEPTH} levels deep; corroborate data never needs more than six"
            ),
        ),
        BudgetBreach::Documents { .. } => (
            Code::YamlSyntax,
            "a data file holds one YAML document; move what follows `---` into a file of its own"
                .to_owned(),
        ),
        _ => (Code::AliasLimit, alias_message()),
    }
}

fn pos_of(loc: &serde_saphyr::Location) -> Pos {
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Pos::new(
        clamp(loc.line()),
        clamp(loc.column()),
        clamp(loc.span().len()),
    )
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde-saphyr's own `Spanned<T>` asks for exactly this; reading its fields
        // here directly saves an allocation and a lookup per value, on every value of
        // every file. (The version is pinned, and the tests on positions would fail if
        // the protocol changed.)
        deserializer.deserialize_newtype_struct(SPANNED_NAME, NodeVisitor)
    }
}

const SPANNED_NAME: &str = "__yaml_spanned";
const SPANNED_FIELDS: &[&str] = &[
    "__serde_saphyr_private_spanned",
    "value",
    "referenced",
    "defined",
];

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value with its place")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_struct("Spanned", SPANNED_FIELDS, SpannedFields)
    }
}

/// The fields serde-saphyr gives a spanned value.
enum SpannedField {
    Marker,
    Value,
    Referenced,
    Defined,
    Other,
}

impl<'de> Deserialize<'de> for SpannedField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = SpannedField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field of a spanned value")
            }
            fn visit_str<E>(self, v: &str) -> Result<SpannedField, E> {
                Ok(match v {
                    "value" => SpannedField::Value,
                    "referenced" => SpannedField::Referenced,
                    "defined" => SpannedField::Defined,
                    "__serde_saphyr_private_spanned" => SpannedField::Marker,
                    _ => SpannedField::Other,
                })
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct SpannedFields;

impl<'de> Visitor<'de> for SpannedFields {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value with its place")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut value = None;
        let mut referenced: Option<serde_saphyr::Location> = None;
        let mut defined: Option<serde_saphyr::Location> = None;
        while let Some(field) = map.next_key::<SpannedField>()? {
            match field {
                SpannedField::Value => value = Some(map.next_value::<Value>()?),
                SpannedField::Referenced => {
                    referenced = Some(map.next_value()?);
                    // Only a number needs where it was defined (its anchor, when it is an
                    // alias). The fields are made up on demand, past the value's
                    // events, so they can be left unread.
                    if !matches!(value, Some(Value::Number(_))) {
                        break;
                    }
                }
                SpannedField::Defined => defined = Some(map.next_value()?),
                SpannedField::Marker | SpannedField::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let mut value = value.ok_or_else(|| de::Error::missing_field("value"))?;
        if let (Value::Number(number), Some(defined)) = (&mut value, &defined) {
            // `defined`, not `referenced`: an alias of a number points at its anchor.
            let span = defined.span();
            number.span = span.byte_offset().zip(span.byte_len()).unwrap_or((0, 0));
        }
        let pos = referenced.as_ref().map_or(Pos::new(1, 1, 0), pos_of);
        Ok(Node { pos, value })
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (value, pos) = if KEYS_PLACED.get() {
            let node = Node::deserialize(deserializer)?;
            (node.value, Some(node.pos))
        } else {
            (Value::deserialize(deserializer)?, None)
        };
        let name = match value {
            Value::Str(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.text,
            Value::Null => "null".to_owned(),
            Value::Seq(_) | Value::Map(_) => {
                return Err(de::Error::custom("a mapping key must be plain text"));
            }
        };
        Ok(Key { name, pos })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(Number::new(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(Number::new(v.to_string())))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Number(Number::new(v.to_string())))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Number(Number::new(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(Number::new(v.to_string())))
    }
    fn visit_char<E>(self, v: char) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        String::from_utf8(v.to_vec())
            .map(Value::Str)
            .map_err(|_| E::custom("binary data is not text"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(32));
        while let Some(key) = map.next_key::<Key>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        match parse(text) {
            Ok(Some(node)) => node,
            other => panic!("expected a document, got {other:?}"),
        }
    }

    /// Parses on a thread with the stack the loader gives its parsing threads.
    fn parse_on_loader_stack(text: String) -> Result<Option<Node>, ParseError> {
        std::thread::Builder::new()
            .stack_size(PARSE_STACK_BYTES)
            .spawn(move || parse(&text))
            .and_then(|handle| {
                handle
                    .join()
                    .map_err(|_| std::io::Error::other("parser thread panicked"))
            })
            .unwrap_or_else(|err| panic!("{err}"))
    }

    fn parse_err(text: &str) -> ParseError {
        match parse_on_loader_stack(text.to_owned()) {
            Err(err) => err,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn values_keep_their_positions() {
        let node = parse_ok("a:\n  - x: 2017\n    y: no\n    z: false\n");
        let Value::Map(top) = &node.value else {
            panic!("not a map")
        };
        let Value::Seq(items) = &top[0].1.value else {
            panic!("not a list")
        };
        let Value::Map(fields) = &items[0].value else {
            panic!("not a map")
        };
        assert_eq!(fields[0].0.pos, Some(Pos::new(2, 5, 1)));
        assert!(matches!(&fields[0].1.value, Value::Number(n) if n.text == "2017"));
        assert_eq!(fields[0].1.pos.line, 2);
        assert_eq!(fields[0].1.pos.column, 8);
        // strict booleans: `no` stays text, `false` is a boolean
        assert_eq!(fields[1].1.value, Value::Str("no".into()));
        assert_eq!(fields[2].1.value, Value::Bool(false));
    }

    /// The tree without the places of keys, otherwise the same.
    #[test]
    fn the_quick_parse_differs_only_in_key_places() {
        fn unplace(node: &mut Node) {
            match &mut node.value {
                Value::Map(entries) => {
                    for (key, value) in entries {
                        key.pos = None;
                        unplace(value);
                    }
                }
                Value::Seq(items) => items.iter_mut().for_each(unplace),
                _ => {}
            }
        }
        let text =
            "a: &x\n  - {k: 007, 'q': [1, no, ~]}\n  - !!str 2\nb: *x\n? c\n: \"d\"\n12: true\n";
        let mut placed = parse_ok(text);
        let quick = match parse_quick(text) {
            Ok(Some(node)) => node,
            other => panic!("expected a document, got {other:?}"),
        };
        unplace(&mut placed);
        assert_eq!(quick, placed);
        // ... and the setting does not leak into the next parse on the thread.
        let Value::Map(top) = parse_ok("k: v\n").value else {
            panic!("not a map")
        };
        assert_eq!(top[0].0.pos, Some(Pos::new(1, 1, 1)));
    }

    #[test]
    fn numbers_keep_the_text_they_were_written_as() {
        let node = parse_ok(
            "a: 007\nb: 1.10\nc: 0000000000000000000000000000000000000000000000000000000000000000\nd: &n 0x1F\ne: *n\n",
        );
        let Value::Map(top) = node.value else {
            panic!("not a map")
        };
        let texts: Vec<String> = top
            .into_iter()
            .map(|(_, v)| match v.value {
                Value::Number(n) => n.text,
                Value::Str(s) => format!("str:{s}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, ["007", "1.10", &"0".repeat(64), "0x1F", "0x1F"]);
    }

    #[test]
    fn empty_and_comment_only_documents_are_nothing() {
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("# just a note\n\n"), Ok(None));
        assert_eq!(parse("\u{feff}"), Ok(None));
    }

    #[test]
    fn duplicate_keys_are_rejected_at_the_second_key() {
        let err = parse_err("a: 1\nb: 2\na: 3\n");
        assert_eq!(err.code, Code::DuplicateKey);
        assert_eq!((err.pos.line, err.pos.column), (3, 1));
    }

    #[test]
    fn billion_laughs_is_stopped() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = name;
        }
        assert!(text.len() < 1024);
        assert_eq!(parse_err(&text).code, Code::AliasLimit);
    }

    /// The expansion allowance is the file's own size plus 4 KiB: an anchored list of
    /// 100 values replayed 40 times stays within it, 50 times goes beyond.
    #[test]
    fn the_alias_limit_holds_at_the_edge() {
        let document = |aliases: usize| {
            let list = vec!["x"; 100].join(",");
            let uses = vec!["*l"; aliases].join(", ");
            format!("a: &l [{list}]\nb: [{uses}]\n")
        };
        assert!(
            parse(&document(40)).is_ok(),
            "about 4,000 replayed values fit in the allowance"
        );
        assert_eq!(parse_err(&document(50)).code, Code::AliasLimit);
    }

    #[test]
    fn ordinary_anchors_work() {
        let node = parse_ok("base: &b {kind: news, reliability: B}\nx: *b\ny: *b\nz: *b\n");
        let Value::Map(top) = node.value else {
            panic!("not a map")
        };
        assert_eq!(top.len(), 4);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let flow = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_err(&flow);
        assert_eq!(
            (err.code, err.pos.line, err.pos.column),
            (Code::YamlSyntax, 1, 65)
        );
        assert!(
            err.message.contains("nested more than 64 levels"),
            "{}",
            err.message
        );
        let block: String = (0..10_000)
            .map(|i| format!("{}- \n", " ".repeat(i % 200)))
            .collect();
        assert_eq!(parse_err(&block).code, Code::YamlSyntax);
        let mapping: String = (0..10_000)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(parse_err(&mapping).code, Code::YamlSyntax);
    }
}
