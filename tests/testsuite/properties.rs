//! Property test: generated valid repositories (citation DAGs, claims with evidence of
//! every stance, entities, files in any order) pass `check` without errors, export the
//! same bytes twice, and have exactly the origins a simple reference computation gives.

use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
struct Case {
    /// For each source, the lower-numbered sources it cites: a DAG by construction.
    cites: Vec<Vec<usize>>,
    /// For each claim, its evidence: (source, stance 0 supports / 1 contradicts / 2 context).
    claims: Vec<Vec<(usize, u8)>>,
    /// How many data files the records are spread over.
    files: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..10).prop_flat_map(|sources| {
        let cites = (0..sources)
            .map(|i| {
                proptest::collection::btree_set(0..i.max(1), 0..=i.min(3))
                    .prop_map(move |set| set.into_iter().filter(|&c| c < i).collect::<Vec<_>>())
            })
            .collect::<Vec<_>>();
        let claims =
            proptest::collection::vec(proptest::collection::vec((0..sources, 0u8..3), 0..5), 1..6);
        (cites, claims, 1usize..4).prop_map(|(cites, claims, files)| Case {
            cites,
            claims,
            files,
        })
    })
}

/// Writes the case as YAML, records spread round-robin over `files` files.
fn write(case: &Case, dir: &std::path::Path) {
    // Each file may hold each top-level key once, so gather records per file and key.
    let mut per_file: Vec<(Vec<String>, Vec<String>)> = vec![(Vec::new(), Vec::new()); case.files];
    for (i, cites) in case.cites.iter().enumerate() {
        let list: Vec<String> = cites.iter().map(|c| format!("s{c}")).collect();
        per_file[i % case.files].0.push(format!(
            "  - id: s{i}\n    title: \"Source {i}: «ü» and \\\"quotes\\\"\"\n    cites: [{}]\n",
            list.join(", ")
        ));
    }
    for (i, evidence) in case.claims.iter().enumerate() {
        let mut text =
            format!("  - id: c{i}\n    statement: Claim {i} says something.\n    evidence:\n");
        if evidence.is_empty() {
            text = format!("  - id: c{i}\n    statement: Claim {i} says something.\n");
        }
        for (source, stance) in evidence {
            let stance = ["supports", "contradicts", "context"][usize::from(*stance)];
            text.push_str(&format!(
                "      - {{source: s{source}, stance: {stance}, quote: \"words\"}}\n"
            ));
        }
        per_file[(i + 1) % case.files].1.push(text);
    }
    std::fs::create_dir_all(dir.join("claims")).expect("folder");
    for (n, (sources, claims)) in per_file.iter().enumerate() {
        let mut text = String::new();
        if !sources.is_empty() {
            text.push_str("sources:\n");
            text.push_str(&sources.concat());
        }
        if !claims.is_empty() {
            text.push_str("claims:\n");
            text.push_str(&claims.concat());
        }
        std::fs::write(dir.join(format!("claims/f{n}.yaml")), text).expect("written");
    }
}

