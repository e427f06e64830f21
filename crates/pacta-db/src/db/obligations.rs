//! Obligation instances, their events and evidence files.
//!
//! An instance is recorded once, the first time a contract version derives its id; its
//! status is the replay of its events. Each write appends its audit entry in the same
//! transaction.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;

use super::{Pool, Result, to_i64, to_u64};
use crate::chain::{canonical_json, entry_hash, parse_timestamp, timestamp_text};
use crate::{
    AuditEntry, Db, DbError, EvidenceFile, NewObligation, ObligationAction, ObligationEvent,
    ObligationRecord, ObligationSync,
};

/// An event row as read: obligation id, audit seq, action, at, actor, detail, evidence hash.
type RawEvent = (String, i64, String, String, String, String, Option<String>);

/// The audit object of an obligation.
pub fn obligation_object(contract_id: &str, id: &str) -> String {
    format!("contract/{contract_id}/obligation/{id}")
}

/// The contract whose derivation is recorded, and the days it covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation<'a> {
    /// The contract's id.
    pub contract_id: &'a str,
    /// The contract's version field.
    pub contract_version: &'a str,
    /// BLAKE3 of the contract text.
    pub contract_hash: &'a str,
    /// First day derived, `YYYY-MM-DD`.
    pub first_day: &'a str,
    /// Last day derived, `YYYY-MM-DD`.
    pub last_day: &'a str,
}

