//! What the controller answers: JWSs signed with its key (the key whose thumbprint pages pin for signed
//! notices), so that the person holds something the controller signed.
//!
//! An acknowledgement signs the record's log entry, the log's head when the record was appended and the
//! record's inclusion proof in that head. A head signs the log's size and root at a time, for auditors; a
//! checkpoint says the same in the format witnesses read, signed with the log's own key.

use crate::log::{Entry, Head};
use consent_capture::error::Error;
use consent_capture::jose::base64url;
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::jose::jws::{header, require_typ, signing_input};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{parse, Object, Value};
use consent_capture::receipt::verify::verify_jws;
use consent_capture::tlog::checkpoint::Checkpoint;
use consent_capture::tlog::note::Note;
use consent_capture::tlog::signer::NoteSigner;

/// The `typ` of an acknowledgement (the component's, whose verifier checks them).
pub use consent_capture::receipt::acknowledgement::TYP;

/// The `typ` of a signed log head.
pub const HEAD_TYP: &str = "consent-log-head+jws";

/// Signs `payload` (canonical JSON) with `key` under `typ`.
pub(crate) fn sign(key: &PrivateKey, typ: &str, payload: Object) -> String {
    let header = header(key.algorithm(), &key.public(), typ);
    key.sign(&signing_input(
        &header,
        &to_canonical_string(&Value::Object(payload)),
    ))
}

/// The payload of a JWS that `controller` signed under `typ`: a challenge, cursor or link this receiver handed
/// out and is shown again. A payload that is not a JSON object reads as an empty one, which names nothing and
/// so passes none of the checks that follow.
///
/// # Errors
/// Not signed by `controller`, or of another `typ`: the core's error, with where.
pub(crate) fn handed_out(jws: &str, controller: &PublicJwk, typ: &str) -> Result<Object, Error> {
    let compact = verify_jws(jws, Some(controller))?;
    require_typ(&compact, typ)?;
    Ok(std::str::from_utf8(&compact.payload)
        .ok()
        .and_then(|text| parse(text).ok())
        .and_then(|payload| payload.as_object().cloned())
        .unwrap_or_default())
}

/// The acknowledgement of `entry`, appended to the log whose head is now `head`, with its inclusion `proof`:
/// `{"entry": {…}, "inclusionProof": [base64url, …], "treeHead": {"rootHash", "size", "time"}}`.
pub fn acknowledge(key: &PrivateKey, entry: &Entry, head: Head, proof: &[[u8; 32]], time: i64) -> String {
    countersign(key, TYP, entry.to_json(), head, proof, time)
}

/// An entry of the log countersigned under `typ`, as [`acknowledge`] signs a record's (a confirmation's too).
pub fn countersign(
    key: &PrivateKey,
    typ: &str,
    entry: Object,
    head: Head,
    proof: &[[u8; 32]],
    time: i64,
) -> String {
    let proof = proof.iter().map(|hash| base64url::encode(hash).into()).collect();
    sign(
        key,
        typ,
        Object::new()
            .with("entry", entry)
            .with("inclusionProof", Value::Array(proof))
            .with("treeHead", head.to_json().with("time", time)),
    )
}

/// The log's head, signed: `{"rootHash", "size", "time"}`.
pub fn signed_head(key: &PrivateKey, head: Head, time: i64) -> String {
    sign(key, HEAD_TYP, head.to_json().with("time", time))
}

/// The log's head as a C2SP checkpoint note, its origin the log key's name, signed by that key.
pub fn signed_checkpoint(log_key: &NoteSigner, head: Head) -> String {
    let text = Checkpoint {
        origin: log_key.verifier().name.clone(),
        size: head.size,
        root: head.root,
        extensions: Vec::new(),
    }
    .to_text();
    Note {
        signatures: vec![log_key.sign(&text)],
        text,
    }
    .to_text()
}
