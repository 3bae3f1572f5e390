//! Notice validation: a notice exists only valid, and every problem is reported at once with its path.

use consent_capture::notice::FieldType;
use consent_capture::{LegalBasis, Notice};

const DEMO: &str = include_str!("../www/demo/notice.json");

/// The demo notice with one piece of text replaced (the piece must be there).
fn demo_with(from: &str, to: &str) -> String {
    assert!(DEMO.contains(from), "the demo notice contains {from:?}");
    DEMO.replacen(from, to, 1)
}

fn problems(text: &str) -> Vec<String> {
    match Notice::from_json(text) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.as_slice().iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn the_demo_notice_is_valid() {
    let notice = Notice::from_json(DEMO).expect("valid");
    assert_eq!(notice.languages, ["en"]);
    assert_eq!(notice.purposes.len(), 2);
    assert_eq!(notice.purposes[1].legal_basis, LegalBasis::Consent);
    assert_eq!(notice.fields[1].field_type, FieldType::Email);
    assert_eq!(notice.fields[1].purposes, ["enquiry", "newsletter"]);
}

#[test]
fn each_broken_notice_is_reported_at_its_path() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "\"id\": \"newsletter\"",
            "\"id\": \"enquiry\"",
            "purposes[1].id: is used twice (enquiry)",
        ),
        (
            "\"purposes\": [\"newsletter\"]",
            "\"purposes\": [\"ads\"]",
            "fields[2].purposes[0]: names no declared purpose (ads)",
        ),
        (
            "\"purposes\": [\"newsletter\"]",
            "\"purposes\": []",
            "fields[2].purposes: must not be empty (a field needs a purpose)",
        ),
        (
            "\"legalBasis\": \"consent\"",
            "\"legalBasis\": \"because\"",
            "purposes[1].legalBasis: is not one of the allowed values (because)",
        ),
        (
            "\"policyUrl\": \"https://example.com/privacy\"",
            "\"policyUrl\": \"javascript:alert(1)\"",
            "policyUrl: must be an absolute http:// or https:// URL",
        ),
        (
            "\"url\": \"https://example.com\"",
            "\"url\": \"//example.com\"",
            "controller.url: must be an absolute http:// or https:// URL",
        ),
        (
            "\"revision\": \"2026-11-22\"",
            "\"revison\": \"2026-11-22\"",
            "revision: is required",
        ),
        (
            "\"type\": \"text\", \"label\": { \"en\": \"Company\" }",
            "\"type\": \"text\", \"lable\": { \"en\": \"Company\" }",
            "fields[2].label: is required",
        ),
        (
            "\"label\": { \"en\": \"Company\" }",
            "\"label\": { \"en\": \"Company\", \"fr\": \"Société\" }",
            "fields[2].label.fr: is not a known key",
        ),
        (
            "\"languages\": [\"en\"]",
            "\"languages\": [\"en\", \"de\"]",
            "purposes[0].name: has no text for a declared language (de)",
        ),
        (
            "\"languages\": [\"en\"]",
            "\"languages\": [\"en\", \"en\"]",
            "languages[1]: is used twice (en)",
        ),
        (
            "\"languages\": [\"en\"]",
            "\"languages\": [\"<script>\"]",
            "languages[0]: is not one of the allowed values (not a BCP 47 tag)",
        ),
        (
            "\"type\": \"email\"",
            "\"type\": \"password\"",
            "fields[1].type: is not one of the allowed values (password)",
        ),
        (
            "\"required\": true, \"purposes\": [\"enquiry\"]",
            "\"required\": \"yes\", \"purposes\": [\"enquiry\"]",
            "fields[0].required: has the wrong type (expected true or false, found string)",
        ),
        (
            "\"label\": { \"en\": \"Company\" }, \"purposes\"",
            "\"label\": { \"en\": \"Company\" }, \"required\": true, \"purposes\"",
            "fields[2].required: rests on consent, so it can be neither required nor pre-ticked",
        ),
        (
            "\"termination\": \"Until you unsubscribe\"",
            "\"termination\": \"\"",
            "purposes[1].termination: must not be empty",
        ),
        (
            "\"name\": \"Example Widgets Ltd\"",
            "\"name\": 7",
            "controller.name: has the wrong type (expected a string, found number)",
        ),
        (
            "\"addressCountry\": \"GB\"",
            "\"country\": \"GB\"",
            "controller.address.country: is not a known key",
        ),
        (
            "\"fields\": [",
            "\"fields\": 3, \"x\": [",
            "fields: has the wrong type (expected an array, found number)",
        ),
    ];
    for (from, to, expected) in cases {
        let found = problems(&demo_with(from, to));
        assert!(
            found.iter().any(|p| p == expected),
            "expected {expected:?} among {found:#?}"
        );
    }
}

#[test]
fn all_problems_are_reported_in_one_pass() {
    let broken = demo_with("\"revision\": \"2026-11-22\",", "")
        .replace("\"legalBasis\": \"contract\"", "\"legalBasis\": \"x\"");
    let broken = broken.replace("\"type\": \"email\"", "\"type\": \"e-mail\"");
    assert_eq!(
        problems(&broken),
        [
            "revision: is required",
            "purposes[0].legalBasis: is not one of the allowed values (x)",
            "fields[1].type: is not one of the allowed values (e-mail)",
        ]
    );
}

#[test]
fn malformed_json_says_where() {
    assert_eq!(
        problems("{\"revision\": }"),
        ["line 1, column 14: is not valid JSON here"]
    );
    assert_eq!(
        problems("[]"),
        ["(document): has the wrong type (expected an object, found array)"]
    );
}

#[test]
fn language_choice_falls_back_from_region_to_primary_to_default() {
    let notice = Notice::from_json(DEMO).expect("valid");
    assert_eq!(notice.pick_language(&["en-GB"]), "en");
    assert_eq!(notice.pick_language(&["fr", "EN"]), "en");
    assert_eq!(notice.pick_language(&["fr"]), "en");
    assert_eq!(notice.pick_language(&[]), "en");
}
