//! Which adapter shapes a submission, and the dispatch to it.

use super::shape::{AdapterProblem, Evidence, Request};
use super::{hubspot, salesforce};

use crate::json::canonical::to_canonical_string;
use crate::json::{Object, Value};
use crate::notice::decisions::Decisions;
use crate::notice::Notice;

/// Where a submission goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adapter {
    /// `{"decisions": […], "fields": {…}, "receipt": "<jws>"}` as JSON: the decisions as the receipt signs them.
    Json,
    /// HubSpot Forms API v3 (`/submissions/v3/integration/submit/{portalId}/{formGuid}`).
    HubSpot,
    /// Salesforce Web-to-Lead (`/servlet/servlet.WebToLead?encoding=UTF-8`).
    Salesforce,
}

impl Adapter {
    /// Every adapter with its name in the `adapter` attribute.
    pub const ALL: [(Self, &'static str); 3] = [
        (Self::Json, "json"),
        (Self::HubSpot, "hubspot"),
        (Self::Salesforce, "salesforce"),
    ];

    /// The adapter called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(a, _)| *a)
    }
}

/// The request `adapter` sends for `payload` (minimised) with its receipt.
///
/// # Errors
/// When the notice lacks the settings the adapter needs.
pub fn request(
    adapter: Adapter,
    notice: &Notice,
    decisions: &Decisions,
    payload: &Object,
    evidence: Evidence<'_>,
) -> Result<Request, AdapterProblem> {
    Ok(match adapter {
        Adapter::Json => Request {
            content_type: "application/json",
            body: to_canonical_string(&Value::Object(
                Object::new()
                    .with("decisions", decisions.to_json(notice))
                    .with("fields", payload.clone())
                    .with("receipt", evidence.receipt),
            )),
        },
        Adapter::HubSpot => Request {
            content_type: "application/json",
            body: hubspot::body(notice, decisions, payload, evidence),
        },
        Adapter::Salesforce => Request {
            content_type: "application/x-www-form-urlencoded",
            body: salesforce::body(notice, payload, evidence)?,
        },
    })
}
