//! Reading a description against the notice that configures it. Settings (`{name}` in any string of the
//! description) are filled in from the notice's `crm.<name>` section; every field and purpose a template
//! names must be declared there; `$fields` and `$purposes` are unrolled over the notice's declared fields and
//! the purposes a setting maps, so that what is left for each submission is lookups only. Every problem is
//! reported with its place: `destination.…` in the description, `crm.<name>.…` in the notice.

use super::facts::NoticeFacts;
use super::model::{Afterwards, Call, Destination, Encoding, Runs};
use crate::error::{Error, ErrorKind, Errors};
use crate::jose::sha256::sha256_base64url;
use crate::json::canonical::to_canonical_string;
use crate::json::reader::{index_path, key_path, wrong_type, ObjectReader};
use crate::json::{parse, Object, Value};
use crate::prelude::*;

/// What an evidence lookup may name (see `destination.schema.json`).
pub(super) const EVIDENCE: [&str; 17] = [
    "receipt",
    "receiptId",
    "principal",
    "noticeSha256",
    "revision",
    "controller",
    "language",
    "pageUri",
    "pageName",
    "consentTime",
    "consentTimeMs",
    "consentTimeIso",
    "relayedConsentTimeMs",
    "hasFields",
    "decisions",
    "fields",
    "contact",
];

/// The SHA-256 a receipt names for the description `source`: of its canonical JSON, in base64url, so that
/// neither its layout nor its keys' order changes it.
pub fn description_sha256(source: &Value) -> String {
    sha256_base64url(to_canonical_string(source).as_bytes())
}

/// What a template is repeated over: one declared field (its notice name, its name at the CRM), or one
/// purpose a setting maps (its id, the CRM's value for it).
enum Item<'a> {
    Field(&'a str, String),
    Purpose(&'a str, &'a Value),
}

impl Destination {
    /// Reads `description` (JSON) against `notice`; `endpoint`, when given, is where its requests go instead
    /// of the description's URL (a site's own endpoint, a proxy, a stand-in).
    ///
    /// # Errors
    /// Every problem of the description and of the notice's settings for it, each with its place.
    pub fn bind(description: &str, notice: &NoticeFacts, endpoint: Option<&str>) -> Result<Self, Errors> {
        Self::bind_relayed(description, notice, endpoint, None)
    }

    /// [`Destination::bind`] for the relay, which may also point the CRM's API (`{api}` in a withdrawal's or an
    /// erasure's URL: the description's `api` otherwise) elsewhere: a sandbox, another data centre, a stand-in.
    ///
    /// # Errors
    /// As [`Destination::bind`].
    pub fn bind_relayed(
        description: &str,
        notice: &NoticeFacts,
        endpoint: Option<&str>,
        api: Option<&str>,
    ) -> Result<Self, Errors> {
        let mut errors = Vec::new();
        let source = parse(description).map_err(Errors::from)?;
        let bound = Binder::read(&source, notice, endpoint, api, &mut errors);
        match Errors::from_vec(errors) {
            Some(errors) => Err(errors),
            // Every part left out is reported, so a description without errors is whole.
            None => bound.ok_or_else(|| Error::new(ErrorKind::Missing, "destination").into()),
        }
    }

    /// This destination if a page may make its requests.
    ///
    /// # Errors
    /// When it needs a secret or says it runs only in the receiver.
    pub fn for_browser(self) -> Result<Self, Error> {
        if self.runs == Runs::Receiver || !self.secrets.is_empty() {
            return Err(Error::new(ErrorKind::NotAllowed, "destination.runs")
                .with_detail("it needs a secret: send through the receiver (--relay)"));
        }
        Ok(self)
    }
}

struct Binder<'a> {
    notice: &'a NoticeFacts,
    /// Text settings, `endpoint` among them when given.
    texts: Vec<(String, String)>,
    /// The `fields` setting: notice field name → the CRM's name.
    field_names: Vec<(String, String)>,
    /// Whether `$fields` repeats over the fields the `fields` setting names only (kind `only-fields`), not
    /// over every declared field.
    only_mapped_fields: bool,
    /// Settings of kind `purposes`: their name, and purpose id → the CRM's value.
    purpose_maps: Vec<(String, Vec<(String, Value)>)>,
    /// The secrets the request being read names.
    secrets: Vec<String>,
    /// Whether the request being read is a withdrawal's or an erasure's, which may name the contact.
    afterwards: bool,
    /// Whether the request being read names the contact.
    names_contact: bool,
    /// The text settings the notice left to the description's default.
    defaulted: Vec<String>,
}

