//! The offline audit: recomputes the log from the database and checks it against what the controller signed,
//! record by record (each row's acknowledgement) and against heads an auditor kept. It names the first
//! record that differs: a changed row no longer matches the entry its acknowledgement signed, a deleted row
//! leaves a gap, reordered rows sit at positions their acknowledgements do not name, and a log rewritten
//! wholesale (acknowledgements re-signed) no longer matches a head kept from before. Every table an answer
//! comes from is covered: the rows derived from a record (its decisions, hashes, relay row) are recomputed
//! from its verified receipt, and a row at a position the log has no record for is a finding.

use crate::acknowledgement::HEAD_TYP;
use crate::confirmation::{Confirmation, CONFIRMATION_TYP};
use crate::decisions::decisions_of;
use crate::derived_rows::DerivedRows;
use crate::log::{Head, Log};
use crate::store::{Record, Store, PAGE_SIZE};
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::jose::{base64, base64url};
use consent_capture::json::{parse, Object, Value};
use consent_capture::receipt::body_sha256;
use consent_capture::receipt::receipt_hash;
use consent_capture::receipt::verify::{
    verify_acknowledgement, verify_jws, verify_receipt, Expectations, VerifiedReceipt,
};
use consent_capture::tlog::policy::Policy;
use std::fmt;

/// Every table the audit reads (or an answer comes from).
const AUDITED_TABLES: &[&str] = &[
    "records",
    "payloads",
    "erasures",
    "decisions",
    "relay",
    "relay_erasures",
    "confirmations",
];

/// How many records the audit reads at a time: with their payloads (at most a request body each, 256 KiB by
/// default) a page stays within tens of megabytes, whatever the database's size.
const AUDIT_PAGE: u64 = 256;

/// What differs, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The first record that differs, when one can be named.
    pub position: Option<u64>,
    /// What differs, in words.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(position) => write!(f, "record {position}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

fn at(position: u64, message: impl Into<String>) -> Finding {
    Finding {
        position: Some(position),
        message: message.into(),
    }
}

/// A head an auditor kept: a JWS the controller signed (`consent-log-head+jws`), as `GET /log/head` answers,
/// or a checkpoint the log's key signed (a C2SP note), from the database, a witness or a person's evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptHead {
    /// Its size and root.
    pub head: Head,
    /// For a checkpoint: the policy's witnesses that cosigned it, and whether they meet its quorum.
    pub checkpoint: Option<(Vec<String>, bool)>,
}

impl KeptHead {
    /// Reads a signed head, the JWS itself or `GET /log/head`'s answer as saved (`{"head": JWS}`), and checks
    /// its signature under the controller's key.
    ///
    /// # Errors
    /// Not a signed head, or not signed by `controller`.
    pub fn read(text: &str, controller: &PublicJwk) -> Result<Self, String> {
        let served = parse(text.trim()).ok();
        let jws = match served.as_ref().and_then(Value::as_object) {
            Some(answer) => answer
                .get("head")
                .and_then(Value::as_str)
                .ok_or("neither a signed head nor GET /log/head's answer: head is required")?,
            None => text.trim(),
        };
        let payload = signed_payload(jws, controller, HEAD_TYP)?;
        Ok(Self {
            head: head_in(&payload).ok_or("not a log head: rootHash and size are required")?,
            checkpoint: None,
        })
    }

    /// Reads a checkpoint note that a log of `policy` signed, with the cosignatures of its witnesses.
    ///
    /// # Errors
    /// Not a checkpoint, not signed by a log of the policy, or a known key's signature fails.
    pub fn checkpoint(text: &str, policy: &Policy) -> Result<Self, String> {
        let read = policy
            .read(text)
            .map_err(|e| format!("{}: {}", e.at(), e.text()))?;
        let names: Vec<&str> = read.cosigned.iter().map(|(name, _)| name.as_str()).collect();
        let quorum = policy.met_by(&names);
        Ok(Self {
            head: Head {
                size: read.checkpoint.size,
                root: read.checkpoint.root,
            },
            checkpoint: Some((names.iter().map(|name| (*name).to_owned()).collect(), quorum)),
        })
    }

    /// What it is, in words.
    fn what(&self) -> String {
        match &self.checkpoint {
            None => "a kept head".to_owned(),
            Some((cosigners, quorum)) => format!(
                "a checkpoint the log's key signed ({}{})",
                if cosigners.is_empty() {
                    "cosigned by no known witness".to_owned()
                } else {
                    format!("cosigned by {}", cosigners.join(", "))
                },
                if *quorum {
                    ", the policy's quorum"
                } else {
                    ", short of the policy's quorum"
                }
            ),
        }
    }
}

