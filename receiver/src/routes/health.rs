//! `GET /healthz`, for load balancers and monitors, and the answer to any path there is not.

use crate::answers::Health;
use crate::refusal::Refusal;
use crate::state::Receiver;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;

/// `GET /healthz`: 200 with the log's size once the database answers and the log is caught up with it; 503
/// otherwise.
pub(crate) async fn healthz(State(receiver): State<Arc<Receiver>>) -> Result<Response, Refusal> {
    let tree = receiver.caught_up_tree().await?;
    Ok(Json(Health {
        status: "ok",
        log_size: tree.log.size(),
    })
    .into_response())
}

pub(crate) async fn not_found(uri: axum::http::Uri) -> Refusal {
    Refusal::new(404, "not-found", uri.path(), "no such path on this receiver")
}
