//! The person's side of double opt-in: `GET /confirm?link=…` (the link in the mail) answers a page with one
//! button, and `POST /confirm` (that button) appends the confirmation to the log. Two steps, because mail
//! systems open links to scan them: a GET changes nothing. Both answer small HTML pages with no script, every
//! text escaped, under a CSP that allows nothing but posting the form back here.

use crate::confirmation::{link_id, ConfirmationEntry};
use crate::http::Receiver;
use crate::submission::Refusal;
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
    match checked(&receiver, token).await {
        Ok(_) => page(
            StatusCode::OK,
            "Confirm your e-mail address",
            "Press the button to confirm that this address is yours.",
            token.map(String::as_str),
        ),
        Err(refusal) => refused(&refusal),
    }
}

async fn confirm(
    State(receiver): State<Arc<Receiver>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (id, entry) = match checked(&receiver, form.get("link")).await {
        Ok(checked) => checked,
        Err(refusal) => return refused(&refusal),
    };
    match receiver.appender().confirm(id, entry, now()).await {
        Ok(_) => page(
            StatusCode::OK,
            "Address confirmed",
            "Thank you: your address is confirmed, and the controller's log records it. You can close this page.",
            None,
        ),
        Err(refusal) => refused(&refusal),
    }
}

fn refused(refusal: &Refusal) -> Response {
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
    let text = match refusal.rule {
        "link-used" => "This link confirmed your address already: there is nothing more to do.",
        "link-expired" => {
            "This link has expired. Submit the form on the site again and a new link will be mailed to you."
        }
        "storage" => "The site cannot record your confirmation right now. Please open the link again later.",
        _ => "This link does not work. Check that you opened the whole link from the message.",
    };
    page(status, "Your address is not confirmed", text, None)
}

/// A page with `title` and `text` and, given a link's token, the button that confirms it.
fn page(status: StatusCode, title: &str, text: &str, confirm: Option<&str>) -> Response {
    let button = confirm.map_or(String::new(), |token| {
        format!(
            "<form method=\"post\" action=\"confirm\"><input type=\"hidden\" name=\"link\" value=\"{}\">\
             <button type=\"submit\">Confirm my address</button></form>",
            escape(token)
        )
    });
    let html = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <main><h1>{title}</h1><p>{text}</p>{button}</main></html>",
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
