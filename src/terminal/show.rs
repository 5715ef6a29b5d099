//! The terminal layout of `show`: a claim, a source or an entity as the lines of one
//! page, from what [`crate::views`] works out. For a claim, both sides of its evidence
//! with what each source is and where it comes from, so that a researcher can weigh it
//! without building the report; side by side on a wide terminal. Every string from the
//! data is made inert before it is laid out.

use super::{Line, Paint, balance_paint, one_line, paragraphs, side_by_side, verdict_paint};
use crate::Checked;
use crate::graph::Record;
use crate::model::Stance;
use crate::views::{self, EvidenceView};
use crate::wording::{self, plural};

/// The page for one record, fitted to `width` columns when there is a width.
pub fn render(checked: &Checked, record: Record, width: Option<usize>) -> Vec<Line> {
    match record {
        Record::Claim(i) => claim(checked, i, width),
        Record::Source(i) => source(checked, i, width),
        Record::Entity(i) => entity(checked, i, width),
    }
}

/// Field names are padded to this, so that values line up.
const LABEL: usize = 13;
/// From this width on, the two sides of a claim's evidence stand side by side.
const SIDE_BY_SIDE: usize = 120;
const GAP: usize = 3;
/// Wrapped text is never squeezed narrower than this, however deep it is indented.
const NARROWEST: usize = 24;

/// Lines being laid out: wrapped to the width when there is one, whole otherwise.
struct Page {
    lines: Vec<Line>,
    width: Option<usize>,
}

impl Page {
    fn new(width: Option<usize>) -> Page {
        Page {
            lines: Vec::new(),
            width,
        }
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| l.width() > 0) {
            self.lines.push(Line::new());
        }
    }

    /// `body` after `prefix`, its wrapped lines indented to line up under the first.
    fn put(&mut self, prefix: Line, body: Line) {
        let indent = prefix.width();
        let bodies = match self.width {
            Some(width) => body.wrap(width.saturating_sub(indent).max(NARROWEST)),
            None => vec![body],
        };
        for (i, part) in bodies.into_iter().enumerate() {
            let mut line = if i == 0 {
                prefix.clone()
            } else {
                Line::of(" ".repeat(indent), Paint::Plain)
            };
            line.0.extend(part.0);
            self.lines.push(line);
        }
    }

    fn indented(&mut self, indent: usize, body: Line) {
        self.put(Line::of(" ".repeat(indent), Paint::Plain), body);
    }

    /// `body` after a dim `label`, indented, its wrapped lines under the body's start.
    fn labelled(&mut self, indent: usize, label: &str, body: Line) {
        self.put(
            Line::of(" ".repeat(indent), Paint::Plain).with(label, Paint::Dim),
            body,
        );
    }

    fn field(&mut self, label: &str, body: Line) {
        self.put(Line::of(format!("{label:<LABEL$}"), Paint::Dim), body);
    }

    /// A field holding free text (a note, a description): its paragraphs one under
    /// another.
    fn text_field(&mut self, label: &str, text: &str) {
        for (i, paragraph) in paragraphs(text).into_iter().enumerate() {
            self.field(
                if i == 0 { label } else { "" },
                Line::of(paragraph, Paint::Plain),
            );
        }
    }

    fn optional(&mut self, label: &str, value: Option<impl AsRef<str>>) {
        if let Some(value) = value {
            self.field(label, Line::of(one_line(value.as_ref()), Paint::Plain));
        }
    }

    fn heading(&mut self, text: &str) {
        self.blank();
        self.lines.push(Line::of(text, Paint::Bold));
    }

    /// "Cites (3)", or "Cites: none".
    fn section(&mut self, name: &str, count: usize) {
        if count == 0 {
            self.blank();
            self.lines
                .push(Line::of(format!("{name}: "), Paint::Bold).with("none", Paint::Dim));
        } else {
            self.heading(&format!("{name} ({count})"));
        }
    }

    /// An item of a list: "  - " and the item.
    fn item(&mut self, body: Line) {
        self.put(Line::of("  - ", Paint::Plain), body);
    }

    /// The record's kind and id, then its statement, title or name.
    fn title(&mut self, kind: &str, id: &str, title: &str) {
        self.put(
            Line::of(format!("{kind} "), Paint::Dim),
            Line::of(one_line(id), Paint::Bold),
        );
        self.put(Line::new(), Line::of(one_line(title), Paint::Bold));
        self.blank();
    }

    fn sensitive(&mut self, sensitive: bool) {
        if sensitive {
            self.field(
                "sensitive",
                Line::of("yes: not for publication", Paint::Yellow),
            );
        }
    }
}

