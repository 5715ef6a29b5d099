//! Fuzz target: any bytes as a local copy of every kind (see `properties::extract_any`).
#![no_main]

mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::extract_any(data));
