//! The notice a site writes (controller, purposes, fields, texts per language), read from JSON into a
//! [`Notice`] that can only exist valid. Every problem is reported in one pass, each with its JSON path.

use crate::consent::LegalBasis;
use crate::error::{Error, ErrorKind, Errors};
use crate::json::reader::{index_path, str_list, wrong_type, ObjectReader};
use crate::json::{parse, Object, Value};

/// A validated notice.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Notice {
    /// A string the site changes whenever the notice changes; stored decisions under another revision are
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
    /// Kantara purpose categories, e.g. `2 - Contracted Service`.
    pub purpose_category: Vec<String>,
    /// Kantara PII categories, e.g. `2 - Contact`.
    pub pii_category: Vec<String>,
    /// When processing ends, e.g. `2 years after the last contact`.
    pub termination: String,
    /// Names of third parties that receive the data.
    pub third_parties: Vec<String>,
    /// Whether special-category (sensitive) data is processed.
    pub sensitive: bool,
}

/// The kinds of form field a notice can declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A single line of text.
    Text,
    /// An e-mail address.
    Email,
    /// A phone number.
    Tel,
    /// A calendar date.
    Date,
    /// A postal code.
    Postcode,
    /// A country.
    Country,
    /// Several lines of text.
    Textarea,
    /// A yes/no box (not a consent choice: those come from purposes).
    Checkbox,
    /// A value the site sets, not shown.
    Hidden,
}

impl FieldType {
    const ALL: [(Self, &'static str); 9] = [
        (Self::Text, "text"),
        (Self::Email, "email"),
        (Self::Tel, "tel"),
        (Self::Date, "date"),
        (Self::Postcode, "postcode"),
        (Self::Country, "country"),
        (Self::Textarea, "textarea"),
        (Self::Checkbox, "checkbox"),
        (Self::Hidden, "hidden"),
    ];

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
    }
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
}

/// A text in every language of the notice.
#[derive(Clone, Debug, PartialEq)]
pub struct Texts(Vec<(String, String)>);

impl Texts {
    /// The text in `language`, falling back to the notice's default language.
    pub fn get(&self, language: &str) -> &str {
        self.0
            .iter()
            .find(|(tag, _)| tag == language)
            .or_else(|| self.0.first())
            .map_or("", |(_, text)| text)
    }
}

impl Notice {
    /// Parses and validates a notice from JSON text.
    ///
    /// # Errors
    /// Every problem found, each with its JSON path.
    pub fn from_json(text: &str) -> Result<Self, Errors> {
        Self::from_value(&parse(text)?)
    }

    /// Validates a notice from a parsed JSON value.
    ///
    /// # Errors
    /// Every problem found, each with its JSON path.
    pub fn from_value(value: &Value) -> Result<Self, Errors> {
        let mut errors = Vec::new();
        let notice = read_notice(value, &mut errors);
        match (Errors::from_vec(errors), notice) {
            (None, Some(notice)) => Ok(notice),
            (Some(errors), _) => Err(errors),
            // A notice is only built when every part was read, which records an error otherwise.
            (None, None) => Err(Error::new(ErrorKind::Missing, "").into()),
        }
    }

    /// The purpose with `id`.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The language to show: `wanted` if the notice has it (or its primary subtag), else the default.
    pub fn pick_language<'a>(&'a self, wanted: &[&str]) -> &'a str {
        for tag in wanted {
            let primary = tag.split('-').next().unwrap_or(tag);
            let found = self
                .languages
                .iter()
                .find(|l| l.eq_ignore_ascii_case(tag))
                .or_else(|| {
                    self.languages.iter().find(|l| {
                        l.split('-')
                            .next()
                            .is_some_and(|p| p.eq_ignore_ascii_case(primary))
                    })
                });
            if let Some(language) = found {
                return language;
            }
        }
        self.languages.first().map_or("", String::as_str)
    }
}

