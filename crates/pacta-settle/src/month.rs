//! One month settled end to end: KPIs measured with the contract's exclusions, each SLA judged
//! against the target in force, credits and bonuses, the invoice the pricing implies from the
//! data, and the reconciliation of the vendor's invoice.
//!
//! # Rules this module applies (and `pacta explain` shows)
//!
//! - **Target in force.** A month-period SLA is judged against the target in force on the
//!   first day of the month; interval and day periods use the target in force on each
//!   period's own date, so a mid-month change applies from its date.
//! - **Exclusions.** `accepted_relief` (accepted outage incidents), `force_majeure` (accepted
//!   force-majeure incidents) and `client_caused` (accepted client-caused incidents, such as a
//!   late forecast or a client system down) remove the contacts that arrived during the
//!   incident, in the queues it names (all queues when it names none), from the SLAs that list
//!   the exclusion. Unaccepted incidents change nothing. `volume_above_flex` excuses the SLA
//!   for the month when the offered volume of the services in its scope exceeds their monthly
//!   forecast by more than the contract's flex band. `outside_hours` is applied by the KPI
//!   engine from the calendar.
//! - **Periods.** An interval or day SLA is met when the share of periods with data meeting
//!   the target reaches `required_share_percent` (100 % when absent); below minimum when the
//!   share of periods meeting the minimum does not.
//! - **Missing data.** No data counts as a miss unless the SLA says `missing_data = "excused"`.
//! - **Usage.** Handled contacts are answered contacts in the component's scope; talk and
//!   handle minutes sum talk (+ hold + wrap) of those contacts; outcomes count answered
//!   contacts with the component's disposition (default `sale`); logged hours sum the agent
//!   days' logged minutes, productive hours their handling + available minutes; night,
//!   weekend and holiday units come from the agent days. Quantities are rounded to 2 decimals
//!   (half away from zero) before pricing. Agent days carry no service, so an hourly component
//!   scoped to some services gets the hours in proportion to its share of the month's handle
//!   time (talk + hold + wrap of answered contacts). New hires are roster entries hired in the month;
//!   pass-through costs are those the vendor's invoice claims under a pass-through id.
//!
//! Exclusions are applied by computing the SLAs that share one set of applicable incidents on
//! the table with those rows removed: one KPI pass per distinct exclusion set (one pass when
//! no accepted incident touches the month).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use pacta_contract::metrics::{Direction, Unit};
use pacta_contract::{
    Channel, Contract, CreditNetting, Exclusion, PeriodKind, PriceUnit, Sla, SlaClass,
};
use pacta_data::model::{
    Incident, IncidentKind, InteractionTable, NO_DURATION, NO_VALUE, Outcome, channel_code,
};
use pacta_kpi::{KpiError, KpiInputs, KpiReport, KpiRequest, MetricValue, PeriodValue};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::Serialize;

use crate::credits::{CreditStatement, Month, MonthRecord, month_str, settle_credits};
use crate::pricing::{ComponentUsage, Invoice, Usage, price_month};
use crate::reconcile::{Reconciliation, VendorLine, reconcile};
use crate::{SlaResult, Status, judge};

/// Everything a month's settlement reads. The caller loads it; this module does no I/O.
#[derive(Debug, Clone, Copy)]
pub struct MonthInputs<'a> {
    /// Operational data of the month (interactions, surveys, QA, roster, agent days…).
    pub data: KpiInputs<'a>,
    /// Incidents and relief events.
    pub incidents: &'a [Incident],
    /// Earlier months' settlement records (for rolling caps, earn-back, chronic triggers).
    pub history: &'a [MonthRecord],
    /// The vendor's invoice, when one is to be reconciled.
    pub vendor_invoice: Option<&'a [VendorLine]>,
}

/// Errors of a month's settlement.
#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    /// The KPI engine refused a request (an SLA the engine cannot compute).
    #[error(transparent)]
    Kpi(#[from] KpiError),
    /// The month is outside what the calendar can represent.
    #[error("invalid month {0}")]
    Month(String),
}

/// An exclusion that changed what was measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedExclusion {
    /// The contract's exclusion kind.
    pub kind: Exclusion,
    /// Incident id, or the service for `volume_above_flex`.
    pub reference: String,
    /// Contacts removed from the measurement (0 when the whole month was excused).
    pub contacts_removed: u64,
    /// What happened, in words.
    pub detail: String,
}

/// One day of an SLA's daily series (for charts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayPoint {
    /// Local date label `YYYY-MM-DD`.
    pub day: String,
    /// Value that day, `None` without data.
    pub value: Option<f64>,
}

