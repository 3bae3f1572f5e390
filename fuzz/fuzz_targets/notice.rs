#![no_main]
//! `make fuzz` target `notice`: see [`consent_capture_fuzz::notice`].

libfuzzer_sys::fuzz_target!(|input: &[u8]| consent_capture_fuzz::notice(input));
