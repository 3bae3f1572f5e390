//! Kantara Consent Receipt v1.1 JSON for one submission, with our additions under one extension key, and the
//! JWS signing input over its canonical bytes.
//!
//! Time, identifiers and keys are arguments: the core has no clock and no randomness.

use crate::jose::jwk::Algorithm;
use crate::jose::jwk::PublicJwk;
use crate::jose::jws::{header, signing_input};
use crate::jose::sha256::sha256_base64url;
use crate::json::canonical::to_canonical_string;
use crate::json::{Object, Value};
use crate::minimise::normalise;
use crate::minimise::{Manifest, Outcome};
use crate::notice::decisions::Decisions;
use crate::notice::signature::notice_hash;
use crate::notice::vocabulary::LegalBasis;
use crate::notice::{EmailPrincipal, Notice, Purpose};
use crate::prelude::*;
use crate::receipt::kantara::EXTENSION_KEY;

/// The Kantara version string.
pub const VERSION: &str = "KI-CR-v1.1.0";

/// The `typ` of a receipt JWS.
pub const TYP: &str = "consent-receipt+jws";

/// What a receipt is built from besides the notice and decisions.
#[derive(Clone, Copy, Debug)]
pub struct ReceiptContext<'a> {
    /// Seconds since the Unix epoch (Kantara's `consentTimestamp` is in seconds).
    pub issued_at: i64,
    /// A fresh UUID v4.
    pub receipt_id: &'a str,
    /// A pseudonymous identifier of the person, never a personal value in clear (see [`principal_id`]).
    pub principal_id: &'a str,
    /// The language the notice was shown in.
    pub language: &'a str,
    /// Whether the browser sent Global Privacy Control.
    pub gpc: bool,
    /// The controller's signature of the notice shown, when the notice was signed.
    pub notice_signature: Option<&'a str>,
    /// For a change or withdrawal: the hash of the receipt it follows (`verify::receipt_hash`).
    pub previous_receipt: Option<&'a str>,
    /// The base64url SHA-256 of the canonical JSON of the fields sent ([`fields_hash`]): binds the receipt to
    /// its body, so that no one else can post it first with other values.
    pub fields_sha256: Option<&'a str>,
    /// The URL of the endpoint it is sent to: another receiver (staging beside production) refuses it.
    pub endpoint: Option<&'a str>,
    /// The SHA-256 of the description of the destination that shapes what is sent (which CRM, in what form).
    pub destination_sha256: Option<&'a str>,
}

/// The base64url SHA-256 of the canonical JSON of `fields`, as a receipt's `fieldsSha256` names it.
pub fn fields_hash(fields: &Object) -> String {
    sha256_base64url(to_canonical_string(&Value::Object(fields.clone())).as_bytes())
}

/// A receipt: Kantara-shaped JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt(Value);

impl Receipt {
    /// Builds the receipt for `decisions` made on `notice`, with `manifest` saying what left the browser.
    pub fn build(
        notice: &Notice,
        decisions: &Decisions,
        manifest: &Manifest,
        context: ReceiptContext<'_>,
    ) -> Self {
        let language = context.language;
        let purposes = notice
            .purposes
            .iter()
            .map(|p| kantara_purpose(p, language))
            .collect();
        let sensitive = notice.purposes.iter().any(|p| p.sensitive);
        let mut spi_categories: Vec<Value> = Vec::new();
        for category in notice
            .purposes
            .iter()
            .filter(|p| p.sensitive)
            .flat_map(|p| &p.pii_category)
        {
            let category = Value::from(category.as_str());
            if !spi_categories.contains(&category) {
                spi_categories.push(category);
            }
        }
        let receipt = Object::new()
            .with("version", VERSION)
            .with("jurisdiction", notice.jurisdiction.as_str())
            .with("consentTimestamp", context.issued_at)
            .with("collectionMethod", "web form (consent-capture)")
            .with("consentReceiptID", context.receipt_id)
            .with("language", language)
            .with("piiPrincipalId", context.principal_id)
            .with(
                "piiControllers",
                Value::Array(vec![kantara_controller(notice).into()]),
            )
            .with("policyUrl", notice.policy_url.as_str())
            .with(
                "services",
                Value::Array(vec![Object::new()
                    .with("service", notice.controller.name.as_str())
                    .with("purposes", Value::Array(purposes))
                    .into()]),
            )
            .with("sensitive", sensitive)
            .with("spiCat", Value::Array(spi_categories))
            .with(EXTENSION_KEY, extension(notice, decisions, manifest, context));
        Self(receipt.into())
    }

    /// The receipt as JSON.
    pub fn as_json(&self) -> &Value {
        &self.0
    }

