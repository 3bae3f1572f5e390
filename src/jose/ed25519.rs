//! Ed25519 signature checks with ed25519-dalek, strictly (no non-canonical `S`, no small-order keys): the
//! native verifier's, and the browser verifier's for engines whose WebCrypto has no Ed25519.

use crate::error::{Error, ErrorKind};
use ed25519_dalek::{Signature, VerifyingKey};

/// Checks `signature` over `message` with the public key `x`.
///
/// # Errors
/// `KeyMismatch` when `x` is not a point; `BadSignature` when the signature does not verify.
pub fn verify(x: &[u8; 32], message: &[u8], signature: &[u8]) -> Result<(), Error> {
    let key = VerifyingKey::from_bytes(x).map_err(|_| Error::new(ErrorKind::KeyMismatch, "jwk"))?;
    let bad = || Error::new(ErrorKind::BadSignature, "signature");
    let bytes: [u8; 64] = signature.try_into().map_err(|_| bad())?;
    key.verify_strict(message, &Signature::from_bytes(&bytes))
        .map_err(|_| bad())
}
