//! Checkpoints and witnesses (issue 32): the receiver's log served as a C2SP checkpoint signed with the log's
//! own key; a witness that answers add-checkpoint as c2sp.org/tlog-witness says, cosigns only what extends
//! what it cosigned, keeps the checkpoints it refused, and, killed at any moment while two branches of a forked
//! log race to it, never cosigns both.

use super::databases::Scratch;
use super::receipts::{demo_config, now};
use super::{first_receipt, send, submit};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use consent_capture::jose::base64url;
use consent_capture::jose::sha256::{sha256, to_hex};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::tlog::add_checkpoint::AddCheckpoint;
use consent_capture::tlog::checkpoint::Checkpoint;
use consent_capture::tlog::cosignature::cosigned_at;
use consent_capture::tlog::note::{Note, COSIGNATURE_V1, ED25519};
use consent_capture::tlog::signer::NoteSigner;
use consent_capture_receiver::config::Config;
use consent_capture_receiver::log::Log;
use consent_capture_receiver::state::Receiver;
use consent_capture_receiver::witness::{Answer, Witness};
use consent_capture_receiver::witness_store::WitnessStore;
use std::process::{Child, Command};
use std::time::Duration;

const ORIGIN: &str = "consent.example/log";

fn log_key() -> NoteSigner {
    NoteSigner::from_seed(ORIGIN, ED25519, [3; 32])
}

fn witness_key() -> NoteSigner {
    NoteSigner::from_seed("witness.example/w1", COSIGNATURE_V1, [4; 32])
}

#[tokio::test]
async fn the_receiver_serves_its_head_as_a_checkpoint_signed_with_the_log_key() {
    let scratch = Scratch::new("checkpoint");
    let config = Config {
        log_key: Some(log_key()),
        ..demo_config(&scratch.sqlite())
    };
    let receiver = Receiver::open(config).await.expect("opens");
    let device = PrivateKey::ed25519_from_seed([8; 32]);
    for n in 0..3 {
        let made = first_receipt(&device, true, now() - 10 + n, n as u64 + 1);
        assert_eq!(submit(&receiver, &made).await.status, 200);
    }
    let get = || {
        Request::get("/log/checkpoint")
            .body(Body::empty())
            .expect("a request")
    };
    let answer = send(&receiver, get()).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.headers["content-type"], "text/plain; charset=utf-8");
    let note = answer.json.as_str().expect("text").to_owned();
    let (_, checkpoint) = Checkpoint::open(&note, log_key().verifier()).expect("signed by the log key");
    let head = super::log_head(&receiver).await;
    assert_eq!(checkpoint.size, 3);
    let root = head
        .as_object()
        .and_then(|head| head.get("rootHash"))
        .and_then(|root| root.as_str());
    let root = base64url::decode(root.expect("a root")).expect("base64url");
    assert_eq!(
        checkpoint.root.to_vec(),
        root,
        "the same head as GET /log/head signs"
    );

    let other = Scratch::new("no-log-key");
    let without = Receiver::open(demo_config(&other.sqlite())).await.expect("opens");
    assert_eq!(
        send(&without, get()).await.rule(),
        (StatusCode::NOT_FOUND, "log-key")
    );
}

/// A log of `size` leaves: the first `common` shared by every branch, the rest drawn from `branch`.
fn tree(size: u64, common: u64, branch: u8) -> Log {
    let mut log = Log::new();
    for n in 0..size {
        let which = if n < common { 0 } else { branch };
        log.push(sha256(&[&n.to_be_bytes()[..], &[which]].concat()));
    }
    log
}

/// The checkpoint of `log`, signed by `key`.
fn checkpoint(log: &Log, key: &NoteSigner) -> String {
    let head = log.head();
    let text = Checkpoint {
        origin: key.verifier().name.clone(),
        size: head.size,
        root: head.root,
        extensions: vec![],
    }
    .to_text();
    Note {
        signatures: vec![key.sign(&text)],
        text,
    }
    .to_text()
}

