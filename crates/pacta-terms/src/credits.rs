//! Service credits, earn-back, bonuses, the bonus pool and chronic-failure triggers.
//!
//! The arithmetic follows `docs/spec/contract-elements.md` §4: credit per miss = at-risk amount ×
//! allocation (optionally × a tier by shortfall), plus fixed amounts and points; then the
//! monthly cap (at most the at-risk amount) and the rolling twelve-month cap computed against
//! the last eleven months' charges and credits (Accord Project template).

use std::collections::BTreeMap;

use pacta_contract::{ChronicKind, ChronicRemedy, Contract, SlaClass, metrics};
use pacta_core::Month;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{SlaResult, Status, pct};

/// What an earlier settlement left behind, as stored after each month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRecord {
    /// The month (stored as `[year, month]`).
    #[serde(with = "pacta_core::month::as_pair")]
    pub month: Month,
    /// Monthly charges the credits were computed on.
    pub charges: Decimal,
    /// Credit finally due that month (after caps), before earn-back.
    pub credit: Decimal,
    /// Status of each SLA.
    pub status: BTreeMap<String, Status>,
    /// Credit attributed to each SLA after caps (pro rata when capped).
    pub sla_credit: BTreeMap<String, Decimal>,
    /// Credits of earlier months earned back in this month, keyed `YYYY-MM/SLA`.
    pub earned_back: BTreeMap<String, Decimal>,
    /// Bonus pool balance at the end of the month.
    pub bonus_pool_balance: Decimal,
    /// Net owed to the client for the month (credits + escalations − earn-backs − bonuses);
    /// netted on the next invoice when the contract says so.
    #[serde(default)]
    pub net_to_client: Decimal,
}

/// One SLA's credit before caps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditLine {
    /// SLA id.
    pub sla_id: String,
    /// Its status.
    pub status: Status,
    /// Allocation-based credit.
    pub allocation_credit: Decimal,
    /// Fixed credit.
    pub fixed_credit: Decimal,
    /// Points earned.
    pub points: u32,
    /// How it was computed.
    pub explanation: String,
}

/// An earn-back of an earlier credit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarnBackLine {
    /// Month of the original credit (`[year, month]`).
    #[serde(with = "pacta_core::month::as_pair")]
    pub from_month: Month,
    /// SLA.
    pub sla_id: String,
    /// Amount returned to the provider.
    pub amount: Decimal,
}

/// A bonus earned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BonusLine {
    /// Bonus id.
    pub bonus_id: String,
    /// Amount.
    pub amount: Decimal,
    /// Why.
    pub explanation: String,
}

/// The bonus pool movement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BonusPoolMove {
    /// Balance before.
    pub opening: Decimal,
    /// Added (positive) or subtracted (negative) this month.
    pub change: Decimal,
    /// Paid out this month.
    pub paid: Decimal,
    /// Balance after.
    pub closing: Decimal,
}

/// A chronic or persistent failure trigger that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChronicEvent {
    /// Trigger id.
    pub trigger_id: String,
    /// SLA that fired it.
    pub sla_id: String,
    /// Consequence.
    pub remedy: ChronicRemedy,
    /// Escalated credit due, if any.
    pub credit: Decimal,
    /// Why.
    pub explanation: String,
}

/// The credit side of a month's settlement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditStatement {
    /// Monthly charges credits are computed on.
    pub charges: Decimal,
    /// At-risk amount.
    pub at_risk: Decimal,
    /// Per-SLA credits before caps.
    pub lines: Vec<CreditLine>,
    /// Credit from the points scheme.
    pub points_credit: Decimal,
    /// Sum before caps.
    pub gross: Decimal,
    /// Monthly cap amount.
    pub monthly_cap: Decimal,
    /// Room left under the rolling cap (`None` without a rolling cap).
    pub rolling_room: Option<Decimal>,
    /// Credit due after both caps.
    pub credit: Decimal,
    /// Earlier credits returned this month.
    pub earn_backs: Vec<EarnBackLine>,
    /// Bonuses earned.
    pub bonuses: Vec<BonusLine>,
    /// Bonus pool movement.
    pub bonus_pool: Option<BonusPoolMove>,
    /// Triggers that fired.
    pub chronic: Vec<ChronicEvent>,
    /// Per-SLA credit after caps (pro rata).
    pub sla_credit: BTreeMap<String, Decimal>,
    /// Step-by-step arithmetic, for `pacta explain`.
    pub steps: Vec<String>,
}

impl CreditStatement {
    /// Net amount owed to the client this month: credit + escalated credits − earn-backs −
    /// bonuses − bonus pool payout (negative means the client owes the provider).
    pub fn net_to_client(&self) -> Decimal {
        self.credit + self.chronic.iter().map(|c| c.credit).sum::<Decimal>()
            - self.earn_backs.iter().map(|e| e.amount).sum::<Decimal>()
            - self.bonuses.iter().map(|b| b.amount).sum::<Decimal>()
            - self.bonus_pool.as_ref().map_or(Decimal::ZERO, |b| b.paid)
    }

