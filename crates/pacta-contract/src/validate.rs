//! The second stage of the parse: cross-field rules on a deserialized [`ContractDoc`].
//!
//! Every rule reports a [`Problem`] at a [`FieldPath`]; the caller resolves paths to
//! positions. Rules never stop at the first problem so one `pacta check` run shows them all.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::error::Problem;
use crate::measure::Measure;
use crate::metrics::{self, Direction, Unit};
use crate::model::*;
use crate::scope::ContactScope;
use crate::sla::SlaTerms;
use crate::span::FieldPath;

/// Collected problems with their paths.
#[derive(Default)]
pub(crate) struct Findings(pub Vec<(FieldPath, Problem)>);

impl Findings {
    fn push(&mut self, path: FieldPath, problem: Problem) {
        self.0.push((path, problem));
    }
}

fn p(s: &str) -> FieldPath {
    FieldPath::parse(s)
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

fn percent(f: &mut Findings, path: FieldPath, v: Decimal, max: Decimal) {
    if v < Decimal::ZERO || v > max {
        f.push(
            path,
            Problem::OutOfRange {
                value: v,
                min: Decimal::ZERO,
                max,
            },
        );
    }
}

fn non_negative(f: &mut Findings, path: FieldPath, v: Decimal) {
    if v < Decimal::ZERO {
        f.push(path, Problem::Negative { value: v });
    }
}

fn positive(f: &mut Findings, path: FieldPath, v: Decimal) {
    if v <= Decimal::ZERO {
        f.push(path, Problem::NotPositive { value: v });
    }
}

fn unique<'a>(
    f: &mut Findings,
    kind: &'static str,
    items: impl Iterator<Item = (FieldPath, &'a str)>,
) {
    let mut seen = BTreeSet::new();
    for (path, id) in items {
        if !seen.insert(id) {
            f.push(
                path,
                Problem::DuplicateId {
                    kind,
                    id: id.to_string(),
                },
            );
        }
    }
}

fn reference(
    f: &mut Findings,
    kind: &'static str,
    path: FieldPath,
    id: &str,
    known: &BTreeSet<&str>,
) {
    if !known.contains(id) {
        f.push(
            path,
            Problem::UnknownReference {
                kind,
                id: id.to_string(),
                known: known.iter().map(|s| s.to_string()).collect(),
            },
        );
    }
}

fn language_code(f: &mut Findings, path: FieldPath, v: &str) {
    if !(v.len() == 2 && v.chars().all(|c| c.is_ascii_lowercase())) {
        f.push(
            path,
            Problem::BadCode {
                value: v.to_string(),
                what: "language code",
            },
        );
    }
}

fn country_code(f: &mut Findings, path: FieldPath, v: &str) {
    if !(v.len() == 2 && v.chars().all(|c| c.is_ascii_uppercase())) {
        f.push(
            path,
            Problem::BadCode {
                value: v.to_string(),
                what: "country code",
            },
        );
    }
}

/// Runs every rule, and types the SLAs whose metric, variant and parameters are sound.
pub(crate) fn validate(doc: &ContractDoc) -> (Findings, Vec<SlaTerms>) {
    let mut f = Findings::default();
    header(doc, &mut f);
    parties(doc, &mut f);
    scope(doc, &mut f);
    calendar(doc, &mut f);
    let terms = slas(doc, &mut f);
    credits(doc, &mut f);
    pricing(doc, &mut f);
    people_and_rest(doc, &mut f);
    (f, terms)
}

fn header(doc: &ContractDoc, f: &mut Findings) {
    let h = &doc.contract;
    if jiff::tz::TimeZone::get(&h.time_zone).is_err() {
        let suggestion = metrics::closest(
            &h.time_zone,
            jiff::tz::db()
                .available()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
        )
        .map(str::to_string);
        f.push(
            p("contract.time_zone"),
            Problem::UnknownTimeZone {
                name: h.time_zone.clone(),
                suggestion,
            },
        );
    }
    currency_and_term(f, &h.currency, h.initial_term_months);
    for (i, l) in h.languages.iter().enumerate() {
        language_code(f, p("contract.languages").index(i), l);
    }
    if let Some(r) = &h.renewal
        && r.automatic
        && r.notice_days.is_none()
    {
        f.push(
            p("contract.renewal"),
            Problem::Requires {
                field: "renewal.automatic = true".into(),
                needs: "renewal.notice_days".into(),
            },
        );
    }
    for (i, c) in h.changes.iter().enumerate() {
        if c.date < h.effective_date {
            f.push(
                p("contract.changes").index(i).key("date"),
                Problem::BeforeEffectiveDate {
                    date: c.date.to_string(),
                    effective: h.effective_date.to_string(),
                },
            );
        }
    }
}

/// The currency must be one pacta knows the minor units of, and the term at least a month.
fn currency_and_term(f: &mut Findings, currency: &str, term_months: u32) {
    if crate::money::minor_units(currency).is_none() {
        f.push(
            p("contract.currency"),
            Problem::UnknownCurrency {
                code: currency.to_string(),
            },
        );
    }
    if term_months == 0 {
        f.push(
            p("contract.initial_term_months"),
            Problem::NotPositive {
                value: Decimal::ZERO,
            },
        );
    }
}

/// Where a `[pricing]` table checked on its own ([`parse_pricing`](crate::parse_pricing)) would sit in a contract.
#[derive(Debug, Clone, Copy)]
pub struct PricingSetting<'a> {
    /// ISO 4217 currency code the prices are in (pacta must know its minor units).
    pub currency: &'a str,
    /// The date the prices take effect (an indexation's first review may not be before it).
    pub effective_date: Date,
    /// The term, in months (at least one).
    pub term_months: u32,
    /// Ids of the services the components may name, in order (each once).
    pub services: &'a [&'a str],
}

