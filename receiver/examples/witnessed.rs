//! `make bench`, the witnessed log (issue 32): receipts acknowledged per second flat out on SQLite with
//! witnessing off and on (three witnesses on loopback, a 2-of-3 quorum; the quorum's round trip is paid once a
//! group commit, so the ratio of the two rates is what witnessing costs), one cosigning round's latency as the
//! log grows, and how large a checkpoint and an acknowledgement's proof are from 10^3 to 10^6 records. Prints
//! the figures and writes them to `target/bench/witnessed.json` for docs/benchmarks.md.

// The tests' helpers: the benchmark needs only some of them.
#[allow(dead_code)]
#[path = "../tests/databases/mod.rs"]
mod databases;
// The load benchmark's: this one reads only the rate and the refusals of a run.
#[allow(dead_code)]
#[path = "common/offer.rs"]
mod offer;
#[allow(dead_code)]
#[path = "../tests/receipts/mod.rs"]
mod receipts;

use consent_capture::jose::sha256::sha256;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::Value;
use consent_capture::tlog::note::{Note, COSIGNATURE_V1, ED25519};
use consent_capture::tlog::policy::Policy;
use consent_capture::tlog::proof::Proof;
use consent_capture::tlog::signer::NoteSigner;
use consent_capture_receiver::config::{Config, Limits};
use consent_capture_receiver::log::{Entry, Log};
use consent_capture_receiver::server::router;
use consent_capture_receiver::state::Receiver;
use consent_capture_receiver::witness::Witness;
use consent_capture_receiver::witness_server::serve;
use consent_capture_receiver::witness_store::WitnessStore;
use consent_capture_receiver::witnessing::Witnessing;
use databases::Scratch;
use offer::{offer, FLAT_OUT};
use receipts::{demo_config, from_own_device, now};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

fn log_key() -> NoteSigner {
    NoteSigner::from_seed("bench.example/log", ED25519, [1; 32])
}

/// Three witnesses on loopback, and the 2-of-3 policy naming them.
async fn witnesses(scratch: &Scratch) -> Policy {
    let mut policy = format!("log {}\n", log_key().verifier().to_text());
    for n in 1..=3u8 {
        let key = NoteSigner::from_seed(&format!("witness.example/w{n}"), COSIGNATURE_V1, [n + 1; 32]);
        policy += &format!("witness w{n} {} ", key.verifier().to_text());
        let store = WitnessStore::open(&format!("{}-w{n}", scratch.sqlite()))
            .await
            .expect("a store");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        policy += &format!("http://{}\n", listener.local_addr().expect("an address"));
        let witness = Witness::new(key, vec![log_key().verifier().clone()], store);
        tokio::spawn(serve(witness, listener, std::future::pending()));
    }
    Policy::parse(&(policy + "group most 2 w1 w2 w3\nquorum most\n")).expect("a policy")
}

/// Receipts acknowledged per second, flat out, `count` of them, from `first` on.
async fn rate(database: &str, policy: Option<&Policy>, first: u64, count: u64) -> (f64, f64) {
    let config = Config {
        limits: Limits {
            burst: 0,
            ..Limits::default()
        },
        log_key: Some(log_key()),
        witness_policy: policy.cloned(),
        ..demo_config(database)
    };
    let receiver = Receiver::open(config).await.expect("opens");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("http://{}/receipts", listener.local_addr().expect("an address"));
    let service = router(receiver).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    let issued_at = now() - 60;
    let bodies = (first..first + count)
        .map(|n| from_own_device(n, issued_at).body)
        .collect();
    let run = offer("SQLite", &url, bodies, FLAT_OUT).await;
    let acknowledged = 1.0 - run.refused as f64 / run.receipts as f64;
    (run.achieved * acknowledged, acknowledged)
}

