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
    /// The version this one adjusts with an accepted dispute resolution, which must be the
    /// latest. The only way a closed month gets a new version; `None` for a plain save.
    pub adjusts: Option<u32>,
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

/// An obligation as derived from one contract version, to be recorded once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewObligation {
    /// Its stable id.
    pub id: String,
    /// The last civil day it concerns, `YYYY-MM-DD` (for range queries).
    pub due_last_day: String,
    /// The obligation as JSON (what pacta-governance derived).
    pub obligation_json: String,
}

/// What a derivation changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObligationSync {
    /// Instances recorded for the first time.
    pub new: u64,
    /// Instances the contract no longer derives, now superseded.
    pub superseded: u64,
    /// Superseded instances derived again, now restored.
    pub restored: u64,
    /// The audit entry, when anything changed.
    pub audit_seq: Option<u64>,
}

/// What is recorded on an obligation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObligationAction {
    /// Done, with an optional evidence file (its name and bytes).
    Fulfil {
        /// The evidence file.
        evidence: Option<(String, Vec<u8>)>,
        /// A note.
        note: Option<String>,
    },
    /// Not required this time, and why.
    Waive {
        /// Why.
        reason: String,
    },
}

/// One event on an obligation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationEvent {
    /// `fulfil`, `waive`, `supersede` or `restore`.
    pub action: String,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: String,
    /// Details (reason, note, contract version), JSON.
    pub detail_json: String,
    /// BLAKE3 of the evidence file, if any.
    pub evidence_hash: Option<String>,
    /// Its audit entry.
    pub audit_seq: u64,
}

/// A recorded obligation and its events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationRecord {
    /// Its id.
    pub id: String,
    /// The contract.
    pub contract_id: String,
    /// The obligation as derived, JSON.
    pub obligation_json: String,
    /// The contract version that first derived it.
    pub contract_version: String,
    /// When it was first recorded.
    pub derived_at: Timestamp,
    /// What happened to it.
    pub events: Vec<ObligationEvent>,
}

impl ObligationRecord {
    /// Whether its last supersede/restore event is a supersede.
    pub fn superseded(&self) -> bool {
        self.events
            .iter()
            .rev()
            .find(|e| e.action == "supersede" || e.action == "restore")
            .is_some_and(|e| e.action == "supersede")
    }

    /// The fulfil or waive event that closed it, if any.
    pub fn settled_by(&self) -> Option<&ObligationEvent> {
        self.events
            .iter()
            .find(|e| e.action == "fulfil" || e.action == "waive")
    }
}

/// A stored evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    /// BLAKE3 of its bytes, hex.
    pub hash: String,
    /// The file name it was given with.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A dispute to record: what pacta-governance opened, as JSON, with the columns it is found
/// by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDispute {
    /// The contract's id.
    pub contract_id: String,
    /// The settled month disputed.
    pub month: Month,
    /// The settlement line disputed, e.g. `credit/SL-VOICE`.
    pub subject: String,
    /// Who opened it: `client` or `provider`.
    pub opened_by: String,
    /// The opening as JSON (stored as given, after checking it parses).
    pub opening_json: String,
}

/// One event to append to a dispute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDisputeEvent {
    /// Who acted: `client` or `provider`.
    pub side: String,
    /// The action's stable name (`comment`, `propose`, `accept`…).
    pub action: String,
    /// The event as JSON (stored as given, after checking it parses).
    pub event_json: String,
    /// Evidence files (name, bytes), kept once each by their BLAKE3 hash in the evidence
    /// files obligations use too.
    pub evidence: Vec<(String, Vec<u8>)>,
}

/// One recorded event of a dispute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeEventRecord {
    /// 1, 2, 3… within the dispute.
    pub n: u32,
    /// When it was recorded (to the millisecond).
    pub at: Timestamp,
    /// Who acted: `client` or `provider`.
    pub side: String,
    /// The action's name.
    pub action: String,
    /// The event as JSON.
    pub event_json: String,
    /// Who wrote it (the audit actor).
    pub actor: String,
    /// Its audit entry.
    pub audit_seq: u64,
}

/// A recorded dispute and its events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeRecord {
    /// `CONTRACT/YYYY-MM/Dn`.
    pub id: String,
    /// The contract.
    pub contract_id: String,
    /// The month disputed.
    pub month: Month,
    /// The settlement line disputed.
    pub subject: String,
    /// Who opened it: `client` or `provider`.
    pub opened_by: String,
    /// The opening as JSON.
    pub opening_json: String,
    /// When it was recorded (to the millisecond).
    pub opened_at: Timestamp,
    /// Who wrote it (the audit actor).
    pub actor: String,
    /// Its `dispute.open` audit entry.
    pub audit_seq: u64,
    /// Its events, by `n`.
    pub events: Vec<DisputeEventRecord>,
}
