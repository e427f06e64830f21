//! The words for the model's enumerations in each language (the phrase table).
//!
//! Clause prose lives in the templates; this table holds the short terms the templates and
//! tables fill in: channels, periods, classes, controls, fee kinds and so on.

use pacta_contract::Lang;
use pacta_contract::model::*;

/// Picks the English or the Spanish text.
pub(crate) fn t(lang: Lang, en: &'static str, es: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Es => es,
    }
}

pub(crate) fn channel(c: Channel, lang: Lang) -> &'static str {
    match c {
        Channel::VoiceIn => t(lang, "Inbound voice", "Voz entrante"),
        Channel::VoiceOut => t(lang, "Outbound voice", "Voz saliente"),
        Channel::Chat => t(lang, "Web chat", "Chat web"),
        Channel::Email => t(lang, "E-mail", "Correo electrónico"),
        Channel::Social => t(lang, "Social media", "Redes sociales"),
        Channel::Sms => t(lang, "SMS", "SMS"),
        Channel::BackOffice => t(lang, "Back office", "Back office"),
        Channel::Surveys => t(lang, "Customer surveys", "Encuestas a clientes"),
    }
}

/// A period as a noun: "calendar month" / "mes natural".
pub(crate) fn period_noun(p: PeriodKind, lang: Lang) -> &'static str {
    match p {
        PeriodKind::Interval => t(lang, "interval", "intervalo"),
        PeriodKind::Day => t(lang, "calendar day", "día natural"),
        PeriodKind::Week => t(lang, "ISO week", "semana ISO"),
        PeriodKind::Month => t(lang, "calendar month", "mes natural"),
        PeriodKind::Quarter => t(lang, "calendar quarter", "trimestre natural"),
    }
}

/// A frequency as an adjective agreeing with "frequency" / "frecuencia": "Monthly" / "Mensual".
pub(crate) fn frequency(p: PeriodKind, lang: Lang) -> &'static str {
    match p {
        PeriodKind::Interval => t(lang, "Every interval", "Por intervalo"),
        PeriodKind::Day => t(lang, "Daily", "Diaria"),
        PeriodKind::Week => t(lang, "Weekly", "Semanal"),
        PeriodKind::Month => t(lang, "Monthly", "Mensual"),
        PeriodKind::Quarter => t(lang, "Quarterly", "Trimestral"),
    }
}

/// A frequency as an adverb: "monthly" / "mensualmente".
pub(crate) fn adverb(p: PeriodKind, lang: Lang) -> &'static str {
    match p {
        PeriodKind::Interval => t(lang, "in every interval", "en cada intervalo"),
        PeriodKind::Day => t(lang, "daily", "diariamente"),
        PeriodKind::Week => t(lang, "weekly", "semanalmente"),
        PeriodKind::Month => t(lang, "monthly", "mensualmente"),
        PeriodKind::Quarter => t(lang, "quarterly", "trimestralmente"),
    }
}

/// A granularity: "by interval" / "por intervalo".
pub(crate) fn granularity(p: PeriodKind, lang: Lang) -> &'static str {
    match p {
        PeriodKind::Interval => t(lang, "by interval", "por intervalo"),
        PeriodKind::Day => t(lang, "by day", "por día"),
        PeriodKind::Week => t(lang, "by week", "por semana"),
        PeriodKind::Month => t(lang, "by month", "por mes"),
        PeriodKind::Quarter => t(lang, "by quarter", "por trimestre"),
    }
}

pub(crate) fn class(c: SlaClass, lang: Lang) -> &'static str {
    match c {
        SlaClass::Critical => t(lang, "Critical service level", "Nivel de servicio crítico"),
        SlaClass::Key => t(lang, "Key measurement", "Indicador clave"),
        SlaClass::Tracked => t(
            lang,
            "Business KPI (tracked)",
            "KPI de negocio (seguimiento)",
        ),
    }
}

pub(crate) fn exclusion(e: Exclusion, lang: Lang) -> &'static str {
    match e {
        Exclusion::AcceptedRelief => t(
            lang,
            "declared outages and relief events accepted by the Client",
            "interrupciones declaradas y eventos de exención aceptados por el Cliente",
        ),
        Exclusion::ForceMajeure => t(lang, "force majeure", "fuerza mayor"),
        Exclusion::VolumeAboveFlex => t(
            lang,
            "volume above the forecast flex band",
            "volumen superior a la banda de flexibilidad del pronóstico",
        ),
        Exclusion::ClientCaused => t(
            lang,
            "failures caused by the Client",
            "incumplimientos causados por el Cliente",
        ),
        Exclusion::OutsideHours => t(
            lang,
            "contacts outside the hours of operation",
            "contactos fuera del horario de servicio",
        ),
    }
}

