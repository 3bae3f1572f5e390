//! `GET /relay`: what the relay delivered, still tries, or was refused, behind the read token
//! ([`super::read_token`]).

use super::read_token::authorised;
use crate::answers::Relayed;
use crate::refusal::Refusal;
use crate::relay_queue::RELAY_STATES;
use crate::state::Receiver;
use axum::extract::{Query, State};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::collections::HashMap;
use std::sync::Arc;

/// The route, behind the token check.
pub(crate) fn routes(receiver: &Arc<Receiver>) -> Router<Arc<Receiver>> {
    Router::new()
        .route("/relay", get(relay))
        .route_layer(from_fn_with_state(receiver.clone(), authorised))
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
    Ok(Json(Relayed {
        state: state.to_owned(),
        rows,
        erasures,
    })
    .into_response())
}
