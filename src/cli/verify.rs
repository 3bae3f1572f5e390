//! `consent-capture verify`: a receipt's signature and binding, and what each of its statements is bound to.

use crate::output::{read, read_json, say, write_out, Failure};
use clap::Args;
use consent_capture::destination::{description_sha256, SHIPPED};
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::json::{parse, Value};
use consent_capture::minimise::date::format_utc;
use consent_capture::receipt::check::Principal;
use consent_capture::receipt::kantara::EXTENSION_KEY;
use consent_capture::receipt::receipt_hash;
use consent_capture::receipt::verify::{
    verify_acknowledgement, verify_receipt, Expectations, VerifiedReceipt,
};
use consent_capture::Notice;
use std::path::PathBuf;

/// Verifies a consent receipt.
///
/// Exits 0 for a valid receipt, 1 for an invalid one (with the reason), 2 for a usage error. It says what each
/// statement of the receipt is bound to: without --controller-key and --notice, the controller, the notice and
/// the decisions are only what the device that signed it wrote. With --acknowledgement it also checks the
/// controller's acknowledgement of the receipt: its signature, that it names this receipt (its hash and id),
/// times that fit it, and the inclusion proof of its record in the log head it signs; with --body, that it
/// names the SHA-256 of the body that was sent (as posted, byte for byte).
#[derive(Args)]
pub(crate) struct Verify {
    /// The receipt (a compact JWS).
    receipt: PathBuf,
    /// The controller's public key (JWK): the notice's hash and revision must be signed by it.
    #[arg(long, value_name = "PUBLIC.jwk")]
    controller_key: Option<PathBuf>,
    /// The notice the receipt must have been made under.
    #[arg(long, value_name = "NOTICE.json")]
    notice: Option<PathBuf>,
    /// The receipt this one must follow (a withdrawal or a change).
    #[arg(long, value_name = "RECEIPT.jws")]
    previous: Option<PathBuf>,
    /// The controller's acknowledgement of the receipt.
    #[arg(long, value_name = "ACKNOWLEDGEMENT.jws", requires = "controller_key")]
    acknowledgement: Option<PathBuf>,
    /// The body that was sent with the receipt, byte for byte.
    #[arg(long, value_name = "BODY.json", requires = "acknowledgement")]
    body: Option<PathBuf>,
}

impl Verify {
    pub(crate) fn run(self) -> Result<(), Failure> {
        let jws = read(&self.receipt)?;
        let previous = self.previous.as_deref().map(read).transpose()?;
        let controller_key = match &self.controller_key {
            Some(path) => Some(
                PublicJwk::from_json(&read_json(path)?, "controller-key").map_err(|e| {
                    Failure::Usage(format!(
                        "{}: {e} (public-key prints the public part)",
                        path.display()
                    ))
                })?,
            ),
            None => None,
        };
        let notice = match &self.notice {
            Some(path) => Some(
                Notice::from_json(&read(path)?)
                    .map_err(|e| Failure::Usage(format!("{}:\n{e}", path.display())))?,
            ),
            None => None,
        };
        let expect = Expectations {
            previous: previous.as_deref(),
            controller_key: controller_key.as_ref(),
            notice: notice.as_ref(),
        };
        let verified = verify_receipt(&jws, expect).map_err(|e| Failure::Invalid(e.to_string()))?;
        let body = self.body.as_deref().map(read).transpose()?;
        let acknowledgement = match (&self.acknowledgement, &controller_key) {
            (Some(path), Some(key)) => Some(
                verify_acknowledgement(&read(path)?, &jws, body.as_deref(), key)
                    .map_err(|e| Failure::Invalid(format!("acknowledgement: {e}")))?,
            ),
            _ => None,
        };
        write_out(&summary(&verified, &jws, expect));
        if let Some(acknowledgement) = acknowledgement {
            say!(
                "  received     by the controller {} (its clock), record {} of its log: acknowledgement signed by the \
                 given controller key, its record included in the log head of size {} signed {}",
                format_utc(acknowledgement.received_at),
                acknowledgement.position,
                acknowledgement.head_size,
                format_utc(acknowledgement.head_time)
            );
        }
        Ok(())
    }
}

/// The string member `key` of an object, if there is one.
fn string_member<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.as_object().and_then(|o| o.get(key)).and_then(Value::as_str)
}

