//! The JSON Schema shipped for notices (notice.schema.json) agrees with the validator: the demo passes, typos
//! fail, and every name the validator knows appears in the schema.

mod support;

use consent_capture::destination::{shipped, Destination, NoticeFacts};
use consent_capture::json::{parse, Value};
use consent_capture::notice::texts::Ui;
use consent_capture::notice::FieldType;
use consent_capture::LegalBasis;
use support::schema::violations;

const DEMO: &str = include_str!("../www/demo/notice.json");
/// Where the shipped HubSpot and Salesforce descriptions send: the site gives it.
const ENDPOINT: Option<&str> = Some("https://crm.example/submit");
const SCHEMA: &str = include_str!("../notice.schema.json");

fn schema() -> Value {
    parse(SCHEMA).expect("the schema is JSON")
}

fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter()
        .fold(value, |v, key| v.as_object().and_then(|o| o.get(key)).expect(key))
}

/// The names an enum lists or an object defines, sorted (order carries no meaning here).
fn names(value: &Value) -> Vec<String> {
    let mut names: Vec<String> = match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::Object(o) => o.iter().map(|(k, _)| k.to_owned()).collect(),
        _ => Vec::new(),
    };
    names.sort();
    names
}

fn sorted(items: impl Iterator<Item = &'static str>) -> Vec<String> {
    let mut items: Vec<String> = items.map(str::to_owned).collect();
    items.sort();
    items
}

#[test]
fn the_demo_notice_passes_the_schema() {
    assert_eq!(
        violations(&schema(), &parse(DEMO).expect("demo"), ""),
        Vec::<String>::new()
    );
}

#[test]
fn the_schema_refuses_what_the_validator_refuses() {
    let cases = [
        (r#""revision": "2026-11-22""#, r#""revison": "2026-11-22""#),
        (r#""legalBasis": "consent""#, r#""legalBasis": "maybe""#),
        (r#""type": "email""#, r#""type": "password""#),
        (
            r#""policyUrl": "https://example.com/privacy""#,
            r#""policyUrl": "javascript:alert(1)""#,
        ),
        (r#""purposes": ["newsletter"]"#, r#""purposes": []"#),
        (
            r#""name": "company", "type": "text","#,
            r#""name": "company", "type": "text", "transform": "sha256:md5","#,
        ),
        (r#""gpc": true"#, r#""gpc": "yes""#),
        // A Cyrillic "а" that looks like the Latin one: identifiers are plain ASCII.
        (r#""id": "ads""#, r#""id": "аds""#),
        (r#""name": "company""#, r#""name": "cоmpany""#),
        (r#""ad_user_data""#, r#""ad_tracking""#),
        (
            r#""acceptAll": "Alle akzeptieren""#,
            r#""acceptEverything": "Alle akzeptieren""#,
        ),
    ];
    for (from, to) in cases {
        assert!(DEMO.contains(from), "{from}");
        let broken = parse(&DEMO.replacen(from, to, 1)).expect("still JSON");
        assert!(
            !violations(&schema(), &broken, "").is_empty(),
            "the schema lets {to} through"
        );
        assert!(
            consent_capture::Notice::from_value(broken).is_err(),
            "the validator lets {to} through"
        );
    }
}

/// A notice's `crm` settings are read by the destination they configure, when it is read against the notice
/// (`consent-capture check`, the relay, the browser's destination module): the schema and that reading agree.
#[test]
fn the_schema_refuses_the_crm_settings_the_destination_refuses() {
    let cases = [
        (
            "hubspot",
            r#""newsletter": 12345678"#,
            r#""newsletter": "12345678""#,
        ),
        ("salesforce", r#""receiptField""#, r#""receiptFeld""#),
    ];
    for (destination, from, to) in cases {
        assert!(DEMO.contains(from), "{from}");
        let broken = parse(&DEMO.replacen(from, to, 1)).expect("still JSON");
        assert!(
            !violations(&schema(), &broken, "").is_empty(),
            "the schema lets {to} through"
        );
        let description = shipped(destination).expect("shipped");
        let demo = consent_capture::Notice::from_json(DEMO).expect("demo");
        assert!(Destination::bind(description, &NoticeFacts::read(&demo.source), ENDPOINT).is_ok());
        let notice =
            consent_capture::Notice::from_value(broken).expect("crm settings are read by their destination");
        assert!(
            Destination::bind(description, &NoticeFacts::read(&notice.source), ENDPOINT).is_err(),
            "the {destination} destination lets {to} through"
        );
    }
}

#[test]
fn every_name_the_validator_knows_is_in_the_schema() {
    let schema = schema();
    let definitions = at(&schema, &["definitions"]);
    let bases = sorted(LegalBasis::ALL.iter().map(|(_, n)| *n));
    assert_eq!(
        names(at(definitions, &["purpose", "properties", "legalBasis", "enum"])),
        bases
    );
    let types = sorted(FieldType::ALL.iter().map(|(_, n)| *n));
    assert_eq!(
        names(at(definitions, &["field", "properties", "type", "enum"])),
        types
    );
    let texts = sorted(Ui::ALL.iter().map(|(_, n)| *n));
    assert_eq!(names(at(definitions, &["interfaceTexts", "properties"])), texts);
}
