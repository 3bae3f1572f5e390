//! What a verified receipt binds, and to what: a forged receipt that copies a genuine notice signature passes
//! the controller-key check (which only binds the notice hash and revision) and is refused against the
//! notice itself; a chain must keep its person, controller and policy and never go back in time.
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::jose::jws::{header, signing_input};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{Object, Value};
use consent_capture::notice::signature::{self, TYP as NOTICE_TYP};
use consent_capture::receipt::verify::{verify_receipt, Expectations};
use consent_capture::receipt::{receipt_hash, Receipt, ReceiptContext, TYP};
use consent_capture::{minimise, uuid_v4, Decisions, ErrorKind, Notice};

const DEMO: &str = include_str!("../www/demo/notice.json");
const TODAY: consent_capture::minimise::date::Date = consent_capture::minimise::date::Date {
    year: 2026,
    month: 11,
    day: 22,
};

fn demo() -> Notice {
    Notice::from_json(DEMO).expect("valid")
}

fn controller() -> PrivateKey {
    PrivateKey::ed25519_from_seed([77; 32])
}

fn notice_signature(notice: &Notice) -> String {
    let key = controller();
    key.sign(&signing_input(
        &header(key.algorithm(), &key.public(), NOTICE_TYP),
        &signature::payload(notice),
    ))
}

