//! The verifier's binding: a second wasm module (built with the `browser-verifier` feature) for pages that
//! check receipts, such as the receipt viewer. It checks everything but the signature; WebCrypto checks that.
//! Pages that capture consent load it only to check a notice signature (`notice-signature`), to show the
//! controller's acknowledgement, or to check an Ed25519 signature where WebCrypto has none.

use super::convert::{json_text, to_js};
use crate::error::{Error, ErrorKind};
use crate::jose::jws::Compact;
use crate::jose::{base64url, ed25519};
use crate::json::{parse, Object, Value};
use crate::notice::signature;
use crate::prelude::*;
use crate::receipt::acknowledgement::inspect_acknowledgement as inspect;
use crate::receipt::check;
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

/// What WebCrypto needs to check a signature: `{alg, jwk, signingInput, signature}`.
fn signed_parts(compact: &Compact) -> Object {
    let jwk = compact.jwk.as_ref().map_or(Value::Null, |k| k.to_json().into());
    Object::new()
        .with("alg", compact.algorithm.name())
        .with("jwk", jwk)
        .with("signingInput", compact.signing_input.as_str())
        .with("signature", base64url::encode(&compact.signature))
}
