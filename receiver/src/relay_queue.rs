//! The relay's queue in the database (`relay`, migration 3): rows are added with their records
//! ([`Store::append_all`]), taken in log order, at most one waiting row per person at a time, and end
//! delivered or refused for good.

use crate::store::{Record, Store};
use serde_json::{json, Value};
use sqlx::Row;

/// The states a row of the queue is in.
pub const RELAY_STATES: [&str; 3] = ["waiting", "delivered", "refused"];

/// A row that is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// The record's position.
    pub position: u64,
    /// How many times it was tried.
    pub attempts: i64,
    /// Its `next_attempt_at` when read: taking it checks that no one else took it since.
    pub next_attempt_at: i64,
    /// How its last try ended (`waiting` before the first).
    pub outcome: String,
}

/// How one try ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tried {
    /// The CRM took it.
    Delivered(String),
    /// Try again at this time (seconds since 1970).
    Later(i64, String),
    /// Never to be sent.
    Refused(String),
}

impl Tried {
    /// The same result with its outcome rewritten by `rewrite`.
    pub(crate) fn map_outcome(self, rewrite: impl FnOnce(&str) -> String) -> Self {
        match self {
            Self::Delivered(outcome) => Self::Delivered(rewrite(&outcome)),
            Self::Later(at, outcome) => Self::Later(at, rewrite(&outcome)),
            Self::Refused(outcome) => Self::Refused(rewrite(&outcome)),
        }
    }

    /// What a queue's row says after this try at `now`: its state, when it is next due, its outcome, and when
    /// it finished (`None` while it waits).
    pub(crate) fn row(&self, now: i64) -> (&'static str, i64, &str, Option<i64>) {
        match self {
            Self::Delivered(outcome) => ("delivered", now, outcome, Some(now)),
            Self::Later(at, outcome) => ("waiting", *at, outcome, None),
            Self::Refused(outcome) => ("refused", now, outcome, Some(now)),
        }
    }
}

impl Store {
    /// Sends again what was refused for good (after the CRM's URL or configuration was fixed): each refused
    /// record at `position` (`None`: every one) and, with every one, each refused erasure, waits again from
    /// `now`, with its tries reset. The relay decides afresh: what was withdrawn or erased since still goes
    /// without what it no longer justifies, or is refused again. Returns how many rows wait again.
    ///
    /// # Errors
    /// The database fails.
    pub async fn relay_retry(&self, position: Option<u64>, now: i64) -> Result<u64, sqlx::Error> {
        let outcome = "waiting: sent again at the controller's request";
        let records = sqlx::query(
            "UPDATE relay SET state = 'waiting', attempts = 0, next_attempt_at = $1, outcome = $2, \
             finished_at = NULL WHERE state = 'refused' AND ($3 < 0 OR position = $3)",
        )
        .bind(now)
        .bind(outcome)
        .bind(position.map_or(-1, |p| p as i64))
        .execute(self.pool())
        .await?
        .rows_affected();
        let erasures = if position.is_none() {
            sqlx::query(
                "UPDATE relay_erasures SET state = 'waiting', attempts = 0, next_attempt_at = $1, outcome = $2, \
                 finished_at = NULL WHERE state = 'refused'",
            )
            .bind(now)
            .bind(outcome)
            .execute(self.pool())
            .await?
            .rows_affected()
        } else {
            0
        };
        Ok(records + erasures)
    }

