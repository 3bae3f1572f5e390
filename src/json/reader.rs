//! Reading typed data out of JSON objects while collecting every problem with its path, so one pass over a
//! document reports all of them. Keys that were never read are reported as unknown when the reader finishes.

use super::value::{Object, Value};
use crate::error::{Error, ErrorKind};
use crate::prelude::*;
use crate::text::decimal;

/// The path of `key` inside the object at `path` (`purposes[1]` + `id` = `purposes[1].id`).
pub fn key_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        concat(&[path, ".", key])
    }
}

/// The path of item `index` of the array at `path`.
pub fn index_path(path: &str, index: usize) -> String {
    concat(&[path, "[", &decimal(index as i64), "]"])
}

/// Reads the members of one object; every problem is pushed onto the caller's list.
pub struct ObjectReader<'a> {
    object: &'a Object,
    path: String,
    read: Vec<&'a str>,
}

impl<'a> ObjectReader<'a> {
    /// A reader over `value`, or `None` (with an error recorded) when it is not an object.
    pub fn new(value: &'a Value, path: impl Into<String>, errors: &mut Vec<Error>) -> Option<Self> {
        let path = path.into();
        match value {
            Value::Object(object) => Some(Self {
                object,
                path,
                read: Vec::new(),
            }),
            other => {
                errors.push(wrong_type(&path, "an object", other));
                None
            }
        }
    }

    /// The path of `key` in this object.
    pub fn path_of(&self, key: &str) -> String {
        key_path(&self.path, key)
    }

    /// The value of `key`, if present, marking it as read.
    pub fn get(&mut self, key: &str) -> Option<&'a Value> {
        let (own_key, value) = self.object.iter().find(|(k, _)| *k == key)?;
        self.read.push(own_key);
        Some(value)
    }

    /// The value of a key that must be present.
    pub fn required(&mut self, key: &str, errors: &mut Vec<Error>) -> Option<&'a Value> {
        let value = self.get(key);
        if value.is_none() {
            errors.push(Error::new(ErrorKind::Missing, self.path_of(key)));
        }
        value
    }

    /// A non-empty string that must be present.
    pub fn required_str(&mut self, key: &str, errors: &mut Vec<Error>) -> Option<&'a str> {
        let value = self.required(key, errors)?;
        self.non_empty_str(key, value, errors)
    }

    /// A required identifier (a purpose id, a field name): plain ASCII letters, digits and `_ - . : [ ]`, so
    /// that no two identifiers can look alike and differ (a Latin `ads` beside a Cyrillic `аds`). Brackets
    /// and colons are there for site forms that name fields like `contact[email]`.
    pub fn required_identifier(&mut self, key: &str, errors: &mut Vec<Error>) -> Option<&'a str> {
        let text = self.required_str(key, errors)?;
        let plain = text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'[' | b']'));
        if !plain {
            errors.push(Error::new(ErrorKind::NotPlainIdentifier, self.path_of(key)).with_detail(text));
        }
        Some(text)
    }

    /// A required string that must be one of a fixed set of names, turned into its value by `from_name`.
    pub fn required_one_of<T>(
        &mut self,
        key: &str,
        from_name: impl Fn(&str) -> Option<T>,
        errors: &mut Vec<Error>,
    ) -> Option<T> {
        let name = self.required_str(key, errors)?;
        let value = from_name(name);
        if value.is_none() {
            errors.push(Error::new(ErrorKind::NotAllowed, self.path_of(key)).with_detail(name));
        }
        value
    }

    /// A non-empty string that may be absent.
    pub fn optional_str(&mut self, key: &str, errors: &mut Vec<Error>) -> Option<&'a str> {
        let value = self.get(key)?;
        self.non_empty_str(key, value, errors)
    }

    /// A boolean that may be absent (then `false`).
    pub fn optional_bool(&mut self, key: &str, errors: &mut Vec<Error>) -> bool {
        match self.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                errors.push(wrong_type(&self.path_of(key), "true or false", other));
                false
            }
        }
    }

    /// A whole number from 1 to `most` that may be absent; `expected` says which, when it is not one.
    pub fn optional_count(
        &mut self,
        key: &str,
        (most, expected): (i64, &str),
        errors: &mut Vec<Error>,
    ) -> Option<u32> {
        let value = self.get(key)?;
        let count = value.as_i64().filter(|n| (1..=most).contains(n));
        if count.is_none() {
            errors.push(wrong_type(&self.path_of(key), expected, value));
        }
        count.map(|n| n as u32)
    }

    /// An array that must be present.
    pub fn required_array(&mut self, key: &str, errors: &mut Vec<Error>) -> Option<&'a [Value]> {
        let value = self.required(key, errors)?;
        self.array(key, value, errors)
    }

    /// An array that may be absent (then empty).
    pub fn optional_array(&mut self, key: &str, errors: &mut Vec<Error>) -> &'a [Value] {
        match self.get(key) {
            None => &[],
            Some(value) => self.array(key, value, errors).unwrap_or(&[]),
        }
    }

    /// A list of non-empty strings that may be absent (then empty).
    pub fn optional_str_list(&mut self, key: &str, errors: &mut Vec<Error>) -> Vec<String> {
        let path = self.path_of(key);
        let items = self.optional_array(key, errors);
        str_list(items, &path, errors)
    }

    fn array(&self, key: &str, value: &'a Value, errors: &mut Vec<Error>) -> Option<&'a [Value]> {
        let array = value.as_array();
        if array.is_none() {
            errors.push(wrong_type(&self.path_of(key), "an array", value));
        }
        array
    }

    fn non_empty_str(&self, key: &str, value: &'a Value, errors: &mut Vec<Error>) -> Option<&'a str> {
        match value.as_str() {
            Some("") => {
                errors.push(Error::new(ErrorKind::Empty, self.path_of(key)));
                None
            }
            Some(s) => Some(s),
            None => {
                errors.push(wrong_type(&self.path_of(key), "a string", value));
                None
            }
        }
    }

    /// Reports every key that was never read.
    pub fn finish(self, errors: &mut Vec<Error>) {
        for (key, _) in self.object.iter() {
            if !self.read.contains(&key) {
                errors.push(Error::new(ErrorKind::UnknownKey, key_path(&self.path, key)));
            }
        }
    }
}

/// Non-empty strings from `items`, reporting each item that is not one.
pub fn str_list(items: &[Value], path: &str, errors: &mut Vec<Error>) -> Vec<String> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some("") => errors.push(Error::new(ErrorKind::Empty, index_path(path, i))),
            Some(s) => out.push(s.to_owned()),
            None => errors.push(wrong_type(&index_path(path, i), "a string", item)),
        }
    }
    out
}

/// A wrong-type error that says what was expected and what was found.
pub fn wrong_type(path: &str, expected: &str, found: &Value) -> Error {
    Error::new(ErrorKind::WrongType, path).with_detail(concat(&[
        "expected ",
        expected,
        ", found ",
        found.type_name(),
    ]))
}
