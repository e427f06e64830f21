//! The API's errors: a stable code, an HTTP status and English or Spanish text, answered as
//! `{ "code": "...", "message": "..." }` (the table lives in `docs/server.md`).

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pacta_core::{Lang, Localized};
use pacta_db::DbError;
use pacta_ops::OpError;
use pacta_planning::{PlanningError, RowLocation};

/// What a request failed on.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid session cookie and no valid API key.
    #[error("sign in first, or send a valid API key")]
    Unauthenticated,
    /// The user name or the password is wrong.
    #[error("wrong user name or password")]
    LoginFailed,
    /// An unsafe request that did not come from this site.
    #[error("cross-site request refused")]
    CrossSite,
    /// The object does not exist, or belongs to another organisation (the two are not told
    /// apart, so that its existence does not leak).
    #[error("not found")]
    NotFound,
    /// Too many login attempts from this address in the window.
    #[error("too many login attempts; wait a few minutes and try again")]
    RateLimited,
    /// A parameter or the body cannot be understood.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The server runs without a data store, and the route needs one.
    #[error("this server has no data store (pacta serve --store DIR)")]
    NoStore,
    /// A contract id already registered between other organisations (which are not named:
    /// they may be another tenant's).
    #[error("contract id `{0}` is already registered between other organisations")]
    ContractIdTaken(String),
    /// A new version's text carries another contract id than the route's.
    #[error("the contract text is `{found}`, not `{expected}`")]
    ContractIdMismatch {
        /// The id in the text.
        found: String,
        /// The id in the path.
        expected: String,
    },
    /// Settling with the uploaded vendor invoice, and none was uploaded for the month.
    #[error("no vendor invoice was uploaded for this month")]
    NoVendorInvoice,
    /// The key was revoked already.
    #[error("key `{0}` is already revoked")]
    KeyRevoked(String),
    /// The database refused or failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The operation refused or failed.
    #[error(transparent)]
    Op(#[from] OpError),
    /// Something that is not the client's doing (a panicked task); the detail goes to the
    /// log only.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated | ApiError::LoginFailed => StatusCode::UNAUTHORIZED,
            ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NoStore
            | ApiError::ContractIdTaken(_)
            | ApiError::KeyRevoked(_)
            | ApiError::NoVendorInvoice => StatusCode::CONFLICT,
            ApiError::ContractIdMismatch { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Db(e) | ApiError::Op(OpError::Db(e)) => db_status(e),
            // The month's state does not allow it (closed, not closed, nothing saved, or
            // changed since it was saved).
            ApiError::Op(
                OpError::MonthAlreadyClosed { .. }
                | OpError::MonthNotClosed { .. }
                | OpError::NothingSaved { .. }
                | OpError::StaleSettlement { .. }
                | OpError::ContractChanged { .. }
                | OpError::NotReproduced { .. },
            ) => StatusCode::CONFLICT,
            // The server's own files: not the client's doing.
            ApiError::Op(OpError::Read { .. } | OpError::Write { .. }) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ApiError::Op(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Whether the client may read the underlying message: a server fault's words (SQL,
    /// file paths) stay in the log.
    fn is_server_fault(&self) -> bool {
        self.status().is_server_error()
    }
}

fn db_status(e: &DbError) -> StatusCode {
    match e {
        DbError::NotPermitted { .. } => StatusCode::FORBIDDEN,
        DbError::InvalidRole { .. }
        | DbError::InvalidName { .. }
        | DbError::WeakPassword
        | DbError::InvalidJson { .. } => StatusCode::BAD_REQUEST,
        DbError::Exists { .. }
        | DbError::ContractParties { .. }
        | DbError::MonthClosed { .. }
        | DbError::NotLatest { .. }
        | DbError::DisputeConflict { .. }
        | DbError::ObligationSettled { .. }
        // The auditor's answer, not a fault of the server: the message names the link.
        | DbError::ChainBroken { .. } => StatusCode::CONFLICT,
        DbError::UnknownOrg { .. }
        | DbError::UnknownUser { .. }
        | DbError::UnknownDispute { .. }
        | DbError::UnknownObligation { .. }
        | DbError::NoSuchVersion { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl Localized for ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::LoginFailed => "login-failed",
            ApiError::CrossSite => "cross-site-refused",
            ApiError::NotFound => "not-found",
            ApiError::RateLimited => "rate-limited",
            ApiError::BadRequest(_) => "bad-request",
            ApiError::NoStore => "no-store",
            ApiError::ContractIdTaken(_) => "contract-id-taken",
            ApiError::ContractIdMismatch { .. } => "contract-id-mismatch",
            ApiError::KeyRevoked(_) => "key-revoked",
            ApiError::NoVendorInvoice => "vendor-invoice-none",
            ApiError::Internal(_) => "internal",
            e if e.is_server_fault() => "internal",
            ApiError::Db(e) => e.code(),
            ApiError::Op(e) => e.code(),
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (e, Lang::En) if !e.is_server_fault() => self.to_string(),
            (ApiError::Db(e), lang) if !self.is_server_fault() => e.message(lang),
            (ApiError::Op(e), lang) if !self.is_server_fault() => e.message(lang),
            (ApiError::Unauthenticated, _) => {
                "inicie sesión o envíe una clave de API válida".to_string()
            }
            (ApiError::LoginFailed, _) => "usuario o contraseña incorrectos".to_string(),
            (ApiError::CrossSite, _) => "solicitud de otro sitio rechazada".to_string(),
            (ApiError::NotFound, _) => "no encontrado".to_string(),
            (ApiError::RateLimited, _) => {
                "demasiados intentos de inicio de sesión; espere unos minutos y vuelva a intentarlo"
                    .to_string()
            }
            (ApiError::BadRequest(detail), _) => format!("solicitud no válida: {detail}"),
            (ApiError::NoStore, _) => {
                "este servidor no tiene almacén de datos (pacta serve --store DIR)".to_string()
            }
            (ApiError::ContractIdTaken(id), _) => {
                format!("el contrato `{id}` ya está registrado entre otras organizaciones")
            }
            (ApiError::ContractIdMismatch { found, expected }, _) => {
                format!("el texto del contrato es `{found}`, no `{expected}`")
            }
            (ApiError::KeyRevoked(id), _) => format!("la clave `{id}` ya está revocada"),
            (ApiError::NoVendorInvoice, _) => {
                "no se subió ninguna factura del proveedor para este mes".to_string()
            }
            (_, lang) => lang
                .pick(
                    "internal error; the server's log has the details",
                    "error interno; el registro del servidor tiene los detalles",
                )
                .to_string(),
        }
    }
}

/// The reader's language from `Accept-Language`: Spanish when a Spanish tag ranks above
/// every English one, else English.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let Some(value) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return Lang::En;
    };
    let mut best = (Lang::En, -1.0_f32);
    for item in value.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let lang = if tag == "es" || tag.starts_with("es-") {
            Lang::Es
        } else if tag == "en" || tag.starts_with("en-") {
            Lang::En
        } else {
            continue;
        };
        if q > best.1 {
            best = (lang, q);
        }
    }
    best.0
}

