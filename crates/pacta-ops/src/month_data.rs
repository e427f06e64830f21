//! A month of operational data read from the store: what settling or measuring it needs.

use pacta_contract::Contract;
use pacta_core::Month;
use pacta_data::model::{
    AgentDay, Incident, InteractionTable, QaEvaluation, RosterEntry, Survey, TrainingRecord,
};
use pacta_data::parquet_io::COLUMNS;
use pacta_data::record_kinds::RecordKind;
use pacta_data::store::Store;
use pacta_kpi::{GroupBy, KpiInputs, KpiRequest};

use crate::OpResult;

/// A month of data, owning what [`KpiInputs`] borrows.
#[derive(Debug, Clone, Default)]
pub struct MonthData {
    /// The month's interactions, and the first days of the next month when repeat-contact FCR
    /// needs them.
    pub interactions: InteractionTable,
    /// Survey answers (every month's: the engine places them by their own time stamps).
    pub surveys: Vec<Survey>,
    /// QA evaluations.
    pub qa: Vec<QaEvaluation>,
    /// The roster.
    pub roster: Vec<RosterEntry>,
    /// Training records.
    pub training: Vec<TrainingRecord>,
    /// Agent days.
    pub agent_days: Vec<AgentDay>,
    /// Incidents and relief events.
    pub incidents: Vec<Incident>,
}

impl MonthData {
    /// An estimate of the heap the month holds, in bytes: the interaction table's column
    /// buffers, and each record list at its element size (the text inside records, a few
    /// thousand rows a month, is left out).
    pub fn estimated_bytes(&self) -> usize {
        fn list<T>(v: &[T]) -> usize {
            std::mem::size_of_val(v)
        }
        self.interactions.estimated_bytes()
            + list(&self.surveys)
            + list(&self.qa)
            + list(&self.roster)
            + list(&self.training)
            + list(&self.agent_days)
            + list(&self.incidents)
    }

    /// The KPI engine's view of the data.
    pub fn kpi_inputs(&self) -> KpiInputs<'_> {
        KpiInputs {
            interactions: &self.interactions,
            surveys: &self.surveys,
            qa: &self.qa,
            roster: &self.roster,
            training: &self.training,
            agent_days: &self.agent_days,
            report_deliveries: &[],
            exclusion_marks: &[],
            exclusion_windows: &[],
            cells: None,
        }
    }
}

/// Which of the columns that cost memory the requests read: source ids (surveys or QA placed
/// through their interaction) and first-response times (written-channel response time). The
/// others are always loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColumnNeeds {
    /// Load the interaction table at all (an external engine counting the cells reads the
    /// files itself).
    pub interactions: bool,
    /// Load `source_id` (about half a gigabyte per 10 million rows).
    pub source_ids: bool,
    /// Load `first_response_at`.
    pub first_response: bool,
}

impl ColumnNeeds {
    /// What these requests, broken down by `group_by`, read.
    pub fn of(requests: &[KpiRequest], group_by: &[GroupBy]) -> ColumnNeeds {
        ColumnNeeds {
            interactions: true,
            source_ids: pacta_kpi::needs_source_ids(requests, group_by),
            first_response: pacta_kpi::needs_first_response(requests),
        }
    }

    /// What settling the contract reads (each SLA over its own scope, ungrouped).
    pub fn of_contract(contract: &Contract) -> ColumnNeeds {
        let requests: Vec<KpiRequest> = contract.slas().iter().map(KpiRequest::for_sla).collect();
        ColumnNeeds::of(&requests, &[])
    }
}

/// Loads the month's interactions and every record kind (kinds never imported are empty).
///
/// Repeat-contact FCR looks past the month end: when the contract measures it and the store
/// holds the next month, that month's contacts arriving within the longest window after the
/// month end are added, so a contact handled on the 31st can be seen repeated on the 2nd.
pub fn load(
    store: &Store,
    contract: &Contract,
    month: Month,
    needs: ColumnNeeds,
) -> OpResult<MonthData> {
    let id = &contract.doc.contract.id;
    let columns: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| needs.source_ids || *c != "source_id")
        .filter(|c| needs.first_response || *c != "first_response_at")
        .collect();
    let load = |m: Month| store.load_interactions_columns(id, m, &columns);
    let interactions = || -> OpResult<InteractionTable> {
        if !needs.interactions {
            return Ok(InteractionTable::default());
        }
        let mut interactions = load(month)?;
        if let Some((next, limit)) = next_month_reach(store, contract, month)? {
            let later = load(next)?;
            interactions.append_rows(&later, |r| later.arrived_at_ms(r) < limit);
        }
        Ok(interactions)
    };
    let records = || -> OpResult<MonthData> {
        let records = |k: RecordKind| store.load_record_rows(id, k);
        Ok(MonthData {
            interactions: InteractionTable::default(),
            surveys: store.load_surveys(id)?,
            qa: store.load_qa(id)?,
            roster: records(RecordKind::Roster)?.roster(),
            training: records(RecordKind::Training)?.training(),
            agent_days: records(RecordKind::AgentDays)?.agent_days(),
            incidents: records(RecordKind::Incidents)?.incidents(),
        })
    };
    // The records (surveys, QA, roster…) decode on one thread while the interactions
    // take the others: reading a month is most of a settlement's time.
    let (interactions, records) = std::thread::scope(|s| {
        let records = s.spawn(records);
        let interactions = interactions();
        let records = pacta_data::threads::join_all(vec![records]);
        (interactions, records)
    });
    let mut data = records
        .into_iter()
        .next()
        .unwrap_or_else(|| Ok(MonthData::default()))?;
    data.interactions = interactions?;
    Ok(data)
}

/// The next month and the instant (UTC ms) before which its contacts are read with `month`:
/// when the contract measures repeat-contact FCR and the store holds the next month, so that
/// a contact handled on the 31st can be seen repeated on the 2nd. Every engine reads exactly
/// these rows.
pub fn next_month_reach(
    store: &Store,
    contract: &Contract,
    month: Month,
) -> OpResult<Option<(Month, i64)>> {
    let window = pacta_settle::month::fcr_window_days(contract);
    if window == 0 {
        return Ok(None);
    }
    let Some(next) = month.next() else {
        return Ok(None);
    };
    if !store.months(&contract.doc.contract.id)?.contains(&next) {
        return Ok(None);
    }
    let (_, end) = month.bounds_ms(&contract.time_zone)?;
    Ok(Some((next, end + i64::from(window) * 86_400_000)))
}

/// When the contract measures repeat-contact FCR and the store holds no data for the month
/// after `month`, the window of the month's last days is still open: its length in days, so
/// a caller can say the FCR figure will firm up once the next month is imported.
pub fn fcr_window_still_open(
    store: &Store,
    contract: &Contract,
    month: Month,
) -> OpResult<Option<u32>> {
    let window = pacta_settle::month::fcr_window_days(contract);
    let Some(next) = month.next().filter(|_| window > 0) else {
        return Ok(None);
    };
    let months = store.months(&contract.doc.contract.id)?;
    Ok((!months.contains(&next)).then_some(window))
}
