//! Total cost of each price proposal on the client's forecast, with the settlement's own
//! pricing engine (`pacta_terms::pricing::price_month`), break-even volumes between
//! proposals, and charges a proposal leaves open (hidden-cost risk).
//!
//! Units per month from the forecast, per component (a component applies to the forecast
//! services its `services` / `channels` name, all when it names none):
//! handled contacts = volume; talk minutes = volume × AHT × talk share / 60; handle minutes =
//! volume × AHT / 60; outcomes = volume × outcome rate; productive hours = volume × AHT /
//! 3600 / occupancy; logged hours = productive hours × logged-per-productive; night units =
//! hours × night share. Volume grows by `growth_percent_per_month` each month. Per-hire fees
//! use the forecast's hires; pass-through uses the forecast's expected claims.

use pacta_core::Month;
use std::collections::BTreeMap;

use pacta_contract::{PriceUnit, Pricing};
use pacta_core::{Lang, Localized};
use pacta_terms::TermsError;
use pacta_terms::pricing::{ComponentUsage, Invoice, Usage, price_month};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::Serialize;

use crate::model::{Evaluation, Forecast, Proposal};

/// A proposal whose cost is too large to compute (an absurd rate or fee).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the proposal of `{candidate}` cannot be priced: {source}")]
pub struct CostError {
    /// The candidate.
    pub candidate: String,
    /// What overflowed.
    #[source]
    pub source: TermsError,
}

impl Localized for CostError {
    fn code(&self) -> &'static str {
        self.source.code()
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Es => format!(
                "la propuesta de `{}` no se puede valorar: {}",
                self.candidate,
                self.source.message(lang)
            ),
        }
    }
}

/// The invoice of month `i` of the term with every volume multiplied by `scale`.
fn price(
    candidate: &str,
    proposal: &Proposal,
    f: &Forecast,
    i: u32,
    scale: f64,
) -> Result<Invoice, CostError> {
    price_month(
        proposal.terms(),
        month_at(f, i),
        &usage(&proposal.pricing, f, i, scale),
        Decimal::ZERO,
        Decimal::ZERO,
    )
    .map_err(|source| CostError {
        candidate: candidate.to_string(),
        source,
    })
}

fn dec(x: f64) -> Decimal {
    Decimal::from_f64(x).unwrap_or_default().round_dp(2)
}

/// The month `i` (0-based) of the term (the last representable month past its end).
pub fn month_at(f: &Forecast, i: u32) -> Month {
    i32::try_from(i)
        .ok()
        .and_then(|i| f.start.plus(i))
        .unwrap_or(f.start)
}

/// Billable usage in month `i` with every volume multiplied by `scale`.
pub fn usage(pr: &Pricing, f: &Forecast, i: u32, scale: f64) -> Usage {
    let growth = (1.0 + f.growth_percent_per_month / 100.0).powi(i as i32);
    let mut u = Usage::default();
    for c in &pr.components {
        let mut cu = ComponentUsage::default();
        let (mut units, mut night) = (0.0, 0.0);
        for s in f.services.iter().filter(|s| {
            (c.services.is_empty() || c.services.contains(&s.id))
                && (c.channels.is_empty() || c.channels.contains(&s.channel))
        }) {
            let vol = s.monthly_volume * growth * scale;
            let productive = vol * s.aht_s / 3600.0 / (f.occupancy_percent / 100.0);
            let n = match c.unit {
                PriceUnit::HandledContact => vol,
                PriceUnit::TalkMinute => vol * s.aht_s * s.talk_share / 60.0,
                PriceUnit::HandleMinute => vol * s.aht_s / 60.0,
                PriceUnit::Outcome => vol * s.outcome_rate,
                PriceUnit::ProductiveHour => productive,
                PriceUnit::LoggedHour => productive * f.logged_hours_per_productive_hour,
                PriceUnit::FlatMonthly => 0.0,
            };
            units += n;
            if matches!(c.unit, PriceUnit::ProductiveHour | PriceUnit::LoggedHour) {
                night += n * s.night_share;
            }
        }
        cu.units = dec(units);
        cu.night_units = dec(night);
        u.components.insert(c.id.clone(), cu);
    }
    u.new_hires = if i == 0 {
        f.new_hires_first_month
    } else {
        f.new_hires_per_month
    };
    u.pass_through = f.pass_through.clone();
    u
}

/// One proposal over the term.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalCost {
    /// Candidate id.
    pub candidate: String,
    /// Invoice total per month.
    pub monthly: Vec<(String, Decimal)>,
    /// Σ over the term.
    pub total: Decimal,
    /// One-time fees over the term.
    pub one_time: Decimal,
    /// Cost per contact over the term.
    pub per_contact: Decimal,
    /// The first month's invoice, line by line.
    pub first_invoice: Invoice,
    /// Hidden-cost risks.
    pub risks: Vec<Risk>,
}

