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
use consent_capture::destination::{shape, Evidence, NoticeFacts, Shaped};
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{parse, Object, Value};
use consent_capture::notice::decisions::Decisions;
use consent_capture::notice::vocabulary::Decision;
use consent_capture::notice::FieldType;
use consent_capture::receipt::check::inspect;
use consent_capture::receipt::kantara::EXTENSION_KEY;
use consent_capture::receipt::last::LastReceipt;

/// The addresses by which HubSpot knows the person a stored record (`receipt`, `body`) is about, as its GDPR
/// delete asks for them: the values, as they were sent, of the notice's e-mail fields that HubSpot gets as
/// its `email` property. Only such fields: another address in the form (a colleague's, say) is not this
/// person's contact, and deleting it would erase someone else.
pub fn hubspot_contacts(notices: &[KnownNotice], receipt: &str, body: &str) -> Vec<String> {
    let Ok((_, claims)) = inspect(receipt) else {
        return Vec::new();
    };
    let notice_hash = claims.as_object().and_then(|claims| {
        claims
            .get(EXTENSION_KEY)?
            .as_object()?
            .get("noticeSha256")?
            .as_str()
    });
    let Some(known) = notices
        .iter()
        .find(|known| Some(known.hash.as_str()) == notice_hash)
    else {
        return Vec::new();
    };
    let sent = parse(body)
        .ok()
        .and_then(|body| body.as_object()?.get("fields")?.as_object().cloned())
        .unwrap_or_default();
    // The HubSpot description's `fields` setting: notice field → HubSpot property (unmapped: its own name).
    let renamed = known
        .notice
        .source
        .as_object()
        .and_then(|notice| {
            notice
                .get("crm")?
                .as_object()?
                .get("hubspot")?
                .as_object()?
                .get("fields")?
                .as_object()
        })
        .cloned()
        .unwrap_or_default();
    let property = |name: &str| {
        renamed
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or(name)
            .to_owned()
    };
    known
        .notice
        .fields
        .iter()
        .filter(|field| field.field_type == FieldType::Email && property(&field.name) == "email")
        .filter_map(|field| sent.get(&field.name)?.as_str())
        .filter(|address| !address.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The request for `record` (its notice among `notices`) at `now`, `None` when its destination sends nothing for
/// it (a subscription the person did not grant), or why it must never be sent. `latest` is
/// the person's latest decision for each purpose as the relay sends it ([`crate::consent_state::current`]):
/// a consent that the person withdrew or refused since (by consent time) is relayed with that purpose
/// refused, and without the fields only it justified, so that the CRM never gets what no longer holds.
/// `unconfirmed` are purposes this record grants that do not count, because its device key has not confirmed
/// the person's address ([`crate::confirmation`]): relayed as refused, likewise.
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
    latest: &[&DecisionRow],
    unconfirmed: &[String],
    now: i64,
) -> Result<Option<Shaped>, String> {
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
        for held in latest.iter().filter(|held| !held.decision.justifies()) {
            if decisions.get(&held.purpose) == Decision::Granted {
                // Granted here, taken back since: the CRM hears it refused.
                let _ = decisions.set(&held.purpose, false);
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
                destination.withdrawal_call().map_err(str::to_owned)?
            };
            let evidence = Evidence {
                receipt: &record.receipt,
                receipt_id: &record.receipt_id,
                principal: &last.principal,
                language: receipt.get("language").and_then(Value::as_str).unwrap_or("en"),
                page_uri: "",
                page_name: "",
                consent_time: last.issued_at,
                relayed: true,
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
