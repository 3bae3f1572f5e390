//! The receiver through its router: what it accepts and acknowledges, what it refuses and why, and a log that
//! survives a restart and proves inclusion and consistency, the offline audit (`audit/`), faults
//! (`faults/`), the read side (`records/`) and the relay to a CRM (`relay/`). Every scenario runs on a real SQLite file and on a
//! real PostgreSQL server. Receipts are built and signed natively with the component's own code, as the
//! element would.

mod audit;
mod confirmation;
mod connections;
mod databases;
mod destinations;
mod faults;
mod receipts;
mod records;
mod relay;
mod startup;
mod truth;
mod witnessed_log;
mod witnessing;

use audit::{
    a_kept_head_catches_a_log_rewritten_and_signed_again,
    an_audit_passes_on_an_untouched_log_and_names_the_first_record_a_change_breaks,
    the_audit_command_exits_0_when_the_log_matches_and_1_naming_the_record_otherwise,
    the_audit_reads_a_copy_as_it_is_and_refuses_a_view_in_place_of_a_table,
    the_audit_recomputes_every_table_an_answer_comes_from,
};
use confirmation::double_opt_in_counts_a_grant_only_once_the_address_is_confirmed_by_a_mailed_link;
use consent_capture::jose::jws::{header, signing_input};
use consent_capture::notice::signature::{payload as notice_payload, TYP as NOTICE_TYP};
use databases::{Postgres, Scratch};
use destinations::{
    a_subscription_not_granted_sends_nothing_and_a_withdrawal_goes_as_its_description_says,
    every_shipped_crm_gets_the_request_its_documentation_describes,
};
use faults::a_receiver_killed_in_the_middle_of_a_load_keeps_every_acknowledged_receipt_once;
use receipts::{
    controller, demo_config, first_receipt, granting, make, make_carrying, notice, now,
    withdrawing_newsletter, Draft, Made,
};
use records::{
    a_person_proving_the_device_key_reads_and_erases_what_it_signed,
    a_persons_export_comes_a_page_at_a_time_and_never_splits_a_consent_record,
    a_persons_records_come_a_bounded_page_at_a_time,
    erasure_deletes_a_persons_payloads_for_good_and_the_log_still_audits,
    erasures_in_a_loop_compact_once_a_gap_and_leave_posts_answered,
    records_from_before_the_payloads_table_are_completed_when_a_receiver_starts,
    the_iso_27560_export_expands_offline_with_every_mandatory_field,
    the_read_side_answers_only_with_its_token_state_history_and_may_use,
    the_records_command_reads_exports_and_erases,
};
use relay::{
    a_consent_taken_back_before_it_was_relayed_reaches_the_crm_without_what_it_justified,
    a_record_refused_for_good_is_sent_again_after_the_crm_is_fixed,
    a_record_the_crm_never_answers_is_given_up_after_30_days_and_holds_nobody_back,
    an_erasure_reaches_the_crm_after_the_persons_records,
    hubspot_deletes_an_erased_contact_by_address_and_the_erasure_keeps_no_address,
    hubspot_gets_consent_options_and_what_is_refused_is_kept_with_why,
    the_relay_delivers_each_record_once_and_in_order_through_failures,
};
use truth::{
    a_grant_signed_before_a_refusal_from_another_device_does_not_override_it,
    a_person_named_by_email_hash_is_named_by_the_address_that_arrived,
    a_receipt_id_that_is_not_a_uuid_is_refused_and_fails_nobody_elses_post,
    a_withdrawal_stands_when_what_it_withdraws_never_arrived_and_an_older_grant_does_not_undo_it,
    fields_no_granted_purpose_justifies_and_values_breaking_the_notices_rules_are_refused,
};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use consent_capture::jose::base64url;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{parse, Object, Value};
use consent_capture::receipt::receipt_hash;
use consent_capture::receipt::verify::{verify_acknowledgement, verify_jws};
use consent_capture_receiver::client_address::Cidr;
use consent_capture_receiver::config::{Config, Limits};
use consent_capture_receiver::log::{verify_consistency, verify_inclusion, Entry, Head};
use consent_capture_receiver::relay_target::RelayTarget;
use consent_capture_receiver::server::router;
use consent_capture_receiver::state::Receiver;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tower::ServiceExt as _;

/// The read side's token in every test receiver.
const READ_TOKEN: &str = "a-test-read-token-of-forty-two-characters!";

async fn receiver(database: &str) -> Arc<Receiver> {
    limited_receiver(database, Limits::default()).await
}

