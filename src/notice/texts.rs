//! A notice's texts per language, and the form's own words (legends, buttons, validation messages). English
//! is built in; a notice may replace any of them, and gives all of them for any other language. Ready translations (German, Arabic, French,
//! Spanish) are in `texts/<tag>.json`, to copy into a notice's `texts`: a page pays only for the languages its
//! notice declares, not for every language we translated.

use crate::error::{Error, ErrorKind};
use crate::json::reader::ObjectReader;
use crate::prelude::*;

/// One piece of interface text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ui {
    /// Legend of the fields group.
    YourDetails,
    /// Legend of the purposes group.
    HowWeUseYourData,
    /// Before a purpose's legal basis.
    LegalBasis,
    /// Before a purpose's retention.
    KeptUntil,
    /// Before a purpose's third parties.
    SharedWith,
    /// The policy link.
    PrivacyPolicy,
    /// Grants every consent purpose, then sends.
    AcceptAll,
    /// Refuses every consent purpose, then sends.
    RejectAll,
    /// Sends with the choices as they are.
    SendWithMyChoices,
    /// After a required field's label.
    Required,
    /// The empty choice of a select.
    Choose,
    /// A required field is empty.
    ErrorRequired,
    /// An e-mail address is malformed.
    ErrorEmail,
    /// A phone number is malformed.
    ErrorTel,
    /// A phone number that is hashed has no country code, and the form gives it none.
    ErrorTelCountry,
    /// A date is malformed.
    ErrorDate,
    /// A postcode is malformed.
    ErrorPostcode,
    /// A select holds a value it does not offer.
    ErrorOption,
    /// Announced when a submission is refused for errors.
    ErrorSummary,
    /// Beside a purpose that starts off because the browser sent Global Privacy Control.
    GpcNote,
    /// Above the form when the notice changed since the person last chose.
    ReconsentNote,
    /// The legal basis `consent`.
    BasisConsent,
    /// The legal basis `contract`.
    BasisContract,
    /// The legal basis `legal-obligation`.
    BasisLegalObligation,
    /// The legal basis `vital-interest`.
    BasisVitalInterest,
    /// The legal basis `public-task`.
    BasisPublicTask,
    /// The legal basis `legitimate-interest`.
    BasisLegitimateInterest,
    /// Heading of the receipt shown after sending.
    YourReceipt,
    /// Before the purposes consented to.
    Agreed,
    /// Before the purposes refused.
    Refused,
    /// Before the purposes on another legal basis.
    OtherBasis,
    /// Before the controller's name.
    ResponsibleForYourData,
    /// Before the receipt id.
    Receipt,
    /// Before the date of issue.
    Issued,
    /// How to withdraw, followed by the controller's e-mail.
    HowToWithdraw,
    /// On the button that withdraws one purpose.
    Withdraw,
    /// Before the purposes withdrawn, followed by the date.
    WithdrawnOn,
    /// On the button that shows the form again after a submission.
    SendAgain,
    /// When a form already sent is submitted again without choosing to send again.
    AlreadySent,
    /// Before the controller's name, once its acknowledgement of the receipt arrived (the date follows).
    ReceivedBy,
    /// The link that downloads the controller's acknowledgement.
    DownloadAcknowledgement,
    /// The link to the receipt file.
    Download,
    /// While the details go to the site's endpoint.
    Sending,
    /// When the endpoint took them.
    Sent,
    /// When they wait on this device for the connection (or the endpoint) to come back.
    Queued,
    /// When the endpoint refused them.
    SendFailed,
}

