//! `consent-capture`: verify receipts, check, sign and render notices, make controller keys; `audit`,
//! `records` and `witness` run the receiver's binary. Native only. One file per command.

mod check;
mod keys;
mod output;
mod receiver;
mod render;
mod sign_notice;
mod verify;

use clap::{CommandFactory, Parser, Subcommand};
use consent_capture::tlog::note::{COSIGNATURE_V1, ED25519};
use output::{say, Failure};
use std::path::PathBuf;
use std::process::ExitCode;

/// Consent receipts and notices: verify, check, sign, render; the receiver's audit and records.
#[derive(Parser)]
#[command(name = "consent-capture", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Verify(verify::Verify),
    Check(check::Check),
    SignNotice(sign_notice::SignNotice),
    Render(render::Render),
    /// Prints a new private Ed25519 controller key (JWK) and, on stderr, its thumbprint; with --log or
    /// --witness, a note key instead (C2SP signed-note), and on stderr its verifier key for policies.
    Keygen {
        /// A key for the receiver's log (--log-key), named by the log's origin, such as example.com/consent-log.
        #[arg(long, value_name = "ORIGIN", conflicts_with = "witness")]
        log: Option<String>,
        /// A witness's cosigning key, named such as witness.example/w1.
        #[arg(long, value_name = "NAME")]
        witness: Option<String>,
    },
    /// Prints the public part of a private JWK, for verify --controller-key and for publishing.
    PublicKey {
        /// The private key (JWK).
        key: PathBuf,
    },
    /// Checks a receiver's database against the controller's signatures (runs consent-capture-receiver audit).
    ///
    /// consent-capture-receiver is looked for beside this command, in the server profile's folder beside its
    /// own as cargo builds them, or on the PATH; it carries the database drivers this command does without.
    #[command(disable_help_flag = true)]
    Audit {
        /// What consent-capture-receiver audit takes (see its --help).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Reads and exports what a receiver's database holds about people, and erases their payloads (runs
    /// consent-capture-receiver records).
    #[command(disable_help_flag = true)]
    Records {
        /// What consent-capture-receiver records takes (see its --help).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Serves a witness for the logs given (runs consent-capture-receiver witness): it cosigns a log's
    /// checkpoint only when it extends the last one it cosigned.
    #[command(disable_help_flag = true)]
    Witness {
        /// What consent-capture-receiver witness takes (see its --help).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Prints a completion script for SHELL (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Verify(verify) => verify.run(),
        Command::Check(check) => check.run(),
        Command::SignNotice(sign) => sign.run(),
        Command::Render(render) => render.run(),
        Command::Keygen {
            log: None,
            witness: None,
        } => keys::keygen(),
        Command::Keygen {
            log: Some(origin), ..
        } => keys::note_keygen(&origin, ED25519),
        Command::Keygen {
            witness: Some(name), ..
        } => keys::note_keygen(&name, COSIGNATURE_V1),
        Command::PublicKey { key } => keys::public_key(&key),
        Command::Audit { args } => return receiver::receiver_command("audit", &args),
        Command::Records { args } => return receiver::receiver_command("records", &args),
        Command::Witness { args } => return receiver::receiver_command("witness", &args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "consent-capture", &mut out);
            output::write_out(&String::from_utf8_lossy(&out));
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(reason)) => {
            say!("INVALID: {reason}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(problem)) => {
            eprintln!("consent-capture: {problem}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
    }
}