/// The break-even monthly volume between two proposals.
#[derive(Debug, Clone, Serialize)]
pub struct BreakEven {
    /// First candidate.
    pub a: String,
    /// Second candidate.
    pub b: String,
    /// Total monthly contacts at which a steady month costs the same, if within 5 %–500 %
    /// of the forecast (several when the cost curves cross more than once).
    pub volumes: Vec<f64>,
    /// Which is cheaper at the forecast volume.
    pub cheaper_at_forecast: String,
}

/// Prices every candidate's proposal over the forecast.
pub fn total_costs(e: &Evaluation) -> Result<Vec<ProposalCost>, CostError> {
    let Some(f) = &e.forecast else {
        return Ok(Vec::new());
    };
    let contacts: f64 = (0..f.months)
        .map(|i| {
            let g = (1.0 + f.growth_percent_per_month / 100.0).powi(i as i32);
            f.services.iter().map(|s| s.monthly_volume * g).sum::<f64>()
        })
        .sum();
    let mut costs = Vec::new();
    for c in &e.candidates {
        let Some(proposal) = c.proposal.as_ref() else {
            continue;
        };
        let invoices = (0..f.months)
            .map(|i| price(&c.id, proposal, f, i, 1.0))
            .collect::<Result<Vec<Invoice>, _>>()?;
        let overflow = || CostError {
            candidate: c.id.clone(),
            source: TermsError::Overflow {
                item: "total".into(),
            },
        };
        let total = checked_sum(invoices.iter().map(|v| v.total)).ok_or_else(overflow)?;
        let one_time = checked_sum(
            invoices
                .iter()
                .flat_map(|v| &v.lines)
                .filter(|l| l.kind == pacta_terms::pricing::LineKind::OneTimeFee)
                .map(|l| l.amount),
        )
        .ok_or_else(overflow)?;
        let per_contact = if contacts > 0.0 {
            // A term of a few hundredths of a contact rounds to none: no cost per contact.
            total
                .checked_div(dec(contacts))
                .map_or(Decimal::ZERO, |d| d.round_dp(4))
        } else {
            Decimal::ZERO
        };
        let monthly = invoices
            .iter()
            .map(|v| (v.month.to_string(), v.total))
            .collect();
        let Some(first_invoice) = invoices.into_iter().next() else {
            continue;
        };
        costs.push(ProposalCost {
            candidate: c.id.clone(),
            monthly,
            total,
            one_time,
            per_contact,
            first_invoice,
            risks: risks(&proposal.pricing, f),
        });
    }
    Ok(costs)
}

/// The sum of `amounts`, `None` when it does not fit in a decimal.
fn checked_sum(mut amounts: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    amounts.try_fold(Decimal::ZERO, |a, b| a.checked_add(b))
}

/// A charge a proposal leaves undeclared or uncapped: what the client may be billed later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Risk {
    /// No one-time fees are declared.
    NoOneTimeFees,
    /// A pass-through charge without a monthly cap.
    UncappedPassThrough {
        /// The pass-through's id.
        id: String,
    },
    /// The forecast expects a pass-through the proposal does not declare.
    UndeclaredPassThrough {
        /// The pass-through's id.
        id: String,
    },
    /// No price review or indexation clause.
    NoIndexationClause,
    /// Indexation without a cap.
    UncappedIndexation {
        /// The index prices follow.
        index: String,
    },
    /// No payment terms.
    NoPaymentTerms,
    /// Invoices may carry items the proposal does not declare.
    UndeclaredItemsAllowed,
}

impl Risk {
    /// The risk in words, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Risk::NoOneTimeFees => lang
                .pick(
                    "no one-time fees declared: setup, recruitment and initial training may be billed later",
                    "no declara cargos únicos: la puesta en marcha, la selección y la formación inicial pueden facturarse después",
                )
                .into(),
            Risk::UncappedPassThrough { id } => match lang {
                Lang::En => format!("pass-through \u{201c}{id}\u{201d} has no monthly cap"),
                Lang::Es => format!("el costo trasladado «{id}» no tiene tope mensual"),
            },
            Risk::UndeclaredPassThrough { id } => match lang {
                Lang::En => format!(
                    "the forecast expects pass-through \u{201c}{id}\u{201d} but the proposal does not declare it"
                ),
                Lang::Es => format!(
                    "el pronóstico prevé el costo trasladado «{id}», pero la propuesta no lo declara"
                ),
            },
            Risk::NoIndexationClause => lang
                .pick(
                    "no price review or indexation clause: increases are not bounded",
                    "sin cláusula de revisión o indexación de precios: los aumentos no tienen límite",
                )
                .into(),
            Risk::UncappedIndexation { index } => match lang {
                Lang::En => format!("indexation to {index} without a cap"),
                Lang::Es => format!("indexación a {index} sin tope"),
            },
            Risk::NoPaymentTerms => lang
                .pick(
                    "no payment terms (days, currency, late interest)",
                    "sin condiciones de pago (plazo, moneda, intereses de mora)",
                )
                .into(),
            Risk::UndeclaredItemsAllowed => lang
                .pick(
                    "invoices are not restricted to the declared items",
                    "las facturas no se limitan a los conceptos declarados",
                )
                .into(),
        }
    }
}

