//! Native verification (never in the browser build, where WebCrypto verifies): JWS signatures with
//! ed25519-dalek and p256, and whole receipts: signature, canonical form, Kantara shape, the chain to the
//! previous receipt, and the controller's signature of the notice that was shown.

use crate::error::{Error, ErrorKind};
use crate::json::Value;
use crate::jwk::PublicJwk;
use crate::jws::{parse_compact, Algorithm, Compact};
use crate::prelude::*;
use crate::receipt::{inspect, receipt_hash, EXTENSION_KEY};
use ed25519_dalek::Verifier as _;
use std::format;

/// Checks the signature of a parsed JWS against `key`.
///
/// # Errors
/// `KeyMismatch` when the key does not fit the algorithm; `BadSignature` when it does not verify
/// (Ed25519 strictly: no non-canonical `S`, no small-order keys).
pub fn verify_signature(compact: &Compact, key: &PublicJwk) -> Result<(), Error> {
    let bad = || Error::new(ErrorKind::BadSignature, "signature");
    let message = compact.signing_input.as_bytes();
    match (compact.algorithm, key) {
        (Algorithm::Ed25519, PublicJwk::Ed25519(x)) => {
            let key = ed25519_dalek::VerifyingKey::from_bytes(x)
                .map_err(|_| Error::new(ErrorKind::KeyMismatch, "jwk"))?;
            let bytes: [u8; 64] = compact.signature.as_slice().try_into().map_err(|_| bad())?;
            let signature = ed25519_dalek::Signature::from_bytes(&bytes);
            key.verify_strict(message, &signature).map_err(|_| bad())
        }
        (Algorithm::Es256, PublicJwk::P256 { x, y }) => {
            let point = p256::EncodedPoint::from_affine_coordinates(x.into(), y.into(), false);
            let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                .map_err(|_| Error::new(ErrorKind::KeyMismatch, "jwk"))?;
            let signature = p256::ecdsa::Signature::from_slice(&compact.signature).map_err(|_| bad())?;
            key.verify(message, &signature).map_err(|_| bad())
        }
        _ => Err(Error::new(ErrorKind::KeyMismatch, "jwk")
            .with_detail(format!("{} needs another key type", compact.algorithm.name()))),
    }
}

/// Verifies a compact JWS with `key`, or with the key embedded in its header when `key` is `None`.
///
/// # Errors
/// Any structural problem ([`parse_compact`]), a missing key, or a signature that does not verify.
pub fn verify_jws(jws: &str, key: Option<&PublicJwk>) -> Result<Compact, Error> {
    let compact = parse_compact(jws)?;
    let key = key
        .or(compact.jwk.as_ref())
        .ok_or_else(|| Error::new(ErrorKind::Missing, "header.jwk"))?;
    verify_signature(&compact, key)?;
    Ok(compact)
}

/// What a receipt is checked against besides itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Expectations<'a> {
    /// The receipt this one changes or withdraws: it must verify under the same key, and be the one named.
    pub previous: Option<&'a str>,
    /// The controller's key: the notice signature the receipt binds must verify under it.
    pub controller_key: Option<&'a PublicJwk>,
}

/// A receipt that verified.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedReceipt {
    /// The receipt JSON.
    pub receipt: Value,
    /// The key that signed it (the device key).
    pub key: PublicJwk,
}

/// Verifies a consent receipt: its signature under the key in its header, that the payload is canonical
/// JSON in the Kantara v1.1 shape, and what `expect` asks for.
///
/// # Errors
/// The first problem found, with where it is.
pub fn verify_receipt(jws: &str, expect: Expectations<'_>) -> Result<VerifiedReceipt, Error> {
    let (compact, receipt) = inspect(jws)?;
    let key = compact
        .jwk
        .clone()
        .ok_or_else(|| Error::new(ErrorKind::Missing, "header.jwk"))?;
    verify_signature(&compact, &key)?;
    let extension = receipt
        .as_object()
        .and_then(|r| r.get(EXTENSION_KEY))
        .and_then(Value::as_object);
    let member = |name: &str| extension.and_then(|e| e.get(name)).and_then(Value::as_str);
    if let Some(previous) = expect.previous {
        let earlier = verify_receipt(previous, Expectations::default())?;
        if earlier.key != key {
            return Err(
                Error::new(ErrorKind::ChainBroken, "header.jwk").with_detail("signed by another device key")
            );
        }
        if member("previousReceipt") != Some(receipt_hash(previous).as_str()) {
            return Err(Error::new(
                ErrorKind::ChainBroken,
                format!("{EXTENSION_KEY}.previousReceipt"),
            ));
        }
    }
    if let Some(controller_key) = expect.controller_key {
        let at = format!("{EXTENSION_KEY}.noticeSignature");
        let signature =
            member("noticeSignature").ok_or_else(|| Error::new(ErrorKind::Missing, at.clone()))?;
        let notice = verify_notice_signature(signature, controller_key)
            .map_err(|e| Error::new(e.kind(), at.clone()))?;
        if member("noticeSha256") != Some(notice.as_str()) {
            return Err(
                Error::new(ErrorKind::KeyMismatch, format!("{EXTENSION_KEY}.noticeSha256"))
                    .with_detail("not the notice the controller signed"),
            );
        }
    }
    Ok(VerifiedReceipt { receipt, key })
}

/// Verifies a notice signature (see [`crate::notice_signature`]) under the controller's key and returns
/// the notice hash it signs.
///
/// # Errors
/// Any JWS problem, a signature that does not verify, or a payload without `noticeSha256`.
pub fn verify_notice_signature(jws: &str, controller_key: &PublicJwk) -> Result<String, Error> {
    let compact = verify_jws(jws.trim(), Some(controller_key))?;
    if compact
        .jwk
        .as_ref()
        .is_some_and(|embedded| embedded != controller_key)
    {
        return Err(Error::new(ErrorKind::KeyMismatch, "header.jwk"));
    }
    crate::notice_signature::signed_hash(&compact)
}
