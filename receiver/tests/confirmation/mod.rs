//! Double opt-in (issue 26) end to end, through a real SMTP server: aiosmtpd from PyPI (`tools/setup.sh`
//! installs it), started on a free loopback port with its `Mailbox` handler writing each message it receives
//! to a Maildir, and stopped when the test ends. Nothing in the receiver is replaced: it mails through lettre
//! as it would in production.

use super::audit::tamper;
use super::databases::Scratch;
use super::receipts::{controller, demo_config, now, ADA, DEMO_NOTICE};
use super::records::{json, read};
use super::relay::{body, relay_rows, target, Behaviour, StandIn};
use super::truth::{as_person, as_person_in};
use super::{acknowledged, send, submit, READ_TOKEN};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use consent_capture::jose::jws::parse_compact;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::{parse, Value};
use consent_capture::receipt::salted_email_id;
use consent_capture::{Decisions, Notice};
use consent_capture_receiver::audit::audit_database;
use consent_capture_receiver::config::{Config, ConfirmationMail, KnownNotice};
use consent_capture_receiver::confirmation::Link;
use consent_capture_receiver::relay_target::Crm;
use consent_capture_receiver::state::Receiver;
use serde_json::Value as Json;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PUBLIC_URL: &str = "https://receiver.example";

/// An SMTP server of its own on loopback, killed when dropped.
struct SmtpSink {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl SmtpSink {
    fn start(scratch: &Scratch) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let maildir = PathBuf::from(scratch.file("mail-placeholder", "")).with_file_name("maildir");
        let mut child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs (tools/setup.sh installs aiosmtpd)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut pipe) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
                }
                panic!("aiosmtpd stopped ({status}): {stderr} (tools/setup.sh test installs it)");
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, port, maildir }
    }

    /// The messages received so far, oldest first.
    fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|(_, path)| std::fs::read_to_string(path).ok())
            .collect()
    }

    /// Waits for the `count`th message and returns it.
    async fn message(&self, count: usize) -> String {
        let started = Instant::now();
        loop {
            if let Some(message) = self.messages().into_iter().nth(count - 1) {
                return message;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "message {count} never arrived"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A message with its quoted-printable soft line breaks and `=` undone (enough for its ASCII text and links).
fn decoded(message: &str) -> String {
    if message.contains("Content-Transfer-Encoding: quoted-printable") {
        message
            .replace("=\r\n", "")
            .replace("=\n", "")
            .replace("=3D", "=")
    } else {
        message.to_owned()
    }
}

/// The confirmation link in a message.
fn link_in(message: &str) -> String {
    let body = decoded(message);
    let start = body
        .find(&format!("{PUBLIC_URL}/confirm?link="))
        .expect("a confirmation link");
    body[start..]
        .split_whitespace()
        .next()
        .expect("the link")
        .to_owned()
}

/// The link's id, from the JWS it carries.
fn link_id_of(url: &str) -> String {
    let query = url.split_once("link=").expect("a token").1;
    let token = query.split('&').next().expect("a token");
    let compact = parse_compact(token).expect("a JWS");
    let payload = parse(std::str::from_utf8(&compact.payload).expect("UTF-8")).expect("JSON");
    payload
        .as_object()
        .and_then(|p| p.get("link"))
        .and_then(Value::as_str)
        .expect("an id")
        .to_owned()
}

async fn follow(receiver: &Arc<Receiver>, url: &str) -> super::Answer {
    let path = url.strip_prefix(PUBLIC_URL).expect("this receiver's link");
    let request = Request::get(path).body(Body::empty()).expect("a request");
    send(receiver, request).await
}

async fn confirm(receiver: &Arc<Receiver>, url: &str) -> super::Answer {
    let token = url.split_once("link=").expect("a token").1;
    let request = Request::post("/confirm")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("link={token}")))
        .expect("a request");
    send(receiver, request).await
}

fn html(answer: &super::Answer) -> &str {
    answer.json.as_str().expect("an HTML page")
}

pub(crate) async fn double_opt_in_counts_a_grant_only_once_the_address_is_confirmed_by_a_mailed_link(
    database: String,
) {
    let scratch = Scratch::new("double-opt-in");
    let smtp = SmtpSink::start(&scratch);
    let text = std::fs::read_to_string(DEMO_NOTICE)
        .expect("the demo notice")
        .replacen(
            r#""languages": ["en", "de", "ar"]"#,
            r#""languages": ["en", "de", "ar"], "principal": { "emailField": "email", "salt": "a-salt-of-sixteen-chars" }"#,
            1,
        )
        .replacen(r#""id": "newsletter","#, r#""id": "newsletter", "confirmedAddress": true,"#, 1);
    let notice = Notice::from_json(&text).expect("valid");
    let path = scratch.file("double-opt-in.json", &text);
    let known = KnownNotice::load(std::path::Path::new(&path), &controller().public()).expect("loads");
    let crm = StandIn::start(|_| Behaviour::Answer(200)).await;
    let config = Config {
        notices: vec![known],
        read_token: Some(READ_TOKEN.into()),
        relay: Some(target(Crm::Webhook, &crm)),
        confirmation: Some(ConfirmationMail {
            smtp_url: format!("smtp://127.0.0.1:{}", smtp.port),
            from: "Example Ltd <consent@site.example>".into(),
            public_url: PUBLIC_URL.into(),
            within: 3_600,
        }),
        ..demo_config(&database)
    };
    let receiver = Receiver::open(config).await.expect("the database opens");
    let ada = salted_email_id(notice.principal.as_ref().expect("by e-mail"), "ada@example.com");
    let may_use = |receiver: Arc<Receiver>| {
        let path = format!("/records/{ada}/may-use?purpose=newsletter");
        async move { json(&read(&receiver, "GET", &path, Some(READ_TOKEN)).await) }
    };
    let head_size = |receiver: Arc<Receiver>| async move {
        let head = super::log_head(&receiver).await;
        super::at(&head, &["size"]).as_i64().expect("a size")
    };

    // Ada grants the newsletter: stored, acknowledged, and not yet usable.
    let own = PrivateKey::ed25519_from_seed([120; 32]);
    let mut granted = Decisions::initial(&notice);
    granted.set("newsletter", true).expect("consent");
    let hers = as_person(&notice, &own, granted.clone(), ADA, None, None, 1200);
    acknowledged(&submit(&receiver, &hers).await);
    let answer = may_use(receiver.clone()).await;
    assert_eq!(
        (answer["answer"].clone(), answer["mayUse"].clone()),
        (serde_json::json!("unconfirmed"), serde_json::json!(false)),
        "{answer}"
    );
    assert_eq!(
        answer["awaitingConfirmation"]["receiptId"],
        hers.receipt_id.as_str()
    );

    // A message with a link reaches her address through the SMTP server.
    let message = smtp.message(1).await;
    assert!(message.contains("ada@example.com"), "{message}");
    assert!(
        message.contains("Subject: Confirm your e-mail address"),
        "{message}"
    );
    let her_link = link_in(&message);

    // A stranger types her address on another device: a second message, never a usable grant.
    let stranger = PrivateKey::ed25519_from_seed([121; 32]);
    // Their form was in German: so are the message and the page its link opens.
    let forged = as_person_in("de", &notice, &stranger, granted.clone(), ADA, 1201);
    acknowledged(&submit(&receiver, &forged).await);
    let strangers_message = smtp.message(2).await;
    assert!(
        decoded(&strangers_message).contains("Jemand, hoffentlich Sie, hat diese Adresse bei"),
        "{strangers_message}"
    );
    let strangers_link = link_in(&strangers_message);
    assert!(strangers_link.ends_with("&lang=de"), "{strangers_link}");
    assert_ne!(strangers_link, her_link);
    let offered = follow(&receiver, &strangers_link).await;
    assert!(
        html(&offered).contains("<html lang=\"de\" dir=\"ltr\">"),
        "{}",
        html(&offered)
    );
    assert!(
        html(&offered).contains("Meine Adresse bestätigen"),
        "{}",
        html(&offered)
    );
    assert!(
        html(&offered).contains("name=\"lang\" value=\"de\""),
        "the button keeps the language"
    );

    // The relay holds her record back while her link serves: the CRM hears nothing yet.
    let started = Instant::now();
    while relay_rows(&receiver, "waiting")
        .await
        .iter()
        .all(|row| row["outcome"] == "waiting")
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the relay never looked at it"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let held: Vec<Json> = relay_rows(&receiver, "waiting").await;
    assert!(
        held.iter().any(|row| row["outcome"]
            .as_str()
            .is_some_and(|o| o.contains("not confirmed their address"))),
        "{held:?}"
    );
    assert!(crm.taken().is_empty());

    // Opening the link changes nothing (mail scanners open links); it offers a button.
    let size_before = head_size(receiver.clone()).await;
    let offered = follow(&receiver, &her_link).await;
    assert_eq!(offered.status, StatusCode::OK);
    assert!(
        html(&offered).contains("<form method=\"post\""),
        "{}",
        html(&offered)
    );
    assert_eq!(may_use(receiver.clone()).await["answer"], "unconfirmed");

    // Pressing it confirms: an entry of the log, countersigned, and her grant counts.
    let confirmed = confirm(&receiver, &her_link).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.json);
    assert!(html(&confirmed).contains("Address confirmed"));
    assert_eq!(head_size(receiver.clone()).await, size_before + 1);
    let answer = may_use(receiver.clone()).await;
    assert_eq!(
        (answer["answer"].clone(), answer["mayUse"].clone()),
        (serde_json::json!("yes"), serde_json::json!(true))
    );
    assert_eq!(answer["restsOn"]["receiptId"], hers.receipt_id.as_str());

    // Her record goes to the CRM at once, with the newsletter granted and what it justifies.
    let started = Instant::now();
    while !crm.taken().iter().any(|seen| seen.key == hers.receipt_id) {
        assert!(started.elapsed() < Duration::from_secs(20), "never relayed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seen = crm.taken();
    let event = body(
        seen.iter()
            .find(|seen| seen.key == hers.receipt_id)
            .expect("relayed"),
    );
    assert_eq!(event["decisions"]["newsletter"], "granted", "{event}");
    assert_eq!(event["fields"]["email"], "ada@example.com");
    assert!(
        !seen.iter().any(|seen| seen.key == forged.receipt_id),
        "the stranger's grant is still held back"
    );

    // The link serves once.
    let replayed = confirm(&receiver, &her_link).await;
    assert_eq!(replayed.status, StatusCode::GONE);
    assert!(html(&replayed).contains("confirmed your address already"));
    assert_eq!(head_size(receiver.clone()).await, size_before + 1);

    // An expired link is refused, though the controller's key signed it and its id is held.
    let expired = Link {
        link_id: link_id_of(&strangers_link),
        principal_id: ada.clone(),
        device_thumbprint: stranger.public().thumbprint(),
        position: 0,
        created_at: now() - 7_200,
        expires_at: now() - 3_600,
    }
    .url(&controller(), PUBLIC_URL, "en");
    assert_eq!(confirm(&receiver, &expired).await.status, StatusCode::GONE);
    // A link another key signed is no link at all.
    let forged_link = Link {
        link_id: link_id_of(&strangers_link),
        principal_id: ada.clone(),
        device_thumbprint: stranger.public().thumbprint(),
        position: 0,
        created_at: now(),
        expires_at: now() + 3_600,
    }
    .url(&PrivateKey::ed25519_from_seed([122; 32]), PUBLIC_URL, "en");
    assert_eq!(
        confirm(&receiver, &forged_link).await.status,
        StatusCode::BAD_REQUEST
    );

    // A withdrawal counts from any device that bound her name, confirmed or not: it never makes data usable,
    // and her own withdrawal from a new device must stand.
    let mut withdrawn = granted.clone();
    withdrawn.withdraw("newsletter").expect("granted");
    let strangers_withdrawal = as_person(
        &notice,
        &stranger,
        withdrawn,
        ADA,
        None,
        Some(&forged.receipt),
        1202,
    );
    acknowledged(&submit(&receiver, &strangers_withdrawal).await);
    assert_eq!(may_use(receiver.clone()).await["answer"], "no");

    // The ISO 27560 export carries the confirmation as evidence; the audit covers it.
    let export = json(
        &read(
            &receiver,
            "GET",
            &format!("/records/{ada}/export"),
            Some(READ_TOKEN),
        )
        .await,
    );
    let exported = export.to_string();
    assert!(
        exported.contains("urn:consent-capture:confirmation:"),
        "{exported}"
    );
    let report = audit_database(&database, &controller().public(), Vec::new(), None)
        .await
        .expect("the database reads")
        .expect("the audit passes");
    assert_eq!(report.confirmations, 1);
    drop(receiver);
    let moved = format!(
        "UPDATE confirmations SET device_thumbprint = '{}'",
        stranger.public().thumbprint()
    );
    tamper(&database, &[&moved]).await;
    let finding = audit_database(&database, &controller().public(), Vec::new(), None)
        .await
        .expect("the database reads")
        .expect_err("the edit is found");
    assert!(finding.message.contains("deviceThumbprint"), "{finding}");
}
