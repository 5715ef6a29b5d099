//! The one place YAML text is parsed. Every data file and `corroborate.yaml` goes
//! through [`parse`], which builds a tree of [`Node`]s that remember where each value
//! stood (so that problems found long after parsing still point at the exact line and
//! column) straight from the events of serde-saphyr's own parser (`granit-parser`,
//! re-exported by serde-saphyr as part of its public interface).
//!
//! Reading the events ourselves, rather than going through serde, gives every value
//! and key its place at no extra cost, one parse of each file, and errors that are
//! classified by their kind. The rules serde-saphyr's options would otherwise apply
//! are ours, in one place: duplicate keys are rejected, aliases may replay no more than
//! the file itself holds (an alias bomb stops at once), nesting is bounded, and plain
//! scalars are typed by the YAML 1.2 core schema with strict booleans.

use crate::diagnostics::{Code, Pos};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde_saphyr::granit_parser::{
    ErrorKind, Event, Marker, Parser, ScalarStyle, ScanError, Span, Tag,
};
use std::borrow::Cow;

/// How deep mappings and sequences may nest. The format needs six levels; the rest is
/// head room, and the limit keeps hostile nesting from growing the tree without end.
pub const MAX_DEPTH: usize = 64;

/// Stack for a thread that parses and decodes. The tree is built without recursion;
/// what recurses is the decoder and the dropping and cloning of nested values (at most
/// [`MAX_DEPTH`] deep), which fits easily, but an unoptimised build of a whole check
/// needs more than the 2 MiB that spawned threads get by default.
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
}

impl Number {
    /// The number as a whole number, if it is one.
    pub fn as_integer(&self) -> Option<i64> {
        self.text.parse().ok()
    }
}

/// A mapping key and its place.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
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

impl ParseError {
    fn new(code: Code, pos: Pos, message: impl Into<String>) -> Self {
        ParseError {
            code,
            pos,
            message: message.into(),
        }
    }
}

/// Parses one YAML document. An empty document (nothing but comments and blank
/// lines) gives `None`.
pub fn parse(text: &str) -> Result<Option<Node>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser::new_from_str_with_options(text, parser_options());
    let mut tree = Tree::new(text.len());
    let mut documents = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|err| scan_error(&err))?;
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(ParseError::new(
                        Code::YamlSyntax,
                        pos_of(&span),
                        "a data file holds one YAML document; move what follows `---` into a file of its own",
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                tree.merge_key = style == ScalarStyle::Plain && tag.is_none() && value == "<<";
                let node = Node {
                    pos: pos_of(&span),
                    value: scalar(value, style, tag.as_deref()),
                };
                tree.close(node, anchor)?;
            }
            Event::SequenceStart(_, anchor, _) => tree.open(pos_of(&span), anchor, Open::Seq)?,
            Event::MappingStart(_, anchor, _) => tree.open(pos_of(&span), anchor, Open::Map)?,
            Event::SequenceEnd | Event::MappingEnd => tree.end()?,
            Event::Alias(anchor) => tree.alias(anchor, pos_of(&span))?,
            _ => {}
        }
    }
    Ok(tree.root)
}

/// The parser's own options, set once. Its scanner can read far ahead of the events
/// (all of `[[[[...` before the first), so it must stop at our depth itself; flow and
/// block nesting are counted apart there, and [`Tree::open`] bounds the two together.
fn parser_options() -> serde_saphyr::granit_parser::Options {
    let mut options = serde_saphyr::granit_parser::Options::default();
    options.flow_nesting_limit = MAX_DEPTH;
    options.block_nesting_limit = MAX_DEPTH;
    options.emit_comments = false;
    options
}

/// What a collection still open holds so far.
enum Open {
    Seq,
    Map,
}

struct Frame {
    pos: Pos,
    anchor: usize,
    /// Events and scalar bytes inside, for what replaying it through an alias costs.
    cost: Cost,
    body: Body,
}

enum Body {
    Seq(Vec<Node>),
    Map(MapBody),
}

