//! The HTTP side: `POST /receipts` (the element's `json` adapter), `GET /log/head`,
//! `GET /log/consistency?from=N`, the controller's read side under `/records/` ([`read_api`]), the
//! person's under `/access` ([`access`]), double opt-in's links under `/confirm` ([`confirmation_pages`]), and
//! `GET /healthz`; any other path is a 404. Limits, timeouts and
//! CORS are tower layers; every refusal is a JSON body `{"error": {"rule", "at", "message"}}` with a 4xx
//! status (503 when the database fails).

use crate::access;
use crate::acknowledgement::signed_head;
use crate::appender::{self, catch_up, storage_failed, Appender, Tree};
use crate::client_address::ClientKey;
use crate::config::{Config, Limits};
use crate::connections::serve_bounded;
use crate::crm_request::{hubspot_contacts, Crm};
use crate::read_api;
use crate::relay;
use crate::store::{Erased, Store};
use crate::submission::{read, Refusal};
use crate::utc::now;
use crate::{compaction, confirmation_mail, confirmation_pages};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use consent_capture::jose::base64url;
use consent_capture::jose::sign::PrivateKey;
use serde_json::json;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Mutex, Notify};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::{GovernorError, GovernorLayer};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

/// The receiver's shared state.
pub struct Receiver {
    config: Config,
    store: Store,
    tree: Mutex<Tree>,
    appender: Appender,
    relay_wake: Arc<Notify>,
    mail_wake: Arc<Notify>,
    compaction_wake: Arc<Notify>,
    audience: String,
}

