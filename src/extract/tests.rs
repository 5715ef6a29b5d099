use super::*;
use std::io::Write;
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/copies")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn text(name: &str, bytes: &[u8]) -> Result<Extracted, ExtractProblem> {
    text_of(name, bytes, None, &Limits::default())
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("gzip");
    encoder.finish().expect("gzip")
}

fn small(limit: u64) -> Limits {
    Limits {
        max_decompressed_bytes: limit,
        ..Limits::default()
    }
}

#[test]
fn text_bearing_copies_are_known_by_their_extension() {
    for path in [
        "a.txt",
        "b/c.MD",
        "x.html",
        "x.htm",
        "r.pdf",
        "c.warc",
        "c.warc.gz",
        "c.WACZ",
    ] {
        assert!(is_text_bearing(path), "{path}");
    }
    for path in [
        "a.png",
        "a.gz",
        "warc",
        ".pdf",
        "a.pdf.png",
        "a.docx",
        "a.zip",
    ] {
        assert!(!is_text_bearing(path), "{path}");
    }
    assert_eq!(
        text("a.png", b"x").map_err(|e| e.kind()),
        Err("unsupported")
    );
}

#[test]
fn plain_text_is_strict_utf8_without_its_bom() {
    let got = text("a.txt", "\u{feff}Zürich “quoted”".as_bytes()).expect("text");
    assert_eq!(got.pages, vec!["Zürich “quoted”".to_owned()]);
    assert_eq!(got.layout, Layout::Single);
    // windows-1252 "café": the é is byte 3.
    let problem = text("a.md", b"caf\xe9 au lait").expect_err("not UTF-8");
    assert_eq!(problem, ExtractProblem::NotUtf8 { offset: 3 });
    assert!(
        problem.message().contains("byte 3"),
        "{}",
        problem.message()
    );
    // The offset counts the BOM.
    assert_eq!(
        text("a.md", b"\xEF\xBB\xBFab\xff"),
        Err(ExtractProblem::NotUtf8 { offset: 5 })
    );
    let limits = Limits {
        max_text_bytes: 4,
        ..Limits::default()
    };
    assert_eq!(
        text_of("a.txt", b"12345", None, &limits).map_err(|e| e.kind()),
        Err("limit-reached")
    );
}

#[test]
fn html_gives_the_text_a_reader_sees() {
    let page = br#"<!DOCTYPE html><html><head><title>The title</title>
<style>p { content: "styled away" }</style>
<script>document.write("<p>scripted away</p>")</script></head>
<body><h1>Heading</h1><p>The city&rsquo;s &ldquo;emergency&rdquo;
   contract &amp; more&#8230;</p><!-- hidden comment -->
<template><p>template away</p></template>
<ul><li>one</li><li>two<br>three</li></ul>
<table><tr><td>cell a</td><td>cell b</td></tr></table>
<pre>  kept   spacing</pre><noscript>Enable scripts</noscript>
<iframe>fallback away</iframe>
</body></html>"#;
    let got = text("x.html", page).expect("html");
    let text = &got.pages[0];
    assert_eq!(
        text,
        "The title\nHeading\nThe city’s “emergency” contract & more…\none\ntwo\nthree\ncell a\ncell b\n  kept   spacing\nEnable scripts"
    );
    for away in ["styled", "scripted", "comment", "template", "fallback"] {
        assert!(!text.contains(away), "{away}: {text}");
    }
}

#[test]
fn html_in_another_encoding_is_decoded_as_it_declares() {
    let page = b"<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xe9 \x93quoted\x94</p></body></html>";
    assert_eq!(text("x.htm", page).expect("html").pages[0], "café “quoted”");
    // Undeclared and not UTF-8: windows-1252, as browsers assume.
    assert_eq!(
        text("x.htm", b"<p>caf\xe9</p>").expect("html").pages[0],
        "café"
    );
    // The HTML fixture the PDFs were printed from.
    let got = text("src/report.html", &fixture("src/report.html")).expect("html");
    assert!(
        got.pages[0].contains("a tool of surveil-\nlance for the whole lakeside"),
        "{}",
        got.pages[0]
    );
}

