//! Every dated obligation a contract derives over a range of days.
//!
//! [`obligations`] reads only the contract, the range and a [`History`] of facts that happen
//! outside the contract text (a month settled, a breach detected, an exit chosen, an audit
//! planned, a dispute step running). The same inputs always give the same list, in the same
//! order, with the same ids: the database stores instances by [`Obligation::id`] and a new
//! contract version supersedes the ids it no longer derives.
//!
//! ## Date rules
//!
//! | kind | due | moved to a business day |
//! |---|---|---|
//! | term end | effective date + term months − 1 day, then each renewal term | no |
//! | non-renewal notice | term end − `renewal.notice_days` | earlier, never later |
//! | convenience notice | chosen exit − `termination.convenience_notice_days` | earlier |
//! | report due | period end + `due_days_after_period` business days | counted in business days |
//! | meeting, calibration | the week, month or quarter as a window | no |
//! | audit notice | planned audit − `governance.audit.notice_days` | earlier |
//! | invoice due | day `invoice_due_day` of the next month (clamped to its length) | no |
//! | payment due | invoice due + `net_days` | no |
//! | price review | `first_review` + k × `every_months` | no |
//! | credit claim | settlement date + `claim_window_days` (unless credits are automatic) | no |
//! | pilot review | effective date + `pilot.weeks` weeks | no |
//! | dispute step | the step's deadline, an instant | no |
//! | breach notice | detection instant + `breach_notice_hours`, an instant | no |
//! | penetration and continuity tests | a window: the contract year, or an equal share of it | no |
//! | certification | the contract year's first day | no |
//! | data deletion (retention) | last day of the month + `retention_days` | no |
//! | data deletion (exit) | exit + `exit.data_days` | no |
//!
//! "Earlier, never later": a notice may always be given early, so a notice deadline that falls
//! on a weekend or closed holiday moves to the business day before it. Invoice and payment
//! dates are not moved: the contract names the day, and moving a payment earlier than agreed
//! would be a term pacta made up.
//!
//! Contract years run from the effective date's anniversary to the day before the next one.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use pacta_contract::model::{Certification, PeriodKind};
use pacta_contract::{Contract, FieldPath, Location, Month};
use pacta_core::Lang;
use serde::{Deserialize, Serialize};

use crate::{BusinessCalendar, GovernanceError};

/// The period of the initial term's obligations.
const INITIAL_TERM: &str = "initial";
/// The prefix of a renewal term's period (`renewal 2`).
const RENEWAL: &str = "renewal";

/// The longest range [`obligations`] accepts.
pub const MAX_RANGE_YEARS: i16 = 10;

/// Who must act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The client.
    Client,
    /// The provider.
    Provider,
    /// Both parties together (a meeting, a review).
    Both,
}

impl Party {
    /// The party's name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Party::Client => lang.pick("client", "cliente"),
            Party::Provider => lang.pick("provider", "proveedor"),
            Party::Both => lang.pick("both", "ambas"),
        }
    }
}

pub use crate::kind::ObligationKind;

/// When an obligation is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Due {
    /// By the end of this civil day in the contract's zone.
    Date {
        /// The day.
        date: Date,
    },
    /// At some time within these days (inclusive).
    Window {
        /// First day.
        first: Date,
        /// Last day.
        last: Date,
    },
    /// By this instant (hour-based rules).
    Instant {
        /// The instant, UTC.
        at: Timestamp,
    },
}

impl Due {
    /// The last civil day (in `tz`) by which the obligation is met.
    pub fn last_day(&self, tz: &TimeZone) -> Date {
        match *self {
            Due::Date { date } => date,
            Due::Window { last, .. } => last,
            Due::Instant { at } => at.to_zoned(tz.clone()).date(),
        }
    }

    /// The first civil day (in `tz`) the obligation concerns.
    pub fn first_day(&self, tz: &TimeZone) -> Date {
        match *self {
            Due::Window { first, .. } => first,
            _ => self.last_day(tz),
        }
    }

    /// The due date as ids and tables write it.
    pub fn key(&self) -> String {
        match self {
            Due::Date { date } => date.to_string(),
            Due::Window { first, last } => format!("{first}..{last}"),
            Due::Instant { at } => at.strftime("%Y-%m-%dT%H:%MZ").to_string(),
        }
    }
}

