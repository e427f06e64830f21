//! The system of record: where settlements, month states and the audit log live, and the
//! month lifecycle (provisional → closed, then verified byte for byte).
//!
//! The database is [`pacta_db`]: by default SQLite in `<store>/pacta.db`, or PostgreSQL
//! when a `postgres://` URL is given (`--db`, `PACTA_DB`). Operational data stays in the
//! Parquet store; the database records what was settled from which snapshot of it.
//!
//! A month is **provisional** until `pacta month close`: closing recomputes the latest saved
//! settlement from the current store snapshot, the contract and the inputs it recorded
//! (earlier months' versions, the vendor invoice), refuses when anything changed since it
//! was saved, and records the snapshot, the contract's hash and version, the pacta version
//! and the settlement's hash. From then on imports that would change the month are refused
//! (under the store's writer lock, which closing also holds), and
//! [`verify_month`] recomputes it from exactly those inputs.

use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;
use pacta_contract::Contract;
use pacta_core::Month;
use pacta_data::store::{ClosedMonthCheck, Store};
use pacta_db::{ClosedMonth, Db, DbUrl, MonthClose, MonthState, NewEntry, SettlementVersion};
use pacta_terms::reconcile::VendorLine;
use serde::{Deserialize, Serialize};

use crate::settle::{Adjusted, SettleOptions, SettleOutcome};
use crate::{OpError, OpResult};

/// The embedded database's file name in the store directory.
pub const DB_FILE: &str = pacta_data::store::EMBEDDED_DB;

/// The version of pacta recorded with each closed month.
pub const PACTA_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the records of a store are kept: `given` (a `postgres://` URL or a SQLite path), else
/// `<store>/pacta.db`.
pub fn db_url(store_dir: &Path, given: Option<&str>) -> OpResult<DbUrl> {
    match given {
        Some(text) => text.parse().map_err(OpError::from),
        None => Ok(DbUrl::Sqlite(store_dir.join(DB_FILE))),
    }
}

/// Opens the database for writing (a new SQLite file is created, with its directory).
pub fn open(url: &DbUrl) -> OpResult<Db> {
    if let DbUrl::Sqlite(path) = url
        && let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|source| OpError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    Ok(Db::open(url)?)
}

/// Where records go and who writes them: enough to open the database when it is needed, and
/// not before (a refused import creates nothing).
#[derive(Debug, Clone)]
pub struct RecordPlace {
    /// The database.
    pub url: DbUrl,
    /// The actor named in audit entries.
    pub actor: String,
}

impl RecordPlace {
    /// The records of the store in `store_dir` (`given`: a `--db` URL), written as `actor`.
    pub fn new(store_dir: &Path, given: Option<&str>, actor: impl Into<String>) -> OpResult<Self> {
        Ok(RecordPlace {
            url: db_url(store_dir, given)?,
            actor: actor.into(),
        })
    }

    /// A recorder, creating the database if it does not exist.
    pub fn recorder(&self) -> OpResult<Recorder> {
        Ok(Recorder::new(open(&self.url)?, self.actor.clone()))
    }

    /// A recorder over the existing database; `None` when the embedded file does not exist
    /// yet (nothing was ever recorded). Creates nothing.
    pub fn existing(&self) -> OpResult<Option<Recorder>> {
        Ok(Db::open_existing(&self.url)?.map(|db| Recorder::new(db, self.actor.clone())))
    }
}

/// Who writes, for the audit log, and where.
#[derive(Clone)]
pub struct Recorder {
    /// The database.
    pub db: Arc<Db>,
    /// The actor named in every entry (a user name, an API key's owner).
    pub actor: String,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// A recorder over an open database.
    pub fn new(db: Db, actor: impl Into<String>) -> Recorder {
        Recorder {
            db: Arc::new(db),
            actor: actor.into(),
        }
    }

    /// The check a store commit runs under its writer lock: is this month of this contract
    /// closed?
    pub fn closed_month_check(&self) -> ClosedMonthCheck {
        let db = Arc::clone(&self.db);
        Arc::new(
            move |contract_id: &str, month: Month| match db.month_state(contract_id, month) {
                Ok(MonthState::Provisional) => Ok(false),
                Ok(MonthState::Closed(_)) => Ok(true),
                Err(e) => Err(pacta_data::DataError::Store {
                    path: std::path::PathBuf::from(DB_FILE),
                    message: format!("could not read the month's state: {e}"),
                }),
            },
        )
    }