impl Receiver {
    /// Opens the database named in `config`, rebuilds the log from it and starts the appending task and, when
    /// configured, the relay (so it is called within a Tokio runtime).
    ///
    /// # Errors
    /// The database cannot be opened.
    pub async fn open(config: Config) -> Result<Arc<Self>, sqlx::Error> {
        let store = Store::open(&config.database).await?;
        let audience = store.audience().await?;
        let mut tree = Tree::new();
        catch_up(&store, &mut tree).await?;
        let (appender, queue) = Appender::new();
        let relay = config.relay.clone();
        let relay_wake = Arc::new(Notify::new());
        let mail = config.confirmation.clone();
        let mail_wake = Arc::new(Notify::new());
        let compaction_wake = Arc::new(Notify::new());
        let receiver = Arc::new(Self {
            config,
            store,
            tree: Mutex::new(tree),
            appender,
            relay_wake: relay_wake.clone(),
            mail_wake: mail_wake.clone(),
            compaction_wake: compaction_wake.clone(),
            audience,
        });
        tokio::spawn(appender::run(Arc::downgrade(&receiver), queue));
        if let Some(target) = relay {
            tokio::spawn(relay::run(Arc::downgrade(&receiver), relay_wake, target));
        }
        tokio::spawn(compaction::run(Arc::downgrade(&receiver), compaction_wake));
        if let Some(mail) = mail {
            tokio::spawn(confirmation_mail::run(Arc::downgrade(&receiver), mail_wake, mail));
        }
        Ok(receiver)
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn tree(&self) -> &Mutex<Tree> {
        &self.tree
    }

    pub(crate) fn key(&self) -> &PrivateKey {
        &self.config.key
    }

    /// What this receiver's access challenges name it by (shared by the receivers of one database).
    pub fn audience(&self) -> &str {
        &self.audience
    }

    pub(crate) fn relay_wake(&self) -> &Notify {
        &self.relay_wake
    }

    pub(crate) fn mail_wake(&self) -> &Notify {
        &self.mail_wake
    }

    /// Erases what `erase` selects (a [`Store::erase`] or [`Store::erase_signed_by`]), then has the
    /// compaction task remove the erased bytes from the files, off the request path.
    pub(crate) async fn erase<'a, F>(&'a self, erase: impl FnOnce(&'a Store) -> F) -> Result<Erased, Refusal>
    where
        F: Future<Output = Result<Erased, sqlx::Error>>,
    {
        let erased = self.read(erase).await?;
        if erased.payloads > 0 {
            self.compaction_wake.notify_one();
        }
        Ok(erased)
    }

    /// The addresses by which the relay's CRM knows the person a stored record (`receipt`, `body`) is about,
    /// where the relay can ask that CRM to delete by address (HubSpot with `--hubspot-token`); none elsewhere,
    /// so that an erasure keeps no address it does not need.
    pub(crate) fn crm_contacts(&self, receipt: &str, body: &str) -> Vec<String> {
        match &self.config.relay {
            Some(target) if target.crm == Crm::HubSpot && target.hubspot_delete.is_some() => {
                hubspot_contacts(&self.config.notices, receipt, body)
            }
            _ => Vec::new(),
        }
    }

    pub(crate) fn appender(&self) -> &Appender {
        &self.appender
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// Runs `query` on the store; a failing database is a 503.
    pub(crate) async fn read<'a, T, F>(&'a self, query: impl FnOnce(&'a Store) -> F) -> Result<T, Refusal>
    where
        F: Future<Output = Result<T, sqlx::Error>>,
    {
        query(&self.store).await.map_err(|e| storage_failed(&e))
    }

    /// The log's tree, locked and caught up with the database.
    async fn caught_up_tree(&self) -> Result<tokio::sync::MutexGuard<'_, Tree>, Refusal> {
        let mut tree = self.tree.lock().await;
        catch_up(&self.store, &mut tree)
            .await
            .map_err(|e| storage_failed(&e))?;
        Ok(tree)
    }
}

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
    let submit = Router::new()
        .route("/receipts", post(receive))
        .route("/log/head", get(head))
        .route("/log/consistency", get(consistency));
    // The person's routes stay limited with --burst 0 too: the challenges and links they hand out must
    // not come at any rate.
    let person_limits = if limits.burst == 0 {
        Limits::default()
    } else {
        limits
    };
    let person = access::routes().merge(confirmation_pages::routes());
    let public = limit_rate(submit, limits, key.clone()).merge(limit_rate(person, person_limits, key));
    // The public routes are rate-limited per address; the read side, which needs the token, is not (a
    // controller's systems ask it from one address, as often as they act on someone's data).
    public
        .merge(read_api::routes(&receiver))
        // For load balancers and monitors, which ask often from one address: not rate-limited.
        .route("/healthz", get(healthz))
        .fallback(not_found)
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

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = json!({ "error": { "rule": self.rule, "at": self.at, "message": self.message } });
        (status, Json(body)).into_response()
    }
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.split(';').next().map(str::trim) != Some("application/json") {
        return Err(Refusal::new(
            415,
            "content-type",
            "Content-Type",
            "application/json is required",
        ));
    }
    let body = body.map_err(|rejection| {
        let limit = receiver.config.limits.body_bytes;
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Refusal::new(
                413,
                "body-too-large",
                "(body)",
                format!("at most {limit} bytes are accepted"),
            ),
            status => Refusal::new(status.as_u16(), "body", "(body)", rejection.body_text()),
        }
    })?;
    let idempotency_key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    let config = &receiver.config;
    let now = now();
    let submission = read(
        &body,
        idempotency_key,
        &config.notices,
        &config.key.public(),
        config.limits,
        config.public_url.as_deref(),
        now,
    )?;
    let device = submission.verified.key.thumbprint();
    let added = receiver
        .read(|store| store.records_signed_since(&device, now - 86_400))
        .await?;
    // A receipt held already still gets its acknowledgement: the cap is on what is added.
    let ids = [submission.receipt_id.as_str()];
    if added >= config.limits.device_records_a_day
        && receiver
            .read(|store| store.by_receipt_ids(&ids))
            .await?
            .is_empty()
    {
        return Err(Refusal::new(
            429,
            "device-cap",
            "receipt.header.jwk",
            format!(
                "this device key added {} records in the last day, the most this receiver takes: try again tomorrow",
                config.limits.device_records_a_day
            ),
        ));
    }
    let acknowledgement = receiver.appender.append(submission, now).await?;
    Ok((
        StatusCode::OK,
        Json(json!({ "acknowledgement": acknowledgement })),
    )
        .into_response())
}

/// `GET /healthz`: 200 with the log's size once the database answers and the log is caught up with it; 503
/// otherwise.
async fn healthz(State(receiver): State<Arc<Receiver>>) -> Result<Response, Refusal> {
    let tree = receiver.caught_up_tree().await?;
    Ok(Json(json!({ "status": "ok", "logSize": tree.log.size() })).into_response())
}

async fn not_found(uri: axum::http::Uri) -> Refusal {
    Refusal::new(404, "not-found", uri.path(), "no such path on this receiver")
}

async fn head(State(receiver): State<Arc<Receiver>>) -> Result<Response, Refusal> {
    let tree = receiver.caught_up_tree().await?;
    let head = signed_head(&receiver.config.key, tree.log.head(), now());
    Ok(Json(json!({ "head": head })).into_response())
}

async fn consistency(
    State(receiver): State<Arc<Receiver>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let from = query.get("from").and_then(|n| n.parse::<u64>().ok());
    let tree = receiver.caught_up_tree().await?;
    let proof = from.and_then(|from| tree.log.consistency(from)).ok_or_else(|| {
        Refusal::new(
            400,
            "from",
            "from",
            "a size between 1 and the log's size is required",
        )
    })?;
    let proof: Vec<String> = proof.iter().map(|hash| base64url::encode(hash)).collect();
    let head = signed_head(&receiver.config.key, tree.log.head(), now());
    Ok(Json(json!({ "head": head, "proof": proof })).into_response())
}