/// "Name [id]": who an id names, with the id to look it up by.
fn entity_ref(checked: &Checked, id: &str) -> Line {
    Line::of(one_line(views::entity_name(checked, id)), Paint::Plain)
        .with(format!(" [{}]", one_line(id)), Paint::Dim)
}

fn source_ref(checked: &Checked, index: usize) -> Line {
    let s = &checked.repo.sources[index];
    Line::of(one_line(&s.title), Paint::Plain)
        .with(format!(" [{}]", one_line(&s.id.value)), Paint::Dim)
}

/// "Statement [id] (False, Contradicted)".
fn claim_ref(checked: &Checked, index: usize) -> Line {
    let c = &checked.repo.claims[index];
    let verdict = c.verdict.as_ref().map(|v| v.value);
    let balance = checked.analysis.claims[index].balance;
    Line::of(one_line(&c.statement), Paint::Plain)
        .with(format!(" [{}] (", one_line(&c.id.value)), Paint::Dim)
        .with(
            verdict.map_or("no verdict", wording::verdict),
            verdict_paint(verdict),
        )
        .with(", ", Paint::Dim)
        .with(wording::balance(balance), balance_paint(balance))
        .with(")", Paint::Dim)
}

/// Parts joined with ", " into one line.
fn joined(parts: impl IntoIterator<Item = Line>) -> Line {
    let mut line = Line::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            line = line.with(", ", Paint::Plain);
        }
        line.0.extend(part.0);
    }
    line
}

fn source_ids(checked: &Checked, sources: &[usize]) -> String {
    sources
        .iter()
        .map(|&s| one_line(&checked.repo.sources[s].id.value))
        .collect::<Vec<_>>()
        .join(", ")
}

