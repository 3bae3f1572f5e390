//! The receipt as the person reads it after sending: what they agreed to, with whom, until when, and how to
//! withdraw. Plain data, like the form model; the web layer renders it as text.

use crate::notice::decisions::Decisions;

use crate::notice::vocabulary::Decision;

use crate::json::{Object, Value};
use crate::notice::texts::Ui;
use crate::notice::vocabulary::LegalBasis;
use crate::notice::Notice;
use crate::prelude::*;

/// Where the receipt's date stands in the view's texts (a character of Unicode's private use area, which
/// interface texts have no use for): the element writes the date there as people write dates in the view's
/// language (`Intl.DateTimeFormat`), which this `no_std` core cannot, isolated by its first strong character
/// (an Arabic date reads right to left, where a receipt id is kept left to right).
pub const DATE: &str = "\u{E000}";

/// One line per purpose group, and the means to withdraw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptView<'a> {
    /// The heading.
    pub heading: &'a str,
    /// `(label, purposes)` for agreed, withdrawn (with the date), refused and other-basis purposes; empty
    /// groups are left out.
    pub groups: Vec<(String, Vec<String>)>,
    /// Who is responsible.
    pub controller: String,
    /// Receipt id and date of issue.
    pub issued: String,
    /// When it was issued, in seconds since the Unix epoch: what `DATE` stands for.
    pub issued_at: i64,
    /// How to withdraw.
    pub how_to_withdraw: String,
    /// One `(purpose id, button text)` per purpose the person agreed to.
    pub withdraw: Vec<(&'a str, String)>,
    /// The download link's text and file name.
    pub download: (&'a str, String),
    /// The acknowledgement download link's text (its file is named as the receipt's, with
    /// `consent-acknowledgement-`).
    pub download_acknowledgement: &'a str,
    /// What to say while and after the details go to the site's endpoint: sending, sent, queued, failed.
    pub delivery: [&'a str; 4],
    /// The button that shows the form again, and what to say when the form is sent again without it.
    pub again: [&'a str; 2],
    /// Who acknowledged the receipt, once the controller's acknowledgement arrived: the page adds the date.
    pub received: String,
}

impl<'a> ReceiptView<'a> {
    /// The view of the receipt `receipt_id`, issued at `issued_at`, for `decisions` on `notice`.
    pub fn build(
        notice: &'a Notice,
        decisions: &Decisions,
        language: &'a str,
        receipt_id: &str,
        issued_at: i64,
    ) -> Self {
        let ui = |key| notice.ui(language, key);
        let mut agreed = Vec::new();
        let mut withdrawn = Vec::new();
        let mut refused = Vec::new();
        let mut other = Vec::new();
        let mut withdraw = Vec::new();
        for purpose in &notice.purposes {
            let name = purpose.name.get(language);
            match decisions.get(&purpose.id) {
                Decision::Granted => {
                    let kept_until = purpose.termination.get(language);
                    agreed.push(concat(&[name, " (", ui(Ui::KeptUntil), ": ", kept_until, ")"]));
                    withdraw.push((purpose.id.as_str(), concat(&[ui(Ui::Withdraw), ": ", name])));
                }
                Decision::Withdrawn => withdrawn.push(name.to_owned()),
                Decision::Denied => refused.push(name.to_owned()),
                Decision::NotAsked => {
                    other.push(concat(&[name, " (", ui(basis_text(purpose.legal_basis)), ")"]));
                }
            }
        }
        let groups = [
            (ui(Ui::Agreed).to_owned(), agreed),
            (concat(&[ui(Ui::WithdrawnOn), " ", DATE]), withdrawn),
            (ui(Ui::Refused).to_owned(), refused),
            (ui(Ui::OtherBasis).to_owned(), other),
        ]
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .collect();
        let controller = &notice.controller;
        Self {
            heading: ui(Ui::YourReceipt),
            groups,
            controller: concat(&[
                ui(Ui::ResponsibleForYourData),
                ": ",
                &controller.name,
                ", ",
                &controller.email,
            ]),
            issued: concat(&[
                ui(Ui::Receipt),
                " ",
                &isolated(receipt_id),
                ", ",
                ui(Ui::Issued),
                " ",
                DATE,
            ]),
            issued_at,
            how_to_withdraw: concat(&[ui(Ui::HowToWithdraw), " ", &controller.email]),
            withdraw,
            download: (
                ui(Ui::Download),
                concat(&["consent-receipt-", receipt_id, ".jws"]),
            ),
            download_acknowledgement: ui(Ui::DownloadAcknowledgement),
            delivery: [ui(Ui::Sending), ui(Ui::Sent), ui(Ui::Queued), ui(Ui::SendFailed)],
            again: [ui(Ui::SendAgain), ui(Ui::AlreadySent)],
            received: concat(&[ui(Ui::ReceivedBy), " ", &controller.name]),
        }
    }
}

/// `text` kept left to right inside text of either direction (Unicode's left-to-right isolate, as `<bdi
/// dir="ltr">` would): receipt ids are read in order in Arabic or Hebrew, not scrambled by the
/// paragraph around them. It is text, so it works wherever the view goes, not only in the element's DOM.
pub fn isolated(text: &str) -> String {
    concat(&["\u{2066}", text, "\u{2069}"])
}

/// The interface text naming a legal basis.
pub fn basis_text(basis: LegalBasis) -> Ui {
    match basis {
        LegalBasis::Consent => Ui::BasisConsent,
        LegalBasis::Contract => Ui::BasisContract,
        LegalBasis::LegalObligation => Ui::BasisLegalObligation,
        LegalBasis::VitalInterest => Ui::BasisVitalInterest,
        LegalBasis::PublicTask => Ui::BasisPublicTask,
        LegalBasis::LegitimateInterest => Ui::BasisLegitimateInterest,
    }
}

impl ReceiptView<'_> {
    /// The view as JSON, for the page's renderer.
    pub fn to_json(&self) -> Value {
        let groups = self
            .groups
            .iter()
            .map(|(label, items)| {
                let items = items.iter().map(|i| Value::from(i.as_str())).collect();
                Object::new()
                    .with("label", label.as_str())
                    .with("items", Value::Array(items))
                    .into()
            })
            .collect();
        let withdraw = self
            .withdraw
            .iter()
            .map(|(purpose, text)| {
                Object::new()
                    .with("purpose", *purpose)
                    .with("text", text.as_str())
                    .into()
            })
            .collect();
        Object::new()
            .with("heading", self.heading)
            .with("groups", Value::Array(groups))
            .with(
                "lines",
                Value::Array(vec![
                    self.controller.as_str().into(),
                    self.issued.as_str().into(),
                    self.how_to_withdraw.as_str().into(),
                ]),
            )
            .with("withdraw", Value::Array(withdraw))
            .with(
                "download",
                Object::new()
                    .with("text", self.download.0)
                    .with("fileName", self.download.1.as_str()),
            )
            .with("downloadAcknowledgement", self.download_acknowledgement)
            .with(
                "delivery",
                Object::new()
                    .with("sending", self.delivery[0])
                    .with("sent", self.delivery[1])
                    .with("queued", self.delivery[2])
                    .with("failed", self.delivery[3]),
            )
            .with(
                "again",
                Object::new()
                    .with("button", self.again[0])
                    .with("told", self.again[1]),
            )
            .with("received", self.received.as_str())
            .with("issuedAt", self.issued_at)
            .into()
    }
}
