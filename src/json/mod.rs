//! JSON: our own value (small enough for the browser build, strict enough for signatures), its parser, a
//! reader that checks members and says where each problem is, and the RFC 8785 canonical form that gets
//! hashed and signed.

pub mod canonical;
mod parse;
pub mod reader;
mod value;

pub use parse::parse;
#[cfg(not(target_arch = "wasm32"))]
pub use parse::parse_with_doubles;
pub use value::{Number, Object, Value, MAX_SAFE_INTEGER};
