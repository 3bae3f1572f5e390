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
            check(&field_of_type(field_type, *required), value),
            *expected,
            "{field_type} {value:?}"
        );
    }
}

#[test]
fn a_select_accepts_only_its_own_options() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let topic = notice.field("topic").expect("topic");
    assert_eq!(check(topic, "support"), None);
    assert_eq!(check(topic, "other"), Some(Ui::ErrorOption));
    assert_eq!(check(topic, ""), Some(Ui::ErrorRequired));
}
