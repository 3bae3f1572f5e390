//! Compaction after erasures, off the request path: an erasure answers once its transaction commits, and this
//! task then makes sure no erased byte remains in the database's files ([`crate::store::Store::compact`]),
//! at once for the first erasure and then at most once every [`GAP`], however many erasures arrive, on a
//! connection of its own. On PostgreSQL that is `VACUUM FULL payloads`, which locks the table while it runs:
//! posts wait for it at most once a gap, not once per erasure (an attacker looping erasures stalled every post).

use crate::state::Receiver;
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// The least time between two compactions. Erased bytes stay in the files at most this long after an erasure
/// (plus one compaction's time).
pub const GAP: Duration = Duration::from_secs(30);

/// Runs until the receiver is dropped; `wake` is notified after each erasure that deleted anything.
pub(crate) async fn run(receiver: Weak<Receiver>, wake: Arc<Notify>) {
    loop {
        wake.notified().await;
        let Some(strong) = receiver.upgrade() else {
            return;
        };
        if let Err(error) = strong.store().compact().await {
            // Tried again after the next erasure, or the next start-up's: the erasure itself committed.
            tracing::error!(%error, "compaction after an erasure failed: erased bytes may remain in the files");
            wake.notify_one();
        }
        drop(strong);
        tokio::time::sleep(GAP).await;
    }
}
