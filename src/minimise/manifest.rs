//! What may leave the browser: a field is sent only when the notice declares it and at least one of its
//! purposes is granted or rests on another legal basis, and then only as its transform makes it. Everything
//! else is dropped, and the manifest says which and why (names and rules only, never values).

use crate::json::{Object, Value};
use crate::minimise::date::Date;
use crate::minimise::transform::Context;
use crate::notice::decisions::Decisions;
use crate::notice::rules::Transform;
use crate::notice::Notice;
use crate::prelude::*;

/// Why a field did not leave the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Every purpose that could justify it was refused.
    NoPurposeGranted,
    /// The notice does not declare it (a site's own field, or an injected one).
    Undeclared,
    /// It was left empty.
    Empty,
    /// Its transform is `drop`.
    Rule,
    /// Its transform cannot read it (e.g. `year` of something that is not a date), so it is not sent at all.
    Unreadable,
}

impl DropReason {
    /// Its name in manifests.
    pub fn name(self) -> &'static str {
        match self {
            Self::NoPurposeGranted => "no-purpose-granted",
            Self::Undeclared => "undeclared",
            Self::Empty => "empty",
            Self::Rule => "transform-drop",
            Self::Unreadable => "unreadable",
        }
    }
}

/// What happened to one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sent as typed.
    Kept,
    /// Sent as this transform made it.
    Transformed(Transform),
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

    /// The manifest as JSON: `[{"field": "email", "outcome": "transformed", "rule": "sha256:email:google",
    /// "ruleVersion": "2026-12"}, {"field": "company", "outcome": "dropped", "reason": "no-purpose-granted"}]`
    /// (a platform's rule names the version of its documentation it follows).
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.iter()
                .map(|(name, outcome)| {
                    let entry = Object::new().with("field", name);
                    match outcome {
                        Outcome::Kept => entry.with("outcome", "kept"),
                        Outcome::Transformed(transform) => {
                            let entry = entry
                                .with("outcome", "transformed")
                                .with("rule", transform.rule());
                            match transform.rule_version() {
                                Some(version) => entry.with("ruleVersion", version),
                                None => entry,
                            }
                        }
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

/// Applies the notice's rules to the submitted `(name, value)` pairs, on the day `today` (age bands count
/// from it); for a repeated name the first counts.
pub fn minimise(
    notice: &Notice,
    decisions: &Decisions,
    submitted: &[(String, String)],
    today: Date,
) -> Minimised {
    let context = Context {
        today,
        calling_code: notice.calling_code_for(submitted),
    };
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
            _ if field.transform == Transform::Drop => Outcome::Dropped(DropReason::Rule),
            Some(value) => match field.transform.apply(value, context) {
                None => Outcome::Dropped(DropReason::Unreadable),
                Some(sent) if sent.is_empty() => Outcome::Dropped(DropReason::Empty),
                Some(sent) => {
                    payload.insert(field.name.clone(), sent);
                    match field.transform {
                        Transform::Keep => Outcome::Kept,
                        transform => Outcome::Transformed(transform),
                    }
                }
            },
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
