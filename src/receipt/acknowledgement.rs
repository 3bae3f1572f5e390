//! The controller's acknowledgement of a receipt, as the receiver answers it: a compact JWS (`typ`
//! `consent-acknowledgement+jws`) over `{"entry": {position, receiptId, receiptSha256, bodySha256,
//! receivedAt}, "inclusionProof": [base64url, …], "treeHead": {rootHash, size, time}}`.
//!
//! Checking one against its receipt: it names this very receipt (by the SHA-256 of its JWS and by its id) and,
//! where the body sent is known, that body; its times fit the receipt's; and its entry is in the tree head it
//! signs (the inclusion proof). Whose key signed it is the caller's question: the
//! native verifier checks the signature under the controller's key ([`crate::receipt::verify`]), the browser checks
//! the key's thumbprint here and the signature with WebCrypto.

use crate::error::{Error, ErrorKind};
use crate::jose::base64url;
use crate::jose::jws::{parse_compact, Compact};
use crate::jose::sha256::sha256;
use crate::json::canonical::to_canonical_string;
use crate::json::{parse, Object, Value};
use crate::prelude::*;
use crate::receipt::check::LATEST_TIMESTAMP;
use crate::receipt::merkle::{leaf_hash, verify_inclusion};
use crate::receipt::receipt_hash;

/// The `typ` of an acknowledgement.
pub const TYP: &str = "consent-acknowledgement+jws";

/// What an acknowledgement says about its receipt.
#[derive(Clone, Debug, PartialEq)]
pub struct Acknowledgement {
    /// The log entry it signs, as signed (an audit compares it with the stored record).
    pub entry: Object,
    /// The record's place in the controller's log, from 0.
    pub position: u64,
    /// When the controller received it, in seconds since 1970 (the receiver's clock).
    pub received_at: i64,
    /// The size of the log head it was included in.
    pub head_size: u64,
    /// That head's root hash.
    pub head_root: [u8; 32],
    /// When the head was signed.
    pub head_time: i64,
}

fn member<'a>(object: &'a Object, key: &str, at: &str) -> Result<&'a Value, Error> {
    object
        .get(key)
        .ok_or_else(|| Error::new(ErrorKind::Missing, concat(&[at, key])))
}

fn object_at<'a>(object: &'a Object, key: &str, at: &str) -> Result<&'a Object, Error> {
    member(object, key, at)?
        .as_object()
        .ok_or_else(|| Error::new(ErrorKind::WrongType, concat(&[at, key])))
}

fn integer_at(object: &Object, key: &str, at: &str) -> Result<i64, Error> {
    member(object, key, at)?
        .as_i64()
        .ok_or_else(|| Error::new(ErrorKind::WrongType, concat(&[at, key])))
}

fn hash_of(value: &Value, at: &str) -> Result<[u8; 32], Error> {
    value
        .as_str()
        .and_then(base64url::decode)
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| Error::new(ErrorKind::NotBase64Url, at).with_detail("not a base64url SHA-256 hash"))
}

/// How far ahead of the receiver's clock a receipt's consent time may be (a device's clock running fast) for
/// its acknowledgement to hold: a receiver accepts at most this (`--clock-skew`), so an acknowledgement that
/// says its receipt arrived earlier still than that before it was made is false.
pub const MOST_CLOCK_SKEW: i64 = 3_600;

/// The claims of the receipt an acknowledgement is checked against (its own checks are the receipt verifier's).
fn receipt_claims(receipt_jws: &str) -> Result<Object, Error> {
    let compact =
        parse_compact(receipt_jws.trim()).map_err(|e| Error::new(e.kind(), "receipt").with_detail(e.at()))?;
    let text =
        core::str::from_utf8(&compact.payload).map_err(|_| Error::new(ErrorKind::Syntax, "receipt"))?;
    match parse(text) {
        Ok(Value::Object(claims)) => Ok(claims),
        _ => Err(Error::new(ErrorKind::WrongType, "receipt").with_detail("not a receipt")),
    }
}

