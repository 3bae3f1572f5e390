//! A submission as the element's `json` adapter posts it, `{"decisions": […], "fields": {name: value},
//! "receipt": "<jws>"}` (`decisions` may be absent: elements before it sent none), checked before anything is
//! stored: the receipt with the component's verifier against a notice this
//! receiver knows, its time, and fields that are exactly what the receipt's manifest says left the browser,
//! each in the shape of its transform. Whether it follows a receipt held here is the store's question
//! ([`crate::http`] asks it).

use crate::config::{KnownNotice, Limits};
use crate::refusal::Refusal;
use consent_capture::destination::{description_sha256, JSON};
use consent_capture::form::validate;
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::json::{parse, Object, Value};
use consent_capture::minimise::normalise;
use consent_capture::minimise::DropReason;
use consent_capture::notice::rules::Transform;
use consent_capture::notice::texts::built_in;
use consent_capture::receipt::body_sha256;
use consent_capture::receipt::check::{inspect, Principal};
use consent_capture::receipt::kantara::EXTENSION_KEY;
use consent_capture::receipt::verify::{verify_inspected, Expectations, VerifiedReceipt};
use consent_capture::receipt::{fields_hash, receipt_hash, salted_email_id};
use std::sync::OnceLock;

/// A submission that passed every check that needs no store.
#[derive(Clone, Debug)]
pub struct Submission {
    /// The receipt, a compact JWS.
    pub receipt: String,
    /// What verifying it found: its JSON and the device key that signed it.
    pub verified: VerifiedReceipt,
    /// Its `consentReceiptID`.
    pub receipt_id: String,
    /// Base64url SHA-256 of the receipt.
    pub receipt_sha256: String,
    /// The body as it arrived.
    pub body: String,
    /// Base64url SHA-256 of the body.
    pub body_sha256: String,
    /// The hash of the receipt it follows (`previousReceipt`), if any.
    pub previous: Option<String>,
    /// Whether the person's id is bound to what arrived: the key that signed it, or the salted hash of the
    /// e-mail address in the fields. An id that is not (a withdrawal naming people by e-mail hash sends no
    /// address) is bound only by the previous receipt it follows, which must then be held here.
    pub principal_proven: bool,
    /// The notice it was made under (its index in the receiver's notices).
    pub notice: usize,
}

fn unprocessable(rule: &'static str, at: impl Into<String>, message: impl Into<String>) -> Refusal {
    Refusal::new(422, rule, at, message)
}

/// Checks a body. `idempotency_key` is the header's value (the element sends the receipt id); `now` is the
/// receiver's clock, in seconds.
///
/// # Errors
/// The first rule the submission breaks.
pub fn read(
    body: &[u8],
    idempotency_key: Option<&str>,
    notices: &[KnownNotice],
    controller: &PublicJwk,
    limits: Limits,
    public_url: Option<&str>,
    now: i64,
) -> Result<Submission, Refusal> {
    let text = std::str::from_utf8(body).map_err(|_| Refusal::new(400, "body", "(body)", "not UTF-8"))?;
    let value = parse(text).map_err(|e| Refusal::new(400, "body", e.at(), e.text()))?;
    let object = value
        .as_object()
        .ok_or_else(|| Refusal::new(400, "body", "(body)", "not a JSON object"))?;
    if let Some((key, _)) = object
        .iter()
        .find(|(key, _)| !matches!(*key, "decisions" | "fields" | "receipt"))
    {
        return Err(Refusal::new(400, "body", key, "an unknown member"));
    }
    let receipt = object
        .get("receipt")
        .and_then(Value::as_str)
        .ok_or_else(|| Refusal::new(400, "body", "receipt", "a compact JWS string is required"))?;
    let fields = object
        .get("fields")
        .and_then(Value::as_object)
        .ok_or_else(|| Refusal::new(400, "body", "fields", "an object is required"))?;

    let receipt_refusal = |e: consent_capture::error::Error| unprocessable("receipt", e.at(), e.text());
    let (compact, claims) = inspect(receipt).map_err(receipt_refusal)?;
    let carried = |key: &str| {
        claims
            .as_object()
            .and_then(|c| c.get(EXTENSION_KEY))
            .and_then(Value::as_object)
            .and_then(|e| e.get(key))
            .and_then(Value::as_str)
    };
    let notice_hash = carried("noticeSha256");
    let notice = notices
        .iter()
        .position(|known| Some(known.hash.as_str()) == notice_hash)
        .ok_or_else(|| {
            unprocessable(
                "unknown-notice",
                [EXTENSION_KEY, ".noticeSha256"].concat(),
                "not the hash of a notice this receiver accepts",
            )
        })?;
    let known = &notices[notice];
    let expect = Expectations {
        notice: Some(&known.notice),
        // The notice's own signature, which the receiver checked at start, needs no second check; any
        // other must verify under the controller's key.
        controller_key: known
            .signature
            .as_deref()
            .filter(|signature| carried("noticeSignature") != Some(signature))
            .map(|_| controller),
        previous: None,
    };
    let verified = verify_inspected(&compact, claims, expect).map_err(receipt_refusal)?;
    let claims = verified.receipt.as_object();
    let member = |key: &str| claims.and_then(|c| c.get(key));
    let extension = member(EXTENSION_KEY).and_then(Value::as_object);
    let text_of = |key: &str| extension.and_then(|e| e.get(key)).and_then(Value::as_str);
    let receipt_id = member("consentReceiptID")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(key) = idempotency_key {
        if key != receipt_id {
            return Err(Refusal::new(
                400,
                "idempotency-key",
                "Idempotency-Key",
                "not the receipt's consentReceiptID",
            ));
        }
    }
    let issued = member("consentTimestamp")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    if issued > now + limits.clock_skew {
        return Err(unprocessable(
            "issued-in-the-future",
            "consentTimestamp",
            format!(
                "{} seconds ahead of the receiver's clock (at most {} allowed)",
                issued - now,
                limits.clock_skew
            ),
        ));
    }
    if issued < now - limits.max_age {
        return Err(unprocessable(
            "too-old",
            "consentTimestamp",
            format!(
                "issued {} seconds ago (at most {} accepted)",
                now - issued,
                limits.max_age
            ),
        ));
    }
    // The body's copy of the decisions is for readers that do not open the receipt: it must say what the
    // receipt signs, or nobody relies on it.
    if let Some(copy) = object.get("decisions") {
        if Some(copy) != extension.and_then(|e| e.get("decisions")) {
            return Err(unprocessable(
                "decisions",
                "decisions",
                "not the decisions the receipt signs",
            ));
        }
    }
    check_fields(fields, extension, known, limits.field_chars)?;
    check_binding(fields, extension, public_url)?;
    let previous = text_of("previousReceipt").map(str::to_owned);
    let principal_proven = match verified.principal {
        Principal::DeviceKey => true,
        Principal::SaltedEmailHash => email_hash_matches(&verified.receipt, fields, known)?,
    };
    if !principal_proven && previous.is_none() {
        return Err(unproven_principal());
    }
    Ok(Submission {
        receipt: receipt.to_owned(),
        receipt_id: receipt_id.to_owned(),
        receipt_sha256: receipt_hash(receipt),
        body: text.to_owned(),
        body_sha256: body_sha256(text),
        previous,
        principal_proven,
        notice,
        verified,
    })
}

