//! Hashed identifiers as each ad platform matches them (`sha256:<identifier>:<platform>`). A hash is useful only
//! if the platform computes the same one, and each platform normalises differently before hashing: Google drops a
//! `+tag` and the dots of gmail.com and googlemail.com addresses, UID2 of gmail.com only, Meta of none; Google,
//! TikTok and UID2 take a phone in E.164 with its `+`, Meta, Snap and Pinterest its digits without; UID2 wants the
//! digest in Base64, the others in hex. Each rule is written from that platform's own documentation, as read on
//! the date its `Platform::version` gives, so that a receipt naming the rule and its version stays unambiguous
//! when a platform changes its rule.

use super::date::Date;
use super::normalise::lowercase;
use crate::jose::base64;
use crate::jose::sha256::{sha256, to_hex};
use crate::notice::phone::e164;
use crate::notice::platforms::{Identifier, Platform};
use crate::prelude::*;
use crate::text::decimal;

/// `value` as `platform` normalises `identifier` before hashing, or `None` when it cannot be (a phone number
/// that cannot be made E.164 with `calling_code`, a date that is not one, a gender the platform has no letter
/// for): such a value is never sent.
pub fn normalise(
    platform: Platform,
    identifier: Identifier,
    value: &str,
    calling_code: &str,
) -> Option<String> {
    use Platform::*;
    Some(match identifier {
        Identifier::Email => email(platform, value),
        Identifier::Phone => {
            let international = e164(value, calling_code)?;
            match platform {
                // Digits with the country code, no `+`.
                Meta | Snap | Pinterest => international.trim_start_matches('+').to_owned(),
                _ => international,
            }
        }
        Identifier::Name => match platform {
            Meta => without(&lowercase(value.trim()), |c| c.is_ascii_punctuation()),
            _ => lowercase(value.trim()),
        },
        Identifier::City => without(&lowercase(value.trim()), |c| {
            c.is_ascii_punctuation() || c.is_whitespace()
        }),
        Identifier::Postcode => match platform {
            Pinterest => without(value, |c| !c.is_ascii_digit()),
            _ => {
                let compact = without(&lowercase(value.trim()), |c| c == ' ' || c == '-');
                us_zip(&compact).unwrap_or(compact)
            }
        },
        Identifier::Country => {
            let code = lowercase(value.trim());
            (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())).then_some(code)?
        }
        Identifier::BirthDate => {
            // YYYYMMDD.
            let date = Date::parse(value.trim())?;
            concat(&[
                &padded(date.year, 4),
                &padded(date.month.into(), 2),
                &padded(date.day.into(), 2),
            ])
        }
        Identifier::Gender => {
            let first = lowercase(value.trim()).chars().next()?;
            let letters: &[char] = if platform == Pinterest {
                &['f', 'm', 'n']
            } else {
                &['f', 'm']
            };
            letters.contains(&first).then(|| String::from(first))?
        }
    })
}

/// The hash `platform` matches: SHA-256 of the normalised value, in its encoding.
pub fn hash(platform: Platform, normalised: &str) -> String {
    let digest = sha256(normalised.as_bytes());
    if platform.base64() {
        base64::encode(&digest)
    } else {
        to_hex(&digest)
    }
}

/// An e-mail address as `platform` normalises it. Google (Data Manager): no whitespace anywhere, lowercase, and
/// for gmail.com and googlemail.com no `+tag` and no dots in the local part. UID2 and EUID: trimmed, ASCII
/// lowercase, and for gmail.com alone the same two removals. The others: trimmed and lowercase.
fn email(platform: Platform, value: &str) -> String {
    let (lower, gmail_domains): (String, &[&str]) = match platform {
        Platform::Google => (
            lowercase(&without(value, char::is_whitespace)),
            &["gmail.com", "googlemail.com"],
        ),
        Platform::Uid2 | Platform::Euid => (value.trim().to_ascii_lowercase(), &["gmail.com"]),
        _ => return lowercase(value.trim()),
    };
    match lower.rsplit_once('@') {
        Some((local, domain)) if gmail_domains.contains(&domain) => {
            let untagged = local.split_once('+').map_or(local, |(before, _)| before);
            concat(&[&without(untagged, |c| c == '.'), "@", domain])
        }
        _ => lower,
    }
}

/// `n` in decimal, with leading zeros to `width` digits.
fn padded(n: i64, width: usize) -> String {
    let digits = decimal(n);
    let mut out = String::with_capacity(width);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
    out
}

/// `text` without the characters `drop` picks.
fn without(text: &str, drop: impl Fn(char) -> bool) -> String {
    text.chars().filter(|&c| !drop(c)).collect()
}

/// A US ZIP+4 (`12345-6789`, here `123456789` once compacted, or still with its dash) as its first five digits,
/// as Meta asks for US codes.
fn us_zip(compact: &str) -> Option<String> {
    let digits = compact.bytes().all(|b| b.is_ascii_digit());
    (digits && compact.len() == 9).then(|| compact.chars().take(5).collect())
}

/// Whether `value` has the shape of `platform`'s hash: 64 lowercase hex digits, or 44 characters of padded
/// Base64 for UID2 and EUID.
#[cfg(not(target_arch = "wasm32"))]
pub fn fits(platform: Platform, value: &str) -> bool {
    if platform.base64() {
        value.len() == 44
            && value.ends_with('=')
            && value[..43]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    } else {
        value.len() == 64 && value.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}
