//! The controller's half of a consent receipt. The element's `json` adapter posts `{"decisions", "fields", "receipt"}`
//! here; the receiver checks the receipt with the component's own verifier (one verifier, not two), checks
//! that the fields are exactly what the receipt says left the browser, stores the record durably, appends it
//! to a Merkle log (RFC 9162's construction, with `ct-merkle`), and answers with an acknowledgement that the
//! controller's key signs: the record, the log's head and the record's inclusion proof.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use consent_capture_receiver::{config::Config, http};
//! let config = Config::from_args(["--notice", "notice.json", "--key", "controller.jwk"].map(String::from))?;
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! let receiver = http::Receiver::open(config).await?;
//! http::serve(receiver, listener, std::future::pending()).await?;
//! # Ok(()) }
//! ```

pub mod access;
pub mod acknowledgement;
mod appender;
pub mod audit;
pub mod client_address;
pub mod compaction;
pub mod config;
pub mod confirmation;
mod confirmation_mail;
mod confirmation_pages;
mod confirmation_store;
mod confirmation_texts;
pub mod connections;
pub mod consent_state;
pub mod crm_request;
pub mod decisions;
pub mod derived_rows;
pub mod export;
pub mod http;
pub mod iso27560;
pub mod log;
mod read_api;
pub mod records_command;
pub mod relay;
pub mod relay_erasures;
pub mod relay_queue;
pub mod store;
pub mod submission;
pub mod used_challenges;
pub mod utc;
