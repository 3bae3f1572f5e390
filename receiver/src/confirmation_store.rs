//! Double opt-in's rows (`confirmation_links` and `confirmations`, migration 5): links made with the records
//! that ask for them ([`Store::append_with_confirmations`]), taken by the mailer, and followed into
//! confirmations; and what decides whose grants count ([`Confirmed`]).

use crate::confirmation::{Confirmation, ConfirmationEntry, Confirmed, Link, LINKS_A_DAY};
use crate::store::Store;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

impl Store {
    /// The device key of each of `principal_id`'s records, and their confirmations, for [`Confirmed`].
    ///
    /// # Errors
    /// The database fails.
    pub async fn confirmed(
        &self,
        principal_id: &str,
        needs: HashSet<String>,
    ) -> Result<Confirmed, sqlx::Error> {
        // With no purpose needing a confirmed address every decision counts: nothing to read (the relay and
        // every may-use ask).
        if needs.is_empty() {
            return Ok(Confirmed::default());
        }
        let rows = sqlx::query(
            "SELECT DISTINCT r.position, r.device_thumbprint FROM records r \
             JOIN decisions d ON d.position = r.position WHERE d.principal_id = $1",
        )
        .bind(principal_id)
        .fetch_all(self.pool())
        .await?;
        let mut devices = HashMap::new();
        for row in rows {
            let position: i64 = row.try_get("position")?;
            let device: Option<String> = row.try_get("device_thumbprint")?;
            devices.insert(position as u64, device.unwrap_or_default());
        }
        let confirmations = self
            .confirmations_of(principal_id)
            .await?
            .into_iter()
            .map(|c| (c.entry.device_thumbprint, c.entry.received_at))
            .collect();
        Ok(Confirmed {
            needs,
            devices,
            confirmations,
        })
    }

