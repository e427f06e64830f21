//! Settling a month from the store, and the settlement history later months read.
//!
//! Saved settlements are versions in the system of record ([`crate::record`]): each save
//! adds a version, later months read the latest version of each earlier month, and a closed
//! month's versions never change.

use pacta_contract::Contract;
use pacta_core::Month;
use pacta_data::store::Store;
use pacta_db::Db;
use pacta_settle::{MonthInputs, Settlement};
use pacta_terms::credits::MonthRecord;
use pacta_terms::reconcile::VendorLine;

use crate::engine::{EngineSetup, ExternalEngine};
use crate::month_data::{self, ColumnNeeds};
use crate::{OpError, OpResult};
use pacta_kpi::CellSource;

/// What settling a month may take besides the store's data.
#[derive(Debug, Clone, Copy, Default)]
pub struct SettleOptions<'a> {
    /// The vendor's invoice to reconcile.
    pub vendor_invoice: Option<&'a [VendorLine]>,
    /// Settle even a month the store has no interactions for, or one outside the contract's
    /// term (every SLA without data then counts as missed unless excused).
    pub allow_empty: bool,
    /// Accepted dispute resolutions to apply. `None`: those of the month's latest saved
    /// version, so that settling again never drops an agreed adjustment.
    pub adjustments: Option<&'a [Adjusted]>,
    /// Count the SLAs' interaction cells on this external engine instead of pacta's own
    /// scan (`None`: locally). Billing volumes are still tallied from the loaded month.
    pub engine: Option<&'a EngineSetup>,
}

/// A month settled, with what a reader needs beside it.
#[derive(Debug, Clone)]
pub struct SettleOutcome {
    /// The settlement.
    pub settlement: Settlement,
    /// The earlier months' records it used (for the report's history).
    pub history: Vec<MonthRecord>,
    /// Which saved version of each earlier month those records are.
    pub history_versions: Vec<(Month, u32)>,
    /// The store snapshot the month's data was read from.
    pub store_snapshot: u64,
    /// Days of repeat-contact FCR window still open because the store has no data for the
    /// next month yet (`None` when none is open).
    pub fcr_window_open: Option<u32>,
    /// The accepted dispute resolutions applied.
    pub adjustments: Vec<Adjusted>,
}

/// Settles `month` from the store's data and the latest saved version of each earlier month
/// (none without a database). Nothing is saved: see [`crate::record::save`].
pub fn settle(
    store: &Store,
    db: Option<&Db>,
    contract: &Contract,
    month: Month,
    options: &SettleOptions<'_>,
) -> OpResult<SettleOutcome> {
    let (history, history_versions) = match db {
        Some(db) => history(db, contract, month)?,
        None => (Vec::new(), Vec::new()),
    };
    if history.is_empty() {
        refuse_legacy_settlements(store, contract, month)?;
    }
    let carried = match (options.adjustments, db) {
        (Some(list), _) => list.to_vec(),
        (None, Some(db)) => match db.latest_settlement(&contract.doc.contract.id, month)? {
            Some(latest) => carried_adjustments(&latest)?,
            None => Vec::new(),
        },
        (None, None) => Vec::new(),
    };
    settle_from(
        store,
        contract,
        month,
        options,
        &carried,
        history,
        history_versions,
    )
}

/// Settles `month` with exactly the given versions of earlier months as history (a closed
/// month recomputed from what it recorded).
pub fn settle_with_history(
    store: &Store,
    db: &Db,
    contract: &Contract,
    month: Month,
    options: &SettleOptions<'_>,
    versions: &[(Month, u32)],
) -> OpResult<SettleOutcome> {
    let contract_id = &contract.doc.contract.id;
    let mut records = Vec::with_capacity(versions.len());
    for &(m, v) in versions {
        let saved = db
            .settlement(contract_id, m, v)?
            .ok_or_else(|| OpError::NothingSaved {
                contract_id: contract_id.clone(),
                month: m,
            })?;
        records.push(record_of(&saved)?);
    }
    let adjustments = options.adjustments.unwrap_or_default().to_vec();
    settle_from(
        store,
        contract,
        month,
        options,
        &adjustments,
        records,
        versions.to_vec(),
    )
}

