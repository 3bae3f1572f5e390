//! CRM destinations described as data: the request each shipped description shapes from a minimised payload
//! and its receipt (for HubSpot, Salesforce and json, byte for byte what the code adapters they replaced made:
//! their golden outputs, compared with both while both existed), and every problem of a description or of the
//! notice's settings for it, with its place.

use consent_capture::destination::{
    shape, Afterwards, Destination, Evidence, NoticeFacts, Runs, Shaped, SHIPPED,
};
use consent_capture::minimise::date::Date;
use consent_capture::notice::signature::notice_hash;
use consent_capture::{minimise, Decisions, Notice};

const DEMO: &str = include_str!("../www/demo/notice.json");
const JSON: &str = include_str!("../destinations/json.json");
const HUBSPOT_DESCRIPTION: &str = include_str!("../destinations/hubspot.json");
const SALESFORCE_DESCRIPTION: &str = include_str!("../destinations/salesforce.json");
const ENDPOINT: &str = "https://crm.example/submit";
const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 22,
};
const EVIDENCE: Evidence<'static> = Evidence {
    receipt: "eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln",
    receipt_id: "0b0e3c4a-5d6f-4a1b-9c2d-3e4f5a6b7c8d",
    principal: "jwk-thumbprint:x",
    language: "en",
    page_uri: "https://example.com/contact?from=ad",
    page_name: "Contact us",
    consent_time: 1_795_000_000,
    relayed: false,
    contact: "",
};

/// What a destination reads of `notice`.
fn facts(notice: &Notice) -> NoticeFacts {
    NoticeFacts::read(&notice.source)
}

fn no_secret(_: &str) -> Option<String> {
    None
}

