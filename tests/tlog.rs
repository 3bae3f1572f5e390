//! The log's formats (C2SP signed notes, checkpoints, cosignatures, policies, proofs): the published vectors of
//! the signed-note specification and of Go's `sumdb/note`, notes written here verified by another
//! implementation (Python's `cryptography`), and each format's refusals.
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::error::ErrorKind;
use consent_capture::jose::sha256::sha256;
use consent_capture::receipt::merkle::leaf_hash;
use consent_capture::tlog::checkpoint::{empty_root, Checkpoint};
use consent_capture::tlog::cosignature::cosigned_at;
use consent_capture::tlog::note::{key_id, Note, VerifierKey, COSIGNATURE_V1, ED25519};
use consent_capture::tlog::policy::Policy;
use consent_capture::tlog::proof::Proof;
use consent_capture::tlog::signer::NoteSigner;
use std::io::Write;
use std::process::{Command, Stdio};

// Go's sumdb/note tests (golang.org/x/mod/sumdb/note/note_test.go).
const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SKEY: &str = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

fn key(text: &str) -> VerifierKey {
    VerifierKey::parse(text, "key").expect("a verifier key")
}

#[test]
fn the_signed_note_specifications_example_verifies() {
    let key = key("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    let note = Note::parse("This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n").expect("a note");
    assert_eq!(note.text, "This is an example message.\n");
    assert!(note.signed_by(&key).expect("verifies").is_some());
    assert_eq!(
        key.to_text(),
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    );
}

#[test]
fn gos_private_key_signs_its_note_byte_for_byte() {
    let signer = NoteSigner::parse(PETER_SKEY).expect("Go's test key");
    assert_eq!(signer.verifier(), &key(PETER_VKEY));
    assert_eq!(signer.to_private_text(), PETER_SKEY);
    let note = Note {
        text: TEXT.to_owned(),
        signatures: vec![signer.sign(TEXT)],
    };
    assert_eq!(note.to_text(), [TEXT, "\n", PETER_SIG].concat());
}

#[test]
fn signatures_by_unknown_keys_are_ignored_and_a_known_keys_failure_refuses_the_note() {
    let (peter, enoch) = (key(PETER_VKEY), key(ENOCH_VKEY));
    let both = Note::parse(&[TEXT, "\n", PETER_SIG, ENOCH_SIG].concat()).expect("a note");
    assert!(both.signed_by(&peter).expect("Peter's verifies").is_some());
    assert!(both.signed_by(&enoch).expect("Enoch's verifies").is_some());
    let only_enoch = Note::parse(&[TEXT, "\n", ENOCH_SIG].concat()).expect("a note");
    assert_eq!(only_enoch.signed_by(&peter).expect("nothing by Peter"), None);
    let broken = [&PETER_SIG[..60], "ABCD", &PETER_SIG[60..]].concat();
    let broken = Note::parse(&[TEXT, "\n", &broken].concat()).expect("still a note");
    assert_eq!(
        broken.signed_by(&peter).expect_err("refused").kind(),
        ErrorKind::BadSignature
    );
}

#[test]
fn malformed_notes_are_refused_as_gos_are() {
    let bad = [
        TEXT.to_owned(),
        [TEXT, "\n"].concat(),
        [TEXT, "\n", &PETER_SIG[..PETER_SIG.len() - 1]].concat(),
        ["\x01", TEXT, "\n", PETER_SIG].concat(),
        [TEXT, "\n", "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="].concat(),
        [TEXT, "\n", PETER_SIG, "Unexpected line.\n"].concat(),
        [TEXT, "\n", &PETER_SIG.repeat(101)].concat(),
    ];
    for note in bad {
        assert_eq!(
            Note::parse(&note).expect_err(&note).kind(),
            ErrorKind::Syntax,
            "{note:?}"
        );
    }
}

#[test]
fn a_mangled_verifier_key_is_refused() {
    assert!(VerifierKey::parse(PETER_VKEY, "key").is_ok());
    let bytes = PETER_VKEY.as_bytes();
    for i in 0..bytes.len() {
        let mut mangled = bytes.to_vec();
        mangled[i] = mangled[i].wrapping_add(1);
        let Ok(mangled) = String::from_utf8(mangled) else {
            continue;
        };
        assert!(VerifierKey::parse(&mangled, "key").is_err(), "{mangled}");
    }
    for (i, j) in [(0, 20), (1, bytes.len()), (0, bytes.len() - 1)] {
        assert!(VerifierKey::parse(&PETER_VKEY[i..j], "key").is_err());
    }
    // Go's: a key of the wrong length, and an unknown algorithm, each with its key ID adjusted.
    assert!(VerifierKey::parse(
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "key"
    )
    .is_err());
    assert!(VerifierKey::parse(
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "key"
    )
    .is_err());
}

#[test]
fn the_checkpoint_specifications_example_reads_and_writes_back() {
    let text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    let checkpoint = Checkpoint::parse(text).expect("a checkpoint");
    assert_eq!(
        (checkpoint.origin.as_str(), checkpoint.size),
        ("example.com/behind-the-sofa", 20_852_163)
    );
    assert_eq!(checkpoint.to_text(), text);
    for bad in [
        "example.com/log\n20\n",
        "example.com/log\n020\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "example.com/log\n20\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
        "example.com/log\n20\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nextension\n",
        "example.com/log\n20\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
    ] {
        assert_eq!(
            Checkpoint::parse(bad).expect_err(bad).kind(),
            ErrorKind::Syntax,
            "{bad:?}"
        );
    }
}

fn log_key() -> NoteSigner {
    NoteSigner::from_seed("consent.example/log", ED25519, [1; 32])
}

fn witness(n: u8) -> NoteSigner {
    NoteSigner::from_seed(&format!("witness.example/w{n}"), COSIGNATURE_V1, [10 + n; 32])
}

/// A checkpoint of `size` leaves with `root`, signed by the log and cosigned by `witnesses` at `time`.
fn cosigned(size: u64, root: [u8; 32], witnesses: &[&NoteSigner], time: u64) -> String {
    let text = Checkpoint {
        origin: "consent.example/log".into(),
        size,
        root,
        extensions: vec![],
    }
    .to_text();
    let mut signatures = vec![log_key().sign(&text)];
    signatures.extend(witnesses.iter().map(|w| w.cosign(&text, time)));
    Note { text, signatures }.to_text()
}

#[test]
fn a_cosignature_binds_its_time_and_the_witness_key_id_its_type() {
    let w1 = witness(1);
    let signed = cosigned(3, [7; 32], &[&w1], 1_790_000_000);
    let note = Note::parse(&signed).expect("a note");
    assert_eq!(
        cosigned_at(&note, w1.verifier()).expect("verifies"),
        Some(1_790_000_000)
    );
    let mut moved = note.clone();
    let bytes = &mut moved.signatures[1].bytes;
    bytes[7] ^= 1;
    assert_eq!(
        cosigned_at(&moved, w1.verifier())
            .expect_err("another time")
            .kind(),
        ErrorKind::BadSignature
    );
    let same_key_as_log_signer = VerifierKey::new(&w1.verifier().name, ED25519, w1.verifier().key);
    assert_ne!(
        same_key_as_log_signer.id,
        key_id(&w1.verifier().name, COSIGNATURE_V1, &w1.verifier().key)
    );
    assert!(
        cosigned_at(&note, &same_key_as_log_signer).is_err(),
        "a log key is not a witness key"
    );
}

fn run_python(vkey: &VerifierKey, note: &str) -> String {
    let mut python = Command::new("python3")
        .arg("tests/tlog/verify_note.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (tools/setup.sh test installs python3-cryptography)");
    let input = [vkey.to_text().as_str(), "\n", note].concat();
    python
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("written");
    let output = python.wait_with_output().expect("python3 ran");
    [
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    ]
    .concat()
}

#[test]
fn another_implementation_verifies_the_checkpoints_and_cosignatures_written_here() {
    let (w1, w2) = (witness(1), witness(2));
    let signed = cosigned(42, sha256(b"root"), &[&w1, &w2], 1_790_000_123);
    assert_eq!(run_python(log_key().verifier(), &signed).trim(), "ok");
    assert_eq!(run_python(w2.verifier(), &signed).trim(), "ok");
    let tampered = signed.replace("\n42\n", "\n43\n");
    assert!(run_python(log_key().verifier(), &tampered).contains("InvalidSignature"));
}

fn policy(quorum: &str) -> Policy {
    let text = format!(
        "# three witnesses, two of which must cosign\nlog {}\nwitness one {}\nwitness two {} https://w2.example/\n\twitness three {}\ngroup most 2 one two three\n{quorum}\n",
        log_key().verifier().to_text(),
        witness(1).verifier().to_text(),
        witness(2).verifier().to_text(),
        witness(3).verifier().to_text(),
    );
    Policy::parse(&text).expect("a policy")
}

#[test]
fn a_policy_accepts_a_checkpoint_only_with_its_quorum_of_cosignatures() {
    let policy = policy("quorum most");
    assert_eq!(policy.witnesses[1].url.as_deref(), Some("https://w2.example/"));
    let (w1, w2, w3) = (witness(1), witness(2), witness(3));
    let root = sha256(b"r");
    let two = policy
        .open(&cosigned(5, root, &[&w1, &w3], 9))
        .expect("two of three");
    assert_eq!(two.cosigned, [("one".to_owned(), 9), ("three".to_owned(), 9)]);
    assert_eq!(two.checkpoint.size, 5);
    let one = policy
        .open(&cosigned(5, root, &[&w2], 9))
        .expect_err("one of three");
    assert_eq!(one.kind(), ErrorKind::NotBound);
    assert!(one.to_string().contains("cosigned by two"), "{one}");
    let stranger = NoteSigner::from_seed("witness.example/w1", COSIGNATURE_V1, [99; 32]);
    assert!(
        policy.open(&cosigned(5, root, &[&w1, &stranger], 9)).is_err(),
        "a stranger with a known name"
    );
    assert!(self::policy("quorum none")
        .open(&cosigned(5, root, &[], 9))
        .is_ok());
    assert!(self::policy("quorum two")
        .open(&cosigned(5, root, &[&w2], 9))
        .is_ok());
    let other_log = NoteSigner::from_seed("consent.example/log", ED25519, [2; 32]);
    let text = Checkpoint {
        origin: "consent.example/log".into(),
        size: 5,
        root,
        extensions: vec![],
    }
    .to_text();
    let forged = Note {
        signatures: vec![other_log.sign(&text), w1.cosign(&text, 9), w2.cosign(&text, 9)],
        text,
    };
    assert_eq!(
        policy.open(&forged.to_text()).expect_err("not the log").kind(),
        ErrorKind::UnknownKey
    );
}

#[test]
fn a_policy_that_names_what_it_has_not_defined_is_refused_with_its_line() {
    let w = witness(1).verifier().to_text();
    let l = log_key().verifier().to_text();
    for (text, line) in [
        (format!("witness one {w}\nquorum two\n"), "line 2"),
        (format!("witness one {w}\ngroup g 2 one\nquorum g\n"), "line 2"),
        (format!("witness one {w}\ngroup g 0 one\nquorum g\n"), "line 2"),
        (
            format!("witness one {w}\ngroup g any one one\nquorum g\n"),
            "line 2",
        ),
        (
            format!("witness one {w}\nwitness one {w}\nquorum one\n"),
            "line 2",
        ),
        (
            format!("witness one {w}\nwitness two {w}\nquorum one\n"),
            "line 2",
        ),
        (format!("witness one {l}\nquorum one\n"), "line 1"),
        (format!("log {w}\nquorum none\n"), "line 1"),
        (format!("witness one {w}\nquorum one\nquorum none\n"), "policy"),
        (format!("witness one {w}\n"), "policy"),
        ("logs x\nquorum none\n".to_owned(), "line 1"),
    ] {
        let error = Policy::parse(&text).expect_err(&text);
        assert_eq!(error.at(), line, "{text}: {error}");
    }
}

#[test]
fn a_proof_reads_writes_back_and_binds_its_leaf_to_a_cosigned_checkpoint() {
    let leaves: Vec<&[u8]> = vec![b"first entry", b"second entry"];
    let hashes: Vec<[u8; 32]> = leaves.iter().map(|leaf| leaf_hash(leaf)).collect();
    let root = sha256(&[&[1u8][..], &hashes[0], &hashes[1]].concat());
    let (w1, w2) = (witness(1), witness(2));
    let proof = Proof {
        extra: Some(leaves[1].to_vec()),
        index: 1,
        inclusion: vec![hashes[0]],
        checkpoint: cosigned(2, root, &[&w1, &w2], 77),
    };
    let text = proof.to_text();
    assert!(
        text.starts_with("c2sp.org/tlog-proof@v1\nextra c2Vjb25kIGVudHJ5\nindex 1\n"),
        "{text}"
    );
    let read = Proof::parse(&text).expect("a proof");
    assert_eq!(read, proof);
    let policy = policy("quorum most");
    assert!(read.verify(leaves[1], &policy).is_ok());
    assert_eq!(
        read.verify(leaves[0], &policy).expect_err("another leaf").kind(),
        ErrorKind::NotBound
    );
    let elsewhere = Proof {
        index: 0,
        ..read.clone()
    };
    assert!(elsewhere.verify(leaves[1], &policy).is_err());
    assert!(Proof::parse(&text.replacen("index 1", "index 01", 1)).is_err());
    assert!(Proof::parse(&text.replacen("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2", 1)).is_err());
    assert_eq!(empty_root(), sha256(b""));
}

#[test]
fn a_later_checkpoint_extends_the_kept_one_or_is_named_a_fork() {
    use consent_capture::receipt::merkle::leaf_hash;
    use consent_capture::tlog::history::{compare, Later};
    // Trees of one and two leaves, RFC 6962: the second extends the first by the first leaf's sibling.
    let (a, b, c) = (leaf_hash(b"a"), leaf_hash(b"b"), leaf_hash(b"c"));
    let node = |l: &[u8; 32], r: &[u8; 32]| sha256(&[&[1u8][..], l, r].concat());
    let policy = policy("quorum most");
    let (w1, w2) = (witness(1), witness(2));
    let one = cosigned(1, a, &[&w1, &w2], 5);
    let two = cosigned(2, node(&a, &b), &[&w1, &w2], 6);
    let other = cosigned(2, node(&c, &b), &[], 6);
    assert_eq!(
        compare(&policy, &one, &two, &[b]).expect("reads"),
        Later::Extends { witnessed: true }
    );
    assert_eq!(
        compare(&policy, &one, &cosigned(2, node(&a, &b), &[], 6), &[b]).expect("reads"),
        Later::Extends { witnessed: false }
    );
    assert!(matches!(
        compare(&policy, &one, &other, &[b]).expect("reads"),
        Later::Forked(_)
    ));
    assert!(
        matches!(
            compare(&policy, &two, &one, &[]).expect("reads"),
            Later::Forked(_)
        ),
        "smaller"
    );
    assert!(
        matches!(
            compare(&policy, &two, &other, &[]).expect("reads"),
            Later::Forked(_)
        ),
        "same size, other root"
    );
    let stranger = NoteSigner::from_seed("consent.example/log", ED25519, [9; 32]);
    let text = Checkpoint {
        origin: "consent.example/log".into(),
        size: 2,
        root: node(&c, &b),
        extensions: vec![],
    }
    .to_text();
    let unsigned = Note {
        signatures: vec![stranger.sign(&text)],
        text,
    }
    .to_text();
    assert!(
        compare(&policy, &one, &unsigned, &[b]).is_err(),
        "not the log's: evidence of nothing"
    );
}

#[test]
fn an_acknowledgements_proof_must_prove_its_own_entry() {
    use consent_capture::tlog::history::acknowledged;
    let entry = r#"{"position":0,"receiptId":"x"}"#;
    let (w1, w2) = (witness(1), witness(2));
    let proof = Proof {
        extra: Some(entry.as_bytes().to_vec()),
        index: 0,
        inclusion: vec![],
        checkpoint: cosigned(1, leaf_hash(&sha256(entry.as_bytes())), &[&w1, &w2], 7),
    }
    .to_text();
    let policy = policy("quorum most");
    assert_eq!(
        acknowledged(&policy, &proof, entry, 0)
            .expect("its own")
            .checkpoint
            .size,
        1
    );
    assert!(acknowledged(&policy, &proof, r#"{"position":0,"receiptId":"y"}"#, 0).is_err());
    assert!(acknowledged(&policy, &proof, entry, 1).is_err());
}

#[test]
fn an_add_checkpoint_request_reads_writes_back_and_refuses_what_the_protocol_does() {
    use consent_capture::tlog::add_checkpoint::AddCheckpoint;
    let request = AddCheckpoint {
        old: 3,
        proof: vec![[1; 32], [2; 32]],
        checkpoint: cosigned(5, [7; 32], &[], 0),
    };
    let text = request.to_text();
    assert!(
        text.starts_with("old 3\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n"),
        "{text}"
    );
    assert_eq!(AddCheckpoint::parse(&text).expect("reads"), request);
    let empty = AddCheckpoint {
        old: 0,
        proof: vec![],
        checkpoint: request.checkpoint.clone(),
    };
    assert_eq!(AddCheckpoint::parse(&empty.to_text()).expect("reads"), empty);
    for bad in [
        text.replacen("old 3", "old 03", 1),
        text.replacen("old 3", "new 3", 1),
        text.replacen("AQEB", "AQE", 1),
        text.replacen("\n\n", "\n", 1),
        [
            "old 3\n",
            &"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n".repeat(64),
            "\n",
            &request.checkpoint,
        ]
        .concat(),
    ] {
        assert_eq!(
            AddCheckpoint::parse(&bad).expect_err(&bad).kind(),
            ErrorKind::Syntax,
            "{bad:?}"
        );
    }
}
