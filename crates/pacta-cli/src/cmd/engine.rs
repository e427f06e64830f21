//! `pacta engine sql`: the SQL a contract's SLAs lower to, with the dimension tables and the
//! store's file list, for teams that run Spark, Databricks or DuckDB themselves.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use pacta_contract::Lang;
use pacta_kpi::KpiRequest;
use pacta_kpi::lower::Dialect;

use super::args::ContractMonth;
use super::{CliError, CliResult};

#[derive(Subcommand)]
pub enum EngineCommand {
    /// Print the SQL the contract's SLAs lower to and write it to --out with the dimension
    /// tables (Parquet) and job.json (the store snapshot's file list and the queries).
    Sql(SqlArgs),
}

/// SQL dialect.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DialectArg {
    /// Apache DataFusion, in one process.
    Datafusion,
    /// Apache Ballista (DataFusion's SQL, with the keys a shuffle carries cheaply).
    Ballista,
    /// Apache Spark SQL (Databricks).
    Spark,
    /// DuckDB.
    Duckdb,
}

#[derive(Args)]
pub struct SqlArgs {
    #[command(flatten)]
    target: ContractMonth,
    /// The SQL dialect.
    #[arg(long, value_enum, default_value = "datafusion")]
    dialect: DialectArg,
    /// Directory to write job.json, sql/*.sql and dims/*.parquet into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write into a directory that already has files.
    #[arg(long)]
    force: bool,
}

pub fn engine(command: EngineCommand, lang: Lang) -> CliResult {
    match command {
        EngineCommand::Sql(args) => sql(args, lang),
    }
}

fn sql(args: SqlArgs, lang: Lang) -> CliResult {
    let (contract, month, store) = args.target.open(lang)?;
    let dialect = match args.dialect {
        DialectArg::Datafusion => Dialect::DataFusion,
        DialectArg::Ballista => Dialect::Ballista,
        DialectArg::Spark => Dialect::Spark,
        DialectArg::Duckdb => Dialect::DuckDb,
    };
    let occupied = std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
    if occupied && !args.force {
        return Err(CliError::Op(pacta_ops::OpError::Exists {
            path: args.out.clone(),
        }));
    }
    let requests: Vec<KpiRequest> = contract.slas().iter().map(KpiRequest::for_sla).collect();
    let written =
        pacta_ops::engine::export_sql(&store, &contract, month, &requests, dialect, &args.out)?;
    let Some(written) = written else {
        eprintln!(
            "{}",
            lang.pick(
                "no SLA of this contract reads interactions: nothing to lower",
                "ningún SLA de este contrato lee interacciones: no hay nada que traducir",
            )
        );
        return Ok(ExitCode::SUCCESS);
    };
    for path in &written.sql {
        let text = std::fs::read_to_string(path).map_err(|source| {
            CliError::Op(pacta_ops::OpError::Read {
                path: path.clone(),
                source,
            })
        })?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        println!("-- {name}\n{text}");
    }
    let done = match lang {
        Lang::En => format!(
            "wrote {} queries (sql/), {} dimension tables (dims/) and job.json (the store \
                 files and the queries) to {}",
            written.sql.len(),
            written.dims.len(),
            args.out.display()
        ),
        Lang::Es => format!(
            "se escribieron {} consultas (sql/), {} tablas de dimensiones (dims/) y job.json \
                 (los archivos del almacén y las consultas) en {}",
            written.sql.len(),
            written.dims.len(),
            args.out.display()
        ),
    };
    eprintln!("{}", crate::words::wrap(&done, "", crate::words::WIDTH));
    Ok(ExitCode::SUCCESS)
}
