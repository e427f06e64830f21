//! Hourly versus per-contact pricing on the contract's own forecast.
//!
//! The seeds warn that hourly pricing is unfavourable to the client at high volumes. This
//! module turns the forecast into paid hours and compares the monthly cost of the hourly
//! components with a per-contact rate (`pricing.reference_per_contact_rate`).

use pacta_contract::{Contract, PriceComponent, PriceUnit, Service};
use rust_decimal::Decimal;
use serde::Serialize;

/// Occupancy assumed when the contract states none, percent.
pub const DEFAULT_OCCUPANCY_PERCENT: Decimal = Decimal::from_parts(85, 0, 0, false, 0);

/// The cost of the hourly-priced services on the forecast, against a per-contact rate.
///
/// Money is in the contract currency, rounded with [`Contract::round_money`]. Shift
/// multipliers are not applied (the comparison is a floor for the hourly side).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PricingComparison {
    /// Contract currency.
    pub currency: String,
    /// Index of the first hourly component (for locating findings).
    pub component_index: usize,
    /// Services priced by the hour that have a forecast volume and handle time.
    pub services: Vec<String>,
    /// Forecast contacts per month of those services.
    pub monthly_volume: u64,
    /// Workload: Σ volume × forecast AHT / 3600, hours.
    pub workload_hours: Decimal,
    /// Occupancy used, percent (`pricing.expected_occupancy_percent`, 85 by default).
    pub occupancy_percent: Decimal,
    /// Paid hours: workload / occupancy.
    pub paid_hours: Decimal,
    /// Monthly charge of the hourly components.
    pub hourly_cost: Decimal,
    /// Flat monthly fees that come with the hourly deal.
    pub fixed_monthly: Decimal,
    /// Minimum monthly commitment, if any.
    pub minimum_commitment: Option<Decimal>,
    /// Monthly cost under the contract's hourly model: fixed + hourly, raised to what the
    /// minimum commitment leaves after the rest of the invoice (max(F + H + O, M) − O).
    pub hourly_model_cost: Decimal,
    /// The per-contact rate at which both models cost the same on the forecast.
    pub break_even_rate: Decimal,
    /// The per-contact rate compared against, if the contract gives one.
    pub reference_rate: Option<Decimal>,
    /// Monthly cost at the reference per-contact rate.
    pub per_contact_cost: Option<Decimal>,
    /// Hourly-model cost minus per-contact cost (positive: per-contact is cheaper).
    pub monthly_saving_per_contact: Option<Decimal>,
    /// The monthly volume at which both models cost the same, when fixed parts (flat fees,
    /// a minimum commitment) make per-contact cheaper below it and hourly cheaper above it.
    pub break_even_volume: Option<u64>,
}

impl PricingComparison {
    /// Whether per-contact pricing at the reference rate is cheaper on the forecast.
    pub fn per_contact_cheaper(&self) -> bool {
        self.monthly_saving_per_contact
            .is_some_and(|s| s > Decimal::ZERO)
    }
}

fn is_hourly(u: PriceUnit) -> bool {
    matches!(u, PriceUnit::LoggedHour | PriceUnit::ProductiveHour)
}

pub(crate) fn applies(comp: &PriceComponent, svc: &Service) -> bool {
    (comp.services.is_empty() || comp.services.contains(&svc.id))
        && (comp.channels.is_empty() || comp.channels.contains(&svc.channel))
        && (comp.languages.is_empty()
            || svc.languages.is_empty()
            || svc.languages.iter().any(|l| comp.languages.contains(l)))
}

/// The monthly charge of a component for `units` units, as the invoice would price it
/// (included units, rate or tiers, cap), before rounding; `None` when it is too large to
/// compute (an absurd rate), and then review has no comparison to offer.
fn charge(comp: &PriceComponent, units: Decimal) -> Option<Decimal> {
    pacta_terms::pricing::charge_component(comp, units)
        .ok()
        .map(|c| c.amount)
}

/// The sum of `amounts`, `None` when it does not fit in a decimal.
fn checked_sum(mut amounts: impl Iterator<Item = Option<Decimal>>) -> Option<Decimal> {
    amounts.try_fold(Decimal::ZERO, |a, b| a.checked_add(b?))
}

