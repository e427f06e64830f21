//! The database's errors, with stable codes and English and Spanish text.

use std::fmt;
use std::path::PathBuf;

use pacta_core::{Lang, Localized, Month};

/// What went wrong in the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database URL cannot be understood (its text is shown with the password masked).
    #[error("invalid database URL `{url}`: {reason}")]
    Url {
        /// The URL, password masked.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The directory that should hold the SQLite file does not exist.
    #[error("the directory {} of the database file does not exist", path.display())]
    DirMissing {
        /// The missing directory.
        path: PathBuf,
    },
    /// The database cannot be opened or reached.
    #[error("cannot open the database {url}: {message}")]
    Open {
        /// The URL, password masked.
        url: String,
        /// The driver's words.
        message: String,
    },
    /// The schema cannot be brought up to date.
    #[error("cannot bring the database {url} up to date: {message}")]
    Migrate {
        /// The URL, password masked.
        url: String,
        /// The migrator's words.
        message: String,
    },
    /// A statement failed (the driver's words).
    #[error("database: {message}")]
    Query {
        /// The driver's words.
        message: String,
    },
    /// A change to a row of an append-only table (the audit log, settlement versions,
    /// closed months, obligations, evidence files, disputes) was refused by the database's triggers.
    #[error("refused: {table} append-only ({message})")]
    AppendOnly {
        /// `audit log`, `settlement versions`, `closed months`, `obligation instances`,
        /// `obligation events`, `evidence files`, `disputes` or `dispute events`.
        table: &'static str,
        /// The database's words.
        message: String,
    },
    /// The month is closed: no new settlement version, no second close.
    #[error("{contract_id} {month} is closed: its settlement can no longer change")]
    MonthClosed {
        /// The contract.
        contract_id: String,
        /// The closed month.
        month: Month,
    },
    /// The settlement version named does not exist.
    #[error("{contract_id} {month} has no settlement version {version}")]
    NoSuchVersion {
        /// The contract.
        contract_id: String,
        /// The month.
        month: Month,
        /// The version asked for.
        version: u32,
    },
    /// A month can only be closed at its latest settlement version.
    #[error(
        "{contract_id} {month}: version {version} is not the latest settlement (the latest is {latest})"
    )]
    NotLatest {
        /// The contract.
        contract_id: String,
        /// The month.
        month: Month,
        /// The version asked for.
        version: u32,
        /// The latest version.
        latest: u32,
    },
    /// A JSON text given by the caller does not parse.
    #[error("{field} is not valid JSON: {message}")]
    InvalidJson {
        /// Which argument.
        field: &'static str,
        /// The parser's words.
        message: String,
    },
    /// A number does not fit in the database's columns (a signed 64-bit integer).
    #[error("{field} = {value} is too large to store")]
    OutOfRange {
        /// Which value.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// The audit chain is broken: the first broken link.
    #[error("{kind} at seq {seq}")]
    ChainBroken {
        /// The sequence number of the first entry that does not hold.
        seq: u64,
        /// What does not hold.
        kind: BreakKind,
    },
    /// A stored value cannot be read back (a timestamp, a month, a number).
    #[error("the database holds an unreadable value: {message}")]
    Corrupt {
        /// What and where.
        message: String,
    },
    /// No obligation has this id (or it belongs to another contract).
    #[error("no obligation has the id {id}")]
    UnknownObligation {
        /// The id asked for.
        id: String,
    },
    /// The obligation was already fulfilled or waived, or it was superseded.
    #[error("obligation {id} is already {state}: nothing more can be recorded on it")]
    ObligationSettled {
        /// The obligation.
        id: String,
        /// `fulfilled`, `waived` or `superseded`.
        state: &'static str,
    },
    /// No dispute has this id (or it belongs to another contract).
    #[error("no dispute has the id {id}")]
    UnknownDispute {
        /// The id asked for.
        id: String,
    },
    /// Another writer recorded an event on the dispute since the caller read it.
    #[error(
        "dispute {id} changed meanwhile: it has {found} event(s), not the {expected} this action was checked against"
    )]
    DisputeConflict {
        /// The dispute.
        id: String,
        /// The events the caller had read.
        expected: u32,
        /// The events recorded now.
        found: u32,
    },
    /// The role named is not one of `client_manager`, `provider_manager`, `auditor`, `admin`.
    #[error("unknown role `{role}` (client_manager, provider_manager, auditor or admin)")]
    InvalidRole {
        /// The text given.
        role: String,
    },
    /// A user name or organisation slug with characters outside letters, digits, `.`, `_`, `-`.
    #[error("invalid {what} name `{name}`: use 1 to 64 letters, digits, `.`, `_` or `-`")]
    InvalidName {
        /// `user` or `organisation`.
        what: &'static str,
        /// The text given.
        name: String,
    },
    /// The name is taken.
    #[error("the {what} `{name}` already exists")]
    Exists {
        /// `user` or `organisation`.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// No organisation has this slug.
    #[error("no organisation is called `{slug}`")]
    UnknownOrg {
        /// The slug given.
        slug: String,
    },
    /// No user has this name.
    #[error("no user is called `{name}`")]
    UnknownUser {
        /// The name given.
        name: String,
    },
    /// A password shorter than 8 characters.
    #[error("the password is too short (at least 8 characters)")]
    WeakPassword,
    /// A contract id already registered between other organisations.
    #[error(
        "contract {id} is registered between client {client_org} and provider {provider_org}; a new version cannot change its parties"
    )]
    ContractParties {
        /// The contract.
        id: String,
        /// The client organisation on record.
        client_org: String,
        /// The provider organisation on record.
        provider_org: String,
    },
    /// The viewer's role does not allow the action.
    #[error("your role does not allow {action}")]
    NotPermitted {
        /// The action refused.
        action: &'static str,
    },
    /// The operating system gave no random bytes.
    #[error("no randomness from the operating system: {message}")]
    Random {
        /// The operating system's words.
        message: String,
    },
    /// A password could not be hashed.
    #[error("cannot hash the password: {message}")]
    PasswordHash {
        /// The hasher's words.
        message: String,
    },
    /// The runtime that drives the database driver cannot start.
    #[error("cannot start the database runtime: {message}")]
    Runtime {
        /// The operating system's words.
        message: String,
    },
}

