//! Legal bases and the person's decisions. Consent purposes start denied (never pre-ticked); purposes on
//! another legal basis need no decision and always justify their fields.

use crate::error::{Error, ErrorKind};
use crate::last_receipt::LastReceipt;
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
    pub fn start(notice: &Notice, last: Option<&LastReceipt>, gpc: bool) -> Start {
        let reconsent = last.is_some_and(|l| l.revision != notice.revision);
        let mut decisions = match last.filter(|_| !reconsent) {
            Some(last) => Self::granted_in(notice, last),
            None => Self::initial(notice),
        };
        for (id, decision) in &mut decisions.0 {
            if gpc && notice.purpose(id).is_some_and(|p| p.gpc) && *decision == Decision::Granted {
                *decision = Decision::Denied;
            }
        }
        Start { decisions, reconsent }
    }

    /// The decisions `last` recorded for the purposes of `notice` (the same revision), as that receipt's view
    /// shows them: withdrawals included.
    pub fn recorded(notice: &Notice, last: &LastReceipt) -> Self {
        let mut decisions = Self::initial(notice);
        for (id, decision) in &mut decisions.0 {
            match last.decision(id) {
                Some(recorded @ (Decision::Granted | Decision::Withdrawn))
                    if *decision == Decision::Denied =>
                {
                    *decision = recorded;
                }
                _ => {}
            }
        }
        decisions
    }

    /// What still holds after `last`: the purposes it granted, every other consent purpose denied.
    pub fn granted_in(notice: &Notice, last: &LastReceipt) -> Self {
        let mut decisions = Self::recorded(notice, last);
        for (_, decision) in &mut decisions.0 {
            if *decision == Decision::Withdrawn {
                *decision = Decision::Denied;
            }
        }
        decisions
    }

    /// Records the person's choice for a consent purpose.
    ///
    /// # Errors
    /// `UnknownPurpose` when `purpose` is not declared; `NotAllowed` when it does not rest on consent.
    pub fn set(&mut self, purpose: &str, granted: bool) -> Result<(), Error> {
        let decision = if granted {
            Decision::Granted
        } else {
            Decision::Denied
        };
        self.record(purpose, decision)
    }

    /// Withdraws the consent given for `purpose`.
    ///
    /// # Errors
    /// As [`Decisions::set`], and `NotAllowed` when the purpose is not granted.
    pub fn withdraw(&mut self, purpose: &str) -> Result<(), Error> {
        if self.get(purpose) != Decision::Granted {
            return Err(
                Error::new(ErrorKind::NotAllowed, "decisions").with_detail(concat(&[
                    "\"",
                    purpose,
                    "\" is not granted, so it cannot be withdrawn",
                ])),
            );
        }
        self.record(purpose, Decision::Withdrawn)
    }

    fn record(&mut self, purpose: &str, decision: Decision) -> Result<(), Error> {
        let slot = self
            .0
            .iter_mut()
            .find(|(id, _)| id == purpose)
            .ok_or_else(|| Error::new(ErrorKind::UnknownPurpose, "decisions").with_detail(purpose))?;
        if slot.1 == Decision::NotAsked {
            return Err(
                Error::new(ErrorKind::NotAllowed, "decisions").with_detail(concat(&[
                    "\"",
                    purpose,
                    "\" does not rest on consent",
                ])),
            );
        }
        slot.1 = decision;
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
