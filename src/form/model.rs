//! What to render, as plain data: derived from a notice, a language and how the form starts, so that it can be
//! tested without a browser. The web layer only walks it. Every string here becomes text, never markup.

use crate::receipt::last::Start;

use crate::notice::vocabulary::Decision;

use crate::json::{Object, Value};
use crate::notice::platforms::Platform;
use crate::notice::texts::{is_right_to_left, Ui};
use crate::notice::vocabulary::LegalBasis;
use crate::notice::{Field, FieldType, Notice, Purpose};
use crate::prelude::*;
use crate::receipt::view::basis_text;
use crate::text::decimal;

/// The whole form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form<'a> {
    /// The language shown (BCP 47).
    pub language: &'a str,
    /// Whether it is written right to left (`dir="rtl"`).
    pub right_to_left: bool,
    /// Shown above the form, e.g. that the notice changed since the last choice.
    pub notice_changed: Option<&'a str>,
    /// Legend of the fields group.
    pub details_legend: &'a str,
    /// The fields in notice order.
    pub fields: Vec<FieldView<'a>>,
    /// Legend of the purposes group.
    pub purposes_legend: &'a str,
    /// The purposes in notice order.
    pub purposes: Vec<PurposeView<'a>>,
    /// The policy link's text and address.
    pub policy: (&'a str, &'a str),
    /// The three buttons, equal in size and prominence: accept all, reject all, send with my choices.
    pub actions: [(Action, &'a str); 3],
    /// Announced when a submission is refused for errors.
    pub error_summary: &'a str,
}

/// What a submit button does to the consent choices before sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Tick every consent purpose (except those Global Privacy Control holds off), then send.
    AcceptAll,
    /// Untick every consent purpose, then send.
    RejectAll,
    /// Send the choices as they are.
    Save,
}

impl Action {
    /// The name used in the `value` of its button.
    pub fn name(self) -> &'static str {
        match self {
            Self::AcceptAll => "accept-all",
            Self::RejectAll => "reject-all",
            Self::Save => "save",
        }
    }

    /// The action named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::AcceptAll, Self::RejectAll, Self::Save]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

/// Which control a field gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControlKind<'a> {
    /// `<input type=… autocomplete=…>`.
    Input {
        /// The input type.
        input_type: &'static str,
        /// The autofill hint.
        autocomplete: &'static str,
    },
    /// `<textarea>`.
    TextArea,
    /// `<select>` with an empty first choice, then `(value, label)` options.
    Select {
        /// The empty first choice's text.
        placeholder: &'a str,
        /// Value and label of each option.
        options: Vec<(&'a str, &'a str)>,
    },
}

/// One field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldView<'a> {
    /// The control's element id.
    pub id: String,
    /// The id of the element that holds its error message.
    pub error_id: String,
    /// The form control name.
    pub name: &'a str,
    /// The control.
    pub control: ControlKind<'a>,
    /// The label text.
    pub label: &'a str,
    /// Shown after the label for required fields.
    pub required: Option<&'a str>,
    /// Hidden fields get no label or message.
    pub hidden: bool,
    /// The notice's `maxLength`, as the input's `maxlength`.
    pub max_length: Option<u32>,
    /// Shown after the label of a field sent as typed to ad platforms: "Shared with" and which ones (only a
    /// field that is not hashed may be, so the words need not say "as typed").
    pub sent_as_typed: Option<String>,
}

/// One purpose: a choice for consent purposes, information for the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurposeView<'a> {
    /// The purpose id in the notice.
    pub purpose_id: &'a str,
    /// The checkbox's element id (consent purposes).
    pub id: String,
    /// The id of the element that describes it.
    pub description_id: String,
    /// Its name.
    pub name: &'a str,
    /// For consent purposes, the checkbox.
    pub choice: Option<Choice<'a>>,
    /// For other purposes, `Legal basis: a contract with you`.
    pub basis: Option<String>,
    /// What is done.
    pub description: &'a str,
    /// `Kept until: …`.
    pub kept_until: String,
    /// `Shared with: …`, when anyone receives the data.
    pub shared_with: Option<String>,
}

