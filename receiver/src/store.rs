//! The records, in SQLite (`sqlite:PATH`, the default) or PostgreSQL (`postgres://…`) through one sqlx `Any`
//! pool: the same SQL (`$1` placeholders, which SQLite reads too) and migrations (`migrations/`) for both.
//! A record is committed, and on SQLite synced to disk (`synchronous = FULL`), before it is acknowledged.

use crate::confirmation::{Confirmation, Link};
use crate::decisions::{decisions_of, DecisionRow};
use crate::log::Entry;
use consent_capture::jose::jws::parse_compact;
use consent_capture::json::parse;
use consent_capture::notice::vocabulary::Decision;
use consent_capture::notice::vocabulary::LegalBasis;
use consent_capture::receipt::body_sha256;
use consent_capture::receipt::check::inspect;
use consent_capture::receipt::receipt_hash;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row};
use std::collections::{HashMap, HashSet};
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
    /// Base64url SHA-256 of the body as it arrived (the log's entry names it, so it outlives the body).
    pub body_sha256: String,
    /// The body as it arrived; `None` once erased.
    pub body: Option<String>,
    /// When it was received, in seconds since 1970.
    pub received_at: i64,
    /// The acknowledgement sent for it.
    pub acknowledgement: String,
    /// When its body was erased, if it was.
    pub erased_at: Option<i64>,
}

impl Record {
    /// The log entry this record stands for, computed from what is stored (so that a changed row changes it).
    pub fn entry(&self) -> Entry {
        Entry {
            position: self.position,
            receipt_id: self.receipt_id.clone(),
            receipt_sha256: receipt_hash(&self.receipt),
            body_sha256: self.body_sha256.clone(),
            received_at: self.received_at,
        }
    }
}

/// What an erasure erased.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Erased {
    /// How many payloads (bodies) were deleted.
    pub payloads: u64,
    /// How many of them carried any field (a withdrawal's carries none).
    pub with_data: u64,
}

/// What an erasure keeps for the CRM from one deleted record (its receipt and body): the addresses by which
/// the CRM knows the person, for a CRM that deletes by address ([`crate::crm_request::hubspot_contacts`]);
/// none for the others.
pub type Contacts<'a> = dyn Fn(&str, &str) -> Vec<String> + Sync + 'a;

/// The database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
}

/// How many rows one INSERT writes (at most 8 parameters each: well under SQLite's and PostgreSQL's limits).
const ROWS_A_STATEMENT: usize = 64;

/// What the relay's record of a CRM's answer says once the person's data was erased.
pub const ERASED_OUTCOME: &str = "the CRM's answer was erased with the data it may quote";

/// How many records are read at a time when reading them all (a receiver starting, an audit): a log of
/// millions is never held in memory at once.
pub const PAGE_SIZE: u64 = 10_000;

const COLUMNS: &str = "position, receipt_id, receipt_sha256, receipt, body_sha256, received_at, \
                       acknowledgement, device_thumbprint";

/// A record without its payload (`body` is NULL), for [`record`]: what exports that never carry payloads read.
const SELECT_RECORDS_WITHOUT_PAYLOADS: &str = "SELECT r.position, r.receipt_id, r.receipt, r.body_sha256, \
     r.received_at, r.acknowledgement, CAST(NULL AS TEXT) AS body, e.erased_at FROM records r \
     LEFT JOIN erasures e ON e.position = r.position";

/// A record with its payload and erasure, for [`record`].
const SELECT_RECORDS: &str = "SELECT r.position, r.receipt_id, r.receipt, r.body_sha256, r.received_at, \
     r.acknowledgement, p.body, e.erased_at FROM records r \
     LEFT JOIN payloads p ON p.position = r.position LEFT JOIN erasures e ON e.position = r.position";

const DECISION_COLUMNS: &str =
    "principal_id, purpose, position, decision, legal_basis, notice_revision, issued_at, received_at";

