//! Where the relay sends: which CRM (how requests are shaped), its URL and pace.

use consent_capture::destination::{Destination, NoticeFacts};
use consent_capture::Notice;

/// The CRMs the relay sends to.
#[derive(Clone, PartialEq)]
pub enum Crm {
    /// Any URL that takes JSON: a consent event with its fields, or a withdrawal event without.
    Webhook,
    /// A CRM described as data (a shipped description, or the controller's own file).
    Described(Described),
}

/// A destination's description read against each configured notice, with the secrets its requests name.
#[derive(Clone, PartialEq)]
pub struct Described {
    /// Its name (`hubspot`, `klaviyo`, …).
    pub name: String,
    /// For each notice (by its hash), the description read against that notice's settings.
    pub per_notice: Vec<(String, Destination)>,
    /// The secrets its templates name, with their values (`--relay-secret NAME=FILE`).
    pub secrets: Vec<(String, String)>,
}

impl Described {
    /// `description` (as `--relay` named it: `target`) read against each of `notices` (each with its hash and
    /// its file's path), sending to `url` where given and its withdrawals and erasures to `api` where given
    /// (`--relay-api`), with the secrets given for it.
    ///
    /// # Errors
    /// The problems of the description or of a notice's settings for it, with their places; a secret its
    /// requests name that was not given.
    pub fn read(
        target: &str,
        description: &str,
        notices: &[(&Notice, &str, &str)],
        url: Option<&str>,
        api: Option<&str>,
        secrets: Vec<(String, String)>,
    ) -> Result<Self, String> {
        let per_notice = notices
            .iter()
            .map(|(notice, hash, path)| {
                Destination::bind_relayed(description, &NoticeFacts::read(&notice.source), url, api)
                    .map(|bound| ((*hash).to_owned(), bound))
                    .map_err(|errors| format!("--relay {target}: read against {path}:\n{}", errors.text()))
            })
            .collect::<Result<Vec<_>, String>>()?;
        for (_, bound) in &per_notice {
            if let Some(missing) = bound
                .secrets
                .iter()
                .find(|s| !secrets.iter().any(|(n, _)| n == *s))
            {
                return Err(format!(
                    "--relay {target}: its requests need the secret {missing}: give --relay-secret {missing}=FILE"
                ));
            }
        }
        Ok(Self {
            name: per_notice
                .first()
                .map_or(target.to_owned(), |(_, bound)| bound.name.clone()),
            per_notice,
            secrets,
        })
    }

    /// The description as read against the notice whose hash is `notice_hash`.
    pub fn for_notice(&self, notice_hash: &str) -> Option<&Destination> {
        self.per_notice
            .iter()
            .find(|(hash, _)| hash == notice_hash)
            .map(|(_, destination)| destination)
    }

    /// The secret called `name`.
    pub fn secret(&self, name: &str) -> Option<String> {
        self.secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.clone())
    }
}

/// Without the secrets: a configuration printed for debugging must not leak them.
impl std::fmt::Debug for Described {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secrets: Vec<&str> = self.secrets.iter().map(|(name, _)| name.as_str()).collect();
        formatter
            .debug_struct("Described")
            .field("name", &self.name)
            .field("secrets", &secrets)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Crm {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Webhook => formatter.write_str("Webhook"),
            Self::Described(described) => described.fmt(formatter),
        }
    }
}

/// Where and how fast the relay sends.
#[derive(Clone, Debug, PartialEq)]
pub struct RelayTarget {
    /// The CRM's kind: how requests are shaped.
    pub crm: Crm,
    /// Where the webhook's requests go (a description says where its own go).
    pub url: String,
    /// At most this many requests a second.
    pub per_second: u32,
}