    /// Appends one audit entry.
    pub fn append(
        &self,
        action: &str,
        object: String,
        payload: serde_json::Value,
        now: Timestamp,
    ) -> OpResult<pacta_db::AuditEntry> {
        Ok(self.db.append(
            &NewEntry {
                actor: self.actor.clone(),
                action: action.to_string(),
                object,
                payload,
            },
            now,
        )?)
    }
}

/// The audit object of a store batch.
pub fn batch_object(contract_id: &str, batch: &str) -> String {
    format!("contract/{contract_id}/batch/{batch}")
}

/// What a saved settlement was computed from, kept with it so that it can be recomputed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettlementInputs {
    /// The contract's id.
    pub contract_id: String,
    /// The contract's own version field.
    pub contract_version: String,
    /// BLAKE3 of the contract file's text, hex.
    pub contract_hash: String,
    /// The store snapshot read.
    pub store_snapshot: u64,
    /// The pacta version that computed it.
    pub pacta_version: String,
    /// The earlier months' settlement versions used as history.
    pub history: Vec<(Month, u32)>,
    /// The vendor's invoice reconciled, if any.
    pub vendor_invoice: Option<Vec<VendorLine>>,
    /// Whether a month without data was allowed.
    pub allow_empty: bool,
    /// Accepted dispute resolutions applied to the month, in the order they were accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<Adjusted>,
    /// The version this one adjusts (`None` for a plain settlement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<u32>,
}

/// The hash a contract is recorded by: BLAKE3 of its text.
pub fn contract_hash(contract: &Contract) -> String {
    pacta_db::text_hash(contract.source.text())
}

/// The settlement as it is saved and compared: pretty JSON.
pub fn settlement_text(outcome: &SettleOutcome) -> OpResult<String> {
    serde_json::to_string_pretty(&outcome.settlement).map_err(|e| OpError::Encode {
        what: "settlement",
        detail: e.to_string(),
    })
}

/// Saves a settled month as its next version (refused once the month is closed), with what
/// it was computed from, and its audit entry, in one transaction.
pub fn save(
    recorder: &Recorder,
    contract: &Contract,
    outcome: &SettleOutcome,
    options: &SettleOptions<'_>,
    now: Timestamp,
) -> OpResult<SettlementVersion> {
    let s = &outcome.settlement;
    let inputs = SettlementInputs {
        contract_id: contract.doc.contract.id.clone(),
        contract_version: contract.doc.contract.version.clone(),
        contract_hash: contract_hash(contract),
        store_snapshot: outcome.store_snapshot,
        pacta_version: PACTA_VERSION.to_string(),
        history: outcome.history_versions.clone(),
        vendor_invoice: options.vendor_invoice.map(<[VendorLine]>::to_vec),
        allow_empty: options.allow_empty,
        adjustments: outcome.adjustments.clone(),
        supersedes: None,
    };
    let encode = |what: &'static str, r: serde_json::Result<String>| {
        r.map_err(|e| OpError::Encode {
            what,
            detail: e.to_string(),
        })
    };
    let new = pacta_db::NewSettlement {
        contract_id: contract.doc.contract.id.clone(),
        month: Month::parse(&s.month)?,
        settlement_json: settlement_text(outcome)?,
        record_json: encode("settlement record", serde_json::to_string(&s.record))?,
        inputs_json: encode("settlement inputs", serde_json::to_string(&inputs))?,
        adjusts: None,
    };
    Ok(recorder.db.save_settlement(&new, &recorder.actor, now)?)
}

