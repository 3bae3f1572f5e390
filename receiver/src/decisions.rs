//! What a receipt decides, one row per purpose: the rows the `decisions` table holds so that the state and
//! history of one person are read by their id rather than from every receipt.

use consent_capture::notice::vocabulary::Decision;

use consent_capture::json::Value;
use consent_capture::notice::vocabulary::LegalBasis;
use consent_capture::receipt::kantara::EXTENSION_KEY;

/// One purpose's decision in one receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionRow {
    /// The person, as the receipt names them (`piiPrincipalId`).
    pub principal_id: String,
    /// The purpose's id in the notice.
    pub purpose: String,
    /// The receipt's place in the log.
    pub position: u64,
    /// The receipt's `consentReceiptID`.
    pub receipt_id: String,
    /// What the person decided.
    pub decision: Decision,
    /// What the purpose rests on.
    pub legal_basis: LegalBasis,
    /// The notice revision the receipt was made under.
    pub notice_revision: String,
    /// When the person decided (`consentTimestamp`), in seconds since 1970.
    pub issued_at: i64,
    /// When the receiver received it, in seconds since 1970.
    pub received_at: i64,
}

/// The decisions of `receipt` (a receipt that passed the core's `inspect`, so every member read here is
/// present and well formed), stored at `position` and received at `received_at`.
pub fn decisions_of(receipt: &Value, position: u64, received_at: i64) -> Vec<DecisionRow> {
    let text = |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or_default().to_owned();
    let object = receipt.as_object();
    let member = |key: &str| object.and_then(|o| o.get(key));
    let extension = member(EXTENSION_KEY).and_then(Value::as_object);
    let principal_id = text(member("piiPrincipalId"));
    let receipt_id = text(member("consentReceiptID"));
    let notice_revision = text(extension.and_then(|e| e.get("noticeRevision")));
    let issued_at = member("consentTimestamp")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let decisions = extension
        .and_then(|e| e.get("decisions"))
        .and_then(Value::as_array)
        .unwrap_or_default();
    decisions
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|d| {
            Some(DecisionRow {
                principal_id: principal_id.clone(),
                purpose: d.get("purpose")?.as_str()?.to_owned(),
                position,
                receipt_id: receipt_id.clone(),
                decision: Decision::from_name(d.get("decision")?.as_str()?)?,
                legal_basis: LegalBasis::from_name(d.get("legalBasis")?.as_str()?)?,
                notice_revision: notice_revision.clone(),
                issued_at,
                received_at,
            })
        })
        .collect()
}