async fn limited_receiver(database: &str, limits: Limits) -> Arc<Receiver> {
    configured_receiver(database, limits, None).await
}

async fn relaying_receiver(database: &str, relay: RelayTarget) -> Arc<Receiver> {
    configured_receiver(database, Limits::default(), Some(relay)).await
}

async fn configured_receiver(database: &str, limits: Limits, relay: Option<RelayTarget>) -> Arc<Receiver> {
    let config = Config {
        allowed_origins: vec!["https://site.example".into()],
        limits,
        read_token: Some(READ_TOKEN.into()),
        relay,
        ..demo_config(database)
    };
    Receiver::open(config).await.expect("the database opens")
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
}

impl Answer {
    fn at(&self, path: &[&str]) -> &Value {
        path.iter().fold(&self.json, |v, key| {
            v.as_object().and_then(|o| o.get(key)).unwrap_or(&Value::Null)
        })
    }

    fn rule(&self) -> (StatusCode, &str) {
        (
            self.status,
            self.at(&["error", "rule"]).as_str().unwrap_or_default(),
        )
    }
}

async fn send(receiver: &Arc<Receiver>, request: Request<Body>) -> Answer {
    send_to(&router(receiver.clone()), request).await
}

/// The peer address a request comes from, unless it names one (the rate limit is per address).
const PEER: ([u8; 4], u16) = ([127, 0, 0, 1], 50_000);

async fn send_to(router: &Router, mut request: Request<Body>) -> Answer {
    if request.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(PEER)));
    }
    let response = router.clone().oneshot(request).await.expect("an answer");
    let headers = response.headers().clone();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
    Answer {
        status,
        headers,
        json: parse(&text).unwrap_or(Value::String(text)),
    }
}

fn post(body: impl Into<Body>, content_type: &str, key: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/receipts").header("content-type", content_type);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.body(body.into()).expect("a request")
}

async fn submit(receiver: &Arc<Receiver>, made: &Made) -> Answer {
    send(receiver, post(made.body.clone(), "application/json", None)).await
}

/// The acknowledgement's payload, its signature checked with the controller's public key.
fn acknowledged(answer: &Answer) -> Value {
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    let jws = answer
        .at(&["acknowledgement"])
        .as_str()
        .expect("an acknowledgement");
    let compact = verify_jws(jws, Some(&controller().public())).expect("signed by the controller");
    assert_eq!(
        compact.header.get("typ").and_then(Value::as_str),
        Some("consent-acknowledgement+jws")
    );
    parse(&payload_text(&compact.payload)).expect("JSON")
}

/// The log's head as `GET /log/head` signs it: the payload, its signature checked with the controller's key.
async fn log_head(receiver: &Arc<Receiver>) -> Value {
    let answer = send(
        receiver,
        Request::get("/log/head").body(Body::empty()).expect("request"),
    )
    .await;
    let jws = answer.at(&["head"]).as_str().expect("a signed head");
    let compact = verify_jws(jws, Some(&controller().public())).expect("signed by the controller");
    parse(&payload_text(&compact.payload)).expect("JSON")
}

fn payload_text(payload: &[u8]) -> String {
    String::from_utf8(payload.to_vec()).expect("UTF-8")
}

fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(value, |v, key| {
        v.as_object().and_then(|o| o.get(key)).unwrap_or(&Value::Null)
    })
}

fn head_of(payload: &Value) -> Head {
    let root =
        base64url::decode(at(payload, &["treeHead", "rootHash"]).as_str().expect("root")).expect("b64");
    Head {
        size: at(payload, &["treeHead", "size"]).as_i64().expect("size") as u64,
        root: root.try_into().expect("32 bytes"),
    }
}

fn hashes(value: &Value) -> Vec<[u8; 32]> {
    value
        .as_array()
        .expect("an array of hashes")
        .iter()
        .map(|h| {
            base64url::decode(h.as_str().expect("text"))
                .expect("b64")
                .try_into()
                .expect("32 bytes")
        })
        .collect()
}

