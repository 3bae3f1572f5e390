//! The offline audit over a database the receiver filled: it passes on an untouched log, and names the first
//! record that a changed, deleted or reordered row breaks; a head kept from before catches a log rewritten
//! and signed again, and records removed from its end. Through the library and through the command.

use super::databases::Scratch;
use super::{controller, first_receipt, now, receiver, send, submit};
use axum::body::Body;
use axum::http::Request;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::Value;
use consent_capture_receiver::audit::{audit_database, Finding, KeptHead, Report};
use sqlx::{AnyPool, Executor as _};
use std::process::Command;

/// Fills a database with `count` records (a device seeded with `seed`) and returns the head the log then has,
/// as `GET /log/head` signs it.
async fn filled(database: &str, count: u8, seed: u8) -> String {
    let receiver = receiver(database).await;
    let device = PrivateKey::ed25519_from_seed([seed; 32]);
    for n in 0..count {
        let made = first_receipt(
            &device,
            n % 2 == 0,
            now() - 100 + i64::from(n),
            u64::from(seed + n),
        );
        assert_eq!(submit(&receiver, &made).await.status, 200);
    }
    let answer = send(
        &receiver,
        Request::get("/log/head").body(Body::empty()).expect("a request"),
    )
    .await;
    answer.at(&["head"]).as_str().expect("a signed head").to_owned()
}

pub(crate) async fn audit(database: &str, kept: &[&str]) -> Result<Report, Finding> {
    let controller = controller().public();
    let kept = kept
        .iter()
        .map(|jws| KeptHead::read(jws, &controller).expect("a signed head"))
        .collect();
    audit_database(database, &controller, kept, None)
        .await
        .expect("the database can be read")
}

/// The position the audit names, asserting that it says `words`.
fn named(result: Result<Report, Finding>, words: &str) -> Option<u64> {
    let finding = result.expect_err("the audit finds what differs");
    assert!(finding.message.contains(words), "{finding}");
    finding.position
}

pub(crate) async fn tamper(database: &str, statements: &[&str]) {
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(database).await.expect("the database");
    for statement in statements {
        pool.execute(*statement).await.expect("tampering");
    }
    pool.close().await;
}

pub(crate) async fn an_audit_passes_on_an_untouched_log_and_names_the_first_record_a_change_breaks(
    database: String,
) {
    let head = filled(&database, 5, 40).await;
    let report = audit(&database, &[&head]).await.expect("an untouched log");
    assert_eq!((report.records, report.heads), (5, 1));

    tamper(
        &database,
        &["UPDATE payloads SET body = REPLACE(body, 'Ada', 'Eve') WHERE position = 2"],
    )
    .await;
    assert_eq!(named(audit(&database, &[]).await, "hash was signed"), Some(2));
    tamper(
        &database,
        &["UPDATE payloads SET body = REPLACE(body, 'Eve', 'Ada') WHERE position = 2"],
    )
    .await;
    tamper(
        &database,
        &["UPDATE records SET body_sha256 = body_sha256 || 'A' WHERE position = 2"],
    )
    .await;
    assert_eq!(named(audit(&database, &[]).await, "bodySha256"), Some(2));
    tamper(
        &database,
        &["UPDATE records SET body_sha256 = SUBSTR(body_sha256, 1, LENGTH(body_sha256) - 1) WHERE position = 2"],
    )
    .await;
    audit(&database, &[&head]).await.expect("restored");

    tamper(
        &database,
        &[
            "UPDATE records SET position = -1 WHERE position = 1",
            "UPDATE records SET position = 1 WHERE position = 3",
            "UPDATE records SET position = 3 WHERE position = -1",
        ],
    )
    .await;
    assert_eq!(named(audit(&database, &[]).await, "position"), Some(1));
    tamper(
        &database,
        &[
            "UPDATE records SET position = -1 WHERE position = 3",
            "UPDATE records SET position = 3 WHERE position = 1",
            "UPDATE records SET position = 1 WHERE position = -1",
        ],
    )
    .await;
    audit(&database, &[&head]).await.expect("restored");

    // A record removed from the end leaves a log that is whole in itself: only a kept head shows the loss.
    tamper(
        &database,
        &[
            "DELETE FROM records WHERE position = 4",
            "DELETE FROM payloads WHERE position = 4",
            "DELETE FROM decisions WHERE position = 4",
        ],
    )
    .await;
    assert_eq!(audit(&database, &[]).await.map(|r| r.records), Ok(4));
    assert_eq!(named(audit(&database, &[&head]).await, "covers 5"), Some(4));
    tamper(&database, &["DELETE FROM records WHERE position = 2"]).await;
    assert_eq!(named(audit(&database, &[]).await, "missing"), Some(2));
    // A body deleted behind the receiver's back, not erased through it.
    tamper(&database, &["DELETE FROM payloads WHERE position = 1"]).await;
    assert_eq!(named(audit(&database, &[]).await, "no erasure"), Some(1));
}