/// Checks a `[pricing]` table standing alone, in the setting a contract would give it: the
/// setting's own rules (currency, term, unique service ids) at the paths a contract has them,
/// then every pricing rule.
pub(crate) fn standalone_pricing(pr: &Pricing, setting: &PricingSetting<'_>) -> Findings {
    let mut f = Findings::default();
    currency_and_term(&mut f, setting.currency, setting.term_months);
    unique(
        &mut f,
        "service",
        setting
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (p("scope.services").index(i).key("id"), *s)),
    );
    let services = setting.services.iter().copied().collect();
    pricing_rules(pr, &services, setting.effective_date, &mut f);
    f
}

fn parties(doc: &ContractDoc, f: &mut Findings) {
    for (role, party) in [
        ("client", &doc.parties.client),
        ("provider", &doc.parties.provider),
    ] {
        let base = p("parties").key(role);
        if let Some(c) = &party.country {
            country_code(f, base.key("country"), c);
        }
        for (i, s) in party.sites.iter().enumerate() {
            country_code(f, base.key("sites").index(i).key("country"), &s.country);
        }
        unique(
            f,
            "site",
            party
                .sites
                .iter()
                .enumerate()
                .map(|(i, s)| (base.key("sites").index(i).key("id"), s.id.as_str())),
        );
    }
}

fn site_ids(doc: &ContractDoc) -> BTreeSet<&str> {
    doc.parties
        .provider
        .sites
        .iter()
        .map(|s| s.id.as_str())
        .collect()
}

fn service_ids(doc: &ContractDoc) -> BTreeSet<&str> {
    doc.scope.services.iter().map(|s| s.id.as_str()).collect()
}

