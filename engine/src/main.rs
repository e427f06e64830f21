//! The `pacta-engine` binary: runs a job file on DataFusion or Ballista and writes the
//! results JSON.
//!
//! Exit codes: 0 done, 2 any error (`error[CODE]: message` on stderr, in `--lang`).
#![forbid(unsafe_code)]
#![allow(clippy::print_stderr)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use pacta_engine::{EngineError, JobResults, Lang, Target};

/// Runs pacta's lowered KPI SQL on DataFusion in-process or on a Ballista cluster.
#[derive(Parser)]
#[command(name = "pacta-engine", version, about, long_about = None, max_term_width = 100)]
struct Cli {
    /// Language of error messages (en, es). Also read from PACTA_LANG.
    #[arg(long, global = true, env = "PACTA_LANG", default_value = "en", value_parser = parse_lang)]
    lang: Lang,
    #[command(subcommand)]
    command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

#[derive(Subcommand)]
enum Command {
    /// Run a job file and write its results as JSON.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// The job file (JSON, format 1); relative file paths in it are taken from its directory.
    #[arg(long, value_name = "JOB.json")]
    job: PathBuf,
    /// The engine: DataFusion in this process, or Ballista.
    #[arg(long, value_enum)]
    engine: EngineArg,
    /// A Ballista scheduler, `df://host:50050`; without it, `--engine ballista` starts a
    /// scheduler and an executor in this process.
    #[arg(long, value_name = "URL")]
    scheduler: Option<String>,
    /// Where to write the results; standard output when left out.
    #[arg(long, value_name = "RESULTS.json")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EngineArg {
    Datafusion,
    Ballista,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Run(args) = cli.command;
    let target = match (args.engine, args.scheduler.clone()) {
        (EngineArg::Datafusion, None) => Target::DataFusion,
        (EngineArg::Datafusion, Some(_)) => {
            use clap::CommandFactory;
            Cli::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "--scheduler only applies to --engine ballista",
                )
                .exit()
        }
        (EngineArg::Ballista, None) => Target::BallistaStandalone,
        (EngineArg::Ballista, Some(scheduler)) => Target::BallistaRemote { scheduler },
    };
    match run(&args, &target, cli.lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("error[{code}]: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs the job; the error comes back as its code and message in `lang`.
fn run(args: &RunArgs, target: &Target, lang: Lang) -> Result<(), (&'static str, String)> {
    let localized = |e: EngineError| (e.code(), e.message(lang));
    let job = pacta_engine::Job::from_path(&args.job).map_err(localized)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(pacta_engine::WORKER_STACK_BYTES)
        .build()
        .map_err(|e| {
            let text = lang.pick(
                "cannot start the async runtime",
                "no se pudo iniciar el entorno asíncrono",
            );
            ("engine-runtime", format!("{text}: {e}"))
        })?;
    let results = runtime.block_on(pacta_engine::run_job(&job, target));
    // A standalone cluster's scheduler and executor are tasks of this runtime that never end
    // by themselves; dropping the runtime would wait for them.
    runtime.shutdown_background();
    write_results(&results.map_err(localized)?, args.out.as_deref()).map_err(localized)
}

fn write_results(results: &JobResults, out: Option<&Path>) -> Result<(), EngineError> {
    let fail = |source| EngineError::WriteResults {
        path: out.map_or_else(|| PathBuf::from("<stdout>"), Path::to_path_buf),
        source,
    };
    let mut text = serde_json::to_vec(results).map_err(|e| fail(e.into()))?;
    text.push(b'\n');
    match out {
        Some(path) => std::fs::write(path, text).map_err(fail),
        None => std::io::stdout().lock().write_all(&text).map_err(fail),
    }
}
