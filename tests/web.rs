//! Browser tests (wasm-bindgen-test in headless Chromium): the form really renders in a shadow root, checks
//! what was typed, and a submission leaves out the fields of a refused purpose.
#![cfg(target_arch = "wasm32")]

use consent_capture::web::{enhance, mount, Mount, Options};
use js_sys::Reflect;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, Event, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlSelectElement, ShadowRoot,
    ShadowRootInit, ShadowRootMode,
};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../www/demo/notice.json");

/// A host element with an open shadow root, recording every event consent-capture dispatches on it.
struct Fixture {
    host: HtmlElement,
    root: ShadowRoot,
    events: Rc<RefCell<Vec<(String, JsValue)>>>,
    _listeners: Vec<Closure<dyn FnMut(Event)>>,
    storage_key: String,
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("a document")
}

fn fixture(name: &str) -> Fixture {
    let host: HtmlElement = document()
        .create_element("div")
        .expect_throw("div")
        .unchecked_into();
    document()
        .body()
        .expect_throw("a body")
        .append_child(&host)
        .expect_throw("appended");
    let root = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .expect_throw("shadow root");
    let events = Rc::new(RefCell::new(Vec::new()));
    let mut listeners = Vec::new();
    for kind in ["consent-capture:submit", "consent-capture:change"] {
        let sink = Rc::clone(&events);
        let listener = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            let detail = event.clone().unchecked_into::<web_sys::CustomEvent>().detail();
            sink.borrow_mut().push((event.type_(), detail));
        });
        host.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref())
            .expect_throw("listener");
        listeners.push(listener);
    }
    let storage_key = format!("consent-capture:test:{name}");
    local_storage().remove_item(&storage_key).expect_throw("storage");
    Fixture {
        host,
        root,
        events,
        _listeners: listeners,
        storage_key,
    }
}

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect_throw("localStorage")
}

impl Fixture {
    fn options(&self, language: &str, gpc: bool) -> Options {
        Options::new(language.to_owned(), gpc, self.storage_key.clone())
    }

    fn mount(&self) -> Mount {
        mount(
            self.host.clone(),
            self.root.clone(),
            DEMO,
            self.options("en", false),
        )
        .expect_throw("the demo notice mounts")
    }

    fn find(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .expect_throw("selector")
            .expect_throw(selector)
    }

    fn input(&self, selector: &str) -> HtmlInputElement {
        self.find(selector).unchecked_into()
    }

    fn fill(&self) {
        self.input("input[name=name]").set_value("Ada Lovelace");
        self.input("input[name=email]").set_value("ada@example.com");
        self.input("input[name=company]").set_value("Engines Ltd");
        self.find("select[name=topic]")
            .unchecked_into::<HtmlSelectElement>()
            .set_value("support");
    }

    fn submit(&self) {
        self.find("form")
            .unchecked_into::<HtmlFormElement>()
            .request_submit()
            .expect_throw("submitted");
    }

    fn click(&self, selector: &str) {
        self.find(selector).unchecked_into::<HtmlElement>().click();
    }

    fn submits(&self) -> Vec<JsValue> {
        self.events
            .borrow()
            .iter()
            .filter(|(kind, _)| kind == "consent-capture:submit")
            .map(|(_, d)| d.clone())
            .collect()
    }

    fn changes(&self) -> Vec<(String, bool)> {
        self.events
            .borrow()
            .iter()
            .filter(|(kind, _)| kind == "consent-capture:change")
            .map(|(_, d)| {
                (
                    get(d, &["purpose"]).as_string().unwrap_or_default(),
                    get(d, &["granted"]).is_truthy(),
                )
            })
            .collect()
    }
}

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).expect_throw("property")
    })
}

fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
fn renders_every_field_and_an_unticked_checkbox_per_consent_purpose() {
    let f = fixture("render");
    let _mount = f.mount();
    assert_eq!(f.root.query_selector_all("[name]").expect_throw("q").length(), 4);
    assert_eq!(
        f.root
            .query_selector_all("input[type=checkbox]")
            .expect_throw("q")
            .length(),
        2
    );
    assert!(
        !f.input("#cc-purpose-1").checked() && !f.input("#cc-purpose-2").checked(),
        "never pre-ticked"
    );
    assert_eq!(text(&f.find("label[for=cc-purpose-1]")), "Monthly newsletter");
    assert_eq!(
        f.find("#cc-field-1").get_attribute("aria-describedby").as_deref(),
        Some("cc-field-1-error")
    );
    assert_eq!(
        f.find("#cc-purpose-1")
            .get_attribute("aria-describedby")
            .as_deref(),
        Some("cc-purpose-1-description")
    );
}

