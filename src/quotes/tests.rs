use super::*;
use std::path::PathBuf;

fn one(text: &str) -> Vec<String> {
    vec![text.to_owned()]
}

fn found(quote: &str, text: &str) -> bool {
    find(quote, &one(text), false).is_found()
}

#[test]
fn nfkc_comes_first() {
    // Ligature, full-width letters, no-break space, ellipsis, superscript.
    assert_eq!(
        normalise("ﬁnal ＡＢＣ a\u{a0}b x…y ²").text,
        "final ABC a b x...y 2"
    );
    // Composed and decomposed accents are the same.
    assert_eq!(normalise("cafe\u{301}").text, normalise("café").text);
    assert!(found("café", "un cafe\u{301} noir"));
}

#[test]
fn whitespace_runs_become_one_space_and_ends_are_trimmed() {
    assert_eq!(
        normalise("  a \t\n\r b\u{3000}c\u{2028}d  ").text,
        "a b c d"
    );
    assert!(found("staff the room", "staff\n   the\troom"));
}

#[test]
fn typographic_quotes_and_apostrophes_become_straight() {
    for single in ['‘', '’', '‚', '‛', '‹', '›', 'ʼ', '＇'] {
        assert_eq!(normalise(&format!("a{single}b")).text, "a'b", "{single:?}");
    }
    for double in ['“', '”', '„', '‟', '«', '»', '⹂', '〝', '〞', '〟', '＂'] {
        assert_eq!(normalise(&format!("a{double}b")).text, "a\"b", "{double:?}");
    }
    // Primes, corner brackets and editorial marks stay.
    for kept in ['′', '「', '」', '⸂'] {
        assert_eq!(
            normalise(&format!("a{kept}b")).text,
            format!("a{kept}b"),
            "{kept:?}"
        );
    }
    assert!(found(
        "the city's \"emergency\" contract",
        "The city’s “emergency” contract"
    ));
}

#[test]
fn dashes_and_minus_become_hyphens() {
    for dash in [
        '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}',
        '\u{FE58}', '\u{FF0D}',
    ] {
        assert_eq!(normalise(&format!("a{dash}b")).text, "a-b", "{dash:?}");
    }
    assert!(found("awarded - without", "awarded — without"));
}

#[test]
fn soft_hyphens_and_zero_width_characters_are_dropped() {
    for dropped in [
        '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
    ] {
        assert_eq!(
            normalise(&format!("sur{dropped}veil")).text,
            "surveil",
            "{dropped:?}"
        );
    }
    // Dropped inside a run of spaces, the run is still one space.
    assert_eq!(normalise("a \u{200b} b").text, "a b");
}

#[test]
fn only_the_first_letter_may_differ_in_case() {
    assert!(found("the vendor's operators", "The vendor's operators"));
    assert!(found(
        "The vendor's operators",
        "said the vendor's operators"
    ));
    assert!(found("\"the vendor", "\"The vendor"));
    assert!(!found("the Vendor's operators", "the vendor's operators"));
    assert!(!found("THE vendor", "the vendor"));
    assert!(found("élan", "Élan vital"));
    assert!(found("straße", "Straße"));
    // A quote that starts with a number has no first letter to forgive.
    assert!(!found("3 april", "3 April"));
}

#[test]
fn ellipses_split_a_quote_into_parts_in_order() {
    let text = "The city signed the contract. Officials said nothing. the vendor staffs the room.";
    for quote in [
        "The city signed ... the vendor staffs",
        "The city signed … the vendor staffs",
        "The city signed [...] the vendor staffs",
        "The city signed […] the vendor staffs",
        "The city signed...the vendor staffs",
        "city signed the contract. [...] Officials said ... staffs the room.",
    ] {
        assert!(found(quote, text), "{quote}");
    }
    assert!(!found("the vendor staffs ... The city signed", text));
    // Only the quote's first letter may differ in case, not that of a later part.
    assert!(!found("The city signed ... The vendor staffs", text));
    assert!(!found("The city signed ... the vendor sleeps", text));
    // An ellipsis alone is nothing to look for.
    assert!(!found("...", text));
    assert!(!found("", text));
}

