//! Whether a log kept its history: a checkpoint it shows later must extend the one it showed before (a
//! consistency proof from the earlier size leads to the later root). Two checkpoints its key signed that no
//! proof joins are evidence that it showed two histories: a person's device keeps both, and an auditor names
//! the fork.

use super::policy::{Policy, Witnessed};
use super::proof::Proof;
use crate::error::{Error, ErrorKind};
use crate::jose::sha256::sha256;
use crate::prelude::*;
use crate::receipt::merkle::verify_consistency;

/// What a later checkpoint says of an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Later {
    /// It extends it; `witnessed` when its cosignatures meet the policy's quorum.
    Extends {
        /// Whether the later checkpoint's cosignatures meet the policy's quorum.
        witnessed: bool,
    },
    /// It does not: the log showed another history.
    Forked(&'static str),
}

/// Compares the checkpoint the log shows now (`later`, with the consistency `proof` from `earlier`'s size)
/// with the one kept from before (`earlier`). Both must be signed by a log of `policy` (under one origin).
///
/// # Errors
/// Either checkpoint does not read or is not signed by a log of the policy, or they name different logs: not
/// evidence of anything, only of a broken answer.
pub fn compare(policy: &Policy, earlier: &str, later: &str, proof: &[[u8; 32]]) -> Result<Later, Error> {
    let earlier = policy.read(earlier)?;
    let later = policy.read(later)?;
    let (old, new) = (&earlier.checkpoint, &later.checkpoint);
    if old.origin != new.origin {
        return Err(Error::new(ErrorKind::NotBound, "checkpoint")
            .with_detail("the two checkpoints name different logs"));
    }
    if new.size < old.size {
        return Ok(Later::Forked("the log now holds fewer records than it did"));
    }
    if !verify_consistency(old.size, new.size, proof, &old.root, &new.root) {
        return Ok(Later::Forked(
            "what the log holds now does not extend what it held",
        ));
    }
    let names: Vec<&str> = later.cosigned.iter().map(|(name, _)| name.as_str()).collect();
    Ok(Later::Extends {
        witnessed: policy.met_by(&names),
    })
}

/// Checks the proof that came with an acknowledgement (c2sp.org/tlog-proof): its extra data is `entry` (the
/// log entry the acknowledgement signs, as canonical JSON), at the entry's position, in a checkpoint `policy`
/// accepts (its log's signature and the quorum's cosignatures). The checkpoint is what a device keeps.
///
/// # Errors
/// The proof does not read, names another entry or position, or does not verify under the policy.
pub fn acknowledged(policy: &Policy, proof: &str, entry: &str, position: u64) -> Result<Witnessed, Error> {
    let proof = Proof::parse(proof)?;
    if proof.extra.as_deref() != Some(entry.as_bytes()) || proof.index != position {
        return Err(Error::new(ErrorKind::NotBound, "proof")
            .with_detail("it proves another entry than the acknowledgement's"));
    }
    proof.verify(&sha256(entry.as_bytes()), policy)
}
