//! Legal bases and the person's decisions. Consent purposes start denied (never pre-ticked); purposes on
//! another legal basis need no decision and always justify their fields.

use super::model::Notice;
use super::vocabulary::{Decision, LegalBasis};
use crate::error::{Error, ErrorKind};
use crate::json::{Object, Value};
use crate::prelude::*;

/// One decision per purpose of a notice, in the notice's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decisions(pub(crate) Vec<(String, Decision)>);

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

    /// Every purpose's decision as receipts carry it (and the `json` adapter's body repeats it):
    /// `[{"purpose", "legalBasis", "decision"}, …]`.
    pub fn to_json(&self, notice: &Notice) -> Value {
        let decisions = self
            .iter()
            .map(|(id, decision)| {
                let basis = notice.purpose(id).map_or(LegalBasis::Consent, |p| p.legal_basis);
                Object::new()
                    .with("purpose", id)
                    .with("legalBasis", basis.name())
                    .with("decision", decision.name())
                    .into()
            })
            .collect();
        Value::Array(decisions)
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
