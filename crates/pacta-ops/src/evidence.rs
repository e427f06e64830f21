//! `pacta explain SLA --contacts FILE`: the items behind a figure, one CSV row each.
//!
//! The rows are the month's contacts in the SLA's scope (service level, abandonment, FCR), or
//! its survey answers, QA evaluations or roster entries (CSAT, NPS, FCR by survey, QA,
//! attrition), each with the fields its formula read, the bucket it fell in
//! ([`pacta_kpi::evidence::Bucket`]) and the inputs it counts in: the rows counting in an
//! input add up to the figure's value of it (`MetricValue::inputs`). Exclusions are the
//! settlement's: the accepted incidents (with the accepted dispute resolutions applied) whose
//! kind the SLA excludes. Customers appear only as the store's pseudonymised key.

use std::collections::BTreeMap;
use std::path::Path;

use pacta_contract::metrics::Direction;
use pacta_contract::{Contract, PeriodKind};
use pacta_core::{Lang, Month};
use pacta_data::store::Store;
use pacta_kpi::evidence::{Bucket, EvidenceSource, interaction_contacts, record_items};
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
        interactions: true,
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
    if pacta_kpi::evidence::source(&sla.measure) != Some(EvidenceSource::Interactions) {
        let mut inputs = KpiInputs::new(table);
        inputs.surveys = &data.surveys;
        inputs.qa = &data.qa;
        inputs.roster = &data.roster;
        let ev = record_items(contract, month, &inputs, &request, &excluded)?;
        return records_csv(contract, &inputs, &ev, lang);
    }
    let ev = interaction_contacts(contract, month, table, &request, &excluded)?;
    let fcr = matches!(
        sla.measure,
        pacta_contract::Measure::FcrRepeatContact { .. }
    );

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
    let local = |ms: i64| local_time(tz, ms);
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
    ]);
    if fcr {
        header.push(lang.pick("repeat_interaction_id", "id_interaccion_repetida"));
        header.push(lang.pick("repeat_arrived_at", "llegada_repetida"));
    }
    let mut file = EvidenceCsv::new(&header, &[lang.pick("incident_id", "id_incidente")], lang)?;
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
        ]);
        if fcr {
            rec.push(
                c.repeat_row
                    .and_then(|r| table.source_id(r))
                    .unwrap_or_default()
                    .to_string(),
            );
            rec.push(
                c.repeat_row
                    .map(|r| local(table.arrived_at_ms(r)))
                    .unwrap_or_default(),
            );
        }
        let incident = if c.bucket == Bucket::ExcludedByIncident {
            excluding
                .get(i)
                .copied()
                .flatten()
                .unwrap_or_default()
                .to_string()
        } else {
            String::new()
        };
        file.row(rec, c.bucket, [incident])?;
    }
    file.finish()
}