#[wasm_bindgen_test]
fn an_unticked_consent_purpose_keeps_its_fields_out_of_the_payload() {
    let f = fixture("unticked");
    let _mount = f.mount();
    f.fill();
    f.submit();
    let submits = f.submits();
    assert_eq!(submits.len(), 1);
    let payload = get(&submits[0], &["payload"]);
    assert_eq!(
        get(&payload, &["email"]).as_string().as_deref(),
        Some("ada@example.com")
    );
    assert!(
        get(&payload, &["company"]).is_undefined(),
        "company is only justified by the newsletter"
    );
    assert_eq!(
        get(&submits[0], &["receipt", "version"]).as_string().as_deref(),
        Some("KI-CR-v1.1.0")
    );
    assert_eq!(
        get(&submits[0], &["consentMode", "ad_storage"])
            .as_string()
            .as_deref(),
        Some("denied")
    );
}

#[wasm_bindgen_test]
fn a_ticked_consent_purpose_lets_its_fields_through_and_is_reported_as_a_change() {
    let f = fixture("ticked");
    let _mount = f.mount();
    f.click("#cc-purpose-1");
    assert_eq!(f.changes(), [("newsletter".to_owned(), true)]);
    f.fill();
    f.submit();
    let payload = get(&f.submits()[0], &["payload"]);
    assert_eq!(
        get(&payload, &["company"]).as_string().as_deref(),
        Some("Engines Ltd")
    );
}

#[wasm_bindgen_test]
fn invalid_values_are_explained_beside_their_fields_and_nothing_is_sent() {
    let f = fixture("invalid");
    let _mount = f.mount();
    f.fill();
    f.input("input[name=email]").set_value("not an address");
    f.input("input[name=name]").set_value("");
    f.submit();
    assert!(f.submits().is_empty(), "nothing leaves while a field is wrong");
    assert_eq!(text(&f.find("#cc-field-0-error")), "Please fill in this field.");
    assert_eq!(
        text(&f.find("#cc-field-1-error")),
        "Please enter an e-mail address such as name@example.com."
    );
    assert_eq!(
        f.find("#cc-field-1").get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        text(&f.find("[role=alert]")),
        "Some fields need your attention. Nothing was sent."
    );
    let focused = f.root.active_element().expect_throw("something has focus");
    assert_eq!(focused.id(), "cc-field-0", "focus moves to the first problem");
    f.fill();
    f.submit();
    assert_eq!(f.submits().len(), 1);
    assert_eq!(text(&f.find("#cc-field-1-error")), "");
    assert!(f.find("#cc-field-1").get_attribute("aria-invalid").is_none());
}

#[wasm_bindgen_test]
fn accept_all_and_reject_all_set_every_choice_then_submit() {
    let f = fixture("all");
    let _mount = f.mount();
    f.fill();
    f.click("button[value=accept-all]");
    assert!(f.input("#cc-purpose-1").checked() && f.input("#cc-purpose-2").checked());
    assert_eq!(
        f.changes(),
        [("newsletter".to_owned(), true), ("ads".to_owned(), true)]
    );
    let granted = get(&f.submits()[0], &["consentMode", "ad_storage"]).as_string();
    assert_eq!(granted.as_deref(), Some("granted"));
    f.click("button[value=reject-all]");
    assert!(!f.input("#cc-purpose-1").checked() && !f.input("#cc-purpose-2").checked());
    let payload = get(&f.submits()[1], &["payload"]);
    assert!(get(&payload, &["company"]).is_undefined());
}

#[wasm_bindgen_test]
fn with_global_privacy_control_accept_all_leaves_gpc_purposes_off_and_says_why() {
    let f = fixture("gpc");
    let _mount = mount(f.host.clone(), f.root.clone(), DEMO, f.options("en", true)).expect_throw("mounts");
    assert!(text(&f.find("#cc-purpose-2-description")).contains("Global Privacy Control"));
    f.fill();
    f.click("button[value=accept-all]");
    assert!(f.input("#cc-purpose-1").checked() && !f.input("#cc-purpose-2").checked());
    f.click("#cc-purpose-2");
    f.submit();
    let decisions = get(&f.submits()[1], &["consentMode", "ad_storage"]).as_string();
    assert_eq!(
        decisions.as_deref(),
        Some("granted"),
        "an explicit tick still wins"
    );
}

#[wasm_bindgen_test]
fn choices_come_back_on_the_next_visit_and_a_new_revision_asks_again() {
    let f = fixture("stored");
    let mounted = f.mount();
    f.fill();
    f.click("#cc-purpose-1");
    f.submit();
    drop(mounted);
    let again = f.mount();
    assert!(
        f.input("#cc-purpose-1").checked(),
        "the person's own earlier choice is restored"
    );
    assert!(f.root.query_selector(".cc-note").expect_throw("q").is_none());
    drop(again);
    let revised = DEMO.replace("\"revision\": \"2026-11-22\"", "\"revision\": \"2026-12-01\"");
    let _mount =
        mount(f.host.clone(), f.root.clone(), &revised, f.options("en", false)).expect_throw("mounts");
    assert!(!f.input("#cc-purpose-1").checked());
    assert_eq!(
        text(&f.find("[part=note]")),
        "Our notice has changed since you last chose. Please choose again."
    );
}

