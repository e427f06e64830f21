//! Errors of importers and the store, each with a precise location.

use std::path::PathBuf;

/// An error that stops an import or a store operation (row-level problems are quarantined
/// instead, see [`crate::report::Quarantined`]).
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The header lacks a column the format requires (nothing has been written).
    #[error("{file}: missing required column `{column}` (found columns: {found})")]
    MissingColumn {
        /// Source file.
        file: String,
        /// The missing column.
        column: String,
        /// The columns that were found, comma-separated.
        found: String,
    },
    /// The header came out as one column containing another separator.
    #[error(
        "{file}: expected columns {expected}; found one column `{found}` — wrong delimiter? (this file seems to use `{guess}`)"
    )]
    WrongDelimiter {
        /// Source file.
        file: String,
        /// Expected columns, comma-separated.
        expected: String,
        /// The single header column found.
        found: String,
        /// The separator the header seems to use.
        guess: char,
    },
    /// The file is empty (no header row).
    #[error("{file}: the file is empty (no header row)")]
    Empty {
        /// Source file.
        file: String,
    },
    /// The file cannot be parsed at all at a location (not a row-level problem).
    #[error("{file}:{line}: {message}")]
    Malformed {
        /// Source file.
        file: String,
        /// 1-based line (or record) number.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The column mapping or import options are unusable.
    #[error("mapping: {0}")]
    Mapping(String),
    /// An unknown IANA time zone.
    #[error("unknown time zone `{0}`")]
    TimeZone(String),
    /// The store is inconsistent or an argument to it is invalid.
    #[error("store {}: {message}", path.display())]
    Store {
        /// Store directory or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Another writer holds the store's lock.
    #[error("store {} is locked by another writer ({holder}); try again later or pass --wait SECONDS", path.display())]
    Locked {
        /// Store directory.
        path: PathBuf,
        /// Who holds it (`pid N since T`), as the holder wrote it.
        holder: String,
    },
    /// The first import into a new store lost the race to create its pseudonym key: its rows
    /// were pseudonymised with a key the store will never hold, so it must run again.
    #[error("store {}: another import created the store's pseudonym key meanwhile; run this import again", path.display())]
    KeyCreatedMeanwhile {
        /// The key file.
        path: PathBuf,
    },
    /// The import would change a month that is closed.
    #[error(
        "month {month} of contract {contract} is closed: its figures can no longer change by import; a correction goes through a dispute adjustment"
    )]
    MonthClosed {
        /// The contract.
        contract: String,
        /// The closed month.
        month: pacta_core::Month,
    },
    /// Parquet encoding or decoding failed.
    #[error("{}: parquet: {source}", path.display())]
    Parquet {
        /// The Parquet file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// Building Arrow arrays failed.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// A failure injected by [`crate::store::CommitOptions::fail_after_files`] (tests).
    #[error("injected failure after {0} file(s)")]
    Injected(usize),
}

impl DataError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.into(),
            source,
        }
    }
    pub(crate) fn pq(path: impl Into<PathBuf>, source: parquet::errors::ParquetError) -> Self {
        DataError::Parquet {
            path: path.into(),
            source,
        }
    }
}

/// Result of this crate.
pub type Result<T, E = DataError> = std::result::Result<T, E>;
