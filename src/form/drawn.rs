//! The form as HTML, rendered ahead of time (by the CLI, for `make dist`) into a declarative shadow root
//! (`<template shadowrootmode="open">`): the browser draws it while it parses the page, before any script or
//! wasm arrives, and the element takes it over when it is ready. Native only: the browser never builds markup
//! from strings (`www/consent-capture.js` builds the same elements with `textContent`).
//!
//! The markup is the element's DOM node for node, with no whitespace between tags, so that taking it over moves
//! nothing (`tests/e2e/prerendered.test.mjs` compares the two trees). It differs in what makes it safe before
//! the element runs: the form's `method="dialog"` sends nothing anywhere even when no script runs at all, and
//! the root carries the hash of the notice and the language it was rendered from, which the element checks
//! before it keeps anything the person did in it.

use crate::form::{ControlKind, FieldView, Form, PurposeView};
use crate::prelude::*;
use crate::text::decimal;

/// Where the rendered form goes on a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement<'a> {
    /// The notice's URL, for the element's `notice` attribute.
    pub notice_url: &'a str,
    /// How the drawn form is styled.
    pub stylesheet: Stylesheet<'a>,
    /// Enhance mode: the id of the site's `<form>`, into which the purpose choices go.
    pub form_id: Option<&'a str>,
}

/// The element's stylesheet (`consent-capture.css`) in the drawn form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stylesheet<'a> {
    /// Its text in a `<style>`: the form shows once the page is parsed, without a round trip for the
    /// stylesheet (docs/benchmarks.md); a strict CSP allows it by its hash (`style-src 'sha256-…'`), which pins it
    /// as integrity pins a link.
    Inline(InlineCss<'a>),
    /// A link to it, pinned by its Subresource Integrity value (`sha384-…`) when given, for a CSP that lists no
    /// hashes: whoever serves the stylesheet could otherwise restyle the form, hiding Reject all or a choice.
    Linked {
        /// Where the site serves it.
        href: &'a str,
        /// Its integrity value, which `make dist` prints.
        integrity: Option<&'a str>,
    },
}

/// A stylesheet's text that can stand in a `<style>` element: one that contains no `</style`, which would
/// end the element and let the rest be read as markup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlineCss<'a>(&'a str);

impl<'a> InlineCss<'a> {
    /// `css`, or `None` when it contains `</style` in any case.
    pub fn new(css: &'a str) -> Option<Self> {
        let ends_the_element = css
            .as_bytes()
            .windows(b"</style".len())
            .any(|w| w.eq_ignore_ascii_case(b"</style"));
        (!ends_the_element).then_some(Self(css))
    }
}

/// What a site pastes where the form goes. Render mode: the element with its form in a declarative shadow
/// root. Enhance mode (`form_id`): the purpose choices in a declarative shadow root of their own, to paste
/// before the site form's submit button, followed by the element (which draws nothing else there).
pub fn markup(form: &Form, notice_sha256: &str, placement: &Placement) -> String {
    let mut html = Html(String::new());
    let mode = match placement.form_id {
        Some(_) => Mode::Choices,
        None => Mode::Render,
    };
    if mode == Mode::Choices {
        html.open("div", &[("class", "consent-capture-choices")]);
        shadow_root_html(&mut html, form, mode, notice_sha256, placement);
        html.close("div");
    }
    let mut element = vec![("notice", placement.notice_url)];
    if let Some(id) = placement.form_id {
        element.push(("for", id));
    }
    element.push(("lang", form.language));
    html.open("consent-capture", &element);
    if mode == Mode::Render {
        shadow_root_html(&mut html, form, mode, notice_sha256, placement);
    }
    html.close("consent-capture");
    html.0
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// `<consent-capture>`'s own form.
    Render,
    /// The choices inserted before the site form's submit button.
    Choices,
}

