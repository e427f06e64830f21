//! Obligations as the two parties track them: derived from the contract, recorded in the
//! database, fulfilled with evidence or waived, and published as an ICS calendar.
//!
//! Listing obligations records them: every id the contract derives over the range is kept
//! (once), and recorded ids of that range the contract no longer derives are superseded by
//! an event, so a calendar subscriber sees them cancelled rather than vanishing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use pacta_contract::Contract;
use pacta_core::Lang;
use pacta_data::model::IncidentKind;
use pacta_data::record_kinds::RecordKind;
use pacta_data::store::Store;
use pacta_db::{Derivation, NewObligation, ObligationAction, ObligationEvent, ObligationSync};
use pacta_governance::ics::{CalendarEvent, EventStatus, EventWhen, write_calendar};
use pacta_governance::obligation::{Closing, Due, History, Obligation, Status, obligations};
use pacta_governance::proven::{self, Evidence, Figure, Measured};
use pacta_kpi::KpiRequest;

use crate::month_data::MonthData;

use crate::record::{Recorder, contract_hash};
use crate::{OpError, OpResult};

pub use crate::files::MAX_EVIDENCE_BYTES;
use crate::files::read_evidence;

/// Facts a user states for the derivation: a chosen exit and planned audits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plans {
    /// The exit date of a termination for convenience being considered.
    pub exit_on: Option<Date>,
    /// Audit dates the client plans.
    pub planned_audits: Vec<Date>,
}

/// One obligation and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct ObligationRow {
    /// The obligation as derived (by the current contract, or by the version that last
    /// derived it when superseded).
    pub obligation: Obligation,
    /// Where it stands.
    pub status: Status,
    /// The fulfilment or waiver recorded on it.
    pub closed_by: Option<ObligationEvent>,
    /// The contract version whose derivation it now follows: the current one, or the one
    /// that superseded it.
    pub contract_version: String,
    /// What the imported data shows, for a kind the data proves once its month has ended
    /// and its records are in the store.
    pub measured: Option<Measured>,
}

/// The obligations of a range, and what listing them recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct ObligationList {
    /// Every obligation of the range, superseded ones included, by due date.
    pub rows: Vec<ObligationRow>,
    /// What was recorded.
    pub sync: ObligationSync,
}

/// The facts outside the contract text that obligations depend on: saved settlements (claim
/// windows run from each month's first saved version), security breaches among the imported
/// incidents, and the user's plans.
pub fn history(
    recorder: &Recorder,
    store: Option<&Store>,
    contract: &Contract,
    plans: &Plans,
) -> OpResult<History> {
    let id = &contract.doc.contract.id;
    let mut settlements = Vec::new();
    for month in crate::record::months(&recorder.db, id)? {
        let first = recorder.db.settlement_versions(id, month.latest.month)?;
        if let Some(v) = first.first() {
            settlements.push((v.month, v.saved_at));
        }
    }
    let mut breaches = Vec::new();
    if let Some(store) = store {
        for incident in store.load_records(id, RecordKind::Incidents)?.incidents() {
            if incident.kind == IncidentKind::SecurityBreach {
                let at = Timestamp::from_millisecond(incident.start_ms).map_err(|e| {
                    OpError::Encode {
                        what: "incident start",
                        detail: e.to_string(),
                    }
                })?;
                breaches.push((incident.incident_id, at));
            }
        }
    }
    // The current step's deadline of each open dispute; a contract without a ladder has
    // no disputes to track.
    let mut dispute_steps = Vec::new();
    if let Ok(ladder) = pacta_governance::dispute::Ladder::from_contract(contract) {
        for record in recorder.db.disputes(id)? {
            let dispute = crate::dispute::replay(&ladder, &record)?;
            if dispute.status != pacta_governance::dispute::Status::Open {
                continue;
            }
            if let (Some(deadline), Some(step)) =
                (dispute.deadline(&ladder), ladder.steps.get(dispute.step))
            {
                let name =
                    pacta_governance::dispute::kind_label(step.kind, Lang::En).replace(' ', "-");
                dispute_steps.push((record.id.clone(), name, deadline));
            }
        }
    }
    Ok(History {
        settlements,
        breaches,
        exit_on: plans.exit_on,
        planned_audits: plans.planned_audits.clone(),
        dispute_steps,
    })
}

