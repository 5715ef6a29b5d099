//! `corroborate show`: everything about one claim, source or entity, on the terminal:
//! for a claim, both sides of its evidence with what each source is and where it comes
//! from, so that a researcher can weigh it without building the report. Every string
//! from the data is made inert before it is written.

use super::{ColorArgs, Output};
use anyhow::{Result, bail};
use corroborate::Checked;
use corroborate::analysis::WEIGHED;
use corroborate::graph::{Link, Record};
use corroborate::model::{Evidence, Relation, Stance};
use corroborate::terminal::{
    self, Line, Paint, balance_paint, one_line, paragraphs, verdict_paint,
};
use corroborate::text::shown;
use corroborate::wording::{self, plural};
use petgraph::Direction;
use petgraph::visit::EdgeRef;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    about = "Show everything about one claim, source or entity",
    after_help = "A claim shows its verdict and balance, the supporting and the contradicting evidence (side by side\non a terminal of 120 columns or more), context, the independent origins of each side and related\nclaims. A source shows what it cites, what cites it and the claims it bears on; an entity, the\nclaims it made, the claims about it and the sources it produced.\n\nExamples:\n  corroborate show hikvision-only-product-provider\n  corroborate show ipvm-hikvision-xinjiang-analysis\n  corroborate show hikvision | less -R"
)]
pub struct Args {
    /// The id of a claim, source or entity (`corroborate list` lists them)
    #[arg(value_name = "ID")]
    pub id: String,

    #[command(flatten)]
    pub color: ColorArgs,
}

