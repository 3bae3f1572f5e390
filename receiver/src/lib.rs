//! The controller's half of a consent receipt. The element's `json` adapter posts `{"decisions", "fields", "receipt"}`
//! here; the receiver checks the receipt with the component's own verifier (one verifier, not two), checks
//! that the fields are exactly what the receipt says left the browser, stores the record durably, appends it
//! to a Merkle log (RFC 9162's construction, with `ct-merkle`), and answers with an acknowledgement that the
//! controller's key signs: the record, the log's head and the record's inclusion proof.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use consent_capture_receiver::{config::Config, server, state};
//! let config = Config::from_args(["--notice", "notice.json", "--key", "controller.jwk"].map(String::from))?;
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! let receiver = state::Receiver::open(config).await?;
//! server::serve(receiver, listener, std::future::pending()).await?;
//! # Ok(()) }
//! ```

// The map, from the bottom up: each module uses only those listed before it (tools/imports.mjs checks).
// Plain pieces: answers, the log, refusals, decisions as rows, times, who the client is, where the relay sends,
// the mail's words.
pub mod answers;
pub mod client_address;
mod confirmation_texts;
pub mod decisions;
pub mod log;
pub mod options;
pub mod refusal;
pub mod relay_target;
pub mod utc;
// The controller's countersignatures.
pub mod acknowledgement;
// The person's access and double opt-in, as protocols.
pub mod access;
pub mod confirmation;
// The store, the configuration, and a person's state from their decisions.
pub mod config;
pub mod consent_state;
pub mod store;
// What the store answers, and what arrives.
mod confirmation_store;
pub mod connections;
pub mod crm_request;
pub mod derived_rows;
pub mod iso27560;
pub mod relay_queue;
pub mod submission;
pub mod used_challenges;
// The cosigned checkpoints, and asking witnesses for them.
mod checkpoint_store;
pub mod witnessing;
// The way in to the log, the audit, exports, erasures for the CRM.
mod appender;
pub mod audit;
pub mod export;
pub mod relay_erasures;
// The shared state, and the records command.
pub mod records_command;
pub mod state;
// The tasks beside the routes.
mod appending;
pub mod compaction;
mod confirmation_mail;
pub mod relay;
// The routes, one file per resource.
mod routes;
// Serving them, and opening a receiver with its tasks.
pub mod server;
mod start;
// A witness for anyone's log: what it keeps,
pub mod witness_store;
// what it checks,
pub mod witness;
// and serving it.
pub mod witness_server;
