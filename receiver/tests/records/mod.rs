//! The read side (`/records/…` with its token, and the `records` command): a person's state, history and
//! "may this purpose be used then", ISO/IEC TS 27560 exports that expand offline with every mandatory field,
//! erasure that leaves no erased byte in the database files while the log still audits, a person reading and
//! erasing what their device key signed, and records from before the payloads table completed when a
//! receiver starts.

use super::audit::audit;
use super::receipts::{
    ada_named, controller, first_receipt, make_under, now, withdrawing_newsletter, Draft, Made, ADA,
    NOTICE_SIGNATURE,
};
use super::{receiver, send, submit, Answer, READ_TOKEN};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::notice::decisions::Decisions;
use consent_capture::receipt::access::request_signing_input;
use consent_capture::receipt::body_sha256;
use consent_capture::Notice;
use consent_capture_receiver::iso27560::{consent_records, context};
use consent_capture_receiver::store::Record;
use serde_json::Value as Json;
use sqlx::{AnyPool, Executor, Row};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

const EVERY_BASIS: &str = include_str!("every-basis.json");

fn principal_of(device: &PrivateKey) -> String {
    format!("jwk-thumbprint:{}", device.public().thumbprint())
}

pub(crate) async fn read(
    receiver: &Arc<consent_capture_receiver::state::Receiver>,
    method: &str,
    path: &str,
    token: Option<&str>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    send(receiver, request.body(Body::empty()).expect("a request")).await
}

pub(crate) fn json(answer: &Answer) -> Json {
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    let text = consent_capture::json::canonical::to_canonical_string(&answer.json);
    serde_json::from_str(&text).expect("JSON")
}

pub(crate) async fn the_read_side_answers_only_with_its_token_state_history_and_may_use(database: String) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([81; 32]);
    let first = first_receipt(&device, true, now() - 100, 810);
    assert_eq!(submit(&receiver, &first).await.status, 200);
    let withdrawal = withdrawing_newsletter(&device, &first, now() - 50, 811);
    assert_eq!(submit(&receiver, &withdrawal).await.status, 200);
    let person = principal_of(&device);
    let path = format!("/records/{person}");

    for token in [None, Some("wrong"), Some(&READ_TOKEN[1..])] {
        let refused = read(&receiver, "GET", &path, token).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(
            refused.json,
            consent_capture::json::Value::String(String::new()),
            "nothing else said"
        );
    }
    let refused = read(&receiver, "POST", &format!("{path}/erase"), None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    // A path that is no route is not found, with or without the token; the health check needs none.
    for token in [None, Some(READ_TOKEN)] {
        let missing = read(&receiver, "GET", "/no/such/path", token).await;
        assert_eq!(missing.rule(), (StatusCode::NOT_FOUND, "not-found"));
    }
    let health = json(&read(&receiver, "GET", "/healthz", None).await);
    assert_eq!((&health["status"], &health["logSize"]), (&"ok".into(), &2.into()));
    // A mistyped purpose is an error, not a plain "no".
    let mistyped = read(
        &receiver,
        "GET",
        &format!("{path}/may-use?purpose=newsleter"),
        Some(READ_TOKEN),
    )
    .await;
    assert_eq!(mistyped.rule(), (StatusCode::BAD_REQUEST, "purpose"));

    let state = json(&read(&receiver, "GET", &path, Some(READ_TOKEN)).await);
    let purposes = state["purposes"].as_array().expect("purposes");
    let of = |id: &str| {
        purposes
            .iter()
            .find(|p| p["purpose"] == id)
            .expect("the purpose")
            .clone()
    };
    assert_eq!(of("newsletter")["decision"], "withdrawn");
    assert_eq!(of("newsletter")["mayUse"], false);
    assert_eq!(of("newsletter")["receiptId"], withdrawal.receipt_id.as_str());
    assert_eq!(of("enquiry")["decision"], "not-asked");
    assert_eq!(of("enquiry")["legalBasis"], "contract");
    assert_eq!(of("enquiry")["mayUse"], true);
    assert_eq!(of("ads")["decision"], "denied");

    let history = json(&read(&receiver, "GET", &format!("{path}/history"), Some(READ_TOKEN)).await);
    let events: Vec<(&str, &str)> = history["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap_or_default(),
                e["purpose"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("refused", "ads"),
            ("other-legal-basis", "enquiry"),
            ("given", "newsletter"),
            ("refused", "ads"),
            ("other-legal-basis", "enquiry"),
            ("withdrawn", "newsletter"),
        ]
    );

    let may = |at: &str| {
        let path = format!("{path}/may-use?purpose=newsletter&at={at}");
        let receiver = receiver.clone();
        async move { read(&receiver, "GET", &path, Some(READ_TOKEN)).await }
    };
    let before = json(&may("2020-01-01").await);
    assert_eq!(
        (before["mayUse"].clone(), before["restsOn"].clone()),
        (false.into(), Json::Null)
    );
    let now = json(&may(&(now() + 5).to_string()).await);
    assert_eq!(now["mayUse"], false);
    assert_eq!(now["restsOn"]["decision"], "withdrawn");
    let bad = may("yesterday").await;
    assert_eq!(bad.rule(), (StatusCode::BAD_REQUEST, "at"));

    // The read side is not rate-limited per address (the submit side is: 60 at once, then 10 a second).
    let one_router = super::router(receiver.clone());
    for _ in 0..100 {
        let request = Request::get(&path)
            .header("authorization", format!("Bearer {READ_TOKEN}"))
            .body(Body::empty())
            .expect("a request");
        assert_eq!(super::send_to(&one_router, request).await.status, StatusCode::OK);
    }
    let stranger = json(
        &read(
            &receiver,
            "GET",
            "/records/jwk-thumbprint:nobody",
            Some(READ_TOKEN),
        )
        .await,
    );
    assert_eq!(stranger["purposes"], Json::Array(Vec::new()));
}

