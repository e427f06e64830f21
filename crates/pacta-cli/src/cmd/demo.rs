//! `pacta demo`: the end-to-end main job on a fresh clone.
//!
//! Runs [`pacta_ops::demo::run`] (the example bank contract, two generated months imported
//! into the store, both settled, the second reconciled against a simulated vendor invoice),
//! showing each step as it happens, then prints the scorecard and writes the HTML report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use pacta_contract::Lang;
use pacta_ops::demo::{DemoEvent, DemoOptions, STEPS};

use super::settle::scorecard;
use super::{CliResult, write_file};

#[derive(Args)]
pub struct DemoArgs {
    /// Directory for the contract, generated files and report.
    #[arg(long, short, visible_alias = "output", default_value = "pacta-demo")]
    out: PathBuf,
    /// Store directory.
    #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
    store: PathBuf,
    /// Interactions per month.
    #[arg(long, default_value_t = 300_000)]
    rows: u64,
    /// The month to settle (the month before it is settled first, as history).
    #[arg(long, default_value = "2026-10")]
    month: String,
    #[command(flatten)]
    records: super::args::RecordArgs,
}

pub fn run(args: DemoArgs, lang: Lang) -> CliResult {
    let options = DemoOptions {
        month: super::args::parse_month(&args.month, lang)?,
        out: args.out,
        store: args.store,
        rows: args.rows,
        db: args.records.db,
    };
    // Imports are gathered into one table, printed once both months are in: one block per
    // file would be fourteen unlabelled summaries.
    let mut imports: Vec<ImportRow> = Vec::new();
    let mut importing = None;
    let mut show = |event: DemoEvent<'_>| match event {
        DemoEvent::Generating { step, month } => eprintln!(
            "[{step}/{STEPS}] {} {month}",
            lang.pick("generating", "generando")
        ),
        DemoEvent::Generated { generated, dir } => {
            print!("{}", super::r#gen::summary(generated, dir, lang));
        }
        DemoEvent::Importing { step, month } => {
            importing = Some(month);
            eprintln!(
                "[{step}/{STEPS}] {} {month}",
                lang.pick("importing", "importando")
            );
        }
        DemoEvent::Imported { outcome } => imports.push(ImportRow::new(
            importing.map(|m| m.to_string()).unwrap_or_default(),
            outcome,
        )),
    };
    let demo = pacta_ops::demo::run(&options, jiff::Timestamp::now(), &mut show)?;
    let s = &demo.settled.settlement;
    print!("{}", import_table(&imports, &s.contract_id, lang));
    println!();
    print!("{}", scorecard(s, lang));
    let html = super::settle::html_report(&demo.contract, s, &demo.settled.history, lang)?;
    let report = options
        .out
        .join(format!("report-{}.{}.html", s.month, lang.code()));
    write_file(&report, html.as_bytes())?;
    println!();
    println!(
        "{} {}",
        lang.pick("Report:", "Informe:"),
        absolute(&report).display()
    );
    if let Some(d) = &demo.dispute {
        println!();
        println!(
            "{}",
            match lang {
                Lang::En => format!(
                    "Dispute {}:\n  the provider disputed the SL-VOICE credit and proposed to leave an outage out;\n  the client accepted.",
                    d.view.record.id
                ),
                Lang::Es => format!(
                    "Disputa {}:\n  el proveedor disputó el crédito de SL-VOICE y propuso excluir una caída;\n  el cliente aceptó.",
                    d.view.record.id
                ),
            }
        );
        super::dispute::print_note(&d.adjusted.note, lang);
        // Each command on its own line, so the output stays within 100 columns.
        println!(
            "{}\n  pacta dispute show {} --contract {}",
            lang.pick("See it:", "Verla:"),
            d.view.record.id,
            demo.contract_path.display(),
        );
        println!(
            "{}\n  pacta dispute pack {} --contract {} --out dispute-pack",
            lang.pick(
                "Its evidence (the contacts with and without the window):",
                "Sus pruebas (los contactos con y sin la ventana):"
            ),
            d.view.record.id,
            demo.contract_path.display(),
        );
    }
    println!(
        "{}\n  pacta explain --contract {} --month {} {} --contacts contacts.csv",
        lang.pick(
            "Explain a figure, with the contacts behind it:",
            "Explicar una cifra, con los contactos que la forman:"
        ),
        demo.contract_path.display(),
        s.month,
        s.slas.first().map(|o| o.sla_id.as_str()).unwrap_or("")
    );
    print_dashboard(&demo.server, &options, lang);
    Ok(ExitCode::SUCCESS)
}

