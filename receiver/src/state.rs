//! The receiver's shared state, which every route and task reads: its configuration, the store, the log's
//! tree, the way in to the appending task, the witnessing client, and the wake-ups of the other tasks.

use crate::appender::{catch_up, Appender, Tree};
use crate::config::Config;
use crate::crm_request::erasure_contacts;
use crate::refusal::{storage_failed, Refusal};
use crate::relay_target::Crm;
use crate::store::{Erased, Store};
use crate::witnessing::Witnessing;
use consent_capture::jose::sign::PrivateKey;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::{Mutex, Notify};

/// The receiver's shared state.
pub struct Receiver {
    pub(crate) config: Config,
    pub(crate) store: Store,
    pub(crate) tree: Mutex<Tree>,
    pub(crate) appender: Appender,
    pub(crate) relay_wake: Arc<Notify>,
    pub(crate) mail_wake: Arc<Notify>,
    pub(crate) compaction_wake: Arc<Notify>,
    pub(crate) audience: String,
    pub(crate) witnessing: Option<Witnessing>,
}

impl Receiver {
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn tree(&self) -> &Mutex<Tree> {
        &self.tree
    }

    pub(crate) fn key(&self) -> &PrivateKey {
        &self.config.key
    }

    /// What this receiver's access challenges name it by (shared by the receivers of one database).
    pub fn audience(&self) -> &str {
        &self.audience
    }

    pub(crate) fn relay_wake(&self) -> &Notify {
        &self.relay_wake
    }

    pub(crate) fn mail_wake(&self) -> &Notify {
        &self.mail_wake
    }

    /// Erases what `erase` selects (a [`Store::erase`] or [`Store::erase_signed_by`]), then has the
    /// compaction task remove the erased bytes from the files, off the request path.
    pub(crate) async fn erase<'a, F>(&'a self, erase: impl FnOnce(&'a Store) -> F) -> Result<Erased, Refusal>
    where
        F: Future<Output = Result<Erased, sqlx::Error>>,
    {
        let erased = self.read(erase).await?;
        if erased.payloads > 0 {
            self.compaction_wake.notify_one();
        }
        Ok(erased)
    }

    /// What the relay's CRM knows the person a stored record (`receipt`, `body`) is about by, where its
    /// erasure names them ([`erasure_contacts`]); nothing elsewhere, so that an erasure keeps no address it
    /// does not need.
    pub(crate) fn crm_contacts(&self, receipt: &str, body: &str) -> Vec<String> {
        match self.config.relay.as_ref().map(|target| &target.crm) {
            Some(Crm::Described(described)) => erasure_contacts(&described.per_notice, receipt, body),
            _ => Vec::new(),
        }
    }

    /// The witnessing client, when a witness policy is configured.
    pub(crate) fn witnessing(&self) -> Option<&Witnessing> {
        self.witnessing.as_ref()
    }

    pub(crate) fn appender(&self) -> &Appender {
        &self.appender
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// Runs `query` on the store; a failing database is a 503.
    pub(crate) async fn read<'a, T, F>(&'a self, query: impl FnOnce(&'a Store) -> F) -> Result<T, Refusal>
    where
        F: Future<Output = Result<T, sqlx::Error>>,
    {
        query(&self.store).await.map_err(|e| storage_failed(&e))
    }

    /// The log's tree, locked and caught up with the database.
    pub(crate) async fn caught_up_tree(&self) -> Result<tokio::sync::MutexGuard<'_, Tree>, Refusal> {
        let mut tree = self.tree.lock().await;
        catch_up(&self.store, &mut tree)
            .await
            .map_err(|e| storage_failed(&e))?;
        Ok(tree)
    }
}