/// The verdict on one SLA, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaOutcome {
    /// SLA id.
    pub sla_id: String,
    /// Its name.
    pub name: String,
    /// Metric.
    pub metric: String,
    /// Formula variant.
    pub variant: String,
    /// Class.
    pub class: SlaClass,
    /// Measurement period.
    pub period: PeriodKind,
    /// Unit of `measured` (for interval and day SLAs: the share of periods, percent).
    pub unit: Unit,
    /// Better direction of the metric.
    pub direction: Direction,
    /// The month-level value (or share of periods meeting target).
    pub value: MetricValue,
    /// Periods measured, and those meeting target (interval and day SLAs).
    pub periods: Option<(u64, u64)>,
    /// Target in force, expected level.
    pub expected: Option<Decimal>,
    /// Minimum level in force.
    pub minimum: Option<Decimal>,
    /// Required share of periods meeting target, percent (interval and day SLAs).
    pub required_share: Option<Decimal>,
    /// Date the target in force took effect.
    pub target_from: Option<String>,
    /// Verdict.
    pub status: Status,
    /// Exclusions that changed the measurement.
    pub exclusions: Vec<AppliedExclusion>,
    /// Daily values (interaction metrics), for charts.
    pub daily: Vec<DayPoint>,
    /// Why the status is what it is, in words.
    pub reasoning: String,
}

/// Offered volume of a service against its forecast band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceVolume {
    /// Service id.
    pub service: String,
    /// Monthly forecast.
    pub forecast: Option<u64>,
    /// Band low edge (forecast × (1 − flex)).
    pub band_low: Option<u64>,
    /// Band high edge (forecast × (1 + flex)).
    pub band_high: Option<u64>,
    /// Offered contacts in the month.
    pub offered: u64,
    /// Offered contacts per local day.
    pub daily: Vec<(String, u64)>,
}

/// A month settled.
#[derive(Debug, Clone, Serialize)]
pub struct Settlement {
    /// Contract id.
    pub contract_id: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Currency.
    pub currency: String,
    /// Time zone periods were cut in.
    pub time_zone: String,
    /// Interactions read, in the month, and outside hours.
    pub rows: RowCounts,
    /// One outcome per SLA, in contract order.
    pub slas: Vec<SlaOutcome>,
    /// Volume per service against forecast.
    pub volumes: Vec<ServiceVolume>,
    /// Billable usage measured from the data.
    pub usage: Usage,
    /// Credits, earn-backs, bonuses, chronic triggers.
    pub credits: CreditStatement,
    /// The invoice the pricing implies, credits and bonuses netted.
    pub invoice: Invoice,
    /// Reconciliation of the vendor's invoice, when one was given.
    pub reconciliation: Option<Reconciliation>,
    /// What this month leaves for the next.
    pub record: MonthRecord,
}

/// Row counts of the month's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    /// Interactions in the table.
    pub interactions: u64,
    /// Of which arriving in the month.
    pub in_month: u64,
    /// Of which outside hours of operation.
    pub outside_hours: u64,
}

const DAY_SUFFIX: &str = "#day";