/// One cosigning round (three witnesses asked at once, answered at the quorum) after `added` records, the
/// median of `rounds`, in milliseconds.
async fn cosigning_ms(policy: &Policy, added: u64, rounds: usize) -> f64 {
    let witnessing = Witnessing::new(policy.clone(), Duration::from_secs(10), None);
    let mut log = Log::new();
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        for _ in 0..added {
            log.push(sha256(&log.size().to_le_bytes()));
        }
        let started = Instant::now();
        witnessing.cosign(&log, &log_key()).await.expect("cosigned");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let count: u64 = std::env::var("RECEIVER_BENCH_RECEIPTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let scratch = Scratch::new("bench-witnessed");
    let policy = runtime.block_on(witnesses(&scratch));
    let plain = runtime.block_on(rate(&format!("{}-plain", scratch.sqlite()), None, 0, count));
    let witnessed = runtime.block_on(rate(
        &format!("{}-witnessed", scratch.sqlite()),
        Some(&policy),
        count,
        count,
    ));
    // The witnesses hold the log above: another log's rounds start from nothing (a fresh store would too).
    let other = runtime.block_on(witnesses(&Scratch::new("bench-cosigning")));
    let rounds: Vec<(u64, f64)> = [1u64, 100]
        .iter()
        .map(|&added| (added, runtime.block_on(cosigning_ms(&other, added, 50))))
        .collect();

    let mut sizes = Vec::new();
    let mut log = Log::new();
    let key = log_key();
    for size in [1_000u64, 10_000, 100_000, 1_000_000] {
        while log.size() < size {
            log.push(sha256(&log.size().to_le_bytes()));
        }
        // Signed by the log and cosigned by two witnesses, as a 2-of-3 quorum leaves it.
        let signed = consent_capture_receiver::acknowledgement::signed_checkpoint(&key, log.head());
        let mut note = Note::parse(&signed).expect("a note");
        for n in 1..=2u8 {
            let witness =
                NoteSigner::from_seed(&format!("witness.example/w{n}"), COSIGNATURE_V1, [n + 1; 32]);
            note.signatures.push(witness.cosign(&note.text, 1_790_000_000));
        }
        let cosigned = note.to_text();
        let entry = Entry {
            position: size / 3,
            receipt_id: "0b6c8a8e-4a53-4e8f-9d0a-6f1f7a0c2d3e".into(),
            receipt_sha256: "x".repeat(43),
            body_sha256: "x".repeat(43),
            received_at: 1_790_000_000,
        };
        let proof = Proof {
            extra: Some(to_canonical_string(&Value::Object(entry.to_json())).into_bytes()),
            index: size / 3,
            inclusion: log.inclusion(size / 3).expect("a proof"),
            checkpoint: cosigned.clone(),
        };
        let cosigned = cosigned.len();
        sizes.push((size, cosigned, proof.to_text().len()));
    }

    println!(
        "witnessed log ({count} receipts a run on SQLite, flat out; three witnesses on loopback, 2 of 3)"
    );
    println!(
        "  receipts/s, witnessing off  {:>8.0} ({:.0} % acknowledged)",
        plain.0,
        plain.1 * 100.0
    );
    println!(
        "  receipts/s, witnessing on   {:>8.0} ({:.0} % acknowledged)",
        witnessed.0,
        witnessed.1 * 100.0
    );
    println!("  on ÷ off                    {:>8.2}", witnessed.0 / plain.0);
    for (added, ms) in &rounds {
        println!("  one cosigning round after {added:>3} records: {ms:.2} ms (median of 50)");
    }
    for (size, checkpoint, proof) in &sizes {
        println!("  at {size:>9} records: cosigned checkpoint {checkpoint} bytes, acknowledgement's proof {proof} bytes");
    }
    let json = serde_json::json!({
        "receipts": count,
        "perSecondOff": plain.0,
        "perSecondOn": witnessed.0,
        "acknowledgedOn": witnessed.1,
        "cosigningMs": rounds.iter().map(|(added, ms)| serde_json::json!({ "added": added, "ms": ms })).collect::<Vec<_>>(),
        "sizes": sizes.iter().map(|(size, checkpoint, proof)| serde_json::json!({ "records": size, "checkpointBytes": checkpoint, "proofBytes": proof })).collect::<Vec<_>>(),
    });
    std::fs::create_dir_all("target/bench").expect("target/bench");
    std::fs::write("target/bench/witnessed.json", json.to_string()).expect("witnessed.json");
}
