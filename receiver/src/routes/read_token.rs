//! The read side's lock: every request to `/records/…` and `/relay` needs the read token from the receiver's
//! configuration (`Authorization: Bearer …`); a missing or wrong one gets a bare 401, and without a configured
//! token every read is refused. The submit endpoint stays public; this side never is.

use crate::state::Receiver;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use consent_capture::jose::sha256::sha256;
use std::sync::Arc;

/// Lets the request through when it bears the read token.
pub(super) async fn authorised(
    State(receiver): State<Arc<Receiver>>,
    request: Request,
    next: Next,
) -> Response {
    let offered = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    // Digests compared, not the tokens: how long a comparison takes tells nothing about the token.
    let matches = match (offered, receiver.config().read_token.as_deref()) {
        (Some(offered), Some(token)) => sha256(offered.as_bytes()) == sha256(token.as_bytes()),
        _ => false,
    };
    if matches {
        next.run(request).await
    } else {
        (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response()
    }
}
