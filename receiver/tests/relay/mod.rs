//! The relay against loopback stand-ins for a CRM that fail on purpose (5xx, a connection reset, 429 with
//! `Retry-After`, a slow answer, a refusal): every record arrives, none is taken twice, each person's records
//! arrive in the order they were received, and what is refused for good is kept with why.

use super::receipts::{first_receipt, notice, now, withdrawing_newsletter, Made, DEMO_NOTICE};
use super::{relaying_receiver, send, submit, READ_TOKEN};
use axum::body::Body;
use axum::http::Request;
use consent_capture::destination::shipped;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::notice::signature::notice_hash;
use consent_capture_receiver::relay_target::{Crm, Described, RelayTarget};
use consent_capture_receiver::state::Receiver;
use consent_capture_receiver::store::ERASED_OUTCOME;
use serde_json::Value as Json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the stand-in does with one request.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Behaviour {
    Answer(u16),
    /// 429 with `Retry-After: 1`.
    RateLimited,
    /// Closes the connection without answering.
    Reset,
    /// Answers 200 after two seconds.
    Slow,
}

/// A request the stand-in read, and how it answered (`None`: it did not).
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub(crate) key: String,
    /// The request line's path.
    pub(crate) path: String,
    /// The `Authorization` header, lowercased as the head is read.
    authorization: String,
    pub(crate) content_type: String,
    /// The request line and headers, lowercased.
    pub(crate) head: String,
    pub(crate) body: String,
    answered: Option<u16>,
}

impl Seen {
    /// The value of the header `name` (lowercase), lowercased.
    pub(crate) fn header(&self, name: &str) -> &str {
        self.head
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
            .unwrap_or_default()
            .trim()
    }

    /// The request line's method, lowercased.
    pub(crate) fn method(&self) -> &str {
        self.head.split(' ').next().unwrap_or_default()
    }
}

/// A loopback CRM that behaves, request by request, as `script` says; stopped when dropped.
pub(crate) struct StandIn {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl StandIn {
    pub(crate) async fn start(script: fn(usize) -> Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let url = format!("http://{}/crm", listener.local_addr().expect("an address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, log.clone(), script));
            }
        });
        Self { url, seen, task }
    }

    /// The requests it answered with a 2xx, in order.
    pub(crate) fn taken(&self) -> Vec<Seen> {
        let seen = self.seen.lock().expect("the log");
        seen.iter()
            .filter(|s| s.answered.is_some_and(|code| (200..300).contains(&code)))
            .cloned()
            .collect()
    }

    pub(crate) fn tries(&self) -> usize {
        self.seen.lock().expect("the log").len()
    }
}

