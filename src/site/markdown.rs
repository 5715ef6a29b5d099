//! Markdown fields (descriptions, notes, verdict notes) as safe HTML: CommonMark with
//! raw HTML dropped, then sanitised so that only plain formatting and http(s) links
//! remain, whatever the text was copied from.

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, Options, Parser};
use std::collections::HashSet;
use std::sync::OnceLock;

fn sanitiser() -> &'static Builder<'static> {
    static SANITISER: OnceLock<Builder<'static>> = OnceLock::new();
    SANITISER.get_or_init(|| {
        let mut builder = Builder::default();
        builder
            .tags(HashSet::from([
                "p",
                "br",
                "hr",
                "em",
                "strong",
                "del",
                "code",
                "pre",
                "blockquote",
                "ul",
                "ol",
                "li",
                "a",
                "h3",
                "h4",
                "h5",
                "h6",
                "table",
                "thead",
                "tbody",
                "tr",
                "th",
                "td",
                "sup",
                "sub",
            ]))
            .generic_attributes(HashSet::new())
            .tag_attributes(std::collections::HashMap::from([(
                "a",
                HashSet::from(["href"]),
            )]))
            .url_schemes(HashSet::from(["http", "https"]))
            .url_relative(UrlRelative::Deny)
            .link_rel(Some("noopener noreferrer nofollow"))
            .strip_comments(true);
        builder
    })
}

/// Renders Markdown to sanitised HTML. Headings become level 3 and below, so that a
/// note never outranks the page's own headings.
pub fn to_html(markdown: &str) -> String {
    // Direction overrides and invisible characters could disguise a link or a name.
    let markdown = crate::text::inert(markdown);
    let parser = Parser::new_ext(
        &markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .filter(|event| !matches!(event, Event::Html(_) | Event::InlineHtml(_)))
    .map(|event| match event {
        Event::Start(pulldown_cmark::Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(pulldown_cmark::Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            Event::End(pulldown_cmark::TagEnd::Heading(demote(level)))
        }
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    sanitiser().clean(&html).to_string()
}

fn demote(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::{H3, H4, H5, H6};
    match level {
        pulldown_cmark::HeadingLevel::H1 => H3,
        pulldown_cmark::HeadingLevel::H2 => H4,
        pulldown_cmark::HeadingLevel::H3 => H5,
        _ => H6,
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn formatting_survives() {
        assert_eq!(
            to_html("Its **own** words, *not* ours."),
            "<p>Its <strong>own</strong> words, <em>not</em> ours.</p>\n"
        );
        assert_eq!(
            to_html("[IPVM](https://ipvm.com/x)"),
            "<p><a href=\"https://ipvm.com/x\" rel=\"noopener noreferrer nofollow\">IPVM</a></p>\n"
        );
    }

    #[test]
    fn raw_html_and_dangerous_links_are_removed() {
        let html = to_html(
            "<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](data:text/html,x) [c](relative.html) <b onclick=x>bold</b>",
        );
        for bad in [
            "<script",
            "<img",
            "onerror",
            "javascript:",
            "data:",
            "relative.html",
            "onclick",
            "<b",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn headings_never_outrank_the_page() {
        assert_eq!(to_html("# Title"), "<h3>Title</h3>\n");
    }
}
