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
//! let today = consent_capture::minimise::date::Date::of_unix_seconds(1_790_000_000);
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
//!     destination_sha256: None,
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

// The map, from the bottom up: each module uses only those listed before it (tools/imports.mjs checks).
// Text helpers smaller than std's.
mod text;
// What std's prelude gives, from alloc.
mod prelude;
// Every problem, with where it is.
pub mod error;
// JSON values, parsing, reading with paths, and the canonical form.
pub mod json;
// Hashes, keys and signatures.
pub mod jose;
// The notice: what a site declares, and the person's decisions about it.
pub mod notice;
// What may leave, and in which shape.
pub mod minimise;
// Where it goes: CRM requests described as data, and the one interpreter that shapes them.
pub mod destination;
// Consent receipts and the controller's answers about them.
pub mod receipt;
// The log in the formats transparency logs share: checkpoints, cosignatures, policies, proofs.
#[cfg(any(not(target_arch = "wasm32"), feature = "browser-verifier"))]
pub mod tlog;
// The form to render, and its checks.
pub mod form;
// The browser binding (wasm32 only).
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, ErrorKind, Errors};
pub use minimise::{minimise, DropReason, Manifest, Minimised, Outcome};
pub use notice::decisions::Decisions;
pub use notice::{Decision, LegalBasis, Notice};
pub use receipt::{is_uuid, uuid_v4, Receipt, ReceiptContext};
