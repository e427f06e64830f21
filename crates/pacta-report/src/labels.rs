//! Every word the report prints, in English and Spanish.
//!
//! Templates look labels up by key (`{{ t.credit_due }}`); the enum labels below translate the
//! settlement's statuses and kinds. A key missing from one language is caught by the test at
//! the bottom, not by a reader.

use std::collections::BTreeMap;

use pacta_contract::{ChronicRemedy, Exclusion, Lang, SlaClass};
use pacta_terms::Status;
use pacta_terms::pricing::LineKind;
use pacta_terms::reconcile::DiscrepancyKind;

/// (key, English, Spanish).
const LABELS: &[(&str, &str, &str)] = &[
    (
        "report_title",
        "Monthly settlement report",
        "Informe de liquidación mensual",
    ),
    ("contract", "Contract", "Contrato"),
    ("client", "Client", "Cliente"),
    ("provider", "Provider", "Proveedor"),
    ("month", "Month", "Mes"),
    ("time_zone", "Time zone", "Zona horaria"),
    ("currency", "Currency", "Moneda"),
    (
        "contacts_in_month",
        "contacts in the month",
        "contactos en el mes",
    ),
    (
        "outside_hours",
        "outside hours of operation",
        "fuera del horario de servicio",
    ),
    ("summary", "Summary", "Resumen"),
    (
        "slas_met",
        "service levels met",
        "niveles de servicio cumplidos",
    ),
    ("of", "of", "de"),
    ("service_charges", "Service charges", "Cargos por servicio"),
    (
        "credits_before_caps",
        "Credits before caps",
        "Créditos antes de topes",
    ),
    ("credit_due", "Credit due", "Crédito debido"),
    ("net_to_client", "Net to client", "Neto a favor del cliente"),
    ("invoice_total", "Invoice total", "Total de la factura"),
    (
        "vendor_difference",
        "Vendor invoice over expected",
        "Exceso de la factura del proveedor",
    ),
    (
        "scorecard",
        "SLA scorecard",
        "Cuadro de cumplimiento de SLA",
    ),
    ("sla", "SLA", "SLA"),
    ("name", "Name", "Nombre"),
    ("class", "Class", "Clase"),
    ("formula", "Formula", "Fórmula"),
    ("measured", "Measured", "Medido"),
    ("target", "Target", "Objetivo"),
    ("minimum", "Minimum", "Mínimo"),
    ("status", "Status", "Estado"),
    ("periods_met", "periods met", "periodos cumplidos"),
    ("in_periods", "in", "en"),
    (
        "target_from",
        "target in force since",
        "objetivo vigente desde",
    ),
    (
        "approximate",
        "approximate: source data incomplete",
        "aproximado: datos de origen incompletos",
    ),
    (
        "daily_title",
        "Service level by day against target",
        "Nivel de servicio por día frente al objetivo",
    ),
    (
        "daily_note",
        "Each point is one day measured with the SLA's own formula; the dashed line is the target in force, the dotted one the minimum.",
        "Cada punto es un día medido con la fórmula del propio SLA; la línea discontinua es el objetivo vigente y la punteada, el mínimo.",
    ),
    (
        "volume_title",
        "Volume against the forecast band",
        "Volumen frente a la banda de pronóstico",
    ),
    (
        "volume_note",
        "Contacts offered in the month per service, against the forecast and its flex band; volume above the band is excluded from the service levels that allow it.",
        "Contactos ofrecidos en el mes por servicio, frente al pronóstico y su banda de flexibilidad; el volumen por encima de la banda se excluye de los niveles de servicio que lo permiten.",
    ),
    ("service", "Service", "Servicio"),
    ("forecast", "Forecast", "Pronóstico"),
    ("band", "Flex band", "Banda de flexibilidad"),
    ("offered", "Offered", "Ofrecidos"),
    ("vs_forecast", "vs forecast", "vs. pronóstico"),
    ("above_band", "above the band", "por encima de la banda"),
    ("below_band", "below the band", "por debajo de la banda"),
    ("within_band", "within the band", "dentro de la banda"),
    ("no_forecast", "no forecast", "sin pronóstico"),
    ("waterfall_title", "Credit waterfall", "Cascada de créditos"),
    (
        "waterfall_note",
        "From each missed service level's credit to what the client is owed this month.",
        "Desde el crédito de cada nivel de servicio incumplido hasta lo que se adeuda al cliente este mes.",
    ),
    ("points", "Points", "Puntos"),
    ("caps", "Caps", "Topes"),
    ("escalated", "Escalated", "Escalado"),
    ("earn_back", "Earn-back", "Recuperación"),
    ("bonus", "Bonus", "Bono"),
    ("bonus_pool", "Bonus pool", "Fondo de bonos"),
    ("credits", "Service credits", "Créditos por servicio"),
    ("at_risk", "At-risk amount", "Monto en riesgo"),
    ("monthly_cap", "Monthly cap", "Tope mensual"),
    (
        "rolling_room",
        "Room under the rolling cap",
        "Margen bajo el tope móvil",
    ),
    (
        "allocation_credit",
        "Allocation credit",
        "Crédito por asignación",
    ),
    ("fixed_credit", "Fixed credit", "Crédito fijo"),
    ("explanation", "Explanation", "Explicación"),
    ("after_caps", "After caps", "Tras topes"),
    ("arithmetic", "Arithmetic", "Aritmética"),
    ("earn_backs", "Earn-backs", "Recuperaciones"),
    ("from_month", "From month", "Del mes"),
    ("amount", "Amount", "Importe"),
    ("bonuses", "Bonuses", "Bonos"),
    (
        "chronic_title",
        "Chronic-failure triggers",
        "Disparadores de incumplimiento crónico",
    ),
    ("trigger", "Trigger", "Disparador"),
    ("remedy", "Remedy", "Remedio"),
    (
        "no_chronic",
        "No chronic-failure trigger fired.",
        "No se activó ningún disparador de incumplimiento crónico.",
    ),
    (
        "exclusions_title",
        "Exclusions applied",
        "Exclusiones aplicadas",
    ),
    ("exclusion", "Exclusion", "Exclusión"),
    ("reference", "Reference", "Referencia"),
    (
        "contacts_removed",
        "Contacts removed",
        "Contactos excluidos",
    ),
    ("detail", "Detail", "Detalle"),
    (
        "invoice_title",
        "Invoice implied by the contract and the data",
        "Factura que resulta del contrato y los datos",
    ),
    ("item", "Item", "Concepto"),
    ("kind", "Kind", "Tipo"),
    ("quantity", "Quantity", "Cantidad"),
    ("unit", "Unit", "Unidad"),
    ("rate", "Rate", "Tarifa"),
    ("note", "Note", "Nota"),
    ("total", "Total", "Total"),
    (
        "reconciliation_title",
        "Reconciliation with the vendor's invoice",
        "Conciliación con la factura del proveedor",
    ),
    ("invoiced_total", "Invoiced", "Facturado"),
    ("expected_total", "Expected", "Esperado"),
    ("difference", "Difference", "Diferencia"),
    ("expected", "Expected", "Esperado"),
    ("invoiced", "Invoiced", "Facturado"),
    (
        "no_discrepancy",
        "The vendor's invoice matches line by line.",
        "La factura del proveedor coincide línea por línea.",
    ),
    (
        "no_vendor_invoice",
        "No vendor invoice was given (settle with --vendor-invoice to reconcile).",
        "No se aportó factura del proveedor (liquide con --vendor-invoice para conciliar).",
    ),
    (
        "history_title",
        "SLA scorecard history",
        "Historial de cumplimiento de SLA",
    ),
    (
        "history_note",
        "Each column is a settled month kept in the store; the last one is this report's month.",
        "Cada columna es un mes liquidado guardado en el almacén; la última es el mes de este informe.",
    ),
    ("credit_row", "Credit", "Crédito"),
    ("no_data", "no data", "sin datos"),
    (
        "footer",
        "Produced by pacta from the contract and the call center's own data. Every figure can be reproduced with `pacta explain`.",
        "Generado por pacta a partir del contrato y de los datos del propio centro de contacto. Cada cifra puede reproducirse con `pacta explain`.",
    ),
    ("day", "Day", "Día"),
    ("inputs", "counts from the data", "conteos de los datos"),
    ("not_in_history", "not settled", "no liquidado"),
    ("excused_count", "excused", "eximidos"),
    ("met_count", "met", "cumplidos"),
    (
        "judged_note",
        "excused service levels are not counted as met or missed",
        "los niveles de servicio eximidos no cuentan como cumplidos ni incumplidos",
    ),
    ("excused_because", "Excused because", "Eximido porque"),
    (
        "excused_missing_data",
        "no data in the month, and the contract excuses missing data",
        "no hubo datos en el mes y el contrato exime la falta de datos",
    ),
    (
        "excused_flex",
        "the offered volume exceeded the forecast's flex band",
        "el volumen ofrecido superó la banda de flexibilidad del pronóstico",
    ),
    ("in_plain_words", "In plain words", "En palabras"),
    (
        "banner_title",
        "Partial data: this report is not final",
        "Datos parciales: este informe no es definitivo",
    ),
    (
        "banner_note",
        "Verdicts and credits below were computed from incomplete data. Import what is missing and settle the month again before sending this report.",
        "Los veredictos y créditos de este informe se calcularon con datos incompletos. Importe lo que falta y vuelva a liquidar el mes antes de enviar este informe.",
    ),
    (
        "banner_no_interactions",
        "No interactions were imported for this month.",
        "No se importaron interacciones de este mes.",
    ),
    ("banner_no_data_for", "No data for", "Sin datos para"),
    (
        "banner_approximate",
        "Measured from incomplete source data",
        "Medido con datos de origen incompletos",
    ),
    (
        "fcr_provisional",
        "Provisional: the next month is not imported yet, so contacts of the last days cannot be seen repeated and count as resolved; FCR reads high until the month is settled again.",
        "Provisional: el mes siguiente aún no está importado, así que los contactos de los últimos días no pueden verse repetidos y cuentan como resueltos; la FCR aparece alta hasta volver a liquidar el mes.",
    ),
    ("provisional_days", "provisional", "provisional"),
    (
        "interval_share_title",
        "Share of intervals at target, by day",
        "Porcentaje de intervalos en objetivo, por día",
    ),
    (
        "interval_share_note",
        "What the verdict counts: each bar is the share of the day's intervals with data that met the target in force. The dashed line is the share the contract requires over the month.",
        "Lo que cuenta el veredicto: cada barra es el porcentaje de intervalos con datos del día que cumplieron el objetivo vigente. La línea discontinua es el porcentaje que el contrato exige en el mes.",
    ),
    (
        "heatmap_title",
        "Intervals by day and time",
        "Intervalos por día y hora",
    ),
    ("required_share", "required", "exigido"),
    ("axis_day", "Day of month", "Día del mes"),
    ("axis_time", "Interval start", "Inicio del intervalo"),
    (
        "axis_share_at_target",
        "% of intervals at target",
        "% de intervalos en objetivo",
    ),
    ("axis_amount", "Amount", "Importe"),
    ("axis_contacts", "Contacts offered", "Contactos ofrecidos"),
    ("legend_no_data", "no data", "sin datos"),
    (
        "legend_share_reached",
        "day at the required share",
        "día que alcanza lo exigido",
    ),
    (
        "legend_share_short",
        "day below it",
        "día que no lo alcanza",
    ),
    ("legend_met_target", "met target", "cumple el objetivo"),
    (
        "legend_below_target",
        "below target, above minimum",
        "bajo objetivo, sobre mínimo",
    ),
    ("legend_below_minimum", "below minimum", "bajo el mínimo"),
    ("legend_not_settled", "not settled", "no liquidado"),
    ("legend_forecast", "forecast", "pronóstico"),
    (
        "legend_outside_band",
        "outside the band",
        "fuera de la banda",
    ),
    ("legend_band", "flex band", "banda de flexibilidad"),
    ("legend_up", "credit", "crédito"),
    ("legend_down", "reduction", "reducción"),
    ("legend_total", "net", "neto"),
    ("legend_day_value", "day's value", "valor del día"),
    ("page", "Page", "Página"),
    (
        "quantity_difference",
        "Quantity difference",
        "Diferencia de cantidad",
    ),
    (
        "money_difference",
        "Amount difference",
        "Diferencia de importe",
    ),
];