/// How to open the dashboard on the demo's store, with its three users.
fn print_dashboard(server: &pacta_ops::demo::DemoServer, options: &DemoOptions, lang: Lang) {
    println!();
    println!(
        "{}",
        lang.pick("The dashboard on this data:", "El panel sobre estos datos:")
    );
    match &options.db {
        Some(_) => println!(
            "  pacta serve --store {} --db URL   ({})",
            absolute(&options.store).display(),
            lang.pick(
                "URL: the database this demo used",
                "URL: la base de datos que usó esta demo"
            )
        ),
        None => println!(
            "  pacta serve --store {}",
            absolute(&options.store).display()
        ),
    }
    println!(
        "  {} http://127.0.0.1:8080/",
        lang.pick("then open", "y abrir")
    );
    for u in &server.users {
        let role = u.role.as_str();
        match &u.password {
            Some(password) => println!(
                "  {:<6} {role:<17} {}: {password}",
                u.name,
                lang.pick("password (shown once)", "contraseña (se muestra una vez)")
            ),
            None => println!(
                "  {:<6} {role:<17} {}",
                u.name,
                lang.pick(
                    "already exists: its password was shown when it was created",
                    "ya existe: su contraseña se mostró al crearlo"
                )
            ),
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// One file the demo imported: its month, what it held and where its rows went.
struct ImportRow {
    month: String,
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
    fn new(month: String, outcome: &pacta_ops::import::ImportOutcome) -> Self {
        let r = &outcome.report;
        let kind = r
            .files
            .first()
            .and_then(|f| {
                Path::new(&f.path)
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

/// The demo's imports as one table: month, file, rows read, rows left out by rule or
/// quarantined, and rows written to the store.
fn import_table(rows: &[ImportRow], contract_id: &str, lang: Lang) -> String {
    use pacta_core::fmt::integer;
    use pacta_core::text_table::{Column, row};
    const TABLE: [Column; 7] = [
        Column::left("  ", 8),
        Column::left(" ", 13),
        Column::right(" ", 11),
        Column::right(" ", 12),
        Column::right(" ", 12),
        Column::right(" ", 12),
        Column::right(" ", 12),
    ];
    let mut out = format!(
        "{} {contract_id}\n",
        lang.pick("Imported into the store for", "Importado al almacén para")
    );
    out.push_str(&row(
        &TABLE,
        &[
            lang.pick("month", "mes"),
            lang.pick("file", "archivo"),
            lang.pick("rows read", "filas leídas"),
            lang.pick("left out", "descartadas"),
            lang.pick("quarantined", "cuarentena"),
            lang.pick("duplicates", "duplicadas"),
            lang.pick("written", "escritas"),
        ],
    ));
    for r in rows {
        out.push_str(&row(
            &TABLE,
            &[
                r.month.clone(),
                r.kind.clone(),
                integer(r.rows_read, lang),
                integer(r.left_out, lang),
                integer(r.quarantined, lang),
                integer(r.duplicates, lang),
                integer(r.written, lang),
            ],
        ));
    }
    let total = |f: fn(&ImportRow) -> u64| integer(rows.iter().map(f).sum(), lang);
    out.push_str(&row(
        &TABLE,
        &[
            lang.pick("total", "total").to_string(),
            String::new(),
            total(|r| r.rows_read),
            total(|r| r.left_out),
            total(|r| r.quarantined),
            total(|r| r.duplicates),
            total(|r| r.written),
        ],
    ));
    out.push_str(lang.pick(
        "  left out: contacts never offered to the provider and rows a documented rule drops\n",
        "  descartadas: contactos nunca ofrecidos al proveedor y filas que una regla documentada \
         descarta\n",
    ));
    out
}
