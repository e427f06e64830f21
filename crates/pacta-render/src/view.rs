//! The view the templates read: the contract with every value already written out in the
//! document's language (money, dates, percentages, enumerations, formulas).
//!
//! Absent sections are `null`, so templates can say "Not agreed". Counts stay numbers (the
//! templates pluralise them with the `qty` filter); everything else is text.

use pacta_contract::model::*;
use pacta_contract::{Contract, Date, Lang, SlaTerms};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::phrases::{self as ph, t};
use pacta_core::fmt;

use crate::formula;

/// The monthly charges the worked credit example uses when the contract has no minimum
/// monthly commitment.
const ILLUSTRATIVE_MONTHLY_CHARGES: i64 = 100_000;

struct Ctx<'a> {
    c: &'a Contract,
    lang: Lang,
}

impl Ctx<'_> {
    fn money(&self, d: Decimal) -> String {
        fmt::money(
            d,
            self.c.minor_units,
            &self.c.doc.contract.currency,
            self.lang,
        )
    }
    fn amount(&self, d: Decimal) -> String {
        fmt::fixed(d, self.c.minor_units, self.lang)
    }
    fn pct(&self, d: Decimal) -> String {
        fmt::percent(d, self.lang)
    }
    fn num(&self, d: Decimal) -> String {
        fmt::number(d, self.lang)
    }
    fn date(&self, d: Date) -> String {
        fmt::date(d.civil(), self.lang)
    }
    fn join(&self, items: Vec<String>) -> String {
        fmt::join_and(&items, self.lang)
    }
    fn t(&self, en: &'static str, es: &'static str) -> &'static str {
        t(self.lang, en, es)
    }
}

fn opt<T, F: FnOnce(T) -> String>(v: Option<T>, f: F) -> Value {
    v.map_or(Value::Null, |x| Value::String(f(x)))
}

/// Builds the whole view.
pub(crate) fn build(c: &Contract, lang: Lang) -> Value {
    let x = Ctx { c, lang };
    let d = &c.doc;
    json!({
        "lang": lang.code(),
        "header": header(&x),
        "parties": parties(&x),
        "scope": scope(&x),
        "calendar": calendar(&x),
        "slas": d.slas.iter().zip(c.slas()).map(|(s, typed)| sla(&x, s, typed)).collect::<Vec<_>>(),
        "credits": d.credits.as_ref().map(|cr| credits(&x, cr)),
        "pricing": d.pricing.as_ref().map(|p| pricing(&x, p)),
        "people": d.people.as_ref().map(|p| people(&x, p)),
        "facilities": d.facilities.as_ref().map(|f| facilities(&x, f)),
        "security": d.security.as_ref().map(|s| security(&x, s)),
        "dp": d.data_protection.as_ref().map(|p| data_protection(&x, p)),
        "quality": d.quality.as_ref().map(|q| quality(&x, q)),
        "governance": d.governance.as_ref().map(|g| governance(&x, g)),
        "data": d.data.as_ref().map(|s| data_sources(&x, s)),
        "disputes": d.disputes.as_ref().map(|s| disputes(&x, s)),
        "liability": d.liability.as_ref().map(|l| liability(&x, l)),
        "termination": d.termination.as_ref().map(|t| termination(&x, t)),
        "exit": d.exit.as_ref().map(|e| exit(&x, e)),
        "legal": d.legal.as_ref().map(|l| json!({
            "independence": l.independence,
            "force_majeure": l.force_majeure,
            "subcontracting": l.subcontracting_requires_consent,
            "assignment": l.assignment_requires_consent,
        })),
    })
}

