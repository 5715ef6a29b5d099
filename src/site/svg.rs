//! The picture on each claim page, drawn at build time as SVG: the claim at the top,
//! the sources of its evidence below it (grouped and labelled by stance), and under
//! them what those sources cite, layer by layer down to the origins. No JavaScript,
//! no external service; every word in it is escaped.

use crate::Checked;
use crate::graph::{Link, Record};
use crate::model::Stance;
use petgraph::visit::EdgeRef;
/// Maps of the few sources in one picture, by index: foldhash, as the id table.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::fmt::Write as _;

const BOX_W: u32 = 190;
const BOX_H: u32 = 64;
const GAP_X: u32 = 24;
const GAP_Y: u32 = 56;
const MARGIN: u32 = 16;
/// Beyond this many sources the picture would be unreadable; the rest is listed as a count.
const MAX_SOURCES: usize = 60;

/// A source in the picture: its layer (1 = cited as evidence) and how the claim uses it.
struct Placed {
    source: usize,
    layer: usize,
    stance: Option<Stance>,
    x: u32,
}

/// Appends text for the picture: escaped, and direction overrides or invisible
/// characters shown as visible escapes, as everywhere in the report.
fn push_escaped(out: &mut String, text: &str) {
    let _ = crate::text::write_html(out, text);
}

/// The first `width` characters of `word`, and how many characters that is.
fn head(word: &str, width: usize) -> (&str, usize) {
    if word.len() <= width {
        // Byte length bounds the character count; a count is needed all the same.
        return (word, word.chars().count());
    }
    match word.char_indices().nth(width) {
        Some((end, _)) => (&word[..end], width),
        None => (word, word.chars().count()),
    }
}

/// Splits text into at most `lines` lines of about `width` characters, with an
/// ellipsis when it does not fit.
fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    // Characters in `current`, kept rather than counted again at every word.
    let mut count = 0usize;
    for word in text.split_whitespace() {
        let (word, chars) = head(word, width);
        if count > 0 && count + 1 + chars > width {
            out.push(std::mem::take(&mut current));
            count = 0;
            if out.len() == lines {
                break;
            }
        }
        if count > 0 {
            current.push(' ');
            count += 1;
        }
        current.push_str(word);
        count += chars;
    }
    if out.len() < lines && !current.is_empty() {
        out.push(current);
    } else if out.len() == lines
        && let Some(last) = out.last_mut()
    {
        let (kept, _) = head(last, width.saturating_sub(1));
        let mut cut = String::with_capacity(kept.len() + 3);
        cut.push_str(kept);
        cut.push('…');
        *last = cut;
    }
    out
}

fn stance_rank(stance: Option<Stance>) -> u8 {
    match stance {
        Some(Stance::Supports) => 0,
        Some(Stance::Context) => 1,
        Some(Stance::Contradicts) => 2,
        None => 3,
    }
}