fn claim(checked: &Checked, index: usize, width: Option<usize>) -> Vec<Line> {
    let view = views::claim(checked, index);
    let summary = &view.summary;
    let claim = summary.claim;
    let mut page = Page::new(width);
    page.title("claim", &claim.id.value, &claim.statement);
    if let Some(claimant) = &claim.claimant {
        page.field("claimant", entity_ref(checked, &claimant.value));
    }
    if !claim.about.is_empty() {
        page.field(
            "about",
            joined(claim.about.iter().map(|a| entity_ref(checked, &a.value))),
        );
    }
    page.optional("date", claim.date.map(|d| d.to_string()));
    if let Some(i) = view.appearance {
        page.field("appearance", source_ref(checked, i));
    }
    if !claim.tags.is_empty() {
        page.optional("tags", Some(claim.tags.join(", ")));
    }
    page.field(
        "verdict",
        Line::of(
            summary.verdict.map_or("none given", wording::verdict),
            verdict_paint(summary.verdict),
        ),
    );
    if let Some(note) = &claim.verdict_note {
        page.text_field("", note);
    }
    page.field(
        "balance",
        Line::of(
            wording::balance(summary.balance),
            balance_paint(summary.balance),
        )
        .with(
            format!(
                " (supporting: {}; contradicting: {})",
                summary.supports.summary, summary.contradicts.summary,
            ),
            Paint::Plain,
        ),
    );
    if let Some(conflict) = &view.verdict_conflict {
        page.field("", Line::of(format!("! {conflict}"), Paint::Yellow));
    }
    if let Some(quotes) = crate::views::QuoteCount::of([summary.facts]).sentence() {
        page.field("quotes", Line::of(quotes, Paint::Plain));
    }
    page.sensitive(claim.sensitive);

    page.blank();
    let evidence = |stance: Stance, width: Option<usize>| evidence(checked, &view, stance, width);
    match width {
        Some(w) if w >= SIDE_BY_SIDE => {
            let column = (w - GAP) / 2;
            let left = evidence(Stance::Supports, Some(column));
            let right = evidence(Stance::Contradicts, Some(column));
            page.lines.extend(side_by_side(&left, &right, column, GAP));
        }
        _ => {
            page.lines.extend(evidence(Stance::Supports, width));
            page.blank();
            page.lines.extend(evidence(Stance::Contradicts, width));
        }
    }
    if !view.evidence.context.is_empty() {
        page.blank();
        page.lines.extend(evidence(Stance::Context, width));
    }

    page.heading("Origins");
    for side in summary.sides() {
        let label = format!("{:<15}", side_name(side.stance));
        if side.sources == 0 {
            page.labelled(2, &label, Line::of("no evidence", Paint::Dim));
            continue;
        }
        page.labelled(
            2,
            &label,
            Line::of(
                format!("traces back to: {}", source_ids(checked, side.origins)),
                Paint::Plain,
            ),
        );
        if let Some(warning) = &side.warning {
            page.labelled(17, "", Line::of(format!("! {warning}"), Paint::Yellow));
        }
        if let Some(read_in) = &side.read_in {
            page.labelled(
                17,
                "",
                Line::of(
                    format!("{read_in}: {}", source_ids(checked, side.channels)),
                    Paint::Plain,
                ),
            );
        }
        if let Some(warning) = &side.channel_warning {
            page.labelled(17, "", Line::of(format!("! {warning}"), Paint::Yellow));
        }
    }

    if !view.related.is_empty() {
        page.heading("Related claims");
        for (relation, other, naming) in view.related.iter() {
            let label = if naming {
                wording::relation_from(relation)
            } else {
                relation.as_str()
            };
            page.put(
                Line::of(format!("  {label:<17}"), Paint::Dim),
                claim_ref(checked, other),
            );
        }
    }
    page.lines
}

/// "supporting", "contradicting": a weighed side as an adjective.
fn side_name(stance: Stance) -> &'static str {
    if stance == Stance::Supports {
        "supporting"
    } else {
        "contradicting"
    }
}

/// One stance's evidence items under a heading, in the order they were written.
fn evidence(
    checked: &Checked,
    view: &views::ClaimView<'_>,
    stance: Stance,
    width: Option<usize>,
) -> Vec<Line> {
    let items = &view.evidence[stance];
    let mut page = Page::new(width);
    let count = plural(items.len(), "item", "items");
    let (name, summary) = match view.summary.side(stance) {
        Some(side) => (
            if stance == Stance::Supports {
                "Supporting evidence"
            } else {
                "Contradicting evidence"
            },
            format!("{count}, {}", side.summary),
        ),
        None => ("Context", count),
    };
    if items.is_empty() {
        page.put(
            Line::of(format!("{name}: "), Paint::Bold),
            Line::of("none", Paint::Dim),
        );
        return page.lines;
    }
    page.put(
        Line::of(format!("{name}: "), Paint::Bold),
        Line::of(summary, Paint::Plain),
    );
    for item in items {
        page.blank();
        evidence_item(checked, view, item, &mut page);
    }
    page.lines
}