/// Settles one month. Pure: same inputs, same settlement, whatever the row order.
pub fn settle_month(
    contract: &Contract,
    month: Month,
    inputs: &MonthInputs<'_>,
) -> Result<Settlement, SettleError> {
    let tz = &contract.time_zone;
    let (first_day, month_start, month_end) = month_bounds(month, tz)?;
    let table = inputs.data.interactions;

    // Which accepted incidents apply to which SLA.
    let relevant: Vec<&Incident> = inputs
        .incidents
        .iter()
        .filter(|i| i.accepted && i.start_ms < month_end && i.end_ms > month_start)
        .collect();
    let mut groups: BTreeMap<Vec<usize>, Vec<&Sla>> = BTreeMap::new();
    for sla in &contract.doc.slas {
        let ids: Vec<usize> = relevant
            .iter()
            .enumerate()
            .filter(|(_, i)| exclusion_of(i.kind).is_some_and(|k| sla.exclusions.contains(&k)))
            .map(|(n, _)| n)
            .collect();
        groups.entry(ids).or_default().push(sla);
    }

    let mut measured: BTreeMap<String, (KpiReport, Vec<AppliedExclusion>)> = BTreeMap::new();
    let mut scan = None;
    for (incident_ids, slas) in &groups {
        let mut requests = Vec::new();
        for sla in slas {
            let r = KpiRequest::from_sla(sla, contract)?;
            if r.uses_interactions() && r.period != PeriodKind::Day {
                let mut d = r.clone().with_period(PeriodKind::Day, None);
                d.id = format!("{}{DAY_SUFFIX}", sla.id);
                requests.push(d);
            }
            requests.push(r);
        }
        let (report, applied) = if incident_ids.is_empty() {
            (
                pacta_kpi::compute(contract, month, &inputs.data, &requests, &[])?,
                Vec::new(),
            )
        } else {
            let incidents: Vec<&Incident> = incident_ids.iter().map(|&n| relevant[n]).collect();
            let (keep, removed) = exclusion_mask(table, &incidents);
            let filtered = filter_rows(table, &keep);
            let mut data = inputs.data;
            data.interactions = &filtered;
            let report = pacta_kpi::compute(contract, month, &data, &requests, &[])?;
            let applied = incidents
                .iter()
                .zip(removed)
                .map(|(i, n)| AppliedExclusion {
                    kind: exclusion_of(i.kind).unwrap_or(Exclusion::AcceptedRelief),
                    reference: i.incident_id.clone(),
                    contacts_removed: n,
                    detail: format!(
                        "{} incident {} declared by {}, accepted; contacts arriving {} – {}{} removed",
                        format!("{:?}", i.kind).to_lowercase(),
                        i.incident_id,
                        i.declared_by,
                        fmt_ms(i.start_ms, tz),
                        fmt_ms(i.end_ms, tz),
                        if i.queues.is_empty() {
                            String::new()
                        } else {
                            format!(" in {}", i.queues.join(", "))
                        }
                    ),
                })
                .collect();
            (report, applied)
        };
        if incident_ids.is_empty() || scan.is_none() {
            scan = Some(report.scan.clone());
        }
        for sla in slas {
            measured.insert(sla.id.clone(), (report.clone(), applied.clone()));
        }
    }

    let volumes = service_volumes(contract, table, tz, month_start, month_end);
    let mut outcomes = Vec::new();
    for sla in &contract.doc.slas {
        let Some((report, applied)) = measured.get(&sla.id) else {
            continue;
        };
        let mut applied = applied.clone();
        let flex = flex_excuse(contract, sla, table, month_start, month_end);
        if let Some(e) = &flex {
            applied.push(e.clone());
        }
        outcomes.push(judge_sla(
            contract,
            sla,
            report,
            first_day,
            applied,
            flex.is_some(),
        )?);
    }
    let results: Vec<SlaResult> = outcomes
        .iter()
        .map(|o| SlaResult {
            sla_id: o.sla_id.clone(),
            measured: to_decimal(&o.value, o.unit),
            expected: o.expected.unwrap_or_default(),
            minimum: o.minimum,
            status: o.status,
        })
        .collect();

    let usage = measure_usage(contract, inputs, tz, month_start, month_end);
    let gross_invoice = price_month(contract, month, &usage, Decimal::ZERO, Decimal::ZERO);
    let credits = settle_credits(
        contract,
        month,
        gross_invoice.service_charges,
        &results,
        inputs.history,
    );
    // What is netted on this invoice: this month's net (same invoice), last month's (next
    // invoice, the default), or nothing (refunds are paid separately).
    let netting = contract
        .doc
        .pricing
        .as_ref()
        .and_then(|p| p.payment.as_ref())
        .map(|p| p.credits_netted)
        .unwrap_or_default();
    let this_index = crate::credits::month_index(month);
    let net = match netting {
        CreditNetting::SameInvoice => credits.net_to_client(),
        CreditNetting::NextInvoice => inputs
            .history
            .iter()
            .find(|r| crate::credits::month_index(r.month) == this_index - 1)
            .map_or(Decimal::ZERO, |r| r.net_to_client),
        CreditNetting::Refund => Decimal::ZERO,
    };
    let (to_net, bonus) = if net >= Decimal::ZERO {
        (net, Decimal::ZERO)
    } else {
        (Decimal::ZERO, -net)
    };
    let invoice = price_month(contract, month, &usage, to_net, bonus);
    let reconciliation = inputs
        .vendor_invoice
        .map(|lines| reconcile(contract, &invoice, lines));
    let record = credits.record(month, &results);
    let scan = scan.unwrap_or_default();
    Ok(Settlement {
        contract_id: contract.doc.contract.id.clone(),
        month: month_str(month),
        currency: contract.doc.contract.currency.clone(),
        time_zone: tz.iana_name().unwrap_or("UTC").to_string(),
        rows: RowCounts {
            interactions: table.row_count() as u64,
            in_month: scan.rows_in_periods,
            outside_hours: scan.outside_hours,
        },
        slas: outcomes,
        volumes,
        usage,
        credits,
        invoice,
        reconciliation,
        record,
    })
}

fn exclusion_of(kind: IncidentKind) -> Option<Exclusion> {
    match kind {
        IncidentKind::Outage => Some(Exclusion::AcceptedRelief),
        IncidentKind::ForceMajeure => Some(Exclusion::ForceMajeure),
        IncidentKind::ClientCaused => Some(Exclusion::ClientCaused),
        IncidentKind::SecurityBreach => None,
    }
}

/// First local day, and the month's UTC-ms bounds in the contract's zone.
fn month_bounds((y, m): Month, tz: &TimeZone) -> Result<(Date, i64, i64), SettleError> {
    let bad = || SettleError::Month(month_str((y, m)));
    let first = Date::new(y, m, 1).map_err(|_| bad())?;
    let next = first
        .checked_add(jiff::Span::new().months(1))
        .map_err(|_| bad())?;
    let start = first
        .to_zoned(tz.clone())
        .map_err(|_| bad())?
        .timestamp()
        .as_millisecond();
    let end = next
        .to_zoned(tz.clone())
        .map_err(|_| bad())?
        .timestamp()
        .as_millisecond();
    Ok((first, start, end))
}

fn fmt_ms(ms: i64, tz: &TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| ms.to_string())
}