impl Db {
    /// Records a derivation over `first_day..=last_day`: new ids are recorded, recorded ids of
    /// this contract in that range that were not derived are superseded, and superseded ids
    /// derived again are restored. One audit entry (`obligations.derive`) when anything
    /// changed; nothing is written otherwise.
    pub fn sync_obligations(
        &self,
        d: &Derivation<'_>,
        derived: &[NewObligation],
        actor: &str,
        at: Timestamp,
    ) -> Result<ObligationSync> {
        for o in derived {
            super::check_json("obligation_json", &o.obligation_json)?;
        }
        let wanted: BTreeSet<&str> = derived.iter().map(|o| o.id.as_str()).collect();
        in_write_tx!(self, |tx, head| {
            let rows = sqlx::query(
                "SELECT i.obligation_id, \
                 (SELECT e.action FROM obligation_events e WHERE e.obligation_id = i.obligation_id \
                  AND e.action IN ('supersede', 'restore') ORDER BY e.audit_seq DESC LIMIT 1) AS last \
                 FROM obligation_instances i \
                 WHERE i.contract_id = $1 AND i.due_last_day >= $2 AND i.due_last_day <= $3",
            )
            .bind(d.contract_id)
            .bind(d.first_day)
            .bind(d.last_day)
            .fetch_all(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            let mut recorded: BTreeMap<String, bool> = BTreeMap::new();
            for row in rows {
                let id: String = col!(row, "obligation_id");
                let last: Option<String> = col!(row, "last");
                recorded.insert(id, last.as_deref() == Some("supersede"));
            }
            // Ids recorded outside the range (another range's derivation) are found by id.
            let mut elsewhere: BTreeSet<String> = BTreeSet::new();
            for o in derived {
                if recorded.contains_key(&o.id) {
                    continue;
                }
                let n = sqlx::query(
                    "SELECT COUNT(*) FROM obligation_instances WHERE obligation_id = $1",
                )
                .bind(&o.id)
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
                let n: i64 = n.try_get(0).map_err(DbError::from_sqlx)?;
                if n > 0 {
                    elsewhere.insert(o.id.clone());
                }
            }
            let new: Vec<&NewObligation> = derived
                .iter()
                .filter(|o| !recorded.contains_key(&o.id) && !elsewhere.contains(&o.id))
                .collect();
            let superseded: Vec<&String> = recorded
                .iter()
                .filter(|(id, is_superseded)| !**is_superseded && !wanted.contains(id.as_str()))
                .map(|(id, _)| id)
                .collect();
            let restored: Vec<&String> = recorded
                .iter()
                .filter(|(id, is_superseded)| **is_superseded && wanted.contains(id.as_str()))
                .map(|(id, _)| id)
                .collect();
            let mut sync = ObligationSync {
                new: new.len() as u64,
                superseded: superseded.len() as u64,
                restored: restored.len() as u64,
                audit_seq: None,
            };
            if new.is_empty() && superseded.is_empty() && restored.is_empty() {
                return Ok(sync);
            }
            let payload = canonical_json(&json!({
                "contract_id": d.contract_id,
                "contract_version": d.contract_version,
                "contract_hash": d.contract_hash,
                "range": [d.first_day, d.last_day],
                "new": new.len(),
                "superseded": superseded,
                "restored": restored,
            }));
            let entry: AuditEntry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                "obligations.derive",
                &format!("contract/{}/obligations", d.contract_id),
                payload
            );
            let seq = to_i64("seq", entry.seq)?;
            let at_text = timestamp_text(entry.at);
            for o in &new {
                sqlx::query(
                    "INSERT INTO obligation_instances (obligation_id, contract_id, due_last_day, \
                     obligation_json, contract_version, contract_hash, derived_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&o.id)
                .bind(d.contract_id)
                .bind(&o.due_last_day)
                .bind(&o.obligation_json)
                .bind(d.contract_version)
                .bind(d.contract_hash)
                .bind(&at_text)
                .execute(&mut *tx)
                .await
                .map_err(DbError::from_sqlx)?;
            }
            let detail = canonical_json(&json!({
                "contract_version": d.contract_version,
                "contract_hash": d.contract_hash,
            }));
            for (ids, action) in [(&superseded, "supersede"), (&restored, "restore")] {
                for id in ids.iter() {
                    sqlx::query(
                        "INSERT INTO obligation_events (obligation_id, audit_seq, action, at, \
                         actor, detail_json, evidence_hash) VALUES ($1, $2, $3, $4, $5, $6, NULL)",
                    )
                    .bind(id.as_str())
                    .bind(seq)
                    .bind(action)
                    .bind(&at_text)
                    .bind(actor)
                    .bind(&detail)
                    .execute(&mut *tx)
                    .await
                    .map_err(DbError::from_sqlx)?;
                }
            }
            sync.audit_seq = Some(entry.seq);
            Ok::<_, DbError>(sync)
        })
    }

    /// The recorded obligations of a contract whose last day is within
    /// `first_day..=last_day`, with their events, ordered by last day then id.
    pub fn obligations(
        &self,
        contract_id: &str,
        first_day: &str,
        last_day: &str,
    ) -> Result<Vec<ObligationRecord>> {
        self.read_obligations(
            "WHERE contract_id = $1 AND due_last_day >= $2 AND due_last_day <= $3",
            &[contract_id, first_day, last_day],
        )
    }

    /// One recorded obligation, if any.
    pub fn obligation(&self, id: &str) -> Result<Option<ObligationRecord>> {
        Ok(self
            .read_obligations("WHERE obligation_id = $1", &[id])?
            .into_iter()
            .next())
    }

    fn read_obligations(&self, filter: &str, binds: &[&str]) -> Result<Vec<ObligationRecord>> {
        let sql = format!(
            "SELECT obligation_id, contract_id, obligation_json, contract_version, derived_at \
             FROM obligation_instances {filter} ORDER BY due_last_day, obligation_id"
        );
        let events_sql = format!(
            "SELECT obligation_id, audit_seq, action, at, actor, detail_json, evidence_hash \
             FROM obligation_events WHERE obligation_id IN \
             (SELECT obligation_id FROM obligation_instances {filter}) \
             ORDER BY audit_seq"
        );
        let (instances, events) = on_pool!(self, |p| {
            let mut q = sqlx::query(&sql);
            for b in binds {
                q = q.bind(*b);
            }
            let rows = q.fetch_all(p).await.map_err(DbError::from_sqlx)?;
            let mut instances = Vec::with_capacity(rows.len());
            for row in rows {
                let derived_at: String = col!(row, "derived_at");
                instances.push((
                    col!(row, "obligation_id"),
                    col!(row, "contract_id"),
                    col!(row, "obligation_json"),
                    col!(row, "contract_version"),
                    derived_at,
                ));
            }
            let mut q = sqlx::query(&events_sql);
            for b in binds {
                q = q.bind(*b);
            }
            let rows = q.fetch_all(p).await.map_err(DbError::from_sqlx)?;
            let mut events: Vec<RawEvent> = Vec::with_capacity(rows.len());
            for row in rows {
                events.push((
                    col!(row, "obligation_id"),
                    col!(row, "audit_seq"),
                    col!(row, "action"),
                    col!(row, "at"),
                    col!(row, "actor"),
                    col!(row, "detail_json"),
                    col!(row, "evidence_hash"),
                ));
            }
            Ok::<_, DbError>((instances, events))
        })?;
        let mut by_id: BTreeMap<String, Vec<ObligationEvent>> = BTreeMap::new();
        for (id, seq, action, at, actor, detail_json, evidence_hash) in events {
            by_id.entry(id).or_default().push(ObligationEvent {
                action,
                at: parse_timestamp(&at)?,
                actor,
                detail_json,
                evidence_hash,
                audit_seq: to_u64("obligation_events.audit_seq", seq)?,
            });
        }
        let mut out = Vec::with_capacity(instances.len());
        for (id, contract_id, obligation_json, contract_version, derived_at) in instances {
            let id: String = id;
            out.push(ObligationRecord {
                events: by_id.remove(&id).unwrap_or_default(),
                id,
                contract_id,
                obligation_json,
                contract_version,
                derived_at: parse_timestamp(&derived_at)?,
            });
        }
        Ok(out)
    }

    /// Records a fulfilment or a waiver, with its audit entry and evidence file, in one
    /// transaction. Refused for an unknown id, and for an obligation already fulfilled,
    /// waived or superseded.
    pub fn act_on_obligation(
        &self,
        id: &str,
        action: &ObligationAction,
        actor: &str,
        at: Timestamp,
    ) -> Result<ObligationEvent> {
        let record = self
            .obligation(id)?
            .ok_or_else(|| DbError::UnknownObligation { id: id.to_string() })?;
        let (name, detail, evidence) = match action {
            ObligationAction::Fulfil { evidence, note } => (
                "fulfil",
                json!({ "note": note, "evidence_name": evidence.as_ref().map(|(n, _)| n) }),
                evidence.as_ref(),
            ),
            ObligationAction::Waive { reason } => ("waive", json!({ "reason": reason }), None),
        };
        let evidence_hash = evidence.map(|(_, bytes)| blake3::hash(bytes).to_hex().to_string());
        let detail = canonical_json(&detail);
        let contract_id = record.contract_id.clone();
        in_write_tx!(self, |tx, head| {
            // Checked again inside the transaction: another writer may have acted meanwhile.
            let rows = sqlx::query(
                "SELECT action FROM obligation_events WHERE obligation_id = $1 ORDER BY audit_seq",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            let mut superseded = false;
            for row in rows {
                let action: String = col!(row, "action");
                match action.as_str() {
                    "fulfil" => {
                        return Err(DbError::ObligationSettled {
                            id: id.to_string(),
                            state: "fulfilled",
                        });
                    }
                    "waive" => {
                        return Err(DbError::ObligationSettled {
                            id: id.to_string(),
                            state: "waived",
                        });
                    }
                    "supersede" => superseded = true,
                    "restore" => superseded = false,
                    _ => {}
                }
            }
            if superseded {
                return Err(DbError::ObligationSettled {
                    id: id.to_string(),
                    state: "superseded",
                });
            }
            let payload = canonical_json(&json!({
                "obligation": id,
                "detail": serde_json::from_str::<serde_json::Value>(&detail)
                    .map_err(|e| DbError::corrupt(e.to_string()))?,
                "evidence_hash": evidence_hash,
            }));
            let entry: AuditEntry = append_in_tx!(
                tx,
                &head,
                at,
                actor,
                &format!("obligation.{name}"),
                &obligation_object(&contract_id, id),
                payload
            );
            let at_text = timestamp_text(entry.at);
            if let (Some((file_name, bytes)), Some(hash)) = (evidence, &evidence_hash) {
                keep_evidence_file!(tx, hash, file_name, bytes.as_slice(), &at_text);
            }
            sqlx::query(
                "INSERT INTO obligation_events (obligation_id, audit_seq, action, at, actor, \
                 detail_json, evidence_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(to_i64("seq", entry.seq)?)
            .bind(name)
            .bind(&at_text)
            .bind(actor)
            .bind(&detail)
            .bind(evidence_hash.as_deref())
            .execute(&mut *tx)
            .await
            .map_err(DbError::from_sqlx)?;
            Ok::<_, DbError>(ObligationEvent {
                action: name.to_string(),
                at: entry.at,
                actor: actor.to_string(),
                detail_json: detail.clone(),
                evidence_hash: evidence_hash.clone(),
                audit_seq: entry.seq,
            })
        })
    }

    /// An evidence file by its BLAKE3 hash.
    pub fn evidence(&self, hash: &str) -> Result<Option<EvidenceFile>> {
        let row = on_pool!(self, |p| {
            let row = sqlx::query("SELECT hash, name, bytes FROM evidence_files WHERE hash = $1")
                .bind(hash)
                .fetch_optional(p)
                .await
                .map_err(DbError::from_sqlx)?;
            match row {
                Some(row) => Ok::<_, DbError>(Some((
                    col!(row, "hash"),
                    col!(row, "name"),
                    col!(row, "bytes"),
                ))),
                None => Ok(None),
            }
        })?;
        let Some((hash, name, bytes)): Option<(String, String, Vec<u8>)> = row else {
            return Ok(None);
        };
        // The bytes are checked against their name, as the store checks its files.
        if blake3::hash(&bytes).to_hex().as_str() != hash {
            return Err(DbError::corrupt(format!(
                "evidence file {name} does not hash to {hash}"
            )));
        }
        Ok(Some(EvidenceFile { hash, name, bytes }))
    }
}
