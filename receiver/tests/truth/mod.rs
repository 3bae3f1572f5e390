//! What the controller holds is what the person did (issue 26): a withdrawal stands when what it withdraws
//! never arrived; the person's consent time decides, not arrival order; the receiver refuses fields that no
//! granted purpose justifies and values that break the notice's field rules; and receipt ids are UUIDs, so
//! that no hostile id can fail a group commit shared with genuine posts.

use super::databases::Scratch;
use super::receipts::{
    controller, demo_config, first_receipt, granting, make, notice, now, sign_submission,
    sign_submission_naming, withdrawing_newsletter, Draft, Made, ADA, NOTICE_SIGNATURE,
};
use super::records::{json, read};
use super::{acknowledged, post, receiver, send, submit, READ_TOKEN};
use axum::http::StatusCode;
use consent_capture::jose::jws::{header, signing_input};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::minimise::date::Date;
use consent_capture::notice::vocabulary::Decision;
use consent_capture::receipt::body_sha256;
use consent_capture::receipt::receipt_hash;
use consent_capture::receipt::verify::verify_acknowledgement;
use consent_capture::receipt::{principal_id, salted_email_id, TYP};
use consent_capture::{minimise, uuid_v4, Decisions, Notice};
use consent_capture_receiver::acknowledgement::acknowledge;
use consent_capture_receiver::config::{Config, KnownNotice};
use consent_capture_receiver::log::{Entry, Log};
use consent_capture_receiver::state::Receiver;
use std::sync::Arc;

fn principal_of(device: &PrivateKey) -> String {
    format!("jwk-thumbprint:{}", device.public().thumbprint())
}

async fn log_size(receiver: &Arc<Receiver>) -> i64 {
    super::at(&super::log_head(receiver).await, &["size"])
        .as_i64()
        .expect("a size")
}

/// Whether the newsletter may be used for `device`'s person now, as the read side answers it.
async fn newsletter_may_be_used(receiver: &Arc<Receiver>, device: &PrivateKey) -> bool {
    let path = format!("/records/{}/may-use?purpose=newsletter", principal_of(device));
    json(&read(receiver, "GET", &path, Some(READ_TOKEN)).await)["mayUse"]
        .as_bool()
        .expect("a yes or no")
}

pub(crate) async fn a_withdrawal_stands_when_what_it_withdraws_never_arrived_and_an_older_grant_does_not_undo_it(
    database: String,
) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([91; 32]);
    // The grant's delivery failed (or its page had no endpoint); the person then withdrew.
    let grant = first_receipt(&device, true, now() - 100, 910);
    let withdrawal = withdrawing_newsletter(&device, &grant, now() - 50, 911);
    acknowledged(&submit(&receiver, &withdrawal).await);
    assert!(!newsletter_may_be_used(&receiver, &device).await);
    // The grant arrives at last: it is stored (it is the person's), and changes nothing.
    acknowledged(&submit(&receiver, &grant).await);
    assert!(
        !newsletter_may_be_used(&receiver, &device).await,
        "withdrawn stays withdrawn"
    );
    let path = format!("/records/{}/history", principal_of(&device));
    let history = json(&read(&receiver, "GET", &path, Some(READ_TOKEN)).await);
    let late = history["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["event"] == "given")
        .expect("the grant is in the history");
    assert_eq!(late["outdatedBy"]["receiptId"], withdrawal.receipt_id.as_str());

    // A withdrawal naming a held receipt must still follow it: another device's is refused.
    let stranger = PrivateKey::ed25519_from_seed([92; 32]);
    let foreign = withdrawing_newsletter(&stranger, &grant, now() - 20, 912);
    assert_eq!(
        submit(&receiver, &foreign).await.rule(),
        (StatusCode::UNPROCESSABLE_ENTITY, "chain")
    );
}

pub(crate) async fn a_grant_signed_before_a_refusal_from_another_device_does_not_override_it(
    database: String,
) {
    let receiver = receiver(&database).await;
    // People named by device key: both receipts are the same device's here, the refusal made today and the
    // grant made days earlier, kept in its outbox while offline.
    let device = PrivateKey::ed25519_from_seed([93; 32]);
    let refusal = first_receipt(&device, false, now() - 10, 930);
    let old_grant = first_receipt(&device, true, now() - 14 * 86_400, 931);
    acknowledged(&submit(&receiver, &refusal).await);
    acknowledged(&submit(&receiver, &old_grant).await);
    assert!(!newsletter_may_be_used(&receiver, &device).await);
    let newer_grant = first_receipt(&device, true, now() - 5, 932);
    acknowledged(&submit(&receiver, &newer_grant).await);
    assert!(newsletter_may_be_used(&receiver, &device).await);
}

