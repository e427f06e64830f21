//! `pacta demo`: the end-to-end main job on a fresh clone.
//!
//! Writes the example bank contract, generates two months of data with `pacta gen`, imports
//! every file with `pacta import` into the store, settles both months (the second sees the
//! first as history), reconciles a simulated vendor invoice for the second month (with a
//! padded quantity and a charge the contract does not allow, so the reconciliation has
//! something to find), and writes the HTML report. Each step runs the same code as the
//! command of the same name (gen and import as child processes of this binary).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::Args;
use pacta_contract::Lang;
use pacta_terms::reconcile::VendorLine;
use rust_decimal::Decimal;

use super::settle::scorecard;
use super::{CliError, CliResult, write_file};
use crate::text::t;

const CONTRACT: &str = include_str!("../../../../examples/bank-inbound-manila.toml");

#[derive(Args)]
pub struct DemoArgs {
    /// Directory for the contract, generated files and report.
    #[arg(long, default_value = "pacta-demo")]
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
}

fn run_self(args: &[&str], lang: Lang) -> Result<(), CliError> {
    let exe = std::env::current_exe().map_err(|e| CliError::Other(e.to_string()))?;
    let status = Command::new(exe)
        .args(args)
        .env("PACTA_LANG", lang.code())
        .status()
        .map_err(|e| CliError::Other(e.to_string()))?;
    if status.success() {
        Ok(())
    } else {
        Err(CliError::Other(format!(
            "`pacta {}` failed ({status})",
            args.join(" ")
        )))
    }
}

pub fn run(args: DemoArgs, lang: Lang) -> CliResult {
    let month = super::args::parse_month(&args.month, lang)?;
    let contract_path = args.out.join("contract.toml");
    write_file(&contract_path, CONTRACT.as_bytes())?;
    let contract = super::contract::load_contract(&contract_path)?;
    let store = args.store.to_string_lossy().to_string();
    let cpath = contract_path.to_string_lossy().to_string();
    let previous = month.prev().ok_or(pacta_ops::OpError::NoAdjacentMonth {
        month,
        before: true,
    })?;
    let months = [previous, month];
    for (n, m) in months.iter().enumerate() {
        let ms = m.to_string();
        let gen_dir = args.out.join(format!("data-{ms}"));
        eprintln!(
            "[{}/4] {} {ms}",
            n * 2 + 1,
            t(lang, "generating", "generando")
        );
        let options = pacta_gen::GenOptions {
            seed: 42 + n as u64,
            ..pacta_gen::GenOptions::new(*m, args.rows)
        };
        let generated =
            pacta_ops::generate::generate_to_dir(&contract, &options, &gen_dir, true, &mut |_| {})?;
        print!("{}", super::r#gen::summary(&generated, &gen_dir, lang));
        eprintln!(
            "[{}/4] {} {ms}",
            n * 2 + 2,
            t(lang, "importing", "importando")
        );
        for kind in [
            "interactions",
            "surveys",
            "qa",
            "roster",
            "training",
            "agent-days",
            "incidents",
        ] {
            let file = gen_dir.join(format!("{}.csv", kind.replace('-', "_")));
            let f = file.to_string_lossy().to_string();
            run_self(
                &[
                    "import",
                    "--contract",
                    &cpath,
                    "--store",
                    &store,
                    "--format",
                    "csv",
                    "--kind",
                    kind,
                    &f,
                ],
                lang,
            )?;
        }
    }
    // Settle the first month so the second sees it as history.
    let st = pacta_data::store::Store::open(&args.store).map_err(|e| CliError::Op(e.into()))?;
    let settle = |m, vendor| {
        let options = pacta_ops::settle::SettleOptions {
            vendor_invoice: vendor,
        };
        pacta_ops::settle::settle(&st, &contract, m, &options)
    };
    let first = settle(months[0], None)?.settlement;
    pacta_ops::settle::save(&st, &contract, &first)?;
    let expected = settle(month, None)?.settlement;
    let vendor = simulated_vendor_invoice(&expected.invoice);
    let vendor_path = args.out.join(format!("vendor-invoice-{}.csv", month));
    write_vendor_csv(&vendor_path, &vendor)?;
    let outcome = settle(month, Some(&vendor))?;
    let (s, history) = (outcome.settlement, outcome.history);
    pacta_ops::settle::save(&st, &contract, &s)?;
    print!("{}", scorecard(&s, lang));
    let html = super::settle::html_report(&contract, &s, &history, lang)?;
    let report = args
        .out
        .join(format!("report-{}.{}.html", s.month, lang.code()));
    write_file(&report, html.as_bytes())?;
    println!();
    println!(
        "{} {}",
        t(lang, "Report:", "Informe:"),
        absolute(&report).display()
    );
    println!(
        "{} pacta explain --contract {} --month {} {}",
        t(lang, "Explain a figure:", "Explicar una cifra:"),
        contract_path.display(),
        s.month,
        s.slas.first().map(|o| o.sla_id.as_str()).unwrap_or("")
    );
    Ok(ExitCode::SUCCESS)
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The vendor's invoice as a provider might send it: pacta's service lines with the first
/// quantity padded by 3 %, credits not netted, and an administration fee the contract does not
/// allow.
fn simulated_vendor_invoice(expected: &pacta_terms::pricing::Invoice) -> Vec<VendorLine> {
    use pacta_terms::pricing::LineKind;
    let mut out = Vec::new();
    let mut padded = false;
    for l in &expected.lines {
        if matches!(l.kind, LineKind::Credit) {
            continue;
        }
        let mut quantity = l.quantity;
        if !padded && l.kind == LineKind::Service && !l.quantity.is_zero() {
            quantity = (l.quantity * Decimal::new(103, 2)).round_dp(2);
            padded = true;
        }
        out.push(VendorLine {
            item: l.item.clone(),
            quantity,
            rate: l.rate,
            amount: (quantity * l.rate).round_dp(2),
        });
    }
    out.push(VendorLine {
        item: "platform-administration-fee".into(),
        quantity: Decimal::ONE,
        rate: Decimal::new(2500, 0),
        amount: Decimal::new(2500, 0),
    });
    out
}

fn write_vendor_csv(path: &Path, lines: &[VendorLine]) -> Result<(), CliError> {
    let mut s = String::from("item,quantity,rate,amount\n");
    for l in lines {
        s.push_str(&format!(
            "{},{},{},{}\n",
            l.item, l.quantity, l.rate, l.amount
        ));
    }
    write_file(path, s.as_bytes())
}