impl<'a> Binder<'a> {
    fn read(
        source: &Value,
        notice: &'a NoticeFacts,
        endpoint: Option<&str>,
        api: Option<&str>,
        errors: &mut Vec<Error>,
    ) -> Option<Destination> {
        let mut r = ObjectReader::new(source, "destination", errors)?;
        let name = r.required_identifier("name", errors);
        r.get("title");
        r.get("deduplication");
        r.get("$schema");
        let api_path = r.path_of("api");
        let api = api.or(r.optional_str("api", errors));
        let runs = r.required_one_of(
            "runs",
            |n| Runs::ALL.iter().find(|(_, s)| *s == n).map(|(v, _)| *v),
            errors,
        );
        let mut binder = Binder {
            notice,
            texts: Vec::new(),
            field_names: Vec::new(),
            only_mapped_fields: false,
            purpose_maps: Vec::new(),
            secrets: Vec::new(),
            afterwards: false,
            names_contact: false,
            defaulted: Vec::new(),
        };
        if let Some(endpoint) = endpoint {
            binder.texts.push(("endpoint".into(), endpoint.into()));
        }
        if let Some(api) = api {
            if !(api.starts_with("https://") || api.starts_with("http://")) {
                errors.push(Error::new(ErrorKind::NotHttpUrl, api_path));
            }
            binder
                .texts
                .push(("api".into(), api.trim_end_matches('/').into()));
        }
        let settings_path = r.path_of("settings");
        let settings = r.get("settings");
        if let Some(name) = name {
            binder.settings(settings, &settings_path, name, errors);
        }
        let contact_path = r.path_of("contact");
        let contact = r.optional_str("contact", errors);
        // A contact left to a setting's default (`{emailField}`: "email") in a notice without that field is no
        // mistake of the notice's: the requests that need it are refused (below) with what to do by hand.
        let undeclared_default = contact.and_then(|text| {
            let setting = text.strip_prefix('{')?.strip_suffix('}')?;
            let name = binder.texts.iter().find(|(n, _)| n == setting)?.1.clone();
            (binder.defaulted.iter().any(|d| d == setting) && !notice.has_field(&name)).then_some(name)
        });
        let contact = match &undeclared_default {
            Some(_) => None,
            None => contact.map(|name| binder.declared_field(&Value::from(name), &contact_path, errors)),
        };
        let submit = r.required("submit", errors);
        let submit_path = r.path_of("submit");
        let mut max_age_days = None;
        let submit = submit
            .and_then(|value| binder.call(value, &submit_path, endpoint, Some(&mut max_age_days), errors));
        binder.afterwards = true;
        let withdrawal_path = r.path_of("withdrawal");
        let withdrawal = match r.required("withdrawal", errors) {
            Some(Value::String(s)) if s == "as-submit" => submit.clone().map(|call| Afterwards::Call {
                call,
                otherwise: String::new(),
            }),
            Some(value) => binder.afterwards(value, &withdrawal_path, errors),
            None => None,
        };
        if let Some(Afterwards::Call { call, .. }) = &withdrawal {
            let relayed = call.needs_contact || !call.secrets.is_empty();
            if relayed && runs != Some(Runs::Receiver) {
                errors.push(Error::new(ErrorKind::NotAllowed, withdrawal_path.clone()).with_detail(
                    "a withdrawal that names the contact or a secret is made by the relay: the destination runs \"receiver\"",
                ));
            }
        }
        let erasure_path = r.path_of("erasure");
        let erasure = r
            .required("erasure", errors)
            .and_then(|value| binder.afterwards(value, &erasure_path, errors));
        let without_contact = |later: Option<Afterwards>, path: &str, errors: &mut Vec<Error>| match later {
            Some(Afterwards::Call { call, otherwise }) if call.needs_contact && contact.is_none() => {
                match &undeclared_default {
                    Some(field) => Some(Afterwards::Refused(concat(&[
                        "the notice declares no ",
                        field,
                        " field to name the person by: ",
                        &otherwise,
                    ]))),
                    None => {
                        errors.push(Error::new(ErrorKind::Missing, path).with_detail(
                            "it names the contact: the description says which field is the contact (\"contact\")",
                        ));
                        None
                    }
                }
            }
            other => other,
        };
        let withdrawal = without_contact(withdrawal, &withdrawal_path, errors);
        let erasure = without_contact(erasure, &erasure_path, errors);
        r.finish(errors);
        let mut secrets = submit
            .as_ref()
            .map(|call| call.secrets.clone())
            .unwrap_or_default();
        if let Some(Afterwards::Call { call, .. }) = &withdrawal {
            secrets.extend(
                call.secrets
                    .iter()
                    .filter(|s| !secrets.contains(s))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
        Some(Destination {
            name: name?.to_owned(),
            runs: runs?,
            sha256: description_sha256(source),
            submit: submit?,
            max_age_days,
            withdrawal: withdrawal?,
            erasure: erasure?,
            contact,
            secrets,
            field_names: binder.field_names,
        })
    }

    /// A withdrawal's or an erasure's `{"refuse": "…"}`, or its request with `"otherwise"`: what to do by hand
    /// when the relay cannot make it.
    fn afterwards(&mut self, value: &Value, path: &str, errors: &mut Vec<Error>) -> Option<Afterwards> {
        match refusal(value, path, errors)? {
            Ok(why) => Some(Afterwards::Refused(why)),
            Err(()) => {
                let given = value.as_object()?;
                let mut request = Object::new();
                for (key, member) in given.iter().filter(|(key, _)| *key != "otherwise") {
                    request.insert(key, member.clone());
                }
                let otherwise = match given.get("otherwise").cloned() {
                    Some(Value::String(text)) if !text.is_empty() => Some(text),
                    other => {
                        let at = key_path(path, "otherwise");
                        errors.push(match other {
                            Some(other) => {
                                wrong_type(&at, "what to do by hand, when the relay cannot", &other)
                            }
                            None => Error::new(ErrorKind::Missing, at),
                        });
                        None
                    }
                };
                let call = self.call(&Value::Object(request), path, None, None, errors);
                Some(Afterwards::Call {
                    call: call?,
                    otherwise: otherwise?,
                })
            }
        }
    }

    /// The description's `settings` (name → `"text"`, `{"default": "…"}`, `"fields"` or `"only-fields"` (the
    /// setting called `fields`), `"purpose-texts"` or `"purpose-numbers"`) filled from the notice's
    /// `crm.<name>`, whose every key must be one of them.
    fn settings(&mut self, declared: Option<&Value>, path: &str, name: &str, errors: &mut Vec<Error>) {
        let given_path = key_path("crm", name);
        let empty = Value::Object(Object::new());
        let given = self.notice.crm.get(name).unwrap_or(&empty);
        let Some(mut given) = ObjectReader::new(given, given_path.clone(), errors) else {
            return;
        };
        let declared = match declared.map(|d| (d, d.as_object())) {
            None => Object::new(),
            Some((_, Some(object))) => object.clone(),
            Some((value, None)) => {
                errors.push(wrong_type(path, "an object", value));
                Object::new()
            }
        };
        for (key, kind) in declared.iter() {
            let at = given.path_of(key);
            let value = given.get(key);
            match (kind.as_str(), kind.as_object().and_then(|k| k.get("default"))) {
                (Some("text"), _) | (None, Some(Value::String(_))) => {
                    let default = kind.as_object().and_then(|k| k.get("default"));
                    if value.is_none() && default.is_some() {
                        self.defaulted.push(key.into());
                    }
                    match value.or(default) {
                        Some(Value::String(text)) if !text.is_empty() => self.texts.push((key.into(), text.clone())),
                        Some(other) => errors.push(wrong_type(&at, "a non-empty string", other)),
                        None => {
                            errors.push(Error::new(ErrorKind::Missing, at));
                            // Reported here once, not again where it is used.
                            self.texts.push((key.into(), String::new()));
                        }
                    }
                }
                (Some(kind @ ("fields" | "only-fields")), _) if key == "fields" => {
                    self.only_mapped_fields = kind == "only-fields";
                    for (field, crm, at) in entries(value, &at, errors) {
                        if !self.notice.has_field(field) {
                            errors.push(Error::new(ErrorKind::NotAllowed, at.clone()).with_detail("not a declared field"));
                        }
                        match crm.as_str() {
                            Some(crm) if !crm.is_empty() => self.field_names.push((field.into(), crm.into())),
                            _ => errors.push(wrong_type(&at, "a field name", crm)),
                        }
                    }
                }
                (Some(kind @ ("purpose-texts" | "purpose-numbers")), _) => {
                    let mut map = Vec::new();
                    for (purpose, crm, at) in entries(value, &at, errors) {
                        let consent = self.notice.purpose(purpose).is_some_and(|p| p.consent);
                        if !consent {
                            errors.push(
                                Error::new(ErrorKind::UnknownPurpose, at.clone()).with_detail("not a consent purpose"),
                            );
                        }
                        let fits = match kind {
                            "purpose-numbers" => crm.as_i64().is_some_and(|n| n > 0),
                            _ => crm.as_str().is_some_and(|text| !text.is_empty()),
                        };
                        if !fits {
                            let expected = if kind == "purpose-numbers" { "a positive whole number" } else { "a non-empty string" };
                            errors.push(wrong_type(&at, expected, crm));
                        }
                        map.push((purpose.into(), crm.clone()));
                    }
                    self.purpose_maps.push((key.into(), map));
                }
                _ => errors.push(
                    Error::new(ErrorKind::NotAllowed, key_path(path, key))
                        .with_detail("a setting is \"text\", {\"default\": \"…\"}, \"purpose-texts\" or \"purpose-numbers\"; or, named fields, \"fields\" or \"only-fields\""),
                ),
            }
        }
        given.finish(errors);
    }

    /// One request: `{"method", "url", "encoding", "headers", "body"}` (and, for a submission, `maxAgeDays`).
    fn call(
        &mut self,
        value: &Value,
        path: &str,
        endpoint: Option<&str>,
        max_age_days: Option<&mut Option<i64>>,
        errors: &mut Vec<Error>,
    ) -> Option<Call> {
        let mut r = ObjectReader::new(value, path, errors)?;
        self.secrets = Vec::new();
        self.names_contact = false;
        let method = match r.optional_str("method", errors).unwrap_or("POST") {
            method @ ("POST" | "PUT" | "PATCH") => Some(method.to_owned()),
            other => {
                errors.push(Error::new(ErrorKind::NotAllowed, r.path_of("method")).with_detail(other));
                None
            }
        };
        let url_path = r.path_of("url");
        let url = r.required_str("url", errors);
        let url = match endpoint {
            Some(endpoint) => Some(endpoint.to_owned()),
            None => url.map(|url| self.text(url, &url_path, errors)),
        };
        let url = url.filter(|url| {
            let http = url.starts_with("https://") || url.starts_with("http://");
            if !http {
                errors.push(Error::new(ErrorKind::NotHttpUrl, url_path.clone()));
            }
            http
        });
        let encoding = r.required_one_of(
            "encoding",
            |name| match name {
                "json" => Some(Encoding::Json),
                "form" => Some(Encoding::Form),
                _ => None,
            },
            errors,
        );
        let mut headers = Vec::new();
        let headers_path = r.path_of("headers");
        if let Some(given) = r.get("headers") {
            for (name, template, at) in entries(Some(given), &headers_path, errors) {
                let template = self.template(template, &at, None, errors);
                headers.push((name.to_owned(), template));
            }
        }
        let body_path = r.path_of("body");
        let body = r
            .required("body", errors)
            .map(|body| self.template(body, &body_path, None, errors));
        if encoding == Some(Encoding::Form) && !matches!(body, Some(Value::Object(_))) {
            errors.push(Error::new(ErrorKind::WrongType, body_path).with_detail("a form body is an object"));
        }
        if let Some(max_age_days) = max_age_days {
            *max_age_days = r
                .optional_count("maxAgeDays", (3_650, "a number of days"), errors)
                .map(i64::from);
        }
        r.finish(errors);
        Some(Call {
            method: method?,
            url: url?,
            encoding: encoding?,
            headers,
            body: body?,
            secrets: core::mem::take(&mut self.secrets),
            needs_contact: self.names_contact,
        })
    }

    /// A string with its settings filled in: `{name}` is the setting, `{{` and `}}` are braces.
    fn text(&mut self, text: &str, path: &str, errors: &mut Vec<Error>) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            let rest = chars.as_str();
            let setting = match c {
                '{' | '}' if rest.starts_with(c) => {
                    out.push(c);
                    chars.next();
                    continue;
                }
                '{' => rest.split_once('}'),
                '}' => None,
                _ => {
                    out.push(c);
                    continue;
                }
            };
            let Some((name, after)) = setting else {
                errors.push(
                    Error::new(ErrorKind::NotAllowed, path).with_detail("a lone brace: write {{ or }}"),
                );
                return out;
            };
            chars = after.chars();
            if name == "contact" {
                self.contact(path, errors);
                out.push_str("{contact}");
                continue;
            }
            match self.texts.iter().find(|(n, _)| n == name) {
                Some((_, value)) => out.push_str(value),
                None => errors.push(Error::new(ErrorKind::Missing, path).with_detail(concat(&[
                    "{",
                    name,
                    "} is not a setting given here",
                ]))),
            }
        }
        out
    }