/// Rows to keep, and how many rows each incident removed (a row counts for the first
/// incident that covers it).
fn exclusion_mask(table: &InteractionTable, incidents: &[&Incident]) -> (Vec<bool>, Vec<u64>) {
    let mut keep = vec![true; table.row_count()];
    let mut removed = vec![0u64; incidents.len()];
    let queue_sets: Vec<BTreeSet<u32>> = incidents
        .iter()
        .map(|i| {
            table
                .queue_dict
                .iter()
                .enumerate()
                .filter(|(_, q)| i.queues.iter().any(|x| x == *q))
                .map(|(n, _)| n as u32)
                .collect()
        })
        .collect();
    for (row, k) in keep.iter_mut().enumerate() {
        let t = table.arrived_at_ms[row];
        for (n, inc) in incidents.iter().enumerate() {
            if t >= inc.start_ms
                && t < inc.end_ms
                && (inc.queues.is_empty() || queue_sets[n].contains(&table.queue[row]))
            {
                *k = false;
                removed[n] += 1;
                break;
            }
        }
    }
    (keep, removed)
}

/// A copy of the table with only the kept rows.
pub fn filter_rows(t: &InteractionTable, keep: &[bool]) -> InteractionTable {
    fn pick<T: Clone>(v: &[T], keep: &[bool]) -> Vec<T> {
        v.iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| x.clone())
            .collect()
    }
    InteractionTable {
        source_id: pick(&t.source_id, keep),
        channel: pick(&t.channel, keep),
        queue: pick(&t.queue, keep),
        queue_dict: t.queue_dict.clone(),
        site: pick(&t.site, keep),
        site_dict: t.site_dict.clone(),
        language: pick(&t.language, keep),
        language_dict: t.language_dict.clone(),
        customer: pick(&t.customer, keep),
        arrived_at_ms: pick(&t.arrived_at_ms, keep),
        answered_at_ms: pick(&t.answered_at_ms, keep),
        ended_at_ms: pick(&t.ended_at_ms, keep),
        outcome: pick(&t.outcome, keep),
        talk_ms: pick(&t.talk_ms, keep),
        hold_ms: pick(&t.hold_ms, keep),
        wrap_ms: pick(&t.wrap_ms, keep),
        agent: pick(&t.agent, keep),
        agent_dict: t.agent_dict.clone(),
        disposition: pick(&t.disposition, keep),
        disposition_dict: t.disposition_dict.clone(),
        first_response_at_ms: pick(&t.first_response_at_ms, keep),
    }
}

/// Row filter for a set of services (by channel and queues), channels and languages.
struct RowScope {
    /// Allowed (channel, queue) combinations, indexed `channel × stride + queue` (the last
    /// column of each channel row is for rows whose queue index is out of the dictionary).
    allowed: Vec<bool>,
    stride: usize,
    /// Allowed language indices (`None` = any language).
    languages: Option<Vec<bool>>,
}

impl RowScope {
    /// The rows of `services` (ORed) restricted to `channels` and `languages` (ANDed), as
    /// dense lookup tables: settlement scans every row several times and a set lookup per
    /// row was a measurable share of a 10-million-row month.
    fn new(
        contract: &Contract,
        table: &InteractionTable,
        services: &[String],
        channels: &[Channel],
        languages: &[String],
    ) -> RowScope {
        let stride = table.queue_dict.len() + 1;
        let mut allowed = vec![false; 8 * stride];
        let channel_codes: Vec<u8> = channels.iter().map(|c| channel_code(*c)).collect();
        let channel_ok = |c: u8| channel_codes.is_empty() || channel_codes.contains(&c);
        if services.is_empty() {
            for ch in 0..8u8 {
                if channel_ok(ch) {
                    for q in 0..stride {
                        allowed[usize::from(ch) * stride + q] = true;
                    }
                }
            }
        } else {
            // Services naming no queue take the whole channel; a service naming queues absent
            // from the data matches nothing; unknown service ids match nothing.
            for s in contract
                .doc
                .scope
                .services
                .iter()
                .filter(|s| services.contains(&s.id))
            {
                let ch = channel_code(s.channel);
                if usize::from(ch) >= 8 || !channel_ok(ch) {
                    continue;
                }
                for (q, name) in table.queue_dict.iter().enumerate() {
                    if s.queues.is_empty() || s.queues.iter().any(|x| x == name) {
                        allowed[usize::from(ch) * stride + q] = true;
                    }
                }
                if s.queues.is_empty() {
                    allowed[usize::from(ch) * stride + stride - 1] = true;
                }
            }
        }
        let languages = (!languages.is_empty()).then(|| {
            let mut v = vec![false; table.language_dict.len() + 1];
            for (n, l) in table.language_dict.iter().enumerate() {
                v[n] = languages.iter().any(|x| x == l);
            }
            v
        });
        RowScope {
            allowed,
            stride,
            languages,
        }
    }

