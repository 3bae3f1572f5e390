//! What a destination needs to know of the notice, read from the notice as written: its fields' names in order,
//! its purposes (whether each rests on consent, and its names), its `crm` section, and
//! what identifies it (hash, revision, controller). Read without the notice reader, from a notice whoever
//! holds it has already validated (the element, the receiver): the browser's destination module, which shapes
//! what a submission sends, need not carry the reader too.

use crate::json::{Object, Value};
use crate::notice::signature::source_hash;
use crate::prelude::*;

/// One purpose, as a destination sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct PurposeFacts {
    /// Its id.
    pub id: String,
    /// Whether it rests on consent (only consent can be granted, refused or withdrawn).
    pub consent: bool,
    /// Its name in each of the notice's languages (`{"en": …, "de": …}`).
    pub names: Object,
}

impl PurposeFacts {
    /// Its name in `language`, else in the notice's first language.
    pub fn name(&self, language: &str) -> &str {
        self.names
            .get(language)
            .or_else(|| self.names.iter().next().map(|(_, text)| text))
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// What a destination reads of one notice.
#[derive(Clone, Debug, PartialEq)]
pub struct NoticeFacts {
    /// The declared fields' names, in the notice's order.
    pub fields: Vec<String>,
    /// The purposes, in the notice's order.
    pub purposes: Vec<PurposeFacts>,
    /// The `crm` section: each destination's settings under its name.
    pub crm: Object,
    /// The notice's hash, as receipts name it.
    pub sha256: String,
    /// Its revision.
    pub revision: String,
    /// The controller's name.
    pub controller: String,
}

impl NoticeFacts {
    /// The facts of the notice `source` (as written, already validated).
    pub fn read(source: &Value) -> Self {
        let member = |value: &Value, key: &str| value.as_object().and_then(|o| o.get(key)).cloned();
        let text = |value: Option<Value>| {
            value
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let items = |key: &str| member(source, key).and_then(|v| v.as_array().map(<[Value]>::to_vec));
        let fields = items("fields")
            .unwrap_or_default()
            .iter()
            .map(|field| text(member(field, "name")))
            .collect();
        let purposes = items("purposes")
            .unwrap_or_default()
            .iter()
            .map(|purpose| PurposeFacts {
                id: text(member(purpose, "id")),
                consent: text(member(purpose, "legalBasis")) == "consent",
                names: member(purpose, "name")
                    .and_then(|names| names.as_object().cloned())
                    .unwrap_or_default(),
            })
            .collect();
        Self {
            fields,
            purposes,
            crm: member(source, "crm")
                .and_then(|crm| crm.as_object().cloned())
                .unwrap_or_default(),
            sha256: source_hash(source),
            revision: text(member(source, "revision")),
            controller: text(member(source, "controller").and_then(|c| member(&c, "name"))),
        }
    }

    /// Whether the notice declares the field `name`.
    pub fn has_field(&self, name: &str) -> bool {
        self.fields.iter().any(|field| field == name)
    }

    /// The purpose `id`, if declared.
    pub fn purpose(&self, id: &str) -> Option<&PurposeFacts> {
        self.purposes.iter().find(|purpose| purpose.id == id)
    }
}
