//! An SLA as the contract means it: typed, resolved and with its defaults applied.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::measure::Measure;
use crate::model::{Exclusion, MissingData, PeriodKind, SlaClass, SlaParams, SlaTarget};
use crate::scope::ContactScope;
use crate::span::FieldPath;

/// One `[[sla]]` entry after validation: what it measures ([`Measure`]), over which contacts
/// ([`ContactScope`]), how often, against which targets, and what a miss costs. Built once by
/// validation; the KPI engine, settlement, planning and the reports read this, never the raw
/// entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaTerms {
    /// Stable identifier, e.g. `SL-VOICE`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Position in the contract's `[[sla]]` list (for locating it in the source).
    pub index: usize,
    /// What is measured.
    pub measure: Measure,
    /// The parameters as written, with the contract's QA evaluation quota filled in when the
    /// SLA sets none (echoed in reports as the request's parameters).
    pub params: SlaParams,
    /// Which contacts it covers.
    pub scope: ContactScope,
    /// Measurement period (a month when the contract names none).
    pub period: PeriodKind,
    /// Interval length in minutes, for interval periods.
    pub interval_minutes: Option<u32>,
    /// For interval and day periods: the share of periods (percent) that must meet target.
    pub required_share_percent: Option<Decimal>,
    /// Critical, key or tracked.
    pub class: SlaClass,
    /// Exclusions that apply.
    pub exclusions: Vec<Exclusion>,
    /// What missing data counts as.
    pub missing_data: MissingData,
    /// Credit allocation of the pool, percent.
    pub allocation_percent: Option<Decimal>,
    /// Fixed credit per miss.
    pub fixed_credit: Option<Decimal>,
    /// Points per miss.
    pub points_per_miss: Option<u32>,
    /// Targets in order of their effective dates.
    pub targets: Vec<SlaTarget>,
}

impl SlaTerms {
    /// The target in force on `date`: the latest one effective on or before it.
    pub fn target_on(&self, date: Date) -> Option<&SlaTarget> {
        self.targets.iter().rev().find(|t| t.effective_from <= date)
    }

    /// Whether the SLA is judged per interval or per day (a share of periods meeting target)
    /// rather than on one value for the month.
    pub fn is_per_period(&self) -> bool {
        matches!(self.period, PeriodKind::Interval | PeriodKind::Day)
    }

    /// Its path in the contract file, `sla[N]`.
    pub fn path(&self) -> FieldPath {
        FieldPath::root().key("sla").index(self.index)
    }
}
