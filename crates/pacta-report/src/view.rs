//! The report's view model: every figure of a settlement formatted for one reader, and every
//! chart drawn, ready for a template to lay out.

use std::collections::BTreeMap;

use pacta_contract::metrics::{Direction, Unit};
use pacta_contract::{Contract, Lang, SlaClass};
use pacta_settle::Settlement;
use pacta_settle::month::{ServiceVolume, SlaOutcome};
use pacta_terms::credits::CreditStatement;
use pacta_terms::credits::MonthRecord;
use pacta_terms::pricing::Invoice;
use pacta_terms::reconcile::{DiscrepancyKind, Reconciliation};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::charts::{
    self, Cell, DailyChart, DailyPoint, Heatmap, HistoryRow, ShareBar, ShareChart, Step, VolumeBar,
    WaterfallBar,
};
use crate::labels;
use pacta_core::fmt;

/// How many settled months the history shows (the settled month included).
pub const HISTORY_MONTHS: usize = 12;

/// Everything the templates print.
#[derive(Debug, Serialize)]
pub struct ReportView {
    /// `en` or `es` (the page's `lang` attribute).
    pub lang: &'static str,
    /// Labels by key in the reader's language.
    pub t: BTreeMap<&'static str, &'static str>,
    /// Contract id.
    pub contract_id: String,
    /// Contract title.
    pub contract_title: String,
    /// Client's legal name.
    pub client: String,
    /// Provider's legal name.
    pub provider: String,
    /// The settled month, written out (`October 2026`).
    pub month_label: String,
    /// The settled month, `YYYY-MM`.
    pub month: String,
    /// IANA time zone the month was cut in.
    pub time_zone: String,
    /// ISO currency code.
    pub currency: String,
    /// Contacts arriving in the month.
    pub contacts_in_month: String,
    /// Of which outside hours of operation.
    pub outside_hours: String,
    /// What the data behind this report lacks, one line each; empty when complete. Shown as a
    /// banner above everything, so a report built from partial data never looks final.
    pub partial_data: Vec<String>,
    /// The caveat on FCR while the next month is not imported, when it applies.
    pub fcr_note: Option<String>,
    /// Headline figures.
    pub summary: Summary,
    /// One row per SLA.
    pub slas: Vec<SlaRow>,
    /// Exclusions applied, across SLAs.
    pub exclusions: Vec<ExclusionRow>,
    /// Volume per service against forecast.
    pub volumes: Vec<VolumeRow>,
    /// The credit statement.
    pub credits: CreditsView,
    /// The invoice pacta computed.
    pub invoice: InvoiceView,
    /// The reconciliation, when a vendor invoice was given.
    pub reconciliation: Option<ReconciliationView>,
    /// Settled months shown in the history.
    pub history_months: Vec<String>,
    /// The charts, as SVG.
    pub charts: Charts,
}

/// Headline figures.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// SLAs met.
    pub met: usize,
    /// SLAs judged (excused ones left out: they are neither met nor missed).
    pub judged: usize,
    /// SLAs excused.
    pub excused: usize,
    /// SLAs in the contract.
    pub total: usize,
    /// SLAs missed or below minimum.
    pub missed: usize,
    /// Service charges.
    pub service_charges: String,
    /// Credits before caps.
    pub gross_credit: String,
    /// Credit due after caps.
    pub credit_due: String,
    /// Net to the client.
    pub net_to_client: String,
    /// Invoice total.
    pub invoice_total: String,
    /// Vendor invoice minus expected, when reconciled.
    pub vendor_difference: Option<String>,
    /// Whether the vendor invoice differs.
    pub vendor_differs: bool,
}

/// One SLA in the scorecard.
#[derive(Debug, Serialize)]
pub struct SlaRow {
    /// SLA id.
    pub id: String,
    /// SLA name.
    pub name: String,
    /// Class label.
    pub class: &'static str,
    /// Metric and variant, e.g. `service_level / abandons_against`.
    pub metric: String,
    /// The formula with its parameters.
    pub formula: String,
    /// What the formula measures, in plain words.
    pub in_words: String,
    /// Why an excused SLA is excused.
    pub excuse: Option<String>,
    /// The counts the formula used.
    pub inputs: String,
    /// Measured value with unit.
    pub measured: String,
    /// Target with direction sign (and the share of periods for per-period SLAs).
    pub target: String,
    /// Minimum level.
    pub minimum: String,
    /// `n / m periods met` for per-period SLAs.
    pub periods: Option<String>,
    /// Date the target came into force.
    pub target_from: Option<String>,
    /// Verdict label.
    pub status: &'static str,
    /// Verdict key (CSS class).
    pub status_key: &'static str,
    /// The value rests on incomplete data.
    pub approximate: bool,
    /// Exclusions applied to this SLA.
    pub exclusions: usize,
    /// The engine's reasoning, one line.
    pub reasoning: String,
}

