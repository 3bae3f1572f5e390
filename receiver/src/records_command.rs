//! `consent-capture-receiver records …` (and so `consent-capture records …`): the read side's questions and
//! erasure from the command line, on the database itself, for a controller's staff and auditors.

use crate::answers::{Erasure, Relayed, Whose};
use crate::config::{relay_target, RelayChoice};
use crate::config::{without_password, KnownNotice};
use crate::confirmation::{purposes_needing_confirmation, Confirmed};
use crate::consent_state::{history_json, may_use_json, state_json};
use crate::crm_request::erasure_contacts;
use crate::decisions::DecisionRow;
use crate::export::{everyone, person, Format, Payloads};
use crate::options::{Records, RecordsCommand};
use crate::relay_queue::RELAY_STATES;
use crate::store::Store;
use crate::utc::{iso8601, now, parse_time};
use consent_capture::destination::{Destination, NoticeFacts};
use consent_capture::notice::signature::notice_hash;
use consent_capture::Notice;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `records`.
pub async fn run(records: Records) -> ExitCode {
    match run_records(records).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

async fn run_records(records: Records) -> Result<(), String> {
    let database = records
        .database
        .ok_or_else(|| "--database (or CONSENT_CAPTURE_DATABASE) is required".to_owned())?;
    let database = database.as_str();
    let failed = |e: sqlx::Error| format!("{}: {e}", without_password(database));
    let json = match records.command {
        RecordsCommand::Erase {
            principal,
            notices,
            relay,
        } => {
            let store = Store::open(database).await.map_err(failed)?;
            let at = now();
            let notices = read_notices(&notices)?;
            let per_notice = match relay.as_deref().map(relay_target).transpose()? {
                Some((RelayChoice::Described(target, description), url)) => notices
                    .iter()
                    .map(|known| {
                        Destination::bind(
                            &description,
                            &NoticeFacts::read(&known.notice.source),
                            url.as_deref(),
                        )
                        .map(|bound| (known.hash.clone(), bound))
                        .map_err(|errors| format!("--relay {target}:\n{}", errors.text()))
                    })
                    .collect::<Result<Vec<_>, String>>()?,
                Some((RelayChoice::Webhook, _)) | None => Vec::new(),
            };
            let contacts = |receipt: &str, body: &str| erasure_contacts(&per_notice, receipt, body);
            let erased = store
                .erase(&principal, at, "controller", &contacts)
                .await
                .map_err(failed)?;
            // No receiver's request waits on it here: compacted at once.
            store.compact().await.map_err(failed)?;
            serde_json::to_value(Erasure {
                whose: Whose::Principal(principal),
                erased: erased.payloads,
                with_data: erased.with_data,
                at: iso8601(at),
            })
            .map_err(|e| e.to_string())?
        }
        RecordsCommand::Export { principal, format } => {
            let format = Format::from_name(&format)
                .ok_or_else(|| format!("--format: iso27560 or kantara, not {format}"))?;
            let store = Store::open_read_only(database).await.map_err(failed)?;
            let mut out = std::io::stdout().lock();
            return match principal {
                Some(principal) => {
                    let document = person(&store, &principal, format, Payloads::Left)
                        .await
                        .map_err(failed)?;
                    writeln!(out, "{document}").map_err(|e| e.to_string())
                }
                None => everyone(&store, format, &mut out)
                    .await
                    .map_err(|e| format!("{}: {e}", without_password(database))),
            };
        }
        RecordsCommand::Relay {
            retry: Some(retry), ..
        } => {
            let position = match retry.as_str() {
                "all" => None,
                number => Some(
                    number
                        .parse::<u64>()
                        .map_err(|_| format!("--retry is all or a record's position, not {number}"))?,
                ),
            };
            let store = Store::open(database).await.map_err(failed)?;
            let waiting = store.relay_retry(position, now()).await.map_err(failed)?;
            serde_json::json!({ "retried": waiting })
        }
        RecordsCommand::Relay { state, retry: None } => {
            if !RELAY_STATES.contains(&state.as_str()) {
                return Err("--state is waiting, delivered or refused".to_owned());
            }
            let store = Store::open_read_only(database).await.map_err(failed)?;
            let rows = store.relay_rows(&state, 1_000).await.map_err(failed)?;
            let erasures = store.erasure_rows(&state, 1_000).await.map_err(failed)?;
            serde_json::to_value(Relayed {
                state,
                rows,
                erasures,
            })
            .map_err(|e| e.to_string())?
        }
        RecordsCommand::State { principal, notices } => {
            let (decisions, confirmed) = read_state(database, &principal, &notices).await?;
            state_json(&principal, &decisions, &confirmed, now())
        }
        RecordsCommand::History { principal, notices } => {
            let (decisions, _) = read_state(database, &principal, &notices).await?;
            history_json(&principal, &decisions)
        }
        RecordsCommand::MayUse {
            principal,
            purpose,
            at,
            notices,
        } => {
            let (decisions, confirmed) = read_state(database, &principal, &notices).await?;
            let at = match at {
                Some(text) => parse_time(&text).ok_or_else(|| format!("--at: not a time: {text}"))?,
                None => now(),
            };
            may_use_json(&principal, &purpose, at, &decisions, &confirmed)
        }
    };
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

/// A person's decisions, and which of their devices confirmed their address for the purposes the notices at
/// `notices` mark `confirmedAddress`.
async fn read_state(
    database: &str,
    principal: &str,
    notices: &[PathBuf],
) -> Result<(Vec<DecisionRow>, Confirmed), String> {
    let failed = |e: sqlx::Error| format!("{}: {e}", without_password(database));
    let store = Store::open_read_only(database).await.map_err(failed)?;
    let decisions = store.decisions_about(principal).await.map_err(failed)?;
    let notices = read_notices(notices)?;
    let needs = purposes_needing_confirmation(notices.iter().map(|known| &known.notice));
    if needs.is_empty() && store.links_made().await.map_err(failed)? {
        return Err(format!(
            "{}: holds double opt-in links: give the receiver's --notice files, so that grants count as the \
             receiver counts them",
            without_password(database)
        ));
    }
    let confirmed = store.confirmed(principal, needs).await.map_err(failed)?;
    Ok((decisions, confirmed))
}

/// The notices of the `--notice` options (their signatures are the receiver's concern, not this command's).
fn read_notices(paths: &[PathBuf]) -> Result<Vec<KnownNotice>, String> {
    paths
        .iter()
        .map(|path| {
            let path = path.display();
            let text =
                std::fs::read_to_string(path.to_string()).map_err(|e| format!("--notice {path}: {e}"))?;
            let notice = Notice::from_json(&text).map_err(|e| format!("--notice {path}: {}", e.text()))?;
            Ok(KnownNotice {
                hash: notice_hash(&notice),
                notice,
                signature: None,
            })
        })
        .collect()
}
