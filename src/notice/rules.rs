//! The minimisation rule a notice declares for each field, written `name` or `name:parameter`
//! (`keep`, `drop`, `sha256:email`, `truncate:40`, `year`, `age-band`, `postcode-prefix:3`, `postcode-outward`,
//! `ip-truncate`, `mask:4`): its syntax, and which field types it fits. Applying it is minimisation's
//! (`minimise::transform`).

use super::platforms::{Identifier, Platform};
use super::vocabulary::FieldType;
use crate::prelude::*;
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
    /// Sent as the hex SHA-256 of the normalised value (consent-capture's own rule, kept for the notices that
    /// name it: it matches no platform's exactly).
    Sha256(Normaliser),
    /// Sent as the SHA-256 one platform matches this identifier by, normalised and encoded as it documents
    /// (`sha256:email:google`).
    Matched(Identifier, Platform),
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
            ("sha256", Some(rule)) => {
                let (identifier, platform) = rule.split_once(':').ok_or(TransformProblem::Unknown)?;
                let identifier = Identifier::ALL
                    .iter()
                    .find(|(_, n)| *n == identifier)
                    .map(|(i, _)| *i);
                let platform = Platform::ALL
                    .iter()
                    .find(|(_, n)| *n == platform)
                    .map(|(p, _)| *p);
                match (identifier, platform) {
                    (Some(identifier), Some(platform)) if platform.matches(identifier) => {
                        Self::Matched(identifier, platform)
                    }
                    _ => return Err(TransformProblem::Unknown),
                }
            }
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
            Self::Matched(Identifier::Email, _) => Some((FieldType::Email, "email")),
            Self::Matched(Identifier::Phone, _) => Some((FieldType::Tel, "tel")),
            Self::Matched(Identifier::BirthDate, _) => Some((FieldType::Date, "date")),
            Self::Matched(Identifier::Postcode, _) => Some((FieldType::Postcode, "postcode")),
            Self::Matched(Identifier::Country, _) => Some((FieldType::Country, "country")),
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

impl Transform {
    /// Whether it hashes a phone number, which needs a country to be made E.164.
    pub fn hashes_phone(self) -> bool {
        matches!(
            self,
            Self::Sha256(Normaliser::Phone) | Self::Matched(Identifier::Phone, _)
        )
    }

    /// When the documentation of the platform whose rule it is was read (`2026-12`): a receipt names it
    /// beside the rule, so that a later change of that platform's rule never makes it ambiguous.
    pub fn rule_version(self) -> Option<&'static str> {
        match self {
            Self::Matched(_, platform) => Some(platform.version()),
            _ => None,
        }
    }

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
            Self::Matched(identifier, platform) => {
                concat(&["sha256:", identifier.name(), ":", platform.name()])
            }
            Self::Truncate(n) => with("truncate", n),
            Self::Year => "year".into(),
            Self::AgeBand => "age-band".into(),
            Self::PostcodePrefix(n) => with("postcode-prefix", n.into()),
            Self::PostcodeOutward => "postcode-outward".into(),
            Self::IpTruncate => "ip-truncate".into(),
            Self::Mask(n) => with("mask", n.into()),
        }
    }
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
