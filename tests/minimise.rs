//! Only fields that a granted purpose (or another legal basis) justifies leave; the manifest says why not.

use consent_capture::{minimise, Decisions, DropReason, Notice, Outcome};

const TODAY: consent_capture::minimise::date::Date = consent_capture::minimise::date::Date {
    year: 2026,
    month: 11,
    day: 22,
};

const DEMO: &str = include_str!("../www/demo/notice.json");

fn submitted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const FILLED: &[(&str, &str)] = &[
    ("name", "Ada Lovelace"),
    ("email", "ada@example.com"),
    ("company", "Engines Ltd"),
];

#[test]
fn a_refused_purpose_removes_the_fields_only_it_justifies() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let decisions = Decisions::initial(&notice);
    let out = minimise(&notice, &decisions, &submitted(FILLED), TODAY);
    assert_eq!(
        out.payload.get("name").and_then(|v| v.as_str()),
        Some("Ada Lovelace")
    );
    assert_eq!(
        out.payload.get("email").and_then(|v| v.as_str()),
        Some("ada@example.com")
    );
    assert_eq!(out.payload.get("company"), None);
    assert_eq!(
        out.manifest.outcome("company"),
        Some(Outcome::Dropped(DropReason::NoPurposeGranted))
    );
}

#[test]
fn a_granted_purpose_lets_its_fields_through() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let mut decisions = Decisions::initial(&notice);
    decisions.set("newsletter", true).expect("a consent purpose");
    let out = minimise(&notice, &decisions, &submitted(FILLED), TODAY);
    assert_eq!(
        out.payload.get("company").and_then(|v| v.as_str()),
        Some("Engines Ltd")
    );
    assert_eq!(out.manifest.outcome("company"), Some(Outcome::Kept));
}

#[test]
fn undeclared_and_empty_fields_never_leave() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let decisions = Decisions::initial(&notice);
    let out = minimise(
        &notice,
        &decisions,
        &submitted(&[("name", ""), ("email", "a@b.c"), ("ssn", "123-45-6789")]),
        TODAY,
    );
    assert_eq!(out.payload.len(), 1);
    assert_eq!(
        out.manifest.outcome("name"),
        Some(Outcome::Dropped(DropReason::Empty))
    );
    assert_eq!(
        out.manifest.outcome("ssn"),
        Some(Outcome::Dropped(DropReason::Undeclared))
    );
    let manifest = consent_capture::json::canonical::to_canonical_string(&out.manifest.to_json());
    assert!(
        !manifest.contains("123-45-6789"),
        "the manifest carries names, never values"
    );
}

#[test]
fn decisions_only_accept_declared_consent_purposes() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let mut decisions = Decisions::initial(&notice);
    assert!(
        decisions.set("enquiry", false).is_err(),
        "contract purposes take no consent decision"
    );
    assert!(decisions.set("partners", true).is_err());
}