pub fn run(dir: &Path, args: &Args) -> Result<ExitCode> {
    let output = Output::detect(&args.color);
    let checked = corroborate::check(dir)?;
    if let Some(code) = super::stop_on_errors(&checked, "show") {
        return Ok(code);
    }
    let Some(record) = checked.record(&args.id) else {
        let ids = checked.graph.ids.keys().map(String::as_str);
        match corroborate::graph::closest_id(&args.id, ids) {
            Some(near) => bail!(
                "no claim, source or entity has the id `{}`; did you mean `{near}`?",
                shown(&args.id)
            ),
            None => bail!(
                "no claim, source or entity has the id `{}`; `corroborate list claims` (or `sources`, `entities`) lists the ids",
                shown(&args.id)
            ),
        }
    };
    let lines = render(&checked, record, output.width);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in &lines {
        writeln!(out, "{}", output.style.line(line))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

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
    let name = checked.entity(id).map_or(id, |e| e.name.as_str());
    Line::of(one_line(name), Paint::Plain).with(format!(" [{}]", one_line(id)), Paint::Dim)
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
    let claim = &checked.repo.claims[index];
    let facts = &checked.analysis.claims[index];
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
    if let Some(i) = claim
        .appearance
        .as_ref()
        .and_then(|a| checked.source_index(&a.value))
    {
        page.field("appearance", source_ref(checked, i));
    }
    if !claim.tags.is_empty() {
        page.optional("tags", Some(claim.tags.join(", ")));
    }
    let verdict = claim.verdict.as_ref().map(|v| v.value);
    page.field(
        "verdict",
        Line::of(
            verdict.map_or("none given", wording::verdict),
            verdict_paint(verdict),
        ),
    );
    if let Some(note) = &claim.verdict_note {
        page.text_field("", note);
    }
    page.field(
        "balance",
        Line::of(
            wording::balance(facts.balance),
            balance_paint(facts.balance),
        )
        .with(
            format!(
                " (supporting: {}; contradicting: {})",
                wording::side(
                    facts.sources.supports.len(),
                    facts.independent(Stance::Supports)
                ),
                wording::side(
                    facts.sources.contradicts.len(),
                    facts.independent(Stance::Contradicts)
                ),
            ),
            Paint::Plain,
        ),
    );
    if let Some(conflict) = verdict.and_then(|v| wording::verdict_conflict(v, facts.balance)) {
        page.field("", Line::of(format!("! {conflict}"), Paint::Yellow));
    }
    page.sensitive(claim.sensitive);

    page.blank();
    match width {
        Some(w) if w >= SIDE_BY_SIDE => {
            let column = (w - GAP) / 2;
            let left = evidence(checked, index, Stance::Supports, Some(column));
            let right = evidence(checked, index, Stance::Contradicts, Some(column));
            page.lines
                .extend(terminal::side_by_side(&left, &right, column, GAP));
        }
        _ => {
            page.lines
                .extend(evidence(checked, index, Stance::Supports, width));
            page.blank();
            page.lines
                .extend(evidence(checked, index, Stance::Contradicts, width));
        }
    }
    if facts.evidence.context > 0 {
        page.blank();
        page.lines
            .extend(evidence(checked, index, Stance::Context, width));
    }

    page.heading("Origins");
    for stance in WEIGHED {
        let name = if stance == Stance::Supports {
            "supporting"
        } else {
            "contradicting"
        };
        let label = format!("{name:<15}");
        if facts.sources[stance].is_empty() {
            page.labelled(2, &label, Line::of("no evidence", Paint::Dim));
            continue;
        }
        page.labelled(
            2,
            &label,
            Line::of(
                format!(
                    "traces back to: {}",
                    source_ids(checked, &facts.origins[stance])
                ),
                Paint::Plain,
            ),
        );
        if let Some(warning) = wording::shared_origins(
            stance,
            facts.sources[stance].len(),
            facts.independent(stance),
        ) {
            page.labelled(17, "", Line::of(format!("! {warning}"), Paint::Yellow));
        }
    }

    let related = related(checked, index);
    if !related.is_empty() {
        page.heading("Related claims");
        for (label, other) in related {
            page.put(
                Line::of(format!("  {label:<17}"), Paint::Dim),
                claim_ref(checked, other),
            );
        }
    }
    page.lines
}

/// The claim's own links to other claims, then the links from others to it, worded
/// from this claim's side ("contradicts", "contradicted by").
fn related(checked: &Checked, index: usize) -> Vec<(&'static str, usize)> {
    let claim = &checked.repo.claims[index];
    let mut out: Vec<(&'static str, usize)> = claim
        .related
        .iter()
        .filter_map(|r| {
            checked
                .claim_index(&r.claim.value)
                .map(|i| (r.relation.as_str(), i))
        })
        .collect();
    let mut from: Vec<(&'static str, usize)> = checked
        .graph
        .graph
        .edges_directed(checked.graph.claim_node(index), Direction::Incoming)
        .filter_map(|e| match (*e.weight(), checked.graph.record(e.source())) {
            (Link::Related(relation), Record::Claim(i)) => Some((passive(relation), i)),
            _ => None,
        })
        .collect();
    let claims = &checked.repo.claims;
    from.sort_by(|a, b| {
        claims[a.1]
            .id
            .value
            .cmp(&claims[b.1].id.value)
            .then(a.0.cmp(b.0))
    });
    from.dedup();
    out.extend(from);
    out
}

fn passive(relation: Relation) -> &'static str {
    match relation {
        Relation::Supports => "supported by",
        Relation::Contradicts => "contradicted by",
        Relation::Refines => "refined by",
    }
}

/// One stance's evidence items under a heading, in the order they were written.
fn evidence(checked: &Checked, index: usize, stance: Stance, width: Option<usize>) -> Vec<Line> {
    let claim = &checked.repo.claims[index];
    let facts = &checked.analysis.claims[index];
    let mut page = Page::new(width);
    let items: Vec<&Evidence> = claim
        .evidence
        .iter()
        .filter(|e| e.stance == stance)
        .collect();
    let (name, summary) = match WEIGHED.contains(&stance) {
        true => (
            if stance == Stance::Supports {
                "Supporting evidence"
            } else {
                "Contradicting evidence"
            },
            format!(
                "{}, {}",
                plural(items.len(), "item", "items"),
                wording::side(facts.sources[stance].len(), facts.independent(stance))
            ),
        ),
        false => ("Context", plural(items.len(), "item", "items")),
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
        evidence_item(checked, index, item, &mut page);
    }
    page.lines
}

fn evidence_item(checked: &Checked, claim_index: usize, item: &Evidence, page: &mut Page) {
    let claim = &checked.repo.claims[claim_index];
    let source = checked.source_index(&item.source.value);
    let quote = match &item.quote {
        Some(q) => Line::of(format!("\u{201c}{}\u{201d}", one_line(q)), Paint::Plain),
        None => Line::of("(no quote)", Paint::Dim),
    };
    page.put(Line::of("  - ", Paint::Plain), quote);
    if let Some(original) = &item.quote_original {
        page.labelled(
            4,
            "original: ",
            Line::of(
                format!("\u{201c}{}\u{201d}", one_line(original)),
                Paint::Plain,
            ),
        );
    }
    let Some(index) = source else {
        page.indented(
            4,
            Line::of(format!("[{}]", one_line(&item.source.value)), Paint::Dim),
        );
        return;
    };
    let s = &checked.repo.sources[index];
    page.indented(4, source_ref(checked, index));
    let mut facts = vec![s.kind.as_str().to_owned()];
    facts.extend(s.publisher.as_deref().map(one_line));
    facts.extend(s.published.map(|d| d.to_string()));
    facts.push(match s.reliability {
        Some(r) => format!("reliability {r}, {}", wording::reliability(r)),
        None => "reliability not graded".to_owned(),
    });
    page.indented(4, Line::of(facts.join(" \u{b7} "), Paint::Plain));
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
    if let (Some(by), Some(claimant)) = (&s.by, &claim.claimant)
        && by.value == claimant.value
    {
        page.put(
            Line::of("    own words: ", Paint::Bold),
            Line::of("this source is by the claimant, ", Paint::Bold)
                .with(entity_ref(checked, &by.value).text(), Paint::Bold),
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
    let s = &checked.repo.sources[index];
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
    page.optional("archive url", s.archive_url.as_ref().map(|u| &u.value));
    page.optional("file", s.file.as_ref().map(|f| &f.value));
    page.optional("sha256", s.sha256.as_ref().map(|h| &h.value));
    if let Some(notes) = &s.notes {
        page.text_field("notes", notes);
    }
    page.sensitive(s.sensitive);

    let mut cites: Vec<usize> = s
        .cites
        .iter()
        .filter_map(|c| checked.source_index(&c.value))
        .collect();
    cites.sort_by_key(|&i| checked.analysis.source_rank[i]);
    cites.dedup();
    let sections = [
        ("Cites", cites),
        ("Cited by", checked.analysis.cited_by[index].clone()),
    ];
    for (name, list) in sections {
        section_heading(&mut page, name, list.len());
        for i in list {
            page.put(Line::of("  - ", Paint::Plain), source_ref(checked, i));
        }
    }

    page.heading("Origins");
    let origins = &checked.analysis.source_origins[index];
    if origins.as_slice() == [index] {
        page.indented(
            2,
            Line::of("an origin itself: it cites no other source", Paint::Plain),
        );
    } else {
        page.indented(
            2,
            Line::of(
                format!("traces back to: {}", source_ids(checked, origins)),
                Paint::Plain,
            ),
        );
    }

    let bearings = bearings(checked, index);
    section_heading(&mut page, "Claims it bears on", bearings.len());
    for (claim, how) in bearings {
        page.put(
            Line::of(format!("  - {how}: "), Paint::Dim),
            claim_ref(checked, claim),
        );
    }
    page.lines
}

/// "Cites (3)", or "Cites: none".
fn section_heading(page: &mut Page, name: &str, count: usize) {
    if count == 0 {
        page.blank();
        page.lines
            .push(Line::of(format!("{name}: "), Paint::Bold).with("none", Paint::Dim));
    } else {
        page.heading(&format!("{name} ({count})"));
    }
}

/// The claims whose evidence or appearance names the source, by claim id, each with
/// how: its stances, and "appearance" where the claim was made or reported there.
fn bearings(checked: &Checked, index: usize) -> Vec<(usize, String)> {
    checked
        .bearings(index)
        .into_iter()
        .map(|b| {
            let mut how: Vec<&str> = b.stances.iter().map(|s| s.as_str()).collect();
            if b.appearance {
                how.push("appearance");
            }
            (b.claim, how.join(", "))
        })
        .collect()
}

fn entity(checked: &Checked, index: usize, width: Option<usize>) -> Vec<Line> {
    let e = &checked.repo.entities[index];
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

    let links = checked.entity_links(index);
    let (made, about, produced) = (links.made, links.about, links.produced);
    for (name, list) in [("Claims made", made), ("Claims about", about)] {
        section_heading(&mut page, name, list.len());
        for c in list {
            page.put(Line::of("  - ", Paint::Plain), claim_ref(checked, c));
        }
    }
    section_heading(&mut page, "Sources produced", produced.len());
    for s in produced {
        page.put(
            Line::of("  - ", Paint::Plain),
            source_ref(checked, s).with(format!(" ({})", checked.repo.sources[s].kind), Paint::Dim),
        );
    }
    page.lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Checked {
        match corroborate::check(Path::new(env!("CARGO_MANIFEST_DIR"))) {
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
        assert!(lines.iter().all(|l| terminal::display_width(l) <= 140));
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
        assert!(
            lines.iter().all(|l| terminal::display_width(l) <= 60),
            "{lines:#?}"
        );
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