/// The label table in one language, for templates.
pub fn table(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|&(k, en, es)| (k, if lang == Lang::Es { es } else { en }))
        .collect()
}

/// One label by key; the key itself when unknown (never panics on a typo).
pub fn get(key: &'static str, lang: Lang) -> &'static str {
    LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or(key, |&(_, en, es)| if lang == Lang::Es { es } else { en })
}

fn pick(lang: Lang, en: &'static str, es: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Es => es,
    }
}

/// A verdict.
pub fn status(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Met => pick(lang, "met", "cumplido"),
        Status::Missed => pick(lang, "missed", "incumplido"),
        Status::BelowMinimum => pick(lang, "below minimum", "bajo el mínimo"),
        Status::Excused => pick(lang, "excused", "eximido"),
    }
}

/// The CSS class and colour key of a verdict.
pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Missed => "missed",
        Status::BelowMinimum => "below",
        Status::Excused => "excused",
    }
}

/// An SLA class.
pub fn class(c: SlaClass, lang: Lang) -> &'static str {
    match c {
        SlaClass::Critical => pick(lang, "critical", "crítico"),
        SlaClass::Key => pick(lang, "key", "clave"),
        SlaClass::Tracked => pick(lang, "tracked", "seguimiento"),
    }
}

/// An exclusion reason.
pub fn exclusion(e: Exclusion, lang: Lang) -> &'static str {
    match e {
        Exclusion::AcceptedRelief => {
            pick(lang, "accepted relief event", "evento de alivio aceptado")
        }
        Exclusion::ForceMajeure => pick(lang, "force majeure", "fuerza mayor"),
        Exclusion::VolumeAboveFlex => pick(
            lang,
            "volume above the flex band",
            "volumen por encima de la banda",
        ),
        Exclusion::ClientCaused => {
            pick(lang, "client-caused failure", "falla atribuible al cliente")
        }
        Exclusion::OutsideHours => pick(
            lang,
            "outside hours of operation",
            "fuera del horario de servicio",
        ),
    }
}

