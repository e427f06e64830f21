//! The invoice the pricing model implies from the month's usage.
//!
//! Lines are rounded one by one to the currency; the total is the sum of the rounded lines,
//! so an invoice always adds up.

use std::collections::BTreeMap;

use pacta_contract::{
    Contract, OneTimeKind, PriceComponent, PriceUnit, Pricing, ShiftKind, TierMode, money,
};
use pacta_core::Month;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::TermsError;
use crate::money::{self as m, pct};

/// What pricing reads of a contract: its currency, its `[pricing]` table and its first month.
///
/// Built from a whole contract with [`PriceTerms::of`], or from a price proposal's pricing
/// table alone (vendor selection prices proposals that are not contracts yet).
#[derive(Debug, Clone, Copy)]
pub struct PriceTerms<'a> {
    /// ISO 4217 currency code.
    pub currency: &'a str,
    /// Decimal places of the currency.
    pub minor_units: u32,
    /// The pricing model; `None` prices nothing.
    pub pricing: Option<&'a Pricing>,
    /// The month the contract takes effect in (setup fees without a month are invoiced then).
    pub first_month: Option<Month>,
    /// Amounts the parties agreed for single lines (an accepted dispute resolution): each
    /// replaces the priced amount of its line before anything is summed from it.
    pub agreed: &'a [AgreedAmount],
}

/// An amount the parties agreed for one invoice line, replacing the priced one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreedAmount {
    /// The line's item id.
    pub item: String,
    /// The amount agreed (rounded to the currency when applied).
    pub amount: Decimal,
    /// Where it was agreed (a dispute id), for the line's note.
    pub reference: String,
}

impl<'a> PriceTerms<'a> {
    /// The pricing terms of a validated contract.
    pub fn of(contract: &'a Contract) -> Self {
        PriceTerms {
            currency: &contract.doc.contract.currency,
            minor_units: contract.minor_units,
            pricing: contract.doc.pricing.as_ref(),
            first_month: Month::of_date(contract.doc.contract.effective_date.civil()).ok(),
            agreed: &[],
        }
    }

    /// The same terms with agreed line amounts.
    pub fn with_agreed(self, agreed: &'a [AgreedAmount]) -> Self {
        PriceTerms { agreed, ..self }
    }

    /// Replaces the amount of each line an agreement names (its rate follows the amount).
    fn apply_agreed(&self, lines: &mut [InvoiceLine]) -> Result<(), TermsError> {
        for a in self.agreed {
            for line in lines.iter_mut().filter(|l| l.item == a.item) {
                let amount = self.round(a.amount);
                if line.amount == amount {
                    continue;
                }
                line.note = format!(
                    "{}; agreed {amount} in {} (priced {})",
                    line.note, a.reference, line.amount
                );
                line.amount = amount;
                if !line.quantity.is_zero() {
                    line.rate = m::div(amount, line.quantity, &line.item)?
                        .round_dp(4)
                        .normalize();
                }
            }
        }
        Ok(())
    }

    /// Rounds money to the currency with the pricing's rounding rule (the same rule as
    /// [`Contract::round_money`]).
    pub fn round(&self, amount: Decimal) -> Decimal {
        let rule = self.pricing.map(|p| p.rounding).unwrap_or_default();
        money::round(amount, self.minor_units, rule)
    }
}

/// Billable usage of one price component in the month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ComponentUsage {
    /// Units (hours, contacts, minutes, outcomes) in the component's scope.
    pub units: Decimal,
    /// Of which in the night window (hour-based units).
    pub night_units: Decimal,
    /// Of which on holidays.
    pub holiday_units: Decimal,
    /// Of which on weekends.
    pub weekend_units: Decimal,
    /// Of which overtime requested by the client.
    pub overtime_units: Decimal,
}

/// Everything billable in a month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Usage per price component id.
    pub components: BTreeMap<String, ComponentUsage>,
    /// New hires in the month (per-hire one-time fees).
    pub new_hires: u32,
    /// Pass-through costs claimed, per pass-through id.
    pub pass_through: BTreeMap<String, Decimal>,
}

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A price component.
    Service,
    /// A shift premium on an hourly component.
    ShiftPremium,
    /// Minimum commitment true-up.
    MinimumCommitment,
    /// A one-time fee.
    OneTimeFee,
    /// A pass-through cost.
    PassThrough,
    /// Service credits netted.
    Credit,
    /// Bonuses.
    Bonus,
}

/// One invoice line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// Item id (component, fee or pass-through id).
    pub item: String,
    /// Kind.
    pub kind: LineKind,
    /// Quantity.
    pub quantity: Decimal,
    /// Unit.
    pub unit: String,
    /// Rate (effective, for tiered components: amount / quantity).
    pub rate: Decimal,
    /// Amount, rounded to the currency.
    pub amount: Decimal,
    /// How it was computed.
    pub note: String,
}

