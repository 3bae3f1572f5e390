//! Receipts are Kantara Consent Receipt v1.1 JSON, carry every decision and the manifest, and no personal value.

mod support;

use consent_capture::json::{parse, Value};
use consent_capture::{minimise, uuid_v4, Decisions, Notice, Receipt, ReceiptContext};
use support::schema::violations;

const TODAY: consent_capture::minimise::date::Date = consent_capture::minimise::date::Date {
    year: 2026,
    month: 11,
    day: 22,
};

const DEMO: &str = include_str!("../www/demo/notice.json");
const SCHEMA: &str = "../shared/vectors/kantara/kantara-consent-receipt-v1_1-schema.stripped.json";

fn kantara_schema() -> Value {
    parse(&std::fs::read_to_string(SCHEMA).expect("the Kantara schema sits beside the repo"))
        .expect("schema parses")
}

fn demo_receipt(grant_newsletter: bool) -> Receipt {
    let notice = Notice::from_json(DEMO).expect("valid");
    let mut decisions = Decisions::initial(&notice);
    decisions
        .set("newsletter", grant_newsletter)
        .expect("consent purpose");
    let typed = [
        ("name", "Ada Lovelace"),
        ("email", "ada@example.com"),
        ("company", "Engines Ltd"),
    ];
    let submitted: Vec<_> = typed
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let minimised = minimise(&notice, &decisions, &submitted, TODAY);
    let id = uuid_v4([42; 16]);
    let context = ReceiptContext {
        issued_at: 1_795_000_000,
        receipt_id: &id,
        principal_id: "urn:uuid:p",
        language: "en",
        gpc: false,
        notice_signature: None,
        previous_receipt: None,
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    Receipt::build(&notice, &decisions, &minimised.manifest, context)
}

#[test]
fn the_schema_checker_catches_a_broken_receipt() {
    let mut broken = parse(
        &std::fs::read_to_string("../shared/vectors/kantara/kantara-consent-receipt-v1_1-example.json")
            .expect("example"),
    )
    .expect("parses");
    assert!(
        violations(&kantara_schema(), &broken, "").is_empty(),
        "Kantara's own example passes"
    );
    if let Value::Object(o) = &mut broken {
        o.insert("consentTimestamp", "yesterday");
    }
    assert_eq!(
        violations(&kantara_schema(), &broken, ""),
        [".consentTimestamp: expected integer, found string"]
    );
}

#[test]
fn receipts_validate_against_the_kantara_v1_1_schema() {
    for granted in [false, true] {
        let receipt = demo_receipt(granted);
        assert_eq!(
            violations(&kantara_schema(), receipt.as_json(), ""),
            Vec::<String>::new()
        );
    }
}

#[test]
fn receipts_record_every_decision_and_what_was_dropped() {
    let text = demo_receipt(false).to_canonical_string();
    assert!(
        text.contains(r#""consentTimestamp":1795000000"#),
        "seconds, not milliseconds"
    );
    assert!(text.contains(r#"{"decision":"not-asked","legalBasis":"contract","purpose":"enquiry"}"#));
    assert!(text.contains(r#"{"decision":"denied","legalBasis":"consent","purpose":"newsletter"}"#));
    assert!(text.contains(r#"{"field":"company","outcome":"dropped","reason":"no-purpose-granted"}"#));
    assert!(text.contains(r#""noticeRevision":"2026-11-22""#));
    let granted = demo_receipt(true).to_canonical_string();
    assert!(granted.contains(r#"{"decision":"granted","legalBasis":"consent","purpose":"newsletter"}"#));
}

#[test]
fn receipts_carry_no_personal_value() {
    for granted in [false, true] {
        let text = demo_receipt(granted).to_canonical_string();
        for value in ["Ada Lovelace", "ada@example.com", "Engines Ltd"] {
            assert!(!text.contains(value), "{value} must not appear in a receipt");
        }
    }
}

#[test]
fn the_canonical_text_parses_back_to_the_same_receipt() {
    let receipt = demo_receipt(true);
    assert_eq!(
        &parse(&receipt.to_canonical_string()).expect("canonical text is JSON"),
        receipt.as_json()
    );
}

#[test]
fn the_person_reads_what_they_agreed_to_with_whom_until_when_and_how_to_withdraw() {
    use consent_capture::receipt::view::ReceiptView;
    let notice = Notice::from_json(DEMO).expect("valid");
    let mut decisions = Decisions::initial(&notice);
    decisions.set("newsletter", true).expect("consent purpose");
    let view = ReceiptView::build(&notice, &decisions, "en", "r-1", 1_795_000_000);
    assert_eq!(view.heading, "Your consent receipt");
    let group = |label: &str, items: &[&str]| {
        (
            label.to_owned(),
            items.iter().map(|i| (*i).to_owned()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        view.groups,
        [
            group(
                "You agreed to",
                &["Monthly newsletter (Kept until: Until you unsubscribe)"]
            ),
            group("You refused", &["Personalised advertising"]),
            group(
                "Without consent, on another legal basis",
                &["Answer your enquiry (a contract with you)"]
            ),
        ]
    );
    assert_eq!(
        view.controller,
        "Responsible for your data: Example Widgets Ltd, privacy@example.com"
    );
    assert_eq!(
        view.issued, "Receipt \u{2066}r-1\u{2069}, issued \u{E000}",
        "the id is isolated left to right; the element isolates the date it writes"
    );
    assert_eq!(
        view.issued_at, 1_795_000_000,
        "the element writes the date in the view's language"
    );
    assert!(view.how_to_withdraw.ends_with("privacy@example.com"));
    assert_eq!(
        view.withdraw,
        [("newsletter", "Withdraw: Monthly newsletter".to_owned())]
    );
    assert_eq!(view.download.1, "consent-receipt-r-1.jws");
    let german = ReceiptView::build(&notice, &decisions, "de", "r-1", 1_795_000_000);
    assert_eq!(german.withdraw[0].1, "Widerrufen: Monatlicher Newsletter");

    decisions.withdraw("newsletter").expect("granted");
    let withdrawn = ReceiptView::build(&notice, &decisions, "en", "r-2", 1_795_000_060);
    assert_eq!(
        withdrawn.groups[0],
        group("Withdrawn on \u{E000}", &["Monthly newsletter"]),
        "a withdrawal says so, with its date and no retention"
    );
    assert!(withdrawn.withdraw.is_empty(), "nothing left to withdraw");
}
