//! Output in proportion to the input, and templates that cannot run forever. A valid
//! case where 2,000 sources cite one hub of 2,000 origins builds a site and a
//! `data.json` that grow with the data, not with its square; long lists are shown in
//! part with a link to the one place that has them all. A template that loops without
//! end, writes without end or calls itself stops with a template error naming it, in
//! `build` and in `serve`, which recovers once the template is fixed. Each run has a
//! time limit, so that a regression fails instead of hanging, and the memory-heavy
//! ones run under an address-space limit, as in `hostile.rs`.

use crate::site::files;
use crate::support::{Run, Scratch, run_bounded};
use std::path::Path;
use std::time::{Duration, Instant};

/// Far beyond what any of these runs needs: only a hang reaches it.
const HANG: Duration = Duration::from_secs(90);

/// Runs corroborate in `dir` under the memory limit and [`HANG`].
fn run_limited(dir: &Path, args: &[&str]) -> Run {
    run_bounded(dir, args, &[], HANG)
}

/// `build --out site` under the limits.
fn build(repo: &Scratch) -> Run {
    run_limited(repo.path(), &["build", "--out", "site"])
}

/// 2,000 sources `s0..s1999` that each cite `hub`, which cites 2,000 origins
/// `r0..r1999`, and one claim with evidence from every source: about 280 KB.
fn hub_case() -> Scratch {
    const N: usize = 2000;
    let mut text = String::from("sources:\n");
    for i in 0..N {
        text.push_str(&format!(
            "  - {{id: s{i}, title: Source {i}, cites: [hub]}}\n"
        ));
    }
    let roots: Vec<String> = (0..N).map(|i| format!("r{i}")).collect();
    text.push_str(&format!(
        "  - id: hub\n    title: Hub\n    cites: [{}]\n",
        roots.join(", ")
    ));
    for i in 0..N {
        text.push_str(&format!("  - {{id: r{i}, title: Root {i}}}\n"));
    }
    text.push_str(
        "claims:\n  - id: c\n    statement: Everything comes from the hub.\n    evidence:\n",
    );
    for i in 0..N {
        text.push_str(&format!(
            "      - {{source: s{i}, stance: supports, quote: q}}\n"
        ));
    }
    let repo = Scratch::new();
    repo.write("claims/x.yaml", &text);
    repo
}

