//! The example case in `claims/` (Hikvision in Xinjiang) passes `check` and shows what
//! the tool is for: a citation chain and a claimant contradicted by its own words.

use crate::support::corroborate;
use serde_json::Value;
use std::path::Path;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn exported() -> Value {
    let run = corroborate(repository(), &["export"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON")
}

#[test]
fn the_example_case_has_no_errors() {
    let run = corroborate(repository(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let errors: Vec<&Value> = json
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_example_case_has_a_citation_chain() {
    let json = exported();
    let sources = json["sources"].as_array().expect("sources");
    let cites = |s: &Value| s["cites"].as_array().map_or(0, Vec::len);
    // A source that cites a source that itself cites: a chain of two links at least.
    let chain = sources.iter().any(|s| {
        s["cites"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|cited| sources.iter().any(|t| t["id"] == *cited && cites(t) > 0))
    });
    assert!(chain, "no citation chain in the example case");
}

#[test]
fn the_example_case_has_a_claimant_contradicted_by_its_own_words() {
    let json = exported();
    let sources = json["sources"].as_array().expect("sources");
    let by = |id: &Value| {
        sources
            .iter()
            .find(|s| s["id"] == *id)
            .and_then(|s| s["by"].as_str())
    };
    let own_words = json["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .any(|claim| {
            claim["evidence_items"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|item| {
                    item["stance"] == "contradicts"
                        && claim["claimant"].as_str().is_some()
                        && by(&item["source"]) == claim["claimant"].as_str()
                })
        });
    assert!(own_words, "no own-words contradiction in the example case");
    let claim = json["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .find(|c| c["id"] == "hikvision-only-product-provider")
        .expect("the product-provider claim");
    assert_eq!(claim["verdict"], "false");
    assert_eq!(claim["balance"], "contradicted");
}

/// Every quote of the example case stands in the copy of the article it was read in:
/// an edit that breaks a quote (or the pinned copy) fails here.
#[test]
fn every_quote_of_the_example_case_is_verified() {
    let run = corroborate(repository(), &["export", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let mut quotes = 0;
    let unverified: Vec<String> = json["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .flat_map(|claim| {
            claim["evidence_items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |item| (claim, item))
        })
        .filter(|(_, item)| item["quote"].as_str().is_some())
        .inspect(|_| quotes += 1)
        .filter(|(_, item)| item["quote_check"]["status"] != "verified")
        .map(|(claim, item)| {
            format!(
                "{} / {}: {}",
                claim["id"], item["source"], item["quote_check"]
            )
        })
        .collect();
    assert!(quotes > 0, "no quotes in the example case");
    assert!(unverified.is_empty(), "{unverified:#?}");
}
