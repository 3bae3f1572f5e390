//! The form model: what a person sees, derived from the notice, the language and how the form starts.

use consent_capture::consent::{Start, Stored};
use consent_capture::form::{Action, ControlKind, Form};
use consent_capture::{Decisions, Notice};

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
    let stored = Stored {
        revision: "2026-11-22".into(),
        granted: vec!["newsletter".into(), "ads".into()],
    };
    let start = Decisions::start(&notice, Some(&stored), false);
    let form = Form::build(&notice, "en", &start, false);
    assert!(form.purposes[1].choice.as_ref().is_some_and(|c| c.checked));
    assert!(form.purposes[2].choice.as_ref().is_some_and(|c| c.checked));
}

#[test]
fn a_changed_notice_asks_again_and_says_why() {
    let notice = demo();
    let stored = Stored {
        revision: "2025-01-01".into(),
        granted: vec!["newsletter".into()],
    };
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
    let stored = Stored {
        revision: "2026-11-22".into(),
        granted: vec!["newsletter".into(), "ads".into()],
    };
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
fn stored_choices_are_read_and_malformed_ones_are_ignored() {
    let stored = Stored {
        revision: "2026-11-22".into(),
        granted: vec!["ads".into()],
    };
    let text = r#"{"granted":["ads"],"revision":"2026-11-22"}"#;
    assert_eq!(Stored::from_json(text), Some(stored));
    for broken in [
        "",
        "{",
        "[]",
        r#"{"revision":1,"granted":[]}"#,
        r#"{"revision":"1","granted":[1]}"#,
    ] {
        assert_eq!(Stored::from_json(broken), None, "{broken}");
    }
}
