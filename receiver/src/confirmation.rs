//! Double opt-in: proof that the person named by a salted e-mail hash controls the address. A receipt that
//! grants a purpose the notice marks `confirmedAddress` makes a link ([`Link`]), mailed to the address that
//! arrived with it ([`crate::confirmation_mail`]); following it appends a [`ConfirmationEntry`] to the log
//! (`routes::confirm`). Until then, and for every device key that did not confirm, grants for
//! those purposes do not count ([`Confirmed::counts`]): a stranger who types someone's address gets
//! `unconfirmed`, never `mayUse: true`. Refusals and withdrawals count from any device.
//!
//! The link carries a JWS the controller's key signed (`consent-confirmation-link+jws`: the link's id, its
//! expiry and the receiver's public URL), so that a forged, expired or another receiver's link is refused
//! before the database is asked; its id is single-use because the confirmations table holds it once.

use crate::acknowledgement::{handed_out, sign};
use crate::decisions::DecisionRow;
use crate::refusal::Refusal;
use consent_capture::jose::base64url;
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::jose::sha256::sha256;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::{Object, Value};
use consent_capture::Notice;
use std::collections::{HashMap, HashSet};

/// The `typ` of the JWS in a confirmation link.
pub const LINK_TYP: &str = "consent-confirmation-link+jws";
/// The `typ` of the controller's countersignature of a confirmation: its entry, the log's head and the
/// entry's inclusion proof, as an acknowledgement has them.
pub const CONFIRMATION_TYP: &str = "consent-confirmation+jws";
/// How many links one person may be mailed in a day, whatever device asks: a stranger typing someone's
/// address cannot flood their mailbox.
pub const LINKS_A_DAY: i64 = 3;

/// What the log records of a followed link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationEntry {
    /// Its place in the log, shared with records.
    pub position: u64,
    /// The person, as receipts name them (a salted e-mail hash).
    pub principal_id: String,
    /// The device key whose receipt asked for the confirmation: its receipts count from now on.
    pub device_thumbprint: String,
    /// That receipt's `consentReceiptID`.
    pub receipt_id: String,
    /// When the link was followed, in seconds since 1970.
    pub received_at: i64,
}

impl ConfirmationEntry {
    /// The entry as canonical JSON; `kind` sets it apart from a record's entry.
    pub fn to_json(&self) -> Object {
        Object::new()
            .with("position", Value::from(self.position as i64))
            .with("kind", "confirmation")
            .with("principalId", self.principal_id.as_str())
            .with("deviceThumbprint", self.device_thumbprint.as_str())
            .with("receiptId", self.receipt_id.as_str())
            .with("receivedAt", Value::from(self.received_at))
    }

    /// The leaf: SHA-256 of the canonical entry.
    pub fn leaf(&self) -> [u8; 32] {
        sha256(to_canonical_string(&Value::Object(self.to_json())).as_bytes())
    }
}

/// A stored confirmation: its entry and the controller's countersignature of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// The entry.
    pub entry: ConfirmationEntry,
    /// The link it used.
    pub link_id: String,
    /// The JWS (`consent-confirmation+jws`) the person was answered with.
    pub acknowledgement: String,
}

/// A link to mail: who it confirms, for which device, from which record's address, until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Random, 128 bits.
    pub link_id: String,
    /// The person, as receipts name them.
    pub principal_id: String,
    /// The device key whose receipt asked.
    pub device_thumbprint: String,
    /// The record whose payload holds the address.
    pub position: u64,
    /// When it was made.
    pub created_at: i64,
    /// When it stops serving.
    pub expires_at: i64,
}

impl Link {
    /// A new link for `principal_id` and `device_thumbprint`, from the record at `position`, made at `now`
    /// and serving `within` seconds.
    ///
    /// # Errors
    /// The operating system gives no randomness.
    pub fn new(
        principal_id: &str,
        device_thumbprint: &str,
        position: u64,
        now: i64,
        within: i64,
    ) -> Result<Self, getrandom::Error> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id)?;
        Ok(Self {
            link_id: base64url::encode(&id),
            principal_id: principal_id.to_owned(),
            device_thumbprint: device_thumbprint.to_owned(),
            position,
            created_at: now,
            expires_at: now + within,
        })
    }

    /// The URL the person follows: `public_url/confirm?link=JWS&lang=LANGUAGE` (the language only picks the
    /// page's words).
    pub fn url(&self, key: &PrivateKey, public_url: &str, language: &str) -> String {
        let token = sign(
            key,
            LINK_TYP,
            Object::new()
                .with("link", self.link_id.as_str())
                .with("expires", self.expires_at)
                .with("audience", public_url),
        );
        format!(
            "{}/confirm?link={token}&lang={language}",
            public_url.trim_end_matches('/')
        )
    }
}

/// Reads a link's JWS: the controller's signature, this receiver's URL, not expired at `now`. Returns its id.
///
/// # Errors
/// 400 for what no link of this receiver's looks like; 410 for an expired one.
pub fn link_id(token: &str, controller: &PublicJwk, public_url: &str, now: i64) -> Result<String, Refusal> {
    let refuse = |message: &str| Refusal::new(400, "link", "link", message);
    let payload = handed_out(token.trim(), controller, LINK_TYP)
        .map_err(|e| Refusal::new(400, "link", ["link.", e.at()].concat(), e.text()))?;
    if payload.get("audience").and_then(Value::as_str) != Some(public_url) {
        return Err(refuse("a link of another receiver"));
    }
    let expires = payload
        .get("expires")
        .and_then(Value::as_i64)
        .ok_or_else(|| refuse("no expiry"))?;
    if expires < now {
        return Err(Refusal::new(
            410,
            "link-expired",
            "link",
            "this link has expired: submit the form again for a new one",
        ));
    }
    payload
        .get("link")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| refuse("no link id"))
}

/// The purposes `notices` mark `confirmedAddress`: grants for them count only from a device key that
/// confirmed the person's address ([`Confirmed`]).
pub fn purposes_needing_confirmation<'a>(notices: impl IntoIterator<Item = &'a Notice>) -> HashSet<String> {
    notices
        .into_iter()
        .flat_map(|notice| &notice.purposes)
        .filter(|purpose| purpose.confirmed_address)
        .map(|purpose| purpose.id.clone())
        .collect()
}

/// Which decisions count for purposes that need a confirmed address: a grant only when the device key that
/// signed it had confirmed the person's address by the time asked about; a refusal or withdrawal always (it
/// never makes data usable, and a person's own withdrawal from a device that never confirmed must stand).
#[derive(Clone, Debug, Default)]
pub struct Confirmed {
    /// The purposes some notice marks `confirmedAddress`.
    pub needs: HashSet<String>,
    /// The device key of each record, by position.
    pub devices: HashMap<u64, String>,
    /// Each confirmation of this person: the device key and when it arrived.
    pub confirmations: Vec<(String, i64)>,
}

impl Confirmed {
    /// Whether `row` counts at `at`: its purpose needs no confirmed address, it grants nothing, or its device
    /// key confirmed the address by then.
    pub fn counts(&self, row: &DecisionRow, at: i64) -> bool {
        !self.needs.contains(&row.purpose)
            || !row.decision.justifies()
            || self.devices.get(&row.position).is_some_and(|device| {
                self.confirmations
                    .iter()
                    .any(|(confirmed, when)| confirmed == device && *when <= at)
            })
    }
}
