//! What the relay sends the CRM for a stored record: the request its destination's description shapes (the
//! core's one interpreter, which the browser's descriptions run on too), from the fields that arrived, which
//! are exactly what minimisation let through, or the webhook's event. The description's evidence says when
//! the consent was given (HubSpot's `submittedAt`: a browser's request leaves it to HubSpot's clock); a
//! withdrawal never carries a field, and a consent taken back before it was relayed goes without what it
//! justified.

use crate::config::KnownNotice;
use crate::decisions::DecisionRow;
use crate::relay_target::Crm;
use crate::store::Record;
use consent_capture::destination::{shape, Destination, Evidence, NoticeFacts, Shaped};
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{parse, Object, Value};
use consent_capture::notice::decisions::Decisions;
use consent_capture::notice::vocabulary::Decision;
use consent_capture::receipt::check::inspect;
use consent_capture::receipt::kantara::EXTENSION_KEY;
use consent_capture::receipt::last::LastReceipt;

/// What the relay's CRM knows the person of a stored record (`receipt`, `body`) by, where its erasure asks by
/// it: the contact as it was sent ([`sent_contact`]). Nothing for a CRM that cannot delete by it, so that an
/// erasure keeps no address it does not need.
pub fn erasure_contacts(per_notice: &[(String, Destination)], receipt: &str, body: &str) -> Vec<String> {
    let named = |destination: &Destination| destination.erasure.call().is_ok_and(|call| call.needs_contact);
    if !per_notice.iter().any(|(_, destination)| named(destination)) {
        return Vec::new();
    }
    sent_contact(per_notice, receipt, body).into_iter().collect()
}

/// The value that the field a destination names as its contact had in a stored record (`receipt`, `body`),
/// read against the record's own notice (`per_notice`, by hash), if it was sent and is not empty.
pub fn sent_contact(per_notice: &[(String, Destination)], receipt: &str, body: &str) -> Option<String> {
    let hash = notice_hash(receipt)?;
    let (_, destination) = per_notice.iter().find(|(known, _)| *known == hash)?;
    let field = destination.contact.as_deref()?;
    let body = parse(body).ok()?;
    let value = body
        .as_object()?
        .get("fields")?
        .as_object()?
        .get(field)?
        .as_str()?;
    (!value.is_empty()).then(|| value.to_owned())
}

/// The `noticeSha256` a receipt names.
fn notice_hash(receipt: &str) -> Option<String> {
    let (_, claims) = inspect(receipt).ok()?;
    let hash = claims
        .as_object()?
        .get(EXTENSION_KEY)?
        .as_object()?
        .get("noticeSha256")?
        .as_str()?;
    Some(hash.to_owned())
}

/// What the relay holds about the person a record is about, beside the record.
#[derive(Clone, Copy)]
pub struct Held<'a> {
    /// The person's latest decision for each purpose as the relay sends it ([`crate::consent_state::current`]):
    /// a consent that the person withdrew or refused since (by consent time) is relayed with that purpose
    /// refused, and without the fields only it justified, so that the CRM never gets what no longer holds.
    pub latest: &'a [&'a DecisionRow],
    /// Purposes this record grants that do not count, because its device key has not confirmed the person's
    /// address ([`crate::confirmation`]): relayed as refused, likewise.
    pub unconfirmed: &'a [String],
    /// What the CRM knows the person by, from their earlier records, for a withdrawal whose request names it.
    pub contact: Option<&'a str>,
}

