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
    let mut imports: Vec<super::data::ImportRow> = Vec::new();
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
        DemoEvent::Imported { outcome } => imports.push(super::data::ImportRow::new(
            importing.map(|m| m.to_string()),
            outcome,
        )),
    };
    let demo = pacta_ops::demo::run(&options, jiff::Timestamp::now(), &mut show)?;
    let s = &demo.settled.settlement;
    print!(
        "{}",
        super::data::import_table(&imports, &s.contract_id, lang)
    );
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