impl Store {
    /// Connects to `url` (creating an SQLite file that does not exist yet) and applies the migrations.
    ///
    /// # Errors
    /// The database cannot be reached or migrated.
    pub async fn open(url: &str) -> Result<Self, sqlx::Error> {
        if let Some(path) = url
            .strip_prefix("sqlite:")
            .map(|rest| rest.split('?').next().unwrap_or(rest))
        {
            // A new database is the receiver's own to read (SQLite gives its journal files the same mode).
            use std::os::unix::fs::OpenOptionsExt;
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path);
            match created {
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(sqlx::Error::Io(error)),
            }
        }
        let store = Self::connect(url, "rwc").await?;
        Migrator::new(Migrations).await?.run(&store.pool).await?;
        if !url.starts_with("sqlite:") {
            // PostgreSQL's planner statistics keep sample values of a column (pg_statistic): none of the
            // payloads, or an erased value could outlive its row there.
            sqlx::query("ALTER TABLE payloads ALTER COLUMN body SET STATISTICS 0")
                .execute(&store.pool)
                .await?;
        }
        store.complete_older_records().await?;
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
        let read_only = sqlite_mode == "ro";
        let pool = AnyPoolOptions::new()
            .max_connections(if url.starts_with("sqlite:") { 1 } else { 8 })
            // A database that does not answer is a 503 within seconds (the outbox tries again later), not a
            // request held until the HTTP timeout.
            .acquire_timeout(Duration::from_secs(3))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    let settings = match (connection.backend_name() == "SQLite", read_only) {
                        (true, false) => {
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; \
                             PRAGMA secure_delete = ON;"
                        }
                        // Reading only changes nothing about the file, not even its journal mode: a copy made
                        // with VACUUM INTO (rollback journal, perhaps on read-only media) audits as it is.
                        (true, true) => "PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;",
                        // An audit or a records command on a huge or hostile database ends.
                        (false, true) => {
                            "SET statement_timeout = '300s'; SET default_transaction_read_only = on;"
                        }
                        (false, false) => "",
                    };
                    if !settings.is_empty() {
                        connection.execute(settings).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Self { pool })
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The first of `tables` that is not a plain table of this database (missing, or a view: a view can say
    /// anything, or never finish), if any.
    ///
    /// # Errors
    /// The database fails.
    pub async fn first_not_a_table(&self, tables: &[&str]) -> Result<Option<String>, sqlx::Error> {
        let mut connection = self.pool.acquire().await?;
        let sqlite = connection.backend_name() == "SQLite";
        for table in tables {
            let query = if sqlite {
                "SELECT COUNT(*) AS found FROM sqlite_master WHERE type = 'table' AND name = $1"
            } else {
                "SELECT COUNT(*) AS found FROM information_schema.tables WHERE table_schema = current_schema() \
                 AND table_type = 'BASE TABLE' AND table_name = $1"
            };
            let row = sqlx::query(query)
                .bind(*table)
                .fetch_one(&mut *connection)
                .await?;
            if row.try_get::<i64, _>("found")? == 0 {
                return Ok(Some((*table).to_owned()));
            }
        }
        Ok(None)
    }

    /// The log's leaves from `position` on, at most `limit` of them, in log order: a record's entry or a
    /// confirmation's ([`crate::confirmation`]), without the payloads and erasures a whole record joins in.
    ///
    /// # Errors
    /// The database fails.
    pub async fn leaves_page(&self, position: u64, limit: u64) -> Result<Vec<(u64, [u8; 32])>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT position, receipt_id, receipt, body_sha256, received_at FROM records \
             WHERE position >= $1 ORDER BY position LIMIT $2",
        )
        .bind(position as i64)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        let mut leaves = rows
            .iter()
            .map(|row| {
                let position: i64 = row.try_get("position")?;
                let receipt: String = row.try_get("receipt")?;
                let entry = Entry {
                    position: position as u64,
                    receipt_id: row.try_get("receipt_id")?,
                    receipt_sha256: receipt_hash(&receipt),
                    body_sha256: row.try_get("body_sha256")?,
                    received_at: row.try_get("received_at")?,
                };
                Ok((entry.position, entry.leaf()))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        for confirmation in self.confirmations_page(position, limit).await? {
            leaves.push((confirmation.entry.position, confirmation.entry.leaf()));
        }
        leaves.sort_unstable_by_key(|(position, _)| *position);
        leaves.truncate(limit as usize);
        Ok(leaves)
    }

    /// At most `limit` records from `position` on, in log order.
    ///
    /// # Errors
    /// The database fails.
    pub async fn records_page(&self, position: u64, limit: u64) -> Result<Vec<Record>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SELECT_RECORDS} WHERE r.position >= $1 ORDER BY r.position LIMIT $2"
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

