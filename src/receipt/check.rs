//! What a receipt's signature binds, checked alike by every verifier: the native CLI, the browser and Node
//! run this same code and differ only in who checks the signature itself (ed25519-dalek and p256 natively,
//! WebCrypto in JavaScript), on input that [`crate::jose::signature_form`] has already made unambiguous.
//!
//! A valid signature proves that the holder of the key in the header signed these bytes. What else the
//! receipt says is bound only where it is checked against something signed: the person's id against that
//! key, the notice hash against the controller's notice signature, and the controller, policy, purposes and
//! decisions against the notice itself ([`check_against_notice`]). A chain is bound by [`check_follows`].
//! No check here reads a clock: the consent time is what the device said, held to a plausible range.

use crate::error::{Error, ErrorKind};
use crate::jose::base64url;
use crate::jose::jwk::Algorithm;
use crate::jose::jwk::{check_use, PublicJwk};
use crate::jose::jws::{parse_compact, require_typ, Compact};
use crate::jose::signature_form::es256_is_low_s;
use crate::json::canonical::to_canonical_string;
use crate::json::reader::{index_path, key_path};
use crate::json::{parse, Value};
use crate::minimise::Manifest;
use crate::notice::decisions::Decisions;
use crate::notice::rules::Transform;
use crate::notice::signature::notice_hash;
use crate::notice::vocabulary::Decision;
use crate::notice::vocabulary::LegalBasis;
use crate::notice::Notice;
use crate::prelude::*;
use crate::receipt::is_uuid;
use crate::receipt::kantara::check_shape;
use crate::receipt::kantara::EXTENSION_KEY;
use crate::receipt::{receipt_hash, Receipt, ReceiptContext, TYP};
use crate::text::repeated_names;

/// The earliest consent time accepted: 2020-01-01T00:00:00Z, in seconds. Receipts are younger than that, and
/// a small number here is most likely not a time at all.
pub const EARLIEST_TIMESTAMP: i64 = 1_577_836_800;
/// The latest: 2100-01-01T00:00:00Z. A time in milliseconds (year 58,000 and more) lands far above it.
pub const LATEST_TIMESTAMP: i64 = 4_102_444_800;

/// How a receipt names the person, and what binds that name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `jwk-thumbprint:` of the very key that signed the receipt.
    DeviceKey,
    /// `sha256:` of the notice's salt and the e-mail address that was sent: only someone holding the address
    /// and the salt can check it; the verifier knows it is a hash the device wrote, nothing more.
    SaltedEmailHash,
}

/// Everything about a receipt except its signature: a strict JWS of `typ` `consent-receipt+jws` with the
/// signing key in its header (no member saying it is for something else) and a low-S signature, whose payload
/// is canonical JSON in the Kantara v1.1 shape with consent-capture's extension, a plausible consent time, and
/// a person's id bound to the key or in the salted-hash form. The signature is checked by the caller
/// (natively with `verify`, in the browser with WebCrypto).
///
/// # Errors
/// The first problem, with where it is.
pub fn inspect(jws: &str) -> Result<(Compact, Value), Error> {
    let compact = parse_compact(jws.trim())?;
    require_typ(&compact, TYP)?;
    let key = compact
        .jwk
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Missing, "header.jwk"))?;
    check_use(
        compact.header.get("jwk").unwrap_or(&Value::Null),
        compact.algorithm,
        "header.jwk",
    )?;
    if compact.algorithm == Algorithm::Es256 && !es256_is_low_s(&compact.signature) {
        return Err(Error::new(ErrorKind::MalleableSignature, "signature").with_detail("ES256 high S"));
    }
    let text =
        core::str::from_utf8(&compact.payload).map_err(|_| Error::new(ErrorKind::Syntax, "payload"))?;
    let receipt = parse(text).map_err(|e| Error::new(e.kind(), "payload").with_detail(e.at()))?;
    if to_canonical_string(&receipt) != text {
        return Err(Error::new(ErrorKind::NotCanonical, "payload"));
    }
    check_shape(&receipt)?;
    check_claims(&receipt, key)?;
    Ok((compact, receipt))
}