async fn a_receipt_is_acknowledged_with_its_log_entry_head_and_inclusion_proof_and_a_retry_gets_the_same(
    database: String,
) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([1; 32]);
    let first = first_receipt(&device, true, now() - 60, 1);
    let answer = submit(&receiver, &first).await;
    let payload = acknowledged(&answer);
    assert_eq!(
        at(&payload, &["entry", "receiptSha256"]).as_str(),
        Some(receipt_hash(&first.receipt).as_str())
    );
    assert_eq!(at(&payload, &["entry", "position"]).as_i64(), Some(0));
    assert_eq!(head_of(&payload).size, 1);
    // The component's own verifier (the CLI's, the browser's) checks it with the receipt it acknowledges.
    let jws = answer.at(&["acknowledgement"]).as_str().expect("a JWS");
    let checked = verify_acknowledgement(jws, &first.receipt, Some(&first.body), &controller().public())
        .expect("it verifies");
    assert_eq!((checked.position, checked.head_size), (0, 1));
    let other = first_receipt(&device, false, now() - 50, 99);
    let error = verify_acknowledgement(jws, &other.receipt, None, &controller().public())
        .expect_err("not its receipt");
    assert_eq!(error.at(), "payload.entry.receiptSha256");
    let stranger = PrivateKey::ed25519_from_seed([77; 32]).public();
    let error = verify_acknowledgement(jws, &first.receipt, None, &stranger).expect_err("not that key");
    assert_eq!(error.at(), "header.jwk");

    let again = submit(&receiver, &first).await;
    assert_eq!(again.json, answer.json, "a retry gets the same acknowledgement");
    // The receipt names the hash of its fields: the same receipt with other values is refused as such, and
    // never stored ahead of the genuine body (issue 27, finding 8).
    let changed = first.body.replace("Ada Lovelace", "Ada King");
    let refused = send(&receiver, post(changed, "application/json", None)).await;
    assert_eq!(refused.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "fields-hash"));

    let second = make(
        &device,
        Draft {
            language: "en",
            decisions: granting(false),
            issued_at: now() - 30,
            previous: Some(&first.receipt),
            seed: 2,
        },
    );
    let payload = acknowledged(&submit(&receiver, &second).await);
    let head = head_of(&payload);
    assert_eq!(head.size, 2);
    let entry = Entry {
        position: 1,
        receipt_id: at(&payload, &["entry", "receiptId"])
            .as_str()
            .expect("id")
            .to_owned(),
        receipt_sha256: receipt_hash(&second.receipt),
        body_sha256: consent_capture::receipt::body_sha256(&second.body),
        received_at: at(&payload, &["entry", "receivedAt"]).as_i64().expect("time"),
    };
    let proof = hashes(at(&payload, &["inclusionProof"]));
    assert!(
        verify_inclusion(head, &entry.leaf(), 1, &proof),
        "the entry is in the signed head"
    );
    assert!(
        !verify_inclusion(head, &entry.leaf(), 0, &proof),
        "and at its own position only"
    );

    // After a restart the log is rebuilt from the database, and the heads a person kept are consistent with it.
    drop(receiver);
    let restarted = self::receiver(&database).await;
    let consistency = send(
        &restarted,
        Request::get("/log/consistency?from=1")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    let signed_head = consistency.at(&["head"]).as_str().expect("a signed head");
    let compact = verify_jws(signed_head, Some(&controller().public())).expect("signed by the controller");
    let new_head = parse(&payload_text(&compact.payload)).expect("JSON");
    let new_head = Head {
        size: at(&new_head, &["size"]).as_i64().expect("size") as u64,
        root: base64url::decode(at(&new_head, &["rootHash"]).as_str().expect("root"))
            .expect("b64")
            .try_into()
            .expect("32"),
    };
    assert_eq!(new_head, head, "the same log after a restart");
    let first_head = head_of(&acknowledged(&answer));
    assert!(verify_consistency(
        first_head,
        new_head,
        &hashes(consistency.at(&["proof"]))
    ));
}

async fn a_body_with_more_or_less_than_the_receipt_says_left_the_browser_is_refused_and_not_stored(
    database: String,
) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([2; 32]);
    // The newsletter is refused, so the company (which only it justifies) must not arrive.
    let made = first_receipt(&device, false, now(), 3);
    let body = parse(&made.body).expect("JSON");
    let with_fields = |fields: Object| {
        to_canonical_string(&Value::Object(
            Object::new()
                .with("fields", fields)
                .with("receipt", made.receipt.as_str()),
        ))
    };
    let fields = at(&body, &["fields"]).as_object().expect("fields").clone();
    let extra = with_fields(fields.clone().with("company", "Engines"));
    let refused = send(&receiver, post(extra, "application/json", None)).await;
    assert_eq!(refused.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "fields"));
    assert_eq!(refused.at(&["error", "at"]).as_str(), Some("fields.company"));
    let mut fewer = Object::new();
    for (name, value) in fields.iter().filter(|(name, _)| *name != "email") {
        fewer.insert(name, value.clone());
    }
    let missing = send(&receiver, post(with_fields(fewer), "application/json", None)).await;
    assert_eq!(missing.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "fields"));
    assert_eq!(missing.at(&["error", "at"]).as_str(), Some("fields.email"));
    acknowledged(&submit(&receiver, &made).await);
    assert_eq!(
        at(&log_head(&receiver).await, &["size"]).as_i64(),
        Some(1),
        "only the good one is stored"
    );
}

