//! What a receiver is given: the notices it accepts receipts for, the controller's key, the database, where it
//! listens, which origins may post, and its limits.

use crate::client_address::Cidr;
use crate::confirmation::purposes_needing_confirmation;
use crate::options::Serve;
use crate::relay_target::{Crm, Described, RelayTarget};
use clap::parser::ValueSource;
use clap::{Args, FromArgMatches};
use consent_capture::destination::{shipped, SHIPPED};
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::parse;
use consent_capture::notice::signature::notice_hash;
use consent_capture::receipt::acknowledgement::MOST_CLOCK_SKEW;
use consent_capture::receipt::verify::verify_notice_signature;
use consent_capture::tlog::note::ED25519;
use consent_capture::tlog::policy::Policy;
use consent_capture::tlog::signer::NoteSigner;
use consent_capture::Notice;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// A notice this receiver accepts receipts for, with the controller's signature of it when there is one.
#[derive(Debug)]
pub struct KnownNotice {
    /// The notice.
    pub notice: Notice,
    /// Its hash, as receipts name it (`consentCapture.noticeSha256`).
    pub hash: String,
    /// The controller's signature of it, checked when it was loaded: receipts must then carry a signature
    /// of it by the controller (this one, as the element passes it on, is not checked again).
    pub signature: Option<String>,
}

impl KnownNotice {
    /// Reads the notice at `path` and, when `path` with the extension `.jws` exists, its signature, which must
    /// verify under the controller's key and sign this very notice.
    ///
    /// # Errors
    /// The file, the notice or its signature, with where.
    pub fn load(path: &Path, controller: &PublicJwk) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let notice = Notice::from_json(&text).map_err(|e| format!("{}: {}", path.display(), e.text()))?;
        let hash = notice_hash(&notice);
        let signature_path = path.with_extension("jws");
        let signature = match std::fs::read_to_string(&signature_path) {
            Ok(signature) => {
                let signs = verify_notice_signature(signature.trim(), controller)
                    .map_err(|e| format!("{}: {}", signature_path.display(), e.text()))?;
                if signs.notice_sha256 != hash || signs.revision != notice.revision {
                    return Err(format!(
                        "{}: signs another notice than {}",
                        signature_path.display(),
                        path.display()
                    ));
                }
                Some(signature.trim().to_owned())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("{}: {e}", signature_path.display())),
        };
        Ok(Self {
            notice,
            hash,
            signature,
        })
    }
}

/// The receiver's limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How far in the future a receipt's time may be (the device's clock may run ahead), in seconds.
    pub clock_skew: i64,
    /// How old a receipt may be when it arrives (an outbox may deliver days later), in seconds.
    pub max_age: i64,
    /// The largest request body accepted, in bytes.
    pub body_bytes: usize,
    /// The most characters one field's value may have.
    pub field_chars: usize,
    /// The most records one device key may add in a day.
    pub device_records_a_day: i64,
    /// How many requests one address may send at once before it must wait (0: no limit).
    pub burst: u32,
    /// How many requests a second one address may send, once its burst is spent.
    pub per_second: u32,
    /// How many connections may be open at once (each is a file descriptor: keep it under the process's
    /// limit, `ulimit -n`, with room for the database's).
    pub connections: usize,
    /// How many of them one address may hold.
    pub connections_per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            clock_skew: 300,
            // The element's outbox gives up after 30 days; a day more for clocks and queues.
            max_age: 31 * 86_400,
            body_bytes: 256 * 1024,
            // A long message in a textarea fits; a field used to store megabytes under one person does not.
            field_chars: 10_000,
            // A person sends one receipt an action; a script signing with one key does not get to fill the log.
            device_records_a_day: 1_000,
            // Generous for people (one submission per action, many people behind one office's address),
            // tight for a script.
            burst: 60,
            per_second: 10,
            // Under the 1,024 descriptors a process gets by default, with room for the database and the log.
            connections: 768,
            // Browsers open at most six to a host: many people behind one address still fit.
            connections_per_address: 128,
        }
    }
}

