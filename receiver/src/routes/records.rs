//! The controller's read side, under `/records/`: what may be done with a person's data now, their history,
//! whether a purpose could be used at a given time, exports, and erasure. Behind the read token
//! ([`super::read_token`]).

use super::read_token::authorised;
use crate::answers::{Erasure, Whose};
use crate::confirmation::Confirmed;
use crate::consent_state::{history_json, may_use_json, state_json};
use crate::decisions::DecisionRow;
use crate::export::{person_page, Format};
use crate::refusal::Refusal;
use crate::state::Receiver;
use crate::utc::{iso8601, now, parse_time};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
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
        // On these routes only: a path that is none of them is not found, whoever asks.
        .route_layer(from_fn_with_state(receiver.clone(), authorised))
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
    let answer = Erasure {
        whose: Whose::Principal(principal),
        erased: erased.payloads,
        with_data: erased.with_data,
        at: iso8601(at),
    };
    Ok(Json(answer).into_response())
}
