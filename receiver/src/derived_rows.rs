//! What the receiver derived from each record when it stored it, read back for the audit to recompute: the
//! receipt's hash and device key's thumbprint beside the record, its decisions (which `may-use` and the state
//! answer from), its relay row (whose person orders the relay's queue); and rows that belong to no record.
//! None of these is signed, so only recomputing them from the verified receipts shows an edit.

use crate::decisions::DecisionRow;
use crate::store::{decision_row, Store};
use sqlx::Row;
use std::collections::HashMap;

/// The derived rows of the records at positions `first..=last`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DerivedRows {
    /// Each record's stored receipt hash and device thumbprint, by position.
    pub records: HashMap<u64, (String, Option<String>)>,
    /// Each record's decisions, by position, as stored.
    pub decisions: HashMap<u64, Vec<DecisionRow>>,
    /// Each relay row's person, by position.
    pub relay: HashMap<u64, String>,
}

/// A row at a position where the log has no record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stray {
    /// Its table.
    pub table: &'static str,
    /// Its position.
    pub position: i64,
}

/// The tables whose rows each belong to one record, by position.
const BY_POSITION: [&str; 5] = ["records", "payloads", "erasures", "decisions", "relay"];

impl Store {
    /// The derived rows of the records at positions `first..=last`.
    ///
    /// # Errors
    /// The database fails.
    pub async fn derived_rows(&self, first: u64, last: u64) -> Result<DerivedRows, sqlx::Error> {
        let (first, last) = (first as i64, last as i64);
        let mut derived = DerivedRows::default();
        let rows = sqlx::query(
            "SELECT position, receipt_sha256, device_thumbprint FROM records \
             WHERE position BETWEEN $1 AND $2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(self.pool())
        .await?;
        for row in rows {
            let position: i64 = row.try_get("position")?;
            derived.records.insert(
                position as u64,
                (row.try_get("receipt_sha256")?, row.try_get("device_thumbprint")?),
            );
        }
        let rows = sqlx::query(
            "SELECT d.principal_id, d.purpose, d.position, r.receipt_id, d.decision, d.legal_basis, \
             d.notice_revision, d.issued_at, d.received_at FROM decisions d \
             JOIN records r ON r.position = d.position WHERE d.position BETWEEN $1 AND $2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(self.pool())
        .await?;
        for row in &rows {
            let decision = decision_row(row)?;
            derived
                .decisions
                .entry(decision.position)
                .or_default()
                .push(decision);
        }
        let rows = sqlx::query("SELECT position, principal_id FROM relay WHERE position BETWEEN $1 AND $2")
            .bind(first)
            .bind(last)
            .fetch_all(self.pool())
            .await?;
        for row in rows {
            let position: i64 = row.try_get("position")?;
            derived
                .relay
                .insert(position as u64, row.try_get("principal_id")?);
        }
        Ok(derived)
    }

    /// The first row of any table that sits outside the log's positions `0..size`: a record the log does
    /// not have, or a payload, erasure, decision or relay row of no record.
    ///
    /// # Errors
    /// The database fails.
    pub async fn first_stray(&self, size: u64) -> Result<Option<Stray>, sqlx::Error> {
        for table in BY_POSITION {
            let row = sqlx::query(&format!(
                "SELECT position FROM {table} WHERE position < 0 OR position >= $1 ORDER BY position LIMIT 1"
            ))
            .bind(size as i64)
            .fetch_optional(self.pool())
            .await?;
            if let Some(row) = row {
                return Ok(Some(Stray {
                    table,
                    position: row.try_get("position")?,
                }));
            }
        }
        Ok(None)
    }
}
