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

use super::contract::load_contract;
use super::{CliError, CliResult};

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
    /// and time zone); default: the first of the kind. `pacta`: pacta's own columns, as
    /// `pacta gen` writes them.
    #[arg(long)]
    source: Option<String>,
    /// A mapping file (TOML) for csv, jsonl and parquet, overriding the contract's: source
    /// columns, timestamp format and zone, value maps (`[values.channel]`,
    /// `[values.outcome]`) and `derive_outcome` (see pacta-data's `import::generic`).
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
    /// What the files hold (default: interactions). For a directory, every file whose header
    /// names a kind is imported as that kind (the files `pacta gen` writes, say); with
    /// `--kind`, only the files of that kind.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
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
    /// Files to import, or directories holding them.
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

impl Kind {
    /// Every kind kept in pacta's own CSV layout (all but interactions, whose columns the
    /// contract's mapping names).
    const RECORDS: [Kind; 7] = [
        Kind::Surveys,
        Kind::Qa,
        Kind::Roster,
        Kind::Training,
        Kind::AgentDays,
        Kind::Incidents,
        Kind::Invoices,
    ];

    /// The `--kind` value that selects it.
    fn flag(self) -> &'static str {
        match self {
            Kind::Interactions => "interactions",
            Kind::Surveys => "surveys",
            Kind::Qa => "qa",
            Kind::Roster => "roster",
            Kind::Training => "training",
            Kind::AgentDays => "agent-days",
            Kind::Incidents => "incidents",
            Kind::Invoices => "invoices",
        }
    }
}

/// The record kind whose required columns a CSV file's header has, if exactly one has them
/// all (read from the first line only; `None` for other files or headers).
fn kind_of_header(path: &std::path::Path) -> Option<Kind> {
    use std::io::{BufRead, Read};
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let mut first = String::new();
    std::io::BufReader::new(file)
        .take(64 * 1024)
        .read_line(&mut first)
        .ok()?;
    let header: Vec<String> = first
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let mut matching = Kind::RECORDS.into_iter().filter(|k| {
        let ImportKind::Records(record) = k.import_kind() else {
            return false;
        };
        record
            .columns()
            .iter()
            .filter(|spec| spec.2)
            .all(|spec| header.iter().any(|h| h == spec.0))
    });
    let kind = matching.next()?;
    matching.next().is_none().then_some(kind)
}

