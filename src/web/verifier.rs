//! The verifier's binding: a second wasm module (built with the `browser-verifier` feature) for pages that
//! check receipts, such as the receipt viewer. It checks everything but the signature; WebCrypto checks that.
//! Pages that capture consent never load it.

use super::{json_text, signed_parts, to_js};
use crate::prelude::*;
use crate::receipt_check;
use wasm_bindgen::prelude::*;

/// Checks everything about a receipt but its signature ([`receipt_check::inspect`], as the CLI does) and
/// returns, as JSON, what WebCrypto needs to check the signature, with the receipt itself under `receipt`.
///
/// # Errors
/// The first problem, with where it is.
#[wasm_bindgen]
pub fn inspect_receipt(jws: &str) -> Result<String, JsValue> {
    let (compact, receipt) = receipt_check::inspect(jws).map_err(to_js)?;
    Ok(json_text(signed_parts(&compact).with("receipt", receipt)))
}