    fn template(
        &mut self,
        value: &Value,
        path: &str,
        item: Option<&Item<'_>>,
        errors: &mut Vec<Error>,
    ) -> Value {
        match value {
            Value::String(text) => self.text(text, path, errors).into(),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, each) in items.iter().enumerate() {
                    self.array_item(each, &index_path(path, i), item, &mut out, errors);
                }
                Value::Array(out)
            }
            Value::Object(object) => self.object(object, path, item, errors),
            other => other.clone(),
        }
    }

    /// An array item: `{"$fields": T}` and `{"$purposes": "<setting>", "as": T}` become one item per field or
    /// purpose; anything else one item.
    fn array_item(
        &mut self,
        value: &Value,
        path: &str,
        item: Option<&Item<'_>>,
        out: &mut Vec<Value>,
        errors: &mut Vec<Error>,
    ) {
        let object = value.as_object();
        if let Some(each) = object
            .and_then(|o| o.get("$fields"))
            .filter(|_| object.map(Object::len) == Some(1))
        {
            let at = key_path(path, "$fields");
            for (field, crm) in self.fields() {
                let bound = self.template(each, &at, Some(&Item::Field(field, crm)), errors);
                out.push(requiring(bound, field));
            }
            return;
        }
        if let Some(setting) = object.and_then(|o| o.get("$purposes")) {
            let at = key_path(path, "$purposes");
            let template = object.and_then(|o| o.get("as"));
            let map = setting
                .as_str()
                .and_then(|name| self.purpose_maps.iter().find(|(n, _)| n == name))
                .map(|(_, map)| map.clone());
            match (map, template, object.map(Object::len)) {
                (Some(map), Some(template), Some(2)) => {
                    for (purpose, crm) in &map {
                        let bound = self.template(
                            template,
                            &key_path(path, "as"),
                            Some(&Item::Purpose(purpose, crm)),
                            errors,
                        );
                        out.push(bound);
                    }
                }
                _ => errors.push(
                    Error::new(ErrorKind::NotAllowed, at)
                        .with_detail("{\"$purposes\": \"<a purposes setting>\", \"as\": …}"),
                ),
            }
            return;
        }
        out.push(self.template(value, path, item, errors));
    }

    fn object(
        &mut self,
        object: &Object,
        path: &str,
        item: Option<&Item<'_>>,
        errors: &mut Vec<Error>,
    ) -> Value {
        let lookup = object
            .iter()
            .find(|(key, _)| key.starts_with('$') && !matches!(*key, "$requires" | "$granted" | "$fields"));
        if let Some((key, argument)) = lookup {
            return self.lookup(key, argument, object, &key_path(path, key), item, errors);
        }
        let mut out = Object::new();
        for (key, value) in object.iter() {
            let at = key_path(path, key);
            match key {
                "$fields" => {
                    for (field, crm) in self.fields() {
                        let bound = self.template(value, &at, Some(&Item::Field(field, crm.clone())), errors);
                        out.insert(crm, requiring(bound, field));
                    }
                }
                "$requires" => {
                    let field = self.declared_field(value, &at, errors);
                    out.insert(key, field);
                }
                "$granted" => {
                    let purpose = self.declared_purpose(value, &at, errors);
                    out.insert(key, purpose);
                }
                _ => {
                    let bound = self.template(value, &at, item, errors);
                    out.insert(self.text(key, &at, errors), bound);
                }
            }
        }
        out.into()
    }

    /// One lookup object: the lookup's key and argument, and its other members (the cases of a decision).
    fn lookup(
        &mut self,
        key: &str,
        argument: &Value,
        object: &Object,
        path: &str,
        item: Option<&Item<'_>>,
        errors: &mut Vec<Error>,
    ) -> Value {
        let only = |allowed: &[&str], errors: &mut Vec<Error>| {
            for (other, _) in object.iter().filter(|(k, _)| *k != key && !allowed.contains(k)) {
                errors.push(Error::new(ErrorKind::UnknownKey, concat(&[path, "/", other])));
            }
        };
        let lookup = |argument: Value| Value::Object(Object::new().with(key, argument));
        match (key, argument) {
            ("$field", name) => {
                only(&[], errors);
                lookup(self.declared_field(name, path, errors).into())
            }
            ("$evidence", Value::String(name)) if EVIDENCE.contains(&name.as_str()) => {
                only(&[], errors);
                if name == "contact" {
                    self.contact(path, errors);
                }
                lookup(argument.clone())
            }
            ("$secret", Value::String(name)) if !name.is_empty() => {
                only(&[], errors);
                if !self.secrets.contains(name) {
                    self.secrets.push(name.clone());
                }
                lookup(argument.clone())
            }
            ("$purpose", id) => {
                only(&[], errors);
                lookup(self.declared_purpose(id, path, errors).into())
            }
            ("$decision", id) => {
                only(&CASES, errors);
                let id = self.declared_purpose(id, path, errors);
                self.decision(id, object, path, item, errors)
            }
            ("$object", Value::Array(_)) => {
                only(&[], errors);
                lookup(self.template(argument, path, item, errors))
            }
            ("$text", Value::Array(parts)) => {
                only(&[], errors);
                let parts = parts
                    .iter()
                    .enumerate()
                    .map(|(i, part)| self.template(part, &index_path(path, i), item, errors))
                    .collect();
                lookup(Value::Array(parts))
            }
            ("$item", Value::String(what)) => match (item, what.as_str()) {
                (Some(Item::Field(_, crm)), "name") => crm.as_str().into(),
                (Some(Item::Field(field, _)), "field") => (*field).into(),
                (Some(Item::Field(field, _)), "value") => Object::new().with("$field", *field).into(),
                (Some(Item::Purpose(id, _)), "id") => (*id).into(),
                (Some(Item::Purpose(_, crm)), "value") => (*crm).clone(),
                (Some(Item::Purpose(id, _)), "name") => Object::new().with("$purpose", *id).into(),
                (Some(Item::Purpose(id, _)), "decision") => {
                    only(&CASES, errors);
                    self.decision((*id).to_owned(), object, path, item, errors)
                }
                _ => {
                    errors.push(Error::new(ErrorKind::NotAllowed, path).with_detail(concat(&[
                        what,
                        " is not an item here ($fields: name, field, value; $purposes: id, value, name, decision)",
                    ])));
                    Value::Null
                }
            },
            _ => {
                errors.push(Error::new(ErrorKind::NotAllowed, path).with_detail(
                    "a lookup is $field, $evidence, $decision, $purpose, $text, $object, $secret or $item, with its argument",
                ));
                Value::Null
            }
        }
    }

    /// `{"$decision": id, "granted": …, "denied": …, "withdrawn": …, "not-asked": …}` with bound cases (which
    /// may name the item they are repeated for).
    fn decision(
        &mut self,
        id: String,
        object: &Object,
        path: &str,
        item: Option<&Item<'_>>,
        errors: &mut Vec<Error>,
    ) -> Value {
        let mut out = Object::new().with("$decision", id);
        for case in CASES {
            if let Some(value) = object.get(case) {
                out.insert(case, self.template(value, &key_path(path, case), item, errors));
            }
        }
        out.into()
    }

    /// The declared fields in the notice's order (only those the `fields` setting names, for `only-fields`),
    /// each with its name at the CRM.
    fn fields(&self) -> Vec<(&'a str, String)> {
        self.notice
            .fields
            .iter()
            .filter_map(|field| {
                let mapped = self.field_names.iter().find(|(name, _)| name == field);
                match mapped {
                    Some((_, crm)) => Some((field.as_str(), crm.clone())),
                    None if self.only_mapped_fields => None,
                    None => Some((field.as_str(), field.clone())),
                }
            })
            .collect()
    }

    /// Notes that the request being read names the contact, which only a withdrawal's or an erasure's may: a
    /// page never holds the person's contact apart from the fields that leave, and never puts them in a URL.
    fn contact(&mut self, path: &str, errors: &mut Vec<Error>) {
        if !self.afterwards {
            errors.push(Error::new(ErrorKind::NotAllowed, path).with_detail(
                "only a withdrawal's or an erasure's request, which the relay makes, names the contact",
            ));
        }
        self.names_contact = true;
    }

    fn declared_field(&mut self, name: &Value, path: &str, errors: &mut Vec<Error>) -> String {
        let name = self.text(name.as_str().unwrap_or_default(), path, errors);
        if !self.notice.has_field(&name) {
            errors
                .push(Error::new(ErrorKind::NotAllowed, path).with_detail("not a field the notice declares"));
        }
        name
    }

    fn declared_purpose(&mut self, id: &Value, path: &str, errors: &mut Vec<Error>) -> String {
        let id = self.text(id.as_str().unwrap_or_default(), path, errors);
        if self.notice.purpose(&id).is_none() {
            errors.push(Error::new(ErrorKind::UnknownPurpose, path).with_detail(id.clone()));
        }
        id
    }
}

