//! The records, in SQLite (`sqlite:PATH`, the default) or PostgreSQL (`postgres://…`) through one sqlx `Any`
//! pool: the same SQL (`$1` placeholders, which SQLite reads too) and migrations (`migrations/`) for both.
//! A record is committed, and on SQLite synced to disk (`synchronous = FULL`), before it is acknowledged.

use crate::log::Entry;
use consent_capture::base64url;
use consent_capture::receipt::receipt_hash;
use consent_capture::sha256::sha256;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Its place in the log, from 0.
    pub position: u64,
    /// The receipt's `consentReceiptID`.
    pub receipt_id: String,
    /// The receipt, a compact JWS.
    pub receipt: String,
    /// The body as it arrived.
    pub body: String,
    /// When it was received, in seconds since 1970.
    pub received_at: i64,
    /// The acknowledgement sent for it.
    pub acknowledgement: String,
}

impl Record {
    /// The log entry this record stands for, computed from what is stored (so that a changed row changes it).
    pub fn entry(&self) -> Entry {
        Entry {
            position: self.position,
            receipt_id: self.receipt_id.clone(),
            receipt_sha256: receipt_hash(&self.receipt),
            body_sha256: body_hash(&self.body),
            received_at: self.received_at,
        }
    }
}

/// The database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
}

/// How many rows one INSERT writes (7 parameters each: well under SQLite's and PostgreSQL's limits).
const ROWS_A_STATEMENT: usize = 64;

/// How many records are read at a time when reading them all (a receiver starting, an audit): a log of
/// millions is never held in memory at once.
pub const PAGE_SIZE: u64 = 10_000;

const COLUMNS: &str = "position, receipt_id, receipt_sha256, receipt, body, received_at, acknowledgement";

impl Store {
    /// Connects to `url` (creating an SQLite file that does not exist yet) and applies the migrations.
    ///
    /// # Errors
    /// The database cannot be reached or migrated.
    pub async fn open(url: &str) -> Result<Self, sqlx::Error> {
        let store = Self::connect(url, "rwc").await?;
        Migrator::new(Migrations).await?.run(&store.pool).await?;
        Ok(store)
    }

    /// Connects to `url` to read it only (an audit): an SQLite file must exist, and nothing is migrated.
    ///
    /// # Errors
    /// The database cannot be reached.
    pub async fn open_read_only(url: &str) -> Result<Self, sqlx::Error> {
        Self::connect(url, "ro").await
    }

    async fn connect(url: &str, sqlite_mode: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let url = match url.strip_prefix("sqlite:") {
            Some(path) if !path.contains('?') => format!("sqlite:{path}?mode={sqlite_mode}"),
            _ => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if url.starts_with("sqlite:") { 1 } else { 8 })
            // A database that does not answer is a 503 within seconds (the outbox tries again later), not a
            // request held until the HTTP timeout.
            .acquire_timeout(Duration::from_secs(3))
            .after_connect(|connection, _| {
                Box::pin(async move {
                    if connection.backend_name() == "SQLite" {
                        connection
                            .execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Self { pool })
    }

    /// At most `limit` records from `position` on, in log order.
    ///
    /// # Errors
    /// The database fails.
    pub async fn records_page(&self, position: u64, limit: u64) -> Result<Vec<Record>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM records WHERE position >= $1 ORDER BY position LIMIT $2"
        ))
        .bind(position as i64)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// The receipt whose hash is `receipt_sha256`, if held.
    ///
    /// # Errors
    /// The database fails.
    pub async fn receipt_by_hash(&self, receipt_sha256: &str) -> Result<Option<String>, sqlx::Error> {
        let row =
            sqlx::query("SELECT receipt FROM records WHERE receipt_sha256 = $1 ORDER BY position LIMIT 1")
                .bind(receipt_sha256)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| row.try_get("receipt")).transpose()
    }

    /// Stores `records` at their positions in one transaction: all or none, committed (and durable) when
    /// this returns.
    ///
    /// # Errors
    /// The database fails, or a position or receipt id is taken ([`is_taken`]).
    pub async fn append_all(&self, records: &[Record]) -> Result<(), sqlx::Error> {
        if records.is_empty() {
            return Ok(());
        }
        let mut transaction = self.pool.begin().await?;
        // Many rows a statement: each statement is a round trip to the database (or its worker thread).
        for rows in records.chunks(ROWS_A_STATEMENT) {
            let values: Vec<String> = (0..rows.len())
                .map(|row| {
                    let first = row * 7;
                    let slots: Vec<String> = (1..=7).map(|n| format!("${}", first + n)).collect();
                    format!("({})", slots.join(", "))
                })
                .collect();
            let insert = format!("INSERT INTO records ({COLUMNS}) VALUES {}", values.join(", "));
            let mut query = sqlx::query(&insert);
            for record in rows {
                query = query
                    .bind(record.position as i64)
                    .bind(&record.receipt_id)
                    .bind(receipt_hash(&record.receipt))
                    .bind(&record.receipt)
                    .bind(&record.body)
                    .bind(record.received_at)
                    .bind(&record.acknowledgement);
            }
            query.execute(&mut *transaction).await?;
        }
        transaction.commit().await
    }

    /// The records of the receipts `receipt_ids` that are held, by receipt id.
    ///
    /// # Errors
    /// The database fails.
    pub async fn by_receipt_ids(&self, receipt_ids: &[&str]) -> Result<HashMap<String, Record>, sqlx::Error> {
        let mut held = HashMap::new();
        for ids in receipt_ids.chunks(ROWS_A_STATEMENT * 7) {
            let slots: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
            let select = format!(
                "SELECT {COLUMNS} FROM records WHERE receipt_id IN ({})",
                slots.join(", ")
            );
            let mut query = sqlx::query(&select);
            for id in ids {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&self.pool).await? {
                let record = record(&row)?;
                held.insert(record.receipt_id.clone(), record);
            }
        }
        Ok(held)
    }
}

/// The schema's migrations, built into the binary. Listed here rather than through sqlx's `migrate!` macro:
/// the macro needs sqlx's proc-macro crate, which compiles every database driver a second time for the host
/// (measured: minutes of each clean build and CI run).
#[derive(Debug)]
struct Migrations;

impl MigrationSource<'static> for Migrations {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send>> {
        let records = Migration::new(
            1,
            "records".into(),
            MigrationType::Simple,
            include_str!("../migrations/0001_records.sql").into(),
            false,
        );
        Box::pin(async move { Ok(vec![records]) })
    }
}

fn record(row: &AnyRow) -> Result<Record, sqlx::Error> {
    let position: i64 = row.try_get("position")?;
    Ok(Record {
        position: position as u64,
        receipt_id: row.try_get("receipt_id")?,
        receipt: row.try_get("receipt")?,
        body: row.try_get("body")?,
        received_at: row.try_get("received_at")?,
        acknowledgement: row.try_get("acknowledgement")?,
    })
}

/// Whether `error` says a position or receipt id was taken: another receiver on the same database appended
/// first.
pub fn is_taken(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// Base64url SHA-256 of a body, as entries name it.
pub fn body_hash(body: &str) -> String {
    base64url::encode(&sha256(body.as_bytes()))
}
