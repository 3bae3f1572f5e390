//! The appending task: the one writer of the log. It takes what [`crate::appender::Appender`] queues, checks it
//! against what the log holds, and stores a batch in one transaction, with the acknowledgement of each; when
//! the log is witnessed, each is answered once the witnesses cosign the batch's checkpoint, with its proof.

use crate::acknowledgement::{acknowledge, countersign};
use crate::appender::{catch_up, Answered, Job, Queue, Tree, Work, ATTEMPTS, MOST_AT_ONCE};
use crate::confirmation::{Confirmation, ConfirmationEntry, Link, CONFIRMATION_TYP};
use crate::decisions::{decisions_of, DecisionRow};
use crate::log::{Entry, Log};
use crate::refusal::{storage_failed, Refusal};
use crate::state::Receiver;
use crate::store::{is_taken, Record};
use crate::submission::{unproven_principal, Submission};
use crate::utc::now;
use crate::witnessing::Cosigned;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::Value;
use consent_capture::receipt::check::{check_follows, inspect, Principal};
use consent_capture::tlog::proof::Proof;
use std::collections::{HashMap, HashSet};
use std::sync::Weak;

/// The appending task: batches until the receiver is dropped.
pub(crate) async fn run(receiver: Weak<Receiver>, mut queue: Queue) {
    let mut jobs = Vec::with_capacity(MOST_AT_ONCE);
    while queue.0.recv_many(&mut jobs, MOST_AT_ONCE).await > 0 {
        let Some(receiver) = receiver.upgrade() else {
            return;
        };
        append_batch(&receiver, std::mem::take(&mut jobs)).await;
    }
}

/// What becomes of one submission of a batch.
enum Outcome {
    /// Refused without storing anything: a conflict, a broken chain, a link used already.
    Refused(Refusal),
    /// Held already: its acknowledgement as stored, and its log entry.
    Held(String, Entry),
    /// Stored as the batch's record at this index, when the batch commits.
    Stored(usize),
    /// Stored as the batch's confirmation at this index, when the batch commits.
    Confirmed(usize),
}

/// What one batch stores, in one transaction.
#[derive(Default)]
struct Batch {
    records: Vec<Record>,
    decisions: Vec<DecisionRow>,
    confirmations: Vec<Confirmation>,
    links: Vec<Link>,
}

