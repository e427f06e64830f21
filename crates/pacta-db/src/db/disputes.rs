//! Disputes and their events.
//!
//! The database stores the JSON it is given (checked to parse) and keeps the order of
//! events: the rules of the escalation ladder live in pacta-governance, which the caller
//! replays before appending. Each write appends its audit entry in the same transaction.
//! Appending names the number of events the caller checked its action against, so that two
//! writers who read the same dispute cannot both record the next event (optimistic
//! concurrency): the second is refused with [`DbError::DisputeConflict`].

use std::collections::BTreeMap;

use jiff::Timestamp;
use pacta_core::Month;
use serde_json::json;
use sqlx::Row;

use super::{Pool, Result, check_json, parse_month, to_i64, to_u32, to_u64};
use crate::chain::{canonical_json, entry_hash, parse_timestamp, timestamp_text};
use crate::{
    AuditEntry, Db, DbError, DisputeEventRecord, DisputeRecord, NewDispute, NewDisputeEvent,
};

/// The audit object of a dispute: `contract/CONTRACT/dispute/ID`.
pub fn dispute_object(contract_id: &str, id: &str) -> String {
    format!("contract/{contract_id}/dispute/{id}")
}

/// The id of the `n`th dispute of a contract-month: `CONTRACT/YYYY-MM/Dn`.
pub fn dispute_id(contract_id: &str, month: Month, n: u64) -> String {
    format!("{contract_id}/{month}/D{n}")
}

/// BLAKE3 of an evidence file's bytes, hex: the hash it is kept and cited by.
pub fn evidence_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// A dispute row as read: id, contract, month, subject, opened_by, opening_json, opened_at,
/// actor, audit_seq.
type RawDispute = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

/// An event row as read: dispute id, n, at, side, action, event_json, actor, audit_seq.
type RawEvent = (String, i64, String, String, String, String, String, i64);

impl Db {
    /// Records a new dispute with its `dispute.open` audit entry, in one transaction. Its id
    /// is `CONTRACT/YYYY-MM/Dn`, `n` being one more than the disputes already recorded on that
    /// contract-month.
    pub fn open_dispute(
        &self,
        d: &NewDispute,
        actor: &str,
        at: Timestamp,
    ) -> Result<DisputeRecord> {
        let opening = check_json("opening_json", &d.opening_json)?;
        let month = d.month.to_string();
        in_write_tx!(self, |tx, head| {
            let count =
                sqlx::query("SELECT COUNT(*) FROM disputes WHERE contract_id = $1 AND month = $2")
                    .bind(&d.contract_id)
                    .bind(&month)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(DbError::from_sqlx)?;
            let count: i64 = count.try_get(0).map_err(DbError::from_sqlx)?;
            let id = dispute_id(
                &d.contract_id,
                d.month,
                to_u64("disputes count", count)? + 1,
            );
            let payload = canonical_json(&json!({
                "dispute": id,
                "opening": opening,
            }));
            let entry: AuditEntry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                "dispute.open",
                &dispute_object(&d.contract_id, &id),
                payload
            );
            sqlx::query(
                "INSERT INTO disputes (id, contract_id, month, subject, opened_by, opening_json, \
                 opened_at, actor, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&id)
            .bind(&d.contract_id)
            .bind(&month)
            .bind(&d.subject)
            .bind(&d.opened_by)
            .bind(&d.opening_json)
            .bind(timestamp_text(entry.at))
            .bind(actor)
            .bind(to_i64("seq", entry.seq)?)
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(DisputeRecord {
                id,
                contract_id: d.contract_id.clone(),
                month: d.month,
                subject: d.subject.clone(),
                opened_by: d.opened_by.clone(),
                opening_json: d.opening_json.clone(),
                opened_at: entry.at,
                actor: actor.to_string(),
                audit_seq: entry.seq,
                events: Vec::new(),
            })
        })
    }