/// An invoice line kind.
pub fn line_kind(k: LineKind, lang: Lang) -> &'static str {
    match k {
        LineKind::Service => pick(lang, "service", "servicio"),
        LineKind::ShiftPremium => pick(lang, "shift premium", "recargo por turno"),
        LineKind::MinimumCommitment => pick(lang, "minimum commitment", "compromiso mínimo"),
        LineKind::OneTimeFee => pick(lang, "one-time fee", "cargo único"),
        LineKind::PassThrough => pick(lang, "pass-through", "costo trasladado"),
        LineKind::Credit => pick(lang, "service credit", "crédito por servicio"),
        LineKind::Bonus => pick(lang, "bonus", "bono"),
    }
}

/// A reconciliation difference kind.
pub fn discrepancy(k: DiscrepancyKind, lang: Lang) -> &'static str {
    match k {
        DiscrepancyKind::Quantity => pick(
            lang,
            "quantity differs from the data",
            "cantidad distinta de los datos",
        ),
        DiscrepancyKind::Rate => pick(
            lang,
            "rate differs from the contract",
            "tarifa distinta del contrato",
        ),
        DiscrepancyKind::Arithmetic => pick(
            lang,
            "quantity × rate ≠ amount",
            "cantidad × tarifa ≠ importe",
        ),
        DiscrepancyKind::NotAllowed => pick(
            lang,
            "charge not allowed by the contract",
            "cargo no permitido por el contrato",
        ),
        DiscrepancyKind::Missing => pick(
            lang,
            "expected line not invoiced",
            "línea esperada no facturada",
        ),
    }
}

