//! The interpreter: one bound request ([`Call`]) and one submission in, the exact request out. A template's
//! constants stay as they are; each lookup is replaced by what it names, or is absent: an object member or an
//! array item that is absent is left out, and so is an object whose `$requires` field did not leave or whose
//! `$granted` purpose was not granted (a whole body so: nothing is sent). It reads
//! only what minimisation let through, the decisions and the receipt's evidence: it cannot add anything else.

use super::facts::NoticeFacts;
use super::form_encoding::{form_encode, path_segment_encode};
use super::model::{Call, Encoding};
use crate::json::canonical::to_canonical_string;
use crate::json::{Object, Value};
use crate::minimise::date::iso8601;
use crate::prelude::*;

/// What ties a submission to its proof, and where and when it was made.
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    /// The signed receipt (compact JWS).
    pub receipt: &'a str,
    /// The receipt's id (`consentReceiptID`).
    pub receipt_id: &'a str,
    /// The person, as the receipt names them (`piiPrincipalId`).
    pub principal: &'a str,
    /// The language the notice was shown in.
    pub language: &'a str,
    /// The page's URL.
    pub page_uri: &'a str,
    /// The page's title.
    pub page_name: &'a str,
    /// The consent's time (the receipt's `consentTimestamp`), in seconds.
    pub consent_time: i64,
    /// Whether the receiver's relay makes the request, after the fact (a page sends at the moment of consent).
    pub relayed: bool,
    /// What the CRM knows the person by (the description's `contact` field, as it was sent), for a withdrawal's
    /// or an erasure's request; empty where it is not known.
    pub contact: &'a str,
}

/// A request ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shaped {
    /// Its method.
    pub method: String,
    /// Its URL.
    pub url: String,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its other headers.
    pub headers: Vec<(String, String)>,
    /// Its body, exactly as sent.
    pub body: String,
}

struct Submission<'a> {
    notice: &'a NoticeFacts,
    decisions: &'a Value,
    fields: &'a Object,
    evidence: Evidence<'a>,
    secret: &'a dyn Fn(&str) -> Option<String>,
}

/// The request `call` makes for `fields` (minimised) with `decisions` (every purpose's, as receipts carry them:
/// `[{"purpose", "legalBasis", "decision"}, …]`) and evidence, or `None` when its body
/// says there is nothing to send (`"$granted"`: a subscription the person did not grant), or it names a contact
/// the evidence lacks; `secret` gives the receiver's secrets by name (a page has none).
pub fn shape(
    call: &Call,
    notice: &NoticeFacts,
    decisions: &Value,
    fields: &Object,
    evidence: Evidence<'_>,
    secret: &dyn Fn(&str) -> Option<String>,
) -> Option<Shaped> {
    let submission = Submission {
        notice,
        decisions,
        fields,
        evidence,
        secret,
    };
    if call.needs_contact && evidence.contact.is_empty() {
        return None;
    }
    let body = submission.value(&call.body)?;
    let (content_type, body) = match call.encoding {
        Encoding::Json => ("application/json", to_canonical_string(&body)),
        Encoding::Form => ("application/x-www-form-urlencoded", form_body(&body)),
    };
    let headers = call
        .headers
        .iter()
        .filter_map(|(name, template)| {
            let value = submission.value(template)?;
            Some((name.clone(), value.as_str()?.to_owned()))
        })
        .collect();
    let url = if call.needs_contact {
        with_contact(&call.url, evidence.contact)
    } else {
        call.url.clone()
    };
    Some(Shaped {
        method: call.method.clone(),
        url,
        content_type,
        headers,
        body,
    })
}

