//! Applying the minimisation rule a notice declares for a field ([`Transform`], read in `notice::rules`) to a
//! value: what may leave the browser, and (natively) whether what arrived has the shape of its output.

use super::date::Date;
use super::ip;
#[cfg(not(target_arch = "wasm32"))]
use super::matching;
use super::matching::{hash, normalise};
use super::normalise::{email, lowercase};
use crate::jose::sha256::{sha256, to_hex};
use crate::notice::phone::e164;
use crate::notice::rules::{Normaliser, Transform};
use crate::prelude::*;
use crate::text::{char_count, decimal};

/// What transforms need besides the value: the day of the submission (age bands) and the calling code of the
/// notice's default country (phone numbers typed without one).
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The UTC day the form was submitted.
    pub today: Date,
    /// E.g. `44`.
    pub calling_code: &'a str,
}

impl Transform {
    /// `value` as it may leave the browser. `None` for `drop`, and when the value is not what the transform
    /// reads (not a date, not a UK postcode, not an IP address, …): such a value is never sent as typed.
    pub fn apply(self, value: &str, context: Context<'_>) -> Option<String> {
        let hashed = |normalised: String| to_hex(&sha256(normalised.as_bytes()));
        match self {
            Self::Keep => Some(value.to_owned()),
            Self::Drop => None,
            Self::Sha256(Normaliser::Email) => Some(hashed(email(value))),
            Self::Sha256(Normaliser::Phone) => e164(value, context.calling_code).map(hashed),
            Self::Sha256(Normaliser::Name) => Some(hashed(lowercase(value.trim()))),
            Self::Sha256(Normaliser::Plain) => Some(hashed(value.to_owned())),
            Self::Matched(identifier, platform) => {
                normalise(platform, identifier, value, context.calling_code).map(|n| hash(platform, &n))
            }
            Self::Truncate(n) => Some(value.chars().take(n.into()).collect()),
            Self::Year => Date::parse(value.trim()).map(|date| decimal(date.year)),
            Self::AgeBand => {
                let years = Date::parse(value.trim())?.years_until(context.today)?;
                let decade = years / 10 * 10;
                (years <= 150).then(|| join(&[decimal(decade), decimal(decade + 9)], "-"))
            }
            Self::PostcodePrefix(n) => Some(compact_postcode(value).chars().take(n.into()).collect()),
            Self::PostcodeOutward => uk_outward_code(&compact_postcode(value)).map(str::to_owned),
            Self::IpTruncate => ip::network(value.trim()),
            Self::Mask(n) => Some(mask(value, n.into())),
        }
    }
}

// Native only: receivers check what arrives; the browser never needs it (and in the element's wasm, its mere
// presence measured 69 bytes brotli, unused).
#[cfg(not(target_arch = "wasm32"))]
impl Transform {
    /// Whether `value` has the shape of this transform's output (a receiver checks what arrives with it): a
    /// `sha256` value is 64 lowercase hex digits, an `age-band` a band such as `30-39`, a `truncate:N` value at
    /// most N characters, and so on. `drop` fits nothing: a dropped field never arrives.
    pub fn fits(self, value: &str) -> bool {
        let chars = value.chars().count();
        match self {
            Self::Keep => true,
            Self::Drop => false,
            Self::Sha256(_) => {
                value.len() == 64 && value.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            }
            Self::Matched(_, platform) => matching::fits(platform, value),
            Self::Truncate(n) => chars <= n.into(),
            // The year as `apply` writes it, a decimal without leading zeros: `907` for `0907-12-10` (padding
            // it in the browser measured 37 bytes brotli).
            Self::Year => {
                (1..=4).contains(&value.len())
                    && value.bytes().all(|b| b.is_ascii_digit())
                    && (value == "0" || !value.starts_with('0'))
            }
            // Tens from 0 to 150 by `map`, not `step_by`, whose panic location would ship to every page.
            Self::AgeBand => (0..=15u16)
                .map(|tens| tens * 10)
                .any(|low| join(&[decimal(low.into()), decimal((low + 9).into())], "-") == value),
            Self::PostcodePrefix(n) => {
                chars <= n.into() && !value.chars().any(|c| c.is_whitespace() || c.is_ascii_lowercase())
            }
            Self::PostcodeOutward => {
                (2..=4).contains(&value.len())
                    && value.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            }
            Self::IpTruncate => ip::network(value).as_deref() == Some(value),
            Self::Mask(n) => {
                let hidden = if chars <= n.into() {
                    chars
                } else {
                    chars - usize::from(n)
                };
                value.chars().take(hidden).all(|c| c == '*')
            }
        }
    }
}

/// Upper case without spaces: `sw1a 1aa` → `SW1A1AA`.
fn compact_postcode(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A UK postcode's outward code: all but the inward code, which is always a digit and two letters.
fn uk_outward_code(postcode: &str) -> Option<&str> {
    let bytes = postcode.as_bytes();
    let (outward, inward) = postcode.split_at_checked(bytes.len().checked_sub(3)?)?;
    let inward = inward.as_bytes();
    let shaped = (5..=7).contains(&bytes.len())
        && bytes[0].is_ascii_alphabetic()
        && outward.bytes().all(|b| b.is_ascii_alphanumeric())
        && inward[0].is_ascii_digit()
        && inward[1..].iter().all(u8::is_ascii_alphabetic);
    shaped.then_some(outward)
}

/// Every character but the last `keep` replaced by `*`; a value no longer than `keep` is masked whole, since
/// keeping all of it would send it as typed.
fn mask(value: &str, keep: usize) -> String {
    let length = char_count(value.as_bytes());
    let hidden = if length <= keep { length } else { length - keep };
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i < hidden { '*' } else { c })
        .collect()
}