/// Everything a receiver runs with.
#[derive(Debug)]
pub struct Config {
    /// The notices it accepts receipts for (every revision it still knows).
    pub notices: Vec<KnownNotice>,
    /// The controller's key: it signs acknowledgements and log heads.
    pub key: PrivateKey,
    /// The log's key: it signs checkpoints (C2SP signed notes) under the log's origin, its name.
    pub log_key: Option<NoteSigner>,
    /// The witnesses and their quorum, when acknowledgements wait for cosigned checkpoints.
    pub witness_policy: Option<Policy>,
    /// How long a batch waits for the quorum.
    pub witness_wait: Duration,
    /// `sqlite:PATH` or `postgres://…`.
    pub database: String,
    /// Where it listens.
    pub listen: SocketAddr,
    /// Origins allowed to post from a browser (CORS); none means same-origin only.
    pub allowed_origins: Vec<String>,
    /// Limits.
    pub limits: Limits,
    /// The token the read side (`/records/…`) requires; without one, the read side refuses every request.
    pub read_token: Option<String>,
    /// Where accepted records are relayed, if anywhere.
    pub relay: Option<RelayTarget>,
    /// Where people and their browsers reach this receiver (`--public-url`): receipts made for another
    /// endpoint are refused, and confirmation links lead here.
    pub public_url: Option<String>,
    /// How confirmation links are mailed, for notices with purposes that need a confirmed address.
    pub confirmation: Option<ConfirmationMail>,
    /// The proxies in front of it, whose forwarding headers name the client (none: every peer is a client).
    pub trusted_proxies: Vec<Cidr>,
    /// What the controller should fix but the receiver can run with (a secret other users can read), said
    /// at start-up.
    pub warnings: Vec<String>,
}

/// A warning when the file at `path`, which holds `what`, can be read by other users of the machine.
fn shared_secret(path: &str, what: &str) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "{path}: {what}, readable by other users of this machine (mode {:o}): chmod 600 {path}",
            mode & 0o777
        )
    })
}

/// The private note key at `path`, given as `option`, of `kind`: the log's (`ED25519`) or a witness's
/// (`COSIGNATURE_V1`), with a warning when other users of the machine can read it.
pub(crate) fn read_note_key(
    path: &Path,
    option: &str,
    kind: u8,
    warnings: &mut Vec<String>,
) -> Result<NoteSigner, String> {
    let shown = path.display().to_string();
    let (what, keygen, other) = if kind == ED25519 {
        (
            "the log's private key",
            "--log ORIGIN",
            "a witness's cosigning key; the log signs with a key of its own",
        )
    } else {
        (
            "the witness's private key",
            "--witness NAME",
            "a log's key; a witness cosigns with a key of type 0x04",
        )
    };
    warnings.extend(shared_secret(&shown, what));
    let text = std::fs::read_to_string(path).map_err(|e| format!("{option} {shown}: {e}"))?;
    let key = NoteSigner::parse(&text).map_err(|e| {
        format!(
            "{option} {shown}: {} (consent-capture keygen {keygen} makes one)",
            e.text()
        )
    })?;
    if key.verifier().kind != kind {
        return Err(format!(
            "{option} {shown}: {other} (consent-capture keygen {keygen})"
        ));
    }
    Ok(key)
}

/// How long a batch waits for the witnesses' quorum unless told.
pub const WITNESS_WAIT: Duration = Duration::from_secs(10);

/// The witness policy at `path`: it must accept the log's key, and the witnesses it gives URLs can meet its
/// quorum.
fn read_witness_policy(path: &Path, log_key: Option<&NoteSigner>) -> Result<Policy, String> {
    let shown = path.display();
    let log_key = log_key.ok_or_else(|| {
        format!(
            "--witness-policy {shown}: witnesses cosign checkpoints the log's key signs: give --log-key too"
        )
    })?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("--witness-policy {shown}: {e}"))?;
    let policy =
        Policy::parse(&text).map_err(|e| format!("--witness-policy {shown}: {}: {}", e.at(), e.text()))?;
    if !policy.logs.iter().any(|log| &log.key == log_key.verifier()) {
        return Err(format!(
            "--witness-policy {shown}: it lists no log line with this receiver's log key: log {}",
            log_key.verifier().to_text()
        ));
    }
    let reachable: Vec<&str> = policy
        .witnesses
        .iter()
        .filter(|w| w.url.is_some())
        .map(|w| w.name.as_str())
        .collect();
    if !policy.met_by(&reachable) {
        return Err(format!(
            "--witness-policy {shown}: the witnesses it gives URLs cannot meet its quorum: give each its \
             add-checkpoint prefix, as witness NAME VKEY URL"
        ));
    }
    Ok(policy)
}