fn settle_from(
    store: &Store,
    contract: &Contract,
    month: Month,
    options: &SettleOptions<'_>,
    adjustments: &[Adjusted],
    history: Vec<MonthRecord>,
    history_versions: Vec<(Month, u32)>,
) -> OpResult<SettleOutcome> {
    let loaded = load_month(store, contract, month, options.allow_empty)?;
    let external = match options.engine {
        Some(setup) => Some(ExternalEngine::new(setup, store, contract, month)?),
        None => None,
    };
    settle_loaded_on(
        &loaded,
        contract,
        options.vendor_invoice,
        adjustments,
        (history, history_versions),
        external.as_ref().map(|e| e as &dyn CellSource),
    )
}

/// What reading a month from the store depends on: the same key, the same data (for one
/// store snapshot). A cache of loaded months keys on it with the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoadKey {
    /// The contract whose rows are read.
    pub contract_id: String,
    /// The month.
    pub month: Month,
    /// The columns read.
    pub needs: ColumnNeeds,
    /// Days of the next month's contacts added for repeat-contact FCR (0: none).
    pub fcr_window_days: u32,
    /// The zone the month's end is cut in (where the FCR window starts).
    pub time_zone: String,
}

impl LoadKey {
    /// What settling `contract`'s `month` reads.
    pub fn of(contract: &Contract, month: Month) -> LoadKey {
        LoadKey {
            contract_id: contract.doc.contract.id.clone(),
            month,
            needs: ColumnNeeds::of_contract(contract),
            fcr_window_days: pacta_settle::month::fcr_window_days(contract),
            time_zone: contract.doc.contract.time_zone.clone(),
        }
    }
}

/// A month read from the store, ready to settle any number of times without reading the
/// store again ([`settle_loaded`]).
#[derive(Debug, Clone)]
pub struct LoadedMonth {
    /// What was read.
    pub key: LoadKey,
    /// The store snapshot it was read from.
    pub store_snapshot: u64,
    /// The data.
    pub data: month_data::MonthData,
    /// See [`SettleOutcome::fcr_window_open`].
    pub fcr_window_open: Option<u32>,
}

impl LoadedMonth {
    /// An estimate of the memory the month holds, in bytes (its column buffers and
    /// records), for a cache bounded in bytes.
    pub fn estimated_bytes(&self) -> usize {
        self.data.estimated_bytes() + std::mem::size_of::<LoadedMonth>()
    }
}

/// Reads `contract`'s `month` from the store: the first half of settling it. Refuses a
/// month without interactions or outside the term unless `allow_empty`. Pin the store
/// ([`Store::at_snapshot`]) for the data to be exactly the snapshot recorded.
pub fn load_month(
    store: &Store,
    contract: &Contract,
    month: Month,
    allow_empty: bool,
) -> OpResult<LoadedMonth> {
    if !allow_empty {
        refuse_a_month_without_data(store, contract, month)?;
    }
    let key = LoadKey::of(contract, month);
    let store_snapshot = store.snapshot_number()?;
    let data = tracing::info_span!("settle.read")
        .in_scope(|| month_data::load(store, contract, month, key.needs))?;
    Ok(LoadedMonth {
        key,
        store_snapshot,
        data,
        fcr_window_open: month_data::fcr_window_still_open(store, contract, month)?,
    })
}

/// Settles a month already read ([`load_month`]): the second half of settling it, with
/// the accepted dispute resolutions and the earlier months given. `contract` may differ
/// from the one the month was read for (a what-if) as long as it reads the same data:
/// [`LoadKey::of`] equal, else [`OpError::LoadedForOtherTerms`].
pub fn settle_loaded(
    loaded: &LoadedMonth,
    contract: &Contract,
    vendor_invoice: Option<&[VendorLine]>,
    adjustments: &[Adjusted],
    history: Vec<MonthRecord>,
    history_versions: Vec<(Month, u32)>,
) -> OpResult<SettleOutcome> {
    settle_loaded_on(
        loaded,
        contract,
        vendor_invoice,
        adjustments,
        (history, history_versions),
        None,
    )
}

