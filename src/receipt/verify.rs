//! Native verification (never in the browser build, where WebCrypto verifies): JWS signatures with
//! ed25519-dalek ([`crate::jose::ed25519`]) and p256, and whole receipts: everything [`crate::receipt::check`] checks (as the browser
//! does), the signature, and on request the chain to the previous receipt, the controller's signature of the
//! notice hash and revision, and the notice itself.

use crate::error::{Error, ErrorKind};
use crate::jose::ed25519;
use crate::jose::jwk::Algorithm;
use crate::jose::jwk::{check_use, PublicJwk};
use crate::jose::jws::require_typ;
use crate::jose::jws::{parse_compact, Compact};
use crate::json::Value;
use crate::notice::signature::signed_member;
use crate::notice::Notice;
use crate::prelude::*;
use crate::receipt::acknowledgement::{inspect_acknowledgement, Acknowledgement};
use crate::receipt::body_sha256;
use crate::receipt::check::{check_against_notice, check_follows, inspect, principal, Principal};
use crate::receipt::kantara::EXTENSION_KEY;
use p256::ecdsa::signature::Verifier as _;
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
        (Algorithm::Ed25519, PublicJwk::Ed25519(x)) => ed25519::verify(x, message, &compact.signature),
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
    /// The receipt this one changes or withdraws: it must verify under the same key, be the one named, and
    /// be of the same person, controller and policy, issued no later.
    pub previous: Option<&'a str>,
    /// The controller's key: the notice signature the receipt carries must verify under it and sign the
    /// receipt's notice hash and revision.
    pub controller_key: Option<&'a PublicJwk>,
    /// The notice itself: the receipt must describe it exactly ([`check_against_notice`]).
    pub notice: Option<&'a Notice>,
}

/// A receipt that verified.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedReceipt {
    /// The receipt JSON.
    pub receipt: Value,
    /// The key that signed it (the device key).
    pub key: PublicJwk,
    /// How it names the person, and so what binds that name.
    pub principal: Principal,
}

/// Verifies a consent receipt: everything [`inspect`] checks, its signature under the key in its header, and
/// what `expect` asks for.
///
/// # Errors
/// The first problem found, with where it is.
pub fn verify_receipt(jws: &str, expect: Expectations<'_>) -> Result<VerifiedReceipt, Error> {
    let (compact, receipt) = inspect(jws)?;
    verify_inspected(&compact, receipt, expect)
}

/// [`verify_receipt`] for a receipt already [`inspect`]ed, for callers that first read it to choose what to
/// expect (a receiver picks the notice by the receipt's notice hash): the signature and `expect` only.
///
/// # Errors
/// The first problem found, with where it is.
pub fn verify_inspected(
    compact: &Compact,
    receipt: Value,
    expect: Expectations<'_>,
) -> Result<VerifiedReceipt, Error> {
    let key = compact
        .jwk
        .clone()
        .ok_or_else(|| Error::new(ErrorKind::Missing, "header.jwk"))?;
    verify_signature(compact, &key)?;
    let extension = receipt
        .as_object()
        .and_then(|r| r.get(EXTENSION_KEY))
        .and_then(Value::as_object);
    let member = |name: &str| extension.and_then(|e| e.get(name)).and_then(Value::as_str);
    if let Some(previous) = expect.previous {
        let earlier = verify_receipt(previous, Expectations::default())
            .map_err(|e| Error::new(e.kind(), "previous receipt").with_detail(e.at()))?;
        check_follows(&receipt, &key, &earlier.receipt, &earlier.key, previous)?;
    }
    if let Some(controller_key) = expect.controller_key {
        let at = format!("{EXTENSION_KEY}.noticeSignature");
        let signature =
            member("noticeSignature").ok_or_else(|| Error::new(ErrorKind::Missing, at.clone()))?;
        let signed = verify_notice_signature(signature, controller_key)
            .map_err(|e| Error::new(e.kind(), at.clone()).with_detail(e.at()))?;
        if member("noticeSha256") != Some(signed.notice_sha256.as_str()) {
            return Err(
                Error::new(ErrorKind::NotBound, format!("{EXTENSION_KEY}.noticeSha256"))
                    .with_detail("not the notice the controller signed"),
            );
        }
        if member("noticeRevision") != Some(signed.revision.as_str()) {
            return Err(
                Error::new(ErrorKind::NotBound, format!("{EXTENSION_KEY}.noticeRevision"))
                    .with_detail("not the revision the controller signed"),
            );
        }
    }
    if let Some(notice) = expect.notice {
        check_against_notice(&receipt, notice)?;
    }
    Ok(VerifiedReceipt {
        principal: principal(&receipt),
        receipt,
        key,
    })
}

/// What a notice signature signs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedNotice {
    /// The notice's hash ([`crate::notice::signature::notice_hash`]).
    pub notice_sha256: String,
    /// The notice's revision.
    pub revision: String,
}

/// Verifies a notice signature (see [`crate::notice::signature`]) under the controller's key and returns what
/// it signs.
///
/// # Errors
/// Any JWS problem, another `typ`, a signature that does not verify, or a payload without `noticeSha256` and
/// `revision`.
pub fn verify_notice_signature(jws: &str, controller_key: &PublicJwk) -> Result<SignedNotice, Error> {
    let compact = verify_jws(jws.trim(), Some(controller_key))?;
    require_typ(&compact, crate::notice::signature::TYP)?;
    if let Some(jwk) = compact.header.get("jwk") {
        check_use(jwk, compact.algorithm, "header.jwk")?;
    }
    if compact
        .jwk
        .as_ref()
        .is_some_and(|embedded| embedded != controller_key)
    {
        return Err(Error::new(ErrorKind::KeyMismatch, "header.jwk"));
    }
    Ok(SignedNotice {
        notice_sha256: signed_member(&compact, "noticeSha256")?,
        revision: signed_member(&compact, "revision")?,
    })
}

/// Verifies the controller's acknowledgement of a receipt (and, when given, of the `body` sent with it):
/// everything [`inspect_acknowledgement`] checks, and its signature under `controller_key`.
///
/// # Errors
/// The first problem found, with where it is.
pub fn verify_acknowledgement(
    jws: &str,
    receipt_jws: &str,
    body: Option<&str>,
    controller_key: &PublicJwk,
) -> Result<Acknowledgement, Error> {
    let sent = body.map(body_sha256);
    let (compact, acknowledgement) = inspect_acknowledgement(jws, receipt_jws, sent.as_deref())?;
    if compact.jwk.as_ref() != Some(controller_key) {
        return Err(Error::new(ErrorKind::KeyMismatch, "header.jwk")
            .with_detail("not signed by the controller's key"));
    }
    verify_signature(&compact, controller_key)?;
    Ok(acknowledgement)
}