    /// The RFC 8785 canonical text: the bytes that are signed.
    pub fn to_canonical_string(&self) -> String {
        to_canonical_string(&self.0)
    }

    /// The JWS signing input for this receipt, signed by `key` with `algorithm`: the device signs it and
    /// appends `.` and the base64url signature.
    pub fn signing_input(&self, algorithm: Algorithm, key: &PublicJwk) -> String {
        signing_input(&header(algorithm, key, TYP), &self.to_canonical_string())
    }
}

/// The base64url SHA-256 of a receipt's compact JWS, as the next receipt in a chain names it.
pub fn receipt_hash(jws: &str) -> String {
    sha256_base64url(jws.trim().as_bytes())
}

/// The base64url SHA-256 of a request body, as the controller's acknowledgement names what arrived
/// (`bodySha256`) and the device keeps it once the body has left.
pub fn body_sha256(body: &str) -> String {
    sha256_base64url(body.as_bytes())
}

/// How a receipt names the person: the device key's thumbprint, unless the notice opts into a salted hash of
/// its e-mail field and that field was sent (a refused field never names anyone, not even hashed).
pub fn principal_id(
    notice: &Notice,
    submitted: &[(String, String)],
    manifest: &Manifest,
    device_thumbprint: &str,
) -> String {
    let email = notice.principal.as_ref().and_then(|principal| {
        let sent = manifest
            .outcome(&principal.field)
            .is_some_and(|o| !matches!(o, Outcome::Dropped(_)));
        let value = submitted
            .iter()
            .find(|(name, _)| *name == principal.field)
            .map(|(_, v)| v)?;
        sent.then(|| (principal, normalise::email(value)))
    });
    match email {
        Some((principal, email)) => salted_email_id(principal, &email),
        None => concat(&["jwk-thumbprint:", device_thumbprint]),
    }
}

/// The person's id for the normalised e-mail address `email` under the notice's `principal`:
/// `sha256:` and the base64url SHA-256 of `salt:email`. A receiver recomputes it from the address that arrived.
pub fn salted_email_id(principal: &EmailPrincipal, email: &str) -> String {
    let salted = concat(&[&principal.salt, ":", email]);
    concat(&["sha256:", &sha256_base64url(salted.as_bytes())])
}

fn kantara_controller(notice: &Notice) -> Object {
    let c = &notice.controller;
    let controller = Object::new()
        .with("piiController", c.name.as_str())
        .with("onBehalf", false)
        .with("contact", c.contact.as_str())
        .with("address", c.address.clone())
        .with("email", c.email.as_str())
        .with("phone", c.phone.as_str());
    match &c.url {
        Some(url) => controller.with("piiControllerUrl", url.as_str()),
        None => controller,
    }
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| Value::from(s.as_str())).collect())
}

fn kantara_purpose(purpose: &Purpose, language: &str) -> Value {
    let consent_type = if purpose.legal_basis == LegalBasis::Consent {
        "EXPLICIT"
    } else {
        "N/A"
    };
    // `purposeId` (an extra member, which Kantara's schema allows) ties each purpose to its decision in the
    // extension by id, not by position.
    let out = Object::new()
        .with("purpose", purpose.name.get(language))
        .with("purposeId", purpose.id.as_str())
        .with("purposeCategory", strings(&purpose.purpose_category))
        .with("consentType", consent_type)
        .with("piiCategory", strings(&purpose.pii_category))
        .with("termination", purpose.termination.get(language))
        .with("thirdPartyDisclosure", !purpose.third_parties.is_empty());
    if purpose.third_parties.is_empty() {
        out.into()
    } else {
        out.with("thirdPartyName", join(&purpose.third_parties, ", "))
            .into()
    }
}

fn extension(
    notice: &Notice,
    decisions: &Decisions,
    manifest: &Manifest,
    context: ReceiptContext<'_>,
) -> Object {
    let mut extension = Object::new()
        .with("noticeRevision", notice.revision.as_str())
        .with("noticeSha256", notice_hash(notice))
        .with("language", context.language)
        .with("gpc", context.gpc)
        .with("decisions", decisions.to_json(notice))
        .with("manifest", manifest.to_json());
    if let Some(signature) = context.notice_signature {
        extension.insert("noticeSignature", signature);
    }
    if let Some(previous) = context.previous_receipt {
        extension.insert("previousReceipt", previous);
    }
    if let Some(hash) = context.fields_sha256 {
        extension.insert("fieldsSha256", hash);
    }
    if let Some(endpoint) = context.endpoint {
        extension.insert("endpoint", endpoint);
    }
    if let Some(destination) = context.destination_sha256 {
        extension.insert("destinationSha256", destination);
    }
    extension
}