pub(crate) fn missing_data(m: MissingData, lang: Lang) -> &'static str {
    match m {
        MissingData::Miss => t(lang, "counts as missed", "se considera incumplido"),
        MissingData::Excused => t(lang, "the period is excused", "el periodo queda exento"),
    }
}

pub(crate) fn weekday(d: Weekday, lang: Lang) -> &'static str {
    match d {
        Weekday::Mon => t(lang, "Monday", "lunes"),
        Weekday::Tue => t(lang, "Tuesday", "martes"),
        Weekday::Wed => t(lang, "Wednesday", "miércoles"),
        Weekday::Thu => t(lang, "Thursday", "jueves"),
        Weekday::Fri => t(lang, "Friday", "viernes"),
        Weekday::Sat => t(lang, "Saturday", "sábado"),
        Weekday::Sun => t(lang, "Sunday", "domingo"),
    }
}

pub(crate) fn document(d: DocumentKind, lang: Lang) -> &'static str {
    match d {
        DocumentKind::Msa => t(
            lang,
            "the master services agreement (clause 1 of this document)",
            "el contrato marco de prestación de servicios (cláusula 1 de este documento)",
        ),
        DocumentKind::SlaSchedule => t(
            lang,
            "the service-level schedule (Schedule A, clause 2)",
            "el anexo de niveles de servicio (Anexo A, cláusula 2)",
        ),
        DocumentKind::PricingSchedule => t(
            lang,
            "the pricing schedule (Schedule B, clause 3)",
            "el anexo de precios (Anexo B, cláusula 3)",
        ),
        DocumentKind::Nda => t(
            lang,
            "the non-disclosure agreement (Schedule C, clause 4)",
            "el acuerdo de confidencialidad (Anexo C, cláusula 4)",
        ),
        DocumentKind::Dpa => t(
            lang,
            "the data-processing terms (Schedule C, clause 4)",
            "las condiciones de tratamiento de datos (Anexo C, cláusula 4)",
        ),
        DocumentKind::Sow => t(lang, "the statement of work", "la declaración de trabajo"),
    }
}

pub(crate) fn security_control(c: SecurityControl, lang: Lang) -> &'static str {
    match c {
        SecurityControl::Firewall => t(lang, "a perimeter firewall", "cortafuegos perimetral"),
        SecurityControl::Antivirus => t(
            lang,
            "antivirus and endpoint protection",
            "antivirus y protección de los equipos",
        ),
        SecurityControl::Vpn => t(
            lang,
            "active VPNs for all remote links",
            "VPN activas para todos los enlaces remotos",
        ),
        SecurityControl::VlanSegmentation => t(
            lang,
            "VLANs segmented per client",
            "VLAN segmentadas por cliente",
        ),
        SecurityControl::PerShiftPasswords => t(
            lang,
            "passwords personalised per shift and per agent",
            "contraseñas personalizadas por turno y por agente",
        ),
        SecurityControl::RoleBasedPrivilegedAccess => t(
            lang,
            "privileged access granted by role",
            "acceso privilegiado asignado por rol",
        ),
        SecurityControl::Mfa => t(
            lang,
            "multi-factor authentication",
            "autenticación multifactor",
        ),
        SecurityControl::CleanDesk => t(
            lang,
            "a clean-desk policy, with no personal phones on the operations floor",
            "política de escritorio limpio, sin teléfonos personales en la sala de operaciones",
        ),
        SecurityControl::RecordingAccessControl => t(
            lang,
            "call recordings with restricted access",
            "grabaciones de llamadas con acceso restringido",
        ),
    }
}

pub(crate) fn certification(c: Certification, lang: Lang) -> &'static str {
    match c {
        Certification::Iso27001 => "ISO/IEC 27001",
        Certification::PciDss => "PCI DSS",
        Certification::Iso18295 => "ISO 18295-1",
        Certification::Copc => "COPC",
        Certification::Soc2 => t(lang, "SOC 2 Type II", "SOC 2 Tipo II"),
        Certification::Hipaa => t(lang, "HIPAA attestation", "certificación HIPAA"),
    }
}

pub(crate) fn report_format(f: ReportFormat) -> &'static str {
    match f {
        ReportFormat::Csv => "CSV",
        ReportFormat::Xlsx => "Excel (XLSX)",
        ReportFormat::Pdf => "PDF",
        ReportFormat::Json => "JSON",
        ReportFormat::Parquet => "Parquet",
    }
}