#[test]
fn html_output_is_bounded() {
    let page = "<p>word</p>".repeat(10_000);
    let limits = Limits {
        max_text_bytes: 1_000,
        ..Limits::default()
    };
    assert_eq!(
        text_of("x.html", page.as_bytes(), None, &limits),
        Err(ExtractProblem::LimitReached {
            what: "bytes of text",
            limit: 1_000
        })
    );
}

/// The two-page document, made three ways (tests/fixtures/copies/README.md).
#[test]
fn pdf_pages_from_chromium_libreoffice_and_latex() {
    for name in ["chromium.pdf", "writer.pdf", "latex.pdf"] {
        let got = text(name, &fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(got.layout, Layout::Pages, "{name}");
        assert_eq!(got.pages.len(), 2, "{name}: {:?}", got.pages);
        let (one, two) = (&got.pages[0], &got.pages[1]);
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat(one).contains("a tool of surveillance for the whole"),
            "{name}: {one}"
        );
        assert!(
            flat(one).contains("The city’s “emergency” contract"),
            "{name}: {one}"
        );
        assert!(
            flat(one).contains("café district of Zürich"),
            "{name}: {one}"
        );
        assert!(
            flat(one).contains("«no objection was recorded»"),
            "{name}: {one}"
        );
        assert!(flat(two).contains("operators sta"), "{name}: {two}");
        assert!(!one.contains("Second page"), "{name}");
        assert!(two.contains("Second page"), "{name}");
    }
}

#[test]
fn a_scanned_pdf_has_no_text_and_says_to_add_a_text_copy() {
    let problem = text("scan.pdf", &fixture("scan.pdf")).expect_err("no text");
    assert_eq!(problem, ExtractProblem::NoText);
    assert!(
        problem.message().contains("role: text"),
        "{}",
        problem.message()
    );
}

#[test]
fn line_end_hyphens_join_only_before_a_lowercase_letter() {
    use super::pdf::join_hyphenated;
    assert_eq!(join_hyphenated("surveil-\nlance"), "surveillance");
    assert_eq!(join_hyphenated("surveil- \r\n  lance"), "surveillance");
    assert_eq!(join_hyphenated("surveil\u{ad}\nlance"), "surveillance");
    assert_eq!(join_hyphenated("Zürich-\nSüd"), "Zürich-\nSüd");
    assert_eq!(join_hyphenated("well-known"), "well-known");
    assert_eq!(join_hyphenated("1990-\n1999"), "1990-\n1999");
    assert_eq!(join_hyphenated("a list:\n-\nitem"), "a list:\n-\nitem");
    assert_eq!(join_hyphenated("end-"), "end-");
    assert_eq!(join_hyphenated("né-\nétait"), "néétait");
}

#[test]
fn not_a_pdf_and_a_broken_pdf_are_problems() {
    assert_eq!(
        text("a.pdf", b"hello").map_err(|e| e.kind()),
        Err("malformed")
    );
    let mut cut = fixture("latex.pdf");
    cut.truncate(cut.len() / 3);
    assert!(text("a.pdf", &cut).is_err());
}

#[test]
fn warc_responses_the_sources_own_first() {
    let url = "https://lakeside-daily.example.org/2019/04/city-hands-network";
    for name in ["capture.warc", "capture.warc.gz", "capture.wacz"] {
        let got = text_of(name, &fixture(name), Some(url), &Limits::default())
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        let Layout::Records { uris } = &got.layout else {
            panic!("{name}: {:?}", got.layout);
        };
        assert_eq!(
            uris,
            &[
                url,
                "https://lakeside-daily.example.org/weather",
                "file:///notes/statement.txt"
            ],
            "{name}"
        );
        // Chunked and gzipped, entities decoded, no script or style.
        assert_eq!(
            got.pages[0],
            "City hands network to vendor\nCity hands camera network to vendor\nThe city’s contract, signed on 3 April, says the vendor’s operators staff the room day and night.",
            "{name}"
        );
        assert_eq!(
            got.pages[2],
            "Statement of the bureau: “we saw no tender”.\n"
        );
        // Without a URL, archive order.
        let got = text(name, &fixture(name)).expect("warc");
        assert!(got.pages[0].contains("weather"), "{name}");
    }
    // The same page under http:// or with a final slash still comes first.
    let got = text_of(
        "c.warc",
        &fixture("capture.warc"),
        Some("http://Lakeside-Daily.example.org/2019/04/city-hands-network/"),
        &Limits::default(),
    )
    .expect("warc");
    assert!(got.pages[0].contains("camera network"));
}

