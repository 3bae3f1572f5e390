//! The minimisation rule a notice declares for each field, written `name` or `name:parameter`
//! (`keep`, `drop`, `sha256:email`, `truncate:40`, `year`, `age-band`, `postcode-prefix:3`, `postcode-outward`,
//! `ip-truncate`, `mask:4`).

use crate::date::Date;
use crate::ip;
use crate::normalise::{email, lowercase};
use crate::notice::FieldType;
use crate::phone::e164;
use crate::prelude::*;
use crate::sha256::{sha256, to_hex};
use crate::text::char_count;
use crate::text::decimal;

/// How `sha256` normalises a value before hashing, so the same person hashes the same everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Normaliser {
    /// Trim, lowercase; for gmail.com and googlemail.com, drop dots in the local part.
    Email,
    /// E.164 digits with the country code.
    Phone,
    /// Trim and lowercase.
    Name,
    /// As typed.
    Plain,
}

/// What happens to a field's value before it leaves the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transform {
    /// Sent as typed.
    Keep,
    /// Never sent.
    Drop,
    /// Sent as the hex SHA-256 of the normalised value.
    Sha256(Normaliser),
    /// Sent cut to this many characters.
    Truncate(u16),
    /// A date sent as its year.
    Year,
    /// A birth date sent as a ten-year band such as `30-39`.
    AgeBand,
    /// A postcode sent as its first characters.
    PostcodePrefix(u8),
    /// A UK postcode sent as its outward code (`SW1A 1AA` → `SW1A`).
    PostcodeOutward,
    /// An IP address sent as its network (IPv4 /24, IPv6 /48).
    IpTruncate,
    /// Every character but the last few replaced by `*`.
    Mask(u8),
}

/// Why a transform was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransformProblem {
    /// No such transform or normaliser, or a malformed parameter.
    Unknown,
    /// The transform does not fit the field's type.
    WrongFieldType(&'static str),
}

impl Transform {
    /// Parses a transform and checks that it suits a field of `field_type`.
    ///
    /// # Errors
    /// `Unknown` for an unknown name or bad parameter; `WrongFieldType` naming the type it needs.
    pub fn parse(text: &str, field_type: FieldType) -> Result<Self, TransformProblem> {
        let (name, parameter) = match text.split_once(':') {
            Some((name, parameter)) => (name, Some(parameter)),
            None => (text, None),
        };
        let number = |low: u16, high: u16| {
            parameter
                .filter(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u16>().ok())
                .filter(|n| (low..=high).contains(n))
                .ok_or(TransformProblem::Unknown)
        };
        let transform = match (name, parameter) {
            ("keep", None) => Self::Keep,
            ("drop", None) => Self::Drop,
            ("sha256", Some("email")) => Self::Sha256(Normaliser::Email),
            ("sha256", Some("phone")) => Self::Sha256(Normaliser::Phone),
            ("sha256", Some("name")) => Self::Sha256(Normaliser::Name),
            ("sha256", Some("plain")) => Self::Sha256(Normaliser::Plain),
            ("truncate", Some(_)) => Self::Truncate(number(1, 10_000)?),
            ("year", None) => Self::Year,
            ("age-band", None) => Self::AgeBand,
            ("postcode-prefix", Some(_)) => Self::PostcodePrefix(number(1, 10)? as u8),
            ("postcode-outward", None) => Self::PostcodeOutward,
            ("ip-truncate", None) => Self::IpTruncate,
            ("mask", Some(_)) => Self::Mask(number(0, 64)? as u8),
            _ => return Err(TransformProblem::Unknown),
        };
        let needs = match transform {
            Self::Sha256(Normaliser::Email) => Some((FieldType::Email, "email")),
            Self::Sha256(Normaliser::Phone) => Some((FieldType::Tel, "tel")),
            Self::Year | Self::AgeBand => Some((FieldType::Date, "date")),
            Self::PostcodePrefix(_) | Self::PostcodeOutward => Some((FieldType::Postcode, "postcode")),
            _ => None,
        };
        match needs {
            Some((needed, name)) if needed != field_type => Err(TransformProblem::WrongFieldType(name)),
            _ => Ok(transform),
        }
    }
}

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
    /// The rule as a notice writes it, e.g. `sha256:email` (manifests name it).
    pub fn rule(self) -> String {
        let with = |name: &str, parameter: u16| concat(&[name, ":", &decimal(parameter.into())]);
        match self {
            Self::Keep => "keep".into(),
            Self::Drop => "drop".into(),
            Self::Sha256(Normaliser::Email) => "sha256:email".into(),
            Self::Sha256(Normaliser::Phone) => "sha256:phone".into(),
            Self::Sha256(Normaliser::Name) => "sha256:name".into(),
            Self::Sha256(Normaliser::Plain) => "sha256:plain".into(),
            Self::Truncate(n) => with("truncate", n),
            Self::Year => "year".into(),
            Self::AgeBand => "age-band".into(),
            Self::PostcodePrefix(n) => with("postcode-prefix", n.into()),
            Self::PostcodeOutward => "postcode-outward".into(),
            Self::IpTruncate => "ip-truncate".into(),
            Self::Mask(n) => with("mask", n.into()),
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_documented_form() {
        let cases = [
            ("keep", FieldType::Text, Transform::Keep),
            ("drop", FieldType::Text, Transform::Drop),
            (
                "sha256:email",
                FieldType::Email,
                Transform::Sha256(Normaliser::Email),
            ),
            (
                "sha256:phone",
                FieldType::Tel,
                Transform::Sha256(Normaliser::Phone),
            ),
            (
                "sha256:name",
                FieldType::Text,
                Transform::Sha256(Normaliser::Name),
            ),
            (
                "sha256:plain",
                FieldType::Hidden,
                Transform::Sha256(Normaliser::Plain),
            ),
            ("truncate:40", FieldType::Textarea, Transform::Truncate(40)),
            ("year", FieldType::Date, Transform::Year),
            ("age-band", FieldType::Date, Transform::AgeBand),
            (
                "postcode-prefix:3",
                FieldType::Postcode,
                Transform::PostcodePrefix(3),
            ),
            (
                "postcode-outward",
                FieldType::Postcode,
                Transform::PostcodeOutward,
            ),
            ("ip-truncate", FieldType::Hidden, Transform::IpTruncate),
            ("mask:4", FieldType::Tel, Transform::Mask(4)),
        ];
        for (text, field_type, expected) in cases {
            assert_eq!(Transform::parse(text, field_type), Ok(expected), "{text}");
        }
    }

    #[test]
    fn refuses_unknown_names_bad_parameters_and_unsuitable_fields() {
        let unknown = [
            "",
            "hash",
            "sha256",
            "sha256:md5",
            "truncate",
            "truncate:0",
            "truncate:x",
            "truncate:+5",
            "truncate:99999",
            "mask:65",
            "year:2",
            "keep:1",
            "postcode-prefix:11",
        ];
        for text in unknown {
            assert_eq!(
                Transform::parse(text, FieldType::Text),
                Err(TransformProblem::Unknown),
                "{text}"
            );
        }
        assert_eq!(
            Transform::parse("year", FieldType::Text),
            Err(TransformProblem::WrongFieldType("date"))
        );
        assert_eq!(
            Transform::parse("sha256:email", FieldType::Text),
            Err(TransformProblem::WrongFieldType("email"))
        );
    }
}