fn submitted() -> Vec<(String, String)> {
    [
        ("name", "Ada Lovelace"),
        ("email", "ada@example.com"),
        ("company", "Analytical Engines & Co"),
        ("phone", "020 7946 0000"),
        ("birthDate", "1990-06-15"),
        ("postcode", "sw1a 1aa"),
        ("topic", "support"),
        ("referrer", "campaign-42"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn shaped(description: &str, granted: &[&str]) -> Shaped {
    let notice = Notice::from_json(DEMO).expect("valid");
    let destination =
        Destination::bind(description, &facts(&notice), Some(ENDPOINT)).expect("a valid description");
    let mut decisions = Decisions::initial(&notice);
    for purpose in granted {
        decisions.set(purpose, true).expect("a consent purpose");
    }
    let minimised = minimise(&notice, &decisions, &submitted(), TODAY);
    shape(
        &destination.submit,
        &facts(&notice),
        &decisions.to_json(&notice),
        &minimised.payload,
        EVIDENCE,
        &no_secret,
    )
    .expect("a request")
}

// Golden outputs for the demo notice; `{NOTICE}` stands for the demo notice's hash (the receipts' noticeSha256),
// so that rewording the demo does not touch these. The newsletter is granted, ads are not: the phone's hash
// stays home, the referrer is undeclared.
const JSON_BODY: &str = r#"{"decisions":[{"decision":"not-asked","legalBasis":"contract","purpose":"enquiry"},{"decision":"granted","legalBasis":"consent","purpose":"newsletter"},{"decision":"denied","legalBasis":"consent","purpose":"ads"}],"fields":{"birthDate":"30-39","company":"Analytical Engines & Co","email":"ada@example.com","name":"Ada Lovelace","postcode":"SW1A","topic":"support"},"receipt":"eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln"}"#;
const HUBSPOT: &str = r#"{"context":{"pageName":"Contact us","pageUri":"https://example.com/contact?from=ad"},"fields":[{"name":"firstname","objectTypeId":"0-1","value":"Ada Lovelace"},{"name":"email","objectTypeId":"0-1","value":"ada@example.com"},{"name":"company","objectTypeId":"0-1","value":"Analytical Engines & Co"},{"name":"topic","objectTypeId":"0-1","value":"support"},{"name":"birthDate","objectTypeId":"0-1","value":"30-39"},{"name":"postcode","objectTypeId":"0-1","value":"SW1A"}],"legalConsentOptions":{"consent":{"communications":[{"subscriptionTypeId":12345678,"text":"Monthly newsletter","value":true}],"consentToProcess":true,"text":"Consent receipt 0b0e3c4a-5d6f-4a1b-9c2d-3e4f5a6b7c8d for notice sha256:{NOTICE} (revision 2026-11-22) of Example Widgets Ltd."}}}"#;
const SALESFORCE: &str = "oid=00D000000000001&last_name=Ada+Lovelace&email=ada%40example.com&company=Analytical+Engines+%26+Co&topic=support&birthDate=30-39&postcode=SW1A&00N000000000001=0b0e3c4a-5d6f-4a1b-9c2d-3e4f5a6b7c8d";

#[test]
fn json_golden() {
    let r = shaped(JSON, &["newsletter"]);
    assert_eq!((r.content_type, r.body.as_str()), ("application/json", JSON_BODY));
    assert_eq!((r.method.as_str(), r.url.as_str()), ("POST", ENDPOINT));
}

#[test]
fn hubspot_golden() {
    let r = shaped(HUBSPOT_DESCRIPTION, &["newsletter"]);
    let notice = Notice::from_json(DEMO).expect("valid");
    let expected = HUBSPOT.replace("{NOTICE}", &notice_hash(&notice));
    assert_eq!(
        (r.content_type, r.body.as_str()),
        ("application/json", expected.as_str())
    );
}

#[test]
fn salesforce_golden() {
    let r = shaped(SALESFORCE_DESCRIPTION, &["newsletter"]);
    assert_eq!(
        (r.content_type, r.body.as_str()),
        ("application/x-www-form-urlencoded", SALESFORCE)
    );
}

#[test]
fn a_refused_subscription_is_reported_as_refused_and_its_fields_stay_home() {
    let r = shaped(HUBSPOT_DESCRIPTION, &["ads"]);
    assert!(r
        .body
        .contains(r#"{"subscriptionTypeId":12345678,"text":"Monthly newsletter","value":false}"#));
    assert!(
        !r.body.contains("Analytical"),
        "company only rests on the newsletter"
    );
    let phone_hash = "\"name\":\"phone\",\"objectTypeId\":\"0-1\",\"value\":\"";
    assert!(r.body.contains(phone_hash), "ads granted: the phone's hash goes");
    assert!(!r.body.contains("7946"), "never the number itself");
}

#[test]
fn the_relay_tells_hubspot_when_consent_was_given_and_a_page_leaves_it_to_hubspot() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let destination = Destination::bind(HUBSPOT_DESCRIPTION, &facts(&notice), Some(ENDPOINT)).expect("valid");
    let decisions = Decisions::initial(&notice);
    let relayed = Evidence {
        relayed: true,
        ..EVIDENCE
    };
    let r = shape(
        &destination.submit,
        &facts(&notice),
        &decisions.to_json(&notice),
        &Default::default(),
        relayed,
        &no_secret,
    )
    .expect("a request");
    assert!(r.body.contains(r#""submittedAt":"1795000000000""#), "{}", r.body);
    assert!(!shaped(HUBSPOT_DESCRIPTION, &[]).body.contains("submittedAt"));
    assert_eq!(destination.max_age_days, Some(30));
    assert!(matches!(destination.withdrawal, Afterwards::Refused(_)));
}

/// A destination of a CRM the component does not ship, with one setting of each kind.
const MINE: &str = r#"{"name": "mycrm", "runs": "receiver", "settings": {"listId": "text", "region": {"default": "eu"},
    "fields": "fields", "lists": "purpose-numbers"},
  "submit": {"url": "https://{region}.mycrm.example/lists/{listId}", "encoding": "json",
    "body": {"people": [{"$fields": {"k": {"$item": "name"}, "v": {"$item": "value"}}}],
             "lists": [{"$purposes": "lists", "as": {"id": {"$item": "value"}, "on": {"$item": "decision", "granted": "yes", "denied": "no"}}}]}},
  "withdrawal": "as-submit", "erasure": {"refuse": "by hand"}}"#;

/// The demo notice with `settings` as its `crm.mycrm`, and [`MINE`] bound to it (or the errors).
fn mine(settings: &str) -> Result<(Notice, Destination), String> {
    let hubspot = r#""crm": {"#;
    assert!(DEMO.contains(hubspot));
    let text = DEMO.replacen(hubspot, &format!(r#""crm": {{ "mycrm": {settings},"#), 1);
    let notice = Notice::from_json(&text).expect("another destination's settings are read when it is");
    let bound = Destination::bind(MINE, &facts(&notice), None).map_err(|errors| errors.text())?;
    Ok((notice, bound))
}

#[test]
fn the_notice_s_settings_are_checked_against_the_description_with_their_place() {
    let (_, bound) = mine(r#"{"listId": "L1", "fields": {"name": "full_name"}, "lists": {"newsletter": 7}}"#)
        .expect("valid");
    assert_eq!(bound.submit.url, "https://eu.mycrm.example/lists/L1");
    let cases = [
        (
            r#"{"listId": "L1", "fields": {"nmae": "x"}}"#,
            "crm.mycrm.fields.nmae: is not one of the allowed values (not a declared field)",
        ),
        (
            r#"{"listId": "L1", "lists": {"enquiry": 7}}"#,
            "crm.mycrm.lists.enquiry: names no declared purpose (not a consent purpose)",
        ),
        (
            r#"{"listId": "L1", "lists": {"newsletter": "7"}}"#,
            "crm.mycrm.lists.newsletter: has the wrong type (expected a positive whole number, found string)",
        ),
        (r#"{"region": "us"}"#, "crm.mycrm.listId: is required"),
        (
            r#"{"listId": "L1", "lsts": {}}"#,
            "crm.mycrm.lsts: is not a known key",
        ),
    ];
    for (settings, expected) in cases {
        assert_eq!(mine(settings).err().as_deref(), Some(expected), "{settings}");
    }
}

#[test]
fn the_demo_crms_settings_are_checked_with_their_place() {
    let cases = [
        (HUBSPOT_DESCRIPTION, r#""name": "firstname""#, r#""nmae": "firstname""#, "crm.hubspot.fields.nmae: is not one of the allowed values (not a declared field)"),
        (HUBSPOT_DESCRIPTION, r#""newsletter": 12345678"#, r#""enquiry": 12345678"#, "crm.hubspot.subscriptions.enquiry: names no declared purpose (not a consent purpose)"),
        (HUBSPOT_DESCRIPTION, r#""newsletter": 12345678"#, r#""newsletter": "12345678""#, "crm.hubspot.subscriptions.newsletter: has the wrong type (expected a positive whole number, found string)"),
        (SALESFORCE_DESCRIPTION, r#""oid": "00D000000000001","#, "", "crm.salesforce.oid: is required"),
        (SALESFORCE_DESCRIPTION, r#""receiptField""#, r#""receiptFeld""#, "crm.salesforce.receiptField: is required\ncrm.salesforce.receiptFeld: is not a known key"),
    ];
    for (description, from, to, expected) in cases {
        assert!(DEMO.contains(from), "{from}");
        let notice = Notice::from_json(&DEMO.replacen(from, to, 1)).expect("the notice itself stays valid");
        let problems = Destination::bind(description, &facts(&notice), Some(ENDPOINT))
            .err()
            .map(|e| e.text());
        assert_eq!(problems.as_deref(), Some(expected), "{to}");
    }
}

#[test]
fn repetitions_follow_the_notice_s_fields_and_the_purposes_a_setting_maps() {
    let (notice, bound) =
        mine(r#"{"listId": "L1", "fields": {"name": "full_name"}, "lists": {"newsletter": 7}}"#)
            .expect("valid");
    let mut decisions = Decisions::initial(&notice);
    decisions.set("newsletter", true).expect("consent");
    let fields = minimise(&notice, &decisions, &submitted(), TODAY).payload;
    let r = shape(
        &bound.submit,
        &facts(&notice),
        &decisions.to_json(&notice),
        &fields,
        EVIDENCE,
        &no_secret,
    )
    .expect("a request");
    assert_eq!(
        r.body,
        r#"{"lists":[{"id":7,"on":"yes"}],"people":[{"k":"full_name","v":"Ada Lovelace"},{"k":"email","v":"ada@example.com"},{"k":"company","v":"Analytical Engines & Co"},{"k":"topic","v":"support"},{"k":"birthDate","v":"30-39"},{"k":"postcode","v":"SW1A"}]}"#
    );
}

#[test]
fn a_description_naming_what_the_notice_lacks_is_refused_with_its_place() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let refused = |description: &str| match Destination::bind(description, &facts(&notice), Some(ENDPOINT)) {
        Ok(_) => String::from("accepted"),
        Err(errors) => errors.text(),
    };
    let with_body = |body: &str| {
        format!(
            r#"{{"name": "mine", "runs": "browser", "submit": {{"url": "{{endpoint}}", "encoding": "json", "body": {body}}}, "withdrawal": "as-submit", "erasure": {{"refuse": "by hand"}}}}"#
        )
    };
    let cases = [
        (r#"{"e": {"$field": "emial"}}"#, "destination.submit.body.e.$field: is not one of the allowed values (not a field the notice declares)"),
        (r#"{"c": {"$decision": "newsleter", "granted": "yes"}}"#, "destination.submit.body.c.$decision: names no declared purpose (newsleter)"),
        (r#"{"c": {"$decision": "newsletter", "granted": "yes", "maybe": 1}}"#, "destination.submit.body.c.$decision/maybe: is not a known key"),
        (r#"{"x": {"$eval": "1+1"}}"#, "destination.submit.body.x.$eval: is not one of the allowed values (a lookup is $field, $evidence, $decision, $purpose, $text, $object, $secret or $item, with its argument)"),
        (r#"{"x": {"$evidence": "cookies"}}"#, "destination.submit.body.x.$evidence: is not one of the allowed values (a lookup is $field, $evidence, $decision, $purpose, $text, $object, $secret or $item, with its argument)"),
        (r#"{"list": "{listId}"}"#, "destination.submit.body.list: is required ({listId} is not a setting given here)"),
        (r#"{"x": {"$item": "value"}}"#, "destination.submit.body.x.$item: is not one of the allowed values (value is not an item here ($fields: name, field, value; $purposes: id, value, name, decision))"),
        (r#"{"x": "{"}"#, "destination.submit.body.x: is not one of the allowed values (a lone brace: write {{ or }})"),
    ];
    for (body, expected) in cases {
        assert_eq!(refused(&with_body(body)), expected, "{body}");
    }
    assert_eq!(refused(&with_body(r#"{"braces": "{{literal}}"}"#)), "accepted");
    let unsafe_url = with_body("{}").replace("{endpoint}", "javascript:alert(1)");
    let notice_bound = Destination::bind(&unsafe_url, &facts(&notice), None);
    assert_eq!(
        notice_bound.err().map(|errors| errors.text()),
        Some("destination.submit.url: must be an absolute http:// or https:// URL".into())
    );
}

#[test]
fn a_page_refuses_a_destination_that_needs_a_secret() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let description = r#"{"name": "private", "runs": "browser", "submit": {"url": "https://api.crm.example/people", "encoding": "json",
        "headers": {"Authorization": {"$text": ["Bearer ", {"$secret": "token"}]}}, "body": {"email": {"$field": "email"}}},
        "withdrawal": {"refuse": "by hand"}, "erasure": {"refuse": "by hand"}}"#;
    let destination = Destination::bind(description, &facts(&notice), None).expect("valid for the receiver");
    assert_eq!(destination.secrets, ["token"]);
    let refused = destination.clone().for_browser().err().map(|error| error.text());
    assert_eq!(
        refused.as_deref(),
        Some("destination.runs: is not one of the allowed values (it needs a secret: send through the receiver (--relay))")
    );
    let decisions = Decisions::initial(&notice);
    let fields = minimise(&notice, &decisions, &submitted(), TODAY).payload;
    let token = |name: &str| (name == "token").then(|| "s3cret".to_owned());
    let shaped = shape(
        &destination.submit,
        &facts(&notice),
        &decisions.to_json(&notice),
        &fields,
        EVIDENCE,
        &token,
    )
    .expect("a request");
    assert_eq!(
        shaped.headers,
        vec![("Authorization".to_owned(), "Bearer s3cret".to_owned())]
    );
    assert_eq!(shaped.body, r#"{"email":"ada@example.com"}"#);
}

#[test]
fn every_shipped_description_reads_against_the_demo_notice_and_goes_where_its_crm_documents() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let documented = [
        ("json", None),
        ("hubspot", None),
        ("salesforce", None),
        (
            "klaviyo",
            Some("https://a.klaviyo.com/api/profile-subscription-bulk-create-jobs"),
        ),
        (
            "mailchimp-form",
            Some("https://us21.list-manage.com/subscribe/post?u=0123456789abcdef01234567&id=a1b2c3d4e5"),
        ),
        (
            "mailchimp",
            Some("https://us21.api.mailchimp.com/3.0/lists/a1b2c3d4e5"),
        ),
        ("brevo", Some("https://api.brevo.com/v3/contacts")),
        ("pipedrive", Some("https://example.pipedrive.com/api/v1/persons")),
        ("zoho", Some("https://crm.zoho.com/crm/WebToLeadForm")),
        (
            "activecampaign",
            Some("https://example.activehosted.com/proc.php"),
        ),
        ("pardot", Some("https://go.example.com/l/123/2026-11-22/abcd")),
        ("segment", Some("https://api.segment.io/v1/identify")),
        ("intercom", Some("https://api.intercom.io/contacts")),
        (
            "freshsales",
            Some("https://example.myfreshworks.com/crm/sales/api/contacts/upsert"),
        ),
        (
            "marketo",
            Some("https://123-ABC-456.mktorest.com/rest/v1/leads.json"),
        ),
    ];
    assert_eq!(SHIPPED.len(), documented.len());
    for ((name, text), (expected_name, url)) in SHIPPED.iter().zip(documented) {
        assert_eq!(*name, expected_name);
        // The sites' own URL for the three that send where the page's endpoint says.
        let endpoint = url.is_none().then_some(ENDPOINT);
        let bound =
            Destination::bind(text, &facts(&notice), endpoint).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(bound.name, *name);
        assert_eq!(bound.submit.url, url.unwrap_or(ENDPOINT), "{name}");
        let for_browser = bound.clone().for_browser().is_ok();
        assert_eq!(
            for_browser,
            bound.runs != Runs::Receiver,
            "{name}: only the receiver holds secrets"
        );
    }
}

/// A receiver-run destination whose withdrawal and erasure name the person by their contact.
const BY_CONTACT: &str = r#"{"name": "bycontact", "runs": "receiver", "api": "https://api.crm.example", "contact": "email",
  "submit": {"url": "https://api.crm.example/people", "encoding": "json", "body": {"email": {"$field": "email"}}},
  "withdrawal": {"method": "PUT", "url": "{api}/people/{contact}", "encoding": "json",
    "headers": {"Authorization": {"$secret": "token"}},
    "body": {"unsubscribed": {"$decision": "newsletter", "withdrawn": true}}, "otherwise": "unsubscribe by hand"},
  "erasure": {"url": "{api}/erasures", "encoding": "json", "body": {"email": {"$evidence": "contact"}},
    "otherwise": "delete by hand"}}"#;

#[test]
fn a_withdrawal_or_an_erasure_names_the_contact_in_one_path_segment_and_nothing_else_may() {
    let notice = Notice::from_json(DEMO).expect("valid");
    let destination = Destination::bind(BY_CONTACT, &facts(&notice), None).expect("valid");
    assert_eq!(destination.contact.as_deref(), Some("email"));
    assert_eq!(
        destination.secrets,
        ["token"],
        "the withdrawal's secret is needed to start"
    );
    let withdrawal = destination.withdrawal.call().expect("a request");
    assert!(withdrawal.needs_contact);
    assert_eq!(destination.withdrawal.by_hand(), "unsubscribe by hand");
    let mut decisions = Decisions::initial(&notice);
    decisions.set("newsletter", true).expect("a consent purpose");
    decisions.withdraw("newsletter").expect("granted");
    let token = |name: &str| (name == "token").then(|| "s3cret".to_owned());
    let made = |contact: &'static str| {
        shape(
            withdrawal,
            &facts(&notice),
            &decisions.to_json(&notice),
            &Default::default(),
            Evidence {
                contact,
                relayed: true,
                ..EVIDENCE
            },
            &token,
        )
    };
    let r = made("ada+news@example.com").expect("a request");
    assert_eq!(r.url, "https://api.crm.example/people/ada%2Bnews%40example.com");
    assert_eq!(r.body, r#"{"unsubscribed":true}"#);
    assert_eq!(
        made("a b/../c?d#e").expect("a request").url,
        "https://api.crm.example/people/a%20b%2F..%2Fc%3Fd%23e"
    );
    assert_eq!(
        made("..").expect("a request").url,
        "https://api.crm.example/people/%2E%2E"
    );
    assert_eq!(made(""), None, "no contact, no request");
    let erasure = destination.erasure.call().expect("a request");
    let r = shape(
        erasure,
        &facts(&notice),
        &decisions.to_json(&notice),
        &Default::default(),
        Evidence {
            contact: "ada@example.com",
            relayed: true,
            ..EVIDENCE
        },
        &no_secret,
    )
    .expect("a request");
    assert_eq!(
        (r.url.as_str(), r.body.as_str()),
        (
            "https://api.crm.example/erasures",
            r#"{"email":"ada@example.com"}"#
        )
    );
    let elsewhere = Destination::bind_relayed(BY_CONTACT, &facts(&notice), None, Some("http://127.0.0.1:9/"))
        .expect("valid");
    assert_eq!(
        elsewhere.erasure.call().expect("a request").url,
        "http://127.0.0.1:9/erasures"
    );

    let refused = |description: String| match Destination::bind(&description, &facts(&notice), None) {
        Ok(_) => String::from("accepted"),
        Err(errors) => errors.text(),
    };
    assert_eq!(
        refused(BY_CONTACT.replace("https://api.crm.example/people\"", "https://api.crm.example/people/{contact}\"")),
        "destination.submit.url: is not one of the allowed values (only a withdrawal's or an erasure's request, which the relay makes, names the contact)"
    );
    assert_eq!(
        refused(BY_CONTACT.replace(r#"{"email": {"$field": "email"}}"#, r#"{"email": {"$evidence": "contact"}}"#)),
        "destination.submit.body.email.$evidence: is not one of the allowed values (only a withdrawal's or an erasure's request, which the relay makes, names the contact)"
    );
    assert_eq!(
        refused(BY_CONTACT.replace(r#""runs": "receiver""#, r#""runs": "browser""#)),
        "destination.withdrawal: is not one of the allowed values (a withdrawal that names the contact or a secret is made by the relay: the destination runs \"receiver\")"
    );
    assert_eq!(
        refused(BY_CONTACT.replace(r#""contact": "email","#, "")),
        "destination.withdrawal: is required (it names the contact: the description says which field is the contact (\"contact\"))\ndestination.erasure: is required (it names the contact: the description says which field is the contact (\"contact\"))"
    );
    assert_eq!(
        refused(BY_CONTACT.replace(r#""contact": "email""#, r#""contact": "emial""#)),
        "destination.contact: is not one of the allowed values (not a field the notice declares)"
    );
    // A contact left to a setting's default that this notice lacks is no mistake of the notice's: what needs
    // it is refused with what to do by hand.
    let defaulted = BY_CONTACT.replace(
        r#""contact": "email","#,
        r#""settings": {"emailField": {"default": "work_email"}}, "contact": "{emailField}","#,
    );
    let destination = Destination::bind(&defaulted, &facts(&notice), None).expect("valid");
    assert_eq!(destination.contact, None);
    assert_eq!(
        destination.erasure,
        Afterwards::Refused(
            "the notice declares no work_email field to name the person by: delete by hand".into()
        )
    );
    assert_eq!(
        refused(BY_CONTACT.replace(",\n    \"otherwise\": \"delete by hand\"", "")),
        "destination.erasure.otherwise: is required"
    );
}
