//! The whole loop (issue 32): a receiver whose acknowledgements wait for three witnesses on loopback under a
//! 2-of-3 policy. Each acknowledgement carries a tlog-proof that any C2SP verifier checks offline; one witness
//! down or lying changes nothing; two down, the receipts wait, are answered 503 (past the wait when a witness
//! is slow; stored, none lost), and are acknowledged when sent again once one witness returns.

use super::databases::Scratch;
use super::receipts::{demo_config, now};
use super::{first_receipt, send, submit};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use consent_capture::jose::base64;
use consent_capture::jose::sha256::sha256;
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::{parse, Value};
use consent_capture::tlog::note::{COSIGNATURE_V1, ED25519};
use consent_capture::tlog::policy::Policy;
use consent_capture::tlog::proof::Proof;
use consent_capture::tlog::signer::NoteSigner;
use consent_capture_receiver::config::Config;
use consent_capture_receiver::state::Receiver;
use consent_capture_receiver::witness::Witness;
use consent_capture_receiver::witness_server::serve;
use consent_capture_receiver::witness_store::WitnessStore;
use std::time::Duration;
use std::time::Instant;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

fn log_key() -> NoteSigner {
    NoteSigner::from_seed("consent.example/witnessed", ED25519, [21; 32])
}

fn witness_key(n: u8) -> NoteSigner {
    NoteSigner::from_seed(&format!("witness.example/w{n}"), COSIGNATURE_V1, [30 + n; 32])
}

/// A witness served on loopback until stopped.
struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

async fn start(n: u8, port: u16, scratch: &Scratch) -> Running {
    let database = format!("{}-w{n}", scratch.sqlite());
    let store = WitnessStore::open(&database).await.expect("the witness's store");
    let witness = Witness::new(witness_key(n), vec![log_key().verifier().clone()], store);
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("the witness's port");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        serve(witness, listener, async {
            let _ = stopped.await;
        })
        .await
        .expect("serves");
    });
    Running { stop, task }
}

async fn stop(running: Running) {
    let _ = running.stop.send(());
    running.task.await.expect("stopped");
}

