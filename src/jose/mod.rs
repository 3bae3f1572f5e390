//! JOSE as receipts, notices and acknowledgements use it: SHA-256 and base64url, public keys (JWK, RFC 7638
//! thumbprints), compact JWS with its strict checks, and, natively, signing and Ed25519 verification.

pub mod base64url;
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod ed25519;
pub mod jwk;
pub mod jws;
pub mod sha256;
#[cfg(not(target_arch = "wasm32"))]
pub mod sign;
pub mod signature_form;
