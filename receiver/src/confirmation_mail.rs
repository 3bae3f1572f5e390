//! The mailer: a task that mails each confirmation link ([`crate::confirmation`]) to the address that arrived
//! with the record that asked for it, through the controller's SMTP server (`lettre`). The address is read
//! from the record's payload when the mail is sent and never stored anywhere else; a payload erased first
//! means no mail. A server that cannot be reached or answers with a temporary failure is tried again after a
//! backoff that doubles up to an hour, until the link expires; a permanent refusal (an address the server
//! will not take) ends it, kept with the reason (never the address) in `confirmation_links.outcome`.

use crate::config::{ConfirmationMail, KnownNotice};
use crate::confirmation::Link;
use crate::confirmation_texts::ConfirmationTexts;
use crate::state::Receiver;
use crate::utc::{iso8601, now};
use consent_capture::json::parse;
use consent_capture::minimise::normalise;
use consent_capture::receipt::check::inspect;
use consent_capture::receipt::salted_email_id;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::Notify;

/// Links read a time.
const DUE_A_TIME: i64 = 16;
/// The longest wait between tries.
const LONGEST_BACKOFF: i64 = 3_600;

/// How mailing one link ended.
enum Mailed {
    Sent,
    Later(String),
    Never(String),
}

/// Runs until the receiver is dropped; `wake` is notified when links were made.
pub(crate) async fn run(receiver: Weak<Receiver>, wake: Arc<Notify>, mail: ConfirmationMail) {
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.smtp_url) {
        Ok(builder) => builder.timeout(Some(Duration::from_secs(30))).build(),
        Err(error) => {
            tracing::error!(%error, "the mailer cannot start: no confirmation link is mailed");
            return;
        }
    };
    loop {
        let Some(strong) = receiver.upgrade() else {
            return;
        };
        match strong.store().links_due(now(), DUE_A_TIME).await {
            Ok(due) if !due.is_empty() => {
                for (link, attempts) in due {
                    let mailed = mail_one(&strong, &transport, &mail, &link).await;
                    let now = now();
                    let (state, next, outcome) = match mailed {
                        Mailed::Sent => ("mailed", now, format!("mailed at {}", iso8601(now))),
                        Mailed::Never(why) => ("refused", now, why),
                        Mailed::Later(why) if now >= link.expires_at => (
                            "refused",
                            now,
                            format!("expired before it could be mailed: {why}"),
                        ),
                        Mailed::Later(why) => {
                            let backoff = (30_i64 << attempts.clamp(0, 20)).min(LONGEST_BACKOFF);
                            tracing::warn!(cause = %why, "mailer: a confirmation link waits");
                            ("waiting", now + backoff, why)
                        }
                    };
                    if let Err(error) = strong
                        .store()
                        .link_tried(&link.link_id, state, next, &outcome)
                        .await
                    {
                        tracing::warn!(%error, "mailer: the database failed");
                    }
                }
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "mailer: the database failed"),
        }
        drop(strong);
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

async fn mail_one(
    receiver: &Receiver,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    mail: &ConfirmationMail,
    link: &Link,
) -> Mailed {
    let body = match receiver.store().payload_at(link.position).await {
        Ok(Some(body)) => body,
        Ok(None) => return Mailed::Never("the payload was erased before the link was mailed".into()),
        Err(error) => return Mailed::Later(format!("the database failed: {error}")),
    };
    let Some((address, controller)) = address_in(&body, &link.principal_id, &receiver.config().notices)
    else {
        return Mailed::Never("no address in the payload hashes to the person's id".into());
    };
    let Ok(to) = address.parse::<Mailbox>() else {
        return Mailed::Never("the address is not one SMTP can send to".into());
    };
    let Ok(from) = mail.from.parse::<Mailbox>() else {
        return Mailed::Never("--mail-from is not an address".into());
    };
    // In the language the person saw the form in (the receipt's), the page the link opens too.
    let texts = ConfirmationTexts::of(&language_in(&body).unwrap_or_default());
    let url = link.url(receiver.key(), &mail.public_url, texts.language);
    let (subject, text) = texts.message(&controller, &iso8601(link.expires_at), &url);
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(text);
    let message = match message {
        Ok(message) => message,
        Err(error) => return Mailed::Never(format!("the message cannot be made: {error}")),
    };
    match transport.send(message).await {
        Ok(_) => Mailed::Sent,
        Err(error) if error.is_permanent() => {
            Mailed::Never(format!("the SMTP server refused it for good: {}", cause(&error)))
        }
        Err(error) => Mailed::Later(format!("the SMTP server: {}", cause(&error))),
    }
}

/// An SMTP error's kind and code, without the server's text (which may quote the address).
fn cause(error: &lettre::transport::smtp::Error) -> String {
    match error.status() {
        Some(code) => format!("SMTP {code}"),
        None if error.is_timeout() => "no answer in time".into(),
        None => "cannot connect or the connection failed".into(),
    }
}

/// The language of the receipt in `body` (a stored submission): the form's, as the person saw it.
fn language_in(body: &str) -> Option<String> {
    let value = parse(body).ok()?;
    let receipt = value.as_object()?.get("receipt")?.as_str()?;
    let (_, claims) = inspect(receipt).ok()?;
    Some(claims.as_object()?.get("language")?.as_str()?.to_owned())
}

/// The address in `body` (a stored submission) whose salted hash is `principal_id`, under the notice that
/// names people so, and that notice's controller.
fn address_in(body: &str, principal_id: &str, notices: &[KnownNotice]) -> Option<(String, String)> {
    let value = parse(body).ok()?;
    let fields = value.as_object()?.get("fields")?.as_object()?;
    notices.iter().find_map(|known| {
        let principal = known.notice.principal.as_ref()?;
        let address = normalise::email(fields.get(&principal.field)?.as_str()?);
        (salted_email_id(principal, &address) == principal_id)
            .then(|| (address, known.notice.controller.name.clone()))
    })
}