/// The request for `record` (its notice among `notices`) at `now`, `None` when its destination sends nothing for
/// it (a subscription the person did not grant), or why it must never be sent.
///
/// # Errors
/// A reason the relay keeps as a permanent refusal: the payload was erased first, the notice is no longer
/// configured, the CRM cannot express it (a withdrawal its description refuses), or the CRM would refuse its
/// age (a description's `maxAgeDays`).
pub fn outgoing(
    crm: &Crm,
    url: &str,
    notices: &[KnownNotice],
    record: &Record,
    held: &Held<'_>,
    now: i64,
) -> Result<Option<Shaped>, String> {
    let Held {
        latest,
        unconfirmed,
        contact,
    } = *held;
    let body = record
        .body
        .as_deref()
        .ok_or("its data was erased before it was relayed")?;
    let last = LastReceipt::from_jws(&record.receipt).ok_or("its receipt cannot be read")?;
    let (_, claims) = inspect(&record.receipt).map_err(|_| "its receipt cannot be read")?;
    let receipt = claims.as_object().cloned().unwrap_or_default();
    let extension = receipt.get(EXTENSION_KEY).and_then(Value::as_object);
    let notice_hash = extension
        .and_then(|e| e.get("noticeSha256"))
        .and_then(Value::as_str);
    let notice = &notices
        .iter()
        .find(|known| Some(known.hash.as_str()) == notice_hash)
        .ok_or("its notice is no longer one this receiver is configured with")?
        .notice;
    let mut decisions = Decisions::recorded(notice, &last);
    let withdrawn: Vec<String> = decisions
        .iter()
        .filter(|(_, decision)| *decision == Decision::Withdrawn)
        .map(|(purpose, _)| purpose.to_owned())
        .collect();
    let fields = if withdrawn.is_empty() {
        for since in latest.iter().filter(|since| !since.decision.justifies()) {
            if decisions.get(&since.purpose) == Decision::Granted {
                // Granted here, taken back since: the CRM hears it refused.
                let _ = decisions.set(&since.purpose, false);
            }
        }
        for purpose in unconfirmed {
            let _ = decisions.set(purpose, false);
        }
        let sent = parse(body)
            .ok()
            .and_then(|body| body.as_object()?.get("fields")?.as_object().cloned())
            .ok_or("its body cannot be read")?;
        let mut fields = Object::new();
        for (name, value) in sent.iter() {
            let justified = notice
                .field(name)
                .is_some_and(|field| field.purposes.iter().any(|p| decisions.get(p).justifies()));
            if justified {
                fields.insert(name, value.clone());
            }
        }
        fields
    } else {
        Object::new()
    };
    match crm {
        Crm::Described(described) => {
            let destination = notice_hash
                .and_then(|hash| described.for_notice(hash))
                .ok_or("its notice is no longer one this receiver is configured with")?;
            if let Some(days) = destination.max_age_days {
                if now - last.issued_at > days * 86_400 {
                    return Err(format!(
                        "{} refuses a consent more than {days} days old (HubSpot: a submittedAt more than a month old)",
                        destination.name
                    ));
                }
            }
            let call = if withdrawn.is_empty() {
                &destination.submit
            } else {
                destination.withdrawal.call().map_err(str::to_owned)?
            };
            if call.needs_contact && contact.is_none() {
                return Err(format!(
                    "the relay holds no {} of this person to name them by (erased, or never sent): {}",
                    destination.contact.as_deref().unwrap_or("contact"),
                    destination.withdrawal.by_hand()
                ));
            }
            let evidence = Evidence {
                receipt: &record.receipt,
                receipt_id: &record.receipt_id,
                principal: &last.principal,
                language: receipt.get("language").and_then(Value::as_str).unwrap_or("en"),
                page_uri: "",
                page_name: "",
                consent_time: last.issued_at,
                relayed: true,
                contact: contact.unwrap_or_default(),
            };
            let facts = NoticeFacts::read(&notice.source);
            let decided = decisions.to_json(notice);
            let shaped = shape(call, &facts, &decided, &fields, evidence, &|name| {
                described.secret(name)
            });
            Ok(shaped)
        }
        Crm::Webhook => {
            let event = Object::new()
                .with("receiptId", record.receipt_id.as_str())
                .with("principal", last.principal.as_str())
                .with("receipt", record.receipt.as_str())
                .with("acknowledgement", record.acknowledgement.as_str());
            let event = if withdrawn.is_empty() {
                let mut decided = Object::new();
                for (purpose, decision) in decisions.iter() {
                    decided.insert(purpose, decision.name());
                }
                event
                    .with("event", "consent")
                    .with("decisions", decided)
                    .with("fields", fields)
            } else {
                let purposes = withdrawn.iter().map(|p| Value::from(p.as_str())).collect();
                event
                    .with("event", "withdrawal")
                    .with("withdrawn", Value::Array(purposes))
            };
            Ok(Some(Shaped {
                method: "POST".into(),
                url: url.to_owned(),
                content_type: "application/json",
                headers: Vec::new(),
                body: to_canonical_string(&Value::Object(event)),
            }))
        }
    }
}
