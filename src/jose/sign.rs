//! Native signing (never in the browser build, where the device key lives in WebCrypto): controller keys for
//! notices, and receipts in tests and tools. Private keys print as `[redacted]` and are wiped on drop.

use crate::error::{Error, ErrorKind};
use crate::jose::base64url;
use crate::jose::jwk::Algorithm;
use crate::jose::jwk::PublicJwk;
use crate::json::{Object, Value};
use crate::prelude::*;
use ed25519_dalek::Signer as _;
use std::fmt;
use std::format;

/// A private signing key.
pub enum PrivateKey {
    /// Ed25519, signing `EdDSA`.
    Ed25519(ed25519_dalek::SigningKey),
    /// P-256, signing `ES256`.
    P256(p256::ecdsa::SigningKey),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey([redacted])")
    }
}

fn secret(jwk: &Object) -> Result<Vec<u8>, Error> {
    let d = jwk
        .get("d")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new(ErrorKind::Missing, "jwk.d"))?;
    base64url::decode(d).ok_or_else(|| Error::new(ErrorKind::NotBase64Url, "jwk.d"))
}

impl PrivateKey {
    /// An Ed25519 key from 32 random bytes (the caller brings the randomness).
    pub fn ed25519_from_seed(seed: [u8; 32]) -> Self {
        Self::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// Reads a private JWK (Ed25519 `OKP` or P-256 `EC` with `d`); its public part must match `d`.
    ///
    /// # Errors
    /// Missing or malformed members, another key type, or public members that do not belong to `d`.
    pub fn from_jwk(value: &Value) -> Result<Self, Error> {
        let jwk = value
            .as_object()
            .ok_or_else(|| Error::new(ErrorKind::WrongType, "jwk"))?;
        let d = secret(jwk)?;
        let public = Object::new()
            .with("kty", jwk.get("kty").cloned().unwrap_or(Value::Null))
            .with("crv", jwk.get("crv").cloned().unwrap_or(Value::Null))
            .with("x", jwk.get("x").cloned().unwrap_or(Value::Null))
            .with("y", jwk.get("y").cloned().unwrap_or(Value::Null));
        let key = match jwk.get("kty").and_then(Value::as_str) {
            Some("OKP") => {
                let seed: [u8; 32] = d
                    .try_into()
                    .map_err(|_| Error::new(ErrorKind::KeyMismatch, "jwk.d"))?;
                Self::ed25519_from_seed(seed)
            }
            Some("EC") => Self::P256(
                p256::ecdsa::SigningKey::from_slice(&d)
                    .map_err(|_| Error::new(ErrorKind::KeyMismatch, "jwk.d"))?,
            ),
            _ => return Err(Error::new(ErrorKind::UnsupportedAlgorithm, "jwk.kty")),
        };
        let claimed = PublicJwk::from_json(&strip_nulls(public), "jwk")?;
        if claimed != key.public() {
            return Err(Error::new(ErrorKind::KeyMismatch, "jwk").with_detail("x/y do not belong to d"));
        }
        Ok(key)
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        Algorithm::for_key(&self.public())
    }

    /// The public key.
    pub fn public(&self) -> PublicJwk {
        match self {
            Self::Ed25519(key) => PublicJwk::Ed25519(key.verifying_key().to_bytes()),
            Self::P256(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                let mut x = [0u8; 32];
                let mut y = [0u8; 32];
                x.copy_from_slice(point.x().map(|c| &c[..]).unwrap_or(&[0; 32]));
                y.copy_from_slice(point.y().map(|c| &c[..]).unwrap_or(&[0; 32]));
                PublicJwk::P256 { x, y }
            }
        }
    }

    /// The private JWK (with `d`), to keep in a file only its owner can read.
    pub fn to_jwk(&self) -> Object {
        let d = match self {
            Self::Ed25519(key) => base64url::encode(&key.to_bytes()),
            Self::P256(key) => base64url::encode(&key.to_bytes()),
        };
        self.public().to_json().with("d", d)
    }

    /// `signing_input . base64url(signature)`: the compact JWS.
    pub fn sign(&self, signing_input: &str) -> String {
        let signature = match self {
            Self::Ed25519(key) => key.sign(signing_input.as_bytes()).to_bytes().to_vec(),
            Self::P256(key) => {
                // Low S: receipts are identified by their hash, so the verifiers refuse the high-S twin.
                let signature: p256::ecdsa::Signature = key.sign(signing_input.as_bytes());
                signature.normalize_s().unwrap_or(signature).to_bytes().to_vec()
            }
        };
        format!("{signing_input}.{}", base64url::encode(&signature))
    }
}

fn strip_nulls(object: Object) -> Value {
    let mut out = Object::new();
    for (key, value) in object.iter() {
        if *value != Value::Null {
            out.insert(key, value.clone());
        }
    }
    Value::Object(out)
}
