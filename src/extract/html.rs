//! The text a reader sees in a web page. html5ever's tokenizer (the WHATWG one, which
//! decodes every character reference as a browser does) is driven with our own sink
//! and no tree builder: text needs no tree, the tokenizer is linear in its input, and it
//! is fed in slices so the deadline is checked as it goes. Dropped: scripts, styles,
//! templates, comments, the fallback content of iframes, noembed and noframes.
//! Kept: `<noscript>` content (what a reader of a saved page or an archive replay with
//! scripts off sees), titles and form text. Block elements and `<br>` end a line; runs of
//! spaces elsewhere become one, as a browser lays them out; `<pre>` keeps its spacing.
//! Not handled: text hidden by CSS or the `hidden` attribute (that needs a tree and styles).

use super::{Ctx, ExtractProblem};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// How many bytes of the page the tokenizer gets at a time, between two looks at the clock.
const SLICE: usize = 64 * 1024;

/// The visible text of the page in `bytes`; `charset` is what the HTTP response said.
pub(super) fn text(
    bytes: &[u8],
    charset: Option<&str>,
    ctx: &mut Ctx,
) -> Result<String, ExtractProblem> {
    let decoded = super::plain::decode_web(bytes, charset);
    visible_text(&decoded, ctx)
}

pub(super) fn visible_text(page: &str, ctx: &Ctx) -> Result<String, ExtractProblem> {
    let sink = Sink {
        state: RefCell::new(State {
            out: String::new(),
            limit: ctx.limits.max_text_bytes,
            full: false,
            dropping: None,
            template_depth: 0,
            pre_depth: 0,
            pending_space: false,
        }),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    let mut rest = page;
    while !rest.is_empty() {
        ctx.tick()?;
        let mut cut = rest.len().min(SLICE);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (slice, after) = rest.split_at(cut);
        rest = after;
        queue.push_back(StrTendril::from_slice(slice));
        // A script result never comes: our sink does not ask for one.
        let _ = tokenizer.feed(&queue);
        if tokenizer.sink.state.borrow().full {
            return Err(ctx.text_limit());
        }
    }
    tokenizer.end();
    let state = tokenizer.sink.state.borrow();
    if state.full {
        return Err(ctx.text_limit());
    }
    Ok(tidy(&state.out))
}

struct Sink {
    state: RefCell<State>,
}

struct State {
    out: String,
    limit: usize,
    full: bool,
    /// Inside an element whose raw content is dropped (`script`, `style`, ...): its name.
    dropping: Option<&'static str>,
    template_depth: usize,
    pre_depth: usize,
    pending_space: bool,
}

/// Elements that end a line before and after them.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "plaintext",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "xmp",
];

/// Raw-text elements whose content a reader does not see.
const DROPPED: &[&str] = &["script", "style", "iframe", "noembed", "noframes"];

impl State {
    fn push_str(&mut self, text: &str) {
        if self.full {
            return;
        }
        if self.out.len().saturating_add(text.len()) > self.limit {
            self.full = true;
            return;
        }
        self.out.push_str(text);
    }

    fn newline(&mut self) {
        self.pending_space = false;
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.push_str("\n");
        }
    }

    fn characters(&mut self, text: &str) {
        if self.dropping.is_some() || self.template_depth > 0 {
            return;
        }
        if self.pre_depth > 0 {
            self.push_str(text);
            return;
        }
        let mut word_start: Option<usize> = None;
        for (at, c) in text.char_indices() {
            if c.is_whitespace() {
                if let Some(start) = word_start.take() {
                    self.word(&text[start..at]);
                }
                self.pending_space = true;
            } else if word_start.is_none() {
                word_start = Some(at);
            }
        }
        if let Some(start) = word_start {
            self.word(&text[start..]);
        }
    }

    fn word(&mut self, word: &str) {
        if self.pending_space && !self.out.is_empty() && !self.out.ends_with('\n') {
            self.push_str(" ");
        }
        self.pending_space = false;
        self.push_str(word);
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        match tag.kind {
            TagKind::StartTag => {
                if self.dropping.is_some() {
                    return TokenSinkResult::Continue;
                }
                if let Some(dropped) = DROPPED.iter().find(|dropped| **dropped == name) {
                    self.dropping = Some(dropped);
                    return TokenSinkResult::RawData(if name == "script" {
                        RawKind::ScriptData
                    } else {
                        RawKind::Rawtext
                    });
                }
                if name == "template" {
                    self.template_depth += 1;
                    return TokenSinkResult::Continue;
                }
                if name == "br" {
                    self.pending_space = false;
                    self.push_str("\n");
                    return TokenSinkResult::Continue;
                }
                if BLOCKS.contains(&name) {
                    self.newline();
                }
                match name {
                    "pre" | "listing" => self.pre_depth += 1,
                    "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
                    "xmp" => {
                        self.pre_depth += 1;
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    "plaintext" => {
                        self.pre_depth += 1;
                        return TokenSinkResult::Plaintext;
                    }
                    _ => {}
                }
            }
            TagKind::EndTag => {
                if let Some(dropped) = self.dropping {
                    if dropped == name {
                        self.dropping = None;
                    }
                    return TokenSinkResult::Continue;
                }
                match name {
                    "template" => self.template_depth = self.template_depth.saturating_sub(1),
                    "pre" | "listing" | "xmp" => self.pre_depth = self.pre_depth.saturating_sub(1),
                    _ => {}
                }
                if BLOCKS.contains(&name) {
                    self.newline();
                }
            }
        }
        TokenSinkResult::Continue
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => state.tag(&tag),
            Token::CharacterTokens(text) => {
                state.characters(&text);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Lines without trailing spaces, no empty lines at the ends.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() && (out.is_empty() || out.ends_with("\n\n")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}
