//! The search at the size of a large archive: 100,000 claims (with 50,000 sources and
//! 5,000 entities), in headless Chromium, opened from disk and over HTTP. Each query
//! must download at most 2 MB (the page, its style and script, and every chunk of the
//! index it loads, counted by the size of the files the browser asked for) and show
//! its results within 300 ms (best of three, or of nine for a query over the time:
//! the machine is shared).
//!
//! Building a 100,000-claim site from YAML takes minutes in a debug build, so the
//! index is made from records generated here, with [`corroborate::site::search::files`]
//! (the function `build` writes it with), into the real site of the example case.
//!
//! Needs chromium and chromium-driver, like the other browser tests: `#[ignore]`d, run
//! by `.ci/run`, or by hand with `cargo test -- --ignored search_browser::`.

use crate::browser::Driver;
use crate::site::build_into;
use crate::support::Scratch;
use corroborate::model::{Balance, Verdict};
use corroborate::site::search::{ClaimDoc, EntityDoc, Input, SourceDoc, files};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// At most this many bytes per query.
const BUDGET: u64 = 2_000_000;
/// Results shown within this many milliseconds.
const WITHIN_MS: f64 = 300.0;

/// A small deterministic generator, so that the corpus is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.next() as usize % list.len()]
    }
}

const COMMON: [&str; 24] = [
    "the", "of", "to", "in", "and", "a", "was", "for", "by", "its", "were", "from", "that", "with",
    "has", "not", "more", "than", "no", "did", "how", "when", "on", "is",
];
const NOUNS: [&str; 40] = [
    "cameras",
    "contract",
    "ministry",
    "bureau",
    "programme",
    "surveillance",
    "facial",
    "recognition",
    "system",
    "checkpoint",
    "scanners",
    "drones",
    "software",
    "network",
    "switches",
    "servers",
    "vans",
    "batteries",
    "meters",
    "report",
    "filing",
    "statement",
    "procurement",
    "notice",
    "police",
    "security",
    "public",
    "transport",
    "interior",
    "finance",
    "customs",
    "administration",
    "council",
    "city",
    "province",
    "region",
    "subsidiary",
    "product",
    "provider",
    "revenue",
];
const VERBS: [&str; 12] = [
    "supplied",
    "installed",
    "sold",
    "stopped",
    "won",
    "paid",
    "owned",
    "denied",
    "said",
    "built",
    "operated",
    "published",
];
const PLACES: [&str; 16] = [
    "urumqi", "kashgar", "hotan", "lhasa", "shenzhen", "beijing", "tashkent", "harare", "quito",
    "nairobi", "manila", "jakarta", "minsk", "caracas", "dakar", "lima",
];
/// Statements in the languages the archives quote.
const OTHER: [&str; 6] = [
    "海康威视向新疆公安厅提供监控摄像头",
    "大华股份中标智慧城市项目",
    "Министерство внутренних дел закупило камеры",
    "وزارة الداخلية اشترت كاميرات المراقبة",
    "ئۈرۈمچى شەھەرلىك ساقچى ئىدارىسى كامېرا سېتىۋالدى",
    "監視カメラの調達契約",
];

/// A company name of two made-up parts: 60 x 40 names, each part a word of its own.
fn company(rng: &mut Lcg) -> String {
    let first = [
        "Hik", "Dah", "Uni", "Sino", "Polar", "Vector", "Orion", "Meridian", "Aegis", "Terra",
    ];
    let second = [
        "vision", "tech", "data", "soft", "core", "path", "grid", "net", "star", "wave",
    ];
    format!(
        "{}{}{}",
        rng.pick(&first),
        rng.pick(&second),
        rng.next() % 6
    )
}