/// A plain-language account of a verified receipt that claims only what was checked: each line says what
/// binds it (the device key's signature, the controller's notice signature, the given notice).
fn summary(verified: &VerifiedReceipt, jws: &str, expect: Expectations<'_>) -> String {
    let receipt = &verified.receipt;
    let get = |path: &[&str]| {
        path.iter()
            .try_fold(receipt, |v, k| v.as_object().and_then(|o| o.get(k)))
    };
    let text = |path: &[&str]| get(path).and_then(Value::as_str).unwrap_or("-").to_owned();
    let controller = get(&["piiControllers"])
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .cloned()
        .unwrap_or(Value::Null);
    let controller_text = |k: &str| string_member(&controller, k).unwrap_or("-").to_owned();
    let words = if expect.notice.is_some() {
        "as the given notice says"
    } else {
        "the device's words: not checked against a notice (--notice)"
    };
    let mut out =
        String::from("VALID consent receipt: signed by the device key in its header, unchanged since\n");
    let issued = get(&["consentTimestamp"])
        .and_then(Value::as_i64)
        .map_or("-".into(), format_utc);
    out += &format!(
        "  receipt      {} issued {issued} (by the device's clock)\n",
        text(&["consentReceiptID"])
    );
    out += &format!("  signed by    device key {}\n", verified.key.thumbprint());
    let person = match verified.principal {
        Principal::DeviceKey => "the device key that signed it",
        Principal::SaltedEmailHash => {
            "a salted e-mail hash the device wrote: checkable only with the address"
        }
    };
    out += &format!("  person       {} ({person})\n", text(&["piiPrincipalId"]));
    out += &format!(
        "  controller   {} <{}> ({words})\n",
        controller_text("piiController"),
        controller_text("email")
    );
    out += &format!("  policy       {} ({words})\n", text(&["policyUrl"]));
    let signed = if expect.controller_key.is_some() {
        "notice hash and revision signed by the given controller key"
    } else {
        "the controller's signature not checked (--controller-key)"
    };
    out += &format!(
        "  notice       revision {}, sha256 {} ({signed})\n",
        text(&[EXTENSION_KEY, "noticeRevision"]),
        text(&[EXTENSION_KEY, "noticeSha256"])
    );
    for decision in get(&[EXTENSION_KEY, "decisions"])
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        let field = |k: &str| string_member(decision, k).unwrap_or("-");
        out += &format!(
            "  {:<12} {} ({})\n",
            field("decision"),
            field("purpose"),
            field("legalBasis")
        );
    }
    for entry in get(&[EXTENSION_KEY, "manifest"])
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        let field = |k: &str| string_member(entry, k).unwrap_or("");
        let how = match field("outcome") {
            "transformed" => match string_member(entry, "ruleVersion") {
                Some(version) => format!(
                    "transformed by {} (the platform's rule as documented in {version})",
                    field("rule")
                ),
                None => format!("transformed by {}", field("rule")),
            },
            "dropped" => format!("dropped: {}", field("reason")),
            outcome => outcome.to_owned(),
        };
        out += &format!("  field        {} {how}\n", field("field"));
    }
    if let Some(endpoint) = get(&[EXTENSION_KEY, "endpoint"]).and_then(Value::as_str) {
        out += &format!(
            "  sent to      {endpoint} (as the device named it, bound by its signature: a receiver at another \
             address refuses it)\n"
        );
    }
    if let Some(destination) = get(&[EXTENSION_KEY, "destinationSha256"]).and_then(Value::as_str) {
        let shipped = SHIPPED
            .iter()
            .find(|(_, text)| parse(text).is_ok_and(|d| description_sha256(&d) == destination));
        out += &match shipped {
            Some((name, _)) => format!(
                "  shaped by    the shipped {name} destination (description sha256 {destination})\n"
            ),
            None => format!(
                "  shaped by    a destination description with sha256 {destination} (not one this version ships: \
                 ask the site for it)\n"
            ),
        };
    }
    match get(&[EXTENSION_KEY, "previousReceipt"]).and_then(Value::as_str) {
        Some(hash) if expect.previous.is_some() => {
            out += &format!("  follows      the given previous receipt ({hash}): ");
            out += "same device key, person and controller, not earlier\n";
        }
        Some(hash) => out += &format!("  follows      a previous receipt {hash} (not given, not checked)\n"),
        None => {}
    }
    out += &format!("  this receipt {}\n", receipt_hash(jws));
    out
}
