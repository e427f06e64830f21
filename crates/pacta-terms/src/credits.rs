//! Service credits, earn-back, bonuses, the bonus pool and chronic-failure triggers.
//!
//! The arithmetic follows `docs/spec/contract-elements.md` §4: credit per miss = at-risk amount ×
//! allocation (optionally × a tier by shortfall), plus fixed amounts and points; then the
//! monthly cap (at most the at-risk amount) and the rolling twelve-month cap computed against
//! the last eleven months' charges and credits (Accord Project template).

use std::collections::BTreeMap;

use pacta_contract::{
    ChronicKind, ChronicRemedy, ChronicTrigger, Contract, Credits, PeriodKind, SlaClass, SlaTerms,
    metrics,
};
use pacta_core::Month;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::TermsError;
use crate::money::{self as mo, pct};
use crate::{SlaResult, Status};

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
    ///
    /// [`settle_credits`] refuses a month whose net does not fit in a decimal, so for its
    /// statements this is exact; for a statement made by hand the sum saturates.
    pub fn net_to_client(&self) -> Decimal {
        self.checked_net_to_client().unwrap_or_else(|_| {
            let sum = |it: &mut dyn Iterator<Item = Decimal>| {
                it.fold(Decimal::ZERO, |a, b| a.saturating_add(b))
            };
            self.credit
                .saturating_add(sum(&mut self.chronic.iter().map(|c| c.credit)))
                .saturating_sub(sum(&mut self.earn_backs.iter().map(|e| e.amount)))
                .saturating_sub(sum(&mut self.bonuses.iter().map(|b| b.amount)))
                .saturating_sub(self.bonus_pool.as_ref().map_or(Decimal::ZERO, |b| b.paid))
        })
    }

    /// [`CreditStatement::net_to_client`], or an overflow error.
    fn checked_net_to_client(&self) -> Result<Decimal, TermsError> {
        const NET: &str = "net to client";
        let escalated = mo::sum(self.chronic.iter().map(|c| c.credit), NET)?;
        let earned_back = mo::sum(self.earn_backs.iter().map(|e| e.amount), NET)?;
        let bonuses = mo::sum(self.bonuses.iter().map(|b| b.amount), NET)?;
        let paid = self.bonus_pool.as_ref().map_or(Decimal::ZERO, |b| b.paid);
        let net = mo::add(self.credit, escalated, NET)?;
        let net = mo::sub(net, earned_back, NET)?;
        let net = mo::sub(net, bonuses, NET)?;
        mo::sub(net, paid, NET)
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
/// The steps run in the order the contract applies them: each SLA's credit for the period,
/// the points scheme, the monthly and rolling caps, the capped credit attributed back to the
/// SLAs, earn-back of earlier credits, bonuses, the bonus pool and the chronic triggers.
///
/// Fails when an amount is too large for a decimal (absurd charges, fixed credits, bonus
/// amounts or history).
pub fn settle_credits(
    contract: &Contract,
    month: Month,
    charges: Decimal,
    results: &[SlaResult],
    history: &[MonthRecord],
) -> Result<CreditStatement, TermsError> {
    let Some(credits) = &contract.doc.credits else {
        return Ok(CreditStatement {
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
        });
    };
    let m = CreditMonth::new(contract, credits, month, charges, results, history);
    let mut steps = Vec::new();
    let at_risk = m.round(pct(charges, credits.at_risk_percent, "at-risk")?);
    steps.push(format!(
        "at-risk amount = {charges} × {}% = {at_risk}",
        credits.at_risk_percent
    ));
    let lines = period_credits(&m, at_risk, &mut steps)?;
    let points_credit = points_credit(&m, &lines, &mut steps)?;
    let lines_total = mo::sum(
        lines
            .iter()
            .map(line_credit)
            .collect::<Result<Vec<_>, _>>()?,
        "gross credits",
    )?;
    let gross = mo::add(lines_total, points_credit, "gross credits")?;
    let Caps {
        monthly_cap,
        rolling_room,
        credit,
    } = caps(&m, gross, &mut steps)?;
    let sla_credit = attribute_to_slas(&m, &lines, gross, credit)?;
    let earn_backs = earn_backs(&m, &mut steps)?;
    let bonuses = bonuses(&m, &mut steps)?;
    let bonus_pool = bonus_pool(&m, &mut steps)?;
    let chronic = chronic_events(&m, &mut steps)?;
    let statement = CreditStatement {
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
    };
    // Refuse here a month whose net would not fit, so `net_to_client` is exact.
    statement.checked_net_to_client()?;
    Ok(statement)
}

/// A line's credit before caps: its allocation credit plus its fixed credit.
fn line_credit(l: &CreditLine) -> Result<Decimal, TermsError> {
    mo::add(l.allocation_credit, l.fixed_credit, &l.sla_id)
}

/// What every step of a month's credits reads: the contract's terms, the month and its
/// charges, this month's results by SLA and the earlier months by month index.
struct CreditMonth<'a> {
    contract: &'a Contract,
    credits: &'a Credits,
    month: Month,
    /// `Month::index` of the month.
    this: i32,
    charges: Decimal,
    /// This month's result of each SLA (the first one given, when an id repeats).
    results: BTreeMap<&'a str, &'a SlaResult>,
    /// Earlier months' records by month index.
    past: BTreeMap<i32, &'a MonthRecord>,
}

