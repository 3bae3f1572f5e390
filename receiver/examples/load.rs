//! `make bench`, the receiver's part: receipts verified, stored durably and acknowledged per second, with
//! p50/p99 latency at a fixed offered load, on SQLite and on PostgreSQL (a server of its own, started and
//! stopped here); then how the log's cost of appending and of a proof grows from 10^3 to 10^6 records.
//! Prints the figures and writes them to `target/bench/receiver.json` for docs/benchmarks.md.
//!
//! The receiver runs in this process on a loopback port and the load comes over HTTP/1.1 keep-alive
//! connections, so both share the machine's cores. Latency is measured from when each request was due, not
//! when it was sent, so that a slow answer also counts against the requests queued behind it.

// The tests' helpers: the benchmark needs only some of them.
#[allow(dead_code)]
#[path = "../tests/databases/mod.rs"]
mod databases;
#[path = "common/offer.rs"]
mod offer;
#[allow(dead_code)]
#[path = "../tests/receipts/mod.rs"]
mod receipts;

use consent_capture_receiver::config::{Config, Limits};
use consent_capture_receiver::log::Log;
use consent_capture_receiver::server::router;
use consent_capture_receiver::state::Receiver;
use databases::{Postgres, Scratch};
use offer::{offer, Run, FLAT_OUT};
use receipts::{demo_config, from_own_device, now};
use std::net::SocketAddr;
use std::time::Instant;
use tokio::net::TcpListener;

/// The loads a run offers, in receipts a second: one the receiver keeps up with, and the goal.
const OFFERED_PER_SECOND: [u64; 2] = [400, 2_000];

async fn serve(database: &str) -> SocketAddr {
    let config = Config {
        // One address sends everything here: no rate limit.
        limits: Limits {
            burst: 0,
            ..Limits::default()
        },
        ..demo_config(database)
    };
    let receiver = Receiver::open(config).await.expect("the database opens");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    let service = router(receiver).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    address
}

/// Bodies as the element's json adapter posts them, numbered `numbers` (receipt ids and device keys), each
/// from a device of its own (none follows another).
fn bodies(numbers: std::ops::Range<u64>) -> Vec<String> {
    let issued_at = now() - 60;
    numbers.map(|n| from_own_device(n, issued_at).body).collect()
}

async fn load(database: &'static str, url: &str, count: u64) -> Vec<Run> {
    let address = serve(url).await;
    let endpoint = format!("http://{address}/receipts");
    let mut runs = Vec::new();
    // As fast as it goes last: everything due at once, IN_FLIGHT at a time (its latencies are queueing).
    for (n, per_second) in OFFERED_PER_SECOND.into_iter().chain([FLAT_OUT]).enumerate() {
        let numbers = n as u64 * count..(n as u64 + 1) * count;
        runs.push(offer(database, &endpoint, bodies(numbers), per_second).await);
    }
    runs
}

struct Growth {
    size: u64,
    append_us: f64,
    inclusion_us: f64,
    consistency_us: f64,
}

/// The in-memory log at 10^3 … 10^6 leaves: the mean cost of one append, one inclusion proof and one
/// consistency proof (from half the size) at each.
fn log_growth() -> Vec<Growth> {
    let mut log = Log::new();
    let mut rows = Vec::new();
    let leaf = |n: u64| consent_capture::jose::sha256::sha256(&n.to_le_bytes());
    for size in [1_000u64, 10_000, 100_000, 1_000_000] {
        while log.size() < size - 1_000 {
            log.push(leaf(log.size()));
        }
        let started = Instant::now();
        for _ in 0..1_000 {
            log.push(leaf(log.size()));
        }
        let append_us = started.elapsed().as_secs_f64() * 1e6 / 1_000.0;
        let started = Instant::now();
        for n in 0..1_000 {
            std::hint::black_box(log.inclusion(n * 7_919 % size));
        }
        let inclusion_us = started.elapsed().as_secs_f64() * 1e6 / 1_000.0;
        let started = Instant::now();
        for _ in 0..100 {
            std::hint::black_box(log.consistency(size / 2));
        }
        let consistency_us = started.elapsed().as_secs_f64() * 1e6 / 100.0;
        rows.push(Growth {
            size,
            append_us,
            inclusion_us,
            consistency_us,
        });
    }
    rows
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let count: u64 = std::env::var("RECEIVER_BENCH_RECEIPTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4_000);
    let scratch = Scratch::new("bench");
    let sqlite = runtime.block_on(load("SQLite", &scratch.sqlite(), count));
    let server = Postgres::start();
    let url = runtime.block_on(server.database("bench"));
    let postgres = runtime.block_on(load("PostgreSQL", &url, count));
    drop(server);
    let growth = log_growth();

    println!(
        "receiver ({count} receipts a run, each verified, stored durably and acknowledged; load and receiver share 2 cores)"
    );
    let mut runs = Vec::new();
    for run in sqlite.iter().chain(&postgres) {
        let offered = if run.offered == FLAT_OUT {
            "flat out".to_owned()
        } else {
            format!("{}/s offered", run.offered)
        };
        println!(
            "  {:<10} {:<16} {:>7.0} receipts/s   p50 {:>8.1} ms   p99 {:>8.1} ms   not acknowledged {}",
            run.database, offered, run.achieved, run.p50_ms, run.p99_ms, run.refused
        );
        runs.push(format!(
            "{{\"database\":\"{}\",\"receipts\":{},\"offered\":{},\"achieved\":{:.1},\"p50Ms\":{:.2},\"p99Ms\":{:.2},\"notAcknowledged\":{}}}",
            run.database,
            run.receipts,
            if run.offered == FLAT_OUT { "null".to_owned() } else { run.offered.to_string() },
            run.achieved,
            run.p50_ms,
            run.p99_ms,
            run.refused
        ));
    }
    println!("log (in memory, RFC 9162 tree): mean cost at each size");
    let mut rows = Vec::new();
    for row in &growth {
        println!(
            "  {:>9} records   append {:>7.2} µs   inclusion proof {:>7.2} µs   consistency proof {:>7.2} µs",
            row.size, row.append_us, row.inclusion_us, row.consistency_us
        );
        rows.push(format!(
            "{{\"size\":{},\"appendUs\":{:.3},\"inclusionUs\":{:.3},\"consistencyUs\":{:.3}}}",
            row.size, row.append_us, row.inclusion_us, row.consistency_us
        ));
    }
    let json = format!("{{\"runs\":[{}],\"log\":[{}]}}\n", runs.join(","), rows.join(","));
    std::fs::create_dir_all("target/bench").expect("target/bench");
    std::fs::write("target/bench/receiver.json", json).expect("target/bench/receiver.json");
}