#[derive(Default)]
struct MapBody {
    entries: Vec<(Key, Node)>,
    /// The kind of each key in `entries`: `1` and `'1'` are different keys in YAML,
    /// `null` and `~` the same one.
    kinds: Vec<KeyKind>,
    /// The key read, waiting for its value; `None` while a key is awaited.
    key: Option<Key>,
    /// The key waiting is a merge (`<<`): its value's entries join this mapping.
    merging: bool,
    /// What `<<` keys brought, merged in when the mapping ends.
    merges: Vec<Node>,
    /// The keys so far, once a mapping is too long to search them in order.
    set: Option<HashSet<(KeyKind, String)>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum KeyKind {
    Text,
    Number,
    Bool,
    Null,
}

impl MapBody {
    /// Whether a key of this kind and name is already in the mapping.
    fn has(&mut self, kind: KeyKind, name: &str) -> bool {
        if let Some(set) = &self.set {
            return set.contains(&(kind, name.to_owned()));
        }
        self.entries
            .iter()
            .zip(&self.kinds)
            .any(|((k, _), &kk)| kk == kind && k.name == name)
    }

    fn add_key(&mut self, kind: KeyKind, key: Key) {
        if let Some(set) = &mut self.set {
            set.insert((kind, key.name.clone()));
        } else if self.entries.len() >= KEYS_SEARCHED_IN_ORDER {
            let mut set = HashSet::with_capacity(self.entries.len() * 2);
            set.extend(
                self.kinds
                    .iter()
                    .zip(&self.entries)
                    .map(|(&kind, (k, _))| (kind, k.name.clone())),
            );
            set.insert((kind, key.name.clone()));
            self.set = Some(set);
        }
        self.kinds.push(kind);
        self.key = Some(key);
    }

    /// The entries of the merged mappings that the mapping does not set itself, the
    /// first merged mapping winning over later ones, as YAML's merge key says. They
    /// take the place of the `<<` value that brought them.
    fn finish(mut self) -> Result<Vec<(Key, Node)>, ParseError> {
        let merges = std::mem::take(&mut self.merges);
        for merge in merges {
            let pos = merge.pos;
            let sources = match merge.value {
                Value::Map(entries) => vec![entries],
                Value::Seq(items) => items
                    .into_iter()
                    .map(|item| match item.value {
                        Value::Map(entries) => Ok(entries),
                        other => Err(merge_error(item.pos, &other)),
                    })
                    .collect::<Result<_, _>>()?,
                other => return Err(merge_error(pos, &other)),
            };
            for entries in sources {
                for (key, value) in entries {
                    // A merged mapping's keys are known here only by name: a name the
                    // mapping has, of any kind, is not merged.
                    let taken = match &self.set {
                        Some(set) => [KeyKind::Text, KeyKind::Number, KeyKind::Bool, KeyKind::Null]
                            .into_iter()
                            .any(|kind| set.contains(&(kind, key.name.clone()))),
                        None => self.entries.iter().any(|(k, _)| k.name == key.name),
                    };
                    if taken {
                        continue;
                    }
                    self.add_key(
                        KeyKind::Text,
                        Key {
                            name: key.name,
                            pos,
                        },
                    );
                    if let Some(key) = self.key.take() {
                        self.entries.push((
                            key,
                            Node {
                                pos,
                                value: value.value,
                            },
                        ));
                    }
                }
            }
        }
        Ok(self.entries)
    }
}

fn merge_error(pos: Pos, found: &Value) -> ParseError {
    ParseError::new(
        Code::YamlSyntax,
        pos,
        format!(
            "`<<` merges a mapping, or a list of mappings, into this one; found {}",
            found.type_name()
        ),
    )
}

/// A mapping with more keys than this looks up duplicates in a set rather than by
/// reading the keys so far, so that a hostile mapping of many keys stays linear.
const KEYS_SEARCHED_IN_ORDER: usize = 16;

#[derive(Clone, Copy, Default)]
struct Cost {
    events: u64,
    bytes: u64,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.events = self.events.saturating_add(other.events);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// The tree being built from the parser's events.
struct Tree {
    stack: Vec<Frame>,
    root: Option<Node>,
    /// Each anchored value once it is complete, with what it costs to replay.
    anchors: HashMap<usize, (Node, Cost)>,
    /// Events replayed by aliases so far, and bytes of scalars in the tree so far
    /// (written or replayed), each against its allowance.
    replayed_events: u64,
    scalar_bytes: u64,
    allowance: u64,
    text_len: u64,
    /// The scalar being placed is a plain `<<` (a merge key, when it is a key).
    merge_key: bool,
}

impl Tree {
    fn new(len: usize) -> Self {
        Tree {
            stack: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            replayed_events: 0,
            scalar_bytes: 0,
            // Aliases may replay as many events as the file has bytes, plus 4 KiB, and
            // the tree may hold that much more scalar text than the file: a
            // sub-kilobyte "billion laughs" stops at once while a few ordinary anchors
            // still work.
            allowance: 4096 + len as u64,
            text_len: len as u64,
            merge_key: false,
        }
    }