async fn bad_receipts_times_bodies_and_headers_get_their_rule_and_where(database: String) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([3; 32]);
    let good = first_receipt(&device, true, now(), 4);

    // The demo notice is signed: a receipt must carry the controller's signature of it, no other.
    let draft = |seed| Draft {
        language: "en",
        decisions: granting(true),
        issued_at: now(),
        previous: None,
        seed,
    };
    let unsigned = make_carrying(&device, draft(40), None);
    let answer = submit(&receiver, &unsigned).await;
    assert_eq!(answer.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "receipt"));
    assert_eq!(
        answer.at(&["error", "at"]).as_str(),
        Some("consentCapture.noticeSignature")
    );
    let stranger = PrivateKey::ed25519_from_seed([66; 32]);
    let header = header(stranger.algorithm(), &stranger.public(), NOTICE_TYP);
    let forged = stranger.sign(&signing_input(&header, &notice_payload(&notice())));
    let answer = submit(&receiver, &make_carrying(&device, draft(41), Some(&forged))).await;
    assert_eq!(answer.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "receipt"));
    assert_eq!(
        answer.at(&["error", "at"]).as_str(),
        Some("consentCapture.noticeSignature")
    );

    // One signature character changed (never to itself: signatures differ from run to run).
    let mut changed = good.receipt.clone().into_bytes();
    let index = changed.len() - 10;
    changed[index] = if changed[index] == b'A' { b'B' } else { b'A' };
    let changed = String::from_utf8(changed).expect("ASCII");
    let tampered = good.body.replace(&good.receipt, &changed);
    let answer = send(&receiver, post(tampered, "application/json", None)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(matches!(answer.rule().1, "receipt"), "{:?}", answer.json);

    let future = first_receipt(&device, true, now() + 3_600, 5);
    assert_eq!(
        submit(&receiver, &future).await.rule(),
        (StatusCode::UNPROCESSABLE_ENTITY, "issued-in-the-future")
    );
    let old = first_receipt(&device, true, now() - 40 * 86_400, 6);
    assert_eq!(
        submit(&receiver, &old).await.rule(),
        (StatusCode::UNPROCESSABLE_ENTITY, "too-old")
    );

    let wrong_key = send(
        &receiver,
        post(good.body.clone(), "application/json", Some("another-id")),
    )
    .await;
    assert_eq!(wrong_key.rule(), (StatusCode::BAD_REQUEST, "idempotency-key"));
    let text = send(&receiver, post(good.body.clone(), "text/plain", None)).await;
    assert_eq!(text.rule(), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "content-type"));
    let huge = format!(
        "{{\"fields\":{{\"name\":\"{}\"}},\"receipt\":\"x\"}}",
        "a".repeat(300 * 1024)
    );
    let too_large = send(&receiver, post(huge, "application/json", None)).await;
    assert_eq!(
        too_large.rule(),
        (StatusCode::PAYLOAD_TOO_LARGE, "body-too-large")
    );
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        send(&receiver, post(deep, "application/json", None)).await.rule(),
        (StatusCode::BAD_REQUEST, "body")
    );
    let unknown = send(
        &receiver,
        post(
            good.body.replace("\"fields\"", "\"extra\":1,\"fields\""),
            "application/json",
            None,
        ),
    )
    .await;
    assert_eq!(unknown.rule(), (StatusCode::BAD_REQUEST, "body"));
    // The body's copy of the decisions must be what the receipt signs; without one the receipt alone speaks.
    assert!(good.body.starts_with("{\"decisions\":[") && good.body.contains("\"decision\":\"granted\""));
    let changed = send(
        &receiver,
        post(
            good.body
                .replacen("\"decision\":\"granted\"", "\"decision\":\"denied\"", 1),
            "application/json",
            None,
        ),
    )
    .await;
    assert_eq!(changed.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "decisions"));

    // A receipt for a notice this receiver was not given.
    let mut other = first_receipt(&device, true, now(), 7);
    let payload = other.receipt.split('.').nth(1).expect("payload").to_owned();
    let claims = String::from_utf8(base64url::decode(&payload).expect("b64")).expect("UTF-8");
    let hash = at(
        &parse(&claims).expect("JSON"),
        &["consentCapture", "noticeSha256"],
    )
    .as_str()
    .expect("hash")
    .to_owned();
    let forged = claims.replace(&hash, &"A".repeat(43));
    let forged = device.sign(&format!(
        "{}.{}",
        other.receipt.split('.').next().expect("header"),
        base64url::encode(forged.as_bytes())
    ));
    other.body = other.body.replace(&other.receipt, &forged);
    assert_eq!(
        submit(&receiver, &other).await.rule(),
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown-notice")
    );

    acknowledged(&submit(&receiver, &good).await);
}