/// How `receipt` (already inspected) names the person.
pub fn principal(receipt: &Value) -> Principal {
    match text(receipt, "piiPrincipalId") {
        Some(id) if id.starts_with("sha256:") => Principal::SaltedEmailHash,
        _ => Principal::DeviceKey,
    }
}

fn member<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    object.as_object().and_then(|o| o.get(key))
}

fn text<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    member(object, key).and_then(Value::as_str)
}

fn extension(receipt: &Value) -> Option<&Value> {
    member(receipt, EXTENSION_KEY)
}

fn is_sha256(text: &str) -> bool {
    text.len() == 43 && base64url::decode(text).is_some_and(|bytes| bytes.len() == 32)
}

fn not_bound(at: &str, detail: &str) -> Error {
    Error::new(ErrorKind::NotBound, at).with_detail(detail)
}

fn check_claims(receipt: &Value, key: &PublicJwk) -> Result<(), Error> {
    let issued = member(receipt, "consentTimestamp").and_then(Value::as_i64);
    if !issued.is_some_and(|t| (EARLIEST_TIMESTAMP..LATEST_TIMESTAMP).contains(&t)) {
        return Err(Error::new(ErrorKind::OutOfRange, "consentTimestamp")
            .with_detail("seconds between 2020 and 2100"));
    }
    if !text(receipt, "consentReceiptID").is_some_and(is_uuid) {
        return Err(Error::new(ErrorKind::NotAllowed, "consentReceiptID")
            .with_detail("a UUID in lowercase RFC 9562 form"));
    }
    let person = text(receipt, "piiPrincipalId").unwrap_or_default();
    let bound = match person.split_once(':') {
        Some(("jwk-thumbprint", thumbprint)) => thumbprint == key.thumbprint(),
        Some(("sha256", hash)) => is_sha256(hash),
        _ => false,
    };
    if !bound {
        return Err(not_bound(
            "piiPrincipalId",
            "neither jwk-thumbprint: of the signing key nor a sha256: salted e-mail hash",
        ));
    }
    check_extension(receipt)
}

/// The extension members every reader relies on, with their types and the words they may hold.
fn check_extension(receipt: &Value) -> Result<(), Error> {
    let at = |key: &str| key_path(EXTENSION_KEY, key);
    let extension = extension(receipt).ok_or_else(|| Error::new(ErrorKind::Missing, EXTENSION_KEY))?;
    for key in ["noticeRevision", "language"] {
        if text(extension, key).is_none() {
            return Err(Error::new(ErrorKind::Missing, at(key)));
        }
    }
    for key in ["noticeSha256", "previousReceipt"] {
        let optional = key == "previousReceipt";
        match text(extension, key) {
            Some(hash) if is_sha256(hash) => {}
            None if optional && member(extension, key).is_none() => {}
            _ => return Err(Error::new(ErrorKind::WrongType, at(key)).with_detail("a base64url SHA-256")),
        }
    }
    if member(extension, "gpc").and_then(Value::as_bool).is_none() {
        return Err(Error::new(ErrorKind::Missing, at("gpc")));
    }
    if member(extension, "noticeSignature").is_some_and(|s| s.as_str().is_none()) {
        return Err(Error::new(ErrorKind::WrongType, at("noticeSignature")));
    }
    let decisions = list(extension, "decisions", &at("decisions"))?;
    let purposes = receipt_purposes(receipt);
    if decisions.len() != purposes.len() {
        return Err(not_bound(
            &at("decisions"),
            "one decision per purpose of the receipt",
        ));
    }
    for (i, (decision, purpose)) in decisions.iter().zip(purposes).enumerate() {
        let path = index_path(&at("decisions"), i);
        let id = text(decision, "purpose");
        let basis = text(decision, "legalBasis").and_then(LegalBasis::from_name);
        let word = text(decision, "decision");
        let (Some(id), Some(basis), Some(word)) = (id, basis, word) else {
            return Err(
                Error::new(ErrorKind::WrongType, path).with_detail("purpose, legalBasis and decision")
            );
        };
        let consent = basis == LegalBasis::Consent;
        let fits = match word {
            "granted" | "denied" => consent,
            // A withdrawal takes back what an earlier receipt granted, so it always follows one.
            "withdrawn" => consent && member(extension, "previousReceipt").is_some(),
            "not-asked" => !consent,
            _ => false,
        };
        let explicit = text(purpose, "consentType") == Some(if consent { "EXPLICIT" } else { "N/A" });
        if !fits || !explicit || text(purpose, "purposeId") != Some(id) {
            return Err(not_bound(
                &path,
                "the purpose at the same place, with its legal basis",
            ));
        }
    }
    for (i, entry) in list(extension, "manifest", &at("manifest"))?.iter().enumerate() {
        let path = index_path(&at("manifest"), i);
        let told = match text(entry, "outcome") {
            Some("kept") => true,
            Some("transformed") => text(entry, "rule").is_some(),
            Some("dropped") => text(entry, "reason").is_some(),
            _ => false,
        };
        if !told || text(entry, "field").is_none() {
            return Err(
                Error::new(ErrorKind::WrongType, path).with_detail("field, outcome and its rule or reason")
            );
        }
    }
    Ok(())
}