#[test]
fn archives_without_text_or_broken_are_problems() {
    assert_eq!(text("a.warc", b"").map_err(|e| e.kind()), Err("empty"));
    assert_eq!(
        text("a.warc", b"GET / HTTP/1.1\r\n").map_err(|e| e.kind()),
        Err("malformed")
    );
    let no_length = b"WARC/1.1\r\nWARC-Type: resource\r\n\r\nabc";
    assert_eq!(
        text("a.warc", no_length).map_err(|e| e.kind()),
        Err("malformed")
    );
    // A record cut short keeps what it has.
    let cut = b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Type: text/plain\r\nContent-Length: 999\r\n\r\nthe start";
    assert_eq!(
        text("a.warc", cut).expect("cut").pages,
        vec!["the start".to_owned()]
    );
    let many = "WARC/1.1\r\nWARC-Type: resource\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nx\r\n\r\n".repeat(20);
    let limits = Limits {
        max_records: 10,
        ..Limits::default()
    };
    assert_eq!(
        text_of("a.warc", many.as_bytes(), None, &limits),
        Err(ExtractProblem::LimitReached {
            what: "WARC records",
            limit: 10
        })
    );
    assert_eq!(
        text("a.wacz", b"PK\x03\x04 not really").map_err(|e| e.kind()),
        Err("malformed")
    );
    assert_eq!(
        text("a.warc.gz", b"\x1f\x8b broken").map_err(|e| e.kind()),
        Err("malformed")
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_decompression_limit() {
    // 10 MB of zeros compress to about 10 KB.
    let bomb = gzip(&vec![0u8; 10 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024);
    let got = text_of("a.warc.gz", &bomb, None, &small(1024 * 1024));
    assert_eq!(
        got,
        Err(ExtractProblem::LimitReached {
            what: "decompressed bytes",
            limit: 1024 * 1024
        })
    );
    // Inside an HTTP body of a plain WARC too.
    let body = gzip(&vec![b' '; 10 * 1024 * 1024]);
    let mut http =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    http.extend_from_slice(&body);
    let mut warc = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    warc.extend_from_slice(&http);
    assert_eq!(
        text_of("a.warc", &warc, None, &small(1024 * 1024)).map_err(|e| e.kind()),
        Err("limit-reached")
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, data) in entries {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file(*name, options).expect("zip");
            zip.write_all(data).expect("zip");
        }
        zip.finish().expect("zip");
    }
    out.into_inner()
}

#[test]
fn a_zip_bomb_stops_at_the_decompression_limit() {
    let zeros = vec![0u8; 10 * 1024 * 1024];
    let bomb = zip_of(&[("archive/data.warc", &zeros)]);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    assert_eq!(
        text_of("a.wacz", &bomb, None, &small(1024 * 1024)),
        Err(ExtractProblem::LimitReached {
            what: "decompressed bytes",
            limit: 1024 * 1024
        })
    );
    // A WACZ with no WARC in it.
    let none = zip_of(&[("datapackage.json", b"{}")]);
    assert_eq!(text("a.wacz", &none).map_err(|e| e.kind()), Err("empty"));
}

#[test]
fn a_pdf_whose_streams_inflate_past_the_limit_is_not_handed_on() {
    // A one-page PDF whose content stream is 20 MB of spaces, compressed.
    let content = vec![b' '; 20 * 1024 * 1024];
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&content).expect("zlib");
    let stream = zlib.finish().expect("zlib");
    let pdf = tiny_pdf(&stream, "/Filter /FlateDecode");
    assert!(pdf.len() < 100 * 1024);
    assert_eq!(
        text_of("bomb.pdf", &pdf, None, &small(1024 * 1024)).map_err(|e| e.kind()),
        Err("limit-reached")
    );
    // With room for it, it is read: a page with no text.
    assert_eq!(
        text_of("bomb.pdf", &pdf, None, &small(64 * 1024 * 1024)),
        Err(ExtractProblem::NoText)
    );
}

/// A minimal PDF with one page whose content stream is `stream`.
pub(super) fn tiny_pdf(stream: &[u8], filter: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>".to_vec(),
        {
            let mut s = format!("<< /Length {} {filter} >>\nstream\n", stream.len()).into_bytes();
            s.extend_from_slice(stream);
            s.extend_from_slice(b"\nendstream");
            s
        },
    ];
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn pdf_page_count_is_bounded() {
    let limits = Limits {
        max_pages: 1,
        ..Limits::default()
    };
    assert_eq!(
        text_of("a.pdf", &fixture("latex.pdf"), None, &limits),
        Err(ExtractProblem::LimitReached {
            what: "pages",
            limit: 1
        })
    );
}

#[test]
fn the_deadline_stops_reading() {
    let limits = Limits {
        time: Duration::ZERO,
        ..Limits::default()
    };
    std::thread::sleep(Duration::from_millis(2));
    for name in ["latex.pdf", "capture.warc", "src/report.html"] {
        assert_eq!(
            text_of(name, &fixture(name), None, &limits).map_err(|e| e.kind()),
            Err("limit-reached"),
            "{name}"
        );
    }
}

#[test]
fn every_problem_has_a_message() {
    for problem in [
        ExtractProblem::NotUtf8 { offset: 1 },
        ExtractProblem::LimitReached {
            what: "pages",
            limit: 2,
        },
        ExtractProblem::NoText,
        ExtractProblem::Malformed("x".into()),
        ExtractProblem::Unsupported("y".into()),
        ExtractProblem::Empty("z".into()),
    ] {
        assert!(!problem.message().is_empty());
        assert!(!problem.kind().is_empty());
        assert_eq!(problem.to_string(), problem.message());
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const KINDS: [&str; 6] = ["a.txt", "a.html", "a.pdf", "a.warc", "a.warc.gz", "a.wacz"];
    const FIXTURES: [&str; 7] = [
        "chromium.pdf",
        "latex.pdf",
        "writer.pdf",
        "capture.warc",
        "capture.warc.gz",
        "capture.wacz",
        "src/report.html",
    ];

    fn limits() -> Limits {
        Limits {
            max_decompressed_bytes: 2 * 1024 * 1024,
            max_text_bytes: 64 * 1024,
            max_pages: 20,
            max_records: 100,
            max_archive_entries: 20,
            time: Duration::from_secs(10),
        }
    }

    fn bounded(name: &str, bytes: &[u8]) {
        let limits = limits();
        if let Ok(copy) = text_of(name, bytes, Some("https://example.org/"), &limits) {
            let total: usize = copy.pages.iter().map(String::len).sum();
            assert!(total <= limits.max_text_bytes, "{name}: {total}");
            let _ = crate::quotes::find_in("the vendor ... room", &copy);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic_and_stay_bounded(
            bytes in proptest::collection::vec(any::<u8>(), 0..4096),
            prefix in prop_oneof![
                Just(&b""[..]), Just(&b"%PDF-1.4\n"[..]), Just(&b"WARC/1.1\r\n"[..]),
                Just(&b"\x1f\x8b\x08\x00"[..]), Just(&b"PK\x03\x04"[..]), Just(&b"<html>"[..]),
            ],
        ) {
            let mut input = prefix.to_vec();
            input.extend_from_slice(&bytes);
            for kind in KINDS {
                bounded(kind, &input);
            }
        }

        #[test]
        fn mutated_fixtures_never_panic_and_stay_bounded(
            which in 0..FIXTURES.len(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
            cut in any::<prop::sample::Index>(),
            truncate in any::<bool>(),
        ) {
            let name = FIXTURES[which];
            let mut bytes = fixture(name);
            for (at, byte) in edits {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bounded(name, &bytes);
        }
    }
}
