//! Vendor invoices uploaded for a month: kept as evidence files, each upload an audit entry
//! (`vendor_invoice.upload` on the month's object, naming the file's hash), which is also
//! how the latest one is found. A month keeps every invoice uploaded; settling reads the
//! latest.

use jiff::Timestamp;
use pacta_core::Month;
use serde_json::json;
use sqlx::Row;

use super::{Pool, Result, month_object, to_i64, to_u64};
use crate::chain::{canonical_json, entry_hash, parse_timestamp, timestamp_text};
use crate::{AuditEntry, Db, DbError, EvidenceFile, LogFilter};

/// The audit action of an upload.
pub const VENDOR_INVOICE_UPLOAD: &str = "vendor_invoice.upload";

impl Db {
    /// Keeps the vendor's invoice file for the month of the contract and records the
    /// upload; returns the file's BLAKE3 hash.
    pub fn add_vendor_invoice(
        &self,
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
            let entry: AuditEntry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                VENDOR_INVOICE_UPLOAD,
                &object,
                payload
            );
            let at_text = timestamp_text(entry.at);
            keep_evidence_file!(tx, &hash, name, bytes, &at_text);
            Ok::<_, DbError>(())
        })?;
        Ok(hash)
    }

    /// The latest vendor invoice uploaded for the month of the contract, if any.
    pub fn vendor_invoice(&self, contract_id: &str, month: Month) -> Result<Option<EvidenceFile>> {
        let object = month_object(contract_id, month);
        let entries = self.log(&LogFilter {
            object_prefix: Some(object.clone()),
            action: Some(VENDOR_INVOICE_UPLOAD.to_string()),
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
