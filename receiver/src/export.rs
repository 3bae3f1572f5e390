//! Exports of what the log holds about people: ISO/IEC TS 27560 consent records (JSON-LD, [`crate::iso27560`])
//! or the Kantara v1.1 receipts themselves, each with its compact JWS and the controller's acknowledgement.
//! One person's export is one document; a whole database is written person by person, so that a log of
//! millions is never held in memory at once.

use crate::iso27560::{consent_records, context, Chains};
use crate::store::{Record, Store};
use crate::utc::iso8601;
use consent_capture::receipt::check::inspect;
use consent_capture::receipt::kantara::EXTENSION_KEY;
use serde_json::{json, Value};
use std::io::Write;

/// How many people are read at a time when exporting a whole database.
const PEOPLE_A_PAGE: u64 = 1_000;
/// How many receipts a page of one person's Kantara export holds, and how many are read at a time to find an
/// ISO export's chains.
const RECEIPTS_A_PAGE: u64 = 256;
/// How many consent records (chains of receipts) a page of one person's ISO export holds.
const CHAINS_A_PAGE: usize = 64;

/// The two formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// ISO/IEC TS 27560 consent records in JSON-LD with DPV.
    Iso27560,
    /// The Kantara v1.1 receipts as they were signed.
    Kantara,
}

impl Format {
    /// The format named `name` (`iso27560` or `kantara`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "iso27560" => Some(Self::Iso27560),
            "kantara" => Some(Self::Kantara),
            _ => None,
        }
    }
}

/// Whether an export carries the data that was sent: only for the person it is about, never for an
/// auditor's export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payloads {
    /// The fields as they arrived (where not erased).
    Included,
    /// Receipts, acknowledgements and hashes only.
    Left,
}

/// Everything held about `principal_id`, as one document.
///
/// # Errors
/// The database fails.
pub async fn person(
    store: &Store,
    principal_id: &str,
    format: Format,
    payloads: Payloads,
) -> Result<Value, sqlx::Error> {
    let records = store.records_about(principal_id).await?;
    Ok(match format {
        Format::Iso27560 => json!({
            "@context": context(),
            "@graph": consent_records(
                principal_id,
                &records,
                &store.confirmations_of(principal_id).await?,
            ),
        }),
        Format::Kantara => kantara(principal_id, &records, payloads),
    })
}

/// One page of what [`person`] answers, after `after` (the position the previous page ended at; `None`: the
/// first page), and where the next page starts, if one follows: at most [`RECEIPTS_A_PAGE`] receipts (Kantara)
/// or [`CHAINS_A_PAGE`] whole consent records (ISO, a chain never split), so that no answer holds a person's
/// whole history in memory.
///
/// # Errors
/// The database fails.
pub async fn person_page(
    store: &Store,
    principal_id: &str,
    format: Format,
    after: Option<u64>,
) -> Result<(Value, Option<u64>), sqlx::Error> {
    match format {
        Format::Kantara => {
            let records = store
                .records_about_page(principal_id, after, RECEIPTS_A_PAGE)
                .await?;
            let next = (records.len() as u64 == RECEIPTS_A_PAGE)
                .then(|| records.last().map(|record| record.position))
                .flatten();
            Ok((kantara(principal_id, &records, Payloads::Left), next))
        }
        Format::Iso27560 => {
            // Each chain's records, by the position of its first: read a page at a time, keeping only hashes
            // and positions.
            let mut placed = Chains::default();
            let mut chains: Vec<(u64, Vec<u64>)> = Vec::new();
            let mut from = None;
            loop {
                let page = store
                    .records_about_page(principal_id, from, RECEIPTS_A_PAGE)
                    .await?;
                for record in &page {
                    let previous = inspect(&record.receipt).ok().and_then(|(compact, _)| {
                        let receipt: Value = serde_json::from_slice(&compact.payload).ok()?;
                        receipt[EXTENSION_KEY]["previousReceipt"]
                            .as_str()
                            .map(str::to_owned)
                    });
                    let chain = placed.place(&record.receipt, previous.as_deref());
                    if chain == chains.len() {
                        chains.push((record.position, Vec::new()));
                    }
                    chains[chain].1.push(record.position);
                }
                match page.last() {
                    Some(last) if page.len() as u64 == RECEIPTS_A_PAGE => from = Some(last.position),
                    _ => break,
                }
            }
            let wanted: Vec<&(u64, Vec<u64>)> = chains
                .iter()
                .filter(|(root, _)| after.is_none_or(|after| *root > after))
                .take(CHAINS_A_PAGE + 1)
                .collect();
            let next = (wanted.len() > CHAINS_A_PAGE).then(|| wanted[CHAINS_A_PAGE - 1].0);
            let positions: Vec<u64> = wanted
                .iter()
                .take(CHAINS_A_PAGE)
                .flat_map(|(_, members)| members.iter().copied())
                .collect();
            let records = store.records_at(&positions).await?;
            let confirmations = store.confirmations_of(principal_id).await?;
            let document = json!({
                "@context": context(),
                "@graph": consent_records(principal_id, &records, &confirmations),
            });
            Ok((document, next))
        }
    }
}

