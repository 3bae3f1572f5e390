//! Enough JSON Schema (draft-04 to draft-07) to check receipts against the Kantara schema and notices against
//! ours: `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `minimum`, `minItems`,
//! `minProperties`, `minLength`, `uniqueItems`, `pattern`, `oneOf`, `allOf` and local `$ref`. Returns the failing paths.

use consent_capture::json::{Number, Value};
use regex::Regex;

pub(crate) fn violations(schema: &Value, value: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, schema, value, path, &mut out);
    out
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let reference = schema
        .as_object()
        .and_then(|o| o.get("$ref"))
        .and_then(Value::as_str);
    match reference.and_then(|r| r.strip_prefix("#/")) {
        Some(pointer) => pointer.split('/').fold(root, |v, key| {
            v.as_object().and_then(|o| o.get(key)).unwrap_or(&Value::Null)
        }),
        None => schema,
    }
}

fn check(root: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    let schema = resolve(root, schema);
    let Some(schema) = schema.as_object() else { return };
    let int = |key: &str| schema.get(key).and_then(Value::as_i64);
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
    if let (Some(minimum), Some(n)) = (int("minimum"), value.as_i64()) {
        if n < minimum {
            out.push(format!("{path}: below {minimum}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            out.push(format!("{path}: not in enum"));
        }
    }
    if let Some(text) = value.as_str() {
        if int("minLength").is_some_and(|min| (text.chars().count() as i64) < min) {
            out.push(format!("{path}: too short"));
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            if !Regex::new(pattern)
                .expect("the schema's pattern compiles")
                .is_match(text)
            {
                out.push(format!("{path}: does not match {pattern}"));
            }
        }
    }
    if let Some(object) = value.as_object() {
        if int("minProperties").is_some_and(|min| (object.len() as i64) < min) {
            out.push(format!("{path}: too few members"));
        }
        for key in schema.get("required").and_then(Value::as_array).unwrap_or(&[]) {
            let key = key.as_str().unwrap_or_default();
            if object.get(key).is_none() {
                out.push(format!("{path}.{key}: required"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, member) in object.iter() {
            let member_path = format!("{path}.{key}");
            match (
                properties.and_then(|p| p.get(key)),
                schema.get("additionalProperties"),
            ) {
                (Some(sub), _) => check(root, sub, member, &member_path, out),
                (None, Some(Value::Bool(false))) => out.push(format!("{member_path}: not allowed")),
                (None, Some(sub @ Value::Object(_))) => check(root, sub, member, &member_path, out),
                (None, _) => {}
            }
        }
    }
    if let Some(array) = value.as_array() {
        if int("minItems").is_some_and(|min| (array.len() as i64) < min) {
            out.push(format!("{path}: too few items"));
        }
        let unique = schema.get("uniqueItems").and_then(Value::as_bool) == Some(true);
        if unique
            && array
                .iter()
                .enumerate()
                .any(|(i, item)| array[..i].contains(item))
        {
            out.push(format!("{path}: items repeat"));
        }
        if let Some(items) = schema.get("items") {
            for (i, item) in array.iter().enumerate() {
                check(root, items, item, &format!("{path}[{i}]"), out);
            }
        }
    }
    for every in schema.get("allOf").and_then(Value::as_array).unwrap_or(&[]) {
        check(root, every, value, path, out);
    }
    if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = alternatives.iter().filter(|alt| {
            let mut inner = Vec::new();
            check(root, alt, value, path, &mut inner);
            inner.is_empty()
        });
        let passing = passing.count();
        if passing != 1 {
            out.push(format!(
                "{path}: matches {passing} of the oneOf alternatives, not exactly one"
            ));
        }
    }
}
