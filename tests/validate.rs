//! Field values are checked before anything is sent, with a message for each kind of mistake.

use consent_capture::form::validate::check;
use consent_capture::notice::texts::Ui;
use consent_capture::Notice;

const DEMO: &str = include_str!("../www/demo/notice.json");

fn field_of_type(field_type: &str, required: bool) -> consent_capture::notice::Field {
    let text = DEMO.replacen(
        r#""name": "company", "type": "text""#,
        &format!(r#""name": "company", "type": "{field_type}""#),
        1,
    );
    let text = if required {
        text.replacen(
            r#""purposes": ["newsletter"]"#,
            r#""purposes": ["enquiry"], "required": true"#,
            1,
        )
    } else {
        text
    };
    Notice::from_json(&text)
        .expect("valid")
        .field("company")
        .expect("company")
        .clone()
}

#[test]
fn a_table_of_values_and_verdicts() {
    let cases: &[(&str, bool, &str, Option<Ui>)] = &[
        ("text", true, "", Some(Ui::ErrorRequired)),
        ("text", true, "   ", Some(Ui::ErrorRequired)),
        ("text", false, "", None),
        ("text", true, "<script>alert(1)</script>", None),
        ("email", false, "ada@example.com", None),
        ("email", false, "ada.lovelace+news@mail.example.co.uk", None),
        ("email", false, "ada@example", Some(Ui::ErrorEmail)),
        ("email", false, "ada example.com", Some(Ui::ErrorEmail)),
        ("email", false, "ada@@example.com", Some(Ui::ErrorEmail)),
        ("email", false, "a da@example.com", Some(Ui::ErrorEmail)),
        ("email", false, "ada@-example.com", Some(Ui::ErrorEmail)),
        ("tel", false, "+44 20 7946 0000", None),
        ("tel", false, "(030) 123-456", None),
        ("tel", false, "123", Some(Ui::ErrorTel)),
        ("tel", false, "call me", Some(Ui::ErrorTel)),
        ("tel", false, "+1234567890123456", Some(Ui::ErrorTel)),
        ("date", false, "2024-02-29", None),
        ("date", false, "2023-02-29", Some(Ui::ErrorDate)),
        ("date", false, "1900-02-29", Some(Ui::ErrorDate)),
        ("date", false, "2024-13-01", Some(Ui::ErrorDate)),
        ("date", false, "24-01-01", Some(Ui::ErrorDate)),
        ("postcode", false, "SW1A 1AA", None),
        ("postcode", false, "10115", None),
        ("postcode", false, "<b>", Some(Ui::ErrorPostcode)),
        ("postcode", false, "12345678901", Some(Ui::ErrorPostcode)),
    ];
    for (field_type, required, value, expected) in cases {
        assert_eq!(
            check(&field_of_type(field_type, *required), value, ""),
            *expected,
            "{field_type} {value:?}"
        );
    }
}

#[test]
fn a_select_accepts_only_its_own_options() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let topic = notice.field("topic").expect("topic");
    assert_eq!(check(topic, "support", ""), None);
    assert_eq!(check(topic, "other", ""), Some(Ui::ErrorOption));
    assert_eq!(check(topic, "", ""), Some(Ui::ErrorRequired));
}

/// The demo notice with its phone hashed as Meta matches it, no country of its own, and a `country` select of
/// ISO codes that `phoneCountryField` names.
fn with_country_field() -> Notice {
    let text = DEMO
        .replacen(r#""jurisdiction": "GB""#, r#""jurisdiction": "EU", "phoneCountryField": "country""#, 1)
        .replacen(r#""transform": "sha256:phone""#, r#""transform": "sha256:phone:meta""#, 1)
        .replacen(
            r#""name": "phone","#,
            r#""name": "country", "type": "select", "purposes": ["ads"], "label": {"en": "Country", "de": "Land", "ar": "البلد"},
      "options": [{"value": "GB", "label": {"en": "United Kingdom", "de": "Vereinigtes Königreich", "ar": "المملكة المتحدة"}},
                  {"value": "DE", "label": {"en": "Germany", "de": "Deutschland", "ar": "ألمانيا"}}]},
    {
      "name": "phone","#,
            1,
        );
    Notice::from_json(&text).unwrap_or_else(|e| panic!("{}", e.text()))
}

#[test]
fn a_hashed_phone_number_without_a_country_asks_for_its_country_code_and_is_never_guessed() {
    let notice = with_country_field();
    let phone = notice.field("phone").expect("phone");
    let values = |country: &str| vec![("country".to_owned(), country.to_owned())];
    let national = "020 7946 0958";
    // No country chosen and none of the notice's own (EU is not a country): the person is asked.
    assert_eq!(notice.calling_code_for(&values("")), "");
    assert_eq!(
        check(phone, national, notice.calling_code_for(&values(""))),
        Some(Ui::ErrorTelCountry)
    );
    assert_eq!(
        check(phone, "+44 20 7946 0958", ""),
        None,
        "a number with its own country"
    );
    assert_eq!(check(phone, "0044 (0)20 7946 0958", ""), None);
    // The country the form gives completes it.
    assert_eq!(notice.calling_code_for(&values("GB")), "44");
    assert_eq!(
        check(phone, national, notice.calling_code_for(&values("GB"))),
        None
    );
    let decisions = {
        let mut d = consent_capture::Decisions::initial(&notice);
        d.set("ads", true).expect("a consent purpose");
        d
    };
    let today = consent_capture::minimise::date::Date {
        year: 2026,
        month: 12,
        day: 2,
    };
    let submitted = |country: &str| {
        vec![
            ("phone".to_owned(), national.to_owned()),
            ("country".to_owned(), country.to_owned()),
        ]
    };
    let sent = consent_capture::minimise(&notice, &decisions, &submitted("DE"), today).payload;
    let german = consent_capture::minimise::matching::hash(
        consent_capture::notice::platforms::Platform::Meta,
        "492079460958",
    );
    assert_eq!(
        sent.get("phone").and_then(|v| v.as_str()),
        Some(german.as_str()),
        "+49, national 0 dropped"
    );
    let unknown = consent_capture::minimise(&notice, &decisions, &submitted("XX"), today).payload;
    assert_eq!(unknown.get("phone"), None, "no country: not sent at all");
    // A notice that hashes a phone with no way to a country is refused when read.
    let without = DEMO.replacen(r#""jurisdiction": "GB""#, r#""jurisdiction": "EU""#, 1);
    let problem = Notice::from_json(&without)
        .err()
        .map(|e| e.text())
        .unwrap_or_default();
    assert!(problem.contains("phoneCountry"), "{problem}");
    let misnamed = DEMO.replacen(
        r#""jurisdiction": "GB""#,
        r#""jurisdiction": "GB", "phoneCountryField": "land""#,
        1,
    );
    let problem = Notice::from_json(&misnamed)
        .err()
        .map(|e| e.text())
        .unwrap_or_default();
    assert!(problem.contains("phoneCountryField"), "{problem}");
}
