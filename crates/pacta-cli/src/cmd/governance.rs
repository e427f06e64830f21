//! `pacta obligations`, `pacta obligation fulfil|waive` and `pacta calendar`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use jiff::Timestamp;
use jiff::civil::Date;
use pacta_contract::{Contract, Lang};
use pacta_data::store::Store;
use pacta_governance::obligation::{Party, Status};
use pacta_ops::governance::{Act, ObligationList, ObligationRow, Plans};
use serde_json::json;

use super::args::RecordArgs;
use super::contract::load_contract;
use super::{CliError, CliResult};

/// The contract, the days and the plans obligations are derived for.
#[derive(Args)]
pub struct ObligationScope {
    /// The contract.
    #[arg(long, value_name = "FILE")]
    pub contract: PathBuf,
    /// First day, YYYY-MM-DD (default: 31 days ago, in the contract's zone).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: 92 days ahead). At most ten years after --from.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// An exit date being considered for termination for convenience: adds the last day to
    /// give notice and the data deletion after it, and ends the term there.
    #[arg(long, value_name = "DATE")]
    pub exit_on: Option<String>,
    /// A planned audit date (repeat for several): adds the last day to give notice, counted
    /// against the yearly quota.
    #[arg(long = "planned-audit", value_name = "DATE")]
    pub planned_audits: Vec<String>,
    /// Store directory (its imported incidents give breach deadlines; its database records
    /// the obligations).
    #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
    pub store: PathBuf,
    #[command(flatten)]
    pub records: RecordArgs,
}

/// Output format of `pacta obligations`.
#[derive(Clone, Copy, ValueEnum)]
pub enum ListFormat {
    /// A table that fits 100 columns, each obligation's id on the line below it.
    #[value(alias = "text")]
    Table,
    /// One JSON array.
    Json,
}

/// `pacta obligations`
#[derive(Args)]
pub struct ObligationsArgs {
    #[command(flatten)]
    scope: ObligationScope,
    /// Only these statuses (repeat or comma-separate): pending, due_soon, overdue,
    /// fulfilled_on_time, fulfilled_late, waived, superseded.
    #[arg(long, value_delimiter = ',', value_parser = parse_status)]
    status: Vec<Status>,
    /// Only obligations of this party (obligations of both parties are always shown).
    #[arg(long, value_enum)]
    party: Option<PartyArg>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: ListFormat,
}

/// A party on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum PartyArg {
    /// The client.
    Client,
    /// The provider.
    Provider,
}

/// `pacta calendar`
#[derive(Args)]
pub struct CalendarArgs {
    #[command(flatten)]
    scope: ObligationScope,
    /// The .ics file to write.
    #[arg(short, long, visible_alias = "out", value_name = "FILE")]
    output: PathBuf,
}

/// `pacta obligation …`
#[derive(Subcommand)]
pub enum ObligationCommand {
    /// Record an obligation as fulfilled, with an evidence file kept by its content hash.
    Fulfil {
        /// The obligation's id (from `pacta obligations`).
        id: String,
        /// The evidence: a report, a certificate, minutes.
        #[arg(long, value_name = "FILE")]
        evidence: Option<PathBuf>,
        /// A note.
        #[arg(long)]
        note: Option<String>,
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        #[command(flatten)]
        records: RecordArgs,
    },
    /// Record an obligation as waived this time, and why.
    Waive {
        /// The obligation's id (from `pacta obligations`).
        id: String,
        /// Why it is not required.
        #[arg(long)]
        reason: String,
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        #[command(flatten)]
        records: RecordArgs,
    },
}

fn parse_status(s: &str) -> Result<Status, String> {
    s.parse()
}

fn parse_date(flag: &str, text: &str, lang: Lang) -> Result<Date, CliError> {
    text.parse::<Date>().map_err(|e| {
        CliError::Invalid(format!(
            "{flag} {text}: {} ({e})",
            lang.pick("not a date YYYY-MM-DD", "no es una fecha AAAA-MM-DD")
        ))
    })
}

/// Derives, records and returns the obligations of the scope, with the contract.
fn derive(
    scope: &ObligationScope,
    lang: Lang,
    now: Timestamp,
) -> Result<(Contract, ObligationList), CliError> {
    let contract = load_contract(&scope.contract)?;
    let today = now.to_zoned(contract.time_zone.clone()).date();
    let from = match &scope.from {
        Some(t) => parse_date("--from", t, lang)?,
        None => today.saturating_sub(jiff::Span::new().days(31)),
    };
    let to = match &scope.to {
        Some(t) => parse_date("--to", t, lang)?,
        None => today.saturating_add(jiff::Span::new().days(92)),
    };
    pacta_governance::obligation::check_range(from, to).map_err(pacta_ops::OpError::from)?;
    let plans = Plans {
        exit_on: match &scope.exit_on {
            Some(t) => Some(parse_date("--exit-on", t, lang)?),
            None => None,
        },
        planned_audits: scope
            .planned_audits
            .iter()
            .map(|t| parse_date("--planned-audit", t, lang))
            .collect::<Result<_, _>>()?,
    };
    let recorder = scope.records.place(&scope.store)?.recorder()?;
    let store = open_store_if_present(&scope.store)?;
    let history = pacta_ops::governance::history(&recorder, store.as_ref(), &contract, &plans)?;
    let list = pacta_ops::governance::list(
        &recorder,
        store.as_ref(),
        &contract,
        &history,
        from,
        to,
        now,
    )?;
    Ok((contract, list))
}

