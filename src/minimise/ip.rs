//! IP addresses cut to their network for `ip-truncate`: IPv4 to /24, IPv6 to /48, IPv4-mapped IPv6 unmapped
//! first. Parsed and printed here rather than with `std::net`, whose parser and RFC 5952 printer cost every
//! page about 4 KB for the one shape this needs.

use crate::jose::sha256::to_hex;
use crate::prelude::*;
use crate::text::decimal;

/// `192.0.2.0` for `192.0.2.123`; `2001:db8:85a3::` for any address in `2001:db8:85a3::/48`;
/// `198.51.100.0` for `::ffff:198.51.100.77`. `None` when `value` is not an IP address.
pub(crate) fn network(value: &str) -> Option<String> {
    if let Some([a, b, c, _]) = ipv4(value) {
        return Some(ipv4_network(a, b, c));
    }
    let groups = ipv6(value)?;
    if groups[..5] == [0; 5] && groups[5] == 0xffff {
        let [a, b] = groups[6].to_be_bytes();
        let [c, _] = groups[7].to_be_bytes();
        return Some(ipv4_network(a, b, c));
    }
    // The first three groups, then `::` for the zeros (RFC 5952: the longest zero run is the tail, and any
    // zero groups right before it join it).
    let kept = groups[..3].iter().rposition(|g| *g != 0).map_or(0, |i| i + 1);
    let head: Vec<String> = groups[..kept].iter().map(|g| hex_group(*g)).collect();
    Some(concat(&[&join(&head, ":"), "::"]))
}

fn ipv4_network(a: u8, b: u8, c: u8) -> String {
    concat(&[
        &decimal(a.into()),
        ".",
        &decimal(b.into()),
        ".",
        &decimal(c.into()),
        ".0",
    ])
}

/// A group in lowercase hex without leading zeros (RFC 5952).
fn hex_group(group: u16) -> String {
    let hex = to_hex(&group.to_be_bytes());
    let digits = hex.trim_start_matches('0');
    if digits.is_empty() { "0" } else { digits }.to_owned()
}

/// Dotted-quad IPv4: four decimal numbers up to 255, without leading zeros.
fn ipv4(value: &str) -> Option<[u8; 4]> {
    let mut octets = [0u8; 4];
    let mut parts = value.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        let decimal = !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit());
        if !decimal || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then_some(octets)
}

/// RFC 4291 text form: eight groups of 1 to 4 hex digits, one `::` for a run of zeros, and an IPv4 tail.
fn ipv6(value: &str) -> Option<[u16; 8]> {
    let (head, tail) = match split_at_double_colon(value) {
        Some((head, tail)) => (head, Some(tail)),
        None => (value, None),
    };
    let groups = |text: &str| -> Option<Vec<u16>> {
        if text.is_empty() {
            return Some(Vec::new());
        }
        let parts: Vec<&str> = text.split(':').collect();
        let mut out = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if i == parts.len() - 1 && part.contains('.') {
                let [a, b, c, d] = ipv4(part)?;
                out.extend([u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])]);
            } else if (1..=4).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()) {
                out.push(u16::from_str_radix(part, 16).ok()?);
            } else {
                return None;
            }
        }
        Some(out)
    };
    let mut address = [0u16; 8];
    match tail {
        None => {
            let all = groups(head)?;
            if head.contains('.') && !head.contains(':') {
                return None;
            }
            // Copied by zip, as below: copy_from_slice's panic text would ship to every page.
            for (to, from) in address.iter_mut().zip(all.get(..8).filter(|_| all.len() == 8)?) {
                *to = *from;
            }
        }
        Some(tail) => {
            if split_at_double_colon(tail).is_some() || (!head.is_empty() && head.contains('.')) {
                return None;
            }
            let front = groups(head)?;
            let back = groups(tail)?;
            if front.len() + back.len() > 7 {
                return None;
            }
            for (to, from) in address.iter_mut().zip(&front) {
                *to = *from;
            }
            for (to, from) in address[8 - back.len()..].iter_mut().zip(&back) {
                *to = *from;
            }
        }
    }
    Some(address)
}

/// `value` split at its first `::`. A byte search: `split_once("::")` brings the general substring search and
/// its panic messages, 3.5 KB brotli on every page (measured).
fn split_at_double_colon(value: &str) -> Option<(&str, &str)> {
    let at = value.as_bytes().windows(2).position(|pair| pair == b"::")?;
    Some((value.get(..at)?, value.get(at + 2..)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::string::ToString;

    /// What `std::net` makes of the same text, cut the same way.
    fn with_std(value: &str) -> Option<String> {
        let cut_v4 = |ip: Ipv4Addr| {
            let [a, b, c, _] = ip.octets();
            Ipv4Addr::new(a, b, c, 0).to_string()
        };
        Some(match value.parse::<IpAddr>().ok()? {
            IpAddr::V4(ip) => cut_v4(ip),
            IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
                Some(v4) => cut_v4(v4),
                None => {
                    let [a, b, c, ..] = ip.segments();
                    Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0).to_string()
                }
            },
        })
    }

    #[test]
    fn agrees_with_the_standard_library() {
        let cases = [
            "192.0.2.123",
            "0.0.0.0",
            "255.255.255.255",
            "10.1.2.3",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            "",
            "::",
            "::1",
            "1::",
            "2001:db8:85a3:8d3:1319:8a2e:370:7348",
            "2001:DB8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001",
            "0:0:1::",
            "0:5:0::9",
            "fe80::1%eth0",
            "::ffff:198.51.100.77",
            "::ffff:c633:644d",
            "::198.51.100.77",
            "64:ff9b::192.0.2.1",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "1::2::3",
            ":1::",
            "1:::2",
            "12345::",
            "g::",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "::1.2.3.4:5",
            "1.2.3.4::",
            " 1.2.3.4",
            "[::1]",
            "::ffff:1.2.3",
            "0::0:0:0:0:0:0:0",
        ];
        for value in cases {
            assert_eq!(network(value), with_std(value), "{value:?}");
        }
    }

    #[test]
    fn agrees_with_the_standard_library_on_generated_addresses() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Mostly zero groups, so that runs of zeros in every position get printed and compressed.
            let groups: Vec<u16> = (0..8)
                .map(|i| {
                    if (state >> (i * 3)) & 3 == 0 {
                        (state >> (i * 5)) as u16
                    } else {
                        0
                    }
                })
                .collect();
            let ip = Ipv6Addr::new(
                groups[0], groups[1], groups[2], groups[3], groups[4], groups[5], groups[6], groups[7],
            );
            let text = ip.to_string();
            assert_eq!(network(&text), with_std(&text), "{text}");
        }
    }
}