fn list<'a>(object: &'a Value, key: &str, at: &str) -> Result<&'a [Value], Error> {
    member(object, key)
        .and_then(Value::as_array)
        .ok_or_else(|| Error::new(ErrorKind::WrongType, at).with_detail("an array"))
}

/// The Kantara purposes of every service, in order.
fn receipt_purposes(receipt: &Value) -> Vec<&Value> {
    member(receipt, "services")
        .and_then(Value::as_array)
        .unwrap_or(&[])
        .iter()
        .flat_map(|service| {
            member(service, "purposes")
                .and_then(Value::as_array)
                .unwrap_or(&[])
        })
        .collect()
}

/// Checks that `receipt` (inspected) describes `notice` exactly as the element would: its hash, revision,
/// controller, policy, jurisdiction and purposes in the receipt's language, one decision per purpose on the
/// notice's legal basis, a manifest of declared fields under their declared rules, each sent only while a
/// purpose that justifies it is granted or rests on another legal basis, and a person's id in a form the
/// notice allows.
///
/// # Errors
/// `NotBound` at the first member that differs.
pub fn check_against_notice(receipt: &Value, notice: &Notice) -> Result<(), Error> {
    let extension = extension(receipt).unwrap_or(&Value::Null);
    let hash_at = key_path(EXTENSION_KEY, "noticeSha256");
    if text(extension, "noticeSha256") != Some(notice_hash(notice).as_str()) {
        return Err(not_bound(&hash_at, "not the hash of the given notice"));
    }
    let language = text(extension, "language").unwrap_or_default();
    if !notice.languages.iter().any(|l| l == language) {
        return Err(not_bound(
            &key_path(EXTENSION_KEY, "language"),
            "not a language of the notice",
        ));
    }
    let context = ReceiptContext {
        issued_at: 0,
        receipt_id: "",
        principal_id: "",
        language,
        gpc: false,
        notice_signature: None,
        previous_receipt: None,
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    let expected = Receipt::build(notice, &Decisions::initial(notice), &Manifest::default(), context);
    let expected = expected.as_json();
    let members = [
        "version",
        "jurisdiction",
        "language",
        "piiControllers",
        "policyUrl",
        "services",
        "sensitive",
        "spiCat",
    ];
    for key in members {
        if member(receipt, key) != member(expected, key) {
            return Err(not_bound(key, "not what the given notice says"));
        }
    }
    let revision_at = key_path(EXTENSION_KEY, "noticeRevision");
    if text(extension, "noticeRevision") != Some(notice.revision.as_str()) {
        return Err(not_bound(&revision_at, "not the given notice's revision"));
    }
    // Ids, order and legal bases of the decisions follow from the purposes (check_extension ties each decision
    // to the purpose at its place), which now equal the notice's.
    if principal(receipt) == Principal::SaltedEmailHash && notice.principal.is_none() {
        return Err(not_bound(
            "piiPrincipalId",
            "the notice does not name people by e-mail hash",
        ));
    }
    let manifest_at = key_path(EXTENSION_KEY, "manifest");
    let manifest = list(extension, "manifest", &manifest_at)?;
    let names: Vec<&str> = manifest
        .iter()
        .map(|entry| text(entry, "field").unwrap_or_default())
        .collect();
    if let Some(&i) = repeated_names(&names).first() {
        return Err(Error::new(ErrorKind::Duplicate, index_path(&manifest_at, i)).with_detail(names[i]));
    }
    let decided = |purpose: &str| {
        list(extension, "decisions", "")
            .unwrap_or(&[])
            .iter()
            .find(|d| text(d, "purpose") == Some(purpose))
            .and_then(|d| text(d, "decision"))
            .and_then(Decision::from_name)
    };
    for (i, (entry, name)) in manifest.iter().zip(&names).enumerate() {
        let path = index_path(&manifest_at, i);
        let Some(field) = notice.field(name) else {
            return Err(not_bound(&path, "a field the notice does not declare"));
        };
        let outcome = text(entry, "outcome");
        if outcome == Some("dropped") {
            continue;
        }
        // What the element's minimisation would never send, a receipt must not say was sent: a field leaves
        // only as its notice rule makes it, and only while a purpose that justifies it is granted or rests on
        // another legal basis.
        let rule = field.transform.rule();
        let as_declared = match field.transform {
            Transform::Keep => outcome == Some("kept"),
            Transform::Drop => false,
            _ => {
                outcome == Some("transformed")
                    && text(entry, "rule") == Some(rule.as_str())
                    && text(entry, "ruleVersion") == field.transform.rule_version()
            }
        };
        if !as_declared {
            return Err(not_bound(&path, "not the notice's rule for this field"));
        }
        if !field
            .purposes
            .iter()
            .any(|purpose| decided(purpose).is_some_and(Decision::justifies))
        {
            return Err(not_bound(
                &path,
                "sent, though no purpose that justifies it is granted or rests on another basis",
            ));
        }
    }
    Ok(())
}

/// Checks that `later` (inspected, signed by `later_key`) follows `earlier` (inspected and verified, its
/// compact JWS `earlier_jws`, signed by `earlier_key`): the same device key, person, controller, policy and
/// jurisdiction, the earlier receipt's hash, and a consent time no earlier than it.
///
/// # Errors
/// `ChainBroken` at the first member that does not follow.
pub fn check_follows(
    later: &Value,
    later_key: &PublicJwk,
    earlier: &Value,
    earlier_key: &PublicJwk,
    earlier_jws: &str,
) -> Result<(), Error> {
    let broken = |at: &str, detail: &str| Error::new(ErrorKind::ChainBroken, at).with_detail(detail);
    if later_key != earlier_key {
        return Err(broken("header.jwk", "signed by another device key"));
    }
    let previous = extension(later).and_then(|e| text(e, "previousReceipt"));
    if previous != Some(receipt_hash(earlier_jws).as_str()) {
        return Err(broken(
            &key_path(EXTENSION_KEY, "previousReceipt"),
            "names another receipt",
        ));
    }
    for key in ["piiPrincipalId", "piiControllers", "policyUrl", "jurisdiction"] {
        if member(later, key) != member(earlier, key) {
            return Err(broken(key, "not the same as in the previous receipt"));
        }
    }
    let time = |receipt: &Value| member(receipt, "consentTimestamp").and_then(Value::as_i64);
    if time(later) < time(earlier) {
        return Err(broken("consentTimestamp", "earlier than the receipt it follows"));
    }
    let decisions = |receipt| {
        extension(receipt)
            .and_then(|e| member(e, "decisions"))
            .and_then(Value::as_array)
            .unwrap_or(&[])
    };
    // A purpose is withdrawn only from a grant, and stays withdrawn in the withdrawals that follow.
    let granted_before = |purpose| {
        decisions(earlier).iter().any(|d| {
            text(d, "purpose") == purpose && matches!(text(d, "decision"), Some("granted" | "withdrawn"))
        })
    };
    for (i, decision) in decisions(later).iter().enumerate() {
        if text(decision, "decision") == Some("withdrawn") && !granted_before(text(decision, "purpose")) {
            return Err(broken(
                &index_path(&key_path(EXTENSION_KEY, "decisions"), i),
                "withdraws a purpose the previous receipt neither granted nor withdrew",
            ));
        }
    }
    Ok(())
}
