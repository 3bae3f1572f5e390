//! Builds the form for a notice in one language: the declared fields, then one unticked checkbox per consent
//! purpose and the other purposes as information, with the policy link.

use super::dom::{append, cast, element};
use crate::consent::LegalBasis;
use crate::notice::{Field, FieldType, Notice, Purpose};
use wasm_bindgen::JsValue;
use web_sys::{Document, Element, HtmlInputElement, HtmlTextAreaElement};

/// A control that holds one field's value.
pub(crate) enum Control {
    Input(HtmlInputElement),
    TextArea(HtmlTextAreaElement),
}

impl Control {
    /// The submitted value: the text typed, or `"true"`/`""` for a checkbox.
    pub(crate) fn value(&self) -> String {
        match self {
            Self::Input(input) if input.type_() == "checkbox" => {
                if input.checked() { "true" } else { "" }.to_owned()
            }
            Self::Input(input) => input.value(),
            Self::TextArea(area) => area.value(),
        }
    }
}

/// The rendered form and handles to its controls.
pub(crate) struct Rendered {
    pub(crate) form: Element,
    pub(crate) fields: Vec<(String, Control)>,
    pub(crate) choices: Vec<(String, HtmlInputElement)>,
}

pub(crate) fn render(doc: &Document, notice: &Notice, language: &str) -> Result<Rendered, JsValue> {
    let form = element(doc, "form", &[("part", "form"), ("class", "cc-form")], None)?;
    let details = element(doc, "fieldset", &[("part", "fields")], None)?;
    append(&details, &element(doc, "legend", &[], Some("Your details"))?)?;
    let mut fields = Vec::with_capacity(notice.fields.len());
    for (index, field) in notice.fields.iter().enumerate() {
        fields.push((
            field.name.clone(),
            render_field(doc, &details, field, index, language)?,
        ));
    }
    append(&form, &details)?;

    let purposes = element(doc, "fieldset", &[("part", "purposes")], None)?;
    append(
        &purposes,
        &element(doc, "legend", &[], Some("How we use your data"))?,
    )?;
    let mut choices = Vec::new();
    for (index, purpose) in notice.purposes.iter().enumerate() {
        if let Some(checkbox) = render_purpose(doc, &purposes, purpose, index, language)? {
            choices.push((purpose.id.clone(), checkbox));
        }
    }
    let policy = element(doc, "p", &[], None)?;
    let link = [
        ("href", notice.policy_url.as_str()),
        ("target", "_blank"),
        ("rel", "noopener noreferrer"),
    ];
    append(&policy, &element(doc, "a", &link, Some("Privacy policy"))?)?;
    append(&purposes, &policy)?;
    append(&form, &purposes)?;

    append(
        &form,
        &element(
            doc,
            "button",
            &[("type", "submit"), ("part", "submit")],
            Some("Send"),
        )?,
    )?;
    Ok(Rendered {
        form,
        fields,
        choices,
    })
}

fn render_field(
    doc: &Document,
    parent: &Element,
    field: &Field,
    index: usize,
    language: &str,
) -> Result<Control, JsValue> {
    let id = format!("cc-field-{index}");
    let wrapper = element(doc, "div", &[("class", "cc-field")], None)?;
    let (tag, input_type, autocomplete) = match field.field_type {
        FieldType::Text if field.name == "name" => ("input", "text", "name"),
        FieldType::Text => ("input", "text", "on"),
        FieldType::Email => ("input", "email", "email"),
        FieldType::Tel => ("input", "tel", "tel"),
        FieldType::Date => ("input", "date", "on"),
        FieldType::Postcode => ("input", "text", "postal-code"),
        FieldType::Country => ("input", "text", "country-name"),
        FieldType::Textarea => ("textarea", "", "on"),
        FieldType::Checkbox => ("input", "checkbox", "off"),
        FieldType::Hidden => ("input", "hidden", "off"),
    };
    let mut attributes = vec![
        ("id", id.as_str()),
        ("name", field.name.as_str()),
        ("autocomplete", autocomplete),
    ];
    if !input_type.is_empty() {
        attributes.push(("type", input_type));
    }
    if field.required {
        attributes.push(("required", ""));
    }
    let control = element(doc, tag, &attributes, None)?;
    let label = element(
        doc,
        "label",
        &[("for", id.as_str())],
        Some(field.label.get(language)),
    )?;
    if field.field_type == FieldType::Checkbox {
        append(&wrapper, &control)?;
        append(&wrapper, &label)?;
    } else if field.field_type != FieldType::Hidden {
        append(&wrapper, &label)?;
        append(&wrapper, &control)?;
    } else {
        append(&wrapper, &control)?;
    }
    append(parent, &wrapper)?;
    Ok(if tag == "textarea" {
        Control::TextArea(cast(control)?)
    } else {
        Control::Input(cast(control)?)
    })
}

/// A checkbox for a consent purpose (returned), or an information block for a purpose on another basis.
fn render_purpose(
    doc: &Document,
    parent: &Element,
    purpose: &Purpose,
    index: usize,
    language: &str,
) -> Result<Option<HtmlInputElement>, JsValue> {
    let id = format!("cc-purpose-{index}");
    let description_id = format!("{id}-description");
    let wrapper = element(doc, "div", &[("class", "cc-purpose"), ("part", "purpose")], None)?;
    let checkbox = if purpose.legal_basis == LegalBasis::Consent {
        let attributes = [
            ("id", id.as_str()),
            ("type", "checkbox"),
            ("aria-describedby", description_id.as_str()),
        ];
        let checkbox = element(doc, "input", &attributes, None)?;
        append(&wrapper, &checkbox)?;
        append(
            &wrapper,
            &element(
                doc,
                "label",
                &[("for", id.as_str())],
                Some(purpose.name.get(language)),
            )?,
        )?;
        Some(cast::<HtmlInputElement>(checkbox)?)
    } else {
        append(
            &wrapper,
            &element(doc, "strong", &[], Some(purpose.name.get(language)))?,
        )?;
        append(
            &wrapper,
            &element(
                doc,
                "span",
                &[("class", "cc-basis")],
                Some(&format!(" (legal basis: {})", purpose.legal_basis.name())),
            )?,
        )?;
        None
    };
    let description = element(
        doc,
        "div",
        &[("id", description_id.as_str()), ("class", "cc-description")],
        None,
    )?;
    append(
        &description,
        &element(doc, "p", &[], Some(purpose.description.get(language)))?,
    )?;
    append(
        &description,
        &element(
            doc,
            "p",
            &[],
            Some(&format!("Kept until: {}", purpose.termination)),
        )?,
    )?;
    if !purpose.third_parties.is_empty() {
        append(
            &description,
            &element(
                doc,
                "p",
                &[],
                Some(&format!("Shared with: {}", purpose.third_parties.join(", "))),
            )?,
        )?;
    }
    append(&wrapper, &description)?;
    append(parent, &wrapper)?;
    Ok(checkbox)
}
