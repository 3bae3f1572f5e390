//! Reading a notice's `crm` section: every name it maps must be a declared field or purpose, so a typo
//! cannot quietly send a field under a name the CRM ignores.

use super::crm::{Crm, HubSpot, Salesforce};
use super::model::{Field, Purpose};
use super::vocabulary::LegalBasis;
use crate::error::{Error, ErrorKind};
use crate::json::reader::{key_path, wrong_type, ObjectReader};
use crate::json::Value;
use crate::prelude::*;

pub(super) fn read_crm(
    r: &mut ObjectReader<'_>,
    fields: &[Field],
    purposes: &[Purpose],
    errors: &mut Vec<Error>,
) -> Crm {
    let path = r.path_of("crm");
    let Some(mut crm) = r
        .get("crm")
        .and_then(|v| ObjectReader::new(v, path.clone(), errors))
    else {
        return Crm::default();
    };
    let hubspot = match crm.get("hubspot") {
        Some(value) => read_hubspot(value, &crm.path_of("hubspot"), fields, purposes, errors),
        None => HubSpot::default(),
    };
    let salesforce_path = crm.path_of("salesforce");
    let salesforce = crm
        .get("salesforce")
        .and_then(|value| read_salesforce(value, &salesforce_path, fields, errors));
    // Other destinations' settings are not read here: only a destination's description says which settings it
    // takes, so they are checked when it is read against the notice (`destination::Destination::bind`, and
    // `consent-capture check` for every shipped one the section names).
    Crm { hubspot, salesforce }
}

fn read_hubspot(
    value: &Value,
    path: &str,
    fields: &[Field],
    purposes: &[Purpose],
    errors: &mut Vec<Error>,
) -> HubSpot {
    let Some(mut r) = ObjectReader::new(value, path, errors) else {
        return HubSpot::default();
    };
    let field_names = read_field_names(&mut r, fields, errors);
    let mut subscriptions = Vec::new();
    let subscriptions_path = r.path_of("subscriptions");
    if let Some(map) = r.get("subscriptions") {
        for (purpose, id, at) in entries(map, &subscriptions_path, errors) {
            let consent = purposes
                .iter()
                .any(|p| p.id == purpose && p.legal_basis == LegalBasis::Consent);
            if !consent {
                errors.push(
                    Error::new(ErrorKind::UnknownPurpose, at.clone()).with_detail("not a consent purpose"),
                );
            }
            match id.as_i64().filter(|id| *id > 0) {
                Some(id) => subscriptions.push((purpose.to_owned(), id)),
                None => errors.push(wrong_type(&at, "a subscription type id", id)),
            }
        }
    }
    r.finish(errors);
    HubSpot {
        fields: field_names,
        subscriptions,
    }
}

fn read_salesforce(
    value: &Value,
    path: &str,
    fields: &[Field],
    errors: &mut Vec<Error>,
) -> Option<Salesforce> {
    let mut r = ObjectReader::new(value, path, errors)?;
    let oid = r.required_str("oid", errors);
    let field_names = read_field_names(&mut r, fields, errors);
    let receipt_field = r.required_str("receiptField", errors);
    r.finish(errors);
    Some(Salesforce {
        oid: oid?.to_owned(),
        fields: field_names,
        receipt_field: receipt_field?.to_owned(),
    })
}

/// `fields`: `{"<declared field>": "<CRM name>"}`.
fn read_field_names(
    r: &mut ObjectReader<'_>,
    fields: &[Field],
    errors: &mut Vec<Error>,
) -> Vec<(String, String)> {
    let path = r.path_of("fields");
    let Some(map) = r.get("fields") else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for (field, crm, at) in entries(map, &path, errors) {
        if !fields.iter().any(|f| f.name == field) {
            errors.push(Error::new(ErrorKind::NotAllowed, at.clone()).with_detail("not a declared field"));
        }
        match crm.as_str() {
            Some(crm) if !crm.is_empty() => names.push((field.to_owned(), crm.to_owned())),
            _ => errors.push(wrong_type(&at, "a field name", crm)),
        }
    }
    names
}

/// The members of an object with their paths; an error when it is not one.
fn entries<'a>(value: &'a Value, path: &str, errors: &mut Vec<Error>) -> Vec<(&'a str, &'a Value, String)> {
    match value.as_object() {
        Some(object) => object
            .iter()
            .map(|(key, value)| (key, value, key_path(path, key)))
            .collect(),
        None => {
            errors.push(wrong_type(path, "an object", value));
            Vec::new()
        }
    }
}