/// One dated obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// Stable id: `contract/kind/reference/due`.
    pub id: String,
    /// What it is.
    pub kind: ObligationKind,
    /// Who must act.
    pub party: Party,
    /// When.
    pub due: Due,
    /// Days ahead a reminder goes out.
    pub lead_days: u32,
    /// The contract field it comes from (`quality.reports[1].due_days_after_period`).
    pub source: String,
    /// What it concerns, in the contract's words: a report's name, a meeting's name, a
    /// certification, `renewal 2`.
    pub subject: String,
    /// The period or occurrence it is for (`2026-10`, `2026-W41`, `2027 1 of 2`), or empty.
    pub period: String,
}

impl Obligation {
    /// A one-line title in `lang`.
    pub fn title(&self, lang: Lang) -> String {
        let label = self.kind.label(lang);
        let period = self.period_label(lang);
        match (self.subject.is_empty(), period.is_empty()) {
            (true, true) => label.to_string(),
            (false, true) => format!("{label}: {}", self.subject),
            (true, false) => format!("{label} ({period})"),
            (false, false) => format!("{label}: {} ({period})", self.subject),
        }
    }

    /// The period in `lang`: the only words in it are the term's names.
    pub fn period_label(&self, lang: Lang) -> String {
        if self.period == INITIAL_TERM {
            return lang.pick("initial term", "plazo inicial").to_string();
        }
        if let Some(n) = self.period.strip_prefix(RENEWAL) {
            return format!("{}{n}", lang.pick("renewal", "renovación"));
        }
        self.period.clone()
    }

    /// Where in the contract text the obligation comes from.
    pub fn location(&self, contract: &Contract) -> Location {
        contract.locate(&FieldPath::parse(&self.source))
    }
}

/// Facts that come from outside the contract text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Months settled, with the instant their settlement was issued.
    pub settlements: Vec<(Month, Timestamp)>,
    /// Data breaches, with their id and the instant they were detected.
    pub breaches: Vec<(String, Timestamp)>,
    /// The exit date chosen for a termination for convenience, if any.
    pub exit_on: Option<Date>,
    /// Planned audit dates.
    pub planned_audits: Vec<Date>,
    /// Running dispute steps: the dispute id, the step's name and its deadline.
    pub dispute_steps: Vec<(String, String, Timestamp)>,
}

/// Every obligation of `contract` concerning a day in `from..=to`, ordered by due date, then
/// kind, then id.
pub fn obligations(
    contract: &Contract,
    from: Date,
    to: Date,
    history: &History,
) -> Result<Vec<Obligation>, GovernanceError> {
    check_range(from, to)?;
    let mut b = Builder {
        contract,
        calendar: BusinessCalendar::from_contract(contract)?,
        tz: &contract.time_zone,
        from,
        to,
        out: Vec::new(),
    };
    let service = b.term_chain(history)?;
    b.exit(history, service.end)?;
    b.reports(&service)?;
    b.windows(&service)?;
    b.audits(history)?;
    b.payments(&service)?;
    b.price_reviews(&service)?;
    b.claims(history)?;
    b.pilot()?;
    b.events(history)?;
    b.quotas(&service)?;
    b.retention(&service)?;
    b.data_proven(&service)?;
    let tz = &contract.time_zone;
    b.out.sort_by(|x, y| {
        (x.due.last_day(tz), x.kind, &x.id).cmp(&(y.due.last_day(tz), y.kind, &y.id))
    });
    b.out.dedup_by(|x, y| x.id == y.id);
    Ok(b.out)
}

/// Refuses an inverted range or one longer than [`MAX_RANGE_YEARS`].
pub fn check_range(from: Date, to: Date) -> Result<(), GovernanceError> {
    if to < from {
        return Err(GovernanceError::RangeInverted { from, to });
    }
    let limit = from
        .checked_add(i64::from(MAX_RANGE_YEARS).years())
        .map_err(|_| GovernanceError::DateOutOfRange { from })?;
    if to >= limit {
        return Err(GovernanceError::RangeTooLong {
            from,
            to,
            max_years: MAX_RANGE_YEARS,
        });
    }
    Ok(())
}

