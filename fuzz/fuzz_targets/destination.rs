#![no_main]
//! `make fuzz` target `destination`: see [`consent_capture_fuzz::destination`].

libfuzzer_sys::fuzz_target!(|input: &[u8]| consent_capture_fuzz::destination(input));
