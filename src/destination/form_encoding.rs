//! `application/x-www-form-urlencoded` as the URL Standard serialises it. Hand-written: these lines are all a
//! form body needs, and a crate (with its percent-encoding tables) would cost the browser's module more.

use crate::prelude::*;

/// One name or value: `*-._` and ASCII letters and digits as they are, space as `+`, every other byte of UTF-8
/// as `%XX`.
pub(super) fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
    out
}
