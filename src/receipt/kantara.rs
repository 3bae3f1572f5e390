//! The shape of a Kantara Consent Receipt v1.1 (its JSON Schema's required members and types), checked
//! without a schema engine so that the browser can check it too, and the member where our own claims go.

use crate::error::{Error, ErrorKind};
use crate::json::reader::{index_path, key_path, wrong_type};
use crate::json::{Number, Object, Value};
use crate::prelude::*;

/// The key under which consent-capture's additions live (the Kantara schema allows extra keys).
pub const EXTENSION_KEY: &str = "consentCapture";

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Flag,
    Integer,
    List,
    Texts,
    Record,
}

fn fits(kind: Kind, value: &Value) -> bool {
    match (kind, value) {
        (Kind::Text, Value::String(_)) | (Kind::Flag, Value::Bool(_)) | (Kind::List, Value::Array(_)) => true,
        (Kind::Record, Value::Object(_)) => true,
        (Kind::Integer, Value::Number(Number::Int(n))) => *n >= 0,
        (Kind::Texts, Value::Array(items)) => items.iter().all(|i| i.as_str().is_some()),
        _ => false,
    }
}

fn name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "a string",
        Kind::Flag => "true or false",
        Kind::Integer => "a non-negative integer",
        Kind::List => "an array",
        Kind::Texts => "an array of strings",
        Kind::Record => "an object",
    }
}

const RECEIPT: [(&str, Kind); 11] = [
    ("version", Kind::Text),
    ("jurisdiction", Kind::Text),
    ("consentTimestamp", Kind::Integer),
    ("collectionMethod", Kind::Text),
    ("consentReceiptID", Kind::Text),
    ("piiPrincipalId", Kind::Text),
    ("piiControllers", Kind::List),
    ("policyUrl", Kind::Text),
    ("services", Kind::List),
    ("sensitive", Kind::Flag),
    ("spiCat", Kind::Texts),
];
const CONTROLLER: [(&str, Kind); 5] = [
    ("piiController", Kind::Text),
    ("contact", Kind::Text),
    ("address", Kind::Record),
    ("email", Kind::Text),
    ("phone", Kind::Text),
];
const SERVICE: [(&str, Kind); 2] = [("service", Kind::Text), ("purposes", Kind::List)];
const PURPOSE: [(&str, Kind); 5] = [
    ("consentType", Kind::Text),
    ("purposeCategory", Kind::Texts),
    ("piiCategory", Kind::Texts),
    ("termination", Kind::Text),
    ("thirdPartyDisclosure", Kind::Flag),
];

fn require(object: &Object, members: &[(&str, Kind)], at: &str) -> Result<(), Error> {
    for &(member, kind) in members {
        let path = key_path(at, member);
        match object.get(member) {
            None => return Err(Error::new(ErrorKind::Missing, path)),
            Some(value) if !fits(kind, value) => return Err(wrong_type(&path, name(kind), value)),
            Some(_) => {}
        }
    }
    Ok(())
}

fn objects<'a>(object: &'a Object, member: &str, at: &str) -> Result<Vec<(String, &'a Object)>, Error> {
    let items = object.get(member).and_then(Value::as_array).unwrap_or(&[]);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let path = index_path(&key_path(at, member), i);
            item.as_object()
                .map(|o| (path.clone(), o))
                .ok_or_else(|| wrong_type(&path, "an object", item))
        })
        .collect()
}

/// Checks that `receipt` has every member the Kantara v1.1 schema requires, with the right types.
///
/// # Errors
/// The first member that is missing or of the wrong type, with its path.
pub fn check_shape(receipt: &Value) -> Result<(), Error> {
    let receipt = receipt
        .as_object()
        .ok_or_else(|| wrong_type("", "an object", receipt))?;
    require(receipt, &RECEIPT, "")?;
    for (path, controller) in objects(receipt, "piiControllers", "")? {
        require(controller, &CONTROLLER, &path)?;
    }
    for (path, service) in objects(receipt, "services", "")? {
        require(service, &SERVICE, &path)?;
        for (path, purpose) in objects(service, "purposes", &path)? {
            require(purpose, &PURPOSE, &path)?;
            if purpose.get("thirdPartyDisclosure") == Some(&Value::Bool(true)) {
                require(purpose, &[("thirdPartyName", Kind::Text)], &path)?;
            }
        }
    }
    Ok(())
}
