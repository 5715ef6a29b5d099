//! Text for a terminal: colour only when someone is looking (and `NO_COLOR` is not
//! set), lines cut or wrapped to the screen's width in display columns, and every
//! string from the data made inert first, so that a quote can neither rewrite the
//! screen nor break a line that a script reads. The layouts of `show` and `list` are
//! beside this, in [`show`] and [`list`].

pub mod list;
pub mod show;

use crate::model::{Balance, Verdict};
use std::ffi::OsStr;

/// The width assumed for a terminal that does not say how wide it is.
pub const DEFAULT_WIDTH: usize = 100;

/// When to colour the output: `--color auto|always|never`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether to colour. `always` and `never` are the user's word for this run and so beat
/// `NO_COLOR` (as no-color.org asks); `auto` colours a terminal unless `NO_COLOR` has
/// any non-empty value or the terminal is `dumb`.
pub fn use_colour(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<&OsStr>,
    term: Option<&OsStr>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && no_color.is_none_or(OsStr::is_empty) && term.is_none_or(|t| t != "dumb")
        }
    }
}

/// The width to fit output to: `None` in a pipe, where lines are left whole for the
/// program reading them; on a terminal `COLUMNS` when it is a sensible number (an
/// override: shells set it but do not export it), else the terminal's own width
/// (`measured`), else [`DEFAULT_WIDTH`].
pub fn width(is_terminal: bool, columns: Option<&OsStr>, measured: Option<usize>) -> Option<usize> {
    if !is_terminal {
        return None;
    }
    let columns = columns
        .and_then(OsStr::to_str)
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| (20..=1000).contains(&c));
    Some(
        columns
            .or(measured.filter(|&m| m > 0))
            .unwrap_or(DEFAULT_WIDTH),
    )
}

/// The width of the terminal that standard output writes to, if it is one that says.
pub fn stdout_width() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}

/// How a piece of text is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paint {
    Plain,
    Bold,
    Dim,
    Green,
    Red,
    Yellow,
}

impl Paint {
    fn style(self) -> anstyle::Style {
        let colour = |c: anstyle::AnsiColor| anstyle::Style::new().fg_color(Some(c.into()));
        match self {
            Paint::Plain => anstyle::Style::new(),
            Paint::Bold => anstyle::Style::new().bold(),
            Paint::Dim => anstyle::Style::new().dimmed(),
            Paint::Green => colour(anstyle::AnsiColor::Green),
            Paint::Red => colour(anstyle::AnsiColor::Red),
            Paint::Yellow => colour(anstyle::AnsiColor::Yellow),
        }
    }
}

/// Green for what the evidence bears out, red for what it refutes, yellow for a
/// dispute, dim for nothing to go on.
pub fn balance_paint(balance: Balance) -> Paint {
    match balance {
        Balance::Supported => Paint::Green,
        Balance::Contradicted => Paint::Red,
        Balance::Contested => Paint::Yellow,
        Balance::NoEvidence => Paint::Dim,
    }
}

/// The researcher's verdict in the same colours as the balance; no verdict is dim.
pub fn verdict_paint(verdict: Option<Verdict>) -> Paint {
    match verdict {
        Some(Verdict::True | Verdict::MostlyTrue) => Paint::Green,
        Some(Verdict::False | Verdict::MostlyFalse) => Paint::Red,
        Some(Verdict::Mixed) => Paint::Yellow,
        Some(Verdict::Unproven) => Paint::Plain,
        None => Paint::Dim,
    }
}

/// A run of text in one paint. The text is what the screen shows: already inert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub paint: Paint,
}

/// One line of output, made of spans, so that widths can be measured on the text
/// alone and colour added only when the line is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line(pub Vec<Span>);

impl Line {
    pub fn new() -> Line {
        Line(Vec::new())
    }

    /// A line of one span.
    pub fn of(text: impl Into<String>, paint: Paint) -> Line {
        Line::new().with(text, paint)
    }

    pub fn with(mut self, text: impl Into<String>, paint: Paint) -> Line {
        self.0.push(Span {
            text: text.into(),
            paint,
        });
        self
    }

    pub fn width(&self) -> usize {
        self.0.iter().map(|s| display_width(&s.text)).sum()
    }

    pub fn text(&self) -> String {
        self.0.iter().map(|s| s.text.as_str()).collect()
    }

