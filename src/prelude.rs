//! What std's prelude gives every module, taken from `alloc`: the crate is `no_std`, so that the browser bundle
//! can leave std out (see `web::panic`).

pub(crate) use alloc::borrow::ToOwned;
pub(crate) use alloc::string::String;
pub(crate) use alloc::vec;
pub(crate) use alloc::vec::Vec;
// In place of the slices' `concat` and `join`, which cost the browser build 2.4 KB (see `text`).
pub(crate) use crate::text::{concat, join};
