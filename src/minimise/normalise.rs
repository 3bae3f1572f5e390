//! Normalising values before they are hashed, so that the same person hashes the same everywhere (as ad and
//! CRM platforms document for enhanced matching).

use crate::prelude::*;

/// Trim, lowercase; for gmail.com and googlemail.com, drop the dots of the local part.
pub fn email(value: &str) -> String {
    let lower = lowercase(value.trim());
    match lower.rsplit_once('@') {
        Some((local, domain)) if domain == "gmail.com" || domain == "googlemail.com" => {
            concat(&[&local.replace('.', ""), "@", domain])
        }
        _ => lower,
    }
}

/// Lowercase for the cased letters of Latin (with Latin-1 and Latin Extended-A), Greek and Cyrillic; other
/// characters are kept. `str::to_lowercase` would bring all of Unicode's case tables into every page (about
/// 15 KB); these scripts cover the e-mail addresses and names people type into forms in Europe and the Americas.
pub fn lowercase(value: &str) -> String {
    value.chars().map(lower_char).collect()
}

fn lower_char(c: char) -> char {
    let code = c as u32;
    let lower = match code {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => code + 32,
        0x400..=0x40F => code + 80,
        0x386 => 0x3AC,
        0x388..=0x38A => code + 37,
        0x38C => 0x3CC,
        0x38E | 0x38F => code + 63,
        0x370 | 0x372 | 0x376 | 0x3F7 | 0x3FA => code + 1,
        0x3D8..=0x3EF if code % 2 == 0 => code + 1,
        0x37F => 0x3F3,
        0x3CF => 0x3D7,
        0x3F4 => 0x3B8,
        0x3F9 => 0x3F2,
        0x3FD..=0x3FF => code - 130,
        // Latin Extended-A pairs: capital on the even code point here, on the odd one there.
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if code % 2 == 0 => code + 1,
        0x139..=0x148 | 0x179..=0x17E if code % 2 == 1 => code + 1,
        0x178 => 0xFF,
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F if code % 2 == 0 => code + 1,
        0x4C1..=0x4CE if code % 2 == 1 => code + 1,
        0x4C0 => 0x4CF,
        _ => code,
    };
    char::from_u32(lower).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    #[test]
    fn agrees_with_the_standard_library_across_latin_greek_and_cyrillic() {
        let mut wrong = Vec::new();
        for code in (0u32..0x180).chain(0x370..0x530).filter(|&c| c != 0x130) {
            let Some(c) = char::from_u32(code) else { continue };
            let expected: Vec<char> = c.to_lowercase().collect();
            if expected.len() == 1 && lower_char(c) != expected[0] {
                wrong.push(format!("U+{code:04X}"));
            }
        }
        assert_eq!(wrong, Vec::<String>::new());
    }

    #[test]
    fn emails_are_trimmed_lowercased_and_gmail_dots_dropped() {
        assert_eq!(email("  Ada.Lovelace@Example.COM "), "ada.lovelace@example.com");
        assert_eq!(email("Ada.Love.Lace@GMail.com"), "adalovelace@gmail.com");
        assert_eq!(email("a.b@googlemail.com"), "ab@googlemail.com");
        assert_eq!(email("ÖMER@BEISPIEL.DE"), "ömer@beispiel.de");
    }
}