/// A receipt that names the hash of its fields and its endpoint (every element since both were added) must
/// have arrived with those very fields, at this receiver: a receipt seen elsewhere cannot be posted first with
/// other values, nor to another receiver of the same controller (whose `--public-url` differs). One that names
/// its destination must name the json one, whose body this is: a receipt made for another CRM (the person was
/// told the data went there) is not recorded as received here. Older receipts, still in outboxes, name none.
fn check_binding(
    fields: &Object,
    extension: Option<&Object>,
    public_url: Option<&str>,
) -> Result<(), Refusal> {
    let at = |key: &str| [EXTENSION_KEY, ".", key].concat();
    for key in ["fieldsSha256", "endpoint", "destinationSha256"] {
        if extension
            .and_then(|e| e.get(key))
            .is_some_and(|v| v.as_str().is_none())
        {
            return Err(unprocessable("receipt", at(key), "a string is required"));
        }
    }
    let named = |key: &str| extension.and_then(|e| e.get(key)).and_then(Value::as_str);
    if let Some(hash) = named("fieldsSha256") {
        if hash != fields_hash(fields) {
            return Err(unprocessable(
                "fields-hash",
                at("fieldsSha256"),
                "not the hash of the fields that arrived: they are not the ones this receipt was made for",
            ));
        }
    }
    if let Some(destination) = named("destinationSha256") {
        if destination != json_destination_sha256() {
            return Err(unprocessable(
                "destination",
                at("destinationSha256"),
                "made for another destination than the json one this receiver takes",
            ));
        }
    }
    if let (Some(endpoint), Some(public_url)) = (named("endpoint"), public_url) {
        if origin_of(endpoint) != origin_of(public_url) {
            return Err(unprocessable(
                "endpoint",
                at("endpoint"),
                format!("made for {endpoint}, not for this receiver ({public_url})"),
            ));
        }
    }
    Ok(())
}

/// The SHA-256 a receipt names for the json destination (the description's canonical JSON).
fn json_destination_sha256() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| description_sha256(&parse(JSON).unwrap_or(Value::Null)))
}

/// The origin of an http(s) URL, as browsers compare them: scheme and authority, lowercase.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = match (scheme, authority.rsplit_once(':')) {
        ("https", Some((host, "443"))) | ("http", Some((host, "80"))) => host,
        _ => authority,
    };
    [scheme, "://", authority].concat().to_ascii_lowercase()
}

