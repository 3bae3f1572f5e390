//! `consent-capture`: verify receipts, check, sign and render notices, make controller keys; `audit` and
//! `records` run the receiver's binary. Native only. One file per command.

mod check;
mod keys;
mod output;
mod receiver;
mod render;
mod sign_notice;
mod verify;

use clap::{CommandFactory, Parser, Subcommand};
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
    /// Prints a new private Ed25519 controller key (JWK) and, on stderr, its thumbprint.
    Keygen,
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
        Command::Keygen => keys::keygen(),
        Command::PublicKey { key } => keys::public_key(&key),
        Command::Audit { args } => return receiver::receiver_command("audit", &args),
        Command::Records { args } => return receiver::receiver_command("records", &args),
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
