//! The form model: what a person sees, derived from the notice, the language and how the form starts.

use consent_capture::form::{Action, ControlKind, Form};
use consent_capture::jose::base64url;
use consent_capture::minimise::Manifest;
use consent_capture::notice::vocabulary::Decision;
use consent_capture::receipt::last::LastReceipt;
use consent_capture::receipt::last::Start;
use consent_capture::{Decisions, Notice, Receipt, ReceiptContext};

const DEMO: &str = include_str!("../www/demo/notice.json");

fn demo() -> Notice {
    Notice::from_json(DEMO).expect("valid")
}

fn fresh(notice: &Notice) -> Start {
    Decisions::start(notice, None, false)
}

#[test]
fn consent_purposes_are_unticked_choices_and_the_others_are_information_with_their_basis() {
    let notice = demo();
    let form = Form::build(&notice, "en", &fresh(&notice), false);
    let [enquiry, newsletter, ads] = &form.purposes[..] else {
        panic!("three purposes")
    };
    assert!(enquiry.choice.is_none());
    assert_eq!(enquiry.basis.as_deref(), Some("Legal basis: a contract with you"));
    assert_eq!(enquiry.kept_until, "Kept until: 12 months after our last reply");
    assert!(newsletter
        .choice
        .as_ref()
        .is_some_and(|c| !c.checked && c.gpc_note.is_none()));
    assert_eq!(
        newsletter.shared_with.as_deref(),
        Some("Shared with: Example Mail Delivery GmbH")
    );
    assert!(ads.choice.as_ref().is_some_and(|c| !c.checked));
    assert_eq!(form.notice_changed, None);
}

#[test]
fn accept_and_reject_stand_side_by_side_with_saving_individual_choices() {
    let notice = demo();
    let form = Form::build(&notice, "en", &fresh(&notice), false);
    assert_eq!(
        form.actions,
        [
            (Action::AcceptAll, "Accept all"),
            (Action::RejectAll, "Reject all"),
            (Action::Save, "Send with my choices")
        ]
    );
}

#[test]
fn every_language_of_the_demo_is_complete_and_arabic_is_right_to_left() {
    let notice = demo();
    for (language, accept, rtl) in [
        ("en", "Accept all", false),
        ("de", "Alle akzeptieren", false),
        ("ar", "قبول الكل", true),
    ] {
        let form = Form::build(&notice, language, &fresh(&notice), false);
        assert_eq!(form.actions[0].1, accept);
        assert_eq!(form.right_to_left, rtl);
        assert!(form.fields.iter().all(|f| !f.label.is_empty()));
        assert!(form
            .purposes
            .iter()
            .all(|p| !p.name.is_empty() && !p.description.is_empty()));
    }
    let german = Form::build(&notice, "de", &fresh(&notice), false);
    assert_eq!(
        german.purposes[0].basis.as_deref(),
        Some("Rechtsgrundlage: ein Vertrag mit Ihnen")
    );
}

#[test]
fn fields_get_labels_ids_messages_and_the_right_controls() {
    let notice = demo();
    let form = Form::build(&notice, "en", &fresh(&notice), false);
    let email = &form.fields[1];
    assert_eq!(
        (email.id.as_str(), email.error_id.as_str()),
        ("cc-field-1", "cc-field-1-error")
    );
    assert_eq!(
        email.control,
        ControlKind::Input {
            input_type: "email",
            autocomplete: "email"
        }
    );
    assert_eq!(email.required, Some("required"));
    assert_eq!(form.fields[2].required, None);
    assert_eq!(
        (email.max_length, form.fields[2].max_length),
        (None, Some(100)),
        "the company's input takes no more than the notice's maxLength"
    );
    assert_eq!(
        form.fields[3].control,
        ControlKind::Select {
            placeholder: "Choose…",
            options: vec![("sales", "Buying widgets"), ("support", "Help with an order")]
        }
    );
}

#[test]
fn stored_choices_come_back_under_the_same_revision() {
    let notice = demo();
    let stored = last("2026-11-22", &["newsletter", "ads"]);
    let start = Decisions::start(&notice, Some(&stored), false);
    let form = Form::build(&notice, "en", &start, false);
    assert!(form.purposes[1].choice.as_ref().is_some_and(|c| c.checked));
    assert!(form.purposes[2].choice.as_ref().is_some_and(|c| c.checked));
}

#[test]
fn a_changed_notice_asks_again_and_says_why() {
    let notice = demo();
    let stored = last("2025-01-01", &["newsletter"]);
    let start = Decisions::start(&notice, Some(&stored), false);
    assert!(start.reconsent);
    let form = Form::build(&notice, "en", &start, false);
    assert!(form.purposes[1].choice.as_ref().is_some_and(|c| !c.checked));
    assert_eq!(
        form.notice_changed,
        Some("Our notice has changed since you last chose. Please choose again.")
    );
}

