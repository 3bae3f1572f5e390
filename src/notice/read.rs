//! Reading a notice: every key checked, every problem collected with its JSON path, unknown keys refused.

use super::crm::check_crm;
use super::fields;
use super::model::{Controller, EmailPrincipal, Field, Notice, Purpose};
use super::phone::calling_code;
use super::rules::Transform;
use super::texts::read_texts;
use super::texts::{built_in, Ui};
use super::vocabulary::FieldType;
use super::vocabulary::LegalBasis;
use crate::error::{Error, ErrorKind, Errors};
use crate::json::reader::{index_path, wrong_type, ObjectReader};
use crate::json::{parse, Object, Value};
use crate::prelude::*;
use crate::text::{char_count, repeated_names};

impl Notice {
    /// Parses and validates a notice from JSON text.
    ///
    /// # Errors
    /// Every problem found, each with its JSON path.
    pub fn from_json(text: &str) -> Result<Self, Errors> {
        Self::from_value(parse(text)?)
    }

    /// Validates a notice from a parsed JSON value.
    ///
    /// # Errors
    /// Every problem found, each with its JSON path.
    pub fn from_value(value: Value) -> Result<Self, Errors> {
        read_notice(value)
    }
}

/// Google Consent Mode v2 consent types.
const CONSENT_MODE_TYPES: [&str; 7] = [
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
];

/// The postal parts of schema.org's PostalAddress, as Kantara's example uses them.
const ADDRESS_KEYS: [&str; 6] = [
    "streetAddress",
    "postOfficeBoxNumber",
    "addressLocality",
    "addressRegion",
    "postalCode",
    "addressCountry",
];

pub(super) fn read_notice(source: Value) -> Result<Notice, Errors> {
    let mut errors = Vec::new();
    let parts = read_parts(&source, &mut errors);
    match (Errors::from_vec(errors), parts) {
        (None, Some(parts)) => Ok(parts.into_notice(source)),
        (Some(errors), _) => Err(errors),
        // Every part that is not built records an error, so this cannot happen; stay total anyway.
        (None, None) => Err(Error::new(ErrorKind::Missing, "").into()),
    }
}

struct Parts {
    revision: String,
    jurisdiction: String,
    policy_url: String,
    languages: Vec<String>,
    controller: Controller,
    purposes: Vec<Purpose>,
    fields: Vec<Field>,
    ui_texts: Vec<(String, Vec<(Ui, String)>)>,
    principal: Option<EmailPrincipal>,
    calling_code: String,
    phone_country_field: Option<String>,
}

impl Parts {
    fn into_notice(self, source: Value) -> Notice {
        Notice {
            revision: self.revision,
            jurisdiction: self.jurisdiction,
            policy_url: self.policy_url,
            languages: self.languages,
            controller: self.controller,
            purposes: self.purposes,
            fields: self.fields,
            ui_texts: self.ui_texts,
            principal: self.principal,
            calling_code: self.calling_code,
            phone_country_field: self.phone_country_field,
            source,
        }
    }
}

