//! The only raw DOM calls: one short function each. Text goes in through `textContent`, never as HTML.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Node};

pub(crate) fn document(node: &Node) -> Result<Document, JsValue> {
    node.owner_document()
        .ok_or_else(|| JsValue::from_str("consent-capture: the element has no document"))
}

/// A new element with attributes and, optionally, text content.
pub(crate) fn element(
    doc: &Document,
    tag: &str,
    attributes: &[(&str, &str)],
    text: Option<&str>,
) -> Result<Element, JsValue> {
    let element = doc.create_element(tag)?;
    for (name, value) in attributes {
        element.set_attribute(name, value)?;
    }
    if let Some(text) = text {
        element.set_text_content(Some(text));
    }
    Ok(element)
}

pub(crate) fn append(parent: &Node, child: &Element) -> Result<(), JsValue> {
    parent.append_child(child).map(drop)
}

pub(crate) fn cast<T: JsCast>(element: Element) -> Result<T, JsValue> {
    element
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str("consent-capture: unexpected element type"))
}
