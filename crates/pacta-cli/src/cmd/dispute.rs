//! `pacta dispute open|list|show|comment|propose|accept|escalate|withdraw|outcome`: disputes
//! on a settled month's lines, walked along the contract's escalation ladder over
//! pacta-ops. Every refusal exits 1 with nothing written.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use jiff::Timestamp;
use jiff::civil::DateTime;
use pacta_contract::{Contract, Lang};
use pacta_governance::dispute::{Action, Adjustment, ReliefKind, Side, Status, kind_label};
use pacta_ops::dispute::DisputeView;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::args::{RecordArgs, parse_month};
use super::contract::load_contract;
use super::{CliError, CliResult, to_json};

/// Width of the table output.
const WIDTH: usize = 100;

/// The contract and where its records live.
#[derive(Args)]
pub struct Place {
    /// The contract (its ladder of dispute steps, its time zone).
    #[arg(long, value_name = "FILE")]
    pub contract: PathBuf,
    /// Store directory (its database records the disputes).
    #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
    pub store: PathBuf,
    #[command(flatten)]
    pub records: RecordArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Output format of the dispute commands.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Text that fits 100 columns.
    #[value(alias = "text")]
    Table,
    /// JSON.
    Json,
}

/// A party on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum SideArg {
    /// The client.
    Client,
    /// The provider.
    Provider,
}

impl From<SideArg> for Side {
    fn from(s: SideArg) -> Side {
        match s {
            SideArg::Client => Side::Client,
            SideArg::Provider => Side::Provider,
        }
    }
}

/// Why time is left out of the measurement.
#[derive(Clone, Copy, ValueEnum)]
pub enum ReliefArg {
    /// An outage excused under the contract.
    Outage,
    /// Force majeure.
    #[value(name = "force_majeure", alias = "force-majeure")]
    ForceMajeure,
    /// Caused by the client.
    #[value(name = "client_caused", alias = "client-caused")]
    ClientCaused,
}

impl From<ReliefArg> for ReliefKind {
    fn from(r: ReliefArg) -> ReliefKind {
        match r {
            ReliefArg::Outage => ReliefKind::Outage,
            ReliefArg::ForceMajeure => ReliefKind::ForceMajeure,
            ReliefArg::ClientCaused => ReliefKind::ClientCaused,
        }
    }
}

/// One dispute, and the side acting on it.
#[derive(Args)]
pub struct Target {
    /// The dispute's id (from `pacta dispute list`), e.g. CONTRACT/2026-06/D1.
    pub id: String,
    /// The side acting.
    #[arg(long = "as", value_enum, value_name = "SIDE")]
    pub side: SideArg,
    #[command(flatten)]
    pub place: Place,
}

