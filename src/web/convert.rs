//! What the bindings hand JavaScript: a problem as its text, a value as canonical JSON text.

use crate::error::Errors;
use crate::json::canonical::to_canonical_string;
use crate::json::Value;
use crate::prelude::*;
use wasm_bindgen::JsValue;

pub(super) fn to_js(error: impl Into<Errors>) -> JsValue {
    JsValue::from_str(&error.into().text())
}

pub(super) fn json_text(value: impl Into<Value>) -> String {
    to_canonical_string(&value.into())
}