/// The ISO 27560 document's consent records, expanded by jsonld.js with every fetch refused (and in its safe
/// mode, which fails on any member that would be dropped), each checked for the fields the DPV guide's
/// `dpv-27560#record` profile makes mandatory.
fn expands_with_every_mandatory_field(document: &Json, name: &str) -> Vec<Json> {
    let path = std::env::temp_dir().join(format!("consent-capture-{name}-{}.jsonld", std::process::id()));
    std::fs::write(&path, document.to_string()).expect("a temporary file");
    let tools = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/expand-jsonld.mjs");
    let output = Command::new("node")
        .arg(tools)
        .arg(&path)
        .output()
        .expect("node runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expanded: Json = serde_json::from_slice(&output.stdout).expect("expanded JSON-LD");
    let records: Vec<Json> = expanded
        .as_array()
        .expect("a list of nodes")
        .iter()
        .filter(|node| types(node).contains(&dpv("ConsentRecord")))
        .cloned()
        .collect();
    assert!(!records.is_empty(), "{name}: no consent record");
    for record in &records {
        for field in [
            "http://purl.org/dc/terms/conformsTo",
            "http://purl.org/dc/terms/identifier",
            "http://purl.org/dc/terms/language",
            "http://purl.org/dc/terms/source",
        ]
        .into_iter()
        .map(str::to_owned)
        .chain(
            [
                "hasDataSubject",
                "hasNotice",
                "hasProcess",
                "hasDataController",
                "hasJurisdiction",
                "hasConsentControl",
                "hasRight",
                "hasEntity",
            ]
            .map(dpv),
        ) {
            assert!(
                !values(record, &field).is_empty(),
                "{name}: a record without {field}"
            );
        }
        assert_eq!(
            values(record, "http://purl.org/dc/terms/conformsTo")[0]["@id"],
            "https://w3id.org/dpv/schema/dpv-27560#record"
        );
        for entity in values(record, &dpv("hasEntity")) {
            for field in [
                dpv("hasName"),
                dpv("hasIdentifier"),
                "https://schema.org/contactPoint".into(),
                "https://schema.org/address".into(),
            ] {
                assert!(
                    !values(entity, &field).is_empty(),
                    "{name}: an entity without {field}"
                );
            }
        }
        for evidence in values(record, "http://purl.org/dc/terms/source") {
            let jws = values(evidence, "http://www.w3.org/1999/02/22-rdf-syntax-ns#value");
            assert!(
                jws[0]["@value"]
                    .as_str()
                    .is_some_and(|v| v.split('.').count() == 3),
                "{name}: a receipt"
            );
        }
        for process in values(record, &dpv("hasProcess")) {
            for field in [
                "hasPurpose",
                "hasLegalBasis",
                "hasPersonalData",
                "hasDataController",
                "hasRecipient",
                "hasStorageCondition",
            ]
            .map(dpv)
            {
                assert!(
                    !values(process, &field).is_empty(),
                    "{name}: a process without {field}"
                );
            }
            let storage: Vec<Vec<String>> = values(process, &dpv("hasStorageCondition"))
                .iter()
                .map(types)
                .collect();
            assert!(
                storage.iter().any(|t| t.contains(&dpv("StorageLocation"))),
                "{name}"
            );
            assert!(
                storage.iter().any(|t| t.contains(&dpv("StorageDuration"))),
                "{name}"
            );
            let basis = values(process, &dpv("hasLegalBasis"))[0]["@id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if basis.ends_with("ExpressedConsent") {
                let events = values(process, &dpv("hasConsentStatus"));
                assert!(!events.is_empty(), "{name}: consent without events");
                for event in events {
                    for field in ["isIndicatedAtTime", "isIndicatedBy", "hasDuration"].map(dpv) {
                        assert!(
                            !values(event, &field).is_empty(),
                            "{name}: an event without {field}"
                        );
                    }
                    assert_eq!(
                        values(event, &dpv("isIndicatedAtTime"))[0]["@type"],
                        "http://www.w3.org/2001/XMLSchema#dateTime"
                    );
                }
            }
        }
    }
    records
}

fn dpv(term: &str) -> String {
    format!("https://w3id.org/dpv#{term}")
}

fn values<'a>(node: &'a Json, property: &str) -> &'a [Json] {
    node[property].as_array().map(Vec::as_slice).unwrap_or_default()
}