/// A chronic-failure remedy.
pub fn remedy(r: ChronicRemedy, lang: Lang) -> &'static str {
    match r {
        ChronicRemedy::TerminationRight => {
            pick(lang, "termination right", "derecho de terminación")
        }
        ChronicRemedy::EscalatedCredit => pick(lang, "escalated credit", "crédito escalado"),
        ChronicRemedy::RemediationPlan => {
            pick(lang, "remediation plan due", "plan de remediación exigible")
        }
    }
}

/// The English label table, for tests that check a Spanish page shows none of it.
pub fn english_labels() -> impl Iterator<Item = (&'static str, &'static str)> {
    LABELS
        .iter()
        .filter(|(_, en, es)| en != es)
        .map(|&(_, en, es)| (en, es))
}

/// The English phrases [`prose`] translates, for tests that check a Spanish page shows none of
/// them.
pub fn english_prose() -> impl Iterator<Item = &'static str> {
    PROSE.iter().map(|(_, en, _)| *en)
}

/// What a metric measures, in plain words (by the contract's metric name).
pub fn metric_in_words(metric: &str, lang: Lang) -> &'static str {
    match metric {
        "service_level" => pick(
            lang,
            "share of contacts answered within the time threshold",
            "porcentaje de contactos atendidos dentro del umbral de tiempo",
        ),
        "abandonment_rate" => pick(
            lang,
            "share of contacts that hung up before being answered (very short abandons not counted)",
            "porcentaje de contactos que colgaron antes de ser atendidos (sin contar abandonos muy cortos)",
        ),
        "asa" => pick(
            lang,
            "average wait before a contact is answered",
            "espera media hasta que se atiende un contacto",
        ),
        "max_wait" => pick(
            lang,
            "longest wait before a contact is answered",
            "espera máxima hasta que se atiende un contacto",
        ),
        "wait_p80" | "wait_p90" | "wait_p95" => pick(
            lang,
            "wait before answer that most contacts did not exceed (a percentile)",
            "espera hasta ser atendido que la mayoría de los contactos no superó (un percentil)",
        ),
        "aht" => pick(
            lang,
            "average handle time: talk, hold and wrap-up",
            "tiempo medio de gestión: conversación, espera y cierre",
        ),
        "fcr" => pick(
            lang,
            "share of customers who did not have to contact again about the same matter",
            "porcentaje de clientes que no tuvieron que volver a contactar por el mismo asunto",
        ),
        "csat" => pick(
            lang,
            "share of surveyed customers who said they were satisfied",
            "porcentaje de clientes encuestados que se declararon satisfechos",
        ),
        "nps" => pick(
            lang,
            "promoters minus detractors among surveyed customers",
            "promotores menos detractores entre los clientes encuestados",
        ),
        "qa_score" => pick(
            lang,
            "average quality-evaluation score; an evaluation with a critical failure scores zero",
            "puntuación media de las evaluaciones de calidad; una evaluación con falla crítica puntúa cero",
        ),
        "response_time" => pick(
            lang,
            "share of written contacts answered within the deadline",
            "porcentaje de contactos escritos respondidos dentro del plazo",
        ),
        "occupancy" => pick(
            lang,
            "share of agents' logged time spent handling contacts",
            "porcentaje del tiempo conectado de los agentes dedicado a gestionar contactos",
        ),
        "adherence" => pick(
            lang,
            "share of scheduled time agents worked as scheduled",
            "porcentaje del tiempo programado en que los agentes siguieron su horario",
        ),
        "attrition" => pick(
            lang,
            "agents who left, over the average headcount",
            "agentes que se fueron, sobre la plantilla media",
        ),
        "training_hours" => pick(
            lang,
            "training hours delivered per agent",
            "horas de formación impartidas por agente",
        ),
        "conversion" => pick(
            lang,
            "share of contacts that ended in a sale",
            "porcentaje de contactos que terminaron en venta",
        ),
        "sales" => pick(lang, "sales closed", "ventas cerradas"),
        "contacts_made" => pick(
            lang,
            "outbound contacts made",
            "contactos salientes realizados",
        ),
        "report_delivery" => pick(
            lang,
            "share of contractual reports delivered on time",
            "porcentaje de informes contractuales entregados a tiempo",
        ),
        _ => pick(lang, "see the formula", "véase la fórmula"),
    }
}

