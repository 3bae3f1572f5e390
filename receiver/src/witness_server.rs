//! `consent-capture witness`: the witness ([`crate::witness`]) over HTTP. `POST /add-checkpoint` for logs,
//! `GET /<SHA-256 of the origin, hex>/checkpoint` for monitors; bodies up to 64 KiB, requests within 10 s, and
//! the database written before any cosignature leaves.

use crate::config::read_note_key;
use crate::options::WitnessOptions;
use crate::utc::now;
use crate::witness::{Answer, Witness};
use crate::witness_store::WitnessStore;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use consent_capture::tlog::note::COSIGNATURE_V1;
use consent_capture::tlog::note::{VerifierKey, ED25519};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// The largest request body: a checkpoint with many cosignatures and 63 proof lines fit many times over.
const MOST_BODY_BYTES: usize = 64 * 1024;

/// The witness's routes.
pub fn router(witness: Arc<Witness>) -> Router {
    Router::new()
        .route("/add-checkpoint", post(add_checkpoint))
        .route("/{origin_hash}/checkpoint", get(latest))
        .layer(RequestBodyLimitLayer::new(MOST_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .with_state(witness)
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn unavailable(error: &sqlx::Error) -> Response {
    tracing::error!(%error, "the witness's database");
    text(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/plain; charset=utf-8",
        "the witness's database failed: nothing was cosigned\n".into(),
    )
}

async fn add_checkpoint(State(witness): State<Arc<Witness>>, body: String) -> Response {
    match witness.add_checkpoint(&body, now() as u64).await {
        Ok(Answer::Cosigned(line)) => text(StatusCode::OK, "text/plain; charset=utf-8", line),
        Ok(Answer::Conflict(size)) => text(StatusCode::CONFLICT, "text/x.tlog.size", format!("{size}\n")),
        Ok(Answer::Refused(status, why)) => text(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            "text/plain; charset=utf-8",
            format!("{why}\n"),
        ),
        Err(error) => unavailable(&error),
    }
}

async fn latest(State(witness): State<Arc<Witness>>, Path(origin_hash): Path<String>) -> Response {
    match witness.latest(&origin_hash).await {
        Ok(Some(note)) => text(StatusCode::OK, "text/plain; charset=utf-8", note),
        Ok(None) => text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "no checkpoint cosigned for this log\n".into(),
        ),
        Err(error) => unavailable(&error),
    }
}

/// Opens the witness `options` describe.
///
/// # Errors
/// What to fix, naming the option: a key that does not read or is not a cosigning key, a log key that does
/// not read or is not a log's, a database that does not open.
pub async fn open(options: &WitnessOptions) -> Result<Witness, String> {
    let mut warnings = Vec::new();
    let key = read_note_key(&options.key, "--key", COSIGNATURE_V1, &mut warnings)?;
    for warning in warnings {
        tracing::warn!("{warning}");
    }
    let logs = options
        .logs
        .iter()
        .map(|text| {
            let log = VerifierKey::parse(text, "--log").map_err(|e| format!("--log {text}: {}", e.text()))?;
            if log.kind != ED25519 {
                return Err(format!(
                    "--log {text}: a witness's key; a log signs with a key of type 0x01"
                ));
            }
            Ok(log)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let store = WitnessStore::open(&options.database)
        .await
        .map_err(|e| format!("--database {}: {e}", options.database))?;
    Ok(Witness::new(key, logs, store))
}

/// Serves `witness` on `listener` until `shutdown` completes.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    witness: Witness,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), std::io::Error> {
    axum::serve(listener, router(Arc::new(witness)))
        .with_graceful_shutdown(shutdown)
        .await
}
