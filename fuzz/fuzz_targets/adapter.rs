#![no_main]
//! `make fuzz` target `adapter`: see [`consent_capture_fuzz::adapter`].

libfuzzer_sys::fuzz_target!(|input: &[u8]| consent_capture_fuzz::adapter(input));
