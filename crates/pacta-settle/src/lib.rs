//! Monthly settlement: the month assembled from operational data (SLA results measured by the
//! KPI engine, billable usage counted from the interactions), then priced, credited and
//! reconciled by `pacta-terms`.
//!
//! The terms arithmetic (pricing, credits, reconciliation) lives in `pacta-terms` and depends
//! on the contract model alone; this crate feeds it what the data says.

pub mod month;
mod rows;

pub use month::{MonthInputs, SettleError, Settlement, settle_month};
