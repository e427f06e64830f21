//! Measuring a month's KPIs from the store: the contract's SLAs, or catalog metrics named
//! outside the contract, by scope and period.

use pacta_contract::{Contract, PeriodKind, SlaParams};
use pacta_core::Month;
use pacta_data::store::Store;
use pacta_kpi::{CellSource, GroupBy, KpiReport, KpiRequest};

use crate::engine::{EngineSetup, ExternalEngine};

use crate::month_data::{self, ColumnNeeds};
use crate::{OpError, OpResult};

/// A catalog metric asked for outside the contract: `metric` or `metric:variant`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricSpec(pub String);

impl MetricSpec {
    /// The metric name and the variant, if one is given.
    pub fn parts(&self) -> (&str, Option<&str>) {
        match self.0.split_once(':') {
            Some((metric, variant)) => (metric, Some(variant)),
            None => (self.0.as_str(), None),
        }
    }
}

/// What to measure.
#[derive(Debug, Clone, Default)]
pub struct KpiQuery {
    /// Only these SLAs of the contract (all of them when empty and no metric is asked for).
    pub slas: Vec<String>,
    /// Catalog metrics besides (or, with `slas`, instead of) the contract's SLAs.
    pub metrics: Vec<MetricSpec>,
    /// Parameters for the metrics, as in an SLA's `params`: each metric takes those it knows.
    pub params: SlaParams,
    /// Measure interaction metrics per interval of this many minutes instead of each SLA's
    /// own period.
    pub interval_minutes: Option<u32>,
    /// Break down by these dimensions.
    pub group_by: Vec<GroupBy>,
}

/// The KPI requests a query makes: the contract's SLAs asked for, then the metrics.
pub fn requests(contract: &Contract, query: &KpiQuery) -> OpResult<Vec<KpiRequest>> {
    let only_listed = !query.slas.is_empty() || !query.metrics.is_empty();
    let mut requests: Vec<KpiRequest> = contract
        .slas()
        .iter()
        .filter(|s| !only_listed || query.slas.contains(&s.id))
        .map(KpiRequest::for_sla)
        .collect();
    for wanted in &query.slas {
        if contract.sla(wanted).is_none() {
            return Err(OpError::UnknownSla {
                id: wanted.clone(),
                known: contract.slas().iter().map(|s| s.id.clone()).collect(),
            });
        }
    }
    for spec in &query.metrics {
        let (metric, variant) = spec.parts();
        // One parameter set serves every metric: each takes the parameters it knows, and the
        // request echoes them all as given.
        let taken = pacta_contract::measure::params_taken_by(metric, &query.params);
        let mut r = KpiRequest::parse(&spec.0, metric, variant, taken).map_err(|source| {
            OpError::Metric {
                spec: spec.0.clone(),
                source,
            }
        })?;
        r.params = query.params.clone();
        requests.push(r);
    }
    if let Some(m) = query.interval_minutes {
        for r in requests.iter_mut().filter(|r| r.uses_interactions()) {
            r.period = PeriodKind::Interval;
            r.interval_minutes = Some(m);
        }
    }
    Ok(requests)
}

/// Measures the query over the month's data in the store. These are raw measurements: SLA
/// exclusions (accepted relief, volume above the flex band) are applied by settlement.
pub fn measure(
    store: &Store,
    contract: &Contract,
    month: Month,
    query: &KpiQuery,
) -> OpResult<KpiReport> {
    measure_on(store, contract, month, query, None)
}

/// [`measure`], with the interaction cells counted by an external engine when `engine` is
/// given. The interaction table is then not loaded, unless surveys or QA evaluations must be
/// placed through the interactions they reference (a scoped or grouped survey metric).
pub fn measure_on(
    store: &Store,
    contract: &Contract,
    month: Month,
    query: &KpiQuery,
    engine: Option<&EngineSetup>,
) -> OpResult<KpiReport> {
    let requests = requests(contract, query)?;
    let mut needs = ColumnNeeds::of(&requests, &query.group_by);
    let external = match engine {
        Some(setup) => {
            needs.interactions = needs.source_ids;
            Some(ExternalEngine::new(setup, store, contract, month)?)
        }
        None => None,
    };
    let data = tracing::info_span!("kpi.read")
        .in_scope(|| month_data::load(store, contract, month, needs))?;
    let _span = tracing::info_span!("kpi.compute").entered();
    let mut inputs = data.kpi_inputs();
    inputs.cells = external.as_ref().map(|e| e as &dyn CellSource);
    Ok(pacta_kpi::compute(
        contract,
        month,
        &inputs,
        &requests,
        &query.group_by,
    )?)
}
