//! Appending checked submissions to the database and the log, with group commit: one task takes every
//! submission waiting at that moment (up to [`MOST_AT_ONCE`]), gives each its position, entry and
//! acknowledgement in turn, and stores them all in one transaction, so that a burst costs one durable commit
//! instead of one each. Nothing is answered before that commit; when it fails, every submission of the batch
//! gets a 503 and none is stored.
//!
//! A submission whose receipt id is held already gets the stored acknowledgement (the same body) or a 409;
//! one that follows a receipt is checked against it, whether it is stored or earlier in the same batch.

use crate::confirmation::ConfirmationEntry;
use crate::log::{Head, Log};
use crate::refusal::Refusal;
use crate::store::{Store, PAGE_SIZE};
use crate::submission::Submission;
use tokio::sync::{mpsc, oneshot};

/// The most submissions one transaction stores.
pub(crate) const MOST_AT_ONCE: usize = 256;

/// How many times a batch is tried when other receivers on the same database take the log's next positions
/// first; each try first catches up with what they appended.
pub(crate) const ATTEMPTS: usize = 8;

/// The log's tree and whether it matches the database: after a failed write it may hold leaves the database
/// lacks, and is rebuilt from the database before the next append.
pub(crate) struct Tree {
    pub(crate) log: Log,
    pub(crate) in_step: bool,
}

impl Tree {
    /// An empty tree, to be caught up with the database.
    pub(crate) fn new() -> Self {
        Self {
            log: Log::new(),
            in_step: false,
        }
    }
}

impl Tree {
    /// Appends `leaf` (at position `size()` before) and returns the head it makes and its inclusion proof
    /// in that head: what an acknowledgement or a confirmation's countersignature signs.
    pub(crate) fn append(&mut self, leaf: [u8; 32]) -> (Head, Vec<[u8; 32]>) {
        let position = self.log.size();
        self.log.push(leaf);
        (self.log.head(), self.log.inclusion(position).unwrap_or_default())
    }
}

/// Brings `tree` up to the database: what other receivers sharing it appended since (none, when this receiver
/// is the only one), or everything after a failed write left the tree out of step.
pub(crate) async fn catch_up(store: &Store, tree: &mut Tree) -> Result<(), sqlx::Error> {
    if !tree.in_step {
        *tree = Tree {
            log: Log::new(),
            in_step: true,
        };
    }
    loop {
        let page = store.leaves_page(tree.log.size(), PAGE_SIZE).await?;
        for (_, leaf) in &page {
            tree.log.push(*leaf);
        }
        if (page.len() as u64) < PAGE_SIZE {
            return Ok(());
        }
    }
}

/// What the appending task appends.
pub(crate) enum Work {
    /// A checked submission.
    Submission(Box<Submission>),
    /// A followed confirmation link: its id and the entry to append (its position is given when appended).
    Confirmation(String, ConfirmationEntry),
}

pub(crate) struct Job {
    pub(crate) work: Work,
    pub(crate) now: i64,
    pub(crate) answer: oneshot::Sender<Result<Answered, Refusal>>,
}

/// What a stored submission is answered with: the controller's acknowledgement and, when the log is witnessed,
/// its proof (c2sp.org/tlog-proof) against a checkpoint the policy's quorum cosigned.
#[derive(Clone, Debug)]
pub(crate) struct Answered {
    pub(crate) acknowledgement: String,
    pub(crate) proof: Option<String>,
}

/// The way in to the appending task.
pub(crate) struct Appender {
    jobs: mpsc::Sender<Job>,
}

impl Appender {
    /// The appender and the queue its task (see [`run`]) reads.
    pub(crate) fn new() -> (Self, Queue) {
        let (jobs, queue) = mpsc::channel(4 * MOST_AT_ONCE);
        (Self { jobs }, Queue(queue))
    }

    /// Appends a checked submission received at `now` and returns its acknowledgement once it is stored (and,
    /// when the log is witnessed, once its checkpoint is cosigned); the same submission again gets the same
    /// acknowledgement.
    pub(crate) async fn append(&self, submission: Submission, now: i64) -> Result<Answered, Refusal> {
        self.send(Work::Submission(Box::new(submission)), now).await
    }

    /// Appends the confirmation of a followed link `link_id` at `now` and returns the controller's
    /// countersignature of it; a link used before gets a 410.
    pub(crate) async fn confirm(
        &self,
        link_id: String,
        entry: ConfirmationEntry,
        now: i64,
    ) -> Result<String, Refusal> {
        let answered = self.send(Work::Confirmation(link_id, entry), now).await?;
        Ok(answered.acknowledgement)
    }

    async fn send(&self, work: Work, now: i64) -> Result<Answered, Refusal> {
        let stopped = || {
            Refusal::new(
                503,
                "storage",
                "(receiver)",
                "the receiver is stopping: try again later",
            )
        };
        let (answer, answered) = oneshot::channel();
        let job = Job { work, now, answer };
        self.jobs.send(job).await.map_err(|_| stopped())?;
        answered.await.unwrap_or_else(|_| Err(stopped()))
    }
}

/// The submissions waiting to be appended.
pub(crate) struct Queue(pub(crate) mpsc::Receiver<Job>);
