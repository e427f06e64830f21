//! `pacta import` and `pacta store info|export`: operational data into the store.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use pacta_contract::{Contract, DataKind, DataSource, Lang};
use pacta_data::export::ExportFormat;
use pacta_data::import::{Format, ImportOptions, Imported, Mapping, import_interactions};
use pacta_data::report::ImportReport;
use pacta_data::store::{CommitOptions, CommitSummary, Store};

use super::contract::load_contract;
use super::{CliError, CliResult, read_file, write_file};
use crate::text::t;

/// What kind of data a file holds.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Kind {
    /// Contacts (calls, chats, e-mails…).
    Interactions,
    /// Customer surveys.
    Surveys,
    /// QA evaluations (one row per item).
    Qa,
    /// Agent roster.
    Roster,
    /// Training records.
    Training,
    /// Scheduled and logged time per agent and day.
    AgentDays,
    /// Incidents and relief events.
    Incidents,
    /// Vendor invoices (one row per line).
    Invoices,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The contract the data belongs to (its id names the partition, its time zone cuts months).
    #[arg(long)]
    contract: PathBuf,
    /// Source format: anonbank, asterisk, amazon-connect, csv, jsonl, parquet (default: the format of
    /// the contract's data source).
    #[arg(long)]
    format: Option<String>,
    /// Which `[[data.sources]]` entry of the contract to use (its mapping, timestamp format
    /// and time zone); default: the first of the kind.
    #[arg(long)]
    source: Option<String>,
    /// A mapping file (TOML) for csv/jsonl, overriding the contract's.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Time zone of naive timestamps in the files (default: the source's, else the contract's).
    #[arg(long)]
    time_zone: Option<String>,
    /// Store directory.
    #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
    store: PathBuf,
    /// Write quarantined rows (file,row,field,value,reason) to this CSV.
    #[arg(long)]
    quarantine: Option<PathBuf>,
    /// Fail (exit 1, nothing written) when more than this percent of rows is quarantined.
    #[arg(long)]
    max_quarantine_percent: Option<f64>,
    /// What the files hold.
    #[arg(long, value_enum, default_value = "interactions")]
    kind: Kind,
    /// Files to import.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

fn data_err(e: pacta_data::DataError) -> CliError {
    match e {
        pacta_data::DataError::Io { path, source } => CliError::Io {
            path,
            source,
            writing: false,
        },
        other => CliError::Other(other.to_string()),
    }
}

fn source_for<'c>(
    contract: &'c Contract,
    id: Option<&str>,
    kind: DataKind,
) -> Result<Option<&'c DataSource>, CliError> {
    let sources = contract
        .doc
        .data
        .as_ref()
        .map(|d| d.sources.as_slice())
        .unwrap_or(&[]);
    match id {
        Some(id) => sources
            .iter()
            .find(|s| s.id == id)
            .map(Some)
            .ok_or_else(|| CliError::Other(format!("the contract has no data source `{id}`"))),
        None => Ok(sources.iter().find(|s| s.kind == kind)),
    }
}

