//! A refusal: the HTTP status, the rule broken and where, as every route answers it (a JSON body
//! `{"error": {"rule", "at", "message"}}`).

use crate::answers::{Explained, Refused};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Why a request was refused: an HTTP status, the rule it broke and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// The rule, a stable name clients can match on.
    pub rule: &'static str,
    /// Where: a JSON path in the body or the receipt, or a header.
    pub at: String,
    /// What is wrong, in words.
    pub message: String,
}

impl Refusal {
    /// A refusal with `status`, `rule`, `at` and `message`.
    pub fn new(status: u16, rule: &'static str, at: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            rule,
            at: at.into(),
            message: message.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = Refused {
            error: Explained {
                rule: self.rule,
                at: &self.at,
                message: &self.message,
            },
        };
        (status, Json(body)).into_response()
    }
}

/// What the database failing means for a submission.
pub(crate) fn storage_failed(error: &sqlx::Error) -> Refusal {
    tracing::error!(%error, "database");
    Refusal::new(
        503,
        "storage",
        "(database)",
        "the database is unavailable: nothing was stored, try again later",
    )
}