/// Derives the obligations of `from..=to`, records them, and returns each with its status at
/// `now`.
pub fn list(
    recorder: &Recorder,
    store: Option<&Store>,
    contract: &Contract,
    history: &History,
    from: Date,
    to: Date,
    now: Timestamp,
) -> OpResult<ObligationList> {
    let derived = obligations(contract, from, to, history)?;
    let verdicts = match store {
        Some(store) => data_verdicts(store, contract, &derived, now)?,
        None => BTreeMap::new(),
    };
    let tz = &contract.time_zone;
    let mut new = Vec::with_capacity(derived.len());
    for o in &derived {
        new.push(NewObligation {
            id: o.id.clone(),
            due_last_day: o.due.last_day(tz).to_string(),
            obligation_json: encode(o)?,
        });
    }
    let header = &contract.doc.contract;
    let hash = contract_hash(contract);
    let (first_day, last_day) = (from.to_string(), to.to_string());
    let sync = recorder.db.sync_obligations(
        &Derivation {
            contract_id: &header.id,
            contract_version: &header.version,
            contract_hash: &hash,
            first_day: &first_day,
            last_day: &last_day,
        },
        &new,
        &recorder.actor,
        now,
    )?;
    // Windows that overlap the range (a yearly quota, a quarter) end after it; the records
    // are read up to the last of them so that the list shows every derived obligation.
    let read_to = derived
        .iter()
        .map(|o| o.due.last_day(tz))
        .max()
        .map_or(to, |last| last.max(to))
        .to_string();
    let records = recorder.db.obligations(&header.id, &first_day, &read_to)?;
    let derived_ids: BTreeSet<&str> = derived.iter().map(|o| o.id.as_str()).collect();
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let superseded = record.superseded();
        // A derived obligation is shown as derived now (its title may read better in this
        // version); a superseded one as it was recorded.
        let obligation = match derived.iter().find(|o| o.id == record.id) {
            Some(o) => o.clone(),
            None => decode(&record.obligation_json)?,
        };
        if !derived_ids.contains(record.id.as_str()) && obligation.due.first_day(tz) > to {
            continue;
        }
        let closed_by = record.settled_by().cloned();
        let measured = verdicts.get(&record.id).cloned();
        // A waiver agreed between the parties stands; otherwise the data's verdict outranks
        // a ticked box, which cannot make a breached month met.
        let closing = match (closed_by.as_ref(), &measured) {
            (Some(e), _) if e.action == "waive" => Some(Closing::Waived),
            (_, Some(m)) if m.met => Some(Closing::ProvenMet),
            (_, Some(_)) => Some(Closing::ProvenBreached),
            (Some(e), None) => Some(Closing::Fulfilled(e.at)),
            (None, None) => None,
        };
        let contract_version = if superseded {
            record
                .events
                .iter()
                .rev()
                .find(|e| e.action == "supersede")
                .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.detail_json).ok())
                .and_then(|v| v["contract_version"].as_str().map(str::to_string))
                .unwrap_or_else(|| header.version.clone())
        } else if derived_ids.contains(record.id.as_str()) {
            header.version.clone()
        } else {
            record.contract_version.clone()
        };
        rows.push(ObligationRow {
            status: obligation.status(tz, now, closing, superseded),
            obligation,
            closed_by,
            contract_version,
            measured,
        });
    }
    rows.sort_by(|a, b| {
        let key = |r: &ObligationRow| (r.obligation.due.last_day(tz), r.obligation.kind);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.obligation.id.cmp(&b.obligation.id))
    });
    Ok(ObligationList { rows, sync })
}