fn scope(doc: &ContractDoc, f: &mut Findings) {
    let sites = site_ids(doc);
    unique(
        f,
        "service",
        doc.scope
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (p("scope.services").index(i).key("id"), s.id.as_str())),
    );
    for (i, s) in doc.scope.services.iter().enumerate() {
        let base = p("scope.services").index(i);
        for (j, l) in s.languages.iter().enumerate() {
            language_code(f, base.key("languages").index(j), l);
        }
        for (j, site) in s.sites.iter().enumerate() {
            reference(f, "site", base.key("sites").index(j), site, &sites);
        }
        if let Some(c) = s.concurrency {
            concurrency(f, base.key("concurrency"), c, s.channel);
        }
    }
    if let Some(b) = doc.scope.flex_band_percent {
        percent(f, p("scope.flex_band_percent"), b, HUNDRED);
    }
}

/// The most contacts one agent is taken to handle at once: beyond it Erlang's single-queue
/// model says little about a real desk.
pub const MAX_CONCURRENCY: u32 = 10;

/// Concurrency only makes sense where an agent can hold several conversations (chat), and
/// below 1 it would staff more agents than contacts.
fn concurrency(f: &mut Findings, path: FieldPath, value: Decimal, channel: Channel) {
    let max = Decimal::from(MAX_CONCURRENCY);
    let in_range = value >= Decimal::ONE && value <= max;
    let allowed = channel == Channel::Chat || value == Decimal::ONE;
    if !(in_range && allowed) {
        f.push(
            path,
            Problem::BadConcurrency {
                value,
                channel: channel.as_str().to_string(),
                max,
            },
        );
    }
}

fn calendar(doc: &ContractDoc, f: &mut Findings) {
    for (i, h) in doc.calendar.hours.iter().enumerate() {
        if h.close <= h.open {
            f.push(
                p("calendar.hours").index(i).key("close"),
                Problem::EndBeforeStart {
                    start: h.open.to_string(),
                    end: h.close.to_string(),
                },
            );
        }
        if h.days.is_empty() {
            f.push(
                p("calendar.hours").index(i).key("days"),
                Problem::Requires {
                    field: "calendar.hours".into(),
                    needs: "days".into(),
                },
            );
        }
    }
}

