//! The `consent-capture` command: keygen, check, sign-notice, render and verify, with exit codes 0 valid, 1
//! invalid, 2 usage.
// Native only: signing keys and the verifier are not part of the browser build.
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::parse;
use consent_capture::receipt::receipt_hash;
use consent_capture::receipt::{Receipt, ReceiptContext};
use consent_capture::{minimise, Decisions, Notice};
use std::path::PathBuf;
use std::process::{Command, Output};

const TODAY: consent_capture::minimise::date::Date = consent_capture::minimise::date::Date {
    year: 2026,
    month: 11,
    day: 22,
};

const DEMO: &str = "www/demo/notice.json";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consent-capture"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("consent-capture-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn receipt(notice_signature: Option<&str>, previous: Option<&str>, grant: bool) -> String {
    let notice = Notice::from_json(&std::fs::read_to_string(DEMO).expect("demo")).expect("valid");
    let device = PrivateKey::ed25519_from_seed([3; 32]);
    let mut decisions = Decisions::initial(&notice);
    decisions.set("newsletter", grant).expect("consent purpose");
    let fields = vec![("email".to_owned(), "ada@example.com".to_owned())];
    let minimised = minimise(&notice, &decisions, &fields, TODAY);
    let previous_hash = previous.map(receipt_hash);
    let principal = format!("jwk-thumbprint:{}", device.public().thumbprint());
    let context = ReceiptContext {
        issued_at: 1_795_000_000,
        receipt_id: "0c7d1d2e-9a51-4f43-8d0c-6b1e3f6f9a10",
        principal_id: &principal,
        language: "en",
        gpc: false,
        notice_signature,
        previous_receipt: previous_hash.as_deref(),
        fields_sha256: None,
        endpoint: None,
        destination_sha256: None,
    };
    let receipt = Receipt::build(&notice, &decisions, &minimised.manifest, context);
    device.sign(&receipt.signing_input(device.algorithm(), &device.public()))
}

