//! Disputes along the contract's escalation ladder, recorded with their audit trail.
//!
//! A dispute is raised against a settled month (one with a saved settlement), on one line
//! of it, within the contract's raising window counted from the month's first saved
//! version. Its state is always the replay of its recorded events by
//! [`pacta_governance::dispute`]: every action is checked against that replay before
//! anything is written, and appended naming how many events it was checked against, so two
//! writers acting on the same state cannot both succeed (the second is refused with
//! `dispute-conflict` and checks again).
//!
//! Subjects are the lines of the month's latest saved settlement: `sla/ID` and `credit/ID`
//! for each SLA judged, `invoice/ITEM` for each invoice line, and `credits` for the month's
//! credit statement as a whole.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use pacta_contract::Contract;
use pacta_contract::model::DisputeKind;
use pacta_core::Month;
use pacta_db::{DbError, DisputeRecord, NewDispute, NewDisputeEvent};
use pacta_governance::dispute::{
    Action, Adjustment, Dispute, DisputeEvent, Ladder, Opening, Side, raise_deadline,
};
use serde_json::Value;

use crate::files::read_evidence;
use crate::record::Recorder;
use crate::{OpError, OpResult};

/// A recorded dispute as its events leave it at a given time.
#[derive(Debug, Clone, PartialEq)]
pub struct DisputeView {
    /// What the database holds (id, month, who wrote each event…).
    pub record: DisputeRecord,
    /// The replayed state.
    pub dispute: Dispute,
    /// The kind of the current ladder step.
    pub step_kind: Option<DisputeKind>,
    /// Steps on the contract's ladder.
    pub steps: usize,
    /// When either side may escalate the current step alone (`None`: a step without days,
    /// or a closed dispute).
    pub deadline: Option<Timestamp>,
    /// The actions the client may record now ([`Action::name`]s).
    pub client_may: Vec<&'static str>,
    /// The actions the provider may record now.
    pub provider_may: Vec<&'static str>,
}

/// Opens a dispute on `subject` of the settled `month`, raised by `side` at `now`.
///
/// Refused, with nothing written: when the contract has no ladder, the month has no saved
/// settlement, the subject is not a line of its latest saved settlement, or the contract's
/// raising window (counted from the month's first saved version) has closed.
pub fn open(
    recorder: &Recorder,
    contract: &Contract,
    month: Month,
    subject: &str,
    side: Side,
    claim: &str,
    now: Timestamp,
) -> OpResult<DisputeView> {
    let ladder = Ladder::from_contract(contract)?;
    let contract_id = &contract.doc.contract.id;
    let versions = recorder.db.settlement_versions(contract_id, month)?;
    let (Some(first), Some(latest)) = (versions.first(), versions.last()) else {
        return Err(OpError::NothingSaved {
            contract_id: contract_id.clone(),
            month,
        });
    };
    let known = subjects(&latest.settlement_json)?;
    if !known.contains(subject) {
        return Err(OpError::UnknownDisputeSubject {
            subject: subject.to_string(),
            month,
            known: known.into_iter().collect(),
        });
    }
    let now = to_millisecond(now)?;
    let opening = Opening {
        subject: subject.to_string(),
        month,
        opened_by: side,
        at: now,
        claim: claim.to_string(),
    };
    // The rules first: a late dispute is refused before anything is written.
    Dispute::open(
        &ladder,
        opening.clone(),
        raise_deadline(contract, first.saved_at),
    )?;
    let record = recorder.db.open_dispute(
        &NewDispute {
            contract_id: contract_id.clone(),
            month,
            subject: subject.to_string(),
            opened_by: side.to_string(),
            opening_json: encode(&opening, "dispute opening")?,
        },
        &recorder.actor,
        now,
    )?;
    view(&ladder, record, now)
}

/// Records `action` by `side` on the dispute `id` at `now`, with evidence files (kept by
/// content hash; only a comment carries evidence).
///
/// The dispute is replayed and the action checked by the ladder's rules first: on any
/// refusal (a rule, an unknown id or one of another contract, an unreadable evidence file,
/// another writer having acted meanwhile) nothing is written.
pub fn act(
    recorder: &Recorder,
    contract: &Contract,
    id: &str,
    side: Side,
    action: Action,
    evidence: &[PathBuf],
    now: Timestamp,
) -> OpResult<DisputeView> {
    if !evidence.is_empty() && !matches!(action, Action::Comment { .. }) {
        return Err(OpError::EvidenceOnComments {
            action: action.name(),
        });
    }
    let mut files = Vec::with_capacity(evidence.len());
    for path in evidence {
        files.push(read_evidence(path)?);
    }
    act_with_files(recorder, contract, id, side, action, files, now)
}

