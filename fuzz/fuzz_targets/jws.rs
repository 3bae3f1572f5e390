#![no_main]
//! `make fuzz` target `jws`: see [`consent_capture_fuzz::jws`].

libfuzzer_sys::fuzz_target!(|input: &[u8]| consent_capture_fuzz::jws(input));
