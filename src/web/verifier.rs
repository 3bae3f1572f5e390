//! The verifier's binding: a second wasm module (built with the `browser-verifier` feature) for pages that
//! check receipts, such as the receipt viewer. It checks everything but the signature; WebCrypto checks that.
//! Pages that capture consent load it only to check a notice signature (`notice-signature`), to show the
//! controller's acknowledgement (and, under a witness policy the page pins, that the controller's log kept
//! its history), or to check an Ed25519 signature where WebCrypto has none.

use super::convert::{json_text, to_js};
use crate::error::{Error, ErrorKind};
use crate::jose::jws::Compact;
use crate::jose::{base64url, ed25519};
use crate::json::{parse, Object, Value};
use crate::notice::signature;
use crate::prelude::*;
use crate::receipt::acknowledgement::inspect_acknowledgement as inspect;
use crate::receipt::check;
use crate::tlog::history::{acknowledged, compare, Later};
use crate::tlog::policy::Policy;
use wasm_bindgen::prelude::*;

/// Checks everything about a receipt but its signature ([`check::inspect`], as the CLI does) and
/// returns, as JSON, what WebCrypto needs to check the signature, with the receipt itself under `receipt`.
///
/// # Errors
/// The first problem, with where it is.
#[wasm_bindgen]
pub fn inspect_receipt(jws: &str) -> Result<String, JsValue> {
    let (compact, receipt) = check::inspect(jws).map_err(to_js)?;
    Ok(json_text(signed_parts(&compact).with("receipt", receipt)))
}

/// Checks an Ed25519 signature (`x`, `signing_input` and `signature` as in the JWS and its JWK) where
/// WebCrypto has no Ed25519, with the same strict check as the native verifier.
#[wasm_bindgen]
pub fn verify_ed25519(x: &str, signing_input: &str, signature: &str) -> bool {
    let key = base64url::decode(x).and_then(|x| <[u8; 32]>::try_from(x).ok());
    match (key, base64url::decode(signature)) {
        (Some(key), Some(signature)) => ed25519::verify(&key, signing_input.as_bytes(), &signature).is_ok(),
        _ => false,
    }
}

/// Checks everything about the controller's acknowledgement of `receipt` but its signature
/// ([`inspect`]; with `body_sha256`, that it names the body sent), and that the key in its header has the
/// `controller` thumbprint the page pins; returns, as JSON, what WebCrypto needs to check the signature, with
/// `position`, `receivedAt`, `headSize` and `headTime`.
///
/// # Errors
/// The first problem, with where it is.
#[wasm_bindgen]
pub fn inspect_acknowledgement(
    jws: &str,
    receipt: &str,
    controller: &str,
    body_sha256: Option<String>,
) -> Result<String, JsValue> {
    let (compact, acknowledgement) = inspect(jws, receipt, body_sha256.as_deref()).map_err(to_js)?;
    if compact.jwk.as_ref().map(|key| key.thumbprint()).as_deref() != Some(controller) {
        let error = Error::new(ErrorKind::KeyMismatch, "header.jwk").with_detail("not the controller's key");
        return Err(to_js(error));
    }
    Ok(json_text(
        signed_parts(&compact)
            .with("position", Value::from(acknowledgement.position as i64))
            .with("receivedAt", Value::from(acknowledgement.received_at))
            .with("headSize", Value::from(acknowledgement.head_size as i64))
            .with("headTime", Value::from(acknowledgement.head_time)),
    ))
}

/// The RFC 7638 thumbprint of a public Ed25519 or P-256 JWK (JSON text), as pages pin controller keys.
///
/// # Errors
/// Not JSON, or not such a key.
#[wasm_bindgen]
pub fn jwk_thumbprint(jwk: &str) -> Result<String, JsValue> {
    let jwk = crate::json::parse(jwk).map_err(to_js)?;
    let key = crate::jose::jwk::PublicJwk::from_json(&jwk, "jwk").map_err(to_js)?;
    Ok(key.thumbprint())
}

/// Checks everything about a challenge from the controller's receiver but its signature
/// ([`crate::receipt::access::inspect_challenge`]): its `typ`, and that its key has the `controller` thumbprint the
/// page pins. Returns, as JSON, what WebCrypto needs to check the signature.
///
/// # Errors
/// The first problem, with where it is.
#[wasm_bindgen]
pub fn inspect_access_challenge(jws: &str, controller: &str) -> Result<String, JsValue> {
    let compact = crate::receipt::access::inspect_challenge(jws, controller).map_err(to_js)?;
    Ok(json_text(signed_parts(&compact)))
}

