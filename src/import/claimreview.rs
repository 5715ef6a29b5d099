//! ClaimReview, as fact-checkers publish it: JSON-LD (one object, an array, an
//! `@graph`, a `DataFeed` of `DataFeedItem`s), Google's Fact Check Tools API answers
//! (`claims[]` with `claimReview[]`), or an HTML page, whose every
//! `application/ld+json` block is read (through html5ever's tokenizer).
//!
//! Each review becomes a claim (its `claimReviewed`, dated, with `import_key`
//! `claimreview:` and the review's URL), an entity for whoever made the claim
//! (matched to the case's entities by name or alias; "multiple sources", "social
//! media" and the like are no claimant), sources for where the claim appeared, and a
//! source for the review itself, by the fact-checking organisation, attached as
//! `context` evidence whose note keeps the publisher's rating as written. Never a
//! `verdict`: another desk's rating is evidence, not the researcher's judgement.

use crate::model::Date;
use serde_json::Value;

/// One review, as read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Review {
    /// Where it is in the input ("page.html: review 2").
    pub place: String,
    pub url: String,
    pub claim: String,
    pub claim_date: Option<Date>,
    /// Who made the claim: name, and whether a person.
    pub claimant: Option<(String, bool)>,
    /// What the claimant field said when it named no one ("multiple sources").
    pub no_claimant: Option<String>,
    /// Where the claim appeared: URL and title.
    pub appearances: Vec<(String, Option<String>)>,
    pub reviewer: Option<String>,
    pub title: Option<String>,
    pub review_date: Option<Date>,
    pub rating: Option<String>,
    pub language: Option<String>,
}

/// The reviews of a file, the reviews skipped and what was lost of others, with places.
pub type Found = (Vec<Review>, Vec<String>, Vec<String>);

/// The reviews in the file `name`, and what was skipped or lost, with places.
pub fn read(name: &str, bytes: &[u8]) -> Result<Found, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|err| format!("{name} is not UTF-8 text (byte {})", err.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let documents: Vec<Value> = if text.trim_start().starts_with('<') {
        let blocks = json_ld_blocks(text);
        if blocks.is_empty() {
            return Err(format!(
                "{name} is a page without any application/ld+json block"
            ));
        }
        blocks
            .iter()
            .enumerate()
            .map(|(n, block)| {
                serde_json::from_str(block)
                    .map_err(|err| format!("{name}: JSON-LD block {} is not JSON: {err}", n + 1))
            })
            .collect::<Result<_, _>>()?
    } else {
        vec![serde_json::from_str(text).map_err(|err| format!("{name} is not JSON: {err}"))?]
    };
    let mut found = Vec::new();
    for document in &documents {
        collect(document, &mut found, 0);
    }
    let mut reviews = Vec::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    for (n, (review, api_claim)) in found.into_iter().enumerate() {
        let place = format!("{name}: review {}", n + 1);
        match parse(review, api_claim, &place, &mut notes) {
            Ok(review) => reviews.push(review),
            Err(why) => problems.push(format!("{place}: {why}; skipped")),
        }
    }
    if reviews.is_empty() && problems.is_empty() {
        return Err(format!("{name} holds no ClaimReview"));
    }
    Ok((reviews, problems, notes))
}

/// The most levels of nesting looked through for reviews (JSON itself is bounded at
/// 128 by serde_json).
const MAX_DEPTH: usize = 16;

