//! Fuzz target: any bytes as a data file (see `properties::load_data_file`).
#![no_main]

mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::load_data_file(data));
