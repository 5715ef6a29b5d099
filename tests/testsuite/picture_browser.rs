//! The claim picture in a real browser: every word drawn in a box stays inside that
//! box, as Chromium lays it out in the font the stylesheet gives the picture. The
//! example case and a repository of Chinese, very long English and wide-letter titles
//! are built and each claim page is measured. Uses the WebDriver client of
//! `browser.rs`, and its rule: the tests are `#[ignore]`d (a plain `cargo test` cannot
//! assume a browser), `.ci/run` runs them, and a missing browser fails them.

use crate::browser::{Driver, screenshots_folder};
use crate::site::build_into;
use crate::support::Scratch;
use std::path::Path;

/// For every `<text>` of every node in the page's picture, how far it reaches outside
/// its box (positive: outside), both in the picture's own units (`getBBox`, in the
/// node's coordinates) and on the screen after the picture is scaled
/// (`getBoundingClientRect`). The box is the node's own `<rect>`, or the shared one it
/// draws with `<use>`.
const MEASURE: &str = r"
const found = [];
for (const node of document.querySelectorAll('svg.claim-graph .n')) {
  const rect = node.querySelector(':scope > rect, :scope > use');
  const box = rect.getBBox();
  const x = box.x, y = box.y, w = box.width, h = box.height;
  const screen = rect.getBoundingClientRect();
  for (const text of node.querySelectorAll('text')) {
    const b = text.getBBox();
    const s = text.getBoundingClientRect();
    const own = Math.max(x - b.x, b.x + b.width - (x + w), y - b.y, b.y + b.height - (y + h));
    const shown = Math.max(screen.left - s.left, s.right - screen.right,
                           screen.top - s.top, s.bottom - screen.bottom);
    found.push({text: text.textContent, over: Math.max(own, shown), right: b.x + b.width - (x + w)});
  }
}
return found;
";

/// Texts that leave their box, each with how far (px).
type Outside = Vec<(String, f64)>;

/// The texts of a page's picture, and those that leave their box.
fn measure(driver: &Driver, url: &str) -> (usize, Outside) {
    driver.open(url);
    let found = driver.script(MEASURE);
    let found = found.as_array().expect("a list of texts");
    let closest = found
        .iter()
        .filter_map(|t| t["right"].as_f64())
        .fold(f64::NEG_INFINITY, f64::max);
    eprintln!(
        "{url}: {} texts, the widest ends {:.2} px inside its box",
        found.len(),
        -closest
    );
    let outside = found
        .iter()
        .filter_map(|t| {
            let over = t["over"].as_f64().expect("a number");
            (over > 0.0).then(|| (t["text"].as_str().unwrap_or("").to_owned(), over))
        })
        .collect();
    (found.len(), outside)
}

/// Opens every claim page of the site built from `repo` and returns, for each page
/// with text outside its box, the page and those texts.
fn claim_pages_with_overflow(
    driver: &Driver,
    repo: &Path,
    shot: &str,
) -> (usize, Vec<(String, Outside)>) {
    let out = Scratch::new();
    let site = out.path().join("site");
    build_into(repo, &site);
    let mut pages: Vec<String> = std::fs::read_dir(site.join("claims"))
        .expect("claims folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html"))
        .collect();
    pages.sort();
    let mut bad = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let url = format!("file://{}/claims/{page}", site.display());
        let (texts, outside) = measure(driver, &url);
        assert!(texts > 2, "{page}: the picture has no text to measure");
        if i == 0 {
            driver.script("document.querySelector('svg.claim-graph').scrollIntoView();");
            driver.screenshot(&screenshots_folder().join(shot));
        }
        if !outside.is_empty() {
            bad.push((page.clone(), outside));
        }
    }
    (pages.len(), bad)
}