fn occupancy(contract: &Contract) -> Decimal {
    contract
        .doc
        .pricing
        .as_ref()
        .and_then(|p| p.expected_occupancy_percent)
        .filter(|o| *o > Decimal::ZERO)
        .unwrap_or(DEFAULT_OCCUPANCY_PERCENT)
}

/// Paid hours of a service: volume × AHT / 3600 / occupancy (`None` without a forecast, or
/// for a forecast too large to compute).
fn paid_hours(svc: &Service, occ: Decimal) -> Option<(Decimal, Decimal)> {
    let vol = Decimal::from(svc.forecast_monthly_volume?);
    let aht = Decimal::from(svc.forecast_aht_s?);
    // u64 × u32 fits in a decimal; a tiny occupancy may not.
    let workload = vol * aht / Decimal::from(3600);
    Some((
        workload,
        (workload * Decimal::ONE_HUNDRED).checked_div(occ)?,
    ))
}

/// Compares the contract's hourly pricing with per-contact pricing on the forecast.
///
/// `None` when no service with a forecast volume and handle time is priced by the hour.
pub fn compare_pricing(contract: &Contract) -> Option<PricingComparison> {
    let doc = &contract.doc;
    let pricing = doc.pricing.as_ref()?;
    let occ = occupancy(contract);
    let mut hours_per_comp = vec![Decimal::ZERO; pricing.components.len()];
    let mut services = Vec::new();
    let mut volume: u64 = 0;
    let mut workload = Decimal::ZERO;
    let mut paid = Decimal::ZERO;
    for svc in &doc.scope.services {
        let Some(ci) = pricing
            .components
            .iter()
            .position(|c| is_hourly(c.unit) && applies(c, svc))
        else {
            continue;
        };
        let Some((w, h)) = paid_hours(svc, occ) else {
            continue;
        };
        hours_per_comp[ci] = hours_per_comp[ci].checked_add(h)?;
        workload = workload.checked_add(w)?;
        paid = paid.checked_add(h)?;
        volume = volume.checked_add(svc.forecast_monthly_volume.unwrap_or(0))?;
        services.push(svc.id.clone());
    }
    if volume == 0 {
        return None;
    }
    let component_index = hours_per_comp.iter().position(|h| *h > Decimal::ZERO)?;
    let hourly_cost = checked_sum(
        pricing
            .components
            .iter()
            .zip(&hours_per_comp)
            .filter(|(_, h)| **h > Decimal::ZERO)
            .map(|(c, h)| charge(c, *h)),
    )?;
    let (with_hourly, rest): (Vec<&PriceComponent>, Vec<&PriceComponent>) = pricing
        .components
        .iter()
        .filter(|c| c.unit == PriceUnit::FlatMonthly)
        .partition(|c| c.services.is_empty() || c.services.iter().any(|s| services.contains(s)));
    let fixed = checked_sum(with_hourly.iter().map(|c| Some(c.rate)))?;
    let other_flat = checked_sum(rest.iter().map(|c| Some(c.rate)))?;
    // Per-contact, per-minute charges of other services: the minimum commitment applies to the
    // whole invoice, so they fill part of it.
    let other = checked_sum(
        pricing
            .components
            .iter()
            .filter(|c| !is_hourly(c.unit))
            .filter_map(|c| match forecast_units(contract, c, occ) {
                Some(Some(u)) => Some(charge(c, u)),
                Some(None) => None,
                None => Some(None),
            }),
    )?
    .checked_add(other_flat)?;
    let minimum = pricing.minimum_monthly_commitment;
    let model = fixed
        .checked_add(hourly_cost)?
        .checked_add(other)?
        .max(minimum.unwrap_or_default())
        .checked_sub(other)?;
    let vol = Decimal::from(volume);
    let reference = pricing.reference_per_contact_rate;
    let per_contact = match reference {
        Some(r) => Some(r.checked_mul(vol)?),
        None => None,
    };
    // Break-even volume: max(F + c·V + O, M) − O = r·V  ⇒  V = max(F / (r − c), (M − O) / r)
    // when r > c (O: the rest of the invoice).
    let c_h = hourly_cost / vol;
    let break_even_volume = reference.and_then(|r| {
        if r <= c_h || r <= Decimal::ZERO {
            return None;
        }
        let v1 = fixed.checked_div(r - c_h)?;
        let v2 = (minimum.unwrap_or_default() - other)
            .max(Decimal::ZERO)
            .checked_div(r)?;
        let v = v1.max(v2).ceil();
        (v > Decimal::ZERO).then(|| u64::try_from(v).ok()).flatten()
    });
    Some(PricingComparison {
        currency: doc.contract.currency.clone(),
        component_index,
        services,
        monthly_volume: volume,
        workload_hours: workload.round_dp(2),
        occupancy_percent: occ,
        paid_hours: paid.round_dp(2),
        hourly_cost: contract.round_money(hourly_cost),
        fixed_monthly: contract.round_money(fixed),
        minimum_commitment: minimum,
        hourly_model_cost: contract.round_money(model),
        break_even_rate: contract.round_money(model / vol),
        reference_rate: reference,
        per_contact_cost: per_contact.map(|p| contract.round_money(p)),
        monthly_saving_per_contact: match per_contact {
            Some(p) => Some(contract.round_money(model.checked_sub(p)?)),
            None => None,
        },
        break_even_volume,
    })
}