/// The plain-language line of a per-period SLA: the share of its periods at target.
pub fn periods_in_words(interval: bool, lang: Lang) -> &'static str {
    match (interval, lang) {
        (true, Lang::En) => "share of intervals that met the target; in each interval:",
        (true, Lang::Es) => {
            "porcentaje de intervalos que cumplieron el objetivo; en cada intervalo:"
        }
        (false, Lang::En) => "share of days that met the target; on each day:",
        (false, Lang::Es) => "porcentaje de días que cumplieron el objetivo; en cada día:",
    }
}

/// The formula of a per-period SLA's share, in words.
pub fn periods_formula(interval: bool, lang: Lang) -> &'static str {
    match (interval, lang) {
        (true, Lang::En) => "intervals at target / intervals with data",
        (true, Lang::Es) => "intervalos en objetivo / intervalos con datos",
        (false, Lang::En) => "days at target / days with data",
        (false, Lang::Es) => "días en objetivo / días con datos",
    }
}

/// The data a metric is measured from, for the partial-data banner.
pub fn metric_source(metric: &str, lang: Lang) -> &'static str {
    match metric {
        "csat" | "nps" => pick(lang, "survey responses", "respuestas de encuestas"),
        "qa_score" => pick(lang, "QA evaluations", "evaluaciones de calidad"),
        "attrition" => pick(lang, "the roster", "la plantilla"),
        "training_hours" => pick(lang, "training records", "registros de formación"),
        "occupancy" | "adherence" => pick(lang, "agent days", "jornadas de agentes"),
        "report_delivery" => pick(lang, "report deliveries", "entregas de informes"),
        _ => pick(lang, "interactions", "interacciones"),
    }
}