fn slas(doc: &ContractDoc, f: &mut Findings) -> Vec<SlaTerms> {
    let mut terms = Vec::with_capacity(doc.slas.len());
    unique(
        f,
        "SLA",
        doc.slas
            .iter()
            .enumerate()
            .map(|(i, s)| (p("sla").index(i).key("id"), s.id.as_str())),
    );
    let services = service_ids(doc);
    let sites = site_ids(doc);
    let sources: BTreeSet<&str> = doc
        .data
        .iter()
        .flat_map(|d| d.sources.iter().map(|s| s.id.as_str()))
        .collect();
    for (i, sla) in doc.slas.iter().enumerate() {
        let base = p("sla").index(i);
        let mut params = sla.params.clone();
        if sla.metric == "qa_score" && params.evaluations_per_agent.is_none() {
            params.evaluations_per_agent = doc
                .quality
                .as_ref()
                .and_then(|q| q.evaluations_per_agent_month);
        }
        let measure = Measure::parse(&sla.metric, sla.variant.as_deref(), &params);
        match &measure {
            Ok(m) => targets(sla, m, &base, doc, f),
            Err(problems) => {
                for (key, param, problem) in problems {
                    let path = match param {
                        Some(param) => base.key(key).key(param),
                        None => base.key(key),
                    };
                    f.push(path, problem.clone());
                }
                // The targets' ranges depend on the metric; check them when it is known.
                if let Ok(m) = Measure::parse(&sla.metric, None, &SlaParams::default()) {
                    targets(sla, &m, &base, doc, f);
                }
            }
        }
        if let Ok(measure) = measure {
            terms.push(SlaTerms {
                id: sla.id.clone(),
                name: sla.name.clone(),
                index: i,
                measure,
                params,
                scope: ContactScope::resolve(&sla.scope, &doc.scope.services),
                period: sla.period.unwrap_or(PeriodKind::Month),
                interval_minutes: sla.interval_minutes,
                required_share_percent: sla.required_share_percent,
                class: sla.class,
                exclusions: sla.exclusions.clone(),
                missing_data: sla.missing_data,
                allocation_percent: sla.allocation_percent,
                fixed_credit: sla.fixed_credit,
                points_per_miss: sla.points_per_miss,
                targets: sla.targets.clone(),
            });
        }
        if sla.period == Some(PeriodKind::Interval) {
            match sla.interval_minutes {
                Some(15 | 30 | 60) => {}
                Some(m) => f.push(
                    base.key("interval_minutes"),
                    Problem::BadInterval { minutes: m },
                ),
                None => f.push(
                    base.key("period"),
                    Problem::Requires {
                        field: "period = \"interval\"".into(),
                        needs: "interval_minutes".into(),
                    },
                ),
            }
            if sla.required_share_percent.is_none() {
                f.push(
                    base.key("period"),
                    Problem::Requires {
                        field: "period = \"interval\"".into(),
                        needs: "required_share_percent".into(),
                    },
                );
            }
        } else if let Some(m) = sla.interval_minutes
            && sla.period != Some(PeriodKind::Interval)
        {
            let _ = m;
            f.push(
                base.key("interval_minutes"),
                Problem::Requires {
                    field: "interval_minutes".into(),
                    needs: "period = \"interval\"".into(),
                },
            );
        }
        if let Some(s) = sla.required_share_percent {
            percent(f, base.key("required_share_percent"), s, HUNDRED);
        }
        let has_credit = sla.allocation_percent.is_some()
            || sla.fixed_credit.is_some()
            || sla.points_per_miss.is_some();
        if has_credit && sla.class != SlaClass::Critical {
            f.push(
                base.key(if sla.allocation_percent.is_some() {
                    "allocation_percent"
                } else if sla.fixed_credit.is_some() {
                    "fixed_credit"
                } else {
                    "points_per_miss"
                }),
                Problem::CreditOnNonCritical {
                    id: sla.id.clone(),
                    class: if sla.class == SlaClass::Key {
                        "key"
                    } else {
                        "tracked"
                    },
                },
            );
        }
        if let Some(a) = sla.allocation_percent {
            percent(f, base.key("allocation_percent"), a, HUNDRED);
            if doc.credits.is_none() {
                f.push(
                    base.key("allocation_percent"),
                    Problem::Requires {
                        field: "allocation_percent".into(),
                        needs: "[credits]".into(),
                    },
                );
            }
        }
        if let Some(c) = sla.fixed_credit {
            non_negative(f, base.key("fixed_credit"), c);
        }
        for (j, s) in sla.scope.services.iter().enumerate() {
            reference(
                f,
                "service",
                base.key("scope").key("services").index(j),
                s,
                &services,
            );
        }
        for (j, s) in sla.scope.sites.iter().enumerate() {
            reference(
                f,
                "site",
                base.key("scope").key("sites").index(j),
                s,
                &sites,
            );
        }
        if let (Some(ds), false) = (&sla.data_source, sources.is_empty()) {
            reference(f, "data source", base.key("data_source"), ds, &sources);
        }
    }
    terms
}

fn targets(sla: &Sla, measure: &Measure, base: &FieldPath, doc: &ContractDoc, f: &mut Findings) {
    let (dir, unit) = (measure.direction(), measure.def().unit);
    if sla.targets.is_empty() {
        if sla.class != SlaClass::Tracked {
            f.push(base.key("id"), Problem::NoTargets { id: sla.id.clone() });
        }
        return;
    }
    let mut prev = None;
    for (j, t) in sla.targets.iter().enumerate() {
        let tp = base.key("targets").index(j);
        if let Some(prev) = prev
            && t.effective_from <= prev
        {
            f.push(tp.key("effective_from"), Problem::TargetsOutOfOrder);
        }
        prev = Some(t.effective_from);
        if t.effective_from < doc.contract.effective_date {
            f.push(
                tp.key("effective_from"),
                Problem::BeforeEffectiveDate {
                    date: t.effective_from.to_string(),
                    effective: doc.contract.effective_date.to_string(),
                },
            );
        }
        let (lo, hi) = match (unit, measure) {
            (_, Measure::Nps) => (Decimal::from(-100), HUNDRED),
            (Unit::Percent, _) | (Unit::Score, _) => (Decimal::ZERO, HUNDRED),
            _ => (Decimal::ZERO, Decimal::MAX),
        };
        for (key, v) in [("expected", Some(t.expected)), ("minimum", t.minimum)] {
            if let Some(v) = v
                && (v < lo || v > hi)
            {
                f.push(
                    tp.key(key),
                    Problem::OutOfRange {
                        value: v,
                        min: lo,
                        max: hi,
                    },
                );
            }
        }
        if let Some(min) = t.minimum {
            let stricter = match dir {
                Direction::HigherIsBetter => min > t.expected,
                Direction::LowerIsBetter => min < t.expected,
            };
            if stricter {
                f.push(
                    tp.key("minimum"),
                    Problem::MinimumAboveTarget {
                        expected: t.expected,
                        minimum: min,
                        higher_is_better: dir == Direction::HigherIsBetter,
                    },
                );
            }
        }
    }
}

