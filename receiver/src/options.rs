//! The command line (clap): serving, with every setting also from an environment variable
//! (`CONSENT_CAPTURE_…`, so that a database password or a secret's path need not be on the command line,
//! where `ps` shows it), `audit`, `records` and shell completions. [`crate::config`] checks what they say.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The controller's receiver: verifies what the element sends, countersigns it into a Merkle log, keeps the
/// records and relays them to the CRM.
///
/// A notice's signature, when the controller signed it, is read from the same path with .jws. The read side
/// (/records/…) answers only requests bearing the token in --read-token's file (at least 32 characters). With
/// --relay, every accepted record is forwarded to the CRM from a queue in the database, shaped by the
/// destination's description; an erasure follows as the description says (a webhook event; the CRM's own
/// delete by the person's contact, such as HubSpot's GDPR delete with --relay-secret token=FILE; a refusal to
/// act on by hand, as for Web-to-Lead). A notice whose purposes need a
/// confirmed address (confirmedAddress) needs --smtp, --mail-from and --public-url.
#[derive(Parser)]
#[command(
    name = "consent-capture-receiver",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Without a command: serve.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// What serving takes.
    #[command(flatten)]
    pub serve: Serve,
}

/// What the receiver does besides serving.
#[derive(Subcommand)]
pub enum Command {
    /// Checks a receiver's database against the controller's signatures.
    Audit(Audit),
    /// Reads, exports and erases what the database holds about people. Prints JSON.
    Records(Records),
    /// Serves a witness (c2sp.org/tlog-witness) for the logs given: it cosigns a checkpoint only when it
    /// extends the last one it cosigned.
    Witness(WitnessOptions),
    /// Prints a completion script for SHELL (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// A witness's settings, each also from its environment variable.
#[derive(Args)]
pub struct WitnessOptions {
    /// The witness's private cosigning key (consent-capture keygen --witness NAME makes one).
    #[arg(long, env = "CONSENT_CAPTURE_WITNESS_KEY", value_name = "WITNESS.key")]
    pub key: PathBuf,
    /// A log to witness, by its verifier key (NAME+ID+KEY, as its policy line gives it; repeat for more).
    #[arg(long = "log", value_name = "VKEY", required = true)]
    pub logs: Vec<String>,
    /// Where it keeps the latest checkpoint it cosigned for each log: sqlite:PATH.
    #[arg(
        long,
        env = "CONSENT_CAPTURE_WITNESS_DATABASE",
        value_name = "URL",
        default_value = "sqlite:witness.sqlite"
    )]
    pub database: String,
    /// Where to listen.
    #[arg(
        long,
        env = "CONSENT_CAPTURE_WITNESS_LISTEN",
        value_name = "ADDRESS",
        default_value = "127.0.0.1:8082"
    )]
    pub listen: SocketAddr,
}

/// Checks a receiver's database against the controller's signatures.
///
/// Exits 0 when every record matches what the controller signed and every kept head; 1 naming the first
/// record that differs; 2 for a usage error or an unreadable database.
#[derive(Args)]
pub struct Audit {
    /// sqlite:PATH or postgres://USER@HOST/DATABASE.
    #[arg(
        long,
        env = "CONSENT_CAPTURE_DATABASE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database: String,
    /// The controller's public key (JWK).
    #[arg(long, value_name = "CONTROLLER.jwk")]
    pub controller: PathBuf,
    /// Log heads kept from GET /log/head: the log must still hold them.
    #[arg(long = "head", value_name = "HEAD.jws")]
    pub heads: Vec<PathBuf>,
    /// The witness policy (c2sp.org/tlog-policy): the log's key and the witnesses whose cosignatures count.
    /// With it, the checkpoints the database keeps are checked too.
    #[arg(long, value_name = "POLICY")]
    pub policy: Option<PathBuf>,
    /// Checkpoints collected elsewhere (from witnesses, or from people's evidence files): each must be the
    /// log at its size, or the audit names the fork. Needs --policy.
    #[arg(long = "checkpoint", value_name = "CHECKPOINT", requires = "policy")]
    pub checkpoints: Vec<PathBuf>,
}