/// An invoice unit as pacta-terms names it (`productive hour`), in the reader's language;
/// unknown units as given.
pub fn unit(name: &str, lang: Lang) -> String {
    const UNITS: &[(&str, &str, &str)] = &[
        ("unit", "logged hour", "hora conectada"),
        ("unit", "productive hour", "hora productiva"),
        ("unit", "handled contact", "contacto atendido"),
        ("unit", "talk minute", "minuto de conversación"),
        ("unit", "handle minute", "minuto de gestión"),
        ("unit", "outcome", "resultado"),
        ("unit", "month", "mes"),
        ("unit", "new hire", "nueva contratación"),
        ("unit", "fee", "cargo"),
    ];
    match lang {
        Lang::En => name.to_string(),
        Lang::Es => UNITS
            .iter()
            .find(|(_, en, _)| *en == name)
            .map_or_else(|| name.to_string(), |(_, _, es)| (*es).to_string()),
    }
}

/// An invoice unit after a quantity (`21,951.46 productive hours`): the plural unless the
/// quantity is one.
pub fn unit_counted(name: &str, quantity: rust_decimal::Decimal, lang: Lang) -> String {
    const PLURALS: &[(&str, &str, &str)] = &[
        ("logged hour", "logged hours", "horas conectadas"),
        ("productive hour", "productive hours", "horas productivas"),
        ("handled contact", "handled contacts", "contactos atendidos"),
        ("talk minute", "talk minutes", "minutos de conversación"),
        ("handle minute", "handle minutes", "minutos de gestión"),
        ("outcome", "outcomes", "resultados"),
        ("month", "months", "meses"),
        ("new hire", "new hires", "nuevas contrataciones"),
        ("fee", "fees", "cargos"),
    ];
    if quantity.abs() == rust_decimal::Decimal::ONE {
        return unit(name, lang);
    }
    PLURALS.iter().find(|(one, _, _)| *one == name).map_or_else(
        || unit(name, lang),
        |(_, en, es)| pick(lang, en, es).to_string(),
    )
}