fn settle_loaded_on(
    loaded: &LoadedMonth,
    contract: &Contract,
    vendor_invoice: Option<&[VendorLine]>,
    adjustments: &[Adjusted],
    (history, history_versions): (Vec<MonthRecord>, Vec<(Month, u32)>),
    cells: Option<&dyn CellSource>,
) -> OpResult<SettleOutcome> {
    let month = loaded.key.month;
    if LoadKey::of(contract, month) != loaded.key {
        return Err(OpError::LoadedForOtherTerms { month });
    }
    let _span = tracing::info_span!("settle.compute").entered();
    let data = &loaded.data;
    let incidents = adjusted_incidents(&data.incidents, adjustments)?;
    let agreed = agreed_amounts(adjustments);
    let mut kpi_inputs = data.kpi_inputs();
    kpi_inputs.cells = cells;
    let inputs = MonthInputs {
        data: kpi_inputs,
        incidents: &incidents,
        history: &history,
        vendor_invoice,
        agreed: &agreed,
    };
    let settlement = pacta_settle::settle_month(contract, month, &inputs)?;
    // An agreement on a line the invoice does not have would change nothing, silently.
    for a in &agreed {
        if !settlement.invoice.lines.iter().any(|l| l.item == a.item) {
            return Err(OpError::UnknownLine {
                line: a.item.clone(),
                dispute: a.reference.clone(),
                known: settlement
                    .invoice
                    .lines
                    .iter()
                    .map(|l| l.item.clone())
                    .collect(),
            });
        }
    }
    Ok(SettleOutcome {
        settlement,
        history,
        history_versions,
        store_snapshot: loaded.store_snapshot,
        fcr_window_open: loaded.fcr_window_open,
        adjustments: adjustments.to_vec(),
    })
}

/// An accepted dispute resolution, as a month's settlement applies it: an input added to the
/// month, never an edit of its data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Adjusted {
    /// The dispute whose accepted proposal it is.
    pub dispute: String,
    /// What the month gets.
    pub adjustment: pacta_governance::dispute::Adjustment,
}

/// The adjustments a saved version recorded (its inputs' `adjustments`, none when absent).
pub(crate) fn carried_adjustments(saved: &pacta_db::SettlementVersion) -> OpResult<Vec<Adjusted>> {
    #[derive(serde::Deserialize)]
    struct Carried {
        #[serde(default)]
        adjustments: Vec<Adjusted>,
    }
    serde_json::from_str::<Carried>(&saved.inputs_json)
        .map(|c| c.adjustments)
        .map_err(|e| OpError::Encode {
            what: "settlement inputs",
            detail: e.to_string(),
        })
}

/// The month's incidents with the accepted resolutions applied: an exclusion window becomes
/// an accepted incident named after its dispute, an accepted incident is marked accepted.
/// The store's records are not touched; the settlement reads this list instead.
pub fn adjusted_incidents(
    incidents: &[pacta_data::model::Incident],
    adjustments: &[Adjusted],
) -> OpResult<Vec<pacta_data::model::Incident>> {
    use pacta_data::model::{Incident, IncidentKind};
    use pacta_governance::dispute::{Adjustment, ReliefKind};
    let mut out = incidents.to_vec();
    for a in adjustments {
        match &a.adjustment {
            Adjustment::ExclusionWindow {
                start,
                end,
                queues,
                kind,
            } => out.push(Incident {
                incident_id: a.dispute.clone(),
                kind: match kind {
                    ReliefKind::Outage => IncidentKind::Outage,
                    ReliefKind::ForceMajeure => IncidentKind::ForceMajeure,
                    ReliefKind::ClientCaused => IncidentKind::ClientCaused,
                },
                start_ms: start.as_millisecond(),
                end_ms: end.as_millisecond(),
                queues: queues.clone(),
                declared_by: format!("dispute {}", a.dispute),
                accepted: true,
            }),
            Adjustment::AcceptIncident { incident_id } => {
                let found = out
                    .iter_mut()
                    .find(|i| &i.incident_id == incident_id)
                    .ok_or_else(|| OpError::UnknownIncident {
                        incident_id: incident_id.clone(),
                        dispute: a.dispute.clone(),
                    })?;
                found.accepted = true;
            }
            // A line's amount changes the invoice, not the incidents (see `agreed_amounts`).
            Adjustment::LineOverride { .. } => {}
        }
    }
    Ok(out)
}