/// An error bound to the reader's language, ready to answer.
pub struct Answer {
    /// The error.
    pub error: ApiError,
    /// The reader's language.
    pub lang: Lang,
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = self.error.status();
        if status.is_server_error() {
            // The detail is for the operator; the client gets the code only.
            tracing::error!(error = %self.error, "request failed");
        }
        let mut body = serde_json::json!({
            "code": self.error.code(),
            "message": self.error.message(self.lang),
        });
        // A contract that does not validate: every problem with its place in the text.
        if let ApiError::Op(OpError::InvalidContract { errors, .. }) = &self.error {
            body["errors"] = errors
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "code": e.code,
                        "message": e.message(self.lang),
                        "line": e.location.line,
                        "column": e.location.col,
                    })
                })
                .collect();
        }
        // A file of rows (a staffing plan): every bad value with its line and column.
        if let ApiError::Op(OpError::Planning(PlanningError::InvalidRows { errors, .. })) =
            &self.error
        {
            body["errors"] = errors
                .iter()
                .map(|e| {
                    let (line, column) = match &e.at {
                        RowLocation::Cell { line, column, .. } => (Some(*line), Some(column + 1)),
                        RowLocation::Line { line } => (Some(*line), None),
                        RowLocation::Estimated { .. } => (None, None),
                    };
                    serde_json::json!({
                        "message": e.message(self.lang),
                        "line": line,
                        "column": column,
                    })
                })
                .collect();
        }
        (status, axum::Json(body)).into_response()
    }
}

impl IntoResponse for ApiError {
    /// In English; handlers answer through [`Answer`] with the reader's language.
    fn into_response(self) -> Response {
        Answer {
            error: self,
            lang: Lang::En,
        }
        .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            value.parse().expect("a header value"),
        );
        h
    }

    #[test]
    fn accept_language_picks_the_preferred_of_en_and_es() {
        assert_eq!(lang_of(&HeaderMap::new()), Lang::En);
        assert_eq!(lang_of(&headers("es-CO,es;q=0.9,en;q=0.8")), Lang::Es);
        assert_eq!(lang_of(&headers("en-US,es;q=0.5")), Lang::En);
        assert_eq!(lang_of(&headers("fr, es;q=0.3")), Lang::Es);
        assert_eq!(lang_of(&headers("de")), Lang::En);
    }
}
