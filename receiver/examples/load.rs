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
#[allow(dead_code)]
#[path = "../tests/receipts/mod.rs"]
mod receipts;

use consent_capture::json::parse;
use consent_capture_receiver::config::{Config, Limits};
use consent_capture_receiver::log::Log;
use consent_capture_receiver::server::router;
use consent_capture_receiver::state::Receiver;
use databases::{Postgres, Scratch};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use receipts::{demo_config, from_own_device, now};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// The loads a run offers, in receipts a second: one the receiver keeps up with, and the goal.
const OFFERED_PER_SECOND: [u64; 2] = [400, 2_000];
/// An offered load that makes every request due at once.
const FLAT_OUT: u64 = u64::MAX / 2;
/// Requests in flight at most (beyond it, requests wait and their latency grows).
const IN_FLIGHT: usize = 128;

struct Run {
    database: &'static str,
    receipts: usize,
    offered: u64,
    achieved: f64,
    p50_ms: f64,
    p99_ms: f64,
    refused: usize,
}

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

/// Offers `bodies` at `per_second`, each request due at its own time, and measures when each answer came.
async fn offer(database: &'static str, url: &str, bodies: Vec<String>, per_second: u64) -> Run {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let started = tokio::time::Instant::now();
    let count = bodies.len();
    let mut tasks = Vec::with_capacity(count);
    for (n, body) in bodies.into_iter().enumerate() {
        let due = started + Duration::from_secs_f64(n as f64 / per_second as f64);
        let (client, slots, url) = (client.clone(), slots.clone(), url.to_owned());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(due).await;
            let _slot = slots.acquire_owned().await.expect("open");
            let request = hyper::Request::post(url)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(body)))
                .expect("a request");
            let response = client.request(request).await.expect("an answer");
            let ok = response.status() == 200;
            let answer = response.into_body().collect().await.expect("a body").to_bytes();
            let acknowledged = ok
                && parse(std::str::from_utf8(&answer).unwrap_or_default())
                    .ok()
                    .and_then(|v| v.as_object().and_then(|o| o.get("acknowledgement")).cloned())
                    .is_some();
            (Instant::now() - due.into_std(), acknowledged)
        }));
    }
    let mut latencies = Vec::with_capacity(count);
    let mut refused = 0;
    for task in tasks {
        let (latency, acknowledged) = task.await.expect("the request task");
        latencies.push(latency.as_secs_f64() * 1000.0);
        refused += usize::from(!acknowledged);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Run {
        database,
        receipts: count,
        offered: per_second,
        achieved: count as f64 / elapsed,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        refused,
    }
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
