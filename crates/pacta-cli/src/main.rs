//! The pacta command-line interface: contract-as-code for outsourced contact centers.
//!
//! The binary owns all I/O and presentation; each subcommand lives in `cmd/` and calls the
//! library crates, which never print or exit.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cmd;
mod diag;
mod words;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pacta_contract::Lang;

/// Contract-as-code for outsourced contact centers: write the deal with your BPO once, then
/// check, review, render and enforce it with the call center's own data.
#[derive(Parser)]
#[command(name = "pacta", version, about, long_about = None, max_term_width = 100)]
struct Cli {
    /// Language of messages and documents (en, es). Also read from PACTA_LANG.
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
    /// Write a commented, valid starting contract.
    Init(cmd::contract::InitArgs),
    /// Parse and validate contract files (exit 0 valid, 1 invalid, 2 unreadable).
    Check(cmd::contract::CheckArgs),
    /// Review a contract against the rulebook: missing or weak clauses, with fixes.
    Review(cmd::contract::ReviewArgs),
    /// Render the readable contract (master agreement, schedules) as Markdown or HTML.
    Render(cmd::contract::RenderArgs),
    /// Generate a realistic, seeded month of operational data for a contract.
    Gen(cmd::r#gen::GenArgs),
    /// Import operational data (calls, chats, surveys, QA, roster…) into the store.
    Import(cmd::data::ImportArgs),
    /// Measure every KPI of a contract (or any catalog metric) by scope and period, before
    /// exclusions.
    Kpi(cmd::kpi::KpiArgs),
    /// Staff to the contract's service level: Erlang C and A per interval, the vendor's plan
    /// checked, or a forecast estimated from a month in the store.
    Plan(cmd::plan::PlanArgs),
    /// Choose a provider: weighted criteria, knock-outs, sensitivity, total cost, pilots.
    Select(cmd::select::SelectArgs),
    /// Settle a month: every SLA judged, credits, bonuses, the invoice, reconciliation.
    Settle(cmd::settle::SettleArgs),
    /// Run pacta's KPIs on other engines: print the lowered SQL for Spark, Databricks or
    /// DuckDB (`pacta kpi|settle --engine datafusion|ballista` runs it for you).
    #[command(subcommand)]
    Engine(cmd::engine::EngineCommand),
    /// Show the arithmetic behind an SLA verdict or the month's credits and invoice.
    Explain(cmd::settle::ExplainArgs),
    /// The end-to-end demo: contract → two months of data → store → settlement → HTML report.
    Demo(cmd::demo::DemoArgs),
    /// The month lifecycle: close a settled month; list months and their states.
    #[command(subcommand)]
    Month(cmd::record::MonthCommand),
    /// The audit log: verify its hash chain, list its entries.
    #[command(subcommand)]
    Audit(cmd::record::AuditCommand),
    /// Every dated obligation the contract derives (notices, reports, meetings, audits,
    /// invoices, quotas…), recorded with its status: pending, due soon, overdue, fulfilled,
    /// waived or superseded.
    Obligations(cmd::governance::ObligationsArgs),
    /// Fulfil (with evidence) or waive one obligation.
    #[command(subcommand)]
    Obligation(cmd::governance::ObligationCommand),
    /// Write the obligations as an iCalendar (.ics) file for any calendar application.
    Calendar(cmd::governance::CalendarArgs),
    /// Disputes on a settled month's lines along the contract's escalation ladder: open,
    /// comment, propose, accept, escalate, withdraw, record an outcome; list and show them.
    #[command(subcommand)]
    Dispute(cmd::dispute::DisputeCommand),
    /// Inspect or export the operational data store.
    #[command(subcommand)]
    Store(cmd::data::StoreCommand),
    /// Print the JSON Schema of the contract file format (for editors).
    Schema(cmd::contract::SchemaArgs),
    /// Serve the JSON API and the dashboard (sessions, API keys, roles) until Ctrl-C.
    Serve(cmd::server::ServeArgs),
    /// Organisations (tenants) the server knows.
    #[command(subcommand)]
    Org(cmd::server::OrgCommand),
    /// Users of the server: add one with its organisation and role.
    #[command(subcommand)]
    User(cmd::server::UserCommand),
    /// API keys for `Authorization: Bearer`: create (printed once), revoke.
    #[command(subcommand)]
    Token(cmd::server::TokenCommand),
    /// Contracts the server serves, bound to a client and a provider organisation.
    #[command(subcommand)]
    Contract(cmd::server::ContractCommand),
}

/// A reader that stopped reading (`pacta review … | head`) closes the pipe; printing then
/// fails with EPIPE and `println!` panics. Exit quietly like other command-line tools do
/// (128 + SIGPIPE) instead of printing a panic.
fn exit_quietly_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

/// `PACTA_PROFILE=1`: the library's phase spans (`import.parse`, `store.cache_read`,
/// `settle.compute`…) print their wall time to stderr as they close, for the benchmarks'
/// split of where a command's time goes.
fn print_phase_times() {
    use tracing_subscriber::fmt::format::FmtSpan;
    // The server installs its own subscriber; elsewhere a second install cannot happen.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        // No clock in the lines (`without_time` would also drop the spans' timings).
        .with_timer(())
        .with_target(false)
        .with_level(false)
        .with_span_events(FmtSpan::CLOSE)
        .with_max_level(tracing::Level::INFO)
        .try_init();
}

fn main() -> ExitCode {
    exit_quietly_on_broken_pipe();
    let cli = Cli::parse();
    let lang = cli.lang;
    if std::env::var_os("PACTA_PROFILE").is_some() && !matches!(cli.command, Command::Serve(_)) {
        print_phase_times();
    }
    let result = match cli.command {
        Command::Init(a) => cmd::contract::init(a, lang),
        Command::Check(a) => cmd::contract::check(a, lang),
        Command::Review(a) => cmd::contract::review(a, lang),
        Command::Render(a) => cmd::contract::render(a, lang),
        Command::Gen(a) => cmd::r#gen::run(a, lang),
        Command::Import(a) => cmd::data::import(a, lang),
        Command::Store(c) => cmd::data::store(c, lang),
        Command::Kpi(a) => cmd::kpi::run(a, lang),
        Command::Plan(a) => cmd::plan::plan(a, lang),
        Command::Select(a) => cmd::select::run(a, lang),
        Command::Settle(a) => cmd::settle::settle(a, lang),
        Command::Explain(a) => cmd::settle::explain(a, lang),
        Command::Engine(c) => cmd::engine::engine(c, lang),
        Command::Demo(a) => cmd::demo::run(a, lang),
        Command::Month(c) => cmd::record::month(c, lang),
        Command::Audit(c) => cmd::record::audit(c, lang),
        Command::Schema(a) => cmd::contract::schema(a, lang),
        Command::Obligations(a) => cmd::governance::obligations(a, lang),
        Command::Obligation(c) => cmd::governance::obligation(c, lang),
        Command::Calendar(a) => cmd::governance::calendar(a, lang),
        Command::Dispute(c) => cmd::dispute::dispute(c, lang),
        Command::Serve(a) => cmd::server::serve(a, lang),
        Command::Org(c) => cmd::server::org(c, lang),
        Command::User(c) => cmd::server::user(c, lang),
        Command::Token(c) => cmd::server::token(c, lang),
        Command::Contract(c) => cmd::server::contract(c, lang),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", e.render(lang));
            e.exit_code()
        }
    }
}