/// The days the service runs within the range's reach: from the effective date to the end of
/// the last term that starts before the range ends (or the chosen exit).
struct Service {
    start: Date,
    /// Last day of service; `None` while tacit renewals continue past the range.
    end: Option<Date>,
}

impl Service {
    fn contains(&self, day: Date) -> bool {
        day >= self.start && self.end.is_none_or(|end| day <= end)
    }
}

struct Builder<'a> {
    contract: &'a Contract,
    calendar: BusinessCalendar,
    tz: &'a TimeZone,
    from: Date,
    to: Date,
    out: Vec<Obligation>,
}

impl Builder<'_> {
    fn push(
        &mut self,
        kind: ObligationKind,
        party: Party,
        due: Due,
        source: &str,
        subject: String,
        period: String,
    ) {
        let (first, last) = (due.first_day(self.tz), due.last_day(self.tz));
        if last < self.from || first > self.to {
            return;
        }
        let reference = match (subject.is_empty(), period.is_empty()) {
            (_, true) => subject.clone(),
            (true, false) => period.clone(),
            (false, false) => format!("{subject} {period}"),
        };
        let id = format!(
            "{}/{}/{}/{}",
            self.contract.doc.contract.id,
            kind.code(),
            id_part(&reference),
            due.key()
        );
        self.out.push(Obligation {
            id,
            kind,
            party,
            due,
            lead_days: kind.default_lead_days(),
            source: source.to_string(),
            subject,
            period,
        });
    }

    fn term_chain(&mut self, history: &History) -> Result<Service, GovernanceError> {
        let header = &self.contract.doc.contract;
        let start = header.effective_date.civil();
        let renewal = header.renewal.as_ref();
        let exit = history.exit_on;
        let mut term_start = start;
        let mut months = header.initial_term_months;
        let mut index = 0u32;
        loop {
            let end = add_months(term_start, months)?
                .yesterday()
                .map_err(|_| GovernanceError::DateOutOfRange { from: term_start })?;
            if let Some(exit) = exit
                && exit <= end
            {
                return Ok(Service {
                    start,
                    end: Some(exit),
                });
            }
            let (period, source) = if index == 0 {
                (INITIAL_TERM.to_string(), "contract.initial_term_months")
            } else {
                (format!("{RENEWAL} {index}"), "contract.renewal.term_months")
            };
            self.push(
                ObligationKind::TermEnd,
                Party::Both,
                Due::Date { date: end },
                source,
                String::new(),
                period.clone(),
            );
            let Some(renewal) = renewal else {
                return Ok(Service {
                    start,
                    end: Some(end),
                });
            };
            if let Some(days) = renewal.notice_days {
                let by = self.calendar.on_or_before(minus_days(end, days)?)?;
                let kind = if renewal.automatic {
                    ObligationKind::NonRenewalNotice
                } else {
                    ObligationKind::RenewalRequest
                };
                self.push(
                    kind,
                    Party::Both,
                    Due::Date { date: by },
                    "contract.renewal.notice_days",
                    String::new(),
                    period,
                );
            }
            let (true, Some(term)) = (renewal.automatic, renewal.term_months) else {
                return Ok(Service {
                    start,
                    end: Some(end),
                });
            };
            term_start = end
                .tomorrow()
                .map_err(|_| GovernanceError::DateOutOfRange { from: end })?;
            if term_start > self.to {
                return Ok(Service { start, end: None });
            }
            months = term;
            index += 1;
        }
    }

    fn exit(&mut self, history: &History, end: Option<Date>) -> Result<(), GovernanceError> {
        let doc = &self.contract.doc;
        if let Some(exit) = history.exit_on
            && let Some(days) = doc
                .termination
                .as_ref()
                .and_then(|t| t.convenience_notice_days)
        {
            let by = self.calendar.on_or_before(minus_days(exit, days)?)?;
            self.push(
                ObligationKind::ConvenienceNotice,
                Party::Client,
                Due::Date { date: by },
                "termination.convenience_notice_days",
                String::new(),
                exit.to_string(),
            );
        }
        if let (Some(end), Some(exit_terms)) = (end, doc.exit.as_ref())
            && (exit_terms.data_deletion || exit_terms.data_return)
        {
            let days = exit_terms.data_days.unwrap_or(0);
            let by = plus_days(end, days)?;
            self.push(
                ObligationKind::ExitDataDeletion,
                Party::Provider,
                Due::Date { date: by },
                if exit_terms.data_days.is_some() {
                    "exit.data_days"
                } else {
                    "exit.data_deletion"
                },
                String::new(),
                end.to_string(),
            );
        }
        Ok(())
    }

    fn reports(&mut self, service: &Service) -> Result<(), GovernanceError> {
        let Some(quality) = self.contract.doc.quality.as_ref() else {
            return Ok(());
        };
        for (i, report) in quality.reports.iter().enumerate() {
            let source = format!("quality.reports[{i}].due_days_after_period");
            // A period that ended before the range can fall due inside it: reach back a
            // quarter plus generously more than the business days counted (weekends and
            // holidays can at most triple them).
            let reach = 92 + 3 * i64::from(report.due_days_after_period) + 14;
            let earliest = self
                .from
                .checked_sub(reach.days())
                .map_err(|_| GovernanceError::DateOutOfRange { from: self.from })?;
            for (_first, last, period) in periods(report.frequency, service, earliest, self.to)? {
                let due = self
                    .calendar
                    .add_business_days(last, report.due_days_after_period)?;
                self.push(
                    ObligationKind::ReportDue,
                    Party::Provider,
                    Due::Date { date: due },
                    &source,
                    report.name.clone(),
                    period,
                );
            }
        }
        Ok(())
    }

    fn windows(&mut self, service: &Service) -> Result<(), GovernanceError> {
        let doc = &self.contract.doc;
        let meetings: Vec<(String, PeriodKind, String)> = doc
            .governance
            .iter()
            .flat_map(|g| g.meetings.iter().enumerate())
            .map(|(i, m)| {
                (
                    m.name.clone(),
                    m.frequency,
                    format!("governance.meetings[{i}]"),
                )
            })
            .collect();
        for (name, frequency, source) in meetings {
            for (first, last, period) in periods(frequency, service, self.from, self.to)? {
                self.push(
                    ObligationKind::Meeting,
                    Party::Both,
                    Due::Window { first, last },
                    &source,
                    name.clone(),
                    period,
                );
            }
        }
        if let Some(frequency) = doc.quality.as_ref().and_then(|q| q.calibration) {
            for (first, last, period) in periods(frequency, service, self.from, self.to)? {
                self.push(
                    ObligationKind::Calibration,
                    Party::Both,
                    Due::Window { first, last },
                    "quality.calibration",
                    String::new(),
                    period,
                );
            }
        }
        Ok(())
    }

    fn audits(&mut self, history: &History) -> Result<(), GovernanceError> {
        let Some(audit) = self
            .contract
            .doc
            .governance
            .as_ref()
            .and_then(|g| g.audit.as_ref())
        else {
            return Ok(());
        };
        let mut planned = history.planned_audits.clone();
        planned.sort();
        planned.dedup();
        let start = self.contract.doc.contract.effective_date.civil();
        let mut counted: Vec<(i64, u32)> = Vec::new();
        for day in planned {
            let year = contract_year(start, day)?;
            let k = match counted.iter_mut().find(|(y, _)| *y == year) {
                Some((_, k)) => {
                    *k += 1;
                    *k
                }
                None => {
                    counted.push((year, 1));
                    1
                }
            };
            let by = self
                .calendar
                .on_or_before(minus_days(day, audit.notice_days)?)?;
            let period = match audit.per_year {
                Some(n) => format!("{day} {k}/{n}"),
                None => day.to_string(),
            };
            self.push(
                ObligationKind::AuditNotice,
                Party::Client,
                Due::Date { date: by },
                "governance.audit.notice_days",
                String::new(),
                period,
            );
        }
        Ok(())
    }

    fn payments(&mut self, service: &Service) -> Result<(), GovernanceError> {
        let Some(payment) = self
            .contract
            .doc
            .pricing
            .as_ref()
            .and_then(|p| p.payment.as_ref())
        else {
            return Ok(());
        };
        let Some(day) = payment.invoice_due_day else {
            return Ok(());
        };
        // A payment falls due up to `net_days` after the month it pays for, so months that
        // ended before the range can still have a payment inside it.
        let reach = i64::from(payment.net_days) + 62;
        let earliest = self
            .from
            .checked_sub(reach.days())
            .map_err(|_| GovernanceError::DateOutOfRange { from: self.from })?;
        for (first, _last, period) in periods(PeriodKind::Month, service, earliest, self.to)? {
            let next = add_months(first, 1)?;
            let clamped = i8::try_from(day.clamp(1, 31))
                .unwrap_or(31)
                .min(next.days_in_month());
            let invoice = next
                .with()
                .day(clamped)
                .build()
                .map_err(|_| GovernanceError::DateOutOfRange { from: next })?;
            self.push(
                ObligationKind::InvoiceDue,
                Party::Provider,
                Due::Date { date: invoice },
                "pricing.payment.invoice_due_day",
                String::new(),
                period.clone(),
            );
            self.push(
                ObligationKind::PaymentDue,
                Party::Client,
                Due::Date {
                    date: plus_days(invoice, payment.net_days)?,
                },
                "pricing.payment.net_days",
                String::new(),
                period,
            );
        }
        Ok(())
    }

    fn price_reviews(&mut self, service: &Service) -> Result<(), GovernanceError> {
        let Some(indexation) = self
            .contract
            .doc
            .pricing
            .as_ref()
            .and_then(|p| p.indexation.as_ref())
        else {
            return Ok(());
        };
        let Some(first) = indexation.first_review else {
            return Ok(());
        };
        let first = first.civil();
        let mut k = 0u32;
        loop {
            let months = k.checked_mul(indexation.every_months);
            let Some(months) = months else { break };
            let day = add_months(first, months)?;
            if day > self.to || !service.contains(day) {
                break;
            }
            self.push(
                ObligationKind::PriceReview,
                Party::Both,
                Due::Date { date: day },
                "pricing.indexation.first_review",
                indexation.index.clone(),
                String::new(),
            );
            if indexation.every_months == 0 {
                break;
            }
            k += 1;
        }
        Ok(())
    }

    fn claims(&mut self, history: &History) -> Result<(), GovernanceError> {
        let Some(credits) = self.contract.doc.credits.as_ref() else {
            return Ok(());
        };
        let (false, Some(days)) = (credits.automatic, credits.claim_window_days) else {
            return Ok(());
        };
        for (month, at) in &history.settlements {
            let settled = at.to_zoned(self.tz.clone()).date();
            self.push(
                ObligationKind::CreditClaim,
                Party::Client,
                Due::Date {
                    date: plus_days(settled, days)?,
                },
                "credits.claim_window_days",
                String::new(),
                month.to_string(),
            );
        }
        Ok(())
    }

    fn pilot(&mut self) -> Result<(), GovernanceError> {
        let Some(pilot) = self
            .contract
            .doc
            .governance
            .as_ref()
            .and_then(|g| g.pilot.as_ref())
        else {
            return Ok(());
        };
        let start = self.contract.doc.contract.effective_date.civil();
        let day = plus_days(start, pilot.weeks.saturating_mul(7))?;
        self.push(
            ObligationKind::PilotReview,
            Party::Both,
            Due::Date { date: day },
            "governance.pilot.weeks",
            pilot.success_slas.join(", "),
            String::new(),
        );
        Ok(())
    }

    fn events(&mut self, history: &History) -> Result<(), GovernanceError> {
        if let Some(hours) = self
            .contract
            .doc
            .data_protection
            .as_ref()
            .and_then(|d| d.breach_notice_hours)
        {
            for (id, detected) in &history.breaches {
                // Hours are elapsed time, so the deadline is an instant: across a DST change
                // the local clock time moves, the hours do not.
                let at = detected
                    .checked_add(i64::from(hours).hours())
                    .map_err(|_| GovernanceError::DateOutOfRange {
                        from: detected.to_zoned(self.tz.clone()).date(),
                    })?;
                self.push(
                    ObligationKind::BreachNotice,
                    Party::Provider,
                    Due::Instant { at },
                    "data_protection.breach_notice_hours",
                    id.clone(),
                    String::new(),
                );
            }
        }
        for (id, step, deadline) in &history.dispute_steps {
            self.push(
                ObligationKind::DisputeStep,
                Party::Both,
                Due::Instant { at: *deadline },
                "disputes.steps",
                id.clone(),
                step.clone(),
            );
        }
        Ok(())
    }

    /// One obligation per month of service for each people and quality commitment the
    /// imported data can prove (see [`crate::proven`]).
    fn data_proven(&mut self, service: &Service) -> Result<(), GovernanceError> {
        let months = periods(PeriodKind::Month, service, self.from, self.to)?;
        for kind in crate::proven::DATA_PROVEN {
            let Some(requirement) = crate::proven::requirement(self.contract, kind) else {
                continue;
            };
            for (first, last, period) in &months {
                self.push(
                    kind,
                    Party::Provider,
                    Due::Window {
                        first: *first,
                        last: *last,
                    },
                    requirement.source,
                    String::new(),
                    period.clone(),
                );
            }
        }
        Ok(())
    }

    fn quotas(&mut self, service: &Service) -> Result<(), GovernanceError> {
        let doc = &self.contract.doc;
        let pen = doc
            .security
            .as_ref()
            .and_then(|s| s.penetration_tests_per_year);
        let continuity = doc
            .facilities
            .as_ref()
            .and_then(|f| f.continuity.as_ref())
            .and_then(|c| c.tests_per_year);
        let certifications: Vec<Certification> = doc
            .security
            .as_ref()
            .map(|s| s.certifications.clone())
            .unwrap_or_default();
        for (year_first, year_last) in contract_years(service, self.from, self.to)? {
            let year = year_first.year();
            for (per_year, kind, source) in [
                (
                    pen,
                    ObligationKind::PenetrationTest,
                    "security.penetration_tests_per_year",
                ),
                (
                    continuity,
                    ObligationKind::ContinuityTest,
                    "facilities.continuity.tests_per_year",
                ),
            ] {
                let Some(n) = per_year.filter(|n| *n > 0) else {
                    continue;
                };
                for (k, (first, last)) in shares(year_first, year_last, n)?.into_iter().enumerate()
                {
                    self.push(
                        kind,
                        Party::Provider,
                        Due::Window { first, last },
                        source,
                        String::new(),
                        format!("{year} {}/{n}", k + 1),
                    );
                }
            }
            for (i, certification) in certifications.iter().enumerate() {
                self.push(
                    ObligationKind::Certification,
                    Party::Provider,
                    Due::Date { date: year_first },
                    &format!("security.certifications[{i}]"),
                    certification_name(*certification).to_string(),
                    year.to_string(),
                );
            }
        }
        Ok(())
    }

    fn retention(&mut self, service: &Service) -> Result<(), GovernanceError> {
        let Some(days) = self
            .contract
            .doc
            .data_protection
            .as_ref()
            .and_then(|d| d.retention_days)
        else {
            return Ok(());
        };
        let earliest = self
            .from
            .checked_sub((i64::from(days) + 31).days())
            .map_err(|_| GovernanceError::DateOutOfRange { from: self.from })?;
        for (_first, last, period) in periods(PeriodKind::Month, service, earliest, self.to)? {
            self.push(
                ObligationKind::DataRetention,
                Party::Provider,
                Due::Date {
                    date: plus_days(last, days)?,
                },
                "data_protection.retention_days",
                String::new(),
                period,
            );
        }
        Ok(())
    }
}