/// An add-checkpoint body: from `old`, with the consistency proof `log` gives from there.
fn request(old: u64, log: &Log, key: &NoteSigner) -> String {
    let proof = if old == 0 {
        vec![]
    } else {
        log.consistency(old).unwrap_or_default()
    };
    let checkpoint = checkpoint(log, key);
    AddCheckpoint {
        old,
        proof,
        checkpoint,
    }
    .to_text()
}

fn witness_database(scratch: &Scratch) -> String {
    format!("{}-witness", scratch.sqlite())
}

fn status(answer: &Answer) -> u16 {
    match answer {
        Answer::Cosigned(_) => 200,
        Answer::Conflict(_) => 409,
        Answer::Refused(status, _) => *status,
    }
}

#[tokio::test]
async fn a_witness_answers_add_checkpoint_as_the_specification_says() {
    let scratch = Scratch::new("witness-protocol");
    let store = WitnessStore::open(&witness_database(&scratch))
        .await
        .expect("its store");
    let witness = Witness::new(witness_key(), vec![log_key().verifier().clone()], store);
    let add = |body: String| {
        let witness = &witness;
        async move {
            witness
                .add_checkpoint(&body, 1_790_000_000)
                .await
                .expect("the store works")
        }
    };
    let log = log_key();
    let stranger = NoteSigner::from_seed("other.example/log", ED25519, [5; 32]);
    assert_eq!(status(&add(request(0, &tree(1, 1, 0), &stranger)).await), 404);
    let impostor = NoteSigner::from_seed(ORIGIN, ED25519, [6; 32]);
    let forged = add(request(0, &tree(4, 4, 0), &impostor)).await;
    assert_eq!(status(&forged), 403, "another key under the log's name");
    let broken = request(0, &tree(4, 4, 0), &log).replace("\n4\n", "\n5\n");
    assert_eq!(status(&add(broken).await), 403, "the log's signature fails");
    assert_eq!(status(&add("old 0\nnot a checkpoint".into()).await), 400);
    let leading_zero = request(0, &tree(4, 4, 0), &log).replace("old 0", "old 00");
    assert_eq!(status(&add(leading_zero).await), 400);
    let past = request(0, &tree(4, 4, 0), &log).replace("old 0", "old 9");
    assert_eq!(status(&add(past).await), 400, "an old size past the checkpoint's");

    let Answer::Cosigned(line) = add(request(0, &tree(4, 4, 0), &log)).await else {
        panic!("the first checkpoint is cosigned");
    };
    let note = Note::parse(&[checkpoint(&tree(4, 4, 0), &log), line].concat()).expect("a cosignature line");
    assert_eq!(
        cosigned_at(&note, witness.verifier()).expect("verifies"),
        Some(1_790_000_000)
    );

    assert_eq!(add(request(0, &tree(6, 6, 0), &log)).await, Answer::Conflict(4));
    assert_eq!(add(request(2, &tree(6, 6, 0), &log)).await, Answer::Conflict(4));
    assert_eq!(
        status(&add(request(4, &tree(4, 4, 0), &log)).await),
        200,
        "the same checkpoint again"
    );
    assert_eq!(
        status(&add(request(4, &tree(7, 7, 0), &log)).await),
        200,
        "an extension, proved"
    );
    let fork = add(request(7, &tree(9, 5, 2), &log)).await;
    assert_eq!(
        status(&fork),
        422,
        "another branch after 5: the proof from 7 fails"
    );
    let same_size = add(request(7, &tree(7, 5, 2), &log)).await;
    assert_eq!(status(&same_size), 422, "size 7 with another root");
    let refused = witness.store().refused(ORIGIN).await.expect("kept");
    assert_eq!(refused.len(), 2, "both refusals kept as evidence");
    assert!(refused[0].note.contains("\n9\n"), "{}", refused[0].note);

    let latest = witness
        .latest(&to_hex(&sha256(ORIGIN.as_bytes())))
        .await
        .expect("reads")
        .expect("held");
    let held = Note::parse(&latest).expect("a note");
    assert!(held.signed_by(log.verifier()).expect("the log's").is_some());
    assert!(cosigned_at(&held, witness.verifier()).expect("its own").is_some());
    assert_eq!(Checkpoint::parse(&held.text).expect("a checkpoint").size, 7);
    assert_eq!(witness.latest("00").await.expect("reads"), None);
}

