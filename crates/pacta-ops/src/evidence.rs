//! `pacta explain SLA --contacts FILE`: the contacts behind a figure, one CSV row each.
//!
//! The rows are the month's contacts in the SLA's scope, each with the fields its formula
//! read and the bucket it fell in ([`pacta_kpi::evidence::Bucket`]); the rows of each bucket
//! add up to the figure's inputs (`MetricValue::inputs`). Exclusions are the settlement's:
//! the accepted incidents (with the accepted dispute resolutions applied) whose kind the SLA
//! excludes. Customers appear only as the store's pseudonymised key.

use std::collections::BTreeMap;
use std::path::Path;

use pacta_contract::metrics::Direction;
use pacta_contract::{Contract, PeriodKind};
use pacta_core::{Lang, Month};
use pacta_data::store::Store;
use pacta_kpi::evidence::{Bucket, interaction_contacts};
use pacta_kpi::{KpiInputs, KpiRequest};
use pacta_settle::month::SlaOutcome;
use rust_decimal::prelude::ToPrimitive;

use crate::month_data::{self, ColumnNeeds};
use crate::settle::Adjusted;
use crate::{OpError, OpResult};

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactsWritten {
    /// Data rows written (the header aside).
    pub rows: usize,
    /// Rows per bucket code.
    pub buckets: BTreeMap<String, u64>,
}

/// Writes the contacts behind SLA `outcome` of `month` to `path` as CSV (atomically).
///
/// `adjustments` are the accepted resolutions the settlement applied. An SLA the evidence
/// cannot list yet is [`OpError::EvidenceUnsupported`] and writes nothing.
pub fn write_contacts(
    store: &Store,
    contract: &Contract,
    month: Month,
    outcome: &SlaOutcome,
    adjustments: &[Adjusted],
    path: &Path,
    lang: Lang,
) -> OpResult<ContactsWritten> {
    let (bytes, written) = contacts_csv(store, contract, month, outcome, adjustments, lang)?;
    crate::files::write(path, &bytes)?;
    Ok(written)
}

/// The CSV [`write_contacts`] writes, with its counts.
pub fn contacts_csv(
    store: &Store,
    contract: &Contract,
    month: Month,
    outcome: &SlaOutcome,
    adjustments: &[Adjusted],
    lang: Lang,
) -> OpResult<(Vec<u8>, ContactsWritten)> {
    let id = &outcome.sla_id;
    let sla = contract.sla(id).ok_or_else(|| OpError::UnknownSla {
        id: id.clone(),
        known: contract.slas().iter().map(|s| s.id.clone()).collect(),
    })?;
    if !pacta_kpi::evidence::explains(&sla.measure) {
        return Err(OpError::EvidenceUnsupported {
            id: id.clone(),
            metric: sla.measure.metric_name().to_string(),
        });
    }
    let needs = ColumnNeeds {
        source_ids: true,
        first_response: false,
    };
    let data = month_data::load(store, contract, month, needs)?;
    let incidents = crate::settle::adjusted_incidents(&data.incidents, adjustments)?;
    let table = &data.interactions;
    let excluding =
        pacta_settle::month::excluding_incidents(contract, month, table, &incidents, sla)?;
    let excluded: Vec<bool> = excluding.iter().map(Option::is_some).collect();
    let request = KpiRequest::for_sla(sla);
    let ev = interaction_contacts(contract, month, table, &request, &excluded)?;

    // Per interval, whether it met the target in force: the engine's own value of it.
    let interval = sla.period == PeriodKind::Interval;
    let met: Vec<Option<bool>> = if interval {
        let marks: Vec<u8> = excluded.iter().map(|&e| u8::from(e)).collect();
        let mut inputs = KpiInputs::new(table);
        inputs.exclusion_marks = &marks;
        let mut r = request.clone();
        r.exclude_marks = 1;
        let report = pacta_kpi::compute(contract, month, &inputs, std::slice::from_ref(&r), &[])?;
        let target = outcome.expected.and_then(|d| d.to_f64());
        let values = report
            .get(id)
            .and_then(|r| r.groups.first())
            .map(|g| g.periods.iter().map(|p| p.value.value).collect::<Vec<_>>())
            .unwrap_or_default();
        values
            .into_iter()
            .map(|v| match (v, target) {
                (Some(v), Some(t)) => Some(match outcome.direction {
                    Direction::HigherIsBetter => v >= t,
                    Direction::LowerIsBetter => v <= t,
                }),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };

    let tz = &contract.time_zone;
    let local = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| {
                t.to_zoned(tz.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            })
            .unwrap_or_else(|_| ms.to_string())
    };
    let mut header: Vec<&str> = vec![
        lang.pick("interaction_id", "id_interaccion"),
        lang.pick("arrived_at", "llegada"),
    ];
    if interval {
        header.push(lang.pick("interval_start", "inicio_intervalo"));
        header.push(lang.pick("interval_met_target", "intervalo_cumple_objetivo"));
    }
    header.extend([
        lang.pick("channel", "canal"),
        lang.pick("queue", "cola"),
        lang.pick("site", "sitio"),
        lang.pick("customer_key", "clave_cliente"),
        lang.pick("outcome", "resultado"),
        lang.pick("wait_s", "espera_s"),
        lang.pick("talk_s", "conversacion_s"),
        lang.pick("bucket", "categoria"),
        lang.pick("incident_id", "id_incidente"),
    ]);
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| OpError::Write {
        path: std::path::PathBuf::from("<csv>"),
        source: std::io::Error::other(e.to_string()),
    };
    w.write_record(&header).map_err(csv_err)?;
    let mut buckets: BTreeMap<String, u64> = BTreeMap::new();
    let secs = |ms: i64| format!("{:.3}", ms as f64 / 1000.0);
    for c in &ev.contacts {
        let i = c.row;
        let mut rec: Vec<String> = vec![
            table.source_id(i).unwrap_or_default().to_string(),
            local(table.arrived_at_ms(i)),
        ];
        if interval {
            rec.push(
                ev.periods
                    .get(c.period)
                    .map(|p| local(p.start_ms))
                    .unwrap_or_default(),
            );
            rec.push(match met.get(c.period).copied().flatten() {
                Some(true) => "true".into(),
                Some(false) => "false".into(),
                None => String::new(),
            });
        }
        let dict = |d: &[String], x: Option<u32>| {
            x.and_then(|x| d.get(x as usize).cloned())
                .unwrap_or_default()
        };
        rec.extend([
            table
                .channel(i)
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            dict(table.queue_dict(), Some(table.queue(i))),
            dict(table.site_dict(), table.site(i)),
            table
                .customer(i)
                .map(|k| format!("{k:016x}"))
                .unwrap_or_default(),
            table
                .outcome(i)
                .map(|o| format!("{o:?}").to_lowercase())
                .unwrap_or_default(),
            c.wait_ms.map(secs).unwrap_or_default(),
            table
                .handle_time(i)
                .map(|h| secs(h.talk_ms))
                .unwrap_or_default(),
            c.bucket.code().to_string(),
            if c.bucket == Bucket::ExcludedByIncident {
                excluding
                    .get(i)
                    .copied()
                    .flatten()
                    .unwrap_or_default()
                    .to_string()
            } else {
                String::new()
            },
        ]);
        w.write_record(&rec).map_err(csv_err)?;
        *buckets.entry(c.bucket.code().to_string()).or_default() += 1;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv_err(csv::Error::from(e.into_error())))?;
    Ok((
        bytes,
        ContactsWritten {
            rows: ev.contacts.len(),
            buckets,
        },
    ))
}
