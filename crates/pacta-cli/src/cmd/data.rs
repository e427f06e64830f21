//! `pacta import` and `pacta store info|export`: operational data into the store.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use pacta_contract::Lang;
use pacta_core::text_table::{Column, row};
use pacta_data::export::ExportFormat;
use pacta_data::report::ImportReport;
use pacta_data::store::CommitSummary;
use pacta_ops::import::{ImportKind, ImportRequest};

use super::CliResult;
use super::contract::load_contract;

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
    /// Wait up to this many seconds for another import into the same store to finish
    /// (default: fail at once, naming it).
    #[arg(long, value_name = "SECONDS")]
    wait: Option<u64>,
    /// Correct earlier imports: a row whose source id is already stored with other values
    /// replaces the stored row in a new snapshot (earlier snapshots keep the old one).
    #[arg(long)]
    replace: bool,
    #[command(flatten)]
    records: super::args::RecordArgs,
    /// Files to import.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

impl Kind {
    fn import_kind(self) -> ImportKind {
        use pacta_data::record_kinds::RecordKind;
        match self {
            Kind::Interactions => ImportKind::Interactions,
            Kind::Surveys => ImportKind::Records(RecordKind::Surveys),
            Kind::Qa => ImportKind::Records(RecordKind::Qa),
            Kind::Roster => ImportKind::Records(RecordKind::Roster),
            Kind::Training => ImportKind::Records(RecordKind::Training),
            Kind::AgentDays => ImportKind::Records(RecordKind::AgentDays),
            Kind::Incidents => ImportKind::Records(RecordKind::Incidents),
            Kind::Invoices => ImportKind::Records(RecordKind::Invoices),
        }
    }
}