/// One exclusion applied.
#[derive(Debug, Serialize)]
pub struct ExclusionRow {
    /// SLA id.
    pub sla: String,
    /// Reason label.
    pub kind: &'static str,
    /// Incident id or rule.
    pub reference: String,
    /// Contacts removed.
    pub contacts_removed: String,
    /// Detail.
    pub detail: String,
}

/// One service's volume.
#[derive(Debug, Serialize)]
pub struct VolumeRow {
    /// Service id.
    pub service: String,
    /// Forecast.
    pub forecast: String,
    /// Band `low – high`.
    pub band: String,
    /// Offered.
    pub offered: String,
    /// Offered vs forecast, signed percent.
    pub vs_forecast: String,
    /// Position against the band.
    pub position: &'static str,
}

/// The credit statement.
#[derive(Debug, Serialize)]
pub struct CreditsView {
    /// Monthly charges credits are computed on.
    pub charges: String,
    /// At-risk amount.
    pub at_risk: String,
    /// Monthly cap.
    pub monthly_cap: String,
    /// Room under the rolling cap.
    pub rolling_room: Option<String>,
    /// Sum before caps.
    pub gross: String,
    /// Credit due after caps.
    pub credit: String,
    /// Net to client.
    pub net_to_client: String,
    /// Per-SLA lines (only SLAs that owe something or earned points).
    pub lines: Vec<CreditRow>,
    /// Points credit, when a points scheme applies.
    pub points_credit: Option<String>,
    /// Earn-backs.
    pub earn_backs: Vec<AmountRow>,
    /// Bonuses.
    pub bonuses: Vec<AmountRow>,
    /// Bonus pool movement: opening, change, paid, closing.
    pub bonus_pool: Option<[String; 4]>,
    /// Chronic triggers.
    pub chronic: Vec<ChronicRow>,
    /// The arithmetic, step by step.
    pub steps: Vec<String>,
}

/// One SLA's credit.
#[derive(Debug, Serialize)]
pub struct CreditRow {
    /// SLA id.
    pub sla: String,
    /// Verdict label.
    pub status: &'static str,
    /// Verdict key.
    pub status_key: &'static str,
    /// Allocation credit.
    pub allocation_credit: String,
    /// Fixed credit.
    pub fixed_credit: String,
    /// Points.
    pub points: u32,
    /// After caps (pro rata).
    pub after_caps: String,
    /// Explanation.
    pub explanation: String,
}

/// A labelled amount (earn-back, bonus).
#[derive(Debug, Serialize)]
pub struct AmountRow {
    /// What.
    pub label: String,
    /// Amount.
    pub amount: String,
    /// Explanation.
    pub explanation: String,
}

/// A chronic trigger that fired.
#[derive(Debug, Serialize)]
pub struct ChronicRow {
    /// Trigger id.
    pub trigger: String,
    /// SLA id.
    pub sla: String,
    /// Remedy label.
    pub remedy: &'static str,
    /// Escalated credit.
    pub credit: String,
    /// Explanation.
    pub explanation: String,
}

/// The invoice.
#[derive(Debug, Serialize)]
pub struct InvoiceView {
    /// Lines.
    pub lines: Vec<InvoiceRow>,
    /// Total.
    pub total: String,
}

/// One invoice line.
#[derive(Debug, Serialize)]
pub struct InvoiceRow {
    /// Item.
    pub item: String,
    /// Kind label.
    pub kind: &'static str,
    /// Quantity.
    pub quantity: String,
    /// Unit.
    pub unit: String,
    /// Rate.
    pub rate: String,
    /// Amount.
    pub amount: String,
    /// Note.
    pub note: String,
}

/// The reconciliation.
#[derive(Debug, Serialize)]
pub struct ReconciliationView {
    /// Vendor's total.
    pub invoiced_total: String,
    /// pacta's total.
    pub expected_total: String,
    /// Difference.
    pub difference: String,
    /// Differences line by line.
    pub discrepancies: Vec<DiscrepancyRow>,
}

/// One difference.
#[derive(Debug, Serialize)]
pub struct DiscrepancyRow {
    /// Item.
    pub item: String,
    /// Kind label.
    pub kind: &'static str,
    /// Expected.
    pub expected: String,
    /// Invoiced.
    pub invoiced: String,
    /// Difference.
    pub difference: String,
    /// Expected, with its unit: the line's unit for a quantity, the currency otherwise.
    pub expected_with_unit: String,
    /// Invoiced, with its unit.
    pub invoiced_with_unit: String,
    /// For a quantity difference: invoiced − expected quantity in the line's unit, signed.
    pub quantity_difference: Option<String>,
    /// The money difference (invoiced − expected amount) in the currency, signed.
    pub money_difference: String,
}

