//! The routes, one file per resource; [`crate::server`] puts them under their layers.

pub(crate) mod access;
pub(crate) mod confirm;
pub(crate) mod health;
pub(crate) mod log;
mod read_token;
pub(crate) mod receipts;
pub(crate) mod records;
pub(crate) mod relay;