/// The certification's usual name.
pub fn certification_name(c: Certification) -> &'static str {
    match c {
        Certification::Iso27001 => "ISO/IEC 27001",
        Certification::PciDss => "PCI DSS",
        Certification::Iso18295 => "ISO 18295-1",
        Certification::Copc => "COPC",
        Certification::Soc2 => "SOC 2 Type II",
        Certification::Hipaa => "HIPAA",
    }
}

/// Periods of `kind` that overlap both the service and `from..=to`, clipped to the service,
/// as (first day, last day, label). Intervals have no calendar period and yield nothing.
fn periods(
    kind: PeriodKind,
    service: &Service,
    from: Date,
    to: Date,
) -> Result<Vec<(Date, Date, String)>, GovernanceError> {
    let lo = from.max(service.start);
    let hi = service.end.map_or(to, |end| end.min(to));
    let mut out = Vec::new();
    if hi < lo {
        return Ok(out);
    }
    let mut first = match kind {
        PeriodKind::Interval => return Ok(out),
        PeriodKind::Day => lo,
        PeriodKind::Week => minus_days(
            lo,
            u32::from(lo.weekday().to_monday_zero_offset().unsigned_abs()),
        )?,
        PeriodKind::Month => lo.first_of_month(),
        PeriodKind::Quarter => {
            let m = (lo.month() - 1) / 3 * 3 + 1;
            lo.with()
                .month(m)
                .day(1)
                .build()
                .map_err(|_| GovernanceError::DateOutOfRange { from: lo })?
        }
    };
    while first <= hi {
        let next = match kind {
            PeriodKind::Day => plus_days(first, 1)?,
            PeriodKind::Week => plus_days(first, 7)?,
            PeriodKind::Month => add_months(first, 1)?,
            PeriodKind::Quarter => add_months(first, 3)?,
            PeriodKind::Interval => return Ok(out),
        };
        let last = minus_days(next, 1)?;
        let label = match kind {
            PeriodKind::Day => first.to_string(),
            PeriodKind::Week => {
                let w = first.iso_week_date();
                format!("{}-W{:02}", w.year(), w.week())
            }
            PeriodKind::Month => format!("{}-{:02}", first.year(), first.month()),
            PeriodKind::Quarter => format!("{}-Q{}", first.year(), (first.month() - 1) / 3 + 1),
            PeriodKind::Interval => String::new(),
        };
        // A period cut by the start or the end of service is still owed for the days served.
        let clipped_first = first.max(service.start);
        let clipped_last = service.end.map_or(last, |end| last.min(end));
        if clipped_first <= clipped_last {
            out.push((clipped_first, clipped_last, label));
        }
        first = next;
    }
    Ok(out)
}

