//! `consent-capture-receiver records …` (and so `consent-capture records …`): the read side's questions and
//! erasure from the command line, on the database itself, for a controller's staff and auditors.

use crate::config::KnownNotice;
use crate::confirmation::purposes_needing_confirmation;
use crate::consent_state::{history_json, may_use_json, state_json};
use crate::crm_request::hubspot_contacts;
use crate::export::{everyone, person, Format, Payloads};
use crate::relay_queue::RELAY_STATES;
use crate::store::Store;
use crate::utc::{iso8601, now, parse_time};
use consent_capture::notice::signature::notice_hash;
use consent_capture::Notice;
use std::io::Write;
use std::process::ExitCode;

/// How to call it.
pub const USAGE: &str =
    "usage: consent-capture-receiver records COMMAND … --database sqlite:PATH|postgres://…
  state PRINCIPAL                      each purpose's latest decision, and whether it may be used now
  history PRINCIPAL                    every decision and notice revision change, in log order
  may-use PRINCIPAL --purpose ID [--at YYYY-MM-DDTHH:MM:SSZ|YYYY-MM-DD|SECONDS]
                                       whether the purpose could be used then, by what had been received
  (state and may-use take the receiver's --notice files when a notice asks for confirmed addresses: a
   grant for such a purpose counts only from a device that confirmed the person's address)
  export [PRINCIPAL] --format iso27560|kantara
                                       ISO/IEC TS 27560 records (JSON-LD, DPV) or the Kantara receipts, of one
                                       person or of everyone (never the payloads)
  erase PRINCIPAL [--notice FILE …]    deletes the payloads held about the person for good; receipts, hashes,
                                       the log and acknowledgements stay, and the audit still passes (with the
                                       receiver's --notice files, the addresses a HubSpot relay deletes the
                                       contact by are kept for it until it did)
  relay [--state refused|waiting|delivered]
                                       what the relay was refused for good (by default), still tries, or
                                       delivered: the latest 1,000 records and 1,000 erasures
  relay --retry all|POSITION           sends again what was refused for good (every record and erasure, or
                                       the record at POSITION), after the CRM's side was fixed
Prints JSON. Exits 0, or 2 for a usage error or an unreadable database.";

/// Runs the command in `args` (after `records`).
pub async fn run(args: impl Iterator<Item = String>) -> ExitCode {
    match records(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

async fn records(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let command = args.next().ok_or_else(|| USAGE.to_owned())?;
    let (mut principal, mut options) = (None, Vec::new());
    while let Some(arg) = args.next() {
        match arg.strip_prefix("--") {
            Some(name) => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
                options.push((name.to_owned(), value));
            }
            None if principal.is_none() => principal = Some(arg),
            None => return Err(format!("unexpected {arg}\n{USAGE}")),
        }
    }
    let option = |name: &str| options.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    if let Some((name, _)) = options.iter().find(|(name, _)| {
        !["database", "purpose", "at", "format", "state", "notice", "retry"].contains(&name.as_str())
    }) {
        return Err(format!("unknown option --{name}\n{USAGE}"));
    }
    let database = option("database").ok_or_else(|| format!("--database is required\n{USAGE}"))?;
    let principal = principal.as_deref();
    let needs_principal = || principal.ok_or_else(|| format!("{command} needs a PRINCIPAL\n{USAGE}"));
    let failed = |e: sqlx::Error| format!("{database}: {e}");
    let json = match command.as_str() {
        "erase" => {
            let principal = needs_principal()?;
            let store = Store::open(database).await.map_err(failed)?;
            let at = now();
            let notices = read_notices(options.iter().filter(|(name, _)| name == "notice"))?;
            let contacts = |receipt: &str, body: &str| hubspot_contacts(&notices, receipt, body);
            let erased = store
                .erase(principal, at, "controller", &contacts)
                .await
                .map_err(failed)?;
            // No receiver's request waits on it here: compacted at once.
            store.compact().await.map_err(failed)?;
            serde_json::json!({
                "principal": principal,
                "erased": erased.payloads,
                "withData": erased.with_data,
                "at": iso8601(at),
            })
        }
        "export" => {
            let format = option("format")
                .and_then(Format::from_name)
                .ok_or_else(|| format!("--format iso27560 or kantara is required\n{USAGE}"))?;
            let store = Store::open_read_only(database).await.map_err(failed)?;
            let mut out = std::io::stdout().lock();
            return match principal {
                Some(principal) => {
                    let document = person(&store, principal, format, Payloads::Left)
                        .await
                        .map_err(failed)?;
                    writeln!(out, "{document}").map_err(|e| e.to_string())
                }
                None => everyone(&store, format, &mut out)
                    .await
                    .map_err(|e| format!("{database}: {e}")),
            };
        }
        "relay" if option("retry").is_some() => {
            let retry = option("retry").unwrap_or_default();
            let position =
                match retry {
                    "all" => None,
                    number => Some(number.parse::<u64>().map_err(|_| {
                        format!("--retry is all or a record's position, not {number}\n{USAGE}")
                    })?),
                };
            let store = Store::open(database).await.map_err(failed)?;
            let waiting = store.relay_retry(position, now()).await.map_err(failed)?;
            serde_json::json!({ "retried": waiting })
        }
        "relay" => {
            let state = option("state").unwrap_or("refused");
            if !RELAY_STATES.contains(&state) {
                return Err(format!("--state is waiting, delivered or refused\n{USAGE}"));
            }
            let store = Store::open_read_only(database).await.map_err(failed)?;
            let rows = store.relay_rows(state, 1_000).await.map_err(failed)?;
            let erasures = store.erasure_rows(state, 1_000).await.map_err(failed)?;
            serde_json::json!({ "state": state, "rows": rows, "erasures": erasures })
        }
        "state" | "history" | "may-use" => {
            let principal = needs_principal()?;
            let store = Store::open_read_only(database).await.map_err(failed)?;
            let decisions = store.decisions_about(principal).await.map_err(failed)?;
            let notices = read_notices(options.iter().filter(|(name, _)| name == "notice"))?;
            let needs = purposes_needing_confirmation(notices.iter().map(|known| &known.notice));
            if needs.is_empty() && store.links_made().await.map_err(failed)? {
                return Err(format!(
                    "{database}: holds double opt-in links: give the receiver's --notice files, so that grants \
                     count as the receiver counts them"
                ));
            }
            let confirmed = store.confirmed(principal, needs).await.map_err(failed)?;
            match command.as_str() {
                "state" => state_json(principal, &decisions, &confirmed, now()),
                "history" => history_json(principal, &decisions),
                _ => {
                    let purpose =
                        option("purpose").ok_or_else(|| format!("--purpose is required\n{USAGE}"))?;
                    let at = match option("at") {
                        Some(text) => parse_time(text).ok_or_else(|| format!("--at: not a time: {text}"))?,
                        None => now(),
                    };
                    may_use_json(principal, purpose, at, &decisions, &confirmed)
                }
            }
        }
        other => return Err(format!("unknown records command {other}\n{USAGE}")),
    };
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

/// The notices of the `--notice` options (their signatures are the receiver's concern, not this command's).
fn read_notices<'a>(options: impl Iterator<Item = &'a (String, String)>) -> Result<Vec<KnownNotice>, String> {
    options
        .map(|(_, path)| {
            let text = std::fs::read_to_string(path).map_err(|e| format!("--notice {path}: {e}"))?;
            let notice = Notice::from_json(&text).map_err(|e| format!("--notice {path}: {}", e.text()))?;
            Ok(KnownNotice {
                hash: notice_hash(&notice),
                notice,
                signature: None,
            })
        })
        .collect()
}