/// The payload of a receipt for `notice` by `device`, issued at `issued_at`, after `previous`.
fn payload(notice: &Notice, device: &PrivateKey, issued_at: i64, previous: Option<&str>) -> Value {
    let mut decisions = Decisions::initial(notice);
    decisions
        .set("newsletter", previous.is_none())
        .expect("consent purpose");
    let typed = [("name", "Ada"), ("email", "ada@example.com"), ("topic", "sales")];
    let typed: Vec<(String, String)> = typed.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    let minimised = minimise(notice, &decisions, &typed, TODAY);
    let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
    let id = uuid_v4([issued_at as u8; 16]);
    let signature = notice_signature(notice);
    let previous = previous.map(receipt_hash);
    let context = ReceiptContext {
        issued_at,
        receipt_id: &id,
        principal_id: &principal,
        language: "en",
        gpc: false,
        notice_signature: Some(&signature),
        previous_receipt: previous.as_deref(),
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    Receipt::build(notice, &decisions, &minimised.manifest, context)
        .as_json()
        .clone()
}

fn sign(device: &PrivateKey, payload: &Value) -> String {
    device.sign(&signing_input(
        &header(device.algorithm(), &device.public(), TYP),
        &to_canonical_string(payload),
    ))
}

/// `value` with the member at `path` set to `new`.
fn with(value: &Value, path: &[&str], new: Value) -> Value {
    let object = value.as_object().expect("object");
    let mut out = Object::new();
    for (key, member) in object.iter() {
        let member = match path {
            [first] if *first == key => new.clone(),
            [first, rest @ ..] if *first == key => with(member, rest, new.clone()),
            _ => member.clone(),
        };
        out.insert(key, member);
    }
    Value::Object(out)
}

fn refused(jws: &str, expect: Expectations<'_>) -> (ErrorKind, String) {
    let error = verify_receipt(jws, expect).expect_err("refused");
    (error.kind(), error.at().to_owned())
}

#[test]
fn a_forged_receipt_with_a_copied_notice_signature_is_caught_by_the_notice_not_by_the_key_alone() {
    let notice = demo();
    let attacker = PrivateKey::ed25519_from_seed([66; 32]);
    let genuine = payload(&notice, &attacker, 1_795_000_000, None);
    let renamed = Object::new()
        .with("piiController", "Someone Else Ltd")
        .with("onBehalf", false)
        .with("contact", "x")
        .with("address", Object::new())
        .with("email", "x@example.net")
        .with("phone", "0");
    let forged = sign(
        &attacker,
        &with(&genuine, &["piiControllers"], Value::Array(vec![renamed.into()])),
    );
    let key = controller().public();
    let by_key = Expectations {
        controller_key: Some(&key),
        ..Expectations::default()
    };
    assert!(
        verify_receipt(&forged, by_key).is_ok(),
        "the controller key binds the notice hash and revision only, and the output says so"
    );
    let by_notice = Expectations {
        notice: Some(&notice),
        ..by_key
    };
    assert_eq!(
        refused(&forged, by_notice),
        (ErrorKind::NotBound, "piiControllers".into())
    );
    assert!(verify_receipt(&sign(&attacker, &genuine), by_notice).is_ok());
}

#[test]
fn against_the_notice_every_member_it_determines_is_checked() {
    let notice = demo();
    let device = PrivateKey::ed25519_from_seed([5; 32]);
    let good = payload(&notice, &device, 1_795_000_000, None);
    let expect = Expectations {
        notice: Some(&notice),
        ..Expectations::default()
    };
    assert!(verify_receipt(&sign(&device, &good), expect).is_ok());
    let cases: [(&[&str], Value, &str); 6] = [
        (&["policyUrl"], "https://example.com/other".into(), "policyUrl"),
        (&["jurisdiction"], "FR".into(), "jurisdiction"),
        (&["spiCat"], Value::Array(vec!["health".into()]), "spiCat"),
        (
            &["consentCapture", "noticeRevision"],
            "2020-01-01".into(),
            "consentCapture.noticeRevision",
        ),
        (
            &["consentCapture", "noticeSha256"],
            "A".repeat(43).into(),
            "consentCapture.noticeSha256",
        ),
        (
            &["piiPrincipalId"],
            format!("sha256:{}", "A".repeat(43)).into(),
            "piiPrincipalId",
        ),
    ];
    for (path, value, at) in cases {
        let changed = sign(&device, &with(&good, path, value));
        assert_eq!(
            refused(&changed, expect),
            (ErrorKind::NotBound, at.into()),
            "{at}"
        );
    }
    let undeclared = Value::Array(vec![Object::new()
        .with("field", "password")
        .with("outcome", "kept")
        .into()]);
    let changed = sign(&device, &with(&good, &["consentCapture", "manifest"], undeclared));
    assert_eq!(
        refused(&changed, expect).0,
        ErrorKind::NotBound,
        "a field the notice does not declare"
    );
    let wrong_rule = Value::Array(vec![Object::new()
        .with("field", "phone")
        .with("outcome", "transformed")
        .with("rule", "keep")
        .into()]);
    let changed = sign(&device, &with(&good, &["consentCapture", "manifest"], wrong_rule));
    assert_eq!(
        refused(&changed, expect).0,
        ErrorKind::NotBound,
        "not the notice's rule"
    );
}

#[test]
fn a_chain_keeps_its_person_controller_and_policy_and_never_goes_back_in_time() {
    let notice = demo();
    let device = PrivateKey::ed25519_from_seed([8; 32]);
    let first = sign(&device, &payload(&notice, &device, 1_795_000_000, None));
    let expect = Expectations {
        previous: Some(&first),
        ..Expectations::default()
    };
    let later = payload(&notice, &device, 1_795_000_100, Some(&first));
    assert!(verify_receipt(&sign(&device, &later), expect).is_ok());

    let back_dated = payload(&notice, &device, 1_794_999_000, Some(&first));
    assert_eq!(
        refused(&sign(&device, &back_dated), expect),
        (ErrorKind::ChainBroken, "consentTimestamp".into())
    );
    let hash = format!("sha256:{}", "A".repeat(43));
    let other_person = with(&later, &["piiPrincipalId"], hash.into());
    assert_eq!(
        refused(&sign(&device, &other_person), expect),
        (ErrorKind::ChainBroken, "piiPrincipalId".into())
    );
    let other_policy = with(&later, &["policyUrl"], "https://example.org/privacy".into());
    assert_eq!(
        refused(&sign(&device, &other_policy), expect),
        (ErrorKind::ChainBroken, "policyUrl".into())
    );
    // Another controller's notice lineage: a receipt under a notice of another controller cannot follow.
    let foreign_notice =
        Notice::from_json(&DEMO.replace("Example Widgets Ltd", "Other Widgets Ltd")).expect("valid");
    let foreign = payload(&foreign_notice, &device, 1_795_000_100, Some(&first));
    assert_eq!(
        refused(&sign(&device, &foreign), expect),
        (ErrorKind::ChainBroken, "piiControllers".into())
    );
    // A previous receipt that is itself invalid is named as such.
    let (kind, at) = refused(
        &sign(&device, &later),
        Expectations {
            previous: Some("not a receipt"),
            ..Expectations::default()
        },
    );
    assert_eq!(
        (kind, at.as_str()),
        (ErrorKind::NotCompactJws, "previous receipt")
    );
}

/// `payload` with the newsletter's decision `from` replaced by `to`.
fn newsletter_decision(payload: &Value, from: &str, to: &str) -> Value {
    let decision = |word| format!(r#"{{"decision":"{word}","legalBasis":"consent","purpose":"newsletter"}}"#);
    let text = to_canonical_string(payload);
    assert!(text.contains(&decision(from)), "the newsletter is {from}");
    consent_capture::json::parse(&text.replace(&decision(from), &decision(to))).expect("JSON")
}

#[test]
fn a_withdrawal_follows_a_receipt_that_granted_the_purpose() {
    let notice = demo();
    let device = PrivateKey::ed25519_from_seed([9; 32]);
    let granting = payload(&notice, &device, 1_795_000_000, None);
    let first = sign(&device, &granting);
    let withdrawal = newsletter_decision(
        &payload(&notice, &device, 1_795_000_100, Some(&first)),
        "denied",
        "withdrawn",
    );
    let second = sign(&device, &withdrawal);
    let after_first = Expectations {
        previous: Some(&first),
        ..Expectations::default()
    };
    assert!(verify_receipt(&second, after_first).is_ok());
    assert!(verify_receipt(&second, Expectations::default()).is_ok());

    let unchained = newsletter_decision(&granting, "granted", "withdrawn");
    assert_eq!(
        refused(&sign(&device, &unchained), Expectations::default()),
        (ErrorKind::NotBound, "consentCapture.decisions[1]".into()),
        "a withdrawal names the receipt it follows"
    );
    // Withdrawn stays withdrawn in the withdrawals that follow.
    let again = newsletter_decision(
        &payload(&notice, &device, 1_795_000_200, Some(&second)),
        "denied",
        "withdrawn",
    );
    let after_second = Expectations {
        previous: Some(&second),
        ..Expectations::default()
    };
    assert!(verify_receipt(&sign(&device, &again), after_second).is_ok());
    // A purpose refused there was neither granted nor withdrawn: nothing to withdraw.
    let refusing = sign(&device, &payload(&notice, &device, 1_795_000_150, Some(&first)));
    let withdrawing = newsletter_decision(
        &payload(&notice, &device, 1_795_000_200, Some(&refusing)),
        "denied",
        "withdrawn",
    );
    let after_refusal = Expectations {
        previous: Some(&refusing),
        ..Expectations::default()
    };
    assert_eq!(
        refused(&sign(&device, &withdrawing), after_refusal),
        (ErrorKind::ChainBroken, "consentCapture.decisions[1]".into()),
        "nothing granted there to withdraw"
    );
}
