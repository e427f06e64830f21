//! The checks behind each rule. A check looks at the typed contract and returns hits: the
//! path of the clause (or of where it should be) and, where useful, a subject and a detail
//! sentence in both languages with this contract's figures.

use pacta_contract::{
    Certification, Channel, ChronicKind, ChronicRemedy, Contract, ContractDoc, DisputeKind,
    Exclusion, FieldPath, Measure, MissingData, OneTimeKind, PartyRole, PeriodKind,
    SecurityControl, Sla, SlaClass,
};
use rust_decimal::Decimal;

use crate::pricing::{self, fmt_money, fmt_num};

/// What a check sees.
pub(crate) struct Ctx<'a> {
    pub c: &'a Contract,
    pub d: &'a ContractDoc,
}

impl<'a> Ctx<'a> {
    pub fn new(c: &'a Contract) -> Self {
        Ctx { c, d: &c.doc }
    }
}

/// One occurrence of a rule.
pub(crate) struct Hit {
    pub path: FieldPath,
    /// Whether the clause is present; `None`: decided by whether the path exists.
    pub present: Option<bool>,
    pub subject: Option<String>,
    pub detail: Option<(String, String)>,
    /// A snippet for this occurrence, replacing the rule's generic one.
    pub snippet: Option<String>,
}

impl Hit {
    fn at(path: &str) -> Self {
        Hit {
            path: FieldPath::parse(path),
            present: None,
            subject: None,
            detail: None,
            snippet: None,
        }
    }
    fn missing(path: &str) -> Self {
        Hit {
            present: Some(false),
            ..Hit::at(path)
        }
    }
    fn present(path: &str) -> Self {
        Hit {
            present: Some(true),
            ..Hit::at(path)
        }
    }
    fn subject(mut self, s: impl Into<String>) -> Self {
        self.subject = Some(s.into());
        self
    }
    fn snippet(mut self, s: impl Into<String>) -> Self {
        self.snippet = Some(s.into());
        self
    }
    fn detail(mut self, en: impl Into<String>, es: impl Into<String>) -> Self {
        self.detail = Some((en.into(), es.into()));
        self
    }
}

fn one(h: Hit) -> Vec<Hit> {
    vec![h]
}

fn none() -> Vec<Hit> {
    Vec::new()
}