/// Where a settlement is saved: an open recorder (the server's database), or a place whose
/// database is opened only when there is something to save (the CLI: a refused settle
/// creates no database file).
#[derive(Debug, Clone, Copy)]
pub enum SaveTo<'a> {
    /// An open database.
    Recorder(&'a Recorder),
    /// A database opened (and created if need be) for the save.
    Place(&'a RecordPlace),
}

/// A month settled and saved as its next version.
#[derive(Debug, Clone)]
pub struct SettledAndSaved {
    /// The settlement with its history.
    pub outcome: SettleOutcome,
    /// The version saved.
    pub saved: SettlementVersion,
}

/// Settles `month` from the store and the saved history, then saves it as the month's next
/// version (refused once the month is closed): `pacta settle` and `POST .../settle`, one
/// call for both front ends.
pub fn settle_and_save(
    store: &Store,
    to: SaveTo<'_>,
    contract: &Contract,
    month: Month,
    options: &SettleOptions<'_>,
    now: Timestamp,
) -> OpResult<SettledAndSaved> {
    let existing = match to {
        SaveTo::Recorder(_) => None,
        SaveTo::Place(place) => place.existing()?,
    };
    let open = match to {
        SaveTo::Recorder(r) => Some(r),
        SaveTo::Place(_) => existing.as_ref(),
    };
    let outcome =
        crate::settle::settle(store, open.map(|r| r.db.as_ref()), contract, month, options)?;
    let created;
    let recorder = match (open, to) {
        (Some(r), _) => r,
        (None, SaveTo::Place(place)) => {
            created = place.recorder()?;
            &created
        }
        // `open` is `Some` for an open recorder.
        (None, SaveTo::Recorder(r)) => r,
    };
    let saved = save(recorder, contract, &outcome, options, now)?;
    Ok(SettledAndSaved { outcome, saved })
}

/// The inputs a saved version recorded.
pub fn inputs_of(version: &SettlementVersion) -> OpResult<SettlementInputs> {
    serde_json::from_str(&version.inputs_json).map_err(|e| OpError::Encode {
        what: "settlement inputs",
        detail: e.to_string(),
    })
}

/// Recomputes a month from `store` (read as it is, or pinned to a snapshot) with the given
/// history versions and recorded options, and returns the settlement text.
fn recompute(
    store: &Store,
    db: &Db,
    contract: &Contract,
    month: Month,
    inputs: &SettlementInputs,
) -> OpResult<String> {
    settlement_text(&settle_recorded(store, db, contract, month, inputs)?)
}

/// The month settled from exactly what `inputs` records (history versions, vendor invoice,
/// adjustments), on `store` as given.
pub(crate) fn settle_recorded(
    store: &Store,
    db: &Db,
    contract: &Contract,
    month: Month,
    inputs: &SettlementInputs,
) -> OpResult<crate::settle::SettleOutcome> {
    let options = SettleOptions {
        vendor_invoice: inputs.vendor_invoice.as_deref(),
        allow_empty: inputs.allow_empty,
        adjustments: Some(&inputs.adjustments),
        engine: None,
    };
    crate::settle::settle_with_history(store, db, contract, month, &options, &inputs.history)
}

/// Closes `month`: its latest saved settlement must still come out byte for byte from the
/// store as it is now and the contract given; then the month is recorded closed at the
/// current store snapshot. Holds the store's writer lock throughout, so no import lands in
/// between.
pub fn close_month(
    store: &Store,
    recorder: &Recorder,
    contract: &Contract,
    month: Month,
    now: Timestamp,
    wait: Option<std::time::Duration>,
) -> OpResult<ClosedMonth> {
    let contract_id = &contract.doc.contract.id;
    let _lock = store.lock_writer(now, wait)?;
    let db = &recorder.db;
    if let MonthState::Closed(closed) = db.month_state(contract_id, month)? {
        return Err(OpError::MonthAlreadyClosed {
            month,
            version: closed.version,
        });
    }
    let latest =
        db.latest_settlement(contract_id, month)?
            .ok_or_else(|| OpError::NothingSaved {
                contract_id: contract_id.clone(),
                month,
            })?;
    let inputs = inputs_of(&latest)?;
    let found = contract_hash(contract);
    if found != inputs.contract_hash {
        return Err(OpError::ContractChanged {
            month,
            recorded: inputs.contract_hash,
            found,
        });
    }
    let now_text = recompute(store, db, contract, month, &inputs)?;
    if now_text != latest.settlement_json {
        return Err(OpError::StaleSettlement {
            month,
            version: latest.version,
            difference: first_difference(&latest.settlement_json, &now_text),
        });
    }
    Ok(db.close_month(
        &MonthClose {
            contract_id: contract_id.clone(),
            month,
            version: latest.version,
            contract_hash: found,
            contract_version: contract.doc.contract.version.clone(),
            store_snapshot: store.snapshot_number()?,
            pacta_version: PACTA_VERSION.to_string(),
            history: inputs.history,
        },
        &recorder.actor,
        now,
    )?)
}

/// A closed month recomputed from its recorded inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedMonth {
    /// The close record.
    pub closed: ClosedMonth,
    /// Bytes of the settlement compared.
    pub bytes: usize,
    /// The adjustment versions saved after the close, each recomputed from its own recorded
    /// inputs and found identical.
    pub adjustments: Vec<u32>,
}

