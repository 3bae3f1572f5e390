//! The append-only log: a Merkle tree over the records, built as RFC 9162 §2.1 describes (leaf hash
//! `SHA-256(0x00 || leaf)`, node hash `SHA-256(0x01 || left || right)`), with inclusion proofs for a record and
//! consistency proofs between two sizes. `ct-merkle` does the tree; this file says what a leaf is.
//!
//! A leaf is the SHA-256 of a record's entry: canonical JSON (RFC 8785) naming its position, receipt id, the
//! SHA-256 of the receipt JWS and of the body that arrived with it, and the time it was received. Anyone who
//! holds a receipt and its acknowledgement can rebuild the entry, hash it and check it against a signed head.

use consent_capture::jose::base64url;
use consent_capture::jose::sha256::sha256;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{Object, Value};
use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use sha2::Sha256;

/// What the log records of one receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its place in the log, from 0.
    pub position: u64,
    /// The receipt's `consentReceiptID`.
    pub receipt_id: String,
    /// Base64url SHA-256 of the receipt's compact JWS (as `previousReceipt` names receipts).
    pub receipt_sha256: String,
    /// Base64url SHA-256 of the request body as it arrived.
    pub body_sha256: String,
    /// When it was received, in seconds since 1970.
    pub received_at: i64,
}

impl Entry {
    /// The entry as canonical JSON: what the leaf hashes and what acknowledgements carry.
    pub fn to_json(&self) -> Object {
        Object::new()
            .with("position", Value::from(self.position as i64))
            .with("receiptId", self.receipt_id.as_str())
            .with("receiptSha256", self.receipt_sha256.as_str())
            .with("bodySha256", self.body_sha256.as_str())
            .with("receivedAt", Value::from(self.received_at))
    }

    /// The leaf: SHA-256 of the canonical entry.
    pub fn leaf(&self) -> [u8; 32] {
        sha256(to_canonical_string(&Value::Object(self.to_json())).as_bytes())
    }
}

/// The log's head: its size and root hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// How many records.
    pub size: u64,
    /// The Merkle tree hash of those records.
    pub root: [u8; 32],
}

impl Head {
    /// `{"rootHash": base64url, "size": n}`.
    pub fn to_json(self) -> Object {
        Object::new()
            .with("rootHash", base64url::encode(&self.root))
            .with("size", Value::from(self.size as i64))
    }
}

/// The tree over every leaf so far. It lives in memory (32 bytes a leaf and as much again for the nodes above
/// them: about 100 MB for a million records) and is rebuilt from the database when a receiver starts.
#[derive(Default)]
pub struct Log {
    tree: MemoryBackedTree<Sha256, [u8; 32]>,
}

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many records.
    pub fn size(&self) -> u64 {
        self.tree.len()
    }

    /// Appends a leaf.
    pub fn push(&mut self, leaf: [u8; 32]) {
        self.tree.push(leaf);
    }

    /// The current head.
    pub fn head(&self) -> Head {
        let root = self.tree.root();
        Head {
            size: root.num_leaves(),
            root: (*root.as_bytes()).into(),
        }
    }

    /// The inclusion proof of the record at `position` in the current tree (empty for a tree of one).
    /// `None` when there is no such record.
    pub fn inclusion(&self, position: u64) -> Option<Vec<[u8; 32]>> {
        let index = usize::try_from(position).ok()?;
        (position < self.size()).then(|| hashes(self.tree.prove_inclusion(index).as_bytes()))
    }

    /// The consistency proof from the head of size `old_size` to the current one. `None` unless
    /// `0 < old_size <= size`.
    pub fn consistency(&self, old_size: u64) -> Option<Vec<[u8; 32]>> {
        let size = self.size();
        if old_size == 0 || old_size > size {
            return None;
        }
        let additions = usize::try_from(size - old_size).ok()?;
        Some(hashes(self.tree.prove_consistency(additions).as_bytes()))
    }
}

fn hashes(bytes: &[u8]) -> Vec<[u8; 32]> {
    bytes
        .chunks_exact(32)
        .map(|chunk| chunk.try_into().unwrap_or([0; 32]))
        .collect()
}

