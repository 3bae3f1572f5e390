//! Signed receipts verify as a whole, and nothing about them can change without verification failing:
//! no byte, no key, no link of the chain, no word of the notice the controller signed.
// Native only: signing keys and the verifier are not part of the browser build.
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::error::ErrorKind;
use consent_capture::jose::jws::{header, signing_input};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::notice::signature::{self, TYP};
use consent_capture::receipt::verify::{verify_jws, verify_receipt, Expectations};
use consent_capture::receipt::{principal_id, receipt_hash, Receipt, ReceiptContext};
use consent_capture::{minimise, uuid_v4, Decisions, Notice};

const TODAY: consent_capture::minimise::date::Date = consent_capture::minimise::date::Date {
    year: 2026,
    month: 11,
    day: 22,
};

const DEMO: &str = include_str!("../www/demo/notice.json");

fn device(seed: u8) -> PrivateKey {
    PrivateKey::ed25519_from_seed([seed; 32])
}

fn submitted() -> Vec<(String, String)> {
    [
        ("name", "Ada Lovelace"),
        ("email", "Ada.Lovelace@Example.com"),
        ("company", "Engines"),
        ("topic", "sales"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

struct Signed {
    jws: String,
}

fn signed(
    notice: &Notice,
    key: &PrivateKey,
    grant: bool,
    previous: Option<&str>,
    notice_signature: Option<&str>,
) -> Signed {
    let mut decisions = Decisions::initial(notice);
    decisions.set("newsletter", grant).expect("consent purpose");
    let minimised = minimise(notice, &decisions, &submitted(), TODAY);
    let principal = principal_id(
        notice,
        &submitted(),
        &minimised.manifest,
        &key.public().thumbprint(),
    );
    let id = uuid_v4([9; 16]);
    let previous_hash = previous.map(receipt_hash);
    let context = ReceiptContext {
        issued_at: 1_795_000_000,
        receipt_id: &id,
        principal_id: &principal,
        language: "en",
        gpc: false,
        notice_signature,
        previous_receipt: previous_hash.as_deref(),
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    let receipt = Receipt::build(notice, &decisions, &minimised.manifest, context);
    Signed {
        jws: key.sign(&receipt.signing_input(key.algorithm(), &key.public())),
    }
}

fn demo() -> Notice {
    Notice::from_json(DEMO).expect("valid")
}

fn kind(result: Result<impl Sized, consent_capture::Error>) -> Option<ErrorKind> {
    result.err().map(|e| e.kind())
}

#[test]
fn a_receipt_signed_on_the_device_verifies_and_says_what_was_decided() {
    let receipt = signed(&demo(), &device(1), true, None, None);
    let verified = verify_receipt(&receipt.jws, Expectations::default()).expect("valid");
    assert_eq!(verified.key, device(1).public());
    let text = consent_capture::json::canonical::to_canonical_string(&verified.receipt);
    assert!(text.contains(r#"{"decision":"granted","legalBasis":"consent","purpose":"newsletter"}"#));
    assert!(text.contains(&format!(
        r#""piiPrincipalId":"jwk-thumbprint:{}""#,
        device(1).public().thumbprint()
    )));
    assert!(receipt.jws.starts_with("eyJ"), "a compact JWS");
}

#[test]
fn p256_device_keys_sign_receipts_that_verify_too() {
    let key = PrivateKey::from_jwk(&consent_capture::json::parse(
        r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#,
    ).expect("json")).expect("the RFC 7515 A.3 key");
    let receipt = signed(&demo(), &key, false, None, None);
    assert!(verify_receipt(&receipt.jws, Expectations::default()).is_ok());
}

#[test]
fn every_single_character_change_anywhere_fails_verification() {
    let jws = signed(&demo(), &device(2), true, None, None).jws;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    let mut checked = 0;
    for position in 0..jws.len() {
        // Three different replacements per position, spread over the alphabet.
        for step in [1, 17, 40] {
            let original = jws.as_bytes()[position];
            let index = ALPHABET
                .iter()
                .position(|&c| c == original)
                .expect("a JWS character");
            let replacement = ALPHABET[(index + step) % ALPHABET.len()];
            let mut bytes = jws.clone().into_bytes();
            bytes[position] = replacement;
            let tampered = String::from_utf8(bytes).expect("ascii");
            assert!(
                verify_receipt(&tampered, Expectations::default()).is_err(),
                "position {position} → {}",
                char::from(replacement)
            );
            checked += 1;
        }
    }
    assert!(checked > 3_000, "{checked} variants checked");
}

#[test]
fn a_receipt_does_not_verify_under_another_device_key() {
    let jws = signed(&demo(), &device(3), true, None, None).jws;
    assert_eq!(
        kind(verify_jws(&jws, Some(&device(4).public()))),
        Some(ErrorKind::BadSignature)
    );
    // Swapping the embedded key for another one: the person's id names the first key, so the receipt is
    // refused before its signature is even checked; with the id rewritten too, the signature fails.
    let other = device(4);
    let forged_header = header(other.algorithm(), &other.public(), consent_capture::receipt::TYP);
    let payload =
        consent_capture::jose::base64url::decode(jws.split('.').nth(1).expect("payload")).expect("b64");
    let mut forged = signing_input(&forged_header, std::str::from_utf8(&payload).expect("utf-8"));
    forged.push('.');
    forged.push_str(jws.split('.').nth(2).expect("signature"));
    assert_eq!(
        kind(verify_receipt(&forged, Expectations::default())),
        Some(ErrorKind::NotBound)
    );
    let renamed = std::str::from_utf8(&payload)
        .expect("utf-8")
        .replace(&device(3).public().thumbprint(), &other.public().thumbprint());
    let mut forged = signing_input(&forged_header, &renamed);
    forged.push('.');
    forged.push_str(jws.split('.').nth(2).expect("signature"));
    assert_eq!(
        kind(verify_receipt(&forged, Expectations::default())),
        Some(ErrorKind::BadSignature)
    );
}

#[test]
fn a_withdrawal_chains_to_the_receipt_it_changes() {
    let notice = demo();
    let first = signed(&notice, &device(5), true, None, None).jws;
    let withdrawal = signed(&notice, &device(5), false, Some(&first), None).jws;
    let expect = Expectations {
        previous: Some(&first),
        ..Expectations::default()
    };
    assert!(verify_receipt(&withdrawal, expect).is_ok());
    let someone_else = signed(&notice, &device(6), true, None, None).jws;
    assert_eq!(
        kind(verify_receipt(
            &withdrawal,
            Expectations {
                previous: Some(&someone_else),
                ..expect
            }
        )),
        Some(ErrorKind::ChainBroken)
    );
    let not_chained = signed(&notice, &device(5), false, None, None).jws;
    assert_eq!(
        kind(verify_receipt(&not_chained, expect)),
        Some(ErrorKind::ChainBroken),
        "names no previous receipt"
    );
}

/// A receipt of `decisions` (no data) by `key`, following `previous`.
fn deciding(notice: &Notice, key: &PrivateKey, decisions: &Decisions, previous: &str, seed: u8) -> String {
    let id = uuid_v4([seed; 16]);
    let previous = receipt_hash(previous);
    let principal = format!("jwk-thumbprint:{}", key.public().thumbprint());
    let context = ReceiptContext {
        issued_at: 1_795_000_000 + i64::from(seed),
        receipt_id: &id,
        principal_id: &principal,
        language: "en",
        gpc: false,
        notice_signature: None,
        previous_receipt: Some(&previous),
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    let receipt = Receipt::build(notice, decisions, &Default::default(), context);
    key.sign(&receipt.signing_input(key.algorithm(), &key.public()))
}

#[test]
fn a_purpose_withdrawn_earlier_may_stay_withdrawn_in_the_withdrawals_that_follow() {
    let notice = demo();
    let key = device(7);
    let mut granted = Decisions::initial(&notice);
    granted.set("newsletter", true).expect("consent");
    granted.set("ads", true).expect("consent");
    let first = deciding(
        &notice,
        &key,
        &granted,
        &signed(&notice, &key, true, None, None).jws,
        1,
    );
    let mut newsletter_withdrawn = granted.clone();
    newsletter_withdrawn.withdraw("newsletter").expect("granted");
    let second = deciding(&notice, &key, &newsletter_withdrawn, &first, 2);
    let mut both_withdrawn = newsletter_withdrawn.clone();
    both_withdrawn.withdraw("ads").expect("granted");
    let third = deciding(&notice, &key, &both_withdrawn, &second, 3);
    fn follows(previous: &str) -> Expectations<'_> {
        Expectations {
            previous: Some(previous),
            ..Expectations::default()
        }
    }
    assert!(verify_receipt(&second, follows(&first)).is_ok());
    assert!(
        verify_receipt(&third, follows(&second)).is_ok(),
        "withdrawn stays withdrawn"
    );
    // A purpose the previous receipt neither granted nor withdrew cannot be withdrawn.
    let mut only_newsletter = Decisions::initial(&notice);
    only_newsletter.set("newsletter", true).expect("consent");
    let granting_newsletter = deciding(&notice, &key, &only_newsletter, &first, 4);
    let error =
        verify_receipt(&third, follows(&granting_newsletter)).expect_err("ads was never granted there");
    assert_eq!(error.kind(), ErrorKind::ChainBroken);
}

#[test]
fn the_notice_shown_is_the_one_the_controller_signed() {
    let notice = demo();
    let controller = PrivateKey::ed25519_from_seed([77; 32]);
    let signature = controller.sign(&signing_input(
        &header(controller.algorithm(), &controller.public(), TYP),
        &signature::payload(&notice),
    ));
    let receipt = signed(&notice, &device(7), true, None, Some(&signature)).jws;
    let good = Expectations {
        controller_key: Some(&controller.public()),
        ..Expectations::default()
    };
    assert!(verify_receipt(&receipt, good).is_ok());
    let impostor = PrivateKey::ed25519_from_seed([78; 32]).public();
    assert_eq!(
        kind(verify_receipt(
            &receipt,
            Expectations {
                controller_key: Some(&impostor),
                ..good
            }
        )),
        Some(ErrorKind::BadSignature)
    );
    // The controller signed another wording: the receipt's notice hash no longer matches.
    let reworded =
        Notice::from_json(&DEMO.replace("Monthly newsletter", "Weekly newsletter")).expect("valid");
    let receipt = signed(&reworded, &device(7), true, None, Some(&signature)).jws;
    assert_eq!(kind(verify_receipt(&receipt, good)), Some(ErrorKind::NotBound));
    let unsigned = signed(&notice, &device(7), true, None, None).jws;
    assert_eq!(kind(verify_receipt(&unsigned, good)), Some(ErrorKind::Missing));
    assert!(signature::check_binding(&signature, &notice.source, &controller.public().thumbprint()).is_ok());
    assert!(
        signature::check_binding(&signature, &reworded.source, &controller.public().thumbprint()).is_err()
    );
    assert!(signature::check_binding(&signature, &notice.source, &impostor.thumbprint()).is_err());
}

#[test]
fn a_signed_payload_that_is_not_canonical_or_not_kantara_shaped_is_refused() {
    let key = device(8);
    let sign = |payload: &str| {
        key.sign(&signing_input(
            &header(key.algorithm(), &key.public(), consent_capture::receipt::TYP),
            payload,
        ))
    };
    assert_eq!(
        kind(verify_receipt(
            &sign(r#"{"version": "KI-CR-v1.1.0"}"#),
            Expectations::default()
        )),
        Some(ErrorKind::NotCanonical)
    );
    assert_eq!(
        kind(verify_receipt(
            &sign(r#"{"version":"KI-CR-v1.1.0"}"#),
            Expectations::default()
        )),
        Some(ErrorKind::Missing)
    );
    // Kantara's own example has the shape, but as a consent-capture receipt nothing binds what it says: its
    // time (2017) is before any receipt of ours, and it names the person in clear.
    let example = std::fs::read_to_string("../shared/vectors/jws/kantara-example.jcs.json").expect("example");
    assert_eq!(
        kind(verify_receipt(&sign(&example), Expectations::default())),
        Some(ErrorKind::OutOfRange)
    );
    let recent = example.replace("1510592400", "1795000000");
    assert_eq!(
        kind(verify_receipt(&sign(&recent), Expectations::default())),
        Some(ErrorKind::NotBound),
        "a person named in clear is bound to nothing"
    );
}

/// The shared Kantara receipts are good JWS (their signatures verify with the key they embed), but not
/// consent-capture receipts: they carry no `typ`, so no verifier takes them for one.
#[test]
fn the_shared_kantara_receipts_are_good_jws_but_not_our_receipts() {
    for name in ["kantara-example.eddsa.jws", "kantara-example.es256.jws"] {
        let jws = std::fs::read_to_string(format!("../shared/vectors/jws/{name}")).expect("vector");
        assert!(verify_jws(jws.trim(), None).is_ok(), "{name}");
        let error = verify_receipt(&jws, Expectations::default()).expect_err(name);
        assert_eq!(error.kind(), ErrorKind::Missing, "{name}");
        assert_eq!(error.at(), "header.typ", "{name}");
    }
}

#[test]
fn a_notice_may_name_the_person_by_a_salted_email_hash_but_only_when_the_email_was_sent() {
    let with_principal = DEMO.replacen(
        r#""languages": ["en", "de", "ar"]"#,
        r#""languages": ["en", "de", "ar"], "principal": { "emailField": "email", "salt": "example-widgets-2026" }"#,
        1,
    );
    let notice = Notice::from_json(&with_principal).expect("valid");
    let decisions = Decisions::initial(&notice);
    let sent = minimise(&notice, &decisions, &submitted(), TODAY);
    let id = principal_id(&notice, &submitted(), &sent.manifest, "thumb");
    let expected = consent_capture::jose::base64url::encode(&consent_capture::jose::sha256::sha256(
        b"example-widgets-2026:ada.lovelace@example.com",
    ));
    assert_eq!(id, format!("sha256:{expected}"));
    assert!(!id.contains("ada"), "no e-mail in clear");
    let no_email: Vec<_> = submitted().into_iter().filter(|(k, _)| k != "email").collect();
    let without = minimise(&notice, &decisions, &no_email, TODAY);
    assert_eq!(
        principal_id(&notice, &no_email, &without.manifest, "thumb"),
        "jwk-thumbprint:thumb"
    );
    let bad = DEMO.replacen(
        r#""languages": ["en", "de", "ar"]"#,
        r#""languages": ["en", "de", "ar"], "principal": { "emailField": "name", "salt": "short" }"#,
        1,
    );
    let problems = Notice::from_json(&bad).expect_err("refused").to_string();
    assert!(
        problems.contains("principal.emailField") && problems.contains("principal.salt"),
        "{problems}"
    );
}

#[test]
fn a_manifest_sending_what_no_granted_purpose_justifies_does_not_describe_the_notice() {
    let notice = demo();
    let key = device(40);
    // Minimised as if the newsletter were granted (company, birth band and postcode kept), decided as refused:
    // a device that does not minimise, signing its own receipt.
    let mut granted = Decisions::initial(&notice);
    granted.set("newsletter", true).expect("consent purpose");
    let sent = minimise(&notice, &granted, &submitted(), TODAY);
    let id = uuid_v4([41; 16]);
    let principal = format!("jwk-thumbprint:{}", key.public().thumbprint());
    let context = ReceiptContext {
        issued_at: 1_795_000_000,
        receipt_id: &id,
        principal_id: &principal,
        language: "en",
        gpc: false,
        notice_signature: None,
        previous_receipt: None,
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    let receipt = Receipt::build(&notice, &Decisions::initial(&notice), &sent.manifest, context);
    let jws = key.sign(&receipt.signing_input(key.algorithm(), &key.public()));
    let alone = Expectations::default();
    assert!(verify_receipt(&jws, alone).is_ok(), "the device's own words");
    let against = Expectations {
        notice: Some(&notice),
        ..alone
    };
    let error = verify_receipt(&jws, against).expect_err("not what the notice allows");
    assert_eq!(error.kind(), ErrorKind::NotBound);
    assert_eq!(error.at(), "consentCapture.manifest[2]", "company: {error}");

    // What the element minimises for a grant is what the notice allows.
    let honest = signed(&notice, &key, true, None, None).jws;
    assert!(verify_receipt(&honest, against).is_ok());
}

#[test]
fn a_notice_names_people_by_e_mail_hash_only_from_an_address_sent_as_typed() {
    let hashed = DEMO
        .replacen(
            r#""languages": ["en", "de", "ar"]"#,
            r#""languages": ["en", "de", "ar"], "principal": { "emailField": "email", "salt": "example-widgets-2026" }"#,
            1,
        )
        .replacen(
            r#""type": "email","#,
            r#""type": "email", "transform": "sha256:email","#,
            1,
        );
    assert!(hashed.contains("sha256:email"));
    let problems = Notice::from_json(&hashed).expect_err("refused").to_string();
    assert!(problems.contains("principal.emailField"), "{problems}");
}

#[test]
fn the_demo_notice_is_signed_by_the_demo_controller_key_the_page_pins() {
    let key = PrivateKey::from_jwk(
        &consent_capture::json::parse(include_str!("../tools/demo-controller.jwk").trim()).expect("json"),
    )
    .expect("the demo controller key (for the demo only)");
    let signature = include_str!("../www/demo/notice.jws");
    let thumbprint = key.public().thumbprint();
    assert!(
        signature::check_binding(signature, &demo().source, &thumbprint).is_ok()
            && consent_capture::receipt::verify::verify_notice_signature(signature, &key.public()).is_ok(),
        "www/demo/notice.json changed since it was signed: run `make sign-demo`"
    );
    let page = include_str!("../www/index.html");
    assert!(
        page.contains(&format!("controller-key=\"{thumbprint}\"")),
        "www/index.html pins another controller key"
    );
}

#[test]
fn only_a_notice_naming_people_by_e_mail_can_ask_for_a_confirmed_address() {
    let asking = DEMO.replacen(
        r#""id": "newsletter","#,
        r#""id": "newsletter", "confirmedAddress": true,"#,
        1,
    );
    let problems = Notice::from_json(&asking).expect_err("refused").to_string();
    assert!(problems.contains("purposes[1].confirmedAddress"), "{problems}");
    let by_email = asking.replacen(
        r#""languages": ["en", "de", "ar"]"#,
        r#""languages": ["en", "de", "ar"], "principal": { "emailField": "email", "salt": "example-widgets-2026" }"#,
        1,
    );
    let notice = Notice::from_json(&by_email).expect("a notice naming people by e-mail may ask");
    let asked: Vec<(&str, bool)> = notice
        .purposes
        .iter()
        .map(|p| (p.id.as_str(), p.confirmed_address))
        .collect();
    assert_eq!(asked, [("enquiry", false), ("newsletter", true), ("ads", false)]);
}