/// A `<template shadowrootmode="open">`, which the parser attaches to its parent, holding the stylesheet and
/// the form's root. `notice_sha256` is the notice's hash ([`crate::notice::signature::notice_hash`]). A linked
/// stylesheet pinned with its integrity is fetched with CORS, as the element's own link is: browsers check
/// integrity only on a CORS fetch.
fn shadow_root_html(html: &mut Html, form: &Form, mode: Mode, notice_sha256: &str, placement: &Placement) {
    html.open("template", &[("shadowrootmode", "open")]);
    match placement.stylesheet {
        Stylesheet::Inline(InlineCss(css)) => {
            // Raw text, as the parser reads a <style>: InlineCss holds no end tag.
            html.open("style", &[]);
            html.0.push_str(css);
            html.close("style");
        }
        Stylesheet::Linked { href, integrity } => {
            let mut link = vec![("rel", "stylesheet"), ("href", href)];
            if let Some(integrity) = integrity {
                link.extend([("integrity", integrity), ("crossorigin", "anonymous")]);
            }
            html.open("link", &link);
        }
    }
    let dir = if form.right_to_left { "rtl" } else { "ltr" };
    html.open(
        "div",
        &[
            ("part", "root"),
            ("class", "cc-root"),
            ("lang", form.language),
            ("dir", dir),
            ("data-notice", notice_sha256),
        ],
    );
    if let Some(note) = form.notice_changed {
        html.element("p", &[("class", "cc-note"), ("part", "note")], note);
    }
    match mode {
        Mode::Render => {
            html.open(
                "form",
                &[
                    ("part", "form"),
                    ("class", "cc-form"),
                    ("novalidate", ""),
                    ("method", "dialog"),
                ],
            );
            html.open("fieldset", &[("part", "fields")]);
            html.element("legend", &[], form.details_legend);
            for field in &form.fields {
                field_html(html, field);
            }
            html.close("fieldset");
            purposes_html(html, form);
            html.element(
                "p",
                &[("role", "alert"), ("class", "cc-summary"), ("part", "summary")],
                "",
            );
            actions_html(html, form, true);
            html.close("form");
        }
        Mode::Choices => {
            purposes_html(html, form);
            actions_html(html, form, false);
        }
    }
    html.close("div");
    html.close("template");
}

fn field_html(html: &mut Html, field: &FieldView) {
    html.open("div", &[("class", "cc-field"), ("part", "field")]);
    let mut attributes: Vec<(&str, &str)> = vec![("id", &field.id), ("name", field.name), ("part", "input")];
    if field.required.is_some() {
        attributes.extend([("required", ""), ("aria-required", "true")]);
    }
    if !field.hidden {
        attributes.push(("aria-describedby", &field.error_id));
    }
    let most = field.max_length.map(|most| decimal(i64::from(most)));
    if let Some(most) = &most {
        attributes.push(("maxlength", most));
    }
    let control = |html: &mut Html| match &field.control {
        ControlKind::Input {
            input_type,
            autocomplete,
        } => {
            let mut input = attributes.clone();
            input.extend([("type", *input_type), ("autocomplete", *autocomplete)]);
            html.open("input", &input);
        }
        ControlKind::TextArea => html.element("textarea", &attributes, ""),
        ControlKind::Select { placeholder, options } => {
            html.open("select", &attributes);
            html.element("option", &[("value", "")], placeholder);
            for (value, label) in options {
                html.element("option", &[("value", value)], label);
            }
            html.close("select");
        }
    };
    if field.hidden {
        control(html);
    } else {
        let label = |html: &mut Html| {
            html.open("label", &[("for", &field.id), ("part", "label")]);
            html.text(field.label);
            // After the label, in brackets: whether it is required, and where it goes as typed.
            for aside in [field.required, field.sent_as_typed.as_deref()]
                .into_iter()
                .flatten()
            {
                html.element("span", &[("class", "cc-aside")], &concat(&[" (", aside, ")"]));
            }
            html.close("label");
        };
        let checkbox = matches!(
            field.control,
            ControlKind::Input {
                input_type: "checkbox",
                ..
            }
        );
        if checkbox {
            control(html);
            label(html);
        } else {
            label(html);
            control(html);
        }
        html.element(
            "p",
            &[
                ("id", &field.error_id),
                ("class", "cc-message"),
                ("part", "message"),
            ],
            "",
        );
    }
    html.close("div");
}

