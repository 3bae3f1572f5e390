//! CRM adapters: the exact request each one shapes from a minimised payload and its receipt (golden
//! outputs), and that they only reshape what minimisation let through.

use consent_capture::minimise::adapter::{request, Adapter, AdapterProblem, Evidence, Request};
use consent_capture::minimise::date::Date;
use consent_capture::notice::signature::notice_hash;
use consent_capture::{minimise, Decisions, Notice};

const DEMO: &str = include_str!("../www/demo/notice.json");
const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 22,
};
const EVIDENCE: Evidence<'static> = Evidence {
    receipt: "eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln",
    receipt_id: "0b0e3c4a-5d6f-4a1b-9c2d-3e4f5a6b7c8d",
    language: "en",
    page_uri: "https://example.com/contact?from=ad",
    page_name: "Contact us",
};

fn submitted() -> Vec<(String, String)> {
    [
        ("name", "Ada Lovelace"),
        ("email", "ada@example.com"),
        ("company", "Analytical Engines & Co"),
        ("phone", "020 7946 0000"),
        ("birthDate", "1990-06-15"),
        ("postcode", "sw1a 1aa"),
        ("topic", "support"),
        ("referrer", "campaign-42"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn shaped(adapter: Adapter, granted: &[&str]) -> Request {
    let notice = Notice::from_json(DEMO).expect("valid");
    let mut decisions = Decisions::initial(&notice);
    for purpose in granted {
        decisions.set(purpose, true).expect("a consent purpose");
    }
    let minimised = minimise(&notice, &decisions, &submitted(), TODAY);
    request(adapter, &notice, &decisions, &minimised.payload, EVIDENCE).expect("configured")
}

// Golden outputs for the demo notice; `{NOTICE}` stands for the demo notice's hash (the receipts' noticeSha256),
// so that rewording the demo does not touch these. The newsletter is granted, ads are not: the phone's hash
// stays home, the referrer is undeclared.
const JSON_BODY: &str = r#"{"decisions":[{"decision":"not-asked","legalBasis":"contract","purpose":"enquiry"},{"decision":"granted","legalBasis":"consent","purpose":"newsletter"},{"decision":"denied","legalBasis":"consent","purpose":"ads"}],"fields":{"birthDate":"30-39","company":"Analytical Engines & Co","email":"ada@example.com","name":"Ada Lovelace","postcode":"SW1A","topic":"support"},"receipt":"eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln"}"#;
const HUBSPOT: &str = r#"{"context":{"pageName":"Contact us","pageUri":"https://example.com/contact?from=ad"},"fields":[{"name":"firstname","objectTypeId":"0-1","value":"Ada Lovelace"},{"name":"email","objectTypeId":"0-1","value":"ada@example.com"},{"name":"company","objectTypeId":"0-1","value":"Analytical Engines & Co"},{"name":"topic","objectTypeId":"0-1","value":"support"},{"name":"birthDate","objectTypeId":"0-1","value":"30-39"},{"name":"postcode","objectTypeId":"0-1","value":"SW1A"}],"legalConsentOptions":{"consent":{"communications":[{"subscriptionTypeId":12345678,"text":"Monthly newsletter","value":true}],"consentToProcess":true,"text":"Consent receipt 0b0e3c4a-5d6f-4a1b-9c2d-3e4f5a6b7c8d for notice sha256:{NOTICE} (revision 2026-11-22) of Example Widgets Ltd."}}}"#;
const SALESFORCE: &str = "oid=00D000000000001&last_name=Ada+Lovelace&email=ada%40example.com&company=Analytical+Engines+%26+Co&topic=support&birthDate=30-39&postcode=SW1A&00N000000000001=0b0e3c4a-5d6f-4a1b-9c2d-3e4f5a6b7c8d";

#[test]
fn json_adapter_golden() {
    let r = shaped(Adapter::Json, &["newsletter"]);
    assert_eq!((r.content_type, r.body.as_str()), ("application/json", JSON_BODY));
}

#[test]
fn hubspot_adapter_golden() {
    let r = shaped(Adapter::HubSpot, &["newsletter"]);
    let notice = Notice::from_json(DEMO).expect("valid");
    let expected = HUBSPOT.replace("{NOTICE}", &notice_hash(&notice));
    assert_eq!(
        (r.content_type, r.body.as_str()),
        ("application/json", expected.as_str())
    );
}

#[test]
fn salesforce_adapter_golden() {
    let r = shaped(Adapter::Salesforce, &["newsletter"]);
    assert_eq!(
        (r.content_type, r.body.as_str()),
        ("application/x-www-form-urlencoded", SALESFORCE)
    );
}

#[test]
fn a_refused_subscription_is_reported_as_refused_and_its_fields_stay_home() {
    let r = shaped(Adapter::HubSpot, &["ads"]);
    assert!(r
        .body
        .contains(r#"{"subscriptionTypeId":12345678,"text":"Monthly newsletter","value":false}"#));
    assert!(
        !r.body.contains("Analytical"),
        "company only rests on the newsletter"
    );
    let phone_hash = "\"name\":\"phone\",\"objectTypeId\":\"0-1\",\"value\":\"";
    assert!(r.body.contains(phone_hash), "ads granted: the phone's hash goes");
    assert!(!r.body.contains("7946"), "never the number itself");
}

#[test]
fn salesforce_needs_its_settings() {
    let salesforce = r#",
    "salesforce": {
      "oid": "00D000000000001",
      "fields": { "name": "last_name" },
      "receiptField": "00N000000000001"
    }"#;
    assert!(DEMO.contains(salesforce));
    let notice = Notice::from_json(&DEMO.replace(salesforce, "")).expect("valid without salesforce");
    let decisions = Decisions::initial(&notice);
    let minimised = minimise(&notice, &decisions, &submitted(), TODAY);
    assert_eq!(
        request(
            Adapter::Salesforce,
            &notice,
            &decisions,
            &minimised.payload,
            EVIDENCE
        ),
        Err(AdapterProblem::SalesforceNotConfigured)
    );
}