/// A receipt whose manifest says `company` and the hashed phone were sent, though the newsletter and ads
/// that alone justify them are refused, signed by its own device key: a device that does not minimise.
fn unjustified(device: &PrivateKey, seed: u64) -> Made {
    let notice = notice();
    let mut everything = Decisions::initial(&notice);
    everything.set("newsletter", true).expect("consent");
    everything.set("ads", true).expect("consent");
    let typed: Vec<(String, String)> = ADA
        .iter()
        .chain(&[("phone", "+44 20 7946 0958")])
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    let issued_at = now() - 5;
    let sent = minimise(&notice, &everything, &typed, Date::of_unix_seconds(issued_at));
    assert!(sent.payload.get("company").is_some() && sent.payload.get("phone").is_some());
    let draft = Draft {
        language: "en",
        decisions: granting(false),
        issued_at,
        previous: None,
        seed,
    };
    sign_submission(&notice, device, draft, Some(NOTICE_SIGNATURE.trim()), sent)
}

/// The demo submission of `device`, with what the person typed in `field` replaced by `value`.
fn typed_as(device: &PrivateKey, field: &str, value: &str, seed: u64) -> Made {
    let typed: Vec<(&str, &str)> = ADA
        .iter()
        .map(|&(name, typed)| (name, if name == field { value } else { typed }))
        .collect();
    super::receipts::make_under(
        &notice(),
        device,
        Draft {
            language: "en",
            decisions: granting(true),
            issued_at: now() - 5,
            previous: None,
            seed,
        },
        Some(NOTICE_SIGNATURE.trim()),
        &typed,
    )
}

pub(crate) async fn fields_no_granted_purpose_justifies_and_values_breaking_the_notices_rules_are_refused(
    database: String,
) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([94; 32]);
    let answer = submit(&receiver, &unjustified(&device, 940)).await;
    assert_eq!(answer.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "receipt"));
    assert_eq!(
        answer.at(&["error", "at"]).as_str(),
        Some("consentCapture.manifest[2]"),
        "company, the third field: {:?}",
        answer.json
    );
    for (field, value, seed) in [
        ("topic", "not-an-option", 941),
        ("email", "not an e-mail", 942),
        ("name", "", 943),
    ] {
        let answer = submit(&receiver, &typed_as(&device, field, value, seed)).await;
        assert_eq!(
            answer.rule(),
            (StatusCode::UNPROCESSABLE_ENTITY, "field-rule"),
            "{field}: {:?}",
            answer.json
        );
        assert_eq!(
            answer.at(&["error", "at"]).as_str(),
            Some(format!("fields.{field}").as_str())
        );
    }
    assert_eq!(log_size(&receiver).await, 0, "none of them was stored");
    acknowledged(&submit(&receiver, &typed_as(&device, "topic", "sales", 944)).await);
}

/// A receipt of `device` whose id is `id`, signed as a device would sign it.
fn with_receipt_id(device: &PrivateKey, id: &str) -> String {
    let made = make(
        device,
        Draft {
            language: "en",
            decisions: granting(true),
            issued_at: now() - 5,
            previous: None,
            seed: 950,
        },
    );
    let payload = made.receipt.split('.').nth(1).expect("a payload");
    let claims = consent_capture::jose::base64url::decode(payload).expect("base64url");
    let mut claims =
        consent_capture::json::parse(std::str::from_utf8(&claims).expect("UTF-8")).expect("JSON");
    if let consent_capture::json::Value::Object(object) = &mut claims {
        object.insert("consentReceiptID", id);
    }
    let receipt = device.sign(&signing_input(
        &header(device.algorithm(), &device.public(), TYP),
        &to_canonical_string(&claims),
    ));
    made.body.replace(&made.receipt, &receipt)
}