fn header(x: &Ctx) -> Value {
    let h = &x.c.doc.contract;
    let start = h.effective_date.civil();
    let end = start
        .checked_add(jiff::Span::new().months(i64::from(h.initial_term_months)))
        .ok()
        .and_then(|e| e.yesterday().ok())
        .map(|e| x.date(Date(e)));
    let langs: Vec<String> = h
        .languages
        .iter()
        .map(|l| ph::language(l, x.lang))
        .collect();
    json!({
        "id": h.id,
        "version": h.version,
        "title": h.title,
        "documents": h.documents.iter().map(|k| ph::document(*k, x.lang)).collect::<Vec<_>>(),
        "languages": if langs.is_empty() { Value::Null } else { Value::String(x.join(langs.clone())) },
        "languages_count": langs.len(),
        // Executed in other languages only: this rendering is a translation, and the
        // executed text prevails (named so a reader cannot take it for the original).
        "translation_of": if langs.is_empty()
            || h.languages.iter().any(|l| l.eq_ignore_ascii_case(x.lang.pick("en", "es")))
        {
            Value::Null
        } else {
            Value::String(x.join(langs.clone()))
        },
        "governing_law": h.governing_law,
        "currency": h.currency,
        "time_zone": h.time_zone,
        "effective": x.date(h.effective_date),
        "months": h.initial_term_months,
        "end": end,
        "renewal": h.renewal.as_ref().map(|r| json!({
            "automatic": r.automatic,
            "term_months": r.term_months,
            "notice_days": r.notice_days,
        })),
        "changes": h.changes.iter().map(|ch| json!({
            "version": ch.version,
            "date": x.date(ch.date),
            "summary": ch.summary,
        })).collect::<Vec<_>>(),
    })
}

fn party(x: &Ctx, p: &Party) -> Value {
    json!({
        "legal_name": p.legal_name,
        "country": p.country.as_deref().map(|c| ph::country(c, x.lang)),
        "address": p.address,
        "registration": p.registration,
    })
}

fn parties(x: &Ctx) -> Value {
    let ps = &x.c.doc.parties;
    let mut contacts = Vec::new();
    for (role, p) in [
        (x.t("Client", "Cliente"), &ps.client),
        (x.t("Provider", "Proveedor"), &ps.provider),
    ] {
        for ct in &p.contacts {
            contacts.push(json!({
                "party": role,
                "name": ct.name,
                "role": ct.role,
                "email": ct.email,
            }));
        }
    }
    let sites: Vec<Value> = [&ps.provider, &ps.client]
        .iter()
        .flat_map(|p| p.sites.iter())
        .map(|s| {
            json!({
                "id": s.id,
                "city": s.city,
                "country": ph::country_bare(&s.country, x.lang),
                "seats": s.seats.map(|n| fmt::integer(u64::from(n), x.lang)),
            })
        })
        .collect();
    json!({
        "client": party(x, &ps.client),
        "provider": party(x, &ps.provider),
        "contacts": contacts,
        "sites": sites,
    })
}

fn scope(x: &Ctx) -> Value {
    let s = &x.c.doc.scope;
    let services: Vec<Value> = s
        .services
        .iter()
        .map(|sv| {
            json!({
                "id": sv.id,
                "channel": ph::channel(sv.channel, x.lang),
                "queues": sv.queues.join(", "),
                "languages": sv.languages.iter().map(|l| ph::language(l, x.lang)).collect::<Vec<_>>().join(", "),
                "sites": sv.sites.join(", "),
                "volume": sv.forecast_monthly_volume.map(|v| fmt::integer(v, x.lang)),
                "aht": sv.forecast_aht_s.map(|v| format!("{} s", fmt::integer(u64::from(v), x.lang))),
                "description": sv.description,
            })
        })
        .collect();
    let total: u64 = s
        .services
        .iter()
        .filter_map(|sv| sv.forecast_monthly_volume)
        .sum();
    json!({
        "services": services,
        "total_volume": if total > 0 { Value::String(fmt::integer(total, x.lang)) } else { Value::Null },
        "flex": opt(s.flex_band_percent, |v| x.pct(v)),
        "forecast": s.forecast.as_ref().map(|f| json!({
            "by": ph::party_role(f.provided_by, x.lang),
            "by_client": f.provided_by == PartyRole::Client,
            "days": f.due_days_before_month,
            "excuses": f.late_forecast_excuses_misses,
            "granularity": f.granularity.map(|g| ph::granularity(g, x.lang)),
        })),
        "client_resp": s.client_responsibilities,
        "provider_resp": s.provider_responsibilities,
    })
}

