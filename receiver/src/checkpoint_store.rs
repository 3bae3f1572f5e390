//! The cosigned checkpoints (`checkpoints`, migration 9): kept when witnesses cosign one to the policy's
//! quorum, read for the latest (what devices check their kept one against) and all of them (the audit).

use crate::store::Store;
use sqlx::Row;

impl Store {
    /// Keeps the cosigned checkpoint `note` of `size` leaves; a size kept already keeps its first note.
    ///
    /// # Errors
    /// The database fails.
    pub async fn keep_checkpoint(&self, size: u64, note: &str, at: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO checkpoints (size, note, cosigned_at) VALUES ($1, $2, $3) ON CONFLICT (size) DO NOTHING",
        )
        .bind(size as i64)
        .bind(note)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The largest cosigned checkpoint: its size and note.
    ///
    /// # Errors
    /// The database fails.
    pub async fn latest_checkpoint(&self) -> Result<Option<(u64, String)>, sqlx::Error> {
        let row = sqlx::query("SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1")
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            let size: i64 = row.try_get("size")?;
            Ok((size as u64, row.try_get("note")?))
        })
        .transpose()
    }

    /// Every cosigned checkpoint, smallest first.
    ///
    /// # Errors
    /// The database fails.
    pub async fn checkpoints(&self) -> Result<Vec<(u64, String)>, sqlx::Error> {
        let rows = sqlx::query("SELECT size, note FROM checkpoints ORDER BY size")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                let size: i64 = row.try_get("size")?;
                Ok((size as u64, row.try_get("note")?))
            })
            .collect()
    }
}
