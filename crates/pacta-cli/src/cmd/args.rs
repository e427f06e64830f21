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

/// Where `kpi` and `settle` count the interaction cells.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq, Default, Debug)]
pub enum EngineChoice {
    /// pacta's own scan, in this process.
    #[default]
    Local,
    /// Apache DataFusion, in the `pacta-engine` program.
    Datafusion,
    /// Apache Ballista: the cluster at --scheduler, or a scheduler and an executor started
    /// inside `pacta-engine` when no scheduler is given.
    Ballista,
}

/// The engine options of `kpi` and `settle`.
#[derive(Args, Debug)]
pub struct EngineArgs {
    /// Where the interaction counters are computed. Every engine gives the same figures
    /// (engine/tests/it/conformance.rs checks it).
    #[arg(long, value_enum, default_value = "local")]
    pub engine: EngineChoice,
    /// Ballista scheduler, e.g. df://scheduler:50050 (with --engine ballista).
    #[arg(long, value_name = "URL")]
    pub scheduler: Option<String>,
    /// Directory for the engine's job files (default: the system's temporary directory).
    /// With a Ballista cluster, use storage the executors share at the same path.
    #[arg(long, value_name = "DIR", env = "PACTA_ENGINE_WORK")]
    pub engine_work: Option<PathBuf>,
}

impl EngineArgs {
    /// The external engine to use (`None`: local).
    pub fn setup(&self, lang: Lang) -> Result<Option<pacta_ops::engine::EngineSetup>, CliError> {
        use pacta_ops::engine::{EngineKind, EngineSetup};
        let kind = match (self.engine, &self.scheduler) {
            (EngineChoice::Ballista, scheduler) => EngineKind::Ballista {
                scheduler: scheduler.clone(),
            },
            (_, Some(_)) => {
                return Err(CliError::Invalid(
                    lang.pick(
                        "--scheduler needs --engine ballista",
                        "--scheduler requiere --engine ballista",
                    )
                    .to_string(),
                ));
            }
            (EngineChoice::Local, None) => return Ok(None),
            (EngineChoice::Datafusion, None) => EngineKind::DataFusion,
        };
        Ok(Some(EngineSetup {
            kind,
            program: engine_program(),
            work_dir: self.engine_work.clone().unwrap_or_else(std::env::temp_dir),
            lang,
        }))
    }
}

/// The `pacta-engine` program: `PACTA_ENGINE`, else the one beside this executable, else the
/// one on the PATH.
fn engine_program() -> PathBuf {
    if let Some(p) = std::env::var_os("PACTA_ENGINE") {
        return PathBuf::from(p);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join("pacta-engine")))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("pacta-engine"))
}