/// [`act`] with the evidence files already read (an upload): each its name and bytes,
/// attached to a comment.
pub fn act_with_files(
    recorder: &Recorder,
    contract: &Contract,
    id: &str,
    side: Side,
    mut action: Action,
    files: Vec<(String, Vec<u8>)>,
    now: Timestamp,
) -> OpResult<DisputeView> {
    let ladder = Ladder::from_contract(contract)?;
    let record = load(recorder, contract, id)?;
    let mut dispute = replay(&ladder, &record)?;
    if !files.is_empty() {
        let Action::Comment {
            evidence: hashes, ..
        } = &mut action
        else {
            return Err(OpError::EvidenceOnComments {
                action: action.name(),
            });
        };
        for (_, bytes) in &files {
            hashes.push(pacta_db::evidence_hash(bytes));
        }
    }
    if let Action::Propose {
        adjustment: Some(Adjustment::ExclusionWindow { queues, .. }),
        ..
    } = &action
    {
        check_queues(contract, queues)?;
    }
    if let Action::Propose {
        adjustment: Some(Adjustment::LineOverride { line, .. }),
        ..
    } = &action
    {
        check_line(recorder, contract, &record, line)?;
    }
    let now = to_millisecond(now)?;
    let event = DisputeEvent {
        at: now,
        by: side,
        action,
    };
    let event_json = encode(&event, "dispute event")?;
    let name = event.action.name();
    dispute.apply(&ladder, event)?;
    let seen = u32::try_from(record.events.len()).map_err(|_| OpError::Encode {
        what: "dispute event number",
        detail: record.events.len().to_string(),
    })?;
    recorder.db.append_dispute_event(
        id,
        seen,
        &NewDisputeEvent {
            side: side.to_string(),
            action: name.to_string(),
            event_json,
            evidence: files,
        },
        &recorder.actor,
        now,
    )?;
    let record = load(recorder, contract, id)?;
    view(&ladder, record, now)
}

/// The dispute `id` of the contract as it stands at `now`.
pub fn show(
    recorder: &Recorder,
    contract: &Contract,
    id: &str,
    now: Timestamp,
) -> OpResult<DisputeView> {
    let ladder = Ladder::from_contract(contract)?;
    let record = load(recorder, contract, id)?;
    view(&ladder, record, now)
}

/// Every dispute of the contract as it stands at `now`, by month then number.
pub fn list(
    recorder: &Recorder,
    contract: &Contract,
    now: Timestamp,
) -> OpResult<Vec<DisputeView>> {
    let ladder = Ladder::from_contract(contract)?;
    recorder
        .db
        .disputes(&contract.doc.contract.id)?
        .into_iter()
        .map(|record| view(&ladder, record, now))
        .collect()
}

/// The lines of a saved settlement a dispute may be raised on, from its JSON.
pub fn subjects(settlement_json: &str) -> OpResult<BTreeSet<String>> {
    let value: Value = serde_json::from_str(settlement_json).map_err(|e| {
        OpError::Db(DbError::Corrupt {
            message: format!("a saved settlement does not read back: {e}"),
        })
    })?;
    let mut out = BTreeSet::new();
    if let Some(slas) = value["slas"].as_array() {
        for sla in slas {
            if let Some(id) = sla["sla_id"].as_str() {
                out.insert(format!("sla/{id}"));
                out.insert(format!("credit/{id}"));
            }
        }
    }
    if let Some(lines) = value["invoice"]["lines"].as_array() {
        for line in lines {
            if let Some(item) = line["item"].as_str() {
                out.insert(format!("invoice/{item}"));
            }
        }
    }
    out.insert("credits".to_string());
    Ok(out)
}

/// Every queue an exclusion names must be one of the contract's: a misspelt queue would
/// exclude nothing, silently.
fn check_queues(contract: &Contract, queues: &[String]) -> OpResult<()> {
    let known: BTreeSet<&str> = contract
        .doc
        .scope
        .services
        .iter()
        .flat_map(|s| s.queues.iter().map(String::as_str))
        .collect();
    match queues.iter().find(|q| !known.contains(q.as_str())) {
        Some(q) => Err(OpError::UnknownQueue {
            queue: q.clone(),
            known: known.iter().map(|k| k.to_string()).collect(),
        }),
        None => Ok(()),
    }
}

/// An agreed amount must name a line of the month's latest saved invoice: one on no line
/// would change nothing, silently.
fn check_line(
    recorder: &Recorder,
    contract: &Contract,
    record: &DisputeRecord,
    line: &str,
) -> OpResult<()> {
    let known: Vec<String> = match recorder
        .db
        .latest_settlement(&contract.doc.contract.id, record.month)?
    {
        Some(saved) => subjects(&saved.settlement_json)?
            .into_iter()
            .filter_map(|s| s.strip_prefix("invoice/").map(str::to_string))
            .collect(),
        None => Vec::new(),
    };
    if known.iter().any(|k| k == line) {
        Ok(())
    } else {
        Err(OpError::UnknownLine {
            line: line.to_string(),
            dispute: record.id.clone(),
            known,
        })
    }
}

/// The record of `id`, refused as unknown when it belongs to another contract (a tenant
/// never learns another's ids exist).
fn load(recorder: &Recorder, contract: &Contract, id: &str) -> OpResult<DisputeRecord> {
    recorder
        .db
        .dispute(id)?
        .filter(|r| r.contract_id == contract.doc.contract.id)
        .ok_or_else(|| DbError::UnknownDispute { id: id.to_string() }.into())
}

