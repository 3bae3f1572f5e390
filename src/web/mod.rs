//! The browser bindings: the only modules that name wasm-bindgen. They are deliberately thin: JSON text in and
//! out, randomness and time passed in, no DOM; the DOM and WebCrypto stay in JavaScript, which keeps web-sys
//! glue and curve arithmetic out of every page. One build is the element ([`element`]); the
//! `browser-verifier` feature builds the receipt verifier ([`verifier`]) instead, and `browser-destinations`
//! the destination module ([`destinations`]), so that each page loads only what it uses.

use lol_alloc::{FreeListAllocator, LockedAllocator};

mod convert;
#[cfg(feature = "browser-destinations")]
pub mod destinations;
#[cfg(not(any(feature = "browser-verifier", feature = "browser-destinations")))]
pub mod element;
#[cfg(feature = "bundle")]
mod panic;
#[cfg(feature = "browser-verifier")]
pub mod verifier;

#[cfg(feature = "browser-destinations")]
pub use destinations::{read_destination, shape_request};
#[cfg(not(any(feature = "browser-verifier", feature = "browser-destinations")))]
pub use element::Consent;
#[cfg(feature = "browser-verifier")]
pub use verifier::{check_notice_signature, inspect_receipt, verify_ed25519};

/// A free-list allocator: about 2.4 KB brotli less than the default dlmalloc, with memory as flat across 1,000
/// receipts (make bench prints it). wasm32 is single-threaded here, so the lock never waits.
#[global_allocator]
static ALLOCATOR: LockedAllocator<FreeListAllocator> = LockedAllocator::new(FreeListAllocator::new());
