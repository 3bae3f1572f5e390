//! What may leave the browser: a field is sent only when the notice declares it and at least one of its
//! purposes is granted or rests on another legal basis. Everything else is dropped, and the manifest says
//! which and why (names only, never values).

use crate::consent::Decisions;
use crate::json::{Object, Value};
use crate::notice::Notice;

/// Why a field did not leave the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Every purpose that could justify it was refused.
    NoPurposeGranted,
    /// The notice does not declare it (a site's own field, or an injected one).
    Undeclared,
    /// It was left empty.
    Empty,
}

impl DropReason {
    /// Its name in manifests.
    pub fn name(self) -> &'static str {
        match self {
            Self::NoPurposeGranted => "no-purpose-granted",
            Self::Undeclared => "undeclared",
            Self::Empty => "empty",
        }
    }
}

/// What happened to one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sent as typed.
    Kept,
    /// Not sent.
    Dropped(DropReason),
}

/// The outcome for every declared field and every undeclared name that was submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest(Vec<(String, Outcome)>);

impl Manifest {
    /// Each field name with its outcome: declared fields in notice order, then undeclared names.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Outcome)> {
        self.0.iter().map(|(name, outcome)| (name.as_str(), *outcome))
    }

    /// The outcome for `field`, if it was considered.
    pub fn outcome(&self, field: &str) -> Option<Outcome> {
        self.iter()
            .find(|(name, _)| *name == field)
            .map(|(_, outcome)| outcome)
    }

    /// The manifest as JSON: `[{"field": "company", "outcome": "dropped", "reason": "no-purpose-granted"}]`.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.iter()
                .map(|(name, outcome)| {
                    let entry = Object::new().with("field", name);
                    match outcome {
                        Outcome::Kept => entry.with("outcome", "kept"),
                        Outcome::Dropped(reason) => {
                            entry.with("outcome", "dropped").with("reason", reason.name())
                        }
                    }
                    .into()
                })
                .collect(),
        )
    }
}

/// The data that may be sent, and the account of what was not.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimised {
    /// Field name to value, for the fields that may leave.
    pub payload: Object,
    /// What happened to each field.
    pub manifest: Manifest,
}

/// Applies the notice's rules to the submitted `(name, value)` pairs; for a repeated name the first counts.
pub fn minimise(notice: &Notice, decisions: &Decisions, submitted: &[(String, String)]) -> Minimised {
    let mut payload = Object::new();
    let mut manifest = Vec::new();
    for field in &notice.fields {
        let value = submitted
            .iter()
            .find(|(name, _)| *name == field.name)
            .map(|(_, v)| v.as_str());
        let justified = field.purposes.iter().any(|id| decisions.get(id).justifies());
        let outcome = match value {
            _ if !justified => Outcome::Dropped(DropReason::NoPurposeGranted),
            None | Some("") => Outcome::Dropped(DropReason::Empty),
            Some(value) => {
                payload.insert(field.name.clone(), value);
                Outcome::Kept
            }
        };
        manifest.push((field.name.clone(), outcome));
    }
    for (name, _) in submitted {
        let undeclared = notice.field(name).is_none();
        if undeclared && !manifest.iter().any(|(n, _)| n == name) {
            manifest.push((name.clone(), Outcome::Dropped(DropReason::Undeclared)));
        }
    }
    Minimised {
        payload,
        manifest: Manifest(manifest),
    }
}
