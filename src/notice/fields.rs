//! Reading the `fields` of a notice: type, label, purposes (checked against the purposes declared), the
//! minimisation transform (checked against the field type) and the options of a select.

use super::model::{Field, SelectOption};
use super::platforms::Platform;
use super::rules::{Transform, TransformProblem};
use super::texts::read_texts;
use super::vocabulary::FieldType;
use super::vocabulary::LegalBasis;
use crate::error::{Error, ErrorKind};
use crate::json::reader::{index_path, str_list, ObjectReader};
use crate::json::Value;
use crate::prelude::*;

/// Each declared purpose id with its legal basis (when valid), read apart from the rest of the purpose so
/// that one broken purpose does not make every field that names it look wrong too.
pub(super) fn declared_purposes(notice: &Value) -> Vec<(&str, Option<LegalBasis>)> {
    let purposes = notice
        .as_object()
        .and_then(|o| o.get("purposes"))
        .and_then(Value::as_array)
        .unwrap_or(&[]);
    purposes
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|p| {
            let id = p.get("id")?.as_str()?;
            Some((
                id,
                p.get("legalBasis")
                    .and_then(Value::as_str)
                    .and_then(LegalBasis::from_name),
            ))
        })
        .collect()
}

pub(super) fn read_field(
    value: &Value,
    path: &str,
    languages: &[String],
    purposes: &[(&str, Option<LegalBasis>)],
    errors: &mut Vec<Error>,
) -> Option<Field> {
    let mut r = ObjectReader::new(value, path, errors)?;
    let name = r.required_identifier("name", errors);
    let field_type = r.required_one_of("type", FieldType::from_name, errors);
    let label = read_texts(&mut r, "label", languages, errors);
    let required = r.optional_bool("required", errors);
    let purposes_path = r.path_of("purposes");
    let field_purposes = str_list(
        r.required_array("purposes", errors).unwrap_or(&[]),
        &purposes_path,
        errors,
    );
    if field_purposes.is_empty() {
        errors
            .push(Error::new(ErrorKind::Empty, purposes_path.clone()).with_detail("a field needs a purpose"));
    }
    for (i, id) in field_purposes.iter().enumerate() {
        if !purposes.iter().any(|(declared, _)| declared == id) {
            errors.push(Error::new(ErrorKind::UnknownPurpose, index_path(&purposes_path, i)).with_detail(id));
        }
    }
    let only_consent = field_purposes.iter().all(|id| {
        purposes
            .iter()
            .any(|(declared, basis)| declared == id && *basis == Some(LegalBasis::Consent))
    });
    if required && only_consent && !field_purposes.is_empty() {
        errors.push(Error::new(ErrorKind::ConsentNotFree, r.path_of("required")));
    }
    let transform = read_transform(&mut r, field_type, errors);
    let options = read_options(&mut r, field_type, languages, errors);
    let max_length = r.optional_count("maxLength", MOST_CHARACTERS, errors);
    let sent_as_typed_to = read_sent_as_typed_to(&mut r, transform, errors);
    r.finish(errors);
    let (Some(name), Some(field_type), Some(label), Some(transform), Some(options)) =
        (name, field_type, label, transform, options)
    else {
        return None;
    };
    Some(Field {
        name: name.to_owned(),
        field_type,
        label,
        required,
        purposes: field_purposes,
        transform,
        options,
        max_length,
        sent_as_typed_to,
    })
}

/// `sentAsTypedTo`: the ad platforms (by their names in transforms) that get the field as typed, which the form
/// says beside its label; only those that match anything as typed ([`Platform::AS_TYPED`]), and a name given
/// twice counts once. A field that is hashed is not sent as typed.
fn read_sent_as_typed_to(
    r: &mut ObjectReader<'_>,
    transform: Option<Transform>,
    errors: &mut Vec<Error>,
) -> Vec<Platform> {
    let path = r.path_of("sentAsTypedTo");
    let names = r.optional_str_list("sentAsTypedTo", errors);
    if !names.is_empty() && matches!(transform, Some(Transform::Sha256(_) | Transform::Matched(..))) {
        errors.push(
            Error::new(ErrorKind::NotAllowed, path.clone())
                .with_detail("a hashed field is not sent as typed"),
        );
    }
    let mut platforms = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let known = Platform::ALL.iter().find(|(_, known)| known == name);
        match known.filter(|(platform, _)| Platform::AS_TYPED.iter().any(|(typed, _)| typed == platform)) {
            Some((platform, _)) if !platforms.contains(platform) => platforms.push(*platform),
            Some(_) => {}
            None => errors.push(Error::new(ErrorKind::NotAllowed, index_path(&path, i)).with_detail(name)),
        }
    }
    platforms
}

/// The largest `maxLength` a notice may give a field (a million characters), and how a wrong one is named.
const MOST_CHARACTERS: (i64, &str) = (1_000_000, "a whole number from 1 to 1000000");

fn read_transform(
    r: &mut ObjectReader<'_>,
    field_type: Option<FieldType>,
    errors: &mut Vec<Error>,
) -> Option<Transform> {
    let Some(text) = r.optional_str("transform", errors) else {
        return Some(Transform::Keep);
    };
    // Without a valid type there is nothing to check the transform against; the type error is reported.
    let field_type = field_type?;
    match Transform::parse(text, field_type) {
        Ok(transform) => Some(transform),
        Err(TransformProblem::Unknown) => {
            errors.push(Error::new(ErrorKind::NotAllowed, r.path_of("transform")).with_detail(text));
            None
        }
        Err(TransformProblem::WrongFieldType(needed)) => {
            let detail = concat(&[text, " needs a field of type ", needed]);
            errors.push(Error::new(ErrorKind::NotAllowed, r.path_of("transform")).with_detail(detail));
            None
        }
    }
}

/// `options` of a select field: required and non-empty for a select, refused for any other type.
fn read_options(
    r: &mut ObjectReader<'_>,
    field_type: Option<FieldType>,
    languages: &[String],
    errors: &mut Vec<Error>,
) -> Option<Vec<SelectOption>> {
    let path = r.path_of("options");
    if field_type != Some(FieldType::Select) {
        if r.get("options").is_some() {
            errors
                .push(Error::new(ErrorKind::NotAllowed, path).with_detail("only a select field has options"));
        }
        return Some(Vec::new());
    }
    let items = r.required_array("options", errors)?;
    if items.is_empty() {
        errors.push(Error::new(ErrorKind::Empty, path.clone()));
    }
    let mut options: Vec<SelectOption> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = index_path(&path, i);
        let Some(mut o) = ObjectReader::new(item, at.clone(), errors) else {
            continue;
        };
        let value = o.required_str("value", errors);
        let label = read_texts(&mut o, "label", languages, errors);
        o.finish(errors);
        if let (Some(value), Some(label)) = (value, label) {
            if options.iter().any(|existing| existing.value == value) {
                errors.push(Error::new(ErrorKind::Duplicate, concat(&[&at, ".value"])).with_detail(value));
            }
            options.push(SelectOption {
                value: value.to_owned(),
                label,
            });
        }
    }
    Some(options)
}
