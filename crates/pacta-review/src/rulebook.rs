//! The rulebook: one entry per rule, with its texts in English and Spanish.

use crate::checks::*;
use crate::rule::{Rule, Severity, Text};

use Severity::{High, Info, Low, Medium};

const fn t(en: &'static str, es: &'static str) -> Text {
    Text { en, es }
}

pub(crate) const E1: &str = "1. Parties, structure and term";
pub(crate) const E2: &str = "2. Scope: volume and type of services";
pub(crate) const E3: &str = "3. Service levels and KPIs";
pub(crate) const E4: &str = "4. Service credits, bonuses and remedies";
pub(crate) const E5: &str = "5. Pricing and payment";
pub(crate) const E6: &str = "6. People";
pub(crate) const E7: &str = "7. Facilities, security and data protection";
pub(crate) const E8: &str = "8. Quality and governance";
pub(crate) const E9: &str = "9. Disputes, liability, termination and exit";

/// Element titles in English and Spanish.
pub(crate) const ELEMENTS: &[(&str, &str)] = &[
    (E1, "1. Partes, estructura y vigencia"),
    (E2, "2. Alcance: volumen y tipo de servicios"),
    (E3, "3. Niveles de servicio e indicadores"),
    (E4, "4. Créditos de servicio, bonificaciones y remedios"),
    (E5, "5. Precio y pago"),
    (E6, "6. Personal"),
    (E7, "7. Instalaciones, seguridad y protección de datos"),
    (E8, "8. Calidad y gobierno"),
    (
        E9,
        "9. Controversias, responsabilidad, terminación y salida",
    ),
];