/// The priced invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invoice {
    /// Currency.
    pub currency: String,
    /// Month (`[year, month]`).
    #[serde(with = "pacta_core::month::as_pair")]
    pub month: Month,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Recurring service charges (components, premiums, minimum true-up): the base of credits.
    pub service_charges: Decimal,
    /// Total of the lines.
    pub total: Decimal,
}

/// A one-time fee's kind in words, for invoice notes (`initial training`).
fn one_time_kind_words(k: pacta_contract::OneTimeKind) -> &'static str {
    use pacta_contract::OneTimeKind as K;
    match k {
        K::Setup => "setup",
        K::InitialTraining => "initial training",
        K::Recruitment => "recruitment",
        K::Integration => "systems integration",
        K::Other => "one-time fee",
    }
}

fn unit_name(u: PriceUnit) -> &'static str {
    match u {
        PriceUnit::LoggedHour => "logged hour",
        PriceUnit::ProductiveHour => "productive hour",
        PriceUnit::HandledContact => "handled contact",
        PriceUnit::TalkMinute => "talk minute",
        PriceUnit::HandleMinute => "handle minute",
        PriceUnit::Outcome => "outcome",
        PriceUnit::FlatMonthly => "month",
    }
}

/// Charge for `units` under a component's rate or tiers.
pub fn component_charge(c: &PriceComponent, units: Decimal) -> Result<Decimal, TermsError> {
    if c.tiers.is_empty() {
        return m::mul(units, c.rate, &c.id);
    }
    match c.tier_mode {
        TierMode::WholeVolume => {
            let rate = c
                .tiers
                .iter()
                .find(|t| units >= t.from && t.to.is_none_or(|to| units < to))
                .map_or(c.rate, |t| t.rate);
            m::mul(units, rate, &c.id)
        }
        TierMode::Marginal => {
            let mut total = Decimal::ZERO;
            for t in &c.tiers {
                let upper = t.to.map_or(units, |to| units.min(to));
                let n = (upper - t.from).max(Decimal::ZERO);
                total = m::add(total, m::mul(n, t.rate, &c.id)?, &c.id)?;
            }
            Ok(total)
        }
    }
}

/// What a component charges for a month's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentCharge {
    /// Units billed: those beyond the included units.
    pub billable: Decimal,
    /// The charge for them, at most the component's cap, not rounded.
    pub amount: Decimal,
    /// Whether the cap lowered the charge.
    pub capped: bool,
}

/// Charge of a component for `units` units in a month: the included units are free, the rest
/// are priced at its rate or tiers ([`component_charge`]), and the result is held to its cap.
pub fn charge_component(c: &PriceComponent, units: Decimal) -> Result<ComponentCharge, TermsError> {
    let included = c.included_units.unwrap_or_default();
    let billable = m::sub(units, included, &c.id)?.max(Decimal::ZERO);
    let amount = component_charge(c, billable)?;
    Ok(match c.cap {
        Some(cap) if amount > cap => ComponentCharge {
            billable,
            amount: cap,
            capped: true,
        },
        _ => ComponentCharge {
            billable,
            amount,
            capped: false,
        },
    })
}