async fn append_batch(receiver: &Receiver, jobs: Vec<Job>) {
    let store = receiver.store();
    let mut tree = receiver.tree().lock().await;
    let mut last_failure = None;
    for _ in 0..ATTEMPTS {
        let decided = match catch_up(store, &mut tree).await {
            Ok(()) => {
                // Out of step until the batch commits: a failed commit leaves its leaves without rows.
                tree.in_step = false;
                decide(receiver, &mut tree, &jobs).await
            }
            Err(error) => Err(error),
        };
        let (batch, outcomes) = match decided {
            Ok(decided) => decided,
            Err(error) => return answer_all(jobs, &storage_failed(&error)),
        };
        let relayed = receiver.config().relay.is_some();
        let stored = store
            .append_with_confirmations(
                &batch.records,
                &batch.decisions,
                &batch.confirmations,
                &batch.links,
                relayed,
            )
            .await;
        match stored {
            Ok(()) => {
                tree.in_step = true;
                if relayed && !(batch.records.is_empty() && batch.confirmations.is_empty()) {
                    receiver.relay_wake().notify_one();
                }
                if !batch.links.is_empty() {
                    receiver.mail_wake().notify_one();
                }
                let witnessed = witness(receiver, &tree.log, &outcomes).await;
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    // A receipt's entry, for its proof; a confirmation is answered without waiting for one.
                    let (answer, entry) = match outcome {
                        Outcome::Refused(refusal) => (Err(refusal), None),
                        Outcome::Held(acknowledgement, entry) => (Ok(acknowledgement), Some(entry)),
                        Outcome::Stored(index) => {
                            let record = &batch.records[index];
                            (Ok(record.acknowledgement.clone()), Some(record.entry()))
                        }
                        Outcome::Confirmed(index) => {
                            (Ok(batch.confirmations[index].acknowledgement.clone()), None)
                        }
                    };
                    let answer = answer.and_then(|acknowledgement| match (&witnessed, entry) {
                        (Witnessed::NotAsked, _) | (_, None) => Ok(Answered {
                            acknowledgement,
                            proof: None,
                        }),
                        (Witnessed::Cosigned(cosigned), Some(entry)) => Ok(Answered {
                            proof: proof_of(&entry, &tree.log, cosigned),
                            acknowledgement,
                        }),
                        (Witnessed::NotYet, Some(_)) => Err(not_witnessed(receiver)),
                    });
                    let _ = job.answer.send(answer);
                }
                return;
            }
            // Another receiver on the same database took a position (or stored one of these receipts) first.
            Err(error) if is_taken(&error) => last_failure = Some(error),
            Err(error) => {
                let failed = storage_failed(&error);
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    // A held receipt's acknowledgement needs its proof, which a failing database cannot give.
                    let answer = match outcome {
                        Outcome::Refused(refusal) => Err(refusal),
                        _ => Err(failed.clone()),
                    };
                    let _ = job.answer.send(answer);
                }
                return;
            }
        }
    }
    tracing::warn!(error = ?last_failure, "other receivers kept taking the log's next position");
    let busy = Refusal::new(
        503,
        "storage",
        "(database)",
        "other receivers kept taking the log's next position: nothing was stored, try again later",
    );
    answer_all(jobs, &busy);
}

/// Whether the batch's checkpoint was cosigned.
enum Witnessed {
    /// No witness policy, or nothing in the batch to acknowledge.
    NotAsked,
    /// To the quorum.
    Cosigned(Cosigned),
    /// Not within the wait.
    NotYet,
}

/// Has the witnesses cosign the head of `log` once a batch that acknowledges a receipt is stored, and keeps
/// the checkpoint they cosigned.
async fn witness(receiver: &Receiver, log: &Log, outcomes: &[Outcome]) -> Witnessed {
    let acknowledges = outcomes
        .iter()
        .any(|outcome| matches!(outcome, Outcome::Stored(_) | Outcome::Held(..)));
    let (Some(witnessing), Some(log_key), true) = (
        receiver.witnessing(),
        receiver.config().log_key.as_ref(),
        acknowledges,
    ) else {
        return Witnessed::NotAsked;
    };
    let Some(cosigned) = witnessing.cosign(log, log_key).await else {
        return Witnessed::NotYet;
    };
    if let Err(error) = receiver
        .store()
        .keep_checkpoint(cosigned.size, &cosigned.note, now())
        .await
    {
        // The proofs stand on the note they carry; the database misses one checkpoint for audits.
        tracing::warn!(%error, size = cosigned.size, "the cosigned checkpoint was not kept");
    }
    Witnessed::Cosigned(cosigned)
}

/// The tlog-proof of the record whose log entry is `entry`, against `cosigned` (a checkpoint of `log` as it is):
/// its index, its inclusion proof, and the entry as the extra data whose SHA-256 is the leaf.
fn proof_of(entry: &Entry, log: &Log, cosigned: &Cosigned) -> Option<String> {
    let proof = Proof {
        extra: Some(to_canonical_string(&Value::Object(entry.to_json())).into_bytes()),
        index: entry.position,
        inclusion: log.inclusion(entry.position)?,
        checkpoint: cosigned.note.clone(),
    };
    Some(proof.to_text())
}

fn not_witnessed(receiver: &Receiver) -> Refusal {
    Refusal::new(
        503,
        "witnessing",
        "(witnesses)",
        format!(
            "stored and in the log, but fewer witnesses than the policy's quorum cosigned its checkpoint within {} s: \
             send it again later, and it is acknowledged, with its proof, once they do",
            receiver.config().witness_wait.as_secs()
        ),
    )
}