/// What answers on a witness's port instead of it: a liar, which answers every request 200 with a cosignature
/// line under the witness's name and key ID that does not verify, or a black hole, which accepts and never
/// answers. Stopped by aborting its task.
fn impostor(port: u16, lying: bool) -> JoinHandle<()> {
    tokio::spawn(async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("the port");
        let mut held = Vec::new();
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            if !lying {
                held.push(stream);
                continue;
            }
            let mut request = vec![0u8; 65_536];
            let _ = stream.read(&mut request).await;
            let mut forged = witness_key(1).verifier().id.to_vec();
            forged.extend_from_slice(&[7u8; 72]);
            let line = format!("— witness.example/w1 {}\n", base64::encode(&forged));
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{line}",
                line.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

fn policy(ports: &[u16]) -> String {
    let mut text = format!("log {}\n", log_key().verifier().to_text());
    for (i, port) in ports.iter().enumerate() {
        let n = i as u8 + 1;
        let vkey = witness_key(n).verifier().to_text();
        text += &format!("witness w{n} {vkey} http://127.0.0.1:{port}\n");
    }
    text + "group two-of-three 2 w1 w2 w3\nquorum two-of-three\n"
}

/// The proof in `answer`, verified under `policy` against the entry it carries, which names `receipt_id`:
/// the record's position. Only the real witnesses' cosignatures count.
fn proven(answer: &Value, policy: &Policy, receipt_id: &str) -> u64 {
    let text = answer
        .as_object()
        .and_then(|answer| answer.get("proof"))
        .and_then(Value::as_str)
        .expect("a proof beside the acknowledgement");
    let proof = Proof::parse(text).expect("a tlog-proof");
    let entry = proof.extra.clone().expect("the entry as extra data");
    let witnessed = proof.verify(&sha256(&entry), policy).expect("verifies offline");
    assert!(witnessed.cosigned.len() >= 2, "{:?}", witnessed.cosigned);
    let named: Vec<&str> = witnessed.cosigned.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        named.iter().all(|name| ["w1", "w2", "w3"].contains(name)),
        "{named:?}"
    );
    let entry = parse(std::str::from_utf8(&entry).expect("UTF-8")).expect("JSON");
    let named = entry
        .as_object()
        .and_then(|entry| entry.get("receiptId"))
        .and_then(Value::as_str);
    assert_eq!(named, Some(receipt_id));
    proof.index
}

#[tokio::test]
async fn acknowledgements_wait_for_two_of_three_witnesses_and_none_is_lost_while_they_are_down() {
    let scratch = Scratch::new("witnessed-log");
    let ports = [free_port(), free_port(), free_port()];
    let policy_text = policy(&ports);
    let policy = Policy::parse(&policy_text).expect("a policy");
    let mut witnesses = vec![
        start(1, ports[0], &scratch).await,
        start(2, ports[1], &scratch).await,
        start(3, ports[2], &scratch).await,
    ];
    let config = Config {
        log_key: Some(log_key()),
        witness_policy: Some(policy.clone()),
        witness_wait: Duration::from_millis(800),
        ..demo_config(&scratch.sqlite())
    };
    let receiver = Receiver::open(config).await.expect("opens");
    let device = PrivateKey::ed25519_from_seed([40; 32]);
    let receipt = |n: u64| first_receipt(&device, n % 2 == 0, now() - 30 + n as i64, 100 + n);

    for n in 0..3 {
        let made = receipt(n);
        let answer = submit(&receiver, &made).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
        assert_eq!(proven(&answer.json, &policy, &made.receipt_id), n);
    }
    let get = || {
        Request::get("/log/checkpoint")
            .body(Body::empty())
            .expect("a request")
    };
    let served = send(&receiver, get()).await;
    let witnessed = policy
        .open(served.json.as_str().expect("a note"))
        .expect("cosigned to the quorum");
    assert_eq!(witnessed.checkpoint.size, 3);

    // One witness down: the other two still make the quorum.
    stop(witnesses.remove(0)).await;
    let made = receipt(3);
    let answer = submit(&receiver, &made).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    assert_eq!(proven(&answer.json, &policy, &made.receipt_id), 3);

    // A liar in its place: its forged cosignature does not count, the other two still do.
    let liar = impostor(ports[0], true);
    let made = receipt(4);
    let answer = submit(&receiver, &made).await;
    assert_eq!(proven(&answer.json, &policy, &made.receipt_id), 4);

    // Two down (one lying): stored, but not acknowledged; sent again while they are, still waiting.
    stop(witnesses.remove(0)).await;
    let waiting = receipt(5);
    let answer = submit(&receiver, &waiting).await;
    assert_eq!(
        answer.rule(),
        (StatusCode::SERVICE_UNAVAILABLE, "witnessing"),
        "{:?}",
        answer.json
    );
    liar.abort();
    let _ = liar.await;

    // A witness that never answers holds a batch no longer than the wait.
    let black_hole = impostor(ports[0], false);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let asked = Instant::now();
    let again = submit(&receiver, &waiting).await;
    assert_eq!(again.rule(), (StatusCode::SERVICE_UNAVAILABLE, "witnessing"));
    let waited = asked.elapsed();
    assert!(
        waited >= Duration::from_millis(800) && waited < Duration::from_secs(5),
        "{waited:?}"
    );

    // One returns (with what it held): the same submission is acknowledged, at the position it was stored.
    witnesses.push(start(2, ports[1], &scratch).await);
    let answer = submit(&receiver, &waiting).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    assert_eq!(
        proven(&answer.json, &policy, &waiting.receipt_id),
        5,
        "stored once, not again"
    );
    let later = receipt(6);
    let answer = submit(&receiver, &later).await;
    assert_eq!(proven(&answer.json, &policy, &later.receipt_id), 6);
    let health = send(
        &receiver,
        Request::get("/healthz").body(Body::empty()).expect("a request"),
    )
    .await;
    let size = health
        .json
        .as_object()
        .and_then(|h| h.get("logSize"))
        .and_then(Value::as_i64);
    assert_eq!(size, Some(7), "every receipt stored exactly once");
    for witness in witnesses {
        stop(witness).await;
    }
    black_hole.abort();
}

/// A receiver of the log on `database`, witnessed under `policy`.
async fn witnessed_receiver(database: &str, policy: &Policy) -> std::sync::Arc<Receiver> {
    let config = Config {
        log_key: Some(log_key()),
        witness_policy: Some(policy.clone()),
        witness_wait: Duration::from_millis(800),
        ..demo_config(database)
    };
    Receiver::open(config).await.expect("opens")
}

#[tokio::test]
async fn a_log_forked_across_two_databases_is_refused_by_the_witnesses_and_named_by_the_audit() {
    let scratch = Scratch::new("forked-log");
    let ports = [free_port(), free_port(), free_port()];
    let policy_text = policy(&ports);
    let policy = Policy::parse(&policy_text).expect("a policy");
    let witnesses = vec![
        start(1, ports[0], &scratch).await,
        start(2, ports[1], &scratch).await,
        start(3, ports[2], &scratch).await,
    ];
    // One log key, two databases: the controller shows each client another history.
    let (one, two) = (
        format!("{}-one", scratch.sqlite()),
        format!("{}-two", scratch.sqlite()),
    );
    let (first, second) = (
        witnessed_receiver(&one, &policy).await,
        witnessed_receiver(&two, &policy).await,
    );
    let device = PrivateKey::ed25519_from_seed([41; 32]);
    let shown_first = first_receipt(&device, true, now() - 20, 201);
    let answer = submit(&first, &shown_first).await;
    assert_eq!(proven(&answer.json, &policy, &shown_first.receipt_id), 0);
    let shown_second = first_receipt(&device, false, now() - 10, 202);
    let refused = submit(&second, &shown_second).await;
    assert_eq!(
        refused.rule(),
        (StatusCode::SERVICE_UNAVAILABLE, "witnessing"),
        "no witness cosigns the other branch"
    );
    for witness in witnesses {
        stop(witness).await;
    }

    // The other branch's checkpoint, signed by the log key, as a witness kept it when refusing it.
    let store = WitnessStore::open(&format!("{}-w1", scratch.sqlite()))
        .await
        .expect("the witness's store");
    let evidence = store.refused(&log_key().verifier().name).await.expect("reads");
    let fork = &evidence.first().expect("the refused checkpoint, kept").note;
    let files = Scratch::new("forked-log-files");
    let controller = files.file(
        "controller.jwk",
        &consent_capture::json::canonical::to_canonical_string(&Value::Object(
            super::receipts::controller().public().to_json(),
        )),
    );
    let policy_file = files.file("policy", &policy_text);
    let fork_file = files.file("fork.checkpoint", fork);
    let audit = |database: &str, checkpoints: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_consent-capture-receiver"));
        command.args([
            "audit",
            "--database",
            database,
            "--controller",
            &controller,
            "--policy",
            &policy_file,
        ]);
        for checkpoint in checkpoints {
            command.args(["--checkpoint", checkpoint]);
        }
        let output = command.output().expect("the audit runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (code, said) = audit(&one, &[]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("1 kept heads and checkpoints match"), "{said}");
    let (code, said) = audit(&one, &[&fork_file]);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains(
            "a fork: a checkpoint the log's key signed (cosigned by no known witness, short of the policy's quorum) of 1 records"
        ),
        "{said}"
    );
    // And the other way round: the first branch's cosigned checkpoint names the fork in the second database.
    let served = send(
        &first,
        Request::get("/log/checkpoint")
            .body(Body::empty())
            .expect("a request"),
    )
    .await;
    let cosigned = files.file("cosigned.checkpoint", served.json.as_str().expect("a note"));
    let (code, said) = audit(&two, &[&cosigned]);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("(cosigned by w"), "{said}");
    assert!(
        said.contains("the policy's quorum) of 1 records is not this database's log"),
        "{said}"
    );
}
