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

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use pacta_contract::Lang;
use pacta_gen::{GenOptions, StreamError, Tally, csv};

use super::contract::load_contract;
use super::{CliError, CliResult, write_file};
use crate::text::t;

/// The files `pacta gen` writes, in order.
pub const FILES: [&str; 7] = [
    "interactions.csv",
    "surveys.csv",
    "qa.csv",
    "roster.csv",
    "training.csv",
    "agent_days.csv",
    "incidents.csv",
];

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
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Overwrite files already in the directory.
    #[arg(long)]
    force: bool,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> CliError + '_ {
    move |source| CliError::Io {
        path: path.to_path_buf(),
        source,
        writing: true,
    }
}

fn tmp_name(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("pacta");
    path.with_file_name(format!(".{name}.tmp"))
}

/// A CSV file streamed to a temporary name and renamed into place by `finish`.
struct Streamed {
    path: PathBuf,
    tmp: PathBuf,
    w: BufWriter<File>,
}

impl Streamed {
    fn create(path: PathBuf) -> Result<Self, CliError> {
        let tmp = tmp_name(&path);
        let file = File::create(&tmp).map_err(io_err(&path))?;
        Ok(Streamed {
            path,
            tmp,
            w: BufWriter::with_capacity(1 << 20, file),
        })
    }

    fn finish(mut self) -> Result<(), CliError> {
        self.w.flush().map_err(io_err(&self.path))?;
        std::fs::rename(&self.tmp, &self.path).map_err(io_err(&self.path))
    }
}

fn to_bytes(
    path: &Path,
    f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    f(&mut buf).map_err(io_err(path))?;
    Ok(buf)
}

pub fn run(args: GenArgs, lang: Lang) -> CliResult {
    let Ok(month) = pacta_core::Month::parse(&args.month) else {
        return Err(CliError::Invalid(match lang {
            Lang::En => format!("`{}` is not a month (use YYYY-MM)", args.month),
            Lang::Es => format!("`{}` no es un mes (use AAAA-MM)", args.month),
        }));
    };
    let contract = load_contract(&args.contract)?;
    if !args.force
        && let Some(p) = FILES.iter().map(|f| args.out.join(f)).find(|p| p.exists())
    {
        return Err(CliError::Exists(p));
    }
    std::fs::create_dir_all(&args.out).map_err(io_err(&args.out))?;

    let opts = GenOptions {
        seed: args.seed,
        outage_count: args.outages,
        ..GenOptions::new(month, args.rows)
    };
    let mut interactions = Streamed::create(args.out.join(FILES[0]))?;
    let mut surveys = Streamed::create(args.out.join(FILES[1]))?;
    csv::write_interactions_header(&mut interactions.w).map_err(io_err(&interactions.path))?;
    csv::write_surveys_header(&mut surveys.w).map_err(io_err(&surveys.path))?;

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
    let mut tally = Tally::default();
    let mut survey_count = 0usize;
    let result = pacta_gen::generate_chunked(&contract, &opts, |chunk| {
        csv::write_interactions_rows(&mut interactions.w, chunk.interactions)
            .map_err(|e| (interactions.path.clone(), e))?;
        csv::write_surveys_rows(&mut surveys.w, chunk.surveys)
            .map_err(|e| (surveys.path.clone(), e))?;
        tally.add(chunk.interactions);
        survey_count += chunk.surveys.len();
        if let Some(bar) = &bar {
            bar.inc(chunk.interactions.len() as u64);
        }
        Ok::<(), (PathBuf, std::io::Error)>(())
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let rest = match result {
        Ok(rest) => rest,
        Err(e) => {
            let _ = std::fs::remove_file(&interactions.tmp);
            let _ = std::fs::remove_file(&surveys.tmp);
            return Err(match e {
                StreamError::Gen(g) => CliError::Invalid(g.to_string()),
                StreamError::Sink((path, source)) => CliError::Io {
                    path,
                    source,
                    writing: true,
                },
            });
        }
    };
    interactions.finish()?;
    surveys.finish()?;

    let out = |name: &str| args.out.join(name);
    let p = out(FILES[2]);
    write_file(&p, &to_bytes(&p, |b| csv::write_qa_csv(b, &rest.qa))?)?;
    let p = out(FILES[3]);
    write_file(
        &p,
        &to_bytes(&p, |b| csv::write_roster_csv(b, &rest.roster))?,
    )?;
    let p = out(FILES[4]);
    write_file(
        &p,
        &to_bytes(&p, |b| csv::write_training_csv(b, &rest.training))?,
    )?;
    let p = out(FILES[5]);
    write_file(
        &p,
        &to_bytes(&p, |b| csv::write_agent_days_csv(b, &rest.agent_days))?,
    )?;
    let p = out(FILES[6]);
    write_file(
        &p,
        &to_bytes(&p, |b| csv::write_incidents_csv(b, &rest.incidents))?,
    )?;

    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |x| format!("{x:.1} %"));
    println!(
        "{} {} {} {}: {} {}, {} {}, {} QA, {} {}, {} {}",
        t(lang, "wrote", "escritas"),
        tally.offered_all,
        t(lang, "interactions to", "interacciones en"),
        args.out.display(),
        survey_count,
        t(lang, "surveys", "encuestas"),
        rest.roster.len(),
        t(lang, "agents", "agentes"),
        rest.qa.len(),
        rest.agent_days.len(),
        t(lang, "agent days", "días-agente"),
        rest.incidents.len(),
        t(lang, "incidents", "incidentes"),
    );
    println!(
        "{} {} · {} {}",
        t(
            lang,
            "service level (answered only, 20 s voice / 60 s chat):",
            "nivel de servicio (solo atendidas, 20 s voz / 60 s chat):"
        ),
        pct(tally.service_level()),
        t(lang, "abandonment:", "abandono:"),
        pct(tally.abandonment()),
    );
    Ok(ExitCode::SUCCESS)
}