#[test]
fn keygen_sign_notice_and_verify_work_together() {
    let dir = scratch("together");
    let keygen = run(&["keygen"]);
    assert_eq!(keygen.status.code(), Some(0));
    let private = text(&keygen.stdout);
    let key = PrivateKey::from_jwk(&parse(private.trim()).expect("a JWK")).expect("a private Ed25519 key");
    assert!(text(&keygen.stderr).contains(&key.public().thumbprint()));
    let key_path = dir.join("controller.jwk");
    std::fs::write(&key_path, &private).expect("write key");
    let signed = run(&["sign-notice", DEMO, "--key", key_path.to_str().expect("utf-8")]);
    assert_eq!(signed.status.code(), Some(0), "{}", text(&signed.stderr));
    let notice_signature = text(&signed.stdout).trim().to_owned();

    let receipt_path = dir.join("receipt.jws");
    std::fs::write(&receipt_path, receipt(Some(&notice_signature), None, true)).expect("write receipt");
    let public_path = dir.join("controller.public.jwk");
    let public = consent_capture::json::canonical::to_canonical_string(&key.public().to_json().into());
    std::fs::write(&public_path, public).expect("write public key");
    let verified = run(&[
        "verify",
        receipt_path.to_str().expect("utf-8"),
        "--controller-key",
        public_path.to_str().expect("utf-8"),
    ]);
    let out = text(&verified.stdout);
    assert_eq!(verified.status.code(), Some(0), "{out}");
    assert!(out.starts_with("VALID consent receipt"), "{out}");
    assert!(out.contains("granted      newsletter (consent)"), "{out}");
    assert!(out.contains("signed by the given controller key"), "{out}");
    assert!(out.contains("2026-11-18"), "the issue date in plain words: {out}");

    let other = PrivateKey::ed25519_from_seed([99; 32]).public();
    std::fs::write(
        &public_path,
        consent_capture::json::canonical::to_canonical_string(&other.to_json().into()),
    )
    .expect("write");
    let wrong = run(&[
        "verify",
        receipt_path.to_str().expect("utf-8"),
        "--controller-key",
        public_path.to_str().expect("utf-8"),
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        text(&wrong.stdout).starts_with("INVALID: consentCapture.noticeSignature: does not verify"),
        "{}",
        text(&wrong.stdout)
    );
}

#[test]
fn a_tampered_receipt_exits_1_with_the_reason() {
    let dir = scratch("tampered");
    let jws = receipt(None, None, true);
    let mut parts: Vec<String> = jws.split('.').map(str::to_owned).collect();
    parts[2] = parts[2].chars().rev().collect();
    let path = dir.join("tampered.jws");
    std::fs::write(&path, parts.join(".")).expect("write");
    let out = run(&["verify", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("INVALID: "),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_withdrawal_is_checked_against_the_previous_receipt() {
    let dir = scratch("chain");
    let first = receipt(None, None, true);
    let second = receipt(None, Some(&first), false);
    let (first_path, second_path) = (dir.join("first.jws"), dir.join("second.jws"));
    std::fs::write(&first_path, &first).expect("write");
    std::fs::write(&second_path, &second).expect("write");
    let out = run(&[
        "verify",
        second_path.to_str().expect("utf-8"),
        "--previous",
        first_path.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("follows      the given previous receipt"));
    let backwards = run(&[
        "verify",
        first_path.to_str().expect("utf-8"),
        "--previous",
        second_path.to_str().expect("utf-8"),
    ]);
    assert_eq!(backwards.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["verify"],
        &["verify", "a", "b"],
        &["verify", "x.jws", "--bogus", "1"],
        &["sign-notice", DEMO],
        &["check"],
        &["check", DEMO, DEMO],
        &["check", "/nonexistent.json"],
        &["frobnicate"],
        &["verify", "/nonexistent.jws"],
        &["render", DEMO, "--stylesheet", "/c.css"],
        &["render", DEMO, "--notice-url", "/n.json"],
        &[
            "render",
            DEMO,
            "--notice-url",
            "/n.json",
            "--stylesheet",
            "/c.css",
            "--lang",
            "xx",
        ],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        // clap's usage and help, or ours pointing to it.
        assert!(
            text(&out.stderr).contains("--help"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn every_command_has_its_help_the_program_its_version_and_shells_their_completions() {
    for command in [
        "verify",
        "check",
        "sign-notice",
        "render",
        "keygen",
        "public-key",
        "completions",
    ] {
        let help = run(&[command, "--help"]);
        assert_eq!(help.status.code(), Some(0), "{command}");
        assert!(
            text(&help.stdout).contains(&format!("Usage: consent-capture {command}")),
            "{command}"
        );
    }
    let version = run(&["--version"]);
    assert_eq!(
        text(&version.stdout).trim(),
        concat!("consent-capture ", env!("CARGO_PKG_VERSION"))
    );
    let bash = run(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    assert!(
        text(&bash.stdout).contains("sign-notice"),
        "the completions name the commands"
    );
}

#[test]
fn check_says_what_a_valid_notice_declares_and_every_problem_of_an_invalid_one_with_what_was_found() {
    let demo_text = std::fs::read_to_string(DEMO).expect("demo");
    let demo = Notice::from_json(&demo_text).expect("valid");
    let valid = run(&["check", DEMO]);
    assert_eq!(valid.status.code(), Some(0), "{}", text(&valid.stderr));
    let said = text(&valid.stdout);
    assert!(
        said.starts_with(&format!("VALID: {DEMO}: revision {};", demo.revision)),
        "{said}"
    );
    assert!(
        said.contains(&consent_capture::notice::signature::notice_hash(&demo)),
        "{said}"
    );

    // Two problems in a notice that is otherwise the demo's: a legal basis misspelt, a language that is no tag.
    let broken = demo_text
        .replacen("\"legalBasis\": \"consent\"", "\"legalBasis\": \"consnt\"", 1)
        .replacen("\"languages\": [", "\"languages\": [\"no such tag!\", ", 1);
    assert_ne!(
        broken, demo_text,
        "the demo notice still has what this test changes"
    );
    let path = scratch("check").join("broken.json");
    std::fs::write(&path, broken).expect("write");
    let invalid = run(&["check", path.to_str().expect("utf-8 path")]);
    assert_eq!(invalid.status.code(), Some(1));
    let said = text(&invalid.stdout);
    assert!(said.starts_with("INVALID: "), "{said}");
    assert!(
        said.contains("legalBasis: is not one of the allowed values (consnt)"),
        "{said}"
    );
    assert!(
        said.contains("languages[0]: is not one of the allowed values (not a BCP 47 tag)"),
        "{said}"
    );
}

/// `render` of the demo notice with its two required options, then `extra`.
fn render_demo(extra: &[&str]) -> Output {
    let args = [
        "render",
        DEMO,
        "--notice-url",
        "/n.json",
        "--stylesheet",
        "/c.css",
    ];
    run(&[&args[..], extra].concat())
}

#[test]
fn render_prints_the_element_with_its_form_drawn_in_the_language_asked() {
    let out = render_demo(&["--lang", "de"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = text(&out.stdout);
    assert!(
        html.starts_with(
            "<consent-capture notice=\"/n.json\" lang=\"de\"><template shadowrootmode=\"open\">"
        ),
        "{html}"
    );
    assert!(html.contains("Ihre Angaben"), "{html}");
    assert!(!html.contains("integrity"), "none asked for: {html}");
    let pinned = text(&render_demo(&["--stylesheet-integrity", "sha384-abc"]).stdout);
    assert!(
        pinned.contains(
            r#"<link rel="stylesheet" href="/c.css" integrity="sha384-abc" crossorigin="anonymous">"#
        ),
        "{pinned}"
    );
    let unknown = render_demo(&["--lang", "xx"]);
    assert!(text(&unknown.stderr).contains("has no language xx (it has en, de, ar)"));
}

#[test]
fn render_puts_an_inline_stylesheet_in_the_form_and_says_the_csp_hash_that_allows_it() {
    let dir = scratch("inline-css");
    let css = dir.join("consent-capture.css");
    std::fs::write(&css, ":host { display: block }").expect("write");
    let css = css.to_str().expect("utf-8 path");
    let base = ["render", DEMO, "--notice-url", "/n.json"];
    let out = run(&[&base[..], &["--inline-stylesheet", css]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = text(&out.stdout);
    assert!(
        html.contains("<template shadowrootmode=\"open\"><style>:host { display: block }</style><div"),
        "{html}"
    );
    // base64 (RFC 4648 section 4, with padding) of SHA-256(":host { display: block }"), as `openssl dgst
    // -sha256 -binary | base64` writes it.
    assert_eq!(
        text(&out.stderr).trim(),
        "Content-Security-Policy: style-src 'sha256-Ei8GQ9WHj/IF15bArTxiWr+l19pKPrMbQ1u7Col9KZU='"
    );

    let ending = dir.join("ending.css");
    std::fs::write(&ending, "a{}</STYLE><script>alert(1)</script>").expect("write");
    for extra in [
        &["--inline-stylesheet", ending.to_str().expect("utf-8 path")][..],
        &["--inline-stylesheet", css, "--stylesheet", "/c.css"],
        &["--inline-stylesheet", css, "--stylesheet-integrity", "sha384-abc"],
        &[],
    ] {
        let refused = run(&[&base[..], extra].concat());
        assert_eq!(refused.status.code(), Some(2), "{extra:?}");
        assert!(refused.stdout.is_empty(), "{extra:?}: nothing to paste");
    }
}

/// `public-key` prints what `verify --controller-key` takes, and every line of `verify` says what binds it:
/// the controller key binds the notice hash and revision; the controller's name and policy are the device's
/// words until `--notice` checks them.
#[test]
fn public_key_and_verify_say_what_each_statement_is_bound_to() {
    let dir = scratch("bound");
    let public = run(&["public-key", "tools/demo-controller.jwk"]);
    assert_eq!(public.status.code(), Some(0), "{}", text(&public.stderr));
    let public_jwk = text(&public.stdout);
    assert!(!public_jwk.contains("\"d\""), "no private part: {public_jwk}");
    let key_path = dir.join("controller.public.jwk");
    std::fs::write(&key_path, public_jwk.trim()).expect("write");
    let signature = std::fs::read_to_string("www/demo/notice.jws").expect("the demo notice signature");
    let receipt_path = dir.join("receipt.jws");
    std::fs::write(&receipt_path, receipt(Some(signature.trim()), None, true)).expect("write");
    let receipt_arg = receipt_path.to_str().expect("utf-8");
    let key_arg = key_path.to_str().expect("utf-8");

    let alone = text(&run(&["verify", receipt_arg]).stdout);
    assert!(
        alone.starts_with("VALID consent receipt: signed by the device key in its header"),
        "{alone}"
    );
    assert!(alone.contains("(the device key that signed it)"), "{alone}");
    assert!(
        alone.contains("the device's words: not checked against a notice (--notice)"),
        "{alone}"
    );
    assert!(
        alone.contains("the controller's signature not checked (--controller-key)"),
        "{alone}"
    );
    assert!(
        alone.contains("field        phone dropped: no-purpose-granted"),
        "{alone}"
    );

    let keyed = text(&run(&["verify", receipt_arg, "--controller-key", key_arg]).stdout);
    assert!(
        keyed.contains("(notice hash and revision signed by the given controller key)"),
        "{keyed}"
    );
    assert!(
        keyed.contains("the device's words"),
        "the controller's name is still not checked: {keyed}"
    );

    let full = run(&[
        "verify",
        receipt_arg,
        "--controller-key",
        key_arg,
        "--notice",
        DEMO,
    ]);
    let full_out = text(&full.stdout);
    assert_eq!(full.status.code(), Some(0), "{full_out}");
    assert!(
        full_out.contains("Example Widgets Ltd <privacy@example.com> (as the given notice says)"),
        "{full_out}"
    );
    assert!(!full_out.contains("the device's words"), "{full_out}");

    // The private key where a public one belongs: a usage error that names the command to use.
    let private = run(&[
        "verify",
        receipt_arg,
        "--controller-key",
        "tools/demo-controller.jwk",
    ]);
    assert_eq!(private.status.code(), Some(2));
    assert!(text(&private.stderr).contains("public-key prints the public part"));
}

#[test]
fn a_reader_that_goes_away_ends_the_output_without_a_panic() {
    // `consent-capture verify … | head -1`: the reader is gone before the verdict is written.
    let dir = scratch("closed-pipe");
    let path = dir.join("receipt.jws");
    std::fs::write(&path, receipt(None, None, true)).expect("write");
    for _ in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_consent-capture"))
            .args(["verify", path.to_str().expect("UTF-8")])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("it ends");
        let stderr = text(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            matches!(output.status.code(), Some(0 | 141)),
            "ended as a pipe's writer does: {:?} {stderr}",
            output.status
        );
    }
}

#[test]
fn audit_and_records_find_the_receiver_where_the_readmes_build_puts_it() {
    // target/release/consent-capture and target/server/consent-capture-receiver, as `cargo build --release` and
    // `cargo build --profile server -p consent-capture-receiver` lay them out; the receiver here a script that
    // says what it was asked.
    let target = scratch("profiles");
    let (release, server) = (target.join("release"), target.join("server"));
    std::fs::create_dir_all(&release).expect("release");
    std::fs::create_dir_all(&server).expect("server");
    let cli = release.join("consent-capture");
    std::fs::copy(env!("CARGO_BIN_EXE_consent-capture"), &cli).expect("the CLI");
    let receiver = server.join("consent-capture-receiver");
    std::fs::write(&receiver, "#!/bin/sh\necho \"receiver: $*\"\nexit 3\n").expect("a stand-in");
    let mut permissions = std::fs::metadata(&receiver).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&receiver, permissions).expect("executable");
    let output = Command::new(&cli)
        .args(["records", "state", "someone", "--database", "sqlite:x"])
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("runs");
    assert_eq!(
        text(&output.stdout),
        "receiver: records state someone --database sqlite:x\n"
    );
    assert_eq!(output.status.code(), Some(3), "its exit status is the command's");
    let _ = std::fs::remove_dir_all(&target);
}