pub(crate) async fn a_receipt_id_that_is_not_a_uuid_is_refused_and_fails_nobody_elses_post(database: String) {
    let receiver = receiver(&database).await;
    let genuine: Vec<Made> = (0..20)
        .map(|n| {
            let device = PrivateKey::ed25519_from_seed([100 + n as u8; 32]);
            first_receipt(&device, n % 2 == 0, now() - 30, 960 + n)
        })
        .collect();
    let hostile = PrivateKey::ed25519_from_seed([99; 32]);
    let nul = with_receipt_id(&hostile, "c1befd3e-b7e5-4ea6-8688-e9a565aade21\u{0}");
    let line_break = with_receipt_id(&hostile, "c1befd3e-b7e5-4ea6-8688-e9a565a\r\nX: y");
    // All at once, so that they would share one group commit.
    let mut posts = tokio::task::JoinSet::new();
    for body in [nul, line_break] {
        let receiver = receiver.clone();
        posts.spawn(async move { (true, send(&receiver, post(body, "application/json", None)).await) });
    }
    for made in genuine {
        let receiver = receiver.clone();
        posts.spawn(async move { (false, submit(&receiver, &made).await) });
    }
    let mut refused = 0;
    while let Some(answer) = posts.join_next().await {
        match answer.expect("the post ran") {
            (true, answer) => {
                assert_eq!(answer.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "receipt"));
                assert_eq!(answer.at(&["error", "at"]).as_str(), Some("consentReceiptID"));
                refused += 1;
            }
            (false, answer) => {
                acknowledged(&answer);
            }
        }
    }
    assert_eq!(refused, 2);
    assert_eq!(log_size(&receiver).await, 20);
}

/// The demo notice naming people by a salted hash of their e-mail address, and the receiver given it (its
/// file in `scratch`, unsigned).
async fn naming_by_email(database: &str, scratch: &Scratch) -> (Notice, Arc<Receiver>) {
    let text = std::fs::read_to_string(super::receipts::DEMO_NOTICE)
        .expect("the demo notice")
        .replacen(
            r#""languages": ["en", "de", "ar"]"#,
            r#""languages": ["en", "de", "ar"], "principal": { "emailField": "email", "salt": "a-salt-of-sixteen-chars" }"#,
            1,
        );
    let notice = Notice::from_json(&text).expect("valid");
    assert!(notice.principal.is_some());
    let path = scratch.file("by-email.json", &text);
    let known = KnownNotice::load(std::path::Path::new(&path), &controller().public()).expect("loads");
    let config = Config {
        notices: vec![known],
        read_token: Some(READ_TOKEN.into()),
        ..demo_config(database)
    };
    (notice, Receiver::open(config).await.expect("the database opens"))
}

/// A submission under `notice` of `typed`, naming the person `principal` (`None`: as the element would).
pub(crate) fn as_person(
    notice: &Notice,
    device: &PrivateKey,
    decisions: Decisions,
    typed: &[(&str, &str)],
    principal: Option<&str>,
    previous: Option<&str>,
    seed: u64,
) -> Made {
    let chain = Chain { principal, previous };
    submission(notice, device, decisions, typed, chain, (seed, "en"))
}

/// A first submission under `notice` of `typed` from a form shown in `language`, naming the person as the
/// element would.
pub(crate) fn as_person_in(
    language: &str,
    notice: &Notice,
    device: &PrivateKey,
    decisions: Decisions,
    typed: &[(&str, &str)],
    seed: u64,
) -> Made {
    let chain = Chain {
        principal: None,
        previous: None,
    };
    submission(notice, device, decisions, typed, chain, (seed, language))
}

/// Whom a submission names (`None`: as the element would) and the receipt it follows.
struct Chain<'a> {
    principal: Option<&'a str>,
    previous: Option<&'a str>,
}

fn submission(
    notice: &Notice,
    device: &PrivateKey,
    decisions: Decisions,
    typed: &[(&str, &str)],
    chain: Chain<'_>,
    (seed, language): (u64, &str),
) -> Made {
    let typed: Vec<(String, String)> = typed.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    let issued_at = now() - 100 + seed as i64 % 50;
    let withdrawal = decisions.iter().any(|(_, d)| d == Decision::Withdrawn);
    let mut sent = minimise(notice, &decisions, &typed, Date::of_unix_seconds(issued_at));
    let named = chain
        .principal
        .map(str::to_owned)
        .unwrap_or_else(|| principal_id(notice, &typed, &sent.manifest, &device.public().thumbprint()));
    if withdrawal {
        sent = consent_capture::Minimised {
            payload: consent_capture::json::Object::new(),
            manifest: Default::default(),
        };
    }
    let draft = Draft {
        decisions,
        issued_at,
        previous: chain.previous,
        seed,
        language,
    };
    sign_submission_naming(notice, device, draft, None, sent, &named)
}

