//! The receiver's own answers as typed bodies (serde): what a route or the records command says back, each
//! shape written once. Documents of their own (a person's state, exports, ISO/IEC TS 27560 records) are
//! built where they are read.

use serde::Serialize;
use serde_json::Value as Json;

/// `POST /receipts`: the controller's acknowledgement of the receipt (a JWS) and, when the log is witnessed,
/// the record's proof against a cosigned checkpoint (c2sp.org/tlog-proof text).
#[derive(Serialize)]
pub struct Acknowledged {
    /// The acknowledgement.
    pub acknowledgement: String,
    /// The proof.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<String>,
}

/// `GET /log/head`, and `GET /log/consistency` with its proof.
#[derive(Serialize)]
pub struct LogHead {
    /// The controller's signed tree head (a JWS).
    pub head: String,
    /// The consistency proof's hashes, base64url.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<Vec<String>>,
    /// The same head as a checkpoint signed with the log's key (and cosigned, when the witnesses cosigned
    /// this size), where the receiver has a log key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<String>,
}

/// `GET /healthz`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// How many entries the log holds.
    pub log_size: u64,
}

/// What an erasure erased: the controller's (`POST /records/{principal}/erase`, `records erase`) or the
/// person's (`POST /access`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Erasure {
    /// Whose records.
    #[serde(flatten)]
    pub whose: Whose,
    /// How many payloads were erased.
    pub erased: u64,
    /// How many of them carried data (a withdrawal's carries none).
    pub with_data: u64,
    /// When, ISO 8601 UTC.
    pub at: String,
}

/// Whose records an erasure erased.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Whose {
    /// A person, as receipts name them.
    Principal(String),
    /// The receipts a device key signed (its thumbprint).
    Device(String),
}

/// `GET /relay` and `records relay`: the latest records and erasures in one state.
#[derive(Serialize)]
pub struct Relayed {
    /// `waiting`, `delivered` or `refused`.
    pub state: String,
    /// The records' rows.
    pub rows: Vec<Json>,
    /// The erasures' rows.
    pub erasures: Vec<Json>,
}

/// A refusal's body: `{"error": {"rule", "at", "message"}}`.
#[derive(Serialize)]
pub struct Refused<'a> {
    /// What was refused, and where.
    pub error: Explained<'a>,
}

/// The rule broken, where, and in words.
#[derive(Serialize)]
pub struct Explained<'a> {
    /// The rule, a stable name clients can match on.
    pub rule: &'a str,
    /// Where.
    pub at: &'a str,
    /// What is wrong.
    pub message: &'a str,
}