/// Whether `leaf` is at `position` in the tree whose head is `head`, by `proof`.
pub fn verify_inclusion(head: Head, leaf: &[u8; 32], position: u64, proof: &[[u8; 32]]) -> bool {
    let root = RootHash::<Sha256>::new(head.root.into(), head.size);
    let Ok(proof) = InclusionProof::<Sha256>::try_from_bytes(proof.concat()) else {
        return false;
    };
    root.verify_inclusion(leaf, position, &proof).is_ok()
}

/// Whether the tree whose head is `new` extends the one whose head is `old`, by `proof`.
pub fn verify_consistency(old: Head, new: Head, proof: &[[u8; 32]]) -> bool {
    let old = RootHash::<Sha256>::new(old.root.into(), old.size);
    let new = RootHash::<Sha256>::new(new.root.into(), new.size);
    let Ok(proof) = ConsistencyProof::<Sha256>::try_from_bytes(proof.concat()) else {
        return false;
    };
    new.verify_consistency(&old, &proof).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use consent_capture::receipt::merkle::{
        leaf_hash, verify_consistency as core_verify_consistency, verify_inclusion as core_verify_inclusion,
    };

    /// The component's hand-written inclusion check (which browsers and the CLI run) accepts every proof
    /// this log makes, for every position of trees of 1 to 70 leaves, and refuses each with one hash changed
    /// or at another position.
    #[test]
    fn the_components_inclusion_check_agrees_with_ct_merkle() {
        let mut log = Log::new();
        for size in 1..=70u64 {
            log.push(sha256(&size.to_be_bytes()));
            let head = log.head();
            for position in 0..size {
                let leaf = sha256(&(position + 1).to_be_bytes());
                let proof = log.inclusion(position).expect("a proof");
                assert!(verify_inclusion(head, &leaf, position, &proof));
                assert!(core_verify_inclusion(
                    leaf_hash(&leaf),
                    position,
                    size,
                    &proof,
                    &head.root
                ));
                let other = (position + 1) % size;
                if other != position {
                    assert!(!core_verify_inclusion(
                        leaf_hash(&leaf),
                        other,
                        size,
                        &proof,
                        &head.root
                    ));
                }
                for changed in 0..proof.len() {
                    let mut bad = proof.clone();
                    bad[changed][0] ^= 1;
                    assert!(!core_verify_inclusion(
                        leaf_hash(&leaf),
                        position,
                        size,
                        &bad,
                        &head.root
                    ));
                }
            }
        }
    }

    /// The component's hand-written consistency check (which witnesses, devices and auditors run) accepts
    /// every proof this log makes between every two sizes of trees up to 40 leaves, and refuses each with one
    /// hash changed, for another size, or against another root.
    #[test]
    fn the_components_consistency_check_agrees_with_ct_merkle() {
        let mut log = Log::new();
        let mut heads = vec![];
        for size in 1..=40u64 {
            log.push(sha256(&size.to_be_bytes()));
            heads.push(log.head());
        }
        for new in 1..=40u64 {
            let mut log = Log::new();
            for leaf in 1..=new {
                log.push(sha256(&leaf.to_be_bytes()));
            }
            let new_head = log.head();
            for old in 1..=new {
                let old_head = heads[old as usize - 1];
                let proof = log.consistency(old).expect("a proof");
                assert!(verify_consistency(old_head, new_head, &proof));
                let check = |old_size, proof: &[[u8; 32]], old_root: &[u8; 32]| {
                    core_verify_consistency(old_size, new, proof, old_root, &new_head.root)
                };
                assert!(check(old, &proof, &old_head.root), "{old} to {new}");
                if old > 1 && old < new {
                    assert!(!check(old - 1, &proof, &old_head.root));
                    assert!(!check(old, &proof, &heads[old as usize - 2].root));
                }
                for changed in 0..proof.len() {
                    let mut bad = proof.clone();
                    bad[changed][0] ^= 1;
                    assert!(
                        !check(old, &bad, &old_head.root),
                        "{old} to {new}, hash {changed}"
                    );
                }
            }
        }
        assert!(core_verify_consistency(0, 5, &[], &[0; 32], &heads[4].root));
        assert!(!core_verify_consistency(
            6,
            5,
            &[],
            &heads[5].root,
            &heads[4].root
        ));
    }
}
