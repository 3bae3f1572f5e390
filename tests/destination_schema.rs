//! The JSON Schema shipped for destinations (destination.schema.json) agrees with the reader: every shipped
//! description passes it, and what the reader refuses at the top of a description, it refuses too.

mod support;

use consent_capture::destination::{shipped, Destination, NoticeFacts, SHIPPED};
use consent_capture::json::{parse, Value};
use consent_capture::Notice;
use support::schema::violations;

const SCHEMA: &str = include_str!("../destination.schema.json");
const DEMO: &str = include_str!("../www/demo/notice.json");

fn schema() -> Value {
    parse(SCHEMA).expect("the schema is JSON")
}

#[test]
fn every_shipped_description_passes_the_schema() {
    for (name, text) in SHIPPED {
        let description = parse(text).expect("JSON");
        assert_eq!(
            violations(&schema(), &description, ""),
            Vec::<String>::new(),
            "{name}"
        );
    }
}

#[test]
fn the_schema_refuses_what_the_reader_refuses() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let json = SHIPPED[0].1;
    let hubspot = shipped("hubspot").expect("shipped");
    let erasure_without_what_to_do_by_hand = hubspot.replacen(r#""otherwise":"#, r#""otherwize":"#, 1);
    assert!(!violations(
        &schema(),
        &parse(&erasure_without_what_to_do_by_hand).expect("JSON"),
        ""
    )
    .is_empty());
    assert!(Destination::bind(
        &erasure_without_what_to_do_by_hand,
        &NoticeFacts::read(&notice.source),
        Some("https://crm.example/submit")
    )
    .is_err());
    let cases = [
        (r#""runs": "browser""#, r#""runs": "server""#),
        (r#""encoding": "json""#, r#""encoding": "xml""#),
        (r#""withdrawal": "as-submit""#, r#""withdrawal": "ignore""#),
        (r#""url": "{endpoint}""#, r#""url": "ftp://crm.example""#),
        (r#""name": "json""#, r#""nmae": "json""#),
        (r#""erasure": { "refuse""#, r#""erasure": { "refused""#),
    ];
    for (from, to) in cases {
        assert!(json.contains(from), "{from}");
        let broken = json.replacen(from, to, 1);
        assert!(
            !violations(&schema(), &parse(&broken).expect("JSON"), "").is_empty(),
            "the schema accepts {to}"
        );
        assert!(
            Destination::bind(&broken, &NoticeFacts::read(&notice.source), None).is_err(),
            "the reader accepts {to}"
        );
    }
}