/// What the device key (`jwk`, public, JSON text) signs to ask the receiver for `action` with `challenge`.
///
/// # Errors
/// Not an Ed25519 or P-256 public key.
#[wasm_bindgen]
pub fn access_request_input(jwk: &str, action: &str, challenge: &str) -> Result<String, JsValue> {
    let jwk = crate::json::parse(jwk).map_err(to_js)?;
    let key = crate::jose::jwk::PublicJwk::from_json(&jwk, "jwk").map_err(to_js)?;
    let algorithm = match key {
        crate::jose::jwk::PublicJwk::Ed25519(_) => crate::jose::jwk::Algorithm::Ed25519,
        crate::jose::jwk::PublicJwk::P256 { .. } => crate::jose::jwk::Algorithm::Es256,
    };
    Ok(crate::receipt::access::request_signing_input(
        algorithm, &key, action, challenge,
    ))
}

/// Checks that `signature_jws` signs exactly `notice_json` with the key whose thumbprint the page pins, and
/// returns (JSON) what WebCrypto needs to check the signature itself.
///
/// # Errors
/// A notice that is not JSON, a malformed signature, another key, or another notice. (Whether the notice is
/// valid is the element's check (`Consent::new`).)
#[wasm_bindgen]
pub fn check_notice_signature(
    notice_json: &str,
    signature_jws: &str,
    controller_thumbprint: &str,
) -> Result<String, JsValue> {
    let source = parse(notice_json).map_err(to_js)?;
    let compact = signature::check_binding(signature_jws, &source, controller_thumbprint).map_err(to_js)?;
    Ok(json_text(signed_parts(&compact)))
}

/// Checks the log proof kept with an acknowledgement (`proof`, c2sp.org/tlog-proof) under the witness `policy`
/// the page pins: it proves the entry `acknowledgement` signs for `receipt` (read by [`inspect`]; the caller
/// checked its signature), in a checkpoint the log signed and the quorum cosigned. Returns
/// `{"checkpoint": note, "size": n}`.
///
/// # Errors
/// The policy, the acknowledgement or the proof does not read, or the proof does not prove this entry under
/// the policy.
#[wasm_bindgen]
pub fn check_log_proof(
    policy: &str,
    proof: &str,
    acknowledgement: &str,
    receipt: &str,
) -> Result<String, JsValue> {
    let policy = Policy::parse(policy).map_err(to_js)?;
    let (_, acknowledgement) = inspect(acknowledgement, receipt, None).map_err(to_js)?;
    let entry = json_text(acknowledgement.entry);
    let witnessed = acknowledged(&policy, proof, &entry, acknowledgement.position).map_err(to_js)?;
    Ok(json_text(
        Object::new()
            .with("checkpoint", witnessed.note.to_text())
            .with("size", Value::from(witnessed.checkpoint.size as i64)),
    ))
}

/// Compares the checkpoint a receiver shows now (`later`, with `proof`: the consistency proof's hashes, a JSON
/// array of base64url, as `GET /log/consistency` gives them) with the one kept (`earlier`), under `policy`:
/// `{"state": "extends", "witnessed": bool}` or `{"state": "forked", "reason": …}`.
///
/// # Errors
/// A checkpoint or the proof does not read, or a checkpoint is not signed by the policy's log: nothing is
/// shown of it, since it proves nothing.
#[wasm_bindgen]
pub fn compare_checkpoints(policy: &str, earlier: &str, later: &str, proof: &str) -> Result<String, JsValue> {
    let policy = Policy::parse(policy).map_err(to_js)?;
    let hashes = parse(proof).map_err(to_js)?;
    let hashes: Option<Vec<[u8; 32]>> = hashes
        .as_array()
        .unwrap_or(&[])
        .iter()
        .map(|hash| base64url::decode(hash.as_str()?)?.try_into().ok())
        .collect();
    let hashes = hashes.ok_or_else(|| to_js(Error::new(ErrorKind::NotBase64Url, "proof")))?;
    Ok(json_text(
        match compare(&policy, earlier, later, &hashes).map_err(to_js)? {
            Later::Extends { witnessed } => Object::new()
                .with("state", "extends")
                .with("witnessed", Value::Bool(witnessed)),
            Later::Forked(reason) => Object::new().with("state", "forked").with("reason", reason),
        },
    ))
}

/// What WebCrypto needs to check a signature: `{alg, jwk, signingInput, signature}`.
fn signed_parts(compact: &Compact) -> Object {
    let jwk = compact.jwk.as_ref().map_or(Value::Null, |k| k.to_json().into());
    Object::new()
        .with("alg", compact.algorithm.name())
        .with("jwk", jwk)
        .with("signingInput", compact.signing_input.as_str())
        .with("signature", base64url::encode(&compact.signature))
}
