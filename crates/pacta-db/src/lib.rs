//! The system of record's database: settlement versions, month states and the append-only,
//! hash-chained audit log, on SQLite (embedded default) or PostgreSQL.
//!
//! [`Db`] is synchronous (it owns a current-thread runtime): never call it from inside an
//! async task. Every write that changes the record (a settlement saved, a month closed, an
//! entry appended) appends one audit entry in the same transaction; the audit log, the
//! settlement versions, the closed months, obligations and disputes are append-only
//! (database triggers refuse UPDATE and DELETE on both backends), and [`Db::verify`] walks
//! the chain.
//!
//! It also keeps the server's identities and tenancy: organisations, users (argon2id),
//! sessions and keys (SHA-256 of the secret only), and the contracts registry binding each
//! contract to a client and a provider organisation. Reads of tenant data take a [`Viewer`]
//! that only a checked password, session or key yields; another organisation's contract
//! reads as absent.

mod chain;
mod db;
mod error;
mod model;
mod url;

pub use chain::{GENESIS_HASH, canonical_json, entry_hash, text_hash, timestamp_text};
pub use db::{
    API_KEY_PREFIX, Db, Derivation, FEED_KEY_PREFIX, IssuedSecret, KeyInfo, NewContract, NewUser,
    Party, RegisteredContract, Role, UserSummary, VENDOR_INVOICE_UPLOAD, VENDOR_PLAN_UPLOAD,
    VendorFile, Viewer, dispute_id, dispute_object, evidence_hash, generate_password,
    hash_password, month_object, obligation_object, secret_hash,
};
pub use error::{BreakKind, DbError};
pub use model::{
    AuditEntry, ClosedMonth, DisputeEventRecord, DisputeRecord, EvidenceFile, LogFilter,
    MonthClose, MonthState, NewDispute, NewDisputeEvent, NewEntry, NewObligation, NewSettlement,
    ObligationAction, ObligationEvent, ObligationRecord, ObligationSync, SettlementVersion,
    VerifyReport,
};
pub use url::{Backend, DbUrl};

/// The result of a database call.
pub type Result<T> = std::result::Result<T, DbError>;