/// Everything about an acknowledgement but its signature: a strict JWS of this `typ` with a key in its
/// header, acknowledging the receipt `receipt_jws` (by the SHA-256 of its JWS and by its id), received no
/// earlier than the receipt's consent time allows and no later than the head it signs, with an inclusion
/// proof of its entry in that head; and when the SHA-256 of the body that was sent is given ([`crate::receipt::body_sha256`]:
/// a device keeps only the hash once the body has left), naming it.
///
/// # Errors
/// The first problem, with where it is.
pub fn inspect_acknowledgement(
    jws: &str,
    receipt_jws: &str,
    body_sha256: Option<&str>,
) -> Result<(Compact, Acknowledgement), Error> {
    let compact = parse_compact(jws.trim())?;
    if compact.header.get("typ").and_then(Value::as_str) != Some(TYP) {
        return Err(Error::new(ErrorKind::NotAllowed, "header.typ"));
    }
    if compact.jwk.is_none() {
        return Err(Error::new(ErrorKind::Missing, "header.jwk"));
    }
    let text =
        core::str::from_utf8(&compact.payload).map_err(|_| Error::new(ErrorKind::Syntax, "payload"))?;
    let payload = parse(text).map_err(|e| Error::new(e.kind(), "payload").with_detail(e.at()))?;
    let payload = payload
        .as_object()
        .ok_or_else(|| Error::new(ErrorKind::WrongType, "payload"))?;
    let entry = object_at(payload, "entry", "payload.")?;
    let named = member(entry, "receiptSha256", "payload.entry.")?.as_str();
    if named != Some(receipt_hash(receipt_jws.trim()).as_str()) {
        return Err(Error::new(ErrorKind::NotBound, "payload.entry.receiptSha256")
            .with_detail("acknowledges another receipt"));
    }
    let receipt = receipt_claims(receipt_jws)?;
    let named = member(entry, "receiptId", "payload.entry.")?.as_str();
    if named.is_none() || named != receipt.get("consentReceiptID").and_then(Value::as_str) {
        return Err(Error::new(ErrorKind::NotBound, "payload.entry.receiptId")
            .with_detail("not the receipt's consentReceiptID"));
    }
    if let Some(sent) = body_sha256 {
        let named = member(entry, "bodySha256", "payload.entry.")?.as_str();
        if named != Some(sent) {
            return Err(Error::new(ErrorKind::NotBound, "payload.entry.bodySha256")
                .with_detail("not the SHA-256 of the body that was sent"));
        }
    }
    let position = integer_at(entry, "position", "payload.entry.")?;
    let received_at = integer_at(entry, "receivedAt", "payload.entry.")?;
    let head = object_at(payload, "treeHead", "payload.")?;
    let head_size = integer_at(head, "size", "payload.treeHead.")?;
    let head_time = integer_at(head, "time", "payload.treeHead.")?;
    let consent_time = receipt
        .get("consentTimestamp")
        .and_then(Value::as_i64)
        .unwrap_or(i64::MAX);
    if received_at < consent_time.saturating_sub(MOST_CLOCK_SKEW) {
        return Err(Error::new(ErrorKind::OutOfRange, "payload.entry.receivedAt")
            .with_detail("before the receipt was made"));
    }
    if received_at > LATEST_TIMESTAMP {
        return Err(
            Error::new(ErrorKind::OutOfRange, "payload.entry.receivedAt").with_detail("seconds before 2100")
        );
    }
    if head_time < received_at {
        return Err(Error::new(ErrorKind::OutOfRange, "payload.treeHead.time")
            .with_detail("before the receipt was received"));
    }
    let head_root = hash_of(
        member(head, "rootHash", "payload.treeHead.")?,
        "payload.treeHead.rootHash",
    )?;
    let proof = member(payload, "inclusionProof", "payload.")?
        .as_array()
        .ok_or_else(|| Error::new(ErrorKind::WrongType, "payload.inclusionProof"))?
        .iter()
        .map(|hash| hash_of(hash, "payload.inclusionProof"))
        .collect::<Result<Vec<_>, _>>()?;
    let (Ok(position), Ok(head_size)) = (u64::try_from(position), u64::try_from(head_size)) else {
        return Err(Error::new(ErrorKind::OutOfRange, "payload.entry.position"));
    };
    let leaf = sha256(to_canonical_string(&Value::Object(entry.clone())).as_bytes());
    if !verify_inclusion(leaf_hash(&leaf), position, head_size, &proof, &head_root) {
        return Err(Error::new(ErrorKind::NotBound, "payload.inclusionProof")
            .with_detail("does not prove the entry in the tree head"));
    }
    Ok((
        compact,
        Acknowledgement {
            entry: entry.clone(),
            position,
            received_at,
            head_size,
            head_root,
            head_time,
        },
    ))
}
