//! Compact JWS (RFC 7515) as receipts and notice signatures use it: parsed strictly before any signature is
//! checked. At most 64 KiB, three segments of strict base64url, a JSON object header without duplicate keys,
//! an accepted algorithm bound to its key type, no `crit`, no private or weak key, a 64-byte signature in the
//! form every verifier reads alike ([`crate::jose::signature_form`]).

use crate::error::{Error, ErrorKind};
use crate::jose::base64url;
use crate::jose::jwk::{Algorithm, PublicJwk};
use crate::jose::signature_form;
use crate::json::canonical::to_canonical_string;
use crate::json::{parse, Object, Value};
use crate::prelude::*;
use crate::text::decimal;

/// A compact JWS that passed every structural check; its signature is not checked yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Compact {
    /// The protected header.
    pub header: Object,
    /// The algorithm it names.
    pub algorithm: Algorithm,
    /// The key embedded in the header, if any.
    pub jwk: Option<PublicJwk>,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The 64 signature bytes.
    pub signature: Vec<u8>,
    /// `header.payload` as sent: the bytes that were signed.
    pub signing_input: String,
}

/// The longest compact JWS we read: a receipt travels in a request body that the browser sends with
/// `keepalive`, which is limited to 64 KiB, and a notice signature is a few hundred bytes.
pub const MAX_JWS_BYTES: usize = 64 * 1024;

/// Parses a compact JWS strictly.
///
/// # Errors
/// The first structural problem, with where it is (`jws`, `header.alg`, `header.jwk`, `signature`, …).
pub fn parse_compact(jws: &str) -> Result<Compact, Error> {
    if jws.len() > MAX_JWS_BYTES {
        return Err(Error::new(ErrorKind::TooLarge, "jws"));
    }
    let parts: Vec<&str> = jws.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts[..] else {
        let count = decimal(parts.len() as i64);
        return Err(Error::new(ErrorKind::NotCompactJws, "jws").with_detail(concat(&[&count, " parts"])));
    };
    let decode =
        |text: &str, at: &str| base64url::decode(text).ok_or_else(|| Error::new(ErrorKind::NotBase64Url, at));
    let header_bytes = decode(header_b64, "header")?;
    let payload = decode(payload_b64, "payload")?;
    let signature = decode(signature_b64, "signature")?;
    let header_text =
        core::str::from_utf8(&header_bytes).map_err(|_| Error::new(ErrorKind::Syntax, "header"))?;
    let Value::Object(header) =
        parse(header_text).map_err(|e| Error::new(e.kind(), "header").with_detail(e.at()))?
    else {
        return Err(Error::new(ErrorKind::WrongType, "header").with_detail("expected an object"));
    };
    if header.get("crit").is_some() {
        return Err(Error::new(ErrorKind::CriticalHeader, "header.crit"));
    }
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new(ErrorKind::Missing, "header.alg"))?;
    let algorithm = Algorithm::from_name(alg)
        .ok_or_else(|| Error::new(ErrorKind::UnsupportedAlgorithm, "header.alg").with_detail(alg))?;
    let jwk = header
        .get("jwk")
        .map(|value| PublicJwk::from_json(value, "header.jwk"))
        .transpose()?;
    if let Some(key) = &jwk {
        if !algorithm.fits(key) {
            return Err(Error::new(ErrorKind::KeyMismatch, "header.jwk")
                .with_detail(concat(&[alg, " needs another key type"])));
        }
        if let Some(kid) = header.get("kid") {
            if kid.as_str() != Some(key.thumbprint().as_str()) {
                return Err(Error::new(ErrorKind::KeyMismatch, "header.kid")
                    .with_detail("not the thumbprint of header.jwk"));
            }
        }
    }
    if signature.len() != 64 {
        return Err(Error::new(ErrorKind::BadSignature, "signature")
            .with_detail(concat(&[&decimal(signature.len() as i64), " bytes, not 64"])));
    }
    check_signature_form(algorithm, &signature)?;
    let signing_input = concat(&[header_b64, ".", payload_b64]);
    Ok(Compact {
        header,
        algorithm,
        jwk,
        payload,
        signature,
        signing_input,
    })
}

fn check_signature_form(algorithm: Algorithm, signature: &[u8]) -> Result<(), Error> {
    if algorithm == Algorithm::Es256 || !signature_form::ed25519_point_is_weak(&signature[..32]) {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::MalleableSignature, "signature"))
    }
}

/// Refuses a JWS whose `typ` is not `typ`: a notice signature is not a receipt, nor the reverse.
///
/// # Errors
/// `Missing` or `NotAllowed` at `header.typ`.
pub fn require_typ(compact: &Compact, typ: &str) -> Result<(), Error> {
    match compact.header.get("typ").and_then(Value::as_str) {
        Some(found) if found == typ => Ok(()),
        Some(found) => Err(Error::new(ErrorKind::NotAllowed, "header.typ").with_detail(found)),
        None => Err(Error::new(ErrorKind::Missing, "header.typ").with_detail(typ)),
    }
}

/// The protected header we sign with: `alg`, `typ`, the public `jwk` and `kid` = its thumbprint.
pub fn header(algorithm: Algorithm, key: &PublicJwk, typ: &str) -> Object {
    Object::new()
        .with("alg", algorithm.name())
        .with("typ", typ)
        .with("jwk", key.to_json())
        .with("kid", key.thumbprint())
}

/// `base64url(canonical header) . base64url(payload)`: what gets signed.
pub fn signing_input(header: &Object, payload: &str) -> String {
    let header = to_canonical_string(&Value::Object(header.clone()));
    join(
        &[
            base64url::encode(header.as_bytes()),
            base64url::encode(payload.as_bytes()),
        ],
        ".",
    )
}
