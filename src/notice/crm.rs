//! The notice's `crm` section: each destination's settings, under the destination's name (`"hubspot":
//! {"fields": …, "subscriptions": …}`). Only a destination's description says which settings it takes, so they
//! are checked when a destination is read against the notice (the `destination` module, `consent-capture
//! check`), each with its place; here only that each is an object.

use crate::error::Error;
use crate::json::reader::{key_path, wrong_type, ObjectReader};
use crate::json::Value;
use crate::prelude::*;

pub(super) fn check_crm(r: &mut ObjectReader<'_>, errors: &mut Vec<Error>) {
    let path = r.path_of("crm");
    let Some(section) = r.get("crm") else {
        return;
    };
    let Some(section) = section.as_object() else {
        errors.push(wrong_type(&path, "an object", section));
        return;
    };
    for (name, settings) in section.iter() {
        if !matches!(settings, Value::Object(_)) {
            errors.push(wrong_type(&key_path(&path, name), "an object", settings));
        }
    }
}