/// "Monday to Friday" for a run of three or more days, otherwise "Saturday and Sunday".
fn days(x: &Ctx, days: &[Weekday]) -> String {
    let mut ds = days.to_vec();
    ds.sort();
    ds.dedup();
    let idx = |d: &Weekday| *d as usize;
    let contiguous = ds.windows(2).all(|w| idx(&w[1]) == idx(&w[0]) + 1);
    if ds.len() == 7 {
        return x.t("Every day", "Todos los días").to_string();
    }
    if ds.len() >= 3
        && contiguous
        && let (Some(first), Some(last)) = (ds.first(), ds.last())
    {
        let (a, b) = (ph::weekday(*first, x.lang), ph::weekday(*last, x.lang));
        return match x.lang {
            Lang::En => format!("{a} to {b}"),
            Lang::Es => capitalize(&format!("de {a} a {b}")),
        };
    }
    let names = ds
        .iter()
        .map(|d| ph::weekday(*d, x.lang).to_string())
        .collect();
    capitalize(&x.join(names))
}

fn capitalize(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

fn calendar(x: &Ctx) -> Value {
    let cal = &x.c.doc.calendar;
    json!({
        "hours": cal.hours.iter().map(|h| json!({
            "days": days(x, &h.days),
            "open": h.open.to_string(),
            "close": h.close.to_string(),
            "channels": if h.channels.is_empty() {
                x.t("All channels", "Todos los canales").to_string()
            } else {
                h.channels.iter().map(|c| ph::channel(*c, x.lang)).collect::<Vec<_>>().join(", ")
            },
        })).collect::<Vec<_>>(),
        "holidays": cal.holidays.iter().map(|h| json!({
            "date": x.date(h.date),
            "name": h.name,
            "closed": h.closed,
        })).collect::<Vec<_>>(),
        "include_outside_hours": cal.include_outside_hours,
    })
}

fn sla_scope(x: &Ctx, s: &SlaScope) -> String {
    let mut parts = Vec::new();
    let mut add = |label: &str, items: Vec<String>| {
        if !items.is_empty() {
            parts.push(format!("{label}: {}", items.join(", ")));
        }
    };
    add(x.t("services", "servicios"), s.services.clone());
    add(
        x.t("channels", "canales"),
        s.channels
            .iter()
            .map(|c| ph::channel(*c, x.lang).to_lowercase())
            .collect(),
    );
    add(x.t("queues", "colas"), s.queues.clone());
    add(x.t("sites", "centros"), s.sites.clone());
    add(
        x.t("languages", "idiomas"),
        s.languages
            .iter()
            .map(|l| ph::language(l, x.lang))
            .collect(),
    );
    if parts.is_empty() {
        x.t("All services", "Todos los servicios").to_string()
    } else {
        capitalize(&parts.join("; "))
    }
}

fn sla_period(x: &Ctx, s: &Sla) -> Value {
    let Some(p) = s.period else {
        return Value::Null;
    };
    let mut text = match (p, s.interval_minutes) {
        (PeriodKind::Interval, Some(m)) => match x.lang {
            Lang::En => format!("{m}-minute intervals"),
            Lang::Es => format!("Intervalos de {m} minutos"),
        },
        (PeriodKind::Interval, None) => x.t("Intervals", "Intervalos").to_string(),
        _ => capitalize(ph::period_noun(p, x.lang)),
    };
    if let Some(share) = s.required_share_percent {
        let unit = match p {
            PeriodKind::Interval => x.t("intervals", "intervalos"),
            PeriodKind::Day => x.t("days", "días"),
            PeriodKind::Week => x.t("weeks", "semanas"),
            _ => x.t("periods", "periodos"),
        };
        text.push_str(&match x.lang {
            Lang::En => format!(
                "; the month is met when at least {} of {unit} meet the target",
                x.pct(share)
            ),
            Lang::Es => format!(
                "; el mes se considera cumplido cuando al menos el {} de los {unit} alcanza el objetivo",
                x.pct(share)
            ),
        });
    }
    Value::String(text)
}

fn data_source_name(x: &Ctx, id: &str) -> String {
    x.c.doc
        .data
        .as_ref()
        .and_then(|d| d.sources.iter().find(|s| s.id == id))
        .map_or_else(|| id.to_string(), |s| format!("{id}: {}", s.system))
}

/// One SLA of the schedule: `s` as written (for what the contract says in its own words) and
/// `typed`, its meaning (for formulas, units and directions).
fn sla(x: &Ctx, s: &Sla, typed: &SlaTerms) -> Value {
    let params = formula::params(&s.params, x.lang);
    json!({
        "id": s.id,
        "name": s.name,
        "metric": typed.measure.def().label(x.lang),
        "variant": typed.measure.variant_name(),
        "formula": formula::formula(typed, x.lang),
        "params": if params.is_empty() { Value::Null } else { Value::String(params.join("; ")) },
        "scope": sla_scope(x, &s.scope),
        "period": sla_period(x, s),
        "class": ph::class(s.class, x.lang),
        "critical": s.class == SlaClass::Critical,
        "higher_is_better": formula::higher_is_better(typed),
        "data_source": s.data_source.as_deref().map(|d| data_source_name(x, d)),
        "exclusions": if s.exclusions.is_empty() {
            Value::Null
        } else {
            Value::String(capitalize(&s.exclusions.iter().map(|e| ph::exclusion(*e, x.lang)).collect::<Vec<_>>().join("; ")))
        },
        "missing_data": capitalize(ph::missing_data(s.missing_data, x.lang)),
        "allocation": opt(s.allocation_percent, |v| x.pct(v)),
        "fixed_credit": opt(s.fixed_credit, |v| x.money(v)),
        "points": s.points_per_miss,
        "targets": s.targets.iter().map(|tg| json!({
            "from": x.date(tg.effective_from),
            "expected": formula::bound(typed, tg.expected, x.lang),
            "minimum": tg.minimum.map(|m| formula::bound(typed, m, x.lang)),
            "change_ref": tg.change_ref,
        })).collect::<Vec<_>>(),
    })
}

fn sla_level(x: &Ctx, id: &str, level: Decimal) -> String {
    match x.c.sla(id) {
        Some(s) => format!("{id} {}", formula::bound(s, level, x.lang)),
        None => format!("{id} {}", x.num(level)),
    }
}

fn credits(x: &Ctx, cr: &Credits) -> Value {
    let slas = &x.c.doc.slas;
    let hundred = Decimal::ONE_HUNDRED;
    let commitment =
        x.c.doc
            .pricing
            .as_ref()
            .and_then(|p| p.minimum_monthly_commitment)
            .filter(|m| *m > Decimal::ZERO);
    let base = commitment.unwrap_or(Decimal::from(ILLUSTRATIVE_MONTHLY_CHARGES));
    let at_risk = x.c.round_money(base * cr.at_risk_percent / hundred);
    let allocated: Vec<&Sla> = slas
        .iter()
        .filter(|s| s.class == SlaClass::Critical && s.allocation_percent.is_some())
        .collect();
    let mut total = Decimal::ZERO;
    let mut lines = Vec::new();
    for s in &allocated {
        let alloc = s.allocation_percent.unwrap_or_default();
        let credit =
            x.c.round_money(base * cr.at_risk_percent / hundred * alloc / hundred);
        total += credit;
        lines.push(json!({
            "id": s.id,
            "allocation": x.pct(alloc),
            "expr": format!("{} × {} × {} = {}", x.amount(base), x.pct(cr.at_risk_percent), x.pct(alloc), x.money(credit)),
            "credit": x.money(credit),
        }));
    }
    let alloc_sum: Decimal = allocated.iter().filter_map(|s| s.allocation_percent).sum();
    let cap_pct = cr
        .monthly_cap_percent
        .unwrap_or(cr.at_risk_percent)
        .min(cr.at_risk_percent);
    let cap = x.c.round_money(base * cap_pct / hundred);
    let example = if lines.is_empty() {
        Value::Null
    } else {
        json!({
            "base": x.money(base),
            "base_is_commitment": commitment.is_some(),
            "at_risk": x.money(at_risk),
            "first": lines.first().cloned(),
            "lines": lines,
            "total": x.money(total),
            "total_percent": x.pct((alloc_sum * cr.at_risk_percent / hundred).normalize()),
            "cap": x.money(cap),
            "cap_percent": x.pct(cap_pct),
            "capped": total > cap,
        })
    };
    // Points example: the two critical SLAs with the most points missed in one month.
    let mut pointed: Vec<&Sla> = slas
        .iter()
        .filter(|s| s.points_per_miss.is_some_and(|p| p > 0))
        .collect();
    pointed.sort_by_key(|s| std::cmp::Reverse(s.points_per_miss.unwrap_or(0)));
    let points_example = if cr.points.is_empty() || pointed.is_empty() {
        Value::Null
    } else {
        let chosen: Vec<&Sla> = pointed.into_iter().take(2).collect();
        let pts: u32 = chosen.iter().filter_map(|s| s.points_per_miss).sum();
        let pct = cr
            .points
            .iter()
            .filter(|st| st.points <= pts)
            .map(|st| st.credit_percent)
            .next_back()
            .unwrap_or_default();
        let credit = x.c.round_money(base * pct / hundred);
        json!({
            "slas": x.join(chosen.iter().map(|s| format!("{} ({} {})", s.id, s.points_per_miss.unwrap_or(0), x.t("points", "puntos"))).collect()),
            "points": pts,
            "percent": x.pct(pct),
            "base": x.money(base),
            "credit": x.money(credit),
        })
    };
    json!({
        "at_risk": x.pct(cr.at_risk_percent),
        "pool": x.pct(cr.pool_percent),
        "allocated": x.pct(alloc_sum),
        "has_allocations": !allocated.is_empty(),
        "allocations": slas.iter().filter(|s| s.allocation_percent.is_some() || s.fixed_credit.is_some() || s.points_per_miss.is_some()).map(|s| json!({
            "id": s.id,
            "name": s.name,
            "allocation": opt(s.allocation_percent, |v| x.pct(v)),
            "fixed": opt(s.fixed_credit, |v| x.money(v)),
            "points": s.points_per_miss,
        })).collect::<Vec<_>>(),
        "monthly_cap": opt(cr.monthly_cap_percent, |v| x.pct(v)),
        "rolling_cap": opt(cr.rolling_cap_percent, |v| x.pct(v)),
        "claim_days": cr.claim_window_days,
        "automatic": cr.automatic,
        "sole_remedy": cr.sole_remedy,
        "earn_back": cr.earn_back.as_ref().map(|e| json!({
            "periods": e.periods,
            "max": opt(e.max_percent, |v| x.pct(v)),
            "per_year": e.max_per_year,
        })),
        "tiers": cr.tiers.iter().map(|tr| json!({
            "from": format!("{} {}", x.num(tr.shortfall_from), x.t("pp", "p. p.")),
            "to": opt(tr.shortfall_to, |v| format!("{} {}", x.num(v), x.t("pp", "p. p."))),
            "credit": x.pct(tr.credit_percent),
        })).collect::<Vec<_>>(),
        "points": cr.points.iter().map(|p| json!({
            "points": p.points,
            "credit": x.pct(p.credit_percent),
        })).collect::<Vec<_>>(),
        "bonuses": cr.bonuses.iter().map(|b| json!({
            "id": b.id,
            "conditions": b.conditions.iter().map(|c| sla_level(x, &c.sla, c.level)).collect::<Vec<_>>().join("; "),
            "percent": opt(b.percent, |v| x.pct(v)),
            "amount": opt(b.amount, |v| x.money(v)),
            "cap": opt(b.cap, |v| x.money(v)),
        })).collect::<Vec<_>>(),
        "bonus_pool": cr.bonus_pool.as_ref().map(|bp| json!({
            "add": x.pct(bp.add_percent_per_met_month),
            "subtract": x.pct(bp.subtract_percent_per_missed_month),
            "paid": ph::adverb(bp.paid, x.lang),
        })),
        "chronic": cr.chronic.iter().map(|ch| json!({
            "id": ch.id,
            "kind": ph::chronic_kind(ch.kind),
            "count": ch.count,
            "window": ch.window_months,
            "slas": if ch.slas.is_empty() { Value::Null } else { Value::String(ch.slas.join(", ")) },
            "remedy": ph::chronic_remedy(ch.remedy),
            "credit": opt(ch.credit_percent_of_annual, |v| x.pct(v)),
            "step": opt(ch.step_percent, |v| x.pct(v)),
        })).collect::<Vec<_>>(),
        "example": example,
        "points_example": points_example,
        "tiered": !cr.tiers.is_empty(),
    })
}

fn applies_to(x: &Ctx, c: &PriceComponent) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(c.services.iter().cloned());
    parts.extend(
        c.channels
            .iter()
            .map(|ch| ph::channel(*ch, x.lang).to_string()),
    );
    parts.extend(c.languages.iter().map(|l| ph::language(l, x.lang)));
    if parts.is_empty() {
        x.t("All services", "Todos los servicios").to_string()
    } else {
        parts.join(", ")
    }
}

