//! The JSON parser is strict (RFC 8259 + I-JSON) and says where the problem is.

use consent_capture::json::{parse, Value};
use consent_capture::ErrorKind;

#[test]
fn rejects_what_rfc_8259_and_i_json_forbid() {
    let cases = [
        ("", ErrorKind::Syntax),
        ("{", ErrorKind::Syntax),
        ("[1,]", ErrorKind::Syntax),
        ("{\"a\":1,}", ErrorKind::Syntax),
        ("01", ErrorKind::Syntax),
        ("1.", ErrorKind::Syntax),
        ("-", ErrorKind::Syntax),
        ("'a'", ErrorKind::Syntax),
        ("\"tab\tin string\"", ErrorKind::Syntax),
        ("\"\\x\"", ErrorKind::Syntax),
        ("\"\\ud800\"", ErrorKind::Syntax),
        ("\"\\udc00\\ud800\"", ErrorKind::Syntax),
        ("true false", ErrorKind::Syntax),
        ("nul", ErrorKind::Syntax),
        ("{\"a\":1,\"a\":2}", ErrorKind::DuplicateKey),
        ("1e400", ErrorKind::NumberOutOfRange),
    ];
    for (text, kind) in cases {
        let error = parse(text).expect_err(text);
        assert_eq!(error.kind(), kind, "for {text:?}: {error}");
    }
}

#[test]
fn errors_give_line_and_column() {
    let error = parse("{\n  \"a\": 1,\n  \"a\": 2\n}").expect_err("duplicate key");
    assert_eq!(error.at(), "line 3, column 3");
    assert_eq!(error.to_string(), "line 3, column 3: repeats a key (a)");
}

#[test]
fn hostile_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "[".repeat(100_000);
    assert_eq!(parse(&deep).expect_err("too deep").kind(), ErrorKind::TooDeep);
    let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    assert!(parse(&ok).is_ok());
}

#[test]
fn integers_stay_exact_up_to_two_to_the_53() {
    assert_eq!(
        parse("9007199254740991").expect("max safe").as_i64(),
        Some(9_007_199_254_740_991)
    );
    assert_eq!(
        parse("-9007199254740991").expect("min safe").as_i64(),
        Some(-9_007_199_254_740_991)
    );
    assert_eq!(
        parse("9007199254740992")
            .expect("beyond is a double natively")
            .as_i64(),
        None
    );
    assert_eq!(parse("5.0").expect("a double").as_i64(), None);
}

#[test]
fn surrogate_pairs_and_escapes_decode() {
    let value = parse(r#""\ud83d\ude02 \u00e9 \/ \n""#).expect("valid escapes");
    assert_eq!(value, Value::from("😂 é / \n"));
}

#[test]
fn objects_are_equal_whatever_the_member_order() {
    assert_eq!(
        parse(r#"{"a":1,"b":[true]}"#).ok(),
        parse(r#"{"b":[true],"a":1}"#).ok()
    );
    assert_ne!(parse(r#"{"a":1,"b":2}"#).ok(), parse(r#"{"a":1,"b":3}"#).ok());
    assert_ne!(parse(r#"{"a":1}"#).ok(), parse(r#"{"a":1,"b":2}"#).ok());
}
