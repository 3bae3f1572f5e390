//! `make bench`, the read side's part: a consent-state query and a person's ISO/IEC TS 27560 history export
//! on a log of 10^6 records in SQLite (p50/p99). Prints the figures and writes them to
//! `target/bench/records.json` for docs/benchmarks.md. `RECORDS=100000` runs it on a smaller log.
//!
//! The log: 250,000 people with 4 receipts each (a first one and three changes that follow it), written through the store
//! in batches as the appender writes them. The people the queries ask about have real signed receipts; the
//! others' rows carry a copy of a real receipt, body and acknowledgement under their own ids (the rows are as
//! large as real ones; nothing reads their contents), which keeps building the log to about a minute.

// The tests' helpers: the benchmark needs only some of them.
#[allow(dead_code)]
#[path = "../tests/databases/mod.rs"]
mod databases;
#[allow(dead_code)]
#[path = "../tests/receipts/mod.rs"]
mod receipts;

use consent_capture::jose::sign::PrivateKey;
use consent_capture::receipt::body_sha256;
use consent_capture::receipt::check::inspect;
use consent_capture_receiver::confirmation::Confirmed;
use consent_capture_receiver::consent_state::state_json;
use consent_capture_receiver::decisions::decisions_of;
use consent_capture_receiver::export::{person, Format, Payloads};
use consent_capture_receiver::store::{Record, Store};
use databases::Scratch;
use receipts::{first_receipt, granting, make, now, Draft, Made};
use std::time::Instant;

const RECEIPTS_A_PERSON: u64 = 4;
/// People asked about, each with real receipts.
const ASKED: u64 = 500;
/// Rows a transaction.
const BATCH: u64 = 5_000;

fn device(person: u64) -> PrivateKey {
    let mut seed = [7u8; 32];
    seed[..8].copy_from_slice(&person.to_le_bytes());
    PrivateKey::ed25519_from_seed(seed)
}

fn percentiles(mut micros: Vec<f64>) -> (f64, f64) {
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() as f64 * q) as usize).min(micros.len() - 1)] / 1000.0;
    (at(0.5), at(0.99))
}

#[tokio::main]
async fn main() {
    let total: u64 = std::env::var("RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let people = total / RECEIPTS_A_PERSON;
    let scratch = Scratch::new("records-bench");
    let database = scratch.sqlite();
    let store = Store::open(&database).await.expect("the database");
    let received_at = now() - 60;
    // Asked-about people are spread over the log: every (people / ASKED)-th.
    let stride = (people / ASKED).max(1);
    let template: Made = first_receipt(&device(u64::MAX), true, received_at - 60, u64::MAX);
    let template_claims = inspect(&template.receipt).expect("a receipt").1;
    let mut last: Option<Made> = None;
    let acknowledgement = "x".repeat(1_500);
    let started = Instant::now();
    let mut position = 0;
    let mut asked = Vec::new();
    while position < total {
        let mut records = Vec::new();
        let mut decisions = Vec::new();
        for _ in 0..BATCH.min(total - position) {
            let person = position / RECEIPTS_A_PERSON;
            let receipt_id = format!("{position:08}-0000-4000-8000-000000000000");
            let real = person % stride == 0 && person / stride < ASKED;
            let (made, claims) = if real {
                let draft = Draft {
                    decisions: granting(position % 2 == 0),
                    issued_at: received_at - 60,
                    previous: last.as_ref().map(|made| made.receipt.as_str()),
                    seed: position,
                    language: "en",
                };
                let made = make(&device(person), draft);
                let claims = inspect(&made.receipt).expect("a receipt").1;
                if position % RECEIPTS_A_PERSON == 0 {
                    asked.push(format!("jwk-thumbprint:{}", device(person).public().thumbprint()));
                }
                last = Some(made.clone());
                (made, claims)
            } else {
                (template.clone(), template_claims.clone())
            };
            if position % RECEIPTS_A_PERSON == RECEIPTS_A_PERSON - 1 {
                last = None;
            }
            let mut rows = decisions_of(&claims, position, received_at);
            if !real {
                for row in &mut rows {
                    row.principal_id = format!("synthetic:{person}");
                    row.receipt_id.clone_from(&receipt_id);
                }
            }
            decisions.extend(rows);
            records.push(Record {
                position,
                receipt_id: if real { made.receipt_id.clone() } else { receipt_id },
                receipt: made.receipt.clone(),
                body_sha256: body_sha256(&made.body),
                body: Some(made.body.clone()),
                received_at,
                acknowledgement: acknowledgement.clone(),
                erased_at: None,
            });
            position += 1;
        }
        store
            .append_all(&records, &decisions, false)
            .await
            .expect("stored");
    }
    let built = started.elapsed().as_secs_f64();
    println!("records: a log of {total} records ({people} people) built in {built:.0} s");

    let mut state = Vec::new();
    for principal in asked.iter().cycle().take(2_000) {
        let started = Instant::now();
        let decisions = store.decisions_about(principal).await.expect("decisions");
        let answer = state_json(principal, &decisions, &Confirmed::default(), 0);
        state.push(started.elapsed().as_nanos() as f64 / 1000.0);
        assert_eq!(answer["purposes"].as_array().map(Vec::len), Some(3));
    }
    let mut export = Vec::new();
    for principal in &asked {
        let started = Instant::now();
        let document = person(&store, principal, Format::Iso27560, Payloads::Left)
            .await
            .expect("an export");
        export.push(started.elapsed().as_nanos() as f64 / 1000.0);
        assert!(document["@graph"]
            .as_array()
            .is_some_and(|graph| !graph.is_empty()));
    }
    let (state_p50, state_p99) = percentiles(state);
    let (export_p50, export_p99) = percentiles(export);
    println!(
        "records: consent state of one person: p50 {state_p50:.3} ms, p99 {state_p99:.3} ms (2,000 queries)"
    );
    println!(
        "records: ISO 27560 history export of one person ({RECEIPTS_A_PERSON} receipts): p50 {export_p50:.3} ms, \
         p99 {export_p99:.3} ms ({} exports)",
        asked.len()
    );
    let json = serde_json::json!({
        "database": "SQLite",
        "records": total,
        "people": people,
        "receiptsAPerson": RECEIPTS_A_PERSON,
        "buildSeconds": built,
        "stateP50Ms": state_p50,
        "stateP99Ms": state_p99,
        "stateQueries": 2_000,
        "exportP50Ms": export_p50,
        "exportP99Ms": export_p99,
        "exports": asked.len(),
    });
    std::fs::create_dir_all("target/bench").expect("target/bench");
    std::fs::write("target/bench/records.json", json.to_string()).expect("records.json");
}
