//! The relay: a task that forwards what the receiver accepted to the CRM, from the durable queue
//! ([`crate::relay_queue`]), one request at a time at most `per_second` a second (HubSpot allows 50 in 10
//! seconds), in log order per person. Each request carries `Idempotency-Key: <receipt id>`; a record is sent
//! again only when no answer came (a timeout, a reset, a 5xx, a 429), after a backoff that doubles up to an
//! hour (a 429's `Retry-After` when it gives one). A 2xx marks it delivered and it is never sent again; any
//! other 4xx, a request that cannot be made, 30 days without an answer, or a rule of the relay's own (an
//! erased payload, HubSpot's month), refuses it for good, kept with the reason for people to see
//! (`GET /relay?state=refused`, `records relay`), so that no row holds a person's queue for ever. Erasures
//! follow a person's records ([`crate::relay_erasures`]): the webhook gets an erasure event; a CRM the relay
//! cannot ask to delete gets a refusal kept for someone to act on.

use crate::confirmation::Confirmed;
use crate::consent_state::{counting, current};
use crate::crm_request::{outgoing, sent_contact, Held};
use crate::relay_erasures::{erasure_calls, DueErasure};
use crate::relay_queue::{Due, Tried};
use crate::relay_target::{Crm, Described, RelayTarget};
use crate::state::Receiver;
use crate::store::{device_thumbprint, Store};
use crate::utc::now;
use consent_capture::destination::Shaped;
use consent_capture::receipt::last::LastReceipt;
use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// How long a try may take before another receiver on the same database may take the row again.
const LEASE: i64 = 120;
/// How long the CRM has to answer.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);
/// The longest wait between tries.
const LONGEST_BACKOFF: i64 = 3_600;
/// Rows read a time.
const DUE_A_TIME: i64 = 32;
/// How often a record held for the person's confirmation is looked at again (a confirmation also makes it
/// due at once).
const AWAIT_CONFIRMATION: i64 = 300;
/// How long a record may wait for the CRM to answer before it is refused for good (for someone to act on),
/// so that it stops holding the person's later records: as long as the element's outbox tries.
const GIVE_UP_AFTER: i64 = 30 * 86_400;

/// The kind of cause of an outcome, for the log: `HTTP 503`, or the words before the first colon (never the
/// CRM's own text, which may quote the person's data).
fn cause(outcome: &str) -> &str {
    match outcome.split_once(':') {
        Some((cause, _)) => cause,
        None => outcome,
    }
}

