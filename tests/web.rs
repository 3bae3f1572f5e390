//! Browser tests (wasm-bindgen-test in headless Chromium): the wasm API the element uses, run where it runs.
//! The DOM the element builds from it is tested end to end (tests/e2e).
#![cfg(all(
    target_arch = "wasm32",
    not(feature = "browser-verifier"),
    not(feature = "browser-destinations")
))]

use consent_capture::jose::base64url;
use consent_capture::json::{parse, Value};
use consent_capture::receipt::receipt_hash;
use consent_capture::web::Consent;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../www/demo/notice.json");
const DEVICE: &str = r#"{"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
const FILLED: &str =
    r#"[["name","Ada Lovelace"],["email","ada@example.com"],["company","Engines Ltd"],["topic","sales"]]"#;

fn options(extra: &str) -> String {
    format!(r#"{{"languages":["en"],"gpc":false{extra}}}"#)
}

fn json(text: &str) -> Value {
    parse(text).expect("the API answers JSON")
}

fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |v, key| {
        v.as_object().and_then(|o| o.get(key)).unwrap_or(&Value::Null)
    })
}

fn payload_of(signing_input: &str) -> Value {
    let payload = signing_input.split('.').nth(1).expect("header.payload");
    json(std::str::from_utf8(&base64url::decode(payload).expect("base64url")).expect("utf-8"))
}

fn consent() -> Consent {
    with_device(Consent::new(DEMO, &options("")).expect("the demo notice is valid"))
}

fn with_device(mut consent: Consent) -> Consent {
    consent.set_device(DEVICE).expect("a public key");
    consent
}

#[wasm_bindgen_test]
fn the_form_model_has_every_field_and_an_unticked_choice_per_consent_purpose() {
    let form = json(&consent().form());
    assert_eq!(
        at(&form, &["form", "fields"]).as_array().map(<[Value]>::len),
        Some(7)
    );
    assert_eq!(
        at(&form, &["receipt"]),
        &Value::Null,
        "no receipt before the first submission"
    );
    let purposes = at(&form, &["form", "purposes"]).as_array().expect("purposes");
    let choices: Vec<&Value> = purposes
        .iter()
        .filter_map(|p| p.as_object().and_then(|o| o.get("choice")))
        .collect();
    assert_eq!(choices.len(), 2);
    assert!(
        choices.iter().all(|c| at(c, &["checked"]) == &Value::Bool(false)),
        "never pre-ticked"
    );
}

#[wasm_bindgen_test]
fn a_submission_leaves_out_what_refused_purposes_justify_and_builds_a_signable_receipt() {
    let mut consent = consent();
    let built = json(
        &consent
            .submit(FILLED, "[]", &[7; 16], 1_795_000_000_000.0)
            .expect("submits"),
    );
    let payload = at(&built, &["detail", "payload"]);
    assert_eq!(at(payload, &["email"]).as_str(), Some("ada@example.com"));
    assert_eq!(
        at(payload, &["company"]),
        &Value::Null,
        "company is only justified by the newsletter"
    );
    let signing_input = at(&built, &["signingInput"]).as_str().expect("signing input");
    let receipt = payload_of(signing_input);
    assert_eq!(at(&receipt, &["version"]).as_str(), Some("KI-CR-v1.1.0"));
    assert_eq!(
        at(&receipt, &["consentTimestamp"]).as_i64(),
        Some(1_795_000_000),
        "seconds"
    );
    let header = json(
        std::str::from_utf8(
            &base64url::decode(signing_input.split('.').next().expect("header")).expect("b64"),
        )
        .expect("utf-8"),
    );
    assert_eq!(at(&header, &["alg"]).as_str(), Some("EdDSA"));
    assert_eq!(
        at(&header, &["kid"]).as_str(),
        Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"),
        "RFC 7638 thumbprint"
    );
    assert_eq!(
        at(&built, &["stored"]),
        &Value::Null,
        "choices come back from the signed receipt, not from a copy for localStorage"
    );
}