/// Recomputes a closed month from the store snapshot, history versions and vendor invoice it
/// recorded, with the contract given (which must be the one recorded), and compares the
/// result with the saved settlement byte for byte.
pub fn verify_month(
    store: &Store,
    db: &Db,
    contract: &Contract,
    month: Month,
) -> OpResult<VerifiedMonth> {
    let contract_id = &contract.doc.contract.id;
    let MonthState::Closed(closed) = db.month_state(contract_id, month)? else {
        return Err(OpError::MonthNotClosed {
            contract_id: contract_id.clone(),
            month,
        });
    };
    let found = contract_hash(contract);
    if found != closed.contract_hash {
        return Err(OpError::ContractChanged {
            month,
            recorded: closed.contract_hash.clone(),
            found,
        });
    }
    let saved = db
        .settlement(contract_id, month, closed.version)?
        .ok_or_else(|| OpError::NothingSaved {
            contract_id: contract_id.clone(),
            month,
        })?;
    let mut inputs = inputs_of(&saved)?;
    inputs.history = closed.history.clone();
    let pinned = Store::open(store.dir())?.at_snapshot(closed.store_snapshot)?;
    let text = recompute(&pinned, db, contract, month, &inputs)?;
    if text != saved.settlement_json || pacta_db::text_hash(&text) != closed.settlement_hash {
        return Err(OpError::NotReproduced {
            month,
            version: closed.version,
            difference: first_difference(&saved.settlement_json, &text),
        });
    }
    // Versions after the close can only be adjustments; each must come out of what it
    // recorded too.
    let mut adjustments = Vec::new();
    let mut version = closed.version;
    while let Some(saved) = db.settlement(contract_id, month, version + 1)? {
        version = saved.version;
        let inputs = inputs_of(&saved)?;
        let pinned = Store::open(store.dir())?.at_snapshot(inputs.store_snapshot)?;
        let text = settlement_text(&settle_recorded(&pinned, db, contract, month, &inputs)?)?;
        if text != saved.settlement_json {
            return Err(OpError::NotReproduced {
                month,
                version,
                difference: first_difference(&saved.settlement_json, &text),
            });
        }
        adjustments.push(version);
    }
    Ok(VerifiedMonth {
        bytes: text.len(),
        closed: *closed,
        adjustments,
    })
}

/// The first line where two texts differ, as `line N: saved … / now …`.
pub(crate) fn first_difference(saved: &str, now: &str) -> String {
    let mut a = saved.lines();
    let mut b = now.lines();
    let mut n = 0usize;
    loop {
        n += 1;
        match (a.next(), b.next()) {
            (None, None) => return format!("line {n}: lengths differ"),
            (x, y) if x == y => continue,
            (x, y) => {
                return format!(
                    "line {n}: saved `{}`, now `{}`",
                    x.unwrap_or("").trim(),
                    y.unwrap_or("").trim()
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn the_first_differing_line_is_named() {
        assert_eq!(
            first_difference("{\n  \"a\": 1\n}", "{\n  \"a\": 2\n}"),
            "line 2: saved `\"a\": 1`, now `\"a\": 2`"
        );
        assert_eq!(
            first_difference("x\n", "x\ny\n"),
            "line 2: saved ``, now `y`"
        );
    }
}

/// A saved month of a contract: its latest version and whether it is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthStatus {
    /// The latest saved version.
    pub latest: SettlementVersion,
    /// How many versions were saved.
    pub versions: usize,
    /// The close record, once closed.
    pub closed: Option<ClosedMonth>,
}

/// Every month of a contract with a saved settlement, oldest first.
pub fn months(db: &Db, contract_id: &str) -> OpResult<Vec<MonthStatus>> {
    let last = Month::parse("9998-12")?;
    let mut latest = db.latest_before(contract_id, last)?;
    latest.extend(db.latest_settlement(contract_id, last)?);
    let closed = db.closed_months(contract_id)?;
    let mut out = Vec::with_capacity(latest.len());
    for v in latest {
        let versions = db.settlement_versions(contract_id, v.month)?.len();
        out.push(MonthStatus {
            closed: closed.iter().find(|c| c.month == v.month).cloned(),
            versions,
            latest: v,
        });
    }
    Ok(out)
}