#[wasm_bindgen_test]
fn arabic_is_rendered_right_to_left() {
    let f = fixture("arabic");
    let _mount =
        mount(f.host.clone(), f.root.clone(), DEMO, f.options("ar-EG,en", false)).expect_throw("mounts");
    let root = f.find(".cc-root");
    assert_eq!(
        (
            root.get_attribute("lang").as_deref(),
            root.get_attribute("dir").as_deref()
        ),
        (Some("ar"), Some("rtl"))
    );
    assert_eq!(text(&f.find("button[value=accept-all]")), "قبول الكل");
}

#[wasm_bindgen_test]
fn notice_text_is_rendered_as_text_never_as_markup() {
    let f = fixture("hostile");
    let hostile = DEMO.replace(
        "Monthly newsletter",
        "<img src=x onerror=alert(1)><script>alert(2)</script>",
    );
    let _mount =
        mount(f.host.clone(), f.root.clone(), &hostile, f.options("en", false)).expect_throw("mounts");
    assert!(f.root.query_selector("img, script").expect_throw("q").is_none());
    assert_eq!(
        text(&f.find("label[for=cc-purpose-1]")),
        "<img src=x onerror=alert(1)><script>alert(2)</script>"
    );
}

#[wasm_bindgen_test]
fn an_invalid_notice_is_refused_with_every_problem_and_its_path() {
    let f = fixture("invalid-notice");
    let broken = DEMO
        .replace("\"legalBasis\": \"consent\"", "\"legalBasis\": \"maybe\"")
        .replace("\"revision\"", "\"rev\"");
    let error = mount(f.host.clone(), f.root.clone(), &broken, f.options("en", false))
        .err()
        .expect_throw("refused");
    let message = error.as_string().expect_throw("a message");
    assert!(message.contains("revision: is required"), "{message}");
    assert!(
        message.contains("purposes[1].legalBasis: is not one of the allowed values (maybe)"),
        "{message}"
    );
    assert!(
        f.root.query_selector("form").expect_throw("q").is_none(),
        "no broken form is shown"
    );
}

#[wasm_bindgen_test]
fn enhance_mode_reads_the_site_form_and_drops_what_the_notice_does_not_declare() {
    let f = fixture("enhance");
    let form: HtmlFormElement = document()
        .create_element("form")
        .expect_throw("form")
        .unchecked_into();
    for (name, value) in [
        ("name", "Ada"),
        ("email", "ada@example.com"),
        ("company", "Engines"),
        ("topic", "sales"),
        ("referrer", "campaign-42"),
    ] {
        let input: HtmlInputElement = document()
            .create_element("input")
            .expect_throw("input")
            .unchecked_into();
        input.set_name(name);
        input.set_value(value);
        form.append_child(&input).expect_throw("appended");
    }
    document()
        .body()
        .expect_throw("body")
        .append_child(&form)
        .expect_throw("appended");
    let _mount = enhance(
        f.host.clone(),
        f.root.clone(),
        form.clone(),
        DEMO,
        f.options("en", false),
    )
    .expect_throw("enhances");
    assert!(
        f.root.query_selector("form").expect_throw("q").is_none(),
        "only the choices are added"
    );
    assert_eq!(
        f.root
            .query_selector_all("input[type=checkbox]")
            .expect_throw("q")
            .length(),
        2
    );
    form.request_submit().expect_throw("submitted");
    let detail = &f.submits()[0];
    let payload = get(detail, &["payload"]);
    assert_eq!(get(&payload, &["name"]).as_string().as_deref(), Some("Ada"));
    assert!(get(&payload, &["company"]).is_undefined());
    assert!(get(&payload, &["referrer"]).is_undefined());
    let manifest = js_sys::JSON::stringify(&get(detail, &["manifest"]))
        .expect_throw("json")
        .as_string()
        .unwrap_or_default();
    assert!(
        manifest.contains(r#"{"field":"referrer","outcome":"dropped","reason":"undeclared"}"#),
        "{manifest}"
    );
    assert!(!manifest.contains("campaign-42"));
}

#[wasm_bindgen_test]
fn freeing_the_mount_removes_the_form_and_its_listeners() {
    let f = fixture("free");
    let mounted = f.mount();
    let checkbox = f.input("#cc-purpose-1");
    drop(mounted);
    assert!(f.root.query_selector("form").expect_throw("q").is_none());
    checkbox.click();
    assert!(f.changes().is_empty(), "no listener survives the mount");
}
