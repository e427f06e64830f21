//! Files the vendor hands in for a month (its invoice, its staffing plan): kept as evidence
//! files, each upload an audit entry (`vendor_invoice.upload` or `vendor_plan.upload` on the
//! month's object, naming the file's hash), which is also how the latest one is found. A
//! month keeps every file uploaded; settling and the intervals page read the latest.

use jiff::Timestamp;
use pacta_core::Month;
use serde_json::json;
use sqlx::Row;

use super::{Pool, Result, month_object, to_i64, to_u64};
use crate::chain::{canonical_json, entry_hash, parse_timestamp, timestamp_text};
use crate::{AuditEntry, Db, DbError, EvidenceFile, LogFilter};

/// The audit action of an invoice upload.
pub const VENDOR_INVOICE_UPLOAD: &str = "vendor_invoice.upload";

/// The audit action of a staffing plan upload.
pub const VENDOR_PLAN_UPLOAD: &str = "vendor_plan.upload";

/// What a vendor's file for a month is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorFile {
    /// Its invoice (CSV `item,quantity,rate,amount`), reconciled by settlement.
    Invoice,
    /// Its staffing plan (CSV `interval_start,queue,agents`), set beside the agents Erlang
    /// requires.
    StaffingPlan,
}

impl VendorFile {
    /// The audit action recording an upload of this kind.
    pub fn upload_action(self) -> &'static str {
        match self {
            VendorFile::Invoice => VENDOR_INVOICE_UPLOAD,
            VendorFile::StaffingPlan => VENDOR_PLAN_UPLOAD,
        }
    }
}

impl Db {
    /// Keeps the vendor's file of this kind for the month of the contract and records the
    /// upload; returns the file's BLAKE3 hash.
    #[allow(clippy::too_many_arguments)]
    pub fn add_vendor_file(
        &self,
        kind: VendorFile,
        contract_id: &str,
        month: Month,
        name: &str,
        bytes: &[u8],
        actor: &str,
        at: Timestamp,
    ) -> Result<String> {
        let hash = super::evidence_hash(bytes);
        let object = month_object(contract_id, month);
        let payload = canonical_json(&json!({
            "hash": hash,
            "name": name,
            "bytes": bytes.len(),
        }));
        in_write_tx!(self, |tx, head| {
            let entry: AuditEntry =
                append_in_tx!(tx, &head, at, actor, kind.upload_action(), &object, payload);
            let at_text = timestamp_text(entry.at);
            keep_evidence_file!(tx, &hash, name, bytes, &at_text);
            Ok::<_, DbError>(())
        })?;
        Ok(hash)
    }

    /// The latest vendor file of this kind uploaded for the month of the contract, if any.
    pub fn vendor_file(
        &self,
        kind: VendorFile,
        contract_id: &str,
        month: Month,
    ) -> Result<Option<EvidenceFile>> {
        let object = month_object(contract_id, month);
        let entries = self.log(&LogFilter {
            object_prefix: Some(object.clone()),
            action: Some(kind.upload_action().to_string()),
            since_seq: None,
            limit: None,
        })?;
        let Some(latest) = entries.iter().rev().find(|e| e.object == object) else {
            return Ok(None);
        };
        let payload: serde_json::Value = serde_json::from_str(&latest.payload)
            .map_err(|e| DbError::corrupt(format!("audit entry {}: {e}", latest.seq)))?;
        let Some(hash) = payload["hash"].as_str() else {
            return Err(DbError::corrupt(format!(
                "audit entry {} names no file",
                latest.seq
            )));
        };
        self.evidence(hash)
    }
}