    /// At most `limit` waiting rows due by `now`, in log order, each the earliest waiting row of its person
    /// (so that a person's records reach the CRM in the order they were received).
    ///
    /// # Errors
    /// The database fails.
    pub async fn relay_due(&self, now: i64, limit: i64) -> Result<Vec<Due>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT r.position, r.attempts, r.next_attempt_at, r.outcome FROM relay r \
             WHERE r.state = 'waiting' AND r.next_attempt_at <= $1 AND NOT EXISTS \
             (SELECT 1 FROM relay e WHERE e.principal_id = r.principal_id AND e.state = 'waiting' \
              AND e.position < r.position) ORDER BY r.position LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let position: i64 = row.try_get("position")?;
                Ok(Due {
                    position: position as u64,
                    attempts: row.try_get("attempts")?,
                    next_attempt_at: row.try_get("next_attempt_at")?,
                    outcome: row.try_get("outcome")?,
                })
            })
            .collect()
    }

    /// Takes `due` until `until` (when another receiver may take it, should this one stop mid-try), unless
    /// another receiver took it first; returns its record when taken.
    ///
    /// # Errors
    /// The database fails.
    pub async fn relay_take(&self, due: &Due, until: i64) -> Result<Option<Record>, sqlx::Error> {
        let taken = sqlx::query(
            "UPDATE relay SET next_attempt_at = $1 WHERE position = $2 AND state = 'waiting' \
             AND next_attempt_at = $3",
        )
        .bind(until)
        .bind(due.position as i64)
        .bind(due.next_attempt_at)
        .execute(self.pool())
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(None);
        }
        Ok(self.records_page(due.position, 1).await?.into_iter().next())
    }

    /// Records how the try of `due` at `now` ended.
    ///
    /// # Errors
    /// The database fails.
    pub async fn relay_tried(&self, due: &Due, tried: &Tried, now: i64) -> Result<(), sqlx::Error> {
        let (state, next, outcome, finished) = tried.row(now);
        sqlx::query(
            "UPDATE relay SET state = $1, attempts = attempts + 1, next_attempt_at = $2, outcome = $3, \
             finished_at = $4 WHERE position = $5",
        )
        .bind(state)
        .bind(next)
        .bind(outcome)
        .bind(finished)
        .bind(due.position as i64)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The earliest time a waiting row (a record's or an erasure's) is due, if any waits.
    ///
    /// # Errors
    /// The database fails.
    pub async fn relay_next_due(&self) -> Result<Option<i64>, sqlx::Error> {
        let mut next: Option<i64> = None;
        for table in ["relay", "relay_erasures"] {
            let row = sqlx::query(&format!(
                "SELECT MIN(next_attempt_at) AS next FROM {table} WHERE state = 'waiting'"
            ))
            .fetch_one(self.pool())
            .await?;
            let due: Option<i64> = row.try_get("next")?;
            next = next.into_iter().chain(due).min();
        }
        Ok(next)
    }

    /// The relay's rows in `state` (`waiting`, `delivered` or `refused`), the latest first, at most `limit`.
    ///
    /// # Errors
    /// The database fails.
    pub async fn relay_rows(&self, state: &str, limit: i64) -> Result<Vec<Value>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT q.position, r.receipt_id, q.principal_id, q.state, q.attempts, q.outcome, q.finished_at \
             FROM relay q JOIN records r ON r.position = q.position WHERE q.state = $1 \
             ORDER BY q.position DESC LIMIT $2",
        )
        .bind(state)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let mut shown = json!({
                    "position": row.try_get::<i64, _>("position")?,
                    "receiptId": row.try_get::<String, _>("receipt_id")?,
                    "principal": row.try_get::<String, _>("principal_id")?,
                });
                with_progress(&mut shown, row)?;
                Ok(shown)
            })
            .collect()
    }
}

/// Adds to `shown` (an object) how a queue's `row` (a record's or an erasure's) stands: its state, tries,
/// outcome and when it finished.
pub(crate) fn with_progress(shown: &mut Value, row: &sqlx::any::AnyRow) -> Result<(), sqlx::Error> {
    let finished: Option<i64> = row.try_get("finished_at")?;
    if let Some(object) = shown.as_object_mut() {
        object.insert("state".into(), row.try_get::<String, _>("state")?.into());
        object.insert("attempts".into(), row.try_get::<i64, _>("attempts")?.into());
        object.insert("outcome".into(), row.try_get::<String, _>("outcome")?.into());
        object.insert("finishedAt".into(), finished.map(crate::utc::iso8601).into());
    }
    Ok(())
}