fn tiers_overlap(f: &mut Findings, base: FieldPath, ranges: &[(Decimal, Option<Decimal>)]) {
    for (i, (from, to)) in ranges.iter().enumerate() {
        if let Some(to) = to
            && to <= from
        {
            f.push(
                base.index(i).key("to"),
                Problem::EndBeforeStart {
                    start: from.to_string(),
                    end: to.to_string(),
                },
            );
        }
    }
    for i in 0..ranges.len() {
        for j in i + 1..ranges.len() {
            let (a0, a1) = ranges[i];
            let (b0, b1) = ranges[j];
            let a_end = a1.unwrap_or(Decimal::MAX);
            let b_end = b1.unwrap_or(Decimal::MAX);
            if a0 < b_end && b0 < a_end {
                f.push(
                    base.index(j),
                    Problem::OverlappingTiers {
                        first: i,
                        second: j,
                    },
                );
            }
        }
    }
}

fn credits(doc: &ContractDoc, f: &mut Findings) {
    let Some(c) = &doc.credits else { return };
    percent(f, p("credits.at_risk_percent"), c.at_risk_percent, HUNDRED);
    percent(
        f,
        p("credits.pool_percent"),
        c.pool_percent,
        Decimal::from(1000),
    );
    if let Some(cap) = c.monthly_cap_percent {
        percent(f, p("credits.monthly_cap_percent"), cap, HUNDRED);
        if cap > c.at_risk_percent {
            f.push(
                p("credits.monthly_cap_percent"),
                Problem::CapAboveAtRisk {
                    cap,
                    at_risk: c.at_risk_percent,
                },
            );
        }
    }
    if let Some(cap) = c.rolling_cap_percent {
        percent(f, p("credits.rolling_cap_percent"), cap, HUNDRED);
    }
    let sum: Decimal = doc.slas.iter().filter_map(|s| s.allocation_percent).sum();
    if sum > c.pool_percent {
        let path = doc
            .slas
            .iter()
            .rposition(|s| s.allocation_percent.is_some())
            .map_or(p("credits.pool_percent"), |i| {
                p("sla").index(i).key("allocation_percent")
            });
        f.push(
            path,
            Problem::AllocationsExceedPool {
                sum,
                pool: c.pool_percent,
            },
        );
    }
    if let Some(e) = &c.earn_back {
        if e.periods == 0 {
            f.push(
                p("credits.earn_back.periods"),
                Problem::NotPositive {
                    value: Decimal::ZERO,
                },
            );
        }
        if let Some(m) = e.max_percent {
            percent(f, p("credits.earn_back.max_percent"), m, HUNDRED);
        }
    }
    let ranges: Vec<_> = c
        .tiers
        .iter()
        .map(|t| (t.shortfall_from, t.shortfall_to))
        .collect();
    tiers_overlap(f, p("credits.tiers"), &ranges);
    for (i, t) in c.tiers.iter().enumerate() {
        percent(
            f,
            p("credits.tiers").index(i).key("credit_percent"),
            t.credit_percent,
            HUNDRED,
        );
        non_negative(
            f,
            p("credits.tiers").index(i).key("shortfall_from"),
            t.shortfall_from,
        );
    }
    let mut last = None;
    for (i, s) in c.points.iter().enumerate() {
        if let Some(l) = last
            && s.points <= l
        {
            f.push(
                p("credits.points").index(i).key("points"),
                Problem::OverlappingTiers {
                    first: i - 1,
                    second: i,
                },
            );
        }
        last = Some(s.points);
        percent(
            f,
            p("credits.points").index(i).key("credit_percent"),
            s.credit_percent,
            HUNDRED,
        );
    }
    let sla_ids: BTreeSet<&str> = doc.slas.iter().map(|s| s.id.as_str()).collect();
    unique(
        f,
        "bonus",
        c.bonuses
            .iter()
            .enumerate()
            .map(|(i, b)| (p("credits.bonuses").index(i).key("id"), b.id.as_str())),
    );
    for (i, b) in c.bonuses.iter().enumerate() {
        let base = p("credits.bonuses").index(i);
        if b.percent.is_none() && b.amount.is_none() {
            f.push(
                base.clone(),
                Problem::Requires {
                    field: format!("bonus `{}`", b.id),
                    needs: "percent or amount".into(),
                },
            );
        }
        if let Some(v) = b.percent {
            percent(f, base.key("percent"), v, HUNDRED);
        }
        if let Some(v) = b.amount {
            non_negative(f, base.key("amount"), v);
        }
        if b.conditions.is_empty() {
            f.push(
                base.key("conditions"),
                Problem::Requires {
                    field: format!("bonus `{}`", b.id),
                    needs: "conditions".into(),
                },
            );
        }
        for (j, cond) in b.conditions.iter().enumerate() {
            reference(
                f,
                "SLA",
                base.key("conditions").index(j).key("sla"),
                &cond.sla,
                &sla_ids,
            );
        }
    }
    if let Some(bp) = &c.bonus_pool {
        percent(
            f,
            p("credits.bonus_pool.add_percent_per_met_month"),
            bp.add_percent_per_met_month,
            HUNDRED,
        );
        percent(
            f,
            p("credits.bonus_pool.subtract_percent_per_missed_month"),
            bp.subtract_percent_per_missed_month,
            HUNDRED,
        );
    }
    unique(
        f,
        "chronic trigger",
        c.chronic
            .iter()
            .enumerate()
            .map(|(i, t)| (p("credits.chronic").index(i).key("id"), t.id.as_str())),
    );
    for (i, t) in c.chronic.iter().enumerate() {
        let base = p("credits.chronic").index(i);
        if t.count == 0 {
            f.push(
                base.key("count"),
                Problem::NotPositive {
                    value: Decimal::ZERO,
                },
            );
        }
        if t.kind == ChronicKind::MissesInWindow && t.window_months.is_none() {
            f.push(
                base.key("kind"),
                Problem::Requires {
                    field: "kind = \"misses_in_window\"".into(),
                    needs: "window_months".into(),
                },
            );
        }
        if t.remedy == ChronicRemedy::EscalatedCredit && t.credit_percent_of_annual.is_none() {
            f.push(
                base.key("remedy"),
                Problem::Requires {
                    field: "remedy = \"escalated_credit\"".into(),
                    needs: "credit_percent_of_annual".into(),
                },
            );
        }
        for (j, s) in t.slas.iter().enumerate() {
            reference(f, "SLA", base.key("slas").index(j), s, &sla_ids);
        }
    }
}

