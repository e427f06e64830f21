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