/// An edit behind the receiver's back, what the audit must say of it (and of which record), and its undoing.
type Edit = (
    &'static [&'static str],
    &'static str,
    Option<u64>,
    &'static [&'static str],
);

pub(crate) async fn the_audit_recomputes_every_table_an_answer_comes_from(database: String) {
    // An empty log with one record at position -1: nothing the log holds, yet a row the read side may answer
    // from.
    migrated(&database).await;
    tamper(
        &database,
        &[
            "INSERT INTO records (position, receipt_id, receipt_sha256, receipt, body_sha256, received_at, \
           acknowledgement, device_thumbprint) VALUES (-1, 'r', 'h', 'x', 'b', 0, 'a', 't')",
        ],
    )
    .await;
    let finding = audit(&database, &[]).await.expect_err("not an empty log");
    assert!(
        finding.message.contains("a row of records at position -1"),
        "{finding}"
    );
    tamper(&database, &["DELETE FROM records WHERE position = -1"]).await;

    filled(&database, 3, 45).await;
    audit(&database, &[]).await.expect("an untouched log");
    // Each edit, then undone: the audit names it, and passes again.
    let edits: [Edit; 6] = [
        (
            &["UPDATE decisions SET decision = 'granted' WHERE position = 1 AND purpose = 'newsletter'"],
            "its decisions row for newsletter",
            Some(1),
            &["UPDATE decisions SET decision = 'denied' WHERE position = 1 AND purpose = 'newsletter'"],
        ),
        (
            &["UPDATE records SET device_thumbprint = 'x' || device_thumbprint WHERE position = 2"],
            "device_thumbprint",
            Some(2),
            &["UPDATE records SET device_thumbprint = SUBSTR(device_thumbprint, 2) WHERE position = 2"],
        ),
        (
            &["UPDATE records SET receipt_sha256 = 'x' || receipt_sha256 WHERE position = 0"],
            "receipt_sha256",
            Some(0),
            &["UPDATE records SET receipt_sha256 = SUBSTR(receipt_sha256, 2) WHERE position = 0"],
        ),
        (
            &[
                "INSERT INTO relay (position, principal_id, state, attempts, next_attempt_at, outcome) \
               VALUES (1, 'jwk-thumbprint:someone-else', 'delivered', 1, 0, 'ok')",
            ],
            "relay row names another person",
            Some(1),
            &["DELETE FROM relay WHERE position = 1"],
        ),
        (
            &["INSERT INTO payloads (position, body) VALUES (7, '{}')"],
            "a row of payloads at position 7",
            None,
            &["DELETE FROM payloads WHERE position = 7"],
        ),
        (
            &["INSERT INTO erasures (position, erased_at, requested_by) VALUES (-3, 0, 'person')"],
            "a row of erasures at position -3",
            None,
            &["DELETE FROM erasures WHERE position = -3"],
        ),
    ];
    for (edit, words, position, undo) in edits {
        tamper(&database, edit).await;
        let finding = audit(&database, &[]).await.expect_err(words);
        assert!(finding.message.contains(words), "{words}: {finding}");
        assert_eq!(finding.position, position, "{finding}");
        tamper(&database, undo).await;
        audit(&database, &[]).await.expect("undone");
    }
    tamper(
        &database,
        &["INSERT INTO decisions (principal_id, purpose, position, decision, legal_basis, notice_revision, \
           issued_at, received_at) VALUES ('jwk-thumbprint:x', 'newsletter', 3, 'granted', 'consent', 'r', 0, 0)"],
    )
    .await;
    let finding = audit(&database, &[]).await.expect_err("a decision of no record");
    assert!(
        finding.message.contains("a row of decisions at position 3"),
        "{finding}"
    );
}

