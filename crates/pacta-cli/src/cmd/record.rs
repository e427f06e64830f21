//! `pacta month …` and `pacta audit …`: the month lifecycle and the audit log.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use pacta_contract::Lang;
use pacta_core::text_table::{Column, row};

use super::args::{ContractMonth, RecordArgs};
use super::contract::load_contract;
use super::{CliError, CliResult};

/// `pacta month …`
#[derive(Subcommand)]
pub enum MonthCommand {
    /// Close a month: its latest saved settlement must still come out of the store and the
    /// contract byte for byte; then imports into it are refused and `settle --verify` can
    /// recompute it at any time.
    Close {
        #[command(flatten)]
        target: ContractMonth,
        #[command(flatten)]
        records: RecordArgs,
        /// Wait up to this many seconds for an import into the store to finish.
        #[arg(long, value_name = "SECONDS")]
        wait: Option<u64>,
    },
    /// List the saved months of a contract: latest version, provisional or closed.
    Status {
        /// The contract.
        #[arg(long, value_name = "FILE")]
        contract: PathBuf,
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        #[command(flatten)]
        records: RecordArgs,
    },
}

/// `pacta audit …`
#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain; name the first broken link (exit 1) or print the
    /// number of entries and the head hash.
    Verify {
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        #[command(flatten)]
        records: RecordArgs,
    },
    /// List audit entries, oldest first.
    Log {
        /// Store directory.
        #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
        store: PathBuf,
        #[command(flatten)]
        records: RecordArgs,
        /// Only objects starting with this (e.g. contract/AFB-MNL-2026/month/2026-10).
        #[arg(long)]
        object: Option<String>,
        /// Only this action (import, import.replace, store.rm-batch, settle.save, month.close).
        #[arg(long)]
        action: Option<String>,
        /// Only entries after this sequence number.
        #[arg(long, value_name = "SEQ")]
        since: Option<u64>,
        /// At most this many entries.
        #[arg(long)]
        limit: Option<u32>,
        /// Print JSON lines (every field, payload as recorded).
        #[arg(long)]
        json: bool,
    },
}

