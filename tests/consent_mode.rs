//! Google Consent Mode v2 follows the decisions: a type is granted only when every purpose behind it is.

use consent_capture::form::consent_mode::consent_mode_update;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::{Decisions, Notice};

const DEMO: &str = include_str!("../www/demo/notice.json");

#[test]
fn types_follow_the_decision_of_their_purpose() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let mut decisions = Decisions::initial(&notice);
    assert_eq!(
        to_canonical_string(&consent_mode_update(&notice, &decisions).into()),
        r#"{"ad_personalization":"denied","ad_storage":"denied","ad_user_data":"denied"}"#
    );
    decisions.set("ads", true).expect("consent purpose");
    assert_eq!(
        to_canonical_string(&consent_mode_update(&notice, &decisions).into()),
        r#"{"ad_personalization":"granted","ad_storage":"granted","ad_user_data":"granted"}"#
    );
}

#[test]
fn one_refusal_among_the_purposes_behind_a_type_denies_it() {
    let text = DEMO.replacen(
        r#""thirdParties": ["Example Mail Delivery GmbH"]"#,
        r#""thirdParties": ["Example Mail Delivery GmbH"], "consentMode": ["ad_storage"]"#,
        1,
    );
    let notice = Notice::from_json(&text).expect("valid");
    let mut decisions = Decisions::initial(&notice);
    decisions.set("ads", true).expect("consent purpose");
    let update = consent_mode_update(&notice, &decisions);
    assert_eq!(
        update.get("ad_storage").and_then(|v| v.as_str()),
        Some("denied"),
        "newsletter refused"
    );
    assert_eq!(
        update.get("ad_user_data").and_then(|v| v.as_str()),
        Some("granted")
    );
    decisions.set("newsletter", true).expect("consent purpose");
    assert_eq!(
        consent_mode_update(&notice, &decisions)
            .get("ad_storage")
            .and_then(|v| v.as_str()),
        Some("granted")
    );
}