fn kantara(principal_id: &str, records: &[Record], payloads: Payloads) -> Value {
    json!({ "principal": principal_id, "receipts": receipts_json(records, payloads) })
}

/// Each record as its receipt (decoded and as signed), acknowledgement and body hash; its erasure; and with
/// [`Payloads::Included`], the fields that were sent.
pub fn receipts_json(records: &[Record], payloads: Payloads) -> Vec<Value> {
    records
        .iter()
        .map(|record| {
            let receipt = inspect(&record.receipt)
                .ok()
                .and_then(|(compact, _)| serde_json::from_slice::<Value>(&compact.payload).ok());
            let mut held = json!({
                "position": record.position,
                "receiptId": record.receipt_id,
                "receivedAt": iso8601(record.received_at),
                "receipt": receipt,
                "jws": record.receipt,
                "acknowledgement": record.acknowledgement,
                "bodySha256": record.body_sha256,
            });
            if let Some(erased_at) = record.erased_at {
                held["erasedAt"] = json!(iso8601(erased_at));
            }
            if payloads == Payloads::Included {
                let fields = record
                    .body
                    .as_deref()
                    .and_then(|body| serde_json::from_str::<Value>(body).ok())
                    .map(|body| body["fields"].clone());
                held["fields"] = fields.unwrap_or(Value::Null);
            }
            held
        })
        .collect()
}

/// Writes everything the database holds, person by person, as one document: for ISO 27560 one JSON-LD
/// graph of every consent record, for Kantara `{"people": [...]}`. Never the payloads.
///
/// # Errors
/// The database or `out` fails.
pub async fn everyone(
    store: &Store,
    format: Format,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    match format {
        Format::Iso27560 => write!(out, "{{\"@context\":{},\"@graph\":[", context())?,
        Format::Kantara => write!(out, "{{\"people\":[")?,
    }
    let mut after = String::new();
    let mut first = true;
    loop {
        let people = store.principals_after(&after, PEOPLE_A_PAGE).await?;
        for principal_id in &people {
            let document = person(store, principal_id, format, Payloads::Left).await?;
            let items = match format {
                Format::Iso27560 => document["@graph"].as_array().cloned().unwrap_or_default(),
                Format::Kantara => vec![document],
            };
            for item in items {
                if !first {
                    out.write_all(b",")?;
                }
                first = false;
                serde_json::to_writer(&mut *out, &item)?;
            }
        }
        match people.last() {
            Some(last) if people.len() as u64 == PEOPLE_A_PAGE => after.clone_from(last),
            _ => break,
        }
    }
    writeln!(out, "]}}")?;
    Ok(())
}