    fn open(&mut self, pos: Pos, anchor: usize, open: Open) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ParseError::new(
                Code::YamlSyntax,
                pos,
                format!(
                    "values are nested more than {MAX_DEPTH} levels deep; corroborate data never needs more than six"
                ),
            ));
        }
        let body = match open {
            Open::Seq => Body::Seq(Vec::new()),
            Open::Map => Body::Map(MapBody::default()),
        };
        self.stack.push(Frame {
            pos,
            anchor,
            cost: Cost {
                events: 2,
                bytes: 0,
            },
            body,
        });
        Ok(())
    }

    fn end(&mut self) -> Result<(), ParseError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.body {
            Body::Seq(items) => Value::Seq(items),
            Body::Map(map) => Value::Map(map.finish()?),
        };
        self.finish(
            Node {
                pos: frame.pos,
                value,
            },
            frame.anchor,
            frame.cost,
        )
    }

    /// A scalar, complete at once.
    fn close(&mut self, node: Node, anchor: usize) -> Result<(), ParseError> {
        let bytes = match &node.value {
            Value::Str(s) => s.len(),
            Value::Number(n) => n.text.len(),
            _ => 0,
        };
        let cost = Cost {
            events: 1,
            bytes: bytes as u64,
        };
        self.scalar_bytes = self.scalar_bytes.saturating_add(cost.bytes);
        self.finish(node, anchor, cost)
    }

    fn alias(&mut self, anchor: usize, pos: Pos) -> Result<(), ParseError> {
        let Some((node, cost)) = self.anchors.get(&anchor) else {
            return Err(ParseError::new(
                Code::YamlSyntax,
                pos,
                "this alias refers to a value that contains it; YAML data cannot refer to itself",
            ));
        };
        self.replayed_events = self.replayed_events.saturating_add(cost.events);
        self.scalar_bytes = self.scalar_bytes.saturating_add(cost.bytes);
        if self.replayed_events > self.allowance
            || self.scalar_bytes > self.text_len + self.allowance
        {
            return Err(ParseError::new(Code::AliasLimit, pos, alias_message()));
        }
        let node = Node {
            pos,
            value: node.value.clone(),
        };
        let cost = *cost;
        self.finish(node, 0, cost)
    }

    /// A complete value: remembered when anchored, then placed in what holds it.
    fn finish(&mut self, node: Node, anchor: usize, cost: Cost) -> Result<(), ParseError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), cost));
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.cost.add(cost);
        let map = match &mut frame.body {
            Body::Seq(items) => {
                items.push(node);
                return Ok(());
            }
            Body::Map(map) => map,
        };
        if let Some(key) = map.key.take() {
            if std::mem::take(&mut map.merging) {
                map.kinds.pop();
                map.merges.push(node);
            } else {
                map.entries.push((key, node));
            }
            return Ok(());
        }
        let pos = node.pos;
        let (kind, name) = key_name(node.value).ok_or_else(|| {
            ParseError::new(
                Code::YamlSyntax,
                pos,
                "a mapping key must be plain text, not a list or a mapping",
            )
        })?;
        if map.has(kind, &name) {
            return Err(ParseError::new(
                Code::DuplicateKey,
                pos,
                format!(
                    "the key `{}` appears twice in this mapping; YAML would silently keep only one, so remove or rename one of them",
                    crate::text::shown(&name)
                ),
            ));
        }
        map.merging = std::mem::take(&mut self.merge_key);
        map.add_key(kind, Key { name, pos });
        Ok(())
    }
}

