//! `application/x-www-form-urlencoded` as the URL Standard serialises it, and one URL path segment the same way.
//! Hand-written: these lines are all a form body needs, and a crate (with its percent-encoding tables) would
//! cost the browser's module more.

use crate::prelude::*;

/// One name or value of a form body.
pub(super) fn form_encode(text: &str) -> String {
    percent_encode(text, true)
}

/// One URL path segment: as [`form_encode`], with a space as `%20` (a `+` in the text is already `%2B`), so
/// that nothing in it can end the segment, start a query or climb a level.
pub(super) fn path_segment_encode(text: &str) -> String {
    if text.bytes().all(|byte| byte == b'.') {
        // `.` and `..` are dot-segments that a URL resolves away.
        let mut out = String::with_capacity(text.len() * 3);
        for _ in text.bytes() {
            out.push_str("%2E");
        }
        return out;
    }
    percent_encode(text, false)
}

/// `*-._` and ASCII letters and digits as they are, a space as `+` where `space_as_plus`, every other byte of
/// UTF-8 as `%XX`.
fn percent_encode(text: &str, space_as_plus: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(byte as char),
            b' ' if space_as_plus => out.push('+'),
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