/// The charts.
#[derive(Debug, Serialize)]
pub struct Charts {
    /// One daily chart per SLA with daily data (critical and key SLAs); for an interval SLA
    /// the share of each day's intervals at target and the day × interval heatmap instead.
    pub daily: Vec<String>,
    /// The day × interval heatmaps of interval SLAs (full width).
    pub heatmaps: Vec<String>,
    /// Volume against forecast band (empty when no service has volume or forecast).
    pub volume: String,
    /// Credit waterfall.
    pub waterfall: String,
    /// Scorecard history.
    pub history: String,
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn unit_suffix(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "%",
        Unit::Seconds => "s",
        Unit::Hours => "h",
        Unit::Score | Unit::Count => "",
    }
}

fn value_text(v: f64, unit: Unit, lang: Lang) -> String {
    match unit {
        Unit::Percent => format!("{} %", fmt::float(v, 2, lang)),
        Unit::Seconds => format!("{} s", fmt::float(v, 1, lang)),
        Unit::Hours => format!("{} h", fmt::float(v, 1, lang)),
        Unit::Score => fmt::float(v, 2, lang),
        Unit::Count => fmt::float(v, 0, lang),
    }
}

fn level_text(d: Decimal, unit: Unit, lang: Lang) -> String {
    let n = fmt::number(d, lang);
    match unit_suffix(unit) {
        "" => n,
        s => format!("{n} {s}"),
    }
}

fn sign(o: &SlaOutcome) -> &'static str {
    if o.direction == Direction::HigherIsBetter {
        "≥"
    } else {
        "≤"
    }
}

fn excuse(o: &SlaOutcome, lang: Lang) -> Option<String> {
    if o.status != pacta_terms::Status::Excused {
        return None;
    }
    let flex = o
        .exclusions
        .iter()
        .find(|e| e.kind == pacta_contract::Exclusion::VolumeAboveFlex);
    Some(match flex {
        Some(e) => format!(
            "{} ({})",
            labels::get("excused_flex", lang),
            labels::prose(&e.detail, lang)
        ),
        None => labels::get("excused_missing_data", lang).to_string(),
    })
}

fn is_interval(o: &SlaOutcome) -> bool {
    o.period == pacta_contract::PeriodKind::Interval
}

