//! The records of a data file (entities, sources, claims and the evidence items and
//! related claims inside claims), each read field by field through the reader.

use super::Sink;
use super::reader::Fields;
use crate::diagnostics::Code;
use crate::fields;
use crate::model::{
    Claim, Entity, EntityKind, Evidence, FileIdx, Located, Related, Relation, Reliability, Source,
    SourceKind, Stance, Verdict,
};
use crate::rules;
use crate::text::shown;
use crate::yaml::{Node, Value};

pub(super) fn entity(node: Node, file: FileIdx, sink: &mut Sink<'_>) -> Option<Entity> {
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

pub(super) fn source(node: Node, file: FileIdx, sink: &mut Sink<'_>) -> Option<Source> {
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

pub(super) fn claim(node: Node, file: FileIdx, sink: &mut Sink<'_>) -> Option<Claim> {
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
