//! The picture on each claim page, drawn at build time as SVG: the claim at the top,
//! the sources of its evidence below it (grouped and labelled by stance), and under
//! them what those sources cite, layer by layer down to the origins. No JavaScript,
//! no external service; every word in it is escaped.
//!
//! It is made in two steps. [`layout`] places the boxes and the edges and breaks the
//! text of each box into lines, measured by an estimate of how wide the stylesheet's
//! fonts draw each character, so that no text leaves its box; [`draw`] only writes
//! that layout out as SVG.

use crate::Checked;
use crate::graph::{Link, Record};
use crate::model::Stance;
use unicode_width::UnicodeWidthChar;
/// Maps of the few sources in one picture, by index: foldhash, as the id table.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::fmt::Write as _;

const BOX_W: u32 = 190;
const BOX_H: u32 = 64;
const GAP_X: u32 = 24;
const GAP_Y: u32 = 56;
const MARGIN: u32 = 16;
/// Room between a box's edges and its text.
const PAD: u32 = 8;
/// Where a box's label sits, below its top edge.
const LABEL_BASELINE: u32 = 14;
/// Lines of a claim's statement or a source's title in its box.
const TEXT_LINES: usize = 3;
/// Beyond this many sources the picture would be unreadable; the rest is listed as a count.
const MAX_SOURCES: usize = 60;

// Measuring text. The picture's text is in the page's font (`.picture svg` inherits
// the body's `system-ui, … Roboto, "Noto Sans", … Arial, sans-serif`), which the
// build cannot know, so widths are estimated from above: what the widest of those
// fonts draws, DejaVu Sans (the `system-ui` and `sans-serif` of most Linux systems).
// Widths are in thousandths of an em, or of a pixel once multiplied by a font size.

/// The two kinds of text in a box, as the stylesheet sets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// `.claim-graph .k`: 10px, bold, 0.04em letter spacing (CLAIM, SUPPORTS · ORIGIN).
    Label,
    /// `.claim-graph text`: 12px, the statement or the title.
    Text,
}

impl Style {
    /// The font size in px.
    fn size(self) -> u32 {
        match self {
            Style::Label => 10,
            Style::Text => 12,
        }
    }
}

/// Advance widths of printable ASCII (space to `~`) at the regular weight, in
/// thousandths of an em: for each character the wider of DejaVu Sans and Liberation
/// Sans (Arial's metrics), as Chromium draws them, rounded up to the next hundredth.
/// W and M take a whole em, `i` and `l` less than a third.
#[rustfmt::skip]
const ASCII_ADVANCE: [u16; 95] = [
    320, 410, 460, 840, 640, 960, 780, 280, 400, 400, 500, 840, 320, 370, 320, 340, // space to /
    640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 340, 340, 840, 840, 840, 560, // 0 to ?
    1020, 690, 690, 730, 780, 670, 620, 780, 760, 300, 500, 670, 560, 870, 750, 790, // @ to O
    670, 790, 730, 670, 620, 740, 690, 990, 690, 670, 690, 400, 340, 400, 840, 560, // P to _
    500, 620, 640, 550, 640, 620, 360, 640, 640, 280, 280, 580, 280, 980, 640, 620, // ` to o
    640, 640, 420, 530, 400, 640, 600, 820, 600, 600, 530, 640, 340, 640, 840,      // p to ~
];

/// The base letter of each character from U+00C0 to U+017F (Latin-1 letters and Latin
/// Extended-A) whose accents do not widen it, as measured; `?` for the others (Æ, ß,
/// Œ, ľ…), which take the width of their class.
const LATIN_BASE: &[u8; 192] = b"AAAAAA?CEEEEIIII?NOOOOO??UUUUY??aaaaaa?ceeeeiiii?nooooo??uuuuy?yAaAaAaCcCcCcCcDd??EeEeEeEeEeGgGgGgGgHh??IiIiIiIiI???JjKk?LlLlL?????NnNnNn???OoOoOo??RrRrRrSsSsSsSsTtTt??UuUuUuUuUuUuWwYyYZzZzZz?";

/// The same for U+1E00 to U+1EFF (Latin Extended Additional: Vietnamese and others).
const LATIN_ADDITIONAL_BASE: &[u8; 256] = b"AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkL?L?LlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwy??????AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOo?o?o?o?o?oUuUu?u?u?u?u?uYyYyYyYy??????";