    /// Stores `records` at their positions, their payloads and `decisions`, and when `relayed` queues each for
    /// the relay, in one transaction: all or none, committed (and durable) when this returns.
    ///
    /// # Errors
    /// The database fails, or a position or receipt id is taken ([`is_taken`]).
    pub async fn append_all(
        &self,
        records: &[Record],
        decisions: &[DecisionRow],
        relayed: bool,
    ) -> Result<(), sqlx::Error> {
        self.append_with_confirmations(records, decisions, &[], &[], relayed)
            .await
    }

    /// [`Store::append_all`], with the confirmations appended among the records (at their own positions) and
    /// the confirmation links the records asked for, in the same transaction.
    ///
    /// # Errors
    /// The database fails, or a position, receipt id or link is taken ([`is_taken`]).
    pub async fn append_with_confirmations(
        &self,
        records: &[Record],
        decisions: &[DecisionRow],
        confirmations: &[Confirmation],
        links: &[Link],
        relayed: bool,
    ) -> Result<(), sqlx::Error> {
        if records.is_empty() && confirmations.is_empty() {
            return Ok(());
        }
        let mut transaction = self.pool.begin().await?;
        for confirmation in confirmations {
            let entry = &confirmation.entry;
            sqlx::query(
                "INSERT INTO confirmations (position, link_id, principal_id, device_thumbprint, receipt_id, \
                 received_at, acknowledgement) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(entry.position as i64)
            .bind(&confirmation.link_id)
            .bind(&entry.principal_id)
            .bind(&entry.device_thumbprint)
            .bind(&entry.receipt_id)
            .bind(entry.received_at)
            .bind(&confirmation.acknowledgement)
            .execute(&mut *transaction)
            .await?;
            // What the relay held back for this confirmation is due now.
            sqlx::query(
                "UPDATE relay SET next_attempt_at = $1 WHERE principal_id = $2 AND state = 'waiting'",
            )
            .bind(entry.received_at)
            .bind(&entry.principal_id)
            .execute(&mut *transaction)
            .await?;
        }
        for link in links {
            sqlx::query(
                "INSERT INTO confirmation_links (link_id, principal_id, device_thumbprint, position, \
                 created_at, expires_at, state, attempts, next_attempt_at, outcome) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'waiting', 0, $5, 'waiting')",
            )
            .bind(&link.link_id)
            .bind(&link.principal_id)
            .bind(&link.device_thumbprint)
            .bind(link.position as i64)
            .bind(link.created_at)
            .bind(link.expires_at)
            .execute(&mut *transaction)
            .await?;
        }
        // Many rows a statement: each statement is a round trip to the database (or its worker thread).
        for rows in records.chunks(ROWS_A_STATEMENT) {
            let insert = format!("INSERT INTO records ({COLUMNS}) VALUES {}", slots(rows.len(), 8));
            let mut query = sqlx::query(&insert);
            for record in rows {
                query = query
                    .bind(record.position as i64)
                    .bind(&record.receipt_id)
                    .bind(receipt_hash(&record.receipt))
                    .bind(&record.receipt)
                    .bind(&record.body_sha256)
                    .bind(record.received_at)
                    .bind(&record.acknowledgement)
                    .bind(device_thumbprint(&record.receipt));
            }
            query.execute(&mut *transaction).await?;
            let payloads: Vec<(i64, &str)> = rows
                .iter()
                .filter_map(|r| Some((r.position as i64, r.body.as_deref()?)))
                .collect();
            if !payloads.is_empty() {
                let insert = format!(
                    "INSERT INTO payloads (position, body) VALUES {}",
                    slots(payloads.len(), 2)
                );
                let mut query = sqlx::query(&insert);
                for (position, body) in payloads {
                    query = query.bind(position).bind(body);
                }
                query.execute(&mut *transaction).await?;
            }
        }
        insert_decisions(&mut transaction, decisions, "").await?;
        if relayed {
            for rows in records.chunks(ROWS_A_STATEMENT) {
                let insert = format!(
                    "INSERT INTO relay (position, principal_id, state, attempts, next_attempt_at, outcome) \
                     VALUES {}",
                    slots(rows.len(), 6)
                );
                let mut query = sqlx::query(&insert);
                for record in rows {
                    let principal = decisions
                        .iter()
                        .find(|d| d.position == record.position)
                        .map_or("", |d| d.principal_id.as_str());
                    query = query
                        .bind(record.position as i64)
                        .bind(principal)
                        .bind("waiting")
                        .bind(0_i64)
                        .bind(record.received_at)
                        .bind("waiting");
                }
                query.execute(&mut *transaction).await?;
            }
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
            let select = format!(
                "{SELECT_RECORDS} WHERE r.receipt_id IN ({})",
                numbered(1, ids.len())
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

    /// Every decision about `principal_id`, in log order.
    ///
    /// # Errors
    /// The database fails.
    pub async fn decisions_about(&self, principal_id: &str) -> Result<Vec<DecisionRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT d.principal_id, d.purpose, d.position, r.receipt_id, d.decision, d.legal_basis, \
             d.notice_revision, d.issued_at, d.received_at FROM decisions d \
             JOIN records r ON r.position = d.position WHERE d.principal_id = $1 ORDER BY d.position, d.purpose",
        )
        .bind(principal_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decision_row).collect()
    }

    /// The records of every receipt about `principal_id`, in log order.
    ///
    /// # Errors
    /// The database fails.
    pub async fn records_about(&self, principal_id: &str) -> Result<Vec<Record>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SELECT_RECORDS} WHERE r.position IN \
             (SELECT DISTINCT position FROM decisions WHERE principal_id = $1) ORDER BY r.position"
        ))
        .bind(principal_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// At most `limit` records about `principal_id` after `after` (`None`: from the first), in log order,
    /// without their payloads.
    ///
    /// # Errors
    /// The database fails.
    pub async fn records_about_page(
        &self,
        principal_id: &str,
        after: Option<u64>,
        limit: u64,
    ) -> Result<Vec<Record>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SELECT_RECORDS_WITHOUT_PAYLOADS} WHERE r.position IN \
             (SELECT DISTINCT position FROM decisions WHERE principal_id = $1) AND r.position > $2 \
             ORDER BY r.position LIMIT $3"
        ))
        .bind(principal_id)
        .bind(after.map_or(-1, |after| after as i64))
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// The records at `positions`, in log order, without their payloads.
    ///
    /// # Errors
    /// The database fails.
    pub async fn records_at(&self, positions: &[u64]) -> Result<Vec<Record>, sqlx::Error> {
        let mut records = Vec::with_capacity(positions.len());
        for chunk in positions.chunks(ROWS_A_STATEMENT * 7) {
            let select = format!(
                "{SELECT_RECORDS_WITHOUT_PAYLOADS} WHERE r.position IN ({}) ORDER BY r.position",
                numbered(1, chunk.len())
            );
            let mut query = sqlx::query(&select);
            for position in chunk {
                query = query.bind(*position as i64);
            }
            for row in query.fetch_all(&self.pool).await? {
                records.push(record(&row)?);
            }
        }
        records.sort_by_key(|record| record.position);
        Ok(records)
    }

    /// At most `limit` records of receipts the device key of `thumbprint` signed, after `after` (`None`: from
    /// the first), in log order.
    ///
    /// # Errors
    /// The database fails.
    pub async fn records_signed_by(
        &self,
        thumbprint: &str,
        after: Option<u64>,
        limit: u64,
    ) -> Result<Vec<Record>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SELECT_RECORDS} WHERE r.device_thumbprint = $1 AND r.position > $2 ORDER BY r.position LIMIT $3"
        ))
        .bind(thumbprint)
        .bind(after.map_or(-1, |after| after as i64))
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// How many records the device key of `thumbprint` added since `since`.
    ///
    /// # Errors
    /// The database fails.
    pub async fn records_signed_since(&self, thumbprint: &str, since: i64) -> Result<i64, sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS added FROM records WHERE device_thumbprint = $1 AND received_at > $2",
        )
        .bind(thumbprint)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        row.try_get("added")
    }

    /// At most `limit` of the people the log holds receipts about, in order, after `after` (`""`: from the
    /// first).
    ///
    /// # Errors
    /// The database fails.
    pub async fn principals_after(&self, after: &str, limit: u64) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT DISTINCT principal_id FROM decisions WHERE principal_id > $1 ORDER BY principal_id LIMIT $2",
        )
        .bind(after)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| row.try_get("principal_id")).collect()
    }

    /// Deletes the payloads of every receipt about `principal_id` that still has one, noting each erasure
    /// (at `now`, `requested_by` whom), and queues the erasure for the CRM when anything of the person's was
    /// queued for it ([`crate::relay_erasures`]), with the addresses by which the CRM knows the person that
    /// `contacts` finds in each deleted (receipt, body), in one transaction; then rewrites the database so
    /// that no deleted byte stays in its files ([`Self::compact`]). Returns how many payloads were erased, and
    /// how many of them carried data.
    ///
    /// # Errors
    /// The database fails (then nothing was erased, or everything was and only the compaction failed).
    pub async fn erase(
        &self,
        principal_id: &str,
        now: i64,
        requested_by: &str,
        contacts: &Contacts<'_>,
    ) -> Result<Erased, sqlx::Error> {
        let about = "SELECT DISTINCT position FROM decisions WHERE principal_id = $1";
        let people = "SELECT CAST($1 AS TEXT) AS principal_id";
        self.erase_records(about, people, principal_id, now, requested_by, contacts)
            .await
    }

    /// [`Self::erase`] for the receipts the device key of `thumbprint` signed.
    ///
    /// # Errors
    /// As [`Self::erase`].
    pub async fn erase_signed_by(
        &self,
        thumbprint: &str,
        now: i64,
        requested_by: &str,
        contacts: &Contacts<'_>,
    ) -> Result<Erased, sqlx::Error> {
        let signed = "SELECT position FROM records WHERE device_thumbprint = $1";
        let people = "SELECT DISTINCT principal_id FROM decisions WHERE position IN \
                      (SELECT position FROM records WHERE device_thumbprint = $1)";
        self.erase_records(signed, people, thumbprint, now, requested_by, contacts)
            .await
    }

    /// Erases the payloads of the records `positions` (a query of one parameter, `value`) selects, and queues
    /// the erasure for the CRM of each person `people` (likewise) selects that anything was queued for.
    async fn erase_records(
        &self,
        positions: &str,
        people: &str,
        value: &str,
        now: i64,
        requested_by: &str,
        contacts: &Contacts<'_>,
    ) -> Result<Erased, sqlx::Error> {
        let held = format!("SELECT position FROM payloads WHERE position IN ({positions})");
        let mut transaction = self.pool.begin().await?;
        // Before the bodies go, in one read: how many carried data (a withdrawal's carries none), which is what
        // a person is told was erased; and whom the CRM knows by which address.
        let deleted = sqlx::query(&format!(
            "SELECT p.position, p.body, r.receipt, d.principal_id FROM payloads p \
             JOIN records r ON r.position = p.position \
             LEFT JOIN (SELECT DISTINCT position, principal_id FROM decisions) d ON d.position = p.position \
             WHERE p.position IN ({positions})"
        ))
        .bind(value)
        .fetch_all(&mut *transaction)
        .await?;
        let mut with_data = 0;
        let mut counted = HashSet::new();
        let mut known: HashMap<String, Vec<String>> = HashMap::new();
        for row in &deleted {
            let body: String = row.try_get("body")?;
            if counted.insert(row.try_get::<i64, _>("position")?) {
                let carried = parse(&body).ok().is_some_and(|body| {
                    body.as_object()
                        .and_then(|b| b.get("fields"))
                        .and_then(|f| f.as_object())
                        .is_some_and(|fields| fields.iter().next().is_some())
                });
                with_data += u64::from(carried);
            }
            let Some(principal_id) = row.try_get::<Option<String>, _>("principal_id")? else {
                continue;
            };
            let addresses = known.entry(principal_id).or_default();
            for address in contacts(&row.try_get::<String, _>("receipt")?, &body) {
                if !addresses.contains(&address) {
                    addresses.push(address);
                }
            }
        }
        let noted = sqlx::query(&format!(
            "INSERT INTO erasures (position, erased_at, requested_by) SELECT position, $2, $3 FROM ({held}) AS held"
        ))
        .bind(value)
        .bind(now)
        .bind(requested_by)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        sqlx::query(&format!("DELETE FROM payloads WHERE position IN ({positions})"))
            .bind(value)
            .execute(&mut *transaction)
            .await?;
        // A CRM's answer kept by the relay may quote the data it was sent.
        sqlx::query(&format!(
            "UPDATE relay SET outcome = $2 WHERE position IN ({positions}) AND state <> 'waiting'"
        ))
        .bind(value)
        .bind(ERASED_OUTCOME)
        .execute(&mut *transaction)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO relay_erasures (principal_id, requested_at, requested_by, state, attempts, \
             next_attempt_at, outcome) SELECT people.principal_id, $2, $3, 'waiting', 0, $2, 'waiting' \
             FROM ({people}) AS people WHERE EXISTS \
             (SELECT 1 FROM relay q WHERE q.principal_id = people.principal_id) ON CONFLICT DO NOTHING"
        ))
        .bind(value)
        .bind(now)
        .bind(requested_by)
        .execute(&mut *transaction)
        .await?;
        for (principal_id, addresses) in known.iter().filter(|(_, addresses)| !addresses.is_empty()) {
            sqlx::query(
                "UPDATE relay_erasures SET crm_contacts = $1 WHERE principal_id = $2 AND requested_at = $3",
            )
            .bind(serde_json::to_string(addresses).unwrap_or_default())
            .bind(principal_id)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(Erased {
            payloads: noted,
            with_data,
        })
    }

    /// Makes sure deleted payloads leave nothing behind in the database's files; after an erasure, off the
    /// request path (a receiver runs it in [`crate::compaction`], the `records erase` command right away). On
    /// SQLite, `secure_delete`
    /// already overwrote the deleted cells and freed pages with zeros in the write-ahead log; checkpointing
    /// and truncating it carries that into the file and drops the old page images: no `VACUUM` (a rewrite
    /// of the whole file that held the only connection for seconds, stalling everyone's posts). On
    /// PostgreSQL, which cannot zero in place, `VACUUM FULL` rewrites the payloads table (only it: the records
    /// stay) and its index.
    ///
    /// # Errors
    /// The database fails.
    pub async fn compact(&self) -> Result<(), sqlx::Error> {
        let mut connection = self.pool.acquire().await?;
        if connection.backend_name() == "SQLite" {
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        } else {
            connection.execute("VACUUM FULL payloads").await?;
        }
        Ok(())
    }

    /// Completes records stored before migration 2: their body's hash (kept beside the record, so that an
    /// erased body's entry can still be rebuilt) and their decisions, a page at a time. Receivers starting
    /// together on one database may both do it: the writes are the same, and repeated decisions are skipped.
    async fn complete_older_records(&self) -> Result<(), sqlx::Error> {
        loop {
            let rows = sqlx::query(
                "SELECT r.position, r.receipt, r.received_at, p.body FROM records r \
                 JOIN payloads p ON p.position = r.position WHERE r.body_sha256 IS NULL \
                 ORDER BY r.position LIMIT $1",
            )
            .bind(PAGE_SIZE as i64)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                return Ok(());
            }
            let mut transaction = self.pool.begin().await?;
            let mut decisions = Vec::new();
            for row in &rows {
                let position: i64 = row.try_get("position")?;
                let receipt: String = row.try_get("receipt")?;
                let body: String = row.try_get("body")?;
                sqlx::query(
                    "UPDATE records SET body_sha256 = $1, device_thumbprint = $2 WHERE position = $3",
                )
                .bind(body_sha256(&body))
                .bind(device_thumbprint(&receipt))
                .bind(position)
                .execute(&mut *transaction)
                .await?;
                // Stored receipts passed `inspect` when they arrived.
                if let Ok((_, claims)) = inspect(&receipt) {
                    decisions.extend(decisions_of(
                        &claims,
                        position as u64,
                        row.try_get("received_at")?,
                    ));
                }
            }
            insert_decisions(&mut transaction, &decisions, " ON CONFLICT DO NOTHING").await?;
            transaction.commit().await?;
        }
    }
}