async fn serve(mut stream: TcpStream, seen: Arc<Mutex<Vec<Seen>>>, script: fn(usize) -> Behaviour) {
    let mut buffer = Vec::new();
    loop {
        let Some(end) = read_until_headers(&mut stream, &mut buffer).await else {
            return;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_lowercase();
        let header = |name: &str| {
            head.lines()
                .find_map(|line| line.strip_prefix(&format!("{name}: ")))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let length: usize = header("content-length").parse().unwrap_or(0);
        while buffer.len() < end + length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body = String::from_utf8_lossy(&buffer[end..end + length]).into_owned();
        let (key, content_type) = (header("idempotency-key"), header("content-type"));
        let path = head.split(' ').nth(1).unwrap_or_default().to_owned();
        let authorization = header("authorization");
        buffer.drain(..end + length);
        let behaviour = {
            let mut seen = seen.lock().expect("the log");
            let behaviour = script(seen.len());
            let answered = match behaviour {
                Behaviour::Answer(code) => Some(code),
                Behaviour::RateLimited => Some(429),
                Behaviour::Reset => None,
                Behaviour::Slow => Some(200),
            };
            seen.push(Seen {
                key,
                path,
                authorization,
                content_type,
                head: head.clone(),
                body,
                answered,
            });
            behaviour
        };
        let (code, extra) = match behaviour {
            Behaviour::Reset => return,
            Behaviour::Slow => {
                tokio::time::sleep(Duration::from_secs(2)).await;
                (200, "")
            }
            Behaviour::RateLimited => (429, "retry-after: 1\r\n"),
            Behaviour::Answer(code) => (code, ""),
        };
        let answer = format!("HTTP/1.1 {code} Stand-in\r\n{extra}content-length: 2\r\n\r\n{{}}");
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads until the end of a request's headers; returns where its body starts.
async fn read_until_headers(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<usize> {
    loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(at + 4);
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// A CRM that answers its first request 503, and every later one 200.
fn down_at_first(n: usize) -> Behaviour {
    if n == 0 {
        Behaviour::Answer(503)
    } else {
        Behaviour::Answer(200)
    }
}

/// The relay sending to `stand_in` as the shipped description `name` says, read against the demo notice.
pub(crate) fn described(name: &str, stand_in: &StandIn) -> RelayTarget {
    described_with(name, stand_in, Vec::new())
}

/// [`described`], with the secrets its requests name; its withdrawals and erasures go to the stand-in too
/// (`--relay-api`).
pub(crate) fn described_with(name: &str, stand_in: &StandIn, secrets: Vec<(String, String)>) -> RelayTarget {
    let notice = notice();
    let hash = notice_hash(&notice);
    let description = shipped(name).expect("a shipped description");
    let notices = [(&notice, hash.as_str(), "the demo notice")];
    let described = Described::read(
        name,
        description,
        &notices,
        Some(&stand_in.url),
        Some(stand_in.url.trim_end_matches("/crm")),
        secrets,
    )
    .expect("the demo notice configures it");
    target(Crm::Described(described), stand_in)
}

pub(crate) fn target(crm: Crm, stand_in: &StandIn) -> RelayTarget {
    RelayTarget {
        crm,
        url: stand_in.url.clone(),
        per_second: 50,
    }
}

/// The relay's record rows in `state`, through the read API.
pub(crate) async fn relay_rows(receiver: &Arc<Receiver>, state: &str) -> Vec<Json> {
    relay_answer(receiver, state).await["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The relay's erasures in `state`, through the read API.
pub(crate) async fn erasure_rows(receiver: &Arc<Receiver>, state: &str) -> Vec<Json> {
    relay_answer(receiver, state).await["erasures"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn relay_answer(receiver: &Arc<Receiver>, state: &str) -> Json {
    let request = Request::get(format!("/relay?state={state}"))
        .header("authorization", format!("Bearer {READ_TOKEN}"))
        .body(Body::empty())
        .expect("a request");
    let answer = send(receiver, request).await;
    let text = consent_capture::json::canonical::to_canonical_string(&answer.json);
    serde_json::from_str(&text).expect("JSON")
}

/// Waits until nothing waits, records or erasures, for at most a minute.
pub(crate) async fn settled(receiver: &Arc<Receiver>) {
    for _ in 0..600 {
        if relay_rows(receiver, "waiting").await.is_empty()
            && erasure_rows(receiver, "waiting").await.is_empty()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the relay did not finish within a minute");
}

pub(crate) fn body(seen: &Seen) -> Json {
    serde_json::from_str(&seen.body).expect("a JSON body")
}

pub(crate) async fn the_relay_delivers_each_record_once_and_in_order_through_failures(database: String) {
    fn script(n: usize) -> Behaviour {
        match n {
            0 => Behaviour::Answer(503),
            1 => Behaviour::Reset,
            2 => Behaviour::RateLimited,
            3 => Behaviour::Slow,
            n if n % 4 == 0 => Behaviour::Answer(500),
            _ => Behaviour::Answer(200),
        }
    }
    let stand_in = StandIn::start(script).await;
    let receiver = relaying_receiver(&database, target(Crm::Webhook, &stand_in)).await;
    let mut sent: Vec<(String, Made)> = Vec::new();
    for person in 0..4u8 {
        let device = PrivateKey::ed25519_from_seed([90 + person; 32]);
        let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
        let first = first_receipt(&device, true, now() - 100, 900 + u64::from(person) * 2);
        assert_eq!(submit(&receiver, &first).await.status, 200);
        sent.push((principal.clone(), first.clone()));
        if person % 2 == 0 {
            let withdrawal = withdrawing_newsletter(&device, &first, now() - 50, 901 + u64::from(person) * 2);
            assert_eq!(submit(&receiver, &withdrawal).await.status, 200);
            sent.push((principal, withdrawal));
        }
    }
    settled(&receiver).await;

    let taken = stand_in.taken();
    let mut keys: Vec<&str> = taken.iter().map(|s| s.key.as_str()).collect();
    keys.sort_unstable();
    let mut expected: Vec<&str> = sent.iter().map(|(_, made)| made.receipt_id.as_str()).collect();
    expected.sort_unstable();
    assert_eq!(keys, expected, "each record taken exactly once");
    assert!(stand_in.tries() > taken.len(), "the failures were tried again");
    for (principal, _) in &sent {
        let theirs: Vec<&str> = sent
            .iter()
            .filter(|(p, _)| p == principal)
            .map(|(_, made)| made.receipt_id.as_str())
            .collect();
        let arrived: Vec<&str> = taken
            .iter()
            .filter(|s| body(s)["principal"] == principal.as_str())
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(arrived, theirs, "a person's records in the order received");
    }
    for seen in &taken {
        let event = body(seen);
        assert_eq!(seen.content_type, "application/json");
        match event["event"].as_str() {
            Some("consent") => assert_eq!(event["fields"]["email"], "ada@example.com"),
            Some("withdrawal") => {
                assert_eq!(event["withdrawn"], serde_json::json!(["newsletter"]));
                assert!(event.get("fields").is_none(), "a withdrawal carries no data");
            }
            other => panic!("an unknown event {other:?}"),
        }
        assert!(event["acknowledgement"].is_string());
    }
    assert_eq!(relay_rows(&receiver, "delivered").await.len(), sent.len());

    // A receiver started again on the same database sends nothing again.
    drop(receiver);
    let again = relaying_receiver(&database, target(Crm::Webhook, &stand_in)).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(stand_in.taken().len(), sent.len());
    drop(again);
}

pub(crate) async fn hubspot_gets_consent_options_and_what_is_refused_is_kept_with_why(database: String) {
    fn script(n: usize) -> Behaviour {
        // The second request HubSpot refuses (as it does a field its form lacks).
        if n == 1 {
            Behaviour::Answer(400)
        } else {
            Behaviour::Answer(204)
        }
    }
    let stand_in = StandIn::start(script).await;
    let receiver = relaying_receiver(&database, described("hubspot", &stand_in)).await;
    let device = PrivateKey::ed25519_from_seed([95; 32]);
    let issued_at = now() - 100;
    let first = first_receipt(&device, true, issued_at, 950);
    let withdrawal = withdrawing_newsletter(&device, &first, now() - 50, 951);
    let other = first_receipt(&PrivateKey::ed25519_from_seed([96; 32]), false, now() - 40, 952);
    // Accepted by the receiver (its limit is 31 days), too old for HubSpot (a month).
    let old = first_receipt(
        &PrivateKey::ed25519_from_seed([97; 32]),
        true,
        now() - 30 * 86_400 - 3_600,
        953,
    );
    // The consent is relayed before its withdrawal arrives (one withdrawn before is relayed refused: see
    // a_consent_taken_back_before_it_was_relayed_…).
    assert_eq!(submit(&receiver, &first).await.status, 200);
    settled(&receiver).await;
    for made in [&withdrawal, &other, &old] {
        assert_eq!(submit(&receiver, made).await.status, 200);
    }
    settled(&receiver).await;

    let taken = stand_in.taken();
    assert_eq!(
        taken.len(),
        1,
        "the refused one is not taken; the withdrawal and the old one never sent"
    );
    assert_eq!(stand_in.tries(), 2);
    assert_eq!(taken[0].path, "/crm", "where the URL given says");
    assert_eq!(taken[0].content_type, "application/json");
    let given = body(&taken[0]);
    assert_eq!(taken[0].key, first.receipt_id);
    let consent = &given["legalConsentOptions"]["consent"];
    assert_eq!(consent["communications"][0]["value"], true);
    assert_eq!(consent["communications"][0]["subscriptionTypeId"], 12_345_678);
    assert_eq!(consent["consentToProcess"], true);
    assert!(consent["text"]
        .as_str()
        .is_some_and(|t| t.contains(&first.receipt_id)));
    assert_eq!(given["submittedAt"], (issued_at * 1000).to_string().as_str());
    let fields: Vec<&str> = given["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(
        fields.contains(&"email") && fields.contains(&"firstname"),
        "{fields:?}"
    );

    let refused = relay_rows(&receiver, "refused").await;
    let why = |id: &str| {
        refused
            .iter()
            .find(|row| row["receiptId"] == id)
            .and_then(|row| row["outcome"].as_str())
            .map(str::to_owned)
            .unwrap_or_default()
    };
    assert!(why(&other.receipt_id).starts_with("HTTP 400"), "{refused:?}");
    assert!(why(&old.receipt_id).contains("month"), "{refused:?}");
    // HubSpot's Forms API finds a contact by its fields, and a withdrawal carries none: what to do instead.
    assert!(
        why(&withdrawal.receipt_id).contains("unsubscribe the contact in HubSpot"),
        "{refused:?}"
    );

    // The CRM's answer may quote the data: erasing the person erases it too.
    let person = format!(
        "jwk-thumbprint:{}",
        PrivateKey::ed25519_from_seed([96; 32]).public().thumbprint()
    );
    let request = Request::post(format!("/records/{person}/erase"))
        .header("authorization", format!("Bearer {READ_TOKEN}"))
        .body(Body::empty())
        .expect("a request");
    assert_eq!(send(&receiver, request).await.status, 200);
    let refused = relay_rows(&receiver, "refused").await;
    let outcome = refused
        .iter()
        .find(|row| row["receiptId"] == other.receipt_id.as_str());
    assert_eq!(
        outcome.map(|row| row["outcome"].clone()),
        Some(Json::from(ERASED_OUTCOME))
    );
    // HubSpot's Forms API cannot delete: the erasure is refused here, visibly, for someone to act on.
    settled(&receiver).await;
    let erasures = erasure_rows(&receiver, "refused").await;
    assert_eq!(erasures.len(), 1, "{erasures:?}");
    assert_eq!(erasures[0]["principal"], person.as_str());
    assert!(
        erasures[0]["outcome"]
            .as_str()
            .is_some_and(|why| why.contains("GDPR delete")),
        "{erasures:?}"
    );
    assert_eq!(stand_in.tries(), 2, "nothing was sent for it");
}

pub(crate) async fn an_erasure_reaches_the_crm_after_the_persons_records(database: String) {
    let stand_in = StandIn::start(|_| Behaviour::Answer(200)).await;
    let receiver = relaying_receiver(&database, target(Crm::Webhook, &stand_in)).await;
    let device = PrivateKey::ed25519_from_seed([135; 32]);
    let person = format!("jwk-thumbprint:{}", device.public().thumbprint());
    let first = first_receipt(&device, true, now() - 100, 1350);
    assert_eq!(submit(&receiver, &first).await.status, 200);
    settled(&receiver).await;
    let request = Request::post(format!("/records/{person}/erase"))
        .header("authorization", format!("Bearer {READ_TOKEN}"))
        .body(Body::empty())
        .expect("a request");
    assert_eq!(send(&receiver, request).await.status, 200);
    settled(&receiver).await;

    let taken = stand_in.taken();
    assert_eq!(
        taken.len(),
        2,
        "the record (if not erased first), then the erasure"
    );
    let erasure = body(&taken[1]);
    assert_eq!(erasure["event"], "erasure");
    assert_eq!(erasure["principal"], person.as_str());
    assert_eq!(erasure["requestedBy"], "controller");
    assert!(taken[1].key.starts_with("erasure:"), "{}", taken[1].key);
    assert!(erasure.get("fields").is_none(), "an erasure carries no data");
    assert_eq!(erasure_rows(&receiver, "delivered").await.len(), 1);
}

pub(crate) async fn hubspot_deletes_an_erased_contact_by_address_and_the_erasure_keeps_no_address(
    database: String,
) {
    fn script(n: usize) -> Behaviour {
        // The second person's GDPR delete is refused.
        if n == 3 {
            Behaviour::Answer(400)
        } else {
            Behaviour::Answer(204)
        }
    }
    let stand_in = StandIn::start(script).await;
    let relay = described_with(
        "hubspot",
        &stand_in,
        vec![("token".into(), "pat-na1-stand-in".into())],
    );
    let receiver = relaying_receiver(&database, relay).await;
    let people: Vec<(String, Made)> = [(140u8, 1400u64), (141, 1410)]
        .into_iter()
        .map(|(seed, id)| {
            let device = PrivateKey::ed25519_from_seed([seed; 32]);
            let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
            (principal, first_receipt(&device, true, now() - 100, id))
        })
        .collect();
    for (_, made) in &people {
        assert_eq!(submit(&receiver, made).await.status, 200);
    }
    settled(&receiver).await;
    let contacts_kept = || async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&database).await.expect("the database");
        let kept: Vec<Option<String>> = sqlx::query_scalar("SELECT crm_contacts FROM relay_erasures")
            .fetch_all(&pool)
            .await
            .expect("a query");
        pool.close().await;
        kept
    };
    // The first through the read API, the second with the command line given the receiver's notice.
    let request = Request::post(format!("/records/{}/erase", people[0].0))
        .header("authorization", format!("Bearer {READ_TOKEN}"))
        .body(Body::empty())
        .expect("a request");
    assert_eq!(send(&receiver, request).await.status, 200);
    settled(&receiver).await;
    let erased = std::process::Command::new(env!("CARGO_BIN_EXE_consent-capture-receiver"))
        .args([
            "records",
            "erase",
            &people[1].0,
            "--notice",
            DEMO_NOTICE,
            "--relay",
            &format!("hubspot={}", stand_in.url),
            "--database",
            &database,
        ])
        .output()
        .expect("the command runs");
    assert!(
        erased.status.success(),
        "{}",
        String::from_utf8_lossy(&erased.stderr)
    );
    settled(&receiver).await;

    let seen = stand_in.seen.lock().expect("the log").clone();
    assert_eq!(
        seen.len(),
        4,
        "two submissions, then one GDPR delete each: {seen:?}"
    );
    for delete in &seen[2..] {
        assert_eq!(delete.path, "/crm/v3/objects/contacts/gdpr-delete");
        assert_eq!(delete.authorization, "bearer pat-na1-stand-in");
        assert_eq!(delete.content_type, "application/json");
        assert_eq!(
            body(delete),
            serde_json::json!({"idProperty": "email", "objectId": "ada@example.com"})
        );
    }
    for submission in &seen[..2] {
        assert_eq!(submission.authorization, "", "the Forms API takes no token");
    }
    let delivered = erasure_rows(&receiver, "delivered").await;
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    assert_eq!(delivered[0]["principal"], people[0].0.as_str());
    let refused = erasure_rows(&receiver, "refused").await;
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["principal"], people[1].0.as_str());
    assert_eq!(
        refused[0]["outcome"], "HTTP 400",
        "the status only: HubSpot's answer may quote the address"
    );
    assert_eq!(
        contacts_kept().await,
        [None, None],
        "an erasure that ended keeps no address"
    );
}

pub(crate) async fn a_consent_taken_back_before_it_was_relayed_reaches_the_crm_without_what_it_justified(
    database: String,
) {
    // Down at first: the consent waits in the queue while the withdrawal arrives.
    let stand_in = StandIn::start(down_at_first).await;
    let receiver = relaying_receiver(&database, target(Crm::Webhook, &stand_in)).await;
    let device = PrivateKey::ed25519_from_seed([130; 32]);
    let first = first_receipt(&device, true, now() - 100, 1300);
    assert_eq!(submit(&receiver, &first).await.status, 200);
    let withdrawal = withdrawing_newsletter(&device, &first, now() - 50, 1301);
    assert_eq!(submit(&receiver, &withdrawal).await.status, 200);
    // Another person withdrew first; the grant they made earlier arrives after it.
    let other = PrivateKey::ed25519_from_seed([131; 32]);
    let old_grant = first_receipt(&other, true, now() - 200, 1302);
    let their_withdrawal = withdrawing_newsletter(&other, &old_grant, now() - 150, 1303);
    assert_eq!(submit(&receiver, &their_withdrawal).await.status, 200);
    assert_eq!(submit(&receiver, &old_grant).await.status, 200);
    settled(&receiver).await;

    let taken = stand_in.taken();
    assert_eq!(taken.len(), 4, "every record, once");
    for consent in [&first, &old_grant] {
        let seen = taken
            .iter()
            .find(|s| s.key == consent.receipt_id)
            .expect("relayed");
        let event = body(seen);
        assert_eq!(event["event"], "consent");
        assert_eq!(
            event["decisions"]["newsletter"], "denied",
            "taken back before it was relayed"
        );
        assert_eq!(
            event["fields"]["email"], "ada@example.com",
            "the enquiry still justifies it"
        );
        assert!(
            event["fields"].get("company").is_none(),
            "only the newsletter justified it: {event}"
        );
    }
}

pub(crate) async fn a_record_the_crm_never_answers_is_given_up_after_30_days_and_holds_nobody_back(
    database: String,
) {
    // The first record never gets an answer while it is tried; the next one does.
    let stand_in = StandIn::start(down_at_first).await;
    let receiver = relaying_receiver(&database, target(Crm::Webhook, &stand_in)).await;
    let device = PrivateKey::ed25519_from_seed([132; 32]);
    let first = first_receipt(&device, true, now() - 100, 1320);
    assert_eq!(submit(&receiver, &first).await.status, 200);
    for _ in 0..100 {
        if stand_in.tries() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // 31 days on (the receipt was received then, as far as the relay can tell).
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&database).await.expect("the database");
    sqlx::query("UPDATE records SET received_at = received_at - 31 * 86400 WHERE position = 0")
        .execute(&pool)
        .await
        .expect("an update");
    pool.close().await;
    let later = withdrawing_newsletter(&device, &first, now() - 50, 1321);
    assert_eq!(submit(&receiver, &later).await.status, 200);
    settled(&receiver).await;

    let refused = relay_rows(&receiver, "refused").await;
    let outcome = refused
        .iter()
        .find(|row| row["receiptId"] == first.receipt_id.as_str())
        .and_then(|row| row["outcome"].as_str())
        .unwrap_or_default();
    assert!(outcome.contains("no answer for 30 days"), "{refused:?}");
    assert!(outcome.contains("HTTP 503"), "the last try's answer: {outcome}");
    let taken = stand_in.taken();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].key, later.receipt_id, "the person's next record went");
}

pub(crate) async fn a_record_refused_for_good_is_sent_again_after_the_crm_is_fixed(database: String) {
    // The CRM refuses the first request (a wrong form id, say), and takes what follows once it is fixed.
    fn script(n: usize) -> Behaviour {
        if n == 0 {
            Behaviour::Answer(400)
        } else {
            Behaviour::Answer(200)
        }
    }
    let stand_in = StandIn::start(script).await;
    let receiver = relaying_receiver(&database, target(Crm::Webhook, &stand_in)).await;
    let device = PrivateKey::ed25519_from_seed([160; 32]);
    let made = first_receipt(&device, true, now() - 30, 1650);
    assert_eq!(submit(&receiver, &made).await.status, 200);
    settled(&receiver).await;
    assert_eq!(relay_rows(&receiver, "refused").await.len(), 1);
    assert!(stand_in.taken().is_empty());

    // The controller fixes the CRM's side and sends again, from the command line, while the receiver runs.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_consent-capture-receiver"))
        .args(["records", "relay", "--retry", "all", "--database", &database])
        .output()
        .expect("the command runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("\"retried\": 1"), "{stdout}");
    for _ in 0..200 {
        if !stand_in.taken().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let taken = stand_in.taken();
    assert_eq!(taken.len(), 1, "sent again, once");
    assert_eq!(taken[0].key, made.receipt_id);
    settled(&receiver).await;
    assert!(relay_rows(&receiver, "refused").await.is_empty());
    assert_eq!(relay_rows(&receiver, "delivered").await.len(), 1);
}
