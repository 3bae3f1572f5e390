//! CRM adapters: pure functions from a minimised payload and its receipt to the request body a CRM accepts.
//! They only reshape what minimisation let through; nothing is added but evidence (receipt id, notice hash)
//! and the consent decisions themselves.

use crate::prelude::*;

mod hubspot;
mod salesforce;

use crate::canonical::to_canonical_string;
use crate::consent::Decisions;
use crate::json::{Object, Value};
use crate::notice::Notice;
use crate::receipt::decisions_json;

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

/// What ties a submission to its proof, and where it was made.
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    /// The signed receipt (compact JWS).
    pub receipt: &'a str,
    /// The receipt's id (`consentReceiptID`).
    pub receipt_id: &'a str,
    /// The language the notice was shown in.
    pub language: &'a str,
    /// The page's URL.
    pub page_uri: &'a str,
    /// The page's title.
    pub page_name: &'a str,
}

/// A request body and its media type; the URL is the site's `endpoint`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The `Content-Type` header.
    pub content_type: &'static str,
    /// The body, exactly as sent.
    pub body: String,
}

/// Why an adapter cannot shape a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdapterProblem {
    /// Salesforce needs `crm.salesforce` (the organisation id and the receipt field) in the notice.
    SalesforceNotConfigured,
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
                    .with("decisions", decisions_json(notice, decisions))
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