/// How a link of the audit chain is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// The entry's fields do not hash to its stored hash: it was edited.
    HashMismatch,
    /// The entry's `prev_hash` is not the previous entry's hash: an entry before it was
    /// removed or replaced.
    PrevHashMismatch,
    /// The entry's sequence number is not the previous one plus one.
    SequenceGap,
    /// The chain's head (`audit_head`) does not name the last entry: entries at the end
    /// were removed, or the head was edited.
    HeadMismatch,
}

impl BreakKind {
    /// The phrase in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            BreakKind::HashMismatch => lang.pick("hash mismatch", "hash no coincide"),
            BreakKind::PrevHashMismatch => lang.pick("prev_hash mismatch", "prev_hash no coincide"),
            BreakKind::SequenceGap => lang.pick("sequence gap", "salto de secuencia"),
            BreakKind::HeadMismatch => lang.pick("head mismatch", "la cabeza no coincide"),
        }
    }
}

impl fmt::Display for BreakKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(Lang::En))
    }
}

impl DbError {
    /// A driver error, with the append-only triggers' refusals told apart.
    pub(crate) fn from_sqlx(e: sqlx::Error) -> DbError {
        if let sqlx::Error::Database(db) = &e {
            let message = db.message().to_string();
            let table = [
                ("audit log is append-only", "audit log"),
                ("settlement versions are append-only", "settlement versions"),
                ("closed months are append-only", "closed months"),
                (
                    "obligation instances are append-only",
                    "obligation instances",
                ),
                ("obligation events are append-only", "obligation events"),
                ("evidence files are append-only", "evidence files"),
                ("disputes are append-only", "disputes"),
                ("dispute events are append-only", "dispute events"),
                ("contracts are append-only", "contracts"),
            ]
            .into_iter()
            .find(|(refusal, _)| message.contains(refusal));
            if let Some((_, table)) = table {
                return DbError::AppendOnly { table, message };
            }
        }
        DbError::Query {
            message: e.to_string(),
        }
    }

    pub(crate) fn corrupt(message: impl Into<String>) -> DbError {
        DbError::Corrupt {
            message: message.into(),
        }
    }
}

