//! Checkpoints (c2sp.org/tlog-checkpoint): a signed note whose text is the log's origin, its size and its root
//! hash in Base64, one to a line, then any extension lines.

use super::note::{line_at, Note, VerifierKey};
use crate::error::{Error, ErrorKind};
use crate::jose::base64;
use crate::prelude::*;
use crate::text::{decimal, parse_decimal};

/// A log's head, as a checkpoint's text says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity (its key's name).
    pub origin: String,
    /// How many leaves.
    pub size: u64,
    /// The RFC 6962 root hash of those leaves.
    pub root: [u8; 32],
    /// Extension lines, opaque.
    pub extensions: Vec<String>,
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> [u8; 32] {
    crate::jose::sha256::sha256(&[])
}

impl Checkpoint {
    /// Reads a checkpoint's text (a note's text, with its final newline).
    ///
    /// # Errors
    /// `Syntax` with the line: fewer than three lines, an empty line, a size that is not plain decimal, a root
    /// that is not the Base64 of 32 bytes.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let syntax =
            |line: usize, detail: &str| Error::new(ErrorKind::Syntax, line_at(line)).with_detail(detail);
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        if lines.len() < 3 || !text.ends_with('\n') {
            return Err(syntax(
                1,
                "a checkpoint is its origin, size and root hash, one to a line",
            ));
        }
        if let Some(empty) = lines.iter().position(|line| line.is_empty()) {
            return Err(syntax(empty + 1, "a checkpoint has no empty line"));
        }
        let size = parse_decimal(lines[1]).ok_or_else(|| syntax(2, "the size is a decimal number"))?;
        let root = base64::decode(lines[2])
            .and_then(|root| root.try_into().ok())
            .ok_or_else(|| syntax(3, "the root hash is the Base64 of 32 bytes"))?;
        Ok(Self {
            origin: lines[0].to_owned(),
            size,
            root,
            extensions: lines[3..].iter().map(|line| (*line).to_owned()).collect(),
        })
    }

    /// The checkpoint's text, each line with its newline.
    pub fn to_text(&self) -> String {
        let mut out = concat(&[
            &self.origin,
            "\n",
            &decimal(self.size as i64),
            "\n",
            &base64::encode(&self.root),
            "\n",
        ]);
        for line in &self.extensions {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Reads `signed`, a checkpoint note that `log` must have signed.
    ///
    /// # Errors
    /// The note's or the checkpoint's `Syntax`; `BadSignature` when the log's signature fails or is missing;
    /// `NotBound` when the origin is not the log key's name.
    pub fn open(signed: &str, log: &VerifierKey) -> Result<(Note, Self), Error> {
        let note = Note::parse(signed)?;
        if note.signed_by(log)?.is_none() {
            return Err(Error::new(ErrorKind::BadSignature, "checkpoint")
                .with_detail(concat(&["not signed by the log's key ", &log.name])));
        }
        let checkpoint = Self::parse(&note.text)?;
        if checkpoint.origin != log.name {
            return Err(Error::new(ErrorKind::NotBound, line_at(1))
                .with_detail(concat(&["the origin is not the log's name ", &log.name])));
        }
        Ok((note, checkpoint))
    }
}