fn open_store_if_present(dir: &Path) -> Result<Option<Store>, CliError> {
    if !dir.join(pacta_data::store::MANIFEST).exists() {
        return Ok(None);
    }
    Ok(Some(Store::open(dir).map_err(|e| CliError::Op(e.into()))?))
}

pub fn obligations(args: ObligationsArgs, lang: Lang) -> CliResult {
    let now = Timestamp::now();
    let (contract, list) = derive(&args.scope, lang, now)?;
    let rows: Vec<&ObligationRow> = list
        .rows
        .iter()
        .filter(|r| args.status.is_empty() || args.status.contains(&r.status))
        .filter(|r| match args.party {
            None => true,
            Some(PartyArg::Client) => matches!(r.obligation.party, Party::Client | Party::Both),
            Some(PartyArg::Provider) => {
                matches!(r.obligation.party, Party::Provider | Party::Both)
            }
        })
        .collect();
    match args.format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> =
                rows.iter().map(|r| row_json(&contract, r, lang)).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&items)
                    .map_err(|e| CliError::Output(e.to_string()))?
            );
        }
        ListFormat::Table => print_table(&rows, &list, lang),
    }
    Ok(ExitCode::SUCCESS)
}

fn row_json(contract: &Contract, r: &ObligationRow, lang: Lang) -> serde_json::Value {
    let o = &r.obligation;
    let at = o.location(contract);
    json!({
        "id": o.id,
        "kind": o.kind.code(),
        "party": o.party,
        "due": o.due,
        "deadline": o.deadline(&contract.time_zone).map(|t| t.to_string()),
        "lead_days": o.lead_days,
        "status": r.status.code(),
        "title": o.title(lang),
        "source": { "path": o.source, "line": at.line, "col": at.col },
        "contract_version": r.contract_version,
        "closed_by": r.closed_by.as_ref().map(|e| json!({
            "action": e.action,
            "at": e.at.to_string(),
            "actor": e.actor,
            "evidence_hash": e.evidence_hash,
            "audit_seq": e.audit_seq,
        })),
        // Decimals as text: a JSON float would not give back the contract's number exactly.
        "measured": r.measured.as_ref().map(|m| json!({
            "met": m.met,
            "value": m.value.to_string(),
            "limit": m.limit.to_string(),
            "bound": m.bound,
            "inputs": m.inputs,
            "formula": m.formula,
            "approximate": m.approximate,
        })),
    })
}

/// The data's figure against the contract's number, e.g. `data: 5.26 > 4.00 (limit)`.
fn measured_line(m: &pacta_governance::proven::Measured, lang: Lang) -> String {
    use pacta_governance::proven::Bound;
    let value = pacta_core::fmt::fixed(m.value, 2, lang);
    let limit = match m.bound {
        Bound::AtMost | Bound::AtLeast => pacta_core::fmt::fixed(m.limit, 2, lang),
        Bound::EveryHire | Bound::EveryAgent => pacta_core::fmt::number(m.limit, lang),
    };
    let (word, limit_word) = (lang.pick("data", "datos"), lang.pick("limit", "límite"));
    let detail = match m.bound {
        Bound::AtMost | Bound::AtLeast => {
            let sign = match (m.bound, m.met) {
                (Bound::AtMost, true) => "≤",
                (Bound::AtMost, false) => ">",
                (_, true) => "≥",
                (_, false) => "<",
            };
            format!("{value} {sign} {limit} ({limit_word})")
        }
        Bound::EveryHire => {
            let hires = m.inputs.get("hires").copied().unwrap_or(0.0);
            let below = m.inputs.get("hires_below_required").copied().unwrap_or(0.0);
            match lang {
                Lang::En => {
                    format!("{below:.0} of {hires:.0} hires below {limit} h; {value} h per hire")
                }
                Lang::Es => format!(
                    "{below:.0} de {hires:.0} ingresos por debajo de {limit} h; {value} h por ingreso"
                ),
            }
        }
        Bound::EveryAgent => {
            let agents = m.inputs.get("agents").copied().unwrap_or(0.0);
            let meeting = m.inputs.get("agents_meeting").copied().unwrap_or(0.0);
            match lang {
                Lang::En => format!(
                    "{meeting:.0} of {agents:.0} agents with {limit} evaluations ({value} %)"
                ),
                Lang::Es => format!(
                    "{meeting:.0} de {agents:.0} agentes con {limit} evaluaciones ({value} %)"
                ),
            }
        }
    };
    format!("{word}: {detail}")
}

