//! `make bench`, the relay's part: records relayed a second to a loopback CRM (a webhook that answers 204
//! at once), on SQLite. The queue is filled first (2,000 records stored as the appender stores them), then a
//! receiver starts and its relay empties it; the time runs from its start until the CRM has taken the last
//! record. Prints the figure and writes `target/bench/relay.json` for docs/benchmarks.md.
//!
//! The relay sends one request at a time (a person's records must arrive in order, and HubSpot allows 5 a
//! second), so this is the relay's own cost per record: reading it, shaping the request, the round trip, and
//! two durable commits (taking it, then marking it delivered). Then, apart from any network: the time the
//! core's interpreter takes to shape each shipped destination's request from one record (bound once, as the
//! relay binds at its start).

// The tests' helpers: the benchmark needs only some of them.
#[allow(dead_code)]
#[path = "../tests/databases/mod.rs"]
mod databases;
#[allow(dead_code)]
#[path = "../tests/receipts/mod.rs"]
mod receipts;

use axum::routing::post;
use axum::Router;
use consent_capture::destination::{shape, Destination, Evidence, NoticeFacts, SHIPPED};
use consent_capture::json::parse;
use consent_capture::notice::decisions::Decisions;
use consent_capture::receipt::body_sha256;
use consent_capture::receipt::last::LastReceipt;
use consent_capture_receiver::config::Config;
use consent_capture_receiver::decisions::decisions_of;
use consent_capture_receiver::relay_target::Crm;
use consent_capture_receiver::relay_target::RelayTarget;
use consent_capture_receiver::state::Receiver;
use consent_capture_receiver::store::{Record, Store};
use databases::Scratch;
use receipts::{demo_config, from_own_device, now};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const RECORDS: u64 = 2_000;

#[tokio::main]
async fn main() {
    let taken = Arc::new(AtomicUsize::new(0));
    let counter = taken.clone();
    let crm = Router::new().route(
        "/hook",
        post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}/hook", listener.local_addr().expect("an address"));
    tokio::spawn(async move { axum::serve(listener, crm).await });

    let scratch = Scratch::new("relay-bench");
    let database = scratch.sqlite();
    let store = Store::open(&database).await.expect("the database");
    let received_at = now() - 30;
    let mut records = Vec::new();
    let mut decisions = Vec::new();
    for n in 0..RECORDS {
        let made = from_own_device(n, received_at - 30);
        let claims = consent_capture::receipt::check::inspect(&made.receipt)
            .expect("a receipt")
            .1;
        decisions.extend(decisions_of(&claims, n, received_at));
        records.push(Record {
            position: n,
            receipt_id: made.receipt_id,
            receipt: made.receipt,
            body_sha256: body_sha256(&made.body),
            body: Some(made.body),
            received_at,
            acknowledgement: "acknowledgement".into(),
            erased_at: None,
        });
    }
    store
        .append_all(&records, &decisions, true)
        .await
        .expect("queued");
    drop(store);

    let config = Config {
        relay: Some(RelayTarget {
            crm: Crm::Webhook,
            url,
            per_second: 1_000_000,
        }),
        ..demo_config(&database)
    };
    let started = Instant::now();
    let receiver = Receiver::open(config).await.expect("the receiver");
    while taken.load(Ordering::Relaxed) < RECORDS as usize {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    drop(receiver);
    let per_second = RECORDS as f64 / seconds;
    println!("relay: {RECORDS} records to a loopback webhook in {seconds:.2} s: {per_second:.0} records/s");
    let shaping = shaping_each_destination(&records[0]);
    let json = serde_json::json!({
        "records": RECORDS, "seconds": seconds, "perSecond": per_second, "shaping": shaping,
    });
    std::fs::create_dir_all("target/bench").expect("target/bench");
    std::fs::write("target/bench/relay.json", json.to_string()).expect("relay.json");
}

/// Microseconds to shape each shipped destination's request for `record` (the mean of 2,000), by name, and
/// whether it sends one (a subscription the record does not grant sends nothing).
fn shaping_each_destination(record: &Record) -> serde_json::Map<String, serde_json::Value> {
    const TIMES: u32 = 2_000;
    let notice = receipts::notice();
    let facts = NoticeFacts::read(&notice.source);
    let last = LastReceipt::from_jws(&record.receipt).expect("a receipt");
    let decisions = Decisions::recorded(&notice, &last).to_json(&notice);
    let body = parse(record.body.as_deref().unwrap_or("{}")).expect("a body");
    let fields = body
        .as_object()
        .and_then(|b| b.get("fields")?.as_object().cloned())
        .unwrap_or_default();
    let evidence = Evidence {
        receipt: &record.receipt,
        receipt_id: &record.receipt_id,
        principal: "jwk-thumbprint:x",
        language: "en",
        page_uri: "",
        page_name: "",
        consent_time: record.received_at,
        relayed: true,
        contact: "",
    };
    let secret = |name: &str| Some(format!("secret-{name}"));
    let mut out = serde_json::Map::new();
    for (name, description) in SHIPPED {
        let destination = Destination::bind(description, &facts, Some("https://crm.example/submit"))
            .unwrap_or_else(|e| panic!("{name}: {}", e.text()));
        let sends = shape(
            &destination.submit,
            &facts,
            &decisions,
            &fields,
            evidence,
            &secret,
        )
        .is_some();
        let started = Instant::now();
        for _ in 0..TIMES {
            std::hint::black_box(shape(
                &destination.submit,
                &facts,
                &decisions,
                &fields,
                evidence,
                &secret,
            ));
        }
        let micros = started.elapsed().as_secs_f64() * 1e6 / f64::from(TIMES);
        let outcome = if sends { "a request" } else { "nothing to send" };
        println!("relay: shaping the {name} request: {micros:.1} µs ({outcome})");
        out.insert(
            (*name).to_owned(),
            serde_json::json!({ "microseconds": micros, "sends": sends }),
        );
    }
    out
}