/// The CSV of survey answers, QA evaluations or roster entries behind a figure.
fn records_csv(
    contract: &Contract,
    data: &KpiInputs<'_>,
    ev: &pacta_kpi::evidence::RecordsEvidence,
    lang: Lang,
) -> OpResult<(Vec<u8>, ContactsWritten)> {
    let tz = &contract.time_zone;
    let local = |ms: i64| local_time(tz, ms);
    let t = data.interactions;
    let opt = |v: Option<String>| v.unwrap_or_default();
    let mut header: Vec<&str> = match ev.source {
        Some(EvidenceSource::Surveys) => vec![
            lang.pick("interaction_id", "id_interaccion"),
            lang.pick("answered_at", "respondida"),
            "csat",
            "nps",
            lang.pick("resolved", "resuelto"),
        ],
        Some(EvidenceSource::QaEvaluations) => vec![
            lang.pick("evaluation_id", "id_evaluacion"),
            lang.pick("interaction_id", "id_interaccion"),
            lang.pick("agent_key", "clave_agente"),
            lang.pick("evaluated_at", "evaluada"),
            lang.pick("items", "puntos"),
            lang.pick("critical_failed", "criticos_fallidos"),
            lang.pick("score", "puntuacion"),
        ],
        _ => vec![
            lang.pick("period_start", "inicio_periodo"),
            lang.pick("agent_key", "clave_agente"),
            lang.pick("site", "sitio"),
            lang.pick("hired_on", "alta"),
            lang.pick("left_on", "baja"),
            lang.pick("separation", "tipo_baja"),
        ],
    };
    if ev.source != Some(EvidenceSource::Roster) {
        header.push(lang.pick("channel", "canal"));
        header.push(lang.pick("queue", "cola"));
    }
    let mut file = EvidenceCsv::new(&header, &[], lang)?;
    let yes_no = |b: bool| lang.pick(if b { "yes" } else { "no" }, if b { "sí" } else { "no" });
    for item in &ev.items {
        let mut rec: Vec<String> = match ev.source {
            Some(EvidenceSource::Surveys) => {
                let Some(s) = data.surveys.get(item.index) else {
                    continue;
                };
                vec![
                    s.interaction_id.clone(),
                    local(s.answered_at_ms),
                    opt(s.csat.map(|x| x.to_string())),
                    opt(s.nps.map(|x| x.to_string())),
                    opt(s.resolved.map(|b| yes_no(b).to_string())),
                ]
            }
            Some(EvidenceSource::QaEvaluations) => {
                let Some(e) = data.qa.get(item.index) else {
                    continue;
                };
                let failed = e
                    .items
                    .iter()
                    .filter(|i| i.critical && i.score < i.max)
                    .map(|i| i.item.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    e.evaluation_id.clone(),
                    opt(e.interaction_id.clone()),
                    e.agent_key.clone(),
                    local(e.evaluated_at_ms),
                    e.items.len().to_string(),
                    failed,
                    opt(item.score.map(|d| d.round_dp(4).normalize().to_string())),
                ]
            }
            _ => {
                let Some(r) = data.roster.get(item.index) else {
                    continue;
                };
                vec![
                    opt(ev.periods.get(item.period).map(|p| local(p.start_ms))),
                    r.agent_key.clone(),
                    opt(r.site.clone()),
                    r.hired_on.to_string(),
                    opt(r.left_on.map(|d| d.to_string())),
                    opt(r.separation.map(|s| format!("{s:?}").to_lowercase())),
                ]
            }
        };
        if ev.source != Some(EvidenceSource::Roster) {
            let row = item.linked_row;
            rec.push(opt(row
                .and_then(|r| t.channel(r))
                .map(|c| c.as_str().to_string())));
            rec.push(opt(
                row.and_then(|r| t.queue_dict().get(t.queue(r) as usize).cloned())
            ));
        }
        file.row(rec, item.bucket, [])?;
    }
    file.finish()
}

/// An evidence file being written: each row is an item's fields, then its bucket, what the
/// bucket means (in the reader's language) and the inputs it counts in, then any trailing
/// columns; the rows of each bucket are counted as they go.
struct EvidenceCsv {
    writer: csv::Writer<Vec<u8>>,
    lang: Lang,
    buckets: BTreeMap<String, u64>,
    rows: usize,
}

impl EvidenceCsv {
    fn new(fields: &[&str], trailing: &[&str], lang: Lang) -> OpResult<Self> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let bucket_columns = [
            lang.pick("bucket", "categoria"),
            lang.pick("bucket_meaning", "significado"),
            lang.pick("counts_in", "cuenta_en"),
        ];
        writer
            .write_record(fields.iter().chain(&bucket_columns).chain(trailing))
            .map_err(csv_error)?;
        Ok(EvidenceCsv {
            writer,
            lang,
            buckets: BTreeMap::new(),
            rows: 0,
        })
    }

    fn row<const N: usize>(
        &mut self,
        mut fields: Vec<String>,
        bucket: Bucket,
        trailing: [String; N],
    ) -> OpResult<()> {
        fields.extend([
            bucket.code().to_string(),
            bucket.describe(self.lang).to_string(),
            bucket.inputs().join(" "),
        ]);
        fields.extend(trailing);
        self.writer.write_record(&fields).map_err(csv_error)?;
        *self.buckets.entry(bucket.code().to_string()).or_default() += 1;
        self.rows += 1;
        Ok(())
    }

    fn finish(self) -> OpResult<(Vec<u8>, ContactsWritten)> {
        let bytes = self
            .writer
            .into_inner()
            .map_err(|e| csv_error(csv::Error::from(e.into_error())))?;
        Ok((
            bytes,
            ContactsWritten {
                rows: self.rows,
                buckets: self.buckets,
            },
        ))
    }
}

fn csv_error(e: csv::Error) -> OpError {
    OpError::Write {
        path: std::path::PathBuf::from("<csv>"),
        source: std::io::Error::other(e.to_string()),
    }
}

/// An instant in the contract's zone, ISO 8601 with its offset (the raw milliseconds when
/// out of range).
fn local_time(tz: &jiff::tz::TimeZone, ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        })
        .unwrap_or_else(|_| ms.to_string())
}

/// Whether the contacts behind SLA `sla_id`'s figure can be listed ([`contacts_csv`] answers
/// [`OpError::EvidenceUnsupported`] for the others): a front end links only those.
pub fn can_list(contract: &Contract, sla_id: &str) -> bool {
    contract
        .sla(sla_id)
        .is_some_and(|sla| pacta_kpi::evidence::explains(&sla.measure))
}
