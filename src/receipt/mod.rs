//! Consent receipts: building one (Kantara v1.1 JSON, RFC 8785, a JWS), checking one, viewing one, the
//! last one a device signed, and what the controller's receiver answers about them: acknowledgements with
//! their Merkle proofs, and the person's access to what it holds.

#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod access;
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod acknowledgement;
mod build;
pub mod check;
pub mod kantara;
pub mod last;
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod merkle;
mod uuid;
#[cfg(not(target_arch = "wasm32"))]
pub mod verify;
pub mod view;

pub use build::{
    body_sha256, fields_hash, principal_id, receipt_hash, salted_email_id, Receipt, ReceiptContext, TYP,
    VERSION,
};
pub use uuid::{is_uuid, uuid_v4};
