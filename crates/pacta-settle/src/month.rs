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
//! Exclusions are applied inside the one KPI pass: each row is marked with the kinds of
//! accepted incident windows it arrived in (`KpiInputs::exclusion_marks`) and each SLA's
//! request drops the kinds it excludes, which gives exactly what computing over a copy of the
//! table without those rows would (FCR included: an excluded contact is nobody's repeat).
//! Volumes, the flex band and pricing quantities come from a second pass ([`crate::rows`]).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use pacta_contract::metrics::{Direction, Unit};
use pacta_contract::{
    ContactScope, Contract, CreditNetting, Exclusion, Measure, PeriodKind, PriceUnit, SlaClass,
    SlaTerms,
};
use pacta_data::model::{Incident, IncidentKind, InteractionTable, disposition_key};
use pacta_kpi::{KpiError, KpiInputs, KpiReport, KpiRequest, MetricValue, PeriodValue};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::Serialize;

use pacta_core::Month;
use pacta_terms::credits::{CreditStatement, MonthRecord, settle_credits};
use pacta_terms::pricing::{ComponentUsage, Invoice, PriceTerms, Usage, price_month};
use pacta_terms::reconcile::{Reconciliation, VendorLine, reconcile};
use pacta_terms::{SlaResult, Status, judge};

use crate::rows::{Figure, Quantity, RowScope, Tally};

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
    /// Line amounts the parties agreed (accepted dispute resolutions).
    pub agreed: &'a [pacta_terms::pricing::AgreedAmount],
}