/// `pacta dispute …`
#[derive(Subcommand)]
pub enum DisputeCommand {
    /// Raise a dispute on one line of a settled month (within the contract's window).
    Open {
        /// Month disputed, YYYY-MM (it must have a saved settlement).
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// The settlement line: sla/ID, credit/ID, invoice/ITEM or credits.
        #[arg(long, value_name = "LINE")]
        line: String,
        /// The side raising it.
        #[arg(long = "as", value_enum, value_name = "SIDE")]
        side: SideArg,
        /// The claim, in the raising side's words.
        #[arg(long)]
        claim: String,
        #[command(flatten)]
        place: Place,
    },
    /// The contract's disputes and where each stands.
    List {
        #[command(flatten)]
        place: Place,
    },
    /// One dispute: its status, step, deadline, events and what each side may do next.
    Show {
        /// The dispute's id.
        id: String,
        #[command(flatten)]
        place: Place,
    },
    /// Add a remark, with evidence files kept by their content hash.
    Comment {
        #[command(flatten)]
        target: Target,
        /// The remark.
        #[arg(long)]
        text: String,
        /// An evidence file (repeat for several).
        #[arg(long, value_name = "FILE")]
        evidence: Vec<PathBuf>,
    },
    /// Make an offer, optionally with the adjustment the month gets if it is accepted: an
    /// exclusion window, an accepted incident, or one invoice line's amount.
    Propose {
        #[command(flatten)]
        target: Target,
        /// The offer in words.
        #[arg(long)]
        text: String,
        /// Leave START..END out of the measurement (RFC 3339 instants, or local date-times
        /// YYYY-MM-DDTHH:MM in the contract's zone).
        #[arg(long, value_name = "START..END")]
        exclude: Option<String>,
        /// A queue the exclusion concerns (repeat; none: every queue).
        #[arg(long = "queue", value_name = "Q", requires = "exclude")]
        queues: Vec<String>,
        /// Why the window is excluded.
        #[arg(long, value_enum, requires = "exclude")]
        relief: Option<ReliefArg>,
        /// Accept a recorded incident as excused.
        #[arg(long, value_name = "ID", conflicts_with_all = ["exclude", "line_amount"])]
        accept_incident: Option<String>,
        /// Replace one invoice line's amount: ITEM=AMOUNT (an item of the month's invoice).
        #[arg(long, value_name = "LINE=AMOUNT", conflicts_with = "exclude")]
        line_amount: Option<String>,
        /// Why the amount is replaced.
        #[arg(long, requires = "line_amount")]
        reason: Option<String>,
    },
    /// Accept the other side's latest offer: resolves the dispute.
    Accept {
        #[command(flatten)]
        target: Target,
    },
    /// Apply a resolved dispute's accepted adjustment to its month, if `accept` could not
    /// (settlement version n+1 and its credit or debit note).
    Apply {
        /// The dispute's id.
        id: String,
        #[command(flatten)]
        place: Place,
    },
    /// Write the dispute's evidence pack: the dispute as recorded, the contacts behind the
    /// disputed SLA (with and without its adjustment), its evidence files and a manifest of
    /// BLAKE3 hashes.
    Pack {
        /// The dispute's id.
        id: String,
        /// Directory to write (created; refused when it already holds files).
        #[arg(long, short, visible_alias = "output", value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        place: Place,
    },
    /// Escalate to the next step: alone once the step's deadline passed, else both sides.
    Escalate {
        #[command(flatten)]
        target: Target,
    },
    /// Drop the dispute (only the side that opened it).
    Withdraw {
        #[command(flatten)]
        target: Target,
    },
    /// Record the decision of a step without days (arbitration, courts): closes it.
    Outcome {
        #[command(flatten)]
        target: Target,
        /// The decision in words.
        #[arg(long)]
        text: String,
        /// Whose position was upheld (none: a split decision).
        #[arg(long, value_enum, value_name = "SIDE")]
        upheld_for: Option<SideArg>,
    },
}