impl Submission<'_> {
    fn value(&self, template: &Value) -> Option<Value> {
        let Value::Object(object) = template else {
            return Some(match template {
                Value::Array(items) => {
                    Value::Array(items.iter().filter_map(|item| self.value(item)).collect())
                }
                constant => constant.clone(),
            });
        };
        if let Some(field) = object.get("$requires").and_then(Value::as_str) {
            self.fields.get(field)?;
        }
        if let Some(purpose) = object.get("$granted").and_then(Value::as_str) {
            if self.decision(purpose) != "granted" {
                return None;
            }
        }
        let text = |key| object.get(key).and_then(Value::as_str);
        if let Some(field) = text("$field") {
            return self.fields.get(field).cloned();
        }
        if let Some(name) = text("$evidence") {
            return self.evidence(name);
        }
        if let Some(purpose) = text("$decision") {
            let case = object.get(self.decision(purpose))?;
            return self.value(case);
        }
        if let Some(purpose) = text("$purpose") {
            return Some(self.notice.purpose(purpose)?.name(self.evidence.language).into());
        }
        if let Some(name) = text("$secret") {
            return (self.secret)(name).map(Value::from);
        }
        if let Some(pairs) = object.get("$object") {
            // `[[key, value], …]`: a pair whose value was absent (one item left) is left out.
            let mut built = Object::new();
            for pair in self.value(pairs)?.as_array()? {
                if let Some([Value::String(key), value]) = pair.as_array() {
                    built.insert(key.as_str(), value.clone());
                }
            }
            return Some(built.into());
        }
        if let Some(Value::Array(parts)) = object.get("$text") {
            let mut joined = String::new();
            for part in parts {
                joined.push_str(self.value(part)?.as_str()?);
            }
            return Some(joined.into());
        }
        let mut out = Object::new();
        for (key, member) in object
            .iter()
            .filter(|(key, _)| !matches!(*key, "$requires" | "$granted"))
        {
            if let Some(value) = self.value(member) {
                out.insert(key, value);
            }
        }
        Some(out.into())
    }

    /// The decision about `purpose`, by its name in receipts (`granted`, `denied`, `withdrawn`, `not-asked`).
    fn decision(&self, purpose: &str) -> &str {
        let decided = self
            .decisions
            .as_array()
            .unwrap_or_default()
            .iter()
            .find(|decision| {
                decision
                    .as_object()
                    .and_then(|d| d.get("purpose"))
                    .and_then(Value::as_str)
                    == Some(purpose)
            });
        decided
            .and_then(|decision| decision.as_object()?.get("decision")?.as_str())
            .unwrap_or("not-asked")
    }

    fn evidence(&self, name: &str) -> Option<Value> {
        let evidence = &self.evidence;
        let seconds = evidence.consent_time;
        Some(match name {
            "receipt" => evidence.receipt.into(),
            "receiptId" => evidence.receipt_id.into(),
            "principal" => evidence.principal.into(),
            "noticeSha256" => self.notice.sha256.as_str().into(),
            "revision" => self.notice.revision.as_str().into(),
            "controller" => self.notice.controller.as_str().into(),
            "language" => evidence.language.into(),
            "pageUri" => evidence.page_uri.into(),
            "pageName" => evidence.page_name.into(),
            "consentTime" => seconds.into(),
            "consentTimeMs" => (seconds * 1000).into(),
            "consentTimeIso" => iso8601(seconds).into(),
            "relayedConsentTimeMs" if evidence.relayed => crate::text::decimal(seconds * 1000).into(),
            "hasFields" => (!self.fields.is_empty()).into(),
            "decisions" => self.decisions.clone(),
            "fields" => self.fields.clone().into(),
            "contact" if !evidence.contact.is_empty() => evidence.contact.into(),
            _ => return None,
        })
    }
}

/// `url` with each `{contact}` (which reading left in place of that setting) as one path segment, every byte
/// that could end it or change its meaning percent-encoded. By hand rather than `str::replace`, whose substring
/// search would cost the browser's module more than this whole function.
fn with_contact(url: &str, contact: &str) -> String {
    let mut out = String::with_capacity(url.len() + contact.len() * 3);
    let mut rest = url;
    // `split_once` rather than indexing: a slice by index brings its panic's formatting into the module.
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        match after.strip_prefix("contact}") {
            Some(tail) => {
                out.push_str(&path_segment_encode(contact));
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A form body: each member a pair, an array its key repeated, a number or `true`/`false` as JSON writes it.
fn form_body(body: &Value) -> String {
    let mut texts: Vec<(&str, String)> = Vec::new();
    for (name, value) in body.as_object().map(Object::iter).into_iter().flatten() {
        let values = match value {
            Value::Array(items) => items.as_slice(),
            single => core::slice::from_ref(single),
        };
        for value in values {
            match value {
                Value::String(text) => texts.push((name, text.clone())),
                Value::Object(_) | Value::Array(_) | Value::Null => {}
                other => texts.push((name, to_canonical_string(other))),
            }
        }
    }
    let pairs: Vec<String> = texts
        .iter()
        .map(|(name, value)| join(&[form_encode(name), form_encode(value)], "="))
        .collect();
    join(&pairs, "&")
}