/// The decisions a `$decision` maps, by their names in receipts.
const CASES: [&str; 4] = ["granted", "denied", "withdrawn", "not-asked"];

/// `template` made for one field: dropped, as an object, where the field did not leave.
fn requiring(template: Value, field: &str) -> Value {
    match template {
        Value::Object(object) => Value::Object(object.with("$requires", field)),
        other => other,
    }
}

/// `{"refuse": "why"}`: `Some(Ok(why))`; another object: `Some(Err(()))` (a request); otherwise an error.
fn refusal(value: &Value, path: &str, errors: &mut Vec<Error>) -> Option<Result<String, ()>> {
    let Some(object) = value.as_object() else {
        errors.push(wrong_type(
            path,
            "\"as-submit\", {\"refuse\": \"…\"} or a request",
            value,
        ));
        return None;
    };
    match object.get("refuse") {
        Some(Value::String(why)) if !why.is_empty() && object.len() == 1 => Some(Ok(why.clone())),
        Some(other) => {
            errors.push(wrong_type(&key_path(path, "refuse"), "the reason, alone", other));
            None
        }
        None => Some(Err(())),
    }
}

/// The members of an object (absent: none) with their paths; an error when it is not one.
fn entries<'v>(
    value: Option<&'v Value>,
    path: &str,
    errors: &mut Vec<Error>,
) -> Vec<(&'v str, &'v Value, String)> {
    match value {
        None => Vec::new(),
        Some(Value::Object(object)) => object
            .iter()
            .map(|(key, value)| (key, value, key_path(path, key)))
            .collect(),
        Some(other) => {
            errors.push(wrong_type(path, "an object", other));
            Vec::new()
        }
    }
}
