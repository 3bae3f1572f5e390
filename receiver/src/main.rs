//! `consent-capture-receiver`: serves the receiver until Ctrl-C or SIGTERM; `consent-capture-receiver audit …`
//! audits a database offline; `consent-capture-receiver records …` reads, exports and erases records;
//! `consent-capture-receiver witness …` serves a witness for others' logs. The command line is
//! [`consent_capture_receiver::options`]; `--help` says it all.

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};
use consent_capture::jose::jwk::PublicJwk;
use consent_capture::json::parse;
use consent_capture::tlog::policy::Policy;
use consent_capture_receiver::audit::{audit_database, KeptHead};
use consent_capture_receiver::config::{without_password, Config};
use consent_capture_receiver::options::{Audit, Cli, Command, WitnessOptions};
use consent_capture_receiver::state::Receiver;
use consent_capture_receiver::{records_command, server, witness_server};
use std::path::Path;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::from_default_env().add_directive(tracing::Level::INFO.into()),
        )
        .init();
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let serve = match cli.command {
        Some(Command::Audit(options)) => return audit(options).await,
        Some(Command::Records(records)) => return records_command::run(records).await,
        Some(Command::Witness(options)) => return witness(options).await,
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "consent-capture-receiver",
                &mut std::io::stdout(),
            );
            return ExitCode::SUCCESS;
        }
        None => cli.serve,
    };
    let typed = matches.value_source("database") == Some(ValueSource::CommandLine);
    let config = match Config::from_options(serve, typed) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}\n\nFor more information, try '--help'.");
            return ExitCode::from(2);
        }
    };
    for warning in &config.warnings {
        tracing::warn!("{warning}");
    }
    let listen = config.listen;
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "--listen {listen}: {error} (another program may be listening there: choose another port)"
            );
            return ExitCode::from(1);
        }
    };
    // Nothing says "receiving" before the receiver can receive: the database first.
    let database = config.database.clone();
    let receiver = match Receiver::open(config).await {
        Ok(receiver) => receiver,
        Err(error) => {
            eprintln!(
                "--database {}: {error} (check that the database is running, reachable from here and that its \
                 user may create tables)",
                without_password(&database)
            );
            return ExitCode::from(1);
        }
    };
    tracing::info!(address = %listen, "receiving");
    match server::serve(receiver, listener, stopped()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(1)
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
/// `witness`: serves a witness until Ctrl-C or SIGTERM.
async fn witness(options: WitnessOptions) -> ExitCode {
    let witness = match witness_server::open(&options).await {
        Ok(witness) => witness,
        Err(message) => {
            eprintln!("{message}\n\nFor more information, try '--help'.");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(options.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("--listen {}: {error}", options.listen);
            return ExitCode::from(1);
        }
    };
    tracing::info!(address = %options.listen, key = %witness.verifier().to_text(), "witnessing");
    match witness_server::serve(witness, listener, stopped()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(1)
        }
    }
}

async fn stopped() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

/// `audit`: recomputes the log from the database and checks it against the controller's signatures.
async fn audit(options: Audit) -> ExitCode {
    let (controller, kept, policy) = match audit_keys(&options) {
        Ok(keys) => keys,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let database = options.database;
    match audit_database(&database, &controller, kept, policy.as_ref()).await {
        Ok(Ok(report)) => {
            println!(
                "audit passed: {} records, each as its acknowledgement signed ({} with their body erased); {} \
                 confirmations of an address; {} kept heads and checkpoints match; head: size {}, root {}",
                report.records,
                report.erased,
                report.confirmations,
                report.heads,
                report.head.size,
                consent_capture::jose::base64url::encode(&report.head.root)
            );
            ExitCode::SUCCESS
        }
        Ok(Err(finding)) => {
            println!("audit failed: {finding}");
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("{}: {error}", without_password(&database));
            ExitCode::from(2)
        }
    }
}

/// The controller's public key, the kept heads and checkpoints an audit checks, and the witness policy.
fn audit_keys(options: &Audit) -> Result<(PublicJwk, Vec<KeptHead>, Option<Policy>), String> {
    let path = &options.controller;
    let controller = controller_key(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut kept: Vec<KeptHead> = options
        .heads
        .iter()
        .map(|path| KeptHead::read(&read(path)?, &controller).map_err(|e| format!("{}: {e}", path.display())))
        .collect::<Result<_, _>>()?;
    let policy = match &options.policy {
        Some(path) => Some(
            Policy::parse(&read(path)?)
                .map_err(|e| format!("{}: {}: {}", path.display(), e.at(), e.text()))?,
        ),
        None => None,
    };
    if let Some(policy) = &policy {
        for path in &options.checkpoints {
            kept.push(
                KeptHead::checkpoint(&read(path)?, policy).map_err(|e| format!("{}: {e}", path.display()))?,
            );
        }
    }
    Ok((controller, kept, policy))
}

/// The controller's public key. A private one is refused: an auditor never needs it, and a copy of it on an
/// auditor's machine could sign anything as the controller.
fn controller_key(path: &Path) -> Result<PublicJwk, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let jwk = parse(&text).map_err(|e| e.text())?;
    if jwk.as_object().is_some_and(|k| k.get("d").is_some()) {
        return Err(
            "a private key: give the audit the controller's public key (consent-capture public-key \
                    PRIVATE.jwk prints it)"
                .into(),
        );
    }
    PublicJwk::from_json(&jwk, "controller").map_err(|e| e.text())
}
