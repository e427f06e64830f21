//! Settling a month from the store, and the settlement history later months read.
//!
//! Settlements are kept in the store directory under `settlements/<contract id>/`:
//! `<YYYY-MM>.json` (the full settlement) and `<YYYY-MM>.record.json` (what the month leaves
//! for later months: charges, credits, statuses, bonus pool). Settling a month again
//! overwrites its files; later months read the records.

use std::path::PathBuf;

use pacta_contract::Contract;
use pacta_core::Month;
use pacta_data::store::Store;
use pacta_settle::{MonthInputs, Settlement};
use pacta_terms::credits::MonthRecord;
use pacta_terms::reconcile::VendorLine;

use crate::month_data::{self, ColumnNeeds};
use crate::{OpError, OpResult, files};

/// What settling a month may take besides the store's data.
#[derive(Debug, Clone, Copy, Default)]
pub struct SettleOptions<'a> {
    /// The vendor's invoice to reconcile.
    pub vendor_invoice: Option<&'a [VendorLine]>,
    /// Settle even a month the store has no interactions for, or one before the contract's
    /// effective date (every SLA without data then counts as missed unless excused).
    pub allow_empty: bool,
}

/// A month settled, with what a reader needs beside it.
#[derive(Debug, Clone)]
pub struct SettleOutcome {
    /// The settlement.
    pub settlement: Settlement,
    /// The earlier months' records it used (for the report's history).
    pub history: Vec<MonthRecord>,
    /// Days of repeat-contact FCR window still open because the store has no data for the
    /// next month yet (`None` when none is open).
    pub fcr_window_open: Option<u32>,
}

/// Settles `month` from the store's data and the earlier months' records. Nothing is saved:
/// see [`save`].
pub fn settle(
    store: &Store,
    contract: &Contract,
    month: Month,
    options: &SettleOptions<'_>,
) -> OpResult<SettleOutcome> {
    if !options.allow_empty {
        refuse_a_month_without_data(store, contract, month)?;
    }
    let data = month_data::load(store, contract, month, ColumnNeeds::of_contract(contract))?;
    let history = history(store, contract, month)?;
    let inputs = MonthInputs {
        data: data.kpi_inputs(),
        incidents: &data.incidents,
        history: &history,
        vendor_invoice: options.vendor_invoice,
    };
    let settlement = pacta_settle::settle_month(contract, month, &inputs)?;
    Ok(SettleOutcome {
        settlement,
        history,
        fcr_window_open: month_data::fcr_window_still_open(store, contract, month)?,
    })
}

/// A month before the contract's term, or one the store has no interactions for, would settle
/// as an official-looking report with credits that later invoices net: refuse it.
fn refuse_a_month_without_data(store: &Store, contract: &Contract, month: Month) -> OpResult<()> {
    let starts = Month::of_date(contract.doc.contract.effective_date.civil())?;
    if month < starts {
        return Err(OpError::MonthBeforeTerm { month, starts });
    }
    if !store.months(&contract.doc.contract.id)?.contains(&month) {
        return Err(OpError::NoInteractions {
            contract_id: contract.doc.contract.id.clone(),
            month,
            store: store.dir().to_path_buf(),
        });
    }
    Ok(())
}

fn settlements_dir(store: &Store, contract: &Contract) -> PathBuf {
    store
        .dir()
        .join("settlements")
        .join(&contract.doc.contract.id)
}

/// The records of the months before `month`, oldest first.
pub fn history(store: &Store, contract: &Contract, month: Month) -> OpResult<Vec<MonthRecord>> {
    let dir = settlements_dir(store, contract);
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(out);
    };
    for e in entries.flatten() {
        let path = e.path();
        if !path.to_string_lossy().ends_with(".record.json") {
            continue;
        }
        let bytes = files::read(&path)?;
        let record: MonthRecord =
            serde_json::from_slice(&bytes).map_err(|err| OpError::BadSettlementRecord {
                path: path.clone(),
                detail: err.to_string(),
            })?;
        if record.month < month {
            out.push(record);
        }
    }
    out.sort_by_key(|r| r.month);
    Ok(out)
}

/// Keeps the settlement (and the record later months read) in the store.
pub fn save(store: &Store, contract: &Contract, settlement: &Settlement) -> OpResult<()> {
    let dir = settlements_dir(store, contract);
    let full = dir.join(format!("{}.json", settlement.month));
    files::write(&full, &to_json(&full, settlement)?)?;
    let record = dir.join(format!("{}.record.json", settlement.month));
    files::write(&record, &to_json(&record, &settlement.record)?)
}

fn to_json(path: &std::path::Path, value: &impl serde::Serialize) -> OpResult<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|e| OpError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })
}
