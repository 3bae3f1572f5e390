//! One corpus of valid and hostile receipts, one verdict everywhere. This test builds the corpus
//! deterministically, checks the native verifier's verdict on every case, and checks that
//! `tests/corpus/receipts.json` is exactly this corpus (`UPDATE_CORPUS=1 cargo test --test hostile_receipts`
//! rewrites it). The end-to-end test `verdicts.test.mjs` runs the same file through the CLI, the browser
//! verifier in Chromium and the Node verifier, and expects the same verdicts.
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::jose::base64url;
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::jose::jws::{header, signing_input};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{parse, Object, Value};
use consent_capture::notice::signature;
use consent_capture::receipt::verify::{verify_receipt, Expectations};
use consent_capture::receipt::{principal_id, receipt_hash, Receipt, ReceiptContext, TYP};
use consent_capture::{minimise, uuid_v4, Decisions, ErrorKind, Notice};

const CORPUS: &str = "tests/corpus/receipts.json";
const DEMO: &str = include_str!("../www/demo/notice.json");
const TODAY: consent_capture::minimise::date::Date = consent_capture::minimise::date::Date {
    year: 2026,
    month: 11,
    day: 22,
};

/// One case: a receipt, and the verdict every verifier must give (`None`: valid).
struct Case {
    name: String,
    jws: String,
    refused: Option<ErrorKind>,
}

fn demo() -> Notice {
    Notice::from_json(DEMO).expect("the demo notice is valid")
}

