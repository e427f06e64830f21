//! The kinds of obligation a contract creates: their codes, names and reminder lead days.

use pacta_core::Lang;
use serde::{Deserialize, Serialize};

/// What an obligation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// The end of the initial term or of a renewal term.
    TermEnd,
    /// The last day to give notice of non-renewal before a tacit renewal.
    NonRenewalNotice,
    /// The last day to ask for an express renewal.
    RenewalRequest,
    /// The last day to give convenience-termination notice for a chosen exit date.
    ConvenienceNotice,
    /// A report due after its period.
    ReportDue,
    /// A governance meeting to be held within a window.
    Meeting,
    /// A calibration session to be held within a window.
    Calibration,
    /// The last day to give notice of a planned audit.
    AuditNotice,
    /// The provider's invoice for a month.
    InvoiceDue,
    /// The client's payment of a month's invoice.
    PaymentDue,
    /// A price review (indexation).
    PriceReview,
    /// The last day to claim a month's service credits.
    CreditClaim,
    /// The review at the end of the pilot.
    PilotReview,
    /// The deadline of a dispute's current step.
    DisputeStep,
    /// The deadline to notify a data breach.
    BreachNotice,
    /// A penetration test to run within a window.
    PenetrationTest,
    /// A business-continuity test to run within a window.
    ContinuityTest,
    /// Evidence that a certification is current.
    Certification,
    /// Deletion of a month's contact data at the end of the retention period.
    DataRetention,
    /// Return and deletion of the client's data after exit.
    ExitDataDeletion,
    /// The month's attrition within `people.max_monthly_attrition_percent` (proven by the
    /// roster).
    AttritionMonthly,
    /// Attrition over the twelve months ending with the month within
    /// `people.max_annual_attrition_percent` (proven by the roster).
    AttritionAnnual,
    /// The month's hires trained at least `people.initial_training_hours` each (proven by the
    /// training records).
    InitialTraining,
    /// Ongoing training of at least `people.ongoing_training_hours_per_month` per agent on
    /// the roster (proven by the training records).
    OngoingTraining,
    /// Every agent on the roster evaluated `quality.evaluations_per_agent_month` times (proven
    /// by the QA evaluations).
    QaEvaluations,
}