fn corpus() -> Input {
    let mut rng = Lcg(2026);
    let entities: Vec<EntityDoc> = (0..5_000)
        .map(|i| EntityDoc {
            id: format!("entity-{i:05}"),
            name: format!("{} {}", company(&mut rng), rng.pick(&NOUNS)),
            aliases: vec![company(&mut rng)],
        })
        .collect();
    let sources: Vec<SourceDoc> = (0..50_000)
        .map(|i| SourceDoc {
            id: format!("source-{i:05}"),
            title: format!(
                "{} {} {} {} {}",
                rng.pick(&NOUNS),
                rng.pick(&COMMON),
                rng.pick(&NOUNS),
                rng.pick(&PLACES),
                2005 + rng.next() % 20
            ),
            publisher: Some(
                rng.pick(&["Reuters", "Bellingcat", "IPVM", "Xinhua", "RFA"])
                    .to_owned(),
            ),
        })
        .collect();
    let claims: Vec<ClaimDoc> = (0..100_000u32)
        .map(|i| {
            let statement = if i.is_multiple_of(50) {
                rng.pick(&OTHER).to_owned()
            } else {
                let mut words = vec![company(&mut rng), rng.pick(&VERBS).to_owned()];
                for _ in 0..(6 + rng.next() % 8) {
                    let list: &[&str] = if rng.next().is_multiple_of(2) {
                        &COMMON
                    } else {
                        &NOUNS
                    };
                    words.push(rng.pick(list).to_owned());
                }
                words.push(rng.pick(&PLACES).to_owned());
                words.push(format!("in {}.", 2005 + rng.next() % 20));
                words.join(" ")
            };
            let claimant = (!rng.next().is_multiple_of(3)).then(|| {
                let e = &entities[rng.next() as usize % entities.len()];
                (e.id.clone(), e.name.clone())
            });
            ClaimDoc {
                id: format!("claim-{i:06}"),
                statement,
                claimant,
                about: vec![entities[rng.next() as usize % entities.len()].id.clone()],
                balance: Balance::ALL[rng.next() as usize % Balance::ALL.len()],
                verdict: (!rng.next().is_multiple_of(4))
                    .then(|| Verdict::ALL[rng.next() as usize % Verdict::ALL.len()]),
                tags: vec![rng.pick(&NOUNS).to_owned(), rng.pick(&PLACES).to_owned()],
                supports: (1 + rng.next() as usize % 4, 1),
                contradicts: (rng.next() as usize % 3, rng.next() as usize % 2),
            }
        })
        .collect();
    Input {
        claims,
        sources,
        entities,
    }
}

/// The example case's site, with the index of the generated corpus in place of its own.
fn large_site(out: &Scratch) -> PathBuf {
    let site = out.path().join("site");
    build_into(Path::new(env!("CARGO_MANIFEST_DIR")), &site);
    std::fs::remove_dir_all(site.join("search")).expect("the example's index");
    for (rel, bytes) in files(&corpus()) {
        let path = site.join(&rel);
        std::fs::create_dir_all(path.parent().expect("in a folder")).expect("folder");
        std::fs::write(path, bytes).expect("index file");
    }
    site
}

/// Serves the files of `root` over HTTP/1.1 on loopback, one thread per connection,
/// for as long as the test runs.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("free port");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line.split(' ').nth(1).unwrap_or("/").to_owned();
                loop {
                    let mut header = String::new();
                    match reader.read_line(&mut header) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if header.trim().is_empty() => break,
                        Ok(_) => {}
                    }
                }
                let rel = path.split('?').next().unwrap_or("").trim_start_matches('/');
                let mut stream = reader.into_inner();
                let body = (!rel.split('/').any(|p| p == ".."))
                    .then(|| std::fs::read(root.join(rel)).ok())
                    .flatten();
                let _ = match body {
                    // Browsers ask every host for one; the site has none.
                    None if rel == "favicon.ico" => {
                        stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
                    }
                    Some(body) => {
                        let kind = match rel.rsplit('.').next() {
                            Some("html") => "text/html; charset=utf-8",
                            Some("css") => "text/css",
                            Some("js") => "text/javascript; charset=utf-8",
                            _ => "application/octet-stream",
                        };
                        write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .and_then(|()| stream.write_all(&body))
                    }
                    None => stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    ),
                };
            });
        }
    });
    port
}

