//! The receiver as a witnessed log: after each group commit it signs the new head as a checkpoint with the log's
//! key, submits it to every witness of the policy (c2sp.org/tlog-witness `add-checkpoint`, with a consistency
//! proof from the size each witness holds, learnt from its 409 when not known), checks each cosignature it gets
//! back, and returns the checkpoint once the cosignatures meet the policy's quorum, or nothing when they do not
//! within the wait. One round trip a batch: the submissions that arrive meanwhile form the next batch.

use crate::acknowledgement::signed_checkpoint;
use crate::log::Log;
use consent_capture::tlog::add_checkpoint::AddCheckpoint;
use consent_capture::tlog::cosignature::cosigned_at;
use consent_capture::tlog::note::{Note, Signature};
use consent_capture::tlog::policy::{Party, Policy};
use consent_capture::tlog::signer::NoteSigner;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::task::JoinSet;
use tokio::time::{timeout_at, Instant};

/// A checkpoint witnesses cosigned to the quorum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cosigned {
    /// Its size.
    pub size: u64,
    /// The note: the log's signature and the witnesses' cosignatures.
    pub note: String,
}

/// The witnessing client: the policy, how long a batch waits for its quorum, and what it learnt.
pub struct Witnessing {
    policy: Policy,
    wait: Duration,
    client: reqwest::Client,
    // The size each witness holds for this log, as it last said.
    held: Mutex<HashMap<String, u64>>,
    latest: Mutex<Option<Cosigned>>,
}

/// What one witness answered.
enum Reply {
    Cosigned(Vec<Signature>),
    Holds(u64),
    Failed(String),
}

impl Witnessing {
    /// Witnessing under `policy`, waiting at most `wait` a batch; `latest` is the last checkpoint cosigned
    /// (from the database), if any.
    pub fn new(policy: Policy, wait: Duration, latest: Option<Cosigned>) -> Self {
        Self {
            policy,
            wait,
            client: reqwest::Client::builder()
                .timeout(wait)
                .build()
                .unwrap_or_default(),
            held: Mutex::new(HashMap::new()),
            latest: Mutex::new(latest),
        }
    }

    /// The checkpoint of `size` leaves cosigned last, when that is the size cosigned last (no witness is asked).
    pub async fn cosigned(&self, size: u64) -> Option<Cosigned> {
        self.latest
            .lock()
            .await
            .clone()
            .filter(|latest| latest.size == size)
    }

    /// The head of `log` as a checkpoint signed with `log_key` and cosigned to the quorum; the one
    /// cosigned already when `log` has not grown. `None` when the quorum's cosignatures did not all arrive
    /// within the wait (each witness's failure is logged).
    pub async fn cosign(&self, log: &Log, log_key: &NoteSigner) -> Option<Cosigned> {
        let head = log.head();
        if let Some(latest) = self.cosigned(head.size).await {
            return Some(latest);
        }
        let signed = signed_checkpoint(log_key, head);
        let deadline = Instant::now() + self.wait;
        let mut asking = JoinSet::new();
        let held = self.held.lock().await.clone();
        for witness in self
            .policy
            .witnesses
            .iter()
            .filter(|witness| witness.url.is_some())
        {
            let old = held.get(&witness.name).copied().unwrap_or(0);
            asking.spawn(self.ask(witness.clone(), old, log, &signed));
        }
        let mut cosignatures: Vec<(String, Vec<Signature>)> = Vec::new();
        let mut retried: Vec<String> = Vec::new();
        while let Ok(Some(Ok((witness, reply)))) = timeout_at(deadline, asking.join_next()).await {
            match reply {
                Reply::Cosigned(lines) => {
                    self.held.lock().await.insert(witness.name.clone(), head.size);
                    cosignatures.push((witness.name.clone(), lines));
                    let names: Vec<&str> = cosignatures.iter().map(|(name, _)| name.as_str()).collect();
                    if self.policy.met_by(&names) {
                        break;
                    }
                }
                Reply::Holds(size) if size <= head.size && !retried.contains(&witness.name) => {
                    self.held.lock().await.insert(witness.name.clone(), size);
                    retried.push(witness.name.clone());
                    asking.spawn(self.ask(witness, size, log, &signed));
                }
                Reply::Holds(size) => {
                    tracing::warn!(witness = %witness.name, size, log = head.size, "the witness holds a larger or other tree");
                }
                Reply::Failed(why) => tracing::warn!(witness = %witness.name, %why, "not cosigned"),
            }
        }
        asking.abort_all();
        let mut note = Note::parse(&signed).ok()?;
        for (_, lines) in cosignatures {
            note.signatures.extend(lines);
        }
        let cosigned = Cosigned {
            size: head.size,
            note: note.to_text(),
        };
        // The policy's own verdict over the note as it will be handed out.
        if let Err(error) = self.policy.open(&cosigned.note) {
            tracing::warn!(%error, size = head.size, "the checkpoint is not witnessed yet");
            return None;
        }
        *self.latest.lock().await = Some(cosigned.clone());
        Some(cosigned)
    }

    /// The request to `witness` from `old`, as a task that owns what it needs.
    fn ask(
        &self,
        witness: Party,
        old: u64,
        log: &Log,
        signed: &str,
    ) -> impl std::future::Future<Output = (Party, Reply)> + Send + 'static {
        let proof = if old == 0 || old >= log.size() {
            Vec::new()
        } else {
            log.consistency(old).unwrap_or_default()
        };
        let body = AddCheckpoint {
            old,
            proof,
            checkpoint: signed.to_owned(),
        }
        .to_text();
        let client = self.client.clone();
        let signed = signed.to_owned();
        async move {
            let reply = submit(&client, &witness, body, &signed).await;
            (witness, reply)
        }
    }
}

/// Posts `body` to `witness`'s add-checkpoint and reads its answer: the cosignatures by its key that verify
/// over `signed`, the size it holds, or why not.
async fn submit(client: &reqwest::Client, witness: &Party, body: String, signed: &str) -> Reply {
    let url = [
        witness.url.as_deref().unwrap_or_default().trim_end_matches('/'),
        "/add-checkpoint",
    ]
    .concat();
    let answer = match client.post(url).body(body).send().await {
        Ok(answer) => answer,
        Err(error) => return Reply::Failed(error.to_string()),
    };
    let status = answer.status().as_u16();
    let text = match answer.text().await {
        Ok(text) => text,
        Err(error) => return Reply::Failed(error.to_string()),
    };
    match status {
        200 => {
            let Ok(note) = Note::parse(&[signed, text.as_str()].concat()) else {
                return Reply::Failed("its answer is not signature lines".into());
            };
            match cosigned_at(&note, &witness.key) {
                Ok(Some(_)) => Reply::Cosigned(note.by(&witness.key).cloned().collect()),
                Ok(None) => Reply::Failed("no cosignature by its key".into()),
                Err(error) => Reply::Failed(error.text()),
            }
        }
        409 => match text.trim().parse::<u64>() {
            Ok(size) => Reply::Holds(size),
            Err(_) => Reply::Failed("a 409 without a size".into()),
        },
        status => Reply::Failed(format!("{status}: {}", text.trim())),
    }
}
