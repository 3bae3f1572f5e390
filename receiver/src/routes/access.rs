//! The person's side, public (the device key is the credential) and rate-limited with the rest:
//! `GET /access/challenge` and `POST /access` (what the receiver holds about the device's receipts, a page at a
//! time, or erasing it), by the protocol of [`crate::access`].

use crate::access::{challenge, prove, Action, CHALLENGE_SECONDS, CURSOR_TYP, PAGE_BYTES, PAGE_RECORDS};
use crate::acknowledgement::{handed_out, sign};
use crate::answers::{Erasure, Whose};
use crate::export::{receipts_json, Payloads};
use crate::refusal::{storage_failed, Refusal};
use crate::state::Receiver;
use crate::used_challenges::{Unusable, REQUESTS_A_DAY};
use crate::utc::{iso8601, now};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::json::{parse, Object, Value};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// The person's routes: public (the key is the credential), rate-limited with the rest.
pub(crate) fn routes() -> Router<Arc<Receiver>> {
    Router::new()
        .route("/access/challenge", get(new_challenge))
        .route("/access", post(answer))
}

/// `GET /access/challenge?device=THUMBPRINT` (the device's key, RFC 7638; without it, a challenge any key may
/// answer, as older elements ask).
async fn new_challenge(
    State(receiver): State<Arc<Receiver>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Refusal> {
    let device = query.get("device").map(String::as_str);
    if device.is_some_and(|d| {
        d.len() != 43
            || !d
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }) {
        return Err(Refusal::new(
            400,
            "device",
            "device",
            "a key's RFC 7638 thumbprint, 43 base64url characters",
        ));
    }
    let challenge = challenge(&receiver.config().key, receiver.audience(), device, now())
        .map_err(|_| Refusal::new(503, "random", "(receiver)", "no randomness: try again later"))?;
    Ok(Json(json!({ "challenge": challenge })).into_response())
}

async fn answer(State(receiver): State<Arc<Receiver>>, body: Bytes) -> Result<Response, Refusal> {
    let body = std::str::from_utf8(&body)
        .ok()
        .and_then(|text| parse(text).ok())
        .and_then(|body| body.as_object().cloned())
        .unwrap_or_default();
    if let Some(cursor) = body.get("next").and_then(Value::as_str) {
        let (thumbprint, after) = follow(
            cursor,
            &receiver.config().key.public(),
            receiver.audience(),
            now(),
        )?;
        return access_page(&receiver, &thumbprint, Some(after)).await;
    }
    let request = body
        .get("request")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            Refusal::new(
                400,
                "body",
                "request",
                "{\"request\": JWS} or {\"next\": JWS} is required",
            )
        })?
        .to_owned();
    let at = now();
    let proven = prove(&request, &receiver.config().key.public(), receiver.audience(), at)?;
    let used = receiver
        .store()
        .use_challenge(&proven.nonce, &proven.thumbprint, at, proven.expires)
        .await;
    match used {
        Ok(()) => {}
        Err(Unusable::Used) => {
            return Err(Refusal::new(
                403,
                "access",
                "challenge",
                "this challenge was used already: ask for another",
            ))
        }
        Err(Unusable::TooMany) => {
            return Err(Refusal::new(
                429,
                "rate",
                "request.header.jwk",
                format!("at most {REQUESTS_A_DAY} requests a day for one device key: try again tomorrow"),
            ))
        }
        Err(Unusable::Database(error)) => return Err(storage_failed(&error)),
    }
    let thumbprint = proven.thumbprint.as_str();
    match proven.action {
        Action::Access => access_page(&receiver, thumbprint, None).await,
        Action::Erase => {
            let contacts = |receipt: &str, body: &str| receiver.crm_contacts(receipt, body);
            let erased = receiver
                .erase(|store| store.erase_signed_by(thumbprint, at, "person", &contacts))
                .await?;
            tracing::info!(erased = erased.payloads, "erased at the person's request");
            let answer = Erasure {
                whose: Whose::Device(thumbprint.to_owned()),
                erased: erased.payloads,
                with_data: erased.with_data,
                at: iso8601(at),
            };
            Ok(Json(answer).into_response())
        }
    }
}

/// One page of what the device key of `thumbprint` signed, after `after`: at most [`PAGE_RECORDS`] records and
/// about [`PAGE_BYTES`], so that no answer holds a person's whole history in memory; `next`, when more
/// follows, is a cursor the controller signed (five minutes, this device, this receiver) for the next page.
async fn access_page(receiver: &Receiver, thumbprint: &str, after: Option<u64>) -> Result<Response, Refusal> {
    let records = receiver
        .read(|store| store.records_signed_by(thumbprint, after, PAGE_RECORDS))
        .await?;
    let mut bytes = 0;
    let taken = records
        .iter()
        .take_while(|record| {
            let first = bytes == 0;
            bytes += record.receipt.len() + record.body.as_ref().map_or(0, String::len);
            first || bytes <= PAGE_BYTES
        })
        .count();
    let page = &records[..taken];
    let more = taken < records.len() || records.len() as u64 == PAGE_RECORDS;
    let next = match page.last() {
        Some(last) if more => Some(sign(
            &receiver.config().key,
            CURSOR_TYP,
            Object::new()
                .with("device", thumbprint)
                .with("after", Value::from(last.position as i64))
                .with("audience", receiver.audience())
                .with("expires", now() + CHALLENGE_SECONDS),
        )),
        _ => None,
    };
    let receipts = receipts_json(page, Payloads::Included);
    Ok(Json(json!({ "device": thumbprint, "receipts": receipts, "next": next })).into_response())
}

/// Reads a cursor ([`access_page`]): the controller's signature, this receiver, not expired by `now`. Returns
/// the device's thumbprint and the position the next page starts after.
fn follow(cursor: &str, controller: &PublicJwk, audience: &str, now: i64) -> Result<(String, u64), Refusal> {
    let refuse = |at: &str, message: &str| Refusal::new(403, "access", at, message);
    let payload = handed_out(cursor.trim(), controller, CURSOR_TYP)
        .map_err(|e| Refusal::new(403, "access", ["next.", e.at()].concat(), e.text()))?;
    if payload.get("audience").and_then(Value::as_str) != Some(audience) {
        return Err(refuse("next.audience", "a cursor of another receiver"));
    }
    if payload.get("expires").and_then(Value::as_i64).unwrap_or_default() < now {
        return Err(refuse(
            "next.expires",
            "the cursor expired: ask again from the start",
        ));
    }
    let device = payload.get("device").and_then(Value::as_str);
    let after = payload
        .get("after")
        .and_then(Value::as_i64)
        .and_then(|after| u64::try_from(after).ok());
    match (device, after) {
        (Some(device), Some(after)) => Ok((device.to_owned(), after)),
        _ => Err(refuse("next", "not a cursor")),
    }
}