/// The size on disk of every file the page loaded: the page, its style sheets and its
/// scripts, those the script added to load chunks of the index included. (Chromium
/// keeps no resource timings for `file://`, so they are read from the document.)
fn bytes_loaded(driver: &Driver, base: &str, site: &Path) -> (u64, usize) {
    let names = driver.script(
        "return [location.href]
           .concat(Array.from(document.querySelectorAll('link[rel=stylesheet]'), l => l.href))
           .concat(Array.from(document.querySelectorAll('script[src]'), s => s.src));",
    );
    let mut total = 0;
    let mut count = 0;
    for name in names.as_array().expect("names") {
        let url = name.as_str().expect("a URL");
        let rel = url
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{url} is not in the site"))
            .trim_start_matches('/');
        let rel = rel.split(['?', '#']).next().unwrap_or(rel);
        total += std::fs::metadata(site.join(rel))
            .unwrap_or_else(|_| panic!("{rel} was loaded but is not in the site"))
            .len();
        count += 1;
    }
    (total, count)
}

/// The search page of the site at `base` asked for `q`, every byte percent-encoded.
fn search_url(base: &str, q: &str) -> String {
    let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    format!("{base}/search.html?q={encoded}")
}

/// Opens the search page at `q`, then types the query again and measures how long the
/// page takes from the submit to the results shown.
fn measure(driver: &Driver, base: &str, site: &Path, q: &str) -> (u64, usize, f64, Value) {
    driver.open(&search_url(base, q));
    let (bytes, files) = bytes_loaded(driver, base, site);
    let status = driver.script("return document.getElementById('search-status').textContent;");
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        // A fresh page each time, so that no chunk is loaded already.
        driver.open(&format!("{base}/search.html"));
        let ms = driver.script_async(&format!(
            "const done = arguments[arguments.length - 1];
             const root = document.documentElement;
             const input = document.getElementById('search-page-q');
             const t0 = performance.now();
             new MutationObserver((_, o) => {{
               if (root.getAttribute('data-corroborate') === 'ready') {{ o.disconnect(); done(performance.now() - t0); }}
             }}).observe(root, {{attributes: true}});
             input.value = {q};
             document.getElementById('search-page-form').requestSubmit();",
            q = json!(q)
        ));
        best = best.min(ms.as_f64().expect("milliseconds"));
    }
    (bytes, files, best, status)
}

#[test]
#[ignore = "needs chromium and chromium-driver; run with .ci/run, or: cargo test -- --ignored search_browser::"]
fn a_query_at_100000_claims_loads_little_and_answers_fast() {
    let out = Scratch::new();
    // `CORROBORATE_SEARCH_SITE=DIR` measures a site built by hand instead (the figures
    // of BENCHMARKS.md come from the 100,000-claim corpus of `bench/run.sh` that way).
    let site = match std::env::var_os("CORROBORATE_SEARCH_SITE") {
        Some(dir) => PathBuf::from(dir),
        None => large_site(&out),
    };
    let port = serve(site.clone());
    let _quiet = crate::support::timed();
    let driver = Driver::start();
    let queries = [
        // The commonest words: a chunk each, and the first 100 results.
        "the ministry of",
        // A prefix: every word it begins, over several chunks.
        "surv",
        // A rare pair: few results, spread over the whole archive.
        "hikvision0 quito",
        // A claim by its id.
        "claim-054321",
        // Chinese, Russian, Arabic, Uyghur.
        "监控摄像头",
        "камеры",
        "كاميرات",
        "كامېرا",
    ];
    // And `CORROBORATE_SEARCH_QUERIES=a|b|c` other queries.
    let asked = std::env::var("CORROBORATE_SEARCH_QUERIES").unwrap_or_default();
    let queries: Vec<&str> = if asked.is_empty() {
        queries.to_vec()
    } else {
        asked.split('|').collect()
    };
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (mode, base) in [
        ("file", format!("file://{}", site.display())),
        ("http", format!("http://127.0.0.1:{port}")),
    ] {
        for &q in &queries {
            let (bytes, files, mut ms, status) = measure(&driver, &base, &site, q);
            // The machine is shared: a query over the time is measured again, twice at
            // most, and its best time counts.
            for _ in 0..2 {
                if ms <= WITHIN_MS {
                    break;
                }
                ms = ms.min(measure(&driver, &base, &site, q).2);
            }
            let line =
                format!("{mode} {q:?}: {status}; {bytes} bytes in {files} files; {ms:.0} ms");
            if bytes > BUDGET
                || ms > WITHIN_MS
                || !status.as_str().is_some_and(|s| s.contains("result"))
            {
                failures.push(line.clone());
            }
            report.push(line);
        }
    }
    // The figures, for BENCHMARKS.md (`cargo test -- --ignored --nocapture search_browser::`).
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "over {BUDGET} bytes or {WITHIN_MS} ms, or no results:\n{}\n\nall:\n{}",
        failures.join("\n"),
        report.join("\n")
    );
    if std::env::var_os("CORROBORATE_SEARCH_SITE").is_some() {
        return;
    }
    // What a query finds is what it should: a claim is found by its id.
    driver.open(&format!(
        "file://{}/search.html?q=claim-054321",
        site.display()
    ));
    assert_eq!(
        driver.script("return Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href'));"),
        json!(["claims/claim-054321.html"])
    );
}