/// The line amounts the accepted resolutions agree, in the order they were accepted (a later
/// agreement on the same line wins).
pub fn agreed_amounts(adjustments: &[Adjusted]) -> Vec<pacta_terms::pricing::AgreedAmount> {
    let mut out: Vec<pacta_terms::pricing::AgreedAmount> = Vec::new();
    for a in adjustments {
        if let pacta_governance::dispute::Adjustment::LineOverride { line, amount, .. } =
            &a.adjustment
        {
            out.retain(|x| &x.item != line);
            out.push(pacta_terms::pricing::AgreedAmount {
                item: line.clone(),
                amount: *amount,
                reference: a.dispute.clone(),
            });
        }
    }
    out
}

/// Settlements saved by pacta before the database (files under
/// `<store>/settlements/<contract id>/`) would be silently left out of the history, and their
/// credits never netted: say so instead.
fn refuse_legacy_settlements(store: &Store, contract: &Contract, month: Month) -> OpResult<()> {
    let dir = store
        .dir()
        .join("settlements")
        .join(&contract.doc.contract.id);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let earlier = entries.flatten().any(|e| {
        e.file_name()
            .to_str()
            .and_then(|n| n.strip_suffix(".record.json"))
            .and_then(|m| Month::parse(m).ok())
            .is_some_and(|m| m < month)
    });
    if earlier {
        return Err(OpError::LegacySettlements { dir });
    }
    Ok(())
}

/// A month before the contract's term, or one the store has no interactions for, would settle
/// as an official-looking report with credits that later invoices net: refuse it.
fn refuse_a_month_without_data(store: &Store, contract: &Contract, month: Month) -> OpResult<()> {
    let starts = Month::of_date(contract.doc.contract.effective_date.civil())?;
    if month < starts {
        return Err(OpError::MonthBeforeTerm { month, starts });
    }
    if let Some(ends) = last_month_of_term(contract)?
        && month > ends
    {
        return Err(OpError::MonthAfterTerm { month, ends });
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

/// The last month of a contract that does not renew by itself: the month of the day before
/// `effective_date + initial_term_months` (`None` when it renews automatically).
pub fn last_month_of_term(contract: &Contract) -> OpResult<Option<Month>> {
    let header = &contract.doc.contract;
    if header.renewal.as_ref().is_some_and(|r| r.automatic) {
        return Ok(None);
    }
    let effective = header.effective_date.civil();
    // A term reaching past the calendar's end has no last month to refuse after.
    let Some(ends) = effective
        .checked_add(jiff::Span::new().months(i64::from(header.initial_term_months)))
        .and_then(|end| end.checked_sub(jiff::Span::new().days(1)))
        .ok()
    else {
        return Ok(None);
    };
    Ok(Some(Month::of_date(ends)?))
}

/// A month and one of its saved settlement versions.
pub type SavedVersion = (Month, u32);

/// The latest saved record of each month before `month`, oldest first, with its version.
pub fn history(
    db: &Db,
    contract: &Contract,
    month: Month,
) -> OpResult<(Vec<MonthRecord>, Vec<SavedVersion>)> {
    let saved = db.latest_before(&contract.doc.contract.id, month)?;
    let mut records = Vec::with_capacity(saved.len());
    let mut versions = Vec::with_capacity(saved.len());
    for v in &saved {
        records.push(record_of(v)?);
        versions.push((v.month, v.version));
    }
    Ok((records, versions))
}

fn record_of(saved: &pacta_db::SettlementVersion) -> OpResult<MonthRecord> {
    serde_json::from_str(&saved.record_json).map_err(|e| OpError::BadSettlementRecord {
        what: format!(
            "{} {} version {}",
            saved.contract_id, saved.month, saved.version
        ),
        detail: e.to_string(),
    })
}
