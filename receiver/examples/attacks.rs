//! `make bench`, the receiver under attack (issue 27): the latency of genuine posts while an attacker loops
//! erasures, beside the same posts without it, on SQLite and on PostgreSQL; and how much resident memory the
//! largest `/access` answer costs (a device with 80 MB of records, read page by page). Prints the figures and
//! writes them to `target/bench/attacks.json` for docs/benchmarks.md.
//!
//! The receiver's router is called in this process (no sockets): what is measured is the receiver's own work
//! and its database, which the attacker and the genuine posts share.

// The tests' helpers: the benchmark needs only some of them.
#[allow(dead_code)]
#[path = "../tests/databases/mod.rs"]
mod databases;
#[allow(dead_code)]
#[path = "../tests/receipts/mod.rs"]
mod receipts;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::receipt::access::request_signing_input;
use consent_capture_receiver::config::{Config, Limits};
use consent_capture_receiver::server::router;
use consent_capture_receiver::state::Receiver;
use databases::{Postgres, Scratch};
use receipts::{
    ada_named, demo_config, from_own_device, granting, make_under, notice, now, Draft, NOTICE_SIGNATURE,
};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const TOKEN: &str = "a-bench-read-token-of-forty-two-characters";
/// People whose records are there before the attack, one record each: what the attacker erases.
const PEOPLE: u64 = 2_000;
/// Genuine posts a run, offered at [`GENUINE_PER_SECOND`].
const GENUINE: u64 = 600;
const GENUINE_PER_SECOND: u64 = 30;

async fn open(database: &str) -> Router {
    let config = Config {
        limits: Limits {
            // One process sends everything here: no rate limit on posts (the person's routes keep theirs).
            burst: 0,
            field_chars: 300_000,
            body_bytes: 512 * 1024,
            ..Limits::default()
        },
        read_token: Some(TOKEN.into()),
        ..demo_config(database)
    };
    router(Receiver::open(config).await.expect("the database opens"))
}

async fn call(router: &Router, mut request: Request<Body>) -> (StatusCode, Value) {
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
    let response = router.clone().oneshot(request).await.expect("an answer");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn post(body: String) -> Request<Body> {
    Request::post("/receipts")
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("a request")
}

/// Posts the receipts numbered `numbers`, `per_second` (each due at its own time), and returns each one's
/// latency from when it was due, in milliseconds, sorted.
async fn genuine(router: &Router, numbers: std::ops::Range<u64>, per_second: u64) -> Vec<f64> {
    let started = tokio::time::Instant::now();
    let mut tasks = Vec::new();
    for (i, n) in numbers.enumerate() {
        let due = started + Duration::from_secs_f64(i as f64 / per_second as f64);
        let body = from_own_device(n, now() - 60).body;
        let router = router.clone();
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(due).await;
            let (status, _) = call(&router, post(body)).await;
            assert_eq!(status, StatusCode::OK, "a genuine post");
            (Instant::now() - due.into_std()).as_secs_f64() * 1000.0
        }));
    }
    let mut latencies = Vec::with_capacity(tasks.len());
    for task in tasks {
        latencies.push(task.await.expect("a post"));
    }
    latencies.sort_by(f64::total_cmp);
    latencies
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

/// Erases each person of `people` in turn, as fast as the receiver answers, until `stop`.
async fn attacker(router: Router, people: Vec<String>, stop: Arc<AtomicBool>, erasures: Arc<AtomicU64>) {
    for person in people.iter().cycle() {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let request = Request::post(format!("/records/{person}/erase"))
            .header("authorization", format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .expect("a request");
        let (status, _) = call(&router, request).await;
        assert_eq!(status, StatusCode::OK, "an erasure");
        erasures.fetch_add(1, Ordering::Relaxed);
    }
}

fn principal(n: u64) -> String {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&n.to_le_bytes());
    format!(
        "jwk-thumbprint:{}",
        PrivateKey::ed25519_from_seed(seed).public().thumbprint()
    )
}