    #[inline]
    fn matches(&self, t: &InteractionTable, row: usize) -> bool {
        let ch = usize::from(t.channel[row]);
        let q = (t.queue[row] as usize).min(self.stride - 1);
        ch < 8
            && self.allowed[ch * self.stride + q]
            && self.languages.as_ref().is_none_or(|ls| {
                let l = t.language[row] as usize;
                l < ls.len() - 1 && ls[l]
            })
    }
}

fn offered(t: &InteractionTable, row: usize) -> bool {
    t.outcome[row] != Outcome::InProgress.code()
}

fn service_volumes(
    contract: &Contract,
    table: &InteractionTable,
    tz: &TimeZone,
    start: i64,
    end: i64,
) -> Vec<ServiceVolume> {
    let flex = contract.doc.scope.flex_band_percent.unwrap_or_default();
    // Band edges in decimal: 100 × 1.10 must be 110, not 110.00000000000001.
    let edge = |f: u64, sign: Decimal| {
        let v = Decimal::from(f) * (Decimal::ONE_HUNDRED + sign * flex) / Decimal::ONE_HUNDRED;
        let v = if sign > Decimal::ZERO {
            v.ceil()
        } else {
            v.floor()
        };
        v.to_u64().unwrap_or(0)
    };
    // Local-day boundaries of the month, cut once in the contract's zone (DST days included),
    // then one pass over the rows for every service.
    let mut bounds: Vec<(i64, String)> = Vec::new();
    if let Ok(ts) = jiff::Timestamp::from_millisecond(start) {
        let mut day = ts.to_zoned(tz.clone()).date();
        loop {
            let Ok(z) = day.to_zoned(tz.clone()) else {
                break;
            };
            let at = z.timestamp().as_millisecond();
            if at >= end {
                break;
            }
            bounds.push((at.max(start), day.to_string()));
            match day.tomorrow() {
                Ok(d) => day = d,
                Err(_) => break,
            }
        }
    }
    let services = &contract.doc.scope.services;
    let scopes: Vec<RowScope> = services
        .iter()
        .map(|s| RowScope::new(contract, table, std::slice::from_ref(&s.id), &[], &[]))
        .collect();
    let mut counts = vec![vec![0u64; bounds.len()]; services.len()];
    let mut day = 0usize;
    for row in 0..table.row_count() {
        let t = table.arrived_at_ms[row];
        if t < start || t >= end || !offered(table, row) {
            continue;
        }
        // Rows are mostly in time order: try the last day first, else search.
        let in_day = |d: usize| bounds[d].0 <= t && bounds.get(d + 1).is_none_or(|next| t < next.0);
        if bounds.is_empty() {
            break;
        }
        if !in_day(day) {
            day = bounds.partition_point(|b| b.0 <= t).saturating_sub(1);
        }
        for (k, scope) in scopes.iter().enumerate() {
            if scope.matches(table, row) {
                counts[k][day] += 1;
            }
        }
    }
    services
        .iter()
        .zip(counts)
        .map(|(s, per_day)| {
            let daily: Vec<(String, u64)> = bounds
                .iter()
                .zip(&per_day)
                .filter(|(_, n)| **n > 0)
                .map(|((_, label), n)| (label.clone(), *n))
                .collect();
            ServiceVolume {
                service: s.id.clone(),
                forecast: s.forecast_monthly_volume,
                band_low: s.forecast_monthly_volume.map(|f| edge(f, -Decimal::ONE)),
                band_high: s.forecast_monthly_volume.map(|f| edge(f, Decimal::ONE)),
                offered: per_day.iter().sum(),
                daily,
            }
        })
        .collect()
}

use rust_decimal::prelude::ToPrimitive;

/// `volume_above_flex`: the SLA's services, together, above forecast × (1 + flex).
fn flex_excuse(
    contract: &Contract,
    sla: &Sla,
    table: &InteractionTable,
    start: i64,
    end: i64,
) -> Option<AppliedExclusion> {
    if !sla.exclusions.contains(&Exclusion::VolumeAboveFlex) {
        return None;
    }
    let flex = contract.doc.scope.flex_band_percent?;
    let services: Vec<&pacta_contract::Service> = contract
        .doc
        .scope
        .services
        .iter()
        .filter(|s| {
            (sla.scope.services.is_empty() || sla.scope.services.contains(&s.id))
                && (sla.scope.channels.is_empty() || sla.scope.channels.contains(&s.channel))
        })
        .collect();
    let forecast: u64 = services
        .iter()
        .map(|s| s.forecast_monthly_volume.unwrap_or(0))
        .sum();
    if forecast == 0 {
        return None;
    }
    let ids: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
    let scope = RowScope::new(contract, table, &ids, &[], &[]);
    let actual = (0..table.row_count())
        .filter(|&r| {
            let t = table.arrived_at_ms[r];
            t >= start && t < end && offered(table, r) && scope.matches(table, r)
        })
        .count() as u64;
    let ceiling = Decimal::from(forecast) * (Decimal::ONE_HUNDRED + flex) / Decimal::ONE_HUNDRED;
    (Decimal::from(actual) > ceiling).then(|| AppliedExclusion {
        kind: Exclusion::VolumeAboveFlex,
        reference: ids.join("+"),
        contacts_removed: 0,
        detail: format!(
            "offered {actual} > forecast {forecast} × (1 + {flex} %) = {}; the month is excused",
            ceiling.round_dp(0)
        ),
    })
}