fn sla_row(o: &SlaOutcome, lang: Lang) -> SlaRow {
    let target = match (&o.expected, o.periods) {
        (None, _) => "—".to_string(),
        (Some(e), Some(_)) => format!(
            "{} {} {} {} %",
            sign(o),
            level_text(*e, o.unit, lang),
            labels::get("in_periods", lang),
            fmt::number(o.required_share.unwrap_or(Decimal::ONE_HUNDRED), lang)
        ),
        (Some(e), None) => format!("{} {}", sign(o), level_text(*e, o.unit, lang)),
    };
    let inputs = o
        .value
        .inputs
        .iter()
        .map(|(k, v)| {
            // Word-like names (`known_customer`) read as words; symbols (`S_s`) stay.
            let name = if k
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
            {
                labels::prose(&k.replace('_', " "), lang)
            } else {
                k.to_string()
            };
            format!(
                "{name} = {}",
                fmt::float(*v, if v.fract() == 0.0 { 0 } else { 2 }, lang)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    SlaRow {
        id: o.sla_id.clone(),
        name: o.name.clone(),
        class: labels::class(o.class, lang),
        metric: if o.variant.is_empty() {
            o.metric.clone()
        } else {
            format!("{} / {}", o.metric, o.variant)
        },
        formula: if o.periods.is_some() {
            labels::periods_formula(is_interval(o), lang).to_string()
        } else {
            labels::prose(&o.value.formula, lang)
        },
        in_words: if o.periods.is_some() {
            format!(
                "{} {}",
                labels::periods_in_words(is_interval(o), lang),
                labels::metric_in_words(&o.metric, lang)
            )
        } else {
            labels::metric_in_words(&o.metric, lang).to_string()
        },
        excuse: excuse(o, lang),
        inputs,
        measured: o.value.value.map_or_else(
            || labels::get("no_data", lang).to_string(),
            |v| value_text(v, o.unit, lang),
        ),
        target,
        minimum: o.minimum.map_or_else(
            || "—".into(),
            |m| format!("{} {}", sign(o), level_text(m, o.unit, lang)),
        ),
        periods: o.periods.map(|(all, met)| {
            format!(
                "{} / {} {}",
                fmt::integer(met, lang),
                fmt::integer(all, lang),
                labels::get("periods_met", lang)
            )
        }),
        target_from: o.target_from.clone(),
        status: labels::status(o.status, lang),
        status_key: labels::status_key(o.status),
        approximate: o.value.approximate,
        exclusions: o.exclusions.len(),
        reasoning: o.reasoning.clone(),
    }
}

fn day_label(day: &str) -> String {
    // `YYYY-MM-DD` → day of month without leading zero; anything else as given.
    day.rsplit('-')
        .next()
        .map(|d| d.trim_start_matches('0').to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| day.to_string())
}

/// Builds the view of a settled month. `history` may include the settled month itself or
/// later months; both are ignored in favour of the settlement's own record.
pub fn build(
    contract: &Contract,
    s: &Settlement,
    history: &[MonthRecord],
    lang: Lang,
) -> ReportView {
    let minor = contract.minor_units;
    let money = |d: Decimal| fmt::amount(d, minor, lang);
    let group = move |v: f64, places: usize| fmt::float(v, places, lang);
    let month = s.record.month;

    let slas: Vec<SlaRow> = s.slas.iter().map(|o| sla_row(o, lang)).collect();
    let met = s
        .slas
        .iter()
        .filter(|o| o.status == pacta_terms::Status::Met)
        .count();
    let excused = s
        .slas
        .iter()
        .filter(|o| o.status == pacta_terms::Status::Excused)
        .count();
    let missed = s.slas.iter().filter(|o| o.status.is_miss()).count();

    let exclusions = s
        .slas
        .iter()
        .flat_map(|o| {
            o.exclusions.iter().map(|e| ExclusionRow {
                sla: o.sla_id.clone(),
                kind: labels::exclusion(e.kind, lang),
                reference: e.reference.clone(),
                contacts_removed: fmt::integer(e.contacts_removed, lang),
                detail: labels::prose(&e.detail, lang),
            })
        })
        .collect();

    let volumes = volume_rows(&s.volumes, lang);

    let c = &s.credits;
    let credits = credits_view(c, minor, lang);

    let invoice = invoice_view(&s.invoice, minor, lang);

    let reconciliation = s
        .reconciliation
        .as_ref()
        .map(|r| reconciliation_view(r, &s.invoice, &s.currency, minor, lang));

    // History: earlier stored months, then this month's own record; the last 12.
    let mut months: Vec<&MonthRecord> = history.iter().filter(|r| r.month < month).collect();
    months.sort_by_key(|r| r.month);
    months.dedup_by_key(|r| r.month);
    months.push(&s.record);
    let skip = months.len().saturating_sub(HISTORY_MONTHS);
    let months = &months[skip..];
    let history_months: Vec<String> = months
        .iter()
        .map(|r| fmt::month_short(r.month, lang))
        .collect();
    // Every SLA, tracked ones too: a tracked SLA carries no credit but its trend matters.
    let history_rows: Vec<HistoryRow> = s
        .slas
        .iter()
        .map(|o| HistoryRow {
            label: o.sla_id.clone(),
            cells: months
                .iter()
                .map(|r| {
                    r.status.get(&o.sla_id).map(|st| {
                        let credit = r
                            .sla_credit
                            .get(&o.sla_id)
                            .copied()
                            .filter(|c| !c.is_zero())
                            .map(|c| fmt::float(f(c), 0, lang))
                            .unwrap_or_default();
                        (
                            labels::status_key(*st).to_string(),
                            format!(
                                "{} {}: {}",
                                o.sla_id,
                                fmt::month_short(r.month, lang),
                                labels::status(*st, lang)
                            ),
                            credit,
                        )
                    })
                })
                .collect(),
        })
        .collect();
    let history_credits: Vec<String> = months
        .iter()
        .map(|r| fmt::float(f(r.credit), 0, lang))
        .collect();

    let fcr_note = s
        .fcr_window_open
        .filter(|_| s.rows.in_month > 0)
        .map(|_| labels::get("fcr_provisional", lang).to_string());
    // Daily charts for SLAs that carry consequences (critical and key) and have daily data.
    // An interval SLA is charted by what its verdict counts: intervals at target.
    let mut heatmaps = Vec::new();
    let daily_charts = s
        .slas
        .iter()
        .filter(|o| o.class != SlaClass::Tracked && o.daily.iter().any(|d| d.value.is_some()))
        .map(|o| {
            if is_interval(o) && o.periods.is_some() {
                let (share, heat) = interval_charts(o, lang);
                heatmaps.push(heat);
                return share;
            }
            let provisional_from = match s.fcr_window_open {
                Some(days) if o.metric == "fcr" && s.rows.in_month > 0 => {
                    Some(o.daily.len().saturating_sub(days as usize))
                }
                _ => None,
            };
            let points: Vec<DailyPoint> = o
                .daily
                .iter()
                .map(|d| DailyPoint {
                    label: day_label(&d.day),
                    value: d.value,
                })
                .collect();
            let title = format!("{} · {}", o.sla_id, o.name);
            charts::daily(
                &DailyChart {
                    title: &title,
                    points: &points,
                    target: o.expected.map(f),
                    minimum: o.minimum.map(f),
                    higher_is_better: o.direction == Direction::HigherIsBetter,
                    unit: unit_suffix(o.unit),
                    target_label: labels::get("target", lang),
                    minimum_label: labels::get("minimum", lang),
                    x_title: labels::get("axis_day", lang),
                    y_title: &format!("{} ({})", o.sla_id, axis_unit(o.unit)),
                    legend: [
                        labels::get("legend_met_target", lang),
                        labels::get("legend_below_target", lang),
                        labels::get("legend_below_minimum", lang),
                    ],
                    provisional_from,
                    provisional_label: labels::get("provisional_days", lang),
                },
                &group,
            )
        })
        .collect();

    let volume_chart = volume_chart(&s.volumes, lang);

    let waterfall = waterfall_chart(c, minor, lang);
    let history_chart = charts::history(
        &history_months,
        &history_rows,
        &history_credits,
        labels::get("history_title", lang),
        labels::get("credit_row", lang),
        [
            labels::status(pacta_terms::Status::Met, lang),
            labels::status(pacta_terms::Status::Missed, lang),
            labels::status(pacta_terms::Status::BelowMinimum, lang),
            labels::status(pacta_terms::Status::Excused, lang),
            labels::get("legend_not_settled", lang),
        ],
    );

    let doc = &contract.doc;
    ReportView {
        lang: match lang {
            Lang::En => "en",
            Lang::Es => "es",
        },
        t: labels::table(lang),
        contract_id: s.contract_id.clone(),
        contract_title: doc.contract.title.clone(),
        client: doc.parties.client.legal_name.clone(),
        provider: doc.parties.provider.legal_name.clone(),
        month_label: fmt::month(month, lang),
        month: s.month.clone(),
        time_zone: s.time_zone.clone(),
        currency: s.currency.clone(),
        contacts_in_month: fmt::integer(s.rows.in_month, lang),
        outside_hours: fmt::integer(s.rows.outside_hours, lang),
        partial_data: partial_data(s, lang),
        fcr_note,
        summary: Summary {
            met,
            judged: s.slas.len() - excused,
            excused,
            total: s.slas.len(),
            missed,
            service_charges: money(s.invoice.service_charges),
            gross_credit: money(c.gross),
            credit_due: money(c.credit),
            net_to_client: money(c.net_to_client()),
            invoice_total: money(s.invoice.total),
            vendor_difference: s.reconciliation.as_ref().map(|r| money(r.difference)),
            vendor_differs: s
                .reconciliation
                .as_ref()
                .is_some_and(|r| !r.difference.is_zero()),
        },
        slas,
        exclusions,
        volumes,
        credits,
        invoice,
        reconciliation,
        history_months,
        charts: Charts {
            daily: daily_charts,
            heatmaps,
            volume: volume_chart,
            waterfall,
            history: history_chart,
        },
    }
}

fn axis_unit(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "%",
        Unit::Seconds => "s",
        Unit::Hours => "h",
        Unit::Score | Unit::Count => "#",
    }
}

/// What the data behind a settlement lacks, one line per gap, in the reader's language: a
/// month without interactions, each SLA without data (and what it is measured from), each
/// SLA measured from incomplete data.
pub fn partial_data(s: &Settlement, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    if s.rows.in_month == 0 {
        lines.push(labels::get("banner_no_interactions", lang).to_string());
    }
    for o in &s.slas {
        if o.value.value.is_none() {
            lines.push(format!(
                "{} {} ({}): {}",
                labels::get("banner_no_data_for", lang),
                o.sla_id,
                labels::metric_source(&o.metric, lang),
                labels::status(o.status, lang)
            ));
        } else if o.value.approximate {
            lines.push(format!(
                "{}: {}",
                labels::get("banner_approximate", lang),
                o.sla_id
            ));
        }
    }
    lines
}

/// Each day's intervals with data and those at target, from the verdict's own marks; `days`
/// in order (days without intervals get an empty bar).
pub fn daily_shares(marks: &[pacta_settle::month::PeriodMark], days: &[String]) -> Vec<ShareBar> {
    days.iter()
        .map(|day| {
            let (with_data, met) = marks
                .iter()
                .filter(|m| &m.day == day)
                .fold((0u64, 0u64), |(n, k), m| {
                    (n + 1, k + u64::from(m.met_expected))
                });
            ShareBar {
                label: day_label(day),
                with_data,
                met,
            }
        })
        .collect()
}

/// The heatmap grid of an interval SLA: rows are `days`, columns the distinct interval start
/// times in order; `None` where an interval had no data.
pub fn interval_grid(
    marks: &[pacta_settle::month::PeriodMark],
    days: &[String],
) -> (Vec<String>, Vec<Vec<Option<Cell>>>) {
    let mut times: Vec<String> = marks.iter().map(|m| m.time.clone()).collect();
    times.sort();
    times.dedup();
    let mut grid = vec![vec![None; times.len()]; days.len()];
    for m in marks {
        let (Some(i), Ok(j)) = (
            days.iter().position(|d| *d == m.day),
            times.binary_search(&m.time),
        ) else {
            continue;
        };
        grid[i][j] = Some(match (m.met_expected, m.met_minimum) {
            (true, _) => Cell::Met,
            (false, true) => Cell::Missed,
            (false, false) => Cell::Below,
        });
    }
    (times, grid)
}

/// The share-at-target chart and the heatmap of an interval SLA.
fn interval_charts(o: &SlaOutcome, lang: Lang) -> (String, String) {
    let group = move |v: f64, places: usize| fmt::float(v, places, lang);
    let mut days: Vec<String> = o.daily.iter().map(|d| d.day.clone()).collect();
    for m in &o.period_marks {
        if !days.contains(&m.day) {
            days.push(m.day.clone());
        }
    }
    days.sort();
    let bars = daily_shares(&o.period_marks, &days);
    let title = format!(
        "{} · {}",
        o.sla_id,
        labels::get("interval_share_title", lang)
    );
    let share = charts::share_at_target(
        &ShareChart {
            title: &title,
            bars: &bars,
            required: o.required_share.map_or(100.0, f),
            required_label: labels::get("required_share", lang),
            x_title: labels::get("axis_day", lang),
            y_title: labels::get("axis_share_at_target", lang),
            legend: [
                labels::get("legend_share_reached", lang),
                labels::get("legend_share_short", lang),
            ],
        },
        &group,
    );
    let (times, grid) = interval_grid(&o.period_marks, &days);
    let day_labels: Vec<String> = days.iter().map(|d| day_label(d)).collect();
    let heat_title = format!("{} · {}", o.sla_id, labels::get("heatmap_title", lang));
    let heat = charts::heatmap(&Heatmap {
        title: &heat_title,
        days: &day_labels,
        times: &times,
        cells: &grid,
        x_title: labels::get("axis_time", lang),
        y_title: labels::get("axis_day", lang),
        legend: [
            labels::get("legend_met_target", lang),
            labels::get("legend_below_target", lang),
            labels::get("legend_below_minimum", lang),
            labels::get("legend_no_data", lang),
        ],
    });
    (share, heat)
}

/// The credit statement formatted for one reader (amounts in the currency's `minor` units).
pub fn credits_view(c: &CreditStatement, minor: u32, lang: Lang) -> CreditsView {
    let money = |d: Decimal| fmt::amount(d, minor, lang);
    CreditsView {
        charges: money(c.charges),
        at_risk: money(c.at_risk),
        monthly_cap: money(c.monthly_cap),
        rolling_room: c.rolling_room.map(money),
        gross: money(c.gross),
        credit: money(c.credit),
        net_to_client: money(c.net_to_client()),
        lines: c
            .lines
            .iter()
            .filter(|l| !l.allocation_credit.is_zero() || !l.fixed_credit.is_zero() || l.points > 0)
            .map(|l| CreditRow {
                sla: l.sla_id.clone(),
                status: labels::status(l.status, lang),
                status_key: labels::status_key(l.status),
                allocation_credit: money(l.allocation_credit),
                fixed_credit: money(l.fixed_credit),
                points: l.points,
                after_caps: money(c.sla_credit.get(&l.sla_id).copied().unwrap_or_default()),
                explanation: labels::prose(&l.explanation, lang),
            })
            .collect(),
        points_credit: (!c.points_credit.is_zero()).then(|| money(c.points_credit)),
        earn_backs: c
            .earn_backs
            .iter()
            .map(|e| AmountRow {
                label: format!("{} ({})", e.sla_id, fmt::month_short(e.from_month, lang)),
                amount: money(e.amount),
                explanation: String::new(),
            })
            .collect(),
        bonuses: c
            .bonuses
            .iter()
            .map(|b| AmountRow {
                label: b.bonus_id.clone(),
                amount: money(b.amount),
                explanation: labels::prose(&b.explanation, lang),
            })
            .collect(),
        bonus_pool: c.bonus_pool.as_ref().map(|p| {
            [
                money(p.opening),
                money(p.change),
                money(p.paid),
                money(p.closing),
            ]
        }),
        chronic: c
            .chronic
            .iter()
            .map(|ch| ChronicRow {
                trigger: ch.trigger_id.clone(),
                sla: ch.sla_id.clone(),
                remedy: labels::remedy(ch.remedy, lang),
                credit: money(ch.credit),
                explanation: labels::prose(&ch.explanation, lang),
            })
            .collect(),
        steps: c.steps.iter().map(|st| labels::prose(st, lang)).collect(),
    }
}

/// The invoice formatted for one reader.
pub fn invoice_view(invoice: &Invoice, minor: u32, lang: Lang) -> InvoiceView {
    let money = |d: Decimal| fmt::amount(d, minor, lang);
    InvoiceView {
        lines: invoice
            .lines
            .iter()
            .map(|l| InvoiceRow {
                item: l.item.clone(),
                kind: labels::line_kind(l.kind, lang),
                quantity: fmt::number(l.quantity, lang),
                unit: labels::unit(&l.unit, lang),
                rate: money(l.rate),
                amount: money(l.amount),
                note: labels::prose(&l.note, lang),
            })
            .collect(),
        total: money(invoice.total),
    }
}

/// The reconciliation formatted for one reader. Besides the report's columns, each
/// difference carries its figures with their unit: a quantity difference in the invoice
/// line's unit (`+12.50 hours`), a money difference in the currency.
pub fn reconciliation_view(
    r: &Reconciliation,
    invoice: &Invoice,
    currency: &str,
    minor: u32,
    lang: Lang,
) -> ReconciliationView {
    let money = |d: Decimal| fmt::amount(d, minor, lang);
    let in_currency = |d: Decimal| format!("{} {currency}", money(d));
    let signed = |d: Decimal, text: String| {
        if d > Decimal::ZERO {
            format!("+{text}")
        } else {
            text
        }
    };
    ReconciliationView {
        invoiced_total: money(r.invoiced_total),
        expected_total: money(r.expected_total),
        difference: money(r.difference),
        discrepancies: r
            .discrepancies
            .iter()
            .map(|d| {
                let unit_name = invoice
                    .lines
                    .iter()
                    .find(|l| l.item == d.item)
                    .map(|l| l.unit.clone())
                    .unwrap_or_default();
                let unit = |q: Decimal| labels::unit_counted(&unit_name, q, lang);
                let quantity = d.kind == DiscrepancyKind::Quantity;
                let figure = |v: Option<Decimal>| match v {
                    None => "—".to_string(),
                    Some(q) if quantity => format!("{} {}", fmt::number(q, lang), unit(q)),
                    Some(m) => in_currency(m),
                };
                DiscrepancyRow {
                    item: d.item.clone(),
                    kind: labels::discrepancy(d.kind, lang),
                    expected: d.expected.map_or_else(|| "—".into(), money),
                    invoiced: d.invoiced.map_or_else(|| "—".into(), money),
                    difference: money(d.difference),
                    expected_with_unit: figure(d.expected),
                    invoiced_with_unit: figure(d.invoiced),
                    quantity_difference: match (quantity, d.expected, d.invoiced) {
                        (true, Some(e), Some(i)) => Some(signed(
                            i - e,
                            format!("{} {}", fmt::number(i - e, lang), unit(i - e)),
                        )),
                        _ => None,
                    },
                    money_difference: signed(d.difference, in_currency(d.difference)),
                }
            })
            .collect(),
    }
}

/// Each service's volume against its forecast band, formatted for one reader.
pub fn volume_rows(volumes: &[ServiceVolume], lang: Lang) -> Vec<VolumeRow> {
    volumes
        .iter()
        .map(|v| {
            let position = match (v.band_low, v.band_high) {
                (Some(lo), _) if v.offered < lo => labels::get("below_band", lang),
                (_, Some(hi)) if v.offered > hi => labels::get("above_band", lang),
                (Some(_), Some(_)) => labels::get("within_band", lang),
                _ => labels::get("no_forecast", lang),
            };
            VolumeRow {
                service: v.service.clone(),
                forecast: v
                    .forecast
                    .map_or_else(|| "—".into(), |x| fmt::integer(x, lang)),
                band: match (v.band_low, v.band_high) {
                    (Some(lo), Some(hi)) => {
                        format!("{} – {}", fmt::integer(lo, lang), fmt::integer(hi, lang))
                    }
                    _ => "—".into(),
                },
                offered: fmt::integer(v.offered, lang),
                vs_forecast: v.forecast.filter(|f| *f > 0).map_or_else(
                    || "—".into(),
                    |fc| {
                        let pct = (v.offered as f64 / fc as f64 - 1.0) * 100.0;
                        format!(
                            "{}{} %",
                            if pct >= 0.0 { "+" } else { "" },
                            fmt::float(pct, 1, lang)
                        )
                    },
                ),
                position,
            }
        })
        .collect()
}

/// The chart of each service's volume against its forecast band (empty without services).
pub fn volume_chart(volumes: &[ServiceVolume], lang: Lang) -> String {
    let group = move |v: f64, places: usize| fmt::float(v, places, lang);
    let bars: Vec<VolumeBar> = volumes
        .iter()
        .map(|v| VolumeBar {
            label: v.service.clone(),
            offered: v.offered as f64,
            forecast: v.forecast.map(|x| x as f64),
            band: v
                .band_low
                .zip(v.band_high)
                .map(|(lo, hi)| (lo as f64, hi as f64)),
        })
        .collect();
    if bars.is_empty() {
        String::new()
    } else {
        charts::volume(
            &bars,
            labels::get("volume_title", lang),
            labels::get("axis_contacts", lang),
            [
                labels::get("offered", lang),
                labels::get("legend_outside_band", lang),
                labels::get("legend_forecast", lang),
                labels::get("legend_band", lang),
            ],
            &group,
        )
    }
}

/// The credit waterfall chart (SVG, no style attribute: colours are presentation
/// attributes).
pub fn waterfall_chart(c: &CreditStatement, minor: u32, lang: Lang) -> String {
    let money = |d: Decimal| fmt::amount(d, minor, lang);
    let group = move |v: f64, places: usize| fmt::float(v, places, lang);
    charts::waterfall(
        &waterfall_bars(c, lang, &money),
        labels::get("waterfall_title", lang),
        labels::get("axis_amount", lang),
        [
            labels::get("legend_up", lang),
            labels::get("legend_down", lang),
            labels::get("legend_total", lang),
        ],
        &group,
    )
}

/// The waterfall from per-SLA credits to the month's net: the bars' running total ends at
/// [`CreditStatement::net_to_client`].
pub fn waterfall_bars(
    c: &CreditStatement,
    lang: Lang,
    money: &dyn Fn(Decimal) -> String,
) -> Vec<WaterfallBar> {
    let mut bars = Vec::new();
    let mut push = |label: String, amount: Decimal, step: Step| {
        if !amount.is_zero() {
            let shown = if step == Step::Down { -amount } else { amount };
            bars.push(WaterfallBar {
                label,
                amount: f(amount),
                step,
                text: money(shown),
            });
        }
    };
    for l in &c.lines {
        push(
            l.sla_id.clone(),
            l.allocation_credit + l.fixed_credit,
            Step::Up,
        );
    }
    push(
        labels::get("points", lang).into(),
        c.points_credit,
        Step::Up,
    );
    push(
        labels::get("caps", lang).into(),
        c.gross - c.credit,
        Step::Down,
    );
    for ch in &c.chronic {
        push(
            format!("{} {}", labels::get("escalated", lang), ch.trigger_id),
            ch.credit,
            Step::Up,
        );
    }
    for e in &c.earn_backs {
        push(
            format!("{} {}", labels::get("earn_back", lang), e.sla_id),
            e.amount,
            Step::Down,
        );
    }
    for b in &c.bonuses {
        push(
            format!("{} {}", labels::get("bonus", lang), b.bonus_id),
            b.amount,
            Step::Down,
        );
    }
    if let Some(p) = &c.bonus_pool {
        push(labels::get("bonus_pool", lang).into(), p.paid, Step::Down);
    }
    let net = c.net_to_client();
    bars.push(WaterfallBar {
        label: labels::get("net_to_client", lang).into(),
        amount: f(net),
        step: Step::Total,
        text: money(net),
    });
    bars
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacta_settle::month::PeriodMark;

    fn mark(day: &str, time: &str, met_expected: bool, met_minimum: bool) -> PeriodMark {
        PeriodMark {
            day: day.into(),
            time: time.into(),
            met_expected,
            met_minimum,
        }
    }

    #[test]
    fn daily_shares_count_each_days_intervals_at_target() {
        let marks = vec![
            mark("2026-10-01", "08:00", true, true),
            mark("2026-10-01", "08:30", false, true),
            mark("2026-10-01", "09:00", true, true),
            mark("2026-10-01", "09:30", true, true),
            mark("2026-10-03", "08:00", false, false),
        ];
        let days: Vec<String> = ["2026-10-01", "2026-10-02", "2026-10-03"]
            .map(String::from)
            .to_vec();
        let bars = daily_shares(&marks, &days);
        assert_eq!(bars.len(), 3);
        assert_eq!((bars[0].with_data, bars[0].met), (4, 3));
        assert_eq!(bars[0].share(), Some(75.0));
        assert_eq!(bars[0].label, "1");
        assert_eq!(bars[1].share(), None);
        assert_eq!(bars[2].share(), Some(0.0));
        // The bars add up to the verdict's own count.
        let met: u64 = bars.iter().map(|b| b.met).sum();
        let all: u64 = bars.iter().map(|b| b.with_data).sum();
        assert_eq!((met, all), (3, 5));
    }

    #[test]
    fn interval_grid_places_each_mark_by_day_and_time() {
        let marks = vec![
            mark("2026-10-01", "09:00", true, true),
            mark("2026-10-01", "08:00", false, true),
            mark("2026-10-02", "09:00", false, false),
        ];
        let days: Vec<String> = ["2026-10-01", "2026-10-02"].map(String::from).to_vec();
        let (times, grid) = interval_grid(&marks, &days);
        assert_eq!(times, vec!["08:00", "09:00"]);
        assert_eq!(grid[0], vec![Some(Cell::Missed), Some(Cell::Met)]);
        assert_eq!(grid[1], vec![None, Some(Cell::Below)]);
    }
}
