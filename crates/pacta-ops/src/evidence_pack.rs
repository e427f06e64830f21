//! A dispute's evidence pack (`pacta dispute pack ID --out DIR`): what both sides need to
//! check the disputed line, in one directory, each file listed with its BLAKE3 hash.
//!
//! - `dispute.json`: the dispute as recorded (opening and every event, with who wrote it and
//!   its audit entry) and where it stands;
//! - for a line on an SLA (`sla/ID`, `credit/ID`), `contacts-ID.csv`: the items behind the
//!   figure as the month now stands ([`crate::evidence`]); when this dispute's adjustment is
//!   part of the month, also `contacts-ID-without-this-dispute.csv`, the same figure without
//!   it, so the difference is there to count;
//! - `files/`: the evidence files attached to its events, as kept;
//! - `manifest.json`: every file above with its size and BLAKE3, the store snapshot the
//!   contacts come from and the adjustments applied.

use std::path::Path;

use jiff::Timestamp;
use pacta_contract::Contract;
use pacta_core::Lang;
use pacta_data::store::Store;
use serde_json::{Value, json};

use crate::dispute::show;
use crate::record::Recorder;
use crate::settle::{Adjusted, SettleOptions, settle};
use crate::{OpError, OpResult};

/// One file of a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedFile {
    /// Its path inside the pack (`/`-separated).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A dispute's evidence pack, built in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidencePack {
    /// The dispute's id.
    pub dispute: String,
    /// Its files, `manifest.json` last.
    pub files: Vec<PackedFile>,
}

/// Builds the pack of dispute `id` as it stands at `now`.
pub fn build(
    store: &Store,
    recorder: &Recorder,
    contract: &Contract,
    id: &str,
    now: Timestamp,
    lang: Lang,
) -> OpResult<EvidencePack> {
    let view = show(recorder, contract, id, now)?;
    let record = &view.record;
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    let events: Vec<Value> = record
        .events
        .iter()
        .map(|e| {
            json!({
                "n": e.n,
                "at": e.at.to_string(),
                "side": e.side,
                "action": e.action,
                "actor": e.actor,
                "audit_seq": e.audit_seq,
                "event": parse(&e.event_json),
            })
        })
        .collect();
    let dispute_json = json!({
        "id": record.id,
        "contract": record.contract_id,
        "month": record.month.to_string(),
        "subject": record.subject,
        "opened_by": record.opened_by,
        "opened_at": record.opened_at.to_string(),
        "actor": record.actor,
        "audit_seq": record.audit_seq,
        "opening": parse(&record.opening_json),
        "events": events,
        "status": view.dispute.status,
        "step": view.dispute.step,
        "steps": view.steps,
        "deadline": view.deadline.map(|d| d.to_string()),
        "as_of": now.to_string(),
    });
    let mut files = vec![PackedFile {
        name: "dispute.json".into(),
        bytes: pretty(&dispute_json)?,
    }];

    // The items behind the disputed SLA's figure, with and without this dispute's adjustment.
    let sla_id = record
        .subject
        .strip_prefix("sla/")
        .or_else(|| record.subject.strip_prefix("credit/"));
    let mut snapshot = None;
    let mut applied: Vec<String> = Vec::new();
    if let Some(sla_id) = sla_id {
        let settled = settle(
            store,
            Some(&recorder.db),
            contract,
            record.month,
            &SettleOptions::default(),
        )?;
        snapshot = Some(settled.store_snapshot);
        applied = settled
            .adjustments
            .iter()
            .map(|a| a.dispute.clone())
            .collect();
        let outcome = settled
            .settlement
            .slas
            .iter()
            .find(|o| o.sla_id == sla_id)
            .ok_or_else(|| OpError::UnknownSla {
                id: sla_id.to_string(),
                known: settled
                    .settlement
                    .slas
                    .iter()
                    .map(|o| o.sla_id.clone())
                    .collect(),
            })?;
        let contacts = |adjustments: &[Adjusted]| {
            crate::evidence::contacts_csv(store, contract, record.month, outcome, adjustments, lang)
                .map(|(bytes, _)| bytes)
        };
        files.push(PackedFile {
            name: format!("contacts-{sla_id}.csv"),
            bytes: contacts(&settled.adjustments)?,
        });
        if settled.adjustments.iter().any(|a| a.dispute == record.id) {
            let without: Vec<Adjusted> = settled
                .adjustments
                .iter()
                .filter(|a| a.dispute != record.id)
                .cloned()
                .collect();
            files.push(PackedFile {
                name: format!("contacts-{sla_id}-without-this-dispute.csv"),
                bytes: contacts(&without)?,
            });
        }
    }

    // The evidence files the events cite, as kept.
    let mut cited: Vec<String> = Vec::new();
    for e in &record.events {
        collect_evidence(&parse(&e.event_json), &mut cited);
    }
    cited.dedup();
    for hash in cited {
        let Some(file) = recorder.db.evidence(&hash)? else {
            return Err(OpError::Db(pacta_db::DbError::Corrupt {
                message: format!("dispute {id} cites evidence {hash}, which is not kept"),
            }));
        };
        let base = Path::new(&file.name)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("file");
        let short = hash.get(..12).unwrap_or(&hash);
        files.push(PackedFile {
            name: format!("files/{short}-{base}"),
            bytes: file.bytes,
        });
    }

    let listed: Vec<Value> = files
        .iter()
        .map(|f| {
            json!({
                "name": f.name,
                "bytes": f.bytes.len(),
                "blake3": pacta_db::evidence_hash(&f.bytes),
            })
        })
        .collect();
    let manifest = json!({
        "dispute": record.id,
        "contract": record.contract_id,
        "month": record.month.to_string(),
        "subject": record.subject,
        "store_snapshot": snapshot,
        "adjustments_applied": applied,
        "pacta_version": env!("CARGO_PKG_VERSION"),
        "files": listed,
    });
    files.push(PackedFile {
        name: "manifest.json".into(),
        bytes: pretty(&manifest)?,
    });
    Ok(EvidencePack {
        dispute: id.to_string(),
        files,
    })
}

/// Writes the pack under `dir` (created if missing). Refused, with nothing written, when
/// `dir` already holds files: a pack is never mixed with an older one. The files are written
/// into a sibling directory first and moved into place at once, so a failure half-way leaves
/// no half pack behind.
pub fn write(pack: &EvidencePack, dir: &Path) -> OpResult<()> {
    let refuse = |source: std::io::Error| OpError::Write {
        path: dir.to_path_buf(),
        source,
    };
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(refuse(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "the directory is not empty",
        )));
    }
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("pack");
    let staging = dir.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let written = (|| {
        for f in &pack.files {
            let path = f
                .name
                .split('/')
                .fold(staging.clone(), |p, part| p.join(part));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| OpError::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            crate::files::write(&path, &f.bytes)?;
        }
        // Renaming onto an empty directory replaces it; onto a missing one creates it.
        std::fs::rename(&staging, dir).map_err(refuse)
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    written
}

fn pretty(value: &Value) -> OpResult<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| OpError::Encode {
        what: "evidence pack",
        detail: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The content hashes under every `evidence` key of an event, in order.
fn collect_evidence(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("evidence", Value::Array(items)) => {
                        for h in items.iter().filter_map(Value::as_str) {
                            if !out.iter().any(|x| x == h) {
                                out.push(h.to_string());
                            }
                        }
                    }
                    _ => collect_evidence(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_evidence(v, out)),
        _ => {}
    }
}
