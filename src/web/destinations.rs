//! The destination module's binding: a third wasm module (built with the `browser-destinations` feature) for
//! pages with somewhere to send. It reads the site's destination description against the notice the element
//! shows, and shapes what each signed submission sends, with the interpreter the receiver's relay runs. The
//! element itself carries no CRM's shape: what a submission needs loads beside the form, not before it.

use super::convert::{json_text, to_js};
use crate::destination::{shape, shipped, Destination, Evidence, NoticeFacts, Runs};
use crate::error::{Error, ErrorKind};
use crate::json::{parse, Object, Value};
use crate::prelude::*;
use wasm_bindgen::prelude::*;

/// The destination `named` (a shipped one, carried here: nothing is fetched that whoever serves the site could
/// change) or, when `description` is given, that description (a site's own, from its own script), read against
/// `notice` (its text, which the element has validated), sending to `endpoint` (empty: the description's own URL).
fn destination(
    named: &str,
    description: &str,
    notice: &str,
    endpoint: &str,
) -> Result<(Destination, NoticeFacts), JsValue> {
    let facts = NoticeFacts::read(&parse(notice).map_err(to_js)?);
    let description = match description {
        "" => shipped(named)
            .ok_or_else(|| to_js(Error::new(ErrorKind::NotAllowed, "adapter").with_detail(named)))?,
        own => own,
    };
    let endpoint = (!endpoint.is_empty()).then_some(endpoint);
    let destination = Destination::bind(description, &facts, endpoint)
        .map_err(to_js)?
        .for_browser()
        .map_err(to_js)?;
    Ok((destination, facts))
}

/// What a receipt names of the destination: `{"name", "url", "sha256"}` (the URL its requests go to, the
/// SHA-256 of its description).
///
/// # Errors
/// No shipped destination of that name; every problem of the description or of the notice's settings for it,
/// with its place; a destination that needs a secret (only the receiver can send to it).
#[wasm_bindgen]
pub fn read_destination(
    named: &str,
    description: &str,
    notice: &str,
    endpoint: &str,
) -> Result<String, JsValue> {
    let (destination, _) = destination(named, description, notice, endpoint)?;
    Ok(json_text(
        Object::new()
            .with("name", destination.name)
            .with("url", destination.submit.url)
            .with("sha256", destination.sha256),
    ))
}

/// The request for one signed submission (`submission_json`: `{"withdrawal", "decisions", "fields", "receipt",
/// "receiptId", "principal", "language", "consentTime", "pageUri", "pageName"}`): `{url, method, contentType,
/// headers, body, opaque}`, or null when the destination sends nothing for it (a subscription not granted, a
/// withdrawal it cannot express).
///
/// # Errors
/// The description's problems, or a malformed submission.
#[wasm_bindgen]
pub fn shape_request(
    named: &str,
    description: &str,
    notice: &str,
    endpoint: &str,
    submission_json: &str,
) -> Result<String, JsValue> {
    let (destination, facts) = destination(named, description, notice, endpoint)?;
    let submission = parse(submission_json).map_err(to_js)?;
    let submission = submission
        .as_object()
        .ok_or_else(|| to_js(Error::new(ErrorKind::WrongType, "submission")))?;
    let text = |key| submission.get(key).and_then(Value::as_str).unwrap_or_default();
    let call = if submission.get("withdrawal") == Some(&Value::Bool(true)) {
        destination.withdrawal.call().ok()
    } else {
        Some(&destination.submit)
    };
    let fields = submission
        .get("fields")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let evidence = Evidence {
        receipt: text("receipt"),
        receipt_id: text("receiptId"),
        principal: text("principal"),
        language: text("language"),
        page_uri: text("pageUri"),
        page_name: text("pageName"),
        consent_time: submission
            .get("consentTime")
            .and_then(Value::as_i64)
            .unwrap_or_default(),
        relayed: false,
        // A page holds no contact apart from the fields: its withdrawals never name one (they run as-submit).
        contact: "",
    };
    let decisions = submission.get("decisions").cloned().unwrap_or(Value::Null);
    let shaped = call.and_then(|call| shape(call, &facts, &decisions, &fields, evidence, &|_| None));
    Ok(json_text(match shaped {
        None => Value::Null,
        Some(shaped) => {
            let mut headers = Object::new();
            for (name, value) in shaped.headers {
                headers.insert(name, value);
            }
            Object::new()
                .with("url", shaped.url)
                .with("method", shaped.method)
                .with("contentType", shaped.content_type)
                .with("headers", headers)
                .with("body", shaped.body)
                .with("opaque", destination.runs == Runs::BrowserOpaque)
                .into()
        }
    }))
}
