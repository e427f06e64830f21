//! Operational data: the canonical model, importers for real formats, and the columnar store.
//!
//! Every source format is mapped onto [`model`]'s canonical records; the KPI engine reads
//! [`model::InteractionTable`], a struct of columns, whatever the source was.

pub mod model;