impl ObligationKind {
    /// The kebab-case code used in ids and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            ObligationKind::TermEnd => "term-end",
            ObligationKind::NonRenewalNotice => "non-renewal-notice",
            ObligationKind::RenewalRequest => "renewal-request",
            ObligationKind::ConvenienceNotice => "convenience-notice",
            ObligationKind::ReportDue => "report-due",
            ObligationKind::Meeting => "meeting",
            ObligationKind::Calibration => "calibration",
            ObligationKind::AuditNotice => "audit-notice",
            ObligationKind::InvoiceDue => "invoice-due",
            ObligationKind::PaymentDue => "payment-due",
            ObligationKind::PriceReview => "price-review",
            ObligationKind::CreditClaim => "credit-claim",
            ObligationKind::PilotReview => "pilot-review",
            ObligationKind::DisputeStep => "dispute-step",
            ObligationKind::BreachNotice => "breach-notice",
            ObligationKind::PenetrationTest => "penetration-test",
            ObligationKind::ContinuityTest => "continuity-test",
            ObligationKind::Certification => "certification",
            ObligationKind::DataRetention => "data-retention",
            ObligationKind::ExitDataDeletion => "exit-data-deletion",
            ObligationKind::AttritionMonthly => "attrition-monthly",
            ObligationKind::AttritionAnnual => "attrition-annual",
            ObligationKind::InitialTraining => "initial-training",
            ObligationKind::OngoingTraining => "ongoing-training",
            ObligationKind::QaEvaluations => "qa-evaluations",
        }
    }

    /// What the obligation is, in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ObligationKind::TermEnd => lang.pick("Term ends", "Fin del plazo"),
            ObligationKind::NonRenewalNotice => lang.pick(
                "Last day for non-renewal notice",
                "Último día para preaviso de no renovación",
            ),
            ObligationKind::RenewalRequest => lang.pick(
                "Last day to request renewal",
                "Último día para solicitar la renovación",
            ),
            ObligationKind::ConvenienceNotice => lang.pick(
                "Last day for termination notice",
                "Último día para preaviso de terminación",
            ),
            ObligationKind::ReportDue => lang.pick("Report due", "Entrega de informe"),
            ObligationKind::Meeting => lang.pick("Meeting", "Reunión"),
            ObligationKind::Calibration => {
                lang.pick("Calibration session", "Sesión de calibración")
            }
            ObligationKind::AuditNotice => lang.pick(
                "Last day for audit notice",
                "Último día para aviso de auditoría",
            ),
            ObligationKind::InvoiceDue => lang.pick("Invoice due", "Vencimiento de factura"),
            ObligationKind::PaymentDue => lang.pick("Payment due", "Vencimiento de pago"),
            ObligationKind::PriceReview => lang.pick("Price review", "Revisión de precios"),
            ObligationKind::CreditClaim => lang.pick(
                "Last day to claim service credits",
                "Último día para reclamar créditos de servicio",
            ),
            ObligationKind::PilotReview => lang.pick("Pilot review", "Revisión del piloto"),
            ObligationKind::DisputeStep => {
                lang.pick("Dispute step deadline", "Plazo de la etapa de la disputa")
            }
            ObligationKind::BreachNotice => lang.pick(
                "Data-breach notification deadline",
                "Plazo de notificación de la brecha de datos",
            ),
            ObligationKind::PenetrationTest => {
                lang.pick("Penetration test", "Prueba de penetración")
            }
            ObligationKind::ContinuityTest => lang.pick(
                "Business-continuity test",
                "Prueba de continuidad del negocio",
            ),
            ObligationKind::Certification => lang.pick(
                "Evidence of current certification",
                "Evidencia de certificación vigente",
            ),
            ObligationKind::DataRetention => lang.pick(
                "Delete contact data past retention",
                "Borrar datos de contactos vencida la retención",
            ),
            ObligationKind::ExitDataDeletion => lang.pick(
                "Return and delete client data after exit",
                "Devolver y borrar los datos del cliente tras la salida",
            ),
            ObligationKind::AttritionMonthly => lang.pick(
                "Monthly attrition within the cap",
                "Rotación mensual dentro del tope",
            ),
            ObligationKind::AttritionAnnual => lang.pick(
                "Annual attrition within the cap",
                "Rotación anual dentro del tope",
            ),
            ObligationKind::InitialTraining => lang.pick(
                "Initial training hours for each new hire",
                "Horas de formación inicial de cada nuevo ingreso",
            ),
            ObligationKind::OngoingTraining => lang.pick(
                "Ongoing training hours per agent",
                "Horas de formación continua por agente",
            ),
            ObligationKind::QaEvaluations => lang.pick(
                "QA evaluations for every agent",
                "Evaluaciones de calidad de cada agente",
            ),
        }
    }

    /// How many days ahead a reminder goes out, unless the obligation says otherwise.
    pub fn default_lead_days(self) -> u32 {
        match self {
            ObligationKind::TermEnd => 90,
            ObligationKind::NonRenewalNotice
            | ObligationKind::RenewalRequest
            | ObligationKind::ConvenienceNotice
            | ObligationKind::PriceReview
            | ObligationKind::PenetrationTest
            | ObligationKind::ContinuityTest
            | ObligationKind::Certification => 30,
            ObligationKind::CreditClaim | ObligationKind::PilotReview => 14,
            ObligationKind::AuditNotice
            | ObligationKind::Meeting
            | ObligationKind::Calibration
            | ObligationKind::PaymentDue
            | ObligationKind::DataRetention
            | ObligationKind::ExitDataDeletion => 7,
            ObligationKind::InvoiceDue | ObligationKind::ReportDue => 3,
            ObligationKind::DisputeStep => 3,
            ObligationKind::BreachNotice => 0,
            // Proven by the month's data: nothing to remind anyone of before the month ends.
            ObligationKind::AttritionMonthly
            | ObligationKind::AttritionAnnual
            | ObligationKind::InitialTraining
            | ObligationKind::OngoingTraining
            | ObligationKind::QaEvaluations => 0,
        }
    }
}
