//! Checks a typed value against its field before anything is sent, naming the message to show.

use crate::minimise::date::Date;
use crate::notice::phone::e164;
use crate::notice::texts::Ui;
use crate::notice::{Field, FieldType};
use crate::text::char_count;

/// The problem with `value` for `field`, as the interface text that explains it; `None` when it is fine.
/// `calling_code` is what a phone number typed without one gets ([`crate::Notice::calling_code_for`]): a number
/// that is hashed must become E.164 with it, or the person is asked for their country code.
pub fn check(field: &Field, value: &str, calling_code: &str) -> Option<Ui> {
    let value = value.trim();
    if value.is_empty() {
        return field.required.then_some(Ui::ErrorRequired);
    }
    let ok = match field.field_type {
        FieldType::Email => is_email(value),
        FieldType::Tel => is_phone(value),
        FieldType::Date => Date::parse(value).is_some(),
        FieldType::Postcode => is_postcode(value),
        FieldType::Select => field.options.iter().any(|o| o.value == value),
        FieldType::Text
        | FieldType::Country
        | FieldType::Textarea
        | FieldType::Checkbox
        | FieldType::Hidden => true,
    };
    if ok && field.transform.hashes_phone() && e164(value, calling_code).is_none() {
        return Some(Ui::ErrorTelCountry);
    }
    (!ok).then_some(match field.field_type {
        FieldType::Email => Ui::ErrorEmail,
        FieldType::Tel => Ui::ErrorTel,
        FieldType::Date => Ui::ErrorDate,
        FieldType::Postcode => Ui::ErrorPostcode,
        _ => Ui::ErrorOption,
    })
}

/// `local@domain.tld`: one `@`, no spaces, a dotted domain of letters, digits and hyphens. Any non-ASCII
/// character counts as a letter (internationalised domains), which spares every page Unicode's tables.
fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii())
        });
    !local.is_empty()
        && local.len() <= 64
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '@' || c == '"')
        && domain_ok
}

/// Digits with the usual separators, an optional leading `+`, and 5 to 15 digits (E.164's maximum).
fn is_phone(value: &str) -> bool {
    let body = value.strip_prefix('+').unwrap_or(value);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    (5..=15).contains(&digits) && body.chars().all(crate::notice::phone::is_phone_char)
}

/// 2 to 10 letters, digits, spaces or hyphens, with at least two letters or digits.
fn is_postcode(value: &str) -> bool {
    let significant = value.chars().filter(char::is_ascii_alphanumeric).count();
    (2..=10).contains(&char_count(value.as_bytes()))
        && significant >= 2
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
}
