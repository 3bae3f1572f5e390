//! The last receipt this device signed for a notice, read back on the next visit: the choices it recorded
//! come back ticked, its view and withdraw buttons come back, and the next receipt (a change or a withdrawal)
//! chains to it and names the person as it did. The page checks its signature with the device key first: a
//! receipt is read only when this browser's own key signed it.

use super::kantara::EXTENSION_KEY;
use crate::jose::base64url;
use crate::json::{parse, Value};
use crate::notice::decisions::Decisions;
use crate::notice::vocabulary::Decision;
use crate::notice::Notice;
use crate::prelude::*;

/// What the next visit needs of the last receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastReceipt {
    /// The notice revision it was made under.
    pub revision: String,
    /// Its `consentReceiptID`.
    pub receipt_id: String,
    /// Its `consentTimestamp`, in seconds.
    pub issued_at: i64,
    /// Its `piiPrincipalId`, which a withdrawal repeats.
    pub principal: String,
    /// Every purpose's decision, in receipt order.
    pub decisions: Vec<(String, Decision)>,
}

impl LastReceipt {
    /// Reads a compact JWS receipt; anything unreadable counts as no receipt (the person is simply asked).
    pub fn from_jws(jws: &str) -> Option<Self> {
        let payload = base64url::decode(jws.split('.').nth(1)?)?;
        let receipt = parse(core::str::from_utf8(&payload).ok()?).ok()?;
        let receipt = receipt.as_object()?;
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
        let extension = receipt.get(EXTENSION_KEY)?.as_object()?;
        let decisions = extension
            .get("decisions")?
            .as_array()?
            .iter()
            .map(|entry| {
                let entry = entry.as_object()?;
                let decision = Decision::from_name(entry.get("decision")?.as_str()?)?;
                Some((text(entry.get("purpose"))?, decision))
            })
            .collect::<Option<_>>()?;
        Some(Self {
            revision: text(extension.get("noticeRevision"))?,
            receipt_id: text(receipt.get("consentReceiptID"))?,
            issued_at: receipt.get("consentTimestamp")?.as_i64()?,
            principal: text(receipt.get("piiPrincipalId"))?,
            decisions,
        })
    }

    /// The decision recorded for `purpose`, if the receipt has one.
    pub fn decision(&self, purpose: &str) -> Option<Decision> {
        self.decisions
            .iter()
            .find(|(id, _)| id == purpose)
            .map(|(_, decision)| *decision)
    }
}

/// How a form starts from the last receipt this device signed for a notice.
impl Decisions {
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
}

/// How a form starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Start {
    /// The decisions shown at first.
    pub decisions: Decisions,
    /// The person chose under an earlier revision of the notice and is asked again.
    pub reconsent: bool,
}