/// The thumbprint of the key in a receipt's header (the device's), or `None` for one that does not parse.
pub fn device_thumbprint(receipt: &str) -> Option<String> {
    parse_compact(receipt.trim())
        .ok()?
        .jwk
        .map(|key| key.thumbprint())
}

/// `count` placeholders numbered from `first`: `$3, $4`.
fn numbered(first: usize, count: usize) -> String {
    let numbers: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
    numbers.join(", ")
}

/// `rows` groups of `columns` numbered placeholders: `($1, $2), ($3, $4)`.
fn slots(rows: usize, columns: usize) -> String {
    let groups: Vec<String> = (0..rows)
        .map(|row| format!("({})", numbered(row * columns + 1, columns)))
        .collect();
    groups.join(", ")
}

async fn insert_decisions(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    decisions: &[DecisionRow],
    on_conflict: &str,
) -> Result<(), sqlx::Error> {
    for rows in decisions.chunks(ROWS_A_STATEMENT) {
        let insert = format!(
            "INSERT INTO decisions ({DECISION_COLUMNS}) VALUES {}{on_conflict}",
            slots(rows.len(), 8)
        );
        let mut query = sqlx::query(&insert);
        for row in rows {
            query = query
                .bind(&row.principal_id)
                .bind(&row.purpose)
                .bind(row.position as i64)
                .bind(row.decision.name())
                .bind(row.legal_basis.name())
                .bind(&row.notice_revision)
                .bind(row.issued_at)
                .bind(row.received_at);
        }
        query.execute(&mut **transaction).await?;
    }
    Ok(())
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
        let payloads = Migration::new(
            2,
            "payloads decisions erasures".into(),
            MigrationType::Simple,
            include_str!("../migrations/0002_payloads_decisions_erasures.sql").into(),
            false,
        );
        let relay = Migration::new(
            3,
            "relay".into(),
            MigrationType::Simple,
            include_str!("../migrations/0003_relay.sql").into(),
            false,
        );
        let relay_erasures = Migration::new(
            4,
            "relay erasures".into(),
            MigrationType::Simple,
            include_str!("../migrations/0004_relay_erasures.sql").into(),
            false,
        );
        let confirmations = Migration::new(
            5,
            "confirmations".into(),
            MigrationType::Simple,
            include_str!("../migrations/0005_confirmations.sql").into(),
            false,
        );
        let challenges = Migration::new(
            6,
            "challenges".into(),
            MigrationType::Simple,
            include_str!("../migrations/0006_challenges.sql").into(),
            false,
        );
        let by_device_and_time = Migration::new(
            7,
            "records by device and time".into(),
            MigrationType::Simple,
            include_str!("../migrations/0007_records_by_device_and_time.sql").into(),
            false,
        );
        let erasure_contacts = Migration::new(
            8,
            "erasure contacts".into(),
            MigrationType::Simple,
            include_str!("../migrations/0008_erasure_contacts.sql").into(),
            false,
        );
        let checkpoints = Migration::new(
            9,
            "checkpoints".into(),
            MigrationType::Simple,
            include_str!("../migrations/0009_checkpoints.sql").into(),
            false,
        );
        let all = vec![
            records,
            payloads,
            relay,
            relay_erasures,
            confirmations,
            challenges,
            by_device_and_time,
            erasure_contacts,
            checkpoints,
        ];
        Box::pin(async move { Ok(all) })
    }
}