/// A database URL as it may be shown: any password in it replaced by `***`.
pub fn without_password(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user, host)) => match user.split_once(':') {
                Some((name, _)) => format!("{scheme}://{name}:***@{host}"),
                None => url.to_owned(),
            },
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// A warning when a PostgreSQL URL on the command line carries a password: every user of the machine sees
/// the command line (`ps`).
fn password_on_command_line(database: &str) -> Option<String> {
    carries_password(database).then(|| {
        "--database: a password on the command line is visible to every user of this machine (ps): give it in \
         PGPASSWORD or ~/.pgpass instead, or the whole URL in CONSENT_CAPTURE_DATABASE"
            .to_owned()
    })
}

/// Whether a URL's user information (before the last `@` of its authority) carries a password.
fn carries_password(url: &str) -> bool {
    url.split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?']).next()?.rsplit_once('@'))
        .is_some_and(|(user_info, _)| user_info.contains(':'))
}

/// Double opt-in's mail: the SMTP server, the sender, where links lead, and how long they serve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationMail {
    /// `smtps://…`, `smtp://…?tls=required`, or plain `smtp://…` (a relay on this machine).
    pub smtp_url: String,
    /// The sender, `Name <address>` or an address.
    pub from: String,
    /// The receiver's public URL, which links lead to: `https://receiver.example`.
    pub public_url: String,
    /// How long a link serves, in seconds.
    pub within: i64,
}

/// How long a confirmation link serves unless `--confirm-within` says otherwise: a week.
const CONFIRM_WITHIN: i64 = 7 * 86_400;

/// `--smtp`: a URL without a password, or the path of a file that holds one (a password on the command line is
/// visible to every user of the machine).
fn smtp_url(text: &str) -> Result<String, String> {
    let is_url = text.starts_with("smtp://") || text.starts_with("smtps://");
    let url = if is_url {
        if carries_password(text) {
            return Err(
                "--smtp: a password on the command line is visible to every user of the machine: write \
                        the URL to a file readable by the receiver only and give its path"
                    .to_owned(),
            );
        }
        text.to_owned()
    } else {
        std::fs::read_to_string(text)
            .map_err(|e| format!("--smtp {text}: {e} (an smtp:// or smtps:// URL, or a file holding one)"))?
            .trim()
            .to_owned()
    };
    lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url)
        .map_err(|e| format!("--smtp: not an SMTP URL (smtps://HOST, smtp://HOST?tls=required): {e}"))?;
    Ok(url)
}

impl Config {
    /// The purposes some notice marks `confirmedAddress`: grants for them count only from a device key that
    /// confirmed the person's address ([`crate::confirmation::Confirmed`]).
    pub fn purposes_needing_confirmation(&self) -> HashSet<String> {
        purposes_needing_confirmation(self.notices.iter().map(|known| &known.notice))
    }
}

/// The secret in the file at `path` (`what`: the read token, the HubSpot token), trimmed: printable
/// characters, at least `least` of them. Warns when other users of the machine can read the file.
fn secret_in(path: &Path, what: &str, least: usize, warnings: &mut Vec<String>) -> Result<String, String> {
    let shown = path.display().to_string();
    warnings.extend(shared_secret(&shown, what));
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
    let secret = text.trim();
    if secret.len() < least || !secret.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "{shown}: {what} is {least} or more printable characters, no spaces"
        ));
    }
    Ok(secret.to_owned())
}

/// What `--relay` names: the webhook, or a description (as `--relay` named it, and its text).
pub(crate) enum RelayChoice {
    Webhook,
    Described(String, String),
}

