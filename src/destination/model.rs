//! A destination once read against its notice: every setting filled in, every field and purpose it names
//! declared, its repetitions over the notice's fields and purposes unrolled.

use crate::json::Value;
use crate::prelude::*;

/// Where a destination's requests can be made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runs {
    /// From the page, with an answer the page can read (the CRM allows the site's origin).
    Browser,
    /// From the page, without an answer (`no-cors`: reaching the server counts as sent).
    BrowserOpaque,
    /// Only from the receiver's relay: it needs a secret no page may hold.
    Receiver,
}

impl Runs {
    /// Every value with its name in a description.
    pub const ALL: [(Self, &'static str); 3] = [
        (Self::Browser, "browser"),
        (Self::BrowserOpaque, "browser-opaque"),
        (Self::Receiver, "receiver"),
    ];
}

/// How a body is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// RFC 8785 canonical JSON, `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`, members in order, an array as its key repeated.
    Form,
}

/// One request: its URL with the settings filled in, and the templates of its headers and body.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// `POST`, `PUT` or `PATCH`.
    pub method: String,
    /// Where it goes: the `endpoint` given to the element or the relay, else the description's URL.
    pub url: String,
    /// How the body is written.
    pub encoding: Encoding,
    /// Header names with their templates (settings and secrets only).
    pub headers: Vec<(String, Value)>,
    /// The body's template.
    pub body: Value,
    /// The secrets its templates name.
    pub secrets: Vec<String>,
    /// Whether it names the person's contact (`{contact}` in its URL, `{"$evidence": "contact"}`): only a
    /// withdrawal's or an erasure's request, which the relay makes from what it holds, may.
    pub needs_contact: bool,
}

/// What a withdrawal or an erasure becomes at a destination.
#[derive(Clone, Debug, PartialEq)]
pub enum Afterwards {
    /// A request: a withdrawal's as the submission's (no fields, the withdrawn decisions) or the CRM's own
    /// unsubscribe or delete call; with what someone must do by hand when the relay cannot make it (it holds
    /// no contact for the person, or not the secret it names).
    Call {
        /// The request.
        call: Call,
        /// What to do instead, by hand.
        otherwise: String,
    },
    /// Nothing the CRM takes: why, and what someone must do instead.
    Refused(String),
}

impl Afterwards {
    /// The request, or the refusal.
    ///
    /// # Errors
    /// The description's refusal.
    pub fn call(&self) -> Result<&Call, &str> {
        match self {
            Self::Call { call, .. } => Ok(call),
            Self::Refused(why) => Err(why),
        }
    }

    /// What someone must do by hand when this cannot be asked of the CRM.
    pub fn by_hand(&self) -> &str {
        match self {
            Self::Call { otherwise, .. } => otherwise,
            Self::Refused(why) => why,
        }
    }
}

/// A destination read against a notice.
#[derive(Clone, Debug, PartialEq)]
pub struct Destination {
    /// Its name (`hubspot`): the notice's `crm.<name>` holds its settings.
    pub name: String,
    /// Where it can run.
    pub runs: Runs,
    /// The base64url SHA-256 of the description's canonical JSON, which receipts name.
    pub sha256: String,
    /// What a submission sends.
    pub submit: Call,
    /// The oldest consent the CRM takes, in days (HubSpot refuses a `submittedAt` more than 30 days old).
    pub max_age_days: Option<i64>,
    /// What a withdrawal becomes.
    pub withdrawal: Afterwards,
    /// What an erasure becomes: only the relay asks it.
    pub erasure: Afterwards,
    /// The notice's field whose value the CRM knows the person by (its deduplication key), which its
    /// withdrawal's and erasure's requests name.
    pub contact: Option<String>,
    /// The secrets its submission's and withdrawal's templates name: only the receiver, which holds them, can
    /// make its requests (an erasure's are asked for when one is due).
    pub secrets: Vec<String>,
    /// The notice's fields that its `fields` setting names otherwise at the CRM, with those names.
    pub field_names: Vec<(String, String)>,
}
