//! HubSpot Forms API v3 submission body: contact fields (`objectTypeId` `0-1`), the page context, and
//! `legalConsentOptions.consent` whose text points at the receipt and the notice hash, with one
//! `communications[]` entry per consent purpose the notice maps to a subscription type.

use super::shape::Evidence;
use crate::json::canonical::to_canonical_string;
use crate::json::{Object, Value};
use crate::notice::decisions::Decisions;
use crate::notice::signature::notice_hash;
use crate::notice::{crm_name, Notice};
use crate::prelude::*;

pub(super) fn body(
    notice: &Notice,
    decisions: &Decisions,
    payload: &Object,
    evidence: Evidence<'_>,
) -> String {
    let settings = &notice.crm.hubspot;
    let fields = payload
        .iter()
        .map(|(name, value)| {
            Object::new()
                .with("objectTypeId", "0-1")
                .with("name", crm_name(&settings.fields, name))
                .with("value", value.clone())
                .into()
        })
        .collect();
    let communications = settings
        .subscriptions
        .iter()
        .filter_map(|(purpose, id)| {
            let name = notice.purpose(purpose)?.name.get(evidence.language);
            Some(
                Object::new()
                    .with("value", decisions.get(purpose).justifies())
                    .with("subscriptionTypeId", *id)
                    .with("text", name)
                    .into(),
            )
        })
        .collect();
    let text = concat(&[
        "Consent receipt ",
        evidence.receipt_id,
        " for notice sha256:",
        &notice_hash(notice),
        " (revision ",
        &notice.revision,
        ") of ",
        &notice.controller.name,
        ".",
    ]);
    let consent = Object::new()
        .with("consentToProcess", !payload.is_empty())
        .with("text", text)
        .with("communications", Value::Array(communications));
    to_canonical_string(&Value::Object(
        Object::new()
            .with("fields", Value::Array(fields))
            .with(
                "context",
                Object::new()
                    .with("pageUri", evidence.page_uri)
                    .with("pageName", evidence.page_name),
            )
            .with("legalConsentOptions", Object::new().with("consent", consent)),
    ))
}
