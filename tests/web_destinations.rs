//! Browser tests of the destination module (built with `browser-destinations`): reading a site's CRM
//! description against the notice the element shows, and shaping what a signed submission sends.
#![cfg(all(target_arch = "wasm32", feature = "browser-destinations"))]

use consent_capture::destination::{description_sha256, shipped};
use consent_capture::json::{parse, Value};
use consent_capture::web::{read_destination, shape_request};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../www/demo/notice.json");
const ENDPOINT: &str = "https://crm.example/submit";

fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |v, key| {
        v.as_object().and_then(|o| o.get(key)).unwrap_or(&Value::Null)
    })
}

/// A signed submission as the element hands it over: the receipt's decisions, principal and time.
fn submission(withdrawal: bool, newsletter: &str, fields: &str) -> String {
    format!(
        r#"{{"withdrawal":{withdrawal},"fields":{fields},"receipt":"h.p.s","receiptId":"0b0e3c4a-5d6f-4a1b-9c2d-3e4f5a6b7c8d",
        "principal":"jwk-thumbprint:x","language":"en","consentTime":1795000000,"pageUri":"https://example.com/contact","pageName":"Contact",
        "decisions":[{{"decision":"not-asked","legalBasis":"contract","purpose":"enquiry"}},{{"decision":"{newsletter}","legalBasis":"consent","purpose":"newsletter"}},{{"decision":"denied","legalBasis":"consent","purpose":"ads"}}]}}"#
    )
}

#[wasm_bindgen_test]
fn a_destination_read_against_the_notice_says_where_it_sends_and_its_hash() {
    let read = parse(&read_destination("hubspot", "", DEMO, ENDPOINT).expect("reads")).expect("JSON");
    assert_eq!(at(&read, &["url"]).as_str(), Some(ENDPOINT));
    let expected = description_sha256(&parse(shipped("hubspot").expect("shipped")).expect("JSON"));
    assert_eq!(at(&read, &["sha256"]).as_str(), Some(expected.as_str()));
    let json =
        parse(&read_destination("json", "", DEMO, ENDPOINT).expect("the built-in json")).expect("JSON");
    assert_eq!(at(&json, &["name"]).as_str(), Some("json"));
    let own = r#"{"name": "own", "runs": "browser", "submit": {"url": "{endpoint}", "encoding": "json", "body": {"e": {"$field": "email"}}},
        "withdrawal": "as-submit", "erasure": {"refuse": "by hand"}}"#;
    let read = parse(&read_destination("", own, DEMO, ENDPOINT).expect("a site's own")).expect("JSON");
    assert_eq!(at(&read, &["name"]).as_str(), Some("own"));
    let unknown = read_destination("marketoo", "", DEMO, ENDPOINT)
        .err()
        .and_then(|e| e.as_string());
    assert_eq!(
        unknown.as_deref(),
        Some("adapter: is not one of the allowed values (marketoo)")
    );

    let broken = DEMO.replace(r#""name": "firstname""#, r#""nmae": "firstname""#);
    let problem = read_destination("hubspot", "", &broken, ENDPOINT)
        .err()
        .and_then(|e| e.as_string());
    assert_eq!(
        problem.as_deref(),
        Some("crm.hubspot.fields.nmae: is not one of the allowed values (not a declared field)")
    );
    let secret = read_destination("brevo", "", DEMO, "")
        .err()
        .and_then(|e| e.as_string());
    assert_eq!(
        secret.as_deref(),
        Some("destination.runs: is not one of the allowed values (it needs a secret: send through the receiver (--relay))")
    );
}

#[wasm_bindgen_test]
fn a_signed_submission_is_shaped_as_its_destination_describes() {
    let fields = r#"{"name":"Ada Lovelace","email":"ada@example.com","company":"Engines Ltd"}"#;
    let sent = shape_request(
        "salesforce",
        "",
        DEMO,
        ENDPOINT,
        &submission(false, "granted", fields),
    );
    let sent = parse(&sent.expect("shapes")).expect("JSON");
    assert_eq!(
        at(&sent, &["contentType"]).as_str(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        at(&sent, &["opaque"]),
        &Value::Bool(true),
        "Web-to-Lead answers no CORS"
    );
    assert_eq!(
        at(&sent, &["body"]).as_str(),
        Some("oid=00D000000000001&last_name=Ada+Lovelace&email=ada%40example.com&company=Engines+Ltd&00N000000000001=0b0e3c4a-5d6f-4a1b-9c2d-3e4f5a6b7c8d")
    );

    let withdrawn =
        shape_request("json", "", DEMO, ENDPOINT, &submission(true, "withdrawn", "{}")).expect("shapes");
    let withdrawn = parse(&withdrawn).expect("JSON");
    assert_eq!(
        at(&withdrawn, &["body"]).as_str(),
        Some(
            r#"{"decisions":[{"decision":"not-asked","legalBasis":"contract","purpose":"enquiry"},{"decision":"withdrawn","legalBasis":"consent","purpose":"newsletter"},{"decision":"denied","legalBasis":"consent","purpose":"ads"}],"fields":{},"receipt":"h.p.s"}"#
        ),
        "a withdrawal reaches a JSON endpoint as its receipt and its decisions, no fields"
    );
    let to_hubspot = shape_request(
        "hubspot",
        "",
        DEMO,
        ENDPOINT,
        &submission(true, "withdrawn", "{}"),
    );
    assert_eq!(
        to_hubspot.ok().as_deref(),
        Some("null"),
        "HubSpot cannot take a withdrawal: nothing is sent"
    );
    let not_granted = shape_request(
        "mailchimp-form",
        "",
        DEMO,
        "",
        &submission(false, "denied", fields),
    );
    assert_eq!(
        not_granted.ok().as_deref(),
        Some("null"),
        "no subscription without its consent"
    );
}
