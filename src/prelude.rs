//! What std's prelude gives every module, taken from `alloc`: the crate is `no_std`, so that the browser bundle
//! can leave std out (see `web::panic`).

pub(crate) use alloc::borrow::ToOwned;
pub(crate) use alloc::string::{String, ToString};
pub(crate) use alloc::vec::Vec;
pub(crate) use alloc::{format, vec};