/// Contract years overlapping the service and `from..=to`, clipped to the service.
fn contract_years(
    service: &Service,
    from: Date,
    to: Date,
) -> Result<Vec<(Date, Date)>, GovernanceError> {
    let mut out = Vec::new();
    let mut k = 0u32;
    loop {
        let first = add_months(service.start, k.saturating_mul(12))?;
        let last = minus_days(add_months(service.start, (k + 1).saturating_mul(12))?, 1)?;
        if first > to || service.end.is_some_and(|end| first > end) {
            return Ok(out);
        }
        if last >= from {
            out.push((first, service.end.map_or(last, |end| last.min(end))));
        }
        k += 1;
    }
}

/// `n` equal windows of a contract year when 12 months divide evenly (two tests a year: one
/// per half), else `n` windows that each span the whole year.
fn shares(first: Date, last: Date, n: u32) -> Result<Vec<(Date, Date)>, GovernanceError> {
    if 12 % n != 0 {
        return Ok((0..n).map(|_| (first, last)).collect());
    }
    let step = 12 / n;
    let mut out = Vec::new();
    for k in 0..n {
        let a = add_months(first, k * step)?;
        let b = minus_days(add_months(first, (k + 1) * step)?, 1)?.min(last);
        if a <= last {
            out.push((a, b));
        }
    }
    Ok(out)
}