/// The data's verdict on each data-proven obligation of `derived` whose month has ended and
/// whose records (roster; training or QA evaluations dated in the month) are in the store.
/// A month without them stays open: no training records is missing data, not zero hours.
pub fn data_verdicts(
    store: &Store,
    contract: &Contract,
    derived: &[Obligation],
    now: Timestamp,
) -> OpResult<BTreeMap<String, Measured>> {
    let tz = &contract.time_zone;
    let due: Vec<&Obligation> = derived
        .iter()
        .filter(|o| proven::DATA_PROVEN.contains(&o.kind))
        .filter(|o| o.deadline(tz).is_some_and(|d| now >= d))
        .collect();
    let mut out = BTreeMap::new();
    if due.is_empty() {
        return Ok(out);
    }
    let id = &contract.doc.contract.id;
    let records = |k: RecordKind| store.load_records(id, k);
    let data = MonthData {
        roster: records(RecordKind::Roster)?.roster(),
        training: records(RecordKind::Training)?.training(),
        qa: records(RecordKind::Qa)?.qa_evaluations(),
        ..MonthData::default()
    };
    if data.roster.is_empty() {
        return Ok(out);
    }
    let mut by_month: BTreeMap<pacta_core::Month, Vec<&Obligation>> = BTreeMap::new();
    for o in due {
        let first = o.due.first_day(tz);
        let month =
            pacta_core::Month::new(first.year(), first.month()).map_err(|e| OpError::Encode {
                what: "obligation month",
                detail: e.to_string(),
            })?;
        by_month.entry(month).or_default().push(o);
    }
    for (month, list) in by_month {
        let (start_ms, end_ms) = month.bounds_ms(tz)?;
        let (first, last) = (month.first_day(), month.last_day());
        let has = |evidence: Evidence| match evidence {
            Evidence::Roster => true,
            Evidence::Training => data
                .training
                .iter()
                .any(|t| first <= t.date && t.date <= last),
            Evidence::QaEvaluations => data
                .qa
                .iter()
                .any(|e| start_ms <= e.evaluated_at_ms && e.evaluated_at_ms < end_ms),
        };
        let mut asked = Vec::new();
        let mut requests = Vec::new();
        for o in list {
            let Some(req) = proven::requirement(contract, o.kind) else {
                continue;
            };
            if has(req.evidence) {
                requests.push(KpiRequest::new(
                    o.kind.code(),
                    req.measure.clone(),
                    Default::default(),
                ));
                asked.push((o, req));
            }
        }
        if requests.is_empty() {
            continue;
        }
        let report = pacta_kpi::compute(contract, month, &data.kpi_inputs(), &requests, &[])?;
        for (o, req) in asked {
            let Some(value) = report.single(o.kind.code()) else {
                continue;
            };
            let figure = Figure {
                value: value.value,
                inputs: value
                    .inputs
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), *v))
                    .collect(),
                formula: value.formula.clone(),
                approximate: value.approximate,
            };
            if let Some(m) = proven::judge(&req, &figure) {
                out.insert(o.id.clone(), m);
            }
        }
    }
    Ok(out)
}

/// What to record on an obligation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act<'a> {
    /// Fulfilled, with an evidence file read from disk.
    Fulfil {
        /// The evidence file.
        evidence: Option<&'a Path>,
        /// A note.
        note: Option<String>,
    },
    /// Waived, and why.
    Waive {
        /// Why.
        reason: String,
    },
}

