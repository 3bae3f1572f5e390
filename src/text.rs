//! Text helpers for the browser build, smaller than std's versions of the same.

use crate::prelude::*;

/// The number of characters (Unicode scalar values) in the UTF-8 `bytes`: those that do not continue a
/// sequence. `chars().count()` is faster on long text and costs 0.4 KB brotli; ours are short.
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| *b & 0xC0 != 0x80).count()
}

/// The indices, in ascending order, of the names that an earlier name in `names` already is. Sorting (stable,
/// by name, so equal names keep their order) puts equal names side by side: n log n, where comparing each name
/// with every earlier one was n² (96,000 keys took 17 s).
pub(crate) fn repeated_names(names: &[&str]) -> Vec<usize> {
    let mut sorted: Vec<(&str, usize)> = names.iter().copied().zip(0..).collect();
    crate::canonical::sort_by_utf16(&mut sorted);
    let mut repeats = vec![false; names.len()];
    for pair in sorted.windows(2).filter(|pair| pair[0].0 == pair[1].0) {
        repeats[pair[1].1] = true;
    }
    (0..names.len()).filter(|&i| repeats[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_like_chars_count() {
        for text in [
            "",
            "a",
            "Zoë",
            "Ærø 8000",
            "日本語",
            "👋🏽 hi",
            "\u{10ffff}\u{7f}\u{80}\u{800}",
        ] {
            assert_eq!(char_count(text.as_bytes()), text.chars().count(), "{text}");
        }
    }

    #[test]
    fn repeated_names_are_every_later_use_of_a_name_in_order() {
        assert_eq!(repeated_names(&["b", "a", "c", "a", "b", "a"]), [3, 4, 5]);
        assert_eq!(repeated_names(&["x", "y"]), Vec::<usize>::new());
        assert_eq!(repeated_names(&[]), Vec::<usize>::new());
    }
}