pub(crate) fn replay(ladder: &Ladder, record: &DisputeRecord) -> OpResult<Dispute> {
    let opening: Opening = decode(&record.opening_json, &record.id)?;
    let events = record
        .events
        .iter()
        .map(|e| decode::<DisputeEvent>(&e.event_json, &record.id))
        .collect::<OpResult<Vec<_>>>()?;
    Ok(Dispute::replay(ladder, opening, events)?)
}

fn view(ladder: &Ladder, record: DisputeRecord, now: Timestamp) -> OpResult<DisputeView> {
    let dispute = replay(ladder, &record)?;
    Ok(DisputeView {
        step_kind: ladder.steps.get(dispute.step).map(|s| s.kind),
        steps: ladder.steps.len(),
        deadline: dispute.deadline(ladder),
        client_may: dispute.allowed_actions(ladder, Side::Client, now),
        provider_may: dispute.allowed_actions(ladder, Side::Provider, now),
        record,
        dispute,
    })
}

/// The instant to the millisecond, as the audit log records it: the event's own time and its
/// audit entry's then agree.
fn to_millisecond(t: Timestamp) -> OpResult<Timestamp> {
    Timestamp::from_millisecond(t.as_millisecond()).map_err(|e| OpError::Encode {
        what: "timestamp",
        detail: e.to_string(),
    })
}

fn encode(value: &impl serde::Serialize, what: &'static str) -> OpResult<String> {
    serde_json::to_string(value).map_err(|e| OpError::Encode {
        what,
        detail: e.to_string(),
    })
}

fn decode<T: serde::de::DeserializeOwned>(text: &str, id: &str) -> OpResult<T> {
    serde_json::from_str(text).map_err(|e| {
        OpError::Db(DbError::Corrupt {
            message: format!("a recorded event of dispute {id} does not read back: {e}"),
        })
    })
}

/// Applies a resolved dispute's accepted adjustment to its month: settlement version n+1,
/// with the note v(n+1) − v(n) (see [`crate::adjust`]). `None` when the accepted proposal
/// carried no adjustment. Refused, with nothing written, while the dispute is not resolved
/// or once its adjustment is already part of the month.
pub fn apply_resolution(
    store: &pacta_data::store::Store,
    recorder: &Recorder,
    contract: &Contract,
    id: &str,
    now: Timestamp,
) -> OpResult<Option<crate::adjust::AdjustOutcome>> {
    let view = show(recorder, contract, id, now)?;
    if !matches!(
        view.dispute.status,
        pacta_governance::dispute::Status::Resolved { .. }
    ) {
        return Err(OpError::DisputeNotResolved { id: id.to_string() });
    }
    let Some(adjustment) = view.dispute.accepted_adjustment().cloned() else {
        return Ok(None);
    };
    let month = view.dispute.opening.month;
    crate::adjust::apply(
        store,
        recorder,
        contract,
        month,
        crate::settle::Adjusted {
            dispute: id.to_string(),
            adjustment,
        },
        now,
    )
    .map(Some)
}

/// An acceptance and what it did to the month.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// The dispute after the acceptance (resolved).
    pub view: DisputeView,
    /// The month settled again with the accepted adjustment: version n+1 and its note.
    /// `None` when the accepted offer carried no adjustment.
    pub applied: Option<crate::adjust::AdjustOutcome>,
}

/// Accepts the other side's latest offer as `side` (`pacta dispute accept`); when it carries
/// an adjustment, the month is settled again with it as the next version
/// ([`apply_resolution`]) and the note comes back with the dispute.
///
/// Refused with nothing written when the rules refuse the acceptance, or when the offer
/// carries an adjustment and `store_dir` holds no store. The acceptance is recorded before
/// the month is settled again and stands if that second step is refused (a stale
/// settlement, say): the error is returned and [`apply_resolution`] retries it.
pub fn accept(
    store_dir: &Path,
    recorder: &Recorder,
    contract: &Contract,
    id: &str,
    side: Side,
    now: Timestamp,
) -> OpResult<Accepted> {
    let before = show(recorder, contract, id, now)?;
    let adjusts = before
        .dispute
        .pending_proposal
        .and_then(|i| before.dispute.events.get(i))
        .is_some_and(|e| {
            matches!(
                e.action,
                Action::Propose {
                    adjustment: Some(_),
                    ..
                }
            )
        });
    // The store is opened first: an acceptance that cannot be applied is not recorded.
    let store = if adjusts {
        Some(crate::store::open_existing(store_dir)?)
    } else {
        None
    };
    let view = act(recorder, contract, id, side, Action::Accept, &[], now)?;
    let applied = match store {
        Some(store) if view.dispute.accepted_adjustment().is_some() => {
            apply_resolution(&store, recorder, contract, id, now)?
        }
        _ => None,
    };
    Ok(Accepted { view, applied })
}