/// Forecast units a component charges for in a month: paid hours, contacts or minutes of the
/// services it applies to. `None` for flat fees and outcomes (no volume to forecast).
///
/// `Some(None)` for flat fees and outcomes; `None` when the forecast is too large to compute.
fn forecast_units(
    contract: &Contract,
    comp: &PriceComponent,
    occ: Decimal,
) -> Option<Option<Decimal>> {
    let services = contract
        .doc
        .scope
        .services
        .iter()
        .filter(|s| applies(comp, s));
    let units = match comp.unit {
        PriceUnit::FlatMonthly | PriceUnit::Outcome => return Some(None),
        PriceUnit::LoggedHour | PriceUnit::ProductiveHour => {
            checked_sum(services.filter_map(|s| paid_hours(s, occ).map(|(_, h)| Some(h))))
        }
        PriceUnit::HandledContact => checked_sum(
            services.filter_map(|s| s.forecast_monthly_volume.map(|v| Some(Decimal::from(v)))),
        ),
        // u64 × u32 fits in a decimal.
        PriceUnit::TalkMinute | PriceUnit::HandleMinute => checked_sum(services.filter_map(|s| {
            Some(Some(
                Decimal::from(s.forecast_monthly_volume?) * Decimal::from(s.forecast_aht_s?)
                    / Decimal::from(60),
            ))
        })),
    };
    units.map(Some)
}

/// The forecast monthly charge under the contract's own pricing, before credits and before
/// the minimum commitment.
///
/// `None` when it cannot be computed: no forecast, or outcome-priced components whose
/// conversion is unknown.
pub(crate) fn forecast_monthly_cost(contract: &Contract) -> Option<Decimal> {
    let pricing = contract.doc.pricing.as_ref()?;
    let occ = occupancy(contract);
    let mut total = Decimal::ZERO;
    let mut any_forecast = false;
    for comp in &pricing.components {
        match comp.unit {
            PriceUnit::FlatMonthly => total = total.checked_add(comp.rate)?,
            PriceUnit::Outcome => return None,
            _ => {
                let units = forecast_units(contract, comp, occ)?.unwrap_or_default();
                if units > Decimal::ZERO {
                    any_forecast = true;
                }
                total = total.checked_add(charge(comp, units)?)?;
            }
        }
    }
    any_forecast.then(|| contract.round_money(total))
}

/// Formats a decimal with thousands separators and `dp` decimals.
pub(crate) fn fmt_num(d: Decimal, dp: u32) -> String {
    let d = d.round_dp(dp);
    let s = format!("{:.*}", dp as usize, d.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if d < Decimal::ZERO { "-" } else { "" };
    match frac {
        Some(f) if dp > 0 => format!("{sign}{grouped}.{f}"),
        _ => format!("{sign}{grouped}"),
    }
}

/// Formats money in the contract currency.
pub(crate) fn fmt_money(contract: &Contract, amount: Decimal) -> String {
    format!(
        "{} {}",
        contract.doc.contract.currency,
        fmt_num(contract.round_money(amount), contract.minor_units)
    )
}