fn to_decimal(v: &MetricValue, unit: Unit) -> Option<Decimal> {
    let x = v.value?;
    let exact_counts = v.numerator.fract() == 0.0 && v.denominator.fract() == 0.0;
    if unit == Unit::Percent && exact_counts && v.denominator > 0.0 {
        // Rates from exact counts: computed in decimal so 80 % is exactly 80.
        let n = Decimal::from_f64(v.numerator)?;
        let d = Decimal::from_f64(v.denominator)?;
        return Some((n * Decimal::ONE_HUNDRED / d).round_dp(10));
    }
    Decimal::from_f64(x).map(|d| d.round_dp(6))
}

fn judge_sla(
    contract: &Contract,
    sla: &Sla,
    report: &KpiReport,
    first_day: Date,
    exclusions: Vec<AppliedExclusion>,
    excused_by_flex: bool,
) -> Result<SlaOutcome, SettleError> {
    let missing_excused = sla.missing_data == pacta_contract::MissingData::Excused;
    let result = report.get(&sla.id);
    let (unit, direction) = result
        .map(|r| (r.unit, r.direction))
        .unwrap_or((Unit::Percent, Direction::HigherIsBetter));
    let periods: Vec<PeriodValue> = result
        .and_then(|r| r.groups.first())
        .map(|g| g.periods.clone())
        .unwrap_or_default();
    let daily = report
        .get(&format!("{}{DAY_SUFFIX}", sla.id))
        .or(if sla.period == Some(PeriodKind::Day) {
            result
        } else {
            None
        })
        .and_then(|r| r.groups.first())
        .map(|g| {
            g.periods
                .iter()
                .map(|p| DayPoint {
                    day: p.period.label.clone(),
                    value: p.value.value,
                })
                .collect()
        })
        .unwrap_or_default();
    let variant = result
        .map(|r| r.request.variant.clone())
        .unwrap_or_default();
    let month_target = contract.target_on(sla, pacta_contract::Date(first_day));
    let mut outcome = SlaOutcome {
        sla_id: sla.id.clone(),
        name: sla.name.clone(),
        metric: sla.metric.clone(),
        variant,
        class: sla.class,
        period: sla.period.unwrap_or(PeriodKind::Month),
        unit,
        direction,
        value: MetricValue::ratio(0.0, 0.0, 1.0, String::new()),
        periods: None,
        expected: month_target.map(|t| t.expected),
        minimum: month_target.and_then(|t| t.minimum),
        required_share: None,
        target_from: month_target.map(|t| t.effective_from.to_string()),
        status: Status::Missed,
        exclusions,
        daily,
        reasoning: String::new(),
    };
    let higher = direction == Direction::HigherIsBetter;
    let per_period = matches!(outcome.period, PeriodKind::Interval | PeriodKind::Day);
    if per_period {
        let required = sla.required_share_percent.unwrap_or(Decimal::ONE_HUNDRED);
        let (mut with_data, mut met_expected, mut met_minimum) = (0u64, 0u64, 0u64);
        for p in &periods {
            let Some(v) = p.value.value else { continue };
            let date = jiff::Timestamp::from_millisecond(p.period.start_ms)
                .map(|t| t.to_zoned(contract.time_zone.clone()).date())
                .unwrap_or(first_day);
            let Some(target) = contract.target_on(sla, pacta_contract::Date(date)) else {
                continue;
            };
            with_data += 1;
            let ok = |level: Decimal| {
                let level = level.to_f64().unwrap_or(f64::NAN);
                if higher { v >= level } else { v <= level }
            };
            met_expected += u64::from(ok(target.expected));
            met_minimum += u64::from(target.minimum.is_none_or(ok));
        }
        let share = MetricValue::ratio(
            met_expected as f64,
            with_data as f64,
            100.0,
            format!(
                "{} {} / {}",
                match outcome.period {
                    PeriodKind::Interval => "intervals meeting target",
                    _ => "days meeting target",
                },
                met_expected,
                with_data
            ),
        );
        outcome.periods = Some((with_data, met_expected));
        outcome.required_share = Some(required);
        let share_pct = to_decimal(&share, Unit::Percent);
        let min_share = (with_data > 0)
            .then(|| Decimal::from(met_minimum) * Decimal::ONE_HUNDRED / Decimal::from(with_data));
        outcome.status = match share_pct {
            None if missing_excused => Status::Excused,
            None => Status::Missed,
            Some(s) if s >= required => Status::Met,
            Some(_) if min_share.is_some_and(|m| m < required) && outcome.minimum.is_some() => {
                Status::BelowMinimum
            }
            Some(_) => Status::Missed,
        };
        outcome.reasoning = format!(
            "{met_expected} of {with_data} {} with data met the target in force; {} % required",
            if outcome.period == PeriodKind::Interval {
                "intervals"
            } else {
                "days"
            },
            required
        );
        outcome.value = share;
        outcome.unit = Unit::Percent;
    } else {
        let value = periods
            .first()
            .map(|p| p.value.clone())
            .unwrap_or_else(|| MetricValue::ratio(0.0, 0.0, 1.0, "no data".into()));
        let measured = to_decimal(&value, unit);
        outcome.status = match month_target {
            Some(t) => judge(measured, t.expected, t.minimum, higher, missing_excused),
            None => Status::Met,
        };
        outcome.reasoning = match (measured, month_target) {
            (_, None) => "no target in force this month (tracked only)".into(),
            (None, Some(_)) if missing_excused => {
                "no data; the contract excuses missing data".into()
            }
            (None, Some(_)) => "no data from the source of record counts as a miss".into(),
            (Some(m), Some(t)) => format!(
                "measured {} {} target {}{}",
                m.round_dp(4),
                if higher { "vs ≥" } else { "vs ≤" },
                t.expected,
                t.minimum
                    .map(|x| format!(", minimum {x}"))
                    .unwrap_or_default()
            ),
        };
        outcome.value = value;
    }
    if sla.class == SlaClass::Tracked && outcome.status.is_miss() {
        outcome.reasoning.push_str("; tracked only: no credit");
    }
    if excused_by_flex && outcome.status != Status::Met {
        outcome.status = Status::Excused;
        outcome
            .reasoning
            .push_str("; excused: volume above the flex band");
    }
    Ok(outcome)
}

