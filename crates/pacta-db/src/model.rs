//! What the database stores and returns.

use jiff::Timestamp;
use pacta_core::Month;

/// A settlement to save as the next version of its (contract, month).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSettlement {
    /// The contract's id.
    pub contract_id: String,
    /// The month settled.
    pub month: Month,
    /// The settlement, canonical JSON from the caller (stored and hashed as given).
    pub settlement_json: String,
    /// The settlement record (the caller's reproducibility record), JSON.
    pub record_json: String,
    /// The caller's record of the inputs (contract hash, store snapshot, vendor invoice…),
    /// JSON; it is also copied into the audit entry.
    pub inputs_json: String,
}

/// One saved version of a month's settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementVersion {
    /// The contract's id.
    pub contract_id: String,
    /// The month settled.
    pub month: Month,
    /// 1, 2, 3… per (contract, month).
    pub version: u32,
    /// When it was saved (to the millisecond).
    pub saved_at: Timestamp,
    /// Who saved it.
    pub actor: String,
    /// The settlement JSON as saved.
    pub settlement_json: String,
    /// The record JSON as saved.
    pub record_json: String,
    /// The inputs JSON as saved.
    pub inputs_json: String,
    /// BLAKE3 (hex) of `settlement_json`.
    pub settlement_hash: String,
    /// The sequence number of its `settle.save` audit entry.
    pub audit_seq: u64,
}

/// A request to close a month at one settlement version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthClose {
    /// The contract's id.
    pub contract_id: String,
    /// The month to close.
    pub month: Month,
    /// The settlement version closed (must be the latest).
    pub version: u32,
    /// The hash of the contract file the settlement used.
    pub contract_hash: String,
    /// The contract's own version label.
    pub contract_version: String,
    /// The data store's snapshot the settlement read.
    pub store_snapshot: u64,
    /// The pacta version that computed it.
    pub pacta_version: String,
    /// The earlier months' settlement versions the settlement used (each must exist).
    pub history: Vec<(Month, u32)>,
}

/// A closed month: what was closed, by whom, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedMonth {
    /// The contract's id.
    pub contract_id: String,
    /// The closed month.
    pub month: Month,
    /// The settlement version closed.
    pub version: u32,
    /// The hash of the contract file the settlement used.
    pub contract_hash: String,
    /// The contract's own version label.
    pub contract_version: String,
    /// The data store's snapshot the settlement read.
    pub store_snapshot: u64,
    /// The pacta version that computed it.
    pub pacta_version: String,
    /// The earlier months' settlement versions the settlement used.
    pub history: Vec<(Month, u32)>,
    /// BLAKE3 (hex) of the closed version's settlement JSON.
    pub settlement_hash: String,
    /// When it was closed (to the millisecond).
    pub closed_at: Timestamp,
    /// Who closed it.
    pub closed_by: String,
    /// The sequence number of its `month.close` audit entry.
    pub audit_seq: u64,
}

/// The state of a month: provisional until closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MonthState {
    /// Open to new settlement versions (also when nothing was saved yet).
    Provisional,
    /// Closed: final.
    Closed(Box<ClosedMonth>),
}

/// An entry to append to the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    /// Who did it.
    pub actor: String,
    /// What was done (`data.import`, `store.replace`…).
    pub action: String,
    /// What it was done to (`contract/ACME/month/2026-03`, `store/…`).
    pub object: String,
    /// Details; stored as canonical JSON.
    pub payload: serde_json::Value,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its place in the chain: 1, 2, 3… without gaps.
    pub seq: u64,
    /// When (to the millisecond).
    pub at: Timestamp,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// To what.
    pub object: String,
    /// Details, canonical JSON.
    pub payload: String,
    /// The previous entry's hash (64 zeros for the first).
    pub prev_hash: String,
    /// This entry's hash (see [`crate::entry_hash`]).
    pub hash: String,
}

/// Which audit entries [`crate::Db::log`] returns, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Only entries whose object starts with this text.
    pub object_prefix: Option<String>,
    /// Only entries of this action.
    pub action: Option<String>,
    /// Only entries after this sequence number.
    pub since_seq: Option<u64>,
    /// At most this many entries.
    pub limit: Option<u32>,
}

/// A whole chain that holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// How many entries it has.
    pub entries: u64,
    /// The last entry's hash (64 zeros when empty): keep it elsewhere to detect a chain
    /// rewritten whole.
    pub head_hash: String,
}
