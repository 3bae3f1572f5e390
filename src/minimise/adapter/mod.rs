//! CRM adapters: pure functions from a minimised payload and its receipt to the request body a CRM accepts.
//! They only reshape what minimisation let through; nothing is added but evidence (receipt id, notice hash)
//! and the consent decisions themselves.

mod hubspot;
mod request;
mod salesforce;
mod shape;

pub use request::{request, Adapter};
pub(crate) use salesforce::form_encode;
pub use shape::{AdapterProblem, Evidence, Request};