fn submitted() -> Vec<(String, String)> {
    [
        ("name", "Ada Lovelace"),
        ("email", "ada@example.com"),
        ("topic", "sales"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

/// The canonical payload of a demo receipt signed by `key`'s public part.
fn payload(notice: &Notice, key: &PublicJwk, grant: bool, by_email: bool, previous: Option<&str>) -> Value {
    let mut decisions = Decisions::initial(notice);
    decisions.set("newsletter", grant).expect("consent purpose");
    let minimised = minimise(notice, &decisions, &submitted(), TODAY);
    let principal = if by_email {
        principal_id(notice, &submitted(), &minimised.manifest, &key.thumbprint())
    } else {
        format!("jwk-thumbprint:{}", key.thumbprint())
    };
    let id = uuid_v4([grant as u8 + 1; 16]);
    let previous = previous.map(receipt_hash);
    let context = ReceiptContext {
        issued_at: 1_795_000_000,
        receipt_id: &id,
        principal_id: &principal,
        language: "en",
        gpc: false,
        notice_signature: None,
        previous_receipt: previous.as_deref(),
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    Receipt::build(notice, &decisions, &minimised.manifest, context)
        .as_json()
        .clone()
}

fn b64(text: &str) -> String {
    base64url::encode(text.as_bytes())
}

/// A JWS with exactly this header and payload text, signed by `key`.
fn sign_texts(key: &PrivateKey, header: &str, payload: &str) -> String {
    key.sign(&format!("{}.{}", b64(header), b64(payload)))
}

fn receipt_header(key: &PrivateKey) -> Object {
    header(key.algorithm(), &key.public(), TYP)
}

fn sign_value(key: &PrivateKey, payload: &Value) -> String {
    key.sign(&signing_input(
        &receipt_header(key),
        &to_canonical_string(payload),
    ))
}

/// Sets `path` (object keys) in `value` to `new`.
fn set(value: &mut Value, path: &[&str], new: Value) {
    let Value::Object(object) = value else {
        panic!("not an object at {path:?}")
    };
    match path {
        [last] => object.insert(*last, new),
        [first, rest @ ..] => {
            let mut inner = object.get(first).cloned().expect("member");
            set(&mut inner, rest, new);
            object.insert(*first, inner);
        }
        [] => panic!("empty path"),
    }
}

fn with(value: &Value, path: &[&str], new: impl Into<Value>) -> Value {
    let mut copy = value.clone();
    set(&mut copy, path, new.into());
    copy
}

fn decisions_with(value: &Value, change: impl Fn(&mut Vec<Value>)) -> Value {
    let mut decisions = value
        .as_object()
        .and_then(|o| o.get("consentCapture"))
        .and_then(|e| e.as_object())
        .and_then(|e| e.get("decisions"))
        .and_then(Value::as_array)
        .expect("decisions")
        .to_vec();
    change(&mut decisions);
    with(value, &["consentCapture", "decisions"], Value::Array(decisions))
}

/// A receipt "signed" by a raw public key with a raw signature: for keys nobody holds the secret of.
fn forged(x: &[u8], signature: &[u8], payload_for: impl Fn(&PublicJwk) -> Value) -> String {
    let jwk = Object::new()
        .with("crv", "Ed25519")
        .with("kty", "OKP")
        .with("x", base64url::encode(x));
    let thumbprint = consent_capture::jose::jwk::thumbprint(&jwk, "jwk").expect("thumbprint");
    let header = Object::new()
        .with("alg", "EdDSA")
        .with("typ", TYP)
        .with("jwk", jwk)
        .with("kid", thumbprint.clone());
    // The payload names the key by its thumbprint, as an honest receipt would.
    let stand_in = PublicJwk::Ed25519([9; 32]);
    let text = to_canonical_string(&payload_for(&stand_in)).replace(&stand_in.thumbprint(), &thumbprint);
    format!(
        "{}.{}",
        signing_input(&header, &text),
        base64url::encode(signature)
    )
}

fn with_signature(jws: &str, signature: &[u8]) -> String {
    let cut = jws.rfind('.').expect("three parts");
    format!("{}.{}", &jws[..cut], base64url::encode(signature))
}

fn signature_of(jws: &str) -> Vec<u8> {
    base64url::decode(jws.rsplit('.').next().expect("signature")).expect("base64url")
}

/// Little-endian 32 bytes + little-endian 32 bytes, with carry (S + L for Ed25519).
fn add_le(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut carry = 0u16;
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            let sum = u16::from(*x) + u16::from(*y) + carry;
            carry = sum >> 8;
            sum as u8
        })
        .collect()
}

/// Big-endian `n - s`, for the ECDSA high-S twin.
fn sub_be(n: &[u8], s: &[u8]) -> Vec<u8> {
    let mut borrow = 0i16;
    let mut out = vec![0u8; 32];
    for i in (0..32).rev() {
        let mut diff = i16::from(n[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(diff < 0);
        if diff < 0 {
            diff += 256;
        }
        out[i] = diff as u8;
    }
    out
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

const ED25519_ORDER_LE: &str = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
const P256_ORDER_BE: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

fn corpus() -> Vec<Case> {
    let notice = demo();
    let ed = PrivateKey::ed25519_from_seed([21; 32]);
    let p256 = PrivateKey::from_jwk(
        &parse(r#"{"crv":"P-256","kty":"EC","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#)
            .expect("jwk"),
    )
    .expect("the RFC 7515 A.3 key");
    let good = payload(&notice, &ed.public(), true, false, None);
    let good_jws = sign_value(&ed, &good);
    let mut cases: Vec<Case> = Vec::new();
    let mut add = |name: &str, jws: String, refused: Option<ErrorKind>| {
        cases.push(Case {
            name: name.to_owned(),
            jws,
            refused,
        })
    };
    use ErrorKind::{
        BadSignature, CriticalHeader, DuplicateKey, KeyMismatch, MalleableSignature, Missing,
        NonIntegerNumber, NotAllowed, NotBase64Url, NotBound, NotCanonical, NotCompactJws, NumberOutOfRange,
        OutOfRange, Syntax, TooDeep, TooLarge, UnsupportedAlgorithm, WeakKey, WrongType,
    };

    // Valid receipts.
    add("valid-eddsa", good_jws.clone(), None);
    add(
        "valid-eddsa-refused-newsletter",
        sign_value(&ed, &payload(&notice, &ed.public(), false, false, None)),
        None,
    );
    add(
        "valid-salted-email-principal",
        sign_value(&ed, &payload(&notice, &ed.public(), true, true, None)),
        None,
    );
    add(
        "valid-withdrawal",
        sign_value(
            &ed,
            &payload(&notice, &ed.public(), false, false, Some(&good_jws)),
        ),
        None,
    );
    let es_payload = payload(&notice, &p256.public(), true, false, None);
    let es_jws = sign_value(&p256, &es_payload);
    add("valid-es256-low-s", es_jws.clone(), None);
    let controller = PrivateKey::ed25519_from_seed([77; 32]);
    let notice_signature = controller.sign(&signing_input(
        &header(controller.algorithm(), &controller.public(), signature::TYP),
        &signature::payload(&notice),
    ));
    add(
        "valid-with-notice-signature",
        sign_value(
            &ed,
            &with(
                &good,
                &["consentCapture", "noticeSignature"],
                notice_signature.as_str(),
            ),
        ),
        None,
    );

    // Keys that WebCrypto accepts and the strict verifier does not: small order, non-canonical.
    let identity = {
        let mut p = [0u8; 32];
        p[0] = 1;
        p
    };
    let universal = {
        let mut s = [0u8; 64];
        s[0] = 1; // R = the identity point, S = 0: valid under the identity key for every message
        s
    };
    let receipt_for = |key: &PublicJwk| payload(&notice, key, true, false, None);
    add(
        "weak-key-identity-universal-signature",
        forged(&identity, &universal, receipt_for),
        Some(WeakKey),
    );
    for (i, y) in [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ]
    .iter()
    .enumerate()
    {
        add(
            &format!("weak-key-{i}"),
            forged(&hex(y), &universal, receipt_for),
            Some(WeakKey),
        );
    }
    let mut small_r = signature_of(&good_jws);
    small_r[..32].copy_from_slice(&identity);
    add(
        "signature-r-small-order",
        with_signature(&good_jws, &small_r),
        Some(MalleableSignature),
    );
    let mut s_plus_l = signature_of(&good_jws);
    let s = add_le(&s_plus_l[32..], &hex(ED25519_ORDER_LE));
    s_plus_l[32..].copy_from_slice(&s);
    add(
        "signature-s-plus-l",
        with_signature(&good_jws, &s_plus_l),
        Some(BadSignature),
    );
    let mut high = signature_of(&es_jws);
    let twin = sub_be(&hex(P256_ORDER_BE), &high[32..]);
    high[32..].copy_from_slice(&twin);
    add(
        "es256-high-s-twin",
        with_signature(&es_jws, &high),
        Some(MalleableSignature),
    );
    let mut zero_r = signature_of(&es_jws);
    zero_r[..32].fill(0);
    add(
        "es256-r-zero",
        with_signature(&es_jws, &zero_r),
        Some(BadSignature),
    );
    let mut big_s = signature_of(&es_jws);
    big_s[32..].copy_from_slice(&hex(P256_ORDER_BE));
    add(
        "es256-s-equals-n",
        with_signature(&es_jws, &big_s),
        Some(MalleableSignature),
    );
    let es_header = |x: &str| {
        let public = p256.public().to_json().with("x", x);
        Object::new()
            .with("alg", "ES256")
            .with("typ", TYP)
            .with("jwk", public)
    };
    let off_field = base64url::encode(&[0xff; 32]);
    let off_field_jwk = p256.public().to_json().with("x", off_field.as_str());
    let off_field_person = format!(
        "jwk-thumbprint:{}",
        consent_capture::jose::jwk::thumbprint(&off_field_jwk, "jwk").expect("thumbprint")
    );
    add(
        "p256-coordinate-beyond-the-field",
        p256.sign(&signing_input(
            &es_header(&off_field),
            &to_canonical_string(&with(&es_payload, &["piiPrincipalId"], off_field_person)),
        )),
        Some(KeyMismatch),
    );

    // Numbers the browser cannot read were once read natively.
    let text = to_canonical_string(&good);
    let header_text = to_canonical_string(&Value::Object(receipt_header(&ed)));
    add(
        "float-in-payload",
        sign_texts(
            &ed,
            &header_text,
            &text.replacen("\"gpc\":false", "\"gpc\":false,\"x\":1.5", 1),
        ),
        Some(NonIntegerNumber),
    );
    add(
        "float-in-header",
        sign_texts(&ed, &header_text.replacen("{", "{\"a\":0.5,", 1), &text),
        Some(NonIntegerNumber),
    );
    add(
        "integer-beyond-2-53",
        sign_texts(
            &ed,
            &header_text,
            &text.replacen("\"gpc\":false", "\"gpc\":false,\"x\":9007199254740993", 1),
        ),
        Some(NumberOutOfRange),
    );

    // Times that are not seconds of this century.
    for (name, time) in [
        ("time-in-milliseconds", 1_795_000_000_000_i64),
        ("time-max-safe-integer", 9_007_199_254_740_991),
        ("time-zero", 0),
        ("time-before-2020", 1_510_592_400),
        ("time-2100", 4_102_444_800),
    ] {
        add(
            name,
            sign_value(&ed, &with(&good, &["consentTimestamp"], time)),
            Some(OutOfRange),
        );
    }
    add(
        "time-negative",
        sign_value(&ed, &with(&good, &["consentTimestamp"], -1)),
        Some(WrongType),
    );

    // Headers.
    let header_with =
        |change: &dyn Fn(Object) -> Object| to_canonical_string(&Value::Object(change(receipt_header(&ed))));
    let remove = |object: Object, key: &str| {
        let mut out = Object::new();
        for (k, v) in object.iter().filter(|(k, _)| *k != key) {
            out.insert(k, v.clone());
        }
        out
    };
    add(
        "typ-missing",
        sign_texts(&ed, &header_with(&|h| remove(h, "typ")), &text),
        Some(Missing),
    );
    add(
        "typ-of-a-notice-signature",
        sign_texts(&ed, &header_with(&|h| h.with("typ", signature::TYP)), &text),
        Some(NotAllowed),
    );
    let jwk_with = |member: &str, value: Value| {
        let jwk = ed.public().to_json().with(member, value);
        header_with(&|h| h.with("jwk", jwk.clone()))
    };
    add(
        "jwk-use-enc",
        sign_texts(&ed, &jwk_with("use", "enc".into()), &text),
        Some(NotAllowed),
    );
    add(
        "jwk-key-ops-sign",
        sign_texts(
            &ed,
            &jwk_with("key_ops", Value::Array(vec!["sign".into()])),
            &text,
        ),
        Some(NotAllowed),
    );
    add(
        "jwk-alg-es256-on-ed25519",
        sign_texts(&ed, &jwk_with("alg", "ES256".into()), &text),
        Some(NotAllowed),
    );
    add(
        "jwk-private-d",
        sign_texts(&ed, &jwk_with("d", base64url::encode(&[21; 32]).into()), &text),
        Some(ErrorKind::PrivateKey),
    );
    add(
        "jwk-missing",
        sign_texts(&ed, &header_with(&|h| remove(remove(h, "jwk"), "kid")), &text),
        Some(Missing),
    );
    add(
        "kid-not-thumbprint",
        sign_texts(&ed, &header_with(&|h| h.with("kid", "x")), &text),
        Some(KeyMismatch),
    );
    add(
        "crit",
        sign_texts(
            &ed,
            &header_with(&|h| h.with("crit", Value::Array(vec!["exp".into()]))),
            &text,
        ),
        Some(CriticalHeader),
    );
    add(
        "alg-none",
        sign_texts(&ed, &header_with(&|h| h.with("alg", "none")), &text),
        Some(UnsupportedAlgorithm),
    );
    add(
        "alg-hs256",
        sign_texts(&ed, &header_with(&|h| h.with("alg", "HS256")), &text),
        Some(UnsupportedAlgorithm),
    );
    add(
        "header-duplicate-key",
        sign_texts(&ed, &header_text.replacen("{", "{\"typ\":\"x\",", 1), &text),
        Some(DuplicateKey),
    );

    // What the payload says must be bound to the key.
    add(
        "person-in-clear",
        sign_value(&ed, &with(&good, &["piiPrincipalId"], "Ada Lovelace")),
        Some(NotBound),
    );
    add(
        "person-another-key",
        sign_value(
            &ed,
            &with(
                &good,
                &["piiPrincipalId"],
                format!("jwk-thumbprint:{}", p256.public().thumbprint()),
            ),
        ),
        Some(NotBound),
    );
    add(
        "person-short-hash",
        sign_value(&ed, &with(&good, &["piiPrincipalId"], "sha256:abc")),
        Some(NotBound),
    );
    let without_extension = {
        let mut object = good.as_object().expect("object").clone();
        object = remove(object, "consentCapture");
        Value::Object(object)
    };
    add(
        "extension-missing",
        sign_value(&ed, &without_extension),
        Some(Missing),
    );
    add(
        "notice-hash-not-a-hash",
        sign_value(&ed, &with(&good, &["consentCapture", "noticeSha256"], "x")),
        Some(WrongType),
    );
    add(
        "previous-not-a-hash",
        sign_value(&ed, &with(&good, &["consentCapture", "previousReceipt"], 7)),
        Some(WrongType),
    );
    add(
        "decision-dropped",
        sign_value(
            &ed,
            &decisions_with(&good, |d| {
                d.pop();
            }),
        ),
        Some(NotBound),
    );
    add(
        "decisions-swapped",
        sign_value(&ed, &decisions_with(&good, |d| d.swap(0, 1))),
        Some(NotBound),
    );
    add(
        "granted-without-consent-basis",
        sign_value(
            &ed,
            &decisions_with(&good, |d| {
                for decision in d.iter_mut() {
                    if decision.as_object().and_then(|o| o.get("decision")) == Some(&Value::from("not-asked"))
                    {
                        set(decision, &["decision"], "granted".into());
                    }
                }
            }),
        ),
        Some(NotBound),
    );
    add(
        "decision-word-unknown",
        sign_value(
            &ed,
            &decisions_with(&good, |d| {
                for decision in d.iter_mut() {
                    if decision.as_object().and_then(|o| o.get("decision")) == Some(&Value::from("granted")) {
                        set(decision, &["decision"], "maybe".into());
                    }
                }
            }),
        ),
        Some(NotBound),
    );
    add(
        "withdrawal-without-previous-receipt",
        sign_value(
            &ed,
            &decisions_with(&good, |d| {
                for decision in d.iter_mut() {
                    if decision.as_object().and_then(|o| o.get("decision")) == Some(&Value::from("granted")) {
                        set(decision, &["decision"], "withdrawn".into());
                    }
                }
            }),
        ),
        Some(NotBound),
    );
    add(
        "manifest-not-a-list",
        sign_value(&ed, &with(&good, &["consentCapture", "manifest"], "all")),
        Some(WrongType),
    );

    // Structure and bytes.
    add(
        "not-canonical",
        sign_texts(&ed, &header_text, &text.replacen(":", ": ", 1)),
        Some(NotCanonical),
    );
    add(
        "payload-duplicate-key",
        sign_texts(&ed, &header_text, &text.replacen("{", "{\"version\":\"x\",", 1)),
        Some(DuplicateKey),
    );
    add(
        "payload-deep-nesting",
        sign_texts(
            &ed,
            &header_text,
            &format!("{}{}", "[".repeat(100), "]".repeat(100)),
        ),
        Some(TooDeep),
    );
    add(
        "payload-lone-surrogate",
        sign_texts(
            &ed,
            &header_text,
            &text.replacen("\"gpc\":false", "\"gpc\":false,\"x\":\"\\ud800\"", 1),
        ),
        Some(Syntax),
    );
    add(
        "payload-not-kantara",
        sign_texts(&ed, &header_text, r#"{"version":"KI-CR-v1.1.0"}"#),
        Some(Missing),
    );
    // A receipt id is a key, a file name and a header on the controller's side: a UUID, nothing else.
    for (name, id) in [
        ("receipt-id-with-nul", "c1befd3e-b7e5-4ea6-8688-e9a565aade21\u{0}"),
        (
            "receipt-id-with-line-break",
            "c1befd3e-b7e5-4ea6-8688-e9a565aa\r\nX: y",
        ),
        ("receipt-id-free-text", "my receipt"),
        ("receipt-id-uppercase", "C1BEFD3E-B7E5-4EA6-8688-E9A565AADE21"),
    ] {
        add(
            name,
            sign_value(&ed, &with(&good, &["consentReceiptID"], id)),
            Some(NotAllowed),
        );
    }
    let tampered = sign_value(
        &ed,
        &with(&good, &["consentReceiptID"], uuid_v4([3; 16]).as_str()),
    );
    add(
        "payload-tampered",
        with_signature(&tampered, &signature_of(&good_jws)),
        Some(BadSignature),
    );
    let mut flipped = signature_of(&good_jws);
    flipped[40] ^= 1;
    add(
        "signature-tampered",
        with_signature(&good_jws, &flipped),
        Some(BadSignature),
    );
    add(
        "two-parts",
        good_jws.rsplit_once('.').expect("head").0.to_owned(),
        Some(NotCompactJws),
    );
    add("padded-base64", format!("{good_jws}="), Some(NotBase64Url));
    add(
        "over-64-kib",
        sign_value(
            &ed,
            &with(&good, &["consentCapture", "language"], "e".repeat(70_000)),
        ),
        Some(TooLarge),
    );
    add("empty", String::new(), Some(NotCompactJws));
    cases
}

fn corpus_json(cases: &[Case]) -> String {
    let items: Vec<Value> = cases
        .iter()
        .map(|case| {
            Object::new()
                .with("name", case.name.as_str())
                .with("jws", case.jws.as_str())
                .with("valid", case.refused.is_none())
                .into()
        })
        .collect();
    let mut text = to_canonical_string(&Value::Array(items)).replace("},{", "},\n{");
    text.push('\n');
    text
}

#[test]
fn every_case_gets_its_verdict_natively_and_the_corpus_file_is_this_corpus() {
    let cases = corpus();
    assert!(
        cases.iter().filter(|c| c.refused.is_some()).count() >= 50,
        "at least 50 hostile receipts"
    );
    for case in &cases {
        let verdict = verify_receipt(&case.jws, Expectations::default());
        match (case.refused, verdict) {
            (None, Ok(_)) => {}
            (None, Err(error)) => panic!("{}: refused: {error}", case.name),
            (Some(kind), Ok(_)) => panic!("{}: accepted, expected {kind:?}", case.name),
            (Some(kind), Err(error)) => assert_eq!(error.kind(), kind, "{}: {error}", case.name),
        }
    }
    let text = corpus_json(&cases);
    if std::env::var_os("UPDATE_CORPUS").is_some() {
        std::fs::create_dir_all("tests/corpus").expect("mkdir");
        std::fs::write(CORPUS, &text).expect("write corpus");
    }
    let committed =
        std::fs::read_to_string(CORPUS).expect("tests/corpus/receipts.json (UPDATE_CORPUS=1 writes it)");
    assert!(
        committed == text,
        "tests/corpus/receipts.json is stale: run UPDATE_CORPUS=1 cargo test --test hostile_receipts"
    );
}
