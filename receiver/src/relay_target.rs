//! Where the relay sends: which CRM (how requests are shaped), its URL and pace, and whether it may delete in
//! HubSpot.

/// The CRMs the relay sends to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crm {
    /// HubSpot Forms API v3 (`https://api.hsforms.com/submissions/v3/integration/submit/PORTAL/FORM`).
    HubSpot,
    /// Salesforce Web-to-Lead (`https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8`).
    Salesforce,
    /// Any URL that takes JSON: a consent event with its fields, or a withdrawal event without.
    Webhook,
}

impl Crm {
    /// The CRM named `name` (`hubspot`, `salesforce`, `webhook`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "hubspot" => Some(Self::HubSpot),
            "salesforce" => Some(Self::Salesforce),
            "webhook" => Some(Self::Webhook),
            _ => None,
        }
    }
}

/// Where and how fast the relay sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelayTarget {
    /// The CRM's kind: how requests are shaped.
    pub crm: Crm,
    /// Where they go.
    pub url: String,
    /// At most this many requests a second.
    pub per_second: u32,
    /// Where and how the relay asks HubSpot to delete an erased person's contact (its CRM API with a private
    /// app's token), if it may.
    pub hubspot_delete: Option<HubSpotDelete>,
}

/// HubSpot's CRM API, for its GDPR delete (`POST {api}/crm/v3/objects/contacts/gdpr-delete`, the contact by
/// e-mail address): the Forms API the relay submits to cannot delete.
#[derive(Clone, PartialEq, Eq)]
pub struct HubSpotDelete {
    /// The API's origin: `https://api.hubapi.com`.
    pub api: String,
    /// A private app's access token with the `crm.objects.contacts.write` scope.
    pub token: String,
}

/// Without the token: a configuration printed for debugging must not leak it.
impl std::fmt::Debug for HubSpotDelete {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("HubSpotDelete")
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}
