//! The descriptions the component ships (`destinations/*.json`), by name: what `--relay NAME` and the
//! documentation's table of CRMs read.

/// Every shipped description: its name and its text.
pub const SHIPPED: [(&str, &str); 3] = [
    ("json", include_str!("../../destinations/json.json")),
    ("hubspot", include_str!("../../destinations/hubspot.json")),
    ("salesforce", include_str!("../../destinations/salesforce.json")),
];

/// The shipped description called `name`.
pub fn shipped(name: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}