/// As its English words, as the JSON output has always shown it.
impl Serialize for Risk {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.describe(Lang::En))
    }
}

/// Charges a proposal leaves undeclared or uncapped.
pub fn risks(pr: &Pricing, f: &Forecast) -> Vec<Risk> {
    let mut out = Vec::new();
    if pr.one_time_fees.is_empty() {
        out.push(Risk::NoOneTimeFees);
    }
    for p in pr.pass_through.iter().filter(|p| p.monthly_cap.is_none()) {
        out.push(Risk::UncappedPassThrough { id: p.id.clone() });
    }
    for id in f.pass_through.keys() {
        if !pr.pass_through.iter().any(|p| &p.id == id) {
            out.push(Risk::UndeclaredPassThrough { id: id.clone() });
        }
    }
    match &pr.indexation {
        None => out.push(Risk::NoIndexationClause),
        Some(i) if i.cap_percent.is_none() => out.push(Risk::UncappedIndexation {
            index: i.index.clone(),
        }),
        _ => {}
    }
    if pr.payment.is_none() {
        out.push(Risk::NoPaymentTerms);
    }
    if !pr.declared_items_only {
        out.push(Risk::UndeclaredItemsAllowed);
    }
    out
}

/// Monthly contacts at which two proposals cost the same in a steady month (the second of
/// the term, so one-time setup fees do not distort it).
///
/// `Ok(None)` when either is not a priced candidate or there is no forecast.
pub fn break_even(e: &Evaluation, a: &str, b: &str) -> Result<Option<BreakEven>, CostError> {
    let proposal = |id: &str| {
        e.candidates
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.proposal.as_ref())
    };
    let (Some(f), Some(ca), Some(cb)) = (e.forecast.as_ref(), proposal(a), proposal(b)) else {
        return Ok(None);
    };
    let i = u32::from(f.months > 1);
    let diff = |s: f64| -> Result<f64, CostError> {
        let x = price(a, ca, f, i, s)?.total;
        let y = price(b, cb, f, i, s)?.total;
        Ok(x.checked_sub(y).and_then(|d| d.to_f64()).unwrap_or(0.0))
    };
    let base: f64 = f.services.iter().map(|s| s.monthly_volume).sum::<f64>()
        * (1.0 + f.growth_percent_per_month / 100.0).powi(i as i32);
    let steps = 400;
    let (lo, hi) = (0.05f64, 5.0f64);
    let mut volumes = Vec::new();
    let mut prev = (lo, diff(lo)?);
    for k in 1..=steps {
        let s = lo + (hi - lo) * f64::from(k) / f64::from(steps);
        let d = diff(s)?;
        if prev.1 == 0.0 || prev.1.signum() != d.signum() && d != 0.0 {
            // Bisect the sign change.
            let (mut x0, mut x1, mut d0) = (prev.0, s, prev.1);
            for _ in 0..60 {
                let m = (x0 + x1) / 2.0;
                let dm = diff(m)?;
                if dm == 0.0 {
                    (x0, x1) = (m, m);
                    break;
                }
                if dm.signum() == d0.signum() {
                    (x0, d0) = (m, dm);
                } else {
                    x1 = m;
                }
            }
            volumes.push(((x0 + x1) / 2.0 * base).round());
        }
        prev = (s, d);
    }
    volumes.dedup();
    Ok(Some(BreakEven {
        a: a.into(),
        b: b.into(),
        volumes,
        cheaper_at_forecast: if diff(1.0)? <= 0.0 {
            a.into()
        } else {
            b.into()
        },
    }))
}

/// Break-even volumes between every pair of priced proposals.
pub fn break_evens(e: &Evaluation) -> Result<Vec<BreakEven>, CostError> {
    let ids: Vec<&str> = e
        .candidates
        .iter()
        .filter(|c| c.proposal.is_some())
        .map(|c| c.id.as_str())
        .collect();
    let mut out = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            out.extend(break_even(e, a, b)?);
        }
    }
    Ok(out)
}

/// Cumulative cost per candidate per month, for charts.
pub fn cumulative(costs: &[ProposalCost]) -> BTreeMap<String, Vec<Decimal>> {
    costs
        .iter()
        .map(|c| {
            let mut run = Decimal::ZERO;
            (
                c.candidate.clone(),
                c.monthly
                    .iter()
                    .map(|(_, v)| {
                        run += *v;
                        run
                    })
                    .collect(),
            )
        })
        .collect()
}