async fn a_field_value_longer_than_its_notice_or_the_receiver_allows_is_refused_and_not_stored(
    database: String,
) {
    // This receiver takes values of up to 150 characters; the demo notice lets a company have 100.
    let limits = Limits {
        field_chars: 150,
        ..Limits::default()
    };
    let receiver = limited_receiver(&database, limits).await;
    let device = PrivateKey::ed25519_from_seed([140; 32]);
    let draft = |seed| Draft {
        language: "en",
        decisions: granting(true),
        issued_at: now() - 10,
        previous: None,
        seed,
    };
    let signature = Some(receipts::NOTICE_SIGNATURE.trim());
    let refused = |answer: &Answer, field: &str, most: &str| {
        assert_eq!(
            answer.rule(),
            (StatusCode::UNPROCESSABLE_ENTITY, "field-too-long"),
            "{:?}",
            answer.json
        );
        assert_eq!(answer.at(&["error", "at"]).as_str(), Some(field));
        let message = answer
            .at(&["error", "message"])
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(message.contains(most), "{message}");
    };
    let long_company = "E".repeat(101);
    let at_company = |company| {
        [
            receipts::ADA[0],
            receipts::ADA[1],
            ("company", company),
            receipts::ADA[3],
        ]
    };
    let typed = at_company(long_company.as_str());
    let long = receipts::make_under(&notice(), &device, draft(1400), signature, &typed);
    refused(
        &submit(&receiver, &long).await,
        "fields.company",
        "100 characters",
    );
    let long_name = "A".repeat(151);
    let typed = [
        ("name", long_name.as_str()),
        receipts::ADA[1],
        receipts::ADA[2],
        receipts::ADA[3],
    ];
    let long = receipts::make_under(&notice(), &device, draft(1401), signature, &typed);
    refused(&submit(&receiver, &long).await, "fields.name", "150 characters");
    assert_eq!(at(&log_head(&receiver).await, &["size"]).as_i64(), Some(0));
    // A hundred characters are within the notice's limit.
    let within = "E".repeat(100);
    let typed = at_company(within.as_str());
    let fits = receipts::make_under(&notice(), &device, draft(1402), signature, &typed);
    acknowledged(&submit(&receiver, &fits).await);
}

async fn clients_behind_a_trusted_proxy_get_buckets_of_their_own_and_an_ipv6_client_one_64(database: String) {
    let config = Config {
        limits: Limits {
            burst: 3,
            per_second: 1,
            ..Limits::default()
        },
        trusted_proxies: vec![Cidr::parse("10.0.0.0/8").expect("a block")],
        ..demo_config(&database)
    };
    let router = router(Receiver::open(config).await.expect("the database opens"));
    let from = |peer: IpAddr, forwarded_for: Option<&str>| {
        let mut request = Request::get("/log/head");
        if let Some(client) = forwarded_for {
            request = request.header("x-forwarded-for", client);
        }
        let mut request = request.body(Body::empty()).expect("a request");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(peer, 40_000)));
        request
    };
    let proxy: IpAddr = [10, 0, 0, 2].into();
    // One visitor behind the proxy spends their burst; the next request waits a whole second at least.
    for _ in 0..3 {
        let answer = send_to(&router, from(proxy, Some("198.51.100.1"))).await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let refused = send_to(&router, from(proxy, Some("198.51.100.1"))).await;
    assert_eq!(refused.rule(), (StatusCode::TOO_MANY_REQUESTS, "rate"));
    let retry_after: u64 = refused.headers["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(retry_after >= 1, "never 0: the client would come back at once");
    // Another visitor through the same proxy is served.
    assert_eq!(
        send_to(&router, from(proxy, Some("198.51.100.2"))).await.status,
        StatusCode::OK
    );
    // A client that is not a trusted proxy cannot name itself another client.
    let stranger: IpAddr = [192, 0, 2, 9].into();
    for n in 0..3 {
        let claimed = format!("203.0.113.{n}");
        assert_eq!(
            send_to(&router, from(stranger, Some(&claimed))).await.status,
            StatusCode::OK
        );
    }
    let refused = send_to(&router, from(stranger, Some("203.0.113.99"))).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    // An IPv6 subscriber's addresses in one /64 are one client.
    for last in 1..=3_u16 {
        let address = IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, last]);
        assert_eq!(send_to(&router, from(address, None)).await.status, StatusCode::OK);
    }
    let same_64 = IpAddr::from([0x2001, 0xdb8, 0, 1, 0xffff, 0, 0, 7]);
    assert_eq!(
        send_to(&router, from(same_64, None)).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let next_64 = IpAddr::from([0x2001, 0xdb8, 0, 2, 0, 0, 0, 1]);
    assert_eq!(send_to(&router, from(next_64, None)).await.status, StatusCode::OK);
}

