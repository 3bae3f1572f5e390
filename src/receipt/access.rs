//! A person's request to a controller's receiver for what it holds about them, proved with the device key:
//! the receiver signs a challenge with the controller's key, the device signs `{"action", "challenge"}`.
//! Shared by the receiver (which checks both) and the browser verifier module (which checks the challenge
//! came from the controller the page pins before the device signs anything).

use crate::error::{Error, ErrorKind};
use crate::jose::jwk::Algorithm;
use crate::jose::jwk::PublicJwk;
use crate::jose::jws::{header, parse_compact, require_typ, signing_input, Compact};
use crate::json::canonical::to_canonical_string;
use crate::json::{Object, Value};
use crate::prelude::*;

/// The `typ` of a challenge the controller signs.
pub const CHALLENGE_TYP: &str = "consent-access-challenge+jws";

/// The `typ` of a request a device signs.
pub const REQUEST_TYP: &str = "consent-access+jws";

/// Checks everything about a challenge but its signature: a JWS of `typ` [`CHALLENGE_TYP`] whose header key
/// has the `controller` thumbprint.
///
/// # Errors
/// The first problem, with where it is.
pub fn inspect_challenge(jws: &str, controller: &str) -> Result<Compact, Error> {
    let compact = parse_compact(jws.trim())?;
    require_typ(&compact, CHALLENGE_TYP)?;
    if compact.jwk.as_ref().map(PublicJwk::thumbprint).as_deref() != Some(controller) {
        return Err(Error::new(ErrorKind::KeyMismatch, "header.jwk").with_detail("not the controller's key"));
    }
    Ok(compact)
}

/// What the device signs to ask for `action` (`access` or `erase`) with `challenge`.
pub fn request_signing_input(algorithm: Algorithm, key: &PublicJwk, action: &str, challenge: &str) -> String {
    let payload = Object::new().with("action", action).with("challenge", challenge);
    signing_input(
        &header(algorithm, key, REQUEST_TYP),
        &to_canonical_string(&Value::Object(payload)),
    )
}
