//! `pacta gen`: generate a month of realistic contact-center data for a contract.
//!
//! `gen` is a reserved keyword in edition 2024: declare the module as `pub mod r#gen;` and
//! call [`run`].
//!
//! Writes seven CSV files into `--out` with the headers documented in `pacta_gen::csv`:
//! `interactions.csv`, `surveys.csv`, `qa.csv`, `roster.csv`, `training.csv`,
//! `agent_days.csv` and `incidents.csv`. Interactions and surveys are streamed a day at a time,
//! so ten million rows need little memory; every file is written to a temporary name and
//! renamed when complete.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use pacta_contract::Lang;
use pacta_gen::GenOptions;

use super::contract::load_contract;
use super::{CliError, CliResult};

#[derive(Args)]
pub struct GenArgs {
    /// Contract whose services, queues, calendar and time zone shape the data.
    #[arg(long, value_name = "FILE")]
    contract: PathBuf,
    /// Month to generate, YYYY-MM (cut in the contract's time zone).
    #[arg(long, value_name = "YYYY-MM")]
    month: String,
    /// Interactions to generate (spread over services by forecast volume).
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    rows: u64,
    /// Seed: the same contract, month, rows and seed give identical files.
    #[arg(long, value_name = "N", default_value_t = 42)]
    seed: u64,
    /// Outages to simulate (written to incidents.csv; the first is accepted).
    #[arg(long, value_name = "N", default_value_t = 1)]
    outages: u32,
    /// Directory to write the CSV files into (created if missing).
    #[arg(long, short, visible_alias = "output", value_name = "DIR")]
    out: PathBuf,
    /// Overwrite files already in the directory.
    #[arg(long)]
    force: bool,
}

pub fn run(args: GenArgs, lang: Lang) -> CliResult {
    let Ok(month) = pacta_core::Month::parse(&args.month) else {
        return Err(CliError::Invalid(match lang {
            Lang::En => format!("`{}` is not a month (use YYYY-MM)", args.month),
            Lang::Es => format!("`{}` no es un mes (use AAAA-MM)", args.month),
        }));
    };
    let contract = load_contract(&args.contract)?;
    let options = GenOptions {
        seed: args.seed,
        outage_count: args.outages,
        ..GenOptions::new(month, args.rows)
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(args.rows);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec}, {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut progress = |rows: u64| {
        if let Some(bar) = &bar {
            bar.inc(rows);
        }
    };
    let generated = pacta_ops::generate::generate_to_dir(
        &contract,
        &options,
        &args.out,
        args.force,
        &mut progress,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    print!("{}", summary(&generated?, &args.out, lang));
    Ok(ExitCode::SUCCESS)
}

/// What `gen` says it wrote: counts of every file and the month's service level.
pub fn summary(
    generated: &pacta_ops::generate::Generated,
    dir: &std::path::Path,
    lang: Lang,
) -> String {
    let tally = &generated.tally;
    let pct = |v: Option<f64>| {
        v.map_or_else(
            || "—".to_string(),
            |x| format!("{} %", pacta_core::fmt::float(x, 1, lang)),
        )
    };
    let n = |count: u64| pacta_core::fmt::integer(count, lang);
    format!(
        "{} {} {} {}:\n  {} {}, {} {}, {} QA, {} {}, {} {}\n{} {} · {} {}\n",
        lang.pick("wrote", "escritas"),
        n(tally.offered_all),
        lang.pick("interactions to", "interacciones en"),
        dir.display(),
        n(generated.surveys as u64),
        lang.pick("surveys", "encuestas"),
        n(generated.agents as u64),
        lang.pick("agents", "agentes"),
        n(generated.qa as u64),
        n(generated.agent_days as u64),
        lang.pick("agent days", "días-agente"),
        n(generated.incidents as u64),
        lang.pick("incidents", "incidentes"),
        lang.pick(
            "service level (answered only, 20 s voice / 60 s chat):",
            "nivel de servicio (solo atendidas, 20 s voz / 60 s chat):"
        ),
        pct(tally.service_level()),
        lang.pick("abandonment:", "abandono:"),
        pct(tally.abandonment()),
    )
}
