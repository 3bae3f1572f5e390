//! Checking an inclusion proof in a Merkle tree built as RFC 9162 §2.1 builds it (leaf hash
//! `SHA-256(0x00 || leaf)`, node hash `SHA-256(0x01 || left || right)`), by §2.1.3.2's algorithm.
//!
//! Hand-written rather than taken from `ct-merkle` (which the receiver uses to build its log): the core is
//! `no_std` with its own SHA-256, and the browser's verifier module would otherwise carry a second SHA-256
//! and the `digest` traits for twenty lines. The receiver's tests check this against `ct-merkle`'s proofs.

use crate::jose::sha256::sha256;
use crate::prelude::*;

/// The hash of a leaf whose data is `leaf`.
pub fn leaf_hash(leaf: &[u8]) -> [u8; 32] {
    let mut input = Vec::with_capacity(leaf.len() + 1);
    input.push(0);
    input.extend_from_slice(leaf);
    sha256(&input)
}

fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut input = [0u8; 65];
    input[0] = 1;
    input[1..33].copy_from_slice(left);
    input[33..].copy_from_slice(right);
    sha256(&input)
}

/// Whether `proof` shows that the leaf hashed to `leaf_hash` is at `index` in the tree of `size` leaves whose
/// root is `root`.
pub fn verify_inclusion(
    leaf_hash: [u8; 32],
    index: u64,
    size: u64,
    proof: &[[u8; 32]],
    root: &[u8; 32],
) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = leaf_hash;
    for p in proof {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}