/// A case whose titles are hard to fit: Chinese with no spaces to break at, very long
/// English, one very long word, letters as wide as W and M, other scripts and signs.
fn hard_titles() -> Scratch {
    let repo = Scratch::new();
    repo.write(
        "claims/sources.yaml",
        r#"sources:
  - id: zh-tender
    title: 乌鲁木齐市公安局视频监控系统建设项目招标公告及技术要求说明书
    cites: [long-report]
  - id: long-report
    title: The Comprehensive and Extraordinarily Detailed Investigative Report on Worldwide Municipal Surveillance Procurement, Installation, Maintenance and Operation Contracts Awarded Between 2010 and 2020
    cites: [long-word]
  - id: long-word
    title: Pneumonoultramicroscopicsilicovolcanoconiosis-and-Supercalifragilisticexpialidocious WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW
  - id: wide-letters
    title: WMWM WMWMWM MMMM WWWW MWMW WWMM mwmw MMWW WWWWW MMMMM WMW MWM WWW
  - id: mixed
    title: "Ürümqi 乌鲁木齐 Œuvre ‰ ‱ ЖЩЮ «Ѽ» ＡＢＣＤ１２３４ ÆØÅ æøå ßẞ — “quoted” surveillance"
  - id: scripts
    title: "ภาษาไทยที่มีสระ ئۈرۈمچی شەھىرى Ⅷ ‱‱‱‱‱ ǄǄǄǄ ﷽ 👍👍👍 Ǆ̀̀̀ ЩЩЩЩЩЩЩЩЩЩЩЩ"
  - id: disguised
    title: "admin\u202eevil\u200b hidden \u2066isolated\u2069 words"
"#,
    );
    repo.write(
        "claims/claims.yaml",
        r#"claims:
  - id: zh-claim
    statement: 新疆维吾尔自治区公安厅视频监控系统建设项目由海康威视独家中标并负责运营维护服务长达十年之久
    evidence:
      - {source: zh-tender, stance: supports, quote: 招标公告}
      - {source: long-report, stance: contradicts, quote: Report}
      - {source: mixed, stance: context, quote: Mixed}
  - id: long-claim
    statement: Extraordinarily long statements such as this one, with Pneumonoultramicroscopicsilicovolcanoconiosis in them and WWWWWWWWWWWWWWWWWWWWWWWW too, must be cut in the box
    evidence:
      - {source: long-word, stance: contradicts, quote: Word}
      - {source: wide-letters, stance: supports, quote: Wide}
      - {source: zh-tender, stance: supports, quote: 招标}
      - {source: disguised, stance: context, quote: Hidden}
  - id: wide-claim
    statement: WWWWWWWWWWWWWW MMMMMMMMMMMMMM WWWWWWWWWWWWWW MMMMMMMMMMMMMM
    evidence:
      - {source: mixed, stance: contradicts, quote: Mixed}
      - {source: scripts, stance: supports, quote: Scripts}
"#,
    );
    repo
}

#[test]
#[ignore = "needs chromium and chromium-driver; run with .ci/run, or: cargo test -- --ignored picture_browser::"]
fn picture_text_stays_in_its_boxes_with_chinese_and_very_long_titles() {
    let driver = Driver::start();
    let repo = hard_titles();
    let (pages, bad) = claim_pages_with_overflow(&driver, repo.path(), "picture-hard.png");
    assert_eq!(pages, 3);
    assert!(bad.is_empty(), "text outside its box: {bad:#?}");
}

#[test]
#[ignore = "needs chromium and chromium-driver; run with .ci/run, or: cargo test -- --ignored picture_browser::"]
fn picture_text_stays_in_its_boxes_on_the_example_case() {
    let driver = Driver::start();
    let (pages, bad) = claim_pages_with_overflow(
        &driver,
        Path::new(env!("CARGO_MANIFEST_DIR")),
        "picture-example.png",
    );
    assert_eq!(pages, 8, "the example case has 8 claims");
    assert!(bad.is_empty(), "text outside its box: {bad:#?}");
}

/// The measurement itself: a text drawn past its box's edge is caught.
#[test]
#[ignore = "needs chromium and chromium-driver; run with .ci/run, or: cargo test -- --ignored picture_browser::"]
fn text_outside_a_box_would_be_caught() {
    let driver = Driver::start();
    let out = Scratch::new();
    std::fs::write(
        out.path().join("wide.html"),
        r#"<!doctype html><html data-corroborate="ready"><title>x</title><svg class="claim-graph" viewBox="0 0 300 100" width="300" height="100"><g class="n"><rect x="10" y="10" width="100" height="40"/><text x="18" y="30">WWWWWWWWWWWWWWWW</text></g></svg></html>"#,
    )
    .expect("page");
    let (texts, outside) = measure(
        &driver,
        &format!("file://{}/wide.html", out.path().display()),
    );
    assert_eq!(texts, 1);
    assert_eq!(outside.len(), 1, "{outside:?}");
}
