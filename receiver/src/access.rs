//! The person's side: whoever holds a device key may read, and erase, what it signed. The element asks for a
//! challenge (`GET /access/challenge`: a nonce and a time limit, signed by the controller's key, so the
//! receiver keeps no state for it), signs `{"action", "challenge"}` with the device key, and posts that JWS
//! (`POST /access`, `{"request": JWS}`). A challenge names this receiver's audience (another receiver of the
//! same controller refuses it) and serves once, across restarts ([`crate::used_challenges`]). The answer to `access` is every receipt the key signed, with the
//! fields that were sent (where not erased) and the acknowledgements, a page at a time (a page's `next` is a
//! cursor for the following one, posted as `{"next": JWS}`); to `erase`, how many payloads were
//! erased. A challenge serves once, for five minutes.

use crate::acknowledgement::{handed_out, sign};
use crate::refusal::Refusal;
use consent_capture::jose::base64url;
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::jose::jws::require_typ;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::{parse, Object, Value};
use consent_capture::receipt::access::{CHALLENGE_TYP, REQUEST_TYP};
use consent_capture::receipt::verify::verify_jws;

/// How long a challenge serves, in seconds (and a page's cursor).
pub(crate) const CHALLENGE_SECONDS: i64 = 300;
/// The `typ` of the cursor to the next page of an access answer.
pub const CURSOR_TYP: &str = "consent-access-cursor+jws";
/// The most records read for one page of an access answer.
pub(crate) const PAGE_RECORDS: u64 = 16;
/// A page of an access answer ends once it holds this many bytes of receipts and payloads (a record is never
/// split: a page holds at least one).
pub(crate) const PAGE_BYTES: usize = 1 << 20;

/// What a request asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Everything the key signed, with the data sent.
    Access,
    /// Erase the data the key's receipts carried.
    Erase,
}

/// A request whose device key and challenge checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proven {
    /// The thumbprint of the device key that signed it.
    pub thumbprint: String,
    /// What it asks.
    pub action: Action,
    pub(crate) nonce: String,
    pub(crate) expires: i64,
}

/// A new challenge for the receiver of `audience` ([`crate::store::Store::audience`]) and, when the device
/// said its key's thumbprint, for that key only; signed by `key`, valid from `now` for five minutes.
pub fn challenge(
    key: &PrivateKey,
    audience: &str,
    device: Option<&str>,
    now: i64,
) -> Result<String, getrandom::Error> {
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce)?;
    let mut payload = Object::new()
        .with("nonce", base64url::encode(&nonce))
        .with("audience", audience)
        .with("expires", now + CHALLENGE_SECONDS);
    if let Some(device) = device {
        payload.insert("device", device);
    }
    Ok(sign(key, CHALLENGE_TYP, payload))
}

/// Checks a device's request: its signature under the key in its header, and a challenge of `controller`'s
/// for the receiver of `audience` that has not expired by `now`.
///
/// # Errors
/// What fails, with where.
pub fn prove(request: &str, controller: &PublicJwk, audience: &str, now: i64) -> Result<Proven, Refusal> {
    let refuse = |at: &str, message: String| Refusal::new(403, "access", at, message);
    let compact = verify_jws(request.trim(), None)
        .and_then(|compact| require_typ(&compact, REQUEST_TYP).map(|()| compact))
        .map_err(|e| refuse(&["request.", e.at()].concat(), e.text()))?;
    let thumbprint = compact
        .jwk
        .as_ref()
        .map(PublicJwk::thumbprint)
        .ok_or_else(|| refuse("request.header.jwk", "missing".into()))?;
    let payload =
        object_of(&compact.payload).ok_or_else(|| refuse("request.payload", "not a JSON object".into()))?;
    let action = match payload.get("action").and_then(Value::as_str) {
        Some("access") => Action::Access,
        Some("erase") => Action::Erase,
        _ => {
            return Err(refuse(
                "request.payload.action",
                "access or erase is required".into(),
            ))
        }
    };
    let challenge = payload
        .get("challenge")
        .and_then(Value::as_str)
        .ok_or_else(|| refuse("request.payload.challenge", "missing".into()))?;
    let issued = handed_out(challenge, controller, CHALLENGE_TYP)
        .map_err(|e| refuse(&["challenge.", e.at()].concat(), e.text()))?;
    let nonce = issued
        .get("nonce")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if issued.get("audience").and_then(Value::as_str) != Some(audience) {
        return Err(refuse(
            "challenge.audience",
            "a challenge of another receiver: ask this one for a challenge".into(),
        ));
    }
    if issued
        .get("device")
        .is_some_and(|device| device.as_str() != Some(thumbprint.as_str()))
    {
        return Err(refuse(
            "challenge.device",
            "a challenge for another device key: ask for one with this key's thumbprint".into(),
        ));
    }
    let expires = issued.get("expires").and_then(Value::as_i64).unwrap_or_default();
    if expires < now {
        return Err(refuse(
            "challenge.expires",
            "the challenge expired: ask for another".into(),
        ));
    }
    Ok(Proven {
        thumbprint,
        action,
        nonce,
        expires,
    })
}

fn object_of(payload: &[u8]) -> Option<Object> {
    parse(std::str::from_utf8(payload).ok()?)
        .ok()?
        .as_object()
        .cloned()
}
