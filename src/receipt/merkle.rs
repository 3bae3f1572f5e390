//! Checking inclusion and consistency proofs in a Merkle tree built as RFC 9162 §2.1 builds it (leaf hash
//! `SHA-256(0x00 || leaf)`, node hash `SHA-256(0x01 || left || right)`), by §2.1.3.2's and §2.1.4.2's algorithms.
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

/// Whether `proof` shows that the tree of `old_size` leaves whose root is `old_root` is the first `old_size`
/// leaves of the tree of `new_size` whose root is `new_root`, by RFC 9162 §2.1.4.2's algorithm. An empty tree
/// is a prefix of every tree, with an empty proof.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    proof: &[[u8; 32]],
    old_root: &[u8; 32],
    new_root: &[u8; 32],
) -> bool {
    if old_size == 0 || old_size == new_size {
        return proof.is_empty() && (old_size == 0 || old_root == new_root);
    }
    if old_size > new_size || proof.is_empty() {
        return false;
    }
    // A first tree that is a whole subtree is its own first hash, which the proof leaves out.
    let mut path = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let (mut f, mut s) = (old_size - 1, new_size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut old, mut new) = (path[0], path[0]);
    for c in &path[1..] {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            old = node_hash(c, &old);
            new = node_hash(c, &new);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            new = node_hash(&new, c);
        }
        f >>= 1;
        s >>= 1;
    }
    old == *old_root && new == *new_root && s == 0
}
