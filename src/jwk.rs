//! JSON Web Keys: the public keys that verify receipts and notices, and their RFC 7638 thumbprints.

use crate::base64url;
use crate::canonical::to_canonical_string;
use crate::error::{Error, ErrorKind};
use crate::json::{Object, Value};
use crate::prelude::*;
use crate::sha256::sha256;
use crate::signature_form;

/// A public signing key we accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicJwk {
    /// Ed25519 (RFC 8037): the 32-byte public key.
    Ed25519([u8; 32]),
    /// ECDSA P-256 (RFC 7518): the affine coordinates.
    P256 {
        /// x coordinate, big-endian.
        x: [u8; 32],
        /// y coordinate, big-endian.
        y: [u8; 32],
    },
}

/// The members RFC 7638 §3.2 hashes, per key type.
fn required_members(kty: &str) -> Option<&'static [&'static str]> {
    match kty {
        "EC" => Some(&["crv", "kty", "x", "y"]),
        "OKP" => Some(&["crv", "kty", "x"]),
        "RSA" => Some(&["e", "kty", "n"]),
        "oct" => Some(&["k", "kty"]),
        _ => None,
    }
}

/// The RFC 7638 thumbprint input of any JWK: its required members, canonical.
///
/// # Errors
/// `NotAllowed` for an unknown `kty`, `Missing` for an absent member, `WrongType` for a non-string one.
pub fn thumbprint_input(jwk: &Object, at: &str) -> Result<String, Error> {
    let kty = jwk
        .get("kty")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new(ErrorKind::Missing, [at, ".kty"].concat()))?;
    let members = required_members(kty)
        .ok_or_else(|| Error::new(ErrorKind::NotAllowed, [at, ".kty"].concat()).with_detail(kty))?;
    let mut required = Object::new();
    for &member in members {
        match jwk.get(member) {
            Some(value @ Value::String(_)) => required.insert(member, value.clone()),
            Some(_) => return Err(Error::new(ErrorKind::WrongType, [at, ".", member].concat())),
            None => return Err(Error::new(ErrorKind::Missing, [at, ".", member].concat())),
        }
    }
    Ok(to_canonical_string(&Value::Object(required)))
}

/// The RFC 7638 SHA-256 thumbprint of any JWK, base64url.
///
/// # Errors
/// As [`thumbprint_input`].
pub fn thumbprint(jwk: &Object, at: &str) -> Result<String, Error> {
    Ok(base64url::encode(&sha256(thumbprint_input(jwk, at)?.as_bytes())))
}

/// Refuses JWK members that say the key is for something else: `use` other than `sig`, `key_ops` other than
/// `verify`, or an `alg` that this key type does not sign with.
fn check_use(jwk: &Object, at: &str, algorithms: &[&str]) -> Result<(), Error> {
    let contradicts = |member: &str| Error::new(ErrorKind::NotAllowed, [at, ".", member].concat());
    if jwk.get("use").is_some_and(|u| u.as_str() != Some("sig")) {
        return Err(contradicts("use").with_detail("a verification key is for sig"));
    }
    if let Some(ops) = jwk.get("key_ops") {
        let only_verify = ops
            .as_array()
            .is_some_and(|ops| ops.iter().all(|op| op.as_str() == Some("verify")));
        if !only_verify {
            return Err(contradicts("key_ops").with_detail("a verification key has only verify"));
        }
    }
    if jwk
        .get("alg")
        .is_some_and(|alg| !alg.as_str().is_some_and(|alg| algorithms.contains(&alg)))
    {
        return Err(contradicts("alg").with_detail("not an algorithm of this key type"));
    }
    Ok(())
}

fn coordinate(jwk: &Object, member: &str, at: &str) -> Result<[u8; 32], Error> {
    let path = [at, ".", member].concat();
    let text = jwk
        .get(member)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new(ErrorKind::Missing, path.clone()))?;
    let bytes = base64url::decode(text).ok_or_else(|| Error::new(ErrorKind::NotBase64Url, path.clone()))?;
    bytes
        .try_into()
        .map_err(|_| Error::new(ErrorKind::KeyMismatch, path).with_detail("not 32 bytes"))
}

impl PublicJwk {
    /// Reads a public Ed25519 or P-256 key, refusing any key that carries private material, a weak key
    /// ([`crate::signature_form`]) and members that contradict its use for verifying signatures.
    ///
    /// # Errors
    /// `PrivateKey` when `d` (or `k`) is present, `UnsupportedAlgorithm` for other key types or curves,
    /// `Missing`/`NotBase64Url`/`KeyMismatch` for absent or malformed coordinates, `WeakKey` for a small-order
    /// or non-canonical Ed25519 key or a P-256 coordinate outside the field, `NotAllowed` for `use`, `key_ops`
    /// or `alg` members that say it is for something else.
    pub fn from_json(value: &Value, at: &str) -> Result<Self, Error> {
        let jwk = value
            .as_object()
            .ok_or_else(|| Error::new(ErrorKind::WrongType, at))?;
        if jwk.get("d").is_some() || jwk.get("k").is_some() {
            return Err(Error::new(ErrorKind::PrivateKey, at));
        }
        let member = |name: &str| jwk.get(name).and_then(Value::as_str);
        let weak = |member: &str| Error::new(ErrorKind::WeakKey, [at, ".", member].concat());
        match (member("kty"), member("crv")) {
            (Some("OKP"), Some("Ed25519")) => {
                check_use(jwk, at, &["EdDSA", "Ed25519"])?;
                let x = coordinate(jwk, "x", at)?;
                if signature_form::ed25519_point_is_weak(&x) {
                    return Err(weak("x"));
                }
                Ok(Self::Ed25519(x))
            }
            (Some("EC"), Some("P-256")) => {
                check_use(jwk, at, &["ES256"])?;
                let (x, y) = (coordinate(jwk, "x", at)?, coordinate(jwk, "y", at)?);
                for (name, value) in [("x", &x), ("y", &y)] {
                    if !signature_form::p256_coordinate_in_field(value) {
                        return Err(weak(name));
                    }
                }
                Ok(Self::P256 { x, y })
            }
            _ => {
                Err(Error::new(ErrorKind::UnsupportedAlgorithm, at)
                    .with_detail("only Ed25519 and P-256 keys"))
            }
        }
    }

    /// The key as a minimal public JWK.
    pub fn to_json(&self) -> Object {
        match self {
            Self::Ed25519(x) => Object::new()
                .with("crv", "Ed25519")
                .with("kty", "OKP")
                .with("x", base64url::encode(x)),
            Self::P256 { x, y } => Object::new()
                .with("crv", "P-256")
                .with("kty", "EC")
                .with("x", base64url::encode(x))
                .with("y", base64url::encode(y)),
        }
    }

    /// Its RFC 7638 thumbprint.
    pub fn thumbprint(&self) -> String {
        // A key we built always has its required members.
        thumbprint(&self.to_json(), "jwk").unwrap_or_default()
    }
}