impl Localized for DbError {
    fn code(&self) -> &'static str {
        match self {
            DbError::Url { .. } => "db-url-invalid",
            DbError::DirMissing { .. } => "db-dir-missing",
            DbError::Open { .. } => "db-open",
            DbError::Migrate { .. } => "db-migrate",
            DbError::Query { .. } => "db-query",
            DbError::AppendOnly { .. } => "db-append-only",
            DbError::MonthClosed { .. } => "db-month-closed",
            DbError::NoSuchVersion { .. } => "db-version-missing",
            DbError::NotLatest { .. } => "db-version-not-latest",
            DbError::InvalidJson { .. } => "db-json-invalid",
            DbError::OutOfRange { .. } => "db-out-of-range",
            DbError::ChainBroken { .. } => "db-chain-broken",
            DbError::Corrupt { .. } => "db-corrupt",
            DbError::Runtime { .. } => "db-runtime",
            DbError::UnknownObligation { .. } => "obligation-unknown",
            DbError::ObligationSettled { .. } => "obligation-settled",
            DbError::UnknownDispute { .. } => "dispute-unknown",
            DbError::DisputeConflict { .. } => "dispute-conflict",
            DbError::InvalidRole { .. } => "role-invalid",
            DbError::InvalidName { .. } => "name-invalid",
            DbError::Exists { .. } => "name-taken",
            DbError::UnknownOrg { .. } => "org-unknown",
            DbError::UnknownUser { .. } => "user-unknown",
            DbError::WeakPassword => "password-weak",
            DbError::ContractParties { .. } => "contract-parties-fixed",
            DbError::NotPermitted { .. } => "not-permitted",
            DbError::Random { .. } => "random-unavailable",
            DbError::PasswordHash { .. } => "password-hash",
        }
    }

    // The driver's, the migrator's and the operating system's own words are quoted as they
    // said them.
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (DbError::Url { url, reason }, Lang::Es) => {
                format!("URL de base de datos no válida `{url}`: {reason}")
            }
            (DbError::DirMissing { path }, Lang::Es) => format!(
                "el directorio {} del archivo de la base de datos no existe",
                path.display()
            ),
            (DbError::Open { url, message }, Lang::Es) => {
                format!("no se puede abrir la base de datos {url}: {message}")
            }
            (DbError::Migrate { url, message }, Lang::Es) => {
                format!("no se puede actualizar el esquema de la base de datos {url}: {message}")
            }
            (DbError::Query { message }, Lang::Es) => format!("base de datos: {message}"),
            (DbError::AppendOnly { table, message }, Lang::Es) => {
                let table = match *table {
                    "audit log" => "el registro de auditoría solo admite añadir",
                    "settlement versions" => "las versiones de liquidación solo admiten añadir",
                    "obligation instances" => "las obligaciones solo admiten añadir",
                    "obligation events" => "los eventos de obligaciones solo admiten añadir",
                    "evidence files" => "los archivos de evidencia solo admiten añadir",
                    "disputes" => "las disputas solo admiten añadir",
                    "dispute events" => "los eventos de disputas solo admiten añadir",
                    "contracts" => "los contratos registrados solo admiten añadir",
                    _ => "los meses cerrados solo admiten añadir",
                };
                format!("rechazado: {table} ({message})")
            }
            (DbError::MonthClosed { contract_id, month }, Lang::Es) => {
                format!("{contract_id} {month} está cerrado: su liquidación ya no puede cambiar")
            }
            (
                DbError::NoSuchVersion {
                    contract_id,
                    month,
                    version,
                },
                Lang::Es,
            ) => format!("{contract_id} {month} no tiene la versión de liquidación {version}"),
            (
                DbError::NotLatest {
                    contract_id,
                    month,
                    version,
                    latest,
                },
                Lang::Es,
            ) => format!(
                "{contract_id} {month}: la versión {version} no es la última liquidación (la última es {latest})"
            ),
            (DbError::InvalidJson { field, message }, Lang::Es) => {
                format!("{field} no es JSON válido: {message}")
            }
            (DbError::OutOfRange { field, value }, Lang::Es) => {
                format!("{field} = {value} es demasiado grande para guardarse")
            }
            (DbError::ChainBroken { seq, kind }, Lang::Es) => {
                format!("{} en seq {seq}", kind.text(Lang::Es))
            }
            (DbError::Corrupt { message }, Lang::Es) => {
                format!("la base de datos contiene un valor ilegible: {message}")
            }
            (DbError::UnknownObligation { id }, Lang::Es) => {
                format!("ninguna obligación tiene el id {id}")
            }
            (DbError::ObligationSettled { id, state }, Lang::Es) => {
                let state = match *state {
                    "fulfilled" => "cumplida",
                    "waived" => "dispensada",
                    _ => "sustituida",
                };
                format!(
                    "la obligación {id} ya está {state}: no se puede registrar nada más en ella"
                )
            }
            (DbError::UnknownDispute { id }, Lang::Es) => {
                format!("ninguna disputa tiene el id {id}")
            }
            (
                DbError::DisputeConflict {
                    id,
                    expected,
                    found,
                },
                Lang::Es,
            ) => format!(
                "la disputa {id} cambió entretanto: tiene {found} evento(s), no los {expected} con los que se comprobó esta acción"
            ),
            (DbError::InvalidRole { role }, Lang::Es) => format!(
                "rol desconocido `{role}` (client_manager, provider_manager, auditor o admin)"
            ),
            (DbError::InvalidName { what, name }, Lang::Es) => {
                let what = if *what == "user" {
                    "usuario"
                } else {
                    "organización"
                };
                format!(
                    "nombre de {what} no válido `{name}`: use de 1 a 64 letras, dígitos, `.`, `_` o `-`"
                )
            }
            (DbError::Exists { what, name }, Lang::Es) => {
                let what = if *what == "user" {
                    "el usuario"
                } else {
                    "la organización"
                };
                format!("{what} `{name}` ya existe")
            }
            (DbError::UnknownOrg { slug }, Lang::Es) => {
                format!("ninguna organización se llama `{slug}`")
            }
            (DbError::UnknownUser { name }, Lang::Es) => {
                format!("ningún usuario se llama `{name}`")
            }
            (DbError::WeakPassword, Lang::Es) => {
                "la contraseña es demasiado corta (al menos 8 caracteres)".to_string()
            }
            (
                DbError::ContractParties {
                    id,
                    client_org,
                    provider_org,
                },
                Lang::Es,
            ) => format!(
                "el contrato {id} está registrado entre el cliente {client_org} y el proveedor {provider_org}; una nueva versión no puede cambiar sus partes"
            ),
            (DbError::NotPermitted { action }, Lang::Es) => {
                format!("su rol no permite {action}")
            }
            (DbError::Random { message }, Lang::Es) => {
                format!("el sistema operativo no da aleatoriedad: {message}")
            }
            (DbError::PasswordHash { message }, Lang::Es) => {
                format!("no se puede calcular el hash de la contraseña: {message}")
            }
            (DbError::Runtime { message }, Lang::Es) => {
                format!("no se puede iniciar el motor de la base de datos: {message}")
            }
        }
    }

    fn hint(&self, lang: Lang) -> Option<String> {
        match self {
            DbError::UnknownObligation { .. } => Some(
                lang.pick(
                    "list the ids with pacta obligations --contract FILE --format json",
                    "liste los ids con pacta obligations --contract ARCHIVO --format json",
                )
                .to_string(),
            ),
            DbError::UnknownDispute { .. } => Some(
                lang.pick(
                    "list the ids with pacta dispute list --contract FILE",
                    "liste los ids con pacta dispute list --contract ARCHIVO",
                )
                .to_string(),
            ),
            DbError::DisputeConflict { .. } => Some(
                lang.pick(
                    "look at the dispute again (pacta dispute show) and repeat the action if it still applies",
                    "vuelva a consultar la disputa (pacta dispute show) y repita la acción si aún procede",
                )
                .to_string(),
            ),
            DbError::ChainBroken { .. } => Some(
                lang.pick(
                    "the audit log was changed outside pacta; compare it with a backup and the head hash kept elsewhere",
                    "el registro de auditoría se cambió fuera de pacta; compárelo con una copia de seguridad y el hash de cabeza guardado aparte",
                )
                .to_string(),
            ),
            _ => None,
        }
    }
}