impl<'a> CreditMonth<'a> {
    fn new(
        contract: &'a Contract,
        credits: &'a Credits,
        month: Month,
        charges: Decimal,
        results: &'a [SlaResult],
        history: &'a [MonthRecord],
    ) -> Self {
        let this = Month::index(month);
        let mut by_sla = BTreeMap::new();
        for r in results {
            by_sla.entry(r.sla_id.as_str()).or_insert(r);
        }
        CreditMonth {
            contract,
            credits,
            month,
            this,
            charges,
            results: by_sla,
            past: history
                .iter()
                .filter(|r| Month::index(r.month) < this)
                .map(|r| (Month::index(r.month), r))
                .collect(),
        }
    }

    fn round(&self, d: Decimal) -> Decimal {
        self.contract.round_money(d)
    }

    fn result(&self, sla_id: &str) -> Option<&'a SlaResult> {
        self.results.get(sla_id).copied()
    }

    /// The status of an SLA in the month with index `i` (this month or an earlier one).
    fn status_at(&self, sla_id: &str, i: i32) -> Option<Status> {
        if i == self.this {
            self.result(sla_id).map(|r| r.status)
        } else {
            self.past
                .get(&i)
                .and_then(|r| r.status.get(sla_id).copied())
        }
    }

    /// The eleven months before this one that have a record (the rest of a rolling year).
    fn last_eleven(&self) -> impl Iterator<Item = &'a MonthRecord> + '_ {
        self.past.range(self.this - 11..self.this).map(|(_, r)| *r)
    }

    /// The contract's critical SLAs, the ones credits and the bonus pool look at.
    fn critical_slas(&self) -> impl Iterator<Item = &'a SlaTerms> + use<'a> {
        self.contract
            .slas()
            .iter()
            .filter(|s| s.class == SlaClass::Critical)
    }
}

/// Each missed critical SLA's credit for the period: its allocation of the at-risk amount
/// (scaled by the shortfall tier when the contract has tiers), its fixed credit and its points.
fn period_credits(
    m: &CreditMonth,
    at_risk: Decimal,
    steps: &mut Vec<String>,
) -> Result<Vec<CreditLine>, TermsError> {
    let mut lines = Vec::new();
    for sla in m.critical_slas() {
        let Some(r) = m.result(&sla.id) else {
            continue;
        };
        if !r.status.is_miss() {
            continue;
        }
        let line = sla_period_credit(m, sla, r, at_risk)?;
        steps.push(format!("{} {:?}: {}", sla.id, r.status, line.explanation));
        lines.push(line);
    }
    Ok(lines)
}

