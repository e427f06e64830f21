//! The operations pacta offers, one typed call per user action, shared by the CLI and the server.
//!
//! Each operation takes typed inputs (a loaded contract, a [`Month`](pacta_core::Month), a
//! store, options), does the file and store I/O the action needs, calls the domain crates and
//! returns a typed result. Presenting the result (a terminal table, JSON, an HTML page, an
//! HTTP response) is the caller's job, so the CLI and the server compute nothing the other
//! would need. Operations never print, exit or read the clock: the time of an import is
//! passed in.
//!
//! | operation | module |
//! |---|---|
//! | load a contract file | [`contract::load`] |
//! | import files into the store | [`import::prepare`], then [`import::ImportPlan::run`] |
//! | what the store holds; export it | [`store::info`], [`store::export`] |
//! | measure a month's KPIs | [`kpi::measure`] |
//! | a month by interval: service level per interval judged, staffing against the vendor's plan | [`intervals::service_level_grids`], [`intervals::staffing_grid`] |
//! | settle a month, with its history | [`settle::settle`] |
//! | read a month once, settle it many times | [`settle::load_month`], [`settle::settle_loaded`] |
//! | re-settle a month with changed SLA terms, unsaved, against the saved one | [`what_if::apply`], [`what_if::run`] |
//! | save a settlement as a version; the history later months read | [`record::save`], [`settle::history`] |
//! | close a month; recompute a closed month byte for byte | [`record::close_month`], [`record::verify_month`] |
//! | where records live; the audit log | [`record::open`], [`record::Recorder`] |
//! | staff a forecast (a file, or estimated from the store) | [`plan::plan`] |
//! | generate a month of data to files | [`generate::generate_to_dir`] |
//! | the contacts behind an SLA figure, as CSV | [`evidence::write_contacts`] |
//! | the end-to-end demo | [`demo::run`] |
//! | open, act on, show and list disputes | [`dispute::open`], [`dispute::act`], [`dispute::show`], [`dispute::list`] |
//!
//! Errors are [`OpError`]: typed, each with a stable code and English and Spanish text
//! ([`pacta_core::Localized`]).

pub mod adjust;
pub mod contract;
pub mod demo;
pub mod dispute;
pub mod engine;
mod error;
pub mod evidence;
pub mod evidence_pack;
pub mod files;
pub mod generate;
pub mod governance;
pub mod import;
pub mod intervals;
pub mod kpi;
pub mod month_data;
pub mod plan;
pub mod record;
pub mod settle;
pub mod store;
pub mod vendor_invoice;
pub mod what_if;

pub use error::OpError;

/// The result of an operation.
pub type OpResult<T> = Result<T, OpError>;
