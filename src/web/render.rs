//! Turns a [`Form`] model into DOM nodes: the whole form (render mode) or only the purpose choices (enhance
//! mode). Text goes in as text content and attributes only.

use super::dom::{append, cast, element};
use crate::form::{Action, ControlKind, FieldView, Form, PurposeView};
use wasm_bindgen::JsValue;
use web_sys::{
    Document, Element, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement,
};

/// A control that holds one field's value.
pub(crate) enum Control {
    Input(HtmlInputElement),
    TextArea(HtmlTextAreaElement),
    Select(HtmlSelectElement),
}

impl Control {
    /// The submitted value: the text typed or chosen, or `"true"`/`""` for a checkbox.
    pub(crate) fn value(&self) -> String {
        match self {
            Self::Input(input) if input.type_() == "checkbox" => {
                if input.checked() { "true" } else { "" }.to_owned()
            }
            Self::Input(input) => input.value(),
            Self::TextArea(area) => area.value(),
            Self::Select(select) => select.value(),
        }
    }

    pub(crate) fn element(&self) -> &HtmlElement {
        match self {
            Self::Input(input) => input,
            Self::TextArea(area) => area,
            Self::Select(select) => select,
        }
    }
}

/// One rendered field: its name, control and the element for its error message.
pub(crate) struct FieldControl {
    pub(crate) name: String,
    pub(crate) control: Control,
    pub(crate) message: Element,
}

/// What was rendered, with handles to everything the mount listens to or reads.
pub(crate) struct Rendered {
    /// The outermost node, removed on unmount.
    pub(crate) root: Element,
    /// Our own form (render mode).
    pub(crate) form: Option<HtmlFormElement>,
    pub(crate) fields: Vec<FieldControl>,
    /// Each consent purpose's id and checkbox.
    pub(crate) choices: Vec<(String, HtmlInputElement)>,
    pub(crate) accept_all: Element,
    pub(crate) reject_all: Element,
    /// The live region that announces why a submission was refused (render mode: enhance mode leaves
    /// checking the fields to the site's form).
    pub(crate) summary: Option<Element>,
}

/// The whole form: fields, purpose choices and the three buttons.
pub(crate) fn render_form(doc: &Document, model: &Form<'_>) -> Result<Rendered, JsValue> {
    let root = container(doc, model)?;
    let form = element(
        doc,
        "form",
        &[("part", "form"), ("class", "cc-form"), ("novalidate", "")],
        None,
    )?;
    let details = element(doc, "fieldset", &[("part", "fields")], None)?;
    append(
        &details,
        &element(doc, "legend", &[], Some(model.details_legend))?,
    )?;
    let mut fields = Vec::with_capacity(model.fields.len());
    for view in &model.fields {
        fields.push(render_field(doc, &details, view)?);
    }
    append(&form, &details)?;
    let (purposes, choices) = render_purposes(doc, model)?;
    append(&form, &purposes)?;
    let summary = live_region(doc)?;
    append(&form, &summary)?;
    let (actions, accept_all, reject_all) = render_actions(doc, model, true)?;
    append(&form, &actions)?;
    append(&root, &form)?;
    Ok(Rendered {
        root,
        form: Some(cast(form)?),
        fields,
        choices,
        accept_all,
        reject_all,
        summary: Some(summary),
    })
}

/// Only the purpose choices and the accept/reject buttons, for a site's own form.
pub(crate) fn render_choices(doc: &Document, model: &Form<'_>) -> Result<Rendered, JsValue> {
    let root = container(doc, model)?;
    let (purposes, choices) = render_purposes(doc, model)?;
    append(&root, &purposes)?;
    let (actions, accept_all, reject_all) = render_actions(doc, model, false)?;
    append(&root, &actions)?;
    Ok(Rendered {
        root,
        form: None,
        fields: Vec::new(),
        choices,
        accept_all,
        reject_all,
        summary: None,
    })
}

fn container(doc: &Document, model: &Form<'_>) -> Result<Element, JsValue> {
    let dir = if model.right_to_left { "rtl" } else { "ltr" };
    let root = element(
        doc,
        "div",
        &[
            ("part", "root"),
            ("class", "cc-root"),
            ("lang", model.language),
            ("dir", dir),
        ],
        None,
    )?;
    if let Some(note) = model.notice_changed {
        append(
            &root,
            &element(doc, "p", &[("class", "cc-note"), ("part", "note")], Some(note))?,
        )?;
    }
    Ok(root)
}

fn live_region(doc: &Document) -> Result<Element, JsValue> {
    element(
        doc,
        "p",
        &[("role", "alert"), ("class", "cc-summary"), ("part", "summary")],
        None,
    )
}