/// Every ClaimReview in `value`, with the Fact Check Tools API's claim around it.
fn collect<'v>(value: &'v Value, out: &mut Vec<(&'v Value, Option<&'v Value>)>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, out, depth + 1)),
        Value::Object(map) => {
            if is_type(value, "ClaimReview") {
                out.push((value, None));
                return;
            }
            // The Fact Check Tools API: {"claims": [{"text", "claimant", "claimReview": [...]}]}.
            if let Some(Value::Array(claims)) = map.get("claims") {
                for claim in claims {
                    if let Some(Value::Array(reviews)) = claim.get("claimReview") {
                        out.extend(reviews.iter().map(|r| (r, Some(claim))));
                    }
                }
                return;
            }
            for key in ["@graph", "dataFeedElement", "item", "mainEntity"] {
                if let Some(inner) = map.get(key) {
                    collect(inner, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn is_type(value: &Value, name: &str) -> bool {
    match value.get("@type") {
        Some(Value::String(t)) => t == name || t.ends_with(&format!("/{name}")),
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            (!s.is_empty()).then_some(s)
        }
        Value::Object(_) => text(value?.get("name")),
        Value::Array(items) => items.iter().find_map(|v| text(Some(v))),
        _ => None,
    }
}

/// A schema.org date (`2019-04-10`, `2019-04-10T08:00:00Z`) as a FORMAT date.
fn date(value: Option<&Value>) -> Option<Date> {
    let text = text(value)?;
    Date::parse(text.get(..10).unwrap_or(&text)).or_else(|| Date::parse(&text))
}

/// Claimant names that name no one.
fn names_no_one(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "multiple sources",
        "various sources",
        "social media",
        "social media users",
        "viral post",
        "viral posts",
        "viral image",
        "viral video",
        "facebook posts",
        "facebook users",
        "twitter users",
        "instagram posts",
        "tiktok videos",
        "whatsapp messages",
        "online posts",
        "bloggers",
        "unknown",
    ]
    .iter()
    .any(|n| lower == *n)
}

fn parse(
    review: &Value,
    api_claim: Option<&Value>,
    place: &str,
    notes: &mut Vec<String>,
) -> Result<Review, String> {
    let url = text(review.get("url"))
        .filter(|u| crate::rules::is_web_url(u))
        .ok_or("it has no http or https `url` to be found by when imported again")?;
    let item = review.get("itemReviewed");
    let claim = text(review.get("claimReviewed"))
        .or_else(|| api_claim.and_then(|c| text(c.get("text"))))
        .ok_or("it has no `claimReviewed`")?;
    let author = item.and_then(|i| i.get("author"));
    let claimant_name = text(author).or_else(|| api_claim.and_then(|c| text(c.get("claimant"))));
    let person = author.is_some_and(|a| is_type(a, "Person"));
    let (claimant, no_claimant) = match claimant_name {
        Some(name) if names_no_one(&name) => (None, Some(name)),
        Some(name) => (Some((name, person)), None),
        None => (None, None),
    };
    let mut appearances = Vec::new();
    for key in ["appearance", "firstAppearance"] {
        let list: Vec<&Value> = match item.and_then(|i| i.get(key)) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        for appearance in list {
            let link = match appearance {
                Value::String(s) => Some(s.clone()),
                other => text(other.get("url")),
            };
            match link {
                Some(link) if crate::rules::is_web_url(&link) => {
                    let title =
                        text(appearance.get("headline")).or_else(|| text(appearance.get("name")));
                    if !appearances.iter().any(|(u, _)| *u == link) {
                        appearances.push((link, title));
                    }
                }
                Some(link) => notes.push(format!(
                    "{place}: the appearance `{}` is not an http or https address; left out",
                    crate::text::shown(&link)
                )),
                None => {}
            }
        }
    }
    let rating = review.get("reviewRating");
    let rating_text = text(rating.and_then(|r| r.get("alternateName")))
        .or_else(|| text(review.get("textualRating")))
        .or_else(|| text(rating.and_then(|r| r.get("name"))));
    let language = text(review.get("inLanguage"))
        .or_else(|| text(review.get("languageCode")))
        .filter(|l| crate::rules::is_language_tag(l));
    Ok(Review {
        place: place.to_owned(),
        url,
        claim,
        claim_date: date(item.and_then(|i| i.get("datePublished")))
            .or_else(|| api_claim.and_then(|c| date(c.get("claimDate")))),
        claimant,
        no_claimant,
        appearances,
        reviewer: text(review.get("author")).or_else(|| text(review.get("publisher"))),
        title: text(review.get("headline"))
            .or_else(|| text(review.get("name")))
            .or_else(|| text(review.get("title"))),
        review_date: date(review.get("datePublished")).or_else(|| date(review.get("reviewDate"))),
        rating: rating_text,
        language,
    })
}

/// The text of every `<script type="application/ld+json">` of a page.
fn json_ld_blocks(page: &str) -> Vec<String> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;

    #[derive(Default)]
    struct State {
        blocks: Vec<String>,
        open: Option<String>,
    }
    struct Sink(RefCell<State>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut state = self.0.borrow_mut();
            match token {
                Token::TagToken(tag) if &*tag.name == "script" => match tag.kind {
                    TagKind::StartTag => {
                        let json = tag.attrs.iter().any(|a| {
                            &*a.name.local == "type"
                                && a.value.trim().eq_ignore_ascii_case("application/ld+json")
                        });
                        state.open = json.then(String::new);
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    }
                    TagKind::EndTag => {
                        if let Some(block) = state.open.take() {
                            state.blocks.push(block);
                        }
                    }
                },
                Token::CharacterTokens(text) => {
                    if let Some(block) = state.open.as_mut() {
                        block.push_str(&text);
                    }
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(State::default())),
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(page));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.take().blocks
}

/// The new records for `reviews` in the case `checked`: a claim for each review not
/// imported before, with the entities and sources it needs that the case lacks.
pub fn plan(
    checked: &crate::check::Checked,
    root: &crate::access::Root,
    reviews: &[Review],
    options: &super::Options,
    max_bytes: u64,
) -> Result<super::Plan, String> {
    use super::{unique, written};
    use std::collections::HashMap;
    let repo = &checked.repo;
    let mut known = super::Known::of(checked);
    let mut sources: HashMap<String, String> = repo
        .sources
        .iter()
        .filter_map(|s| {
            s.url
                .as_ref()
                .map(|u| (u.value.clone(), s.id.value.clone()))
        })
        .collect();
    let (mut new_sources, mut new_claims) = (String::new(), String::new());
    let mut plan = super::Plan::default();
    for review in reviews {
        let key = format!("claimreview:{}", review.url);
        if !known.claim_keys.insert(key.clone()) {
            plan.unchanged += 1;
            continue;
        }
        let claimant = review.claimant.as_ref().map(|(name, person)| {
            known.entity(name, Some(if *person { "person" } else { "organization" }))
        });
        let reviewer = review
            .reviewer
            .as_ref()
            .map(|name| known.entity(name, Some("organization")));
        let mut appearance = None;
        for (url, title) in &review.appearances {
            let id = match sources.get(url) {
                Some(id) => id.clone(),
                None => {
                    let title = title
                        .clone()
                        .unwrap_or_else(|| format!("Where the claim appeared ({url})"));
                    let id = unique(&super::id_from_url(url), &mut known.ids);
                    new_sources.push_str(&format!(
                        "  - id: {id}\n    title: {}\n    kind: website\n    url: {}\n",
                        written("title", &title),
                        written("url", url)
                    ));
                    sources.insert(url.clone(), id.clone());
                    id
                }
            };
            appearance.get_or_insert(id);
        }
        let review_source = match sources.get(&review.url) {
            Some(id) => id.clone(),
            None => {
                let title = review
                    .title
                    .clone()
                    .unwrap_or_else(|| match &review.reviewer {
                        Some(by) => format!("{by}: fact check"),
                        None => "Fact check".to_owned(),
                    });
                let id = unique(&super::id_from_url(&review.url), &mut known.ids);
                let mut text = format!(
                    "  - id: {id}\n    title: {}\n    kind: website\n",
                    written("title", &title)
                );
                if let Some(by) = &review.reviewer {
                    text.push_str(&format!("    publisher: {}\n", written("publisher", by)));
                }
                if let Some(by) = &reviewer {
                    text.push_str(&format!("    by: {by}\n"));
                }
                text.push_str(&format!("    url: {}\n", written("url", &review.url)));
                if let Some(date) = review.review_date {
                    text.push_str(&format!("    published: {date}\n"));
                }
                if let Some(language) = &review.language {
                    text.push_str(&format!(
                        "    language: {}\n",
                        written("language", language)
                    ));
                }
                new_sources.push_str(&text);
                sources.insert(review.url.clone(), id.clone());
                id
            }
        };
        let mut note = match (&review.rating, &review.reviewer) {
            (Some(rating), Some(by)) => format!("Rated \"{rating}\" by {by}."),
            (Some(rating), None) => format!("Rated \"{rating}\" by the fact-checker."),
            (None, Some(by)) => format!("Reviewed by {by}, without a rating."),
            (None, None) => "A fact check, without a rating.".to_owned(),
        };
        if let Some(nobody) = &review.no_claimant {
            note.push_str(&format!(
                " The review names the claimant as \"{nobody}\", which is no one, so the claim has no claimant."
            ));
        }
        // From the statement's words where it has Latin or Cyrillic letters, else
        // from the review's address.
        let words = super::slug(
            &review
                .claim
                .split_whitespace()
                .take(8)
                .collect::<Vec<_>>()
                .join(" "),
            60,
        );
        let base = if words.is_empty() {
            format!("claim-{}", super::id_from_url(&review.url))
        } else {
            words
        };
        let id = unique(&base, &mut known.ids);
        let mut text = format!(
            "  - id: {id}\n    statement: {}\n",
            written("statement", &review.claim)
        );
        if let Some(claimant) = &claimant {
            text.push_str(&format!("    claimant: {claimant}\n"));
        }
        if let Some(date) = review.claim_date {
            text.push_str(&format!("    date: {date}\n"));
        }
        if let Some(appearance) = &appearance {
            text.push_str(&format!("    appearance: {appearance}\n"));
        }
        text.push_str(&format!(
            "    import_key: {}\n",
            written("import_key", &key)
        ));
        text.push_str(&format!(
            "    evidence:\n      - source: {review_source}\n        stance: context\n        note: {}\n",
            written("note", &note)
        ));
        new_claims.push_str(&text);
        plan.added += 1;
    }
    if plan.added > 0 {
        let new_entities = std::mem::take(&mut known.new_entities);
        let lists = [
            ("entities", new_entities),
            ("sources", new_sources),
            ("claims", new_claims),
        ];
        super::add_new_records(&mut plan, root, options, max_bytes, &lists)?;
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_claimreview_is_found() {
        let one = r#"{"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://fullfact.org/a",
            "claimReviewed": "Cameras are only products.", "datePublished": "2019-05-01",
            "author": {"@type": "Organization", "name": "Full Fact"},
            "reviewRating": {"@type": "Rating", "alternateName": "Misleading"},
            "itemReviewed": {"@type": "Claim", "datePublished": "2019-04-10",
                "author": {"@type": "Organization", "name": "Hikvision"},
                "appearance": [{"@type": "CreativeWork", "url": "https://hikvision.com/statement", "headline": "Statement"}]}}"#;
        let (reviews, problems, _) =
            read("a.json", one.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert!(problems.is_empty());
        let r = &reviews[0];
        assert_eq!(r.claim, "Cameras are only products.");
        assert_eq!(r.claimant, Some(("Hikvision".to_owned(), false)));
        assert_eq!(
            r.claim_date.map(|d| d.to_string()).as_deref(),
            Some("2019-04-10")
        );
        assert_eq!(r.rating.as_deref(), Some("Misleading"));
        assert_eq!(
            r.appearances,
            [(
                "https://hikvision.com/statement".to_owned(),
                Some("Statement".to_owned())
            )]
        );
        let feed = format!(
            r#"{{"@type": "DataFeed", "dataFeedElement": [{{"@type": "DataFeedItem", "item": [{one}, {one}]}}]}}"#
        );
        assert_eq!(read("f.json", feed.as_bytes()).map(|r| r.0.len()), Ok(2));
        let graph = format!(r#"{{"@graph": [{{"@type": "WebPage"}}, {one}]}}"#);
        assert_eq!(read("g.json", graph.as_bytes()).map(|r| r.0.len()), Ok(1));
        let api = r#"{"claims": [{"text": "A claim.", "claimant": "Social media users", "claimDate": "2020-03-01T00:00:00Z",
            "claimReview": [{"publisher": {"name": "AFP Fact Check", "site": "factcheck.afp.com"}, "url": "https://factcheck.afp.com/x",
            "title": "No, it is not", "reviewDate": "2020-03-02T00:00:00Z", "textualRating": "False", "languageCode": "en"}]}]}"#;
        let (reviews, _, _) = read("api.json", api.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reviews[0].claimant, None);
        assert_eq!(
            reviews[0].no_claimant.as_deref(),
            Some("Social media users")
        );
        assert_eq!(reviews[0].reviewer.as_deref(), Some("AFP Fact Check"));
        assert_eq!(reviews[0].rating.as_deref(), Some("False"));
        let page = format!(
            "<!doctype html><html><head><script type=\"application/ld+json\">{one}</script><script>var x = 1;</script></head><body>x</body></html>"
        );
        assert_eq!(read("p.html", page.as_bytes()).map(|r| r.0.len()), Ok(1));
        assert!(read("p.html", b"<html><body>no data</body></html>").is_err());
        assert!(read("x.json", b"{\"@type\": \"WebPage\"}").is_err());
    }
}
