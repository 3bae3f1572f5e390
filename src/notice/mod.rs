//! The notice a site writes (controller, purposes, fields, texts per language), read from JSON into a
//! [`Notice`] that can only exist valid, with its vocabulary, its interface texts, its signature, and the
//! decisions a person makes about its purposes.

mod crm;
pub mod decisions;
mod fields;
mod model;
pub mod phone;
pub mod platforms;
mod read;
pub mod rules;
pub mod signature;
pub mod texts;
pub mod vocabulary;

pub use model::{Controller, EmailPrincipal, Field, Notice, Purpose, SelectOption};
pub use texts::Texts;
pub use vocabulary::{Decision, FieldType, LegalBasis};