/// Serving's settings, each also from its environment variable.
#[derive(Args)]
pub struct Serve {
    /// A notice this receiver takes receipts for (repeat for more).
    #[arg(long = "notice", value_name = "NOTICE.json")]
    pub notices: Vec<PathBuf>,
    /// The controller's private key (JWK).
    #[arg(long, env = "CONSENT_CAPTURE_KEY", value_name = "CONTROLLER.jwk")]
    pub key: Option<PathBuf>,
    /// The log's own key, apart from the controller's: it signs GET /log/checkpoint, for witnesses
    /// (consent-capture keygen --log ORIGIN makes one).
    #[arg(long, env = "CONSENT_CAPTURE_LOG_KEY", value_name = "LOG.key")]
    pub log_key: Option<PathBuf>,
    /// The witnesses that cosign the log's checkpoints and the quorum an acknowledgement waits for
    /// (c2sp.org/tlog-policy, with each witness's URL); needs --log-key.
    #[arg(long, env = "CONSENT_CAPTURE_WITNESS_POLICY", value_name = "POLICY")]
    pub witness_policy: Option<PathBuf>,
    /// How long a batch of receipts waits for the quorum's cosignatures before each is answered 503 (stored,
    /// to be acknowledged when sent again), in seconds (default 10).
    #[arg(long, env = "CONSENT_CAPTURE_WITNESS_WAIT", value_name = "SECONDS")]
    pub witness_wait: Option<u64>,
    /// sqlite:PATH or postgres://USER@HOST/DATABASE (a password belongs in the environment, not here).
    #[arg(
        long,
        env = "CONSENT_CAPTURE_DATABASE",
        value_name = "URL",
        default_value = "sqlite:target/receiver.sqlite",
        hide_env_values = true
    )]
    pub database: String,
    /// Where to listen.
    #[arg(
        long,
        env = "CONSENT_CAPTURE_LISTEN",
        value_name = "ADDRESS",
        default_value = "127.0.0.1:8081"
    )]
    pub listen: SocketAddr,
    /// A site whose pages may post here, https://HOST[:PORT] (repeat for more; comma-separated in the environment).
    #[arg(
        long = "allow-origin",
        env = "CONSENT_CAPTURE_ALLOW_ORIGIN",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// How far ahead of this receiver's clock a receipt's time may be, in seconds (at most 3600).
    #[arg(
        long,
        env = "CONSENT_CAPTURE_CLOCK_SKEW",
        value_name = "SECONDS",
        allow_negative_numbers = true
    )]
    pub clock_skew: Option<i64>,
    /// How old a receipt may be when it arrives, in seconds.
    #[arg(long, env = "CONSENT_CAPTURE_MAX_AGE", value_name = "SECONDS")]
    pub max_age: Option<i64>,
    /// The largest body taken, in bytes.
    #[arg(long, env = "CONSENT_CAPTURE_MAX_BODY", value_name = "BYTES")]
    pub max_body: Option<i64>,
    /// The most characters a field's value may have (default 10000).
    #[arg(long, env = "CONSENT_CAPTURE_MAX_FIELD", value_name = "CHARS")]
    pub max_field: Option<i64>,
    /// The most records one device key adds a day (default 1000).
    #[arg(long, env = "CONSENT_CAPTURE_DEVICE_RECORDS_A_DAY", value_name = "N")]
    pub device_records_a_day: Option<i64>,
    /// Requests an address may send at once (0: no limit).
    #[arg(long, env = "CONSENT_CAPTURE_BURST", value_name = "N")]
    pub burst: Option<u32>,
    /// Requests an address may send a second, once its burst is spent.
    #[arg(long, env = "CONSENT_CAPTURE_PER_SECOND", value_name = "N")]
    pub per_second: Option<u32>,
    /// The most connections at once (default 768).
    #[arg(long, env = "CONSENT_CAPTURE_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,
    /// The most connections from one address at once (default 128).
    #[arg(long, env = "CONSENT_CAPTURE_CONNECTIONS_PER_ADDRESS", value_name = "N")]
    pub connections_per_address: Option<usize>,
    /// A proxy whose X-Forwarded-For or Forwarded names the client (repeat for more; comma-separated in the
    /// environment).
    #[arg(
        long = "trusted-proxy",
        env = "CONSENT_CAPTURE_TRUSTED_PROXY",
        value_name = "CIDR",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// A file holding the read side's token (at least 32 characters).
    #[arg(long, env = "CONSENT_CAPTURE_READ_TOKEN", value_name = "FILE")]
    pub read_token: Option<PathBuf>,
    /// Where accepted records are relayed: webhook=URL, a shipped destination (hubspot, salesforce, klaviyo, …)
    /// or a destination description's file, each optionally =URL to send elsewhere than the description says.
    #[arg(long, env = "CONSENT_CAPTURE_RELAY", value_name = "DESTINATION[=URL]")]
    pub relay: Option<String>,
    /// A secret a destination's requests name (an API key or token), from a file: NAME=FILE, repeatable.
    #[arg(
        long,
        env = "CONSENT_CAPTURE_RELAY_SECRET",
        value_name = "NAME=FILE",
        value_delimiter = ','
    )]
    pub relay_secret: Vec<String>,
    /// The most requests a second the relay sends (default 4).
    #[arg(long, env = "CONSENT_CAPTURE_RELAY_PER_SECOND", value_name = "N")]
    pub relay_per_second: Option<u32>,
    /// Where the destination's withdrawal and erasure requests go instead of its description's API (`api`):
    /// a sandbox, another data centre, a stand-in.
    #[arg(long, env = "CONSENT_CAPTURE_RELAY_API", value_name = "URL")]
    pub relay_api: Option<String>,
    /// The SMTP server for confirmation links: smtps://HOST, smtp://HOST?tls=required, or a file holding a URL
    /// with a password.
    #[arg(
        long,
        env = "CONSENT_CAPTURE_SMTP",
        value_name = "URL|FILE",
        hide_env_values = true
    )]
    pub smtp: Option<String>,
    /// The sender of confirmation links.
    #[arg(long, env = "CONSENT_CAPTURE_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// Where browsers reach this receiver: receipts made for another endpoint are refused; links point here.
    #[arg(long, env = "CONSENT_CAPTURE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// How long a confirmation link serves, in seconds (default a week).
    #[arg(long, env = "CONSENT_CAPTURE_CONFIRM_WITHIN", value_name = "SECONDS")]
    pub confirm_within: Option<i64>,
    /// Allows the demo controller key, for make demo only.
    #[arg(long)]
    pub demo: bool,
}

