//! The ad platforms a hashing rule can name (`sha256:<identifier>:<platform>`), the identifiers each matches
//! hashed, and the version of their documentation the rules follow. How each normalises and encodes is
//! minimisation's (`minimise::matching`).

/// An ad platform that matches hashed identifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Google Ads (Customer Match, enhanced conversions) and the Data Manager API.
    Google,
    /// Meta's Conversions API and Custom Audiences.
    Meta,
    /// The Trade Desk's Unified ID 2.0.
    Uid2,
    /// European Unified ID, which normalises and encodes as UID2 does.
    Euid,
    /// TikTok's Events API.
    Tiktok,
    /// LinkedIn's Conversions API (it matches names, company and title in clear).
    Linkedin,
    /// Pinterest's Conversions API.
    Pinterest,
    /// Snap's Conversions API.
    Snap,
}

/// What a hashed value identifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identifier {
    /// An e-mail address.
    Email,
    /// A phone number, made E.164 first.
    Phone,
    /// A first or last name.
    Name,
    /// A city.
    City,
    /// A postal code.
    Postcode,
    /// A country, as its ISO 3166-1 alpha-2 code.
    Country,
    /// A date of birth.
    BirthDate,
    /// A gender.
    Gender,
}

impl Platform {
    /// Every platform with its name in a rule.
    pub const ALL: [(Self, &'static str); 8] = [
        (Self::Google, "google"),
        (Self::Meta, "meta"),
        (Self::Uid2, "uid2"),
        (Self::Euid, "euid"),
        (Self::Tiktok, "tiktok"),
        (Self::Linkedin, "linkedin"),
        (Self::Pinterest, "pinterest"),
        (Self::Snap, "snap"),
    ];

    /// Its name in a rule (`google`).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(platform, _)| *platform == self)
            .map_or("", |(_, name)| name)
    }

    /// The platforms that match some identifiers as typed (Google: country, postal code and city; LinkedIn:
    /// names, company and title), with their names as people know them: what a notice's `sentAsTypedTo` may
    /// name, and what the form writes after such a field's label. The others match only hashes.
    pub const AS_TYPED: [(Self, &'static str); 2] = [(Self::Google, "Google"), (Self::Linkedin, "LinkedIn")];

    /// When its documentation was read for the rules here: a receipt names it beside the rule.
    pub fn version(self) -> &'static str {
        "2026-12"
    }

    /// Whether it matches `identifier` hashed (LinkedIn takes only the e-mail address hashed; UID2, EUID,
    /// TikTok and Snap the address and the phone).
    pub fn matches(self, identifier: Identifier) -> bool {
        use Identifier::*;
        match self {
            Self::Google => matches!(identifier, Email | Phone | Name),
            Self::Meta | Self::Pinterest => true,
            Self::Uid2 | Self::Euid | Self::Tiktok | Self::Snap => matches!(identifier, Email | Phone),
            Self::Linkedin => identifier == Email,
        }
    }

    /// Whether the digest goes in Base64 (UID2, EUID) rather than lowercase hex.
    pub fn base64(self) -> bool {
        matches!(self, Self::Uid2 | Self::Euid)
    }
}

impl Identifier {
    /// Every identifier with its name in a rule.
    pub const ALL: [(Self, &'static str); 8] = [
        (Self::Email, "email"),
        (Self::Phone, "phone"),
        (Self::Name, "name"),
        (Self::City, "city"),
        (Self::Postcode, "postcode"),
        (Self::Country, "country"),
        (Self::BirthDate, "birthdate"),
        (Self::Gender, "gender"),
    ];

    /// Its name in a rule (`email`).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(identifier, _)| *identifier == self)
            .map_or("", |(_, name)| name)
    }
}