/// Files a directory holds that an import reads, sorted by name.
fn files_in(dir: &std::path::Path, lang: Lang) -> Result<Vec<PathBuf>, CliError> {
    const READABLE: [&str; 5] = ["csv", "jsonl", "ndjson", "json", "parquet"];
    let entries = std::fs::read_dir(dir).map_err(|e| {
        CliError::Invalid(format!(
            "{} {}: {e}",
            lang.pick(
                "cannot read the directory",
                "no se puede leer el directorio"
            ),
            dir.display()
        ))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            let readable = p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| READABLE.iter().any(|r| e.eq_ignore_ascii_case(r)));
            readable && !hidden
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The files to import, each with its kind: named files take `--kind` (interactions when
/// absent); a directory's files take the kind their header names, and the rest are
/// interactions. With `--kind`, a directory contributes only the files of that kind.
fn import_groups(
    paths: &[PathBuf],
    kind: Option<Kind>,
    lang: Lang,
) -> Result<Vec<(Kind, Vec<PathBuf>)>, CliError> {
    let mut groups: Vec<(Kind, Vec<PathBuf>)> = Vec::new();
    let mut add = |k: Kind, p: PathBuf| match groups.iter_mut().find(|(g, _)| *g == k) {
        Some((_, files)) => files.push(p),
        None => groups.push((k, vec![p])),
    };
    for path in paths {
        if !path.is_dir() {
            add(kind.unwrap_or(Kind::Interactions), path.clone());
            continue;
        }
        let files = files_in(path, lang)?;
        let mut any = false;
        for file in files {
            let detected = kind_of_header(&file).unwrap_or(Kind::Interactions);
            if kind.is_none_or(|k| k == detected) {
                add(detected, file);
                any = true;
            }
        }
        if !any {
            return Err(CliError::Invalid(match (kind, lang) {
                (None, Lang::En) => format!(
                    "{} holds no file to import: a directory is read for .csv, .jsonl, .json \
                     and .parquet files (name the files instead to import others)",
                    path.display()
                ),
                (None, Lang::Es) => format!(
                    "{} no contiene archivos que importar: de un directorio se leen los \
                     archivos .csv, .jsonl, .json y .parquet (nombre los archivos para importar \
                     otros)",
                    path.display()
                ),
                (Some(k), Lang::En) => format!(
                    "{} holds no {} file (a CSV file's kind is read from its header)",
                    path.display(),
                    k.flag()
                ),
                (Some(k), Lang::Es) => format!(
                    "{} no contiene archivos de tipo {} (el tipo de un CSV se lee de su \
                     encabezado)",
                    path.display(),
                    k.flag()
                ),
            }));
        }
    }
    Ok(groups)
}

/// A file given as interactions whose header is another kind's: say which `--kind` it needs
/// rather than failing later on a column interactions lack.
fn check_kind(kind: Kind, paths: &[PathBuf], lang: Lang) -> Result<(), CliError> {
    if kind != Kind::Interactions {
        return Ok(());
    }
    for path in paths {
        if let Some(detected) = kind_of_header(path) {
            return Err(CliError::Invalid(match lang {
                Lang::En => format!(
                    "{} looks like {} (its header has that kind's columns), not interactions: \
                     add --kind {}",
                    path.display(),
                    detected.flag(),
                    detected.flag()
                ),
                Lang::Es => format!(
                    "{} parece de tipo {} (su encabezado tiene las columnas de ese tipo), no \
                     interacciones: añada --kind {}",
                    path.display(),
                    detected.flag(),
                    detected.flag()
                ),
            }));
        }
    }
    Ok(())
}

pub fn import(args: ImportArgs, lang: Lang) -> CliResult {
    let contract = load_contract(&args.contract)?;
    let groups = import_groups(&args.paths, args.kind, lang)?;
    let from_directory = args.paths.iter().any(|p| p.is_dir());
    // A named file given no --kind is read as interactions: check it is one.
    if args.kind.is_none() && !from_directory {
        for (kind, paths) in &groups {
            check_kind(*kind, paths, lang)?;
        }
    }
    let request = ImportRequest {
        format: args.format,
        source: args.source,
        mapping: args.mapping,
        time_zone: args.time_zone,
        quarantine: args.quarantine,
        max_quarantine_percent: args.max_quarantine_percent,
        wait_for_lock: args.wait.map(std::time::Duration::from_secs),
        replace: args.replace,
        paths: Vec::new(),
    };
    let mut plans = Vec::new();
    for (kind, paths) in groups {
        let request = ImportRequest {
            paths: paths.clone(),
            ..request.clone()
        };
        plans.push((
            kind,
            paths,
            pacta_ops::import::prepare(&contract, kind.import_kind(), request)?,
        ));
    }
    let place = args.records.place(&args.store)?;
    let store = pacta_ops::store::open(&args.store)?;
    let labelled = plans.len() > 1;
    let mut rows = Vec::new();
    for (kind, paths, plan) in &plans {
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
        if labelled {
            // One row per kind in a table printed at the end, the kind named by `--kind`.
            let mut row = ImportRow::new(None, &outcome);
            row.kind = format!("{} ({})", kind.flag(), file_names(paths));
            rows.push(row);
            for (reason, n) in outcome.report.quarantine_by_reason() {
                eprintln!(
                    "{}: {} {reason}: {n}",
                    kind.flag(),
                    lang.pick("quarantined", "en cuarentena")
                );
            }
        } else {
            print!(
                "{}",
                render_summary(lang, &outcome.report, outcome.committed.as_ref())
            );
        }
        if let Some(refused) = outcome.refusal(plan.request()) {
            if labelled {
                print!("{}", import_table(&rows, &contract.doc.contract.id, lang));
            }
            return Err(refused.into());
        }
    }
    if labelled {
        print!("{}", import_table(&rows, &contract.doc.contract.id, lang));
    }
    Ok(ExitCode::SUCCESS)
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

/// The names of `paths`, comma-separated.
fn file_names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| {
            p.file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An interaction outcome's machine name in the reader's language.
fn outcome_word(outcome: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return outcome;
    }
    match outcome {
        "answered" => "atendidas",
        "abandoned" => "abandonadas",
        "timeout" => "tiempo agotado",
        "queue_empty" => "cola vacía",
        "overflow_out" => "desbordadas",
        "callback" => "devolución de llamada",
        "transferred_out" => "transferidas",
        "in_progress" => "en curso",
        other => other,
    }
}

/// The import summary, in English or Spanish.
pub fn render_summary(lang: Lang, r: &ImportReport, s: Option<&CommitSummary>) -> String {
    let es = lang == Lang::Es;
    let mut out = String::new();
    let line = |out: &mut String, en: &str, es_: &str, n: u64| {
        out.push_str(&format!(
            "  {:<40} {:>10}\n",
            if es { es_ } else { en },
            pacta_core::fmt::integer(n, lang)
        ));
    };
    out.push_str(lang.pick("Import summary\n", "Resumen de la importación\n"));
    line(&mut out, "rows read", "filas leídas", r.rows_read);
    // Rows folded into another row's record (QA items into their evaluation) make fewer
    // records than rows; the store keeps every row, so say which figure counts what.
    if r.merged > 0 {
        line(
            &mut out,
            "records (from one or more rows each)",
            "registros (de una o más filas cada uno)",
            r.imported,
        );
    } else {
        line(&mut out, "imported", "importadas", r.imported);
    }
    for (o, n) in &r.by_outcome {
        out.push_str(&format!(
            "    {:<38} {:>10}\n",
            outcome_word(o, lang),
            pacta_core::fmt::integer(*n, lang)
        ));
    }
    line(&mut out, "not offered", "no ofrecidas", r.not_offered);
    for (rule, n) in &r.dropped {
        let label = if es {
            format!("descartadas: {rule}")
        } else {
            format!("dropped: {rule}")
        };
        out.push_str(&format!(
            "  {label:<40} {:>10}\n",
            pacta_core::fmt::integer(*n, lang)
        ));
    }
    if r.merged > 0 {
        line(
            &mut out,
            "rows folded into those records",
            "filas incorporadas a esos registros",
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
            "rows written to the store",
            "filas escritas en el almacén",
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
        #[arg(long, short, visible_alias = "out")]
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
                "  {}: {}   {}: {}   {}: {} MB",
                lang.pick("batches", "lotes"),
                info.batches,
                lang.pick("last import", "última importación"),
                info.last_import
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "-".into()),
                lang.pick("size", "tamaño"),
                pacta_core::fmt::float(info.bytes as f64 / 1e6, 1, lang)
            );
            for (contract, kinds) in &info.contracts {
                println!("  {contract}");
                for (kind, parts) in kinds {
                    for (part, p) in parts {
                        println!(
                            "    {kind:<14} {part:<8} {:>10} {}  {} {}",
                            pacta_core::fmt::integer(p.rows, lang),
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
            const FILES: [Column; 5] = [
                Column::left("", 6),
                Column::left(" ", 12),
                Column::left(" ", 16),
                Column::left(" ", 7),
                Column::right(" ", 12),
            ];
            // The path on its own line: it is longer than the terminal once the store sits in
            // a project directory (`--json` gives one object per file for engines).
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
                            pacta_core::fmt::integer(f.rows, lang),
                        ],
                    )
                );
                println!("  {}", f.path.display());
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
            let verified = pacta_ops::store::verify(&store)?;
            let n = |v: usize| crate::words::number(rust_decimal::Decimal::from(v), lang);
            println!(
                "{} {} {}",
                lang.pick("verified", "verificados"),
                n(verified.files),
                lang.pick(
                    "file(s): each has the size and BLAKE3 recorded when it was written",
                    "archivo(s): cada uno tiene el tamaño y el BLAKE3 registrados al escribirlo"
                )
            );
            let cache = &verified.cache;
            let mb =
                rust_decimal::Decimal::from(cache.bytes / 100_000) / rust_decimal::Decimal::TEN;
            println!(
                "{} {} {} ({} MB)",
                lang.pick("column cache:", "caché de columnas:"),
                n(cache.copies_ok),
                lang.pick("copies check", "copias correctas"),
                crate::words::number(mb, lang),
            );
            if cache.damaged_removed + cache.stale_removed > 0 {
                let (d, s) = (n(cache.damaged_removed), n(cache.stale_removed));
                println!(
                    "{}",
                    match lang {
                        Lang::En => format!(
                            "column cache: removed {d} damaged and {s} stale copies; reads rebuild them"
                        ),
                        Lang::Es => format!(
                            "caché de columnas: eliminadas {d} copias dañadas y {s} obsoletas; se reconstruyen al leer"
                        ),
                    }
                );
            }
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

/// One import of several shown as a table row: its month (the demo's), what it held and
/// where its rows went.
pub struct ImportRow {
    month: Option<String>,
    /// The file's name without extension: what it holds (`interactions`, `qa`…).
    kind: String,
    rows_read: u64,
    quarantined: u64,
    /// Rows left out by a documented rule (never offered, phantom…).
    left_out: u64,
    written: u64,
    duplicates: u64,
}

impl ImportRow {
    pub fn new(month: Option<String>, outcome: &pacta_ops::import::ImportOutcome) -> Self {
        let r = &outcome.report;
        let kind = r
            .files
            .first()
            .and_then(|f| {
                std::path::Path::new(&f.path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .unwrap_or_default();
        let (written, duplicates) = outcome
            .committed
            .as_ref()
            .map_or((0, 0), |c| (c.written, c.duplicates_skipped));
        ImportRow {
            month,
            kind,
            rows_read: r.rows_read,
            quarantined: r.quarantined.len() as u64,
            left_out: r.not_offered + r.dropped.values().sum::<u64>(),
            written,
            duplicates,
        }
    }
}

/// Several imports as one table: (month,) file, rows read, rows left out by rule,
/// quarantined or already stored, and rows written to the store; read = the other four.
pub fn import_table(rows: &[ImportRow], contract_id: &str, lang: Lang) -> String {
    use pacta_core::fmt::integer;
    const FIGURES: [Column; 5] = [
        Column::right(" ", 12),
        Column::right(" ", 12),
        Column::right(" ", 12),
        Column::right(" ", 12),
        Column::right(" ", 12),
    ];
    let name = |r: &ImportRow| match &r.month {
        Some(m) => format!("{m}  {}", r.kind),
        None => r.kind.clone(),
    };
    // The first column as wide as its longest name, so the figures line up.
    let width = rows
        .iter()
        .map(|r| name(r).chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let lead = |text: &str| format!("  {text:<width$}");
    let mut out = format!(
        "{} {contract_id}\n",
        lang.pick("Imported into the store for", "Importado al almacén para")
    );
    out.push_str(&lead(""));
    out.push_str(&row(
        &FIGURES,
        &[
            lang.pick("rows read", "filas leídas"),
            lang.pick("left out", "descartadas"),
            lang.pick("quarantined", "cuarentena"),
            lang.pick("duplicates", "duplicadas"),
            lang.pick("written", "escritas"),
        ],
    ));
    let figures = |r: &ImportRow| {
        [
            r.rows_read,
            r.left_out,
            r.quarantined,
            r.duplicates,
            r.written,
        ]
        .map(|n| integer(n, lang))
    };
    for r in rows {
        out.push_str(&lead(&name(r)));
        out.push_str(&row(&FIGURES, &figures(r)));
    }
    let total = ImportRow {
        month: None,
        kind: String::new(),
        rows_read: rows.iter().map(|r| r.rows_read).sum(),
        quarantined: rows.iter().map(|r| r.quarantined).sum(),
        left_out: rows.iter().map(|r| r.left_out).sum(),
        written: rows.iter().map(|r| r.written).sum(),
        duplicates: rows.iter().map(|r| r.duplicates).sum(),
    };
    out.push_str(&lead(lang.pick("total", "total")));
    out.push_str(&row(&FIGURES, &figures(&total)));
    out.push_str(lang.pick(
        "  left out: contacts never offered to the provider and rows a documented rule drops\n",
        "  descartadas: contactos nunca ofrecidos al proveedor y filas que una regla documentada \
         descarta\n",
    ));
    out
}
