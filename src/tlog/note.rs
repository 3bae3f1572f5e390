//! Signed notes (c2sp.org/signed-note): a text ending in a newline, a blank line, and signature lines
//! `— <key name> base64(key ID || signature)`; and verifier keys (`<name>+<hex key ID>+base64(type || key)`).
//!
//! Hand-written, as the rest of the core's formats are: the one Rust implementation (`signed_note`) needs std,
//! and the browser's verifier module reads notes too.

use crate::error::{Error, ErrorKind};
use crate::jose::base64;
use crate::jose::ed25519;
use crate::jose::sha256::{sha256, to_hex};
use crate::prelude::*;
use crate::text::split_at_blank_line;

/// The signature type of a log's own Ed25519 signature.
pub const ED25519: u8 = 0x01;
/// The signature type of a witness's timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature).
pub const COSIGNATURE_V1: u8 = 0x04;
/// The most signature lines a note may carry (the specification asks verifiers to accept at least 16; Go's
/// implementation takes 100).
pub const MOST_SIGNATURES: usize = 100;
/// What starts a signature line: an em dash and a space.
const SIGNATURE_START: &str = "\u{2014} ";

/// A public key that signs notes: its name, its key ID, its signature type and its Ed25519 key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierKey {
    /// The key name (a log's is its origin).
    pub name: String,
    /// `SHA-256(name || 0x0A || type || key)[:4]`.
    pub id: [u8; 4],
    /// [`ED25519`] or [`COSIGNATURE_V1`].
    pub kind: u8,
    /// The Ed25519 public key.
    pub key: [u8; 32],
}

/// The key ID the specification recommends (and cosignatures require): the first four bytes of
/// `SHA-256(name || 0x0A || kind || key)`.
pub fn key_id(name: &str, kind: u8, key: &[u8; 32]) -> [u8; 4] {
    let mut input = Vec::with_capacity(name.len() + 34);
    input.extend_from_slice(name.as_bytes());
    input.push(b'\n');
    input.push(kind);
    input.extend_from_slice(key);
    let digest = sha256(&input);
    [digest[0], digest[1], digest[2], digest[3]]
}

/// Whether `name` may name a key: not empty, no space of any kind, no `+`.
pub fn is_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c == '+' || c.is_whitespace())
}

impl VerifierKey {
    /// The key `key` of type `kind` under `name`, with its key ID.
    pub fn new(name: &str, kind: u8, key: [u8; 32]) -> Self {
        Self {
            name: name.to_owned(),
            id: key_id(name, kind, &key),
            kind,
            key,
        }
    }

    /// Reads a verifier key (`example.com/log+530d903a+AekyeRrm…`).
    ///
    /// # Errors
    /// `Syntax` at `at` when it is not three parts, the name is not a key name, the ID is not eight lowercase
    /// hex digits or the key not Base64 of a type byte and 32 bytes; `UnsupportedAlgorithm` for a type other
    /// than Ed25519 or cosignature/v1; `KeyMismatch` when the ID is not the key's.
    pub fn parse(text: &str, at: &str) -> Result<Self, Error> {
        let syntax = |detail: &str| Error::new(ErrorKind::Syntax, at).with_detail(detail);
        let mut parts = text.trim().splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(syntax("a verifier key is <name>+<key ID>+<Base64 key>"));
        };
        if !is_key_name(name) {
            return Err(syntax("the key name is empty or holds a space or a +"));
        }
        let bytes = base64::decode(key).unwrap_or_default();
        let Some((&kind, key)) = bytes.split_first() else {
            return Err(syntax("the key is not Base64"));
        };
        if kind != ED25519 && kind != COSIGNATURE_V1 {
            return Err(Error::new(ErrorKind::UnsupportedAlgorithm, at)
                .with_detail("only Ed25519 keys (types 0x01 and 0x04) are read here"));
        }
        let key: [u8; 32] = key.try_into().map_err(|_| syntax("an Ed25519 key is 32 bytes"))?;
        let read = Self::new(name, kind, key);
        if to_hex(&read.id) != id {
            return Err(Error::new(ErrorKind::KeyMismatch, at)
                .with_detail("the key ID is not the one this name and key make"));
        }
        Ok(read)
    }

    /// The key as text: `<name>+<hex key ID>+<Base64 type and key>`.
    pub fn to_text(&self) -> String {
        let mut typed = Vec::with_capacity(33);
        typed.push(self.kind);
        typed.extend_from_slice(&self.key);
        concat(&[&self.name, "+", &to_hex(&self.id), "+", &base64::encode(&typed)])
    }
}

