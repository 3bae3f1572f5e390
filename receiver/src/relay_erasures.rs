//! The relay's queue of erasures (`relay_erasures`, migrations 4 and 8): an erasure of a person whose records
//! were queued for the CRM is passed on to it, once none of the person's records waits (so that it comes
//! after them), and ends delivered or refused for good like a record's row ([`crate::relay_queue`]). For a
//! CRM that deletes by address, the row holds the person's addresses until it ends, and no longer.

use crate::relay_queue::{with_progress, Tried};
use crate::relay_target::Crm;
use crate::relay_target::RelayTarget;
use crate::store::Store;
use crate::utc::iso8601;
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
    /// The addresses by which the CRM knows the person, where it deletes by address (HubSpot).
    pub contacts: Vec<String>,
}

impl DueErasure {
    /// Its `Idempotency-Key`: one per person and erasure.
    pub fn key(&self) -> String {
        format!("erasure:{}:{}", self.principal_id, self.requested_at)
    }
}

/// One request that passes an erasure on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErasureCall {
    /// Where it goes.
    pub url: String,
    /// A bearer token, where the CRM's API needs one.
    pub bearer: Option<String>,
    /// The JSON body.
    pub body: String,
}

/// What an erasure becomes for `target`'s CRM: the webhook's erasure event; HubSpot's GDPR delete of each
/// contact by address (which deletes the contact and what hangs on it, and blocks the address from coming
/// back); or why that CRM cannot be asked (a refusal kept for someone to act on by hand).
///
/// # Errors
/// The CRM has no way to delete that the relay can reach, or no address to name the contact by.
pub fn erasure_calls(target: &RelayTarget, erasure: &DueErasure) -> Result<Vec<ErasureCall>, String> {
    match &target.crm {
        Crm::Webhook => Ok(vec![ErasureCall {
            url: target.url.clone(),
            bearer: None,
            body: to_canonical_string(&Value::Object(
                Object::new()
                    .with("event", "erasure")
                    .with("principal", erasure.principal_id.as_str())
                    .with("requestedAt", iso8601(erasure.requested_at).as_str())
                    .with("requestedBy", erasure.requested_by.as_str()),
            )),
        }]),
        Crm::Described(described) if described.name == "hubspot" => {
            let Some(api) = &target.hubspot_delete else {
                return Err("HubSpot's Forms API cannot delete a contact: give the relay --hubspot-token (a private \
                            app's, scope crm.objects.contacts.write) for HubSpot's GDPR delete, or delete this \
                            person in HubSpot (a GDPR delete) by hand"
                    .into());
            };
            if erasure.contacts.is_empty() {
                return Err(
                    "no address of this person went to HubSpot's email property, so the relay cannot name \
                            the contact: delete this person in HubSpot (a GDPR delete) by hand"
                        .into(),
                );
            }
            Ok(erasure
                .contacts
                .iter()
                .map(|address| ErasureCall {
                    url: format!("{}/crm/v3/objects/contacts/gdpr-delete", api.api),
                    bearer: Some(api.token.clone()),
                    body: to_canonical_string(&Value::Object(
                        Object::new()
                            .with("idProperty", "email")
                            .with("objectId", address.as_str()),
                    )),
                })
                .collect())
        }
        // Every configured notice reads the same description: its erasure says the same under each.
        Crm::Described(described) => Err(described
            .per_notice
            .first()
            .map_or(
                "this CRM cannot be asked to delete: delete this person there by hand",
                |(_, d)| d.erasure.as_str(),
            )
            .to_owned()),
    }
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