    /// Every confirmation of `principal_id`, in log order.
    ///
    /// # Errors
    /// The database fails.
    pub async fn confirmations_of(&self, principal_id: &str) -> Result<Vec<Confirmation>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SELECT_CONFIRMATIONS} WHERE principal_id = $1 ORDER BY position"
        ))
        .bind(principal_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(confirmation).collect()
    }

    /// At most `limit` confirmations from `position` on, in log order.
    ///
    /// # Errors
    /// The database fails.
    pub async fn confirmations_page(
        &self,
        position: u64,
        limit: u64,
    ) -> Result<Vec<Confirmation>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SELECT_CONFIRMATIONS} WHERE position >= $1 ORDER BY position LIMIT $2"
        ))
        .bind(position as i64)
        .bind(limit as i64)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(confirmation).collect()
    }

    /// The confirmation that used `link_id`, if it was used.
    ///
    /// # Errors
    /// The database fails.
    pub async fn confirmation_by_link(&self, link_id: &str) -> Result<Option<Confirmation>, sqlx::Error> {
        let row = sqlx::query(&format!("{SELECT_CONFIRMATIONS} WHERE link_id = $1"))
            .bind(link_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(confirmation).transpose()
    }

    /// Whether a link for `principal_id` and `device_thumbprint` should be made at `now`: the device has not
    /// confirmed, no link of it still serves, and the person was mailed fewer than [`LINKS_A_DAY`] links in
    /// the last day.
    ///
    /// # Errors
    /// The database fails.
    pub async fn link_wanted(
        &self,
        principal_id: &str,
        device_thumbprint: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        if self.link_serving(principal_id, device_thumbprint, now).await? {
            return Ok(false);
        }
        let row = sqlx::query(
            "SELECT \
             (SELECT COUNT(*) FROM confirmations WHERE principal_id = $1 AND device_thumbprint = $2) AS confirmed, \
             (SELECT COUNT(*) FROM confirmation_links WHERE principal_id = $1 AND created_at > $3) AS today",
        )
        .bind(principal_id)
        .bind(device_thumbprint)
        .bind(now - 86_400)
        .fetch_one(self.pool())
        .await?;
        let count = |column: &str| row.try_get::<i64, _>(column);
        Ok(count("confirmed")? == 0 && count("today")? < LINKS_A_DAY)
    }

    /// The payload (body) of the record at `position`, unless it was erased.
    ///
    /// # Errors
    /// The database fails.
    pub async fn payload_at(&self, position: u64) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query("SELECT body FROM payloads WHERE position = $1")
            .bind(position as i64)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| row.try_get("body")).transpose()
    }

    /// The `consentReceiptID` of the record at `position`, if held.
    ///
    /// # Errors
    /// The database fails.
    pub async fn receipt_id_at(&self, position: u64) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query("SELECT receipt_id FROM records WHERE position = $1")
            .bind(position as i64)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| row.try_get("receipt_id")).transpose()
    }

    /// Whether a link for `principal_id` and `device_thumbprint` still serves at `now` (mailed or to be).
    ///
    /// # Errors
    /// The database fails.
    pub async fn link_serving(
        &self,
        principal_id: &str,
        device_thumbprint: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS serving FROM confirmation_links WHERE principal_id = $1 \
             AND device_thumbprint = $2 AND expires_at > $3 AND state <> 'refused'",
        )
        .bind(principal_id)
        .bind(device_thumbprint)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get::<i64, _>("serving")? > 0)
    }

    /// Whether any confirmation link was ever made here.
    ///
    /// # Errors
    /// The database fails.
    pub async fn links_made(&self) -> Result<bool, sqlx::Error> {
        let row = sqlx::query("SELECT COUNT(*) AS made FROM (SELECT 1 FROM confirmation_links LIMIT 1) l")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("made")? > 0)
    }

    /// The link `link_id`, if this receiver made it.
    ///
    /// # Errors
    /// The database fails.
    pub async fn link(&self, link_id: &str) -> Result<Option<Link>, sqlx::Error> {
        let row = sqlx::query(&format!("{SELECT_LINKS} WHERE link_id = $1"))
            .bind(link_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(link).transpose()
    }

    /// At most `limit` links waiting to be mailed and due by `now`, oldest first, with their tries so far.
    ///
    /// # Errors
    /// The database fails.
    pub async fn links_due(&self, now: i64, limit: i64) -> Result<Vec<(Link, i64)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SELECT_LINKS} WHERE state = 'waiting' AND next_attempt_at <= $1 ORDER BY created_at LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((link(row)?, row.try_get("attempts")?)))
            .collect()
    }

    /// Records how mailing `link_id` went: `state` (`waiting`, `mailed` or `refused`), when it is next due,
    /// and the outcome in words (never the address).
    ///
    /// # Errors
    /// The database fails.
    pub async fn link_tried(
        &self,
        link_id: &str,
        state: &str,
        next_attempt_at: i64,
        outcome: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE confirmation_links SET state = $1, attempts = attempts + 1, next_attempt_at = $2, \
             outcome = $3 WHERE link_id = $4",
        )
        .bind(state)
        .bind(next_attempt_at)
        .bind(outcome)
        .bind(link_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

const SELECT_CONFIRMATIONS: &str = "SELECT position, link_id, principal_id, device_thumbprint, receipt_id, \
                                    received_at, acknowledgement FROM confirmations";

const SELECT_LINKS: &str =
    "SELECT link_id, principal_id, device_thumbprint, position, created_at, expires_at, \
                            attempts FROM confirmation_links";

fn confirmation(row: &sqlx::any::AnyRow) -> Result<Confirmation, sqlx::Error> {
    let position: i64 = row.try_get("position")?;
    Ok(Confirmation {
        entry: ConfirmationEntry {
            position: position as u64,
            principal_id: row.try_get("principal_id")?,
            device_thumbprint: row.try_get("device_thumbprint")?,
            receipt_id: row.try_get("receipt_id")?,
            received_at: row.try_get("received_at")?,
        },
        link_id: row.try_get("link_id")?,
        acknowledgement: row.try_get("acknowledgement")?,
    })
}

fn link(row: &sqlx::any::AnyRow) -> Result<Link, sqlx::Error> {
    let position: i64 = row.try_get("position")?;
    Ok(Link {
        link_id: row.try_get("link_id")?,
        principal_id: row.try_get("principal_id")?,
        device_thumbprint: row.try_get("device_thumbprint")?,
        position: position as u64,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
    })
}
