//! What a valid notice holds: its controller, purposes and fields, with its texts per language (reading one
//! from JSON is `read`'s).

use super::phone::calling_code;
use super::platforms::Platform;
use crate::prelude::*;

use super::rules::Transform;
use super::texts::{built_in, primary_subtag, Texts, Ui};
use super::vocabulary::{FieldType, LegalBasis};
use crate::json::{Object, Value};

/// A validated notice.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Notice {
    /// A string the site changes whenever the notice changes; decisions stored under another revision are
    /// asked again.
    pub revision: String,
    /// Where the controller is established, e.g. `GB` or `DE`.
    pub jurisdiction: String,
    /// The privacy policy, an absolute http(s) URL.
    pub policy_url: String,
    /// BCP 47 tags of the languages every text is given in; the first is the default.
    pub languages: Vec<String>,
    /// Who is responsible for the data.
    pub controller: Controller,
    /// Why data is collected.
    pub purposes: Vec<Purpose>,
    /// What is collected.
    pub fields: Vec<Field>,
    /// Interface texts that replace or complete the built-in ones, per language.
    pub ui_texts: Vec<(String, Vec<(Ui, String)>)>,
    /// How receipts name the person: by default the device key's thumbprint; optionally a salted hash of an
    /// e-mail field.
    pub principal: Option<EmailPrincipal>,
    /// The calling code for phone numbers typed without one: of `phoneCountry`, else of the jurisdiction
    /// (empty when neither is a country and no field needs it).
    pub calling_code: String,
    /// The field (`phoneCountryField`) whose value, an ISO 3166-1 alpha-2 code, gives phone numbers typed without
    /// a country code theirs, before `calling_code`.
    pub phone_country_field: Option<String>,
    /// The notice as written, for hashing exactly what was shown.
    pub source: Value,
}

/// Receipts name the person by `SHA-256(salt ":" normalised e-mail)` of this field, when it was sent.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct EmailPrincipal {
    /// The e-mail field.
    pub field: String,
    /// The notice's salt (at least 16 characters).
    pub salt: String,
}

/// The data controller, with the contact details a consent receipt requires.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Controller {
    /// The organisation's name.
    pub name: String,
    /// A contact person or role.
    pub contact: String,
    /// Postal address parts (schema.org PostalAddress keys), kept as given.
    pub address: Object,
    /// Contact e-mail.
    pub email: String,
    /// Contact phone.
    pub phone: String,
    /// The organisation's web site, if given.
    pub url: Option<String>,
}

/// One purpose of processing.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Purpose {
    /// Identifier used by fields and decisions.
    pub id: String,
    /// Why processing is lawful.
    pub legal_basis: LegalBasis,
    /// Short name per language.
    pub name: Texts,
    /// What is done, per language.
    pub description: Texts,
    /// Kantara purpose categories, e.g. `2 - Contracted Service` (free text, as the spec's labels drift).
    pub purpose_category: Vec<String>,
    /// Kantara PII categories, e.g. `2 - Contact`.
    pub pii_category: Vec<String>,
    /// When processing ends, per language, e.g. `2 years after the last contact`.
    pub termination: Texts,
    /// Names of third parties that receive the data.
    pub third_parties: Vec<String>,
    /// Whether special-category (sensitive) data is processed.
    pub sensitive: bool,
    /// Sale, sharing or targeted advertising under US state law: Global Privacy Control turns it off at first.
    pub gpc: bool,
    /// Google Consent Mode v2 types that follow this purpose's decision.
    pub consent_mode: Vec<String>,
    /// Double opt-in: the receiver counts a grant for this purpose only from a device key whose person
    /// confirmed the e-mail address that names them (by a link mailed to it). Only in notices with a principal.
    pub confirmed_address: bool,
}

/// One option of a select field.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SelectOption {
    /// The submitted value.
    pub value: String,
    /// What the person reads, per language.
    pub label: Texts,
}

/// One form field.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Field {
    /// The form control name, and the key in the payload.
    pub name: String,
    /// What kind of control.
    pub field_type: FieldType,
    /// The label per language.
    pub label: Texts,
    /// Whether the person must fill it in.
    pub required: bool,
    /// Ids of the purposes that justify collecting it.
    pub purposes: Vec<String>,
    /// What happens to the value before it leaves (default `keep`).
    pub transform: Transform,
    /// The choices of a select field (empty for other types).
    pub options: Vec<SelectOption>,
    /// The most characters its value may have: the form's input takes no more, and a receiver refuses more
    /// (a receiver's own limit still applies when it is lower).
    pub max_length: Option<u32>,
    /// The ad platforms it goes to as typed, to match people (Google's country and postcode, LinkedIn's
    /// names): the form says so beside its label.
    pub sent_as_typed_to: Vec<Platform>,
}

impl Notice {
    /// The purpose with `id`.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The calling code that phone numbers typed without one get in a submission of `values`: the country in
    /// the form's `phoneCountryField` when it names one, else the notice's own (empty: none, and such a number
    /// is refused rather than guessed at).
    pub fn calling_code_for<'a>(&'a self, values: &[(String, String)]) -> &'a str {
        let chosen = self.phone_country_field.as_ref().and_then(|field| {
            let (_, value) = values.iter().find(|(name, _)| name == field)?;
            calling_code(value.trim())
        });
        chosen.unwrap_or(&self.calling_code)
    }

    /// The interface text `ui` in `language`: the notice's own (or, for a key added after the notice was
    /// written, the one it falls back to), else the built-in one. Validation made sure one of them exists for
    /// every declared language.
    pub fn ui(&self, language: &str, ui: Ui) -> &str {
        self.ui_texts
            .iter()
            .find(|(tag, _)| tag == language)
            .and_then(|(_, texts)| {
                let given = |ui| texts.iter().find(|(key, _)| *key == ui);
                given(ui).or_else(|| ui.fallback().and_then(given))
            })
            .map(|(_, text)| text.as_str())
            .or_else(|| built_in(language, ui))
            .unwrap_or_default()
    }

    /// The language to show: the first of `wanted` the notice has (exactly, or by primary subtag), else the
    /// notice's default.
    pub fn pick_language<'a>(&'a self, wanted: &[&str]) -> &'a str {
        for tag in wanted {
            let exact = self.languages.iter().find(|l| l.eq_ignore_ascii_case(tag));
            let found = exact.or_else(|| {
                self.languages
                    .iter()
                    .find(|l| primary_subtag(l).eq_ignore_ascii_case(primary_subtag(tag)))
            });
            if let Some(language) = found {
                return language;
            }
        }
        self.languages.first().map_or("", String::as_str)
    }
}
