//! Text helpers for the browser build, smaller than std's versions of the same.

// Not the prelude, which takes `concat` and `join` from here.
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// `parts` one after another, as `parts.concat()` gives them. std's `concat` and `join` share a 1.2 KB generic
/// copier (with its own overflow panic) for each type of part: the browser build carried two.
pub(crate) fn concat(parts: &[&str]) -> String {
    join(parts, "")
}

/// `parts` with `separator` between each two, as `parts.join(separator)` gives them (see `concat`).
pub(crate) fn join<Part: AsRef<str>>(parts: &[Part], separator: &str) -> String {
    let mut joined = String::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            joined.push_str(separator);
        }
        joined.push_str(part.as_ref());
    }
    joined
}

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
    sort_by_utf16(&mut sorted);
    let mut repeats = vec![false; names.len()];
    for pair in sorted.windows(2).filter(|pair| pair[0].0 == pair[1].0) {
        repeats[pair[1].1] = true;
    }
    (0..names.len()).filter(|&i| repeats[i]).collect()
}

/// Sorts named items by their names' UTF-16 code units (RFC 8785's member order), stably. A bottom-up merge
/// sort of our own: `sort_by` costs 1.8 KB brotli more on every page (measured), and `sort_unstable_by` 1.2 KB.
/// Canonical JSON orders members with it, and repeated names are found with it in n log n
/// ([`repeated_names`]).
pub(crate) fn sort_by_utf16<T: Copy>(items: &mut [(&str, T)]) {
    let len = items.len();
    let mut scratch = items.to_vec();
    let mut width = 1;
    while width < len {
        // A `while`, not `step_by`, whose panic location would ship to every page.
        let mut start = 0;
        while start < len {
            let middle = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut left, mut right) = (start, middle);
            for slot in &mut scratch[start..end] {
                let take_left = right >= end
                    || (left < middle && items[left].0.encode_utf16().le(items[right].0.encode_utf16()));
                if take_left {
                    *slot = items[left];
                    left += 1;
                } else {
                    *slot = items[right];
                    right += 1;
                }
            }

            start += 2 * width;
        }
        for (item, sorted) in items.iter_mut().zip(&scratch) {
            *item = *sorted;
        }
        width *= 2;
    }
}

/// `n` in plain decimal. Numbers become text here and not with `format!`, whose machinery the browser build
/// leaves out.
pub(crate) fn decimal(n: i64) -> String {
    let mut out = String::new();
    write_integer(&mut out, n);
    out
}

/// Decimal digits of an integer, without pulling the formatting machinery into the browser build.
pub(crate) fn write_integer(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut magnitude = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// The number `text` writes in plain decimal, as C2SP's formats write sizes and times: ASCII digits only, no
/// sign, no leading zero (but `0` itself), at most `i64::MAX`. `None` otherwise.
/// `text` split at a blank line (two newlines in a row: the first ends what comes before, the second is taken
/// out): at the first one, or the `last`. A byte search and `split_at_checked`: `find("\n\n")` brings in the
/// two-way string searcher, and slicing a `str` by index the formatting of its panic (together 4 KB of the
/// verifier module).
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub(crate) fn split_at_blank_line(text: &str, last: bool) -> Option<(&str, &str)> {
    let mut pairs = text.as_bytes().windows(2);
    let at = if last {
        pairs.rposition(|pair| pair == b"\n\n")
    } else {
        pairs.position(|pair| pair == b"\n\n")
    }?;
    let (before, after) = text.split_at_checked(at + 1)?;
    Some((before, after.get(1..)?))
}

#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub(crate) fn parse_decimal(text: &str) -> Option<u64> {
    let digits = text.as_bytes();
    if digits.is_empty() || (digits.len() > 1 && digits[0] == b'0') {
        return None;
    }
    digits
        .iter()
        .try_fold(0u64, |n, &b| {
            b.is_ascii_digit()
                .then(|| n.checked_mul(10)?.checked_add(u64::from(b - b'0')))?
        })
        .filter(|&n| n <= i64::MAX as u64)
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