#[test]
fn each_part_must_start_within_1000_characters_of_the_previous_end() {
    for (gap, expected) in [(999, true), (1000, true), (1001, false)] {
        // The gap between "alpha" and "omega": a space, filler letters, a space.
        let filler = "x".repeat(gap - 2);
        let text = format!("alpha {filler} omega");
        assert_eq!(found("alpha ... omega", &text), expected, "{gap}");
        // The gap is counted in characters, not bytes.
        let filler = "é".repeat(gap - 2);
        let text = format!("alpha {filler} omega");
        assert_eq!(found("alpha ... omega", &text), expected, "{gap} é");
    }
    // A later occurrence of the first part may be the one that fits.
    let text = format!("alpha {} alpha omega", "x".repeat(2000));
    assert!(found("alpha ... omega", &text));
    // And a later occurrence of a middle part too.
    let text = format!(
        "alpha beta {} beta {} omega",
        "x".repeat(900),
        "y".repeat(900)
    );
    assert!(found("alpha ... beta ... omega", &text));
}

#[test]
fn quotes_in_other_scripts() {
    let chinese = "市政府表示：“该合同没有经过招标。”记者随后查阅了会议记录。";
    assert!(found("\"该合同没有经过招标。\"", chinese));
    assert!(found("该合同没有经过招标", chinese));
    assert!(found("市政府表示 … 查阅了会议记录", chinese));
    let arabic = "وقال المتحدث باسم البلدية إن العقد لم يُطرح في مناقصة عامة.";
    assert!(found("إن العقد لم يُطرح في مناقصة", arabic));
    let cyrillic = "Мэрия заявила: «контракт был заключён без тендера».";
    assert!(found("Контракт был заключён без тендера", cyrillic));
    assert!(found("\"контракт был заключён без тендера\"", cyrillic));
    assert!(!found("контракт был заключен", cyrillic)); // ё is not е
}

#[test]
fn pages_say_where_a_quote_is() {
    let pages = vec![
        "First page: the vendor staffs the room.".to_owned(),
        String::new(),
        "Third page: the vendor staffs the room again.".to_owned(),
        "Fourth page ends with the start of".to_owned(),
        "a sentence that runs over the break.".to_owned(),
    ];
    match find("the vendor staffs the room", &pages, true) {
        Outcome::Found { page, pages, .. } => {
            assert_eq!(page, Some(1));
            assert_eq!(pages, vec![1, 3]);
        }
        other => panic!("{other:?}"),
    }
    let outcome = find("the start of a sentence that runs", &pages, true);
    assert!(
        matches!(outcome, Outcome::Found { page: Some(4), .. }),
        "{outcome:?}"
    );
    assert!(outcome.found_on(4));
    assert!(!outcome.found_on(5));
    let outcome = find("Third page", &pages, true);
    assert!(matches!(&outcome, Outcome::Found { pages, .. } if pages == &vec![3]));
    // A copy without pages has none.
    let outcome = find("staffs", &pages, false);
    assert!(matches!(outcome, Outcome::Found { page: None, ref pages, .. } if pages.is_empty()));
    assert_eq!(normalise_pages(&["a", "", " ", "b"]).page_at(2), 3);
}

fn pdf_pages(name: &str) -> Extracted {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/copies")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture");
    crate::extract::text_of(name, &bytes, None, &crate::extract::Limits::default())
        .expect("pdf text")
}

#[test]
fn quotes_are_found_in_the_pdf_fixtures_with_their_pages() {
    for name in ["chromium.pdf", "writer.pdf", "latex.pdf"] {
        let copy = pdf_pages(name);
        // Over the line-end hyphen, with straight quotes for typographic ones and a
        // hyphen for an em dash.
        for (quote, page) in [
            ("a tool of surveillance for the whole lakeside", 1),
            (
                "The city's \"emergency\" contract - awarded without tender - paid for 1,200 cameras",
                1,
            ),
            ("in the café district of Zürich-Süd", 1),
            ("the minutes say: \"no objection was recorded\"", 1),
            ("the vendor's operators staff the room day and night", 2),
            (
                "Officials described the network ... The vendor's operators staff the room",
                1,
            ),
        ] {
            match find_in(quote, &copy) {
                Outcome::Found { page: got, .. } => assert_eq!(got, Some(page), "{name}: {quote}"),
                other => panic!("{name}: {quote}: {other:?}"),
            }
        }
        assert!(
            !find_in("a tool of surveil- lance", &copy).is_found(),
            "{name}"
        );
    }
}

