#![no_main]
//! `make fuzz` target `json`: see [`consent_capture_fuzz::json`].

libfuzzer_sys::fuzz_target!(|input: &[u8]| consent_capture_fuzz::json(input));