/// How wide `c` is drawn at the regular weight, in thousandths of an em, estimated
/// from above, as measured in Chromium. Wide (East Asian) characters take one em, as
/// CJK fonts draw them, and emoji a little more; letters of other scripts go by case.
fn advance(c: char) -> u32 {
    let code = u32::from(c);
    if let Some(&width) = code
        .checked_sub(0x20)
        .and_then(|i| ASCII_ADVANCE.get(usize::try_from(i).ok()?))
    {
        return u32::from(width);
    }
    let base = match code {
        0xC0..=0x17F => LATIN_BASE.get(usize::try_from(code - 0xC0).unwrap_or(usize::MAX)),
        0x1E00..=0x1EFF => {
            LATIN_ADDITIONAL_BASE.get(usize::try_from(code - 0x1E00).unwrap_or(usize::MAX))
        }
        _ => None,
    };
    if let Some(&base) = base
        && base != b'?'
    {
        return advance(char::from(base));
    }
    // Roman numerals (Ⅷ), and Canadian syllabics, Ogham and Khmer, whose letters and
    // signs reach 1.65 em.
    if matches!(code, 0x2150..=0x218F | 0x1400..=0x17FF) {
        return 1700;
    }
    match c.width() {
        Some(0) if draws_nothing(code) => 0,
        // Other marks take the box of a missing glyph where no font has them.
        Some(0) => 600,
        Some(2) if matches!(code, 0x2600..=0x27BF | 0x1F000..=0x1FAFF) => 1300,
        Some(2) => 1000,
        _ => match code {
            // Latin-1 signs (« » © °), and dashes, quotes, bullets and the ellipsis.
            0xA0..=0xBF | 0x2010..=0x2027 => 1000,
            // The digraphs DŽ, Lj, Nj, Dz and their cases.
            0x1C4..=0x1CC | 0x1F1..=0x1F3 => 1500,
            // The widest lowercase letters (æ, œ, Cyrillic ѽ, Georgian ლ) are under
            // 1.1 em, capitals (Œ, Ж, Ѽ) under 1.2 em, other letters (Arabic,
            // Thai) under 1.3 em; signs such as ‰ and ‱ reach 1.75 em.
            _ if c.is_lowercase() => 1100,
            _ if c.is_uppercase() => 1200,
            _ if c.is_alphabetic() => 1300,
            _ => 1800,
        },
    }
}

/// Whether a character of no width is drawn as nothing: accents for Latin, Greek and
/// Cyrillic, which the fonts carry, and what is never drawn (variation selectors).
fn draws_nothing(code: u32) -> bool {
    matches!(
        code,
        0x300..=0x34F
            | 0x180B..=0x180E
            | 0x200B..=0x200F
            | 0x2060..=0x206F
            | 0xFE00..=0xFE0F
            | 0xE0000..=0xE0FFF
    )
}

/// How wide `c` is drawn in `style`, in thousandths of a pixel.
fn char_width(c: char, style: Style) -> u32 {
    match style {
        Style::Text => advance(c) * Style::Text.size(),
        // Bold is at most 30% wider than regular in these fonts (I, the most), and
        // the letter spacing adds 0.04 em to every character.
        Style::Label => (advance(c) * 13 / 10 + 40) * Style::Label.size(),
    }
}

/// How wide `text` is drawn in `style`, in thousandths of a pixel.
fn text_width(text: &str, style: Style) -> u32 {
    text.chars()
        .map(|c| char_width(c, style))
        .fold(0, u32::saturating_add)
}

/// How far a line reaches above and below its baseline, in thousandths of an em:
/// Noto Sans, the tallest of the stylesheet's fonts, 1.069 em and 0.293 em.
#[cfg(test)]
const ASCENT: u32 = 1070;
#[cfg(test)]
const DESCENT: u32 = 300;

fn is_wide(c: char) -> bool {
    c.width() == Some(2)
}