fn read_parts(value: &Value, errors: &mut Vec<Error>) -> Option<Parts> {
    let mut r = ObjectReader::new(value, "", errors)?;
    let revision = r.required_str("revision", errors);
    let jurisdiction = r.required_str("jurisdiction", errors);
    let policy_url = r.required_str("policyUrl", errors);
    if let Some(url) = policy_url {
        check_http_url(url, &r.path_of("policyUrl"), errors);
    }
    let languages = read_languages(&mut r, errors);
    let ui_texts = read_ui_texts(&mut r, &languages, errors);
    let controller = r
        .required("controller", errors)
        .and_then(|v| read_controller(v, errors));
    let mut purposes: Vec<Purpose> = Vec::new();
    let mut purpose_paths: Vec<String> = Vec::new();
    for (i, value) in r
        .required_array("purposes", errors)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let path = index_path("purposes", i);
        if let Some(purpose) = read_purpose(value, &path, &languages, errors) {
            purposes.push(purpose);
            purpose_paths.push(path);
        }
    }
    let ids: Vec<&str> = purposes.iter().map(|p| p.id.as_str()).collect();
    for i in repeated_names(&ids) {
        errors
            .push(Error::new(ErrorKind::Duplicate, concat(&[&purpose_paths[i], ".id"])).with_detail(ids[i]));
    }
    let declared = fields::declared_purposes(value);
    let mut fields: Vec<Field> = Vec::new();
    let mut field_paths: Vec<String> = Vec::new();
    for (i, value) in r
        .required_array("fields", errors)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let path = index_path("fields", i);
        if let Some(field) = fields::read_field(value, &path, &languages, &declared, errors) {
            fields.push(field);
            field_paths.push(path);
        }
    }
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    for i in repeated_names(&names) {
        errors.push(
            Error::new(ErrorKind::Duplicate, concat(&[&field_paths[i], ".name"])).with_detail(names[i]),
        );
    }
    let principal = read_principal(&mut r, &fields, errors);
    if principal.is_none() {
        let asking = purpose_paths
            .iter()
            .zip(&purposes)
            .filter(|(_, p)| p.confirmed_address);
        for (path, _) in asking {
            errors.push(
                Error::new(ErrorKind::NotAllowed, concat(&[path, ".confirmedAddress"]))
                    .with_detail("needs a principal naming people by e-mail"),
            );
        }
    }
    let (calling_code, phone_country_field) = read_calling_code(&mut r, jurisdiction, &fields, errors);
    check_crm(&mut r, errors);
    r.finish(errors);
    let (Some(revision), Some(jurisdiction), Some(policy_url), Some(controller)) =
        (revision, jurisdiction, policy_url, controller)
    else {
        return None;
    };
    Some(Parts {
        revision: revision.to_owned(),
        jurisdiction: jurisdiction.to_owned(),
        policy_url: policy_url.to_owned(),
        languages,
        controller,
        purposes,
        fields,
        ui_texts,
        principal,
        calling_code,
        phone_country_field,
    })
}

/// `phoneCountry` (ISO 3166-1 alpha-2) gives phone numbers typed without a country code theirs; without it,
/// the jurisdiction does. `phoneCountryField` names a field of the form whose value (an alpha-2 code, as a
/// select's option values are) gives it first. Only fields whose transform hashes a phone number need one of
/// them: with none, such a number is a field error for the person, never a guess.
fn read_calling_code(
    r: &mut ObjectReader<'_>,
    jurisdiction: Option<&str>,
    fields: &[Field],
    errors: &mut Vec<Error>,
) -> (String, Option<String>) {
    let path = r.path_of("phoneCountry");
    let code = match r.optional_str("phoneCountry", errors) {
        Some(country) => {
            let code = calling_code(country);
            if code.is_none() {
                errors.push(Error::new(ErrorKind::NotAllowed, path.clone()).with_detail(country));
            }
            code
        }
        None => jurisdiction.and_then(calling_code),
    };
    let field_path = r.path_of("phoneCountryField");
    let field = r.optional_str("phoneCountryField", errors).map(str::to_owned);
    if let Some(name) = &field {
        if !fields.iter().any(|f| f.name == *name) {
            errors.push(Error::new(ErrorKind::NotAllowed, field_path).with_detail("not a declared field"));
        }
    }
    let needed = fields.iter().any(|f| f.transform.hashes_phone());
    if needed && code.is_none() && field.is_none() && errors.iter().all(|e| e.at() != path) {
        errors.push(Error::new(ErrorKind::Missing, path).with_detail(
            "a hashed phone number needs a country (phoneCountry or phoneCountryField) when the jurisdiction is not one",
        ));
    }
    (code.unwrap_or_default().to_owned(), field)
}

