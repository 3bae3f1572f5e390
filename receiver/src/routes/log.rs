//! The log, for anyone to check: `GET /log/head` (the controller's signed tree head),
//! `GET /log/consistency?from=N` (its proof that the log of size N is a prefix of this one), each with the same
//! head as a checkpoint where the receiver has a log key, and
//! `GET /log/checkpoint` (the head as a C2SP checkpoint, signed with the log's key and, when the log is
//! witnessed, cosigned).

use crate::acknowledgement::{signed_checkpoint, signed_head};
use crate::answers::LogHead;
use crate::log::Log;
use crate::refusal::Refusal;
use crate::state::Receiver;
use crate::utc::now;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use consent_capture::jose::base64url;
use std::collections::HashMap;
use std::sync::Arc;

/// The routes.
pub(crate) fn routes() -> Router<Arc<Receiver>> {
    Router::new()
        .route("/log/head", get(head))
        .route("/log/consistency", get(consistency))
        .route("/log/checkpoint", get(checkpoint))
}

async fn head(State(receiver): State<Arc<Receiver>>) -> Result<Response, Refusal> {
    let tree = receiver.caught_up_tree().await?;
    let head = signed_head(&receiver.config.key, tree.log.head(), now());
    let checkpoint = current_checkpoint(&receiver, &tree.log).await;
    Ok(Json(LogHead {
        head,
        proof: None,
        checkpoint,
    })
    .into_response())
}

/// The current head as a checkpoint note (`text/plain`), signed by the log's key; when the log is witnessed,
/// the latest checkpoint the policy's quorum cosigned, with their cosignatures.
async fn checkpoint(State(receiver): State<Arc<Receiver>>) -> Result<Response, Refusal> {
    let key = receiver.config.log_key.as_ref().ok_or_else(|| {
        Refusal::new(
            404,
            "log-key",
            "(receiver)",
            "this receiver has no log key (--log-key), so it signs no checkpoints",
        )
    })?;
    let note = if receiver.witnessing().is_some() {
        let latest = receiver.read(|store| store.latest_checkpoint()).await?;
        let (_, note) = latest.ok_or_else(|| {
            Refusal::new(
                404,
                "checkpoint",
                "(witnesses)",
                "no checkpoint of this log has been cosigned to the witness policy's quorum yet",
            )
        })?;
        note
    } else {
        let tree = receiver.caught_up_tree().await?;
        signed_checkpoint(key, tree.log.head())
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response())
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
    let checkpoint = current_checkpoint(&receiver, &tree.log).await;
    Ok(Json(LogHead {
        head,
        proof: Some(proof),
        checkpoint,
    })
    .into_response())
}

/// The head of `log` as a checkpoint: the one the witnesses cosigned when they cosigned this size, else
/// signed with the log's key alone (a device compares it with the one it kept all the same). None without a
/// log key.
async fn current_checkpoint(receiver: &Receiver, log: &Log) -> Option<String> {
    let key = receiver.config.log_key.as_ref()?;
    if let Some(witnessing) = receiver.witnessing() {
        if let Some(cosigned) = witnessing.cosigned(log.size()).await {
            return Some(cosigned.note);
        }
    }
    Some(signed_checkpoint(key, log.head()))
}
