//! consent-capture: consent forms, consent receipts and data minimisation, in the browser, before any data
//! reaches a CRM.
//!
//! The core is plain Rust and runs anywhere; the `web` module (wasm32 only) is the browser binding.
//!
//! ```
//! use consent_capture::{minimise, uuid_v4, Decisions, Notice, Receipt, ReceiptContext};
//!
//! let notice = Notice::from_json(include_str!("../www/demo/notice.json")).expect("the demo notice is valid");
//! let mut decisions = Decisions::initial(&notice); // consent purposes start denied
//! decisions.set("newsletter", false).expect("newsletter rests on consent");
//!
//! let typed = [("name", "Ada"), ("email", "ada@example.com"), ("company", "Analytical Engines")];
//! let submitted: Vec<(String, String)> = typed.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
//! let today = consent_capture::date::Date::of_unix_seconds(1_790_000_000);
//! let minimised = minimise(&notice, &decisions, &submitted, today);
//! assert!(minimised.payload.get("company").is_none()); // only the refused newsletter justified it
//!
//! let id = uuid_v4([7; 16]);
//! let context = ReceiptContext {
//!     issued_at: 1_790_000_000,
//!     receipt_id: &id,
//!     principal_id: "jwk-thumbprint:x",
//!     language: "en",
//!     gpc: false,
//!     notice_signature: None,
//!     previous_receipt: None,
//!     fields_sha256: None,
//!     endpoint: None,
//! };
//! let receipt = Receipt::build(&notice, &decisions, &minimised.manifest, context);
//! assert!(receipt.to_canonical_string().starts_with("{\"collectionMethod\":"));
//! ```

// Library code never panics on input; tests may (clippy.toml), and so may the integration tests' helpers.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// The core needs only `alloc`. The browser bundle (feature `bundle`) links no std at all: its panic handler
// traps without formatting, which keeps Rust's formatting and panic machinery out of every page. Every other
// build (native, tests, the CLI) has std.
#![no_std]

extern crate alloc;
#[cfg(not(all(target_arch = "wasm32", feature = "bundle")))]
extern crate std;

#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod access;
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod acknowledgement;
pub mod adapter;
pub mod base64url;
pub mod canonical;
pub mod consent;
pub mod consent_mode;
pub mod date;
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod ed25519;
pub mod error;
pub mod form;
#[cfg(not(target_arch = "wasm32"))]
pub mod form_html;
mod ip;
pub mod json;
pub mod jwk;
pub mod jws;
pub mod kantara;
pub mod last_receipt;
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod merkle;
pub mod minimise;
pub mod normalise;
pub mod notice;
pub mod notice_signature;
pub mod phone;
mod prelude;
pub mod receipt;
pub mod receipt_check;
pub mod receipt_view;
pub mod sha256;
#[cfg(not(target_arch = "wasm32"))]
pub mod sign;
pub mod signature_form;
pub mod strings;
mod text;
pub mod transform;
mod uuid;
pub mod validate;
#[cfg(not(target_arch = "wasm32"))]
pub mod verify;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use consent::Decisions;
pub use error::{Error, ErrorKind, Errors};
pub use minimise::{minimise, DropReason, Manifest, Minimised, Outcome};
pub use notice::vocabulary::{Decision, LegalBasis};
pub use notice::Notice;
pub use receipt::{Receipt, ReceiptContext};
pub use uuid::{is_uuid, uuid_v4};