async fn burst_0_leaves_the_persons_routes_limited(database: String) {
    let limits = Limits {
        burst: 0,
        ..Limits::default()
    };
    let router = router(limited_receiver(&database, limits).await);
    let get = |path: &str| Request::get(path).body(Body::empty()).expect("a request");
    for _ in 0..100 {
        assert_eq!(
            send_to(&router, get("/log/head")).await.status,
            StatusCode::OK,
            "no limit here"
        );
    }
    let burst = Limits::default().burst;
    for _ in 0..burst {
        assert_eq!(
            send_to(&router, get("/access/challenge")).await.status,
            StatusCode::OK
        );
    }
    let refused = send_to(&router, get("/access/challenge")).await;
    assert_eq!(
        refused.rule(),
        (StatusCode::TOO_MANY_REQUESTS, "rate"),
        "challenges never come at any rate"
    );
}

async fn one_device_key_adds_at_most_its_daily_records_and_a_repeat_still_gets_its_answer(database: String) {
    let limits = Limits {
        device_records_a_day: 3,
        ..Limits::default()
    };
    let receiver = limited_receiver(&database, limits).await;
    let device = PrivateKey::ed25519_from_seed([190; 32]);
    let made: Vec<Made> = (0..4)
        .map(|n| first_receipt(&device, true, now() - 30 + n, 1900 + n as u64))
        .collect();
    for one in &made[..3] {
        acknowledged(&submit(&receiver, one).await);
    }
    let refused = submit(&receiver, &made[3]).await;
    assert_eq!(
        refused.rule(),
        (StatusCode::TOO_MANY_REQUESTS, "device-cap"),
        "{:?}",
        refused.json
    );
    let repeated = submit(&receiver, &made[0]).await;
    assert_eq!(
        repeated.status,
        StatusCode::OK,
        "a receipt held already is answered"
    );
    let other = PrivateKey::ed25519_from_seed([191; 32]);
    acknowledged(&submit(&receiver, &first_receipt(&other, true, now() - 10, 1910)).await);
    assert_eq!(at(&log_head(&receiver).await, &["size"]).as_i64(), Some(4));
}

async fn a_receipt_is_bound_to_its_fields_and_its_endpoint(database: String) {
    let receiver_at = |database: String, public_url: &str| {
        let config = Config {
            public_url: Some(public_url.into()),
            ..demo_config(&database)
        };
        async move { Receiver::open(config).await.expect("the database opens") }
    };
    let production = receiver_at(database.clone(), "https://receiver.example").await;
    let staging_database = Scratch::new("staging");
    let staging = receiver_at(staging_database.sqlite(), "https://staging.example").await;
    let device = PrivateKey::ed25519_from_seed([210; 32]);
    let made = first_receipt(&device, true, now() - 30, 2100);
    // Made for production: another receiver of the same controller refuses it, production takes it.
    let elsewhere = submit(&staging, &made).await;
    assert_eq!(
        elsewhere.rule(),
        (StatusCode::UNPROCESSABLE_ENTITY, "endpoint"),
        "{:?}",
        elsewhere.json
    );
    // Someone who saw the receipt posts it first with other values: refused, and the genuine body is stored.
    let forged = made.body.replace("Ada Lovelace", "Eve Lovelace");
    let first = send(&production, post(forged, "application/json", None)).await;
    assert_eq!(first.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "fields-hash"));
    acknowledged(&submit(&production, &made).await);
    // A receipt from before the binding (still in some outbox) is taken, and the first body wins as before.
    let old = receipts::unbound_first_receipt(&PrivateKey::ed25519_from_seed([211; 32]), 2101);
    acknowledged(&submit(&production, &old).await);
    let changed = old.body.replace("Ada Lovelace", "Eve Lovelace");
    let conflict = send(&production, post(changed, "application/json", None)).await;
    assert_eq!(conflict.rule(), (StatusCode::CONFLICT, "conflict"));
}