/// A consent checkbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice<'a> {
    /// Ticked at first: only when the person granted it before under this revision.
    pub checked: bool,
    /// Why it starts off although it may have been granted: Global Privacy Control.
    pub gpc_note: Option<&'a str>,
}

impl<'a> Form<'a> {
    /// The form for `notice` in `language`, starting from `start`, with Global Privacy Control `gpc`.
    pub fn build(notice: &'a Notice, language: &'a str, start: &Start, gpc: bool) -> Self {
        let ui = |key| notice.ui(language, key);
        Self {
            language,
            right_to_left: is_right_to_left(language),
            notice_changed: start.reconsent.then(|| ui(Ui::ReconsentNote)),
            details_legend: ui(Ui::YourDetails),
            fields: notice
                .fields
                .iter()
                .enumerate()
                .map(|(i, f)| field_view(notice, f, i, language))
                .collect(),
            purposes_legend: ui(Ui::HowWeUseYourData),
            purposes: notice
                .purposes
                .iter()
                .enumerate()
                .map(|(i, p)| purpose_view(notice, p, i, language, start.decisions.get(&p.id), gpc))
                .collect(),
            policy: (ui(Ui::PrivacyPolicy), notice.policy_url.as_str()),
            actions: [
                (Action::AcceptAll, ui(Ui::AcceptAll)),
                (Action::RejectAll, ui(Ui::RejectAll)),
                (Action::Save, ui(Ui::SendWithMyChoices)),
            ],
            error_summary: ui(Ui::ErrorSummary),
        }
    }
}

fn field_view<'a>(notice: &'a Notice, field: &'a Field, index: usize, language: &'a str) -> FieldView<'a> {
    let input = |input_type, autocomplete| ControlKind::Input {
        input_type,
        autocomplete,
    };
    let control = match field.field_type {
        FieldType::Text if field.name == "name" => input("text", "name"),
        FieldType::Text if field.name == "company" || field.name == "organization" => {
            input("text", "organization")
        }
        FieldType::Text => input("text", "off"),
        FieldType::Email => input("email", "email"),
        FieldType::Tel => input("tel", "tel"),
        FieldType::Date => input("date", "off"),
        FieldType::Postcode => input("text", "postal-code"),
        FieldType::Country => input("text", "country-name"),
        FieldType::Checkbox => input("checkbox", "off"),
        FieldType::Hidden => input("hidden", "off"),
        FieldType::Textarea => ControlKind::TextArea,
        FieldType::Select => ControlKind::Select {
            placeholder: notice.ui(language, Ui::Choose),
            options: field
                .options
                .iter()
                .map(|o| (o.value.as_str(), o.label.get(language)))
                .collect(),
        },
    };
    FieldView {
        id: concat(&["cc-field-", &decimal(index as i64)]),
        error_id: concat(&["cc-field-", &decimal(index as i64), "-error"]),
        name: &field.name,
        control,
        label: field.label.get(language),
        required: field.required.then(|| notice.ui(language, Ui::Required)),
        hidden: field.field_type == FieldType::Hidden,
        max_length: field.max_length,
        sent_as_typed: (!field.sent_as_typed_to.is_empty()).then(|| {
            let platforms: Vec<&str> = Platform::AS_TYPED
                .iter()
                .filter(|(platform, _)| field.sent_as_typed_to.contains(platform))
                .map(|(_, title)| *title)
                .collect();
            concat(&[notice.ui(language, Ui::SharedWith), " ", &join(&platforms, ", ")])
        }),
    }
}