fn round_qty(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn measure_usage(
    contract: &Contract,
    inputs: &MonthInputs<'_>,
    tz: &TimeZone,
    start: i64,
    end: i64,
) -> Usage {
    let mut usage = Usage::default();
    let Some(pricing) = &contract.doc.pricing else {
        return usage;
    };
    let t = inputs.data.interactions;
    let answered = Outcome::Answered.code();
    let holidays: BTreeSet<Date> = contract
        .doc
        .calendar
        .holidays
        .iter()
        .map(|h| h.date.civil())
        .collect();
    let days_in_month: Vec<&pacta_data::model::AgentDay> = inputs
        .data
        .agent_days
        .iter()
        .filter(|d| {
            d.date
                .to_zoned(tz.clone())
                .is_ok_and(|z| (start..end).contains(&z.timestamp().as_millisecond()))
        })
        .collect();
    for c in &pricing.components {
        let mut u = ComponentUsage::default();
        match c.unit {
            PriceUnit::FlatMonthly => u.units = Decimal::ONE,
            PriceUnit::HandledContact
            | PriceUnit::TalkMinute
            | PriceUnit::HandleMinute
            | PriceUnit::Outcome => {
                let scope = RowScope::new(contract, t, &c.services, &c.channels, &c.languages);
                let wanted = c.outcome.as_deref().unwrap_or("sale").to_lowercase();
                let disposition_ok: BTreeSet<u32> = t
                    .disposition_dict
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.to_lowercase() == wanted)
                    .map(|(n, _)| n as u32)
                    .collect();
                let mut count = 0u64;
                let mut ms = 0i64;
                for row in 0..t.row_count() {
                    let at = t.arrived_at_ms[row];
                    if at < start || at >= end || t.outcome[row] != answered {
                        continue;
                    }
                    if !scope.matches(t, row) {
                        continue;
                    }
                    match c.unit {
                        PriceUnit::HandledContact => count += 1,
                        PriceUnit::Outcome => {
                            count += u64::from(disposition_ok.contains(&t.disposition[row]))
                        }
                        PriceUnit::TalkMinute => ms += t.talk_ms[row].max(0),
                        _ => {
                            ms += [t.talk_ms[row], t.hold_ms[row], t.wrap_ms[row]]
                                .iter()
                                .filter(|x| **x != NO_DURATION)
                                .sum::<i64>()
                        }
                    }
                }
                u.units = if matches!(c.unit, PriceUnit::TalkMinute | PriceUnit::HandleMinute) {
                    round_qty(Decimal::from(ms) / Decimal::from(60_000))
                } else {
                    Decimal::from(count)
                };
            }
            PriceUnit::LoggedHour | PriceUnit::ProductiveHour => {
                let (mut total, mut night, mut weekend, mut holiday) = (0u64, 0u64, 0u64, 0u64);
                for d in &days_in_month {
                    let minutes = if c.unit == PriceUnit::LoggedHour {
                        u64::from(d.logged_min)
                    } else {
                        u64::from(d.handling_min) + u64::from(d.available_min)
                    };
                    total += minutes;
                    // Night minutes are logged minutes; for productive hours take the same share.
                    night += if d.logged_min == 0 {
                        0
                    } else {
                        u64::from(d.night_min) * minutes / u64::from(d.logged_min)
                    };
                    if holidays.contains(&d.date) {
                        holiday += minutes;
                    } else if matches!(
                        d.date.weekday(),
                        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
                    ) {
                        weekend += minutes;
                    }
                }
                // Agent days carry no service: a component scoped to some services gets the
                // hours in proportion to its share of the month's handle time.
                let share =
                    if c.services.is_empty() && c.channels.is_empty() && c.languages.is_empty() {
                        Decimal::ONE
                    } else {
                        let scope =
                            RowScope::new(contract, t, &c.services, &c.channels, &c.languages);
                        let (mut mine, mut all) = (0i64, 0i64);
                        for row in 0..t.row_count() {
                            let at = t.arrived_at_ms[row];
                            if at < start || at >= end || t.outcome[row] != answered {
                                continue;
                            }
                            let h: i64 = [t.talk_ms[row], t.hold_ms[row], t.wrap_ms[row]]
                                .iter()
                                .filter(|x| **x != NO_DURATION)
                                .sum();
                            all += h;
                            if scope.matches(t, row) {
                                mine += h;
                            }
                        }
                        if all == 0 {
                            Decimal::ZERO
                        } else {
                            Decimal::from(mine) / Decimal::from(all)
                        }
                    };
                let hours = |m: u64| round_qty(Decimal::from(m) * share / Decimal::from(60));
                u.units = hours(total);
                u.night_units = hours(night);
                u.weekend_units = hours(weekend);
                u.holiday_units = hours(holiday);
            }
        }
        usage.components.insert(c.id.clone(), u);
    }
    usage.new_hires = inputs
        .data
        .roster
        .iter()
        .filter(|r| {
            r.hired_on
                .to_zoned(tz.clone())
                .is_ok_and(|z| (start..end).contains(&z.timestamp().as_millisecond()))
        })
        .count() as u32;
    if let Some(lines) = inputs.vendor_invoice {
        for p in &pricing.pass_through {
            let claimed: Decimal = lines
                .iter()
                .filter(|l| l.item == p.id)
                .map(|l| l.amount)
                .sum();
            if lines.iter().any(|l| l.item == p.id) {
                usage.pass_through.insert(p.id.clone(), claimed);
            }
        }
    }
    usage
}

