//! The verifier's binding: a second wasm module (built with the `browser-verifier` feature) for pages that
//! check receipts, such as the receipt viewer. It checks everything but the signature; WebCrypto checks that.
//! Pages that capture consent never load it.

use super::{json_text, signed_parts, to_js};
use crate::prelude::*;
use crate::receipt_check;
use crate::{base64url, ed25519};
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

/// Checks an Ed25519 signature (`x`, `signing_input` and `signature` as in the JWS and its JWK) where
/// WebCrypto has no Ed25519, with the same strict check as the native verifier.
#[wasm_bindgen]
pub fn verify_ed25519(x: &str, signing_input: &str, signature: &str) -> bool {
    let key = base64url::decode(x).and_then(|x| <[u8; 32]>::try_from(x).ok());
    match (key, base64url::decode(signature)) {
        (Some(key), Some(signature)) => ed25519::verify(&key, signing_input.as_bytes(), &signature).is_ok(),
        _ => false,
    }
}
