//! Adjustments, never edits: an accepted dispute resolution becomes an input of the month,
//! settlement version n+1 is computed with it (`supersedes = n`), and the credit or debit
//! note is the difference v(n+1) − v(n).
//!
//! Both versions are computed from the store snapshot version n recorded, so the note holds
//! the adjustment's effect and nothing else (a later import of the next month cannot leak
//! into it through the FCR window). A closed month changes only this way.

use jiff::Timestamp;
use pacta_contract::Contract;
use pacta_core::Month;
use pacta_data::store::Store;
use pacta_db::SettlementVersion;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::record::{
    Recorder, contract_hash, first_difference, inputs_of, settle_recorded, settlement_text,
};
use crate::settle::Adjusted;
use crate::settle::SettleOutcome;
use crate::{OpError, OpResult};

/// One amount before and after an adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change {
    /// In version n.
    pub before: Decimal,
    /// In version n+1.
    pub after: Decimal,
    /// `after − before`.
    pub difference: Decimal,
}

impl Change {
    fn of(before: Decimal, after: Decimal) -> OpResult<Change> {
        let difference = after.checked_sub(before).ok_or(OpError::Encode {
            what: "adjustment note",
            detail: format!("{after} − {before} overflows"),
        })?;
        Ok(Change {
            before,
            after,
            difference,
        })
    }
}

/// Which note the difference calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// The client is owed more: the provider issues a credit note.
    CreditNote,
    /// The client is owed less: the provider issues a debit note.
    DebitNote,
    /// Nothing moved.
    NoChange,
}

/// The note an adjustment calls for: v(n+1) − v(n), per SLA and in total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustmentNote {
    /// The contract.
    pub contract_id: String,
    /// The month adjusted.
    pub month: Month,
    /// The dispute whose resolution it applies.
    pub dispute: String,
    /// Version n.
    pub supersedes: u32,
    /// Version n+1.
    pub version: u32,
    /// Each SLA's credit after caps whose amount moved.
    pub sla_credit: Vec<(String, Change)>,
    /// The month's credit after caps.
    pub credit: Change,
    /// What the month leaves owed to the client (credits net of bonuses).
    pub net_to_client: Change,
    /// The invoice total the pricing implies.
    pub invoice_total: Change,
    /// Credit note, debit note or nothing.
    pub kind: NoteKind,
    /// Currency of every amount.
    pub currency: String,
}

/// An adjustment applied: the new version, its note and the settlement computed.
#[derive(Debug, Clone)]
pub struct AdjustOutcome {
    /// Version n+1 as saved.
    pub version: SettlementVersion,
    /// The note.
    pub note: AdjustmentNote,
    /// The settlement of version n+1.
    pub settled: SettleOutcome,
}

/// Applies an accepted resolution to `month` as its next settlement version. Refused, with
/// nothing written, when the month has no saved settlement, the contract file differs from
/// the one it was settled with, the latest version no longer comes out of its recorded
/// inputs, or this dispute is already applied.
pub fn apply(
    store: &Store,
    recorder: &Recorder,
    contract: &Contract,
    month: Month,
    adjusted: Adjusted,
    now: Timestamp,
) -> OpResult<AdjustOutcome> {
    let contract_id = &contract.doc.contract.id;
    let db = &recorder.db;
    let latest =
        db.latest_settlement(contract_id, month)?
            .ok_or_else(|| OpError::NothingSaved {
                contract_id: contract_id.clone(),
                month,
            })?;
    let inputs = inputs_of(&latest)?;
    let found = contract_hash(contract);
    if found != inputs.contract_hash {
        return Err(OpError::ContractChanged {
            month,
            recorded: inputs.contract_hash,
            found,
        });
    }
    if inputs
        .adjustments
        .iter()
        .any(|a| a.dispute == adjusted.dispute)
    {
        return Err(OpError::AlreadyAdjusted {
            dispute: adjusted.dispute,
            month,
            version: latest.version,
        });
    }
    let pinned = Store::open(store.dir())?.at_snapshot(inputs.store_snapshot)?;
    let before = settle_recorded(&pinned, db, contract, month, &inputs)?;
    let before_text = settlement_text(&before)?;
    if before_text != latest.settlement_json {
        return Err(OpError::StaleSettlement {
            month,
            version: latest.version,
            difference: first_difference(&latest.settlement_json, &before_text),
        });
    }
    let mut next = inputs.clone();
    next.adjustments.push(adjusted.clone());
    next.supersedes = Some(latest.version);
    let after = settle_recorded(&pinned, db, contract, month, &next)?;
    let new = pacta_db::NewSettlement {
        contract_id: contract_id.clone(),
        month,
        settlement_json: settlement_text(&after)?,
        record_json: encode("settlement record", &after.settlement.record)?,
        inputs_json: encode("settlement inputs", &next)?,
        adjusts: Some(latest.version),
    };
    let version = db.save_settlement(&new, &recorder.actor, now)?;
    let note = note(
        &before,
        &after,
        &adjusted.dispute,
        latest.version,
        version.version,
    )?;
    Ok(AdjustOutcome {
        version,
        note,
        settled: after,
    })
}

fn encode<T: Serialize>(what: &'static str, value: &T) -> OpResult<String> {
    serde_json::to_string(value).map_err(|e| OpError::Encode {
        what,
        detail: e.to_string(),
    })
}

/// v(n+1) − v(n).
pub fn note(
    before: &SettleOutcome,
    after: &SettleOutcome,
    dispute: &str,
    supersedes: u32,
    version: u32,
) -> OpResult<AdjustmentNote> {
    let (b, a) = (&before.settlement, &after.settlement);
    let mut sla_credit = Vec::new();
    let ids: std::collections::BTreeSet<&String> = b
        .credits
        .sla_credit
        .keys()
        .chain(a.credits.sla_credit.keys())
        .collect();
    for id in ids {
        let get = |s: &pacta_settle::Settlement| {
            s.credits
                .sla_credit
                .get(id)
                .copied()
                .unwrap_or(Decimal::ZERO)
        };
        let change = Change::of(get(b), get(a))?;
        if !change.difference.is_zero() {
            sla_credit.push((id.clone(), change));
        }
    }
    let net_to_client = Change::of(b.record.net_to_client, a.record.net_to_client)?;
    let kind = match net_to_client.difference {
        d if d > Decimal::ZERO => NoteKind::CreditNote,
        d if d < Decimal::ZERO => NoteKind::DebitNote,
        _ => NoteKind::NoChange,
    };
    Ok(AdjustmentNote {
        contract_id: b.contract_id.clone(),
        month: Month::parse(&b.month)?,
        dispute: dispute.to_string(),
        supersedes,
        version,
        sla_credit,
        credit: Change::of(b.credits.credit, a.credits.credit)?,
        net_to_client,
        invoice_total: Change::of(b.invoice.total, a.invoice.total)?,
        kind,
        currency: b.currency.clone(),
    })
}
