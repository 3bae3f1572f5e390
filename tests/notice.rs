//! Notice validation: a notice exists only valid, and every problem is reported at once with its path.

use consent_capture::notice::rules::Transform;
use consent_capture::notice::texts::Ui;
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
    assert_eq!(notice.languages, ["en", "de", "ar"]);
    assert_eq!(notice.field("company").and_then(|f| f.max_length), Some(100));
    assert_eq!(notice.field("name").and_then(|f| f.max_length), None);
    assert_eq!(notice.purposes.len(), 3);
    assert_eq!(notice.purposes[1].legal_basis, LegalBasis::Consent);
    assert!(notice.purposes[2].gpc);
    assert_eq!(
        notice.purposes[2].consent_mode,
        ["ad_storage", "ad_user_data", "ad_personalization"]
    );
    assert_eq!(
        notice.purposes[0].termination.get("de"),
        "12 Monate nach unserer letzten Antwort"
    );
    assert_eq!(notice.fields[1].field_type, FieldType::Email);
    assert_eq!(notice.fields[1].purposes, ["enquiry", "newsletter", "ads"]);
    assert_eq!(notice.fields[3].options[1].label.get("ar"), "مساعدة في طلب");
    assert_eq!(notice.fields[0].transform, Transform::Keep);
}