/// A word in the pieces a line may end between: each wide character alone (Chinese
/// and Japanese put no spaces between words), with any combining marks after it, and
/// each run of other characters whole.
fn pieces(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        let mut chars = rest.char_indices().skip(1);
        let first = rest.chars().next()?;
        let end = if is_wide(first) {
            chars.find(|(_, c)| c.width() != Some(0))
        } else {
            chars.find(|(_, c)| is_wide(*c))
        }
        .map_or(rest.len(), |(i, _)| i);
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// The longest start of `text` that fits in `room` (thousandths of a pixel), and its width.
fn head_within(text: &str, style: Style, room: u32) -> (&str, u32) {
    let mut used = 0u32;
    for (i, c) in text.char_indices() {
        let width = char_width(c, style);
        if used.saturating_add(width) > room {
            return (&text[..i], used);
        }
        used += width;
    }
    (text, used)
}

/// `text`, made inert as everywhere in the report (what is drawn is what is
/// measured), in at most `max` lines that each fit in `room` (thousandths of a
/// pixel) in `style`, each with its width. Lines break between words and between
/// wide characters; a piece longer than a whole line is cut and ends in `…` (the rest
/// of its word is left out), and so does the last line when text is left over.
fn fit(text: &str, style: Style, room: u32, max: usize) -> Vec<(String, u32)> {
    let shown = crate::text::inert(text);
    let ellipsis = char_width('…', style);
    let space = char_width(' ', style);
    let mut lines: Vec<(String, u32)> = Vec::new();
    let mut line = String::new();
    let mut used = 0u32;
    let mut left_over = false;
    'words: for word in shown.split_whitespace() {
        for (i, piece) in pieces(word).enumerate() {
            let gap = if i == 0 && !line.is_empty() { space } else { 0 };
            let width = text_width(piece, style);
            if used.saturating_add(gap).saturating_add(width) <= room {
                if gap > 0 {
                    line.push(' ');
                }
                line.push_str(piece);
                used += gap + width;
                continue;
            }
            if !line.is_empty() {
                lines.push((std::mem::take(&mut line), used));
                used = 0;
                if lines.len() >= max {
                    left_over = true;
                    break 'words;
                }
            }
            if width <= room {
                line.push_str(piece);
                used = width;
                continue;
            }
            let (head, head_width) = head_within(piece, style, room.saturating_sub(ellipsis));
            let mut cut = String::with_capacity(head.len() + 3);
            cut.push_str(head);
            cut.push('…');
            lines.push((cut, head_width + ellipsis));
            if lines.len() >= max {
                break 'words;
            }
            continue 'words;
        }
    }
    if !line.is_empty() {
        lines.push((line, used));
    }
    if left_over
        && let Some((last, width)) = lines.last_mut()
        && !last.ends_with('…')
    {
        while text_width(last, style).saturating_add(ellipsis) > room && last.pop().is_some() {}
        let kept = last.trim_end().len();
        last.truncate(kept);
        last.push('…');
        *width = text_width(last, style);
    }
    lines
}

// The layout.

/// A rectangle in the picture's units (pixels at its natural size).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rect {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// A line of text: where its baseline starts, its style, and its estimated width in
/// thousandths of a pixel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub text: String,
    pub x: u32,
    pub y: u32,
    pub style: Style,
    pub width: u32,
}

/// A box: the claim, or a source with the page it links to and its full title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node<'a> {
    /// `claim`, the stance of the evidence, or `cited`.
    pub class: &'static str,
    /// The source's id and title; none for the claim.
    pub source: Option<(&'a str, &'a str)>,
    /// 0 for the claim, 1 for evidence, then one more for each citation down.
    pub layer: usize,
    pub rect: Rect,
    /// The label first, then the statement or the title.
    pub lines: Vec<Line>,
}

/// One `<path>` of edges: what they stand for (a stance, or `cites`) and their
/// segments, each from (x, y) to (x, y).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edges {
    pub kind: &'static str,
    pub segments: Vec<[u32; 4]>,
}

/// The whole picture, placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Layout<'a> {
    pub width: u32,
    pub height: u32,
    /// The claim first, then the sources layer by layer.
    pub nodes: Vec<Node<'a>>,
    /// The claim's edges to its evidence first (by stance), then the citations.
    pub edges: Vec<Edges>,
    pub supports: usize,
    pub contradicts: usize,
    pub sources: usize,
    pub depth: usize,
}

