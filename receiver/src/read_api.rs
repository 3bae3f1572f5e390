//! The controller's read side, under `/records/`: what may be done with a person's data now, their history,
//! whether a purpose could be used at a given time, exports, and erasure; and `/relay`, what the relay
//! delivered, still tries, or was refused. Every request needs the read token
//! from the receiver's configuration (`Authorization: Bearer …`); a missing or wrong one gets a bare 401, and
//! without a configured token every read is refused. The submit endpoint stays public; this side never is.

use crate::confirmation::Confirmed;
use crate::consent_state::{history_json, may_use_json, state_json};
use crate::decisions::DecisionRow;
use crate::export::{person_page, Format};
use crate::http::Receiver;
use crate::relay_queue::RELAY_STATES;
use crate::submission::Refusal;
use crate::utc::{iso8601, now, parse_time};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use consent_capture::jose::sha256::sha256;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// The read side's routes, behind the token check.
pub(crate) fn routes(receiver: &Arc<Receiver>) -> Router<Arc<Receiver>> {
    Router::new()
        .route("/records/{principal}", get(state))
        .route("/records/{principal}/history", get(history))
        .route("/records/{principal}/may-use", get(may_use))
        .route("/records/{principal}/export", get(export))
        .route("/records/{principal}/erase", post(erase))
        .route("/relay", get(relay))
        // On these routes only: a path that is none of them is not found, whoever asks.
        .route_layer(from_fn_with_state(receiver.clone(), authorised))
}

async fn authorised(State(receiver): State<Arc<Receiver>>, request: Request, next: Next) -> Response {
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

async fn state(
    State(receiver): State<Arc<Receiver>>,
    Path(principal): Path<String>,
) -> Result<Response, Refusal> {
    let (decisions, confirmed) = decisions_and_confirmations(&receiver, &principal).await?;
    Ok(Json(state_json(&principal, &decisions, &confirmed, now())).into_response())
}

async fn history(
    State(receiver): State<Arc<Receiver>>,
    Path(principal): Path<String>,
) -> Result<Response, Refusal> {
    let decisions = receiver.read(|store| store.decisions_about(&principal)).await?;
    Ok(Json(history_json(&principal, &decisions)).into_response())
}

async fn may_use(
    State(receiver): State<Arc<Receiver>>,
    Path(principal): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let purpose = query
        .get("purpose")
        .ok_or_else(|| Refusal::new(400, "purpose", "purpose", "the purpose's id is required"))?;
    // A mistyped purpose would otherwise read as a plain "no".
    let declared = receiver
        .config()
        .notices
        .iter()
        .any(|known| known.notice.purpose(purpose).is_some());
    if !declared {
        return Err(Refusal::new(
            400,
            "purpose",
            "purpose",
            "no notice this receiver was given declares this purpose",
        ));
    }
    let at = match query.get("at") {
        Some(text) => parse_time(text).ok_or_else(|| {
            Refusal::new(
                400,
                "at",
                "at",
                "a time is YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD or seconds since 1970",
            )
        })?,
        None => now(),
    };
    let (decisions, confirmed) = decisions_and_confirmations(&receiver, &principal).await?;
    Ok(Json(may_use_json(&principal, purpose, at, &decisions, &confirmed)).into_response())
}

/// A person's decisions and what decides which of them count.
async fn decisions_and_confirmations(
    receiver: &Receiver,
    principal: &str,
) -> Result<(Vec<DecisionRow>, Confirmed), Refusal> {
    let decisions = receiver.read(|store| store.decisions_about(principal)).await?;
    let needs = receiver.config().purposes_needing_confirmation();
    let confirmed = receiver.read(|store| store.confirmed(principal, needs)).await?;
    Ok((decisions, confirmed))
}

async fn export(
    State(receiver): State<Arc<Receiver>>,
    Path(principal): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let name = query.get("format").map_or("iso27560", String::as_str);
    let format = Format::from_name(name)
        .ok_or_else(|| Refusal::new(400, "format", "format", "the format is iso27560 or kantara"))?;
    let after = match query.get("after") {
        Some(text) => Some(text.parse::<u64>().map_err(|_| {
            Refusal::new(
                400,
                "after",
                "after",
                "a position, from the previous page's Link header",
            )
        })?),
        None => None,
    };
    let (document, next) = receiver
        .read(|store| person_page(store, &principal, format, after))
        .await?;
    let content_type = match format {
        Format::Iso27560 => "application/ld+json",
        Format::Kantara => "application/json",
    };
    let mut response = ([(header::CONTENT_TYPE, content_type)], document.to_string()).into_response();
    // The document stays as its format defines it; the next page is a link (RFC 8288).
    if let Some(next) = next {
        let link = format!("</records/{principal}/export?format={name}&after={next}>; rel=\"next\"");
        if let Ok(value) = header::HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    Ok(response)
}

async fn erase(
    State(receiver): State<Arc<Receiver>>,
    Path(principal): Path<String>,
) -> Result<Response, Refusal> {
    let at = now();
    let contacts = |receipt: &str, body: &str| receiver.crm_contacts(receipt, body);
    let erased = receiver
        .erase(|store| store.erase(&principal, at, "controller", &contacts))
        .await?;
    tracing::info!(erased = erased.payloads, "erased at the controller's request");
    let answer = json!({
        "principal": principal,
        "erased": erased.payloads,
        "withData": erased.with_data,
        "at": iso8601(at),
    });
    Ok(Json(answer).into_response())
}

/// `GET /relay?state=refused` (or `waiting`, `delivered`): the latest 1,000 records and 1,000 erasures in that
/// state.
async fn relay(
    State(receiver): State<Arc<Receiver>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let state = query.get("state").map_or("refused", String::as_str);
    if !RELAY_STATES.contains(&state) {
        return Err(Refusal::new(
            400,
            "state",
            "state",
            "the state is waiting, delivered or refused",
        ));
    }
    let rows = receiver.read(|store| store.relay_rows(state, 1_000)).await?;
    let erasures = receiver.read(|store| store.erasure_rows(state, 1_000)).await?;
    Ok(Json(json!({ "state": state, "rows": rows, "erasures": erasures })).into_response())
}