/// Reads, exports and erases what a receiver's database holds about people, on the database itself. Prints
/// JSON; exits 0, or 2 for a usage error or an unreadable database.
#[derive(Args)]
pub struct Records {
    /// sqlite:PATH or postgres://USER@HOST/DATABASE.
    #[arg(
        long,
        global = true,
        env = "CONSENT_CAPTURE_DATABASE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: RecordsCommand,
}

/// The records commands.
#[derive(Subcommand)]
pub enum RecordsCommand {
    /// Each purpose's latest decision, and whether it may be used now.
    State {
        /// The person, as receipts name them.
        principal: String,
        /// The receiver's notices: with a purpose that asks for confirmed addresses, a grant counts only from a
        /// device that confirmed the person's address.
        #[arg(long = "notice", value_name = "NOTICE.json")]
        notices: Vec<PathBuf>,
    },
    /// Every decision and notice revision change, in log order.
    History {
        /// The person, as receipts name them.
        principal: String,
        /// The receiver's notices (as for state).
        #[arg(long = "notice", value_name = "NOTICE.json")]
        notices: Vec<PathBuf>,
    },
    /// Whether the purpose could be used then, by what had been received.
    MayUse {
        /// The person, as receipts name them.
        principal: String,
        /// The purpose's id.
        #[arg(long, value_name = "ID")]
        purpose: String,
        /// When: YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD or seconds since 1970 (default now).
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// The receiver's notices (as for state).
        #[arg(long = "notice", value_name = "NOTICE.json")]
        notices: Vec<PathBuf>,
    },
    /// ISO/IEC TS 27560 records (JSON-LD, DPV) or the Kantara receipts, of one person or of everyone (never
    /// the payloads).
    Export {
        /// The person (everyone without).
        principal: Option<String>,
        /// iso27560 or kantara.
        #[arg(long, value_name = "FORMAT")]
        format: String,
    },
    /// Deletes the payloads held about the person for good; receipts, hashes, the log and acknowledgements
    /// stay, and the audit still passes.
    Erase {
        /// The person, as receipts name them.
        principal: String,
        /// The receiver's notices.
        #[arg(long = "notice", value_name = "NOTICE.json")]
        notices: Vec<PathBuf>,
        /// The receiver's --relay (a destination's name or file, with its =URL where it needs one): the
        /// contact its erasure deletes the person by is kept for the relay until it did.
        #[arg(long, value_name = "DESTINATION[=URL]")]
        relay: Option<String>,
    },
    /// What the relay was refused for good (by default), still tries, or delivered: the latest 1,000 records
    /// and 1,000 erasures; or, with --retry, sends again what was refused for good after the CRM's side was
    /// fixed.
    Relay {
        /// refused, waiting or delivered.
        #[arg(long, default_value = "refused")]
        state: String,
        /// all, or a record's position.
        #[arg(long, value_name = "all|POSITION", conflicts_with = "state")]
        retry: Option<String>,
    },
}
