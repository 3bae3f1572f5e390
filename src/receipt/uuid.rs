//! UUID version 4 (RFC 9562) from random bytes the caller supplies, so the core needs no randomness source;
//! and the one textual form a receipt id may take.

use crate::prelude::*;

/// The UUID v4 string made from 16 random bytes (version and variant bits are set here).
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// Whether `text` is a UUID in the lowercase textual form of RFC 9562 (`8-4-4-4-12` hex digits, the RFC's
/// variant), as [`uuid_v4`] writes it. One form only: an id is a database key, a file name and a header value
/// on the controller's side, so a NUL, a line break or a second spelling of the same UUID must never pass.
pub fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        })
        && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
}

#[cfg(test)]
mod tests {
    use super::{is_uuid, uuid_v4};

    #[test]
    fn a_receipt_id_is_a_lowercase_rfc_uuid_and_nothing_else() {
        for seed in [0u8, 7, 0xff] {
            assert!(is_uuid(&uuid_v4([seed; 16])));
        }
        assert!(is_uuid("c1befd3e-b7e5-4ea6-8688-e9a565aade21"));
        for not in [
            "",
            "C1BEFD3E-B7E5-4EA6-8688-E9A565AADE21",
            "c1befd3e-b7e5-4ea6-c688-e9a565aade21",
            "c1befd3e-b7e5-4ea6-8688-e9a565aade2",
            "c1befd3e-b7e5-4ea6-8688-e9a565aade21\0",
            "c1befd3e-b7e5-4ea6-8688-e9a565aade\r\n",
            "c1befd3eab7e5a4ea6a8688ae9a565aade21",
            "{c1befd3e-b7e5-4ea6-8688-e9a565aade21}",
        ] {
            assert!(!is_uuid(not), "{not:?}");
        }
    }

    #[test]
    fn sets_version_4_and_the_rfc_variant() {
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