/// Draws the picture of claim `index`. Links lead to the source pages, relative to a
/// page one folder down (`claims/ID.html`).
pub fn claim_picture(checked: &Checked, index: usize) -> String {
    let g = &checked.graph;
    let repo = &checked.repo;
    let claim = &repo.claims[index];

    // Evidence sources and their stance (the first stance met, by the order above).
    let mut layer_of: HashMap<usize, usize> = HashMap::default();
    let mut stance_of: HashMap<usize, Stance> = HashMap::default();
    for edge in g.graph.edges(g.claim_node(index)) {
        if let (Link::Evidence(stance), Record::Source(s)) =
            (*edge.weight(), g.record(edge.target()))
        {
            layer_of.insert(s, 1);
            let entry = stance_of.entry(s).or_insert(stance);
            if stance_rank(Some(stance)) < stance_rank(Some(*entry)) {
                *entry = stance;
            }
        }
    }
    // Longest-path layers down the citations (the graph has no cycles once checked),
    // breadth first so that a bounded number of sources is drawn.
    let mut order: Vec<usize> = layer_of.keys().copied().collect();
    order.sort_by_key(|&s| checked.analysis.source_rank[s]);
    let mut queue: std::collections::VecDeque<usize> = order.iter().copied().collect();
    let mut cite_edges: Vec<(usize, usize)> = Vec::new();
    let mut steps = 0usize;
    while let Some(s) = queue.pop_front() {
        steps += 1;
        if steps > 20 * MAX_SOURCES {
            break;
        }
        let layer = layer_of[&s];
        for edge in g.graph.edges(g.source_node(s)) {
            if *edge.weight() != Link::Cites {
                continue;
            }
            let Record::Source(t) = g.record(edge.target()) else {
                continue;
            };
            if !cite_edges.contains(&(s, t)) {
                cite_edges.push((s, t));
            }
            let known = layer_of.get(&t).copied();
            if known.is_none() && layer_of.len() >= MAX_SOURCES {
                continue;
            }
            if known.is_none_or(|l| l < layer + 1) && layer < 12 {
                layer_of.insert(t, layer + 1);
                queue.push_back(t);
            }
        }
    }
    cite_edges.retain(|(s, t)| layer_of.contains_key(s) && layer_of.contains_key(t));

    // Order each layer: evidence by stance then id; deeper layers under their citers.
    let depth = layer_of.values().copied().max().unwrap_or(0);
    let mut rows: Vec<Vec<Placed>> = Vec::new();
    let mut x_of: HashMap<usize, f64> = HashMap::default();
    for layer in 1..=depth {
        let mut members: Vec<usize> = layer_of
            .iter()
            .filter(|(_, l)| **l == layer)
            .map(|(s, _)| *s)
            .collect();
        let key = |s: &usize| -> (u8, i64, usize) {
            let parents: Vec<f64> = cite_edges
                .iter()
                .filter(|(_, t)| t == s)
                .filter_map(|(p, _)| x_of.get(p).copied())
                .collect();
            let centre = if parents.is_empty() {
                0.0
            } else {
                parents.iter().sum::<f64>() / parents.len() as f64
            };
            (
                stance_rank(stance_of.get(s).copied()),
                (centre * 10.0) as i64,
                checked.analysis.source_rank[*s],
            )
        };
        members.sort_by_cached_key(key);
        let row: Vec<Placed> = members
            .into_iter()
            .enumerate()
            .map(|(i, s)| Placed {
                source: s,
                layer,
                stance: stance_of.get(&s).copied(),
                x: u32::try_from(i).unwrap_or(0),
            })
            .collect();
        for p in &row {
            x_of.insert(p.source, f64::from(p.x));
        }
        rows.push(row);
    }

    let widest = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let width = MARGIN * 2 + u32::try_from(widest).unwrap_or(1) * (BOX_W + GAP_X) - GAP_X;
    let width = width.max(BOX_W * 2 + MARGIN * 2);
    let height = MARGIN * 2 + (u32::try_from(depth).unwrap_or(0) + 1) * (BOX_H + GAP_Y) - GAP_Y;
    let row_left = |count: usize| -> u32 {
        let used = u32::try_from(count).unwrap_or(0) * (BOX_W + GAP_X);
        (width - used.saturating_sub(GAP_X).min(width)) / 2
    };
    let mut position: HashMap<usize, (u32, u32)> = HashMap::default();
    for row in &rows {
        let left = row_left(row.len());
        for p in row {
            let x = left + p.x * (BOX_W + GAP_X);
            let y = MARGIN + u32::try_from(p.layer).unwrap_or(0) * (BOX_H + GAP_Y);
            position.insert(p.source, (x, y));
        }
    }
    let claim_x = (width - BOX_W) / 2;
    let claim_y = MARGIN;

    let supports = stance_of
        .values()
        .filter(|s| **s == Stance::Supports)
        .count();
    let contradicts = stance_of
        .values()
        .filter(|s| **s == Stance::Contradicts)
        .count();
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="claim-graph" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="graph-title graph-desc">"#
    );
    let _ = write!(
        svg,
        r#"<title id="graph-title">Evidence graph of the claim</title><desc id="graph-desc">{} supporting and {} contradicting sources, {} sources in all including what they cite, in {} layers.</desc>"#,
        supports,
        contradicts,
        layer_of.len(),
        depth
    );
    svg.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#6e7781"/></marker></defs>"##);

    // Edges first, so that boxes sit on top of them: one path per stance from the
    // claim down to its evidence, and one per citation (each ends in an arrow, which
    // the stylesheet adds). Their meaning is in the colours and in the boxes' labels.
    for stance in [Stance::Supports, Stance::Context, Stance::Contradicts] {
        let mut d = String::new();
        for p in rows.iter().flatten().filter(|p| p.stance == Some(stance)) {
            let (x, y) = position[&p.source];
            let _ = write!(
                d,
                "M{} {}L{} {}",
                claim_x + BOX_W / 2,
                claim_y + BOX_H,
                x + BOX_W / 2,
                y
            );
        }
        if !d.is_empty() {
            let _ = write!(svg, r#"<path class="e e-{}" d="{d}"/>"#, stance.as_str());
        }
    }
    cite_edges.sort_unstable();
    for (s, t) in &cite_edges {
        let ((x1, y1), (x2, y2)) = (position[s], position[t]);
        let _ = write!(
            svg,
            r#"<path class="e e-cites" d="M{} {}L{} {}"/>"#,
            x1 + BOX_W / 2,
            y1 + BOX_H,
            x2 + BOX_W / 2,
            y2
        );
    }

    // The claim.
    let _ = write!(
        svg,
        r#"<g class="n claim"><rect x="{claim_x}" y="{claim_y}" width="{BOX_W}" height="{BOX_H}" rx="6"/>"#
    );
    let _ = write!(
        svg,
        r#"<text class="k" x="{}" y="{}">CLAIM</text>"#,
        claim_x + 8,
        claim_y + 14
    );
    for (i, line) in wrap(&claim.statement, 30, 3).iter().enumerate() {
        let _ = write!(
            svg,
            r#"<text class="t" x="{}" y="{}">"#,
            claim_x + 8,
            claim_y + 29 + 14 * u32::try_from(i).unwrap_or(0),
        );
        push_escaped(&mut svg, line);
        svg.push_str("</text>");
    }
    svg.push_str("</g>");

    // The sources.
    let origins_of_claim = &checked.analysis.claims[index].origins;
    for row in &rows {
        for p in row {
            let source = &repo.sources[p.source];
            let (x, y) = position[&p.source];
            let is_origin = origins_of_claim
                .weighed()
                .iter()
                .any(|(_, set)| set.contains(&p.source));
            let (class, mut label) = match p.stance {
                Some(s) => (s.as_str(), s.as_str().to_uppercase()),
                None => ("cited", "CITED".to_owned()),
            };
            if is_origin {
                label.push_str(" · ORIGIN");
            }
            svg.push_str(r#"<a href="../sources/"#);
            push_escaped(&mut svg, &source.id.value);
            let _ = write!(svg, r#".html"><g class="n {class}"><title>"#);
            push_escaped(&mut svg, &source.title);
            let _ = write!(
                svg,
                r#"</title><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6"/><text class="k" x="{}" y="{}">{label}</text>"#,
                x + 8,
                y + 14,
            );
            for (i, line) in wrap(&source.title, 30, 3).iter().enumerate() {
                let _ = write!(
                    svg,
                    r#"<text class="t" x="{}" y="{}">"#,
                    x + 8,
                    y + 29 + 14 * u32::try_from(i).unwrap_or(0),
                );
                push_escaped(&mut svg, line);
                svg.push_str("</text>");
            }
            svg.push_str("</g></a>");
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::{push_escaped, wrap};

    fn escape(text: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, text);
        out
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<script>\"&'"), "&lt;script&gt;&quot;&amp;&#39;");
        assert_eq!(escape("a\u{202e}b"), "a\\u{202e}b");
    }

    #[test]
    fn long_titles_wrap_and_stop() {
        assert_eq!(wrap("one two three", 8, 3), ["one two", "three"]);
        let lines = wrap(&"word ".repeat(40), 10, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap("abcdefghijkl mn", 5, 2), ["abcde", "mn"]);
        assert_eq!(wrap("ééééé ééééé ééééé", 5, 2), ["ééééé", "éééé…"]);
    }
}
