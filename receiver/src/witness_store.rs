//! What a witness keeps, in SQLite: for each log it trusts, the latest checkpoint it cosigned (its size, its
//! root, and the note with the log's signature and the witness's own cosignature), moved on only from the size
//! and root it holds (compare and swap, committed before the witness answers), so that no two requests can both
//! move it and a witness killed at any moment restarts with exactly what it last cosigned. Checkpoints the log
//! did sign but the witness refused (inconsistent with what it holds) are kept beside them: evidence of what
//! the log showed.

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Row;
use std::str::FromStr;

/// The latest checkpoint a witness cosigned for one log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cosigned {
    /// Its size.
    pub size: u64,
    /// Its root hash.
    pub root: [u8; 32],
    /// The note: the checkpoint with the log's signature and the witness's cosignature.
    pub note: String,
}

/// A checkpoint the log signed and the witness refused to cosign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The note as it arrived.
    pub note: String,
    /// Why.
    pub reason: String,
    /// When, in seconds since 1970.
    pub at: i64,
}

/// The witness's database.
pub struct WitnessStore {
    pool: SqlitePool,
}

impl WitnessStore {
    /// Opens (creating) the SQLite database at `url` (`sqlite:PATH`).
    ///
    /// # Errors
    /// It cannot be opened or its tables made.
    pub async fn open(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS cosigned (origin TEXT PRIMARY KEY, size INTEGER NOT NULL, \
             root BLOB NOT NULL, note TEXT NOT NULL, at INTEGER NOT NULL)",
        )
        .execute(&pool)
        .await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS refused (id INTEGER PRIMARY KEY AUTOINCREMENT, origin TEXT NOT NULL, \
             note TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL)",
        )
        .execute(&pool)
        .await?;
        Ok(Self { pool })
    }

    /// The latest checkpoint cosigned for `origin`, if any.
    ///
    /// # Errors
    /// The database fails.
    pub async fn latest(&self, origin: &str) -> Result<Option<Cosigned>, sqlx::Error> {
        let row = sqlx::query("SELECT size, root, note FROM cosigned WHERE origin = ?")
            .bind(origin)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let root: Vec<u8> = row.try_get("root")?;
            let size: i64 = row.try_get("size")?;
            Ok(Cosigned {
                size: size as u64,
                root: root
                    .try_into()
                    .map_err(|_| sqlx::Error::Decode("a root of 32 bytes".into()))?,
                note: row.try_get("note")?,
            })
        })
        .transpose()
    }

    /// Moves `origin` on from `from` (what [`Self::latest`] read; `None` for a log never cosigned) to `to`, at
    /// `at`. `false` when another request moved it first: nothing changed.
    ///
    /// # Errors
    /// The database fails.
    pub async fn advance(
        &self,
        origin: &str,
        from: Option<&Cosigned>,
        to: &Cosigned,
        at: i64,
    ) -> Result<bool, sqlx::Error> {
        let changed = match from {
            None => {
                sqlx::query(
                    "INSERT INTO cosigned (origin, size, root, note, at) VALUES (?, ?, ?, ?, ?) \
                     ON CONFLICT (origin) DO NOTHING",
                )
                .bind(origin)
                .bind(to.size as i64)
                .bind(to.root.as_slice())
                .bind(&to.note)
                .bind(at)
                .execute(&self.pool)
                .await?
            }
            Some(from) => {
                sqlx::query(
                    "UPDATE cosigned SET size = ?, root = ?, note = ?, at = ? \
                     WHERE origin = ? AND size = ? AND root = ?",
                )
                .bind(to.size as i64)
                .bind(to.root.as_slice())
                .bind(&to.note)
                .bind(at)
                .bind(origin)
                .bind(from.size as i64)
                .bind(from.root.as_slice())
                .execute(&self.pool)
                .await?
            }
        };
        Ok(changed.rows_affected() == 1)
    }

    /// Keeps a checkpoint the log signed that was refused, with why.
    ///
    /// # Errors
    /// The database fails.
    pub async fn keep_refused(
        &self,
        origin: &str,
        note: &str,
        reason: &str,
        at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO refused (origin, note, reason, at) VALUES (?, ?, ?, ?)")
            .bind(origin)
            .bind(note)
            .bind(reason)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The checkpoints refused for `origin`, oldest first.
    ///
    /// # Errors
    /// The database fails.
    pub async fn refused(&self, origin: &str) -> Result<Vec<Refused>, sqlx::Error> {
        let rows = sqlx::query("SELECT note, reason, at FROM refused WHERE origin = ? ORDER BY id")
            .bind(origin)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Refused {
                    note: row.try_get("note")?,
                    reason: row.try_get("reason")?,
                    at: row.try_get("at")?,
                })
            })
            .collect()
    }
}
