//! Faults: the receiver's process killed (SIGKILL) in the middle of a load and started again, and its
//! database unreachable for a while. The client behaves as the element's outbox does: whatever got no
//! acknowledgement is sent again later, with the same body. Afterwards every receipt is stored exactly once,
//! every acknowledgement given before the fault is still the one stored, and the audit passes.

use super::databases::{Postgres, Scratch};
use super::receipts::{controller, from_own_device, now, Made, DEMO_NOTICE};
use super::{receiver, submit};
use axum::http::StatusCode;
use consent_capture_receiver::audit::audit_database;
use consent_capture_receiver::store::Store;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::collections::HashMap;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `count` receipts, each from a device of its own, numbered from `first`.
fn receipts(first: u64, count: u64) -> Vec<Made> {
    (first..first + count)
        .map(|n| from_own_device(n, now() - 30))
        .collect()
}

/// The receiver's binary on a free loopback port. `timeout` stops it by itself should this test die first;
/// [`Running::kill`] sends SIGKILL to the receiver itself.
struct Running {
    watchdog: Child,
    url: String,
}

impl Running {
    fn start(database: &str, scratch: &Scratch) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let key = scratch.file(
            "controller.jwk",
            include_str!("../../../tools/demo-controller.jwk"),
        );
        let watchdog = Command::new("timeout")
            .args(["120", env!("CARGO_BIN_EXE_consent-capture-receiver")])
            .args(["--notice", DEMO_NOTICE, "--key", &key, "--database", database])
            .args(["--listen", &format!("127.0.0.1:{port}"), "--burst", "0", "--demo"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the receiver starts");
        let running = Self {
            watchdog,
            url: format!("http://127.0.0.1:{port}/receipts"),
        };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return running;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the receiver did not listen on {port}");
    }

    /// SIGKILL to the receiver (the watchdog's child), as a crash or an OOM kill would.
    fn kill(&mut self) {
        let children = Command::new("pgrep")
            .args(["-P", &self.watchdog.id().to_string()])
            .output()
            .expect("pgrep");
        let pid = String::from_utf8_lossy(&children.stdout).trim().to_owned();
        assert!(!pid.is_empty(), "the receiver runs under its watchdog");
        let killed = Command::new("kill").args(["-KILL", &pid]).status().expect("kill");
        assert!(killed.success());
        let _ = self.watchdog.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("pkill")
            .args(["-KILL", "-P", &self.watchdog.id().to_string()])
            .status();
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
    }
}

type Http = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// Posts `made` as the element's outbox does; `Some(acknowledgement)` on a 200, `None` when the attempt
/// failed (refused connection, a 5xx, a dropped connection): the outbox keeps it and tries again.
async fn deliver(client: &Http, url: &str, made: &Made) -> Option<String> {
    let request = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header("idempotency-key", &made.receipt_id)
        .body(Full::new(Bytes::from(made.body.clone())))
        .expect("a request");
    let response = client.request(request).await.ok()?;
    let ok = response.status() == StatusCode::OK;
    let body = response.into_body().collect().await.ok()?.to_bytes();
    let answer = consent_capture::json::parse(std::str::from_utf8(&body).ok()?).ok()?;
    let acknowledgement = answer.as_object()?.get("acknowledgement")?.as_str()?.to_owned();
    ok.then_some(acknowledgement)
}

async fn stored(database: &str) -> HashMap<String, String> {
    let store = Store::open(database).await.expect("the database");
    let mut held = HashMap::new();
    for record in store.records_page(0, 1_000_000).await.expect("records") {
        assert!(
            held.insert(record.receipt_id.clone(), record.acknowledgement)
                .is_none(),
            "receipt {} is stored twice",
            record.receipt_id
        );
    }
    held
}

pub(crate) async fn a_receiver_killed_in_the_middle_of_a_load_keeps_every_acknowledged_receipt_once(
    database: String,
) {
    let scratch = Scratch::new("killed");
    let load = receipts(1_000, 120);
    let client: Http = Client::builder(TokioExecutor::new()).build_http();
    let mut running = Running::start(&database, &scratch);

    // The load in flight, 16 at a time; the receiver is killed once 40 are acknowledged.
    let mut acknowledged: HashMap<String, String> = HashMap::new();
    let mut pending = load.iter();
    let mut in_flight = tokio::task::JoinSet::new();
    let mut killed = false;
    loop {
        while in_flight.len() < 16 {
            let Some(made) = pending.next() else { break };
            let (client, url, made) = (client.clone(), running.url.clone(), made.clone());
            in_flight.spawn(async move { (deliver(&client, &url, &made).await, made.receipt_id) });
        }
        let Some(done) = in_flight.join_next().await else {
            break;
        };
        if let (Some(acknowledgement), id) = done.expect("a delivery") {
            acknowledged.insert(id, acknowledgement);
        }
        if !killed && acknowledged.len() >= 40 {
            running.kill();
            killed = true;
        }
    }
    assert!(killed);
    assert!(acknowledged.len() < load.len(), "some were cut off by the kill");

    // Started again: the outbox sends everything that got no answer, and retries a few that did.
    let restarted = Running::start(&database, &scratch);
    for made in &load {
        let answer = deliver(&client, &restarted.url, made)
            .await
            .expect("accepted after the restart");
        if let Some(before) = acknowledged.get(&made.receipt_id) {
            assert_eq!(
                &answer, before,
                "an acknowledged receipt gets the same acknowledgement again"
            );
        }
    }
    drop(restarted);

    let held = stored(&database).await;
    assert_eq!(held.len(), load.len(), "every receipt stored, once");
    for (id, acknowledgement) in &acknowledged {
        assert_eq!(
            held.get(id),
            Some(acknowledgement),
            "what was acknowledged before the kill is stored"
        );
    }
    let report = audit_database(&database, &controller().public(), Vec::new(), None)
        .await
        .expect("readable")
        .expect("the audit passes");
    assert_eq!(report.records, load.len() as u64);
}

#[tokio::test]
async fn the_database_unreachable_for_a_while_costs_503s_and_nothing_else() {
    let server = Postgres::start();
    let database = server.database("outage").await;
    let receiver = receiver(&database).await;
    let load = receipts(2_000, 10);
    for made in &load[..5] {
        assert_eq!(submit(&receiver, made).await.status, StatusCode::OK);
    }

    // Each answer waits for the pool's acquire timeout (3 s): three are enough to show it.
    server.stop();
    for made in &load[5..8] {
        let answer = submit(&receiver, made).await;
        assert_eq!(answer.rule(), (StatusCode::SERVICE_UNAVAILABLE, "storage"));
    }
    server.restart();
    // The outbox's next try.
    for made in &load[5..] {
        assert_eq!(submit(&receiver, made).await.status, StatusCode::OK);
    }
    assert_eq!(stored(&database).await.len(), 10);
    audit_database(&database, &controller().public(), Vec::new(), None)
        .await
        .expect("readable")
        .expect("the audit passes");
}