fn answer_all(jobs: Vec<Job>, refusal: &Refusal) {
    for job in jobs {
        let _ = job.answer.send(Err(refusal.clone()));
    }
}

/// Gives each job of the batch, in order, its outcome: the records and confirmations to store (with their
/// entries pushed onto the tree and their acknowledgements signed), the records' decisions and the
/// confirmation links they ask for.
async fn decide(
    receiver: &Receiver,
    tree: &mut Tree,
    jobs: &[Job],
) -> Result<(Batch, Vec<Outcome>), sqlx::Error> {
    let store = receiver.store();
    let ids: Vec<&str> = jobs
        .iter()
        .filter_map(|job| match &job.work {
            Work::Submission(submission) => Some(submission.receipt_id.as_str()),
            Work::Confirmation(..) => None,
        })
        .collect();
    let held = store.by_receipt_ids(&ids).await?;
    let mut batch = Batch::default();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_hash: HashMap<&str, usize> = HashMap::new();
    let mut links_for: HashSet<(String, String)> = HashSet::new();
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        let submission = match &job.work {
            Work::Submission(submission) => submission,
            Work::Confirmation(link_id, entry) => {
                let used = batch.confirmations.iter().any(|c| &c.link_id == link_id)
                    || store.confirmation_by_link(link_id).await?.is_some();
                if used {
                    outcomes.push(Outcome::Refused(link_used()));
                    continue;
                }
                let entry = ConfirmationEntry {
                    position: tree.log.size(),
                    received_at: job.now,
                    ..entry.clone()
                };
                let (head, proof) = tree.append(entry.leaf());
                let acknowledgement = countersign(
                    receiver.key(),
                    CONFIRMATION_TYP,
                    entry.to_json(),
                    head,
                    &proof,
                    job.now,
                );
                outcomes.push(Outcome::Confirmed(batch.confirmations.len()));
                batch.confirmations.push(Confirmation {
                    entry,
                    link_id: link_id.clone(),
                    acknowledgement,
                });
                continue;
            }
        };
        // By the body's hash: an erased record has none, and the same body again must still get its answer.
        let same = |record: &Record| {
            record.body_sha256 == submission.body_sha256 && record.receipt == submission.receipt
        };
        if let Some(&index) = by_id.get(submission.receipt_id.as_str()) {
            outcomes.push(if same(&batch.records[index]) {
                Outcome::Stored(index)
            } else {
                Outcome::Refused(conflict())
            });
            continue;
        }
        if let Some(held) = held.get(&submission.receipt_id) {
            outcomes.push(if same(held) {
                Outcome::Held(held.acknowledgement.clone(), held.entry())
            } else {
                Outcome::Refused(conflict())
            });
            continue;
        }
        let earlier = match &submission.previous {
            Some(previous) => match by_hash.get(previous.as_str()) {
                Some(&index) => Some(batch.records[index].receipt.clone()),
                None => store.receipt_by_hash(previous).await?,
            },
            None => None,
        };
        if let Err(refusal) = check_chain(submission, earlier.as_deref()) {
            outcomes.push(Outcome::Refused(refusal));
            continue;
        }
        let entry = Entry {
            position: tree.log.size(),
            receipt_id: submission.receipt_id.clone(),
            receipt_sha256: submission.receipt_sha256.clone(),
            body_sha256: submission.body_sha256.clone(),
            received_at: job.now,
        };
        let (head, proof) = tree.append(entry.leaf());
        let acknowledgement = acknowledge(receiver.key(), &entry, head, &proof, job.now);
        by_id.insert(&submission.receipt_id, batch.records.len());
        by_hash.insert(&submission.receipt_sha256, batch.records.len());
        outcomes.push(Outcome::Stored(batch.records.len()));
        let decisions = decisions_of(&submission.verified.receipt, entry.position, job.now);
        if let Some(link) = link_asked(receiver, submission, &decisions, &mut links_for, job.now).await? {
            batch.links.push(link);
        }
        batch.decisions.extend(decisions);
        batch.records.push(Record {
            position: entry.position,
            receipt_id: submission.receipt_id.clone(),
            receipt: submission.receipt.clone(),
            body_sha256: submission.body_sha256.clone(),
            body: Some(submission.body.clone()),
            received_at: job.now,
            acknowledgement,
            erased_at: None,
        });
    }
    Ok((batch, outcomes))
}

