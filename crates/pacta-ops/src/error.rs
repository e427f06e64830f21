//! Why an operation failed, in both languages.

use std::path::PathBuf;

use pacta_contract::ValidationError;
use pacta_core::{Lang, Localized};

/// An operation's failure: typed, with a stable code and English and Spanish text.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// An uploaded file was refused; the words name it as uploaded, not where the server
    /// staged it (the code is the underlying refusal's).
    #[error("{en}")]
    UploadRefused {
        /// The underlying refusal's code.
        code: &'static str,
        /// In English.
        en: String,
        /// In Spanish.
        es: String,
    },
    /// A file could not be read.
    #[error("could not read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("could not write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// Refused to overwrite an existing file.
    #[error("{} already exists; use --force to overwrite it", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The contract file does not validate; each error is located in `text`.
    #[error("{} is not a valid contract ({} problem(s))", path.display(), errors.len())]
    InvalidContract {
        /// The file.
        path: PathBuf,
        /// Its text (for showing each problem's line).
        text: String,
        /// Every problem found.
        errors: Vec<ValidationError>,
    },
    /// The contract names no SLA with this id.
    #[error("the contract has no SLA `{id}`; it has: {}", known.join(", "))]
    UnknownSla {
        /// The id asked for.
        id: String,
        /// The ids the contract has.
        known: Vec<String>,
    },
    /// Contact evidence asked for an SLA whose metric it does not list yet.
    #[error(
        "contact evidence is not available for SLA `{id}` (metric {metric}): it lists the contacts of service_level and abandonment_rate SLAs"
    )]
    EvidenceUnsupported {
        /// The SLA id.
        id: String,
        /// Its metric.
        metric: String,
    },
    /// A catalog metric asked for outside the contract is not one the catalog knows.
    #[error("{spec}: {source}")]
    Metric {
        /// What was asked for (`metric` or `metric:variant`).
        spec: String,
        /// Why it was refused.
        #[source]
        source: pacta_kpi::KpiError,
    },
    /// A saved settlement record of an earlier month cannot be read.
    #[error("the saved settlement of {what} cannot be read ({detail})")]
    BadSettlementRecord {
        /// Which saved settlement.
        what: String,
        /// What is wrong with it.
        detail: String,
    },
    /// Something pacta writes could not be encoded.
    #[error("could not encode the {what}: {detail}")]
    Encode {
        /// What.
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// The month has no saved settlement.
    #[error(
        "{contract_id} {month} has no saved settlement; run pacta settle --month {month} first"
    )]
    NothingSaved {
        /// The contract.
        contract_id: String,
        /// The month.
        month: pacta_core::Month,
    },
    /// The month is closed already.
    #[error("{month} is already closed (at settlement version {version})")]
    MonthAlreadyClosed {
        /// The month.
        month: pacta_core::Month,
        /// The version it was closed at.
        version: u32,
    },
    /// An accepted resolution names an incident the store does not hold.
    #[error(
        "dispute {dispute} accepts incident {incident_id}, which the store does not hold for this month"
    )]
    UnknownIncident {
        /// The incident named.
        incident_id: String,
        /// The dispute.
        dispute: String,
    },
    /// An agreed line amount names a line the month's invoice does not have.
    #[error(
        "dispute {dispute} agrees an amount for line {line}, which the month's invoice does not have; its lines: {}",
        known.join(", ")
    )]
    UnknownLine {
        /// The line.
        line: String,
        /// The dispute.
        dispute: String,
        /// The invoice's lines.
        known: Vec<String>,
    },
    /// Only a resolved dispute's adjustment can be applied.
    #[error("dispute {id} is not resolved: only an accepted proposal adjusts the month")]
    DisputeNotResolved {
        /// The dispute.
        id: String,
    },
    /// The dispute's resolution is already part of the month.
    #[error("dispute {dispute} is already applied to {month} (version {version})")]
    AlreadyAdjusted {
        /// The dispute.
        dispute: String,
        /// The month.
        month: pacta_core::Month,
        /// The version that applied it.
        version: u32,
    },
    /// The month is not closed, so there is nothing recorded to verify against.
    #[error("{contract_id} {month} is not closed; close it with pacta month close first")]
    MonthNotClosed {
        /// The contract.
        contract_id: String,
        /// The month.
        month: pacta_core::Month,
    },
    /// The contract file is not the one the month was settled with.
    #[error(
        "the contract file is not the one {month} was settled with (recorded BLAKE3 {recorded}, this file {found})"
    )]
    ContractChanged {
        /// The month.
        month: pacta_core::Month,
        /// The hash recorded.
        recorded: String,
        /// The hash of the file given.
        found: String,
    },
    /// The saved settlement no longer comes out of the store and contract as they are.
    #[error(
        "{month}: saved settlement version {version} no longer matches the store's data ({difference}); settle the month again, then close it"
    )]
    StaleSettlement {
        /// The month.
        month: pacta_core::Month,
        /// The version saved.
        version: u32,
        /// Where the texts first differ.
        difference: String,
    },
    /// A closed month did not reproduce byte for byte.
    #[error(
        "{month}: recomputing closed settlement version {version} from its recorded inputs gives a different result ({difference})"
    )]
    NotReproduced {
        /// The month.
        month: pacta_core::Month,
        /// The version closed.
        version: u32,
        /// Where the texts first differ.
        difference: String,
    },
    /// A month has no month before it (or after it) that the operation needs.
    #[error("{month} has no month {}", if *before { "before it" } else { "after it" })]
    NoAdjacentMonth {
        /// The month.
        month: pacta_core::Month,
        /// Whether the month before was needed (else the month after).
        before: bool,
    },
    /// A vendor invoice file cannot be used.
    #[error("{}{at}: {problem}", path.display())]
    VendorInvoice {
        /// The file.
        path: PathBuf,
        /// Where in it.
        at: crate::vendor_invoice::InvoiceLocation,
        /// What is wrong there.
        problem: crate::vendor_invoice::InvoiceProblem,
    },
    /// Settlements saved by an earlier pacta as files, not yet in the database.
    #[error("{} holds settlements saved by an earlier pacta as files, which later months no longer read; settle those months again (each becomes version 1 in the database), then move that directory away", dir.display())]
    LegacySettlements {
        /// The directory of the files.
        dir: PathBuf,
    },
    /// The directory holds no store (and is not created for a read-only look).
    #[error("{} is not a pacta store (no such directory)", path.display())]
    NotAStore {
        /// The directory.
        path: PathBuf,
    },
    /// The contract has no `[[data.sources]]` entry with this id.
    #[error("the contract has no data source `{id}`")]
    UnknownDataSource {
        /// The id asked for.
        id: String,
    },
    /// A file with pacta's own columns (as `pacta gen` writes them) read through a contract
    /// source that renames them.
    #[error(
        "{file}: missing column `{column}` of the contract's source `{source_id}`; the file has \
         pacta's own columns (as pacta gen writes them): import it with --source pacta"
    )]
    PactaColumnsNeedPactaSource {
        /// The file.
        file: String,
        /// The source's column it lacks.
        column: String,
        /// The contract's source that was used.
        source_id: String,
    },
    /// No import format was given and the contract's data source names none.
    #[error("no --format given and the contract's data source names none")]
    NoFormat,
    /// An import format pacta does not know.
    #[error(
        "unknown format `{name}` (use anonbank, asterisk, amazon-connect, csv, jsonl or parquet)"
    )]
    UnknownFormat {
        /// The name given.
        name: String,
    },
    /// A column mapping file that cannot be used.
    #[error("{}: {detail}", path.display())]
    BadMapping {
        /// The mapping file.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
    },
    /// A quarantine limit that is not a percentage (NaN, negative, above 100).
    #[error("--max-quarantine-percent {given}: give a percentage from 0 to 100")]
    BadQuarantineLimit {
        /// The value given.
        given: f64,
    },
    /// `--replace` was asked for records other than interactions.
    #[error(
        "--replace corrects interactions; to correct other records, remove their batch (pacta store rm-batch ID) and import the corrected file"
    )]
    ReplaceNeedsInteractions,
    /// Too many rows were quarantined: the import was refused and nothing was written.
    #[error(
        "{percent:.2}% of rows quarantined, above --max-quarantine-percent {max}; nothing was written"
    )]
    QuarantineLimit {
        /// The share of rows quarantined, in percent.
        percent: f64,
        /// The limit, in percent.
        max: f64,
    },
    /// Estimating a forecast needs intervals that divide the day.
    #[error(
        "--interval {minutes}: with --from-store the interval must divide the day (15, 30, 60…)"
    )]
    IntervalNotDividingDay {
        /// The interval asked for, minutes.
        minutes: u32,
    },
    /// The store has no interactions of the contract in the month.
    #[error("no interactions for {contract_id} in {month} in store {}; import the month first", store.display())]
    NoInteractions {
        /// The contract's id.
        contract_id: String,
        /// The month.
        month: pacta_core::Month,
        /// The store directory.
        store: PathBuf,
    },
    /// The month is before the contract's effective date.
    #[error(
        "{month} is before the contract's term, which starts in {starts}; pass --allow-empty to settle it anyway"
    )]
    MonthBeforeTerm {
        /// The month asked for.
        month: pacta_core::Month,
        /// The contract's first month.
        starts: pacta_core::Month,
    },
    /// The month is after the contract's term, which does not renew by itself.
    #[error(
        "{month} is after the contract's term, whose last month is {ends} (no automatic renewal); pass --allow-empty to settle it anyway"
    )]
    MonthAfterTerm {
        /// The month asked for.
        month: pacta_core::Month,
        /// The contract's last month.
        ends: pacta_core::Month,
    },
    /// The month has no inbound voice or chat contacts to estimate a forecast from.
    #[error("no inbound voice or chat contacts in {month} to estimate from")]
    NothingToEstimate {
        /// The month.
        month: pacta_core::Month,
    },
    /// A dispute was raised on a line the month's saved settlement does not have.
    #[error("{month}'s saved settlement has no line `{subject}`; it has: {}", known.join(", "))]
    UnknownDisputeSubject {
        /// The line given.
        subject: String,
        /// The month.
        month: pacta_core::Month,
        /// The lines it has.
        known: Vec<String>,
    },
    /// A proposed exclusion window names a queue the contract's scope does not have.
    #[error("the contract has no queue `{queue}`; its queues: {}", known.join(", "))]
    UnknownQueue {
        /// The queue given.
        queue: String,
        /// The queues of the contract's services.
        known: Vec<String>,
    },
    /// A month read for one contract's terms was settled with terms that read other data
    /// (another contract, columns or FCR window): a caller's mistake, refused rather than
    /// settled on the wrong rows.
    #[error("the data of {month} was read for other terms; read it again for these")]
    LoadedForOtherTerms {
        /// The month.
        month: pacta_core::Month,
    },
    /// A what-if's changes do not make a valid contract, or name what the contract lacks;
    /// each problem names the change, the SLA and the field.
    #[error(
        "the what-if changes are invalid: {}",
        first_problem(problems, Lang::En)
    )]
    WhatIfInvalid {
        /// Every problem, in the order of the changes.
        problems: Vec<crate::what_if::ChangeProblem>,
    },
    /// Evidence files were given with a dispute action other than a comment.
    #[error("evidence files go with a comment, not with {action}")]
    EvidenceOnComments {
        /// The action's name.
        action: &'static str,
    },
    /// The operational data store refused.
    #[error(transparent)]
    Data(#[from] pacta_data::DataError),
    /// The system of record refused.
    #[error(transparent)]
    Db(#[from] pacta_db::DbError),
    /// The KPI engine refused.
    #[error(transparent)]
    Kpi(#[from] pacta_kpi::KpiError),
    /// Settlement refused.
    #[error(transparent)]
    Settle(#[from] pacta_settle::SettleError),
    /// A month that cannot be used.
    #[error(transparent)]
    Month(#[from] pacta_core::MonthError),
    /// The generator refused.
    #[error(transparent)]
    Generate(#[from] pacta_gen::GenError),
    /// A report failed to render.
    #[error(transparent)]
    Report(#[from] pacta_report::ReportError),
    /// Staffing arithmetic refused an input.
    #[error(transparent)]
    Planning(#[from] pacta_planning::PlanningError),
    /// Obligation or calendar arithmetic refused.
    #[error(transparent)]
    Governance(#[from] pacta_governance::GovernanceError),
    /// A dispute action was refused.
    #[error(transparent)]
    Dispute(#[from] pacta_governance::dispute::DisputeError),
}

impl Localized for OpError {
    fn code(&self) -> &'static str {
        match self {
            OpError::Read { .. } => "file-unreadable",
            OpError::Write { .. } => "file-unwritable",
            OpError::Exists { .. } => "file-exists",
            OpError::InvalidContract { .. } => "contract-invalid",
            OpError::UnknownSla { .. } => "sla-unknown",
            OpError::EvidenceUnsupported { .. } => "evidence-unsupported",
            OpError::Metric { source, .. } => source.code(),
            OpError::BadSettlementRecord { .. } => "settlement-record-invalid",
            OpError::LegacySettlements { .. } => "settlement-files-legacy",
            OpError::NoAdjacentMonth { .. } => "month-no-neighbour",
            OpError::NotAStore { .. } => "store-missing",
            OpError::VendorInvoice { problem, .. } => problem.code(),
            OpError::UnknownDataSource { .. } => "data-source-unknown",
            OpError::PactaColumnsNeedPactaSource { .. } => "import-pacta-columns",
            OpError::NoFormat => "import-format-missing",
            OpError::UnknownFormat { .. } => "import-format-unknown",
            OpError::BadMapping { .. } => "import-mapping-invalid",
            OpError::QuarantineLimit { .. } => "import-quarantine-limit",
            OpError::BadQuarantineLimit { .. } => "import-quarantine-limit-invalid",
            OpError::ReplaceNeedsInteractions => "import-replace-needs-interactions",
            OpError::Data(e) => e.code(),
            OpError::Db(e) => e.code(),
            OpError::Encode { .. } => "encode-failed",
            OpError::NothingSaved { .. } => "month-nothing-saved",
            OpError::MonthAlreadyClosed { .. } => "month-already-closed",
            OpError::MonthNotClosed { .. } => "month-not-closed",
            OpError::UnknownIncident { .. } => "adjust-unknown-incident",
            OpError::UnknownLine { .. } => "adjust-unknown-line",
            OpError::AlreadyAdjusted { .. } => "adjust-already-applied",
            OpError::DisputeNotResolved { .. } => "dispute-not-resolved",
            OpError::ContractChanged { .. } => "month-contract-changed",
            OpError::StaleSettlement { .. } => "month-settlement-stale",
            OpError::NotReproduced { .. } => "month-not-reproduced",
            OpError::IntervalNotDividingDay { .. } => "plan-interval-not-dividing-day",
            OpError::NoInteractions { .. } => "month-no-interactions",
            OpError::NothingToEstimate { .. } => "plan-nothing-to-estimate",
            OpError::MonthBeforeTerm { .. } => "month-before-term",
            OpError::MonthAfterTerm { .. } => "month-after-term",
            OpError::Kpi(e) => e.code(),
            OpError::Settle(e) => e.code(),
            OpError::Month(e) => e.code(),
            OpError::Generate(e) => e.code(),
            OpError::Report(e) => e.code(),
            OpError::Planning(e) => Localized::code(e),
            OpError::Governance(e) => e.code(),
            OpError::Dispute(e) => e.code(),
            OpError::UnknownDisputeSubject { .. } => "dispute-subject-unknown",
            OpError::EvidenceOnComments { .. } => "dispute-evidence-not-comment",
            OpError::UploadRefused { code, .. } => code,
            OpError::UnknownQueue { .. } => "dispute-unknown-queue",
            OpError::LoadedForOtherTerms { .. } => "month-loaded-for-other-terms",
            OpError::WhatIfInvalid { .. } => "what-if-invalid",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (OpError::UploadRefused { en, .. }, Lang::En) => en.clone(),
            (OpError::UploadRefused { es, .. }, Lang::Es) => es.clone(),
            (OpError::Kpi(e), _) => e.message(lang),
            (OpError::Settle(e), _) => e.message(lang),
            (OpError::Month(e), _) => e.message(lang),
            (OpError::Generate(e), _) => e.message(lang),
            (OpError::Report(e), _) => e.message(lang),
            (OpError::Planning(e), _) => e.message(lang),
            (OpError::Governance(e), _) => e.message(lang),
            (OpError::Dispute(e), _) => e.message(lang),
            (OpError::Data(e), _) => e.message(lang),
            (OpError::Db(e), _) => e.message(lang),
            (OpError::VendorInvoice { path, at, problem }, _) => {
                format!("{}{at}: {}", path.display(), problem.message(lang))
            }
            (OpError::Metric { spec, source }, _) => format!("{spec}: {}", source.message(lang)),
            (_, Lang::En) => self.to_string(),
            (OpError::Read { path, source }, Lang::Es) => {
                format!("no se pudo leer {}: {source}", path.display())
            }
            (OpError::Write { path, source }, Lang::Es) => {
                format!("no se pudo escribir {}: {source}", path.display())
            }
            (OpError::Exists { path }, Lang::Es) => format!(
                "{} ya existe; use --force para sobrescribirlo",
                path.display()
            ),
            (OpError::InvalidContract { path, errors, .. }, Lang::Es) => format!(
                "{} no es un contrato válido ({} problema(s))",
                path.display(),
                errors.len()
            ),
            (OpError::EvidenceUnsupported { id, metric }, Lang::Es) => format!(
                "no hay evidencia de contactos para el SLA `{id}` (métrica {metric}): se listan los contactos de los SLA service_level y abandonment_rate"
            ),
            (OpError::UnknownSla { id, known }, Lang::Es) => format!(
                "el contrato no tiene el SLA `{id}`; tiene: {}",
                known.join(", ")
            ),
            (OpError::BadSettlementRecord { what, detail }, Lang::Es) => {
                format!("la liquidación guardada de {what} no se puede leer ({detail})")
            }
            (OpError::Encode { what, detail }, Lang::Es) => {
                format!("no se pudo codificar: {what}: {detail}")
            }
            (OpError::NothingSaved { contract_id, month }, Lang::Es) => format!(
                "{contract_id} {month} no tiene liquidación guardada; ejecute primero pacta settle --month {month}"
            ),
            (OpError::MonthAlreadyClosed { month, version }, Lang::Es) => {
                format!("{month} ya está cerrado (en la versión de liquidación {version})")
            }
            (
                OpError::UnknownIncident {
                    incident_id,
                    dispute,
                },
                Lang::Es,
            ) => format!(
                "la disputa {dispute} acepta el incidente {incident_id}, que el almacén no tiene para este mes"
            ),
            (OpError::DisputeNotResolved { id }, Lang::Es) => format!(
                "la disputa {id} no está resuelta: solo una propuesta aceptada ajusta el mes"
            ),
            (
                OpError::UnknownLine {
                    line,
                    dispute,
                    known,
                },
                Lang::Es,
            ) => format!(
                "la disputa {dispute} acuerda un importe para la línea {line}, que la factura del mes no tiene; sus líneas: {}",
                known.join(", ")
            ),
            (
                OpError::AlreadyAdjusted {
                    dispute,
                    month,
                    version,
                },
                Lang::Es,
            ) => format!("la disputa {dispute} ya está aplicada a {month} (versión {version})"),
            (OpError::MonthNotClosed { contract_id, month }, Lang::Es) => format!(
                "{contract_id} {month} no está cerrado; ciérrelo primero con pacta month close"
            ),
            (OpError::ContractChanged { month, recorded, found }, Lang::Es) => format!(
                "el archivo de contrato no es aquel con el que se liquidó {month} (BLAKE3 registrado {recorded}, este archivo {found})"
            ),
            (OpError::StaleSettlement { month, version, difference }, Lang::Es) => format!(
                "{month}: la versión guardada {version} de la liquidación ya no coincide con los datos del almacén ({difference}); vuelva a liquidar el mes y después ciérrelo"
            ),
            (OpError::NotReproduced { month, version, difference }, Lang::Es) => format!(
                "{month}: recalcular la versión cerrada {version} con sus entradas registradas da otro resultado ({difference})"
            ),
            (OpError::LegacySettlements { dir }, Lang::Es) => format!(
                "{} contiene liquidaciones guardadas como archivos por una versión anterior de pacta, que los meses siguientes ya no leen; vuelva a liquidar esos meses (cada uno pasa a ser la versión 1 en la base de datos) y después mueva ese directorio",
                dir.display()
            ),
            (OpError::NotAStore { path }, Lang::Es) => {
                format!("{} no es un almacén de pacta (no existe)", path.display())
            }
            (OpError::UnknownDataSource { id }, Lang::Es) => {
                format!("el contrato no tiene la fuente de datos `{id}`")
            }
            (
                OpError::PactaColumnsNeedPactaSource {
                    file,
                    column,
                    source_id,
                },
                Lang::Es,
            ) => format!(
                "{file}: falta la columna `{column}` de la fuente `{source_id}` del contrato; el \
                 archivo tiene las columnas propias de pacta (como las escribe pacta gen): \
                 impórtelo con --source pacta"
            ),
            (OpError::NoFormat, Lang::Es) => {
                "no se indicó --format y la fuente de datos del contrato no indica ninguno".into()
            }
            (OpError::UnknownFormat { name }, Lang::Es) => format!(
                "formato desconocido `{name}` (use anonbank, asterisk, amazon-connect, csv, jsonl o parquet)"
            ),
            (OpError::BadMapping { path, detail }, Lang::Es) => {
                format!("{}: {detail}", path.display())
            }
            (OpError::BadQuarantineLimit { given }, Lang::Es) => {
                format!("--max-quarantine-percent {given}: indique un porcentaje entre 0 y 100")
            }
            (OpError::ReplaceNeedsInteractions, Lang::Es) => "--replace corrige interacciones; para corregir otros registros, elimine su lote (pacta store rm-batch ID) e importe el archivo corregido".to_string(),
            (OpError::QuarantineLimit { percent, max }, Lang::Es) => format!(
                "{percent:.2}% de filas en cuarentena, por encima de --max-quarantine-percent {max}; no se escribió nada"
            ),
            (OpError::IntervalNotDividingDay { minutes }, Lang::Es) => format!(
                "--interval {minutes}: con --from-store el intervalo debe dividir el día (15, 30, 60…)"
            ),
            (
                OpError::NoInteractions {
                    contract_id,
                    month,
                    store,
                },
                Lang::Es,
            ) => format!(
                "no hay interacciones de {contract_id} en {month} en el almacén {}; importe el mes primero",
                store.display()
            ),
            (OpError::MonthBeforeTerm { month, starts }, Lang::Es) => format!(
                "{month} es anterior a la vigencia del contrato, que empieza en {starts}; use --allow-empty para liquidarlo de todos modos"
            ),
            (OpError::MonthAfterTerm { month, ends }, Lang::Es) => format!(
                "{month} es posterior a la vigencia del contrato, cuyo último mes es {ends} (sin renovación automática); use --allow-empty para liquidarlo de todos modos"
            ),
            (OpError::NothingToEstimate { month }, Lang::Es) => {
                format!("no hay contactos de voz entrante o chat en {month} para estimar")
            }
            (OpError::UnknownDisputeSubject { subject, month, known }, Lang::Es) => format!(
                "la liquidación guardada de {month} no tiene la línea `{subject}`; tiene: {}",
                known.join(", ")
            ),
            (OpError::LoadedForOtherTerms { month }, Lang::Es) => format!(
                "los datos de {month} se leyeron para otros términos; léalos de nuevo para estos"
            ),
            (OpError::WhatIfInvalid { problems }, Lang::Es) => format!(
                "los cambios de la simulación no son válidos: {}",
                first_problem(problems, Lang::Es)
            ),
            (OpError::UnknownQueue { queue, known }, Lang::Es) => format!(
                "el contrato no tiene la cola `{queue}`; sus colas: {}",
                known.join(", ")
            ),
            (OpError::EvidenceOnComments { action }, Lang::Es) => {
                format!("los archivos de evidencia acompañan a un comentario, no a {action}")
            }
            (OpError::NoAdjacentMonth { month, before }, Lang::Es) => format!(
                "{month} no tiene mes {}",
                if *before { "anterior" } else { "siguiente" }
            ),
        }
    }
}

impl OpError {
    /// Whether the failure is about a file (unreadable, unwritable, or in the way), as
    /// opposed to its content.
    pub fn is_file_error(&self) -> bool {
        matches!(
            self,
            OpError::Read { .. } | OpError::Write { .. } | OpError::Exists { .. }
        )
    }
}

/// The first problem of a what-if in words, and how many more there are.
fn first_problem(problems: &[crate::what_if::ChangeProblem], lang: Lang) -> String {
    let first = problems
        .first()
        .map(|p| p.message(lang))
        .unwrap_or_default();
    match problems.len() {
        0 | 1 => first,
        n => format!("{first} ({} {})", n - 1, lang.pick("more", "más")),
    }
}