pub fn import(args: ImportArgs, lang: Lang) -> CliResult {
    let contract = load_contract(&args.contract)?;
    let request = ImportRequest {
        format: args.format,
        source: args.source,
        mapping: args.mapping,
        time_zone: args.time_zone,
        quarantine: args.quarantine,
        max_quarantine_percent: args.max_quarantine_percent,
        wait_for_lock: args.wait.map(std::time::Duration::from_secs),
        replace: args.replace,
        paths: args.paths,
    };
    let plan = pacta_ops::import::prepare(&contract, args.kind.import_kind(), request)?;
    let place = args.records.place(&args.store)?;
    let store = pacta_ops::store::open(&args.store)?;
    let bar = progress_bar(plan.total_bytes());
    let progress = |bytes: u64| {
        if let Some(b) = &bar {
            b.set_position(bytes);
        }
    };
    let outcome = plan.run(
        &store,
        Some(&place),
        jiff::Timestamp::now(),
        Some(&progress),
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    print!(
        "{}",
        render_summary(lang, &outcome.report, outcome.committed.as_ref())
    );
    match outcome.refusal(plan.request()) {
        Some(refused) => Err(refused.into()),
        None => Ok(ExitCode::SUCCESS),
    }
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

/// The import summary, in English or Spanish.
pub fn render_summary(lang: Lang, r: &ImportReport, s: Option<&CommitSummary>) -> String {
    let es = lang == Lang::Es;
    let mut out = String::new();
    let line = |out: &mut String, en: &str, es_: &str, n: u64| {
        out.push_str(&format!("  {:<40} {n:>8}\n", if es { es_ } else { en }));
    };
    out.push_str(lang.pick("Import summary\n", "Resumen de la importación\n"));
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
        if s.superseded > 0 {
            line(
                &mut out,
                "stored rows replaced by a new version",
                "filas almacenadas reemplazadas por otra versión",
                s.superseded,
            );
        }
        // A correction says what it changed; a plain import's months are its own rows'.
        if s.superseded > 0 {
            out.push_str(&format!(
                "  {} {}\n",
                lang.pick(
                    "months whose figures change:",
                    "meses cuyas cifras cambian:"
                ),
                s.months_changed.join(", ")
            ));
        }
        match &s.batch {
            Some(b) => out.push_str(&format!("  {} {b}\n", lang.pick("batch", "lote"))),
            None => out.push_str(lang.pick(
                "  nothing new: the store is unchanged\n",
                "  nada nuevo: el almacén no cambió\n",
            )),
        }
    }
    if !r.reconciles() {
        out.push_str(lang.pick(
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
    /// List the data files of a snapshot (what pacta reads), for engines that read the store.
    Files {
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        /// The snapshot (default: the current one).
        #[arg(long)]
        snapshot: Option<u64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove an import batch in a new snapshot (then import the corrected file).
    RmBatch {
        /// The batch id (see `pacta store info` or `pacta store files`).
        id: String,
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        /// Wait up to this many seconds for an import into the store to finish.
        #[arg(long, value_name = "SECONDS")]
        wait: Option<u64>,
        #[command(flatten)]
        records: super::args::RecordArgs,
    },
    /// Check every data file against the size and BLAKE3 recorded when it was written.
    Verify {
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
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
            let info = pacta_ops::store::info(&store)?;
            if json {
                println!("{}", super::to_json(&info)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!("{} {}", lang.pick("store", "almacén"), info.dir);
            println!(
                "  {}: {}   {}: {}   {}: {:.1} MB",
                lang.pick("batches", "lotes"),
                info.batches,
                lang.pick("last import", "última importación"),
                info.last_import
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "-".into()),
                lang.pick("size", "tamaño"),
                info.bytes as f64 / 1e6
            );
            for (contract, kinds) in &info.contracts {
                println!("  {contract}");
                for (kind, parts) in kinds {
                    for (part, p) in parts {
                        println!(
                            "    {kind:<14} {part:<8} {:>10} {}  {} {}",
                            p.rows,
                            lang.pick("rows", "filas"),
                            p.files,
                            lang.pick("file(s)", "archivo(s)")
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Files {
            store,
            snapshot,
            json,
        } => {
            let files = pacta_ops::store::files(&store, snapshot)?;
            if json {
                println!("{}", super::to_json(&files)?);
                return Ok(ExitCode::SUCCESS);
            }
            const FILES: [Column; 6] = [
                Column::left("", 6),
                Column::left(" ", 12),
                Column::left(" ", 12),
                Column::left(" ", 7),
                Column::right(" ", 10),
                Column::rest("  "),
            ];
            for f in &files {
                print!(
                    "{}",
                    row(
                        &FILES,
                        &[
                            f.batch.clone(),
                            f.kind.clone(),
                            f.contract.clone(),
                            f.month.clone().unwrap_or_else(|| "-".into()),
                            f.rows.to_string(),
                            f.path.display().to_string(),
                        ],
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::RmBatch {
            id,
            store,
            wait,
            records,
        } => {
            let r = pacta_ops::store::remove_batch(
                &store,
                &records.place(&store)?,
                &id,
                jiff::Timestamp::now(),
                wait.map(std::time::Duration::from_secs),
            )?;
            println!(
                "{} {} ({}, {}): {} {}; {} {}",
                lang.pick("removed batch", "lote eliminado"),
                r.batch,
                r.kind,
                r.contract,
                r.rows,
                lang.pick("row(s) no longer read", "fila(s) que ya no se leen"),
                lang.pick("snapshot", "instantánea"),
                r.snapshot
            );
            match &r.months {
                Some(months) => println!(
                    "  {} {}",
                    lang.pick(
                        "months whose KPIs and settlements change:",
                        "meses cuyos KPI y liquidaciones cambian:"
                    ),
                    months.join(", ")
                ),
                None => println!(
                    "  {}",
                    lang.pick(
                        "every month these records fall in may change",
                        "puede cambiar todo mes en el que caigan estos registros"
                    )
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Verify { store } => {
            let files = pacta_ops::store::verify(&store)?;
            println!(
                "{} {files} {}",
                lang.pick("verified", "verificados"),
                lang.pick(
                    "file(s): each has the size and BLAKE3 recorded when it was written",
                    "archivo(s): cada uno tiene el tamaño y el BLAKE3 registrados al escribirlo"
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Export {
            store,
            format,
            output,
        } => {
            let fmt = match format {
                ExportFmt::Csv => ExportFormat::Csv,
                ExportFmt::Parquet => ExportFormat::Parquet,
            };
            let files = pacta_ops::store::export(&store, fmt, &output)?;
            println!(
                "{} {} {}",
                lang.pick("wrote", "escritos"),
                files.len(),
                lang.pick("file(s) to", "archivo(s) en")
            );
            println!("  {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
