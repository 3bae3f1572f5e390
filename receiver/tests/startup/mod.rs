//! A controller's mistakes at start-up, tried as a new user would make them (issue 27): each is refused with
//! what to do and its exit code, and nothing says "receiving" before the receiver can receive.

use super::databases::Scratch;
use super::receipts::{controller, DEMO_KEY, DEMO_NOTICE};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::Value;
use std::process::{Command, Output};

/// Runs the receiver with `args` (stopped by `timeout` should it start after all).
fn receiver(args: &[&str]) -> Output {
    Command::new("timeout")
        .args(["20", env!("CARGO_BIN_EXE_consent-capture-receiver")])
        .args(args)
        .output()
        .expect("the receiver runs")
}

/// `(exit code, standard error)`.
fn outcome(output: &Output) -> (Option<i32>, String) {
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn each_start_up_mistake_is_refused_with_what_to_do() {
    let scratch = Scratch::new("start-up");
    let own = PrivateKey::ed25519_from_seed([140; 32]);
    let own_key = scratch.file(
        "controller.jwk",
        &to_canonical_string(&Value::Object(own.to_jwk())),
    );
    let public_key = scratch.file(
        "public.jwk",
        &to_canonical_string(&Value::Object(own.public().to_json())),
    );
    let demo_key = scratch.file("demo.jwk", DEMO_KEY);
    let database = scratch.sqlite();
    // The demo notice is signed with the demo key: an unsigned copy, for the controller's own key.
    let notice = scratch.file(
        "notice.json",
        &std::fs::read_to_string(DEMO_NOTICE).expect("the demo notice"),
    );
    let base = |key: &str| -> Vec<String> {
        [
            "--notice",
            &notice,
            "--key",
            key,
            "--database",
            &database,
            "--listen",
            "127.0.0.1:0",
        ]
        .map(String::from)
        .to_vec()
    };
    let with = |key: &str, extra: &[&str]| {
        let mut args = base(key);
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (
            with(&own_key, &["--allow-origin", "https://www.example.com/"]),
            2,
            "an origin has no path, not even a slash: https://www.example.com",
        ),
        (with(&own_key, &["--allow-origin", "*"]), 2, "name each origin"),
        (with(&own_key, &["--allow-origin", "null"]), 2, "name each origin"),
        (
            with(&own_key, &["--allow-origin", "HTTPS://Example.com"]),
            2,
            "an origin's scheme is https or http",
        ),
        (
            base(&public_key),
            2,
            "a public key; --key needs the controller's private key",
        ),
        (base(&demo_key), 2, "the demo controller key, which is public"),
        (
            {
                let mut args = base(&own_key);
                args[5] = "target/receiver.sqlite".into();
                args
            },
            2,
            "--database (or CONSENT_CAPTURE_DATABASE): sqlite:PATH (a file) or postgres://",
        ),
        (
            with(&own_key, &["--clock-skew", "86400"]),
            2,
            "--clock-skew: between 0 and 3600",
        ),
        (
            {
                let mut args = base(&own_key);
                args[5] = "postgres://consent:secret@127.0.0.1:1/consent".into();
                args
            },
            1,
            "--database postgres://consent:***@127.0.0.1:1/consent",
        ),
    ];
    for (args, code, says) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (exit, stderr) = outcome(&receiver(&args));
        assert_eq!(exit, Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("secret"), "no password shown: {stderr}");
        assert!(!stderr.contains("receiving"), "nothing says receiving: {stderr}");
    }
}

#[test]
fn the_audit_refuses_the_controllers_private_key() {
    let scratch = Scratch::new("audit-private");
    let private = scratch.file(
        "controller.jwk",
        &to_canonical_string(&Value::Object(controller().to_jwk())),
    );
    let (exit, stderr) = outcome(&receiver(&[
        "audit",
        "--database",
        &scratch.sqlite(),
        "--controller",
        &private,
    ]));
    assert_eq!(exit, Some(2), "{stderr}");
    assert!(
        stderr.contains("a private key: give the audit the controller's public key"),
        "{stderr}"
    );
}

