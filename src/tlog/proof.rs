//! Offline proofs (c2sp.org/tlog-proof@v1): that a leaf is in a log whose checkpoint witnesses cosigned. The
//! text is `c2sp.org/tlog-proof@v1`, an optional `extra <Base64>` line, `index <n>`, the inclusion proof's
//! hashes one to a line, a blank line, and the checkpoint with its signatures.
//!
//! The receiver's `extra` is the log entry (canonical JSON) whose SHA-256 is the leaf, so the proof carries
//! what it proves.

use super::note::line_at;
use super::policy::{Policy, Witnessed};
use crate::error::{Error, ErrorKind};
use crate::jose::base64;
use crate::prelude::*;
use crate::receipt::merkle::{leaf_hash, verify_inclusion};
use crate::text::{decimal, parse_decimal, split_at_blank_line};

/// The first line of every proof.
pub const HEADER: &str = "c2sp.org/tlog-proof@v1";
/// The most inclusion proof lines (a tree of 2^63 leaves needs 63).
const MOST_HASHES: usize = 63;

/// A proof, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// The `extra` data, unauthenticated until the leaf it makes is found in the tree.
    pub extra: Option<Vec<u8>>,
    /// The leaf's index.
    pub index: u64,
    /// The inclusion proof, from the leaf's sibling up.
    pub inclusion: Vec<[u8; 32]>,
    /// The checkpoint note, with its signatures.
    pub checkpoint: String,
}

impl Proof {
    /// Reads a proof.
    ///
    /// # Errors
    /// `Syntax` with the line: no header, no index, a hash that is not the Base64 of 32 bytes, more than 63 of
    /// them, no blank line before the checkpoint.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let syntax =
            |line: usize, detail: &str| Error::new(ErrorKind::Syntax, line_at(line)).with_detail(detail);
        let (head, checkpoint) = split_at_blank_line(text, false)
            .ok_or_else(|| syntax(1, "a blank line separates the proof from its checkpoint"))?;
        let mut lines = head.split_terminator('\n').enumerate().peekable();
        if lines.next().map(|(_, line)| line) != Some(HEADER) {
            return Err(syntax(1, "a proof starts with c2sp.org/tlog-proof@v1"));
        }
        let mut extra = None;
        if let Some((i, line)) = lines.next_if(|(_, line)| line.starts_with("extra ")) {
            let data = line.strip_prefix("extra ").and_then(base64::decode);
            extra = Some(data.ok_or_else(|| syntax(i + 1, "extra data is Base64"))?);
        }
        let (i, line) = lines.next().ok_or_else(|| syntax(2, "a proof names its index"))?;
        let index = line
            .strip_prefix("index ")
            .and_then(parse_decimal)
            .ok_or_else(|| syntax(i + 1, "index <n>, in plain decimal"))?;
        let inclusion = lines
            .map(|(i, line)| {
                base64::decode(line)
                    .and_then(|hash| hash.try_into().ok())
                    .ok_or_else(|| syntax(i + 1, "a hash is the Base64 of 32 bytes"))
            })
            .collect::<Result<Vec<[u8; 32]>, _>>()?;
        if inclusion.len() > MOST_HASHES {
            return Err(syntax(1, "an inclusion proof has at most 63 hashes"));
        }
        Ok(Self {
            extra,
            index,
            inclusion,
            checkpoint: checkpoint.to_owned(),
        })
    }

    /// The proof as text.
    pub fn to_text(&self) -> String {
        let mut out = concat(&[HEADER, "\n"]);
        if let Some(extra) = &self.extra {
            out.push_str(&concat(&["extra ", &base64::encode(extra), "\n"]));
        }
        out.push_str(&concat(&["index ", &decimal(self.index as i64), "\n"]));
        for hash in &self.inclusion {
            out.push_str(&base64::encode(hash));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.checkpoint);
        out
    }

    /// Verifies that `leaf` (the data whose RFC 6962 leaf hash is in the tree) is at the proof's index in a
    /// checkpoint `policy` accepts.
    ///
    /// # Errors
    /// The checkpoint's errors under the policy; `NotBound` when the inclusion proof does not lead from the leaf
    /// to the checkpoint's root.
    pub fn verify(&self, leaf: &[u8], policy: &Policy) -> Result<Witnessed, Error> {
        let witnessed = policy.open(&self.checkpoint)?;
        let head = &witnessed.checkpoint;
        if !verify_inclusion(
            leaf_hash(leaf),
            self.index,
            head.size,
            &self.inclusion,
            &head.root,
        ) {
            return Err(Error::new(ErrorKind::NotBound, "inclusion proof")
                .with_detail("the leaf is not at this index in the checkpoint's tree"));
        }
        Ok(witnessed)
    }
}