/// `--relay TARGET[=URL]`: `webhook=URL`, a shipped description's name (`hubspot`, `klaviyo`, …), or a
/// description's file (a path with a `/` or ending in `.json`); the URL, where given, is where its requests go
/// instead of the description's own.
pub(crate) fn relay_target(text: &str) -> Result<(RelayChoice, Option<String>), String> {
    let (target, url) = match text.split_once('=') {
        Some((target, url)) => (target, Some(url.to_owned())),
        None => (text, None),
    };
    if let Some(url) = &url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(format!("--relay {text}: {url} is not an http(s) URL"));
        }
    }
    if target == "webhook" {
        return match url {
            Some(url) => Ok((RelayChoice::Webhook, Some(url))),
            None => Err("--relay webhook=URL: the webhook needs its URL".into()),
        };
    }
    let description = if target.contains('/') || target.ends_with(".json") {
        std::fs::read_to_string(target).map_err(|e| format!("--relay {target}: {e}"))?
    } else {
        let known: Vec<&str> = SHIPPED.iter().map(|(name, _)| *name).collect();
        shipped(target)
            .ok_or_else(|| {
                format!(
                    "--relay {target}: not webhook=URL, a description's file, or a shipped description ({})",
                    known.join(", ")
                )
            })?
            .to_owned()
    };
    Ok((RelayChoice::Described(target.to_owned(), description), url))
}

/// The thumbprint of `tools/demo-controller.jwk`, a key anyone can read: refused without `--demo`.
const DEMO_KEY_THUMBPRINT: &str = "UAsm4GJDR5I7_cefpd43UYt2Iiec8QbRfcojoVyoUws";

/// An `--allow-origin` value as browsers send `Origin`: `http(s)://host[:port]`, nothing after it. A path, a
/// trailing slash, `*` or `null` never matches a browser's `Origin`, so every person's post would fail.
fn origin(text: &str) -> Result<String, String> {
    let refused = |why: &str| format!("--allow-origin {text}: {why}");
    if text == "*" || text == "null" {
        return Err(refused(
            "every site (or a sandboxed page) could post here; name each origin, https://www.example.com",
        ));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(refused("an origin is https://HOST or http://HOST[:PORT]"));
    };
    if scheme != "https" && scheme != "http" {
        return Err(refused("an origin's scheme is https or http"));
    }
    if let Some((host, _)) = rest.split_once(['/', '?', '#']) {
        return Err(refused(&format!(
            "an origin has no path, not even a slash: {scheme}://{host}"
        )));
    }
    let host_ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if !host_ok || rest.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(refused("an origin is a lowercase host name, with a port if any"));
    }
    Ok(text.to_owned())
}