/// Each case: a piece of the demo notice, what replaces it, and a problem that must be reported.
const BROKEN: &[(&str, &str, &str)] = &[
    (r#""id": "newsletter""#, r#""id": "enquiry""#, "purposes[1].id: is used twice (enquiry)"),
    (r#""purposes": ["newsletter"]"#, r#""purposes": ["partners"]"#, "fields[2].purposes[0]: names no declared purpose (partners)"),
    (r#""purposes": ["newsletter"]"#, r#""purposes": []"#, "fields[2].purposes: must not be empty (a field needs a purpose)"),
    (r#""legalBasis": "consent""#, r#""legalBasis": "because""#, "purposes[1].legalBasis: is not one of the allowed values (because)"),
    (r#""policyUrl": "https://example.com/privacy""#, r#""policyUrl": "javascript:alert(1)""#, "policyUrl: must be an absolute http:// or https:// URL"),
    (r#""policyUrl": "https://example.com/privacy""#, r#""policyUrl": "data:text/html,hi""#, "policyUrl: must be an absolute http:// or https:// URL"),
    (r#""url": "https://example.com""#, r#""url": "//example.com""#, "controller.url: must be an absolute http:// or https:// URL"),
    (r#""revision": "2026-11-22""#, r#""revison": "2026-11-22""#, "revision: is required"),
    (r#""revision": "2026-11-22""#, r#""revison": "2026-11-22""#, "revison: is not a known key"),
    (r#""label": { "en": "Company", "de": "Unternehmen", "ar": "الشركة" }"#, r#""label": { "en": "Company", "de": "Unternehmen" }"#, "fields[2].label: has no text for a declared language (ar)"),
    (r#""label": { "en": "Company", "de": "Unternehmen", "ar": "الشركة" }"#, r#""label": { "en": "Company", "de": "Unternehmen", "ar": "الشركة", "fr": "Société" }"#, "fields[2].label.fr: is not a known key"),
    (r#""languages": ["en", "de", "ar"]"#, r#""languages": ["en", "de", "ar", "de"]"#, "languages[3]: is used twice (de)"),
    (r#""languages": ["en", "de", "ar"]"#, r#""languages": ["en", "<script>", "ar"]"#, "languages[1]: is not one of the allowed values (not a BCP 47 tag)"),
    (r#""languages": ["en", "de", "ar"]"#, r#""languages": ["en", "de", "ar", "pl"]"#, "texts.pl.acceptAll: has no text for a declared language (pl is not built in)"),
    (r#""acceptAll": "Alle akzeptieren""#, r#""acceptAll": "Alles annehmen", "rejectEverything": "x""#, "texts.de.rejectEverything: is not a known key"),
    (r#""rejectAll": "Alle ablehnen","#, "", "texts.de.rejectAll: has no text for a declared language (de is not built in)"),
    (r#""texts": {"#, r#""texts": { "fr": {},"#, "texts.fr: is not a known key"),
    (r#""type": "email""#, r#""type": "password""#, "fields[1].type: is not one of the allowed values (password)"),
    (r#""name": "name", "type": "text", "required": true"#, r#""name": "name", "type": "text", "required": "yes""#, "fields[0].required: has the wrong type (expected true or false, found string)"),
    (r#""name": "company", "type": "text","#, r#""name": "company", "type": "text", "required": true,"#, "fields[2].required: rests on consent, so it can be neither required nor pre-ticked"),
    (r#""termination": { "en": "Until you unsubscribe", "de": "Bis Sie sich abmelden", "ar": "حتى تلغي اشتراكك" }"#, r#""termination": { "en": "", "de": "x", "ar": "y" }"#, "purposes[1].termination.en: must not be empty"),
    (r#""name": "Example Widgets Ltd""#, r#""name": 7"#, "controller.name: has the wrong type (expected a string, found number)"),
    (r#""addressCountry": "GB""#, r#""country": "GB""#, "controller.address.country: is not a known key"),
    (r#""fields": ["#, r#""fields": 3, "x": ["#, "fields: has the wrong type (expected an array, found number)"),
    (r#""gpc": true"#, r#""gpc": 1"#, "purposes[2].gpc: has the wrong type (expected true or false, found number)"),
    (r#""ad_user_data""#, r#""ad_tracking""#, "purposes[2].consentMode[1]: is not one of the allowed values (ad_tracking)"),
    (r#""termination": {
        "en": "12 months"#, r#""consentMode": ["analytics_storage"], "termination": {
        "en": "12 months"#, "purposes[0].consentMode: is not one of the allowed values (only consent purposes drive Consent Mode)"),
    (r#""name": "company", "type": "text","#, r#""name": "company", "type": "text", "transform": "sha256:md5","#, "fields[2].transform: is not one of the allowed values (sha256:md5)"),
    (r#""name": "company", "type": "text","#, r#""name": "company", "type": "text", "transform": "year","#, "fields[2].transform: is not one of the allowed values (year needs a field of type date)"),
    (r#""name": "company", "type": "text","#, r#""name": "company", "type": "text", "options": [],"#, "fields[2].options: is not one of the allowed values (only a select field has options)"),
    (r#""name": "company", "type": "text","#, r#""name": "company", "type": "select","#, "fields[2].options: is required"),
    (r#"{ "value": "support""#, r#"{ "value": "sales""#, "fields[3].options[1].value: is used twice (sales)"),
    (r#""transform": "sha256:phone""#, r#""transform": "sha256:md5""#, "fields[4].transform: is not one of the allowed values (sha256:md5)"),
    (r#""jurisdiction": "GB""#, r#""jurisdiction": "EU""#, "phoneCountry: is required (a hashed phone number needs a country (phoneCountry or phoneCountryField) when the jurisdiction is not one)"),
    (r#""jurisdiction": "GB""#, r#""jurisdiction": "GB", "phoneCountry": "UK""#, "phoneCountry: is not one of the allowed values (UK)"),
    (r#""jurisdiction": "GB""#, r#""jurisdiction": "GB", "phoneCountryField": "land""#, "phoneCountryField: is not one of the allowed values (not a declared field)"),
    (r#""transform": "sha256:phone""#, r#""transform": "sha256:phone:linkedin""#, "fields[4].transform: is not one of the allowed values (sha256:phone:linkedin)"),
    (r#""klaviyo": { "listId": "Y6nRLr", "emailPurpose": "newsletter" }"#, r#""klaviyo": ["Y6nRLr"]"#, "crm.klaviyo: has the wrong type (expected an object, found array)"),
    (r#""maxLength": 100"#, r#""maxLength": 0"#, "fields[2].maxLength: has the wrong type (expected a whole number from 1 to 1000000, found number)"),
    (r#""maxLength": 100"#, r#""maxLength": "100""#, "fields[2].maxLength: has the wrong type (expected a whole number from 1 to 1000000, found string)"),
    (r#""maxLength": 100"#, r#""maxLength": 100, "sentAsTypedTo": ["bing"]"#, "fields[2].sentAsTypedTo[0]: is not one of the allowed values (bing)"),
    (r#""maxLength": 100"#, r#""maxLength": 100, "sentAsTypedTo": ["google", "meta"]"#, "fields[2].sentAsTypedTo[1]: is not one of the allowed values (meta)"),
    (r#""maxLength": 100"#, r#""maxLength": 100, "sentAsTypedTo": "linkedin""#, "fields[2].sentAsTypedTo: has the wrong type (expected an array, found string)"),
    (r#""transform": "sha256:phone""#, r#""transform": "sha256:phone", "sentAsTypedTo": ["meta"]"#, "fields[4].sentAsTypedTo: is not one of the allowed values (a hashed field is not sent as typed)"),
];

#[test]
fn each_broken_notice_is_reported_at_its_path() {
    for (from, to, expected) in BROKEN {
        let found = problems(&demo_with(from, to));
        assert!(
            found.iter().any(|p| p == expected),
            "expected {expected:?} among {found:#?}"
        );
    }
}

#[test]
fn a_language_that_is_not_built_in_needs_every_interface_text_and_then_works() {
    let missing_one = two_language_notice(r#""acceptAll": "Akceptuj wszystko""#);
    assert!(problems(&missing_one).contains(
        &"texts.pl.rejectAll: has no text for a declared language (pl is not built in)".to_owned()
    ));
}

#[test]
fn a_language_that_is_not_built_in_works_when_the_notice_gives_every_interface_text() {
    let texts: Vec<String> = Ui::ALL
        .iter()
        .map(|(_, name)| format!(r#""{name}": "pl {name}""#))
        .collect();
    let clean = two_language_notice(&texts.join(", "));
    let notice = Notice::from_json(&clean).expect("valid with all Polish interface texts");
    assert_eq!(notice.ui("pl", Ui::AcceptAll), "pl acceptAll");
    assert_eq!(notice.ui("en", Ui::AcceptAll), "Accept all");
}

fn two_language_notice(polish_texts: &str) -> String {
    format!(
        r#"{{
  "revision": "1", "jurisdiction": "PL", "policyUrl": "https://example.pl/privacy",
  "languages": ["en", "pl"], "texts": {{ "pl": {{ {polish_texts} }} }},
  "controller": {{ "name": "Przykład", "contact": "IOD", "address": {{}}, "email": "iod@example.pl", "phone": "+48 1" }},
  "purposes": [{{ "id": "reply", "legalBasis": "contract", "name": {{ "en": "Reply", "pl": "Odpowiedź" }},
    "description": {{ "en": "We reply.", "pl": "Odpowiadamy." }}, "termination": {{ "en": "1 year", "pl": "1 rok" }} }}],
  "fields": [{{ "name": "email", "type": "email", "purposes": ["reply"], "label": {{ "en": "E-mail", "pl": "E-mail" }} }}]
}}"#
    )
}

#[test]
fn the_built_in_interface_texts_can_be_replaced_per_language() {
    let notice = Notice::from_json(&DEMO.replace(
        r#""texts": {"#,
        r#""texts": {
    "en": { "sendWithMyChoices": "Send enquiry" },"#,
    ))
    .expect("valid");
    assert_eq!(notice.ui("en", Ui::SendWithMyChoices), "Send enquiry");
    assert_eq!(
        notice.ui("de", Ui::SendWithMyChoices),
        "Mit meiner Auswahl senden"
    );
}

#[test]
fn all_problems_are_reported_in_one_pass() {
    let broken = demo_with(r#""revision": "2026-11-22","#, "")
        .replace(r#""legalBasis": "contract""#, r#""legalBasis": "x""#)
        .replace(r#""type": "email""#, r#""type": "e-mail""#);
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
    assert_eq!(notice.pick_language(&["fr", "DE"]), "de");
    assert_eq!(notice.pick_language(&["ar-EG", "en"]), "ar");
    assert_eq!(notice.pick_language(&["fr"]), "en");
    assert_eq!(notice.pick_language(&[]), "en");
}

/// The translations in texts/ are complete (a notice in that language validates with them alone), and the
/// demo notice carries them unchanged.
#[test]
fn the_shipped_translations_are_complete_and_the_demo_uses_them() {
    let demo = consent_capture::json::parse(DEMO).expect("JSON");
    let demo_texts = demo.as_object().and_then(|o| o.get("texts")).expect("texts");
    for tag in ["de", "ar", "fr", "es"] {
        let file = std::fs::read_to_string(format!("texts/{tag}.json")).expect("a translation file");
        let only = DEMO.replacen(
            r#""languages": ["en", "de", "ar"]"#,
            &format!(r#""languages": ["{tag}"]"#),
            1,
        );
        let value = consent_capture::json::parse(&only).expect("JSON");
        let mut object = value.as_object().expect("an object").clone();
        let texts = consent_capture::json::parse(&format!(r#"{{"{tag}": {file}}}"#)).expect("JSON");
        object.insert("texts", texts.clone());
        let relabelled = relabel(consent_capture::json::Value::Object(object), tag);
        let notice = Notice::from_value(relabelled);
        assert!(notice.is_ok(), "{tag}: {:?}", notice.err().map(|e| e.to_string()));
        if let Some(in_demo) = demo_texts.as_object().and_then(|o| o.get(tag)) {
            assert_eq!(Some(in_demo), texts.as_object().and_then(|o| o.get(tag)), "{tag}");
        }
    }
}

/// The demo notice with every per-language text keyed by `tag` (its English wording), so that a notice in
/// that language alone can be built from it.
fn relabel(value: consent_capture::json::Value, tag: &str) -> consent_capture::json::Value {
    use consent_capture::json::{Object, Value};
    match value {
        Value::Object(object) => {
            let is_localised = object.get("en").is_some_and(|v| v.as_str().is_some());
            let mut out = Object::new();
            for (key, member) in object.iter() {
                if key == "texts" {
                    out.insert(key, member.clone());
                } else if is_localised {
                    if key == "en" {
                        out.insert(tag, member.clone());
                    }
                } else {
                    out.insert(key, relabel(member.clone(), tag));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| relabel(v, tag)).collect()),
        other => other,
    }
}

/// A Latin `ads` beside a Cyrillic `аds` would be two purposes that read the same: identifiers are plain ASCII
/// (letters, digits and `_ - . : [ ]`, the last three for site forms that name fields like `contact[email]`).
#[test]
fn purpose_ids_and_field_names_are_plain_ascii() {
    let found = problems(&demo_with(r#""id": "ads""#, r#""id": "аds""#));
    assert_eq!(
        found[0],
        "purposes[2].id: must be plain ASCII: letters, digits and _ - . : [ ] (аds)"
    );
    assert!(
        problems(&demo_with(r#""name": "company""#, r#""name": "company\u200b""#))
            .iter()
            .any(|p| p.starts_with("fields[2].name: must be plain ASCII"))
    );
    assert!(problems(&demo_with(
        r#""name": "company""#,
        r#""name": "contact[company]""#
    ))
    .is_empty());
}
