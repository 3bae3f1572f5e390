//! What the log says about one person: the state of each purpose now, whether a purpose could be used at a
//! given time, and the history as events. Everything is read from their decisions ([`DecisionRow`]).
//!
//! The person's consent time decides, not the order receipts arrived in: a receipt signed before the latest
//! decision held for a purpose (a grant kept offline for days on one device, delivered after a refusal from
//! another) does not override it, and the history says so. Within one consent time, the later in the log wins.

use crate::confirmation::Confirmed;
use crate::decisions::DecisionRow;
use crate::utc::iso8601;
use consent_capture::notice::vocabulary::Decision;
use consent_capture::notice::vocabulary::LegalBasis;
use serde_json::{json, Value};

/// Whether `row` decides later than `than`: by consent time, then by place in the log.
fn decides_later(row: &DecisionRow, than: &DecisionRow) -> bool {
    (row.issued_at, row.position) > (than.issued_at, than.position)
}

/// The latest decision for each purpose, in the order purposes first appear.
pub fn current(decisions: &[DecisionRow]) -> Vec<&DecisionRow> {
    let mut latest: Vec<&DecisionRow> = Vec::new();
    for row in decisions {
        match latest.iter_mut().find(|held| held.purpose == row.purpose) {
            Some(held) if decides_later(row, held) => *held = row,
            Some(_) => {}
            None => latest.push(row),
        }
    }
    latest
}

/// Whether `purpose` could be used at `at` (seconds since 1970), by what the receiver had received by then,
/// and the decision that answer rests on (`None`: nothing about this purpose had arrived).
pub fn may_use_at<'a>(decisions: &'a [DecisionRow], purpose: &str, at: i64) -> Option<&'a DecisionRow> {
    latest(decisions, purpose, |row| row.received_at <= at)
}

/// The decision about `purpose` among the rows `held` keeps that decides latest.
fn latest<'a>(
    decisions: &'a [DecisionRow],
    purpose: &str,
    held: impl Fn(&DecisionRow) -> bool,
) -> Option<&'a DecisionRow> {
    decisions
        .iter()
        .filter(|row| row.purpose == purpose && held(row))
        .fold(None, |latest, row| match latest {
            Some(latest) if !decides_later(row, latest) => Some(latest),
            _ => Some(row),
        })
}

/// The state of each purpose at `now`, as the read API and the CLI answer it: from the decisions that count
/// ([`Confirmed::counts`]), and, under `awaitingConfirmation`, later grants that will count once their device
/// confirms the person's address.
pub fn state_json(principal_id: &str, decisions: &[DecisionRow], confirmed: &Confirmed, now: i64) -> Value {
    let counted = counting(decisions, confirmed, now);
    let latest = current(&counted);
    let purposes: Vec<Value> = latest.iter().copied().map(decision_json).collect();
    let awaiting: Vec<Value> = current(decisions)
        .into_iter()
        .filter(|row| row.decision.justifies() && !confirmed.counts(row, now))
        .filter(|row| {
            latest
                .iter()
                .all(|held| held.purpose != row.purpose || decides_later(row, held))
        })
        .map(decision_json)
        .collect();
    json!({ "principal": principal_id, "purposes": purposes, "awaitingConfirmation": awaiting })
}

/// The answer to "may `purpose` be used for this person at `at`": `answer` is `yes`, `no`, or `unconfirmed`
/// (the latest grant's device has not confirmed the person's address, so it does not count yet).
pub fn may_use_json(
    principal_id: &str,
    purpose: &str,
    at: i64,
    decisions: &[DecisionRow],
    confirmed: &Confirmed,
) -> Value {
    let counted = counting(decisions, confirmed, at);
    let resting_on = may_use_at(&counted, purpose, at);
    let awaiting = may_use_at(decisions, purpose, at)
        .filter(|row| row.decision.justifies() && !confirmed.counts(row, at));
    let may_use = resting_on.is_some_and(|row| row.decision.justifies());
    let answer = match (may_use, awaiting) {
        (true, _) => "yes",
        (false, Some(_)) => "unconfirmed",
        (false, None) => "no",
    };
    json!({
        "principal": principal_id,
        "purpose": purpose,
        "at": iso8601(at),
        "mayUse": may_use,
        "answer": answer,
        "restsOn": resting_on.map(decision_json),
        "awaitingConfirmation": awaiting.map(decision_json),
    })
}