/// Appends the rows of `b` for which `take(row)` holds to `a`, re-mapping dictionary columns.
///
/// Used to give repeat-contact FCR the first days of the next month: a contact handled on the
/// 31st is only resolved if the customer does not call again within the window, which may end
/// in the next month.
pub fn append_rows(a: &mut InteractionTable, b: &InteractionTable, take: impl Fn(usize) -> bool) {
    fn remap(into: &mut Vec<String>, from: &[String]) -> Vec<u32> {
        from.iter()
            .map(|v| match into.iter().position(|x| x == v) {
                Some(i) => i as u32,
                None => {
                    into.push(v.clone());
                    (into.len() - 1) as u32
                }
            })
            .collect()
    }
    let q = remap(&mut a.queue_dict, &b.queue_dict);
    let s = remap(&mut a.site_dict, &b.site_dict);
    let l = remap(&mut a.language_dict, &b.language_dict);
    let ag = remap(&mut a.agent_dict, &b.agent_dict);
    let d = remap(&mut a.disposition_dict, &b.disposition_dict);
    let m = |map: &[u32], v: u32| {
        if v == NO_VALUE {
            NO_VALUE
        } else {
            map[v as usize]
        }
    };
    for r in (0..b.row_count()).filter(|&r| take(r)) {
        // Tables loaded without source ids (see `pacta_kpi::needs_source_ids`) stay without.
        if let Some(id) = b.source_id.get(r) {
            a.source_id.push(id.clone());
        }
        a.channel.push(b.channel[r]);
        a.queue.push(m(&q, b.queue[r]));
        a.site.push(m(&s, b.site[r]));
        a.language.push(m(&l, b.language[r]));
        a.customer.push(b.customer[r]);
        a.arrived_at_ms.push(b.arrived_at_ms[r]);
        a.answered_at_ms.push(b.answered_at_ms[r]);
        a.ended_at_ms.push(b.ended_at_ms[r]);
        a.outcome.push(b.outcome[r]);
        a.talk_ms.push(b.talk_ms[r]);
        a.hold_ms.push(b.hold_ms[r]);
        a.wrap_ms.push(b.wrap_ms[r]);
        a.agent.push(m(&ag, b.agent[r]));
        a.disposition.push(m(&d, b.disposition[r]));
        if let Some(fr) = b.first_response_at_ms.get(r) {
            a.first_response_at_ms.push(*fr);
        }
    }
}

/// The longest repeat-contact FCR window of the contract, in days (0 when none).
pub fn fcr_window_days(contract: &Contract) -> u32 {
    contract
        .doc
        .slas
        .iter()
        .filter(|s| s.metric == "fcr" && s.variant.as_deref().is_none_or(|v| v == "repeat_contact"))
        .map(|s| s.params.window_days.unwrap_or(7))
        .max()
        .unwrap_or(0)
}

/// UTC-ms bounds of a month in the contract's zone.
pub fn month_range(contract: &Contract, month: Month) -> Result<(i64, i64), SettleError> {
    month_bounds(month, &contract.time_zone).map(|(_, s, e)| (s, e))
}