/// Which contract year (0 = the first) `day` falls in.
fn contract_year(start: Date, day: Date) -> Result<i64, GovernanceError> {
    let mut k = 0i64;
    while add_months(
        start,
        u32::try_from(k + 1).unwrap_or(u32::MAX).saturating_mul(12),
    )? <= day
    {
        k += 1;
    }
    Ok(k)
}

fn add_months(day: Date, months: u32) -> Result<Date, GovernanceError> {
    day.checked_add(i64::from(months).months())
        .map_err(|_| GovernanceError::DateOutOfRange { from: day })
}

fn plus_days(day: Date, days: u32) -> Result<Date, GovernanceError> {
    day.checked_add(i64::from(days).days())
        .map_err(|_| GovernanceError::DateOutOfRange { from: day })
}

fn minus_days(day: Date, days: u32) -> Result<Date, GovernanceError> {
    day.checked_sub(i64::from(days).days())
        .map_err(|_| GovernanceError::DateOutOfRange { from: day })
}

/// A piece of an id: lowercase, spaces and slashes as dashes, so ids stay one URL segment
/// per part.
fn id_part(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' ' | '/' | ',' | ':' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Where an obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not yet due, reminder not yet reached.
    Pending,
    /// Within its lead days of the deadline.
    DueSoon,
    /// Past its deadline and not done.
    Overdue,
    /// Done before the deadline.
    FulfilledOnTime,
    /// Done after the deadline.
    FulfilledLate,
    /// Not required this time, by agreement.
    Waived,
    /// A later contract version no longer derives it.
    Superseded,
    /// The imported data shows it was not met.
    Breached,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 8] = [
        Status::Pending,
        Status::DueSoon,
        Status::Overdue,
        Status::FulfilledOnTime,
        Status::FulfilledLate,
        Status::Breached,
        Status::Waived,
        Status::Superseded,
    ];

    /// The snake_case code used on the command line and in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::DueSoon => "due_soon",
            Status::Overdue => "overdue",
            Status::FulfilledOnTime => "fulfilled_on_time",
            Status::FulfilledLate => "fulfilled_late",
            Status::Waived => "waived",
            Status::Superseded => "superseded",
            Status::Breached => "breached",
        }
    }

    /// The status in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Pending => lang.pick("pending", "pendiente"),
            Status::DueSoon => lang.pick("due soon", "vence pronto"),
            Status::Overdue => lang.pick("overdue", "vencida"),
            Status::FulfilledOnTime => lang.pick("fulfilled on time", "cumplida a tiempo"),
            Status::FulfilledLate => lang.pick("fulfilled late", "cumplida con retraso"),
            Status::Waived => lang.pick("waived", "dispensada"),
            Status::Superseded => lang.pick("superseded", "sustituida"),
            Status::Breached => lang.pick("breached", "incumplida"),
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Status::ALL
            .into_iter()
            .find(|st| st.code() == s)
            .ok_or_else(|| {
                let all: Vec<&str> = Status::ALL.iter().map(|st| st.code()).collect();
                format!("unknown status `{s}` (use {})", all.join(", "))
            })
    }
}