fn read_notice(value: &Value, errors: &mut Vec<Error>) -> Option<Notice> {
    let mut r = ObjectReader::new(value, "", errors)?;
    let revision = r.required_str("revision", errors);
    let jurisdiction = r.required_str("jurisdiction", errors);
    let policy_url = r.required_str("policyUrl", errors);
    if let Some(url) = policy_url {
        check_http_url(url, &r.path_of("policyUrl"), errors);
    }
    let languages = read_languages(&mut r, errors);
    let controller = r
        .required("controller", errors)
        .and_then(|v| read_controller(v, errors));
    let mut purposes: Vec<Purpose> = Vec::new();
    for (i, value) in r
        .required_array("purposes", errors)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let path = index_path("purposes", i);
        if let Some(purpose) = read_purpose(value, &path, &languages, errors) {
            if purposes.iter().any(|p| p.id == purpose.id) {
                errors.push(Error::new(ErrorKind::Duplicate, format!("{path}.id")).with_detail(&purpose.id));
            }
            purposes.push(purpose);
        }
    }
    let declared = declared_purposes(value);
    let mut fields: Vec<Field> = Vec::new();
    for (i, value) in r
        .required_array("fields", errors)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let path = index_path("fields", i);
        if let Some(field) = read_field(value, &path, &languages, &declared, errors) {
            if fields.iter().any(|f| f.name == field.name) {
                errors
                    .push(Error::new(ErrorKind::Duplicate, format!("{path}.name")).with_detail(&field.name));
            }
            fields.push(field);
        }
    }
    r.finish(errors);
    Some(Notice {
        revision: revision?.to_owned(),
        jurisdiction: jurisdiction?.to_owned(),
        policy_url: policy_url?.to_owned(),
        languages,
        controller: controller?,
        purposes,
        fields,
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
            Some(tag) if languages.iter().any(|l| l == tag) => {
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
    Some(Controller {
        name: name?.to_owned(),
        contact: contact?.to_owned(),
        address: address?,
        email: email?.to_owned(),
        phone: phone?.to_owned(),
        url: url.map(str::to_owned),
    })
}

/// The postal parts of schema.org's PostalAddress, as Kantara's example uses them.
const ADDRESS_KEYS: [&str; 6] = [
    "streetAddress",
    "postOfficeBoxNumber",
    "addressLocality",
    "addressRegion",
    "postalCode",
    "addressCountry",
];

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
    let id = r.required_str("id", errors);
    let legal_basis = r.required_str("legalBasis", errors).and_then(|name| {
        let basis = LegalBasis::from_name(name);
        if basis.is_none() {
            errors.push(Error::new(ErrorKind::NotAllowed, r.path_of("legalBasis")).with_detail(name));
        }
        basis
    });
    let name = read_texts(&mut r, "name", languages, errors);
    let description = read_texts(&mut r, "description", languages, errors);
    let purpose_category = r.optional_str_list("purposeCategory", errors);
    let pii_category = r.optional_str_list("piiCategory", errors);
    let termination = r.required_str("termination", errors);
    let third_parties = r.optional_str_list("thirdParties", errors);
    let sensitive = r.optional_bool("sensitive", errors);
    r.finish(errors);
    Some(Purpose {
        id: id?.to_owned(),
        legal_basis: legal_basis?,
        name: name?,
        description: description?,
        purpose_category,
        pii_category,
        termination: termination?.to_owned(),
        third_parties,
        sensitive,
    })
}

/// Each declared purpose id with its legal basis (when valid), read apart from the rest of the purpose so
/// that one broken purpose does not make every field that names it look wrong too.
fn declared_purposes(notice: &Value) -> Vec<(&str, Option<LegalBasis>)> {
    let purposes = notice
        .as_object()
        .and_then(|o| o.get("purposes"))
        .and_then(Value::as_array)
        .unwrap_or(&[]);
    purposes
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|p| {
            let id = p.get("id")?.as_str()?;
            Some((
                id,
                p.get("legalBasis")
                    .and_then(Value::as_str)
                    .and_then(LegalBasis::from_name),
            ))
        })
        .collect()
}

fn read_field(
    value: &Value,
    path: &str,
    languages: &[String],
    purposes: &[(&str, Option<LegalBasis>)],
    errors: &mut Vec<Error>,
) -> Option<Field> {
    let mut r = ObjectReader::new(value, path, errors)?;
    let name = r.required_str("name", errors);
    let field_type = r.required_str("type", errors).and_then(|t| {
        let field_type = FieldType::from_name(t);
        if field_type.is_none() {
            errors.push(Error::new(ErrorKind::NotAllowed, r.path_of("type")).with_detail(t));
        }
        field_type
    });
    let label = read_texts(&mut r, "label", languages, errors);
    let required = r.optional_bool("required", errors);
    let purposes_path = r.path_of("purposes");
    let field_purposes = str_list(
        r.required_array("purposes", errors).unwrap_or(&[]),
        &purposes_path,
        errors,
    );
    if field_purposes.is_empty() {
        errors
            .push(Error::new(ErrorKind::Empty, purposes_path.clone()).with_detail("a field needs a purpose"));
    }
    for (i, id) in field_purposes.iter().enumerate() {
        if !purposes.iter().any(|(declared, _)| declared == id) {
            errors.push(Error::new(ErrorKind::UnknownPurpose, index_path(&purposes_path, i)).with_detail(id));
        }
    }
    let only_consent = field_purposes.iter().all(|id| {
        purposes
            .iter()
            .any(|(declared, basis)| declared == id && *basis == Some(LegalBasis::Consent))
    });
    if required && only_consent && !field_purposes.is_empty() {
        errors.push(Error::new(ErrorKind::ConsentNotFree, r.path_of("required")));
    }
    r.finish(errors);
    Some(Field {
        name: name?.to_owned(),
        field_type: field_type?,
        label: label?,
        required,
        purposes: field_purposes,
    })
}

/// A text given in every declared language, and in no other.
fn read_texts(
    r: &mut ObjectReader<'_>,
    key: &'static str,
    languages: &[String],
    errors: &mut Vec<Error>,
) -> Option<Texts> {
    let path = r.path_of(key);
    let mut texts = ObjectReader::new(r.required(key, errors)?, path.clone(), errors)?;
    let mut out = Vec::with_capacity(languages.len());
    for language in languages {
        match texts.get(language) {
            Some(_) => {
                if let Some(text) = texts.optional_str(language, errors) {
                    out.push((language.clone(), text.to_owned()));
                }
            }
            None => {
                errors.push(Error::new(ErrorKind::MissingTranslation, path.clone()).with_detail(language))
            }
        }
    }
    texts.finish(errors);
    Some(Texts(out))
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