fn render_field(doc: &Document, parent: &Element, view: &FieldView<'_>) -> Result<FieldControl, JsValue> {
    let wrapper = element(doc, "div", &[("class", "cc-field")], None)?;
    let described_by = view.error_id.as_str();
    let mut attributes = vec![("id", view.id.as_str()), ("name", view.name)];
    if view.required.is_some() {
        attributes.extend([("required", ""), ("aria-required", "true")]);
    }
    if !view.hidden {
        attributes.push(("aria-describedby", described_by));
    }
    let control = match &view.control {
        ControlKind::Input {
            input_type,
            autocomplete,
        } => {
            attributes.extend([("type", *input_type), ("autocomplete", *autocomplete)]);
            Control::Input(cast(element(doc, "input", &attributes, None)?)?)
        }
        ControlKind::TextArea => Control::TextArea(cast(element(doc, "textarea", &attributes, None)?)?),
        ControlKind::Select { placeholder, options } => {
            let select = element(doc, "select", &attributes, None)?;
            append(
                &select,
                &element(doc, "option", &[("value", "")], Some(placeholder))?,
            )?;
            for (value, label) in options {
                append(
                    &select,
                    &element(doc, "option", &[("value", value)], Some(label))?,
                )?;
            }
            Control::Select(cast(select)?)
        }
    };
    let message = element(doc, "p", &[("id", described_by), ("class", "cc-message")], None)?;
    if view.hidden {
        append(&wrapper, control.element())?;
    } else {
        let label = element(doc, "label", &[("for", view.id.as_str())], Some(view.label))?;
        if let Some(required) = view.required {
            append(
                &label,
                &element(
                    doc,
                    "span",
                    &[("class", "cc-required")],
                    Some(&format!(" ({required})")),
                )?,
            )?;
        }
        let checkbox = matches!(
            view.control,
            ControlKind::Input {
                input_type: "checkbox",
                ..
            }
        );
        let (first, second): (&Element, &Element) = if checkbox {
            (control.element(), &label)
        } else {
            (&label, control.element())
        };
        append(&wrapper, first)?;
        append(&wrapper, second)?;
        append(&wrapper, &message)?;
    }
    append(parent, &wrapper)?;
    Ok(FieldControl {
        name: view.name.to_owned(),
        control,
        message,
    })
}

type Choices = Vec<(String, HtmlInputElement)>;

fn render_purposes(doc: &Document, model: &Form<'_>) -> Result<(Element, Choices), JsValue> {
    let fieldset = element(doc, "fieldset", &[("part", "purposes")], None)?;
    append(
        &fieldset,
        &element(doc, "legend", &[], Some(model.purposes_legend))?,
    )?;
    let mut choices = Vec::new();
    for view in &model.purposes {
        if let Some(checkbox) = render_purpose(doc, &fieldset, view)? {
            choices.push((view.purpose_id.to_owned(), checkbox));
        }
    }
    let (text, href) = model.policy;
    let policy = element(doc, "p", &[], None)?;
    let link = [
        ("href", href),
        ("target", "_blank"),
        ("rel", "noopener noreferrer"),
        ("part", "policy"),
    ];
    append(&policy, &element(doc, "a", &link, Some(text))?)?;
    append(&fieldset, &policy)?;
    Ok((fieldset, choices))
}

/// A checkbox (returned) for a consent purpose, or an information block for a purpose on another basis.
fn render_purpose(
    doc: &Document,
    parent: &Element,
    view: &PurposeView<'_>,
) -> Result<Option<HtmlInputElement>, JsValue> {
    let wrapper = element(doc, "div", &[("class", "cc-purpose"), ("part", "purpose")], None)?;
    let head = element(doc, "div", &[("class", "cc-purpose-head")], None)?;
    let checkbox = match &view.choice {
        Some(choice) => {
            let mut attributes = vec![
                ("id", view.id.as_str()),
                ("type", "checkbox"),
                ("aria-describedby", view.description_id.as_str()),
            ];
            if choice.checked {
                attributes.push(("checked", ""));
            }
            let checkbox = element(doc, "input", &attributes, None)?;
            append(&head, &checkbox)?;
            append(
                &head,
                &element(doc, "label", &[("for", view.id.as_str())], Some(view.name))?,
            )?;
            Some(cast::<HtmlInputElement>(checkbox)?)
        }
        None => {
            append(&head, &element(doc, "strong", &[], Some(view.name))?)?;
            None
        }
    };
    append(&wrapper, &head)?;
    let description = element(
        doc,
        "div",
        &[("id", view.description_id.as_str()), ("class", "cc-description")],
        None,
    )?;
    let gpc_note = view.choice.as_ref().and_then(|c| c.gpc_note);
    let lines = [
        gpc_note,
        view.basis.as_deref(),
        Some(view.description),
        Some(&view.kept_until),
        view.shared_with.as_deref(),
    ];
    for line in lines.into_iter().flatten() {
        let class = if gpc_note == Some(line) {
            "cc-note"
        } else {
            "cc-line"
        };
        append(&description, &element(doc, "p", &[("class", class)], Some(line))?)?;
    }
    append(&wrapper, &description)?;
    append(parent, &wrapper)?;
    Ok(checkbox)
}

/// Accept all and Reject all are plain buttons that set the choices and then submit, so the only submit
/// button (Enter in a field) is "send with my choices". All three look the same.
fn render_actions(
    doc: &Document,
    model: &Form<'_>,
    with_save: bool,
) -> Result<(Element, Element, Element), JsValue> {
    let actions = element(doc, "div", &[("class", "cc-actions"), ("part", "actions")], None)?;
    let button = |action: Action, text: &str, kind: &str| {
        element(
            doc,
            "button",
            &[
                ("type", kind),
                ("value", action.name()),
                ("part", "button"),
                ("class", "cc-button"),
            ],
            Some(text),
        )
    };
    let [(_, accept), (_, reject), (_, save)] = model.actions;
    let accept_all = button(Action::AcceptAll, accept, "button")?;
    let reject_all = button(Action::RejectAll, reject, "button")?;
    append(&actions, &accept_all)?;
    append(&actions, &reject_all)?;
    if with_save {
        append(&actions, &button(Action::Save, save, "submit")?)?;
    }
    Ok((actions, accept_all, reject_all))
}