pub(crate) fn data_kind(k: DataKind, lang: Lang) -> &'static str {
    match k {
        DataKind::Interactions => t(lang, "Interactions", "Interacciones"),
        DataKind::Surveys => t(lang, "Surveys", "Encuestas"),
        DataKind::Qa => t(lang, "QA evaluations", "Evaluaciones de calidad"),
        DataKind::Roster => t(lang, "Roster and training", "Plantilla y formación"),
        DataKind::Incidents => t(
            lang,
            "Incidents and relief events",
            "Incidencias y eventos de exención",
        ),
        DataKind::Invoices => t(lang, "Invoices", "Facturas"),
    }
}

pub(crate) fn dispute_kind(k: DisputeKind) -> &'static str {
    match k {
        DisputeKind::Negotiation => "negotiation",
        DisputeKind::ExecutiveEscalation => "executive_escalation",
        DisputeKind::Mediation => "mediation",
        DisputeKind::Arbitration => "arbitration",
        DisputeKind::Courts => "courts",
    }
}

pub(crate) fn price_unit(u: PriceUnit, lang: Lang) -> &'static str {
    match u {
        PriceUnit::LoggedHour => t(lang, "Agent logged-in hour", "Hora de agente conectado"),
        PriceUnit::ProductiveHour => t(lang, "Productive hour", "Hora productiva"),
        PriceUnit::HandledContact => t(lang, "Handled contact", "Contacto atendido"),
        PriceUnit::TalkMinute => t(lang, "Talk minute", "Minuto de conversación"),
        PriceUnit::HandleMinute => t(lang, "Handle minute", "Minuto de gestión"),
        PriceUnit::Outcome => t(lang, "Outcome", "Resultado"),
        PriceUnit::FlatMonthly => t(lang, "Flat monthly fee", "Cuota mensual fija"),
    }
}

pub(crate) fn tier_mode(m: TierMode, lang: Lang) -> &'static str {
    match m {
        TierMode::Marginal => t(
            lang,
            "marginal: each unit is charged at the rate of the tier it falls in",
            "marginal: cada unidad se factura a la tarifa del tramo en que se encuentra",
        ),
        TierMode::WholeVolume => t(
            lang,
            "whole volume: all units are charged at the rate of the tier the monthly total falls in",
            "volumen total: todas las unidades se facturan a la tarifa del tramo en que se sitúa el total mensual",
        ),
    }
}

pub(crate) fn shift_kind(k: ShiftKind, lang: Lang) -> &'static str {
    match k {
        ShiftKind::Night => t(lang, "Night hours", "Horario nocturno"),
        ShiftKind::Holiday => t(lang, "Holidays of the calendar", "Festivos del calendario"),
        ShiftKind::Overtime => t(
            lang,
            "Overtime requested by the Client",
            "Horas extraordinarias solicitadas por el Cliente",
        ),
        ShiftKind::Weekend => t(lang, "Weekends", "Fines de semana"),
    }
}

pub(crate) fn one_time_kind(k: OneTimeKind, lang: Lang) -> &'static str {
    match k {
        OneTimeKind::Setup => t(
            lang,
            "Setup and implementation",
            "Puesta en marcha e implantación",
        ),
        OneTimeKind::InitialTraining => t(lang, "Initial training", "Formación inicial"),
        OneTimeKind::Recruitment => t(lang, "Recruitment", "Selección de personal"),
        OneTimeKind::Integration => t(lang, "Systems integration", "Integración de sistemas"),
        OneTimeKind::Other => t(lang, "Other declared fee", "Otro cargo declarado"),
    }
}

pub(crate) fn netting(n: CreditNetting, lang: Lang) -> &'static str {
    match n {
        CreditNetting::NextInvoice => t(
            lang,
            "deducted from the next invoice",
            "se deducirán de la siguiente factura",
        ),
        CreditNetting::SameInvoice => t(
            lang,
            "deducted from the invoice for the month in which they arise",
            "se deducirán de la factura del mes en que se generen",
        ),
        CreditNetting::Refund => t(
            lang,
            "paid to the Client as a refund",
            "se abonarán al Cliente mediante reembolso",
        ),
    }
}

pub(crate) fn rounding(r: Rounding, lang: Lang) -> &'static str {
    match r {
        Rounding::HalfUp => t(
            lang,
            "half away from zero",
            "redondeo comercial (la mitad se aleja de cero)",
        ),
        Rounding::HalfEven => t(
            lang,
            "half to even (banker's rounding)",
            "redondeo bancario (la mitad al par)",
        ),
    }
}

pub(crate) fn party_role(r: PartyRole, lang: Lang) -> &'static str {
    match r {
        PartyRole::Client => t(lang, "the Client", "el Cliente"),
        PartyRole::Provider => t(lang, "the Provider", "el Proveedor"),
    }
}

pub(crate) fn chronic_kind(k: ChronicKind) -> &'static str {
    match k {
        ChronicKind::BelowMinimumConsecutive => "below_minimum_consecutive",
        ChronicKind::MissedConsecutive => "missed_consecutive",
        ChronicKind::MissesInWindow => "misses_in_window",
    }
}