/// `principal`: `{"emailField": "email", "salt": "…"}` names the person in receipts by a salted e-mail hash.
fn read_principal(
    r: &mut ObjectReader<'_>,
    fields: &[Field],
    errors: &mut Vec<Error>,
) -> Option<EmailPrincipal> {
    let path = r.path_of("principal");
    let mut p = ObjectReader::new(r.get("principal")?, path, errors)?;
    let field = p.required_str("emailField", errors);
    if let Some(name) = field {
        // Sent as typed, so that a receiver can recompute the hash from the address that arrived: a hash it
        // could not check would let anyone write any person's state.
        if !fields
            .iter()
            .any(|f| f.name == name && f.field_type == FieldType::Email && f.transform == Transform::Keep)
        {
            errors.push(
                Error::new(ErrorKind::NotAllowed, p.path_of("emailField"))
                    .with_detail("not a declared email field sent as typed"),
            );
        }
    }
    let salt = p.required_str("salt", errors);
    if salt.is_some_and(|s| char_count(s.as_bytes()) < 16) {
        errors
            .push(Error::new(ErrorKind::NotAllowed, p.path_of("salt")).with_detail("at least 16 characters"));
    }
    p.finish(errors);
    Some(EmailPrincipal {
        field: field?.to_owned(),
        salt: salt?.to_owned(),
    })
}

fn read_languages(r: &mut ObjectReader<'_>, errors: &mut Vec<Error>) -> Vec<String> {
    let path = r.path_of("languages");
    let items = r.required_array("languages", errors).unwrap_or(&[]);
    let mut languages: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = index_path(&path, i);
        match item.as_str() {
            Some(tag) if !is_language_tag(tag) => {
                errors.push(Error::new(ErrorKind::NotAllowed, at).with_detail("not a BCP 47 tag"));
            }
            Some(tag) if languages.iter().any(|l| l.eq_ignore_ascii_case(tag)) => {
                errors.push(Error::new(ErrorKind::Duplicate, at).with_detail(tag));
            }
            Some(tag) => languages.push(tag.to_owned()),
            None => errors.push(wrong_type(&at, "a string", item)),
        }
    }
    if items.is_empty() {
        errors.push(Error::new(ErrorKind::Empty, path));
    }
    languages
}

