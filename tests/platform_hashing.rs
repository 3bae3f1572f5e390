//! Hashed identifiers as each ad platform matches them: the published vectors (Google's formatter tests and
//! Data Manager examples, UID2's normalisation page, Snap's parameters page) from input to normalised value to
//! digest in the platform's encoding, and each platform's documented rules where its pages give no vector.
// Native only: the vectors are read from files, and a receiver's shape check (`fits`) is native.
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::json::{parse, Value};
use consent_capture::minimise::date::Date;
use consent_capture::minimise::matching::{hash, normalise};
use consent_capture::minimise::transform::Context;
use consent_capture::notice::platforms::{Identifier, Platform};
use consent_capture::notice::rules::Transform;
use consent_capture::notice::FieldType;
use std::fs;

const VECTORS: &str = "../shared/vectors/hashing/platforms.json";

fn text<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    case.as_object()?.get(key)?.as_str()
}

fn platform(name: &str) -> Platform {
    Platform::ALL
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(p, _)| *p)
        .unwrap_or_else(|| panic!("{name}"))
}

fn identifier(name: &str) -> Identifier {
    Identifier::ALL
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(i, _)| *i)
        .unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn every_published_vector_normalises_and_hashes_as_its_platform_documents() {
    let vectors = parse(&fs::read_to_string(VECTORS).expect("the shared vectors")).expect("JSON");
    let cases = vectors
        .as_object()
        .and_then(|v| v.get("cases"))
        .and_then(Value::as_array)
        .expect("cases");
    assert!(cases.len() >= 16);
    for case in cases {
        let platform = platform(text(case, "platform").expect("platform"));
        let identifier = identifier(text(case, "kind").expect("kind"));
        let input = text(case, "input").expect("input");
        let normalised = normalise(platform, identifier, input, "").expect(input);
        assert_eq!(
            normalised,
            text(case, "normalised").expect("normalised"),
            "{input}"
        );
        let expected = text(case, "sha256_hex")
            .or_else(|| text(case, "sha256_base64"))
            .expect("a digest");
        assert_eq!(hash(platform, &normalised), expected, "{input}");
        // The transform a notice names gives the same, and the receiver's shape check takes it.
        let rule = format!("sha256:{}:{}", identifier.name(), platform.name());
        let field_type = if identifier == Identifier::Email {
            FieldType::Email
        } else {
            FieldType::Tel
        };
        let transform = Transform::parse(&rule, field_type).expect(&rule);
        let context = Context {
            today: Date {
                year: 2026,
                month: 12,
                day: 2,
            },
            calling_code: "44",
        };
        assert_eq!(
            transform.apply(input, context).as_deref(),
            Some(expected),
            "{rule}"
        );
        assert!(transform.fits(expected), "{rule}");
        assert_eq!(transform.rule(), rule);
        assert_eq!(transform.rule_version(), Some("2026-12"));
    }
}

#[test]
fn each_platform_normalises_an_address_its_own_way() {
    let address = "  Cloudy.SanFrancisco+shopping@GoogleMail.com ";
    let cases = [
        // Google: gmail.com and googlemail.com lose their +tag and their dots.
        (Platform::Google, "cloudysanfrancisco@googlemail.com"),
        // UID2 and EUID: gmail.com only.
        (Platform::Uid2, "cloudy.sanfrancisco+shopping@googlemail.com"),
        (Platform::Euid, "cloudy.sanfrancisco+shopping@googlemail.com"),
        // Meta, TikTok, LinkedIn, Pinterest, Snap: trimmed and lowercase, nothing else.
        (Platform::Meta, "cloudy.sanfrancisco+shopping@googlemail.com"),
        (Platform::Tiktok, "cloudy.sanfrancisco+shopping@googlemail.com"),
        (Platform::Linkedin, "cloudy.sanfrancisco+shopping@googlemail.com"),
        (Platform::Pinterest, "cloudy.sanfrancisco+shopping@googlemail.com"),
        (Platform::Snap, "cloudy.sanfrancisco+shopping@googlemail.com"),
    ];
    for (platform, expected) in cases {
        assert_eq!(
            normalise(platform, Identifier::Email, address, "").as_deref(),
            Some(expected),
            "{platform:?}"
        );
    }
    assert_eq!(
        normalise(Platform::Uid2, Identifier::Email, "Jane.Saoirse+x@Gmail.com", "").as_deref(),
        Some("janesaoirse@gmail.com")
    );
    // Google drops whitespace inside the address too (Data Manager: leading, trailing and intermediate).
    assert_eq!(
        normalise(Platform::Google, Identifier::Email, "ada @ example.com", "").as_deref(),
        Some("ada@example.com")
    );
}