    /// Appends event `seen + 1` to the dispute `id`, with its `dispute.ACTION` audit entry
    /// and its evidence files, in one transaction. `seen` is the number of events the caller
    /// checked the action against: refused with [`DbError::DisputeConflict`] when another
    /// writer recorded one meanwhile, with [`DbError::UnknownDispute`] for an unknown id;
    /// nothing is written then.
    pub fn append_dispute_event(
        &self,
        id: &str,
        seen: u32,
        event: &NewDisputeEvent,
        actor: &str,
        at: Timestamp,
    ) -> Result<DisputeEventRecord> {
        let event_value = check_json("event_json", &event.event_json)?;
        let files: Vec<(String, &str, &[u8])> = event
            .evidence
            .iter()
            .map(|(name, bytes)| (evidence_hash(bytes), name.as_str(), bytes.as_slice()))
            .collect();
        let n = seen.checked_add(1).ok_or_else(|| DbError::OutOfRange {
            field: "dispute event number",
            value: seen.to_string(),
        })?;
        in_write_tx!(self, |tx, head| {
            let row = sqlx::query("SELECT contract_id FROM disputes WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            let Some(row) = row else {
                return Err(DbError::UnknownDispute { id: id.to_string() });
            };
            let contract_id: String = col!(row, "contract_id");
            // Counted inside the transaction, which holds the chain's head: writers queue
            // here, so the count cannot change before the insert.
            let count = sqlx::query("SELECT COUNT(*) FROM dispute_events WHERE dispute_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            let count: i64 = count.try_get(0).map_err(DbError::from_sqlx)?;
            let found = to_u32("dispute_events count", count)?;
            if found != seen {
                return Err(DbError::DisputeConflict {
                    id: id.to_string(),
                    expected: seen,
                    found,
                });
            }
            let hashes: Vec<&str> = files.iter().map(|(h, _, _)| h.as_str()).collect();
            let payload = canonical_json(&json!({
                "dispute": id,
                "n": n,
                "event": event_value,
                "evidence_hashes": hashes,
            }));
            let entry: AuditEntry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                &format!("dispute.{}", event.action),
                &dispute_object(&contract_id, id),
                payload
            );
            let at_text = timestamp_text(entry.at);
            for (hash, name, bytes) in &files {
                keep_evidence_file!(tx, hash.as_str(), *name, *bytes, &at_text);
            }
            sqlx::query(
                "INSERT INTO dispute_events (dispute_id, n, at, side, action, event_json, actor, \
                 audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(i64::from(n))
            .bind(&at_text)
            .bind(&event.side)
            .bind(&event.action)
            .bind(&event.event_json)
            .bind(actor)
            .bind(to_i64("seq", entry.seq)?)
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(DisputeEventRecord {
                n,
                at: entry.at,
                side: event.side.clone(),
                action: event.action.clone(),
                event_json: event.event_json.clone(),
                actor: actor.to_string(),
                audit_seq: entry.seq,
            })
        })
    }

    /// The disputes of a contract with their events, by month then number.
    pub fn disputes(&self, contract_id: &str) -> Result<Vec<DisputeRecord>> {
        self.read_disputes("WHERE contract_id = $1", contract_id)
    }

    /// One dispute with its events, if any.
    pub fn dispute(&self, id: &str) -> Result<Option<DisputeRecord>> {
        Ok(self.read_disputes("WHERE id = $1", id)?.into_iter().next())
    }

    fn read_disputes(&self, filter: &str, bind: &str) -> Result<Vec<DisputeRecord>> {
        let sql = format!(
            "SELECT id, contract_id, month, subject, opened_by, opening_json, opened_at, actor, \
             audit_seq FROM disputes {filter} ORDER BY month, audit_seq"
        );
        let events_sql = format!(
            "SELECT dispute_id, n, at, side, action, event_json, actor, audit_seq \
             FROM dispute_events WHERE dispute_id IN (SELECT id FROM disputes {filter}) \
             ORDER BY dispute_id, n"
        );
        let (disputes, events) = on_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(bind)
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut disputes: Vec<RawDispute> = Vec::with_capacity(rows.len());
            for row in rows {
                disputes.push((
                    col!(row, "id"),
                    col!(row, "contract_id"),
                    col!(row, "month"),
                    col!(row, "subject"),
                    col!(row, "opened_by"),
                    col!(row, "opening_json"),
                    col!(row, "opened_at"),
                    col!(row, "actor"),
                    col!(row, "audit_seq"),
                ));
            }
            let rows = sqlx::query(&events_sql)
                .bind(bind)
                .fetch_all(p)
                .await
                .map_err(DbError::from_sqlx)?;
            let mut events: Vec<RawEvent> = Vec::with_capacity(rows.len());
            for row in rows {
                events.push((
                    col!(row, "dispute_id"),
                    col!(row, "n"),
                    col!(row, "at"),
                    col!(row, "side"),
                    col!(row, "action"),
                    col!(row, "event_json"),
                    col!(row, "actor"),
                    col!(row, "audit_seq"),
                ));
            }
            Ok::<_, DbError>((disputes, events))
        })?;
        let mut by_id: BTreeMap<String, Vec<DisputeEventRecord>> = BTreeMap::new();
        for (id, n, at, side, action, event_json, actor, seq) in events {
            by_id.entry(id).or_default().push(DisputeEventRecord {
                n: to_u32("dispute_events.n", n)?,
                at: parse_timestamp(&at)?,
                side,
                action,
                event_json,
                actor,
                audit_seq: to_u64("dispute_events.audit_seq", seq)?,
            });
        }
        let mut out = Vec::with_capacity(disputes.len());
        for (id, contract_id, month, subject, opened_by, opening_json, opened_at, actor, seq) in
            disputes
        {
            out.push(DisputeRecord {
                events: by_id.remove(&id).unwrap_or_default(),
                id,
                contract_id,
                month: parse_month(&month)?,
                subject,
                opened_by,
                opening_json,
                opened_at: parse_timestamp(&opened_at)?,
                actor,
                audit_seq: to_u64("disputes.audit_seq", seq)?,
            });
        }
        Ok(out)
    }
}
