//! Browser tests of the receipt verifier module (built with `browser-verifier`): what it checks before
//! WebCrypto checks a signature.
#![cfg(all(target_arch = "wasm32", feature = "browser-verifier"))]

use consent_capture::json::{parse, Value};
use consent_capture::web::{check_notice_signature, inspect_receipt, verify_ed25519};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../www/demo/notice.json");
const SIGNATURE: &str = include_str!("../www/demo/notice.jws");
const DEMO_CONTROLLER: &str = "UAsm4GJDR5I7_cefpd43UYt2Iiec8QbRfcojoVyoUws";

fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |v, key| {
        v.as_object().and_then(|o| o.get(key)).unwrap_or(&Value::Null)
    })
}

#[wasm_bindgen_test]
fn receipts_are_inspected_strictly_before_webcrypto_checks_the_signature() {
    let corpus = parse(include_str!("corpus/receipts.json")).expect("the shared corpus");
    let valid = corpus
        .as_array()
        .expect("cases")
        .iter()
        .find(|case| at(case, &["name"]).as_str() == Some("valid-eddsa"))
        .expect("a valid receipt");
    let jws = at(valid, &["jws"]).as_str().expect("jws");
    let parts = parse(&inspect_receipt(jws).expect("a receipt")).expect("JSON");
    assert_eq!(at(&parts, &["alg"]).as_str(), Some("EdDSA"));
    assert_eq!(at(&parts, &["receipt", "version"]).as_str(), Some("KI-CR-v1.1.0"));
    assert!(inspect_receipt("a.b").is_err());
    assert!(inspect_receipt(&jws.replace('.', "..")).is_err());
    // Kantara's own signed example is a good JWS but not a consent-capture receipt: it has no typ.
    let example = include_str!("../../shared/vectors/jws/kantara-example.eddsa.jws");
    let refused = inspect_receipt(example).expect_err("no typ");
    assert!(refused
        .as_string()
        .is_some_and(|reason| reason.starts_with("header.typ")));
}

#[wasm_bindgen_test]
fn the_wasm_ed25519_check_gives_the_corpus_verdict_for_every_eddsa_receipt_that_passes_inspection() {
    let corpus = parse(include_str!("corpus/receipts.json")).expect("the shared corpus");
    let mut checked = 0;
    for case in corpus.as_array().expect("cases") {
        let jws = at(case, &["jws"]).as_str().expect("jws");
        let Ok(parts) = inspect_receipt(jws) else {
            continue;
        };
        let parts = parse(&parts).expect("JSON");
        if at(&parts, &["alg"]).as_str() != Some("EdDSA") {
            continue;
        }
        let text = |path: &[&str]| at(&parts, path).as_str().unwrap_or_default().to_owned();
        let verdict = verify_ed25519(
            &text(&["jwk", "x"]),
            &text(&["signingInput"]),
            &text(&["signature"]),
        );
        let name = at(case, &["name"]).as_str().unwrap_or_default();
        assert_eq!(Some(verdict), at(case, &["valid"]).as_bool(), "{name}");
        checked += 1;
    }
    assert!(
        checked >= 5,
        "{checked} EdDSA receipts reached the signature check"
    );
    assert!(!verify_ed25519("not base64url!", "a.b", "c"));
}

#[wasm_bindgen_test]
fn a_notice_signature_binds_this_notice_to_the_pinned_key() {
    let parts =
        parse(&check_notice_signature(DEMO, SIGNATURE.trim(), DEMO_CONTROLLER).expect("the demo is signed"))
            .expect("JSON");
    assert_eq!(at(&parts, &["alg"]).as_str(), Some("EdDSA"));
    assert!(check_notice_signature(DEMO, SIGNATURE.trim(), "someone-else").is_err());
    let edited = DEMO.replace("Monthly newsletter", "Weekly newsletter");
    assert!(check_notice_signature(&edited, SIGNATURE.trim(), DEMO_CONTROLLER).is_err());
}