/// Whether a receipt naming the person by salted e-mail hash names the address that arrived: `false` when no
/// address arrived (then only a held previous receipt can bind the id).
///
/// # Errors
/// An address arrived and the id is not its hash: whoever sent it named someone else.
fn email_hash_matches(receipt: &Value, fields: &Object, known: &KnownNotice) -> Result<bool, Refusal> {
    // check_against_notice refused an e-mail hash under a notice that does not name people so.
    let Some(principal) = &known.notice.principal else {
        return Err(unproven_principal());
    };
    let Some(address) = fields.get(&principal.field).and_then(Value::as_str) else {
        return Ok(false);
    };
    let named = receipt
        .as_object()
        .and_then(|r| r.get("piiPrincipalId"))
        .and_then(Value::as_str);
    if named != Some(salted_email_id(principal, &normalise::email(address)).as_str()) {
        return Err(unprocessable(
            "principal",
            "piiPrincipalId",
            "not the salted hash of the e-mail address that arrived",
        ));
    }
    Ok(true)
}

/// A person named by an e-mail hash that nothing that arrived binds.
pub(crate) fn unproven_principal() -> Refusal {
    unprocessable(
        "principal",
        "piiPrincipalId",
        "a person named by e-mail hash needs the e-mail address in the fields, or a previous receipt held here",
    )
}

/// What `validate::check` is given for a phone number's country: the calling code matters only to a number that
/// is hashed, and only kept (or empty) values are checked here.
const KEPT_VALUES_NEED_NO_CALLING_CODE: &str = "";

/// The fields must be exactly those the manifest says were kept or transformed: nothing it dropped or never
/// declared, nothing missing, none longer than `most_chars` characters (nor a kept value longer than its
/// field's `maxLength`), each kept value passing its field's rules (the element's own validator: an option of
/// its select, an e-mail address) and each transformed value in its transform's shape; and no
/// required field left empty. (That the manifest's fields and rules are the notice's, and that a granted
/// purpose or another legal basis justifies each field sent, was checked with the receipt.)
fn check_fields(
    fields: &Object,
    extension: Option<&Object>,
    known: &KnownNotice,
    most_chars: usize,
) -> Result<(), Refusal> {
    let manifest = extension
        .and_then(|e| e.get("manifest"))
        .and_then(Value::as_array)
        .unwrap_or(&[]);
    let sent: Vec<&str> = manifest
        .iter()
        .filter_map(Value::as_object)
        .filter(|entry| entry.get("outcome").and_then(Value::as_str) != Some("dropped"))
        .filter_map(|entry| entry.get("field").and_then(Value::as_str))
        .collect();
    let at = |name: &str| ["fields.", name].concat();
    for (name, value) in fields.iter() {
        if !sent.contains(&name) {
            return Err(unprocessable(
                "fields",
                at(name),
                "the receipt's manifest does not say this field left the browser",
            ));
        }
        let value = value
            .as_str()
            .ok_or_else(|| unprocessable("fields", at(name), "a string is required"))?;
        let field = known.notice.field(name);
        // The notice's maxLength bounds what the person typed (a kept value); this receiver's limit, any value.
        let most = field
            .filter(|field| field.transform == Transform::Keep)
            .and_then(|field| field.max_length)
            .map_or(most_chars, |most| most_chars.min(most as usize));
        if value.chars().count() > most {
            return Err(unprocessable(
                "field-too-long",
                at(name),
                format!("longer than the {most} characters this field may have here"),
            ));
        }
        let transform = field.map(|field| field.transform);
        if let Some(problem) = field
            .filter(|field| field.transform == Transform::Keep)
            .and_then(|field| validate::check(field, value, KEPT_VALUES_NEED_NO_CALLING_CODE))
        {
            return Err(unprocessable(
                "field-rule",
                at(name),
                built_in("en", problem).unwrap_or_default(),
            ));
        }
        if !transform.is_some_and(|t| t.fits(value)) {
            let rule = transform.map(|t| t.rule()).unwrap_or_default();
            return Err(unprocessable(
                "transform-shape",
                at(name),
                format!("not the shape of what {rule} sends"),
            ));
        }
    }
    let left_empty = manifest
        .iter()
        .filter_map(Value::as_object)
        .filter(|entry| entry.get("reason").and_then(Value::as_str) == Some(DropReason::Empty.name()))
        .filter_map(|entry| entry.get("field").and_then(Value::as_str));
    for name in left_empty {
        if let Some(problem) = known
            .notice
            .field(name)
            .and_then(|field| validate::check(field, "", KEPT_VALUES_NEED_NO_CALLING_CODE))
        {
            return Err(unprocessable(
                "field-rule",
                at(name),
                built_in("en", problem).unwrap_or_default(),
            ));
        }
    }
    if let Some(missing) = sent.iter().find(|name| fields.get(name).is_none()) {
        return Err(unprocessable(
            "fields",
            at(missing),
            "the receipt's manifest says this field left the browser, but it is missing",
        ));
    }
    Ok(())
}
