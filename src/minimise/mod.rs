//! What may leave the browser, and in which shape: minimisation by the notice's purposes and decisions, the
//! transforms and normalisers it applies.

pub mod date;
mod ip;
mod manifest;
pub mod matching;
pub mod normalise;
pub mod transform;

pub use manifest::{minimise, DropReason, Manifest, Minimised, Outcome};