#[test]
fn archives_are_searched_response_by_response() {
    let copy = Extracted {
        pages: vec!["first response".to_owned(), "second response".to_owned()],
        layout: Layout::Records {
            uris: vec!["a".to_owned(), "b".to_owned()],
        },
    };
    assert!(matches!(
        find_in("second response", &copy),
        Outcome::Found {
            record: Some(1),
            ..
        }
    ));
    // Not across two responses.
    assert!(!find_in("first response second", &copy).is_found());
    match find_in("the second responses", &copy) {
        Outcome::NotFound {
            closest: Some(closest),
            ..
        } => {
            assert_eq!(closest.record, Some(1));
            assert_eq!(closest.text, "second response");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_one_word_slip_is_not_found_but_the_closest_passage_is_given() {
    let text = "In its memo the bureau wrote that the vendor's operators staff the room day and night, every day of the year. Nothing else was said.";
    match find(
        "the vendor's operators staff the room night and day",
        &one(text),
        false,
    ) {
        Outcome::NotFound {
            closest: Some(closest),
            missing_part: None,
        } => {
            assert!(
                closest
                    .text
                    .starts_with("the vendor's operators staff the room day and"),
                "{closest:?}"
            );
            assert!(closest.similarity > 0.6, "{closest:?}");
        }
        other => panic!("{other:?}"),
    }
    match find("the vendors operators staff the room", &one(text), false) {
        Outcome::NotFound {
            closest: Some(closest),
            ..
        } => {
            assert_eq!(closest.text, "the vendor's operators staff the room")
        }
        other => panic!("{other:?}"),
    }
    // Nothing like it: no closest passage.
    assert!(matches!(
        find("completely unrelated words here", &one(text), false),
        Outcome::NotFound { closest: None, .. }
    ));
    // With parts, the missing one is named and its closest passage given.
    match find("In its memo ... operators staf the room", &one(text), false) {
        Outcome::NotFound {
            closest: Some(closest),
            missing_part: Some(part),
        } => {
            assert_eq!(part, "operators staf the room");
            assert_eq!(closest.text, "operators staff the room");
        }
        other => panic!("{other:?}"),
    }
    // Every part there but too far apart: no missing part.
    let far = format!("alpha {} omega", "x".repeat(2000));
    assert!(matches!(
        find("alpha ... omega", &one(&far), false),
        Outcome::NotFound {
            missing_part: None,
            ..
        }
    ));
}

#[test]
fn the_closest_passage_on_a_paged_copy_has_its_page() {
    let pages = vec![
        "nothing here".to_owned(),
        "the room is staffed at night".to_owned(),
    ];
    match find("the room is staffed at nigth", &pages, true) {
        Outcome::NotFound {
            closest: Some(closest),
            ..
        } => assert_eq!(closest.page, Some(2)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn long_passages_are_cut() {
    let long = "word ".repeat(3_000);
    match find(&long, &one(&long), false) {
        Outcome::Found { passage, .. } => {
            assert!(passage.chars().count() <= MAX_PASSAGE_CHARS + 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_banded_distance_is_levenshtein_within_its_bound() {
    // Pairs of short strings from a small alphabet (so that they share much), ASCII
    // and not: for every bound, the distance when it is within it, else nothing.
    let alphabet: Vec<char> = "abcé中 ".chars().collect();
    let mut state = 7u64;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        ((state >> 33) as usize) % n
    };
    for _ in 0..2_000 {
        let a: String = (0..next(12))
            .map(|_| alphabet[next(alphabet.len())])
            .collect();
        let b: String = (0..next(12))
            .map(|_| alphabet[next(alphabet.len())])
            .collect();
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let distance = strsim::levenshtein(&a, &b);
        for k in 0..=14 {
            assert_eq!(
                levenshtein_within(&ca, &cb, k),
                (distance <= k).then_some(distance),
                "{a:?} {b:?} within {k}"
            );
        }
    }
}
