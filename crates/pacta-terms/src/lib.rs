//! Contract terms without data: the priced invoice, service credits and bonuses, and
//! reconciliation, computed from the contract model alone.
//!
//! The crate is arithmetic only. It takes what was measured ([`SlaResult`]s), the billable
//! usage ([`pricing::Usage`]) and earlier months' settlements ([`credits::MonthRecord`]) and
//! returns every figure with the steps that produced it, so a vendor can reproduce each
//! number. Money is `rust_decimal`, rounded per line to the contract currency with the
//! contract's rounding rule. Assembling a month from operational data is `pacta-settle`'s
//! job; this crate knows nothing of data files, so vendor selection and review can price a
//! proposal without them.

pub mod credits;
mod error;
mod money;
pub mod pricing;
pub mod reconcile;
mod verdict;

pub use error::TermsError;
pub use money::pct;
pub use verdict::{SlaResult, Status, judge};
