//! Runs pacta's lowered KPI SQL on DataFusion in-process or on a Ballista cluster, and returns the counter rows.
//!
//! pacta lowers a month's KPI requests to plain SQL over Parquet files and sums the counter
//! rows that come back; this crate is the other half. A [`Job`] (JSON, format 1) names the
//! tables, each over an explicit list of files, and the queries to run in order;
//! [`run_job`] runs it on a [`Target`] and returns [`JobResults`], whose cells are only
//! integers (exact to 64 bits, unsigned included), strings, booleans and nulls.
//!
//! Each table is one multi-path Parquet listing table over exactly its files: never a
//! directory listing, so a stray file next to the month's files is never read, and no
//! partition columns. Every listed file must exist before anything starts.
//!
//! The crate is its own Cargo workspace (`engine/`): DataFusion 55.2 is built on arrow 59,
//! the rest of pacta on arrow 60, so the two talk through the job and results files only.
//!
//! Like every pacta library, it never prints, exits or reads the clock; every error has a
//! stable code and English and Spanish text ([`EngineError::code`],
//! [`EngineError::message`]). The `pacta-engine` binary is the front end.
#![forbid(unsafe_code)]

mod error;
mod job;
mod results;
mod run;

pub use error::{EngineError, Lang, NameKind};
pub use job::{JOB_FORMAT, Job, JobQuery, JobTable};
pub use results::{Cell, JobResults, QueryResult, RESULTS_FORMAT};
pub use run::{Target, run_job};

/// Stack for the async runtime's worker threads. Ballista encodes and decodes plans
/// recursively, and pacta's lowered queries (a dozen CTEs, window frames, range joins)
/// overflow Tokio's default 2 MiB in a debug build.
pub const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;