/// What was recorded on an obligation that ends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    /// Fulfilled at this instant.
    Fulfilled(Timestamp),
    /// Waived.
    Waived,
    /// The imported data shows it met (a data-proven kind, its month in the store).
    ProvenMet,
    /// The imported data shows it missed.
    ProvenBreached,
}

impl Obligation {
    /// The instant after which the obligation is late: the end of its last day in the
    /// contract's zone (the start of the next local day, DST included), or its instant.
    pub fn deadline(&self, tz: &TimeZone) -> Option<Timestamp> {
        match self.due {
            Due::Instant { at } => Some(at),
            Due::Date { date: day } | Due::Window { last: day, .. } => day
                .tomorrow()
                .ok()
                .and_then(|next| next.to_zoned(tz.clone()).ok())
                .map(|z| z.timestamp()),
        }
    }

    /// Where the obligation stands at `now`, given what was recorded on it.
    pub fn status(
        &self,
        tz: &TimeZone,
        now: Timestamp,
        closing: Option<Closing>,
        superseded: bool,
    ) -> Status {
        if superseded {
            return Status::Superseded;
        }
        let deadline = self.deadline(tz);
        match closing {
            Some(Closing::Waived) => Status::Waived,
            // The month's data covers the month itself, so a figure is never late.
            Some(Closing::ProvenMet) => Status::FulfilledOnTime,
            Some(Closing::ProvenBreached) => Status::Breached,
            Some(Closing::Fulfilled(at)) => match deadline {
                Some(d) if at >= d => Status::FulfilledLate,
                _ => Status::FulfilledOnTime,
            },
            None => {
                let Some(deadline) = deadline else {
                    return Status::Pending;
                };
                if now >= deadline {
                    return Status::Overdue;
                }
                let today = now.to_zoned(tz.clone()).date();
                let last = self.due.last_day(tz);
                let remind_from = last
                    .checked_sub(i64::from(self.lead_days).days())
                    .unwrap_or(last);
                if today >= remind_from {
                    Status::DueSoon
                } else {
                    Status::Pending
                }
            }
        }
    }
}
