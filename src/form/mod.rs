//! The form as plain data (what to render, derived from a notice, a language and how it starts, testable
//! without a browser), the form drawn ahead of time as HTML, the checks of what was typed, and Google
//! Consent Mode.

pub mod consent_mode;
#[cfg(not(target_arch = "wasm32"))]
pub mod drawn;
mod model;
pub mod validate;

pub use model::{Action, Choice, ControlKind, FieldView, Form, PurposeView};