/// Prices a month. `credits_to_net` are credits to deduct on this invoice (this month's or
/// the previous month's, per the contract's netting rule, chosen by the caller), and
/// `bonuses` are bonus amounts to add.
///
/// Fails when an amount is too large for a decimal (an absurd rate, quantity or fee).
pub fn price_month(
    terms: PriceTerms<'_>,
    month: Month,
    usage: &Usage,
    credits_to_net: Decimal,
    bonuses: Decimal,
) -> Result<Invoice, TermsError> {
    let round = |d: Decimal| terms.round(d);
    let currency = terms.currency.to_string();
    let mut lines = Vec::new();
    let Some(pr) = terms.pricing else {
        return Ok(Invoice {
            currency,
            month,
            lines,
            service_charges: Decimal::ZERO,
            total: Decimal::ZERO,
        });
    };
    let empty = ComponentUsage::default();
    for c in &pr.components {
        let u = usage.components.get(&c.id).unwrap_or(&empty);
        if c.unit == PriceUnit::FlatMonthly {
            lines.push(InvoiceLine {
                item: c.id.clone(),
                kind: LineKind::Service,
                quantity: Decimal::ONE,
                unit: "month".into(),
                rate: c.rate,
                amount: round(c.rate),
                note: "flat monthly fee".into(),
            });
            continue;
        }
        let included = c.included_units.unwrap_or_default();
        let ComponentCharge {
            billable,
            amount,
            capped,
        } = charge_component(c, u.units)?;
        let mut note = if included > Decimal::ZERO {
            format!("{} − {included} included = {billable} billable", u.units)
        } else {
            format!("{billable} × {}", c.rate)
        };
        if capped {
            note.push_str(&format!("; capped at {amount}"));
        }
        let amount = round(amount);
        let rate = if billable.is_zero() {
            c.rate
        } else {
            m::div(amount, billable, &c.id)?.round_dp(4).normalize()
        };
        lines.push(InvoiceLine {
            item: c.id.clone(),
            kind: LineKind::Service,
            quantity: billable,
            unit: unit_name(c.unit).into(),
            rate,
            amount,
            note,
        });
        if matches!(c.unit, PriceUnit::LoggedHour | PriceUnit::ProductiveHour) {
            for s in &pr.shift_multipliers {
                let units = match s.kind {
                    ShiftKind::Night => u.night_units,
                    ShiftKind::Holiday => u.holiday_units,
                    ShiftKind::Weekend => u.weekend_units,
                    ShiftKind::Overtime => u.overtime_units,
                };
                if units.is_zero() {
                    continue;
                }
                let item = format!("{}:{:?}", c.id, s.kind).to_lowercase();
                let premium_rate = m::mul(c.rate, s.factor - Decimal::ONE, &item)?;
                let amount = round(m::mul(units, premium_rate, &item)?);
                lines.push(InvoiceLine {
                    item,
                    kind: LineKind::ShiftPremium,
                    quantity: units,
                    unit: unit_name(c.unit).into(),
                    rate: premium_rate,
                    amount,
                    note: format!("{units} × {} × ({} − 1)", c.rate, s.factor),
                });
            }
        }
    }
    terms.apply_agreed(&mut lines)?;
    let mut service_charges = m::sum(lines.iter().map(|l| l.amount), "service charges")?;
    if let Some(min) = pr.minimum_monthly_commitment
        && service_charges < min
    {
        let top_up = round(m::sub(min, service_charges, "minimum-commitment")?);
        lines.push(InvoiceLine {
            item: "minimum-commitment".into(),
            kind: LineKind::MinimumCommitment,
            quantity: Decimal::ONE,
            unit: "month".into(),
            rate: top_up,
            amount: top_up,
            note: format!("minimum monthly commitment {min} − service charges {service_charges}"),
        });
        service_charges = m::add(service_charges, top_up, "minimum-commitment")?;
    }
    for f in &pr.one_time_fees {
        if f.per_hire {
            if usage.new_hires > 0 {
                let q = Decimal::from(usage.new_hires);
                lines.push(InvoiceLine {
                    item: f.id.clone(),
                    kind: LineKind::OneTimeFee,
                    quantity: q,
                    unit: "new hire".into(),
                    rate: f.amount,
                    amount: round(m::mul(q, f.amount, &f.id)?),
                    note: format!("{} per new hire", one_time_kind_words(f.kind)),
                });
            }
        } else if f.invoice_month.as_deref() == Some(month.to_string().as_str())
            || (f.invoice_month.is_none()
                && f.kind == OneTimeKind::Setup
                && terms.first_month == Some(month))
        {
            lines.push(InvoiceLine {
                item: f.id.clone(),
                kind: LineKind::OneTimeFee,
                quantity: Decimal::ONE,
                unit: "fee".into(),
                rate: f.amount,
                amount: round(f.amount),
                note: "one-time fee".into(),
            });
        }
    }
    for p in &pr.pass_through {
        let Some(claimed) = usage.pass_through.get(&p.id) else {
            continue;
        };
        let with_markup = m::add(
            *claimed,
            pct(*claimed, p.markup_percent.unwrap_or_default(), &p.id)?,
            &p.id,
        )?;
        let amount = p
            .monthly_cap
            .map_or(with_markup, |cap| with_markup.min(cap));
        lines.push(InvoiceLine {
            item: p.id.clone(),
            kind: LineKind::PassThrough,
            quantity: Decimal::ONE,
            unit: "month".into(),
            rate: round(amount),
            amount: round(amount),
            note: match p.monthly_cap {
                Some(cap) if with_markup > cap => format!("claimed {with_markup}, capped at {cap}"),
                _ => format!("claimed {claimed} at cost"),
            },
        });
    }
    if !credits_to_net.is_zero() {
        lines.push(InvoiceLine {
            item: "service-credits".into(),
            kind: LineKind::Credit,
            quantity: Decimal::ONE,
            unit: "month".into(),
            rate: -round(credits_to_net),
            amount: -round(credits_to_net),
            note: "service credits netted".into(),
        });
    }
    if !bonuses.is_zero() {
        lines.push(InvoiceLine {
            item: "performance-bonus".into(),
            kind: LineKind::Bonus,
            quantity: Decimal::ONE,
            unit: "month".into(),
            rate: round(bonuses),
            amount: round(bonuses),
            note: "bonuses earned".into(),
        });
    }
    terms.apply_agreed(&mut lines)?;
    let total = m::sum(lines.iter().map(|l| l.amount), "total")?;
    Ok(Invoice {
        currency,
        month,
        lines,
        service_charges,
        total,
    })
}