/// Errors of a month's settlement.
#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    /// The KPI engine refused a request (an SLA the engine cannot compute).
    #[error(transparent)]
    Kpi(#[from] KpiError),
    /// The month cannot be cut in the contract's zone.
    #[error(transparent)]
    Month(#[from] pacta_core::MonthError),
    /// The terms arithmetic refused an amount too large to compute.
    #[error(transparent)]
    Terms(#[from] pacta_terms::TermsError),
}

impl pacta_core::Localized for SettleError {
    fn code(&self) -> &'static str {
        match self {
            SettleError::Kpi(e) => e.code(),
            SettleError::Month(e) => e.code(),
            SettleError::Terms(e) => e.code(),
        }
    }

    fn message(&self, lang: pacta_core::Lang) -> String {
        match self {
            SettleError::Kpi(e) => e.message(lang),
            SettleError::Month(e) => e.message(lang),
            SettleError::Terms(e) => e.message(lang),
        }
    }
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

/// One period of an interval or day SLA as the verdict counted it, so a chart can show what
/// the verdict counts rather than a daily aggregate that can disagree with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodMark {
    /// Local date `YYYY-MM-DD` the period starts on.
    pub day: String,
    /// Local start time `HH:MM` of an interval; empty for a day period.
    pub time: String,
    /// Whether the period met the target in force on its date.
    pub met_expected: bool,
    /// Whether it met the minimum in force (true when there is none).
    pub met_minimum: bool,
}

impl PeriodMark {
    fn of(label: &str, verdict: &PeriodVerdict) -> PeriodMark {
        // Labels are `2026-03-08T01:30-05:00` (interval) or `2026-03-08` (day).
        let day = label.get(..10).unwrap_or(label).to_string();
        let time = label.get(11..16).unwrap_or_default().to_string();
        PeriodMark {
            day,
            time,
            met_expected: verdict.met_expected,
            met_minimum: verdict.met_minimum,
        }
    }
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
    /// Interval and day SLAs: each period with data as the verdict counted it, in time order
    /// (empty for month SLAs). Kept out of the JSON, where the counts in `periods` suffice.
    #[serde(skip)]
    pub period_marks: Vec<PeriodMark>,
    /// Why the status is what it is, in words.
    pub reasoning: String,
}

/// Offered volume of a service against its forecast band.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
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
    /// Which month's net credits the invoice carries (the payment terms): `next_invoice`
    /// (the default) nets the previous month's, `same_invoice` this month's, `refund` none.
    pub credits_netted: CreditNetting,
    /// Reconciliation of the vendor's invoice, when one was given.
    pub reconciliation: Option<Reconciliation>,
    /// What this month leaves for the next.
    pub record: MonthRecord,
    /// When the contract measures repeat-contact FCR and the data given ends at the month end
    /// (the next month not imported yet), the window in days: contacts of the month's last
    /// days count as resolved for now, so FCR reads high until the month is settled again.
    /// Kept out of the JSON: callers with a store say it from the store (`pacta-ops`).
    #[serde(skip)]
    pub fcr_window_open: Option<u32>,
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
    let first_day = month.first_day();
    let (month_start, month_end) = month.bounds_ms(tz)?;
    let table = inputs.data.interactions;

    // Which accepted incidents apply to which SLA.
    let relevant: Vec<&Incident> = inputs
        .incidents
        .iter()
        .filter(|i| i.accepted && i.start_ms < month_end && i.end_ms > month_start)
        .collect();
    // One bit per exclusion kind among this month's accepted incidents: a row's mark says
    // which kinds of windows it arrived in, a request's mask which kinds its SLA excludes, so
    // one pass of the engine serves every SLA whatever its exclusions.
    let mut kinds: Vec<Exclusion> = Vec::new();
    for k in relevant.iter().filter_map(|i| exclusion_of(i.kind)) {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let mask_of = |sla: &SlaTerms| -> u8 {
        kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| sla.exclusions.contains(k))
            .fold(0u8, |m, (b, _)| m | 1 << b)
    };
    // Which accepted incidents apply to which SLA.
    let mut groups: BTreeMap<Vec<usize>, Vec<&SlaTerms>> = BTreeMap::new();
    for sla in contract.slas() {
        let ids: Vec<usize> = relevant
            .iter()
            .enumerate()
            .filter(|(_, i)| exclusion_of(i.kind).is_some_and(|k| sla.exclusions.contains(&k)))
            .map(|(n, _)| n)
            .collect();
        groups.entry(ids).or_default().push(sla);
    }
    let group_lists: Vec<&Vec<usize>> = groups.keys().collect();
    let any_mask = contract.slas().iter().any(|s| mask_of(s) != 0);
    let (marks, removed) = if any_mask {
        exclusion_marks(table, &relevant, &kinds, &group_lists)
    } else {
        (Vec::new(), vec![Vec::new(); group_lists.len()])
    };

    let mut requests = Vec::new();
    for sla in contract.slas() {
        let mut r = KpiRequest::for_sla(sla);
        r.exclude_marks = mask_of(sla);
        if r.uses_interactions() && r.period != PeriodKind::Day {
            let mut d = r.clone().with_period(PeriodKind::Day, None);
            d.id = format!("{}{DAY_SUFFIX}", sla.id);
            requests.push(d);
        }
        requests.push(r);
    }
    // The same windows as the marks, for an engine that marks the rows itself.
    let windows: Vec<pacta_kpi::ExclusionWindow> = if any_mask {
        relevant
            .iter()
            .filter_map(|i| {
                let b = exclusion_of(i.kind).and_then(|k| kinds.iter().position(|x| *x == k))?;
                Some(pacta_kpi::ExclusionWindow {
                    bit: 1 << b,
                    start_ms: i.start_ms,
                    end_ms: i.end_ms,
                    queues: i.queues.clone(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut data = inputs.data;
    data.exclusion_marks = &marks;
    data.exclusion_windows = &windows;
    let report = pacta_kpi::compute(contract, month, &data, &requests, &[])?;

    let mut measured: BTreeMap<String, Vec<AppliedExclusion>> = BTreeMap::new();
    for ((incident_ids, slas), removed) in groups.iter().zip(&removed) {
        let applied: Vec<AppliedExclusion> = incident_ids
            .iter()
            .zip(removed)
            .map(|(&n, &count)| {
                let i = relevant[n];
                AppliedExclusion {
                    kind: exclusion_of(i.kind).unwrap_or(Exclusion::AcceptedRelief),
                    reference: i.incident_id.clone(),
                    contacts_removed: count,
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
                }
            })
            .collect();
        for sla in slas {
            measured.insert(sla.id.clone(), applied.clone());
        }
    }

    // Everything else counted from the rows, in one more pass.
    let days: Vec<(i64, String)> = month
        .local_days(tz)?
        .into_iter()
        .map(|(at, day)| (at, day.to_string()))
        .collect();
    let mut tally = Tally::new(
        table,
        month_start,
        month_end,
        days.iter().map(|d| d.0).collect(),
    );
    let volume_figures = register_volumes(contract, table, &mut tally);
    let flex_checks: Vec<Option<FlexCheck>> = contract
        .slas()
        .iter()
        .map(|sla| register_flex(contract, sla, table, &mut tally))
        .collect();
    let usage_figures = register_usage(contract, table, &mut tally);
    tally.run(std::thread::available_parallelism().map_or(1, |n| n.get()));

    let volumes = service_volumes(contract, &days, &tally, &volume_figures);
    let mut outcomes = Vec::new();
    for (sla, flex) in contract.slas().iter().zip(&flex_checks) {
        let Some(applied) = measured.get(&sla.id) else {
            continue;
        };
        let mut applied = applied.clone();
        let flex = flex.as_ref().and_then(|f| flex_excuse(f, &tally));
        if let Some(e) = &flex {
            applied.push(e.clone());
        }
        outcomes.push(judge_sla(
            contract,
            sla,
            &report,
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
            expected: o.expected,
            minimum: o.minimum,
            status: o.status,
        })
        .collect();

    let usage = measure_usage(
        contract,
        inputs,
        tz,
        (month_start, month_end),
        &tally,
        &usage_figures,
    );
    let terms = PriceTerms::of(contract).with_agreed(inputs.agreed);
    let gross_invoice = price_month(terms, month, &usage, Decimal::ZERO, Decimal::ZERO)?;
    let credits = settle_credits(
        contract,
        month,
        gross_invoice.service_charges,
        &results,
        inputs.history,
    )?;
    // What is netted on this invoice: this month's net (same invoice), last month's (next
    // invoice, the default), or nothing (refunds are paid separately).
    let netting = contract
        .doc
        .pricing
        .as_ref()
        .and_then(|p| p.payment.as_ref())
        .map(|p| p.credits_netted)
        .unwrap_or_default();
    let previous = month.prev();
    let net = match netting {
        CreditNetting::SameInvoice => credits.net_to_client(),
        CreditNetting::NextInvoice => inputs
            .history
            .iter()
            .find(|r| Some(r.month) == previous)
            .map_or(Decimal::ZERO, |r| r.net_to_client),
        CreditNetting::Refund => Decimal::ZERO,
    };
    let (to_net, bonus) = if net >= Decimal::ZERO {
        (net, Decimal::ZERO)
    } else {
        (Decimal::ZERO, -net)
    };
    let invoice = price_month(terms, month, &usage, to_net, bonus)?;
    let reconciliation = inputs
        .vendor_invoice
        .map(|lines| reconcile(terms, &invoice, lines))
        .transpose()?;
    let record = credits.record(month, &results);
    let scan = &report.scan;
    let fcr_window = fcr_window_days(contract);
    let data_past_month_end = (0..table.row_count()).any(|r| table.arrived_at_ms(r) >= month_end);
    let fcr_window_open = (fcr_window > 0 && !data_past_month_end).then_some(fcr_window);
    Ok(Settlement {
        contract_id: contract.doc.contract.id.clone(),
        month: month.to_string(),
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
        credits_netted: netting,
        reconciliation,
        record,
        fcr_window_open,
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

fn fmt_ms(ms: i64, tz: &TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| ms.to_string())
}

/// Per row, the bits (index in `kinds`) of the exclusion kinds whose incident windows it
/// arrived in; and per group of incidents (indices into `incidents`), how many rows each of
/// the group's incidents removed (a row counts for the group's first incident covering it).
fn exclusion_marks(
    table: &InteractionTable,
    incidents: &[&Incident],
    kinds: &[Exclusion],
    groups: &[&Vec<usize>],
) -> (Vec<u8>, Vec<Vec<u64>>) {
    let mut marks = vec![0u8; table.row_count()];
    let mut removed: Vec<Vec<u64>> = groups.iter().map(|g| vec![0u64; g.len()]).collect();
    let bits: Vec<u8> = incidents
        .iter()
        .map(|i| {
            exclusion_of(i.kind)
                .and_then(|k| kinds.iter().position(|x| *x == k))
                .map_or(0, |b| 1 << b)
        })
        .collect();
    let queue_sets: Vec<Vec<bool>> = incidents
        .iter()
        .map(|i| {
            table
                .queue_dict()
                .iter()
                .map(|q| i.queues.iter().any(|x| x == q))
                .collect()
        })
        .collect();
    let lo = incidents.iter().map(|i| i.start_ms).min().unwrap_or(0);
    let hi = incidents.iter().map(|i| i.end_ms).max().unwrap_or(0);
    let mut covering: Vec<usize> = Vec::new();
    for (row, mark) in marks.iter_mut().enumerate() {
        let t = table.arrived_at_ms(row);
        if t < lo || t >= hi {
            continue;
        }
        covering.clear();
        for (n, inc) in incidents.iter().enumerate() {
            if t >= inc.start_ms
                && t < inc.end_ms
                && (inc.queues.is_empty()
                    || queue_sets[n]
                        .get(table.queue(row) as usize)
                        .copied()
                        .unwrap_or(false))
            {
                *mark |= bits[n];
                covering.push(n);
            }
        }
        if covering.is_empty() {
            continue;
        }
        for (g, counts) in groups.iter().zip(&mut removed) {
            if let Some(p) = g.iter().position(|n| covering.contains(n)) {
                counts[p] += 1;
            }
        }
    }
    (marks, removed)
}

/// Registers each service's daily offered volume.
fn register_volumes(
    contract: &Contract,
    table: &InteractionTable,
    tally: &mut Tally<'_>,
) -> Vec<Figure> {
    contract
        .doc
        .scope
        .services
        .iter()
        .map(|s| {
            let scope = ContactScope::of_component(
                std::slice::from_ref(&s.id),
                &[],
                &[],
                &contract.doc.scope.services,
            );
            tally.add(RowScope::new(&scope, table), Quantity::OfferedByDay)
        })
        .collect()
}

fn service_volumes(
    contract: &Contract,
    days: &[(i64, String)],
    tally: &Tally<'_>,
    figures: &[Figure],
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
    contract
        .doc
        .scope
        .services
        .iter()
        .zip(figures)
        .map(|(s, f)| {
            let per_day = tally.daily(*f);
            let daily: Vec<(String, u64)> = days
                .iter()
                .zip(per_day)
                .filter(|(_, n)| **n > 0)
                .map(|((_, label), n)| (label.clone(), *n as u64))
                .collect();
            ServiceVolume {
                service: s.id.clone(),
                forecast: s.forecast_monthly_volume,
                band_low: s.forecast_monthly_volume.map(|f| edge(f, -Decimal::ONE)),
                band_high: s.forecast_monthly_volume.map(|f| edge(f, Decimal::ONE)),
                offered: tally.total(*f) as u64,
                daily,
            }
        })
        .collect()
}

use rust_decimal::prelude::ToPrimitive;

/// What `volume_above_flex` compares for one SLA: its services' offered volume (registered
/// in the tally), their summed forecast and their ids.
struct FlexCheck {
    offered: Figure,
    forecast: u64,
    flex: Decimal,
    ids: Vec<String>,
}

/// Registers the offered volume of the SLA's services when it lists `volume_above_flex` and
/// they have a forecast.
fn register_flex(
    contract: &Contract,
    sla: &SlaTerms,
    table: &InteractionTable,
    tally: &mut Tally<'_>,
) -> Option<FlexCheck> {
    if !sla.exclusions.contains(&Exclusion::VolumeAboveFlex) {
        return None;
    }
    let flex = contract.doc.scope.flex_band_percent?;
    let services = sla.scope.services_covered(&contract.doc.scope.services);
    let forecast: u64 = services
        .iter()
        .map(|s| s.forecast_monthly_volume.unwrap_or(0))
        .sum();
    if forecast == 0 {
        return None;
    }
    let ids: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
    let scope = ContactScope::of_component(&ids, &[], &[], &contract.doc.scope.services);
    Some(FlexCheck {
        offered: tally.add(RowScope::new(&scope, table), Quantity::Offered),
        forecast,
        flex,
        ids,
    })
}

/// `volume_above_flex`: the SLA's services, together, above forecast × (1 + flex).
fn flex_excuse(check: &FlexCheck, tally: &Tally<'_>) -> Option<AppliedExclusion> {
    let FlexCheck { forecast, flex, .. } = *check;
    let actual = tally.total(check.offered);
    let ceiling = Decimal::from(forecast) * (Decimal::ONE_HUNDRED + flex) / Decimal::ONE_HUNDRED;
    (Decimal::from(actual) > ceiling).then(|| AppliedExclusion {
        kind: Exclusion::VolumeAboveFlex,
        reference: check.ids.join("+"),
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

/// Whether a measured value meets a level in the metric's direction (exact decimals: the
/// same comparison for a month's value and for each interval's).
fn meets(value: Decimal, level: Decimal, direction: Direction) -> bool {
    match direction {
        Direction::HigherIsBetter => value >= level,
        Direction::LowerIsBetter => value <= level,
    }
}

/// How one period's value fared against the target in force on the period's own date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodVerdict {
    /// The value in exact decimals (rates from exact counts computed in decimal).
    pub value: Decimal,
    /// The expected level in force that day.
    pub expected: Decimal,
    /// Whether the value meets it.
    pub met_expected: bool,
    /// Whether the value meets the minimum in force (true when there is none).
    pub met_minimum: bool,
}

/// Judges one period of `sla`'s measurement (an interval or a day) the way a per-period SLA
/// is judged: `None` when the period has no data or no target is in force on its date. The
/// dashboard's interval heatmap and settlement read the same comparison.
pub fn period_verdict(
    contract: &Contract,
    sla: &SlaTerms,
    period: &PeriodValue,
) -> Option<PeriodVerdict> {
    let direction = sla.measure.direction();
    let value = to_decimal(&period.value, sla.measure.unit())?;
    let date = jiff::Timestamp::from_millisecond(period.period.start_ms)
        .ok()?
        .to_zoned(contract.time_zone.clone())
        .date();
    let target = sla.target_on(pacta_contract::Date(date))?;
    Some(PeriodVerdict {
        value,
        expected: target.expected,
        met_expected: meets(value, target.expected, direction),
        met_minimum: target.minimum.is_none_or(|m| meets(value, m, direction)),
    })
}

fn judge_sla(
    contract: &Contract,
    sla: &SlaTerms,
    report: &KpiReport,
    first_day: Date,
    exclusions: Vec<AppliedExclusion>,
    excused_by_flex: bool,
) -> Result<SlaOutcome, SettleError> {
    let missing_excused = sla.missing_data == pacta_contract::MissingData::Excused;
    let result = report.get(&sla.id);
    let (unit, direction) = (sla.measure.unit(), sla.measure.direction());
    let periods: Vec<PeriodValue> = result
        .and_then(|r| r.groups.first())
        .map(|g| g.periods.clone())
        .unwrap_or_default();
    let daily = report
        .get(&format!("{}{DAY_SUFFIX}", sla.id))
        .or(if sla.period == PeriodKind::Day {
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
    let month_target = sla.target_on(pacta_contract::Date(first_day));
    let mut outcome = SlaOutcome {
        sla_id: sla.id.clone(),
        name: sla.name.clone(),
        metric: sla.measure.metric_name().to_string(),
        variant: sla.measure.variant_name().to_string(),
        class: sla.class,
        period: sla.period,
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
        period_marks: Vec::new(),
        reasoning: String::new(),
    };
    let higher = direction == Direction::HigherIsBetter;
    if sla.is_per_period() {
        let required = sla.required_share_percent.unwrap_or(Decimal::ONE_HUNDRED);
        let (mut with_data, mut met_expected, mut met_minimum) = (0u64, 0u64, 0u64);
        for p in &periods {
            let Some(verdict) = period_verdict(contract, sla, p) else {
                continue;
            };
            with_data += 1;
            met_expected += u64::from(verdict.met_expected);
            met_minimum += u64::from(verdict.met_minimum);
            outcome
                .period_marks
                .push(PeriodMark::of(&p.period.label, &verdict));
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

/// The row figures a pricing component's quantity comes from.
enum UsageFigures {
    /// Not counted from interactions (flat fees).
    None,
    /// Contacts, minutes (ms) or outcomes in the component's scope.
    Quantity(Figure),
    /// Hourly components scoped to some services: their handle time and everyone's.
    Share { mine: Figure, all: Figure },
}

/// Registers what each pricing component counts, in the order of `pricing.components`.
fn register_usage(
    contract: &Contract,
    table: &InteractionTable,
    tally: &mut Tally<'_>,
) -> Vec<UsageFigures> {
    let Some(pricing) = &contract.doc.pricing else {
        return Vec::new();
    };
    pricing
        .components
        .iter()
        .map(|c| {
            let scope = || {
                let scope = ContactScope::of_component(
                    &c.services,
                    &c.channels,
                    &c.languages,
                    &contract.doc.scope.services,
                );
                RowScope::new(&scope, table)
            };
            match c.unit {
                PriceUnit::FlatMonthly => UsageFigures::None,
                PriceUnit::HandledContact => {
                    UsageFigures::Quantity(tally.add(scope(), Quantity::Handled))
                }
                PriceUnit::TalkMinute => {
                    UsageFigures::Quantity(tally.add(scope(), Quantity::TalkMs))
                }
                PriceUnit::HandleMinute => {
                    UsageFigures::Quantity(tally.add(scope(), Quantity::HandleMs))
                }
                PriceUnit::Outcome => {
                    let wanted = disposition_key(c.outcome.as_deref().unwrap_or("sale"));
                    let ok = table
                        .disposition_dict()
                        .iter()
                        .map(|d| disposition_key(d) == wanted)
                        .collect();
                    UsageFigures::Quantity(tally.add(scope(), Quantity::Outcome(ok)))
                }
                PriceUnit::LoggedHour | PriceUnit::ProductiveHour => {
                    if c.services.is_empty() && c.channels.is_empty() && c.languages.is_empty() {
                        UsageFigures::None
                    } else {
                        UsageFigures::Share {
                            mine: tally.add(scope(), Quantity::HandleMs),
                            all: tally.add(RowScope::all(table), Quantity::HandleMs),
                        }
                    }
                }
            }
        })
        .collect()
}

fn measure_usage(
    contract: &Contract,
    inputs: &MonthInputs<'_>,
    tz: &TimeZone,
    (start, end): (i64, i64),
    tally: &Tally<'_>,
    figures: &[UsageFigures],
) -> Usage {
    let mut usage = Usage::default();
    let Some(pricing) = &contract.doc.pricing else {
        return usage;
    };
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
    for (c, fig) in pricing.components.iter().zip(figures) {
        let mut u = ComponentUsage::default();
        match c.unit {
            PriceUnit::FlatMonthly => u.units = Decimal::ONE,
            PriceUnit::HandledContact
            | PriceUnit::TalkMinute
            | PriceUnit::HandleMinute
            | PriceUnit::Outcome => {
                let value = match fig {
                    UsageFigures::Quantity(f) => tally.total(*f),
                    _ => 0,
                };
                u.units = if matches!(c.unit, PriceUnit::TalkMinute | PriceUnit::HandleMinute) {
                    round_qty(Decimal::from(value) / Decimal::from(60_000))
                } else {
                    Decimal::from(value)
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
                let share = match fig {
                    UsageFigures::Share { mine, all } => {
                        let (mine, all) = (tally.total(*mine), tally.total(*all));
                        if all == 0 {
                            Decimal::ZERO
                        } else {
                            Decimal::from(mine) / Decimal::from(all)
                        }
                    }
                    _ => Decimal::ONE,
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

/// The longest repeat-contact FCR window of the contract, in days (0 when none).
pub fn fcr_window_days(contract: &Contract) -> u32 {
    contract
        .slas()
        .iter()
        .filter_map(|s| match s.measure {
            Measure::FcrRepeatContact { window_days, .. } => Some(window_days),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// Per interaction row, the id of the accepted incident whose window excludes it from `sla`
/// (`None` = not excluded): the same windows, kinds and queues [`settle_month`] marks, and
/// for a row in several windows the first incident in `incidents` order, as the settlement
/// counts `contacts_removed`.
pub fn excluding_incidents<'i>(
    contract: &Contract,
    month: Month,
    table: &InteractionTable,
    incidents: &'i [Incident],
    sla: &SlaTerms,
) -> Result<Vec<Option<&'i str>>, SettleError> {
    let (month_start, month_end) = month.bounds_ms(&contract.time_zone)?;
    let applying: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.accepted && i.start_ms < month_end && i.end_ms > month_start)
        .filter(|i| exclusion_of(i.kind).is_some_and(|k| sla.exclusions.contains(&k)))
        .collect();
    let queue_dict = table.queue_dict();
    Ok((0..table.row_count())
        .map(|row| {
            let t = table.arrived_at_ms(row);
            let queue = queue_dict.get(table.queue(row) as usize);
            applying
                .iter()
                .find(|inc| {
                    t >= inc.start_ms
                        && t < inc.end_ms
                        && (inc.queues.is_empty()
                            || queue.is_some_and(|q| inc.queues.iter().any(|x| x == q)))
                })
                .map(|inc| inc.incident_id.as_str())
        })
        .collect())
}