fn types(node: &Json) -> Vec<String> {
    values(node, "@type")
        .iter()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect()
}

pub(crate) async fn the_iso_27560_export_expands_offline_with_every_mandatory_field(database: String) {
    // The demo notice, through the read API: a first receipt and the withdrawal that follows it are one
    // record with the events given and withdrawn.
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([82; 32]);
    let first = first_receipt(&device, true, now() - 100, 820);
    let withdrawal = withdrawing_newsletter(&device, &first, now() - 50, 821);
    for made in [&first, &withdrawal] {
        assert_eq!(submit(&receiver, made).await.status, 200);
    }
    let path = format!("/records/{}/export?format=iso27560", principal_of(&device));
    let document = json(&read(&receiver, "GET", &path, Some(READ_TOKEN)).await);
    let records = expands_with_every_mandatory_field(&document, "demo");
    assert_eq!(records.len(), 1, "one chain, one record");
    let newsletter = values(&records[0], &dpv("hasProcess"))
        .iter()
        .find(|p| p["@id"].as_str().is_some_and(|id| id.ends_with("#newsletter")))
        .expect("the newsletter's process");
    let events: Vec<Vec<String>> = values(newsletter, &dpv("hasConsentStatus"))
        .iter()
        .map(types)
        .collect();
    assert_eq!(events, [vec![dpv("ConsentGiven")], vec![dpv("ConsentWithdrawn")]]);
    let kantara = json(
        &read(
            &receiver,
            "GET",
            &path.replace("iso27560", "kantara"),
            Some(READ_TOKEN),
        )
        .await,
    );
    assert_eq!(
        kantara["receipts"][1]["receipt"]["consentReceiptID"],
        withdrawal.receipt_id.as_str()
    );
    assert!(kantara["receipts"][0]["acknowledgement"].is_string());
    assert!(
        kantara["receipts"][0].get("fields").is_none(),
        "an export never carries the payloads"
    );

    // A notice with every legal basis, a sensitive purpose and third parties.
    let notice = Notice::from_json(EVERY_BASIS).expect("a valid notice");
    let device = PrivateKey::ed25519_from_seed([83; 32]);
    let mut decisions = Decisions::initial(&notice);
    decisions.set("newsletter", true).expect("a consent purpose");
    let draft = Draft {
        language: "en",
        decisions,
        issued_at: now() - 10,
        previous: None,
        seed: 830,
    };
    let typed = &[
        ("name", "Grace Hopper"),
        ("email", "grace@example.com"),
        ("condition", "none"),
    ];
    let made = make_under(&notice, &device, draft, None, typed);
    let record = Record {
        position: 0,
        receipt_id: made.receipt_id.clone(),
        receipt: made.receipt.clone(),
        body_sha256: body_sha256(&made.body),
        body: Some(made.body.clone()),
        received_at: now(),
        acknowledgement: String::new(),
        erased_at: None,
    };
    let document = serde_json::json!({
        "@context": context(),
        "@graph": consent_records(&principal_of(&device), &[record], &[]),
    });
    let records = expands_with_every_mandatory_field(&document, "every-basis");
    let mut bases: Vec<String> = values(&records[0], &dpv("hasProcess"))
        .iter()
        .map(|p| {
            values(p, &dpv("hasLegalBasis"))[0]["@id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    bases.sort();
    let expected = [
        "Contract",
        "ExplicitlyExpressedConsent",
        "ExpressedConsent",
        "LegalObligation",
        "LegitimateInterest",
        "PublicInterest",
        "VitalInterest",
    ]
    .map(dpv);
    assert_eq!(bases, expected);
}

/// Every file of the database that holds `needle`: on SQLite the database, its write-ahead log and shared
/// memory; on PostgreSQL every relation (tables, their TOAST and indexes, the catalogs) of the database,
/// after a checkpoint wrote them out.
async fn files_holding(database: &str, needle: &str) -> Vec<String> {
    let files: Vec<std::path::PathBuf> = match database.strip_prefix("sqlite:") {
        Some(path) => ["", "-wal", "-shm"]
            .iter()
            .map(|suffix| format!("{path}{suffix}").into())
            .collect(),
        None => {
            sqlx::any::install_default_drivers();
            let pool = AnyPool::connect(database).await.expect("the database");
            pool.execute("CHECKPOINT").await.expect("a checkpoint");
            let directory: String = sqlx::query("SELECT current_setting('data_directory') AS d")
                .fetch_one(&pool)
                .await
                .expect("the data directory")
                .get("d");
            let relations = sqlx::query(
                "SELECT pg_relation_filepath(oid) AS path FROM pg_class \
                 WHERE relkind IN ('r', 'i', 't') AND pg_relation_filepath(oid) IS NOT NULL",
            )
            .fetch_all(&pool)
            .await
            .expect("the relations");
            pool.close().await;
            relations
                .iter()
                .map(|row| std::path::Path::new(&directory).join(row.get::<String, _>("path")))
                .collect()
        }
    };
    files
        .into_iter()
        .filter(|file| {
            std::fs::read(file).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .map(|file| file.display().to_string())
        .collect()
}

/// [`files_holding`] once `needle` is gone from every file, or after `bound`: the receiver compacts after an
/// erasure has answered, off the request path.
async fn gone_within(database: &str, needle: &str, bound: Duration) -> Vec<String> {
    let started = std::time::Instant::now();
    loop {
        let holding = files_holding(database, needle).await;
        if holding.is_empty() || started.elapsed() > bound {
            return holding;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The controller's erasure of `person`, through the read API.
async fn erase_through_the_api(
    receiver: &Arc<consent_capture_receiver::state::Receiver>,
    person: &str,
) -> Json {
    let path = format!("/records/{person}/erase");
    json(&read(receiver, "POST", &path, Some(READ_TOKEN)).await)
}

pub(crate) async fn erasure_deletes_a_persons_payloads_for_good_and_the_log_still_audits(database: String) {
    let receiver = receiver(&database).await;
    let quentin = PrivateKey::ed25519_from_seed([84; 32]);
    let typed = &[
        ("name", "Quentin Erasable"),
        ("email", "quentin.erasable@example.org"),
        ("company", "Forgettable Engines"),
        ("topic", "sales"),
    ];
    let draft = |decisions, previous, seed| Draft {
        language: "en",
        decisions,
        issued_at: now() - 100,
        previous,
        seed,
    };
    let signature = Some(NOTICE_SIGNATURE.trim());
    let notice = super::receipts::notice();
    let first = make_under(
        &notice,
        &quentin,
        draft(super::receipts::granting(true), None, 840),
        signature,
        typed,
    );
    let again = make_under(
        &notice,
        &quentin,
        draft(super::receipts::granting(true), Some(&first.receipt), 841),
        signature,
        typed,
    );
    let ada = make_under(
        &notice,
        &PrivateKey::ed25519_from_seed([85; 32]),
        draft(super::receipts::granting(true), None, 842),
        signature,
        ADA,
    );
    let mut acknowledgements = Vec::new();
    for made in [&first, &again, &ada] {
        let answer = submit(&receiver, made).await;
        assert_eq!(answer.status, 200);
        acknowledgements.push(answer.json.clone());
    }
    assert!(
        !files_holding(&database, "Quentin Erasable").await.is_empty(),
        "held before"
    );

    let person = principal_of(&quentin);
    let erased = erase_through_the_api(&receiver, &person).await;
    assert_eq!((&erased["erased"], &erased["withData"]), (&2.into(), &2.into()));
    for value in [
        "Quentin Erasable",
        "quentin.erasable@example.org",
        "Forgettable Engines",
    ] {
        assert_eq!(
            gone_within(&database, value, Duration::from_secs(10)).await,
            Vec::<String>::new(),
            "{value} remains"
        );
    }
    assert!(
        !files_holding(&database, "Ada Lovelace").await.is_empty(),
        "another person's data stays"
    );

    // A retry of an erased submission gets its acknowledgement, and stores nothing again.
    let retried = submit(&receiver, &first).await;
    assert_eq!(retried.json, acknowledgements[0]);
    assert_eq!(
        files_holding(&database, "Quentin Erasable").await,
        Vec::<String>::new()
    );

    let report = audit(&database, &[]).await.expect("the log still audits");
    assert_eq!((report.records, report.erased), (3, 2));
    let kantara = json(
        &read(
            &receiver,
            "GET",
            &format!("/records/{person}/export?format=kantara"),
            Some(READ_TOKEN),
        )
        .await,
    );
    assert!(kantara["receipts"][0]["erasedAt"].is_string());
    let state = json(&read(&receiver, "GET", &format!("/records/{person}"), Some(READ_TOKEN)).await);
    assert_eq!(
        state["purposes"].as_array().map(Vec::len),
        Some(3),
        "the decisions stay"
    );
    let twice = erase_through_the_api(&receiver, &person).await;
    assert_eq!(twice["erased"], 0);
}

pub(crate) async fn records_from_before_the_payloads_table_are_completed_when_a_receiver_starts(
    database: String,
) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([86; 32]);
    let first = first_receipt(&device, true, now() - 100, 860);
    let withdrawal = withdrawing_newsletter(&device, &first, now() - 50, 861);
    for made in [&first, &withdrawal] {
        assert_eq!(submit(&receiver, made).await.status, 200);
    }
    drop(receiver);
    // Back to the first schema: bodies in the records, no payloads, decisions or erasures, and sqlx's
    // ledger without migrations 2 and 7 (whose index needs the device's column).
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&database).await.expect("the database");
    for statement in [
        "ALTER TABLE records ADD COLUMN body TEXT",
        "UPDATE records SET body = (SELECT body FROM payloads WHERE payloads.position = records.position)",
        "DROP INDEX records_to_complete",
        "ALTER TABLE records DROP COLUMN body_sha256",
        "DROP INDEX records_by_device_and_time",
        "DROP INDEX records_by_device",
        "ALTER TABLE records DROP COLUMN device_thumbprint",
        "DROP TABLE payloads",
        "DROP TABLE decisions",
        "DROP TABLE erasures",
        "DELETE FROM _sqlx_migrations WHERE version IN (2, 7)",
    ] {
        pool.execute(statement).await.expect(statement);
    }
    pool.close().await;

    let receiver = super::receiver(&database).await;
    let report = audit(&database, &[]).await.expect("completed records audit");
    assert_eq!((report.records, report.erased), (2, 0));
    let state = json(
        &read(
            &receiver,
            "GET",
            &format!("/records/{}", principal_of(&device)),
            Some(READ_TOKEN),
        )
        .await,
    );
    let newsletter = state["purposes"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["purpose"] == "newsletter"))
        .expect("the newsletter's state");
    assert_eq!(newsletter["decision"], "withdrawn");
    let request = access_request(&device, "access", &challenge_of(&receiver).await);
    let held = json(&ask(&receiver, &request).await);
    assert_eq!(
        held["receipts"].as_array().map(Vec::len),
        Some(2),
        "by the device key"
    );
}

pub(crate) async fn the_records_command_reads_exports_and_erases(database: String) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([87; 32]);
    let made: Made = first_receipt(&device, true, now() - 100, 870);
    assert_eq!(submit(&receiver, &made).await.status, 200);
    drop(receiver);
    let person = principal_of(&device);
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_consent-capture-receiver"))
            .arg("records")
            .args(args)
            .args(["--database", &database])
            .output()
            .expect("the command runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (code, state) = run(&["state", &person]);
    assert_eq!(code, Some(0), "{state}");
    let state: Json = serde_json::from_str(&state).expect("JSON");
    let newsletter = state["purposes"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["purpose"] == "newsletter"))
        .expect("the newsletter's state");
    assert_eq!(newsletter["decision"], "granted");
    let (code, may) = run(&[
        "may-use",
        &person,
        "--purpose",
        "newsletter",
        "--at",
        "2020-01-01T00:00:00Z",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(serde_json::from_str::<Json>(&may).expect("JSON")["mayUse"], false);
    let (code, everyone) = run(&["export", "--format", "iso27560"]);
    assert_eq!(code, Some(0));
    let everyone: Json = serde_json::from_str(&everyone).expect("one JSON-LD document");
    assert_eq!(everyone["@graph"].as_array().map(Vec::len), Some(1));
    expands_with_every_mandatory_field(&everyone, "everyone");
    let (code, kantara) = run(&["export", &person, "--format", "kantara"]);
    assert_eq!(code, Some(0));
    assert!(kantara.contains(&made.receipt_id));
    let (code, erased) = run(&["erase", &person]);
    assert_eq!(code, Some(0), "{erased}");
    assert_eq!(serde_json::from_str::<Json>(&erased).expect("JSON")["erased"], 1);
    assert_eq!(run(&["export", "--format", "xml"]).0, Some(2));
    assert_eq!(run(&["state"]).0, Some(2));
}

/// A request signed by `device` for `action`, answering `challenge`.
fn access_request(device: &PrivateKey, action: &str, challenge: &str) -> String {
    device.sign(&request_signing_input(
        device.algorithm(),
        &device.public(),
        action,
        challenge,
    ))
}

async fn challenge_of(receiver: &Arc<consent_capture_receiver::state::Receiver>) -> String {
    let answer = read(receiver, "GET", "/access/challenge", None).await;
    json(&answer)["challenge"]
        .as_str()
        .expect("a challenge")
        .to_owned()
}

async fn ask(receiver: &Arc<consent_capture_receiver::state::Receiver>, request: &str) -> Answer {
    let body = serde_json::json!({ "request": request }).to_string();
    let request = Request::post("/access")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a request");
    send(receiver, request).await
}

pub(crate) async fn a_person_proving_the_device_key_reads_and_erases_what_it_signed(database: String) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([88; 32]);
    let first = first_receipt(&device, true, now() - 100, 880);
    let withdrawal = withdrawing_newsletter(&device, &first, now() - 50, 881);
    let stranger = PrivateKey::ed25519_from_seed([89; 32]);
    let theirs = first_receipt(&stranger, false, now() - 40, 882);
    let mut acknowledgements = Vec::new();
    for made in [&first, &withdrawal, &theirs] {
        let answer = submit(&receiver, made).await;
        assert_eq!(answer.status, 200);
        acknowledgements.push(answer.at(&["acknowledgement"]).as_str().expect("one").to_owned());
    }

    let challenge = challenge_of(&receiver).await;
    let request = access_request(&device, "access", &challenge);
    let held = json(&ask(&receiver, &request).await);
    assert_eq!(held["device"], device.public().thumbprint().as_str());
    let receipts = held["receipts"].as_array().expect("receipts");
    let ids: Vec<&str> = receipts.iter().filter_map(|r| r["receiptId"].as_str()).collect();
    assert_eq!(
        ids,
        [first.receipt_id.as_str(), withdrawal.receipt_id.as_str()],
        "only what this key signed"
    );
    assert_eq!(
        receipts[0]["fields"]["name"], "Ada Lovelace",
        "the data that was sent"
    );
    assert_eq!(receipts[0]["acknowledgement"], acknowledgements[0].as_str());
    assert_eq!(receipts[1]["jws"], withdrawal.receipt.as_str());

    let replayed = ask(&receiver, &request).await;
    assert_eq!(
        replayed.rule(),
        (StatusCode::FORBIDDEN, "access"),
        "a challenge serves once"
    );
    let forged_challenge = access_request(&device, "access", &access_request(&device, "access", "x"));
    assert_eq!(
        ask(&receiver, &forged_challenge)
            .await
            .at(&["error", "at"])
            .as_str(),
        Some("challenge.signature"),
        "a challenge the controller did not sign"
    );
    let expired =
        consent_capture_receiver::access::challenge(&controller(), receiver.audience(), None, now() - 1_000)
            .expect("random");
    let late = ask(&receiver, &access_request(&device, "access", &expired)).await;
    assert_eq!(late.at(&["error", "at"]).as_str(), Some("challenge.expires"));
    let mut tampered = access_request(&device, "access", &challenge_of(&receiver).await);
    tampered.replace_range(tampered.len() - 4.., "AAAA");
    assert_eq!(
        ask(&receiver, &tampered).await.rule(),
        (StatusCode::FORBIDDEN, "access")
    );
    let unsigned = ask(&receiver, "not a jws").await;
    assert_eq!(unsigned.status, StatusCode::FORBIDDEN);

    let erase = access_request(&device, "erase", &challenge_of(&receiver).await);
    let erased = json(&ask(&receiver, &erase).await);
    assert_eq!(erased["erased"], 2);
    assert_eq!(erased["withData"], 1, "the withdrawal carried no data");
    let after = json(
        &ask(
            &receiver,
            &access_request(&device, "access", &challenge_of(&receiver).await),
        )
        .await,
    );
    assert_eq!(after["receipts"][0]["fields"], Json::Null);
    assert!(after["receipts"][0]["erasedAt"].is_string());
    let report = audit(&database, &[]).await.expect("the log still audits");
    assert_eq!((report.records, report.erased), (3, 2));
    let other = json(
        &ask(
            &receiver,
            &access_request(&stranger, "access", &challenge_of(&receiver).await),
        )
        .await,
    );
    assert_eq!(
        other["receipts"][0]["fields"]["name"], "Ada Lovelace",
        "another device's data stays"
    );

    // A challenge serves once across restarts: a receiver opened again on the database refuses the replay.
    let used = access_request(&stranger, "access", &challenge_of(&receiver).await);
    assert_eq!(ask(&receiver, &used).await.status, StatusCode::OK);
    let restarted = super::receiver(&database).await;
    assert_eq!(
        restarted.audience(),
        receiver.audience(),
        "one database, one audience"
    );
    assert_eq!(
        ask(&restarted, &used).await.rule(),
        (StatusCode::FORBIDDEN, "access"),
        "replayed after a restart"
    );
    // Another receiver of the same controller (staging and production) refuses a request for this one.
    let elsewhere = super::databases::Scratch::new("another-receiver");
    let another = super::receiver(&elsewhere.sqlite()).await;
    let unused = access_request(&stranger, "access", &challenge_of(&receiver).await);
    assert_eq!(
        ask(&another, &unused).await.at(&["error", "at"]).as_str(),
        Some("challenge.audience")
    );
    assert_eq!(
        ask(&receiver, &unused).await.status,
        StatusCode::OK,
        "where it was asked for"
    );

    // A challenge asked for one device key serves that key only.
    let mine = read(
        &receiver,
        "GET",
        &format!("/access/challenge?device={}", device.public().thumbprint()),
        None,
    )
    .await;
    let mine = json(&mine)["challenge"].as_str().expect("a challenge").to_owned();
    let taken = ask(&receiver, &access_request(&stranger, "access", &mine)).await;
    assert_eq!(taken.at(&["error", "at"]).as_str(), Some("challenge.device"));
    assert_eq!(
        ask(&receiver, &access_request(&device, "access", &mine))
            .await
            .status,
        StatusCode::OK
    );
    let malformed = read(&receiver, "GET", "/access/challenge?device=x", None).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);

    // One device key makes at most a hundred requests a day, so that challenges cannot pile up.
    let store = consent_capture_receiver::store::Store::open(&database)
        .await
        .expect("opens");
    let key = PrivateKey::ed25519_from_seed([90; 32]).public().thumbprint();
    for n in 0..consent_capture_receiver::used_challenges::REQUESTS_A_DAY {
        store
            .use_challenge(&format!("nonce-{n}"), &key, now(), now() + 300)
            .await
            .expect("within the cap");
    }
    let past = store.use_challenge("one-more", &key, now(), now() + 300).await;
    assert!(
        matches!(
            past,
            Err(consent_capture_receiver::used_challenges::Unusable::TooMany)
        ),
        "{past:?}"
    );
}

/// The payloads table's file on PostgreSQL (a `VACUUM FULL` gives it a new one); `None` on SQLite.
async fn payloads_file(database: &str) -> Option<i64> {
    if database.starts_with("sqlite:") {
        return None;
    }
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(database).await.expect("the database");
    let row = sqlx::query("SELECT CAST(pg_relation_filenode('payloads') AS BIGINT) AS node")
        .fetch_one(&pool)
        .await
        .expect("the payloads table");
    pool.close().await;
    Some(row.get::<i64, _>("node"))
}

pub(crate) async fn erasures_in_a_loop_compact_once_a_gap_and_leave_posts_answered(database: String) {
    let receiver = receiver(&database).await;
    let people: Vec<PrivateKey> = (0..10)
        .map(|n| PrivateKey::ed25519_from_seed([150 + n; 32]))
        .collect();
    for (n, person) in people.iter().enumerate() {
        let made = first_receipt(person, true, now() - 60, 1500 + n as u64);
        assert_eq!(submit(&receiver, &made).await.status, 200);
    }
    let before = payloads_file(&database).await;
    let posting = {
        let receiver = receiver.clone();
        tokio::spawn(async move {
            let mut slowest = Duration::ZERO;
            for n in 0..30_u64 {
                let device = PrivateKey::ed25519_from_seed([170 + n as u8; 32]);
                let made = first_receipt(&device, n % 2 == 0, now() - 30, 1600 + n);
                let started = std::time::Instant::now();
                assert_eq!(submit(&receiver, &made).await.status, 200, "a genuine post");
                slowest = slowest.max(started.elapsed());
            }
            slowest
        })
    };
    let mut files = vec![before];
    for person in &people {
        let erased = erase_through_the_api(&receiver, &principal_of(person)).await;
        assert_eq!(erased["erased"], 1);
        files.push(payloads_file(&database).await);
    }
    let slowest = posting.await.expect("the posts ran");
    tokio::time::sleep(Duration::from_secs(1)).await;
    files.push(payloads_file(&database).await);
    files.dedup();
    // The first erasure's compaction, and none for the nine that followed within the gap (each erasure ran
    // VACUUM FULL on the request path before).
    if before.is_some() {
        assert!(files.len() <= 2, "compacted {} times: {files:?}", files.len() - 1);
    }
    assert!(
        slowest < Duration::from_secs(3),
        "the slowest genuine post took {slowest:?}"
    );
}

pub(crate) async fn a_persons_records_come_a_bounded_page_at_a_time(database: String) {
    let limits = consent_capture_receiver::config::Limits {
        field_chars: 300_000,
        body_bytes: 512 * 1024,
        ..Default::default()
    };
    let receiver = super::limited_receiver(&database, limits).await;
    let device = PrivateKey::ed25519_from_seed([180; 32]);
    let name = "N".repeat(200_000);
    let typed = ada_named(&name);
    let notice = super::receipts::notice();
    for n in 0..8 {
        let draft = Draft {
            language: "en",
            decisions: super::receipts::granting(true),
            issued_at: now() - 100 + n as i64,
            previous: None,
            seed: 1800 + n,
        };
        let made = make_under(&notice, &device, draft, Some(NOTICE_SIGNATURE.trim()), &typed);
        assert_eq!(submit(&receiver, &made).await.status, 200);
    }
    let first = json(
        &ask(
            &receiver,
            &access_request(&device, "access", &challenge_of(&receiver).await),
        )
        .await,
    );
    let on_first = first["receipts"].as_array().expect("receipts").len();
    assert_eq!(on_first, 5, "about a megabyte a page: five records of 200 KB");
    let cursor = first["next"].as_str().expect("more follows").to_owned();
    let second = json(&ask_next(&receiver, &cursor).await);
    assert_eq!(second["receipts"].as_array().expect("receipts").len(), 3);
    assert!(second["next"].is_null(), "nothing more");
    let positions: Vec<i64> = [&first, &second]
        .iter()
        .flat_map(|page| page["receipts"].as_array().expect("receipts").clone())
        .filter_map(|receipt| receipt["position"].as_i64())
        .collect();
    assert_eq!(
        positions,
        (0..8).collect::<Vec<i64>>(),
        "every record once, in order"
    );
    // A cursor another key signed is refused.
    let forged = consent_capture_receiver::acknowledgement::signed_head(
        &PrivateKey::ed25519_from_seed([181; 32]),
        consent_capture_receiver::log::Log::new().head(),
        now(),
    );
    assert_eq!(ask_next(&receiver, &forged).await.status, StatusCode::FORBIDDEN);
}

async fn ask_next(receiver: &Arc<consent_capture_receiver::state::Receiver>, cursor: &str) -> Answer {
    let body = serde_json::json!({ "next": cursor }).to_string();
    let request = Request::post("/access")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a request");
    send(receiver, request).await
}

pub(crate) async fn a_persons_export_comes_a_page_at_a_time_and_never_splits_a_consent_record(
    database: String,
) {
    let receiver = receiver(&database).await;
    let device = PrivateKey::ed25519_from_seed([220; 32]);
    // 300 first receipts, each a consent record of its own, and one withdrawal following the first.
    let mut made = Vec::new();
    for n in 0..300 {
        made.push(first_receipt(&device, true, now() - 500 + n as i64, 2200 + n));
    }
    for one in &made {
        assert_eq!(submit(&receiver, one).await.status, 200);
    }
    let withdrawal = withdrawing_newsletter(&device, &made[0], now() - 10, 2600);
    assert_eq!(submit(&receiver, &withdrawal).await.status, 200);
    let person = principal_of(&device);
    let pages = |format: &'static str| {
        let receiver = receiver.clone();
        let person = person.clone();
        async move {
            let mut path = format!("/records/{person}/export?format={format}");
            let mut documents = Vec::new();
            loop {
                let answer = read(&receiver, "GET", &path, Some(READ_TOKEN)).await;
                let next = answer.headers.get("link").map(|link| {
                    let link = link.to_str().expect("text");
                    assert!(link.ends_with("; rel=\"next\""), "{link}");
                    link.trim_start_matches('<')
                        .split('>')
                        .next()
                        .expect("a target")
                        .to_owned()
                });
                documents.push(json(&answer));
                match next {
                    Some(next) => path = next,
                    None => return documents,
                }
            }
        }
    };
    let kantara = pages("kantara").await;
    let receipts: Vec<usize> = kantara
        .iter()
        .map(|page| page["receipts"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(receipts, [256, 45], "256 receipts a page");
    let iso = pages("iso27560").await;
    let records: Vec<usize> = iso
        .iter()
        .map(|page| page["@graph"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(records, [64, 64, 64, 64, 44], "64 consent records a page");
    // The first record's chain, with its withdrawal, is whole on the first page.
    let first = &iso[0]["@graph"][0];
    let evidence = first["dct:source"].as_array().expect("evidence");
    assert_eq!(
        evidence.len(),
        2,
        "the receipt and the withdrawal that follows it"
    );
    let ids: std::collections::HashSet<String> = iso
        .iter()
        .flat_map(|page| page["@graph"].as_array().expect("a graph").clone())
        .filter_map(|record| record["dct:identifier"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 300, "every consent record once");
}
