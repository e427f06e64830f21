//! Operational data: the canonical model, importers for real formats, and the columnar store.
//!
//! Every source format is mapped onto [`model`]'s canonical records; the KPI engine reads
//! [`model::InteractionTable`], a struct of columns, whatever the source was.
//!
//! The flow: open a [`store::Store`] (it holds the pseudonym key), run an importer from
//! [`import`] with the store's [`pseudo::Pseudonymizer`] — it returns an
//! [`batch::InteractionBatch`] and an [`report::ImportReport`] accounting for every source
//! row — then [`store::Store::commit_interactions`] writes the batch atomically and
//! idempotently. The library never reads the clock: commit times are parameters.

pub mod batch;
mod column_cache;
pub mod columns;
mod dedupe;
pub mod error;
pub mod export;
pub mod import;
mod messages;
pub mod model;
pub mod parquet_io;
pub mod pseudo;
pub mod record_kinds;
pub mod report;
pub mod store;
mod supersede;
pub mod threads;
pub mod time;

pub use error::{DataError, Result};
