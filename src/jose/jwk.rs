//! JSON Web Keys: the public keys that verify receipts and notices, and their RFC 7638 thumbprints.

use crate::error::{Error, ErrorKind};
use crate::jose::base64url;
use crate::jose::sha256::sha256_base64url;
use crate::jose::signature_form;
use crate::json::canonical::to_canonical_string;
use crate::json::{Object, Value};
use crate::prelude::*;

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
        .ok_or_else(|| Error::new(ErrorKind::Missing, concat(&[at, ".kty"])))?;
    let members = required_members(kty)
        .ok_or_else(|| Error::new(ErrorKind::NotAllowed, concat(&[at, ".kty"])).with_detail(kty))?;
    let mut required = Object::new();
    for &member in members {
        match jwk.get(member) {
            Some(value @ Value::String(_)) => required.insert(member, value.clone()),
            Some(_) => return Err(Error::new(ErrorKind::WrongType, concat(&[at, ".", member]))),
            None => return Err(Error::new(ErrorKind::Missing, concat(&[at, ".", member]))),
        }
    }
    Ok(to_canonical_string(&Value::Object(required)))
}

/// The RFC 7638 SHA-256 thumbprint of any JWK, base64url.
///
/// # Errors
/// As [`thumbprint_input`].
pub fn thumbprint(jwk: &Object, at: &str) -> Result<String, Error> {
    Ok(sha256_base64url(thumbprint_input(jwk, at)?.as_bytes()))
}

/// Refuses JWK members that say the key is for something other than verifying `algorithm`'s signatures:
/// `use` other than `sig`, `key_ops` other than `["verify"]`, or another `alg`. (Verifiers check this on the
/// JWK as written; [`PublicJwk`] keeps only the key itself.)
///
/// # Errors
/// `NotAllowed` at the contradicting member.
pub fn check_use(jwk: &Value, algorithm: Algorithm, at: &str) -> Result<(), Error> {
    let member = |name: &str| jwk.as_object().and_then(|o| o.get(name));
    let word = |name: &str| member(name).map(Value::as_str);
    let only_verify = |ops: &[Value]| matches!(ops, [op] if op.as_str() == Some("verify"));
    let contradicting = if word("use").is_some_and(|u| u != Some("sig")) {
        Some("use")
    } else if member("key_ops").is_some_and(|ops| !ops.as_array().is_some_and(only_verify)) {
        Some("key_ops")
    } else if word("alg").is_some_and(|alg| alg.and_then(Algorithm::from_name) != Some(algorithm)) {
        Some("alg")
    } else {
        None
    };
    match contradicting {
        Some(member) => Err(Error::new(ErrorKind::NotAllowed, concat(&[at, ".", member]))
            .with_detail("says the key is for something else")),
        None => Ok(()),
    }
}

fn coordinate(jwk: &Object, member: &str, at: &str) -> Result<[u8; 32], Error> {
    let path = concat(&[at, ".", member]);
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
    /// Reads a public Ed25519 or P-256 key, refusing any key that carries private material and weak keys
    /// ([`crate::jose::signature_form`]).
    ///
    /// # Errors
    /// `PrivateKey` when `d` (or `k`) is present, `UnsupportedAlgorithm` for other key types or curves,
    /// `Missing`/`NotBase64Url`/`KeyMismatch` for absent or malformed coordinates, `WeakKey` for a small-order
    /// or non-canonical Ed25519 key.
    pub fn from_json(value: &Value, at: &str) -> Result<Self, Error> {
        let jwk = value
            .as_object()
            .ok_or_else(|| Error::new(ErrorKind::WrongType, at))?;
        if jwk.get("d").is_some() || jwk.get("k").is_some() {
            return Err(Error::new(ErrorKind::PrivateKey, at));
        }
        let member = |name: &str| jwk.get(name).and_then(Value::as_str);
        match (member("kty"), member("crv")) {
            (Some("OKP"), Some("Ed25519")) => {
                let x = coordinate(jwk, "x", at)?;
                if signature_form::ed25519_point_is_weak(&x) {
                    return Err(Error::new(ErrorKind::WeakKey, at));
                }
                Ok(Self::Ed25519(x))
            }
            (Some("EC"), Some("P-256")) => Ok(Self::P256 {
                x: coordinate(jwk, "x", at)?,
                y: coordinate(jwk, "y", at)?,
            }),
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

/// The signature algorithms we accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Ed25519, named `EdDSA` (RFC 8037) or `Ed25519` (RFC 9864). We sign with `EdDSA`.
    Ed25519,
    /// ECDSA P-256 with SHA-256, the signature as raw R‖S (RFC 7518 §3.4).
    Es256,
}

impl Algorithm {
    /// The `alg` we write.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ed25519 => "EdDSA",
            Self::Es256 => "ES256",
        }
    }

    /// The algorithm an `alg` names, if we accept it.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "EdDSA" | "Ed25519" => Some(Self::Ed25519),
            "ES256" => Some(Self::Es256),
            _ => None,
        }
    }

    /// The algorithm a key of this type signs with.
    pub fn for_key(key: &PublicJwk) -> Self {
        match key {
            PublicJwk::Ed25519(_) => Self::Ed25519,
            PublicJwk::P256 { .. } => Self::Es256,
        }
    }

    /// Whether `key` is of the type this algorithm needs.
    pub fn fits(self, key: &PublicJwk) -> bool {
        matches!(
            (self, key),
            (Self::Ed25519, PublicJwk::Ed25519(_)) | (Self::Es256, PublicJwk::P256 { .. })
        )
    }
}