pub fn dispute(command: DisputeCommand, lang: Lang) -> CliResult {
    let now = Timestamp::now();
    match command {
        DisputeCommand::Open {
            month,
            line,
            side,
            claim,
            place,
        } => {
            let contract = load_contract(&place.contract)?;
            let month = parse_month(&month, lang)?;
            let recorder = place.records.place(&place.store)?.recorder()?;
            let view = pacta_ops::dispute::open(
                &recorder,
                &contract,
                month,
                &line,
                side.into(),
                &claim,
                now,
            )?;
            print_view(&contract, &view, place.format, lang)
        }
        DisputeCommand::List { place } => {
            let contract = load_contract(&place.contract)?;
            let views = match place.records.place(&place.store)?.existing()? {
                Some(recorder) => pacta_ops::dispute::list(&recorder, &contract, now)?,
                None => Vec::new(),
            };
            match place.format {
                Format::Json => {
                    let items: Vec<Value> = views
                        .iter()
                        .map(|v| view_json(&contract, v, lang))
                        .collect();
                    println!("{}", to_json(&items)?);
                }
                Format::Table => print_list(&contract, &views, lang),
            }
            Ok(ExitCode::SUCCESS)
        }
        DisputeCommand::Show { id, place } => {
            let contract = load_contract(&place.contract)?;
            let Some(recorder) = place.records.place(&place.store)?.existing()? else {
                return Err(
                    pacta_ops::OpError::from(pacta_db::DbError::UnknownDispute { id }).into(),
                );
            };
            let view = pacta_ops::dispute::show(&recorder, &contract, &id, now)?;
            print_view(&contract, &view, place.format, lang)
        }
        DisputeCommand::Comment {
            target,
            text,
            evidence,
        } => act(
            target,
            |_| {
                Ok(Action::Comment {
                    text,
                    evidence: Vec::new(),
                })
            },
            &evidence,
            lang,
            now,
        ),
        DisputeCommand::Propose {
            target,
            text,
            exclude,
            queues,
            relief,
            accept_incident,
            line_amount,
            reason,
        } => act(
            target,
            |contract| {
                let adjustment = if let Some(window) = exclude {
                    let Some(relief) = relief else {
                        return Err(CliError::Invalid(
                            lang.pick(
                                "--exclude needs --relief outage|force_majeure|client_caused",
                                "--exclude necesita --relief outage|force_majeure|client_caused",
                            )
                            .to_string(),
                        ));
                    };
                    let (start, end) = parse_window(contract, &window, lang)?;
                    Some(Adjustment::ExclusionWindow {
                        start,
                        end,
                        queues,
                        kind: relief.into(),
                    })
                } else if let Some(incident_id) = accept_incident {
                    Some(Adjustment::AcceptIncident { incident_id })
                } else if let Some(pair) = line_amount {
                    let Some(reason) = reason else {
                        return Err(CliError::Invalid(
                            lang.pick(
                                "--line-amount needs --reason",
                                "--line-amount necesita --reason",
                            )
                            .to_string(),
                        ));
                    };
                    let (line, amount) = parse_line_amount(&pair, lang)?;
                    Some(Adjustment::LineOverride {
                        line,
                        amount,
                        reason,
                    })
                } else {
                    None
                };
                Ok(Action::Propose { text, adjustment })
            },
            &[],
            lang,
            now,
        ),
        DisputeCommand::Accept { target } => accept(target, lang, now),
        DisputeCommand::Apply { id, place } => {
            let contract = load_contract(&place.contract)?;
            let Some(recorder) = place.records.place(&place.store)?.existing()? else {
                return Err(
                    pacta_ops::OpError::from(pacta_db::DbError::UnknownDispute { id }).into(),
                );
            };
            let store =
                pacta_data::store::Store::open(&place.store).map_err(|e| CliError::Op(e.into()))?;
            let applied =
                pacta_ops::dispute::apply_resolution(&store, &recorder, &contract, &id, now)?;
            print_applied(applied.as_ref(), place.format, lang)
        }
        DisputeCommand::Pack { id, out, place } => {
            let contract = load_contract(&place.contract)?;
            let Some(recorder) = place.records.place(&place.store)?.existing()? else {
                return Err(
                    pacta_ops::OpError::from(pacta_db::DbError::UnknownDispute { id }).into(),
                );
            };
            let store =
                pacta_data::store::Store::open(&place.store).map_err(|e| CliError::Op(e.into()))?;
            let pack =
                pacta_ops::evidence_pack::build(&store, &recorder, &contract, &id, now, lang)?;
            pacta_ops::evidence_pack::write(&pack, &out)?;
            match place.format {
                Format::Json => {
                    let files: Vec<Value> = pack
                        .files
                        .iter()
                        .map(|f| serde_json::json!({ "name": f.name, "bytes": f.bytes.len() }))
                        .collect();
                    println!(
                        "{}",
                        to_json(&serde_json::json!({
                            "dispute": pack.dispute,
                            "out": out.display().to_string(),
                            "files": files,
                        }))?
                    );
                }
                Format::Table => {
                    println!(
                        "{} {} → {}",
                        lang.pick("evidence pack of", "paquete de pruebas de"),
                        pack.dispute,
                        out.display()
                    );
                    for f in &pack.files {
                        println!(
                            "  {:<48} {:>12} {}",
                            f.name,
                            pacta_core::fmt::integer(f.bytes.len() as u64, lang),
                            lang.pick("bytes", "bytes")
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        DisputeCommand::Escalate { target } => {
            act(target, |_| Ok(Action::Escalate), &[], lang, now)
        }
        DisputeCommand::Withdraw { target } => {
            act(target, |_| Ok(Action::Withdraw), &[], lang, now)
        }
        DisputeCommand::Outcome {
            target,
            text,
            upheld_for,
        } => act(
            target,
            |_| {
                Ok(Action::RecordOutcome {
                    text,
                    upheld_for: upheld_for.map(Side::from),
                })
            },
            &[],
            lang,
            now,
        ),
    }
}

/// Accepts the other side's offer (`pacta_ops::dispute::accept`): when it carries an
/// adjustment, the month is settled again with it as the next version and the note is shown.
/// The acceptance stands even if that second step is refused (a stale settlement, say):
/// `pacta dispute apply` retries it.
fn accept(target: Target, lang: Lang, now: Timestamp) -> CliResult {
    let contract = load_contract(&target.place.contract)?;
    let place = target.place.records.place(&target.place.store)?;
    let Some(recorder) = place.existing()? else {
        return Err(
            pacta_ops::OpError::from(pacta_db::DbError::UnknownDispute { id: target.id }).into(),
        );
    };
    let pacta_ops::dispute::Accepted { view, applied } = pacta_ops::dispute::accept(
        &target.place.store,
        &recorder,
        &contract,
        &target.id,
        target.side.into(),
        now,
    )?;
    match target.place.format {
        Format::Json => {
            let mut v = view_json(&contract, &view, lang);
            v["adjustment"] = applied.as_ref().map_or(Value::Null, note_json);
            println!("{}", to_json(&v)?);
        }
        Format::Table => {
            print_detail(&contract, &view, lang);
            if let Some(a) = &applied {
                println!();
                print_note(&a.note, lang);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_applied(
    applied: Option<&pacta_ops::adjust::AdjustOutcome>,
    format: Format,
    lang: Lang,
) -> CliResult {
    match (format, applied) {
        (Format::Json, a) => println!("{}", to_json(&a.map_or(Value::Null, note_json))?),
        (Format::Table, Some(a)) => print_note(&a.note, lang),
        (Format::Table, None) => println!(
            "{}",
            lang.pick(
                "the accepted proposal carries no adjustment: the month is unchanged",
                "la propuesta aceptada no lleva ajuste: el mes no cambia"
            )
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Amounts as text: a JSON float would not give back the cents exactly.
fn note_json(a: &pacta_ops::adjust::AdjustOutcome) -> Value {
    let n = &a.note;
    let change = |c: &pacta_ops::adjust::Change| {
        json!({
            "before": c.before.to_string(),
            "after": c.after.to_string(),
            "difference": c.difference.to_string(),
        })
    };
    json!({
        "contract_id": n.contract_id,
        "month": n.month.to_string(),
        "dispute": n.dispute,
        "supersedes": n.supersedes,
        "version": n.version,
        "kind": n.kind,
        "currency": n.currency,
        "credit": change(&n.credit),
        "net_to_client": change(&n.net_to_client),
        "invoice_total": change(&n.invoice_total),
        "sla_credit": n.sla_credit.iter().map(|(id, c)| {
            let mut v = change(c);
            v["sla_id"] = json!(id);
            v
        }).collect::<Vec<_>>(),
        "audit_seq": a.version.audit_seq,
    })
}

/// The note in words: version n+1 against n, each moved amount with its difference.
pub(crate) fn print_note(n: &pacta_ops::adjust::AdjustmentNote, lang: Lang) {
    use pacta_ops::adjust::NoteKind;
    let money = |d: Decimal| pacta_core::fmt::money(d, 2, &n.currency, lang);
    let signed = |d: Decimal| {
        if d > Decimal::ZERO {
            format!("+{}", money(d))
        } else {
            money(d)
        }
    };
    println!(
        "{}",
        match lang {
            Lang::En => format!(
                "{} {}: settlement version {} supersedes version {}\n  (dispute {})",
                n.contract_id, n.month, n.version, n.supersedes, n.dispute
            ),
            Lang::Es => format!(
                "{} {}: la versión {} de la liquidación sustituye a la versión {}\n  (disputa {})",
                n.contract_id, n.month, n.version, n.supersedes, n.dispute
            ),
        }
    );
    for (id, c) in &n.sla_credit {
        println!(
            "  {:<28} {:>16} → {:>16}  {:>16}",
            format!("{} {id}", lang.pick("credit", "crédito")),
            money(c.before),
            money(c.after),
            signed(c.difference)
        );
    }
    for (label, c) in [
        (
            lang.pick("credit after caps", "crédito tras topes"),
            &n.credit,
        ),
        (
            lang.pick("owed to the client", "a favor del cliente"),
            &n.net_to_client,
        ),
        (
            lang.pick("invoice total", "total de la factura"),
            &n.invoice_total,
        ),
    ] {
        println!(
            "  {:<28} {:>16} → {:>16}  {:>16}",
            label,
            money(c.before),
            money(c.after),
            signed(c.difference)
        );
    }
    let amount = money(n.net_to_client.difference.abs());
    println!(
        "{}",
        match (n.kind, lang) {
            (NoteKind::CreditNote, Lang::En) => format!("credit note to the client: {amount}"),
            (NoteKind::CreditNote, Lang::Es) => format!("nota de crédito al cliente: {amount}"),
            (NoteKind::DebitNote, Lang::En) => format!("debit note to the client: {amount}"),
            (NoteKind::DebitNote, Lang::Es) => format!("nota de débito al cliente: {amount}"),
            (NoteKind::NoChange, Lang::En) => "no note: nothing owed changed".to_string(),
            (NoteKind::NoChange, Lang::Es) => "sin nota: nada de lo adeudado cambió".to_string(),
        }
    );
}

/// Records one action (built once the contract is loaded) and shows the dispute after it.
fn act(
    target: Target,
    action: impl FnOnce(&Contract) -> Result<Action, CliError>,
    evidence: &[PathBuf],
    lang: Lang,
    now: Timestamp,
) -> CliResult {
    let contract = load_contract(&target.place.contract)?;
    let action = action(&contract)?;
    let place = target.place.records.place(&target.place.store)?;
    let Some(recorder) = place.existing()? else {
        return Err(
            pacta_ops::OpError::from(pacta_db::DbError::UnknownDispute { id: target.id }).into(),
        );
    };
    let view = pacta_ops::dispute::act(
        &recorder,
        &contract,
        &target.id,
        target.side.into(),
        action,
        evidence,
        now,
    )?;
    print_view(&contract, &view, target.place.format, lang)
}

/// `START..END`, each an RFC 3339 instant or a local date-time in the contract's zone.
fn parse_window(
    contract: &Contract,
    text: &str,
    lang: Lang,
) -> Result<(Timestamp, Timestamp), CliError> {
    let invalid = |detail: String| {
        CliError::Invalid(format!(
            "--exclude {text}: {detail} ({})",
            lang.pick(
                "give START..END, e.g. 2026-06-10T09:00..2026-06-10T11:30",
                "indique INICIO..FIN, p. ej. 2026-06-10T09:00..2026-06-10T11:30"
            )
        ))
    };
    let Some((start, end)) = text.split_once("..") else {
        return Err(invalid(lang.pick("no `..`", "falta `..`").to_string()));
    };
    let instant = |s: &str| -> Result<Timestamp, CliError> {
        let s = s.trim();
        if let Ok(t) = s.parse::<Timestamp>() {
            return Ok(t);
        }
        let local: DateTime = s.parse().map_err(|e| invalid(format!("`{s}`: {e}")))?;
        local
            .to_zoned(contract.time_zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| invalid(format!("`{s}`: {e}")))
    };
    let (start, end) = (instant(start)?, instant(end)?);
    if end <= start {
        return Err(invalid(
            lang.pick(
                "the end is not after the start",
                "el fin no es posterior al inicio",
            )
            .to_string(),
        ));
    }
    Ok((start, end))
}

/// `LINE=AMOUNT`.
fn parse_line_amount(text: &str, lang: Lang) -> Result<(String, Decimal), CliError> {
    let invalid = || {
        CliError::Invalid(format!(
            "--line-amount {text}: {}",
            lang.pick(
                "give LINE=AMOUNT, e.g. credit/SL-VOICE=1250.00",
                "indique LÍNEA=IMPORTE, p. ej. credit/SL-VOICE=1250.00"
            )
        ))
    };
    let (line, amount) = text.split_once('=').ok_or_else(invalid)?;
    let amount: Decimal = amount.trim().parse().map_err(|_| invalid())?;
    if line.trim().is_empty() {
        return Err(invalid());
    }
    Ok((line.trim().to_string(), amount))
}

fn print_view(contract: &Contract, view: &DisputeView, format: Format, lang: Lang) -> CliResult {
    match format {
        Format::Json => println!("{}", to_json(&view_json(contract, view, lang))?),
        Format::Table => print_detail(contract, view, lang),
    }
    Ok(ExitCode::SUCCESS)
}

fn side_word(side: Side, lang: Lang) -> &'static str {
    match side {
        Side::Client => lang.pick("client", "cliente"),
        Side::Provider => lang.pick("provider", "proveedor"),
    }
}

fn action_word(name: &str, lang: Lang) -> &'static str {
    match name {
        "comment" => lang.pick("comment", "comentar"),
        "propose" => lang.pick("propose", "proponer"),
        "accept" => lang.pick("accept", "aceptar"),
        "escalate" => lang.pick("escalate", "escalar"),
        "withdraw" => lang.pick("withdraw", "retirar"),
        "record_outcome" => lang.pick("outcome", "resolución"),
        _ => lang.pick("act", "actuar"),
    }
}

fn status_code(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::Resolved { .. } => "resolved",
        Status::Withdrawn => "withdrawn",
        Status::Decided { .. } => "decided",
    }
}

/// A local time in the contract's zone: `2026-06-10 09:00`.
fn local(contract: &Contract, t: Timestamp) -> String {
    t.to_zoned(contract.time_zone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

fn zone_name(contract: &Contract) -> &str {
    contract.time_zone.iana_name().unwrap_or("UTC")
}

fn event_detail(contract: &Contract, action: &Action, lang: Lang) -> String {
    match action {
        Action::Comment { text, evidence } if evidence.is_empty() => text.clone(),
        Action::Comment { text, evidence } => format!(
            "{text} [{} {}]",
            evidence.len(),
            lang.pick("evidence file(s)", "archivo(s) de evidencia")
        ),
        Action::Propose { text, adjustment } => match adjustment {
            Some(a) => format!("{text} — {}", a.describe(&contract.time_zone, lang)),
            None => text.clone(),
        },
        Action::RecordOutcome { text, upheld_for } => match upheld_for {
            Some(side) => format!(
                "{text} — {} {}",
                lang.pick("upheld for", "a favor de"),
                side.label(lang)
            ),
            None => format!(
                "{text} — {}",
                lang.pick("split decision", "decisión dividida")
            ),
        },
        Action::Accept | Action::Escalate | Action::Withdraw => String::new(),
    }
}

fn clip(text: &str, width: usize) -> String {
    let text = text.replace('\n', " ");
    if text.chars().count() <= width {
        return text;
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn may_list(names: &[&'static str], lang: Lang) -> String {
    if names.is_empty() {
        return lang.pick("nothing", "nada").to_string();
    }
    names
        .iter()
        .map(|n| action_word(n, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

fn step_text(view: &DisputeView, lang: Lang) -> String {
    let kind = view.step_kind.map_or("—", |k| kind_label(k, lang));
    format!(
        "{} {}/{}: {kind}",
        lang.pick("step", "paso"),
        view.dispute.step + 1,
        view.steps
    )
}

fn print_detail(contract: &Contract, view: &DisputeView, lang: Lang) {
    let d = &view.dispute;
    let r = &view.record;
    let zone = zone_name(contract);
    println!("{}", r.id);
    println!(
        "  {}: {}   {}: {}",
        lang.pick("month", "mes"),
        d.opening.month,
        lang.pick("line", "línea"),
        clip(&d.opening.subject, WIDTH - 30),
    );
    println!(
        "  {}: {}, {} ({zone})",
        lang.pick("opened by", "abierta por"),
        side_word(d.opening.opened_by, lang),
        local(contract, d.opening.at),
    );
    let claim_label = lang.pick("claim", "reclamo");
    println!(
        "  {claim_label}: {}",
        clip(&d.opening.claim, WIDTH - 4 - claim_label.chars().count())
    );
    let deadline = match view.deadline {
        Some(t) => format!("{} ({zone})", local(contract, t)),
        None => "—".to_string(),
    };
    println!(
        "  {}: {}   {}",
        lang.pick("status", "estado"),
        d.status.label(lang),
        step_text(view, lang),
    );
    println!(
        "  {}: {deadline}",
        lang.pick(
            "either side may escalate alone from",
            "cualquiera de las partes puede escalar sola desde"
        ),
    );
    if let Some(side) = d.escalation_requested_by {
        println!(
            "  {}",
            match lang {
                Lang::En => format!(
                    "{} asked to escalate; the other side's escalation moves it up now",
                    side.label(lang)
                ),
                Lang::Es => format!(
                    "{} pidió escalar; si la otra parte también escala, sube de paso ya",
                    side.label(lang)
                ),
            }
        );
    }
    if let Some(a) = d.accepted_adjustment() {
        println!(
            "  {}: {}",
            lang.pick("agreed adjustment", "ajuste acordado"),
            clip(&a.describe(&contract.time_zone, lang), WIDTH - 24)
        );
    }
    if !d.events.is_empty() {
        println!();
        let head = format!(
            "  {:>3}  {:<16}  {:<9}  {:<10}  ",
            "n",
            lang.pick("when", "cuándo"),
            lang.pick("by", "parte"),
            lang.pick("action", "acción"),
        );
        println!("{head}{}", lang.pick("detail", "detalle"));
        let room = WIDTH.saturating_sub(head.chars().count());
        for (i, e) in d.events.iter().enumerate() {
            println!(
                "  {:>3}  {:<16}  {:<9}  {:<10}  {}",
                i + 1,
                local(contract, e.at),
                side_word(e.by, lang),
                action_word(e.action.name(), lang),
                clip(&event_detail(contract, &e.action, lang), room)
            );
        }
    }
    println!();
    println!(
        "  {}: {}",
        lang.pick("the client may", "el cliente puede"),
        may_list(&view.client_may, lang)
    );
    println!(
        "  {}: {}",
        lang.pick("the provider may", "el proveedor puede"),
        may_list(&view.provider_may, lang)
    );
}

fn print_list(contract: &Contract, views: &[DisputeView], lang: Lang) {
    if views.is_empty() {
        println!(
            "{}",
            lang.pick("no disputes recorded", "no hay disputas registradas")
        );
        return;
    }
    let head = format!(
        "{:<26}  {:<18}  {:<10}  {:<22}  ",
        "id",
        lang.pick("line", "línea"),
        lang.pick("status", "estado"),
        lang.pick("step", "paso"),
    );
    println!("{head}{}", lang.pick("deadline", "plazo"));
    for v in views {
        let deadline = v.deadline.map_or("—".to_string(), |t| local(contract, t));
        println!(
            "{:<26}  {:<18}  {:<10}  {:<22}  {deadline}",
            clip(&v.record.id, 26),
            clip(&v.dispute.opening.subject, 18),
            v.dispute.status.label(lang),
            clip(&step_text(v, lang), 22),
        );
    }
    println!(
        "{} {}; {}",
        lang.pick("times in", "horas en"),
        zone_name(contract),
        lang.pick(
            "from the deadline either side may escalate alone",
            "desde el plazo cualquiera de las partes puede escalar sola"
        )
    );
}

fn view_json(contract: &Contract, view: &DisputeView, lang: Lang) -> Value {
    let d = &view.dispute;
    let r = &view.record;
    let tz = &contract.time_zone;
    let zoned = |t: Timestamp| t.to_zoned(tz.clone()).to_string();
    let (resolved_by, decided_by) = match d.status {
        Status::Resolved { proposal } => (Some(proposal + 1), None),
        Status::Decided { outcome } => (None, Some(outcome + 1)),
        Status::Open | Status::Withdrawn => (None, None),
    };
    let events: Vec<Value> = d
        .events
        .iter()
        .zip(r.events.iter())
        .map(|(e, rec)| {
            json!({
                "n": rec.n,
                "at": e.at.to_string(),
                "by": e.by,
                "action": e.action,
                "actor": rec.actor,
                "audit_seq": rec.audit_seq,
            })
        })
        .collect();
    json!({
        "id": r.id,
        "contract_id": r.contract_id,
        "month": d.opening.month.to_string(),
        "subject": d.opening.subject,
        "opened_by": d.opening.opened_by,
        "opened_at": d.opening.at.to_string(),
        "claim": d.opening.claim,
        "actor": r.actor,
        "status": status_code(d.status),
        "status_label": d.status.label(lang),
        "resolved_by_event": resolved_by,
        "decided_by_event": decided_by,
        "step": d.step + 1,
        "steps": view.steps,
        "step_kind": view.step_kind,
        "step_label": view.step_kind.map(|k| kind_label(k, lang)),
        "step_started": d.step_started.to_string(),
        "deadline": view.deadline.map(|t| t.to_string()),
        "deadline_local": view.deadline.map(zoned),
        "escalation_requested_by": d.escalation_requested_by,
        "pending_proposal_event": d.pending_proposal.map(|i| i + 1),
        "accepted_adjustment": d.accepted_adjustment(),
        "events": events,
        "may": {
            "client": view.client_may,
            "provider": view.provider_may,
        },
    })
}