fn record(row: &AnyRow) -> Result<Record, sqlx::Error> {
    let position: i64 = row.try_get("position")?;
    Ok(Record {
        position: position as u64,
        receipt_id: row.try_get("receipt_id")?,
        receipt: row.try_get("receipt")?,
        body_sha256: row.try_get("body_sha256")?,
        body: row.try_get("body")?,
        received_at: row.try_get("received_at")?,
        acknowledgement: row.try_get("acknowledgement")?,
        erased_at: row.try_get("erased_at")?,
    })
}

pub(crate) fn decision_row(row: &AnyRow) -> Result<DecisionRow, sqlx::Error> {
    let decode = |column: &str, message: String| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: message.into(),
    };
    let decision: String = row.try_get("decision")?;
    let legal_basis: String = row.try_get("legal_basis")?;
    let position: i64 = row.try_get("position")?;
    Ok(DecisionRow {
        principal_id: row.try_get("principal_id")?,
        purpose: row.try_get("purpose")?,
        position: position as u64,
        receipt_id: row.try_get("receipt_id")?,
        decision: Decision::from_name(&decision)
            .ok_or_else(|| decode("decision", format!("unknown decision {decision}")))?,
        legal_basis: LegalBasis::from_name(&legal_basis)
            .ok_or_else(|| decode("legal_basis", format!("unknown legal basis {legal_basis}")))?,
        notice_revision: row.try_get("notice_revision")?,
        issued_at: row.try_get("issued_at")?,
        received_at: row.try_get("received_at")?,
    })
}

/// Whether `error` says a position or receipt id was taken: another receiver on the same database appended
/// first.
pub fn is_taken(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
