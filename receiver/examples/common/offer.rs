//! The load the receiver's benchmarks offer (`--example load`, `--example witnessed`): request bodies posted
//! over HTTP/1.1 keep-alive at a given rate, or all at once, with when each answer came and whether it was an
//! acknowledgement.

use consent_capture::json::parse;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// An offered load that makes every request due at once.
pub(crate) const FLAT_OUT: u64 = u64::MAX / 2;
/// Requests in flight at most (beyond it, requests wait and their latency grows).
const IN_FLIGHT: usize = 128;

/// How one offered load went.
pub(crate) struct Run {
    pub(crate) database: &'static str,
    pub(crate) receipts: usize,
    pub(crate) offered: u64,
    pub(crate) achieved: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) refused: usize,
}

/// Offers `bodies` at `per_second`, each request due at its own time, and measures when each answer came.
pub(crate) async fn offer(database: &'static str, url: &str, bodies: Vec<String>, per_second: u64) -> Run {
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
