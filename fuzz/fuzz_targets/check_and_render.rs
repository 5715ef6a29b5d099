//! Fuzz target: an arbitrary small repository through check, export and rendering
//! (see `properties::check_and_render`).
#![no_main]

mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::check_and_render(data));
