//! The engine's errors, each with a stable code and English and Spanish text.

use std::path::PathBuf;

use datafusion::error::DataFusionError;

/// A language the engine writes its error messages in.
///
/// The engine is outside the pacta workspace, so it cannot use `pacta_core::Lang`; this is the
/// same two languages with the same codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        self.pick("en", "es")
    }

    /// The English or the Spanish of two versions of the same thing.
    pub fn pick<T>(self, en: T, es: T) -> T {
        match self {
            Lang::En => en,
            Lang::Es => es,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "en" => Ok(Lang::En),
            "es" => Ok(Lang::Es),
            other => Err(format!("unsupported language `{other}` (use en or es)")),
        }
    }
}

/// Whether a duplicated name is a table's or a query's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A table name.
    Table,
    /// A query name.
    Query,
}

impl NameKind {
    fn word(self, lang: Lang) -> &'static str {
        match self {
            NameKind::Table => lang.pick("table", "tabla"),
            NameKind::Query => lang.pick("query", "consulta"),
        }
    }
}

/// Everything that can go wrong reading a job or running it.
///
/// The `Display` text is the English message; [`EngineError::message`] gives either language.
/// DataFusion's and Ballista's own words inside `engine-table` and `engine-query` stay English.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The job file could not be read.
    #[error("cannot read job file {}: {source}", path.display())]
    ReadJob {
        /// The job file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The job is not valid JSON or does not have the job's shape.
    #[error("job JSON at line {line}, column {column}: {detail}")]
    JobJson {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// serde_json's description, without its location.
        detail: String,
    },
    /// The job's `format` is not one this engine reads.
    #[error("job format {found} is not supported (this engine reads format 1)")]
    JobFormat {
        /// The `format` value found, as JSON text.
        found: String,
    },
    /// The job's SQL was written for another engine's dialect.
    #[error("dialect {found} not supported: this engine runs datafusion or ballista SQL")]
    JobDialect {
        /// The dialect named.
        found: String,
    },
    /// A table name is not a simple identifier.
    #[error("table name `{name}` is not a simple identifier ([a-z_][a-z0-9_]*)")]
    BadTableName {
        /// The name as written.
        name: String,
    },
    /// Two tables or two queries share a name.
    #[error("{} name `{name}` appears more than once", kind.word(Lang::En))]
    DuplicateName {
        /// Table or query.
        kind: NameKind,
        /// The repeated name.
        name: String,
    },
    /// A file listed for a table does not exist or is not a regular file.
    #[error("table `{table}`: file {} does not exist or is not a file", path.display())]
    MissingFile {
        /// The table that lists it.
        table: String,
        /// The file, resolved against the job's directory.
        path: PathBuf,
    },
    /// The session could not be set up (standalone cluster start, scheduler URL).
    #[error("cannot start the {target} engine: {source}")]
    Connect {
        /// The target's label (`ballista-standalone`, `ballista`).
        target: &'static str,
        /// DataFusion's or Ballista's error.
        source: Box<DataFusionError>,
    },
    /// A table could not be registered: a file is not Parquet, or the files' schemas conflict.
    #[error("table `{table}` cannot be registered: {source}")]
    Table {
        /// The table.
        table: String,
        /// DataFusion's error.
        source: Box<DataFusionError>,
    },
    /// A query failed to plan or to run.
    #[error("query `{query}` failed: {source}")]
    Query {
        /// The query's name.
        query: String,
        /// DataFusion's or Ballista's error.
        source: Box<DataFusionError>,
    },
    /// A result column has a type that is not an integer, a string or a boolean.
    #[error(
        "query `{query}`: column `{column}` has type {data_type}; only integers, strings and booleans are returned"
    )]
    UnsupportedType {
        /// The query's name.
        query: String,
        /// The column's name.
        column: String,
        /// The Arrow type, as Arrow prints it.
        data_type: String,
    },
    /// The results could not be written.
    #[error("cannot write results to {}: {source}", path.display())]
    WriteResults {
        /// The results file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl EngineError {
    /// A stable, kebab-case code, `engine-` first.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::ReadJob { .. } => "engine-job-read",
            EngineError::JobJson { .. } => "engine-job-json",
            EngineError::JobFormat { .. } => "engine-job-format",
            EngineError::JobDialect { .. } => "engine-job-dialect",
            EngineError::BadTableName { .. } => "engine-bad-table-name",
            EngineError::DuplicateName { .. } => "engine-duplicate-name",
            EngineError::MissingFile { .. } => "engine-missing-file",
            EngineError::Connect { .. } => "engine-connect",
            EngineError::Table { .. } => "engine-table",
            EngineError::Query { .. } => "engine-query",
            EngineError::UnsupportedType { .. } => "engine-unsupported-type",
            EngineError::WriteResults { .. } => "engine-write-results",
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            EngineError::ReadJob { path, source } => {
                format!(
                    "no se pudo leer el archivo de trabajo {}: {source}",
                    path.display()
                )
            }
            EngineError::JobJson {
                line,
                column,
                detail,
            } => format!("JSON del trabajo en la línea {line}, columna {column}: {detail}"),
            EngineError::JobFormat { found } => format!(
                "el formato de trabajo {found} no es compatible (este motor lee el formato 1)"
            ),
            EngineError::JobDialect { found } => format!(
                "dialecto {found} no admitido: este motor ejecuta SQL datafusion o ballista"
            ),
            EngineError::BadTableName { name } => format!(
                "el nombre de tabla `{name}` no es un identificador simple ([a-z_][a-z0-9_]*)"
            ),
            EngineError::DuplicateName { kind, name } => format!(
                "el nombre de {} `{name}` aparece más de una vez",
                kind.word(Lang::Es)
            ),
            EngineError::MissingFile { table, path } => format!(
                "tabla `{table}`: el archivo {} no existe o no es un archivo",
                path.display()
            ),
            EngineError::Connect { target, source } => {
                format!("no se pudo iniciar el motor {target}: {source}")
            }
            EngineError::Table { table, source } => {
                format!("no se pudo registrar la tabla `{table}`: {source}")
            }
            EngineError::Query { query, source } => {
                format!("la consulta `{query}` falló: {source}")
            }
            EngineError::UnsupportedType {
                query,
                column,
                data_type,
            } => format!(
                "consulta `{query}`: la columna `{column}` es de tipo {data_type}; solo se devuelven enteros, textos y booleanos"
            ),
            EngineError::WriteResults { path, source } => format!(
                "no se pudieron escribir los resultados en {}: {source}",
                path.display()
            ),
        }
    }
}
