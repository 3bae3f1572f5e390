//! The descriptions the component ships (`destinations/*.json`), by name: what `--relay NAME` and the
//! documentation's table of CRMs read.

/// The default destination: the receipt, the decisions and the minimised fields as JSON, for a
/// consent-capture receiver or the site's own endpoint. The browser's destination module carries it, so that
/// pages sending to it fetch no description.
pub const JSON: &str = include_str!("../../destinations/json.json");

/// Every shipped description: its name and its text.
pub const SHIPPED: [(&str, &str); 15] = [
    ("json", JSON),
    ("hubspot", include_str!("../../destinations/hubspot.json")),
    ("salesforce", include_str!("../../destinations/salesforce.json")),
    ("klaviyo", include_str!("../../destinations/klaviyo.json")),
    (
        "mailchimp-form",
        include_str!("../../destinations/mailchimp-form.json"),
    ),
    ("mailchimp", include_str!("../../destinations/mailchimp.json")),
    ("brevo", include_str!("../../destinations/brevo.json")),
    ("pipedrive", include_str!("../../destinations/pipedrive.json")),
    ("zoho", include_str!("../../destinations/zoho.json")),
    (
        "activecampaign",
        include_str!("../../destinations/activecampaign.json"),
    ),
    ("pardot", include_str!("../../destinations/pardot.json")),
    ("segment", include_str!("../../destinations/segment.json")),
    ("intercom", include_str!("../../destinations/intercom.json")),
    ("freshsales", include_str!("../../destinations/freshsales.json")),
    ("marketo", include_str!("../../destinations/marketo.json")),
];

/// The shipped description called `name`.
pub fn shipped(name: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}