/// The witness as a process on `port`, with its database in `scratch`, once it accepts connections.
async fn witness_process(scratch: &Scratch, port: u16) -> Child {
    let key = scratch.file("witness.key", &witness_key().to_private_text());
    let mut child = Command::new(env!("CARGO_BIN_EXE_consent-capture-receiver"))
        .args(["witness", "--key", &key, "--log", &log_key().verifier().to_text()])
        .args(["--database", &witness_database(scratch)])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the witness starts");
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the witness did not start listening");
}

/// Sends `body` to the witness on `port`: the status and body, or `None` when it cannot be reached.
async fn post(client: &reqwest::Client, port: u16, body: String) -> Option<(u16, String)> {
    let url = format!("http://127.0.0.1:{port}/add-checkpoint");
    let answer = client.post(url).body(body).send().await.ok()?;
    let status = answer.status().as_u16();
    Some((status, answer.text().await.ok()?))
}

#[tokio::test]
async fn a_witness_killed_while_two_branches_race_never_cosigns_both() {
    let scratch = Scratch::new("witness-kill");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a port")
        .port();
    let client = reqwest::Client::new();
    let log = log_key();
    // Two branches of one log (one key) that share their first 8 leaves.
    let mut process = witness_process(&scratch, port).await;
    let mut known = [0u64, 0u64];
    let mut cosigned: Vec<(usize, u64)> = Vec::new();
    for round in 0..40u64 {
        let size = 9 + round;
        let (one, two) = (tree(size, 8, 1), tree(size, 8, 2));
        let sends = tokio::join!(
            post(&client, port, request(known[0], &one, &log)),
            post(&client, port, request(known[1], &two, &log)),
            async {
                if round % 5 == 2 {
                    // Killed without warning while the two requests are in flight.
                    tokio::time::sleep(Duration::from_micros(300 * (round % 4))).await;
                    process.kill().expect("SIGKILL");
                    process.wait().expect("stopped");
                }
            }
        );
        for (branch, answer) in [sends.0, sends.1].into_iter().enumerate() {
            match answer {
                Some((200, _)) => {
                    cosigned.push((branch, size));
                    known[branch] = size;
                }
                Some((409, held)) => known[branch] = held.trim().parse().expect("a size"),
                Some((422, _)) | None => {}
                Some((status, body)) => panic!("{status}: {body}"),
            }
        }
        if round % 5 == 2 {
            process = witness_process(&scratch, port).await;
        }
    }
    process.kill().expect("stopped");
    process.wait().expect("stopped");
    let first = cosigned.first().expect("something was cosigned").0;
    assert!(
        cosigned.iter().all(|(branch, _)| *branch == first),
        "cosigned both branches: {cosigned:?}"
    );
    assert!(
        cosigned.len() >= 20,
        "kept cosigning its branch across restarts: {cosigned:?}"
    );
}

#[test]
fn a_log_key_and_a_witness_key_are_not_taken_for_each_other() {
    let scratch = Scratch::new("note-keys");
    let log = scratch.file("log.key", &log_key().to_private_text());
    let witness = scratch.file("witness.key", &witness_key().to_private_text());
    let run = |args: &[&str]| {
        let output = Command::new("timeout")
            .args(["20", env!("CARGO_BIN_EXE_consent-capture-receiver")])
            .args(args)
            .output()
            .expect("runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let vkey = log_key().verifier().to_text();
    let (code, said) = run(&[
        "witness",
        "--key",
        &log,
        "--log",
        &vkey,
        "--database",
        &scratch.sqlite(),
    ]);
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("a log's key; a witness cosigns with a key of type 0x04"),
        "{said}"
    );
    let (code, said) = run(&[
        "witness",
        "--key",
        &witness,
        "--log",
        &witness_key().verifier().to_text(),
    ]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("--log "), "{said}");
    let notice = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/demo/notice.json");
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/demo-controller.jwk");
    let (code, said) = run(&["--notice", notice, "--key", key, "--demo", "--log-key", &witness]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("--log-key"), "{said}");
    assert!(said.contains("a witness's cosigning key"), "{said}");
}