#[test]
fn global_privacy_control_holds_gpc_purposes_off_and_says_why() {
    let notice = demo();
    let stored = last("2026-11-22", &["newsletter", "ads"]);
    let start = Decisions::start(&notice, Some(&stored), true);
    let form = Form::build(&notice, "en", &start, true);
    let ads = form.purposes[2]
        .choice
        .as_ref()
        .expect("ads is a consent purpose");
    assert!(!ads.checked, "GPC turns a stored grant of a gpc purpose off");
    assert!(ads
        .gpc_note
        .is_some_and(|note| note.contains("Global Privacy Control")));
    let newsletter = form.purposes[1].choice.as_ref().expect("consent purpose");
    assert!(
        newsletter.checked && newsletter.gpc_note.is_none(),
        "GPC leaves other purposes alone"
    );
}

#[test]
fn the_last_receipt_is_read_back_withdrawals_included_and_unreadable_ones_are_ignored() {
    let notice = demo();
    let mut decisions = Decisions::initial(&notice);
    decisions.set("ads", true).expect("consent purpose");
    decisions.set("newsletter", true).expect("consent purpose");
    decisions
        .withdraw("newsletter")
        .expect("granted, so it can be withdrawn");
    assert!(decisions.withdraw("newsletter").is_err(), "withdrawn once");
    let context = ReceiptContext {
        issued_at: 1_795_000_000,
        receipt_id: "id-1",
        principal_id: "jwk-thumbprint:abc",
        language: "en",
        gpc: false,
        notice_signature: None,
        previous_receipt: Some("cHJldmlvdXM"),
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    let receipt = Receipt::build(&notice, &decisions, &Manifest::default(), context);
    let jws = format!(
        "eyJhbGciOiJFZERTQSJ9.{}.c2ln",
        base64url::encode(receipt.to_canonical_string().as_bytes())
    );
    let read = LastReceipt::from_jws(&jws).expect("readable");
    assert_eq!(
        read,
        LastReceipt {
            revision: "2026-11-22".into(),
            receipt_id: "id-1".into(),
            issued_at: 1_795_000_000,
            principal: "jwk-thumbprint:abc".into(),
            decisions: vec![
                ("enquiry".into(), Decision::NotAsked),
                ("newsletter".into(), Decision::Withdrawn),
                ("ads".into(), Decision::Granted),
            ],
        }
    );
    assert_eq!(
        Decisions::recorded(&notice, &read).get("newsletter"),
        Decision::Withdrawn
    );
    let next = Decisions::granted_in(&notice, &read);
    assert_eq!(
        next.get("newsletter"),
        Decision::Denied,
        "a withdrawal holds as a refusal"
    );
    assert_eq!(next.get("ads"), Decision::Granted);
    let payload = jws.split('.').nth(1).unwrap_or_default();
    for broken in [
        "",
        "a.b",
        "a.!!.c",
        "a.e30.c",
        &jws.replace(payload, &base64url::encode(b"[1]")),
        &jws.replace(
            payload,
            &base64url::encode(br#"{"consentCapture":{"decisions":[{"purpose":"ads","decision":"maybe"}]}}"#),
        ),
    ] {
        assert_eq!(LastReceipt::from_jws(broken), None, "{broken}");
    }
}

/// The last receipt of a person who granted `granted` under `revision`.
fn last(revision: &str, granted: &[&str]) -> LastReceipt {
    LastReceipt {
        revision: revision.into(),
        receipt_id: "id".into(),
        issued_at: 1_795_000_000,
        principal: "jwk-thumbprint:abc".into(),
        decisions: granted
            .iter()
            .map(|id| ((*id).to_owned(), Decision::Granted))
            .collect(),
    }
}

#[test]
fn a_field_sent_as_typed_to_ad_platforms_says_so_after_its_label() {
    let text = DEMO.replacen(
        r#""maxLength": 100"#,
        r#""maxLength": 100, "sentAsTypedTo": ["linkedin", "google", "linkedin"]"#,
        1,
    );
    let notice = Notice::from_json(&text).expect("valid");
    let english = Form::build(&notice, "en", &fresh(&notice), false);
    assert_eq!(
        english.fields[2].sent_as_typed.as_deref(),
        Some("Shared with Google, LinkedIn")
    );
    assert_eq!(
        english.fields[1].sent_as_typed, None,
        "only the fields that declare it"
    );
    let german = Form::build(&notice, "de", &fresh(&notice), false);
    assert_eq!(
        german.fields[2].sent_as_typed.as_deref(),
        Some("Weitergegeben an Google, LinkedIn")
    );
}
