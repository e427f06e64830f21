//! The job file: the tables to register and the queries to run, as pacta lowered them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, NameKind};

/// The only job format this engine reads.
pub const JOB_FORMAT: u32 = 1;

/// A job: Parquet tables over explicit files and the SQL queries to run over them, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// The job format version; only [`JOB_FORMAT`] is read.
    pub format: u32,
    /// The SQL dialect the queries are written in, when the job says (`pacta engine sql`
    /// writes it); `datafusion` and `ballista` (the same SQL, keys cast to text) run here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<String>,
    /// The tables, each over its own list of files.
    pub tables: Vec<JobTable>,
    /// The queries, run in this order.
    pub queries: Vec<JobQuery>,
}

/// One table of a job: a name the SQL refers to and exactly the files it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobTable {
    /// A simple identifier, `[a-z_][a-z0-9_]*`.
    pub name: String,
    /// The Parquet files; an empty list leaves the table unregistered.
    pub files: Vec<PathBuf>,
}

/// One query of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobQuery {
    /// The name its result carries.
    pub name: String,
    /// One SQL `SELECT` (DDL, DML and other statements are refused).
    pub sql: String,
}

impl Job {
    /// Reads and validates a job file; relative file paths are taken from the file's directory.
    pub fn from_path(path: &Path) -> Result<Job, EngineError> {
        let read_error = |source| EngineError::ReadJob {
            path: path.to_path_buf(),
            source,
        };
        let text = std::fs::read_to_string(path).map_err(read_error)?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        // Absolute now, so the tables' file URLs do not depend on where the job is run from.
        let dir = std::path::absolute(dir).map_err(read_error)?;
        Job::from_json(text.as_str(), &dir)
    }

    /// Parses and validates a job's JSON; relative file paths are joined to `base_dir`.
    ///
    /// The format is checked before the rest of the shape, so a job of another format is
    /// reported as such rather than as whatever field it lacks.
    pub fn from_json(text: &str, base_dir: &Path) -> Result<Job, EngineError> {
        #[derive(Deserialize)]
        #[serde(expecting = "a job object")]
        struct FormatOnly {
            format: Option<serde_json::Value>,
        }
        let probe: FormatOnly = serde_json::from_str(text).map_err(json_error)?;
        let format = probe.format.unwrap_or(serde_json::Value::Null);
        if format.as_u64() != Some(u64::from(JOB_FORMAT)) {
            return Err(EngineError::JobFormat {
                found: format.to_string(),
            });
        }
        let mut job: Job = serde_json::from_str(text).map_err(json_error)?;
        for table in &mut job.tables {
            for file in &mut table.files {
                if file.is_relative() {
                    *file = base_dir.join(&*file);
                }
            }
        }
        job.validate()?;
        Ok(job)
    }

    /// Checks what can be checked without touching the disk: the format, the table names,
    /// and that no table or query name repeats.
    pub fn validate(&self) -> Result<(), EngineError> {
        if self.format != JOB_FORMAT {
            return Err(EngineError::JobFormat {
                found: self.format.to_string(),
            });
        }
        // Ballista's dialect is DataFusion's SQL written for shuffles; either engine runs it.
        if let Some(d) = self
            .dialect
            .as_deref()
            .filter(|d| !matches!(*d, "datafusion" | "ballista"))
        {
            return Err(EngineError::JobDialect {
                found: d.to_string(),
            });
        }
        let mut tables = HashSet::new();
        for table in &self.tables {
            if !is_simple_identifier(&table.name) {
                return Err(EngineError::BadTableName {
                    name: table.name.clone(),
                });
            }
            // A second registration would silently replace the first.
            if !tables.insert(table.name.as_str()) {
                return Err(EngineError::DuplicateName {
                    kind: NameKind::Table,
                    name: table.name.clone(),
                });
            }
        }
        let mut queries = HashSet::new();
        for query in &self.queries {
            if !queries.insert(query.name.as_str()) {
                return Err(EngineError::DuplicateName {
                    kind: NameKind::Query,
                    name: query.name.clone(),
                });
            }
        }
        Ok(())
    }

    /// Checks that every listed file exists and is a regular file.
    ///
    /// [`run_job`](crate::run_job) does this before it starts an engine, so a job with a
    /// missing file runs nothing. Left to DataFusion, a missing file would be retried as a
    /// directory prefix and could silently read other files that share its name's start.
    pub fn check_files(&self) -> Result<(), EngineError> {
        for table in &self.tables {
            for file in &table.files {
                if !file.is_file() {
                    return Err(EngineError::MissingFile {
                        table: table.name.clone(),
                        path: file.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// `[a-z_][a-z0-9_]*`: a name the SQL can use unquoted, and that DataFusion will not fold.
fn is_simple_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn json_error(error: serde_json::Error) -> EngineError {
    let (line, column) = (error.line(), error.column());
    // serde_json appends the location to its text; it is kept in fields of its own instead,
    // so the Spanish message can place it in its own words.
    let text = error.to_string();
    let detail = text
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&text)
        .to_string();
    EngineError::JobJson {
        line,
        column,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        for good in ["pacta_month", "_x", "t1", "a"] {
            assert!(is_simple_identifier(good), "{good}");
        }
        for bad in ["", "1t", "Month", "a-b", "a b", "ñ", "a.b"] {
            assert!(!is_simple_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn relative_files_join_the_base_dir() -> Result<(), EngineError> {
        let text = r#"{"format": 1,
            "tables": [{"name": "t", "files": ["d/a.parquet", "/abs/b.parquet"]}],
            "queries": []}"#;
        let job = Job::from_json(text, Path::new("/jobs/x"))?;
        assert_eq!(
            job.tables[0].files,
            [
                PathBuf::from("/jobs/x/d/a.parquet"),
                PathBuf::from("/abs/b.parquet")
            ]
        );
        Ok(())
    }

    #[test]
    fn format_is_checked_before_the_shape() {
        let err = Job::from_json(r#"{"format": 2, "other": true}"#, Path::new("/"));
        assert!(matches!(err, Err(EngineError::JobFormat { ref found }) if found == "2"));
        let err = Job::from_json(r#"{"tables": []}"#, Path::new("/"));
        assert!(matches!(err, Err(EngineError::JobFormat { ref found }) if found == "null"));
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let err = Job::from_json("{\"format\": 1,\n  \"tables\": [,]}", Path::new("/"));
        match err {
            Err(EngineError::JobJson {
                line,
                column,
                detail,
            }) => {
                assert_eq!((line, column), (2, 14));
                assert!(!detail.contains("at line"), "{detail}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn duplicate_names_are_refused() {
        let text = r#"{"format": 1, "tables": [],
            "queries": [{"name": "q", "sql": "SELECT 1"}, {"name": "q", "sql": "SELECT 2"}]}"#;
        assert_eq!(
            Job::from_json(text, Path::new("/")).map_err(|e| e.code()),
            Err("engine-duplicate-name")
        );
    }
}
