//! What may leave the browser, and in which shape: minimisation by the notice's purposes and decisions, the
//! transforms and normalisers it applies, and the CRM adapters that reshape what it let through.

pub mod adapter;
pub mod date;
mod ip;
mod manifest;
pub mod normalise;
pub mod transform;

pub use manifest::{minimise, DropReason, Manifest, Minimised, Outcome};
