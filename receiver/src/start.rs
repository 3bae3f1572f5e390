//! Opening a receiver: its database, the log caught up with it, and the tasks that run beside the routes
//! (appending, the relay, compaction, the mailer).

use crate::appender::{catch_up, Appender, Tree};
use crate::config::Config;
use crate::state::Receiver;
use crate::store::Store;
use crate::witnessing::{Cosigned, Witnessing};
use crate::{appending, compaction, confirmation_mail, relay};
use std::sync::Arc;
use tokio::sync::{Mutex, Notify};

impl Receiver {
    /// Opens the database named in `config`, rebuilds the log from it and starts the appending task and, when
    /// configured, the relay (so it is called within a Tokio runtime).
    ///
    /// # Errors
    /// The database cannot be opened.
    pub async fn open(config: Config) -> Result<Arc<Self>, sqlx::Error> {
        let store = Store::open(&config.database).await?;
        let audience = store.audience().await?;
        let mut tree = Tree::new();
        catch_up(&store, &mut tree).await?;
        let (appender, queue) = Appender::new();
        let relay = config.relay.clone();
        let relay_wake = Arc::new(Notify::new());
        let mail = config.confirmation.clone();
        let mail_wake = Arc::new(Notify::new());
        let compaction_wake = Arc::new(Notify::new());
        let witnessing = match &config.witness_policy {
            Some(policy) => {
                let latest = store.latest_checkpoint().await?;
                let latest = latest.map(|(size, note)| Cosigned { size, note });
                Some(Witnessing::new(policy.clone(), config.witness_wait, latest))
            }
            None => None,
        };
        let receiver = Arc::new(Self {
            config,
            store,
            tree: Mutex::new(tree),
            appender,
            relay_wake: relay_wake.clone(),
            mail_wake: mail_wake.clone(),
            compaction_wake: compaction_wake.clone(),
            audience,
            witnessing,
        });
        tokio::spawn(appending::run(Arc::downgrade(&receiver), queue));
        if let Some(target) = relay {
            tokio::spawn(relay::run(Arc::downgrade(&receiver), relay_wake, target));
        }
        tokio::spawn(compaction::run(Arc::downgrade(&receiver), compaction_wake));
        if let Some(mail) = mail {
            tokio::spawn(confirmation_mail::run(Arc::downgrade(&receiver), mail_wake, mail));
        }
        Ok(receiver)
    }
}