pub(crate) static RULES: &[Rule] = &[
    // -----------------------------------------------------------------------------------------
    // 1. Parties, structure and term
    Rule {
        id: "no-independence-clause",
        severity: Medium,
        element: E1,
        title: t(
            "No independence clause",
            "Sin cláusula de independencia de las partes",
        ),
        rationale: t(
            "The parties should be independent contractors with no employment or \
             agency relation. Without it, the provider's agents may claim an employment relation \
             with the client (joint-employer or labour-intermediation claims), and the client may \
             answer for the provider's acts.",
            "Las partes deben ser contratistas independientes, sin relación \
             laboral ni de agencia. Sin esta cláusula, los agentes del proveedor pueden reclamar \
             una relación laboral con el cliente (solidaridad patronal o intermediación laboral) \
             y el cliente puede responder por actos del proveedor.",
        ),
        fix: t(
            "State that the parties are independent contractors.",
            "Declare que las partes son contratistas independientes.",
        ),
        snippet: "[legal]\nindependence = true",
        check: no_independence_clause,
    },
    Rule {
        id: "short-renewal-notice",
        severity: Medium,
        element: E1,
        title: t(
            "Automatic renewal with a short notice window",
            "Renovación automática con un preaviso breve",
        ),
        rationale: t(
            "The renewal terms fix the notice days. With automatic renewal, a notice \
             window under 60 days leaves too little time to run a tender or negotiate, so the \
             client is locked into another term at the old price.",
            "Las condiciones de renovación fijan los días de preaviso. Con \
             renovación automática, un preaviso inferior a 60 días deja poco margen para licitar \
             o negociar, y el cliente queda atado a otro periodo al precio anterior.",
        ),
        fix: t(
            "Require non-renewal notice at least 90 days before expiry, or make renewal \
             non-automatic.",
            "Exija un preaviso de no renovación de al menos 90 días antes del vencimiento, o \
             haga que la renovación no sea automática.",
        ),
        snippet: "[contract.renewal]\nautomatic = true\nterm_months = 12\nnotice_days = 90",
        check: short_renewal_notice,
    },
    Rule {
        id: "no-governing-law",
        severity: Medium,
        element: E1,
        title: t("No governing law", "Sin ley aplicable"),
        rationale: t(
            "The governing law is one of the contract's basic terms. A cross-border \
             outsourcing deal without one leaves every dispute to start with a fight over which \
             law applies.",
            "La ley aplicable es uno de los términos básicos del contrato. Un \
             contrato de externalización transfronterizo sin ella obliga a que cada controversia \
             empiece discutiendo qué ley rige.",
        ),
        fix: t("Name the governing law.", "Indique la ley aplicable."),
        snippet: "[contract]\ngoverning_law = \"Laws of the State of New York\"",
        check: no_governing_law,
    },
    Rule {
        id: "target-change-without-change-ref",
        severity: Low,
        element: E1,
        title: t(
            "SLA `{s}`: target changed without a change form",
            "SLA `{s}`: objetivo modificado sin formulario de cambio",
        ),
        rationale: t(
            "Targets change mid-contract through change forms, so every SLA target is \
             versioned. A later target with no change reference cannot be traced to a signed \
             change, and the provider can dispute which target applied.",
            "Los objetivos cambian durante el contrato mediante formularios de \
             cambio, por lo que cada objetivo de SLA tiene versión. Un objetivo posterior sin \
             referencia de cambio no puede vincularse a un cambio firmado, y el proveedor puede \
             discutir qué objetivo regía.",
        ),
        fix: t(
            "Reference the signed change form on the target and record it in \
             `[[contract.changes]]`.",
            "Indique en el objetivo el formulario de cambio firmado y regístrelo en \
             `[[contract.changes]]`.",
        ),
        snippet: "{ effective_from = 2026-07-01, expected = 85, minimum = 78, change_ref = \"CF-003\" }",
        check: target_change_without_change_ref,
    },
    // -----------------------------------------------------------------------------------------
    // 2. Scope
    Rule {
        id: "no-flex-band",
        severity: Medium,
        element: E2,
        title: t(
            "No flex band around the forecast",
            "Sin banda de flexibilidad sobre la previsión",
        ),
        rationale: t(
            "The contract states the flex band the provider must absorb (for example \
             ±15 %). Without it, any volume above forecast becomes an argument for excusing a \
             missed service level or for charging extra.",
            "El contrato fija la banda de flexibilidad que el proveedor debe absorber \
             (por ejemplo ±15 %). Sin ella, cualquier volumen por encima de la previsión se \
             convierte en argumento para excusar un nivel de servicio incumplido o para cobrar \
             más.",
        ),
        fix: t(
            "State the flex band the provider absorbs without relief.",
            "Fije la banda de flexibilidad que el proveedor absorbe sin exención.",
        ),
        snippet: "[scope]\nflex_band_percent = 15",
        check: no_flex_band,
    },
    Rule {
        id: "no-forecast-obligation",
        severity: Medium,
        element: E2,
        title: t("No forecast obligation", "Sin obligación de previsión"),
        rationale: t(
            "Who must send forecasts, and by when, is a client obligation, and a late \
             forecast can excuse a miss. If the contract is silent, the provider will staff to \
             its own guess and blame the client's volume for every miss.",
            "Quién envía las previsiones y en qué plazo es una obligación del \
             cliente, y una previsión tardía puede excusar un incumplimiento. Si el contrato \
             calla, el proveedor dimensionará según su propio criterio y atribuirá cada \
             incumplimiento al volumen del cliente.",
        ),
        fix: t(
            "Set who sends the forecast, how many days before the month, at what granularity, \
             and what a late forecast does.",
            "Establezca quién envía la previsión, con cuántos días de antelación al mes, con qué \
             granularidad y qué efecto tiene una previsión tardía.",
        ),
        snippet: "[scope.forecast]\nprovided_by = \"client\"\ndue_days_before_month = 30\nlate_forecast_excuses_misses = true\ngranularity = \"interval\"",
        check: no_forecast_obligation,
    },
    Rule {
        id: "late-forecast-unaddressed",
        severity: Low,
        element: E2,
        title: t(
            "Effect of a late forecast not addressed",
            "No se regula el efecto de una previsión tardía",
        ),
        rationale: t(
            "A late forecast can excuse a miss. This contract makes the client send \
             forecasts but neither says a late one excuses misses nor excludes client-caused \
             failures, so the first late forecast starts a dispute with no rule to settle it.",
            "Una previsión tardía puede excusar un incumplimiento. Este contrato \
             obliga al cliente a enviar previsiones, pero no dice si una previsión tardía excusa \
             los incumplimientos ni excluye los fallos causados por el cliente, de modo que la \
             primera previsión tardía abre una controversia sin regla para resolverla.",
        ),
        fix: t(
            "Say whether a late forecast excuses that month's misses, or exclude client-caused \
             failures on the SLAs.",
            "Indique si una previsión tardía excusa los incumplimientos de ese mes, o excluya en \
             los SLA los fallos causados por el cliente.",
        ),
        snippet: "[scope.forecast]\nlate_forecast_excuses_misses = true",
        check: late_forecast_unaddressed,
    },
    Rule {
        id: "no-hours-of-operation",
        severity: Medium,
        element: E2,
        title: t("No hours of operation", "Sin horario de atención"),
        rationale: t(
            "The contract needs hours of operation with a holiday calendar. Service levels are \
             measured within those hours; without them the provider can argue that contacts \
             outside its preferred hours do not count.",
            "El contrato necesita un horario de atención con calendario de festivos. Los niveles \
             de servicio se miden dentro de ese horario; sin él, el proveedor puede sostener que \
             los contactos fuera de su horario preferido no cuentan.",
        ),
        fix: t(
            "Declare the opening hours per day of the week (and per channel if they differ).",
            "Declare el horario por día de la semana (y por canal si difiere).",
        ),
        snippet: "[calendar]\nhours = [\n  { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], open = \"08:00\", close = \"20:00\" },\n  { days = [\"sat\"], open = \"09:00\", close = \"14:00\" },\n]",
        check: no_hours_of_operation,
    },
    Rule {
        id: "no-holiday-calendar",
        severity: Low,
        element: E2,
        title: t("No holiday calendar", "Sin calendario de festivos"),
        rationale: t(
            "Hours of operation come with a holiday calendar. Without one, it is \
             unclear whether the service opens on public holidays, whether holiday rates apply, \
             and whether those days count towards service levels.",
            "El horario va acompañado de un calendario de festivos. Sin él no queda \
             claro si el servicio abre en festivos, si se aplican tarifas de festivo ni si esos \
             días cuentan para los niveles de servicio.",
        ),
        fix: t(
            "List the holidays and whether the service is closed on each.",
            "Enumere los festivos e indique si el servicio cierra en cada uno.",
        ),
        snippet: "[calendar]\nholidays = [\n  { date = 2026-12-25, name = \"Christmas Day\", closed = true },\n]",
        check: no_holiday_calendar,
    },
    Rule {
        id: "responsibilities-not-listed",
        severity: Low,
        element: E2,
        title: t(
            "Each party's responsibilities not listed",
            "No se enumeran las responsabilidades de cada parte",
        ),
        rationale: t(
            "A contract lists client responsibilities (information, product knowledge, system \
             access, timely payment) and provider responsibilities (staffing, quality, \
             reporting, security). When they are not written down, every miss turns into an \
             argument over who failed first.",
            "Un contrato enumera las responsabilidades del cliente (información, conocimiento \
             del producto, acceso a sistemas, pago puntual) y las del proveedor (personal, \
             calidad, informes, seguridad). Si no constan por escrito, cada incumplimiento se \
             convierte en una discusión sobre quién falló primero.",
        ),
        fix: t(
            "List each side's responsibilities in the scope.",
            "Enumere en el alcance las responsabilidades de cada parte.",
        ),
        snippet: "[scope]\nclient_responsibilities = [\"Monthly forecast 30 days ahead\", \"Knowledge base updates\", \"System access\"]\nprovider_responsibilities = [\"Staffing to forecast\", \"Quality assurance\", \"Interval-level reporting\"]",
        check: responsibilities_not_listed,
    },
    // -----------------------------------------------------------------------------------------
    // 3. Service levels and KPIs
    Rule {
        id: "sla-without-variant",
        severity: High,
        element: E3,
        title: t(
            "SLA `{s}` names no formula variant",
            "El SLA `{s}` no indica la variante de fórmula",
        ),
        rationale: t(
            "Each SLA names the metric and its exact definition variant \
             (for example service level counting abandons or not). Vendors disagree on formulas; when the variant is absent the \
             vendor chooses the formula, and the same month can be a pass or a miss depending on \
             it.",
            "Cada SLA nombra la métrica y su variante exacta de definición \
             (por ejemplo, si el nivel de servicio cuenta los abandonos). Los proveedores discrepan sobre las fórmulas; si falta la \
             variante, el proveedor elige la fórmula, y el mismo mes puede cumplirse o \
             incumplirse según cuál se use.",
        ),
        fix: t(
            "Name the formula variant on `{s}`.",
            "Indique la variante de fórmula en `{s}`.",
        ),
        snippet: "variant = \"exclude_short_abandons\"\nparams = { threshold_s = 20, short_abandon_s = 5 }",
        check: sla_without_variant,
    },
    Rule {
        id: "sla-without-period",
        severity: High,
        element: E3,
        title: t(
            "SLA `{s}` has no measurement period",
            "El SLA `{s}` no tiene periodo de medición",
        ),
        rationale: t(
            "Each SLA names its measurement period (interval, day, week, month, \
             quarter). An 80 % monthly service level and an 80 % per-interval service level are \
             very different promises; without a period, the provider picks the one it meets.",
            "Cada SLA indica su periodo de medición (intervalo, día, semana, mes, \
             trimestre). Un nivel de servicio del 80 % mensual y uno del 80 % por intervalo son \
             compromisos muy distintos; sin periodo, el proveedor elige el que cumple.",
        ),
        fix: t(
            "Set the period of `{s}` (for intervals, also the interval length and the share of \
             intervals that must meet target).",
            "Fije el periodo de `{s}` (para intervalos, también su duración y la proporción de \
             intervalos que deben cumplir el objetivo).",
        ),
        snippet: "period = \"month\"",
        check: sla_without_period,
    },
    Rule {
        id: "sla-without-data-source",
        severity: Medium,
        element: E3,
        title: t(
            "SLA `{s}` has no data source of record",
            "El SLA `{s}` no tiene fuente de datos oficial",
        ),
        rationale: t(
            "Each SLA names the data source of record. When the ACD, the CRM and the \
             provider's spreadsheet disagree, the contract must say which one settles the \
             credit; otherwise each side brings its own numbers.",
            "Cada SLA indica la fuente de datos oficial. Cuando la ACD, el CRM y la \
             hoja de cálculo del proveedor difieren, el contrato debe decir cuál determina el \
             crédito; si no, cada parte aporta sus propias cifras.",
        ),
        fix: t(
            "Name the system of record for `{s}` and declare it in `[[data.sources]]`.",
            "Indique el sistema oficial de `{s}` y declárelo en `[[data.sources]]`.",
        ),
        snippet: "data_source = \"acd\"\n\n[[data.sources]]\nid = \"acd\"\nsystem = \"Genesys Cloud (provider ACD)\"\nkind = \"interactions\"",
        check: sla_without_data_source,
    },
    Rule {
        id: "missing-data-excused",
        severity: High,
        element: E3,
        title: t(
            "SLA `{s}`: a missing report excuses the period",
            "SLA `{s}`: la falta de informe excusa el periodo",
        ),
        rationale: t(
            "A missing report counts as a failure unless the contract says otherwise. \
             Here it excuses the period, so the provider can avoid any credit simply by not \
             delivering the data.",
            "Un informe ausente cuenta como incumplimiento salvo que el contrato diga \
             lo contrario. Aquí excusa el periodo, de modo que el proveedor puede evitar \
             cualquier crédito simplemente no entregando los datos.",
        ),
        fix: t(
            "Treat missing data as a miss.",
            "Trate la falta de datos como un incumplimiento.",
        ),
        snippet: "missing_data = \"miss\"",
        check: missing_data_excused,
    },
    Rule {
        id: "no-critical-sla",
        severity: High,
        element: E3,
        title: t(
            "No critical service level",
            "Ningún nivel de servicio crítico",
        ),
        rationale: t(
            "Contracts distinguish critical service levels (which carry credits) from key \
             measurements and business KPIs tracked without credit. A contract with no critical \
             SLA is tracked-only: performance can fall with no financial consequence.",
            "Los contratos distinguen los niveles de servicio críticos (con créditos) de las \
             mediciones clave y los KPI de negocio sin crédito. Un contrato sin SLA crítico es \
             solo de seguimiento: el desempeño puede caer sin consecuencia económica.",
        ),
        fix: t(
            "Make the service levels that matter critical and give each a credit allocation.",
            "Declare críticos los niveles de servicio importantes y asigne a cada uno un \
             porcentaje del fondo de créditos.",
        ),
        snippet: "class = \"critical\"\nallocation_percent = 50",
        check: no_critical_sla,
    },
    Rule {
        id: "no-abandonment-sla",
        severity: Medium,
        element: E3,
        title: t(
            "Voice service level without an abandonment SLA",
            "Nivel de servicio de voz sin SLA de abandono",
        ),
        rationale: t(
            "Several service-level formulas ignore or discount \
             abandoned calls, so a service level can be met while callers hang up. Published \
             public-sector contracts pair service level with an abandonment ceiling (e.g. ≤ 5 %).",
            "Varias fórmulas de nivel de servicio ignoran o \
             descuentan las llamadas abandonadas, por lo que puede cumplirse el nivel de servicio \
             mientras los clientes cuelgan. Los contratos públicos de referencia combinan el \
             nivel de servicio con un tope de abandono (p. ej. ≤ 5 %).",
        ),
        fix: t(
            "Add an abandonment-rate SLA for the voice queues.",
            "Añada un SLA de tasa de abandono para las colas de voz.",
        ),
        snippet: "[[sla]]\nid = \"ABN-VOICE\"\nname = \"Voice abandonment\"\nmetric = \"abandonment_rate\"\nvariant = \"exclude_short\"\nparams = { short_abandon_s = 5 }\nscope = { channels = [\"voice_in\"] }\nperiod = \"month\"\nclass = \"critical\"\ndata_source = \"acd\"\nallocation_percent = 40\ntargets = [{ effective_from = 2026-01-01, expected = 5, minimum = 8 }]",
        check: no_abandonment_sla,
    },
    Rule {
        id: "flex-exclusion-without-band",
        severity: High,
        element: E3,
        title: t(
            "SLA `{s}` excludes volume above the flex band, but no band is defined",
            "El SLA `{s}` excluye el volumen sobre la banda de flexibilidad, pero no hay banda \
             definida",
        ),
        rationale: t(
            "Volume above the forecast band may be excluded, but only against \
             a stated band. With no band, any volume above forecast (even +1 %) can be claimed \
             as excluded, and the SLA stops binding in exactly the months that matter.",
            "El volumen por encima de la banda de previsión puede excluirse, \
             pero solo respecto de una banda fijada. Sin banda, cualquier volumen superior a la \
             previsión (incluso +1 %) puede alegarse como excluido, y el SLA deja de obligar \
             justo en los meses que importan.",
        ),
        fix: t(
            "Define the flex band in `[scope]`, or drop the `volume_above_flex` exclusion.",
            "Defina la banda de flexibilidad en `[scope]` o elimine la exclusión \
             `volume_above_flex`.",
        ),
        snippet: "[scope]\nflex_band_percent = 15",
        check: flex_exclusion_without_band,
    },
    Rule {
        id: "chronic-trigger-without-minimum",
        severity: Medium,
        element: E3,
        title: t(
            "SLA `{s}` has no minimum level for the chronic-failure trigger",
            "El SLA `{s}` no tiene nivel mínimo para el detonante de fallo crónico",
        ),
        rationale: t(
            "Each SLA has an expected and a minimum level, and the chronic \
             trigger fires when the minimum is missed in consecutive months. Without a minimum \
             on this SLA, that trigger can never fire for it.",
            "Cada SLA tiene un nivel esperado y uno mínimo, y el detonante \
             crónico se activa cuando se incumple el mínimo en meses consecutivos. Sin mínimo en \
             este SLA, ese detonante nunca puede activarse para él.",
        ),
        fix: t(
            "Give every target of `{s}` a minimum level.",
            "Asigne un nivel mínimo a cada objetivo de `{s}`.",
        ),
        snippet: "targets = [{ effective_from = 2026-01-01, expected = 80, minimum = 75 }]",
        check: chronic_trigger_without_minimum,
    },
    Rule {
        id: "force-majeure-exclusion-undefined",
        severity: Low,
        element: E3,
        title: t(
            "SLAs exclude force majeure, but no force-majeure clause exists",
            "Los SLA excluyen la fuerza mayor, pero no hay cláusula de fuerza mayor",
        ),
        rationale: t(
            "Force majeure may be an SLA exclusion, but it must refer to a clause that \
             says what force majeure is and how it is declared. Otherwise every outage can be \
             called force majeure.",
            "La fuerza mayor puede ser una exclusión de los SLA, pero debe remitir a una \
             cláusula que defina qué es la fuerza mayor y cómo se declara. De lo contrario, \
             cualquier caída puede calificarse de fuerza mayor.",
        ),
        fix: t(
            "Add the force-majeure clause (with notice and mitigation duties) to the contract.",
            "Incorpore la cláusula de fuerza mayor (con deberes de aviso y mitigación).",
        ),
        snippet: "[legal]\nforce_majeure = true",
        check: force_majeure_exclusion_undefined,
    },
    // -----------------------------------------------------------------------------------------
    // 4. Credits
    Rule {
        id: "no-service-credits",
        severity: High,
        element: E4,
        title: t("No service credits", "Sin créditos de servicio"),
        rationale: t(
            "An at-risk amount, a pool and allocations turn a missed service level \
             into money. Without a `[credits]` section, a miss has no automatic financial \
             consequence and the client can only sue for damages.",
            "Un importe en riesgo, un fondo y unas asignaciones convierten un nivel \
             de servicio incumplido en dinero. Sin sección `[credits]`, un incumplimiento no \
             tiene consecuencia económica automática y el cliente solo puede reclamar daños.",
        ),
        fix: t(
            "Add a credit regime: at-risk amount, pool, caps, claim rules.",
            "Añada un régimen de créditos: importe en riesgo, fondo, topes y reglas de \
             reclamación.",
        ),
        snippet: "[credits]\nat_risk_percent = 10\npool_percent = 150\nmonthly_cap_percent = 10\nrolling_cap_percent = 10\nautomatic = true\nclaim_window_days = 90",
        check: no_service_credits,
    },
    Rule {
        id: "sole-remedy-low-cap",
        severity: High,
        element: E4,
        title: t(
            "Credits are the sole remedy, with a low cap",
            "Los créditos son el único remedio, con un tope bajo",
        ),
        rationale: t(
            "Whether credits are the sole financial remedy must be weighed against \
             the caps. A sole remedy capped at 10 % or less of the monthly charges means the \
             provider's worst case is a small discount, however badly it performs.",
            "Que los créditos sean el único remedio económico debe valorarse junto \
             con los topes. Un remedio exclusivo limitado al 10 % o menos de los cargos \
             mensuales significa que el peor escenario del proveedor es un pequeño descuento, por \
             mal que preste el servicio.",
        ),
        fix: t(
            "Make credits non-exclusive (damages remain available) or raise the cap, and add a \
             chronic-failure termination right.",
            "Haga que los créditos no sean exclusivos (manteniendo la acción de daños) o eleve \
             el tope, y añada un derecho de terminación por fallo crónico.",
        ),
        snippet: "[credits]\nsole_remedy = false\nat_risk_percent = 15\nmonthly_cap_percent = 15",
        check: sole_remedy_low_cap,
    },
    Rule {
        id: "no-chronic-failure-trigger",
        severity: Medium,
        element: E4,
        title: t(
            "No chronic or persistent failure trigger",
            "Sin detonante de fallo crónico o persistente",
        ),
        rationale: t(
            "Chronic failure (minimum missed two consecutive months) or persistent \
             failure (the same SLA missed k times in twelve months) leads to a termination right \
             or an escalated credit. Without triggers, a provider can pay capped credits \
             indefinitely instead of fixing the service.",
            "El fallo crónico (mínimo incumplido dos meses seguidos) o persistente \
             (el mismo SLA incumplido k veces en doce meses) da lugar a un derecho de terminación \
             o a un crédito agravado. Sin detonantes, el proveedor puede pagar créditos topados \
             indefinidamente en lugar de corregir el servicio.",
        ),
        fix: t(
            "Define chronic and persistent failure triggers.",
            "Defina detonantes de fallo crónico y persistente.",
        ),
        snippet: "[[credits.chronic]]\nid = \"CHRONIC-MIN\"\nkind = \"below_minimum_consecutive\"\ncount = 2\nremedy = \"termination_right\"\n\n[[credits.chronic]]\nid = \"PERSISTENT\"\nkind = \"misses_in_window\"\ncount = 10\nwindow_months = 12\nremedy = \"escalated_credit\"\ncredit_percent_of_annual = 5",
        check: no_chronic_failure_trigger,
    },
    Rule {
        id: "earn-back-unlimited",
        severity: Medium,
        element: E4,
        title: t(
            "Earn-back without limits",
            "Recuperación de créditos sin límites",
        ),
        rationale: t(
            "Earn-back returns a credit when the provider meets target for the next N \
             periods. Without a maximum share and a yearly limit, a provider that alternates bad \
             and good quarters pays nothing at all.",
            "La recuperación devuelve un crédito si el proveedor cumple el objetivo \
             en los N periodos siguientes. Sin un porcentaje máximo y un límite anual, un \
             proveedor que alterna trimestres malos y buenos no paga nada.",
        ),
        fix: t(
            "Cap the share of each credit that can be earned back and the earn-backs per year.",
            "Limite la parte recuperable de cada crédito y el número de recuperaciones por año.",
        ),
        snippet: "[credits]\nearn_back = { periods = 3, max_percent = 50, max_per_year = 2 }",
        check: earn_back_unlimited,
    },
    Rule {
        id: "credit-caps-not-stated",
        severity: Low,
        element: E4,
        title: t(
            "Credit caps not stated",
            "No se fijan los topes de créditos",
        ),
        rationale: t(
            "Credits have a monthly cap (at most the at-risk amount) and a rolling \
             twelve-month cap. When a cap is not written, the provider will read the at-risk \
             amount as the cap, or argue for a lower one, at the first large credit.",
            "Los créditos tienen un tope mensual (como máximo el importe en riesgo) \
             y un tope móvil de doce meses. Si un tope no consta por escrito, el proveedor \
             interpretará el importe en riesgo como tope, o defenderá uno menor, ante el primer \
             crédito importante.",
        ),
        fix: t(
            "State both caps explicitly.",
            "Fije ambos topes de forma expresa.",
        ),
        snippet: "[credits]\nmonthly_cap_percent = 10\nrolling_cap_percent = 10",
        check: credit_caps_not_stated,
    },
    Rule {
        id: "no-claim-window",
        severity: Medium,
        element: E4,
        title: t(
            "Credits must be claimed, with no claim window",
            "Los créditos deben reclamarse y no hay plazo de reclamación",
        ),
        rationale: t(
            "Credits are claimable within N days. When credits are not automatic and \
             no window is stated, the provider can later argue a claim was late or waived.",
            "Los créditos pueden reclamarse dentro de N días. Si no son automáticos \
             y no hay plazo, el proveedor puede alegar después que la reclamación fue tardía o \
             que se renunció a ella.",
        ),
        fix: t(
            "Make credits automatic, or state a claim window of at least 60 days after the \
             monthly report.",
            "Haga automáticos los créditos o fije un plazo de reclamación de al menos 60 días \
             tras el informe mensual.",
        ),
        snippet: "[credits]\nautomatic = true\nclaim_window_days = 90",
        check: no_claim_window,
    },
    Rule {
        id: "credits-not-automatic",
        severity: Low,
        element: E4,
        title: t(
            "Credits are not applied automatically",
            "Los créditos no se aplican automáticamente",
        ),
        rationale: t(
            "pacta computes credits so none go unclaimed, but if the contract makes \
             the client claim each one, a missed claim is money lost. Automatic credits shift \
             the burden to the provider, who has the data.",
            "pacta calcula los créditos para que ninguno quede sin reclamar, pero si \
             el contrato obliga al cliente a reclamar cada uno, una reclamación omitida es \
             dinero perdido. Los créditos automáticos trasladan la carga al proveedor, que tiene \
             los datos.",
        ),
        fix: t(
            "Make credits automatic, netted on the next invoice.",
            "Haga automáticos los créditos, compensados en la factura siguiente.",
        ),
        snippet: "[credits]\nautomatic = true",
        check: credits_not_automatic,
    },
    Rule {
        id: "claim-window-shorter-than-reporting",
        severity: High,
        element: E4,
        title: t(
            "Claim window shorter than the reporting delay",
            "Plazo de reclamación más corto que el retraso de los informes",
        ),
        rationale: t(
            "Credits are claimable within N days, and the monthly report and \
             data are due some days after the period. If the window closes before the data \
             arrives, the client cannot know what to claim and credits lapse.",
            "Los créditos se reclaman dentro de N días, y el informe y los \
             datos mensuales llegan varios días después del periodo. Si el plazo vence antes de \
             que lleguen los datos, el cliente no puede saber qué reclamar y los créditos \
             caducan.",
        ),
        fix: t(
            "Lengthen the claim window well beyond the report and data delivery dates, or make \
             credits automatic.",
            "Amplíe el plazo de reclamación muy por encima de las fechas de entrega de informes y \
             datos, o haga automáticos los créditos.",
        ),
        snippet: "[credits]\nclaim_window_days = 90",
        check: claim_window_shorter_than_reporting,
    },
    Rule {
        id: "pool-underallocated",
        severity: Low,
        element: E4,
        title: t(
            "Allocations leave the credit pool unused",
            "Las asignaciones dejan sin usar el fondo de créditos",
        ),
        rationale: t(
            "Credit per miss = at-risk amount × allocation, and the pool (often 150 \
             %) is there to be allocated. When allocations total under 100 %, even missing every \
             critical SLA never reaches the at-risk amount the parties agreed.",
            "Crédito por incumplimiento = importe en riesgo × asignación, y el fondo \
             (a menudo del 150 %) existe para repartirse. Si las asignaciones suman menos del \
             100 %, ni siquiera incumpliendo todos los SLA críticos se alcanza el importe en \
             riesgo pactado.",
        ),
        fix: t(
            "Allocate the pool across the critical SLAs (the total may exceed 100 %, up to the \
             pool).",
            "Reparta el fondo entre los SLA críticos (el total puede superar el 100 %, hasta el \
             fondo).",
        ),
        snippet: "allocation_percent = 50",
        check: pool_underallocated,
    },
    Rule {
        id: "allocation-concentrated",
        severity: Low,
        element: E4,
        title: t(
            "SLA `{s}` carries more than half of the credit pool",
            "El SLA `{s}` concentra más de la mitad del fondo de créditos",
        ),
        rationale: t(
            "Allocations spread the at-risk amount across critical SLAs. When one SLA \
             carries over half the pool, the others are cheap to miss, and the provider will \
             staff to protect that one SLA.",
            "Las asignaciones reparten el importe en riesgo entre los SLA críticos. \
             Si un SLA concentra más de la mitad del fondo, incumplir los demás sale barato, y \
             el proveedor dimensionará para proteger solo ese SLA.",
        ),
        fix: t(
            "Rebalance the allocations so no single SLA carries more than half of the pool.",
            "Reequilibre las asignaciones para que ningún SLA concentre más de la mitad del \
             fondo.",
        ),
        snippet: "",
        check: allocation_concentrated,
    },
    Rule {
        id: "critical-sla-without-credit",
        severity: Medium,
        element: E4,
        title: t(
            "Critical SLA `{s}` carries no credit",
            "El SLA crítico `{s}` no conlleva crédito",
        ),
        rationale: t(
            "Each critical service level has an allocation percentage (or a fixed \
             amount, or points). A critical SLA with none is critical in name only: missing it \
             costs the provider nothing.",
            "Cada nivel de servicio crítico tiene un porcentaje de asignación (o un \
             importe fijo, o puntos). Un SLA crítico sin ninguno es crítico solo de nombre: \
             incumplirlo no le cuesta nada al proveedor.",
        ),
        fix: t(
            "Give `{s}` an allocation, a fixed credit or points per miss.",
            "Asigne a `{s}` un porcentaje, un crédito fijo o puntos por incumplimiento.",
        ),
        snippet: "allocation_percent = 40",
        check: critical_sla_without_credit,
    },
    // -----------------------------------------------------------------------------------------
    // 5. Pricing and payment
    Rule {
        id: "no-pricing",
        severity: High,
        element: E5,
        title: t("No pricing schedule", "Sin anexo de precios"),
        rationale: t(
            "The pricing model, rates, one-time fees, pass-through costs and payment \
             terms must be in the contract. Without them, the invoice cannot be checked and \
             credits have no monthly charges to apply to.",
            "El modelo de precios, las tarifas, los cargos únicos, los costes \
             repercutidos y las condiciones de pago deben constar en el contrato. Sin ellos, la \
             factura no puede verificarse y los créditos no tienen cargos mensuales sobre los \
             que aplicarse.",
        ),
        fix: t("Add the pricing schedule.", "Añada el anexo de precios."),
        snippet: "[pricing]\ndeclared_items_only = true\n\n[[pricing.components]]\nid = \"voice-contacts\"\nunit = \"handled_contact\"\nrate = 2.40",
        check: no_pricing,
    },
    Rule {
        id: "undeclared-one-time-fees",
        severity: Medium,
        element: E5,
        title: t("One-time fees not declared", "Cargos únicos no declarados"),
        rationale: t(
            "One-time fees (setup, initial training, recruitment) must be declared; \
             hidden charges are what clients fear most. With `declared_items_only` false and \
             setup or training fees not declared, the provider can invoice them later at its own \
             price.",
            "Los cargos únicos (implantación, formación inicial, selección) deben \
             declararse; los cargos ocultos son lo que más temen los clientes. Con \
             `declared_items_only` en falso y sin declarar los cargos de implantación o \
             formación, el proveedor puede facturarlos después al precio que fije.",
        ),
        fix: t(
            "Declare every one-time fee (amount zero if included) and allow only declared items \
             to be invoiced.",
            "Declare cada cargo único (importe cero si está incluido) y permita facturar solo \
             los conceptos declarados.",
        ),
        snippet: "[pricing]\ndeclared_items_only = true\n\n[[pricing.one_time_fees]]\nid = \"setup\"\nkind = \"setup\"\namount = 0\n\n[[pricing.one_time_fees]]\nid = \"initial-training\"\nkind = \"initial_training\"\namount = 0",
        check: undeclared_one_time_fees,
    },
    Rule {
        id: "pass-through-without-cap",
        severity: Medium,
        element: E5,
        title: t(
            "Pass-through cost `{s}` has no cap",
            "El coste repercutido `{s}` no tiene tope",
        ),
        rationale: t(
            "Pass-through costs (telecom, licences) come with caps. An uncapped \
             pass-through is an open cheque: the provider has no reason to control costs it \
             simply re-invoices.",
            "Los costes repercutidos (telecomunicaciones, licencias) llevan tope. Un \
             coste repercutido sin tope es un cheque en blanco: el proveedor no tiene motivo para \
             controlar costes que simplemente vuelve a facturar.",
        ),
        fix: t(
            "Set a monthly cap on `{s}` (and a markup, normally zero).",
            "Fije un tope mensual para `{s}` (y un recargo, normalmente cero).",
        ),
        snippet: "monthly_cap = 15000\nmarkup_percent = 0\nreceipts_required = true",
        check: pass_through_without_cap,
    },
    Rule {
        id: "pass-through-without-receipts",
        severity: Low,
        element: E5,
        title: t(
            "Pass-through cost `{s}` needs no receipts",
            "El coste repercutido `{s}` no exige justificantes",
        ),
        rationale: t(
            "Invoices come with supporting data. A pass-through billed without the \
             third party's receipts cannot be verified against what the provider actually paid.",
            "Las facturas van acompañadas de datos de soporte. Un coste repercutido \
             facturado sin los justificantes del tercero no puede cotejarse con lo que el \
             proveedor pagó realmente.",
        ),
        fix: t(
            "Require receipts for `{s}`.",
            "Exija justificantes para `{s}`.",
        ),
        snippet: "receipts_required = true",
        check: pass_through_without_receipts,
    },
    Rule {
        id: "hourly-pricing-high-volume",
        severity: Medium,
        element: E5,
        title: t(
            "Hourly pricing costs more than per-contact pricing on the forecast",
            "El precio por hora cuesta más que el precio por contacto con la previsión",
        ),
        rationale: t(
            "Hourly pricing is unfavourable to the client at high \
             volumes, because the client pays for idle time and slow handling. Paid hours are \
             the forecast workload (volume × AHT) divided by the expected occupancy.",
            "El precio por hora es desfavorable para el \
             cliente con volúmenes altos, porque paga el tiempo ocioso y la gestión lenta. Las \
             horas pagadas son la carga prevista (volumen × TMO) dividida por la ocupación \
             esperada.",
        ),
        fix: t(
            "Negotiate per-contact (or hybrid) pricing for the high-volume services, or cap the \
             billable hours at the forecast workload divided by an agreed occupancy.",
            "Negocie un precio por contacto (o híbrido) para los servicios de alto volumen, o \
             limite las horas facturables a la carga prevista dividida por una ocupación \
             pactada.",
        ),
        snippet: "[[pricing.components]]\nid = \"voice-contacts\"\nunit = \"handled_contact\"\nrate = 2.40\nservices = [\"voice\"]",
        check: hourly_pricing_high_volume,
    },
    Rule {
        id: "pricing-break-even",
        severity: Info,
        element: E5,
        title: t(
            "Hourly pricing: break-even against per-contact pricing",
            "Precio por hora: punto de equilibrio frente al precio por contacto",
        ),
        rationale: t(
            "pacta shows the break-even of hourly against per-contact pricing for the \
             forecast, so the client knows what a per-contact quote must beat.",
            "pacta muestra el punto de equilibrio entre el precio por hora y el \
             precio por contacto para la previsión, de modo que el cliente sabe qué debe mejorar \
             una oferta por contacto.",
        ),
        fix: t(
            "No change needed. Set `pricing.reference_per_contact_rate` to a market quote to \
             keep the comparison current.",
            "No se requiere ningún cambio. Indique en `pricing.reference_per_contact_rate` una \
             oferta de mercado para mantener la comparación al día.",
        ),
        snippet: "[pricing]\nreference_per_contact_rate = 2.40\nexpected_occupancy_percent = 85",
        check: pricing_break_even,
    },
    Rule {
        id: "no-payment-terms",
        severity: Medium,
        element: E5,
        title: t("No payment terms", "Sin condiciones de pago"),
        rationale: t(
            "Payment terms (net days), invoice contents and how credits are netted. \
             Without them, the due date, the supporting data and the netting of credits are all \
             open to dispute.",
            "Condiciones de pago (días netos), contenido de la factura y forma de \
             compensar los créditos. Sin ellas, el vencimiento, los datos de soporte y la \
             compensación de créditos quedan abiertos a controversia.",
        ),
        fix: t(
            "State net days, late interest, supporting data and credit netting.",
            "Fije los días netos, el interés de demora, los datos de soporte y la compensación \
             de créditos.",
        ),
        snippet: "[pricing.payment]\nnet_days = 45\nlate_interest_percent_per_year = 6\nsupporting_data_required = true\ncredits_netted = \"next_invoice\"",
        check: no_payment_terms,
    },
    Rule {
        id: "late-payment-interest-unbounded",
        severity: Low,
        element: E5,
        title: t(
            "Late-payment interest not stated or excessive",
            "Interés de demora no fijado o excesivo",
        ),
        rationale: t(
            "Late-payment interest belongs in the payment terms. When it is not \
             stated, statutory or commercial default rates apply, which in several Latin \
             American jurisdictions are high; a rate above 18 % a year is punitive.",
            "El interés de demora forma parte de las condiciones de pago. Si no se \
             fija, se aplican tasas legales o comerciales supletorias, que en varias \
             jurisdicciones latinoamericanas son altas; una tasa superior al 18 % anual es \
             punitiva.",
        ),
        fix: t(
            "Agree a moderate late-payment rate.",
            "Pacte una tasa de demora moderada.",
        ),
        snippet: "[pricing.payment]\nlate_interest_percent_per_year = 6",
        check: late_payment_interest,
    },
    Rule {
        id: "no-indexation-cap",
        severity: Medium,
        element: E5,
        title: t(
            "Price indexation without a cap",
            "Indexación de precios sin tope",
        ),
        rationale: t(
            "Price review and indexation are CPI-capped. An uncapped index passes \
             every inflation spike (or a currency crisis in the delivery country) straight to \
             the client.",
            "La revisión e indexación de precios se limita con el IPC. Un índice sin \
             tope traslada al cliente cada repunte inflacionario (o una crisis cambiaria en el \
             país de prestación).",
        ),
        fix: t("Cap the yearly increase.", "Limite el incremento anual."),
        snippet: "[pricing.indexation]\nindex = \"CPI\"\ncap_percent = 3\nevery_months = 12",
        check: no_indexation_cap,
    },
    Rule {
        id: "minimum-commitment-above-forecast",
        severity: Medium,
        element: E5,
        title: t(
            "Minimum commitment above the forecast cost",
            "Compromiso mínimo superior al coste previsto",
        ),
        rationale: t(
            "A minimum monthly commitment protects the provider's fixed costs. Set \
             above what the forecast costs at contract rates, it makes the client pay every \
             month for capacity it does not expect to use.",
            "Un compromiso mínimo mensual protege los costes fijos del proveedor. Si \
             supera lo que cuesta la previsión a las tarifas del contrato, el cliente paga cada \
             mes por capacidad que no espera utilizar.",
        ),
        fix: t(
            "Lower the minimum to at most the forecast cost (typically 70–80 % of it) or raise \
             the forecast if it is understated.",
            "Reduzca el mínimo hasta, como mucho, el coste previsto (normalmente el 70–80 %) o \
             corrija la previsión si está infravalorada.",
        ),
        snippet: "",
        check: minimum_commitment_above_forecast,
    },
    Rule {
        id: "invoice-without-supporting-data",
        severity: Low,
        element: E5,
        title: t(
            "Invoices need no supporting data",
            "Las facturas no exigen datos de soporte",
        ),
        rationale: t(
            "Invoice contents include the supporting data. Without interval-level \
             data behind the invoice, billed hours and contacts cannot be reconciled with the \
             operational data.",
            "El contenido de la factura incluye los datos de soporte. Sin datos por \
             intervalo que respalden la factura, las horas y los contactos facturados no pueden \
             conciliarse con los datos operativos.",
        ),
        fix: t(
            "Require supporting data with each invoice.",
            "Exija datos de soporte con cada factura.",
        ),
        snippet: "[pricing.payment]\nsupporting_data_required = true",
        check: invoice_without_supporting_data,
    },
    // -----------------------------------------------------------------------------------------
    // 6. People
    Rule {
        id: "no-attrition-cap",
        severity: Medium,
        element: E6,
        title: t("No attrition cap", "Sin límite de rotación de personal"),
        rationale: t(
            "Staff rotation must be controlled, because continuity of \
             the team is what builds product knowledge. Without a maximum monthly or annual \
             attrition, the client bears the cost of constant re-training in lower quality.",
            "La rotación de personal debe controlarse, \
             porque la continuidad del equipo es lo que construye el conocimiento del producto. \
             Sin un máximo de rotación mensual o anual, el cliente soporta el coste de la \
             formación continua de reemplazos en forma de peor calidad.",
        ),
        fix: t(
            "Cap monthly and annualised attrition, measured from the roster.",
            "Limite la rotación mensual y anualizada, medida sobre la plantilla.",
        ),
        snippet: "[people]\nmax_monthly_attrition_percent = 4\nmax_annual_attrition_percent = 40",
        check: no_attrition_cap,
    },
    Rule {
        id: "no-training-commitment",
        severity: Medium,
        element: E6,
        title: t("No training commitment", "Sin compromiso de formación"),
        rationale: t(
            "Initial training hours per new agent and ongoing training \
             per agent per month are contract commitments. Without them, agents reach the \
             client's customers untrained on its products.",
            "Las horas de formación inicial por agente \
             nuevo y de formación continua por agente y mes son compromisos contractuales. Sin \
             ellos, los agentes atienden a los clientes sin formación sobre los productos.",
        ),
        fix: t(
            "Commit to initial and ongoing training hours.",
            "Comprometa horas de formación inicial y continua.",
        ),
        snippet: "[people]\ninitial_training_hours = 80\nongoing_training_hours_per_month = 4\ncertification_required = true",
        check: no_training_commitment,
    },
    Rule {
        id: "no-key-personnel",
        severity: Low,
        element: E6,
        title: t("No key personnel", "Sin personal clave"),
        rationale: t(
            "Key personnel cannot be replaced without consent. Without named roles \
             (account director, quality and workforce managers), the provider can rotate the \
             people the client chose it for.",
            "El personal clave no puede sustituirse sin consentimiento. Sin roles \
             designados (director de cuenta, responsables de calidad y de planificación), el \
             proveedor puede rotar a las personas por las que el cliente lo eligió.",
        ),
        fix: t(
            "Name the key roles whose replacement needs the client's consent.",
            "Designe los roles clave cuya sustitución requiere el consentimiento del cliente.",
        ),
        snippet: "[people]\nkey_personnel = [{ role = \"Account director\" }, { role = \"Quality manager\" }]",
        check: no_key_personnel,
    },
    Rule {
        id: "no-background-checks",
        severity: Medium,
        element: E6,
        title: t(
            "No background checks on agents",
            "Sin verificación de antecedentes de los agentes",
        ),
        rationale: t(
            "Background checks are one of the people commitments. Agents see customer \
             data and can take payments; without checks, the client cannot show it vetted who \
             handles its customers' data.",
            "La verificación de antecedentes es uno de los compromisos de \
             personal. Los agentes ven datos de clientes y pueden cobrar pagos; sin \
             verificación, el cliente no puede demostrar que controló quién trata los datos de \
             sus clientes.",
        ),
        fix: t(
            "Require background checks on all agents.",
            "Exija la verificación de antecedentes de todos los agentes.",
        ),
        snippet: "[people]\nbackground_checks = true",
        check: no_background_checks,
    },
    // -----------------------------------------------------------------------------------------
    // 7. Facilities, security and data protection
    Rule {
        id: "no-data-protection-terms",
        severity: High,
        element: E7,
        title: t(
            "No data-protection terms",
            "Sin cláusulas de protección de datos",
        ),
        rationale: t(
            "Which data the client provides and under what conditions, purpose \
             limitation, data location, sub-processors, retention and deletion, breach \
             notification, NDA survival, applicable law and IP. The provider will hold the \
             client's customer data with none of those obligations.",
            "Qué datos entrega el cliente y en qué condiciones, limitación de \
             finalidad, ubicación de los datos, subencargados, conservación y supresión, \
             notificación de brechas, vigencia de la confidencialidad, ley aplicable y propiedad \
             intelectual. El proveedor tratará los datos de los clientes sin ninguna de esas \
             obligaciones.",
        ),
        fix: t(
            "Add a data-protection section (and a DPA to the document set).",
            "Añada una sección de protección de datos (y un acuerdo de encargo de tratamiento al \
             conjunto documental).",
        ),
        snippet: "[data_protection]\npurpose_limited = true\nthird_party_transfer_requires_consent = true\nlocations = [\"GT\"]\nretention_days = 365\nbreach_notice_hours = 24\nnda_survival_years = 5\nlaws = [\"GDPR\"]\nip_owner = \"client\"",
        check: no_data_protection_terms,
    },
    Rule {
        id: "no-breach-notification-deadline",
        severity: High,
        element: E7,
        title: t(
            "No breach-notification deadline within 72 hours",
            "Sin plazo de notificación de brechas de 72 horas o menos",
        ),
        rationale: t(
            "Breach notification within N hours. Regulators (GDPR art. 33, and \
             several Latin American laws modelled on it) expect the controller to notify within \
             72 hours, so the provider must notify the client well inside that.",
            "Notificación de brechas en N horas. Los reguladores (art. 33 del RGPD y \
             varias leyes latinoamericanas inspiradas en él) exigen al responsable notificar en \
             72 horas, por lo que el proveedor debe avisar al cliente con margen dentro de ese \
             plazo.",
        ),
        fix: t(
            "Require notification within 24 hours (72 at most).",
            "Exija la notificación en 24 horas (72 como máximo).",
        ),
        snippet: "[data_protection]\nbreach_notice_hours = 24",
        check: no_breach_notification_deadline,
    },
    Rule {
        id: "no-purpose-limitation",
        severity: High,
        element: E7,
        title: t(
            "No purpose limitation or third-party transfer consent",
            "Sin limitación de finalidad ni consentimiento para cesiones a terceros",
        ),
        rationale: t(
            "No use of the client's data for the provider's own purposes and no \
             transfer to third parties without consent. Without these, the provider may reuse \
             the customer base (for other campaigns, analytics or resale).",
            "Prohibición de usar los datos del cliente para fines propios del \
             proveedor y de cederlos a terceros sin consentimiento. Sin estas cláusulas, el \
             proveedor puede reutilizar la base de clientes (para otras campañas, analítica o \
             reventa).",
        ),
        fix: t(
            "Limit use to delivering the services and require written consent for any transfer.",
            "Limite el uso a la prestación de los servicios y exija consentimiento escrito para \
             cualquier cesión.",
        ),
        snippet: "[data_protection]\npurpose_limited = true\nthird_party_transfer_requires_consent = true",
        check: no_purpose_limitation,
    },
    Rule {
        id: "data-location-unstated",
        severity: Medium,
        element: E7,
        title: t(
            "Data location not stated",
            "No se indica la ubicación de los datos",
        ),
        rationale: t(
            "Data location and sub-processors. Without the countries where data may \
             be stored or processed, the client cannot assess international transfers or answer \
             a regulator.",
            "Ubicación de los datos y subencargados. Sin los países donde pueden \
             almacenarse o tratarse los datos, el cliente no puede evaluar las transferencias \
             internacionales ni responder a un regulador.",
        ),
        fix: t(
            "List the countries where data may be stored or processed, and the approved \
             sub-processors.",
            "Enumere los países donde pueden almacenarse o tratarse los datos y los \
             subencargados autorizados.",
        ),
        snippet: "[data_protection]\nlocations = [\"GT\", \"US\"]\nsub_processors = [\n  { name = \"Contact-center platform\", purpose = \"ACD and recording\", country = \"US\" },\n]",
        check: data_location_unstated,
    },
    Rule {
        id: "no-retention-period",
        severity: Medium,
        element: E7,
        title: t("No retention period", "Sin plazo de conservación"),
        rationale: t(
            "Retention and deletion. Call recordings and customer records kept \
             indefinitely multiply the damage of any breach and breach data-minimisation \
             duties.",
            "Conservación y supresión. Las grabaciones y los registros de clientes \
             conservados indefinidamente multiplican el daño de cualquier brecha e incumplen el \
             deber de minimización de datos.",
        ),
        fix: t(
            "State how long data and recordings are kept.",
            "Fije cuánto tiempo se conservan los datos y las grabaciones.",
        ),
        snippet: "[data_protection]\nretention_days = 365",
        check: no_retention_period,
    },
    Rule {
        id: "no-ip-ownership",
        severity: Medium,
        element: E7,
        title: t(
            "Client does not own scripts, recordings and work product",
            "El cliente no es titular de guiones, grabaciones y resultados del trabajo",
        ),
        rationale: t(
            "Intellectual property in scripts, recordings, knowledge bases and work \
             product. If the client does not own them, changing provider means losing (or \
             buying back) the knowledge base built on its own products.",
            "Propiedad intelectual de guiones, grabaciones, bases de conocimiento y \
             resultados del trabajo. Si no pertenecen al cliente, cambiar de proveedor supone \
             perder (o recomprar) la base de conocimiento construida sobre sus propios \
             productos.",
        ),
        fix: t(
            "Assign ownership to the client.",
            "Atribuya la titularidad al cliente.",
        ),
        snippet: "[data_protection]\nip_owner = \"client\"",
        check: no_ip_ownership,
    },
    Rule {
        id: "no-nda-survival",
        severity: Medium,
        element: E7,
        title: t(
            "Confidentiality does not survive termination",
            "La confidencialidad no sobrevive a la terminación",
        ),
        rationale: t(
            "The NDA term survives termination. Otherwise the provider's duty of \
             confidentiality ends the day the contract does, while it still holds the client's \
             data and know-how.",
            "La confidencialidad sobrevive a la terminación. De lo contrario, el \
             deber de confidencialidad del proveedor termina el mismo día que el contrato, \
             mientras aún conserva datos y conocimiento del cliente.",
        ),
        fix: t(
            "Make confidentiality survive for several years after termination.",
            "Haga que la confidencialidad subsista varios años tras la terminación.",
        ),
        snippet: "[data_protection]\nnda_survival_years = 5",
        check: no_nda_survival,
    },
    Rule {
        id: "no-data-protection-law",
        severity: Low,
        element: E7,
        title: t(
            "No applicable data-protection law named",
            "No se indica la ley de protección de datos aplicable",
        ),
        rationale: t(
            "Compliance with GDPR, HIPAA or local law as applicable. Naming the laws \
             makes compliance a contractual duty and tells the provider which regime to \
             implement.",
            "Cumplimiento del RGPD, HIPAA o la ley local aplicable. Nombrar las \
             leyes convierte su cumplimiento en una obligación contractual e indica al proveedor \
             qué régimen aplicar.",
        ),
        fix: t(
            "List the data-protection laws the provider must comply with.",
            "Enumere las leyes de protección de datos que el proveedor debe cumplir.",
        ),
        snippet: "[data_protection]\nlaws = [\"Ley Federal de Protección de Datos Personales\"]",
        check: no_data_protection_law,
    },
    Rule {
        id: "missing-security-controls",
        severity: High,
        element: E7,
        title: t(
            "Security controls missing: {s}",
            "Faltan controles de seguridad: {s}",
        ),
        rationale: t(
            "The minimum cybersecurity controls to demand are: \
             firewall, antivirus, active VPNs, segmented VLANs, passwords personalised per shift \
             and agent, and privileged access by role.",
            "Los controles mínimos de \
             ciberseguridad que deben exigirse son: firewall, antivirus, VPN activas, VLAN \
             segmentadas, contraseñas personalizadas por turno y agente, y accesos privilegiados \
             por puesto.",
        ),
        fix: t(
            "Require every control of this list.",
            "Exija todos los controles de la lista.",
        ),
        snippet: "[security]\ncontrols = [\"firewall\", \"antivirus\", \"vpn\", \"vlan_segmentation\", \"per_shift_passwords\", \"role_based_privileged_access\"]",
        check: missing_security_controls,
    },
    Rule {
        id: "pci-dss-missing",
        severity: High,
        element: E7,
        title: t(
            "Card payments taken without PCI DSS",
            "Se cobran pagos con tarjeta sin PCI DSS",
        ),
        rationale: t(
            "PCI DSS certification where cards are taken. A provider handling card \
             data without it exposes the client to card-scheme fines and breach liability.",
            "Certificación PCI DSS cuando se cobran tarjetas. Un proveedor que \
             trata datos de tarjetas sin ella expone al cliente a multas de las marcas y a \
             responsabilidad por brechas.",
        ),
        fix: t(
            "Require PCI DSS certification, maintained for the whole term.",
            "Exija la certificación PCI DSS, mantenida durante toda la vigencia.",
        ),
        snippet: "[security]\ncertifications = [\"iso27001\", \"pci_dss\"]",
        check: pci_dss_missing,
    },
    Rule {
        id: "no-iso-27001",
        severity: Medium,
        element: E7,
        title: t("No ISO 27001 certification", "Sin certificación ISO 27001"),
        rationale: t(
            "Prefer providers with international security \
             certifications such as ISO 27001, which audits the information-security \
             management system behind the individual controls.",
            "Conviene preferir proveedores con \
             certificaciones internacionales de seguridad como ISO 27001, que audita el sistema \
             de gestión de la seguridad de la información que sostiene los controles.",
        ),
        fix: t(
            "Require ISO/IEC 27001 certification covering the delivery sites.",
            "Exija la certificación ISO/IEC 27001 con alcance sobre los centros de prestación.",
        ),
        snippet: "[security]\ncertifications = [\"iso27001\"]",
        check: no_iso_27001,
    },
    Rule {
        id: "no-business-continuity",
        severity: Medium,
        element: E7,
        title: t(
            "No business continuity (RTO/RPO)",
            "Sin continuidad de negocio (RTO/RPO)",
        ),
        rationale: t(
            "Certified infrastructure includes business continuity and disaster \
             recovery with RTO and RPO. Without them, a site outage (power, storm, network) \
             stops the service with no committed recovery time.",
            "La infraestructura certificada incluye continuidad de negocio y \
             recuperación ante desastres con RTO y RPO. Sin ellos, una caída del centro \
             (energía, tormenta, red) detiene el servicio sin tiempo de recuperación \
             comprometido.",
        ),
        fix: t(
            "Commit to recovery time and recovery point objectives, tested at least yearly.",
            "Comprometa objetivos de tiempo y punto de recuperación, probados al menos una vez \
             al año.",
        ),
        snippet: "[facilities]\ncontinuity = { rto_hours = 4, rpo_hours = 1, tests_per_year = 2 }",
        check: no_business_continuity,
    },
    Rule {
        id: "subcontracting-without-consent",
        severity: Medium,
        element: E7,
        title: t(
            "Provider may subcontract without consent",
            "El proveedor puede subcontratar sin consentimiento",
        ),
        rationale: t(
            "Sub-processors must be known and approved. If the provider can \
             subcontract freely, the service and the customer data can move to a company and \
             country the client never vetted.",
            "Los subencargados deben ser conocidos y aprobados. Si el proveedor \
             puede subcontratar libremente, el servicio y los datos de los clientes pueden pasar \
             a una empresa y un país que el cliente nunca evaluó.",
        ),
        fix: t(
            "Require the client's written consent for any subcontracting.",
            "Exija el consentimiento escrito del cliente para cualquier subcontratación.",
        ),
        snippet: "[legal]\nsubcontracting_requires_consent = true",
        check: subcontracting_without_consent,
    },
    // -----------------------------------------------------------------------------------------
    // 8. Quality and governance
    Rule {
        id: "no-sla-reports",
        severity: Medium,
        element: E8,
        title: t("No reporting obligations", "Sin obligaciones de informe"),
        rationale: t(
            "Which reports, how often, in what format and due when. Without \
             reporting obligations, service levels cannot be verified and credits cannot be \
             computed.",
            "Qué informes, con qué frecuencia, en qué formato y en qué plazo. Sin \
             obligaciones de informe, los niveles de servicio no pueden verificarse ni los \
             créditos calcularse.",
        ),
        fix: t(
            "Require at least a monthly SLA report with interval-level data.",
            "Exija al menos un informe mensual de SLA con datos por intervalo.",
        ),
        snippet: "[quality]\nreports = [\n  { id = \"monthly-sla\", name = \"Monthly SLA report\", frequency = \"month\", formats = [\"csv\"], granularity = \"interval\", due_days_after_period = 5 },\n]",
        check: no_sla_reports,
    },
    Rule {
        id: "no-interval-reporting",
        severity: Medium,
        element: E8,
        title: t(
            "Reports without interval-level data",
            "Informes sin datos por intervalo",
        ),
        rationale: t(
            "Reports in interval-level data, not only summaries. A monthly summary \
             hides the intervals where service collapsed and cannot be recomputed or audited.",
            "Informes con datos por intervalo, no solo resúmenes. Un resumen mensual \
             oculta los intervalos en que el servicio se desplomó y no puede recalcularse ni \
             auditarse.",
        ),
        fix: t(
            "Require interval granularity in at least the monthly SLA report.",
            "Exija granularidad por intervalo al menos en el informe mensual de SLA.",
        ),
        snippet: "granularity = \"interval\"",
        check: no_interval_reporting,
    },
    Rule {
        id: "no-quality-function",
        severity: Medium,
        element: E8,
        title: t(
            "No quality-control function or calibration",
            "Sin función de control de calidad ni calibración",
        ),
        rationale: t(
            "A quality-control area at the provider, with QA \
             evaluations per agent per month and calibration with the client. Without it, \
             quality scores are unverifiable and errors are found by customers.",
            "Un área de control de calidad en el \
             proveedor, con evaluaciones por agente y mes y calibración con el cliente. Sin \
             ella, las notas de calidad no son verificables y los errores los descubren los \
             clientes.",
        ),
        fix: t(
            "Require a QA function, evaluations per agent per month and calibration sessions.",
            "Exija una función de calidad, evaluaciones por agente y mes y sesiones de \
             calibración.",
        ),
        snippet: "[quality]\nqa_function = true\nevaluations_per_agent_month = 4\ncalibration = \"month\"",
        check: no_quality_function,
    },
    Rule {
        id: "no-monitoring-rights",
        severity: Low,
        element: E8,
        title: t(
            "No call listening or monitoring rights",
            "Sin derecho de escucha y monitorización",
        ),
        rationale: t(
            "Call listening and monitoring rights. The client should be able to \
             listen to calls and monitor live, rather than rely only on the provider's QA.",
            "Derecho de escucha y monitorización. El cliente debe poder escuchar \
             llamadas y monitorizar en vivo, en lugar de depender solo de la calidad del \
             proveedor.",
        ),
        fix: t(
            "Grant the client listening and live-monitoring rights.",
            "Otorgue al cliente derecho de escucha y monitorización en vivo.",
        ),
        snippet: "[quality]\nmonitoring_rights = true",
        check: no_monitoring_rights,
    },
    Rule {
        id: "no-audit-rights",
        severity: Medium,
        element: E8,
        title: t("No audit rights", "Sin derecho de auditoría"),
        rationale: t(
            "Audit rights and site visits. Without them, the client cannot verify \
             security controls, data handling, billed hours or the data behind the SLA reports.",
            "Derecho de auditoría y visitas a los centros. Sin él, el cliente no \
             puede verificar los controles de seguridad, el tratamiento de datos, las horas \
             facturadas ni los datos que sustentan los informes de SLA.",
        ),
        fix: t(
            "Grant audit rights with short notice, including site visits and data protection.",
            "Otorgue derecho de auditoría con preaviso breve, incluidas visitas y protección de \
             datos.",
        ),
        snippet: "[governance]\naudit = { notice_days = 10, per_year = 2, site_visits = true, data_protection = true }",
        check: no_audit_rights,
    },
    Rule {
        id: "no-governance-meetings",
        severity: Medium,
        element: E8,
        title: t("No governance meetings", "Sin reuniones de gobierno"),
        rationale: t(
            "Weekly operational, monthly and quarterly business reviews. Without a \
             governance cadence, problems surface only as disputes.",
            "Revisiones operativas semanales, mensuales y trimestrales de negocio. \
             Sin una cadencia de gobierno, los problemas solo afloran como controversias.",
        ),
        fix: t(
            "Set the governance meetings and their attendees.",
            "Fije las reuniones de gobierno y sus asistentes.",
        ),
        snippet: "[governance]\nmeetings = [\n  { name = \"Weekly operations review\", frequency = \"week\" },\n  { name = \"Quarterly business review\", frequency = \"quarter\" },\n]",
        check: no_governance_meetings,
    },
    Rule {
        id: "no-pilot",
        severity: Low,
        element: E8,
        title: t(
            "No pilot before full rollout",
            "Sin piloto antes del despliegue completo",
        ),
        rationale: t(
            "Pilot programs before full rollout. A pilot with success \
             SLAs lets the client test the provider on real traffic before committing all \
             volume.",
            "Programas piloto antes del despliegue \
             completo. Un piloto con SLA de éxito permite probar al proveedor con tráfico real \
             antes de comprometer todo el volumen.",
        ),
        fix: t(
            "Add a pilot with a length, a team size and the SLAs that decide success.",
            "Añada un piloto con duración, tamaño del equipo y los SLA que determinan el éxito.",
        ),
        snippet: "[governance]\npilot = { weeks = 8, agents = 20, success_slas = [\"SL-VOICE\"] }",
        check: no_pilot,
    },
    // -----------------------------------------------------------------------------------------
    // 9. Disputes, liability, termination and exit
    Rule {
        id: "no-dispute-procedure",
        severity: High,
        element: E9,
        title: t(
            "No dispute-resolution procedure",
            "Sin procedimiento de resolución de controversias",
        ),
        rationale: t(
            "Dispute steps with time limits (negotiation between account managers, \
             executive escalation, mediation, then arbitration or the courts). Without them, a \
             disputed credit has no path to resolution other than litigation in a forum nobody \
             chose.",
            "Escalones de controversia con plazos (negociación entre responsables de \
             cuenta, escalado a la dirección, mediación y, por último, arbitraje o tribunales). \
             Sin ellos, un crédito discutido no tiene otra vía que un litigio en un foro que \
             nadie eligió.",
        ),
        fix: t(
            "Add a [disputes] section with escalation steps, each with a day limit, ending in \
             arbitration or the courts.",
            "Añada una sección [disputes] con escalones, cada uno con plazo en días, que \
             termine en arbitraje o en los tribunales.",
        ),
        snippet: "[disputes]\nsteps = [\n  { kind = \"negotiation\", days = 15 },\n  { kind = \"executive_escalation\", days = 15 },\n  { kind = \"mediation\", days = 30 },\n  { kind = \"arbitration\", institution = \"ICC\", seat = \"Miami\", language = \"Spanish\" },\n]",
        check: no_dispute_procedure,
    },
    Rule {
        id: "dispute-steps-without-time-limits",
        severity: Medium,
        element: E9,
        title: t(
            "Dispute step `{s}` has no time limit",
            "El escalón de controversia `{s}` no tiene plazo",
        ),
        rationale: t(
            "Dispute steps have time limits. A negotiation or mediation step without \
             a day limit can be used to delay escalation indefinitely.",
            "Los escalones de controversia tienen plazos. Una negociación o \
             mediación sin plazo en días puede usarse para demorar indefinidamente el escalado.",
        ),
        fix: t(
            "Give the `{s}` step a limit in days.",
            "Asigne al escalón `{s}` un plazo en días.",
        ),
        snippet: "{ kind = \"negotiation\", days = 15 }",
        check: dispute_steps_without_time_limits,
    },
    Rule {
        id: "dispute-no-final-forum",
        severity: Medium,
        element: E9,
        title: t(
            "Dispute procedure without a complete final forum",
            "Procedimiento de controversias sin foro final completo",
        ),
        rationale: t(
            "The steps end in arbitration (institution, seat, language) or the \
             courts. A procedure that ends in negotiation or mediation binds no one, and an \
             arbitration clause without institution or seat is pathological and invites a \
             fight over jurisdiction.",
            "Los escalones terminan en arbitraje (institución, sede, idioma) o en \
             los tribunales. Un procedimiento que termina en negociación o mediación no obliga a \
             nadie, y una cláusula arbitral sin institución o sede es patológica e invita a \
             discutir la jurisdicción.",
        ),
        fix: t(
            "End the procedure with arbitration naming institution, seat and language, or with \
             the courts of a named place.",
            "Termine el procedimiento con un arbitraje que indique institución, sede e idioma, \
             o con los tribunales de un lugar determinado.",
        ),
        snippet: "{ kind = \"arbitration\", institution = \"ICC\", seat = \"Miami\", language = \"Spanish\" }",
        check: dispute_no_final_forum,
    },
    Rule {
        id: "weak-liability-cap",
        severity: Medium,
        element: E9,
        title: t(
            "Liability cap missing or below six months of fees",
            "Límite de responsabilidad ausente o inferior a seis meses de honorarios",
        ),
        rationale: t(
            "A liability cap (e.g. 12 months of fees). An unstated cap leaves \
             exposure to the governing law and to argument; a cap below six months of fees \
             leaves the client to absorb most of the loss of a serious failure.",
            "Un límite de responsabilidad (p. ej. 12 meses de honorarios). Un límite \
             no fijado deja la exposición a la ley aplicable y a la discusión; un límite \
             inferior a seis meses de honorarios obliga al cliente a absorber la mayor parte de \
             la pérdida de un fallo grave.",
        ),
        fix: t(
            "Set the cap at 12 months of fees or more.",
            "Fije el límite en 12 meses de honorarios o más.",
        ),
        snippet: "[liability]\ncap_months_of_fees = 12",
        check: weak_liability_cap,
    },
    Rule {
        id: "data-breach-liability-capped",
        severity: Medium,
        element: E9,
        title: t(
            "Data and confidentiality breaches fall under the liability cap",
            "Las brechas de datos y de confidencialidad quedan bajo el límite de \
             responsabilidad",
        ),
        rationale: t(
            "Liability cap with exclusions. A data breach can cost far more \
             than a few months of fees; if confidentiality and data protection are not carved \
             out of the cap, the client bears the rest.",
            "Límite de responsabilidad con exclusiones. Una brecha de datos \
             puede costar mucho más que unos meses de honorarios; si la confidencialidad y la \
             protección de datos no se excluyen del límite, el resto lo soporta el cliente.",
        ),
        fix: t(
            "Exclude confidentiality and data-protection breaches (and gross negligence) from \
             the cap.",
            "Excluya del límite las infracciones de confidencialidad y de protección de datos (y \
             la negligencia grave).",
        ),
        snippet: "[liability]\nuncapped = [\"breach of confidentiality\", \"data protection\", \"gross negligence\"]",
        check: data_breach_liability_capped,
    },
    Rule {
        id: "no-insurance",
        severity: Low,
        element: E9,
        title: t(
            "No insurance required of the provider",
            "No se exige seguro al proveedor",
        ),
        rationale: t(
            "Insurance backs the liability cap and indemnities. Without professional \
             and cyber liability cover, a provider's liability may be uncollectable exactly \
             when it is needed.",
            "El seguro respalda el límite de responsabilidad y las indemnidades. Sin \
             cobertura de responsabilidad profesional y ciberriesgo, la responsabilidad del \
             proveedor puede ser incobrable justo cuando se necesita.",
        ),
        fix: t(
            "Require professional and cyber liability insurance with minimum cover.",
            "Exija seguros de responsabilidad profesional y de ciberriesgo con cobertura mínima.",
        ),
        snippet: "[liability]\ninsurance = [\n  { kind = \"Professional liability\", cover = 2000000 },\n  { kind = \"Cyber liability\", cover = 5000000 },\n]",
        check: no_insurance,
    },
    Rule {
        id: "no-termination-for-chronic-failure",
        severity: High,
        element: E9,
        title: t(
            "No termination right for chronic SLA failure",
            "Sin derecho de terminación por fallo crónico de SLA",
        ),
        rationale: t(
            "Termination for chronic SLA failure (e.g. minimum missed two \
             consecutive months). Without it, the client's only exit from a failing provider is \
             to prove a material breach, or to wait out the term.",
            "Terminación por fallo crónico de SLA (p. ej. mínimo incumplido dos \
             meses seguidos). Sin ella, la única salida del cliente ante un proveedor que falla \
             es probar un incumplimiento grave o esperar al fin de la vigencia.",
        ),
        fix: t(
            "Grant a termination right on chronic failure, and define the trigger.",
            "Otorgue un derecho de terminación por fallo crónico y defina el detonante.",
        ),
        snippet: "[termination]\nchronic_sla_failure = true\n\n[[credits.chronic]]\nid = \"CHRONIC-MIN\"\nkind = \"below_minimum_consecutive\"\ncount = 2\nremedy = \"termination_right\"",
        check: no_termination_for_chronic_failure,
    },
    Rule {
        id: "no-termination-for-convenience",
        severity: Medium,
        element: E9,
        title: t(
            "No termination for convenience",
            "Sin terminación por conveniencia",
        ),
        rationale: t(
            "Termination for convenience (notice days, fees). Without it, the client \
             cannot leave before the term ends when its needs change, short of proving a \
             breach.",
            "Terminación por conveniencia (días de preaviso, cargos). Sin ella, el \
             cliente no puede salir antes del fin de la vigencia cuando cambian sus necesidades, \
             salvo que pruebe un incumplimiento.",
        ),
        fix: t(
            "Allow termination for convenience with notice (and a stated fee, if any).",
            "Permita la terminación por conveniencia con preaviso (y, en su caso, un cargo \
             fijado).",
        ),
        snippet: "[termination]\nconvenience_notice_days = 90\ncause_cure_days = 30",
        check: no_termination_for_convenience,
    },
    Rule {
        id: "no-exit-assistance",
        severity: High,
        element: E9,
        title: t("No exit assistance", "Sin asistencia a la salida"),
        rationale: t(
            "Transition and exit assistance (months, at what rates) and knowledge \
             transfer. Without it, the outgoing provider can stop on the last day and leave the \
             client's customers without service during the migration.",
            "Asistencia en la transición y la salida (meses, a qué tarifas) y \
             transferencia de conocimiento. Sin ella, el proveedor saliente puede cesar el \
             último día y dejar a los clientes sin servicio durante la migración.",
        ),
        fix: t(
            "Require exit assistance for several months at contract rates, with knowledge \
             transfer.",
            "Exija asistencia a la salida durante varios meses a las tarifas del contrato, con \
             transferencia de conocimiento.",
        ),
        snippet: "[exit]\nassistance_months = 6\nat_contract_rates = true\nknowledge_transfer = true",
        check: no_exit_assistance,
    },
    Rule {
        id: "no-data-return-deletion",
        severity: High,
        element: E9,
        title: t(
            "No data return and deletion at exit",
            "Sin devolución y supresión de datos a la salida",
        ),
        rationale: t(
            "Return and deletion of data at exit, by a deadline. Otherwise the \
             former provider keeps the client's customer data and recordings after the \
             relationship ends.",
            "Devolución y supresión de los datos a la salida, en un plazo. De \
             lo contrario, el antiguo proveedor conserva los datos y las grabaciones de los \
             clientes una vez terminada la relación.",
        ),
        fix: t(
            "Require return of all data, certified deletion, and a deadline in days.",
            "Exija la devolución de todos los datos, su supresión certificada y un plazo en \
             días.",
        ),
        snippet: "[exit]\ndata_return = true\ndata_deletion = true\ndata_days = 30",
        check: no_data_return_deletion,
    },
];
