//! A witness (c2sp.org/tlog-witness): it cosigns a log's checkpoint only after checking the log's signature
//! and a consistency proof from the last checkpoint it cosigned for that log, so that a log cannot show two
//! histories without a witness refusing one. `consent-capture witness` serves it ([`crate::witness_server`]);
//! a regulator, an auditor or a partner can run one for any log they choose to trust.
//!
//! `add-checkpoint` answers as the specification says: 404 for an unknown origin, 403 when the log's signature
//! is missing or fails, 400 for a malformed request or an old size past the checkpoint's, 409 (with the size it
//! holds, `text/x.tlog.size`) when the old size is not that size, 422 when the proof does not verify or the same
//! size has another root, and 200 with the cosignature line.

use crate::witness_store::{Cosigned, WitnessStore};
use consent_capture::jose::sha256::{sha256, to_hex};
use consent_capture::receipt::merkle::verify_consistency;
use consent_capture::tlog::add_checkpoint::AddCheckpoint;
use consent_capture::tlog::checkpoint::{empty_root, Checkpoint};
use consent_capture::tlog::note::{Note, VerifierKey};
use consent_capture::tlog::signer::NoteSigner;
use tokio::sync::Mutex;

/// What `add-checkpoint` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// 200: the cosignature line.
    Cosigned(String),
    /// 409: the size of the latest checkpoint cosigned for this log.
    Conflict(u64),
    /// Any other status, with why.
    Refused(u16, String),
}

/// A witness: its cosigning key, the logs it trusts, and what it holds.
pub struct Witness {
    key: NoteSigner,
    logs: Vec<VerifierKey>,
    store: WitnessStore,
    // One check-and-persist at a time in this process; the store's compare and swap covers any other.
    checking: Mutex<()>,
}

impl Witness {
    /// A witness cosigning with `key` for `logs`, keeping what it cosigned in `store`.
    pub fn new(key: NoteSigner, logs: Vec<VerifierKey>, store: WitnessStore) -> Self {
        Self {
            key,
            logs,
            store,
            checking: Mutex::new(()),
        }
    }

    /// Its verifier key (type 0x04), for policies.
    pub fn verifier(&self) -> &VerifierKey {
        self.key.verifier()
    }

    /// What it holds.
    pub fn store(&self) -> &WitnessStore {
        &self.store
    }

    /// Handles an `add-checkpoint` request body at `now` (seconds since 1970).
    ///
    /// # Errors
    /// The database fails: nothing was cosigned.
    pub async fn add_checkpoint(&self, body: &str, now: u64) -> Result<Answer, sqlx::Error> {
        let refused = |status: u16, why: &str| Ok(Answer::Refused(status, why.to_owned()));
        let request = match AddCheckpoint::parse(body) {
            Ok(request) => request,
            Err(error) => return refused(400, &error.text()),
        };
        let AddCheckpoint {
            old,
            proof,
            checkpoint: signed,
        } = request;
        let (note, checkpoint) = match Note::parse(&signed).and_then(|note| {
            let checkpoint = Checkpoint::parse(&note.text)?;
            Ok((note, checkpoint))
        }) {
            Ok(read) => read,
            Err(error) => return refused(400, &error.text()),
        };
        let Some(log) = self.logs.iter().find(|log| log.name == checkpoint.origin) else {
            return refused(404, "this witness does not witness a log of this origin");
        };
        match note.signed_by(log) {
            Ok(Some(_)) => {}
            Ok(None) => return refused(403, "the log's key did not sign this checkpoint"),
            Err(_) => return refused(403, "the log's signature does not verify"),
        }
        if old > checkpoint.size {
            return refused(400, "the old size is past the checkpoint's");
        }
        if checkpoint.size == 0 && checkpoint.root != empty_root() {
            return refused(422, "an empty tree's root is the hash of nothing");
        }
        let _checking = self.checking.lock().await;
        let held = self.store.latest(&checkpoint.origin).await?;
        let (held_size, held_root) = held
            .as_ref()
            .map_or((0, empty_root()), |held| (held.size, held.root));
        if old != held_size {
            return Ok(Answer::Conflict(held_size));
        }
        if !verify_consistency(old, checkpoint.size, &proof, &held_root, &checkpoint.root) {
            let why = if old == checkpoint.size {
                "this size was cosigned with another root"
            } else {
                "the consistency proof does not lead from the checkpoint cosigned last to this one"
            };
            self.store
                .keep_refused(&checkpoint.origin, &signed, why, now as i64)
                .await?;
            return refused(422, why);
        }
        let cosignature = self.key.cosign(&note.text, now);
        let mut kept = note.clone();
        kept.signatures
            .retain(|signature| signature.name == log.name && signature.id == log.id);
        kept.signatures.push(cosignature.clone());
        let to = Cosigned {
            size: checkpoint.size,
            root: checkpoint.root,
            note: kept.to_text(),
        };
        if !self
            .store
            .advance(&checkpoint.origin, held.as_ref(), &to, now as i64)
            .await?
        {
            let moved = self.store.latest(&checkpoint.origin).await?;
            return Ok(Answer::Conflict(moved.map_or(0, |held| held.size)));
        }
        Ok(Answer::Cosigned(cosignature.to_line()))
    }

    /// The latest checkpoint cosigned for the log whose origin hashes (SHA-256, lowercase hex) to
    /// `origin_hash`, with the log's signature and this witness's cosignature: what monitors read.
    ///
    /// # Errors
    /// The database fails.
    pub async fn latest(&self, origin_hash: &str) -> Result<Option<String>, sqlx::Error> {
        let Some(log) = self
            .logs
            .iter()
            .find(|log| to_hex(&sha256(log.name.as_bytes())) == origin_hash)
        else {
            return Ok(None);
        };
        Ok(self.store.latest(&log.name).await?.map(|held| held.note))
    }
}
