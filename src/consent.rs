//! Legal bases and the person's decisions. Consent purposes start denied (never pre-ticked); purposes on
//! another legal basis need no decision and always justify their fields.

use crate::error::{Error, ErrorKind};
use crate::last_receipt::LastReceipt;
use crate::notice::vocabulary::{Decision, LegalBasis};
use crate::notice::Notice;
use crate::prelude::*;

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