/// English phrases of the settlement's free-text notes, details and arithmetic steps (written
/// by pacta-settle and pacta-terms), and their Spanish, as (table, English, Spanish) rows like
/// [`LABELS`], so tools that read the code's catalogue see each pair. [`prose`] applies longer
/// phrases first, so a phrase inside a longer one is not translated on its own.
const PROSE: &[(&str, &str, &str)] = &[
    ("prose", "contacts arriving", "contactos llegados entre"),
    (
        "prose",
        "declared by provider",
        "declarado por el proveedor",
    ),
    ("prose", "declared by client", "declarado por el cliente"),
    ("prose", "declared by", "declarado por"),
    ("prose", "declared by dispute", "declarado por la disputa"),
    ("prose", "outage incident", "incidente de caída"),
    (
        "prose",
        "forcemajeure incident",
        "incidente de fuerza mayor",
    ),
    (
        "prose",
        "clientcaused incident",
        "incidente atribuible al cliente",
    ),
    ("prose", ", accepted;", ", aceptado;"),
    ("prose", " removed", " excluidos"),
    ("prose", "the month is excused", "el mes queda eximido"),
    ("prose", "offered", "ofrecidos"),
    ("prose", "forecast", "pronóstico"),
    ("prose", "below minimum", "bajo el mínimo"),
    ("prose", "consecutive months", "meses consecutivos"),
    (
        "prose",
        "misses in the last",
        "incumplimientos en los últimos",
    ),
    ("prose", "missed", "incumplido"),
    ("prose", "months", "meses"),
    ("prose", "at-risk amount", "monto en riesgo"),
    ("prose", "gross credits", "créditos brutos"),
    ("prose", "monthly cap", "tope mensual"),
    ("prose", "rolling cap", "tope móvil"),
    ("prose", "12 months' charges", "cargos de 12 meses"),
    (
        "prose",
        "last 11 months' credits",
        "créditos de los últimos 11 meses",
    ),
    ("prose", "= room", "= margen"),
    ("prose", "credit due", "crédito debido"),
    ("prose", "fixed credit", "crédito fijo"),
    ("prose", "(shortfall", "(déficit"),
    ("prose", "tier", "tramo"),
    (
        "prose",
        "unknown: no target in force",
        "desconocido: sin objetivo vigente",
    ),
    ("prose", "no data", "sin datos"),
    ("prose", "points", "puntos"),
    ("prose", "of", "de"),
    ("prose", "earn-back:", "recuperación:"),
    ("prose", "met for", "cumplido durante"),
    ("prose", "period(s) since", "periodo(s) desde"),
    ("prose", "returned", "devuelto"),
    ("prose", "bonus pool", "fondo de bonos"),
    ("prose", "paid", "pagado"),
    ("prose", "earned", "ganado"),
    ("prose", "bonus", "bono"),
    ("prose", "chronic trigger", "disparador crónico"),
    ("prose", "fired on", "activado en"),
    (
        "prose",
        "the contract has no credit regime",
        "el contrato no tiene régimen de créditos",
    ),
    (
        "prose",
        "all conditions met",
        "todas las condiciones cumplidas",
    ),
    ("prose", "flat monthly fee", "cuota mensual fija"),
    (
        "prose",
        "minimum monthly commitment",
        "compromiso mínimo mensual",
    ),
    ("prose", "service charges", "cargos por servicio"),
    (
        "prose",
        "initial training per new hire",
        "formación inicial por nueva contratación",
    ),
    (
        "prose",
        "recruitment per new hire",
        "reclutamiento por nueva contratación",
    ),
    ("prose", "per new hire", "por nueva contratación"),
    ("prose", "setup", "puesta en marcha"),
    ("prose", "systems integration", "integración de sistemas"),
    ("prose", "one-time fee", "cargo único"),
    (
        "prose",
        "service credits netted",
        "créditos por servicio compensados",
    ),
    ("prose", "bonuses earned", "bonos ganados"),
    ("prose", "included", "incluidas"),
    ("prose", "billable", "facturables"),
    ("prose", "capped at", "limitado a"),
    ("prose", "claimed", "reclamado"),
    ("prose", "at cost", "al costo"),
    ("prose", "agreed in", "acordado en"),
    ("prose", " in ", " en "),
    // Names of the counts the KPI engine reports with each value.
    ("prose", "in progress", "en curso"),
    (
        "prose",
        "outside hours excluded",
        "excluidos fuera de horario",
    ),
    (
        "prose",
        "unknown customer excluded",
        "excluidos sin cliente conocido",
    ),
    ("prose", "known customer", "cliente conocido"),
    ("prose", "handled", "atendidos"),
    ("prose", "repeated", "repetidos"),
    ("prose", "window days", "días de ventana"),
    ("prose", "invalid", "inválidas"),
    ("prose", "scale", "escala"),
    ("prose", "top 2 box", "dos mejores notas"),
    ("prose", "top box", "mejor nota"),
    ("prose", "unlinked excluded", "excluidas sin vínculo"),
    ("prose", "critical zeroed", "anuladas por falla crítica"),
    ("prose", "evaluations", "evaluaciones"),
    ("prose", "unscorable", "no puntuables"),
    ("prose", "average headcount", "plantilla media"),
    ("prose", "voluntary", "voluntarias"),
    // Words of the KPI engine's formulas.
    ("prose", "repeated within", "repetidos en"),
    (
        "prose",
        "handled with known customer",
        "atendidos con cliente conocido",
    ),
    ("prose", "responses", "respuestas"),
    ("prose", "mean of", "media de"),
    ("prose", "score", "puntuación"),
    ("prose", "weight", "peso"),
    ("prose", "max", "máx."),
    ("prose", "critical failure", "falla crítica"),
    ("prose", "separations", "bajas"),
    ("prose", "headcount start", "plantilla inicial"),
    ("prose", "headcount end", "plantilla final"),
    ("prose", " – ", " y "),
];

