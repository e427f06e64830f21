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
}