/// The kind and text of a scalar key; a list or mapping cannot be a key here.
fn key_name(value: Value) -> Option<(KeyKind, String)> {
    match value {
        Value::Str(s) => Some((KeyKind::Text, s)),
        Value::Number(n) => Some((KeyKind::Number, n.text)),
        Value::Bool(b) => Some((KeyKind::Bool, b.to_string())),
        Value::Null => Some((KeyKind::Null, "null".to_owned())),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

/// Types a scalar as the YAML 1.2 core schema does, with strict booleans: a quoted or
/// block scalar is text, a plain one is null, a boolean, a number (kept as the text it
/// was written as) or text. A core tag (`!!str`, `!!int`, ...) chooses the type where
/// the text fits it; `!` makes text; other tags (`!local`, `!!binary`) change nothing,
/// and the text stays as written.
fn scalar(value: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag.and_then(Tag::core_suffix);
    // The non-specific tag `!` reaches us as an empty handle with the suffix `!`.
    let non_specific = tag.is_some_and(|t| t.handle().is_empty() && t.suffix() == "!");
    let text = value.as_ref();
    let typed = match core {
        Some("str") => None,
        Some("null") => Some(Value::Null),
        Some("bool") => boolean(text).map(Value::Bool),
        Some("int" | "float") => is_core_number(text).then(|| number(text)),
        _ if style != ScalarStyle::Plain || non_specific => None,
        _ => match text {
            "" | "~" | "null" | "Null" | "NULL" => Some(Value::Null),
            _ => boolean(text)
                .map(Value::Bool)
                .or_else(|| is_core_number(text).then(|| number(text))),
        },
    };
    typed.unwrap_or_else(|| Value::Str(value.into_owned()))
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn number(text: &str) -> Value {
    Value::Number(Number {
        text: text.to_owned(),
    })
}

/// Whether a plain scalar is an integer or a float of the YAML 1.2 core schema:
/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`,
/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.inf` and `.nan`
/// (each in its three spellings).
fn is_core_number(text: &str) -> bool {
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c.is_digit(radix));
    if let Some(octal) = text.strip_prefix("0o") {
        return digits(octal, 8);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return digits(hex, 16);
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (whole.is_empty() && digits(fraction, 10))
                || (digits(whole, 10) && (fraction.is_empty() || digits(fraction, 10)))
        }
        None => digits(mantissa, 10),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    mantissa_ok && exponent_ok
}

fn alias_message() -> String {
    "aliases (`*name`) here expand to far more than the file holds, as in an alias bomb; write the values out or use fewer aliases".to_owned()
}

/// A syntax error from the parser, classified by its kind.
fn scan_error(err: &ScanError) -> ParseError {
    let pos = marker_pos(err.marker(), 1);
    match err.kind() {
        ErrorKind::RecursionLimitExceeded => ParseError::new(
            Code::YamlSyntax,
            pos,
            format!(
                "values are nested more than {MAX_DEPTH} levels deep; corroborate data never needs more than six"
            ),
        ),
        ErrorKind::MultipleDocumentsUnsupported => ParseError::new(
            Code::YamlSyntax,
            pos,
            "a data file holds one YAML document; move what follows `---` into a file of its own",
        ),
        ErrorKind::UnknownAnchor => ParseError::new(
            Code::YamlSyntax,
            pos,
            "this alias (`*name`) names no anchor (`&name`) written before it",
        ),
        _ => ParseError::new(
            Code::YamlSyntax,
            pos,
            format!("this is not valid YAML: {}", err.info()),
        ),
    }
}

fn pos_of(span: &Span) -> Pos {
    marker_pos(
        &span.start,
        span.end.index().saturating_sub(span.start.index()),
    )
}

/// A place as diagnostics give it: line and column from 1, length in characters.
fn marker_pos(marker: &Marker, len: usize) -> Pos {
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Pos::new(
        clamp(marker.line()),
        clamp(marker.col().saturating_add(1)),
        clamp(len),
    )
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
        assert_eq!(fields[0].0.pos, Pos::new(2, 5, 1));
        assert!(matches!(&fields[0].1.value, Value::Number(n) if n.text == "2017"));
        assert_eq!(fields[0].1.pos.line, 2);
        assert_eq!(fields[0].1.pos.column, 8);
        // strict booleans: `no` stays text, `false` is a boolean
        assert_eq!(fields[1].1.value, Value::Str("no".into()));
        assert_eq!(fields[2].1.value, Value::Bool(false));
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

    fn entries(text: &str) -> Vec<(String, Value)> {
        let Value::Map(top) = parse_ok(text).value else {
            panic!("not a map")
        };
        top.into_iter().map(|(k, v)| (k.name, v.value)).collect()
    }

    fn text(s: &str) -> Value {
        Value::Str(s.to_owned())
    }

    fn num(s: &str) -> Value {
        Value::Number(Number { text: s.to_owned() })
    }

    /// The YAML 1.2 core schema with strict booleans: only plain scalars are typed.
    #[test]
    fn scalars_are_typed_by_the_core_schema() {
        let got = entries(
            "a: 0x1F\nb: 0X1F\nc: 0o17\nd: 1_000\ne: .inf\nf: -.inf\ng: .nan\nh: -.nan\ni: 1e3\nj: +1\nk: 1.\nl: .5\nm: yes\nn: True\no: '12'\np: ~\nq: Null\nr:\ns: \"true\"\nt: 2017-06-14\n",
        );
        let values: Vec<Value> = got.into_iter().map(|(_, v)| v).collect();
        assert_eq!(
            values,
            [
                num("0x1F"),
                text("0X1F"),
                num("0o17"),
                text("1_000"),
                num(".inf"),
                num("-.inf"),
                num(".nan"),
                text("-.nan"),
                num("1e3"),
                num("+1"),
                num("1."),
                num(".5"),
                text("yes"),
                Value::Bool(true),
                text("12"),
                Value::Null,
                Value::Null,
                Value::Null,
                text("true"),
                text("2017-06-14"),
            ]
        );
    }

    #[test]
    fn tags_choose_a_type_where_the_text_fits_it() {
        let values: Vec<Value> = entries(
            "a: !!str 2\nb: !!int \"3\"\nc: !foo 4\nd: ! 5\ne: !!binary aGVsbG8=\nf: !!null x\ng: !!bool nope\n",
        )
        .into_iter()
        .map(|(_, v)| v)
        .collect();
        assert_eq!(
            values,
            [
                text("2"),
                num("3"),
                num("4"),
                text("5"),
                text("aGVsbG8="),
                Value::Null,
                text("nope"),
            ]
        );
    }

    /// `<<` merges as YAML's merge key does: the mapping's own keys win, then the first
    /// merged mapping; merged entries stand where the `<<` value was written.
    #[test]
    fn merge_keys_merge() {
        let node = parse_ok(
            "base: &b {kind: news, reliability: B}\nother: &o {kind: report, language: en}\nx: {<<: [*b, *o], reliability: A}\n",
        );
        let Value::Map(top) = node.value else {
            panic!("not a map")
        };
        let Value::Map(x) = &top[2].1.value else {
            panic!("not a map")
        };
        let got: Vec<(&str, &Value, Pos)> = x
            .iter()
            .map(|(k, v)| (k.name.as_str(), &v.value, k.pos))
            .collect();
        let merged_at = Pos::new(3, 9, 1);
        assert_eq!(
            got,
            [
                ("reliability", &text("A"), Pos::new(3, 19, 11)),
                ("kind", &text("news"), merged_at),
                ("language", &text("en"), merged_at),
            ]
        );
        assert_eq!(parse_err("a: {<<: 3}\n").code, Code::YamlSyntax);
        // A quoted `<<` is an ordinary key.
        assert_eq!(entries("'<<': 3\n")[0].0, "<<");
    }

    #[test]
    fn keys_are_the_same_when_yaml_says_so() {
        assert_eq!(parse_err("null: 1\n~: 2\n").code, Code::DuplicateKey);
        assert_eq!(entries("1: a\n'1': b\n").len(), 2);
        // Past the length where keys are looked up in a set, too.
        let mut long: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        long.push_str("k57: again\n");
        let err = parse_err(&long);
        assert_eq!((err.code, err.pos.line), (Code::DuplicateKey, 101));
        assert!(err.message.contains("`k57`"), "{}", err.message);
    }

    #[test]
    fn bad_keys_and_aliases_are_named() {
        let err = parse_err("[a, b]: c\n");
        assert_eq!((err.code, err.pos), (Code::YamlSyntax, Pos::new(1, 1, 1)));
        assert!(err.message.contains("mapping key must be plain text"));
        let err = parse_err("a: *x\n");
        assert_eq!((err.pos.line, err.pos.column), (1, 4));
        assert!(err.message.contains("names no anchor"), "{}", err.message);
        let err = parse_err("a: &a [*a]\n");
        assert_eq!((err.pos.line, err.pos.column), (1, 8));
        assert!(err.message.contains("contains it"), "{}", err.message);
        let err = parse_err("a: 1\n---\nb: 2\n");
        assert_eq!((err.code, err.pos.line), (Code::YamlSyntax, 2));
        assert!(err.message.contains("one YAML document"), "{}", err.message);
    }

    /// Nesting is bounded in flow and block collections alike, and in the two mixed
    /// (the parser counts them apart).
    #[test]
    fn mixed_nesting_is_bounded_too() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        text.push_str(&format!(
            "{}x: {}{}\n",
            " ".repeat(40),
            "[".repeat(40),
            "]".repeat(40)
        ));
        let err = parse_err(&text);
        assert!(
            err.message.contains("nested more than 64"),
            "{}",
            err.message
        );
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