/// The decisions that count at `at` ([`Confirmed::counts`]).
pub(crate) fn counting(decisions: &[DecisionRow], confirmed: &Confirmed, at: i64) -> Vec<DecisionRow> {
    decisions
        .iter()
        .filter(|row| confirmed.counts(row, at))
        .cloned()
        .collect()
}

fn decision_json(row: &DecisionRow) -> Value {
    json!({
        "purpose": row.purpose,
        "decision": row.decision.name(),
        "legalBasis": row.legal_basis.name(),
        "mayUse": row.decision.justifies(),
        "receiptId": row.receipt_id,
        "position": row.position,
        "noticeRevision": row.notice_revision,
        "decidedAt": iso8601(row.issued_at),
        "receivedAt": iso8601(row.received_at),
    })
}

/// What happened, in one event of a person's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// Consent given for a purpose.
    Given,
    /// Consent refused (or not given) for a purpose.
    Refused,
    /// Consent given earlier, taken back.
    Withdrawn,
    /// A purpose that rests on another legal basis: no consent asked.
    OtherBasis(LegalBasis),
    /// The receipt was made under another notice revision than the one before it.
    NoticeRevisionChanged {
        /// The earlier revision.
        from: String,
    },
}

/// One event of a person's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event<'a> {
    /// What happened.
    pub kind: EventKind,
    /// The decision (or, for a revision change, the first decision of the receipt) it comes from.
    pub row: &'a DecisionRow,
    /// The decision held already when this one arrived, made later than it: this one changed nothing.
    pub outdated_by: Option<&'a DecisionRow>,
}

/// Every event of a person's history, in log order: a revision change before the receipt that brought it,
/// then one event per decision of each receipt, each saying whether a later decision held already outdated it.
pub fn history(decisions: &[DecisionRow]) -> Vec<Event<'_>> {
    let mut events = Vec::with_capacity(decisions.len());
    let mut revision: Option<&str> = None;
    let mut position = None;
    for (index, row) in decisions.iter().enumerate() {
        if position != Some(row.position) {
            position = Some(row.position);
            if let Some(from) = revision.filter(|from| *from != row.notice_revision) {
                events.push(Event {
                    kind: EventKind::NoticeRevisionChanged {
                        from: from.to_owned(),
                    },
                    row,
                    outdated_by: None,
                });
            }
            revision = Some(&row.notice_revision);
        }
        let kind = match row.decision {
            Decision::Granted => EventKind::Given,
            Decision::Denied => EventKind::Refused,
            Decision::Withdrawn => EventKind::Withdrawn,
            Decision::NotAsked => EventKind::OtherBasis(row.legal_basis),
        };
        let outdated_by =
            latest(&decisions[..index], &row.purpose, |_| true).filter(|held| decides_later(held, row));
        events.push(Event {
            kind,
            row,
            outdated_by,
        });
    }
    events
}

/// The history as the read API and the CLI answer it.
pub fn history_json(principal_id: &str, decisions: &[DecisionRow]) -> Value {
    let events: Vec<Value> = history(decisions)
        .into_iter()
        .map(|event| {
            let row = event.row;
            let common = json!({
                "receiptId": row.receipt_id,
                "position": row.position,
                "noticeRevision": row.notice_revision,
                "decidedAt": iso8601(row.issued_at),
                "receivedAt": iso8601(row.received_at),
            });
            let specific = match &event.kind {
                EventKind::NoticeRevisionChanged { from } => {
                    json!({ "event": "notice-revision-changed", "from": from })
                }
                kind => json!({
                    "event": match kind {
                        EventKind::Given => "given",
                        EventKind::Refused => "refused",
                        EventKind::Withdrawn => "withdrawn",
                        _ => "other-legal-basis",
                    },
                    "purpose": row.purpose,
                    "legalBasis": row.legal_basis.name(),
                }),
            };
            let specific = match event.outdated_by {
                Some(held) => merge(
                    specific,
                    json!({ "outdatedBy": { "receiptId": held.receipt_id, "decidedAt": iso8601(held.issued_at) } }),
                ),
                None => specific,
            };
            merge(specific, common)
        })
        .collect();
    json!({ "principal": principal_id, "events": events })
}