async fn under_erasures(name: &str, database: &str) -> Value {
    let router = open(database).await;
    // Sixty-four at a time, so that they share group commits.
    for chunk in (0..PEOPLE).collect::<Vec<_>>().chunks(64) {
        let mut posts = tokio::task::JoinSet::new();
        for n in chunk {
            let (router, body) = (router.clone(), from_own_device(*n, now() - 60).body);
            posts.spawn(async move { call(&router, post(body)).await.0 });
        }
        while let Some(status) = posts.join_next().await {
            assert_eq!(status.expect("a post"), StatusCode::OK);
        }
    }
    let quiet = genuine(&router, PEOPLE..PEOPLE + GENUINE, GENUINE_PER_SECOND).await;
    let stop = Arc::new(AtomicBool::new(false));
    let erasures = Arc::new(AtomicU64::new(0));
    let people = (0..PEOPLE).map(principal).collect();
    let attack = tokio::spawn(attacker(router.clone(), people, stop.clone(), erasures.clone()));
    let started = Instant::now();
    let attacked = genuine(
        &router,
        PEOPLE + GENUINE..PEOPLE + 2 * GENUINE,
        GENUINE_PER_SECOND,
    )
    .await;
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    attack.await.expect("the attacker");
    let erased = erasures.load(Ordering::Relaxed);
    println!(
        "  {name:<10} genuine posts at {GENUINE_PER_SECOND}/s: p50 {:>6.1} ms  p99 {:>6.1} ms alone; \
         p50 {:>6.1} ms  p99 {:>6.1} ms while an attacker erased {:.0}/s",
        quantile(&quiet, 0.5),
        quantile(&quiet, 0.99),
        quantile(&attacked, 0.5),
        quantile(&attacked, 0.99),
        erased as f64 / seconds
    );
    json!({
        "database": name,
        "posts": GENUINE,
        "perSecond": GENUINE_PER_SECOND,
        "aloneP50Ms": quantile(&quiet, 0.5),
        "aloneP99Ms": quantile(&quiet, 0.99),
        "attackedP50Ms": quantile(&attacked, 0.5),
        "attackedP99Ms": quantile(&attacked, 0.99),
        "erasuresPerSecond": erased as f64 / seconds,
    })
}

/// The process's resident memory now and at its peak since the peak was last reset, in bytes (Linux).
fn resident() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn largest_access(database: &str) -> Value {
    let router = open(database).await;
    let device = PrivateKey::ed25519_from_seed([200; 32]);
    let name = "N".repeat(200_000);
    let typed = ada_named(&name);
    let notice = notice();
    let records = 400;
    for n in 0..records {
        let draft = Draft {
            decisions: granting(true),
            issued_at: now() - 1_000 + n as i64,
            previous: None,
            seed: 10_000 + n,
            language: "en",
        };
        let made = make_under(&notice, &device, draft, Some(NOTICE_SIGNATURE.trim()), &typed);
        let (status, _) = call(&router, post(made.body)).await;
        assert_eq!(status, StatusCode::OK);
    }
    // The peak from here on is the answer's (Linux: writing 5 to clear_refs resets VmHWM).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (before, _) = resident();
    let (_, challenge) = call(
        &router,
        Request::get("/access/challenge")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    let challenge = challenge["challenge"].as_str().expect("a challenge").to_owned();
    let request = device.sign(&request_signing_input(
        device.algorithm(),
        &device.public(),
        "access",
        &challenge,
    ));
    let started = Instant::now();
    let mut body = json!({ "request": request });
    let (mut pages, mut received, mut bytes) = (0, 0, 0);
    loop {
        let request = Request::post("/access")
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("a request");
        let (status, page) = call(&router, request).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            // The person's routes are rate-limited: a client waits as Retry-After says.
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        assert_eq!(status, StatusCode::OK);
        pages += 1;
        received += page["receipts"].as_array().map_or(0, Vec::len);
        bytes += page.to_string().len();
        match page["next"].as_str() {
            Some(next) => body = json!({ "next": next }),
            None => break,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let (_, peak) = resident();
    assert_eq!(received, records as usize, "every record, page by page");
    let growth = peak.saturating_sub(before);
    println!(
        "  /access over {records} records of 200 KB ({:.0} MB): {pages} pages in {seconds:.1} s; peak resident growth \
         {:.1} MB",
        bytes as f64 / 1e6,
        growth as f64 / 1e6
    );
    json!({
        "records": records,
        "answerBytes": bytes,
        "pages": pages,
        "seconds": seconds,
        "peakGrowthBytes": growth,
    })
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!("receiver under attack");
    let scratch = Scratch::new("attacks");
    let sqlite = runtime.block_on(under_erasures("SQLite", &scratch.sqlite()));
    let server = Postgres::start();
    let url = runtime.block_on(server.database("attacks"));
    let postgres = runtime.block_on(under_erasures("PostgreSQL", &url));
    drop(server);
    let access_scratch = Scratch::new("attacks-access");
    let access = runtime.block_on(largest_access(&access_scratch.sqlite()));
    let out = json!({ "erasures": [sqlite, postgres], "access": access });
    std::fs::create_dir_all("target/bench").expect("target/bench");
    std::fs::write("target/bench/attacks.json", format!("{out}\n")).expect("target/bench/attacks.json");
}