/// Submits `granted` on `consent` and "signs" the receipt with a made-up signature (the page signs with
/// WebCrypto; nothing here checks it), returning the compact receipt.
fn submitted(consent: &mut Consent, granted: &str) -> String {
    let built = json(
        &consent
            .submit(FILLED, granted, &[1; 16], 1_795_000_000_000.0)
            .expect("submits"),
    );
    let signing_input = at(&built, &["signingInput"]).as_str().expect("signing input");
    format!("{signing_input}.c2lnbmF0dXJl")
}

#[wasm_bindgen_test]
fn a_purpose_withdrawn_earlier_stays_withdrawn_in_the_next_withdrawal() {
    let mut consent = consent();
    let first = submitted(&mut consent, r#"["newsletter", "ads"]"#);
    consent.signed(first).expect("a view");
    let signing_input = |built: &str| {
        json(built)
            .as_object()
            .and_then(|b| b.get("signingInput"))
            .and_then(Value::as_str)
            .expect("signing input")
            .to_owned()
    };
    let newsletter = signing_input(
        &consent
            .withdraw("newsletter", &[2; 16], 1_795_000_100_000.0)
            .expect("withdraws"),
    );
    consent.signed(format!("{newsletter}.c2ln")).expect("a view");
    let ads = signing_input(
        &consent
            .withdraw("ads", &[3; 16], 1_795_000_200_000.0)
            .expect("withdraws"),
    );
    let receipt = payload_of(&ads);
    let decisions =
        consent_capture::json::canonical::to_canonical_string(at(&receipt, &["consentCapture", "decisions"]));
    assert!(
        decisions.contains(r#"{"decision":"withdrawn","legalBasis":"consent","purpose":"newsletter"}"#),
        "not refused: {decisions}"
    );
    assert!(decisions.contains(r#"{"decision":"withdrawn","legalBasis":"consent","purpose":"ads"}"#));
    let signed = json(&consent.signed(format!("{ads}.c2ln")).expect("a view"));
    let groups = consent_capture::json::canonical::to_canonical_string(at(&signed, &["groups"]));
    assert!(!groups.contains("You refused"), "{groups}");
}

#[wasm_bindgen_test]
fn a_withdrawal_chains_to_the_signed_receipt_and_sends_nothing() {
    let mut consent = consent();
    let first = submitted(&mut consent, r#"["newsletter"]"#);
    let signed = json(&consent.signed(first.clone()).expect("a view"));
    assert_eq!(at(&signed, &["withdraw"]).as_array().map(<[Value]>::len), Some(1));
    assert!(
        consent.withdraw("ads", &[2; 16], 1_795_000_100_000.0).is_err(),
        "only what the last receipt granted can be withdrawn"
    );
    let built = json(
        &consent
            .withdraw("newsletter", &[2; 16], 1_795_000_100_000.0)
            .expect("withdraws"),
    );
    let receipt = payload_of(at(&built, &["signingInput"]).as_str().expect("signing input"));
    assert_eq!(
        at(&receipt, &["consentCapture", "previousReceipt"]).as_str(),
        Some(receipt_hash(&first).as_str())
    );
    assert_eq!(
        at(&receipt, &["piiPrincipalId"]),
        at(&payload_of(&first), &["piiPrincipalId"]),
        "the person named as before"
    );
    assert_eq!(at(&built, &["detail", "payload"]), &json("{}"));
    assert_eq!(at(&built, &["detail", "withdrawal"]), &Value::Bool(true));
    let decisions =
        consent_capture::json::canonical::to_canonical_string(at(&receipt, &["consentCapture", "decisions"]));
    assert!(decisions.contains(r#"{"decision":"withdrawn","legalBasis":"consent","purpose":"newsletter"}"#));
    assert!(decisions.contains(r#"{"decision":"denied","legalBasis":"consent","purpose":"ads"}"#));
    let signed = json(
        &consent
            .signed(format!(
                "{}.c2ln",
                at(&built, &["signingInput"]).as_str().unwrap_or_default()
            ))
            .expect("a view"),
    );
    let groups = consent_capture::json::canonical::to_canonical_string(at(&signed, &["groups"]));
    assert!(groups.contains("Withdrawn on \u{E000}"), "{groups}");
    assert!(
        at(&signed, &["issuedAt"]).as_i64().is_some(),
        "the date the element writes there"
    );
}

#[wasm_bindgen_test]
fn the_last_receipt_brings_back_its_view_and_withdraw_buttons_and_only_a_submission_grants() {
    let mut first_visit = consent();
    let first = submitted(&mut first_visit, r#"["newsletter"]"#);
    let stored = format!(r#","stored":"{first}""#);
    let mut next_visit = with_device(Consent::new(DEMO, &options(&stored)).expect("valid"));
    let form = json(&next_visit.form());
    let withdraw = at(&form, &["receipt", "withdraw"])
        .as_array()
        .expect("withdraw buttons");
    assert_eq!(withdraw.len(), 1);
    assert_eq!(at(&withdraw[0], &["purpose"]).as_str(), Some("newsletter"));
    let built = json(
        &next_visit
            .withdraw("newsletter", &[5; 16], 1_795_000_200_000.0)
            .expect("withdraws without any field typed"),
    );
    let receipt = payload_of(at(&built, &["signingInput"]).as_str().expect("signing input"));
    assert_eq!(
        at(&receipt, &["consentCapture", "previousReceipt"]).as_str(),
        Some(receipt_hash(&first).as_str())
    );
    let revised = DEMO.replace("2026-11-22", "2026-12-01");
    let mut changed = with_device(Consent::new(&revised, &options(&stored)).expect("valid"));
    assert_eq!(
        at(&json(&changed.form()), &["receipt"]),
        &Value::Null,
        "another revision asks again"
    );
    assert!(changed
        .withdraw("newsletter", &[5; 16], 1_795_000_200_000.0)
        .is_err());
}

#[wasm_bindgen_test]
fn field_checks_name_each_problem_and_nothing_is_signed_before_a_submission() {
    let mut consent = consent();
    let checked = json(
        &consent
            .check(r#"[["name",""],["email","not an address"],["topic","sales"]]"#)
            .expect("checks"),
    );
    assert_eq!(
        at(&checked, &["errors", "name"]).as_str(),
        Some("Please fill in this field.")
    );
    assert!(at(&checked, &["errors", "email"])
        .as_str()
        .is_some_and(|m| m.contains("e-mail address")));
    assert!(
        consent.signed("x.y.z".into()).is_err(),
        "nothing was waiting for a signature"
    );
    assert!(
        consent.submit(FILLED, "[]", &[1; 8], 0.0).is_err(),
        "16 random bytes are needed"
    );
    let mut keyless = Consent::new(DEMO, &options("")).expect("valid");
    assert!(
        keyless.form().contains("Accept all"),
        "the form needs no device key"
    );
    assert!(
        keyless.submit(FILLED, "[]", &[1; 16], 0.0).is_err(),
        "a receipt needs the device key"
    );
    let private = DEVICE.replace(
        r#""kty""#,
        r#""d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","kty""#,
    );
    assert!(keyless.set_device(&private).is_err(), "never a private key");
    assert!(
        consent.submit(FILLED, r#"["enquiry"]"#, &[1; 16], 0.0).is_err(),
        "contract purposes take no consent"
    );
}

#[wasm_bindgen_test]
fn an_invalid_notice_is_refused_with_where() {
    let broken = DEMO.replace("\"legalBasis\": \"consent\"", "\"legalBasis\": \"maybe\"");
    let error = Consent::new(&broken, &options(""))
        .err()
        .and_then(|e| e.as_string())
        .expect("refused");
    assert!(
        error.contains("purposes[1].legalBasis: is not one of the allowed values (maybe)"),
        "{error}"
    );
}

#[wasm_bindgen_test]
fn each_receipt_names_where_its_data_goes_and_the_destination_that_shapes_it() {
    let given = r#","endpoint":"https://crm.example/submit","destinationSha256":"c2hhMjU2LW9mLXRoZS1kZXNjcmlwdGlvbg""#;
    let mut consent = with_device(Consent::new(DEMO, &options(given)).expect("configured"));
    let receipt = payload_of(&submitted(&mut consent, r#"["newsletter"]"#));
    assert_eq!(
        at(&receipt, &["consentCapture", "endpoint"]).as_str(),
        Some("https://crm.example/submit")
    );
    assert_eq!(
        at(&receipt, &["consentCapture", "destinationSha256"]).as_str(),
        Some("c2hhMjU2LW9mLXRoZS1kZXNjcmlwdGlvbg")
    );
    let nowhere = payload_of(&submitted(&mut self::consent(), "[]"));
    assert_eq!(
        at(&nowhere, &["consentCapture", "endpoint"]),
        &Value::Null,
        "sent nowhere: named nowhere"
    );
    assert_eq!(
        at(&nowhere, &["consentCapture", "destinationSha256"]),
        &Value::Null
    );
}

#[wasm_bindgen_test]
fn a_preview_shows_what_would_leave_and_the_decisions_without_signing() {
    let mut consent = consent();
    let preview = json(
        &consent
            .preview(FILLED, r#"["newsletter"]"#, 1_795_000_000_000.0)
            .expect("previews"),
    );
    assert_eq!(
        at(&preview, &["payload", "company"]).as_str(),
        Some("Engines Ltd")
    );
    let decisions = consent_capture::json::canonical::to_canonical_string(at(&preview, &["decisions"]));
    assert!(
        decisions.contains(r#"{"decision":"granted","legalBasis":"consent","purpose":"newsletter"}"#),
        "{decisions}"
    );
    assert!(consent.signed("h.p.s".into()).is_err(), "a preview signs nothing");
}

#[wasm_bindgen_test]
fn the_one_export_reaches_each_method_with_its_texts_randomness_and_time() {
    let mut through_call = Consent::new(DEMO, &options("")).expect("valid");
    let mut direct = Consent::new(DEMO, &options("")).expect("valid");
    let now = 1_795_000_000_000.0;
    let call = |consent: &mut Consent, method: &str, texts: [&str; 2], random: &[u8]| {
        consent.call(method, texts[0], texts[1], random, now)
    };
    assert_eq!(
        call(&mut through_call, "form", ["", ""], &[]).ok(),
        Some(direct.form())
    );
    assert!(
        call(&mut through_call, "submit", [FILLED, "[]"], &[1; 16]).is_err(),
        "no device key yet"
    );
    assert_eq!(
        call(&mut through_call, "setDevice", [DEVICE, ""], &[]).ok(),
        Some(String::new())
    );
    direct.set_device(DEVICE).expect("a public key");
    assert_eq!(
        call(&mut through_call, "declaredFields", ["", ""], &[]).ok(),
        Some(direct.declared_fields())
    );
    let typed = r#"[["name",""],["email","not an address"]]"#;
    assert_eq!(
        call(&mut through_call, "check", [typed, ""], &[]).ok(),
        Some(direct.check(typed).expect("checks"))
    );
    assert_eq!(
        call(&mut through_call, "preview", [FILLED, r#"["newsletter"]"#], &[]).ok(),
        Some(
            direct
                .preview(FILLED, r#"["newsletter"]"#, now)
                .expect("previews")
        )
    );
    let granted = r#"["newsletter"]"#;
    let built = call(&mut through_call, "submit", [FILLED, granted], &[3; 16]).expect("submits");
    assert_eq!(
        Some(&built),
        direct.submit(FILLED, granted, &[3; 16], now).ok().as_ref()
    );
    let signing_input = at(&json(&built), &["signingInput"])
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let receipt = format!("{signing_input}.c2lnbmF0dXJl");
    let signed = call(&mut through_call, "signed", [&receipt, ""], &[]).expect("a view");
    assert_eq!(Some(signed), direct.signed(receipt.clone()).ok());
    let withdrawal = call(&mut through_call, "withdraw", ["newsletter", ""], &[4; 16]).expect("withdraws");
    assert_eq!(
        Some(withdrawal),
        direct.withdraw("newsletter", &[4; 16], now).ok()
    );
    let unknown = call(&mut through_call, "sign", ["", ""], &[]).err();
    assert_eq!(
        unknown.and_then(|e| e.as_string()).as_deref(),
        Some("method: is not one of the allowed values (sign)")
    );
}