fn evidence_item(
    checked: &Checked,
    view: &views::ClaimView<'_>,
    evidence: &EvidenceView<'_>,
    page: &mut Page,
) {
    let item = evidence.item;
    let quote = match &item.quote {
        Some(q) => Line::of(
            format!("\u{201c}{}\u{201d}", one_line(&q.value)),
            Paint::Plain,
        ),
        None => Line::of("(no quote)", Paint::Dim),
    };
    page.put(Line::of("  - ", Paint::Plain), quote);
    if let Some(original) = &item.quote_original {
        page.labelled(
            4,
            "original: ",
            Line::of(
                format!("\u{201c}{}\u{201d}", one_line(&original.value)),
                Paint::Plain,
            ),
        );
    }
    let Some(index) = evidence.source else {
        page.indented(
            4,
            Line::of(format!("[{}]", one_line(&item.source.value)), Paint::Dim),
        );
        return;
    };
    let s = &checked.repo.sources[index];
    page.indented(4, source_ref(checked, index));
    let mut facts: Vec<String> = views::source_facts(s).iter().map(|f| one_line(f)).collect();
    facts.push(match s.reliability {
        Some(r) => format!("reliability {r}, {}", wording::reliability(r)),
        None => "reliability not graded".to_owned(),
    });
    page.indented(4, Line::of(facts.join(" \u{b7} "), Paint::Plain));
    if let Some(check) = &evidence.check {
        let paint = if check.found {
            Paint::Green
        } else {
            Paint::Yellow
        };
        let text = match &check.sha256 {
            Some(sha256) => format!("{} (sha256 {sha256})", check.text),
            None => check.text.clone(),
        };
        page.indented(4, Line::of(text, paint));
    }
    if let Some(via) = &item.via {
        let read_in = match evidence.via {
            Some(index) => source_ref(checked, index),
            None => Line::of(format!("[{}]", one_line(&via.value)), Paint::Dim),
        };
        page.put(Line::of("    read in: ", Paint::Plain), read_in);
    }
    if let Some(page_number) = &item.page {
        page.labelled(
            4,
            "page: ",
            Line::of(page_number.value.to_string(), Paint::Plain),
        );
    }
    if let Some(locator) = &item.locator {
        page.labelled(4, "locator: ", Line::of(one_line(locator), Paint::Plain));
    }
    if let Some(n) = item.credibility {
        page.labelled(
            4,
            "credibility: ",
            Line::of(format!("{n}, {}", wording::credibility(n)), Paint::Plain),
        );
    }
    if evidence.own_words
        && let Some(claimant) = &view.summary.claim.claimant
    {
        page.put(
            Line::of("    own words: ", Paint::Bold),
            Line::of("this source is by the claimant, ", Paint::Bold)
                .with(entity_ref(checked, &claimant.value).text(), Paint::Bold),
        );
    }
    if let Some(note) = &item.note {
        for (i, paragraph) in paragraphs(note).into_iter().enumerate() {
            let label = if i == 0 { "note: " } else { "      " };
            page.labelled(4, label, Line::of(paragraph, Paint::Plain));
        }
    }
}

fn source(checked: &Checked, index: usize, width: Option<usize>) -> Vec<Line> {
    let view = views::source(checked, index);
    let s = view.source;
    let mut page = Page::new(width);
    page.title("source", &s.id.value, &s.title);
    page.optional("kind", Some(s.kind.as_str()));
    page.optional("publisher", s.publisher.as_deref());
    if let Some(by) = &s.by {
        page.field("by", entity_ref(checked, &by.value));
    }
    page.optional("author", s.author.as_deref());
    page.optional("published", s.published.map(|d| d.to_string()));
    page.optional("accessed", s.accessed.map(|d| d.to_string()));
    page.optional("language", s.language.as_deref());
    page.field(
        "reliability",
        match s.reliability {
            Some(r) => Line::of(format!("{r}, {}", wording::reliability(r)), Paint::Plain),
            None => Line::of("not graded", Paint::Dim),
        },
    );
    page.optional("url", s.url.as_ref().map(|u| &u.value));
    for archive in s.archives() {
        let url = match archive.captured {
            Some(date) => format!("{} (captured {date})", archive.url.value),
            None => archive.url.value.clone(),
        };
        page.optional("archive url", Some(url));
    }
    page.optional("doi", s.doi.as_ref().map(|d| &d.value));
    page.optional("import key", s.import_key.as_ref().map(|k| &k.value));
    if let Some((date, found)) = views::links_checked(checked, s) {
        page.optional("links checked", Some(format!("{date}: {found}")));
    }
    for copy in s.copies() {
        let path = match views::copy_note(&copy) {
            Some(note) => format!("{} ({note})", copy.path.value),
            None => copy.path.value.clone(),
        };
        page.optional("file", Some(path));
        page.optional("sha256", copy.sha256.map(|h| &h.value));
    }
    if let Some(notes) = &s.notes {
        page.text_field("notes", notes);
    }
    page.sensitive(s.sensitive);

    for (name, list) in [
        ("Cites", view.cites.as_slice()),
        ("Cited by", view.cited_by),
    ] {
        page.section(name, list.len());
        for &i in list {
            page.item(source_ref(checked, i));
        }
    }

    page.heading("Origins");
    if view.is_origin {
        page.indented(
            2,
            Line::of("an origin itself: it cites no other source", Paint::Plain),
        );
    } else {
        page.indented(
            2,
            Line::of(
                format!("traces back to: {}", source_ids(checked, view.origins)),
                Paint::Plain,
            ),
        );
    }

    page.section("Claims it bears on", view.bearings.len());
    for b in &view.bearings {
        let mut how: Vec<&str> = b.stances.iter().map(|s| s.as_str()).collect();
        if b.appearance {
            how.push("appearance");
        }
        page.put(
            Line::of(format!("  - {}: ", how.join(", ")), Paint::Dim),
            claim_ref(checked, b.claim),
        );
    }
    page.lines
}