/// Fits 100 columns: due, status, party and title on one line, the id (needed to fulfil or
/// waive) indented below.
fn print_table(rows: &[&ObligationRow], list: &ObligationList, lang: Lang) {
    const WIDTH: usize = 100;
    let status_width = Status::ALL
        .iter()
        .map(|s| s.label(lang).chars().count())
        .max()
        .unwrap_or(0);
    println!(
        "{:<22}  {:<status_width$}  {:<9}  {}",
        lang.pick("due", "vence"),
        lang.pick("status", "estado"),
        lang.pick("party", "parte"),
        lang.pick("obligation / id", "obligación / id"),
    );
    for r in rows {
        let o = &r.obligation;
        let head = format!(
            "{:<22}  {:<status_width$}  {:<9}  ",
            o.due.key(),
            r.status.label(lang),
            o.party.label(lang)
        );
        let room = WIDTH.saturating_sub(head.chars().count());
        println!("{head}{}", clip(&o.title(lang), room));
        println!("{:<4}{}", "", clip(&o.id, WIDTH - 4));
        if let Some(m) = &r.measured {
            println!("{:<4}{}", "", clip(&measured_line(m, lang), WIDTH - 4));
        }
    }
    let mut counts = String::new();
    for status in Status::ALL {
        let n = rows.iter().filter(|r| r.status == status).count();
        if n > 0 {
            if !counts.is_empty() {
                counts.push_str(", ");
            }
            counts.push_str(&format!(
                "{} {}",
                pacta_core::fmt::integer(n as u64, lang),
                status.label(lang)
            ));
        }
    }
    if counts.is_empty() {
        counts = lang
            .pick("no obligations", "ninguna obligación")
            .to_string();
    }
    println!("{counts}");
    if list.sync.new + list.sync.superseded + list.sync.restored > 0 {
        println!(
            "{}",
            match lang {
                Lang::En => format!(
                    "recorded: {} new, {} superseded by this contract version, {} restored",
                    list.sync.new, list.sync.superseded, list.sync.restored
                ),
                Lang::Es => format!(
                    "registradas: {} nuevas, {} sustituidas por esta versión del contrato, {} restauradas",
                    list.sync.new, list.sync.superseded, list.sync.restored
                ),
            }
        );
    }
}

fn clip(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_string();
    }
    let mut out: String = text.chars().take(room.saturating_sub(1)).collect();
    out.push('…');
    out
}

pub fn calendar(args: CalendarArgs, lang: Lang) -> CliResult {
    let now = Timestamp::now();
    let (contract, list) = derive(&args.scope, lang, now)?;
    let text = pacta_ops::governance::calendar(&contract, &list.rows, lang, now);
    std::fs::write(&args.output, text.as_bytes()).map_err(|source| {
        CliError::Op(pacta_ops::OpError::Write {
            path: args.output.clone(),
            source,
        })
    })?;
    let cancelled = list
        .rows
        .iter()
        .filter(|r| r.status == Status::Superseded)
        .count();
    println!(
        "{}",
        match lang {
            Lang::En => format!(
                "wrote {} ({} events, {} cancelled)",
                args.output.display(),
                list.rows.len(),
                cancelled
            ),
            Lang::Es => format!(
                "escrito {} ({} eventos, {} cancelados)",
                args.output.display(),
                list.rows.len(),
                cancelled
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn obligation(c: ObligationCommand, lang: Lang) -> CliResult {
    let now = Timestamp::now();
    let (id, store, records) = match &c {
        ObligationCommand::Fulfil {
            id, store, records, ..
        }
        | ObligationCommand::Waive {
            id, store, records, ..
        } => (id, store, records),
    };
    let Some(recorder) = records.place(store)?.existing()? else {
        return Err(CliError::Op(
            pacta_db::DbError::UnknownObligation { id: id.clone() }.into(),
        ));
    };
    let act = match &c {
        ObligationCommand::Fulfil { evidence, note, .. } => Act::Fulfil {
            evidence: evidence.as_deref(),
            note: note.clone(),
        },
        ObligationCommand::Waive { reason, .. } => Act::Waive {
            reason: reason.clone(),
        },
    };
    let event = pacta_ops::governance::act(&recorder, None, id, act, now)?;
    let evidence = event
        .evidence_hash
        .as_deref()
        .map(|h| format!(" (evidence BLAKE3 {h})"));
    println!(
        "{}",
        match (lang, event.action.as_str()) {
            (Lang::En, "waive") => format!("waived {id}; audit entry {}", event.audit_seq),
            (Lang::Es, "waive") =>
                format!("dispensada {id}; entrada de auditoría {}", event.audit_seq),
            (Lang::En, _) => format!(
                "fulfilled {id}{}; audit entry {}",
                evidence.unwrap_or_default(),
                event.audit_seq
            ),
            (Lang::Es, _) => format!(
                "cumplida {id}{}; entrada de auditoría {}",
                evidence
                    .map(|e| e.replace("evidence", "evidencia"))
                    .unwrap_or_default(),
                event.audit_seq
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}