/// Runs until the receiver is dropped; `wake` is notified when records were appended.
pub(crate) async fn run(receiver: Weak<Receiver>, wake: Arc<Notify>, target: RelayTarget) {
    let client = match reqwest::Client::builder().timeout(ANSWER_WITHIN).build() {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "the relay's HTTP client cannot start: nothing is relayed");
            return;
        }
    };
    let spacing = Duration::from_secs(1) / target.per_second.max(1);
    let mut next_send = Instant::now();
    loop {
        let Some(strong) = receiver.upgrade() else {
            return;
        };
        let store = strong.store();
        let due = match store.relay_due(now(), DUE_A_TIME).await {
            Ok(due) if due.is_empty() => store
                .erasures_due(now(), DUE_A_TIME)
                .await
                .map(|erasures| (due, erasures)),
            due => due.map(|due| (due, Vec::new())),
        };
        let wait = match due {
            Ok((due, erasures)) if !due.is_empty() || !erasures.is_empty() => {
                for due in due {
                    let result = relay_one(&strong, &client, &target, &due, spacing, &mut next_send).await;
                    if let Err(error) = result {
                        tracing::warn!(%error, position = due.position, "relay: the database failed");
                    }
                }
                for erasure in erasures {
                    let result =
                        relay_erasure(&strong, &client, &target, &erasure, spacing, &mut next_send).await;
                    if let Err(error) = result {
                        tracing::warn!(%error, "relay: the database failed");
                    }
                }
                continue;
            }
            Ok(_) => match store.relay_next_due().await {
                Ok(Some(at)) => Duration::from_secs(at.saturating_sub(now()).clamp(0, 1) as u64),
                _ => Duration::from_secs(1),
            },
            Err(error) => {
                tracing::warn!(%error, "relay: the database failed");
                Duration::from_secs(1)
            }
        };
        drop(strong);
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

async fn relay_one(
    receiver: &Receiver,
    client: &reqwest::Client,
    target: &RelayTarget,
    due: &Due,
    spacing: Duration,
    next_send: &mut Instant,
) -> Result<(), sqlx::Error> {
    let store = receiver.store();
    let Some(record) = store.relay_take(due, now() + LEASE).await? else {
        return Ok(());
    };
    let principal = LastReceipt::from_jws(&record.receipt).map(|last| last.principal);
    let held = match &principal {
        Some(principal) => store.decisions_about(principal).await?,
        None => Vec::new(),
    };
    let at = now();
    let confirmed = match &principal {
        Some(principal) => {
            let needs = receiver.config().purposes_needing_confirmation();
            store.confirmed(principal, needs).await?
        }
        None => Confirmed::default(),
    };
    let counted = counting(&held, &confirmed, at);
    let latest = current(&counted);
    // Granted here by a device that has not confirmed the person's address: held back while a link still
    // serves, then relayed as refused.
    let unconfirmed: Vec<String> = held
        .iter()
        .filter(|row| {
            row.position == record.position && row.decision.justifies() && !confirmed.counts(row, at)
        })
        .map(|row| row.purpose.clone())
        .collect();
    let awaiting_person = match (&principal, device_thumbprint(&record.receipt)) {
        (Some(principal), Some(device)) if !unconfirmed.is_empty() => {
            store.link_serving(principal, &device, at).await?
        }
        _ => false,
    };
    let notices = &receiver.config().notices;
    let contact = match (&target.crm, &principal) {
        (Crm::Described(described), Some(principal)) => {
            earlier_contact(store, described, principal, record.position).await?
        }
        _ => None,
    };
    let held = Held {
        latest: &latest,
        unconfirmed: &unconfirmed,
        contact: contact.as_deref(),
    };
    let tried = match outgoing(&target.crm, &target.url, notices, &record, &held, at) {
        Ok(_) if awaiting_person => Tried::Later(
            at + AWAIT_CONFIRMATION,
            "waiting: the person has not confirmed their address yet".into(),
        ),
        Err(reason) => Tried::Refused(reason),
        Ok(_) if now() - record.received_at > GIVE_UP_AFTER => Tried::Refused(format!(
            "the CRM gave no answer for {} days: given up (the last try: {})",
            GIVE_UP_AFTER / 86_400,
            due.outcome
        )),
        Ok(None) => Tried::Delivered("nothing sent: its destination sends nothing for this record".into()),
        Ok(Some(request)) => {
            tokio::time::sleep_until(*next_send).await;
            *next_send = Instant::now() + spacing;
            send(client, &record.receipt_id, request, due.attempts).await
        }
    };
    // The CRM's answer may quote the data: it is kept in the database (where erasure reaches it), not
    // written to the log; the log says only the kind of cause.
    match &tried {
        Tried::Delivered(_) => tracing::info!(position = due.position, "relayed"),
        Tried::Later(_, outcome) => {
            tracing::warn!(
                position = due.position,
                cause = cause(outcome),
                "relay: will try again"
            );
        }
        Tried::Refused(outcome) => {
            tracing::warn!(
                position = due.position,
                cause = cause(outcome),
                "relay: refused for good"
            );
        }
    }
    store.relay_tried(due, &tried, now()).await
}

/// What `described`'s CRM knows `principal` by, from the newest of their records before `position` that sent
/// its contact field and still holds its body: a withdrawal carries no fields, and its request may have to
/// name the person (Brevo's contact, Klaviyo's profile).
async fn earlier_contact(
    store: &Store,
    described: &Described,
    principal: &str,
    position: u64,
) -> Result<Option<String>, sqlx::Error> {
    let named = described
        .per_notice
        .iter()
        .any(|(_, destination)| destination.withdrawal.call().is_ok_and(|call| call.needs_contact));
    if !named {
        return Ok(None);
    }
    let records = store.records_about(principal).await?;
    Ok(records
        .iter()
        .rev()
        .filter(|earlier| earlier.position < position)
        .find_map(|earlier| sent_contact(&described.per_notice, &earlier.receipt, earlier.body.as_deref()?)))
}

/// Passes one erasure on to the CRM (each of its requests, in order, until one does not go through), or
/// refuses it for good where the CRM cannot delete.
async fn relay_erasure(
    receiver: &Receiver,
    client: &reqwest::Client,
    target: &RelayTarget,
    due: &DueErasure,
    spacing: Duration,
    next_send: &mut Instant,
) -> Result<(), sqlx::Error> {
    let store = receiver.store();
    if !store.erasure_take(due, now() + LEASE).await? {
        return Ok(());
    }
    let tried = match erasure_calls(target, &receiver.config().notices, due) {
        Err(reason) => Tried::Refused(reason),
        Ok(calls) => {
            let mut tried = Tried::Delivered(String::new());
            // A CRM's answer about a person it knows by their address may quote it: an erasure that named
            // one keeps only the status.
            let names_contact = !due.contacts.is_empty();
            for (index, request) in calls.into_iter().enumerate() {
                tokio::time::sleep_until(*next_send).await;
                *next_send = Instant::now() + spacing;
                let key = if index == 0 {
                    due.key()
                } else {
                    format!("{}:{index}", due.key())
                };
                tried = send(client, &key, request, due.attempts).await;
                if names_contact {
                    tried = tried.map_outcome(|outcome| cause(outcome).to_owned());
                }
                if !matches!(tried, Tried::Delivered(_)) {
                    break;
                }
            }
            tried
        }
    };
    match &tried {
        Tried::Delivered(_) => tracing::info!("erasure relayed"),
        Tried::Later(_, outcome) => {
            tracing::warn!(cause = cause(outcome), "relay: erasure will be tried again")
        }
        Tried::Refused(outcome) => tracing::warn!(cause = cause(outcome), "relay: erasure refused for good"),
    }
    store.erasure_tried(due, &tried, now()).await
}

/// Sends `request` with `Idempotency-Key: key`; its own headers come last, so that a description may set
/// its `Content-Type` (JSON:API's, say).
async fn send(client: &reqwest::Client, key: &str, request: Shaped, attempts: i64) -> Tried {
    let backoff = now() + (1_i64 << attempts.clamp(0, 12)).min(LONGEST_BACKOFF);
    let method = match reqwest::Method::from_bytes(request.method.as_bytes()) {
        Ok(method) => method,
        Err(error) => return Tried::Refused(format!("cannot be sent: {error}")),
    };
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(request.content_type));
    let mut post = client
        .request(method, &request.url)
        .header("Idempotency-Key", key);
    for (name, value) in &request.headers {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                headers.insert(name, value);
            }
            _ => {
                return Tried::Refused(format!(
                    "cannot be sent: the header {name} is not one HTTP allows"
                ))
            }
        }
    }
    post = post.headers(headers);
    let answer = post.body(request.body).send().await;
    let response = match answer {
        Ok(response) => response,
        // A request that cannot be made will never be made: it must not hold the person's queue for ever.
        Err(error) if error.is_builder() => return Tried::Refused(format!("cannot be sent: {error}")),
        Err(error) => return Tried::Later(backoff, format!("no answer: {error}")),
    };
    let status = response.status();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let text = response.text().await.unwrap_or_default();
    let excerpt: String = text.chars().take(300).collect();
    let outcome = format!("HTTP {}: {excerpt}", status.as_u16());
    if status.is_success() {
        Tried::Delivered(outcome)
    } else if status.as_u16() == 429 {
        let at = retry_after.map_or(backoff, |seconds| now() + seconds.clamp(1, LONGEST_BACKOFF));
        Tried::Later(at, outcome)
    } else if status.is_server_error() || status.as_u16() == 408 {
        Tried::Later(backoff, outcome)
    } else {
        Tried::Refused(outcome)
    }
}
