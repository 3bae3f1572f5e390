//! The person's side of double opt-in: `GET /confirm?link=…&lang=…` (the link in the mail) answers a page with
//! one button, and `POST /confirm` (that button) appends the confirmation to the log. Two steps, because mail
//! systems open links to scan them: a GET changes nothing. Both answer small HTML pages with no script, every
//! text escaped, under a CSP that allows nothing but posting the form back here, in the language of the mail
//! (`lang`, which only picks the words: the signed link decides everything else).

use crate::confirmation::{link_id, ConfirmationEntry};
use crate::confirmation_texts::ConfirmationTexts;
use crate::refusal::Refusal;
use crate::state::Receiver;
use crate::utc::now;
use axum::extract::{Form, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::sync::Arc;

/// The routes, rate-limited with the other public ones.
pub(crate) fn routes() -> Router<Arc<Receiver>> {
    Router::new().route("/confirm", get(offer).post(confirm))
}

/// The link's id, when the link is one of this receiver's, unexpired, and it made it.
async fn checked(
    receiver: &Receiver,
    token: Option<&String>,
) -> Result<(String, ConfirmationEntry), Refusal> {
    let mail = receiver
        .config()
        .confirmation
        .as_ref()
        .ok_or_else(|| Refusal::new(404, "not-found", "/confirm", "this receiver mails no links"))?;
    let token = token.ok_or_else(|| Refusal::new(400, "link", "link", "the link is incomplete"))?;
    let id = link_id(token, &receiver.key().public(), &mail.public_url, now())?;
    let link = receiver
        .read(|store| store.link(&id))
        .await?
        .ok_or_else(|| Refusal::new(404, "link", "link", "this receiver holds no such link"))?;
    let receipt_id = receiver
        .read(|store| store.receipt_id_at(link.position))
        .await?
        .unwrap_or_default();
    let entry = ConfirmationEntry {
        position: 0,
        principal_id: link.principal_id,
        device_thumbprint: link.device_thumbprint,
        receipt_id,
        received_at: 0,
    };
    Ok((id, entry))
}

async fn offer(
    State(receiver): State<Arc<Receiver>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let token = query.get("link");
    let texts = words(&query);
    match checked(&receiver, token).await {
        Ok(_) => page(
            StatusCode::OK,
            texts,
            texts.offer_title,
            texts.offer_text,
            token.map(String::as_str),
        ),
        Err(refusal) => refused(texts, &refusal),
    }
}

async fn confirm(
    State(receiver): State<Arc<Receiver>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let texts = words(&form);
    let (id, entry) = match checked(&receiver, form.get("link")).await {
        Ok(checked) => checked,
        Err(refusal) => return refused(texts, &refusal),
    };
    match receiver.appender().confirm(id, entry, now()).await {
        Ok(_) => page(StatusCode::OK, texts, texts.done_title, texts.done_text, None),
        Err(refusal) => refused(texts, &refusal),
    }
}

/// The words in the language the request names (`lang`), English without one.
fn words(parameters: &HashMap<String, String>) -> &'static ConfirmationTexts {
    ConfirmationTexts::of(parameters.get("lang").map_or("en", String::as_str))
}

fn refused(texts: &ConfirmationTexts, refusal: &Refusal) -> Response {
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
    let text = match refusal.rule {
        "link-used" => texts.used,
        "link-expired" => texts.expired,
        "storage" => texts.storage,
        _ => texts.broken,
    };
    page(status, texts, texts.not_confirmed, text, None)
}

/// A page in `texts`' language with `title` and `text` and, given a link's token, the button that confirms it.
fn page(
    status: StatusCode,
    texts: &ConfirmationTexts,
    title: &str,
    text: &str,
    confirm: Option<&str>,
) -> Response {
    let button = confirm.map_or(String::new(), |token| {
        format!(
            "<form method=\"post\" action=\"confirm\"><input type=\"hidden\" name=\"link\" value=\"{}\">\
             <input type=\"hidden\" name=\"lang\" value=\"{}\"><button type=\"submit\">{}</button></form>",
            escape(token),
            texts.language,
            escape(texts.button),
        )
    });
    let html = format!(
        "<!doctype html><html lang=\"{language}\" dir=\"{dir}\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <main><h1>{title}</h1><p>{text}</p>{button}</main></html>",
        language = texts.language,
        dir = if texts.right_to_left { "rtl" } else { "ltr" },
        title = escape(title),
        text = escape(text),
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ),
        ],
        html,
    )
        .into_response()
}

/// Text as HTML text and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
