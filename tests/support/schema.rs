//! Just enough JSON Schema draft-04 to check a receipt against the Kantara v1.1 schema: `type`, `properties`,
//! `items`, `required`, `enum`, `minimum` and `oneOf`. Returns the paths that fail.

use consent_capture::json::{Number, Value};

pub(crate) fn violations(schema: &Value, value: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, value, path, &mut out);
    out
}

fn check(schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else { return };
    if let Some(expected) = schema.get("type").and_then(Value::as_str) {
        let ok = match (expected, value) {
            ("integer", Value::Number(Number::Int(_))) => true,
            (t, v) => t == v.type_name(),
        };
        if !ok {
            out.push(format!(
                "{path}: expected {expected}, found {}",
                value.type_name()
            ));
            return;
        }
    }
    if let (Some(minimum), Some(n)) = (schema.get("minimum").and_then(Value::as_i64), value.as_i64()) {
        if n < minimum {
            out.push(format!("{path}: below {minimum}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            out.push(format!("{path}: not in enum"));
        }
    }
    if let Some(object) = value.as_object() {
        for key in schema.get("required").and_then(Value::as_array).unwrap_or(&[]) {
            let key = key.as_str().unwrap_or_default();
            if object.get(key).is_none() {
                out.push(format!("{path}.{key}: required"));
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (key, sub) in properties.iter() {
                if let Some(member) = object.get(key) {
                    check(sub, member, &format!("{path}.{key}"), out);
                }
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(items, item, &format!("{path}[{i}]"), out);
        }
    }
    if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = alternatives
            .iter()
            .filter(|alt| violations(alt, value, path).is_empty())
            .count();
        if passing != 1 {
            out.push(format!(
                "{path}: matches {passing} of the oneOf alternatives, not exactly one"
            ));
        }
    }
}