/// One signature line of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The signing key's name.
    pub name: String,
    /// The signing key's ID.
    pub id: [u8; 4],
    /// The signature itself (after the key ID).
    pub bytes: Vec<u8>,
}

impl Signature {
    /// `— <name> base64(id || bytes)` and its newline.
    pub fn to_line(&self) -> String {
        let mut signed = self.id.to_vec();
        signed.extend_from_slice(&self.bytes);
        concat(&[SIGNATURE_START, &self.name, " ", &base64::encode(&signed), "\n"])
    }

    /// Reads one signature line (without its newline).
    fn parse(line: &str, at: &str) -> Result<Self, Error> {
        let syntax = |detail: &str| Error::new(ErrorKind::Syntax, at).with_detail(detail);
        let rest = line
            .strip_prefix(SIGNATURE_START)
            .ok_or_else(|| syntax("a signature line starts with an em dash and a space"))?;
        let (name, signed) = rest
            .split_once(' ')
            .ok_or_else(|| syntax("a signature line is — <key name> <Base64 signature>"))?;
        if !is_key_name(name) {
            return Err(syntax("the key name is empty or holds a space or a +"));
        }
        let signed = base64::decode(signed).ok_or_else(|| syntax("the signature is not Base64"))?;
        if signed.len() < 5 {
            return Err(syntax("a signature is a key ID and at least one byte"));
        }
        Ok(Self {
            name: name.to_owned(),
            id: [signed[0], signed[1], signed[2], signed[3]],
            bytes: signed[4..].to_vec(),
        })
    }
}

/// A note: its text and its signatures, none yet verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The text, with its final newline.
    pub text: String,
    /// The signatures, in their order.
    pub signatures: Vec<Signature>,
}

impl Note {
    /// Reads a signed note.
    ///
    /// # Errors
    /// `Syntax`, with the line, for a control character other than a newline, a note that does not end in a
    /// newline, has no blank line before its signatures, no signature, more than [`MOST_SIGNATURES`], or a
    /// malformed signature line.
    pub fn parse(signed: &str) -> Result<Self, Error> {
        let syntax = |at: &str, detail: &str| Error::new(ErrorKind::Syntax, at).with_detail(detail);
        if signed.bytes().any(|b| b < 0x20 && b != b'\n') {
            return Err(syntax(
                "note",
                "a note holds no control character but the newline",
            ));
        }
        if !signed.ends_with('\n') {
            return Err(syntax("note", "a note ends in a newline"));
        }
        let Some((text, signatures)) = split_at_blank_line(signed, true) else {
            return Err(syntax(
                "note",
                "a blank line separates the text from its signatures",
            ));
        };
        let first_line = text.matches('\n').count() + 2;
        let lines: Vec<&str> = signatures.split_terminator('\n').collect();
        if lines.is_empty() || lines.len() > MOST_SIGNATURES {
            return Err(syntax("note", "a note carries from 1 to 100 signatures"));
        }
        let signatures = lines
            .iter()
            .enumerate()
            .map(|(i, line)| Signature::parse(line, &line_at(first_line + i)))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            text: text.to_owned(),
            signatures,
        })
    }

    /// The signature by `key` (a log's, of type [`ED25519`]), verified; `None` when it carries none. A note
    /// may carry signatures by other keys, which are left alone.
    ///
    /// # Errors
    /// `BadSignature` when a signature with the key's name and ID does not verify: the whole note is refused.
    pub fn signed_by<'a>(&'a self, key: &'a VerifierKey) -> Result<Option<&'a Signature>, Error> {
        let mut verified = None;
        for signature in self.by(key) {
            ed25519::verify(&key.key, self.text.as_bytes(), &signature.bytes)
                .map_err(|_| Error::new(ErrorKind::BadSignature, concat(&["signature by ", &key.name])))?;
            verified.get_or_insert(signature);
        }
        Ok(verified)
    }

    /// The signatures whose name and key ID are `key`'s.
    pub fn by<'a>(&'a self, key: &'a VerifierKey) -> impl Iterator<Item = &'a Signature> + 'a {
        self.signatures
            .iter()
            .filter(move |signature| signature.name == key.name && signature.id == key.id)
    }

    /// The note as text: its text, a blank line and its signature lines.
    pub fn to_text(&self) -> String {
        let mut out = self.text.clone();
        out.push('\n');
        for signature in &self.signatures {
            out.push_str(&signature.to_line());
        }
        out
    }
}

/// `line N`, counting from 1.
pub(crate) fn line_at(line: usize) -> String {
    concat(&["line ", &crate::text::decimal(line as i64)])
}
