//! Salesforce Web-to-Lead: a form-encoded body with the organisation id, the lead fields the notice maps, and
//! the receipt id in the lead field the notice names.

use super::shape::{AdapterProblem, Evidence};
use crate::json::Object;
use crate::notice::{crm_name, Notice};
use crate::prelude::*;

pub(super) fn body(
    notice: &Notice,
    payload: &Object,
    evidence: Evidence<'_>,
) -> Result<String, AdapterProblem> {
    let settings = notice
        .crm
        .salesforce
        .as_ref()
        .ok_or(AdapterProblem::SalesforceNotConfigured)?;
    let mut pairs = vec![("oid", settings.oid.as_str())];
    pairs.extend(payload.iter().map(|(name, value)| {
        (
            crm_name(&settings.fields, name),
            value.as_str().unwrap_or_default(),
        )
    }));
    pairs.push((settings.receipt_field.as_str(), evidence.receipt_id));
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(name, value)| join(&[form_encode(name), form_encode(value)], "="))
        .collect();
    Ok(join(&encoded, "&"))
}

/// `application/x-www-form-urlencoded` as the URL Standard serialises it: `*-._` and ASCII letters and digits
/// as they are, space as `+`, every other byte of UTF-8 as `%XX`.
pub(crate) fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
    out
}
