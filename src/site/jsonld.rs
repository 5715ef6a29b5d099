//! schema.org `ClaimReview` for claim pages with a verdict, so that fact-checking
//! aggregators can read the researcher's judgement. The rating is on a 1 (false) to
//! 5 (true) scale with the verdict's own word as `alternateName`.

use crate::Checked;
use crate::model::{EntityKind, Verdict};
use serde_json::{Map, Value, json};

fn rating_value(verdict: Verdict) -> Option<u8> {
    match verdict {
        Verdict::False => Some(1),
        Verdict::MostlyFalse => Some(2),
        Verdict::Mixed => Some(3),
        Verdict::MostlyTrue => Some(4),
        Verdict::True => Some(5),
        Verdict::Unproven => None,
    }
}

/// The JSON-LD of claim `index`, ready to sit inside a `<script>` element, or `None`
/// when the claim has no verdict. `review_date` is the build's publication date, when
/// one was asked for.
pub fn claim_review(
    checked: &Checked,
    index: usize,
    base_url: Option<&str>,
    review_date: Option<&str>,
) -> Option<String> {
    let claim = &checked.repo.claims[index];
    let verdict = claim.verdict.as_ref()?.value;
    let page = format!("claims/{}.html", claim.id.value);
    let url = match base_url {
        Some(base) => format!("{}/{page}", base.trim_end_matches('/')),
        None => format!("{}.html", claim.id.value),
    };
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    if let Some(claimant) = &claim.claimant {
        let entity = checked.entity(&claimant.value);
        let kind = match entity.map(|e| e.kind) {
            Some(EntityKind::Person) => "Person",
            _ => "Organization",
        };
        let name = entity.map_or(claimant.value.as_str(), |e| e.name.as_str());
        item.insert("author".into(), json!({"@type": kind, "name": name}));
    }
    if let Some(date) = claim.date {
        item.insert("datePublished".into(), json!(date.to_string()));
    }
    if let Some(appearance) = &claim.appearance
        && let Some(source) = checked.source(&appearance.value)
    {
        let mut work = Map::new();
        work.insert("@type".into(), json!("CreativeWork"));
        work.insert("headline".into(), json!(source.title));
        if let Some(u) = source
            .url
            .as_ref()
            .filter(|u| crate::rules::is_web_url(&u.value))
        {
            work.insert("url".into(), json!(u.value));
        }
        if let Some(publisher) = &source.publisher {
            work.insert(
                "publisher".into(),
                json!({"@type": "Organization", "name": publisher}),
            );
        }
        item.insert("appearance".into(), Value::Object(work));
    }
    let mut rating = Map::new();
    rating.insert("@type".into(), json!("Rating"));
    if let Some(value) = rating_value(verdict) {
        rating.insert("ratingValue".into(), json!(value));
        rating.insert("bestRating".into(), json!(5));
        rating.insert("worstRating".into(), json!(1));
    }
    rating.insert("alternateName".into(), json!(verdict.as_str()));
    let mut review = Map::new();
    review.insert("@context".into(), json!("https://schema.org"));
    review.insert("@type".into(), json!("ClaimReview"));
    review.insert("@id".into(), json!(format!("{url}#claim-review")));
    review.insert("url".into(), json!(url));
    review.insert("claimReviewed".into(), json!(claim.statement));
    review.insert("itemReviewed".into(), Value::Object(item));
    review.insert("reviewRating".into(), Value::Object(rating));
    if let Some(date) = review_date {
        review.insert("datePublished".into(), json!(date));
    }
    let text = serde_json::to_string(&Value::Object(review)).ok()?;
    Some(script_safe(&text))
}

/// JSON that cannot end its `<script>` element or open a comment inside it, with
/// invisible and direction-changing characters written as `\uXXXX` escapes (the same
/// value to a JSON reader, but nothing hidden in the page's source).
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if crate::text::is_disguising(c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}
