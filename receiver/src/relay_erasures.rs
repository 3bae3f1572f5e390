//! The relay's queue of erasures (`relay_erasures`, migrations 4 and 8): an erasure of a person whose records
//! were queued for the CRM is passed on to it, once none of the person's records waits (so that it comes
//! after them), and ends delivered or refused for good like a record's row ([`crate::relay_queue`]). For a
//! CRM that deletes by address, the row holds the person's addresses until it ends, and no longer.

use crate::config::KnownNotice;
use crate::relay_queue::{with_progress, Tried};
use crate::relay_target::Crm;
use crate::relay_target::RelayTarget;
use crate::store::Store;
use crate::utc::iso8601;
use consent_capture::destination::{shape, Evidence, NoticeFacts, Shaped};
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{Object, Value};
use serde_json::{json, Value as Json};
use sqlx::Row;

/// An erasure that is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueErasure {
    /// The person, as receipts name them.
    pub principal_id: String,
    /// When the erasure was made, in seconds since 1970.
    pub requested_at: i64,
    /// Who asked: `person` or `controller`.
    pub requested_by: String,
    /// How many times it was tried.
    pub attempts: i64,
    /// Its `next_attempt_at` when read: taking it checks that no one else took it since.
    pub next_attempt_at: i64,
    /// What the CRM knows the person by, where its erasure names it (the description's contact field).
    pub contacts: Vec<String>,
}

impl DueErasure {
    /// Its `Idempotency-Key`: one per person and erasure.
    pub fn key(&self) -> String {
        format!("erasure:{}:{}", self.principal_id, self.requested_at)
    }
}

/// What an erasure becomes for `target`'s CRM: the webhook's erasure event; the description's erasure request
/// for each contact the erasure kept (HubSpot's GDPR delete, Klaviyo's deletion job: the CRM deletes the person
/// and what hangs on them); or why that CRM cannot be asked (a refusal kept for someone to act on by hand).
/// Every configured notice reads the same description; its erasure is read against the first (a person's
/// records may span notices, and an erasure request names the person, not a notice's settings).
///
/// # Errors
/// The CRM has no way to delete that the relay can reach, the relay lacks the secret it names, or no contact
/// was kept to name the person by.
pub fn erasure_calls(
    target: &RelayTarget,
    notices: &[KnownNotice],
    erasure: &DueErasure,
) -> Result<Vec<Shaped>, String> {
    let described = match &target.crm {
        Crm::Webhook => {
            return Ok(vec![Shaped {
                method: "POST".into(),
                url: target.url.clone(),
                content_type: "application/json",
                headers: Vec::new(),
                body: to_canonical_string(&Value::Object(
                    Object::new()
                        .with("event", "erasure")
                        .with("principal", erasure.principal_id.as_str())
                        .with("requestedAt", iso8601(erasure.requested_at).as_str())
                        .with("requestedBy", erasure.requested_by.as_str()),
                )),
            }])
        }
        Crm::Described(described) => described,
    };
    let first = described.per_notice.first().and_then(|(hash, destination)| {
        let known = notices.iter().find(|known| known.hash == *hash)?;
        Some((NoticeFacts::read(&known.notice.source), destination))
    });
    let Some((facts, destination)) = first else {
        return Err("no notice configures this CRM: delete this person there by hand".into());
    };
    let call = destination.erasure.call().map_err(str::to_owned)?;
    let by_hand = destination.erasure.by_hand();
    if let Some(missing) = call.secrets.iter().find(|name| described.secret(name).is_none()) {
        return Err(format!(
            "the relay was not given the secret {missing} its erasure needs (--relay-secret {missing}=FILE): {by_hand}"
        ));
    }
    if call.needs_contact && erasure.contacts.is_empty() {
        return Err(format!(
            "no {} of this person went to the CRM, so the relay cannot name them: {by_hand}",
            destination.contact.as_deref().unwrap_or("contact")
        ));
    }
    let none = Value::Array(Vec::new());
    let shaped = |contact: &str| {
        let evidence = Evidence {
            receipt: "",
            receipt_id: "",
            principal: &erasure.principal_id,
            language: "en",
            page_uri: "",
            page_name: "",
            consent_time: erasure.requested_at,
            relayed: true,
            contact,
        };
        shape(call, &facts, &none, &Object::new(), evidence, &|name| {
            described.secret(name)
        })
    };
    let calls: Vec<Shaped> = if call.needs_contact {
        erasure
            .contacts
            .iter()
            .filter_map(|contact| shaped(contact))
            .collect()
    } else {
        shaped("").into_iter().collect()
    };
    if calls.is_empty() {
        return Err(format!(
            "its description sends nothing for this erasure: {by_hand}"
        ));
    }
    Ok(calls)
}