fn purposes_html(html: &mut Html, form: &Form) {
    html.open("fieldset", &[("part", "purposes")]);
    html.element("legend", &[], form.purposes_legend);
    for purpose in &form.purposes {
        purpose_html(html, purpose);
    }
    html.open("p", &[]);
    let (text, href) = form.policy;
    html.element(
        "a",
        &[
            ("href", href),
            ("target", "_blank"),
            ("rel", "noopener noreferrer"),
            ("part", "policy"),
        ],
        text,
    );
    html.close("p");
    html.close("fieldset");
}

fn purpose_html(html: &mut Html, purpose: &PurposeView) {
    html.open("div", &[("class", "cc-purpose"), ("part", "purpose")]);
    html.open("div", &[("class", "cc-purpose-head")]);
    match &purpose.choice {
        Some(choice) => {
            let mut box_attributes = vec![
                ("id", purpose.id.as_str()),
                ("type", "checkbox"),
                ("aria-describedby", &purpose.description_id),
                ("part", "choice"),
            ];
            if choice.checked {
                box_attributes.push(("checked", ""));
            }
            html.open("input", &box_attributes);
            html.element(
                "label",
                &[("for", &purpose.id), ("part", "choice-label")],
                purpose.name,
            );
        }
        None => html.element("strong", &[], purpose.name),
    }
    html.close("div");
    html.open(
        "div",
        &[("id", &purpose.description_id), ("class", "cc-description")],
    );
    if let Some(note) = purpose.choice.as_ref().and_then(|c| c.gpc_note) {
        html.element("p", &[("class", "cc-note")], note);
    }
    let lines = [
        purpose.basis.as_deref(),
        Some(purpose.description),
        Some(purpose.kept_until.as_str()),
        purpose.shared_with.as_deref(),
    ];
    for line in lines.into_iter().flatten() {
        html.element("p", &[("class", "cc-line")], line);
    }
    html.close("div");
    html.close("div");
}

/// Accept all, Reject all and (in render mode) Send with my choices, the form's only submit button. Before the
/// element runs, the page's early script holds a press of any of them (and Enter, which presses the submit
/// button) for the element to carry out.
fn actions_html(html: &mut Html, form: &Form, with_save: bool) {
    html.open("div", &[("class", "cc-actions"), ("part", "actions")]);
    for (action, text) in &form.actions {
        let save = *action == crate::form::Action::Save;
        if save && !with_save {
            continue;
        }
        let kind = if save { "submit" } else { "button" };
        html.element(
            "button",
            &[
                ("type", kind),
                ("value", action.name()),
                ("part", "button"),
                ("class", "cc-button"),
            ],
            text,
        );
    }
    html.close("div");
}

/// HTML written with every text and attribute value escaped: a notice's strings stay text.
struct Html(String);

impl Html {
    fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attributes {
            self.0.push(' ');
            self.0.push_str(name);
            if !value.is_empty() {
                self.0.push_str("=\"");
                self.escaped(value);
                self.0.push('"');
            }
        }
        self.0.push('>');
    }

    fn close(&mut self, tag: &str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }

    fn text(&mut self, text: &str) {
        self.escaped(text);
    }

    fn element(&mut self, tag: &str, attributes: &[(&str, &str)], text: &str) {
        self.open(tag, attributes);
        self.text(text);
        self.close(tag);
    }

    /// Escapes what could end a text or a quoted attribute value, or start markup or a character reference.
    fn escaped(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                c => self.0.push(c),
            }
        }
    }
}
