//! What to generate, and why generation can fail.

use crate::Month;

/// The most interactions one call generates.
pub const MAX_ROWS: u64 = 500_000_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenOptions {
    /// The month, cut in the contract's time zone.
    pub month: Month,
    /// Total interactions to generate (exact, spread over services by forecast volume).
    pub rows: u64,
    /// Seed: the same contract, options and seed give identical data.
    pub seed: u64,
    /// Outages to simulate (returned as incidents; the first one is accepted).
    pub outage_count: u32,
    /// Interactions per chunk handed to a [`generate_chunked`] sink, at most (chunks also
    /// end at each local midnight).
    pub chunk_rows: usize,
}

impl GenOptions {
    /// Options for a month with `rows` interactions, seed 42, one outage, 64 Ki-row chunks.
    pub fn new(month: Month, rows: u64) -> Self {
        GenOptions {
            month,
            rows,
            seed: 42,
            outage_count: 1,
            chunk_rows: 65_536,
        }
    }
}

impl pacta_core::Localized for GenError {
    fn code(&self) -> &'static str {
        match self {
            GenError::Month(e) => e.code(),
            GenError::NoServices => "gen-no-services",
            GenError::NeverOpen { .. } => "gen-never-open",
            GenError::TooManyRows { .. } => "gen-too-many-rows",
            GenError::Time(_) => "gen-time",
        }
    }

    fn message(&self, lang: pacta_core::Lang) -> String {
        use pacta_core::Lang;
        match (self, lang) {
            (GenError::Month(e), _) => e.message(lang),
            (_, Lang::En) => self.to_string(),
            (GenError::NoServices, Lang::Es) => {
                "el contrato no tiene ningún servicio con un canal de interacciones".into()
            }
            (GenError::NeverOpen { service, month }, Lang::Es) => {
                format!("el servicio `{service}` nunca abre en {month}")
            }
            (GenError::TooManyRows { rows, max }, Lang::Es) => {
                format!("se pidieron {rows} filas; se pueden generar como máximo {max}")
            }
            (GenError::Time(detail), Lang::Es) => format!("falló un cálculo de fechas: {detail}"),
        }
    }
}

/// Why generation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenError {
    /// The month cannot be cut in the contract's time zone.
    #[error(transparent)]
    Month(#[from] pacta_core::MonthError),
    /// No service has a channel with interactions.
    #[error("the contract has no service with an interaction channel")]
    NoServices,
    /// A service with volume has no open hours in the month.
    #[error("service `{service}` is never open in {month}")]
    NeverOpen {
        /// Service id.
        service: String,
        /// `YYYY-MM`.
        month: String,
    },
    /// More rows than [`MAX_ROWS`].
    #[error("{rows} rows requested; at most {max} can be generated")]
    TooManyRows {
        /// Rows requested.
        rows: u64,
        /// The limit.
        max: u64,
    },
    /// A date or time-zone computation failed.
    #[error("date arithmetic failed: {0}")]
    Time(String),
}

/// Why streaming generation stopped.
#[derive(Debug)]
pub enum StreamError<E> {
    /// The generator failed.
    Gen(GenError),
    /// The sink returned an error.
    Sink(E),
}

impl<E: std::fmt::Display> std::fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Gen(e) => e.fmt(f),
            StreamError::Sink(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for StreamError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Gen(e) => Some(e),
            StreamError::Sink(e) => Some(e),
        }
    }
}

impl<E> From<GenError> for StreamError<E> {
    fn from(e: GenError) -> Self {
        StreamError::Gen(e)
    }
}
