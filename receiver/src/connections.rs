//! Accepting connections with bounds, so that holding connections open costs an attacker as much as it costs
//! the receiver: at most [`Limits::connections`] open at once and [`Limits::connections_per_address`] from one
//! address (a connection past either is closed at once, so the descriptor is free again), request headers
//! that must arrive within [`HEADER_READ`] (a half-sent request is closed then: slowloris), and every
//! connection asked to close after [`LIFETIME`] (at once when idle, else after its current request).
//!
//! Hand-written over hyper's own connection builder because axum's `serve` sets none of these: it has no
//! header-read timer, no connection cap and no idle limit.

use crate::config::Limits;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// How long a client has to send a request's headers, from its first byte.
pub const HEADER_READ: Duration = Duration::from_secs(10);
/// How long a connection may stay open before it is asked to close.
pub const LIFETIME: Duration = Duration::from_secs(60);
/// How long requests in flight may finish once the receiver stops or a connection is asked to close.
const DRAIN: Duration = Duration::from_secs(15);

/// The open connections of each address.
#[derive(Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

/// One connection counted against its address, until dropped.
struct AddressSlot {
    table: Arc<PerAddress>,
    address: IpAddr,
}

impl AddressSlot {
    /// A slot for `address`, unless it holds `most` already.
    fn take(table: &Arc<PerAddress>, address: IpAddr, most: usize) -> Option<Self> {
        let mut open = table.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(address).or_default();
        if *count >= most {
            return None;
        }
        *count += 1;
        Some(Self {
            table: table.clone(),
            address,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self
            .table
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes, then lets the requests in flight
/// finish (for at most [`DRAIN`]).
///
/// # Errors
/// Never for one connection's failure (it is logged); the signature leaves room for the listener's.
pub async fn serve_bounded(
    router: Router,
    listener: TcpListener,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), std::io::Error> {
    let open = Arc::new(Semaphore::new(limits.connections));
    let per_address = Arc::new(PerAddress::default());
    let (stop, stopped) = watch::channel(false);
    let mut refused_at_cap = 0_u64;
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, most likely: wait for some to close rather than spin.
                    tracing::warn!(%error, "accept");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let permit = open.clone().try_acquire_owned().ok();
        let slot = AddressSlot::take(&per_address, peer.ip(), limits.connections_per_address);
        let (Some(permit), Some(slot)) = (permit, slot) else {
            // Closed by dropping it. Said once in a while, not for each: a flood must not flood the log.
            refused_at_cap += 1;
            if refused_at_cap.is_power_of_two() {
                tracing::warn!(
                    refused = refused_at_cap,
                    "connections: at the cap (--max-connections, --connections-per-address), closing new ones"
                );
            }
            continue;
        };
        let router = router.clone();
        let service = service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let _counted = (permit, slot);
            let mut builder = http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(HEADER_READ);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                () = tokio::time::sleep(LIFETIME) => {}
                _ = stopped.changed() => {}
            }
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(DRAIN, connection).await;
        });
    }
    let _ = stop.send(true);
    // Every connection returns its permit when it ends.
    let all = u32::try_from(limits.connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, open.acquire_many(all)).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{AddressSlot, PerAddress};
    use std::net::IpAddr;
    use std::sync::Arc;

    #[test]
    fn an_address_holds_at_most_its_share_and_gets_it_back_as_connections_close() {
        let table = Arc::new(PerAddress::default());
        let one: IpAddr = [192, 0, 2, 1].into();
        let other: IpAddr = [192, 0, 2, 2].into();
        let first = AddressSlot::take(&table, one, 2).expect("a first");
        let _second = AddressSlot::take(&table, one, 2).expect("a second");
        assert!(AddressSlot::take(&table, one, 2).is_none(), "a third is refused");
        assert!(
            AddressSlot::take(&table, other, 2).is_some(),
            "another address is not"
        );
        drop(first);
        assert!(
            AddressSlot::take(&table, one, 2).is_some(),
            "a closed one frees its slot"
        );
    }
}