/// Records a fulfilment (with its evidence file, kept by content hash) or a waiver.
/// Refused, with nothing recorded, for an unknown id, an obligation of another contract than
/// `contract_id` (when given: a tenant never learns another's ids exist), an obligation
/// already closed or superseded, or an evidence file that cannot be read.
pub fn act(
    recorder: &Recorder,
    contract_id: Option<&str>,
    id: &str,
    act: Act<'_>,
    now: Timestamp,
) -> OpResult<ObligationEvent> {
    let action = match act {
        Act::Fulfil { evidence, note } => {
            let evidence = match evidence {
                Some(path) => Some(read_evidence(path)?),
                None => None,
            };
            ObligationAction::Fulfil { evidence, note }
        }
        Act::Waive { reason } => ObligationAction::Waive { reason },
    };
    let belongs = recorder
        .db
        .obligation(id)?
        .is_some_and(|r| contract_id.is_none_or(|c| r.contract_id == c));
    if !belongs {
        return Err(pacta_db::DbError::UnknownObligation { id: id.to_string() }.into());
    }
    Ok(recorder
        .db
        .act_on_obligation(id, &action, &recorder.actor, now)?)
}

/// The rows as an RFC 5545 calendar: one event per obligation, superseded ones cancelled,
/// UIDs `id@pacta`, SEQUENCE from the contract version, a reminder at the lead time.
pub fn calendar(
    contract: &Contract,
    rows: &[ObligationRow],
    lang: Lang,
    dtstamp: Timestamp,
) -> String {
    let events: Vec<CalendarEvent> = rows
        .iter()
        .map(|row| {
            let o = &row.obligation;
            let at = o.location(contract);
            CalendarEvent {
                uid: format!("{}@pacta", o.id),
                sequence: sequence_of(&row.contract_version),
                summary: format!("{} · {}", contract.doc.contract.id, o.title(lang)),
                description: format!(
                    "{}: {}\n{}: {}\n{}: {} ({}:{})\n{}: {}",
                    lang.pick("Responsible", "Responsable"),
                    o.party.label(lang),
                    lang.pick("Status", "Estado"),
                    row.status.label(lang),
                    lang.pick("Contract clause", "Cláusula del contrato"),
                    o.source,
                    at.line,
                    at.col,
                    lang.pick("Obligation id", "Id de la obligación"),
                    o.id,
                ),
                when: match o.due {
                    Due::Date { date } => EventWhen::Date(date),
                    Due::Window { first, last } => EventWhen::Window { first, last },
                    Due::Instant { at } => EventWhen::Instant(at),
                },
                status: if row.status == Status::Superseded {
                    EventStatus::Cancelled
                } else {
                    EventStatus::Confirmed
                },
                alarm_lead_days: Some(o.lead_days),
            }
        })
        .collect();
    let name = format!(
        "{} · {}",
        contract.doc.contract.id,
        lang.pick("obligations", "obligaciones")
    );
    write_calendar(&name, dtstamp, &events)
}

/// An iCalendar SEQUENCE from a contract version: `major.minor.patch` as
/// `major × 10000 + minor × 100 + patch`, so a later version always has a larger sequence
/// and clients take its events as updates. A version that is not numeric counts as 0.
pub fn sequence_of(version: &str) -> u32 {
    let mut parts = version.split('.').map(|p| p.trim().parse::<u32>().ok());
    let mut next = || parts.next().flatten().unwrap_or(0).min(99);
    let (major, minor, patch) = (next(), next(), next());
    major * 10_000 + minor * 100 + patch
}

fn encode(o: &Obligation) -> OpResult<String> {
    serde_json::to_string(o).map_err(|e| OpError::Encode {
        what: "obligation",
        detail: e.to_string(),
    })
}

fn decode(text: &str) -> OpResult<Obligation> {
    serde_json::from_str(text).map_err(|e| {
        OpError::Db(pacta_db::DbError::Corrupt {
            message: format!("a recorded obligation does not read back: {e}"),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::sequence_of;

    #[test]
    fn sequences_grow_with_the_version() {
        assert_eq!(sequence_of("1.1"), 10_100);
        assert_eq!(sequence_of("2"), 20_000);
        assert_eq!(sequence_of("1.10.3"), 11_003);
        assert_eq!(sequence_of("draft"), 0);
        assert!(sequence_of("1.2") > sequence_of("1.1"));
        assert!(sequence_of("2.0") > sequence_of("1.99"));
    }
}
