//! Arguments several commands share, declared once and flattened into each.

use std::path::PathBuf;

use clap::Args;
use pacta_contract::{Contract, Lang};
use pacta_core::{Localized, Month};
use pacta_data::store::Store;

use super::CliError;
use super::contract::load_contract;

/// The contract, a month of it and the store holding its data.
#[derive(Args)]
pub struct ContractMonth {
    /// The contract (its time zone cuts the month; its SLAs are what is measured).
    #[arg(long, value_name = "FILE")]
    pub contract: PathBuf,
    /// Month, YYYY-MM (cut in the contract's time zone).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: String,
    /// Store directory.
    #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
    pub store: PathBuf,
}

impl ContractMonth {
    /// The contract loaded, the month parsed and the store opened, each error in `lang`.
    pub fn open(&self, lang: Lang) -> Result<(Contract, Month, Store), CliError> {
        let contract = load_contract(&self.contract)?;
        let month = parse_month(&self.month, lang)?;
        let store = Store::open(&self.store).map_err(|e| CliError::Op(e.into()))?;
        Ok((contract, month, store))
    }
}

/// `--month`'s value as a month, or an error naming the flag.
pub fn parse_month(text: &str, lang: Lang) -> Result<Month, CliError> {
    Month::parse(text).map_err(|e| CliError::Invalid(format!("--month {}", e.message(lang))))
}

/// Where the records of a store live: settlements, month states and the audit log.
#[derive(Args)]
pub struct RecordArgs {
    /// Database of settlements, month states and the audit log: a postgres:// URL or a SQLite
    /// file (default: pacta.db in the store directory). Also read from PACTA_DB.
    #[arg(long, env = "PACTA_DB", hide_env_values = true, value_name = "URL")]
    pub db: Option<String>,
}

impl RecordArgs {
    /// The records of the store in `store`, written as the current user.
    pub fn place(
        &self,
        store: &std::path::Path,
    ) -> Result<pacta_ops::record::RecordPlace, CliError> {
        Ok(pacta_ops::record::RecordPlace::new(
            store,
            self.db.as_deref(),
            actor(),
        )?)
    }
}

/// Who is writing, for the audit log: PACTA_ACTOR, else the login name.
pub fn actor() -> String {
    ["PACTA_ACTOR", "USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "cli".to_string())
}
