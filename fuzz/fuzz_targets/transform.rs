#![no_main]
//! `make fuzz` target `transform`: see [`consent_capture_fuzz::transform`].

libfuzzer_sys::fuzz_target!(|input: &[u8]| consent_capture_fuzz::transform(input));