fn pricing(x: &Ctx, p: &Pricing) -> Value {
    json!({
        "rounding": ph::rounding(p.rounding, x.lang),
        "minor_units": x.c.minor_units,
        "components": p.components.iter().map(|c| {
            let mut unit = ph::price_unit(c.unit, x.lang).to_string();
            if let Some(o) = &c.outcome {
                unit = format!("{unit} ({o})");
            }
            json!({
                "id": c.id,
                "unit": unit,
                "rate": x.money(c.rate),
                "applies_to": applies_to(x, c),
                "included": opt(c.included_units, |v| x.num(v)),
                "cap": opt(c.cap, |v| x.money(v)),
                "tier_mode": if c.tiers.is_empty() { Value::Null } else { Value::String(ph::tier_mode(c.tier_mode, x.lang).to_string()) },
                "tiers": c.tiers.iter().map(|tr| json!({
                    "from": x.num(tr.from),
                    "to": opt(tr.to, |v| x.num(v)),
                    "rate": x.money(tr.rate),
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
        "tiered": p.components.iter().any(|c| !c.tiers.is_empty()),
        "minimum": opt(p.minimum_monthly_commitment, |v| x.money(v)),
        "shifts": p.shift_multipliers.iter().map(|s| json!({
            "kind": ph::shift_kind(s.kind, x.lang),
            "factor": format!("× {}", x.num(s.factor)),
            "window": match (s.from, s.to) {
                (Some(a), Some(b)) => Value::String(format!("{a}–{b}")),
                _ => Value::Null,
            },
        })).collect::<Vec<_>>(),
        "one_time": p.one_time_fees.iter().map(|f| json!({
            "id": f.id,
            "kind": ph::one_time_kind(f.kind, x.lang),
            "amount": x.money(f.amount),
            "per_hire": f.per_hire,
            "month": f.invoice_month.as_deref().map(|m| invoice_month(x, m)),
        })).collect::<Vec<_>>(),
        "pass_through": p.pass_through.iter().map(|pt| json!({
            "id": pt.id,
            "description": pt.description,
            "cap": opt(pt.monthly_cap, |v| x.money(v)),
            "markup": opt(pt.markup_percent, |v| x.pct(v)),
            "receipts": pt.receipts_required,
        })).collect::<Vec<_>>(),
        "declared_only": p.declared_items_only,
        "reference_rate": opt(p.reference_per_contact_rate, |v| x.money(v)),
        "occupancy": opt(p.expected_occupancy_percent, |v| x.pct(v)),
        "indexation": p.indexation.as_ref().map(|i| json!({
            "index": i.index,
            "cap": opt(i.cap_percent, |v| x.pct(v)),
            "first": i.first_review.map(|d| x.date(d)),
            "every": i.every_months,
        })),
        "payment": p.payment.as_ref().map(|pm| json!({
            "net_days": pm.net_days,
            "interest": opt(pm.late_interest_percent_per_year, |v| x.pct(v)),
            "supporting_data": pm.supporting_data_required,
            "netting": ph::netting(pm.credits_netted, x.lang),
            "invoice_day": pm.invoice_due_day,
        })),
    })
}

fn invoice_month(x: &Ctx, m: &str) -> String {
    pacta_core::Month::parse(m).map_or_else(|_| m.to_string(), |month| fmt::month(month, x.lang))
}

fn people(x: &Ctx, p: &People) -> Value {
    json!({
        "monthly_attrition": opt(p.max_monthly_attrition_percent, |v| x.pct(v)),
        "annual_attrition": opt(p.max_annual_attrition_percent, |v| x.pct(v)),
        "initial_training": opt(p.initial_training_hours, |v| x.num(v)),
        "ongoing_training": opt(p.ongoing_training_hours_per_month, |v| x.num(v)),
        "certification": p.certification_required,
        "background_checks": p.background_checks,
        "span": p.max_agents_per_supervisor,
        "key_personnel": p.key_personnel.iter().map(|k| json!({
            "role": k.role,
            "name": k.name,
            "consent": k.replacement_requires_consent,
        })).collect::<Vec<_>>(),
        "non_solicitation": p.non_solicitation_months,
    })
}

fn facilities(x: &Ctx, f: &Facilities) -> Value {
    let mut features = Vec::new();
    if f.dedicated_internet {
        features.push(x.t(
            "dedicated high-speed internet access with redundant links",
            "acceso a internet dedicado de alta velocidad con enlaces redundantes",
        ));
    }
    if f.access_control {
        features.push(x.t("physical access control", "control de acceso físico"));
    }
    if f.ergonomic_workstations {
        features.push(x.t("ergonomic workstations", "puestos de trabajo ergonómicos"));
    }
    if f.surveillance {
        features.push(x.t(
            "physical surveillance by closed-circuit television",
            "videovigilancia mediante circuito cerrado de televisión",
        ));
    }
    json!({
        "features": features,
        "continuity": f.continuity.as_ref().map(|c| json!({
            "rto": x.num(c.rto_hours),
            "rto_one": c.rto_hours == Decimal::ONE,
            "rpo": x.num(c.rpo_hours),
            "rpo_one": c.rpo_hours == Decimal::ONE,
            "tests": c.tests_per_year,
            "alternate_site": c.alternate_site,
        })),
    })
}

fn security(x: &Ctx, s: &Security) -> Value {
    json!({
        "controls": s.controls.iter().map(|c| ph::security_control(*c, x.lang)).collect::<Vec<_>>(),
        "certifications": if s.certifications.is_empty() {
            Value::Null
        } else {
            Value::String(x.join(s.certifications.iter().map(|c| ph::certification(*c, x.lang).to_string()).collect()))
        },
        "cards": s.handles_card_payments,
        "pci": s.certifications.contains(&Certification::PciDss),
        "pen_tests": s.penetration_tests_per_year,
    })
}

fn data_protection(x: &Ctx, p: &DataProtection) -> Value {
    json!({
        "data_provided": p.data_provided,
        "purpose_limited": p.purpose_limited,
        "transfer_consent": p.third_party_transfer_requires_consent,
        "locations": if p.locations.is_empty() {
            Value::Null
        } else {
            Value::String(x.join(p.locations.iter().map(|l| ph::country(l, x.lang)).collect()))
        },
        "sub_processors": p.sub_processors.iter().map(|s| json!({
            "name": s.name,
            "purpose": s.purpose,
            "country": ph::country_bare(&s.country, x.lang),
        })).collect::<Vec<_>>(),
        "retention_days": p.retention_days,
        "breach_hours": p.breach_notice_hours,
        "penalty": opt(p.confidentiality_penalty, |v| x.money(v)),
        "survival_years": p.nda_survival_years,
        "laws": if p.laws.is_empty() { Value::Null } else { Value::String(x.join(p.laws.clone())) },
        "ip_owner": p.ip_owner.map(|r| ph::party_role(r, x.lang)),
        "ip_owner_is_client": p.ip_owner == Some(PartyRole::Client),
    })
}

fn quality(x: &Ctx, q: &Quality) -> Value {
    json!({
        "qa_function": q.qa_function,
        "evaluations": q.evaluations_per_agent_month,
        "calibration": q.calibration.map(|c| ph::adverb(c, x.lang)),
        "monitoring": q.monitoring_rights,
        "reports": q.reports.iter().map(|r| json!({
            "id": r.id,
            "name": r.name,
            "frequency": ph::frequency(r.frequency, x.lang),
            "formats": if r.formats.is_empty() { Value::Null } else {
                Value::String(r.formats.iter().map(|f| ph::report_format(*f)).collect::<Vec<_>>().join(", "))
            },
            "granularity": r.granularity.map(|g| capitalize(ph::granularity(g, x.lang))),
            "due": r.due_days_after_period,
        })).collect::<Vec<_>>(),
    })
}

fn governance(x: &Ctx, g: &Governance) -> Value {
    json!({
        "meetings": g.meetings.iter().map(|m| json!({
            "name": m.name,
            "frequency": ph::frequency(m.frequency, x.lang),
            "attendees": if m.attendees.is_empty() { Value::Null } else { Value::String(m.attendees.join(", ")) },
        })).collect::<Vec<_>>(),
        "audit": g.audit.as_ref().map(|a| json!({
            "notice_days": a.notice_days,
            "per_year": a.per_year,
            "site_visits": a.site_visits,
            "data_protection": a.data_protection,
        })),
        "improvement_plan": g.improvement_plan,
        "pilot": g.pilot.as_ref().map(|p| json!({
            "weeks": p.weeks,
            "agents": p.agents,
            "slas": if p.success_slas.is_empty() { Value::Null } else { Value::String(x.join(p.success_slas.clone())) },
        })),
    })
}

fn data_sources(x: &Ctx, d: &DataSection) -> Value {
    json!({
        "sources": d.sources.iter().map(|s| json!({
            "id": s.id,
            "system": s.system,
            "kind": ph::data_kind(s.kind, x.lang),
            "format": s.format.as_deref().map(str::to_uppercase),
            "time_zone": s.time_zone,
        })).collect::<Vec<_>>(),
        "delivery_days": d.delivery_days_after_period,
    })
}

fn disputes(x: &Ctx, d: &Disputes) -> Value {
    json!({
        "steps": d.steps.iter().map(|s| json!({
            "kind": ph::dispute_kind(s.kind),
            "days": s.days,
            "institution": s.institution,
            "seat": s.seat,
            "language": s.language.as_deref().map(|l| ph::language(l, x.lang)),
        })).collect::<Vec<_>>(),
    })
}

fn liability(x: &Ctx, l: &Liability) -> Value {
    json!({
        "cap_months": opt(l.cap_months_of_fees, |v| x.num(v)),
        "cap_one": l.cap_months_of_fees == Some(Decimal::ONE),
        "uncapped": l.uncapped,
        "indemnification": l.indemnification,
        "insurance": l.insurance.iter().map(|i| json!({
            "kind": i.kind,
            "cover": x.money(i.cover),
        })).collect::<Vec<_>>(),
    })
}

fn termination(x: &Ctx, t: &Termination) -> Value {
    json!({
        "convenience_days": t.convenience_notice_days,
        "convenience_fee": opt(t.convenience_fee, |v| x.money(v)),
        "cure_days": t.cause_cure_days,
        "chronic": t.chronic_sla_failure,
        "insolvency": t.insolvency,
        "change_of_control": t.change_of_control,
    })
}

fn exit(_x: &Ctx, e: &Exit) -> Value {
    json!({
        "months": e.assistance_months,
        "at_contract_rates": e.at_contract_rates,
        "data_return": e.data_return,
        "data_deletion": e.data_deletion,
        "data_days": e.data_days,
        "knowledge_transfer": e.knowledge_transfer,
    })
}