/// The origins of a source by plain depth-first search.
fn reference_roots(case: &Case, source: usize, out: &mut BTreeSet<String>) {
    if case.cites[source].is_empty() {
        out.insert(format!("s{source}"));
    }
    for &cited in &case.cites[source] {
        reference_roots(case, cited, out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_repositories_check_export_and_trace_origins_correctly(case in case()) {
        let dir = tempfile::tempdir().expect("temporary folder");
        write(&case, dir.path());
        let checked = corroborate::check(dir.path()).expect("readable");
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.severity == corroborate::diagnostics::Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);

        let mut first = Vec::new();
        let mut second = Vec::new();
        corroborate::export::write_json(&checked, &mut first).expect("export");
        corroborate::export::write_json(&corroborate::check(dir.path()).expect("readable"), &mut second).expect("export");
        prop_assert_eq!(&first, &second);

        let json: serde_json::Value = serde_json::from_slice(&first).expect("JSON");
        for claim in json["claims"].as_array().expect("claims") {
            let index: usize = claim["id"].as_str().expect("id")[1..].parse().expect("number");
            for (slot, side) in ["supports", "contradicts"].iter().enumerate() {
                let mut expected = BTreeSet::new();
                for (source, stance) in &case.claims[index] {
                    if usize::from(*stance) == slot {
                        reference_roots(&case, *source, &mut expected);
                    }
                }
                let actual: BTreeSet<String> = claim["origins"][side].as_array().expect("origins").iter().map(|v| v.as_str().expect("id").to_owned()).collect();
                prop_assert_eq!(&actual, &expected, "claim c{} {}", index, side);
                prop_assert_eq!(claim["independent"][side].as_u64(), Some(expected.len() as u64));
            }
        }
    }
}

/// The words of the example case's pinned article, the copy its quotes are checked in.
fn article_words() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("evidence/infosecurity-us-may-ban-surveillance-companies.txt");
    let text = std::fs::read_to_string(path).expect("the pinned article");
    text.split_whitespace().map(str::to_owned).collect()
}

/// A quote written back the way quotes get typed: curly quotes and apostrophes for
/// straight ones (and back), dashes for hyphens, and line breaks or doubled spaces
/// between words; `variant` chooses for each word.
fn typed_back(words: &[String], variant: &[u8]) -> String {
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        let v = variant.get(i).copied().unwrap_or(0);
        if i > 0 {
            out.push_str(match v % 3 {
                0 => " ",
                1 => "\n  ",
                _ => "  ",
            });
        }
        let word: String = word
            .chars()
            .map(|c| match (c, v % 2) {
                ('\'', 0) => '\u{2019}',
                ('\u{2019}' | '\u{2018}', 1) => '\'',
                ('"', 0) => '\u{201c}',
                ('\u{201c}' | '\u{201d}', 1) => '"',
                ('-', 0) => '\u{2013}',
                (c, _) => c,
            })
            .collect();
        out.push_str(&word);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any run of the article's words, typed back with typographic variants, is found
    /// in it; the same run with one letter inside a word changed is not (unless the
    /// changed words happen to stand in the article too).
    #[test]
    fn quotes_typed_back_verify_and_a_one_letter_slip_does_not(
        start in 0usize..10_000,
        len in 3usize..25,
        variant in proptest::collection::vec(any::<u8>(), 25),
        slip in any::<(usize, usize)>(),
    ) {
        use corroborate::quotes::{find, normalise};
        let words = article_words();
        let start = start % (words.len() - len);
        let run = &words[start..start + len];
        let pages = vec![words.join(" ")];
        let quote = typed_back(run, &variant);
        prop_assert!(find(&quote, &pages, false).is_found(), "not found: {quote:?}");

        // One letter inside a word (not the quote's first letter, whose case may
        // differ) becomes another letter.
        let letters: Vec<(usize, usize)> = run
            .iter()
            .enumerate()
            .flat_map(|(w, word)| {
                word.char_indices()
                    .filter(|(_, c)| c.is_ascii_lowercase())
                    .map(move |(at, _)| (w, at))
            })
            .filter(|&(w, at)| w > 0 || at > 0)
            .collect();
        prop_assume!(!letters.is_empty());
        let (w, at) = letters[slip.0 % letters.len()];
        let mut edited: Vec<String> = run.to_vec();
        let old = edited[w].as_bytes()[at];
        let new = b'a' + ((old - b'a' + 1 + (slip.1 % 25) as u8) % 26);
        edited[w].replace_range(at..at + 1, &(new as char).to_string());
        let slipped = edited.join(" ");
        prop_assume!(!normalise(&pages[0]).text.contains(&normalise(&slipped).text));
        prop_assert!(!find(&slipped, &pages, false).is_found(), "found: {slipped:?}");
    }
}
