//! The browser binding: the only module that names wasm-bindgen, web-sys and js-sys.
//!
//! `www/consent-capture.js` defines the `<consent-capture>` element, fetches the notice and calls [`mount`]
//! (render mode) or [`enhance`] (a site's own form). The returned [`Mount`] owns the nodes and listeners it
//! made until it is freed.

mod dom;
mod listener;
mod render;
mod store;

use crate::canonical::to_canonical_string;
use crate::consent::Stored;
use crate::consent_mode::consent_mode_update;
use crate::form::Form;
use crate::json::{Object, Value};
use crate::strings::Ui;
use crate::validate::check;
use crate::{minimise, uuid_v4, Decisions, Notice, Receipt, ReceiptContext};
use listener::Listener;
use render::{render_choices, render_form, Rendered};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element, Event, HtmlElement, HtmlFormElement, ShadowRoot};

/// A rendered form or set of choices. Freeing it (`mount.free()` in JS) removes its nodes and listeners.
#[wasm_bindgen]
pub struct Mount {
    root: Element,
    _listeners: Vec<Listener>,
}

impl Drop for Mount {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// How the element was configured by the page.
#[wasm_bindgen]
pub struct Options {
    languages: String,
    gpc: bool,
    storage_key: String,
}

#[wasm_bindgen]
impl Options {
    /// `languages`: comma-separated BCP 47 tags, most wanted first; `gpc`: `navigator.globalPrivacyControl`;
    /// `storage_key`: where this notice's choices are kept in localStorage.
    #[wasm_bindgen(constructor)]
    pub fn new(languages: String, gpc: bool, storage_key: String) -> Self {
        Self {
            languages,
            gpc,
            storage_key,
        }
    }
}

struct Session {
    host: HtmlElement,
    notice: Notice,
    language: String,
    options: Options,
    rendered: Rendered,
    /// The site's form in enhance mode.
    site_form: Option<HtmlFormElement>,
}

/// Renders the whole form for `notice_json` into `root` and dispatches `consent-capture:change` and
/// `consent-capture:submit` on `host`.
///
/// # Errors
/// Every problem of an invalid notice, one per line with its JSON path; or a DOM failure.
#[wasm_bindgen]
pub fn mount(
    host: HtmlElement,
    root: ShadowRoot,
    notice_json: &str,
    options: Options,
) -> Result<Mount, JsValue> {
    start(host, root, notice_json, options, None)
}

/// Inserts the purpose choices into `root` (a shadow root inside the site's `form`), intercepts the form's
/// submit, and sends its fields through minimisation. Fields the notice does not declare are named once in
/// the console and never leave.
///
/// # Errors
/// As for [`mount`].
#[wasm_bindgen]
pub fn enhance(
    host: HtmlElement,
    root: ShadowRoot,
    form: HtmlFormElement,
    notice_json: &str,
    options: Options,
) -> Result<Mount, JsValue> {
    start(host, root, notice_json, options, Some(form))
}

fn start(
    host: HtmlElement,
    root: ShadowRoot,
    notice_json: &str,
    options: Options,
    site_form: Option<HtmlFormElement>,
) -> Result<Mount, JsValue> {
    let notice = Notice::from_json(notice_json).map_err(|errors| JsValue::from_str(&errors.to_string()))?;
    let wanted: Vec<&str> = options
        .languages
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let language = notice.pick_language(&wanted).to_owned();
    let stored = store::load(&options.storage_key);
    let begin = Decisions::start(&notice, stored.as_ref(), options.gpc);
    let doc = dom::document(&root)?;
    let model = Form::build(&notice, &language, &begin, options.gpc);
    let rendered = if site_form.is_some() {
        render_choices(&doc, &model)?
    } else {
        render_form(&doc, &model)?
    };
    dom::append(&root, &rendered.root)?;
    if let Some(form) = &site_form {
        warn_about_undeclared_fields(form, &notice)?;
    }
    let session = Rc::new(Session {
        host,
        notice,
        language,
        options,
        rendered,
        site_form,
    });
    let submit_target: &web_sys::EventTarget = match (&session.site_form, &session.rendered.form) {
        (Some(form), _) | (None, Some(form)) => form,
        (None, None) => return Err(JsValue::from_str("consent-capture: nothing to submit")),
    };
    let mut listeners = Vec::new();
    let s = Rc::clone(&session);
    listeners.push(Listener::new(submit_target, "submit", move |event: Event| {
        event.prevent_default();
        if let Err(error) = submit(&s) {
            wasm_bindgen::throw_val(error);
        }
    })?);
    for (purpose, checkbox) in &session.rendered.choices {
        let (s, purpose, box_) = (Rc::clone(&session), purpose.clone(), checkbox.clone());
        listeners.push(Listener::new(checkbox, "change", move |_| {
            report_change(&s, &purpose, box_.checked())
        })?);
    }
    for (button, accept) in [
        (&session.rendered.accept_all, true),
        (&session.rendered.reject_all, false),
    ] {
        let s = Rc::clone(&session);
        listeners.push(Listener::new(button, "click", move |_| {
            set_all_and_submit(&s, accept)
        })?);
    }
    Ok(Mount {
        root: session.rendered.root.clone(),
        _listeners: listeners,
    })
}

/// Ticks (or unticks) every choice, except that Accept all leaves alone the purposes Global Privacy Control
/// holds off, then submits.
fn set_all_and_submit(session: &Session, accept: bool) {
    for (purpose, checkbox) in &session.rendered.choices {
        let held_by_gpc =
            accept && session.options.gpc && session.notice.purpose(purpose).is_some_and(|p| p.gpc);
        if checkbox.checked() != accept && !held_by_gpc {
            checkbox.set_checked(accept);
            report_change(session, purpose, accept);
        }
    }
    let form = session.site_form.as_ref().or(session.rendered.form.as_ref());
    if let Some(form) = form {
        if let Err(error) = form.request_submit() {
            wasm_bindgen::throw_val(error);
        }
    }
}

fn report_change(session: &Session, purpose: &str, granted: bool) {
    let detail = Object::new().with("purpose", purpose).with("granted", granted);
    if let Err(error) = dispatch(&session.host, "consent-capture:change", &detail.into()) {
        wasm_bindgen::throw_val(error);
    }
}

fn decisions(session: &Session) -> Result<Decisions, JsValue> {
    let mut decisions = Decisions::initial(&session.notice);
    for (purpose, checkbox) in &session.rendered.choices {
        decisions
            .set(purpose, checkbox.checked())
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
    }
    Ok(decisions)
}

/// Our own fields, after checking each; `None` when some need the person's attention (then nothing is sent).
fn own_fields(session: &Session) -> Option<Vec<(String, String)>> {
    let mut values = Vec::with_capacity(session.rendered.fields.len());
    let mut first_invalid = None;
    for field in &session.rendered.fields {
        let value = field.control.value();
        let problem = session
            .notice
            .field(&field.name)
            .and_then(|declared| check(declared, &value));
        let control = field.control.element();
        match problem {
            Some(ui) => {
                field
                    .message
                    .set_text_content(Some(session.notice.ui(&session.language, ui)));
                let _ = control.set_attribute("aria-invalid", "true");
                first_invalid.get_or_insert_with(|| control.clone());
            }
            None => {
                field.message.set_text_content(None);
                let _ = control.remove_attribute("aria-invalid");
            }
        }
        values.push((field.name.clone(), value));
    }
    let summary = first_invalid
        .as_ref()
        .map(|_| session.notice.ui(&session.language, Ui::ErrorSummary));
    if let Some(region) = &session.rendered.summary {
        region.set_text_content(summary);
    }
    match first_invalid {
        Some(control) => {
            let _ = control.focus();
            None
        }
        None => Some(values),
    }
}

/// Every `(name, value)` of the site's form; files count by name only, with no value.
fn site_fields(form: &HtmlFormElement) -> Result<Vec<(String, String)>, JsValue> {
    let data = web_sys::FormData::new_with_form(form)?;
    let mut values = Vec::new();
    for entry in js_sys::try_iter(&data)?.into_iter().flatten() {
        let entry = entry?;
        let name = js_sys::Reflect::get_u32(&entry, 0)?
            .as_string()
            .unwrap_or_default();
        let value = js_sys::Reflect::get_u32(&entry, 1)?
            .as_string()
            .unwrap_or_default();
        values.push((name, value));
    }
    Ok(values)
}

fn warn_about_undeclared_fields(form: &HtmlFormElement, notice: &Notice) -> Result<(), JsValue> {
    let named = form.query_selector_all("[name]")?;
    let mut undeclared: Vec<String> = Vec::new();
    for i in 0..named.length() {
        let name = named
            .item(i)
            .and_then(|node| node.dyn_into::<Element>().ok())
            .and_then(|e| e.get_attribute("name"));
        if let Some(name) = name.filter(|n| notice.field(n).is_none() && !undeclared.contains(n)) {
            undeclared.push(name);
        }
    }
    if undeclared.is_empty() {
        return Ok(());
    }
    let message = format!(
        "consent-capture: the notice does not declare these fields of form#{}, so they are never sent: {}",
        form.id(),
        undeclared.join(", ")
    );
    // Said once per page, even when the element renders again (another language, another notice object).
    let first_time = WARNED.with(|warned| {
        let mut warned = warned.borrow_mut();
        let first = !warned.contains(&message);
        if first {
            warned.push(message.clone());
        }
        first
    });
    if first_time {
        web_sys::console::warn_1(&JsValue::from_str(&message));
    }
    Ok(())
}

thread_local! {
    static WARNED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn submit(session: &Session) -> Result<(), JsValue> {
    let submitted = match &session.site_form {
        Some(form) => site_fields(form)?,
        None => match own_fields(session) {
            Some(values) => values,
            None => return Ok(()),
        },
    };
    let notice = &session.notice;
    let decisions = decisions(session)?;
    let minimised = minimise(notice, &decisions, &submitted);
    let receipt_id = uuid_v4(random_bytes()?);
    let principal_id = format!("urn:uuid:{}", uuid_v4(random_bytes()?));
    let context = ReceiptContext {
        issued_at: (js_sys::Date::now() / 1000.0) as i64,
        receipt_id: &receipt_id,
        principal_id: &principal_id,
        language: &session.language,
        gpc: session.options.gpc,
        notice_signature: None,
        previous_receipt: None,
    };
    let receipt = Receipt::build(notice, &decisions, &minimised.manifest, context);
    store::save(
        &session.options.storage_key,
        &Stored::from_decisions(notice, &decisions),
    );
    let detail = Object::new()
        .with("receipt", receipt.as_json().clone())
        .with("payload", minimised.payload)
        .with("manifest", minimised.manifest.to_json())
        .with("consentMode", consent_mode_update(notice, &decisions));
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