#[test]
fn a_phone_is_e164_with_its_plus_or_its_digits_as_each_platform_documents() {
    let national = "020 7946 0958";
    for (platform, expected) in [
        (Platform::Google, "+442079460958"),
        (Platform::Uid2, "+442079460958"),
        (Platform::Tiktok, "+442079460958"),
        (Platform::Meta, "442079460958"),
        (Platform::Snap, "442079460958"),
        (Platform::Pinterest, "442079460958"),
    ] {
        assert_eq!(
            normalise(platform, Identifier::Phone, national, "44").as_deref(),
            Some(expected),
            "{platform:?}"
        );
        assert_eq!(
            normalise(platform, Identifier::Phone, "0044 (0)20 7946-0958", "1").as_deref(),
            Some(expected),
            "{platform:?}: 00 and (0)"
        );
    }
    // Without a country a national number is not guessed at: nothing is sent.
    assert_eq!(normalise(Platform::Meta, Identifier::Phone, national, ""), None);
    assert_eq!(
        normalise(Platform::Google, Identifier::Phone, "+44 12", ""),
        None,
        "too short"
    );
    assert_eq!(
        normalise(Platform::Google, Identifier::Phone, "+44 1234 5678 9012 34", ""),
        None,
        "too long"
    );
    // LinkedIn matches no phone: the rule does not exist.
    assert!(Transform::parse("sha256:phone:linkedin", FieldType::Tel).is_err());
}

#[test]
fn the_other_identifiers_as_meta_and_pinterest_document_them() {
    let meta = |identifier, value| normalise(Platform::Meta, identifier, value, "");
    let pinterest = |identifier, value| normalise(Platform::Pinterest, identifier, value, "");
    assert_eq!(meta(Identifier::Name, " Mary-Ann ").as_deref(), Some("maryann"));
    assert_eq!(
        pinterest(Identifier::Name, " Mary-Ann ").as_deref(),
        Some("mary-ann")
    );
    assert_eq!(
        meta(Identifier::City, "San Francisco").as_deref(),
        Some("sanfrancisco")
    );
    assert_eq!(meta(Identifier::City, "St. Albans").as_deref(), Some("stalbans"));
    assert_eq!(meta(Identifier::Postcode, "SW1A 1AA").as_deref(), Some("sw1a1aa"));
    assert_eq!(
        meta(Identifier::Postcode, "94107-1234").as_deref(),
        Some("94107"),
        "a US ZIP+4: five digits"
    );
    assert_eq!(
        pinterest(Identifier::Postcode, "94107-1234").as_deref(),
        Some("941071234")
    );
    assert_eq!(meta(Identifier::Country, "GB").as_deref(), Some("gb"));
    assert_eq!(meta(Identifier::Country, "United Kingdom"), None);
    assert_eq!(
        meta(Identifier::BirthDate, "1990-06-05").as_deref(),
        Some("19900605")
    );
    assert_eq!(
        meta(Identifier::BirthDate, "0907-12-10").as_deref(),
        Some("09071210")
    );
    assert_eq!(meta(Identifier::BirthDate, "5 June 1990"), None);
    assert_eq!(meta(Identifier::Gender, "Female").as_deref(), Some("f"));
    assert_eq!(
        meta(Identifier::Gender, "non-binary"),
        None,
        "Meta has f and m only"
    );
    assert_eq!(pinterest(Identifier::Gender, "non-binary").as_deref(), Some("n"));
    // Google takes country, postcode and city in clear: there is no hashed rule for them.
    for rule in [
        "sha256:country:google",
        "sha256:postcode:google",
        "sha256:city:google",
    ] {
        assert!(Transform::parse(rule, FieldType::Text).is_err(), "{rule}");
    }
}

#[test]
fn a_rule_fits_only_its_field_type_and_the_old_rules_keep_their_meaning() {
    assert!(Transform::parse("sha256:email:meta", FieldType::Text).is_err());
    assert!(Transform::parse("sha256:birthdate:meta", FieldType::Date).is_ok());
    assert!(Transform::parse("sha256:email:myspace", FieldType::Email).is_err());
    assert!(Transform::parse("sha256:email:", FieldType::Email).is_err());
    let old = Transform::parse("sha256:email", FieldType::Email).expect("kept");
    assert_eq!(old.rule_version(), None);
    let context = Context {
        today: Date {
            year: 2026,
            month: 12,
            day: 2,
        },
        calling_code: "44",
    };
    // consent-capture's own rule, as before: the +tag stays.
    let kept = old.apply("a.b+c@gmail.com", context).expect("a hash");
    let google = Transform::parse("sha256:email:google", FieldType::Email)
        .expect("google")
        .apply("a.b+c@gmail.com", context)
        .expect("a hash");
    assert_ne!(kept, google);
    let uid2 = Transform::parse("sha256:email:uid2", FieldType::Email).expect("uid2");
    let base64 = uid2.apply("user@example.com", context).expect("a hash");
    assert!(uid2.fits(&base64));
    assert!(!uid2.fits(&google), "a hex digest is not UID2's shape");
    assert!(!Transform::parse("sha256:email:meta", FieldType::Email)
        .expect("meta")
        .fits(&base64));
}