/// One missed SLA's credit before caps.
fn sla_period_credit(
    m: &CreditMonth,
    sla: &SlaTerms,
    r: &SlaResult,
    at_risk: Decimal,
) -> Result<CreditLine, TermsError> {
    let cr = m.credits;
    let mut explanation = Vec::new();
    let mut allocation_credit = Decimal::ZERO;
    if let Some(alloc) = sla.allocation_percent {
        let tier_percent = tier_percent(cr, r);
        let allocated = pct(at_risk, alloc, &sla.id)?;
        allocation_credit = m.round(pct(allocated, tier_percent, &sla.id)?);
        if cr.tiers.is_empty() {
            explanation.push(format!("{at_risk} × {alloc}% = {allocation_credit}"));
        } else {
            explanation.push(format!(
                "{at_risk} × {alloc}% × tier {tier_percent}% (shortfall {}) = {allocation_credit}",
                match (shortfall(r), r.expected) {
                    (Some(s), _) => s.to_string(),
                    (None, None) if r.measured.is_some() => "unknown: no target in force".into(),
                    (None, _) => "no data".into(),
                }
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
    Ok(CreditLine {
        sla_id: sla.id.clone(),
        status: r.status,
        allocation_credit,
        fixed_credit,
        points,
        explanation: explanation.join(" + "),
    })
}

/// The credit the points scheme gives for the points the misses earned: the highest step
/// reached, as a percentage of the charges.
fn points_credit(
    m: &CreditMonth,
    lines: &[CreditLine],
    steps: &mut Vec<String>,
) -> Result<Decimal, TermsError> {
    // Points per miss are u32 each; a sum past u32 is as good as the top step.
    let total_points: u32 = lines
        .iter()
        .fold(0u32, |acc, l| acc.saturating_add(l.points));
    let points_percent = m
        .credits
        .points
        .iter()
        .filter(|s| s.points <= total_points)
        .map(|s| s.credit_percent)
        .next_back()
        .unwrap_or_default();
    let charges = m.charges;
    let points_credit = m.round(pct(charges, points_percent, "points")?);
    if total_points > 0 {
        steps.push(format!(
            "{total_points} points → {points_percent}% of {charges} = {points_credit}"
        ));
    }
    Ok(points_credit)
}

/// The overall caps on a month's credit.
struct Caps {
    monthly_cap: Decimal,
    rolling_room: Option<Decimal>,
    /// The credit due after both caps.
    credit: Decimal,
}

/// The gross credit under the monthly cap (at most the at-risk amount) and the room the
/// rolling twelve-month cap leaves after the last eleven months' credits.
fn caps(m: &CreditMonth, gross: Decimal, steps: &mut Vec<String>) -> Result<Caps, TermsError> {
    let cr = m.credits;
    let charges = m.charges;
    let monthly_cap = m.round(pct(
        charges,
        cr.monthly_cap_percent
            .unwrap_or(cr.at_risk_percent)
            .min(cr.at_risk_percent),
        "monthly cap",
    )?);
    let mut credit = gross.min(monthly_cap);
    steps.push(format!(
        "gross credits {gross}; monthly cap {monthly_cap} → {credit}"
    ));
    let rolling_room = match cr.rolling_cap_percent {
        None => None,
        Some(rc) => {
            const ROLLING: &str = "rolling cap";
            let charges_12 = mo::add(
                mo::sum(m.last_eleven().map(|r| r.charges), ROLLING)?,
                charges,
                ROLLING,
            )?;
            let credits_11 = mo::sum(m.last_eleven().map(|r| r.credit), ROLLING)?;
            let room = mo::sub(m.round(pct(charges_12, rc, ROLLING)?), credits_11, ROLLING)?
                .max(Decimal::ZERO);
            steps.push(format!(
                "rolling cap {rc}% × {charges_12} (12 months' charges) − {credits_11} (last 11 months' credits) = room {room}"
            ));
            Some(room)
        }
    };
    if let Some(room) = rolling_room {
        credit = credit.min(room);
    }
    steps.push(format!("credit due {credit}"));
    Ok(Caps {
        monthly_cap,
        rolling_room,
        credit,
    })
}

/// The capped credit attributed to the SLAs pro rata, so earn-back returns the right share.
fn attribute_to_slas(
    m: &CreditMonth,
    lines: &[CreditLine],
    gross: Decimal,
    credit: Decimal,
) -> Result<BTreeMap<String, Decimal>, TermsError> {
    let mut sla_credit = BTreeMap::new();
    if gross > Decimal::ZERO {
        for l in lines {
            let share = mo::div(
                mo::mul(line_credit(l)?, credit, &l.sla_id)?,
                gross,
                &l.sla_id,
            )?;
            sla_credit.insert(l.sla_id.clone(), m.round(share));
        }
    }
    Ok(sla_credit)
}

/// Credits of the month `periods` back returned for each SLA met in every month since,
/// within the yearly limit.
fn earn_backs(m: &CreditMonth, steps: &mut Vec<String>) -> Result<Vec<EarnBackLine>, TermsError> {
    let mut earn_backs = Vec::new();
    let Some(eb) = m.credits.earn_back.as_ref().filter(|eb| eb.periods > 0) else {
        return Ok(earn_backs);
    };
    let this = m.this;
    let n = i32::try_from(eb.periods).unwrap_or(i32::MAX);
    let origin = this - n;
    let mut used = m.last_eleven().map(|r| r.earned_back.len()).sum::<usize>();
    let Some(rec) = m.past.get(&origin) else {
        return Ok(earn_backs);
    };
    for (sla_id, amount) in &rec.sla_credit {
        if *amount <= Decimal::ZERO {
            continue;
        }
        let met_since = (origin + 1..=this).all(|i| m.status_at(sla_id, i) == Some(Status::Met));
        let allowed = eb.max_per_year.is_none_or(|max| used < max as usize);
        if met_since && allowed {
            let back = m.round(pct(
                *amount,
                eb.max_percent.unwrap_or(Decimal::ONE_HUNDRED),
                sla_id,
            )?);
            steps.push(format!(
                "earn-back: {sla_id} met for {} period(s) since {} → {back} of {amount} returned",
                eb.periods, rec.month
            ));
            earn_backs.push(EarnBackLine {
                from_month: rec.month,
                sla_id: sla_id.clone(),
                amount: back,
            });
            used += 1;
        }
    }
    Ok(earn_backs)
}

/// Bonuses whose every condition the month's measured values meet.
fn bonuses(m: &CreditMonth, steps: &mut Vec<String>) -> Result<Vec<BonusLine>, TermsError> {
    let mut bonuses = Vec::new();
    for b in &m.credits.bonuses {
        let all = b.conditions.iter().all(|c| {
            let direction = m.contract.sla(&c.sla).map(|s| s.measure.direction());
            let measured = m.result(&c.sla).and_then(|r| r.measured);
            match (measured, direction) {
                (Some(v), Some(metrics::Direction::LowerIsBetter)) => v <= c.level,
                (Some(v), Some(_)) => v >= c.level,
                _ => false,
            }
        });
        if all {
            let share = match b.percent {
                Some(p) => pct(m.charges, p, &b.id)?,
                None => Decimal::ZERO,
            };
            let mut amount = mo::add(share, b.amount.unwrap_or_default(), &b.id)?;
            if let Some(cap) = b.cap {
                amount = amount.min(cap);
            }
            let amount = m.round(amount);
            steps.push(format!("bonus {} earned: {amount}", b.id));
            bonuses.push(BonusLine {
                bonus_id: b.id.clone(),
                amount,
                explanation: "all conditions met".into(),
            });
        }
    }
    Ok(bonuses)
}

/// The bonus pool: added to in a month every critical SLA met, drawn down otherwise, paid
/// out at the end of each payout period.
fn bonus_pool(
    m: &CreditMonth,
    steps: &mut Vec<String>,
) -> Result<Option<BonusPoolMove>, TermsError> {
    const POOL: &str = "bonus pool";
    let Some(bp) = m.credits.bonus_pool.as_ref() else {
        return Ok(None);
    };
    let opening = m
        .past
        .get(&(m.this - 1))
        .map_or(Decimal::ZERO, |r| r.bonus_pool_balance);
    let all_met = m
        .critical_slas()
        .all(|s| m.result(&s.id).is_none_or(|r| !r.status.is_miss()));
    let change = if all_met {
        m.round(pct(m.charges, bp.add_percent_per_met_month, POOL)?)
    } else {
        -m.round(pct(m.charges, bp.subtract_percent_per_missed_month, POOL)?)
    };
    let balance = mo::add(opening, change, POOL)?.max(Decimal::ZERO);
    let payout_month = match bp.paid {
        PeriodKind::Quarter => m.month.month() % 3 == 0,
        PeriodKind::Month => true,
        _ => m.month.month() == 12,
    };
    let paid = if payout_month { balance } else { Decimal::ZERO };
    steps.push(format!(
        "bonus pool {opening} {change:+} → {balance}; paid {paid}"
    ));
    Ok(Some(BonusPoolMove {
        opening,
        change,
        paid,
        closing: balance - paid,
    }))
}

/// Chronic and persistent failure: each trigger checked on each SLA it watches (the critical
/// ones when it names none), with the escalated credit of those that fire.
fn chronic_events(
    m: &CreditMonth,
    steps: &mut Vec<String>,
) -> Result<Vec<ChronicEvent>, TermsError> {
    let mut chronic = Vec::new();
    for t in &m.credits.chronic {
        let slas: Vec<&SlaTerms> = if t.slas.is_empty() {
            m.critical_slas().collect()
        } else {
            // Validation checked that every SLA a trigger names exists.
            t.slas.iter().filter_map(|id| m.contract.sla(id)).collect()
        };
        for sla in slas {
            let Some(firing) = trigger_fires(m, t, &sla.id) else {
                continue;
            };
            let credit = escalated_credit(m, t, firing.misses)?;
            steps.push(format!(
                "chronic trigger {} fired on {}: {} → {:?} {credit}",
                t.id, sla.id, firing.why, t.remedy
            ));
            chronic.push(ChronicEvent {
                trigger_id: t.id.clone(),
                sla_id: sla.id.clone(),
                remedy: t.remedy,
                credit,
                explanation: firing.why,
            });
        }
    }
    Ok(chronic)
}

/// A trigger that fired on an SLA.
struct Firing {
    /// Why, in words.
    why: String,
    /// Misses in the trigger's window (for a misses-in-window trigger; 0 otherwise).
    misses: usize,
}

/// Whether a trigger fires on an SLA this month.
fn trigger_fires(m: &CreditMonth, t: &ChronicTrigger, sla_id: &str) -> Option<Firing> {
    let this = m.this;
    let count = i32::try_from(t.count).unwrap_or(i32::MAX);
    let (fired, why, misses) = match t.kind {
        ChronicKind::BelowMinimumConsecutive => (
            (0..count).all(|k| m.status_at(sla_id, this - k) == Some(Status::BelowMinimum)),
            format!("below minimum {count} consecutive months"),
            0,
        ),
        ChronicKind::MissedConsecutive => (
            (0..count).all(|k| m.status_at(sla_id, this - k).is_some_and(Status::is_miss)),
            format!("missed {count} consecutive months"),
            0,
        ),
        ChronicKind::MissesInWindow => {
            let w = i32::try_from(t.window_months.unwrap_or(12)).unwrap_or(12);
            let misses = (0..w)
                .filter(|k| m.status_at(sla_id, this - k).is_some_and(Status::is_miss))
                .count();
            let this_missed = m.status_at(sla_id, this).is_some_and(Status::is_miss);
            // Fires in the month the count reaches a multiple of `count`.
            let fired = this_missed
                && misses >= t.count as usize
                && misses % (t.count as usize).max(1) == 0;
            (
                fired,
                format!("{misses} misses in the last {w} months"),
                misses,
            )
        }
    };
    fired.then_some(Firing { why, misses })
}

/// The escalated credit of a trigger that fired: a percentage of the last twelve months'
/// charges, one step higher for each further multiple of misses in the window.
fn escalated_credit(
    m: &CreditMonth,
    t: &ChronicTrigger,
    misses: usize,
) -> Result<Decimal, TermsError> {
    if t.remedy != ChronicRemedy::EscalatedCredit {
        return Ok(Decimal::ZERO);
    }
    let annual = mo::add(
        mo::sum(m.last_eleven().map(|r| r.charges), &t.id)?,
        m.charges,
        &t.id,
    )?;
    let base = t.credit_percent_of_annual.unwrap_or_default();
    let extra_steps = if t.kind == ChronicKind::MissesInWindow {
        Decimal::from((misses / (t.count as usize).max(1)).saturating_sub(1))
    } else {
        Decimal::ZERO
    };
    let percent = mo::add(
        base,
        mo::mul(extra_steps, t.step_percent.unwrap_or_default(), &t.id)?,
        &t.id,
    )?;
    Ok(m.round(pct(annual, percent, &t.id)?))
}

/// How far the measured value is from the target; `None` without a value or without a target.
fn shortfall(r: &SlaResult) -> Option<Decimal> {
    Some(r.expected?.checked_sub(r.measured?)?.abs())
}

fn tier_percent(cr: &pacta_contract::Credits, r: &SlaResult) -> Decimal {
    if cr.tiers.is_empty() {
        return Decimal::ONE_HUNDRED;
    }
    let Some(s) = shortfall(r) else {
        // No data (or no target to measure a shortfall against): the harshest tier applies.
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
