//! Standard Base64 with padding (RFC 4648 §4), as C2SP's signed notes, checkpoints and proofs write it and as
//! UID2 wants its hashes: the base64url codec with two characters swapped and the padding added, and decoded
//! as strictly (every value has exactly one encoding).

use super::base64url;
use crate::prelude::*;

/// Encodes `bytes` as padded standard Base64.
pub fn encode(bytes: &[u8]) -> String {
    let mut out: String = base64url::encode(bytes)
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            other => other,
        })
        .collect();
    while out.len() % 4 != 0 {
        out.push('=');
    }
    out
}

/// Decodes padded standard Base64; `None` for anything that is not its one canonical encoding.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let unpadded = text.trim_end_matches('=');
    if text.len() % 4 != 0 || text.len() - unpadded.len() > 2 || unpadded.contains(['-', '_']) {
        return None;
    }
    let url: String = unpadded
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect();
    base64url::decode(&url)
}