#[test]
fn a_hub_of_two_thousand_origins_builds_a_site_in_proportion() {
    let repo = hub_case();
    let input = std::fs::metadata(repo.path().join("claims/x.yaml"))
        .expect("input")
        .len();
    assert!(input < 300_000, "{input}");
    let run = build(&repo);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = files(&repo.path().join("site"));
    let total: usize = site.values().map(Vec::len).sum();
    let data = site.get("data.json").map_or(0, Vec::len);
    // Before: a 403 MB site and a 67 MB data.json. Now about 20 MB and 1.2 MB, most of it
    // the 4,001 source pages and the claim's own 2,000 evidence items.
    assert!(total < 40_000_000, "the site is {total} bytes");
    assert!(data < 3_000_000, "data.json is {data} bytes");
    let export = run_limited(repo.path(), &["export"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert!(export.stdout.len() < 3_000_000, "{}", export.stdout.len());
}

/// The text of the site's page at `rel`.
fn page(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|_| panic!("no page {rel}"))
}

/// How many `<a href>` links in `html` end with `target`.
fn links_to(html: &str, target: &str) -> usize {
    html.matches(&format!("{target}\"")).count()
}

#[test]
fn a_long_list_shows_its_start_and_count_and_links_to_the_full_list_given_once() {
    let repo = hub_case();
    let run = build(&repo);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = repo.path().join("site");

    // A source that shares the hub's origins names 50 of them, says how many more, and
    // links to the hub's list.
    let s5 = page(&site, "sources/s5.html");
    assert!(s5.contains("these 2000 origins"), "{s5}");
    assert!(s5.contains("… and 1950 more"), "{s5}");
    assert_eq!(links_to(&s5, "../lists/hub.origins.html"), 1);
    let named = (0..2000)
        .filter(|i| links_to(&s5, &format!("../sources/r{i}.html")) > 0)
        .count();
    assert_eq!(named, 50);

    // So does the hub for what it cites and what cites it, and the claim for its origins.
    let hub = page(&site, "sources/hub.html");
    for list in ["cites", "cited-by", "origins"] {
        assert_eq!(
            links_to(&hub, &format!("../lists/hub.{list}.html")),
            1,
            "{list}"
        );
    }
    let claim = page(&site, "claims/c.html");
    assert_eq!(links_to(&claim, "../lists/hub.origins.html"), 1);

    // The full list of origins is in one place, paged, with every origin once; no other
    // page names an origin beyond the first 50 except the hub's list of what it cites.
    let all = files(&site);
    let origin_pages: Vec<&str> = all
        .keys()
        .map(String::as_str)
        .filter(|rel| rel.starts_with("lists/hub.origins"))
        .collect();
    assert_eq!(
        origin_pages,
        [
            "lists/hub.origins-2.html",
            "lists/hub.origins-3.html",
            "lists/hub.origins-4.html",
            "lists/hub.origins.html"
        ]
    );
    let listed: usize = origin_pages
        .iter()
        .map(|rel| {
            let html = page(&site, rel);
            (0..2000)
                .map(|i| links_to(&html, &format!("../sources/r{i}.html")))
                .sum::<usize>()
        })
        .sum();
    assert_eq!(listed, 2000);
    assert!(page(&site, "lists/hub.origins.html").contains("2001 sources trace back"));
    let last = "../sources/r999.html";
    let naming_the_last: Vec<&str> = all
        .iter()
        .filter(|(_, bytes)| links_to(&String::from_utf8_lossy(bytes), last) > 0)
        .map(|(rel, _)| rel.as_str())
        .collect();
    assert_eq!(
        naming_the_last,
        ["lists/hub.cites-4.html", "lists/hub.origins-4.html"]
    );

    // data.json gives the hub's origins once; the sources that share them say whose
    // they are.
    let json: serde_json::Value = serde_json::from_str(&page(&site, "data.json")).expect("JSON");
    let sources = json["sources"].as_array().expect("sources");
    let by_id = |id: &str| {
        sources
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(by_id("hub")["origins"].as_array().map(Vec::len), Some(2000));
    assert_eq!(by_id("s5")["same_origins_as"], "hub");
    assert!(by_id("s5").get("origins").is_none());
    assert_eq!(by_id("r5")["origins"], serde_json::json!(["r5"]));
    let claim = &json["claims"][0];
    assert_eq!(claim["independent"]["supports"], 2000);
    assert_eq!(
        claim["origins"]["supports"].as_array().map(Vec::len),
        Some(2000)
    );
}

/// A repository with one claim and an override of `claim.html` whose main block is
/// `body`.
fn with_claim_template(body: &str) -> Scratch {
    let repo = Scratch::new();
    repo.write(
        "claims/x.yaml",
        "sources:\n  - {id: s, title: S}\nclaims:\n  - id: c\n    statement: S.\n    evidence: [{source: s, stance: supports, quote: q}]\n",
    );
    repo.write(
        "templates/claim.html",
        format!("{{% extends \"builtin/claim.html\" %}}\n{body}\n"),
    );
    repo
}

const RUNAWAY: &str = "{% block main %}{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}{% endblock %}";

#[test]
fn a_template_that_never_ends_is_stopped_by_its_budget() {
    let repo = with_claim_template(RUNAWAY);
    let started = Instant::now();
    let run = build(&repo);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[template]: template `claim.html`, line 2: the page took more than")
            && run.stderr.contains("a limit"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("site").exists());
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn a_page_larger_than_the_cap_is_a_template_error() {
    // 70 MB of output from a few steps per 1,000 bytes: the size cap, not the budget.
    let repo = with_claim_template(
        "{% block main %}{% for i in range(70000) %}{{ \"x\" * 1000 }}{% endfor %}{% endblock %}",
    );
    let run = build(&repo);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[template]: template `claim.html`: the page grew past 64 MiB, the most one page may produce (a limit"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_that_calls_or_includes_itself_ends() {
    for body in [
        "{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}{% block main %}{{ again(0) }}{% endblock %}",
        "{% include \"claim.html\" %}",
    ] {
        let repo = with_claim_template("");
        repo.write("templates/claim.html", body);
        let run = build(&repo);
        assert_eq!(run.code, 1, "{body}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("error[template]: template `claim.html`")
                && run.stderr.contains("nest more than 100 levels deep")
                && run.stderr.contains("a limit"),
            "{body}: {}",
            run.stderr
        );
        assert!(run.stderr.len() < 2000, "{}", run.stderr);
    }
}

#[test]
fn serve_shows_a_runaway_template_and_recovers_when_it_is_fixed() {
    let repo = with_claim_template("");
    let server = crate::serve::start(repo.path(), 0);
    assert!(
        crate::serve::get(server.port, "/claims/c.html")
            .1
            .contains("S.")
    );
    // The watcher takes its first look just after the server starts.
    std::thread::sleep(Duration::from_millis(500));
    repo.write(
        "templates/claim.html",
        format!("{{% extends \"builtin/claim.html\" %}}\n{RUNAWAY}\n"),
    );
    crate::serve::wait_until("the template error", || {
        crate::serve::get(server.port, "/claims/c.html")
            .1
            .contains("the page took more than")
    });
    repo.write(
        "templates/claim.html",
        "{% extends \"builtin/claim.html\" %}\n{% block main %}Fixed at last.{% endblock %}\n",
    );
    crate::serve::wait_until("the fixed page", || {
        crate::serve::get(server.port, "/claims/c.html")
            .1
            .contains("Fixed at last.")
    });
}

#[test]
fn every_kind_of_long_list_links_to_its_full_list() {
    // An entity that makes, is the subject of and produced 60 of each; a source that 60
    // claims use; a claim with 60 related claims and 60 origins no source shares.
    let mut text =
        String::from("entities:\n  - {id: e, name: E}\nsources:\n  - {id: p, title: P, by: e}\n");
    for i in 0..60 {
        text.push_str(&format!("  - {{id: q{i}, title: Q{i}, by: e}}\n"));
    }
    text.push_str("claims:\n  - id: big\n    statement: Big.\n    related:\n");
    for i in 0..60 {
        text.push_str(&format!("      - {{claim: k{i}, relation: contradicts}}\n"));
    }
    text.push_str("    evidence:\n");
    for i in 0..60 {
        text.push_str(&format!(
            "      - {{source: q{i}, stance: supports, quote: q}}\n"
        ));
    }
    for i in 0..60 {
        text.push_str(&format!(
            "  - {{id: k{i}, statement: K{i}., claimant: e, about: [e], evidence: [{{source: p, stance: supports, quote: q}}]}}\n"
        ));
    }
    let repo = Scratch::new();
    repo.write("claims/x.yaml", &text);
    let run = build(&repo);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = repo.path().join("site");
    crate::site::check_links_and_safety(&site);
    for (record, list, total) in [
        ("entities/e.html", "e.made", 60),
        ("entities/e.html", "e.about", 60),
        ("entities/e.html", "e.produced", 61),
        ("sources/p.html", "p.claims", 60),
        ("claims/big.html", "big.related", 60),
        ("claims/big.html", "big.supports-origins", 60),
    ] {
        let html = page(&site, record);
        assert_eq!(
            links_to(&html, &format!("../lists/{list}.html")),
            1,
            "{record} links to {list}"
        );
        assert!(
            html.contains(&format!("… and {} more", total - 50)),
            "{record}: {list}"
        );
        let full = page(&site, &format!("lists/{list}.html"));
        assert!(full.contains(&format!("{total} in all.")), "{list}");
        let listing = full
            .split_once("<ul class=\"listing\">")
            .and_then(|(_, rest)| rest.split_once("</ul>"))
            .map_or("", |(items, _)| items);
        assert_eq!(listing.matches("<li>").count(), total, "{list}");
    }
}