fn pricing(doc: &ContractDoc, f: &mut Findings) {
    let Some(pr) = &doc.pricing else { return };
    pricing_rules(pr, &service_ids(doc), doc.contract.effective_date, f);
}

/// The rules of a `[pricing]` table: `services` are the ids its components may name, and an
/// indexation's first review may not come before `effective_date`.
fn pricing_rules(pr: &Pricing, services: &BTreeSet<&str>, effective_date: Date, f: &mut Findings) {
    if pr.components.is_empty() {
        f.push(
            p("pricing"),
            Problem::Requires {
                field: "[pricing]".into(),
                needs: "[[pricing.components]]".into(),
            },
        );
    }
    unique(
        f,
        "price component",
        pr.components
            .iter()
            .enumerate()
            .map(|(i, c)| (p("pricing.components").index(i).key("id"), c.id.as_str())),
    );
    for (i, c) in pr.components.iter().enumerate() {
        let base = p("pricing.components").index(i);
        non_negative(f, base.key("rate"), c.rate);
        for (j, s) in c.services.iter().enumerate() {
            reference(f, "service", base.key("services").index(j), s, services);
        }
        if c.unit == PriceUnit::Outcome && c.outcome.is_none() {
            f.push(
                base.key("unit"),
                Problem::Requires {
                    field: "unit = \"outcome\"".into(),
                    needs: "outcome".into(),
                },
            );
        }
        if let Some(u) = c.included_units {
            non_negative(f, base.key("included_units"), u);
        }
        let ranges: Vec<_> = c.tiers.iter().map(|t| (t.from, t.to)).collect();
        tiers_overlap(f, base.key("tiers"), &ranges);
        for (j, t) in c.tiers.iter().enumerate() {
            non_negative(f, base.key("tiers").index(j).key("rate"), t.rate);
            non_negative(f, base.key("tiers").index(j).key("from"), t.from);
        }
        if let Some(cap) = c.cap {
            non_negative(f, base.key("cap"), cap);
        }
    }
    if let Some(r) = pr.reference_per_contact_rate {
        non_negative(f, p("pricing.reference_per_contact_rate"), r);
    }
    if let Some(o) = pr.expected_occupancy_percent
        && (o <= Decimal::ZERO || o > HUNDRED)
    {
        f.push(
            p("pricing.expected_occupancy_percent"),
            Problem::OutOfRange {
                value: o,
                min: Decimal::ONE,
                max: HUNDRED,
            },
        );
    }
    if let Some(m) = pr.minimum_monthly_commitment {
        non_negative(f, p("pricing.minimum_monthly_commitment"), m);
    }
    for (i, s) in pr.shift_multipliers.iter().enumerate() {
        let base = p("pricing.shift_multipliers").index(i);
        positive(f, base.key("factor"), s.factor);
        if s.kind == ShiftKind::Night && (s.from.is_none() || s.to.is_none()) {
            f.push(
                base.key("kind"),
                Problem::Requires {
                    field: "kind = \"night\"".into(),
                    needs: "from and to".into(),
                },
            );
        }
    }
    unique(
        f,
        "one-time fee",
        pr.one_time_fees
            .iter()
            .enumerate()
            .map(|(i, c)| (p("pricing.one_time_fees").index(i).key("id"), c.id.as_str())),
    );
    for (i, o) in pr.one_time_fees.iter().enumerate() {
        let base = p("pricing.one_time_fees").index(i);
        non_negative(f, base.key("amount"), o.amount);
        if let Some(m) = &o.invoice_month
            && pacta_core::Month::parse(m).is_err()
        {
            f.push(
                base.key("invoice_month"),
                Problem::BadCode {
                    value: m.clone(),
                    what: "month (YYYY-MM)",
                },
            );
        }
    }
    unique(
        f,
        "pass-through",
        pr.pass_through
            .iter()
            .enumerate()
            .map(|(i, c)| (p("pricing.pass_through").index(i).key("id"), c.id.as_str())),
    );
    for (i, o) in pr.pass_through.iter().enumerate() {
        if let Some(c) = o.monthly_cap {
            non_negative(f, p("pricing.pass_through").index(i).key("monthly_cap"), c);
        }
    }
    if let Some(ix) = &pr.indexation {
        if ix.every_months == 0 {
            f.push(
                p("pricing.indexation.every_months"),
                Problem::NotPositive {
                    value: Decimal::ZERO,
                },
            );
        }
        if let Some(d) = ix.first_review
            && d < effective_date
        {
            f.push(
                p("pricing.indexation.first_review"),
                Problem::BeforeEffectiveDate {
                    date: d.to_string(),
                    effective: effective_date.to_string(),
                },
            );
        }
    }
    if let Some(pay) = &pr.payment
        && let Some(d) = pay.invoice_due_day
        && !(1..=28).contains(&d)
    {
        f.push(
            p("pricing.payment.invoice_due_day"),
            Problem::OutOfRange {
                value: d.into(),
                min: Decimal::ONE,
                max: Decimal::from(28),
            },
        );
    }
}