/// A free-text note of the settlement (exclusion detail, arithmetic step, chronic
/// explanation, invoice note) for one reader: the verdict and remedy codes pacta-terms writes
/// (`BelowMinimum`) as words, plain numbers with the language's separators, and in Spanish the
/// known English phrases translated.
pub fn prose(text: &str, lang: Lang) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ') {
        let (core, tail) = match word.strip_suffix(':') {
            Some(c) => (c, ":"),
            None => (word, ""),
        };
        let named = match core {
            "Met" => Some(status(Status::Met, lang)),
            "Missed" => Some(status(Status::Missed, lang)),
            "BelowMinimum" => Some(status(Status::BelowMinimum, lang)),
            "Excused" => Some(status(Status::Excused, lang)),
            "TerminationRight" => Some(remedy(ChronicRemedy::TerminationRight, lang)),
            "EscalatedCredit" => Some(remedy(ChronicRemedy::EscalatedCredit, lang)),
            "RemediationPlan" => Some(remedy(ChronicRemedy::RemediationPlan, lang)),
            _ => None,
        };
        words.push(match named {
            Some(n) => format!("{n}{tail}"),
            None => localize_numbers(word, lang),
        });
    }
    let mut out = words.join(" ");
    if lang == Lang::Es {
        let mut phrases = PROSE.to_vec();
        phrases.sort_by_key(|(_, en, _)| std::cmp::Reverse(en.len()));
        for (_, en, es) in phrases {
            out = replace_phrase(&out, en, es);
        }
    }
    out
}

/// Replaces `en` where it stands as whole words (not inside a longer word or identifier).
fn replace_phrase(text: &str, en: &str, es: &str) -> String {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(en) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + en.len()..].chars().next();
        let starts_word = en.chars().next().is_some_and(is_word);
        let ends_word = en.chars().next_back().is_some_and(is_word);
        let glued_before = starts_word && before.is_some_and(is_word);
        let glued_after = ends_word && after.is_some_and(is_word);
        let whole = !glued_before && !glued_after;
        out.push_str(&rest[..at]);
        out.push_str(if whole { es } else { en });
        rest = &rest[at + en.len()..];
    }
    out.push_str(rest);
    out
}

/// Groups a plain number token (`350000.00`, `(245454`, `1.45;`) with the language's
/// separators; dates, times, ids and anything else stay as written.
fn localize_numbers(word: &str, lang: Lang) -> String {
    let start = word
        .find(|c: char| c.is_ascii_digit() || c == '-')
        .unwrap_or(word.len());
    let (head, body) = word.split_at(start);
    let end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(body.len());
    let (number, tail) = body.split_at(end);
    let number_only = number.trim_end_matches('.');
    let tail_dot = &number[number_only.len()..];
    let plain = |n: &str| {
        let digits = n.strip_prefix('-').unwrap_or(n);
        !digits.is_empty()
            && !digits.contains('-')
            && digits.matches('.').count() <= 1
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !digits.starts_with('.')
            && !digits.ends_with('.')
    };
    let head_ok = head
        .chars()
        .all(|c| matches!(c, '(' | '[' | '+' | '×' | '='));
    let tail_ok = tail
        .chars()
        .all(|c| matches!(c, ')' | ']' | ',' | ';' | '%' | ':'));
    if head_ok && tail_ok && plain(number_only) && number_only != "-" {
        format!(
            "{head}{}{tail_dot}{tail}",
            pacta_core::fmt::localize(number_only, lang)
        )
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages_and_keys_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (k, en, es) in LABELS {
            assert!(seen.insert(*k), "duplicate label key {k}");
            assert!(
                !en.trim().is_empty() && !es.trim().is_empty(),
                "empty label {k}"
            );
        }
        assert_eq!(table(Lang::Es).len(), LABELS.len());
        assert_eq!(get("credit_due", Lang::Es), "Crédito debido");
        assert_eq!(get("no_such_key", Lang::En), "no_such_key");
    }

    #[test]
    fn prose_names_codes_groups_numbers_and_translates_known_phrases() {
        assert_eq!(
            prose("CSAT BelowMinimum: 35000.00 × 30% = 10500.00", Lang::En),
            "CSAT below minimum: 35,000.00 × 30% = 10,500.00"
        );
        assert_eq!(
            prose("CSAT BelowMinimum: 35000.00 × 30% = 10500.00", Lang::Es),
            "CSAT bajo el mínimo: 35.000,00 × 30% = 10.500,00"
        );
        assert_eq!(
            prose("below minimum 2 consecutive months", Lang::Es),
            "bajo el mínimo 2 meses consecutivos"
        );
        // Dates, times and ids keep their form.
        assert_eq!(
            prose("INC-202610-01 2026-10-17 17:16 offered 245454", Lang::En),
            "INC-202610-01 2026-10-17 17:16 offered 245,454"
        );
        // A phrase inside a longer word is left alone.
        assert_eq!(replace_phrase("offered often", "of", "de"), "offered often");
        assert_eq!(unit("productive hour", Lang::Es), "hora productiva");
        assert_eq!(unit("productive hour", Lang::En), "productive hour");
    }
}
