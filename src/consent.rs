//! Legal bases and the person's decisions. Consent purposes start denied (never pre-ticked); purposes on
//! another legal basis need no decision and always justify their fields.

use crate::error::{Error, ErrorKind};
use crate::json::parse;
use crate::notice::Notice;
use crate::prelude::*;

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
    /// The purpose rests on another legal basis; no consent is asked.
    NotAsked,
}

impl Decision {
    /// Its name in receipts.
    pub fn name(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::Denied => "denied",
            Self::NotAsked => "not-asked",
        }
    }

    /// Whether the purpose may use data under this decision.
    pub fn justifies(self) -> bool {
        matches!(self, Self::Granted | Self::NotAsked)
    }
}

/// One decision per purpose of a notice, in the notice's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decisions(Vec<(String, Decision)>);

impl Decisions {
    /// The starting state: every consent purpose denied, every other purpose not asked.
    pub fn initial(notice: &Notice) -> Self {
        Self(
            notice
                .purposes
                .iter()
                .map(|p| {
                    let decision = if p.legal_basis == LegalBasis::Consent {
                        Decision::Denied
                    } else {
                        Decision::NotAsked
                    };
                    (p.id.clone(), decision)
                })
                .collect(),
        )
    }

    /// The decisions a form starts with. Choices stored under this notice revision come back, except that
    /// with Global Privacy Control on, `gpc` purposes start denied; under another revision nothing comes back
    /// and the person is asked again.
    pub fn start(notice: &Notice, stored: Option<&Stored>, gpc: bool) -> Start {
        let mut decisions = Self::initial(notice);
        let reconsent = stored.is_some_and(|s| s.revision != notice.revision);
        if let Some(stored) = stored.filter(|_| !reconsent) {
            for (id, decision) in &mut decisions.0 {
                let blocked_by_gpc = gpc && notice.purpose(id).is_some_and(|p| p.gpc);
                if *decision == Decision::Denied && stored.granted.contains(id) && !blocked_by_gpc {
                    *decision = Decision::Granted;
                }
            }
        }
        Start { decisions, reconsent }
    }

    /// Records the person's choice for a consent purpose.
    ///
    /// # Errors
    /// `UnknownPurpose` when `purpose` is not declared; `NotAllowed` when it does not rest on consent.
    pub fn set(&mut self, purpose: &str, granted: bool) -> Result<(), Error> {
        let slot = self
            .0
            .iter_mut()
            .find(|(id, _)| id == purpose)
            .ok_or_else(|| Error::new(ErrorKind::UnknownPurpose, "decisions").with_detail(purpose))?;
        if slot.1 == Decision::NotAsked {
            return Err(Error::new(ErrorKind::NotAllowed, "decisions")
                .with_detail(["\"", purpose, "\" does not rest on consent"].concat()));
        }
        slot.1 = if granted {
            Decision::Granted
        } else {
            Decision::Denied
        };
        Ok(())
    }

    /// The decision for `purpose` (`Denied` for a purpose the notice does not declare).
    pub fn get(&self, purpose: &str) -> Decision {
        self.0
            .iter()
            .find(|(id, _)| id == purpose)
            .map_or(Decision::Denied, |(_, d)| *d)
    }

    /// Every purpose with its decision, in notice order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Decision)> {
        self.0.iter().map(|(id, d)| (id.as_str(), *d))
    }
}

/// How a form starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Start {
    /// The decisions shown at first.
    pub decisions: Decisions,
    /// The person chose under an earlier revision of the notice and is asked again.
    pub reconsent: bool,
}

/// The person's last choices, as the page reads them from the last receipt this device signed:
/// `{"revision": "...", "granted": ["newsletter"]}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// The notice revision they were made under.
    pub revision: String,
    /// The consent purposes granted.
    pub granted: Vec<String>,
}

impl Stored {
    /// Reads stored choices; anything malformed counts as no stored choice (the person is simply asked).
    pub fn from_json(text: &str) -> Option<Self> {
        let value = parse(text).ok()?;
        let object = value.as_object()?;
        let revision = object.get("revision")?.as_str()?.to_owned();
        let granted = object
            .get("granted")?
            .as_array()?
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<_>>()?;
        Some(Self { revision, granted })
    }
}