/// The confirmation link a stored submission asks for: when its receipt grants a purpose its notice marks
/// `confirmedAddress`, names the person by the hash of the address that arrived with it, and its device key
/// has not confirmed that address nor has a link that still serves (one a batch, and a few a day: see
/// [`Store::link_wanted`]).
async fn link_asked(
    receiver: &Receiver,
    submission: &Submission,
    decisions: &[DecisionRow],
    links_for: &mut HashSet<(String, String)>,
    now: i64,
) -> Result<Option<Link>, sqlx::Error> {
    let Some(mail) = &receiver.config().confirmation else {
        return Ok(None);
    };
    let notice = &receiver.config().notices[submission.notice].notice;
    let asks = decisions.iter().any(|row| {
        row.decision.justifies()
            && notice
                .purpose(&row.purpose)
                .is_some_and(|purpose| purpose.confirmed_address)
    });
    let by_address =
        submission.verified.principal == Principal::SaltedEmailHash && submission.principal_proven;
    let (Some(row), true, true) = (decisions.first(), asks, by_address) else {
        return Ok(None);
    };
    let device = submission.verified.key.thumbprint();
    let pair = (row.principal_id.clone(), device.clone());
    if links_for.contains(&pair) || !receiver.store().link_wanted(&pair.0, &pair.1, now).await? {
        return Ok(None);
    }
    match Link::new(&pair.0, &pair.1, row.position, now, mail.within) {
        Ok(link) => {
            links_for.insert(pair);
            Ok(Some(link))
        }
        Err(error) => {
            tracing::error!(%error, "no randomness for a confirmation link: none made");
            Ok(None)
        }
    }
}

fn link_used() -> Refusal {
    Refusal::new(
        410,
        "link-used",
        "link",
        "this link confirmed the address already: it serves once",
    )
}

fn conflict() -> Refusal {
    Refusal::new(
        409,
        "conflict",
        "consentReceiptID",
        "this receipt id was received before with another body",
    )
}

/// A receipt that names a previous one must follow it when this receiver holds it (`earlier`). One whose
/// previous receipt never arrived (its delivery failed, or its page had no endpoint) stands on its own: a
/// person's withdrawal never depends on the delivery of what it withdraws. Should that earlier receipt arrive
/// later, its consent time is older than the withdrawal's, so it does not override it ([`crate::consent_state`]).
/// Unless the person's id is bound by nothing else ([`Submission::principal_proven`]): then the held receipt
/// it follows must bind it.
fn check_chain(submission: &Submission, earlier: Option<&str>) -> Result<(), Refusal> {
    let Some(earlier) = earlier else {
        if !submission.principal_proven {
            return Err(unproven_principal());
        }
        return Ok(());
    };
    // The held receipt was verified when it arrived: reading it again is enough.
    let chain = |e: consent_capture::error::Error| Refusal::new(422, "chain", e.at(), e.text());
    let (compact, earlier_claims) = inspect(earlier).map_err(chain)?;
    let earlier_key = compact
        .jwk
        .ok_or_else(|| Refusal::new(422, "chain", "previous receipt: header.jwk", "missing"))?;
    let later = &submission.verified;
    check_follows(&later.receipt, &later.key, &earlier_claims, &earlier_key, earlier).map_err(chain)
}