    /// The line broken into lines of at most `width` columns at spaces, each word
    /// keeping its paint; a word longer than a line is split. Runs of spaces become one.
    pub fn wrap(&self, width: usize) -> Vec<Line> {
        let width = width.max(1);
        let mut lines = Vec::new();
        let mut line = Line::new();
        let mut used = 0;
        for word in self.words() {
            let w: usize = word.iter().map(|s| display_width(&s.text)).sum();
            if used > 0 && used + 1 + w <= width {
                line = line.with(" ", Paint::Plain);
                line.0.extend(word);
                used += 1 + w;
                continue;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if w <= width {
                line.0.extend(word);
                used = w;
                continue;
            }
            for span in word {
                for c in span.text.chars() {
                    let cw = char_width(c);
                    if used + cw > width && used > 0 {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push_char(c, span.paint);
                    used += cw;
                }
            }
        }
        if used > 0 || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// The words of the line, each as the spans it is made of: a word may change paint
    /// part-way, as in "(False,".
    fn words(&self) -> Vec<Vec<Span>> {
        let mut words = Vec::new();
        let mut word: Vec<Span> = Vec::new();
        for span in &self.0 {
            for (i, piece) in span.text.split(' ').enumerate() {
                if i > 0 && !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                if !piece.is_empty() {
                    word.push(Span {
                        text: piece.to_owned(),
                        paint: span.paint,
                    });
                }
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        words
    }

    fn push_char(&mut self, c: char, paint: Paint) {
        match self.0.last_mut() {
            Some(last) if last.paint == paint => last.text.push(c),
            _ => self.0.push(Span {
                text: c.to_string(),
                paint,
            }),
        }
    }
}

/// Writes lines with or without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    pub const PLAIN: Style = Style { colour: false };

    /// The text in its paint: wrapped in ANSI codes when colouring, as it is otherwise.
    pub fn paint(&self, text: &str, paint: Paint) -> String {
        let style = paint.style();
        if self.colour && !text.is_empty() && style != anstyle::Style::new() {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    /// Standard output for lines of this style: escape codes pass when colouring
    /// (translated for a Windows console that does not read them), and none are
    /// written otherwise.
    pub fn stdout(&self) -> anstream::AutoStream<std::io::StdoutLock<'static>> {
        let choice = if self.colour {
            anstream::ColorChoice::Always
        } else {
            anstream::ColorChoice::Never
        };
        anstream::AutoStream::new(std::io::stdout().lock(), choice)
    }

    /// The line as it goes to the terminal, without a trailing newline.
    pub fn line(&self, line: &Line) -> String {
        let mut out = String::new();
        for span in &line.0 {
            out.push_str(&self.paint(&span.text, span.paint));
        }
        // A line that the data starts with `::` would be a workflow command in a CI log.
        match crate::text::no_workflow_commands(&out) {
            std::borrow::Cow::Borrowed(_) => out,
            std::borrow::Cow::Owned(defused) => defused,
        }
    }
}

/// A string from the data as one line of inert text: control characters and bidi
/// overrides escaped, and runs of whitespace (newlines too) made one space, so that
/// every record stays on its own line.
pub fn one_line(text: &str) -> String {
    crate::text::one_line(text, usize::MAX)
}

/// A longer string from the data (a note, a description) as inert paragraphs: a blank
/// line separates paragraphs, and within one, lines are joined as Markdown would.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(one_line)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Columns a character takes on a terminal, by Unicode's East Asian Width: two for wide
/// characters and emoji, none for combining marks and controls.
pub fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Columns a text takes, character by character, as it is wrapped and cut.
pub fn display_width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// The text cut to `width` columns, ending in `…` when something was cut.
pub fn truncate(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        let kept = out.trim_end().len();
        out.truncate(kept);
        out.push('…');
    }
    out
}

/// Two columns of lines printed beside each other, the left one padded to
/// `left_width` and a gap between them.
pub fn side_by_side(left: &[Line], right: &[Line], left_width: usize, gap: usize) -> Vec<Line> {
    let rows = left.len().max(right.len());
    (0..rows)
        .map(|row| {
            let mut line = left.get(row).cloned().unwrap_or_default();
            let pad = (left_width + gap).saturating_sub(line.width());
            if let Some(r) = right.get(row) {
                line = line.with(" ".repeat(pad), Paint::Plain);
                line.0.extend(r.0.iter().cloned());
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_no_color_then_the_terminal() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(use_colour(ColorChoice::Auto, true, None, None));
        assert!(!use_colour(ColorChoice::Auto, false, None, None));
        assert!(!use_colour(ColorChoice::Auto, true, set, None));
        assert!(use_colour(ColorChoice::Auto, true, empty, None));
        assert!(!use_colour(
            ColorChoice::Auto,
            true,
            None,
            Some(OsStr::new("dumb"))
        ));
        assert!(use_colour(ColorChoice::Always, false, set, None));
        assert!(!use_colour(ColorChoice::Never, true, None, None));
    }

    #[test]
    fn width_is_none_in_a_pipe_then_columns_then_the_terminal_then_a_default() {
        assert_eq!(width(false, Some(OsStr::new("80")), Some(60)), None);
        assert_eq!(width(true, Some(OsStr::new("80")), Some(60)), Some(80));
        assert_eq!(width(true, Some(OsStr::new("wide")), Some(60)), Some(60));
        assert_eq!(width(true, None, Some(60)), Some(60));
        assert_eq!(
            width(true, Some(OsStr::new("0")), None),
            Some(DEFAULT_WIDTH)
        );
        assert_eq!(width(true, None, Some(0)), Some(DEFAULT_WIDTH));
        assert_eq!(width(true, None, None), Some(DEFAULT_WIDTH));
    }

    #[test]
    fn painting_adds_codes_only_when_colouring() {
        let colour = Style { colour: true };
        assert_eq!(
            colour.paint("false", Paint::Red),
            "\u{1b}[31mfalse\u{1b}[0m"
        );
        assert_eq!(colour.paint("x", Paint::Plain), "x");
        assert_eq!(Style::PLAIN.paint("false", Paint::Red), "false");
    }

    #[test]
    fn data_text_becomes_one_inert_line() {
        assert_eq!(one_line("a\n  b\tc "), "a b c");
        assert_eq!(one_line("x\u{1b}[2Jy"), "x\\u{1b}[2Jy");
        assert_eq!(one_line("evil\u{202e}txt"), "evil\\u{202e}txt");
        assert_eq!(paragraphs("one\ntwo\n\nthree\n"), ["one two", "three"]);
    }

    #[test]
    fn truncation_counts_columns_and_marks_the_cut() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("exactly10!", 10), "exactly10!");
        assert_eq!(truncate("a longer statement", 10), "a longer…");
        assert_eq!(display_width(&truncate("海康威视海康威视", 7)), 7);
        assert_eq!(truncate("海康威视海康威视", 7), "海康威…");
    }

    #[test]
    fn widths_follow_unicode_for_every_script_and_emoji() {
        // Emoji outside the few blocks a hand-made table knew take two columns.
        assert_eq!(display_width("🚀🧪"), 4);
        assert_eq!(truncate("🚀🚀🚀", 4), "🚀…");
        // Combining marks (Arabic harakat, Thai vowels) take none.
        assert_eq!(display_width("كَتَبَ"), 3);
        assert_eq!(display_width("ที่"), 1);
        for line in Line::of("ئۇيغۇر 🚀🚀 海康威视 كَتَبَ", Paint::Plain).wrap(5)
        {
            assert!(line.width() <= 5, "{line:?}");
        }
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_splits_long_words() {
        let texts = |lines: Vec<Line>| lines.iter().map(Line::text).collect::<Vec<_>>();
        let plain = |text: &str| Line::of(text, Paint::Plain);
        assert_eq!(
            texts(plain("the quick  brown fox jumps").wrap(10)),
            ["the quick", "brown fox", "jumps"]
        );
        assert_eq!(texts(plain("abcdefghij").wrap(4)), ["abcd", "efgh", "ij"]);
        assert_eq!(texts(plain("").wrap(4)), [""]);
        for line in plain("海康威视 is 海康威视海康威视").wrap(6) {
            assert!(line.width() <= 6, "{line:?}");
        }
    }

    #[test]
    fn wrapped_words_keep_their_paint() {
        let line = Line::of("a claim (", Paint::Plain)
            .with("False", Paint::Red)
            .with(", contradicted)", Paint::Plain);
        let wrapped = line.wrap(9);
        assert_eq!(
            wrapped.iter().map(Line::text).collect::<Vec<_>>(),
            ["a claim", "(False,", "contradic", "ted)"]
        );
        assert_eq!(
            Style { colour: true }.line(&wrapped[1]),
            "(\u{1b}[31mFalse\u{1b}[0m,"
        );
    }

    #[test]
    fn columns_are_padded_by_their_text_not_their_codes() {
        let left = [Line::of("ab", Paint::Red), Line::of("abcd", Paint::Plain)];
        let right = [Line::of("x", Paint::Green)];
        let rows = side_by_side(&left, &right, 5, 2);
        assert_eq!(rows[0].text(), "ab     x");
        assert_eq!(rows[1].text(), "abcd");
        assert_eq!(
            Style { colour: true }.line(&rows[0]),
            "\u{1b}[31mab\u{1b}[0m     \u{1b}[32mx\u{1b}[0m"
        );
    }
}