fn people_and_rest(doc: &ContractDoc, f: &mut Findings) {
    if let Some(pe) = &doc.people {
        if let Some(v) = pe.max_monthly_attrition_percent {
            percent(f, p("people.max_monthly_attrition_percent"), v, HUNDRED);
        }
        if let Some(v) = pe.max_annual_attrition_percent {
            percent(
                f,
                p("people.max_annual_attrition_percent"),
                v,
                Decimal::from(1000),
            );
        }
        for (k, v) in [
            ("initial_training_hours", pe.initial_training_hours),
            (
                "ongoing_training_hours_per_month",
                pe.ongoing_training_hours_per_month,
            ),
        ] {
            if let Some(v) = v {
                non_negative(f, p("people").key(k), v);
            }
        }
    }
    if let Some(dp) = &doc.data_protection {
        for (i, l) in dp.locations.iter().enumerate() {
            country_code(f, p("data_protection.locations").index(i), l);
        }
        for (i, s) in dp.sub_processors.iter().enumerate() {
            country_code(
                f,
                p("data_protection.sub_processors").index(i).key("country"),
                &s.country,
            );
        }
        if let Some(c) = dp.confidentiality_penalty {
            non_negative(f, p("data_protection.confidentiality_penalty"), c);
        }
    }
    if let Some(q) = &doc.quality {
        unique(
            f,
            "report",
            q.reports
                .iter()
                .enumerate()
                .map(|(i, r)| (p("quality.reports").index(i).key("id"), r.id.as_str())),
        );
    }
    if let Some(g) = &doc.governance
        && let Some(pilot) = &g.pilot
    {
        let ids: BTreeSet<&str> = doc.slas.iter().map(|s| s.id.as_str()).collect();
        for (i, s) in pilot.success_slas.iter().enumerate() {
            reference(
                f,
                "SLA",
                p("governance.pilot.success_slas").index(i),
                s,
                &ids,
            );
        }
    }
    if let Some(d) = &doc.disputes {
        for (i, s) in d.steps.iter().enumerate() {
            if matches!(
                s.kind,
                DisputeKind::Negotiation
                    | DisputeKind::ExecutiveEscalation
                    | DisputeKind::Mediation
            ) && s.days == Some(0)
            {
                f.push(
                    p("disputes.steps").index(i).key("days"),
                    Problem::NotPositive {
                        value: Decimal::ZERO,
                    },
                );
            }
        }
    }
    if let Some(l) = &doc.liability
        && let Some(c) = l.cap_months_of_fees
    {
        positive(f, p("liability.cap_months_of_fees"), c);
    }
    if let Some(data) = &doc.data {
        unique(
            f,
            "data source",
            data.sources
                .iter()
                .enumerate()
                .map(|(i, s)| (p("data.sources").index(i).key("id"), s.id.as_str())),
        );
        for (i, s) in data.sources.iter().enumerate() {
            if let Some(tz) = &s.time_zone
                && jiff::tz::TimeZone::get(tz).is_err()
            {
                f.push(
                    p("data.sources").index(i).key("time_zone"),
                    Problem::UnknownTimeZone {
                        name: tz.clone(),
                        suggestion: None,
                    },
                );
            }
        }
    }
}