pub fn import(args: ImportArgs, lang: Lang) -> CliResult {
    let contract = load_contract(&args.contract)?;
    let contract_id = contract.doc.contract.id.clone();
    for p in &args.paths {
        if !p.is_file() {
            return Err(CliError::Io {
                path: p.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
                writing: false,
            });
        }
    }
    if args.kind != Kind::Interactions {
        return import_records(&args, &contract, lang);
    }
    let source = source_for(&contract, args.source.as_deref(), DataKind::Interactions)?;
    let format_name = args
        .format
        .clone()
        .or_else(|| source.and_then(|s| s.format.clone()))
        .ok_or_else(|| {
            CliError::Other(
                t(
                    lang,
                    "no --format given and the contract's data source names none",
                    "no se indicó --format y la fuente de datos del contrato no indica ninguno",
                )
                .to_string(),
            )
        })?;
    let format: Format = format_name.parse().map_err(CliError::Other)?;
    let mut mapping = match &args.mapping {
        Some(p) => {
            let bytes = read_file(p)?;
            Mapping::from_toml(&String::from_utf8_lossy(&bytes))
                .map_err(|e| CliError::Invalid(format!("{}: {e}", p.display())))?
        }
        None => source.map(Mapping::from_source).unwrap_or_default(),
    };
    if let Some(tz) = &args.time_zone {
        mapping.time_zone = Some(tz.clone());
    }
    let tz = match &mapping.time_zone {
        Some(z) => pacta_data::time::time_zone(z).map_err(data_err)?,
        None => contract.time_zone.clone(),
    };

    let store = Store::open(&args.store).map_err(data_err)?;
    let total: u64 = args
        .paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = progress_bar(total);
    // Parsing may run on several threads: the progress callback must be shareable.
    let done_before = std::sync::atomic::AtomicU64::new(0);
    let progress = |bytes: u64| {
        if let Some(b) = &bar {
            b.set_position(done_before.load(std::sync::atomic::Ordering::Relaxed) + bytes);
        }
    };
    let mut imported = Imported::default();
    for p in &args.paths {
        let mut opts = ImportOptions::new(tz.clone(), store.pseudonymizer());
        opts.mapping = Some(&mapping);
        opts.progress = Some(&progress);
        let one = import_interactions(format, &[p.as_path()], &opts).map_err(data_err)?;
        done_before.fetch_add(
            std::fs::metadata(p).map_or(0, |m| m.len()),
            std::sync::atomic::Ordering::Relaxed,
        );
        if imported.batch.is_empty() {
            imported.batch = one.batch;
        } else {
            imported.batch.append(&one.batch);
        }
        imported.report.absorb(one.report);
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    finish(&args, lang, &imported.report, || {
        store
            .commit_interactions(
                &contract_id,
                &contract.time_zone,
                &imported.batch,
                &imported.report,
                jiff::Timestamp::now(),
                &CommitOptions::default(),
            )
            .map_err(data_err)
    })
}

fn import_records(args: &ImportArgs, contract: &Contract, lang: Lang) -> CliResult {
    let kind = match args.kind {
        Kind::Interactions | Kind::Surveys => pacta_data::record_kinds::RecordKind::Surveys,
        Kind::Qa => pacta_data::record_kinds::RecordKind::Qa,
        Kind::Roster => pacta_data::record_kinds::RecordKind::Roster,
        Kind::Training => pacta_data::record_kinds::RecordKind::Training,
        Kind::AgentDays => pacta_data::record_kinds::RecordKind::AgentDays,
        Kind::Incidents => pacta_data::record_kinds::RecordKind::Incidents,
        Kind::Invoices => pacta_data::record_kinds::RecordKind::Invoices,
    };
    let tz = match &args.time_zone {
        Some(z) => pacta_data::time::time_zone(z).map_err(data_err)?,
        None => contract.time_zone.clone(),
    };
    let store = Store::open(&args.store).map_err(data_err)?;
    let paths: Vec<&Path> = args.paths.iter().map(PathBuf::as_path).collect();
    let table = pacta_data::record_kinds::import(kind, &paths, &tz).map_err(data_err)?;
    let contract_id = contract.doc.contract.id.clone();
    finish(args, lang, &table.report, || {
        store
            .commit_records(
                &contract_id,
                &table,
                jiff::Timestamp::now(),
                &CommitOptions::default(),
            )
            .map_err(data_err)
    })
}

fn progress_bar(total: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || total < 10 * 1024 * 1024 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// Writes the quarantine, enforces the threshold, commits, prints the summary.
fn finish(
    args: &ImportArgs,
    lang: Lang,
    report: &ImportReport,
    commit: impl FnOnce() -> Result<CommitSummary, CliError>,
) -> CliResult {
    if let Some(q) = &args.quarantine {
        let mut buf = Vec::new();
        report
            .write_quarantine_csv(&mut buf)
            .map_err(|source| CliError::Io {
                path: q.clone(),
                source,
                writing: true,
            })?;
        write_file(q, &buf)?;
    }
    let pct = report.quarantine_percent();
    let over = args.max_quarantine_percent.is_some_and(|max| pct > max);
    let summary = if over { None } else { Some(commit()?) };
    print!("{}", render_summary(lang, report, summary.as_ref()));
    if over {
        let max = args.max_quarantine_percent.unwrap_or(0.0);
        return Err(CliError::Invalid(match lang {
            Lang::En => format!(
                "{pct:.2}% of rows quarantined, above --max-quarantine-percent {max}; nothing was written"
            ),
            Lang::Es => format!(
                "{pct:.2}% de filas en cuarentena, por encima de --max-quarantine-percent {max}; no se escribió nada"
            ),
        }));
    }
    Ok(ExitCode::SUCCESS)
}

/// The import summary, in English or Spanish.
pub fn render_summary(lang: Lang, r: &ImportReport, s: Option<&CommitSummary>) -> String {
    let es = lang == Lang::Es;
    let mut out = String::new();
    let line = |out: &mut String, en: &str, es_: &str, n: u64| {
        out.push_str(&format!("  {:<40} {n:>8}\n", if es { es_ } else { en }));
    };
    out.push_str(t(lang, "Import summary\n", "Resumen de la importación\n"));
    line(&mut out, "rows read", "filas leídas", r.rows_read);
    line(&mut out, "imported", "importadas", r.imported);
    for (o, n) in &r.by_outcome {
        out.push_str(&format!("    {o:<38} {n:>8}\n"));
    }
    line(&mut out, "not offered", "no ofrecidas", r.not_offered);
    for (rule, n) in &r.dropped {
        let label = if es {
            format!("descartadas: {rule}")
        } else {
            format!("dropped: {rule}")
        };
        out.push_str(&format!("  {label:<40} {n:>8}\n"));
    }
    if r.merged > 0 {
        line(
            &mut out,
            "merged into other records",
            "fusionadas en otros registros",
            r.merged,
        );
    }
    line(
        &mut out,
        "quarantined",
        "en cuarentena",
        r.quarantined.len() as u64,
    );
    for (reason, n) in r.quarantine_by_reason() {
        out.push_str(&format!("    {reason}: {n}\n"));
    }
    if let Some(s) = s {
        line(
            &mut out,
            "duplicates skipped",
            "duplicados omitidos",
            s.duplicates_skipped,
        );
        line(
            &mut out,
            "written to the store",
            "escritas en el almacén",
            s.written,
        );
        match &s.batch {
            Some(b) => out.push_str(&format!("  {} {b}\n", t(lang, "batch", "lote"))),
            None => out.push_str(t(
                lang,
                "  nothing new: the store is unchanged\n",
                "  nada nuevo: el almacén no cambió\n",
            )),
        }
    }
    if !r.reconciles() {
        out.push_str(t(
            lang,
            "  warning: counts do not reconcile\n",
            "  aviso: los conteos no cuadran\n",
        ));
    }
    out
}

/// `pacta store …`
#[derive(Subcommand)]
pub enum StoreCommand {
    /// Show what the store holds: batches, contracts, months, rows.
    Info {
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export the store's data as CSV or Parquet files.
    Export {
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFmt,
        /// Output directory.
        #[arg(long, short)]
        output: PathBuf,
    },
}

/// Export format.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFmt {
    /// CSV, one file per contract and month.
    Csv,
    /// Parquet, the store's files.
    Parquet,
}

pub fn store(cmd: StoreCommand, lang: Lang) -> CliResult {
    match cmd {
        StoreCommand::Info { store, json } => {
            if !store.join("manifest.json").exists() && !store.exists() {
                return Err(CliError::Other(match lang {
                    Lang::En => format!(
                        "{} is not a pacta store (no such directory)",
                        store.display()
                    ),
                    Lang::Es => {
                        format!("{} no es un almacén de pacta (no existe)", store.display())
                    }
                }));
            }
            let s = Store::open(&store).map_err(data_err)?;
            let info = s.info().map_err(data_err)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&info).unwrap_or_default()
                );
                return Ok(ExitCode::SUCCESS);
            }
            println!("{} {}", t(lang, "store", "almacén"), info.dir);
            println!(
                "  {}: {}   {}: {}   {}: {:.1} MB",
                t(lang, "batches", "lotes"),
                info.batches,
                t(lang, "last import", "última importación"),
                info.last_import
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "-".into()),
                t(lang, "size", "tamaño"),
                info.bytes as f64 / 1e6
            );
            for (contract, kinds) in &info.contracts {
                println!("  {contract}");
                for (kind, parts) in kinds {
                    for (part, p) in parts {
                        println!(
                            "    {kind:<14} {part:<8} {:>10} {}  {} {}",
                            p.rows,
                            t(lang, "rows", "filas"),
                            p.files,
                            t(lang, "file(s)", "archivo(s)")
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Export {
            store,
            format,
            output,
        } => {
            let s = Store::open(&store).map_err(data_err)?;
            let fmt = match format {
                ExportFmt::Csv => ExportFormat::Csv,
                ExportFmt::Parquet => ExportFormat::Parquet,
            };
            let files = s.export(fmt, &output).map_err(data_err)?;
            println!(
                "{} {} {}",
                t(lang, "wrote", "escritos"),
                files.len(),
                t(lang, "file(s) to", "archivo(s) en")
            );
            println!("  {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
