//! Transforms as notices declare them: each rule's output, the normalisations ad and CRM platforms publish
//! for hashed matching, and values a transform cannot read (never sent as typed).

use consent_capture::minimise::date::Date;
use consent_capture::minimise::transform::Context;
use consent_capture::notice::rules::Transform;
use consent_capture::notice::FieldType;
use sha2::{Digest, Sha256};

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 22,
};

fn apply(rule: &str, field_type: FieldType, value: &str) -> Option<String> {
    let transform = Transform::parse(rule, field_type).expect("a valid rule");
    transform.apply(
        value,
        Context {
            today: TODAY,
            calling_code: "44",
        },
    )
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Google's enhanced conversions (Google Ads API, Campaign Manager 360): trim, lowercase, drop the dots of a
/// gmail.com/googlemail.com local part, phone numbers in E.164 with `+`; SHA-256 as lowercase hex. Each
/// case: what a person types, the normalised text the documentation shows, hashed with an independent SHA-256.
#[test]
fn hashes_follow_the_published_enhanced_matching_normalisation() {
    let cases = [
        (
            "sha256:email",
            FieldType::Email,
            " Jane.Doe@gmail.com ",
            "janedoe@gmail.com",
        ),
        (
            "sha256:email",
            FieldType::Email,
            "J.Smith@GoogleMail.com",
            "jsmith@googlemail.com",
        ),
        (
            "sha256:email",
            FieldType::Email,
            "John.Smith@Example.com",
            "john.smith@example.com",
        ),
        (
            "sha256:phone",
            FieldType::Tel,
            "+1 (800) 555-0100",
            "+18005550100",
        ),
        (
            "sha256:phone",
            FieldType::Tel,
            "+44 20 7946 0000",
            "+442079460000",
        ),
        ("sha256:phone", FieldType::Tel, "020 7946 0000", "+442079460000"),
        ("sha256:name", FieldType::Text, "  Ada ", "ada"),
        ("sha256:name", FieldType::Text, "ÉLODIE", "élodie"),
        ("sha256:plain", FieldType::Hidden, " As Typed ", " As Typed "),
    ];
    for (rule, field_type, typed, normalised) in cases {
        assert_eq!(
            apply(rule, field_type, typed),
            Some(sha256_hex(normalised)),
            "{rule} of {typed:?}"
        );
    }
    // The SHA-256 of the empty string, as a reference point for the hex form.
    assert_eq!(
        sha256_hex(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn each_rule_gives_what_it_says() {
    let cases = [
        ("keep", FieldType::Text, "Ada Lovelace", Some("Ada Lovelace")),
        ("truncate:3", FieldType::Text, "Lovelace", Some("Lov")),
        ("truncate:3", FieldType::Text, "Åsa-Lena", Some("Åsa")),
        ("truncate:40", FieldType::Text, "short", Some("short")),
        ("year", FieldType::Date, "1990-06-15", Some("1990")),
        ("year", FieldType::Date, "0907-12-10", Some("907")),
        ("age-band", FieldType::Date, "1990-06-15", Some("30-39")),
        ("age-band", FieldType::Date, "1996-11-22", Some("30-39")),
        ("age-band", FieldType::Date, "1996-11-23", Some("20-29")),
        ("age-band", FieldType::Date, "2026-11-22", Some("0-9")),
        ("postcode-prefix:3", FieldType::Postcode, "sw1a 1aa", Some("SW1")),
        ("postcode-prefix:2", FieldType::Postcode, "10115", Some("10")),
        ("postcode-outward", FieldType::Postcode, "SW1A 1AA", Some("SW1A")),
        ("postcode-outward", FieldType::Postcode, "m1 1ae", Some("M1")),
        ("postcode-outward", FieldType::Postcode, "EC1A1BB", Some("EC1A")),
        ("ip-truncate", FieldType::Hidden, "192.0.2.123", Some("192.0.2.0")),
        (
            "ip-truncate",
            FieldType::Hidden,
            "2001:db8:85a3:8d3:1319:8a2e:370:7348",
            Some("2001:db8:85a3::"),
        ),
        (
            "ip-truncate",
            FieldType::Hidden,
            "::ffff:198.51.100.77",
            Some("198.51.100.0"),
        ),
        ("ip-truncate", FieldType::Hidden, "::1", Some("::")),
        (
            "mask:4",
            FieldType::Tel,
            "+44 7700 900123",
            Some("***********0123"),
        ),
        ("mask:0", FieldType::Text, "abc", Some("***")),
        ("mask:4", FieldType::Text, "abc", Some("***")),
    ];
    for (rule, field_type, typed, expected) in cases {
        let sent = apply(rule, field_type, typed);
        assert_eq!(sent.as_deref(), expected, "{rule} of {typed:?}");
        #[cfg(not(target_arch = "wasm32"))]
        assert!(
            sent.is_some_and(
                |sent| Transform::parse(rule, field_type).is_ok_and(|transform| transform.fits(&sent))
            ),
            "what {rule} sends has its shape"
        );
    }
}

#[test]
#[cfg(not(target_arch = "wasm32"))]
fn a_receiver_can_tell_a_value_that_no_rule_would_send() {
    let hash = sha256_hex("ada@example.com");
    let cases = [
        ("sha256:email", FieldType::Email, hash.as_str(), true),
        ("sha256:email", FieldType::Email, "ada@example.com", false),
        ("sha256:email", FieldType::Email, &hash.to_uppercase(), false),
        ("sha256:name", FieldType::Text, &hash[1..], false),
        ("truncate:3", FieldType::Text, "Love", false),
        ("truncate:3", FieldType::Text, "Åsa", true),
        ("year", FieldType::Date, "0090", false),
        ("year", FieldType::Date, "19900", false),
        ("year", FieldType::Date, "90", true),
        ("year", FieldType::Date, "1990-06-15", false),
        ("age-band", FieldType::Date, "31-40", false),
        ("age-band", FieldType::Date, "30-39 ", false),
        ("age-band", FieldType::Date, "030-039", false),
        ("age-band", FieldType::Date, "150-159", true),
        ("postcode-prefix:3", FieldType::Postcode, "sw1", false),
        ("postcode-prefix:3", FieldType::Postcode, "SW1A", false),
        ("postcode-outward", FieldType::Postcode, "SW1A 1AA", false),
        ("ip-truncate", FieldType::Hidden, "192.0.2.123", false),
        ("ip-truncate", FieldType::Hidden, "192.0.2.0", true),
        ("mask:4", FieldType::Tel, "+44 7700 900123", false),
        ("keep", FieldType::Text, "anything at all", true),
        ("drop", FieldType::Text, "", false),
    ];
    for (rule, field_type, value, fits) in cases {
        let transform = Transform::parse(rule, field_type).expect("a valid rule");
        assert_eq!(transform.fits(value), fits, "{rule}: {value:?}");
    }
}

#[test]
fn a_value_the_rule_cannot_read_is_not_sent_at_all() {
    let cases = [
        ("year", FieldType::Date, "15/06/1990"),
        ("age-band", FieldType::Date, "2027-01-01"),
        ("age-band", FieldType::Date, "1800-01-01"),
        ("postcode-outward", FieldType::Postcode, "10115"),
        ("postcode-outward", FieldType::Postcode, "SW1A 1A1"),
        ("ip-truncate", FieldType::Hidden, "not an address"),
        ("ip-truncate", FieldType::Hidden, "192.0.2.256"),
        ("sha256:phone", FieldType::Tel, "call me"),
        ("drop", FieldType::Text, "anything"),
    ];
    for (rule, field_type, typed) in cases {
        assert_eq!(apply(rule, field_type, typed), None, "{rule} of {typed:?}");
    }
}

#[test]
fn rules_are_named_as_notices_write_them() {
    for rule in [
        "keep",
        "drop",
        "sha256:email",
        "truncate:40",
        "age-band",
        "postcode-prefix:3",
        "postcode-outward",
        "ip-truncate",
        "mask:4",
    ] {
        let field_type = match rule {
            "sha256:email" => FieldType::Email,
            "age-band" => FieldType::Date,
            r if r.starts_with("postcode") => FieldType::Postcode,
            _ => FieldType::Text,
        };
        assert_eq!(Transform::parse(rule, field_type).expect(rule).rule(), rule);
    }
}