/// A box at `rect` with its label and up to [`TEXT_LINES`] lines of `text`.
fn text_box(rect: Rect, label: &str, text: &str) -> Vec<Line> {
    let room = (rect.w - 2 * PAD) * 1000;
    let label = fit(label, Style::Label, room, 1)
        .into_iter()
        .map(|line| (line, Style::Label, LABEL_BASELINE));
    let text = fit(text, Style::Text, room, TEXT_LINES)
        .into_iter()
        .zip((0u32..).map(|i| 29 + 14 * i))
        .map(|(line, y)| (line, Style::Text, y));
    label
        .chain(text)
        .map(|((text, width), style, y)| Line {
            text,
            x: rect.x + PAD,
            y: rect.y + y,
            style,
            width,
        })
        .collect()
}

fn stance_rank(stance: Option<Stance>) -> u8 {
    match stance {
        Some(Stance::Supports) => 0,
        Some(Stance::Context) => 1,
        Some(Stance::Contradicts) => 2,
        None => 3,
    }
}

/// A source in the picture: its layer (1 = cited as evidence) and how the claim uses it.
struct Placed {
    source: usize,
    layer: usize,
    stance: Option<Stance>,
    x: u32,
}

/// Places the picture of claim `index`: its boxes, edges and lines of text.
pub(crate) fn layout(checked: &Checked, index: usize) -> Layout<'_> {
    let g = &checked.graph;
    let repo = &checked.repo;
    let claim = &repo.claims[index];

    // Evidence sources and their stance (the first stance met, by the order above).
    let mut layer_of: HashMap<usize, usize> = HashMap::default();
    let mut stance_of: HashMap<usize, Stance> = HashMap::default();
    for link in g.links_from(Record::Claim(index)) {
        if let (Link::Evidence(stance), Record::Source(s)) = link {
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
        for t in g.cited(s) {
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
    let at = |x: u32, y: u32| Rect {
        x,
        y,
        w: BOX_W,
        h: BOX_H,
    };
    let claim_rect = at((width - BOX_W) / 2, MARGIN);
    let mut nodes = vec![Node {
        class: "claim",
        source: None,
        layer: 0,
        rect: claim_rect,
        lines: text_box(claim_rect, "CLAIM", &claim.statement),
    }];
    let mut position: HashMap<usize, Rect> = HashMap::default();
    let origins_of_claim = &checked.analysis.claims[index].origins;
    for row in &rows {
        let left = row_left(row.len());
        for p in row {
            let rect = at(
                left + p.x * (BOX_W + GAP_X),
                MARGIN + u32::try_from(p.layer).unwrap_or(0) * (BOX_H + GAP_Y),
            );
            position.insert(p.source, rect);
            let source = &repo.sources[p.source];
            let (class, mut label) = match p.stance {
                Some(s) => (s.as_str(), s.as_str().to_uppercase()),
                None => ("cited", "CITED".to_owned()),
            };
            if origins_of_claim
                .weighed()
                .iter()
                .any(|(_, set)| set.contains(&p.source))
            {
                label.push_str(" · ORIGIN");
            }
            nodes.push(Node {
                class,
                source: Some((source.id.value.as_str(), source.title.as_str())),
                layer: p.layer,
                rect,
                lines: text_box(rect, &label, &source.title),
            });
        }
    }

    // From the middle of one box's bottom edge to the middle of another's top edge.
    let down = |from: Rect, to: Rect| [from.x + from.w / 2, from.y + from.h, to.x + to.w / 2, to.y];
    let mut edges: Vec<Edges> = [Stance::Supports, Stance::Context, Stance::Contradicts]
        .into_iter()
        .map(|stance| Edges {
            kind: stance.as_str(),
            segments: rows
                .iter()
                .flatten()
                .filter(|p| p.stance == Some(stance))
                .map(|p| down(claim_rect, position[&p.source]))
                .collect(),
        })
        .filter(|e| !e.segments.is_empty())
        .collect();
    cite_edges.sort_unstable();
    edges.extend(cite_edges.iter().map(|(s, t)| Edges {
        kind: "cites",
        segments: vec![down(position[s], position[t])],
    }));

    let count = |stance: Stance| stance_of.values().filter(|s| **s == stance).count();
    Layout {
        width,
        height,
        nodes,
        edges,
        supports: count(Stance::Supports),
        contradicts: count(Stance::Contradicts),
        sources: layer_of.len(),
        depth,
    }
}

/// Appends text for the picture: escaped, and direction overrides or invisible
/// characters shown as visible escapes, as everywhere in the report.
fn push_escaped(out: &mut String, text: &str) {
    let _ = crate::text::write_html(out, text);
}

/// Whether a box shows the whole of `title`: every character of it is drawn, in
/// order, and only whitespace (where lines break) is left out.
fn shows_whole(lines: &[Line], title: &str) -> bool {
    let drawn = lines
        .iter()
        .filter(|line| line.style == Style::Text)
        .flat_map(|line| line.text.chars())
        .filter(|c| !c.is_whitespace());
    crate::text::inert(title)
        .chars()
        .filter(|c| !c.is_whitespace())
        .eq(drawn)
}

/// Writes `layout` out as SVG. Links lead to the source pages, relative to a page one
/// folder down (`claims/ID.html`).
///
/// The picture is written lean, for it is on every claim page: each node (the
/// claim's group, or a source's link) is moved to where its text starts, so that its
/// lines have short coordinates of their own; every node draws the one box defined
/// once (`<use>`), filled and stroked as the stylesheet sets the node's stance; the
/// text's size and colour come from the stylesheet too (`.claim-graph text`, and `.k`
/// for the label); a node has a `<title>` with the source's full title only when its
/// lines leave some of it out; and the arrowhead is defined only when an edge uses it.
pub(crate) fn draw(layout: &Layout<'_>) -> String {
    let Layout { width, height, .. } = *layout;
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        r#"<svg class="claim-graph" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-labelledby="graph-title" aria-describedby="graph-desc">"#
    );
    let _ = write!(
        svg,
        r#"<title id="graph-title">Evidence graph of the claim</title><desc id="graph-desc">{} supporting and {} contradicting sources, {} sources in all including what they cite, in {} layers.</desc>"#,
        layout.supports, layout.contradicts, layout.sources, layout.depth
    );
    // One box, drawn by every node through `<use>`: its fill and stroke come from
    // the node, as the stylesheet sets them by stance.
    let _ = write!(
        svg,
        r#"<defs><rect id="box" x="-{PAD}" y="-{LABEL_BASELINE}" width="{BOX_W}" height="{BOX_H}" rx="6"/>"#
    );
    if layout.edges.iter().any(|edges| edges.kind == "cites") {
        svg.push_str(r##"<marker id="arrow" refX="6.3" refY="3.5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L7 3.5L0 7z" fill="#6e7781"/></marker>"##);
    }
    svg.push_str("</defs>");

    // Edges first, so that boxes sit on top of them: one path per stance from the
    // claim down to its evidence, and one per citation (each ends in an arrow, which
    // the stylesheet adds). Their meaning is in the colours and in the boxes' labels.
    for edges in &layout.edges {
        let _ = write!(svg, r#"<path class="e e-{}" d=""#, edges.kind);
        for [x1, y1, x2, y2] in &edges.segments {
            let _ = write!(svg, "M{x1} {y1}L{x2} {y2}");
        }
        svg.push_str(r#""/>"#);
    }

    for node in &layout.nodes {
        let Rect { x, y, .. } = node.rect;
        // The node's origin: where its lines start, on the baseline of its label.
        let left = x + PAD;
        let top = y + LABEL_BASELINE;
        // A source is a link to its page, the claim a group.
        let tag = match node.source {
            Some((id, _)) => {
                svg.push_str(r#"<a href="../sources/"#);
                push_escaped(&mut svg, id);
                svg.push_str(r#".html""#);
                "a"
            }
            None => {
                svg.push_str("<g");
                "g"
            }
        };
        let _ = write!(
            svg,
            r#" class="n {}" transform="translate({left} {top})">"#,
            node.class
        );
        if let Some((_, title)) = node.source
            && !shows_whole(&node.lines, title)
        {
            svg.push_str("<title>");
            push_escaped(&mut svg, title);
            svg.push_str("</title>");
        }
        svg.push_str(r##"<use href="#box"/>"##);
        for line in &node.lines {
            svg.push_str(match line.style {
                Style::Label => r#"<text class="k""#,
                Style::Text => "<text",
            });
            if line.x != left {
                let _ = write!(svg, r#" x="{}""#, i64::from(line.x) - i64::from(left));
            }
            match i64::from(line.y) - i64::from(top) {
                0 => svg.push('>'),
                dy => {
                    let _ = write!(svg, r#" y="{dy}">"#);
                }
            }
            push_escaped(&mut svg, &line.text);
            svg.push_str("</text>");
        }
        let _ = write!(svg, "</{tag}>");
    }
    svg.push_str("</svg>");
    svg
}

/// The picture of claim `index`.
pub fn claim_picture(checked: &Checked, index: usize) -> String {
    draw(&layout(checked, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(text: &str) -> String {
        let mut out = String::new();
        push_escaped(&mut out, text);
        out
    }

    /// The room for text in a box, in thousandths of a pixel.
    const ROOM: u32 = (BOX_W - 2 * PAD) * 1000;

    fn texts(lines: &[(String, u32)]) -> Vec<&str> {
        lines.iter().map(|(text, _)| text.as_str()).collect()
    }

    /// Every line is as wide as said, and fits.
    fn assert_fits(lines: &[(String, u32)], style: Style, room: u32) {
        for (text, width) in lines {
            assert_eq!(*width, text_width(text, style), "{text}");
            assert!(*width <= room, "{text:?} is {width} wide, room {room}");
            assert!(!text.is_empty());
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<script>\"&'"), "&lt;script&gt;&quot;&amp;&#39;");
        assert_eq!(escape("a\u{202e}b"), "a\\u{202e}b");
    }

    #[test]
    fn widths_follow_the_characters() {
        // Wide letters take about an em, narrow ones a third, Chinese exactly one.
        assert!(advance('W') >= 990 && advance('M') >= 860);
        assert!(advance('i') < 300 && advance('l') < 300);
        assert_eq!(advance('乌'), 1000);
        assert_eq!(advance('Ａ'), 1000);
        assert_eq!(advance('\u{301}'), 0);
        assert_eq!(advance('\u{e31}'), 600);
        // Accented letters as their base letter, unless the accent widens them.
        assert_eq!(advance('é'), advance('e'));
        assert_eq!(advance('Ẁ'), advance('W'));
        assert!(advance('ľ') > advance('l'));
        assert!(advance('Œ') >= 1070 && advance('Ж') >= 1080);
        assert!(advance('‱') >= 1740);
        assert_eq!(
            text_width("WWW", Style::Text),
            3 * u32::from(ASCII_ADVANCE[usize::from(b'W' - 0x20)]) * 12
        );
        // Labels are bold and spaced: wider than the same letters in text.
        assert!(char_width('I', Style::Label) * 12 > char_width('I', Style::Text) * 10);
    }

    #[test]
    fn text_wraps_between_words_and_stops_with_an_ellipsis() {
        let two = text_width("one two", Style::Text);
        let lines = fit("one two three", Style::Text, two, 3);
        assert_eq!(texts(&lines), ["one two", "three"]);
        assert_fits(&lines, Style::Text, two);
        assert_eq!(
            texts(&fit("one two three", Style::Text, ROOM, 3)),
            ["one two three"]
        );
        let lines = fit(&"word ".repeat(40), Style::Text, 60_000, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].0.ends_with('…'));
        assert_fits(&lines, Style::Text, 60_000);
        // Wide letters fill a line sooner than narrow ones.
        let wide = fit(&"W".repeat(20), Style::Text, ROOM, 1);
        let narrow = fit(&"i".repeat(40), Style::Text, ROOM, 1);
        assert!(wide[0].0.chars().count() < 16, "{wide:?}");
        assert_eq!(narrow[0].0, "i".repeat(40));
    }

    #[test]
    fn a_very_long_word_is_cut_with_an_ellipsis() {
        let lines = fit(
            "Pneumonoultramicroscopicsilicovolcanoconiosis is a long word",
            Style::Text,
            ROOM,
            3,
        );
        assert_fits(&lines, Style::Text, ROOM);
        assert!(lines[0].0.starts_with("Pneumono") && lines[0].0.ends_with('…'));
        assert_eq!(lines[1].0, "is a long word");
        let lines = fit(&"W".repeat(100), Style::Text, ROOM, 3);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].0.ends_with('…'));
        assert_fits(&lines, Style::Text, ROOM);
    }

    #[test]
    fn chinese_wraps_by_character() {
        let title = "乌鲁木齐市公安局视频监控系统建设项目招标公告及技术要求说明书";
        let lines = fit(title, Style::Text, ROOM, 3);
        assert_fits(&lines, Style::Text, ROOM);
        // 174 px hold 14 characters of 12 px.
        assert_eq!(lines[0].0, "乌鲁木齐市公安局视频监控系统");
        assert_eq!(
            texts(&lines),
            [
                "乌鲁木齐市公安局视频监控系统",
                "建设项目招标公告及技术要求说",
                "明书"
            ]
        );
        // Longer: cut at the end of the third line.
        let twice = title.repeat(2);
        let lines = fit(&twice, Style::Text, ROOM, 3);
        assert_fits(&lines, Style::Text, ROOM);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].0.ends_with('…'));
        let joined: String = lines
            .iter()
            .map(|(text, _)| text.trim_end_matches('…'))
            .collect();
        assert!(twice.starts_with(&joined), "{joined}");
        // Mixed with Latin words, and with a combining mark kept on its character.
        let lines = fit(
            "Ürümqi 乌鲁木齐市公安局视频监控系统建设项目",
            Style::Text,
            ROOM,
            3,
        );
        assert_fits(&lines, Style::Text, ROOM);
        assert!(lines[0].0.starts_with("Ürümqi 乌鲁"), "{lines:?}");
        assert_eq!(
            pieces("乌\u{301}鲁ab").collect::<Vec<_>>(),
            ["乌\u{301}", "鲁", "ab"]
        );
    }

    #[test]
    fn what_is_measured_is_what_is_drawn() {
        // Disguising characters are drawn as visible escapes, so they are measured so.
        let lines = fit("a\u{202e}b", Style::Text, ROOM, 1);
        assert_eq!(texts(&lines), ["a\\u{202e}b"]);
        assert_fits(&lines, Style::Text, ROOM);
    }

    #[test]
    fn huge_text_is_cut_in_time() {
        let started = std::time::Instant::now();
        for text in [
            "x".repeat(4 << 20),
            "word ".repeat(1 << 20),
            "乌".repeat(1 << 20),
        ] {
            let lines = fit(&text, Style::Text, ROOM, 3);
            assert_fits(&lines, Style::Text, ROOM);
            assert!(lines.len() <= 3);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    /// Boxes do not overlap and stay in the picture; every line fits its box, across
    /// and from the top of its tallest letters to the bottom of its lowest; the claim
    /// is at the top and each layer below the one that cites it.
    fn assert_well_placed(layout: &Layout<'_>, what: &str) {
        let nodes = &layout.nodes;
        assert_eq!(nodes[0].class, "claim", "{what}");
        for (i, a) in nodes.iter().enumerate() {
            let r = a.rect;
            assert!(
                r.x + r.w <= layout.width && r.y + r.h <= layout.height,
                "{what}"
            );
            for b in &nodes[i + 1..] {
                let s = b.rect;
                let apart =
                    r.x + r.w <= s.x || s.x + s.w <= r.x || r.y + r.h <= s.y || s.y + s.h <= r.y;
                assert!(apart, "{what}: boxes {r:?} and {s:?} overlap");
            }
            assert_eq!(
                r.y,
                MARGIN + u32::try_from(a.layer).expect("small") * (BOX_H + GAP_Y)
            );
            assert!(
                a.layer >= nodes[0].layer && (i == 0) == (a.layer == 0),
                "{what}"
            );
            assert!(a.lines.len() >= 2, "{what}: a label and some text");
            assert_eq!(a.lines[0].style, Style::Label);
            for line in &a.lines {
                let size = line.style.size();
                assert!(line.x >= r.x, "{what}: {line:?}");
                assert!(
                    line.x * 1000 + line.width <= (r.x + r.w) * 1000,
                    "{what}: {line:?} leaves {r:?}"
                );
                assert_eq!(line.width, text_width(&line.text, line.style));
                assert!(
                    line.y * 1000 >= r.y * 1000 + ASCENT * size,
                    "{what}: {line:?}"
                );
                assert!(
                    line.y * 1000 + DESCENT * size <= (r.y + r.h) * 1000,
                    "{what}: {line:?}"
                );
            }
        }
        let top = |x: u32, y: u32| {
            nodes
                .iter()
                .find(|n| n.rect.x + n.rect.w / 2 == x && n.rect.y == y)
        };
        let bottom = |x: u32, y: u32| {
            nodes
                .iter()
                .find(|n| n.rect.x + n.rect.w / 2 == x && n.rect.y + n.rect.h == y)
        };
        for edges in &layout.edges {
            for &[x1, y1, x2, y2] in &edges.segments {
                let from = bottom(x1, y1).unwrap_or_else(|| panic!("{what}: an edge from no box"));
                let to = top(x2, y2).unwrap_or_else(|| panic!("{what}: an edge to no box"));
                assert!(from.layer < to.layer, "{what}: {edges:?} goes up");
                assert_eq!(edges.kind == "cites", from.layer > 0, "{what}");
            }
        }
        // The order of the layers in the list, too: the claim, then layer by layer.
        assert!(nodes.windows(2).all(|w| w[0].layer <= w[1].layer), "{what}");
    }

    fn example() -> Checked {
        crate::check(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the example case")
    }

    #[test]
    fn the_example_case_is_well_placed() {
        let checked = example();
        assert_eq!(checked.repo.claims.len(), 8);
        for (i, claim) in checked.repo.claims.iter().enumerate() {
            let placed = layout(&checked, i);
            assert!(placed.nodes.len() > 1, "{}", claim.id.value);
            assert_well_placed(&placed, &claim.id.value);
        }
    }

    #[test]
    fn hard_titles_are_well_placed() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir(dir.path().join("claims")).expect("folder");
        std::fs::write(
            dir.path().join("claims/case.yaml"),
            r#"sources:
  - {id: zh, title: 乌鲁木齐市公安局视频监控系统建设项目招标公告及技术要求说明书, cites: [long]}
  - {id: long, title: "The Comprehensive and Extraordinarily Detailed Investigative Report on Worldwide Municipal Surveillance Procurement Contracts", cites: [word]}
  - {id: word, title: Pneumonoultramicroscopicsilicovolcanoconiosis WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW}
  - {id: mixed, title: "Ürümqi 乌鲁木齐 Œuvre ‰ ‱ ЖЩЮ «Ѽ» ＡＢＣＤ１２３４ — “quoted”"}
claims:
  - id: c
    statement: 新疆维吾尔自治区公安厅视频监控系统建设项目由海康威视独家中标并负责运营维护服务长达十年之久
    evidence:
      - {source: zh, stance: supports, quote: q}
      - {source: mixed, stance: contradicts, quote: q}
      - {source: word, stance: context, quote: q}
"#,
        )
        .expect("case written");
        let checked = crate::check(dir.path()).expect("the case loads");
        assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
        let placed = layout(&checked, 0);
        assert_eq!(placed.depth, 3);
        assert_well_placed(&placed, "hard titles");
        let statement = &placed.nodes[0].lines;
        assert_eq!(statement.len(), 1 + TEXT_LINES);
        assert!(statement[TEXT_LINES].text.ends_with('…'));
        // The drawing writes the layout's lines, and nothing else as text.
        let svg = draw(&placed);
        let drawn = svg.matches("<text ").count();
        assert_eq!(
            drawn,
            placed.nodes.iter().map(|n| n.lines.len()).sum::<usize>()
        );
        for line in placed.nodes.iter().flat_map(|n| &n.lines) {
            assert!(svg.contains(&format!(">{}</text>", escape(&line.text))));
        }
        // A source's full title is given as a `<title>` where, and only where, its
        // box leaves some of it out.
        let mut cut = 0;
        for node in &placed.nodes {
            let Some((id, title)) = node.source else {
                continue;
            };
            let whole = shows_whole(&node.lines, title);
            cut += usize::from(!whole);
            assert_eq!(
                svg.contains(&format!("<title>{}</title>", escape(title))),
                !whole,
                "{id}"
            );
        }
        assert!(cut > 0 && cut < placed.nodes.len() - 1, "{cut} titles cut");
    }
}
