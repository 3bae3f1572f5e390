//! The browser binding: the only module that names wasm-bindgen, web-sys and js-sys.
//!
//! `www/consent-capture.js` defines the `<consent-capture>` element, fetches the notice and calls [`mount`]
//! with the element's shadow root; the returned [`Mount`] owns the form and its listener until it is freed.

mod dom;
mod render;

use crate::canonical::to_canonical_string;
use crate::json::{Object, Value};
use crate::{minimise, uuid_v4, Decisions, Notice, Receipt, ReceiptContext};
use render::{render, Rendered};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element, Event, HtmlElement, ShadowRoot};

/// A form mounted in a shadow root. Freeing it (`mount.free()` in JS) removes the form and its listener.
#[wasm_bindgen]
pub struct Mount {
    form: Element,
    on_submit: Closure<dyn FnMut(Event)>,
}

impl Drop for Mount {
    fn drop(&mut self) {
        // Removing a listener that is still registered cannot fail in a way we could act on.
        let _ = self
            .form
            .remove_event_listener_with_callback("submit", self.on_submit.as_ref().unchecked_ref());
        self.form.remove();
    }
}

struct Session {
    host: HtmlElement,
    notice: Notice,
    language: String,
    rendered: Rendered,
}

/// Renders `notice_json` into `root` in the best of `languages` (comma-separated BCP 47 tags, most wanted
/// first) and dispatches `consent-capture:submit` on `host` when the person submits.
///
/// # Errors
/// Every problem of an invalid notice, one per line with its JSON path; or a DOM failure.
#[wasm_bindgen]
pub fn mount(
    host: HtmlElement,
    root: ShadowRoot,
    notice_json: &str,
    languages: &str,
) -> Result<Mount, JsValue> {
    let notice = Notice::from_json(notice_json).map_err(|errors| JsValue::from_str(&errors.to_string()))?;
    let wanted: Vec<&str> = languages
        .split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .collect();
    let language = notice.pick_language(&wanted).to_owned();
    let doc = dom::document(&root)?;
    let rendered = render(&doc, &notice, &language)?;
    dom::append(&root, &rendered.form)?;
    let form = rendered.form.clone();
    let session = Rc::new(Session {
        host,
        notice,
        language,
        rendered,
    });
    let on_submit = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        event.prevent_default();
        if let Err(error) = submit(&session) {
            wasm_bindgen::throw_val(error);
        }
    });
    form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())?;
    Ok(Mount { form, on_submit })
}

fn submit(session: &Session) -> Result<(), JsValue> {
    let notice = &session.notice;
    let mut decisions = Decisions::initial(notice);
    for (purpose, checkbox) in &session.rendered.choices {
        decisions
            .set(purpose, checkbox.checked())
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
    }
    let submitted: Vec<(String, String)> = session
        .rendered
        .fields
        .iter()
        .map(|(name, control)| (name.clone(), control.value()))
        .collect();
    let minimised = minimise(notice, &decisions, &submitted);
    let receipt_id = uuid_v4(random_bytes()?);
    let principal_id = format!("urn:uuid:{}", uuid_v4(random_bytes()?));
    let context = ReceiptContext {
        issued_at: (js_sys::Date::now() / 1000.0) as i64,
        receipt_id: &receipt_id,
        principal_id: &principal_id,
        language: &session.language,
    };
    let receipt = Receipt::build(notice, &decisions, &minimised.manifest, context);
    let detail = Object::new()
        .with("receipt", receipt.as_json().clone())
        .with("payload", minimised.payload)
        .with("manifest", minimised.manifest.to_json());
    dispatch(&session.host, "consent-capture:submit", &Value::Object(detail))
}

fn random_bytes() -> Result<[u8; 16], JsValue> {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window()
        .ok_or_else(|| JsValue::from_str("consent-capture: no window"))?
        .crypto()?;
    crypto.get_random_values_with_u8_array(&mut bytes)?;
    Ok(bytes)
}

/// Dispatches a bubbling, composed event so that listeners outside the shadow root hear it.
fn dispatch(host: &HtmlElement, name: &str, detail: &Value) -> Result<(), JsValue> {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&js_sys::JSON::parse(&to_canonical_string(detail))?);
    let event = CustomEvent::new_with_event_init_dict(name, &init)?;
    host.dispatch_event(&event)?;
    Ok(())
}