pub fn month(c: MonthCommand, lang: Lang) -> CliResult {
    match c {
        MonthCommand::Close {
            target,
            records,
            wait,
        } => {
            let (contract, month, store) = target.open(lang)?;
            let recorder = match records.place(&target.store)?.existing()? {
                Some(r) => r,
                None => {
                    return Err(CliError::Op(pacta_ops::OpError::NothingSaved {
                        contract_id: contract.doc.contract.id.clone(),
                        month,
                    }));
                }
            };
            let closed = pacta_ops::record::close_month(
                &store,
                &recorder,
                &contract,
                month,
                jiff::Timestamp::now(),
                wait.map(std::time::Duration::from_secs),
            )?;
            println!(
                "{}",
                match lang {
                    Lang::En => format!(
                        "closed {} {} at settlement version {} (store snapshot {}, settlement BLAKE3 {}); imports into it are now refused",
                        closed.contract_id,
                        closed.month,
                        closed.version,
                        closed.store_snapshot,
                        closed.settlement_hash
                    ),
                    Lang::Es => format!(
                        "cerrado {} {} en la versión de liquidación {} (instantánea {} del almacén, BLAKE3 de la liquidación {}); ya no se admiten importaciones en él",
                        closed.contract_id,
                        closed.month,
                        closed.version,
                        closed.store_snapshot,
                        closed.settlement_hash
                    ),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        MonthCommand::Status {
            contract,
            store,
            records,
        } => {
            let contract = load_contract(&contract)?;
            let id = &contract.doc.contract.id;
            let Some(recorder) = records.place(&store)?.existing()? else {
                println!(
                    "{}",
                    lang.pick("no saved settlements", "no hay liquidaciones guardadas")
                );
                return Ok(ExitCode::SUCCESS);
            };
            let months = pacta_ops::record::months(&recorder.db, id)?;
            const TABLE: [Column; 5] = [
                Column::left("", 8),
                Column::right("  ", 8),
                Column::left("  ", 12),
                Column::left("  ", 24),
                Column::rest("  "),
            ];
            print!(
                "{}",
                row(
                    &TABLE,
                    &[
                        lang.pick("month", "mes").to_string(),
                        lang.pick("version", "versión").to_string(),
                        lang.pick("state", "estado").to_string(),
                        lang.pick("saved", "guardada").to_string(),
                        lang.pick("closed", "cerrado").to_string(),
                    ]
                )
            );
            for m in months {
                let state = match &m.closed {
                    Some(_) => lang.pick("closed", "cerrado"),
                    None => lang.pick("provisional", "provisional"),
                };
                let closed = m.closed.as_ref().map_or(String::new(), |c| {
                    format!(
                        "{} {} ({} {})",
                        pacta_db::timestamp_text(c.closed_at),
                        c.closed_by,
                        lang.pick("version", "versión"),
                        c.version
                    )
                });
                println!(
                    "{}",
                    row(
                        &TABLE,
                        &[
                            m.latest.month.to_string(),
                            format!("{} / {}", m.latest.version, m.versions),
                            state.to_string(),
                            format!(
                                "{} {}",
                                pacta_db::timestamp_text(m.latest.saved_at),
                                m.latest.actor
                            ),
                            closed,
                        ]
                    )
                    .trim_end()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn audit(c: AuditCommand, lang: Lang) -> CliResult {
    match c {
        AuditCommand::Verify { store, records } => {
            let Some(recorder) = records.place(&store)?.existing()? else {
                println!(
                    "{}",
                    lang.pick(
                        "audit log: no entries yet (nothing was recorded in this store)",
                        "registro de auditoría: aún sin entradas (no se registró nada en este almacén)"
                    )
                );
                return Ok(ExitCode::SUCCESS);
            };
            let report = recorder.db.verify().map_err(pacta_ops::OpError::from)?;
            println!(
                "{}",
                match lang {
                    Lang::En => format!(
                        "audit log: {} entries, every hash and link verified\n  head {}",
                        report.entries, report.head_hash
                    ),
                    Lang::Es => format!(
                        "registro de auditoría: {} entradas, todos los hashes y enlaces verificados\n  cabeza {}",
                        report.entries, report.head_hash
                    ),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Log {
            store,
            records,
            object,
            action,
            since,
            limit,
            json,
        } => {
            let Some(recorder) = records.place(&store)?.existing()? else {
                return Ok(ExitCode::SUCCESS);
            };
            let entries = recorder
                .db
                .log(&pacta_db::LogFilter {
                    object_prefix: object,
                    action,
                    since_seq: since,
                    limit,
                })
                .map_err(pacta_ops::OpError::from)?;
            for e in entries {
                if json {
                    let line = serde_json::json!({
                        "seq": e.seq,
                        "at": pacta_db::timestamp_text(e.at),
                        "actor": e.actor,
                        "action": e.action,
                        "object": e.object,
                        "payload": serde_json::from_str::<serde_json::Value>(&e.payload)
                            .unwrap_or(serde_json::Value::String(e.payload.clone())),
                        "prev_hash": e.prev_hash,
                        "hash": e.hash,
                    });
                    println!("{line}");
                } else {
                    let lead = format!(
                        "{:>6}  {}  {:<12} {:<16}",
                        e.seq,
                        pacta_db::timestamp_text(e.at),
                        e.actor,
                        e.action,
                    );
                    // A long object (a dispute's path) goes under the entry, not past the
                    // terminal's edge.
                    if lead.chars().count() + 1 + e.object.chars().count() > crate::words::WIDTH {
                        println!("{lead}\n        {}", e.object);
                    } else {
                        println!("{lead} {}", e.object);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
