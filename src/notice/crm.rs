//! The notice's `crm` section: how the CRM adapters name fields and purposes. Every name it maps must be a
//! declared field or purpose, so a typo cannot quietly send a field under a name the CRM ignores.

use crate::prelude::*;

/// Adapter settings; an adapter without settings sends fields under their notice names.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Crm {
    /// HubSpot Forms API v3.
    pub hubspot: HubSpot,
    /// Salesforce Web-to-Lead.
    pub salesforce: Option<Salesforce>,
}

/// HubSpot settings.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct HubSpot {
    /// Notice field name → HubSpot contact property.
    pub fields: Vec<(String, String)>,
    /// Consent purpose id → HubSpot subscription type id (`communications[]`).
    pub subscriptions: Vec<(String, i64)>,
}

/// Salesforce settings.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Salesforce {
    /// The organisation id Web-to-Lead posts to.
    pub oid: String,
    /// Notice field name → lead field (`last_name`, `email`, a custom field id, …).
    pub fields: Vec<(String, String)>,
    /// The lead field that receives the receipt id.
    pub receipt_field: String,
}

/// The name `field` goes under in a CRM: its mapping, else its own name.
pub fn crm_name<'a>(mapping: &'a [(String, String)], field: &'a str) -> &'a str {
    mapping
        .iter()
        .find(|(name, _)| name == field)
        .map_or(field, |(_, crm)| crm.as_str())
}