async fn a_burst_from_one_address_gets_429_while_other_addresses_are_served(database: String) {
    let limits = Limits {
        burst: 3,
        per_second: 1,
        ..Limits::default()
    };
    let router = router(limited_receiver(&database, limits).await);
    let from = |address: [u8; 4]| {
        let mut request = Request::get("/log/head")
            .header("origin", "https://site.example")
            .body(Body::empty())
            .expect("a request");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((address, 40_000))));
        request
    };
    for _ in 0..3 {
        assert_eq!(
            send_to(&router, from([192, 0, 2, 1])).await.status,
            StatusCode::OK
        );
    }
    let refused = send_to(&router, from([192, 0, 2, 1])).await;
    assert_eq!(refused.rule(), (StatusCode::TOO_MANY_REQUESTS, "rate"));
    assert!(refused.headers.contains_key("retry-after"));
    assert_eq!(
        refused
            .headers
            .get("access-control-allow-origin")
            .map(|v| v.as_bytes()),
        Some(&b"https://site.example"[..]),
        "the page can read why"
    );
    assert_eq!(
        send_to(&router, from([192, 0, 2, 2])).await.status,
        StatusCode::OK
    );
}

async fn a_burst_appends_together_a_repeat_gets_the_same_acknowledgement_and_a_withdrawal_may_follow_within_it(
    database: String,
) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([8; 32]);
    let first = first_receipt(&device, true, now() - 60, 30);
    let withdrawal = withdrawing_newsletter(&device, &first, now() - 30, 31);
    let changed = first.body.replace("Ada Lovelace", "Ada King");
    // All at once: they wait together for the appender, which stores them in one transaction.
    let (a, b, c, d) = tokio::join!(
        submit(&receiver, &first),
        submit(&receiver, &first),
        submit(&receiver, &withdrawal),
        send(&receiver, post(changed, "application/json", None)),
    );
    let (a, b, c) = (acknowledged(&a), acknowledged(&b), acknowledged(&c));
    assert_eq!(a, b, "the repeat gets the same acknowledgement");
    // Both in the one burst, in the order they reached the appender: a withdrawal that gets there before the
    // receipt it follows stands on its own (seen on PostgreSQL, where checks take their own time).
    let mut positions = [&a, &c].map(|ack| at(ack, &["entry", "position"]).as_i64());
    positions.sort_unstable();
    assert_eq!(positions, [Some(0), Some(1)], "both appended");
    assert_eq!(d.rule(), (StatusCode::UNPROCESSABLE_ENTITY, "fields-hash"));
    // A held receipt twice in a later burst: the stored acknowledgement, twice.
    let (e, f) = tokio::join!(submit(&receiver, &first), submit(&receiver, &first));
    assert_eq!((acknowledged(&e), acknowledged(&f)), (a.clone(), a));
    let head = log_head(&receiver).await;
    assert_eq!(at(&head, &["size"]).as_i64(), Some(2), "two records, not three");
}

async fn receivers_sharing_one_database_append_to_one_log(database: String) {
    let (one, other) = (receiver(&database).await, receiver(&database).await);
    let device = PrivateKey::ed25519_from_seed([6; 32]);
    let receipts: Vec<Made> = (0..6)
        .map(|n| first_receipt(&device, n % 2 == 0, now() - 60 + n as i64, 20 + n))
        .collect();
    let position = |payload: &Value| at(payload, &["entry", "position"]).as_i64();

    // Turn about: each receiver appends after the records the other wrote.
    for (n, made) in receipts[..3].iter().enumerate() {
        let receiver = if n % 2 == 0 { &one } else { &other };
        let payload = acknowledged(&submit(receiver, made).await);
        assert_eq!(position(&payload), Some(n as i64));
        assert_eq!(head_of(&payload).size, n as u64 + 1);
    }
    // At once: both stored, at two positions, and a receipt sent to both at once is stored once.
    let (a, b, c, d) = tokio::join!(
        submit(&one, &receipts[3]),
        submit(&other, &receipts[4]),
        submit(&one, &receipts[5]),
        submit(&other, &receipts[5]),
    );
    let mut positions: Vec<i64> = [&a, &b, &c]
        .iter()
        .map(|answer| position(&acknowledged(answer)).expect("a position"))
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, [3, 4, 5]);
    assert_eq!(
        c.json, d.json,
        "the same receipt gets the same acknowledgement from either"
    );

    let heads =
        [&one, &other].map(|receiver| async move { at(&log_head(receiver).await, &["rootHash"]).clone() });
    let [one_head, other_head] = heads;
    assert_eq!(
        one_head.await,
        other_head.await,
        "one log, whichever receiver is asked"
    );
}

