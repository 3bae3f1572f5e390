//! Our own JSON value: small enough for the browser build (no serde), strict enough for signatures.
//!
//! Objects keep their members in document order and never hold a key twice. Numbers are exact integers
//! (|n| < 2^53, the range every JSON implementation agrees on); native builds also carry other numbers as
//! doubles so that the verifier and the RFC 8785 vectors see them, while the browser build refuses them
//! and so ships no float parsing or formatting code.

use crate::prelude::*;

/// The largest integer that every JSON implementation represents exactly (2^53 - 1).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A JSON number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer written without fraction or exponent, within ±(2^53 - 1).
    Int(i64),
    /// Any other finite number (native builds only).
    #[cfg(not(target_arch = "wasm32"))]
    Float(f64),
}

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Object),
}

/// A JSON object: members in insertion order, keys unique.
#[derive(Clone, Debug, Default)]
pub struct Object(Vec<(String, Value)>);

/// Two objects are equal when they have the same members, in any order (as JSON defines it).
impl PartialEq for Object {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(key, value)| other.get(key) == Some(value))
    }
}

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key` to `value`, replacing any earlier value so that keys stay unique.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.insert_value(key.into(), value.into());
    }

    // Not generic and not inlined: `insert` is called with many key and value types, and each copy of this
    // loop would ship in the wasm.
    #[inline(never)]
    fn insert_value(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Sets `key` and returns the object, for building literals.
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(key, value);
        self
    }

    /// The members in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a member without looking for its key: the parser checks the whole object once it is read
    /// ([`Object::repeated_key`]), so that an object of n members costs n log n, not n².
    pub(super) fn push_unchecked(&mut self, key: String, value: Value) {
        self.0.push((key, value));
    }

    /// The index and key of the first member whose key an earlier member already has, if any.
    pub(super) fn repeated_key(&self) -> Option<(usize, &str)> {
        let keys: Vec<&str> = self.0.iter().map(|(key, _)| key.as_str()).collect();
        let index = *crate::text::repeated_names(&keys).first()?;
        Some((index, keys[index]))
    }
}

impl Value {
    /// The JSON type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Number(_) => "number",
            Self::String(_) => "string",
            Self::Array(_) => "array",
            Self::Object(_) => "object",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Self::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Self::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is a number written as one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(Number::Int(n)) => Some(*n),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Self::Number(Number::Int(n))
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Self {
        Self::Object(o)
    }
}

impl From<Vec<Value>> for Value {
    fn from(a: Vec<Value>) -> Self {
        Self::Array(a)
    }
}