/// The payload of a JWS that `controller` signed with `typ`.
fn signed_payload(jws: &str, controller: &PublicJwk, typ: &str) -> Result<Object, String> {
    let compact = verify_jws(jws, Some(controller)).map_err(|e| e.text())?;
    if compact.header.get("typ").and_then(Value::as_str) != Some(typ) {
        return Err(format!("its typ is not {typ}"));
    }
    let text = std::str::from_utf8(&compact.payload).map_err(|_| "its payload is not UTF-8")?;
    parse(text)
        .ok()
        .and_then(|payload| payload.as_object().cloned())
        .ok_or_else(|| "its payload is not a JSON object".to_owned())
}

fn head_in(object: &Object) -> Option<Head> {
    let root = base64url::decode(object.get("rootHash")?.as_str()?)?;
    Some(Head {
        size: u64::try_from(object.get("size")?.as_i64()?).ok()?,
        root: root.try_into().ok()?,
    })
}

/// What an audit that passed covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
    /// How many entries of the log, each checked against its acknowledgement (records and confirmations).
    pub records: u64,
    /// How many of them are confirmations of an address (double opt-in).
    pub confirmations: u64,
    /// How many of them had their body erased (their hashes, and so the log, still check).
    pub erased: u64,
    /// The head they make.
    pub head: Head,
    /// How many kept heads and checkpoints matched.
    pub heads: usize,
}

/// Checks records one at a time, in log order, so that a log of millions is never held in memory at once.
pub struct Audit<'a> {
    controller: &'a PublicJwk,
    kept: Vec<KeptHead>,
    matched: usize,
    erased: u64,
    confirmations: u64,
    log: Log,
}

impl<'a> Audit<'a> {
    /// An audit against `controller`'s key and the heads an auditor kept.
    pub fn new(controller: &'a PublicJwk, kept: Vec<KeptHead>) -> Self {
        Self {
            controller,
            kept,
            matched: 0,
            erased: 0,
            confirmations: 0,
            log: Log::new(),
        }
    }

    /// Checks the next record, and the rows derived from it (`derived` holds them for its page).
    ///
    /// # Errors
    /// The first thing about it that differs from what was signed, or from what its receipt says.
    pub fn check(&mut self, record: &Record, derived: &DerivedRows) -> Result<(), Finding> {
        let position = self.log.size();
        if record.position != position {
            return Err(at(
                position,
                format!("missing (the next record is at position {})", record.position),
            ));
        }
        let receipt = verify_receipt(&record.receipt, Expectations::default())
            .map_err(|e| at(position, format!("its receipt does not verify: {}", e.text())))?;
        let receipt_id = receipt
            .receipt
            .as_object()
            .and_then(|r| r.get("consentReceiptID"))
            .and_then(Value::as_str);
        if receipt_id != Some(record.receipt_id.as_str()) {
            return Err(at(
                position,
                "its receipt_id is not its receipt's consentReceiptID",
            ));
        }
        // The component's verifier: the controller's signature, this very receipt, and the inclusion proof of
        // the signed entry in the signed head. (The body's hash is the entry's, compared below, so that a
        // moved row is named as moved rather than as a body that differs.)
        let acknowledgement =
            verify_acknowledgement(&record.acknowledgement, &record.receipt, None, self.controller)
                .map_err(|e| at(position, format!("its acknowledgement: {e}")))?;
        let entry = record.entry();
        if let Some(member) = differing_member(&entry.to_json(), &acknowledgement.entry) {
            return Err(at(
                position,
                format!("its {member} is not what its acknowledgement signed"),
            ));
        }
        // After the entry: a row moved to another position is named as such, not as a body that differs.
        match (&record.body, record.erased_at) {
            (Some(body), None) if body_sha256(body) != record.body_sha256 => {
                return Err(at(position, "its body is not the body whose hash was signed"));
            }
            (Some(_), None) => {}
            (Some(_), Some(_)) => {
                return Err(at(position, "its erasure is recorded but its body is still held"));
            }
            (None, Some(_)) => self.erased += 1,
            (None, None) => {
                return Err(at(position, "its body is missing and no erasure is recorded"));
            }
        }
        check_derived(record, &receipt, derived)?;
        self.push(entry.leaf(), acknowledgement.head_size, acknowledgement.head_root)
    }

