//! The controller's signature of a notice. The controller signs a small canonical payload,
//! `{"noticeSha256": …, "revision": …}`, so that a receipt can carry the whole signature and anyone can check,
//! from the receipt and the controller's key alone, that the notice shown is the one the controller signed.

use crate::error::{Error, ErrorKind};
use crate::jose::jws::{parse_compact, Compact};
use crate::jose::sha256::sha256_base64url;
use crate::json::canonical::to_canonical_string;
use crate::json::{parse, Object, Value};
use crate::notice::Notice;
use crate::prelude::*;

/// The `typ` of a notice signature.
pub const TYP: &str = "consent-notice+jws";

/// The base64url SHA-256 of the notice's canonical (RFC 8785) text: the wording that was shown.
pub fn notice_hash(notice: &Notice) -> String {
    source_hash(&notice.source)
}

/// [`notice_hash`] of a notice as written (parsed JSON), without validating it.
pub fn source_hash(source: &Value) -> String {
    sha256_base64url(to_canonical_string(source).as_bytes())
}

/// The payload the controller signs for `notice`.
pub fn payload(notice: &Notice) -> String {
    let payload = Object::new()
        .with("noticeSha256", notice_hash(notice))
        .with("revision", notice.revision.as_str());
    to_canonical_string(&Value::Object(payload))
}

/// A string member of a (verified) notice signature's payload: `noticeSha256` or `revision`.
///
/// # Errors
/// `payload` problems: not JSON, or no such string member.
pub fn signed_member(compact: &Compact, key: &str) -> Result<String, Error> {
    let text =
        core::str::from_utf8(&compact.payload).map_err(|_| Error::new(ErrorKind::Syntax, "payload"))?;
    let payload = parse(text).map_err(|e| Error::new(e.kind(), "payload").with_detail(e.at()))?;
    payload
        .as_object()
        .and_then(|p| p.get(key))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::new(ErrorKind::Missing, concat(&["payload.", key])))
}

/// Everything about a notice signature except the signature itself (which WebCrypto checks): it is a strict
/// JWS of this `typ`, its embedded key has the pinned `thumbprint`, and it signs this very notice (`source`,
/// the notice as written: its validity is the reader's business, not the signature's).
///
/// # Errors
/// The first problem, with where it is.
pub fn check_binding(jws: &str, source: &Value, thumbprint: &str) -> Result<Compact, Error> {
    let compact = parse_compact(jws.trim())?;
    if compact.header.get("typ").and_then(Value::as_str) != Some(TYP) {
        return Err(Error::new(ErrorKind::NotAllowed, "header.typ"));
    }
    let key = compact
        .jwk
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Missing, "header.jwk"))?;
    if key.thumbprint() != thumbprint {
        return Err(Error::new(ErrorKind::KeyMismatch, "header.jwk")
            .with_detail("not the controller key this page names"));
    }
    if signed_member(&compact, "noticeSha256")? != source_hash(source) {
        return Err(
            Error::new(ErrorKind::KeyMismatch, "payload.noticeSha256").with_detail("signs another notice")
        );
    }
    Ok(compact)
}