/// Creates the receiver's tables in `database`, as a receiver starting on it does.
async fn migrated(database: &str) {
    drop(receiver(database).await);
}

pub(crate) async fn a_kept_head_catches_a_log_rewritten_and_signed_again(database: String) {
    // The controller's key signs every acknowledgement, so whoever holds it can write another log with
    // acknowledgements that match its rows. A head kept from the first log tells them apart.
    let scratch = Scratch::new("rewritten");
    let first = scratch.sqlite();
    let kept = filled(&first, 3, 50).await;
    filled(&database, 3, 60).await;
    audit(&database, &[]).await.expect("whole in itself");
    let finding = audit(&database, &[&kept]).await.expect_err("not the kept log");
    assert_eq!(finding.position, None);
    assert!(finding.message.contains("first 3 records"), "{finding}");
}

pub(crate) async fn the_audit_command_exits_0_when_the_log_matches_and_1_naming_the_record_otherwise(
    database: String,
) {
    let head = filled(&database, 3, 70).await;
    let files = Scratch::new("audit-command");
    let key = files.file(
        "controller.jwk",
        &to_canonical_string(&Value::Object(controller().public().to_json())),
    );
    // Kept as the JWS, and as `GET /log/head` serves it (saved with curl -o).
    let served = files.file("head.json", &format!("{{\"head\":\"{head}\"}}\n"));
    let head = files.file("head.jws", &head);
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_consent-capture-receiver"))
            .args([
                "audit",
                "--database",
                &database,
                "--controller",
                &key,
                "--head",
                &head,
                "--head",
                &served,
            ])
            .output()
            .expect("the command runs")
    };
    let passed = run();
    let stdout = String::from_utf8_lossy(&passed.stdout);
    assert_eq!(passed.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("audit passed: 3 records"), "{stdout}");
    assert!(stdout.contains("2 kept heads and checkpoints match"), "{stdout}");

    tamper(
        &database,
        &["UPDATE records SET received_at = received_at + 1 WHERE position = 1"],
    )
    .await;
    let failed = run();
    let stdout = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("record 1: its receivedAt"), "{stdout}");

    let missing = Command::new(env!("CARGO_BIN_EXE_consent-capture-receiver"))
        .args(["audit", "--database", &database])
        .output()
        .expect("the command runs");
    assert_eq!(missing.status.code(), Some(2));
}

pub(crate) async fn the_audit_reads_a_copy_as_it_is_and_refuses_a_view_in_place_of_a_table(database: String) {
    let head = filled(&database, 3, 60).await;
    // A copy made while receivers run (VACUUM INTO, in rollback-journal mode), read-only on disk: audited as
    // it is, without the audit changing its journal mode.
    if let Some(path) = database.strip_prefix("sqlite:") {
        let copy = format!("{path}.copy");
        tamper(&database, &[&format!("VACUUM INTO '{copy}'")]).await;
        let mut permissions = std::fs::metadata(&copy).expect("the copy").permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&copy, permissions).expect("read-only");
        let report = audit(&format!("sqlite:{copy}"), &[&head])
            .await
            .expect("the copy audits");
        assert_eq!(report.records, 3);
    }
    // A view where a table was can say anything (or never finish): refused before any row is read.
    tamper(
        &database,
        &[
            "ALTER TABLE decisions RENAME TO decisions_kept",
            "CREATE VIEW decisions AS SELECT * FROM decisions_kept",
        ],
    )
    .await;
    let finding = audit(&database, &[&head]).await.expect_err("a view is a finding");
    assert!(finding.message.contains("decisions is not a table"), "{finding}");
}
