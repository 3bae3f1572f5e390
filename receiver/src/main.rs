//! `consent-capture-receiver`: serves the receiver until Ctrl-C or SIGTERM (see `config::USAGE`);
//! `consent-capture-receiver audit …` audits a database offline (see `AUDIT_USAGE`);
//! `consent-capture-receiver records …` reads, exports and erases records (see `records_command::USAGE`).

use consent_capture::jose::jwk::PublicJwk;
use consent_capture::json::parse;
use consent_capture_receiver::audit::{audit_database, KeptHead};
use consent_capture_receiver::config::{without_password, Config};
use consent_capture_receiver::state::Receiver;
use consent_capture_receiver::{records_command, server};
use std::process::ExitCode;

const AUDIT_USAGE: &str = "usage: consent-capture-receiver audit --database sqlite:PATH|postgres://… \
  --controller CONTROLLER.jwk [--head HEAD.jws …]
Exits 0 when every record matches what the controller signed and every kept head; 1 naming the first record
that differs; 2 for a usage error or an unreadable database.";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::from_default_env().add_directive(tracing::Level::INFO.into()),
        )
        .init();
    let mut args = std::env::args().skip(1).peekable();
    match args.peek().map(String::as_str) {
        Some("audit") => {
            args.next();
            return audit(args).await;
        }
        Some("records") => {
            args.next();
            return records_command::run(args).await;
        }
        _ => {}
    }
    let config = match Config::from_args(args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
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
async fn audit(args: impl Iterator<Item = String>) -> ExitCode {
    let (database, controller, kept) = match audit_options(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match audit_database(&database, &controller, kept).await {
        Ok(Ok(report)) => {
            println!(
                "audit passed: {} records, each as its acknowledgement signed ({} with their body erased); {} \
                 confirmations of an address; {} kept heads match; head: size {}, root {}",
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
            eprintln!("{database}: {error}");
            ExitCode::from(2)
        }
    }
}

fn audit_options(
    mut args: impl Iterator<Item = String>,
) -> Result<(String, PublicJwk, Vec<KeptHead>), String> {
    let (mut database, mut controller, mut heads) = (None, None, Vec::new());
    while let Some(option) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{option} needs a value\n{AUDIT_USAGE}"))?;
        match option.as_str() {
            "--database" => database = Some(value),
            "--controller" => controller = Some(value),
            "--head" => heads.push(value),
            other => return Err(format!("unknown option {other}\n{AUDIT_USAGE}")),
        }
    }
    let database = database.ok_or_else(|| format!("--database is required\n{AUDIT_USAGE}"))?;
    let path = controller.ok_or_else(|| format!("--controller is required\n{AUDIT_USAGE}"))?;
    let controller = controller_key(&path).map_err(|e| format!("{path}: {e}"))?;
    let kept = heads
        .iter()
        .map(|path| {
            let jws = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            KeptHead::read(&jws, &controller).map_err(|e| format!("{path}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    Ok((database, controller, kept))
}

/// The controller's public key. A private one is refused: an auditor never needs it, and a copy of it on an
/// auditor's machine could sign anything as the controller.
fn controller_key(path: &str) -> Result<PublicJwk, String> {
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
