//! How fast the text of local copies is extracted, per format, on one core: the cost of
//! a cold `.corroborate/text` cache (FORMAT.md, "Quotes checked against the local
//! copies"), and of what a warm one still does per copy (the sha256 of its bytes, and
//! normalising its text for the quote matcher).
//!
//! ```sh
//! cargo run --release --example extract_rate -- [MB] [ROUNDS]
//! ```
//!
//! Makes about MB megabytes (default 20; 1 MB = 10^6 bytes) of each kind of copy in
//! memory, cut into documents of about 8 KB as `gen_corpus --copies` writes them:
//! generated English text (`.txt`), the same text as HTML pages with a head, a script,
//! a style, a navigation bar and escaped paragraphs (`.html`), and the three committed
//! PDF fixtures of `tests/fixtures/copies` (Chromium, LibreOffice Writer, pdfLaTeX; two
//! pages each, about 24 KB) repeated (`.pdf`). Each is passed ROUNDS times (default 3)
//! through [`corroborate::extract::text_of`]; the best round is printed as megabytes of
//! input per second, with the megabytes of text it gave. Two references are timed the
//! same way on the text copies: sha256 of the bytes, and
//! [`corroborate::quotes::normalise_pages`] of the extracted text.

use corroborate::extract::{Limits, text_of};
use sha2::{Digest, Sha256};
use std::time::Instant;

/// SplitMix64: deterministic words without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "contract",
    "was",
    "awarded",
    "to",
    "Hikvision",
    "in",
    "Zürich",
    "for",
    "cameras",
    "and",
    "a",
    "video",
    "platform;",
    "officials",
    "said",
    "it",
    "“only",
    "a",
    "supplier”",
    "of",
    "équipement,",
    "which",
    "the",
    "company’s",
    "statement",
    "denied.",
    "Revenue",
    "grew",
    "by",
    "12%",
    "&",
    "margins",
    "fell",
    "<",
    "5%",
    "in",
    "2019",
    "—",
    "according",
    "to",
    "filings.",
    "乌鲁木齐",
    "平安城市",
    "project",
    "budget",
    "tender",
    "documents",
    "show",
];

/// Paragraphs of 200 to 900 characters, about `bytes` in all per document.
fn paragraphs(rng: &mut Rng, bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        let target = 200 + rng.below(700);
        let mut p = String::with_capacity(target + 16);
        while p.len() < target {
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(WORDS[rng.below(WORDS.len())]);
        }
        total += p.len() + 2;
        out.push(p);
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// (text documents, HTML documents) of about `total` bytes each.
fn documents(total: usize) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut rng = Rng(1);
    let (mut txt, mut html) = (Vec::new(), Vec::new());
    let (mut txt_bytes, mut html_bytes) = (0, 0);
    while txt_bytes < total || html_bytes < total {
        let ps = paragraphs(&mut rng, 8_000);
        if txt_bytes < total {
            let doc = ps.join("\n\n").into_bytes();
            txt_bytes += doc.len();
            txt.push(doc);
        }
        if html_bytes < total {
            let mut page = String::from(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                 <title>Award notice</title>\n<style>body { font: 16px/1.5 serif; }</style>\n\
                 <script>window.analytics = { page: \"notice\" };</script>\n</head>\n<body>\n\
                 <nav><a href=\"/\">Home</a> | <a href=\"/news\">News</a></nav>\n<article>\n",
            );
            for p in &ps {
                page.push_str("<p>");
                page.push_str(&escape(p));
                page.push_str("</p>\n");
            }
            page.push_str("</article>\n<footer>&copy; 2024</footer>\n</body>\n</html>\n");
            html_bytes += page.len();
            html.push(page.into_bytes());
        }
    }
    (txt, html)
}

const PDFS: &[&[u8]] = &[
    include_bytes!("../tests/fixtures/copies/chromium.pdf"),
    include_bytes!("../tests/fixtures/copies/writer.pdf"),
    include_bytes!("../tests/fixtures/copies/latex.pdf"),
];

/// The best of `rounds` passes of `f` over `docs`: (seconds, bytes of output).
fn best(rounds: usize, docs: &[Vec<u8>], mut f: impl FnMut(&[u8]) -> usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut out = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        out = docs.iter().map(|d| f(d)).sum();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, out)
}

fn report(label: &str, docs: &[Vec<u8>], (secs, out): (f64, usize)) {
    let input: usize = docs.iter().map(Vec::len).sum();
    println!(
        "{label:<34} {:>7.1} MB in {:>4} docs  {:>8.3} s  {:>8.1} MB/s  (text out {:.1} MB)",
        input as f64 / 1e6,
        docs.len(),
        secs,
        input as f64 / 1e6 / secs,
        out as f64 / 1e6
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20.0);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3).max(1);
    let total = (mb * 1e6) as usize;
    let limits = Limits::default();
    let (txt, html) = documents(total);
    let mut pdf = Vec::new();
    let mut pdf_bytes = 0;
    while pdf_bytes < total {
        let doc = PDFS[pdf.len() % PDFS.len()];
        pdf_bytes += doc.len();
        pdf.push(doc.to_vec());
    }
    let limits = &limits;
    let extracted = |kind: &'static str| {
        move |bytes: &[u8]| match text_of(kind, bytes, None, limits) {
            Ok(e) => e.pages.iter().map(String::len).sum(),
            Err(problem) => {
                eprintln!("extract_rate: {kind}: {}", problem.message());
                std::process::exit(1)
            }
        }
    };
    println!("one core, best of {rounds} rounds; MB/s of input (1 MB = 10^6 bytes)");
    report(
        "text (.txt) extraction",
        &txt,
        best(rounds, &txt, extracted("a.txt")),
    );
    report(
        "HTML (.html) extraction",
        &html,
        best(rounds, &html, extracted("a.html")),
    );
    report(
        "PDF (.pdf) extraction",
        &pdf,
        best(rounds, &pdf, extracted("a.pdf")),
    );
    report(
        "sha256 of the text copies",
        &txt,
        best(rounds, &txt, |bytes| {
            std::hint::black_box(Sha256::digest(bytes));
            0
        }),
    );
    let texts: Vec<Vec<String>> = txt
        .iter()
        .map(|bytes| text_of("a.txt", bytes, None, limits).map_or_else(|_| Vec::new(), |e| e.pages))
        .collect();
    let mut best_normalise = f64::INFINITY;
    let mut out = 0;
    for _ in 0..rounds {
        let round = Instant::now();
        out = texts
            .iter()
            .map(|pages| corroborate::quotes::normalise_pages(pages).text.len())
            .sum();
        best_normalise = best_normalise.min(round.elapsed().as_secs_f64());
    }
    report(
        "normalising the text copies' text",
        &txt,
        (best_normalise, out),
    );
}