    /// The record to store for later months.
    pub fn record(&self, month: Month, results: &[SlaResult]) -> MonthRecord {
        MonthRecord {
            month,
            charges: self.charges,
            credit: self.credit,
            status: results
                .iter()
                .map(|r| (r.sla_id.clone(), r.status))
                .collect(),
            sla_credit: self.sla_credit.clone(),
            earned_back: self
                .earn_backs
                .iter()
                .map(|e| (format!("{}/{}", e.from_month, e.sla_id), e.amount))
                .collect(),
            bonus_pool_balance: self
                .bonus_pool
                .as_ref()
                .map_or(Decimal::ZERO, |b| b.closing),
            net_to_client: self.net_to_client(),
        }
    }
}

/// Computes the month's credits, earn-backs, bonuses and triggers.
///
/// `history` holds earlier months' records (any order; months after `month` are ignored).
pub fn settle_credits(
    contract: &Contract,
    month: Month,
    charges: Decimal,
    results: &[SlaResult],
    history: &[MonthRecord],
) -> CreditStatement {
    let round = |d: Decimal| contract.round_money(d);
    let doc = &contract.doc;
    let mut steps = Vec::new();
    let this = Month::index(month);
    let past: BTreeMap<i32, &MonthRecord> = history
        .iter()
        .filter(|r| Month::index(r.month) < this)
        .map(|r| (Month::index(r.month), r))
        .collect();
    let Some(cr) = &doc.credits else {
        return CreditStatement {
            charges,
            at_risk: Decimal::ZERO,
            lines: Vec::new(),
            points_credit: Decimal::ZERO,
            gross: Decimal::ZERO,
            monthly_cap: Decimal::ZERO,
            rolling_room: None,
            credit: Decimal::ZERO,
            earn_backs: Vec::new(),
            bonuses: Vec::new(),
            bonus_pool: None,
            chronic: Vec::new(),
            sla_credit: BTreeMap::new(),
            steps: vec!["the contract has no credit regime".into()],
        };
    };
    let at_risk = round(pct(charges, cr.at_risk_percent));
    steps.push(format!(
        "at-risk amount = {charges} × {}% = {at_risk}",
        cr.at_risk_percent
    ));

    // Per-SLA credits.
    let mut lines = Vec::new();
    let mut total_points = 0u32;
    for sla in doc.slas.iter().filter(|s| s.class == SlaClass::Critical) {
        let Some(r) = results.iter().find(|r| r.sla_id == sla.id) else {
            continue;
        };
        if !r.status.is_miss() {
            continue;
        }
        let mut explanation = Vec::new();
        let mut allocation_credit = Decimal::ZERO;
        if let Some(alloc) = sla.allocation_percent {
            let tier_percent = tier_percent(cr, r);
            allocation_credit = round(pct(pct(at_risk, alloc), tier_percent));
            if cr.tiers.is_empty() {
                explanation.push(format!("{at_risk} × {alloc}% = {allocation_credit}"));
            } else {
                explanation.push(format!(
                    "{at_risk} × {alloc}% × tier {tier_percent}% (shortfall {}) = {allocation_credit}",
                    shortfall(r).map_or("no data".to_string(), |s| s.to_string())
                ));
            }
        }
        let fixed_credit = sla.fixed_credit.unwrap_or_default();
        if fixed_credit > Decimal::ZERO {
            explanation.push(format!("fixed credit {fixed_credit}"));
        }
        let points = sla.points_per_miss.unwrap_or(0);
        if points > 0 {
            explanation.push(format!("{points} points"));
        }
        total_points += points;
        steps.push(format!(
            "{} {:?}: {}",
            sla.id,
            r.status,
            explanation.join(" + ")
        ));
        lines.push(CreditLine {
            sla_id: sla.id.clone(),
            status: r.status,
            allocation_credit,
            fixed_credit,
            points,
            explanation: explanation.join(" + "),
        });
    }
    let points_percent = cr
        .points
        .iter()
        .filter(|s| s.points <= total_points)
        .map(|s| s.credit_percent)
        .next_back()
        .unwrap_or_default();
    let points_credit = round(pct(charges, points_percent));
    if total_points > 0 {
        steps.push(format!(
            "{total_points} points → {points_percent}% of {charges} = {points_credit}"
        ));
    }
    let gross: Decimal = lines
        .iter()
        .map(|l| l.allocation_credit + l.fixed_credit)
        .sum::<Decimal>()
        + points_credit;
    let monthly_cap = round(pct(
        charges,
        cr.monthly_cap_percent
            .unwrap_or(cr.at_risk_percent)
            .min(cr.at_risk_percent),
    ));
    let mut credit = gross.min(monthly_cap);
    steps.push(format!(
        "gross credits {gross}; monthly cap {monthly_cap} → {credit}"
    ));
    let rolling_room = cr.rolling_cap_percent.map(|rc| {
        let window: Vec<&&MonthRecord> = past.range(this - 11..this).map(|(_, r)| r).collect();
        let charges_12: Decimal = window.iter().map(|r| r.charges).sum::<Decimal>() + charges;
        let credits_11: Decimal = window.iter().map(|r| r.credit).sum();
        let room = (round(pct(charges_12, rc)) - credits_11).max(Decimal::ZERO);
        steps.push(format!(
            "rolling cap {rc}% × {charges_12} (12 months' charges) − {credits_11} (last 11 months' credits) = room {room}"
        ));
        room
    });
    if let Some(room) = rolling_room {
        credit = credit.min(room);
    }
    steps.push(format!("credit due {credit}"));
    // Attribute the capped credit to SLAs pro rata, so earn-back returns the right share.
    let mut sla_credit = BTreeMap::new();
    if gross > Decimal::ZERO {
        for l in &lines {
            let share = (l.allocation_credit + l.fixed_credit) * credit / gross;
            sla_credit.insert(l.sla_id.clone(), round(share));
        }
    }

    // Earn-back of earlier credits.
    let mut earn_backs = Vec::new();
    if let Some(eb) = &cr.earn_back
        && eb.periods > 0
    {
        let n = i32::try_from(eb.periods).unwrap_or(i32::MAX);
        let origin = this - n;
        let used_this_year = past
            .range(this - 11..this)
            .map(|(_, r)| r.earned_back.len())
            .sum::<usize>();
        let mut used = used_this_year;
        if let Some(rec) = past.get(&origin) {
            for (sla_id, amount) in &rec.sla_credit {
                if *amount <= Decimal::ZERO {
                    continue;
                }
                let met_since = (origin + 1..=this).all(|i| {
                    let status = if i == this {
                        results
                            .iter()
                            .find(|r| &r.sla_id == sla_id)
                            .map(|r| r.status)
                    } else {
                        past.get(&i).and_then(|r| r.status.get(sla_id).copied())
                    };
                    status == Some(Status::Met)
                });
                let allowed = eb.max_per_year.is_none_or(|m| used < m as usize);
                if met_since && allowed {
                    let back = round(pct(*amount, eb.max_percent.unwrap_or(Decimal::ONE_HUNDRED)));
                    steps.push(format!(
                        "earn-back: {sla_id} met for {} period(s) since {} → {back} of {amount} returned",
                        eb.periods,
                        rec.month
                    ));
                    earn_backs.push(EarnBackLine {
                        from_month: rec.month,
                        sla_id: sla_id.clone(),
                        amount: back,
                    });
                    used += 1;
                }
            }
        }
    }

    // Bonuses.
    let mut bonuses = Vec::new();
    for b in &cr.bonuses {
        let all = b.conditions.iter().all(|c| {
            let dir = doc
                .slas
                .iter()
                .find(|s| s.id == c.sla)
                .and_then(|s| metrics::metric(&s.metric))
                .map(|m| m.direction);
            let measured = results
                .iter()
                .find(|r| r.sla_id == c.sla)
                .and_then(|r| r.measured);
            match (measured, dir) {
                (Some(v), Some(metrics::Direction::LowerIsBetter)) => v <= c.level,
                (Some(v), Some(_)) => v >= c.level,
                _ => false,
            }
        });
        if all {
            let mut amount =
                b.percent.map_or(Decimal::ZERO, |p| pct(charges, p)) + b.amount.unwrap_or_default();
            if let Some(cap) = b.cap {
                amount = amount.min(cap);
            }
            let amount = round(amount);
            steps.push(format!("bonus {} earned: {amount}", b.id));
            bonuses.push(BonusLine {
                bonus_id: b.id.clone(),
                amount,
                explanation: "all conditions met".into(),
            });
        }
    }

    // Bonus pool.
    let bonus_pool = cr.bonus_pool.as_ref().map(|bp| {
        let opening = past
            .get(&(this - 1))
            .map_or(Decimal::ZERO, |r| r.bonus_pool_balance);
        let all_met = doc
            .slas
            .iter()
            .filter(|s| s.class == SlaClass::Critical)
            .all(|s| {
                results
                    .iter()
                    .find(|r| r.sla_id == s.id)
                    .is_none_or(|r| !r.status.is_miss())
            });
        let change = if all_met {
            round(pct(charges, bp.add_percent_per_met_month))
        } else {
            -round(pct(charges, bp.subtract_percent_per_missed_month))
        };
        let balance = (opening + change).max(Decimal::ZERO);
        let payout_month = match bp.paid {
            pacta_contract::PeriodKind::Quarter => month.month() % 3 == 0,
            pacta_contract::PeriodKind::Month => true,
            _ => month.month() == 12,
        };
        let paid = if payout_month { balance } else { Decimal::ZERO };
        steps.push(format!(
            "bonus pool {opening} {change:+} → {balance}; paid {paid}"
        ));
        BonusPoolMove {
            opening,
            change,
            paid,
            closing: balance - paid,
        }
    });

    // Chronic and persistent failure.
    let mut chronic = Vec::new();
    let status_at = |sla: &str, i: i32| -> Option<Status> {
        if i == this {
            results.iter().find(|r| r.sla_id == sla).map(|r| r.status)
        } else {
            past.get(&i).and_then(|r| r.status.get(sla).copied())
        }
    };
    for t in &cr.chronic {
        let slas: Vec<&str> = if t.slas.is_empty() {
            doc.slas
                .iter()
                .filter(|s| s.class == SlaClass::Critical)
                .map(|s| s.id.as_str())
                .collect()
        } else {
            t.slas.iter().map(String::as_str).collect()
        };
        let count = i32::try_from(t.count).unwrap_or(i32::MAX);
        for sla in slas {
            let (fired, why) = match t.kind {
                ChronicKind::BelowMinimumConsecutive => (
                    (0..count).all(|k| status_at(sla, this - k) == Some(Status::BelowMinimum)),
                    format!("below minimum {count} consecutive months"),
                ),
                ChronicKind::MissedConsecutive => (
                    (0..count).all(|k| status_at(sla, this - k).is_some_and(Status::is_miss)),
                    format!("missed {count} consecutive months"),
                ),
                ChronicKind::MissesInWindow => {
                    let w = i32::try_from(t.window_months.unwrap_or(12)).unwrap_or(12);
                    let misses = (0..w)
                        .filter(|k| status_at(sla, this - k).is_some_and(Status::is_miss))
                        .count();
                    let this_missed = status_at(sla, this).is_some_and(Status::is_miss);
                    // Fires in the month the count reaches a multiple of `count`.
                    let fired = this_missed
                        && misses >= t.count as usize
                        && misses % (t.count as usize).max(1) == 0;
                    (fired, format!("{misses} misses in the last {w} months"))
                }
            };
            if !fired {
                continue;
            }
            let credit = if t.remedy == ChronicRemedy::EscalatedCredit {
                let annual: Decimal = past
                    .range(this - 11..this)
                    .map(|(_, r)| r.charges)
                    .sum::<Decimal>()
                    + charges;
                let base = t.credit_percent_of_annual.unwrap_or_default();
                let extra_steps = if t.kind == ChronicKind::MissesInWindow {
                    let w = i32::try_from(t.window_months.unwrap_or(12)).unwrap_or(12);
                    let misses = (0..w)
                        .filter(|k| status_at(sla, this - k).is_some_and(Status::is_miss))
                        .count();
                    Decimal::from((misses / (t.count as usize).max(1)).saturating_sub(1))
                } else {
                    Decimal::ZERO
                };
                let percent = base + extra_steps * t.step_percent.unwrap_or_default();
                round(pct(annual, percent))
            } else {
                Decimal::ZERO
            };
            steps.push(format!(
                "chronic trigger {} fired on {sla}: {why} → {:?} {credit}",
                t.id, t.remedy
            ));
            chronic.push(ChronicEvent {
                trigger_id: t.id.clone(),
                sla_id: sla.to_string(),
                remedy: t.remedy,
                credit,
                explanation: why,
            });
        }
    }

    CreditStatement {
        charges,
        at_risk,
        lines,
        points_credit,
        gross,
        monthly_cap,
        rolling_room,
        credit,
        earn_backs,
        bonuses,
        bonus_pool,
        chronic,
        sla_credit,
        steps,
    }
}

fn shortfall(r: &SlaResult) -> Option<Decimal> {
    r.measured.map(|m| (r.expected - m).abs())
}

fn tier_percent(cr: &pacta_contract::Credits, r: &SlaResult) -> Decimal {
    if cr.tiers.is_empty() {
        return Decimal::ONE_HUNDRED;
    }
    let Some(s) = shortfall(r) else {
        // No data: the harshest tier applies.
        return cr
            .tiers
            .iter()
            .map(|t| t.credit_percent)
            .max()
            .unwrap_or(Decimal::ONE_HUNDRED);
    };
    cr.tiers
        .iter()
        .find(|t| s >= t.shortfall_from && t.shortfall_to.is_none_or(|to| s < to))
        .map_or(Decimal::ZERO, |t| t.credit_percent)
}