    /// Checks the next entry of the log when it is a confirmation (double opt-in): the controller signed it,
    /// and the row is what was signed.
    ///
    /// # Errors
    /// The first thing about it that differs from what was signed.
    pub fn check_confirmation(&mut self, confirmation: &Confirmation) -> Result<(), Finding> {
        let position = self.log.size();
        let entry = &confirmation.entry;
        if entry.position != position {
            return Err(at(
                position,
                format!(
                    "missing (the next confirmation is at position {})",
                    entry.position
                ),
            ));
        }
        let signed = signed_payload(&confirmation.acknowledgement, self.controller, CONFIRMATION_TYP)
            .map_err(|e| at(position, format!("its confirmation's countersignature: {e}")))?;
        let signed_entry = signed
            .get("entry")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let expected = entry.to_json();
        let differs =
            differing_member(&expected, &signed_entry).or_else(|| differing_member(&signed_entry, &expected));
        if let Some(member) = differs {
            return Err(at(
                position,
                format!("its confirmation's {member} is not what the controller signed"),
            ));
        }
        let head = signed
            .get("treeHead")
            .and_then(Value::as_object)
            .and_then(head_in)
            .ok_or_else(|| at(position, "its confirmation's countersignature has no tree head"))?;
        self.confirmations += 1;
        self.push(entry.leaf(), head.size, head.root)
    }

    /// Appends `leaf`, whose countersignature signed the head `signed_size` and `signed_root`, and checks
    /// that head and the kept heads of this size.
    fn push(&mut self, leaf: [u8; 32], signed_size: u64, signed_root: [u8; 32]) -> Result<(), Finding> {
        self.log.push(leaf);
        let head = self.log.head();
        let position = head.size - 1;
        if (signed_size, signed_root) != (head.size, head.root) {
            return Err(at(
                position,
                "the log up to it does not have the head its acknowledgement signed",
            ));
        }
        for kept in self.kept.iter().filter(|kept| kept.head.size == head.size) {
            if kept.head.root != head.root {
                let message = match kept.checkpoint {
                    None => format!(
                        "the first {} records are not the log whose head was kept (records were changed, \
                         removed or reordered, and their acknowledgements signed again)",
                        head.size
                    ),
                    Some(_) => format!(
                        "a fork: {} of {} records is not this database's log of as many, whose root is {}: the \
                         log showed another history to whoever holds that checkpoint",
                        kept.what(),
                        head.size,
                        base64::encode(&head.root)
                    ),
                };
                return Err(Finding {
                    position: None,
                    message,
                });
            }
            self.matched += 1;
        }
        Ok(())
    }

    /// Ends the audit once every record was checked.
    ///
    /// # Errors
    /// A kept head covers records the database no longer holds.
    pub fn finish(self) -> Result<Report, Finding> {
        let records = self.log.size();
        if let Some(longer) = self.kept.iter().find(|kept| kept.head.size > records) {
            return Err(at(
                records,
                format!(
                    "missing: {} covers {} records, the database holds {records}",
                    longer.what(),
                    longer.head.size
                ),
            ));
        }
        Ok(Report {
            records,
            confirmations: self.confirmations,
            erased: self.erased,
            head: self.log.head(),
            heads: self.matched,
        })
    }
}

