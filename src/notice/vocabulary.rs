//! The notice's vocabulary: the words a notice is written in (legal bases, the decisions a person can make, the
//! kinds of field), which everything that reads a notice, builds a receipt or minimises data takes from here.

/// The six lawful bases of GDPR Art. 6(1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegalBasis {
    /// Art. 6(1)(a): the person agreed.
    Consent,
    /// Art. 6(1)(b): needed for a contract with the person, or to take steps they asked for.
    Contract,
    /// Art. 6(1)(c): required by law.
    LegalObligation,
    /// Art. 6(1)(d): to protect someone's life.
    VitalInterest,
    /// Art. 6(1)(e): a task in the public interest.
    PublicTask,
    /// Art. 6(1)(f): the controller's legitimate interests, balanced against the person's.
    LegitimateInterest,
}

impl LegalBasis {
    /// Every basis with its name in the notice format.
    pub const ALL: [(Self, &'static str); 6] = [
        (Self::Consent, "consent"),
        (Self::Contract, "contract"),
        (Self::LegalObligation, "legal-obligation"),
        (Self::VitalInterest, "vital-interest"),
        (Self::PublicTask, "public-task"),
        (Self::LegitimateInterest, "legitimate-interest"),
    ];

    /// The basis named `name` in the notice format.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(basis, _)| *basis)
    }

    /// Its name in the notice format.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(basis, _)| *basis == self)
            .map_or("consent", |(_, n)| n)
    }
}

/// The person's answer for one purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Consent given.
    Granted,
    /// Consent refused or not (yet) given.
    Denied,
    /// Consent given earlier and taken back with this receipt (GDPR Art. 7(3)): only a receipt that follows
    /// one granting the purpose says so; later ones say `Denied`.
    Withdrawn,
    /// The purpose rests on another legal basis; no consent is asked.
    NotAsked,
}

impl Decision {
    /// Its name in receipts.
    pub fn name(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::Denied => "denied",
            Self::Withdrawn => "withdrawn",
            Self::NotAsked => "not-asked",
        }
    }

    /// The decision named `name` in receipts.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Granted, Self::Denied, Self::Withdrawn, Self::NotAsked]
            .into_iter()
            .find(|d| d.name() == name)
    }

    /// Whether the purpose may use data under this decision.
    pub fn justifies(self) -> bool {
        matches!(self, Self::Granted | Self::NotAsked)
    }
}

/// The kinds of form field a notice can declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A single line of text.
    Text,
    /// An e-mail address.
    Email,
    /// A phone number.
    Tel,
    /// A calendar date.
    Date,
    /// A postal code.
    Postcode,
    /// A country.
    Country,
    /// One of a list of options.
    Select,
    /// Several lines of text.
    Textarea,
    /// A yes/no box (not a consent choice: those come from purposes).
    Checkbox,
    /// A value the site sets, not shown.
    Hidden,
}

impl FieldType {
    /// Every type with its name in the notice format.
    pub const ALL: [(Self, &'static str); 10] = [
        (Self::Text, "text"),
        (Self::Email, "email"),
        (Self::Tel, "tel"),
        (Self::Date, "date"),
        (Self::Postcode, "postcode"),
        (Self::Country, "country"),
        (Self::Select, "select"),
        (Self::Textarea, "textarea"),
        (Self::Checkbox, "checkbox"),
        (Self::Hidden, "hidden"),
    ];

    /// The type named `name` in the notice format.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
    }
}
