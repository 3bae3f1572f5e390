//! JOSE as receipts, notices and acknowledgements use it: SHA-256, base64url (and the standard Base64 of the log's
//! notes), public keys (JWK, RFC 7638 thumbprints), compact JWS with its strict checks, and, natively, signing and
//! Ed25519 verification.

pub mod base64;
pub mod base64url;
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod ed25519;
pub mod jwk;
pub mod jws;
pub mod sha256;
#[cfg(not(target_arch = "wasm32"))]
pub mod sign;
pub mod signature_form;
