//! Signing notes natively (the receiver's log key, a witness's cosigning key, tools and tests): keys written as
//! Go's `sumdb/note` writes private keys, `PRIVATE+KEY+<name>+<hex key ID>+base64(type || seed)`. They print
//! as `[redacted]` and are wiped on drop (ed25519-dalek's zeroize).

use super::cosignature::message;
use super::note::{Signature, VerifierKey, COSIGNATURE_V1, ED25519};
use crate::error::{Error, ErrorKind};
use crate::jose::base64;
use crate::jose::sha256::to_hex;
use crate::prelude::*;
use ed25519_dalek::Signer as _;
use std::fmt;

/// A key that signs notes (type [`ED25519`]) or cosigns checkpoints (type [`COSIGNATURE_V1`]).
pub struct NoteSigner {
    verifier: VerifierKey,
    key: ed25519_dalek::SigningKey,
}

impl fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NoteSigner([redacted])")
    }
}

impl NoteSigner {
    /// A key named `name` of type `kind` from 32 random bytes (the caller brings the randomness).
    pub fn from_seed(name: &str, kind: u8, seed: [u8; 32]) -> Self {
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        Self {
            verifier: VerifierKey::new(name, kind, key.verifying_key().to_bytes()),
            key,
        }
    }

    /// Reads a private key (`PRIVATE+KEY+name+c74f20a3+AYEK…`).
    ///
    /// # Errors
    /// `PrivateKey` when it is not one, is of a type other than Ed25519 or cosignature/v1, or its key ID is not
    /// the key's. The text is never repeated in the error.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let refused = || Error::new(ErrorKind::PrivateKey, "note key");
        let rest = text.trim().strip_prefix("PRIVATE+KEY+").ok_or_else(refused)?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(secret)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(refused());
        };
        let secret = base64::decode(secret).ok_or_else(refused)?;
        let (&kind, seed) = secret.split_first().ok_or_else(refused)?;
        let seed: [u8; 32] = seed.try_into().map_err(|_| refused())?;
        if !super::note::is_key_name(name) || (kind != ED25519 && kind != COSIGNATURE_V1) {
            return Err(refused());
        }
        let signer = Self::from_seed(name, kind, seed);
        if to_hex(&signer.verifier.id) != id {
            return Err(refused().with_detail("the key ID is not the one this name and key make"));
        }
        Ok(signer)
    }

    /// The private key as text, for a file only its owner reads.
    pub fn to_private_text(&self) -> String {
        let mut secret = vec![self.verifier.kind];
        secret.extend_from_slice(&self.key.to_bytes());
        let text = concat(&[
            "PRIVATE+KEY+",
            &self.verifier.name,
            "+",
            &to_hex(&self.verifier.id),
            "+",
            &base64::encode(&secret),
        ]);
        secret.fill(0);
        text
    }

    /// The public key that verifies this key's signatures.
    pub fn verifier(&self) -> &VerifierKey {
        &self.verifier
    }

    /// Signs a note's `text` (a log's checkpoint).
    pub fn sign(&self, text: &str) -> Signature {
        self.signature(self.key.sign(text.as_bytes()).to_bytes().to_vec())
    }

    /// Cosigns the checkpoint whose text is `checkpoint` at `time` (seconds since 1970).
    pub fn cosign(&self, checkpoint: &str, time: u64) -> Signature {
        let mut bytes = time.to_be_bytes().to_vec();
        bytes.extend_from_slice(&self.key.sign(message(checkpoint, time).as_bytes()).to_bytes());
        self.signature(bytes)
    }

    fn signature(&self, bytes: Vec<u8>) -> Signature {
        Signature {
            name: self.verifier.name.clone(),
            id: self.verifier.id,
            bytes,
        }
    }
}
