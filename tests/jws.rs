//! JOSE conformance: strict base64url, RFC 7638 thumbprints, the RFC 8037 and RFC 7515 examples, and every
//! case of the shared verifier suite with its expected verdict.
// Native only: signing keys and the verifier are not part of the browser build.
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::jose::base64url::{decode, encode};
use consent_capture::jose::jwk::{thumbprint, thumbprint_input, PublicJwk};
use consent_capture::jose::jws::signing_input;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::{parse, Object, Value};
use consent_capture::receipt::verify::verify_jws;
use std::fs;

const VECTORS: &str = "../shared/vectors/jws";

fn vector(name: &str) -> String {
    fs::read_to_string(format!("{VECTORS}/{name}")).expect("the JWS vectors sit beside the repo")
}

fn json(name: &str) -> Value {
    parse(&vector(name)).expect("vector JSON")
}

fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_object().and_then(|o| o.get(key))
}

#[test]
fn base64url_round_trips_and_refuses_every_other_spelling() {
    for len in 0..40u8 {
        let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37).wrapping_add(250)).collect();
        assert_eq!(decode(&encode(&bytes)).as_deref(), Some(&bytes[..]));
    }
    for bad in ["AQ==", "AQ=", "A", "+/8", "/w", "AQ AB", "AR", "AQB", "Zm9v\n"] {
        assert_eq!(decode(bad), None, "{bad:?}");
    }
    assert_eq!(decode("AQ"), Some(vec![1]));
}

#[test]
fn rfc_7638_thumbprints_are_reproduced() {
    let cases = json("jwk-thumbprints.json");
    let cases = cases.as_object().expect("an object of cases");
    assert!(cases.len() >= 3);
    for (name, case) in cases.iter() {
        let jwk = field(case, "jwk").and_then(Value::as_object).expect("jwk");
        // `expected` is null for the P-256 key in the shared file; `thumbprint_sha256` is given for all.
        let computed = thumbprint(jwk, "jwk").expect(name);
        assert_eq!(
            Some(computed.as_str()),
            field(case, "thumbprint_sha256").and_then(Value::as_str),
            "{name}"
        );
        if let Some(expected) = field(case, "expected").and_then(Value::as_str) {
            assert_eq!(computed, expected, "{name}");
        }
        if let Some(input) = field(case, "canonical_input").and_then(Value::as_str) {
            assert_eq!(thumbprint_input(jwk, "jwk").expect(name), input, "{name}");
        }
    }
}

#[test]
fn rfc_8037_a4_and_rfc_7515_a3_verify_with_their_published_keys() {
    for (jws, key) in [
        ("rfc8037-A4.jws", "rfc8037-A2-public.jwk.json"),
        ("rfc7515-A3.jws", "rfc7515-A3-public.jwk.json"),
    ] {
        let key = PublicJwk::from_json(&json(key), "jwk").expect("public key");
        let compact = verify_jws(vector(jws).trim(), Some(&key)).unwrap_or_else(|e| panic!("{jws}: {e}"));
        if jws.starts_with("rfc8037") {
            assert_eq!(compact.payload, b"Example of Ed25519 signing");
        }
    }
}

#[test]
fn every_case_of_the_shared_suite_gives_its_expected_verdict() {
    let cases = json("jws-cases.json");
    let cases = cases.as_array().expect("a list of cases");
    assert_eq!(cases.len(), 19);
    for case in cases {
        let name = field(case, "name").and_then(Value::as_str).expect("name");
        let jws = field(case, "jws").and_then(Value::as_str).expect("jws");
        let expect_valid = field(case, "expect").and_then(Value::as_str) == Some("valid");
        let key = field(case, "jwk").map(|jwk| PublicJwk::from_json(jwk, "jwk").expect("case key"));
        let verdict = verify_jws(jws, key.as_ref());
        assert_eq!(
            verdict.is_ok(),
            expect_valid,
            "{name}: {:?}",
            verdict.err().map(|e| e.to_string())
        );
    }
}

#[test]
fn the_kantara_example_signed_with_the_rfc_8037_key_is_reproduced_byte_for_byte() {
    let private = field(
        &json("jws-cases.json")
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| field(c, "name").and_then(Value::as_str) == Some("embedded_private_jwk"))
            .cloned()
            .expect("the case with the published private key"),
        "jws",
    )
    .and_then(Value::as_str)
    .map(str::to_owned)
    .expect("jws");
    let header = decode(private.split('.').next().expect("header")).expect("base64url");
    let header = parse(std::str::from_utf8(&header).expect("utf-8")).expect("json");
    let key = PrivateKey::from_jwk(field(&header, "jwk").expect("jwk")).expect("the RFC 8037 test key");
    let public = PublicJwk::from_json(&json("rfc8037-A2-public.jwk.json"), "jwk").expect("public");
    assert_eq!(key.public(), public);
    let header = Object::new().with("alg", "EdDSA").with("jwk", public.to_json());
    let payload = vector("kantara-example.jcs.json");
    assert_eq!(
        key.sign(&signing_input(&header, &payload)),
        vector("kantara-example.eddsa.jws").trim()
    );
}