fn purpose_view<'a>(
    notice: &'a Notice,
    purpose: &'a Purpose,
    index: usize,
    language: &'a str,
    decision: Decision,
    gpc: bool,
) -> PurposeView<'a> {
    let ui = |key| notice.ui(language, key);
    let consent = purpose.legal_basis == LegalBasis::Consent;
    let basis_name = basis_text(purpose.legal_basis);
    PurposeView {
        purpose_id: &purpose.id,
        id: concat(&["cc-purpose-", &decimal(index as i64)]),
        description_id: concat(&["cc-purpose-", &decimal(index as i64), "-description"]),
        name: purpose.name.get(language),
        choice: consent.then(|| Choice {
            checked: decision == Decision::Granted,
            gpc_note: (gpc && purpose.gpc).then(|| ui(Ui::GpcNote)),
        }),
        basis: (!consent).then(|| concat(&[ui(Ui::LegalBasis), ": ", ui(basis_name)])),
        description: purpose.description.get(language),
        kept_until: concat(&[ui(Ui::KeptUntil), ": ", purpose.termination.get(language)]),
        shared_with: (!purpose.third_parties.is_empty())
            .then(|| concat(&[ui(Ui::SharedWith), ": ", &join(&purpose.third_parties, ", ")])),
    }
}

impl Form<'_> {
    /// The model as JSON, for the page's renderer (every string is text, never markup).
    pub fn to_json(&self) -> Value {
        let fields = self.fields.iter().map(FieldView::to_json).collect();
        let purposes = self.purposes.iter().map(PurposeView::to_json).collect();
        let actions = self
            .actions
            .iter()
            .map(|(action, text)| {
                Object::new()
                    .with("action", action.name())
                    .with("text", *text)
                    .into()
            })
            .collect();
        let mut form = Object::new()
            .with("language", self.language)
            .with("dir", if self.right_to_left { "rtl" } else { "ltr" })
            .with("detailsLegend", self.details_legend)
            .with("fields", Value::Array(fields))
            .with("purposesLegend", self.purposes_legend)
            .with("purposes", Value::Array(purposes))
            .with(
                "policy",
                Object::new()
                    .with("text", self.policy.0)
                    .with("href", self.policy.1),
            )
            .with("actions", Value::Array(actions))
            .with("errorSummary", self.error_summary);
        if let Some(note) = self.notice_changed {
            form.insert("noticeChanged", note);
        }
        form.into()
    }
}

impl FieldView<'_> {
    fn to_json(&self) -> Value {
        let mut field = Object::new()
            .with("id", self.id.as_str())
            .with("errorId", self.error_id.as_str())
            .with("name", self.name)
            .with("label", self.label)
            .with("hidden", self.hidden);
        if let Some(required) = self.required {
            field.insert("required", required);
        }
        if let Some(most) = self.max_length {
            field.insert("maxLength", i64::from(most));
        }
        if let Some(sent) = &self.sent_as_typed {
            field.insert("sentAsTyped", sent.as_str());
        }
        match &self.control {
            ControlKind::Input {
                input_type,
                autocomplete,
            } => {
                field.insert("control", "input");
                field.insert("type", *input_type);
                field.insert("autocomplete", *autocomplete);
            }
            ControlKind::TextArea => field.insert("control", "textarea"),
            ControlKind::Select { placeholder, options } => {
                field.insert("control", "select");
                field.insert("placeholder", *placeholder);
                let options = options
                    .iter()
                    .map(|(value, label)| Object::new().with("value", *value).with("label", *label).into());
                field.insert("options", Value::Array(options.collect()));
            }
        }
        field.into()
    }
}

impl PurposeView<'_> {
    fn to_json(&self) -> Value {
        let mut lines = Vec::new();
        if let Some(note) = self.choice.as_ref().and_then(|c| c.gpc_note) {
            lines.push(Object::new().with("text", note).with("note", true).into());
        }
        let plain = [
            self.basis.as_deref(),
            Some(self.description),
            Some(self.kept_until.as_str()),
            self.shared_with.as_deref(),
        ];
        lines.extend(
            plain
                .into_iter()
                .flatten()
                .map(|text| Object::new().with("text", text).into()),
        );
        let mut purpose = Object::new()
            .with("purpose", self.purpose_id)
            .with("id", self.id.as_str())
            .with("descriptionId", self.description_id.as_str())
            .with("name", self.name)
            .with("lines", Value::Array(lines));
        if let Some(choice) = &self.choice {
            purpose.insert(
                "choice",
                Object::new()
                    .with("checked", choice.checked)
                    .with("heldByGpc", choice.gpc_note.is_some()),
            );
        }
        purpose.into()
    }
}