fn merge(mut into: Value, from: Value) -> Value {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
    into
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(position: u64, purpose: &str, decision: Decision, revision: &str) -> DecisionRow {
        DecisionRow {
            principal_id: "jwk-thumbprint:abc".into(),
            purpose: purpose.into(),
            position,
            receipt_id: format!("receipt-{position}"),
            decision,
            legal_basis: if decision == Decision::NotAsked {
                LegalBasis::Contract
            } else {
                LegalBasis::Consent
            },
            notice_revision: revision.into(),
            issued_at: 1_800_000_000 + position as i64 * 100,
            received_at: 1_800_000_010 + position as i64 * 100,
        }
    }

    fn rows() -> Vec<DecisionRow> {
        vec![
            row(3, "contact", Decision::NotAsked, "r1"),
            row(3, "newsletter", Decision::Granted, "r1"),
            row(7, "newsletter", Decision::Withdrawn, "r1"),
            row(9, "contact", Decision::NotAsked, "r2"),
            row(9, "newsletter", Decision::Granted, "r2"),
            row(9, "partners", Decision::Denied, "r2"),
        ]
    }

    #[test]
    fn the_state_is_each_purposes_latest_decision() {
        let rows = rows();
        let state: Vec<(&str, Decision, u64)> = current(&rows)
            .iter()
            .map(|r| (r.purpose.as_str(), r.decision, r.position))
            .collect();
        assert_eq!(
            state,
            [
                ("contact", Decision::NotAsked, 9),
                ("newsletter", Decision::Granted, 9),
                ("partners", Decision::Denied, 9)
            ]
        );
    }

    #[test]
    fn may_use_answers_from_what_had_arrived_by_then() {
        let rows = rows();
        let at = |seconds: i64| {
            may_use_at(&rows, "newsletter", 1_800_000_000 + seconds).map(|r| (r.decision, r.position))
        };
        assert_eq!(at(0), None, "nothing had arrived");
        assert_eq!(at(309), None, "the first receipt arrives at 310");
        assert_eq!(at(310), Some((Decision::Granted, 3)));
        assert_eq!(at(709), Some((Decision::Granted, 3)));
        assert_eq!(at(710), Some((Decision::Withdrawn, 7)));
        assert_eq!(at(910), Some((Decision::Granted, 9)));
        assert!(may_use_at(&rows, "unknown", i64::MAX).is_none());
        let answer = may_use_json("p", "newsletter", 1_800_000_750, &rows, &Confirmed::default());
        assert_eq!(answer["mayUse"], false);
        assert_eq!(answer["restsOn"]["receiptId"], "receipt-7");
    }

    #[test]
    fn a_grant_needing_a_confirmed_address_counts_only_from_a_device_that_confirmed_it() {
        let mut stranger = row(1, "newsletter", Decision::Granted, "r1");
        stranger.received_at = 1_800_000_100;
        let mut own = row(2, "newsletter", Decision::Granted, "r2");
        own.issued_at = stranger.issued_at + 1;
        own.received_at = 1_800_000_200;
        let rows = vec![stranger, own];
        let mut confirmed = Confirmed {
            needs: ["newsletter".to_owned()].into(),
            devices: [(1, "stranger".to_owned()), (2, "own".to_owned())].into(),
            confirmations: Vec::new(),
        };
        let answer = |confirmed: &Confirmed, at: i64| may_use_json("p", "newsletter", at, &rows, confirmed);
        let unconfirmed = answer(&confirmed, 1_800_000_300);
        assert_eq!(unconfirmed["answer"], "unconfirmed");
        assert_eq!(unconfirmed["mayUse"], false);
        assert_eq!(unconfirmed["awaitingConfirmation"]["receiptId"], "receipt-2");
        let state = state_json("p", &rows, &confirmed, 1_800_000_300);
        assert_eq!(state["purposes"], json!([]));
        assert_eq!(state["awaitingConfirmation"][0]["receiptId"], "receipt-2");

        // The person confirms from their own device at 400: their grant counts from then on, the stranger's never.
        confirmed.confirmations.push(("own".to_owned(), 1_800_000_400));
        assert_eq!(answer(&confirmed, 1_800_000_399)["answer"], "unconfirmed");
        let yes = answer(&confirmed, 1_800_000_400);
        assert_eq!(
            (yes["answer"].clone(), yes["mayUse"].clone()),
            (json!("yes"), json!(true))
        );
        assert_eq!(yes["restsOn"]["receiptId"], "receipt-2");
        let only_stranger = &rows[..1];
        assert_eq!(
            may_use_json("p", "newsletter", i64::MAX, only_stranger, &confirmed)["answer"],
            "unconfirmed"
        );
        // A withdrawal from the unconfirmed device counts: it never makes data usable.
        let mut withdrawal = row(3, "newsletter", Decision::Withdrawn, "r3");
        withdrawal.issued_at = rows[1].issued_at + 1;
        confirmed.devices.insert(3, "stranger".to_owned());
        let with_withdrawal = [rows.clone(), vec![withdrawal]].concat();
        let withdrawn = may_use_json("p", "newsletter", i64::MAX, &with_withdrawal, &confirmed);
        assert_eq!(withdrawn["answer"], "no");
        assert_eq!(withdrawn["restsOn"]["receiptId"], "receipt-3");
        // A purpose that needs no confirmed address counts whoever's device decided it.
        confirmed.needs.clear();
        assert_eq!(answer(&confirmed, 1_800_000_300)["answer"], "yes");
    }

    #[test]
    fn a_decision_made_earlier_than_one_held_changes_nothing_whenever_it_arrives() {
        // Today's refusal from one device arrives first; a grant signed two weeks ago on another arrives now.
        let mut refusal = row(1, "newsletter", Decision::Denied, "r1");
        refusal.issued_at = 1_800_000_000 + 14 * 86_400;
        refusal.received_at = refusal.issued_at + 10;
        let mut stale_grant = row(2, "newsletter", Decision::Granted, "r1");
        stale_grant.issued_at = 1_800_000_000;
        stale_grant.received_at = refusal.received_at + 60;
        let rows = vec![refusal.clone(), stale_grant.clone()];
        assert_eq!(current(&rows), [&refusal], "the later decision stands");
        let now = may_use_at(&rows, "newsletter", i64::MAX).expect("decided");
        assert_eq!(now.position, 1);
        assert!(
            !may_use_json("p", "newsletter", i64::MAX, &rows, &Confirmed::default())["mayUse"]
                .as_bool()
                .expect("a yes or no")
        );
        let events = history(&rows);
        assert_eq!(events[0].outdated_by, None);
        assert_eq!(
            events[1].outdated_by,
            Some(&refusal),
            "the history says why it changed nothing"
        );
        let json = history_json("p", &rows);
        assert_eq!(json["events"][1]["event"], "given");
        assert_eq!(json["events"][1]["outdatedBy"]["receiptId"], "receipt-1");
        assert!(json["events"][0].get("outdatedBy").is_none());
        // A decision made later than the one held wins whenever it arrives.
        let mut newer = row(3, "newsletter", Decision::Granted, "r1");
        newer.issued_at = refusal.issued_at + 1;
        let rows = vec![refusal, stale_grant, newer];
        assert_eq!(current(&rows)[0].position, 3);
    }

    #[test]
    fn the_history_has_every_decision_and_each_revision_change() {
        let rows = rows();
        let events: Vec<(String, u64)> = history(&rows)
            .iter()
            .map(|e| (format!("{:?}", e.kind), e.row.position))
            .collect();
        assert_eq!(
            events,
            [
                ("OtherBasis(Contract)".into(), 3),
                ("Given".into(), 3),
                ("Withdrawn".into(), 7),
                ("NoticeRevisionChanged { from: \"r1\" }".into(), 9),
                ("OtherBasis(Contract)".into(), 9),
                ("Given".into(), 9),
                ("Refused".into(), 9),
            ]
        );
        let json = history_json("p", &rows);
        assert_eq!(json["events"][3]["event"], "notice-revision-changed");
        assert_eq!(json["events"][3]["noticeRevision"], "r2");
        assert_eq!(json["events"][2]["event"], "withdrawn");
    }
}
