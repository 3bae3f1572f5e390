//! The body of a witness's `add-checkpoint` request (c2sp.org/tlog-witness): `old <size>`, the consistency proof
//! from that size one Base64 hash to a line, a blank line, then the signed checkpoint. The receiver writes it and a
//! witness reads it (native only: no page asks a witness).

use super::note::line_at;
use crate::error::{Error, ErrorKind};
use crate::jose::base64;
use crate::prelude::*;
use crate::text::{decimal, parse_decimal, split_at_blank_line};

/// The most consistency proof lines a request may carry.
pub const MOST_PROOF_LINES: usize = 63;

/// An `add-checkpoint` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddCheckpoint {
    /// The size of the checkpoint the witness cosigned last, as the log believes (0 for none).
    pub old: u64,
    /// The consistency proof from `old` to the checkpoint's size.
    pub proof: Vec<[u8; 32]>,
    /// The checkpoint note, with its signatures.
    pub checkpoint: String,
}

impl AddCheckpoint {
    /// Reads a request body.
    ///
    /// # Errors
    /// `Syntax` with the line: no blank line before the checkpoint, a first line that is not `old <size>` in
    /// plain decimal, a proof line that is not the Base64 of 32 bytes, more than 63 of them.
    pub fn parse(body: &str) -> Result<Self, Error> {
        let syntax =
            |line: usize, detail: &str| Error::new(ErrorKind::Syntax, line_at(line)).with_detail(detail);
        let (head, checkpoint) = split_at_blank_line(body, false).ok_or_else(|| {
            syntax(
                1,
                "the old size and proof lines, a blank line, then the checkpoint",
            )
        })?;
        let mut lines = head.split_terminator('\n');
        let old = lines
            .next()
            .and_then(|line| line.strip_prefix("old "))
            .and_then(parse_decimal)
            .ok_or_else(|| syntax(1, "the first line is old <size>"))?;
        let proof = lines
            .enumerate()
            .map(|(i, line)| {
                base64::decode(line)
                    .and_then(|hash| hash.try_into().ok())
                    .ok_or_else(|| syntax(i + 2, "a proof line is the Base64 of a 32-byte hash"))
            })
            .collect::<Result<Vec<[u8; 32]>, _>>()?;
        if proof.len() > MOST_PROOF_LINES {
            return Err(syntax(2, "a request carries at most 63 proof lines"));
        }
        Ok(Self {
            old,
            proof,
            checkpoint: checkpoint.to_owned(),
        })
    }

    /// The request body.
    pub fn to_text(&self) -> String {
        let mut out = concat(&["old ", &decimal(self.old as i64), "\n"]);
        for hash in &self.proof {
            out.push_str(&base64::encode(hash));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.checkpoint);
        out
    }
}