fn pct(d: Decimal) -> String {
    fmt_num(d.normalize(), d.normalize().scale().min(2))
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn has_credit(s: &Sla) -> bool {
    s.allocation_percent.is_some() || s.fixed_credit.is_some() || s.points_per_miss.is_some()
}

// ---------------------------------------------------------------------------------------------
// 1. Parties, structure and term

pub(crate) fn no_independence_clause(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.legal {
        Some(l) if l.independence => none(),
        _ => one(Hit::at("legal.independence")),
    }
}

pub(crate) fn short_renewal_notice(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(r) = &x.d.contract.renewal else {
        return none();
    };
    if !r.automatic {
        return none();
    }
    match r.notice_days {
        Some(n) if n >= 60 => none(),
        Some(n) => one(Hit::at("contract.renewal.notice_days").detail(
            format!("This contract renews automatically with {n} days' notice."),
            format!("Este contrato se renueva automáticamente con un preaviso de {n} días."),
        )),
        None => one(Hit::at("contract.renewal.notice_days").detail(
            "This contract renews automatically and states no notice period at all.",
            "Este contrato se renueva automáticamente y no fija ningún plazo de preaviso.",
        )),
    }
}

pub(crate) fn no_governing_law(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.contract.governing_law {
        Some(l) if !l.trim().is_empty() => none(),
        _ => one(Hit::at("contract.governing_law")),
    }
}

pub(crate) fn target_change_without_change_ref(x: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for (i, s) in x.d.slas.iter().enumerate() {
        for (j, t) in s.targets.iter().enumerate().skip(1) {
            if t.change_ref.as_deref().is_none_or(|r| r.trim().is_empty()) {
                out.push(
                    Hit::present(&format!("sla[{i}].targets[{j}]"))
                        .subject(&s.id)
                        .detail(
                            format!(
                                "The target effective from {} has no change_ref.",
                                t.effective_from
                            ),
                            format!(
                                "El objetivo vigente desde el {} no tiene change_ref.",
                                t.effective_from
                            ),
                        ),
                );
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 2. Scope

fn uses_flex_exclusion(d: &ContractDoc) -> Option<usize> {
    d.slas
        .iter()
        .position(|s| s.exclusions.contains(&Exclusion::VolumeAboveFlex))
}

pub(crate) fn no_flex_band(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.scope.flex_band_percent.is_some() || uses_flex_exclusion(x.d).is_some() {
        return none();
    }
    one(Hit::at("scope.flex_band_percent"))
}

pub(crate) fn no_forecast_obligation(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.scope.forecast.is_some() {
        return none();
    }
    one(Hit::at("scope.forecast"))
}

pub(crate) fn late_forecast_unaddressed(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(f) = &x.d.scope.forecast else {
        return none();
    };
    let client_caused =
        x.d.slas
            .iter()
            .any(|s| s.exclusions.contains(&Exclusion::ClientCaused));
    if f.provided_by != PartyRole::Client || f.late_forecast_excuses_misses || client_caused {
        return none();
    }
    one(Hit::at("scope.forecast.late_forecast_excuses_misses"))
}

pub(crate) fn no_hours_of_operation(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.calendar.hours.is_empty() {
        one(Hit::missing("calendar.hours"))
    } else {
        none()
    }
}

pub(crate) fn no_holiday_calendar(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.calendar.holidays.is_empty() {
        one(Hit::missing("calendar.holidays"))
    } else {
        none()
    }
}

pub(crate) fn responsibilities_not_listed(x: &Ctx<'_>) -> Vec<Hit> {
    let mut missing = Vec::new();
    if x.d.scope.client_responsibilities.is_empty() {
        missing.push("client_responsibilities");
    }
    if x.d.scope.provider_responsibilities.is_empty() {
        missing.push("provider_responsibilities");
    }
    if missing.is_empty() {
        return none();
    }
    one(Hit::missing(&format!("scope.{}", missing[0])).detail(
        format!("Missing: {}.", list(&missing)),
        format!("Faltan: {}.", list(&missing)),
    ))
}

// ---------------------------------------------------------------------------------------------
// 3. Service levels

pub(crate) fn sla_without_variant(x: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    // The variant as written (the typed SLA always has one: the default when none is given).
    for (i, (s, typed)) in x.d.slas.iter().zip(x.c.slas()).enumerate() {
        if s.variant.is_some() {
            continue;
        }
        let def = typed.measure.def();
        if def.variants.len() < 2 {
            continue;
        }
        let others: Vec<&str> = def.variants.iter().skip(1).copied().collect();
        out.push(
            Hit::at(&format!("sla[{i}].variant"))
                .subject(&s.id)
                .detail(
                    format!(
                        "`{}` has {} formulas: pacta would apply the default variant `{}`, but \
                         the provider may report {}.",
                        s.metric,
                        def.variants.len(),
                        def.default_variant(),
                        list(&others)
                    ),
                    format!(
                        "`{}` tiene {} fórmulas: pacta aplicaría la variante predeterminada \
                         `{}`, pero el proveedor puede informar {}.",
                        s.metric,
                        def.variants.len(),
                        def.default_variant(),
                        list(&others)
                    ),
                )
                .snippet(format!("variant = \"{}\"", def.default_variant())),
        );
    }
    out
}

pub(crate) fn sla_without_period(x: &Ctx<'_>) -> Vec<Hit> {
    x.d.slas
        .iter()
        .enumerate()
        .filter(|(_, s)| s.period.is_none())
        .map(|(i, s)| Hit::at(&format!("sla[{i}].period")).subject(&s.id))
        .collect()
}

pub(crate) fn sla_without_data_source(x: &Ctx<'_>) -> Vec<Hit> {
    x.d.slas
        .iter()
        .enumerate()
        .filter(|(_, s)| s.data_source.as_deref().is_none_or(|d| d.trim().is_empty()))
        .map(|(i, s)| Hit::at(&format!("sla[{i}].data_source")).subject(&s.id))
        .collect()
}

pub(crate) fn missing_data_excused(x: &Ctx<'_>) -> Vec<Hit> {
    x.d.slas
        .iter()
        .enumerate()
        .filter(|(_, s)| s.missing_data == MissingData::Excused)
        .map(|(i, s)| Hit::present(&format!("sla[{i}].missing_data")).subject(&s.id))
        .collect()
}

pub(crate) fn no_critical_sla(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.slas.iter().any(|s| s.class == SlaClass::Critical) {
        return none();
    }
    if x.d.slas.is_empty() {
        return one(Hit::missing("sla").detail(
            "The contract has no service levels at all.",
            "El contrato no tiene ningún nivel de servicio.",
        ));
    }
    let n = x.d.slas.len();
    one(Hit::missing("sla[0].class").detail(
        format!("All {n} service levels are key measurements or tracked KPIs."),
        format!("Los {n} niveles de servicio son mediciones clave o KPI de seguimiento."),
    ))
}

pub(crate) fn no_abandonment_sla(x: &Ctx<'_>) -> Vec<Hit> {
    let slas = x.c.slas();
    if slas
        .iter()
        .any(|s| matches!(s.measure, Measure::AbandonmentRate { .. }))
    {
        return none();
    }
    slas.iter()
        .position(|s| {
            matches!(s.measure, Measure::ServiceLevel { .. })
                && s.scope
                    .channels(&x.d.scope.services)
                    .contains(&Channel::VoiceIn)
        })
        .map(|i| {
            one(Hit::missing(&format!("sla[{i}]"))
                .subject(&x.d.slas[i].id)
                .detail(
                    format!(
                        "`{}` measures voice service level but no SLA limits abandonment.",
                        x.d.slas[i].id
                    ),
                    format!(
                        "`{}` mide el nivel de servicio de voz, pero ningún SLA limita el \
                             abandono.",
                        x.d.slas[i].id
                    ),
                ))
        })
        .unwrap_or_default()
}

pub(crate) fn flex_exclusion_without_band(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.scope.flex_band_percent.is_some() {
        return none();
    }
    x.d.slas
        .iter()
        .enumerate()
        .filter(|(_, s)| s.exclusions.contains(&Exclusion::VolumeAboveFlex))
        .map(|(i, s)| Hit::present(&format!("sla[{i}].exclusions")).subject(&s.id))
        .collect()
}

pub(crate) fn chronic_trigger_without_minimum(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(c) = &x.d.credits else {
        return none();
    };
    let triggers: Vec<_> = c
        .chronic
        .iter()
        .filter(|t| t.kind == ChronicKind::BelowMinimumConsecutive)
        .collect();
    if triggers.is_empty() {
        return none();
    }
    let mut out = Vec::new();
    for (i, s) in x.d.slas.iter().enumerate() {
        let covered = triggers.iter().any(|t| {
            if t.slas.is_empty() {
                s.class == SlaClass::Critical
            } else {
                t.slas.contains(&s.id)
            }
        });
        if let Some(j) = s.targets.iter().position(|t| t.minimum.is_none())
            && covered
        {
            out.push(Hit::missing(&format!("sla[{i}].targets[{j}].minimum")).subject(&s.id));
        }
    }
    out
}

pub(crate) fn force_majeure_exclusion_undefined(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.legal.as_ref().is_some_and(|l| l.force_majeure) {
        return none();
    }
    let ids: Vec<&str> =
        x.d.slas
            .iter()
            .filter(|s| s.exclusions.contains(&Exclusion::ForceMajeure))
            .map(|s| s.id.as_str())
            .collect();
    if ids.is_empty() {
        return none();
    }
    one(Hit::missing("legal.force_majeure").detail(
        format!("SLAs excluding force majeure: {}.", list(&ids)),
        format!("SLA que excluyen la fuerza mayor: {}.", list(&ids)),
    ))
}

// ---------------------------------------------------------------------------------------------
// 4. Credits

pub(crate) fn no_service_credits(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.credits.is_some() {
        none()
    } else {
        one(Hit::missing("credits"))
    }
}

pub(crate) fn sole_remedy_low_cap(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(c) = &x.d.credits else { return none() };
    let cap = c.monthly_cap_percent.unwrap_or(c.at_risk_percent);
    if !c.sole_remedy || cap > Decimal::TEN {
        return none();
    }
    one(Hit::present("credits.sole_remedy").detail(
        format!(
            "Here credits are the sole remedy and are capped at {} % of the monthly charges.",
            pct(cap)
        ),
        format!(
            "Aquí los créditos son el único remedio y están limitados al {} % de los cargos \
             mensuales.",
            pct(cap)
        ),
    ))
}

pub(crate) fn no_chronic_failure_trigger(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.credits {
        Some(c) if c.chronic.is_empty() => one(Hit::missing("credits.chronic")),
        _ => none(),
    }
}

pub(crate) fn earn_back_unlimited(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(e) = x.d.credits.as_ref().and_then(|c| c.earn_back.as_ref()) else {
        return none();
    };
    let mut missing = Vec::new();
    if e.max_percent.is_none() {
        missing.push("max_percent");
    }
    if e.max_per_year.is_none() {
        missing.push("max_per_year");
    }
    if missing.is_empty() {
        return none();
    }
    one(Hit::present("credits.earn_back").detail(
        format!(
            "Every credit can be earned back after {} good periods; missing: {}.",
            e.periods,
            list(&missing)
        ),
        format!(
            "Cada crédito puede recuperarse tras {} periodos buenos; faltan: {}.",
            e.periods,
            list(&missing)
        ),
    ))
}

pub(crate) fn credit_caps_not_stated(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(c) = &x.d.credits else { return none() };
    let mut missing = Vec::new();
    if c.monthly_cap_percent.is_none() {
        missing.push("monthly_cap_percent");
    }
    if c.rolling_cap_percent.is_none() {
        missing.push("rolling_cap_percent");
    }
    if missing.is_empty() {
        return none();
    }
    one(Hit::missing(&format!("credits.{}", missing[0])).detail(
        format!("Missing: {}.", list(&missing)),
        format!("Faltan: {}.", list(&missing)),
    ))
}

pub(crate) fn no_claim_window(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.credits {
        Some(c) if c.claim_window_days.is_none() && !c.automatic => {
            one(Hit::missing("credits.claim_window_days"))
        }
        _ => none(),
    }
}

pub(crate) fn credits_not_automatic(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.credits {
        Some(c) if !c.automatic => one(Hit::at("credits.automatic")),
        _ => none(),
    }
}

pub(crate) fn claim_window_shorter_than_reporting(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(w) = x.d.credits.as_ref().and_then(|c| c.claim_window_days) else {
        return none();
    };
    let report =
        x.d.quality
            .iter()
            .flat_map(|q| &q.reports)
            .filter(|r| r.frequency == PeriodKind::Month)
            .map(|r| r.due_days_after_period)
            .max();
    let data = x.d.data.as_ref().and_then(|d| d.delivery_days_after_period);
    let Some(delay) = report.max(data) else {
        return none();
    };
    if w >= delay {
        return none();
    }
    one(Hit::present("credits.claim_window_days").detail(
        format!(
            "The claim window is {w} days, but the monthly report or data is due {delay} days \
             after the period."
        ),
        format!(
            "El plazo de reclamación es de {w} días, pero el informe o los datos mensuales se \
             entregan {delay} días después del periodo."
        ),
    ))
}

pub(crate) fn pool_underallocated(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(c) = &x.d.credits else { return none() };
    let sum: Decimal = x.d.slas.iter().filter_map(|s| s.allocation_percent).sum();
    if sum <= Decimal::ZERO || sum >= Decimal::ONE_HUNDRED {
        return none();
    }
    one(Hit::present("credits.pool_percent").detail(
        format!(
            "Allocations total {} % of a {} % pool: if every critical SLA is missed the credit \
             is {} % of the at-risk amount ({} % of the monthly charges instead of {} %).",
            pct(sum),
            pct(c.pool_percent),
            pct(sum),
            pct(c.at_risk_percent * sum / Decimal::ONE_HUNDRED),
            pct(c.at_risk_percent)
        ),
        format!(
            "Las asignaciones suman el {} % de un fondo del {} %: si se incumplen todos los SLA \
             críticos, el crédito es el {} % del importe en riesgo (el {} % de los cargos \
             mensuales en lugar del {} %).",
            pct(sum),
            pct(c.pool_percent),
            pct(sum),
            pct(c.at_risk_percent * sum / Decimal::ONE_HUNDRED),
            pct(c.at_risk_percent)
        ),
    ))
}

pub(crate) fn allocation_concentrated(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(c) = &x.d.credits else { return none() };
    let critical =
        x.d.slas
            .iter()
            .filter(|s| s.class == SlaClass::Critical)
            .count();
    if critical < 2 {
        return none();
    }
    x.d.slas
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let a = s.allocation_percent?;
            (a * Decimal::TWO > c.pool_percent).then(|| {
                Hit::present(&format!("sla[{i}].allocation_percent"))
                    .subject(&s.id)
                    .detail(
                        format!(
                            "`{}` carries {} % of a {} % pool.",
                            s.id,
                            pct(a),
                            pct(c.pool_percent)
                        ),
                        format!(
                            "`{}` concentra el {} % de un fondo del {} %.",
                            s.id,
                            pct(a),
                            pct(c.pool_percent)
                        ),
                    )
            })
        })
        .collect()
}

pub(crate) fn critical_sla_without_credit(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.credits.is_none() {
        return none();
    }
    x.d.slas
        .iter()
        .enumerate()
        .filter(|(_, s)| s.class == SlaClass::Critical && !has_credit(s))
        .map(|(i, s)| Hit::missing(&format!("sla[{i}].allocation_percent")).subject(&s.id))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 5. Pricing

pub(crate) fn no_pricing(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.pricing.is_some() {
        none()
    } else {
        one(Hit::missing("pricing"))
    }
}

pub(crate) fn undeclared_one_time_fees(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(p) = &x.d.pricing else { return none() };
    if p.declared_items_only {
        return none();
    }
    let mut missing = Vec::new();
    if !p.one_time_fees.iter().any(|f| f.kind == OneTimeKind::Setup) {
        missing.push("setup");
    }
    if !p
        .one_time_fees
        .iter()
        .any(|f| f.kind == OneTimeKind::InitialTraining)
    {
        missing.push("initial_training");
    }
    if missing.is_empty() {
        return none();
    }
    let path = if p.one_time_fees.is_empty() {
        "pricing.one_time_fees"
    } else {
        "pricing.one_time_fees[0]"
    };
    one(Hit::missing(path).detail(
        format!(
            "`declared_items_only` is false and these one-time fees are not declared: {}.",
            list(&missing)
        ),
        format!(
            "`declared_items_only` es falso y no se declaran estos cargos únicos: {}.",
            list(&missing)
        ),
    ))
}

pub(crate) fn pass_through_without_cap(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(p) = &x.d.pricing else { return none() };
    p.pass_through
        .iter()
        .enumerate()
        .filter(|(_, t)| t.monthly_cap.is_none())
        .map(|(i, t)| {
            Hit::missing(&format!("pricing.pass_through[{i}].monthly_cap")).subject(&t.id)
        })
        .collect()
}

pub(crate) fn pass_through_without_receipts(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(p) = &x.d.pricing else { return none() };
    p.pass_through
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.receipts_required)
        .map(|(i, t)| {
            Hit::at(&format!("pricing.pass_through[{i}].receipts_required")).subject(&t.id)
        })
        .collect()
}

fn comparison_sentence(x: &Ctx<'_>, cmp: &pricing::PricingComparison) -> (String, String) {
    let c = x.c;
    let occ = pct(cmp.occupancy_percent);
    let mut en = format!(
        "Forecast: {} contacts a month on {} ({} workload hours, {} paid hours at {} % \
         occupancy). The hourly model costs {} a month",
        fmt_num(Decimal::from(cmp.monthly_volume), 0),
        list(&cmp.services.iter().map(String::as_str).collect::<Vec<_>>()),
        fmt_num(cmp.workload_hours, 2),
        fmt_num(cmp.paid_hours, 2),
        occ,
        fmt_money(c, cmp.hourly_model_cost),
    );
    let mut es = format!(
        "Previsión: {} contactos al mes en {} ({} horas de carga, {} horas pagadas con una \
         ocupación del {} %). El modelo por hora cuesta {} al mes",
        fmt_num(Decimal::from(cmp.monthly_volume), 0),
        list(&cmp.services.iter().map(String::as_str).collect::<Vec<_>>()),
        fmt_num(cmp.workload_hours, 2),
        fmt_num(cmp.paid_hours, 2),
        occ,
        fmt_money(c, cmp.hourly_model_cost),
    );
    if cmp.hourly_model_cost != cmp.hourly_cost {
        en.push_str(&format!(
            " (hourly charges of {}, raised by fixed fees or the minimum commitment)",
            fmt_money(c, cmp.hourly_cost)
        ));
        es.push_str(&format!(
            " (cargos por hora de {}, incrementados por cuotas fijas o el compromiso mínimo)",
            fmt_money(c, cmp.hourly_cost)
        ));
    }
    en.push_str(&format!(
        ", i.e. {} per contact: that is the break-even per-contact rate.",
        fmt_money(c, cmp.break_even_rate)
    ));
    es.push_str(&format!(
        ", es decir, {} por contacto: esa es la tarifa por contacto de equilibrio.",
        fmt_money(c, cmp.break_even_rate)
    ));
    if let (Some(r), Some(pc), Some(saving)) = (
        cmp.reference_rate,
        cmp.per_contact_cost,
        cmp.monthly_saving_per_contact,
    ) {
        if saving > Decimal::ZERO {
            let share = if cmp.hourly_model_cost > Decimal::ZERO {
                saving * Decimal::ONE_HUNDRED / cmp.hourly_model_cost
            } else {
                Decimal::ZERO
            };
            en.push_str(&format!(
                " At the reference rate of {} per contact the same volume costs {}: per-contact \
                 pricing is cheaper by {} a month ({} %), {} a year.",
                fmt_money(c, r),
                fmt_money(c, pc),
                fmt_money(c, saving),
                fmt_num(share, 1),
                fmt_money(c, saving * Decimal::from(12)),
            ));
            es.push_str(&format!(
                " A la tarifa de referencia de {} por contacto, el mismo volumen cuesta {}: el \
                 precio por contacto es más barato en {} al mes ({} %), {} al año.",
                fmt_money(c, r),
                fmt_money(c, pc),
                fmt_money(c, saving),
                fmt_num(share, 1),
                fmt_money(c, saving * Decimal::from(12)),
            ));
        } else {
            en.push_str(&format!(
                " At the reference rate of {} per contact the same volume costs {}: hourly \
                 pricing is cheaper by {} a month.",
                fmt_money(c, r),
                fmt_money(c, pc),
                fmt_money(c, -saving),
            ));
            es.push_str(&format!(
                " A la tarifa de referencia de {} por contacto, el mismo volumen cuesta {}: el \
                 precio por hora es más barato en {} al mes.",
                fmt_money(c, r),
                fmt_money(c, pc),
                fmt_money(c, -saving),
            ));
        }
        match cmp.break_even_volume {
            Some(v) => {
                en.push_str(&format!(
                    " Because of the fixed parts, the two models break even at {} contacts a \
                     month: per-contact is cheaper below that volume, hourly above it.",
                    fmt_num(Decimal::from(v), 0)
                ));
                es.push_str(&format!(
                    " Por las partes fijas, ambos modelos se igualan en {} contactos al mes: por \
                     debajo de ese volumen es más barato el precio por contacto; por encima, el \
                     precio por hora.",
                    fmt_num(Decimal::from(v), 0)
                ));
            }
            None if saving > Decimal::ZERO => {
                en.push_str(" At these rates per-contact pricing is cheaper at every volume.");
                es.push_str(
                    " Con estas tarifas, el precio por contacto es más barato con cualquier \
                     volumen.",
                );
            }
            None => {}
        }
    } else {
        en.push_str(
            " No reference per-contact rate is given: any per-contact quote below the \
             break-even rate would be cheaper.",
        );
        es.push_str(
            " No se indica una tarifa de referencia por contacto: cualquier oferta por contacto \
             inferior a la tarifa de equilibrio sería más barata.",
        );
    }
    (en, es)
}

pub(crate) fn hourly_pricing_high_volume(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(cmp) = pricing::compare_pricing(x.c) else {
        return none();
    };
    if !cmp.per_contact_cheaper() {
        return none();
    }
    let (en, es) = comparison_sentence(x, &cmp);
    one(Hit::present(&format!("pricing.components[{}].unit", cmp.component_index)).detail(en, es))
}

pub(crate) fn pricing_break_even(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(cmp) = pricing::compare_pricing(x.c) else {
        return none();
    };
    if cmp.per_contact_cheaper() {
        return none();
    }
    let (en, es) = comparison_sentence(x, &cmp);
    one(Hit::present(&format!("pricing.components[{}].unit", cmp.component_index)).detail(en, es))
}

pub(crate) fn no_payment_terms(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.pricing {
        Some(p) if p.payment.is_none() => one(Hit::missing("pricing.payment")),
        _ => none(),
    }
}

pub(crate) fn late_payment_interest(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(pay) = x.d.pricing.as_ref().and_then(|p| p.payment.as_ref()) else {
        return none();
    };
    match pay.late_interest_percent_per_year {
        None => one(Hit::missing(
            "pricing.payment.late_interest_percent_per_year",
        )),
        Some(r) if r > Decimal::from(18) => one(Hit::present(
            "pricing.payment.late_interest_percent_per_year",
        )
        .detail(
            format!("The rate here is {} % a year.", pct(r)),
            format!("Aquí la tasa es del {} % anual.", pct(r)),
        )),
        Some(_) => none(),
    }
}

pub(crate) fn no_indexation_cap(x: &Ctx<'_>) -> Vec<Hit> {
    match x.d.pricing.as_ref().and_then(|p| p.indexation.as_ref()) {
        Some(ix) if ix.cap_percent.is_none() => one(Hit::missing("pricing.indexation.cap_percent")
            .detail(
                format!(
                    "Prices follow `{}` every {} months with no ceiling.",
                    ix.index, ix.every_months
                ),
                format!(
                    "Los precios siguen `{}` cada {} meses sin tope.",
                    ix.index, ix.every_months
                ),
            )),
        _ => none(),
    }
}

pub(crate) fn minimum_commitment_above_forecast(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(min) =
        x.d.pricing
            .as_ref()
            .and_then(|p| p.minimum_monthly_commitment)
    else {
        return none();
    };
    let Some(cost) = pricing::forecast_monthly_cost(x.c) else {
        return none();
    };
    if min <= cost {
        return none();
    }
    one(Hit::present("pricing.minimum_monthly_commitment").detail(
        format!(
            "The forecast costs {} a month at the contract rates; the minimum commitment is {}, \
             {} a month for nothing.",
            fmt_money(x.c, cost),
            fmt_money(x.c, min),
            fmt_money(x.c, min - cost)
        ),
        format!(
            "La previsión cuesta {} al mes a las tarifas del contrato; el compromiso mínimo es \
             de {}: {} al mes sin contraprestación.",
            fmt_money(x.c, cost),
            fmt_money(x.c, min),
            fmt_money(x.c, min - cost)
        ),
    ))
}

pub(crate) fn invoice_without_supporting_data(x: &Ctx<'_>) -> Vec<Hit> {
    match x.d.pricing.as_ref().and_then(|p| p.payment.as_ref()) {
        Some(pay) if !pay.supporting_data_required => {
            one(Hit::at("pricing.payment.supporting_data_required"))
        }
        _ => none(),
    }
}

// ---------------------------------------------------------------------------------------------
// 6. People

pub(crate) fn no_attrition_cap(x: &Ctx<'_>) -> Vec<Hit> {
    let capped = x.d.people.as_ref().is_some_and(|p| {
        p.max_monthly_attrition_percent.is_some() || p.max_annual_attrition_percent.is_some()
    });
    let sla =
        x.c.slas()
            .iter()
            .any(|s| matches!(s.measure, Measure::Attrition { .. }));
    if capped || sla {
        return none();
    }
    one(Hit::missing("people.max_monthly_attrition_percent"))
}

pub(crate) fn no_training_commitment(x: &Ctx<'_>) -> Vec<Hit> {
    let mut missing = Vec::new();
    let p = x.d.people.as_ref();
    if p.and_then(|p| p.initial_training_hours).is_none() {
        missing.push("initial_training_hours");
    }
    if p.and_then(|p| p.ongoing_training_hours_per_month).is_none() {
        missing.push("ongoing_training_hours_per_month");
    }
    if missing.is_empty() {
        return none();
    }
    one(Hit::missing(&format!("people.{}", missing[0])).detail(
        format!("Missing: {}.", list(&missing)),
        format!("Faltan: {}.", list(&missing)),
    ))
}

pub(crate) fn no_key_personnel(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d
        .people
        .as_ref()
        .is_some_and(|p| !p.key_personnel.is_empty())
    {
        none()
    } else {
        one(Hit::missing("people.key_personnel"))
    }
}

pub(crate) fn no_background_checks(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.people.as_ref().is_some_and(|p| p.background_checks) {
        none()
    } else {
        one(Hit::at("people.background_checks"))
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Facilities, security, data protection

pub(crate) fn no_data_protection_terms(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.data_protection.is_some() {
        none()
    } else {
        one(Hit::missing("data_protection"))
    }
}

pub(crate) fn no_breach_notification_deadline(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(dp) = &x.d.data_protection else {
        return none();
    };
    match dp.breach_notice_hours {
        None => one(Hit::missing("data_protection.breach_notice_hours")),
        Some(h) if h > 72 => one(Hit::present("data_protection.breach_notice_hours").detail(
            format!("The contract allows {h} hours."),
            format!("El contrato concede {h} horas."),
        )),
        Some(_) => none(),
    }
}

pub(crate) fn no_purpose_limitation(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(dp) = &x.d.data_protection else {
        return none();
    };
    let mut missing = Vec::new();
    if !dp.purpose_limited {
        missing.push("purpose_limited");
    }
    if !dp.third_party_transfer_requires_consent {
        missing.push("third_party_transfer_requires_consent");
    }
    if missing.is_empty() {
        return none();
    }
    one(Hit::at(&format!("data_protection.{}", missing[0])).detail(
        format!("Not agreed: {}.", list(&missing)),
        format!("No se pacta: {}.", list(&missing)),
    ))
}

pub(crate) fn data_location_unstated(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.data_protection {
        Some(dp) if dp.locations.is_empty() => one(Hit::missing("data_protection.locations")),
        _ => none(),
    }
}

pub(crate) fn no_retention_period(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.data_protection {
        Some(dp) if dp.retention_days.is_none() => {
            one(Hit::missing("data_protection.retention_days"))
        }
        _ => none(),
    }
}

pub(crate) fn no_ip_ownership(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(dp) = &x.d.data_protection else {
        return none();
    };
    match dp.ip_owner {
        Some(PartyRole::Client) => none(),
        None => one(Hit::missing("data_protection.ip_owner")),
        Some(PartyRole::Provider) => one(Hit::present("data_protection.ip_owner").detail(
            "Here the provider owns them.",
            "Aquí la titularidad es del proveedor.",
        )),
    }
}

pub(crate) fn no_nda_survival(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.data_protection {
        Some(dp) if dp.nda_survival_years.is_none() => {
            one(Hit::missing("data_protection.nda_survival_years"))
        }
        _ => none(),
    }
}

pub(crate) fn no_data_protection_law(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.data_protection {
        Some(dp) if dp.laws.is_empty() => one(Hit::missing("data_protection.laws")),
        _ => none(),
    }
}

pub(crate) fn missing_security_controls(x: &Ctx<'_>) -> Vec<Hit> {
    let have =
        x.d.security
            .as_ref()
            .map(|s| s.controls.as_slice())
            .unwrap_or(&[]);
    let missing: Vec<&str> = SecurityControl::SEEDS_LIST
        .iter()
        .filter(|c| !have.contains(c))
        .map(|c| c.as_str())
        .collect();
    if missing.is_empty() {
        return none();
    }
    one(Hit::at("security.controls")
        .subject(missing.join(", "))
        .detail(
            format!(
                "Missing {} of the {}: {}.",
                missing.len(),
                SecurityControl::SEEDS_LIST.len(),
                list(&missing)
            ),
            format!(
                "Faltan {} de los {}: {}.",
                missing.len(),
                SecurityControl::SEEDS_LIST.len(),
                list(&missing)
            ),
        ))
}

pub(crate) fn pci_dss_missing(x: &Ctx<'_>) -> Vec<Hit> {
    match &x.d.security {
        Some(s)
            if s.handles_card_payments && !s.certifications.contains(&Certification::PciDss) =>
        {
            one(Hit::at("security.certifications"))
        }
        _ => none(),
    }
}

pub(crate) fn no_iso_27001(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d
        .security
        .as_ref()
        .is_some_and(|s| s.certifications.contains(&Certification::Iso27001))
    {
        none()
    } else {
        one(Hit::missing("security.certifications"))
    }
}

pub(crate) fn no_business_continuity(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d
        .facilities
        .as_ref()
        .is_some_and(|f| f.continuity.is_some())
    {
        none()
    } else {
        one(Hit::missing("facilities.continuity"))
    }
}

pub(crate) fn subcontracting_without_consent(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d
        .legal
        .as_ref()
        .is_some_and(|l| l.subcontracting_requires_consent)
    {
        none()
    } else {
        one(Hit::at("legal.subcontracting_requires_consent"))
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Quality and governance

pub(crate) fn no_sla_reports(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.quality.as_ref().is_some_and(|q| !q.reports.is_empty()) {
        none()
    } else {
        one(Hit::missing("quality.reports"))
    }
}

pub(crate) fn no_interval_reporting(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(q) = &x.d.quality else { return none() };
    if q.reports.is_empty()
        || q.reports
            .iter()
            .any(|r| r.granularity == Some(PeriodKind::Interval))
    {
        return none();
    }
    one(Hit::present("quality.reports"))
}

pub(crate) fn no_quality_function(x: &Ctx<'_>) -> Vec<Hit> {
    let q = x.d.quality.as_ref();
    let mut missing = Vec::new();
    if !q.is_some_and(|q| q.qa_function) {
        missing.push("qa_function");
    }
    if q.and_then(|q| q.evaluations_per_agent_month).is_none() {
        missing.push("evaluations_per_agent_month");
    }
    if q.and_then(|q| q.calibration).is_none() {
        missing.push("calibration");
    }
    if missing.is_empty() {
        return none();
    }
    one(Hit::at(&format!("quality.{}", missing[0])).detail(
        format!("Missing: {}.", list(&missing)),
        format!("Faltan: {}.", list(&missing)),
    ))
}

pub(crate) fn no_monitoring_rights(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.quality.as_ref().is_some_and(|q| q.monitoring_rights) {
        none()
    } else {
        one(Hit::at("quality.monitoring_rights"))
    }
}

pub(crate) fn no_audit_rights(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.governance.as_ref().is_some_and(|g| g.audit.is_some()) {
        none()
    } else {
        one(Hit::missing("governance.audit"))
    }
}

pub(crate) fn no_governance_meetings(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d
        .governance
        .as_ref()
        .is_some_and(|g| !g.meetings.is_empty())
    {
        none()
    } else {
        one(Hit::missing("governance.meetings"))
    }
}

pub(crate) fn no_pilot(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.governance.as_ref().is_some_and(|g| g.pilot.is_some()) {
        none()
    } else {
        one(Hit::missing("governance.pilot"))
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Disputes, liability, termination, exit

pub(crate) fn no_dispute_procedure(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d.disputes.as_ref().is_some_and(|d| !d.steps.is_empty()) {
        none()
    } else {
        one(Hit::missing("disputes.steps"))
    }
}

fn kind_name(k: DisputeKind) -> &'static str {
    match k {
        DisputeKind::Negotiation => "negotiation",
        DisputeKind::ExecutiveEscalation => "executive_escalation",
        DisputeKind::Mediation => "mediation",
        DisputeKind::Arbitration => "arbitration",
        DisputeKind::Courts => "courts",
    }
}

pub(crate) fn dispute_steps_without_time_limits(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(d) = &x.d.disputes else {
        return none();
    };
    d.steps
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            matches!(
                s.kind,
                DisputeKind::Negotiation
                    | DisputeKind::ExecutiveEscalation
                    | DisputeKind::Mediation
            ) && s.days.is_none()
        })
        .map(|(i, s)| Hit::missing(&format!("disputes.steps[{i}].days")).subject(kind_name(s.kind)))
        .collect()
}

pub(crate) fn dispute_no_final_forum(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(d) = &x.d.disputes else {
        return none();
    };
    if d.steps.is_empty() {
        return none();
    }
    let final_step = d
        .steps
        .iter()
        .position(|s| matches!(s.kind, DisputeKind::Arbitration | DisputeKind::Courts));
    match final_step {
        None => one(Hit::missing("disputes.steps").detail(
            "No step ends in arbitration or the courts.",
            "Ningún escalón termina en arbitraje o en los tribunales.",
        )),
        Some(i) => {
            let s = &d.steps[i];
            if s.kind == DisputeKind::Arbitration && (s.institution.is_none() || s.seat.is_none()) {
                one(Hit::present(&format!("disputes.steps[{i}]")).detail(
                    "The arbitration step names no institution or no seat.",
                    "El escalón de arbitraje no designa institución o sede.",
                ))
            } else {
                none()
            }
        }
    }
}

pub(crate) fn weak_liability_cap(x: &Ctx<'_>) -> Vec<Hit> {
    match x.d.liability.as_ref().and_then(|l| l.cap_months_of_fees) {
        None => one(Hit::missing("liability.cap_months_of_fees")),
        Some(m) if m < Decimal::from(6) => one(Hit::present("liability.cap_months_of_fees")
            .detail(
                format!("The cap here is {} months of fees.", pct(m)),
                format!("Aquí el límite es de {} meses de honorarios.", pct(m)),
            )),
        Some(_) => none(),
    }
}

pub(crate) fn data_breach_liability_capped(x: &Ctx<'_>) -> Vec<Hit> {
    let Some(l) = &x.d.liability else {
        return none();
    };
    if l.cap_months_of_fees.is_none() {
        return none();
    }
    let carved_out = l.uncapped.iter().any(|u| {
        let u = u.to_lowercase();
        ["confiden", "data", "datos", "privacy", "privacidad"]
            .iter()
            .any(|k| u.contains(k))
    });
    if carved_out {
        return none();
    }
    one(Hit::at("liability.uncapped"))
}

pub(crate) fn no_insurance(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d
        .liability
        .as_ref()
        .is_some_and(|l| !l.insurance.is_empty())
    {
        none()
    } else {
        one(Hit::missing("liability.insurance"))
    }
}

pub(crate) fn no_termination_for_chronic_failure(x: &Ctx<'_>) -> Vec<Hit> {
    let in_termination =
        x.d.termination
            .as_ref()
            .is_some_and(|t| t.chronic_sla_failure);
    let in_credits = x.d.credits.as_ref().is_some_and(|c| {
        c.chronic
            .iter()
            .any(|t| t.remedy == ChronicRemedy::TerminationRight)
    });
    if in_termination || in_credits {
        none()
    } else {
        one(Hit::at("termination.chronic_sla_failure"))
    }
}

pub(crate) fn no_termination_for_convenience(x: &Ctx<'_>) -> Vec<Hit> {
    if x.d
        .termination
        .as_ref()
        .is_some_and(|t| t.convenience_notice_days.is_some())
    {
        none()
    } else {
        one(Hit::missing("termination.convenience_notice_days"))
    }
}

pub(crate) fn no_exit_assistance(x: &Ctx<'_>) -> Vec<Hit> {
    match x.d.exit.as_ref().and_then(|e| e.assistance_months) {
        Some(m) if m > 0 => none(),
        _ => one(Hit::missing("exit.assistance_months")),
    }
}

pub(crate) fn no_data_return_deletion(x: &Ctx<'_>) -> Vec<Hit> {
    let e = x.d.exit.as_ref();
    let mut missing = Vec::new();
    if !e.is_some_and(|e| e.data_return) {
        missing.push("data_return");
    }
    if !e.is_some_and(|e| e.data_deletion) {
        missing.push("data_deletion");
    }
    if e.and_then(|e| e.data_days).is_none() {
        missing.push("data_days");
    }
    if missing.is_empty() {
        return none();
    }
    one(Hit::at(&format!("exit.{}", missing[0])).detail(
        format!("Missing: {}.", list(&missing)),
        format!("Faltan: {}.", list(&missing)),
    ))
}