/// The page cuts a query into words by the rule `build` cut the records by: whatever
/// the case, the composed or decomposed form, or the script, a word of a record finds
/// it, and a word it does not hold finds nothing.
#[test]
#[ignore = "needs chromium and chromium-driver; run with .ci/run, or: cargo test -- --ignored search_browser::"]
fn queries_are_cut_into_words_as_the_records_were() {
    let repo = Scratch::new();
    let claims = [
        ("zh", "海康威视向新疆公安厅提供监控摄像头。"),
        ("ja", "監視カメラの調達契約が結ばれた。"),
        ("ru", "МВД закупило камеры в Үрүмчи."),
        ("ar", "وزارة الداخلية اشترت كاميرات المراقبة."),
        ("ug", "ئۈرۈمچى ساقچى ئىدارىسى كامېرا سېتىۋالدى."),
        ("tr", "İSTANBUL BELEDİYESİ kamera aldı."),
        ("el", "ΟΔΟΣ ΣΚΟΠΟΣ"),
        // Decomposed: e and a combining acute accent.
        ("nfd", "Cafe\u{301} de\u{301}cor, Zu\u{308}rich."),
        ("mixed", "Hikvision's DS-2CD2143 camera, iPhone手机."),
    ];
    let mut yaml = String::from("claims:\n");
    for (id, statement) in claims {
        yaml.push_str(&format!(
            "  - id: {id}\n    statement: {}\n",
            json!(statement)
        ));
    }
    repo.write("claims/claims.yaml", yaml);
    let site = repo.path().join("site");
    build_into(repo.path(), &site);
    let driver = Driver::start();
    let base = format!("file://{}", site.display());
    let found = |q: &str| -> Vec<String> {
        driver.open(&search_url(&base, q));
        let hrefs: Vec<String> = serde_json::from_value(driver.script(
            "return Array.from(document.querySelectorAll('#search-results a'), a => a.getAttribute('href'));",
        ))
        .expect("links");
        hrefs
            .into_iter()
            .map(|h| {
                h.trim_start_matches("claims/")
                    .trim_end_matches(".html")
                    .to_owned()
            })
            .collect()
    };
    for (q, want) in [
        ("监控摄像头", "zh"),
        ("摄像", "zh"),
        ("新疆", "zh"),
        ("カメラ", "ja"),
        ("調達", "ja"),
        ("камеры", "ru"),
        ("КАМЕРЫ", "ru"),
        ("мвд", "ru"),
        ("үрүмчи", "ru"),
        ("كاميرات", "ar"),
        ("الداخلية", "ar"),
        ("كامېرا", "ug"),
        ("ئۈرۈمچى", "ug"),
        ("istanbul", "tr"),
        ("kamera aldı", "tr"),
        ("σκοπος", "el"),
        ("οδος", "el"),
        // Composed in the query, decomposed in the record, and the other way round.
        ("café", "nfd"),
        ("De\u{301}cor", "nfd"),
        ("zürich", "nfd"),
        ("ds 2cd2143", "mixed"),
        ("hikvision", "mixed"),
        ("手机", "mixed"),
        ("iphone", "mixed"),
    ] {
        assert_eq!(found(q), [want], "{q:?}");
    }
    for q in ["摄头", "камераы", "xinjiang", "cafés"] {
        assert_eq!(found(q), Vec::<String>::new(), "{q:?} finds nothing");
    }
}