pub(crate) fn chronic_remedy(r: ChronicRemedy) -> &'static str {
    match r {
        ChronicRemedy::TerminationRight => "termination_right",
        ChronicRemedy::EscalatedCredit => "escalated_credit",
        ChronicRemedy::RemediationPlan => "remediation_plan",
    }
}

/// A language name from its ISO 639-1 code, or from its English name as free-text fields
/// (a dispute step's language) write it; anything else is returned as it is.
pub(crate) fn language(code: &str, lang: Lang) -> String {
    let name = match code.trim().to_ascii_lowercase().as_str() {
        "en" | "english" => t(lang, "English", "inglés"),
        "es" | "spanish" | "español" | "espanol" => t(lang, "Spanish", "español"),
        "pt" | "portuguese" => t(lang, "Portuguese", "portugués"),
        "fr" | "french" => t(lang, "French", "francés"),
        "de" | "german" => t(lang, "German", "alemán"),
        "it" | "italian" => t(lang, "Italian", "italiano"),
        "tl" | "fil" | "filipino" | "tagalog" => t(lang, "Filipino", "filipino"),
        "zh" | "chinese" => t(lang, "Chinese", "chino"),
        "ja" | "japanese" => t(lang, "Japanese", "japonés"),
        "ko" | "korean" => t(lang, "Korean", "coreano"),
        "ar" | "arabic" => t(lang, "Arabic", "árabe"),
        "hi" | "hindi" => t(lang, "Hindi", "hindi"),
        "nl" | "dutch" => t(lang, "Dutch", "neerlandés"),
        "he" | "hebrew" => t(lang, "Hebrew", "hebreo"),
        _ => return code.to_string(),
    };
    name.to_string()
}

/// A country name from its ISO 3166 alpha-2 code; anything else is returned as it is.
pub(crate) fn country(code: &str, lang: Lang) -> String {
    let name = match code {
        "US" => t(lang, "the United States", "Estados Unidos"),
        "PH" => t(lang, "the Philippines", "Filipinas"),
        "CO" => "Colombia",
        "MX" => t(lang, "Mexico", "México"),
        "ES" => t(lang, "Spain", "España"),
        "GB" => t(lang, "the United Kingdom", "el Reino Unido"),
        "IN" => "India",
        "AR" => "Argentina",
        "CL" => "Chile",
        "PE" => t(lang, "Peru", "Perú"),
        "BR" => t(lang, "Brazil", "Brasil"),
        "DO" => t(lang, "the Dominican Republic", "República Dominicana"),
        "GT" => "Guatemala",
        "CR" => "Costa Rica",
        "SV" => "El Salvador",
        "HN" => "Honduras",
        "NI" => "Nicaragua",
        "PA" => t(lang, "Panama", "Panamá"),
        "UY" => "Uruguay",
        "PY" => "Paraguay",
        "BO" => "Bolivia",
        "EC" => "Ecuador",
        "VE" => "Venezuela",
        "CA" => t(lang, "Canada", "Canadá"),
        "JM" => "Jamaica",
        "DE" => t(lang, "Germany", "Alemania"),
        "FR" => t(lang, "France", "Francia"),
        "PT" => "Portugal",
        "IE" => t(lang, "Ireland", "Irlanda"),
        "NL" => t(lang, "the Netherlands", "Países Bajos"),
        "PL" => t(lang, "Poland", "Polonia"),
        "ZA" => t(lang, "South Africa", "Sudáfrica"),
        "EG" => t(lang, "Egypt", "Egipto"),
        "MA" => t(lang, "Morocco", "Marruecos"),
        "KE" => t(lang, "Kenya", "Kenia"),
        "MY" => t(lang, "Malaysia", "Malasia"),
        "SG" => t(lang, "Singapore", "Singapur"),
        "VN" => "Vietnam",
        "ID" => "Indonesia",
        "AU" => "Australia",
        "NZ" => t(lang, "New Zealand", "Nueva Zelanda"),
        "JP" => t(lang, "Japan", "Japón"),
        "KR" => t(lang, "South Korea", "Corea del Sur"),
        "CN" => "China",
        "IL" => "Israel",
        "CH" => t(lang, "Switzerland", "Suiza"),
        _ => return code.to_string(),
    };
    name.to_string()
}

/// A country name for table cells and lists, without the English article.
pub(crate) fn country_bare(code: &str, lang: Lang) -> String {
    let name = country(code, lang);
    match lang {
        Lang::En => name
            .strip_prefix("the ")
            .map(str::to_string)
            .unwrap_or(name),
        Lang::Es => name.strip_prefix("el ").map(str::to_string).unwrap_or(name),
    }
}