#[test]
fn the_database_url_may_come_from_the_environment_and_is_checked_there_too() {
    let scratch = Scratch::new("database-from-environment");
    let key = scratch.file("demo.jwk", DEMO_KEY);
    let run = |url: &str| {
        Command::new("timeout")
            .args(["20", env!("CARGO_BIN_EXE_consent-capture-receiver")])
            .args([
                "--notice",
                DEMO_NOTICE,
                "--key",
                &key,
                "--demo",
                "--listen",
                "127.0.0.1:0",
            ])
            .env("CONSENT_CAPTURE_DATABASE", url)
            .output()
            .expect("the receiver runs")
    };
    let (code, stderr) = outcome(&run("mysql://consent:secret@db.example/consent"));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("CONSENT_CAPTURE_DATABASE"), "{stderr}");
    assert!(
        !stderr.contains("secret"),
        "the password is not repeated: {stderr}"
    );
    // A PostgreSQL server that is not there: the URL from the environment is the one tried.
    let (code, stderr) = outcome(&run("postgres://consent:secret@127.0.0.1:1/consent"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("postgres://consent:***@127.0.0.1:1/consent"),
        "{stderr}"
    );
}

#[test]
fn every_setting_may_come_from_the_environment_and_every_command_has_its_help() {
    let scratch = Scratch::new("settings-from-environment");
    let key = scratch.file("demo.jwk", DEMO_KEY);
    let token = scratch.file("read-token", &"t".repeat(40));
    let run = |seconds: &str, extra: &[(&str, &str)]| {
        let mut command = Command::new("timeout");
        command
            .args([seconds, env!("CARGO_BIN_EXE_consent-capture-receiver")])
            .args(["--notice", DEMO_NOTICE, "--demo"])
            .env("CONSENT_CAPTURE_KEY", &key)
            .env("CONSENT_CAPTURE_DATABASE", scratch.sqlite())
            .env("CONSENT_CAPTURE_LISTEN", "127.0.0.1:0")
            .env("CONSENT_CAPTURE_READ_TOKEN", &token)
            .env(
                "CONSENT_CAPTURE_ALLOW_ORIGIN",
                "https://a.example,https://b.example",
            );
        for (name, value) in extra {
            command.env(name, value);
        }
        command.output().expect("the receiver runs")
    };
    // Nothing but the notice and --demo on the command line: it receives until stopped (timeout's 124).
    let (code, stderr) = outcome(&run("3", &[]));
    assert_eq!(code, Some(124), "{stderr}");
    assert!(stderr.contains("receiving"), "{stderr}");
    // A setting from the environment is checked as on the command line.
    let (code, stderr) = outcome(&run("20", &[("CONSENT_CAPTURE_CLOCK_SKEW", "86400")]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--clock-skew: between 0 and 3600"), "{stderr}");

    for args in [
        &["--help"][..],
        &["audit", "--help"],
        &["records", "--help"],
        &["records", "may-use", "--help"],
    ] {
        let help = receiver(args);
        assert_eq!(help.status.code(), Some(0), "{args:?}");
        assert!(
            String::from_utf8_lossy(&help.stdout).contains("Usage: consent-capture-receiver"),
            "{args:?}"
        );
    }
    let help = String::from_utf8_lossy(&receiver(&["--help"]).stdout).into_owned();
    assert!(
        help.contains("[env: CONSENT_CAPTURE_KEY=]") && help.contains("[env: CONSENT_CAPTURE_READ_TOKEN=]"),
        "{help}"
    );
    let version = receiver(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("consent-capture-receiver "));
    let completions = receiver(&["completions", "zsh"]);
    assert!(String::from_utf8_lossy(&completions.stdout).contains("records"));
}
