//! Browser tests (wasm-bindgen-test in headless Chromium): the form really renders in a shadow root and a
//! submission leaves out the fields of a refused purpose.
#![cfg(target_arch = "wasm32")]

use consent_capture::web::{mount, Mount};
use js_sys::Reflect;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Event, HtmlElement, HtmlFormElement, HtmlInputElement, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../www/demo/notice.json");

struct Fixture {
    host: HtmlElement,
    root: ShadowRoot,
    submits: Rc<RefCell<Vec<JsValue>>>,
    _listener: Closure<dyn FnMut(Event)>,
}

fn fixture() -> Fixture {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("a document");
    let host: HtmlElement = document
        .create_element("div")
        .expect_throw("div")
        .unchecked_into();
    document
        .body()
        .expect_throw("a body")
        .append_child(&host)
        .expect_throw("appended");
    let root = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .expect_throw("shadow root");
    let submits = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&submits);
    let listener = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let detail = event.unchecked_into::<web_sys::CustomEvent>().detail();
        sink.borrow_mut().push(detail);
    });
    host.add_event_listener_with_callback("consent-capture:submit", listener.as_ref().unchecked_ref())
        .expect_throw("listener");
    Fixture {
        host,
        root,
        submits,
        _listener: listener,
    }
}

fn input(root: &ShadowRoot, selector: &str) -> HtmlInputElement {
    root.query_selector(selector)
        .expect_throw("selector")
        .expect_throw(selector)
        .unchecked_into()
}

fn fill_and_submit(root: &ShadowRoot) {
    input(root, "input[name=name]").set_value("Ada Lovelace");
    input(root, "input[name=email]").set_value("ada@example.com");
    input(root, "input[name=company]").set_value("Engines Ltd");
    let form: HtmlFormElement = root
        .query_selector("form")
        .expect_throw("q")
        .expect_throw("form")
        .unchecked_into();
    form.request_submit().expect_throw("submitted");
}

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).expect_throw("property")
    })
}

fn mounted(f: &Fixture) -> Mount {
    mount(f.host.clone(), f.root.clone(), DEMO, "en").expect_throw("the demo notice mounts")
}

#[wasm_bindgen_test]
fn renders_every_field_and_an_unticked_checkbox_per_consent_purpose() {
    let f = fixture();
    let _mount = mounted(&f);
    assert_eq!(
        f.root
            .query_selector_all("input[name]")
            .expect_throw("q")
            .length(),
        3
    );
    let checkboxes = f
        .root
        .query_selector_all("input[type=checkbox]")
        .expect_throw("q");
    assert_eq!(checkboxes.length(), 1, "one consent purpose, one checkbox");
    assert!(
        !input(&f.root, "input[type=checkbox]").checked(),
        "never pre-ticked"
    );
    let label = f
        .root
        .query_selector("label[for=cc-purpose-1]")
        .expect_throw("q")
        .expect_throw("label");
    assert_eq!(label.text_content().as_deref(), Some("Monthly newsletter"));
}

#[wasm_bindgen_test]
fn an_unticked_consent_purpose_keeps_its_fields_out_of_the_payload() {
    let f = fixture();
    let _mount = mounted(&f);
    fill_and_submit(&f.root);
    let submits = f.submits.borrow();
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
}

#[wasm_bindgen_test]
fn a_ticked_consent_purpose_lets_its_fields_through() {
    let f = fixture();
    let _mount = mounted(&f);
    input(&f.root, "input[type=checkbox]").set_checked(true);
    fill_and_submit(&f.root);
    let payload = get(&f.submits.borrow()[0], &["payload"]);
    assert_eq!(
        get(&payload, &["company"]).as_string().as_deref(),
        Some("Engines Ltd")
    );
}

#[wasm_bindgen_test]
fn notice_text_is_rendered_as_text_never_as_markup() {
    let f = fixture();
    let hostile = DEMO.replace(
        "Monthly newsletter",
        "<img src=x onerror=alert(1)><script>alert(2)</script>",
    );
    let _mount = mount(f.host.clone(), f.root.clone(), &hostile, "en").expect_throw("mounts");
    assert!(f.root.query_selector("img, script").expect_throw("q").is_none());
    let label = f
        .root
        .query_selector("label[for=cc-purpose-1]")
        .expect_throw("q")
        .expect_throw("label");
    assert_eq!(
        label.text_content().as_deref(),
        Some("<img src=x onerror=alert(1)><script>alert(2)</script>")
    );
}

#[wasm_bindgen_test]
fn an_invalid_notice_is_refused_with_every_problem_and_its_path() {
    let f = fixture();
    let broken = DEMO
        .replace("\"legalBasis\": \"consent\"", "\"legalBasis\": \"maybe\"")
        .replace("\"revision\"", "\"rev\"");
    let error = mount(f.host.clone(), f.root.clone(), &broken, "en")
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
fn freeing_the_mount_removes_the_form() {
    let f = fixture();
    drop(mounted(&f));
    assert!(f.root.query_selector("form").expect_throw("q").is_none());
}