/// The rows derived from `record` (its verified `receipt`) must be what its receipt says: the receipt's hash
/// and device key beside it, one decision row per purpose as the receipt decides, and a relay row (if any)
/// for the person the receipt names. `may-use` and the state answer from these rows, never from the receipts.
fn check_derived(record: &Record, receipt: &VerifiedReceipt, derived: &DerivedRows) -> Result<(), Finding> {
    let position = record.position;
    let (receipt_sha256, thumbprint) = derived
        .records
        .get(&position)
        .ok_or_else(|| at(position, "its row changed while the audit read it"))?;
    if *receipt_sha256 != receipt_hash(&record.receipt) {
        return Err(at(position, "its receipt_sha256 is not its receipt's hash"));
    }
    if thumbprint.as_deref() != Some(receipt.key.thumbprint().as_str()) {
        return Err(at(
            position,
            "its device_thumbprint is not the thumbprint of the key that signed its receipt",
        ));
    }
    // Both by purpose, in Rust's order (a database's collation may order them otherwise).
    let mut expected = decisions_of(&receipt.receipt, position, record.received_at);
    expected.sort_by(|a, b| a.purpose.cmp(&b.purpose));
    let mut stored = derived.decisions.get(&position).cloned().unwrap_or_default();
    stored.sort_by(|a, b| a.purpose.cmp(&b.purpose));
    if let Some(i) = (0..expected.len().max(stored.len())).find(|&i| expected.get(i) != stored.get(i)) {
        let purpose = expected
            .get(i)
            .or(stored.get(i))
            .map_or("", |d| d.purpose.as_str());
        return Err(at(
            position,
            format!("its decisions row for {purpose} is not what its receipt decides"),
        ));
    }
    let principal = receipt
        .receipt
        .as_object()
        .and_then(|r| r.get("piiPrincipalId"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if derived
        .relay
        .get(&position)
        .is_some_and(|relayed| relayed != principal)
    {
        return Err(at(
            position,
            "its relay row names another person than its receipt",
        ));
    }
    Ok(())
}

/// The first member of `entry` that `signed` lacks or has otherwise.
fn differing_member(entry: &Object, signed: &Object) -> Option<String> {
    entry
        .iter()
        .find(|(key, value)| signed.get(key) != Some(*value))
        .map(|(key, _)| key.to_owned())
}

/// Audits the database at `url` (opened read-only): every record against its acknowledgement, and the log
/// against the `kept` heads and checkpoints and, given the witness `policy`, the cosigned checkpoints the
/// database keeps.
///
/// # Errors
/// The database cannot be read (the outer error); what differs (the inner one).
pub async fn audit_database(
    url: &str,
    controller: &PublicJwk,
    mut kept: Vec<KeptHead>,
    policy: Option<&Policy>,
) -> Result<Result<Report, Finding>, sqlx::Error> {
    let store = Store::open_read_only(url).await?;
    if let Some(table) = store.first_not_a_table(AUDITED_TABLES).await? {
        return Ok(Err(Finding {
            position: None,
            message: format!("{table} is not a table of this database (missing, or a view)"),
        }));
    }
    // The checkpoints the witnesses cosigned, as the database keeps them, must be its log too.
    if let Some(policy) = policy {
        for (size, note) in store.checkpoints().await? {
            match KeptHead::checkpoint(&note, policy) {
                Ok(checkpoint) => kept.push(checkpoint),
                Err(error) => {
                    return Ok(Err(Finding {
                        position: None,
                        message: format!("the checkpoint of {size} records the database keeps: {error}"),
                    }))
                }
            }
        }
    }
    let mut audit = Audit::new(controller, kept);
    let mut confirmations = ConfirmationPages::default();
    let mut from = 0;
    loop {
        let page = store.records_page(from, AUDIT_PAGE).await?;
        let derived = match (page.first(), page.last()) {
            (Some(first), Some(last)) => store.derived_rows(first.position, last.position).await?,
            _ => DerivedRows::default(),
        };
        for record in &page {
            while let Some(confirmation) = confirmations.next_before(&store, record.position).await? {
                if let Err(finding) = audit.check_confirmation(&confirmation) {
                    return Ok(Err(finding));
                }
            }
            if let Err(finding) = audit.check(record, &derived) {
                return Ok(Err(finding));
            }
        }
        match page.last() {
            Some(last) if page.len() as u64 == AUDIT_PAGE => from = last.position + 1,
            _ => break,
        }
    }
    while let Some(confirmation) = confirmations.next_before(&store, u64::MAX).await? {
        if let Err(finding) = audit.check_confirmation(&confirmation) {
            return Ok(Err(finding));
        }
    }
    if let Some(stray) = store.first_stray(audit.log.size()).await? {
        return Ok(Err(Finding {
            position: None,
            message: format!(
                "a row of {} at position {}, where the log has no record",
                stray.table, stray.position
            ),
        }));
    }
    Ok(audit.finish())
}

/// The confirmations table read a page at a time, in log order, as the records are.
#[derive(Default)]
struct ConfirmationPages {
    page: std::collections::VecDeque<Confirmation>,
    from: u64,
    done: bool,
}

impl ConfirmationPages {
    /// The next confirmation, when its position is before `position`.
    async fn next_before(
        &mut self,
        store: &Store,
        position: u64,
    ) -> Result<Option<Confirmation>, sqlx::Error> {
        if self.page.is_empty() && !self.done {
            let page = store.confirmations_page(self.from, PAGE_SIZE).await?;
            self.done = (page.len() as u64) < PAGE_SIZE;
            if let Some(last) = page.last() {
                self.from = last.entry.position + 1;
            }
            self.page.extend(page);
        }
        Ok(match self.page.front() {
            Some(next) if next.entry.position < position => self.page.pop_front(),
            _ => None,
        })
    }
}