impl Config {
    /// Reads serving's settings from the command line (without the program name) and the environment.
    ///
    /// # Errors
    /// A missing or malformed option, an unreadable key or notice.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let command = Serve::augment_args(clap::Command::new("consent-capture-receiver"));
        let argv = std::iter::once("consent-capture-receiver".to_owned()).chain(args);
        let matches = command.try_get_matches_from(argv).map_err(|e| e.to_string())?;
        let serve = Serve::from_arg_matches(&matches).map_err(|e| e.to_string())?;
        let typed = matches.value_source("database") == Some(ValueSource::CommandLine);
        Self::from_options(serve, typed)
    }

    /// Checks what the command line and the environment say (`serve`; `database_typed` when the database URL
    /// was on the command line, where a password in it is warned about).
    ///
    /// # Errors
    /// A missing or malformed setting, an unreadable key or notice.
    pub fn from_options(serve: Serve, database_typed: bool) -> Result<Self, String> {
        let mut warnings = Vec::new();
        let database = serve.database;
        if database_typed {
            warnings.extend(password_on_command_line(&database));
        }
        let listen = serve.listen;
        let allowed_origins = serve
            .allowed_origins
            .iter()
            .map(|text| origin(text))
            .collect::<Result<Vec<_>, _>>()?;
        let mut limits = Limits::default();
        if let Some(skew) = serve.clock_skew {
            // Acknowledgements of receipts made further ahead would not verify (see MOST_CLOCK_SKEW).
            if !(0..=MOST_CLOCK_SKEW).contains(&skew) {
                return Err(format!(
                    "--clock-skew: between 0 and {MOST_CLOCK_SKEW} seconds (an acknowledgement of a receipt made \
                     further ahead of this receiver's clock would not verify)"
                ));
            }
            limits.clock_skew = skew;
        }
        if let Some(age) = serve.max_age {
            limits.max_age = age;
        }
        if let Some(bytes) = serve.max_body {
            limits.body_bytes = usize::try_from(bytes).map_err(|_| "--max-body: out of range".to_owned())?;
        }
        if let Some(count) = serve.device_records_a_day {
            if count < 1 {
                return Err("--device-records-a-day: a positive count".to_owned());
            }
            limits.device_records_a_day = count;
        }
        if let Some(chars) = serve.max_field {
            limits.field_chars = usize::try_from(chars)
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| "--max-field: a positive number of characters".to_owned())?;
        }
        let trusted_proxies = serve
            .trusted_proxies
            .iter()
            .map(|text| Cidr::parse(text))
            .collect::<Result<Vec<_>, _>>()?;
        for (count, name, limit) in [
            (
                serve.max_connections,
                "--max-connections",
                &mut limits.connections,
            ),
            (
                serve.connections_per_address,
                "--connections-per-address",
                &mut limits.connections_per_address,
            ),
        ] {
            if let Some(count) = count {
                if count == 0 {
                    return Err(format!("{name}: not a positive count: 0"));
                }
                *limit = count;
            }
        }
        if let Some(burst) = serve.burst {
            limits.burst = burst;
        }
        if let Some(rate) = serve.per_second {
            if rate == 0 {
                return Err("--per-second: not a positive count: 0".to_owned());
            }
            limits.per_second = rate;
        }
        let read_token = serve
            .read_token
            .as_deref()
            .map(|path| secret_in(path, "the read token", 32, &mut warnings))
            .transpose()?;
        // Read against the notices once they are loaded (below): a description's settings live in each notice.
        let relay = serve.relay.as_deref().map(relay_target).transpose()?;
        let relay_secrets = serve
            .relay_secret
            .iter()
            .map(|text| {
                let (name, path) = text
                    .split_once('=')
                    .filter(|(name, _)| !name.is_empty())
                    .ok_or_else(|| format!("--relay-secret: not NAME=FILE: {text}"))?;
                let secret = secret_in(Path::new(path), &format!("the secret {name}"), 1, &mut warnings)?;
                Ok((name.to_owned(), secret))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let relay_per_second = match serve.relay_per_second {
            Some(0) => return Err("--relay-per-second: not a positive count: 0".to_owned()),
            Some(rate) => rate,
            None => 4,
        };
        let smtp = match &serve.smtp {
            Some(text) => {
                if !text.starts_with("smtp") {
                    warnings.extend(shared_secret(text, "the SMTP URL"));
                }
                Some(smtp_url(text)?)
            }
            None => None,
        };
        if let Some(text) = &serve.mail_from {
            text.parse::<lettre::message::Mailbox>()
                .map_err(|e| format!("--mail-from {text}: {e}"))?;
        }
        let mail_from = serve.mail_from;
        let public_url = match serve.public_url {
            Some(text) => {
                if !(text.starts_with("https://") || text.starts_with("http://"))
                    || text.contains(['?', '#'])
                    || text.chars().any(char::is_whitespace)
                {
                    return Err(format!(
                        "--public-url {text}: where people reach this receiver, https://HOST[/PATH]"
                    ));
                }
                Some(text.trim_end_matches('/').to_owned())
            }
            None => None,
        };
        let confirm_within = serve.confirm_within.unwrap_or(CONFIRM_WITHIN);
        if confirm_within < 1 {
            return Err("--confirm-within: a positive number of seconds".to_owned());
        }
        let demo = serve.demo;
        let log_key = match &serve.log_key {
            Some(path) => Some(read_note_key(path, "--log-key", ED25519, &mut warnings)?),
            None => None,
        };
        let witness_policy = match &serve.witness_policy {
            Some(path) => Some(read_witness_policy(path, log_key.as_ref())?),
            None => None,
        };
        let witness_wait = match serve.witness_wait {
            Some(0) => return Err("--witness-wait: a positive number of seconds".to_owned()),
            Some(seconds) => Duration::from_secs(seconds),
            None => WITNESS_WAIT,
        };
        let notices: Vec<String> = serve
            .notices
            .iter()
            .map(|path| path.display().to_string())
            .collect();
        let key_path = serve.key.map(|path| path.display().to_string());
        if !["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|scheme| database.starts_with(scheme))
        {
            return Err(format!(
                "--database (or CONSENT_CAPTURE_DATABASE): sqlite:PATH (a file) or postgres://USER@HOST/DATABASE, not \
                 {}",
                without_password(&database)
            ));
        }
        let key_path = key_path.ok_or_else(|| "--key is required (or CONSENT_CAPTURE_KEY)".to_owned())?;
        warnings.extend(shared_secret(&key_path, "the controller's private key"));
        if let Some(path) = database.strip_prefix("sqlite:") {
            let path = path.split('?').next().unwrap_or(path);
            warnings.extend(shared_secret(path, "the database, which holds people's data"));
        }
        let key_text = std::fs::read_to_string(&key_path).map_err(|e| format!("{key_path}: {e}"))?;
        let jwk = parse(&key_text).map_err(|e| format!("{key_path}: {}", e.text()))?;
        if jwk.as_object().is_some_and(|k| k.get("d").is_none()) {
            return Err(format!(
                "{key_path}: a public key; --key needs the controller's private key (consent-capture keygen makes one)"
            ));
        }
        let key = PrivateKey::from_jwk(&jwk).map_err(|e| format!("{key_path}: {}", e.text()))?;
        if key.public().thumbprint() == DEMO_KEY_THUMBPRINT && !demo {
            return Err(format!(
                "{key_path}: the demo controller key, which is public (it is in the repository): anyone could sign \
                 acknowledgements, heads and notice signatures with it. Make the controller's own with \
                 consent-capture keygen; --demo allows it for the demo only"
            ));
        }
        if notices.is_empty() {
            return Err("at least one --notice is required".to_owned());
        }
        let notice_paths = notices.clone();
        let controller = key.public();
        let notices: Vec<KnownNotice> = notices
            .iter()
            .map(|path| KnownNotice::load(Path::new(path), &controller))
            .collect::<Result<_, _>>()?;
        let confirmation = match (smtp, mail_from, &public_url) {
            (Some(smtp_url), Some(from), Some(public_url)) => Some(ConfirmationMail {
                smtp_url,
                from,
                public_url: public_url.clone(),
                within: confirm_within,
            }),
            (None, None, _) => None,
            _ => {
                return Err(
                    "--smtp, --mail-from and --public-url go together: confirmation links need all three"
                        .into(),
                )
            }
        };
        let needing = notices.iter().zip(&notice_paths).find(|(known, _)| {
            known
                .notice
                .purposes
                .iter()
                .any(|purpose| purpose.confirmed_address)
        });
        let relay = match relay {
            Some((RelayChoice::Webhook, url)) => Some((Crm::Webhook, url.unwrap_or_default())),
            Some((RelayChoice::Described(target, description), url)) => {
                let notices: Vec<(&Notice, &str, &str)> = notices
                    .iter()
                    .zip(&notice_paths)
                    .map(|(known, path)| (&known.notice, known.hash.as_str(), path.as_str()))
                    .collect();
                let described = Described::read(
                    &target,
                    &description,
                    &notices,
                    url.as_deref(),
                    serve.relay_api.as_deref(),
                    relay_secrets,
                )?;
                Some((Crm::Described(described), url.unwrap_or_default()))
            }
            None => None,
        };
        if let (Some((_, path)), None) = (needing, &confirmation) {
            return Err(format!(
                "{path}: purposes marked confirmedAddress count only once the person confirms their address, by a \
                 link this receiver mails: give --smtp, --mail-from and --public-url"
            ));
        }
        Ok(Self {
            notices,
            key,
            log_key,
            witness_policy,
            witness_wait,
            database,
            listen,
            allowed_origins,
            limits,
            read_token,
            relay: relay.map(|(crm, url)| RelayTarget {
                crm,
                url,
                per_second: relay_per_second,
            }),
            public_url,
            confirmation,
            trusted_proxies,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn a_clock_skew_past_what_acknowledgements_allow_is_refused_before_anything_else() {
        let args = |skew: &str| ["--clock-skew", skew].map(String::from);
        for skew in ["3601", "-1"] {
            let error = Config::from_args(args(skew)).expect_err("refused");
            assert!(
                error.starts_with("--clock-skew: between 0 and 3600 seconds"),
                "{error}"
            );
        }
        // Within the bound, the next missing thing is what is said.
        let error = Config::from_args(args("3600")).expect_err("no key");
        assert!(error.starts_with("--key is required"), "{error}");
    }

    /// The demo key and notice (with its signature), `--demo`, and `more`.
    fn demo_with(more: &[&str]) -> Result<Config, String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut args: Vec<String> = ["--demo", "--key", "tools/demo-controller.jwk"]
            .iter()
            .map(|arg| (*arg).to_owned())
            .collect();
        args[2] = format!("{root}/{}", args[2]);
        args.extend(more.iter().map(|arg| arg.replace("ROOT", root)));
        Config::from_args(args)
    }

    #[test]
    fn double_opt_in_needs_its_mail_settings_together_and_no_password_on_the_command_line() {
        let notice = "ROOT/www/demo/notice.json";
        let with_password = demo_with(&["--notice", notice, "--smtp", "smtps://me:secret@mail.example"]);
        assert!(
            with_password
                .expect_err("refused")
                .contains("password on the command line"),
            "a password in ps"
        );
        let alone = demo_with(&["--notice", notice, "--smtp", "smtps://mail.example"]);
        assert!(alone.expect_err("refused").contains("go together"));
        let not_smtp = demo_with(&["--notice", notice, "--smtp", "https://mail.example"]);
        assert!(not_smtp
            .expect_err("refused")
            .starts_with("--smtp https://mail.example: "));
        let complete = demo_with(&[
            "--notice",
            notice,
            "--smtp",
            "smtp://127.0.0.1:2525",
            "--mail-from",
            "Example <consent@example.com>",
            "--public-url",
            "https://consent.example.com/",
        ])
        .expect("complete");
        let mail = complete.confirmation.expect("double opt-in");
        assert_eq!(mail.public_url, "https://consent.example.com");
        assert_eq!(mail.within, 7 * 86_400);
    }

    #[test]
    fn a_notice_asking_for_confirmed_addresses_is_refused_without_a_way_to_mail_links() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo/notice.json"))
            .expect("the demo notice")
            .replacen(
                r#""languages": ["en", "de", "ar"]"#,
                r#""languages": ["en", "de", "ar"], "principal": { "emailField": "email", "salt": "a-salt-of-sixteen-chars" }"#,
                1,
            )
            .replacen(r#""id": "newsletter","#, r#""id": "newsletter", "confirmedAddress": true,"#, 1);
        let path = std::env::temp_dir().join(format!("confirming-{}.json", std::process::id()));
        std::fs::write(&path, text).expect("a notice file");
        let path_text = path.to_str().expect("UTF-8").to_owned();
        let error = demo_with(&["--notice", &path_text]).expect_err("refused");
        let _ = std::fs::remove_file(&path);
        assert!(
            error.starts_with(&path_text) && error.contains("--smtp, --mail-from and --public-url"),
            "{error}"
        );
    }

    #[test]
    fn secrets_other_users_can_read_are_warned_about() {
        use std::os::unix::fs::PermissionsExt;
        let folder = std::env::temp_dir().join(format!("receiver-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("a folder");
        let key = folder.join("controller.jwk");
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/demo-controller.jwk"),
            &key,
        )
        .expect("a key");
        let token = folder.join("read-token");
        std::fs::write(&token, "t".repeat(40)).expect("a token");
        let open = |path: &std::path::Path, mode: u32| {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("a mode");
        };
        let args = |extra: &[&str]| {
            let mut args: Vec<String> = vec![
                "--demo".into(),
                "--notice".into(),
                concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo/notice.json").into(),
                "--key".into(),
                key.display().to_string(),
                "--read-token".into(),
                token.display().to_string(),
            ];
            args.extend(extra.iter().map(|arg| (*arg).to_owned()));
            args
        };
        open(&key, 0o644);
        open(&token, 0o640);
        let warnings = Config::from_args(args(&[
            "--database",
            "postgres://consent:hunter2@db.example/consent",
        ]))
        .expect("runs, with warnings")
        .warnings;
        let said = warnings.join("\n");
        assert!(
            said.contains("the controller's private key, readable by other users")
                && said.contains("mode 644")
        );
        assert!(said.contains("the read token, readable by other users"));
        assert!(said.contains("a password on the command line"));
        assert!(!said.contains("hunter2"), "the warning does not repeat it");
        open(&key, 0o600);
        open(&token, 0o600);
        let quiet =
            Config::from_args(args(&["--database", "postgres://consent@db.example/consent"])).expect("runs");
        assert_eq!(quiet.warnings, Vec::<String>::new());
        let _ = std::fs::remove_dir_all(&folder);
    }
}
