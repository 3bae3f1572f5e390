//! The HTTP server: the routes ([`crate::routes`]) under their layers (per-client rate limits, body size,
//! timeouts, CORS), within the connection limits of [`crate::connections`]. Any other path is a 404; every
//! refusal is a JSON body `{"error": {"rule", "at", "message"}}` with a 4xx status (503 when the database
//! fails).

use crate::client_address::ClientKey;
use crate::config::Limits;
use crate::connections::serve_bounded;
use crate::refusal::Refusal;
use crate::routes;
use crate::state::Receiver;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::{GovernorError, GovernorLayer};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

/// The routes and layers over `receiver`. Called within a Tokio runtime (the rate limiter's clean-up runs on it).
pub fn router(receiver: Arc<Receiver>) -> Router {
    let origins: Vec<HeaderValue> = receiver
        .config
        .allowed_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::POST, Method::GET])
        .allow_headers([header::CONTENT_TYPE, HeaderName::from_static("idempotency-key")]);
    let limits = receiver.config.limits;
    let key = ClientKey::new(receiver.config.trusted_proxies.clone());
    let submit = routes::receipts::routes().merge(routes::log::routes());
    // The person's routes stay limited with --burst 0 too: the challenges and links they hand out must
    // not come at any rate.
    let person_limits = if limits.burst == 0 {
        Limits::default()
    } else {
        limits
    };
    let person = routes::access::routes().merge(routes::confirm::routes());
    let public = limit_rate(submit, limits, key.clone()).merge(limit_rate(person, person_limits, key));
    // The public routes are rate-limited per address; the read side, which needs the token, is not (a
    // controller's systems ask it from one address, as often as they act on someone's data).
    public
        .merge(routes::records::routes(&receiver))
        .merge(routes::relay::routes(&receiver))
        // For load balancers and monitors, which ask often from one address: not rate-limited.
        .route("/healthz", get(routes::health::healthz))
        .fallback(routes::health::not_found)
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        // Outermost, so that a browser can read a 429.
        .layer(cors)
        .with_state(receiver)
}

/// Per-client rate limiting (tower_governor: a token bucket per client, [`ClientKey`]: the peer, or the
/// client a trusted proxy forwarded for; an IPv6 /64), unless the burst is 0.
fn limit_rate(router: Router<Arc<Receiver>>, limits: Limits, key: ClientKey) -> Router<Arc<Receiver>> {
    let Some(config) = GovernorConfigBuilder::default()
        .key_extractor(key)
        .period(Duration::from_secs(1) / limits.per_second.max(1))
        .burst_size(limits.burst)
        .finish()
    else {
        return router;
    };
    // Forget addresses that stopped sending, while the router lives.
    let limiter = Arc::downgrade(config.limiter());
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            let Some(limiter) = limiter.upgrade() else {
                return;
            };
            limiter.retain_recent();
        }
    });
    router.layer(GovernorLayer::new(config).error_handler(|error| match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            // The limiter gives whole seconds, rounded down: a client told 0 would come back at once.
            let wait_time = wait_time + 1;
            let message = format!("too many requests from this address: try again in {wait_time} s");
            let mut response = Refusal::new(429, "rate", "(address)", message).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait_time));
            response
        }
        _ => Refusal::new(400, "address", "(address)", "the peer address is unknown").into_response(),
    }))
}

/// Serves `receiver` ([`Receiver::open`]) on `listener`, within its connection limits
/// ([`crate::connections`]), until `shutdown` completes, then finishes the requests in flight.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    receiver: Arc<Receiver>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), std::io::Error> {
    let limits = receiver.config.limits;
    serve_bounded(router(receiver), listener, limits, shutdown).await
}