/// BCP 47 shape: subtags of 1 to 8 letters or digits, the first alphabetic (`en`, `de-CH`, `zh-Hant-TW`).
fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|s| (2..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok && subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `texts`: per language, interface texts that replace the built-in ones; required in full for a language
/// that is not built in.
fn read_ui_texts(
    r: &mut ObjectReader<'_>,
    languages: &[String],
    errors: &mut Vec<Error>,
) -> Vec<(String, Vec<(Ui, String)>)> {
    let path = r.path_of("texts");
    let empty = Value::Object(Object::new());
    let value = r.get("texts").unwrap_or(&empty);
    let Some(mut by_language) = ObjectReader::new(value, path.clone(), errors) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for language in languages {
        let mut texts = Vec::new();
        if let Some(value) = by_language.get(language) {
            let Some(mut keys) = ObjectReader::new(value, by_language.path_of(language), errors) else {
                continue;
            };
            for (ui, name) in Ui::ALL {
                if let Some(text) = keys.optional_str(name, errors) {
                    texts.push((ui, text.to_owned()));
                }
            }
            keys.finish(errors);
        }
        for (ui, name) in Ui::ALL {
            let given = |ui| texts.iter().any(|(key, _)| *key == ui);
            if built_in(language, ui).is_none() && !given(ui) && !ui.fallback().is_some_and(given) {
                let at = concat(&[&by_language.path_of(language), ".", name]);
                errors.push(
                    Error::new(ErrorKind::MissingTranslation, at)
                        .with_detail(concat(&[language, " is not built in"])),
                );
            }
        }
        out.push((language.clone(), texts));
    }
    by_language.finish(errors);
    out
}

fn read_controller(value: &Value, errors: &mut Vec<Error>) -> Option<Controller> {
    let mut r = ObjectReader::new(value, "controller", errors)?;
    let name = r.required_str("name", errors);
    let contact = r.required_str("contact", errors);
    let address = r
        .required("address", errors)
        .and_then(|v| read_address(v, &r.path_of("address"), errors));
    let email = r.required_str("email", errors);
    let phone = r.required_str("phone", errors);
    let url = r.optional_str("url", errors);
    if let Some(url) = url {
        check_http_url(url, &r.path_of("url"), errors);
    }
    r.finish(errors);
    let (Some(name), Some(contact), Some(address), Some(email), Some(phone)) =
        (name, contact, address, email, phone)
    else {
        return None;
    };
    Some(Controller {
        name: name.to_owned(),
        contact: contact.to_owned(),
        address,
        email: email.to_owned(),
        phone: phone.to_owned(),
        url: url.map(str::to_owned),
    })
}

fn read_address(value: &Value, path: &str, errors: &mut Vec<Error>) -> Option<Object> {
    let mut r = ObjectReader::new(value, path, errors)?;
    let mut address = Object::new();
    for key in ADDRESS_KEYS {
        if let Some(part) = r.optional_str(key, errors) {
            address.insert(key, part);
        }
    }
    r.finish(errors);
    Some(address)
}

fn read_purpose(value: &Value, path: &str, languages: &[String], errors: &mut Vec<Error>) -> Option<Purpose> {
    let mut r = ObjectReader::new(value, path, errors)?;
    let id = r.required_identifier("id", errors);
    let legal_basis = r.required_one_of("legalBasis", LegalBasis::from_name, errors);
    let name = read_texts(&mut r, "name", languages, errors);
    let description = read_texts(&mut r, "description", languages, errors);
    let purpose_category = r.optional_str_list("purposeCategory", errors);
    let pii_category = r.optional_str_list("piiCategory", errors);
    let termination = read_texts(&mut r, "termination", languages, errors);
    let third_parties = r.optional_str_list("thirdParties", errors);
    let sensitive = r.optional_bool("sensitive", errors);
    let gpc = r.optional_bool("gpc", errors);
    let confirmed_address = r.optional_bool("confirmedAddress", errors);
    let consent_mode_path = r.path_of("consentMode");
    let consent_mode = r.optional_str_list("consentMode", errors);
    for (i, kind) in consent_mode.iter().enumerate() {
        if !CONSENT_MODE_TYPES.contains(&kind.as_str()) {
            errors
                .push(Error::new(ErrorKind::NotAllowed, index_path(&consent_mode_path, i)).with_detail(kind));
        }
    }
    if !consent_mode.is_empty() && legal_basis.is_some_and(|b| b != LegalBasis::Consent) {
        errors.push(
            Error::new(ErrorKind::NotAllowed, consent_mode_path)
                .with_detail("only consent purposes drive Consent Mode"),
        );
    }
    r.finish(errors);
    let (Some(id), Some(legal_basis), Some(name), Some(description), Some(termination)) =
        (id, legal_basis, name, description, termination)
    else {
        return None;
    };
    Some(Purpose {
        id: id.to_owned(),
        legal_basis,
        name,
        description,
        purpose_category,
        pii_category,
        termination,
        third_parties,
        sensitive,
        gpc,
        consent_mode,
        confirmed_address,
    })
}

/// Refuses `javascript:`, `data:` and relative URLs: a notice's links must lead to a web page.
fn check_http_url(url: &str, path: &str, errors: &mut Vec<Error>) {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let has_host = rest.is_some_and(|r| {
        r.split(['/', '?', '#'])
            .next()
            .is_some_and(|host| !host.is_empty())
    });
    if !has_host || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.push(Error::new(ErrorKind::NotHttpUrl, path));
    }
}