/// Each scenario as a test of its own on SQLite, and all of them on one PostgreSQL server (started once, each
/// scenario on a database of its own).
macro_rules! on_both_databases {
    ($($scenario:ident),+ $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $scenario() {
                    let scratch = super::Scratch::new(stringify!($scenario));
                    super::$scenario(scratch.sqlite()).await;
                }
            )+
        }

        #[tokio::test]
        async fn every_scenario_on_postgresql() {
            let server = Postgres::start();
            let mut databases = 0;
            $(
                databases += 1;
                $scenario(server.database(&format!("scenario_{databases}")).await).await;
            )+
        }
    };
}

on_both_databases!(
    a_receipt_is_acknowledged_with_its_log_entry_head_and_inclusion_proof_and_a_retry_gets_the_same,
    a_body_with_more_or_less_than_the_receipt_says_left_the_browser_is_refused_and_not_stored,
    bad_receipts_times_bodies_and_headers_get_their_rule_and_where,
    receivers_sharing_one_database_append_to_one_log,
    a_burst_appends_together_a_repeat_gets_the_same_acknowledgement_and_a_withdrawal_may_follow_within_it,
    a_burst_from_one_address_gets_429_while_other_addresses_are_served,
    clients_behind_a_trusted_proxy_get_buckets_of_their_own_and_an_ipv6_client_one_64,
    burst_0_leaves_the_persons_routes_limited,
    a_receipt_is_bound_to_its_fields_and_its_endpoint,
    one_device_key_adds_at_most_its_daily_records_and_a_repeat_still_gets_its_answer,
    a_field_value_longer_than_its_notice_or_the_receiver_allows_is_refused_and_not_stored,
    an_audit_passes_on_an_untouched_log_and_names_the_first_record_a_change_breaks,
    a_kept_head_catches_a_log_rewritten_and_signed_again,
    the_audit_recomputes_every_table_an_answer_comes_from,
    the_audit_reads_a_copy_as_it_is_and_refuses_a_view_in_place_of_a_table,
    the_audit_command_exits_0_when_the_log_matches_and_1_naming_the_record_otherwise,
    a_receiver_killed_in_the_middle_of_a_load_keeps_every_acknowledged_receipt_once,
    the_read_side_answers_only_with_its_token_state_history_and_may_use,
    the_iso_27560_export_expands_offline_with_every_mandatory_field,
    erasure_deletes_a_persons_payloads_for_good_and_the_log_still_audits,
    erasures_in_a_loop_compact_once_a_gap_and_leave_posts_answered,
    records_from_before_the_payloads_table_are_completed_when_a_receiver_starts,
    the_records_command_reads_exports_and_erases,
    a_person_proving_the_device_key_reads_and_erases_what_it_signed,
    a_persons_records_come_a_bounded_page_at_a_time,
    a_persons_export_comes_a_page_at_a_time_and_never_splits_a_consent_record,
    the_relay_delivers_each_record_once_and_in_order_through_failures,
    hubspot_gets_consent_options_and_what_is_refused_is_kept_with_why,
    hubspot_deletes_an_erased_contact_by_address_and_the_erasure_keeps_no_address,
    a_withdrawal_stands_when_what_it_withdraws_never_arrived_and_an_older_grant_does_not_undo_it,
    a_grant_signed_before_a_refusal_from_another_device_does_not_override_it,
    fields_no_granted_purpose_justifies_and_values_breaking_the_notices_rules_are_refused,
    a_receipt_id_that_is_not_a_uuid_is_refused_and_fails_nobody_elses_post,
    a_person_named_by_email_hash_is_named_by_the_address_that_arrived,
    a_consent_taken_back_before_it_was_relayed_reaches_the_crm_without_what_it_justified,
    a_record_the_crm_never_answers_is_given_up_after_30_days_and_holds_nobody_back,
    an_erasure_reaches_the_crm_after_the_persons_records,
    a_record_refused_for_good_is_sent_again_after_the_crm_is_fixed,
    double_opt_in_counts_a_grant_only_once_the_address_is_confirmed_by_a_mailed_link,
    every_shipped_crm_gets_the_request_its_documentation_describes,
    a_subscription_not_granted_sends_nothing_and_a_withdrawal_goes_as_its_description_says,
);
