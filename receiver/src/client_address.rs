//! Who a request comes from, for the per-address limits: the peer, or behind a proxy the controller trusts
//! (`--trusted-proxy CIDR`), the address that proxy says it forwarded for (`X-Forwarded-For`, or RFC 7239's
//! `Forwarded: for=`), read from the right so that a client cannot name itself by sending the header. An IPv6
//! client is one /64, the block one subscriber gets: otherwise one subscriber would have 2^64 buckets.

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::GovernorError;

/// A block of addresses: `203.0.113.0/24`, `2001:db8::/32`, or one address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Reads `ADDRESS[/PREFIX]`.
    ///
    /// # Errors
    /// Not an address, or a prefix longer than the address.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().map_err(|_| {
            format!("--trusted-proxy {text}: not an address or block (203.0.113.7, 10.0.0.0/8)")
        })?;
        let most = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= most)
                .ok_or_else(|| format!("--trusted-proxy {text}: a prefix from 0 to {most}"))?,
            None => most,
        };
        Ok(Self { network, prefix })
    }

    /// Whether `address` is in the block.
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, unmapped(address)) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(network) & mask == u32::from(address) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(network) & mask == u128::from(address) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address carried in IPv6 (`::ffff:192.0.2.1`) as the IPv4 address it is.
fn unmapped(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

/// The client of a request from `peer`: the peer itself, unless it is a trusted proxy; then the rightmost
/// forwarded address that is not a trusted proxy (the client's, as the first trusted proxy saw it).
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |address: IpAddr| trusted.iter().any(|cidr| cidr.contains(address));
    if !is_trusted(peer) {
        return unmapped(peer);
    }
    forwarded_for(headers)
        .into_iter()
        .rev()
        .find(|address| !is_trusted(*address))
        .map_or(unmapped(peer), unmapped)
}

/// Every address the forwarding headers name, in order: `X-Forwarded-For` when present, else `Forwarded`'s
/// `for=` (an obfuscated or unknown one ends the list: nothing to its left can be trusted).
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let listed = values("x-forwarded-for");
    let listed = if listed.is_empty() {
        values("forwarded")
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.trim().split_once('=')?;
                    key.eq_ignore_ascii_case("for")
                        .then(|| value.trim_matches('"').to_owned())
                })
            })
            .collect()
    } else {
        listed
    };
    let mut addresses = Vec::with_capacity(listed.len());
    for item in listed.iter().rev() {
        match address_of(item) {
            Some(address) => addresses.push(address),
            None => break,
        }
    }
    addresses.reverse();
    addresses
}

/// An address as forwarding headers write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn address_of(item: &str) -> Option<IpAddr> {
    if let Ok(address) = item.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = item.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    item.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(address, _)| address.parse().ok())
}

/// The bucket a client counts against: an IPv4 address, or an IPv6 /64.
pub fn bucket(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

/// The rate limiter's key: [`bucket`] of [`client_of`].
#[derive(Clone, Debug, Default)]
pub struct ClientKey {
    trusted: Arc<Vec<Cidr>>,
    untrusted_forwards: Arc<AtomicU64>,
}

impl ClientKey {
    /// A key for a receiver behind the proxies `trusted` (none: peers are clients).
    pub fn new(trusted: Vec<Cidr>) -> Self {
        Self {
            trusted: Arc::new(trusted),
            untrusted_forwards: Arc::default(),
        }
    }
}

impl KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .ok_or(GovernorError::UnableToExtractKey)?;
        let headers = request.headers();
        let forwarding = headers.contains_key("x-forwarded-for") || headers.contains_key("forwarded");
        if forwarding && !self.trusted.iter().any(|cidr| cidr.contains(peer)) {
            // Said once in a while: a proxy not named with --trusted-proxy makes every client one.
            let seen = self.untrusted_forwards.fetch_add(1, Ordering::Relaxed) + 1;
            if seen.is_power_of_two() {
                tracing::warn!(
                    %peer,
                    seen,
                    "forwarding headers from a peer that is not a --trusted-proxy: ignored, the peer is the client"
                );
            }
        }
        Ok(bucket(client_of(peer, headers, &self.trusted)))
    }
}

#[cfg(test)]
mod tests {
    use super::{bucket, client_of, Cidr};
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("a value"));
        }
        map
    }

    #[test]
    fn blocks_contain_their_addresses_and_malformed_ones_are_refused() {
        let block = Cidr::parse("10.0.0.0/8").expect("a block");
        assert!(block.contains(ip("10.200.3.4")) && !block.contains(ip("11.0.0.1")));
        assert!(block.contains(ip("::ffff:10.1.2.3")), "IPv4 carried in IPv6");
        let v6 = Cidr::parse("2001:db8::/32").expect("a block");
        assert!(v6.contains(ip("2001:db8:ffff::1")) && !v6.contains(ip("2001:db9::1")));
        assert!(Cidr::parse("0.0.0.0/0")
            .expect("everything")
            .contains(ip("198.51.100.1")));
        assert!(Cidr::parse("192.0.2.1").expect("one").contains(ip("192.0.2.1")));
        for bad in ["10.0.0.0/33", "proxy.example", "10.0.0.0/x", "::/129"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_client_is_the_peer_unless_a_trusted_proxy_forwarded_for_it() {
        let proxy = vec![Cidr::parse("10.0.0.0/8").expect("a block")];
        let forwarded = headers(&[("x-forwarded-for", "203.0.113.9, 198.51.100.7")]);
        // From a trusted proxy: the rightmost address it did not add itself.
        assert_eq!(client_of(ip("10.0.0.2"), &forwarded, &proxy), ip("198.51.100.7"));
        // From anyone else: the header is the client's own word, and ignored.
        assert_eq!(client_of(ip("192.0.2.50"), &forwarded, &proxy), ip("192.0.2.50"));
        // A chain of trusted proxies is walked past.
        let chain = headers(&[("x-forwarded-for", "198.51.100.7, 10.0.0.9")]);
        assert_eq!(client_of(ip("10.0.0.2"), &chain, &proxy), ip("198.51.100.7"));
        // RFC 7239, with a port and a bracketed IPv6 address.
        let rfc = headers(&[("forwarded", "for=\"[2001:db8::5]:4711\";proto=https")]);
        assert_eq!(client_of(ip("10.0.0.2"), &rfc, &proxy), ip("2001:db8::5"));
        let port = headers(&[("forwarded", "for=198.51.100.8:1234")]);
        assert_eq!(client_of(ip("10.0.0.2"), &port, &proxy), ip("198.51.100.8"));
        // Nothing forwarded, or garbage: the proxy itself.
        assert_eq!(
            client_of(ip("10.0.0.2"), &HeaderMap::new(), &proxy),
            ip("10.0.0.2")
        );
        let garbage = headers(&[("x-forwarded-for", "unknown")]);
        assert_eq!(client_of(ip("10.0.0.2"), &garbage, &proxy), ip("10.0.0.2"));
    }

    #[test]
    fn an_ipv6_client_is_its_64_block() {
        assert_eq!(bucket(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(bucket(ip("2001:db8:1:2:bbbb::9")), ip("2001:db8:1:2::"));
        assert_ne!(bucket(ip("2001:db8:1:3::1")), ip("2001:db8:1:2::"));
        assert_eq!(bucket(ip("192.0.2.1")), ip("192.0.2.1"));
    }
}