impl Store {
    /// At most `limit` erasures due by `now` whose person has no record waiting, the oldest first.
    ///
    /// # Errors
    /// The database fails.
    pub async fn erasures_due(&self, now: i64, limit: i64) -> Result<Vec<DueErasure>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT e.principal_id, e.requested_at, e.requested_by, e.attempts, e.next_attempt_at, \
             e.crm_contacts FROM relay_erasures e WHERE e.state = 'waiting' AND e.next_attempt_at <= $1 AND NOT EXISTS \
             (SELECT 1 FROM relay q WHERE q.principal_id = e.principal_id AND q.state = 'waiting') \
             ORDER BY e.requested_at LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DueErasure {
                    principal_id: row.try_get("principal_id")?,
                    requested_at: row.try_get("requested_at")?,
                    requested_by: row.try_get("requested_by")?,
                    attempts: row.try_get("attempts")?,
                    next_attempt_at: row.try_get("next_attempt_at")?,
                    contacts: row
                        .try_get::<Option<String>, _>("crm_contacts")?
                        .and_then(|text| serde_json::from_str(&text).ok())
                        .unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Takes `due` until `until`, unless another receiver took it first; whether it was taken.
    ///
    /// # Errors
    /// The database fails.
    pub async fn erasure_take(&self, due: &DueErasure, until: i64) -> Result<bool, sqlx::Error> {
        let taken = sqlx::query(
            "UPDATE relay_erasures SET next_attempt_at = $1 WHERE principal_id = $2 AND requested_at = $3 \
             AND state = 'waiting' AND next_attempt_at = $4",
        )
        .bind(until)
        .bind(&due.principal_id)
        .bind(due.requested_at)
        .bind(due.next_attempt_at)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(taken > 0)
    }

    /// Records how the try of `due` at `now` ended; an erasure that ended keeps no address.
    ///
    /// # Errors
    /// The database fails.
    pub async fn erasure_tried(&self, due: &DueErasure, tried: &Tried, now: i64) -> Result<(), sqlx::Error> {
        let (state, next, outcome, finished) = tried.row(now);
        sqlx::query(
            "UPDATE relay_erasures SET state = $1, attempts = attempts + 1, next_attempt_at = $2, \
             outcome = $3, finished_at = $4, \
             crm_contacts = CASE WHEN $1 = 'waiting' THEN crm_contacts ELSE NULL END \
             WHERE principal_id = $5 AND requested_at = $6",
        )
        .bind(state)
        .bind(next)
        .bind(outcome)
        .bind(finished)
        .bind(&due.principal_id)
        .bind(due.requested_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The erasures in `state`, the latest first, at most `limit`.
    ///
    /// # Errors
    /// The database fails.
    pub async fn erasure_rows(&self, state: &str, limit: i64) -> Result<Vec<Json>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT principal_id, requested_at, requested_by, state, attempts, outcome, finished_at \
             FROM relay_erasures WHERE state = $1 ORDER BY requested_at DESC LIMIT $2",
        )
        .bind(state)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let mut shown = json!({
                    "principal": row.try_get::<String, _>("principal_id")?,
                    "requestedAt": iso8601(row.try_get("requested_at")?),
                    "requestedBy": row.try_get::<String, _>("requested_by")?,
                });
                with_progress(&mut shown, row)?;
                Ok(shown)
            })
            .collect()
    }
}