impl Ui {
    /// Every key with its name in a notice's `texts`.
    pub const ALL: [(Self, &'static str); 46] = [
        (Self::YourDetails, "yourDetails"),
        (Self::HowWeUseYourData, "howWeUseYourData"),
        (Self::LegalBasis, "legalBasis"),
        (Self::KeptUntil, "keptUntil"),
        (Self::SharedWith, "sharedWith"),
        (Self::PrivacyPolicy, "privacyPolicy"),
        (Self::AcceptAll, "acceptAll"),
        (Self::RejectAll, "rejectAll"),
        (Self::SendWithMyChoices, "sendWithMyChoices"),
        (Self::Required, "required"),
        (Self::Choose, "choose"),
        (Self::ErrorRequired, "errorRequired"),
        (Self::ErrorEmail, "errorEmail"),
        (Self::ErrorTel, "errorTel"),
        (Self::ErrorTelCountry, "errorTelCountry"),
        (Self::ErrorDate, "errorDate"),
        (Self::ErrorPostcode, "errorPostcode"),
        (Self::ErrorOption, "errorOption"),
        (Self::ErrorSummary, "errorSummary"),
        (Self::GpcNote, "gpcNote"),
        (Self::ReconsentNote, "reconsentNote"),
        (Self::BasisConsent, "basisConsent"),
        (Self::BasisContract, "basisContract"),
        (Self::BasisLegalObligation, "basisLegalObligation"),
        (Self::BasisVitalInterest, "basisVitalInterest"),
        (Self::BasisPublicTask, "basisPublicTask"),
        (Self::BasisLegitimateInterest, "basisLegitimateInterest"),
        (Self::YourReceipt, "yourReceipt"),
        (Self::Agreed, "agreed"),
        (Self::Refused, "refused"),
        (Self::OtherBasis, "otherBasis"),
        (Self::ResponsibleForYourData, "responsibleForYourData"),
        (Self::Receipt, "receipt"),
        (Self::Issued, "issued"),
        (Self::HowToWithdraw, "howToWithdraw"),
        (Self::Withdraw, "withdraw"),
        (Self::WithdrawnOn, "withdrawnOn"),
        (Self::SendAgain, "sendAgain"),
        (Self::AlreadySent, "alreadySent"),
        (Self::ReceivedBy, "receivedBy"),
        (Self::DownloadAcknowledgement, "downloadAcknowledgement"),
        (Self::Download, "download"),
        (Self::Sending, "sending"),
        (Self::Sent, "sent"),
        (Self::Queued, "queued"),
        (Self::SendFailed, "sendFailed"),
    ];

    /// The key named `name` in a notice's `texts`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(ui, _)| *ui)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The text shown in a language whose notice predates this key: a notice written before it was added
    /// stays valid.
    pub fn fallback(self) -> Option<Self> {
        match self {
            Self::ErrorTelCountry => Some(Self::ErrorTel),
            _ => None,
        }
    }
}

const ENGLISH: [&str; 46] = [
    "Your details",
    "How we use your data",
    "Legal basis",
    "Kept until",
    "Shared with",
    "Privacy policy",
    "Accept all",
    "Reject all",
    "Send with my choices",
    "required",
    "Choose…",
    "Please fill in this field.",
    "Please enter an e-mail address such as name@example.com.",
    "Please enter a phone number using digits, spaces, +, - or brackets.",
    "Please add your country code at the start, such as +44.",
    "Please enter a date as year-month-day.",
    "Please enter a postcode using letters, digits, spaces or hyphens.",
    "Please choose one of the options.",
    "Some fields need your attention. Nothing was sent.",
    "Your browser asks sites not to sell or share your data (Global Privacy Control), so this starts switched off.",
    "Our notice has changed since you last chose. Please choose again.",
    "your consent",
    "a contract with you",
    "a legal obligation",
    "vital interests",
    "a task in the public interest",
    "our legitimate interests",
    "Your consent receipt",
    "You agreed to",
    "You refused",
    "Without consent, on another legal basis",
    "Responsible for your data",
    "Receipt",
    "issued",
    "You can withdraw at any time with the buttons below, or by writing to",
    "Withdraw",
    "Withdrawn on",
    "Send again",
    "These details were already sent. To send them again, choose “Send again”.",
    "Received by",
    "Download the controller’s acknowledgement (.jws)",
    "Download this receipt (.jws)",
    "Sending your details…",
    "Your details were sent.",
    "Not sent yet: the site cannot be reached or is busy right now. Your details are kept on this device and will be sent automatically.",
    "The site could not accept your details, so they were not sent.",
];

/// Languages written right to left (primary subtags).
const RIGHT_TO_LEFT: [&str; 8] = ["ar", "fa", "he", "ur", "ps", "sd", "yi", "dv"];

/// The built-in text for `language`: English (any `en-…` tag) has one; other languages come from the notice.
pub fn built_in(language: &str, ui: Ui) -> Option<&'static str> {
    primary_subtag(language)
        .eq_ignore_ascii_case("en")
        .then(|| ENGLISH[ui.index()])
}

/// Whether `language` is written right to left.
pub fn is_right_to_left(language: &str) -> bool {
    let primary = primary_subtag(language);
    RIGHT_TO_LEFT.iter().any(|tag| tag.eq_ignore_ascii_case(primary))
}

/// The primary language subtag: `de` of `de-CH`.
pub(crate) fn primary_subtag(language: &str) -> &str {
    language.split('-').next().unwrap_or(language)
}

/// A text in every language of the notice, in the notice's language order.
#[derive(Clone, Debug, PartialEq)]
pub struct Texts(Vec<(String, String)>);

impl Texts {
    /// The text in `language`, falling back to the notice's default language.
    pub fn get(&self, language: &str) -> &str {
        self.0
            .iter()
            .find(|(tag, _)| tag == language)
            .or_else(|| self.0.first())
            .map_or("", |(_, text)| text)
    }
}

/// A text given in every declared language, and in no other.
pub(super) fn read_texts(
    r: &mut ObjectReader<'_>,
    key: &'static str,
    languages: &[String],
    errors: &mut Vec<Error>,
) -> Option<Texts> {
    let path = r.path_of(key);
    let mut texts = ObjectReader::new(r.required(key, errors)?, path.clone(), errors)?;
    let mut out = Vec::with_capacity(languages.len());
    for language in languages {
        match texts.get(language) {
            Some(_) => {
                if let Some(text) = texts.optional_str(language, errors) {
                    out.push((language.clone(), text.to_owned()));
                }
            }
            None => {
                errors.push(Error::new(ErrorKind::MissingTranslation, path.clone()).with_detail(language))
            }
        }
    }
    texts.finish(errors);
    Some(Texts(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_sits_at_its_own_index() {
        for (i, (ui, _)) in Ui::ALL.iter().enumerate() {
            assert_eq!(ui.index(), i);
        }
    }

    #[test]
    fn regional_tags_use_their_language_and_unknown_ones_have_none() {
        assert_eq!(built_in("en-GB", Ui::AcceptAll), Some("Accept all"));
        assert_eq!(built_in("de", Ui::AcceptAll), None);
        assert!(is_right_to_left("ar-EG") && !is_right_to_left("en"));
    }
}
