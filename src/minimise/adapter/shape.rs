//! What every adapter takes and gives: the evidence that ties a submission to its proof, the request it
//! shapes, and why it cannot.

use crate::prelude::*;

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