fn entity(checked: &Checked, index: usize, width: Option<usize>) -> Vec<Line> {
    let view = views::entity(checked, index);
    let e = view.entity;
    let mut page = Page::new(width);
    page.title("entity", &e.id.value, &e.name);
    page.optional("kind", Some(e.kind.as_str()));
    if !e.aliases.is_empty() {
        let aliases: Vec<String> = e.aliases.iter().map(|a| one_line(a)).collect();
        page.optional("aliases", Some(aliases.join(", ")));
    }
    page.optional("url", e.url.as_ref().map(|u| &u.value));
    if let Some(description) = &e.description {
        page.text_field("description", description);
    }
    page.sensitive(e.sensitive);

    let links = &view.links;
    for (name, list) in [("Claims made", &links.made), ("Claims about", &links.about)] {
        page.section(name, list.len());
        for &c in list {
            page.item(claim_ref(checked, c));
        }
    }
    page.section("Sources produced", links.produced.len());
    for &s in &links.produced {
        page.item(
            source_ref(checked, s).with(format!(" ({})", checked.repo.sources[s].kind), Paint::Dim),
        );
    }
    page.lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::display_width;
    use std::path::Path;

    fn example() -> Checked {
        match crate::check(Path::new(env!("CARGO_MANIFEST_DIR"))) {
            Ok(checked) => checked,
            Err(err) => panic!("the example case loads: {err:#}"),
        }
    }

    fn page(width: Option<usize>) -> Vec<String> {
        let checked = example();
        let Some(record) = checked.record("hikvision-only-product-provider") else {
            panic!("the example claim exists");
        };
        render(&checked, record, width)
            .iter()
            .map(Line::text)
            .collect()
    }

    #[test]
    fn a_wide_terminal_shows_the_two_sides_beside_each_other() {
        let lines = page(Some(140));
        assert!(lines.iter().all(|l| display_width(l) <= 140));
        let both = lines
            .iter()
            .find(|l| l.starts_with("Supporting evidence"))
            .unwrap_or_else(|| panic!("no supporting heading: {lines:#?}"));
        assert!(both.contains("Contradicting evidence"), "{both}");
        assert!(lines.iter().any(|l| l.contains("own words")));
    }

    #[test]
    fn a_narrow_terminal_wraps_and_puts_one_side_under_the_other() {
        let lines = page(Some(60));
        assert!(lines.iter().all(|l| display_width(l) <= 60), "{lines:#?}");
        let supporting = lines
            .iter()
            .position(|l| l.starts_with("Supporting evidence"));
        let contradicting = lines
            .iter()
            .position(|l| l.starts_with("Contradicting evidence"));
        assert!(supporting < contradicting, "{lines:#?}");
    }

    #[test]
    fn a_pipe_gets_whole_lines() {
        let lines = page(None);
        assert!(lines.iter().any(|l| l.contains(
            "\u{201c}In 2017, Hikvision proudly posted that it had won a $79 million safe city project in Xinjiang's capital of Urumqi, stating the project included about 30,000 cameras and data centers.\u{201d}"
        )));
    }
}
