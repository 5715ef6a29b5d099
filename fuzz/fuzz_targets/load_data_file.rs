//! Fuzz target: any bytes as a data file. Parsing and decoding must never panic, and
//! a file that decodes cleanly must decode the same way twice.
#![no_main]

use corroborate::decode::{Sink, data_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(root) = corroborate::yaml::parse(text) else { return };
    let mut sink = Sink::new("claims/fuzz.yaml");
    let records = data_file(root.clone(), 0, &mut sink);
    let mut again = Sink::new("claims/fuzz.yaml");
    assert_eq!(records, data_file(root, 0, &mut again));
    assert_eq!(sink.diagnostics, again.diagnostics);
    for d in &sink.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "a diagnostic without a place: {d:?}");
    }
});