pub(crate) async fn a_person_named_by_email_hash_is_named_by_the_address_that_arrived(database: String) {
    let scratch = Scratch::new("by-email");
    let (notice, receiver) = naming_by_email(&database, &scratch).await;
    let victim = PrivateKey::ed25519_from_seed([110; 32]);
    let mut granted = Decisions::initial(&notice);
    granted.set("newsletter", true).expect("consent");
    let own = as_person(&notice, &victim, granted.clone(), ADA, None, None, 1100);
    acknowledged(&submit(&receiver, &own).await);
    let principal = notice.principal.as_ref().expect("named by e-mail");
    let victims_id = salted_email_id(principal, "ada@example.com");
    assert!(victims_id.starts_with("sha256:"));

    // A stranger's device names the victim while sending its own address: refused.
    let stranger = PrivateKey::ed25519_from_seed([111; 32]);
    let mallory = [
        ("name", "Mallory"),
        ("email", "mallory@example.com"),
        ("company", "Nowhere"),
        ("topic", "sales"),
    ];
    let forged = as_person(
        &notice,
        &stranger,
        Decisions::initial(&notice),
        &mallory,
        Some(&victims_id),
        None,
        1101,
    );
    let answer = submit(&receiver, &forged).await;
    assert_eq!(
        answer.rule(),
        (StatusCode::UNPROCESSABLE_ENTITY, "principal"),
        "{:?}",
        answer.json
    );
    // Or withdraws for the victim, following a receipt the receiver never saw: no address arrives, nothing
    // binds the id, refused.
    let mut withdrawn = granted.clone();
    withdrawn.withdraw("newsletter").expect("granted");
    let invented = as_person(
        &notice,
        &stranger,
        granted.clone(),
        &mallory,
        Some(&victims_id),
        None,
        1102,
    );
    let forged = as_person(
        &notice,
        &stranger,
        withdrawn.clone(),
        &mallory,
        Some(&victims_id),
        Some(&invented.receipt),
        1103,
    );
    let answer = submit(&receiver, &forged).await;
    assert_eq!(
        answer.rule(),
        (StatusCode::UNPROCESSABLE_ENTITY, "principal"),
        "{:?}",
        answer.json
    );
    // The victim's own withdrawal follows the receipt held here, which binds the id.
    let withdrawal = as_person(&notice, &victim, withdrawn, ADA, None, Some(&own.receipt), 1104);
    acknowledged(&submit(&receiver, &withdrawal).await);
    let path = format!("/records/{victims_id}/may-use?purpose=newsletter");
    let answer = json(&read(&receiver, "GET", &path, Some(READ_TOKEN)).await);
    assert_eq!(answer["mayUse"], false);
    assert_eq!(answer["restsOn"]["receiptId"], withdrawal.receipt_id.as_str());
}

/// An acknowledgement the controller's key signed of `entry`, alone in its log, with its head signed at
/// `head_time`.
fn acknowledgement_of(entry: &Entry, head_time: i64) -> String {
    let mut log = Log::new();
    log.push(entry.leaf());
    acknowledge(&controller(), entry, log.head(), &[], head_time)
}

#[test]
fn an_acknowledgement_holds_only_for_its_receipt_body_and_times() {
    let device = PrivateKey::ed25519_from_seed([120; 32]);
    let made = first_receipt(&device, true, now() - 60, 1200);
    let received = now();
    let entry = Entry {
        position: 0,
        receipt_id: made.receipt_id.clone(),
        receipt_sha256: receipt_hash(&made.receipt),
        body_sha256: body_sha256(&made.body),
        received_at: received,
    };
    let key = controller().public();
    let good = acknowledgement_of(&entry, received);
    verify_acknowledgement(&good, &made.receipt, Some(&made.body), &key).expect("it holds");
    let error = verify_acknowledgement(&good, &made.receipt, Some("{}"), &key).expect_err("another body");
    assert_eq!(error.at(), "payload.entry.bodySha256");

    let cases = [
        (
            Entry {
                receipt_id: uuid_v4([9; 16]),
                ..entry.clone()
            },
            received,
            "payload.entry.receiptId",
        ),
        (
            Entry {
                body_sha256: body_sha256("another body"),
                ..entry.clone()
            },
            received,
            "payload.entry.bodySha256",
        ),
        (
            Entry {
                received_at: 1_590_000_000, // 2020, years before the receipt was made
                ..entry.clone()
            },
            1_590_000_000,
            "payload.entry.receivedAt",
        ),
        (entry.clone(), received - 1, "payload.treeHead.time"),
    ];
    for (entry, head_time, at) in cases {
        let forged = acknowledgement_of(&entry, head_time);
        let error = verify_acknowledgement(&forged, &made.receipt, Some(&made.body), &key).expect_err(at);
        assert_eq!(error.at(), at, "{error}");
    }
}
