#![no_main]
//! `make fuzz` target `receipt`: see [`consent_capture_fuzz::receipt`].

libfuzzer_sys::fuzz_target!(|input: &[u8]| consent_capture_fuzz::receipt(input));
