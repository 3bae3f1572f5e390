//! `POST /receipts`: a submission from the element's `json` adapter, checked, capped per device key, appended,
//! and answered with the controller's acknowledgement.

use crate::answers::Acknowledged;
use crate::refusal::Refusal;
use crate::state::Receiver;
use crate::submission::read;
use crate::utc::now;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use std::sync::Arc;

/// The route.
pub(crate) fn routes() -> Router<Arc<Receiver>> {
    Router::new().route("/receipts", post(receive))
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
    let answered = receiver.appender.append(submission, now).await?;
    let acknowledged = Acknowledged {
        acknowledgement: answered.acknowledgement,
        proof: answered.proof,
    };
    Ok((StatusCode::OK, Json(acknowledged)).into_response())
}
