//! Every shipped CRM description, relayed to a loopback stand-in: the request each one's documentation
//! describes (method, encoding, authentication and version headers, where the person's data and consent go),
//! from the demo notice's settings for it. The description's own URL is checked natively (tests/destination.rs
//! reads each bound URL); here the relay sends to the stand-in instead, as `--relay NAME=URL` does.

use super::receipts::{first_receipt, now, withdrawing_newsletter};
use super::relay::{body, described_with, erasure_rows, relay_rows, settled, Behaviour, Seen, StandIn};
use super::{relaying_receiver, send, submit, READ_TOKEN};
use axum::body::Body;
use axum::http::Request;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::minimise::date::iso8601;
use consent_capture_receiver::state::Receiver;
use serde_json::{json, Value as Json};
use std::sync::Arc;

/// A form body's pairs, decoded.
fn form(seen: &Seen) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let spaced = text.replace('+', " ");
        let bytes = spaced.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("UTF-8")
    };
    seen.body
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (decode(name), decode(value)))
        .collect()
}

fn pair(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
}

const FORM: &str = "application/x-www-form-urlencoded";

pub(crate) async fn every_shipped_crm_gets_the_request_its_documentation_describes(database: String) {
    let issued_at = now() - 60;
    let iso = iso8601(issued_at);
    let secret = |name: &str, value: &str| vec![(name.to_owned(), value.to_owned())];
    // (description, its secrets, what its documentation says the request is)
    type Check = Box<dyn Fn(&Seen, &str, &str)>;
    type Crm = (&'static str, Vec<(String, String)>, Check);
    let crms: Vec<Crm> = vec![
        (
            "klaviyo",
            secret("apiKey", "pk_demo"),
            Box::new(move |seen, _, _| {
                assert_eq!(seen.header("authorization"), "klaviyo-api-key pk_demo");
                assert_eq!(seen.header("revision"), "2024-10-15");
                assert_eq!(seen.header("content-type"), "application/vnd.api+json");
                let given = body(seen);
                assert_eq!(given["data"]["type"], "profile-subscription-bulk-create-job");
                let profile = &given["data"]["attributes"]["profiles"]["data"][0];
                assert_eq!(profile["type"], "profile");
                assert_eq!(profile["attributes"]["email"], "ada@example.com");
                let marketing = &profile["attributes"]["subscriptions"]["email"]["marketing"];
                assert_eq!(marketing["consent"], "SUBSCRIBED");
                assert_eq!(marketing["consented_at"], iso.as_str());
                assert_eq!(given["data"]["attributes"]["historical_import"], true);
                assert_eq!(
                    given["data"]["relationships"]["list"]["data"],
                    json!({"type": "list", "id": "Y6nRLr"})
                );
            }),
        ),
        (
            "mailchimp-form",
            Vec::new(),
            Box::new(|seen, _, _| {
                assert_eq!(seen.content_type, FORM);
                let pairs = form(seen);
                assert_eq!(pair(&pairs, "EMAIL").as_deref(), Some("ada@example.com"));
                assert_eq!(pair(&pairs, "FNAME").as_deref(), Some("Ada Lovelace"));
                assert_eq!(pair(&pairs, "COMPANY").as_deref(), Some("Engines"));
                assert_eq!(
                    pair(&pairs, "gdpr[13]").as_deref(),
                    Some("Y"),
                    "the marketing permission, ticked"
                );
                assert_eq!(pair(&pairs, "topic"), None, "only the fields the settings map");
            }),
        ),
        (
            "mailchimp",
            secret("basicAuth", "YW55OmtleS11czIx"),
            Box::new(|seen, _, _| {
                assert_eq!(seen.header("authorization"), "basic yw55omtles11czix");
                assert_eq!(seen.content_type, "application/json");
                let given = body(seen);
                assert_eq!(given["update_existing"], true);
                let member = &given["members"][0];
                assert_eq!(member["email_address"], "ada@example.com");
                assert_eq!(
                    member["status"], "pending",
                    "double opt-in: Mailchimp mails the confirmation"
                );
                assert_eq!(
                    member["merge_fields"],
                    json!({"FNAME": "Ada Lovelace", "COMPANY": "Engines"})
                );
                assert_eq!(
                    member["marketing_permissions"],
                    json!([{"marketing_permission_id": "f3c0a6e1b2", "enabled": true}])
                );
            }),
        ),
        (
            "brevo",
            secret("apiKey", "xkeysib-demo"),
            Box::new(|seen, _, _| {
                assert_eq!(seen.header("api-key"), "xkeysib-demo");
                let given = body(seen);
                assert_eq!(given["email"], "ada@example.com");
                assert_eq!(given["updateEnabled"], true);
                assert_eq!(
                    given["listIds"],
                    json!([7]),
                    "the list the granted newsletter maps to"
                );
                assert_eq!(
                    given["attributes"],
                    json!({"FIRSTNAME": "Ada Lovelace", "COMPANY": "Engines"})
                );
            }),
        ),
        (
            "pipedrive",
            secret("apiToken", "pd-demo"),
            Box::new(|seen, _, _| {
                assert_eq!(seen.header("x-api-token"), "pd-demo");
                let given = body(seen);
                assert_eq!(given["name"], "Ada Lovelace");
                assert_eq!(
                    given["email"],
                    json!([{"value": "ada@example.com", "primary": true, "label": "work"}])
                );
                assert_eq!(given["marketing_status"], "subscribed");
            }),
        ),
        (
            "zoho",
            Vec::new(),
            Box::new(|seen, receipt_id, _| {
                assert_eq!(seen.content_type, FORM);
                let pairs = form(seen);
                assert_eq!(pair(&pairs, "xnQsjsdp").as_deref(), Some("0e8f1b2c3d4e5f60"));
                assert_eq!(pair(&pairs, "xmIwtLD").as_deref(), Some("9a8b7c6d5e4f3a2b1c0d"));
                assert_eq!(
                    pair(&pairs, "actionType").as_deref(),
                    Some("TGVhZHM="),
                    "Leads, as Zoho's forms write it"
                );
                assert_eq!(pair(&pairs, "Last Name").as_deref(), Some("Ada Lovelace"));
                assert_eq!(pair(&pairs, "Email").as_deref(), Some("ada@example.com"));
                assert_eq!(pair(&pairs, "LEADCF1").as_deref(), Some("true"));
                assert_eq!(pair(&pairs, "LEADCF2").as_deref(), Some(receipt_id));
            }),
        ),
        (
            "activecampaign",
            Vec::new(),
            Box::new(|seen, _, _| {
                let pairs = form(seen);
                assert_eq!(pair(&pairs, "u").as_deref(), Some("5"));
                assert_eq!(pair(&pairs, "act").as_deref(), Some("sub"));
                assert_eq!(pair(&pairs, "v").as_deref(), Some("2"));
                assert_eq!(pair(&pairs, "email").as_deref(), Some("ada@example.com"));
                assert_eq!(pair(&pairs, "fullname").as_deref(), Some("Ada Lovelace"));
                assert_eq!(pair(&pairs, "nlbox[]").as_deref(), Some("3"));
            }),
        ),
        (
            "pardot",
            Vec::new(),
            Box::new(|seen, receipt_id, _| {
                let pairs = form(seen);
                assert_eq!(pair(&pairs, "email").as_deref(), Some("ada@example.com"));
                assert_eq!(pair(&pairs, "last_name").as_deref(), Some("Ada Lovelace"));
                assert_eq!(pair(&pairs, "newsletter_opt_in").as_deref(), Some("true"));
                assert_eq!(pair(&pairs, "consent_receipt").as_deref(), Some(receipt_id));
            }),
        ),
        (
            "segment",
            Vec::new(),
            Box::new(move |seen, receipt_id, principal| {
                let iso = iso8601(issued_at);
                let given = body(seen);
                assert_eq!(given["writeKey"], "SEGMENT_WRITE_KEY");
                assert_eq!(given["userId"], principal);
                assert_eq!(
                    given["messageId"], receipt_id,
                    "Segment drops a repeated messageId"
                );
                assert_eq!(given["timestamp"], iso.as_str());
                assert_eq!(
                    given["traits"],
                    json!({"name": "Ada Lovelace", "email": "ada@example.com", "company": "Engines", "topic": "sales"}),
                    "every field that left, under its own name where the settings do not rename it"
                );
                assert_eq!(
                    given["context"]["consent"]["categoryPreferences"],
                    json!({"Newsletter": true, "Advertising": false})
                );
            }),
        ),
        (
            "intercom",
            secret("accessToken", "ic-demo"),
            Box::new(|seen, _, _| {
                assert_eq!(seen.header("authorization"), "bearer ic-demo");
                assert_eq!(seen.header("intercom-version"), "2.11");
                let given = body(seen);
                assert_eq!(given["role"], "lead");
                assert_eq!(given["email"], "ada@example.com");
                assert_eq!(
                    given["unsubscribed_from_emails"], false,
                    "consent given: not unsubscribed"
                );
                assert_eq!(given["custom_attributes"], json!({"company_name": "Engines"}));
            }),
        ),
        (
            "freshsales",
            secret("apiKey", "fs-demo"),
            Box::new(|seen, _, _| {
                assert_eq!(seen.header("authorization"), "token token=fs-demo");
                let given = body(seen);
                assert_eq!(given["unique_identifier"], json!({"emails": "ada@example.com"}));
                assert_eq!(given["contact"]["first_name"], "Ada Lovelace");
                assert_eq!(
                    given["contact"]["custom_field"],
                    json!({"cf_newsletter_consent": true})
                );
            }),
        ),
        (
            "marketo",
            secret("accessToken", "mk-demo"),
            Box::new(|seen, _, _| {
                assert_eq!(seen.header("authorization"), "bearer mk-demo");
                let given = body(seen);
                assert_eq!(given["action"], "createOrUpdate");
                assert_eq!(given["lookupField"], "email");
                assert_eq!(given["input"][0]["email"], "ada@example.com");
                assert_eq!(given["input"][0]["firstName"], "Ada Lovelace");
                assert_eq!(given["input"][0]["newsletterConsent"], true);
            }),
        ),
    ];
    for (seed, (name, secrets, check)) in (0u8..).zip(crms) {
        let stand_in = StandIn::start(|_| Behaviour::Answer(200)).await;
        let receiver = relaying_receiver(&database, described_with(name, &stand_in, secrets)).await;
        let device = PrivateKey::ed25519_from_seed([170 + seed; 32]);
        let made = first_receipt(&device, true, issued_at, 1_700 + u64::from(seed));
        assert_eq!(submit(&receiver, &made).await.status, 200, "{name}");
        settled(&receiver).await;
        let taken = stand_in.taken();
        assert_eq!(taken.len(), 1, "{name}: one request");
        assert_eq!(taken[0].method(), "post", "{name}");
        assert_eq!(
            taken[0].key, made.receipt_id,
            "{name}: the receipt id as Idempotency-Key"
        );
        let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
        check(&taken[0], &made.receipt_id, &principal);
        drop(receiver);
    }
}

/// Erases `principal`'s data through the read API, and waits for the relay.
async fn erase(receiver: &Arc<Receiver>, principal: &str) {
    let request = Request::post(format!("/records/{principal}/erase"))
        .header("authorization", format!("Bearer {READ_TOKEN}"))
        .body(Body::empty())
        .expect("a request");
    assert_eq!(send(receiver, request).await.status, 200);
    settled(receiver).await;
}

pub(crate) async fn a_subscription_not_granted_sends_nothing_and_a_withdrawal_goes_as_its_description_says(
    database: String,
) {
    // Klaviyo's subscription is sent only when the newsletter is granted: refused, nothing leaves.
    let stand_in = StandIn::start(|_| Behaviour::Answer(200)).await;
    let secrets = vec![("apiKey".to_owned(), "pk_demo".to_owned())];
    let receiver = relaying_receiver(&database, described_with("klaviyo", &stand_in, secrets.clone())).await;
    let refusing = first_receipt(
        &PrivateKey::ed25519_from_seed([190; 32]),
        false,
        now() - 30,
        1_800,
    );
    assert_eq!(submit(&receiver, &refusing).await.status, 200);
    settled(&receiver).await;
    assert_eq!(stand_in.tries(), 0, "nothing was sent");
    let delivered = relay_rows(&receiver, "delivered").await;
    let outcome = delivered
        .iter()
        .find(|row| row["receiptId"] == refusing.receipt_id.as_str())
        .map(|row| row["outcome"].clone());
    assert_eq!(
        outcome,
        Some(Json::from(
            "nothing sent: its destination sends nothing for this record"
        ))
    );
    // Its withdrawal names the profile by the address an earlier record sent: Klaviyo's unsubscribe job.
    let device = PrivateKey::ed25519_from_seed([191; 32]);
    let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
    let granted = first_receipt(&device, true, now() - 20, 1_801);
    let withdrawal = withdrawing_newsletter(&device, &granted, now() - 10, 1_802);
    for made in [&granted, &withdrawal] {
        assert_eq!(submit(&receiver, made).await.status, 200);
        settled(&receiver).await;
    }
    let taken = stand_in.taken();
    assert_eq!(taken.len(), 2, "the subscription, then the unsubscription");
    let unsubscribe = &taken[1];
    assert_eq!(unsubscribe.path, "/api/profile-subscription-bulk-delete-jobs");
    assert_eq!(unsubscribe.key, withdrawal.receipt_id);
    assert_eq!(unsubscribe.header("authorization"), "klaviyo-api-key pk_demo");
    assert_eq!(unsubscribe.header("revision"), "2024-10-15");
    let given = body(unsubscribe);
    assert_eq!(given["data"]["type"], "profile-subscription-bulk-delete-job");
    let profile = &given["data"]["attributes"]["profiles"]["data"][0]["attributes"];
    assert_eq!(profile["email"], "ada@example.com");
    assert_eq!(
        profile["subscriptions"]["email"]["marketing"]["consent"],
        "UNSUBSCRIBED"
    );
    assert_eq!(given["data"]["relationships"]["list"]["data"]["id"], "Y6nRLr");
    // Its erasure: Klaviyo's Data Privacy deletion job for that address, which the erasure then forgets.
    erase(&receiver, &principal).await;
    let taken = stand_in.taken();
    assert_eq!(taken.len(), 3, "and the deletion job");
    assert_eq!(taken[2].path, "/api/data-privacy-deletion-jobs");
    assert_eq!(taken[2].header("authorization"), "klaviyo-api-key pk_demo");
    assert_eq!(
        body(&taken[2]),
        json!({"data": {"type": "data-privacy-deletion-job", "attributes": {"profile": {"data": {
            "type": "profile", "attributes": {"email": "ada@example.com"}}}}}})
    );
    assert_eq!(erasure_rows(&receiver, "delivered").await.len(), 1);
    // A withdrawal after the erasure: no address is held to name the profile by, so it is refused with what
    // to do by hand, and nothing is sent.
    let again = withdrawing_newsletter(&device, &granted, now() - 5, 1_805);
    assert_eq!(submit(&receiver, &again).await.status, 200);
    settled(&receiver).await;
    assert_eq!(stand_in.tries(), 3);
    let refused = relay_rows(&receiver, "refused").await;
    let why = refused
        .iter()
        .find(|row| row["receiptId"] == again.receipt_id.as_str())
        .and_then(|row| row["outcome"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        why.contains("unsubscribe the profile in Klaviyo by hand"),
        "{refused:?}"
    );
    drop(receiver);

    // Brevo's withdrawal takes the contact off the lists of the withdrawn consents, by address in the path.
    let stand_in = StandIn::start(|_| Behaviour::Answer(200)).await;
    let secrets = vec![("apiKey".to_owned(), "xkeysib-demo".to_owned())];
    let receiver = relaying_receiver(&database, described_with("brevo", &stand_in, secrets)).await;
    let device = PrivateKey::ed25519_from_seed([193; 32]);
    let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
    let granted = first_receipt(&device, true, now() - 20, 1_806);
    let withdrawal = withdrawing_newsletter(&device, &granted, now() - 10, 1_807);
    for made in [&granted, &withdrawal] {
        assert_eq!(submit(&receiver, made).await.status, 200);
        settled(&receiver).await;
    }
    let taken = stand_in.taken();
    assert_eq!(taken.len(), 2);
    assert_eq!(taken[1].method(), "put");
    assert_eq!(taken[1].path, "/v3/contacts/ada%40example.com");
    assert_eq!(taken[1].header("api-key"), "xkeysib-demo");
    assert_eq!(body(&taken[1]), json!({"unlinkListIds": [7]}));
    // Brevo deletes only by DELETE, which descriptions do not make: the erasure is refused with what to do.
    erase(&receiver, &principal).await;
    assert_eq!(stand_in.tries(), 2);
    let refused = erasure_rows(&receiver, "refused").await;
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0]["outcome"]
            .as_str()
            .unwrap_or_default()
            .contains("delete the contact in Brevo"),
        "{refused:?}"
    );
    drop(receiver);

    // Segment's identify names the person by the receipt's principal: its withdrawal goes as a submission
    // does, without a field, with the category refused.
    let stand_in = StandIn::start(|_| Behaviour::Answer(200)).await;
    let receiver = relaying_receiver(&database, described_with("segment", &stand_in, Vec::new())).await;
    let device = PrivateKey::ed25519_from_seed([192; 32]);
    let granted = first_receipt(&device, true, now() - 20, 1_803);
    let withdrawal = withdrawing_newsletter(&device, &granted, now() - 10, 1_804);
    for made in [&granted, &withdrawal] {
        assert_eq!(submit(&receiver, made).await.status, 200);
        settled(&receiver).await;
    }
    let taken = stand_in.taken();
    assert_eq!(taken.len(), 2);
    let withdrawn = body(&taken[1]);
    assert_eq!(taken[1].key, withdrawal.receipt_id);
    assert_eq!(withdrawn["traits"], json!({}), "a withdrawal carries no data");
    assert_eq!(
        withdrawn["context"]["consent"]["categoryPreferences"]["Newsletter"],
        false
    );
    assert_eq!(withdrawn["userId"], body(&taken[0])["userId"]);
}
